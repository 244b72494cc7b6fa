#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace itap {

/// A client-side deadline for a database connection whose calls block in the driver: when a call has heard
/// nothing from the server for `timeoutMs`, the watchdog shuts the connection's socket down, so that the
/// blocked read or write returns with an error instead of waiting forever (a server process that is stopped
/// while its kernel still acknowledges data and answers keepalives; nothing else notices that).
///
/// "Heard nothing" counts from the start of the call, or from the last data the socket sent or received
/// when it is a TCP socket (TCP_INFO), so a call of many statements or a long stream of rows is not cut
/// short; over another kind of socket it counts from the start of the call.
///
/// The watchdog keeps its own duplicate of the socket descriptor, so that the driver closing its descriptor
/// cannot make the watchdog shut down an unrelated file that reuses the number. It fires at most once: the
/// connection is unusable afterwards.
///
/// Threading: enter() and leave() on the thread that uses the connection; fired() from any thread; the
/// watchdog checks on a thread of its own, joined by the destructor.
class ConnectionWatchdog {
public:
    /// Watches `socketFd` (duplicated here; the caller keeps its own). Check fd() >= 0 for success.
    ConnectionWatchdog(int socketFd, qint64 timeoutMs);
    ~ConnectionWatchdog();
    ConnectionWatchdog(const ConnectionWatchdog&) = delete;
    ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

    /// The duplicated descriptor; -1 when duplicating failed (then the watchdog does nothing).
    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] qint64 timeoutMs() const { return timeoutMs_; }

    /// A call that talks to the server starts / ends; not nested (the caller counts).
    void enter();
    void leave();
    /// True once the watchdog shut the socket down.
    [[nodiscard]] bool fired() const { return fired_.load(); }

private:
    using Clock = std::chrono::steady_clock;
    void run();
    /// Milliseconds since the socket last sent or received data, or -1 when the socket cannot tell.
    [[nodiscard]] qint64 msSinceLastData() const;

    const int fd_;
    const qint64 timeoutMs_;
    std::atomic<bool> fired_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool active_ = false;          ///< guarded by mutex_: a call is in progress
    bool stop_ = false;            ///< guarded by mutex_
    Clock::time_point callStart_;  ///< guarded by mutex_
    std::thread thread_;
};

}  // namespace itap
