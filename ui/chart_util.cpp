#include "chart_util.h"

#include "common/analysis_types.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <functional>

namespace itap {

QList<QPointF> reduceMinMax(std::span<const qint64> x, std::span<const double> y, double xFrom, double xTo,
                            int buckets) {
    QList<QPointF> out;
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0 || buckets < 1 || !(xTo >= xFrom))
        return out;

    // [begin, end) are the samples inside the window; one more on each side keeps the line reaching the
    // edges.
    auto lo = std::lower_bound(x.begin(), x.begin() + std::ptrdiff_t(n), xFrom,
                               [](qint64 v, double bound) { return double(v) < bound; });
    auto hi = std::upper_bound(x.begin(), x.begin() + std::ptrdiff_t(n), xTo,
                               [](double bound, qint64 v) { return bound < double(v); });
    std::size_t begin = std::size_t(lo - x.begin());
    std::size_t end = std::size_t(hi - x.begin());
    auto pushPoint = [&](std::size_t i) {
        if (!std::isnan(y[i]))
            out.append(QPointF(double(x[i]), y[i]));
    };
    // The neighbours outside the window: the last valid sample before it and the first valid one after it.
    std::size_t before = begin;
    while (before > 0 && std::isnan(y[before - 1])) --before;
    const bool hasBefore = before > 0;
    std::size_t after = end;
    while (after < n && std::isnan(y[after])) ++after;
    const bool hasAfter = after < n;

    if (hasBefore)
        pushPoint(before - 1);
    const std::size_t inside = end - begin;
    if (inside <= 2 * std::size_t(buckets)) {
        out.reserve(qsizetype(inside) + 2);
        for (std::size_t i = begin; i < end; ++i) pushPoint(i);
    } else {
        out.reserve(2 * buckets + 2);
        const double width = (xTo - xFrom) / buckets;
        std::size_t i = begin;
        for (int b = 0; b < buckets && i < end; ++b) {
            const double bucketEnd = b == buckets - 1 ? xTo : xFrom + width * (b + 1);
            std::size_t minI = end, maxI = end;
            // Every sample lands in exactly one bucket: the last bucket takes everything up to xTo.
            for (; i < end && (double(x[i]) < bucketEnd || b == buckets - 1); ++i) {
                if (std::isnan(y[i]))
                    continue;
                if (minI == end || y[i] < y[minI])
                    minI = i;
                if (maxI == end || y[i] > y[maxI])
                    maxI = i;
            }
            if (minI == end)
                continue;
            if (minI == maxI) {
                pushPoint(minI);
            } else {
                pushPoint(std::min(minI, maxI));
                pushPoint(std::max(minI, maxI));
            }
        }
    }
    if (hasAfter)
        pushPoint(after);
    return out;
}

namespace {

template <typename T, typename Keep>
std::vector<Run<T>> runsOf(std::span<const qint64> tsMs, std::size_t n, const Keep& keep,
                           const std::function<T(std::size_t)>& valueAt) {
    std::vector<Run<T>> runs;
    std::size_t i = 0;
    while (i < n) {
        const T v = valueAt(i);
        std::size_t j = i;
        while (j + 1 < n && valueAt(j + 1) == v) ++j;
        if (keep(v)) {
            Run<T> run;
            run.value = v;
            run.first = i;
            run.last = j;
            run.fromMs = tsMs[i];
            run.toMs = j + 1 < n ? tsMs[j + 1] : tsMs[j];
            runs.push_back(std::move(run));
        }
        i = j + 1;
    }
    return runs;
}

}  // namespace

std::vector<Run<OpState>> stateRuns(std::span<const qint64> tsMs, std::span<const OpState> states) {
    const std::size_t n = std::min(tsMs.size(), states.size());
    return runsOf<OpState>(
        tsMs, n, [](OpState) { return true; }, [&](std::size_t i) { return states[i]; });
}

std::vector<Run<QString>> faultRuns(std::span<const qint64> tsMs, const TagColumn& tags) {
    const std::size_t n = std::min(tsMs.size(), tags.size());
    // A fault ends at its last tagged row: shading up to the next (normal) sample would overstate it.
    auto runs = runsOf<QString>(
        tsMs, n, [](const QString& t) { return !t.isEmpty(); }, [&](std::size_t i) { return tags[i]; });
    for (auto& r : runs) r.toMs = tsMs[r.last];
    return runs;
}

QList<QPointF> intervalOutline(const std::vector<std::pair<qint64, qint64>>& intervals) {
    QList<QPointF> out;
    out.reserve(qsizetype(intervals.size()) * 4);
    for (const auto& [from, to] : intervals) {
        out.append(QPointF(double(from), 0));
        out.append(QPointF(double(from), 1));
        out.append(QPointF(double(to), 1));
        out.append(QPointF(double(to), 0));
    }
    return out;
}

QColor familyColor(const QString& family) {
    static const QHash<QString, QColor> known = {
        {QStringLiteral("Voltage"), QColor(0x1f, 0x77, 0xb4)},
        {QStringLiteral("Current"), QColor(0xff, 0x7f, 0x0e)},
        {QStringLiteral("Temperature"), QColor(0xd6, 0x27, 0x28)},
        {QStringLiteral("RPM"), QColor(0x2c, 0xa0, 0x2c)},
        {QStringLiteral("Vibration"), QColor(0x94, 0x67, 0xbd)},
        {family::kMissingness, QColor(0x7f, 0x7f, 0x7f)},
        {family::kOperation, QColor(0x8c, 0x56, 0x4b)},
    };
    if (auto it = known.constFind(family); it != known.constEnd())
        return *it;
    // Families a plant adds (Pressure, Flow, ...) keep one colour across runs: derived from the name, not the
    // order.
    static const QColor extra[] = {QColor(0x17, 0xbe, 0xcf), QColor(0xbc, 0xbd, 0x22),
                                   QColor(0xe3, 0x77, 0xc2), QColor(0x39, 0x3b, 0x79),
                                   QColor(0x63, 0x79, 0x39), QColor(0x84, 0x3c, 0x39)};
    return extra[qHash(family) % (sizeof(extra) / sizeof(extra[0]))];
}

QColor stateColor(OpState state) {
    switch (state) {
        case OpState::Run:
            return QColor(0x4c, 0xaf, 0x50);
        case OpState::Idle:
            return QColor(0xb0, 0xb7, 0xbf);
        case OpState::Maint:
            return QColor(0xff, 0x98, 0x00);
    }
    return QColor(Qt::gray);
}

QColor faultColor(const QString& tag) {
    QColor c;
    if (tag == fault::kOverheat) {
        c = QColor(0xd6, 0x27, 0x28);
    } else if (tag == fault::kBearingWear) {
        c = QColor(0x94, 0x67, 0xbd);
    } else if (tag == fault::kPowerSpike) {
        c = QColor(0x1f, 0x77, 0xb4);
    } else if (tag == fault::kSensorDropout) {
        c = QColor(0x7f, 0x7f, 0x7f);
    } else {
        c = QColor(0x8c, 0x56, 0x4b);
    }
    c.setAlpha(55);
    return c;
}

}  // namespace itap
