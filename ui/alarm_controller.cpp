#include "alarm_controller.h"

#include "storage/store.h"

#include <QDateTime>
#include <QTimer>

#include <memory>

namespace itap {

// What a worker read: the newest journal row id first, then (when asked) every alarm, so the alarms are at
// least as new as the id says.
struct AlarmController::Snapshot {
    quint64 generation = 0;
    qint64 journalId = 0;
    bool hasAlarms = false;
    std::vector<AlarmRecord> alarms;
    QString error;
};

namespace {

Result<std::unique_ptr<Store>> openJournal(const QString& spec) {
    return Store::open(spec, nullptr);
}

}  // namespace

AlarmController::AlarmController(QObject* parent) : QObject(parent) {
    pollTimer_ = new QTimer(this);
    pollTimer_->setInterval(kPollIntervalMs);
    connect(pollTimer_, &QTimer::timeout, this, &AlarmController::poll);
    pollTimer_->start();
}

AlarmController::~AlarmController() = default;

void AlarmController::setDatabase(const QString& spec, qint64 shownJournalId) {
    database_ = spec;
    shownJournalId_ = shownJournalId;
    ++generation_;
    pollInFlight_ = false;
}

void AlarmController::setPolling(bool on) {
    if (on)
        pollTimer_->start();
    else
        pollTimer_->stop();
}

bool AlarmController::isPolling() const {
    return pollTimer_->isActive();
}

void AlarmController::poll() {
    if (database_.isEmpty() || pollInFlight_)
        return;
    startRead(true);
}

void AlarmController::refresh() {
    if (database_.isEmpty())
        return;
    startRead(false);
}

void AlarmController::startRead(bool onlyWhenChanged) {
    if (onlyWhenChanged)
        pollInFlight_ = true;
    const quint64 generation = generation_;
    const qint64 shown = shownJournalId_;
    tasks_.run<Snapshot>(
        onlyWhenChanged ? "itap-alarm-poll" : "itap-alarm-read",
        [spec = database_, generation, shown, onlyWhenChanged]() -> Snapshot {
            Snapshot out;
            out.generation = generation;
            auto store = openJournal(spec);
            if (!store) {
                out.error = store.error().toString();
                return out;
            }
            auto id = (*store)->latestJournalId();
            if (!id) {
                out.error = id.error().toString();
                return out;
            }
            out.journalId = *id;
            if (onlyWhenChanged && *id == shown)
                return out;
            auto alarms = AlarmJournal(**store).alarms(QDateTime::currentMSecsSinceEpoch());
            if (!alarms) {
                out.error = alarms.error().toString();
                return out;
            }
            out.alarms = std::move(alarms).value();
            out.hasAlarms = true;
            return out;
        },
        [this, onlyWhenChanged](Snapshot snapshot) {
            if (onlyWhenChanged && snapshot.generation == generation_)
                pollInFlight_ = false;
            apply(snapshot);
        });
}

void AlarmController::apply(const Snapshot& snapshot) {
    if (snapshot.generation != generation_)
        return;  // about a database no longer shown
    if (!snapshot.error.isEmpty()) {
        emit refreshFailed(snapshot.error);
        return;
    }
    if (!snapshot.hasAlarms || snapshot.journalId < shownJournalId_)
        return;
    shownJournalId_ = snapshot.journalId;
    emit alarmsChanged(snapshot.alarms);
}

void AlarmController::act(const QStringList& ids, OperatorAction action) {
    if (database_.isEmpty()) {
        emit actionFailed(tr("No database is open."));
        return;
    }
    action.operatorName = operatorName_;
    struct Outcome {
        quint64 generation = 0;
        std::vector<JournalEntry> rows;
        QString error;
        Snapshot after;
    };
    tasks_.run<Outcome>(
        "itap-alarm-act",
        [spec = database_, ids, action, generation = generation_]() -> Outcome {
            Outcome out;
            out.generation = generation;
            out.after.generation = generation;
            auto store = openJournal(spec);
            if (!store) {
                out.error = store.error().toString();
                return out;
            }
            AlarmJournal journal(**store);
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            auto rows = journal.act(ids, action, now);
            if (!rows) {
                out.error = rows.error().toString();
                return out;
            }
            out.rows = std::move(rows).value();
            // The alarms as this action left them, read on the same connection: the list never shows the
            // state from before the operator's own action.
            auto id = (*store)->latestJournalId();
            auto alarms = journal.alarms(now);
            if (!id || !alarms) {
                out.after.error = !id ? id.error().toString() : alarms.error().toString();
                return out;
            }
            out.after.journalId = *id;
            out.after.alarms = std::move(alarms).value();
            out.after.hasAlarms = true;
            return out;
        },
        [this](Outcome outcome) {
            if (outcome.generation != generation_)
                return;
            if (!outcome.error.isEmpty()) {
                emit actionFailed(outcome.error);
                return;
            }
            emit acted(outcome.rows);
            apply(outcome.after);
        });
}

void AlarmController::loadHistory(const QString& alarmId) {
    if (database_.isEmpty() || alarmId.isEmpty())
        return;
    struct Outcome {
        quint64 generation = 0;
        std::vector<JournalEntry> rows;
        QString error;
    };
    tasks_.run<Outcome>(
        "itap-alarm-hist",
        [spec = database_, alarmId, generation = generation_]() -> Outcome {
            Outcome out;
            out.generation = generation;
            auto store = openJournal(spec);
            if (!store) {
                out.error = store.error().toString();
                return out;
            }
            auto rows = AlarmJournal(**store).entries(alarmId);
            if (!rows) {
                out.error = rows.error().toString();
                return out;
            }
            out.rows = std::move(rows).value();
            return out;
        },
        [this, alarmId](Outcome outcome) {
            if (outcome.generation != generation_)
                return;
            if (!outcome.error.isEmpty()) {
                emit refreshFailed(outcome.error);
                return;
            }
            emit historyLoaded(alarmId, outcome.rows);
        });
}

}  // namespace itap
