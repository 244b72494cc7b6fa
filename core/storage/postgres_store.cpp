#include "storage/postgres_store.h"

#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <dlfcn.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace itap {
namespace {

// PostgreSQL's protocol carries at most 65535 parameters per statement.
constexpr int kPostgresMaxParameters = 65535;

// The URL parts that are not libpq parameters of their own: they override the URL's authority and path, as
// in libpq's own URI parser.
const QString kHostKey = QStringLiteral("host");
const QString kPortKey = QStringLiteral("port");
const QString kUserKey = QStringLiteral("user");
const QString kPasswordKey = QStringLiteral("password");
const QString kDatabaseKey = QStringLiteral("dbname");
// ITAP's own parameter: sent as SET statement_timeout after connecting, never to libpq (which would refuse
// it as an unknown connection option).
const QString kStatementTimeoutKey = QStringLiteral("statement_timeout");
// ITAP's own parameter, kept from libpq too: the client-side deadline (ConnectionSpec::clientTimeoutMs).
const QString kClientTimeoutKey = QStringLiteral("client_timeout");

// libpq's PQsocket(), looked up in the libpq that the QPSQL driver loaded: ITAP then neither builds nor
// installs against libpq for the one call. Null when that libpq is not loaded.
using PQsocketFn = int (*)(const void* conn);
PQsocketFn pqSocket() {
    static const PQsocketFn fn = [] {
        void* lib = ::dlopen("libpq.so.5", RTLD_LAZY | RTLD_NOLOAD);
        return lib ? reinterpret_cast<PQsocketFn>(::dlsym(lib, "PQsocket")) : nullptr;
    }();
    return fn;
}

// libpq conninfo quoting: 'value' with \ and ' escaped.
QString conninfoQuote(QString value) {
    value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    value.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

// Appends `text` as an element of a PostgreSQL array literal: double-quoted, \ and " escaped; NULL for a
// null QString (the Store's convention for a missing text).
void appendArrayText(QString& out, const QString& text, bool null) {
    if (null) {
        out += QLatin1String("NULL");
        return;
    }
    out += QLatin1Char('"');
    // Copied in runs between the characters to escape (usually one run: the whole text).
    const QStringView view(text);
    qsizetype from = 0;
    for (qsizetype i = 0; i < view.size(); ++i) {
        if (view[i] == QLatin1Char('"') || view[i] == QLatin1Char('\\')) {
            out += view.sliced(from, i - from);
            out += QLatin1Char('\\');
            from = i;
        }
    }
    out += view.sliced(from);
    out += QLatin1Char('"');
}

// Shortest text that reads back as the same double (float8in parses it with strtod).
void appendArrayDouble(QString& out, double v) {
    if (std::isnan(v)) {
        out += QLatin1String("NULL");
    } else if (std::isinf(v)) {
        out += v > 0 ? QLatin1String("Infinity") : QLatin1String("-Infinity");
    } else {
        char buf[32];
        const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
        out += QLatin1String(buf, static_cast<qsizetype>(end - buf));
    }
}

// Room reserved per row in each array literal: a double's shortest text and a comma, most device ids.
constexpr qsizetype kArrayCharsPerRow = 24;

bool isRetryable(const QString& sqlState) {
    // serialization_failure, deadlock_detected
    return sqlState == QLatin1String("40001") || sqlState == QLatin1String("40P01");
}

}  // namespace

PostgresStore::PostgresStore(const QString& description, QString password)
    : SqlStore(description, description, /*readOnly=*/false), password_(std::move(password)) {}

PostgresStore::~PostgresStore() {
    // Before SqlStore closes the connection the statements run on.
    arrayInsert_.reset();
    arrayProbe_.reset();
    watchdog_.reset();
}

void PostgresStore::callStarted() {
    if (watchdog_)
        watchdog_->enter();
}

void PostgresStore::callFinished() {
    if (watchdog_)
        watchdog_->leave();
}

Status PostgresStore::watchConnection(qint64 timeoutMs) {
    const QVariant handle = database().driver()->handle();
    int fd = -1;
    // QPSQL hands out libpq's PGconn*, registered under its struct's name.
    const bool pgconn = handle.isValid() && (qstrcmp(handle.typeName(), "pg_conn*") == 0 ||
                                             qstrcmp(handle.typeName(), "PGconn*") == 0);
    if (pgconn && pqSocket())
        if (void* conn = *static_cast<void* const*>(handle.constData()))
            fd = pqSocket()(conn);
    auto watchdog = std::make_unique<ConnectionWatchdog>(fd, timeoutMs);
    if (watchdog->fd() < 0)
        return Error::failure(
            QStringLiteral("cannot watch the connection for the client_timeout (no socket from "
                           "libpq); add client_timeout=0 to the URL to go without"),
            location());
    watchdog_ = std::move(watchdog);
    return {};
}

Result<std::vector<bool>> PostgresStore::rangesWithStoredRows(const std::vector<KeyRange>& ranges) {
    if (!arrayProbe_) {
        QSqlQuery q(database());
        q.setForwardOnly(true);
        if (!q.prepare(QStringLiteral(
                "SELECT k.i FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[])) "
                "WITH ORDINALITY AS k(d, lo, hi, i) WHERE EXISTS (SELECT 1 FROM telemetry t "
                "WHERE t.device_id = k.d AND t.ts BETWEEN k.lo AND k.hi)")))
            return sqlError(QStringLiteral("preparing the stored-row probe"), q.lastError());
        arrayProbe_ = std::make_unique<QSqlQuery>(std::move(q));
    }
    QString devices = QStringLiteral("{"), from = QStringLiteral("{"), to = QStringLiteral("{");
    char buf[24];
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (i > 0) {
            devices += QLatin1Char(',');
            from += QLatin1Char(',');
            to += QLatin1Char(',');
        }
        appendArrayText(devices, ranges[i].device, false);
        from += QLatin1String(buf, std::to_chars(buf, buf + sizeof buf, ranges[i].fromMs).ptr - buf);
        to += QLatin1String(buf, std::to_chars(buf, buf + sizeof buf, ranges[i].toMs).ptr - buf);
    }
    QSqlQuery& q = *arrayProbe_;
    q.bindValue(0, devices + QLatin1Char('}'));
    q.bindValue(1, from + QLatin1Char('}'));
    q.bindValue(2, to + QLatin1Char('}'));
    if (!q.exec())
        return sqlError(QStringLiteral("looking for stored rows"), q.lastError());
    std::vector<bool> out(ranges.size(), false);
    while (q.next()) {
        const qint64 ordinal = q.value(0).toLongLong();  // 1-based
        if (ordinal >= 1 && ordinal <= qint64(ranges.size()))
            out[std::size_t(ordinal - 1)] = true;
    }
    q.finish();
    return out;
}

