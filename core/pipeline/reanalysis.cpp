#include "pipeline/reanalysis.h"

#include "aggregate/aggregator.h"
#include "alerts/incident_tracker.h"
#include "evaluate/metrics.h"
#include "explain/explainer.h"

#include <algorithm>
#include <map>

namespace itap {

SensorCatalog catalogFromSchema(const FeatureSchema& schema) {
    std::map<int, QString> familyOfChannel;
    for (int i = 0; i < schema.size(); ++i) {
        const int c = schema.channel[std::size_t(i)];
        const QString& fam = schema.families[std::size_t(i)];
        // Data-quality features of a channel carry a pseudo-family; the channel's own family is the other
        // one.
        if (c >= 0 && fam != family::kMissingness && fam != family::kOperation)
            familyOfChannel.emplace(c, fam);
    }
    std::vector<ChannelSpec> channels;
    for (const auto& [c, fam] : familyOfChannel)
        channels.push_back(ChannelSpec{QStringLiteral("channel_%1").arg(c), QString(), fam, 0, 1});
    return SensorCatalog(std::move(channels));
}

ReanalysisCache ReanalysisCache::build(const ScoreTable& table) {
    ReanalysisCache cache;
    if (auto index = ScoreIndex::build(table))
        cache.index = std::move(index).value();
    if (auto perDevice = DeviceScoreIndexes::build(table))
        cache.perDevice = std::move(perDevice).value();
    cache.scoreStats = ScoreStats::of(table);
    return cache;
}

Analysis reanalyseAt(const FleetFeatures& fleet, const AnomalyModel& model, const Analysis& previous,
                     double threshold, const AnalysisOptions& options, const SensorCatalog& catalog,
                     const ReanalysisCache* cache) {
    const ScoreTable& t = fleet.table;
    Analysis a;
    a.threshold = threshold;
    a.thresholdRule = QStringLiteral("manual");

    std::optional<ReanalysisCache> built;
    if (!cache)
        cache = &built.emplace(ReanalysisCache::build(t));
    if (cache->index) {
        if (auto m = evaluateAt(t, *cache->index, threshold, options.evaluation)) {
            a.metrics = std::move(m).value();
            auto perDevice = cache->perDevice
                                 ? evaluatePerDevice(*cache->perDevice, threshold, options.evaluation)
                                 : evaluatePerDevice(t, threshold, options.evaluation);
            if (perDevice)
                a.metrics.perDevice = std::move(perDevice).value();
        } else {
            a.metrics = previous.metrics;
            a.thresholdRule = QStringLiteral("manual (metrics not re-derived: %1)").arg(m.error().message);
        }
    } else {
        a.metrics = previous.metrics;
        a.thresholdRule = QStringLiteral("manual (metrics not re-derived: invalid score table)");
    }

    a.flagged = t.rowsAtOrAbove(threshold);

    // Reuse what is already explained; previous.flagged is ascending, like a.flagged.
    a.explanations.resize(a.flagged.size());
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < a.flagged.size(); ++i) {
        const std::size_t r = a.flagged[i];
        const auto it = std::lower_bound(previous.flagged.begin(), previous.flagged.end(), r);
        const auto k = std::size_t(it - previous.flagged.begin());
        if (it != previous.flagged.end() && *it == r && k < previous.explanations.size() &&
            previous.explanations[k].row == r) {
            a.explanations[i] = previous.explanations[k];
        } else {
            missing.push_back(i);
        }
    }
    if (!missing.empty()) {
        std::vector<ExplainRequest> requests;
        requests.reserve(missing.size());
        for (std::size_t i : missing) {
            const std::size_t r = a.flagged[i];
            requests.push_back({r, t.devices.at(t.device[r]), fleet.featureRow(r), t.state[r]});
        }
        std::vector<Explanation> fresh =
            Explainer(model, fleet.schema).explainRows(requests, options.threads);
        for (std::size_t k = 0; k < missing.size(); ++k) a.explanations[missing[k]] = std::move(fresh[k]);
    }

    // The filtered scores and the KPIs' inputs do not depend on the threshold: the previous analysis of this
    // fleet has them.
    a.incidentInputs =
        previous.incidentInputs && previous.incidentInputs->fits(fleet, options.rules.incidents())
            ? previous.incidentInputs
            : IncidentInputs::of(fleet, options.rules.incidents(), model.signalLimits());
    deriveIncidents(a, fleet, options.rules);
    if (auto agg = Aggregator(options.aggregate)
                       .run(t, cache->scoreStats, threshold, a.flagged, a.explanations, a.alerts, catalog)) {
        a.aggregate = std::move(agg).value();
    } else {
        // Only invalid options fail here, and they were valid for the first analysis: keep its summary.
        a.aggregate = previous.aggregate;
    }
    return a;
}

Analysis reanalyseAt(const FleetFeatures& fleet, const AnomalyModel& model, const Analysis& previous,
                     double threshold, const AnalysisOptions& options) {
    return reanalyseAt(fleet, model, previous, threshold, options, catalogFromSchema(fleet.schema));
}

}  // namespace itap
