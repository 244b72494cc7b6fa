#include "alerts_panel.h"

#include "explanation_view.h"
#include "models/alert_list_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace itap {

// Filters on the raw alert (severity, device, cause, text) and tints the severity cell.
class AlertsPanel::FilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    int minSeverity = 0;
    bool annunciatedOnly = true;
    QString device;
    QString cause;
    QString text;

    void refresh() { invalidateFilter(); }

    QVariant data(const QModelIndex& index, int role) const override {
        if (role == Qt::BackgroundRole && index.column() == AlertListModel::SeverityColumn) {
            QColor c = QSortFilterProxyModel::data(index, AlertListModel::SeverityColorRole).value<QColor>();
            c.setAlpha(40);
            return c;
        }
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const auto* model = static_cast<const AlertListModel*>(sourceModel());
        if (parent.isValid() || row < 0 || row >= model->rowCount())
            return false;
        const Alert& a = model->alertAt(row);
        if (static_cast<int>(a.severity) < minSeverity)
            return false;
        if (annunciatedOnly && !a.reachesOperator())
            return false;
        if (!device.isEmpty() && a.device != device)
            return false;
        if (!cause.isEmpty() && a.cause != cause)
            return false;
        if (text.isEmpty())
            return true;
        for (int c = 0; c < AlertListModel::ColumnCount; ++c)
            if (model->index(row, c).data(Qt::DisplayRole).toString().contains(text, Qt::CaseInsensitive))
                return true;
        QStringList more{a.ruleId, a.faultTag, a.action, a.id};
        for (const NamedShare& f : a.topFeatures) more << f.name;
        return std::any_of(more.cbegin(), more.cend(),
                           [this](const QString& s) { return s.contains(text, Qt::CaseInsensitive); });
    }
};

AlertsPanel::AlertsPanel(AlertListModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    proxy_ = new FilterProxy(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(AlertListModel::SortRole);

    severity_ = new QComboBox;
    severity_->setObjectName(QStringLiteral("severityFilter"));
    severity_->addItem(tr("All severities"), 0);
    severity_->addItem(tr("Warning and above"), 1);
    severity_->addItem(tr("Critical only"), 2);
    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("deviceFilter"));
    cause_ = new QComboBox;
    cause_->setObjectName(QStringLiteral("causeFilter"));
    text_ = new QLineEdit;
    text_->setObjectName(QStringLiteral("textFilter"));
    text_->setPlaceholderText(tr("Search alerts…"));
    text_->setClearButtonEnabled(true);
    count_ = new QLabel;
    count_->setObjectName(QStringLiteral("alertCount"));
    showAll_ = new QCheckBox(tr("Include events and suppressed"));
    showAll_->setObjectName(QStringLiteral("showAllIncidents"));
    showAll_->setToolTip(
        tr("Events (no confident cause, small margin) and alarms suppressed by design are "
           "recorded but not annunciated; tick to list them too."));
    kpis_ = new QLabel;
    kpis_->setObjectName(QStringLiteral("alarmKpis"));
    kpis_->setWordWrap(true);
    kpis_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("alertTable"));
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(AlertListModel::TimeColumn, Qt::DescendingOrder);  // newest first
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    // Every column shows its whole text; the cause, the column operators read, takes the room the others
    // leave and never gets narrower than its longest wording (the table scrolls sideways before it elides).
    QHeaderView* header = table_->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AlertListModel::CauseColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(48);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    table_->setMinimumWidth(360);
    table_->setWordWrap(false);

    // The filters share the row; long device or cause names are elided in the closed combo box, not allowed
    // to widen the panel.
    auto* filters = new QHBoxLayout;
    for (QComboBox* box : {severity_, device_, cause_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(10);
        filters->addWidget(box, 1);
    }
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(kpis_);
    leftLayout->addLayout(filters);
    auto* textRow = new QHBoxLayout;
    textRow->addWidget(text_, 1);
    textRow->addWidget(showAll_);
    leftLayout->addLayout(textRow);
    leftLayout->addWidget(table_, 1);
    leftLayout->addWidget(count_);

    explanation_ = new ExplanationView;
    // In a narrow window the explanation scrolls rather than squeezing its charts until labels are elided.
    auto* explanationScroll = new QScrollArea;
    explanationScroll->setWidgetResizable(true);
    explanationScroll->setFrameShape(QFrame::NoFrame);
    explanationScroll->setWidget(explanation_);
    // Side by side on a wide screen; on a laptop-sized window the list goes on top so every column and the
    // explanation's charts keep their full width (resizeEvent picks the orientation).
    split_ = new QSplitter(Qt::Vertical);
    split_->addWidget(left);
    split_->addWidget(explanationScroll);
    split_->setStretchFactor(0, 2);
    split_->setStretchFactor(1, 3);
    split_->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split_);

    connect(severity_, &QComboBox::currentIndexChanged, this, [this] {
        proxy_->minSeverity = severity_->currentData().toInt();
        proxy_->refresh();
        updateCount();
    });
    connect(showAll_, &QCheckBox::toggled, this, [this](bool all) {
        proxy_->annunciatedOnly = !all;
        proxy_->refresh();
        updateCount();
    });
    connect(device_, &QComboBox::currentIndexChanged, this, [this] {
        proxy_->device = device_->currentData().toString();
        proxy_->refresh();
        updateCount();
    });
    connect(cause_, &QComboBox::currentIndexChanged, this, [this] {
        proxy_->cause = cause_->currentData().toString();
        proxy_->refresh();
        updateCount();
    });
    connect(text_, &QLineEdit::textChanged, this, [this](const QString& t) {
        proxy_->text = t.trimmed();
        proxy_->refresh();
        updateCount();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    // The model is rebuilt after every run and threshold change; the context that explains it follows with
    // setContext(), so nothing is looked up in between.
    connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        fleet_ = nullptr;
        analysis_ = nullptr;
    });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        refillFilterChoices();
        updateCount();
    });
    refillFilterChoices();
    updateCount();
}

