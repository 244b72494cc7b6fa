#include "telemetry/device_model.h"

#include <algorithm>
#include <cmath>

namespace itap {

ChannelKind channelKindOfFamily(const QString& family) {
    if (family == u"Voltage")
        return ChannelKind::Voltage;
    if (family == u"Current")
        return ChannelKind::Current;
    if (family == u"Temperature")
        return ChannelKind::Temperature;
    if (family == u"RPM")
        return ChannelKind::Rpm;
    if (family == u"Vibration")
        return ChannelKind::Vibration;
    return ChannelKind::Generic;
}

namespace {

// Physical constants of the model that are not worth a profile field; documented in the profile's "_doc".
constexpr double kLoadTauS = 30;            // drive response to a new load target
constexpr double kRpmTauS = 20;             // spin-up / spin-down
constexpr double kWanderTauS = 1800;        // slow load wander correlation time
constexpr double kVoltageLoadSag = 0.015;   // relative supply sag at full load
constexpr double kVoltageDailySag = 0.008;  // relative grid sag at the daily peak
constexpr double kMaintLoad = 0.02;         // controls and lights during maintenance
constexpr double kRpmLoadDroop = 0.01;      // induction-motor slip: speed drops a little with load
constexpr double kAmbientPeakHour = 15;     // warmest hour of the day (UTC)
constexpr double kVibrationFloor = 0.05;    // mm/s of structure-borne noise with the machine stopped
constexpr double kCooldownS = 600;          // minimum gap between two episodes of one device
// Sensor noise (σ) before DeviceParams::noiseScale.
constexpr double kVoltageNoise = 0.0025;     // × nominal voltage
constexpr double kCurrentNoise = 0.01;       // × reading, plus kCurrentNoiseFloor
constexpr double kCurrentNoiseFloor = 0.05;  // A
constexpr double kTemperatureNoise = 0.15;   // °C
constexpr double kRpmNoise = 0.001;          // × nominal speed, while turning
constexpr double kVibrationNoise = 0.04;     // × reading
constexpr double kGenericNoise = 0.005;      // × catalog range
constexpr double kGenericDaily = 0.03;       // × catalog range
constexpr double kGenericLoad = 0.08;        // × catalog range per unit of load above the device's base

double draw(SimRandom& rng, const ValueRange& r) {
    return rng.uniform(r.lo, r.hi);
}

double hourOfDay(qint64 tsMs) {
    constexpr qint64 kDayMs = 86400000;
    const qint64 msOfDay = ((tsMs % kDayMs) + kDayMs) % kDayMs;
    return double(msOfDay) / 3600000.0;
}

double dailyCycle(double hour, double peakHour) {
    return detmath::cos(2 * detmath::kPi * (hour - peakHour) / 24.0);
}

}  // namespace

DeviceModel::DeviceModel(const SimulationProfile& profile, const SensorCatalog& catalog,
                         const std::vector<ChannelKind>& kinds, int index)
    : profile_(profile),
      catalog_(catalog),
      kinds_(kinds),
      rng_(profile.seed, static_cast<std::uint64_t>(index)),
      id_(QStringLiteral("DEV-%1").arg(index + 1, 4, 10, QLatin1Char('0'))),
      dtS_(profile.intervalS) {
    // Baselines are drawn first and in a fixed order, so fault settings never change a device's physics.
    const DeviceParams& d = profile.device;
    voltageNominal_ = draw(rng_, d.voltageNominalV);
    ratedCurrent_ = draw(rng_, d.ratedCurrentA);
    baseLoad_ = draw(rng_, d.baseLoad);
    ambient_ = draw(rng_, d.ambientC);
    thermalRise_ = draw(rng_, d.thermalRiseC);
    const double tauS = draw(rng_, d.thermalTauMinutes) * 60.0;
    rpmNominal_ = draw(rng_, d.rpmNominal);
    vibrationBase_ = draw(rng_, d.vibrationMmS);
    thermalAlpha_ = 1.0 - detmath::exp(-dtS_ / tauS);
    loadAlpha_ = 1.0 - detmath::exp(-dtS_ / kLoadTauS);
    rpmAlpha_ = 1.0 - detmath::exp(-dtS_ / kRpmTauS);
    wanderPhi_ = detmath::exp(-dtS_ / kWanderTauS);
    wanderInnovation_ = std::sqrt(1.0 - wanderPhi_ * wanderPhi_) * d.loadWander;

    const int n = catalog.size();
    channelTrim_.resize(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) channelTrim_[std::size_t(c)] = rng_.uniform() - 0.5;  // in [-0.5, 0.5)
    lastValue_.assign(static_cast<std::size_t>(n), 0.0);

    // Start mid-period so that the fleet's state changes are not synchronised at t = 0.
    const StateMachineParams& m = profile.states;
    if (rng_.chance(0.9)) {
        state_ = OpState::Run;
        stateLeft_ = std::max<qint64>(
            1, qint64(double(drawPeriod(m.runMinMinutes, m.runMeanMinutes)) * rng_.uniform()));
    } else {
        state_ = OpState::Idle;
        stateLeft_ = std::max<qint64>(
            1, qint64(double(drawPeriod(m.idleMinMinutes, m.idleMeanMinutes)) * rng_.uniform()));
    }
    const double hour = hourOfDay(profile.startMs);
    const double target = state_ == OpState::Run
                              ? baseLoad_ * (1 + d.loadDailyAmplitude * dailyCycle(hour, d.loadPeakHour))
                              : m.idleLoad;
    load_ = std::clamp(target, 0.0, 1.0);
    rpm_ = state_ == OpState::Run ? rpmNominal_ : m.idleRpmFraction * rpmNominal_;
    temperature_ = ambient_ + thermalRise_ * load_ * load_;
}

qint64 DeviceModel::samples(double minutes) const {
    return std::max<qint64>(1, qint64(std::nearbyint(minutes * 60.0 / dtS_)));
}

qint64 DeviceModel::drawPeriod(double minMinutes, double meanMinutes) {
    return samples(minMinutes + rng_.exponential(meanMinutes - minMinutes));
}

bool DeviceModel::eligible(FaultType type) const {
    switch (type) {
        case FaultType::Overheat:
        case FaultType::BearingWear:
            return state_ == OpState::Run;
        case FaultType::PowerSpike:
            return state_ != OpState::Maint;
        case FaultType::SensorDropout:
            return true;
    }
    return false;
}

void DeviceModel::advanceState() {
    if (--stateLeft_ > 0)
        return;
    // A thermal or mechanical fault develops under load: the machine keeps running until it is over.
    if (episode_.active && state_ == OpState::Run &&
        (episode_.type == FaultType::Overheat || episode_.type == FaultType::BearingWear)) {
        stateLeft_ = 1;
        return;
    }
    const StateMachineParams& m = profile_.states;
    switch (state_) {
        case OpState::Run:
            if (rng_.chance(m.maintProbability)) {
                state_ = OpState::Maint;
                stateLeft_ = drawPeriod(m.maintMinMinutes, m.maintMeanMinutes);
            } else {
                state_ = OpState::Idle;
                stateLeft_ = drawPeriod(m.idleMinMinutes, m.idleMeanMinutes);
            }
            break;
        case OpState::Idle:
            state_ = OpState::Run;
            stateLeft_ = drawPeriod(m.runMinMinutes, m.runMeanMinutes);
            break;
        case OpState::Maint:
            state_ = OpState::Idle;
            stateLeft_ = drawPeriod(m.idleMinMinutes, m.idleMeanMinutes);
            break;
    }
}

void DeviceModel::maybeStartEpisode(qint64 step, qint64 tsMs) {
    if (episode_.active)
        return;
    if (cooldown_ > 0) {
        --cooldown_;
        return;
    }
    // One uniform per sample picks "no fault" or a type, in proportion to the per-sample hazards.
    const double u = rng_.uniform();
    double cumulative = 0;
    for (int t = 0; t < kFaultTypeCount; ++t) {
        const auto type = FaultType(t);
        const FaultEpisodeParams& e = profile_.episode(type);
        if (!e.enabled || e.ratePerDay <= 0 || !eligible(type))
            continue;
        cumulative += e.ratePerDay * dtS_ / 86400.0;
        if (u >= cumulative)
            continue;

        Episode ep;
        ep.active = true;
        ep.type = type;
        ep.start = step;
        ep.length = samples(draw(rng_, e.durationMinutes));
        ep.lastTsMs = tsMs;
        switch (type) {
            case FaultType::Overheat:
                ep.magnitude = draw(rng_, profile_.overheat.riseC);
                break;
            case FaultType::BearingWear:
                ep.magnitude = draw(rng_, profile_.bearingWear.growth);
                break;
            case FaultType::PowerSpike:
                break;  // the largest step actually applied is recorded as it happens
            case FaultType::SensorDropout:
                ep.channel = int(rng_.integer(0, catalog_.size() - 1));
                ep.stuck = rng_.chance(profile_.sensorDropout.stuckProbability);
                ep.stuckValue = lastValue_[std::size_t(ep.channel)];
                break;
        }
        episode_ = ep;
        return;
    }
}

void DeviceModel::closeEpisode() {
    SimulatedEpisode out;
    out.deviceId = id_;
    out.tag = faultTypeTag(episode_.type);
    out.startMs = profile_.startMs + episode_.start * qint64(profile_.intervalS) * 1000;
    out.endMs = episode_.lastTsMs;
    out.magnitude = episode_.magnitude;
    if (episode_.type == FaultType::SensorDropout) {
        out.channel = catalog_.channel(episode_.channel).name;
        out.stuck = episode_.stuck;
    }
    episodes_.push_back(std::move(out));
    episode_ = Episode{};
    cooldown_ = samples(kCooldownS / 60.0);
}

void DeviceModel::finish(qint64 lastTsMs) {
    if (!episode_.active)
        return;
    episode_.lastTsMs = lastTsMs;
    closeEpisode();
}

void DeviceModel::step(qint64 step, qint64 tsMs, double* values, OpState& state, int& errorCode,
                       QString& tag) {
    if (episode_.active && step >= episode_.start + episode_.length)
        closeEpisode();
    if (step > 0)
        advanceState();
    const bool wasActive = episode_.active;
    maybeStartEpisode(step, tsMs);
    // A dropout that starts on the very first sample has no earlier value to freeze: it freezes this one.
    const bool freezeNow = !wasActive && episode_.active && step == 0;

    const DeviceParams& d = profile_.device;
    const StateMachineParams& m = profile_.states;
    const double hour = hourOfDay(tsMs);
    const double daily = dailyCycle(hour, d.loadPeakHour);

    // Process: load follows the state and the daily cycle, current follows load, temperature lags current
    // (first-order thermal model), speed follows the state's setpoint, vibration follows speed.
    wander_ = wanderPhi_ * wander_ + wanderInnovation_ * rng_.normal();
    double loadTarget = kMaintLoad;
    double rpmTarget = 0;
    if (state_ == OpState::Run) {
        loadTarget = baseLoad_ * (1 + d.loadDailyAmplitude * daily) * (1 + wander_);
        rpmTarget = rpmNominal_ * (1 - kRpmLoadDroop * (load_ - baseLoad_));
    } else if (state_ == OpState::Idle) {
        loadTarget = m.idleLoad * (1 + wander_);
        rpmTarget = m.idleRpmFraction * rpmNominal_;
    }
    load_ += (std::clamp(loadTarget, 0.0, 1.0) - load_) * loadAlpha_;
    rpm_ += (rpmTarget - rpm_) * rpmAlpha_;
    const double ambient = ambient_ + d.ambientDailyAmplitudeC * dailyCycle(hour, kAmbientPeakHour);
    temperature_ += (ambient + thermalRise_ * load_ * load_ - temperature_) * thermalAlpha_;

    double voltage = voltageNominal_ * (1 - kVoltageLoadSag * load_ - kVoltageDailySag * daily);
    double current = ratedCurrent_ * load_;
    double temperature = temperature_;
    double rpm = rpm_;
    const double speed = rpmNominal_ > 0 ? rpm_ / rpmNominal_ : 0;
    double vibration = vibrationBase_ * speed * speed + kVibrationFloor;
    double rpmJitter = 0;

    // Faults act on the true process values, before the sensors add their noise.
    if (episode_.active) {
        const double progress = (double(step - episode_.start) + 0.5) / double(episode_.length);
        switch (episode_.type) {
            case FaultType::Overheat: {
                const double ramp = profile_.overheat.rampFraction;
                const double shape =
                    progress < ramp ? progress / ramp : (1 - progress) / std::max(1 - ramp, 1e-9);
                temperature += episode_.magnitude * std::clamp(shape, 0.0, 1.0);
                break;
            }
            case FaultType::BearingWear: {
                const BearingWearParams& b = profile_.bearingWear;
                const double excess = (episode_.magnitude - 1) * progress;
                const double t = double(step - episode_.start) * dtS_;
                vibration = vibration * (1 + excess) + b.oscillation * excess * vibrationBase_ *
                                                           detmath::sin(2 * detmath::kPi * t / b.periodS);
                rpmJitter = b.rpmJitter * progress;
                break;
            }
            case FaultType::PowerSpike: {
                const PowerSpikeParams& p = profile_.powerSpike;
                if (episode_.transientLeft == 0 &&
                    (step == episode_.start || rng_.chance(p.transientProbability))) {
                    episode_.transientLeft = int(rng_.integer(static_cast<long long>(p.transientSamples.lo),
                                                              static_cast<long long>(p.transientSamples.hi)));
                    episode_.transientStep = draw(rng_, p.voltageStep);
                }
                if (episode_.transientLeft > 0) {
                    --episode_.transientLeft;
                    voltage *= 1 + episode_.transientStep;
                    current *= 1 + p.currentCoupling * episode_.transientStep;
                    episode_.magnitude = std::max(episode_.magnitude, episode_.transientStep);
                }
                break;
            }
            case FaultType::SensorDropout:
                break;  // applied to the reading below
        }
        episode_.lastTsMs = tsMs;
    }

    // Sensors: every channel reads its family's process value with its own trim and noise.
    const double noise = d.noiseScale;
    const int n = catalog_.size();
    for (int c = 0; c < n; ++c) {
        const auto ci = std::size_t(c);
        const double trim = channelTrim_[ci];
        const ChannelSpec& spec = catalog_.channel(c);
        double v = 0;
        switch (kinds_[ci]) {
            case ChannelKind::Voltage:
                v = voltage * (1 + 0.006 * trim) + noise * kVoltageNoise * voltageNominal_ * rng_.normal();
                break;
            case ChannelKind::Current:
                v = current * (1 + 0.04 * trim) +
                    noise * (kCurrentNoise * current + kCurrentNoiseFloor) * rng_.normal();
                break;
            case ChannelKind::Temperature:
                v = temperature + 6.0 * trim + noise * kTemperatureNoise * rng_.normal();
                break;
            case ChannelKind::Rpm: {
                const double sigma = rpm > 1 ? noise * kRpmNoise * rpmNominal_ + rpmJitter * rpm : 0.0;
                v = rpm + sigma * rng_.normal();
                break;
            }
            case ChannelKind::Vibration:
                v = vibration * (1 + 0.4 * trim) * (1 + noise * kVibrationNoise * rng_.normal());
                break;
            case ChannelKind::Generic: {
                const double span = spec.max - spec.min;
                v = spec.min + (0.45 + 0.2 * trim) * span + kGenericDaily * span * daily +
                    kGenericLoad * span * (load_ - baseLoad_) + noise * kGenericNoise * span * rng_.normal();
                break;
            }
        }
        v = std::clamp(v, spec.min, spec.max);
        if (freezeNow && c == episode_.channel)
            episode_.stuckValue = v;
        if (episode_.active && episode_.type == FaultType::SensorDropout && c == episode_.channel)
            v = episode_.stuck ? episode_.stuckValue : kMissing;
        else
            lastValue_[ci] = v;
        values[c] = v;
    }

    state = state_;
    errorCode = 0;
    if (episode_.active) {
        if (rng_.chance(profile_.errors.faultRate))
            errorCode = profile_.episode(episode_.type).errorCode;
        tag = faultTypeTag(episode_.type);
    } else {
        const auto& codes = profile_.errors.codes;
        if (rng_.chance(profile_.errors.rate) && !codes.empty())
            errorCode = codes[std::size_t(rng_.integer(0, static_cast<long long>(codes.size()) - 1))];
        tag.clear();
    }
}

}  // namespace itap
