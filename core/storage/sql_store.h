#pragma once

#include "storage/store.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace itap {

/// The QtSql code shared by every SQL backend: schema and migrations, prepared statements, transactions.
/// A backend opens and configures the connection, supplies the dialect hooks below and calls initialize().
/// Owns one named QSqlDatabase connection, removed in the destructor.
class SqlStore : public Store {
public:
    ~SqlStore() override;

    [[nodiscard]] Result<int> schemaVersion() override;
    [[nodiscard]] Status beginStage() override;
    [[nodiscard]] Status commitStage() override;
    [[nodiscard]] Status rollbackStage() override;
    [[nodiscard]] Result<qint64> recordIngestRun(const IngestRunRecord& run) override;
    [[nodiscard]] Result<std::vector<IngestRunRecord>> ingestRuns() override;
    [[nodiscard]] Result<QStringList> devices() override;
    [[nodiscard]] Result<qint64> rowCount() override;
    [[nodiscard]] Result<DeviceSeries> readDevice(const QString& device, qint64 fromMs, qint64 toMs) override;
    [[nodiscard]] Result<bool> hasLabels() override;
    [[nodiscard]] Status setMeta(const QString& key, const QString& value) override;
    [[nodiscard]] Result<QString> meta(const QString& key) override;
    [[nodiscard]] Status replaceScores(const ScoreTable& scores) override;
    [[nodiscard]] bool isReadOnly() const override { return readOnly_; }
    [[nodiscard]] Result<ScoreTable> readScores() override;
    [[nodiscard]] Result<QString> scoresModelId() override;
    [[nodiscard]] Status lockJournal() override;
    [[nodiscard]] Result<std::vector<AlarmRecord>> readAlarms(const AlarmSelection& selection) override;
    [[nodiscard]] Status writeAlarm(const AlarmRecord& alarm) override;
    [[nodiscard]] Result<qint64> appendJournal(const JournalEntry& entry) override;
    [[nodiscard]] Result<std::vector<JournalEntry>> readJournal(const QString& alarmId) override;
    [[nodiscard]] Result<qint64> latestJournalId() override;
    [[nodiscard]] Result<qint64> appendThresholdChange(const ThresholdChange& change) override;
    [[nodiscard]] Result<std::vector<ThresholdChange>> readThresholdChanges(const QString& modelId) override;

protected:
    [[nodiscard]] Result<InsertCounts> insertRows(const TelemetryBatch& batch,
                                                  ConflictPolicy policy) override;

    /// `location` (file path or URL without password) names the database in every error message.
    SqlStore(QString description, QString location, bool readOnly);

    /// A connection name no other Store uses (QSqlDatabase connections are process-global by name).
    [[nodiscard]] static QString uniqueConnectionName(const QString& backend);

    // ---- dialect hooks ----
    /// Column type of 64-bit integers ("INTEGER" in SQLite, "BIGINT" in PostgreSQL).
    [[nodiscard]] virtual QString integerType() const = 0;
    /// Column type of doubles ("REAL", "DOUBLE PRECISION").
    [[nodiscard]] virtual QString realType() const = 0;
    /// Definition of an auto-assigned 64-bit primary key column called `id`.
    [[nodiscard]] virtual QString autoIdColumn() const = 0;
    /// Appended to CREATE TABLE of tables keyed by (device_id, ts), e.g. " WITHOUT ROWID".
    [[nodiscard]] virtual QString keyedTableOptions() const { return {}; }
    /// Starts a write transaction; SQLite takes the write lock up front so that a busy writer waits
    /// (busy timeout) instead of failing halfway through the transaction.
    [[nodiscard]] virtual QString beginWriteSql() const { return QStringLiteral("BEGIN"); }
    /// Run by lockJournal() inside the stage; empty when the stage's transaction already serialises writers.
    [[nodiscard]] virtual QString lockJournalSql() const { return {}; }
    /// Most bound values one statement may carry.
    [[nodiscard]] virtual int maxBindValues() const = 0;
    /// Most telemetry rows one insertTelemetryRows() call takes; the default fits telemetryInsertSql()'s
    /// placeholders into maxBindValues(). A backend that binds whole columns (arrays) may take more.
    [[nodiscard]] virtual int telemetryRowsPerStatementLimit(int columns) const;
    /// A query of one text column: the names of every table of this database (to tell an empty database
    /// from a foreign one).
    [[nodiscard]] virtual QString tableNamesSql() const = 0;
    /// True when the error blames the data or the file rather than the environment: a constraint
    /// violation, or a file that is not a database of this kind.
    [[nodiscard]] virtual bool isBadInput(const QSqlError& error) const = 0;
    /// The one-line text of a driver error for messages: the database's text, else the driver's.
    [[nodiscard]] virtual QString errorText(const QSqlError& error) const;

