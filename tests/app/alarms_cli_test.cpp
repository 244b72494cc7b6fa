// itap alarms as scripts use it, on a database `itap run` filled: incidents recorded by run and score, stable
// ids across re-scoring, operator actions and their refusals (exit codes, nothing changed), two concurrent
// acknowledgements, shelf expiry, verdicts in metrics.json, the journal export, a read-only database.
#include "alarms/alarm_journal.h"
#include "app/cli_runner.h"
#include "common/json_util.h"
#include "core/storage/store_test_util.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <random>
#include <tuple>

#include <nlohmann/json.hpp>

using namespace itap;
using namespace itap::test;

namespace {

nlohmann::json jsonOf(const Run& r) {
    auto j = parseJson(r.out, QStringLiteral("stdout"));
    if (!j)
        qFatal("not JSON: %s / %s", r.out.constData(), r.err.constData());
    return *j;
}

nlohmann::json fileJson(const QString& path) {
    auto j = readJsonFile(path);
    if (!j)
        qFatal("cannot read %s", qPrintable(path));
    return *j;
}

}  // namespace

class AlarmsCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString runOut_;  // the `itap run` output every test starts from (copied)
    nlohmann::json runJson_;
    int n_ = 0;
    QString db_;  // this test's copy of the database

    Run alarms(const QStringList& verbAndArgs) {
        return itapCli(QStringList{"alarms"} + verbAndArgs + QStringList{"--db", db_});
    }
    nlohmann::json list(const QStringList& filters = {}) {
        Run r = alarms(QStringList{"list", "--json"} + filters);
        if (r.exitCode != 0)
            qFatal("list failed: %s", r.err.constData());
        return jsonOf(r);
    }
    std::size_t journalRows() {
        Run r = alarms({"journal", "--json"});
        if (r.exitCode != 0)
            qFatal("journal failed: %s", r.err.constData());
        return jsonOf(r)["journal"].size();
    }
    // An alarm that can be acknowledged or shelved.
    QString annunciated() {
        const auto l = list({"--unacked"});
        if (l["alarms"].empty())
            qFatal("no unacknowledged alarm in the test fleet");
        return QString::fromStdString(l["alarms"][0]["id"].get<std::string>());
    }