AlertsPanel::~AlertsPanel() = default;

void AlertsPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() >= kSideBySideWidth ? Qt::Horizontal : Qt::Vertical;
    if (splitSized_ && split_->orientation() == wanted)
        return;
    splitSized_ = true;
    split_->setOrientation(wanted);
    // Side by side the list takes half (every column whole from kSideBySideWidth on; the explanation stacks
    // its charts to fit); stacked the list takes 40 % of the height and the explanation the rest.
    const int extent = wanted == Qt::Horizontal ? split_->width() : split_->height();
    const int list = wanted == Qt::Horizontal ? extent / 2 : extent * 2 / 5;
    split_->setSizes({list, extent - list});
}

QSortFilterProxyModel* AlertsPanel::proxy() const {
    return proxy_;
}

void AlertsPanel::setContext(const FleetFeatures& fleet, const Analysis& analysis) {
    fleet_ = &fleet;
    analysis_ = &analysis;
    showKpis(analysis.kpis);
    // A new run may have new devices; keep the series only while it can still be right.
    if (series_ && !fleet.table.devices.contains(series_->deviceId))
        series_.reset();
    const int sourceRow = currentId_.isEmpty() ? -1 : model_->rowOf(currentId_);
    const QModelIndex proxyIndex =
        sourceRow < 0 ? QModelIndex() : proxy_->mapFromSource(model_->index(sourceRow, 0));
    if (proxyIndex.isValid()) {
        if (table_->selectionModel()->currentIndex() == proxyIndex) {
            showAlert(
                sourceRow);  // no currentRowChanged, but the alert may have been re-derived: show it again
        } else {
            table_->selectionModel()->setCurrentIndex(
                proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    } else {
        currentId_.clear();
        currentDevice_.clear();
        explanation_->clear();
    }
}

void AlertsPanel::showKpis(const AlarmKpis& k) {
    const QLocale locale;
    QString text =
        tr("<b>%1 annunciated</b> of %2 incidents (%3 events, %4 suppressed, %5 fleet incidents) · "
           "per 10 min: average %6, peak %7, flood periods %8 · chattering %9 · standing %10")
            .arg(k.annunciated)
            .arg(k.incidents)
            .arg(k.events)
            .arg(k.suppressed)
            .arg(k.fleetIncidents)
            .arg(locale.toString(k.perPeriodAverage, 'f', 2))
            .arg(k.perPeriodPeak)
            .arg(k.periodsInFlood)
            .arg(k.chattering)
            .arg(k.standing);
    text += tr(" · priority high/medium/low %1/%2/%3")
                .arg(k.byPriority[std::size_t(Severity::Critical)])
                .arg(k.byPriority[std::size_t(Severity::Warning)])
                .arg(k.byPriority[std::size_t(Severity::Info)]);
    if (k.labelled)
        text += tr(" · incident precision %1, %2 per fault episode")
                    .arg(locale.toString(k.incidentPrecision, 'f', 2), locale.toString(k.perEpisode, 'f', 2));
    kpis_->setText(text);
    kpis_->setToolTip(
        tr("Alarm KPIs after EEMUA 191 / ISA-18.2 over all data: about 1 annunciated alarm per "
           "10 minutes is manageable; more than 10 is a flood."));
}

void AlertsPanel::clearContext() {
    kpis_->clear();
    fleet_ = nullptr;
    analysis_ = nullptr;
    series_.reset();
    currentId_.clear();
    currentDevice_.clear();
    explanation_->clear();
}

void AlertsPanel::setSeverityFilter(SeverityFilter filter) {
    severity_->setCurrentIndex(static_cast<int>(filter));
}

void AlertsPanel::setDeviceFilter(const QString& device) {
    const int i = device_->findData(device);
    device_->setCurrentIndex(std::max(0, i));
}

void AlertsPanel::setCauseFilter(const QString& cause) {
    const int i = cause_->findData(cause);
    cause_->setCurrentIndex(std::max(0, i));
}

void AlertsPanel::setTextFilter(const QString& text) {
    text_->setText(text);
}

void AlertsPanel::setShowAll(bool all) {
    showAll_->setChecked(all);
}

void AlertsPanel::selectRow(int proxyRow) {
    const QModelIndex index = proxy_->index(proxyRow, 0);
    if (!index.isValid())
        return;
    table_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(index);
}

int AlertsPanel::visibleCount() const {
    return proxy_->rowCount();
}

void AlertsPanel::onCurrentChanged(const QModelIndex& current) {
    if (!current.isValid()) {
        // Keep showing the explanation when a reset only passes through "no selection".
        if (!fleet_)
            return;
        currentId_.clear();
        currentDevice_.clear();
        explanation_->clear();
        return;
    }
    const int sourceRow = proxy_->mapToSource(current).row();
    currentId_ = model_->alertAt(sourceRow).id;
    currentDevice_ = model_->alertAt(sourceRow).device;
    showAlert(sourceRow);
    emit alertSelected(currentId_, currentDevice_);
}

void AlertsPanel::showAlert(int sourceRow) {
    if (sourceRow < 0 || sourceRow >= model_->rowCount())
        return;
    const Alert& alert = model_->alertAt(sourceRow);
    currentId_ = alert.id;
    currentDevice_ = alert.device;
    if (!fleet_ || !analysis_)
        return;
    // The incident's attribution as core decided it over all its rows (families and top features, weighted
    // by margin; instrument diagnostics included), shown at its peak row.
    if (alert.peakRow >= fleet_->table.size()) {
        explanation_->clear();
        return;
    }
    Explanation overIncident;
    overIncident.row = alert.peakRow;
    overIncident.contextPercent = alert.contextPercent;
    for (const FamilyShare& f : alert.families) overIncident.families << f;
    for (const NamedShare& f : alert.topFeatures)
        if (const int column = fleet_->schema.indexOf(f.name); column >= 0)
            overIncident.features << FeatureShare{column, f.percent};
    explanation_->setExplanation(*fleet_, overIncident, &alert);
    if (series_ && series_->deviceId == alert.device) {
        explanation_->setTraces(*fleet_, *analysis_, *series_);
    } else {
        emit seriesRequested(alert.device);
    }
}

void AlertsPanel::setDeviceSeries(const DeviceSeries& series) {
    series_ = std::make_shared<const DeviceSeries>(series);
    if (fleet_ && analysis_ && explanation_->hasExplanation() && series.deviceId == currentDevice_)
        explanation_->setTraces(*fleet_, *analysis_, *series_);
}

void AlertsPanel::refillFilterChoices() {
    QStringList devices, causes;
    for (const Alert& a : model_->alerts()) {
        if (!devices.contains(a.device))
            devices << a.device;
        if (!causes.contains(a.cause))
            causes << a.cause;
    }
    devices.sort();
    causes.sort();
    auto refill = [](QComboBox* box, const QString& all, const QStringList& items) {
        const QString keep = box->currentData().toString();
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(all, QString());
        for (const QString& s : items) box->addItem(s, s);
        box->setCurrentIndex(std::max(0, box->findData(keep)));
    };
    refill(device_, tr("All devices"), devices);
    refill(cause_, tr("All causes"), causes);
    // A filter value that no longer exists falls back to "all".
    proxy_->device = device_->currentData().toString();
    proxy_->cause = cause_->currentData().toString();
    proxy_->refresh();
}

void AlertsPanel::updateCount() {
    const QLocale locale;
    count_->setText(tr("%1 of %2 incidents")
                        .arg(locale.toString(proxy_->rowCount()), locale.toString(model_->rowCount())));
}

}  // namespace itap
