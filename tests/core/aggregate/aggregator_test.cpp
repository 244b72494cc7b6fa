#include "aggregate/aggregator.h"
#include "aggregate/aggregate_report.h"
#include "core/alerts/alert_fixtures.h"

#include <QTest>

#include <algorithm>
#include <limits>

using namespace itap;
using fixtures::FleetBuilder;
using fixtures::kT0;
using fixtures::shares;

namespace {

Alert alertAt(const QString& device, qint64 startS, qint64 endS, const char* family,
              Severity severity = Severity::Warning, const char* rule = "thermal_overload") {
    Alert a;
    a.device = device;
    a.startMs = a.peakMs = kT0 + startS * 1000;
    a.endMs = kT0 + endS * 1000;
    a.id = QStringLiteral("%1@%2").arg(device).arg(startS);
    a.severity = severity;
    a.ruleId = QString::fromLatin1(rule);
    a.cause = QStringLiteral("Cause of ") + a.ruleId;
    a.count = 1;
    a.families = shares({{family, 70}, {"Operation", 30}});
    return a;
}

AggregateOptions optionsWith(int minDevices, double toleranceS = 600, PatternKey key = PatternKey::Family) {
    AggregateOptions o;
    o.minDevices = minDevices;
    o.overlapToleranceS = toleranceS;
    o.patternKey = key;
    return o;
}

AggregateSummary aggregate(const FleetBuilder& b, const std::vector<Alert>& alerts,
                           AggregateOptions options = {}) {
    auto r = Aggregator(options).run(b.table, b.threshold, b.explanations, alerts, SensorCatalog::defaults());
    if (!r)
        qFatal("%s", qPrintable(r.error().toString()));
    return std::move(r).value();
}

const DeviceSummary* find(const AggregateSummary& s, const QString& device) {
    for (const DeviceSummary& d : s.devices)
        if (d.device == device)
            return &d;
    return nullptr;
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<itap::Alert>)

class AggregatorTest : public QObject {
    Q_OBJECT
private slots:
    void perDeviceScoreStatistics() {
        FleetBuilder b;
        // Scores 0.05, 0.10, ..., 1.00: mean 0.525, nearest-rank p95 = the 19th value = 0.95.
        for (int i = 1; i <= 20; ++i) b.add("DEV-A", i * 60, 0.05 * i, shares({{"Voltage", 100}}));
        b.add("DEV-B", 0, 0.1);
        const AggregateSummary s = aggregate(b, {});
        const DeviceSummary* a = find(s, "DEV-A");
        QVERIFY(a);
        QCOMPARE(a->rows, std::size_t(20));
        QVERIFY(qAbs(a->meanScore - 0.525) < 1e-6);
        QVERIFY(qAbs(a->p95Score - 0.95) < 1e-6);
        QVERIFY(qAbs(a->maxScore - 1.0) < 1e-6);
        // Flagged at 0.6: 0.60 (float rounds up), 0.65, ..., 1.00.
        QCOMPARE(a->flaggedRows, std::size_t(9));
        QCOMPARE(*a->firstFlaggedMs, kT0 + 12 * 60000);
        QCOMPARE(*a->lastFlaggedMs, kT0 + 20 * 60000);
        const DeviceSummary* quiet = find(s, "DEV-B");
        QVERIFY(quiet);
        QCOMPARE(quiet->flaggedRows, std::size_t(0));
        QVERIFY(!quiet->firstFlaggedMs.has_value());
        QVERIFY(quiet->families.empty());
        QCOMPARE(s.fleet.devices, 2);
        QCOMPARE(s.fleet.devicesAffected, 1);
        QCOMPARE(s.fleet.rows, std::size_t(21));
        QCOMPARE(s.fleet.flaggedRows, std::size_t(9));
    }

