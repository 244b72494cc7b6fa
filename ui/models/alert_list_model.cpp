#include "models/alert_list_model.h"

#include "common/time_util.h"

#include <QDateTime>
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
    computeRanks();  // before views ask for the state column's order
    endResetModel();
}

void AlertListModel::clear() {
    beginResetModel();
    alerts_.clear();
    alarms_.clear();
    rank_.clear();
    endResetModel();
}

void AlertListModel::setAlarms(const std::vector<AlarmRecord>& alarms) {
    alarms_.clear();
    alarms_.reserve(qsizetype(alarms.size()));
    for (const AlarmRecord& r : alarms) alarms_.insert(r.id, r);
    rerank();
}

const AlarmRecord* AlertListModel::alarmAt(int row) const {
    const auto it = alarms_.constFind(alertAt(row).id);
    return it == alarms_.constEnd() ? nullptr : &*it;
}

AlarmStatus AlertListModel::statusAt(int row) const {
    const AlarmRecord* r = alarmAt(row);
    return r ? r->status : statusOfIncident(alertAt(row));
}

AlarmCounts AlertListModel::counts() const {
    std::vector<AlarmRecord> rows(alerts_.size());
    for (int row = 0; row < rowCount(); ++row) rows[std::size_t(row)].status = statusAt(row);
    return countAlarms(rows);
}

void AlertListModel::rerank() {
    computeRanks();
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void AlertListModel::computeRanks() {
    const int n = rowCount();
    std::vector<AlarmSummaryKey> keys(static_cast<std::size_t>(n));
    for (int row = 0; row < n; ++row) {
        const Alert& a = alertAt(row);
        keys[std::size_t(row)] = {statusAt(row).state(), a.severity, a.startMs, a.id};
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) order[std::size_t(i)] = i;
    std::sort(order.begin(), order.end(),
              [&](int x, int y) { return summaryBefore(keys[std::size_t(x)], keys[std::size_t(y)]); });
    rank_.assign(std::size_t(n), 0);
    for (int i = 0; i < n; ++i) rank_[std::size_t(order[std::size_t(i)])] = i;
}

int AlertListModel::upsert(const Alert& alert) {
    const int old = rowOf(alert.id);
    if (old >= 0 && alerts_[std::size_t(old)].startMs == alert.startMs) {
        // Same place in the order (an alert's start and id never change once raised): update in place.
        alerts_[std::size_t(old)] = alert;
        rerank();  // one dataChanged: this row, and the others' places in the summary
        return old;
    }
    if (old >= 0) {
        beginRemoveRows({}, old, old);
        alerts_.erase(alerts_.begin() + old);
        computeRanks();
        endRemoveRows();
    }
    const auto at = std::lower_bound(alerts_.begin(), alerts_.end(), alert, &AlertListModel::newerFirst);
    const int row = int(at - alerts_.begin());
    beginInsertRows({}, row, row);
    alerts_.insert(at, alert);
    computeRanks();
    endInsertRows();
    rerank();  // the other rows' places in the summary moved too
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

QString AlertListModel::stateGlyph(AlarmState state) {
    switch (state) {
        case AlarmState::ActiveUnacked:
            return QStringLiteral("\u25B2");  // ▲
        case AlarmState::ClearedUnacked:
            return QStringLiteral("\u25B3");  // △
        case AlarmState::ActiveAcked:
            return QStringLiteral("\u25CF");  // ●
        case AlarmState::Closed:
            return QStringLiteral("\u25CB");  // ○
        case AlarmState::Shelved:
            return QStringLiteral("\u25D4");  // ◔
        case AlarmState::Suppressed:
            return QStringLiteral("\u2298");  // ⊘
        case AlarmState::Event:
            return QStringLiteral("\u00B7");  // ·
    }
    return {};
}

QString AlertListModel::stateText(const AlarmStatus& status) {
    switch (status.state()) {
        case AlarmState::ActiveUnacked:
            return tr("Active, unacknowledged");
        case AlarmState::ActiveAcked:
            return tr("Active, acknowledged");
        case AlarmState::ClearedUnacked:
            return tr("Cleared, unacknowledged");
        case AlarmState::Closed:
            return tr("Closed");
        case AlarmState::Shelved:
            return tr("Shelved until %1")
                .arg(QDateTime::fromMSecsSinceEpoch(status.shelvedUntilMs, Qt::UTC)
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        case AlarmState::Suppressed:
            return tr("Suppressed");
        case AlarmState::Event:
            return tr("Event");
    }
    return {};
}

QString AlertListModel::verdictText(Verdict verdict, const QString& faultType) {
    switch (verdict) {
        case Verdict::None:
            return {};
        case Verdict::Confirmed:
            return faultType.isEmpty() ? tr("Confirmed fault") : tr("Confirmed fault (%1)").arg(faultType);
        case Verdict::FalseAlarm:
            return tr("False alarm");
        case Verdict::Unknown:
            return tr("Unknown");
    }
    return {};
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
    const AlarmRecord* record = alarmAt(index.row());
    const AlarmStatus status = record ? record->status : statusOfIncident(a);
    const QLocale locale;
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case StateColumn:
                    return stateGlyph(status.state()) + QLatin1Char(' ') + stateText(status);
                case SeverityColumn:
                    return severityName(a.severity);
                case VerdictColumn:
                    return record ? verdictText(record->verdict, record->faultType) : QString();
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
                case StateColumn:
                    return std::size_t(index.row()) < rank_.size() ? rank_[std::size_t(index.row())]
                                                                   : index.row();
                case SeverityColumn:
                    return static_cast<int>(a.severity);
                case VerdictColumn:
                    return record ? verdictText(record->verdict, record->faultType) : QString();
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
            // An alarm demanding a response is bold across the row (and says so in its state column: not by
            // colour alone); a critical severity is bold in its own cell.
            if (status.annunciates() ||
                (index.column() == SeverityColumn && a.severity == Severity::Critical)) {
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
            tip += QLatin1Char('\n') + (record ? tr("Alarm %1: %2").arg(a.id, stateText(status))
                                               : tr("Not in the alarm journal: %1").arg(stateText(status)));
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
        case AlarmStateRole:
            return static_cast<int>(status.state());
        case UnackedRole:
            return status.annunciates();
        case JournaledRole:
            return record != nullptr;
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
        case StateColumn:
            return tr("State");
        case SeverityColumn:
            return tr("Severity");
        case VerdictColumn:
            return tr("Verdict");
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
    names.insert(AlarmStateRole, "alarmState");
    names.insert(UnackedRole, "unacknowledged");
    names.insert(JournaledRole, "journaled");
    names.insert(TimestampRole, "timestamp");
    names.insert(DeviceRole, "device");
    names.insert(CauseRole, "cause");
    names.insert(AlertIdRole, "alertId");
    names.insert(PeakRowRole, "peakRow");
    return names;
}

}  // namespace itap
