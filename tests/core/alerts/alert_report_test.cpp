#include "alerts/alert_report.h"
#include "common/json_util.h"
#include "common/time_util.h"
#include "core/alerts/alert_fixtures.h"

#include <QTest>

using namespace itap;
using fixtures::FleetBuilder;
using fixtures::kT0;
using fixtures::shares;

namespace {

Alert powerAlert() {
    Alert a;
    a.id = QStringLiteral("DEV-0006@2026-01-01T05:31:10Z");
    a.severity = Severity::Critical;
    a.startMs = a.peakMs = *parseUtcTimestamp(std::string_view("2026-01-01T05:31:10Z"));
    a.endMs = a.startMs + 180000;
    a.device = QStringLiteral("DEV-0006");
    a.state = OpState::Run;
    a.peakScore = 0.6852;
    a.count = 4;
    a.cause = QStringLiteral("Power instability");
    a.ruleId = QStringLiteral("power_instability");
    a.confidence = 0.849;
    a.families = shares(
        {{"Voltage", 54.7}, {"Current", 30.2}, {"Temperature", 6.6}, {"RPM", 5.0}, {"Vibration", 3.5}});
    a.topFeatures = {{QStringLiteral("voltage_v_max"), 21.9}, {QStringLiteral("current_a_delta"), 12.4}};
    a.faultTag = QStringLiteral("power_spike");
    a.action = QStringLiteral("Check the supply feed.");
    a.peakRow = 42;
    a.kind = IncidentKind::Alarm;
    a.raisedMs = a.startMs + 30000;
    a.clearedMs = a.startMs + 300000;
    a.rows = 33;
    a.revisions = {CauseRevision{a.startMs + 60000, QStringLiteral("electrical_noise"), a.ruleId}};
    return a;
}

}  // namespace

