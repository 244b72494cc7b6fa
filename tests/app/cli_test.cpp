#include "app/cli_runner.h"
#include "common/json_util.h"
#include "storage/store.h"
#include "support/test_files.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;
using namespace itap::test;

namespace {

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

qint64 storedRows(const QString& db) {
    auto store = Store::open(db, nullptr);
    if (!store) qFatal("%s", qPrintable(store.error().toString()));
    return *(*store)->rowCount();
}

const QByteArray kHeader =
    "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code,fault_tag\n";
const QByteArray kGoodRow = "2026-01-01T00:00:00Z,DEV-0001,RUN,230.1,18.2,61.7,1480,2.31,0,\n";

}  // namespace

class CliTest : public QObject {
    Q_OBJECT
private slots:
    void versionAndUsage() {
        Run v = itapCli({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("itap "));
        QVERIFY(v.out.contains("git "));
        QCOMPARE(itapCli({}).exitCode, 2);
        Run bogus = itapCli({"frobnicate"});
        QCOMPARE(bogus.exitCode, 2);
        QVERIFY(bogus.err.contains("unknown command"));
        for (const char* cmd : {"generate", "validate", "ingest", "train", "score", "run", "export"}) {
            Run h = itapCli({QString::fromLatin1(cmd), "--help"});
            QCOMPARE(h.exitCode, 0);
            QVERIFY2(h.out.contains("Usage:"), cmd);
        }
    }

    void badUsageIsExitCode2() {
        QTemporaryDir dir;
        Run r = itapCli({"generate", "--devices", "abc", "--out", dir.filePath("x.csv")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--devices"));
        QCOMPARE(itapCli({"generate"}).exitCode, 2);                       // --out missing
        QCOMPARE(itapCli({"ingest", dir.filePath("x.csv")}).exitCode, 2);  // --db missing
        QCOMPARE(itapCli({"generate", "--no-such-flag"}).exitCode, 2);
    }

    void generateIsDeterministic() {
        QTemporaryDir dir;
        const QStringList common{"generate", "--devices", "3", "--hours", "2", "--interval-s", "10", "--seed", "7"};
        Run a = itapCli(common + QStringList{"--out", dir.filePath("a.csv"), "--json"});
        Run b = itapCli(common + QStringList{"--out", dir.filePath("b.csv")});
        Run c = itapCli({"generate", "--devices", "3", "--hours", "2", "--seed", "8", "--out", dir.filePath("c.csv")});
        QCOMPARE(a.exitCode, 0);
        QCOMPARE(b.exitCode, 0);
        QCOMPARE(c.exitCode, 0);
        QCOMPARE(fileBytes(dir.filePath("a.csv")), fileBytes(dir.filePath("b.csv")));
        QVERIFY(fileBytes(dir.filePath("a.csv")) != fileBytes(dir.filePath("c.csv")));
        auto j = parseJson(a.out, "stdout");
        QVERIFY(j.ok());
        QCOMPARE((*j)["rows"].get<qint64>(), qint64(3 * 720));
        QVERIFY(fileBytes(dir.filePath("a.csv")).startsWith(kHeader));
    }

    void ingestIsIdempotent() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("f.csv");
        QCOMPARE(itapCli({"generate", "--devices", "2", "--hours", "1", "--out", csv}).exitCode, 0);
        const QString db = dir.filePath("f.db");
        Run first = itapCli({"ingest", csv, "--db", db, "--json"});
        QCOMPARE(first.exitCode, 0);
        auto j1 = parseJson(first.out, "stdout");
        QVERIFY(j1.ok());
        QCOMPARE((*j1)["inserted"].get<qint64>(), qint64(720));
        QCOMPARE((*j1)["skipped_duplicates"].get<qint64>(), qint64(0));
        QCOMPARE((*j1)["rejected"].get<qint64>(), qint64(0));
        Run second = itapCli({"ingest", csv, "--db", db, "--json"});
        QCOMPARE(second.exitCode, 0);
        auto j2 = parseJson(second.out, "stdout");
        QCOMPARE((*j2)["inserted"].get<qint64>(), qint64(0));
        QCOMPARE((*j2)["skipped_duplicates"].get<qint64>(), qint64(720));
        QCOMPARE(storedRows(db), qint64(720));
    }

    // Every bad-input case: exit code 2, one message naming file, line and column, and the database unchanged.
    void badInputChangesNothing_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");  // expected "file:line[:column]" suffix after the file name
        QTest::newRow("wrong header") << QByteArray("time,device,state\n") + kGoodRow << ":1:1";
        QTest::newRow("too few columns") << kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,RUN,230\n" << ":3:";
        QTest::newRow("text in number")
            << kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,RUN,230.1,lots,61.7,1480,2.31,0,\n" << ":3:5";
        QTest::newRow("unknown state")
            << kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,SLEEP,230.1,18.2,61.7,1480,2.31,0,\n" << ":3:3";
        QTest::newRow("bad timestamp")
            << kHeader + kGoodRow + "2026-13-01T00:00:10Z,DEV-0001,RUN,230.1,18.2,61.7,1480,2.31,0,\n" << ":3:1";
        QTest::newRow("overlong line") << kHeader + kGoodRow + QByteArray(1100 * 1024, 'x') + "\n" << ":3";
        QTest::newRow("empty file") << QByteArray() << ":1";
    }
    void badInputChangesNothing() {
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        QTemporaryDir dir;
        const QString good = dir.filePath("good.csv");
        QCOMPARE(itapCli({"generate", "--devices", "2", "--hours", "1", "--out", good}).exitCode, 0);
        const QString db = dir.filePath("f.db");
        QCOMPARE(itapCli({"ingest", good, "--db", db}).exitCode, 0);

        const QString bad = writeFile(dir, "bad.csv", content);
        Run r = itapCli({"ingest", bad, "--db", db});
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromLocal8Bit(r.err);
        QVERIFY2(err.contains(bad + where), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);  // one message
        QCOMPARE(storedRows(db), qint64(720));
    }

    void missingFileIsExitCode2() {
        QTemporaryDir dir;
        Run r = itapCli({"ingest", dir.filePath("absent.csv"), "--db", dir.filePath("x.db")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("absent.csv"));
        Run v = itapCli({"validate", dir.filePath("absent.csv")});
        QCOMPARE(v.exitCode, 2);
    }

    void validateWritesTheReport() {
        QTemporaryDir dir;
        const QString bad = writeFile(dir, "v.csv",
                                  kHeader + kGoodRow + kGoodRow +
                                      "2026-01-01T00:00:20Z,DEV-0001,RUN,230.1,18.2,999,1480,2.31,0,\n");
        const QString report = dir.filePath("validation_report.json");
        Run r = itapCli({"validate", bad, "--report", report});
        QCOMPARE(r.exitCode, 2);  // rows would be rejected
        auto j = parseJson(fileBytes(report), report);
        QVERIFY(j.ok());
        QCOMPARE((*j)["schema_version"].get<int>(), 1);
        QCOMPARE((*j)["checks"]["duplicate"]["count"].get<int>(), 1);
        QCOMPARE((*j)["checks"]["range"]["count"].get<int>(), 1);
        QVERIFY(r.out.contains("range"));
    }

    void runWritesEveryArtifact() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out");
        Run r = itapCli({"run", "--devices", "4", "--hours", "12", "--out", out, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const char* name : {"metrics.json", "explanations_top.json", "aggregate_summaries.json", "alerts.json",
                                 "validation_report.json", "model.itapm", "telemetry.csv", "fleet.db"})
            QVERIFY2(QFile::exists(out + "/" + name), name);
        auto j = parseJson(r.out, "stdout");
        QVERIFY(j.ok());
        QCOMPARE((*j)["rows"].get<qint64>(), qint64(4 * 12 * 360));

        // export rewrites the artifacts from the store without retraining, with the same bytes.
        const QString out2 = dir.filePath("out2");
        Run e = itapCli({"export", "--db", out + "/fleet.db", "--model", out + "/model.itapm", "--out", out2});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        for (const char* name : {"metrics.json", "alerts.json", "aggregate_summaries.json", "explanations_top.json"})
            QVERIFY2(fileBytes(out + "/" + name) == fileBytes(out2 + "/" + name), name);
    }

    void corruptModelIsACleanError() {
        QTemporaryDir dir;
        const QString model = writeFile(dir, "m.itapm", QByteArray("ITAPMODL garbage"));
        const QString csv = dir.filePath("f.csv");
        QCOMPARE(itapCli({"generate", "--devices", "1", "--hours", "1", "--out", csv}).exitCode, 0);
        QCOMPARE(itapCli({"ingest", csv, "--db", dir.filePath("f.db")}).exitCode, 0);
        Run r = itapCli({"score", "--db", dir.filePath("f.db"), "--model", model, "--out", dir.filePath("o")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("m.itapm"));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "cli_test.moc"
