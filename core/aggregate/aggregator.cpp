#include "aggregate/aggregator.h"

#include "common/family_index.h"

#include <QHash>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace itap {
namespace {

// Sums of family percentages over rows, by FamilyIndex; `seen` marks a family added at least once (even
// with 0 %), as a key of the map it replaces was.
struct FamilySums {
    std::vector<double> sum;
    std::vector<char> seen;

    void add(std::size_t family, double percent) {
        if (family >= sum.size()) {
            sum.resize(family + 1, 0.0);
            seen.resize(family + 1, 0);
        }
        sum[family] += percent;
        seen[family] = 1;
    }
};

// The families added, by name (the order every later tie-break relies on).
std::vector<FamilyShare> byName(const FamilySums& sums, const FamilyIndex& index) {
    std::vector<FamilyShare> out;
    for (std::size_t i = 0; i < sums.sum.size(); ++i)
        if (sums.seen[i])
            out.push_back({index.name(i), sums.sum[i]});
    std::sort(out.begin(), out.end(), [](const FamilyShare& a, const FamilyShare& b) { return a.family < b.family; });
    return out;
}

double totalOf(const std::vector<FamilyShare>& named) {
    double total = 0;
    for (const FamilyShare& f : named) total += f.percent;
    return total;
}

// Renormalises to 100 (a mean of shares that each sum to 100 already does, up to rounding) and sorts
// descending, then by name. `named` is sorted by name.
std::vector<FamilyShare> normalised(std::vector<FamilyShare> named) {
    const double total = totalOf(named);
    if (total <= 0)
        return {};
    for (FamilyShare& f : named) f.percent = 100.0 * f.percent / total;
    std::stable_sort(named.begin(), named.end(),
                     [](const FamilyShare& a, const FamilyShare& b) { return a.percent > b.percent; });
    return named;
}

// Nearest-rank percentile: the smallest value with at least p of the values at or below it.
double nearestRank(std::vector<float>& values, double p) {
    if (values.empty())
        return 0;
    const auto n = values.size();
    // The epsilon stops 0.95 × 20 = 19.000000000000004 from rounding up to the 20th value.
    auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n) - 1e-9));
    k = std::clamp<std::size_t>(k, 1, n) - 1;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

QString patternKeyOf(const Alert& a, PatternKey key) {
    if (key == PatternKey::Cause)
        return a.ruleId;
    return a.families.empty() ? QStringLiteral("Unexplained") : a.families.front().family;
}

// Most distinct devices whose widened spans [start, end + tolerance] contain one common instant.
int maxConcurrentDevices(const std::vector<const Alert*>& alerts, qint64 toleranceMs) {
    struct Event {
        qint64 t;
        int delta;  // +1 start, -1 end; starts sort first so that touching spans count as overlapping
        const QString* device;
    };
    std::vector<Event> events;
    events.reserve(alerts.size() * 2);
    for (const Alert* a : alerts) {
        events.push_back({a->startMs, +1, &a->device});
        events.push_back({a->endMs + toleranceMs, -1, &a->device});
    }
    std::stable_sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
        return x.t != y.t ? x.t < y.t : x.delta > y.delta;
    });
    QHash<QString, int> active;
    int distinct = 0;
    int best = 0;
    for (const Event& e : events) {
        int& n = active[*e.device];
        if (e.delta > 0 && n++ == 0)
            ++distinct;
        if (e.delta < 0 && --n == 0)
            --distinct;
        best = std::max(best, distinct);
    }
    return best;
}

