#include "model/channel_dynamics.h"

#include "model/standard_scaler.h"

#include <Eigen/Dense>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace itap {

namespace {

constexpr double kRidge = 1e-3;  // × mean diagonal of the level covariance

// Accumulated centred moments of one group: sums first, centred cross-products after the means are known.
struct Moments {
    double n = 0;
    Eigen::VectorXd sumX, sumY;
    Eigen::MatrixXd sxx, sxy;  // L×L, L×C
    Eigen::VectorXd syy;       // C
};

// The level regressions of one group: for every channel c, its mean on the other channels' means (ridge, the
// same λ as the trends), from the centred level moments. Writes L blocks of the coefficient layout to `out`;
// false when a system cannot be solved.
bool fitLevels(double n, const Eigen::VectorXd& sumX, const Eigen::MatrixXd& sxx, double lambda,
               double* out) {
    const Eigen::Index L = sumX.size();
    const std::size_t stride = 2 + 2 * static_cast<std::size_t>(L);
    for (Eigen::Index c = 0; c < L; ++c) {
        double* k = out + static_cast<std::size_t>(c) * stride;
        const Eigen::Index K = L - 1;
        Eigen::MatrixXd a(K, K);
        Eigen::VectorXd b(K);
        for (Eigen::Index i = 0, ii = 0; i < L; ++i) {
            if (i == c)
                continue;
            b(ii) = sxx(i, c);
            for (Eigen::Index j = 0, jj = 0; j < L; ++j) {
                if (j == c)
                    continue;
                a(ii, jj++) = sxx(i, j);
            }
            ++ii;
        }
        Eigen::VectorXd gamma = Eigen::VectorXd::Zero(K);
        if (K > 0) {
            const Eigen::LDLT<Eigen::MatrixXd> ldlt(a + lambda * Eigen::MatrixXd::Identity(K, K));
            if (ldlt.info() != Eigen::Success)
                return false;
            gamma = ldlt.solve(b);
            if (!gamma.allFinite())
                return false;
        }
        // Residual sum of squares: Syy − 2γ'b + γ'Aγ (A without the ridge).
        const double ssr = std::max(0.0, sxx(c, c) - 2.0 * gamma.dot(b) + gamma.dot(a * gamma));
        const double meanY = sumX(c) / n;
        double sigma = std::sqrt(ssr / n);
        if (!(sigma > 1e-9 * std::max(1.0, std::fabs(meanY))))
            sigma = 1.0;  // a level the others fix exactly: residuals are compared in raw units
        k[0] = meanY;
        k[1] = sigma;
        for (Eigen::Index i = 0, ii = 0; i < L; ++i) {
            k[2 + i] = sumX(i) / n;
            k[2 + L + i] = i == c ? 0.0 : gamma(ii++);
        }
    }
    return true;
}

}  // namespace

