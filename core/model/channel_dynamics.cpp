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

// One group's stored moments (ChannelDynamics::moments_) read as matrices: n, mean_x[L], mean_y[L], Sxx
// (L×L), Sxy (L×L, levels by trends), Syy[L], all centred.
struct MomentView {
    std::size_t L = 0;
    double n = 0;
    Eigen::Map<const Eigen::VectorXd> meanX{nullptr, 0}, meanY{nullptr, 0};
    Eigen::Map<const Eigen::MatrixXd> sxx{nullptr, 0, 0}, sxy{nullptr, 0, 0};
    Eigen::Map<const Eigen::VectorXd> syy{nullptr, 0};

    MomentView(const double* p, std::size_t levels)
        : L(levels),
          n(p[0]),
          meanX(p + 1, Eigen::Index(levels)),
          meanY(p + 1 + levels, Eigen::Index(levels)),
          sxx(p + 1 + 2 * levels, Eigen::Index(levels), Eigen::Index(levels)),
          sxy(p + 1 + 2 * levels + levels * levels, Eigen::Index(levels), Eigen::Index(levels)),
          syy(p + 1 + 2 * levels + 2 * levels * levels, Eigen::Index(levels)) {}
};

// One ridge regression from centred moments: target with cross-moments `sty` against the regressors and sum
// of squares `stt`, on the regressors in `keep` (indices into the L levels). Writes one coefficient block
// (mean_y, sigma, mean_x[L], beta[L]; beta 0 outside `keep`). False when the system cannot be solved.
bool regress(const MomentView& m, const std::vector<Eigen::Index>& keep, const Eigen::VectorXd& sty,
             double stt, double meanT, double lambda, double* out) {
    const auto L = static_cast<Eigen::Index>(m.L);
    const auto K = static_cast<Eigen::Index>(keep.size());
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(K);
    Eigen::MatrixXd a(K, K);
    Eigen::VectorXd b(K);
    for (Eigen::Index i = 0; i < K; ++i) {
        b(i) = sty(keep[std::size_t(i)]);
        for (Eigen::Index j = 0; j < K; ++j) a(i, j) = m.sxx(keep[std::size_t(i)], keep[std::size_t(j)]);
    }
    if (K > 0) {
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(a + lambda * Eigen::MatrixXd::Identity(K, K));
        if (ldlt.info() != Eigen::Success)
            return false;
        beta = ldlt.solve(b);
        if (!beta.allFinite())
            return false;
    }
    // Residual sum of squares of the ridge fit: Stt − 2β'b + β'Aβ (A without the ridge).
    const double ssr = std::max(0.0, stt - 2.0 * beta.dot(b) + beta.dot(a * beta));
    double sigma = std::sqrt(ssr / m.n);
    if (!(sigma > 1e-9 * std::max(1.0, std::fabs(meanT))))
        sigma = 1.0;  // a target the regressors fix exactly: residuals are compared in raw units
    out[0] = meanT;
    out[1] = sigma;
    for (Eigen::Index k = 0; k < L; ++k) {
        out[2 + k] = m.meanX(k);
        out[2 + L + k] = 0.0;
    }
    for (Eigen::Index i = 0; i < K; ++i) out[2 + L + keep[std::size_t(i)]] = beta(i);
    return true;
}

