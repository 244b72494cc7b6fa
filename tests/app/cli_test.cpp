#include "app/cli_runner.h"
#include "common/json_util.h"
#include "model/anomaly_model.h"
#include "storage/store.h"
#include "support/test_files.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace itap;
using namespace itap::test;

namespace {

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

qint64 storedRows(const QString& db) {
    auto store = Store::open(db, nullptr);
    if (!store)
        qFatal("%s", qPrintable(store.error().toString()));
    return *(*store)->rowCount();
}

const QByteArray kHeader =
    "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code,fault_tag\n";
const QByteArray kGoodRow = "2026-01-01T00:00:00Z,DEV-0001,RUN,230.1,18.2,61.7,1480,2.31,0,\n";

// Runs `itap args…` with `input` on its standard input; a run that takes longer than `timeoutMs` is killed
// and reported with exit code -2 (so that a hang fails the test instead of stalling it).
Run itapWithInput(const QStringList& args, const QByteArray& input, int timeoutMs = 60000) {
    QProcess p;
    p.start(QStringLiteral(ITAP_CLI), args);
    if (!p.waitForStarted())
        qFatal("cannot start itap");
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, p.readAllStandardOutput(), p.readAllStandardError()};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// Feeds a FIFO from a thread of its own, as a shell's `<(…)` or a pipe from another program would: `chunk`
// over and over until `limit` bytes went in or the reader closed its end. Joined by the destructor.
class FifoWriter {
public:
    FifoWriter(const QString& path, QByteArray chunk, qint64 limit)
        : thread_([this, path, chunk = std::move(chunk), limit] { run(path, chunk, limit); }) {}
    ~FifoWriter() { join(); }
    void join() {
        if (thread_.joinable())
            thread_.join();
    }
    /// Bytes the reader took (after join()).
    [[nodiscard]] qint64 written() const { return written_; }

private:
    void run(const QString& path, const QByteArray& chunk, qint64 limit) {
        // Non-blocking open fails with ENXIO until a reader has the FIFO open: retry for a while instead of
        // blocking forever on a reader that never comes.
        int fd = -1;
        QElapsedTimer clock;
        clock.start();
        while ((fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_NONBLOCK)) < 0) {
            if (clock.elapsed() > 60000)
                return;
            ::usleep(2000);
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        while (written_ < limit) {
            const qint64 n = std::min<qint64>(chunk.size(), limit - written_);
            const ssize_t w = ::write(fd, chunk.constData(), std::size_t(n));
            if (w <= 0)
                break;  // EPIPE: the reader is gone (SIGPIPE is ignored by this test)
            written_ += w;
        }
        ::close(fd);
    }

    qint64 written_ = 0;
    std::thread thread_;
};

QString makeFifo(const QTemporaryDir& dir, const QString& name) {
    const QString path = dir.filePath(name);
    if (::mkfifo(QFile::encodeName(path).constData(), 0600) != 0)
        qFatal("mkfifo failed");
    return path;
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        std::signal(SIGPIPE, SIG_IGN);  // a FifoWriter whose reader is gone gets EPIPE instead
    }

