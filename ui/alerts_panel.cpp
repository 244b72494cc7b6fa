#include "alerts_panel.h"

#include "explanation_view.h"
#include "models/alert_list_model.h"
#include "shelve_dialog.h"

#include "common/time_util.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace itap {
namespace {

// The length of one of AlarmJournal::shelvePresets() (which always parse).
qint64 presetMs(const QString& preset) {
    const auto ms = AlarmJournal::parseDuration(preset);
    return ms ? *ms : 0;
}

}  // namespace

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
    // The alarm summary: unacknowledged first, then priority, then newest (the state column's order).
    table_->sortByColumn(AlertListModel::StateColumn, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Tab moves on to the next control, as everywhere else in the window; arrows move within the table.
    table_->setTabKeyNavigation(false);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    table_->installEventFilter(this);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    // Every column shows its whole text, the cause included (the table scrolls sideways before anything is
    // elided); the last takes the room the others leave.
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setStretchLastSection(true);
    header->setMinimumSectionSize(48);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    table_->setMinimumWidth(360);
    table_->setWordWrap(false);

    // The filters and the search share a row, the action buttons and "include events" the next, so that a
    // laptop screen keeps rows for the list; long device or cause names are elided in the closed combo box,
    // not allowed to widen the panel.
    auto* filters = new QHBoxLayout;
    for (QComboBox* box : {severity_, device_, cause_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(10);
        filters->addWidget(box, 1);
    }
    filters->addWidget(text_, 2);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(kpis_);
    leftLayout->addLayout(filters);
    createAlarmActions();
    auto* actionRow = new QHBoxLayout;
    ackButton_ = new QPushButton(ackAction_->text());
    ackButton_->setObjectName(QStringLiteral("acknowledgeButton"));
    ackButton_->setToolTip(ackAction_->toolTip());
    connect(ackButton_, &QPushButton::clicked, ackAction_, &QAction::trigger);
    actionRow->addWidget(ackButton_);
    auto menuButton = [&](const QString& text, const QString& name, QMenu* menu) {
        auto* b = new QPushButton(text);
        b->setObjectName(name);
        b->setMenu(menu);
        actionRow->addWidget(b);
        return b;
    };
    shelveButton_ = menuButton(tr("Shelve"), QStringLiteral("shelveButton"), shelveMenu_);
    for (QAction* a : {unshelveAction_, noteAction_}) {
        auto* b = new QToolButton;
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setObjectName(a->objectName() + QStringLiteral("Button"));
        actionRow->addWidget(b);
    }
    verdictButton_ = menuButton(tr("Verdict"), QStringLiteral("verdictButton"), verdictMenu_);
    for (QAction* a : {showOnDeviceAction_, refreshAction_}) {
        auto* b = new QToolButton;
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setObjectName(a->objectName() + QStringLiteral("Button"));
        actionRow->addWidget(b);
    }
    actionRow->addStretch(1);
    actionRow->addWidget(showAll_);
    leftLayout->addLayout(actionRow);
    leftLayout->addWidget(table_, 1);
    actionStatus_ = new QLabel;
    actionStatus_->setObjectName(QStringLiteral("alarmActionStatus"));
    actionStatus_->setWordWrap(true);
    actionStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(count_);
    statusRow->addWidget(actionStatus_, 1);
    leftLayout->addLayout(statusRow);

    // The drill-down: the alarm's journal history above the explanation of its incident.
    history_ = new QTableWidget(0, 4);
    history_->setObjectName(QStringLiteral("alarmHistory"));
    history_->setHorizontalHeaderLabels({tr("When (UTC)"), tr("Who"), tr("What"), tr("Note")});
    history_->verticalHeader()->hide();
    history_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    history_->setSelectionBehavior(QAbstractItemView::SelectRows);
    history_->setTabKeyNavigation(false);
    history_->setWordWrap(false);
    history_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    history_->horizontalHeader()->setStretchLastSection(true);
    // Five rows show without scrolling; a long history scrolls.
    history_->setMinimumHeight(history_->horizontalHeader()->sizeHint().height() +
                               5 * history_->verticalHeader()->defaultSectionSize() + 4);
    history_->setMaximumHeight(history_->minimumHeight());
    auto* historyLabel = new QLabel(tr("<b>History</b> (alarm journal, oldest first)"));
    explanation_ = new ExplanationView;
    drillDown_ = new QWidget;
    drillDown_->setObjectName(QStringLiteral("alarmDrillDown"));
    auto* drillLayout = new QVBoxLayout(drillDown_);
    drillLayout->setContentsMargins(0, 0, 0, 0);
    drillLayout->addWidget(historyLabel);
    drillLayout->addWidget(history_);
    drillLayout->addWidget(explanation_, 1);
    // In a narrow window the drill-down scrolls rather than squeezing its charts until labels are elided.
    auto* explanationScroll = new QScrollArea;
    explanationScroll->setWidgetResizable(true);
    explanationScroll->setFrameShape(QFrame::NoFrame);
    explanationScroll->setWidget(drillDown_);
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
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertsPanel::updateActionsEnabled);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.addAction(ackAction_);
        menu.addMenu(shelveMenu_);
        menu.addAction(unshelveAction_);
        menu.addAction(noteAction_);
        menu.addMenu(verdictMenu_);
        menu.addSeparator();
        menu.addAction(showOnDeviceAction_);
        menu.addAction(refreshAction_);
        menu.exec(table_->viewport()->mapToGlobal(at));
    });
    // A state change re-sorts the list; the selected alarm's history may have grown.
    connect(model_, &QAbstractItemModel::dataChanged, this, [this] {
        updateActionsEnabled();
        if (!currentId_.isEmpty())
            emit historyRequested(currentId_);
    });
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
    connect(model_, &QAbstractItemModel::rowsInserted, this, &AlertsPanel::updateCount);  // live alarms
    refillFilterChoices();
    updateCount();
    updateActionsEnabled();
}

