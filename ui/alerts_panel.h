#pragma once

#include "pipeline/analysis.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace itap {

class AlertListModel;
class ExplanationView;

/// The operator's alert list with drill-down: a table over the shared AlertListModel (newest first, sortable)
/// filtered by minimum severity, device, cause and free text; selecting an alert shows its ExplanationView —
/// the explanation core computed for the alert's peak row — and asks for the device's traces.
///
/// The panel does not read the store: it emits seriesRequested() and shows what setDeviceSeries() brings.
/// GUI thread only.
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
    /// The operator selected an alert (its id and device).
    void alertSelected(const QString& alertId, const QString& device);

private:
    class FilterProxy;

    void onCurrentChanged(const QModelIndex& current);
    void showAlert(int sourceRow);
    void showKpis(const itap::AlarmKpis& kpis);
    void refillFilterChoices();
    void updateCount();

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

    const itap::FleetFeatures* fleet_ = nullptr;
    const itap::Analysis* analysis_ = nullptr;
    std::shared_ptr<const itap::DeviceSeries>
        series_;  // the last device received, reused while it is selected
    QString currentId_;
    QString currentDevice_;
};

}  // namespace itap