ChannelDynamics ChannelDynamics::fit(const FeatureRows& rows, const std::vector<OpState>& states,
                                     const std::vector<int>& deviceIndex, const QStringList& devices,
                                     const std::vector<QString>& featureNames, bool levels) {
    ChannelDynamics d;
    for (std::size_t c = 0; c < featureNames.size(); ++c) {
        const QString& name = featureNames[c];
        if (!name.endsWith(QLatin1String("_trend")))
            continue;
        const QString mean = name.left(name.size() - 6) + QLatin1String("_mean");
        const auto it = std::find(featureNames.begin(), featureNames.end(), mean);
        if (it == featureNames.end())
            continue;
        d.trends_.push_back(static_cast<int>(c));
        d.levels_.push_back(static_cast<int>(it - featureNames.begin()));
    }
    if (d.trends_.empty() || rows.cols != static_cast<int>(featureNames.size()))
        return d;
    d.devices_ = deviceIndex.empty() ? QStringList{} : devices;
    d.indexDevices();

    const auto L = static_cast<Eigen::Index>(d.levels_.size());
    const int groups = d.groupCount();
    const int stateBase = static_cast<int>(d.devices_.size()) * kOpStateCount;
    std::vector<Moments> m(static_cast<std::size_t>(groups));
    for (auto& g : m) {
        g.sumX = Eigen::VectorXd::Zero(L);
        g.sumY = Eigen::VectorXd::Zero(L);
        g.sxx = Eigen::MatrixXd::Zero(L, L);
        g.sxy = Eigen::MatrixXd::Zero(L, L);
        g.syy = Eigen::VectorXd::Zero(L);
    }
    Eigen::VectorXd x(L), y(L);
    auto load = [&](std::size_t r) {
        const float* row = rows.row(r);
        for (Eigen::Index k = 0; k < L; ++k) {
            x(k) = row[d.levels_[static_cast<std::size_t>(k)]];
            y(k) = row[d.trends_[static_cast<std::size_t>(k)]];
        }
        return x.allFinite() && y.allFinite();
    };
    auto groupsOf = [&](std::size_t r, int out[2]) {
        const int s = std::min(static_cast<int>(states[r]), kOpStateCount - 1);
        out[0] = stateBase + s;
        out[1] = (!deviceIndex.empty() && deviceIndex[r] >= 0 &&
                  deviceIndex[r] < static_cast<int>(d.devices_.size()))
                     ? deviceIndex[r] * kOpStateCount + s
                     : -1;
    };
    // Calls fn(moments) for every group a finite row belongs to, with x and y loaded.
    auto forEachRowGroup = [&](auto&& fn) {
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            if (!load(r))
                continue;
            int g[2];
            groupsOf(r, g);
            for (int gi : g)
                if (gi >= 0)
                    fn(m[static_cast<std::size_t>(gi)]);
        }
    };
    // Pass 1: means. Pass 2: centred cross-products (exact, no cancellation on levels like 230 V).
    forEachRowGroup([&](Moments& mm) {
        mm.n += 1;
        mm.sumX += x;
        mm.sumY += y;
    });
    forEachRowGroup([&](Moments& mm) {
        const Eigen::VectorXd dx = x - mm.sumX / mm.n;
        const Eigen::VectorXd dy = y - mm.sumY / mm.n;
        mm.sxx.noalias() += dx * dx.transpose();
        mm.sxy.noalias() += dx * dy.transpose();
        mm.syy += dy.cwiseProduct(dy);
    });

    const std::size_t stride = d.stride();
    d.fitted_.assign(static_cast<std::size_t>(groups), 0);
    d.coef_.assign(static_cast<std::size_t>(groups) * static_cast<std::size_t>(L) * stride, 0.0);
    if (levels)
        d.levelCoef_.assign(d.coef_.size(), 0.0);
    const double minRows = static_cast<double>(kMinRowsPerCoefficient) * static_cast<double>(L + 1);
    for (int gi = 0; gi < groups; ++gi) {
        const Moments& mm = m[static_cast<std::size_t>(gi)];
        if (mm.n < minRows)
            continue;
        const double lambda = kRidge * std::max(1e-12, mm.sxx.diagonal().mean());
        const Eigen::MatrixXd a = mm.sxx + lambda * Eigen::MatrixXd::Identity(L, L);
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(a);
        if (ldlt.info() != Eigen::Success)
            continue;
        const Eigen::MatrixXd beta = ldlt.solve(mm.sxy);  // L × C
        if (!beta.allFinite())
            continue;
        if (levels && !fitLevels(mm.n, mm.sumX, mm.sxx, lambda,
                                 d.levelCoef_.data() +
                                     static_cast<std::size_t>(gi) * static_cast<std::size_t>(L) * stride))
            continue;
        d.fitted_[static_cast<std::size_t>(gi)] = 1;
        for (Eigen::Index c = 0; c < L; ++c) {
            // Residual sum of squares of the ridge fit: Syy − 2β'Sxy + β'Sxxβ.
            const Eigen::VectorXd b = beta.col(c);
            const double ssr = std::max(0.0, mm.syy(c) - 2.0 * b.dot(mm.sxy.col(c)) + b.dot(mm.sxx * b));
            const double meanY = mm.sumY(c) / mm.n;
            double sigma = std::sqrt(ssr / mm.n);
            if (!(sigma > 1e-9 * std::max(1.0, std::fabs(meanY))))
                sigma = 1.0;  // a trend the levels explain exactly: residuals are compared in raw units
            double* out = d.coef_.data() + (static_cast<std::size_t>(gi) * static_cast<std::size_t>(L) +
                                            static_cast<std::size_t>(c)) *
                                               stride;
            out[0] = meanY;
            out[1] = sigma;
            for (Eigen::Index k = 0; k < L; ++k) {
                out[2 + k] = mm.sumX(k) / mm.n;
                out[2 + L + k] = b(k);
            }
        }
    }
    return d;
}

void ChannelDynamics::indexDevices() {
    slot_.clear();
    for (int i = 0; i < devices_.size(); ++i) slot_.insert(devices_[i], i);
}

bool ChannelDynamics::active() const {
    return std::any_of(fitted_.begin(), fitted_.end(), [](char f) { return f != 0; });
}

int ChannelDynamics::groupFor(int deviceSlot, OpState state) const {
    if (fitted_.empty())
        return -1;
    const int s = std::min(static_cast<int>(state), kOpStateCount - 1);
    if (deviceSlot >= 0 && deviceSlot < static_cast<int>(devices_.size())) {
        const int g = deviceSlot * kOpStateCount + s;
        if (fitted_[static_cast<std::size_t>(g)])
            return g;
    }
    const int g = static_cast<int>(devices_.size()) * kOpStateCount + s;
    return fitted_[static_cast<std::size_t>(g)] ? g : -1;
}