int PostgresStore::telemetryRowsPerStatementLimit(int /*columns*/) const {
    return kRowsPerInsert;
}

Result<qint64> PostgresStore::insertTelemetryRows(const TelemetryBatch& batch, const std::size_t* rows,
                                                  int count) {
    const int channels = batch.channelCount;
    const int columnCount = channels + 5;
    if (!arrayInsert_) {
        // Same columns and conflict rule as telemetryInsertSql(); unnest() yields the arrays' rows in order,
        // so of two rows with one key the first is stored, as with VALUES.
        QString arrays = QStringLiteral("CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[])");
        for (int c = 0; c < channels; ++c) arrays += QStringLiteral(", CAST(? AS double precision[])");
        arrays += QStringLiteral(", CAST(? AS bigint[]), CAST(? AS text[])");
        QSqlQuery q(database());
        q.setForwardOnly(true);
        if (!q.prepare(QStringLiteral("INSERT INTO telemetry (%1) SELECT * FROM unnest(%2) "
                                      "ON CONFLICT (device_id, ts) DO NOTHING")
                           .arg(telemetryInsertColumns(), arrays)))
            return sqlError(QStringLiteral("preparing the insert"), q.lastError());
        arrayInsert_ = std::make_unique<QSqlQuery>(std::move(q));
    }
    // One array literal per column. Built afresh for every call: the query keeps the previous call's strings
    // bound, so reusing them would copy them anyway.
    std::vector<QString> columns(static_cast<std::size_t>(columnCount));
    for (QString& c : columns) {
        c.reserve(static_cast<qsizetype>(count) * kArrayCharsPerRow);
        c += QLatin1Char('{');
    }
    static const QLatin1String kStateNames[kOpStateCount] = {QLatin1String("RUN"), QLatin1String("IDLE"),
                                                             QLatin1String("MAINT")};
    QString* const col = columns.data();
    const std::size_t chan0 = 3, error = 3 + static_cast<std::size_t>(channels), tag = error + 1;
    char buf[24];
    for (int i = 0; i < count; ++i) {
        const std::size_t r = rows[i];
        if (i > 0)
            for (int c = 0; c < columnCount; ++c) col[c] += QLatin1Char(',');
        appendArrayText(col[0], batch.deviceId[r], batch.deviceId[r].isNull());
        col[1] += QLatin1String(buf, std::to_chars(buf, buf + sizeof buf, batch.tsMs[r]).ptr - buf);
        col[2] += kStateNames[static_cast<int>(batch.state[r])];
        const double* v = batch.values.data() + r * static_cast<std::size_t>(channels);
        for (int c = 0; c < channels; ++c) appendArrayDouble(col[chan0 + static_cast<std::size_t>(c)], v[c]);
        col[error] += QLatin1String(buf, std::to_chars(buf, buf + sizeof buf, batch.errorCode[r]).ptr - buf);
        // An empty fault tag means "normal" and is stored as NULL.
        appendArrayText(col[tag], batch.faultTag[r], batch.faultTag[r].isEmpty());
    }
    QSqlQuery& q = *arrayInsert_;
    for (int c = 0; c < columnCount; ++c) {
        col[c] += QLatin1Char('}');
        q.bindValue(c, col[c]);
    }
    if (!q.exec())
        return sqlError(QStringLiteral("storing telemetry"), q.lastError());
    return static_cast<qint64>(std::max(q.numRowsAffected(), 0));
}

