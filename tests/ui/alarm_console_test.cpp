// The console's alarm summary end to end (MainWindow, AlertsPanel, AlarmController, the alarm journal in a
// SQLite file): the summary order, the counts in the tab title, the operator actions through the keyboard,
// the buttons, the menus and their dialogs, the drill-down's history, and an action on a read-only database.
#include "main_window.h"

#include "alarm_controller.h"
#include "alerts_panel.h"
#include "models/alert_list_model.h"
#include "shelve_dialog.h"
#include "simulate_dialog.h"
#include "ui/widget_test_main.h"

#include "storage/store.h"

#include <QAction>
#include <QCryptographicHash>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 180'000;
const QString kOperator = QStringLiteral("tester");

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

std::vector<JournalEntry> journalOf(const QString& db, const QString& id = {}) {
    auto store = Store::open(db, nullptr);
    if (!store)
        return {};
    auto rows = (*store)->readJournal(id);
    return rows ? *rows : std::vector<JournalEntry>{};
}

}  // namespace

class AlarmConsoleTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString template_;  // a simulated fleet whose incidents are in the journal, copied by every test
    int copies_ = 0;
    std::unique_ptr<MainWindow> window_;
    QString db_;

    // A window on a fresh copy of the fleet (its journal as the simulation left it), shown at 1400×900.
    bool openCopy(const QString& prefix = {}) {
        db_ = dir_.filePath(QStringLiteral("copy%1.db").arg(++copies_));
        if (!QFile::copy(template_, db_))
            return false;
        window_ = std::make_unique<MainWindow>();
        window_->resize(1400, 900);
        window_->show();
        QSignalSpy shown(window_.get(), &MainWindow::resultShown);
        QSignalSpy failed(window_->controller(), &PipelineController::failed);
        if (!window_->openDatabase(prefix.isEmpty() ? db_ : prefix.arg(db_)))
            return false;
        if (!QTest::qWaitFor([&] { return shown.count() + failed.count() > 0; }, kTimeoutMs))
            return false;
        if (!failed.isEmpty())
            qWarning("%s", qPrintable(failed.first().first().toString()));
        window_->showView(MainWindow::View::Alerts);
        panel()->setShowAll(true);
        return failed.isEmpty();
    }
    AlertsPanel* panel() const { return window_->alertsPanel(); }
    AlertListModel* model() const { return window_->alertModel(); }
    QSortFilterProxyModel* proxy() const { return panel()->proxy(); }
    int sourceRow(int proxyRow) const { return proxy()->mapToSource(proxy()->index(proxyRow, 0)).row(); }
    QString idAt(int proxyRow) const { return model()->alertAt(sourceRow(proxyRow)).id; }
    AlarmState stateOf(const QString& id) const {
        const int row = model()->rowOf(id);
        return model()->statusAt(row).state();
    }
    // The first row (in the list's order) in `state`, or -1.
    int firstRowIn(AlarmState state) const {
        for (int r = 0; r < proxy()->rowCount(); ++r)
            if (stateOf(idAt(r)) == state)
                return r;
        return -1;
    }
    bool settled() const { return window_->alarmController()->pendingTasks() == 0; }

