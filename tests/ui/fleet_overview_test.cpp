#include "fleet_overview.h"

#include "ui/widget_test_main.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace itap;

class FleetOverviewTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void histogram_data() {
        QTest::addColumn<QList<float>>("scores");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<int>("bins");
        QTest::addColumn<QList<qint64>>("below");
        QTest::addColumn<QList<qint64>>("flagged");
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("split at threshold") << QList<float>{0.1f, 0.2f, 0.3f, 0.4f} << 0.35 << 2
                                            << QList<qint64>{2, 1} << QList<qint64>{0, 1};
        QTest::newRow("max lands in last bin")
            << QList<float>{0.0f, 1.0f} << 2.0 << 4 << QList<qint64>{1, 0, 0, 1} << QList<qint64>{0, 0, 0, 0};
        QTest::newRow("all flagged") << QList<float>{0.5f, 0.6f, 0.7f} << 0.0 << 1 << QList<qint64>{0}
                                     << QList<qint64>{3};
        QTest::newRow("NaN left out, equal scores")
            << QList<float>{nan, 0.5f, 0.5f} << 1.0 << 3 << QList<qint64>{0, 2, 0} << QList<qint64>{0, 0, 0};
        QTest::newRow("no finite score")
            << QList<float>{nan} << 0.5 << 3 << QList<qint64>{} << QList<qint64>{};
        QTest::newRow("empty") << QList<float>{} << 0.5 << 3 << QList<qint64>{} << QList<qint64>{};
    }

    void histogram() {
        QFETCH(QList<float>, scores);
        QFETCH(double, threshold);
        QFETCH(int, bins);
        QFETCH(QList<qint64>, below);
        QFETCH(QList<qint64>, flagged);
        const ScoreHistogram h =
            scoreHistogram(std::vector<float>(scores.begin(), scores.end()), threshold, bins);
        QCOMPARE(QList<qint64>(h.below.begin(), h.below.end()), below);
        QCOMPARE(QList<qint64>(h.flagged.begin(), h.flagged.end()), flagged);
        qint64 finite = 0;
        for (float s : scores) finite += std::isfinite(s) ? 1 : 0;
        QCOMPARE(h.total(), finite);
    }

    void showsCoreNumbers() {
        FleetFeatures fleet;
        fleet.table.score = {0.40f, 0.42f, 0.45f, 0.51f, 0.66f, 0.70f, 0.43f};
        Analysis analysis;
        analysis.threshold = 0.6;
        analysis.thresholdRule = QStringLiteral("max recall with precision >= 0.5");
        FleetSummary& f = analysis.aggregate.fleet;
        f.devices = 3;
        f.devicesAffected = 2;
        f.rows = 7;
        f.flaggedRows = 2;
        f.alerts = 6;
        f.alertsBySeverity = {3, 2, 1};
        f.familyMix = {{QStringLiteral("Temperature"), 70}, {QStringLiteral("Voltage"), 30}};
        FleetPattern systemic;
        systemic.label = QStringLiteral("Temperature");
        systemic.verdict = PatternVerdict::Systemic;
        systemic.devices = {QStringLiteral("DEV-0001"), QStringLiteral("DEV-0002")};
        FleetPattern isolated = systemic;
        isolated.verdict = PatternVerdict::Isolated;
        isolated.devices = {QStringLiteral("DEV-0003")};
        f.patterns = {systemic, isolated};
        f.systemicPatterns = 1;

        FleetOverview overview;
        overview.resize(1200, 800);
        overview.setData(fleet, analysis);
        auto number = [&](FleetOverview::Kpi kpi) { return QLocale().toDouble(overview.kpiText(kpi)); };
        QCOMPARE(number(FleetOverview::Kpi::Devices), 3.0);
        QCOMPARE(number(FleetOverview::Kpi::Rows), 7.0);
        QCOMPARE(number(FleetOverview::Kpi::FlaggedRows), 2.0);
        QCOMPARE(number(FleetOverview::Kpi::DevicesAffected), 2.0);
        QCOMPARE(number(FleetOverview::Kpi::CriticalAlerts), 1.0);
        QCOMPARE(number(FleetOverview::Kpi::WarningAlerts), 2.0);
        QCOMPARE(number(FleetOverview::Kpi::InfoAlerts), 3.0);
        QCOMPARE(number(FleetOverview::Kpi::SystemicPatterns), 1.0);
        QCOMPARE(number(FleetOverview::Kpi::Threshold), 0.6);
        QCOMPARE(overview.histogramTotal(), qint64(fleet.table.score.size()));
        QCOMPARE(overview.patternRows(), 2);

        overview.clear();
        QCOMPARE(overview.histogramTotal(), qint64(0));
        QCOMPARE(overview.patternRows(), 0);
        QCOMPARE(overview.kpiText(FleetOverview::Kpi::Devices), QStringLiteral("–"));
    }

    // The slider path: updateThreshold() on the fleet shown must show exactly what a fresh setData() shows at
    // that threshold — bars, split, threshold line, KPIs, family mix (same families and a changed set) and
    // patterns — across thresholds that move the split through several bins, up and down.
    void updateThresholdEqualsSetData() {
        FleetFeatures fleet;
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.45f, 0.05f);
        for (int i = 0; i < 20'000; ++i) fleet.table.score.push_back(normal(rng));
        for (int i = 0; i < 300; ++i) fleet.table.score.push_back(0.6f + 0.3f * float(i) / 300.0f);
        fleet.table.score.push_back(std::numeric_limits<float>::quiet_NaN());
        fleet.table.score.push_back(std::numeric_limits<float>::infinity());
        const auto analysisAt = [&](double threshold, bool otherFamilies) {
            Analysis a;
            a.threshold = threshold;
            a.thresholdRule = QStringLiteral("slider");
            FleetSummary& f = a.aggregate.fleet;
            f.devices = 4;
            f.rows = qint64(fleet.table.score.size());
            for (float s : fleet.table.score) f.flaggedRows += double(s) >= threshold && std::isfinite(s);
            f.alerts = int(f.flaggedRows / 10);
            f.alertsBySeverity = {f.alerts, 0, 0};
            f.familyMix = {{QStringLiteral("Temperature"), 100 * threshold},
                           {QStringLiteral("Voltage"), 100 - 100 * threshold}};
            if (otherFamilies)
                f.familyMix.push_back({QStringLiteral("Missingness"), 5});
            FleetPattern p;
            p.label = QStringLiteral("Temperature");
            p.devices = {QStringLiteral("DEV-%1").arg(int(threshold * 1000))};
            f.patterns = {p};
            return a;
        };

        FleetOverview updated;
        updated.resize(1200, 800);
        updated.setData(fleet, analysisAt(0.55, false));
        int steps = 0;
        for (const double t : {0.5, 0.62, 0.47, 0.71, 0.71, 0.3, 0.95, 0.58}) {
            const bool otherFamilies = t > 0.9;
            const Analysis a = analysisAt(t, otherFamilies);
            updated.updateThreshold(fleet, a);
            FleetOverview fresh;
            fresh.resize(1200, 800);
            fresh.setData(fleet, a);
            QCOMPARE(updated.histogram().lo, fresh.histogram().lo);
            QCOMPARE(updated.histogram().below, fresh.histogram().below);
            QCOMPARE(updated.histogram().flagged, fresh.histogram().flagged);
            QCOMPARE(updated.histogramBars(), fresh.histogramBars());
            QCOMPARE(updated.thresholdLinePosition(), fresh.thresholdLinePosition());
            QCOMPARE(updated.familyBars(), fresh.familyBars());
            for (int k = 0; k < FleetOverview::kKpiCount; ++k)
                QCOMPARE(updated.kpiText(FleetOverview::Kpi(k)), fresh.kpiText(FleetOverview::Kpi(k)));
            QCOMPARE(updated.patternRows(), fresh.patternRows());
            ++steps;
        }
        QCOMPARE(steps, 8);
        // The split did move: the flagged part at 0.3 is most of the fleet, at 0.95 almost nothing.
        updated.updateThreshold(fleet, analysisAt(0.3, false));
        qint64 flaggedLow = 0;
        for (qint64 n : updated.histogram().flagged) flaggedLow += n;
        QVERIFY(flaggedLow > 19'000);

        // Another fleet of another size: falls back to a full rebuild.
        FleetFeatures smaller;
        smaller.table.score = {0.1f, 0.2f, 0.9f};
        updated.updateThreshold(smaller, analysisAt(0.5, false));
        QCOMPARE(updated.histogramTotal(), qint64(3));
    }
};

ITAP_UI_TEST_MAIN(FleetOverviewTest)
#include "fleet_overview_test.moc"