void AlertsPanel::createAlarmActions() {
    auto make = [this](const QString& text, const QString& name, const QString& tip) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        a->setToolTip(tip);
        return a;
    };
    ackAction_ = make(tr("Acknowledge"), QStringLiteral("acknowledgeAction"),
                      tr("Acknowledge the selected alarms (Space)"));
    connect(ackAction_, &QAction::triggered, this, &AlertsPanel::acknowledgeSelected);
    shelveMenu_ = new QMenu(tr("Shelve"), this);
    shelveMenu_->setObjectName(QStringLiteral("shelveMenu"));
    for (const QString& preset : AlarmJournal::shelvePresets()) {
        const int hours = int(presetMs(preset) / (3600 * 1000));
        QAction* a = shelveMenu_->addAction(tr("For %n hour(s)…", nullptr, hours));
        a->setObjectName(QStringLiteral("shelve_") + preset);
        connect(a, &QAction::triggered, this, [this, preset] { openShelveDialog(preset); });
    }
    QAction* until = shelveMenu_->addAction(tr("Until…"));
    until->setObjectName(QStringLiteral("shelve_until"));
    connect(until, &QAction::triggered, this, [this] { openShelveDialog(QString()); });
    unshelveAction_ = make(tr("Unshelve"), QStringLiteral("unshelveAction"),
                           tr("End the shelf of the selected alarms now"));
    connect(unshelveAction_, &QAction::triggered, this, &AlertsPanel::unshelveSelected);
    noteAction_ = make(tr("Add note…"), QStringLiteral("noteAction"),
                       tr("Write a note in the selected alarms' journal"));
    connect(noteAction_, &QAction::triggered, this, &AlertsPanel::openNoteDialog);
    verdictMenu_ = new QMenu(tr("Verdict"), this);
    verdictMenu_->setObjectName(QStringLiteral("verdictMenu"));
    QAction* confirmed = verdictMenu_->addAction(tr("Confirmed fault…"));
    confirmed->setObjectName(QStringLiteral("verdict_confirmed"));
    connect(confirmed, &QAction::triggered, this, &AlertsPanel::openConfirmedVerdictDialog);
    QAction* falseAlarm = verdictMenu_->addAction(tr("False alarm"));
    falseAlarm->setObjectName(QStringLiteral("verdict_false_alarm"));
    connect(falseAlarm, &QAction::triggered, this, [this] { verdictSelected(Verdict::FalseAlarm); });
    QAction* unknown = verdictMenu_->addAction(tr("Unknown"));
    unknown->setObjectName(QStringLiteral("verdict_unknown"));
    connect(unknown, &QAction::triggered, this, [this] { verdictSelected(Verdict::Unknown); });
    showOnDeviceAction_ = make(tr("Show on device"), QStringLiteral("showOnDeviceAction"),
                               tr("Open the device view at the selected incident"));
    connect(showOnDeviceAction_, &QAction::triggered, this, &AlertsPanel::showSelectedOnDevice);
    refreshAction_ =
        make(tr("Refresh"), QStringLiteral("refreshAction"),
             tr("Re-read the alarm journal (F5); other consoles' actions also arrive by themselves"));
    refreshAction_->setShortcut(QKeySequence::Refresh);
    refreshAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(refreshAction_, &QAction::triggered, this, &AlertsPanel::refreshRequested);
    addAction(refreshAction_);
    auto* find = new QAction(this);
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        text_->setFocus(Qt::ShortcutFocusReason);
        text_->selectAll();
    });
    addAction(find);
}

