#include "model/parallel.h"

#include <QThread>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace itap {

int resolveThreadCount(int threads) {
    if (threads > 0)
        return threads;
    return std::max(1, QThread::idealThreadCount());
}

void parallelFor(std::size_t count, std::size_t chunk, int threads,
                 const std::function<void(std::size_t, std::size_t)>& fn) {
    if (count == 0)
        return;
    chunk = std::max<std::size_t>(1, chunk);
    const std::size_t chunks = (count + chunk - 1) / chunk;
    const int workers = static_cast<int>(
        std::min<std::size_t>(chunks, static_cast<std::size_t>(resolveThreadCount(threads))));
    if (workers <= 1) {
        fn(0, count);
        return;
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunks;
             c = next.fetch_add(1, std::memory_order_relaxed)) {
            const std::size_t begin = c * chunk;
            fn(begin, std::min(count, begin + chunk));
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(workers - 1));
    for (int i = 1; i < workers; ++i) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
}

WorkerPool::WorkerPool(int threads, std::size_t capacity, std::function<void(std::size_t)> fn)
    : fn_(std::move(fn)), capacity_(std::max<std::size_t>(1, capacity)) {
    const int n = resolveThreadCount(threads);
    workers_.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
    finish();
}

void WorkerPool::push(std::size_t item) {
    std::unique_lock lock(mutex_);
    taken_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(item);
    ready_.notify_one();
}

void WorkerPool::finish() {
    {
        std::lock_guard lock(mutex_);
        if (finishing_ && workers_.empty())
            return;
        finishing_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
}

void WorkerPool::work() {
    for (;;) {
        std::size_t item = 0;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return !queue_.empty() || finishing_; });
            if (queue_.empty())
                return;  // finishing and nothing left
            item = queue_.front();
            queue_.pop_front();
        }
        taken_.notify_one();
        fn_(item);
    }
}

}  // namespace itap
