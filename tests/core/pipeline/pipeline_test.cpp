// End to end on the simulator: the quality floors of detection and explanation, determinism and thread
// invariance.
#include "common/json_util.h"
#include "evaluate/metrics_json.h"
#include "evaluate/sweep_report.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

using namespace itap;

namespace {

struct Fleet {
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Store> store;
};

Fleet simulateAndIngest(const SimulationProfile& profile) {
    Fleet f;
    f.dir = std::make_unique<QTemporaryDir>();
    const QString csv = f.dir->filePath("fleet.csv");
    const SensorCatalog catalog = SensorCatalog::defaults();
    auto summary = FleetSimulator(profile, catalog).writeCsv(csv);
    if (!summary)
        qFatal("%s", qPrintable(summary.error().toString()));
    auto store = Store::open(f.dir->filePath("fleet.db"), &catalog);
    if (!store)
        qFatal("%s", qPrintable(store.error().toString()));
    f.store = std::move(store).value();
    auto ingested = ingestFile(csv, *f.store, {}, {});
    if (!ingested)
        qFatal("%s", qPrintable(ingested.error().toString()));
    return f;
}

ScoredFleet trainAndScore(Store& store, int threads, const AnalysisOptions& options = {}) {
    TrainConfig config;
    config.threads = threads;
    auto trained = trainModel(store, config, {});
    if (!trained)
        qFatal("%s", qPrintable(trained.error().toString()));
    AnalysisOptions o = options;
    o.threads = threads;
    auto scored = scoreWithModel(store, std::move(trained->model), o, {}, &trained->fleet);
    if (!scored)
        qFatal("%s", qPrintable(scored.error().toString()));
    return std::move(scored).value();
}

}  // namespace

class PipelineTest : public QObject {
    Q_OBJECT
    Fleet fleet_;
    std::optional<ScoredFleet> scored_;

private slots:
    void initTestCase() {
        fleet_ = simulateAndIngest(SimulationProfile::defaults());
        scored_ = trainAndScore(*fleet_.store, 0);
    }

    void everyFlaggedRowIsExplainedAndAlerted() {
        const Analysis& a = scored_->analysis;
        QCOMPARE(a.explanations.size(), a.flagged.size());
        // An incident's flags are flagged rows; excursions shorter than the on-delay raise no incident, so
        // some flags belong to none, and no flag belongs to two.
        int merged = 0;
        for (const Alert& al : a.alerts) merged += al.count;
        QVERIFY(std::size_t(merged) <= a.flagged.size());
        QVERIFY(merged > 0);
        QVERIFY(a.alerts.size() < a.flagged.size() / 10);
        qInfo("%zu flagged rows -> %zu alerts (%.1f%% fewer)", a.flagged.size(), a.alerts.size(),
              100.0 * (1.0 - double(a.alerts.size()) / double(std::max<std::size_t>(1, a.flagged.size()))));
        for (const Explanation& e : a.explanations) {
            double sum = 0;
            for (const auto& fam : e.families) sum += fam.percent;
            QVERIFY(std::abs(sum - 100.0) < 1e-6 || e.families.empty());
        }
    }

    // Same seed and config: the same artifact bytes; and the scores do not depend on the thread count.
    void deterministicAcrossRunsAndThreads() {
        QTemporaryDir out1, out2;
        const AnalysisOptions options;
        ScoredFleet one = trainAndScore(*fleet_.store, 1);
        QVERIFY(writeArtifacts(out1.path(), one.fleet, one.analysis, options).ok());
        QVERIFY(writeArtifacts(out2.path(), scored_->fleet, scored_->analysis, options).ok());
        QCOMPARE(one.fleet.table.score, scored_->fleet.table.score);
        for (const char* name :
             {"metrics.json", "explanations_top.json", "aggregate_summaries.json", "alerts.json"}) {
            QFile a(QDir(out1.path()).filePath(name)), b(QDir(out2.path()).filePath(name));
            QVERIFY(a.open(QIODevice::ReadOnly));
            QVERIFY(b.open(QIODevice::ReadOnly));
            const QByteArray ba = a.readAll();
            QVERIFY(!ba.isEmpty());
            QVERIFY2(ba == b.readAll(), name);
            auto parsed = parseJson(ba, QString::fromLatin1(name));
            QVERIFY(parsed.ok());
            // alerts.json holds incidents since its version 2; the others are at version 1.
            QCOMPARE(parsed->value("schema_version", 0), std::string(name) == "alerts.json" ? 2 : 1);
        }
    }

