#include "storage/sql_store.h"

#include "common/json_util.h"

#include <QDateTime>
#include <QLocale>
#include <QSqlDriver>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <optional>

namespace itap {
namespace {

// Columns of `telemetry` besides the catalog channels; a channel may not take one of these names.
const QStringList kFixedTelemetryColumns = {QStringLiteral("device_id"), QStringLiteral("ts"),
                                            QStringLiteral("state"), QStringLiteral("error_code"),
                                            QStringLiteral("fault_tag")};
constexpr int kFixedTelemetryColumnCount = 5;

// Multi-row VALUES amortise the per-statement cost; beyond ~256 rows the gain is gone and the SQL text grows.
constexpr int kMaxRowsPerStatement = 256;
// Preparing a statement with n placeholders costs O(n^2) in SQLite (QtSql names every placeholder), so the
// full-size statement and the last few tail sizes (one per batch size in use) are kept prepared.
constexpr std::size_t kCachedInsertStatements = 4;

// Reads map the state text to its OpState code in SQL so that no QString is built per row.
const QString kStateCodeSql = QStringLiteral("CASE %1 WHEN 'RUN' THEN 0 WHEN 'IDLE' THEN 1 ELSE 2 END");

OpState opStateFromCode(qint64 code) {
    return code == 1 ? OpState::Idle : code == 2 ? OpState::Maint : OpState::Run;
}

// Prebuilt so that binding a state costs a QVariant copy, not a QString construction per row.
const QVariant& stateVariant(OpState s) {
    static const QVariant names[kOpStateCount] = {QVariant(opStateName(OpState::Run)),
                                                  QVariant(opStateName(OpState::Idle)),
                                                  QVariant(opStateName(OpState::Maint))};
    return names[static_cast<int>(s)];
}

QString placeholders(int rows, int columns) {
    QString one = QStringLiteral("(?");
    for (int c = 1; c < columns; ++c) one += QStringLiteral(",?");
    one += QLatin1Char(')');
    QString all;
    all.reserve(rows * (one.size() + 1));
    for (int r = 0; r < rows; ++r) {
        if (r > 0)
            all += QLatin1Char(',');
        all += one;
    }
    return all;
}

// "batch row 601 (source line 602, device "X", ts 2026-...)" for error messages.
QString describeRow(const TelemetryBatch& batch, std::size_t row) {
    QString where = QStringLiteral("batch row %1 (").arg(row + 1);
    if (batch.sourceLine.size() == batch.rowCount() && batch.sourceLine[row] > 0)
        where += QStringLiteral("source line %1, ").arg(batch.sourceLine[row]);
    return where + QStringLiteral("device \"%1\", ts %2)").arg(batch.deviceId[row]).arg(batch.tsMs[row]);
}

QString valueText(double v) {
    return std::isnan(v) ? QString() : QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// The first column in which batch row `r` differs from stored row `j`, or nullopt when they are equal (two
// missing values are equal).
std::optional<RowConflict> firstDifference(const TelemetryBatch& batch, std::size_t r,
                                           const DeviceSeries& stored, std::size_t j,
                                           const SensorCatalog& catalog) {
    RowConflict c;
    c.device = batch.deviceId[r];
    c.tsMs = batch.tsMs[r];
    c.sourceLine = batch.sourceLine.size() == batch.rowCount() ? batch.sourceLine[r] : 0;
    if (batch.state[r] != stored.state[j]) {
        c.column = QStringLiteral("state");
        c.stored = opStateName(stored.state[j]);
        c.incoming = opStateName(batch.state[r]);
        return c;
    }
    for (int ch = 0; ch < batch.channelCount; ++ch) {
        const double mine = batch.value(r, ch);
        const double theirs = stored.channels[static_cast<std::size_t>(ch)][j];
        if (mine == theirs || (std::isnan(mine) && std::isnan(theirs)))
            continue;
        c.column = catalog.channel(ch).name;
        c.stored = valueText(theirs);
        c.incoming = valueText(mine);
        return c;
    }
    if (batch.errorCode[r] != stored.errorCode[j]) {
        c.column = QStringLiteral("error_code");
        c.stored = QString::number(stored.errorCode[j]);
        c.incoming = QString::number(batch.errorCode[r]);
        return c;
    }
    if (batch.faultTag[r] != stored.faultTag[j]) {
        c.column = QStringLiteral("fault_tag");
        c.stored = stored.faultTag[j];
        c.incoming = batch.faultTag[r];
        return c;
    }
    return std::nullopt;
}

Status checkCatalogStorable(const SensorCatalog& catalog) {
    if (catalog.size() == 0)
        return Error::badInput(QStringLiteral("the sensor catalog has no channels"));
    QStringList seen;
    for (const auto& c : catalog.channels()) {
        if (!isValidChannelName(c.name))
            return Error::badInput(
                QStringLiteral("sensor catalog: \"%1\" is not a valid channel name").arg(c.name));
        if (kFixedTelemetryColumns.contains(c.name))
            return Error::badInput(
                QStringLiteral("sensor catalog: channel name \"%1\" is reserved for a telemetry column")
                    .arg(c.name));
        if (seen.contains(c.name))
            return Error::badInput(QStringLiteral("sensor catalog: duplicate channel \"%1\"").arg(c.name));
        seen.push_back(c.name);
    }
    return {};
}

}  // namespace

// Rolls back unless committed, so that every early return leaves the database as it was.
// One write: a transaction of its own, or a savepoint of the open stage (SqlStore::beginStage()).
class SqlStore::WriteTransaction {
public:
    explicit WriteTransaction(SqlStore& store) : store_(store), nested_(store.stageOpen_) {}
    ~WriteTransaction() {
        // A connection that was lost (or cut by PostgresStore's client deadline) is closed: the server rolls
        // back on its own.
        if (open_ && store_.db_.isOpen()) {
            QSqlQuery q(store_.db_);
            if (nested_) {
                q.exec(QStringLiteral("ROLLBACK TO SAVEPOINT itap_write"));
                q.exec(QStringLiteral("RELEASE SAVEPOINT itap_write"));
            } else {
                q.exec(QStringLiteral("ROLLBACK"));
            }
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    [[nodiscard]] Status begin() {
        const QString sql = nested_ ? QStringLiteral("SAVEPOINT itap_write") : store_.beginWriteSql();
        if (Status s = store_.execRaw(sql, QStringLiteral("starting a transaction")); !s)
            return s;
        open_ = true;
        return {};
    }
    /// Rolls back and begins again: PostgreSQL refuses every statement of a transaction after a failed one
    /// (rolling back to the savepoint makes the stage's transaction usable again).
    [[nodiscard]] Status restart() {
        if (open_ && nested_)
            return store_.execRaw(QStringLiteral("ROLLBACK TO SAVEPOINT itap_write"),
                                  QStringLiteral("rolling back"));
        if (open_) {
            if (Status s = store_.execRaw(QStringLiteral("ROLLBACK"), QStringLiteral("rolling back")); !s)
                return s;
            open_ = false;
        }
        return begin();
    }
    [[nodiscard]] Status commit() {
        Status s = store_.execRaw(
            nested_ ? QStringLiteral("RELEASE SAVEPOINT itap_write") : QStringLiteral("COMMIT"),
            QStringLiteral("committing"));
        if (s)
            open_ = false;
        return s;
    }

private:
    SqlStore& store_;
    bool nested_;
    bool open_ = false;
};

SqlStore::SqlStore(QString description, QString location, bool readOnly)
    : Store(SensorCatalog{}, std::move(description)), location_(std::move(location)), readOnly_(readOnly) {}

SqlStore::~SqlStore() {
    if (stageOpen_ && db_.isOpen()) {  // a stage neither committed nor rolled back: it never happened
        QSqlQuery q(db_);
        q.exec(QStringLiteral("ROLLBACK"));
    }
    // Statements first, then the connection object, and only then the registry entry: removeDatabase()
    // warns (and leaks the connection) while any QSqlQuery or QSqlDatabase still refers to it.
    insertStatements_.clear();
    readDevice_.reset();
    anyStored_.reset();
    const QString name = db_.connectionName();
    db_.close();
    db_ = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

SqlStore::CallScope::CallScope(SqlStore& store) : store_(store) {
    if (store_.callDepth_++ == 0)
        store_.callStarted();
}

SqlStore::CallScope::~CallScope() {
    if (--store_.callDepth_ == 0)
        store_.callFinished();
}

QString SqlStore::uniqueConnectionName(const QString& backend) {
    static std::atomic<quint64> counter{0};
    return QStringLiteral("itap-%1-%2").arg(backend).arg(counter.fetch_add(1));
}

QString SqlStore::errorText(const QSqlError& error) const {
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    return text;
}

Error SqlStore::sqlError(const QString& what, const QSqlError& error) const {
    QString text = errorText(error);
    if (text.isEmpty())
        text = QStringLiteral("unknown database error");
    lastErrorCode_ = error.nativeErrorCode();
    const QString message = what + QStringLiteral(": ") + text;
    return isBadInput(error) ? Error::badInput(message, location_) : Error::failure(message, location_);
}

Status SqlStore::execRaw(const QString& sql, const QString& what) {
    QSqlQuery q(db_);
    if (!q.exec(sql))
        return sqlError(what, q.lastError());
    return {};
}

Result<QStringList> SqlStore::selectStrings(const QString& sql, const QString& what) {
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(sql))
        return sqlError(what, q.lastError());
    QStringList out;
    while (q.next()) out.push_back(q.value(0).toString());
    if (q.lastError().isValid())
        return sqlError(what, q.lastError());
    return out;
}

Result<QSqlQuery> SqlStore::prepare(const QString& sql, const QString& what) {
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return sqlError(what, q.lastError());
    return q;
}

Status SqlStore::exec(QSqlQuery& query, const QString& what) {
    if (!query.exec())
        return sqlError(what, query.lastError());
    return {};
}

Status SqlStore::checkWritable() const {
    if (readOnly_)
        return Error::failure(QStringLiteral("the database is open read-only"), location_);
    return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Schema

Result<QStringList> SqlStore::tableNames() {
    return selectStrings(tableNamesSql(), QStringLiteral("reading the table list"));
}

Status SqlStore::initialize(const SensorCatalog* catalog) {
    const CallScope call(*this);
    // Creating or upgrading the schema happens under the write lock (SQLite: BEGIN IMMEDIATE, which waits for
    // the busy timeout) and after looking again: of two processes opening a new database at once, one creates
    // the schema and the other finds it made, instead of failing on "table schema_meta already exists".
    auto tables = tableNames();
    if (!tables)
        return tables.error();
    bool needsWrite = !tables->contains(QStringLiteral("schema_meta"));
    if (!needsWrite) {
        auto version = schemaVersion();
        needsWrite = version && *version < currentSchemaVersion();
    }
    if (!needsWrite || readOnly_)
        return initializeSchema(catalog);
    WriteTransaction tx(*this);
    if (Status s = tx.begin(); !s)
        return s;
    if (Status s = initializeSchema(catalog); !s)
        return s;
    return tx.commit();
}

Status SqlStore::initializeSchema(const SensorCatalog* catalog) {
    auto tables = tableNames();
    if (!tables)
        return tables.error();
    const bool hasSchema = tables->contains(QStringLiteral("schema_meta"));
    if (!hasSchema) {
        if (!tables->isEmpty())
            return Error::badInput(
                QStringLiteral("not an ITAP database: it holds tables (%1) but no schema_meta")
                    .arg(tables->join(u", ")),
                location_);
        if (catalog == nullptr)
            return Error::badInput(
                QStringLiteral("the database is empty; create it by ingesting data with a sensor catalog"),
                location_);
        if (Status s = checkCatalogStorable(*catalog); !s)
            return s;
        if (readOnly_)
            return Error::failure(QStringLiteral("cannot create the schema: the database is open read-only"),
                                  location_);
        if (Status s = applyMigrations(0, *catalog); !s)
            return s;
        setCatalog(*catalog);
    } else {
        auto version = schemaVersion();
        if (!version)
            return version.error();
        if (*version > currentSchemaVersion())
            return Error::badInput(
                QStringLiteral("database schema version %1 is newer than this build supports (%2)")
                    .arg(*version)
                    .arg(currentSchemaVersion()),
                location_);
        auto stored = loadCatalog();
        if (!stored)
            return stored.error();
        if (catalog != nullptr && catalog->hash() != stored->hash())
            return Error::badInput(
                QStringLiteral(
                    "the database holds sensor catalog %1 but catalog %2 was given; use the database's "
                    "catalog or a new database")
                    .arg(stored->hash(), catalog->hash()),
                location_);
        if (*version < currentSchemaVersion()) {
            if (readOnly_)
                return Error::failure(
                    QStringLiteral("schema version %1 needs an upgrade, but the database is open read-only")
                        .arg(*version),
                    location_);
            if (Status s = applyMigrations(*version, *stored); !s)
                return s;
        }
        setCatalog(std::move(stored).value());
    }
    const int columns = this->catalog().size() + kFixedTelemetryColumnCount;
    telemetryRowsPerStatement_ = std::max(1, telemetryRowsPerStatementLimit(columns));
    return {};
}

int SqlStore::telemetryRowsPerStatementLimit(int columns) const {
    return std::clamp(maxBindValues() / columns, 1, kMaxRowsPerStatement);
}

Status SqlStore::applyMigrations(int fromVersion, const SensorCatalog& catalog) {
    // The ordered list of schema steps. A new version appends a step; a step never changes once released.
    struct Migration {
        int version;
        const char* summary;
        Status (SqlStore::*apply)(const SensorCatalog&);
    };
    static const Migration kMigrations[] = {
        {1, "telemetry, channels, meta, ingest_runs, scores", &SqlStore::createSchemaV1},
        {2, "alarm journal: alarms, alarm_journal", &SqlStore::createSchemaV2},
        {3, "operating-threshold changes: threshold_changes", &SqlStore::createSchemaV3},
    };
    static_assert(std::size(kMigrations) > 0);

    for (const auto& m : kMigrations) {
        if (m.version <= fromVersion)
            continue;
        if (Status s = (this->*m.apply)(catalog); !s)
            return s;
        auto q =
            prepare(QStringLiteral("INSERT INTO schema_meta (version, applied_ms, summary) VALUES (?, ?, ?)"),
                    QStringLiteral("recording the schema version"));
        if (!q)
            return q.error();
        q->bindValue(0, m.version);
        q->bindValue(1, QDateTime::currentMSecsSinceEpoch());
        q->bindValue(2, QString::fromLatin1(m.summary));
        if (Status s = exec(*q, QStringLiteral("recording the schema version")); !s)
            return s;
    }
    return {};
}

Status SqlStore::createSchemaV1(const SensorCatalog& catalog) {
    const QString integer = integerType();
    const QString real = realType();
    QString channelColumns;
    for (const auto& c : catalog.channels())
        channelColumns += QStringLiteral("%1 %2, ").arg(
            db_.driver()->escapeIdentifier(c.name, QSqlDriver::FieldName), real);

    const QStringList ddl = {
        QStringLiteral("CREATE TABLE schema_meta (version %1 NOT NULL PRIMARY KEY, applied_ms %1 NOT NULL, "
                       "summary TEXT NOT NULL)")
            .arg(integer),
        QStringLiteral("CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE channels (position %1 NOT NULL PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
            "unit TEXT NOT NULL, family TEXT NOT NULL, min_value %2 NOT NULL, max_value %2 NOT NULL)")
            .arg(integer, real),
        QStringLiteral("CREATE TABLE telemetry (device_id TEXT NOT NULL CHECK (length(device_id) > 0), "
                       "ts %1 NOT NULL, state TEXT NOT NULL CHECK (state IN ('RUN', 'IDLE', 'MAINT')), %2"
                       "error_code %1 NOT NULL CHECK (error_code >= 0), fault_tag TEXT, "
                       "PRIMARY KEY (device_id, ts))%3")
            .arg(integer, channelColumns, keyedTableOptions()),
        QStringLiteral("CREATE TABLE ingest_runs (%1, source TEXT NOT NULL, sha256 TEXT NOT NULL, "
                       "started_ms %2 NOT NULL, duration_ms %2 NOT NULL, inserted %2 NOT NULL, "
                       "skipped_duplicates %2 NOT NULL, rejected %2 NOT NULL, "
                       "status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'cancelled')), "
                       "reject_reasons TEXT NOT NULL)")
            .arg(autoIdColumn(), integer),
        QStringLiteral(
            "CREATE TABLE scores (device_id TEXT NOT NULL, ts %1 NOT NULL, score %2 NOT NULL, "
            "train %1 NOT NULL CHECK (train IN (0, 1)), model_id TEXT NOT NULL, "
            "PRIMARY KEY (device_id, ts), FOREIGN KEY (device_id, ts) REFERENCES telemetry (device_id, ts) "
            "ON DELETE CASCADE)%3")
            .arg(integer, real, keyedTableOptions()),
    };
    for (const auto& sql : ddl)
        if (Status s = execRaw(sql, QStringLiteral("creating the schema")); !s)
            return s;

    auto q =
        prepare(QStringLiteral("INSERT INTO channels (position, name, unit, family, min_value, max_value) "
                               "VALUES (?, ?, ?, ?, ?, ?)"),
                QStringLiteral("storing the sensor catalog"));
    if (!q)
        return q.error();
    for (int i = 0; i < catalog.size(); ++i) {
        const auto& c = catalog.channel(i);
        q->bindValue(0, i);
        q->bindValue(1, c.name);
        q->bindValue(2, c.unit);
        q->bindValue(3, c.family);
        q->bindValue(4, c.min);
        q->bindValue(5, c.max);
        if (Status s = exec(*q, QStringLiteral("storing the sensor catalog")); !s)
            return s;
    }
    return upsertMeta(kMetaCatalogHash, catalog.hash());
}

Status SqlStore::createSchemaV2(const SensorCatalog&) {
    const QString integer = integerType();
    // Names are listed in the CHECKs so that a foreign writer cannot store a state this build cannot read.
    auto names = [](auto nameOf, int count) {
        QStringList out;
        for (int i = 0; i < count; ++i) out << QLatin1Char('\'') + nameOf(i) + QLatin1Char('\'');
        return out.join(u", ");
    };
    const QString states =
        names([](int i) { return alarmStateName(static_cast<AlarmState>(i)); }, kAlarmStateCount);
    const QString actions =
        names([](int i) { return alarmActionName(static_cast<AlarmAction>(i)); }, kAlarmActionCount);
    const QStringList ddl = {
        QStringLiteral(
            "CREATE TABLE alarms (id TEXT NOT NULL PRIMARY KEY CHECK (length(id) > 0), "
            "device_id TEXT NOT NULL, first_start_ms %1 NOT NULL, span_end_ms %1 NOT NULL, "
            "start_ms %1 NOT NULL, raised_ms %1 NOT NULL, end_ms %1 NOT NULL, cleared_ms %1 NOT NULL, "
            "peak_ms %1 NOT NULL, peak_score %2 NOT NULL, cause TEXT NOT NULL, rule_id TEXT NOT NULL, "
            "priority TEXT NOT NULL CHECK (priority IN ('INFO', 'WARNING', 'CRITICAL')), "
            "kind TEXT NOT NULL CHECK (kind IN ('alarm', 'event')), "
            "suppression TEXT NOT NULL CHECK (suppression IN ('', 'maintenance', 'state_transition')), "
            "active %1 NOT NULL CHECK (active IN (0, 1)), acked %1 NOT NULL CHECK (acked IN (0, 1)), "
            "shelved_until_ms %1, state TEXT NOT NULL CHECK (state IN (%3)), reopened %1 NOT NULL, "
            "verdict TEXT CHECK (verdict IN ('confirmed', 'false_alarm', 'unknown')), fault_type TEXT, "
            "created_ms %1 NOT NULL, updated_ms %1 NOT NULL)")
            .arg(integer, realType(), states),
        QStringLiteral("CREATE INDEX alarms_device ON alarms (device_id, first_start_ms)"),
        QStringLiteral(
            "CREATE TABLE alarm_journal (%1, alarm_id TEXT NOT NULL REFERENCES alarms (id), "
            "at_ms %2 NOT NULL, operator TEXT NOT NULL CHECK (length(operator) > 0), "
            "action TEXT NOT NULL CHECK (action IN (%3)), from_state TEXT CHECK (from_state IN (%4)), "
            "to_state TEXT NOT NULL CHECK (to_state IN (%4)), note TEXT NOT NULL, detail TEXT NOT NULL)")
            .arg(autoIdColumn(), integer, actions, states),
        QStringLiteral("CREATE INDEX alarm_journal_alarm ON alarm_journal (alarm_id, id)"),
    };
    for (const auto& sql : ddl)
        if (Status s = execRaw(sql, QStringLiteral("creating the alarm journal")); !s)
            return s;
    return {};
}

Status SqlStore::createSchemaV3(const SensorCatalog&) {
    const QString real = realType();
    const QStringList ddl = {
        QStringLiteral(
            "CREATE TABLE threshold_changes (%1, model_id TEXT NOT NULL CHECK (length(model_id) > 0), "
            "at_ms %2 NOT NULL, operator TEXT NOT NULL CHECK (length(operator) > 0), "
            "from_threshold %3 NOT NULL, to_threshold %3 NOT NULL, note TEXT NOT NULL)")
            .arg(autoIdColumn(), integerType(), real),
        QStringLiteral("CREATE INDEX threshold_changes_model ON threshold_changes (model_id, id)"),
    };
    for (const auto& sql : ddl)
        if (Status s = execRaw(sql, QStringLiteral("creating the threshold changes")); !s)
            return s;
    return {};
}

Result<int> SqlStore::schemaVersion() {
    const CallScope call(*this);
    QSqlQuery q(db_);
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_meta")))
        return sqlError(QStringLiteral("reading the schema version"), q.lastError());
    if (!q.next() || q.value(0).isNull())
        return Error::badInput(QStringLiteral("not an ITAP database: schema_meta records no version"),
                               location_);
    return q.value(0).toInt();
}

Result<SensorCatalog> SqlStore::loadCatalog() {
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT name, unit, family, min_value, max_value FROM channels ORDER BY position")))
        return sqlError(QStringLiteral("reading the sensor catalog"), q.lastError());
    std::vector<ChannelSpec> channels;
    while (q.next())
        channels.push_back(ChannelSpec{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                       q.value(3).toDouble(), q.value(4).toDouble()});
    if (q.lastError().isValid())
        return sqlError(QStringLiteral("reading the sensor catalog"), q.lastError());
    SensorCatalog catalog(std::move(channels));
    auto recorded = meta(kMetaCatalogHash);
    if (!recorded)
        return recorded.error();
    if (catalog.size() == 0 || *recorded != catalog.hash())
        return Error::failure(QStringLiteral("the stored sensor catalog does not match its recorded hash %1 "
                                             "(damaged database?)")
                                  .arg(*recorded),
                              location_);
    return catalog;
}

// ---------------------------------------------------------------------------------------------------------------
// Meta

Status SqlStore::upsertMeta(const QString& key, const QString& value) {
    auto q = prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?) "
                                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                     QStringLiteral("setting meta \"%1\"").arg(key));
    if (!q)
        return q.error();
    q->bindValue(0, key);
    q->bindValue(1, value);
    return exec(*q, QStringLiteral("setting meta \"%1\"").arg(key));
}

Status SqlStore::setMeta(const QString& key, const QString& value) {
    const CallScope call(*this);
    if (key.isEmpty())
        return Error::badInput(QStringLiteral("meta key must not be empty"));
    if (key == kMetaCatalogHash)
        return Error::badInput(QStringLiteral("meta key \"%1\" is reserved").arg(key), location_);
    if (Status s = checkWritable(); !s)
        return s;
    return upsertMeta(key, value);
}

Result<QString> SqlStore::meta(const QString& key) {
    const CallScope call(*this);
    auto q = prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"), QStringLiteral("reading meta"));
    if (!q)
        return q.error();
    q->bindValue(0, key);
    if (Status s = exec(*q, QStringLiteral("reading meta \"%1\"").arg(key)); !s)
        return s.error();
    QString value;
    if (q->next())
        value = q->value(0).toString();
    return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Telemetry

QString SqlStore::channelColumns() const {
    QStringList names;
    for (const auto& c : catalog().channels())
        names.push_back(db_.driver()->escapeIdentifier(c.name, QSqlDriver::FieldName));
    return names.join(u", ");
}

QString SqlStore::telemetryInsertColumns() const {
    return QStringLiteral("device_id, ts, state, %1, error_code, fault_tag").arg(channelColumns());
}

QString SqlStore::telemetryInsertSql(int rows) const {
    return QStringLiteral("INSERT INTO telemetry (%1) VALUES %2 ON CONFLICT (device_id, ts) DO NOTHING")
        .arg(telemetryInsertColumns(), placeholders(rows, catalog().size() + kFixedTelemetryColumnCount));
}

Result<QSqlQuery*> SqlStore::insertStatement(int rows) {
    for (auto& [cachedRows, query] : insertStatements_)
        if (cachedRows == rows)
            return query.get();
    auto q = prepare(telemetryInsertSql(rows), QStringLiteral("preparing the insert"));
    if (!q)
        return q.error();
    // The full-size statement stays first; tails rotate through the other slots.
    if (insertStatements_.size() >= kCachedInsertStatements)
        insertStatements_.pop_back();
    insertStatements_.emplace_back(rows, std::make_unique<QSqlQuery>(std::move(q).value()));
    return insertStatements_.back().second.get();
}

Result<qint64> SqlStore::insertTelemetryRows(const TelemetryBatch& batch, const std::size_t* rows,
                                             int count) {
    auto statement = insertStatement(count);
    if (!statement)
        return statement.error();
    QSqlQuery& q = **statement;
    const int channels = batch.channelCount;
    const QVariant nullReal(QMetaType::fromType<double>());
    const QVariant nullText(QMetaType::fromType<QString>());
    int p = 0;
    for (int i = 0; i < count; ++i) {
        const std::size_t r = rows[i];
        q.bindValue(p++, batch.deviceId[r]);
        q.bindValue(p++, batch.tsMs[r]);
        q.bindValue(p++, stateVariant(batch.state[r]));
        const double* v = batch.values.data() + r * static_cast<std::size_t>(channels);
        for (int c = 0; c < channels; ++c) q.bindValue(p++, std::isnan(v[c]) ? nullReal : QVariant(v[c]));
        q.bindValue(p++, batch.errorCode[r]);
        q.bindValue(p++, batch.faultTag[r].isEmpty() ? nullText : QVariant(batch.faultTag[r]));
    }
    if (!q.exec())
        return sqlError(QStringLiteral("storing telemetry"), q.lastError());
    return static_cast<qint64>(std::max(q.numRowsAffected(), 0));
}

Status SqlStore::beginStage() {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s;
    if (stageOpen_)
        return Error::failure(QStringLiteral("a stage is already open"), location_);
    if (Status s = execRaw(beginWriteSql(), QStringLiteral("starting the stage's transaction")); !s)
        return s;
    stageOpen_ = true;
    return {};
}

Status SqlStore::commitStage() {
    const CallScope call(*this);
    if (!stageOpen_)
        return Error::failure(QStringLiteral("no stage is open"), location_);
    Status s = execRaw(QStringLiteral("COMMIT"), QStringLiteral("committing the stage"));
    if (s)
        stageOpen_ = false;
    return s;
}

Status SqlStore::rollbackStage() {
    const CallScope call(*this);
    if (!stageOpen_)
        return Error::failure(QStringLiteral("no stage is open"), location_);
    // Whatever ROLLBACK says, the transaction is over (closing the connection ends it too).
    stageOpen_ = false;
    return execRaw(QStringLiteral("ROLLBACK"), QStringLiteral("rolling the stage back"));
}

Result<InsertCounts> SqlStore::insertRows(const TelemetryBatch& batch, ConflictPolicy policy) {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s.error();
    const int channels = catalog().size();
    const std::size_t n = batch.rowCount();
    if (batch.channelCount != channels)
        return Error::badInput(QStringLiteral("the batch has %1 channels but the database's catalog has %2")
                                   .arg(batch.channelCount)
                                   .arg(channels),
                               location_);
    if (batch.deviceId.size() != n || batch.state.size() != n || batch.errorCode.size() != n ||
        batch.faultTag.size() != n || batch.values.size() != n * static_cast<std::size_t>(channels))
        return Error::badInput(QStringLiteral("inconsistent batch: its columns have different lengths"),
                               location_);
    if (n == 0)
        return InsertCounts{};

    InsertCounts counts;
    WriteTransaction tx(*this);
    if (Status s = tx.begin(); !s)
        return s.error();
    // Rows go in key order: consecutive inserts then land on the same B-tree page instead of jumping between
    // devices (a CSV interleaves them), which halves the insert cost. The sort is stable, so of two rows with
    // the same key the first in the batch is the one stored, as when inserting in batch order.
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
        const int byDevice = batch.deviceId[a].compare(batch.deviceId[b]);
        return byDevice != 0 ? byDevice < 0 : batch.tsMs[a] < batch.tsMs[b];
    });
    auto conflicts = conflictsWithStored(batch);
    if (!conflicts)
        return conflicts.error();
    counts.conflicts.count = static_cast<qint64>(conflicts->size());
    for (const auto& c : *conflicts) {
        if (counts.conflicts.examples.size() >= ConflictTally::kMaxExamples)
            break;
        counts.conflicts.examples.push_back(c.what);
    }
    if (policy == ConflictPolicy::Fail && !conflicts->empty())
        return counts;  // the transaction rolls back unused
    for (std::size_t first = 0; first < n; first += static_cast<std::size_t>(telemetryRowsPerStatement_)) {
        const int rows = static_cast<int>(std::min<std::size_t>(telemetryRowsPerStatement_, n - first));
        auto inserted = insertTelemetryRows(batch, order_.data() + first, rows);
        if (!inserted) {
            // Bad data: find the row to blame by replaying the statement's rows one by one, in a fresh
            // transaction (the failed one may accept no more statements). It is rolled back either way, so
            // the replayed rows never persist.
            if (inserted.error().kind == Error::Kind::BadInput) {
                if (Status s = tx.restart(); !s)
                    return inserted.error();
                for (int i = 0; i < rows; ++i) {
                    auto one = insertTelemetryRows(batch, order_.data() + first + i, 1);
                    if (!one) {
                        Error e = one.error();
                        e.message = describeRow(batch, order_[first + static_cast<std::size_t>(i)]) +
                                    QStringLiteral(": ") + e.message;
                        return e;
                    }
                }
            }
            return inserted.error();
        }
        counts.inserted += *inserted;
    }
    if (policy == ConflictPolicy::Replace && !conflicts->empty()) {
        if (Status s = replaceRows(batch, *conflicts); !s)
            return s.error();
        counts.conflicts.replaced = counts.conflicts.count;
    }
    const bool labelled = std::any_of(batch.faultTag.begin(), batch.faultTag.end(),
                                      [](const QString& tag) { return !tag.isEmpty(); });
    // Inside the same transaction, so that labelled rows and the flag that says so are stored together.
    if (labelled)
        if (Status s = upsertMeta(kMetaHasLabels, QStringLiteral("1")); !s)
            return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    counts.skippedDuplicates =
        std::max<qint64>(0, static_cast<qint64>(n) - counts.inserted - counts.conflicts.count);
    return counts;
}

Result<std::vector<bool>> SqlStore::rangesWithStoredRows(const std::vector<KeyRange>& ranges) {
    if (!anyStored_) {
        auto q = prepare(
            QStringLiteral("SELECT 1 FROM telemetry WHERE device_id = ? AND ts BETWEEN ? AND ? LIMIT 1"),
            QStringLiteral("preparing the stored-row probe"));
        if (!q)
            return q.error();
        anyStored_ = std::make_unique<QSqlQuery>(std::move(q).value());
    }
    std::vector<bool> out;
    out.reserve(ranges.size());
    for (const KeyRange& range : ranges) {
        anyStored_->bindValue(0, range.device);
        anyStored_->bindValue(1, range.fromMs);
        anyStored_->bindValue(2, range.toMs);
        if (Status s =
                exec(*anyStored_, QStringLiteral("looking for stored rows of \"%1\"").arg(range.device));
            !s)
            return s.error();
        out.push_back(anyStored_->next());
        anyStored_->finish();
    }
    return out;
}

Result<std::vector<SqlStore::StoredConflict>> SqlStore::conflictsWithStored(const TelemetryBatch& batch) {
    // The batch's rows of one device are order_[first..last], in time order.
    struct Group {
        std::size_t first, last;
    };
    std::vector<Group> groups;
    std::vector<KeyRange> ranges;
    const std::size_t n = order_.size();
    for (std::size_t first = 0; first < n;) {
        const QString& device = batch.deviceId[order_[first]];
        std::size_t last = first;
        while (last + 1 < n && batch.deviceId[order_[last + 1]] == device) ++last;
        groups.push_back({first, last});
        ranges.push_back({device, batch.tsMs[order_[first]], batch.tsMs[order_[last]]});
        first = last + 1;
    }
    // New data (the common case) has nothing stored in its ranges: index probes instead of reads.
    auto stored = rangesWithStoredRows(ranges);
    if (!stored)
        return stored.error();
    std::vector<StoredConflict> out;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (!(*stored)[g])
            continue;
        DeviceSeries rows;
        rows.channels.resize(static_cast<std::size_t>(catalog().size()));
        if (Status s = readTelemetryRows(ranges[g].device, ranges[g].fromMs, ranges[g].toMs, rows); !s)
            return s.error();
        // Both sides are in time order: one merge pass.
        std::size_t j = 0;
        for (std::size_t k = groups[g].first; k <= groups[g].last && j < rows.size(); ++k) {
            const std::size_t r = order_[k];
            while (j < rows.size() && rows.tsMs[j] < batch.tsMs[r]) ++j;
            if (j < rows.size() && rows.tsMs[j] == batch.tsMs[r])
                if (auto c = firstDifference(batch, r, rows, j, catalog()))
                    out.push_back({r, std::move(*c)});
        }
    }
    return out;
}

Status SqlStore::replaceRows(const TelemetryBatch& batch, const std::vector<StoredConflict>& conflicts) {
    QStringList set = {QStringLiteral("state = ?")};
    for (const auto& c : catalog().channels())
        set << db_.driver()->escapeIdentifier(c.name, QSqlDriver::FieldName) + QStringLiteral(" = ?");
    set << QStringLiteral("error_code = ?") << QStringLiteral("fault_tag = ?");
    const QString what = QStringLiteral("replacing conflicting rows");
    auto q = prepare(
        QStringLiteral("UPDATE telemetry SET %1 WHERE device_id = ? AND ts = ?").arg(set.join(u", ")), what);
    if (!q)
        return q.error();
    const QVariant nullReal(QMetaType::fromType<double>());
    const QVariant nullText(QMetaType::fromType<QString>());
    for (const auto& c : conflicts) {
        const std::size_t r = c.row;
        int p = 0;
        q->bindValue(p++, stateVariant(batch.state[r]));
        for (int ch = 0; ch < batch.channelCount; ++ch) {
            const double v = batch.value(r, ch);
            q->bindValue(p++, std::isnan(v) ? nullReal : QVariant(v));
        }
        q->bindValue(p++, batch.errorCode[r]);
        q->bindValue(p++, batch.faultTag[r].isEmpty() ? nullText : QVariant(batch.faultTag[r]));
        q->bindValue(p++, batch.deviceId[r]);
        q->bindValue(p++, batch.tsMs[r]);
        if (Status s = exec(*q, what); !s)
            return s;
    }
    return {};
}

Result<QStringList> SqlStore::devices() {
    const CallScope call(*this);
    auto out = selectStrings(QStringLiteral("SELECT DISTINCT device_id FROM telemetry"),
                             QStringLiteral("listing devices"));
    // Sorted here rather than by ORDER BY: database collations differ (SQLite: UTF-8 bytes, PostgreSQL:
    // locale).
    if (out)
        out->sort();
    return out;
}

Result<qint64> SqlStore::rowCount() {
    const CallScope call(*this);
    QSqlQuery q(db_);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM telemetry")) || !q.next())
        return sqlError(QStringLiteral("counting rows"), q.lastError());
    return q.value(0).toLongLong();
}

QString SqlStore::telemetryReadSql() const {
    return QStringLiteral(
               "SELECT ts, %1, %2, error_code, fault_tag FROM telemetry "
               "WHERE device_id = ? AND ts >= ? AND ts <= ? ORDER BY ts")
        .arg(kStateCodeSql.arg(QStringLiteral("state")), channelColumns());
}

Result<DeviceSeries> SqlStore::readDevice(const QString& device, qint64 fromMs, qint64 toMs) {
    const CallScope call(*this);
    if (fromMs > toMs)
        return Error::badInput(
            QStringLiteral("empty time range: from %1 is after to %2").arg(fromMs).arg(toMs));
    DeviceSeries series;
    series.deviceId = device;
    series.channels.resize(static_cast<std::size_t>(catalog().size()));
    if (Status s = readTelemetryRows(device, fromMs, toMs, series); !s)
        return s.error();
    return series;
}

Status SqlStore::readTelemetryRows(const QString& device, qint64 fromMs, qint64 toMs, DeviceSeries& out) {
    if (!readDevice_) {
        auto q = prepare(telemetryReadSql(), QStringLiteral("preparing the device read"));
        if (!q)
            return q.error();
        readDevice_ = std::make_unique<QSqlQuery>(std::move(q).value());
    }
    QSqlQuery& q = *readDevice_;
    q.bindValue(0, device);
    q.bindValue(1, fromMs);
    q.bindValue(2, toMs);
    const QString what = QStringLiteral("reading device \"%1\"").arg(device);
    if (Status s = exec(q, what); !s)
        return s;
    const int channels = catalog().size();
    const int errorColumn = 2 + channels;
    while (q.next()) {
        out.tsMs.push_back(q.value(0).toLongLong());
        out.state.push_back(opStateFromCode(q.value(1).toLongLong()));
        for (int c = 0; c < channels; ++c) {
            const QVariant v = q.value(2 + c);
            out.channels[static_cast<std::size_t>(c)].push_back(v.isNull() ? kMissing : v.toDouble());
        }
        out.errorCode.push_back(q.value(errorColumn).toInt());
        const QVariant tag = q.value(errorColumn + 1);
        out.faultTag.push_back(tag.isNull() ? QString() : tag.toString());
    }
    const QSqlError error = q.lastError();
    // Releases the read snapshot: a finished statement must not pin an old WAL state until the next read.
    q.finish();
    if (error.isValid())
        return sqlError(what, error);
    return {};
}

Result<bool> SqlStore::hasLabels() {
    const CallScope call(*this);
    auto flag = meta(kMetaHasLabels);
    if (!flag)
        return flag.error();
    if (*flag == QLatin1String("1"))
        return true;
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT 1 FROM telemetry WHERE fault_tag IS NOT NULL AND fault_tag <> '' LIMIT 1")))
        return sqlError(QStringLiteral("looking for labels"), q.lastError());
    return q.next();
}

// ---------------------------------------------------------------------------------------------------------------
// Ingest runs

Result<qint64> SqlStore::recordIngestRun(const IngestRunRecord& run) {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s.error();
    static const QStringList kStatuses = {QStringLiteral("ok"), QStringLiteral("failed"),
                                          QStringLiteral("cancelled")};
    if (!kStatuses.contains(run.status))
        return Error::badInput(
            QStringLiteral("ingest run status must be ok, failed or cancelled, not \"%1\"").arg(run.status));
    QString reasons = run.rejectReasonsJson.trimmed();
    if (reasons.isEmpty())
        reasons = QStringLiteral("{}");
    auto parsed = parseJson(reasons.toUtf8(), QStringLiteral("reject reasons"));
    if (!parsed)
        return parsed.error();
    if (!parsed->is_object())
        return Error::badInput(QStringLiteral("ingest run reject reasons must be a JSON object"));

    const QString what = QStringLiteral("recording the ingest run");
    auto q =
        prepare(QStringLiteral("INSERT INTO ingest_runs (source, sha256, started_ms, duration_ms, inserted, "
                               "skipped_duplicates, rejected, status, reject_reasons) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
                what);
    if (!q)
        return q.error();
    q->bindValue(0, run.source);
    q->bindValue(1, run.sha256);
    q->bindValue(2, run.startedMs);
    q->bindValue(3, run.durationMs);
    q->bindValue(4, run.inserted);
    q->bindValue(5, run.skippedDuplicates);
    q->bindValue(6, run.rejected);
    q->bindValue(7, run.status);
    q->bindValue(8, reasons);
    if (Status s = exec(*q, what); !s)
        return s.error();
    if (!q->next())
        return sqlError(what, q->lastError());
    const qint64 id = q->value(0).toLongLong();
    // In autocommit mode the insert commits when the statement is reset, not when its row has been read.
    q->finish();
    return id;
}

Result<std::vector<IngestRunRecord>> SqlStore::ingestRuns() {
    const CallScope call(*this);
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT id, source, sha256, started_ms, duration_ms, inserted, skipped_duplicates, "
            "rejected, status, reject_reasons FROM ingest_runs ORDER BY id")))
        return sqlError(QStringLiteral("reading ingest runs"), q.lastError());
    std::vector<IngestRunRecord> out;
    while (q.next()) {
        IngestRunRecord r;
        r.id = q.value(0).toLongLong();
        r.source = q.value(1).toString();
        r.sha256 = q.value(2).toString();
        r.startedMs = q.value(3).toLongLong();
        r.durationMs = q.value(4).toLongLong();
        r.inserted = q.value(5).toLongLong();
        r.skippedDuplicates = q.value(6).toLongLong();
        r.rejected = q.value(7).toLongLong();
        r.status = q.value(8).toString();
        r.rejectReasonsJson = q.value(9).toString();
        out.push_back(std::move(r));
    }
    if (q.lastError().isValid())
        return sqlError(QStringLiteral("reading ingest runs"), q.lastError());
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Scores

