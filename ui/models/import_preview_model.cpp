#include "models/import_preview_model.h"

#include "common/time_util.h"

#include <QLocale>

namespace itap {

ImportPreviewModel::ImportPreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void ImportPreviewModel::setPreview(const SensorCatalog& catalog, TelemetryBatch rows, bool withErrorCode,
                                    bool withLabels) {
    Q_ASSERT(rows.channelCount == catalog.size());
    beginResetModel();
    catalog_ = catalog;
    rows_ = std::move(rows);
    withErrorCode_ = withErrorCode;
    withLabels_ = withLabels;
    endResetModel();
}

void ImportPreviewModel::clear() {
    beginResetModel();
    catalog_ = SensorCatalog();
    rows_ = TelemetryBatch();
    withErrorCode_ = false;
    withLabels_ = false;
    endResetModel();
}

int ImportPreviewModel::errorCodeColumn() const {
    return withErrorCode_ ? kChannelColumn0 + catalog_.size() : -1;
}

int ImportPreviewModel::labelColumn() const {
    return withLabels_ ? kChannelColumn0 + catalog_.size() + (withErrorCode_ ? 1 : 0) : -1;
}

int ImportPreviewModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.rowCount());
}

int ImportPreviewModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid() || catalog_.size() == 0)
        return 0;
    return kChannelColumn0 + catalog_.size() + (withErrorCode_ ? 1 : 0) + (withLabels_ ? 1 : 0);
}

QVariant ImportPreviewModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const int column = index.column();
    const int channel = column - kChannelColumn0;
    const bool isChannel = channel >= 0 && channel < catalog_.size();
    switch (role) {
        case Qt::DisplayRole:
            if (column == TimeColumn)
                return formatUtcTimestamp(rows_.tsMs[row]);
            if (column == DeviceColumn)
                return rows_.deviceId[row];
            if (column == StateColumn)
                return opStateName(rows_.state[row]);
            if (isChannel) {
                const double v = rows_.value(row, channel);
                return isMissing(v) ? tr("—") : QLocale().toString(v, 'g', 7);
            }
            if (column == errorCodeColumn())
                return QLocale().toString(rows_.errorCode[row]);
            if (column == labelColumn())
                return rows_.faultTag[row].isEmpty() ? tr("normal") : rows_.faultTag[row];
            return {};
        case SortRole:
            if (column == TimeColumn)
                return rows_.tsMs[row];
            if (column == DeviceColumn)
                return rows_.deviceId[row];
            if (column == StateColumn)
                return static_cast<int>(rows_.state[row]);
            if (isChannel)
                return rows_.value(row, channel);
            if (column == errorCodeColumn())
                return rows_.errorCode[row];
            if (column == labelColumn())
                return rows_.faultTag[row];
            return {};
        case Qt::ToolTipRole:
            if (isChannel && isMissing(rows_.value(row, channel)))
                return tr("missing value");
            return tr("line %1 of the file").arg(rows_.sourceLine[row]);
        case Qt::TextAlignmentRole:
            if (isChannel || column == errorCodeColumn())
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SourceLineRole:
            return rows_.sourceLine[row];
        case FamilyRole:
            return isChannel ? catalog_.channel(channel).family : QString();
        default:
            return {};
    }
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < rowCount())
            return rows_.sourceLine[static_cast<std::size_t>(section)];
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (section < 0 || section >= columnCount())
        return {};
    const int channel = section - kChannelColumn0;
    const bool isChannel = channel >= 0 && channel < catalog_.size();
    if (role == Qt::DisplayRole) {
        if (section == TimeColumn)
            return tr("Time (UTC)");
        if (section == DeviceColumn)
            return tr("Device");
        if (section == StateColumn)
            return tr("State");
        if (isChannel) {
            const ChannelSpec& c = catalog_.channel(channel);
            return c.unit.isEmpty() ? c.name : tr("%1 [%2]").arg(c.name, c.unit);
        }
        if (section == errorCodeColumn())
            return tr("Error code");
        if (section == labelColumn())
            return tr("Label");
        return {};
    }
    if (role == Qt::ToolTipRole && isChannel) {
        const ChannelSpec& c = catalog_.channel(channel);
        const QLocale locale;
        return tr("%1 — family %2, valid range %3 … %4 %5")
            .arg(c.name, c.family, locale.toString(c.min), locale.toString(c.max), c.unit);
    }
    if (role == FamilyRole)
        return isChannel ? catalog_.channel(channel).family : QString();
    return {};
}

QHash<int, QByteArray> ImportPreviewModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(SourceLineRole, "sourceLine");
    names.insert(FamilyRole, "family");
    return names;
}

}  // namespace itap
