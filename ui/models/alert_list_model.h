#pragma once

#include "alarms/alarm_summary.h"
#include "alerts/alarm_record.h"
#include "alerts/alert.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>

#include <vector>

namespace itap {

/// The operator's alert list: one row per core Alert, newest first (start time descending, then device, then
/// id), joined with the alarm journal's record of the same id (setAlarms()): its ISA-18.2 state, shelf and
/// verdict. An incident the journal does not know shows the state core gives it before the journal
/// (statusOfIncident()).
///
/// Display strings are formatted here; SortRole gives the raw value of every column so a
/// QSortFilterProxyModel sorts numbers and times correctly; the state column's SortRole is the row's place
/// in the alarm summary order (summaryBefore()), so sorting by it ascending is the summary. GUI thread only.
class AlertListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        StateColumn,  ///< the alarm state: a glyph and its words (bold while unacknowledged)
        SeverityColumn,
        TimeColumn,  ///< start of the incident (UTC); raised, cleared and peak are in the tooltip
        DeviceColumn,
        CauseColumn,
        VerdictColumn,     ///< the operator's verdict, with the fault type of a confirmed one
        ConfidenceColumn,  ///< percent
        ScoreColumn,       ///< peak score
        CountColumn,       ///< its rows flagged by the score (header "Flagged"); all rows in the tooltip
        ColumnCount
    };

    enum Roles {
        SortRole = Qt::UserRole + 1,  ///< raw value of the column (number, epoch ms, text)
        SeverityRole,                 ///< int(itap::Severity), any column
        SeverityColorRole,            ///< QColor of the severity, any column
        TimestampRole,                ///< start, UTC epoch ms (qint64), any column
        DeviceRole,                   ///< device id, any column
        CauseRole,                    ///< operator wording of the cause, any column
        AlertIdRole,                  ///< Alert::id, any column
        PeakRowRole,                  ///< ScoreTable row of the peak (qulonglong), any column
        AnnunciatedRole,              ///< bool: Alert::reachesOperator(), any column
        AlarmStateRole,               ///< int(itap::AlarmState), any column
        UnackedRole,                  ///< bool: the alarm demands a response (AlarmStatus::annunciates())
        JournaledRole,                ///< bool: the journal holds the alarm (setAlarms() gave its record)
    };

    explicit AlertListModel(QObject* parent = nullptr);

    /// Replaces every alert (a full reset: the list is rebuilt after each scoring or threshold change).
    void setAlerts(std::vector<itap::Alert> alerts);
    /// Live mode: replaces the alert with `alert.id` in place (dataChanged, or a move when its start changed)
    /// or inserts it where newest-first order puts it (a new live alert lands at the top). Returns its row.
    int upsert(const itap::Alert& alert);
    /// Removes every alert (a reset).
    void clear();
    /// The journal's alarms: each row whose Alert::id is among them shows its state, shelf and verdict. Rows
    /// keep their place; the summary order is recomputed.
    void setAlarms(const std::vector<itap::AlarmRecord>& alarms);
    /// The journal's record of the alert in `row`, or null when the journal does not hold it.
    [[nodiscard]] const itap::AlarmRecord* alarmAt(int row) const;
    /// The alarm status of `row`: the journal's, else statusOfIncident().
    [[nodiscard]] itap::AlarmStatus statusAt(int row) const;
    /// Active / unacknowledged / shelved over every row (countAlarms()).
    [[nodiscard]] itap::AlarmCounts counts() const;
    /// The alert shown in `row` (0 <= row < rowCount()).
    [[nodiscard]] const itap::Alert& alertAt(int row) const;
    /// Row of the alert with `id`, or -1.
    [[nodiscard]] int rowOf(const QString& id) const;
    [[nodiscard]] const std::vector<itap::Alert>& alerts() const { return alerts_; }

    /// "Alarm · active", "Event", "Suppressed (maintenance)", …: how the incident was classified (tooltip).
    [[nodiscard]] static QString statusText(const itap::Alert& alert);
    /// "Active, unacknowledged", "Shelved until 2026-01-01 08:00", …: what the state column says.
    [[nodiscard]] static QString stateText(const itap::AlarmStatus& status);
    /// The state's glyph: filled for active, hollow for cleared, a triangle while unacknowledged.
    [[nodiscard]] static QString stateGlyph(itap::AlarmState state);
    /// "Confirmed fault (Thermal)", "False alarm", "Unknown", or empty.
    [[nodiscard]] static QString verdictText(itap::Verdict verdict, const QString& faultType);
    /// The colour every view uses for a severity (red / amber / blue).
    [[nodiscard]] static QColor severityColor(itap::Severity severity);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    /// The order setAlerts() sorts by: start descending, then device, then id.
    [[nodiscard]] static bool newerFirst(const itap::Alert& a, const itap::Alert& b);

    /// Recomputes rank_ and tells views every row may have changed (its state, its place in the summary).
    void rerank();
    /// rank_ for the rows as they are, without telling anyone (inside a reset, insert or remove).
    void computeRanks();

    std::vector<itap::Alert> alerts_;
    QHash<QString, itap::AlarmRecord> alarms_;  // the journal's records, by id
    std::vector<int> rank_;                     // per row: its place in the summary order
};

}  // namespace itap
