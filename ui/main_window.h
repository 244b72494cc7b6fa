#pragma once

#include "pipeline_controller.h"

#include "telemetry/simulation_profile.h"

#include <QHash>
#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace itap {

class AlarmController;
class AlarmKpiPanel;
class AlertListModel;
class AlertsPanel;
class DeviceView;
class EvaluationPanel;
class DeviceLeaderboard;
class FleetOverview;
class LiveView;
class RunNotice;
struct ReanalysisCache;
struct SimulationSettings;

/// The operator console window. It only wires the panels, the actions and the PipelineController together;
/// each panel is its own class. GUI thread only.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// The central tabs, in order.
    enum class View { FleetOverview, Device, Evaluation, Alerts, Live, AlarmKpis };
    static constexpr int kViewCount = 6;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Shown in Help ▸ About (the build's ITAP_VERSION and ITAP_GIT_COMMIT).
    void setBuildInfo(const QString& version, const QString& gitCommit);

    /// Simulates a fleet into `databasePath` (replacing the file when `replace`), then trains and scores it.
    bool simulate(const itap::SimulationSettings& settings, const QString& databasePath, bool replace);
    /// Trains and scores the telemetry stored in `databasePath`.
    bool openDatabase(const QString& databasePath);
    /// Validates and ingests a canonical telemetry CSV into `databasePath`, then trains and scores.
    bool importCsv(const QString& csvPath, const QString& databasePath, bool skipInvalid = false);
    /// Imports foreign CSV `files` through `mapping` into `databasePath` (a new database takes the mapping's
    /// channels), then trains and scores.
    bool importMapped(const QStringList& files, const itap::ImportMapping& mapping,
                      const QString& databasePath, bool skipInvalid = false);
    /// Reopens the database of the previous session, if it still exists.
    bool restoreLastDatabase();

    /// The run shown, or null before the first one finished.
    [[nodiscard]] itap::PipelineResultPtr result() const { return result_; }
    /// The analysis shown: at the operating threshold (the run's own, one the journal names for its model, or
    /// one the operator applied). A preview in the Evaluation view does not change it.
    [[nodiscard]] const itap::Analysis& analysis() const { return *analysis_; }
    /// The analysis at the previewed threshold, or null when nothing is previewed or it is still derived.
    [[nodiscard]] const itap::Analysis* previewAnalysis() const;
    [[nodiscard]] PipelineController* controller() const { return controller_; }
    [[nodiscard]] FleetOverview* fleetOverview() const { return overview_; }
    [[nodiscard]] DeviceLeaderboard* leaderboard() const { return leaderboard_; }
    [[nodiscard]] AlertListModel* alertModel() const { return alertModel_; }
    [[nodiscard]] AlarmController* alarmController() const { return alarms_; }
    [[nodiscard]] AlertsPanel* alertsPanel() const { return alertsTab_; }
    /// The alarm counts shown in the Alerts tab's title and the status bar.
    [[nodiscard]] QString alarmCountsText() const;
    [[nodiscard]] QString tabText(View view) const;
    [[nodiscard]] LiveView* liveView() const { return liveView_; }
    [[nodiscard]] EvaluationPanel* evaluationPanel() const { return evaluationTab_; }
    [[nodiscard]] AlarmKpiPanel* alarmKpiPanel() const { return kpiTab_; }
    /// Writes the alarm journal (CSV and JSON, exportJournal()) into `dir` on a worker; journalExported()
    /// follows.
    void exportAlarmJournalTo(const QString& dir);
    [[nodiscard]] QWidget* viewWidget(View view) const;
    void showView(View view);
    /// File name stem used for screenshots and object names: "fleet_overview", "device", ...
    [[nodiscard]] static QString viewKey(View view);
    [[nodiscard]] QString statusText() const;

signals:
    /// A finished run has been handed to every panel.
    void resultShown();
    /// The device view shows `device` (its telemetry was loaded).
    void deviceShown(const QString& device);
    /// analysis() was re-derived at a new threshold and every panel shows it.
    void analysisChanged();
    /// A preview's alarms were derived and the Evaluation view shows them (analysis() is unchanged).
    void previewShown(double threshold);
    /// An applied threshold was recorded in the journal (`recorded`), or could not be (`message` says why).
    void thresholdRecorded(bool recorded, const QString& message);
    /// exportAlarmJournalTo() finished: the files written, or empty with `error`.
    void journalExported(const QStringList& files, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createPanels();
    void createActions();
    void createStatusBar();
    void connectAlarms();
    void updateAlarmCounts();
    void showOnDevice(const QString& device, qint64 fromMs, qint64 toMs);
    bool startPipeline(PipelineRequest request);
    void showResult(const itap::PipelineResultPtr& result);
    /// Whether the analysis shown is of a new fleet or of the one shown, at another threshold (the panels
    /// then update in place).
    enum class Refill { NewFleet, SameFleet };
    void showAnalysis(Refill refill);
    /// A re-analysis at another threshold and the cache it was derived with (kept for the next one).
    struct Derived {
        itap::Analysis analysis;
        std::shared_ptr<const ReanalysisCache> cache;
    };
    void previewThreshold(double threshold);
    void showPreview(double threshold, std::shared_ptr<Derived> derived);
    void dropPreview();
    void applyPreview(double threshold);
    void showReanalysis(double threshold, std::shared_ptr<Derived> derived);
    void recordThresholdChange(double from, double to);
    void readJournalCounts();
    void showThresholdStatus();
    void exportAlarmJournal();
    void showAlertOfRow(qulonglong tableRow);
    void onDeviceSelected(const QString& device);
    void requestDevice(const QString& device);
    void onDeviceLoaded(const itap::DeviceSeriesPtr& series);
    void showDevice(const itap::DeviceSeriesPtr& series);
    void setBusy(bool busy);
    void setStage(const QString& text);
    void showError(const QString& title, const QString& message);
    void showSimulateDialog();
    void showSettingsDialog();
    void showOpenDialog();
    void showOpenServerDialog();
    void showImportDialog();
    void exportArtifactsTo();
    void about();

    PipelineController* controller_ = nullptr;
    AlarmController* alarms_ = nullptr;
    AlertListModel* alertModel_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    FleetOverview* overview_ = nullptr;
    DeviceLeaderboard* leaderboard_ = nullptr;
    QDockWidget* leaderboardDock_ = nullptr;
    DeviceView* deviceTab_ = nullptr;
    EvaluationPanel* evaluationTab_ = nullptr;
    AlertsPanel* alertsTab_ = nullptr;
    LiveView* liveView_ = nullptr;
    AlarmKpiPanel* kpiTab_ = nullptr;

    QAction* simulateAction_ = nullptr;
    QAction* openAction_ = nullptr;
    QAction* importAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* exportJournalAction_ = nullptr;

    QLabel* databaseLabel_ = nullptr;
    QLabel* rowsLabel_ = nullptr;
    QLabel* stageLabel_ = nullptr;
    RunNotice* notice_ = nullptr;
    QLabel* alarmCountsLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancel_ = nullptr;

    itap::PipelineResultPtr result_;
    // Shared with the worker that re-derives it at another threshold (never copied: it holds an explanation
    // per flagged row); points into result_ until the first threshold change.
    std::shared_ptr<const itap::Analysis> analysis_ = std::make_shared<const itap::Analysis>();
    QHash<QString, itap::DeviceSeriesPtr> seriesCache_;  // telemetry of the current fleet's devices, by id
    QString viewDevice_;                                 // device the device view wants
    QString alertsDevice_;                               // device the alert drill-down wants
    struct Highlight {
        QString device;
        qint64 fromMs = 0;
        qint64 toMs = 0;
    };
    std::optional<Highlight> pendingHighlight_;  // "Show on device": marked once the device is shown
    std::shared_ptr<const ReanalysisCache> reanalysisCache_;  // of the current fleet, built by the first
                                                              // threshold change
    quint64 fleetGeneration_ = 0;               // counts fleets shown: a re-analysis of an older one is dropped
    bool reanalysing_ = false;                  // a re-analysis runs on tasks_
    std::optional<double> pendingThreshold_;    // the newest threshold asked for while it runs
    // The newest preview derived (shown by the Evaluation view only) and an Apply waiting for its derivation.
    std::shared_ptr<Derived> preview_;
    std::optional<double> applyWhenDerived_;
    QString thresholdNote_;  // why the operating threshold is what it is (applied by whom, recorded or not)
    QString settingsNote_;   // the run's non-default settings, for the status line
    QString pendingDatabase_;                          // the database of the run in progress
    std::optional<SimulationProfile> pendingProfile_;  // the profile of the run in progress, if it simulates
    QStringList pendingSettings_;                  // the run in progress's non-default settings (status bar)
    std::optional<SimulationProfile> runProfile_;  // the profile that simulated the run shown
    bool layoutRestored_ = false;  // a saved dock layout was restored, or the default one applied
    QString version_;
    QString gitCommit_;
    itap::BackgroundTasks tasks_;  // re-analysis and export; last, so its threads are joined first
};

}  // namespace itap
