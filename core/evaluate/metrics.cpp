#include "evaluate/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace itap {
namespace {

std::optional<double> ratio(qint64 num, qint64 den) {
    if (den == 0)
        return std::nullopt;
    return static_cast<double>(num) / static_cast<double>(den);
}

std::optional<double> median(std::vector<qint64> values) {
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    const double upper = static_cast<double>(values[mid]);
    if (values.size() % 2 == 1)
        return upper;
    return (static_cast<double>(values[mid - 1]) + upper) / 2.0;
}

Metrics deriveMetrics(const ScoreIndex& index, ThresholdSweep sweep, ThresholdSelection selection,
                      const EvaluationOptions& options) {
    Metrics m;
    m.groundTruth = index.hasLabels();
    m.evaluationRows = index.size();
    m.trainingRows = static_cast<qint64>(index.tableRows()) - index.size();
    m.minPrecision = options.minPrecision;
    m.selection = selection;
    m.rocAuc = sweep.rocAuc();
    m.prAuc = sweep.prAuc();
    m.sweep = sweep.points();

    const bool hasThreshold = selection.threshold.has_value();
    // No threshold behaves like +inf: nothing flagged, so counts stay meaningful but rates stay undefined.
    const double t = selection.threshold.value_or(std::numeric_limits<double>::infinity());
    m.confusion = index.at(t);
    if (!m.groundTruth)
        return m;

    if (hasThreshold) {
        m.precision = m.confusion.precision();
        m.recall = m.confusion.recall();
        m.f1 = m.confusion.f1();
    }

    const auto falseAlarms = index.falseAlarmsPerState(t);
    const auto negatives = index.negativesPerState();
    for (std::size_t s = 0; s < m.perState.size(); ++s) {
        m.perState[s].negatives = negatives[s];
        m.perState[s].falseAlarms = falseAlarms[s];
        if (hasThreshold)
            m.perState[s].rate = ratio(falseAlarms[s], negatives[s]);
    }

    const FaultEpisodes& episodes = index.episodes();
    const QStringList& tags = index.faultTags();
    std::vector<std::vector<qint64>> delays(static_cast<std::size_t>(tags.size()));
    m.perFault.resize(static_cast<std::size_t>(tags.size()));
    for (std::size_t e = 0; e < episodes.size(); ++e) {
        const auto f = static_cast<std::size_t>(episodes.episode(e).fault);
        ++m.perFault[f].events;
        if (const auto delay = episodes.detectionDelayMs(e, t)) {
            ++m.perFault[f].eventsCaught;
            delays[f].push_back(*delay);
        }
    }
    for (std::size_t f = 0; f < m.perFault.size(); ++f) {
        FaultMetrics& fm = m.perFault[f];
        fm.tag = tags[static_cast<qsizetype>(f)];
        fm.rows = index.rowsOfFault(static_cast<int>(f));
        fm.caughtRows = index.flaggedOfFault(static_cast<int>(f), t);
        if (!hasThreshold)
            continue;
        fm.recall = ratio(fm.caughtRows, fm.rows);
        fm.eventRecall = ratio(fm.eventsCaught, fm.events);
        const auto ms = median(std::move(delays[f]));
        if (ms)
            fm.medianLatencyS = *ms / 1000.0;
    }
    return m;
}

}  // namespace

std::optional<double> labelFreeThreshold(const ScoreIndex& index, const EvaluationOptions& options) {
    Q_UNUSED(index);
    Q_UNUSED(options);
    return std::nullopt;
}

Result<Metrics> evaluate(const ScoreTable& table, const EvaluationOptions& options) {
    if (Status st = options.validate(); !st)
        return st.error();
    auto index = ScoreIndex::build(table);
    if (!index)
        return index.error();
    ThresholdSweep sweep = ThresholdSweep::compute(*index, options);
    ThresholdSelection selection = sweep.select(options.minPrecision);
    if (!selection.threshold) {
        if (const auto t = labelFreeThreshold(*index, options)) {
            selection.threshold = *t;
            selection.rule = SelectionRule::LabelFree;
            selection.point = sweep.indexOf(*t);
        }
    }
    return deriveMetrics(*index, std::move(sweep), selection, options);
}

Result<Metrics> evaluateAt(const ScoreTable& table, const ScoreIndex& index, double threshold,
                           const EvaluationOptions& options) {
    if (Status st = options.validate(); !st)
        return st.error();
    if (!std::isfinite(threshold))
        return Error::badInput(QStringLiteral("evaluation: threshold must be a finite number"));
    if (index.tableRows() != table.size() || index.hasLabels() != table.hasLabels)
        return Error::badInput(
            QStringLiteral("evaluation: the score index was built from another score table"));
    ThresholdSweep sweep = ThresholdSweep::compute(index, options);
    ThresholdSelection selection;
    selection.threshold = threshold;
    selection.rule = SelectionRule::Manual;
    selection.point = sweep.indexOf(threshold);
    return deriveMetrics(index, std::move(sweep), selection, options);
}

}  // namespace itap
