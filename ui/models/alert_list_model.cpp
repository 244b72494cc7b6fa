#include "models/alert_list_model.h"

#include "common/time_util.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace itap {

AlertListModel::AlertListModel(QObject* parent) : QAbstractTableModel(parent) {}

// Newest first is what a control room reads top-down; ties are broken so the order is deterministic.
bool AlertListModel::newerFirst(const Alert& a, const Alert& b) {
    if (a.startMs != b.startMs)
        return a.startMs > b.startMs;
    if (a.device != b.device)
        return a.device < b.device;
    return a.id < b.id;
}

void AlertListModel::setAlerts(std::vector<Alert> alerts) {
    std::stable_sort(alerts.begin(), alerts.end(), &AlertListModel::newerFirst);
    beginResetModel();
    alerts_ = std::move(alerts);
    endResetModel();
}

void AlertListModel::clear() {
    beginResetModel();
    alerts_.clear();
    endResetModel();
}

int AlertListModel::upsert(const Alert& alert) {
    const int old = rowOf(alert.id);
    if (old >= 0 && alerts_[std::size_t(old)].startMs == alert.startMs) {
        // Same place in the order (an alert's start and id never change once raised): update in place.
        alerts_[std::size_t(old)] = alert;
        emit dataChanged(index(old, 0), index(old, ColumnCount - 1));
        return old;
    }
    if (old >= 0) {
        beginRemoveRows({}, old, old);
        alerts_.erase(alerts_.begin() + old);
        endRemoveRows();
    }
    const auto at = std::lower_bound(alerts_.begin(), alerts_.end(), alert, &AlertListModel::newerFirst);
    const int row = int(at - alerts_.begin());
    beginInsertRows({}, row, row);
    alerts_.insert(at, alert);
    endInsertRows();
    return row;
}

const Alert& AlertListModel::alertAt(int row) const {
    Q_ASSERT(row >= 0 && row < rowCount());
    return alerts_[static_cast<std::size_t>(row)];
}

int AlertListModel::rowOf(const QString& id) const {
    for (std::size_t i = 0; i < alerts_.size(); ++i)
        if (alerts_[i].id == id)
            return static_cast<int>(i);
    return -1;
}

QString AlertListModel::statusText(const Alert& a) {
    if (a.kind == IncidentKind::Event)
        return tr("Event");
    switch (a.suppression) {
        case Suppression::Maintenance:
            return tr("Suppressed (maintenance)");
        case Suppression::StateTransition:
            return tr("Suppressed (state change)");
        case Suppression::None:
            break;
    }
    if (a.carriedByFleet)
        return a.active() ? tr("Fleet · active") : tr("Fleet · cleared");
    return a.active() ? tr("Alarm · active") : tr("Alarm · cleared");
}

QColor AlertListModel::severityColor(Severity severity) {
    switch (severity) {
        case Severity::Critical:
            return QColor(0xc6, 0x28, 0x28);
        case Severity::Warning:
            return QColor(0xe0, 0x8e, 0x0b);
        case Severity::Info:
            return QColor(0x1e, 0x6f, 0xb8);
    }
    return QColor(Qt::gray);
}

int AlertListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(alerts_.size());
}

int AlertListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert& a = alerts_[static_cast<std::size_t>(index.row())];
    const QLocale locale;
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case SeverityColumn:
                    return severityName(a.severity);
                case StatusColumn:
                    return statusText(a);
                case TimeColumn:
                    return formatUtcTimestampHuman(a.startMs);
                case DeviceColumn:
                    return a.device;
                case CauseColumn:
                    return a.cause;
                case ConfidenceColumn:
                    return locale.toString(a.confidence * 100.0, 'f', 0) + QStringLiteral(" %");
                case ScoreColumn:
                    return locale.toString(a.peakScore, 'f', 3);
                case CountColumn:
                    return locale.toString(a.count);
                default:
                    return {};
            }
        case SortRole:
            switch (index.column()) {
                case SeverityColumn:
                    return static_cast<int>(a.severity);
                case StatusColumn:
                    return statusText(a);
                case TimeColumn:
                    return a.startMs;
                case DeviceColumn:
                    return a.device;
                case CauseColumn:
                    return a.cause;
                case ConfidenceColumn:
                    return a.confidence;
                case ScoreColumn:
                    return a.peakScore;
                case CountColumn:
                    return a.count;
                default:
                    return {};
            }
        case Qt::ForegroundRole:
            if (index.column() == SeverityColumn)
                return severityColor(a.severity);
            return {};
        case Qt::FontRole:
            if (index.column() == SeverityColumn && a.severity == Severity::Critical) {
                QFont bold;
                bold.setBold(true);
                return bold;
            }
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == ConfidenceColumn || index.column() == ScoreColumn ||
                index.column() == CountColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        case Qt::ToolTipRole: {
            QString tip = tr("%1 on %2 (%3)\nfrom %4 to %5, raised %6, %7\npeak %8 (score %9)\n%10")
                              .arg(a.cause, a.device, statusText(a), formatUtcTimestampHuman(a.startMs),
                                   formatUtcTimestampHuman(a.endMs), formatUtcTimestampHuman(a.raisedMs),
                                   a.active() ? tr("still active")
                                              : tr("cleared %1").arg(formatUtcTimestampHuman(a.clearedMs)),
                                   formatUtcTimestampHuman(a.peakMs), locale.toString(a.peakScore, 'f', 3))
                              .arg(a.action.isEmpty() ? tr("No suggested action.") : a.action);
            tip += QLatin1Char('\n') + tr("%1 rows, %2 of them flagged by the score")
                                           .arg(locale.toString(a.rows), locale.toString(a.count));
            for (const SignalDiagnostic& d : a.diagnostics)
                tip += QLatin1Char('\n') + (d.condition == SignalCondition::Missing
                                                ? tr("Instrument: %1 sent no data from %2 to %3")
                                                : tr("Instrument: %1 repeated one value from %2 to %3"))
                                               .arg(d.channel, formatUtcTimestampHuman(d.firstMs),
                                                    formatUtcTimestampHuman(d.lastMs));
            return tip;
        }
        case SeverityRole:
            return static_cast<int>(a.severity);
        case SeverityColorRole:
            return severityColor(a.severity);
        case AnnunciatedRole:
            return a.reachesOperator();
        case TimestampRole:
            return a.startMs;
        case DeviceRole:
            return a.device;
        case CauseRole:
            return a.cause;
        case AlertIdRole:
            return a.id;
        case PeakRowRole:
            return static_cast<qulonglong>(a.peakRow);
        default:
            return {};
    }
}

QVariant AlertListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case SeverityColumn:
            return tr("Severity");
        case StatusColumn:
            return tr("Status");
        case TimeColumn:
            return tr("Start (UTC)");
        case DeviceColumn:
            return tr("Device");
        case CauseColumn:
            return tr("Cause");
        case ConfidenceColumn:
            return tr("Confidence");
        case ScoreColumn:
            return tr("Peak score");
        case CountColumn:
            return tr("Flagged");
        default:
            return {};
    }
}

QHash<int, QByteArray> AlertListModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(SeverityRole, "severity");
    names.insert(SeverityColorRole, "severityColor");
    names.insert(AnnunciatedRole, "annunciated");
    names.insert(TimestampRole, "timestamp");
    names.insert(DeviceRole, "device");
    names.insert(CauseRole, "cause");
    names.insert(AlertIdRole, "alertId");
    names.insert(PeakRowRole, "peakRow");
    return names;
}

}  // namespace itap
