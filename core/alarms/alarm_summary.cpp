#include "alarms/alarm_summary.h"

#include "alarms/alarm_journal.h"

#include <tuple>

namespace itap {
namespace {

// 0: demands a response, 1: an alarm nobody has to answer now, 2: silenced or never annunciated.
int group(AlarmState s) {
    switch (s) {
        case AlarmState::ActiveUnacked:
        case AlarmState::ClearedUnacked:
            return 0;
        case AlarmState::ActiveAcked:
        case AlarmState::Closed:
            return 1;
        case AlarmState::Shelved:
        case AlarmState::Suppressed:
        case AlarmState::Event:
            return 2;
    }
    return 2;
}

}  // namespace

AlarmCounts countAlarms(const std::vector<AlarmRecord>& alarms) {
    AlarmCounts c;
    for (const AlarmRecord& r : alarms) {
        switch (r.state()) {
            case AlarmState::ActiveUnacked:
                ++c.active;
                ++c.unacked;
                break;
            case AlarmState::ActiveAcked:
                ++c.active;
                break;
            case AlarmState::ClearedUnacked:
                ++c.unacked;
                break;
            case AlarmState::Shelved:
                ++c.shelved;
                break;
            case AlarmState::Closed:
            case AlarmState::Suppressed:
            case AlarmState::Event:
                break;
        }
    }
    return c;
}

AlarmStatus statusOfIncident(const Alert& incident) {
    AlarmStatus s;
    s.kind = incident.kind;
    s.suppression = incident.suppression;
    s.active = incident.active();
    return s;
}

bool summaryBefore(const AlarmSummaryKey& a, const AlarmSummaryKey& b) {
    // Negated where larger comes first, so one lexicographic comparison says it all.
    return std::make_tuple(group(a.state), -int(a.priority), -a.startMs, std::cref(a.id)) <
           std::make_tuple(group(b.state), -int(b.priority), -b.startMs, std::cref(b.id));
}

QString defaultOperatorName() {
    for (const char* variable : {"USER", "USERNAME"}) {
        const QString name = qEnvironmentVariable(variable).trimmed();
        if (!name.isEmpty() && AlarmJournal::checkOperatorName(name))
            return name;
    }
    return QStringLiteral("operator");
}

}  // namespace itap
