#include "evaluate/fault_episodes.h"

#include <algorithm>

namespace itap {

FaultEpisodes FaultEpisodes::build(const ScoreTable& table, const QStringList& faultTags) {
    FaultEpisodes out;
    out.faultTags_ = faultTags;
    out.recordBegin_.push_back(0);
    if (!table.hasLabels || table.faultTag.size() != table.size())
        return out;

    const std::size_t n = table.size();
    std::size_t row = 0;
    while (row < n) {
        const QString& tag = table.faultTag[row];
        if (tag.isEmpty()) {
            ++row;
            continue;
        }
        std::size_t end = row + 1;
        while (end < n && table.device[end] == table.device[row] && table.faultTag[end] == tag) ++end;

        const auto it = std::lower_bound(faultTags.begin(), faultTags.end(), tag);
        const int fault =
            (it != faultTags.end() && *it == tag) ? static_cast<int>(it - faultTags.begin()) : -1;
        if (fault >= 0) {
            FaultEpisode ep;
            ep.fault = fault;
            ep.device = table.device[row];
            ep.firstRow = row;
            ep.lastRow = end - 1;
            float runningMax = 0;
            for (std::size_t r = row; r < end; ++r) {
                if (table.train[r] != 0)
                    continue;
                if (ep.evalRows == 0)
                    ep.evalStartMs = table.tsMs[r];
                if (ep.evalRows == 0 || table.score[r] > runningMax) {
                    runningMax = table.score[r];
                    out.recordScore_.push_back(runningMax);
                    out.recordTsMs_.push_back(table.tsMs[r]);
                }
                ++ep.evalRows;
            }
            if (ep.evalRows > 0) {
                out.episodes_.push_back(ep);
                out.recordBegin_.push_back(out.recordScore_.size());
            }
        }
        row = end;
    }
    return out;
}

bool FaultEpisodes::caught(std::size_t i, double threshold) const {
    // The last record is the episode's maximum score.
    return static_cast<double>(recordScore_[recordBegin_[i + 1] - 1]) >= threshold;
}

std::optional<qint64> FaultEpisodes::detectionDelayMs(std::size_t i, double threshold) const {
    const auto begin = recordScore_.begin() + static_cast<std::ptrdiff_t>(recordBegin_[i]);
    const auto end = recordScore_.begin() + static_cast<std::ptrdiff_t>(recordBegin_[i + 1]);
    const auto first =
        std::partition_point(begin, end, [threshold](float s) { return static_cast<double>(s) < threshold; });
    if (first == end)
        return std::nullopt;
    return recordTsMs_[static_cast<std::size_t>(first - recordScore_.begin())] - episodes_[i].evalStartMs;
}

}  // namespace itap
