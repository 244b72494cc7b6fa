#include "telemetry/simulation_profile.h"

#include "common/json_util.h"
#include "common/telemetry.h"
#include "common/time_util.h"

#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace itap {

QString faultTypeTag(FaultType type) {
    switch (type) {
        case FaultType::Overheat:
            return fault::kOverheat;
        case FaultType::BearingWear:
            return fault::kBearingWear;
        case FaultType::PowerSpike:
            return fault::kPowerSpike;
        case FaultType::SensorDropout:
            return fault::kSensorDropout;
    }
    return fault::kOverheat;
}

std::optional<FaultType> faultTypeFromTag(const QString& tag) {
    for (int i = 0; i < kFaultTypeCount; ++i)
        if (faultTypeTag(FaultType(i)) == tag)
            return FaultType(i);
    return std::nullopt;
}

namespace {

// JSON keys of the fault sections, in FaultType order.
constexpr const char* kFaultKeys[kFaultTypeCount] = {"overheat", "bearing_wear", "power_spike",
                                                     "sensor_dropout"};

// One JSON object being read: remembers the keys it consumed so that a typo ("rate_pr_day") is an error
// instead of a silently ignored setting.
class Section {
public:
    Section(const nlohmann::json& obj, const QString& source, QString path)
        : obj_(obj), reader_(obj, source, path), path_(std::move(path)) {}

    Status number(const char* key, double& out) {
        used_.insert(QString::fromUtf8(key));
        auto v = reader_.number(key, out);
        if (!v)
            return v.error();
        out = *v;
        return {};
    }
    Status integer(const char* key, int& out) {
        used_.insert(QString::fromUtf8(key));
        auto v = reader_.integer(key, out);
        if (!v)
            return v.error();
        if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max())
            return reader_.error(key, QStringLiteral("out of range"));
        out = static_cast<int>(*v);
        return {};
    }
    Status boolean(const char* key, bool& out) {
        used_.insert(QString::fromUtf8(key));
        auto v = reader_.boolean(key, out);
        if (!v)
            return v.error();
        out = *v;
        return {};
    }
    Status range(const char* key, ValueRange& out) {
        used_.insert(QString::fromUtf8(key));
        if (!reader_.has(key))
            return {};
        const auto& v = obj_.at(key);
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
            return reader_.error(key, QStringLiteral("expected [low, high]"));
        const double lo = v[0].get<double>();
        const double hi = v[1].get<double>();
        if (!std::isfinite(lo) || !std::isfinite(hi))
            return reader_.error(key, QStringLiteral("expected finite numbers"));
        out = {lo, hi};
        return {};
    }
    Status integerList(const char* key, std::vector<int>& out) {
        used_.insert(QString::fromUtf8(key));
        if (!reader_.has(key))
            return {};
        const auto& v = obj_.at(key);
        if (!v.is_array())
            return reader_.error(key, QStringLiteral("expected an array of integers"));
        std::vector<int> list;
        for (const auto& item : v) {
            if (!item.is_number_integer())
                return reader_.error(key, QStringLiteral("expected an array of integers"));
            const auto x = item.get<std::int64_t>();
            if (x < 0 || x > std::numeric_limits<int>::max())
                return reader_.error(
                    key,
                    QStringLiteral("codes must be between 1 and %1").arg(std::numeric_limits<int>::max()));
            list.push_back(static_cast<int>(x));
        }
        out = std::move(list);
        return {};
    }
    Status seed(const char* key, std::uint64_t& out) {
        used_.insert(QString::fromUtf8(key));
        if (!reader_.has(key))
            return {};
        const auto& v = obj_.at(key);
        if (v.is_number_unsigned()) {
            out = v.get<std::uint64_t>();
            return {};
        }
        if (v.is_number_integer())
            return reader_.error(key, QStringLiteral("must be >= 0"));
        return reader_.error(key, QStringLiteral("expected a non-negative integer"));
    }
    Status timestamp(const char* key, qint64& out) {
        used_.insert(QString::fromUtf8(key));
        auto v = reader_.string(key, formatUtcTimestamp(out));
        if (!v)
            return v.error();
        const auto ms = parseUtcTimestamp(QStringView(*v));
        if (!ms)
            return reader_.error(key, QStringLiteral("expected a UTC timestamp like 2026-01-01T00:00:00Z"));
        out = *ms;
        return {};
    }
    /// A nested object; a missing one reads as empty (all defaults).
    Result<Section> object(const char* key) {
        used_.insert(QString::fromUtf8(key));
        if (!reader_.has(key))
            return Section(empty(), reader_.source(), child(key));
        const auto& v = obj_.at(key);
        if (!v.is_object())
            return reader_.error(key, QStringLiteral("expected an object"));
        return Section(v, reader_.source(), child(key));
    }
    void ignore(const char* key) { used_.insert(QString::fromUtf8(key)); }
    /// Fails on the first key that was not read (keys starting with '_' are comments).
    Status finish() const {
        for (auto it = obj_.begin(); it != obj_.end(); ++it) {
            const QString k = QString::fromStdString(it.key());
            if (k.startsWith(QLatin1Char('_')) || used_.contains(k))
                continue;
            return reader_.error(it.key().c_str(), QStringLiteral("unknown key"));
        }
        return {};
    }

private:
    static const nlohmann::json& empty() {
        static const nlohmann::json e = nlohmann::json::object();
        return e;
    }
    QString child(const char* key) const {
        return path_.isEmpty() ? QString::fromUtf8(key) : path_ + QLatin1Char('.') + QString::fromUtf8(key);
    }

