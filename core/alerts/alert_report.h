#pragma once

#include "alerts/alarm_kpis.h"
#include "alerts/alert.h"
#include "alerts/alert_rules.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <array>
#include <span>
#include <vector>

namespace itap {

/// Version of the alerts.json layout written by alertsToJson.
inline constexpr int kAlertsSchemaVersion = 2;

/// Flagged rows versus incidents: how much the incident engine spared the operator.
struct AlertCounts {
    std::size_t flaggedRows = 0;  ///< sum of the incidents' counts
    std::size_t alerts = 0;       ///< incidents
    std::size_t alarms = 0;  ///< of them, alarms (annunciated, suppressed or carried by a fleet incident)
    std::array<std::size_t, kSeverityCount> bySeverity{};  ///< indexed by Severity
    /// 100 × (1 − alerts / flaggedRows); 0 when nothing was flagged.
    [[nodiscard]] double reductionPercent() const;
};

[[nodiscard]] AlertCounts countAlerts(const std::vector<Alert>& alerts);

/// One incident as an object: id, severity (its priority), priority (high/medium/low), kind (alarm/event),
/// annunciated, suppression (null or maintenance/state_transition), device, state, start, raised, end,
/// cleared (null while active), peak (ISO 8601 UTC), start_ms, raised_ms, end_ms, cleared_ms, peak_ms,
/// duration_s, peak_score, peak_filtered, count, rows, reopened, cause, rule_id, confidence, families
/// [{family, percent}], context_percent, top_features [{feature, percent}], revisions [{at, from, to}],
/// fault_tag (null when unknown), action, fleet_id (null when isolated), carried_by_fleet, peak_row. README:
/// "alerts.json".
[[nodiscard]] nlohmann::json alertToJson(const Alert& alert);

/// alerts.json: schema_version, threshold, policy {cooldown_s, severity {...}, incidents {...}}, summary
/// {flagged_rows, alerts, alarms, events, reduction_pct, by_severity {INFO, WARNING, CRITICAL}}, kpis (all
/// data), kpis_evaluated (after each device's training span), fleet_incidents [...], alerts [...] in the
/// given order. Keys are sorted and numbers exact, so the same incidents always give the same bytes.
[[nodiscard]] nlohmann::json alertsToJson(const std::vector<Alert>& alerts,
                                          const std::vector<FleetIncident>& fleet, const AlarmKpis& kpis,
                                          const AlarmKpis& kpisEvaluated, const AlertRules& rules,
                                          double threshold);

/// The operator's view of one incident (DESIGN.md §4), lines joined by '\n' without a trailing newline:
///   CRITICAL | 2026-01-01 05:31:10 | DEV-0006 | RUN | score=0.6852
///     cause=Power instability | conf=0.85 | Voltage=54.7%, Current=30.2%, Temperature=6.6%
///       voltage_v_max: 21.9%
///     tag=power_spike  rule=power_instability  flags=4 over 00:03:00 since 05:31:10
///     alarm, raised 2026-01-01 05:30:40, cleared 2026-01-01 05:36:10, 33 rows
///     action=Check the supply feed, ...
/// The time and state are those of the peak; families shown are the top three.
[[nodiscard]] QString formatAlert(const Alert& alert);

/// "Temperature=92.0%, Voltage=8.0%": the first `count` family shares, for one-line reports.
[[nodiscard]] QString topFamiliesText(std::span<const FamilyShare> families, std::size_t count = 3);
/// topFamiliesText() of an explanation's (implicitly shared) family list.
[[nodiscard]] inline QString topFamiliesText(const QList<FamilyShare>& families, std::size_t count = 3) {
    return topFamiliesText(std::span<const FamilyShare>(families.constData(), std::size_t(families.size())),
                           count);
}
/// "error codes/state 70% of the score" for an explanation's context share (Explanation::contextPercent);
/// empty when it is 0 or 100 % (nothing to tell apart).
[[nodiscard]] QString contextShareText(double contextPercent);

}  // namespace itap