    // The console computes ScoreStats once and re-aggregates at every slider position; explanations normally
    // come in row order (one pass over them), otherwise they are matched row by row. Neither may change the
    // summary.
    void statisticsReuseAndExplanationOrderChangeNothing() {
        FleetBuilder b;
        b.threshold = 0.3;
        const char* families[] = {"Voltage", "Temperature", "Vibration", "Current"};
        std::uint32_t seed = 12345;
        auto next = [&seed] {
            seed = seed * 1664525u + 1013904223u;
            return double(seed >> 8) / double(1u << 24);
        };
        for (int i = 0; i < 600; ++i) {
            const QString device = QStringLiteral("DEV-%1").arg(i % 3);
            const double score = next();
            b.add(device, i * 10, score,
                  shares({{families[i % 4], 30 + (i % 7) * 10}, {families[(i + 1) % 4], 70 - (i % 7) * 10}}));
        }
        b.table.device[5] = 7;  // a row whose device index is not in the table: its own "device#7" slot
        b.table.device[8] = 7;
        b.table.score[11] = std::numeric_limits<float>::quiet_NaN();
        const std::vector<Alert> alerts = {alertAt("DEV-1", 100, 400, "Voltage"),
                                           alertAt("ELSEWHERE", 0, 60, "Current", Severity::Critical)};
        const ScoreStats stats = ScoreStats::of(b.table);
        std::vector<Explanation> shuffled = b.explanations;
        std::reverse(shuffled.begin(), shuffled.end());
        std::swap(shuffled[3], shuffled[40]);
        QVERIFY(b.explanations.size() > 100);
        const Aggregator aggregator;
        const SensorCatalog catalog = SensorCatalog::defaults();
        for (double threshold : {0.3, 0.55, 0.9}) {
            auto plain = aggregator.run(b.table, threshold, b.explanations, alerts, catalog);
            auto reused = aggregator.run(b.table, stats, threshold, b.explanations, alerts, catalog);
            auto unordered = aggregator.run(b.table, stats, threshold, shuffled, alerts, catalog);
            std::vector<std::size_t> flagged;  // what the console passes: Analysis::flagged
            for (std::size_t r = 0; r < b.table.size(); ++r)
                if (double(b.table.score[r]) >= threshold)
                    flagged.push_back(r);
            auto given = aggregator.run(b.table, stats, threshold, flagged, b.explanations, alerts, catalog);
            QVERIFY(plain && reused && unordered && given);
            const auto expected = aggregateToJson(*plain).dump();
            QCOMPARE(aggregateToJson(*reused).dump(), expected);
            QCOMPARE(aggregateToJson(*given).dump(), expected);
            QCOMPARE(aggregateToJson(*unordered).dump(), expected);
            QVERIFY(find(*plain, "device#7"));
            QVERIFY(find(*plain, "ELSEWHERE"));
        }
        // Statistics of another table are refused rather than misattributed.
        FleetBuilder other;
        other.add("DEV-0", 0, 0.5);
        QVERIFY(!aggregator.run(b.table, ScoreStats::of(other.table), 0.5, b.explanations, alerts, catalog));
    }

    void familiesAreMeanSharesOverFlaggedRows() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, shares({{"Voltage", 60}, {"Current", 40}}));
        b.add("DEV-A", 60, 0.8, shares({{"Voltage", 20}, {"Temperature", 80}}));
        b.add("DEV-A", 120, 0.1);  // not flagged: no say in the mix
        b.add("DEV-B", 0, 0.9, shares({{"Vibration", 100}}));
        const AggregateSummary s = aggregate(b, {});
        const DeviceSummary* a = find(s, "DEV-A");
        QCOMPARE(a->families.size(), std::size_t(3));
        double sum = 0;
        for (const FamilyShare& f : a->families) sum += f.percent;
        QVERIFY(qAbs(sum - 100.0) < 1e-9);
        // Voltage and Temperature tie at 40 %: ties keep alphabetical order.
        QCOMPARE(a->families[0].family, QStringLiteral("Temperature"));
        QVERIFY(qAbs(a->families[0].percent - 40.0) < 1e-9);
        QCOMPARE(a->families[1].family, QStringLiteral("Voltage"));
        QCOMPARE(a->families[2].family, QStringLiteral("Current"));
        QVERIFY(qAbs(a->families[2].percent - 20.0) < 1e-9);

