// Resource faults and hostile device ids through the itap executable, as an operator meets them: each fault
// gives exit code 1 or 2 with one message naming the file, keeps what was stored or written before, and never
// crashes or hangs. Faults that root would not feel (file modes) are made real with mounts, chattr or by
// running itap as `nobody` (tests/support/fault_env.h); without root those cases skip with the reason.
#include "app/cli_runner.h"
#include "common/json_util.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"
#include "support/fault_env.h"
#include "support/test_files.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace itap;
using namespace itap::test;

namespace {

const QStringList kArtifacts = {QStringLiteral("metrics.json"), QStringLiteral("explanations_top.json"),
                                QStringLiteral("aggregate_summaries.json"), QStringLiteral("alerts.json")};

QString errText(const Run& r) {
    return QString::fromLocal8Bit(r.err);
}

// `itap` run as the unprivileged user `nobody` (setpriv), so that file modes apply.
Run itapAsNobody(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral("setpriv"),
            QStringList{QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                        QStringLiteral("--clear-groups"), QStringLiteral(ITAP_CLI)} +
                args);
    if (!p.waitForFinished(300000))
        qFatal("setpriv itap %s did not finish", qPrintable(args.join(' ')));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// A field of the canonical CSV, quoted when it must be (RFC 4180).
QByteArray csvField(const QString& s) {
    QByteArray b = s.toUtf8();
    if (b.contains(',') || b.contains('"') || b.contains('\n') || b.contains('\r'))
        b = '"' + b.replace("\"", "\"\"") + '"';
    return b;
}

// Device ids an operator could not type but a plant export may contain (control characters are rejected:
// controlCharactersInDeviceIdsAreRejected).
QStringList hostileIds() {
    return {QStringLiteral("'; DROP TABLE telemetry; --"),
            QStringLiteral("Robert\"); DELETE FROM scores; --"),
            QStringLiteral("back\\slash\\\\n"),
            QStringLiteral("../../etc/x"),
            QStringLiteral("a/b"),
            QStringLiteral("C:\\x"),
            QStringLiteral("%s%n%x{}"),
            QStringLiteral(",comma,"),
            QStringLiteral("Pumpe-S\u00fcd \u2460 \U0001F600"),
            QString(4000, QLatin1Char('L')) + QStringLiteral("/long")};
}

// A mapping that imports the canonical CSV of `itap generate`.
QString canonicalMapping(const QTemporaryDir& dir) {
    return writeFile(dir, QStringLiteral("map.json"), R"({
  "schema_version": 1,
  "timestamp": {"column": "timestamp", "format": "iso8601"},
  "device": {"column": "device_id"},
  "channels": [
    {"column": "voltage_v", "name": "voltage_v", "unit": "V", "family": "Voltage", "min": 0, "max": 1000},
    {"column": "temp_c", "name": "temp_c", "unit": "C", "family": "Temperature", "min": -50, "max": 300}
  ],
  "state": {"column": "state", "map": {"RUN": "RUN", "IDLE": "IDLE", "MAINT": "MAINT"}},
  "error_code": {"column": "error_code"},
  "labels": {"fault_column": "fault_tag", "normal_values": [""]}
})");
}

std::optional<struct stat> statOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return st;
}

// Runs `itap args…` while draining the FIFO at `fifo` (opened for reading before itap starts, so a writer
// never blocks on it); returns the run and what came through the FIFO.
std::pair<Run, QByteArray> itapIntoFifo(const QStringList& args, const QString& fifo) {
    const int fd = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        qFatal("cannot open the FIFO %s", qPrintable(fifo));
    QByteArray received;
    const auto drain = [&] {
        char buf[65536];
        for (;;) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0)
                return;
            received.append(buf, n);
        }
    };
    QProcess p;
    p.start(QStringLiteral(ITAP_CLI), args);
    QElapsedTimer clock;
    clock.start();
    while (!p.waitForFinished(20)) {
        drain();
        if (clock.elapsed() > 300000)
            qFatal("itap %s did not finish", qPrintable(args.join(' ')));
    }
    drain();
    ::close(fd);
    return {Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()},
            received};
}

}  // namespace

