#pragma once

// Pure helpers behind the chart panels: series reduction for the pixel budget, run detection for the shaded
// bands (operating state, fault episodes) and the colours every chart shares. No widgets here, so all of it
// is unit-tested without a display.

#include "common/telemetry.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>

#include <span>
#include <vector>

namespace itap {

/// Reduces a long (x, y) series to what a chart `buckets` pixels wide can show: the samples with
/// xFrom <= x <= xTo are split into `buckets` equal-width x buckets and each bucket keeps its minimum and its
/// maximum (in x order), so every spike survives the reduction. The nearest sample outside the window on each
/// side is kept too, so the line runs to the plot edges when zoomed. NaN y values (missing samples) are
/// skipped. Windows holding at most 2 × buckets samples are returned unreduced. `x` must be ascending and as
/// long as `y`; `buckets` >= 1. The result is ascending in x and holds at most 2 × buckets + 2 points.
[[nodiscard]] QList<QPointF> reduceMinMax(std::span<const qint64> x, std::span<const double> y, double xFrom,
                                          double xTo, int buckets);

/// A maximal run of equal values: rows [first, last] of a series, spanning [fromMs, toMs].
template <typename T>
struct Run {
    T value{};
    std::size_t first = 0;
    std::size_t last = 0;  ///< inclusive
    qint64 fromMs = 0;
    qint64 toMs = 0;  ///< timestamp of the row after the run (or of the last row), so runs tile the time axis
};

/// Runs of equal operating state, in time order.
[[nodiscard]] std::vector<Run<OpState>> stateRuns(std::span<const qint64> tsMs,
                                                  std::span<const OpState> states);
/// Runs of one non-empty fault tag (normal rows are left out), in time order.
[[nodiscard]] std::vector<Run<QString>> faultRuns(std::span<const qint64> tsMs,
                                                  const TagColumn& tags);

/// Upper edge of an area series that is 1 inside the intervals [from, to] and 0 elsewhere (lower edge at 0):
/// one QAreaSeries shades any number of intervals. Intervals must be in time order.
[[nodiscard]] QList<QPointF> intervalOutline(const std::vector<std::pair<qint64, qint64>>& intervals);

/// The colour a sensor family (or pseudo-family) gets in every chart; unknown families get a stable colour
/// derived from the name.
[[nodiscard]] QColor familyColor(const QString& family);
/// Colour of the operating-state band.
[[nodiscard]] QColor stateColor(OpState state);
/// Translucent fill of a fault episode of `tag`.
[[nodiscard]] QColor faultColor(const QString& tag);

}  // namespace itap
