#include "alerts/incident_tracker.h"

#include "common/time_util.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace itap {
namespace {

// A flagged row's evidence weight is its relative margin plus this floor, so rows sitting at the threshold
// still count (a little) and an incident whose rows all sit there is decided by all of them equally.
constexpr double kWeightFloor = 0.01;
// The evidence weight of a row with an instrument diagnostic: the largest a flagged row can have (relative
// margin 1, the score at its maximum).
constexpr double kDiagnosticWeight = 1.0 + kWeightFloor;

}  // namespace

double IncidentScoreFilter::push(qint64 tsMs, double score) {
    if (windowMs_ <= 0)
        return score;
    window_.emplace_back(tsMs, score);
    sum_ += score;
    while (window_.size() > 1 && window_.front().first <= tsMs - windowMs_) {
        sum_ -= window_.front().second;
        window_.pop_front();
    }
    // A window down to one sample (the first, or after a gap) starts the sum afresh, so the rounding of a
    // running sum does not carry across gaps.
    if (window_.size() == 1)
        sum_ = score;
    return sum_ / double(window_.size());
}

std::vector<float> filterIncidentScores(const ScoreTable& table, const IncidentParams& params) {
    std::vector<float> out(table.size());
    std::optional<int> device;
    IncidentScoreFilter filter(params.filterMs());
    for (std::size_t r = 0; r < table.size(); ++r) {
        if (table.device[r] != device) {
            device = table.device[r];
            filter = IncidentScoreFilter(params.filterMs());
        }
        out[r] = static_cast<float>(filter.push(table.tsMs[r], double(table.score[r])));
    }
    return out;
}

void IncidentTracker::Evidence::countTag(QStringView tag, int n) {
    for (auto& [known, count] : tags)
        if (known == tag) {
            count += n;
            return;
        }
    tags.emplace_back(tag.toString(), n);
}

void IncidentTracker::Evidence::add(const Evidence& o) {
    if (family.size() < o.family.size())
        family.resize(o.family.size(), 0.0);
    for (std::size_t i = 0; i < o.family.size(); ++i) family[i] += o.family[i];
    if (feature.size() < o.feature.size())
        feature.resize(o.feature.size(), 0.0);
    for (std::size_t i = 0; i < o.feature.size(); ++i) feature[i] += o.feature[i];
    weight += o.weight;
    for (const auto& [tag, n] : o.tags) countTag(tag, n);
    for (const SignalDiagnostic& d : o.diagnostics) {
        auto it = std::find_if(diagnostics.begin(), diagnostics.end(), [&](const SignalDiagnostic& x) {
            return x.condition == d.condition && x.channel == d.channel;
        });
        if (it == diagnostics.end()) {
            diagnostics.push_back(d);
        } else {
            it->firstMs = std::min(it->firstMs, d.firstMs);
            it->lastMs = std::max(it->lastMs, d.lastMs);
        }
    }
    // addDiagnostic() appends in time order; merging two excursions is the one place that order can break.
    std::stable_sort(
        diagnostics.begin(), diagnostics.end(),
        [](const SignalDiagnostic& x, const SignalDiagnostic& y) { return x.firstMs < y.firstMs; });
    rows += o.rows;
    flagged += o.flagged;
    lastAboveClearMs = std::max(lastAboveClearMs, o.lastAboveClearMs);
    peakFiltered = std::max(peakFiltered, o.peakFiltered);
    if (o.peakScore > peakScore) {
        peakScore = o.peakScore;
        peakMs = o.peakMs;
        peakState = o.peakState;
        peakRow = o.peakRow;
        peakContext = o.peakContext;
    }
}

IncidentTracker::IncidentTracker(AlertRules rules, double threshold, const FeatureSchema& schema)
    : rules_(std::move(rules)), threshold_(threshold), featureNames_(schema.names) {
    missingnessFamily_ = families_.of(family::kMissingness);
    // The columns a diagnostic's evidence goes to, found by family and name suffix (feature_columns.h).
    const QString missingSuffix = QStringLiteral("_missing_frac");
    const QString stdSuffix = QStringLiteral("_std");
    for (std::size_t i = 0; i < schema.names.size() && i < schema.channel.size(); ++i) {
        const int c = schema.channel[i];
        if (c < 0)
            continue;
        const QString& name = schema.names[i];
        const bool missing = name.endsWith(missingSuffix);
        if (!missing && !name.endsWith(stdSuffix))
            continue;
        const auto code = std::size_t(
            signalDiagnosticCode(c, missing ? SignalCondition::Missing : SignalCondition::Frozen));
        if (code >= diagnosticColumn_.size()) {
            diagnosticColumn_.resize(code + 1, -1);
            diagnosticChannel_.resize(code + 1);
        }
        diagnosticColumn_[code] = static_cast<int>(i);
        diagnosticChannel_[code] = name.left(name.size() - (missing ? missingSuffix : stdSuffix).size());
    }
    const IncidentParams& p = rules_.incidents();
    levels_.raise = threshold;
    levels_.clear = threshold * p.clearRatio;
    levels_.onDelayMs = p.onDelayMs();
    levels_.offDelayMs = p.offDelayMs();
    levels_.realarmMs = rules_.cooldownMs();
}

