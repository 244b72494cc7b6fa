#pragma once

#include "common/result.h"
#include "validation/csv_reader.h"

namespace itap {

/// Settings of the validator (RowValidator, ValidationReport, validateFile).
struct ValidationOptions {
    double gapFactor = 3.0;  ///< an interval > gapFactor × the device's typical interval is a gap; (1, 1e6]
    int maxExamples = 20;  ///< examples kept per check in the report (the first ones in file order); 0..10000
    int batchRows = 8192;  ///< lines per TelemetryCsvReader::readBatch in validateFile(); 1..1,000,000
    CsvReaderOptions reader;  ///< line-length limit and read size

    /// The one place the ranges above are enforced.
    [[nodiscard]] Status validate() const;
};

}  // namespace itap
