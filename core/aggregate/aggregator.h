#pragma once

#include "aggregate/aggregate_options.h"
#include "aggregate/aggregate_summary.h"
#include "alerts/alert.h"
#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"

#include <vector>

namespace itap {

/// Per-device summaries, the health leaderboard and fleet patterns from scores, explanations and alerts.
class Aggregator {
public:
    explicit Aggregator(AggregateOptions options = {});

    /// Flagged = score ≥ threshold. `explanations` are matched by row; those of rows not flagged are ignored.
    /// Devices are those of the table plus any device only the alerts name. Fails only on invalid options.
    [[nodiscard]] Result<AggregateSummary> run(const ScoreTable& table, double threshold,
                                               const std::vector<Explanation>& explanations,
                                               const std::vector<Alert>& alerts,
                                               const SensorCatalog& catalog) const;

    /// Fleet patterns of `alerts` alone (also usable on a live alert list).
    [[nodiscard]] static std::vector<FleetPattern> findPatterns(const std::vector<Alert>& alerts,
                                                                const AggregateOptions& options);

    [[nodiscard]] const AggregateOptions& options() const { return options_; }

private:
    AggregateOptions options_;
};

}  // namespace itap