// The coefficient blocks of one group with the levels marked in `excluded` left out as regressors: every
// channel's trend on the other levels (trendOut, L blocks) and, when levelOut is given, every channel's level
// on the other levels but its own. λ = kRidge × the mean level variance of the whole group, whatever is left
// out.
bool solveGroup(const MomentView& m, const std::vector<char>& excluded, double* trendOut, double* levelOut) {
    const auto L = static_cast<Eigen::Index>(m.L);
    const std::size_t stride = 2 + 2 * m.L;
    const double lambda = kRidge * std::max(1e-12, m.sxx.diagonal().mean());
    std::vector<Eigen::Index> keep;
    for (Eigen::Index k = 0; k < L; ++k)
        if (!excluded[std::size_t(k)])
            keep.push_back(k);
    for (Eigen::Index c = 0; c < L; ++c)
        if (!regress(m, keep, m.sxy.col(c), m.syy(c), m.meanY(c), lambda, trendOut + std::size_t(c) * stride))
            return false;
    if (!levelOut)
        return true;
    for (Eigen::Index c = 0; c < L; ++c) {
        std::vector<Eigen::Index> others;
        for (Eigen::Index k : keep)
            if (k != c)
                others.push_back(k);
        if (!regress(m, others, m.sxx.col(c), m.sxx(c, c), m.meanX(c), lambda,
                     levelOut + std::size_t(c) * stride))
            return false;
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
        const QString missing = name.left(name.size() - 6) + QLatin1String("_missing_frac");
        const auto mi = std::find(featureNames.begin(), featureNames.end(), missing);
        d.missing_.push_back(mi == featureNames.end() ? -1 : static_cast<int>(mi - featureNames.begin()));
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
    const std::size_t Lu = static_cast<std::size_t>(L);
    d.fitted_.assign(static_cast<std::size_t>(groups), 0);
    d.coef_.assign(static_cast<std::size_t>(groups) * Lu * stride, 0.0);
    if (levels)
        d.levelCoef_.assign(d.coef_.size(), 0.0);
    d.moments_.assign(static_cast<std::size_t>(groups) * d.momentStride(), 0.0);
    const double minRows = static_cast<double>(kMinRowsPerCoefficient) * static_cast<double>(L + 1);
    const std::vector<char> none(Lu, 0);
    for (int gi = 0; gi < groups; ++gi) {
        const Moments& mm = m[static_cast<std::size_t>(gi)];
        if (mm.n < minRows)
            continue;
        double* p = d.moments_.data() + static_cast<std::size_t>(gi) * d.momentStride();
        p[0] = mm.n;
        Eigen::Map<Eigen::VectorXd>(p + 1, L) = mm.sumX / mm.n;
        Eigen::Map<Eigen::VectorXd>(p + 1 + Lu, L) = mm.sumY / mm.n;
        Eigen::Map<Eigen::MatrixXd>(p + 1 + 2 * Lu, L, L) = mm.sxx;
        Eigen::Map<Eigen::MatrixXd>(p + 1 + 2 * Lu + Lu * Lu, L, L) = mm.sxy;
        Eigen::Map<Eigen::VectorXd>(p + 1 + 2 * Lu + 2 * Lu * Lu, L) = mm.syy;
        const std::size_t block = static_cast<std::size_t>(gi) * Lu * stride;
        if (!solveGroup(MomentView(p, Lu), none, d.coef_.data() + block,
                        levels ? d.levelCoef_.data() + block : nullptr)) {
            std::fill_n(p, d.momentStride(), 0.0);
            continue;
        }
        d.fitted_[static_cast<std::size_t>(gi)] = 1;
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
    const double* trendCoef = coef_.data() + static_cast<std::size_t>(group) * L * stride;
    const double* levelCoef =
        levelCoef_.empty() ? nullptr : levelCoef_.data() + static_cast<std::size_t>(group) * L * stride;
    // A channel with no valid sample in its window (missing fraction 1) holds a stale level, carried from
    // before the gap: it is left out as a regressor, from the moments (the regressions on the other
    // channels).
    const auto isStale = [&](std::size_t c) { return missing_[c] >= 0 && raw[missing_[c]] >= 1.0F; };
    std::vector<double> subset;
    if (!moments_.empty() && levelsFinite) {
        bool any = false;  // checked first: the scoring loop allocates nothing for the (usual) complete row
        for (std::size_t c = 0; c < L && !any; ++c) any = isStale(c);
        if (any) {
            std::vector<char> stale(L, 0);
            for (std::size_t c = 0; c < L; ++c) stale[c] = isStale(c) ? 1 : 0;
            subset.assign(2 * L * stride, 0.0);
            if (solveGroup(MomentView(moments_.data() + static_cast<std::size_t>(group) * momentStride(), L),
                           stale, subset.data(), levelCoef ? subset.data() + L * stride : nullptr)) {
                trendCoef = subset.data();
                if (levelCoef)
                    levelCoef = subset.data() + L * stride;
            }
        }
    }
    // The standardised residual of a column under coefficient block `k`.
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
        out[trends_[c]] = levelsFinite && std::isfinite(y) ? residual(trendCoef + c * stride, y) : 0.0f;
    }
    if (levelsFinite && levelCoef)
        for (std::size_t c = 0; c < L; ++c)
            out[levels_[c]] = residual(levelCoef + c * stride, raw[levels_[c]]);
}

nlohmann::json ChannelDynamics::toJson() const {
    nlohmann::json devices = nlohmann::json::array();
    for (const QString& s : devices_) devices.push_back(s.toStdString());
    return {{"levels", levels_},
            {"trends", trends_},
            {"devices", std::move(devices)},
            {"fitted", std::vector<int>(fitted_.begin(), fitted_.end())},
            {"coefficients", coef_},
            {"level_coefficients", levelCoef_},
            {"missing", missing_},
            {"moments", moments_}};
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
    // Absent in files written before stale levels were handled: such a model always uses the full
    // regressions.
    if (j.contains("moments") || j.contains("missing")) {
        if (!j.contains("moments") || !j["moments"].is_array() || !j.contains("missing") ||
            !j["missing"].is_array())
            return bad(QStringLiteral("moments and missing must both be arrays"));
        for (const auto& v : j["missing"]) {
            if (!v.is_number_integer() || v.get<qint64>() < -1 || v.get<qint64>() >= cols)
                return bad(QStringLiteral("missing must hold columns below %1, or -1").arg(cols));
            d.missing_.push_back(v.get<int>());
        }
        for (const auto& v : j["moments"]) {
            if (!v.is_number() || !std::isfinite(v.get<double>()))
                return bad(QStringLiteral("moments must be finite numbers"));
            d.moments_.push_back(v.get<double>());
        }
        if (d.moments_.empty() != d.missing_.empty() ||
            (!d.moments_.empty() &&
             (d.missing_.size() != d.levels_.size() || d.moments_.size() != groups * d.momentStride())))
            return bad(QStringLiteral("moments or missing has the wrong size"));
        for (std::size_t g = 0; g < d.fitted_.size() && !d.moments_.empty(); ++g)
            if (d.fitted_[g] && !(d.moments_[g * d.momentStride()] >= 1))
                return bad(QStringLiteral("a fitted group needs a positive row count in moments"));
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
