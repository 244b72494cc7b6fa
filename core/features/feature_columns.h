#pragma once

// Column layout of a feature row. Each channel owns a contiguous block of kChannelStatCount columns
// (catalog order); the event counters follow after the last channel block.

#include <QString>

namespace itap {

/// Per-channel statistics over the trailing window, in column order inside a channel's block.
/// Column name: `<channel>_<suffix>` with the suffix from channelStatSuffix().
enum class ChannelStat : int {
    Value,        ///< current value; the last valid value while the channel is missing (0 before any)
    Mean,         ///< mean of the valid samples in the window
    Std,          ///< population standard deviation of the valid samples
    Min,          ///< minimum of the valid samples
    Max,          ///< maximum of the valid samples
    Trend,        ///< OLS slope of value against the real timestamps, units per minute
    Delta,        ///< current value minus the previous valid value (0 when either is missing)
    ZScore,       ///< (current − mean) / std, 0 when the current sample is missing or std is 0
    Resid,        ///< current value minus the window's OLS trend line at the current time
    FftEnergy,    ///< non-DC spectral energy of the detrended window per valid sample (units²)
    FftDom,       ///< bin 1..window/2 with the most detrended spectral energy, 0 when there is none
    MissingFrac,  ///< share of the window's rows where the channel is missing
};
inline constexpr int kChannelStatCount = 12;

/// Event counters and the operating state; family::kOperation, channel -1.
enum class EventStat : int {
    ErrorStreak,       ///< consecutive samples up to now with error_code != 0
    ErrorFrac,         ///< share of the window's rows with error_code != 0
    StateTransitions,  ///< state changes between consecutive rows inside the window
    SinceErrorS,       ///< seconds since the last row with an error, capped (cap when there was none)
    SinceStateS,       ///< seconds since the current state run began (or the device's first row), capped
    StateRun,          ///< 1 when the current state is RUN, else 0
    StateIdle,         ///< 1 when the current state is IDLE, else 0
    StateMaint,        ///< 1 when the current state is MAINT, else 0
};
inline constexpr int kEventStatCount = 8;

/// "value", "mean", ..., "missing_frac".
[[nodiscard]] QString channelStatSuffix(ChannelStat stat);
/// "error_streak", "error_frac", ..., "state_maint".
[[nodiscard]] QString eventStatName(EventStat stat);

[[nodiscard]] constexpr int channelColumn(int channel, ChannelStat stat) {
    return channel * kChannelStatCount + static_cast<int>(stat);
}
[[nodiscard]] constexpr int eventColumn(int channelCount, EventStat stat) {
    return channelCount * kChannelStatCount + static_cast<int>(stat);
}
[[nodiscard]] constexpr int featureCount(int channelCount) {
    return channelCount * kChannelStatCount + kEventStatCount;
}

}  // namespace itap
