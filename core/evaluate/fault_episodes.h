#pragma once

#include "common/analysis_types.h"

#include <QStringList>

#include <cstddef>
#include <optional>
#include <vector>

namespace itap {

/// One fault episode: a maximal run of consecutive rows of one device with the same non-empty fault tag.
/// Only episodes with at least one evaluation-span row (train == 0) are kept.
struct FaultEpisode {
    int fault = -1;            ///< index into FaultEpisodes::faultTags()
    int device = -1;           ///< device index of the ScoreTable
    std::size_t firstRow = 0;  ///< first table row of the whole episode (may lie in the training span)
    std::size_t lastRow = 0;   ///< last table row of the whole episode (inclusive)
    qint64 evalRows = 0;       ///< rows of the episode that are evaluated
    /// Timestamp of the first evaluated row. Latency is measured from here, not from firstRow: rows in the
    /// training span are never judged, so counting their time would charge the detector for where the
    /// split happens to fall.
    qint64 evalStartMs = 0;
};

/// The fault episodes of a ScoreTable, indexed so that "caught at threshold t?" and "first flag at
/// threshold t" cost O(log rows of the episode). Built once; immutable afterwards, so any thread may query
/// it.
class FaultEpisodes {
public:
    FaultEpisodes() = default;

    /// Finds the episodes of `table`. `faultTags` lists the tags to index (sorted); rows whose tag is not
    /// in it are treated as normal. The table must have passed ScoreIndex::build's checks.
    [[nodiscard]] static FaultEpisodes build(const ScoreTable& table, const QStringList& faultTags);

    [[nodiscard]] const QStringList& faultTags() const { return faultTags_; }
    [[nodiscard]] std::size_t size() const { return episodes_.size(); }
    [[nodiscard]] const FaultEpisode& episode(std::size_t i) const { return episodes_[i]; }
    [[nodiscard]] const std::vector<FaultEpisode>& episodes() const { return episodes_; }

    /// True when any evaluated row of episode `i` has score >= threshold.
    [[nodiscard]] bool caught(std::size_t i, double threshold) const;
    /// Milliseconds from the episode's first evaluated row to its first evaluated row with score >=
    /// threshold; nullopt when the episode is not caught.
    [[nodiscard]] std::optional<qint64> detectionDelayMs(std::size_t i, double threshold) const;

private:
    QStringList faultTags_;
    std::vector<FaultEpisode> episodes_;
    // Per episode, the evaluated rows where the running maximum score rises ("records"), flattened:
    // records of episode i are [recordBegin_[i], recordBegin_[i + 1]). Their scores strictly increase, so the
    // first flagged row at any threshold is the first record at or above it — a binary search.
    std::vector<std::size_t> recordBegin_;
    std::vector<float> recordScore_;
    std::vector<qint64> recordTsMs_;
};

}  // namespace itap