private slots:
    void initTestCase() {
        qputenv("USER", "shift-lead");
        runOut_ = dir_.filePath("run");
        Run r =
            itapCli({"run", "--devices", "6", "--hours", "12", "--seed", "3", "--out", runOut_, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        runJson_ = jsonOf(r);
    }

    void init() {
        db_ = dir_.filePath(QStringLiteral("t%1.db").arg(++n_));
        QVERIFY(QFile::copy(runOut_ + "/fleet.db", db_));
        if (QFile::exists(runOut_ + "/fleet.db-wal"))
            QVERIFY(QFile::copy(runOut_ + "/fleet.db-wal", db_ + "-wal"));
    }

    void runRecordsEveryIncident() {
        const auto alerts = fileJson(runOut_ + "/alerts.json")["alerts"];
        QVERIFY2(alerts.size() >= 2, "the test fleet needs incidents");
        const auto block = runJson_["alarm_journal"];
        QVERIFY(block["recorded"].get<bool>());
        QCOMPARE(block["incidents"].get<std::size_t>(), alerts.size());
        QCOMPARE(block["new_alarms"].get<std::size_t>(), alerts.size());
        const auto l = list();
        QCOMPARE(l["schema_version"].get<int>(), 1);
        QCOMPARE(l["count"].get<std::size_t>(), alerts.size());
        QSet<QString> listed;
        for (const auto& a : l["alarms"]) listed.insert(QString::fromStdString(a["id"].get<std::string>()));
        for (const auto& a : alerts)
            QVERIFY(listed.contains(QString::fromStdString(a["id"].get<std::string>())));
        const auto journal = jsonOf(alarms({"journal", "--json"}));
        for (const auto& e : journal["journal"])
            QCOMPARE(e["operator"].get<std::string>(), std::string("system"));
        // No verdict yet: every alarm that reaches the operator is unjudged.
        const auto verdicts = fileJson(runOut_ + "/metrics.json")["alarm_verdicts"];
        QCOMPARE(verdicts["judged"].get<int>(), 0);
        QVERIFY(verdicts["unjudged"].get<int>() > 0);
        QVERIFY(verdicts["precision"].is_null());
    }

    // Scoring again records nothing new; scoring at another threshold keeps the ids of the episodes it finds
    // again and only adds alarms for the others. Nothing is deleted.
    void rescoringKeepsIds() {
        const QString model = runOut_ + "/model.itapm";
        const QString out = dir_.filePath(QStringLiteral("score%1").arg(n_));
        const std::size_t before = list()["count"].get<std::size_t>();
        const std::size_t rowsBefore = journalRows();
        Run same = itapCli({"score", "--db", db_, "--model", model, "--out", out, "--json"});
        QVERIFY2(same.exitCode == 0, same.err.constData());
        QCOMPARE(jsonOf(same)["alarm_journal"]["new_alarms"].get<int>(), 0);
        QCOMPARE(jsonOf(same)["alarm_journal"]["journal_rows"].get<int>(), 0);
        QCOMPARE(journalRows(), rowsBefore);
        const double threshold = fileJson(runOut_ + "/metrics.json")["operating_threshold"].get<double>();
        Run lower = itapCli({"score", "--db", db_, "--model", model, "--out", out, "--json", "--threshold",
                             QString::number(threshold - 0.01)});
        QVERIFY2(lower.exitCode == 0, lower.err.constData());
        const int added = jsonOf(lower)["alarm_journal"]["new_alarms"].get<int>();
        QCOMPARE(list()["count"].get<std::size_t>(), before + std::size_t(added));
        QVERIFY(journalRows() >= rowsBefore);
        QSet<QString> original;
        const auto first = fileJson(runOut_ + "/alerts.json");
        for (const auto& a : first["alerts"])
            original.insert(QString::fromStdString(a["id"].get<std::string>()));
        const auto rescored = fileJson(out + "/alerts.json")["alerts"];
        int kept = 0;
        for (const auto& a : rescored)
            kept += original.contains(QString::fromStdString(a["id"].get<std::string>())) ? 1 : 0;
        QCOMPARE(kept + added, int(rescored.size()));
        QVERIFY2(kept > 0, "no episode kept its id");
    }

    void acknowledgesWithTheOperator() {
        const QString id = annunciated();
        Run r = alarms({"ack", id, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = jsonOf(r);
        QCOMPARE(j["schema_version"].get<int>(), 1);
        QCOMPARE(j["operator"].get<std::string>(), std::string("shift-lead"));  // $USER
        QCOMPARE(j["journal"].size(), std::size_t(1));
        const std::string to = j["journal"][0]["to_state"].get<std::string>();
        QVERIFY(to == "active_acked" || to == "closed");
        Run named = alarms({"ack", id, "--operator", "Jörg Müller"});
        QVERIFY2(named.exitCode == 0, named.err.constData());
        const auto shown = jsonOf(alarms({"show", id, "--json"}));
        QCOMPARE(shown["alarm"]["state"].get<std::string>(), to);
        QCOMPARE(shown["journal"].back()["operator"].get<std::string>(), std::string("Jörg Müller"));
        QCOMPARE(shown["journal"].back()["from_state"].get<std::string>(), to);
        // --all-unacked acknowledges the rest.
        Run all = alarms({"ack", "--all-unacked"});
        QVERIFY2(all.exitCode == 0, all.err.constData());
        QCOMPARE(list({"--unacked"})["count"].get<int>(), 0);
    }

    void badInputChangesNothing_data() {
        QTest::addColumn<QStringList>("args");  // "ID" is replaced by an annunciated alarm's id
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown id") << QStringList{"ack", "NOPE@2026"} << 2
                                    << "unknown alarm id \"NOPE@2026\"";
        QTest::newRow("one unknown among many")
            << QStringList{"ack", "ID", "NOPE"} << 2 << "unknown alarm id \"NOPE\"";
        QTest::newRow("ack without ids") << QStringList{"ack"} << 2 << "expected alarm ids";
        QTest::newRow("negative duration")
            << QStringList{"shelve", "ID", "--for", "-1h", "--reason", "x"} << 2 << "longer than zero";
        QTest::newRow("absurd duration")
            << QStringList{"shelve", "ID", "--for", "30d", "--reason", "x"} << 2 << "at most 7 days";
        QTest::newRow("duration without unit")
            << QStringList{"shelve", "ID", "--for", "8", "--reason", "x"} << 2 << "unit";
        QTest::newRow("until in the past")
            << QStringList{"shelve", "ID", "--until", "2020-01-01T00:00:00Z", "--reason", "x"} << 2
            << "future";
        QTest::newRow("until unreadable")
            << QStringList{"shelve", "ID", "--until", "tomorrow", "--reason", "x"} << 2 << "--until";
        QTest::newRow("shelve without reason")
            << QStringList{"shelve", "ID", "--for", "1h"} << 2 << "--reason";
        QTest::newRow("shelve for and until")
            << QStringList{"shelve", "ID", "--for", "1h", "--until", "2099-01-01T00:00:00Z", "--reason", "x"}
            << 2 << "either";
        QTest::newRow("unshelve, not shelved") << QStringList{"unshelve", "ID"} << 2 << "not shelved";
        QTest::newRow("unknown verdict")
            << QStringList{"verdict", "ID", "maybe"} << 2 << "unknown verdict 'maybe'";
        QTest::newRow("unknown fault type")
            << QStringList{"verdict", "ID", "confirmed", "--fault-type", "Plumbing"} << 2
            << "unknown fault type \"Plumbing\"";
        QTest::newRow("fault type with false alarm")
            << QStringList{"verdict", "ID", "false-alarm", "--fault-type", "Temperature"} << 2
            << "confirmed verdict only";
        QTest::newRow("empty note") << QStringList{"note", "ID", "  "} << 2 << "must not be empty";
        QTest::newRow("reserved operator")
            << QStringList{"ack", "ID", "--operator", "system"} << 2 << "reserved";
        QTest::newRow("unknown state filter")
            << QStringList{"list", "--state", "open"} << 2 << "unknown state";
        QTest::newRow("journal of an unknown alarm")
            << QStringList{"journal", "--alarm", "NOPE"} << 2 << "unknown alarm id";
        QTest::newRow("json and csv") << QStringList{"journal", "--json", "--csv"} << 2 << "not both";
    }
    void badInputChangesNothing() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const QString id = annunciated();
        args.replaceInStrings(QRegularExpression("^ID$"), id);
        const std::size_t rows = journalRows();
        const auto before = list();
        Run r = alarms(args);
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QCOMPARE(journalRows(), rows);
        QVERIFY(list() == before);
    }

    void commandErrors() {
        Run noVerb = itapCli({"alarms"});
        QCOMPARE(noVerb.exitCode, 2);
        Run unknown = itapCli({"alarms", "silence", "--db", db_});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("unknown verb 'silence'"));
        Run noDb = itapCli({"alarms", "list"});
        QCOMPARE(noDb.exitCode, 2);
        QVERIFY(noDb.err.contains("--db is required"));
        Run help = itapCli({"alarms", "shelve", "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("1h, 8h, 24h"));
    }

    void readOnlyDatabaseIsAnIoError() {
        const QString id = annunciated();
        const std::size_t rows = journalRows();
        const QString ro = QStringLiteral("file:%1?mode=ro").arg(db_);
        for (const QStringList& args : {QStringList{"ack", id}, QStringList{"note", id, "hello"},
                                        QStringList{"shelve", id, "--for", "1h", "--reason", "x"},
                                        QStringList{"verdict", id, "unknown"}}) {
            Run r = itapCli(QStringList{"alarms"} + args + QStringList{"--db", ro});
            QVERIFY2(r.exitCode == 1, r.err.constData());
            QVERIFY2(r.err.contains("read-only"), r.err.constData());
        }
        QCOMPARE(journalRows(), rows);
        // Reading works.
        Run l = itapCli({"alarms", "list", "--db", ro, "--json"});
        QVERIFY2(l.exitCode == 0, l.err.constData());
        Run j = itapCli({"alarms", "journal", "--db", ro, "--csv"});
        QVERIFY2(j.exitCode == 0, j.err.constData());
    }

    // Two operators acknowledge the same alarm at the same moment from two processes: both succeed and the
    // journal shows both.
    void concurrentAcknowledgementsBothSucceed() {
        const QString id = annunciated();
        QProcess a, b;
        a.start(QStringLiteral(ITAP_CLI), {"alarms", "ack", id, "--operator", "alice", "--db", db_});
        b.start(QStringLiteral(ITAP_CLI), {"alarms", "ack", id, "--operator", "bob", "--db", db_});
        QVERIFY(a.waitForFinished(60000));
        QVERIFY(b.waitForFinished(60000));
        QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
        QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());
        QSet<QString> who;
        int transitions = 0;
        const auto journal = jsonOf(alarms({"journal", "--json", "--alarm", id}));
        for (const auto& e : journal["journal"]) {
            if (e["action"] != "ack")
                continue;
            who.insert(QString::fromStdString(e["operator"].get<std::string>()));
            transitions += e["from_state"] != e["to_state"] ? 1 : 0;
        }
        QCOMPARE(who, QSet<QString>({"alice", "bob"}));
        QCOMPARE(transitions, 1);
    }

    void shelfExpiresByItself() {
        const QString id = annunciated();
        Run r = alarms({"shelve", id, "--for", "2s", "--reason", "crew on site", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(jsonOf(r)["journal"][0]["to_state"].get<std::string>(), std::string("shelved"));
        QCOMPARE(jsonOf(r)["journal"][0]["note"].get<std::string>(), std::string("crew on site"));
        QCOMPARE(list({"--state", "shelved"})["count"].get<int>(), 1);
        QThread::msleep(2500);
        const auto shown = jsonOf(alarms({"show", id, "--json"}));
        const std::string state = shown["alarm"]["state"].get<std::string>();
        // Still active: annunciated again; cleared meanwhile: closed.
        QVERIFY2(state == (shown["alarm"]["active"].get<bool>() ? "active_unacked" : "closed"),
                 state.c_str());
        QCOMPARE(shown["journal"].back()["action"].get<std::string>(), std::string("shelve_expired"));
        QCOMPARE(shown["journal"].back()["operator"].get<std::string>(), std::string("system"));
    }

    // Verdicts are labels: metrics.json reports the precision of the judged alarms.
    void verdictsReachMetrics() {
        const auto l = list();
        QStringList ids;
        for (const auto& a : l["alarms"])
            if (a["kind"] == "alarm" && a["suppression"].is_null())
                ids << QString::fromStdString(a["id"].get<std::string>());
        QVERIFY2(ids.size() >= 3, "the test fleet needs three alarms");
        QCOMPARE(alarms({"verdict", ids[0], "confirmed", "--fault-type", "temperature"}).exitCode, 0);
        QCOMPARE(alarms({"verdict", ids[1], "confirmed", "--fault-type-text", "loose terminal"}).exitCode, 0);
        QCOMPARE(alarms({"verdict", ids[2], "false-alarm", "--note", "calibration run"}).exitCode, 0);
        const auto shown = jsonOf(alarms({"show", ids[0], "--json"}));
        QCOMPARE(shown["alarm"]["verdict"].get<std::string>(), std::string("confirmed"));
        QCOMPARE(shown["alarm"]["fault_type"].get<std::string>(), std::string("Temperature"));
        const QString out = dir_.filePath(QStringLiteral("export%1").arg(n_));
        Run e = itapCli({"export", "--db", db_, "--model", runOut_ + "/model.itapm", "--out", out});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const auto v = fileJson(out + "/metrics.json")["alarm_verdicts"];
        QCOMPARE(v["confirmed"].get<int>(), 2);
        QCOMPARE(v["false_alarm"].get<int>(), 1);
        QCOMPARE(v["judged"].get<int>(), 3);
        QCOMPARE(v["unjudged"].get<int>(), v["alarms"].get<int>() - 3);
        QCOMPARE(v["precision"].get<double>(), 2.0 / 3.0);
    }

    // `itap alarms ack --all-unacked` on 1,500 alarms, killed (SIGKILL) at several moments: every alarm is
    // acknowledged with its row or none is, never part of the action.
    void killedActionLeavesTheJournalConsistent() {
        constexpr int kAlarms = 1500;
        const QString pristine = dir_.filePath(QStringLiteral("many%1.db").arg(n_));
        {
            const SensorCatalog catalog = testCatalog();
            auto store = Store::open(pristine, &catalog);
            QVERIFY(store);
            std::vector<Alert> incidents;
            for (int i = 0; i < kAlarms; ++i)
                incidents.push_back(makeIncident(QStringLiteral("D%1").arg(i % 50),
                                                 1'767'225'600'000 + i * 3'600'000LL,
                                                 1'767'225'600'000 + i * 3'600'000LL + 60'000, -1));
            ITAP_VERIFY_OK(AlarmJournal(**store).record(incidents, 1'767'225'600'000));
        }
        const auto copy = [&](const QString& name) {
            const QString db = dir_.filePath(name);
            if (!QFile::copy(pristine, db) ||
                (QFile::exists(pristine + "-wal") && !QFile::copy(pristine + "-wal", db + "-wal")))
                qFatal("cannot copy %s", qPrintable(pristine));
            return db;
        };
        // How long the whole action takes, to kill within it.
        QElapsedTimer clock;
        clock.start();
        Run full =
            itapCli({"alarms", "ack", "--all-unacked", "--db", copy(QStringLiteral("full%1.db").arg(n_))});
        const int fullMs = int(clock.elapsed());
        QVERIFY2(full.exitCode == 0, full.err.constData());
        std::mt19937 rng(20);
        int whole = 0, none = 0;
        for (int round = 0; round < 8; ++round) {
            const QString db = copy(QStringLiteral("kill%1-%2.db").arg(n_).arg(round));
            QProcess p;
            p.start(QStringLiteral(ITAP_CLI), {"alarms", "ack", "--all-unacked", "--db", db});
            QVERIFY(p.waitForStarted());
            QThread::msleep(std::uniform_int_distribution<int>(0, fullMs)(rng));
            p.kill();
            QVERIFY(p.waitForFinished(60000));
            auto store = Store::open(db, nullptr);
            QVERIFY(store);
            auto alarms = (*store)->readAlarms({});
            auto rows = (*store)->readJournal({});
            QVERIFY(alarms && rows);
            QCOMPARE(int(alarms->size()), kAlarms);
            const auto acked = std::count_if(alarms->begin(), alarms->end(),
                                             [](const AlarmRecord& r) { return r.status.acked; });
            const auto ackRows = std::count_if(rows->begin(), rows->end(), [](const JournalEntry& e) {
                return e.action == AlarmAction::Acknowledge;
            });
            QCOMPARE(acked, ackRows);
            QVERIFY2(acked == 0 || acked == kAlarms, qPrintable(QString::number(acked)));
            (acked == 0 ? none : whole) += 1;
        }
        qInfo("the action takes %d ms; killed 8 times within it: %d complete, %d not recorded", fullMs, whole,
              none);
    }

    void exportsTheJournal() {
        const QString id = annunciated();
        QCOMPARE(alarms({"note", id, "pump, \"B\" side\nchecked"}).exitCode, 0);
        Run csv = alarms({"journal", "--csv"});
        QCOMPARE(csv.exitCode, 0);
        QVERIFY(csv.out.startsWith("id,alarm_id,at,operator,action,from_state,to_state,note,detail\n"));
        QVERIFY(csv.out.contains("\"pump, \"\"B\"\" side\nchecked\""));
        const auto j = jsonOf(alarms({"journal", "--json", "--alarm", id}));
        QCOMPARE(j["schema_version"].get<int>(), 1);
        QCOMPARE(j["journal"].front()["action"].get<std::string>(), std::string("raise"));
        QCOMPARE(j["journal"].back()["action"].get<std::string>(), std::string("note"));
        QCOMPARE(j["journal"].back()["operator"].get<std::string>(), std::string("shift-lead"));
        for (const char* key :
             {"id", "alarm_id", "at", "operator", "action", "from_state", "to_state", "note", "detail"})
            QVERIFY2(j["journal"].back().contains(key), key);
        Run text = alarms({"list"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(id.toUtf8()));
    }

    // The console's Apply records operating-threshold changes; `thresholds` lists them (also read-only).
    void listsThresholdChanges() {
        const auto empty = jsonOf(alarms({"thresholds", "--json"}));
        QCOMPARE(empty["schema_version"].get<int>(), 1);
        QVERIFY(empty["threshold_changes"].empty());
        const QString model = QString::fromStdString(runJson_["model_id"].get<std::string>());
        {
            auto store = Store::open(db_, nullptr);
            QVERIFY(store.ok());
            AlarmJournal journal(**store);
            for (const auto& [m, from, to] :
                 {std::tuple{model, 0.6, 0.65}, std::tuple{QString("other"), 0.5, 0.4},
                  std::tuple{model, 0.65, 0.625}}) {
                ThresholdChange c;
                c.modelId = m;
                c.atMs = 1'767'225'600'000;
                c.operatorName = QStringLiteral("shift-lead");
                c.fromThreshold = from;
                c.toThreshold = to;
                c.note = m == model ? QStringLiteral("fewer alarms") : QString();
                QVERIFY(journal.recordThresholdChange(c).ok());
            }
        }
        const auto all = jsonOf(alarms({"thresholds", "--json"}))["threshold_changes"];
        QCOMPARE(all.size(), std::size_t(3));
        const auto& first = all.front();
        QCOMPARE(first["model_id"].get<std::string>(), model.toStdString());
        QCOMPARE(first["at"].get<std::string>(), std::string("2026-01-01T00:00:00Z"));
        QCOMPARE(first["operator"].get<std::string>(), std::string("shift-lead"));
        QCOMPARE(first["from_threshold"].get<double>(), 0.6);
        QCOMPARE(first["to_threshold"].get<double>(), 0.65);
        QCOMPARE(first["note"].get<std::string>(), std::string("fewer alarms"));
        QVERIFY(first["id"].get<qint64>() < all.back()["id"].get<qint64>());
        const auto mine = jsonOf(alarms({"thresholds", "--json", "--model", model}))["threshold_changes"];
        QCOMPARE(mine.size(), std::size_t(2));
        QCOMPARE(mine.back()["to_threshold"].get<double>(), 0.625);
        Run text = itapCli({"alarms", "thresholds", "--db", QStringLiteral("file:%1?mode=ro").arg(db_)});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QCOMPARE(text.out.count('\n'), 3);
        QVERIFY2(text.out.contains("0.6500 -> 0.6250  \"fewer alarms\""), text.out.constData());
        QCOMPARE(alarms({"thresholds", "stray"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(AlarmsCliTest)
#include "alarms_cli_test.moc"