    /// Brackets each public call, and each call nested in it, on the thread that uses the store: the first
    /// CallScope calls callStarted(), the last one to end callFinished(). Backends put one around statements
    /// they run outside the public calls (while opening).
    class CallScope {
    public:
        explicit CallScope(SqlStore& store);
        ~CallScope();
        CallScope(const CallScope&) = delete;
        CallScope& operator=(const CallScope&) = delete;

    private:
        SqlStore& store_;
    };
    /// A call that may talk to the database starts / ends (see CallScope); PostgresStore watches the
    /// connection in between.
    virtual void callStarted() {}
    virtual void callFinished() {}

    // ---- for backends ----
    /// Creates or checks the schema and loads or stores the catalog; see Store::open().
    [[nodiscard]] Status initialize(const SensorCatalog* catalog);
    [[nodiscard]] QSqlDatabase& database() { return db_; }
    [[nodiscard]] const QString& location() const { return location_; }
    /// "<what>: <driver message>", naming the database; BadInput for constraint violations.
    [[nodiscard]] Error sqlError(const QString& what, const QSqlError& error) const;
    /// QSqlError::nativeErrorCode() of the last error sqlError() built (a SQLSTATE in PostgreSQL), so that a
    /// backend can tell a transient failure (deadlock, serialization) from a permanent one.
    [[nodiscard]] const QString& lastErrorCode() const { return lastErrorCode_; }
    void clearLastErrorCode() { lastErrorCode_.clear(); }
    /// Runs one statement without bound values (DDL, pragmas).
    [[nodiscard]] Status execRaw(const QString& sql, const QString& what);
    /// Runs `sql` (no bound values) and returns its first column as text, in the order the rows come.
    [[nodiscard]] Result<QStringList> selectStrings(const QString& sql, const QString& what);

    // ---- telemetry hot paths: QtSql here, a backend may bind natively ----
    /// Inserts the rows `rows[0..count)` (indices into `batch`) with one statement of
    /// telemetryInsertSql(count), inside the caller's transaction, and returns how many were new. `count` <=
    /// telemetryRowsPerStatement(). On failure returns sqlError(), which insertBatch() then narrows down to
    /// the offending row.
    [[nodiscard]] virtual Result<qint64> insertTelemetryRows(const TelemetryBatch& batch,
                                                             const std::size_t* rows, int count);
    /// The rows of one device with fromMs <= ts <= toMs.
    struct KeyRange {
        QString device;
        qint64 fromMs = 0;
        qint64 toMs = 0;
    };
    /// For each of `ranges`, whether any row of it is stored. The default asks once per range; a backend may
    /// answer all of them in one statement (a round trip per device and batch costs on a server).
    [[nodiscard]] virtual Result<std::vector<bool>> rangesWithStoredRows(const std::vector<KeyRange>& ranges);
    /// Appends the rows telemetryReadSql() selects for (device, fromMs, toMs) to `out`.
    [[nodiscard]] virtual Status readTelemetryRows(const QString& device, qint64 fromMs, qint64 toMs,
                                                   DeviceSeries& out);
    /// `INSERT INTO telemetry (...) VALUES (?, ...), ... ON CONFLICT (device_id, ts) DO NOTHING` for `rows`
    /// rows; per row: device_id, ts, state text, the channels in catalog order, error_code, fault_tag (NULL =
    /// normal).
    [[nodiscard]] QString telemetryInsertSql(int rows) const;
    /// The column list of telemetryInsertSql(): device_id, ts, state, the channels (quoted), error_code,
    /// fault_tag.
    [[nodiscard]] QString telemetryInsertColumns() const;
    /// `SELECT ts, state code (0 RUN, 1 IDLE, 2 MAINT), channels..., error_code, fault_tag` of one device
    /// with ts in [?, ?], time-ordered; bound values: device_id, from, to.
    [[nodiscard]] QString telemetryReadSql() const;
    [[nodiscard]] int telemetryRowsPerStatement() const { return telemetryRowsPerStatement_; }
    /// `INSERT INTO scores (device_id, ts, score, train, model_id) VALUES (?, ?, ?, ?, ?), ...` for `rows`
    /// rows.
    [[nodiscard]] QString scoreInsertSql(int rows) const;
    /// Inserts every row of `scores` (validated by replaceScores()) inside the caller's transaction, with the
    /// prepared statements `full` (full-size chunks) and `tail` (the last chunk), prepared here when empty;
    /// the caller owns them so that they outlive its transaction. A backend may bind natively instead.
    [[nodiscard]] virtual Status insertScoreRows(const QString& modelId, const ScoreTable& scores,
                                                 std::optional<QSqlQuery>& full,
                                                 std::optional<QSqlQuery>& tail);

private:
    class WriteTransaction;

