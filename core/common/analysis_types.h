#pragma once

// Plain data passed between the analysis stages (features → model → evaluate → explain → aggregate → alerts).

#include "common/telemetry.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace itap {

/// Pseudo-families that are not in the sensor catalog.
namespace family {
/// `<channel>_missing_frac` and other data-quality features: a dropout is a sensor fault, not a process
/// fault.
inline const QString kMissingness = QStringLiteral("Missingness");
/// Event counters (error streak, state transitions, time since error / state change, state code).
inline const QString kOperation = QStringLiteral("Operation");
}  // namespace family

/// Names and families of the feature columns, in column order.
struct FeatureSchema {
    std::vector<QString> names;     ///< `<channel>_<stat>` or an event counter name
    std::vector<QString> families;  ///< the channel's catalog family, or a pseudo-family above
    std::vector<int> channel;       ///< catalog index of the source channel, -1 for event counters

    [[nodiscard]] int size() const { return static_cast<int>(names.size()); }
    [[nodiscard]] int indexOf(const QString& name) const {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name)
                return static_cast<int>(i);
        return -1;
    }
};

/// Row-major float matrix of features: row r, column c at data[r * cols + c].
struct FeatureMatrix {
    int cols = 0;
    std::vector<float> data;

    [[nodiscard]] std::size_t rows() const {
        return cols == 0 ? 0 : data.size() / static_cast<std::size_t>(cols);
    }
    [[nodiscard]] float* row(std::size_t r) { return data.data() + r * static_cast<std::size_t>(cols); }
    [[nodiscard]] const float* row(std::size_t r) const {
        return data.data() + r * static_cast<std::size_t>(cols);
    }
    [[nodiscard]] float at(std::size_t r, int c) const {
        return data[r * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)];
    }
};

/// Read-only rows of features: all rows of one FeatureMatrix, or rows picked from several matrices without
/// copying them. Training reads the normal rows of the training span through this view, so a 10M-row fleet
/// does not hold a second copy of ~70 % of its feature matrix (measured: peak 5.9 GB with the copy; issue 8).
class FeatureRows {
public:
    /// All rows of `m` (implicit, so a FeatureMatrix can be passed wherever rows are read). `m` must outlive
    /// the view.
    FeatureRows(const FeatureMatrix& m)  // NOLINT(google-explicit-constructor)
        : cols(m.cols),
          base_(m.data.data()),
          count_(m.rows()),
          wellFormed_(m.cols > 0 ? m.data.size() % static_cast<std::size_t>(m.cols) == 0 : m.data.empty()) {}
    /// The rows at `rows`, each `cols` floats long; the memory they point to must outlive the view.
    FeatureRows(int columnCount, std::vector<const float*> rows)
        : cols(columnCount), count_(rows.size()), picked_(std::move(rows)) {}

    int cols = 0;

    [[nodiscard]] std::size_t rows() const { return count_; }
    [[nodiscard]] const float* row(std::size_t r) const {
        return picked_.empty() ? base_ + r * static_cast<std::size_t>(cols) : picked_[r];
    }
    [[nodiscard]] float at(std::size_t r, int c) const { return row(r)[c]; }
    /// False for a matrix whose data is not a whole number of rows.
    [[nodiscard]] bool wellFormed() const { return wellFormed_; }

private:
    const float* base_ = nullptr;
    std::size_t count_ = 0;
    bool wellFormed_ = true;
    std::vector<const float*> picked_;
};

inline constexpr std::uint8_t kTrainSpan = 1;
inline constexpr std::uint8_t kTrainExcluded = 2;
inline constexpr std::uint8_t kEvalExcluded = 3;