    void versionAndUsage() {
        Run v = itapCli({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("itap "));
        QVERIFY(v.out.contains("git "));
        Run bare = itapCli({});
        QCOMPARE(bare.exitCode, 2);
        QVERIFY2(bare.out.isEmpty(), bare.out.constData());  // a usage error goes to stderr
        QVERIFY2(bare.err.contains("Usage: itap <command>"), bare.err.constData());
        Run help = itapCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("Usage: itap <command>"));
        Run bogus = itapCli({"frobnicate"});
        QCOMPARE(bogus.exitCode, 2);
        QVERIFY(bogus.err.contains("unknown command"));
        for (const char* cmd :
             {"generate", "validate", "ingest", "import", "train", "score", "run", "export", "bench"}) {
            Run h = itapCli({QString::fromLatin1(cmd), "--help"});
            QCOMPARE(h.exitCode, 0);
            // The command as a user types it, not the executable's build path.
            QVERIFY2(h.out.startsWith("Usage: itap " + QByteArray(cmd) + " [options]"),
                     h.out.left(120).constData());
            QVERIFY2(!h.out.contains(ITAP_CLI), cmd);
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
        // --devices: the help and the check read the simulator's one limit (ids DEV-0001 ... DEV-9999).
        Run help = itapCli({"generate", "--help"});
        QVERIFY2(help.out.contains("Number of devices, 1 to 9999."), help.out.constData());
        Run many = itapCli({"generate", "--devices", "10000", "--out", dir.filePath("x.csv")});
        QCOMPARE(many.exitCode, 2);
        QVERIFY2(many.err.contains("--devices: expected an integer in [1, 9999]"), many.err.constData());
        // --interval-s likewise (the check allowed a day, the simulator an hour).
        QVERIFY2(help.out.contains("Sampling interval in seconds, 1 to 3600."), help.out.constData());
        Run slow = itapCli({"generate", "--interval-s", "7200", "--out", dir.filePath("x.csv")});
        QCOMPARE(slow.exitCode, 2);
        QVERIFY2(slow.err.contains("--interval-s: expected an integer in [1, 3600]"), slow.err.constData());
    }

    void generateIsDeterministic() {
        QTemporaryDir dir;
        const QStringList common{"generate",     "--devices", "3",      "--hours", "2",
                                 "--interval-s", "10",        "--seed", "7"};
        Run a = itapCli(common + QStringList{"--out", dir.filePath("a.csv"), "--json"});
        Run b = itapCli(common + QStringList{"--out", dir.filePath("b.csv")});
        Run c = itapCli(
            {"generate", "--devices", "3", "--hours", "2", "--seed", "8", "--out", dir.filePath("c.csv")});
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
        QCOMPARE((*j1)["files"].size(), std::size_t(1));
        const auto& f1 = (*j1)["files"][0];
        QCOMPARE(f1["inserted"].get<qint64>(), qint64(720));
        QCOMPARE(f1["skipped_duplicates"].get<qint64>(), qint64(0));
        QCOMPARE(f1["rejected"].get<qint64>(), qint64(0));
        Run second = itapCli({"ingest", csv, "--db", db, "--json"});
        QCOMPARE(second.exitCode, 0);
        auto j2 = parseJson(second.out, "stdout");
        QCOMPARE((*j2)["files"][0]["inserted"].get<qint64>(), qint64(0));
        QCOMPARE((*j2)["files"][0]["skipped_duplicates"].get<qint64>(), qint64(720));
        QCOMPARE(storedRows(db), qint64(720));
    }

    // ingest --json has one shape for one file and for several: an object with schema_version and files.
    void ingestJsonHasOneShape() {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.csv");
        QCOMPARE(itapCli({"generate", "--devices", "1", "--hours", "1", "--out", a}).exitCode, 0);
        const QString b = writeFile(dir, "b.csv", fileBytes(a).replace(",DEV-", ",PRE-"));
        for (const QStringList& files : {QStringList{a}, QStringList{a, b}}) {
            Run r =
                itapCli(QStringList{"ingest"} + files + QStringList{"--db", dir.filePath("f.db"), "--json"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            auto j = parseJson(r.out, "stdout");
            QVERIFY(j.ok());
            QVERIFY(j->is_object());
            QCOMPARE((*j)["schema_version"].get<int>(), 1);
            QCOMPARE((*j)["files"].size(), std::size_t(files.size()));
            for (std::size_t i = 0; i < (*j)["files"].size(); ++i)
                QVERIFY((*j)["files"][i].contains("inserted"));
        }
    }

    // Every bad-input case: exit code 2, one message naming file, line and column, and the database
    // unchanged.
    void badInputChangesNothing_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");  // expected "file:line[:column]" suffix after the file name
        QTest::newRow("wrong header") << QByteArray("time,device,state\n") + kGoodRow << ":1:1";
        QTest::newRow("too few columns") << kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,RUN,230\n"
                                         << ":3:";
        QTest::newRow("text in number")
            << kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,RUN,230.1,lots,61.7,1480,2.31,0,\n"
            << ":3:5";
        QTest::newRow("unknown state")
            << kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,SLEEP,230.1,18.2,61.7,1480,2.31,0,\n"
            << ":3:3";
        QTest::newRow("bad timestamp")
            << kHeader + kGoodRow + "2026-13-01T00:00:10Z,DEV-0001,RUN,230.1,18.2,61.7,1480,2.31,0,\n"
            << ":3:1";
        QTest::newRow("overlong line") << kHeader + kGoodRow + QByteArray(1100 * 1024, 'x') + "\n"
                                       << ":3";
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

    // A FIFO (bash's `<(cat x.csv)`) is read once: a checksum thread and the validator no longer share the
    // stream (a nonsense header error), and pass 2 no longer reopens a FIFO whose writer is gone (a hang).
    void ingestFromFifoReadsItOnce() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("f.csv");
        QCOMPARE(itapCli({"generate", "--devices", "3", "--hours", "2", "--out", csv}).exitCode, 0);
        const QByteArray bytes = fileBytes(csv);
        const QString fifo = makeFifo(dir, "in.fifo");
        const QString db = dir.filePath("f.db");
        FifoWriter writer(fifo, bytes, bytes.size());
        Run r = itapWithInput({"ingest", fifo, "--db", db}, {});
        writer.join();
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(writer.written(), qint64(bytes.size()));
        QCOMPARE(storedRows(db), qint64(3 * 720));
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t(1));
        QCOMPARE(runs->front().source, fifo);
        QVERIFY2(r.out.startsWith((fifo + ": inserted 2160").toLocal8Bit()), r.out.constData());
        QCOMPARE(runs->front().sha256.size(), 64);
    }

    // A stream of zero bytes has no first line: ingest gives up after the longest allowed line instead of
    // reading (and hashing) it to the end. The writer offers 1 GiB; itap must stop taking it after a few MiB.
    void ingestOfEndlessZerosFailsFast() {
        QTemporaryDir dir;
        const QString fifo = makeFifo(dir, "zeros.fifo");
        FifoWriter writer(fifo, QByteArray(1 << 20, '\0'), qint64(1) << 30);
        Run r = itapWithInput({"ingest", fifo, "--db", dir.filePath("z.db")}, {});
        writer.join();
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("longer than"), r.err.constData());
        QVERIFY2(r.err.contains(fifo.toLocal8Bit()), r.err.constData());
        QVERIFY2(writer.written() < (qint64(64) << 20), qPrintable(QString::number(writer.written())));
    }

