#pragma once

#include "storage/sql_store.h"

#include <QByteArray>

#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace itap {

/// The embedded backend: one SQLite file in WAL mode through QtSql's QSQLITE driver.
/// Only the SQLite dialect lives here (pragmas, types, WITHOUT ROWID, catalog queries, error codes) and the
/// telemetry hot paths: when QSQLITE runs on the SQLite library this module links (Debian's -system-sqlite
/// build), bulk inserts and device reads bind and fetch through the connection's native handle, skipping
/// QVariant and QtSql's per-placeholder bookkeeping; the statements and the transaction are the same as
/// through QtSql.
class SqliteStore final : public SqlStore {
public:
    /// How long a connection waits for another writer's lock before failing (milliseconds).
    static constexpr int kBusyTimeoutMs = 10'000;

    /// `spec`: a file path, "sqlite:<path>", or a SQLite "file:" URI ("file:/x.db?mode=ro" opens read-only).
    /// A file that is not writable is opened read-only: reads work, writes fail with a clear error.
    [[nodiscard]] static Result<std::unique_ptr<Store>> open(const QString& spec,
                                                             const SensorCatalog* catalog);

    ~SqliteStore() override;

    /// Set (to anything) in the environment, this forces the QtSql paths: the tests run both paths, and it
    /// rules the native path out when diagnosing. Read when a store is opened.
    static constexpr const char* kQtSqlOnlyVariable = "ITAP_SQLITE_QTSQL_ONLY";

    /// True when inserts and reads use the native handle (see the class comment).
    [[nodiscard]] bool usesNativeHandle() const { return native_ != nullptr; }

protected:
    [[nodiscard]] QString integerType() const override { return QStringLiteral("INTEGER"); }
    [[nodiscard]] QString realType() const override { return QStringLiteral("REAL"); }
    [[nodiscard]] QString autoIdColumn() const override { return QStringLiteral("id INTEGER PRIMARY KEY"); }
    [[nodiscard]] QString keyedTableOptions() const override;
    [[nodiscard]] QString beginWriteSql() const override { return QStringLiteral("BEGIN IMMEDIATE"); }
    [[nodiscard]] int maxBindValues() const override;
    [[nodiscard]] QString tableNamesSql() const override;
    [[nodiscard]] bool isBadInput(const QSqlError& error) const override;
    [[nodiscard]] Result<qint64> insertTelemetryRows(const TelemetryBatch& batch, const std::size_t* rows,
                                                     int count) override;
    [[nodiscard]] Status readTelemetryRows(const QString& device, qint64 fromMs, qint64 toMs,
                                           DeviceSeries& out) override;
    [[nodiscard]] Status insertScoreRows(const QString& modelId, const ScoreTable& scores,
                                         std::optional<QSqlQuery>& full, std::optional<QSqlQuery>& tail) override;

private:
    SqliteStore(QString description, QString location, bool readOnly);
    [[nodiscard]] Status configure();
    void attachNativeHandle();
    [[nodiscard]] QSqlError nativeError(int code) const;
    [[nodiscard]] Result<sqlite3_stmt*> nativePrepare(const QString& sql, const QString& what);
    [[nodiscard]] Result<sqlite3_stmt*> nativeInsertStatement(int rows);

    sqlite3* native_ = nullptr;  ///< owned by the QSQLITE connection; null = QtSql paths only
    std::vector<std::pair<int, sqlite3_stmt*>> nativeInserts_;  ///< (rows, statement), like SqlStore's cache
    sqlite3_stmt* nativeRead_ = nullptr;
    QByteArray utf8_;                     ///< UTF-8 texts of the chunk being inserted
    std::vector<qsizetype> textOffsets_;  ///< start of each text in utf8_, plus the end
};

}  // namespace itap