FleetPattern makePattern(const std::vector<const Alert*>& cluster, const QString& key, PatternKey keyKind,
                         const AggregateOptions& options, qint64 toleranceMs) {
    FleetPattern p;
    p.key = key;
    p.label = keyKind == PatternKey::Cause ? cluster.front()->cause : key;
    p.startMs = cluster.front()->startMs;
    p.endMs = cluster.front()->endMs;
    QSet<QString> devices;
    for (const Alert* a : cluster) {
        devices.insert(a->device);
        p.startMs = std::min(p.startMs, a->startMs);
        p.endMs = std::max(p.endMs, a->endMs);
        p.highestSeverity = std::max(p.highestSeverity, a->severity);
        p.alertIds << a->id;
    }
    p.devices = QStringList(devices.cbegin(), devices.cend());
    p.devices.sort();
    p.alertCount = static_cast<int>(cluster.size());
    p.concurrentDevices = maxConcurrentDevices(cluster, toleranceMs);
    p.verdict =
        p.concurrentDevices >= options.minDevices ? PatternVerdict::Systemic : PatternVerdict::Isolated;
    return p;
}

}  // namespace

QString patternVerdictName(PatternVerdict v) {
    return v == PatternVerdict::Systemic ? QStringLiteral("SYSTEMIC") : QStringLiteral("ISOLATED");
}

Aggregator::Aggregator(AggregateOptions options) : options_(options) {}

std::vector<FleetPattern> Aggregator::findPatterns(const std::vector<Alert>& alerts,
                                                   const AggregateOptions& options) {
    const qint64 toleranceMs = std::llround(options.overlapToleranceS * 1000.0);
    QMap<QString, std::vector<const Alert*>> groups;
    for (const Alert& a : alerts) groups[patternKeyOf(a, options.patternKey)].push_back(&a);

    std::vector<FleetPattern> out;
    for (auto g = groups.begin(); g != groups.end(); ++g) {
        std::vector<const Alert*>& list = g.value();
        std::stable_sort(list.begin(), list.end(), [](const Alert* a, const Alert* b) {
            if (a->startMs != b->startMs)
                return a->startMs < b->startMs;
            if (a->endMs != b->endMs)
                return a->endMs < b->endMs;
            if (a->device != b->device)
                return a->device < b->device;
            return a->id < b->id;
        });
        // Sweep in start order: an alert joins the running cluster when it starts before the cluster's
        // latest end plus the tolerance, so a cluster is a connected stretch of (widened) alert time.
        std::vector<const Alert*> cluster;
        qint64 clusterEnd = 0;
        for (const Alert* a : list) {
            if (!cluster.empty() && a->startMs > clusterEnd + toleranceMs) {
                out.push_back(makePattern(cluster, g.key(), options.patternKey, options, toleranceMs));
                cluster.clear();
            }
            clusterEnd = cluster.empty() ? a->endMs : std::max(clusterEnd, a->endMs);
            cluster.push_back(a);
        }
        if (!cluster.empty())
            out.push_back(makePattern(cluster, g.key(), options.patternKey, options, toleranceMs));
    }
    std::stable_sort(out.begin(), out.end(), [](const FleetPattern& a, const FleetPattern& b) {
        if (a.verdict != b.verdict)
            return a.verdict == PatternVerdict::Systemic;
        if (a.devices.size() != b.devices.size())
            return a.devices.size() > b.devices.size();
        if (a.alertCount != b.alertCount)
            return a.alertCount > b.alertCount;
        if (a.startMs != b.startMs)
            return a.startMs < b.startMs;
        return a.key < b.key;
    });
    return out;
}

ScoreStats ScoreStats::of(const ScoreTable& table) {
    ScoreStats out;
    const std::size_t rows = std::min({table.score.size(), table.tsMs.size(), table.device.size()});
    out.rows = rows;
    QHash<QString, std::size_t> byName;
    auto slotOf = [&](const QString& name) {
        auto it = byName.constFind(name);
        if (it != byName.constEnd())
            return *it;
        const std::size_t i = out.devices.size();
        out.devices.push_back(Slot{});
        out.devices.back().device = name;
        byName.insert(name, i);
        return i;
    };
    for (const QString& d : table.devices) out.tableSlot.push_back(slotOf(d));
    std::vector<std::vector<float>> scores(out.devices.size());
    std::vector<double> sums(out.devices.size(), 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
        const int d = table.device[r];
        const bool known = (d >= 0 && d < table.devices.size()) ||
                           std::any_of(out.invalidSlot.begin(), out.invalidSlot.end(),
                                       [d](const auto& entry) { return entry.first == d; });
        if (!known) {
            out.invalidSlot.emplace_back(d, slotOf(QStringLiteral("device#%1").arg(d)));
            scores.resize(out.devices.size());
            sums.resize(out.devices.size(), 0.0);
        }
        const std::size_t s = out.slotOfRow(table, r);
        Slot& slot = out.devices[s];
        const float score = table.score[r];
        ++slot.rows;
        if (std::isfinite(score)) {
            scores[s].push_back(score);
            sums[s] += score;
        }
    }
    for (std::size_t s = 0; s < scores.size(); ++s) {
        std::vector<float>& v = scores[s];
        if (v.empty())
            continue;
        Slot& slot = out.devices[s];
        slot.finite = v.size();
        slot.meanScore = sums[s] / static_cast<double>(v.size());
        slot.maxScore = *std::max_element(v.begin(), v.end());
        slot.p95Score = nearestRank(v, 0.95);
    }
    return out;
}

