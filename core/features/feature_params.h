#pragma once

#include "common/result.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

namespace itap {

/// Configuration of the FeatureEngine. Stored in the model file, so a model refuses rows computed
/// differently.
struct FeatureParams {
    /// Version of the feature definitions; bump when any formula or the column layout changes.
    static constexpr int kFeatureVersion = 2;
    static constexpr int kMinWindow = 4;
    static constexpr int kMaxWindow = 4096;
    static constexpr double kMinTimeCapSeconds = 1;
    static constexpr double kMaxTimeCapSeconds = 366.0 * 86400;

    int window = 30;               ///< trailing window in samples (also the FFT length), 4..4096
    double timeCapSeconds = 3600;  ///< cap of since_error_s / since_state_s in seconds, 1..31622400
    /// Channel windows restart when the operating state changes, so a row's statistics never mix two
    /// states (a RUN→IDLE change is not a level shift inside one window). Event counters keep the full
    /// window.
    bool segmentByState = true;

    /// The one place the ranges above are enforced.
    [[nodiscard]] Status validate() const;
    /// `{"feature_version":2,"window":30,"time_cap_s":3600,"segment_by_state":true}`.
    [[nodiscard]] nlohmann::json toJson() const;
    /// Missing keys take their defaults; unknown keys, another feature_version or out-of-range values are
    /// errors.
    [[nodiscard]] static Result<FeatureParams> fromJson(const nlohmann::json& j, const QString& source = {});

    friend bool operator==(const FeatureParams&, const FeatureParams&) = default;
};

}  // namespace itap
