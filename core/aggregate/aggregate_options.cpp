#include "aggregate/aggregate_options.h"

#include <cmath>

namespace itap {

QString patternKeyName(PatternKey k) {
    return k == PatternKey::Cause ? QStringLiteral("cause") : QStringLiteral("family");
}

std::optional<PatternKey> parsePatternKey(const QString& text) {
    if (text == QStringLiteral("family"))
        return PatternKey::Family;
    if (text == QStringLiteral("cause"))
        return PatternKey::Cause;
    return std::nullopt;
}

Status AggregateOptions::validate() const {
    if (minDevices < 2 || minDevices > 100000)
        return Error::badInput(
            QStringLiteral("aggregate: minDevices must be in [2, 100000], got %1").arg(minDevices));
    if (!std::isfinite(overlapToleranceS) || overlapToleranceS < 0 || overlapToleranceS > 604800)
        return Error::badInput(QStringLiteral("aggregate: overlapToleranceS must be in [0, 604800], got %1")
                                   .arg(overlapToleranceS));
    return {};
}

}  // namespace itap
