#include "alerts/incident_engine.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace itap {

IncidentEngine::IncidentEngine(AlertRules rules) : rules_(std::move(rules)) {}

IncidentTracker IncidentEngine::tracker(double threshold, const FeatureSchema& schema,
                                        std::shared_ptr<const TailCalibration> normalTail) const {
    IncidentTracker t(rules_, threshold, schema);
    t.setNormalTail(std::move(normalTail));
    return t;
}

IncidentList IncidentEngine::run(const ScoreTable& table, std::span<const float> filtered, double threshold,
                                 std::span<const std::size_t> flagged,
                                 const std::vector<Explanation>& explanations, const FeatureSchema& schema,
                                 std::span<const std::int16_t> diagnostics,
                                 std::shared_ptr<const TailCalibration> normalTail) const {
    // Explanations normally arrive ascending by row (one per flagged row): a cursor then walks them beside
    // the rows. Any other order goes through a sorted index.
    const bool ascending = std::adjacent_find(explanations.begin(), explanations.end(),
                                              [](const Explanation& a, const Explanation& b) {
                                                  return a.row >= b.row;
                                              }) == explanations.end();
    std::vector<std::pair<std::size_t, std::size_t>> byRow;
    if (!ascending) {
        byRow.reserve(explanations.size());
        for (std::size_t i = 0; i < explanations.size(); ++i) byRow.emplace_back(explanations[i].row, i);
        std::sort(byRow.begin(), byRow.end());
    }
    std::size_t cursor = 0;
    auto explanationOf = [&](std::size_t r) -> const Explanation* {
        if (ascending) {
            while (cursor < explanations.size() && explanations[cursor].row < r) ++cursor;
            return cursor < explanations.size() && explanations[cursor].row == r ? &explanations[cursor]
                                                                                 : nullptr;
        }
        const auto it = std::lower_bound(byRow.begin(), byRow.end(), std::make_pair(r, std::size_t{0}));
        return it != byRow.end() && it->first == r ? &explanations[it->second] : nullptr;
    };

    const std::size_t rows = std::min(
        {table.score.size(), table.tsMs.size(), table.device.size(), table.state.size(), filtered.size()});
    IncidentTracker t = tracker(threshold, schema, std::move(normalTail));
    ScoredRow row;
    std::optional<int> rowDevice;
    std::size_t slot = 0;
    std::size_t nextFlag = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const int dev = table.device[r];
        if (dev != rowDevice) {  // rows come grouped by device: assign on change
            rowDevice = dev;
            row.device = dev >= 0 && dev < table.devices.size() ? table.devices[dev]
                                                                : QStringLiteral("device#%1").arg(dev);
            slot = t.deviceSlot(row.device);
        }
        const int diagnostic = r < diagnostics.size() ? int(diagnostics[r]) : -1;
        // Most rows are quiet: no incident near, the filtered score below the raise level, no diagnostic.
        if (t.quiet(slot, double(filtered[r]), diagnostic)) {
            t.passQuiet(slot, table.tsMs[r], table.state[r], double(table.score[r]));
            continue;
        }
        row.tsMs = table.tsMs[r];
        row.state = table.state[r];
        row.score = double(table.score[r]);
        row.filtered = double(filtered[r]);
        row.faultTag = r < table.faultTag.size() ? QStringView(table.faultTag[r]) : QStringView();
        row.row = r;
        row.diagnostic = diagnostic;
        while (nextFlag < flagged.size() && flagged[nextFlag] < r) ++nextFlag;
        const bool isFlagged = nextFlag < flagged.size() && flagged[nextFlag] == r;
        (void)t.push(row, isFlagged ? explanationOf(r) : nullptr);
    }
    t.finish();

    IncidentList out;
    out.incidents = t.alerts();
    out.fleet = t.fleetIncidents();
    // Stable order for artifacts: by start, then device. Fleet children refer to positions, so remap them.
    std::vector<std::size_t> order(out.incidents.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const Alert& a = out.incidents[x];
        const Alert& b = out.incidents[y];
        return a.startMs != b.startMs ? a.startMs < b.startMs : a.device < b.device;
    });
    std::vector<std::size_t> newIndex(order.size());
    std::vector<Alert> sorted;
    sorted.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        newIndex[order[k]] = k;
        sorted.push_back(std::move(out.incidents[order[k]]));
    }
    out.incidents = std::move(sorted);
    for (FleetIncident& f : out.fleet)
        for (std::size_t& c : f.children) c = newIndex[c];
    return out;
}

std::vector<IncidentSpan> incidentSpans(const ScoreTable& table, std::span<const float> filtered,
                                        double threshold, const AlertRules& rules,
                                        std::span<const std::int16_t> diagnostics) {
    const IncidentParams& p = rules.incidents();
    Hysteresis::Levels levels;
    levels.raise = threshold;
    levels.clear = threshold * p.clearRatio;
    levels.onDelayMs = p.onDelayMs();
    levels.offDelayMs = p.offDelayMs();
    levels.realarmMs = rules.cooldownMs();

    std::vector<IncidentSpan> out;
    const std::size_t rows =
        std::min({table.tsMs.size(), table.device.size(), table.state.size(), filtered.size()});
    // Plain values with "none" markers rather than std::optional: GCC's -O1 (the TSan preset) misreads
    // optionals reset in a loop as maybe-uninitialised.
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    constexpr qint64 kNoChange = std::numeric_limits<qint64>::min();
    Hysteresis machine;
    int device = -1;
    qint64 lastStateChangeMs = kNoChange;
    std::size_t pendingRow = 0;
    std::size_t open = kNone;  // index into out of the device's open or latent incident
    for (std::size_t r = 0; r < rows; ++r) {
        if (r == 0 || table.device[r] != device) {
            device = table.device[r];
            machine = Hysteresis{};
            lastStateChangeMs = kNoChange;
            open = kNone;
        } else if (table.state[r] != table.state[r - 1]) {
            lastStateChangeMs = table.tsMs[r];
        }
        const qint64 ts = table.tsMs[r];
        const double f = double(filtered[r]);
        const bool diagnosed = r < diagnostics.size() && diagnostics[r] >= 0;
        const int events = machine.step(ts, f, levels, diagnosed);
        if (events & Hysteresis::Expired)
            open = kNone;
        if (events & Hysteresis::Began)
            pendingRow = r;
        if (events & Hysteresis::Raised) {
            IncidentSpan s;
            s.device = device;
            s.startMs = table.tsMs[pendingRow];
            s.endMs = ts;
            s.startRow = pendingRow;
            s.suppressed =
                p.suppressionAt(table.state[r], ts,
                                lastStateChangeMs != kNoChange ? std::optional<qint64>(lastStateChangeMs)
                                                               : std::nullopt) != Suppression::None;
            open = out.size();
            out.push_back(s);
        }
        if (open != kNone && machine.inExcursion() && !machine.pendingFromLatent() &&
            (f >= levels.clear || diagnosed))
            out[open].endMs = std::max(out[open].endMs, ts);
    }
    return out;
}

}  // namespace itap
