#pragma once

#include "aggregate/aggregate_options.h"
#include "aggregate/aggregate_summary.h"
#include "alerts/alert.h"
#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"

#include <span>
#include <vector>

namespace itap {

/// What the aggregation needs from a score table that does not depend on the threshold: the device slots
/// (the table's devices in order, then a `device#N` slot per invalid device index in order of appearance) and
/// each slot's row count and score statistics. Computing it is the O(n) pass over every row; a caller that
/// re-aggregates one table at many thresholds (the console's slider) computes it once.
struct ScoreStats {
    struct Slot {
        QString device;
        std::size_t rows = 0;
        std::size_t finite = 0;  ///< rows with a finite score: what mean, p95 and max are over
        double meanScore = 0, p95Score = 0, maxScore = 0;
    };
    std::vector<Slot> devices;  ///< one per device slot
    std::vector<std::size_t> tableSlot;         ///< slot of each of table.devices
    std::vector<std::pair<int, std::size_t>> invalidSlot;  ///< (device index outside table.devices, slot)
    std::size_t rows = 0;                       ///< rows of the table it was computed from

    [[nodiscard]] static ScoreStats of(const ScoreTable& table);
    /// Slot of row `r` of the table the statistics are of.
    [[nodiscard]] std::size_t slotOfRow(const ScoreTable& table, std::size_t r) const;
};

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
    /// As above with the table's ScoreStats computed beforehand (`stats` must be ScoreStats::of(table)):
    /// the result is the same, and only the flagged rows and the explanations are visited.
    [[nodiscard]] Result<AggregateSummary> run(const ScoreTable& table, const ScoreStats& stats,
                                               double threshold, const std::vector<Explanation>& explanations,
                                               const std::vector<Alert>& alerts,
                                               const SensorCatalog& catalog) const;
    /// As above with the flagged rows given too: `flagged` must be exactly the rows with score ≥ threshold,
    /// ascending (as Analysis::flagged is), so the table is not scanned for them again.
    [[nodiscard]] Result<AggregateSummary> run(const ScoreTable& table, const ScoreStats& stats,
                                               double threshold, std::span<const std::size_t> flagged,
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
