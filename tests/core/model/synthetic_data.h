#pragma once

// Seeded synthetic feature rows for the model and explainer tests.

#include "common/analysis_types.h"
#include "model/split_mix_rng.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace itap::testdata {

/// Standard normal draws (Box–Muller) from the fully specified SplitMixRng.
class Gaussian {
public:
    explicit Gaussian(std::uint64_t seed) : rng_(seed) {}
    double next() {
        const double u1 = 1.0 - rng_.uniform();  // (0, 1]: log stays finite
        const double u2 = rng_.uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    double uniform(double lo, double hi) { return lo + (hi - lo) * rng_.uniform(); }

private:
    SplitMixRng rng_;
};

/// `rows` rows of `cols` independent N(mean, sd²) features.
inline FeatureMatrix blob(std::size_t rows, int cols, std::uint64_t seed, double mean = 0.0,
                          double sd = 1.0) {
    Gaussian g(seed);
    FeatureMatrix m;
    m.cols = cols;
    m.data.resize(rows * static_cast<std::size_t>(cols));
    for (float& v : m.data) v = static_cast<float>(mean + sd * g.next());
    return m;
}

/// `rows` rows uniform in [lo, hi]^cols.
inline FeatureMatrix uniformBox(std::size_t rows, int cols, std::uint64_t seed, double lo, double hi) {
    Gaussian g(seed);
    FeatureMatrix m;
    m.cols = cols;
    m.data.resize(rows * static_cast<std::size_t>(cols));
    for (float& v : m.data) v = static_cast<float>(g.uniform(lo, hi));
    return m;
}

/// ROC-AUC as the Mann–Whitney statistic: P(score of an anomaly > score of a normal row), ties count half.
inline double rocAuc(const std::vector<float>& normal, const std::vector<float>& anomalous) {
    std::vector<float> sorted = normal;
    std::sort(sorted.begin(), sorted.end());
    double wins = 0;
    for (float a : anomalous) {
        const auto below = std::lower_bound(sorted.begin(), sorted.end(), a) - sorted.begin();
        const auto equal = std::upper_bound(sorted.begin(), sorted.end(), a) - sorted.begin() - below;
        wins += static_cast<double>(below) + 0.5 * static_cast<double>(equal);
    }
    return wins / (static_cast<double>(normal.size()) * static_cast<double>(anomalous.size()));
}

}  // namespace itap::testdata
