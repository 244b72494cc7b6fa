#include "storage/postgres_store.h"
#include "storage/store.h"

#include "store_cases.h"
#include "store_test_util.h"
#include "support/pg_server.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <QElapsedTimer>
#include <QThread>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

using namespace itap;
using namespace itap::test;

namespace {

// Sets (or unsets, for a null value) an environment variable for the lifetime of the guard.
class EnvGuard {
public:
    EnvGuard(const char* name, const QByteArray& value) : name_(name) {
        had_ = qEnvironmentVariableIsSet(name);
        old_ = qgetenv(name);
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~EnvGuard() {
        if (had_)
            qputenv(name_, old_);
        else
            qunsetenv(name_);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* name_;
    bool had_ = false;
    QByteArray old_;
};

}  // namespace

// The shared store cases (StoreCases) against a real PostgreSQL server started for this run (PgServer),
// plus what only a server has: connection and authentication errors, passwords from the environment, the
// schema lock and concurrent writers. Every case skips, naming the reason, when no server can be started.
class PgStoreTest : public StoreCases {
    Q_OBJECT

protected:
    bool backendReady(QString* reason) override {
        if (!server_.isRunning()) {
            *reason = QStringLiteral("no PostgreSQL server: ") + serverProblem_;
            return false;
        }
        return true;
    }
    QString spec(const QString& name) override {
        // One database per (test, name), created empty on first use.
        QString db = QStringLiteral("t%1_%2").arg(testIndex()).arg(name);
        db.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]")), QStringLiteral("_"));
        db = db.toLower();
        if (!created_.contains(db)) {
            if (!server_.createDatabase(db))
                qWarning("create database %s: %s", qPrintable(db), qPrintable(server_.reason()));
            created_ << db;
        }
        return server_.url(db);
    }
    QString location(const QString& spec) const override {
        return server_.urlWithoutPassword(databaseOf(spec));
    }
    QString description(const QString& spec) const override { return location(spec); }
    void withConnection(const QString& spec, const std::function<void(QSqlDatabase&)>& fn) override {
        withPrivateConnection(
            QStringLiteral("QPSQL"),
            [&](QSqlDatabase& db) {
                db.setHostName(server_.host());
                db.setPort(server_.port());
                db.setUserName(server_.user());
                db.setPassword(server_.password());
                db.setDatabaseName(databaseOf(spec));
            },
            fn);
    }
    bool isUntouched(const QString& spec) override {
        bool empty = false;
        withConnection(spec, [&](QSqlDatabase& db) { empty = db.tables(QSql::Tables).isEmpty(); });
        return empty;
    }

private slots:
    void initTestCase() {
        if (!server_.start())
            serverProblem_ = server_.reason();
        else
            qInfo("PostgreSQL test server on %s:%d", qPrintable(server_.host()), server_.port());
    }
    void cleanupTestCase() { server_.stop(); }

    void describesWithoutPassword() {
        const QString url = spec(QStringLiteral("describe"));
        QVERIFY(url.contains(server_.password().left(6)));
        const SensorCatalog catalog = testCatalog();
        auto store = openOrFail(url, &catalog);
        QVERIFY(store);
        QCOMPARE(store->description(),
                 server_.urlWithoutPassword(QStringLiteral("t%1_describe").arg(testIndex())));
        QVERIFY(!store->description().contains(server_.password().left(6)));
    }

    void wrongPasswordIsAFailureWithoutThePassword() {
        spec(QStringLiteral("auth"));
        const QString db = QStringLiteral("t%1_auth").arg(testIndex());
        const QString url = QStringLiteral("postgresql://itap:not-the-password-42@%1:%2/%3")
                                .arg(server_.host())
                                .arg(server_.port())
                                .arg(db);
        const SensorCatalog catalog = testCatalog();
        EnvGuard noEnvPassword("PGPASSWORD", QByteArray());
        auto r = Store::open(url, &catalog);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Failure);
        QCOMPARE(r.error().file, server_.urlWithoutPassword(db));
        QVERIFY2(r.error().message.contains(QLatin1String("password authentication failed")),
                 qPrintable(r.error().message));
        QVERIFY2(!r.error().toString().contains(QLatin1String("not-the-password-42")),
                 qPrintable(r.error().toString()));
        QCOMPARE(ownConnections(), 0);
    }

