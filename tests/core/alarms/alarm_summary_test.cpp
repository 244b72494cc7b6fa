// The alarm summary (core/alarms/alarm_summary.h): the order an operator reads alarms in, the counts of the
// Alerts tab's title and the default operator name. Hand-derived expectations.
#include "alarms/alarm_summary.h"
#include "alarms/alarm_journal.h"

#include <QTest>

#include <algorithm>

using namespace itap;

Q_DECLARE_METATYPE(itap::AlarmState)

namespace {

AlarmRecord withStatus(bool active, bool acked, qint64 shelvedUntil = -1,
                       IncidentKind kind = IncidentKind::Alarm, Suppression suppression = Suppression::None) {
    AlarmRecord r;
    r.status = AlarmStatus{kind, suppression, active, acked, shelvedUntil};
    return r;
}

}  // namespace

class AlarmSummaryTest : public QObject {
    Q_OBJECT

private slots:
    void countsActiveUnackedShelved() {
        const std::vector<AlarmRecord> alarms = {
            withStatus(true, false),                           // active unacked: active + unacked
            withStatus(true, true),                            // active acked: active
            withStatus(false, false),                          // cleared unacked: unacked
            withStatus(false, true),                           // closed: none
            withStatus(true, false, 5),                        // shelved: shelved
            withStatus(true, false, -1, IncidentKind::Event),  // event: none
            withStatus(true, false, -1, IncidentKind::Alarm, Suppression::Maintenance),  // suppressed: none
        };
        const AlarmCounts c = countAlarms(alarms);
        QCOMPARE(c.active, 2);
        QCOMPARE(c.unacked, 2);
        QCOMPARE(c.shelved, 1);
        QCOMPARE(countAlarms({}), AlarmCounts{});
    }

    // Unacknowledged first (active or cleared alike), then priority, then newest, then id; the silenced and
    // never annunciated last.
    void summaryOrder() {
        const qint64 t = 1'767'225'600'000;
        const std::vector<AlarmSummaryKey> expected = {
            {AlarmState::ActiveUnacked, Severity::Critical, t, QStringLiteral("a")},
            {AlarmState::ClearedUnacked, Severity::Critical, t - 1, QStringLiteral("b")},
            {AlarmState::ActiveUnacked, Severity::Warning, t + 100, QStringLiteral("c")},
            {AlarmState::ClearedUnacked, Severity::Info, t + 50, QStringLiteral("d")},
            {AlarmState::ActiveUnacked, Severity::Info, t + 10, QStringLiteral("e")},
            {AlarmState::ActiveUnacked, Severity::Info, t + 10, QStringLiteral("f")},
            {AlarmState::ActiveAcked, Severity::Critical, t, QStringLiteral("g")},
            {AlarmState::Closed, Severity::Warning, t + 500, QStringLiteral("h")},
            {AlarmState::ActiveAcked, Severity::Info, t + 900, QStringLiteral("i")},
            {AlarmState::Shelved, Severity::Critical, t, QStringLiteral("j")},
            {AlarmState::Event, Severity::Warning, t, QStringLiteral("k")},
            {AlarmState::Suppressed, Severity::Info, t + 1, QStringLiteral("l")},
        };
        std::vector<AlarmSummaryKey> shuffled = expected;
        std::reverse(shuffled.begin(), shuffled.end());
        std::rotate(shuffled.begin(), shuffled.begin() + 5, shuffled.end());
        std::sort(shuffled.begin(), shuffled.end(), &summaryBefore);
        QStringList got, want;
        for (const auto& k : shuffled) got << k.id;
        for (const auto& k : expected) want << k.id;
        QCOMPARE(got, want);
        // Irreflexive.
        for (const auto& k : expected) QVERIFY(!summaryBefore(k, k));
    }

    void incidentStatusBeforeTheJournal_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("suppression");
        QTest::addColumn<qint64>("cleared");
        QTest::addColumn<AlarmState>("state");
        QTest::newRow("active alarm")
            << int(IncidentKind::Alarm) << int(Suppression::None) << qint64(-1) << AlarmState::ActiveUnacked;
        QTest::newRow("cleared alarm")
            << int(IncidentKind::Alarm) << int(Suppression::None) << qint64(7) << AlarmState::ClearedUnacked;
        QTest::newRow("event") << int(IncidentKind::Event) << int(Suppression::None) << qint64(-1)
                               << AlarmState::Event;
        QTest::newRow("suppressed") << int(IncidentKind::Alarm) << int(Suppression::StateTransition)
                                    << qint64(-1) << AlarmState::Suppressed;
    }
    void incidentStatusBeforeTheJournal() {
        QFETCH(int, kind);
        QFETCH(int, suppression);
        QFETCH(qint64, cleared);
        QFETCH(AlarmState, state);
        Alert a;
        a.kind = IncidentKind(kind);
        a.suppression = Suppression(suppression);
        a.clearedMs = cleared;
        QCOMPARE(statusOfIncident(a).state(), state);
        QVERIFY(!statusOfIncident(a).acked);
        QVERIFY(!statusOfIncident(a).shelved());
    }

    void defaultOperatorIsTheOsUser() {
        const QByteArray user = qgetenv("USER"), username = qgetenv("USERNAME");
        qputenv("USER", "  olga ");
        QCOMPARE(defaultOperatorName(), QStringLiteral("olga"));
        qunsetenv("USER");
        qputenv("USERNAME", "piet");
        QCOMPARE(defaultOperatorName(), QStringLiteral("piet"));
        // The reserved process name is never an operator's.
        qputenv("USERNAME", "system");
        QCOMPARE(defaultOperatorName(), QStringLiteral("operator"));
        qunsetenv("USERNAME");
        QCOMPARE(defaultOperatorName(), QStringLiteral("operator"));
        QVERIFY(AlarmJournal::checkOperatorName(defaultOperatorName()));
        if (!user.isNull())
            qputenv("USER", user);
        if (!username.isNull())
            qputenv("USERNAME", username);
    }
};

QTEST_GUILESS_MAIN(AlarmSummaryTest)
#include "alarm_summary_test.moc"
