#pragma once

// The alarm journal: incidents become alarms with stable ids, every lifecycle transition and operator action
// becomes an append-only journal row, all in the store (storage/store.h, schema version 2). One class for the
// CLI, the console, live mode and the tests.
//
// Sequential contract: every writing call is one stage of the store (beginStage, lockJournal, reads, writes,
// commitStage), so an interrupted call leaves the journal as it was, and concurrent writers (two consoles,
// two `itap alarms ack`) serialise and each sees what the other committed. Each writing call first ends the
// shelves whose time has come (a ShelveExpired row at the shelf's end), so no caller sees an expired shelf.
// Errors: BadInput for what the caller asked (unknown id, an action the state does not allow, a bad
// duration, operator or fault type), Failure for the database (read-only included); nothing is written then.

#include "alerts/alarm_record.h"
#include "alerts/alert.h"
#include "storage/store.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <optional>
#include <vector>

namespace itap {

/// Where a confirmed verdict's fault type comes from.
enum class FaultTypeSource : std::uint8_t {
    None,           ///< no fault type
    CatalogFamily,  ///< one of the sensor catalog's families (matched case-insensitively, stored as spelt
                    ///< there)
    FreeText,       ///< anything else the operator writes
};

/// One operator action on one or more alarms.
struct OperatorAction {
    AlarmAction action = AlarmAction::Note;  ///< Acknowledge, Shelve, Unshelve, Note or Verdict
    QString operatorName;                    ///< see AlarmJournal::checkOperatorName()
    /// Note: the text (required). Shelve: the reason (required). Otherwise an optional remark.
    QString note;
    qint64 shelveUntilMs = -1;        ///< Shelve: when the shelf ends (see AlarmJournal::checkShelf())
    Verdict verdict = Verdict::None;  ///< Verdict
    FaultTypeSource faultTypeSource = FaultTypeSource::None;  ///< Verdict Confirmed only
    QString faultType;
};

/// What AlarmJournal::record() did.
struct RecordSummary {
    int incidents = 0;    ///< incidents recorded
    int newAlarms = 0;    ///< of them, new to the journal
    int journalRows = 0;  ///< rows appended (transitions, shelf expiries)
};

class AlarmJournal {
public:
    /// Two derivations of one device are one episode when their spans overlap or lie at most this far apart.
    /// The default off-delay (IncidentParams::offDelayS): closer excursions would have been one incident.
    static constexpr qint64 kEpisodeToleranceMs = 5 * 60 * 1000;
    /// The longest shelf: a week. Longer silences are a maintenance matter (suppression by design), not an
    /// operator's shelf.
    static constexpr qint64 kMaxShelveMs = 7LL * 24 * 3600 * 1000;
    static constexpr int kMaxOperatorLength = 64;
    static constexpr int kMaxTextLength = 4000;  ///< notes, shelve reasons and free-text fault types
    /// The operator of process events and shelf expiries; reserved.
    static inline const QString kSystemOperator = QStringLiteral("system");
    /// Version of every JSON shape below and of `itap alarms --json`.
    static constexpr int kJsonSchemaVersion = 1;

    explicit AlarmJournal(Store& store) : store_(store) {}

    /// The id rule. An incident of device D takes the id of the stored alarm of D whose episode
    /// [firstStartMs, spanEndMs] overlaps its span [startMs, max(endMs, clearedMs)] (each widened by
    /// kEpisodeToleranceMs); when several pairs overlap, the largest overlap pairs first (ties: the earlier
    /// stored episode, then the earlier incident), and each stored alarm gives its id to at most one incident
    /// of a batch. Any other incident gets a new id: its Alert::id ("<device>@<start>"), with "#2", "#3", ...
    /// appended when that is taken. The same episode thus keeps its id when it is re-derived at another
    /// threshold, by another run or another model; an episode that splits keeps its id in its part with the
    /// largest overlap. Pure: returns one id per incident, in order.
    [[nodiscard]] static QStringList assignIds(const std::vector<Alert>& incidents,
                                               const std::vector<AlarmRecord>& stored);

    /// Records the incidents of an analysis: new ones as alarms (a Raise row, and a Clear row when already
    /// cleared), known ones updated to their latest derivation with a row for each transition (Reopen when a
    /// cleared alarm is active again, Clear, Update when its kind or suppression changed). Operator
    /// "system", at `nowMs`. Sets each incident's id to its stable id. Nothing is ever deleted: a stored
    /// alarm the incidents do not mention stays as it is.
    [[nodiscard]] Result<RecordSummary> record(std::vector<Alert>& incidents, qint64 nowMs);

    /// The stable ids the incidents would get (assignIds() against the store), without writing.
    [[nodiscard]] Result<QStringList> idsOf(const std::vector<Alert>& incidents);

    /// Every alarm, ordered as Store::readAlarms(), with the shelves that ended by `nowMs` ended: recorded
    /// (ShelveExpired rows) when the store is writable, only in the returned records when it is read-only.
    [[nodiscard]] Result<std::vector<AlarmRecord>> alarms(qint64 nowMs);

    /// The journal rows of `alarmId`, or of every alarm when empty; oldest first.
    [[nodiscard]] Result<std::vector<JournalEntry>> entries(const QString& alarmId = {});