QList<QAction*> AlertsPanel::alarmActions() const {
    QList<QAction*> all{ackAction_, unshelveAction_, noteAction_, showOnDeviceAction_, refreshAction_};
    all += shelveMenu_->actions();
    all += verdictMenu_->actions();
    return all;
}

void AlertsPanel::updateActionsEnabled() {
    const bool any = table_->selectionModel()->hasSelection();
    for (QAction* a : {ackAction_, unshelveAction_, noteAction_}) a->setEnabled(any);
    for (QAction* a : shelveMenu_->actions()) a->setEnabled(any);
    for (QAction* a : verdictMenu_->actions()) a->setEnabled(any);
    showOnDeviceAction_->setEnabled(table_->selectionModel()->currentIndex().isValid());
    for (QPushButton* b : {ackButton_, shelveButton_, verdictButton_}) b->setEnabled(any);
}

QStringList AlertsPanel::selectedAlarmIds() const {
    QList<QModelIndex> rows = table_->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex& r : rows) ids << r.data(AlertListModel::AlertIdRole).toString();
    return ids;
}

void AlertsPanel::setFaultFamilies(const QStringList& families) {
    faultFamilies_ = families;
}

void AlertsPanel::acknowledgeSelected() {
    const QStringList ids = selectedAlarmIds();
    if (ids.isEmpty())
        return;
    OperatorAction a;
    a.action = AlarmAction::Acknowledge;
    setActionStatus(tr("Acknowledging %n alarm(s)…", nullptr, int(ids.size())));
    emit actionRequested(ids, a);
}

void AlertsPanel::shelveSelected(qint64 untilMs, const QString& reason) {
    const QStringList ids = selectedAlarmIds();
    if (ids.isEmpty())
        return;
    OperatorAction a;
    a.action = AlarmAction::Shelve;
    a.shelveUntilMs = untilMs;
    a.note = reason;
    setActionStatus(tr("Shelving %n alarm(s)…", nullptr, int(ids.size())));
    emit actionRequested(ids, a);
}

void AlertsPanel::unshelveSelected() {
    const QStringList ids = selectedAlarmIds();
    if (ids.isEmpty())
        return;
    OperatorAction a;
    a.action = AlarmAction::Unshelve;
    setActionStatus(tr("Unshelving %n alarm(s)…", nullptr, int(ids.size())));
    emit actionRequested(ids, a);
}

