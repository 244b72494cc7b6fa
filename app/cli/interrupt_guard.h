#pragma once

#include "common/progress.h"
#include "common/result.h"

#include <QString>

namespace itap::cli {

/// Turns SIGINT and SIGTERM into a request to stop, for as long as it lives: the signal handler only sets an
/// atomic flag, which the progress sinks of the long stages read (withInterrupt()), so the stage stops at its
/// next batch boundary, rolls back that batch and records the run as cancelled. A second signal of the same
/// kind is not caught (SA_RESETHAND) and ends the process at once. One guard at a time; main thread only.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();  ///< restores the previous handlers
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    /// The signal that asked to stop, 0 when none did.
    [[nodiscard]] static int signal();
    /// The exit code of a command stopped by signal(): 128 + the signal number (130 for SIGINT).
    [[nodiscard]] static int exitCode();
    /// `inner` that also returns false (stop) once a signal arrived.
    [[nodiscard]] static ProgressFn withInterrupt(ProgressFn inner);
    /// True when a signal asked to stop and `error` is the cancellation that followed (the stage stopped
    /// at its boundary), not a failure of its own.
    [[nodiscard]] static bool stopped(const Error& error);
    /// Prints the one line of an interrupted command, "itap <command>: interrupted; <kept>" (what was kept,
    /// what not), and returns exitCode().
    static int report(const QString& command, const QString& kept);
};

}  // namespace itap::cli
