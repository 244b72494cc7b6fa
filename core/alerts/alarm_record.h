#pragma once

// The alarm journal's rows as plain data: what the store keeps of an alarm, and one journal row.

#include "alerts/alarm_state.h"

#include <QString>

#include <optional>

namespace itap {

/// One alarm of the journal: an incident with a stable id, its latest derivation and its lifecycle.
struct AlarmRecord {
    QString id;  ///< stable across re-derivations (see AlarmJournal::assignIds())
    QString device;
    qint64 firstStartMs = 0;  ///< the earliest start of any derivation
    qint64 spanEndMs =
        0;  ///< the latest end (or clear) of any derivation: the episode is [firstStartMs, spanEndMs]
    // The latest derivation (Alert's fields of the same names).
    qint64 startMs = 0;
    qint64 raisedMs = 0;
    qint64 endMs = 0;
    qint64 clearedMs = -1;
    qint64 peakMs = 0;
    double peakScore = 0;
    QString cause;
    QString ruleId;
    Severity priority = Severity::Info;
    int reopened = 0;
    AlarmStatus status;
    Verdict verdict = Verdict::None;  ///< the latest verdict
    QString faultType;                ///< with a confirmed verdict: catalog family or free text
    qint64 createdMs = 0;             ///< when it entered the journal (UTC epoch ms)
    qint64 updatedMs = 0;             ///< its latest journal row

    [[nodiscard]] AlarmState state() const { return status.state(); }
};

/// One row of the append-only alarm journal: every transition and every operator action.
struct JournalEntry {
    qint64 id = 0;  ///< assigned by the store, increasing; ignored on input
    QString alarmId;
    qint64 atMs = 0;       ///< UTC epoch ms (wall clock; a shelf expiry: the shelf's end)
    QString operatorName;  ///< "system" for process events and shelf expiry
    AlarmAction action = AlarmAction::Note;
    std::optional<AlarmState> fromState;  ///< nullopt for Raise
    AlarmState toState = AlarmState::ActiveUnacked;
    QString note;
    QString detailJson = QStringLiteral("{}");  ///< a JSON object: the action's parameters
};

/// One change of a model's operating threshold (schema version 3, `threshold_changes`): an operator applied
/// another threshold than the one the analysis ran at (the console's Apply). Per model, not per alarm: the
/// latest change of a model is its operating threshold (AlarmJournal::operatingThreshold()).
struct ThresholdChange {
    qint64 id = 0;         ///< assigned by the store, increasing; ignored on input
    QString modelId;       ///< the model (AnomalyModel::modelId(), its content hash) whose threshold changed
    qint64 atMs = 0;       ///< UTC epoch ms (wall clock)
    QString operatorName;  ///< who applied it
    double fromThreshold = 0;  ///< the operating threshold before
    double toThreshold = 0;    ///< the operating threshold after
    QString note;              ///< optional remark
};

}  // namespace itap
