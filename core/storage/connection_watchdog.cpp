#include "storage/connection_watchdog.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace itap {

ConnectionWatchdog::ConnectionWatchdog(int socketFd, qint64 timeoutMs)
    : fd_(socketFd >= 0 ? ::fcntl(socketFd, F_DUPFD_CLOEXEC, 0) : -1), timeoutMs_(timeoutMs) {
    if (fd_ >= 0 && timeoutMs_ > 0)
        thread_ = std::thread([this] { run(); });
}

ConnectionWatchdog::~ConnectionWatchdog() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
    if (fd_ >= 0)
        ::close(fd_);
}

void ConnectionWatchdog::enter() {
    {
        const std::lock_guard lock(mutex_);
        active_ = true;
        callStart_ = Clock::now();
    }
    wake_.notify_all();
}

void ConnectionWatchdog::leave() {
    const std::lock_guard lock(mutex_);
    active_ = false;
}

qint64 ConnectionWatchdog::msSinceLastData() const {
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &size) != 0 || size < sizeof info)
        return -1;
    // Data only: keepalive probes and their acknowledgements carry none, and a stopped server's kernel
    // answers those.
    return std::min<qint64>(info.tcpi_last_data_recv, info.tcpi_last_data_sent);
}

void ConnectionWatchdog::run() {
    // Checking a few times per timeout keeps the overshoot small; at most once a second, as the default
    // timeout is many minutes.
    const auto tick = std::chrono::milliseconds(std::clamp<qint64>(timeoutMs_ / 8, 10, 1000));
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (!active_) {
            wake_.wait(lock, [this] { return stop_ || active_; });
            continue;
        }
        wake_.wait_for(lock, tick, [this] { return stop_ || !active_; });
        if (stop_ || !active_)
            continue;
        qint64 silentMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - callStart_).count();
        if (const qint64 sinceData = msSinceLastData(); sinceData >= 0)
            silentMs = std::min(silentMs, sinceData);
        if (silentMs >= timeoutMs_) {
            fired_ = true;
            // The blocked recv()/poll() in the driver returns: end of file, the connection is lost.
            ::shutdown(fd_, SHUT_RDWR);
            return;
        }
    }
}

}  // namespace itap
