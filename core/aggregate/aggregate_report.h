#pragma once

#include "aggregate/aggregate_summary.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace itap {

/// Version of the aggregate_summaries.json layout written by aggregateToJson.
inline constexpr int kAggregateSchemaVersion = 1;

/// aggregate_summaries.json: schema_version, threshold, options {min_devices, overlap_tolerance_s,
/// pattern_key}, fleet {devices, devices_affected, rows, flagged_rows, alerts, alerts_by_severity,
/// family_mix, systemic_patterns}, devices [{rank, device, rows, flagged_rows, mean_score, p95_score,
/// max_score, families, first_flagged, last_flagged (ISO 8601 or null), alerts, alerts_by_severity}] in
/// leaderboard order, patterns [{key, label, verdict, devices, concurrent_devices, start, end, alert_count,
/// highest_severity, alert_ids}]. Keys are sorted and numbers exact, so the same summary always gives the
/// same bytes.
[[nodiscard]] nlohmann::json aggregateToJson(const AggregateSummary& summary);

/// Plain-text leaderboard, fleet section and patterns, no line wider than 100 characters.
/// At most `maxDevices` leaderboard rows and `maxPatterns` patterns are listed (the rest are counted).
[[nodiscard]] QString formatAggregateReport(const AggregateSummary& summary, int maxDevices = 20,
                                            int maxPatterns = 20);

}  // namespace itap
