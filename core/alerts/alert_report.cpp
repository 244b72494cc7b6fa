#include "alerts/alert_report.h"

#include "common/time_util.h"

#include <QStringList>

namespace itap {
namespace {

using Json = nlohmann::json;

std::string utf8(const QString& s) {
    return s.toStdString();
}

QString formatDuration(qint64 ms) {
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

double AlertCounts::reductionPercent() const {
    if (flaggedRows == 0)
        return 0;
    return 100.0 * (1.0 - static_cast<double>(alerts) / static_cast<double>(flaggedRows));
}

AlertCounts countAlerts(const std::vector<Alert>& alerts) {
    AlertCounts c;
    c.alerts = alerts.size();
    for (const Alert& a : alerts) {
        c.flaggedRows += static_cast<std::size_t>(a.count);
        c.alarms += a.kind == IncidentKind::Alarm ? 1 : 0;
        ++c.bySeverity[static_cast<std::size_t>(a.severity)];
    }
    return c;
}

Json alertToJson(const Alert& a) {
    Json families = Json::array();
    for (const FamilyShare& f : a.families)
        families.push_back({{"family", utf8(f.family)}, {"percent", f.percent}});
    Json features = Json::array();
    for (const NamedShare& f : a.topFeatures)
        features.push_back({{"feature", utf8(f.name)}, {"percent", f.percent}});
    Json revisions = Json::array();
    for (const CauseRevision& r : a.revisions)
        revisions.push_back({{"at", utf8(formatUtcTimestamp(r.tsMs))},
                             {"from", utf8(r.fromRuleId)},
                             {"to", utf8(r.toRuleId)}});
    Json diagnostics = Json::array();
    for (const SignalDiagnostic& d : a.diagnostics)
        diagnostics.push_back({{"channel", utf8(d.channel)},
                               {"condition", utf8(signalConditionName(d.condition))},
                               {"first", utf8(formatUtcTimestamp(d.firstMs))},
                               {"last", utf8(formatUtcTimestamp(d.lastMs))},
                               {"first_ms", d.firstMs},
                               {"last_ms", d.lastMs}});
    static const char* const kPriority[] = {"low", "medium", "high"};
    Json o = Json::object();
    o["id"] = utf8(a.id);
    o["severity"] = utf8(severityName(a.severity));
    o["priority"] = kPriority[static_cast<std::size_t>(a.severity)];
    o["kind"] = utf8(incidentKindName(a.kind));
    o["annunciated"] = a.annunciated();
    o["suppression"] =
        a.suppression == Suppression::None ? Json(nullptr) : Json(utf8(suppressionName(a.suppression)));
    o["raised"] = utf8(formatUtcTimestamp(a.raisedMs));
    o["raised_ms"] = a.raisedMs;
    o["cleared"] = a.active() ? Json(nullptr) : Json(utf8(formatUtcTimestamp(a.clearedMs)));
    o["cleared_ms"] = a.active() ? Json(nullptr) : Json(a.clearedMs);
    o["peak_filtered"] = a.peakFiltered;
    o["rows"] = a.rows;
    o["reopened"] = a.reopened;
    o["revisions"] = revisions;
    o["fleet_id"] = a.fleetId.isEmpty() ? Json(nullptr) : Json(utf8(a.fleetId));
    o["carried_by_fleet"] = a.carriedByFleet;
    o["device"] = utf8(a.device);
    o["state"] = utf8(opStateName(a.state));
    o["start"] = utf8(formatUtcTimestamp(a.startMs));
    o["end"] = utf8(formatUtcTimestamp(a.endMs));
    o["peak"] = utf8(formatUtcTimestamp(a.peakMs));
    o["start_ms"] = a.startMs;
    o["end_ms"] = a.endMs;
    o["peak_ms"] = a.peakMs;
    o["duration_s"] = static_cast<double>(a.endMs - a.startMs) / 1000.0;
    o["peak_score"] = a.peakScore;
    o["count"] = a.count;
    o["cause"] = utf8(a.cause);
    o["rule_id"] = utf8(a.ruleId);
    o["confidence"] = a.confidence;
    o["described_by_family"] = a.described;
    o["families"] = families;
    o["context_percent"] = a.contextPercent;
    o["top_features"] = features;
    o["diagnostics"] = diagnostics;
    o["fault_tag"] = a.faultTag.isEmpty() ? Json(nullptr) : Json(utf8(a.faultTag));
    o["action"] = utf8(a.action);
    o["peak_row"] = a.peakRow;
    return o;
}

Json alertsToJson(const std::vector<Alert>& alerts, const std::vector<FleetIncident>& fleet,
                  const AlarmKpis& kpis, const AlarmKpis& kpisEvaluated, const AlertRules& rules,
                  double threshold) {
    const AlertCounts c = countAlerts(alerts);
    Json bySeverity = Json::object();
    for (int s = 0; s < kSeverityCount; ++s)
        bySeverity[utf8(severityName(static_cast<Severity>(s)))] = c.bySeverity[static_cast<std::size_t>(s)];
    Json list = Json::array();
    for (const Alert& a : alerts) list.push_back(alertToJson(a));

    Json j = Json::object();
    j["schema_version"] = kAlertsSchemaVersion;
    j["threshold"] = threshold;
    j["policy"] = {{"cooldown_s", rules.cooldownSeconds()},
                   {"incidents", rules.incidents().toJson()},
                   {"severity", rules.severityJson()}};
    Json fleetList = Json::array();
    for (const FleetIncident& f : fleet) {
        Json devices = Json::array();
        for (const QString& d : f.devices) devices.push_back(utf8(d));
        Json children = Json::array();
        for (std::size_t child : f.children)
            if (child < alerts.size())
                children.push_back(utf8(alerts[child].id));
        fleetList.push_back({{"id", utf8(f.id)},
                             {"rule_id", utf8(f.ruleId)},
                             {"cause", utf8(f.cause)},
                             {"action", utf8(f.action)},
                             {"severity", utf8(severityName(f.severity))},
                             {"start", utf8(formatUtcTimestamp(f.startMs))},
                             {"raised", utf8(formatUtcTimestamp(f.raisedMs))},
                             {"end", utf8(formatUtcTimestamp(f.endMs))},
                             {"devices", devices},
                             {"children", children}});
    }
    j["fleet_incidents"] = fleetList;
    j["kpis"] = alarmKpisToJson(kpis);
    j["kpis_evaluated"] = alarmKpisToJson(kpisEvaluated);
    j["summary"] = {{"flagged_rows", c.flaggedRows},
                    {"alerts", c.alerts},
                    {"alarms", c.alarms},
                    {"events", c.alerts - c.alarms},
                    {"reduction_pct", c.reductionPercent()},
                    {"by_severity", bySeverity}};
    j["alerts"] = list;
    return j;
}

QString topFamiliesText(std::span<const FamilyShare> families, std::size_t count) {
    QStringList parts;
    for (std::size_t i = 0; i < families.size() && i < count; ++i)
        parts << QStringLiteral("%1=%2%").arg(families[i].family).arg(families[i].percent, 0, 'f', 1);
    return parts.join(QStringLiteral(", "));
}

QString contextShareText(double contextPercent) {
    if (!(contextPercent >= 0.05 && contextPercent < 99.95))
        return {};
    return QStringLiteral("error codes/state %1% of the score").arg(contextPercent, 0, 'f', 0);
}

QString formatAlert(const Alert& a) {
    QStringList lines;
    lines << QStringLiteral("%1 | %2 | %3 | %4 | score=%5")
                 .arg(severityName(a.severity), formatUtcTimestampHuman(a.peakMs), a.device,
                      opStateName(a.state))
                 .arg(a.peakScore, 0, 'f', 4);

    QString causeLine = QStringLiteral("  cause=%1 | conf=%2").arg(a.cause).arg(a.confidence, 0, 'f', 2);
    if (!a.families.empty())
        causeLine += QStringLiteral(" | ") + topFamiliesText(a.families);
    if (const QString context = contextShareText(a.contextPercent); !context.isEmpty())
        causeLine += QStringLiteral(" | ") + context;
    lines << causeLine;

    for (const NamedShare& f : a.topFeatures)
        lines << QStringLiteral("    %1: %2%").arg(f.name).arg(f.percent, 0, 'f', 1);

    QString tagLine = QStringLiteral("  ");
    if (!a.faultTag.isEmpty())
        tagLine += QStringLiteral("tag=%1  ").arg(a.faultTag);
    tagLine += QStringLiteral("rule=%1").arg(a.ruleId);
    if (a.count > 1) {
        // The header shows the peak; the span says since when the device has been in this state.
        const QString start = formatUtcTimestampHuman(a.startMs);
        const bool sameDay = start.left(10) == formatUtcTimestampHuman(a.peakMs).left(10);
        tagLine += QStringLiteral("  flags=%1 over %2 since %3")
                       .arg(a.count)
                       .arg(formatDuration(a.endMs - a.startMs), sameDay ? start.mid(11) : start);
    }
    lines << tagLine;
    // The lifecycle: what kind of incident, when it was raised and cleared, what happened to it since.
    QString life = QStringLiteral("  %1").arg(incidentKindName(a.kind));
    if (a.suppression != Suppression::None)
        life += QStringLiteral(" (suppressed: %1)").arg(suppressionName(a.suppression));
    life += QStringLiteral(", raised %1, %2")
                .arg(formatUtcTimestampHuman(a.raisedMs),
                     a.active() ? QStringLiteral("active")
                                : QStringLiteral("cleared ") + formatUtcTimestampHuman(a.clearedMs));
    if (a.rows > 0)
        life += QStringLiteral(", %1 rows").arg(a.rows);
    if (a.reopened > 0)
        life += QStringLiteral(", reopened %1×").arg(a.reopened);
    if (!a.revisions.empty())
        life += QStringLiteral(", cause revised %1×").arg(a.revisions.size());
    if (!a.fleetId.isEmpty())
        life += QStringLiteral(", in %1").arg(a.fleetId);
    lines << life;
    for (const SignalDiagnostic& d : a.diagnostics)
        lines << QStringLiteral("  instrument: %1 %2 beyond its normal limit from %3 to %4")
                     .arg(d.channel, signalConditionName(d.condition), formatUtcTimestampHuman(d.firstMs),
                          formatUtcTimestampHuman(d.lastMs));
    lines << QStringLiteral("  action=%1").arg(a.action);
    return lines.join(QLatin1Char('\n'));
}

}  // namespace itap
