#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "importer/import_mapping.h"
#include "storage/store.h"
#include "validation/validation_options.h"
#include "validation/validation_report.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace itap {

/// How Importer treats its files.
struct ImportOptions {
    /// false (default): a row that cannot be parsed (bad timestamp, bad number, unknown state…) fails the file
    /// with its file:line:column and nothing of it is stored. true: such rows are rejected and counted with
    /// their reason, and the other rows are imported.
    bool skipInvalid = false;
    int batchRows = 5000;          ///< rows per read and per store transaction; 100..1,000,000
    ValidationOptions validation;  ///< gap factor, examples kept per check
    /// A row whose (device, timestamp) is stored with other values: keep the stored row (counted as a
    /// conflict), replace it, or fail with Error::conflict naming the row (as ingest's IngestOptions).
    ConflictPolicy onConflict = ConflictPolicy::Keep;

    [[nodiscard]] Status validate() const;
};

/// What the importer found in one file.
struct ImportFileReport {
    QString file;
    QStringList header;           ///< column names as read ("column N" without a header)
    QStringList unmappedColumns;  ///< header columns the mapping ignores
    ValidationReport validation;  ///< rows read / accepted / rejected by reason with the first examples, gaps
    IngestRunRecord run;          ///< when stored: the ingest run recorded for this file
    ConflictTally conflicts;      ///< when stored: rows stored before with other values
};

/// What one import did, over all its files.
struct ImportReport {
    std::vector<ImportFileReport> files;
    bool hasLabels = false;

    [[nodiscard]] qint64 rowsRead() const;
    [[nodiscard]] qint64 rowsAccepted() const;
    [[nodiscard]] qint64 rowsRejected() const;
    [[nodiscard]] qint64 inserted() const;
    [[nodiscard]] qint64 skippedDuplicates() const;
    [[nodiscard]] qint64 conflicts() const;
    /// Union of the unmapped columns of all files, in order of first appearance.
    [[nodiscard]] QStringList unmappedColumns() const;
    /// `{"schema_version":1,"files":[{file, header, unmapped_columns, validation, inserted, …}], totals}`.
    [[nodiscard]] nlohmann::json toJson() const;
    /// Operator summary: a line per file, rejections by reason with the first examples as file:line:column.
    [[nodiscard]] QString summary(int maxExamples = 5) const;
};

/// Telemetry read through a mapping, held in memory: what the console's import preview shows and what tests
/// inspect. One batch per file, rows in file order, already validated (rejected rows are not in it).
struct ImportedData {
    SensorCatalog catalog;
    std::vector<TelemetryBatch> batches;
    ImportReport report;
};

/// Imports foreign telemetry CSV files through an ImportMapping: parse (MappedCsvReader), validate
/// (RowValidator: duplicates, backward timestamps, ranges, gaps — the same checks as `itap ingest`), and
/// either hand the rows back (read(), preview()) or store them (importInto(): the idempotent ingest path).
/// A plain value; every call is independent and may run on any thread (one call per thread at a time).
class Importer {
public:
    explicit Importer(ImportMapping mapping);

    [[nodiscard]] const ImportMapping& mapping() const { return mapping_; }
    /// The catalog the rows are built for (the mapping's channels).
    [[nodiscard]] const SensorCatalog& catalog() const { return catalog_; }

    /// Reads and validates `files` completely into memory.
    [[nodiscard]] Result<ImportedData> read(const QStringList& files, const ImportOptions& options,
                                            const ProgressFn& progress = {}) const;

    /// The first `maxRows` lines of data of `file` as mapped, for a preview: bad rows are reported in the
    /// report's issues, never fatal; header and mapping errors are.
    [[nodiscard]] Result<ImportedData> preview(const QString& file, int maxRows = 100) const;

    /// Validates each file completely, then stores its accepted rows into `store` in transactions of
    /// options.batchRows rows: re-importing a file inserts 0 rows, overlapping files insert only the new rows.
    /// The store's catalog must be the mapping's (Store::open(path, &importer.catalog())). One ingest run is
    /// recorded per file. Fatal problems are reported before anything of that file is written.
    [[nodiscard]] Result<ImportReport> importInto(Store& store, const QStringList& files,
                                                  const ImportOptions& options,
                                                  const ProgressFn& progress = {}) const;

private:
    ImportMapping mapping_;
    SensorCatalog catalog_;
};

}  // namespace itap
