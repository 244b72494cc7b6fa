#pragma once

#include "common/progress.h"

#include <QElapsedTimer>
#include <QString>

namespace itap::cli {

/// Draws a one-line progress bar on stderr when stderr is a terminal; silent otherwise
/// (pipes, CI logs and --json runs get clean output).
class TerminalProgress {
public:
    explicit TerminalProgress(QString stage, bool enabled = true);
    ~TerminalProgress();
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    /// A sink for core stages; never cancels.
    [[nodiscard]] ProgressFn sink();
    /// Clears the bar line so the next message starts on a clean line.
    void finish();

private:
    void draw(qint64 done, qint64 total, const QString& message);

    QString stage_;
    bool enabled_;
    bool drawn_ = false;
    QElapsedTimer lastDraw_;
};

}  // namespace itap::cli
