#pragma once

#include "evaluate/evaluation_options.h"
#include "evaluate/score_index.h"

#include <optional>
#include <vector>

namespace itap {

/// How the operating threshold was chosen.
enum class SelectionRule {
    None,                   ///< no threshold: no labels (and no label-free rule yet), or nothing to evaluate
    MinPrecisionMaxRecall,  ///< highest recall among thresholds with precision >= minPrecision
    BestF1,                 ///< fallback when no threshold reaches minPrecision: highest F1
    LabelFree,              ///< chosen without ground truth (see labelFreeThreshold in metrics.h)
    Manual,                 ///< set by the operator (threshold slider, config)
};

/// Stable identifier used in metrics.json: "none", "min_precision_max_recall", "best_f1", "label_free",
/// "manual".
[[nodiscard]] QString selectionRuleName(SelectionRule rule);

/// One threshold of the sweep.
struct SweepPoint {
    double threshold = 0;   ///< flagged = score >= threshold; always one of the evaluated scores
    double percentile = 0;  ///< share of evaluated rows scoring below the threshold, in percent
    Confusion confusion;    ///< counts at the threshold (all rows negative when there are no labels)
};

/// A chosen threshold and the rule that chose it.
struct ThresholdSelection {
    std::optional<double> threshold;
    SelectionRule rule = SelectionRule::None;
    int point = -1;  ///< index into ThresholdSweep::points(), -1 when not a sweep point
};

/// ROC-AUC over the distinct scores: tied scores form one step, integrated as a trapezoid (equal to the
/// Mann-Whitney U statistic with ties counted half). nullopt without both positives and negatives.
[[nodiscard]] std::optional<double> rocAuc(const ScoreIndex& index);

/// PR-AUC as average precision, AP = Σ_g (R_g − R_{g−1}) · P_g over the distinct scores g in descending
/// order (tied scores enter together, as in scikit-learn). nullopt without positives.
[[nodiscard]] std::optional<double> averagePrecision(const ScoreIndex& index);

/// Precision, recall and F1 over a grid of thresholds at score percentiles of the evaluated rows,
/// the two AUCs, and the label-based threshold selection.
class ThresholdSweep {
public:
    ThresholdSweep() = default;

    /// Evaluates every threshold of thresholdGrid(). O(grid · log n + distinct scores). `options` must be
    /// valid.
    [[nodiscard]] static ThresholdSweep compute(const ScoreIndex& index, const EvaluationOptions& options);

    /// The sweep thresholds, ascending and distinct, each an evaluated score:
    ///  - the nearest-rank score percentiles p = sweepFromPercentile, +1, …, 90 (step 1),
    ///    90.25 … 99 (step 0.25) and 99.05 … 99.9 (step 0.05), where the threshold at p is the k-th highest
    ///    score with k = ceil(n · (100 − p) / 100), k ≥ 1;
    ///  - the sweepTopScores highest distinct scores, where every single row changes precision.
    /// Tied scores collapse several percentiles into one threshold.
    [[nodiscard]] static std::vector<double> thresholdGrid(const ScoreIndex& index,
                                                           const EvaluationOptions& options);

    [[nodiscard]] const std::vector<SweepPoint>& points() const { return points_; }
    [[nodiscard]] std::optional<double> rocAuc() const { return rocAuc_; }
    [[nodiscard]] std::optional<double> prAuc() const { return prAuc_; }
    [[nodiscard]] bool hasLabels() const { return hasLabels_; }
    /// Index of the point with exactly this threshold, or -1.
    [[nodiscard]] int indexOf(double threshold) const;

    /// The label-based rule: among points with precision >= minPrecision, the highest recall, ties broken by
    /// higher precision, then higher threshold (fewer alarms). If no point reaches minPrecision, the highest
    /// F1 with the same tie-breaks (rule BestF1). SelectionRule::None without labels or without positives.
    [[nodiscard]] ThresholdSelection select(double minPrecision) const;

private:
    std::vector<SweepPoint> points_;
    std::optional<double> rocAuc_;
    std::optional<double> prAuc_;
    bool hasLabels_ = false;
    qint64 positives_ = 0;
};

}  // namespace itap