QString SqlStore::scoreInsertSql(int rows) const {
    return QStringLiteral("INSERT INTO scores (device_id, ts, score, train, model_id) VALUES %1")
        .arg(placeholders(rows, 5));
}

Status SqlStore::insertScoreRows(const QString& modelId, const ScoreTable& scores,
                                 std::optional<QSqlQuery>& full, std::optional<QSqlQuery>& tail) {
    const int perStatement = std::clamp(maxBindValues() / 5, 1, kMaxRowsPerStatement);
    const std::size_t n = scores.size();
    for (std::size_t first = 0; first < n; first += static_cast<std::size_t>(perStatement)) {
        const int rows = static_cast<int>(std::min<std::size_t>(perStatement, n - first));
        QSqlQuery* q = nullptr;
        if (rows == perStatement) {
            if (!full) {
                auto prepared = prepare(scoreInsertSql(rows), QStringLiteral("preparing the score insert"));
                if (!prepared)
                    return prepared.error();
                full.emplace(std::move(prepared).value());
            }
            q = &*full;
        } else {
            auto prepared = prepare(scoreInsertSql(rows), QStringLiteral("preparing the score insert"));
            if (!prepared)
                return prepared.error();
            tail.emplace(std::move(prepared).value());
            q = &*tail;
        }
        int p = 0;
        for (std::size_t r = first; r < first + static_cast<std::size_t>(rows); ++r) {
            q->bindValue(p++, scores.devices[scores.device[r]]);
            q->bindValue(p++, scores.tsMs[r]);
            q->bindValue(p++, static_cast<double>(scores.score[r]));
            q->bindValue(p++, scores.train[r] != 0 ? 1 : 0);
            q->bindValue(p++, modelId);
        }
        if (!q->exec())
            return sqlError(QStringLiteral("storing score rows %1-%2").arg(first + 1).arg(first + rows),
                            q->lastError());
    }
    return {};
}

