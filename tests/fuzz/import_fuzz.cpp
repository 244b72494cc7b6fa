// libFuzzer target: `itap import` — the import mapping JSON (ImportMapping::load's parsing) and the mapped
// reader plus validator (Importer::read, --skip-invalid, as the CLI runs it) on a CSV.
//
// Input: the mapping JSON, then optionally the separator line "%%CSV%%" and the CSV file's bytes. Without
// the separator a small built-in CSV is read, so the mapping alone is fuzzed against real-looking data.

#include "fuzz_support.h"

#include "common/json_util.h"
#include "importer/import_mapping.h"
#include "importer/importer.h"

#include <nlohmann/json.hpp>

#include <cmath>

using namespace itap;

namespace {

const QByteArray kSeparator = QByteArrayLiteral("\n%%CSV%%\n");

const QByteArray kDefaultCsv = QByteArrayLiteral(
    "time;unit;mode;temp;press;flag\n"
    "2026-01-01 00:00:00;P-1;run;20,5;1,01;0\n"
    "2026-01-01 00:00:10;P-1;run;21,0;1,02;0\n"
    "2026-01-01 00:00:20;P-1;idle;NaN;1,00;1\n"
    "2026-01-01 00:00:30;P-2;run;22,5;;0\n");

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::ensureApplication();
    QByteArray mappingBytes, csvBytes;
    fuzz::splitAt(fuzz::bytesOf(data, size), kSeparator, mappingBytes, csvBytes);
    if (csvBytes.isNull())
        csvBytes = kDefaultCsv;

    // ImportMapping::load(path) is readJsonFile(path) + fromJson(json, path); the file read itself is not
    // worth a write per input.
    const QString mappingPath = QStringLiteral("mapping.json");
    auto j = parseJson(mappingBytes, mappingPath);
    if (!j) {
        ITAP_FUZZ_CHECK_ERROR(j.error(), mappingPath);
        return 0;
    }
    auto mapping = ImportMapping::fromJson(*j, mappingPath);
    if (!mapping) {
        ITAP_FUZZ_CHECK_ERROR(mapping.error(), mappingPath);
        return 0;
    }
    // A mapping that loads must write itself back to JSON that loads to the same columns and channels.
    auto again = ImportMapping::fromJson(mapping->toJson(), mappingPath);
    ITAP_FUZZ_CHECK(again.ok());
    ITAP_FUZZ_CHECK(again->channels.size() == mapping->channels.size());
    ITAP_FUZZ_CHECK(again->timestamp.column == mapping->timestamp.column);

    const QString csvPath = fuzz::writeScratch(QStringLiteral("export_P-7.csv"), csvBytes);
    const Importer importer(*mapping);
    ImportOptions options;
    options.skipInvalid = true;
    options.batchRows = 100;
    auto read = importer.read({csvPath}, options);
    if (!read) {
        ITAP_FUZZ_CHECK_ERROR(read.error(), csvPath);
        return 0;
    }
    for (const TelemetryBatch& b : read->batches) {
        ITAP_FUZZ_CHECK(b.channelCount == static_cast<int>(mapping->channels.size()));
        for (double v : b.values) ITAP_FUZZ_CHECK(std::isfinite(v) || isMissing(v));  // never stored as Inf
        for (const QString& d : b.deviceId) ITAP_FUZZ_CHECK(!d.isEmpty());
    }
    (void)read->report.toJson().dump();
    (void)read->report.summary();

    auto preview = importer.preview(csvPath, 3);
    if (!preview)
        ITAP_FUZZ_CHECK_ERROR(preview.error(), csvPath);
    return 0;
}