IncidentTracker::DeviceTrack& IncidentTracker::trackOf(const QString& device) {
    // Batch rows come grouped by device and share the device's string: its data pointer recognises it.
    if (!tracks_.empty() && (device.constData() == currentDevice_.constData() || device == currentDevice_))
        return tracks_[current_];
    auto it = trackIndex_.find(device);
    if (it == trackIndex_.end()) {
        it = trackIndex_.insert(device, tracks_.size());
        tracks_.emplace_back();
    }
    currentDevice_ = device;
    current_ = *it;
    return tracks_[current_];
}

std::size_t IncidentTracker::deviceSlot(const QString& device) {
    (void)trackOf(device);
    return current_;
}

void IncidentTracker::addDiagnostic(Evidence& ev, const ScoredRow& row) {
    const auto code = std::size_t(row.diagnostic);
    const QString channel =
        code < diagnosticChannel_.size() && !diagnosticChannel_[code].isEmpty()
            ? diagnosticChannel_[code]
            : QStringLiteral("channel %1").arg(signalDiagnosticChannel(row.diagnostic) + 1);
    const SignalCondition condition = signalDiagnosticCondition(row.diagnostic);
    auto it = std::find_if(ev.diagnostics.begin(), ev.diagnostics.end(), [&](const SignalDiagnostic& d) {
        return d.condition == condition && d.channel == channel;
    });
    if (it == ev.diagnostics.end())
        ev.diagnostics.push_back(SignalDiagnostic{channel, condition, row.tsMs, row.tsMs});
    else
        it->lastMs = row.tsMs;
    // As strong as a row at the top of the score range: while a sensor is dead or frozen, the detector's
    // view of the device is unreliable, and the measurement is the first thing to fix.
    const double w = kDiagnosticWeight;
    ev.weight += w;
    if (missingnessFamily_ >= ev.family.size())
        ev.family.resize(missingnessFamily_ + 1, 0.0);
    ev.family[missingnessFamily_] += w * 100.0;
    const int column = code < diagnosticColumn_.size() ? diagnosticColumn_[code] : -1;
    if (column >= 0) {
        if (ev.feature.size() < featureNames_.size())
            ev.feature.resize(featureNames_.size(), 0.0);
        ev.feature[std::size_t(column)] += w * 100.0;
    }
}

void IncidentTracker::addRow(Evidence& ev, const ScoredRow& row, const Explanation* why) {
    if (ev.rows == 0)
        ev.firstMs = row.tsMs;
    ++ev.rows;
    if (row.filtered >= levels_.clear || row.diagnostic >= 0)
        ev.lastAboveClearMs = row.tsMs;
    ev.peakFiltered = std::max(ev.peakFiltered, row.filtered);
    if (!row.faultTag.isEmpty())
        ev.countTag(row.faultTag, 1);
    // The peak is the row with the highest score, flagged or not (an incident held up by a diagnostic alone
    // may have no flagged row).
    const bool flagged = row.score >= threshold_;
    if (row.score > ev.peakScore) {
        ev.peakScore = row.score;
        ev.peakMs = row.tsMs;
        ev.peakState = row.state;
        ev.peakRow = row.row;
        ev.peakContext = flagged && why ? why->contextPercent : 0.0;
    }
    if (row.diagnostic >= 0)
        addDiagnostic(ev, row);
    if (!flagged)
        return;
    ++ev.flagged;
    if (!why)
        return;
    const double w = std::max(0.0, AlertRules::relativeMargin(row.score, threshold_)) + kWeightFloor;
    ev.weight += w;
    for (const FamilyShare& f : why->families) {
        const std::size_t i = families_.of(f.family);
        if (i >= ev.family.size())
            ev.family.resize(i + 1, 0.0);
        ev.family[i] += w * f.percent;
    }
    if (ev.feature.size() < featureNames_.size())
        ev.feature.resize(featureNames_.size(), 0.0);
    for (const FeatureShare& f : why->features)
        if (f.feature >= 0 && std::size_t(f.feature) < ev.feature.size())
            ev.feature[std::size_t(f.feature)] += w * f.percent;
}

