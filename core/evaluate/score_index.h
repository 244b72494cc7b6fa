#pragma once

#include "common/analysis_types.h"
#include "common/result.h"
#include "common/telemetry.h"
#include "evaluate/fault_episodes.h"

#include <QStringList>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace itap {

/// Confusion counts at one threshold over the evaluation rows (flagged = score >= threshold,
/// positive = non-empty fault tag).
struct Confusion {
    qint64 tp = 0;
    qint64 fp = 0;
    qint64 tn = 0;
    qint64 fn = 0;

    [[nodiscard]] qint64 flagged() const { return tp + fp; }
    [[nodiscard]] qint64 positives() const { return tp + fn; }
    [[nodiscard]] qint64 negatives() const { return fp + tn; }
    [[nodiscard]] qint64 total() const { return tp + fp + tn + fn; }
    /// nullopt when nothing is flagged.
    [[nodiscard]] std::optional<double> precision() const {
        if (flagged() == 0)
            return std::nullopt;
        return static_cast<double>(tp) / static_cast<double>(flagged());
    }
    /// nullopt when there are no positives.
    [[nodiscard]] std::optional<double> recall() const {
        if (positives() == 0)
            return std::nullopt;
        return static_cast<double>(tp) / static_cast<double>(positives());
    }
    /// Harmonic mean of precision and recall; 0 when both are 0, nullopt when either is undefined.
    [[nodiscard]] std::optional<double> f1() const {
        const auto p = precision();
        const auto r = recall();
        if (!p || !r)
            return std::nullopt;
        return (*p + *r) > 0 ? 2.0 * *p * *r / (*p + *r) : 0.0;
    }
    /// False-positive rate fp / negatives; nullopt when there are no negatives.
    [[nodiscard]] std::optional<double> falsePositiveRate() const {
        if (negatives() == 0)
            return std::nullopt;
        return static_cast<double>(fp) / static_cast<double>(negatives());
    }
    friend bool operator==(const Confusion&, const Confusion&) = default;
};

/// The evaluation rows (train == 0) of a ScoreTable, sorted once by descending score with cumulative counts
/// per distinct score, so that every count at a threshold costs one binary search: O(log n).
/// Meant for the GUI threshold slider on 1M rows. Immutable after build(); any thread may query it.
///
/// Thresholds are compared as `double(score) >= threshold`; a NaN threshold flags nothing.
/// Without labels (ScoreTable::hasLabels false) every row counts as negative.
class ScoreIndex {
public:
    ScoreIndex() = default;

    /// Validates `table` (column lengths, device indices, states, finite scores of evaluated rows, rows
    /// grouped by device and time-ordered) and builds the index. O(n log n).
    [[nodiscard]] static Result<ScoreIndex> build(const ScoreTable& table);

    [[nodiscard]] Confusion at(double threshold) const { return atGroup(groupsAtOrAbove(threshold)); }
    /// Confusion when the `groups` highest distinct scores are flagged (0 ≤ groups ≤ groupCount()).
    [[nodiscard]] Confusion atGroup(std::size_t groups) const;

    /// False alarms (flagged negatives) per OpState, indexed by the enum value.
    [[nodiscard]] std::array<qint64, kOpStateCount> falseAlarmsPerState(double threshold) const;
    /// Evaluated negatives per OpState, indexed by the enum value.
    [[nodiscard]] std::array<qint64, kOpStateCount> negativesPerState() const;

    /// Distinct non-empty fault tags of the evaluated rows, sorted; fault indices refer to this list.
    [[nodiscard]] const QStringList& faultTags() const { return episodes_.faultTags(); }
    /// Evaluated rows carrying fault `fault`.
    [[nodiscard]] qint64 rowsOfFault(int fault) const;
    /// Evaluated rows carrying fault `fault` with score >= threshold.
    [[nodiscard]] qint64 flaggedOfFault(int fault, double threshold) const;
    /// Fault episodes of the table (see FaultEpisodes), indexed for threshold queries.
    [[nodiscard]] const FaultEpisodes& episodes() const { return episodes_; }

    /// Number of evaluated rows.
    [[nodiscard]] qint64 size() const { return rows_; }
    /// Number of rows of the table the index was built from (evaluated + training span).
    [[nodiscard]] std::size_t tableRows() const { return tableRows_; }
    /// Rows after the training span that the evaluation was asked to leave out (train == kEvalExcluded).
    [[nodiscard]] qint64 excludedFaultTailRows() const { return excludedFaultTails_; }
    /// ScoreTable::trainingUsesLabels of the table.
    [[nodiscard]] bool trainingUsesLabels() const { return trainingUsesLabels_; }
    [[nodiscard]] bool hasLabels() const { return hasLabels_; }
    /// rocAuc(*this) and averagePrecision(*this) (threshold_sweep.h), computed once by build(): each is a
    /// pass over every distinct score, which a slider move must not repeat.
    [[nodiscard]] std::optional<double> rocAuc() const { return rocAuc_; }
    [[nodiscard]] std::optional<double> prAuc() const { return prAuc_; }
    [[nodiscard]] qint64 positives() const { return atGroup(groupCount()).positives(); }
    [[nodiscard]] qint64 negatives() const { return atGroup(groupCount()).negatives(); }

    /// Number of distinct evaluated scores.
    [[nodiscard]] std::size_t groupCount() const { return distinct_.size(); }
    /// The g-th highest distinct score.
    [[nodiscard]] float groupScore(std::size_t g) const { return distinct_[g]; }
    /// How many distinct scores are >= threshold.
    [[nodiscard]] std::size_t groupsAtOrAbove(double threshold) const;
    /// The score of rank `rank` in descending order (0 = highest), 0 ≤ rank < size().
    [[nodiscard]] float scoreAtRank(qint64 rank) const;

private:
    // Column layout of one row of prefix_: cumulative counts over the first g distinct-score groups.
    static constexpr std::size_t kCount = 0;
    static constexpr std::size_t kPositives = 1;
    static constexpr std::size_t kNegState = 2;                       // kOpStateCount columns
    static constexpr std::size_t kFault = kNegState + kOpStateCount;  // one column per fault tag

    [[nodiscard]] std::uint32_t prefix(std::size_t groups, std::size_t column) const {
        return prefix_[groups * stride_ + column];
    }

    std::vector<float> distinct_;  // distinct evaluated scores, descending
    // (groupCount() + 1) × stride_ cumulative counts, row-major; 32-bit keeps 1M rows × 9 columns at 36 MB.
    std::vector<std::uint32_t> prefix_ = std::vector<std::uint32_t>(kFault, 0u);
    std::size_t stride_ = kFault;
    qint64 rows_ = 0;
    std::size_t tableRows_ = 0;
    qint64 excludedFaultTails_ = 0;
    bool hasLabels_ = false;
    bool trainingUsesLabels_ = true;
    std::optional<double> rocAuc_, prAuc_;
    FaultEpisodes episodes_;
};

}  // namespace itap
