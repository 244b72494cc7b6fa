#include "cli/interrupt_guard.h"

#include <atomic>
#include <csignal>
#include <cstdio>

namespace itap::cli {
namespace {

std::atomic<int> gSignal{0};  // lock-free, so the handler may store to it
static_assert(std::atomic<int>::is_always_lock_free);

struct sigaction gPreviousInt {};
struct sigaction gPreviousTerm {};

extern "C" void onStopSignal(int sig) {
    gSignal.store(sig);
}

}  // namespace

InterruptGuard::InterruptGuard() {
    gSignal.store(0);
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &gPreviousInt);
    sigaction(SIGTERM, &action, &gPreviousTerm);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &gPreviousInt, nullptr);
    sigaction(SIGTERM, &gPreviousTerm, nullptr);
}

int InterruptGuard::signal() {
    return gSignal.load();
}

int InterruptGuard::exitCode() {
    return 128 + signal();
}

bool InterruptGuard::stopped(const Error& error) {
    return error.kind == Error::Kind::Cancelled && signal() != 0;
}

int InterruptGuard::report(const QString& command, const QString& kept) {
    std::fprintf(stderr, "itap %s: interrupted; %s\n", qPrintable(command), qPrintable(kept));
    return exitCode();
}

ProgressFn InterruptGuard::withInterrupt(ProgressFn inner) {
    return [inner = std::move(inner)](qint64 done, qint64 total, const QString& message) {
        return gSignal.load() == 0 && reportProgress(inner, done, total, message);
    };
}

}  // namespace itap::cli
