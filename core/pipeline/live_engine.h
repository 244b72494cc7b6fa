#pragma once

#include "alerts/alert_rules.h"
#include "alerts/incident_tracker.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/signal_health.h"
#include "common/telemetry.h"
#include "explain/explainer.h"
#include "features/feature_engine.h"
#include "model/anomaly_model.h"
#include "model/score_filter.h"

#include <QHash>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace itap {

/// What streaming one sample through a LiveEngine produced.
struct LiveRowResult {
    int device = -1;  ///< index into LiveEngine::devices()
    qint64 tsMs = 0;
    OpState state = OpState::Run;
    float score = 0;
    bool flagged = false;  ///< score >= threshold
    std::optional<AlertUpdate>
        alert;  ///< the row's effect on the incident list, when it belongs to an incident
};

/// The live-mode path of one sample, one step of each core stage: the device's FeatureStream (one sample →
/// one feature row), AnomalyModel::score on that row, the Explainer for a flagged row, the
/// IncidentScoreFilter and the IncidentTracker (raise, extend, clear, reopen). Nothing is re-run over past
/// rows, so a sample costs the same at the first row as at the millionth. Because FeatureEngine::compute()
/// and IncidentEngine::run() are the same stream and tracker in a loop, rows pushed here give the incidents
/// the batch pipeline would give.
///
/// Plain data in and out (no QObject), so a test can drive it directly. Not thread-safe: one thread (the
/// LiveSession worker) uses an engine at a time.
class LiveEngine {
public:
    /// Features are computed with the model's own feature config (as `itap score` does) over `catalog`; the
    /// model must match that catalog and feature set. Alerts use `rules` at `threshold`.
    [[nodiscard]] static Result<std::unique_ptr<LiveEngine>> create(std::shared_ptr<const AnomalyModel> model,
                                                                    const SensorCatalog& catalog,
                                                                    AlertRules rules, double threshold);

    /// Feeds a sample to the device's feature stream only (no score, no alert): the history before the live
    /// span, so the trailing windows are full when streaming starts.
    void warm(const QString& device, qint64 tsMs, OpState state, const double* values, int errorCode);
    /// Streams one sample: features → score → (flagged) explanation → alert. `values` holds
    /// catalog.size() values in catalog order (NaN = missing); `faultTag` is the ground truth, when known.
    LiveRowResult push(const QString& device, qint64 tsMs, OpState state, const double* values, int errorCode,
                       const QString& faultTag);

    [[nodiscard]] const IncidentTracker& tracker() const { return tracker_; }
    [[nodiscard]] const std::vector<Alert>& alerts() const { return tracker_.alerts(); }
    [[nodiscard]] double threshold() const { return tracker_.threshold(); }
    /// What incident urgency is measured against: the batch analysis' IncidentInputs::normalTail, so live
    /// mode gives its incidents the priorities the batch path would. Call before the first push.
    void setNormalTail(std::shared_ptr<const TailCalibration> tail) {
        tracker_.setNormalTail(std::move(tail));
    }
    /// Devices seen so far, in order of first appearance (LiveRowResult::device indexes this).
    [[nodiscard]] const QStringList& devices() const { return devices_; }
    [[nodiscard]] const FeatureSchema& schema() const { return engine_.schema(); }
    [[nodiscard]] qint64 rowsStreamed() const { return rows_; }
    [[nodiscard]] qint64 flaggedRows() const { return qint64(tracker_.flaggedRows()); }

    LiveEngine(const LiveEngine&) = delete;
    LiveEngine& operator=(const LiveEngine&) = delete;

private:
    LiveEngine(std::shared_ptr<const AnomalyModel> model, FeatureEngine engine, SensorCatalog catalog,
               ScoreFilterParams filter, AlertRules rules, double threshold);
    /// The instrument diagnostic of the device's latest sample (signalDiagnostics()'s rule), or -1.
    [[nodiscard]] int diagnosticOf(std::size_t device, qint64 tsMs, OpState state) const;
    [[nodiscard]] int deviceIndex(const QString& device);

    std::shared_ptr<const AnomalyModel> model_;
    FeatureEngine engine_;
    ScoreFilterParams filter_;  // the model's score filter
    Explainer explainer_;       // refers to *model_, which the shared pointer keeps alive
    IncidentTracker tracker_;
    std::vector<IncidentScoreFilter> incidentFilters_;  // per device index
    QStringList devices_;
    std::vector<FeatureStream> streams_;  // per device index
    std::vector<ScoreFilter> filters_;    // per device index
    std::vector<SignalHealth> health_;    // per device index
    SensorCatalog catalog_;
    FeatureMatrix row_;              // one feature row, reused
    std::vector<OpState> rowState_;  // its state, for AnomalyModel::score
    qint64 rows_ = 0;
};

}  // namespace itap