/// Scores of every row of a fleet: one row per telemetry sample, grouped by device, time-ordered within a
/// device.
struct ScoreTable {
    QStringList devices;       ///< device id of each device index
    std::vector<int> device;   ///< device index of each row
    std::vector<qint64> tsMs;  ///< UTC epoch milliseconds
    std::vector<OpState> state;
    std::vector<float> score;  ///< AnomalyModel::score(): in [0, 1], higher = more anomalous
    TagColumn faultTag;        ///< ground truth, empty = normal
    /// kTrainSpan (1): the row belongs to the training span (never used to evaluate). kTrainExcluded (2): a
    /// normal row of the training span less than one feature window after a fault episode of its device; its
    /// features still see the episode, so it is not trained on (only when the training uses labels).
    /// kEvalExcluded (3): such a row after the training span, left out of the evaluation only when asked
    /// (EvaluationOptions::excludeFaultTails; by default every evaluated row counts). 0: evaluated.
    std::vector<std::uint8_t> train;
    bool hasLabels = false;  ///< false for unlabelled imports: no ground truth, no evaluation
    /// Whether the training-span selection read the labels (dropping labelled anomalies and their tails from
    /// the normal rows). False for a label-free run: every training-span row is a normal training row.
    bool trainingUsesLabels = true;

    /// The rows the model is fitted on and the label-free statistics (threshold, urgency tail, instrument
    /// limits) are learned from: the training span, without labelled anomalies when the training uses labels.
    [[nodiscard]] bool isNormalTrainingRow(std::size_t r) const {
        return train[r] == kTrainSpan && (!trainingUsesLabels || faultTag[r].isEmpty());
    }
    /// AnomalyModel::modelId() of the model whose scores `score` holds; empty before scoring. Stored with the
    /// scores and written into every artifact, so scores never pass for another model's.
    QString modelId;

    [[nodiscard]] std::size_t size() const { return score.size(); }
    /// The flagged rows at `threshold` (score ≥ threshold; a NaN score never is), ascending.
    [[nodiscard]] std::vector<std::size_t> rowsAtOrAbove(double threshold) const {
        std::vector<std::size_t> out;
        for (std::size_t r = 0; r < score.size(); ++r)
            if (double(score[r]) >= threshold)
                out.push_back(r);
        return out;
    }
};

/// Share of one feature in a row's anomaly score (percent, > 0).
struct FeatureShare {
    int feature = -1;  ///< column in the FeatureSchema
    double percent = 0;
};

/// Share of one sensor family (or pseudo-family) in a row's anomaly score (percent).
struct FamilyShare {
    QString family;
    double percent = 0;
};

/// The detector whose statistic carried a row's score (AnomalyModel's detectors).
enum class ScoreSource : std::uint8_t {
    Forest = 0,  ///< the Isolation Forest's path length
    T2 = 1,      ///< PCA Hotelling T²: variation inside the normal correlation structure
    Q = 2,       ///< PCA squared prediction error: variation the structure does not allow
};

/// "forest", "T2" or "Q" (reports, explanations_top.json).
[[nodiscard]] inline QString scoreSourceName(ScoreSource s) {
    switch (s) {
        case ScoreSource::T2:
            return QStringLiteral("T2");
        case ScoreSource::Q:
            return QStringLiteral("Q");
        case ScoreSource::Forest:
            break;
    }
    return QStringLiteral("forest");
}

/// Why one flagged row scored high. Feature and family percentages each sum to 100.
struct Explanation {
    std::size_t row = 0;  ///< index into the ScoreTable
    /// The detector that carried the row: its statistic had the smallest calibrated tail p-value, and the
    /// features and families below are its contributions.
    ScoreSource detector = ScoreSource::Forest;
    /// Share (percent) of the positive attribution that falls on the event counters and the state (the
    /// Operation pseudo-family: error codes, transitions, time in state). It is context, not a sensor:
    /// `features` and `families` are normalised over the sensor features alone, unless nothing else
    /// contributed (then they hold the Operation features and this is 100).
    double contextPercent = 0;
    // Implicitly shared (copy-on-write) lists: a threshold move carries every explanation still flagged over
    // into the new analysis, and a copy is then a reference count, not two allocations and an element copy
    // (1M rows, 11,730 reused explanations: ≈ 4.6 ms of the re-derivation; issue 8).
    QList<FeatureShare> features;  ///< descending by percent
    QList<FamilyShare> families;   ///< descending by percent
};

}  // namespace itap
