#pragma once

#include "common/result.h"

#include <QString>

#include <optional>

namespace itap {

/// What alerts are grouped by when looking for fleet patterns.
enum class PatternKey {
    Family,  ///< the dominant family at the alert's peak
    Cause,   ///< the matched rule
};

[[nodiscard]] QString patternKeyName(PatternKey k);  ///< "family" or "cause"
[[nodiscard]] std::optional<PatternKey> parsePatternKey(const QString& text);

/// Settings of the Aggregator.
struct AggregateOptions {
    /// Distinct devices that must be in alert at the same time for a SYSTEMIC verdict; [2, 100000].
    int minDevices = 3;
    /// Gap (s) between two alerts' spans that still counts as "at the same time"; [0, 604800].
    double overlapToleranceS = 600;
    /// Group alerts by dominant family or by cause.
    PatternKey patternKey = PatternKey::Family;

    /// The one place the ranges above are checked.
    [[nodiscard]] Status validate() const;
};

}  // namespace itap
