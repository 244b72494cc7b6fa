// AlarmJournal (core/alarms/alarm_journal.h) on a SQLite file: the stable-id rule, what recording incidents
// writes, operator actions and their refusals, shelf expiry and re-annunciation through the store, verdicts
// and a read-only database.
#include "alarms/alarm_journal.h"
#include "core/storage/store_test_util.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;
using namespace itap::test;

namespace {

constexpr qint64 kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr qint64 kMin = 60'000;
constexpr qint64 kHour = 60 * kMin;
const QString kA = QStringLiteral("DEV-A");
const QString kB = QStringLiteral("DEV-B");

AlarmRecord storedAlarm(const QString& id, const QString& device, qint64 firstStart, qint64 spanEnd) {
    AlarmRecord r;
    r.id = id;
    r.device = device;
    r.firstStartMs = firstStart;
    r.spanEndMs = spanEnd;
    return r;
}

int countActions(const std::vector<JournalEntry>& rows, AlarmAction action) {
    return int(
        std::count_if(rows.begin(), rows.end(), [&](const JournalEntry& e) { return e.action == action; }));
}

}  // namespace

class AlarmJournalTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    int n_ = 0;
    QString path_;
    std::unique_ptr<Store> store_;

    OperatorAction action(AlarmAction a, const QString& note = {}) {
        OperatorAction o;
        o.action = a;
        o.operatorName = QStringLiteral("olga");
        o.note = note;
        return o;
    }