class FaultCliTest : public QObject {
    Q_OBJECT

private slots:
    // A small scored fleet every case copies: fleet.db, model.itapm and a complete set of artifacts.
    void initTestCase() {
        QVERIFY(dir_.isValid());
        base_ = dir_.filePath(QStringLiteral("base"));
        Run r = itapCli({"run", "--devices", "4", "--hours", "12", "--seed", "4", "--out", base_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        rows_ = storedRows(QDir(base_).filePath("fleet.db"));
        QVERIFY(rows_ > 0);
    }

    // ---- outputs that are not plain files ------------------------------------------------------------

    // Every command output named as a FIFO: the FIFO stays a FIFO and its reader gets the output. Writing
    // through a temporary file and a rename replaced it with a regular file (and /dev/null with it).
    void outputToFifoIsNotReplaced_data() { outputRows(); }
    void outputToFifoIsNotReplaced() {
        QFETCH(QString, command);
        QFETCH(QByteArray, prefix);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(out).constData(), 0600), 0);
        const auto [r, received] = itapIntoFifo(outputCommand(dir, command, out), out);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto st = statOf(out);
        QVERIFY(st.has_value());
        QVERIFY2(S_ISFIFO(st->st_mode), "the FIFO was replaced");
        QVERIFY2(received.startsWith(prefix), received.left(80).constData());
        QVERIFY(received.size() > 64);
    }

    // An output file with a second hard link is written in place: both names show the new contents and
    // the link survives.
    void outputWithHardLinkKeepsTheLink_data() { outputRows(); }
    void outputWithHardLinkKeepsTheLink() {
        QFETCH(QString, command);
        QFETCH(QByteArray, prefix);
        QTemporaryDir dir;
        const QString out = writeFile(dir, QStringLiteral("out.txt"), "old contents\n");
        const QString link = dir.filePath(QStringLiteral("link.txt"));
        QCOMPARE(::link(QFile::encodeName(out).constData(), QFile::encodeName(link).constData()), 0);
        Run r = itapCli(outputCommand(dir, command, out));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto st = statOf(out);
        QVERIFY(st.has_value());
        QCOMPARE(qint64(st->st_nlink), qint64(2));
        QVERIFY2(fileBytes(out).startsWith(prefix), fileBytes(out).left(80).constData());
        QCOMPARE(fileBytes(link), fileBytes(out));
    }

