#pragma once

#include "common/analysis_types.h"
#include "common/result.h"
#include "common/telemetry.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace itap {

/// Linear first-order dynamics of the channels, learned from the normal training rows of each device in each
/// operating state.
///
/// For every channel with a `<p>_trend` and a `<p>_mean` column, the trend (its rate of change over the
/// window) is regressed on the window means of all channels: trend_c ≈ m_c + Σ_k β_ck (mean_k − μ_k). This is
/// the discrete form of a linear state-space model dx/dt = A x + b, which fits most physical couplings to
/// first order (a temperature relaxing towards a level set by the load, a speed following its setpoint). A
/// normal warm-up after a load change is explained by the levels; the same rise with the levels unchanged (an
/// overheat) is not. The model replaces each trend column, for the forest only, by the standardised residual
/// (trend − prediction) / σ_residual, so the explainer credits it to the channel's own family.
///
/// Levels too (`levels` = true at fit): each channel's window mean is regressed on the other channels' window
/// means, mean_c ≈ m_c + Σ_{k≠c} γ_ck (mean_k − μ_k), and the forest sees the standardised residual instead
/// of the mean. Coupled channels hold each other's levels in check — a motor's temperature follows its load,
/// its vibration its speed, its voltage sags with its current — so a level that the others do not account for
/// (a temperature 8 °C above what the load gives, a vibration half again above what the speed gives) stands
/// out against the device's own operating point rather than against the spread of a heterogeneous fleet,
/// while a device that simply runs hotter than its neighbours does not.
///
/// A channel whose window holds no valid sample (its `<p>_missing_frac` is 1: a sensor that dropped out)
/// carries its last level across the gap. That stale level is left out as a regressor for the other channels
/// — their regressions are solved again without it from the group's stored moments — so a dropped current
/// sensor does not make the voltage look wrong; the dropped channel's own residuals are still computed from
/// its carried values, and the missing fraction tells the forest why.
///
/// Fitted per (device, state) group with enough rows (≥ kMinRowsPerCoefficient per coefficient), and per
/// state over all devices as the fallback for small groups and unseen devices; a state without enough rows
/// leaves the trend columns as the scaler made them. Ridge-regularised (λ = 1e-3 × mean level variance) so
/// that constant or collinear channels cannot make the system singular. Deterministic; immutable after
/// fitting.
class ChannelDynamics {
public:
    static constexpr int kMinRowsPerCoefficient = 20;

    ChannelDynamics() = default;

    /// `featureNames` locates the channels; `deviceIndex` (one per row, may be empty) indexes `devices`.
    [[nodiscard]] static ChannelDynamics fit(const FeatureRows& rows, const std::vector<OpState>& states,
                                             const std::vector<int>& deviceIndex, const QStringList& devices,
                                             const std::vector<QString>& featureNames, bool levels = true);

    /// True when at least one group was fitted.
    [[nodiscard]] bool active() const;
    /// Number of channels modelled (trend columns replaced).
    [[nodiscard]] int channelCount() const { return static_cast<int>(trends_.size()); }
    [[nodiscard]] const std::vector<int>& trendColumns() const { return trends_; }

    /// Group used for a device (slot from deviceSlot(), or -1 when unseen) in a state; -1 = none fitted.
    [[nodiscard]] int groupFor(int deviceSlot, OpState state) const;
    [[nodiscard]] int deviceSlot(const QString& device) const { return slot_.value(device, -1); }

    /// True when the mean columns are replaced by level residuals too.
    [[nodiscard]] bool levelResiduals() const { return !levelCoef_.empty(); }

    /// Overwrites the trend columns of `out` with the standardised residuals computed from `raw` (a raw
    /// feature row), and with levelResiduals() the mean columns with theirs; non-finite inputs give 0 for
    /// the trends and leave the means as they are. `group` < 0 leaves `out` unchanged.
    void apply(int group, const float* raw, float* out) const;

    [[nodiscard]] nlohmann::json toJson() const;
    /// Restores toJson()'s output; every size, column and number is checked against `cols`.
    [[nodiscard]] static Result<ChannelDynamics> fromJson(const nlohmann::json& j, int cols,
                                                          const QString& source);

private:
    [[nodiscard]] std::size_t stride() const { return 2 + 2 * levels_.size(); }
    [[nodiscard]] std::size_t momentStride() const {
        return 1 + 3 * levels_.size() + 2 * levels_.size() * levels_.size();
    }
    [[nodiscard]] int groupCount() const { return (static_cast<int>(devices_.size()) + 1) * kOpStateCount; }
    void indexDevices();

    std::vector<int> levels_;        // mean columns, one per channel, the regressors
    std::vector<int> trends_;        // trend columns, same order
    QStringList devices_;            // devices with their own groups
    QHash<QString, int> slot_;       // device → index in devices_
    std::vector<char> fitted_;       // per group: 1 when fitted
    std::vector<double> coef_;       // per group, per channel: mean_y, sigma, mean_x[L], beta[L]
    std::vector<double> levelCoef_;  // same layout for the levels (own beta 0); may be empty
    std::vector<int> missing_;       // per channel, its missing-fraction column or -1; empty in older files
    std::vector<double>
        moments_;  // per group: n, mean_x[L], mean_y[L], Sxx, Sxy, Syy (centred); may be empty
};

}  // namespace itap
