#pragma once

#include "storage/connection_watchdog.h"
#include "storage/sql_store.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace itap {

/// The shared backend: a PostgreSQL database through QtSql's QPSQL driver, with the schema and behaviour of
/// SqliteStore (SqlStore holds the common SQL; only the dialect lives here).
///
/// Telemetry is keyed by PRIMARY KEY (device_id, ts): its B-tree index is what a per-device time-range read
/// scans, and what `INSERT ... ON CONFLICT (device_id, ts) DO NOTHING` checks, so no other index is needed.
///
/// Bulk inserts bind each column of up to kRowsPerInsert rows as one array parameter and insert
/// `SELECT * FROM unnest(...)` with ON CONFLICT DO NOTHING: one prepared statement and one round trip per
/// 10,000 rows, where multi-row VALUES through QPSQL format and parse every value separately.
///
/// Several processes may share one database: schema creation and migration run under a PostgreSQL advisory
/// lock (a second process opening a fresh database waits, then finds the schema made); concurrent ingests of
/// overlapping rows store each row once (ON CONFLICT, rows inserted in key order so two writers never wait on
/// each other in a cycle), and a batch that still loses a deadlock or serialization check is retried.
///
/// The password (from the URL, or left to libpq: PGPASSWORD, then ~/.pgpass or PGPASSFILE) never appears in
/// description(), in error messages or in anything the store writes.
class PostgresStore final : public SqlStore {
public:
    /// A parsed `postgresql://` URL: libpq connection parameters, and the URL to show (without password).
    struct ConnectionSpec {
        QString
            host;  ///< host name, IP address, or a Unix socket directory (from ?host=); empty = libpq default
        int port = -1;     ///< -1 = libpq default (5432)
        QString user;      ///< empty = libpq default (the OS user)
        QString password;  ///< empty = libpq finds it (PGPASSWORD, ~/.pgpass)
        QString database;
        QStringList options;  ///< other libpq parameters as key=value, e.g. "sslmode=require"
        QString display;      ///< "postgresql://user@host:port/db", never with a password
        /// The session's statement_timeout (milliseconds; 0 = none): from the URL's `statement_timeout`
        /// parameter (ITAP's, not libpq's), else kDefaultStatementTimeoutMs.
        qint64 statementTimeoutMs = kDefaultStatementTimeoutMs;
        /// The client's deadline (milliseconds; 0 = none): a call that hears nothing from the server for this
        /// long closes the connection and fails (see ConnectionWatchdog). From the URL's `client_timeout`
        /// parameter (ITAP's), else statementTimeoutMs + kDefaultClientGraceMs, none when statementTimeoutMs
        /// is 0.
        qint64 clientTimeoutMs = kDefaultStatementTimeoutMs + kDefaultClientGraceMs;
    };

    /// Defaults of the parameters that keep a dead or frozen server from being waited on forever; a URL
    /// parameter of the same name overrides each. libpq gives up connecting after connect_timeout seconds
    /// (the TCP connection and the startup exchange); TCP keepalives notice a peer that vanished while a
    /// query waits, tcp_user_timeout one that stopped acknowledging what was sent; the server cancels a
    /// statement that runs longer than statement_timeout (a lock wait, say).
    static constexpr int kDefaultConnectTimeoutS = 10;
    static constexpr int kDefaultKeepalivesIdleS = 30;      ///< idle seconds before the first probe
    static constexpr int kDefaultKeepalivesIntervalS = 10;  ///< seconds between unanswered probes
    static constexpr int kDefaultKeepalivesCount = 3;       ///< unanswered probes before the link is dead
    static constexpr int kDefaultTcpUserTimeoutMs = 60'000;
    /// Generous: the longest statement ITAP runs is one batch or one device's read; 0 in the URL disables it.
    static constexpr qint64 kDefaultStatementTimeoutMs = 15 * 60'000;
    /// How much longer than statement_timeout the client waits for a server that says nothing before it gives
    /// up: a running server cancels the statement itself by then, so only a stopped or unreachable one is cut
    /// off. Covers the cancellation's round trip and a server under load.
    static constexpr qint64 kDefaultClientGraceMs = 30'000;

