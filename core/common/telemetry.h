#pragma once

#include "common/tag_column.h"

#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace itap {

/// Operating state of a machine at one sample.
enum class OpState : std::uint8_t { Run = 0, Idle = 1, Maint = 2 };
inline constexpr int kOpStateCount = 3;

[[nodiscard]] inline QString opStateName(OpState s) {
    switch (s) {
        case OpState::Run: return QStringLiteral("RUN");
        case OpState::Idle: return QStringLiteral("IDLE");
        case OpState::Maint: return QStringLiteral("MAINT");
    }
    return QStringLiteral("RUN");
}

[[nodiscard]] inline std::optional<OpState> parseOpState(QStringView text) {
    if (text == u"RUN") return OpState::Run;
    if (text == u"IDLE") return OpState::Idle;
    if (text == u"MAINT") return OpState::Maint;
    return std::nullopt;
}

/// Missing sensor value (a dropout, or an empty CSV cell).
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
[[nodiscard]] inline bool isMissing(double v) { return std::isnan(v); }

/// Known fault tags of the simulator (imported data may carry any other non-empty tag).
namespace fault {
inline const QString kOverheat = QStringLiteral("overheat");
inline const QString kBearingWear = QStringLiteral("bearing_wear");
inline const QString kPowerSpike = QStringLiteral("power_spike");
inline const QString kSensorDropout = QStringLiteral("sensor_dropout");
[[nodiscard]] inline QStringList all() { return {kOverheat, kBearingWear, kPowerSpike, kSensorDropout}; }
}  // namespace fault

/// A batch of telemetry rows, row-major, as read from a CSV or written by the simulator.
/// `values` holds rowCount() × channelCount values; channel order is the sensor catalog's order.
struct TelemetryBatch {
    int channelCount = 0;
    std::vector<QString> deviceId;
    std::vector<qint64> tsMs;  ///< UTC milliseconds since the Unix epoch
    std::vector<OpState> state;
    std::vector<double> values;  ///< NaN = missing
    std::vector<int> errorCode;
    std::vector<QString> faultTag;    ///< empty = normal
    std::vector<qint64> sourceLine;   ///< 1-based line in the source file, 0 when not from a file

    [[nodiscard]] std::size_t rowCount() const { return tsMs.size(); }
    [[nodiscard]] double value(std::size_t row, int channel) const {
        return values[row * static_cast<std::size_t>(channelCount) + static_cast<std::size_t>(channel)];
    }
    void clear() {
        deviceId.clear(); tsMs.clear(); state.clear(); values.clear();
        errorCode.clear(); faultTag.clear(); sourceLine.clear();
    }
    void reserve(std::size_t rows) {
        deviceId.reserve(rows); tsMs.reserve(rows); state.reserve(rows);
        values.reserve(rows * static_cast<std::size_t>(channelCount));
        errorCode.reserve(rows); faultTag.reserve(rows); sourceLine.reserve(rows);
    }
    /// Appends one row; `rowValues` must hold channelCount values.
    void append(const QString& device, qint64 ts, OpState st, const double* rowValues, int error,
                const QString& tag, qint64 line = 0) {
        deviceId.push_back(device); tsMs.push_back(ts); state.push_back(st);
        values.insert(values.end(), rowValues, rowValues + channelCount);
        errorCode.push_back(error); faultTag.push_back(tag); sourceLine.push_back(line);
    }
};

/// Columnar telemetry of one device in strictly increasing time order, as read from the store.
struct DeviceSeries {
    QString deviceId;
    std::vector<qint64> tsMs;
    std::vector<OpState> state;
    std::vector<std::vector<double>> channels;  ///< [channel][row], catalog order, NaN = missing
    std::vector<int> errorCode;
    TagColumn faultTag;  ///< empty = normal; all empty when the data has no labels

    [[nodiscard]] std::size_t size() const { return tsMs.size(); }
};

}  // namespace itap
