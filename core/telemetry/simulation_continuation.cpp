#include "telemetry/simulation_continuation.h"

#include <algorithm>
#include <vector>

namespace itap {
namespace {

constexpr int kMaxHours = 87840;  // ten years: the profile's own bound

}  // namespace

SimulationContinuation continueSimulation(const SimulationProfile& simulated, int liveHours) {
    SimulationContinuation c;
    c.profile = simulated;
    c.exact = true;
    c.liveFromMs = simulated.startMs + simulated.samplesPerDevice() * qint64(simulated.intervalS) * 1000;
    c.profile.hours = std::min(kMaxHours, simulated.hours + liveHours);
    return c;
}

SimulationContinuation standInSimulation(const ScoreTable& t, int liveHours) {
    SimulationContinuation c;
    SimulationProfile p = SimulationProfile::defaults();
    p.devices = std::clamp(int(t.devices.size()), 1, SimulationProfile::kMaxDevices);
    qint64 first = 0, last = 0;
    if (!t.tsMs.empty()) {
        const auto [lo, hi] = std::minmax_element(t.tsMs.begin(), t.tsMs.end());
        first = *lo;
        last = *hi;
    }
    std::vector<qint64> steps;
    for (std::size_t r = 1; r < t.tsMs.size() && r < t.device.size() && steps.size() < 4096; ++r)
        if (t.device[r] == t.device[r - 1] && t.tsMs[r] > t.tsMs[r - 1])
            steps.push_back(t.tsMs[r] - t.tsMs[r - 1]);
    if (!steps.empty()) {
        std::nth_element(steps.begin(), steps.begin() + std::ptrdiff_t(steps.size() / 2), steps.end());
        p.intervalS = int(std::clamp<qint64>(steps[steps.size() / 2] / 1000, 1, 3600));
    }
    if (!t.tsMs.empty())
        p.startMs = first;
    const qint64 stepMs = qint64(p.intervalS) * 1000;
    const qint64 storedSamples = t.tsMs.empty() ? 0 : (last - first) / stepMs + 1;
    const int storedHours = int((storedSamples * p.intervalS + 3599) / 3600);
    p.hours = std::clamp(storedHours + liveHours, 1, kMaxHours);
    c.profile = p;
    c.liveFromMs = p.startMs + storedSamples * stepMs;
    return c;
}

qint64 warmSamplesPerDevice(const SimulationProfile& profile, qint64 liveFromMs) {
    const qint64 stepMs = qint64(profile.intervalS) * 1000;
    return std::clamp<qint64>((liveFromMs - profile.startMs + stepMs - 1) / stepMs, 0,
                              profile.samplesPerDevice());
}

}  // namespace itap
