#include "validation/validator.h"

#include "validation/csv_reader.h"
#include "validation/row_validator.h"

namespace itap {

Result<ValidationReport> validateFile(const QString& path, const SensorCatalog& catalog,
                                      const ValidationOptions& options, const ProgressFn& progress) {
    if (Status s = options.validate(); !s)
        return s.error();
    TelemetryCsvReader reader(catalog, options.reader);
    if (Status s = reader.open(path); !s)
        return s.error();
    RowValidator validator(catalog, options, reader.layout());
    ValidationReport report(path, options.maxExamples);
    report.setHasLabels(reader.hasLabels());

    TelemetryBatch batch;
    std::vector<RowIssue> issues;
    for (;;) {
        issues.clear();
        auto more = reader.readBatch(batch, issues, options.batchRows);
        if (!more)
            return more.error();
        for (const RowIssue& issue : issues) report.addIssue(issue);
        validator.check(batch, report);
        if (!reportProgress(progress, reader.bytesRead(), reader.fileSize(),
                            QStringLiteral("validated %1 rows").arg(report.rowsRead())))
            return Error::cancelled();
        if (!*more)
            break;
    }
    validator.finish(report);
    report.finish();
    return report;
}

}  // namespace itap
