#include "evaluate/score_index.h"

#include "evaluate/threshold_sweep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace itap {
namespace {

Error tableError(std::size_t row, const QString& what) {
    return Error::badInput(QStringLiteral("score table row %1: %2").arg(row).arg(what));
}

Status validateTable(const ScoreTable& t) {
    const std::size_t n = t.size();
    // The prefix counts are 32-bit; a table this large would not fit in memory anyway.
    if (n >= std::numeric_limits<std::uint32_t>::max())
        return Error::badInput(QStringLiteral("score table: too many rows (%1)").arg(n));
    const auto columnError = [n](const char* name, std::size_t size) {
        return Error::badInput(QStringLiteral("score table: column '%1' has %2 rows, expected %3")
                                   .arg(QLatin1String(name))
                                   .arg(size)
                                   .arg(n));
    };
    if (t.device.size() != n)
        return columnError("device", t.device.size());
    if (t.tsMs.size() != n)
        return columnError("tsMs", t.tsMs.size());
    if (t.state.size() != n)
        return columnError("state", t.state.size());
    if (t.train.size() != n)
        return columnError("train", t.train.size());
    if (t.hasLabels && t.faultTag.size() != n)
        return columnError("faultTag", t.faultTag.size());

    const int deviceCount = static_cast<int>(t.devices.size());
    std::vector<bool> seen(static_cast<std::size_t>(deviceCount), false);
    for (std::size_t r = 0; r < n; ++r) {
        const int d = t.device[r];
        if (d < 0 || d >= deviceCount)
            return tableError(r, QStringLiteral("device index %1 out of range").arg(d));
        if (static_cast<int>(t.state[r]) >= kOpStateCount)
            return tableError(r, QStringLiteral("unknown state %1").arg(static_cast<int>(t.state[r])));
        if (t.train[r] == 0 && !std::isfinite(t.score[r]))
            return tableError(r, QStringLiteral("score is not a finite number"));
        // Episodes and latencies are read off consecutive rows, so the table's ordering contract is checked.
        if (r == 0 || t.device[r - 1] != d) {
            if (seen[static_cast<std::size_t>(d)])
                return tableError(r,
                                  QStringLiteral("rows of device '%1' are not contiguous").arg(t.devices[d]));
            seen[static_cast<std::size_t>(d)] = true;
        } else if (t.tsMs[r] < t.tsMs[r - 1]) {
            return tableError(r, QStringLiteral("timestamps of device '%1' go backwards").arg(t.devices[d]));
        }
    }
    return {};
}

}  // namespace

Result<ScoreIndex> ScoreIndex::build(const ScoreTable& table) {
    if (Status st = validateTable(table); !st)
        return st.error();

    ScoreIndex idx;
    idx.tableRows_ = table.size();
    idx.hasLabels_ = table.hasLabels;
    idx.trainingUsesLabels_ = table.trainingUsesLabels;
    idx.excludedFaultTails_ = std::count(table.train.begin(), table.train.end(), kEvalExcluded);

    // Fault tag index per evaluated row; -1 = normal. Tags are sorted so that indices are deterministic.
    QStringList tags;
    if (table.hasLabels) {
        for (std::size_t r = 0; r < table.size(); ++r)
            if (table.train[r] == 0 && !table.faultTag[r].isEmpty() &&
                (tags.isEmpty() || tags.constLast() != table.faultTag[r]))
                tags.append(table.faultTag[r]);
        std::sort(tags.begin(), tags.end());
        tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    }
    idx.stride_ = kFault + static_cast<std::size_t>(tags.size());

    struct Entry {
        float score;
        std::uint32_t row;
    };
    std::vector<Entry> entries;
    for (std::size_t r = 0; r < table.size(); ++r)
        if (table.train[r] == 0)
            entries.push_back({table.score[r], static_cast<std::uint32_t>(r)});
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.score != b.score ? a.score > b.score : a.row < b.row;
    });
    idx.rows_ = static_cast<qint64>(entries.size());

    idx.prefix_.assign(idx.stride_, 0u);
    idx.distinct_.clear();
    std::vector<std::uint32_t> running(idx.stride_, 0u);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::size_t r = entries[i].row;
        const QString* tag = table.hasLabels ? &table.faultTag[r] : nullptr;
        ++running[kCount];
        if (tag && !tag->isEmpty()) {
            ++running[kPositives];
            const auto it = std::lower_bound(tags.begin(), tags.end(), *tag);
            ++running[kFault + static_cast<std::size_t>(it - tags.begin())];
        } else {
            ++running[kNegState + static_cast<std::size_t>(table.state[r])];
        }
        // Close a group after the last row of each distinct score: ties form a single step.
        if (i + 1 == entries.size() || entries[i + 1].score != entries[i].score) {
            idx.distinct_.push_back(entries[i].score);
            idx.prefix_.insert(idx.prefix_.end(), running.begin(), running.end());
        }
    }
    idx.episodes_ = FaultEpisodes::build(table, tags);
    idx.rocAuc_ = itap::rocAuc(idx);
    idx.prAuc_ = averagePrecision(idx);
    return idx;
}

Confusion ScoreIndex::atGroup(std::size_t groups) const {
    const std::size_t all = groupCount();
    const qint64 flagged = prefix(groups, kCount);
    const qint64 tp = prefix(groups, kPositives);
    const qint64 positives = prefix(all, kPositives);
    const qint64 negatives = prefix(all, kCount) - positives;
    Confusion c;
    c.tp = tp;
    c.fp = flagged - tp;
    c.fn = positives - tp;
    c.tn = negatives - c.fp;
    return c;
}

std::size_t ScoreIndex::groupsAtOrAbove(double threshold) const {
    const auto it = std::partition_point(distinct_.begin(), distinct_.end(), [threshold](float s) {
        return static_cast<double>(s) >= threshold;
    });
    return static_cast<std::size_t>(it - distinct_.begin());
}

std::array<qint64, kOpStateCount> ScoreIndex::falseAlarmsPerState(double threshold) const {
    const std::size_t g = groupsAtOrAbove(threshold);
    std::array<qint64, kOpStateCount> out{};
    for (std::size_t s = 0; s < out.size(); ++s) out[s] = prefix(g, kNegState + s);
    return out;
}

std::array<qint64, kOpStateCount> ScoreIndex::negativesPerState() const {
    std::array<qint64, kOpStateCount> out{};
    for (std::size_t s = 0; s < out.size(); ++s) out[s] = prefix(groupCount(), kNegState + s);
    return out;
}

qint64 ScoreIndex::rowsOfFault(int fault) const {
    if (fault < 0 || fault >= faultTags().size())
        return 0;
    return prefix(groupCount(), kFault + static_cast<std::size_t>(fault));
}

qint64 ScoreIndex::flaggedOfFault(int fault, double threshold) const {
    if (fault < 0 || fault >= faultTags().size())
        return 0;
    return prefix(groupsAtOrAbove(threshold), kFault + static_cast<std::size_t>(fault));
}

float ScoreIndex::scoreAtRank(qint64 rank) const {
    Q_ASSERT(rank >= 0 && rank < rows_);
    // The first group whose cumulative count exceeds `rank` holds that rank.
    std::size_t lo = 1;
    std::size_t hi = groupCount();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (static_cast<qint64>(prefix(mid, kCount)) > rank)
            hi = mid;
        else
            lo = mid + 1;
    }
    return distinct_[lo - 1];
}

}  // namespace itap
