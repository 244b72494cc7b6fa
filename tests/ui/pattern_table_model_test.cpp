#include "models/alert_list_model.h"
#include "models/pattern_table_model.h"

#include "ui/widget_test_main.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QtTest>

using namespace itap;

namespace {

FleetPattern makePattern(const QString& label, PatternVerdict verdict, QStringList devices, int atOnce,
                         int alerts, Severity highest) {
    FleetPattern p;
    p.key = label;
    p.label = label;
    p.verdict = verdict;
    p.devices = std::move(devices);
    p.concurrentDevices = atOnce;
    p.alertCount = alerts;
    p.highestSeverity = highest;
    p.startMs = 1'700'000'000'000;
    p.endMs = p.startMs + 3'600'000;
    return p;
}

}  // namespace

class PatternTableModelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void passesTheModelTester() {
        PatternTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPatterns({makePattern(QStringLiteral("Temperature"), PatternVerdict::Systemic,
                                       {QStringLiteral("DEV-0001"), QStringLiteral("DEV-0002")}, 2, 5,
                                       Severity::Critical)});
        model.setPatterns({});
        model.setPatterns({makePattern(QStringLiteral("Voltage"), PatternVerdict::Isolated,
                                       {QStringLiteral("DEV-0003")}, 1, 1, Severity::Info),
                           makePattern(QStringLiteral("Vibration"), PatternVerdict::Isolated,
                                       {QStringLiteral("DEV-0004")}, 1, 2, Severity::Warning)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(PatternTableModel::ColumnCount));
    }

    void showsWhatCoreComputed() {
        PatternTableModel model;
        model.setPatterns({makePattern(QStringLiteral("Temperature"), PatternVerdict::Systemic,
                                       {QStringLiteral("DEV-0001"), QStringLiteral("DEV-0002")}, 2, 1234,
                                       Severity::Warning),
                           makePattern(QStringLiteral("Voltage"), PatternVerdict::Isolated,
                                       {QStringLiteral("DEV-0003")}, 1, 1, Severity::Info)});
        const auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(0, PatternTableModel::PatternColumn), QStringLiteral("Temperature"));
        QCOMPARE(text(0, PatternTableModel::VerdictColumn), QStringLiteral("SYSTEMIC"));
        QCOMPARE(text(1, PatternTableModel::VerdictColumn), QStringLiteral("isolated"));
        QCOMPARE(text(0, PatternTableModel::DevicesColumn), QStringLiteral("DEV-0001, DEV-0002"));
        QCOMPARE(model.index(0, PatternTableModel::DevicesColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("DEV-0001, DEV-0002"));
        QCOMPARE(text(0, PatternTableModel::AtOnceColumn), QStringLiteral("2"));
        QCOMPARE(text(0, PatternTableModel::AlertsColumn), QLocale().toString(1234));
        QCOMPARE(text(0, PatternTableModel::HighestColumn), severityName(Severity::Warning));
        QVERIFY(text(0, PatternTableModel::SpanColumn).contains(QStringLiteral("→")));
        // SYSTEMIC stands out (bold, critical colour); an isolated verdict does not.
        QVERIFY(model.index(0, PatternTableModel::VerdictColumn).data(Qt::FontRole).value<QFont>().bold());
        QCOMPARE(model.index(0, PatternTableModel::VerdictColumn).data(Qt::ForegroundRole).value<QColor>(),
                 AlertListModel::severityColor(Severity::Critical));
        QVERIFY(!model.index(1, PatternTableModel::VerdictColumn).data(Qt::FontRole).isValid());
        QCOMPARE(model.index(1, PatternTableModel::HighestColumn).data(Qt::ForegroundRole).value<QColor>(),
                 AlertListModel::severityColor(Severity::Info));
        QCOMPARE(model.headerData(PatternTableModel::AtOnceColumn, Qt::Horizontal).toString(),
                 QStringLiteral("At once"));
    }
};

ITAP_UI_TEST_MAIN(PatternTableModelTest)
#include "pattern_table_model_test.moc"
