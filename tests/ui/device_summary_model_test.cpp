#include "models/device_summary_model.h"

#include "ui/widget_test_main.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace itap;

namespace {

DeviceSummary makeDevice(const QString& id, int rank, int alerts, int critical, double mean, double p95,
                         double max, const QString& family = {}, double familyPercent = 0) {
    DeviceSummary d;
    d.device = id;
    d.healthRank = rank;
    d.rows = 1000;
    d.flaggedRows = std::size_t(alerts * 3);
    d.alerts = alerts;
    d.alertsBySeverity[std::size_t(Severity::Critical)] = critical;
    d.alertsBySeverity[std::size_t(Severity::Warning)] = alerts - critical;
    d.meanScore = mean;
    d.p95Score = p95;
    d.maxScore = max;
    if (!family.isEmpty())
        d.families = {FamilyShare{family, familyPercent},
                      FamilyShare{QStringLiteral("Other"), 100 - familyPercent}};
    return d;
}

std::vector<DeviceSummary> sampleDevices() {
    return {
        makeDevice(QStringLiteral("DEV-0003"), 1, 12, 4, 0.45, 0.61, 0.74, QStringLiteral("Temperature"),
                   62.6),
        makeDevice(QStringLiteral("DEV-0001"), 2, 9, 0, 0.44, 0.58, 0.66, QStringLiteral("Vibration"), 55),
        makeDevice(QStringLiteral("DEV-0002"), 3, 0, 0, 0.41, 0.49, 0.52)};
}

}  // namespace

class DeviceSummaryModelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void passesModelTester() {
        DeviceSummaryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDevices(sampleDevices());
        QCOMPARE(model.rowCount(), 3);
        model.setDevices({});
        QCOMPARE(model.rowCount(), 0);
        model.setDevices(sampleDevices());
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(DeviceSummaryModel::SortRole);
        proxy.sort(DeviceSummaryModel::MaxScoreColumn);
    }

    void keepsAggregatorOrder() {
        DeviceSummaryModel model;
        model.setDevices(sampleDevices());
        for (int r = 0; r < model.rowCount(); ++r) {
            QCOMPARE(model.index(r, DeviceSummaryModel::RankColumn).data().toInt(), r + 1);
            QCOMPARE(model.deviceAt(r).healthRank, r + 1);
        }
        QCOMPARE(model.rowOf(QStringLiteral("DEV-0001")), 1);
        QCOMPARE(model.rowOf(QStringLiteral("DEV-9999")), -1);
    }

    void cells_data() {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QVariant>("sortValue");
        QTest::newRow("device") << 0 << int(DeviceSummaryModel::DeviceColumn) << "DEV-0003"
                                << QVariant("DEV-0003");
        QTest::newRow("alerts") << 0 << int(DeviceSummaryModel::AlertsColumn) << "12" << QVariant(12);
        QTest::newRow("critical") << 0 << int(DeviceSummaryModel::CriticalColumn) << "4" << QVariant(4);
        QTest::newRow("mean") << 1 << int(DeviceSummaryModel::MeanScoreColumn) << "0.440" << QVariant(0.44);
        QTest::newRow("p95") << 1 << int(DeviceSummaryModel::P95ScoreColumn) << "0.580" << QVariant(0.58);
        QTest::newRow("max") << 2 << int(DeviceSummaryModel::MaxScoreColumn) << "0.520" << QVariant(0.52);
        QTest::newRow("family") << 0 << int(DeviceSummaryModel::FamilyColumn) << "Temperature (63 %)"
                                << QVariant("Temperature");
        QTest::newRow("no family") << 2 << int(DeviceSummaryModel::FamilyColumn) << "—"
                                   << QVariant(QString());
    }

    void cells() {
        QFETCH(int, row);
        QFETCH(int, column);
        QFETCH(QString, display);
        QFETCH(QVariant, sortValue);
        DeviceSummaryModel model;
        model.setDevices(sampleDevices());
        const QModelIndex index = model.index(row, column);
        QCOMPARE(index.data().toString(), display);
        QCOMPARE(index.data(DeviceSummaryModel::SortRole), sortValue);
        QCOMPARE(index.data(DeviceSummaryModel::DeviceRole).toString(), model.deviceAt(row).device);
    }

    void proxySortsNumerically_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("first");
        QTest::newRow("alerts descending") << int(DeviceSummaryModel::AlertsColumn) << "DEV-0003";
        QTest::newRow("max descending") << int(DeviceSummaryModel::MaxScoreColumn) << "DEV-0003";
        QTest::newRow("rank descending") << int(DeviceSummaryModel::RankColumn) << "DEV-0002";
    }

    void proxySortsNumerically() {
        QFETCH(int, column);
        QFETCH(QString, first);
        DeviceSummaryModel model;
        std::vector<DeviceSummary> devices = sampleDevices();
        devices[0].alerts = 12;  // "12" sorts below "9" as text: the SortRole must carry a number
        model.setDevices(devices);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(DeviceSummaryModel::SortRole);
        proxy.sort(column, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data(DeviceSummaryModel::DeviceRole).toString(), first);
    }
};

ITAP_UI_TEST_MAIN(DeviceSummaryModelTest)
#include "device_summary_model_test.moc"
