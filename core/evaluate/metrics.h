#pragma once

#include "common/analysis_types.h"
#include "common/result.h"
#include "common/telemetry.h"
#include "evaluate/evaluation_options.h"
#include "evaluate/score_index.h"
#include "evaluate/threshold_sweep.h"

#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace itap {

/// Detection figures of one fault type at the operating threshold (evaluated rows only).
struct FaultMetrics {
    QString tag;
    qint64 rows = 0;                    ///< evaluated rows carrying the tag
    qint64 caughtRows = 0;              ///< of those, rows with score >= threshold
    std::optional<double> recall;       ///< point-wise: caughtRows / rows
    qint64 events = 0;                  ///< episodes with at least one evaluated row (see FaultEpisode)
    qint64 eventsCaught = 0;            ///< episodes with any evaluated row flagged
    std::optional<double> eventRecall;  ///< eventsCaught / events
    /// Median over caught episodes of the time from the episode's first evaluated row to its first flagged
    /// row, in seconds (mean of the two middle values for an even count); nullopt when none is caught.
    std::optional<double> medianLatencyS;
};

/// False alarms among the normal evaluated rows of one operating state.
struct StateFalseAlarms {
    qint64 negatives = 0;        ///< normal evaluated rows in the state
    qint64 falseAlarms = 0;      ///< of those, rows with score >= threshold
    std::optional<double> rate;  ///< falseAlarms / negatives; nullopt without negatives or threshold
};

/// Detection figures of one device at the operating threshold, over its evaluated rows.
struct DeviceMetrics {
    QString device;
    Confusion confusion;
    std::optional<double> precision;
    std::optional<double> recall;
    std::optional<double> f1;
    std::optional<double> falseAlarmRate;   ///< fp / negatives
    std::optional<double> missedAlarmRate;  ///< fn / positives
    std::optional<double> rocAuc;
    std::optional<double> prAuc;
    qint64 events = 0;        ///< fault episodes of the device with an evaluated row
    qint64 eventsCaught = 0;  ///< of those, episodes with a flagged row
    std::optional<double> eventRecall;
    std::optional<double> medianLatencyS;  ///< over the device's caught episodes
};

/// Everything metrics.json and the sweep report say. Undefined figures are nullopt (null in JSON), never 0.
struct Metrics {
    bool groundTruth = false;   ///< false: the table has no labels; only label-free figures are filled
    qint64 evaluationRows = 0;  ///< rows with train == 0
    qint64 trainingRows = 0;    ///< rows left out because they belong to the training span
    /// Rows after the training span left out by EvaluationOptions::excludeFaultTails (0 when it is off).
    qint64 excludedFaultTailRows = 0;
    bool excludeFaultTails = false;  ///< the option the evaluation ran with
    bool trainingUsesLabels = true;  ///< ScoreTable::trainingUsesLabels: false for a label-free run
    /// With SelectionRule::Manual: the rule that chose the threshold when it was not the operator (the
    /// incident-level operating point, analyse()); empty when the operator set it.
    QString operatingPointRule;
    double minPrecision = 0.5;  ///< the option the selection used
    QString labelFreeRule;      ///< labelFreeRuleText() of the options the selection used
    ThresholdSelection selection;
    Confusion confusion;  ///< at selection.threshold; nothing flagged when there is no threshold
    std::optional<double> precision;
    std::optional<double> recall;
    std::optional<double> f1;
    std::optional<double> falseAlarmRate;   ///< fp / negatives, pooled over the fleet
    std::optional<double> missedAlarmRate;  ///< fn / positives, pooled over the fleet
    std::optional<double> rocAuc;
    std::optional<double> prAuc;
    std::vector<SweepPoint> sweep;                         ///< ascending threshold
    std::vector<FaultMetrics> perFault;                    ///< sorted by tag; empty without labels
    std::array<StateFalseAlarms, kOpStateCount> perState;  ///< indexed by OpState
    /// One entry per device with evaluated rows, in device order; filled by evaluatePerDevice() (analyse()
    /// does), not by evaluate()/evaluateAt(), which stay O(log n) per threshold for the slider.
    std::vector<DeviceMetrics> perDevice;
};

/// Sweeps, selects a threshold and derives every metric. Builds a ScoreIndex internally; keep one with
/// ScoreIndex::build and use evaluateAt to re-derive at other thresholds. Errors: invalid options or a
/// malformed table (BadInput).
[[nodiscard]] Result<Metrics> evaluate(const ScoreTable& table, const EvaluationOptions& options = {});

/// Re-derives the metrics at a given threshold (the GUI slider): SelectionRule::Manual.
/// O(sweep · log n + distinct scores + episodes · log), independent of fault and state row counts.
/// `index` must have been built from `table`.
[[nodiscard]] Result<Metrics> evaluateAt(const ScoreTable& table, const ScoreIndex& index, double threshold,
                                         const EvaluationOptions& options = {});

/// The metrics of each device on its own at `threshold`: the device's rows evaluated as a table of their own
/// (same figures and definitions as evaluateAt). Devices without evaluated rows are left out. O(n log n).
[[nodiscard]] Result<std::vector<DeviceMetrics>> evaluatePerDevice(const ScoreTable& table, double threshold,
                                                                   const EvaluationOptions& options = {});

/// Each device's ScoreIndex, built once per score table (the sort is what costs: O(n log n)). With it,
/// evaluatePerDevice() at another threshold sorts nothing (the GUI slider re-derives the per-device table).
struct DeviceScoreIndexes {
    struct Device {
        QString device;
        ScoreIndex index;  ///< of the device's rows as a table of their own
    };
    std::vector<Device> devices;  ///< devices with evaluated rows, in table order

    [[nodiscard]] static Result<DeviceScoreIndexes> build(const ScoreTable& table);
};

/// As evaluatePerDevice(table, …), from indexes built from that table: the same figures, bit for bit.
[[nodiscard]] Result<std::vector<DeviceMetrics>> evaluatePerDevice(const DeviceScoreIndexes& indexes,
                                                                   double threshold,
                                                                   const EvaluationOptions& options = {});

/// The label-free threshold (options.labelFreeRule) from the scores of the training span's normal rows (train
/// == kTrainSpan, no fault tag): their labelFreeQuantile nearest-rank quantile, or their maximum times
/// labelFreeMargin. It never looks at an evaluated row. nullopt when the training span has no normal row.
[[nodiscard]] std::optional<double> labelFreeThreshold(const ScoreTable& table,
                                                       const EvaluationOptions& options);

/// A one-line description of the label-free rule of `options`, e.g. "0.995 quantile of training scores".
[[nodiscard]] QString labelFreeRuleText(const EvaluationOptions& options);

}  // namespace itap
