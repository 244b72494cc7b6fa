#include "models/device_summary_model.h"

#include "common/time_util.h"
#include "models/alert_list_model.h"

#include <QLocale>

namespace itap {

DeviceSummaryModel::DeviceSummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void DeviceSummaryModel::setDevices(std::vector<DeviceSummary> devices) {
    beginResetModel();
    devices_ = std::move(devices);
    endResetModel();
}

const DeviceSummary& DeviceSummaryModel::deviceAt(int row) const {
    Q_ASSERT(row >= 0 && row < rowCount());
    return devices_[static_cast<std::size_t>(row)];
}

int DeviceSummaryModel::rowOf(const QString& device) const {
    for (std::size_t i = 0; i < devices_.size(); ++i)
        if (devices_[i].device == device)
            return static_cast<int>(i);
    return -1;
}

int DeviceSummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(devices_.size());
}

int DeviceSummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceSummaryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceSummary& d = devices_[static_cast<std::size_t>(index.row())];
    const int critical = d.alertsBySeverity[static_cast<std::size_t>(Severity::Critical)];
    const QLocale locale;
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case RankColumn:
                    return d.healthRank;
                case DeviceColumn:
                    return d.device;
                case AlertsColumn:
                    return locale.toString(d.alerts);
                case CriticalColumn:
                    return locale.toString(critical);
                case MeanScoreColumn:
                    return locale.toString(d.meanScore, 'f', 3);
                case P95ScoreColumn:
                    return locale.toString(d.p95Score, 'f', 3);
                case MaxScoreColumn:
                    return locale.toString(d.maxScore, 'f', 3);
                case FamilyColumn:
                    if (d.families.empty())
                        return tr("—");
                    return tr("%1 (%2 %)")
                        .arg(d.families.front().family, locale.toString(d.families.front().percent, 'f', 0));
                default:
                    return {};
            }
        case SortRole:
            switch (index.column()) {
                case RankColumn:
                    return d.healthRank;
                case DeviceColumn:
                    return d.device;
                case AlertsColumn:
                    return d.alerts;
                case CriticalColumn:
                    return critical;
                case MeanScoreColumn:
                    return d.meanScore;
                case P95ScoreColumn:
                    return d.p95Score;
                case MaxScoreColumn:
                    return d.maxScore;
                case FamilyColumn:
                    return d.families.empty() ? QString() : d.families.front().family;
                default:
                    return {};
            }
        case Qt::TextAlignmentRole:
            if (index.column() == DeviceColumn || index.column() == FamilyColumn)
                return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ForegroundRole:
            if (index.column() == CriticalColumn && critical > 0)
                return AlertListModel::severityColor(Severity::Critical);
            return {};
        case Qt::ToolTipRole: {
            QStringList mix;
            for (const FamilyShare& f : d.families)
                mix << tr("%1 %2 %").arg(f.family, locale.toString(f.percent, 'f', 1));
            QString text = tr("%1: %2 of %3 rows flagged")
                               .arg(d.device, locale.toString(qulonglong(d.flaggedRows)),
                                    locale.toString(qulonglong(d.rows)));
            if (d.firstFlaggedMs && d.lastFlaggedMs)
                text += tr("\nflagged from %1 to %2")
                            .arg(formatUtcTimestampHuman(*d.firstFlaggedMs),
                                 formatUtcTimestampHuman(*d.lastFlaggedMs));
            if (!mix.isEmpty())
                text += tr("\nfamilies: %1").arg(mix.join(QStringLiteral(", ")));
            return text;
        }
        case DeviceRole:
            return d.device;
        case RankRole:
            return d.healthRank;
        case FlaggedRowsRole:
            return static_cast<qulonglong>(d.flaggedRows);
        default:
            return {};
    }
}

QVariant DeviceSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case RankColumn:
            return tr("Rank");
        case DeviceColumn:
            return tr("Device");
        case AlertsColumn:
            return tr("Alerts");
        case CriticalColumn:
            return tr("Critical");
        case MeanScoreColumn:
            return tr("Mean");
        case P95ScoreColumn:
            return tr("P95");
        case MaxScoreColumn:
            return tr("Max");
        case FamilyColumn:
            return tr("Dominant family");
        default:
            return {};
    }
}

QHash<int, QByteArray> DeviceSummaryModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(DeviceRole, "device");
    names.insert(RankRole, "rank");
    names.insert(FlaggedRowsRole, "flaggedRows");
    return names;
}

}  // namespace itap