void AlertsPanel::noteSelected(const QString& text) {
    const QStringList ids = selectedAlarmIds();
    if (ids.isEmpty())
        return;
    OperatorAction a;
    a.action = AlarmAction::Note;
    a.note = text;
    setActionStatus(tr("Adding a note to %n alarm(s)…", nullptr, int(ids.size())));
    emit actionRequested(ids, a);
}

void AlertsPanel::verdictSelected(Verdict verdict, FaultTypeSource source, const QString& faultType) {
    const QStringList ids = selectedAlarmIds();
    if (ids.isEmpty())
        return;
    OperatorAction a;
    a.action = AlarmAction::Verdict;
    a.verdict = verdict;
    a.faultTypeSource = source;
    a.faultType = faultType;
    setActionStatus(tr("Recording the verdict of %n alarm(s)…", nullptr, int(ids.size())));
    emit actionRequested(ids, a);
}

void AlertsPanel::openShelveDialog(const QString& preset) {
    if (selectedAlarmIds().isEmpty())
        return;
    auto* dialog = new ShelveDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setPreset(preset);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        shelveSelected(dialog->untilMs(QDateTime::currentMSecsSinceEpoch()), dialog->reason());
    });
    dialog->open();
}

void AlertsPanel::openNoteDialog() {
    if (selectedAlarmIds().isEmpty())
        return;
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("noteDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Add note"));
    dialog->setLabelText(tr("Note for the alarm journal:"));
    dialog->setOption(QInputDialog::UsePlainTextEditForTextInput);
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString& text) {
        if (!text.trimmed().isEmpty())
            noteSelected(text);
    });
    dialog->open();
}

void AlertsPanel::openConfirmedVerdictDialog() {
    if (selectedAlarmIds().isEmpty())
        return;
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("verdictDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Confirmed fault"));
    dialog->setLabelText(tr("Fault type: a sensor family of the catalog, or your own words:"));
    dialog->setComboBoxItems(faultFamilies_);
    dialog->setComboBoxEditable(true);
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString& text) {
        const QString type = text.trimmed();
        const bool family =
            std::any_of(faultFamilies_.cbegin(), faultFamilies_.cend(),
                        [&](const QString& f) { return f.compare(type, Qt::CaseInsensitive) == 0; });
        verdictSelected(Verdict::Confirmed,
                        type.isEmpty() ? FaultTypeSource::None
                        : family       ? FaultTypeSource::CatalogFamily
                                       : FaultTypeSource::FreeText,
                        type);
    });
    dialog->open();
}

void AlertsPanel::openDrillDown() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    showAlert(proxy_->mapToSource(current).row());
    // Stacked, the drill-down may have been dragged shut: give it its share back.
    const QList<int> sizes = split_->sizes();
    if (sizes.size() == 2 && sizes[1] < 50) {
        const int extent = sizes[0] + sizes[1];
        split_->setSizes({extent * 3 / 5, extent - extent * 3 / 5});
    }
    history_->setFocus(Qt::OtherFocusReason);
}

void AlertsPanel::showSelectedOnDevice() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    const Alert& a = model_->alertAt(proxy_->mapToSource(current).row());
    emit showOnDeviceRequested(a.device, a.startMs,
                               a.clearedMs >= 0 ? std::max(a.endMs, a.clearedMs) : a.endMs);
}

void AlertsPanel::setActionStatus(const QString& text) {
    actionStatus_->setText(text);
}

QString AlertsPanel::actionStatusText() const {
    return actionStatus_->text();
}

