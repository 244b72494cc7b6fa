#include "screenshot.h"

#include "import_dialog.h"
#include "live_view.h"
#include "main_window.h"
#include "models/alert_list_model.h"

#include "alerts_panel.h"

#include <QSortFilterProxyModel>

#include <QDir>
#include <QDockWidget>
#include <QPixmap>
#include <QTimer>

#include <memory>

namespace itap {
namespace {

// Charts lay themselves out on the event loop after a tab becomes visible; give them a moment before
// grabbing.
constexpr int kSettleMs = 200;

}  // namespace

SimulationSettings ScreenshotSession::defaultSettings() {
    SimulationSettings s;
    s.devices = 6;
    s.hours = 12;
    s.intervalS = 10;
    s.seed = 42;
    // Twelve hours of six devices is a short span: raise the rates so every fault type shows up.
    s.faultRateScale = 4.0;
    return s;
}

ScreenshotSession::ScreenshotSession(QString outDir, SimulationSettings settings, QObject* parent)
    : QObject(parent), outDir_(std::move(outDir)), settings_(std::move(settings)) {}

ScreenshotSession::~ScreenshotSession() = default;

void ScreenshotSession::start() {
    if (!QDir().mkpath(outDir_))
        return fail(tr("cannot create the directory %1").arg(outDir_));
    if (!workDir_.isValid())
        return fail(tr("cannot create a temporary directory"));
    window_ = std::make_unique<MainWindow>();
    window_->resize(windowSize_);
    window_->show();
    MainWindow* w = window_.get();
    connect(w->controller(), &PipelineController::failed, this,
            [this](const QString& message) { fail(message); });
    connect(w->controller(), &PipelineController::cancelled, this, [this] { fail(tr("cancelled")); });
    // The window selects the worst device once the result is shown; its telemetry arrives a little later.
    connect(w, &MainWindow::deviceShown, this, [this] { grabViews(); });
    connect(w->controller(), &PipelineController::deviceLoadFailed, this, [this] { grabViews(); });
    connect(w, &MainWindow::resultShown, this, [this, w] {
        if (w->analysis().aggregate.devices.empty())
            grabViews();
    });
    if (!w->simulate(settings_, QDir(workDir_.path()).filePath(QStringLiteral("screenshots.db")), true))
        fail(tr("the pipeline did not start"));
}

void ScreenshotSession::grabViews() {
    if (grabbing_ || finished_)
        return;
    grabbing_ = true;
    QTimer::singleShot(kSettleMs, this, [this] { grabNext(0); });
}

// One view per event-loop turn: switch tab, let it lay out, grab, go on.
void ScreenshotSession::grabNext(int step) {
    if (finished_)
        return;
    MainWindow* w = window_.get();
    if (step < MainWindow::kViewCount) {
        const auto view = static_cast<MainWindow::View>(step);
        w->showView(view);
        const std::function<void()> grab = [this, w, view, step] {
            if (save(w->viewWidget(view), MainWindow::viewKey(view)))
                grabNext(step + 1);
        };
        if (view == MainWindow::View::Live)
            return streamLiveThenGrab(grab);
        int settle = kSettleMs;
        if (view == MainWindow::View::Alerts)
            settle += drillIntoWorstAlert();
        QTimer::singleShot(settle, this, grab);
        return;
    }
    w->showView(MainWindow::View::FleetOverview);
    QTimer::singleShot(kSettleMs, this, [this, w] {
        auto* dock = w->findChild<QDockWidget*>(QStringLiteral("leaderboardDock"));
        if (dock && !save(dock->widget(), QStringLiteral("leaderboard")))
            return;
        if (!save(w, QStringLiteral("main_window")))
            return;
        SimulateDialog dialog(w);
        dialog.setSettings(settings_);
        dialog.setDatabasePath(QDir(outDir_).filePath(QStringLiteral("fleet.db")));
        dialog.adjustSize();
        if (!save(&dialog, QStringLiteral("simulate_dialog")))
            return;
        // File > Import with the preview of the CSV the fleet was simulated into (canonical, no mapping).
        ImportDialog importDialog(w);
        importDialog.setDatabasePath(QDir(outDir_).filePath(QStringLiteral("import.db")));
        if (w->result())
            importDialog.setFiles({w->result()->csvPath});
        if (!save(&importDialog, QStringLiteral("import_dialog")))
            return;
        finished_ = true;
        emit done(
            0,
            tr("%1 screenshots written to %2").arg(written_.size()).arg(QDir::toNativeSeparators(outDir_)));
    });
}

// An alerts view with an explanation open says more than an empty one: open the most severe, highest-scoring
// alert. Returns the extra time its device's telemetry needs to arrive.
int ScreenshotSession::drillIntoWorstAlert() {
    auto* panel = qobject_cast<AlertsPanel*>(window_->viewWidget(MainWindow::View::Alerts));
    const AlertListModel* model = window_->alertModel();
    if (!panel || model->rowCount() == 0)
        return 0;
    int worst = 0;
    for (int row = 1; row < model->rowCount(); ++row) {
        const Alert& a = model->alertAt(row);
        const Alert& b = model->alertAt(worst);
        if (a.severity > b.severity || (a.severity == b.severity && a.peakScore > b.peakScore))
            worst = row;
    }
    const QModelIndex index = panel->proxy()->mapFromSource(model->index(worst, 0));
    if (!index.isValid())
        return 0;
    panel->selectRow(index.row());
    return 4 * kSettleMs;
}

// A live view with nothing streamed is an empty chart: stream the fleet's next hours at full pace, pause once
// the chart has a few hours and an alert (or after a while), then `grab` it and stop the stream.
void ScreenshotSession::streamLiveThenGrab(const std::function<void()>& grab) {
    LiveView* live = window_->liveView();
    live->setSpeed(LiveSession::kMaxSpeed);
    live->session()->setUnthrottled(true);
    if (!live->start()) {
        QTimer::singleShot(kSettleMs, this, grab);
        return;
    }
    auto* poll = new QTimer(this);
    poll->setInterval(100);
    auto waited = std::make_shared<int>(0);
    connect(poll, &QTimer::timeout, this, [this, poll, waited, live, grab] {
        const LiveSession* session = live->session();
        const qint64 enough = qint64(session->devices().size()) * 6 * 360;  // about six hours of every device
        *waited += poll->interval();
        if (session->isRunning() && *waited < 30'000 &&
            (session->rows() < enough || session->alerts().empty()))
            return;
        poll->deleteLater();
        live->setPaused(true);
        QTimer::singleShot(kSettleMs, this, [live, grab] {
            grab();  // the paused view (grabNext only schedules the next one)
            live->stop();
            live->session()->setUnthrottled(false);
        });
    });
    poll->start();
}

bool ScreenshotSession::save(QWidget* widget, const QString& name) {
    const QString path = QDir(outDir_).filePath(name + QStringLiteral(".png"));
    const QPixmap pixmap = widget->grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        fail(tr("cannot write %1").arg(path));
        return false;
    }
    written_ << path;
    return true;
}

void ScreenshotSession::fail(const QString& message) {
    if (finished_)
        return;
    finished_ = true;
    emit done(1, message);
}

}  // namespace itap
