#pragma once

#include "common/analysis_types.h"
#include "common/progress.h"
#include "common/result.h"
#include "common/signal_health.h"
#include "common/telemetry.h"
#include "model/channel_dynamics.h"
#include "model/isolation_forest.h"
#include "model/pca_monitor.h"
#include "model/regime_scaler.h"
#include "model/standard_scaler.h"
#include "model/tail_calibration.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

namespace itap {

/// Which detectors make the model's score (ModelParams::detector; `--detector`).
enum class DetectorChoice {
    Forest,    ///< the Isolation Forest's score s(x) = 2^(−E[h(x)]/c(ψ)), as it is
    Pca,       ///< PCA monitoring: Hotelling T² and Q, calibrated and combined
    Combined,  ///< the forest, T² and Q, each calibrated, combined
};
/// "forest", "pca", "combined".
[[nodiscard]] QString detectorChoiceName(DetectorChoice d);
[[nodiscard]] std::optional<DetectorChoice> detectorChoiceFromName(const QString& name);

/// What the model is trained on, stored with it so that scoring can refuse mismatched features.
struct ModelMetadata {
    std::vector<QString> featureNames;  ///< one per column; empty = "f0", "f1", … are used
    QString catalogHash;                ///< SensorCatalog::hash() of the catalog the features came from
    nlohmann::json featureConfig;       ///< the feature engine's configuration, stored as given (opaque here)
    qint64 trainFromMs = 0;             ///< first timestamp of the training span (UTC ms), informative
    qint64 trainToMs = 0;               ///< last timestamp of the training span (UTC ms), informative
};

/// Name of the feature column that tells how long the current operating state has lasted (seconds); the
/// training regimes are read from it when present.
inline constexpr char kSinceStateFeature[] = "since_state_s";

/// Settings of AnomalyModel::train: the two algorithms' parameters plus the metadata to store.
struct ModelParams {
    ScalerParams scaler;
    ForestParams forest;
    ModelMetadata metadata;
    /// Feature columns the forest does not use (by name); they are scaled to a constant 0, so no tree splits
    /// on them and the explainer gives them no share. Stored in the model file.
    std::vector<QString> ignoredFeatures;
    /// Every tree draws an equal share of its sub-sample from each operating regime present in training:
    /// each state (RUN / IDLE / MAINT) split into phases by how long the state has lasted (the
    /// kSinceStateFeature column) at regimeEdgesSeconds: by default the first minute (the transition itself),
    /// minutes 1–5 (the feature windows refilling), minutes 5–30 (settling) and steady operation. A rare
    /// regime that is normal (IDLE, MAINT, the samples right after a state change) is then as dense in every
    /// sub-sample as steady RUN, so it is not isolated merely for being rare. Off: uniform sub-samples (Liu
    /// et al.).
    bool stratifyRegimes = true;
    std::vector<double> regimeEdgesSeconds = {60, 300, 1800};  ///< increasing, each in (0, 31622400]; ≤ 8
    /// After the scaler and the channel dynamics, every regime (state × phase, as above) is standardised
    /// again against its own normal training rows (RegimeScaler), so a settling window is compared with
    /// settling windows rather than with steady operation. Stored in the model file.
    bool regimeScaling = true;
    /// Each channel's trend is replaced, for the forest, by its residual against the channel dynamics learned
    /// per device and state (see ChannelDynamics). Stored in the model file.
    bool channelDynamics = true;
    /// With channelDynamics, each channel's mean is replaced too, for the forest only, by its residual
    /// against the other channels' means (ChannelDynamics, `levels`). Stored in the model file.
    bool levelResiduals = true;
    /// Out-of-support isolation: a column whose raw value never varied over the training rows (a missing
    /// fraction that is always 0, say) can never be split on, so a row that leaves that value — a sensor
    /// dropping out — would look entirely normal to the forest. With this on, such columns are stored with
    /// their training value, and at scoring every split of a walk isolates a row that leaves m of them with
    /// probability m / (columns the forest may use): the chance that a split drawn over all those columns
    /// had fallen on one of them. See IsolationForest::pathLengthIsolating. Stored in the model file.
    bool outOfSupport = true;
    /// Columns (by name) never checked for support. The pipeline lists the operating-state indicators here:
    /// a state the training span never saw is a gap in the baseline, not a fault of the machine.
    std::vector<QString> supportExempt;
    /// The detectors whose calibrated statistics make the score (AnomalyModel::combinedScore). The forest
    /// alone by default: measured on the project's fleets (README, "Detectors"), the combination did not beat
    /// it there. Stored in the model file.
    DetectorChoice detector = DetectorChoice::Forest;
    PcaParams pca;  ///< the PCA monitor's settings (detector pca or combined)
    /// Columns (by name) the PCA monitor leaves out besides the ignored ones. The pipeline lists the event
    /// counters and the state: they describe the operation rather than measure the process (counts, clocks
    /// and indicators, not the roughly linear-Gaussian variables PCA models), and the explainer reports them
    /// as context anyway. Stored in the model file as the monitored columns.
    std::vector<QString> pcaExcluded;

