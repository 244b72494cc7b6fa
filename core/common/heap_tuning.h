#pragma once

namespace itap {

/// Serves every heap block of 1 MiB or more with its own mapping, returned to the system when freed, instead
/// of glibc's default, which raises that bound (up to 32 MiB) each time such a block is freed. The fleet's
/// large, long-lived blocks (a device's feature matrix: 14 MB at 51,840 rows) then no longer come from the
/// same heap as the per-device scratch columns freed around them, whose holes could not be reused. Measured
/// with `itap bench --devices 200 --hours 144 --repeat 1` (10.4M rows, fault tags still QStrings): peak RSS
/// 3,999 → 3,808 MiB, the features stage 3,630 → 3,242 MiB. With the tag column as well: 3,585 MiB (3.76 GB).
/// No change in time at 864k rows.
/// Call once at the start of main(). Does nothing outside glibc, or when MALLOC_MMAP_THRESHOLD_ is set in the
/// environment (the operator's own choice wins).
void tuneHeapForLargeColumns();

}  // namespace itap
