#include "model/standard_scaler.h"

#include "common/json_util.h"

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace itap {
namespace {

constexpr int kStateTables = 1 + kOpStateCount;  // global + one per state, always stored first
constexpr std::size_t kProgressRows = 1 << 16;

// Mean and sum of squared deviations of one feature in one group.
struct Moments {
    double n = 0;
    double mean = 0;
    double m2 = 0;
};

// Chan et al.'s pairwise combination: exact for any split of the rows.
Moments merge(const Moments& a, const Moments& b) {
    if (a.n == 0)
        return b;
    if (b.n == 0)
        return a;
    Moments r;
    r.n = a.n + b.n;
    const double delta = b.mean - a.mean;
    r.mean = a.mean + delta * b.n / r.n;
    r.m2 = a.m2 + b.m2 + delta * delta * a.n * b.n / r.n;
    return r;
}

float scaleOf(const Moments& m) {
    const double sd = m.n > 0 ? std::sqrt(std::max(0.0, m.m2 / m.n)) : 0.0;
    const double tiny = 1e-6 * std::max(1.0, std::abs(m.mean));
    const auto s = static_cast<float>(sd);
    return sd <= tiny || !std::isfinite(s) || s <= 0.0F ? 1.0F : s;
}

}  // namespace

QString scalingModeName(ScalingMode mode) {
    switch (mode) {
        case ScalingMode::Global:
            return QStringLiteral("global");
        case ScalingMode::PerState:
            return QStringLiteral("per_state");
        case ScalingMode::PerDevice:
            return QStringLiteral("per_device");
        case ScalingMode::PerDeviceState:
            return QStringLiteral("per_device_state");
    }
    return QStringLiteral("per_state");
}

std::optional<ScalingMode> parseScalingMode(const QString& name) {
    for (ScalingMode m :
         {ScalingMode::Global, ScalingMode::PerState, ScalingMode::PerDevice, ScalingMode::PerDeviceState})
        if (scalingModeName(m) == name)
            return m;
    return std::nullopt;
}

Status ScalerParams::validate() const {
    if (minGroupRows < 2 || minGroupRows > 1'000'000'000)
        return Error::badInput(
            QStringLiteral("scaler.min_group_rows must be in [2, 1e9], got %1").arg(minGroupRows));
    return {};
}

int StandardScaler::tablesFor(ScalingMode mode, int devices) {
    switch (mode) {
        case ScalingMode::Global:
            return 1;
        case ScalingMode::PerState:
            return kStateTables;
        case ScalingMode::PerDevice:
            return kStateTables + devices;
        case ScalingMode::PerDeviceState:
            return kStateTables + kOpStateCount * devices;
    }
    return 1;
}

int StandardScaler::deviceSlot(const QString& device) const {
    return slotOf_.value(device, -1);
}

int StandardScaler::tableFor(int slot, OpState state) const {
    const int s = static_cast<int>(state);
    switch (params_.mode) {
        case ScalingMode::Global:
            return 0;
        case ScalingMode::PerState:
            return 1 + s;
        case ScalingMode::PerDevice:
            return slot < 0 ? 0 : kStateTables + slot;
        case ScalingMode::PerDeviceState:
            return slot < 0 ? 1 + s : kStateTables + kOpStateCount * slot + s;
    }
    return 0;
}

void StandardScaler::transform(int table, const float* raw, float* out) const {
    const auto F = static_cast<Eigen::Index>(cols_);
    const Eigen::Map<const Eigen::ArrayXf> x(raw, F), m(mean_.data() + offset(table), F),
        inv(invScale_.data() + offset(table), F);
    const auto z = (x - m) * inv;  // lazy, coefficient-wise: no temporary, `out` may alias `raw`
    // Only a NaN input gives a NaN z (mean and scale are finite); it scales to the group mean.
    Eigen::Map<Eigen::ArrayXf>(out, F) = (z == z).select(z.max(-kMaxAbsZ).min(kMaxAbsZ), 0.0F);
}

void StandardScaler::transform(const QString& device, OpState state, const float* raw, float* out) const {
    transform(tableFor(deviceSlot(device), state), raw, out);
}

void StandardScaler::finish() {
    invScale_.resize(scale_.size());
    for (std::size_t i = 0; i < scale_.size(); ++i) invScale_[i] = 1.0F / scale_[i];
    slotOf_.clear();
    for (int i = 0; i < devices_.size(); ++i) slotOf_.insert(devices_[i], i);
}

Result<StandardScaler> StandardScaler::fit(const FeatureRows& rows, const std::vector<OpState>& states,
                                           const std::vector<int>& deviceIndex, const QStringList& devices,
                                           const ScalerParams& params, const ProgressFn& progress) {
    if (Status st = params.validate(); !st)
        return st.error();
    const std::size_t n = rows.rows();
    const int cols = rows.cols;
    if (cols <= 0 || n == 0)
        return Error::badInput(QStringLiteral("no training rows to fit the scaler on"));
    if (!rows.wellFormed())
        return Error::badInput(QStringLiteral("feature matrix size is not a multiple of its column count"));
    if (states.size() != n)
        return Error::badInput(QStringLiteral("%1 states for %2 training rows").arg(states.size()).arg(n));
    const bool perDevice =
        params.mode == ScalingMode::PerDevice || params.mode == ScalingMode::PerDeviceState;
    if (!deviceIndex.empty() && deviceIndex.size() != n)
        return Error::badInput(
            QStringLiteral("%1 device indices for %2 training rows").arg(deviceIndex.size()).arg(n));
    if (perDevice && deviceIndex.empty())
        return Error::badInput(
            QStringLiteral("scaling mode %1 needs a device index per row").arg(scalingModeName(params.mode)));
    if (std::set<QString>(devices.begin(), devices.end()).size() != static_cast<std::size_t>(devices.size()))
        return Error::badInput(QStringLiteral("device list has duplicates"));
    const int deviceCount = deviceIndex.empty() ? 1 : static_cast<int>(devices.size());
    for (std::size_t r = 0; r < deviceIndex.size(); ++r)
        if (deviceIndex[r] < 0 || deviceIndex[r] >= deviceCount)
            return Error::badInput(QStringLiteral("training row %1 has device index %2 outside [0, %3)")
                                       .arg(r)
                                       .arg(deviceIndex[r])
                                       .arg(deviceCount));
    for (std::size_t r = 0; r < n; ++r)
        if (static_cast<int>(states[r]) >= kOpStateCount)
            return Error::badInput(QStringLiteral("training row %1 has an invalid state").arg(r));

    // Shifted sums per (device, state) group: one vectorised pass without divisions. Shifting by a value of
    // the data (the feature's first finite value) keeps the sum of squares from cancelling catastrophically.
    using ArrayXd = Eigen::ArrayXd;
    const auto F = static_cast<Eigen::Index>(cols);
    ArrayXd shift = ArrayXd::Constant(F, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < n && shift.isNaN().any(); ++r)
        for (int f = 0; f < cols; ++f)
            if (std::isnan(shift[f]) && std::isfinite(rows.at(r, f)))
                shift[f] = rows.at(r, f);
    shift = shift.isNaN().select(0.0, shift);

    const auto groups = static_cast<std::size_t>(deviceCount * kOpStateCount);
    Eigen::ArrayXXd count = Eigen::ArrayXXd::Zero(F, static_cast<Eigen::Index>(groups));
    Eigen::ArrayXXd sum = count, sumSq = count;
    for (std::size_t r = 0; r < n; ++r) {
        if (r % kProgressRows == 0 &&
            !reportProgress(progress, static_cast<qint64>(r), static_cast<qint64>(n),
                            QStringLiteral("Fitting the scaler")))
            return Error::cancelled();
        const auto g = static_cast<Eigen::Index>((deviceIndex.empty() ? 0 : deviceIndex[r]) * kOpStateCount +
                                                 static_cast<int>(states[r]));
        const ArrayXd x = Eigen::Map<const Eigen::ArrayXf>(rows.row(r), F).cast<double>();
        const auto finite = x.isFinite();
        const ArrayXd d = finite.select(x - shift, 0.0);
        count.col(g) += finite.cast<double>();
        sum.col(g) += d;
        sumSq.col(g) += d * d;
    }

    auto moments = [&](std::size_t g, int f) {
        Moments m;
        const auto gi = static_cast<Eigen::Index>(g);
        m.n = count(f, gi);
        if (m.n > 0) {
            const double meanShifted = sum(f, gi) / m.n;
            m.mean = shift[f] + meanShifted;
            m.m2 = std::max(0.0, sumSq(f, gi) - sum(f, gi) * meanShifted);
        }
        return m;
    };

    StandardScaler s;
    s.params_ = params;
    s.cols_ = cols;
    s.devices_ = deviceIndex.empty() ? QStringList{} : devices;
    s.tables_ = tablesFor(params.mode, static_cast<int>(s.devices_.size()));
    s.mean_.assign(static_cast<std::size_t>(s.tables_) * static_cast<std::size_t>(cols), 0.0F);
    s.scale_.assign(s.mean_.size(), 1.0F);
    const auto minRows = static_cast<double>(params.minGroupRows);
    for (int f = 0; f < cols; ++f) {
        std::vector<Moments> state(kOpStateCount), device(static_cast<std::size_t>(deviceCount));
        Moments global;
        for (int d = 0; d < deviceCount; ++d) {
            for (int st = 0; st < kOpStateCount; ++st) {
                const Moments m = moments(static_cast<std::size_t>(d * kOpStateCount + st), f);
                state[static_cast<std::size_t>(st)] = merge(state[static_cast<std::size_t>(st)], m);
                device[static_cast<std::size_t>(d)] = merge(device[static_cast<std::size_t>(d)], m);
            }
        }
        for (const Moments& m : state) global = merge(global, m);

        auto put = [&](int table, const Moments& m) {
            const std::size_t i = s.offset(table) + static_cast<std::size_t>(f);
            s.mean_[i] =
                m.n > 0 && std::isfinite(static_cast<float>(m.mean)) ? static_cast<float>(m.mean) : 0.0F;
            s.scale_[i] = scaleOf(m);
        };
        put(0, global);
        if (s.tables_ == 1)
            continue;
        std::vector<Moments> resolvedState(kOpStateCount);
        for (int st = 0; st < kOpStateCount; ++st) {
            const Moments& m = state[static_cast<std::size_t>(st)];
            resolvedState[static_cast<std::size_t>(st)] = m.n >= minRows ? m : global;
            put(1 + st, resolvedState[static_cast<std::size_t>(st)]);
        }
        for (int d = 0; d < static_cast<int>(s.devices_.size()); ++d) {
            if (params.mode == ScalingMode::PerDevice) {
                const Moments& m = device[static_cast<std::size_t>(d)];
                put(kStateTables + d, m.n >= minRows ? m : global);
            } else if (params.mode == ScalingMode::PerDeviceState) {
                for (int st = 0; st < kOpStateCount; ++st) {
                    const Moments m = moments(static_cast<std::size_t>(d * kOpStateCount + st), f);
                    put(kStateTables + kOpStateCount * d + st,
                        m.n >= minRows ? m : resolvedState[static_cast<std::size_t>(st)]);
                }
            }
        }
    }
    s.finish();
    reportProgress(progress, static_cast<qint64>(n), static_cast<qint64>(n),
                   QStringLiteral("Fitting the scaler"));
    return s;
}

nlohmann::json StandardScaler::toJson() const {
    nlohmann::json j;
    j["mode"] = scalingModeName(params_.mode).toStdString();
    j["min_group_rows"] = params_.minGroupRows;
    j["features"] = cols_;
    nlohmann::json devs = nlohmann::json::array();
    for (const QString& d : devices_) devs.push_back(d.toStdString());
    j["devices"] = std::move(devs);
    nlohmann::json tables = nlohmann::json::array();
    for (int t = 0; t < tables_; ++t) {
        nlohmann::json tj;
        tj["mean"] = std::vector<float>(mean(t), mean(t) + cols_);
        tj["scale"] = std::vector<float>(scale(t), scale(t) + cols_);
        tables.push_back(std::move(tj));
    }
    j["tables"] = std::move(tables);
    return j;
}

Result<StandardScaler> StandardScaler::fromJson(const nlohmann::json& j, int cols, const QString& source) {
    auto bad = [&](const QString& what) {
        return Error::badInput(QStringLiteral("scaler: ") + what, source);
    };
    if (!j.is_object())
        return bad(QStringLiteral("expected an object"));
    JsonReader rd(j, source, QStringLiteral("scaler"));
    StandardScaler s;
    auto mode = rd.string("mode");
    if (!mode)
        return mode.error();
    const auto parsed = parseScalingMode(*mode);
    if (!parsed)
        return rd.error("mode", QStringLiteral("unknown scaling mode \"%1\"").arg(*mode));
    s.params_.mode = *parsed;
    auto minRows = rd.integer("min_group_rows");
    if (!minRows)
        return minRows.error();
    if (*minRows < 2 || *minRows > 1'000'000'000)
        return rd.error("min_group_rows", QStringLiteral("out of range"));
    s.params_.minGroupRows = static_cast<int>(*minRows);
    auto features = rd.integer("features");
    if (!features)
        return features.error();
    if (*features != cols)
        return rd.error("features", QStringLiteral("does not match the model's %1 features").arg(cols));
    s.cols_ = cols;
    if (!j.contains("devices") || !j["devices"].is_array())
        return rd.error("devices", QStringLiteral("expected an array"));
    for (const auto& d : j["devices"]) {
        if (!d.is_string())
            return rd.error("devices", QStringLiteral("expected strings"));
        s.devices_.append(QString::fromStdString(d.get<std::string>()));
    }
    if (std::set<QString>(s.devices_.begin(), s.devices_.end()).size() !=
        static_cast<std::size_t>(s.devices_.size()))
        return rd.error("devices", QStringLiteral("has duplicates"));
    s.tables_ = tablesFor(s.params_.mode, static_cast<int>(s.devices_.size()));
    if (!j.contains("tables") || !j["tables"].is_array() ||
        j["tables"].size() != static_cast<std::size_t>(s.tables_))
        return rd.error("tables", QStringLiteral("expected an array of %1 tables").arg(s.tables_));
    s.mean_.reserve(static_cast<std::size_t>(s.tables_) * static_cast<std::size_t>(cols));
    s.scale_.reserve(s.mean_.capacity());
    for (const auto& t : j["tables"]) {
        for (const char* key : {"mean", "scale"}) {
            if (!t.is_object() || !t.contains(key) || !t[key].is_array() ||
                t[key].size() != static_cast<std::size_t>(cols))
                return rd.error("tables",
                                QStringLiteral("each table needs \"%1\" with %2 numbers").arg(key).arg(cols));
            for (const auto& v : t[key]) {
                if (!v.is_number())
                    return rd.error("tables", QStringLiteral("expected numbers"));
                const auto x = static_cast<float>(v.get<double>());
                if (!std::isfinite(x) || (key[0] == 's' && x <= 0.0F))
                    return rd.error("tables",
                                    QStringLiteral("%1 values must be finite%2")
                                        .arg(key, key[0] == 's' ? QStringLiteral(" and > 0") : QString()));
                (key[0] == 'm' ? s.mean_ : s.scale_).push_back(x);
            }
        }
    }
    s.finish();
    return s;
}

}  // namespace itap