    /// The one place the parameters are checked (delegates to the algorithms' validate()).
    [[nodiscard]] Status validate() const;
};

/// StandardScaler + IsolationForest (+ PcaMonitor) + metadata: what `itap train` writes and `itap score`
/// reads.
///
/// The score. With DetectorChoice::Forest it is the forest's s(x) in (0, 1]. Otherwise every detector's
/// statistic (forest score, T², Q) is turned into its upper-tail p-value against its own training
/// distribution (TailCalibration; T² and Q out-of-fold per PCA subspace, the forest per operating state on
/// its training rows), and the K detectors (2 for pca, 3 for combined) are combined by the smallest p-value
/// with Šidák's correction,
///     p = 1 − (1 − min_k p_k)^K,
/// a p-value again (exact for independent detectors, conservative for dependent ones), reported as
///     score = L / (1 + L),  L = −log10 p,
/// in [0, 1], higher = more anomalous (p = 0.1 ↦ 0.5, 0.01 ↦ 0.67, 10⁻⁶ ↦ 0.86); the detector with the
/// smallest p-value carried the row. Why the minimum and not Fisher's or Stouffer's sum: the detectors see
/// different faults (a level shift moves the forest and T², a broken correlation only Q), so a fault is
/// typically extreme for one detector and ordinary for the others; a sum dilutes that one signal with the
/// others' normal evidence, and it assumes independence that three views of the same row do not have. The
/// minimum keeps each detector's own false-alarm rate (at most K times it) and names one detector per row.
///
/// File format (little-endian), version 2:
///   "ITAPMODL" | u32 format version | u32 header length H | H bytes of JSON (metadata, params, scaler;
///   `detector`, and for pca/combined `pca` and `forest_calibration`) | u32 trees T | u32 nodes N | (T+1) ×
///   u32 tree offsets | N × {i32 feature, f32 threshold, i32 left, i32 right, i32 size} | 32 bytes SHA-256 of
///   everything before it. Version 1 (no `detector`) loads as a forest-only model.
class AnomalyModel {
public:
    static constexpr std::uint32_t kFormatVersion = 2;
    /// The oldest format version load() accepts.
    static constexpr std::uint32_t kOldestFormatVersion = 1;
    /// Larger files are refused before being read; a default model is ~2 MB.
    static constexpr qint64 kMaxFileBytes = qint64{1} << 30;

    AnomalyModel() = default;

    /// Trains on normal rows of the training span only. `states` has one entry per row; `deviceIndex` one per
    /// row indexing `devices` (may be empty unless the scaling mode is per device).
    [[nodiscard]] static Result<AnomalyModel> train(const FeatureRows& trainRows,
                                                    const std::vector<OpState>& states,
                                                    const std::vector<int>& deviceIndex,
                                                    const QStringList& devices, const ModelParams& params,
                                                    const ProgressFn& progress = {});

    /// Scores the rows of one device into out[0 .. rows.rows()), in parallel over row blocks. Thread-safe.
    /// Expects rows.cols == featureCount() (checkCompatible() first; otherwise every score is NaN) and one
    /// state per row (missing states count as RUN).
    void score(const QString& device, const FeatureMatrix& rows, const std::vector<OpState>& states,
               float* out) const;

    /// Scales one raw feature row as score() does (the explainer walks the trees with it).
    void scaleRow(const QString& device, OpState state, const float* raw, float* out) const;

