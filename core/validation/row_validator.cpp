#include "validation/row_validator.h"

#include "common/time_util.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace itap {
namespace {

// Intervals a device must show before its typical interval is trusted; earlier ones are judged retroactively.
constexpr qint64 kWarmup = 8;
// The typical interval is re-estimated this often, so a device that changes its sampling rate is followed.
constexpr qint64 kRefreshEvery = 16;
// Fewer intervals than this say nothing about a typical one: such a device gets no gap checks.
constexpr qint64 kMinIntervalsForGaps = 3;

const QString kDuplicate = QStringLiteral("duplicate");
const QString kOutOfOrder = QStringLiteral("out_of_order");
const QString kRange = QStringLiteral("range");
const QString kMissingCheck = QStringLiteral("missing");

}  // namespace

bool RowValidator::DeviceState::seen(qint64 ts) const {
    auto it = std::upper_bound(history.begin(), history.end(), ts,
                               [](qint64 t, const TimeRun& r) { return t < r.start; });
    if (it == history.begin())
        return false;
    const TimeRun& r = *(it - 1);
    const qint64 offset = ts - r.start;
    if (r.count == 1)
        return offset == 0;
    return offset % r.step == 0 && offset / r.step < r.count;
}

void RowValidator::DeviceState::accept(qint64 ts) {
    if (!history.empty()) {
        TimeRun& r = history.back();
        const qint64 step = ts - r.start;
        if (r.count == 1 && step <= std::numeric_limits<qint32>::max()) {
            r.step = static_cast<qint32>(step);
            r.count = 2;
        } else if (r.count > 1 && r.count < std::numeric_limits<qint32>::max() &&
                   ts - (r.start + qint64(r.step) * (r.count - 1)) == r.step) {
            ++r.count;
        } else {
            history.push_back(TimeRun{ts, 0, 1});
        }
    } else {
        history.push_back(TimeRun{ts, 0, 1});
    }
    any = true;
    lastMs = ts;
}

qint64 RowValidator::DeviceState::medianInterval() const {
    const auto n = static_cast<std::size_t>(std::min<qint64>(intervals, kRing));
    std::array<qint64, kRing> copy = ring;
    std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(n / 2),
                     copy.begin() + static_cast<std::ptrdiff_t>(n));
    return std::max<qint64>(1, copy[n / 2]);
}

RowValidator::RowValidator(SensorCatalog catalog, ValidationOptions options, CsvColumnLayout layout)
    : catalog_(std::move(catalog)), options_(std::move(options)), layout_(std::move(layout)) {
    if (static_cast<int>(layout_.channels.size()) != catalog_.size())
        layout_ = CsvColumnLayout::canonical(catalog_.size());
    for (int ch = 0; ch < catalog_.size(); ++ch) channelsByColumn_.push_back(ch);
    std::stable_sort(channelsByColumn_.begin(), channelsByColumn_.end(), [&](int a, int b) {
        return layout_.channels[static_cast<std::size_t>(a)] < layout_.channels[static_cast<std::size_t>(b)];
    });
    missing_.assign(static_cast<std::size_t>(catalog_.size()), 0);
}

int RowValidator::deviceIndex(const QString& id) {
    if (lastIndex_ >= 0 && id == lastId_)
        return lastIndex_;
    auto it = index_.constFind(id);
    int idx = 0;
    if (it == index_.constEnd()) {
        idx = static_cast<int>(devices_.size());
        devices_.push_back(DeviceState{});
        devices_.back().id = id;
        index_.insert(id, idx);
    } else {
        idx = it.value();
    }
    lastId_ = id;
    lastIndex_ = idx;
    return idx;
}

void RowValidator::reportGap(const DeviceState& d, const Interval& iv, ValidationReport& report) const {
    if (static_cast<double>(iv.toMs - iv.fromMs) > options_.gapFactor * static_cast<double>(d.typicalMs))
        report.addGap(
            ValidationReport::Gap{d.id, iv.line, layout_.timestamp, iv.fromMs, iv.toMs, d.typicalMs});
}

void RowValidator::checkGap(DeviceState& d, qint64 ts, qint64 line, ValidationReport& report) {
    if (!d.any)
        return;
    const Interval iv{d.lastMs, ts, line};
    if (d.typicalMs > 0)
        reportGap(d, iv, report);
    d.ring[static_cast<std::size_t>(d.intervals % kRing)] = ts - d.lastMs;
    ++d.intervals;
    if (d.typicalMs == 0) {
        d.warmup.push_back(iv);
        if (d.intervals < kWarmup)
            return;
        d.typicalMs = d.medianInterval();
        for (const Interval& w : d.warmup) reportGap(d, w, report);
        d.warmup = {};
    } else if ((d.intervals - kWarmup) % kRefreshEvery == 0) {
        d.typicalMs = d.medianInterval();
    }
}