Status SqlStore::replaceScores(const ScoreTable& scores) {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s;
    const QString& modelId = scores.modelId;
    if (modelId.isEmpty())
        return Error::badInput(QStringLiteral("scores need a model id"));
    const std::size_t n = scores.size();
    if (scores.device.size() != n || scores.tsMs.size() != n || scores.train.size() != n)
        return Error::badInput(
            QStringLiteral("inconsistent score table: its columns have different lengths"));
    for (std::size_t r = 0; r < n; ++r) {
        if (scores.device[r] < 0 || scores.device[r] >= scores.devices.size())
            return Error::badInput(
                QStringLiteral("score row %1 has no device (index %2)").arg(r).arg(scores.device[r]));
        if (!std::isfinite(scores.score[r]))
            return Error::badInput(QStringLiteral("score row %1 is not a finite number").arg(r));
    }
    // Declared before the transaction so that they outlive its rollback: QPSQL deallocates a prepared
    // statement when its query dies, which a PostgreSQL transaction that has failed refuses.
    std::optional<QSqlQuery> full, tail;
    WriteTransaction tx(*this);
    if (Status s = tx.begin(); !s)
        return s;
    if (Status s = execRaw(QStringLiteral("DELETE FROM scores"), QStringLiteral("clearing scores")); !s)
        return s;
    if (Status s = insertScoreRows(modelId, scores, full, tail); !s)
        return s;
    return tx.commit();
}

