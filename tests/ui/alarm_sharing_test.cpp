// Several consoles on one database (issue 20, item 7): two AlarmControllers — what two consoles run — on one
// PostgreSQL database (a server this suite starts on loopback, tests/support/pg_server.h) and on one SQLite
// file. Each sees the other's acknowledgements and shelves through its poll within 2 s; two operators
// acknowledging the same alarm at once both succeed and the journal shows both. Prints the measured delay.
#include "alarm_controller.h"

#include "core/storage/store_test_util.h"
#include "support/pg_server.h"
#include "ui/widget_test_main.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace itap;
using namespace itap::test;

namespace {

constexpr qint64 kT0 = 1'767'225'600'000;

AlarmState stateIn(const std::vector<AlarmRecord>& alarms, const QString& id) {
    const auto it =
        std::find_if(alarms.begin(), alarms.end(), [&](const AlarmRecord& r) { return r.id == id; });
    return it == alarms.end() ? AlarmState::Event : it->state();
}

}  // namespace

class AlarmSharingTest : public QObject {
    Q_OBJECT

    PgServer server_;
    QString serverProblem_;
    QTemporaryDir dir_;
    int databases_ = 0;

    // A database of `backend` with two active, unacknowledged alarms; their ids in `ids`.
    QString prepare(const QString& backend, QStringList* ids) {
        QString spec;
        const QString name = QStringLiteral("sharing%1").arg(++databases_);
        if (backend == QLatin1String("postgresql")) {
            if (!server_.createDatabase(name))
                return {};
            spec = server_.url(name);
        } else {
            spec = dir_.filePath(name + QStringLiteral(".db"));
        }
        const SensorCatalog catalog = testCatalog();
        auto store = openOrFail(spec, &catalog);
        if (!store)
            return {};
        std::vector<Alert> incidents = {makeIncident(QStringLiteral("A"), kT0, kT0 + 60'000, -1),
                                        makeIncident(QStringLiteral("B"), kT0, kT0 + 60'000, -1)};
        if (!AlarmJournal(*store).record(incidents, kT0 + 3'600'000))
            return {};
        *ids = {incidents[0].id, incidents[1].id};
        return spec;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        if (!server_.start())
            serverProblem_ = server_.reason();
    }
    void cleanupTestCase() { server_.stop(); }

    void eachSeesTheOther_data() {
        QTest::addColumn<QString>("backend");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
    }
    void eachSeesTheOther() {
        QFETCH(QString, backend);
        if (backend == QLatin1String("postgresql") && !server_.isRunning())
            QSKIP(qPrintable(QStringLiteral("no PostgreSQL server: ") + serverProblem_));
        QStringList ids;
        const QString spec = prepare(backend, &ids);
        QVERIFY(!spec.isEmpty());

        AlarmController one, two;
        one.setOperatorName(QStringLiteral("alice"));
        two.setOperatorName(QStringLiteral("bob"));
        std::vector<AlarmRecord> seenByOne, seenByTwo;
        connect(&one, &AlarmController::alarmsChanged, this,
                [&](const std::vector<AlarmRecord>& a) { seenByOne = a; });
        connect(&two, &AlarmController::alarmsChanged, this,
                [&](const std::vector<AlarmRecord>& a) { seenByTwo = a; });
        QSignalSpy failedOne(&one, &AlarmController::actionFailed);
        QSignalSpy failedTwo(&two, &AlarmController::actionFailed);
        one.setDatabase(spec, 0);
        two.setDatabase(spec, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!seenByOne.empty() && !seenByTwo.empty(), 5'000);

        // An acknowledgement on one console reaches the other by its poll; so does a shelf the other way.
        QList<qint64> delays;
        auto measure = [&](AlarmController& actor, std::vector<AlarmRecord>& observed, const QString& id,
                           const OperatorAction& action, AlarmState expected) {
            QElapsedTimer timer;
            timer.start();
            actor.act({id}, action);
            QTRY_VERIFY_WITH_TIMEOUT(stateIn(observed, id) == expected, 5'000);
            delays << timer.elapsed();
        };
        OperatorAction ack;
        ack.action = AlarmAction::Acknowledge;
        measure(one, seenByTwo, ids[0], ack, AlarmState::ActiveAcked);
        OperatorAction shelve;
        shelve.action = AlarmAction::Shelve;
        shelve.note = QStringLiteral("maintenance on B");
        shelve.shelveUntilMs = QDateTime::currentMSecsSinceEpoch() + 3'600'000;
        measure(two, seenByOne, ids[1], shelve, AlarmState::Shelved);
        OperatorAction unshelve;
        unshelve.action = AlarmAction::Unshelve;
        measure(one, seenByTwo, ids[1], unshelve, AlarmState::ActiveUnacked);
        QVERIFY(failedOne.isEmpty() && failedTwo.isEmpty());
        const qint64 worst = *std::max_element(delays.begin(), delays.end());
        qInfo(
            "%s: action on one console -> visible in the other's list: %lld, %lld, %lld ms (poll every %d "
            "ms)",
            qPrintable(backend), delays[0], delays[1], delays[2], AlarmController::kPollIntervalMs);
        QVERIFY2(worst < 2000, qPrintable(QStringLiteral("%1 ms").arg(worst)));

        // Both acknowledge the same alarm at once: both succeed, the journal shows both.
        QSignalSpy actedOne(&one, &AlarmController::acted);
        QSignalSpy actedTwo(&two, &AlarmController::acted);
        one.act({ids[1]}, ack);
        two.act({ids[1]}, ack);
        QTRY_VERIFY_WITH_TIMEOUT(actedOne.count() == 1 && actedTwo.count() == 1, 10'000);
        QVERIFY(failedOne.isEmpty() && failedTwo.isEmpty());
        auto store = openOrFail(spec, nullptr);
        QVERIFY(store);
        auto rows = store->readJournal(ids[1]);
        QVERIFY(rows);
        QStringList who;
        for (const JournalEntry& e : *rows)
            if (e.action == AlarmAction::Acknowledge)
                who << e.operatorName;
        who.sort();
        QCOMPARE(who, QStringList({QStringLiteral("alice"), QStringLiteral("bob")}));
        QTRY_VERIFY_WITH_TIMEOUT(stateIn(seenByOne, ids[1]) == AlarmState::ActiveAcked &&
                                     stateIn(seenByTwo, ids[1]) == AlarmState::ActiveAcked,
                                 5'000);
        QTRY_VERIFY(one.pendingTasks() == 0 && two.pendingTasks() == 0);
    }

    // Refresh (F5) reads at once, without waiting for the poll.
    void refreshReadsAtOnce() {
        QStringList ids;
        const QString spec = prepare(QStringLiteral("sqlite"), &ids);
        QVERIFY(!spec.isEmpty());
        AlarmController one;
        one.setPolling(false);
        QVERIFY(!one.isPolling());
        std::vector<AlarmRecord> seen;
        connect(&one, &AlarmController::alarmsChanged, this,
                [&](const std::vector<AlarmRecord>& a) { seen = a; });
        one.setDatabase(spec, 0);
        QTest::qWait(AlarmController::kPollIntervalMs + 200);
        QVERIFY(seen.empty());  // no poll
        one.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(int(seen.size()), 2, 5'000);
        QTRY_VERIFY(one.pendingTasks() == 0);
    }
};

ITAP_UI_TEST_MAIN(AlarmSharingTest)
#include "alarm_sharing_test.moc"
