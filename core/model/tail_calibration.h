#pragma once

#include "common/result.h"

#include <nlohmann/json_fwd.hpp>

#include <QString>

#include <cstdint>
#include <vector>

namespace itap {

/// A detector statistic calibrated to its own training distribution: the upper-tail p-value
/// P(statistic ≥ x) of the normal training rows, so statistics on different scales (a path-length score,
/// Hotelling T², the squared prediction error Q) become comparable.
///
/// Rule, for n training values x_(1) ≤ … ≤ x_(n):
///   - Knots: M = min(n, kMaxKnots) values, knot i the type-7 (linear) empirical quantile at u_i = i/(M−1).
///     The knot at rank r = 1 + u_i (n−1) carries the plotting-position p-value p_i = (n + 1 − r)/(n + 1),
///     so the training maximum has p = 1/(n+1) and the minimum n/(n+1): p never reaches 0 inside the data.
///   - Inside the knots p is interpolated linearly in x; below the first knot it is p_0.
///   - Above the last knot the tail is exponential (a generalised Pareto tail with shape 0, the
///     peaks-over-threshold model): p(x) = p_last · exp(−(x − x_last)/β), β the mean excess of the training
///     values over their 90 % quantile (the maximum-likelihood scale of that tail). A row beyond every
///     training row is thus still ranked by how far beyond it lies, instead of every such row tying at
///     1/(n+1).
///   - A non-finite x has p = 1 (no evidence). An empty calibration returns 1 for every x.
/// Immutable after fitting; all queries are thread-safe.
class TailCalibration {
public:
    static constexpr int kMaxKnots = 1025;
    /// The quantile whose exceedances fit the exponential tail.
    static constexpr double kTailQuantile = 0.90;

    TailCalibration() = default;

    /// Fits on the finite values of `values` (order irrelevant).
    [[nodiscard]] static TailCalibration fit(std::vector<double> values);

    /// P(statistic ≥ x) under the training distribution, in (0, 1].
    [[nodiscard]] double upperTail(double x) const;

    [[nodiscard]] bool empty() const { return knots_.empty(); }
    [[nodiscard]] std::int64_t trainingCount() const { return n_; }
    [[nodiscard]] double tailScale() const { return beta_; }
    [[nodiscard]] const std::vector<double>& knots() const { return knots_; }

    [[nodiscard]] nlohmann::json toJson() const;
    /// Restores toJson()'s output. Assumes a hostile file: 2 ≤ knots ≤ kMaxKnots and ≤ n, every knot finite
    /// and non-decreasing, β finite and positive. Errors name `source` and `what`.
    [[nodiscard]] static Result<TailCalibration> fromJson(const nlohmann::json& j, const QString& source,
                                                          const QString& what);

private:
    [[nodiscard]] double knotP(std::size_t i) const;

    std::vector<double> knots_;
    std::int64_t n_ = 0;
    double beta_ = 1;
};

}  // namespace itap
