#pragma once

#include "simulate_dialog.h"

#include <QObject>
#include <QSize>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace itap {

class MainWindow;

/// `itap-console --screenshots DIR`: simulates a small fleet in a MainWindow, then saves every main view as
/// DIR/<view>.png (QWidget::grab), for the docs and for looking at the layout without a display.
/// GUI thread; the steps are chained through the event loop, never processEvents().
class ScreenshotSession : public QObject {
    Q_OBJECT

public:
    /// The small default simulation: 6 devices × 12 h, every fault type.
    [[nodiscard]] static SimulationSettings defaultSettings();

    ScreenshotSession(QString outDir, SimulationSettings settings, QObject* parent = nullptr);
    ~ScreenshotSession() override;

    /// Window size of the screenshots (default 1920×1080, a control-room monitor); set before start().
    void setWindowSize(const QSize& size) { windowSize_ = size; }
    /// Creates and shows the window and starts the pipeline; done() follows.
    void start();
    /// PNG files written so far.
    [[nodiscard]] const QStringList& written() const { return written_; }
    [[nodiscard]] MainWindow* window() const { return window_.get(); }

signals:
    /// 0 when every view was saved; 1 with `message` otherwise.
    void done(int exitCode, const QString& message);

private:
    void grabViews();
    void grabNext(int step);
    int drillIntoWorstAlert();
    void streamLiveThenGrab(const std::function<void()>& grab);
    bool save(QWidget* widget, const QString& name);
    void fail(const QString& message);

    QString outDir_;
    SimulationSettings settings_;
    QTemporaryDir workDir_;
    std::unique_ptr<MainWindow> window_;
    QStringList written_;
    QSize windowSize_{1920, 1080};
    bool grabbing_ = false;
    bool finished_ = false;
};

}  // namespace itap
