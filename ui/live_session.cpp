#include "live_session.h"

#include "alarms/alarm_journal.h"
#include "pipeline/live_engine.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"
#include "telemetry/simulation_continuation.h"
#include "telemetry/telemetry_csv_writer.h"

#include <QDateTime>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <limits>
#include <mutex>

namespace itap {

LiveSource continuationOf(const PipelineResultPtr& result, const std::optional<SimulationProfile>& simulated,
                          double threshold, int liveHours) {
    LiveSource source;
    source.result = result;
    source.threshold = threshold;
    if (!result)
        return source;
    source.rules = result->analysis.rules;
    if (result->scored.analysis.incidentInputs)  // threshold-independent: any re-derivation shares them
        source.normalTail = result->scored.analysis.incidentInputs->normalTail;
    if (result->journalUse == JournalUse::Record)
        source.journalDatabase = result->databasePath;
    const SimulationContinuation c = simulated ? continueSimulation(*simulated, liveHours)
                                               : standInSimulation(result->scored.fleet.table, liveHours);
    source.profile = c.profile;
    source.liveFromMs = c.liveFromMs;
    source.exactContinuation = c.exact;
    return source;
}

// Shared by the session (GUI thread) and its worker; the only state they share.
struct LiveSession::Control {
    std::atomic<bool> stop{false};
    std::atomic<bool> paused{false};
    std::atomic<bool> unthrottled{false};
    std::atomic<double> speed{100};
    std::atomic<quint64> epoch{0};  // bumped by every pacing change: the worker re-anchors its clock
    std::mutex mutex;               // only for the condition variable's waits
    std::condition_variable wake;

    void notify() {
        { const std::lock_guard lock(mutex); }
        wake.notify_all();
    }
};

namespace {

using Clock = std::chrono::steady_clock;

// The worker's side of a session: generates the fleet, streams it through a LiveEngine at the requested pace
// and posts LiveUpdates. Lives on the worker thread's stack.
class LiveWorker {
public:
    using Post = std::function<void(std::shared_ptr<LiveUpdate>)>;

    LiveWorker(LiveEngine& engine, LiveSession::Control& control, qint64 liveFromMs, qint64 warmRows,
               Post post, Store* journal)
        : engine_(engine),
          c_(control),
          liveFromMs_(liveFromMs),
          warmRows_(std::max<qint64>(1, warmRows)),
          post_(std::move(post)),
          journal_(journal),
          pending_(std::make_shared<LiveUpdate>()),
          lastPost_(Clock::now()),
          lastRecord_(Clock::now()) {}

    Status consume(const TelemetryBatch& b) {
        values_.resize(std::size_t(b.channelCount));
        for (std::size_t i = 0; i < b.rowCount(); ++i) {
            if (c_.stop.load(std::memory_order_relaxed))
                return Error::cancelled();
            const qint64 ts = b.tsMs[i];
            const double* raw = b.values.data() + i * values_.size();
            for (std::size_t c = 0; c < values_.size(); ++c)
                values_[c] = TelemetryCsvWriter::roundTrip(raw[c]);
            const double* values = values_.data();
            if (ts < liveFromMs_) {
                engine_.warm(b.deviceId[i], ts, b.state[i], values, b.errorCode[i]);
                if (++warmed_ % 2048 == 0) {
                    pending_->warmUpFraction = std::min(1.0, double(warmed_) / double(warmRows_));
                    pending_->simTimeMs = ts;
                    postIfDue(false);
                }
                continue;
            }
            if (ts != lastTs_) {
                lastTs_ = ts;
                if (!pace(ts))
                    return Error::cancelled();
            }
            const LiveRowResult r =
                engine_.push(b.deviceId[i], ts, b.state[i], values, b.errorCode[i], b.faultTag[i]);
            pending_->points.push_back({r.device, r.tsMs, r.score, r.flagged});
            pending_->simTimeMs = ts;
            pending_->warmUpFraction = 1;
            if (r.alert) {
                const Alert& alert = engine_.alerts()[r.alert->index];
                const auto it = pendingAlert_.constFind(r.alert->index);
                if (it != pendingAlert_.constEnd()) {
                    pending_->alerts[*it].alert = alert;  // keeps `created` from its first change
                } else {
                    pendingAlert_.insert(r.alert->index, pending_->alerts.size());
                    pending_->alerts.push_back({alert, r.alert->created});
                }
                if (journal_)
                    unjournaled_.insert(r.alert->index);
            }
            postIfDue(false);
        }
        return {};
    }

