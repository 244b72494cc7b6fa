#pragma once

#include "alerts/alert.h"
#include "alerts/alert_rules.h"
#include "common/analysis_types.h"
#include "common/family_index.h"

#include <QHash>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

namespace itap {

/// One scored row as the tracker needs it (batch: a ScoreTable row; live: the row just scored).
struct ScoredRow {
    QString device;
    qint64 tsMs = 0;
    OpState state = OpState::Run;
    double score = 0;
    QString faultTag;     ///< ground truth when known, else empty
    std::size_t row = 0;  ///< ScoreTable row (live mode: any increasing row number)
};

/// What one push did to the alert list.
struct AlertUpdate {
    std::size_t index = 0;  ///< into AlertTracker::alerts()
    bool created = false;   ///< true: a new alert; false: the row merged into an existing one
};

/// Streaming alert state: push flagged rows one at a time (per device in time order), get new or updated
/// alerts. AlertEngine::run() is this class in a loop, so live mode and batch give the same alerts.
/// Not thread-safe; use one tracker per thread.
class AlertTracker {
public:
    AlertTracker(AlertRules rules, double threshold, std::vector<QString> featureNames);

    /// Classifies the row by the first matching rule and merges it into the device's latest alert when that
    /// alert has the same rule and the gap since its last flag is within the cooldown; otherwise opens a new
    /// alert. Rows below the threshold are ignored (nullopt). A row older than its device's latest alert
    /// opens a new alert rather than rewriting history. `why.families` may be empty (unexplained row →
    /// fallback).
    std::optional<AlertUpdate> push(const ScoredRow& row, const Explanation& why);

    [[nodiscard]] const std::vector<Alert>& alerts() const { return alerts_; }
    /// Flagged rows pushed so far; the sum of all alerts' counts.
    [[nodiscard]] std::size_t flaggedRows() const { return flagged_; }
    [[nodiscard]] double threshold() const { return threshold_; }
    [[nodiscard]] const AlertRules& rules() const { return rules_; }
    /// Hands over the alerts (in creation order) and starts afresh.
    [[nodiscard]] std::vector<Alert> takeAlerts();

private:
    void setPeak(Alert& alert, const ScoredRow& row, const Explanation& why, const RuleMatch& match) const;
    /// "<device>@<start>", with "#k" appended when the k-th alert of a device starts at the same instant;
    /// only an alert that does not start after every earlier alert of its device can repeat one.
    [[nodiscard]] QString uniqueId(const QString& device, qint64 startMs, bool startsAfterAll) const;
    /// The rule match of an explanation, its family names looked up through families_.
    [[nodiscard]] RuleMatch matchOf(const Explanation& why);

    struct DeviceTrack {
        std::size_t latest = 0;  // its most recent alert
        qint64 maxStartMs = 0;   // the latest start of its alerts
    };
    AlertRules rules_;
    double threshold_;
    std::vector<QString> featureNames_;
    std::vector<Alert> alerts_;
    std::vector<QMap<QString, int>> tagCounts_;  // per alert: tag → merged rows carrying it
    QHash<QString, DeviceTrack> latest_;         // device → its most recent alert and latest start
    FamilyIndex families_;                 // family names seen in explanations
    std::vector<int> ruleFamilyOf_;        // per families_ index: index into rules_.ruleFamilies(), -1 if none
    std::vector<double> percent_;          // per rule family, the row being matched
    std::size_t flagged_ = 0;
};

}  // namespace itap
