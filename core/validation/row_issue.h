#pragma once

#include <QString>

namespace itap {

/// One problem found in one row of a telemetry file.
///
/// `check` names the rule that fired. Reader checks (the row could not be parsed, it is rejected):
/// "column_count", "quote", "number", "timestamp", "state", "device_id", "error_code", "line_too_long".
/// RowValidator checks: "range", "duplicate", "out_of_order" (row rejected) and the warnings "missing", "gap"
/// (row kept).
struct RowIssue {
    qint64 line = 0;  ///< 1-based physical line of the file on which the record starts (the header is line 1)
    qint64 column = 0;  ///< 1-based field position, 0 when the problem is the whole line
    QString check;
    QString message;   ///< one line for the operator, without the file:line:column prefix
    QString deviceId;  ///< the row's device when it is known, else empty
};

}  // namespace itap