    // `-` reads standard input, for ingest and validate; the run is recorded as "<stdin>".
    void dashReadsStandardInput() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("f.csv");
        QCOMPARE(itapCli({"generate", "--devices", "2", "--hours", "1", "--out", csv}).exitCode, 0);
        const QByteArray bytes = fileBytes(csv);
        const QString db = dir.filePath("f.db");
        Run r = itapWithInput({"ingest", "-", "--db", db}, bytes);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(storedRows(db), qint64(720));
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok() && runs->size() == 1);
        QCOMPARE(runs->front().source, QStringLiteral("<stdin>"));

        Run v =
            itapWithInput({"validate", "-"}, kHeader + kGoodRow + "2026-01-01T00:00:10Z,DEV-0001,RUN,230\n");
        QCOMPARE(v.exitCode, 2);
        QVERIFY2(v.out.contains("<stdin>:3:"), v.out.constData());
    }

    // Re-ingesting rows with the same device and timestamp but corrected values: reported as conflicts (not
    // duplicates) with file:line, column, stored and new value; the default keeps the stored values and
    // exits 3; --on-conflict replace stores the corrections; --on-conflict fail stores nothing.
    void reingestWithCorrectedValuesIsAConflict() {
        QTemporaryDir dir;
        const auto row = [](int s, const char* temp) {
            return QStringLiteral("2026-01-01T00:00:%1Z,DEV-0001,RUN,230.1,18.2,%2,1480,2.31,0,\n")
                .arg(s, 2, 10, QLatin1Char('0'))
                .arg(QLatin1String(temp))
                .toLatin1();
        };
        const QString original =
            writeFile(dir, "a.csv", kHeader + row(0, "61.7") + row(10, "61.7") + row(20, "61.7"));
        const QString corrected = writeFile(
            dir, "b.csv", kHeader + row(0, "61.7") + row(10, "62.5") + row(20, "61.7") + row(30, "61.7"));
        const QString db = dir.filePath("f.db");
        QCOMPARE(itapCli({"ingest", original, "--db", db}).exitCode, 0);
        const auto storedTemp = [&](qint64 second) {
            auto store = Store::open(db, nullptr);
            if (!store)
                qFatal("%s", qPrintable(store.error().toString()));
            const qint64 ts = 1767225600000 + second * 1000;
            auto s = (*store)->readDevice(QStringLiteral("DEV-0001"), ts, ts);
            const int ch = (*store)->catalog().indexOf(QStringLiteral("temp_c"));
            return s && s->size() == 1 ? s->channels[std::size_t(ch)][0] : -1.0;
        };

        // --on-conflict fail: exit 3 naming b.csv:3 and the column, nothing of the file stored.
        Run failed = itapCli({"ingest", corrected, "--db", db, "--on-conflict", "fail"});
        QCOMPARE(failed.exitCode, 3);
        QVERIFY2(failed.err.contains((corrected + ":3:6:").toLocal8Bit()), failed.err.constData());
        QVERIFY2(failed.err.contains("temp_c stored 61.7, new 62.5"), failed.err.constData());
        QCOMPARE(storedRows(db), qint64(3));

        // Default: the stored value is kept, the conflict reported apart from duplicates, exit 3.
        Run kept = itapCli({"ingest", corrected, "--db", db, "--json"});
        QCOMPARE(kept.exitCode, 3);
        QVERIFY2(kept.err.contains("1 rows conflict"), kept.err.constData());
        QVERIFY2(kept.err.contains((corrected + ":3").toLocal8Bit()), kept.err.constData());
        auto j = parseJson(kept.out, "stdout");
        QVERIFY(j.ok());
        const auto& f = (*j)["files"][0];
        QCOMPARE(f["inserted"].get<qint64>(), qint64(1));
        QCOMPARE(f["skipped_duplicates"].get<qint64>(), qint64(2));
        QCOMPARE(f["conflicts"].get<qint64>(), qint64(1));
        const auto& example = f["conflict_examples"][0];
        QCOMPARE(example["line"].get<qint64>(), qint64(3));
        QCOMPARE(example["column"].get<std::string>(), std::string("temp_c"));
        QCOMPARE(example["stored"].get<std::string>(), std::string("61.7"));
        QCOMPARE(example["new"].get<std::string>(), std::string("62.5"));
        QCOMPARE(storedTemp(10), 61.7);
        // Asked for explicitly, keeping is no failure.
        QCOMPARE(itapCli({"ingest", corrected, "--db", db, "--on-conflict", "keep"}).exitCode, 0);

        Run replaced = itapCli({"ingest", corrected, "--db", db, "--on-conflict", "replace"});
        QVERIFY2(replaced.exitCode == 0, replaced.err.constData());
        QCOMPARE(storedTemp(10), 62.5);
        QCOMPARE(storedRows(db), qint64(4));
        QCOMPARE(itapCli({"ingest", corrected, "--db", db, "--on-conflict", "maybe"}).exitCode, 2);
    }

    // Two `itap ingest` processes racing on a database file that does not exist yet: both succeed and every
    // row of both files is stored (one used to fail with "table schema_meta already exists").
    void concurrentIngestsIntoANewDatabase() {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.csv");
        QCOMPARE(itapCli({"generate", "--devices", "2", "--hours", "1", "--out", a}).exitCode, 0);
        const QString b = writeFile(dir, "b.csv", fileBytes(a).replace(",DEV-", ",PRE-"));
        for (int round = 0; round < 5; ++round) {
            const QString db = dir.filePath(QStringLiteral("race-%1.db").arg(round));
            QProcess first, second;
            first.start(QStringLiteral(ITAP_CLI), {"ingest", a, "--db", db});
            second.start(QStringLiteral(ITAP_CLI), {"ingest", b, "--db", db});
            QVERIFY(first.waitForFinished(120000) && second.waitForFinished(120000));
            QVERIFY2(first.exitCode() == 0, first.readAllStandardError().constData());
            QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());
            QCOMPARE(storedRows(db), qint64(2 * 720));
        }
    }

    // A file of which most rows are rejected (values out of range) no longer passes with exit 0: below
    // --min-stored-share (default 0.5) the command fails with exit 1 naming the share, and the files after
    // it are named as not processed (and are not).
    void mostlyRejectedFileFailsTheRun() {
        QTemporaryDir dir;
        QByteArray text = kHeader;
        for (int s = 0; s < 10; ++s)
            text += QStringLiteral("2026-01-01T00:00:%1Z,BAD-0001,RUN,230.1,18.2,%2,1480,2.31,0,\n")
                        .arg(s, 2, 10, QLatin1Char('0'))
                        .arg(s < 2 ? QStringLiteral("61.7") : QStringLiteral("999"))
                        .toLatin1();
        const QString bad = writeFile(dir, "bad.csv", text);
        const QString later = dir.filePath("later.csv");
        QCOMPARE(itapCli({"generate", "--devices", "1", "--hours", "1", "--out", later}).exitCode, 0);
        const QString db = dir.filePath("f.db");
        Run r = itapCli({"ingest", bad, later, "--db", db});
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromLocal8Bit(r.err);
        QVERIFY2(err.contains(
                     bad + ": only 2 of 10 rows were accepted (share 0.2, less than --min-stored-share 0.5)"),
                 qPrintable(err));
        QVERIFY2(err.contains("not processed: " + later), qPrintable(err));
        QCOMPARE(storedRows(db), qint64(2));  // later.csv untouched

        // A stated share the file meets: exit 0, and the next file is stored.
        Run ok = itapCli({"ingest", bad, later, "--db", db, "--min-stored-share", "0.2"});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QCOMPARE(storedRows(db), qint64(2 + 360));
        QCOMPARE(itapCli({"ingest", bad, "--db", db, "--min-stored-share", "1.5"}).exitCode, 2);
    }

    // A batch that stops at a missing file says which files were never processed.
    void stoppedBatchNamesTheFilesNotProcessed() {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.csv");
        QCOMPARE(itapCli({"generate", "--devices", "1", "--hours", "1", "--out", a}).exitCode, 0);
        const QString c = writeFile(dir, "c.csv", fileBytes(a).replace(",DEV-", ",PRE-"));
        const QString d = writeFile(dir, "d.csv", fileBytes(a).replace(",DEV-", ",SUB-"));
        Run r = itapCli({"ingest", a, dir.filePath("missing.csv"), c, d, "--db", dir.filePath("f.db")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("missing.csv"), r.err.constData());
        QVERIFY2(r.err.contains(("not processed: " + c + ", " + d).toLocal8Bit()), r.err.constData());
    }

    // Ctrl-C during an ingest: itap stops at a batch boundary, says so, records the run as cancelled and
    // exits with 130 (it used to die at once, with no message and no ingest_runs row). Whether the signal
    // lands while validating or while storing, the outcome is the same (ingest_job_test covers both).
    void interruptedIngestIsRecordedAsCancelled() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("big.csv");
        QCOMPARE(itapCli({"generate", "--devices", "60", "--hours", "24", "--out", csv}).exitCode, 0);
        const QString db = dir.filePath("f.db");
        QProcess p;
        p.start(QStringLiteral(ITAP_CLI), {"ingest", csv, "--db", db});
        QVERIFY(p.waitForStarted());
        // The database appears once itap handles the signal (and has opened the store): interrupt then.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(db), 30000);
        QTest::qWait(50);
        QCOMPARE(p.state(), QProcess::Running);  // the file is large enough to still be ingesting
        QCOMPARE(::kill(pid_t(p.processId()), SIGINT), 0);
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains("interrupted"), err.constData());
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t(1));
        QCOMPARE(runs->front().status, QStringLiteral("cancelled"));
        QVERIFY(*(*store)->rowCount() < qint64(60 * 24 * 360));
    }

    // Ctrl-C during `itap import`, `itap run` and `itap score`, as for ingest: each stops at a safe boundary,
    // says in one line what was kept and exits with 130 (they used to die at once, with no message); the
    // database stays usable and holds whole stages only. SIGINT is sent once the progress bar shows the
    // stage, as a user at a terminal would.
    void interruptedImportIsRecordedAsCancelled() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("big.csv");
        QCOMPARE(itapCli({"generate", "--devices", "40", "--hours", "24", "--out", csv}).exitCode, 0);
        const QString mapping = dir.filePath("big.mapping.json");
        QCOMPARE(itapCli({"import", "--guess", csv, "--out", mapping}).exitCode, 0);
        const QString db = dir.filePath("f.db");
        const InterruptedRun r =
            itapInterrupted({"import", csv, "--mapping", mapping, "--db", db}, "% import");
        QVERIFY2(r.sawMarker, r.err.constData());
        QCOMPARE(r.exitCode, 130);
        QVERIFY2(r.err.contains(("itap import: interrupted; " + csv).toLocal8Bit()), r.err.constData());
        QVERIFY2(r.err.contains("the run is recorded as cancelled"), r.err.constData());
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t(1));
        QCOMPARE(runs->front().status, QStringLiteral("cancelled"));
        QVERIFY(*(*store)->rowCount() < qint64(40 * 24 * 360));
    }

    void interruptedRunKeepsTheIngestedTelemetry() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out");
        const InterruptedRun r =
            itapInterrupted({"run", "--devices", "20", "--hours", "24", "--out", out}, "% train");
        QVERIFY2(r.sawMarker, r.err.constData());
        QCOMPARE(r.exitCode, 130);
        QVERIFY2(r.err.contains("itap run: interrupted; while training; the telemetry stays in"),
                 r.err.constData());
        QVERIFY(!QFile::exists(out + "/model.itapm"));
        const QString db = out + "/fleet.db";
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t(1));
        QCOMPARE(runs->front().status, QStringLiteral("ok"));
        QCOMPARE(*(*store)->rowCount(), qint64(20 * 24 * 360));
        QCOMPARE(itapCli({"alarms", "list", "--db", db}).exitCode, 0);
    }

    void interruptedScoreKeepsTheStoredScores() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out");
        QCOMPARE(itapCli({"run", "--devices", "20", "--hours", "24", "--out", out}).exitCode, 0);
        const QString db = out + "/fleet.db";
        const QString other = dir.filePath("other.itapm");
        QCOMPARE(itapCli({"train", "--db", db, "--model", other, "--seed", "7"}).exitCode, 0);
        auto before = AnomalyModel::load(out + "/model.itapm");
        auto next = AnomalyModel::load(other);
        QVERIFY(before.ok() && next.ok());
        QVERIFY(before->modelId() != next->modelId());
        const auto storedScores = [&] {
            auto store = Store::open(db, nullptr);
            if (!store)
                qFatal("%s", qPrintable(store.error().toString()));
            auto table = (*store)->readScores();
            if (!table)
                qFatal("%s", qPrintable(table.error().toString()));
            return std::move(table).value();
        };
        const ScoreTable old = storedScores();
        QCOMPARE(old.modelId, before->modelId());

        const QByteArray otherModel = fileBytes(other);
        const InterruptedRun r = itapInterrupted(
            {"score", "--db", db, "--model", other, "--out", dir.filePath("scored")}, "% score");
        QVERIFY2(r.sawMarker, r.err.constData());
        QCOMPARE(r.exitCode, 130);
        QVERIFY2(r.err.contains("itap score: interrupted; the stored scores are unchanged"),
                 r.err.constData());
        const ScoreTable kept = storedScores();
        QCOMPARE(kept.modelId, before->modelId());
        QCOMPARE(kept.score, old.score);
        QCOMPARE(itapCli({"alarms", "list", "--db", db}).exitCode, 0);
        // The model file keeps its threshold: score writes it only after storing the scores.
        QCOMPARE(fileBytes(other), otherModel);
        QVERIFY(!QFileInfo::exists(dir.filePath("scored")));
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
        for (const char* name :
             {"metrics.json", "explanations_top.json", "aggregate_summaries.json", "alerts.json",
              "validation_report.json", "model.itapm", "telemetry.csv", "fleet.db"})
            QVERIFY2(QFile::exists(out + "/" + name), name);
        auto j = parseJson(r.out, "stdout");
        QVERIFY(j.ok());
        QCOMPARE((*j)["rows"].get<qint64>(), qint64(4 * 12 * 360));

        // export rewrites the artifacts from the store without retraining, with the same bytes.
        const QString out2 = dir.filePath("out2");
        Run e =
            itapCli({"export", "--db", out + "/fleet.db", "--model", out + "/model.itapm", "--out", out2});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        for (const char* name :
             {"metrics.json", "alerts.json", "aggregate_summaries.json", "explanations_top.json"})
            QVERIFY2(fileBytes(out + "/" + name) == fileBytes(out2 + "/" + name), name);
    }

    // model_id is the model's content hash: two seeds on the same data give two ids. Every artifact, the
    // stored scores and --json name the model they came from; export with another model writes that model's
    // artifacts and leaves the stored scores and their id alone; a later score replaces both.
    void modelIdIdentifiesTheModel() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("f.csv"), db = dir.filePath("f.db");
        QCOMPARE(
            itapCli({"generate", "--devices", "3", "--hours", "2", "--seed", "5", "--out", csv}).exitCode, 0);
        QCOMPARE(itapCli({"ingest", csv, "--db", db}).exitCode, 0);
        auto idOf = [](const Run& r) {
            auto j = parseJson(r.out, "stdout");
            if (!j.ok() || !j->contains("model_id") || !(*j)["model_id"].is_string())
                return QString();
            return QString::fromStdString((*j)["model_id"].get<std::string>());
        };
        auto storedId = [&] {
            auto store = Store::open(db, nullptr);
            if (!store)
                qFatal("%s", qPrintable(store.error().toString()));
            return *(*store)->scoresModelId();
        };
        auto artifactIds = [](const QString& out) {
            QStringList ids;
            for (const char* name :
                 {"metrics.json", "explanations_top.json", "aggregate_summaries.json", "alerts.json"}) {
                auto j = parseJson(fileBytes(out + "/" + name), name);
                ids << (j.ok() && j->contains("model_id") && (*j)["model_id"].is_string()
                            ? QString::fromStdString((*j)["model_id"].get<std::string>())
                            : QStringLiteral("<none in %1>").arg(name));
            }
            return ids;
        };
        const QString a = dir.filePath("a.itapm"), b = dir.filePath("b.itapm");
        Run ta = itapCli({"train", "--db", db, "--model", a, "--seed", "42", "--json"});
        Run tb = itapCli({"train", "--db", db, "--model", b, "--seed", "7", "--json"});
        QVERIFY2(ta.exitCode == 0 && tb.exitCode == 0, ta.err + tb.err);
        const QString idA = idOf(ta), idB = idOf(tb);
        QCOMPARE(idA.size(), 32);
        QVERIFY2(idA != idB, qPrintable(idA));
        // The id is the SHA-256 of the file train wrote.
        QCOMPARE(QCryptographicHash::hash(fileBytes(a), QCryptographicHash::Sha256).toHex().left(32),
                 idA.toLatin1());

        const QString scoredA = dir.filePath("scored-a");
        Run s = itapCli({"score", "--db", db, "--model", a, "--out", scoredA, "--json"});
        QVERIFY2(s.exitCode == 0, s.err.constData());
        QCOMPARE(idOf(s), idA);
        QCOMPARE(artifactIds(scoredA), QStringList(4, idA));
        QCOMPARE(storedId(), idA);

        // export with B: B's artifacts, A's scores stay stored under A's id.
        const QString exportedB = dir.filePath("exported-b");
        Run e = itapCli({"export", "--db", db, "--model", b, "--out", exportedB, "--json"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        QCOMPARE(idOf(e), idB);
        QCOMPARE(artifactIds(exportedB), QStringList(4, idB));
        QCOMPARE(storedId(), idA);

        // score with B stores B's scores and writes the same artifacts as the export.
        const QString scoredB = dir.filePath("scored-b");
        Run sb = itapCli({"score", "--db", db, "--model", b, "--out", scoredB});
        QVERIFY2(sb.exitCode == 0, sb.err.constData());
        QCOMPARE(storedId(), idB);
        for (const char* name :
             {"metrics.json", "alerts.json", "aggregate_summaries.json", "explanations_top.json"})
            QVERIFY2(fileBytes(scoredB + "/" + name) == fileBytes(exportedB + "/" + name), name);

        // score recorded its threshold in a.itapm: the file changed, the model (and its id) did not.
        QVERIFY(QCryptographicHash::hash(fileBytes(a), QCryptographicHash::Sha256).toHex().left(32) !=
                idA.toLatin1());
        Run ea = itapCli({"export", "--db", db, "--model", a, "--out", dir.filePath("exported-a"), "--json"});
        QVERIFY2(ea.exitCode == 0, ea.err.constData());
        QCOMPARE(idOf(ea), idA);
    }

    // A rules file naming a family the database's catalog does not have is refused, naming the file and the
    // field (it was accepted, and the rule silently never matched).
    void rulesWithAnUnknownFamilyAreRefused() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("f.csv"), db = dir.filePath("f.db"), model = dir.filePath("m.itapm");
        QCOMPARE(itapCli({"generate", "--devices", "2", "--hours", "1", "--out", csv}).exitCode, 0);
        QCOMPARE(itapCli({"ingest", csv, "--db", db}).exitCode, 0);
        QCOMPARE(itapCli({"train", "--db", db, "--model", model}).exitCode, 0);
        const QString rules = writeFile(dir, "rules.json", R"({"schema_version": 2, "rules": [
            {"id": "leak", "cause": "Leak", "families": ["Temperature", "Presure"], "min_share": 0.5,
             "action": "Check the seals."}]})");
        const QString out = dir.filePath("out");
        Run r = itapCli({"score", "--db", db, "--model", model, "--rules", rules, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("rules.json") && r.err.contains("rules[0] (leak).families[1]") &&
                     r.err.contains("Presure"),
                 r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(!QFile::exists(out + "/alerts.json"));
    }

    // An ingest that creates the database and fails before storing a row removes the file again; a database
    // that existed before is never removed.
    void failedIngestLeavesNoEmptyDatabase() {
        QTemporaryDir dir;
        const QString bad = writeFile(
            dir, "bad.csv", kHeader + "2026-01-01T00:00:00Z,DEV-0001,RUN,x,18.2,61.7,1480,2.31,0,\n");
        const QString db = dir.filePath("new.db");
        Run r = itapCli({"ingest", bad, "--db", db});
        QCOMPARE(r.exitCode, 2);
        for (const char* suffix : {"", "-wal", "-shm"})
            QVERIFY2(!QFile::exists(db + suffix), qPrintable(db + suffix));
        Run missing = itapCli({"ingest", dir.filePath("absent.csv"), "--db", db});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(!QFile::exists(db));

        const QString good = writeFile(dir, "good.csv", kHeader + kGoodRow);
        QCOMPARE(itapCli({"ingest", good, "--db", db}).exitCode, 0);
        Run again = itapCli({"ingest", bad, "--db", db});
        QCOMPARE(again.exitCode, 2);
        QVERIFY(QFile::exists(db));
        QCOMPARE(storedRows(db), qint64(1));
    }

    // --detector is stored in the model, and every explanation names the detector that carried its row.
    void detectorChoiceReachesModelAndExplanations() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out");
        Run r = itapCli({"run", "--devices", "3", "--hours", "6", "--detector", "combined", "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto model = AnomalyModel::load(out + "/model.itapm");
        QVERIFY(model.ok());
        QCOMPARE(model->detector(), DetectorChoice::Combined);
        QVERIFY(model->pca().active());
        auto top = parseJson(fileBytes(out + "/explanations_top.json"), "explanations_top.json");
        QVERIFY(top.ok());
        const QStringList known = {"forest", "T2", "Q"};
        for (const auto& e : (*top)["events"])
            QVERIFY(known.contains(QString::fromStdString(e.at("detector").get<std::string>())));
        QCOMPARE(
            itapCli({"run", "--devices", "1", "--hours", "1", "--detector", "lof", "--out", out}).exitCode,
            2);
    }

    void corruptModelIsACleanError() {
        QTemporaryDir dir;
        const QString model = writeFile(dir, "m.itapm", QByteArray("ITAPMODL garbage"));
        const QString csv = dir.filePath("f.csv");
        QCOMPARE(itapCli({"generate", "--devices", "1", "--hours", "1", "--out", csv}).exitCode, 0);
        QCOMPARE(itapCli({"ingest", csv, "--db", dir.filePath("f.db")}).exitCode, 0);
        Run r =
            itapCli({"score", "--db", dir.filePath("f.db"), "--model", model, "--out", dir.filePath("o")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("m.itapm"));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "cli_test.moc"
