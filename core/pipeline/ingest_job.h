#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "storage/store.h"
#include "validation/validation_report.h"
#include "validation/validator.h"

#include <QString>

namespace itap {

/// Default of the commands' --min-stored-share: a file of which fewer rows than this share are accepted (in
/// the store after the run: inserted, or there already) fails the command, however many rows it had.
inline constexpr double kDefaultMinStoredShare = 0.5;

/// How `ingestFile` treats a file.
struct IngestOptions {
    /// false (default): a malformed row (wrong column count, text in a number column, bad timestamp, unknown
    /// state…) fails the whole file with its file:line:column and stores nothing. true: malformed rows are
    /// rejected and counted like semantic rejections, and the valid rows are stored.
    bool skipInvalid = false;
    int batchRows = 20000;  ///< rows per transaction, 100..1,000,000 (20,000: store_bench measured 180k
                            ///< rows/s at 5,000, 274k at 20,000)
    ValidationOptions validation;  ///< gap factor, number of examples in the report
    /// A row whose (device, timestamp) is stored with other values: keep the stored row (counted as a
    /// conflict), replace it, or fail the file (Error::conflict naming the row; with the file inside a Store
    /// stage, rolling the stage back leaves the database as it was).
    ConflictPolicy onConflict = ConflictPolicy::Keep;
};

/// What one ingest did.
struct IngestOutcome {
    IngestRunRecord run;      ///< as recorded in ingest_runs
    ValidationReport report;  ///< the validator's findings on the file
    ConflictTally conflicts;  ///< rows stored before with other values (not part of skippedDuplicates)
};

/// Validates `path` completely, then stores its accepted rows in batches of `batchRows` inside one
/// transaction per batch: re-running the same file inserts 0 rows; an overlapping file inserts only its new
/// rows; rows the validator rejects are never stored and are counted with their reason. Fatal problems
/// (missing file, bad header, a malformed row without skipInvalid) are reported before anything is written.
/// Cancellation rolls back the current batch and records the run as "cancelled"; inside a Store stage
/// (Store::beginStage) the caller rolls back the whole file instead, as the console does.
[[nodiscard]] Result<IngestOutcome> ingestFile(const QString& path, Store& store,
                                               const IngestOptions& options, const ProgressFn& progress);

/// SHA-256 of a file (hex), recorded with each ingest run.
[[nodiscard]] Result<QString> fileSha256(const QString& path);

}  // namespace itap
