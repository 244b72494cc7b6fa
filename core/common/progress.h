#pragma once

#include <QString>

#include <atomic>
#include <functional>

namespace itap {

/// Progress and cancellation sink passed to every long-running stage.
/// Called from the worker thread that runs the stage, at least every ~50 ms of work.
/// Returns false when the caller wants the stage to stop; the stage then returns Error::cancelled()
/// and leaves stored data as it was before the stage (the current transaction is rolled back).
using ProgressFn = std::function<bool(qint64 done, qint64 total, const QString& message)>;

/// Calls `fn` when set; true (= go on) when there is no sink.
inline bool reportProgress(const ProgressFn& fn, qint64 done, qint64 total, const QString& message = {}) {
    return !fn || fn(done, total, message);
}

}  // namespace itap
