#pragma once

#include "alerts/alert.h"
#include "alerts/alert_rules.h"
#include "alerts/incident_tracker.h"
#include "common/analysis_types.h"

#include <QString>

#include <cstdint>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace itap {

/// The incidents of a scored fleet and the fleet incidents grouping them.
struct IncidentList {
    std::vector<Alert> incidents;  ///< ordered by start, then device
    std::vector<FleetIncident> fleet;
};

/// Batch incidents over a scored fleet: every row of the table pushed through an IncidentTracker in table
/// order, so a live run over the same rows gives the same list.
class IncidentEngine {
public:
    explicit IncidentEngine(AlertRules rules = AlertRules::defaults());

    /// `filtered` is filterIncidentScores(table, rules.incidents()); `flagged` the rows with score ≥
    /// threshold, ascending, and `explanations` their explanations (any order; a flagged row without one adds
    /// no family). `diagnostics` is signalDiagnostics() per table row, or empty for none. `normalTail` is
    /// what urgency is measured against (IncidentTracker::setNormalTail; null: the relative margin).
    [[nodiscard]] IncidentList run(const ScoreTable& table, std::span<const float> filtered, double threshold,
                                   std::span<const std::size_t> flagged,
                                   const std::vector<Explanation>& explanations, const FeatureSchema& schema,
                                   std::span<const std::int16_t> diagnostics = {},
                                   std::shared_ptr<const TailCalibration> normalTail = nullptr) const;

    /// A streaming tracker with this engine's rules, for live mode (run() uses the same class).
    [[nodiscard]] IncidentTracker tracker(double threshold, const FeatureSchema& schema,
                                          std::shared_ptr<const TailCalibration> normalTail = nullptr) const;

    [[nodiscard]] const AlertRules& rules() const { return rules_; }

private:
    AlertRules rules_;
};

/// One incident as the operating-point search sees it: where the hysteresis raised it, nothing about its
/// cause.
struct IncidentSpan {
    int device = -1;
    qint64 startMs = 0;
    qint64 endMs = 0;  ///< last sample at or above the clear level
    std::size_t startRow = 0;
    bool suppressed = false;
};

/// The incidents the hysteresis raises at `threshold` (the same state machine as IncidentTracker, without
/// explanations), in table order; `diagnostics` as for IncidentEngine::run.
[[nodiscard]] std::vector<IncidentSpan> incidentSpans(const ScoreTable& table,
                                                      std::span<const float> filtered, double threshold,
                                                      const AlertRules& rules,
                                                      std::span<const std::int16_t> diagnostics = {});

}  // namespace itap