    const nlohmann::json& obj_;
    JsonReader reader_;
    QString path_;
    QSet<QString> used_;
};

#define ITAP_TRY(expr)               \
    do {                             \
        if (Status s_ = (expr); !s_) \
            return s_.error();       \
    } while (false)

Status readEpisode(Section& s, FaultEpisodeParams& e) {
    ITAP_TRY(s.boolean("enabled", e.enabled));
    ITAP_TRY(s.number("rate_per_day", e.ratePerDay));
    ITAP_TRY(s.range("duration_minutes", e.durationMinutes));
    ITAP_TRY(s.integer("error_code", e.errorCode));
    return {};
}

Status readProfile(const nlohmann::json& j, const QString& source, SimulationProfile& p) {
    Section root(j, source, QString());
    root.ignore("schema_version");
    ITAP_TRY(root.integer("devices", p.devices));
    ITAP_TRY(root.integer("hours", p.hours));
    ITAP_TRY(root.integer("interval_s", p.intervalS));
    ITAP_TRY(root.seed("seed", p.seed));
    ITAP_TRY(root.timestamp("start", p.startMs));

    auto dev = root.object("device");
    if (!dev)
        return dev.error();
    DeviceParams& d = p.device;
    ITAP_TRY(dev->range("voltage_nominal_v", d.voltageNominalV));
    ITAP_TRY(dev->range("rated_current_a", d.ratedCurrentA));
    ITAP_TRY(dev->range("base_load", d.baseLoad));
    ITAP_TRY(dev->range("ambient_c", d.ambientC));
    ITAP_TRY(dev->range("thermal_rise_c", d.thermalRiseC));
    ITAP_TRY(dev->range("thermal_tau_minutes", d.thermalTauMinutes));
    ITAP_TRY(dev->range("rpm_nominal", d.rpmNominal));
    ITAP_TRY(dev->range("vibration_mm_s", d.vibrationMmS));
    ITAP_TRY(dev->number("load_daily_amplitude", d.loadDailyAmplitude));
    ITAP_TRY(dev->number("load_peak_hour", d.loadPeakHour));
    ITAP_TRY(dev->number("load_wander", d.loadWander));
    ITAP_TRY(dev->number("ambient_daily_amplitude_c", d.ambientDailyAmplitudeC));
    ITAP_TRY(dev->number("noise_scale", d.noiseScale));
    ITAP_TRY(dev->finish());

    auto st = root.object("states");
    if (!st)
        return st.error();
    StateMachineParams& m = p.states;
    ITAP_TRY(st->number("run_mean_minutes", m.runMeanMinutes));
    ITAP_TRY(st->number("run_min_minutes", m.runMinMinutes));
    ITAP_TRY(st->number("idle_mean_minutes", m.idleMeanMinutes));
    ITAP_TRY(st->number("idle_min_minutes", m.idleMinMinutes));
    ITAP_TRY(st->number("maint_mean_minutes", m.maintMeanMinutes));
    ITAP_TRY(st->number("maint_min_minutes", m.maintMinMinutes));
    ITAP_TRY(st->number("maint_probability", m.maintProbability));
    ITAP_TRY(st->number("idle_load", m.idleLoad));
    ITAP_TRY(st->number("idle_rpm_fraction", m.idleRpmFraction));
    ITAP_TRY(st->finish());

    auto err = root.object("errors");
    if (!err)
        return err.error();
    ITAP_TRY(err->number("rate", p.errors.rate));
    ITAP_TRY(err->integerList("codes", p.errors.codes));
    ITAP_TRY(err->number("fault_rate", p.errors.faultRate));
    ITAP_TRY(err->finish());

    auto faults = root.object("faults");
    if (!faults)
        return faults.error();
    {
        auto s = faults->object(kFaultKeys[0]);
        if (!s)
            return s.error();
        ITAP_TRY(readEpisode(*s, p.overheat.episode));
        ITAP_TRY(s->range("rise_c", p.overheat.riseC));
        ITAP_TRY(s->number("ramp_fraction", p.overheat.rampFraction));
        ITAP_TRY(s->finish());
    }
    {
        auto s = faults->object(kFaultKeys[1]);
        if (!s)
            return s.error();
        ITAP_TRY(readEpisode(*s, p.bearingWear.episode));
        ITAP_TRY(s->range("growth", p.bearingWear.growth));
        ITAP_TRY(s->number("period_s", p.bearingWear.periodS));
        ITAP_TRY(s->number("oscillation", p.bearingWear.oscillation));
        ITAP_TRY(s->number("rpm_jitter", p.bearingWear.rpmJitter));
        ITAP_TRY(s->finish());
    }
    {
        auto s = faults->object(kFaultKeys[2]);
        if (!s)
            return s.error();
        ITAP_TRY(readEpisode(*s, p.powerSpike.episode));
        ITAP_TRY(s->range("voltage_step", p.powerSpike.voltageStep));
        ITAP_TRY(s->range("transient_samples", p.powerSpike.transientSamples));
        ITAP_TRY(s->number("transient_probability", p.powerSpike.transientProbability));
        ITAP_TRY(s->number("current_coupling", p.powerSpike.currentCoupling));
        ITAP_TRY(s->finish());
    }
    {
        auto s = faults->object(kFaultKeys[3]);
        if (!s)
            return s.error();
        ITAP_TRY(readEpisode(*s, p.sensorDropout.episode));
        ITAP_TRY(s->number("stuck_probability", p.sensorDropout.stuckProbability));
        ITAP_TRY(s->finish());
    }
    ITAP_TRY(faults->finish());
    return root.finish();
}

