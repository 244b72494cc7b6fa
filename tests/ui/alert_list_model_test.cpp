#include "models/alert_list_model.h"

#include "common/time_util.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>

#include "ui/widget_test_main.h"

#include <algorithm>

using namespace itap;

namespace {

Alert makeAlert(const QString& device, qint64 startMs, Severity severity, double score,
                double confidence = 0.5, int count = 1,
                const QString& cause = QStringLiteral("Thermal overload")) {
    Alert a;
    a.device = device;
    a.startMs = startMs;
    a.endMs = startMs + 10'000 * (count - 1);
    a.peakMs = startMs;
    a.id = device + QLatin1Char('@') + formatUtcTimestamp(startMs);
    a.severity = severity;
    a.peakScore = score;
    a.confidence = confidence;
    a.count = count;
    a.cause = cause;
    a.ruleId = QStringLiteral("thermal_overload");
    return a;
}

constexpr qint64 kT0 = 1767225600000;  // 2026-01-01T00:00:00Z

std::vector<Alert> sampleAlerts() {
    return {makeAlert(QStringLiteral("DEV-0002"), kT0 + 60'000, Severity::Warning, 0.61, 0.7, 3),
            makeAlert(QStringLiteral("DEV-0001"), kT0 + 120'000, Severity::Critical, 0.72, 1.0, 5,
                      QStringLiteral("Power instability")),
            makeAlert(QStringLiteral("DEV-0003"), kT0, Severity::Info, 0.58, 0.0, 1,
                      QStringLiteral("Unclassified")),
            makeAlert(QStringLiteral("DEV-0001"), kT0 + 60'000, Severity::Warning, 0.6, 0.4, 2)};
}

}  // namespace

class AlertListModelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void passesModelTester() {
        AlertListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAlerts(sampleAlerts());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(AlertListModel::ColumnCount));
        model.setAlerts({});
        QCOMPARE(model.rowCount(), 0);
        model.setAlerts(sampleAlerts());
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(AlertListModel::SortRole);
        proxy.sort(AlertListModel::ScoreColumn);
    }

    // Live mode: alerts arrive one by one and change while they are open.
    void upsertKeepsNewestFirst() {
        AlertListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

        Alert first = makeAlert(QStringLiteral("DEV-0001"), kT0, Severity::Warning, 0.6);
        QCOMPARE(model.upsert(first), 0);
        // A newer alert goes on top.
        QCOMPARE(model.upsert(makeAlert(QStringLiteral("DEV-0002"), kT0 + 60'000, Severity::Info, 0.55)), 0);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.alertAt(1).id, first.id);
        // A row merged into the older alert updates it in place.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        first.count = 4;
        first.severity = Severity::Critical;
        first.peakScore = 0.8;
        QCOMPARE(model.upsert(first), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.alertAt(1).count, 4);
        QCOMPARE(model.index(1, AlertListModel::SeverityColumn).data().toString(), QStringLiteral("CRITICAL"));
        // An alert that is older than the newest lands in order, not on top.
        QCOMPARE(model.upsert(makeAlert(QStringLiteral("DEV-0003"), kT0 + 30'000, Severity::Info, 0.5)), 1);
        QStringList order;
        for (int r = 0; r < model.rowCount(); ++r) order << model.alertAt(r).device;
        QCOMPARE(order, (QStringList{QStringLiteral("DEV-0002"), QStringLiteral("DEV-0003"),
                                     QStringLiteral("DEV-0001")}));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void newestFirst_data() {
        QTest::addColumn<QList<int>>("order");
        QTest::newRow("as given") << QList<int>{0, 1, 2, 3};
        QTest::newRow("reversed") << QList<int>{3, 2, 1, 0};
        QTest::newRow("shuffled") << QList<int>{2, 0, 3, 1};
    }

    void newestFirst() {
        QFETCH(QList<int>, order);
        const std::vector<Alert> all = sampleAlerts();
        std::vector<Alert> input;
        for (int i : order) input.push_back(all[std::size_t(i)]);
        AlertListModel model;
        model.setAlerts(input);
        QCOMPARE(model.rowCount(), 4);
        // Newest start first; equal starts by device id, whatever order they came in.
        QCOMPARE(model.alertAt(0).device, QStringLiteral("DEV-0001"));
        QCOMPARE(model.alertAt(0).startMs, kT0 + 120'000);
        QCOMPARE(model.alertAt(1).device, QStringLiteral("DEV-0001"));
        QCOMPARE(model.alertAt(2).device, QStringLiteral("DEV-0002"));
        QCOMPARE(model.alertAt(3).device, QStringLiteral("DEV-0003"));
        for (int r = 1; r < model.rowCount(); ++r)
            QVERIFY(model.index(r - 1, 0).data(AlertListModel::TimestampRole).toLongLong() >=
                    model.index(r, 0).data(AlertListModel::TimestampRole).toLongLong());
    }

    void displayAndRoles() {
        AlertListModel model;
        model.setAlerts(sampleAlerts());
        const int row = model.rowOf(QStringLiteral("DEV-0001@") + formatUtcTimestamp(kT0 + 120'000));
        QCOMPARE(row, 0);
        const Alert& a = model.alertAt(row);
        auto cell = [&](int column, int role = Qt::DisplayRole) {
            return model.index(row, column).data(role);
        };
        QCOMPARE(cell(AlertListModel::SeverityColumn).toString(), QStringLiteral("CRITICAL"));
        QCOMPARE(cell(AlertListModel::TimeColumn).toString(), formatUtcTimestampHuman(a.startMs));
        QCOMPARE(cell(AlertListModel::DeviceColumn).toString(), QStringLiteral("DEV-0001"));
        QCOMPARE(cell(AlertListModel::CauseColumn).toString(), QStringLiteral("Power instability"));
        QCOMPARE(cell(AlertListModel::ConfidenceColumn).toString(), QStringLiteral("100 %"));
        QCOMPARE(cell(AlertListModel::ScoreColumn).toString(), QStringLiteral("0.720"));
        QCOMPARE(cell(AlertListModel::CountColumn).toString(), QStringLiteral("5"));
        QCOMPARE(cell(AlertListModel::ScoreColumn, AlertListModel::SortRole).toDouble(), 0.72);
        QCOMPARE(cell(AlertListModel::CauseColumn, AlertListModel::SeverityRole).toInt(),
                 int(Severity::Critical));
        QCOMPARE(cell(AlertListModel::CauseColumn, AlertListModel::DeviceRole).toString(), a.device);
        QCOMPARE(cell(AlertListModel::CauseColumn, AlertListModel::AlertIdRole).toString(), a.id);
        QCOMPARE(cell(AlertListModel::SeverityColumn, AlertListModel::SeverityColorRole).value<QColor>(),
                 AlertListModel::severityColor(Severity::Critical));
        QVERIFY(!cell(AlertListModel::DeviceColumn, Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(model.rowOf(QStringLiteral("no such alert")), -1);
        QVERIFY(!model.headerData(AlertListModel::CauseColumn, Qt::Horizontal).toString().isEmpty());
    }

    void severityColoursDiffer() {
        const QColor info = AlertListModel::severityColor(Severity::Info);
        const QColor warning = AlertListModel::severityColor(Severity::Warning);
        const QColor critical = AlertListModel::severityColor(Severity::Critical);
        QVERIFY(info != warning && warning != critical && info != critical);
    }

    void proxySortsNumerically() {
        AlertListModel model;
        std::vector<Alert> alerts = sampleAlerts();
        alerts.push_back(makeAlert(QStringLiteral("DEV-0004"), kT0, Severity::Info, 0.55, 0.2, 12));
        model.setAlerts(alerts);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(AlertListModel::SortRole);
        proxy.sort(AlertListModel::CountColumn, Qt::DescendingOrder);
        // 12 sorts above 5 as a number ("12" < "5" as text).
        QCOMPARE(proxy.index(0, AlertListModel::CountColumn).data().toString(), QStringLiteral("12"));
        QCOMPARE(proxy.index(1, AlertListModel::CountColumn).data().toString(), QStringLiteral("5"));
    }
};

ITAP_UI_TEST_MAIN(AlertListModelTest)
#include "alert_list_model_test.moc"
