#include "common/heap_tuning.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace itap {

void tuneHeapForLargeColumns() {
#if defined(__GLIBC__)
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr)
        return;
    constexpr int kMmapThreshold = 1 << 20;
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);  // a fixed value also turns the dynamic bound off
#endif
}

}  // namespace itap
