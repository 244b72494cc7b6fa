#pragma once

#include "evaluate/metrics.h"

#include <nlohmann/json.hpp>

namespace itap {

/// Version of the metrics.json layout written by metricsToJson.
inline constexpr int kMetricsSchemaVersion = 1;

/// metrics.json. Always: schema_version, ground_truth, evaluation_rows, training_rows, threshold (null when
/// none), selection_rule, min_precision, roc_auc, pr_auc, counts, sweep. With ground truth also precision,
/// recall, f1, per_fault {tag: {rows, caught_rows, recall, events, events_caught, event_recall,
/// median_latency_s}}, false_alarm_rate_per_state {RUN, IDLE, MAINT} and false_alarms_per_state {state:
/// {false_alarms, negatives}}. Without ground truth, label-based figures are absent (not zero) and sweep
/// points carry only threshold, percentile and flagged. Undefined ratios are null. Keys are sorted and
/// numbers exact (thresholds are the scores' exact values), so the same Metrics always give the same bytes
/// through toJsonBytes().
[[nodiscard]] nlohmann::json metricsToJson(const Metrics& metrics);

}  // namespace itap
