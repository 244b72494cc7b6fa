#include "model/tail_calibration.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace itap {
namespace {

// Type-7 quantile of sorted values at u in [0, 1].
double quantile(const std::vector<double>& sorted, double u) {
    const double h = u * double(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

double fallbackScale(double top) {
    return std::max(1e-12, 1e-6 * std::max(1.0, std::abs(top)));
}

}  // namespace

TailCalibration TailCalibration::fit(std::vector<double> values) {
    TailCalibration c;
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    if (values.empty())
        return c;
    std::sort(values.begin(), values.end());
    c.n_ = static_cast<std::int64_t>(values.size());
    const std::size_t m = std::min<std::size_t>(values.size(), kMaxKnots);
    if (m == 1) {
        c.knots_ = {values[0], values[0]};
    } else {
        c.knots_.resize(m);
        for (std::size_t i = 0; i < m; ++i) c.knots_[i] = quantile(values, double(i) / double(m - 1));
    }
    const double q = quantile(values, kTailQuantile);
    double excess = 0;
    std::size_t count = 0;
    for (auto it = std::upper_bound(values.begin(), values.end(), q); it != values.end(); ++it) {
        excess += *it - q;
        ++count;
    }
    c.beta_ = count > 0 ? excess / double(count) : 0.0;
    if (!(c.beta_ > 0) || !std::isfinite(c.beta_))
        c.beta_ = fallbackScale(values.back());
    return c;
}

double TailCalibration::knotP(std::size_t i) const {
    const double u = double(i) / double(knots_.size() - 1);
    const double rank = 1.0 + u * double(n_ - 1);
    return (double(n_) + 1.0 - rank) / (double(n_) + 1.0);
}

double TailCalibration::upperTail(double x) const {
    if (knots_.empty() || !std::isfinite(x))
        return 1.0;
    const std::size_t last = knots_.size() - 1;
    if (x >= knots_[last])
        return knotP(last) * std::exp(-(x - knots_[last]) / beta_);
    if (x < knots_[0])
        return knotP(0);
    // The first knot above x; ties at x resolve to the last of them (the smallest p).
    const auto j =
        static_cast<std::size_t>(std::upper_bound(knots_.begin(), knots_.end(), x) - knots_.begin());
    const std::size_t i = j - 1;
    const double span = knots_[j] - knots_[i];
    const double w = span > 0 ? (x - knots_[i]) / span : 0.0;
    return knotP(i) + w * (knotP(j) - knotP(i));
}

nlohmann::json TailCalibration::toJson() const {
    return {{"n", n_}, {"knots", knots_}, {"tail_scale", beta_}};
}

Result<TailCalibration> TailCalibration::fromJson(const nlohmann::json& j, const QString& source,
                                                  const QString& what) {
    auto bad = [&](const QString& why) { return Error::badInput(what + QStringLiteral(": ") + why, source); };
    if (!j.is_object() || !j.contains("n") || !j["n"].is_number_integer() || !j.contains("knots") ||
        !j["knots"].is_array() || !j.contains("tail_scale") || !j["tail_scale"].is_number())
        return bad(QStringLiteral("needs an integer n, a knots array and a tail_scale"));
    TailCalibration c;
    c.n_ = j["n"].get<std::int64_t>();
    const auto& knots = j["knots"];
    if (knots.size() < 2 || knots.size() > std::size_t{kMaxKnots} || c.n_ < 1 ||
        (c.n_ > 1 && std::int64_t(knots.size()) > c.n_))
        return bad(QStringLiteral("between 2 and %1 knots, at most n of them").arg(kMaxKnots));
    c.knots_.reserve(knots.size());
    for (const auto& k : knots) {
        if (!k.is_number() || !std::isfinite(k.get<double>()))
            return bad(QStringLiteral("knots must be finite numbers"));
        if (!c.knots_.empty() && k.get<double>() < c.knots_.back())
            return bad(QStringLiteral("knots must not decrease"));
        c.knots_.push_back(k.get<double>());
    }
    c.beta_ = j["tail_scale"].get<double>();
    if (!(c.beta_ > 0) || !std::isfinite(c.beta_))
        return bad(QStringLiteral("tail_scale must be finite and positive"));
    return c;
}

}  // namespace itap
