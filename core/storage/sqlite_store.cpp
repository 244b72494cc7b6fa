#include "storage/sqlite_store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QStringEncoder>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>

#ifdef ITAP_SQLITE_NATIVE
#include <sqlite3.h>
#endif

namespace itap {
namespace {

// SQLite primary result codes (sqlite3.h); QSQLITE reports them as QSqlError::nativeErrorCode().
constexpr int kSqliteBusy = 5;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteNotADatabase = 26;

// SQLITE_MAX_VARIABLE_NUMBER of SQLite >= 3.32 (Debian 12 ships 3.40).
constexpr int kSqliteMaxVariables = 32766;

}  // namespace

SqliteStore::SqliteStore(QString description, QString location, bool readOnly)
    : SqlStore(std::move(description), std::move(location), readOnly) {}

SqliteStore::~SqliteStore() {
#ifdef ITAP_SQLITE_NATIVE
    // Before SqlStore closes the connection: sqlite3_close() refuses while statements are unfinalized.
    for (auto& [rows, statement] : nativeInserts_) sqlite3_finalize(statement);
    sqlite3_finalize(nativeRead_);
#endif
}

void SqliteStore::attachNativeHandle() {
#ifdef ITAP_SQLITE_NATIVE
    if (qEnvironmentVariableIsSet(kQtSqlOnlyVariable))
        return;
    const QVariant handle = database().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return;
    // The handle is only usable by the same SQLite library that created it. A QSQLITE built with its bundled
    // SQLite reports a different version than the system library linked here; then stay on QtSql.
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("SELECT sqlite_version()")) || !q.next())
        return;
    if (q.value(0).toString() != QString::fromLatin1(sqlite3_libversion()))
        return;
    native_ = *static_cast<sqlite3* const*>(handle.constData());
#endif
}

QSqlError SqliteStore::nativeError(int code) const {
#ifdef ITAP_SQLITE_NATIVE
    return QSqlError(QStringLiteral("SQLite"), QString::fromUtf8(sqlite3_errmsg(native_)),
                     QSqlError::StatementError, QString::number(code));
#else
    return QSqlError(QStringLiteral("SQLite"), QStringLiteral("native access not built"),
                     QSqlError::UnknownError, QString::number(code));
#endif
}

