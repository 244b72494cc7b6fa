#pragma once

#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "validation/csv_reader.h"
#include "validation/validation_options.h"
#include "validation/validation_report.h"

#include <QHash>
#include <QString>

#include <array>
#include <vector>

namespace itap {

/// Streaming semantic checks on parsed telemetry, fed batch after batch in file order.
///
/// Rejects a row (removes it from the batch, counts it in the report) for "duplicate" (a device/timestamp
/// pair already accepted), "out_of_order" (before the device's previous accepted timestamp) and "range" (a
/// value outside its catalog channel's [min, max]); one reason per row, in that order. Keeps the row but
/// warns for "missing" (empty cells, counted per column) and "gap" (an interval > gapFactor × the device's
/// typical interval, the median of its recent intervals). Only accepted rows move a device's state on, so
/// results do not depend on batch sizes.
///
/// Memory: per device, the accepted timestamps as runs of equal steps (a regular series costs a few bytes in
/// total, an irregular one at most 8 bytes per row) so that duplicates of any earlier row are found exactly.
class RowValidator {
public:
    /// `layout` gives the CSV column of each field for the column numbers in messages
    /// (TelemetryCsvReader::layout()); the default is the canonical column order. `options` must pass
    /// ValidationOptions::validate().
    explicit RowValidator(SensorCatalog catalog, ValidationOptions options = {}, CsvColumnLayout layout = {});

    /// Checks `batch` (channelCount must match the catalog), removes the rejected rows in place keeping the
    /// others in order, and records rows, rejections, warnings and device totals in `report`.
    void check(TelemetryBatch& batch, ValidationReport& report);

    /// Evaluates the gaps of devices that had too few intervals to learn their typical one during check().
    /// Call once after the last batch.
    void finish(ValidationReport& report);

    [[nodiscard]] int deviceCount() const { return static_cast<int>(devices_.size()); }

private:
    // Accepted timestamps start, start+step, ..., start+(count-1)*step.
    struct TimeRun {
        qint64 start;
        qint32 step;
        qint32 count;
    };
    struct Interval {
        qint64 fromMs;
        qint64 toMs;
        qint64 line;
    };
    static constexpr int kRing = 32;  // recent intervals behind the typical-interval median

    struct DeviceState {
        QString id;
        bool any = false;
        qint64 lastMs = 0;
        std::vector<TimeRun> history;
        std::array<qint64, kRing> ring{};
        qint64 intervals = 0;  // intervals seen; ring holds the last min(intervals, kRing)
        qint64 typicalMs = 0;  // 0 while still learning
        std::vector<Interval> warmup;
        // Accepted rows of the current batch, merged into the report at the end of check().
        qint64 batchRows = 0;
        qint64 batchFirstMs = 0;
        qint64 batchLastMs = 0;

        [[nodiscard]] bool seen(qint64 ts) const;
        void accept(qint64 ts);
        [[nodiscard]] qint64 medianInterval() const;
    };

    int deviceIndex(const QString& id);
    void checkGap(DeviceState& d, qint64 ts, qint64 line, ValidationReport& report);
    void reportGap(const DeviceState& d, const Interval& iv, ValidationReport& report) const;

    SensorCatalog catalog_;
    ValidationOptions options_;
    CsvColumnLayout layout_;
    std::vector<int> channelsByColumn_;  // catalog indices ordered by CSV column: first bad column wins
    std::vector<DeviceState> devices_;
    QHash<QString, int> index_;
    QString lastId_;
    int lastIndex_ = -1;
    std::vector<int> touched_;
    std::vector<qint64> missing_;
};

}  // namespace itap
