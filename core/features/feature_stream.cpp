#include "features/feature_stream.h"

#include "features/feature_columns.h"
#include "features/feature_params.h"
#include "features/real_fft.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

namespace itap {

struct FeatureStream::Plan {
    int n = 0;  // window = FFT length
    int h = 0;  // highest bin kept, n/2
    int channels = 0;
    int features = 0;
    double timeCapS = 0;
    bool segmentByState = true;      // channel windows restart when the operating state changes
    std::vector<double> twRe, twIm;  // e^(−2πi·j/n), j = 0..n−1
    // e^(−2πi·pk/n) laid out by slot p, bins 0..h, so the sliding update reads contiguous memory and
    // vectorises; only while the table stays small (≤ 128 KiB, windows up to ~125), else the update indexes
    // twRe/twIm.
    std::vector<double> slotRe, slotIm;
    std::vector<double> binWeight;  // k = 1..h: 2 for bins mirrored by conjugate symmetry, 1 for Nyquist
};

namespace {

constexpr double kMsPerMinute = 60000.0;

// Running sums are re-anchored when the largest squared deviation seen since the last anchor exceeds this
// multiple of the current variance: beyond it, rounding left over from values that have already left the
// window (a 1e12 spike, a day-long gap) would be a visible share of the variance. Any window right after an
// anchor is below it (max deviation² ≤ 2n·variance ≤ 8192·variance), so anchoring can never repeat on every
// sample.
constexpr double kCancellationRatio = 1e6;

// Residual spectral energy below this share of the variance is rounding noise of a perfectly linear window;
// reporting a dominant bin for it would be noise too.
constexpr double kEnergyFloor = 1e-9;

// NaN would poison the scaler and the forest; ±Inf and out-of-float-range values saturate instead.
inline float toFloat(double v) {
    if (std::fabs(v) <= static_cast<double>(FLT_MAX))
        return static_cast<float>(v);
    if (v > 0)
        return FLT_MAX;
    if (v < 0)
        return -FLT_MAX;
    return 0.0f;
}

// Time in minutes relative to an anchor; through double so that absurd timestamps cannot overflow qint64.
inline double minutesFrom(qint64 ts, qint64 anchor) {
    return (static_cast<double>(ts) - static_cast<double>(anchor)) / kMsPerMinute;
}

// Monotonic queue over a ring of fixed capacity: front() is the min (or max) of the valid samples in the
// window.
template <bool kIsMax>
class MonotonicQueue {
public:
    void init(int capacity) {
        cap_ = capacity;
        idx_.assign(static_cast<std::size_t>(capacity), 0);
        val_.assign(static_cast<std::size_t>(capacity), 0.0);
        clear();
    }
    void clear() { head_ = size_ = 0; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] double front() const { return val_[static_cast<std::size_t>(head_)]; }
    // Drops samples with a push index below `oldestKept`.
    void expire(qint64 oldestKept) {
        while (size_ > 0 && idx_[static_cast<std::size_t>(head_)] < oldestKept) {
            if (++head_ == cap_)
                head_ = 0;
            --size_;
        }
    }
    void push(qint64 index, double v) {
        while (size_ > 0) {
            const double back = val_[slot(size_ - 1)];
            if (kIsMax ? back <= v : back >= v)
                --size_;
            else
                break;
        }
        const std::size_t s = slot(size_);
        idx_[s] = index;
        val_[s] = v;
        ++size_;
    }

private:
    [[nodiscard]] std::size_t slot(int offset) const {
        int s = head_ + offset;
        if (s >= cap_)
            s -= cap_;
        return static_cast<std::size_t>(s);
    }
    std::vector<qint64> idx_;
    std::vector<double> val_;
    int cap_ = 0;
    int head_ = 0;
    int size_ = 0;
};

// Per-channel window state. Sums are over the valid samples, in coordinates x' = x − anchorX and
// t' = minutes since anchorTs, which keeps them small enough that the variance does not cancel away.
struct ChannelState {
    std::vector<double> ring;  // raw values by ring slot, NaN = missing
    double anchorX = 0;
    qint64 anchorTs = 0;
    int n = 0;  // valid samples in the window
    double sx = 0, sxx = 0, st = 0, stt = 0, stx = 0;
    double maxSq = 0, maxTSq = 0;  // largest x'² and t'² added since the last anchor
    bool accumulatorsZero = true;
    MonotonicQueue<false> minQ;
    MonotonicQueue<true> maxQ;
    // Sliding DFT of the ring (bins 1..h): A of x' at valid slots, T of t' at valid slots, B of the validity
    // mask. The detrended, mean-imputed spectrum is Y = A − a·B − b·T for the window's OLS line x' = a +
    // b·t'.
    std::vector<double> aRe, aIm, tRe, tIm, bRe, bIm;
    bool everValid = false;
    bool segmentFresh = true;  // no valid sample yet in the current segment: delta is 0
    double lastValid = 0;
    qint64 lastValidTs = 0;
    // Statistics carried through a window without any valid sample.
    double carried[kChannelStatCount] = {};
};

}  // namespace

struct FeatureStream::State {
    std::shared_ptr<const Plan> plan;
    RealFft fft;
    std::vector<float> fftIn;
    std::vector<double> power;  // |Y_k|² scratch, bins 0..h
    std::vector<ChannelState> ch;
    std::vector<qint64> ts;            // timestamps by ring slot
    std::vector<std::uint8_t> err;     // error_code != 0 by ring slot
    std::vector<std::uint8_t> change;  // state differs from the previous row, by ring slot
    qint64 count = 0;
    int sinceAnchor = 0;
    int errCount = 0;
    int changeCount = 0;
    qint64 errStreak = 0;
    bool hasErr = false;
    qint64 lastErrTs = 0;
    qint64 runStartTs = 0;
    qint64 segmentStart = 0;  // push index of the first row of the current channel-window segment
    OpState prevState = OpState::Run;