    [[nodiscard]] Result<QStringList> tableNames();
    /// The catalog's channel columns, quoted and separated by ", ".
    [[nodiscard]] QString channelColumns() const;
    /// initialize() once it holds the write lock when it may write: checks, creates or migrates the schema.
    [[nodiscard]] Status initializeSchema(const SensorCatalog* catalog);
    /// Applies the schema steps after `fromVersion`, inside the caller's transaction.
    [[nodiscard]] Status applyMigrations(int fromVersion, const SensorCatalog& catalog);
    [[nodiscard]] Status createSchemaV1(const SensorCatalog& catalog);
    [[nodiscard]] Status createSchemaV2(const SensorCatalog& catalog);
    [[nodiscard]] Status createSchemaV3(const SensorCatalog& catalog);
    [[nodiscard]] Status upsertMeta(const QString& key, const QString& value);
    [[nodiscard]] Result<SensorCatalog> loadCatalog();
    [[nodiscard]] Status checkWritable() const;
    [[nodiscard]] Result<QSqlQuery> prepare(const QString& sql, const QString& what);
    [[nodiscard]] Status exec(QSqlQuery& query, const QString& what);
    /// A batch row whose key is stored with other values, and how.
    struct StoredConflict {
        std::size_t row;
        RowConflict what;
    };
    /// The rows of `batch` (in key order, order_) whose (device_id, ts) is stored with other values.
    [[nodiscard]] Result<std::vector<StoredConflict>> conflictsWithStored(const TelemetryBatch& batch);
    /// Overwrites the stored rows of `conflicts` with their batch values, inside the caller's transaction.
    [[nodiscard]] Status replaceRows(const TelemetryBatch& batch,
                                     const std::vector<StoredConflict>& conflicts);
    /// The prepared insert of `rows` rows, from the cache or newly prepared.
    [[nodiscard]] Result<QSqlQuery*> insertStatement(int rows);

    QSqlDatabase db_;
    QString location_;
    mutable QString lastErrorCode_;  ///< see lastErrorCode()
    bool readOnly_ = false;
    int callDepth_ = 0;       ///< open CallScopes
    bool stageOpen_ = false;  ///< beginStage() ran: writes are savepoints of the stage's transaction
    int telemetryRowsPerStatement_ = 1;
    // Prepared once, reused by every batch: preparing a 256-row statement costs more than running it.
    std::vector<std::pair<int, std::unique_ptr<QSqlQuery>>> insertStatements_;  ///< (rows, statement)
    std::vector<std::size_t> order_;  ///< key order of the batch being inserted; kept for its allocation
    std::unique_ptr<QSqlQuery> readDevice_;
    std::unique_ptr<QSqlQuery> anyStored_;  ///< conflictsWithStored(): is any row of a key range stored?
};

}  // namespace itap