bool PostgresStore::isPostgresUrl(const QString& spec) {
    const QString s = spec.trimmed();
    return s.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
           s.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

QString PostgresStore::withoutPassword(const QString& url) {
    QUrl redacted(url.trimmed());
    redacted.setPassword(QString());
    QUrlQuery query(redacted);
    if (query.hasQueryItem(kPasswordKey)) {
        query.removeAllQueryItems(kPasswordKey);
        redacted.setQuery(query);
    }
    return redacted.toString();
}

Result<PostgresStore::ConnectionSpec> PostgresStore::parseUrl(const QString& spec) {
    const QString text = spec.trimmed();
    if (!isPostgresUrl(text))
        return Error::badInput(QStringLiteral("not a PostgreSQL URL (postgresql://user@host:port/dbname)"));
    const QUrl url(text, QUrl::StrictMode);
    // A malformed URL's text may hold a password, so the message shows only the expected form.
    if (!url.isValid())
        return Error::badInput(QStringLiteral(
            "malformed PostgreSQL URL; expected postgresql://user[:password]@host[:port]/dbname"));

    ConnectionSpec c;
    c.host = url.host(QUrl::FullyDecoded);
    c.port = url.port(-1);
    c.user = url.userName(QUrl::FullyDecoded);
    c.password = url.password(QUrl::FullyDecoded);
    c.database = url.path(QUrl::FullyDecoded);
    if (c.database.startsWith(QLatin1Char('/')))
        c.database.remove(0, 1);

    QStringList given;  // the libpq parameters the URL sets
    std::optional<qint64> clientTimeoutMs;
    static const QRegularExpression kKey(QStringLiteral("^[a-z_]+$"));
    for (const auto& [key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (!kKey.match(key).hasMatch())
            return Error::badInput(
                QStringLiteral("PostgreSQL URL: \"%1\" is not a connection parameter name").arg(key));
        if (key == kPasswordKey) {
            c.password = value;
            continue;
        }
        // QPSQL joins its options with ';' into libpq's conninfo, so a ';' cannot be passed through.
        if (value.contains(QLatin1Char(';')))
            return Error::badInput(
                QStringLiteral("PostgreSQL URL: the value of parameter \"%1\" may not contain ';'").arg(key));
        if (key == kHostKey) {
            c.host = value;
        } else if (key == kPortKey) {
            bool ok = false;
            c.port = value.toInt(&ok);
            if (!ok || c.port <= 0 || c.port > 65535)
                return Error::badInput(QStringLiteral("PostgreSQL URL: invalid port \"%1\"").arg(value));
        } else if (key == kUserKey) {
            c.user = value;
        } else if (key == kDatabaseKey) {
            c.database = value;
        } else if (key == kStatementTimeoutKey) {
            bool ok = false;
            c.statementTimeoutMs = value.toLongLong(&ok);
            if (!ok || c.statementTimeoutMs < 0 || c.statementTimeoutMs > std::numeric_limits<int>::max())
                return Error::badInput(
                    QStringLiteral(
                        "PostgreSQL URL: statement_timeout \"%1\" is not a number of milliseconds in "
                        "0..%2 (0 = none)")
                        .arg(value)
                        .arg(std::numeric_limits<int>::max()));
        } else if (key == kClientTimeoutKey) {
            bool ok = false;
            clientTimeoutMs = value.toLongLong(&ok);
            if (!ok || *clientTimeoutMs < 0 || *clientTimeoutMs > std::numeric_limits<int>::max())
                return Error::badInput(QStringLiteral("PostgreSQL URL: client_timeout \"%1\" is not a number "
                                                      "of milliseconds in 0..%2 (0 = none)")
                                           .arg(value)
                                           .arg(std::numeric_limits<int>::max()));
        } else {
            given << key;
            c.options << key + QLatin1Char('=') + conninfoQuote(value);
        }
    }
    c.clientTimeoutMs =
        clientTimeoutMs.value_or(c.statementTimeoutMs > 0 ? c.statementTimeoutMs + kDefaultClientGraceMs : 0);
    if (c.database.isEmpty())
        return Error::badInput(
            QStringLiteral("PostgreSQL URL names no database; expected postgresql://user@host:port/dbname"));
    const std::pair<const char*, int> defaults[] = {
        {"connect_timeout", kDefaultConnectTimeoutS},  {"keepalives", 1},
        {"keepalives_idle", kDefaultKeepalivesIdleS},  {"keepalives_interval", kDefaultKeepalivesIntervalS},
        {"keepalives_count", kDefaultKeepalivesCount}, {"tcp_user_timeout", kDefaultTcpUserTimeoutMs},
    };
    for (const auto& [key, value] : defaults)
        if (!given.contains(QLatin1String(key)))
            c.options << QStringLiteral("%1=%2").arg(QLatin1String(key)).arg(value);

    // The URL to show: rebuilt from its parts, so that neither the password nor a password parameter
    // survives, and in one form whatever the spelling (unlike withoutPassword(), it drops the options).
    const bool socketDir = c.host.startsWith(QLatin1Char('/'));
    c.display = QStringLiteral("postgresql://");
    if (!c.user.isEmpty())
        c.display += QString::fromUtf8(QUrl::toPercentEncoding(c.user)) + QLatin1Char('@');
    if (!socketDir)
        c.display +=
            c.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + c.host + QLatin1Char(']') : c.host;
    if (c.port >= 0)
        c.display += QLatin1Char(':') + QString::number(c.port);
    c.display += QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(c.database));
    if (socketDir)
        c.display += QStringLiteral("?host=") + c.host;
    return c;
}

Result<std::unique_ptr<Store>> PostgresStore::open(const QString& url, const SensorCatalog* catalog) {
    auto parsed = parseUrl(url);
    if (!parsed)
        return parsed.error();
    const ConnectionSpec& c = *parsed;

    std::unique_ptr<PostgresStore> store(new PostgresStore(c.display, c.password));
    QSqlDatabase& db = store->database();
    db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), uniqueConnectionName(QStringLiteral("pg")));
    if (!db.isValid())
        return Error::failure(
            QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not available; install libqt6sql6-psql"),
            c.display);
    db.setHostName(c.host);
    db.setPort(c.port);
    db.setUserName(c.user);
    // Left empty, libpq looks in PGPASSWORD, then in PGPASSFILE or ~/.pgpass (QPSQL passes no empty
    // password).
    db.setPassword(c.password);
    db.setDatabaseName(c.database);
    db.setConnectOptions(c.options.join(QLatin1Char(';')));
    if (!db.open()) {
        // Server unreachable, authentication failed, no such database: the environment, not the data.
        const QSqlError e = db.lastError();
        return Error::failure(QStringLiteral("cannot connect: ") + store->scrub(store->errorText(e)),
                              c.display);
    }
    if (c.clientTimeoutMs > 0)
        if (Status s = store->watchConnection(c.clientTimeoutMs); !s)
            return s.error();
    const CallScope call(*store);
    // Notices (e.g. "relation already exists, skipping") are not errors; keep them out of the server log
    // traffic and the client.
    if (Status s = store->execRaw(QStringLiteral("SET client_min_messages = warning"),
                                  QStringLiteral("configuring the session"));
        !s)
        return s.error();
    if (Status s = store->execRaw(QStringLiteral("SET statement_timeout = %1").arg(c.statementTimeoutMs),
                                  QStringLiteral("configuring the session"));
        !s)
        return s.error();
    if (Status s = store->initializeLocked(catalog); !s)
        return s.error();
    return std::unique_ptr<Store>(std::move(store));
}

