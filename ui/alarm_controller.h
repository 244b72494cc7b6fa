#pragma once

#include "background_tasks.h"

#include "alarms/alarm_journal.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

class QTimer;

namespace itap {

/// The console's side of the alarm journal (core/alarms/alarm_journal.h). Every call runs on a worker that
/// opens the store itself (a QtSql connection belongs to the thread that opened it, as
/// PipelineController::loadDevice does) and answers on the GUI thread with a signal.
///
/// Sharing: a poll every kPollIntervalMs reads only Store::latestJournalId(); when another connection (a
/// second console, `itap alarms ack`, live mode) appended a row it re-reads the alarms and emits
/// alarmsChanged(). Answers are applied newest journal first: an answer that saw an older journal than the
/// one shown is dropped, so a slow poll never undoes a fresher refresh. GUI thread only.
class AlarmController : public QObject {
    Q_OBJECT

public:
    static constexpr int kPollIntervalMs = 1000;

    explicit AlarmController(QObject* parent = nullptr);
    ~AlarmController() override;

    /// The database the alarms live in (a Store::open spec) and the newest journal row the caller already
    /// shows; an empty spec forgets it. Starts the poll when polling is on.
    void setDatabase(const QString& spec, qint64 shownJournalId);
    [[nodiscard]] const QString& database() const { return database_; }
    /// Who the operator actions are recorded as (checked by AlarmJournal::act()).
    void setOperatorName(const QString& name) { operatorName_ = name; }
    [[nodiscard]] const QString& operatorName() const { return operatorName_; }

    /// Applies `action` (as operatorName()) to the alarms `ids` at the current time; answers acted() and then
    /// alarmsChanged(), or actionFailed() with nothing written.
    void act(const QStringList& ids, itap::OperatorAction action);
    /// Re-reads every alarm: alarmsChanged(), or refreshFailed().
    void refresh();
    /// Reads the journal rows of one alarm: historyLoaded(), or refreshFailed().
    void loadHistory(const QString& alarmId);
    /// Polls the journal every kPollIntervalMs (on by default).
    void setPolling(bool on);
    [[nodiscard]] bool isPolling() const;
    /// The newest journal row the alarms shown reflect.
    [[nodiscard]] qint64 shownJournalId() const { return shownJournalId_; }
    /// Worker tasks not answered yet (tests wait for 0).
    [[nodiscard]] int pendingTasks() const { return tasks_.active(); }

signals:
    /// The alarms of the journal as they are now.
    void alarmsChanged(const std::vector<itap::AlarmRecord>& alarms);
    /// An action was recorded: its journal rows.
    void acted(const std::vector<itap::JournalEntry>& rows);
    /// An action was refused or failed; nothing was written. One operator-readable line.
    void actionFailed(const QString& message);
    void historyLoaded(const QString& alarmId, const std::vector<itap::JournalEntry>& rows);
    void refreshFailed(const QString& message);

private:
    struct Snapshot;
    void poll();
    void startRead(bool onlyWhenChanged);
    void apply(const Snapshot& snapshot);

    QString database_;
    QString operatorName_;
    qint64 shownJournalId_ = 0;
    quint64 generation_ = 0;  // bumped by setDatabase(): answers about another database are dropped
    bool pollInFlight_ = false;
    QTimer* pollTimer_ = nullptr;
    BackgroundTasks tasks_;  // last: destroyed first, so its threads are joined before the state above goes
};

}  // namespace itap
