#pragma once

#include "common/result.h"

namespace itap {

/// Which threshold evaluate() selects.
enum class ThresholdRule {
    /// With ground truth: the label-based rule (highest recall at minPrecision, else best F1). Without ground
    /// truth, or when the evaluated rows hold no anomaly: the label-free rule.
    Auto,
    /// Always the label-free rule, also on labelled data, so the threshold never depends on the rows it is
    /// evaluated on.
    LabelFree,
};

/// How the label-free rule turns the training span's scores into a threshold.
enum class LabelFreeRule {
    Quantile,   ///< the labelFreeQuantile quantile of the training span's normal scores
    MaxMargin,  ///< the highest training span score times labelFreeMargin
};

/// Settings of the threshold sweep and the threshold selection.
struct EvaluationOptions {
    /// Minimum precision a threshold must reach before recall is maximised; [0, 1].
    double minPrecision = 0.5;
    /// Lowest score percentile of the sweep grid (whole percent); [0, 90]. See ThresholdSweep::thresholdGrid.
    int sweepFromPercentile = 50;
    /// How many of the highest distinct scores are added to the grid as thresholds; [0, 1000].
    int sweepTopScores = 20;

    ThresholdRule thresholdRule = ThresholdRule::Auto;
    LabelFreeRule labelFreeRule = LabelFreeRule::Quantile;
    double labelFreeQuantile = 0.995;  ///< LabelFreeRule::Quantile; (0, 1)
    double labelFreeMargin = 1.05;     ///< LabelFreeRule::MaxMargin; [1, 10]
    /// Leave out of the evaluation the normal rows less than one feature window after a fault episode (their
    /// features still see it). Off by default: every evaluated row counts; the report and metrics.json say
    /// when it is on and how many rows it left out (`--exclude-fault-tails`).
    bool excludeFaultTails = false;

    /// The one place the ranges above are checked.
    [[nodiscard]] Status validate() const;
};

}  // namespace itap
