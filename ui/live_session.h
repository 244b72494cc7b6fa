#pragma once

#include "alerts/alert.h"
#include "alerts/alert_rules.h"
#include "background_tasks.h"
#include "pipeline_controller.h"
#include "telemetry/simulation_profile.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace itap {

/// Where a live stream comes from and what it is scored with.
struct LiveSource {
    itap::PipelineResultPtr result;  ///< the run whose trained model scores the stream (and its catalog)
    /// The simulated fleet. Rows before liveFromMs replay the stored history: they only fill the feature
    /// windows. Rows from liveFromMs on are the live stream.
    itap::SimulationProfile profile;
    qint64 liveFromMs = 0;
    double threshold = 0;                             ///< alert threshold (the analysis shown)
    itap::AlertRules rules = AlertRules::defaults();  ///< the run's alert rules
    /// What incident urgency is measured against: the run's IncidentInputs::normalTail.
    std::shared_ptr<const itap::TailCalibration> normalTail;
    /// True when `profile` is the one that produced the stored fleet, so the stream continues it exactly;
    /// false when it is a fleet simulated to resemble it (an opened database).
    bool exactContinuation = false;
    /// The database whose alarm journal records the stream's incidents (AlarmJournal::record() on the
    /// worker, at most every LiveSession::kJournalIntervalMs); empty = not journaled (a run on a database the
    /// console may only read).
    QString journalDatabase;
};

/// Decimals the canonical CSV keeps (TelemetryCsvWriter's default), which is what the stored fleet the model
/// was trained on holds. The stream that continues `result`'s fleet for `liveHours` after its last stored
/// sample. With `simulated`, the profile that simulated the run, the continuation is exact (the simulator is
/// deterministic, so the same profile run longer repeats the stored rows and then goes on); without it, a
/// default-profile fleet with the stored fleet's size, interval and time span stands in.
/// The journal database is the run's when the run recorded its incidents (PipelineResult::journalUse).
[[nodiscard]] LiveSource continuationOf(const itap::PipelineResultPtr& result,
                                        const std::optional<itap::SimulationProfile>& simulated,
                                        double threshold, int liveHours = 24 * 7);

/// A scored live row, as the chart needs it.
struct LivePoint {
    int device = 0;  ///< index into LiveUpdate::devices
    qint64 tsMs = 0;
    float score = 0;
    bool flagged = false;
};

/// An alert the stream created or changed, in its latest state.
struct LiveAlertChange {
    itap::Alert alert;
    bool created = false;  ///< first seen in this update
};

/// What the worker hands the GUI at most every LiveSession::kDeliveryIntervalMs.
struct LiveUpdate {
    QStringList devices;                  ///< every device seen so far (LivePoint::device indexes it)
    std::vector<LivePoint> points;        ///< rows scored since the previous update, in stream order
    std::vector<LiveAlertChange> alerts;  ///< alerts created or merged into since the previous update
    qint64 rows = 0;                      ///< live rows scored so far
    qint64 flagged = 0;                   ///< of which at or above the threshold
    std::array<int, kSeverityCount> alertsBySeverity{};  ///< current severity of every alert so far
    qint64 simTimeMs = 0;                                ///< timestamp of the latest row
    double warmUpFraction = 1;  ///< < 1 while the stored history is replayed into the windows
    /// Incidents recorded in the alarm journal since the previous update, in their latest state, each with
    /// its stable alarm id (Alert::id; the live list keeps the stream's own ids).
    std::vector<itap::Alert> journaled;
    QString journalError;  ///< why journaling stopped (set once); the stream goes on
};

/// Streams a simulated fleet through a run's trained model on a worker thread: FleetSimulator produces the
/// telemetry, each row goes through LiveEngine (feature stream → score → explanation → alert tracker) as
/// simulated time passes at `speed` × real time, and the GUI gets the results in LiveUpdate batches over a
/// queued call, at most ~20 per second. Never re-runs the batch pipeline.
///
/// Control calls and signals are on the session's (GUI) thread; the worker only shares an atomic-flag block
/// with it and hands updates over through BackgroundTasks (a std::mutex inbox, which ThreadSanitizer can
/// follow). Destroying the session stops the worker and waits for it (within one row's work).
class LiveSession : public QObject {
    Q_OBJECT

public:
    static constexpr int kDeliveryIntervalMs = 50;
    /// How often, at most, the stream's changed incidents are recorded in the alarm journal (one
    /// transaction each time): a raise or a clear reaches the journal within this time.
    static constexpr int kJournalIntervalMs = 1000;
    static constexpr double kMinSpeed = 1;
    static constexpr double kMaxSpeed = 1000;

    /// The flags the GUI thread sets and the worker reads (defined in the .cpp).
    struct Control;

    explicit LiveSession(QObject* parent = nullptr);
    ~LiveSession() override;

    /// Starts streaming `source`; false (and failed() is not emitted) while a stream runs. Errors found on
    /// the worker (an incompatible model) arrive as failed().
    bool start(itap::LiveSource source);
    /// Ends the stream; stopped() follows once the worker has finished. Safe to call when idle.
    void stop();
    void setPaused(bool paused);
    /// Simulated seconds per real second, clamped to [kMinSpeed, kMaxSpeed]; takes effect at once.
    void setSpeed(double speed);
    /// Unthrottled: rows are streamed as fast as the worker can score them (tests and benchmarks).
    void setUnthrottled(bool on);

    [[nodiscard]] bool isRunning() const { return running_; }
    [[nodiscard]] bool isPaused() const;
    [[nodiscard]] double speed() const;

    /// Totals as delivered so far (GUI thread view).
    [[nodiscard]] qint64 rows() const { return rows_; }
    [[nodiscard]] qint64 flagged() const { return flagged_; }
    /// Every alert delivered so far, in creation order, in its latest state.
    [[nodiscard]] const std::vector<itap::Alert>& alerts() const { return alerts_; }
    [[nodiscard]] const QStringList& devices() const { return devices_; }

signals:
    void started();
    /// A batch of results; `update.alerts` are already in alerts().
    void updated(const itap::LiveUpdate& update);
    /// An alert reached CRITICAL (once per alert).
    void criticalAlert(const itap::Alert& alert);
    /// Incidents were recorded in the alarm journal (LiveUpdate::journaled).
    void journaled(const std::vector<itap::Alert>& alarms);
    /// Journaling stopped (the database could not be opened or written); the stream goes on.
    void journalFailed(const QString& message);
    /// The stream ended: `completed` when the simulated span ran out, false when stop() ended it.
    void stopped(bool completed);
    /// The stream could not start or broke off; `message` is one operator-readable line.
    void failed(const QString& message);

private:
    void deliver(const std::shared_ptr<itap::LiveUpdate>& update);
    void onWorkerDone(bool completed, const QString& error);

    std::shared_ptr<Control> control_;
    bool running_ = false;
    qint64 rows_ = 0;
    qint64 flagged_ = 0;
    std::vector<itap::Alert> alerts_;
    QHash<QString, std::size_t> alertIndex_;  // id → alerts_ position
    QSet<QString> critical_;                  // ids already notified
    QStringList devices_;
    BackgroundTasks tasks_;  // last: destroyed first, so the worker is joined before the state above goes
};

}  // namespace itap
