#include "storage/store.h"
#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"

#include "alarms/alarm_journal.h"
#include "store_cases.h"
#include "store_test_util.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace itap;
using namespace itap::test;

// The shared store cases (StoreCases) on SQLite files, plus what only SQLite has: WAL, read-only files and
// URIs, the native fast path. Also the routing of PostgreSQL URLs, which needs no server (store_pg_test runs
// the shared cases on a real PostgreSQL server).
class SqliteStoreTest : public StoreCases {
    Q_OBJECT

protected:
    bool backendReady(QString* reason) override {
        if (!dir_.isValid()) {
            *reason = QStringLiteral("no temporary directory");
            return false;
        }
        // Every test (and every data row) gets a fresh directory, so that file names can repeat.
        sub_ = dir_.filePath(QString::number(testIndex()));
        if (!QDir().mkpath(sub_)) {
            *reason = QStringLiteral("cannot create ") + sub_;
            return false;
        }
        return true;
    }
    QString spec(const QString& name) override { return dbPath(name); }
    QString location(const QString& spec) const override { return spec; }
    QString description(const QString& spec) const override { return QStringLiteral("sqlite:") + spec; }
    void withConnection(const QString& spec, const std::function<void(QSqlDatabase&)>& fn) override {
        withPrivateConnection(
            QStringLiteral("QSQLITE"), [&](QSqlDatabase& db) { db.setDatabaseName(spec); }, fn);
    }
    bool isUntouched(const QString& spec) override { return !QFile::exists(spec); }

private slots:
    // What the console remembers and prints: a server URL without its password, a path unchanged.
    void withoutPasswordRedactsServerUrls() {
        QCOMPARE(Store::withoutPassword(QStringLiteral("postgresql://itap:s3cr%40t@db.plant:5432/fleet")),
                 QStringLiteral("postgresql://itap@db.plant:5432/fleet"));
        QCOMPARE(Store::withoutPassword(QStringLiteral("postgresql://itap@db/fleet")),
                 QStringLiteral("postgresql://itap@db/fleet"));
        QCOMPARE(
            Store::withoutPassword(QStringLiteral("postgres://itap@db/fleet?password=hush&sslmode=require")),
            QStringLiteral("postgres://itap@db/fleet?sslmode=require"));
        QCOMPARE(Store::withoutPassword(QStringLiteral("/data/plant:1.db")),
                 QStringLiteral("/data/plant:1.db"));
        QVERIFY(Store::isServerUrl(QStringLiteral(" postgres://h/d")));
        QVERIFY(!Store::isServerUrl(QStringLiteral("fleet.db")));
    }

    void usesWalJournal() {
        const QString path = dbPath(QStringLiteral("wal.db"));
        const SensorCatalog catalog = testCatalog();
        QVERIFY(openOrFail(path, &catalog));
        withConnection(path, [&](QSqlDatabase& db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        });
    }

