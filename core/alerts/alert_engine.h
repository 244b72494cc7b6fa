#pragma once

#include "alerts/alert.h"
#include "alerts/alert_rules.h"
#include "alerts/alert_tracker.h"
#include "common/analysis_types.h"

#include <span>
#include <vector>

namespace itap {

/// Batch alerting over a scored fleet: the rules name the cause and severity of every flagged row
/// (score ≥ threshold), then consecutive flags of one device with the same cause merge within the cooldown.
class AlertEngine {
public:
    explicit AlertEngine(AlertRules rules = AlertRules::defaults());

    /// Alerts of the whole table, ordered by start time, then device, then rule id.
    /// `explanations` holds one entry per flagged row (any order); explanations of rows that are not flagged
    /// at `threshold` are ignored, and a flagged row without one is classified by the fallback with no
    /// families. Every flagged row lands in exactly one alert, so the counts sum to the flagged-row count.
    [[nodiscard]] std::vector<Alert> run(const ScoreTable& table, double threshold,
                                         const std::vector<Explanation>& explanations,
                                         const FeatureSchema& schema) const;
    /// As above with the flagged rows given: `flagged` must be exactly the rows with score ≥ threshold,
    /// ascending (as Analysis::flagged is), so the table is not scanned for them again.
    [[nodiscard]] std::vector<Alert> run(const ScoreTable& table, double threshold,
                                         std::span<const std::size_t> flagged,
                                         const std::vector<Explanation>& explanations,
                                         const FeatureSchema& schema) const;

    /// A streaming tracker with this engine's rules, for live mode (run() uses the same class).
    [[nodiscard]] AlertTracker tracker(double threshold, const FeatureSchema& schema) const;

    [[nodiscard]] const AlertRules& rules() const { return rules_; }

private:
    AlertRules rules_;
};

}  // namespace itap