    explicit State(std::shared_ptr<const Plan> p) : plan(std::move(p)), fft(plan->n) { reset(); }

    void reset();
    void startSegment();
    void zeroAccumulators(ChannelState& c) const;
    void anchor(ChannelState& c);
    void push(qint64 tsMs, OpState state, const double* values, int errorCode, float* out);
};

void FeatureStream::State::reset() {
    const auto n = static_cast<std::size_t>(plan->n);
    const auto bins = static_cast<std::size_t>(plan->h + 1);
    fftIn.assign(n, 0.0f);
    power.assign(bins, 0.0);
    ts.assign(n, 0);
    err.assign(n, 0);
    change.assign(n, 0);
    ch.assign(static_cast<std::size_t>(plan->channels), ChannelState{});
    for (auto& c : ch) {
        c.ring.assign(n, std::numeric_limits<double>::quiet_NaN());
        c.minQ.init(plan->n);
        c.maxQ.init(plan->n);
        for (auto* v : {&c.aRe, &c.aIm, &c.tRe, &c.tIm, &c.bRe, &c.bIm}) v->assign(bins, 0.0);
    }
    count = 0;
    sinceAnchor = 0;
    errCount = changeCount = 0;
    errStreak = 0;
    hasErr = false;
    lastErrTs = runStartTs = 0;
    segmentStart = 0;
    prevState = OpState::Run;
}

// A state change starts a new segment: the channel windows forget the previous state's samples, exactly as
// at a device's first sample (statistics over the samples so far, missing_frac over the rows so far), while
// last valid values and the carried statistics stay. Event counters keep their full window.
void FeatureStream::State::startSegment() {
    for (auto& c : ch) {
        std::fill(c.ring.begin(), c.ring.end(), std::numeric_limits<double>::quiet_NaN());
        c.n = 0;
        zeroAccumulators(c);
        c.minQ.clear();
        c.maxQ.clear();
        c.segmentFresh = true;
    }
    segmentStart = count;
}

void FeatureStream::State::zeroAccumulators(ChannelState& c) const {
    if (c.accumulatorsZero)
        return;
    c.sx = c.sxx = c.st = c.stt = c.stx = 0;
    c.maxSq = c.maxTSq = 0;
    for (auto* v : {&c.aRe, &c.aIm, &c.tRe, &c.tIm, &c.bRe, &c.bIm}) std::fill(v->begin(), v->end(), 0.0);
    c.accumulatorsZero = true;
}

// Recomputes sums and spectra exactly from the ring around a fresh anchor (the newest valid sample).
// O(window + FFT): runs once per `window` samples, which makes it O(1) + O(log window) per sample amortised.
void FeatureStream::State::anchor(ChannelState& c) {
    if (c.n == 0) {
        zeroAccumulators(c);
        return;
    }
    const int n = plan->n;
    c.anchorX = c.lastValid;
    c.anchorTs = c.lastValidTs;
    c.sx = c.sxx = c.st = c.stt = c.stx = 0;
    c.maxSq = c.maxTSq = 0;
    for (int q = 0; q < n; ++q) {
        const double x = c.ring[static_cast<std::size_t>(q)];
        if (!std::isfinite(x)) {
            fftIn[static_cast<std::size_t>(q)] = 0.0f;
            continue;
        }
        const double xq = x - c.anchorX;
        const double tq = minutesFrom(ts[static_cast<std::size_t>(q)], c.anchorTs);
        c.sx += xq;
        c.sxx += xq * xq;
        c.st += tq;
        c.stt += tq * tq;
        c.stx += tq * xq;
        c.maxSq = std::max(c.maxSq, xq * xq);
        c.maxTSq = std::max(c.maxTSq, tq * tq);
        fftIn[static_cast<std::size_t>(q)] = static_cast<float>(xq);
    }
    fft.forward(fftIn.data(), c.aRe.data(), c.aIm.data());
    for (int q = 0; q < n; ++q) {
        const auto s = static_cast<std::size_t>(q);
        fftIn[s] = std::isfinite(c.ring[s]) ? static_cast<float>(minutesFrom(ts[s], c.anchorTs)) : 0.0f;
    }
    fft.forward(fftIn.data(), c.tRe.data(), c.tIm.data());
    if (c.n == n) {
        // A full mask's spectrum is exactly zero off DC; the FFT would only add float noise.
        std::fill(c.bRe.begin(), c.bRe.end(), 0.0);
        std::fill(c.bIm.begin(), c.bIm.end(), 0.0);
    } else {
        for (int q = 0; q < n; ++q) {
            const auto s = static_cast<std::size_t>(q);
            fftIn[s] = std::isfinite(c.ring[s]) ? 1.0f : 0.0f;
        }
        fft.forward(fftIn.data(), c.bRe.data(), c.bIm.data());
    }
    c.accumulatorsZero = false;
}

void FeatureStream::State::push(qint64 tsMs, OpState state, const double* values, int errorCode, float* out) {
    const Plan& pl = *plan;
    const int n = pl.n;
    const int h = pl.h;
    const int p = static_cast<int>(count % n);
    const auto ps = static_cast<std::size_t>(p);
    const bool full = count >= n;
    const int rows = full ? n : static_cast<int>(count) + 1;
    if (pl.segmentByState && count > 0 && state != prevState)
        startSegment();
    // Rows of the channel windows: the current segment's rows inside the trailing window.
    const int segRows = static_cast<int>(std::min<qint64>(n, count - segmentStart + 1));
    const qint64 oldTs = ts[ps];
    ts[ps] = tsMs;
    const qint64 oldestKept = count + 1 - n;  // push indices still inside the window after this sample
    const bool periodic = ++sinceAnchor >= n;
    if (periodic)
        sinceAnchor = 0;

    for (int ci = 0; ci < pl.channels; ++ci) {
        ChannelState& c = ch[static_cast<std::size_t>(ci)];
        const double x = values[ci];
        const bool valid = std::isfinite(x);
        const double old = c.ring[ps];
        const bool oldValid = std::isfinite(old);
        const double delta = (valid && c.everValid && !c.segmentFresh) ? x - c.lastValid : 0.0;

        // Running sums and the sliding-DFT input changes for this ring slot.
        double dx = 0, dt = 0;
        int dm = 0;
        if (oldValid) {
            const double xo = old - c.anchorX;
            const double to = minutesFrom(oldTs, c.anchorTs);
            --c.n;
            c.sx -= xo;
            c.sxx -= xo * xo;
            c.st -= to;
            c.stt -= to * to;
            c.stx -= to * xo;
            dx -= xo;
            dt -= to;
            dm -= 1;
        }
        if (c.n == 0) {
            // The window is empty: drop the rounding left by the removals instead of carrying it on.
            zeroAccumulators(c);
            dx = dt = 0;
            dm = 0;
        }
        double xn = 0, tn = 0;
        if (valid) {
            if (c.n == 0) {
                // First valid sample of an empty window: anchoring on it keeps the sums exact.
                c.anchorX = x;
                c.anchorTs = tsMs;
            }
            xn = x - c.anchorX;
            tn = minutesFrom(tsMs, c.anchorTs);
            ++c.n;
            c.sx += xn;
            c.sxx += xn * xn;
            c.st += tn;
            c.stt += tn * tn;
            c.stx += tn * xn;
            c.maxSq = std::max(c.maxSq, xn * xn);
            c.maxTSq = std::max(c.maxTSq, tn * tn);
            dx += xn;
            dt += tn;
            dm += 1;
            c.accumulatorsZero = false;
            c.everValid = true;
            c.segmentFresh = false;
            c.lastValid = x;
            c.lastValidTs = tsMs;
        }
        c.ring[ps] = x;
        c.minQ.expire(oldestKept);
        c.maxQ.expire(oldestKept);
        if (valid) {
            c.minQ.push(count, x);
            c.maxQ.push(count, x);
        }

        if (c.n > 0) {
            // Sliding DFT in ring order: only slot p changed, so X_k += Δ·e^(−2πi·pk/n). Magnitudes do not
            // depend on where the ring starts, so no rotation is needed.
            if (!pl.slotRe.empty()) {
                const auto row = ps * static_cast<std::size_t>(h + 1);
                const double* __restrict wr = pl.slotRe.data() + row;
                const double* __restrict wi = pl.slotIm.data() + row;
                double* __restrict ar = c.aRe.data();
                double* __restrict ai = c.aIm.data();
                double* __restrict tr = c.tRe.data();
                double* __restrict ti = c.tIm.data();
                if (dx != 0.0 || dt != 0.0) {
                    for (int k = 1; k <= h; ++k) {
                        ar[k] += dx * wr[k];
                        ai[k] += dx * wi[k];
                        tr[k] += dt * wr[k];
                        ti[k] += dt * wi[k];
                    }
                }
                if (dm != 0) {
                    double* __restrict br = c.bRe.data();
                    double* __restrict bi = c.bIm.data();
                    for (int k = 1; k <= h; ++k) {
                        br[k] += dm * wr[k];
                        bi[k] += dm * wi[k];
                    }
                }
            } else {
                const double* twRe = pl.twRe.data();
                const double* twIm = pl.twIm.data();
                int j = 0;
                for (int k = 1; k <= h; ++k) {
                    j += p;
                    if (j >= n)
                        j -= n;
                    const auto ks = static_cast<std::size_t>(k);
                    c.aRe[ks] += dx * twRe[j];
                    c.aIm[ks] += dx * twIm[j];
                    c.tRe[ks] += dt * twRe[j];
                    c.tIm[ks] += dt * twIm[j];
                    c.bRe[ks] += dm * twRe[j];
                    c.bIm[ks] += dm * twIm[j];
                }
            }
            const double dxx = c.sxx - c.sx * c.sx / c.n;
            const double dtt = c.stt - c.st * c.st / c.n;
            // Written as !(a <= b) so that a NaN from overflowing input also forces an exact recomputation.
            if (periodic || !(c.maxSq * c.n <= kCancellationRatio * dxx) ||
                !(c.maxTSq * c.n <= kCancellationRatio * dtt)) {
                anchor(c);
                if (valid) {
                    xn = x - c.anchorX;
                    tn = minutesFrom(tsMs, c.anchorTs);
                }
            }
        }

        float* o = out + ci * kChannelStatCount;
        auto put = [o](ChannelStat s, double v) { o[static_cast<int>(s)] = toFloat(v); };
        put(ChannelStat::Value, c.everValid ? c.lastValid : 0.0);
        put(ChannelStat::MissingFrac, static_cast<double>(segRows - c.n) / segRows);
        if (c.n == 0) {
            // No valid sample in the window: level statistics carry over from the last window that had one
            // (all 0 before the first); the per-sample ones are 0. missing_frac = 1 says why.
            for (ChannelStat s : {ChannelStat::Mean, ChannelStat::Std, ChannelStat::Min, ChannelStat::Max,
                                  ChannelStat::Trend, ChannelStat::FftEnergy, ChannelStat::FftDom})
                put(s, c.carried[static_cast<int>(s)]);
            put(ChannelStat::Delta, 0.0);
            put(ChannelStat::ZScore, 0.0);
            put(ChannelStat::Resid, 0.0);
            continue;
        }

        const double mn = c.minQ.front();
        const double mx = c.maxQ.front();
        double mean = mn, sd = 0, slope = 0, z = 0, resid = 0, energy = 0, dom = 0;
        if (mn != mx) {
            const double inv = 1.0 / c.n;
            const double mX = c.sx * inv;
            const double mT = c.st * inv;
            mean = std::clamp(c.anchorX + mX, mn, mx);
            const double var = std::max(0.0, (c.sxx - c.sx * mX) * inv);
            sd = std::sqrt(var);
            const double dtt = c.stt - c.st * mT;
            if (dtt > 0)
                slope = (c.stx - c.st * mX) / dtt;
            if (valid) {
                const double xc = xn - mX;
                // |x_i − mean| ≤ sqrt(n−1)·std holds for every sample; the clamp only absorbs rounding.
                const double zMax = std::sqrt(static_cast<double>(c.n - 1));
                if (sd > 0)
                    z = std::clamp(xc / sd, -zMax, zMax);
                resid = xc - slope * (tn - mT);
            }
            const double a = mX - slope * mT;
            // Two passes: the power loop vectorises, the argmax is a cheap scan.
            double* __restrict pw = power.data();
            const double* __restrict wgt = pl.binWeight.data();
            double sum = 0;
            for (int k = 1; k <= h; ++k) {
                const double yr = c.aRe[k] - a * c.bRe[k] - slope * c.tRe[k];
                const double yi = c.aIm[k] - a * c.bIm[k] - slope * c.tIm[k];
                pw[k] = yr * yr + yi * yi;
                sum += wgt[k] * pw[k];
            }
            double best = 0;
            int bestK = 0;
            for (int k = 1; k <= h; ++k) {
                if (pw[k] > best) {
                    best = pw[k];
                    bestK = k;
                }
            }
            energy = sum / (static_cast<double>(n) * c.n);
            if (energy > kEnergyFloor * var) {
                dom = bestK;
            } else {
                energy = 0;
            }
        }
        put(ChannelStat::Mean, mean);
        put(ChannelStat::Std, sd);
        put(ChannelStat::Min, mn);
        put(ChannelStat::Max, mx);
        put(ChannelStat::Trend, slope);
        put(ChannelStat::Delta, delta);
        put(ChannelStat::ZScore, z);
        put(ChannelStat::Resid, resid);
        put(ChannelStat::FftEnergy, energy);
        put(ChannelStat::FftDom, dom);
        c.carried[static_cast<int>(ChannelStat::Mean)] = mean;
        c.carried[static_cast<int>(ChannelStat::Std)] = sd;
        c.carried[static_cast<int>(ChannelStat::Min)] = mn;
        c.carried[static_cast<int>(ChannelStat::Max)] = mx;
        c.carried[static_cast<int>(ChannelStat::Trend)] = slope;
        c.carried[static_cast<int>(ChannelStat::FftEnergy)] = energy;
        c.carried[static_cast<int>(ChannelStat::FftDom)] = dom;
    }

    // Event counters.
    const bool isErr = errorCode != 0;
    const bool changed = count > 0 && state != prevState;
    if (full) {
        errCount -= err[ps];
        changeCount -= change[ps];
    }
    err[ps] = isErr ? 1 : 0;
    change[ps] = changed ? 1 : 0;
    errCount += err[ps];
    changeCount += change[ps];
    // The oldest row's flag describes a transition from a row that has left the window.
    const int oldestSlot = full ? (p + 1 == n ? 0 : p + 1) : 0;
    const int transitions = changeCount - change[static_cast<std::size_t>(oldestSlot)];
    errStreak = isErr ? errStreak + 1 : 0;
    if (isErr) {
        hasErr = true;
        lastErrTs = tsMs;
    }
    if (count == 0 || changed)
        runStartTs = tsMs;
    prevState = state;

    auto seconds = [cap = pl.timeCapS](qint64 from, qint64 to) {
        const double s = (static_cast<double>(to) - static_cast<double>(from)) / 1000.0;
        return std::clamp(s, 0.0, cap);
    };
    float* e = out + pl.channels * kChannelStatCount;
    auto put = [e](EventStat s, double v) { e[static_cast<int>(s)] = toFloat(v); };
    put(EventStat::ErrorStreak, static_cast<double>(errStreak));
    put(EventStat::ErrorFrac, static_cast<double>(errCount) / rows);
    put(EventStat::StateTransitions, transitions);
    put(EventStat::SinceErrorS, hasErr ? seconds(lastErrTs, tsMs) : pl.timeCapS);
    put(EventStat::SinceStateS, seconds(runStartTs, tsMs));
    put(EventStat::StateRun, state == OpState::Run ? 1.0 : 0.0);
    put(EventStat::StateIdle, state == OpState::Idle ? 1.0 : 0.0);
    put(EventStat::StateMaint, state == OpState::Maint ? 1.0 : 0.0);
    ++count;
}

std::shared_ptr<const FeatureStream::Plan> FeatureStream::makePlan(int channelCount,
                                                                   const FeatureParams& params) {
    auto plan = std::make_shared<Plan>();
    plan->n = params.window;
    plan->h = params.window / 2;
    plan->channels = channelCount;
    plan->features = itap::featureCount(channelCount);
    plan->timeCapS = params.timeCapSeconds;
    plan->segmentByState = params.segmentByState;
    plan->twRe.resize(static_cast<std::size_t>(plan->n));
    plan->twIm.resize(static_cast<std::size_t>(plan->n));
    for (int j = 0; j < plan->n; ++j) {
        const double phi = -2.0 * std::numbers::pi * j / plan->n;
        plan->twRe[static_cast<std::size_t>(j)] = std::cos(phi);
        plan->twIm[static_cast<std::size_t>(j)] = std::sin(phi);
    }
    constexpr std::size_t kMaxSlotTableBytes = 128 << 10;
    const auto tableSize = static_cast<std::size_t>(plan->n) * static_cast<std::size_t>(plan->h + 1);
    if (tableSize * 2 * sizeof(double) <= kMaxSlotTableBytes) {
        plan->slotRe.resize(tableSize);
        plan->slotIm.resize(tableSize);
        for (int p = 0; p < plan->n; ++p)
            for (int k = 0; k <= plan->h; ++k) {
                const auto j = static_cast<std::size_t>((static_cast<qint64>(p) * k) % plan->n);
                const auto at = static_cast<std::size_t>(p) * static_cast<std::size_t>(plan->h + 1) +
                                static_cast<std::size_t>(k);
                plan->slotRe[at] = plan->twRe[j];
                plan->slotIm[at] = plan->twIm[j];
            }
    }
    plan->binWeight.assign(static_cast<std::size_t>(plan->h + 1), 2.0);
    plan->binWeight[0] = 0.0;
    if (plan->n % 2 == 0)
        plan->binWeight[static_cast<std::size_t>(plan->h)] = 1.0;
    return plan;
}

FeatureStream::FeatureStream(std::shared_ptr<const Plan> plan)
    : s_(std::make_unique<State>(std::move(plan))) {}
FeatureStream::~FeatureStream() = default;
FeatureStream::FeatureStream(FeatureStream&&) noexcept = default;
FeatureStream& FeatureStream::operator=(FeatureStream&&) noexcept = default;

void FeatureStream::push(qint64 tsMs, OpState state, const double* values, int errorCode, float* outRow) {
    s_->push(tsMs, state, values, errorCode, outRow);
}

int FeatureStream::featureCount() const {
    return s_->plan->features;
}
int FeatureStream::channelCount() const {
    return s_->plan->channels;
}
qint64 FeatureStream::samplesSeen() const {
    return s_->count;
}
void FeatureStream::reset() {
    s_->reset();
}

}  // namespace itap
