#pragma once

#include "aggregate/aggregate_summary.h"

#include <QWidget>

#include <vector>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace itap {

class DeviceSummaryModel;

/// The device leaderboard (worst health first): sortable by any column, filterable by device id.
/// Selecting a row emits deviceSelected(). GUI thread only.
class DeviceLeaderboard : public QWidget {
    Q_OBJECT

public:
    explicit DeviceLeaderboard(QWidget* parent = nullptr);

    void setDevices(std::vector<itap::DeviceSummary> devices);
    /// Selects (and scrolls to) `device`; false when it is not listed or filtered out.
    bool selectDevice(const QString& device);
    /// The device of the current row, or empty.
    [[nodiscard]] QString selectedDevice() const;

    /// Wide enough to show every column without scrolling.
    [[nodiscard]] QSize sizeHint() const override;

    [[nodiscard]] DeviceSummaryModel* model() const { return model_; }
    [[nodiscard]] QTableView* view() const { return view_; }

signals:
    void deviceSelected(const QString& device);

private:
    DeviceSummaryModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    QTableView* view_ = nullptr;
    QLineEdit* filter_ = nullptr;
};

}  // namespace itap