Result<ScoreTable> SqlStore::readScores() {
    const CallScope call(*this);
    const QString what = QStringLiteral("reading scores");
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT s.device_id, s.ts, s.score, s.train, %1, t.fault_tag FROM scores s "
                               "JOIN telemetry t ON t.device_id = s.device_id AND t.ts = s.ts "
                               "ORDER BY s.device_id, s.ts")
                    .arg(kStateCodeSql.arg(QStringLiteral("t.state")))))
        return sqlError(what, q.lastError());
    ScoreTable read;
    std::vector<std::size_t> deviceStart;  // first row of each device, in database order
    while (q.next()) {
        const QString device = q.value(0).toString();
        if (read.devices.isEmpty() || read.devices.back() != device) {
            read.devices.push_back(device);
            deviceStart.push_back(read.size());
        }
        read.device.push_back(static_cast<int>(read.devices.size() - 1));
        read.tsMs.push_back(q.value(1).toLongLong());
        read.score.push_back(static_cast<float>(q.value(2).toDouble()));
        read.train.push_back(q.value(3).toInt() != 0 ? 1 : 0);
        read.state.push_back(opStateFromCode(q.value(4).toLongLong()));
        const QVariant tag = q.value(5);
        read.faultTag.push_back(tag.isNull() ? QString() : tag.toString());
    }
    if (q.lastError().isValid())
        return sqlError(what, q.lastError());
    q.finish();
    auto labels = hasLabels();
    if (!labels)
        return labels.error();
    read.hasLabels = *labels;
    auto modelId = scoresModelId();
    if (!modelId)
        return modelId.error();
    read.modelId = *modelId;

    // Devices in QString order like devices(); the database's collation may order them differently.
    std::vector<int> order(static_cast<std::size_t>(read.devices.size()));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return read.devices[a] < read.devices[b]; });
    if (std::is_sorted(order.begin(), order.end()))
        return read;
    deviceStart.push_back(read.size());
    ScoreTable sorted;
    sorted.hasLabels = read.hasLabels;
    sorted.modelId = read.modelId;
    for (int d : order) {
        const int index = static_cast<int>(sorted.devices.size());
        sorted.devices.push_back(read.devices[d]);
        for (std::size_t r = deviceStart[static_cast<std::size_t>(d)];
             r < deviceStart[static_cast<std::size_t>(d) + 1]; ++r) {
            sorted.device.push_back(index);
            sorted.tsMs.push_back(read.tsMs[r]);
            sorted.state.push_back(read.state[r]);
            sorted.score.push_back(read.score[r]);
            sorted.faultTag.push_back(read.faultTag[r]);
            sorted.train.push_back(read.train[r]);
        }
    }
    return sorted;
}

