// The ISA-18.2 state machine (alerts/alarm_state.h): every transition from every state, shelf expiry,
// re-annunciation after a shelf, suppression by design and events. Expectations derived by hand from the
// state diagram in the README ("Alarm lifecycle and journal").
#include "alerts/alarm_state.h"

#include <QTest>

using namespace itap;

Q_DECLARE_METATYPE(itap::AlarmStatus)
Q_DECLARE_METATYPE(itap::AlarmAction)

namespace {

constexpr qint64 kNow = 1'000'000;
constexpr qint64 kShelfEnd = 2'000'000;

AlarmStatus status(bool active, bool acked, qint64 shelvedUntil = -1) {
    return AlarmStatus{IncidentKind::Alarm, Suppression::None, active, acked, shelvedUntil};
}
const AlarmStatus kActiveUnacked = status(true, false);
const AlarmStatus kActiveAcked = status(true, true);
const AlarmStatus kClearedUnacked = status(false, false);
const AlarmStatus kClosed = status(false, true);
const AlarmStatus kShelvedActive = status(true, false, kShelfEnd);
const AlarmStatus kShelvedActiveAcked = status(true, true, kShelfEnd);
const AlarmStatus kShelvedCleared = status(false, false, kShelfEnd);
const AlarmStatus kSuppressed{IncidentKind::Alarm, Suppression::Maintenance, true, false, -1};
const AlarmStatus kEvent{IncidentKind::Event, Suppression::None, true, false, -1};

}  // namespace

class AlarmStateTest : public QObject {
    Q_OBJECT

private slots:
    void namesRoundTrip() {
        for (int i = 0; i < kAlarmStateCount; ++i) {
            const auto s = static_cast<AlarmState>(i);
            QCOMPARE(parseAlarmState(alarmStateName(s)), std::optional<AlarmState>(s));
        }
        for (int i = 0; i < kAlarmActionCount; ++i) {
            const auto a = static_cast<AlarmAction>(i);
            QCOMPARE(parseAlarmAction(alarmActionName(a)), std::optional<AlarmAction>(a));
        }
        QVERIFY(!parseAlarmState(u"ACTIVE_UNACKED"));
        QCOMPARE(parseVerdict(u"false-alarm"), std::optional<Verdict>(Verdict::FalseAlarm));
        QCOMPARE(parseVerdict(u"false_alarm"), std::optional<Verdict>(Verdict::FalseAlarm));
        QVERIFY(!parseVerdict(u""));
        QVERIFY(!parseVerdict(u"maybe"));
    }

    void derivesTheState_data() {
        QTest::addColumn<AlarmStatus>("status");
        QTest::addColumn<QString>("state");
        QTest::addColumn<bool>("annunciates");
        QTest::newRow("active unacked") << kActiveUnacked << "active_unacked" << true;
        QTest::newRow("active acked") << kActiveAcked << "active_acked" << false;
        QTest::newRow("cleared unacked (RTN unack)") << kClearedUnacked << "cleared_unacked" << true;
        QTest::newRow("closed") << kClosed << "closed" << false;
        QTest::newRow("shelved") << kShelvedActive << "shelved" << false;
        QTest::newRow("suppressed wins over shelved")
            << AlarmStatus{IncidentKind::Alarm, Suppression::StateTransition, true, false, kShelfEnd}
            << "suppressed" << false;
        QTest::newRow("event wins over suppressed")
            << AlarmStatus{IncidentKind::Event, Suppression::Maintenance, true, false, -1} << "event"
            << false;
    }
    void derivesTheState() {
        QFETCH(AlarmStatus, status);
        QFETCH(QString, state);
        QFETCH(bool, annunciates);
        QCOMPARE(alarmStateName(status.state()), state);
        QCOMPARE(status.annunciates(), annunciates);
    }