    // The normal rows within one feature window after a fault episode of their device ("fault tails") are
    // left out of training in the training span (kTrainExcluded) and, by default, evaluated after it (0):
    // every evaluated row counts. No other row is excluded. Returns the evaluated tails.
    static std::size_t checkFaultTails(const ScoredFleet& scored, std::uint8_t evaluatedTail) {
        const ScoreTable& t = scored.fleet.table;
        const int window = FeatureParams{}.window;
        std::size_t trainTails = 0, evalTails = 0, episodes = 0;
        for (std::size_t d = 0; d + 1 < scored.fleet.offset.size(); ++d) {
            int sinceFault = -1;  // rows since the last fault row of this device, -1 before any
            for (std::size_t r = scored.fleet.offset[d]; r < scored.fleet.offset[d + 1]; ++r) {
                if (!t.faultTag[r].isEmpty()) {
                    if (t.train[r] == kTrainExcluded || t.train[r] == kEvalExcluded)
                        return 0;
                    sinceFault = 0;
                    continue;
                }
                if (sinceFault == 0)
                    ++episodes;
                const bool tail = sinceFault >= 0 && sinceFault < window;
                if (sinceFault >= 0)
                    ++sinceFault;
                if (!tail) {
                    if (t.train[r] != 0 && t.train[r] != kTrainSpan)
                        return 0;
                    continue;
                }
                if (t.train[r] == kTrainExcluded)
                    ++trainTails;
                else if (t.train[r] == evaluatedTail)
                    ++evalTails;
                else
                    return 0;
            }
        }
        if (episodes == 0 || trainTails == 0 || trainTails + evalTails > episodes * std::size_t(window))
            return 0;
        return evalTails;
    }

    void faultTailsAreEvaluatedByDefault() {
        const std::size_t evaluated = checkFaultTails(*scored_, 0);
        QVERIFY(evaluated > 0);
        const Metrics& m = scored_->analysis.metrics;
        QVERIFY(!m.excludeFaultTails);
        QCOMPARE(m.excludedFaultTailRows, qint64(0));
        QCOMPARE(m.evaluationRows, qint64(std::count(scored_->fleet.table.train.begin(),
                                                     scored_->fleet.table.train.end(), std::uint8_t(0))));
    }

    // --exclude-fault-tails: the same rows leave the evaluation, counted and named in metrics.json.
    void faultTailsExcludedWhenAsked() {
        AnalysisOptions options;
        options.evaluation.excludeFaultTails = true;
        const ScoredFleet scored = trainAndScore(*fleet_.store, 0, options);
        const std::size_t excluded = checkFaultTails(scored, kEvalExcluded);
        QVERIFY(excluded > 0);
        QCOMPARE(excluded, checkFaultTails(*scored_, 0));
        const Metrics& m = scored.analysis.metrics;
        QVERIFY(m.excludeFaultTails);
        QCOMPARE(m.excludedFaultTailRows, qint64(excluded));
        QCOMPARE(m.evaluationRows + qint64(excluded), scored_->analysis.metrics.evaluationRows);
        QCOMPARE(m.trainingRows, scored_->analysis.metrics.trainingRows);
        const nlohmann::json j = metricsToJson(m);
        QCOMPARE(j["exclude_fault_tails"].get<bool>(), true);
        QCOMPARE(j["excluded_fault_tail_rows"].get<qint64>(), qint64(excluded));
    }

