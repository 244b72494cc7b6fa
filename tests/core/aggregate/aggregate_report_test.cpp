#include "aggregate/aggregate_report.h"
#include "aggregate/aggregator.h"
#include "common/json_util.h"
#include "core/alerts/alert_fixtures.h"

#include <QTest>

using namespace itap;
using fixtures::FleetBuilder;
using fixtures::shares;

namespace {

// A fleet with a systemic overheat on four devices, an isolated bearing problem and quiet devices.
FleetBuilder fleet(int quietDevices, const QString& prefix = QStringLiteral("DEV-")) {
    FleetBuilder b;
    for (int d = 0; d < 4; ++d)
        for (int i = 0; i < 40; ++i)
            b.add(QStringLiteral("%1%2").arg(prefix).arg(d), i * 60,
                  i >= 10 && i < 25 ? 0.62 + 0.01 * (i - 10) : 0.3,
                  shares({{"Temperature", 70 + d}, {"Current", 30 - d}}),
                  i % 2 ? QStringLiteral("overheat") : QString());
    for (int i = 0; i < 40; ++i)
        b.add(prefix + QStringLiteral("BEARING"), i * 60, i > 30 ? 0.9 : 0.2,
              shares({{"Vibration", 70}, {"RPM", 30}}));
    for (int d = 0; d < quietDevices; ++d)
        for (int i = 0; i < 10; ++i)
            b.add(QStringLiteral("%1Q%2").arg(prefix).arg(d), i * 60, 0.1 + 0.01 * i);
    return b;
}

AggregateSummary summarise(const FleetBuilder& b) {
    const auto alerts = incidentsOf(b);
    auto r = Aggregator().run(b.table, b.threshold, b.explanations, alerts, SensorCatalog::defaults());
    if (!r)
        qFatal("%s", qPrintable(r.error().toString()));
    return std::move(r).value();
}

}  // namespace

class AggregateReportTest : public QObject {
    Q_OBJECT
private slots:
    void jsonIsDeterministicAndComplete() {
        const FleetBuilder b = fleet(3);
        const QByteArray bytes = toJsonBytes(aggregateToJson(summarise(b)));
        QCOMPARE(toJsonBytes(aggregateToJson(summarise(b))), bytes);

        const auto j = nlohmann::json::parse(bytes.toStdString());
        QCOMPARE(j.at("schema_version").get<int>(), kAggregateSchemaVersion);
        QCOMPARE(j.at("options").at("min_devices").get<int>(), 3);
        QCOMPARE(j.at("options").at("pattern_key").get<std::string>(), std::string("family"));
        QCOMPARE(j.at("fleet").at("devices").get<int>(), 8);
        QCOMPARE(j.at("fleet").at("devices_affected").get<int>(), 5);
        QCOMPARE(j.at("fleet").at("systemic_patterns").get<int>(), 1);
        const auto& devices = j.at("devices");
        QCOMPARE(devices.size(), std::size_t(8));
        for (std::size_t i = 0; i < devices.size(); ++i)
            QCOMPARE(devices[i].at("rank").get<std::size_t>(), i + 1);
        QVERIFY(devices.back().at("first_flagged").is_null());
        QVERIFY(devices[0].at("first_flagged").is_string());
        const auto& patterns = j.at("patterns");
        QCOMPARE(patterns[0].at("verdict").get<std::string>(), std::string("SYSTEMIC"));
        QCOMPARE(patterns[0].at("key").get<std::string>(), std::string("Temperature"));
        QCOMPARE(patterns[0].at("devices").size(), std::size_t(4));
        QCOMPARE(patterns[1].at("verdict").get<std::string>(), std::string("ISOLATED"));
    }

    void reportFitsOneHundredColumns_data() {
        QTest::addColumn<int>("quietDevices");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("small fleet") << 2 << "DEV-";
        QTest::newRow("long device ids") << 30 << "PLANT-NORTH-LINE-7-COMPRESSOR-";
    }
    void reportFitsOneHundredColumns() {
        QFETCH(int, quietDevices);
        QFETCH(QString, prefix);
        const AggregateSummary s = summarise(fleet(quietDevices, prefix));
        const QString text = formatAggregateReport(s, 10, 5);
        const QStringList lines = text.split(QLatin1Char('\n'));
        for (const QString& line : lines) QVERIFY2(line.size() <= 100, qPrintable(line));
        QVERIFY(text.contains(QStringLiteral("DEVICE HEALTH")));
        QVERIFY(text.contains(QStringLiteral("SYSTEMIC  Temperature: 4 device(s) (4 at once)")));
        QVERIFY(text.contains(QStringLiteral("ISOLATED  Vibration: 1 device(s)")));
        // Rank 1 is the first leaderboard row.
        QVERIFY(lines[2].trimmed().startsWith(QStringLiteral("1 ")));
        const int shown = std::min(10, static_cast<int>(s.devices.size()));
        if (static_cast<int>(s.devices.size()) > shown)
            QVERIFY(text.contains(
                QStringLiteral("... %1 more devices").arg(static_cast<int>(s.devices.size()) - shown)));
        // Every device of the systemic pattern is listed, however the list wraps.
        for (const QString& d : s.fleet.patterns[0].devices)
            QVERIFY2(text.contains(d.left(20)), qPrintable(d));
    }

    void reportOnAQuietFleet() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.1);
        const QString text = formatAggregateReport(summarise(b));
        QVERIFY(text.contains(QStringLiteral("alerts: 0 (CRITICAL 0, WARNING 0, INFO 0)")));
        QVERIFY(text.contains(QStringLiteral("PATTERNS")));
        QVERIFY(text.contains(QStringLiteral("  none")));
    }
};

QTEST_GUILESS_MAIN(AggregateReportTest)
#include "aggregate_report_test.moc"