void IncidentTracker::updateSpan(Alert& a, const Evidence& ev) {
    a.rows = ev.rows;
    a.count = ev.flagged;
    a.endMs = std::max(a.endMs, ev.lastAboveClearMs);
    if (!ev.diagnostics.empty())  // a handful of entries, in first-time order; only while diagnosed
        a.diagnostics = ev.diagnostics;
}

void IncidentTracker::decide(Alert& a, Evidence& ev, qint64 tsMs, bool revise) {
    updateSpan(a, ev);
    a.peakFiltered = ev.peakFiltered;
    if (ev.peakScore >= 0) {
        a.peakScore = ev.peakScore;
        a.peakMs = ev.peakMs;
        a.state = ev.peakState;
        a.peakRow = ev.peakRow;
        a.contextPercent = ev.peakContext;
    }
    // The most rows; ties go to the alphabetically first tag.
    int best = 0;
    for (const auto& [tag, n] : ev.tags)
        if (n > best || (n == best && tag < a.faultTag)) {
            best = n;
            a.faultTag = tag;
        }

    const double familyTotal = std::accumulate(ev.family.begin(), ev.family.end(), 0.0);
    a.families.clear();
    if (familyTotal > 0) {
        for (std::size_t i = 0; i < ev.family.size(); ++i)
            if (ev.family[i] > 0)
                a.families.push_back(FamilyShare{families_.name(i), 100.0 * ev.family[i] / familyTotal});
        std::stable_sort(a.families.begin(), a.families.end(),
                         [](const FamilyShare& x, const FamilyShare& y) { return x.percent > y.percent; });
    }
    const RuleMatch match = rules_.match(a.families);
    const AlertRule& rule = rules_.rule(match.rule);
    if (revise && !a.ruleId.isEmpty() && a.ruleId != rule.id)
        a.revisions.push_back(CauseRevision{tsMs, a.ruleId, rule.id});
    a.ruleId = rule.id;
    a.action = rule.action;
    a.confidence = match.share;
    a.described = match.rule < 0 && !a.families.empty();
    if (a.described) {
        // No rule: the dominant family describes it, and its share is how sure that description is.
        a.cause = QStringLiteral("%1 deviation, no known pattern").arg(a.families.front().family);
        a.confidence = a.families.front().percent / 100.0;
    } else {
        a.cause = rule.cause;
    }

    const double featureTotal = std::accumulate(ev.feature.begin(), ev.feature.end(), 0.0);
    a.topFeatures.clear();
    if (featureTotal > 0) {
        std::vector<int> order(ev.feature.size());
        std::iota(order.begin(), order.end(), 0);
        const std::size_t k = std::min<std::size_t>(std::size_t(rules_.topFeatures()), order.size());
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(), [&](int x, int y) {
            const double wx = ev.feature[std::size_t(x)], wy = ev.feature[std::size_t(y)];
            return wx != wy ? wx > wy : x < y;
        });
        for (std::size_t i = 0; i < k && ev.feature[std::size_t(order[i])] > 0; ++i)
            a.topFeatures.push_back(NamedShare{featureNames_[std::size_t(order[i])],
                                               100.0 * ev.feature[std::size_t(order[i])] / featureTotal});
    }

    const IncidentParams& p = rules_.incidents();
    const double margin = AlertRules::relativeMargin(a.peakFiltered, threshold_);
    const bool confident = !a.families.empty() && a.confidence + 1e-9 >= p.alarmMinConfidence;
    if (confident || margin + 1e-9 >= p.alarmMinMargin)
        a.kind = IncidentKind::Alarm;  // an annunciated alarm is never taken back
    const Severity urgency = rules_.severityFor(a.peakFiltered, threshold_, normalTail_.get());
    const Severity priority = rules_.priorityOf(rule.consequence, urgency);
    a.severity = std::max(a.severity, priority);
    ev.nextDecision = 2.0 * ev.weight;
}

void IncidentTracker::raise(DeviceTrack& d, const ScoredRow& row) {
    Alert a;
    a.device = row.device;
    a.startMs = d.pending.firstMs;
    a.endMs = a.startMs;
    a.raisedMs = row.tsMs;
    a.id = row.device + QLatin1Char('@') + formatUtcTimestamp(a.startMs);
    a.suppression = rules_.incidents().suppressionAt(row.state, row.tsMs, d.lastStateChangeMs);
    d.open = std::move(d.pending);
    d.pending = Evidence{};
    decide(a, d.open, row.tsMs, false);
    d.incident = alerts_.size();
    alerts_.push_back(std::move(a));
}