    /// Parses `postgresql://user[:password]@host[:port]/dbname[?param=value&...]` (also `postgres://`; user,
    /// password and parameters percent-decoded, as libpq does). The query takes libpq parameters (sslmode,
    /// connect_timeout, keepalives_idle, application_name, ...; host= a socket directory) and ITAP's own
    /// statement_timeout and client_timeout (milliseconds). The defaults above are added for the timeout
    /// parameters it does not give. BadInput when malformed; the message never contains the password.
    [[nodiscard]] static Result<ConnectionSpec> parseUrl(const QString& url);

    /// `url` as given but without its password, neither the URL's nor a `password` parameter: what may be
    /// shown or remembered (see Store::withoutPassword()). ConnectionSpec::display is shorter: no options.
    [[nodiscard]] static QString withoutPassword(const QString& url);

    /// True when `spec` names a PostgreSQL database (`postgresql://` or `postgres://`, any case).
    [[nodiscard]] static bool isPostgresUrl(const QString& spec);

    /// Connects to, and creates or migrates the schema of, the database of `url` (see Store::open()). The
    /// database itself must exist. Connection failures (server unreachable, authentication, missing
    /// database) are Failure errors naming the URL without its password.
    [[nodiscard]] static Result<std::unique_ptr<Store>> open(const QString& url,
                                                             const SensorCatalog* catalog);

    /// Advisory lock key held while the schema is created or migrated ('ITAP' in ASCII).
    static constexpr qint64 kSchemaLockKey = 0x49544150;
    /// Telemetry rows per insert statement: each column goes as one array (see insertTelemetryRows()).
    static constexpr int kRowsPerInsert = 10'000;
    /// How often insertRows() retries a batch that failed on a deadlock or serialization failure.
    static constexpr int kMaxBatchAttempts = 5;

    ~PostgresStore() override;

protected:
    [[nodiscard]] Result<InsertCounts> insertRows(const TelemetryBatch& batch,
                                                  ConflictPolicy policy) override;
    [[nodiscard]] QString integerType() const override { return QStringLiteral("BIGINT"); }
    [[nodiscard]] QString realType() const override { return QStringLiteral("DOUBLE PRECISION"); }
    /// SHARE ROW EXCLUSIVE conflicts with itself (journal writers queue) but not with readers.
    [[nodiscard]] QString lockJournalSql() const override {
        return QStringLiteral("LOCK TABLE alarms IN SHARE ROW EXCLUSIVE MODE");
    }
    [[nodiscard]] QString autoIdColumn() const override {
        return QStringLiteral("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    }
    [[nodiscard]] int maxBindValues() const override;
    [[nodiscard]] QString tableNamesSql() const override;
    [[nodiscard]] bool isBadInput(const QSqlError& error) const override;
    [[nodiscard]] QString errorText(const QSqlError& error) const override;
    [[nodiscard]] int telemetryRowsPerStatementLimit(int columns) const override;
    [[nodiscard]] Result<qint64> insertTelemetryRows(const TelemetryBatch& batch, const std::size_t* rows,
                                                     int count) override;
    /// All ranges in one statement: the ranges go as arrays, as in insertTelemetryRows().
    [[nodiscard]] Result<std::vector<bool>> rangesWithStoredRows(
        const std::vector<KeyRange>& ranges) override;

    void callStarted() override;
    void callFinished() override;

private:
    PostgresStore(const QString& description, QString password);
    /// Starts watching the open connection's socket with `timeoutMs` (> 0).
    [[nodiscard]] Status watchConnection(qint64 timeoutMs);
    [[nodiscard]] Status initializeLocked(const SensorCatalog* catalog);
    /// `text` with the password (if any) blanked out: libpq does not echo it, but nothing relies on that.
    [[nodiscard]] QString scrub(QString text) const;

    QString password_;                              ///< only to scrub messages; empty when libpq supplies it
    std::unique_ptr<QSqlQuery> arrayInsert_;        ///< prepared once; see insertTelemetryRows()
    std::unique_ptr<QSqlQuery> arrayProbe_;         ///< prepared once; see rangesWithStoredRows()
    std::unique_ptr<ConnectionWatchdog> watchdog_;  ///< null when client_timeout is 0
};

}  // namespace itap
