#pragma once

#include "common/sensor_catalog.h"
#include "evaluate/metrics.h"
#include "evaluate/score_index.h"
#include "model/anomaly_model.h"
#include "pipeline/analysis.h"

namespace itap {

/// Re-derives everything that depends on the threshold (the operator's slider): metrics through
/// evaluateAt, the flagged rows, their explanations, the alerts (AlertEngine::run) and the aggregation
/// (Aggregator::run), exactly as analyse() would with a manual threshold.
///
/// Explanations of rows that `previous` already explained are reused, so raising the threshold costs no
/// explaining at all and lowering it explains only the rows that became flagged. `index`, when given, must
/// have been built from fleet.table (building it is the O(n log n) part; keep one for repeated calls); so must
/// `deviceIndexes`, which the per-device metrics need (without it every call sorts each device's rows).
/// `catalog` supplies the catalog families the fleet summary lists. Pure and thread-safe: may run on a
/// worker. On an error (a malformed table) the metrics stay those of `previous` and thresholdRule says why.
[[nodiscard]] Analysis reanalyseAt(const FleetFeatures& fleet, const AnomalyModel& model,
                                   const Analysis& previous, double threshold, const AnalysisOptions& options,
                                   const SensorCatalog& catalog, const ScoreIndex* index = nullptr,
                                   const DeviceScoreIndexes* deviceIndexes = nullptr);

/// As above, with the catalog families recovered from the feature schema (every catalog channel has features,
/// so the families and their order are the catalog's).
[[nodiscard]] Analysis reanalyseAt(const FleetFeatures& fleet, const AnomalyModel& model,
                                   const Analysis& previous, double threshold,
                                   const AnalysisOptions& options);

/// A catalog whose channels carry the families of the schema's channels, in catalog order (names and units
/// are placeholders): enough for everything that only groups by family.
[[nodiscard]] SensorCatalog catalogFromSchema(const FeatureSchema& schema);

}  // namespace itap
