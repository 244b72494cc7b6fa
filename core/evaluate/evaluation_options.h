#pragma once

#include "common/result.h"

namespace itap {

/// Settings of the threshold sweep and the label-based threshold selection.
struct EvaluationOptions {
    /// Minimum precision a threshold must reach before recall is maximised; [0, 1].
    double minPrecision = 0.5;
    /// Lowest score percentile of the sweep grid (whole percent); [0, 90]. See ThresholdSweep::thresholdGrid.
    int sweepFromPercentile = 50;
    /// How many of the highest distinct scores are added to the grid as thresholds; [0, 1000].
    int sweepTopScores = 20;

    /// The one place the ranges above are checked.
    [[nodiscard]] Status validate() const;
};

}  // namespace itap