Result<sqlite3_stmt*> SqliteStore::nativePrepare(const QString& sql, const QString& what) {
#ifdef ITAP_SQLITE_NATIVE
    const QByteArray text = sql.toUtf8();
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(native_, text.constData(), static_cast<int>(text.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(statement);
        return sqlError(what, nativeError(rc));
    }
    return statement;
#else
    return sqlError(what, nativeError(0));
#endif
}

Result<sqlite3_stmt*> SqliteStore::nativeInsertStatement(int rows) {
    for (auto& [cachedRows, statement] : nativeInserts_)
        if (cachedRows == rows)
            return statement;
    auto statement = nativePrepare(telemetryInsertSql(rows), QStringLiteral("preparing the insert"));
    if (!statement)
        return statement.error();
#ifdef ITAP_SQLITE_NATIVE
    // The full-size statement stays first; tail sizes (one per batch size in use) share the other slots.
    if (nativeInserts_.size() >= 4) {
        sqlite3_finalize(nativeInserts_.back().second);
        nativeInserts_.pop_back();
    }
#endif
    nativeInserts_.emplace_back(rows, *statement);
    return *statement;
}

Result<qint64> SqliteStore::insertTelemetryRows(const TelemetryBatch& batch, const std::size_t* rows,
                                                int count) {
#ifdef ITAP_SQLITE_NATIVE
    if (native_ == nullptr)
        return SqlStore::insertTelemetryRows(batch, rows, count);
    auto prepared = nativeInsertStatement(count);
    if (!prepared)
        return prepared.error();
    sqlite3_stmt* st = *prepared;
    static constexpr const char* kStateNames[kOpStateCount] = {"RUN", "IDLE", "MAINT"};
    // Texts go in as UTF-8 from one buffer, filled before anything is bound (so it never moves under a bound
    // pointer): binding UTF-16 would make SQLite allocate a converted copy of every value.
    qsizetype capacity = 0;
    for (int i = 0; i < count; ++i)
        capacity += 3 * (batch.deviceId[rows[i]].size() + batch.faultTag[rows[i]].size());
    utf8_.resize(capacity);
    textOffsets_.clear();
    QStringEncoder encoder(QStringEncoder::Utf8);
    char* const base = utf8_.data();
    char* out = base;
    for (int i = 0; i < count; ++i) {
        textOffsets_.push_back(out - base);
        out = encoder.appendToBuffer(out, batch.deviceId[rows[i]]);
        textOffsets_.push_back(out - base);
        out = encoder.appendToBuffer(out, batch.faultTag[rows[i]]);
    }
    textOffsets_.push_back(out - base);
    const auto bindText = [&](int p, std::size_t text, bool null) {
        if (null)
            return sqlite3_bind_null(st, p);
        return sqlite3_bind_text(st, p, utf8_.constData() + textOffsets_[text],
                                 static_cast<int>(textOffsets_[text + 1] - textOffsets_[text]),
                                 SQLITE_STATIC);
    };
    const int channels = batch.channelCount;
    int rc = SQLITE_OK;
    int p = 1;
    for (int i = 0; i < count; ++i) {
        const std::size_t r = rows[i];
        const std::size_t text = 2 * static_cast<std::size_t>(i);
        // A null QString binds NULL as in QtSql; an empty fault tag means "normal" and is stored as NULL.
        rc |= bindText(p++, text, batch.deviceId[r].isNull());
        rc |= sqlite3_bind_int64(st, p++, batch.tsMs[r]);
        rc |= sqlite3_bind_text(st, p++, kStateNames[static_cast<int>(batch.state[r])], -1, SQLITE_STATIC);
        const double* v = batch.values.data() + r * static_cast<std::size_t>(channels);
        for (int c = 0; c < channels; ++c)
            rc |= std::isnan(v[c]) ? sqlite3_bind_null(st, p++) : sqlite3_bind_double(st, p++, v[c]);
        rc |= sqlite3_bind_int(st, p++, batch.errorCode[r]);
        rc |= bindText(p++, text + 1, batch.faultTag[r].isEmpty());
    }
    const QString what = QStringLiteral("storing telemetry");
    if (rc != SQLITE_OK) {  // SQLITE_OK is 0: any failed bind leaves a non-zero code
        sqlite3_clear_bindings(st);
        return sqlError(what, nativeError(sqlite3_errcode(native_)));
    }
    rc = sqlite3_step(st);
    const qint64 inserted = sqlite3_changes(native_);
    sqlite3_reset(st);
    // Drops the pointers into `batch` now rather than leaving them dangling in a cached statement.
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return sqlError(what, nativeError(rc));
    return inserted;
#else
    return SqlStore::insertTelemetryRows(batch, rows, count);
#endif
}

Status SqliteStore::insertScoreRows(const QString& modelId, const ScoreTable& scores,
                                    std::optional<QSqlQuery>& full, std::optional<QSqlQuery>& tail) {
#ifdef ITAP_SQLITE_NATIVE
    if (native_ == nullptr)
        return SqlStore::insertScoreRows(modelId, scores, full, tail);
    // One row per step of a one-row statement: the model id is bound once and the device only when it
    // changes (a score table is grouped by device), so a row costs two numbers and a flag. Measured on 864k
    // rows: ~4x faster than QtSql's 256-row statements with every value bound as a QVariant.
    auto prepared = nativePrepare(scoreInsertSql(1), QStringLiteral("preparing the score insert"));
    if (!prepared)
        return prepared.error();
    sqlite3_stmt* st = *prepared;
    const auto finalize = qScopeGuard([st] { sqlite3_finalize(st); });
    const QByteArray model = modelId.toUtf8();
    std::vector<QByteArray> devices;
    devices.reserve(static_cast<std::size_t>(scores.devices.size()));
    for (const QString& d : scores.devices) devices.push_back(d.toUtf8());
    const QString what = QStringLiteral("storing scores");
    int rc = sqlite3_bind_text(st, 5, model.constData(), static_cast<int>(model.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK)
        return sqlError(what, nativeError(rc));
    int boundDevice = -1;
    const std::size_t n = scores.size();
    for (std::size_t r = 0; r < n; ++r) {
        if (scores.device[r] != boundDevice) {
            boundDevice = scores.device[r];
            const QByteArray& d = devices[static_cast<std::size_t>(boundDevice)];
            rc = sqlite3_bind_text(st, 1, d.constData(), static_cast<int>(d.size()), SQLITE_STATIC);
        } else {
            rc = SQLITE_OK;
        }
        rc |= sqlite3_bind_int64(st, 2, scores.tsMs[r]);
        rc |= sqlite3_bind_double(st, 3, static_cast<double>(scores.score[r]));
        rc |= sqlite3_bind_int(st, 4, scores.train[r] != 0 ? 1 : 0);
        if (rc != SQLITE_OK)
            return sqlError(what, nativeError(sqlite3_errcode(native_)));
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return sqlError(QStringLiteral("storing score row %1").arg(r + 1), nativeError(rc));
    }
    return {};
#else
    return SqlStore::insertScoreRows(modelId, scores, full, tail);
#endif
}

Status SqliteStore::readTelemetryRows(const QString& device, qint64 fromMs, qint64 toMs, DeviceSeries& out) {
#ifdef ITAP_SQLITE_NATIVE
    if (native_ == nullptr)
        return SqlStore::readTelemetryRows(device, fromMs, toMs, out);
    const QString what = QStringLiteral("reading device \"%1\"").arg(device);
    if (nativeRead_ == nullptr) {
        auto prepared = nativePrepare(telemetryReadSql(), QStringLiteral("preparing the device read"));
        if (!prepared)
            return prepared.error();
        nativeRead_ = *prepared;
    }
    sqlite3_stmt* st = nativeRead_;
    int rc = device.isNull() ? sqlite3_bind_null(st, 1)
                             : sqlite3_bind_text16(st, 1, device.utf16(), static_cast<int>(device.size() * 2),
                                                   SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, 2, fromMs);
    rc |= sqlite3_bind_int64(st, 3, toMs);
    if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(st);
        return sqlError(what, nativeError(sqlite3_errcode(native_)));
    }
    const int channels = static_cast<int>(out.channels.size());
    const int errorColumn = 2 + channels;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out.tsMs.push_back(sqlite3_column_int64(st, 0));
        const int state = sqlite3_column_int(st, 1);
        out.state.push_back(state == 1 ? OpState::Idle : state == 2 ? OpState::Maint : OpState::Run);
        for (int c = 0; c < channels; ++c)
            out.channels[static_cast<std::size_t>(c)].push_back(
                sqlite3_column_type(st, 2 + c) == SQLITE_NULL ? kMissing : sqlite3_column_double(st, 2 + c));
        out.errorCode.push_back(sqlite3_column_int(st, errorColumn));
        if (sqlite3_column_type(st, errorColumn + 1) == SQLITE_NULL) {
            out.faultTag.emplace_back();
        } else {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, errorColumn + 1));
            out.faultTag.push_back(QString::fromUtf8(text, sqlite3_column_bytes(st, errorColumn + 1)));
        }
    }
    // Reset at once: a statement left mid-read would pin its WAL snapshot until the next call.
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return sqlError(what, nativeError(rc));
    return {};
