#include "pipeline/ingest_job.h"

#include "validation/csv_reader.h"
#include "validation/row_validator.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

namespace itap {
namespace {

// Reader-level checks: the row could not even be parsed. Semantic checks (range, duplicate, out_of_order)
// come from the RowValidator and only reject their row.
bool isMalformed(const QString& check) {
    return check != QLatin1String("range") && check != QLatin1String("duplicate") &&
           check != QLatin1String("out_of_order") && check != QLatin1String("missing") &&
           check != QLatin1String("gap");
}

QString rejectReasonsJson(const ValidationReport& report) {
    nlohmann::json reasons = nlohmann::json::object();
    for (const auto& [name, stats] : report.checks())
        if (stats.error && stats.count > 0)
            reasons[name.toStdString()] = stats.count;
    return QString::fromStdString(reasons.dump());
}

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

    // Pass 1: validate the whole file so that a malformed file stores nothing at all.
    auto validated =
        validateFile(path, store.catalog(), options.validation, [&](qint64 d, qint64 t, const QString&) {
            return reportProgress(progress, d, 2 * t, QStringLiteral("validating"));
        });
    if (!validated)
        return validated.error();
    if (!options.skipInvalid) {
        for (const auto& issue : validated->issues()) {
            if (!isMalformed(issue.check))
                continue;
            Error e = Error::badInput(issue.message, path, issue.line, issue.column);
            const qint64 bad = validated->malformedRows();
            if (bad > 1)
                e.message += QStringLiteral(" (and %1 more malformed rows)").arg(bad - 1);
            e.message += QStringLiteral("; nothing was stored (use --skip-invalid to store the valid rows)");
            return e;
        }
    }

    auto sha = fileSha256(path);
    if (!sha)
        return sha.error();

    // Pass 2: the same reader and checks, now storing the surviving rows batch by batch.
    TelemetryCsvReader reader(store.catalog());
    if (Status s = reader.open(path); !s)
        return s.error();
    RowValidator validator(store.catalog(), options.validation, reader.layout());
    ValidationReport report(path, options.validation.maxExamples);
    report.setHasLabels(reader.hasLabels());
    TelemetryBatch batch;
    std::vector<RowIssue> issues;
    IngestRunRecord run;
    run.source = QFileInfo(path).absoluteFilePath();
    run.sha256 = *sha;
    run.startedMs = startedMs;
    Error failure;
    bool failed = false;
    for (;;) {
        issues.clear();
        auto more = reader.readBatch(batch, issues, options.batchRows);
        if (!more) {
            failure = more.error();
            failed = true;
            break;
        }
        for (const auto& issue : issues) report.addIssue(issue);
        validator.check(batch, report);
        if (batch.rowCount() > 0) {
            auto counts = store.insertBatch(batch);
            if (!counts) {
                failure = counts.error();
                failed = true;
                break;
            }
            run.inserted += counts->inserted;
            run.skippedDuplicates += counts->skippedDuplicates;
        }
        if (!reportProgress(progress, reader.fileSize() + reader.bytesRead(), 2 * reader.fileSize(),
                            QStringLiteral("%1 rows stored").arg(run.inserted))) {
            failure = Error::cancelled();
            failed = true;
            break;
        }
        if (!*more)
            break;
    }
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
        return failure;
    if (!id)
        return id.error();
    run.id = *id;
    return IngestOutcome{std::move(run), std::move(report)};
}

}  // namespace itap
