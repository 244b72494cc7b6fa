#include "terminal_progress.h"

#include <cstdio>
#include <unistd.h>

namespace itap::cli {

TerminalProgress::TerminalProgress(QString stage, bool enabled)
    : stage_(std::move(stage)), enabled_(enabled && ::isatty(STDERR_FILENO) == 1) {}

TerminalProgress::~TerminalProgress() { finish(); }

ProgressFn TerminalProgress::sink() {
    return [this](qint64 done, qint64 total, const QString& message) {
        draw(done, total, message);
        return true;
    };
}

void TerminalProgress::draw(qint64 done, qint64 total, const QString& message) {
    if (!enabled_) return;
    // Redraw at most 10 times a second: a terminal is slow, the stages are not.
    if (drawn_ && lastDraw_.isValid() && lastDraw_.elapsed() < 100 && done < total) return;
    lastDraw_.start();
    constexpr int kWidth = 30;
    const double frac = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
    const int filled = static_cast<int>(frac * kWidth);
    QByteArray bar(kWidth, ' ');
    for (int i = 0; i < filled; ++i) bar[i] = '#';
    const QString text = message.isEmpty() ? stage_ : stage_ + QStringLiteral(": ") + message;
    std::fprintf(stderr, "\r\033[K[%s] %3d%% %s", bar.constData(), static_cast<int>(frac * 100),
                 text.left(70).toLocal8Bit().constData());
    std::fflush(stderr);
    drawn_ = true;
}

void TerminalProgress::finish() {
    if (enabled_ && drawn_) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        drawn_ = false;
    }
}

}  // namespace itap::cli