    void readOnlyFile() {
        if (::geteuid() == 0)
            QSKIP("running as root: file permissions are not enforced (see readOnlyUri)");
        const QString path = dbPath(QStringLiteral("ro.db"));
        const SensorCatalog catalog = testCatalog();
        {
            auto store = openOrFail(path, &catalog);
            QVERIFY(store);
            QVERIFY(store->insertBatch(makeBatch({"A"}, 10)));
        }
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        checkReadOnly(path, 10);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    }
    void readOnlyUri() {
        const QString path = dbPath(QStringLiteral("ro-uri.db"));
        const SensorCatalog catalog = testCatalog();
        {
            auto store = openOrFail(path, &catalog);
            QVERIFY(store);
            QVERIFY(store->insertBatch(makeBatch({"A"}, 10)));
        }
        checkReadOnly(QStringLiteral("file:") + path + QStringLiteral("?mode=ro"), 10);
    }
    // Writers opening one new database file at the same moment, each with its own connection, as two
    // `itap ingest` runs do: one creates the schema, the others wait for it and find it made (no "table
    // schema_meta already exists"), and every writer's rows are stored. Repeated on fresh files, since the
    // race is a matter of timing.
    void concurrentCreationOfANewDatabase() {
        const SensorCatalog catalog = testCatalog();
        constexpr int kWriters = 4;
        constexpr int kRounds = 15;
        const QStringList devices = {"W0", "W1", "W2", "W3"};
        for (int round = 0; round < kRounds; ++round) {
            const QString path = dbPath(QStringLiteral("race-%1.db").arg(round));
            std::latch start(kWriters);
            std::vector<QString> errors(kWriters);
            std::vector<std::thread> threads;
            for (int w = 0; w < kWriters; ++w)
                threads.emplace_back([&, w] {
                    start.arrive_and_wait();
                    auto store = Store::open(path, &catalog);
                    QString& error = errors[std::size_t(w)];
                    if (!store) {
                        error = store.error().toString();
                        return;
                    }
                    auto counts = (*store)->insertBatch(makeBatch({devices[w]}, 50));
                    if (!counts)
                        error = counts.error().toString();
                });
            for (auto& t : threads) t.join();
            for (const QString& e : errors)
                QVERIFY2(e.isEmpty(), qPrintable(QStringLiteral("round %1: ").arg(round) + e));
            auto store = openOrFail(path, nullptr);
            QVERIFY(store);
            auto rows = store->rowCount();
            QVERIFY(rows);
            QCOMPARE(*rows, qint64(kWriters * 50));
            auto version = store->schemaVersion();
            QVERIFY(version);
            QCOMPARE(*version, Store::currentSchemaVersion());
        }
    }

