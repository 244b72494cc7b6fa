#pragma once

// Instrument diagnostics: a channel that delivers no valid sample, or the same value sample after sample, for
// longer than it ever did in normal operation. ISA-18.2 calls the alarms these raise instrument diagnostic
// alarms and NAMUR NE 107 the condition "failure"; every DCS raises one for a bad PV whatever the process
// model says. They do not depend on the detector: a sensor that dropped out is a fault of the measurement,
// and the model's view of the device is unreliable until it is back.
//
// The rule, per channel and condition:
//   - Missing: the channel has had no valid (finite) sample since `sinceMs`, the timestamp of its last valid
//     sample (the device's first row when there was none).
//   - Frozen: the channel has repeated one value exactly since `sinceMs`, the timestamp of the first sample
//   of
//     that value. A value at the channel's catalog minimum or maximum is not frozen but saturated (a speed of
//     0 while stopped, a reading pinned at the end of its range): the detector judges those, not this rule.
//   The condition's duration at a row is ts − sinceMs. It is a fault once the duration exceeds the channel's
//   limit: `factor` × the longest duration of that condition seen on the channel in the normal rows of the
//   training span in the same operating state (any state when the state was never trained), and at least
//   `minMs`. A channel that is often missing, or quantised so coarsely that it repeats, in normal operation
//   thus raises nothing for what it always does.

#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace itap {

enum class SignalCondition : std::uint8_t { Missing = 0, Frozen = 1 };
inline constexpr int kSignalConditionCount = 2;

/// "missing" / "frozen".
[[nodiscard]] QString signalConditionName(SignalCondition c);

/// A diagnostic code packs a channel and a condition into one small integer (per-row storage); -1 = none.
[[nodiscard]] constexpr int signalDiagnosticCode(int channel, SignalCondition c) {
    return channel * kSignalConditionCount + static_cast<int>(c);
}
[[nodiscard]] constexpr int signalDiagnosticChannel(int code) {
    return code / kSignalConditionCount;
}
[[nodiscard]] constexpr SignalCondition signalDiagnosticCondition(int code) {
    return static_cast<SignalCondition>(code % kSignalConditionCount);
}

/// One run of a condition on one channel: rows [begin, end) of a table, each of them in the condition, which
/// began at sinceMs (see the rule above).
struct SignalRun {
    std::size_t begin = 0;
    std::size_t end = 0;
    qint64 sinceMs = 0;
    int channel = 0;
    SignalCondition condition = SignalCondition::Missing;
};

/// The conditions of every channel of one device, sample by sample (live mode; scanSignalRuns() is this in
/// a loop).
class SignalHealth {
public:
    static constexpr qint64 kNone = std::numeric_limits<qint64>::min();

    explicit SignalHealth(const SensorCatalog& catalog);

    /// Feeds the device's next sample (one value per catalog channel, NaN = missing), in time order.
    void push(qint64 tsMs, const double* values);
    /// When the channel's current run of `c` began, or kNone when the last sample is not in it.
    [[nodiscard]] qint64 since(int channel, SignalCondition c) const {
        return since_[std::size_t(channel) * kSignalConditionCount + std::size_t(c)];
    }
    [[nodiscard]] int channelCount() const { return static_cast<int>(ranges_.size()); }

private:
    std::vector<std::pair<double, double>> ranges_;  // catalog min, max
    std::vector<double> last_;                       // last valid value, NaN before any
    std::vector<qint64> lastValidMs_;
    std::vector<qint64> since_;  // [channel * 2 + condition]
    qint64 firstMs_ = kNone;
};

class SignalLimits;

/// The diagnostic code of the device's latest sample pushed into `health` at `tsMs` in `state`: the condition
/// beyond its limit that began first (ties: the lowest code), or -1 — signalDiagnostics()'s rule, sample by
/// sample (live mode).
[[nodiscard]] int signalDiagnosticAt(const SignalHealth& health, const SignalLimits& limits, qint64 tsMs,
                                     OpState state, double factor, qint64 minMs);

/// Every run of a condition in one device's series, with rows offset by `rowOffset` (its first table row).
[[nodiscard]] std::vector<SignalRun> scanSignalRuns(const DeviceSeries& series, const SensorCatalog& catalog,
                                                    std::size_t rowOffset);

/// How long each condition lasted at most, per channel and state, in the normal training rows; what the
/// diagnostics compare against. Stored in the model file.
class SignalLimits {
public:
    static constexpr qint64 kUnseen = -1;

    SignalLimits() = default;

    /// Learns from `runs` (scanSignalRuns over the whole table) on the table's normal rows of the training
    /// span (train == kTrainSpan, empty fault tag).
    [[nodiscard]] static SignalLimits learn(const std::vector<SignalRun>& runs, const ScoreTable& table,
                                            const SensorCatalog& catalog);

    /// True when learned (a model from before diagnostics has none: no diagnostics then).
    [[nodiscard]] bool learned() const { return !channels_.empty(); }
    [[nodiscard]] const std::vector<QString>& channels() const { return channels_; }
    /// Longest normal duration of `c` on `channel` in `state` (kUnseen when the state had no training row in
    /// the condition or no training row at all: then any state's).
    [[nodiscard]] qint64 longestMs(int channel, SignalCondition c, OpState state) const;
    /// The duration beyond which `c` on `channel` in `state` is a fault: max(minMs, factor × longest).
    [[nodiscard]] qint64 limitMs(int channel, SignalCondition c, OpState state, double factor,
                                 qint64 minMs) const;

    [[nodiscard]] nlohmann::json toJson() const;
    /// Restores toJson()'s output.
    [[nodiscard]] static Result<SignalLimits> fromJson(const nlohmann::json& j, const QString& source);

private:
    // Per channel: [condition][state 0..2, 3 = any state] longest duration in ms, kUnseen when none.
    using Table = std::array<std::array<qint64, kOpStateCount + 1>, kSignalConditionCount>;
    std::vector<QString> channels_;
    std::vector<Table> longest_;
};

/// Per table row, the diagnostic code (signalDiagnosticCode) of the condition beyond its limit that began
/// first (ties: the lowest code), or -1. Empty when `limits` is not learned.
[[nodiscard]] std::vector<std::int16_t> signalDiagnostics(const std::vector<SignalRun>& runs,
                                                          const ScoreTable& table, const SignalLimits& limits,
                                                          double factor, qint64 minMs);

}  // namespace itap