// Validation helpers: each returns an error naming the JSON field path.
struct Checker {
    std::optional<Error> first;

    void fail(const QString& field, const QString& what) {
        if (!first)
            first = Error::badInput(field + QStringLiteral(": ") + what);
    }
    void atLeast(const QString& field, double v, double lo) {
        if (!(v >= lo))
            fail(field, QStringLiteral("must be >= %1").arg(lo));
    }
    void between(const QString& field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi))
            fail(field, QStringLiteral("must be between %1 and %2").arg(lo).arg(hi));
    }
    void positiveUpTo(const QString& field, double v, double hi) {
        if (!(v > 0 && v <= hi))
            fail(field, QStringLiteral("must be > 0 and <= %1").arg(hi));
    }
    void range(const QString& field, const ValueRange& r, double lo, double hi, bool openLow = false) {
        const bool lowOk = openLow ? r.lo > lo : r.lo >= lo;
        if (!(lowOk && r.hi <= hi))
            fail(field,
                 QStringLiteral("values must be %1 %2 and <= %3").arg(openLow ? ">" : ">=").arg(lo).arg(hi));
        else if (!(r.lo <= r.hi))
            fail(field, QStringLiteral("low must not exceed high"));
    }
};

void checkEpisode(Checker& c, const QString& path, const FaultEpisodeParams& e) {
    c.between(path + QStringLiteral(".rate_per_day"), e.ratePerDay, 0, 100);
    c.range(path + QStringLiteral(".duration_minutes"), e.durationMinutes, 0, 1440, true);
    c.atLeast(path + QStringLiteral(".error_code"), e.errorCode, 1);
}

}  // namespace