class AlertReportTest : public QObject {
    Q_OBJECT
private slots:
    void formatsLikeTheOperatorReport() {
        const QStringList lines = formatAlert(powerAlert()).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines[0], QStringLiteral("CRITICAL | 2026-01-01 05:31:10 | DEV-0006 | RUN | score=0.6852"));
        QCOMPARE(lines[1],
                 QStringLiteral("  cause=Power instability | conf=0.85 | Voltage=54.7%, Current=30.2%, "
                                "Temperature=6.6%"));
        QCOMPARE(lines[2], QStringLiteral("    voltage_v_max: 21.9%"));
        QCOMPARE(lines[3], QStringLiteral("    current_a_delta: 12.4%"));
        QCOMPARE(lines[4],
                 QStringLiteral(
                     "  tag=power_spike  rule=power_instability  flags=4 over 00:03:00 since 05:31:10"));
        QCOMPARE(lines[5],
                 QStringLiteral("  alarm, raised 2026-01-01 05:31:40, cleared 2026-01-01 05:36:10, 33 rows, "
                                "cause revised 1×"));
        QCOMPARE(lines[6], QStringLiteral("  action=Check the supply feed."));
    }

    void formatLeavesOutWhatIsUnknown() {
        Alert a = powerAlert();
        a.faultTag.clear();
        a.count = 1;
        a.families.clear();
        a.topFeatures.clear();
        a.severity = Severity::Info;
        a.kind = IncidentKind::Event;
        a.clearedMs = -1;
        a.rows = 0;
        a.revisions.clear();
        const QStringList lines = formatAlert(a).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 5);
        QVERIFY(lines[0].startsWith(QStringLiteral("INFO | ")));
        QCOMPARE(lines[1], QStringLiteral("  cause=Power instability | conf=0.85"));
        QCOMPARE(lines[2], QStringLiteral("  rule=power_instability"));
        QCOMPARE(lines[3], QStringLiteral("  event, raised 2026-01-01 05:31:40, active"));
    }

    void spanAcrossMidnightShowsTheDate() {
        Alert a = powerAlert();
        a.startMs = *parseUtcTimestamp(std::string_view("2025-12-31T23:59:00Z"));
        a.endMs = a.peakMs + 60000;
        const QStringList lines = formatAlert(a).split(QLatin1Char('\n'));
        QCOMPARE(lines[4],
                 QStringLiteral("  tag=power_spike  rule=power_instability  flags=4 over 05:33:10 since "
                                "2025-12-31 23:59:00"));
    }

    void countsReduction() {
        std::vector<Alert> alerts(3, powerAlert());
        alerts[1].count = 10;
        alerts[2].severity = Severity::Warning;
        const AlertCounts c = countAlerts(alerts);
        QCOMPARE(c.flaggedRows, std::size_t(18));
        QCOMPARE(c.alerts, std::size_t(3));
        QCOMPARE(c.bySeverity[static_cast<std::size_t>(Severity::Critical)], std::size_t(2));
        QCOMPARE(c.bySeverity[static_cast<std::size_t>(Severity::Warning)], std::size_t(1));
        QVERIFY(qAbs(c.reductionPercent() - 100.0 * (1.0 - 3.0 / 18.0)) < 1e-12);
        QCOMPARE(countAlerts({}).reductionPercent(), 0.0);
    }

    void jsonCarriesEveryField() {
        const nlohmann::json j = alertToJson(powerAlert());
        QCOMPARE(j.at("id").get<std::string>(), std::string("DEV-0006@2026-01-01T05:31:10Z"));
        QCOMPARE(j.at("severity").get<std::string>(), std::string("CRITICAL"));
        QCOMPARE(j.at("state").get<std::string>(), std::string("RUN"));
        QCOMPARE(j.at("start").get<std::string>(), std::string("2026-01-01T05:31:10Z"));
        QCOMPARE(j.at("end").get<std::string>(), std::string("2026-01-01T05:34:10Z"));
        QCOMPARE(j.at("duration_s").get<double>(), 180.0);
        QCOMPARE(j.at("count").get<int>(), 4);
        QCOMPARE(j.at("families").size(), std::size_t(5));
        QCOMPARE(j.at("top_features")[0].at("feature").get<std::string>(), std::string("voltage_v_max"));
        QCOMPARE(j.at("fault_tag").get<std::string>(), std::string("power_spike"));
        QCOMPARE(j.at("peak_row").get<std::size_t>(), std::size_t(42));
        Alert untagged = powerAlert();
        untagged.faultTag.clear();
        QVERIFY(alertToJson(untagged).at("fault_tag").is_null());
    }

    void alertsJsonIsDeterministic() {
        FleetBuilder b;
        for (int d = 0; d < 3; ++d)
            for (int i = 0; i < 50; ++i)
                b.add(QStringLiteral("DEV-%1").arg(d), i * 120, 0.5 + 0.01 * ((i * 7 + d * 3) % 45),
                      i % 20 < 10 ? shares({{"Voltage", 55}, {"Current", 30}, {"RPM", 15}})
                                  : shares({{"Temperature", 75}, {"Voltage", 25}}),
                      i % 3 ? QString() : QStringLiteral("overheat"));
        const AlertRules rules = AlertRules::defaults();
        const IncidentList first = incidentListOf(b, rules);
        const IncidentList second = incidentListOf(b, rules);
        const AlarmKpis kpis = computeAlarmKpis(first.incidents, first.fleet, b.table, 300000, KpiScope::All);
        const QByteArray bytes =
            toJsonBytes(alertsToJson(first.incidents, first.fleet, kpis, kpis, rules, b.threshold));
        QCOMPARE(toJsonBytes(alertsToJson(second.incidents, second.fleet, kpis, kpis, rules, b.threshold)),
                 bytes);

        const auto j = nlohmann::json::parse(bytes.toStdString());
        QCOMPARE(j.at("schema_version").get<int>(), kAlertsSchemaVersion);
        QCOMPARE(j.at("alerts").size(), first.incidents.size());
        QVERIFY(!first.incidents.empty());
        std::size_t flagged = 0;
        for (float s : b.table.score) flagged += s >= b.threshold ? 1 : 0;
        // An incident's flags are the flagged rows inside it; flags in excursions shorter than the on-delay
        // belong to none.
        QVERIFY(j.at("summary").at("flagged_rows").get<std::size_t>() <= flagged);
        QCOMPARE(j.at("summary").at("alerts").get<std::size_t>(), first.incidents.size());
        QCOMPARE(j.at("policy").at("cooldown_s").get<double>(), 600.0);
        QCOMPARE(j.at("kpis").at("annunciated").get<int>(), kpis.annunciated);
        std::size_t bySeverity = 0;
        for (const auto& [k, v] : j.at("summary").at("by_severity").items())
            bySeverity += v.get<std::size_t>();
        QCOMPARE(bySeverity, first.incidents.size());
    }
};

QTEST_GUILESS_MAIN(AlertReportTest)
#include "alert_report_test.moc"
