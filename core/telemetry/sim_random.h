#pragma once

#include <cmath>
#include <cstdint>

namespace itap {

/// Transcendental functions built from +, −, ×, ÷, sqrt and exact frexp/ldexp/nearbyint only.
/// libm's exp/log/sin/cos are not correctly rounded and differ by an ulp between C libraries; the
/// simulator feeds its results back into state (thermal model, load wander), so it uses these instead to
/// keep "same seed, same bytes" on every platform. Accuracy is ~1e-15 relative, far below sensor noise.
namespace detmath {

inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kLn2 = 0.69314718055994530942;

/// e^x for |x| < 700.
[[nodiscard]] inline double exp(double x) {
    const double k = std::nearbyint(x / kLn2);
    const double r = x - k * kLn2;  // |r| <= ln2/2
    double term = 1.0;
    double sum = 1.0;
    for (int i = 1; i <= 16; ++i) {
        term *= r / i;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(k));
}

/// Natural logarithm for x > 0.
[[nodiscard]] inline double log(double x) {
    int e = 0;
    double m = std::frexp(x, &e);  // x = m·2^e, m in [0.5, 1)
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        --e;
    }
    // log(m) = 2·atanh(s) with s = (m−1)/(m+1), |s| <= 0.172: the odd series converges fast.
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double power = s;
    double sum = 0.0;
    for (int n = 1; n <= 27; n += 2) {
        sum += power / n;
        power *= s2;
    }
    return 2.0 * sum + e * kLn2;
}

namespace detail {
// Taylor series on |r| <= π/4.
inline double sinSmall(double r) {
    const double r2 = r * r;
    double term = r;
    double sum = r;
    for (int i = 1; i <= 10; ++i) {
        term *= -r2 / ((2 * i) * (2 * i + 1));
        sum += term;
    }
    return sum;
}
inline double cosSmall(double r) {
    const double r2 = r * r;
    double term = 1.0;
    double sum = 1.0;
    for (int i = 1; i <= 10; ++i) {
        term *= -r2 / ((2 * i - 1) * (2 * i));
        sum += term;
    }
    return sum;
}
}  // namespace detail

/// sin(x) for moderate |x| (the simulator's arguments stay below ~1e6).
[[nodiscard]] inline double sin(double x) {
    const double q = std::nearbyint(x / (kPi / 2));
    const double r = x - q * (kPi / 2);
    switch (static_cast<long long>(q) & 3) {
        case 0:
            return detail::sinSmall(r);
        case 1:
            return detail::cosSmall(r);
        case 2:
            return -detail::sinSmall(r);
        default:
            return -detail::cosSmall(r);
    }
}

/// cos(x) for moderate |x|.
[[nodiscard]] inline double cos(double x) {
    return sin(x + kPi / 2);
}

}  // namespace detmath

/// xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64, with hand-written distributions.
/// std::normal_distribution and friends are implementation-defined, so a seed would give different fleets
/// with libstdc++ and libc++; this class is defined bit for bit.
class SimRandom {
public:
    /// An independent stream for sub-task `stream` (e.g. device index) of a run seeded with `seed`.
    SimRandom(std::uint64_t seed, std::uint64_t stream) {
        std::uint64_t sm = splitMix(seed) ^ (stream * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL);
        for (auto& word : s_) word = splitMixNext(sm);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [lo, hi] (inclusive); hi >= lo.
    long long integer(long long lo, long long hi) {
        const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
        const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % span);
        std::uint64_t x = next();
        while (x >= limit) x = next();
        return lo + static_cast<long long>(x % span);
    }
    /// True with probability p.
    bool chance(double p) { return uniform() < p; }

    /// Standard normal (Box–Muller; the second variate of each pair is kept for the next call).
    double normal() {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
        const double u2 = uniform();
        const double radius = std::sqrt(-2.0 * detmath::log(u1));
        const double angle = 2.0 * detmath::kPi * u2;
        spare_ = radius * detmath::sin(angle);
        hasSpare_ = true;
        return radius * detmath::cos(angle);
    }

    /// Exponential with the given mean.
    double exponential(double mean) { return -mean * detmath::log(1.0 - uniform()); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitMixNext(std::uint64_t& state) {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    static std::uint64_t splitMix(std::uint64_t x) { return splitMixNext(x); }

    std::uint64_t s_[4] = {};
    double spare_ = 0.0;
    bool hasSpare_ = false;
};

}  // namespace itap