        // Fleet: three explained rows; every catalog family is listed, absent ones at 0.
        const auto& mix = s.fleet.familyMix;
        QCOMPARE(mix.size(), SensorCatalog::defaults().families().size());
        sum = 0;
        for (const FamilyShare& f : mix) sum += f.percent;
        QVERIFY(qAbs(sum - 100.0) < 1e-9);
        QCOMPARE(mix.front().family, QStringLiteral("Vibration"));
        QVERIFY(qAbs(mix.front().percent - 100.0 / 3.0) < 1e-9);
        QCOMPARE(mix.back().family, QStringLiteral("RPM"));
        QCOMPARE(mix.back().percent, 0.0);
    }

    void healthRanking() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.5);
        b.add("DEV-B", 0, 0.5);
        b.add("DEV-C", 0, 0.55);
        b.add("DEV-D", 0, 0.3);
        b.add("DEV-E", 0, 0.3);
        b.add("DEV-F", 0, 0.9);
        std::vector<Alert> alerts;
        alerts.push_back(alertAt("DEV-A", 0, 10, "Voltage", Severity::Critical));  // 1 critical: worst
        for (int i = 0; i < 3; ++i) alerts.push_back(alertAt("DEV-B", i * 1000, i * 1000 + 10, "Voltage"));
        for (int i = 0; i < 3; ++i) alerts.push_back(alertAt("DEV-C", i * 1000, i * 1000 + 10, "Voltage"));
        alerts.push_back(alertAt("DEV-D", 0, 10, "Voltage", Severity::Info));
        alerts.push_back(alertAt("DEV-E", 0, 10, "Voltage", Severity::Info));
        // DEV-F: highest score but no alert at all (e.g. alerts computed at another threshold).
        const AggregateSummary s = aggregate(b, alerts);
        QStringList order;
        for (const DeviceSummary& d : s.devices) order << d.device;
        QCOMPARE(order, QStringList({"DEV-A", "DEV-C", "DEV-B", "DEV-D", "DEV-E", "DEV-F"}));
        for (std::size_t i = 0; i < s.devices.size(); ++i)
            QCOMPARE(s.devices[i].healthRank, static_cast<int>(i) + 1);
        QCOMPARE(s.devices[0].alertsBySeverity[static_cast<std::size_t>(Severity::Critical)], 1);
        QCOMPARE(s.devices[1].alerts, 3);
        QCOMPARE(s.fleet.alerts, 9);
        QCOMPARE(s.fleet.alertsBySeverity[static_cast<std::size_t>(Severity::Warning)], 6);
        QCOMPARE(s.fleet.alertsBySeverity[static_cast<std::size_t>(Severity::Info)], 2);
    }

    void patternVerdicts_data() {
        QTest::addColumn<std::vector<Alert>>("alerts");
        QTest::addColumn<int>("minDevices");
        QTest::addColumn<QStringList>("verdicts");  // "<VERDICT> <devices>" per pattern, in report order

        QTest::newRow("3 devices overlapping") << std::vector<Alert>{alertAt("D1", 0, 600, "Temperature"),
                                                                     alertAt("D2", 300, 900, "Temperature"),
                                                                     alertAt("D3", 500, 700, "Temperature")}
                                               << 3 << QStringList{"SYSTEMIC 3"};
        QTest::newRow("3 devices apart") << std::vector<Alert>{alertAt("D1", 0, 600, "Temperature"),
                                                               alertAt("D2", 3600, 4200, "Temperature"),
                                                               alertAt("D3", 7200, 7800, "Temperature")}
                                         << 3 << QStringList{"ISOLATED 1", "ISOLATED 1", "ISOLATED 1"};
        QTest::newRow("2 devices") << std::vector<Alert>{alertAt("D1", 0, 600, "Temperature"),
                                                         alertAt("D2", 0, 600, "Temperature")}
                                   << 3 << QStringList{"ISOLATED 2"};
        QTest::newRow("2 devices, min 2")
            << std::vector<Alert>{alertAt("D1", 0, 600, "Temperature"), alertAt("D2", 0, 600, "Temperature")}
            << 2 << QStringList{"SYSTEMIC 2"};
        QTest::newRow("3 devices, min 4")
            << std::vector<Alert>{alertAt("D1", 0, 600, "Temperature"), alertAt("D2", 0, 600, "Temperature"),
                                  alertAt("D3", 0, 600, "Temperature")}
            << 4 << QStringList{"ISOLATED 3"};
        // Gaps of 500 s are inside the 600 s tolerance: still the same time.
        QTest::newRow("within tolerance") << std::vector<Alert>{alertAt("D1", 0, 100, "Temperature"),
                                                                alertAt("D2", 600, 700, "Temperature"),
                                                                alertAt("D3", 350, 360, "Temperature")}
                                          << 3 << QStringList{"SYSTEMIC 3"};
        // D1 then D2 then D3, each overlapping only its neighbour: a chain, never three at once.
        QTest::newRow("relay, not systemic") << std::vector<Alert>{alertAt("D1", 0, 1000, "Temperature"),
                                                                   alertAt("D2", 900, 2500, "Temperature"),
                                                                   alertAt("D3", 2400, 3000, "Temperature")}
                                             << 3 << QStringList{"ISOLATED 3"};
        QTest::newRow("one device, many alerts") << std::vector<Alert>{alertAt("D1", 0, 100, "Temperature"),
                                                                       alertAt("D1", 200, 300, "Temperature"),
                                                                       alertAt("D1", 400, 500, "Temperature")}
                                                 << 3 << QStringList{"ISOLATED 1"};
        QTest::newRow("different families")
            << std::vector<Alert>{alertAt("D1", 0, 600, "Temperature"), alertAt("D2", 0, 600, "Voltage"),
                                  alertAt("D3", 0, 600, "Vibration")}
            << 3 << QStringList{"ISOLATED 1", "ISOLATED 1", "ISOLATED 1"};
        QTest::newRow("systemic listed first")
            << std::vector<Alert>{alertAt("D9", 0, 100, "Vibration"), alertAt("D1", 5000, 5600, "Voltage"),
                                  alertAt("D2", 5000, 5600, "Voltage"), alertAt("D3", 5100, 5200, "Voltage")}
            << 3 << QStringList{"SYSTEMIC 3", "ISOLATED 1"};
    }
    void patternVerdicts() {
        QFETCH(std::vector<Alert>, alerts);
        QFETCH(int, minDevices);
        QFETCH(QStringList, verdicts);
        const auto patterns = Aggregator::findPatterns(alerts, optionsWith(minDevices));
        QStringList got;
        int alertTotal = 0;
        for (const FleetPattern& p : patterns) {
            got << QStringLiteral("%1 %2").arg(patternVerdictName(p.verdict)).arg(p.devices.size());
            alertTotal += p.alertCount;
            QCOMPARE(p.alertIds.size(), p.alertCount);
            QVERIFY(p.startMs <= p.endMs);
            QVERIFY(p.concurrentDevices <= static_cast<int>(p.devices.size()));
        }
        QCOMPARE(got, verdicts);
        QCOMPARE(alertTotal, static_cast<int>(alerts.size()));
    }

    void patternSpanDevicesAndSeverity() {
        const std::vector<Alert> alerts = {alertAt("D3", 500, 700, "Temperature", Severity::Info),
                                           alertAt("D1", 0, 600, "Temperature", Severity::Critical),
                                           alertAt("D2", 300, 900, "Temperature", Severity::Warning)};
        const auto patterns = Aggregator::findPatterns(alerts, optionsWith(3));
        QCOMPARE(patterns.size(), std::size_t(1));
        const FleetPattern& p = patterns[0];
        QCOMPARE(p.key, QStringLiteral("Temperature"));
        QCOMPARE(p.devices, QStringList({"D1", "D2", "D3"}));
        QCOMPARE(p.concurrentDevices, 3);
        QCOMPARE(p.startMs, kT0);
        QCOMPARE(p.endMs, kT0 + 900000);
        QCOMPARE(p.alertCount, 3);
        QCOMPARE(p.highestSeverity, Severity::Critical);
        QCOMPARE(p.alertIds, QStringList({"D1@0", "D2@300", "D3@500"}));
    }

    void patternsByCause() {
        // Same dominant family, different rules: one pattern by family, two by cause.
        const std::vector<Alert> alerts = {
            alertAt("D1", 0, 600, "Voltage", Severity::Warning, "power_instability"),
            alertAt("D2", 0, 600, "Voltage", Severity::Warning, "power_instability"),
            alertAt("D3", 0, 600, "Voltage", Severity::Warning, "electrical_noise")};
        QCOMPARE(Aggregator::findPatterns(alerts, optionsWith(3)).size(), std::size_t(1));
        const auto byCause = Aggregator::findPatterns(alerts, optionsWith(2, 600, PatternKey::Cause));
        QCOMPARE(byCause.size(), std::size_t(2));
        QCOMPARE(byCause[0].key, QStringLiteral("power_instability"));
        QCOMPARE(byCause[0].label, QStringLiteral("Cause of power_instability"));
        QCOMPARE(byCause[0].verdict, PatternVerdict::Systemic);
        QCOMPARE(byCause[1].verdict, PatternVerdict::Isolated);
    }

    void zeroToleranceNeedsRealOverlap() {
        const std::vector<Alert> touching = {alertAt("D1", 0, 100, "RPM"), alertAt("D2", 100, 200, "RPM"),
                                             alertAt("D3", 100, 150, "RPM")};
        QCOMPARE(Aggregator::findPatterns(touching, optionsWith(3, 0))[0].verdict, PatternVerdict::Systemic);
        const std::vector<Alert> apart = {alertAt("D1", 0, 100, "RPM"), alertAt("D2", 101, 200, "RPM"),
                                          alertAt("D3", 101, 150, "RPM")};
        QCOMPARE(Aggregator::findPatterns(apart, optionsWith(3, 0)).size(), std::size_t(2));
    }

    void engineAlertsFeedTheAggregator() {
        FleetBuilder b;
        for (int d = 0; d < 4; ++d) {
            const QString dev = QStringLiteral("DEV-%1").arg(d);
            for (int i = 0; i < 30; ++i)
                b.add(dev, i * 60, i >= 10 && i < 20 ? 0.8 : 0.3,
                      shares({{"Temperature", 80}, {"Current", 20}}));
        }
        b.add("DEV-9", 0, 0.95, shares({{"Vibration", 60}, {"RPM", 40}}));
        const auto alerts = incidentsOf(b);
        QCOMPARE(alerts.size(), std::size_t(5));
        const AggregateSummary s = aggregate(b, alerts);
        QCOMPARE(s.fleet.devicesAffected, 5);
        QCOMPARE(s.fleet.systemicPatterns, 1);
        QCOMPARE(s.fleet.patterns[0].key, QStringLiteral("Temperature"));
        QCOMPARE(s.fleet.patterns[0].devices.size(), 4);
        QCOMPARE(s.fleet.patterns[1].verdict, PatternVerdict::Isolated);
        QCOMPARE(s.fleet.patterns[1].devices, QStringList({"DEV-9"}));
    }

    void alertsOfUnknownDevicesAreKept() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.1);
        const AggregateSummary s = aggregate(b, {alertAt("DEV-X", 0, 10, "Voltage", Severity::Critical)});
        QCOMPARE(s.fleet.devices, 2);
        QCOMPARE(s.devices[0].device, QStringLiteral("DEV-X"));
        QCOMPARE(s.devices[0].rows, std::size_t(0));
        QCOMPARE(s.devices[0].alerts, 1);
    }

    void rejectsBadOptions_data() {
        QTest::addColumn<int>("minDevices");
        QTest::addColumn<double>("toleranceS");
        QTest::newRow("min devices 1") << 1 << 600.0;
        QTest::newRow("min devices huge") << 1000000 << 600.0;
        QTest::newRow("negative tolerance") << 3 << -1.0;
        QTest::newRow("nan tolerance") << 3 << std::numeric_limits<double>::quiet_NaN();
    }
    void rejectsBadOptions() {
        QFETCH(int, minDevices);
        QFETCH(double, toleranceS);
        FleetBuilder b;
        const auto r = Aggregator(optionsWith(minDevices, toleranceS))
                           .run(b.table, b.threshold, b.explanations, {}, SensorCatalog::defaults());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY(r.error().message.startsWith(QStringLiteral("aggregate: ")));
    }
};

QTEST_GUILESS_MAIN(AggregatorTest)
#include "aggregator_test.moc"
