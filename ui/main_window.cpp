#include "main_window.h"

#include "alarm_controller.h"
#include "alarm_kpi_panel.h"
#include "device_leaderboard.h"
#include "fleet_overview.h"
#include "import_dialog.h"
#include "live_view.h"
#include "models/alert_list_model.h"
#include "models/device_summary_model.h"
#include "run_notice.h"
#include "settings_dialog.h"
#include "simulate_dialog.h"

#include "alarms/alarm_journal.h"
#include "common/time_util.h"
#include "evaluate/score_index.h"
#include "storage/store.h"

#include "alerts_panel.h"
#include "device_view.h"
#include "evaluation_panel.h"
#include "pipeline/reanalysis.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace itap {
namespace {

// `wanted`, no larger than the available area of the primary screen less the window frame (title bar and
// borders, which resize() does not count): a window taller than a 1366×768 screen hides its status bar.
QSize fitToScreen(QSize wanted) {
    constexpr int kFrameAllowance = 48;
    const QScreen* screen = QGuiApplication::primaryScreen();
    if (!screen)
        return wanted;
    const QRect available = screen->availableGeometry();
    return wanted.boundedTo(QSize(std::max(640, available.width() - kFrameAllowance / 4),
                                  std::max(480, available.height() - kFrameAllowance)));
}

const QString kLastDatabaseKey = QStringLiteral("database/last");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kExportDirKey = QStringLiteral("export/last_dir");
const QString kImportFilesKey = QStringLiteral("import/files");
const QString kImportMappingKey = QStringLiteral("import/mapping");

QString defaultDataDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("ITAP Console"));
    setObjectName(QStringLiteral("itapMainWindow"));
    controller_ = new PipelineController(this);
    alarms_ = new AlarmController(this);
    alarms_->setOperatorName(ConsoleSettings::load(QSettings()).operatorName);
    alertModel_ = new AlertListModel(this);
    createPanels();
    createActions();
    createStatusBar();
    connectAlarms();

    connect(controller_, &PipelineController::started, this, [this] { setBusy(true); });
    connect(controller_, &PipelineController::progress, this, [this](double fraction, const QString& stage) {
        progress_->setValue(static_cast<int>(fraction * 1000));
        setStage(stage);
    });
    connect(controller_, &PipelineController::finished, this, [this](const PipelineResultPtr& result) {
        setBusy(false);
        runProfile_ = pendingProfile_;
        showResult(result);
    });
    connect(controller_, &PipelineController::failed, this, [this](const QString& message) {
        setBusy(false);
        setStage(tr("Failed"));
        showError(tr("Pipeline failed"), message);
    });
    connect(controller_, &PipelineController::cancelled, this, [this] {
        setBusy(false);
        setStage(tr("Cancelled"));
    });
    connect(controller_, &PipelineController::deviceLoaded, this, &MainWindow::onDeviceLoaded);
    connect(controller_, &PipelineController::deviceLoadFailed, this,
            [this](const QString& device, const QString& msg) {
                setStage(tr("Cannot read %1: %2").arg(device, msg));
            });
    connect(leaderboard_, &DeviceLeaderboard::deviceSelected, this, &MainWindow::onDeviceSelected);

    QSettings settings;
    resize(fitToScreen(QSize(1360, 860)));
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    // A geometry saved on a larger screen must not make the window larger than this one.
    if (const QSize fitted = fitToScreen(size()); fitted != size())
        resize(fitted);
    layoutRestored_ = restoreState(settings.value(kStateKey).toByteArray());
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // Docks only take a width once the window is laid out; a saved layout wins over this default.
    if (!layoutRestored_) {
        layoutRestored_ = true;
        // The leaderboard's full width (every column) would take a third of a laptop screen from the views;
        // a fifth of the window shows rank, device and alert counts, and the dock can be widened.
        const int wanted = std::min(leaderboard_->sizeHint().width(), std::max(260, width() / 5));
        resizeDocks({leaderboardDock_}, {wanted}, Qt::Horizontal);
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::setBuildInfo(const QString& version, const QString& gitCommit) {
    version_ = version;
    gitCommit_ = gitCommit;
}

void MainWindow::createPanels() {
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    overview_ = new FleetOverview;

    deviceTab_ = new DeviceView;
    connect(deviceTab_, &DeviceView::flaggedRowClicked, this, &MainWindow::showAlertOfRow);
    evaluationTab_ = new EvaluationPanel;
    connect(evaluationTab_, &EvaluationPanel::thresholdChanged, this, &MainWindow::previewThreshold);
    connect(evaluationTab_, &EvaluationPanel::applyRequested, this, &MainWindow::applyPreview);
    alertsTab_ = new AlertsPanel(alertModel_);
    connect(alertsTab_, &AlertsPanel::seriesRequested, this, [this](const QString& device) {
        alertsDevice_ = device;
        requestDevice(device);
    });

    kpiTab_ = new AlarmKpiPanel;
    connect(kpiTab_, &AlarmKpiPanel::exportRequested, this, &MainWindow::exportAlarmJournal);

    liveView_ = new LiveView;
    connect(liveView_, &LiveView::notification, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10'000); });
    // Live incidents join the alarm summary as the journal records them; their states follow with a read.
    connect(liveView_, &LiveView::alarmsJournaled, this, [this](const std::vector<Alert>& alarms) {
        for (const Alert& a : alarms) alertModel_->upsert(a);
        alarms_->refresh();
    });

    const std::pair<QWidget*, QString> tabs[] = {
        {overview_, tr("Fleet overview")}, {deviceTab_, tr("Device")}, {evaluationTab_, tr("Evaluation")},
        {alertsTab_, tr("Alerts")},        {liveView_, tr("Live")},    {kpiTab_, tr("Alarm KPIs")}};
    for (int i = 0; i < kViewCount; ++i) {
        tabs[i].first->setObjectName(viewKey(static_cast<View>(i)));
        tabs_->addTab(tabs[i].first, tabs[i].second);
    }
    setCentralWidget(tabs_);

    leaderboard_ = new DeviceLeaderboard;
    leaderboardDock_ = new QDockWidget(tr("Device leaderboard"), this);
    leaderboardDock_->setObjectName(QStringLiteral("leaderboardDock"));
    leaderboardDock_->setWidget(leaderboard_);
    // Rank, device, alerts and critical stay readable however narrow the operator makes the dock.
    leaderboardDock_->setMinimumWidth(leaderboard_->sizeHint().width() / 2);
    addDockWidget(Qt::LeftDockWidgetArea, leaderboardDock_);
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    simulateAction_ = file->addAction(tr("&Simulate fleet…"), this, &MainWindow::showSimulateDialog);
    simulateAction_->setShortcut(QKeySequence::New);
    openAction_ = file->addAction(tr("&Open database…"), this, &MainWindow::showOpenDialog);
    file->addAction(tr("Open &server database…"), this, &MainWindow::showOpenServerDialog);
    openAction_->setShortcut(QKeySequence::Open);
    importAction_ = file->addAction(tr("&Import telemetry CSV…"), this, &MainWindow::showImportDialog);
    importAction_->setShortcut(QKeySequence(tr("Ctrl+I")));
    exportAction_ = file->addAction(tr("&Export artifacts…"), this, &MainWindow::exportArtifactsTo);
    exportAction_->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportAction_->setEnabled(false);
    exportJournalAction_ =
        file->addAction(tr("Export alarm &journal…"), this, &MainWindow::exportAlarmJournal);
    exportJournalAction_->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* preferences = edit->addAction(tr("&Settings…"), this, &MainWindow::showSettingsDialog);
    preferences->setObjectName(QStringLiteral("settingsAction"));
    // The platform's Preferences keys (none on some desktops), and Ctrl+, everywhere.
    QList<QKeySequence> preferenceKeys = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (!preferenceKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
        preferenceKeys << QKeySequence(Qt::CTRL | Qt::Key_Comma);
    preferences->setShortcuts(preferenceKeys);
    preferences->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    static const char* const names[] = {QT_TR_NOOP("&Fleet overview"), QT_TR_NOOP("&Device"),
                                        QT_TR_NOOP("&Evaluation"),     QT_TR_NOOP("&Alerts"),
                                        QT_TR_NOOP("L&ive"),           QT_TR_NOOP("Alarm &KPIs")};
    for (int i = 0; i < kViewCount; ++i) {
        QAction* action = view->addAction(tr(names[i]), this, [this, i] { showView(static_cast<View>(i)); });
        action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction* dock = leaderboardDock_->toggleViewAction();
    dock->setText(tr("Device &leaderboard"));
    dock->setShortcut(QKeySequence(tr("Ctrl+L")));
    view->addAction(dock);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About ITAP Console"), this, &MainWindow::about);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar() {
    databaseLabel_ = new QLabel(tr("No database"));
    rowsLabel_ = new QLabel;
    stageLabel_ = new QLabel(tr("Ready"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(true);
    progress_->setFormat(QStringLiteral("%p %"));
    cancel_ = new QToolButton;
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop the running stage; stored data stays as it was before the stage."));
    connect(cancel_, &QToolButton::clicked, controller_, &PipelineController::cancel);
    statusBar()->addWidget(databaseLabel_);
    statusBar()->addWidget(rowsLabel_);
    notice_ = new RunNotice;
    statusBar()->addWidget(stageLabel_, 1);
    statusBar()->addWidget(notice_, 1);
    alarmCountsLabel_ = new QLabel;
    alarmCountsLabel_->setObjectName(QStringLiteral("alarmCounts"));
    statusBar()->addPermanentWidget(alarmCountsLabel_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    progress_->hide();
    cancel_->hide();
}

// The Alerts view and the alarm journal: actions and refreshes go through the AlarmController (a worker per
// call), the states come back into the shared model, and the counts follow the model.
void MainWindow::connectAlarms() {
    connect(alertsTab_, &AlertsPanel::actionRequested, alarms_, &AlarmController::act);
    connect(alertsTab_, &AlertsPanel::historyRequested, alarms_, &AlarmController::loadHistory);
    connect(alertsTab_, &AlertsPanel::refreshRequested, alarms_, &AlarmController::refresh);
    connect(alertsTab_, &AlertsPanel::showOnDeviceRequested, this, &MainWindow::showOnDevice);
    connect(alarms_, &AlarmController::alarmsChanged, alertModel_, &AlertListModel::setAlarms);
    connect(alarms_, &AlarmController::historyLoaded, alertsTab_, &AlertsPanel::setHistory);
    connect(alarms_, &AlarmController::actionFailed, alertsTab_, &AlertsPanel::showActionError);
    connect(alarms_, &AlarmController::acted, this, [this](const std::vector<JournalEntry>& rows) {
        const QString what = rows.empty() ? QString() : alarmActionName(rows.front().action);
        const QString text = tr("Alarm journal: %n row(s) recorded (%1) by %2", nullptr, int(rows.size()))
                                 .arg(what, alarms_->operatorName());
        setStage(text);
        alertsTab_->setActionStatus(text);
    });
    connect(alarms_, &AlarmController::refreshFailed, this, [this](const QString& message) {
        setStage(tr("Cannot read the alarm journal: %1").arg(message));
    });
    connect(alertModel_, &QAbstractItemModel::modelReset, this, &MainWindow::updateAlarmCounts);
    connect(alertModel_, &QAbstractItemModel::dataChanged, this, &MainWindow::updateAlarmCounts);
    connect(alertModel_, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateAlarmCounts);
    updateAlarmCounts();
}

QString MainWindow::alarmCountsText() const {
    const AlarmCounts c = alertModel_->counts();
    const QLocale locale;
    return tr("%1 active · %2 unacknowledged · %3 shelved")
        .arg(locale.toString(c.active), locale.toString(c.unacked), locale.toString(c.shelved));
}

void MainWindow::updateAlarmCounts() {
    const AlarmCounts c = alertModel_->counts();
    const QLocale locale;
    tabs_->setTabText(
        static_cast<int>(View::Alerts),
        tr("Alerts (%1 active, %2 unack., %3 shelved)")
            .arg(locale.toString(c.active), locale.toString(c.unacked), locale.toString(c.shelved)));
    alarmCountsLabel_->setText(tr("Alarms: %1").arg(alarmCountsText()));
}

QString MainWindow::tabText(View view) const {
    return tabs_->tabText(static_cast<int>(view));
}

// "Show on device": the device view of the incident's device, zoomed to the incident once its telemetry is
// there.
void MainWindow::showOnDevice(const QString& device, qint64 fromMs, qint64 toMs) {
    if (!result_ || device.isEmpty())
        return;
    pendingHighlight_ = Highlight{device, fromMs, toMs};
    showView(View::Device);
    const bool wasSelected = leaderboard_->selectedDevice() == device;
    if (!leaderboard_->selectDevice(device) || wasSelected)
        onDeviceSelected(device);  // no selection change, so no deviceSelected(): ask for it here
}

QWidget* MainWindow::viewWidget(View view) const {
    return tabs_->widget(static_cast<int>(view));
}

void MainWindow::showView(View view) {
    tabs_->setCurrentIndex(static_cast<int>(view));
}

QString MainWindow::viewKey(View view) {
    switch (view) {
        case View::FleetOverview:
            return QStringLiteral("fleet_overview");
        case View::Device:
            return QStringLiteral("device");
        case View::Evaluation:
            return QStringLiteral("evaluation");
        case View::Alerts:
            return QStringLiteral("alerts");
        case View::Live:
            return QStringLiteral("live");
        case View::AlarmKpis:
            return QStringLiteral("alarm_kpis");
    }
    return {};
}

QString MainWindow::statusText() const {
    QStringList parts{databaseLabel_->text(), rowsLabel_->text(), stageLabel_->text()};
    if (!notice_->text().isEmpty())
        parts << notice_->text();
    return parts.join(QStringLiteral(" | "));
}

bool MainWindow::simulate(const SimulationSettings& settings, const QString& databasePath, bool replace) {
    PipelineRequest request;
    request.source = PipelineRequest::Source::Simulate;
    request.databasePath = databasePath;
    request.replaceDatabase = replace;
    request.profile = settings.toProfile(SimulationProfile::defaults());
    return startPipeline(std::move(request));
}

bool MainWindow::openDatabase(const QString& databasePath) {
    PipelineRequest request;
    request.source = PipelineRequest::Source::Database;
    request.databasePath = databasePath;
    return startPipeline(std::move(request));
}

bool MainWindow::importCsv(const QString& csvPath, const QString& databasePath, bool skipInvalid) {
    PipelineRequest request;
    request.source = PipelineRequest::Source::ImportCsv;
    request.csvPath = csvPath;
    request.databasePath = databasePath;
    request.skipInvalid = skipInvalid;
    return startPipeline(std::move(request));
}

bool MainWindow::importMapped(const QStringList& files, const ImportMapping& mapping,
                              const QString& databasePath, bool skipInvalid) {
    PipelineRequest request;
    request.source = PipelineRequest::Source::ImportMapped;
    request.importFiles = files;
    request.mapping = mapping;
    request.databasePath = databasePath;
    request.skipInvalid = skipInvalid;
    return startPipeline(std::move(request));
}

bool MainWindow::restoreLastDatabase() {
    const QString last = QSettings().value(kLastDatabaseKey).toString();
    return !last.isEmpty() && (Store::isServerUrl(last) || QFileInfo::exists(last)) && openDatabase(last);
}

bool MainWindow::startPipeline(PipelineRequest request) {
    // Every run takes the operator's current settings (Edit ▸ Settings…).
    const ConsoleSettings settings = ConsoleSettings::load(QSettings());
    if (const Status applied = settings.applyTo(request); !applied) {
        showError(tr("Settings"), tr("The settings cannot be applied: %1\nCorrect them in Edit ▸ Settings….")
                                      .arg(applied.error().toString()));
        return false;
    }
    const QString database = request.databasePath;
    std::optional<SimulationProfile> simulatedProfile;
    if (request.source == PipelineRequest::Source::Simulate)
        simulatedProfile = request.profile;
    if (!controller_->start(std::move(request))) {
        setStage(tr("A pipeline is already running."));
        return false;
    }
    pendingDatabase_ = database;
    pendingProfile_ = simulatedProfile;
    pendingSettings_ = settings.changedFromDefaults();
    databaseLabel_->setText(tr("Database: %1").arg(QFileInfo(database).fileName()));
    databaseLabel_->setToolTip(database);
    return true;
}

void MainWindow::setBusy(bool busy) {
    progress_->setVisible(busy);
    cancel_->setVisible(busy);
    progress_->setValue(0);
    for (QAction* action : {simulateAction_, openAction_, importAction_}) action->setEnabled(!busy);
    exportAction_->setEnabled(!busy && result_ != nullptr);
    exportJournalAction_->setEnabled(!busy && result_ != nullptr);
}

void MainWindow::setStage(const QString& text) {
    stageLabel_->setText(text);
}

// Window-modal but not blocking: failures arrive from queued signals, where a nested event loop does not
// belong.
void MainWindow::showError(const QString& title, const QString& message) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showResult(const PipelineResultPtr& result) {
    // The panel refers to the fleet and analysis it was given: detach it before they are replaced.
    alertsTab_->clearContext();
    result_ = result;
    // An operating threshold the journal names for this model wins over the one the analysis chose.
    analysis_ = std::shared_ptr<const Analysis>(
        result, result->applied ? &result->applied->analysis : &result->scored.analysis);  // shares, no copy
    preview_.reset();
    applyWhenDerived_.reset();
    seriesCache_.clear();
    viewDevice_.clear();
    alertsDevice_.clear();
    reanalysisCache_.reset();
    ++fleetGeneration_;
    pendingThreshold_.reset();
    // A server database is remembered without its password (libpq finds it in PGPASSWORD or ~/.pgpass).
    QSettings().setValue(kLastDatabaseKey, Store::isServerUrl(result->databasePath)
                                               ? Store::withoutPassword(result->databasePath)
                                               : QFileInfo(result->databasePath).absoluteFilePath());
    databaseLabel_->setText(tr("Database: %1").arg(QFileInfo(result->databasePath).fileName()));
    databaseLabel_->setToolTip(result->databasePath);
    const QLocale locale;
    rowsLabel_->setText(
        tr("%1 rows · %2 devices")
            .arg(locale.toString(result->storedRows),
                 locale.toString(static_cast<int>(result->scored.fleet.table.devices.size()))));
    settingsNote_ =
        pendingSettings_.isEmpty() ? QString() : tr(" · settings: %1").arg(pendingSettings_.join(tr(", ")));
    thresholdNote_.clear();
    if (result->applied)
        thresholdNote_ = tr(" (applied by %1 on %2 UTC; the analysis chose %3)")
                             .arg(result->applied->change.operatorName,
                                  formatUtcTimestampHuman(result->applied->change.atMs),
                                  locale.toString(result->scored.analysis.threshold, 'f', 3));
    showThresholdStatus();
    notice_->showRun(*result);
    if (!notice_->conflictReport().isEmpty())
        showError(tr("Rows in conflict with stored rows"), notice_->conflictReport());
    exportAction_->setEnabled(true);
    exportJournalAction_->setEnabled(true);
    deviceTab_->clear();
    deviceTab_->setCatalog(result->catalog);
    evaluationTab_->setEvaluationOptions(result->analysis.evaluation);
    evaluationTab_->setData(result->scored.fleet, result->scored.analysis);
    if (result->applied) {
        evaluationTab_->setOperatingThreshold(analysis_->threshold);
        evaluationTab_->setDeviceMetrics(analysis_->threshold, analysis_->metrics.perDevice);
    }
    liveView_->setRun(result, runProfile_, analysis_->threshold);
    alertsTab_->setFaultFamilies(result->catalog.families());
    alertModel_->setAlarms(result->alarms);
    alarms_->setDatabase(result->databasePath, 0);
    kpiTab_->clear();
    showAnalysis(Refill::NewFleet);
    readJournalCounts();
    emit resultShown();
    // The worst device is what an operator looks at first.
    if (!analysis_->aggregate.devices.empty())
        leaderboard_->selectDevice(analysis_->aggregate.devices.front().device);
}

// Everything that depends on the threshold: KPIs, leaderboard, alerts, the device view.
void MainWindow::showAnalysis(Refill refill) {
    if (!result_)
        return;
    if (refill == Refill::SameFleet)
        overview_->updateThreshold(result_->scored.fleet, *analysis_);
    else
        overview_->setData(result_->scored.fleet, *analysis_);
    const QString selected = leaderboard_->selectedDevice();
    const QSignalBlocker block(leaderboard_);
    leaderboard_->setDevices(analysis_->aggregate.devices);
    if (!selected.isEmpty())
        leaderboard_->selectDevice(selected);
    alertModel_->setAlerts(analysis_->alerts);
    alertsTab_->setContext(result_->scored.fleet, *analysis_);
    kpiTab_->setKpis(analysis_->kpis, analysis_->threshold);
    evaluationTab_->setOperatingAlarms(analysis_->kpis);
    if (const auto it = seriesCache_.constFind(viewDevice_); it != seriesCache_.constEnd())
        showDevice(*it);
}

const Analysis* MainWindow::previewAnalysis() const {
    if (!preview_ || !evaluationTab_->isPreviewing() ||
        preview_->analysis.threshold != evaluationTab_->threshold())
        return nullptr;
    return &preview_->analysis;
}

// The Evaluation view's what-if: the alarms `threshold` would give, derived like the operating analysis but
// shown there only. The Alerts list, overview, leaderboard and device view keep the operating analysis.
void MainWindow::previewThreshold(double threshold) {
    if (!result_)
        return;
    if (EvaluationPanel::sameThreshold(threshold, analysis_->threshold)) {
        dropPreview();
        return;
    }
    if (preview_ && preview_->analysis.threshold == threshold) {
        pendingThreshold_.reset();  // back where the newest derivation is: nothing else to derive
        showPreview(threshold, preview_);
        return;
    }
    // Lowering the threshold explains the rows that become flagged, which can take longer than a frame:
    // derive on a worker. One at a time: while one runs, only the newest threshold asked for waits, and
    // starts when it is done (a drag is followed step by step, nothing is derived twice, and the score
    // indexes are built once).
    if (reanalysing_) {
        pendingThreshold_ = threshold;
        return;
    }
    reanalysing_ = true;
    const quint64 generation = fleetGeneration_;
    showThresholdStatus();
    // Explanations are reused from the newest derivation: the previous preview of a drag, else the operating
    // one.
    const std::shared_ptr<const Analysis> previous =
        preview_ ? std::shared_ptr<const Analysis>(preview_, &preview_->analysis) : analysis_;
    tasks_.run<std::shared_ptr<Derived>>(
        "itap-reanalyse",
        [result = result_, previous, cache = reanalysisCache_, threshold] {  // shares the analysis, no copy
            auto derived = std::make_shared<Derived>();
            // Built once per fleet (the sorts, O(n log n), and the score statistics); every later threshold
            // reuses it.
            derived->cache = cache ? cache
                                   : std::make_shared<const ReanalysisCache>(
                                         ReanalysisCache::build(result->scored.fleet.table));
            derived->analysis = reanalyseAt(result->scored.fleet, result->scored.model, *previous, threshold,
                                            result->analysis, result->catalog, derived->cache.get());
            return derived;
        },
        [this, generation, threshold](std::shared_ptr<Derived> derived) {
            reanalysing_ = false;
            if (generation == fleetGeneration_ && result_) {  // else another fleet by now
                reanalysisCache_ = derived->cache;
                preview_ = derived;
                if (applyWhenDerived_ && *applyWhenDerived_ == threshold) {
                    applyWhenDerived_.reset();
                    applyPreview(threshold);
                } else {
                    showPreview(threshold, derived);
                }
            }
            if (const std::optional<double> next = std::exchange(pendingThreshold_, std::nullopt))
                previewThreshold(*next);
            else
                showThresholdStatus();
        });
}

void MainWindow::showPreview(double threshold, std::shared_ptr<Derived> derived) {
    // The controls may have moved on (a newer threshold is pending) or back to the operating threshold.
    if (!evaluationTab_->isPreviewing() || evaluationTab_->threshold() != threshold)
        return;
    evaluationTab_->setPreviewAlarms(threshold, derived->analysis.kpis);
    evaluationTab_->setDeviceMetrics(threshold, derived->analysis.metrics.perDevice);
    showThresholdStatus();
    emit previewShown(threshold);
}

void MainWindow::dropPreview() {
    pendingThreshold_.reset();
    applyWhenDerived_.reset();
    if (result_)
        evaluationTab_->setDeviceMetrics(analysis_->threshold, analysis_->metrics.perDevice);
    showThresholdStatus();
}

// Apply: the previewed threshold becomes the operating one. The preview was derived by the same path as every
// re-analysis, so it is adopted as it is; an Apply before its derivation arrived waits for it.
void MainWindow::applyPreview(double threshold) {
    if (!result_ || EvaluationPanel::sameThreshold(threshold, analysis_->threshold))
        return;
    if (!preview_ || preview_->analysis.threshold != threshold) {
        applyWhenDerived_ = threshold;
        previewThreshold(threshold);
        return;
    }
    const double from = analysis_->threshold;
    std::shared_ptr<Derived> derived = std::exchange(preview_, nullptr);
    pendingThreshold_.reset();
    thresholdNote_ = tr(" (applied by %1; recording…)").arg(alarms_->operatorName());
    showReanalysis(threshold, std::move(derived));
    recordThresholdChange(from, threshold);
}

void MainWindow::showReanalysis(double threshold, std::shared_ptr<Derived> derived) {
    reanalysisCache_ = derived->cache;
    alertsTab_->clearContext();
    analysis_ = std::shared_ptr<const Analysis>(derived, &derived->analysis);
    evaluationTab_->setOperatingThreshold(threshold);
    evaluationTab_->setDeviceMetrics(threshold, analysis_->metrics.perDevice);
    liveView_->setThreshold(analysis_->threshold);
    showAnalysis(Refill::SameFleet);
    showThresholdStatus();
    emit analysisChanged();
}

// The journal row of an Apply: who, when, from, to, for the model shown. On a worker (it opens the store); a
// database that cannot take it (read-only, say) keeps the threshold for this session and the status says why.
void MainWindow::recordThresholdChange(double from, double to) {
    ThresholdChange change;
    change.modelId = result_->scored.fleet.table.modelId;
    change.atMs = QDateTime::currentMSecsSinceEpoch();
    change.operatorName = alarms_->operatorName();
    change.fromThreshold = from;
    change.toThreshold = to;
    const quint64 generation = fleetGeneration_;
    tasks_.run<Result<ThresholdChange>>(
        "itap-threshold",
        [database = result_->databasePath, change]() -> Result<ThresholdChange> {
            auto store = Store::open(database, nullptr);
            if (!store)
                return store.error();
            return AlarmJournal(**store).recordThresholdChange(change);
        },
        [this, generation, change](Result<ThresholdChange> recorded) {
            if (generation != fleetGeneration_)
                return;
            const bool ok = recorded.ok();
            const QString why = ok ? QString() : recorded.error().message;
            if (EvaluationPanel::sameThreshold(analysis_->threshold, change.toThreshold))
                thresholdNote_ = ok ? tr(" (applied by %1, recorded in the journal)").arg(change.operatorName)
                                    : tr(" (applied for this session only; not recorded: %1)").arg(why);
            showThresholdStatus();
            emit thresholdRecorded(ok, ok ? QString() : why);
        });
}

// The status line always names the operating threshold, and the previewed one while there is a preview.
void MainWindow::showThresholdStatus() {
    if (!result_)
        return;
    const QLocale locale;
    QString text = tr("Ready — operating threshold %1").arg(locale.toString(analysis_->threshold, 'f', 3)) +
                   thresholdNote_;
    if (evaluationTab_->isPreviewing()) {
        text +=
            tr(" · previewing %1 (not applied)").arg(locale.toString(evaluationTab_->threshold(), 'f', 3));
        if (reanalysing_)
            text += tr(", deriving its alarms…");
    }
    setStage(text + settingsNote_);
}

// The journal's side of the KPIs (the shelved count) is read on a worker: a server may be slow to answer.
void MainWindow::readJournalCounts() {
    const quint64 generation = fleetGeneration_;
    tasks_.run<Result<std::array<int, kAlarmStateCount>>>(
        "itap-journal",
        [database = result_->databasePath]() -> Result<std::array<int, kAlarmStateCount>> {
            auto store = Store::open(database, nullptr);
            if (!store)
                return store.error();
            auto alarms = AlarmJournal(**store).alarms(QDateTime::currentMSecsSinceEpoch());
            if (!alarms)
                return alarms.error();
            return countByState(*alarms);
        },
        [this, generation](Result<std::array<int, kAlarmStateCount>> counts) {
            if (generation != fleetGeneration_)
                return;
            if (counts)
                kpiTab_->setJournalCounts(*counts);
            else
                kpiTab_->setJournalUnavailable(counts.error().message);
        });
}

void MainWindow::showAlertOfRow(qulonglong tableRow) {
    if (!result_ || tableRow >= result_->scored.fleet.table.size())
        return;
    const ScoreTable& table = result_->scored.fleet.table;
    const QString device = table.devices.value(table.device[tableRow]);
    const qint64 ts = table.tsMs[tableRow];
    for (int row = 0; row < alertModel_->rowCount(); ++row) {
        const Alert& alert = alertModel_->alertAt(row);
        if (alert.device != device || ts < alert.startMs || ts > alert.endMs)
            continue;
        const QModelIndex index = alertsTab_->proxy()->mapFromSource(alertModel_->index(row, 0));
        if (!index.isValid())
            return;  // filtered out: leave the operator's filters alone
        alertsTab_->selectRow(index.row());
        showView(View::Alerts);
        return;
    }
}

void MainWindow::onDeviceSelected(const QString& device) {
    if (!result_ || device.isEmpty())
        return;
    viewDevice_ = device;
    requestDevice(device);
}

// Telemetry of the current fleet is read once per device and kept: the device view and the alert drill-down
// both ask for it, and re-reading on every click would make the store the bottleneck.
void MainWindow::requestDevice(const QString& device) {
    if (const auto it = seriesCache_.constFind(device); it != seriesCache_.constEnd()) {
        onDeviceLoaded(*it);
        return;
    }
    controller_->loadDevice(result_->databasePath, device);
}

void MainWindow::onDeviceLoaded(const DeviceSeriesPtr& series) {
    if (!result_ || !series || result_->scored.fleet.table.devices.indexOf(series->deviceId) < 0)
        return;
    seriesCache_.insert(series->deviceId, series);
    if (series->deviceId == alertsDevice_)
        alertsTab_->setDeviceSeries(*series);
    if (series->deviceId == viewDevice_)
        showDevice(series);
}

void MainWindow::showDevice(const DeviceSeriesPtr& series) {
    const int deviceIndex = static_cast<int>(result_->scored.fleet.table.devices.indexOf(series->deviceId));
    deviceTab_->setData(result_->scored.fleet, *analysis_, *series, deviceIndex);
    tabs_->setTabText(static_cast<int>(View::Device), tr("Device %1").arg(series->deviceId));
    if (pendingHighlight_ && pendingHighlight_->device == series->deviceId) {
        deviceTab_->highlight(pendingHighlight_->fromMs, pendingHighlight_->toMs);
        pendingHighlight_.reset();
    }
    emit deviceShown(series->deviceId);
}

void MainWindow::showSimulateDialog() {
    QSettings settings;
    SimulateDialog dialog(this);
    dialog.setSettings(SimulationSettings::load(settings));
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    dialog.setDatabasePath(QDir(defaultDataDir()).filePath(QStringLiteral("fleet-%1.db").arg(stamp)));
    if (dialog.exec() != QDialog::Accepted)
        return;
    const SimulationSettings chosen = dialog.settings();
    chosen.save(settings);
    // The dialog is for a new fleet: a file the operator chose to overwrite is replaced, not merged into.
    simulate(chosen, dialog.databasePath(), true);
}

void MainWindow::showSettingsDialog() {
    QSettings settings;
    SettingsDialog dialog(this);
    dialog.setSettings(ConsoleSettings::load(settings));
    if (dialog.exec() == QDialog::Accepted) {
        dialog.settings().save(settings);
        alarms_->setOperatorName(dialog.settings().operatorName);
    }
}

void MainWindow::showOpenDialog() {
    const QString start = result_ ? QFileInfo(result_->databasePath).absolutePath() : defaultDataDir();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open telemetry database"), start,
                                                      tr("SQLite databases (*.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path);
}

void MainWindow::showOpenServerDialog() {
    bool ok = false;
    const QString url = QInputDialog::getText(
        this, tr("Open server database"),
        tr("PostgreSQL URL, e.g. postgresql://user@host:5432/dbname\n(the password comes from PGPASSWORD or "
           "~/.pgpass; it is never stored)"),
        QLineEdit::Normal, QStringLiteral("postgresql://"), &ok);
    if (!ok || url.trimmed().isEmpty())
        return;
    if (!Store::isServerUrl(url)) {
        QMessageBox::warning(this, tr("Open server database"),
                             tr("Not a PostgreSQL URL: %1").arg(Store::withoutPassword(url)));
        return;
    }
    openDatabase(url.trimmed());
}

void MainWindow::showImportDialog() {
    QSettings settings;
    ImportDialog dialog(this);
    dialog.setOpenDatabase(result_ ? result_->databasePath : QString());
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    dialog.setDatabasePath(QDir(defaultDataDir()).filePath(QStringLiteral("import-%1.db").arg(stamp)));
    dialog.setMappingFile(settings.value(kImportMappingKey).toString());
    dialog.setFiles(settings.value(kImportFilesKey).toStringList());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QStringList files = dialog.files();  // each call lists the directories of the globs again
    settings.setValue(kImportFilesKey, files);
    settings.setValue(kImportMappingKey, dialog.mappingFile());
    const QString db = dialog.databasePath();
    if (!Store::isServerUrl(db))
        QDir().mkpath(QFileInfo(db).absolutePath());
    if (dialog.isCanonical())
        importCsv(files.value(0), db, dialog.skipInvalid());
    else if (const auto mapping = dialog.mapping())
        importMapped(files, *mapping, db, dialog.skipInvalid());
}

void MainWindow::exportArtifactsTo() {
    if (!result_)
        return;
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export artifacts to"), settings.value(kExportDirKey, QDir::homePath()).toString());
    if (dir.isEmpty())
        return;
    settings.setValue(kExportDirKey, dir);
    setStage(tr("Exporting artifacts…"));
    exportAction_->setEnabled(false);
    // Serialising every alert and explanation can take longer than a frame: write on a worker.
    tasks_.run<Result<QStringList>>(
        "itap-export",
        [result = result_, analysis = analysis_, dir] { return exportArtifacts(*result, *analysis, dir); },
        [this, dir](Result<QStringList> written) {
            exportAction_->setEnabled(result_ != nullptr && !controller_->isRunning());
            if (!written) {
                setStage(tr("Export failed"));
                showError(tr("Export failed"), written.error().toString());
                return;
            }
            setStage(tr("Exported %1 files to %2").arg(written->size()).arg(QDir::toNativeSeparators(dir)));
        });
}

void MainWindow::exportAlarmJournal() {
    if (!result_)
        return;
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export alarm journal to"), settings.value(kExportDirKey, QDir::homePath()).toString());
    if (dir.isEmpty())
        return;
    settings.setValue(kExportDirKey, dir);
    exportAlarmJournalTo(dir);
}

void MainWindow::exportAlarmJournalTo(const QString& dir) {
    if (!result_)
        return;
    setStage(tr("Exporting the alarm journal…"));
    exportJournalAction_->setEnabled(false);
    // Reading the journal is a store read (a server may be slow): on a worker, with its own connection.
    tasks_.run<Result<QStringList>>(
        "itap-journal-export",
        [database = result_->databasePath, dir]() -> Result<QStringList> {
            auto store = Store::open(database, nullptr);
            if (!store)
                return store.error();
            return exportJournal(**store, dir);
        },
        [this, dir](Result<QStringList> written) {
            exportJournalAction_->setEnabled(result_ != nullptr && !controller_->isRunning());
            if (!written) {
                setStage(tr("Alarm journal export failed"));
                showError(tr("Export failed"), written.error().toString());
                emit journalExported({}, written.error().toString());
                return;
            }
            setStage(tr("Exported the alarm journal (%1) to %2")
                         .arg(QStringList{QString::fromLatin1(kJournalCsvFile),
                                          QString::fromLatin1(kJournalJsonFile)}
                                  .join(tr(", ")),
                              QDir::toNativeSeparators(dir)));
            emit journalExported(*written, {});
        });
}

void MainWindow::about() {
    QMessageBox::about(
        this, tr("About ITAP Console"),
        tr("<h3>ITAP Console %1</h3>"
           "<p>Industrial Telemetry Analytics Platform: detects, explains, aggregates and alerts on "
           "anomalous behaviour in machine telemetry.</p>"
           "<p>Git commit: <tt>%2</tt><br>Qt %3</p>")
            .arg(version_.isEmpty() ? tr("(development build)") : version_,
                 gitCommit_.isEmpty() ? tr("unknown") : gitCommit_, QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    controller_->cancel();
    liveView_->stop();
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    QMainWindow::closeEvent(event);
}

}  // namespace itap
