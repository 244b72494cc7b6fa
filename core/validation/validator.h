#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "validation/validation_options.h"
#include "validation/validation_report.h"

#include <QString>

namespace itap {

/// Validates a whole canonical telemetry CSV: TelemetryCsvReader + RowValidator, batch by batch.
///
/// File-level problems (missing or unreadable file, empty file, bad header, invalid options) are the Result's
/// error; row problems are counted in the report. `progress` is called after every batch with bytes done and
/// the file size; returning false stops the work with Error::cancelled(). Runs on the caller's thread.
[[nodiscard]] Result<ValidationReport> validateFile(const QString& path, const SensorCatalog& catalog,
                                                    const ValidationOptions& options,
                                                    const ProgressFn& progress);

}  // namespace itap