    // Replacing an existing regular output keeps its mode and its owner (root can give it back).
    void outputKeepsOwnerAndMode() {
        if (!runningAsRoot())
            QSKIP("giving a file to another user needs root");
        QTemporaryDir dir;
        const QString csv = generated(dir);
        const QString out = writeFile(dir, QStringLiteral("report.json"), "{}\n");
        QCOMPARE(::chmod(QFile::encodeName(out).constData(), 0640), 0);
        QCOMPARE(::chown(QFile::encodeName(out).constData(), 65534, 65534), 0);
        Run r = itapCli({"validate", csv, "--report", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto st = statOf(out);
        QVERIFY(st.has_value());
        QVERIFY(fileBytes(out).size() > 64);
        QCOMPARE(int(st->st_mode & 07777), 0640);
        QCOMPARE(qint64(st->st_uid), qint64(65534));
        QCOMPARE(qint64(st->st_gid), qint64(65534));
    }

    // An output onto one of the command's inputs (the CSV, the database, the model, the rules, ...), under
    // any name: refused before anything is read or written, exit 2 with one line naming it, the input
    // unchanged. score, export and run wrote their
    // artifacts over an input named like one, train --model overwrote the database, run generated its CSV
    // over a database named telemetry.csv.
    void reportOntoInputIsRefused_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("victim");
        QTest::newRow("validate --report IN")
            << QStringList{"validate", "@csv", "--report", "@csv"} << "@csv";
        QTest::newRow("ingest --report IN")
            << QStringList{"ingest", "@csv", "--db", "@db", "--report", "@csv"} << "@csv";
        QTest::newRow("ingest --report DB")
            << QStringList{"ingest", "@csv", "--db", "@db", "--report", "@db"} << "@db";
        QTest::newRow("import --report IN")
            << QStringList{"import", "@csv", "--mapping", "@map", "--db", "@db", "--report", "@link"}
            << "@csv";
        QTest::newRow("import --report MAPPING")
            << QStringList{"import", "@csv", "--mapping", "@map", "--db", "@db", "--report", "@map"}
            << "@map";
        QTest::newRow("import --guess --out IN")
            << QStringList{"import", "--guess", "@csv", "--out", "@csv"} << "@csv";
        QTest::newRow("generate --out CATALOG")
            << QStringList{"generate", "--devices", "1", "--hours", "1", "--catalog", "@cat", "--out", "@cat"}
            << "@cat";
        QTest::newRow("ingest --report DB given as a file: URI")
            << QStringList{"ingest", "@csv", "--db", "@dburi", "--report", "@db"} << "@db";
        QTest::newRow("train --model DB") << QStringList{"train", "--db", "@db", "--model", "@db"} << "@db";
        QTest::newRow("score --out DB")
            << QStringList{"score", "--db", "@db", "--model", "@model", "--out", "@db"} << "@db";
        // An input whose name is one of the artifacts, in the --out directory.
        QTest::newRow("score --out onto MODEL (metrics.json)")
            << QStringList{"score", "--db", "@db", "--model", "@metrics", "--out", "@dir"} << "@metrics";
        QTest::newRow("export --out onto RULES (alerts.json)")
            << QStringList{"export",  "--db",    "@db",   "--model", "@model",
                           "--rules", "@alerts", "--out", "@dir"}
            << "@alerts";
        QTest::newRow("run --out onto DB (telemetry.csv)")
            << QStringList{"run", "--devices", "1", "--hours", "1", "--db", "@telemetry", "--out", "@dir"}
            << "@telemetry";
    }
    void reportOntoInputIsRefused() {
        QFETCH(QStringList, args);
        QFETCH(QString, victim);
        QTemporaryDir dir;
        const QString csv = generated(dir);
        const QString db = dir.filePath(QStringLiteral("fleet.db"));
        QVERIFY(QFile::copy(QDir(base_).filePath("fleet.db"), db));
        const QString map = canonicalMapping(dir);
        const QString cat =
            writeFile(dir, QStringLiteral("catalog.json"),
                      fileBytes(QStringLiteral(ITAP_SOURCE_DIR "/resources/sensor_catalog.json")));
        // Another spelling of the same file: a symbolic link.
        const QString link = dir.filePath(QStringLiteral("link.csv"));
        QVERIFY(QFile::link(csv, link));
        const QString model = dir.filePath(QStringLiteral("model.itapm"));
        QVERIFY(QFile::copy(QDir(base_).filePath("model.itapm"), model));
        const QString metrics = dir.filePath(QStringLiteral("metrics.json"));
        QVERIFY(QFile::copy(model, metrics));
        const QString alerts =
            writeFile(dir, QStringLiteral("alerts.json"),
                      fileBytes(QStringLiteral(ITAP_SOURCE_DIR "/resources/alert_rules.json")));
        const QString telemetry = dir.filePath(QStringLiteral("telemetry.csv"));
        QVERIFY(QFile::copy(db, telemetry));
        const QHash<QString, QString> names = {{"@csv", csv},
                                               {"@db", db},
                                               {"@dburi", QStringLiteral("file:") + db},
                                               {"@map", map},
                                               {"@cat", cat},
                                               {"@link", link},
                                               {"@model", model},
                                               {"@metrics", metrics},
                                               {"@alerts", alerts},
                                               {"@telemetry", telemetry},
                                               {"@dir", dir.path()}};
        for (QString& a : args) a = names.value(a, a);
        const QString target = names.value(victim);
        const QByteArray before = fileBytes(target);
        QVERIFY(!before.isEmpty());
        Run r = itapCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(errText(r).contains(QLatin1String("input file")), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(fileBytes(target), before);
    }

    // Device ids with ESC, NUL, TAB, DEL or a C1 control: ingest and import reject the row with file, line
    // and column, and the message shows the id escaped (\xNN) instead of sending it raw to the terminal.
    void controlCharactersInDeviceIdsAreRejected_data() {
        QTest::addColumn<QByteArray>("id");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("ESC") << QByteArray("DEV\x1b[2J\x1b[31m") << QByteArray("DEV\\x1b[2J\\x1b[31m");
        QTest::newRow("NUL") << QByteArray("DEV\0X", 5) << QByteArray("DEV\\x00X");
        QTest::newRow("TAB") << QByteArray("DEV\tX") << QByteArray("DEV\\x09X");
        QTest::newRow("DEL") << QByteArray("DEV\x7f") << QByteArray("DEV\\x7f");
        QTest::newRow("C1 CSI") << QByteArray(
                                       "DEV\xc2\x9b"
                                       "2J")
                                << QByteArray("DEV\\x9b2J");
    }
    void controlCharactersInDeviceIdsAreRejected() {
        QFETCH(QByteArray, id);
        QFETCH(QByteArray, escaped);
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("in.csv"));
        QCOMPARE(
            itapCli({"generate", "--devices", "2", "--hours", "1", "--seed", "8", "--out", csv}).exitCode, 0);
        QByteArray text = fileBytes(csv);
        // The first row of DEV-0002 is on line 3.
        const qsizetype at = text.indexOf(",DEV-0002,");
        QVERIFY(at > 0);
        text.replace(at + 1, 8, id);
        writeFile(dir, QStringLiteral("in.csv"), text);
        const QString mapping = canonicalMapping(dir);
        for (const bool viaImport : {false, true}) {
            const QString db =
                dir.filePath(viaImport ? QStringLiteral("import.db") : QStringLiteral("ingest.db"));
            Run r = viaImport ? itapCli({"import", csv, "--mapping", mapping, "--db", db})
                              : itapCli({"ingest", csv, "--db", db});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(errText(r).contains(csv + QStringLiteral(":3:2")), r.err.constData());
            QVERIFY2(r.err.contains(escaped), r.err.constData());
            QVERIFY2(r.err.contains("control character"), r.err.constData());
            for (const char c : r.err)
                QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || c == '\n', r.err.toHex().constData());
            QVERIFY(!r.err.contains("\xc2\x9b"));
        }
    }

