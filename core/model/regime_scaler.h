#pragma once

#include "common/analysis_types.h"
#include "common/result.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace itap {

/// Second-stage standardisation of the forest's inputs per operating regime: (state, phase), the phase cut
/// by how long the state has lasted (AnomalyModel's regime edges, by default the first minute, minutes 1–5,
/// 5–30 and longer).
///
/// Why: the first stage (StandardScaler, ChannelDynamics) is fitted per state, so its statistics are those of
/// steady operation, which dominates every state's rows. Right after a state change the trailing windows are
/// short (they restart with the state) and the machine is still settling, so a window's spread, trend and
/// spectral energy are estimated from few samples and legitimately vary several times more; half an hour
/// into a run the machine has reached thermal equilibrium and varies less than the state's average. Scaled
/// with the whole state's statistics, the settling rows are the forest's outliers: on the default simulated
/// fleet (seed 42) 88 % of the 1,000 highest-scoring normal evaluation rows were less than 5 minutes after a
/// state change. Here every regime's scaled columns are centred and scaled again by their own mean and
/// standard deviation over the normal training rows of that regime, so a value counts as unusual against the
/// rows in the same situation. A fault is still far out in its own regime; a normal transient no longer is.
///
/// A regime with fewer than `minRows` training rows keeps the first-stage values (identity). A column whose
/// spread in a regime is tiny (≤ 1e-6) is only centred. Deterministic; immutable after fitting.
class RegimeScaler {
public:
    static constexpr int kMaxPhases = 9;  ///< at most 8 regime edges

    RegimeScaler() = default;

    /// `rowSource(r, out)` writes training row r's first-stage scaled values (cols floats); `states[r]` and
    /// `phases[r]` (in [0, phases)) give its regime. Accumulates in double, one pass.
    [[nodiscard]] static RegimeScaler fit(std::size_t rows, int cols,
                                          const std::function<void(std::size_t, float*)>& rowSource,
                                          const std::vector<OpState>& states,
                                          const std::vector<std::uint8_t>& phases, int phaseCount,
                                          int minRows);

    [[nodiscard]] bool active() const { return !mean_.empty(); }
    [[nodiscard]] int phaseCount() const { return phases_; }
    [[nodiscard]] int featureCount() const { return cols_; }
    /// True when the regime was fitted (enough rows); an unfitted regime is the identity.
    [[nodiscard]] bool fitted(OpState state, int phase) const;
    /// Mean and scale of a fitted regime's column (0 and 1 when not fitted).
    [[nodiscard]] float mean(OpState state, int phase, int col) const;
    [[nodiscard]] float scale(OpState state, int phase, int col) const;

    /// Re-standardises one first-stage row in place; no-op when inactive, for an unfitted regime or a phase
    /// outside [0, phaseCount()).
    void apply(OpState state, int phase, float* row) const;

    [[nodiscard]] nlohmann::json toJson() const;
    /// Restores toJson()'s output; the shape is checked against `cols` and `phaseCount`, every number must be
    /// finite and every scale positive. Errors name `source`.
    [[nodiscard]] static Result<RegimeScaler> fromJson(const nlohmann::json& j, int cols, int phaseCount,
                                                       const QString& source);

private:
    [[nodiscard]] std::size_t group(OpState state, int phase) const {
        return static_cast<std::size_t>(static_cast<int>(state) * phases_ + phase);
    }
    /// Derives the inverse scales; a scaler with no fitted regime comes back inactive (empty).
    [[nodiscard]] static RegimeScaler finish(RegimeScaler s);

    int cols_ = 0;
    int phases_ = 0;
    std::vector<char> fitted_;     // per group
    std::vector<float> mean_;      // groups × cols
    std::vector<float> scale_;     // groups × cols, > 0
    std::vector<float> invScale_;  // 1 / scale_
};

}  // namespace itap