Status SimulationProfile::validate() const {
    Checker c;
    c.between(QStringLiteral("devices"), devices, 1, kMaxDevices);
    c.between(QStringLiteral("hours"), hours, 1, kMaxHours);
    c.between(QStringLiteral("interval_s"), intervalS, 1, kMaxIntervalS);
    // Timestamps stay within what formatUtcTimestamp prints as a four-digit year.
    constexpr qint64 kYear10000Ms = 253402300800000;
    if (startMs < 0 || startMs > kYear10000Ms - qint64(std::max(hours, 0)) * 3600000)
        c.fail(QStringLiteral("start"),
               QStringLiteral("must lie between 1970 and 9999 (with the whole run)"));

    const DeviceParams& d = device;
    c.range(QStringLiteral("device.voltage_nominal_v"), d.voltageNominalV, 0, 1e5, true);
    c.range(QStringLiteral("device.rated_current_a"), d.ratedCurrentA, 0, 1e5, true);
    c.range(QStringLiteral("device.base_load"), d.baseLoad, 0, 1, true);
    c.range(QStringLiteral("device.ambient_c"), d.ambientC, -40, 60);
    c.range(QStringLiteral("device.thermal_rise_c"), d.thermalRiseC, 0, 150);
    c.range(QStringLiteral("device.thermal_tau_minutes"), d.thermalTauMinutes, 0, 600, true);
    c.range(QStringLiteral("device.rpm_nominal"), d.rpmNominal, 0, 1e5, true);
    c.range(QStringLiteral("device.vibration_mm_s"), d.vibrationMmS, 0, 1e3, true);
    c.between(QStringLiteral("device.load_daily_amplitude"), d.loadDailyAmplitude, 0, 0.5);
    if (!(d.loadPeakHour >= 0 && d.loadPeakHour < 24))
        c.fail(QStringLiteral("device.load_peak_hour"), QStringLiteral("must be >= 0 and < 24"));
    c.between(QStringLiteral("device.load_wander"), d.loadWander, 0, 0.3);
    c.between(QStringLiteral("device.ambient_daily_amplitude_c"), d.ambientDailyAmplitudeC, 0, 20);
    c.between(QStringLiteral("device.noise_scale"), d.noiseScale, 0, 10);

    const StateMachineParams& m = states;
    c.positiveUpTo(QStringLiteral("states.run_min_minutes"), m.runMinMinutes, 1e5);
    c.positiveUpTo(QStringLiteral("states.idle_min_minutes"), m.idleMinMinutes, 1e5);
    c.positiveUpTo(QStringLiteral("states.maint_min_minutes"), m.maintMinMinutes, 1e5);
    c.between(QStringLiteral("states.run_mean_minutes"), m.runMeanMinutes, m.runMinMinutes, 1e5);
    c.between(QStringLiteral("states.idle_mean_minutes"), m.idleMeanMinutes, m.idleMinMinutes, 1e5);
    c.between(QStringLiteral("states.maint_mean_minutes"), m.maintMeanMinutes, m.maintMinMinutes, 1e5);
    c.between(QStringLiteral("states.maint_probability"), m.maintProbability, 0, 1);
    c.between(QStringLiteral("states.idle_load"), m.idleLoad, 0, 1);
    c.between(QStringLiteral("states.idle_rpm_fraction"), m.idleRpmFraction, 0, 1);

    c.between(QStringLiteral("errors.rate"), errors.rate, 0, 1);
    c.between(QStringLiteral("errors.fault_rate"), errors.faultRate, 0, 1);
    if (errors.rate > 0 && errors.codes.empty())
        c.fail(QStringLiteral("errors.codes"), QStringLiteral("must not be empty when errors.rate > 0"));
    for (int code : errors.codes)
        if (code <= 0)
            c.fail(QStringLiteral("errors.codes"), QStringLiteral("codes must be > 0"));

    checkEpisode(c, QStringLiteral("faults.overheat"), overheat.episode);
    c.range(QStringLiteral("faults.overheat.rise_c"), overheat.riseC, 0, 100);
    c.positiveUpTo(QStringLiteral("faults.overheat.ramp_fraction"), overheat.rampFraction, 1);

    checkEpisode(c, QStringLiteral("faults.bearing_wear"), bearingWear.episode);
    c.range(QStringLiteral("faults.bearing_wear.growth"), bearingWear.growth, 1, 10);
    // Below two samples per period the oscillation aliases into noise and the frequency is meaningless.
    if (!(bearingWear.periodS >= 2.0 * intervalS && bearingWear.periodS <= 86400))
        c.fail(QStringLiteral("faults.bearing_wear.period_s"),
               QStringLiteral("must be >= 2 * interval_s (%1) and <= 86400").arg(2 * intervalS));
    c.between(QStringLiteral("faults.bearing_wear.oscillation"), bearingWear.oscillation, 0, 2);
    c.between(QStringLiteral("faults.bearing_wear.rpm_jitter"), bearingWear.rpmJitter, 0, 0.1);

    checkEpisode(c, QStringLiteral("faults.power_spike"), powerSpike.episode);
    c.range(QStringLiteral("faults.power_spike.voltage_step"), powerSpike.voltageStep, 0, 1);
    c.range(QStringLiteral("faults.power_spike.transient_samples"), powerSpike.transientSamples, 1, 100);
    if (powerSpike.transientSamples.lo != std::floor(powerSpike.transientSamples.lo) ||
        powerSpike.transientSamples.hi != std::floor(powerSpike.transientSamples.hi))
        c.fail(QStringLiteral("faults.power_spike.transient_samples"), QStringLiteral("must be integers"));
    c.positiveUpTo(QStringLiteral("faults.power_spike.transient_probability"),
                   powerSpike.transientProbability, 1);
    c.between(QStringLiteral("faults.power_spike.current_coupling"), powerSpike.currentCoupling, 0, 5);

    checkEpisode(c, QStringLiteral("faults.sensor_dropout"), sensorDropout.episode);
    c.between(QStringLiteral("faults.sensor_dropout.stuck_probability"), sensorDropout.stuckProbability, 0,
              1);

    if (c.first)
        return *c.first;
    return {};
}

