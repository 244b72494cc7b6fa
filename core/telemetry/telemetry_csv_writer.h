#pragma once

#include "common/output_file.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <string>

namespace itap {

/// Writes the canonical telemetry CSV (DESIGN.md §2):
/// `timestamp,device_id,state,<catalog channels in order>,error_code,fault_tag`.
/// Timestamps as formatUtcTimestamp, numbers with std::to_chars (locale-independent, exact) rounded to
/// `decimals` places with trailing zeros trimmed, an empty cell for a missing (NaN or infinite) value,
/// text cells quoted only when they contain a comma, quote or line break. Not thread-safe.
class TelemetryCsvWriter {
public:
    static constexpr int kDefaultDecimals = 3;

    /// `decimals` is clamped to [0, 9].
    explicit TelemetryCsvWriter(SensorCatalog catalog, int decimals = kDefaultDecimals);

    /// `v` as a reader of the written CSV gets it back: rounded to `decimals` places exactly as the cells are
    /// written, and parsed again; NaN and ±Inf (an empty cell) come back as NaN, -0 as 0. The live stream
    /// reports its samples through this, like a device whose telemetry goes through the CSV and the store.
    [[nodiscard]] static double roundTrip(double v, int decimals = kDefaultDecimals);
    ~TelemetryCsvWriter();
    TelemetryCsvWriter(const TelemetryCsvWriter&) = delete;
    TelemetryCsvWriter& operator=(const TelemetryCsvWriter&) = delete;

    /// The header line, with its trailing newline.
    [[nodiscard]] QByteArray header() const;
    /// Appends the rows of `batch` as CSV lines to `out` (no header). The batch must have
    /// catalog.size() channels.
    void formatRows(const TelemetryBatch& batch, std::string& out);

    /// Starts writing `path` as an OutputFile and writes the header; a regular file appears at `path` only
    /// on commit(), a device or FIFO receives the rows as they are written.
    [[nodiscard]] Status open(const QString& path);
    /// Appends the rows of `batch` to the open file.
    [[nodiscard]] Status write(const TelemetryBatch& batch);
    /// Finishes the file: it replaces a regular file at `path` atomically.
    [[nodiscard]] Status commit();
    /// Drops everything written since open(); `path` is left as it was. Also done by the destructor.
    void cancel();

private:
    const QByteArray& textCell(QHash<QString, QByteArray>& cache, const QString& text);

    SensorCatalog catalog_;
    int decimals_;
    QString path_;
    std::unique_ptr<OutputFile> file_;
    std::string buffer_;
    qint64 cachedTsMs_ = 0;
    QByteArray cachedTs_;
    QHash<QString, QByteArray> deviceCells_;
    QHash<QString, QByteArray> tagCells_;
};

}  // namespace itap
