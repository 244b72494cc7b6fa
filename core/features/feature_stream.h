#pragma once

#include "common/telemetry.h"

#include <QtGlobal>

#include <memory>

namespace itap {

class FeatureEngine;
struct FeatureParams;

/// Streaming feature state of one device: push one sample, get one feature row (FeatureEngine::schema()
/// order).
///
/// Made by FeatureEngine::makeStream(); FeatureEngine::compute() is this same push() in a loop, so live and
/// batch features are identical bit for bit. A stream is used by one thread at a time; streams of one engine
/// share only immutable data (twiddle table, layout) and each owns its buffers and KissFFT plan, so devices
/// can run in parallel. Rolling statistics are O(1) per sample (running sums re-anchored exactly every
/// `window` samples, or sooner when cancellation would cost precision; monotonic queues for min/max); the
/// spectrum is a sliding DFT over the ring buffer, O(window/2) per sample, re-anchored with KissFFT at the
/// same time as the sums.
class FeatureStream {
public:
    ~FeatureStream();
    FeatureStream(FeatureStream&&) noexcept;
    FeatureStream& operator=(FeatureStream&&) noexcept;

    /// Consumes one sample and writes featureCount() floats to `outRow`; every one is finite.
    /// `values` holds channelCount() values in catalog order; NaN (or ±Inf) = missing.
    /// Timestamps should increase; repeated or decreasing ones are tolerated (no NaN/Inf, durations clamp at
    /// 0).
    void push(qint64 tsMs, OpState state, const double* values, int errorCode, float* outRow);

    [[nodiscard]] int featureCount() const;
    [[nodiscard]] int channelCount() const;
    [[nodiscard]] qint64 samplesSeen() const;
    /// Back to the state of a fresh stream (a new device, or a gap that should not be bridged).
    void reset();

    struct Plan;

private:
    friend class FeatureEngine;
    explicit FeatureStream(std::shared_ptr<const Plan> plan);
    [[nodiscard]] static std::shared_ptr<const Plan> makePlan(int channelCount, const FeatureParams& params);

    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace itap