Status PostgresStore::initializeLocked(const SensorCatalog* catalog) {
    // Session-level lock: initialize() reads the table list and then migrates in its own transactions, and
    // all of it must be one step for another process opening the same database at the same moment.
    const QString lockWhat = QStringLiteral("locking the schema");
    {
        QSqlQuery q(database());
        if (!q.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kSchemaLockKey)))
            return sqlError(lockWhat, q.lastError());
    }
    const Status result = initialize(catalog);
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kSchemaLockKey)) && result)
        return sqlError(QStringLiteral("unlocking the schema"), q.lastError());
    return result;
}

Result<InsertCounts> PostgresStore::insertRows(const TelemetryBatch& batch, ConflictPolicy policy) {
    // Rows go in key order (see SqlStore::insertBatch), so two writers lock shared keys in the same order and
    // cannot deadlock on telemetry; the retry covers what that argument does not (a server under
    // SERIALIZABLE default isolation, a deadlock through foreign keys or meta).
    for (int attempt = 1;; ++attempt) {
        clearLastErrorCode();  // a failure that is not a database error must not look retryable
        auto counts = SqlStore::insertRows(batch, policy);
        if (counts || attempt >= kMaxBatchAttempts || !isRetryable(lastErrorCode()))
            return counts;
        QThread::msleep(static_cast<unsigned long>(10 * attempt));
    }
}

