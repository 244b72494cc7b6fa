#include "evaluate/evaluation_options.h"

#include <cmath>

namespace itap {

Status EvaluationOptions::validate() const {
    if (!std::isfinite(minPrecision) || minPrecision < 0.0 || minPrecision > 1.0)
        return Error::badInput(
            QStringLiteral("evaluation: minPrecision must be in [0, 1], got %1").arg(minPrecision));
    if (sweepFromPercentile < 0 || sweepFromPercentile > 90)
        return Error::badInput(QStringLiteral("evaluation: sweepFromPercentile must be in [0, 90], got %1")
                                   .arg(sweepFromPercentile));
    if (sweepTopScores < 0 || sweepTopScores > 1000)
        return Error::badInput(
            QStringLiteral("evaluation: sweepTopScores must be in [0, 1000], got %1").arg(sweepTopScores));
    if (!(labelFreeQuantile > 0.0 && labelFreeQuantile < 1.0))
        return Error::badInput(QStringLiteral("evaluation: the label-free quantile must be in (0, 1), got %1")
                                   .arg(labelFreeQuantile));
    if (!(labelFreeMargin >= 1.0 && labelFreeMargin <= 10.0))
        return Error::badInput(QStringLiteral("evaluation: the label-free margin must be in [1, 10], got %1")
                                   .arg(labelFreeMargin));
    return {};
}

}  // namespace itap
