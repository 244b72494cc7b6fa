#include "alerts/alert_engine.h"

#include <algorithm>
#include <utility>

namespace itap {

AlertEngine::AlertEngine(AlertRules rules) : rules_(std::move(rules)) {}

AlertTracker AlertEngine::tracker(double threshold, const FeatureSchema& schema) const {
    return AlertTracker(rules_, threshold, schema.names);
}

std::vector<Alert> AlertEngine::run(const ScoreTable& table, double threshold,
                                    const std::vector<Explanation>& explanations,
                                    const FeatureSchema& schema) const {
    // Explanations normally arrive ascending by row, but a sorted index costs little and accepts any order.
    std::vector<std::pair<std::size_t, std::size_t>> byRow;
    byRow.reserve(explanations.size());
    for (std::size_t i = 0; i < explanations.size(); ++i) byRow.emplace_back(explanations[i].row, i);
    std::sort(byRow.begin(), byRow.end());

    const std::size_t rows =
        std::min({table.score.size(), table.tsMs.size(), table.device.size(), table.state.size()});
    AlertTracker t = tracker(threshold, schema);
    const Explanation none;
    ScoredRow row;
    for (std::size_t r = 0; r < rows; ++r) {
        if (!(table.score[r] >= threshold))
            continue;
        const int dev = table.device[r];
        row.device = dev >= 0 && dev < table.devices.size() ? table.devices[dev]
                                                            : QStringLiteral("device#%1").arg(dev);
        row.tsMs = table.tsMs[r];
        row.state = table.state[r];
        row.score = table.score[r];
        row.faultTag = r < table.faultTag.size() ? table.faultTag[r] : QString();
        row.row = r;
        const auto it = std::lower_bound(byRow.begin(), byRow.end(), std::make_pair(r, std::size_t{0}));
        const bool explained = it != byRow.end() && it->first == r;
        (void)t.push(row, explained ? explanations[it->second] : none);
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