Result<QString> SqlStore::scoresModelId() {
    const CallScope call(*this);
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT model_id FROM scores LIMIT 1")))
        return sqlError(QStringLiteral("reading the score model id"), q.lastError());
    QString id;
    if (q.next())
        id = q.value(0).toString();
    return id;
}

// ---------------------------------------------------------------------------------------------------------------
// Alarm journal

namespace {

const QString kAlarmColumns = QStringLiteral(
    "id, device_id, first_start_ms, span_end_ms, start_ms, raised_ms, end_ms, cleared_ms, peak_ms, "
    "peak_score, "
    "cause, rule_id, priority, kind, suppression, active, acked, shelved_until_ms, state, reopened, verdict, "
    "fault_type, created_ms, updated_ms");
constexpr int kAlarmColumnCount = 24;

// A NOT NULL text column's value: QtSql binds a null QString as NULL, an empty one as ''.
QVariant notNullText(const QString& s) {
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
}

Suppression suppressionFromName(const QString& name) {
    if (name == QLatin1String("maintenance"))
        return Suppression::Maintenance;
    if (name == QLatin1String("state_transition"))
        return Suppression::StateTransition;
    return Suppression::None;
}

}  // namespace

Status SqlStore::lockJournal() {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s;
    if (!stageOpen_)
        return Error::failure(QStringLiteral("the journal lock needs an open stage"), location_);
    const QString sql = lockJournalSql();
    return sql.isEmpty() ? Status{} : execRaw(sql, QStringLiteral("locking the alarm journal"));
}

