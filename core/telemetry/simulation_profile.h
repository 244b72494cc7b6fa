#pragma once

#include "common/result.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace itap {

/// Fault types the simulator injects; the order is the order of SimulationProfile::episode().
enum class FaultType { Overheat = 0, BearingWear = 1, PowerSpike = 2, SensorDropout = 3 };
inline constexpr int kFaultTypeCount = 4;

/// The fault_tag written for a fault type (fault::kOverheat, ...).
[[nodiscard]] QString faultTypeTag(FaultType type);
[[nodiscard]] std::optional<FaultType> faultTypeFromTag(const QString& tag);

/// A closed interval [lo, hi]; per-device and per-episode values are drawn uniformly from it.
struct ValueRange {
    double lo = 0;
    double hi = 0;
    friend bool operator==(const ValueRange&, const ValueRange&) = default;
};

/// Per-device physical baselines: each device draws its own value from every range once, at the start.
struct DeviceParams {
    ValueRange voltageNominalV{228, 234};  ///< supply voltage at no load, V, (0, 1e5]
    ValueRange ratedCurrentA{22, 38};      ///< current at full load, A, (0, 1e5]
    ValueRange baseLoad{0.55, 0.8};        ///< mean RUN load as a fraction of rated, (0, 1]
    ValueRange ambientC{18, 28};           ///< mean ambient temperature, °C, [-40, 60]
    ValueRange thermalRiseC{40, 60};       ///< steady-state rise over ambient at full load, °C, [0, 150]
    ValueRange thermalTauMinutes{12, 30};  ///< first-order thermal time constant, minutes, (0, 600]
    ValueRange rpmNominal{1440, 1490};     ///< RUN speed setpoint, rpm, (0, 1e5]
    ValueRange vibrationMmS{1.2, 2.8};     ///< RMS vibration at nominal speed, mm/s, (0, 1e3]
    double loadDailyAmplitude = 0.15;      ///< relative amplitude of the daily load cycle, [0, 0.5]
    double loadPeakHour = 14;              ///< UTC hour of peak load, [0, 24)
    double loadWander = 0.04;              ///< standard deviation of the slow random load wander, [0, 0.3]
    double ambientDailyAmplitudeC = 3;     ///< daily ambient swing (± °C), [0, 20]
    double noiseScale = 1;                 ///< multiplies every sensor's noise, [0, 10]
    friend bool operator==(const DeviceParams&, const DeviceParams&) = default;
};

/// The RUN / IDLE / MAINT state machine. Period lengths are min + exponential(mean − min).
struct StateMachineParams {
    double runMeanMinutes = 240;     ///< mean RUN period, >= runMinMinutes
    double runMinMinutes = 60;       ///< shortest RUN period, > 0
    double idleMeanMinutes = 20;     ///< mean IDLE period, >= idleMinMinutes
    double idleMinMinutes = 3;       ///< shortest IDLE period, > 0
    double maintMeanMinutes = 90;    ///< mean MAINT period, >= maintMinMinutes
    double maintMinMinutes = 30;     ///< shortest MAINT period, > 0
    double maintProbability = 0.03;  ///< chance that a RUN period ends in MAINT instead of IDLE, [0, 1]
    double idleLoad = 0.12;          ///< IDLE load as a fraction of rated, [0, 1]
    double idleRpmFraction = 0.25;   ///< IDLE speed setpoint as a fraction of nominal, [0, 1]
    friend bool operator==(const StateMachineParams&, const StateMachineParams&) = default;
};

/// Background error codes (outside fault episodes).
struct ErrorCodeParams {
    double rate = 0.0005;                   ///< chance per sample of a non-zero code outside faults, [0, 1]
    std::vector<int> codes{101, 102, 201};  ///< codes drawn uniformly for background errors, each > 0
    double faultRate = 0.04;  ///< chance per sample of the fault's own code during an episode, [0, 1]
    friend bool operator==(const ErrorCodeParams&, const ErrorCodeParams&) = default;
};

/// How often and how long one fault type occurs. The CLI scales or disables these directly.
struct FaultEpisodeParams {
    bool enabled = true;               ///< false: the fault type never occurs
    double ratePerDay = 0;             ///< expected episodes per device-day of eligible time, [0, 100]
    ValueRange durationMinutes{1, 1};  ///< episode length, 0 < lo <= hi <= 1440
    int errorCode = 0;  ///< code reported (at ErrorCodeParams::faultRate) during the episode, > 0
    friend bool operator==(const FaultEpisodeParams&, const FaultEpisodeParams&) = default;
};

/// Slow temperature drift in RUN: the reading ramps up by `riseC` over the first `rampFraction` of the
/// episode and recovers linearly over the rest.
struct OverheatParams {
    FaultEpisodeParams episode{true, 0.5, {20, 60}, 310};
    ValueRange riseC{5, 12};    ///< peak rise over the normal reading, °C, [0, 100]
    double rampFraction = 0.7;  ///< share of the episode spent rising, (0, 1]
    friend bool operator==(const OverheatParams&, const OverheatParams&) = default;
};