    void missingDatabaseIsAFailure() {
        const SensorCatalog catalog = testCatalog();
        const QString url = server_.url(QStringLiteral("no_such_database"));
        auto r = Store::open(url, &catalog);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Failure);
        QVERIFY2(r.error().message.contains(QLatin1String("does not exist")), qPrintable(r.error().message));
        QCOMPARE(r.error().file, server_.urlWithoutPassword(QStringLiteral("no_such_database")));
        QVERIFY(!r.error().toString().contains(server_.password()));
    }

    // libpq finds the password itself when the URL has none: PGPASSWORD first, then the password file
    // (~/.pgpass, or PGPASSFILE).
    void passwordFromEnvironmentOrPassFile() {
        spec(QStringLiteral("env"));
        const QString db = QStringLiteral("t%1_env").arg(testIndex());
        const QString url = server_.urlWithoutPassword(db);
        const SensorCatalog catalog = testCatalog();
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString emptyPassFile = home.filePath(QStringLiteral("none"));
        {
            EnvGuard password("PGPASSWORD", server_.password().toUtf8());
            EnvGuard passFile("PGPASSFILE", emptyPassFile.toUtf8());
            auto store = openOrFail(url, &catalog);
            QVERIFY(store);
            QCOMPARE(store->description(), url);
        }
        {
            // host:port:database:username:password, with ':' and '\' escaped.
            QString escaped = server_.password();
            escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
                .replace(QLatin1Char(':'), QStringLiteral("\\:"));
            const QString path = home.filePath(QStringLiteral("pgpass"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("%1:%2:*:%3:%4\n")
                        .arg(server_.host())
                        .arg(server_.port())
                        .arg(server_.user(), escaped)
                        .toUtf8());
            f.close();
            QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner));  // libpq ignores a readable file
            EnvGuard password("PGPASSWORD", QByteArray());
            EnvGuard passFile("PGPASSFILE", path.toUtf8());
            auto store = openOrFail(url, nullptr);
            QVERIFY(store);
        }
        {
            EnvGuard password("PGPASSWORD", QByteArray());
            EnvGuard passFile("PGPASSFILE", emptyPassFile.toUtf8());
            auto r = Store::open(url, nullptr);
            QVERIFY(!r);
            QCOMPARE(r.error().kind, Error::Kind::Failure);
            QVERIFY2(r.error().message.contains(QLatin1String("password")), qPrintable(r.error().message));
        }
    }

    // Per-device time-range reads are served by the primary key's index, which leads with device_id.
    void deviceReadsUseThePrimaryKey() {
        const QString url = spec(QStringLiteral("plan"));
        const SensorCatalog catalog = testCatalog();
        {
            auto store = openOrFail(url, &catalog);
            QVERIFY(store);
            QVERIFY(store->insertBatch(makeBatch({"A", "B", "C", "D"}, 2000)));
        }
        withConnection(url, [](QSqlDatabase& db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("ANALYZE telemetry")));
            QVERIFY(q.exec(QStringLiteral("SELECT indexdef FROM pg_indexes WHERE tablename = 'telemetry'")));
            QVERIFY(q.next());
            QVERIFY2(q.value(0).toString().contains(QLatin1String("(device_id, ts)")),
                     qPrintable(q.value(0).toString()));
            QVERIFY(
                q.exec(QStringLiteral("EXPLAIN SELECT ts FROM telemetry WHERE device_id = 'B' AND ts >= "
                                      "1767225600000 AND ts <= 1767225700000 ORDER BY ts")));
            QString plan;
            while (q.next()) plan += q.value(0).toString() + QLatin1Char('\n');
            QVERIFY2(plan.contains(QLatin1String("telemetry_pkey")), qPrintable(plan));
        });
    }

    // Several processes (here threads, each with its own connection) opening one fresh database at once:
    // the advisory lock lets one create the schema, the others find it.
    void concurrentOpensOfAFreshDatabaseMakeOneSchema() {
        const QString url = spec(QStringLiteral("fresh"));
        const SensorCatalog catalog = testCatalog();
        constexpr int kOpeners = 6;
        std::latch start(kOpeners);
        std::vector<QString> errors(kOpeners);
        std::vector<std::thread> threads;
        for (int i = 0; i < kOpeners; ++i)
            threads.emplace_back([&, i] {
                start.arrive_and_wait();
                auto store = Store::open(url, &catalog);
                if (!store)
                    errors[static_cast<std::size_t>(i)] = store.error().toString();
                else if (auto v = (*store)->schemaVersion(); !v || *v != Store::currentSchemaVersion())
                    errors[static_cast<std::size_t>(i)] = QStringLiteral("wrong schema version");
            });
        for (auto& t : threads) t.join();
        for (const QString& e : errors) QVERIFY2(e.isEmpty(), qPrintable(e));
        withConnection(url, [&](QSqlDatabase& db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM schema_meta")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), Store::currentSchemaVersion());  // one row per version
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM channels")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), catalog.size());
        });
    }

    // A server process stopped mid-statement (SIGSTOP) while its kernel still answers TCP: keepalives are
    // answered, nothing is unacknowledged, and the server's statement_timeout cannot fire in a stopped
    // process. The client gives up after client_timeout with an error naming the server and the deadline, and
    // the transaction it had open is rolled back: nothing of the batch is stored.
    void frozenServerIsGivenUpOnAfterTheClientTimeout() {
        const QString base = spec(QStringLiteral("frozen"));
        const QString db = databaseOf(base);
        const SensorCatalog catalog = testCatalog();
        {
            auto store = openOrFail(base, &catalog);
            QVERIFY(store);
            QVERIFY(store->insertBatch(makeBatch({QStringLiteral("D1")}, 100)));
        }
        constexpr qint64 kClientTimeoutMs = 1500;
        const QString url =
            base + QStringLiteral("?statement_timeout=60000&client_timeout=%1&application_name=itap_frozen")
                       .arg(kClientTimeoutMs);

        // The store lives on its own thread (QtSql binds a connection to the thread that opened it) and
        // inserts once this thread holds a lock on telemetry, so its statement is certainly in flight.
        std::promise<void> opened, go;
        std::promise<std::pair<QString, qint64>> outcome;  // (error, elapsed ms); empty error = it succeeded
        auto openedFuture = opened.get_future();
        auto outcomeFuture = outcome.get_future();
        std::thread worker([&, goFuture = go.get_future()]() mutable {
            auto store = Store::open(url, nullptr);
            opened.set_value();
            if (!store) {
                outcome.set_value({QStringLiteral("open: ") + store.error().toString(), 0});
                return;
            }
            goFuture.wait();
            QElapsedTimer clock;
            clock.start();
            auto counts = (*store)->insertBatch(makeBatch({QStringLiteral("D2")}, 100));
            const qint64 elapsed = clock.elapsed();
            if (!counts)
                lastError_ = counts.error();
            outcome.set_value({counts ? QString() : counts.error().toString(), elapsed});
        });
        openedFuture.wait();

        qint64 backend = 0;
        bool released = false;
        withConnection(base, [&](QSqlDatabase& admin) {
            QSqlQuery q(admin);
            QVERIFY(q.exec(QStringLiteral("BEGIN")));
            QVERIFY(q.exec(QStringLiteral("LOCK TABLE telemetry IN ACCESS EXCLUSIVE MODE")));
            go.set_value();
            released = true;
            QElapsedTimer waiting;
            waiting.start();
            while (backend == 0 && waiting.elapsed() < 10'000 &&
                   outcomeFuture.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
                QVERIFY(
                    q.exec(QStringLiteral("SELECT pid FROM pg_stat_activity WHERE application_name = "
                                          "'itap_frozen' AND wait_event_type = 'Lock'")));
                if (q.next())
                    backend = q.value(0).toLongLong();
                else
                    QThread::msleep(10);
            }
            if (backend != 0)
                QCOMPARE(::kill(static_cast<pid_t>(backend), SIGSTOP), 0);
            QVERIFY(
                q.exec(QStringLiteral("COMMIT")));  // the lock is free; only the stopped process holds it up
        });
        if (!released)
            go.set_value();
        const bool returned = outcomeFuture.wait_for(std::chrono::milliseconds(kClientTimeoutMs + 10'000)) ==
                              std::future_status::ready;
        if (backend != 0)
            ::kill(static_cast<pid_t>(backend), SIGCONT);
        worker.join();
        QVERIFY2(backend != 0, "the insert never waited on the lock");
        QVERIFY2(returned, "the insert was still waiting on the stopped server");
        const auto [error, elapsed] = outcomeFuture.get();
        qInfo("gave up after %lld ms: %s", static_cast<long long>(elapsed), qPrintable(error));
        QVERIFY2(!error.isEmpty(), "the insert succeeded");
        QVERIFY2(!error.startsWith(QLatin1String("open: ")), qPrintable(error));
        QCOMPARE(lastError_.kind, Error::Kind::Failure);
        QCOMPARE(lastError_.file, server_.urlWithoutPassword(db));
        QVERIFY2(lastError_.message.contains(QLatin1String("no answer from the server")) &&
                     lastError_.message.contains(QLatin1String("client_timeout=1500")),
                 qPrintable(lastError_.message));
        QVERIFY2(elapsed >= kClientTimeoutMs && elapsed < kClientTimeoutMs + 3000,
                 qPrintable(QString::number(elapsed)));

        // Once it runs again the backend finds its connection closed, rolls back and exits; the server serves
        // new connections and holds none of the second batch.
        const auto frozenBackends = [&] {
            int n = -1;
            withConnection(base, [&](QSqlDatabase& admin) {
                QSqlQuery q(admin);
                if (q.exec(QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = "
                                          "'itap_frozen'")) &&
                    q.next())
                    n = q.value(0).toInt();
            });
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(frozenBackends(), 0, 10'000);
        auto store = openOrFail(base, nullptr);
        QVERIFY(store);
        auto rows = store->rowCount();
        QVERIFY(rows);
        QCOMPARE(*rows, qint64(100));
        auto d2 = store->readDevice(QStringLiteral("D2"));
        QVERIFY(d2);
        QCOMPARE(d2->size(), std::size_t(0));
    }

    // Writers ingesting overlapping batches at the same time, like two `itap ingest` runs of overlapping
    // files: every row stored exactly once, every submitted row counted once as inserted, skipped or (the
    // overlapping batches carry other values for the same keys) conflicting, and no writer sees an error.
    void concurrentOverlappingIngestsStoreEveryRowOnce() {
        const QString url = spec(QStringLiteral("ingest"));
        const SensorCatalog catalog = testCatalog();
        QVERIFY(openOrFail(url, &catalog));
        constexpr int kWriters = 4;
        constexpr int kBatches = 6;
        constexpr int kRowsPerDevice = 400;  // 8 devices: 3200 rows per batch
        const QStringList devices = {"D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7"};
        // Writer w's batch b starts at second (w + b) * 200: consecutive batches and writers overlap by half,
        // and every key is submitted by several writers.
        const auto batchStart = [](int w, int b) { return 1'767'225'600'000 + qint64(w + b) * 200'000; };
        std::latch start(kWriters);
        std::vector<QString> errors(kWriters);
        std::vector<qint64> inserted(kWriters, 0), skipped(kWriters, 0);
        std::vector<std::thread> threads;
        for (int w = 0; w < kWriters; ++w)
            threads.emplace_back([&, w] {
                const auto i = static_cast<std::size_t>(w);
                auto store = Store::open(url, nullptr);
                start.arrive_and_wait();
                if (!store) {
                    errors[i] = store.error().toString();
                    return;
                }
                for (int b = 0; b < kBatches; ++b) {
                    auto counts = (*store)->insertBatch(makeBatch(devices, kRowsPerDevice, batchStart(w, b)));
                    if (!counts) {
                        errors[i] = counts.error().toString();
                        return;
                    }
                    inserted[i] += counts->inserted;
                    skipped[i] += counts->skippedDuplicates + counts->conflicts.count;
                }
            });
        for (auto& t : threads) t.join();
        for (const QString& e : errors) QVERIFY2(e.isEmpty(), qPrintable(e));

        // Distinct seconds: from batchStart(0, 0) to the end of batchStart(kWriters-1, kBatches-1).
        const qint64 seconds = qint64(kWriters - 1 + kBatches - 1) * 200 + kRowsPerDevice;
        const qint64 unique = seconds * devices.size();
        const qint64 submitted = qint64(kWriters) * kBatches * kRowsPerDevice * devices.size();
        qint64 totalInserted = 0, totalSkipped = 0;
        for (int w = 0; w < kWriters; ++w) {
            totalInserted += inserted[static_cast<std::size_t>(w)];
            totalSkipped += skipped[static_cast<std::size_t>(w)];
        }
        QCOMPARE(totalInserted, unique);
        QCOMPARE(totalInserted + totalSkipped, submitted);
        auto store = openOrFail(url, nullptr);
        QVERIFY(store);
        auto count = store->rowCount();
        QVERIFY(count);
        QCOMPARE(*count, unique);
        auto series = store->readDevice(QStringLiteral("D3"));
        QVERIFY(series);
        QCOMPARE(qint64(series->size()), seconds);
        for (std::size_t r = 1; r < series->size(); ++r)
            QCOMPARE(series->tsMs[r] - series->tsMs[r - 1], qint64(1000));
    }

    // A reader keeps working while a writer ingests: every read sees whole batches only.
    void readerSeesWholeBatchesWhileAWriterIngests() {
        const QString url = spec(QStringLiteral("readers"));
        const SensorCatalog catalog = testCatalog();
        QVERIFY(openOrFail(url, &catalog));
        constexpr int kBatches = 20;
        constexpr int kRows = 500;  // per device, 2 devices
        std::atomic<bool> done{false};
        QString writerError;
        std::thread writer([&] {
            auto store = Store::open(url, nullptr);
            if (!store) {
                writerError = store.error().toString();
                done = true;
                return;
            }
            for (int b = 0; b < kBatches && writerError.isEmpty(); ++b)
                if (auto c = (*store)->insertBatch(
                        makeBatch({"A", "B"}, kRows, 1'767'225'600'000 + qint64(b) * kRows * 1000));
                    !c)
                    writerError = c.error().toString();
            done = true;
        });
        auto reader = openOrFail(url, nullptr);
        QVERIFY(reader);
        int reads = 0;
        QString readerError;
        while (!done || reads == 0) {
            auto count = reader->rowCount();
            if (!count) {
                readerError = count.error().toString();
                break;
            }
            if (*count % (2 * kRows) != 0) {
                readerError = QStringLiteral("read a partial batch: %1 rows").arg(*count);
                break;
            }
            ++reads;
        }
        writer.join();
        QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
        QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
        auto count = reader->rowCount();
        QVERIFY(count);
        QCOMPARE(*count, qint64(kBatches) * 2 * kRows);
    }

private:
    // The database of a spec() URL: its last path segment.
    static QString databaseOf(const QString& url) { return url.mid(url.lastIndexOf(QLatin1Char('/')) + 1); }

    PgServer server_;
    QString serverProblem_;
    Error lastError_;  ///< frozenServerIsGivenUpOnAfterTheClientTimeout(): the worker's error
    QStringList created_;
};

QTEST_GUILESS_MAIN(PgStoreTest)
#include "store_pg_test.moc"
