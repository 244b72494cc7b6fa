#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace itap {

/// Number of worker threads for a `threads` parameter: 0 = all cores, otherwise the value itself (≥ 1).
[[nodiscard]] int resolveThreadCount(int threads);

/// Runs fn(begin, end) over [0, count) in chunks of `chunk` items on up to `threads` threads (0 = all cores),
/// the calling thread included. Chunks are handed out dynamically, so callers must make each item's result
/// independent of which thread computes it. Returns after every chunk has finished.
void parallelFor(std::size_t count, std::size_t chunk, int threads,
                 const std::function<void(std::size_t begin, std::size_t end)>& fn);

/// Items produced on one thread and consumed by worker threads: the producer push()es item indices (blocking
/// while `capacity` pushed items wait to start), each worker runs fn(item); finish() — also run by the
/// destructor — waits until every pushed item is done and joins the workers. Only std::thread, std::mutex and
/// std::condition_variable are involved, so ThreadSanitizer sees every hand-over (Qt's thread pool
/// synchronises in an uninstrumented library, where it cannot).
class WorkerPool {
public:
    WorkerPool(int threads, std::size_t capacity, std::function<void(std::size_t item)> fn);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void push(std::size_t item);
    void finish();

private:
    void work();

    std::function<void(std::size_t)> fn_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable ready_;  // an item was queued, or finishing
    std::condition_variable taken_;  // a worker took an item: room in the queue
    std::deque<std::size_t> queue_;
    bool finishing_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace itap
