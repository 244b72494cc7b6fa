#include "evaluate/threshold_sweep.h"

#include <algorithm>
#include <tuple>

namespace itap {

QString selectionRuleName(SelectionRule rule) {
    switch (rule) {
        case SelectionRule::None:
            return QStringLiteral("none");
        case SelectionRule::MinPrecisionMaxRecall:
            return QStringLiteral("min_precision_max_recall");
        case SelectionRule::BestF1:
            return QStringLiteral("best_f1");
        case SelectionRule::LabelFree:
            return QStringLiteral("label_free");
        case SelectionRule::Manual:
            return QStringLiteral("manual");
    }
    return QStringLiteral("none");
}

std::optional<double> rocAuc(const ScoreIndex& index) {
    if (!index.hasLabels())
        return std::nullopt;
    const qint64 positives = index.positives();
    const qint64 negatives = index.negatives();
    if (positives == 0 || negatives == 0)
        return std::nullopt;
    // Twice the area in count units: Σ Δfp · (tp_prev + tp). Each term is an exact integer in a double.
    double twiceArea = 0;
    qint64 tpPrev = 0;
    qint64 fpPrev = 0;
    for (std::size_t g = 1; g <= index.groupCount(); ++g) {
        const Confusion c = index.atGroup(g);
        twiceArea += static_cast<double>(c.fp - fpPrev) * static_cast<double>(c.tp + tpPrev);
        tpPrev = c.tp;
        fpPrev = c.fp;
    }
    return twiceArea / (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

std::optional<double> averagePrecision(const ScoreIndex& index) {
    if (!index.hasLabels())
        return std::nullopt;
    const qint64 positives = index.positives();
    if (positives == 0)
        return std::nullopt;
    double sum = 0;
    qint64 tpPrev = 0;
    for (std::size_t g = 1; g <= index.groupCount(); ++g) {
        const Confusion c = index.atGroup(g);
        if (c.tp != tpPrev)
            sum += static_cast<double>(c.tp - tpPrev) * static_cast<double>(c.tp) /
                   static_cast<double>(c.flagged());
        tpPrev = c.tp;
    }
    return sum / static_cast<double>(positives);
}

std::vector<double> ThresholdSweep::thresholdGrid(const ScoreIndex& index, const EvaluationOptions& options) {
    std::vector<double> grid;
    const qint64 n = index.size();
    if (n == 0)
        return grid;
    // Percentiles in units of 0.05 % so that the grid is built from integers, free of rounding drift.
    std::vector<qint64> units;
    for (qint64 u = qint64(options.sweepFromPercentile) * 20; u <= 1800; u += 20) units.push_back(u);
    for (qint64 u = 1805; u <= 1980; u += 5) units.push_back(u);
    for (qint64 u = 1981; u <= 1998; ++u) units.push_back(u);
    for (const qint64 u : units) {
        const qint64 k = std::max<qint64>(1, (n * (2000 - u) + 1999) / 2000);
        grid.push_back(static_cast<double>(index.scoreAtRank(k - 1)));
    }
    const std::size_t top = std::min(index.groupCount(), static_cast<std::size_t>(options.sweepTopScores));
    for (std::size_t g = 0; g < top; ++g) grid.push_back(static_cast<double>(index.groupScore(g)));
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    return grid;
}

ThresholdSweep ThresholdSweep::compute(const ScoreIndex& index, const EvaluationOptions& options) {
    ThresholdSweep sweep;
    sweep.hasLabels_ = index.hasLabels();
    sweep.positives_ = index.hasLabels() ? index.positives() : 0;
    const double n = static_cast<double>(index.size());
    for (const double t : thresholdGrid(index, options)) {
        SweepPoint p;
        p.threshold = t;
        p.confusion = index.at(t);
        p.percentile = 100.0 * (n - static_cast<double>(p.confusion.flagged())) / n;
        sweep.points_.push_back(p);
    }
    sweep.rocAuc_ = index.rocAuc();  // computed by ScoreIndex::build()
    sweep.prAuc_ = index.prAuc();
    return sweep;
}

int ThresholdSweep::indexOf(double threshold) const {
    const auto it = std::lower_bound(points_.begin(), points_.end(), threshold,
                                     [](const SweepPoint& p, double t) { return p.threshold < t; });
    if (it == points_.end() || it->threshold != threshold)
        return -1;
    return static_cast<int>(it - points_.begin());
}

ThresholdSelection ThresholdSweep::select(double minPrecision) const {
    ThresholdSelection sel;
    if (!hasLabels_ || positives_ == 0 || points_.empty())
        return sel;

    // Lexicographic keys; the threshold is last so that equal quality prefers fewer alarms.
    const auto recallKey = [](const SweepPoint& p) {
        return std::make_tuple(p.confusion.recall().value_or(0), p.confusion.precision().value_or(0),
                               p.threshold);
    };
    const auto f1Key = [](const SweepPoint& p) {
        return std::make_tuple(p.confusion.f1().value_or(0), p.confusion.precision().value_or(0),
                               p.threshold);
    };
    int best = -1;
    for (std::size_t i = 0; i < points_.size(); ++i) {
        const auto precision = points_[i].confusion.precision();
        if (!precision || *precision < minPrecision)
            continue;
        if (best < 0 || recallKey(points_[i]) > recallKey(points_[static_cast<std::size_t>(best)]))
            best = static_cast<int>(i);
    }
    sel.rule = SelectionRule::MinPrecisionMaxRecall;
    if (best < 0) {
        sel.rule = SelectionRule::BestF1;
        for (std::size_t i = 0; i < points_.size(); ++i)
            if (best < 0 || f1Key(points_[i]) > f1Key(points_[static_cast<std::size_t>(best)]))
                best = static_cast<int>(i);
    }
    sel.point = best;
    sel.threshold = points_[static_cast<std::size_t>(best)].threshold;
    return sel;
}

}  // namespace itap
