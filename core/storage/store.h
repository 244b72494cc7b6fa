#pragma once

#include "alerts/alarm_record.h"
#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "storage/row_conflict.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace itap {

/// What one insertBatch() did: every row of the batch is inserted, a duplicate of a stored row or a conflict.
struct InsertCounts {
    qint64 inserted = 0;
    qint64 skippedDuplicates = 0;  ///< (device_id, ts) stored with the same values, or repeated in the batch
    ConflictTally conflicts;       ///< (device_id, ts) stored with other values
};

/// One row of `ingest_runs`: which file was ingested, when, and what became of its rows.
struct IngestRunRecord {
    qint64 id = 0;  ///< assigned by recordIngestRun(); ignored on input
    QString source;
    QString sha256;
    qint64 startedMs = 0;  ///< UTC epoch milliseconds
    qint64 durationMs = 0;
    qint64 inserted = 0, skippedDuplicates = 0, rejected = 0;
    QString status;             ///< "ok" | "failed" | "cancelled"
    QString rejectReasonsJson;  ///< JSON object reason → count, e.g. {"range": 3}; empty means {}
};

/// Which alarms Store::readAlarms() returns: every alarm when both lists are empty, else those whose id is in
/// `ids` or whose device is in `devices`.
struct AlarmSelection {
    QStringList ids;
    QStringList devices;
};

/// The telemetry database: telemetry rows, the sensor catalog they were stored with, ingest runs, scores and
/// the alarm journal.
///
/// Nothing outside core/storage/ sees past this interface: the SQL dialect (SqliteStore for a file,
/// PostgresStore for a server) is chosen by open() from the spec. Every write is one transaction, so a failed
/// or interrupted call leaves the database exactly as it was before the call.
///
/// Threading: a Store is used from one thread at a time. QtSql binds a connection to the thread that opened
/// it, so open the Store on the thread that uses it (opening is cheap: open one per worker task); two Stores
/// on the same file are safe, SQLite serialises their writes (WAL, busy timeout); on PostgreSQL any number of
/// processes may read and write one database at once.
class Store {
public:
    /// Meta keys with a meaning to the application (see setMeta()).
    static inline const QString kMetaHasLabels =
        QStringLiteral("has_labels");  ///< "1": ingested with fault_tag
    static inline const QString kMetaCatalogHash =
        QStringLiteral("catalog_hash");  ///< reserved, set at creation

    /// Opens (and creates or migrates) a database.
    ///
    /// `spec` is a file path, optionally prefixed "sqlite:", or a SQLite "file:" URI (e.g.
    /// "file:/x.db?mode=ro" opens read-only), or a `postgresql://user[:password]@host[:port]/dbname` URL
    /// (also `postgres://`; see PostgresStore::parseUrl()), whose database must exist on the server. With
    /// `catalog` null the database must hold the schema and its stored catalog is used;
    /// otherwise a new database stores `catalog`, and an existing one must hold the same catalog (else
    /// BadInput naming both hashes).
    [[nodiscard]] static Result<std::unique_ptr<Store>> open(const QString& spec,
                                                             const SensorCatalog* catalog);

    /// True when `spec` names a database server (a postgresql:// or postgres:// URL) rather than a file.
    [[nodiscard]] static bool isServerUrl(const QString& spec);
    /// The database file `spec` names (a path, "sqlite:<path>" or a "file:" URI's path); empty for a server
    /// URL. For telling whether an output would land on the database.
    [[nodiscard]] static QString filePathOf(const QString& spec);
    /// `spec` safe to show or remember: a server URL without its password, a file path unchanged.
    [[nodiscard]] static QString withoutPassword(const QString& spec);

    virtual ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// The catalog the telemetry table was created with; channel i is column i of every batch and series.
    [[nodiscard]] const SensorCatalog& catalog() const { return catalog_; }
    /// Backend and location for messages, e.g. "sqlite:/data/plant.db".
    [[nodiscard]] QString description() const { return description_; }
    /// Schema version this build creates and understands.
    [[nodiscard]] static int currentSchemaVersion();
    /// Schema version recorded in the database.
    [[nodiscard]] virtual Result<int> schemaVersion() = 0;

    /// A stage: every write from beginStage() to commitStage() becomes durable together, and rollbackStage()
    /// (or closing the store first, or a crash) leaves the database as it was at beginStage(). Writes inside
    /// keep their own all-or-nothing behaviour (each becomes a savepoint). The console runs each ingest or
    /// import stage inside one, so Cancel leaves the database as it was before the stage. One at a time.
    [[nodiscard]] virtual Status beginStage() = 0;
    [[nodiscard]] virtual Status commitStage() = 0;
    [[nodiscard]] virtual Status rollbackStage() = 0;

    /// Stores the rows of `batch` that are not stored yet, in ONE transaction: all or nothing. A row whose
    /// (device_id, ts) is stored with the same values is a skipped duplicate; with other values it is a
    /// conflict, which `policy` keeps, replaces, or (Fail) turns into storing nothing of the batch: the
    /// counts then say inserted 0 and list the conflicts. `batch.channelCount` must equal catalog().size().
    [[nodiscard]] Result<InsertCounts> insertBatch(const TelemetryBatch& batch,
                                                   ConflictPolicy policy = ConflictPolicy::Keep) {
        return insertRows(batch, policy);
    }