    /// Every detector's reading of one row.
    struct DetectorReading {
        double forest = 0;        ///< the forest's s(x) (with out-of-support isolation)
        PcaMonitor::Reading pca;  ///< T², Q and their p-values (zeros and 1 without a PCA monitor)
        double pForest = 1;       ///< the forest score's upper-tail p-value (1 unless combined)
        ScoreSource carrier = ScoreSource::Forest;  ///< the detector with the smallest p-value
        double score = 0;                           ///< what score() returns for the row
    };
    /// The detectors' reading of raw row `raw` of `state`, already scaled into `scaled` (scaleRow()).
    [[nodiscard]] DetectorReading read(OpState state, const float* raw, const float* scaled) const;
    /// The forest's s(x) of one row, with out-of-support isolation (as score() computes it).
    [[nodiscard]] double forestScore(const float* raw, const float* scaled) const;
    /// Šidák-corrected smallest p-value of `detectors` detectors mapped to the score (see the class comment).
    [[nodiscard]] static double combinedScore(double smallestP, int detectors);
    [[nodiscard]] DetectorChoice detector() const { return detector_; }
    [[nodiscard]] const PcaMonitor& pca() const { return pca_; }
    /// The forest score's calibration for rows of `state` (that state's training rows, or all of them when
    /// the state had fewer than PcaParams::minStateRows).
    [[nodiscard]] const TailCalibration& forestCalibration(OpState state) const;
    /// Fills r.pForest, r.carrier and r.score from r.forest and r.pca (detector_ is PCA or combined): the one
    /// combination rule score() and read() share.
    void combine(OpState state, DetectorReading& r) const;

    /// OK when the model was trained on the same catalog and the same feature columns, in the same order.
    [[nodiscard]] Status checkCompatible(const QString& catalogHash,
                                         const std::vector<QString>& featureNames) const;

    [[nodiscard]] Status save(const QString& path) const;
    [[nodiscard]] static Result<AnomalyModel> load(const QString& path);
    /// The file bytes save() writes.
    [[nodiscard]] QByteArray toBytes() const;
    /// What identifies the model wherever its scores go (the scores table, every artifact): the first
    /// kModelIdHexDigits hex digits of the SHA-256 of the file `itap train` writes for it, i.e. toBytes()
    /// with the threshold left unset. The operating threshold recorded later (`itap score`, the console's
    /// export) does not change a single score, so it does not change the id either; everything else does
    /// (another seed, span, parameter or training set).
    [[nodiscard]] QString modelId() const;
    /// 128 bits: no two models a plant trains will share an id by chance.
    static constexpr int kModelIdHexDigits = 32;
    /// Parses file bytes; errors are Error::badInput naming `source`.
    [[nodiscard]] static Result<AnomalyModel> fromBytes(const QByteArray& bytes, const QString& source);

    [[nodiscard]] int featureCount() const { return forest_.featureCount(); }
    [[nodiscard]] const std::vector<QString>& featureNames() const { return metadata_.featureNames; }
    [[nodiscard]] const QString& catalogHash() const { return metadata_.catalogHash; }
    [[nodiscard]] const nlohmann::json& featureConfig() const { return metadata_.featureConfig; }
    [[nodiscard]] const ModelMetadata& metadata() const { return metadata_; }
    [[nodiscard]] const ScalerParams& scalerParams() const { return scaler_.params(); }
    [[nodiscard]] const ForestParams& forestParams() const { return forestParams_; }
    [[nodiscard]] qint64 trainRows() const { return trainRows_; }
    [[nodiscard]] const StandardScaler& scaler() const { return scaler_; }
    [[nodiscard]] const IsolationForest& forest() const { return forest_; }
    /// Columns the forest ignores (ModelParams::ignoredFeatures that exist in the model).
    [[nodiscard]] std::vector<QString> ignoredFeatures() const;
    [[nodiscard]] bool stratifiedRegimes() const { return stratify_; }
    [[nodiscard]] const ChannelDynamics& dynamics() const { return dynamics_; }
    [[nodiscard]] const std::vector<double>& regimeEdgesSeconds() const { return regimeEdges_; }
    [[nodiscard]] const RegimeScaler& regimeScaler() const { return regime_; }
    /// Regime phase of a raw feature row: the number of regime edges at or below its kSinceStateFeature
    /// value (0 when the model has no such column).
    [[nodiscard]] int phaseOf(const float* raw) const;

