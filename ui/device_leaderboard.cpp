#include "device_leaderboard.h"

#include "models/device_summary_model.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace itap {

DeviceLeaderboard::DeviceLeaderboard(QWidget* parent) : QWidget(parent) {
    model_ = new DeviceSummaryModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(DeviceSummaryModel::SortRole);
    proxy_->setFilterKeyColumn(DeviceSummaryModel::DeviceColumn);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    filter_ = new QLineEdit;
    filter_->setPlaceholderText(tr("Filter devices…"));
    filter_->setClearButtonEnabled(true);
    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

    view_ = new QTableView;
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(DeviceSummaryModel::RankColumn, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setSectionResizeMode(DeviceSummaryModel::FamilyColumn, QHeaderView::Stretch);

    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    emit deviceSelected(current.data(DeviceSummaryModel::DeviceRole).toString());
            });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(filter_);
    layout->addWidget(view_);
}

void DeviceLeaderboard::setDevices(std::vector<DeviceSummary> devices) {
    model_->setDevices(std::move(devices));
}

bool DeviceLeaderboard::selectDevice(const QString& device) {
    const int row = model_->rowOf(device);
    if (row < 0)
        return false;
    const QModelIndex index = proxy_->mapFromSource(model_->index(row, DeviceSummaryModel::DeviceColumn));
    if (!index.isValid())
        return false;
    view_->selectionModel()->setCurrentIndex(index,
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->scrollTo(index);
    return true;
}

QSize DeviceLeaderboard::sizeHint() const {
    // Typical widest cell of each column (the header may be wider), plus room for the sort indicator.
    static const char* const samples[DeviceSummaryModel::ColumnCount] = {
        "999", "DEV-0000", "9,999", "999", "0.000", "0.000", "0.000", "Temperature (100 %)"};
    const QFontMetrics fm(view_->font());
    int width = 2 * view_->frameWidth() + 12;
    for (int c = 0; c < DeviceSummaryModel::ColumnCount; ++c)
        width += std::max(fm.horizontalAdvance(model_->headerData(c, Qt::Horizontal).toString()),
                          fm.horizontalAdvance(QString::fromUtf8(samples[c]))) +
                 22;
    return {width, QWidget::sizeHint().height()};
}

QString DeviceLeaderboard::selectedDevice() const {
    const QModelIndex current = view_->selectionModel()->currentIndex();
    return current.isValid() ? current.data(DeviceSummaryModel::DeviceRole).toString() : QString();
}

}  // namespace itap
