#pragma once

#include <cstddef>
#include <functional>

namespace itap {

/// Number of worker threads for a `threads` parameter: 0 = all cores, otherwise the value itself (≥ 1).
[[nodiscard]] int resolveThreadCount(int threads);

/// Runs fn(begin, end) over [0, count) in chunks of `chunk` items on up to `threads` threads (0 = all cores),
/// the calling thread included. Chunks are handed out dynamically, so callers must make each item's result
/// independent of which thread computes it. Returns after every chunk has finished.
void parallelFor(std::size_t count, std::size_t chunk, int threads,
                 const std::function<void(std::size_t begin, std::size_t end)>& fn);

}  // namespace itap
