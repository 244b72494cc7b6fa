#include "pipeline/ingest_job.h"

#include "common/printable_text.h"
#include "common/spooled_input.h"
#include "common/time_util.h"
#include "validation/csv_reader.h"
#include "validation/row_validator.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>

#include <nlohmann/json.hpp>

#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace itap {
namespace {

// Reader-level checks: the row could not even be parsed. Semantic checks (range, duplicate, out_of_order)
// come from the RowValidator and only reject their row.
bool isMalformed(const QString& check) {
    return check != QLatin1String("range") && check != QLatin1String("duplicate") &&
           check != QLatin1String("out_of_order") && check != QLatin1String("missing") &&
           check != QLatin1String("gap");
}

// The CSV column (1-based) of a column name of RowConflict; 0 when unknown.
qint64 layoutColumn(const CsvColumnLayout& layout, const SensorCatalog& catalog, const QString& name) {
    if (name == QLatin1String("state"))
        return layout.state;
    if (name == QLatin1String("error_code"))
        return layout.errorCode;
    if (name == QLatin1String("fault_tag"))
        return layout.faultTag;
    const int ch = catalog.indexOf(name);
    return ch >= 0 ? layout.channels[static_cast<std::size_t>(ch)] : 0;
}

QString rejectReasonsJson(const ValidationReport& report) {
    nlohmann::json reasons = nlohmann::json::object();
    for (const auto& [name, stats] : report.checks())
        if (stats.error && stats.count > 0)
            reasons[name.toStdString()] = stats.count;
    return QString::fromStdString(reasons.dump());
}

// Pass 2's reading half: parses and checks batches on a thread of its own, one batch ahead of the caller,
// which stores them, so parsing no longer waits for SQLite and SQLite no longer waits for parsing. The store
// stays on the caller's thread (a database connection belongs to the thread that opened it); the reader, the
// validator and the report belong to the read-ahead thread until finish() has joined it.
class ReadAhead {
public:
    struct Batch {
        TelemetryBatch rows;
        std::vector<RowIssue> issues;
        qint64 bytesRead = 0;
        bool last = false;  ///< the file ends with this batch
        bool failed = false;
        Error error;  ///< when failed: why the file could not be read further
    };

    ReadAhead(TelemetryCsvReader& reader, RowValidator& validator, ValidationReport& report, int batchRows)
        : reader_(reader), validator_(validator), report_(report), batchRows_(batchRows) {
        for (auto& slot : slots_) free_.push_back(&slot);
        thread_ = std::thread([this] { run(); });
    }
    ~ReadAhead() { finish(); }
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;

    /// The next batch in file order, waiting for it if needed; valid until release(). After a batch that is
    /// `last` or `failed` there is none: do not call again.
    Batch* next() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !ready_.empty(); });
        Batch* batch = ready_.front();
        ready_.pop_front();
        return batch;
    }
    void release(Batch* batch) {
        {
            std::lock_guard lock(mutex_);
            free_.push_back(batch);
        }
        changed_.notify_all();
    }
    /// Stops reading (if it has not ended) and joins the thread: afterwards the reader, the validator and the
    /// report are the caller's again.
    void finish() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable())
            thread_.join();
    }

private:
    void run() {
        for (;;) {
            Batch* batch = nullptr;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [this] { return stop_ || !free_.empty(); });
                if (stop_)
                    return;
                batch = free_.front();
                free_.pop_front();
            }
            batch->issues.clear();
            auto more = reader_.readBatch(batch->rows, batch->issues, batchRows_);
            if (more) {
                for (const auto& issue : batch->issues) report_.addIssue(issue);
                validator_.check(batch->rows, report_);
                batch->bytesRead = reader_.bytesRead();
                batch->last = !*more;
            } else {
                batch->failed = true;
                batch->error = more.error();
            }
            const bool end = batch->last || batch->failed;
            {
                std::lock_guard lock(mutex_);
                ready_.push_back(batch);
            }
            changed_.notify_all();
            if (end)
                return;
        }
    }

    TelemetryCsvReader& reader_;
    RowValidator& validator_;
    ValidationReport& report_;
    const int batchRows_;
    std::array<Batch, 2> slots_;  // one being stored, one being read
    std::mutex mutex_;
    std::condition_variable changed_;  // a batch became ready or free, or stop_
    std::deque<Batch*> free_;
    std::deque<Batch*> ready_;
    bool stop_ = false;
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace

