#pragma once

#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "telemetry/sim_random.h"
#include "telemetry/simulation_profile.h"
#include "telemetry/simulation_summary.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace itap {

/// How the simulator models a catalog channel; anything that is not one of the five default families
/// gets a generic plausible signal inside its valid range.
enum class ChannelKind : std::uint8_t { Voltage, Current, Temperature, Rpm, Vibration, Generic };

/// The kind of a catalog family name ("Voltage" → ChannelKind::Voltage, "Pressure" → Generic).
[[nodiscard]] ChannelKind channelKindOfFamily(const QString& family);

/// One simulated machine: its physical baselines, state machine, fault episodes and sensors.
/// Everything random comes from its own SimRandom stream (seed, device index), so a device's rows do not
/// depend on how many other devices there are or in which order they are stepped. Not thread-safe.
class DeviceModel {
public:
    /// `profile` and `catalog` must outlive the model; `profile` must have passed validate().
    DeviceModel(const SimulationProfile& profile, const SensorCatalog& catalog,
                const std::vector<ChannelKind>& kinds, int index);

    /// Advances one sample (sample number `step`, time `tsMs`) and writes the row: catalog.size() values
    /// into `values` (NaN = missing), the state, the error code and the fault tag (empty when normal).
    void step(qint64 step, qint64 tsMs, double* values, OpState& state, int& errorCode, QString& tag);
    /// Closes an episode still open at the end of the run; `lastTsMs` is the last sample's timestamp.
    void finish(qint64 lastTsMs);

    [[nodiscard]] const QString& id() const { return id_; }
    [[nodiscard]] const std::vector<SimulatedEpisode>& episodes() const { return episodes_; }

private:
    struct Episode {
        bool active = false;
        FaultType type = FaultType::Overheat;
        qint64 start = 0;       // sample number of the first labelled row
        qint64 length = 0;      // samples
        qint64 lastTsMs = 0;    // timestamp of the latest labelled row
        double magnitude = 0;   // rise °C, growth factor or voltage step (see SimulatedEpisode)
        int channel = -1;       // sensor_dropout
        bool stuck = false;     // sensor_dropout
        double stuckValue = 0;  // sensor_dropout
        int transientLeft = 0;  // power_spike: samples left in the current transient
        double transientStep = 0;
    };

    void advanceState();
    void maybeStartEpisode(qint64 step, qint64 tsMs);
    void closeEpisode();
    [[nodiscard]] qint64 samples(double minutes) const;
    [[nodiscard]] qint64 drawPeriod(double minMinutes, double meanMinutes);
    [[nodiscard]] bool eligible(FaultType type) const;

    const SimulationProfile& profile_;
    const SensorCatalog& catalog_;
    const std::vector<ChannelKind>& kinds_;
    SimRandom rng_;
    QString id_;
    double dtS_;

    // Physical baselines of this device.
    double voltageNominal_;
    double ratedCurrent_;
    double baseLoad_;
    double ambient_;
    double thermalRise_;
    double rpmNominal_;
    double vibrationBase_;
    double thermalAlpha_;  // first-order smoothing factors per sample
    double loadAlpha_;
    double rpmAlpha_;
    double wanderPhi_;
    double wanderInnovation_;
    std::vector<double>
        channelTrim_;  // per-channel scale/offset: two sensors of one family never agree exactly

    // Dynamic state.
    OpState state_ = OpState::Run;
    qint64 stateLeft_ = 0;
    double load_ = 0;
    double wander_ = 0;
    double rpm_ = 0;
    double temperature_ = 0;
    qint64 cooldown_ = 0;
    Episode episode_;
    std::vector<double> lastValue_;
    std::vector<SimulatedEpisode> episodes_;
};

}  // namespace itap
