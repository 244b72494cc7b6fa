#pragma once

#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "features/feature_columns.h"
#include "features/feature_params.h"
#include "features/feature_stream.h"

#include <memory>

namespace itap {

/// Turns one device's telemetry into one feature row per sample (DESIGN.md §3 FeatureEngine).
///
/// Per catalog channel, over the trailing `window` samples ending at the current one (shorter at a device's
/// start; never padded with fake values), the 12 statistics of ChannelStat; then the 8 event counters of
/// EventStat. Leakage-safe by construction: a row depends only on samples at or before it.
///
/// Definitions (the reference implementation in tests/core/features follows them literally):
/// - Statistics use the valid (finite) samples of the window only. Population std.
/// - trend: OLS slope of value against the real timestamps (irregular sampling is respected), units/minute;
///   0 when all valid samples share one timestamp.
/// - resid (the trend decomposition residual): current value minus the window's OLS line evaluated at the
///   current timestamp, i.e. what the local level-plus-trend model does not explain.
/// - fft_energy / fft_dom: spectrum of the window detrended by that OLS line, with missing slots (and slots
///   before the device's first sample) set to the line, i.e. contributing nothing; length `window`, bins
///   1..window/2. fft_energy = Σ_{k=1}^{window−1} |Y_k|² / (window · valid samples), which by Parseval is the
///   mean squared detrended residual; fft_dom = argmax_k |Y_k|² (lowest k on ties).
/// - A window whose valid samples are all equal gives std = trend = zscore = resid = fft_energy = fft_dom =
/// 0.
/// - A window with no valid sample carries mean/std/min/max/trend/fft_* from the last window that had one
///   (0 before the first), sets delta/zscore/resid to 0 and missing_frac to 1.
/// - Every output is finite: NaN never leaves the engine, ±Inf saturate at ±FLT_MAX.
///
/// Immutable after construction; const methods are safe to call from many threads at once.
class FeatureEngine {
public:
    /// `params` must be valid (see create()); an out-of-range window is clamped into 4..4096 with a warning.
    FeatureEngine(const SensorCatalog& catalog, FeatureParams params);
    /// Validates `params` first.
    [[nodiscard]] static Result<FeatureEngine> create(const SensorCatalog& catalog, FeatureParams params);

    [[nodiscard]] const FeatureSchema& schema() const { return schema_; }
    [[nodiscard]] const FeatureParams& params() const { return params_; }
    [[nodiscard]] int channelCount() const { return channelCount_; }
    [[nodiscard]] int featureCount() const { return schema_.size(); }
    [[nodiscard]] int column(int channel, ChannelStat stat) const { return channelColumn(channel, stat); }
    [[nodiscard]] int column(EventStat stat) const { return eventColumn(channelCount_, stat); }

    /// A fresh per-device streaming state (own buffers and FFT plan).
    [[nodiscard]] FeatureStream makeStream() const;

    /// Features of a whole device: one row per sample, through a FeatureStream. A channel vector that is
    /// absent or shorter than tsMs reads as missing; absent state/error_code entries read as RUN/0.
    [[nodiscard]] FeatureMatrix compute(const DeviceSeries& series) const;

private:
    FeatureParams params_;
    int channelCount_ = 0;
    FeatureSchema schema_;
    std::shared_ptr<const FeatureStream::Plan> plan_;
};

}  // namespace itap
