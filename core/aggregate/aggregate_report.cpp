#include "aggregate/aggregate_report.h"

#include "common/time_util.h"

#include <QStringList>

namespace itap {
namespace {

using Json = nlohmann::json;

constexpr int kReportWidth = 100;

std::string utf8(const QString& s) {
    return s.toStdString();
}

Json optionalTime(const std::optional<qint64>& ms) {
    return ms ? Json(utf8(formatUtcTimestamp(*ms))) : Json(nullptr);
}

Json familiesJson(const std::vector<FamilyShare>& families) {
    Json out = Json::array();
    for (const FamilyShare& f : families) out.push_back({{"family", utf8(f.family)}, {"percent", f.percent}});
    return out;
}

Json bySeverityJson(const std::array<int, kSeverityCount>& counts) {
    Json out = Json::object();
    for (int s = 0; s < kSeverityCount; ++s)
        out[utf8(severityName(static_cast<Severity>(s)))] = counts[static_cast<std::size_t>(s)];
    return out;
}

Json stringList(const QStringList& list) {
    Json out = Json::array();
    for (const QString& s : list) out.push_back(utf8(s));
    return out;
}

QString elide(const QString& s, int width) {
    return s.size() <= width ? s : s.left(width - 1) + QStringLiteral("~");
}

// "<first><item>, <item>, ..." wrapped at the report width, continuation lines indented like the first item.
void appendWrapped(QStringList& lines, const QString& first, const QStringList& items) {
    const QString indent(first.size(), QLatin1Char(' '));
    QString line = first;
    bool empty = true;
    for (int i = 0; i < items.size(); ++i) {
        const QString item = elide(items[i], kReportWidth - indent.size() - 1) +
                             (i + 1 < items.size() ? QStringLiteral(",") : QString());
        if (!empty && line.size() + 1 + item.size() > kReportWidth) {
            lines << line;
            line = indent + item;
        } else {
            line += (empty ? QString() : QStringLiteral(" ")) + item;
        }
        empty = false;
    }
    lines << line;
}

QString severityCounts(const std::array<int, kSeverityCount>& c) {
    return QStringLiteral("CRITICAL %1, WARNING %2, INFO %3")
        .arg(c[static_cast<std::size_t>(Severity::Critical)])
        .arg(c[static_cast<std::size_t>(Severity::Warning)])
        .arg(c[static_cast<std::size_t>(Severity::Info)]);
}

QString share(const FamilyShare& f) {
    return QStringLiteral("%1 %2%").arg(f.family).arg(f.percent, 0, 'f', 1);
}

}  // namespace

Json aggregateToJson(const AggregateSummary& s) {
    const FleetSummary& f = s.fleet;
    Json j = Json::object();
    j["schema_version"] = kAggregateSchemaVersion;
    j["threshold"] = s.threshold;
    j["options"] = {{"min_devices", s.options.minDevices},
                    {"overlap_tolerance_s", s.options.overlapToleranceS},
                    {"pattern_key", utf8(patternKeyName(s.options.patternKey))}};
    j["fleet"] = {{"devices", f.devices},
                  {"devices_affected", f.devicesAffected},
                  {"rows", f.rows},
                  {"flagged_rows", f.flaggedRows},
                  {"alerts", f.alerts},
                  {"alerts_by_severity", bySeverityJson(f.alertsBySeverity)},
                  {"family_mix", familiesJson(f.familyMix)},
                  {"systemic_patterns", f.systemicPatterns}};
    Json devices = Json::array();
    for (const DeviceSummary& d : s.devices) {
        devices.push_back({{"rank", d.healthRank},
                           {"device", utf8(d.device)},
                           {"rows", d.rows},
                           {"flagged_rows", d.flaggedRows},
                           {"mean_score", d.meanScore},
                           {"p95_score", d.p95Score},
                           {"max_score", d.maxScore},
                           {"families", familiesJson(d.families)},
                           {"first_flagged", optionalTime(d.firstFlaggedMs)},
                           {"last_flagged", optionalTime(d.lastFlaggedMs)},
                           {"alerts", d.alerts},
                           {"alerts_by_severity", bySeverityJson(d.alertsBySeverity)}});
    }
    j["devices"] = devices;
    Json patterns = Json::array();
    for (const FleetPattern& p : f.patterns) {
        patterns.push_back({{"key", utf8(p.key)},
                            {"label", utf8(p.label)},
                            {"verdict", utf8(patternVerdictName(p.verdict))},
                            {"devices", stringList(p.devices)},
                            {"concurrent_devices", p.concurrentDevices},
                            {"start", utf8(formatUtcTimestamp(p.startMs))},
                            {"end", utf8(formatUtcTimestamp(p.endMs))},
                            {"alert_count", p.alertCount},
                            {"highest_severity", utf8(severityName(p.highestSeverity))},
                            {"alert_ids", stringList(p.alertIds)}});
    }
    j["patterns"] = patterns;
    return j;
}

QString formatAggregateReport(const AggregateSummary& s, int maxDevices, int maxPatterns) {
    QStringList lines;
    lines << QStringLiteral("DEVICE HEALTH (rank 1 = worst; threshold %1)").arg(s.threshold, 0, 'f', 4);
    lines << QStringLiteral(
        "rank device               rows flagged   mean    p95    max crit warn info  top family");
    const int shownDevices = std::min(static_cast<int>(s.devices.size()), std::max(maxDevices, 0));
    for (int i = 0; i < shownDevices; ++i) {
        const DeviceSummary& d = s.devices[static_cast<std::size_t>(i)];
        QString line = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
                           .arg(d.healthRank, 4)
                           .arg(elide(d.device, 16), -16)
                           .arg(d.rows, 8)
                           .arg(d.flaggedRows, 7)
                           .arg(d.meanScore, 6, 'f', 4)
                           .arg(d.p95Score, 6, 'f', 4)
                           .arg(d.maxScore, 6, 'f', 4)
                           .arg(d.alertsBySeverity[static_cast<std::size_t>(Severity::Critical)], 4)
                           .arg(d.alertsBySeverity[static_cast<std::size_t>(Severity::Warning)], 4);
        line += QStringLiteral(" %1").arg(d.alertsBySeverity[static_cast<std::size_t>(Severity::Info)], 4);
        if (!d.families.empty())
            line += QStringLiteral("  ") + share(d.families.front());
        lines << elide(line, kReportWidth);
    }
    if (shownDevices < static_cast<int>(s.devices.size()))
        lines
            << QStringLiteral("  ... %1 more devices").arg(static_cast<int>(s.devices.size()) - shownDevices);

    const FleetSummary& f = s.fleet;
    lines << QString() << QStringLiteral("FLEET");
    const double flaggedPct =
        f.rows == 0 ? 0.0 : 100.0 * static_cast<double>(f.flaggedRows) / static_cast<double>(f.rows);
    lines << QStringLiteral("  devices: %1, affected: %2, rows: %3, flagged: %4 (%5%)")
                 .arg(f.devices)
                 .arg(f.devicesAffected)
                 .arg(f.rows)
                 .arg(f.flaggedRows)
                 .arg(flaggedPct, 0, 'f', 2);
    lines << QStringLiteral("  alerts: %1 (%2)").arg(f.alerts).arg(severityCounts(f.alertsBySeverity));
    QStringList mix;
    for (const FamilyShare& fs : f.familyMix) mix << share(fs);
    appendWrapped(lines, QStringLiteral("  family mix: "), mix);

    lines << QString()
          << QStringLiteral(
                 "PATTERNS by %1 (systemic = at least %2 devices in alert at once, tolerance %3 s)")
                 .arg(patternKeyName(s.options.patternKey))
                 .arg(s.options.minDevices)
                 .arg(s.options.overlapToleranceS);
    if (f.patterns.empty())
        lines << QStringLiteral("  none");
    const int shownPatterns = std::min(static_cast<int>(f.patterns.size()), std::max(maxPatterns, 0));
    const QString pad(12, QLatin1Char(' '));
    for (int i = 0; i < shownPatterns; ++i) {
        const FleetPattern& p = f.patterns[static_cast<std::size_t>(i)];
        lines << elide(QStringLiteral("  %1  %2: %3 device(s) (%4 at once), %5 alert(s), highest %6")
                           .arg(patternVerdictName(p.verdict), p.label)
                           .arg(p.devices.size())
                           .arg(p.concurrentDevices)
                           .arg(p.alertCount)
                           .arg(severityName(p.highestSeverity)),
                       kReportWidth);
        lines << pad + formatUtcTimestampHuman(p.startMs) + QStringLiteral(" -> ") +
                     formatUtcTimestampHuman(p.endMs);
        appendWrapped(lines, pad, p.devices);
    }
    if (shownPatterns < static_cast<int>(f.patterns.size()))
        lines << QStringLiteral("  ... %1 more patterns")
                     .arg(static_cast<int>(f.patterns.size()) - shownPatterns);
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

}  // namespace itap