    // ---- output directories -----------------------------------------------------------------------------

    // A missing artifacts directory is created (score and export alike), however deep.
    void missingOutputDirectoryIsCreated_data() { commandRows(); }
    void missingOutputDirectoryIsCreated() {
        QFETCH(QString, command);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("new/nested/out"));
        Run r = scoreInto(command, out);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString& name : kArtifacts)
            QVERIFY(parseJson(fileBytes(QDir(out).filePath(name)), name).ok());
    }

    // An output path that cannot be a directory (below a regular file): a clear error naming it.
    void outputBelowAFileIsAClearError_data() { commandRows(); }
    void outputBelowAFileIsAClearError() {
        QFETCH(QString, command);
        QTemporaryDir dir;
        writeFile(dir, QStringLiteral("plain.txt"), "not a directory");
        const QString out = dir.filePath(QStringLiteral("plain.txt/out"));
        Run r = scoreInto(command, out);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(errText(r).contains(QLatin1String("cannot create the artifacts directory")),
                 r.err.constData());
        QVERIFY2(errText(r).contains(out), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);  // one message
    }

    // A read-only output directory holding the previous artifacts: exit 1 naming the file, old files intact.
    void readOnlyOutputDirectoryKeepsOldArtifacts_data() { commandRows(); }
    void readOnlyOutputDirectoryKeepsOldArtifacts() {
        QFETCH(QString, command);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        QDir().mkpath(out);
        const QHash<QString, QByteArray> old = seedArtifacts(out);
        const ScopedReadOnlyDir readOnly(out);
        if (!readOnly.skipReason().isEmpty())
            QSKIP(qPrintable(readOnly.skipReason()));
        QVERIFY(readOnly.ok());
        Run r = scoreInto(command, out, {"--threshold", "0.55"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(errText(r).contains(QDir(out).filePath(kArtifacts.first())), r.err.constData());
        QVERIFY2(errText(r).contains(QLatin1String("cannot write")), r.err.constData());
        for (const QString& name : kArtifacts) QCOMPARE(fileBytes(QDir(out).filePath(name)), old[name]);
        QCOMPARE(treeOf(out), sorted(kArtifacts));
    }

    // A full output directory (a tmpfs filled to the last byte): exit 1 naming the file, the old artifacts
    // intact and no partial file; once there is room again the same command succeeds.
    void fullOutputDirectoryKeepsOldArtifacts_data() { commandRows(); }
    void fullOutputDirectoryKeepsOldArtifacts() {
        QFETCH(QString, command);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        QDir().mkpath(out);
        ScopedMount mount = ScopedMount::tinyTmpfs(out, 8 << 20);
        if (!mount.ok())
            QSKIP(qPrintable(mount.error()));
        const QHash<QString, QByteArray> old = seedArtifacts(out);
        const QString filler = QDir(out).filePath(QStringLiteral("filler.bin"));
        QVERIFY(fillUp(filler));
        Run r = scoreInto(command, out, {"--threshold", "0.55"});
        qInfo("%s", r.err.trimmed().constData());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(errText(r).contains(out), r.err.constData());
        QVERIFY2(
            errText(r).contains(QLatin1String("No space left")) || errText(r).contains(QLatin1String("full")),
            r.err.constData());
        for (const QString& name : kArtifacts) QCOMPARE(fileBytes(QDir(out).filePath(name)), old[name]);
        QCOMPARE(treeOf(out), sorted(kArtifacts + QStringList{QStringLiteral("filler.bin")}));

        QVERIFY(QFile::remove(filler));
        Run again = scoreInto(command, out, {"--threshold", "0.55"});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY(fileBytes(QDir(out).filePath(kArtifacts.first())) != old[kArtifacts.first()]);
    }

    // `itap train` writing its model into a read-only directory: a clear error, the old model intact.
    void trainIntoReadOnlyDirectoryKeepsOldModel() {
        if (!runningAsRoot())
            QSKIP("uses a read-only bind mount (root)");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("models"));
        QDir().mkpath(out);
        const QString model = QDir(out).filePath(QStringLiteral("model.itapm"));
        QVERIFY(QFile::copy(QDir(base_).filePath("model.itapm"), model));
        const QByteArray old = fileBytes(model);
        ScopedMount mount = ScopedMount::readOnly(out);
        if (!mount.ok())
            QSKIP(qPrintable(mount.error()));
        Run r =
            itapCli({"train", "--db", QDir(base_).filePath("fleet.db"), "--model", model, "--trees", "20"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(errText(r).contains(model), r.err.constData());
        QCOMPARE(fileBytes(model), old);
    }

    // ---- databases
    // ------------------------------------------------------------------------------------------

    // A read-only database: mode=ro URI (any user), a 0444 file for `nobody`, an immutable file (chattr +i)
    // and a read-only mount. Ingest fails with one clear message naming the database; score and export work
    // (score says on stderr that the scores were not stored, and leaves the model file alone); nothing
    // changes. On the read-only mount a plain path cannot be opened at all (SQLite needs to create the WAL
    // index beside it): the error points to the immutable URI, which then works.
    void readOnlyDatabase_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("file: URI mode=ro") << QStringLiteral("uri");
        QTest::newRow("file: URI mode=ro&immutable=1") << QStringLiteral("immutable-uri");
        QTest::newRow("0444 file, run as nobody") << QStringLiteral("nobody");
        QTest::newRow("chattr +i") << QStringLiteral("immutable");
        QTest::newRow("read-only bind mount") << QStringLiteral("mount");
    }
    void readOnlyDatabase() {
        QFETCH(QString, how);
        QTemporaryDir dir;
        const QString work = dir.filePath(QStringLiteral("db"));
        QDir().mkpath(work);
        const QString db = QDir(work).filePath(QStringLiteral("fleet.db"));
        QVERIFY(QFile::copy(QDir(base_).filePath("fleet.db"), db));
        const QString more = dir.filePath(QStringLiteral("more.csv"));
        QCOMPARE(
            itapCli({"generate", "--devices", "2", "--hours", "1", "--seed", "99", "--out", more}).exitCode,
            0);
        const QByteArray before = fileBytes(db);
        const QString immutableUri = QStringLiteral("file:%1?mode=ro&immutable=1").arg(db);
        QString spec = db;
        bool asNobody = false;
        std::optional<ScopedMount> mount;
        std::optional<ScopedImmutable> immutable;
        // A model the user running itap can read (the suite's own directory is 0700).
        const QString model = dir.filePath(QStringLiteral("model.itapm"));
        QVERIFY(QFile::copy(QDir(base_).filePath("model.itapm"), model));
        if (how == QLatin1String("uri")) {
            spec = QStringLiteral("file:") + db + QStringLiteral("?mode=ro");
        } else if (how == QLatin1String("immutable-uri")) {
            spec = immutableUri;
        } else if (how == QLatin1String("nobody")) {
            if (!runningAsRoot())
                QSKIP("needs root to switch to nobody (store_test covers a 0444 file as a user)");
            // nobody must reach the files: the temporary directory is 0700. The database's own directory is
            // writable, as a user's directory is, so SQLite can make its -wal/-shm files there (a directory
            // nobody may write is the mount case).
            QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::Permissions(0x7755)));
            QVERIFY(QFile::setPermissions(work, QFileDevice::Permissions(0x7777)));
            QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
            for (const QString& p : {more, model})
                QVERIFY(QFile::setPermissions(p, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
            asNobody = true;
        } else if (how == QLatin1String("immutable")) {
            if (!runningAsRoot())
                QSKIP("chattr +i needs root");
            immutable.emplace(db);
            if (!immutable->ok())
                QSKIP("chattr +i is not supported here");
        } else {
            mount.emplace(ScopedMount::readOnly(work));
            if (!mount->ok())
                QSKIP(qPrintable(mount->error()));
        }
        const QByteArray modelBefore = fileBytes(model);
        auto itap = [&](const QStringList& args) { return asNobody ? itapAsNobody(args) : itapCli(args); };
        const QStringList ingest = {"ingest", more, "--db", spec};
        Run r = itap(ingest);
        qInfo("%s: %s", qPrintable(how), r.err.trimmed().constData());
        QVERIFY2(r.exitCode == 1, r.err.constData());
        QVERIFY2(errText(r).contains(db), r.err.constData());
        QVERIFY2(errText(r).contains(QLatin1String("read-only")), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);

        const QString out = dir.filePath(QStringLiteral("out"));
        QDir().mkpath(out);
        if (asNobody)
            QVERIFY(QFile::setPermissions(out, QFileDevice::Permissions(0x7777)));
        if (mount) {
            // A plain path on a read-only mount: one clear error that names the URI to use instead.
            Run s = itap({"score", "--db", spec, "--model", model, "--out", out});
            QVERIFY2(s.exitCode == 1, s.err.constData());
            QVERIFY2(errText(s).contains(QLatin1String("immutable=1")), s.err.constData());
            QCOMPARE(treeOf(out), QStringList());
            spec = immutableUri;
        }
        // Scoring computes and writes the artifacts; it says the scores were not stored.
        Run s = itap({"score", "--db", spec, "--model", model, "--out", out, "--json"});
        QVERIFY2(s.exitCode == 0, s.err.constData());
        QVERIFY2(errText(s).contains(QLatin1String("scores were not stored")), s.err.constData());
        auto summary = parseJson(s.out, QStringLiteral("score --json"));
        QVERIFY2(summary, s.out.constData());
        QCOMPARE(summary->at("scores_stored").get<bool>(), false);
        QCOMPARE(treeOf(out), sorted(kArtifacts));
        const QByteArray scoredAlerts = fileBytes(QDir(out).filePath(QStringLiteral("alerts.json")));
        QCOMPARE(fileBytes(model), modelBefore);
        // export writes the same artifacts.
        const QString exported = dir.filePath(QStringLiteral("exported"));
        QDir().mkpath(exported);
        if (asNobody)
            QVERIFY(QFile::setPermissions(exported, QFileDevice::Permissions(0x7777)));
        Run e = itap({"export", "--db", spec, "--model", model, "--out", exported});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        QCOMPARE(fileBytes(QDir(exported).filePath(QStringLiteral("alerts.json"))), scoredAlerts);

        mount.reset();
        immutable.reset();
        QCOMPARE(fileBytes(db), before);
        QCOMPARE(storedRows(db), rows_);
    }

    // Another process holds the write lock: `itap score` fails with "database is locked" after the busy
    // timeout, not a hang; the stored rows and scores are untouched.
    void lockedDatabaseIsABoundedError() {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("fleet.db"));
        QVERIFY(QFile::copy(QDir(base_).filePath("fleet.db"), db));
        SqliteProbe holder(db);
        QVERIFY(holder.ok());
        QSqlQuery lock(holder.database());
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QElapsedTimer clock;
        clock.start();
        Run r = itapCli({"score", "--db", db, "--model", QDir(base_).filePath("model.itapm"), "--out",
                         dir.filePath(QStringLiteral("out"))});
        const qint64 waited = clock.elapsed();
        qInfo("locked after %lld ms: %s", waited, r.err.trimmed().constData());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(errText(r).contains(QLatin1String("database is locked")), r.err.constData());
        QVERIFY2(errText(r).contains(db), r.err.constData());
        QVERIFY2(waited >= SqliteStore::kBusyTimeoutMs - 500 && waited < 120000,
                 qPrintable(QString::number(waited)));
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        QCOMPARE(storedRows(db), rows_);
        QCOMPARE(holder.column(QStringLiteral("SELECT COUNT(*) FROM scores")),
                 QStringList{QString::number(rows_)});
    }

    // The database's file system fills up during an ingest: exit 1 saying so and naming the file; what was
    // stored before (a first file and whole batches of the second) is intact and readable.
    void fullDiskDuringIngestKeepsStoredRows() {
        QTemporaryDir dir;
        const QString work = dir.filePath(QStringLiteral("db"));
        QDir().mkpath(work);
        ScopedMount mount = ScopedMount::tinyTmpfs(work, 6 << 20);
        if (!mount.ok())
            QSKIP(qPrintable(mount.error()));
        const QString db = QDir(work).filePath(QStringLiteral("fleet.db"));
        const QString first = dir.filePath(QStringLiteral("first.csv"));
        const QString big = dir.filePath(QStringLiteral("big.csv"));
        QCOMPARE(
            itapCli({"generate", "--devices", "2", "--hours", "1", "--seed", "1", "--out", first}).exitCode,
            0);
        writeFile(dir, QStringLiteral("first.csv"), fileBytes(first).replace(",DEV-", ",PRE-"));
        QCOMPARE(
            itapCli({"generate", "--devices", "20", "--hours", "24", "--seed", "2", "--out", big}).exitCode,
            0);
        QCOMPARE(itapCli({"ingest", first, "--db", db}).exitCode, 0);
        const qint64 kept = storedRows(db);
        QCOMPARE(kept, qint64(720));
        Run r = itapCli({"ingest", big, "--db", db});
        qInfo("%s", r.err.trimmed().constData());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(errText(r).contains(QLatin1String("full")), r.err.constData());
        QVERIFY2(errText(r).contains(db), r.err.constData());
        SqliteProbe probe(db);
        QCOMPARE(probe.integrity(), QStringLiteral("ok"));
        const qint64 now = storedRows(db);
        qInfo("disk full: %lld rows kept (720 before)", now);
        QVERIFY2(now >= kept && (now - kept) % 20000 == 0, qPrintable(QString::number(now)));
        // The first file's rows are all there.
        QCOMPARE(probe.column(QStringLiteral("SELECT COUNT(*) FROM telemetry WHERE device_id LIKE 'PRE-%'")),
                 QStringList{QStringLiteral("720")});
    }

    // ---- hostile device ids
    // ---------------------------------------------------------------------------------

    // SQL metacharacters, quotes, backslashes, path separators and "..", control characters, format
    // specifiers and a 4,000-character id: ingest (CSV) and import (mapping) store them verbatim, score and
    // export report them verbatim, and nothing is written outside the output directories.
    void hostileDeviceIds() {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("in.csv"));
        const QStringList ids = hostileIds();
        QCOMPARE(itapCli({"generate", "--devices", QString::number(ids.size()), "--hours", "3", "--seed", "8",
                          "--fault-rate-scale", "4", "--out", csv})
                     .exitCode,
                 0);
        QByteArray text = fileBytes(csv);
        for (int i = 0; i < ids.size(); ++i) {
            const QByteArray plain =
                QStringLiteral(",DEV-%1,").arg(i + 1, 4, 10, QLatin1Char('0')).toLatin1();
            QVERIFY2(text.contains(plain), plain.constData());
            text.replace(plain, ',' + csvField(ids[i]) + ',');
        }
        writeFile(dir, QStringLiteral("in.csv"), text);
        const QString mapping = canonicalMapping(dir);
        const QSet<QString> expected(ids.begin(), ids.end());

        for (const bool viaImport : {false, true}) {
            const QString db =
                dir.filePath(viaImport ? QStringLiteral("import.db") : QStringLiteral("ingest.db"));
            Run in = viaImport ? itapCli({"import", csv, "--mapping", mapping, "--db", db})
                               : itapCli({"ingest", csv, "--db", db});
            QVERIFY2(in.exitCode == 0, in.err.constData());
            auto store = Store::open(db, nullptr);
            QVERIFY(store.ok());
            auto devices = (*store)->devices();
            QVERIFY(devices.ok());
            QCOMPARE(QSet<QString>(devices->begin(), devices->end()), expected);
            for (const QString& id : ids) QVERIFY(!(*store)->readDevice(id)->tsMs.empty());
            store = Error::failure(QStringLiteral("closed"));
            // Tables survive the SQL in the ids.
            SqliteProbe probe(db);
            QCOMPARE(probe.integrity(), QStringLiteral("ok"));

            const QString tag = viaImport ? QStringLiteral("imp") : QStringLiteral("csv");
            const QString model = dir.filePath(tag + QStringLiteral(".itapm"));
            Run t = itapCli({"train", "--db", db, "--model", model});
            QVERIFY2(t.exitCode == 0, t.err.constData());
            for (const QString& command : {QStringLiteral("score"), QStringLiteral("export")}) {
                const QString out = dir.filePath(tag + QLatin1Char('-') + command + QStringLiteral("/a/b"));
                Run s = itapCli({command, "--db", db, "--model", model, "--out", out, "--json"});
                QVERIFY2(s.exitCode == 0, s.err.constData());
                auto summary = parseJson(fileBytes(QDir(out).filePath("aggregate_summaries.json")), "agg");
                QVERIFY(summary.ok());
                QSet<QString> reported;
                for (const auto& d : (*summary)["devices"])
                    reported << QString::fromStdString(d["device"].get<std::string>());
                QCOMPARE(reported, expected);
                auto alerts = parseJson(fileBytes(QDir(out).filePath("alerts.json")), "alerts");
                QVERIFY(alerts.ok());
                for (const auto& a : (*alerts)["alerts"])
                    QVERIFY(expected.contains(QString::fromStdString(a["device"].get<std::string>())));
                QCOMPARE(treeOf(out), sorted(kArtifacts));
            }
        }
        // Nothing anywhere but what the commands were asked to write.
        const QStringList tree = withoutSqliteSidecars(treeOf(dir.path()));
        QStringList want = {"imp.itapm", "import.db", "in.csv", "ingest.db", "csv.itapm", "map.json"};
        for (const QString& tag : {QStringLiteral("csv"), QStringLiteral("imp")})
            for (const QString& command : {QStringLiteral("score"), QStringLiteral("export")}) {
                const QString root = tag + QLatin1Char('-') + command;
                want << root << root + "/a" << root + "/a/b";
                for (const QString& a : kArtifacts) want << root + "/a/b/" + a;
            }
        QCOMPARE(tree, sorted(want));
    }