    // --label-free reads no label to pick normal rows: the model trains on every training-span row (labelled
    // anomalies included), no row is excluded after a fault, and the report says so.
    void labelFreeTrainingReadsNoLabel() {
        TrainConfig config;
        config.span.useLabels = false;
        auto trained = trainModel(*fleet_.store, config, {});
        QVERIFY(trained.ok());
        const ScoreTable& t = trained->fleet.table;
        QVERIFY(!t.trainingUsesLabels);
        const auto inSpan = std::count(t.train.begin(), t.train.end(), kTrainSpan);
        QCOMPARE(std::count(t.train.begin(), t.train.end(), kTrainExcluded), std::ptrdiff_t(0));
        QCOMPARE(trained->model.trainRows(), qint64(inSpan));
        // With labels the same span trains on fewer rows: the labelled anomalies and their tails.
        QVERIFY(scored_->model.trainRows() < qint64(inSpan));
        // The model records it, so a later scoring reads the span the same way.
        auto config2 = pipelineConfigFromJson(trained->model.featureConfig(), QStringLiteral("model"));
        QVERIFY(config2.ok());
        QVERIFY(!config2->second.useLabels);

        AnalysisOptions options;
        options.evaluation.thresholdRule = ThresholdRule::LabelFree;
        auto scored = scoreWithModel(*fleet_.store, std::move(trained->model), options, {}, &trained->fleet);
        QVERIFY(scored.ok());
        QVERIFY(!scored->analysis.metrics.trainingUsesLabels);
        QCOMPARE(metricsToJson(scored->analysis.metrics)["training_uses_labels"].get<bool>(), false);
        QVERIFY(
            formatSweepReport(scored->analysis.metrics).contains(QStringLiteral("without reading labels")));
    }

    // A model trained with labels, scored --label-free: the label-free statistics read the whole span.
    void labelFreeScoringForgetsTrainingLabels() {
        AnalysisOptions options;
        options.evaluation.thresholdRule = ThresholdRule::LabelFree;
        const ScoredFleet scored = trainAndScore(*fleet_.store, 0, options);
        const ScoreTable& t = scored.fleet.table;
        QVERIFY(!t.trainingUsesLabels);
        QCOMPARE(std::count(t.train.begin(), t.train.end(), kTrainExcluded), std::ptrdiff_t(0));
        for (std::size_t r = 0; r < t.size(); ++r)
            if (t.train[r] == kTrainSpan)
                QVERIFY(t.isNormalTrainingRow(r));
    }

    void reportHasEverySection() {
        // The sweep names the rule that chose the operating point, not "the operator", and stays narrow.
        const QString sweep = formatSweepReport(scored_->analysis.metrics);
        QVERIFY2(sweep.contains(QStringLiteral("incident level")), qPrintable(sweep));
        QVERIFY(!sweep.contains(QStringLiteral("set by the operator")));
        for (const QString& line : sweep.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= kSweepReportWidth, qPrintable(line));
        const QString report = operatorReport(scored_->fleet, scored_->analysis);
        for (const char* section : {"Threshold", "Top events", "Alarm KPIs", "Incidents", "cause="})
            QVERIFY2(report.contains(QLatin1String(section)), section);
    }

    // Unlabelled data: the threshold comes from the training span alone.
    void unlabelledDataUsesALabelFreeThreshold() {
        ScoredFleet s = *scored_;
        s.fleet.table.hasLabels = false;
        s.fleet.table.faultTag.assign(s.fleet.table.faultTag.size(), QString());
        auto a = analyse(s.fleet, s.model, fleet_.store->catalog(), AnalysisOptions{}, {});
        QVERIFY(a.ok());
        QVERIFY(!a->metrics.groundTruth);
        QVERIFY(a->thresholdRule.startsWith(QLatin1String("label-free")));
        QVERIFY(a->threshold > 0 && a->threshold < 1);
    }
};

QTEST_GUILESS_MAIN(PipelineTest)
#include "pipeline_test.moc"
