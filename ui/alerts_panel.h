#pragma once

#include "alarms/alarm_journal.h"
#include "pipeline/analysis.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTableWidget;

namespace itap {

class AlertListModel;
class ExplanationView;

/// The operator's alarm summary with drill-down: a table over the shared AlertListModel in the ISA-18.2
/// summary order (unacknowledged first, then priority, then newest; the state column's order, and any header
/// sorts), filtered by minimum severity, device, cause and free text; selecting an alarm shows its journal
/// history and its ExplanationView — the explanation core computed for the alert's peak row — and asks for
/// the device's traces.
///
/// Operator actions on the selected alarms (several at once): Acknowledge, Shelve (1 h / 8 h / 24 h / until,
/// with a reason), Unshelve, Add note, Verdict, on the buttons above the list, in its context menu and on the
/// keyboard (Space acknowledges, Ctrl+F goes to the filter, Enter opens the drill-down, Delete deletes
/// nothing, Tab leaves the table). "Show on device" asks for the device view at the incident.
///
/// The panel does not read or write the store: it emits seriesRequested(), actionRequested(),
/// historyRequested() and refreshRequested(), and shows what setDeviceSeries(), setHistory() and the model
/// bring. GUI thread only.
class AlertsPanel : public QWidget {
    Q_OBJECT

public:
    /// From this width on the list and the explanation sit side by side; narrower, the list is on top.
    static constexpr int kSideBySideWidth = 1500;

    /// Severity filter choices, in combo-box order.
    enum class SeverityFilter { All, WarningAndAbove, CriticalOnly };

    /// `model` is shared with the rest of the window (it is not owned).
    explicit AlertsPanel(AlertListModel* model, QWidget* parent = nullptr);
    ~AlertsPanel() override;

    /// The fleet and analysis the model's alerts came from (peak rows index fleet.table and
    /// analysis.flagged). Both must stay alive, unchanged, until the next setContext() or clearContext(),
    /// like a view's model. The selected alert stays selected when it still exists.
    void setContext(const itap::FleetFeatures& fleet, const itap::Analysis& analysis);
    void clearContext();

    void setSeverityFilter(SeverityFilter filter);
    /// Empty = every device / cause.
    void setDeviceFilter(const QString& device);
    void setCauseFilter(const QString& cause);
    /// Case-insensitive, matched against every column, the rule id, the fault tag and the top features.
    void setTextFilter(const QString& text);
    /// Lists the events and suppressed alarms too (the "Include events and suppressed" box); off by default.
    void setShowAll(bool all);

    /// Selects the alert in row `proxyRow` of the filtered list (what a click does).
    void selectRow(int proxyRow);
    /// Adds the alert in row `proxyRow` to the selection (what a Ctrl+click does).
    void addRowToSelection(int proxyRow);
    /// Alarm ids of the selected rows, in the list's order.
    [[nodiscard]] QStringList selectedAlarmIds() const;
    /// The sensor catalog's families, offered as fault types of a confirmed verdict.
    void setFaultFamilies(const QStringList& families);

    // Operator actions on the selected alarms: each emits actionRequested() (nothing when none is selected).
    void acknowledgeSelected();
    void shelveSelected(qint64 untilMs, const QString& reason);
    void unshelveSelected();
    void noteSelected(const QString& text);
    void verdictSelected(itap::Verdict verdict, itap::FaultTypeSource source = itap::FaultTypeSource::None,
                         const QString& faultType = {});
    // The same through their dialogs (non-modal; the dialog is a child of the panel until it closes).
    void openShelveDialog(const QString& preset);
    void openNoteDialog();
    void openConfirmedVerdictDialog();
    /// Shows the selected alarm's explanation and moves the focus into the drill-down (Enter).
    void openDrillDown();
    /// Asks for the device view at the selected incident (showOnDeviceRequested()).
    void showSelectedOnDevice();

