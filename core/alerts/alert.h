#pragma once

#include "common/analysis_types.h"
#include "common/telemetry.h"

#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <vector>

namespace itap {

/// How urgently an operator should look at an alert. Ordered: std::max gives the more urgent one.
enum class Severity : std::uint8_t { Info = 0, Warning = 1, Critical = 2 };
inline constexpr int kSeverityCount = 3;

/// "INFO", "WARNING" or "CRITICAL".
[[nodiscard]] QString severityName(Severity s);
[[nodiscard]] std::optional<Severity> parseSeverity(QStringView text);

/// A feature's share in a row's anomaly score, with the name resolved from the FeatureSchema.
struct NamedShare {
    QString name;
    double percent = 0;
};

/// One operator alert: one or more consecutive flagged rows of one device with the same cause.
/// Everything "at the peak" comes from the merged row with the highest score (the earliest on ties).
struct Alert {
    QString id;                          ///< "<device>@<start, ISO 8601 UTC>"; deterministic
    Severity severity = Severity::Info;  ///< the highest over the merged rows
    qint64 startMs = 0;                  ///< first merged flag
    qint64 endMs = 0;                    ///< last merged flag
    qint64 peakMs = 0;
    QString device;
    OpState state = OpState::Run;  ///< at the peak
    double peakScore = 0;
    int count = 0;  ///< flagged rows merged into this alert
    QString cause;  ///< operator wording of the matched rule
    QString ruleId;
    /// At the peak: the summed share (0–1) of the matched rule's families in the explanation, i.e. how much
    /// of the anomaly the named cause accounts for. 0 for the fallback rule (no rule's condition held).
    double confidence = 0;
    std::vector<FamilyShare> families;    ///< at the peak, descending percent (sums to 100 when explained)
    double contextPercent = 0;            ///< at the peak: Explanation::contextPercent (error codes, state)
    std::vector<NamedShare> topFeatures;  ///< at the peak, descending, at most AlertRules::topFeatures()
    QString faultTag;         ///< most common non-empty tag of the merged rows (ties: alphabetical)
    QString action;           ///< suggested operator action of the matched rule
    std::size_t peakRow = 0;  ///< ScoreTable row of the peak (live mode: the caller's row number)
};

}  // namespace itap
