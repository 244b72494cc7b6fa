#include "pipeline/operating_point.h"

#include "alerts/alarm_kpis.h"
#include "alerts/incident_engine.h"
#include "model/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace itap {
namespace {

// Thresholds tried: quantiles 1 − 10^−x of the given filtered scores for x from kFromDecade to kToDecade. The tail
// is where an operating point lives, so the grid is dense there; 64 points keep the search a fraction of a
// second per million rows.
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

IncidentOperatingPoint chooseIncidentThresholdByLabels(const ScoreTable& table, std::span<const float> filtered,
                                                       const AlertRules& rules, int threads) {
    IncidentOperatingPoint out;
    const SpanSplit split(table);
    const double floor = rules.incidents().minIncidentPrecision;
    out.rule = QStringLiteral("incident level: highest event recall at incident precision >= %1").arg(floor, 0, 'f', 2);
    std::vector<float> evaluated;
    for (std::size_t r = 0; r < filtered.size(); ++r)
        if (!split.isTrainRow(r))
            evaluated.push_back(filtered[r]);
    const std::vector<double> grid = thresholdGrid(std::move(evaluated));
    std::vector<LabelledEpisode> episodes = labelledEpisodes(table);
    std::erase_if(episodes, [](const LabelledEpisode& e) { return !e.evaluated; });
    if (grid.empty() || episodes.empty())
        return out;

    struct Point {
        double precision = 0, recall = 0;
        int incidents = 0;
    };
    std::vector<Point> points(grid.size());
    const qint64 tolerance = rules.incidents().matchToleranceMs();
    parallelFor(grid.size(), 1, resolveThreadCount(threads), [&](std::size_t begin, std::size_t end) {
        for (std::size_t g = begin; g < end; ++g) {
            std::vector<DeviceInterval> intervals;
            for (const IncidentSpan& s : incidentSpans(table, filtered, grid[g], rules))
                if (!s.suppressed && !split.isTrainRow(s.startRow))
                    intervals.push_back({s.device, s.startMs, s.endMs});
            const EpisodeMatch m = matchEpisodes(intervals, episodes, tolerance);
            Point& p = points[g];
            p.incidents = static_cast<int>(intervals.size());
            const auto tp = std::count(m.intervalMatched.begin(), m.intervalMatched.end(), true);
            const auto caught = std::count(m.episodeCaught.begin(), m.episodeCaught.end(), true);
            p.precision = intervals.empty() ? 0.0 : double(tp) / double(intervals.size());
            p.recall = double(caught) / double(episodes.size());
        }
    });
    std::optional<std::size_t> best;
    for (std::size_t g = 0; g < grid.size(); ++g) {
        if (points[g].incidents == 0 || points[g].precision + 1e-12 < floor)
            continue;
        // Highest recall; on a tie the higher threshold (later in the ascending grid), which raises fewer.
        if (!best || points[g].recall >= points[*best].recall)
            best = g;
    }
    if (!best) {
        out.rule = QStringLiteral("incident level: best F1 of event recall and incident precision (no threshold "
                                  "reached precision %1)")
                       .arg(floor, 0, 'f', 2);
        double bestF1 = -1;
        for (std::size_t g = 0; g < grid.size(); ++g) {
            const Point& p = points[g];
            const double f1 = p.precision + p.recall > 0 ? 2 * p.precision * p.recall / (p.precision + p.recall) : 0;
            if (p.incidents > 0 && f1 >= bestF1) {
                bestF1 = f1;
                best = g;
            }
        }
    }
    if (!best)
        return out;
    out.threshold = grid[*best];
    out.incidentPrecision = points[*best].precision;
    out.eventRecall = points[*best].recall;
    out.incidents = points[*best].incidents;
    return out;
}

IncidentOperatingPoint chooseIncidentThresholdByBudget(const ScoreTable& table, std::span<const float> filtered,
                                                       const AlertRules& rules, int threads) {
    IncidentOperatingPoint out;
    const SpanSplit split(table);
    const double perDay = rules.incidents().alarmsPerDeviceDay;
    out.rule = QStringLiteral("alarm budget: at most %1 incidents per device-day on the training span").arg(perDay);
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
    std::vector<int> counts(grid.size(), 0);
    parallelFor(grid.size(), 1, resolveThreadCount(threads), [&](std::size_t begin, std::size_t end) {
        for (std::size_t g = begin; g < end; ++g) {
            int n = 0;
            for (const IncidentSpan& s : incidentSpans(table, filtered, grid[g], rules))
                n += !s.suppressed && split.isTrainRow(s.startRow) ? 1 : 0;
            counts[g] = n;
        }
    });
    for (std::size_t g = 0; g < grid.size(); ++g) {
        if (double(counts[g]) <= out.budget + 1e-9) {
            out.threshold = grid[g];
            out.incidents = counts[g];
            return out;
        }
    }
    return out;
}

}  // namespace itap
