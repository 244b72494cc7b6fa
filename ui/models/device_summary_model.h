#pragma once

#include "aggregate/aggregate_summary.h"

#include <QAbstractTableModel>

#include <vector>

namespace itap {

/// The device leaderboard: one row per AggregateSummary::devices entry, in the aggregator's health-rank
/// order. SortRole gives raw values so a QSortFilterProxyModel sorts numbers numerically. GUI thread only.
class DeviceSummaryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        RankColumn,  ///< DeviceSummary::healthRank, 1 = worst
        DeviceColumn,
        AlertsColumn,
        CriticalColumn,
        MeanScoreColumn,
        P95ScoreColumn,
        MaxScoreColumn,
        FamilyColumn,  ///< dominant family of the device's explained flagged rows, with its share
        ColumnCount
    };

    enum Roles {
        SortRole = Qt::UserRole + 1,  ///< raw value of the column
        DeviceRole,                   ///< device id, any column
        RankRole,                     ///< health rank (int), any column
        FlaggedRowsRole,              ///< flagged rows (qulonglong), any column
    };

    explicit DeviceSummaryModel(QObject* parent = nullptr);

    /// Replaces every row (a full reset).
    void setDevices(std::vector<itap::DeviceSummary> devices);
    [[nodiscard]] const itap::DeviceSummary& deviceAt(int row) const;
    /// Row of `device`, or -1.
    [[nodiscard]] int rowOf(const QString& device) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    std::vector<itap::DeviceSummary> devices_;
};

}  // namespace itap
