#pragma once

// The alarm summary an operator reads (ISA-18.2): which alarms come first, what the counts in a title bar
// count, and which operator name the console and the CLI act under by default. Pure functions over the
// journal's records; the console's Alerts view shows them, it does not decide them.

#include "alerts/alarm_record.h"
#include "alerts/alert.h"

#include <QString>

#include <vector>

namespace itap {

/// The counts of an alarm summary's title.
struct AlarmCounts {
    int active = 0;   ///< in alarm and annunciated or acknowledged: ActiveUnacked + ActiveAcked
    int unacked = 0;  ///< demanding a response: ActiveUnacked + ClearedUnacked
    int shelved = 0;  ///< Shelved
    friend bool operator==(const AlarmCounts&, const AlarmCounts&) = default;
};

[[nodiscard]] AlarmCounts countAlarms(const std::vector<AlarmRecord>& alarms);

/// The status an incident has before the journal knows it (a run on a database the console may not write,
/// an incident re-derived at another threshold): its kind and suppression, active or cleared, not
/// acknowledged, not shelved.
[[nodiscard]] AlarmStatus statusOfIncident(const Alert& incident);

/// One line of the summary: what the order looks at.
struct AlarmSummaryKey {
    AlarmState state = AlarmState::ActiveUnacked;
    Severity priority = Severity::Info;
    qint64 startMs = 0;
    QString id;
};

/// The alarm summary's order: alarms demanding a response (ActiveUnacked, ClearedUnacked) first, then the
/// others that are alarms (ActiveAcked, Closed), then Shelved, Suppressed and Event; within each group by
/// priority (high first), then by start (newest first), then by id. Strict weak order.
[[nodiscard]] bool summaryBefore(const AlarmSummaryKey& a, const AlarmSummaryKey& b);

/// The operator name an action is recorded under when none is configured: the OS user ($USER, else
/// %USERNAME%), else "operator". Never the reserved system name.
[[nodiscard]] QString defaultOperatorName();

}  // namespace itap
