#pragma once

#include <cstdint>

namespace itap {

/// Small, fully specified PRNG (SplitMix64, Steele/Lea/Flood 2014). Unlike std::uniform_*_distribution its
/// output is defined bit for bit, so a seed gives the same forest on every compiler and platform.
class SplitMixRng {
public:
    explicit SplitMixRng(std::uint64_t seed) : state_(seed) {}

    /// A stream seed for sub-task `index` (e.g. tree i) that does not overlap neighbouring streams.
    [[nodiscard]] static std::uint64_t streamSeed(std::uint64_t seed, std::uint64_t index) {
        SplitMixRng mix(seed ^ (index * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL));
        mix.next();
        return mix.next();
    }

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// Uniform integer in [0, bound), bound > 0 (rejection sampling: no modulo bias).
    std::uint64_t below(std::uint64_t bound) {
        const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
        std::uint64_t x = next();
        while (x >= limit) x = next();
        return x % bound;
    }

private:
    std::uint64_t state_;
};

}  // namespace itap
