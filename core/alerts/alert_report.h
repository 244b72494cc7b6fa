#pragma once

#include "alerts/alert.h"
#include "alerts/alert_rules.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <array>
#include <span>
#include <vector>

namespace itap {

/// Version of the alerts.json layout written by alertsToJson.
inline constexpr int kAlertsSchemaVersion = 1;

/// Flagged rows versus alerts: how much the merge spared the operator.
struct AlertCounts {
    std::size_t flaggedRows = 0;  ///< sum of the alerts' counts
    std::size_t alerts = 0;
    std::array<std::size_t, kSeverityCount> bySeverity{};  ///< indexed by Severity
    /// 100 × (1 − alerts / flaggedRows); 0 when nothing was flagged.
    [[nodiscard]] double reductionPercent() const;
};

[[nodiscard]] AlertCounts countAlerts(const std::vector<Alert>& alerts);

/// One alert as an object: id, severity, device, state, start, end, peak (ISO 8601 UTC), start_ms, end_ms,
/// peak_ms, duration_s, peak_score, count, cause, rule_id, confidence, families [{family, percent}],
/// top_features [{feature, percent}], fault_tag (null when unknown), action, peak_row.
[[nodiscard]] nlohmann::json alertToJson(const Alert& alert);

/// alerts.json: schema_version, threshold, policy {cooldown_s, severity {basis, critical, warning}},
/// summary {flagged_rows, alerts, reduction_pct, by_severity {INFO, WARNING, CRITICAL}}, alerts [...] in the
/// given order. Keys are sorted and numbers exact, so the same alerts always give the same bytes.
[[nodiscard]] nlohmann::json alertsToJson(const std::vector<Alert>& alerts, const AlertRules& rules,
                                          double threshold);

/// The operator's view of one alert (DESIGN.md §4), lines joined by '\n' without a trailing newline:
///   CRITICAL | 2026-01-01 05:31:10 | DEV-0006 | RUN | score=0.6852
///     cause=Power instability | conf=0.85 | Voltage=54.7%, Current=30.2%, Temperature=6.6%
///       voltage_v_max: 21.9%
///     tag=power_spike  rule=power_instability  flags=4 over 00:03:00 since 05:31:10
///     action=Check the supply feed, ...
/// The time and state are those of the peak; families shown are the top three.
[[nodiscard]] QString formatAlert(const Alert& alert);

/// "Temperature=92.0%, Voltage=8.0%": the first `count` family shares, for one-line reports.
[[nodiscard]] QString topFamiliesText(std::span<const FamilyShare> families, std::size_t count = 3);
/// topFamiliesText() of an explanation's (implicitly shared) family list.
[[nodiscard]] inline QString topFamiliesText(const QList<FamilyShare>& families, std::size_t count = 3) {
    return topFamiliesText(std::span<const FamilyShare>(families.constData(), std::size_t(families.size())), count);
}
/// "error codes/state 70% of the score" for an explanation's context share (Explanation::contextPercent);
/// empty when it is 0 or 100 % (nothing to tell apart).
[[nodiscard]] QString contextShareText(double contextPercent);

}  // namespace itap
