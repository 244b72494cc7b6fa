#pragma once

#include "aggregate/aggregator.h"
#include "common/sensor_catalog.h"
#include "evaluate/metrics.h"
#include "evaluate/score_index.h"
#include "model/anomaly_model.h"
#include "pipeline/analysis.h"

#include <optional>

namespace itap {

/// What reanalyseAt() reuses from one threshold to the next on one fleet. Building it is the O(n log n) part
/// (sorting the scores, fleet-wide and per device) plus one pass over every row; build it once per fleet.
struct ReanalysisCache {
    std::optional<ScoreIndex> index;              ///< empty when the table is malformed
    std::optional<DeviceScoreIndexes> perDevice;  ///< likewise
    ScoreStats scoreStats;                        ///< the aggregation's threshold-independent part

    [[nodiscard]] static ReanalysisCache build(const ScoreTable& table);
};

/// Re-derives everything that depends on the threshold (the operator's slider): metrics through
/// evaluateAt, the flagged rows, their explanations, the incidents and KPIs (deriveIncidents) and the
/// aggregation (Aggregator::run), exactly as analyse() would with a manual threshold.
///
/// Explanations of rows that `previous` already explained are reused, so raising the threshold costs no
/// explaining at all and lowering it explains only the rows that became flagged. `cache`, when given, must
/// have been built from fleet.table; without it every call builds one. `catalog` supplies the catalog
/// families the fleet summary lists. Pure and thread-safe: may run on a worker. On an error (a malformed
/// table) the metrics stay those of `previous` and thresholdRule says why.
[[nodiscard]] Analysis reanalyseAt(const FleetFeatures& fleet, const AnomalyModel& model,
                                   const Analysis& previous, double threshold, const AnalysisOptions& options,
                                   const SensorCatalog& catalog, const ReanalysisCache* cache = nullptr);

/// As above, with the catalog families recovered from the feature schema (every catalog channel has features,
/// so the families and their order are the catalog's).
[[nodiscard]] Analysis reanalyseAt(const FleetFeatures& fleet, const AnomalyModel& model,
                                   const Analysis& previous, double threshold,
                                   const AnalysisOptions& options);

/// A catalog whose channels carry the families of the schema's channels, in catalog order (names and units
/// are placeholders): enough for everything that only groups by family.
[[nodiscard]] SensorCatalog catalogFromSchema(const FeatureSchema& schema);

}  // namespace itap
