#include "alerts/alert_tracker.h"

#include "common/time_util.h"

#include <algorithm>

namespace itap {

AlertTracker::AlertTracker(AlertRules rules, double threshold, std::vector<QString> featureNames)
    : rules_(std::move(rules)), threshold_(threshold), featureNames_(std::move(featureNames)) {}

std::optional<AlertUpdate> AlertTracker::push(const ScoredRow& row, const Explanation& why) {
    if (!(row.score >= threshold_))
        return std::nullopt;
    ++flagged_;
    const RuleMatch match = matchOf(why);
    const AlertRule& rule = rules_.rule(match.rule);
    const Severity severity = rules_.severityFor(row.score, threshold_);

    std::size_t index = alerts_.size();
    bool created = true;
    DeviceTrack* track = nullptr;
    if (auto it = latest_.find(row.device); it != latest_.end()) {
        track = &*it;
        Alert& open = alerts_[track->latest];
        if (open.ruleId == rule.id && row.tsMs >= open.endMs &&
            row.tsMs - open.endMs <= rules_.cooldownMs()) {
            index = track->latest;
            created = false;
            open.endMs = row.tsMs;
            ++open.count;
            open.severity = std::max(open.severity, severity);
            if (row.score > open.peakScore)
                setPeak(open, row, why, match);
        }
    }
    if (created) {
        Alert a;
        a.id = uniqueId(row.device, row.tsMs, !track || row.tsMs > track->maxStartMs);
        a.severity = severity;
        a.startMs = a.endMs = row.tsMs;
        a.device = row.device;
        a.count = 1;
        a.cause = rule.cause;
        a.ruleId = rule.id;
        a.action = rule.action;
        setPeak(a, row, why, match);
        alerts_.push_back(std::move(a));
        tagCounts_.emplace_back();
        if (track) {
            track->latest = index;
            track->maxStartMs = std::max(track->maxStartMs, row.tsMs);
        } else {
            latest_.insert(row.device, DeviceTrack{index, row.tsMs});
        }
    }

    if (!row.faultTag.isEmpty()) {
        QMap<QString, int>& tags = tagCounts_[index];
        ++tags[row.faultTag];
        // QMap iterates alphabetically and only a strictly larger count wins, so ties go to the first name.
        int best = 0;
        for (auto t = tags.constBegin(); t != tags.constEnd(); ++t) {
            if (t.value() > best) {
                best = t.value();
                alerts_[index].faultTag = t.key();
            }
        }
    }
    return AlertUpdate{index, created};
}

void AlertTracker::setPeak(Alert& alert, const ScoredRow& row, const Explanation& why,
                           const RuleMatch& match) const {
    alert.peakMs = row.tsMs;
    alert.peakScore = row.score;
    alert.state = row.state;
    alert.peakRow = row.row;
    alert.confidence = match.share;
    alert.families.assign(why.families.begin(), why.families.end());
    alert.contextPercent = why.contextPercent;
    alert.topFeatures.clear();
    for (const FeatureShare& f : why.features) {
        if (static_cast<int>(alert.topFeatures.size()) >= rules_.topFeatures())
            break;
        const bool known = f.feature >= 0 && static_cast<std::size_t>(f.feature) < featureNames_.size();
        alert.topFeatures.push_back(NamedShare{known ? featureNames_[static_cast<std::size_t>(f.feature)]
                                                     : QStringLiteral("feature#%1").arg(f.feature),
                                               f.percent});
    }
}

QString AlertTracker::uniqueId(const QString& device, qint64 startMs, bool startsAfterAll) const {
    const QString base = device + QLatin1Char('@') + formatUtcTimestamp(startMs);
    if (startsAfterAll)
        return base;
    // Out-of-order input (rare): the earlier alerts of the device starting at the same instant used the
    // base and its "#k" forms; ids never change once given, so counting them is counting the uses.
    const auto uses = 1 + std::count_if(alerts_.begin(), alerts_.end(), [&](const Alert& a) {
                              return a.startMs == startMs && a.device == device;
                          });
    return uses == 1 ? base : base + QStringLiteral("#%1").arg(uses);
}

RuleMatch AlertTracker::matchOf(const Explanation& why) {
    percent_.assign(static_cast<std::size_t>(rules_.ruleFamilies().size()), 0.0);
    for (const FamilyShare& f : why.families) {
        const std::size_t i = families_.of(f.family);
        if (i == ruleFamilyOf_.size())  // a name seen for the first time
            ruleFamilyOf_.push_back(rules_.ruleFamilyIndex(f.family));
        if (const int rule = ruleFamilyOf_[i]; rule >= 0)
            percent_[static_cast<std::size_t>(rule)] += f.percent;
    }
    return rules_.matchPercents(percent_);
}

std::vector<Alert> AlertTracker::takeAlerts() {
    std::vector<Alert> out = std::move(alerts_);
    alerts_.clear();
    tagCounts_.clear();
    latest_.clear();
    flagged_ = 0;
    return out;
}

}  // namespace itap