std::optional<AlertUpdate> IncidentTracker::push(const ScoredRow& row, const Explanation* why) {
    if (row.score >= threshold_)
        ++flagged_;
    DeviceTrack& d = trackOf(row.device);
    if (d.lastState && *d.lastState != row.state)
        d.lastStateChangeMs = row.tsMs;
    d.lastState = row.state;

    const int events = d.machine.step(row.tsMs, row.filtered, levels_, row.diagnostic >= 0);
    if (events & Hysteresis::Expired) {
        d.incident.reset();
        d.open = Evidence{};
    }
    if (events & Hysteresis::Began)
        d.pending = Evidence{};
    if (events & Hysteresis::Abandoned)
        d.pending = Evidence{};

    if (events & Hysteresis::Raised) {
        addRow(d.pending, row, why);
        raise(d, row);
        return AlertUpdate{*d.incident, true};
    }
    if (events & Hysteresis::Reopened) {
        addRow(d.pending, row, why);
        d.open.add(d.pending);
        d.pending = Evidence{};
        Alert& a = alerts_[*d.incident];
        ++a.reopened;
        a.clearedMs = -1;
        decide(a, d.open, row.tsMs, true);
        return AlertUpdate{*d.incident, false};
    }
    const Hysteresis::Phase phase = d.machine.phase();
    if (phase == Hysteresis::Phase::Pending) {
        addRow(d.pending, row, why);
        return std::nullopt;
    }
    const bool inIncident = phase == Hysteresis::Phase::Active || phase == Hysteresis::Phase::Clearing ||
                            (events & Hysteresis::Cleared);
    if (!inIncident || !d.incident)
        return std::nullopt;
    addRow(d.open, row, why);
    Alert& a = alerts_[*d.incident];
    if (events & Hysteresis::Cleared) {
        a.clearedMs = row.tsMs;
        decide(a, d.open, row.tsMs, true);
    } else if (d.open.weight >= d.open.nextDecision && d.open.weight > 0) {
        decide(a, d.open, row.tsMs, true);
    } else {
        updateSpan(a, d.open);
    }
    return AlertUpdate{*d.incident, false};
}

void IncidentTracker::finish() {
    for (DeviceTrack& d : tracks_)
        if (d.incident)
            decide(alerts_[*d.incident], d.open, alerts_[*d.incident].endMs, true);
    regroupFleet();
}

void IncidentTracker::regroupFleet() {
    fleet_.clear();
    for (Alert& a : alerts_) {
        a.fleetId.clear();
        a.carriedByFleet = false;
    }
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < alerts_.size(); ++i)
        if (alerts_[i].kind == IncidentKind::Alarm && alerts_[i].suppression == Suppression::None)
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return alerts_[x].raisedMs < alerts_[y].raisedMs; });
    struct Group {
        std::vector<std::size_t> active;
        std::optional<std::size_t> fleet;
    };
    QHash<QString, Group> groups;  // by cause: one cause on many devices at once is one systemic incident
    const auto minDevices = static_cast<qsizetype>(rules_.incidents().fleetMinDevices);
    for (const std::size_t i : order) {
        Alert& a = alerts_[i];
        Group& g = groups[a.cause];
        std::erase_if(g.active, [&](std::size_t c) {
            return alerts_[c].clearedMs >= 0 && alerts_[c].clearedMs < a.raisedMs;
        });
        if (g.active.empty())
            g.fleet.reset();
        if (g.fleet) {
            FleetIncident& f = fleet_[*g.fleet];
            f.children.push_back(i);
            if (!f.devices.contains(a.device))
                f.devices << a.device;
            a.fleetId = f.id;
            a.carriedByFleet = true;
        } else {
            QStringList devices;
            for (std::size_t c : g.active)
                if (!devices.contains(alerts_[c].device))
                    devices << alerts_[c].device;
            if (!devices.contains(a.device))
                devices << a.device;
            if (devices.size() >= minDevices) {
                FleetIncident f;
                f.ruleId = a.ruleId;
                f.cause = a.cause;
                f.action = a.action;
                f.raisedMs = a.raisedMs;
                f.devices = devices;
                f.children = g.active;
                f.children.push_back(i);
                f.startMs = a.startMs;
                for (std::size_t c : f.children) f.startMs = std::min(f.startMs, alerts_[c].startMs);
                f.id = QStringLiteral("FLEET:%1@%2").arg(a.ruleId, formatUtcTimestamp(f.startMs));
                for (std::size_t c : f.children) alerts_[c].fleetId = f.id;
                a.carriedByFleet = true;
                g.fleet = fleet_.size();
                fleet_.push_back(std::move(f));
            }
        }
        g.active.push_back(i);
    }
    for (FleetIncident& f : fleet_) {
        for (std::size_t c : f.children) {
            f.endMs = std::max(f.endMs, alerts_[c].endMs);
            f.severity = std::max(f.severity, alerts_[c].severity);
        }
    }
}

}  // namespace itap
