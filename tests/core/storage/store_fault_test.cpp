// SQLite under resource faults, through the real ingest path: a database that reaches its size limit, one
// whose file is immutable, and one that another connection holds locked. Each must give a clear error naming
// the database, keep every row stored before, and never hang.
#include "pipeline/ingest_job.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"
#include "support/fault_env.h"
#include "support/test_files.h"
#include "telemetry/fleet_simulator.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace itap;
using namespace itap::test;

namespace {

const QByteArray kHeader =
    "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code,fault_tag\n";

// `rows` valid canonical rows, time-interleaved over `devices` devices.
QByteArray csvRows(int devices, int rows, int fromSecond = 0) {
    QByteArray out = kHeader;
    for (int i = 0; i < rows; ++i) {
        const int s = fromSecond + i / devices;
        out += QStringLiteral("2026-01-0%1T%2:%3:%4Z,DEV-%5,RUN,%6,18.2,61.7,1480,2.31,0,\n")
                   .arg(1 + s / 86400)
                   .arg(s / 3600 % 24, 2, 10, QLatin1Char('0'))
                   .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                   .arg(s % 60, 2, 10, QLatin1Char('0'))
                   .arg(i % devices, 3, 10, QLatin1Char('0'))
                   .arg(220.0 + (i % 97) * 0.1, 0, 'f', 1)
                   .toLatin1();
    }
    return out;
}

// The QSQLITE connections the Store opened on this thread (QtSql names them "itap-sqlite-<n>").
QStringList storeConnections() {
    QStringList out;
    for (const QString& name : QSqlDatabase::connectionNames())
        if (name.startsWith(QLatin1String("itap-sqlite-")))
            out << name;
    return out;
}

}  // namespace

