#include "pattern_table_model.h"

#include "alert_list_model.h"
#include "common/time_util.h"

#include <QFont>
#include <QLocale>

namespace itap {

PatternTableModel::PatternTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void PatternTableModel::setPatterns(std::vector<FleetPattern> patterns) {
    beginResetModel();
    patterns_ = std::move(patterns);
    endResetModel();
}

int PatternTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(patterns_.size());
}

int PatternTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PatternTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FleetPattern& p = patterns_[std::size_t(index.row())];
    const bool systemic = p.verdict == PatternVerdict::Systemic;
    switch (role) {
        case Qt::DisplayRole: {
            const QLocale locale;
            switch (index.column()) {
                case PatternColumn:
                    return p.label;
                case VerdictColumn:
                    return systemic ? tr("SYSTEMIC") : tr("isolated");
                case DevicesColumn:
                    return p.devices.join(QStringLiteral(", "));
                case AtOnceColumn:
                    return locale.toString(p.concurrentDevices);
                case AlertsColumn:
                    return locale.toString(p.alertCount);
                case HighestColumn:
                    return severityName(p.highestSeverity);
                case SpanColumn:
                    return tr("%1 → %2").arg(formatUtcTimestampHuman(p.startMs), formatUtcTimestampHuman(p.endMs));
                default:
                    return {};
            }
        }
        case Qt::ForegroundRole:
            if (index.column() == VerdictColumn && systemic)
                return AlertListModel::severityColor(Severity::Critical);
            if (index.column() == HighestColumn)
                return AlertListModel::severityColor(p.highestSeverity);
            return {};
        case Qt::FontRole:
            if (index.column() == VerdictColumn && systemic) {
                QFont bold;
                bold.setBold(true);
                return bold;
            }
            return {};
        case Qt::ToolTipRole:
            if (index.column() == DevicesColumn)
                return p.devices.join(QStringLiteral(", "));
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == AtOnceColumn || index.column() == AlertsColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        default:
            return {};
    }
}

QVariant PatternTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case PatternColumn:
            return tr("Pattern");
        case VerdictColumn:
            return tr("Verdict");
        case DevicesColumn:
            return tr("Devices");
        case AtOnceColumn:
            return tr("At once");
        case AlertsColumn:
            return tr("Alerts");
        case HighestColumn:
            return tr("Highest");
        case SpanColumn:
            return tr("Span (UTC)");
        default:
            return {};
    }
}

}  // namespace itap
