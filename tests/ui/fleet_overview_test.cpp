#include "fleet_overview.h"

#include "ui/widget_test_main.h"

#include <QtTest>

#include <cmath>
#include <limits>

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
};

ITAP_UI_TEST_MAIN(FleetOverviewTest)
#include "fleet_overview_test.moc"