Result<std::vector<AlarmRecord>> SqlStore::readAlarms(const AlarmSelection& selection) {
    const CallScope call(*this);
    const QString what = QStringLiteral("reading alarms");
    QStringList where;
    if (!selection.ids.isEmpty())
        where
            << QStringLiteral("id IN (%1)").arg(placeholders(1, int(selection.ids.size())).mid(1).chopped(1));
    if (!selection.devices.isEmpty())
        where << QStringLiteral("device_id IN (%1)")
                     .arg(placeholders(1, int(selection.devices.size())).mid(1).chopped(1));
    QString sql = QStringLiteral("SELECT %1 FROM alarms").arg(kAlarmColumns);
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" OR "));
    auto q = prepare(sql, what);
    if (!q)
        return q.error();
    int p = 0;
    for (const auto& id : selection.ids) q->bindValue(p++, id);
    for (const auto& d : selection.devices) q->bindValue(p++, d);
    if (Status s = exec(*q, what); !s)
        return s.error();
    std::vector<AlarmRecord> out;
    while (q->next()) {
        AlarmRecord a;
        int c = 0;
        a.id = q->value(c++).toString();
        a.device = q->value(c++).toString();
        a.firstStartMs = q->value(c++).toLongLong();
        a.spanEndMs = q->value(c++).toLongLong();
        a.startMs = q->value(c++).toLongLong();
        a.raisedMs = q->value(c++).toLongLong();
        a.endMs = q->value(c++).toLongLong();
        a.clearedMs = q->value(c++).toLongLong();
        a.peakMs = q->value(c++).toLongLong();
        a.peakScore = q->value(c++).toDouble();
        a.cause = q->value(c++).toString();
        a.ruleId = q->value(c++).toString();
        a.priority = parseSeverity(q->value(c++).toString()).value_or(Severity::Info);
        a.status.kind =
            q->value(c++).toString() == QLatin1String("event") ? IncidentKind::Event : IncidentKind::Alarm;
        a.status.suppression = suppressionFromName(q->value(c++).toString());
        a.status.active = q->value(c++).toInt() != 0;
        a.status.acked = q->value(c++).toInt() != 0;
        const QVariant shelved = q->value(c++);
        a.status.shelvedUntilMs = shelved.isNull() ? -1 : shelved.toLongLong();
        ++c;  // state: derived from the columns above
        a.reopened = q->value(c++).toInt();
        const QVariant verdict = q->value(c++);
        a.verdict =
            verdict.isNull() ? Verdict::None : parseVerdict(verdict.toString()).value_or(Verdict::None);
        a.faultType = q->value(c++).toString();
        a.createdMs = q->value(c++).toLongLong();
        a.updatedMs = q->value(c++).toLongLong();
        Q_ASSERT(c == kAlarmColumnCount);
        out.push_back(std::move(a));
    }
    if (q->lastError().isValid())
        return sqlError(what, q->lastError());
    q->finish();
    // Ordered here: database collations differ (see devices()).
    std::sort(out.begin(), out.end(), [](const AlarmRecord& a, const AlarmRecord& b) {
        if (a.firstStartMs != b.firstStartMs)
            return a.firstStartMs < b.firstStartMs;
        if (a.device != b.device)
            return a.device < b.device;
        return a.id < b.id;
    });
    return out;
}