#else
    return SqlStore::readTelemetryRows(device, fromMs, toMs, out);
#endif
}

QString SqliteStore::keyedTableOptions() const {
    // Rows are clustered by (device_id, ts): a device read is one range scan instead of one table lookup per
    // row. Measured on 864k rows of 50 time-interleaved devices: reads ~5x faster than a rowid table with a
    // UNIQUE (device_id, ts) index, inserts ~15 % slower.
    return QStringLiteral(" WITHOUT ROWID");
}

int SqliteStore::maxBindValues() const {
    return kSqliteMaxVariables;
}

QString SqliteStore::tableNamesSql() const {
    return QStringLiteral(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
}

bool SqliteStore::isBadInput(const QSqlError& error) const {
    bool ok = false;
    const int code =
        error.nativeErrorCode().toInt(&ok) & 0xff;  // extended codes keep the primary in the low byte
    return ok && (code == kSqliteConstraint || code == kSqliteNotADatabase);
}

Status SqliteStore::configure() {
    // journal_mode is the first statement that reads the file header, so a file that is not a database fails
    // here.
    if (!isReadOnly()) {
        // Only takes effect on a new file, and must precede WAL. Measured on 864k rows (50 devices, 5
        // channels): 16 KiB pages insert ~15 % and read ~45 % faster than the default 4 KiB (fewer page
        // writes and splits).
        if (Status s = execRaw(QStringLiteral("PRAGMA page_size = 16384"), QStringLiteral("opening")); !s)
            return s;
        // Switching a new file to WAL needs it to itself, and SQLite does not wait for that through the busy
        // timeout: another process opening the same new file at that moment makes it "database is locked".
        QString mode;
        QElapsedTimer waited;
        waited.start();
        for (;;) {
            QSqlQuery q(database());
            if (q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) && q.next()) {
                mode = q.value(0).toString();
                break;
            }
            bool ok = false;
            const int code = q.lastError().nativeErrorCode().toInt(&ok) & 0xff;
            if (!ok || code != kSqliteBusy || waited.elapsed() > kBusyTimeoutMs)
                return sqlError(QStringLiteral("opening"), q.lastError());
            QThread::msleep(10);
        }
        if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return Error::failure(QStringLiteral("cannot switch to WAL journal mode (got \"%1\")").arg(mode),
                                  location());
        // WAL makes NORMAL durable against application crashes; only an OS crash may lose the last commits.
        if (Status s = execRaw(QStringLiteral("PRAGMA synchronous = NORMAL"), QStringLiteral("opening")); !s)
            return s;
    }
    const QStringList pragmas = {
        QStringLiteral("PRAGMA foreign_keys = ON"),
        QStringLiteral("PRAGMA busy_timeout = %1").arg(kBusyTimeoutMs),
        QStringLiteral("PRAGMA temp_store = MEMORY"),
        // 64 MiB page cache: inserts into a large (device_id, ts) B-tree stay in memory between batches.
        QStringLiteral("PRAGMA cache_size = -65536"),
    };
    for (const auto& p : pragmas)
        if (Status s = execRaw(p, QStringLiteral("opening")); !s)
            return s;
    return {};
}

