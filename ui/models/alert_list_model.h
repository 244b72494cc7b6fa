#pragma once

#include "alerts/alert.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace itap {

/// The operator's alert list: one row per core Alert, newest first (start time descending, then device, then
/// id).
///
/// Display strings are formatted here; SortRole gives the raw value of every column so a
/// QSortFilterProxyModel sorts numbers and times correctly. GUI thread only.
class AlertListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        SeverityColumn,
        StatusColumn,  ///< alarm active / cleared, event, suppressed, in a fleet incident
        TimeColumn,    ///< start of the incident (UTC); raised, cleared and peak are in the tooltip
        DeviceColumn,
        CauseColumn,
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
    };

    explicit AlertListModel(QObject* parent = nullptr);

    /// Replaces every alert (a full reset: the list is rebuilt after each scoring or threshold change).
    void setAlerts(std::vector<itap::Alert> alerts);
    /// Live mode: replaces the alert with `alert.id` in place (dataChanged, or a move when its start changed)
    /// or inserts it where newest-first order puts it (a new live alert lands at the top). Returns its row.
    int upsert(const itap::Alert& alert);
    /// Removes every alert (a reset).
    void clear();
    /// The alert shown in `row` (0 <= row < rowCount()).
    [[nodiscard]] const itap::Alert& alertAt(int row) const;
    /// Row of the alert with `id`, or -1.
    [[nodiscard]] int rowOf(const QString& id) const;
    [[nodiscard]] const std::vector<itap::Alert>& alerts() const { return alerts_; }

    /// "Alarm · active", "Event", "Suppressed (maintenance)", …: what the status column shows.
    [[nodiscard]] static QString statusText(const itap::Alert& alert);
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

    std::vector<itap::Alert> alerts_;
};

}  // namespace itap