class StoreFaultTest : public QObject {
    Q_OBJECT

private slots:
    // The database reaches its size limit (PRAGMA max_page_count, set on the Store's own connection): the
    // batch that does not fit fails with "database or disk is full" naming the file; earlier batches stay.
    void sizeLimitKeepsEarlierBatches() {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("small.db"));
        const SensorCatalog catalog = SensorCatalog::defaults();
        auto store = Store::open(db, &catalog);
        QVERIFY(store.ok());
        const QStringList connections = storeConnections();
        QCOMPARE(connections.size(), 1);
        {
            QSqlQuery q(QSqlDatabase::database(connections.first(), false));
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
            const int pages = q.value(0).toInt();
            // Room for a few 1,000-row batches (16 KiB pages) but not for the whole file.
            QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages + 12)));
        }
        const QString csv = writeFile(dir, QStringLiteral("big.csv"), csvRows(20, 40000));
        IngestOptions options;
        options.batchRows = 1000;
        auto result = ingestFile(csv, **store, options, {});
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Failure);
        QVERIFY2(result.error().message.contains(QLatin1String("full")),
                 qPrintable(result.error().toString()));
        QCOMPARE(result.error().file, QFileInfo(db).absoluteFilePath());
        auto kept = (*store)->rowCount();
        QVERIFY(kept.ok());
        QVERIFY2(*kept > 0 && *kept < 40000, qPrintable(QString::number(*kept)));
        QCOMPARE(*kept % options.batchRows, qint64(0));  // whole batches only
        store = Error::failure(QStringLiteral("closed"));

        // Reopened without the limit: intact, the same rows, and a re-run completes.
        SqliteProbe probe(db);
        QCOMPARE(probe.integrity(), QStringLiteral("ok"));
        QCOMPARE(storedRows(db), *kept);
        auto reopened = Store::open(db, nullptr);
        QVERIFY(reopened.ok());
        auto rerun = ingestFile(csv, **reopened, options, {});
        QVERIFY2(rerun.ok(), qPrintable(rerun.ok() ? QString() : rerun.error().toString()));
        QCOMPARE(rerun->run.skippedDuplicates, *kept);
        QCOMPARE(*(*reopened)->rowCount(), qint64(40000));
    }

    // Another connection holds the write lock (BEGIN IMMEDIATE): the ingest waits the busy timeout, then
    // fails with "database is locked" naming the file; readers still work and the stored rows are intact.
    void lockedDatabaseFailsAfterTheBusyTimeout() {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("locked.db"));
        const SensorCatalog catalog = SensorCatalog::defaults();
        {
            auto store = Store::open(db, &catalog);
            QVERIFY(store.ok());
            QVERIFY(
                ingestFile(writeFile(dir, QStringLiteral("a.csv"), csvRows(2, 200)), **store, {}, {}).ok());
        }
        SqliteProbe holder(db);
        QVERIFY(holder.ok());
        QSqlQuery lock(holder.database());
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));

        auto store = Store::open(db, nullptr);  // opening only reads
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        QElapsedTimer clock;
        clock.start();
        auto result =
            ingestFile(writeFile(dir, QStringLiteral("b.csv"), csvRows(2, 200, 1000)), **store, {}, {});
        const qint64 waited = clock.elapsed();
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QLatin1String("database is locked")),
                 qPrintable(result.error().toString()));
        QCOMPARE(result.error().file, QFileInfo(db).absoluteFilePath());
        // Bounded: the busy timeout for the batch and the same again for recording the failed run.
        QVERIFY2(
            waited >= SqliteStore::kBusyTimeoutMs - 500 && waited < 3 * SqliteStore::kBusyTimeoutMs + 10000,
            qPrintable(QString::number(waited)));
        QCOMPARE(*(*store)->rowCount(), qint64(200));  // readers are not blocked by the writer
        QVERIFY((*store)->devices().ok());

        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        auto retry = ingestFile(dir.filePath(QStringLiteral("b.csv")), **store, {}, {});
        QVERIFY2(retry.ok(), qPrintable(retry.ok() ? QString() : retry.error().toString()));
        QCOMPARE(*(*store)->rowCount(), qint64(400));
    }

    // An immutable database file (chattr +i: EPERM on write even for root, unlike chmod): reads work, an
    // ingest fails with a clear error naming the file, nothing changes.
    void immutableDatabaseFile() {
        if (!runningAsRoot())
            QSKIP("chattr +i needs root (the read-only file case without root is store_test's readOnlyFile)");
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("immutable.db"));
        const SensorCatalog catalog = SensorCatalog::defaults();
        {
            auto store = Store::open(db, &catalog);
            QVERIFY(store.ok());
            QVERIFY(
                ingestFile(writeFile(dir, QStringLiteral("a.csv"), csvRows(2, 300)), **store, {}, {}).ok());
        }
        const QByteArray before = fileBytes(db);
        const ScopedImmutable immutable(db);
        if (!immutable.ok())
            QSKIP("chattr +i is not supported on this file system");

        auto store = Store::open(db, nullptr);
        if (store) {
            QCOMPARE(*(*store)->rowCount(), qint64(300));
            auto result =
                ingestFile(writeFile(dir, QStringLiteral("b.csv"), csvRows(2, 100, 1000)), **store, {}, {});
            QVERIFY(!result);
            QVERIFY2(result.error().message.contains(QLatin1String("read-only")) ||
                         result.error().message.contains(QLatin1String("readonly")),
                     qPrintable(result.error().toString()));
            QCOMPARE(result.error().file, QFileInfo(db).absoluteFilePath());
        } else {
            // Refusing to open is acceptable too, as long as it says why and names the file.
            QVERIFY2(store.error().file == QFileInfo(db).absoluteFilePath(),
                     qPrintable(store.error().toString()));
        }
        store = Error::failure(QStringLiteral("closed"));
        QCOMPARE(fileBytes(db), before);
    }

    // The database on a read-only mount (EROFS for root too): SQLite cannot create the WAL index beside it,
    // so the plain path cannot open; the error says so and names the file, and the immutable URI it suggests
    // does read the rows.
    void databaseOnAReadOnlyMount() {
        QTemporaryDir dir;
        const QString work = dir.filePath(QStringLiteral("ro"));
        QDir().mkpath(work);
        const QString db = QDir(work).filePath(QStringLiteral("fleet.db"));
        const SensorCatalog catalog = SensorCatalog::defaults();
        {
            auto store = Store::open(db, &catalog);
            QVERIFY(store.ok());
            QVERIFY(
                ingestFile(writeFile(dir, QStringLiteral("a.csv"), csvRows(2, 300)), **store, {}, {}).ok());
        }
        ScopedMount mount = ScopedMount::readOnly(work);
        if (!mount.ok())
            QSKIP(qPrintable(mount.error()));
        auto plain = Store::open(db, nullptr);
        QVERIFY(!plain);
        QCOMPARE(plain.error().file, QFileInfo(db).absoluteFilePath());
        QVERIFY2(plain.error().message.contains(QLatin1String("read-only")),
                 qPrintable(plain.error().toString()));
        const QString uri =
            QStringLiteral("file:%1?mode=ro&immutable=1").arg(QFileInfo(db).absoluteFilePath());
        QVERIFY2(plain.error().message.contains(uri), qPrintable(plain.error().toString()));
        auto readable = Store::open(uri, nullptr);
        QVERIFY2(readable.ok(), qPrintable(readable.ok() ? QString() : readable.error().toString()));
        QCOMPARE(*(*readable)->rowCount(), qint64(300));
        auto write = (*readable)->insertBatch(TelemetryBatch{});
        QVERIFY(!write);
        QVERIFY2(write.error().message.contains(QLatin1String("read-only")),
                 qPrintable(write.error().toString()));
    }
};

QTEST_GUILESS_MAIN(StoreFaultTest)
#include "store_fault_test.moc"
