#pragma once

#include "background_tasks.h"

#include "pipeline/pipeline_run.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace itap {

using PipelineResultPtr = std::shared_ptr<const PipelineResult>;
using DeviceSeriesPtr = std::shared_ptr<const DeviceSeries>;

/// Runs the pipeline off the GUI thread (BackgroundTasks) and reports back on the thread that owns it.
///
/// One run at a time. Signals are emitted on the controller's thread (BackgroundTasks hands results and
/// progress over), so slots connected to them may touch widgets. The worker only reads the request copy it
/// was given and owns everything it creates until the result is handed over.
class PipelineController : public QObject {
    Q_OBJECT

public:
    explicit PipelineController(QObject* parent = nullptr);
    /// Cancels a running stage and waits for the worker: it must not outlive the object it reports to.
    ~PipelineController() override;

    /// Starts a run; false (and nothing happens) while another run is in progress.
    bool start(itap::PipelineRequest request);
    /// Asks the running stage to stop; it returns within its next progress check (~50 ms of work).
    void cancel();
    [[nodiscard]] bool isRunning() const;

    /// Reads one device's telemetry from `databasePath` on a worker thread; answers with deviceLoaded() (an
    /// empty series for an unknown device) or deviceLoadFailed(). Requests run concurrently and each answers;
    /// the receiver decides whether the answer is still wanted.
    void loadDevice(const QString& databasePath, const QString& device);

signals:
    void started();
    /// Overall fraction in [0, 1] and the human-readable stage name.
    void progress(double fraction, const QString& stage);
    void finished(itap::PipelineResultPtr result);
    /// The run failed; `message` is one operator-readable line (file:line:column when from a file).
    void failed(const QString& message);
    /// The run stopped because cancel() was called.
    void cancelled();
    void deviceLoaded(itap::DeviceSeriesPtr series);
    void deviceLoadFailed(const QString& device, const QString& message);

private:
    struct RunState;  // shared by the GUI thread and the worker; the worker never touches the controller
    void onRunFinished(const std::shared_ptr<RunState>& run);

    std::shared_ptr<RunState> run_;
    bool running_ = false;   // true from start() until the finished/failed/cancelled signal went out
    BackgroundTasks tasks_;  // last: destroyed first, so workers are joined before the state above goes
};

}  // namespace itap

Q_DECLARE_METATYPE(itap::PipelineResultPtr)
Q_DECLARE_METATYPE(itap::DeviceSeriesPtr)