    // Every action from every state: the state after it, or "error" when the action does not apply.
    void transitions_data() {
        QTest::addColumn<AlarmStatus>("from");
        QTest::addColumn<AlarmAction>("action");
        QTest::addColumn<qint64>("at");
        QTest::addColumn<QString>("to");

        const struct {
            const char* name;
            AlarmStatus status;
        } states[] = {{"active_unacked", kActiveUnacked},
                      {"active_acked", kActiveAcked},
                      {"cleared_unacked", kClearedUnacked},
                      {"closed", kClosed},
                      {"shelved(active)", kShelvedActive},
                      {"shelved(active,acked)", kShelvedActiveAcked},
                      {"shelved(cleared)", kShelvedCleared},
                      {"suppressed", kSuppressed},
                      {"event", kEvent}};
        // Expected result per state, in the order of `states`.
        const struct {
            AlarmAction action;
            qint64 at;
            const char* to[9];
        } table[] = {
            {AlarmAction::Raise,
             kNow,
             {"active_unacked", "active_unacked", "active_unacked", "active_unacked", "active_unacked",
              "active_unacked", "active_unacked", "active_unacked", "active_unacked"}},
            {AlarmAction::Reopen,
             kNow,
             {"error", "error", "active_unacked", "active_unacked", "error", "error", "shelved", "error",
              "error"}},
            {AlarmAction::Clear,
             kNow,
             {"cleared_unacked", "closed", "error", "error", "shelved", "shelved", "error", "suppressed",
              "event"}},
            {AlarmAction::Acknowledge,
             kNow,
             {"active_acked", "active_acked", "closed", "closed", "error", "error", "error", "error",
              "error"}},
            {AlarmAction::Shelve,
             kNow,
             {"shelved", "shelved", "shelved", "shelved", "shelved", "shelved", "shelved", "error", "error"}},
            {AlarmAction::Unshelve,
             kNow,
             {"error", "error", "error", "error", "active_unacked", "active_unacked", "closed", "error",
              "error"}},
            {AlarmAction::ShelveExpired,
             kShelfEnd,
             {"error", "error", "error", "error", "active_unacked", "active_unacked", "closed", "error",
              "error"}},
            {AlarmAction::ShelveExpired,
             kShelfEnd - 1,
             {"error", "error", "error", "error", "error", "error", "error", "error", "error"}},
            {AlarmAction::Note,
             kNow,
             {"active_unacked", "active_acked", "cleared_unacked", "closed", "shelved", "shelved", "shelved",
              "suppressed", "event"}},
            {AlarmAction::Verdict,
             kNow,
             {"active_unacked", "active_acked", "cleared_unacked", "closed", "shelved", "shelved", "shelved",
              "suppressed", "event"}},
        };
        for (const auto& row : table)
            for (std::size_t s = 0; s < std::size(states); ++s)
                QTest::addRow("%s: %s @%lld", states[s].name, qPrintable(alarmActionName(row.action)),
                              static_cast<long long>(row.at))
                    << states[s].status << row.action << row.at << QString::fromLatin1(row.to[s]);
    }
    void transitions() {
        QFETCH(AlarmStatus, from);
        QFETCH(AlarmAction, action);
        QFETCH(qint64, at);
        QFETCH(QString, to);
        AlarmEvent e{action, at, kShelfEnd + 1000, IncidentKind::Alarm, Suppression::None};
        auto next = applyAlarmEvent(from, e);
        if (to == QLatin1String("error")) {
            QVERIFY2(!next, next ? qPrintable(alarmStateName(next->state())) : "");
            QCOMPARE(next.error().kind, Error::Kind::BadInput);
            QVERIFY(!next.error().message.isEmpty());
            return;
        }
        QVERIFY2(next, next ? "" : qPrintable(next.error().message));
        QCOMPARE(alarmStateName(next->state()), to);
        // What an action must not touch.
        if (action != AlarmAction::Raise && action != AlarmAction::Update) {
            QCOMPARE(next->kind, from.kind);
            QCOMPARE(next->suppression, from.suppression);
        }
        if (action == AlarmAction::Note || action == AlarmAction::Verdict)
            QCOMPARE(*next, from);
    }

