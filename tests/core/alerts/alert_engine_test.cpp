#include "alerts/alert_engine.h"
#include "alerts/alert_report.h"
#include "common/time_util.h"
#include "core/alerts/alert_fixtures.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace itap;
using fixtures::FleetBuilder;
using fixtures::kT0;
using fixtures::shares;
using Json = nlohmann::json;

namespace {

const auto kPower = [] { return shares({{"Voltage", 55}, {"Current", 30}, {"Temperature", 15}}); };
const auto kHeat = [] { return shares({{"Temperature", 80}, {"Current", 20}}); };

AlertEngine engineWith(double cooldownS, int topFeatures = 3) {
    Json j = AlertRules::defaults().toJson();
    j["cooldown_s"] = cooldownS;
    j["top_features"] = topFeatures;
    auto r = AlertRules::fromJson(j, QStringLiteral("test"));
    if (!r)
        qFatal("%s", qPrintable(r.error().toString()));
    return AlertEngine(std::move(r).value());
}

std::vector<Alert> runOn(const FleetBuilder& b, const AlertEngine& engine = engineWith(300)) {
    return engine.run(b.table, b.threshold, b.explanations, b.schema);
}

}  // namespace

class AlertEngineTest : public QObject {
    Q_OBJECT
private slots:
    // Gap (s) between two power flags of one device → alerts expected with a 300 s cooldown.
    void cooldownMergesAndSplits_data() {
        QTest::addColumn<int>("gapS");
        QTest::addColumn<int>("alerts");
        QTest::newRow("next sample") << 10 << 1;
        QTest::newRow("on the cooldown") << 300 << 1;
        QTest::newRow("just beyond") << 301 << 2;
        QTest::newRow("an hour later") << 3600 << 2;
    }
    void cooldownMergesAndSplits() {
        QFETCH(int, gapS);
        QFETCH(int, alerts);
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, kPower());
        b.add("DEV-A", gapS, 0.8, kPower());
        const auto out = runOn(b);
        QCOMPARE(static_cast<int>(out.size()), alerts);
        int total = 0;
        for (const Alert& a : out) total += a.count;
        QCOMPARE(total, 2);
        if (alerts == 1) {
            QCOMPARE(out[0].startMs, kT0);
            QCOMPARE(out[0].endMs, kT0 + gapS * 1000LL);
        }
    }

    void unflaggedRowsInsideTheCooldownDoNotSplit() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, kPower());
        b.add("DEV-A", 60, 0.2);
        b.add("DEV-A", 120, 0.3);
        b.add("DEV-A", 180, 0.7, kPower());
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].count, 2);
    }

    void gapIsMeasuredFromTheLastFlag() {
        // Flags every 200 s: each gap is inside a 300 s cooldown although the whole run lasts 800 s.
        FleetBuilder b;
        for (int i = 0; i < 5; ++i) b.add("DEV-A", i * 200, 0.7, kPower());
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].count, 5);
        QCOMPARE(out[0].endMs - out[0].startMs, qint64(800000));
    }

    void causeChangeSplits() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, kPower());
        b.add("DEV-A", 10, 0.7, kHeat());
        b.add("DEV-A", 20, 0.7, kPower());
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(3));
        QCOMPARE(out[0].ruleId, QStringLiteral("power_instability"));
        QCOMPARE(out[1].ruleId, QStringLiteral("thermal_overload"));
        QCOMPARE(out[2].ruleId, QStringLiteral("power_instability"));
        QCOMPARE(out[1].cause, QStringLiteral("Thermal overload"));
        QVERIFY(!out[1].action.isEmpty());
    }

    void devicesNeverMerge() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, kPower());
        b.add("DEV-A", 10, 0.7, kPower());
        b.add("DEV-B", 5, 0.7, kPower());
        b.add("DEV-B", 15, 0.7, kPower());
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(2));
        // Ordered by start time across devices.
        QCOMPARE(out[0].device, QStringLiteral("DEV-A"));
        QCOMPARE(out[1].device, QStringLiteral("DEV-B"));
        QCOMPARE(out[0].count, 2);
        QCOMPARE(out[1].count, 2);
        QCOMPARE(out[1].id, QStringLiteral("DEV-B@") + formatUtcTimestamp(kT0 + 5000));
    }

    void mergedAlertKeepsPeakCountsAndHighestSeverity() {
        FleetBuilder b;  // threshold 0.6: margins 0.05 (INFO), 0.5 (CRITICAL), 0.125 (WARNING)
        b.add("DEV-A", 0, 0.62, kPower(), "power_spike", OpState::Idle);
        const std::size_t peak = b.add("DEV-A", 10, 0.8, kPower(), "power_spike", OpState::Run);
        b.add("DEV-A", 20, 0.65, kPower(), QString(), OpState::Maint);
        b.add("DEV-A", 30, 0.8, kPower(), "overheat", OpState::Idle);  // ties the peak: the earlier one stays
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(1));
        const Alert& a = out[0];
        QCOMPARE(a.count, 4);
        QCOMPARE(a.peakRow, peak);
        QCOMPARE(a.peakMs, kT0 + 10000);
        QCOMPARE(a.peakScore, static_cast<double>(0.8f));
        QCOMPARE(a.state, OpState::Run);
        QCOMPARE(a.severity, Severity::Critical);
        QCOMPARE(a.startMs, kT0);
        QCOMPARE(a.endMs, kT0 + 30000);
        QCOMPARE(a.faultTag, QStringLiteral("power_spike"));
        QCOMPARE(a.id, QStringLiteral("DEV-A@2026-01-01T00:00:00Z"));
    }

    void faultTagTieGoesToTheAlphabeticallyFirst() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, kPower(), "power_spike");
        b.add("DEV-A", 10, 0.7, kPower(), "overheat");
        b.add("DEV-A", 20, 0.7, kPower());
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].faultTag, QStringLiteral("overheat"));
    }

    void peakExplanationGivesFamiliesFeaturesAndConfidence() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.7, shares({{"Voltage", 60}, {"Current", 25}, {"Temperature", 10}, {"RPM", 5}}));
        b.add("DEV-A", 10, 0.9, shares({{"Voltage", 50}, {"Current", 40}, {"Temperature", 6}, {"RPM", 4}}));
        const auto out = runOn(b, engineWith(300, 2));
        QCOMPARE(out.size(), std::size_t(1));
        const Alert& a = out[0];
        QVERIFY(qAbs(a.confidence - 0.90) < 1e-9);
        QCOMPARE(a.families.size(), std::size_t(4));
        QCOMPARE(a.families[0].family, QStringLiteral("Voltage"));
        QCOMPARE(a.families[0].percent, 50.0);
        QCOMPARE(a.topFeatures.size(), std::size_t(2));
        QCOMPARE(a.topFeatures[0].name, QStringLiteral("voltage_v_max"));
        QCOMPARE(a.topFeatures[1].name, QStringLiteral("current_a_delta"));
        QCOMPARE(a.topFeatures[1].percent, 40.0);
    }

    void confidenceStaysInUnitInterval() {
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const char* fams[] = {"Voltage",   "Current",     "Temperature", "RPM",
                              "Vibration", "Missingness", "Operation"};
        FleetBuilder b;
        for (int i = 0; i < 400; ++i) {
            QList<FamilyShare> s;
            double total = 0;
            for (const char* f : fams) {
                const double w = std::pow(u(rng), 3.0);  // skewed, so that every rule gets to match sometimes
                s.push_back({QString::fromLatin1(f), w});
                total += w;
            }
            for (FamilyShare& f : s) f.percent = 100.0 * f.percent / total;
            std::sort(s.begin(), s.end(),
                      [](const FamilyShare& x, const FamilyShare& y) { return x.percent > y.percent; });
            b.add(QStringLiteral("DEV-%1").arg(i % 5), i * 400, 0.6 + 0.4 * u(rng), s);
        }
        const AlertEngine engine = engineWith(0);
        const auto out = runOn(b, engine);
        QSet<QString> rulesSeen;
        for (const Alert& a : out) {
            QVERIFY(a.confidence >= 0.0 && a.confidence <= 1.0);
            rulesSeen.insert(a.ruleId);
            // Confidence is the summed share of the matched rule's families at the peak.
            double expected = 0;
            for (const AlertRule& r : engine.rules().rules()) {
                if (r.id != a.ruleId)
                    continue;
                for (const FamilyShare& f : a.families)
                    if (r.families.contains(f.family))
                        expected += f.percent / 100.0;
            }
            QVERIFY(qAbs(a.confidence - expected) < 1e-9);
        }
        QVERIFY2(rulesSeen.size() >= 4,
                 qPrintable(QStringList(rulesSeen.cbegin(), rulesSeen.cend()).join(',')));
    }

    void unexplainedFlagsFallBackAndUnflaggedExplanationsAreIgnored() {
        FleetBuilder b;
        b.add("DEV-A", 0, 0.9);  // flagged, no explanation
        const std::size_t quiet = b.add("DEV-B", 0, 0.1);
        Explanation stray;  // explanation of a row that is not flagged at this threshold
        stray.row = quiet;
        stray.families = kPower();
        b.explanations.push_back(stray);
        const auto out = runOn(b);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].device, QStringLiteral("DEV-A"));
        QCOMPARE(out[0].ruleId, QStringLiteral("unclassified"));
        QCOMPARE(out[0].confidence, 0.0);
        QVERIFY(out[0].families.empty());
    }

    void countsSumToFlaggedRows() {
        FleetBuilder b;
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::size_t flagged = 0;
        for (int d = 0; d < 4; ++d) {
            for (int i = 0; i < 200; ++i) {
                const double score = u(rng);
                flagged += static_cast<float>(score) >= b.threshold ? 1 : 0;
                b.add(QStringLiteral("DEV-%1").arg(d), i * 60, score, (i / 20) % 2 ? kPower() : kHeat());
            }
        }
        const auto out = runOn(b);
        const AlertCounts c = countAlerts(out);
        QCOMPARE(c.flaggedRows, flagged);
        QVERIFY(c.alerts < flagged);
        QVERIFY(c.reductionPercent() > 0.0);
        for (const Alert& a : out) QVERIFY(a.startMs <= a.peakMs && a.peakMs <= a.endMs);
    }

    void trackerGivesTheSameAlertsAsRun() {
        FleetBuilder b;
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int d = 0; d < 3; ++d)
            for (int i = 0; i < 150; ++i)
                b.add(QStringLiteral("DEV-%1").arg(d), i * 90, u(rng), u(rng) < 0.5 ? kPower() : kHeat(),
                      u(rng) < 0.3 ? QStringLiteral("overheat") : QString());
        const AlertEngine engine = engineWith(300);
        const auto batch = runOn(b, engine);

        AlertTracker live = engine.tracker(b.threshold, b.schema);
        std::size_t e = 0;
        std::size_t created = 0;
        for (std::size_t r = 0; r < b.table.size(); ++r) {
            ScoredRow row{b.table.devices[b.table.device[r]],
                          b.table.tsMs[r],
                          b.table.state[r],
                          b.table.score[r],
                          b.table.faultTag[r],
                          r};
            const bool explained = e < b.explanations.size() && b.explanations[e].row == r;
            const auto update = live.push(row, explained ? b.explanations[e++] : Explanation{});
            QCOMPARE(update.has_value(), b.table.score[r] >= b.threshold);
            if (update && update->created)
                ++created;
            if (update)
                QCOMPARE(live.alerts()[update->index].endMs, row.tsMs);
        }
        QCOMPARE(created, live.alerts().size());
        QCOMPARE(live.flaggedRows(), countAlerts(batch).flaggedRows);
        std::vector<Alert> streamed = live.takeAlerts();
        std::stable_sort(streamed.begin(), streamed.end(), [](const Alert& x, const Alert& y) {
            return x.startMs != y.startMs ? x.startMs < y.startMs : x.device < y.device;
        });
        const AlertRules& rules = engine.rules();
        QCOMPARE(alertsToJson(streamed, rules, b.threshold).dump(),
                 alertsToJson(batch, rules, b.threshold).dump());
        QVERIFY(live.alerts().empty());
    }

    void outOfOrderRowOpensANewAlert() {
        AlertTracker t = engineWith(300).tracker(0.6, FleetBuilder().schema);
        Explanation why;
        why.families = kPower();
        QVERIFY(t.push({"DEV-A", kT0 + 100000, OpState::Run, 0.7, {}, 0}, why)->created);
        const auto back = t.push({"DEV-A", kT0, OpState::Run, 0.7, {}, 1}, why);
        QVERIFY(back->created);
        QCOMPARE(t.alerts()[0].count, 1);
        QVERIFY(!t.push({"DEV-A", kT0 + 10000, OpState::Run, 0.5, {}, 2}, why).has_value());
    }
    // Ids repeat only for out-of-order input: the k-th alert of a device starting at one instant gets "#k";
    // another device at the same instant does not.
    void repeatedStartsGetNumberedIds() {
        AlertTracker t = engineWith(300).tracker(0.6, FleetBuilder().schema);
        Explanation power;
        power.families = kPower();
        Explanation heat;
        heat.families = kHeat();
        const QString base = QStringLiteral("DEV-A@") + formatUtcTimestamp(kT0);
        QVERIFY(t.push({"DEV-A", kT0 + 100000, OpState::Run, 0.7, {}, 0}, power)->created);
        QVERIFY(t.push({"DEV-A", kT0, OpState::Run, 0.7, {}, 1}, power)->created);  // older: new alert
        QVERIFY(t.push({"DEV-A", kT0, OpState::Run, 0.7, {}, 2}, heat)->created);   // other cause, same start
        QVERIFY(t.push({"DEV-A", kT0, OpState::Run, 0.7, {}, 3}, power)->created);  // and back
        QVERIFY(t.push({"DEV-B", kT0, OpState::Run, 0.7, {}, 4}, power)->created);
        QVERIFY(t.push({"DEV-A", kT0 + 400000, OpState::Run, 0.7, {}, 5}, power)->created);
        const auto& a = t.alerts();
        QCOMPARE(a.size(), std::size_t(6));
        QCOMPARE(a[0].id, QStringLiteral("DEV-A@") + formatUtcTimestamp(kT0 + 100000));
        QCOMPARE(a[1].id, base);
        QCOMPARE(a[2].id, base + QStringLiteral("#2"));
        QCOMPARE(a[3].id, base + QStringLiteral("#3"));
        QCOMPARE(a[4].id, QStringLiteral("DEV-B@") + formatUtcTimestamp(kT0));
        QCOMPARE(a[5].id, QStringLiteral("DEV-A@") + formatUtcTimestamp(kT0 + 400000));
        // A fresh list after takeAlerts(): the same start is plain again.
        (void)t.takeAlerts();
        QVERIFY(t.push({"DEV-A", kT0, OpState::Run, 0.7, {}, 6}, power)->created);
        QCOMPARE(t.alerts()[0].id, base);
    }

    // The tracker matches rules through family strings it has seen before (by their data pointer); a family
    // spelled by a fresh string, or named by no rule, must give what AlertRules::match gives.
    void trackerMatchesLikeTheRules() {
        const AlertEngine engine = engineWith(0);
        const FleetBuilder b;
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const QStringList names = {"Voltage", "Current", "Temperature", "RPM", "Vibration", "Missingness",
                                   "Operation", "Pressure", "Acoustic"};
        AlertTracker t = engine.tracker(0.5, b.schema);
        for (int i = 0; i < 400; ++i) {
            Explanation why;
            double total = 0;
            for (const QString& n : names) {
                if (u(rng) < 0.4)
                    continue;
                const double p = u(rng);
                total += p;
                // Half the rows reuse the list's strings, half spell the family afresh.
                why.families.push_back({u(rng) < 0.5 ? n : QString(n.toUtf8().constData()), p});
            }
            for (FamilyShare& f : why.families) f.percent = 100.0 * f.percent / total;
            // Devices alternate, so every row opens an alert that carries its own rule.
            const auto update = t.push({QStringLiteral("DEV-%1").arg(i % 2), kT0 + i * 1000, OpState::Run, 0.9,
                                        {}, std::size_t(i)},
                                       why);
            QVERIFY(update && update->created);
            const RuleMatch m = engine.rules().match(why.families);
            const Alert& a = t.alerts()[update->index];
            QCOMPARE(a.ruleId, engine.rules().rule(m.rule).id);
            QCOMPARE(a.confidence, m.share);
        }
    }

    // run() walks ascending explanations with a cursor and looks any other order up: same alerts.
    void explanationOrderDoesNotChangeTheAlerts() {
        FleetBuilder b;
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int d = 0; d < 3; ++d)
            for (int i = 0; i < 120; ++i)
                b.add(QStringLiteral("DEV-%1").arg(d), i * 60, u(rng), u(rng) < 0.5 ? kPower() : kHeat());
        const AlertEngine engine = engineWith(300);
        const Json ascending = alertsToJson(runOn(b, engine), engine.rules(), b.threshold);
        std::vector<std::size_t> flagged;  // what the console passes: Analysis::flagged
        for (std::size_t r = 0; r < b.table.size(); ++r)
            if (double(b.table.score[r]) >= b.threshold)
                flagged.push_back(r);
        QCOMPARE(alertsToJson(engine.run(b.table, b.threshold, flagged, b.explanations, b.schema), engine.rules(),
                              b.threshold)
                     .dump(),
                 ascending.dump());
        FleetBuilder shuffled = b;
        std::shuffle(shuffled.explanations.begin(), shuffled.explanations.end(), rng);
        QCOMPARE(alertsToJson(runOn(shuffled, engine), engine.rules(), b.threshold).dump(), ascending.dump());
        // Dropping some explanations leaves those rows unexplained (the fallback) in either order.
        FleetBuilder sparse = b;
        std::erase_if(sparse.explanations, [&](const Explanation&) { return u(rng) < 0.3; });
        const Json sparseAscending = alertsToJson(runOn(sparse, engine), engine.rules(), b.threshold);
        QVERIFY(sparseAscending.dump() != ascending.dump());
        std::reverse(sparse.explanations.begin(), sparse.explanations.end());
        QCOMPARE(alertsToJson(runOn(sparse, engine), engine.rules(), b.threshold).dump(), sparseAscending.dump());
    }
};

QTEST_GUILESS_MAIN(AlertEngineTest)
#include "alert_engine_test.moc"