    void flush() { postIfDue(true); }

private:
    // Waits until the simulated clock reaches `ts`; false when the session stops meanwhile. Delivers what is
    // pending while it waits, so at ×1 a row reaches the GUI when it happens, not a batch later.
    bool pace(qint64 ts) {
        for (;;) {
            if (c_.stop.load())
                return false;
            if (c_.paused.load()) {
                postIfDue(true);  // the counters stop where the rows stopped
                std::unique_lock lock(c_.mutex);
                c_.wake.wait(lock, [this] { return c_.stop.load() || !c_.paused.load(); });
                anchored_ = false;
                continue;
            }
            if (c_.unthrottled.load())
                return true;
            const Clock::time_point now = Clock::now();
            const quint64 epoch = c_.epoch.load();
            if (!anchored_ || epoch != epoch_) {
                anchored_ = true;
                epoch_ = epoch;
                simAnchor_ = ts;
                wallAnchor_ = now;
                return true;
            }
            const double speed = std::max(LiveSession::kMinSpeed, c_.speed.load());
            const auto target =
                wallAnchor_ + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double, std::milli>(double(ts - simAnchor_) / speed));
            if (now >= target) {
                // More than a second behind (the machine could not keep up): carry on from here rather than
                // rushing to catch up.
                if (now - target > std::chrono::seconds(1)) {
                    simAnchor_ = ts;
                    wallAnchor_ = now;
                }
                return true;
            }
            postIfDue(false);
            const auto nextPost = lastPost_ + std::chrono::milliseconds(LiveSession::kDeliveryIntervalMs);
            std::unique_lock lock(c_.mutex);
            c_.wake.wait_until(lock, pending_->points.empty() ? target : std::min(target, nextPost));
        }
    }

    // Records the engine's incidents in the alarm journal when one changed and kJournalIntervalMs passed
    // (or `force`): one transaction with all of them, so the ids stay those of the same episodes; the
    // changed ones go to the GUI with their stable ids.
    void recordIfDue(bool force, Clock::time_point now) {
        if (!journal_ || unjournaled_.isEmpty())
            return;
        if (!force && now - lastRecord_ < std::chrono::milliseconds(LiveSession::kJournalIntervalMs))
            return;
        lastRecord_ = now;
        std::vector<Alert> incidents = engine_.alerts();
        auto recorded = AlarmJournal(*journal_).record(incidents, QDateTime::currentMSecsSinceEpoch());
        if (!recorded) {
            pending_->journalError = recorded.error().toString();
            journal_ = nullptr;
            unjournaled_.clear();
            return;
        }
        for (std::size_t index : unjournaled_) pending_->journaled.push_back(incidents[index]);
        unjournaled_.clear();
    }

    void postIfDue(bool force) {
        const Clock::time_point now = Clock::now();
        recordIfDue(force, now);
        if (!force && now - lastPost_ < std::chrono::milliseconds(LiveSession::kDeliveryIntervalMs))
            return;
        if (force && pending_->points.empty() && pending_->alerts.empty() && pending_->journaled.empty() &&
            pending_->journalError.isEmpty() && posted_ == engine_.rowsStreamed() &&
            pending_->warmUpFraction >= 1 && postedOnce_)
            return;
        LiveUpdate& u = *pending_;
        u.devices = engine_.devices();
        u.rows = engine_.rowsStreamed();
        u.flagged = engine_.flaggedRows();
        for (const Alert& a : engine_.alerts()) ++u.alertsBySeverity[std::size_t(a.severity)];
        posted_ = u.rows;
        postedOnce_ = true;
        post_(std::move(pending_));
        pending_ = std::make_shared<LiveUpdate>();
        pendingAlert_.clear();
        lastPost_ = now;
    }

    LiveEngine& engine_;
    LiveSession::Control& c_;
    const qint64 liveFromMs_;
    const qint64 warmRows_;
    Post post_;
    Store* journal_;                 // null: not journaled
    QSet<std::size_t> unjournaled_;  // tracker indices changed since the last record
    std::shared_ptr<LiveUpdate> pending_;
    std::vector<double> values_;                    // the current sample at stored precision
    QHash<std::size_t, std::size_t> pendingAlert_;  // tracker alert index → pending_->alerts position
    Clock::time_point lastPost_;
    Clock::time_point lastRecord_;
    qint64 posted_ = -1;
    bool postedOnce_ = false;
    qint64 warmed_ = 0;
    qint64 lastTs_ = std::numeric_limits<qint64>::min();
    bool anchored_ = false;
    quint64 epoch_ = 0;
    qint64 simAnchor_ = 0;
    Clock::time_point wallAnchor_;
};

}  // namespace

LiveSession::LiveSession(QObject* parent) : QObject(parent), control_(std::make_shared<Control>()) {}

