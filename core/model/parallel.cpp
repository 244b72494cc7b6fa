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

}  // namespace itap