private slots:
    void initTestCase() {
        QLocale::setDefault(QLocale::c());
        QVERIFY(dir_.isValid());
        QSettings().clear();
        QSettings().setValue(QStringLiteral("alarms/operator"), kOperator);
        template_ = dir_.filePath(QStringLiteral("fleet.db"));
        MainWindow window;
        QSignalSpy shown(&window, &MainWindow::resultShown);
        SimulationSettings s;
        s.devices = 3;
        s.hours = 6;
        s.faultRateScale = 4;
        QVERIFY(window.simulate(s, template_, true));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() == 1, kTimeoutMs);
        QVERIFY2(window.result()->alarms.size() >= 3, "the fleet needs a few alarms");
        QCOMPARE(window.result()->journalUse, JournalUse::Record);
    }
    void cleanup() { window_.reset(); }

    // The list is the alarm summary: unacknowledged first, then by priority, then newest; the tab title
    // counts active, unacknowledged and shelved alarms, and an unacknowledged row is bold and says so.
    void summaryOrderAndCounts() {
        QVERIFY(openCopy());
        const int rows = proxy()->rowCount();
        QVERIFY(rows >= 3);
        const AlarmCounts before = model()->counts();
        QVERIFY(before.unacked > 0);
        QVERIFY2(window_->tabText(MainWindow::View::Alerts)
                     .contains(QStringLiteral("%1 unack.").arg(before.unacked)),
                 qPrintable(window_->tabText(MainWindow::View::Alerts)));
        // Acknowledge the top alarm: it leaves the unacknowledged group.
        const int top = firstRowIn(AlarmState::ActiveUnacked) >= 0 ? firstRowIn(AlarmState::ActiveUnacked)
                                                                   : firstRowIn(AlarmState::ClearedUnacked);
        QVERIFY(top >= 0);
        const QString id = idAt(top);
        panel()->selectRow(top);
        panel()->acknowledgeSelected();
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == AlarmState::ActiveAcked || stateOf(id) == AlarmState::Closed,
                                 10'000);
        // Order: every unacknowledged row before every other, priority descending within, then newest.
        bool seenOther = false;
        for (int r = 0; r < rows; ++r) {
            const bool unacked = proxy()->index(r, 0).data(AlertListModel::UnackedRole).toBool();
            QVERIFY2(!(unacked && seenOther),
                     qPrintable(QStringLiteral("row %1 unacknowledged after others").arg(r)));
            seenOther = seenOther || !unacked;
            const QFont font =
                proxy()->index(r, AlertListModel::DeviceColumn).data(Qt::FontRole).value<QFont>();
            QCOMPARE(font.bold(), unacked);
            const QString state = proxy()->index(r, AlertListModel::StateColumn).data().toString();
            QCOMPARE(state.contains(QLatin1String("unacknowledged")), unacked);
            if (r > 0 && unacked == proxy()->index(r - 1, 0).data(AlertListModel::UnackedRole).toBool() &&
                unacked) {
                const int p0 = proxy()->index(r - 1, 0).data(AlertListModel::SeverityRole).toInt();
                const int p1 = proxy()->index(r, 0).data(AlertListModel::SeverityRole).toInt();
                QVERIFY(p0 >= p1);
                if (p0 == p1)
                    QVERIFY(proxy()->index(r - 1, 0).data(AlertListModel::TimestampRole).toLongLong() >=
                            proxy()->index(r, 0).data(AlertListModel::TimestampRole).toLongLong());
            }
        }
        const AlarmCounts after = model()->counts();
        QCOMPARE(after.unacked, before.unacked - 1);
        QVERIFY2(window_->tabText(MainWindow::View::Alerts)
                     .contains(QStringLiteral("%1 unack.").arg(after.unacked)),
                 qPrintable(window_->tabText(MainWindow::View::Alerts)));
        QVERIFY2(window_->alarmCountsText().contains(QStringLiteral("%1 unacknowledged").arg(after.unacked)),
                 qPrintable(window_->alarmCountsText()));
        // A header click still sorts; the state header gives the summary back.
        panel()->table()->sortByColumn(AlertListModel::DeviceColumn, Qt::AscendingOrder);
        QVERIFY(proxy()->index(0, AlertListModel::DeviceColumn).data().toString() <=
                proxy()->index(rows - 1, AlertListModel::DeviceColumn).data().toString());
    }

    // Space acknowledges the selected alarm, as the operator named in Settings; the journal and the
    // drill-down's history show it.
    void spaceAcknowledges() {
        QVERIFY(openCopy());
        const int row = firstRowIn(AlarmState::ActiveUnacked) >= 0 ? firstRowIn(AlarmState::ActiveUnacked)
                                                                   : firstRowIn(AlarmState::ClearedUnacked);
        QVERIFY(row >= 0);
        const QString id = idAt(row);
        const std::size_t rowsBefore = journalOf(db_, id).size();
        panel()->selectRow(row);
        panel()->table()->setFocus();
        QTest::keyClick(panel()->table(), Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == AlarmState::ActiveAcked || stateOf(id) == AlarmState::Closed,
                                 10'000);
        const auto rows = journalOf(db_, id);
        QCOMPARE(rows.size(), rowsBefore + 1);
        QCOMPARE(rows.back().action, AlarmAction::Acknowledge);
        QCOMPARE(rows.back().operatorName, kOperator);
        QTRY_COMPARE_WITH_TIMEOUT(panel()->historyTable()->rowCount(), int(rows.size()), 10'000);
        QCOMPARE(panel()->historyTable()->item(int(rows.size()) - 1, 1)->text(), kOperator);
    }

    // The button acknowledges every selected alarm in one action.
    void buttonAcknowledgesTheSelection() {
        QVERIFY(openCopy());
        QVERIFY(proxy()->rowCount() >= 2);
        std::vector<QString> ids;
        for (int r = 0; r < proxy()->rowCount() && ids.size() < 2; ++r)
            if (proxy()->index(r, 0).data(AlertListModel::UnackedRole).toBool())
                ids.push_back(idAt(r));
        QCOMPARE(ids.size(), std::size_t(2));
        panel()->selectRow(proxy()->mapFromSource(model()->index(model()->rowOf(ids[0]), 0)).row());
        panel()->addRowToSelection(proxy()->mapFromSource(model()->index(model()->rowOf(ids[1]), 0)).row());
        QCOMPARE(panel()->selectedAlarmIds().size(), 2);
        QVERIFY(panel()->acknowledgeButton()->isEnabled());
        QTest::mouseClick(panel()->acknowledgeButton(), Qt::LeftButton);
        for (const QString& id : ids)
            QTRY_VERIFY_WITH_TIMEOUT(!model()->statusAt(model()->rowOf(id)).annunciates(), 10'000);
    }

    // Shelve for 8 h through the menu and its dialog: the reason is required; the alarm is Shelved until
    // about 8 h from now, the tab counts it, the journal holds the reason.
    void shelvePreset() {
        QVERIFY(openCopy());
        const int row = firstRowIn(AlarmState::ActiveUnacked) >= 0 ? firstRowIn(AlarmState::ActiveUnacked)
                                                                   : firstRowIn(AlarmState::ClearedUnacked);
        QVERIFY(row >= 0);
        const QString id = idAt(row);
        panel()->selectRow(row);
        QAction* preset = nullptr;
        for (QAction* a : panel()->alarmActions())
            if (a->objectName() == QLatin1String("shelve_8h"))
                preset = a;
        QVERIFY(preset);
        preset->trigger();
        auto* dialog = panel()->findChild<ShelveDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->accept();  // no reason: stays open, says why
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->errorText().isEmpty());
        dialog->setReason(QStringLiteral("pump swap in progress"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        dialog->accept();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), AlarmState::Shelved, 10'000);
        const qint64 until = model()->statusAt(model()->rowOf(id)).shelvedUntilMs;
        QVERIFY(std::abs(until - (now + 8 * 3600 * 1000)) < 60'000);
        QCOMPARE(model()->counts().shelved, 1);
        QVERIFY2(window_->tabText(MainWindow::View::Alerts).contains(QLatin1String("1 shelved")),
                 qPrintable(window_->tabText(MainWindow::View::Alerts)));
        const auto rows = journalOf(db_, id);
        QCOMPARE(rows.back().action, AlarmAction::Shelve);
        QCOMPARE(rows.back().note, QStringLiteral("pump swap in progress"));
        QVERIFY(proxy()
                    ->index(proxy()->mapFromSource(model()->index(model()->rowOf(id), 0)).row(),
                            AlertListModel::StateColumn)
                    .data()
                    .toString()
                    .startsWith(AlertListModel::stateGlyph(AlarmState::Shelved) +
                                QStringLiteral(" Shelved until")));
        // Unshelve brings it back.
        panel()->selectRow(proxy()->mapFromSource(model()->index(model()->rowOf(id), 0)).row());
        panel()->unshelveSelected();
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) != AlarmState::Shelved, 10'000);
    }

    // A note through its dialog, then a confirmed-fault verdict with a catalog family and a false alarm:
    // the journal and the verdict column show them.
    void noteAndVerdict() {
        QVERIFY(openCopy());
        QVERIFY(proxy()->rowCount() >= 2);
        const QString id = idAt(0);
        panel()->selectRow(0);
        panel()->openNoteDialog();
        auto* note = panel()->findChild<QInputDialog*>(QStringLiteral("noteDialog"));
        QVERIFY(note);
        note->setTextValue(QStringLiteral("bearing noise heard on site"));
        note->accept();
        QTRY_VERIFY_WITH_TIMEOUT(journalOf(db_, id).back().action == AlarmAction::Note, 10'000);
        QCOMPARE(journalOf(db_, id).back().note, QStringLiteral("bearing noise heard on site"));
        QTRY_VERIFY_WITH_TIMEOUT(
            panel()->historyTable()->rowCount() > 0 &&
                panel()->historyTable()->item(panel()->historyTable()->rowCount() - 1, 3)->text() ==
                    QStringLiteral("bearing noise heard on site"),
            10'000);

        const QString family = window_->result()->catalog.families().value(0);
        QVERIFY(!family.isEmpty());
        panel()->openConfirmedVerdictDialog();
        auto* verdict = panel()->findChild<QInputDialog*>(QStringLiteral("verdictDialog"));
        QVERIFY(verdict);
        verdict->setTextValue(
            family.toLower());  // matched case-insensitively, stored as the catalog spells it
        verdict->accept();
        QTRY_COMPARE_WITH_TIMEOUT(model()->alarmAt(model()->rowOf(id))
                                      ? model()->alarmAt(model()->rowOf(id))->verdict
                                      : Verdict::None,
                                  Verdict::Confirmed, 10'000);
        QCOMPARE(model()->alarmAt(model()->rowOf(id))->faultType, family);
        const int proxyRow = proxy()->mapFromSource(model()->index(model()->rowOf(id), 0)).row();
        QCOMPARE(proxy()->index(proxyRow, AlertListModel::VerdictColumn).data().toString(),
                 QStringLiteral("Confirmed fault (%1)").arg(family));

        const QString other = idAt(proxyRow == 0 ? 1 : 0);
        panel()->selectRow(proxyRow == 0 ? 1 : 0);
        for (QAction* a : panel()->alarmActions())
            if (a->objectName() == QLatin1String("verdict_false_alarm"))
                a->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(model()->alarmAt(model()->rowOf(other))
                                      ? model()->alarmAt(model()->rowOf(other))->verdict
                                      : Verdict::None,
                                  Verdict::FalseAlarm, 10'000);
    }

    // The keyboard: Ctrl+F goes to the filter, Enter into the drill-down, Delete deletes nothing (and says
    // so), Tab leaves the table.
    void keyboard() {
        QVERIFY(openCopy());
        QApplication::setActiveWindow(window_.get());
        QVERIFY(QTest::qWaitForWindowActive(window_.get()));
        panel()->selectRow(0);
        const QString id = idAt(0);
        panel()->table()->setFocus();
        QTRY_VERIFY(panel()->table()->hasFocus());
        const std::size_t rows = journalOf(db_).size();
        QTest::keyClick(panel()->table(), Qt::Key_Delete);
        QVERIFY(panel()->actionStatusText().contains(QLatin1String("never deleted")));
        QTest::qWait(200);
        QCOMPARE(journalOf(db_).size(), rows);
        QCOMPARE(model()->rowCount(), int(window_->analysis().alerts.size()));

        QTest::keyClick(panel()->table(), Qt::Key_Return);
        QCOMPARE(panel()->currentAlertId(), id);
        QTRY_VERIFY(panel()->historyTable()->hasFocus());

        panel()->table()->setFocus();
        QTRY_VERIFY(panel()->table()->hasFocus());
        QTest::keyClick(panel()->table(), Qt::Key_Tab);
        QTRY_VERIFY(!panel()->table()->hasFocus());

        panel()->table()->setFocus();
        QTest::keyClick(panel()->table(), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(panel()->textFilter()->hasFocus());
    }

    // "Show on device" opens the device view on the incident's device.
    void showOnDevice() {
        QVERIFY(openCopy());
        QSignalSpy shown(window_.get(), &MainWindow::deviceShown);
        panel()->selectRow(0);
        const QString device = model()->alertAt(sourceRow(0)).device;
        for (QAction* a : panel()->alarmActions())
            if (a->objectName() == QLatin1String("showOnDeviceAction"))
                a->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().first().toString() == device, kTimeoutMs);
        QCOMPARE(window_->viewWidget(MainWindow::View::Device),
                 window_->findChild<QTabWidget*>()->currentWidget());
    }

    // On a database the console may only read, an acknowledgement fails with a clear message and changes
    // nothing: not the file, not the list.
    void readOnlyDatabaseRefusesCleanly() {
        QVERIFY(openCopy(QStringLiteral("file:%1?mode=ro")));
        QCOMPARE(window_->result()->journalUse, JournalUse::ReadOnly);
        const QByteArray before = fileHash(db_);
        QSignalSpy failed(window_->alarmController(), &AlarmController::actionFailed);
        const QString id = idAt(0);
        const AlarmState state = stateOf(id);
        panel()->selectRow(0);
        panel()->table()->setFocus();
        QTest::keyClick(panel()->table(), Qt::Key_Space);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10'000);
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("read-only")),
                 qPrintable(failed.first().first().toString()));
        auto* box = panel()->findChild<QMessageBox*>(QStringLiteral("alarmActionError"));
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(box->text().contains(QLatin1String("Nothing was changed")));
        QVERIFY(panel()->actionStatusText().contains(QLatin1String("read-only")));
        QTRY_VERIFY(settled());
        QCOMPARE(stateOf(id), state);
        QCOMPARE(fileHash(db_), before);
    }
};

ITAP_UI_TEST_MAIN(AlarmConsoleTest)
#include "alarm_console_test.moc"
