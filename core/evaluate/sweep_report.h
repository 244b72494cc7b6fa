#pragma once

#include "evaluate/metrics.h"

#include <QString>

namespace itap {

/// Widest line formatSweepReport produces.
inline constexpr int kSweepReportWidth = 100;

/// The threshold section of the operator report (`itap score`), plain text with aligned columns, every line
/// at most kSweepReportWidth characters: a summary, a compact sweep table of up to 11 rows around the
/// operating threshold (marked '>'), false alarms per state, then recall, event recall and median latency per
/// fault type. Without ground truth it says so and shows only thresholds and flagged counts. Ends with a
/// newline.
[[nodiscard]] QString formatSweepReport(const Metrics& metrics);

}  // namespace itap
