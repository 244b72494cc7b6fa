#include "cli/analysis_options.h"

#include "cli/cli_common.h"
#include "common/time_util.h"

#include <QDateTime>

#include <cmath>
#include <cstdio>

namespace itap::cli {

void addStoreOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("db"), QStringLiteral("Telemetry database: a SQLite file path or a postgresql://user@host:port/dbname URL."), QStringLiteral("PATH")});
}

namespace {
// One option for `train` (the training span read without labels) and the analysis commands (the threshold
// too); `run` takes it once, from the analysis options.
QCommandLineOption labelFreeOption() {
    return {QStringLiteral("label-free"),
            QStringLiteral("Never read the labels to decide: train on the whole training span (labelled anomalies "
                           "included, as on a plant without labels) and choose the threshold from the training "
                           "span's scores. Labels, when the data has them, only serve to report metrics.")};
}
}  // namespace

void addTrainOptions(QCommandLineParser& p, bool withSeed, bool withLabelFree) {
    if (withLabelFree)
        p.addOption(labelFreeOption());
    p.addOption({QStringLiteral("train-fraction"),
                 QStringLiteral("Train on the first fraction of each device's time span (default 0.7)."),
                 QStringLiteral("F")});
    p.addOption({QStringLiteral("train-rows"), QStringLiteral("Train on the first N rows of each device."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("train-until"), QStringLiteral("Train on the rows up to this UTC timestamp."),
                 QStringLiteral("TS")});
    p.addOption({QStringLiteral("train-duration"),
                 QStringLiteral("Train on the first S seconds of each device's own data."), QStringLiteral("S")});
    p.addOption({QStringLiteral("smooth"),
                 QStringLiteral("Score smoothing: trailing mean over the last K samples of each device (default 1 "
                                "= off)."),
                 QStringLiteral("K")});
    p.addOption({QStringLiteral("min-alarm-s"),
                 QStringLiteral("Minimum alarm duration: flag a row only when the score stayed above the "
                                "threshold for the last S seconds (default 0 = off)."),
                 QStringLiteral("S")});
    p.addOption({QStringLiteral("trees"), QStringLiteral("Isolation trees (default 200)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("sample-size"), QStringLiteral("Subsample size psi per tree (default 256)."),
                 QStringLiteral("N")});
    if (withSeed)
        p.addOption({QStringLiteral("seed"), QStringLiteral("Random seed of the forest (default 42)."), QStringLiteral("K")});
    p.addOption({QStringLiteral("window"), QStringLiteral("Trailing feature window in samples (default 30)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("per-device-norm"),
                 QStringLiteral("Standardise each device's features against its own training span (heterogeneous "
                                "fleets).")});
    p.addOption({QStringLiteral("global-norm"),
                 QStringLiteral("One scaler for all states and devices (default: one per operating state).")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads, 0 = all cores (default)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("detector"),
                 QStringLiteral("Detectors that make the score: forest (Isolation Forest), pca (Hotelling T2 and Q) "
                                "or combined (all three, each calibrated; default %1).")
                     .arg(detectorChoiceName(ModelParams{}.detector)),
                 QStringLiteral("D")});
}

void addAnalysisOptions(QCommandLineParser& p, bool withThreads) {
    p.addOption({QStringLiteral("threshold"), QStringLiteral("Use this score threshold instead of selecting one."),
                 QStringLiteral("T")});
    p.addOption({QStringLiteral("row-level-threshold"),
                 QStringLiteral("Choose the threshold by the row-level rules (--min-precision, --label-free-quantile, "
                                "--label-free-margin) instead of at incident level (the rules file's incidents "
                                "section).")});
    p.addOption({QStringLiteral("min-precision"),
                 QStringLiteral("Row-level threshold selection: highest recall with at least this precision "
                                "(default 0.5)."),
                 QStringLiteral("P")});
    p.addOption(labelFreeOption());
    p.addOption({QStringLiteral("exclude-fault-tails"),
                 QStringLiteral("Leave out of the evaluation the normal rows within one feature window after a "
                                "fault episode (their features still see it). Off by default: every evaluated row "
                                "counts; the report and metrics.json say when it is on.")});
    p.addOption({QStringLiteral("label-free-quantile"),
                 QStringLiteral("Label-free threshold: this quantile of the training span's scores (default "
                                "0.995)."),
                 QStringLiteral("Q")});
    p.addOption({QStringLiteral("label-free-margin"),
                 QStringLiteral("Label-free threshold: the highest training span score times M (1-10) instead "
                                "of a quantile."),
                 QStringLiteral("M")});
    p.addOption({QStringLiteral("rules"), QStringLiteral("Alert rules file (default: the built-in rules)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("explain-top"),
                 QStringLiteral("Flagged rows written to explanations_top.json (default 20)."), QStringLiteral("N")});
    if (withThreads)
        p.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads, 0 = all cores (default)."),
                     QStringLiteral("N")});
}

std::optional<TrainConfig> trainConfigFromOptions(const QCommandLineParser& p, QString& error) {
    TrainConfig c;
    c.span.useLabels = !p.isSet(QStringLiteral("label-free"));
    const int spans = int(p.isSet(QStringLiteral("train-fraction"))) + int(p.isSet(QStringLiteral("train-rows"))) +
                      int(p.isSet(QStringLiteral("train-until"))) + int(p.isSet(QStringLiteral("train-duration")));
    if (spans > 1) {
        error = QStringLiteral("give at most one of --train-fraction, --train-rows, --train-until, --train-duration");
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("train-rows"))) {
        auto n = intOption(p, QStringLiteral("train-rows"), 0, 1, qint64(1) << 40, error);
        if (!n) return std::nullopt;
        c.span.kind = TrainSpan::Kind::Rows;
        c.span.rows = *n;
    } else if (p.isSet(QStringLiteral("train-until"))) {
        const auto ms = parseUtcTimestamp(QStringView(p.value(QStringLiteral("train-until"))));
        if (!ms) {
            error = QStringLiteral("--train-until: expected a UTC timestamp like 2026-01-01T12:00:00Z");
            return std::nullopt;
        }
        c.span.kind = TrainSpan::Kind::Until;
        c.span.untilMs = *ms;
    } else if (p.isSet(QStringLiteral("train-duration"))) {
        auto s = doubleOption(p, QStringLiteral("train-duration"), 0, 1, 1e9, error);
        if (!s) return std::nullopt;
        c.span.kind = TrainSpan::Kind::Duration;
        c.span.durationMs = std::llround(*s * 1000.0);
    } else {
        auto f = doubleOption(p, QStringLiteral("train-fraction"), 0.7, 1e-6, 1.0, error);
        if (!f) return std::nullopt;
        c.span.fraction = *f;
    }
    auto trees = intOption(p, QStringLiteral("trees"), c.model.forest.trees, 1, 10000, error);
    auto psi = intOption(p, QStringLiteral("sample-size"), c.model.forest.sampleSize, 2, 1 << 24, error);
    auto seed = intOption(p, QStringLiteral("seed"), qint64(c.model.forest.seed), 0, std::numeric_limits<qint64>::max(), error);
    auto window = intOption(p, QStringLiteral("window"), c.features.window, FeatureParams::kMinWindow,
                            FeatureParams::kMaxWindow, error);
    auto threads = intOption(p, QStringLiteral("threads"), 0, 0, 1024, error);
    auto smooth = intOption(p, QStringLiteral("smooth"), 1, 1, ScoreFilterParams::kMaxSmoothSamples, error);
    auto minAlarm = doubleOption(p, QStringLiteral("min-alarm-s"), 0, 0, ScoreFilterParams::kMaxMinAlarmSeconds, error);
    if (!trees || !psi || !seed || !window || !threads || !smooth || !minAlarm) return std::nullopt;
    c.scoreFilter.smoothSamples = int(*smooth);
    c.scoreFilter.minAlarmSeconds = *minAlarm;
    c.model.forest.trees = int(*trees);
    c.model.forest.sampleSize = int(*psi);
    c.model.forest.seed = quint64(*seed);
    c.features.window = int(*window);
    c.threads = int(*threads);
    if (p.isSet(QStringLiteral("per-device-norm")) && p.isSet(QStringLiteral("global-norm"))) {
        error = QStringLiteral("--per-device-norm and --global-norm exclude each other");
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("per-device-norm"))) c.model.scaler.mode = ScalingMode::PerDeviceState;
    if (p.isSet(QStringLiteral("global-norm"))) c.model.scaler.mode = ScalingMode::Global;
    if (p.isSet(QStringLiteral("detector"))) {
        const auto detector = detectorChoiceFromName(p.value(QStringLiteral("detector")));
        if (!detector) {
            error = QStringLiteral("--detector: expected forest, pca or combined");
            return std::nullopt;
        }
        c.model.detector = *detector;
    }
    return c;
}

