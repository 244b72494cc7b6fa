#include "pipeline_controller.h"

#include "common/json_util.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace itap {
namespace {

// Progress is posted to the GUI thread when it moves by one of 1000 steps (finer than any progress bar) or
// the stage changes, not for every batch.
constexpr int kProgressSteps = 1000;

struct DeviceLoad {
    DeviceSeriesPtr series;
    QString error;
};

}  // namespace

struct PipelineController::RunState {
    std::atomic<bool> cancel{false};
    std::optional<Result<PipelineResult>> outcome;  // written by the worker, read in its done callback
};

PipelineController::PipelineController(QObject* parent) : QObject(parent) {}

PipelineController::~PipelineController() {
    if (run_)
        run_->cancel = true;
    // tasks_, the last member, waits for the worker: files and the database are closed when we are gone.
}

bool PipelineController::start(PipelineRequest request) {
    if (running_)
        return false;
    running_ = true;
    run_ = std::make_shared<RunState>();
    auto run = run_;
    tasks_.run(
        "itap-pipeline",
        [this, run, request = std::move(request)] {
            int lastStep = -1;
            QString lastStage;
            const PipelineProgressFn sink = [&](double fraction, const QString& stage) {
                if (run->cancel.load(std::memory_order_relaxed))
                    return false;
                const int step =
                    static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * kProgressSteps));
                if (step != lastStep || stage != lastStage) {
                    lastStep = step;
                    lastStage = stage;
                    tasks_.post([this, run, step, stage] {
                        if (run == run_)
                            emit progress(double(step) / kProgressSteps, stage);
                    });
                }
                return true;
            };
            run->outcome.emplace(runPipeline(request, sink));
        },
        [this, run] { onRunFinished(run); });
    emit started();
    return true;
}

void PipelineController::cancel() {
    if (run_)
        run_->cancel = true;
}

bool PipelineController::isRunning() const {
    return running_;
}

void PipelineController::onRunFinished(const std::shared_ptr<RunState>& run) {
    run_.reset();
    running_ = false;
    if (!run->outcome) {
        emit failed(tr("The pipeline stopped unexpectedly."));
        return;
    }
    Result<PipelineResult>& outcome = *run->outcome;
    if (!outcome) {
        if (outcome.error().kind == Error::Kind::Cancelled || run->cancel)
            emit cancelled();
        else
            emit failed(outcome.error().toString());
        return;
    }
    emit finished(std::make_shared<const PipelineResult>(std::move(outcome).value()));
}

void PipelineController::loadDevice(const QString& databasePath, const QString& device) {
    // The store is opened inside the task: a QtSql connection belongs to the thread that opened it.
    tasks_.run<DeviceLoad>(
        "itap-load",
        [databasePath, device]() -> DeviceLoad {
            auto store = Store::open(databasePath, nullptr);
            if (!store)
                return {nullptr, store.error().toString()};
            auto series = (*store)->readDevice(device);
            if (!series)
                return {nullptr, series.error().toString()};
            return {std::make_shared<const DeviceSeries>(std::move(series).value()), {}};
        },
        [this, device](DeviceLoad load) {
            if (load.series)
                emit deviceLoaded(load.series);
            else
                emit deviceLoadFailed(device, load.error);
        });
}

}  // namespace itap