    // ":memory:" is not a file in the current directory, nor an unwritable directory: say what it is.
    void inMemoryDatabaseIsAClearError() {
        const SensorCatalog catalog = testCatalog();
        auto store = Store::open(QStringLiteral(":memory:"), &catalog);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().kind, Error::Kind::BadInput);
        QVERIFY2(store.error().message.contains(QStringLiteral("in-memory databases are not supported")),
                 qPrintable(store.error().toString()));
        QVERIFY(!QFile::exists(QStringLiteral(":memory:")));
    }

    void missingDirectoryIsAClearError() {
        const SensorCatalog catalog = testCatalog();
        const QString path = dbPath(QStringLiteral("no/such/dir/x.db"));
        auto r = Store::open(path, &catalog);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY2(r.error().message.contains(QLatin1String("does not exist")),
                 qPrintable(r.error().toString()));
        QCOMPARE(r.error().file, path);
        QVERIFY(!QFile::exists(path));
    }
    void fileThatIsNotADatabase() {
        const QString path = dbPath(QStringLiteral("notes.db"));
        const QByteArray text = QByteArray("timestamp,device_id\n").repeated(300);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        const SensorCatalog catalog = testCatalog();
        for (const SensorCatalog* given : {static_cast<const SensorCatalog*>(nullptr), &catalog}) {
            auto r = Store::open(path, given);
            QVERIFY(!r);
            QCOMPARE(r.error().kind, Error::Kind::BadInput);
            QVERIFY2(r.error().message.contains(QLatin1String("not a database")),
                     qPrintable(r.error().toString()));
            QCOMPARE(r.error().file, path);
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), text);  // untouched
    }
    // SqliteStore binds inserts and reads natively when it can; the QtSql path (the one other backends use)
    // must store and read exactly the same. The whole suite also runs with the QtSql path forced
    // (store_test_qtsql).
    void qtSqlAndNativePathsAgree() {
        const SensorCatalog catalog = testCatalog();
        const TelemetryBatch batch = makeBatch({"A", "x'y; --", "Süd ①"}, 300);
        TelemetryBatch bad = makeBatch({"B"}, 700, 1'767'300'000'000);
        bad.deviceId[600] = QStringLiteral("");
        const bool wasSet = qEnvironmentVariableIsSet(SqliteStore::kQtSqlOnlyVariable);
        const QByteArray saved = qgetenv(SqliteStore::kQtSqlOnlyVariable);
        std::vector<std::unique_ptr<Store>> stores;
        for (bool qtSqlOnly : {false, true}) {
            if (qtSqlOnly)
                qputenv(SqliteStore::kQtSqlOnlyVariable, "1");
            else
                qunsetenv(SqliteStore::kQtSqlOnlyVariable);
            stores.push_back(openOrFail(
                dbPath(qtSqlOnly ? QStringLiteral("qtsql.db") : QStringLiteral("native.db")), &catalog));
        }
        if (wasSet)
            qputenv(SqliteStore::kQtSqlOnlyVariable, saved);
        else
            qunsetenv(SqliteStore::kQtSqlOnlyVariable);
        QVERIFY(stores[0] && stores[1]);
        QVERIFY(!dynamic_cast<SqliteStore&>(*stores[1]).usesNativeHandle());
        if (!dynamic_cast<SqliteStore&>(*stores[0]).usesNativeHandle())
            qInfo("the native SQLite path is not built (no sqlite3.h): comparing QtSql with itself");

        std::vector<QString> badMessages;
        for (auto& store : stores) {
            auto first = store->insertBatch(batch);
            QVERIFY(first);
            QCOMPARE(first->inserted, qint64(batch.rowCount()));
            auto again = store->insertBatch(batch);
            QVERIFY(again);
            QCOMPARE(again->skippedDuplicates, qint64(batch.rowCount()));
            auto failed = store->insertBatch(bad);
            QVERIFY(!failed);
            badMessages.push_back(failed.error().message);
            for (const QString& device :
                 {QStringLiteral("A"), QStringLiteral("x'y; --"), QStringLiteral("Süd ①")}) {
                auto series = store->readDevice(device);
                QVERIFY(series);
                const QString diff = diffSeries(*series, batch, rowsOf(batch, device));
                QVERIFY2(diff.isEmpty(), qPrintable(diff));
            }
            auto count = store->rowCount();
            QVERIFY(count);
            QCOMPARE(*count, qint64(batch.rowCount()));
        }
        QCOMPARE(badMessages[0], badMessages[1]);
    }

    void postgresUrlsAreParsed_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("database");
        QTest::newRow("full") << "postgresql://itap:s3cret@db.plant:5433/itap"
                              << "postgresql://itap@db.plant:5433/itap"
                              << "db.plant" << 5433 << "itap"
                              << "s3cret"
                              << "itap";
        QTest::newRow("postgres scheme, no port, no password") << "postgres://ops@10.0.0.5/fleet"
                                                               << "postgresql://ops@10.0.0.5/fleet"
                                                               << "10.0.0.5" << -1 << "ops"
                                                               << ""
                                                               << "fleet";
        QTest::newRow("upper-case scheme") << "PostgreSQL://a@h/d"
                                           << "postgresql://a@h/d"
                                           << "h" << -1 << "a"
                                           << ""
                                           << "d";
        QTest::newRow("percent-encoded password") << "postgresql://itap:p%40ss%3Aw%2Fd@127.0.0.1:5432/itap"
                                                  << "postgresql://itap@127.0.0.1:5432/itap"
                                                  << "127.0.0.1" << 5432 << "itap"
                                                  << "p@ss:w/d"
                                                  << "itap";
        QTest::newRow("password as a parameter") << "postgresql://itap@h/db?password=hush&sslmode=require"
                                                 << "postgresql://itap@h/db"
                                                 << "h" << -1 << "itap"
                                                 << "hush"
                                                 << "db";
        QTest::newRow("ipv6") << "postgresql://u@[::1]:6000/db"
                              << "postgresql://u@[::1]:6000/db"
                              << "::1" << 6000 << "u"
                              << ""
                              << "db";
        QTest::newRow("socket directory") << "postgresql:///itap?host=/run/postgresql"
                                          << "postgresql:///itap?host=/run/postgresql"
                                          << "/run/postgresql" << -1 << ""
                                          << ""
                                          << "itap";
    }
    void postgresUrlsAreParsed() {
        QFETCH(QString, url);
        QFETCH(QString, display);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, database);
        auto parsed = PostgresStore::parseUrl(url);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
        QCOMPARE(parsed->display, display);
        QCOMPARE(parsed->host, host);
        QCOMPARE(parsed->port, port);
        QCOMPARE(parsed->user, user);
        QCOMPARE(parsed->password, password);
        QCOMPARE(parsed->database, database);
        QVERIFY(parsed->options.contains(QStringLiteral("connect_timeout=10")));
        if (url.contains(QLatin1String("sslmode")))
            QVERIFY(parsed->options.contains(QStringLiteral("sslmode='require'")));
    }

    // A server that stops answering must not be waited on forever: every connection gets a connect timeout,
    // TCP keepalives and a TCP user timeout (libpq conninfo), and the session a statement_timeout; a URL
    // parameter overrides each default.
    void postgresConnectionsHaveTimeoutsAndKeepalives() {
        auto plain = PostgresStore::parseUrl(QStringLiteral("postgresql://itap@db.plant/itap"));
        QVERIFY(plain.ok());
        for (const char* option : {"connect_timeout=10", "keepalives=1", "keepalives_idle=30",
                                   "keepalives_interval=10", "keepalives_count=3", "tcp_user_timeout=60000"})
            QVERIFY2(plain->options.contains(QLatin1String(option)), option);
        QCOMPARE(plain->statementTimeoutMs, PostgresStore::kDefaultStatementTimeoutMs);
        QCOMPARE(plain->statementTimeoutMs, qint64(15 * 60 * 1000));

        auto tuned = PostgresStore::parseUrl(QStringLiteral(
            "postgresql://itap@db.plant/itap?connect_timeout=2&keepalives_idle=5&statement_timeout=0"));
        QVERIFY(tuned.ok());
        QVERIFY(tuned->options.contains(QStringLiteral("connect_timeout='2'")));
        QVERIFY(tuned->options.contains(QStringLiteral("keepalives_idle='5'")));
        QVERIFY(!tuned->options.contains(QStringLiteral("connect_timeout=10")));
        QVERIFY(!tuned->options.contains(QStringLiteral("keepalives_idle=30")));
        QVERIFY(tuned->options.contains(QStringLiteral("keepalives=1")));
        QCOMPARE(tuned->statementTimeoutMs, qint64(0));
        // statement_timeout is ITAP's parameter: never passed to libpq, which would refuse it.
        for (const QString& o : tuned->options)
            QVERIFY2(!o.startsWith(QLatin1String("statement_timeout")), qPrintable(o));

        for (const char* bad : {"abc", "-1", "99999999999"}) {
            auto r =
                PostgresStore::parseUrl(QStringLiteral("postgresql://itap@db.plant/itap?statement_timeout=%1")
                                            .arg(QLatin1String(bad)));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().kind, Error::Kind::BadInput);
            QVERIFY2(r.error().message.contains(QLatin1String("statement_timeout")),
                     qPrintable(r.error().message));
        }
    }

    // A server process that is stopped while its kernel still answers TCP is given up on by the client: the
    // deadline (client_timeout, ms) defaults to the statement_timeout plus a grace, is off with
    // statement_timeout=0 unless given, and is ITAP's parameter, never libpq's.
    void postgresClientTimeoutDefaultsToStatementTimeoutPlusGrace() {
        auto plain = PostgresStore::parseUrl(QStringLiteral("postgresql://itap@db.plant/itap"));
        QVERIFY(plain.ok());
        QCOMPARE(plain->clientTimeoutMs,
                 PostgresStore::kDefaultStatementTimeoutMs + PostgresStore::kDefaultClientGraceMs);
        QCOMPARE(PostgresStore::kDefaultClientGraceMs, qint64(30'000));

        auto shorter =
            PostgresStore::parseUrl(QStringLiteral("postgresql://itap@db.plant/itap?statement_timeout=5000"));
        QVERIFY(shorter.ok());
        QCOMPARE(shorter->clientTimeoutMs, qint64(35'000));

        auto none =
            PostgresStore::parseUrl(QStringLiteral("postgresql://itap@db.plant/itap?statement_timeout=0"));
        QVERIFY(none.ok());
        QCOMPARE(none->clientTimeoutMs, qint64(0));

        auto given = PostgresStore::parseUrl(
            QStringLiteral("postgresql://itap@db.plant/itap?statement_timeout=0&client_timeout=1500"));
        QVERIFY(given.ok());
        QCOMPARE(given->clientTimeoutMs, qint64(1500));
        for (const QString& o : given->options)
            QVERIFY2(!o.startsWith(QLatin1String("client_timeout")), qPrintable(o));

        for (const char* bad : {"abc", "-1", "99999999999", "1.5"}) {
            auto r = PostgresStore::parseUrl(
                QStringLiteral("postgresql://itap@db.plant/itap?client_timeout=%1").arg(QLatin1String(bad)));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().kind, Error::Kind::BadInput);
            QVERIFY2(r.error().message.contains(QLatin1String("client_timeout")),
                     qPrintable(r.error().message));
        }
    }

    // A server that accepts the connection and then never answers (frozen, or a wrong port that swallows
    // everything): the open fails within the connect timeout with one clear message. The listener here
    // accepts nothing itself; the kernel completes the TCP handshake and libpq waits for the answer.
    void silentPostgresServerTimesOut() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        QCOMPARE(::listen(fd, 8), 0);
        socklen_t len = sizeof addr;
        QCOMPARE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
        const int port = ntohs(addr.sin_port);
        const SensorCatalog catalog = testCatalog();
        QElapsedTimer clock;
        clock.start();
        auto r = Store::open(
            QStringLiteral("postgresql://itap@127.0.0.1:%1/itap?connect_timeout=2").arg(port), &catalog);
        const qint64 elapsed = clock.elapsed();
        ::close(fd);
        QVERIFY(!r);
        if (r.error().message.contains(QLatin1String("QPSQL")))
            QSKIP("the Qt PostgreSQL driver is not installed");
        qInfo("gave up after %lld ms: %s", static_cast<long long>(elapsed), qPrintable(r.error().message));
        QCOMPARE(r.error().kind, Error::Kind::Failure);
        QVERIFY2(r.error().message.startsWith(QLatin1String("cannot connect: ")),
                 qPrintable(r.error().message));
        QVERIFY2(!r.error().message.contains(QLatin1Char('\n')), qPrintable(r.error().message));
        QVERIFY2(elapsed >= 1500 && elapsed < 10000, qPrintable(QString::number(elapsed)));
        QCOMPARE(ownConnections(), 0);
    }

    // A store opened read-only says so, so that commands that only read skip their writes.
    void readOnlyStoresSaySo() {
        const QString path = dbPath(QStringLiteral("ro-flag.db"));
        const SensorCatalog catalog = testCatalog();
        {
            auto store = openOrFail(path, &catalog);
            QVERIFY(!store->isReadOnly());
        }
        for (const QString& spec : {QStringLiteral("file:%1?mode=ro").arg(path),
                                    QStringLiteral("file:%1?mode=ro&immutable=1").arg(path)}) {
            auto store = openOrFail(spec, nullptr);
            QVERIFY2(store->isReadOnly(), qPrintable(spec));
        }
    }

    void malformedPostgresUrlsAreBadInput_data() {
        QTest::addColumn<QString>("url");
        QTest::newRow("no database") << QStringLiteral("postgresql://itap:topsecret@db.plant:5432/");
        QTest::newRow("no path") << QStringLiteral("postgresql://itap:topsecret@db.plant");
        QTest::newRow("bad port") << QStringLiteral("postgresql://itap:topsecret@db.plant:99999/itap");
        QTest::newRow("port not a number") << QStringLiteral("postgresql://itap:topsecret@db.plant:abc/itap");
        QTest::newRow("bad parameter name")
            << QStringLiteral("postgresql://itap:topsecret@h/itap?ssl-mode=1");
        QTest::newRow("semicolon in a parameter")
            << QStringLiteral("postgresql://itap:topsecret@h/itap?application_name=a;b");
    }
    void malformedPostgresUrlsAreBadInput() {
        QFETCH(QString, url);
        const SensorCatalog catalog = testCatalog();
        auto r = Store::open(url, &catalog);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY2(!r.error().toString().contains(QLatin1String("topsecret")),
                 qPrintable(r.error().toString()));
        QCOMPARE(ownConnections(), 0);
    }

    // No server needed: nothing listens on the port, so the connection is refused at once.
    void unreachablePostgresServerIsAFailure() {
        const SensorCatalog catalog = testCatalog();
        const QString url = QStringLiteral("postgresql://itap:topsecret@127.0.0.1:1/itap");
        auto r = Store::open(url, &catalog);
        QVERIFY(!r);
        if (r.error().message.contains(QLatin1String("QPSQL")))
            QSKIP("the Qt PostgreSQL driver is not installed");
        QCOMPARE(r.error().kind, Error::Kind::Failure);
        QCOMPARE(r.error().file, QStringLiteral("postgresql://itap@127.0.0.1:1/itap"));
        QVERIFY2(r.error().message.startsWith(QLatin1String("cannot connect: ")),
                 qPrintable(r.error().message));
        QVERIFY2(!r.error().toString().contains(QLatin1String("topsecret")),
                 qPrintable(r.error().toString()));
        QVERIFY2(!r.error().message.contains(QLatin1Char('\n')), qPrintable(r.error().message));
        QCOMPARE(ownConnections(), 0);
    }

private:
    [[nodiscard]] QString dbPath(const QString& name) const { return sub_ + QLatin1Char('/') + name; }

    void checkReadOnly(const QString& spec, qint64 rows) {
        auto store = openOrFail(spec, nullptr);
        QVERIFY(store);
        auto count = store->rowCount();
        QVERIFY(count);
        QCOMPARE(*count, rows);
        auto series = store->readDevice(QStringLiteral("A"));
        QVERIFY(series);
        QCOMPARE(series->size(), std::size_t(rows));
        auto r = store->insertBatch(makeBatch({"B"}, 5));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::Failure);
        QVERIFY2(r.error().message.contains(QLatin1String("read-only")), qPrintable(r.error().toString()));
        QVERIFY(!r.error().file.isEmpty());
        QVERIFY(!store->setMeta(QStringLiteral("k"), QStringLiteral("v")));
        QVERIFY(!store->recordIngestRun(IngestRunRecord{0, "x", "y", 0, 0, 0, 0, 0, "ok", "{}"}));
        // An applied threshold cannot be recorded (the console applies it for the session only and says so).
        ThresholdChange change;
        change.modelId = QStringLiteral("m1");
        change.operatorName = QStringLiteral("alice");
        change.fromThreshold = 0.6;
        change.toThreshold = 0.65;
        auto recorded = AlarmJournal(*store).recordThresholdChange(change);
        QVERIFY(!recorded);
        QCOMPARE(recorded.error().kind, Error::Kind::Failure);
        QVERIFY2(recorded.error().message.contains(QLatin1String("read-only")),
                 qPrintable(recorded.error().toString()));
        QVERIFY(store->readThresholdChanges({})->empty());
        count = store->rowCount();
        QVERIFY(count);
        QCOMPARE(*count, rows);
        // A catalog cannot be stored into a read-only database either.
        const SensorCatalog other = otherCatalog();
        QVERIFY(!Store::open(spec, &other));
    }

    QTemporaryDir dir_;
    QString sub_;
};

QTEST_GUILESS_MAIN(SqliteStoreTest)
#include "store_test.moc"
