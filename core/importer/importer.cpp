#include "importer/importer.h"

#include "importer/mapped_csv_reader.h"
#include "validation/row_validator.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <functional>

namespace itap {
namespace {

using json = nlohmann::json;

bool isMalformed(const QString& check) {
    return check != QLatin1String("range") && check != QLatin1String("duplicate") &&
           check != QLatin1String("out_of_order") && check != QLatin1String("missing") &&
           check != QLatin1String("gap");
}

Result<QString> sha256Of(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::badInput(QStringLiteral("cannot read: ") + f.errorString(), path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return Error::failure(QStringLiteral("read failed: ") + f.errorString(), path);
    return QString::fromLatin1(hash.result().toHex());
}

// The first malformed row of a file as a fatal error (strict mode).
std::optional<Error> firstMalformed(const ImportFileReport& r) {
    for (const RowIssue& issue : r.validation.issues()) {
        if (!isMalformed(issue.check))
            continue;
        Error e = Error::badInput(issue.message, r.file, issue.line, issue.column);
        const qint64 bad = r.validation.malformedRows();
        if (bad > 1)
            e.message += QStringLiteral(" (and %1 more malformed rows)").arg(bad - 1);
        e.message += QStringLiteral(
            "; nothing of this file was imported (use --skip-invalid to import the valid rows)");
        return e;
    }
    return std::nullopt;
}

using BatchSink = std::function<Status(const TelemetryBatch&)>;

// Reads one file through the mapping and the validator, handing every validated batch to `sink`.
// `maxLines` > 0 stops after that many data lines (preview).
Result<ImportFileReport> scanFile(const ImportMapping& mapping, const SensorCatalog& catalog,
                                  const QString& path, const ImportOptions& options, const BatchSink& sink,
                                  const std::function<bool(double)>& progress, qint64 maxLines = 0) {
    MappedCsvReader reader(mapping);
    if (Status s = reader.open(path); !s)
        return s.error();
    ImportFileReport out{path,
                         reader.header(),
                         reader.unmappedColumns(),
                         ValidationReport(path, options.validation.maxExamples),
                         {},
                         {}};
    out.validation.setHasLabels(mapping.hasLabels());
    RowValidator validator(catalog, options.validation, reader.layout());
    TelemetryBatch batch;
    std::vector<RowIssue> issues;
    qint64 lines = 0;
    for (;;) {
        issues.clear();
        int want = options.batchRows;
        if (maxLines > 0)
            want = static_cast<int>(std::min<qint64>(want, maxLines - lines));
        auto more = reader.readBatch(batch, issues, want);
        if (!more)
            return more.error();
        lines += static_cast<qint64>(batch.rowCount() + issues.size());
        for (const RowIssue& issue : issues) out.validation.addIssue(issue);
        validator.check(batch, out.validation);
        if (sink && batch.rowCount() > 0) {
            if (Status s = sink(batch); !s)
                return s.error();
        }
        const double fraction =
            reader.fileSize() > 0 ? double(reader.bytesRead()) / double(reader.fileSize()) : 1.0;
        if (progress && !progress(fraction))
            return Error::cancelled();
        if (!*more || (maxLines > 0 && lines >= maxLines))
            break;
    }
    validator.finish(out.validation);
    out.validation.finish();
    return out;
}

// Reads and validates `file` (its first `maxLines` data lines when > 0) into memory: appends its rows as one
// batch and its report to `data`.
Status readInto(const ImportMapping& mapping, ImportedData& data, const QString& file,
                const ImportOptions& options, const std::function<bool(double)>& progress,
                qint64 maxLines = 0) {
    TelemetryBatch all;
    all.channelCount = data.catalog.size();
    auto sink = [&](const TelemetryBatch& b) -> Status {
        for (std::size_t r = 0; r < b.rowCount(); ++r)
            all.append(b.deviceId[r], b.tsMs[r], b.state[r],
                       b.values.data() + r * std::size_t(b.channelCount), b.errorCode[r], b.faultTag[r],
                       b.sourceLine[r]);
        return {};
    };
    auto report = scanFile(mapping, data.catalog, file, options, sink, progress, maxLines);
    if (!report)
        return report.error();
    data.batches.push_back(std::move(all));
    data.report.files.push_back(std::move(report).value());
    return {};
}

template <typename Field>
qint64 sumOver(const std::vector<ImportFileReport>& files, Field field) {
    qint64 n = 0;
    for (const auto& f : files) n += field(f);
    return n;
}

QString rejectReasonsJson(const ValidationReport& report) {
    json reasons = json::object();
    for (const auto& [name, stats] : report.checks())
        if (stats.error && stats.count > 0)
            reasons[name.toStdString()] = stats.count;
    return QString::fromStdString(reasons.dump());
}

}  // namespace

Status ImportOptions::validate() const {
    if (batchRows < 100 || batchRows > 1'000'000)
        return Error::badInput(QStringLiteral("batch size must be in [100, 1000000]"));
    return validation.validate();
}

qint64 ImportReport::rowsRead() const {
    return sumOver(files, [](const ImportFileReport& f) { return f.validation.rowsRead(); });
}
qint64 ImportReport::rowsAccepted() const {
    return sumOver(files, [](const ImportFileReport& f) { return f.validation.rowsAccepted(); });
}
qint64 ImportReport::rowsRejected() const {
    return sumOver(files, [](const ImportFileReport& f) { return f.validation.rowsRejected(); });
}
qint64 ImportReport::inserted() const {
    return sumOver(files, [](const ImportFileReport& f) { return f.run.inserted; });
}
qint64 ImportReport::skippedDuplicates() const {
    return sumOver(files, [](const ImportFileReport& f) { return f.run.skippedDuplicates; });
}
qint64 ImportReport::conflicts() const {
    return sumOver(files, [](const ImportFileReport& f) { return f.conflicts.count; });
}

QStringList ImportReport::unmappedColumns() const {
    QStringList out;
    for (const auto& f : files)
        for (const QString& c : f.unmappedColumns)
            if (!out.contains(c))
                out << c;
    return out;
}

json ImportReport::toJson() const {
    json fs = json::array();
    for (const auto& f : files) {
        json header = json::array();
        for (const QString& h : f.header) header.push_back(h.toStdString());
        json unmapped = json::array();
        for (const QString& h : f.unmappedColumns) unmapped.push_back(h.toStdString());
        fs.push_back(json{{"file", f.file.toStdString()},
                          {"header", header},
                          {"unmapped_columns", unmapped},
                          {"inserted", f.run.inserted},
                          {"skipped_duplicates", f.run.skippedDuplicates},
                          {"conflicts", f.conflicts.count},
                          {"replaced", f.conflicts.replaced},
                          {"conflict_examples", f.conflicts.examplesJson(f.file)},
                          {"validation", f.validation.toJson()}});
    }
    json unmapped = json::array();
    for (const QString& h : unmappedColumns()) unmapped.push_back(h.toStdString());
    return json{{"schema_version", 1},
                {"files", fs},
                {"has_labels", hasLabels},
                {"rows_read", rowsRead()},
                {"rows_accepted", rowsAccepted()},
                {"rows_rejected", rowsRejected()},
                {"inserted", inserted()},
                {"skipped_duplicates", skippedDuplicates()},
                {"conflicts", conflicts()},
                {"unmapped_columns", unmapped}};
}

QString ImportReport::summary(int maxExamples) const {
    QStringList lines;
    for (const auto& f : files) {
        const auto& v = f.validation;
        QString line = QStringLiteral("%1: %2 rows read, %3 accepted, %4 rejected, %5 devices")
                           .arg(QFileInfo(f.file).fileName())
                           .arg(v.rowsRead())
                           .arg(v.rowsAccepted())
                           .arg(v.rowsRejected())
                           .arg(v.devices().size());
        if (!f.run.status.isEmpty())
            line += QStringLiteral("; inserted %1, skipped_duplicates %2")
                        .arg(f.run.inserted)
                        .arg(f.run.skippedDuplicates);
        if (f.conflicts.count > 0)
            line += QStringLiteral(", conflicts %1 (%2)")
                        .arg(f.conflicts.count)
                        .arg(f.conflicts.replaced > 0 ? QStringLiteral("replaced")
                                                      : QStringLiteral("stored values kept"));
        lines << line;
        for (const RowConflict& c : f.conflicts.examples)
            lines << QStringLiteral("  conflict: ") + c.describe(f.file);
        QStringList reasons;
        for (const auto& [name, stats] : v.checks())
            if (stats.count > 0)
                reasons << QStringLiteral("%1 %2%3")
                               .arg(name)
                               .arg(stats.count)
                               .arg(stats.error ? QString() : QStringLiteral(" (warning)"));
        if (!reasons.isEmpty())
            lines << QStringLiteral("  checks: ") + reasons.join(QStringLiteral(", "));
        int shown = 0;
        for (const RowIssue& issue : v.issues()) {
            if (issue.check == QLatin1String("missing"))
                continue;
            if (shown++ >= maxExamples)
                break;
            lines << QStringLiteral("  ") +
                         Error::badInput(issue.message, f.file, issue.line, issue.column).toString();
        }
    }
    const QStringList unmapped = unmappedColumns();
    lines << (unmapped.isEmpty()
                  ? QStringLiteral("Unmapped columns: none")
                  : QStringLiteral("Unmapped columns (ignored): ") + unmapped.join(QStringLiteral(", ")));
    lines << (hasLabels ? QStringLiteral("Labels: yes (metrics will be computed)")
                        : QStringLiteral("Labels: none (scoring will report no ground truth)"));
    return lines.join(QLatin1Char('\n'));
}

Importer::Importer(ImportMapping mapping) : mapping_(std::move(mapping)), catalog_(mapping_.catalog()) {}

Result<ImportedData> Importer::read(const QStringList& files, const ImportOptions& options,
                                    const ProgressFn& progress) const {
    if (Status s = options.validate(); !s)
        return s.error();
    if (files.isEmpty())
        return Error::badInput(QStringLiteral("no files to import"));
    ImportedData data{catalog_, {}, {}};
    data.report.hasLabels = mapping_.hasLabels();
    for (qsizetype i = 0; i < files.size(); ++i) {
        auto onProgress = [&](double f) {
            return reportProgress(progress, qint64((double(i) + f) * 1000), qint64(files.size()) * 1000,
                                  QStringLiteral("reading %1").arg(QFileInfo(files[i]).fileName()));
        };
        if (Status s = readInto(mapping_, data, files[i], options, onProgress); !s)
            return s.error();
        if (!options.skipInvalid) {
            if (auto e = firstMalformed(data.report.files.back()))
                return *e;
        }
    }
    return data;
}

Result<ImportedData> Importer::preview(const QString& file, int maxRows) const {
    ImportOptions options;
    options.skipInvalid = true;
    options.batchRows = std::clamp(maxRows, 100, 1'000'000);
    ImportedData data{catalog_, {}, {}};
    data.report.hasLabels = mapping_.hasLabels();
    if (Status s = readInto(mapping_, data, file, options, {}, std::max(1, maxRows)); !s)
        return s.error();
    return data;
}

Result<ImportReport> Importer::importInto(Store& store, const QStringList& files,
                                          const ImportOptions& options, const ProgressFn& progress) const {
    if (Status s = options.validate(); !s)
        return s.error();
    if (files.isEmpty())
        return Error::badInput(QStringLiteral("no files to import"));
    if (store.catalog().hash() != catalog_.hash())
        return Error::badInput(
            QStringLiteral("the database %1 was created with another sensor catalog (%2 channels: %3) "
                           "than the mapping's (%4 channels: %5); import into a new database")
                .arg(store.description())
                .arg(store.catalog().size())
                .arg(store.catalog().families().join(QStringLiteral("/")))
                .arg(catalog_.size())
                .arg(catalog_.families().join(QStringLiteral("/"))));
    ImportReport out;
    out.hasLabels = mapping_.hasLabels();
    const auto total = qint64(files.size()) * 2000;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        QElapsedTimer clock;
        clock.start();
        const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
        const QString name = QFileInfo(path).fileName();
        // Pass 1: the whole file is checked before anything of it is written.
        auto checked = scanFile(mapping_, catalog_, path, options, {}, [&](double f) {
            return reportProgress(progress, qint64((double(i) * 2 + f) * 1000), total,
                                  QStringLiteral("checking %1").arg(name));
        });
        if (!checked && checked.error().kind == Error::Kind::Cancelled) {
            // Recorded too, as ingest does, so that ingest_runs shows every attempt.
            IngestRunRecord run;
            run.source = QFileInfo(path).absoluteFilePath();
            run.sha256 = QStringLiteral("");  // not computed; a null string would be SQL NULL
            run.startedMs = startedMs;
            run.durationMs = clock.elapsed();
            run.status = QStringLiteral("cancelled");
            (void)store.recordIngestRun(run);
            Error e = Error::cancelled();
            e.file = path;
            return e;
        }
        if (!checked)
            return checked.error();
        if (!options.skipInvalid) {
            if (auto e = firstMalformed(*checked))
                return *e;
        }
        auto sha = sha256Of(path);
        if (!sha)
            return sha.error();

        // Pass 2: the same reading, now storing each validated batch in its own transaction.
        IngestRunRecord run;
        run.source = QFileInfo(path).absoluteFilePath();
        run.sha256 = *sha;
        run.startedMs = startedMs;
        ConflictTally conflicts;
        auto sink = [&](const TelemetryBatch& b) -> Status {
            auto counts = store.insertBatch(b, options.onConflict);
            if (!counts)
                return counts.error();
            run.inserted += counts->inserted;
            run.skippedDuplicates += counts->skippedDuplicates;
            conflicts.add(counts->conflicts);
            if (options.onConflict == ConflictPolicy::Fail && counts->conflicts.count > 0) {
                const RowConflict& first = counts->conflicts.examples.front();
                return Error::conflict(
                    QStringLiteral("stored before with other values (%1 conflicting rows in this "
                                   "batch; its rows were not stored): %2")
                        .arg(counts->conflicts.count)
                        .arg(first.describe(QString())),
                    path, first.sourceLine);
            }
            return {};
        };
        auto stored = scanFile(mapping_, catalog_, path, options, sink, [&](double f) {
            return reportProgress(progress, qint64((double(i) * 2 + 1 + f) * 1000), total,
                                  QStringLiteral("%1: %2 rows stored").arg(name).arg(run.inserted));
        });
        run.durationMs = clock.elapsed();
        if (!stored) {
            run.status = stored.error().kind == Error::Kind::Cancelled ? QStringLiteral("cancelled")
                                                                       : QStringLiteral("failed");
            run.rejected = checked->validation.rowsRejected();
            (void)store.recordIngestRun(run);
            Error e = stored.error();
            if (e.kind == Error::Kind::Cancelled)
                e.file = path;  // which file the run stopped in
            return e;
        }
        run.status = QStringLiteral("ok");
        run.rejected = stored->validation.rowsRejected();
        run.rejectReasonsJson = rejectReasonsJson(stored->validation);
        auto id = store.recordIngestRun(run);
        if (!id)
            return id.error();
        run.id = *id;
        stored->run = run;
        stored->conflicts = std::move(conflicts);
        out.files.push_back(std::move(stored).value());
    }
    if (mapping_.hasLabels()) {
        if (Status s = store.setMeta(Store::kMetaHasLabels, QStringLiteral("1")); !s)
            return s.error();
    }
    return out;
}

}  // namespace itap
