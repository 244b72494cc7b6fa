#pragma once

#include "common/analysis_types.h"
#include "common/telemetry.h"
#include "model/anomaly_model.h"

#include <QString>

#include <vector>

namespace itap {

/// One row to explain (see Explainer::explainRows).
struct ExplainRequest {
    std::size_t row = 0;              ///< copied to Explanation::row (index into the ScoreTable)
    QString device;                   ///< selects the scaler statistics, as in AnomalyModel::score()
    const float* features = nullptr;  ///< raw (unscaled) feature row, model.featureCount() values
    OpState state = OpState::Run;
};

/// Why a row scored high: an exact decomposition of its path length over the features (Saabas-style).
///
/// Every node of every tree carries E[h | node], the expected path length of the training sub-sample rows
/// that reached it (AnomalyModel's forest: leaf = depth + c(size), internal = size-weighted mean of its
/// children). Walking row x from the root, the step from node n to its child m changes the expected path
/// length by E[h|m] − E[h|n]; that change is credited to n's split feature. Per tree the credits telescope
/// to exactly h_t(x) − E[h|root_t]. The contribution of feature f is
///     φ_f(x) = −(1/T) Σ_t Σ_{steps of tree t splitting on f} (E[h|m] − E[h|n]),
/// so Σ_f φ_f(x) = mean_t E[h|root_t] − E[h(x)]: how much shorter than expected the row's path is, the very
/// quantity that raises s(x) = 2^(−E[h(x)]/c(ψ)). Features with φ_f > 0 pushed the score up; negative
/// contributions are clipped at 0. The share of the event counters and the state (family Operation: error
/// codes, transitions, time in state) is reported apart as Explanation::contextPercent; the sensor features
/// (channel statistics and missingness) are normalised to 100 % among themselves and grouped into the
/// catalog's families (FeatureSchema::families), so the explanation says which sensors moved even when an
/// error code was present. A row that only context explains lists the Operation features instead. A row with
/// no positive contribution gets empty lists.
///
/// A row outside the training support (AnomalyModel::isolatingChance: p > 0) is scored with isolation at
/// every split (IsolationForest::pathLengthIsolating); it is explained the same way
/// (IsolationForest::addPathCreditsIsolating): each step is credited in proportion to the chance of getting
/// there, and the path length that isolation removes goes to the columns that left their training value, so
/// the contributions still sum to mean_t E[h|root_t] − E[h(x)] of the score.
///
/// With a PCA monitor (ModelParams::detector pca or combined) the row is explained by the detector that
/// carried its score (AnomalyModel::read: the smallest calibrated p-value; Explanation::detector): the forest
/// as above, T² and Q by their contribution plots (PcaMonitor::contributions), clipped, normalised and grouped
/// by family the same way.
///
/// Holds a reference to the model, which must outlive the Explainer. All methods are const and thread-safe.
class Explainer {
public:
    Explainer(const AnomalyModel& model, const FeatureSchema& schema);

    /// Explains one raw feature row (model.featureCount() values) of `device` in `state`.
    [[nodiscard]] Explanation explain(std::size_t row, const QString& device, const float* rawFeatureRow,
                                      OpState state) const;

    /// explain() for many rows, in parallel (threads: 0 = all cores); results in request order and identical
    /// whatever the thread count.
    [[nodiscard]] std::vector<Explanation> explainRows(const std::vector<ExplainRequest>& requests,
                                                       int threads = 0) const;

    /// φ_f for one already scaled row: featureCount() values, summing to mean_t E[h|root_t] − E[h(x)]. The
    /// forest's own decomposition: a scaled row carries no raw values, so no out-of-support credit.
    [[nodiscard]] std::vector<double> contributions(const float* scaledRow) const;

    /// Adds tree `tree`'s raw credits (E[h|child] − E[h|node] per step, not negated) to perFeature and
    /// returns their sum, which equals h_tree(x) − E[h|root] (the additivity property).
    double addTreeCredits(int tree, const float* scaledRow, double* perFeature) const;

    /// Clips negative contributions, normalises to 100 % and groups by family (descending, ties by column
    /// then by family name).
    [[nodiscard]] static Explanation fromContributions(std::size_t row,
                                                       const std::vector<double>& contributions,
                                                       const FeatureSchema& schema);

private:
    const AnomalyModel& model_;
    FeatureSchema schema_;
};

}  // namespace itap