    /// Applies `action` to each alarm of `ids` (in order, duplicates once) at `nowMs`, in one transaction:
    /// every alarm gets its row, or (on any error, e.g. one unknown id) nothing is written. Returns the rows
    /// written.
    [[nodiscard]] Result<std::vector<JournalEntry>> act(const QStringList& ids, const OperatorAction& action,
                                                        qint64 nowMs);

    /// The verdicts of the alarms `ids` (ids not in the journal count as unjudged alarms).
    [[nodiscard]] Result<VerdictSummary> verdicts(const QStringList& ids);

    /// Records that `change.operatorName` made `change.toThreshold` the operating threshold of model
    /// `change.modelId` (was `change.fromThreshold`) at `change.atMs`: one row of `threshold_changes`, which
    /// are per model, not per alarm. BadInput (nothing written) for a bad operator name
    /// (checkOperatorName()), an empty model id, a threshold outside [0, 1] or not finite, a change to the
    /// same threshold, or a bad note; Failure for the database (read-only included). Returns the change as
    /// stored (id, trimmed names).
    [[nodiscard]] Result<ThresholdChange> recordThresholdChange(ThresholdChange change);
    /// The threshold changes of `modelId` (all models when empty), oldest first.
    [[nodiscard]] Result<std::vector<ThresholdChange>> thresholdChanges(const QString& modelId = {});
    /// The latest threshold change of `modelId`: its toThreshold is the model's operating threshold. nullopt
    /// when none was recorded (the analysis' own threshold applies).
    [[nodiscard]] Result<std::optional<ThresholdChange>> operatingThreshold(const QString& modelId);
    /// What recordThresholdChange() refuses, without the database.
    [[nodiscard]] static Status checkThresholdChange(const ThresholdChange& change);

    /// Non-empty after trimming, at most kMaxOperatorLength characters, no control characters, not
    /// kSystemOperator.
    [[nodiscard]] static Status checkOperatorName(const QString& name);
    /// A shelf from `nowMs` until `untilMs`: strictly later, at most kMaxShelveMs later.
    [[nodiscard]] static Status checkShelf(qint64 nowMs, qint64 untilMs);
    /// A shelf's length: a positive number and a unit, "90s", "30m", "1h", "8h", "24h", "1.5d"; at most
    /// kMaxShelveMs. BadInput naming the text otherwise.
    [[nodiscard]] static Result<qint64> parseDuration(const QString& text);
    /// The shelf lengths an operator is offered first (ISA-18.2 practice: an hour, a shift, a day).
    [[nodiscard]] static QStringList shelvePresets() {
        return {QStringLiteral("1h"), QStringLiteral("8h"), QStringLiteral("24h")};
    }

private:
    /// Ends the due shelves of `alarms` (in place) and returns the rows that records; writes nothing.
    static std::vector<JournalEntry> expireShelves(std::vector<AlarmRecord>& alarms, qint64 nowMs);
    /// Writes `alarm` and appends `rows` inside the caller's stage.
    [[nodiscard]] Status persist(const AlarmRecord& alarm, std::vector<JournalEntry>& rows);
    /// The fault type `action` stores: validated, a catalog family spelt as in the catalog.
    [[nodiscard]] Result<QString> faultTypeOf(const OperatorAction& action) const;

    Store& store_;
};

/// The --json shapes (schema kJsonSchemaVersion): one alarm, one journal row.
[[nodiscard]] nlohmann::json alarmRecordJson(const AlarmRecord& alarm);
[[nodiscard]] nlohmann::json journalEntryJson(const JournalEntry& entry);
/// The journal as CSV: a header, then one line per row (id, alarm_id, at, operator, action, from_state,
/// to_state, note, detail); fields quoted as RFC 4180 when needed.
[[nodiscard]] QByteArray journalCsv(const std::vector<JournalEntry>& entries);
/// metrics.json's "alarm_verdicts" block.
[[nodiscard]] nlohmann::json verdictSummaryJson(const VerdictSummary& summary);
/// One threshold change (`itap alarms thresholds --json`): id, model_id, at, operator, from_threshold,
/// to_threshold, note.
[[nodiscard]] nlohmann::json thresholdChangeJson(const ThresholdChange& change);
/// The journal and the threshold changes as one document: schema_version, journal (journalEntryJson() rows)
/// and threshold_changes (thresholdChangeJson() rows).
[[nodiscard]] nlohmann::json journalExportJson(const std::vector<JournalEntry>& entries,
                                               const std::vector<ThresholdChange>& changes);
/// How many of `alarms` are in each state (indexed by AlarmState).
[[nodiscard]] std::array<int, kAlarmStateCount> countByState(const std::vector<AlarmRecord>& alarms);

/// The files exportJournal() writes into its directory.
inline constexpr const char* kJournalCsvFile = "alarm_journal.csv";
inline constexpr const char* kJournalJsonFile = "alarm_journal.json";
/// Writes the whole journal of `store` into `dir` (which must exist) as kJournalCsvFile (journalCsv()) and
/// kJournalJsonFile (journalExportJson()), each through OutputFile (a reader never sees half a file; a failed
/// export leaves an older file as it was). Works on a read-only store. Returns the paths written.
[[nodiscard]] Result<QStringList> exportJournal(Store& store, const QString& dir);

}  // namespace itap
