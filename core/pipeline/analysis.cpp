#include "pipeline/analysis.h"

#include "aggregate/aggregate_report.h"
#include "aggregate/aggregator.h"
#include "alarms/alarm_journal.h"
#include "alerts/alert_report.h"
#include "alerts/incident_engine.h"
#include "common/json_util.h"
#include "common/time_util.h"
#include "evaluate/metrics_json.h"
#include "evaluate/sweep_report.h"
#include "explain/explainer.h"
#include "model/parallel.h"
#include "pipeline/operating_point.h"
#include "pipeline/session.h"

#include <QDir>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

namespace itap {
namespace {

// Marks the training span of one device's rows [begin, end) in `train`.
void markTrainSpan(const TrainSpan& span, const std::vector<qint64>& ts, std::vector<std::uint8_t>& train,
                   std::size_t begin) {
    const std::size_t n = ts.size();
    if (n == 0)
        return;
    switch (span.kind) {
        case TrainSpan::Kind::Fraction: {
            // By time, not by row count: a device that was offline for a while still trains on its first 70 %
            // of time.
            const double cut = double(ts.front()) + span.fraction * double(ts.back() - ts.front());
            for (std::size_t i = 0; i < n; ++i) train[begin + i] = double(ts[i]) <= cut ? 1 : 0;
            break;
        }
        case TrainSpan::Kind::Rows:
            for (std::size_t i = 0; i < n; ++i) train[begin + i] = qint64(i) < span.rows ? 1 : 0;
            break;
        case TrainSpan::Kind::Until:
            for (std::size_t i = 0; i < n; ++i) train[begin + i] = ts[i] <= span.untilMs ? 1 : 0;
            break;
        case TrainSpan::Kind::Duration:
            for (std::size_t i = 0; i < n; ++i)
                train[begin + i] = ts[i] - ts.front() < span.durationMs ? 1 : 0;
            break;
    }
}

}  // namespace

Status TrainSpan::validate() const {
    switch (kind) {
        case Kind::Fraction:
            if (!(fraction > 0 && fraction <= 1))
                return Error::badInput(
                    QStringLiteral("train fraction must be in (0, 1], got %1").arg(fraction));
            break;
        case Kind::Rows:
            if (rows < 1)
                return Error::badInput(QStringLiteral("train rows must be at least 1"));
            break;
        case Kind::Until:
            break;
        case Kind::Duration:
            if (durationMs < 1000)
                return Error::badInput(QStringLiteral("train duration must be at least 1 s"));
            break;
    }
    return {};
}

nlohmann::json TrainSpan::toJson() const {
    nlohmann::json j;
    switch (kind) {
        case Kind::Fraction:
            j = {{"kind", "fraction"}, {"fraction", fraction}};
            break;
        case Kind::Rows:
            j = {{"kind", "rows"}, {"rows", rows}};
            break;
        case Kind::Until:
            j = {{"kind", "until"}, {"until", formatUtcTimestamp(untilMs).toStdString()}};
            break;
        case Kind::Duration:
            j = {{"kind", "duration"}, {"seconds", double(durationMs) / 1000.0}};
            break;
    }
    if (!useLabels)  // only then: a model trained with labels keeps the bytes (and the id) it always had
        j["use_labels"] = false;
    return j;
}

Result<TrainSpan> TrainSpan::fromJson(const nlohmann::json& j, const QString& source) {
    TrainSpan span;
    const std::string kind =
        j.is_object() && j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
    JsonReader r(j, source, QStringLiteral("train_span"));
    if (kind == "fraction") {
        auto f = r.number("fraction");
        if (!f)
            return f.error();
        span.fraction = *f;
    } else if (kind == "rows") {
        auto n = r.integer("rows");
        if (!n)
            return n.error();
        span.kind = Kind::Rows;
        span.rows = *n;
    } else if (kind == "until") {
        auto s = r.string("until");
        if (!s)
            return s.error();
        const auto ms = parseUtcTimestamp(QStringView(*s));
        if (!ms)
            return r.error("until", QStringLiteral("not a UTC timestamp"));
        span.kind = Kind::Until;
        span.untilMs = *ms;
    } else if (kind == "duration") {
        auto s = r.number("seconds");
        if (!s)
            return s.error();
        if (!(*s >= 1 && *s <= 1e12))
            return r.error("seconds", QStringLiteral("must be at least 1"));
        span.kind = Kind::Duration;
        span.durationMs = std::llround(*s * 1000.0);
    } else {
        return r.error("kind", QStringLiteral("expected \"fraction\", \"rows\", \"until\" or \"duration\""));
    }
    if (r.has("use_labels")) {
        if (!j["use_labels"].is_boolean())
            return r.error("use_labels", QStringLiteral("expected true or false"));
        span.useLabels = j["use_labels"].get<bool>();
    }
    if (Status s = span.validate(); !s)
        return Error::badInput(s.error().message, source);
    return span;
}

// Normal rows less than one feature window after the end of a fault episode of their device: their features
// are still computed from the episode's samples. In the training span they are not normal training rows
// (kTrainExcluded, marked when the training uses labels); after it they are evaluated like any other row
// unless the evaluation is asked to leave them out (kEvalExcluded). Rows of [begin, end) marked `from` become
// `to`.
namespace {
qint64 markFaultTails(ScoreTable& t, std::size_t begin, std::size_t end, int window, std::uint8_t from,
                      std::uint8_t to) {
    int left = 0;
    qint64 marked = 0;
    for (std::size_t r = begin; r < end; ++r) {
        if (!t.faultTag[r].isEmpty()) {
            left = window;
            continue;
        }
        if (left > 0) {
            if (t.train[r] == from) {
                t.train[r] = to;
                ++marked;
            }
            --left;
        }
    }
    return marked;
}
}  // namespace

qint64 excludeEvaluatedFaultTails(FleetFeatures& fleet, int window) {
    qint64 marked = 0;
    for (std::size_t d = 0; d + 1 < fleet.offset.size(); ++d)
        marked += markFaultTails(fleet.table, fleet.offset[d], fleet.offset[d + 1], window, 0, kEvalExcluded);
    return marked;
}

void forgetTrainingLabels(ScoreTable& table) {
    table.trainingUsesLabels = false;
    for (std::uint8_t& t : table.train)
        if (t == kTrainExcluded)
            t = kTrainSpan;
}

const float* FleetFeatures::featureRow(std::size_t tableRow) const {
    const auto it = std::upper_bound(offset.begin(), offset.end(), tableRow);
    const std::size_t d = static_cast<std::size_t>(it - offset.begin()) - 1;
    return perDevice[d].row(tableRow - offset[d]);
}

Result<FleetFeatures> computeFleetFeatures(Store& store, const FeatureEngine& engine, const TrainSpan& span,
                                           int threads, const ProgressFn& progress) {
    if (Status s = span.validate(); !s)
        return s.error();
    auto devices = store.devices();
    if (!devices)
        return devices.error();
    if (devices->isEmpty())
        return Error::badInput(QStringLiteral("the database holds no telemetry"), store.description());
    auto labelled = store.hasLabels();
    if (!labelled)
        return labelled.error();

    FleetFeatures fleet;
    fleet.schema = engine.schema();
    fleet.table.devices = *devices;
    fleet.table.hasLabels = *labelled;
    const int deviceCount = static_cast<int>(devices->size());
    fleet.perDevice.resize(static_cast<std::size_t>(deviceCount));
    std::vector<DeviceSeries> series(static_cast<std::size_t>(deviceCount));

    // The store is read on this thread (a QtSql connection belongs to its thread); features are computed on
    // the workers while the next device is read. At most 2 × threads read devices wait to start.
    fleet.catalog = store.catalog();
    std::vector<std::vector<SignalRun>> runs(static_cast<std::size_t>(deviceCount));
    std::atomic<int> done{0};
    const int workers = resolveThreadCount(threads);
    WorkerPool pool(workers, 2 * static_cast<std::size_t>(workers), [&](std::size_t d) {
        fleet.perDevice[d] = engine.compute(series[d]);
        runs[d] = scanSignalRuns(series[d], fleet.catalog, 0);  // device rows; offset when assembled
        // The table below needs only the timestamps, states and tags: the raw channels go now, not after
        // every device is done (10.4M rows: ≈ 0.5 GB of doubles held to the end otherwise).
        series[d].channels = {};
        series[d].errorCode = {};
        done.fetch_add(1);
    });
    for (int d = 0; d < deviceCount; ++d) {
        auto s = store.readDevice(devices->at(d));
        if (!s) {
            pool.finish();
            return s.error();
        }
        series[std::size_t(d)] = std::move(s).value();
        pool.push(std::size_t(d));
        if (!reportProgress(progress, done.load(), deviceCount,
                            QStringLiteral("features of %1").arg(devices->at(d)))) {
            pool.finish();
            return Error::cancelled();
        }
    }
    pool.finish();

    // Assemble the table in device order.
    std::size_t total = 0;
    for (const auto& s : series) total += s.size();
    ScoreTable& t = fleet.table;
    t.device.reserve(total);
    t.tsMs.reserve(total);
    t.state.reserve(total);
    t.faultTag.reserve(total);
    t.train.assign(total, 0);
    fleet.offset.reserve(std::size_t(deviceCount) + 1);
    for (int d = 0; d < deviceCount; ++d) {
        auto& s = series[std::size_t(d)];
        fleet.offset.push_back(t.tsMs.size());
        for (SignalRun run : runs[std::size_t(d)]) {
            run.begin += t.tsMs.size();
            run.end += t.tsMs.size();
            fleet.signalRuns.push_back(run);
        }
        runs[std::size_t(d)] = {};
        markTrainSpan(span, s.tsMs, t.train, t.tsMs.size());
        t.device.insert(t.device.end(), s.size(), d);
        t.tsMs.insert(t.tsMs.end(), s.tsMs.begin(), s.tsMs.end());
        t.state.insert(t.state.end(), s.state.begin(), s.state.end());
        t.faultTag.append(s.faultTag);
        s = DeviceSeries{};  // free as we go
        if (span.useLabels)
            markFaultTails(t, fleet.offset.back(), t.tsMs.size(), engine.params().window, kTrainSpan,
                           kTrainExcluded);
    }
    t.trainingUsesLabels = span.useLabels;
    fleet.offset.push_back(t.tsMs.size());
    t.score.assign(total, 0.0F);
    reportProgress(progress, deviceCount, deviceCount, QStringLiteral("features done"));
    return fleet;
}

Result<AnomalyModel> trainOnFleet(const FleetFeatures& fleet, ModelParams params,
                                  const ProgressFn& progress) {
    const ScoreTable& t = fleet.table;
    const int cols = fleet.schema.size();
    std::vector<const float*> picked;
    std::vector<OpState> states;
    std::vector<int> devices;
    qint64 fromMs = std::numeric_limits<qint64>::max();
    qint64 toMs = std::numeric_limits<qint64>::min();
    // The training rows are read in place through a FeatureRows view: copying them held ~70 % of the feature
    // matrix twice (10.4M rows: 4.0 GB of features + 2.8 GB of copies; issue 8). Sized once.
    std::size_t trainRows = 0;
    for (std::size_t r = 0; r < t.size(); ++r) trainRows += t.isNormalTrainingRow(r) ? 1 : 0;
    picked.reserve(trainRows);
    states.reserve(trainRows);
    devices.reserve(trainRows);
    // Device by device, so each row's features are found without a search.
    for (std::size_t d = 0; d < fleet.perDevice.size(); ++d) {
        for (std::size_t r = fleet.offset[d]; r < fleet.offset[d + 1]; ++r) {
            if (!t.isNormalTrainingRow(r))
                continue;
            picked.push_back(fleet.perDevice[d].row(r - fleet.offset[d]));
            states.push_back(t.state[r]);
            devices.push_back(t.device[r]);
            fromMs = std::min(fromMs, t.tsMs[r]);
            toMs = std::max(toMs, t.tsMs[r]);
        }
    }
    const FeatureRows x(cols, std::move(picked));
    if (x.rows() == 0)
        return Error::badInput(
            QStringLiteral("no normal rows in the training span: widen it (--train-fraction, "
                           "--train-rows or --train-until)"));
    params.metadata.featureNames = fleet.schema.names;
    params.metadata.trainFromMs = fromMs;
    params.metadata.trainToMs = toMs;
    auto model = AnomalyModel::train(x, states, devices, t.devices, params, progress);
    if (model)
        model->setSignalLimits(SignalLimits::learn(fleet.signalRuns, t, fleet.catalog));
    return model;
}

Status scoreFleet(const AnomalyModel& trained, FleetFeatures& fleet, int threads,
                  const ProgressFn& progress) {
    // The catalog was checked by the caller (scoreWithModel); here only the feature layout matters.
    if (Status s = trained.checkCompatible(trained.catalogHash(), fleet.schema.names); !s)
        return s;
    const auto filter = scoreFilterOf(trained);
    if (!filter)
        return filter.error();
    // Parallel over devices here, so each device scores on one thread (no nested pools).
    AnomalyModel model = trained;
    model.setScoringThreads(1);
    ScoreTable& t = fleet.table;
    t.score.assign(t.size(), 0.0F);
    t.modelId = trained.modelId();
    const int deviceCount = static_cast<int>(fleet.perDevice.size());
    std::atomic<int> done{0};
    std::atomic<bool> cancelled{false};
    const auto caller = std::this_thread::get_id();
    parallelFor(static_cast<std::size_t>(deviceCount), 1, resolveThreadCount(threads),
                [&](std::size_t first, std::size_t last) {
                    for (std::size_t d = first; d < last && !cancelled.load(); ++d) {
                        const std::size_t begin = fleet.offset[d];
                        const std::size_t end = fleet.offset[d + 1];
                        std::vector<OpState> states(t.state.begin() + std::ptrdiff_t(begin),
                                                    t.state.begin() + std::ptrdiff_t(end));
                        model.score(t.devices.at(static_cast<int>(d)), fleet.perDevice[d], states,
                                    t.score.data() + begin);
                        filterScores(*filter, t.tsMs.data() + begin, t.score.data() + begin, end - begin);
                        const int finished = done.fetch_add(1) + 1;
                        // The progress callback belongs to the calling thread, which scores devices too.
                        if (std::this_thread::get_id() == caller &&
                            !reportProgress(progress, finished, deviceCount, QStringLiteral("scoring")))
                            cancelled = true;
                    }
                });
    if (cancelled)
        return Error::cancelled();
    reportProgress(progress, deviceCount, deviceCount, QStringLiteral("scoring done"));
    return {};
}

Result<Analysis> analyse(const FleetFeatures& fleet, const AnomalyModel& model, const SensorCatalog& catalog,
                         const AnalysisOptions& options, const ProgressFn& progress) {
    if (options.explainTop < 1 || options.explainTop > 100000)
        return Error::badInput(QStringLiteral("explain-top must be in [1, 100000]"));
    const ScoreTable& t = fleet.table;
    Analysis a;
    reportProgress(progress, 0, 4, QStringLiteral("evaluating"));
    auto metrics = evaluate(t, options.evaluation);
    if (!metrics)
        return metrics.error();
    const ThresholdSelection& selection = metrics->selection;
    a.incidentInputs = IncidentInputs::of(fleet, options.rules.incidents(), model.signalLimits());
    const std::vector<float>& filtered = a.incidentInputs->filtered;
    std::optional<IncidentOperatingPoint> point;
    if (!options.threshold && selection.threshold &&
        options.operatingPoint == OperatingPointLevel::Incidents) {
        const bool labelFree = options.evaluation.thresholdRule == ThresholdRule::LabelFree ||
                               selection.rule == SelectionRule::LabelFree;
        // The label rule judges the incidents the operator gets, instrument diagnostics included. The budget
        // spends itself on what the threshold controls: a diagnostic raises its incident at any threshold, so
        // counting it would only shrink the budget left for the detector (to nothing, when a sensor drops out
        // in the training span) without telling two thresholds apart.
        point = labelFree ? chooseIncidentThresholdByBudget(t, filtered, options.rules, options.threads)
                          : chooseIncidentThresholdByLabels(t, filtered, options.rules, options.threads,
                                                            a.incidentInputs->diagnostics);
        a.operatingCurve = point->curve;
        if (!point->threshold)
            point.reset();
    }
    if (options.threshold || !selection.threshold || point) {
        // The operator's threshold, the incident-level operating point, or none could be chosen (no normal
        // row in the training span): flag nothing rather than make one up.
        a.threshold = point ? *point->threshold : thresholdOrNone(options.threshold);
        a.thresholdRule = point               ? point->rule
                          : options.threshold ? QStringLiteral("manual")
                                              : QStringLiteral("none (no normal rows in the training span)");
        auto index = ScoreIndex::build(t);
        if (!index)
            return index.error();
        auto at = evaluateAt(t, *index, a.threshold, options.evaluation);
        if (!at)
            return at.error();
        a.metrics = std::move(at).value();
        if (point)
            a.metrics.operatingPointRule = point->rule;
    } else {
        // No incident-level point could be chosen (e.g. no evaluated fault episode): the row-level rule's.
        a.threshold = *selection.threshold;
        a.thresholdRule = selection.rule == SelectionRule::LabelFree
                              ? QStringLiteral("label-free (%1)").arg(labelFreeRuleText(options.evaluation))
                              : QStringLiteral("evaluation (%1)").arg(selectionRuleName(selection.rule));
        a.metrics = std::move(metrics).value();
    }

    auto perDevice = evaluatePerDevice(t, a.threshold, options.evaluation);
    if (!perDevice)
        return perDevice.error();
    a.metrics.perDevice = std::move(perDevice).value();

    a.flagged = t.rowsAtOrAbove(a.threshold);

    if (!reportProgress(progress, 1, 4, QStringLiteral("explaining %1 flagged rows").arg(a.flagged.size())))
        return Error::cancelled();
    const Explainer explainer(model, fleet.schema);
    a.explanations.resize(a.flagged.size());
    parallelFor(a.flagged.size(), 64, resolveThreadCount(options.threads),
                [&](std::size_t begin, std::size_t end) {
                    for (std::size_t i = begin; i < end; ++i) {
                        const std::size_t r = a.flagged[i];
                        a.explanations[i] =
                            explainer.explain(r, t.devices.at(t.device[r]), fleet.featureRow(r), t.state[r]);
                    }
                });

    if (!reportProgress(progress, 2, 4, QStringLiteral("raising incidents")))
        return Error::cancelled();
    deriveIncidents(a, fleet, options.rules);

    if (!reportProgress(progress, 3, 4, QStringLiteral("aggregating")))
        return Error::cancelled();
    auto agg = Aggregator(options.aggregate)
                   .run(t, ScoreStats::of(t), a.threshold, a.flagged, a.explanations, a.alerts, catalog);
    if (!agg)
        return agg.error();
    a.aggregate = std::move(agg).value();
    reportProgress(progress, 4, 4, QStringLiteral("analysis done"));
    return a;
}

std::shared_ptr<const IncidentInputs> IncidentInputs::of(const FleetFeatures& fleet,
                                                         const IncidentParams& params,
                                                         const SignalLimits& limits) {
    auto in = std::make_shared<IncidentInputs>();
    in->filtered = filterIncidentScores(fleet.table, params);
    if (params.instrumentDiagnostics)
        in->diagnostics = signalDiagnostics(fleet.signalRuns, fleet.table, limits, params.diagnosticFactor,
                                            params.diagnosticMinMs());
    in->kpi = KpiInputs::of(fleet.table);
    std::vector<double> normal;
    for (std::size_t r = 0; r < in->filtered.size() && r < fleet.table.train.size(); ++r)
        if (fleet.table.isNormalTrainingRow(r))
            normal.push_back(double(in->filtered[r]));
    if (normal.size() >= IncidentInputs::kMinNormalTailRows)
        in->normalTail = std::make_shared<const TailCalibration>(TailCalibration::fit(std::move(normal)));
    in->params = params;
    return in;
}

void deriveIncidents(Analysis& a, const FleetFeatures& fleet, const AlertRules& rules) {
    const ScoreTable& t = fleet.table;
    const IncidentInputs& in = *a.incidentInputs;
    IncidentList list = IncidentEngine(rules).run(t, in.filtered, a.threshold, a.flagged, a.explanations,
                                                  fleet.schema, in.diagnostics, in.normalTail);
    a.alerts = std::move(list.incidents);
    a.fleetIncidents = std::move(list.fleet);
    const qint64 tolerance = rules.incidents().matchToleranceMs();
    a.kpis = computeAlarmKpis(a.alerts, a.fleetIncidents, t, in.kpi, tolerance, KpiScope::All);
    a.kpisEvaluated =
        computeAlarmKpis(a.alerts, a.fleetIncidents, t, in.kpi, tolerance, KpiScope::Evaluation);
}

namespace {

std::vector<std::size_t> topFlagged(const FleetFeatures& fleet, const Analysis& a, int n) {
    std::vector<std::size_t> order(a.flagged.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto& score = fleet.table.score;
    const std::size_t k = std::min<std::size_t>(order.size(), std::size_t(n));
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(),
                      [&](std::size_t x, std::size_t y) {
                          const float sx = score[a.flagged[x]], sy = score[a.flagged[y]];
                          return sx != sy ? sx > sy : a.flagged[x] < a.flagged[y];
                      });
    order.resize(k);
    return order;  // indices into a.flagged / a.explanations
}

nlohmann::json explanationJson(const FleetFeatures& fleet, const Analysis& a, std::size_t i) {
    const ScoreTable& t = fleet.table;
    const std::size_t r = a.flagged[i];
    const Explanation& e = a.explanations[i];
    nlohmann::json features = nlohmann::json::array();
    for (const auto& f : e.features) {
        features.push_back({{"feature", fleet.schema.names[std::size_t(f.feature)].toStdString()},
                            {"family", fleet.schema.families[std::size_t(f.feature)].toStdString()},
                            {"percent", f.percent}});
    }
    nlohmann::json families = nlohmann::json::array();
    for (const auto& f : e.families)
        families.push_back({{"family", f.family.toStdString()}, {"percent", f.percent}});
    return {{"row", r},
            {"device_id", t.devices.at(t.device[r]).toStdString()},
            {"timestamp", formatUtcTimestamp(t.tsMs[r]).toStdString()},
            {"state", opStateName(t.state[r]).toStdString()},
            {"score", double(t.score[r])},
            {"fault_tag",
             t.faultTag[r].isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(t.faultTag[r].toStdString())},
            {"families", families},
            {"context_percent", e.contextPercent},
            {"detector", scoreSourceName(e.detector).toStdString()},
            {"features", features}};
}

}  // namespace

QString operatorReport(const FleetFeatures& fleet, const Analysis& a, int topEvents, int maxAlerts) {
    const ScoreTable& t = fleet.table;
    QString out;
    out += QStringLiteral("== Threshold %1 (%2): %3 of %4 rows flagged\n\n")
               .arg(a.threshold, 0, 'f', 4)
               .arg(a.thresholdRule)
               .arg(a.flagged.size())
               .arg(t.size());
    out += formatSweepReport(a.metrics);
    if (!out.endsWith(QLatin1Char('\n')))
        out += QLatin1Char('\n');
    out += QStringLiteral("\n== Top events\n");
    for (std::size_t i : topFlagged(fleet, a, topEvents)) {
        const std::size_t r = a.flagged[i];
        const Explanation& e = a.explanations[i];
        const QString context = contextShareText(e.contextPercent);
        out +=
            QStringLiteral("%1 | %2 | %3 | score=%4 (%7) | %5%6\n")
                .arg(formatUtcTimestampHuman(t.tsMs[r]), t.devices.at(t.device[r]), opStateName(t.state[r]))
                .arg(double(t.score[r]), 0, 'f', 4)
                .arg(topFamiliesText(e.families) +
                     (context.isEmpty() ? QString() : QStringLiteral(" (+ %1)").arg(context)))
                .arg(t.faultTag[r].isEmpty() ? QString() : QStringLiteral(" | tag=") + t.faultTag[r])
                .arg(scoreSourceName(e.detector));
        for (std::size_t k = 0; k < std::min<std::size_t>(3, e.features.size()); ++k)
            out += QStringLiteral("    %1: %2%\n")
                       .arg(fleet.schema.names[std::size_t(e.features[k].feature)])
                       .arg(e.features[k].percent, 0, 'f', 1);
    }
    out += QLatin1Char('\n');
    out += formatAggregateReport(a.aggregate);
    if (!out.endsWith(QLatin1Char('\n')))
        out += QLatin1Char('\n');

    // The operator's list: what was annunciated, most urgent first; events and suppressed alarms are counted.
    std::vector<const Alert*> alerts;
    for (const auto& al : a.alerts)
        if (al.reachesOperator())
            alerts.push_back(&al);
    std::stable_sort(alerts.begin(), alerts.end(), [](const Alert* x, const Alert* y) {
        if (x->severity != y->severity)
            return x->severity > y->severity;
        return x->peakScore > y->peakScore;
    });
    out += QStringLiteral(
               "\n== Incidents: %1 from %2 flagged rows; %3 annunciated (%4 alone, %5 in %6 fleet "
               "incidents), the rest events or suppressed\n")
               .arg(a.alerts.size())
               .arg(a.flagged.size())
               .arg(a.kpis.annunciated)
               .arg(a.kpis.annunciated - a.kpis.fleetIncidents)
               .arg(a.kpis.carriedByFleet)
               .arg(a.kpis.fleetIncidents);
    for (const FleetIncident& f : a.fleetIncidents)
        out += QStringLiteral("FLEET %1 | %2 | %3 devices: %4\n")
                   .arg(severityName(f.severity), formatUtcTimestampHuman(f.raisedMs),
                        QString::number(f.devices.size()),
                        f.cause + QStringLiteral(" on ") + f.devices.join(QStringLiteral(", ")));
    for (std::size_t i = 0; i < alerts.size() && int(i) < maxAlerts; ++i)
        out += formatAlert(*alerts[i]) + QLatin1Char('\n');
    if (int(alerts.size()) > maxAlerts)
        out += QStringLiteral("... and %1 more in alerts.json\n").arg(int(alerts.size()) - maxAlerts);
    // The report ends with what the shift lead reads first: the alarm KPIs.
    out += QLatin1Char('\n') + formatAlarmKpis(a.kpis);
    if (t.hasLabels)
        out += QLatin1Char('\n') + formatAlarmKpis(a.kpisEvaluated);
    return out;
}

QStringList artifactFileNames() {
    return {QStringLiteral("metrics.json"), QStringLiteral("explanations_top.json"),
            QStringLiteral("aggregate_summaries.json"), QStringLiteral("alerts.json")};
}

Result<QStringList> writeArtifacts(const QString& dir, const FleetFeatures& fleet, const Analysis& a,
                                   const AnalysisOptions& options) {
    if (!QDir().mkpath(dir))
        return Error::failure(QStringLiteral("cannot create the artifacts directory"), dir);
    const QStringList names = artifactFileNames();
    const nlohmann::json modelId = fleet.table.modelId.isEmpty()
                                       ? nlohmann::json(nullptr)
                                       : nlohmann::json(fleet.table.modelId.toStdString());
    QStringList written;
    auto write = [&](int artifact, nlohmann::json j) -> Status {
        const QString path = QDir(dir).filePath(names[artifact]);
        j["model_id"] = modelId;
        if (Status s = writeFileAtomic(path, toJsonBytes(j)); !s)
            return s;
        written << path;
        return {};
    };
    nlohmann::json metrics = metricsToJson(a.metrics);
    metrics["threshold_rule"] = a.thresholdRule.toStdString();
    metrics["operating_threshold"] = a.threshold;
    if (a.verdicts)
        metrics["alarm_verdicts"] = verdictSummaryJson(*a.verdicts);
    if (Status s = write(0, std::move(metrics)); !s)
        return s.error();

    nlohmann::json top = nlohmann::json::array();
    for (std::size_t i : topFlagged(fleet, a, options.explainTop))
        top.push_back(explanationJson(fleet, a, i));
    nlohmann::json explanations = {
        {"schema_version", 1},
        {"method",
         "the carrying detector's attribution (`detector`): path-length decomposition over the "
         "isolation forest, or the T2 / Q contribution plot of the PCA monitor (see README)"},
        {"threshold", a.threshold},
        {"flagged_rows", a.flagged.size()},
        {"events", top}};
    if (Status s = write(1, std::move(explanations)); !s)
        return s.error();
    if (Status s = write(2, aggregateToJson(a.aggregate)); !s)
        return s.error();
    if (Status s = write(
            3, alertsToJson(a.alerts, a.fleetIncidents, a.kpis, a.kpisEvaluated, options.rules, a.threshold));
        !s)
        return s.error();
    return written;
}

}  // namespace itap
