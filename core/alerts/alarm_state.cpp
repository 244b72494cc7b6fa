#include "alerts/alarm_state.h"

#include "common/time_util.h"

#include <array>

namespace itap {
namespace {

constexpr std::array<const char*, kAlarmStateCount> kStateNames = {
    "active_unacked", "active_acked", "cleared_unacked", "closed", "shelved", "suppressed", "event"};
constexpr std::array<const char*, kAlarmActionCount> kActionNames = {
    "raise", "reopen", "clear", "update", "ack", "shelve", "unshelve", "shelve_expired", "note", "verdict"};

Error refuse(const AlarmStatus& s, const QString& why) {
    return Error::badInput(QStringLiteral("%1 (the alarm is %2)").arg(why, alarmStateName(s.state())));
}

// Events and suppressed alarms are never annunciated: nothing to acknowledge or silence.
std::optional<Error> notAnnunciated(const AlarmStatus& s, const QString& what) {
    if (s.kind == IncidentKind::Event)
        return refuse(s, QStringLiteral("an event is never annunciated: nothing to %1").arg(what));
    if (s.suppression != Suppression::None)
        return refuse(s, QStringLiteral("suppressed by design (%1): never annunciated, nothing to %2")
                             .arg(suppressionName(s.suppression), what));
    return std::nullopt;
}

// The end of a shelf: back to the underlying state; still active means annunciated again.
AlarmStatus endShelf(AlarmStatus s) {
    s.shelvedUntilMs = -1;
    s.acked = !s.active;
    return s;
}

}  // namespace

QString alarmStateName(AlarmState s) {
    return QString::fromLatin1(kStateNames[static_cast<std::size_t>(s)]);
}

std::optional<AlarmState> parseAlarmState(QStringView text) {
    for (std::size_t i = 0; i < kStateNames.size(); ++i)
        if (text == QLatin1String(kStateNames[i]))
            return static_cast<AlarmState>(i);
    return std::nullopt;
}

QString alarmActionName(AlarmAction a) {
    return QString::fromLatin1(kActionNames[static_cast<std::size_t>(a)]);
}

std::optional<AlarmAction> parseAlarmAction(QStringView text) {
    for (std::size_t i = 0; i < kActionNames.size(); ++i)
        if (text == QLatin1String(kActionNames[i]))
            return static_cast<AlarmAction>(i);
    return std::nullopt;
}

QString verdictName(Verdict v) {
    switch (v) {
        case Verdict::None:
            return {};
        case Verdict::Confirmed:
            return QStringLiteral("confirmed");
        case Verdict::FalseAlarm:
            return QStringLiteral("false_alarm");
        case Verdict::Unknown:
            return QStringLiteral("unknown");
    }
    return {};
}

std::optional<Verdict> parseVerdict(QStringView text) {
    if (text == u"confirmed")
        return Verdict::Confirmed;
    if (text == u"false_alarm" || text == u"false-alarm")
        return Verdict::FalseAlarm;
    if (text == u"unknown")
        return Verdict::Unknown;
    return std::nullopt;
}

AlarmState AlarmStatus::state() const {
    if (kind == IncidentKind::Event)
        return AlarmState::Event;
    if (suppression != Suppression::None)
        return AlarmState::Suppressed;
    if (shelved())
        return AlarmState::Shelved;
    if (active)
        return acked ? AlarmState::ActiveAcked : AlarmState::ActiveUnacked;
    return acked ? AlarmState::Closed : AlarmState::ClearedUnacked;
}

Result<AlarmStatus> applyAlarmEvent(const AlarmStatus& status, const AlarmEvent& e) {
    AlarmStatus s = status;
    switch (e.action) {
        case AlarmAction::Raise:
            return AlarmStatus{e.kind, e.suppression, /*active=*/true, /*acked=*/false, -1};
        case AlarmAction::Reopen:
            if (s.active)
                return refuse(s, QStringLiteral("cannot reopen an active alarm"));
            s.active = true;
            s.acked = false;  // re-annunciated (unless shelved: then when the shelf ends)
            return s;
        case AlarmAction::Clear:
            if (!s.active)
                return refuse(s, QStringLiteral("cannot clear an alarm that is not active"));
            s.active = false;
            return s;
        case AlarmAction::Update:
            s.kind = e.kind;
            s.suppression = e.suppression;
            return s;
        case AlarmAction::Acknowledge:
            if (auto why = notAnnunciated(s, QStringLiteral("acknowledge")))
                return *why;
            if (s.shelved())
                return refuse(s, QStringLiteral("shelved until %1: unshelve it first")
                                     .arg(formatUtcTimestamp(s.shelvedUntilMs)));
            s.acked = true;
            return s;
        case AlarmAction::Shelve:
            if (auto why = notAnnunciated(s, QStringLiteral("shelve")))
                return *why;
            if (e.shelveUntilMs <= e.atMs)
                return Error::badInput(QStringLiteral("a shelf must end after it starts"));
            s.shelvedUntilMs = e.shelveUntilMs;  // a shelved alarm may be shelved again: the new time holds
            return s;
        case AlarmAction::Unshelve:
            if (!s.shelved())
                return refuse(s, QStringLiteral("not shelved: nothing to unshelve"));
            return endShelf(s);
        case AlarmAction::ShelveExpired:
            if (!s.shelved())
                return refuse(s, QStringLiteral("not shelved: no shelf to expire"));
            if (e.atMs < s.shelvedUntilMs)
                return refuse(
                    s, QStringLiteral("the shelf lasts until %1").arg(formatUtcTimestamp(s.shelvedUntilMs)));
            return endShelf(s);
        case AlarmAction::Note:
        case AlarmAction::Verdict:
            return s;
    }
    return s;
}

}  // namespace itap