void AlertsPanel::showActionError(const QString& message) {
    setActionStatus(tr("Not done: %1").arg(message));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Alarm action failed"),
                                tr("Nothing was changed.\n\n%1").arg(message), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("alarmActionError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void AlertsPanel::setHistory(const QString& alarmId, const std::vector<JournalEntry>& rows) {
    if (alarmId != currentId_)
        return;
    history_->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const JournalEntry& e = rows[std::size_t(r)];
        // The action, what it set (a verdict, a shelf's end) and the state change, in the journal's words.
        QString what = alarmActionName(e.action);
        const QJsonObject detail = QJsonDocument::fromJson(e.detailJson.toUtf8()).object();
        if (e.action == AlarmAction::Verdict) {
            what += QLatin1Char(' ') + detail.value(QLatin1String("verdict")).toString();
            if (const QString type = detail.value(QLatin1String("fault_type")).toString(); !type.isEmpty())
                what += QStringLiteral(" (%1)").arg(type);
        } else if (e.action == AlarmAction::Shelve) {
            what += QLatin1Char(' ') + detail.value(QLatin1String("until")).toString();
        }
        if (e.fromState && *e.fromState != e.toState)
            what += QStringLiteral(": %1 → %2").arg(alarmStateName(*e.fromState), alarmStateName(e.toState));
        const QStringList cells{formatUtcTimestampHuman(e.atMs), e.operatorName, what, e.note};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(c == 2 ? e.detailJson : cells[c]);
            history_->setItem(r, c, item);
        }
    }
    history_->scrollToBottom();
}

bool AlertsPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == table_ && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->modifiers() & ~Qt::KeyboardModifiers(Qt::KeypadModifier)) != Qt::NoModifier)
            return QWidget::eventFilter(watched, event);
        switch (key->key()) {
            case Qt::Key_Space:
                acknowledgeSelected();
                return true;
            case Qt::Key_Return:
            case Qt::Key_Enter:
                openDrillDown();
                return true;
            case Qt::Key_Delete:
            case Qt::Key_Backspace:
                // Nothing is ever deleted from the journal; say so instead of silently ignoring the key.
                setActionStatus(tr("Alarms are never deleted: acknowledge or shelve them instead."));
                return true;
            default:
                break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

AlertsPanel::~AlertsPanel() = default;

void AlertsPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() >= kSideBySideWidth ? Qt::Horizontal : Qt::Vertical;
    if (splitSized_ && split_->orientation() == wanted)
        return;
    splitSized_ = true;
    split_->setOrientation(wanted);
    // The list takes 3/5: side by side its columns up to the verdict are whole at 1920 pixels and the
    // explanation keeps room for its family chart's labels; stacked the table keeps about ten rows on a
    // laptop screen and the drill-down scrolls. From the panel's new size: the splitter is resized after this
    // event, so its own size is stale.
    const QMargins m = layout()->contentsMargins();
    const int extent = wanted == Qt::Horizontal ? event->size().width() - m.left() - m.right()
                                                : event->size().height() - m.top() - m.bottom();
    const int list = extent * 3 / 5;
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

void AlertsPanel::addRowToSelection(int proxyRow) {
    const QModelIndex index = proxy_->index(proxyRow, 0);
    if (!index.isValid())
        return;
    table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
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
        history_->setRowCount(0);
        explanation_->clear();
        return;
    }
    const int sourceRow = proxy_->mapToSource(current).row();
    const bool otherAlarm = currentId_ != model_->alertAt(sourceRow).id;
    currentId_ = model_->alertAt(sourceRow).id;
    currentDevice_ = model_->alertAt(sourceRow).device;
    if (otherAlarm)
        history_->setRowCount(0);
    showAlert(sourceRow);
    if (model_->alarmAt(sourceRow))
        emit historyRequested(currentId_);
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
    // by margin; instrument diagnostics included), shown at its peak row. A live incident's peak is a row of
    // the stream, not of this fleet's table: its explanation is in the Live view.
    const bool ofThisAnalysis = std::any_of(analysis_->alerts.begin(), analysis_->alerts.end(),
                                            [&](const Alert& a) { return a.id == alert.id; });
    if (!ofThisAnalysis || alert.peakRow >= fleet_->table.size()) {
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
