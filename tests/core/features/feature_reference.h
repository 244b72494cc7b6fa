#pragma once

// Brute-force reference of the FeatureEngine definitions (feature_engine.h): every row is computed directly
// from the samples of its window, in double, with a direct O(n²) DFT and no incremental state at all.

#include "common/telemetry.h"
#include "features/feature_columns.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

namespace itap::ref {

/// Reference statistics of one channel at one row, plus what the tolerances need.
struct ChannelRef {
    double stat[kChannelStatCount] = {};
    std::vector<double> power;  ///< |Y_k|² for k = 0..window/2 (empty when the window is constant or empty)
    int n = 0;                  ///< valid samples in the window
    double var = 0;
    double range = 0;
    double maxAbs = 0;
    double spanMinutes = 0;
    /// For a window without a valid sample: the row whose statistics are carried (none: SIZE_MAX).
    std::size_t carriedFrom = static_cast<std::size_t>(-1);
};

inline bool valid(double v) {
    return std::isfinite(v);
}

inline OpState stateAt(const DeviceSeries& s, std::size_t row) {
    return row < s.state.size() ? s.state[row] : OpState::Run;
}

/// First row of the state run that contains `row` (0 without state changes).
inline std::size_t segmentStart(const DeviceSeries& s, std::size_t row) {
    std::size_t i = row;
    while (i > 0 && stateAt(s, i - 1) == stateAt(s, i)) --i;
    return i;
}

/// One past the last row of the state run that contains `row`.
inline std::size_t segmentEnd(const DeviceSeries& s, std::size_t row) {
    std::size_t i = row + 1;
    while (i < s.tsMs.size() && stateAt(s, i) == stateAt(s, row)) ++i;
    return i;
}

/// Reference statistics of one channel at one row. With `segmented` (FeatureParams::segmentByState) the
/// window is the trailing `window` rows clipped to the row's state run.
inline ChannelRef channelAt(const DeviceSeries& s, int channel, std::size_t row, int window,
                            bool segmented = true) {
    const auto& x = s.channels[static_cast<std::size_t>(channel)];
    const std::size_t seg0 = segmented ? segmentStart(s, row) : 0;
    const std::size_t w0 =
        std::max(seg0, row + 1 >= static_cast<std::size_t>(window) ? row + 1 - window : std::size_t{0});
    const double rows = static_cast<double>(row - w0 + 1);
    ChannelRef r;
    std::vector<std::size_t> idx;
    for (std::size_t i = w0; i <= row; ++i)
        if (valid(x[i]))
            idx.push_back(i);
    r.n = static_cast<int>(idx.size());
    auto at = [&r](ChannelStat st) -> double& { return r.stat[static_cast<int>(st)]; };
    // value: the newest valid value at or before the row.
    for (std::size_t i = row + 1; i-- > 0;)
        if (valid(x[i])) {
            at(ChannelStat::Value) = x[i];
            break;
        }
    at(ChannelStat::MissingFrac) = (rows - r.n) / rows;
    if (idx.empty()) {
        // Carried from the last row whose window still held the newest valid sample.
        std::size_t last = row + 1;
        for (std::size_t i = w0; i-- > 0;)
            if (valid(x[i])) {
                last = i;
                break;
            }
        if (last <= row) {
            // The last row whose window held `last`: the window moved past it, or its state run ended.
            std::size_t prevRow = last + window - 1;
            if (segmented) prevRow = std::min(prevRow, segmentEnd(s, last) - 1);
            const ChannelRef prev = channelAt(s, channel, prevRow, window, segmented);
            r.carriedFrom = prevRow;
            for (ChannelStat st : {ChannelStat::Mean, ChannelStat::Std, ChannelStat::Min, ChannelStat::Max,
                                   ChannelStat::Trend, ChannelStat::FftEnergy, ChannelStat::FftDom})
                at(st) = prev.stat[static_cast<int>(st)];
            r.range = prev.range;
            r.maxAbs = prev.maxAbs;
            r.var = prev.var;
            r.spanMinutes = prev.spanMinutes;
        }
        return r;
    }
    const bool cur = valid(x[row]);
    if (cur) {
        // The previous valid sample of the same state run (of the whole device when not segmented).
        for (std::size_t i = row; i-- > seg0;)
            if (valid(x[i])) {
                at(ChannelStat::Delta) = x[row] - x[i];
                break;
            }
    }
    double mn = x[idx[0]], mx = x[idx[0]], sum = 0;
    for (std::size_t i : idx) {
        mn = std::min(mn, x[i]);
        mx = std::max(mx, x[i]);
        sum += x[i];
        r.maxAbs = std::max(r.maxAbs, std::fabs(x[i]));
    }
    r.range = mx - mn;
    const double tRef = static_cast<double>(s.tsMs[row]);
    auto minutes = [&](std::size_t i) { return (static_cast<double>(s.tsMs[i]) - tRef) / 60000.0; };
    r.spanMinutes = minutes(idx.back()) - minutes(idx.front());
    at(ChannelStat::Min) = mn;
    at(ChannelStat::Max) = mx;
    at(ChannelStat::Mean) = mn;
    if (mn == mx)
        return r;  // constant: std, trend, zscore, resid and the spectrum are 0 by definition

    const double n = r.n;
    const double mean = sum / n;
    double sxx = 0, mt = 0;
    for (std::size_t i : idx) {
        sxx += (x[i] - mean) * (x[i] - mean);
        mt += minutes(i);
    }
    mt /= n;
    double stt = 0, stx = 0;
    for (std::size_t i : idx) {
        stt += (minutes(i) - mt) * (minutes(i) - mt);
        stx += (minutes(i) - mt) * (x[i] - mean);
    }
    r.var = sxx / n;
    const double sd = std::sqrt(r.var);
    const double slope = stt > 0 ? stx / stt : 0.0;
    at(ChannelStat::Mean) = mean;
    at(ChannelStat::Std) = sd;
    at(ChannelStat::Trend) = slope;
    auto line = [&](std::size_t i) { return mean + slope * (minutes(i) - mt); };
    if (cur) {
        at(ChannelStat::ZScore) = sd > 0 ? (x[row] - mean) / sd : 0.0;
        at(ChannelStat::Resid) = x[row] - line(row);
    }
    // Detrended window of `window` slots ending at the row; missing slots and slots before the window's
    // first row (device start or state change) are 0.
    std::vector<double> y(static_cast<std::size_t>(window), 0.0);
    for (int j = 0; j < window; ++j) {
        const long long i = static_cast<long long>(row) - window + 1 + j;
        if (i >= static_cast<long long>(w0) && valid(x[static_cast<std::size_t>(i)]))
            y[static_cast<std::size_t>(j)] =
                x[static_cast<std::size_t>(i)] - line(static_cast<std::size_t>(i));
    }
    double energy = 0;
    r.power.assign(static_cast<std::size_t>(window / 2 + 1), 0.0);
    for (int k = 1; k < window; ++k) {
        std::complex<double> acc = 0;
        for (int j = 0; j < window; ++j)
            acc += y[static_cast<std::size_t>(j)] * std::polar(1.0, -2.0 * std::numbers::pi * j * k / window);
        energy += std::norm(acc);
        if (k <= window / 2)
            r.power[static_cast<std::size_t>(k)] = std::norm(acc);
    }
    energy /= static_cast<double>(window) * n;
    int dom = 0;
    for (int k = 1; k <= window / 2; ++k)
        if (r.power[static_cast<std::size_t>(k)] > r.power[static_cast<std::size_t>(dom)])
            dom = k;
    at(ChannelStat::FftEnergy) = energy;
    at(ChannelStat::FftDom) = dom;
    return r;
}

inline std::vector<double> eventsAt(const DeviceSeries& s, std::size_t row, int window, double capS) {
    std::vector<double> e(kEventStatCount, 0.0);
    auto at = [&e](EventStat st) -> double& { return e[static_cast<std::size_t>(st)]; };
    const std::size_t w0 = row + 1 >= static_cast<std::size_t>(window) ? row + 1 - window : 0;
    for (std::size_t i = row + 1; i-- > 0 && s.errorCode[i] != 0;) at(EventStat::ErrorStreak) += 1;
    double errs = 0, transitions = 0;
    for (std::size_t i = w0; i <= row; ++i) {
        errs += s.errorCode[i] != 0 ? 1 : 0;
        if (i > w0 && s.state[i] != s.state[i - 1])
            transitions += 1;
    }
    at(EventStat::ErrorFrac) = errs / static_cast<double>(row - w0 + 1);
    at(EventStat::StateTransitions) = transitions;
    auto secondsSince = [&](std::size_t i) {
        return std::clamp((static_cast<double>(s.tsMs[row]) - static_cast<double>(s.tsMs[i])) / 1000.0, 0.0,
                          capS);
    };
    at(EventStat::SinceErrorS) = capS;
    for (std::size_t i = row + 1; i-- > 0;)
        if (s.errorCode[i] != 0) {
            at(EventStat::SinceErrorS) = secondsSince(i);
            break;
        }
    std::size_t runStart = row;
    while (runStart > 0 && s.state[runStart - 1] == s.state[row]) --runStart;
    at(EventStat::SinceStateS) = secondsSince(runStart);
    at(EventStat::StateRun) = s.state[row] == OpState::Run;
    at(EventStat::StateIdle) = s.state[row] == OpState::Idle;
    at(EventStat::StateMaint) = s.state[row] == OpState::Maint;
    return e;
}

/// Kinds of synthetic data the tests feed the engine.
enum class Pattern { Mixed, Spike, Dropouts, Regular, Sparse };

/// Random device telemetry: noisy levels with trends and oscillations, NaN bursts (some longer than any
/// window), constant stretches, irregular timestamps with occasional repeats, errors and state changes.
/// Sparse: only ~15 % of the samples are valid, so windows keep emptying and refilling.
inline DeviceSeries randomSeries(int channels, std::size_t rows, unsigned seed,
                                 Pattern pattern = Pattern::Mixed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> g(0.0, 1.0);
    DeviceSeries s;
    s.deviceId = QStringLiteral("DEV-%1").arg(seed);
    s.channels.assign(static_cast<std::size_t>(channels), {});
    qint64 t = 1767225600000;  // 2026-01-01
    OpState st = OpState::Run;
    for (std::size_t r = 0; r < rows; ++r) {
        if (pattern == Pattern::Regular)
            t += 10000;
        else if (u(rng) < 0.03)
            t += 0;  // repeated timestamp
        else if (u(rng) < 0.02)
            t += static_cast<qint64>(u(rng) * 6 * 3600 * 1000.0);  // a gap of hours
        else
            t += 1 + static_cast<qint64>(u(rng) * 20000);
        s.tsMs.push_back(t);
        if (u(rng) < 0.04)
            st = static_cast<OpState>(static_cast<int>(u(rng) * 3) % 3);
        s.state.push_back(st);
        s.errorCode.push_back(u(rng) < 0.1 ? (u(rng) < 0.5 ? 7 : -1) : 0);
        s.faultTag.push_back({});
    }
    for (int c = 0; c < channels; ++c) {
        auto& x = s.channels[static_cast<std::size_t>(c)];
        const double base = (c % 2 == 0 ? 230.0 : 1500.0) * (1 + c);
        const double noise = 0.5 + c;
        const double period = 3 + c * 2.5;
        double drift = 0, held = 0;
        int constLeft = 0, missLeft = 0;
        for (std::size_t r = 0; r < rows; ++r) {
            drift += g(rng) * 0.05 * noise;
            double v =
                base + drift + noise * g(rng) + 2 * noise * std::sin(2 * std::numbers::pi * r / period);
            if (pattern == Pattern::Spike && r % 97 == 40)
                v = (r % 2 ? 1e12 : -1e12);
            if (pattern == Pattern::Sparse && u(rng) > 0.15)
                v = kMissing;  // windows often empty and refill
            if (pattern == Pattern::Mixed || pattern == Pattern::Dropouts) {
                if (constLeft == 0 && u(rng) < 0.02) {
                    constLeft = 1 + static_cast<int>(u(rng) * 80);
                    held = v;
                }
                if (constLeft > 0) {
                    v = held;
                    --constLeft;
                }
                const double dropRate = pattern == Pattern::Dropouts ? 0.05 : 0.01;
                if (missLeft == 0 && u(rng) < dropRate)
                    missLeft = 1 + static_cast<int>(u(rng) * (u(rng) < 0.3 ? 120 : 5));
                if (missLeft > 0) {
                    v = kMissing;
                    --missLeft;
                } else if (u(rng) < 0.05) {
                    v = kMissing;
                }
            }
            x.push_back(v);
        }
    }
    return s;
}

}  // namespace itap::ref