void RowValidator::check(TelemetryBatch& batch, ValidationReport& report) {
    const std::size_t rows = batch.rowCount();
    if (rows > 0 && batch.channelCount != catalog_.size())
        qFatal("RowValidator: batch has %d channels, the catalog %d", batch.channelCount, catalog_.size());
    const auto nc = static_cast<std::size_t>(batch.channelCount);
    report.addParsedRows(static_cast<qint64>(rows));
    touched_.clear();
    qint64 uncountedMissing = 0;
    bool missingExamplesFull =
        false;  // rows come in file order: once an example is refused, all later ones are
    std::size_t kept = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const QString& id = batch.deviceId[r];
        const int idx = deviceIndex(id);
        DeviceState& d = devices_[static_cast<std::size_t>(idx)];
        const qint64 ts = batch.tsMs[r];
        const qint64 line = batch.sourceLine[r];
        const double* row = batch.values.data() + r * nc;

        if (d.any && ts <= d.lastMs) {
            const bool duplicate = ts == d.lastMs || d.seen(ts);
            RowIssue issue{line, layout_.timestamp, duplicate ? kDuplicate : kOutOfOrder, {}, id};
            if (report.wantsExample(issue.check, line, issue.column))
                issue.message =
                    duplicate
                        ? QStringLiteral("%1: duplicate timestamp %2 (the device already has a row then)")
                              .arg(id, formatUtcTimestamp(ts))
                        : QStringLiteral("%1: timestamp %2 is before the device's previous row at %3")
                              .arg(id, formatUtcTimestamp(ts), formatUtcTimestamp(d.lastMs));
            report.addRejected(issue);
            continue;
        }
        int bad = -1;
        for (const int ch : channelsByColumn_) {
            const double v = row[ch];
            const ChannelSpec& spec = catalog_.channel(ch);
            if (!isMissing(v) && (v < spec.min || v > spec.max)) {
                bad = ch;
                break;
            }
        }
        if (bad >= 0) {
            const ChannelSpec& spec = catalog_.channel(bad);
            RowIssue issue{line, layout_.channels[static_cast<std::size_t>(bad)], kRange, {}, id};
            if (report.wantsExample(kRange, line, issue.column))
                issue.message = QStringLiteral("%1 = %2 is outside the valid range [%3, %4] %5")
                                    .arg(spec.name, QString::number(row[bad], 'g', 10),
                                         QString::number(spec.min), QString::number(spec.max), spec.unit)
                                    .trimmed();
            report.addRejected(issue);
            continue;
        }

        for (const int ch : channelsByColumn_) {
            if (!isMissing(row[ch]))
                continue;
            ++missing_[static_cast<std::size_t>(ch)];
            const qint64 column = layout_.channels[static_cast<std::size_t>(ch)];
            if (!missingExamplesFull && report.wantsExample(kMissingCheck, line, column)) {
                report.addWarning(RowIssue{
                    line, column, kMissingCheck,
                    QStringLiteral("%1: %2 is empty (missing value)").arg(id, catalog_.channel(ch).name),
                    id});
            } else {
                missingExamplesFull = true;
                ++uncountedMissing;
            }
        }
        checkGap(d, ts, line, report);
        d.accept(ts);
        if (d.batchRows == 0) {
            touched_.push_back(idx);
            d.batchFirstMs = ts;
        }
        ++d.batchRows;
        d.batchLastMs = ts;

        if (kept != r) {
            batch.deviceId[kept] = std::move(batch.deviceId[r]);
            batch.tsMs[kept] = ts;
            batch.state[kept] = batch.state[r];
            std::copy_n(row, nc, batch.values.data() + kept * nc);
            batch.errorCode[kept] = batch.errorCode[r];
            batch.faultTag[kept] = std::move(batch.faultTag[r]);
            batch.sourceLine[kept] = line;
        }
        ++kept;
    }
    batch.deviceId.resize(kept);
    batch.tsMs.resize(kept);
    batch.state.resize(kept);
    batch.values.resize(kept * nc);
    batch.errorCode.resize(kept);
    batch.faultTag.resize(kept);
    batch.sourceLine.resize(kept);

    report.countWarnings(kMissingCheck, uncountedMissing);
    for (int ch = 0; ch < catalog_.size(); ++ch) {
        // Every channel is listed, so "0 missing" is visible in the report too.
        report.addMissingCells(catalog_.channel(ch).name, missing_[static_cast<std::size_t>(ch)]);
        missing_[static_cast<std::size_t>(ch)] = 0;
    }
    for (const int idx : touched_) {
        DeviceState& d = devices_[static_cast<std::size_t>(idx)];
        report.mergeDevice(d.id, d.batchRows, d.batchFirstMs, d.batchLastMs);
        d.batchRows = 0;
    }
}

void RowValidator::finish(ValidationReport& report) {
    for (DeviceState& d : devices_) {
        if (d.typicalMs != 0 || d.intervals < kMinIntervalsForGaps)
            continue;
        d.typicalMs = d.medianInterval();
        for (const Interval& w : d.warmup) reportGap(d, w, report);
        d.warmup = {};
    }
}

}  // namespace itap
