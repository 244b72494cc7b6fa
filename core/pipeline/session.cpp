#include "pipeline/session.h"

#include "common/time_util.h"
#include "features/feature_columns.h"
#include "features/feature_engine.h"

#include <nlohmann/json.hpp>

namespace itap {

nlohmann::json pipelineConfigJson(const FeatureParams& features, const TrainSpan& span,
                                  const ScoreFilterParams& filter) {
    return {
        {"features", features.toJson()}, {"train_span", span.toJson()}, {"score_filter", filter.toJson()}};
}

Result<ScoreFilterParams> scoreFilterOf(const AnomalyModel& model) {
    const nlohmann::json& j = model.featureConfig();
    if (!j.is_object() || !j.contains("score_filter"))
        return ScoreFilterParams{};
    return ScoreFilterParams::fromJson(j["score_filter"], QStringLiteral("model"));
}

Result<std::pair<FeatureParams, TrainSpan>> pipelineConfigFromJson(const nlohmann::json& j,
                                                                   const QString& source) {
    if (!j.is_object() || !j.contains("features") || !j.contains("train_span"))
        return Error::badInput(QStringLiteral("model has no pipeline config (features, train_span)"), source);
    auto features = FeatureParams::fromJson(j["features"], source);
    if (!features)
        return features.error();
    auto span = TrainSpan::fromJson(j["train_span"], source);
    if (!span)
        return span.error();
    return std::make_pair(*features, *span);
}

ModelParams trainingParams(const TrainConfig& config, const SensorCatalog& catalog,
                           const FeatureSchema& schema) {
    ModelParams params = config.model;
    params.forest.threads = config.threads;
    params.metadata.catalogHash = catalog.hash();
    params.metadata.featureConfig = pipelineConfigJson(config.features, config.span, config.scoreFilter);
    for (int c = 0; c < schema.size(); ++c) {
        const QString& name = schema.names[std::size_t(c)];
        if (schema.channel[std::size_t(c)] < 0) {
            params.pcaExcluded.push_back(name);
            continue;
        }
        for (const QString& stat : config.ignoredStats)
            if (name.endsWith(QLatin1Char('_') + stat))
                params.ignoredFeatures.push_back(name);
    }
    for (EventStat s : {EventStat::StateRun, EventStat::StateIdle, EventStat::StateMaint})
        params.supportExempt.push_back(eventStatName(s));
    return params;
}

Result<TrainedModel> trainModel(Store& store, const TrainConfig& config, const ProgressFn& progress) {
    if (Status s = config.features.validate(); !s)
        return s.error();
    if (Status s = config.span.validate(); !s)
        return s.error();
    if (Status s = config.scoreFilter.validate(); !s)
        return s.error();
    auto engine = FeatureEngine::create(store.catalog(), config.features);
    if (!engine)
        return engine.error();
    auto fleet = computeFleetFeatures(
        store, *engine, config.span, config.threads,
        [&](qint64 d, qint64 t, const QString& m) { return reportProgress(progress, d, 2 * t, m); });
    if (!fleet)
        return fleet.error();
    auto model = trainOnFleet(*fleet, trainingParams(config, store.catalog(), fleet->schema),
                              [&](qint64 d, qint64 t, const QString& m) {
                                  return reportProgress(progress, t + d, 2 * t,
                                                        m.isEmpty() ? QStringLiteral("training") : m);
                              });
    if (!model)
        return model.error();
    return TrainedModel{std::move(model).value(), std::move(fleet).value()};
}

Result<ScoredFleet> scoreWithModel(Store& store, AnomalyModel model, const AnalysisOptions& options,
                                   const ProgressFn& progress, FleetFeatures* precomputed,
                                   StoreScores storeScores) {
    if (Status s = options.rules.checkFamilies(store.catalog()); !s)
        return s.error();
    auto config = pipelineConfigFromJson(model.featureConfig(), QStringLiteral("model"));
    if (!config)
        return config.error();
    auto engine = FeatureEngine::create(store.catalog(), config->first);
    if (!engine)
        return engine.error();
    if (Status s = model.checkCompatible(store.catalog().hash(), engine->schema().names); !s)
        return s.error();
    auto stage = [&](int k, int n) {
        return [&, k, n](qint64 d, qint64 t, const QString& m) {
            const qint64 total = std::max<qint64>(1, t);
            return reportProgress(progress, k * 1000 + 1000 * d / total, n * 1000, m);
        };
    };
    FleetFeatures fleet;
    if (precomputed) {
        fleet = std::move(*precomputed);
    } else {
        auto computed = computeFleetFeatures(store, *engine, config->second, options.threads, stage(0, 3));
        if (!computed)
            return computed.error();
        fleet = std::move(computed).value();
    }
    // A label-free run never reads a label to pick its normal rows; the evaluation may leave out the rows
    // whose features still see a fault episode, when asked.
    if (options.evaluation.thresholdRule == ThresholdRule::LabelFree)
        forgetTrainingLabels(fleet.table);
    if (options.evaluation.excludeFaultTails && fleet.table.hasLabels)
        excludeEvaluatedFaultTails(fleet, config->first.window);
    if (Status s = scoreFleet(model, fleet, options.threads, stage(1, 3)); !s)
        return s.error();
    auto analysis = analyse(fleet, model, store.catalog(), options, stage(2, 3));
    if (!analysis)
        return analysis.error();
    // Last, in one transaction: a run cancelled or failed before here leaves the stored scores as they were.
    const bool stored = storeScores == StoreScores::IfWritable && !store.isReadOnly();
    if (stored) {
        if (Status s = store.replaceScores(fleet.table); !s)
            return s.error();
    }
    return ScoredFleet{std::move(model), std::move(fleet), std::move(analysis).value(), stored};
}

Result<RecordSummary> applyAlarmJournal(Store& store, Analysis& analysis, JournalUse use, qint64 nowMs) {
    AlarmJournal journal(store);
    RecordSummary summary;
    if (use == JournalUse::Record) {
        auto recorded = journal.record(analysis.alerts, nowMs);
        if (!recorded)
            return recorded.error();
        summary = *recorded;
    } else {
        auto ids = journal.idsOf(analysis.alerts);
        if (!ids)
            return ids.error();
        for (std::size_t i = 0; i < analysis.alerts.size(); ++i) analysis.alerts[i].id = (*ids)[qsizetype(i)];
    }
    QStringList judged;
    for (const auto& a : analysis.alerts)
        if (a.reachesOperator())
            judged << a.id;
    auto verdicts = journal.verdicts(judged);
    if (!verdicts)
        return verdicts.error();
    analysis.verdicts = *verdicts;
    return summary;
}

nlohmann::json scoreSummaryJson(const ScoredFleet& s, const QStringList& artifacts) {
    const Analysis& a = s.analysis;
    const Metrics& m = a.metrics;
    auto opt = [](const std::optional<double>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : artifacts) files.push_back(f.toStdString());
    std::array<int, kSeverityCount> bySeverity{};
    for (const auto& al : a.alerts) ++bySeverity[std::size_t(al.severity)];
    return {{"model_id", s.fleet.table.modelId.toStdString()},
            {"scores_stored", s.scoresStored},
            {"rows", s.fleet.table.size()},
            {"devices", s.fleet.table.devices.size()},
            {"threshold", a.threshold},
            {"threshold_rule", a.thresholdRule.toStdString()},
            {"flagged_rows", a.flagged.size()},
            {"ground_truth", m.groundTruth},
            {"precision", opt(m.precision)},
            {"recall", opt(m.recall)},
            {"f1", opt(m.f1)},
            {"roc_auc", opt(m.rocAuc)},
            {"pr_auc", opt(m.prAuc)},
            {"alerts", a.alerts.size()},
            {"alerts_by_severity",
             {{"INFO", bySeverity[0]}, {"WARNING", bySeverity[1]}, {"CRITICAL", bySeverity[2]}}},
            {"systemic_patterns", a.aggregate.fleet.systemicPatterns},
            {"artifacts", files}};
}

}  // namespace itap