/// Bearing wear in RUN: vibration grows linearly to `growth` × normal at the episode's end, with a
/// periodic component at a fixed frequency whose amplitude grows with it, and a little extra RPM jitter.
struct BearingWearParams {
    FaultEpisodeParams episode{true, 0.25, {60, 240}, 420};
    ValueRange growth{1.4, 2.5};  ///< vibration factor reached at the end of the episode, [1, 10]
    double periodS = 80;          ///< period of the characteristic oscillation, s, >= 2 × interval_s
    double oscillation = 0.3;  ///< oscillation amplitude relative to the growth excess × normal level, [0, 2]
    double rpmJitter = 0.004;  ///< extra RPM noise (σ, fraction of speed) at the episode's end, [0, 0.1]
    friend bool operator==(const BearingWearParams&, const BearingWearParams&) = default;
};

/// Supply transients in RUN or IDLE: during the episode, short bursts of `transientSamples` samples raise
/// the voltage by `voltageStep` and the current by currentCoupling × that step.
struct PowerSpikeParams {
    FaultEpisodeParams episode{true, 1.0, {2, 6}, 510};
    ValueRange voltageStep{0.06, 0.15};  ///< relative voltage rise of one transient, [0, 1]
    ValueRange transientSamples{1, 3};   ///< samples per transient, integers, 1 <= lo <= hi <= 100
    double transientProbability = 0.25;  ///< chance per sample that a new transient starts, (0, 1]
    double currentCoupling = 0.9;        ///< relative current change per relative voltage change, [0, 5]
    friend bool operator==(const PowerSpikeParams&, const PowerSpikeParams&) = default;
};

/// A sensor stops reporting in any state: one channel (drawn uniformly) is empty or frozen at its last value.
struct SensorDropoutParams {
    FaultEpisodeParams episode{true, 0.5, {5, 30}, 610};
    double stuckProbability = 0.3;  ///< chance the channel freezes instead of going empty, [0, 1]
    friend bool operator==(const SensorDropoutParams&, const SensorDropoutParams&) = default;
};

/// Everything the fleet simulator needs besides the sensor catalog. The defaults here equal the shipped
/// resources/simulation_profile.json (a test keeps them in step). Fields are plain so the CLI can
/// override devices/hours/intervalS/seed and the fault settings before calling validate().
struct SimulationProfile {
    static constexpr int kMaxDevices = 9999;    ///< ids DEV-0001 ... DEV-9999
    static constexpr int kMaxHours = 87840;     ///< ten years
    static constexpr int kMaxIntervalS = 3600;  ///< one sample an hour

    int devices = 20;                ///< fleet size, [1, kMaxDevices]
    int hours = 24;                  ///< simulated span, [1, kMaxHours]
    int intervalS = 10;              ///< sampling interval, s, [1, kMaxIntervalS]
    std::uint64_t seed = 42;         ///< run seed; the same seed gives the same bytes
    qint64 startMs = 1767225600000;  ///< first timestamp, UTC epoch ms (2026-01-01T00:00:00Z)
    DeviceParams device;
    StateMachineParams states;
    ErrorCodeParams errors;
    OverheatParams overheat;
    BearingWearParams bearingWear;
    PowerSpikeParams powerSpike;
    SensorDropoutParams sensorDropout;

    /// Parses a profile; keys left out keep the defaults above, unknown keys are errors (keys starting
    /// with "_" are comments). Errors name `source` and the field, e.g. "faults.overheat.rate_per_day".
    [[nodiscard]] static Result<SimulationProfile> fromJson(const nlohmann::json& j, const QString& source);
    [[nodiscard]] static Result<SimulationProfile> load(const QString& path);
    /// The profile shipped as :/itap/simulation_profile.json.
    [[nodiscard]] static SimulationProfile defaults();

    /// Every field, in the layout fromJson() reads.
    [[nodiscard]] nlohmann::json toJson() const;
    /// Checks every field's range; the error names the field as in the JSON ("interval_s: must be ...").
    [[nodiscard]] Status validate() const;

    /// Samples per device: hours × 3600 / intervalS, rounded down.
    [[nodiscard]] qint64 samplesPerDevice() const { return qint64(hours) * 3600 / intervalS; }

    [[nodiscard]] FaultEpisodeParams& episode(FaultType type);
    [[nodiscard]] const FaultEpisodeParams& episode(FaultType type) const;
    /// Multiplies every fault type's rate (CLI --fault-rate-scale).
    void scaleFaultRates(double factor);

    friend bool operator==(const SimulationProfile&, const SimulationProfile&) = default;
};

}  // namespace itap