int PostgresStore::maxBindValues() const {
    return kPostgresMaxParameters;
}

QString PostgresStore::tableNamesSql() const {
    return QStringLiteral(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename");
}

bool PostgresStore::isBadInput(const QSqlError& error) const {
    // SQLSTATE classes 22 (data exception: invalid text, out of range) and 23 (integrity constraint
    // violation): the rows are wrong, not the server.
    const QString state = error.nativeErrorCode();
    return state.startsWith(QLatin1String("22")) || state.startsWith(QLatin1String("23"));
}

QString PostgresStore::errorText(const QSqlError& error) const {
    // The watchdog closed the socket: libpq's "server closed the connection unexpectedly" would blame the
    // server for what the client did.
    if (watchdog_ && watchdog_->fired())
        return QStringLiteral(
                   "no answer from the server for %1 s (client_timeout=%2 ms); the connection was closed, "
                   "and "
                   "the server rolls back what was not committed")
            .arg(double(watchdog_->timeoutMs()) / 1000.0, 0, 'g', 3)
            .arg(watchdog_->timeoutMs());
    // QPSQL gives libpq's multi-line message ("ERROR:  ...\nDETAIL:  ...\n") with "(SQLSTATE)" appended;
    // messages are one line.
    QString text = error.databaseText();
    const QString state = error.nativeErrorCode();
    if (!state.isEmpty() && text.trimmed().endsWith(QLatin1Char('(') + state + QLatin1Char(')')))
        text = text.trimmed().chopped(state.size() + 2);
    text = text.simplified();
    for (const char* prefix : {"ERROR: ", "FATAL: "})
        if (text.startsWith(QLatin1String(prefix)))
            text.remove(0, static_cast<int>(qstrlen(prefix)));
    if (text.isEmpty())
        text = error.driverText().simplified();
    if (!state.isEmpty())
        text += QStringLiteral(" [SQLSTATE %1]").arg(state);
    return scrub(text);
}

QString PostgresStore::scrub(QString text) const {
    // Very short passwords are not scrubbed: blanking every "a" would garble the message, and libpq never
    // quotes a password back anyway.
    if (password_.size() >= 4)
        text.replace(password_, QStringLiteral("***"));
    return text;
}

}  // namespace itap
