#include "pipeline/operating_point.h"

#include "alerts/alarm_kpis.h"
#include "alerts/incident_engine.h"
#include "model/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace itap {
namespace {

// Thresholds tried: quantiles 1 − 10^−x of the given filtered scores for x from kFromDecade to kToDecade. The
// tail is where an operating point lives, so the grid is dense there; 64 points keep the search a fraction of
// a second per million rows.
constexpr int kGridPoints = 64;
constexpr double kFromDecade = 0.3;  // the median-ish: far below any useful threshold
constexpr double kToDecade = 5.0;    // 1 row in 100,000

std::vector<double> thresholdGrid(std::vector<float> values) {
    std::vector<double> grid;
    if (values.empty())
        return grid;
    std::sort(values.begin(), values.end());
    const double n = double(values.size());
    for (int i = 0; i < kGridPoints; ++i) {
        const double x = kFromDecade + (kToDecade - kFromDecade) * i / double(kGridPoints - 1);
        const double q = 1.0 - std::pow(10.0, -x);
        const auto k = std::min<std::size_t>(values.size() - 1, std::size_t(std::floor(q * n)));
        grid.push_back(double(values[k]));
    }
    grid.push_back(std::nextafter(double(values.back()), 2.0));  // above everything: no incident at all
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    return grid;
}

// pointAt(threshold) for every threshold, in parallel (each call runs the hysteresis over the whole table).
template <typename PointAt>
std::vector<OperatingCurvePoint> measureEach(const std::vector<double>& thresholds, int threads,
                                             PointAt&& pointAt) {
    std::vector<OperatingCurvePoint> points(thresholds.size());
    parallelFor(thresholds.size(), 1, resolveThreadCount(threads), [&](std::size_t begin, std::size_t end) {
        for (std::size_t g = begin; g < end; ++g) points[g] = pointAt(thresholds[g]);
    });
    return points;
}

// Thresholds tried between the chosen grid point's neighbours: the coarse grid finds the region, this
// resolves it.
constexpr int kRefinePoints = 24;

// Measures kRefinePoints thresholds evenly between the neighbours of the point `select` picks on `coarse`,
// and returns every point, ascending by threshold.
template <typename Measure, typename Select>
std::vector<OperatingCurvePoint> refine(std::vector<OperatingCurvePoint> coarse, Measure&& measure,
                                        Select&& select) {
    const std::optional<std::size_t> best = select(coarse);
    if (!best || coarse.size() < 2)
        return coarse;
    const double lo = coarse[*best > 0 ? *best - 1 : 0].threshold;
    const double hi = coarse[std::min(*best + 1, coarse.size() - 1)].threshold;
    std::vector<double> fine;
    for (int i = 1; i <= kRefinePoints; ++i) fine.push_back(lo + (hi - lo) * i / double(kRefinePoints + 1));
    std::vector<OperatingCurvePoint> more = measure(fine);
    coarse.insert(coarse.end(), more.begin(), more.end());
    std::stable_sort(
        coarse.begin(), coarse.end(),
        [](const OperatingCurvePoint& a, const OperatingCurvePoint& b) { return a.threshold < b.threshold; });
    return coarse;
}

// Rows before their device's evaluated span (evaluationStartMs): the training span, including the normal rows
// in it that follow a fault episode.
struct SpanSplit {
    explicit SpanSplit(const ScoreTable& t) : table(t), evalFrom(evaluationStartMs(t)) {}
    [[nodiscard]] bool isTrainRow(std::size_t r) const {
        const int d = table.device[r];
        return d >= 0 && std::size_t(d) < evalFrom.size() && table.tsMs[r] < evalFrom[std::size_t(d)];
    }
    const ScoreTable& table;
    std::vector<qint64> evalFrom;
};

}  // namespace