Status SqlStore::writeAlarm(const AlarmRecord& a) {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s;
    if (a.id.isEmpty())
        return Error::badInput(QStringLiteral("an alarm needs an id"));
    const QString what = QStringLiteral("storing alarm \"%1\"").arg(a.id);
    QStringList updates;
    for (const auto& column : kAlarmColumns.split(QStringLiteral(", ")).mid(1))
        if (column != QLatin1String("created_ms"))
            updates << column + QStringLiteral(" = excluded.") + column;
    auto q = prepare(QStringLiteral("INSERT INTO alarms (%1) VALUES %2 ON CONFLICT (id) DO UPDATE SET %3")
                         .arg(kAlarmColumns, placeholders(1, kAlarmColumnCount), updates.join(u", ")),
                     what);
    if (!q)
        return q.error();
    const QVariant nullInteger(QMetaType::fromType<qint64>());
    const QVariant nullText(QMetaType::fromType<QString>());
    int p = 0;
    q->bindValue(p++, notNullText(a.id));
    q->bindValue(p++, notNullText(a.device));
    q->bindValue(p++, a.firstStartMs);
    q->bindValue(p++, a.spanEndMs);
    q->bindValue(p++, a.startMs);
    q->bindValue(p++, a.raisedMs);
    q->bindValue(p++, a.endMs);
    q->bindValue(p++, a.clearedMs);
    q->bindValue(p++, a.peakMs);
    q->bindValue(p++, a.peakScore);
    q->bindValue(p++, notNullText(a.cause));
    q->bindValue(p++, notNullText(a.ruleId));
    q->bindValue(p++, severityName(a.priority));
    q->bindValue(p++, incidentKindName(a.status.kind));
    q->bindValue(p++, notNullText(suppressionName(a.status.suppression)));
    q->bindValue(p++, a.status.active ? 1 : 0);
    q->bindValue(p++, a.status.acked ? 1 : 0);
    q->bindValue(p++, a.status.shelved() ? QVariant(a.status.shelvedUntilMs) : nullInteger);
    q->bindValue(p++, alarmStateName(a.state()));
    q->bindValue(p++, a.reopened);
    q->bindValue(p++, a.verdict == Verdict::None ? nullText : QVariant(verdictName(a.verdict)));
    q->bindValue(p++, a.faultType.isEmpty() ? nullText : QVariant(a.faultType));
    q->bindValue(p++, a.createdMs);
    q->bindValue(p++, a.updatedMs);
    WriteTransaction tx(*this);
    if (Status s = tx.begin(); !s)
        return s;
    if (Status s = exec(*q, what); !s)
        return s;
    return tx.commit();
}

