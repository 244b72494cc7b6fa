#include "alerts/alert.h"

namespace itap {

QString severityName(Severity s) {
    switch (s) {
        case Severity::Info:
            return QStringLiteral("INFO");
        case Severity::Warning:
            return QStringLiteral("WARNING");
        case Severity::Critical:
            return QStringLiteral("CRITICAL");
    }
    return QStringLiteral("INFO");
}

std::optional<Severity> parseSeverity(QStringView text) {
    if (text == u"INFO")
        return Severity::Info;
    if (text == u"WARNING")
        return Severity::Warning;
    if (text == u"CRITICAL")
        return Severity::Critical;
    return std::nullopt;
}

QString incidentKindName(IncidentKind k) {
    return k == IncidentKind::Alarm ? QStringLiteral("alarm") : QStringLiteral("event");
}

QString suppressionName(Suppression s) {
    switch (s) {
        case Suppression::None:
            return {};
        case Suppression::Maintenance:
            return QStringLiteral("maintenance");
        case Suppression::StateTransition:
            return QStringLiteral("state_transition");
    }
    return {};
}

}  // namespace itap