    /// A column constant over the raw training rows (ModelParams::outOfSupport) and its one value.
    struct SupportColumn {
        int column = 0;
        float value = 0;
    };
    [[nodiscard]] const std::vector<SupportColumn>& supportColumns() const { return support_; }
    /// The chance that a split isolates raw feature row `raw`: the number of supportColumns() whose finite
    /// value differs from the training value, over the columns the forest may use; 0 for a row inside the
    /// training support. Appends those columns to `isolating` when given.
    [[nodiscard]] double isolatingChance(const float* raw, std::vector<int>* isolating = nullptr) const;

    /// The instrument diagnostics' limits learned from the normal training rows (common/signal_health.h);
    /// not learned in a model file from before them. Stored in the model file.
    [[nodiscard]] const SignalLimits& signalLimits() const { return signalLimits_; }
    void setSignalLimits(SignalLimits limits) { signalLimits_ = std::move(limits); }

    /// Selected alert threshold on the score; NaN until set.
    [[nodiscard]] double threshold() const { return threshold_; }
    void setThreshold(double threshold) { threshold_ = threshold; }
    /// Threads used by score(): 0 = all cores. Not part of the model's identity.
    void setScoringThreads(int threads) { forestParams_.threads = std::max(0, threads); }

private:
    [[nodiscard]] nlohmann::json headerJson(double threshold) const;
    /// The file bytes with `threshold` as the selected threshold.
    [[nodiscard]] QByteArray serialize(double threshold) const;
    void setIgnored(const std::vector<QString>& names);
    /// Fills support_ from the raw training rows (after setIgnored()), leaving out the `exempt` columns.
    void findSupportColumns(const FeatureRows& trainRows, const std::vector<QString>& exempt);
    /// Scaler table `table` applied to `raw`, trends replaced by dynamics group `dynamicsGroup` (-1: none),
    /// the regime scaler of (state, phaseOf(raw)) applied, ignored columns set to 0.
    void scaleInto(int table, int dynamicsGroup, OpState state, const float* raw, float* out) const;
    /// The first stage of scaleInto(): scaler and dynamics only.
    void scaleFirstStage(int table, int dynamicsGroup, const float* raw, float* out) const;
    /// Fits the PCA monitor and the forest's calibration (ModelParams::detector other than Forest) on the
    /// training rows scaled by `rowSource`, after the forest.
    [[nodiscard]] Status fitDetectors(const FeatureRows& trainRows, const ModelParams& params,
                                      const std::function<void(std::size_t, float*)>& rowSource,
                                      const std::vector<OpState>& states);
    /// Locates the kSinceStateFeature column among the feature names.
    void findSinceColumn();

    ModelMetadata metadata_;
    ForestParams forestParams_;
    qint64 trainRows_ = 0;
    double threshold_ = std::numeric_limits<double>::quiet_NaN();
    StandardScaler scaler_;
    IsolationForest forest_;
    std::vector<int> ignored_;  // columns the forest ignores, ascending
    ChannelDynamics dynamics_;
    bool stratify_ = false;
    std::vector<double> regimeEdges_;
    RegimeScaler regime_;
    int sinceCol_ = -1;  // the kSinceStateFeature column, or -1
    std::vector<SupportColumn> support_;
    int supportPool_ = 0;
    DetectorChoice detector_ = DetectorChoice::Forest;
    PcaMonitor pca_;  // DetectorChoice::Pca and ::Combined
    // DetectorChoice::Combined: per state (empty: too few rows), and all states pooled last.
    std::array<TailCalibration, kOpStateCount + 1> forestCal_;
    SignalLimits signalLimits_;  // columns the forest may use: all but the ignored ones
};

/// Regime phase of a time since the state began: the number of `edgesSeconds` at or below it (phase 0 before
/// the first edge; NaN counts as phase 0).
[[nodiscard]] std::size_t regimePhase(double sinceSeconds, const std::vector<double>& edgesSeconds);

/// The training strata of ModelParams::stratifyRegimes: row indices grouped by (phase, state), phases cut at
/// `edgesSeconds` of the since-state column, empty groups dropped. `sinceStateColumn` < 0 groups by state
/// only.
[[nodiscard]] std::vector<std::vector<std::size_t>> regimeStrata(const FeatureRows& rows,
                                                                 const std::vector<OpState>& states,
                                                                 int sinceStateColumn,
                                                                 const std::vector<double>& edgesSeconds);

}  // namespace itap