Result<qint64> SqlStore::appendJournal(const JournalEntry& e) {
    const CallScope call(*this);
    if (Status s = checkWritable(); !s)
        return s.error();
    if (e.operatorName.isEmpty())
        return Error::badInput(QStringLiteral("a journal row needs an operator"));
    auto detail = parseJson(e.detailJson.toUtf8(), QStringLiteral("journal detail"));
    if (!detail)
        return detail.error();
    if (!detail->is_object())
        return Error::badInput(QStringLiteral("a journal row's detail must be a JSON object"));
    const QString what = QStringLiteral("appending to the alarm journal of \"%1\"").arg(e.alarmId);
    auto q =
        prepare(QStringLiteral("INSERT INTO alarm_journal (alarm_id, at_ms, operator, action, from_state, "
                               "to_state, note, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
                what);
    if (!q)
        return q.error();
    q->bindValue(0, notNullText(e.alarmId));
    q->bindValue(1, e.atMs);
    q->bindValue(2, notNullText(e.operatorName));
    q->bindValue(3, alarmActionName(e.action));
    q->bindValue(
        4, e.fromState ? QVariant(alarmStateName(*e.fromState)) : QVariant(QMetaType::fromType<QString>()));
    q->bindValue(5, alarmStateName(e.toState));
    q->bindValue(6, notNullText(e.note));
    q->bindValue(7, notNullText(e.detailJson));
    WriteTransaction tx(*this);
    if (Status s = tx.begin(); !s)
        return s.error();
    if (Status s = exec(*q, what); !s)
        return s.error();
    if (!q->next())
        return sqlError(what, q->lastError());
    const qint64 id = q->value(0).toLongLong();
    q->finish();
    if (Status s = tx.commit(); !s)
        return s.error();
    return id;
}

Result<std::vector<JournalEntry>> SqlStore::readJournal(const QString& alarmId) {
    const CallScope call(*this);
    const QString what = QStringLiteral("reading the alarm journal");
    QString sql = QStringLiteral(
        "SELECT id, alarm_id, at_ms, operator, action, from_state, to_state, note, detail FROM "
        "alarm_journal");
    if (!alarmId.isEmpty())
        sql += QStringLiteral(" WHERE alarm_id = ?");
    sql += QStringLiteral(" ORDER BY id");
    auto q = prepare(sql, what);
    if (!q)
        return q.error();
    if (!alarmId.isEmpty())
        q->bindValue(0, alarmId);
    if (Status s = exec(*q, what); !s)
        return s.error();
    std::vector<JournalEntry> out;
    while (q->next()) {
        JournalEntry e;
        e.id = q->value(0).toLongLong();
        e.alarmId = q->value(1).toString();
        e.atMs = q->value(2).toLongLong();
        e.operatorName = q->value(3).toString();
        e.action = parseAlarmAction(q->value(4).toString()).value_or(AlarmAction::Note);
        const QVariant from = q->value(5);
        if (!from.isNull())
            e.fromState = parseAlarmState(from.toString());
        e.toState = parseAlarmState(q->value(6).toString()).value_or(AlarmState::Closed);
        e.note = q->value(7).toString();
        e.detailJson = q->value(8).toString();
        out.push_back(std::move(e));
    }
    if (q->lastError().isValid())
        return sqlError(what, q->lastError());
    q->finish();
    return out;
}

Result<qint64> SqlStore::latestJournalId() {
    const CallScope call(*this);  // under the client-side deadline, as every store call
    QSqlQuery q(db_);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM alarm_journal")) || !q.next())
        return sqlError(QStringLiteral("reading the newest alarm journal row"), q.lastError());
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    return id;
}

Result<qint64> SqlStore::appendThresholdChange(const ThresholdChange& c) {
    const CallScope call(*this);  // under the client-side deadline, as every store call
    if (Status s = checkWritable(); !s)
        return s.error();
    if (c.modelId.isEmpty() || c.operatorName.isEmpty())
        return Error::badInput(QStringLiteral("a threshold change needs a model id and an operator"));
    const QString what = QStringLiteral("recording the threshold change of model %1").arg(c.modelId);
    auto q =
        prepare(QStringLiteral("INSERT INTO threshold_changes (model_id, at_ms, operator, from_threshold, "
                               "to_threshold, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"),
                what);
    if (!q)
        return q.error();
    q->bindValue(0, c.modelId);
    q->bindValue(1, c.atMs);
    q->bindValue(2, c.operatorName);
    q->bindValue(3, c.fromThreshold);
    q->bindValue(4, c.toThreshold);
    q->bindValue(5, notNullText(c.note));
    WriteTransaction tx(*this);
    if (Status s = tx.begin(); !s)
        return s.error();
    if (Status s = exec(*q, what); !s)
        return s.error();
    if (!q->next())
        return sqlError(what, q->lastError());
    const qint64 id = q->value(0).toLongLong();
    q->finish();
    if (Status s = tx.commit(); !s)
        return s.error();
    return id;
}

Result<std::vector<ThresholdChange>> SqlStore::readThresholdChanges(const QString& modelId) {
    const CallScope call(*this);  // under the client-side deadline, as every store call
    const QString what = QStringLiteral("reading the threshold changes");
    QString sql = QStringLiteral(
        "SELECT id, model_id, at_ms, operator, from_threshold, to_threshold, note FROM threshold_changes");
    if (!modelId.isEmpty())
        sql += QStringLiteral(" WHERE model_id = ?");
    sql += QStringLiteral(" ORDER BY id");
    auto q = prepare(sql, what);
    if (!q)
        return q.error();
    if (!modelId.isEmpty())
        q->bindValue(0, modelId);
    if (Status s = exec(*q, what); !s)
        return s.error();
    std::vector<ThresholdChange> out;
    while (q->next()) {
        ThresholdChange c;
        c.id = q->value(0).toLongLong();
        c.modelId = q->value(1).toString();
        c.atMs = q->value(2).toLongLong();
        c.operatorName = q->value(3).toString();
        c.fromThreshold = q->value(4).toDouble();
        c.toThreshold = q->value(5).toDouble();
        c.note = q->value(6).toString();
        out.push_back(std::move(c));
    }
    if (q->lastError().isValid())
        return sqlError(what, q->lastError());
    q->finish();
    return out;
}

}  // namespace itap
