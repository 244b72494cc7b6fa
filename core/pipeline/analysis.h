#pragma once

#include "aggregate/aggregate_options.h"
#include "aggregate/aggregate_summary.h"
#include "alerts/alarm_kpis.h"
#include "alerts/alarm_state.h"
#include "alerts/alert.h"
#include "alerts/alert_rules.h"
#include "common/analysis_types.h"
#include "common/progress.h"
#include "common/result.h"
#include "common/signal_health.h"
#include "evaluate/evaluation_options.h"
#include "evaluate/metrics.h"
#include "features/feature_engine.h"
#include "model/anomaly_model.h"
#include "pipeline/operating_point.h"
#include "storage/store.h"

#include <nlohmann/json_fwd.hpp>

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace itap {

/// Which rows of each device form the training span: always the start of each device's series, never a random
/// split, so the model never learns from rows later than the ones it is evaluated on.
struct TrainSpan {
    enum class Kind { Fraction, Rows, Until, Duration };
    Kind kind = Kind::Fraction;
    double fraction = 0.7;  ///< Kind::Fraction: the first fraction of each device's time span; (0, 1]
    qint64 rows = 0;        ///< Kind::Rows: the first N rows of each device; >= 1
    qint64 untilMs = 0;     ///< Kind::Until: rows with ts <= untilMs (UTC epoch ms)
    /// Kind::Duration: each device's rows less than this long after its own first row; >= 1000
    qint64 durationMs = 0;
    /// Whether labelled anomalies (and the rows within a feature window after them) are left out of the
    /// normal training rows. False for a label-free run (`--label-free`): the span is taken as it is, as on a
    /// plant without labels. Recorded in the model ("use_labels": false; absent = true).
    bool useLabels = true;

    [[nodiscard]] Status validate() const;
    [[nodiscard]] nlohmann::json toJson() const;
    [[nodiscard]] static Result<TrainSpan> fromJson(const nlohmann::json& j, const QString& source);
};

struct FleetFeatures;
/// Marks the evaluated rows less than one feature window after a fault episode kEvalExcluded (the evaluation
/// leaves them out: EvaluationOptions::excludeFaultTails). Returns how many.
qint64 excludeEvaluatedFaultTails(FleetFeatures& fleet, int window);
/// Makes every training-span row a normal training row, whatever the labels say (a label-free run of a model
/// trained with labels): ScoreTable::trainingUsesLabels = false, kTrainExcluded rows back to kTrainSpan.
void forgetTrainingLabels(ScoreTable& table);

/// The features of a whole fleet, device by device, and the table their scores go into.
struct FleetFeatures {
    FeatureSchema schema;
    ScoreTable table;                      ///< every row; `score` is filled by scoreFleet()
    std::vector<FeatureMatrix> perDevice;  ///< features of device d = table rows [offset[d], offset[d+1])
    std::vector<std::size_t> offset;       ///< devices + 1 entries
    SensorCatalog catalog;                 ///< the store's, which the features were computed from
    /// Every run of an instrument condition (a channel missing or frozen; common/signal_health.h), in table
    /// rows, by first row: what the diagnostics learn from and check.
    std::vector<SignalRun> signalRuns;

    [[nodiscard]] const float* featureRow(std::size_t tableRow) const;
};

/// Reads every device from the store and computes its features, devices in parallel on `threads` workers
/// (0 = all cores). Marks the training span in table.train. Results do not depend on the thread count.
[[nodiscard]] Result<FleetFeatures> computeFleetFeatures(Store& store, const FeatureEngine& engine,
                                                         const TrainSpan& span, int threads,
                                                         const ProgressFn& progress);

/// Trains the scaler and the forest on the normal rows (empty fault tag) of the training span, and learns the
/// instrument diagnostics' limits (SignalLimits) from the same rows.
[[nodiscard]] Result<AnomalyModel> trainOnFleet(const FleetFeatures& fleet, ModelParams params,
                                                const ProgressFn& progress);

/// Scores every row of the fleet into fleet.table.score, devices in parallel, and filters each device's
/// scores with the score filter recorded in the model (scoreFilterOf; the identity unless trained with one).
[[nodiscard]] Status scoreFleet(const AnomalyModel& model, FleetFeatures& fleet, int threads,
                                const ProgressFn& progress);

/// What the chosen operating point optimises (unless a threshold is given).
enum class OperatingPointLevel {
    /// The incidents an operator gets (operating_point.h): event recall at an incident-precision floor with
    /// labels, an alarm budget on the training span without them.
    Incidents,
    /// Rows: evaluation.thresholdRule's row-level rules (recall at minPrecision, or the label-free quantile
    /// or
    /// margin of the training span's scores).
    Rows,
};

/// The threshold-independent inputs of the incident engine and the KPIs, computed once per fleet and rules.
struct IncidentInputs {
    std::vector<float> filtered;  ///< filterIncidentScores() of every table row
    /// signalDiagnostics() of every table row at the model's limits; empty when the diagnostics are off or
    /// the model has no limits (a model file from before them).
    std::vector<std::int16_t> diagnostics;
    KpiInputs kpi;
    /// The upper tail (TailCalibration) of `filtered` over the normal rows of the training span (train ==
    /// kTrainSpan, no fault tag: the rows the model was fitted on): what an incident's urgency is measured
    /// against. Null with fewer than
    /// kMinNormalTailRows such rows (then urgency falls back to the relative margin).
    std::shared_ptr<const TailCalibration> normalTail;
    static constexpr std::size_t kMinNormalTailRows = 100;
    IncidentParams params;  ///< the filter and diagnostic settings they were computed with

    [[nodiscard]] static std::shared_ptr<const IncidentInputs> of(const FleetFeatures& fleet,
                                                                  const IncidentParams& params,
                                                                  const SignalLimits& limits);
    /// True when these were computed for `fleet` with `params`' filter and diagnostic settings.
    [[nodiscard]] bool fits(const FleetFeatures& fleet, const IncidentParams& p) const {
        return filtered.size() == fleet.table.size() && params.filterMs() == p.filterMs() &&
               params.instrumentDiagnostics == p.instrumentDiagnostics &&
               params.diagnosticMinS == p.diagnosticMinS && params.diagnosticFactor == p.diagnosticFactor;
    }
};

/// Settings of everything after scoring.
struct AnalysisOptions {
    EvaluationOptions evaluation;
    /// A fixed threshold (the GUI slider, --threshold); otherwise the operating point is chosen at incident
    /// level (operating_point.h): with labels, the highest event recall at the rules' incident-precision
    /// floor; without labels or with evaluation.thresholdRule = LabelFree, the alarm budget on the training
    /// span.
    std::optional<double> threshold;
    OperatingPointLevel operatingPoint = OperatingPointLevel::Incidents;
    AlertRules rules = AlertRules::defaults();
    AggregateOptions aggregate;
    int explainTop = 20;  ///< flagged rows (highest scores) written to explanations_top.json; 1..100000
    int threads = 0;      ///< 0 = all cores
};

/// Everything an operator sees after scoring.
struct Analysis {
    double threshold = 0;
    QString thresholdRule;                  ///< how the threshold was chosen, for reports
    Metrics metrics;                        ///< at `threshold`
    std::vector<std::size_t> flagged;       ///< table rows with score >= threshold, ascending
    std::vector<Explanation> explanations;  ///< one per flagged row, same order
    std::vector<Alert> alerts;              ///< the incidents, by start then device
    std::vector<FleetIncident> fleetIncidents;
    AlarmKpis kpis;           ///< over all data: what the operator gets
    AlarmKpis kpisEvaluated;  ///< over the evaluated span (after each device's training span)
    /// What incidents and KPIs need of the fleet that does not depend on the threshold, shared by the
    /// analyses of one fleet (a threshold move reuses it).
    std::shared_ptr<const IncidentInputs> incidentInputs;
    AggregateSummary aggregate;
    /// The thresholds the incident-level rule tried and what it counted at each (empty for a manual
    /// threshold).
    std::vector<OperatingCurvePoint> operatingCurve;
    /// The alarm journal's verdicts on the incidents that reach the operator (applyAlarmJournal() in
    /// session.h); metrics.json's "alarm_verdicts" when set.
    std::optional<VerdictSummary> verdicts;
};

/// Incidents, fleet incidents and both KPI scopes of `a` at a.threshold from its flagged rows and
/// explanations (a.incidentInputs must be set): the one post-explanation step analyse() and reanalyseAt()
/// share.
void deriveIncidents(Analysis& a, const FleetFeatures& fleet, const AlertRules& rules);

/// The threshold analyse() operates at when none could be chosen (no normal row in the training span): just
/// above the highest possible score, so nothing is flagged rather than a threshold made up.
[[nodiscard]] inline double thresholdOrNone(const std::optional<double>& threshold) {
    return threshold.value_or(std::nextafter(1.0, 2.0));
}

/// Evaluates, explains every flagged row, raises alerts and aggregates.
[[nodiscard]] Result<Analysis> analyse(const FleetFeatures& fleet, const AnomalyModel& model,
                                       const SensorCatalog& catalog, const AnalysisOptions& options,
                                       const ProgressFn& progress);

/// The operator report of `itap score`: sweep and per-fault recall, top events with attributions, device and
/// fleet aggregation, the fleet incidents and the annunciated incidents (at most `maxAlerts`, most severe
/// first), and last the alarm KPIs (all data, and the evaluated span when there are labels).
[[nodiscard]] QString operatorReport(const FleetFeatures& fleet, const Analysis& analysis, int topEvents = 5,
                                     int maxAlerts = 15);

/// The files writeArtifacts() writes into its directory, in the order it writes them.
[[nodiscard]] QStringList artifactFileNames();

/// Writes metrics.json, explanations_top.json, aggregate_summaries.json and alerts.json into `dir` (created
/// when missing), each atomically and each with `model_id` (fleet.table.modelId; null before scoring).
/// Returns the paths written.
[[nodiscard]] Result<QStringList> writeArtifacts(const QString& dir, const FleetFeatures& fleet,
                                                 const Analysis& analysis, const AnalysisOptions& options);

}  // namespace itap