#undef ITAP_TRY

Result<SimulationProfile> SimulationProfile::fromJson(const nlohmann::json& j, const QString& source) {
    if (!j.is_object())
        return Error::badInput(QStringLiteral("simulation profile: expected a JSON object"), source);
    if (j.contains("schema_version") &&
        (!j["schema_version"].is_number_integer() || j["schema_version"] != 1))
        return Error::badInput(QStringLiteral("schema_version: unsupported (expected 1)"), source);
    SimulationProfile p;
    if (Status s = readProfile(j, source, p); !s)
        return s.error();
    if (Status s = p.validate(); !s) {
        Error e = s.error();
        e.file = source;
        return e;
    }
    return p;
}

Result<SimulationProfile> SimulationProfile::load(const QString& path) {
    auto j = readJsonFile(path);
    if (!j)
        return j.error();
    return fromJson(*j, path);
}

SimulationProfile SimulationProfile::defaults() {
    static const SimulationProfile profile = [] {
        auto r = load(QStringLiteral(":/itap/simulation_profile.json"));
        if (!r)
            qFatal("built-in simulation profile is invalid: %s", qPrintable(r.error().toString()));
        return std::move(r).value();
    }();
    return profile;
}

namespace {
nlohmann::json rangeJson(const ValueRange& r) {
    return nlohmann::json::array({r.lo, r.hi});
}

nlohmann::json episodeJson(const FaultEpisodeParams& e) {
    return {{"enabled", e.enabled},
            {"rate_per_day", e.ratePerDay},
            {"duration_minutes", rangeJson(e.durationMinutes)},
            {"error_code", e.errorCode}};
}
}  // namespace

