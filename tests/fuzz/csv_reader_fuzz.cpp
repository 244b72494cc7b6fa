// libFuzzer target: the canonical telemetry CSV, through the entry points `itap validate` and `itap ingest`
// use (validateFile, and TelemetryCsvReader as IngestJob drives it). The input is the file's bytes.

#include "fuzz_support.h"

#include "common/sensor_catalog.h"
#include "validation/csv_reader.h"
#include "validation/validator.h"

#include <nlohmann/json.hpp>

#include <cmath>

using namespace itap;

namespace {

// Reads the whole file batch by batch and checks what the reader hands out.
void readAll(const QString& path, const CsvReaderOptions& options, int maxRows) {
    TelemetryCsvReader reader(SensorCatalog::defaults(), options);
    if (Status s = reader.open(path); !s) {
        ITAP_FUZZ_CHECK_ERROR(s.error(), path);
        return;
    }
    TelemetryBatch batch;
    std::vector<RowIssue> issues;
    for (int guard = 0;; ++guard) {
        ITAP_FUZZ_CHECK(guard < 1'000'000);  // readBatch must make progress
        issues.clear();
        auto more = reader.readBatch(batch, issues, maxRows);
        if (!more) {
            ITAP_FUZZ_CHECK_ERROR(more.error(), path);
            return;
        }
        ITAP_FUZZ_CHECK(batch.rowCount() + issues.size() <= static_cast<std::size_t>(maxRows));
        ITAP_FUZZ_CHECK(batch.values.size() ==
                        batch.rowCount() * static_cast<std::size_t>(batch.channelCount));
        for (double v : batch.values) ITAP_FUZZ_CHECK(std::isfinite(v) || isMissing(v));  // never Inf
        for (const QString& d : batch.deviceId) ITAP_FUZZ_CHECK(!d.isEmpty());
        for (qint64 line : batch.sourceLine) ITAP_FUZZ_CHECK(line >= 1);
        for (const RowIssue& i : issues) {
            ITAP_FUZZ_CHECK(i.line >= 1);
            ITAP_FUZZ_CHECK(!i.message.isEmpty() && !i.check.isEmpty());
        }
        ITAP_FUZZ_CHECK(reader.bytesRead() <= reader.fileSize());
        if (!*more)
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = fuzz::writeScratch(QStringLiteral("telemetry.csv"), fuzz::bytesOf(data, size));

    // What `itap validate` does, report included (its JSON must serialise whatever the cells held).
    auto report = validateFile(path, SensorCatalog::defaults(), ValidationOptions{}, {});
    if (report)
        (void)report->toJson().dump();
    else
        ITAP_FUZZ_CHECK_ERROR(report.error(), path);

    // The reader as ingest drives it (default options), and with a tiny buffer so that refills, lines
    // straddling the buffer end and over-long lines happen within libFuzzer's small inputs.
    readAll(path, CsvReaderOptions{}, 5000);
    CsvReaderOptions tiny;
    tiny.maxLineBytes = 128;  // the default header is ~90 bytes
    tiny.readChunkBytes = 16;
    readAll(path, tiny, 3);
    return 0;
}