private slots:
    void init() {
        path_ = dir_.filePath(QStringLiteral("j%1.db").arg(++n_));
        const SensorCatalog catalog = testCatalog();
        store_ = openOrFail(path_, &catalog);
        QVERIFY(store_);
    }
    void cleanup() { store_.reset(); }

    // The id rule on hand-made episodes: stored A1 [0, 60 min] and A2 [120, 130 min] of DEV-A, B1 [0, 60] of
    // DEV-B; the tolerance is 5 min.
    void assignsIds_data() {
        QTest::addColumn<qint64>("start");  // minutes after kT0
        QTest::addColumn<qint64>("end");
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("expected");
        QTest::newRow("same span") << qint64(0) << qint64(60) << kA << "A1";
        QTest::newRow("threshold moved: later start, earlier end") << qint64(10) << qint64(50) << kA << "A1";
        QTest::newRow("lower threshold: wider on both sides") << qint64(-20) << qint64(80) << kA << "A1";
        QTest::newRow("just within the tolerance after") << qint64(65) << qint64(70) << kA << "A1";
        QTest::newRow("just beyond the tolerance after") << qint64(66) << qint64(70) << kA << "new";
        QTest::newRow("within the tolerance before A2") << qint64(100) << qint64(115) << kA << "A2";
        QTest::newRow("spanning both: the larger overlap") << qint64(30) << qint64(135) << kA << "A1";
        QTest::newRow("other device, same time") << qint64(0) << qint64(60) << kB << "B1";
        QTest::newRow("unknown device") << qint64(0) << qint64(60) << QStringLiteral("DEV-C") << "new";
    }
    void assignsIds() {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(QString, device);
        QFETCH(QString, expected);
        const std::vector<AlarmRecord> stored = {storedAlarm("A1", kA, kT0, kT0 + 60 * kMin),
                                                 storedAlarm("A2", kA, kT0 + 120 * kMin, kT0 + 130 * kMin),
                                                 storedAlarm("B1", kB, kT0, kT0 + 60 * kMin)};
        const Alert incident = makeIncident(device, kT0 + start * kMin, kT0 + end * kMin, kT0 + end * kMin);
        const QStringList ids = AlarmJournal::assignIds({incident}, stored);
        QCOMPARE(ids.size(), 1);
        QCOMPARE(ids[0], expected == QLatin1String("new") ? incident.id : expected);
    }

    // An episode that splits in two at a higher threshold keeps its id in the part with the larger overlap;
    // the other part is new. A new id that is taken gets "#2".
    void splitEpisodeAndTakenIds() {
        const std::vector<AlarmRecord> stored = {
            storedAlarm("A1", kA, kT0, kT0 + 60 * kMin),
            storedAlarm(kA + "@x", kB, kT0 + 500 * kMin, kT0 + 501 * kMin)};
        std::vector<Alert> parts = {makeIncident(kA, kT0, kT0 + 20 * kMin, kT0 + 21 * kMin),
                                    makeIncident(kA, kT0 + 30 * kMin, kT0 + 60 * kMin, kT0 + 61 * kMin)};
        QCOMPARE(AlarmJournal::assignIds(parts, stored), QStringList({parts[0].id, "A1"}));
        Alert taken = makeIncident(kA, kT0 + 300 * kMin, kT0 + 310 * kMin, -1);
        taken.id = kA + "@x";
        QCOMPARE(AlarmJournal::assignIds({taken}, stored), QStringList({kA + "@x#2"}));
    }

    void recordsNewIncidentsAndRerunsAddNothing() {
        AlarmJournal journal(*store_);
        std::vector<Alert> incidents = {
            makeIncident(kA, kT0, kT0 + 10 * kMin, kT0 + 15 * kMin),  // cleared
            makeIncident(kB, kT0, kT0 + 10 * kMin, -1),               // still active
            makeIncident(kB, kT0 + 2 * kHour, kT0 + 3 * kHour, -1, IncidentKind::Event),
            makeIncident(kA, kT0 + 2 * kHour, kT0 + 3 * kHour, -1, IncidentKind::Alarm,
                         Suppression::Maintenance)};
        const std::vector<Alert> original = incidents;
        auto first = journal.record(incidents, kT0 + 5 * kHour);
        ITAP_VERIFY_OK(first);
        QCOMPARE(first->incidents, 4);
        QCOMPARE(first->newAlarms, 4);
        QCOMPARE(first->journalRows, 5);  // four raises and one clear
        for (std::size_t i = 0; i < incidents.size(); ++i) QCOMPARE(incidents[i].id, original[i].id);
        auto alarms = journal.alarms(kT0 + 5 * kHour);
        QVERIFY(alarms);
        QCOMPARE(alarms->size(), std::size_t(4));
        std::map<QString, AlarmState> states;
        for (const auto& a : *alarms) states[a.id] = a.state();
        QCOMPARE(states[original[0].id], AlarmState::ClearedUnacked);
        QCOMPARE(states[original[1].id], AlarmState::ActiveUnacked);
        QCOMPARE(states[original[2].id], AlarmState::Event);
        QCOMPARE(states[original[3].id], AlarmState::Suppressed);
        auto rows = journal.entries();
        QVERIFY(rows);
        for (const auto& e : *rows) QCOMPARE(e.operatorName, AlarmJournal::kSystemOperator);
        const JournalEntry& raise = rows->front();
        QCOMPARE(raise.action, AlarmAction::Raise);
        QVERIFY(!raise.fromState);
        QCOMPARE(raise.atMs, kT0 + 5 * kHour);
        QVERIFY(raise.detailJson.contains(QLatin1String("\"rule_id\":\"described:Thermal\"")));

        // The same incidents again, with a threshold moved a little: same ids, no row.
        std::vector<Alert> again = original;
        again[0].startMs += kMin;
        again[0].id = kA + "@moved";
        auto second = journal.record(again, kT0 + 6 * kHour);
        QVERIFY(second);
        QCOMPARE(second->newAlarms, 0);
        QCOMPARE(second->journalRows, 0);
        QCOMPARE(again[0].id, original[0].id);
        QCOMPARE(journal.entries()->size(), rows->size());
        // The alarm keeps its first start and takes the latest derivation.
        auto moved = store_->readAlarms({{original[0].id}, {}});
        QCOMPARE(moved->front().firstStartMs, kT0);
        QCOMPARE(moved->front().startMs, kT0 + kMin);
    }

    void processTransitions() {
        AlarmJournal journal(*store_);
        std::vector<Alert> v1 = {makeIncident(kA, kT0, kT0 + 10 * kMin, -1)};
        ITAP_VERIFY_OK(journal.record(v1, kT0 + kHour));
        const QString id = v1[0].id;
        ITAP_VERIFY_OK(journal.act({id}, action(AlarmAction::Acknowledge), kT0 + kHour));
        // More data: it cleared. Acknowledged and cleared: closed.
        std::vector<Alert> v2 = {makeIncident(kA, kT0, kT0 + 20 * kMin, kT0 + 25 * kMin)};
        ITAP_VERIFY_OK(journal.record(v2, kT0 + 2 * kHour));
        QCOMPARE(store_->readAlarms({{id}, {}})->front().state(), AlarmState::Closed);
        // More data: it came back within the re-alarm window. Reopened: annunciated again.
        std::vector<Alert> v3 = {makeIncident(kA, kT0, kT0 + 40 * kMin, -1)};
        v3[0].reopened = 1;
        ITAP_VERIFY_OK(journal.record(v3, kT0 + 3 * kHour));
        QCOMPARE(store_->readAlarms({{id}, {}})->front().state(), AlarmState::ActiveUnacked);
        // Re-derived as an event (a higher confidence floor): an update row.
        std::vector<Alert> v4 = v3;
        v4[0].kind = IncidentKind::Event;
        ITAP_VERIFY_OK(journal.record(v4, kT0 + 4 * kHour));
        auto rows = journal.entries(id);
        QVERIFY(rows);
        QStringList actions;
        for (const auto& e : *rows) actions << alarmActionName(e.action);
        QCOMPARE(actions, QStringList({"raise", "ack", "clear", "reopen", "update"}));
        QCOMPARE(rows->back().fromState, std::optional<AlarmState>(AlarmState::ActiveUnacked));
        QCOMPARE(rows->back().toState, AlarmState::Event);
        QCOMPARE(rows->at(2).toState, AlarmState::Closed);
    }

    void operatorActionsAndRefusals() {
        AlarmJournal journal(*store_);
        std::vector<Alert> incidents = {makeIncident(kA, kT0, kT0 + 10 * kMin, -1),
                                        makeIncident(kB, kT0, kT0 + 10 * kMin, -1, IncidentKind::Event)};
        ITAP_VERIFY_OK(journal.record(incidents, kT0 + kHour));
        const QString alarm = incidents[0].id, event = incidents[1].id;
        const qint64 now = kT0 + kHour;

        auto refuses = [&](const QStringList& ids, const OperatorAction& a, const char* contains) {
            const auto before = journal.entries()->size();
            auto r = journal.act(ids, a, now);
            QVERIFY2(!r, contains);
            QCOMPARE(r.error().kind, Error::Kind::BadInput);
            QVERIFY2(r.error().message.contains(QLatin1String(contains)), qPrintable(r.error().message));
            QCOMPARE(journal.entries()->size(), before);
        };
        refuses({QStringLiteral("nope")}, action(AlarmAction::Acknowledge), "unknown alarm id \"nope\"");
        refuses({event}, action(AlarmAction::Acknowledge), "event");
        refuses({alarm}, action(AlarmAction::Unshelve), "not shelved");
        refuses({alarm}, action(AlarmAction::Note), "must not be empty");
        refuses({alarm}, action(AlarmAction::Raise), "not an operator action");
        OperatorAction system = action(AlarmAction::Acknowledge);
        system.operatorName = QStringLiteral("System");
        refuses({alarm}, system, "reserved");
        OperatorAction shelve = action(AlarmAction::Shelve, QStringLiteral("sensor being replaced"));
        shelve.shelveUntilMs = now;
        refuses({alarm}, shelve, "future");
        shelve.shelveUntilMs = now + AlarmJournal::kMaxShelveMs + 1;
        refuses({alarm}, shelve, "at most 7 days");
        shelve.shelveUntilMs = now + kHour;
        shelve.note.clear();
        refuses({alarm}, shelve, "reason");
        OperatorAction verdict = action(AlarmAction::Verdict);
        refuses({alarm}, verdict, "confirmed, false_alarm or unknown");
        verdict.verdict = Verdict::Confirmed;
        verdict.faultTypeSource = FaultTypeSource::CatalogFamily;
        verdict.faultType = QStringLiteral("Plumbing");
        refuses({alarm}, verdict, "unknown fault type \"Plumbing\"");
        verdict.verdict = Verdict::FalseAlarm;
        verdict.faultType = QStringLiteral("Flow");
        refuses({alarm}, verdict, "confirmed verdict only");

        // What is allowed, each a row with who and what.
        auto noted =
            journal.act({alarm, event}, action(AlarmAction::Note, QStringLiteral("checked on site")), now);
        QVERIFY(noted);
        QCOMPARE(noted->size(), std::size_t(2));
        QCOMPARE(noted->front().operatorName, QStringLiteral("olga"));
        QCOMPARE(noted->front().note, QStringLiteral("checked on site"));
        verdict.verdict = Verdict::Confirmed;
        verdict.faultType =
            QStringLiteral("temperature");  // case-insensitive, stored as the catalog spells it
        auto judged = journal.act({alarm}, verdict, now);
        QVERIFY(judged);
        QVERIFY(judged->front().detailJson.contains(QLatin1String("\"fault_type\":\"Temperature\"")));
        QCOMPARE(store_->readAlarms({{alarm}, {}})->front().faultType, QStringLiteral("Temperature"));
        verdict.faultTypeSource = FaultTypeSource::FreeText;
        verdict.faultType = QStringLiteral("loose terminal, phase 2");
        ITAP_VERIFY_OK(journal.act({event}, verdict, now));  // events can be judged too
        QCOMPARE(store_->readAlarms({{event}, {}})->front().faultType,
                 QStringLiteral("loose terminal, phase 2"));

        auto summary = journal.verdicts({alarm, event, QStringLiteral("not-in-journal")});
        QVERIFY(summary);
        QCOMPARE(summary->alarms, 3);
        QCOMPARE(summary->confirmed, 2);
        QCOMPARE(summary->unjudged(), 1);
        QCOMPARE(*summary->precision(), 1.0);
        verdict.verdict = Verdict::FalseAlarm;
        verdict.faultTypeSource = FaultTypeSource::None;
        ITAP_VERIFY_OK(journal.act({event}, verdict, now));  // the latest verdict counts
        QCOMPARE(*journal.verdicts({alarm, event})->precision(), 0.5);
        QCOMPARE(store_->readAlarms({{event}, {}})->front().faultType, QString());
    }

    // Shelved for an hour, the alarm clears and comes back meanwhile; when the hour is over the first call
    // that looks ends the shelf (a shelve_expired row by "system" at the shelf's end) and the alarm is
    // annunciated again.
    void shelfExpiresAndReannunciates() {
        AlarmJournal journal(*store_);
        std::vector<Alert> incidents = {makeIncident(kA, kT0, kT0 + 10 * kMin, -1)};
        ITAP_VERIFY_OK(journal.record(incidents, kT0 + kHour));
        const QString id = incidents[0].id;
        ITAP_VERIFY_OK(journal.act({id}, action(AlarmAction::Acknowledge), kT0 + kHour));
        OperatorAction shelve = action(AlarmAction::Shelve, QStringLiteral("known, crew on the way"));
        shelve.shelveUntilMs = kT0 + 2 * kHour;
        ITAP_VERIFY_OK(journal.act({id}, shelve, kT0 + kHour));
        QCOMPARE(journal.alarms(kT0 + 2 * kHour - 1)->front().state(), AlarmState::Shelved);
        QVERIFY(!journal.act({id}, action(AlarmAction::Acknowledge),
                             kT0 + kHour + 1));  // shelved: unshelve first

        std::vector<Alert> cleared = {makeIncident(kA, kT0, kT0 + 20 * kMin, kT0 + 25 * kMin)};
        ITAP_VERIFY_OK(journal.record(cleared, kT0 + kHour + 10 * kMin));
        std::vector<Alert> back = {makeIncident(kA, kT0, kT0 + 50 * kMin, -1)};
        ITAP_VERIFY_OK(journal.record(back, kT0 + kHour + 20 * kMin));
        QCOMPARE(journal.alarms(kT0 + kHour + 30 * kMin)->front().state(), AlarmState::Shelved);

        auto after = journal.alarms(kT0 + 3 * kHour);
        QVERIFY(after);
        QCOMPARE(after->front().state(), AlarmState::ActiveUnacked);
        auto rows = journal.entries(id);
        QVERIFY(rows);
        const JournalEntry& expired = rows->back();
        QCOMPARE(expired.action, AlarmAction::ShelveExpired);
        QCOMPARE(expired.atMs, kT0 + 2 * kHour);
        QCOMPARE(expired.operatorName, AlarmJournal::kSystemOperator);
        QCOMPARE(expired.fromState, std::optional<AlarmState>(AlarmState::Shelved));
        QCOMPARE(expired.toState, AlarmState::ActiveUnacked);
        QCOMPARE(countActions(*rows, AlarmAction::ShelveExpired), 1);
        // Looking again records nothing more.
        ITAP_VERIFY_OK(journal.alarms(kT0 + 4 * kHour));
        QCOMPARE(journal.entries(id)->size(), rows->size());

        // Unshelving early: a cleared alarm closes.
        std::vector<Alert> clearedAgain = {makeIncident(kA, kT0, kT0 + 60 * kMin, kT0 + 65 * kMin)};
        shelve.shelveUntilMs = kT0 + 9 * kHour;
        ITAP_VERIFY_OK(journal.act({id}, shelve, kT0 + 4 * kHour));
        ITAP_VERIFY_OK(journal.record(clearedAgain, kT0 + 4 * kHour + 1));
        auto unshelved = journal.act({id}, action(AlarmAction::Unshelve), kT0 + 5 * kHour);
        QVERIFY(unshelved);
        QCOMPARE(unshelved->front().toState, AlarmState::Closed);
    }

    void readOnlyDatabaseChangesNothing() {
        AlarmJournal journal(*store_);
        std::vector<Alert> incidents = {makeIncident(kA, kT0, kT0 + 10 * kMin, -1)};
        ITAP_VERIFY_OK(journal.record(incidents, kT0 + kHour));
        OperatorAction shelve = action(AlarmAction::Shelve, QStringLiteral("test"));
        shelve.shelveUntilMs = kT0 + 2 * kHour;
        ITAP_VERIFY_OK(journal.act({incidents[0].id}, shelve, kT0 + kHour));
        const auto rows = journal.entries()->size();
        store_.reset();

        auto ro = openOrFail(QStringLiteral("file:%1?mode=ro").arg(path_), nullptr);
        QVERIFY(ro);
        QVERIFY(ro->isReadOnly());
        AlarmJournal roJournal(*ro);
        auto ack =
            roJournal.act({incidents[0].id}, action(AlarmAction::Note, QStringLiteral("x")), kT0 + kHour);
        QVERIFY(!ack);
        QCOMPARE(ack.error().kind, Error::Kind::Failure);
        QVERIFY2(ack.error().message.contains(QLatin1String("read-only")), qPrintable(ack.error().message));
        std::vector<Alert> again = incidents;
        QVERIFY(!roJournal.record(again, kT0 + kHour));
        // The expired shelf ends in what is returned, not in the file.
        auto alarms = roJournal.alarms(kT0 + 3 * kHour);
        QVERIFY(alarms);
        QCOMPARE(alarms->front().state(), AlarmState::ActiveUnacked);
        QCOMPARE(roJournal.entries()->size(), rows);
        QCOMPARE(ro->readAlarms({})->front().state(), AlarmState::Shelved);
        // Ids and verdicts can still be looked up.
        auto ids = roJournal.idsOf(incidents);
        QVERIFY(ids);
        QCOMPARE(ids->front(), incidents[0].id);
    }

    void parsesShelveDurations_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");  // -1: refused
        QTest::newRow("1h") << "1h" << kHour;
        QTest::newRow("8h") << "8h" << 8 * kHour;
        QTest::newRow("24h") << "24h" << 24 * kHour;
        QTest::newRow("90s") << "90s" << qint64(90'000);
        QTest::newRow("30m") << "30m" << 30 * kMin;
        QTest::newRow("1.5d") << "1.5d" << 36 * kHour;
        QTest::newRow("7d, the longest") << "7d" << AlarmJournal::kMaxShelveMs;
        QTest::newRow("8d") << "8d" << qint64(-1);
        QTest::newRow("zero") << "0h" << qint64(-1);
        QTest::newRow("negative") << "-1h" << qint64(-1);
        QTest::newRow("no unit") << "8" << qint64(-1);
        QTest::newRow("unknown unit") << "8w" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
        QTest::newRow("nan") << "nanh" << qint64(-1);
        QTest::newRow("absurd") << "1e300h" << qint64(-1);
    }
    void parsesShelveDurations() {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        auto parsed = AlarmJournal::parseDuration(text);
        if (ms < 0) {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().kind, Error::Kind::BadInput);
        } else {
            QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
            QCOMPARE(*parsed, ms);
        }
    }

    void exportsTheJournal() {
        AlarmJournal journal(*store_);
        std::vector<Alert> incidents = {makeIncident(kA, kT0, kT0 + 10 * kMin, -1)};
        ITAP_VERIFY_OK(journal.record(incidents, kT0 + kHour));
        ITAP_VERIFY_OK(journal.act({incidents[0].id},
                            action(AlarmAction::Note, QStringLiteral("a \"quoted\", multi\nline note")),
                            kT0 + kHour));
        auto rows = journal.entries();
        QVERIFY(rows);
        const QByteArray csv = journalCsv(*rows);
        QVERIFY(csv.startsWith("id,alarm_id,at,operator,action,from_state,to_state,note,detail\n"));
        QVERIFY(csv.contains("\"a \"\"quoted\"\", multi\nline note\""));
        const nlohmann::json j = journalEntryJson(rows->back());
        QCOMPARE(j["action"].get<std::string>(), std::string("note"));
        QCOMPARE(j["operator"].get<std::string>(), std::string("olga"));
        QCOMPARE(j["from_state"].get<std::string>(), std::string("active_unacked"));
        QVERIFY(j["detail"].is_object());
        const nlohmann::json first = journalEntryJson(rows->front());
        QVERIFY(first["from_state"].is_null());
        QCOMPARE(first["detail"]["cause"].get<std::string>(),
                 std::string("Thermal deviation, no known pattern"));
    }
};

QTEST_GUILESS_MAIN(AlarmJournalTest)
#include "alarm_journal_test.moc"