    /// Appends an ingest run and returns its id.
    [[nodiscard]] virtual Result<qint64> recordIngestRun(const IngestRunRecord& run) = 0;
    /// All ingest runs, oldest first.
    [[nodiscard]] virtual Result<std::vector<IngestRunRecord>> ingestRuns() = 0;

    /// Distinct device ids of the stored telemetry, sorted (QString order).
    [[nodiscard]] virtual Result<QStringList> devices() = 0;
    /// Number of stored telemetry rows.
    [[nodiscard]] virtual Result<qint64> rowCount() = 0;
    /// The rows of one device with fromMs <= ts <= toMs, time-ordered, columnar; empty for an unknown device.
    [[nodiscard]] virtual Result<DeviceSeries> readDevice(
        const QString& device, qint64 fromMs = std::numeric_limits<qint64>::min(),
        qint64 toMs = std::numeric_limits<qint64>::max()) = 0;
    /// True when any stored row has a non-empty fault tag, or data was ingested with a fault_tag column
    /// (meta kMetaHasLabels = "1"): all-normal labelled data is still labelled.
    [[nodiscard]] virtual Result<bool> hasLabels() = 0;

    /// Sets an application meta value (upsert). kMetaCatalogHash is reserved.
    [[nodiscard]] virtual Status setMeta(const QString& key, const QString& value) = 0;
    /// A meta value; empty when the key was never set.
    [[nodiscard]] virtual Result<QString> meta(const QString& key) = 0;

    /// True when the database was opened read-only (a `mode=ro` URI, a file without write permission): reads
    /// work, every write fails with a clear error. Commands that only read check it to skip their writes.
    [[nodiscard]] virtual bool isReadOnly() const = 0;

    /// Replaces all stored scores by `scores` (device, tsMs, score, train and modelId are used; modelId must
    /// not be empty) in one transaction. Every scored (device, ts) must be a stored telemetry row.
    [[nodiscard]] virtual Status replaceScores(const ScoreTable& scores) = 0;
    /// The stored scores, grouped by device (sorted) and time-ordered, with state and fault tag joined from
    /// the telemetry rows, hasLabels from hasLabels() and modelId from scoresModelId().
    [[nodiscard]] virtual Result<ScoreTable> readScores() = 0;
    /// Model id of the stored scores; empty when there are none.
    [[nodiscard]] virtual Result<QString> scoresModelId() = 0;

    // ---- The alarm journal (schema version 2): `alarms`, one row per alarm, and the append-only
    // `alarm_journal`. core/alarms/alarm_journal.h decides what is written; these calls only store it. A
    // change of the journal is one stage: beginStage(), lockJournal(), reads, writes, commitStage().

    /// Within an open stage: takes the journal's write lock, so that journal writers serialise and each
    /// reads what the previous one committed (SQLite: the stage's write lock already does; PostgreSQL: a
    /// table lock on `alarms` that readers do not wait for).
    [[nodiscard]] virtual Status lockJournal() = 0;
    /// The selected alarms, by first start, then device, then id.
    [[nodiscard]] virtual Result<std::vector<AlarmRecord>> readAlarms(const AlarmSelection& selection) = 0;
    /// Inserts `alarm`, or replaces the stored alarm of its id.
    [[nodiscard]] virtual Status writeAlarm(const AlarmRecord& alarm) = 0;
    /// Appends a journal row (its alarm must be stored) and returns its id.
    [[nodiscard]] virtual Result<qint64> appendJournal(const JournalEntry& entry) = 0;
    /// The journal rows of `alarmId` (all rows when empty), oldest first (by id).
    [[nodiscard]] virtual Result<std::vector<JournalEntry>> readJournal(const QString& alarmId) = 0;
    /// The id of the newest journal row, 0 when the journal is empty. Ids only grow and every operator action
    /// appends a row, so a reader that polls this one number learns that another connection (another
    /// console, `itap alarms ack`) changed the journal without reading it.
    [[nodiscard]] virtual Result<qint64> latestJournalId() = 0;

    // ---- Operating-threshold changes (schema version 3): `threshold_changes`, append-only, one row per
    // Apply. core/alarms/alarm_journal.h validates what is written.

    /// Appends a threshold change and returns its id.
    [[nodiscard]] virtual Result<qint64> appendThresholdChange(const ThresholdChange& change) = 0;
    /// The threshold changes of `modelId` (all when empty), oldest first (by id).
    [[nodiscard]] virtual Result<std::vector<ThresholdChange>> readThresholdChanges(
        const QString& modelId) = 0;

protected:
    Store(SensorCatalog catalog, QString description);
    /// insertBatch() of the backend.
    [[nodiscard]] virtual Result<InsertCounts> insertRows(const TelemetryBatch& batch,
                                                          ConflictPolicy policy) = 0;
    /// Backends set the catalog once they have read or stored it.
    void setCatalog(SensorCatalog catalog) { catalog_ = std::move(catalog); }

private:
    SensorCatalog catalog_;
    QString description_;
};

}  // namespace itap
