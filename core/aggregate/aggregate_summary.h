#pragma once

#include "aggregate/aggregate_options.h"
#include "alerts/alert.h"
#include "common/analysis_types.h"

#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace itap {

/// One device's line of the leaderboard.
struct DeviceSummary {
    QString device;
    std::size_t rows = 0;
    std::size_t flaggedRows = 0;  ///< score ≥ threshold
    double meanScore = 0;         ///< over all rows of the device
    double p95Score = 0;          ///< nearest-rank 95th percentile over all rows
    double maxScore = 0;
    /// Mean of the family shares over the device's explained flagged rows, renormalised to sum to 100;
    /// descending. Empty when no flagged row was explained.
    std::vector<FamilyShare> families;
    std::optional<qint64> firstFlaggedMs;
    std::optional<qint64> lastFlaggedMs;
    std::array<int, kSeverityCount> alertsBySeverity{};  ///< indexed by Severity
    int alerts = 0;
    /// 1 = worst: most CRITICAL alerts, then most alerts, then highest p95 score, then device id ascending.
    int healthRank = 0;
};

/// SYSTEMIC when enough devices share a problem at the same time, else ISOLATED.
enum class PatternVerdict { Isolated, Systemic };
[[nodiscard]] QString patternVerdictName(PatternVerdict v);  ///< "ISOLATED" or "SYSTEMIC"

/// Alerts with the same key (family or cause) whose spans chain together in time: each alert's span
/// [start, end + tolerance] overlaps the next one's.
struct FleetPattern {
    QString key;    ///< family name, or rule id when grouped by cause
    QString label;  ///< family name, or the rule's cause wording
    PatternVerdict verdict = PatternVerdict::Isolated;
    QStringList devices;  ///< distinct, ascending
    /// Most distinct devices in alert at one moment (spans widened by the tolerance). The verdict is SYSTEMIC
    /// when this reaches AggregateOptions::minDevices: devices in alert one after another are not "the same
    /// time".
    int concurrentDevices = 0;
    qint64 startMs = 0;
    qint64 endMs = 0;
    int alertCount = 0;
    Severity highestSeverity = Severity::Info;
    QStringList alertIds;  ///< by start time
};

/// The whole fleet at one threshold.
struct FleetSummary {
    int devices = 0;
    int devicesAffected = 0;  ///< devices with at least one flagged row or alert
    std::size_t rows = 0;
    std::size_t flaggedRows = 0;
    /// Mean of the family shares over all explained flagged rows, renormalised to 100, descending; every
    /// catalog family is listed (0 when absent), plus any pseudo-family that occurs.
    std::vector<FamilyShare> familyMix;
    std::array<int, kSeverityCount> alertsBySeverity{};
    int alerts = 0;
    /// SYSTEMIC first, then more devices, more alerts, earlier start, key.
    std::vector<FleetPattern> patterns;
    int systemicPatterns = 0;
};

/// Output of the Aggregator.
struct AggregateSummary {
    double threshold = 0;
    AggregateOptions options;
    std::vector<DeviceSummary> devices;  ///< leaderboard order: healthRank 1 first
    FleetSummary fleet;
};

}  // namespace itap