void ChannelDynamics::apply(int group, const float* raw, float* out) const {
    if (group < 0)
        return;
    const std::size_t L = levels_.size();
    const std::size_t stride = this->stride();
    bool levelsFinite = true;
    for (int col : levels_) levelsFinite = levelsFinite && std::isfinite(raw[col]);
    // The standardised residual of column `col` under coefficient block `k`.
    const auto residual = [&](const double* k, float y) {
        double pred = k[0];
        for (std::size_t j = 0; j < L; ++j)
            pred += k[2 + L + j] * (static_cast<double>(raw[levels_[j]]) - k[2 + j]);
        const double z = (static_cast<double>(y) - pred) / k[1];
        return static_cast<float>(std::clamp(z, -static_cast<double>(StandardScaler::kMaxAbsZ),
                                             static_cast<double>(StandardScaler::kMaxAbsZ)));
    };
    for (std::size_t c = 0; c < L; ++c) {
        const float y = raw[trends_[c]];
        out[trends_[c]] = levelsFinite && std::isfinite(y)
                              ? residual(coef_.data() + (static_cast<std::size_t>(group) * L + c) * stride, y)
                              : 0.0f;
    }
    if (levelsFinite && !levelCoef_.empty())
        for (std::size_t c = 0; c < L; ++c)
            out[levels_[c]] = residual(levelCoef_.data() + (static_cast<std::size_t>(group) * L + c) * stride,
                                       raw[levels_[c]]);
}

nlohmann::json ChannelDynamics::toJson() const {
    nlohmann::json devices = nlohmann::json::array();
    for (const QString& s : devices_) devices.push_back(s.toStdString());
    return {{"levels", levels_},
            {"trends", trends_},
            {"devices", std::move(devices)},
            {"fitted", std::vector<int>(fitted_.begin(), fitted_.end())},
            {"coefficients", coef_},
            {"level_coefficients", levelCoef_}};
}

Result<ChannelDynamics> ChannelDynamics::fromJson(const nlohmann::json& j, int cols, const QString& source) {
    auto bad = [&](const QString& what) {
        return Error::badInput(QStringLiteral("dynamics: ") + what, source);
    };
    if (!j.is_object())
        return bad(QStringLiteral("expected an object"));
    for (const char* key : {"levels", "trends", "devices", "fitted", "coefficients"})
        if (!j.contains(key) || !j[key].is_array())
            return bad(QStringLiteral("%1 must be an array").arg(QLatin1String(key)));
    ChannelDynamics d;
    auto columns = [&](const char* key, std::vector<int>& out) -> bool {
        for (const auto& v : j[key]) {
            if (!v.is_number_integer() || v.get<qint64>() < 0 || v.get<qint64>() >= cols)
                return false;
            out.push_back(v.get<int>());
        }
        return true;
    };
    if (!columns("levels", d.levels_) || !columns("trends", d.trends_) ||
        d.levels_.size() != d.trends_.size())
        return bad(QStringLiteral("levels and trends must be columns below %1, as many of each").arg(cols));
    for (const auto& v : j["devices"]) {
        if (!v.is_string())
            return bad(QStringLiteral("devices must be strings"));
        d.devices_.push_back(QString::fromStdString(v.get<std::string>()));
    }
    d.indexDevices();
    const auto groups = static_cast<std::size_t>(d.groupCount());
    for (const auto& v : j["fitted"]) {
        if (!v.is_number_integer() || (v.get<int>() != 0 && v.get<int>() != 1))
            return bad(QStringLiteral("fitted must hold 0 or 1"));
        d.fitted_.push_back(static_cast<char>(v.get<int>()));
    }
    if (!d.levels_.empty() && d.fitted_.size() != groups)
        return bad(QStringLiteral("fitted must have %1 entries").arg(groups));
    for (const auto& v : j["coefficients"]) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            return bad(QStringLiteral("coefficients must be finite numbers"));
        d.coef_.push_back(v.get<double>());
    }
    if (d.coef_.size() != (d.levels_.empty() ? 0 : groups * d.levels_.size() * d.stride()))
        return bad(QStringLiteral("coefficients has the wrong size"));
    // Absent in files written before level residuals existed: such a model keeps the scaled means.
    if (j.contains("level_coefficients")) {
        if (!j["level_coefficients"].is_array())
            return bad(QStringLiteral("level_coefficients must be an array"));
        for (const auto& v : j["level_coefficients"]) {
            if (!v.is_number() || !std::isfinite(v.get<double>()))
                return bad(QStringLiteral("level_coefficients must be finite numbers"));
            d.levelCoef_.push_back(v.get<double>());
        }
        if (!d.levelCoef_.empty() && d.levelCoef_.size() != d.coef_.size())
            return bad(QStringLiteral("level_coefficients has the wrong size"));
    }
    for (std::size_t g = 0; g < d.fitted_.size(); ++g)
        for (std::size_t c = 0; c < d.levels_.size() && d.fitted_[g]; ++c) {
            const std::size_t sigma = (g * d.levels_.size() + c) * d.stride() + 1;
            if (!(d.coef_[sigma] > 0) || (!d.levelCoef_.empty() && !(d.levelCoef_[sigma] > 0)))
                return bad(QStringLiteral("residual sigma must be positive"));
        }
    return d;
}

}  // namespace itap
