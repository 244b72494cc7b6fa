#pragma once

// Post-processing of a device's anomaly scores against flickering alarms on noisy channels (issue: thresholds
// without labels). Both steps are trailing, so a filtered score depends only on the device's samples up to
// its own time, like the features (leakage-safe), and both are off by default.

#include "common/result.h"

#include <QtGlobal>

#include <nlohmann/json_fwd.hpp>

#include <deque>

namespace itap {

/// Settings of the ScoreFilter; the identity by default.
struct ScoreFilterParams {
    static constexpr int kMaxSmoothSamples = 10000;
    static constexpr double kMaxMinAlarmSeconds = 86400.0;

    /// Trailing mean over the last k scores of the device (including the current one; fewer at the start of
    /// the device). 1 = no smoothing. [1, kMaxSmoothSamples].
    int smoothSamples = 1;
    /// Minimum alarm duration D in seconds: the filtered score is the minimum of the (smoothed) scores of the
    /// device's samples in the last D seconds [t − D, t], so a row is flagged at a threshold only when every
    /// sample of the last D seconds is at or above it — an alarm must persist for D before it is raised. Over
    /// a gap longer than D, or at the device's first sample, only the samples present count. 0 = off. [0,
    /// kMaxMinAlarmSeconds].
    double minAlarmSeconds = 0;

    [[nodiscard]] bool isIdentity() const { return smoothSamples <= 1 && minAlarmSeconds <= 0; }
    [[nodiscard]] Status validate() const;
    [[nodiscard]] nlohmann::json toJson() const;
    [[nodiscard]] static Result<ScoreFilterParams> fromJson(const nlohmann::json& j,
                                                            const QString& source = {});
    [[nodiscard]] bool operator==(const ScoreFilterParams&) const = default;
};

/// Filters one device's score stream sample by sample: O(1) amortised per sample (a running sum for the mean,
/// a monotonic deque for the trailing minimum). Feed samples in time order; one instance per device.
class ScoreFilter {
public:
    explicit ScoreFilter(ScoreFilterParams params = {});

    /// The filtered score of a sample at `tsMs` whose model score is `score`.
    [[nodiscard]] float push(qint64 tsMs, float score);
    void reset();

    [[nodiscard]] const ScoreFilterParams& params() const { return params_; }

private:
    ScoreFilterParams params_;
    qint64 windowMs_ = 0;
    std::deque<float> recent_;  // the last smoothSamples raw scores
    double sum_ = 0;
    struct Point {
        qint64 tsMs;
        float value;
    };
    std::deque<Point> minima_;  // increasing values; the front is the minimum of the window
};

/// Filters the scores of one device's rows in place (rows in time order), exactly as pushing them one by one
/// through a fresh ScoreFilter.
void filterScores(const ScoreFilterParams& params, const qint64* tsMs, float* scores, std::size_t n);

}  // namespace itap