    void raiseTakesTheIncidentsClassification_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("suppression");
        QTest::addColumn<QString>("state");
        QTest::newRow("alarm") << int(IncidentKind::Alarm) << int(Suppression::None) << "active_unacked";
        QTest::newRow("event") << int(IncidentKind::Event) << int(Suppression::None) << "event";
        QTest::newRow("maintenance") << int(IncidentKind::Alarm) << int(Suppression::Maintenance)
                                     << "suppressed";
        QTest::newRow("state transition")
            << int(IncidentKind::Alarm) << int(Suppression::StateTransition) << "suppressed";
    }
    void raiseTakesTheIncidentsClassification() {
        QFETCH(int, kind);
        QFETCH(int, suppression);
        QFETCH(QString, state);
        auto next = applyAlarmEvent(kClosed, {AlarmAction::Raise, kNow, -1, static_cast<IncidentKind>(kind),
                                              static_cast<Suppression>(suppression)});
        QVERIFY(next);
        QCOMPARE(alarmStateName(next->state()), state);
        QVERIFY(next->active);
        QVERIFY(!next->acked);
    }

    void updateReclassifies_data() {
        QTest::addColumn<AlarmStatus>("from");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("suppression");
        QTest::addColumn<QString>("to");
        QTest::newRow("alarm becomes an event")
            << kActiveUnacked << int(IncidentKind::Event) << int(Suppression::None) << "event";
        QTest::newRow("event becomes an alarm, unacknowledged")
            << kEvent << int(IncidentKind::Alarm) << int(Suppression::None) << "active_unacked";
        QTest::newRow("acknowledged alarm becomes suppressed")
            << kActiveAcked << int(IncidentKind::Alarm) << int(Suppression::Maintenance) << "suppressed";
        QTest::newRow("suppression lifted keeps the acknowledgement")
            << AlarmStatus{IncidentKind::Alarm, Suppression::Maintenance, true, true, -1}
            << int(IncidentKind::Alarm) << int(Suppression::None) << "active_acked";
    }
    void updateReclassifies() {
        QFETCH(AlarmStatus, from);
        QFETCH(int, kind);
        QFETCH(int, suppression);
        QFETCH(QString, to);
        auto next = applyAlarmEvent(from, {AlarmAction::Update, kNow, -1, static_cast<IncidentKind>(kind),
                                           static_cast<Suppression>(suppression)});
        QVERIFY(next);
        QCOMPARE(alarmStateName(next->state()), to);
    }

    void shelveNeedsAnEndAfterNow() {
        AlarmEvent e{AlarmAction::Shelve, kNow, kNow, IncidentKind::Alarm, Suppression::None};
        QVERIFY(!applyAlarmEvent(kActiveUnacked, e));
        e.shelveUntilMs = kNow - 1;
        QVERIFY(!applyAlarmEvent(kActiveUnacked, e));
        e.shelveUntilMs = kNow + 1;
        auto next = applyAlarmEvent(kActiveUnacked, e);
        QVERIFY(next);
        QCOMPARE(next->shelvedUntilMs, kNow + 1);
        // Shelving again replaces the time.
        e.shelveUntilMs = kNow + 5;
        next = applyAlarmEvent(*next, e);
        QVERIFY(next);
        QCOMPARE(next->shelvedUntilMs, kNow + 5);
    }

    void shelfExpiresAtItsTime() {
        QVERIFY(!shelfExpired(kActiveUnacked, kShelfEnd));
        QVERIFY(!shelfExpired(kShelvedActive, kShelfEnd - 1));
        QVERIFY(shelfExpired(kShelvedActive, kShelfEnd));
        QVERIFY(shelfExpired(kShelvedActive, kShelfEnd + 1));
    }

    // An acknowledged alarm is shelved, clears and comes back while shelved: when the shelf expires it is
    // annunciated again (active unacknowledged), the acknowledgement from before the shelf does not carry
    // over.
    void reannunciatesAfterTheShelf() {
        AlarmStatus s =
            *applyAlarmEvent({}, {AlarmAction::Raise, 0, -1, IncidentKind::Alarm, Suppression::None});
        const auto step = [&](AlarmAction a, qint64 at, const char* expected, qint64 until = kShelfEnd) {
            auto next = applyAlarmEvent(s, {a, at, until, IncidentKind::Alarm, Suppression::None});
            QVERIFY2(next, next ? "" : qPrintable(next.error().message));
            s = *next;
            QCOMPARE(alarmStateName(s.state()), QString::fromLatin1(expected));
        };
        step(AlarmAction::Acknowledge, 10, "active_acked");
        step(AlarmAction::Shelve, 20, "shelved");
        step(AlarmAction::Clear, 30, "shelved");
        step(AlarmAction::Reopen, 40, "shelved");
        QVERIFY(!shelfExpired(s, kShelfEnd - 1));
        QVERIFY(shelfExpired(s, kShelfEnd));
        step(AlarmAction::ShelveExpired, kShelfEnd, "active_unacked");
        QVERIFY(s.annunciates());
        // The same alarm, cleared at the shelf's end: it closes, nothing to annunciate.
        step(AlarmAction::Shelve, kShelfEnd + 1, "shelved", kShelfEnd + 100);
        step(AlarmAction::Clear, kShelfEnd + 2, "shelved");
        step(AlarmAction::ShelveExpired, kShelfEnd + 100, "closed");
        QVERIFY(!s.annunciates());
    }

    void verdictPrecision() {
        VerdictSummary v;
        v.alarms = 10;
        QVERIFY(!v.precision());
        v.unknown = 2;
        QVERIFY(!v.precision());
        v.confirmed = 3;
        v.falseAlarm = 1;
        QCOMPARE(v.judged(), 6);
        QCOMPARE(v.unjudged(), 4);
        QCOMPARE(*v.precision(), 0.75);
    }
};

QTEST_GUILESS_MAIN(AlarmStateTest)
#include "alarm_state_test.moc"
