#include "alerts/alert_engine.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace itap {

AlertEngine::AlertEngine(AlertRules rules) : rules_(std::move(rules)) {}

AlertTracker AlertEngine::tracker(double threshold, const FeatureSchema& schema) const {
    return AlertTracker(rules_, threshold, schema.names);
}

std::vector<Alert> AlertEngine::run(const ScoreTable& table, double threshold,
                                    const std::vector<Explanation>& explanations,
                                    const FeatureSchema& schema) const {
    return run(table, threshold, table.rowsAtOrAbove(threshold), explanations, schema);
}

std::vector<Alert> AlertEngine::run(const ScoreTable& table, double threshold,
                                    std::span<const std::size_t> flagged,
                                    const std::vector<Explanation>& explanations,
                                    const FeatureSchema& schema) const {
    // Explanations normally arrive ascending by row (one per flagged row): then a cursor walks them beside
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
            return cursor < explanations.size() && explanations[cursor].row == r ? &explanations[cursor] : nullptr;
        }
        const auto it = std::lower_bound(byRow.begin(), byRow.end(), std::make_pair(r, std::size_t{0}));
        return it != byRow.end() && it->first == r ? &explanations[it->second] : nullptr;
    };

    const std::size_t rows =
        std::min({table.score.size(), table.tsMs.size(), table.device.size(), table.state.size()});
    AlertTracker t = tracker(threshold, schema);
    const Explanation none;
    ScoredRow row;
    std::optional<int> rowDevice;
    for (const std::size_t r : flagged) {
        if (r >= rows)
            continue;
        const int dev = table.device[r];
        if (dev != rowDevice) {  // rows come grouped by device: assign on change
            rowDevice = dev;
            row.device = dev >= 0 && dev < table.devices.size() ? table.devices[dev]
                                                                : QStringLiteral("device#%1").arg(dev);
        }
        row.tsMs = table.tsMs[r];
        row.state = table.state[r];
        row.score = table.score[r];
        row.faultTag = r < table.faultTag.size() ? table.faultTag[r] : QString();
        row.row = r;
        const Explanation* why = explanationOf(r);
        (void)t.push(row, why ? *why : none);
    }

    std::vector<Alert> alerts = t.takeAlerts();
    std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
        if (a.startMs != b.startMs)
            return a.startMs < b.startMs;
        if (a.device != b.device)
            return a.device < b.device;
        return a.ruleId < b.ruleId;
    });
    return alerts;
}

}  // namespace itap
