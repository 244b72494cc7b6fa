// Crash safety: `itap ingest`, `itap score` and `itap train` killed with SIGKILL at seeded random points.
// After every kill the database opens, passes SQLite's integrity check and holds only whole ingest batches;
// every artifact and the model file is either the complete previous version or the complete new one, and no
// temporary file is left behind. A re-run after the last kill completes to exactly the full row count.
#include "app/cli_runner.h"
#include "common/json_util.h"
#include "model/anomaly_model.h"
#include "pipeline/ingest_job.h"
#include "storage/store.h"
#include "support/fault_env.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include <sys/stat.h>

using namespace itap;
using namespace itap::test;

namespace {

constexpr quint32 kSeed = 20260109;
constexpr int kKills = 8;
constexpr int kDevices = 50;
constexpr int kHours = 28;  // 50 devices x 28 h at 10 s = 504,000 rows
const qint64 kBatchRows = IngestOptions{}.batchRows;

// A running `itap` that the test kills.
class Child {
public:
    explicit Child(const QStringList& args) {
        process_.start(QStringLiteral(ITAP_CLI), args);
        if (!process_.waitForStarted(30000))
            qFatal("cannot start itap");
        clock_.start();
    }
    ~Child() {
        if (process_.state() != QProcess::NotRunning) {
            process_.kill();
            process_.waitForFinished(30000);
        }
    }
    [[nodiscard]] qint64 elapsedMs() const { return clock_.elapsed(); }
    /// Waits until `ms` after the start (or the end of the process), then sends SIGKILL. True when the kill
    /// interrupted a running process.
    bool killAt(qint64 ms) {
        while (clock_.elapsed() < ms && !process_.waitForFinished(1)) {
        }
        return killNow();
    }
    /// Polls `ready` every `pollMs` and sends SIGKILL once it holds (or when `timeoutMs` passed).
    bool killWhen(const std::function<bool()>& ready, int pollMs, qint64 timeoutMs) {
        while (clock_.elapsed() < timeoutMs && !process_.waitForFinished(pollMs))
            if (ready())
                break;
        return killNow();
    }
    bool killNow() {
        const bool wasRunning = process_.state() != QProcess::NotRunning;
        if (wasRunning)
            process_.kill();  // SIGKILL on Unix
        process_.waitForFinished(60000);
        return wasRunning && process_.exitStatus() == QProcess::CrashExit;
    }

private:
    QProcess process_;
    QElapsedTimer clock_;
};

// Per device: stored rows and the last timestamp (UTC ms).
using DeviceCounts = std::map<QString, std::pair<qint64, qint64>>;

qint64 parseTs(const QByteArray& text) {
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// What the first k batches of the file hold, per device, for every k.
struct BatchPrefixes {
    qint64 rows = 0;
    std::vector<DeviceCounts> afterBatch;  // [k] = the first k batches
};

BatchPrefixes batchPrefixes(const QString& csv) {
    QFile f(csv);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(csv));
    f.readLine();  // header: timestamp,device_id,...
    BatchPrefixes out;
    DeviceCounts counts;
    out.afterBatch.push_back(counts);
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        const int a = line.indexOf(',');
        const int b = line.indexOf(',', a + 1);
        auto& c = counts[QString::fromUtf8(line.mid(a + 1, b - a - 1))];
        ++c.first;
        c.second = parseTs(line.left(a));
        if (++out.rows % kBatchRows == 0)
            out.afterBatch.push_back(counts);
    }
    if (out.rows % kBatchRows != 0)
        out.afterBatch.push_back(counts);
    return out;
}

DeviceCounts storedPerDevice(const SqliteProbe& db) {
    DeviceCounts out;
    QSqlQuery q(db.database());
    if (!q.exec(QStringLiteral("SELECT device_id, COUNT(*), MAX(ts) FROM telemetry GROUP BY device_id")))
        qFatal("%s", qPrintable(q.lastError().text()));
    while (q.next()) out[q.value(0).toString()] = {q.value(1).toLongLong(), q.value(2).toLongLong()};
    return out;
}