Result<std::unique_ptr<Store>> SqliteStore::open(const QString& spec, const SensorCatalog* catalog) {
    QString target = spec;
    if (target.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive))
        target = target.mid(7);
    if (target.isEmpty())
        return Error::badInput(QStringLiteral("no database file given"));
    if (target == QLatin1String(":memory:"))
        return Error::badInput(
            QStringLiteral(
                "in-memory databases are not supported (the store must outlive the command); give a "
                "file path"),
            target);

    // A "file:" URI goes to SQLite unchanged (mode=ro, immutable=1, ...); its path is checked like a plain
    // path.
    const bool uri = target.startsWith(QLatin1String("file:"), Qt::CaseInsensitive);
    QString path = target;
    bool readOnly = false;
    if (uri) {
        const QUrl url(target);
        path = url.path();
        if (!url.isValid() || path.isEmpty())
            return Error::badInput(QStringLiteral("not a valid SQLite file: URI"), target);
        const QString mode = QUrlQuery(url).queryItemValue(QStringLiteral("mode"));
        readOnly = mode == QLatin1String("ro");
        if (mode == QLatin1String("memory"))
            return Error::badInput(QStringLiteral("in-memory databases are not supported"), target);
    }
    const QFileInfo info(path);
    path = info.absoluteFilePath();
    const QFileInfo dir(info.absolutePath());
    if (!dir.exists())
        return Error::badInput(
            QStringLiteral("the directory %1 does not exist").arg(QDir::toNativeSeparators(dir.filePath())),
            path);
    if (info.isDir())
        return Error::badInput(QStringLiteral("is a directory, not a database file"), path);
    if (!info.exists()) {
        if (catalog == nullptr)
            return Error::badInput(
                QStringLiteral("the database does not exist (ingest data first, which creates it)"), path);
        if (readOnly)
            return Error::badInput(QStringLiteral("the database does not exist"), path);
        if (!dir.isWritable())
            return Error::failure(QStringLiteral("cannot create the database: the directory is not writable"),
                                  path);
    } else if (!info.isWritable()) {
        // SQLite would silently fall back to read-only anyway; say so up front and fail writes with a clear
        // error.
        readOnly = true;
    }

    std::unique_ptr<SqliteStore> store(new SqliteStore(QStringLiteral("sqlite:") + path, path, readOnly));
    QSqlDatabase& db = store->database();
    db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), uniqueConnectionName(QStringLiteral("sqlite")));
    if (!db.isValid())
        return Error::failure(QStringLiteral("the Qt SQLite driver (QSQLITE) is not available"), path);
    db.setDatabaseName(uri ? target : path);
    QStringList options = {QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs)};
    if (uri)
        options << QStringLiteral("QSQLITE_OPEN_URI");
    if (readOnly)
        options << QStringLiteral("QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options.join(QLatin1Char(';')));
    // A WAL database whose directory nobody may write to (a read-only mount or medium) cannot be opened at
    // all: SQLite must create its -shm index beside it. Say so rather than only "unable to open database
    // file".
    const auto explain = [&](Error e) {
        if (readOnly && !uri && !dir.isWritable())
            e.message += QStringLiteral(
                             " (the database and its directory are read-only, so SQLite cannot create "
                             "the -wal/-shm files it needs beside it; to read it anyway, open "
                             "file:%1?mode=ro&immutable=1)")
                             .arg(path);
        return e;
    };
    if (!db.open())
        return explain(store->sqlError(QStringLiteral("cannot open"), db.lastError()));
    if (Status s = store->configure(); !s)
        return explain(s.error());
    store->attachNativeHandle();
    if (Status s = store->initialize(catalog); !s)
        return s.error();
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace itap