nlohmann::json SimulationProfile::toJson() const {
    const DeviceParams& d = device;
    const StateMachineParams& m = states;
    nlohmann::json overheatJ = episodeJson(overheat.episode);
    overheatJ["rise_c"] = rangeJson(overheat.riseC);
    overheatJ["ramp_fraction"] = overheat.rampFraction;
    nlohmann::json bearingJ = episodeJson(bearingWear.episode);
    bearingJ["growth"] = rangeJson(bearingWear.growth);
    bearingJ["period_s"] = bearingWear.periodS;
    bearingJ["oscillation"] = bearingWear.oscillation;
    bearingJ["rpm_jitter"] = bearingWear.rpmJitter;
    nlohmann::json spikeJ = episodeJson(powerSpike.episode);
    spikeJ["voltage_step"] = rangeJson(powerSpike.voltageStep);
    spikeJ["transient_samples"] = rangeJson(powerSpike.transientSamples);
    spikeJ["transient_probability"] = powerSpike.transientProbability;
    spikeJ["current_coupling"] = powerSpike.currentCoupling;
    nlohmann::json dropoutJ = episodeJson(sensorDropout.episode);
    dropoutJ["stuck_probability"] = sensorDropout.stuckProbability;

    return {{"schema_version", 1},
            {"devices", devices},
            {"hours", hours},
            {"interval_s", intervalS},
            {"seed", seed},
            {"start", formatUtcTimestamp(startMs).toStdString()},
            {"device",
             {{"voltage_nominal_v", rangeJson(d.voltageNominalV)},
              {"rated_current_a", rangeJson(d.ratedCurrentA)},
              {"base_load", rangeJson(d.baseLoad)},
              {"ambient_c", rangeJson(d.ambientC)},
              {"thermal_rise_c", rangeJson(d.thermalRiseC)},
              {"thermal_tau_minutes", rangeJson(d.thermalTauMinutes)},
              {"rpm_nominal", rangeJson(d.rpmNominal)},
              {"vibration_mm_s", rangeJson(d.vibrationMmS)},
              {"load_daily_amplitude", d.loadDailyAmplitude},
              {"load_peak_hour", d.loadPeakHour},
              {"load_wander", d.loadWander},
              {"ambient_daily_amplitude_c", d.ambientDailyAmplitudeC},
              {"noise_scale", d.noiseScale}}},
            {"states",
             {{"run_mean_minutes", m.runMeanMinutes},
              {"run_min_minutes", m.runMinMinutes},
              {"idle_mean_minutes", m.idleMeanMinutes},
              {"idle_min_minutes", m.idleMinMinutes},
              {"maint_mean_minutes", m.maintMeanMinutes},
              {"maint_min_minutes", m.maintMinMinutes},
              {"maint_probability", m.maintProbability},
              {"idle_load", m.idleLoad},
              {"idle_rpm_fraction", m.idleRpmFraction}}},
            {"errors", {{"rate", errors.rate}, {"codes", errors.codes}, {"fault_rate", errors.faultRate}}},
            {"faults",
             {{kFaultKeys[0], overheatJ},
              {kFaultKeys[1], bearingJ},
              {kFaultKeys[2], spikeJ},
              {kFaultKeys[3], dropoutJ}}}};
}

const FaultEpisodeParams& SimulationProfile::episode(FaultType type) const {
    switch (type) {
        case FaultType::Overheat:
            return overheat.episode;
        case FaultType::BearingWear:
            return bearingWear.episode;
        case FaultType::PowerSpike:
            return powerSpike.episode;
        case FaultType::SensorDropout:
            return sensorDropout.episode;
    }
    return overheat.episode;
}

FaultEpisodeParams& SimulationProfile::episode(FaultType type) {
    // *this is non-const here, so casting the shared lookup's result back is safe.
    return const_cast<FaultEpisodeParams&>(std::as_const(*this).episode(type));
}

void SimulationProfile::scaleFaultRates(double factor) {
    for (int i = 0; i < kFaultTypeCount; ++i) episode(FaultType(i)).ratePerDay *= factor;
}

}  // namespace itap
