#pragma once

// The operating point at incident level: which threshold makes incidents an operator can live with. Two
// rules, both searching the same grid with the same hysteresis as the incident tracker (incidentSpans()),
// instrument diagnostics (`diagnostics`, signalDiagnostics() per row or empty) included.

#include "alerts/alert_rules.h"
#include "common/analysis_types.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace itap {

/// One threshold the search tried, with what the rule counted there.
struct OperatingCurvePoint {
    double threshold = 0;
    int incidents = 0;             ///< not suppressed, in the span the rule counts
    double incidentPrecision = 0;  ///< label rule only
    double eventRecall = 0;        ///< label rule only
};

/// A chosen operating point and why.
struct IncidentOperatingPoint {
    std::optional<double> threshold;  ///< empty when nothing could be chosen
    QString rule;  ///< for reports, e.g. "incident level (event recall at incident precision >= 0.80)"
    double incidentPrecision = 0;  ///< label rule: at the chosen threshold, on the evaluated span
    double eventRecall = 0;        ///< label rule: likewise
    int incidents = 0;             ///< incidents counted by the rule (evaluated span or training span)
    double budget = 0;             ///< label-free rule: incidents allowed on the training span
    std::vector<OperatingCurvePoint> curve;  ///< every threshold tried, ascending
};

/// The label-based rule: over a grid of thresholds (quantiles of the evaluated rows' filtered scores), the
/// one with the highest event recall whose incident precision reaches rules.incidents().minIncidentPrecision
/// (ties: the higher threshold); when none does, the one with the best F1 of the two. Incidents starting in
/// the training span and episodes without an evaluated row are not counted; an incident is true when it
/// overlaps an episode of its device or starts within matchToleranceS after its end. Needs labels.
[[nodiscard]] IncidentOperatingPoint chooseIncidentThresholdByLabels(
    const ScoreTable& table, std::span<const float> filtered, const AlertRules& rules, int threads,
    std::span<const std::int16_t> diagnostics = {});

/// The label-free rule (never reads a label): the lowest grid threshold at which the incidents starting in
/// the training span are at most rules.incidents().alarmsPerDeviceDay per device-day of training span.
[[nodiscard]] IncidentOperatingPoint chooseIncidentThresholdByBudget(
    const ScoreTable& table, std::span<const float> filtered, const AlertRules& rules, int threads,
    std::span<const std::int16_t> diagnostics = {});

}  // namespace itap
