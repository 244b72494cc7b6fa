#include "telemetry/telemetry_csv_writer.h"

#include "common/time_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace itap {
namespace {

// Appends `v` rounded to `decimals` places, trailing zeros trimmed; nothing for a missing value.
void appendNumber(std::string& out, double v, int decimals) {
    if (!std::isfinite(v))
        return;
    char buf[400];  // fixed notation of the largest double needs 309 digits + decimals
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    char* end = res.ptr;
    if (decimals > 0) {
        while (end[-1] == '0') --end;
        if (end[-1] == '.')
            --end;
    }
    // -0.0001 rounds to "-0": a sign on zero would only confuse readers and diffs.
    if (end - buf == 2 && buf[0] == '-' && buf[1] == '0') {
        out.push_back('0');
        return;
    }
    out.append(buf, std::size_t(end - buf));
}

void appendInt(std::string& out, long long v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, std::size_t(res.ptr - buf));
}

QByteArray csvCell(const QString& text) {
    QByteArray utf8 = text.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

constexpr std::string_view stateCell(OpState s) {
    switch (s) {
        case OpState::Run:
            return "RUN";
        case OpState::Idle:
            return "IDLE";
        case OpState::Maint:
            return "MAINT";
    }
    return "RUN";
}

}  // namespace

double TelemetryCsvWriter::roundTrip(double v, int decimals) {
    if (!std::isfinite(v))
        return std::numeric_limits<double>::quiet_NaN();  // an empty cell
    char buf[400];  // fixed notation of the largest double needs 309 digits + decimals
    const auto written =
        std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, std::clamp(decimals, 0, 9));
    if (written.ec != std::errc())
        return v;
    double parsed = v;
    std::from_chars(buf, written.ptr, parsed);
    return parsed == 0 ? 0.0 : parsed;  // "-0.000" is written as 0
}

TelemetryCsvWriter::TelemetryCsvWriter(SensorCatalog catalog, int decimals)
    : catalog_(std::move(catalog)), decimals_(std::clamp(decimals, 0, 9)) {}

TelemetryCsvWriter::~TelemetryCsvWriter() {
    cancel();
}

QByteArray TelemetryCsvWriter::header() const {
    QByteArray h = "timestamp,device_id,state";
    for (const ChannelSpec& c : catalog_.channels()) h += ',' + csvCell(c.name);
    h += ",error_code,fault_tag\n";
    return h;
}

const QByteArray& TelemetryCsvWriter::textCell(QHash<QString, QByteArray>& cache, const QString& text) {
    auto it = cache.constFind(text);
    if (it != cache.constEnd())
        return *it;
    // A fleet has few distinct ids and tags; the bound only protects against pathological input.
    if (cache.size() > 100000)
        cache.clear();
    return *cache.insert(text, csvCell(text));
}

void TelemetryCsvWriter::formatRows(const TelemetryBatch& batch, std::string& out) {
    const std::size_t rows = batch.rowCount();
    const int channels = batch.channelCount;
    out.reserve(out.size() + rows * std::size_t(40 + 10 * channels));
    for (std::size_t r = 0; r < rows; ++r) {
        // Rows of one timestamp come together (one per device), so one cached string serves them all.
        if (cachedTs_.isEmpty() || batch.tsMs[r] != cachedTsMs_) {
            cachedTsMs_ = batch.tsMs[r];
            cachedTs_ = formatUtcTimestamp(cachedTsMs_).toLatin1();
        }
        out.append(cachedTs_.constData(), std::size_t(cachedTs_.size()));
        out.push_back(',');
        const QByteArray& id = textCell(deviceCells_, batch.deviceId[r]);
        out.append(id.constData(), std::size_t(id.size()));
        out.push_back(',');
        out.append(stateCell(batch.state[r]));
        const double* v = batch.values.data() + r * std::size_t(channels);
        for (int c = 0; c < channels; ++c) {
            out.push_back(',');
            appendNumber(out, v[c], decimals_);
        }
        out.push_back(',');
        appendInt(out, batch.errorCode[r]);
        out.push_back(',');
        if (!batch.faultTag[r].isEmpty()) {
            const QByteArray& tag = textCell(tagCells_, batch.faultTag[r]);
            out.append(tag.constData(), std::size_t(tag.size()));
        }
        out.push_back('\n');
    }
}

Status TelemetryCsvWriter::open(const QString& path) {
    cancel();
    path_ = path;
    file_ = std::make_unique<OutputFile>(path);
    if (Status s = file_->open(); !s) {
        file_.reset();
        return s;
    }
    const QByteArray h = header();
    if (Status s = file_->write(h.constData(), h.size()); !s) {
        cancel();
        return s;
    }
    return {};
}

Status TelemetryCsvWriter::write(const TelemetryBatch& batch) {
    if (!file_)
        return Error::failure(QStringLiteral("telemetry CSV writer: write() without open()"), path_);
    if (batch.channelCount != catalog_.size())
        return Error::failure(QStringLiteral("telemetry CSV writer: batch has %1 channels, the catalog %2")
                                  .arg(batch.channelCount)
                                  .arg(catalog_.size()),
                              path_);
    buffer_.clear();
    formatRows(batch, buffer_);
    if (Status s = file_->write(buffer_.data(), qint64(buffer_.size())); !s) {
        cancel();
        return s;
    }
    return {};
}

Status TelemetryCsvWriter::commit() {
    if (!file_)
        return Error::failure(QStringLiteral("telemetry CSV writer: commit() without open()"), path_);
    Status s = file_->commit();
    file_.reset();
    return s;
}

void TelemetryCsvWriter::cancel() {
    if (!file_)
        return;
    file_->cancel();
    file_.reset();
}

}  // namespace itap