LiveSession::~LiveSession() {
    control_->stop = true;
    control_->notify();
    // tasks_, the last member, joins the worker; what it still posted is dropped.
}

bool LiveSession::isPaused() const {
    return control_->paused.load();
}

double LiveSession::speed() const {
    return control_->speed.load();
}

void LiveSession::setPaused(bool paused) {
    control_->paused = paused;
    control_->epoch.fetch_add(1);
    control_->notify();
}

void LiveSession::setSpeed(double speed) {
    control_->speed = std::clamp(speed, kMinSpeed, kMaxSpeed);
    control_->epoch.fetch_add(1);
    control_->notify();
}

void LiveSession::setUnthrottled(bool on) {
    control_->unthrottled = on;
    control_->epoch.fetch_add(1);
    control_->notify();
}

void LiveSession::stop() {
    if (!running_)
        return;
    control_->stop = true;
    control_->notify();
}

bool LiveSession::start(LiveSource source) {
    if (running_)
        return false;
    control_->stop = false;
    rows_ = flagged_ = 0;
    alerts_.clear();
    alertIndex_.clear();
    critical_.clear();
    devices_.clear();
    running_ = true;

    // The worker reads only its copies and the immutable run; it reaches the session only through tasks_,
    // which the session's destructor joins before anything it could reach is gone.
    struct Outcome {
        bool completed = false;
        QString error;
    };
    tasks_.run<Outcome>(
        "itap-live",
        [this, control = control_, source = std::move(source)]() -> Outcome {
            if (!source.result)
                return {false, tr("No trained model: run the pipeline first.")};
            const PipelineResult& run = *source.result;
            auto engine =
                LiveEngine::create(std::shared_ptr<const AnomalyModel>(source.result, &run.scored.model),
                                   run.catalog, source.rules, source.threshold);
            if (!engine)
                return {false, engine.error().toString()};
            (*engine)->setNormalTail(source.normalTail);
            const FleetSimulator simulator(source.profile, run.catalog);
            const qint64 warmSamples = warmSamplesPerDevice(source.profile, source.liveFromMs);
            auto post = [this](std::shared_ptr<LiveUpdate> update) {
                tasks_.post([this, update = std::move(update)] { deliver(update); });
            };
            // The journal's connection belongs to this thread, which records into it.
            std::unique_ptr<Store> journal;
            if (!source.journalDatabase.isEmpty()) {
                auto opened = Store::open(source.journalDatabase, nullptr);
                if (opened && !(*opened)->isReadOnly()) {
                    journal = std::move(opened).value();
                } else {
                    auto failure = std::make_shared<LiveUpdate>();
                    failure->journalError =
                        opened ? tr("the database is open read-only") : opened.error().toString();
                    post(std::move(failure));
                }
            }
            LiveWorker worker(**engine, *control, source.liveFromMs, warmSamples * source.profile.devices,
                              post, journal.get());
            const auto summary =
                simulator.generate([&worker](const TelemetryBatch& batch) { return worker.consume(batch); });
            worker.flush();
            if (summary)
                return {true, QString()};
            if (summary.error().kind == Error::Kind::Cancelled)
                return {false, QString()};
            return {false, summary.error().toString()};
        },
        [this](Outcome outcome) { onWorkerDone(outcome.completed, outcome.error); });
    emit started();
    return true;
}

void LiveSession::deliver(const std::shared_ptr<LiveUpdate>& update) {
    if (!running_)
        return;
    rows_ = update->rows;
    flagged_ = update->flagged;
    devices_ = update->devices;
    for (const LiveAlertChange& change : update->alerts) {
        const Alert& a = change.alert;
        const auto it = alertIndex_.constFind(a.id);
        if (it != alertIndex_.constEnd()) {
            alerts_[*it] = a;
        } else {
            alertIndex_.insert(a.id, alerts_.size());
            alerts_.push_back(a);
        }
    }
    emit updated(*update);
    if (!update->journaled.empty())
        emit journaled(update->journaled);
    if (!update->journalError.isEmpty())
        emit journalFailed(update->journalError);
    for (const LiveAlertChange& change : update->alerts) {
        if (change.alert.severity == Severity::Critical && change.alert.annunciated() &&
            !critical_.contains(change.alert.id)) {
            critical_.insert(change.alert.id);
            emit criticalAlert(change.alert);
        }
    }
}

void LiveSession::onWorkerDone(bool completed, const QString& error) {
    running_ = false;
    control_->paused = false;
    if (!error.isEmpty()) {
        emit failed(error);
        return;
    }
    emit stopped(completed);
}

}  // namespace itap