private:
    static void outputRows() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QByteArray>("prefix");
        QTest::newRow("generate --out") << QStringLiteral("generate") << QByteArray("timestamp,");
        QTest::newRow("validate --report") << QStringLiteral("validate") << QByteArray("{");
        QTest::newRow("ingest --report") << QStringLiteral("ingest") << QByteArray("{");
        QTest::newRow("import --report") << QStringLiteral("import") << QByteArray("{");
        QTest::newRow("import --guess --out") << QStringLiteral("guess") << QByteArray("{");
        QTest::newRow("train --model") << QStringLiteral("train") << QByteArray("ITAP");
    }
    // A small canonical CSV in `dir`.
    static QString generated(const QTemporaryDir& dir) {
        const QString csv = dir.filePath(QStringLiteral("in.csv"));
        if (itapCli({"generate", "--devices", "2", "--hours", "2", "--seed", "5", "--out", csv}).exitCode !=
            0)
            qFatal("itap generate failed");
        return csv;
    }
    // `command` writing its output to `out`, with its inputs made in `dir`.
    QStringList outputCommand(const QTemporaryDir& dir, const QString& command, const QString& out) {
        if (command == QLatin1String("generate"))
            return {"generate", "--devices", "1", "--hours", "1", "--seed", "3", "--out", out};
        if (command == QLatin1String("train")) {
            const QString db = dir.filePath(QStringLiteral("train.db"));
            if (!QFile::copy(QDir(base_).filePath("fleet.db"), db))
                qFatal("cannot copy the base fleet");
            return {"train", "--db", db, "--model", out, "--trees", "10"};
        }
        const QString csv = generated(dir);
        if (command == QLatin1String("validate"))
            return {"validate", csv, "--report", out};
        if (command == QLatin1String("ingest"))
            return {"ingest", csv, "--db", dir.filePath(QStringLiteral("new.db")), "--report", out};
        if (command == QLatin1String("import"))
            return {"import",    csv,
                    "--mapping", canonicalMapping(dir),
                    "--db",      dir.filePath(QStringLiteral("new.db")),
                    "--report",  out};
        return {"import", "--guess", csv, "--out", out};
    }
    static QStringList sorted(QStringList l) {
        l.sort();
        return l;
    }
    static void commandRows() {
        QTest::addColumn<QString>("command");
        QTest::newRow("score") << QStringLiteral("score");
        QTest::newRow("export") << QStringLiteral("export");
    }
    // `itap score|export` of the base fleet (on a copy of its database and model) into `out`.
    Run scoreInto(const QString& command, const QString& out, const QStringList& extra = {}) {
        QTemporaryDir work;
        const QString db = work.filePath(QStringLiteral("fleet.db"));
        const QString model = work.filePath(QStringLiteral("model.itapm"));
        if (!QFile::copy(QDir(base_).filePath("fleet.db"), db) ||
            !QFile::copy(QDir(base_).filePath("model.itapm"), model))
            qFatal("cannot copy the base fleet");
        return itapCli(QStringList{command, "--db", db, "--model", model, "--out", out} + extra);
    }
    // Copies the base run's artifacts into `out` and returns their bytes.
    QHash<QString, QByteArray> seedArtifacts(const QString& out) {
        QHash<QString, QByteArray> bytes;
        for (const QString& name : kArtifacts) {
            const QString to = QDir(out).filePath(name);
            if (!QFile::copy(QDir(base_).filePath(name), to))
                qFatal("cannot copy %s", qPrintable(name));
            bytes[name] = fileBytes(to);
        }
        return bytes;
    }

    QTemporaryDir dir_;
    QString base_;
    qint64 rows_ = 0;
};

QTEST_GUILESS_MAIN(FaultCliTest)
#include "fault_cli_test.moc"
