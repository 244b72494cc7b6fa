#pragma once

// The stage sequences the CLI and the console run: train on a store, and score/analyse a store with a model.

#include "alarms/alarm_journal.h"
#include "features/feature_params.h"
#include "model/anomaly_model.h"
#include "model/score_filter.h"
#include "pipeline/analysis.h"
#include "storage/store.h"

#include <nlohmann/json_fwd.hpp>

namespace itap {

/// Everything `itap train` needs besides the store.
struct TrainConfig {
    FeatureParams features;
    TrainSpan span;
    ModelParams model;  ///< scaler mode and forest parameters; metadata is filled by trainModel()
    /// Score smoothing and minimum alarm duration, recorded in the model so that every later scoring (itap
    /// score, the console, live mode) filters the same way. Off by default.
    ScoreFilterParams scoreFilter;
    /// Per-channel statistics the forest does not use (model.ignoredFeatures gets every channel's column of
    /// each). By default those that restate others and only add dimensions in which an anomaly does not stand
    /// out: value (≈ mean + resid), min and max (≈ mean ± spread), delta and zscore (noisier forms of resid
    /// and std), fft_dom (a bin index, not a magnitude). They are still computed, stored and shown. Measured
    /// with tests/bench/quality_report on three seeds: leaving them out raises the fleet ROC-AUC and PR-AUC
    /// (an Isolation Forest picks split features uniformly, so redundant columns dilute the informative
    /// ones).
    QStringList ignoredStats = {QStringLiteral("value"), QStringLiteral("min"),    QStringLiteral("max"),
                                QStringLiteral("delta"), QStringLiteral("zscore"), QStringLiteral("fft_dom")};
    int threads = 0;  ///< 0 = all cores
};

struct TrainedModel {
    AnomalyModel model;
    FleetFeatures fleet;  ///< the features it was trained on (reused when scoring right away)
};

/// The model parameters trainModel() trains with: config.model plus the thread count, the catalog hash, the
/// pipeline config and the ignored columns of `schema` (config.ignoredStats of every channel).
[[nodiscard]] ModelParams trainingParams(const TrainConfig& config, const SensorCatalog& catalog,
                                         const FeatureSchema& schema);

/// Features → training span → scaler + forest. The model records the feature config and the training span,
/// so scoring later recomputes exactly the same features and leaves the same rows out of the evaluation.
[[nodiscard]] Result<TrainedModel> trainModel(Store& store, const TrainConfig& config,
                                              const ProgressFn& progress);

struct ScoredFleet {
    AnomalyModel model;
    FleetFeatures fleet;  ///< fleet.table.modelId names the model the scores came from
    Analysis analysis;
    /// True when the scores were stored (replacing the stored ones); false when the store is read-only or
    /// the caller asked not to.
    bool scoresStored = false;
};

/// Whether scoreWithModel() stores the scores it computes.
enum class StoreScores {
    IfWritable,  ///< store them unless the store is read-only (`itap score`, `itap run`, the console)
    Never,       ///< leave the stored scores alone (`itap export`: artifacts only)
};

/// Recomputes the features with the model's config, scores every row, evaluates, explains, alerts and
/// aggregates, then stores the scores (see `storeScores`) as its last step: cancelled (`progress` false) or
/// failed before that, it leaves the stored scores as they were. `fleet` may pass the features trainModel()
/// already computed. Alert rules naming a family that neither the store's catalog nor the pseudo-families
/// know are refused before anything is computed.
[[nodiscard]] Result<ScoredFleet> scoreWithModel(Store& store, AnomalyModel model,
                                                 const AnalysisOptions& options, const ProgressFn& progress,
                                                 FleetFeatures* fleet = nullptr,
                                                 StoreScores storeScores = StoreScores::IfWritable);

/// How a scoring meets the alarm journal.
enum class JournalUse {
    Record,    ///< record the incidents (itap score, itap run)
    ReadOnly,  ///< only look up their ids and verdicts (itap export, a read-only database)
};

/// Gives the analysis' incidents their stable alarm ids (AlarmJournal) and sets analysis.verdicts to the
/// verdicts of those that reach the operator. With JournalUse::Record it first records them in the journal
/// (process rows by operator "system" at `nowMs`) and returns what that did; ReadOnly writes nothing.
[[nodiscard]] Result<RecordSummary> applyAlarmJournal(Store& store, Analysis& analysis, JournalUse use,
                                                      qint64 nowMs);

/// The `--json` summary of `itap score` (and `itap export`, `itap run`): the figures, `model_id`,
/// `scores_stored` and the artifacts written.
[[nodiscard]] nlohmann::json scoreSummaryJson(const ScoredFleet& scored, const QStringList& artifacts);

/// The model's pipeline config (feature params + training span + score filter), as stored in
/// ModelMetadata::featureConfig.
[[nodiscard]] nlohmann::json pipelineConfigJson(const FeatureParams& features, const TrainSpan& span,
                                                const ScoreFilterParams& filter = {});
/// The score filter recorded in a model's pipeline config; the identity for models trained before it existed.
[[nodiscard]] Result<ScoreFilterParams> scoreFilterOf(const AnomalyModel& model);
[[nodiscard]] Result<std::pair<FeatureParams, TrainSpan>> pipelineConfigFromJson(const nlohmann::json& j,
                                                                                 const QString& source);

}  // namespace itap
