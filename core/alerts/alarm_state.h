#pragma once

// The alarm lifecycle after ISA-18.2: the states an incident goes through once it is in the alarm journal,
// and the one transition function every input goes through: process events (raise, reopen, clear, update)
// from recorded incidents, operator actions (acknowledge, shelve, unshelve, note, verdict) and time (shelf
// expiry). Pure: no clock, no store; core/alarms/alarm_journal.h persists what it decides.

#include "alerts/alert.h"
#include "common/result.h"

#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>

namespace itap {

/// What an operator sees of an alarm. Derived from AlarmStatus, never stored on its own.
enum class AlarmState : std::uint8_t {
    ActiveUnacked,   ///< in alarm, not acknowledged: annunciated
    ActiveAcked,     ///< in alarm, acknowledged
    ClearedUnacked,  ///< returned to normal before anyone acknowledged it (RTN unacknowledged): annunciated
    Closed,          ///< returned to normal and acknowledged: nothing left to do
    Shelved,         ///< an operator silenced it until a time; it comes back by itself
    Suppressed,      ///< suppressed by design (Alert::suppression): recorded, never annunciated
    Event,           ///< an event (IncidentKind::Event): recorded, never annunciated, no acknowledgement
};
inline constexpr int kAlarmStateCount = 7;

/// "active_unacked", "active_acked", "cleared_unacked", "closed", "shelved", "suppressed", "event".
[[nodiscard]] QString alarmStateName(AlarmState s);
[[nodiscard]] std::optional<AlarmState> parseAlarmState(QStringView text);

/// Every input of the state machine; each becomes one journal row.
enum class AlarmAction : std::uint8_t {
    Raise,          ///< process: a new incident (the alarm's first row)
    Reopen,         ///< process: a cleared alarm is active again; it re-annunciates
    Clear,          ///< process: the alarm returned to normal
    Update,         ///< process: a re-derivation changed its kind (alarm/event) or its suppression
    Acknowledge,    ///< operator
    Shelve,         ///< operator: silenced until a time
    Unshelve,       ///< operator: back before the shelf's time
    ShelveExpired,  ///< time: the shelf's time has come
    Note,           ///< operator: a remark, no state change
    Verdict,        ///< operator: confirmed fault, false alarm or unknown, no state change
};
inline constexpr int kAlarmActionCount = 10;

/// "raise", "reopen", "clear", "update", "ack", "shelve", "unshelve", "shelve_expired", "note", "verdict".
[[nodiscard]] QString alarmActionName(AlarmAction a);
[[nodiscard]] std::optional<AlarmAction> parseAlarmAction(QStringView text);

/// An operator's judgement of an alarm: the label where the data has none.
enum class Verdict : std::uint8_t { None, Confirmed, FalseAlarm, Unknown };
/// "", "confirmed", "false_alarm", "unknown".
[[nodiscard]] QString verdictName(Verdict v);
/// "confirmed", "false_alarm" (or "false-alarm"), "unknown"; nullopt for anything else, "" included.
[[nodiscard]] std::optional<Verdict> parseVerdict(QStringView text);

/// The facts an alarm's state derives from: what the process says (active), what operators did (acked,
/// shelved) and how the incident was classified (kind, suppression).
struct AlarmStatus {
    IncidentKind kind = IncidentKind::Alarm;
    Suppression suppression = Suppression::None;
    bool active = true;
    bool acked = false;
    qint64 shelvedUntilMs = -1;  ///< UTC epoch ms the shelf ends; -1 = not shelved

    /// Event and Suppressed first (they never annunciate), then Shelved, then the ISA-18.2 quadrant of
    /// active × acknowledged. A shelf whose time has passed still says Shelved until ShelveExpired is applied
    /// (expireShelf()).
    [[nodiscard]] AlarmState state() const;
    /// Demands a response: ActiveUnacked or ClearedUnacked.
    [[nodiscard]] bool annunciates() const {
        const AlarmState s = state();
        return s == AlarmState::ActiveUnacked || s == AlarmState::ClearedUnacked;
    }
    [[nodiscard]] bool shelved() const { return shelvedUntilMs >= 0; }
    friend bool operator==(const AlarmStatus&, const AlarmStatus&) = default;
};

/// One input of applyAlarmEvent().
struct AlarmEvent {
    AlarmAction action = AlarmAction::Note;
    qint64 atMs = 0;                              ///< when it happens (UTC epoch ms)
    qint64 shelveUntilMs = -1;                    ///< Shelve: when the shelf ends, > atMs
    IncidentKind kind = IncidentKind::Alarm;      ///< Raise, Update: the incident's classification
    Suppression suppression = Suppression::None;  ///< Raise, Update
};

/// The status after `event`, or BadInput naming why the event does not apply in this state (acknowledging
/// an event or a suppressed alarm, shelving one, unshelving an alarm that is not shelved, clearing one that
/// is not active, ...). Raise ignores `status` (a new alarm: active, unacknowledged). Acknowledge is
/// idempotent: acknowledging an acknowledged alarm succeeds and changes nothing, so two operators
/// acknowledging at once both succeed. The end of a shelf (Unshelve, ShelveExpired) returns the alarm to its
/// underlying state and re-annunciates it when it is still active (active unacknowledged); an alarm that
/// cleared while shelved closes.
[[nodiscard]] Result<AlarmStatus> applyAlarmEvent(const AlarmStatus& status, const AlarmEvent& event);

/// True when `status` is shelved and its shelf has ended at `nowMs` (ShelveExpired is due).
[[nodiscard]] inline bool shelfExpired(const AlarmStatus& status, qint64 nowMs) {
    return status.shelved() && status.shelvedUntilMs <= nowMs;
}

/// Precision of the judged alarms: the verdicts as labels (metrics.json "alarm_verdicts").
struct VerdictSummary {
    int alarms = 0;      ///< alarms in scope
    int confirmed = 0;   ///< verdict confirmed fault
    int falseAlarm = 0;  ///< verdict false alarm
    int unknown = 0;     ///< verdict unknown
    [[nodiscard]] int judged() const { return confirmed + falseAlarm + unknown; }
    [[nodiscard]] int unjudged() const { return alarms - judged(); }
    /// confirmed / (confirmed + false alarms); nullopt when neither was given.
    [[nodiscard]] std::optional<double> precision() const {
        if (confirmed + falseAlarm == 0)
            return std::nullopt;
        return double(confirmed) / double(confirmed + falseAlarm);
    }
};

}  // namespace itap