std::optional<AnalysisOptions> analysisOptionsFromOptions(const QCommandLineParser& p, QString& error) {
    AnalysisOptions o;
    if (p.isSet(QStringLiteral("threshold"))) {
        auto t = doubleOption(p, QStringLiteral("threshold"), 0.5, 0.0, 1.0, error);
        if (!t) return std::nullopt;
        o.threshold = *t;
    }
    auto minPrecision = doubleOption(p, QStringLiteral("min-precision"), o.evaluation.minPrecision, 0.0, 1.0, error);
    auto top = intOption(p, QStringLiteral("explain-top"), o.explainTop, 1, 100000, error);
    auto threads = intOption(p, QStringLiteral("threads"), 0, 0, 1024, error);
    if (!minPrecision || !top || !threads) return std::nullopt;
    o.evaluation.minPrecision = *minPrecision;
    if (p.isSet(QStringLiteral("label-free-quantile")) && p.isSet(QStringLiteral("label-free-margin"))) {
        error = QStringLiteral("--label-free-quantile and --label-free-margin exclude each other");
        return std::nullopt;
    }
    auto quantile = doubleOption(p, QStringLiteral("label-free-quantile"), o.evaluation.labelFreeQuantile, 1e-6,
                                 1.0 - 1e-9, error);
    auto margin = doubleOption(p, QStringLiteral("label-free-margin"), o.evaluation.labelFreeMargin, 1.0, 10.0,
                               error);
    if (!quantile || !margin) return std::nullopt;
    o.evaluation.labelFreeQuantile = *quantile;
    o.evaluation.labelFreeMargin = *margin;
    if (p.isSet(QStringLiteral("label-free-margin"))) o.evaluation.labelFreeRule = LabelFreeRule::MaxMargin;
    if (p.isSet(QStringLiteral("label-free"))) o.evaluation.thresholdRule = ThresholdRule::LabelFree;
    o.evaluation.excludeFaultTails = p.isSet(QStringLiteral("exclude-fault-tails"));
    if (p.isSet(QStringLiteral("row-level-threshold"))) o.operatingPoint = OperatingPointLevel::Rows;
    o.explainTop = int(*top);
    o.threads = int(*threads);
    if (p.isSet(QStringLiteral("rules"))) {
        auto rules = AlertRules::load(p.value(QStringLiteral("rules")));
        if (!rules) {
            error = rules.error().toString();
            return std::nullopt;
        }
        o.rules = std::move(rules).value();
    }
    return o;
}

Result<nlohmann::json> journalIncidents(const QString& command, Store& store, Analysis& analysis, JournalUse use) {
    if (use == JournalUse::Record && store.isReadOnly()) {
        std::fprintf(stderr, "itap %s: note: the database is read-only; the incidents are not recorded in the alarm journal\n",
                     qPrintable(command));
        use = JournalUse::ReadOnly;
    }
    auto summary = applyAlarmJournal(store, analysis, use, QDateTime::currentMSecsSinceEpoch());
    if (!summary)
        return summary.error();
    return nlohmann::json{{"recorded", use == JournalUse::Record},
                          {"incidents", summary->incidents},
                          {"new_alarms", summary->newAlarms},
                          {"journal_rows", summary->journalRows}};
}

QString journalText(const nlohmann::json& block) {
    return QStringLiteral("Alarm journal: %1 incidents recorded (%2 new alarms, %3 journal rows); see 'itap alarms list'")
        .arg(block.value("incidents", 0))
        .arg(block.value("new_alarms", 0))
        .arg(block.value("journal_rows", 0));
}

}  // namespace itap::cli
