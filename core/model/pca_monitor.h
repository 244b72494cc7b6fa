#pragma once

#include "common/analysis_types.h"
#include "common/result.h"
#include "model/tail_calibration.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <vector>

namespace itap {

/// Settings of PcaMonitor::fit.
struct PcaParams {
    /// Retained components: the fewest whose eigenvalues reach this share of the total variance; (0, 1).
    double varianceTarget = 0.90;
    /// A state gets its own subspace with at least max(minStateRows, 2 × columns) training rows; below that
    /// it is monitored by the subspace of all states pooled; 10..1e9.
    int minStateRows = 50;
    /// Contiguous blocks of training rows for the out-of-fold calibration; 2..20.
    int calibrationFolds = 5;
    /// At most this many training rows (evenly strided) are used to calibrate; 1000..1e9.
    int calibrationRows = 100000;

    [[nodiscard]] Status validate() const;
};

/// Principal-component monitoring (MacGregor & Kourti 1995; Jackson 1991) of the scaled feature rows the
/// forest sees (AnomalyModel::scaleRow), over the columns the forest uses (ignored columns left out; a
/// non-finite value counts as its training mean).
///
/// One subspace per operating state (RUN / IDLE / MAINT) with enough training rows (PcaParams::minStateRows),
/// and one of all states pooled for the others (and for a state never seen in training). With only one state
/// in training there is just the pooled subspace. For a subspace with mean μ, loadings P (d × a,
/// orthonormal columns p_a) and eigenvalues λ_1 ≥ … ≥ λ_a of the training covariance, and x = row − μ:
///   - scores t = Pᵀ x; Hotelling T² = Σ_a t_a² / λ_a (variation inside the normal correlation structure);
///   - residual e = x − P t; Q (SPE) = Σ_j e_j² (variation the structure does not allow: a broken
///     correlation lands here).
/// Component rule: a = the fewest components whose eigenvalues reach varianceTarget of the trace, capped at
/// min(d − 1, n − 1) (the sample covariance of n rows has rank ≤ n − 1, and at least one residual direction
/// is kept so Q exists); a = 0 when the trace is 0. See componentCount().
///
/// Contributions (the classic contribution plots, Miller, Swanson & Heckler 1998; Kourti & MacGregor 1996):
///   - Q:  c_j = e_j², summing to Q;
///   - T²: c_j = x_j Σ_a (t_a / λ_a) p_ja, summing to T² (a term may be negative: that variable pulled the
///     row toward normal; the explainer clips it, as it clips the forest's).
///
/// Columns that never varied: a monitored column whose variance over a subspace's training rows is zero (a
/// sensor's missing fraction, 0 throughout normal data) spans no direction of the training data, so a row
/// that leaves its value is outside everything the subspace has seen. Its deviation is weighted by
/// kConstantWeight before T² and Q, so Q (and the column's Q contribution) grows with it as the forest's
/// out-of-support isolation does (AnomalyModel::isolatingChance); inside the training data the weight
/// multiplies 0.
///
/// Calibration: each subspace's T² and Q are calibrated (TailCalibration) on out-of-fold statistics: the
/// training rows are cut into calibrationFolds contiguous blocks (in the order given: device by device, in
/// time), each block's rows are scored by the subspace fitted without that block, so the calibration sees
/// statistics of rows the subspace did not fit (in-sample Q is biased low, badly so when rows are few for
/// the columns). The subspace used for scoring is fitted on all rows.
///
/// Deterministic (results do not depend on threads); immutable after fitting; queries are thread-safe.
class PcaMonitor {
public:
    /// Statistics of one row under the subspace of its state.
    struct Reading {
        double t2 = 0;
        double q = 0;
        double pT2 = 1;  ///< upper-tail p-value of t2 against the subspace's training distribution
        double pQ = 1;
    };

    /// Weight of a deviation in a column constant over the subspace's training rows.
    static constexpr double kConstantWeight = 1000.0;

    PcaMonitor() = default;

    /// `rowSource(r, out)` writes training row r scaled (cols floats) and may be called several times per
    /// row; `states[r]` is its operating state; `used` lists the columns monitored (ascending).
    [[nodiscard]] static Result<PcaMonitor> fit(std::size_t rows, int cols, std::vector<int> used,
                                                const std::function<void(std::size_t, float*)>& rowSource,
                                                const std::vector<OpState>& states, const PcaParams& params);

    /// The component rule above for eigenvalues sorted descending (negative ones count as 0).
    [[nodiscard]] static int componentCount(const std::vector<double>& eigenvaluesDescending,
                                            double varianceTarget, std::size_t rows);

    [[nodiscard]] bool active() const { return !models_.empty(); }
    [[nodiscard]] int featureCount() const { return cols_; }
    [[nodiscard]] const std::vector<int>& columns() const { return used_; }
    /// Retained components of the subspace monitoring `state`.
    [[nodiscard]] int components(OpState state) const;
    /// True when `state` has a subspace of its own (not the pooled one).
    [[nodiscard]] bool ownSubspace(OpState state) const;

    /// T², Q and their p-values for one scaled row (featureCount() values).
    [[nodiscard]] Reading read(OpState state, const float* scaledRow) const;
    /// Contributions of every column (featureCount() values, 0 for unmonitored ones) to T² (`t2` true) or Q.
    [[nodiscard]] std::vector<double> contributions(OpState state, const float* scaledRow, bool t2) const;

    [[nodiscard]] nlohmann::json toJson() const;
    /// Restores toJson()'s output, checking every size against `cols` and every number (a hostile file).
    [[nodiscard]] static Result<PcaMonitor> fromJson(const nlohmann::json& j, int cols,
                                                     const QString& source);

    /// One fitted subspace (public for the fitting helpers; not part of the API).
    struct Subspace {
        int components = 0;
        std::vector<double> mean;         ///< d
        std::vector<double> loadings;     ///< d × a, component k at [k·d, (k+1)·d)
        std::vector<double> eigenvalues;  ///< a, descending, > 0
        std::vector<int> constant;        ///< positions (in columns()) with zero training variance, ascending
        TailCalibration t2;
        TailCalibration q;
    };

private:
    [[nodiscard]] const Subspace& subspaceOf(OpState state) const;
    /// x − μ over the monitored columns, non-finite values as 0.
    void centred(const Subspace& s, const float* scaledRow, double* x) const;

    int cols_ = 0;
    std::vector<int> used_;
    std::array<int, kOpStateCount> slot_{};  ///< subspace index per state
    std::vector<Subspace> models_;           ///< the pooled one is last
};

}  // namespace itap