std::size_t ScoreStats::slotOfRow(const ScoreTable& table, std::size_t r) const {
    const int d = table.device[r];
    if (d >= 0 && d < table.devices.size())
        return tableSlot[static_cast<std::size_t>(d)];
    for (const auto& [index, slot] : invalidSlot)
        if (index == d)
            return slot;
    return 0;  // not reached for the table the statistics were computed from
}

Result<AggregateSummary> Aggregator::run(const ScoreTable& table, double threshold,
                                         const std::vector<Explanation>& explanations,
                                         const std::vector<Alert>& alerts,
                                         const SensorCatalog& catalog) const {
    return run(table, ScoreStats::of(table), threshold, explanations, alerts, catalog);
}

Result<AggregateSummary> Aggregator::run(const ScoreTable& table, const ScoreStats& stats, double threshold,
                                         const std::vector<Explanation>& explanations,
                                         const std::vector<Alert>& alerts,
                                         const SensorCatalog& catalog) const {
    return run(table, stats, threshold, table.rowsAtOrAbove(threshold), explanations, alerts, catalog);
}

Result<AggregateSummary> Aggregator::run(const ScoreTable& table, const ScoreStats& stats, double threshold,
                                         std::span<const std::size_t> flagged,
                                         const std::vector<Explanation>& explanations,
                                         const std::vector<Alert>& alerts,
                                         const SensorCatalog& catalog) const {
    if (auto st = options_.validate(); !st)
        return st.error();
    const std::size_t rows = std::min({table.score.size(), table.tsMs.size(), table.device.size()});
    if (rows != stats.rows || stats.tableSlot.size() != static_cast<std::size_t>(table.devices.size()))
        return Error::badInput(QStringLiteral("aggregation: the score statistics are of another table"));

    AggregateSummary out;
    out.threshold = threshold;
    out.options = options_;

    // Device slots: the table's (from stats), then any device only the alerts know.
    std::vector<DeviceSummary> devices;
    devices.reserve(stats.devices.size());
    QHash<QString, std::size_t> slot;
    for (const ScoreStats::Slot& s : stats.devices) {
        DeviceSummary dev;
        dev.device = s.device;
        dev.rows = s.rows;
        if (s.finite > 0) {
            dev.meanScore = s.meanScore;
            dev.maxScore = s.maxScore;
            dev.p95Score = s.p95Score;
        }
        slot.insert(s.device, devices.size());
        devices.push_back(std::move(dev));
    }
    auto slotOf = [&](const QString& name) {
        auto it = slot.constFind(name);
        if (it != slot.constEnd())
            return *it;
        const std::size_t i = devices.size();
        devices.push_back(DeviceSummary{});
        devices.back().device = name;
        slot.insert(name, i);
        return i;
    };
    for (const Alert& a : alerts) (void)slotOf(a.device);
    auto rowSlot = [&](std::size_t r) { return stats.slotOfRow(table, r); };

    for (const std::size_t r : flagged) {
        if (r >= rows)
            continue;
        DeviceSummary& dev = devices[rowSlot(r)];
        ++dev.flaggedRows;
        const qint64 ts = table.tsMs[r];
        dev.firstFlaggedMs = dev.firstFlaggedMs ? std::min(*dev.firstFlaggedMs, ts) : ts;
        dev.lastFlaggedMs = dev.lastFlaggedMs ? std::max(*dev.lastFlaggedMs, ts) : ts;
    }

    // The families of each flagged row's explanation (the last one given for the row), in row order.
    FamilyIndex familyIndex;
    std::vector<FamilySums> deviceFamilies(devices.size());
    FamilySums fleetFamilies;
    auto addExplanation = [&](const Explanation& e) {
        const std::size_t s = rowSlot(e.row);
        for (const FamilyShare& f : e.families) {
            const std::size_t i = familyIndex.of(f.family);
            deviceFamilies[s].add(i, f.percent);
            fleetFamilies.add(i, f.percent);
        }
    };
    const bool ascending = std::adjacent_find(explanations.begin(), explanations.end(),
                                              [](const Explanation& a, const Explanation& b) {
                                                  return a.row >= b.row;
                                              }) == explanations.end();
    if (ascending) {
        // One explanation per row, in row order (what the pipeline produces): no row-sized lookup needed.
        for (const Explanation& e : explanations)
            if (e.row < rows && table.score[e.row] >= threshold)
                addExplanation(e);
    } else {
        std::vector<const Explanation*> explanationOf(rows, nullptr);
        for (const Explanation& e : explanations)
            if (e.row < rows)
                explanationOf[e.row] = &e;
        for (std::size_t r = 0; r < rows; ++r)
            if (explanationOf[r] && table.score[r] >= threshold)
                addExplanation(*explanationOf[r]);
    }

    for (const Alert& a : alerts) {
        DeviceSummary& dev = devices[slotOf(a.device)];
        ++dev.alerts;
        ++dev.alertsBySeverity[static_cast<std::size_t>(a.severity)];
        ++out.fleet.alertsBySeverity[static_cast<std::size_t>(a.severity)];
    }

    FleetSummary& fleet = out.fleet;
    for (std::size_t s = 0; s < devices.size(); ++s) {
        DeviceSummary& dev = devices[s];
        dev.families = normalised(byName(deviceFamilies[s], familyIndex));
        fleet.rows += dev.rows;
        fleet.flaggedRows += dev.flaggedRows;
        if (dev.flaggedRows > 0 || dev.alerts > 0)
            ++fleet.devicesAffected;
    }
    fleet.devices = static_cast<int>(devices.size());
    fleet.alerts = static_cast<int>(alerts.size());

    for (const QString& f : catalog.families())
        fleetFamilies.add(familyIndex.of(f), 0.0);  // every catalog family is listed, 0 % when unseen
    std::vector<FamilyShare> fleetNamed = byName(fleetFamilies, familyIndex);
    if (totalOf(fleetNamed) > 0) {
        fleet.familyMix = normalised(std::move(fleetNamed));
    } else {
        for (FamilyShare& f : fleetNamed) f.percent = 0.0;
        fleet.familyMix = std::move(fleetNamed);
    }

    std::sort(devices.begin(), devices.end(), [](const DeviceSummary& a, const DeviceSummary& b) {
        const auto crit = static_cast<std::size_t>(Severity::Critical);
        if (a.alertsBySeverity[crit] != b.alertsBySeverity[crit])
            return a.alertsBySeverity[crit] > b.alertsBySeverity[crit];
        if (a.alerts != b.alerts)
            return a.alerts > b.alerts;
        if (a.p95Score != b.p95Score)
            return a.p95Score > b.p95Score;
        return a.device < b.device;
    });
    for (std::size_t i = 0; i < devices.size(); ++i) devices[i].healthRank = static_cast<int>(i) + 1;
    out.devices = std::move(devices);

    fleet.patterns = findPatterns(alerts, options_);
    for (const FleetPattern& p : fleet.patterns)
        if (p.verdict == PatternVerdict::Systemic)
            ++fleet.systemicPatterns;
    return out;
}

}  // namespace itap
