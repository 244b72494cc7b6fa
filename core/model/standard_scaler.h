#pragma once

#include "common/analysis_types.h"
#include "common/progress.h"
#include "common/result.h"
#include "common/telemetry.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <vector>

namespace itap {

/// Which rows share one set of means and standard deviations.
enum class ScalingMode : std::uint8_t {
    Global,          ///< one set for all rows
    PerState,        ///< one set per operating state (RUN / IDLE / MAINT): the default
    PerDevice,       ///< one set per device; unseen devices use the global set
    PerDeviceState,  ///< one set per (device, state); unseen devices use the per-state set
};

[[nodiscard]] QString scalingModeName(ScalingMode mode);
[[nodiscard]] std::optional<ScalingMode> parseScalingMode(const QString& name);

/// Settings of the StandardScaler.
struct ScalerParams {
    /// Grouping of the statistics; what is normal in IDLE is not normal in RUN, hence per state by default.
    ScalingMode mode = ScalingMode::PerState;
    /// Fewest finite training values of a feature a group needs to get its own statistics; [2, 1e9].
    /// Below that the feature falls back to the coarser group (device+state → state → global, device →
    /// global).
    int minGroupRows = 30;

    /// The one place the ranges above are checked.
    [[nodiscard]] Status validate() const;
};

/// Z-score scaling of feature rows, fitted on normal training rows.
///
/// A standard deviation that is zero or tiny (≤ 1e-6 · max(1, |mean|)) is treated as 1, so a constant feature
/// scales to 0 instead of NaN/Inf. Non-finite inputs map to defined values: NaN (missing) → 0, i.e. the
/// group's mean (missingness has features of its own); ±Inf → ±kMaxAbsZ; finite results are clipped to
/// ±kMaxAbsZ.
class StandardScaler {
public:
    /// Largest magnitude of a scaled value.
    static constexpr float kMaxAbsZ = 1e6F;

    StandardScaler() = default;

    /// Fits on `rows`. `states` has one entry per row; `deviceIndex` one entry per row indexing `devices`
    /// (it may be empty for the Global and PerState modes). Non-finite values are left out of the statistics.
    [[nodiscard]] static Result<StandardScaler> fit(const FeatureRows& rows,
                                                    const std::vector<OpState>& states,
                                                    const std::vector<int>& deviceIndex,
                                                    const QStringList& devices, const ScalerParams& params,
                                                    const ProgressFn& progress = {});

    [[nodiscard]] int featureCount() const { return cols_; }
    [[nodiscard]] const ScalerParams& params() const { return params_; }
    [[nodiscard]] const QStringList& devices() const { return devices_; }

    /// Slot of a device seen at training, or -1 (unseen devices fall back as documented on ScalingMode).
    [[nodiscard]] int deviceSlot(const QString& device) const;
    /// Statistics table used for a device slot (or -1) and a state.
    [[nodiscard]] int tableFor(int deviceSlot, OpState state) const;
    [[nodiscard]] int tableCount() const { return tables_; }
    [[nodiscard]] const float* mean(int table) const { return mean_.data() + offset(table); }
    [[nodiscard]] const float* scale(int table) const { return scale_.data() + offset(table); }

    /// Scales one row of featureCount() values with one table; `out` may alias `raw`.
    void transform(int table, const float* raw, float* out) const;
    /// Convenience: resolves the table from device and state, then transforms.
    void transform(const QString& device, OpState state, const float* raw, float* out) const;

    [[nodiscard]] nlohmann::json toJson() const;
    /// Restores a scaler written by toJson(); every array is checked against `cols`. Errors name `source`.
    [[nodiscard]] static Result<StandardScaler> fromJson(const nlohmann::json& j, int cols,
                                                         const QString& source);

private:
    [[nodiscard]] std::size_t offset(int table) const {
        return static_cast<std::size_t>(table) * static_cast<std::size_t>(cols_);
    }
    [[nodiscard]] static int tablesFor(ScalingMode mode, int devices);
    void finish();  // derives invScale_ from scale_ the same way after fit() and fromJson()

    ScalerParams params_;
    int cols_ = 0;
    int tables_ = 0;
    QStringList devices_;
    QHash<QString, int> slotOf_;
    std::vector<float> mean_;      // tables_ × cols_
    std::vector<float> scale_;     // tables_ × cols_, > 0
    std::vector<float> invScale_;  // 1 / scale_
};

}  // namespace itap