Result<QString> fileSha256(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::badInput(QStringLiteral("cannot read: ") + f.errorString(), path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return Error::failure(QStringLiteral("read failed: ") + f.errorString(), path);
    return QString::fromLatin1(hash.result().toHex());
}

Result<IngestOutcome> ingestFile(const QString& path, Store& store, const IngestOptions& options,
                                 const ProgressFn& progress) {
    if (options.batchRows < 100 || options.batchRows > 1'000'000)
        return Error::badInput(QStringLiteral("batch size must be in [100, 1000000]"));
    QElapsedTimer clock;
    clock.start();
    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    // A run cancelled before it stored anything is recorded too, so that ingest_runs shows every attempt.
    const auto cancelledBeforeStoring = [&](const QString& source) -> Error {
        IngestRunRecord run;
        run.source = source;
        run.sha256 = QStringLiteral("");  // not computed; a null string would be SQL NULL
        run.startedMs = startedMs;
        run.durationMs = clock.elapsed();
        run.status = QStringLiteral("cancelled");
        (void)store.recordIngestRun(run);
        return Error::cancelled();
    };

    // Standard input, a FIFO or a device is read once, into a copy that both passes read.
    auto input = SpooledInput::open(path, options.validation.reader.maxLineBytes,
                                    [&](qint64 done, qint64, const QString& message) {
                                        return reportProgress(progress, done, 0, message);
                                    });
    if (!input)
        return input.error().kind == Error::Kind::Cancelled ? cancelledBeforeStoring(path) : input.error();
    const QString& readPath = input->readPath();

    // A regular file's checksum (recorded with the run) is computed on a second core while pass 1 reads the
    // file; a copied stream was hashed while it was copied.
    std::optional<Result<QString>> sha;
    std::thread hashing;
    if (input->spooled())
        sha = input->sha256();
    else
        hashing = std::thread([&] { sha = fileSha256(readPath); });
    const auto joinHashing = qScopeGuard([&] {
        if (hashing.joinable())
            hashing.join();
    });

    // Pass 1: validate the whole file so that a malformed file stores nothing at all.
    auto validated =
        validateFile(readPath, store.catalog(), options.validation, [&](qint64 d, qint64 t, const QString&) {
            return reportProgress(progress, d, 2 * t, QStringLiteral("validating"));
        });
    if (!validated)
        return validated.error().kind == Error::Kind::Cancelled
                   ? cancelledBeforeStoring(input->spooled() ? input->name()
                                                             : QFileInfo(path).absoluteFilePath())
                   : input->named(validated.error());
    if (!options.skipInvalid) {
        for (const auto& issue : validated->issues()) {
            if (!isMalformed(issue.check))
                continue;
            Error e = Error::badInput(issue.message, input->name(), issue.line, issue.column);
            const qint64 bad = validated->malformedRows();
            if (bad > 1)
                e.message += QStringLiteral(" (and %1 more malformed rows)").arg(bad - 1);
            e.message += QStringLiteral("; nothing was stored (use --skip-invalid to store the valid rows)");
            return e;
        }
    }

    if (hashing.joinable())
        hashing.join();
    if (!*sha)
        return sha->error();

    // Pass 2: the same reader and checks, now storing the surviving rows batch by batch.
    TelemetryCsvReader reader(store.catalog());
    if (Status s = reader.open(readPath); !s)
        return input->named(s.error());
    RowValidator validator(store.catalog(), options.validation, reader.layout());
    ValidationReport report(input->name(), options.validation.maxExamples);
    report.setHasLabels(reader.hasLabels());
    IngestRunRecord run;
    run.source = input->spooled() ? input->name() : QFileInfo(path).absoluteFilePath();
    run.sha256 = **sha;
    run.startedMs = startedMs;
    ConflictTally conflicts;
    Error failure;
    bool failed = false;
    const qint64 fileSize = reader.fileSize();
    ReadAhead readAhead(reader, validator, report, options.batchRows);
    for (;;) {
        ReadAhead::Batch* batch = readAhead.next();
        if (batch->failed) {
            failure = batch->error;
            failed = true;
            break;
        }
        if (batch->rows.rowCount() > 0) {
            auto counts = store.insertBatch(batch->rows, options.onConflict);
            if (!counts) {
                failure = counts.error();
                failed = true;
                break;
            }
            run.inserted += counts->inserted;
            run.skippedDuplicates += counts->skippedDuplicates;
            conflicts.add(counts->conflicts);
            if (options.onConflict == ConflictPolicy::Fail && counts->conflicts.count > 0) {
                const RowConflict& first = counts->conflicts.examples.front();
                failure = Error::conflict(
                    QStringLiteral("%1 stored before with other values: %2 stored %3, new %4 "
                                   "(%5 conflicting rows in this batch; its rows were not stored)")
                        .arg(QStringLiteral("device \"%1\" at %2")
                                 .arg(printableText(first.device), formatUtcTimestamp(first.tsMs)),
                             first.column,
                             first.stored.isEmpty() ? QStringLiteral("(missing)") : first.stored,
                             first.incoming.isEmpty() ? QStringLiteral("(missing)") : first.incoming)
                        .arg(counts->conflicts.count),
                    input->name(), first.sourceLine,
                    layoutColumn(reader.layout(), store.catalog(), first.column));
                failed = true;
                break;
            }
        }
        const bool last = batch->last;
        const qint64 bytesRead = batch->bytesRead;
        readAhead.release(batch);
        if (!reportProgress(progress, fileSize + bytesRead, 2 * fileSize,
                            QStringLiteral("%1 rows stored").arg(run.inserted))) {
            failure = Error::cancelled();
            failed = true;
            break;
        }
        if (last)
            break;
    }
    readAhead.finish();
    if (reader.hasLabels()) {
        if (Status s = store.setMeta(QStringLiteral("has_labels"), QStringLiteral("1")); !s && !failed) {
            failure = s.error();
            failed = true;
        }
    }
    validator.finish(report);
    report.finish();
    run.rejected = report.rowsRejected();
    run.rejectReasonsJson = rejectReasonsJson(report);
    run.durationMs = clock.elapsed();
    run.status = !failed ? QStringLiteral("ok")
                         : (failure.kind == Error::Kind::Cancelled ? QStringLiteral("cancelled")
                                                                   : QStringLiteral("failed"));
    auto id = store.recordIngestRun(run);
    if (failed)
        return input->named(failure);
    if (!id)
        return id.error();
    run.id = *id;
    return IngestOutcome{std::move(run), std::move(report), std::move(conflicts)};
}

}  // namespace itap