IncidentOperatingPoint chooseIncidentThresholdByLabels(const ScoreTable& table,
                                                       std::span<const float> filtered,
                                                       const AlertRules& rules, int threads,
                                                       std::span<const std::int16_t> diagnostics) {
    IncidentOperatingPoint out;
    const SpanSplit split(table);
    const double floor = rules.incidents().minIncidentPrecision;
    out.rule = QStringLiteral("incident level: highest event recall at incident precision >= %1")
                   .arg(floor, 0, 'f', 2);
    std::vector<float> evaluated;
    for (std::size_t r = 0; r < filtered.size(); ++r)
        if (!split.isTrainRow(r))
            evaluated.push_back(filtered[r]);
    const std::vector<double> grid = thresholdGrid(std::move(evaluated));
    std::vector<LabelledEpisode> episodes = labelledEpisodes(table);
    std::erase_if(episodes, [](const LabelledEpisode& e) { return !e.evaluated; });
    if (grid.empty() || episodes.empty())
        return out;

    const qint64 tolerance = rules.incidents().matchToleranceMs();
    auto measure = [&](const std::vector<double>& thresholds) {
        return measureEach(thresholds, threads, [&](double threshold) {
            // Precision over the incidents raised in the evaluated span; recall by any incident, so an
            // episode that straddles the span's start is caught by the incident raised just before it (as in
            // computeAlarmKpis).
            std::vector<DeviceInterval> intervals;
            std::vector<bool> evaluatedInterval;
            for (const IncidentSpan& s : incidentSpans(table, filtered, threshold, rules, diagnostics))
                if (!s.suppressed) {
                    intervals.push_back({s.device, s.startMs, s.endMs});
                    evaluatedInterval.push_back(!split.isTrainRow(s.startRow));
                }
            const EpisodeMatch m = matchEpisodes(intervals, episodes, tolerance);
            std::ptrdiff_t raised = 0, tp = 0;
            for (std::size_t j = 0; j < intervals.size(); ++j)
                if (evaluatedInterval[j]) {
                    ++raised;
                    tp += m.intervalMatched[j] ? 1 : 0;
                }
            const auto caught = std::count(m.episodeCaught.begin(), m.episodeCaught.end(), true);
            return OperatingCurvePoint{threshold, static_cast<int>(raised),
                                       raised == 0 ? 0.0 : double(tp) / double(raised),
                                       double(caught) / double(episodes.size())};
        });
    };
    // Highest recall at the floor; on a tie the higher threshold (later in the ascending curve), which raises
    // fewer. Without any point at the floor, the best F1 of the two.
    bool atFloor = true;
    auto select = [&](const std::vector<OperatingCurvePoint>& points) -> std::optional<std::size_t> {
        std::optional<std::size_t> best;
        for (std::size_t g = 0; g < points.size(); ++g) {
            if (points[g].incidents == 0 || points[g].incidentPrecision + 1e-12 < floor)
                continue;
            if (!best || points[g].eventRecall >= points[*best].eventRecall)
                best = g;
        }
        atFloor = best.has_value();
        if (best)
            return best;
        double bestF1 = -1;
        for (std::size_t g = 0; g < points.size(); ++g) {
            const double pr = points[g].incidentPrecision, re = points[g].eventRecall;
            const double f1 = pr + re > 0 ? 2 * pr * re / (pr + re) : 0;
            if (points[g].incidents > 0 && f1 >= bestF1) {
                bestF1 = f1;
                best = g;
            }
        }
        return best;
    };
    out.curve = refine(measure(grid), measure, select);
    const std::optional<std::size_t> best = select(out.curve);
    if (!atFloor)
        out.rule = QStringLiteral(
                       "incident level: best F1 of event recall and incident precision (no threshold "
                       "reached precision %1)")
                       .arg(floor, 0, 'f', 2);
    if (!best)
        return out;
    out.threshold = out.curve[*best].threshold;
    out.incidentPrecision = out.curve[*best].incidentPrecision;
    out.eventRecall = out.curve[*best].eventRecall;
    out.incidents = out.curve[*best].incidents;
    return out;
}

IncidentOperatingPoint chooseIncidentThresholdByBudget(const ScoreTable& table,
                                                       std::span<const float> filtered,
                                                       const AlertRules& rules, int threads,
                                                       std::span<const std::int16_t> diagnostics) {
    IncidentOperatingPoint out;
    const SpanSplit split(table);
    const double perDay = rules.incidents().alarmsPerDeviceDay;
    out.rule =
        QStringLiteral("label-free alarm budget: at most %1 incidents per device-day on the training span")
            .arg(perDay);
    // The training span's length per device (its rows are a prefix of the device's rows).
    std::vector<float> trainScores;
    double deviceDays = 0;
    std::optional<int> device;
    qint64 from = 0, to = 0;
    auto closeDevice = [&] {
        if (device)
            deviceDays += double(to - from) / 86'400'000.0;
    };
    for (std::size_t r = 0; r < filtered.size(); ++r) {
        if (!split.isTrainRow(r))
            continue;
        trainScores.push_back(filtered[r]);
        if (table.device[r] != device) {
            closeDevice();
            device = table.device[r];
            from = table.tsMs[r];
        }
        to = table.tsMs[r];
    }
    closeDevice();
    const std::vector<double> grid = thresholdGrid(std::move(trainScores));
    if (grid.empty() || deviceDays <= 0)
        return out;
    out.budget = perDay * deviceDays;
    auto measure = [&](const std::vector<double>& thresholds) {
        return measureEach(thresholds, threads, [&](double threshold) {
            int n = 0;
            for (const IncidentSpan& s : incidentSpans(table, filtered, threshold, rules, diagnostics))
                n += !s.suppressed && split.isTrainRow(s.startRow) ? 1 : 0;
            return OperatingCurvePoint{threshold, n, 0, 0};
        });
    };
    // The lowest threshold within the budget.
    auto select = [&](const std::vector<OperatingCurvePoint>& points) -> std::optional<std::size_t> {
        for (std::size_t g = 0; g < points.size(); ++g)
            if (double(points[g].incidents) <= out.budget + 1e-9)
                return g;
        return std::nullopt;
    };
    out.curve = refine(measure(grid), measure, select);
    if (const std::optional<std::size_t> best = select(out.curve)) {
        out.threshold = out.curve[*best].threshold;
        out.incidents = out.curve[*best].incidents;
    }
    return out;
}

}  // namespace itap