    /// An action failed: a message box, and the line under the list, say why (nothing was changed).
    void showActionError(const QString& message);
    /// One line under the list (what the last action did, why it failed).
    void setActionStatus(const QString& text);
    [[nodiscard]] QString actionStatusText() const;
    /// The journal rows of an alarm (answering historyRequested()); shown when it is the current alarm.
    void setHistory(const QString& alarmId, const std::vector<itap::JournalEntry>& rows);
    [[nodiscard]] QTableWidget* historyTable() const { return history_; }
    [[nodiscard]] QPushButton* acknowledgeButton() const { return ackButton_; }
    [[nodiscard]] QLineEdit* textFilter() const { return text_; }
    /// The actions of the buttons and the context menu, by object name ("acknowledgeAction", ...).
    [[nodiscard]] QList<QAction*> alarmActions() const;
    /// Alerts passing the filters.
    [[nodiscard]] int visibleCount() const;
    [[nodiscard]] QTableView* table() const { return table_; }
    [[nodiscard]] QSortFilterProxyModel* proxy() const;
    [[nodiscard]] ExplanationView* explanationView() const { return explanation_; }
    /// Id of the alert shown in the explanation view, empty when none.
    [[nodiscard]] QString currentAlertId() const { return currentId_; }

public slots:
    /// A device's telemetry, answering seriesRequested(); shown when it is the selected alert's device.
    void setDeviceSeries(const itap::DeviceSeries& series);

protected:
    void resizeEvent(QResizeEvent* event) override;

signals:
    /// The explanation view needs `device`'s telemetry: answer with setDeviceSeries().
    void seriesRequested(const QString& device);
    /// The operator acted on the alarms `ids` (AlarmJournal::act(); the operator name is filled in by the
    /// receiver).
    void actionRequested(const QStringList& ids, const itap::OperatorAction& action);
    /// The drill-down needs the journal rows of `alarmId`: answer with setHistory().
    void historyRequested(const QString& alarmId);
    /// The operator asked to re-read the journal (F5, the Refresh button).
    void refreshRequested();
    /// The operator asked to see `device` in the device view around [fromMs, toMs].
    void showOnDeviceRequested(const QString& device, qint64 fromMs, qint64 toMs);
    /// The operator selected an alert (its id and device).
    void alertSelected(const QString& alertId, const QString& device);

private:
    class FilterProxy;

    void onCurrentChanged(const QModelIndex& current);
    void showAlert(int sourceRow);
    void showKpis(const itap::AlarmKpis& kpis);
    void refillFilterChoices();
    void updateCount();
    void createAlarmActions();
    void updateActionsEnabled();
    bool eventFilter(QObject* watched, QEvent* event) override;

    AlertListModel* model_ = nullptr;
    FilterProxy* proxy_ = nullptr;
    QTableView* table_ = nullptr;
    QComboBox* severity_ = nullptr;
    QComboBox* device_ = nullptr;
    QComboBox* cause_ = nullptr;
    QLineEdit* text_ = nullptr;
    QLabel* count_ = nullptr;
    QLabel* kpis_ = nullptr;
    QCheckBox* showAll_ = nullptr;
    QSplitter* split_ = nullptr;
    bool splitSized_ = false;  // the first resize set the list/explanation proportions
    ExplanationView* explanation_ = nullptr;
    QWidget* drillDown_ = nullptr;
    QTableWidget* history_ = nullptr;
    QLabel* actionStatus_ = nullptr;
    QPushButton* ackButton_ = nullptr;
    QPushButton* shelveButton_ = nullptr;
    QPushButton* verdictButton_ = nullptr;
    QAction* ackAction_ = nullptr;
    QAction* unshelveAction_ = nullptr;
    QAction* noteAction_ = nullptr;
    QAction* showOnDeviceAction_ = nullptr;
    QAction* refreshAction_ = nullptr;
    QMenu* shelveMenu_ = nullptr;
    QMenu* verdictMenu_ = nullptr;
    QStringList faultFamilies_;

    const itap::FleetFeatures* fleet_ = nullptr;
    const itap::Analysis* analysis_ = nullptr;
    std::shared_ptr<const itap::DeviceSeries>
        series_;  // the last device received, reused while it is selected
    QString currentId_;
    QString currentDevice_;
};

}  // namespace itap