// Rows a concurrent reader sees in `db` now; -1 while it cannot tell (no file or no schema yet).
qint64 visibleRows(const QString& db) {
    if (!QFileInfo::exists(db))
        return -1;
    SqliteProbe probe(db, /*readOnly=*/true);
    if (!probe.ok())
        return -1;
    const QStringList n = probe.column(QStringLiteral("SELECT COUNT(*) FROM telemetry"));
    return n.size() == 1 && !n.first().startsWith(QLatin1String("ERROR")) ? n.first().toLongLong() : -1;
}

// Identity of a file's current version: inode, size and modification time. An atomic replace changes the
// inode; a write in place changes the size or the time, so a kill right after it would catch a torn file.
QByteArray fileVersion(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return QByteArray::number(qint64(st.st_ino)) + ':' + QByteArray::number(qint64(st.st_size)) + ':' +
           QByteArray::number(qint64(st.st_mtim.tv_sec)) + '.' +
           QByteArray::number(qint64(st.st_mtim.tv_nsec));
}

bool copyTree(const QString& from, const QString& to) {
    QDir().mkpath(to);
    for (const QString& name : QDir(from).entryList(QDir::Files)) {
        QFile::remove(QDir(to).filePath(name));
        if (!QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name)))
            return false;
    }
    return true;
}

const QStringList kArtifacts = {QStringLiteral("metrics.json"), QStringLiteral("explanations_top.json"),
                                QStringLiteral("aggregate_summaries.json"), QStringLiteral("alerts.json")};

}  // namespace

class CrashSafetyTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        csv_ = dir_.filePath(QStringLiteral("fleet.csv"));
        Run gen = itapCli({"generate", "--devices", QString::number(kDevices), "--hours",
                           QString::number(kHours), "--interval-s", "10", "--seed", "9", "--out", csv_});
        QVERIFY2(gen.exitCode == 0, gen.err.constData());
        // Whole batches are file rows [k*batch, (k+1)*batch) only when the validator keeps every row.
        Run validate = itapCli({"validate", csv_, "--json"});
        QCOMPARE(validate.exitCode, 0);
        auto report = parseJson(validate.out, QStringLiteral("stdout"));
        QVERIFY(report.ok());
        QCOMPARE((*report)["rows_rejected"].get<qint64>(), qint64(0));
        prefixes_ = batchPrefixes(csv_);
        QCOMPARE((*report)["rows_accepted"].get<qint64>(), prefixes_.rows);
        QVERIFY(prefixes_.rows >= 500000);
    }

    // SIGKILL during a large ingest, 8 times at seeded points from "at once" to "near the end", each run
    // going on from what the previous one left.
    void killedIngestKeepsWholeBatches() {
        QElapsedTimer wall;
        wall.start();
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("fleet.db"));
        const qint64 total = prefixes_.rows;
        QRandomGenerator rng(kSeed);
        // Kill points: 0 ms, a few ms (opening/validating), then once a reader sees a seeded fraction of the
        // rows (plus a random delay), ending near the end.
        std::vector<double> fractions;
        for (int i = 0; i < kKills - 3; ++i) fractions.push_back(0.08 + 0.8 * rng.generateDouble());
        std::sort(fractions.begin(), fractions.end());
        fractions.push_back(0.95);

        qint64 before = 0;
        int landed = 0, midStoring = 0;
        for (int k = 0; k < kKills; ++k) {
            Child child({"ingest", csv_, "--db", db});
            bool killed = false;
            QString when;
            if (k == 0) {
                killed = child.killNow();
                when = QStringLiteral("at once");
            } else if (k == 1) {
                const qint64 ms = 1 + rng.bounded(40);
                killed = child.killAt(ms);
                when = QStringLiteral("at %1 ms").arg(ms);
            } else {
                const double f = fractions[std::size_t(k - 2)];
                const qint64 extraMs = k == kKills - 1 ? 0 : rng.bounded(150);
                qint64 seenAt = -1;
                killed = child.killWhen(
                    [&] {
                        if (seenAt < 0 && visibleRows(db) >= qint64(f * double(total)))
                            seenAt = child.elapsedMs();
                        return seenAt >= 0 && child.elapsedMs() >= seenAt + extraMs;
                    },
                    5, 240000);
                when = QStringLiteral("after %1 % of the rows + %2 ms (at %3 ms)")
                           .arg(100 * f, 0, 'f', 1)
                           .arg(extraMs)
                           .arg(child.elapsedMs());
            }
            landed += killed ? 1 : 0;

            // The database opens, is intact, holds whole batches and lost nothing.
            qint64 stored = 0;
            if (QFileInfo::exists(db)) {
                SqliteProbe probe(db);
                QVERIFY2(probe.ok(), qPrintable(probe.error()));
                QCOMPARE(probe.integrity(), QStringLiteral("ok"));
                const QStringList tables = probe.column(
                    QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
                if (tables.contains(QStringLiteral("schema_meta"))) {
                    auto store = Store::open(db, nullptr);
                    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
                    const DeviceCounts perDevice = storedPerDevice(probe);
                    for (const auto& [device, c] : perDevice) stored += c.first;
                    QCOMPARE(*(*store)->rowCount(), stored);
                    QVERIFY2(
                        stored % kBatchRows == 0 || stored == total,
                        qPrintable(QStringLiteral("%1 rows stored after the kill %2").arg(stored).arg(when)));
                    const auto batches = std::size_t((stored + kBatchRows - 1) / kBatchRows);
                    QVERIFY(batches < prefixes_.afterBatch.size());
                    // Per device exactly the rows of those batches: no device holds part of a later batch.
                    QVERIFY2(perDevice == prefixes_.afterBatch[batches],
                             qPrintable(QStringLiteral("kill %1: stored rows are not the first %2 batches")
                                            .arg(when)
                                            .arg(batches)));
                } else {
                    // Killed before the schema committed: the file holds no table at all.
                    QVERIFY2(tables.isEmpty(), qPrintable(tables.join(u',')));
                }
            }
            QVERIFY2(stored >= before,
                     qPrintable(QStringLiteral("rows lost: %1 -> %2").arg(before).arg(stored)));
            qInfo("kill %d %s: %s, %lld rows stored", k + 1, qPrintable(when),
                  killed ? "killed" : "had finished", stored);
            midStoring += stored > 0 && stored < total ? 1 : 0;
            before = stored;
        }
        QVERIFY2(landed >= kKills - 1,
                 qPrintable(QStringLiteral("only %1 kills hit a running ingest").arg(landed)));
        QVERIFY2(
            midStoring >= kKills / 2,
            qPrintable(QStringLiteral("only %1 kills landed while rows were being stored").arg(midStoring)));

        // A re-run completes to exactly the full row count: the stored rows are skipped, none twice.
        Run rerun = itapCli({"ingest", csv_, "--db", db, "--json"});
        QVERIFY2(rerun.exitCode == 0, rerun.err.constData());
        auto j = parseJson(rerun.out, QStringLiteral("stdout"));
        QVERIFY(j.ok());
        QCOMPARE((*j)["files"][0]["inserted"].get<qint64>(), total - before);
        QCOMPARE((*j)["files"][0]["skipped_duplicates"].get<qint64>(), before);
        SqliteProbe probe(db);
        QCOMPARE(probe.integrity(), QStringLiteral("ok"));
        QVERIFY(storedPerDevice(probe) == prefixes_.afterBatch.back());
        QCOMPARE(probe.column(QStringLiteral("SELECT COUNT(*) FROM telemetry")),
                 QStringList{QString::number(total)});
        // Killed runs record nothing; the completed one is recorded once.
        QCOMPARE(probe.column(QStringLiteral("SELECT status FROM ingest_runs")),
                 QStringList{QStringLiteral("ok")});
        qInfo("ingest kill test: %d kills, wall time %.1f s", kKills, double(wall.elapsed()) / 1000.0);
    }

    // Regression: a kill right after SQLite created the file but before the schema committed leaves a file
    // without tables; `itap ingest` then refused it ("the database is empty") instead of creating the schema.
    void ingestIntoADatabaseLeftEmptyByAKill_data() {
        QTest::addColumn<bool>("walHeader");
        QTest::newRow("empty file") << false;
        QTest::newRow("WAL header, no tables") << true;
    }
    void ingestIntoADatabaseLeftEmptyByAKill() {
        QFETCH(bool, walHeader);
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("fleet.db"));
        if (walHeader) {
            SqliteProbe probe(db);
            QVERIFY(probe.ok());
            QCOMPARE(probe.column(QStringLiteral("PRAGMA journal_mode = WAL")), QStringList{"wal"});
        } else {
            QFile f(db);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QVERIFY(QFileInfo::exists(db));
        const QString small = dir.filePath(QStringLiteral("small.csv"));
        QCOMPARE(itapCli({"generate", "--devices", "2", "--hours", "1", "--out", small}).exitCode, 0);
        Run r = itapCli({"ingest", small, "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(storedRows(db), qint64(720));
    }

    // SIGKILL during `itap score`: each artifact and the model file is the complete old or the complete new
    // version, the scores table is whole, and no temporary file is left in the output directory.
    void killedScoringLeavesOldOrNewArtifacts() {
        QTemporaryDir dir;
        const QString base = dir.filePath(QStringLiteral("base"));
        Run run = itapCli({"run", "--devices", "8", "--hours", "24", "--seed", "5", "--out", base});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // Afterwards nothing but the files that were there (and SQLite's own WAL files).
        const QStringList baseTree = withoutSqliteSidecars(treeOf(base));
        QStringList watched = kArtifacts;
        watched << QStringLiteral("model.itapm");
        QHash<QString, QByteArray> oldBytes, newBytes;
        for (const QString& name : watched) oldBytes[name] = fileBytes(QDir(base).filePath(name));

        // The new version: the same command run to completion on a copy.
        const QString ref = dir.filePath(QStringLiteral("ref"));
        QVERIFY(copyTree(base, ref));
        const QStringList scoreArgs = {"--threshold", "0.61", "--explain-top", "50"};
        QElapsedTimer clock;
        clock.start();
        Run full = itapCli(QStringList{"score", "--db", QDir(ref).filePath("fleet.db"), "--model",
                                       QDir(ref).filePath("model.itapm"), "--out", ref} +
                           scoreArgs);
        const qint64 fullMs = clock.elapsed();
        QVERIFY2(full.exitCode == 0, full.err.constData());
        for (const QString& name : watched) {
            newBytes[name] = fileBytes(QDir(ref).filePath(name));
            QVERIFY2(newBytes[name] != oldBytes[name], qPrintable(name + QStringLiteral(" did not change")));
        }
        const qint64 rows = visibleRows(QDir(base).filePath("fleet.db"));
        QVERIFY(rows > 0);

        QRandomGenerator rng(kSeed + 1);
        int sawMixed = 0;
        for (int k = 0; k < kKills; ++k) {
            const QString out = dir.filePath(QStringLiteral("kill%1").arg(k));
            QVERIFY(copyTree(base, out));
            Child child(QStringList{"score", "--db", QDir(out).filePath("fleet.db"), "--model",
                                    QDir(out).filePath("model.itapm"), "--out", out} +
                        scoreArgs);
            QString when;
            if (k < 2) {
                // As soon as the first artifact, then the last one, changes in any way: with atomic writes
                // the kill lands between two files; a write in place would be caught half-done.
                const QString trigger = QDir(out).filePath(k == 0 ? kArtifacts.first() : kArtifacts.last());
                const QByteArray oldVersion = fileVersion(trigger);
                child.killWhen([&] { return fileVersion(trigger) != oldVersion; }, 0, 240000);
                when = QStringLiteral("when %1 was replaced").arg(QFileInfo(trigger).fileName());
            } else {
                const qint64 ms = k == 2 ? 0 : rng.bounded(qint64(fullMs * 11 / 10) + 1);
                child.killAt(ms);
                when = QStringLiteral("at %1 ms of ~%2").arg(ms).arg(fullMs);
            }
            int changed = 0;
            for (const QString& name : watched) {
                const QByteArray now = fileBytes(QDir(out).filePath(name));
                QVERIFY2(
                    now == oldBytes[name] || now == newBytes[name],
                    qPrintable(QStringLiteral("kill %1: %2 is neither the old nor the new file (%3 bytes)")
                                   .arg(when, name)
                                   .arg(now.size())));
                changed += now == newBytes[name] ? 1 : 0;
                if (name.endsWith(QLatin1String(".json")))
                    QVERIFY(parseJson(now, name).ok());
            }
            QVERIFY(AnomalyModel::load(QDir(out).filePath("model.itapm")).ok());
            QCOMPARE(withoutSqliteSidecars(treeOf(out)), baseTree);
            SqliteProbe probe(QDir(out).filePath("fleet.db"));
            QCOMPARE(probe.integrity(), QStringLiteral("ok"));
            QCOMPARE(probe.column(QStringLiteral("SELECT COUNT(*) FROM scores")),
                     QStringList{QString::number(rows)});
            qInfo("score kill %d %s: %d of %lld files new", k + 1, qPrintable(when), changed,
                  qint64(watched.size()));
            sawMixed += changed > 0 && changed < watched.size() ? 1 : 0;
        }
        // The triggered kills make sure the interesting case (some files new, some old) was really tested.
        QVERIFY(sawMixed >= 1);
    }

    // SIGKILL during `itap train` over an existing model: the model file is the old or the new one, complete.
    void killedTrainingLeavesOldOrNewModel() {
        QTemporaryDir dir;
        const QString base = dir.filePath(QStringLiteral("base"));
        QCOMPARE(itapCli({"run", "--devices", "6", "--hours", "24", "--seed", "3", "--out", base}).exitCode,
                 0);
        const QString db = QDir(base).filePath(QStringLiteral("fleet.db"));
        const QString model = QDir(base).filePath(QStringLiteral("model.itapm"));
        const QByteArray oldModel = fileBytes(model);
        const QString refModel = dir.filePath(QStringLiteral("ref.itapm"));
        const QStringList trainArgs = {"--trees", "150", "--seed", "77"};
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(itapCli(QStringList{"train", "--db", db, "--model", refModel} + trainArgs).exitCode, 0);
        const qint64 fullMs = clock.elapsed();
        const QByteArray newModel = fileBytes(refModel);
        QVERIFY(!newModel.isEmpty() && newModel != oldModel);
        const QStringList tree = withoutSqliteSidecars(treeOf(base));

        QRandomGenerator rng(kSeed + 2);
        int sawNew = 0;
        for (int k = 0; k < kKills; ++k) {
            {
                QFile f(model);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(oldModel);
            }
            const QByteArray oldVersion = fileVersion(model);
            Child child(QStringList{"train", "--db", db, "--model", model} + trainArgs);
            const qint64 ms = rng.bounded(qint64(fullMs * 11 / 10) + 1);
            if (k == 0)
                child.killWhen([&] { return fileVersion(model) != oldVersion; }, 0, 240000);
            else
                child.killAt(ms);
            const QByteArray now = fileBytes(model);
            QVERIFY2(
                now == oldModel || now == newModel,
                qPrintable(QStringLiteral("train kill %1: the model is neither old nor new").arg(k + 1)));
            QVERIFY(AnomalyModel::load(model).ok());
            sawNew += now == newModel ? 1 : 0;
            QCOMPARE(withoutSqliteSidecars(treeOf(base)), tree);
        }
        QVERIFY(sawNew >= 1);
    }

private:
    QTemporaryDir dir_;
    QString csv_;
    BatchPrefixes prefixes_;
};

QTEST_GUILESS_MAIN(CrashSafetyTest)
#include "crash_safety_test.moc"
