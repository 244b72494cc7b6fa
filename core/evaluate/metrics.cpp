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
    m.excludedFaultTailRows = index.excludedFaultTailRows();
    m.trainingRows = static_cast<qint64>(index.tableRows()) - index.size() - m.excludedFaultTailRows;
    m.excludeFaultTails = options.excludeFaultTails;
    m.trainingUsesLabels = index.trainingUsesLabels();
    m.minPrecision = options.minPrecision;
    m.labelFreeRule = labelFreeRuleText(options);
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
        m.falseAlarmRate = ratio(m.confusion.fp, m.confusion.negatives());
        m.missedAlarmRate = ratio(m.confusion.fn, m.confusion.positives());
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

// The metrics at an operator-chosen threshold (SelectionRule::Manual): evaluateAt and the per-device table.
Metrics metricsAtManualThreshold(const ScoreIndex& index, double threshold,
                                 const EvaluationOptions& options) {
    ThresholdSweep sweep = ThresholdSweep::compute(index, options);
    ThresholdSelection selection;
    selection.threshold = threshold;
    selection.rule = SelectionRule::Manual;
    selection.point = sweep.indexOf(threshold);
    return deriveMetrics(index, std::move(sweep), selection, options);
}

}  // namespace

Result<DeviceScoreIndexes> DeviceScoreIndexes::build(const ScoreTable& table) {
    DeviceScoreIndexes out;
    std::size_t begin = 0;
    while (begin < table.size()) {
        const int d = table.device[begin];
        std::size_t end = begin;
        while (end < table.size() && table.device[end] == d) ++end;
        // The device's rows as a table of their own (rows of one device are contiguous).
        ScoreTable one;
        one.devices = QStringList{table.devices.value(d)};
        one.device.assign(end - begin, 0);
        const auto slice = [&](const auto& v) {
            return std::decay_t<decltype(v)>(v.begin() + std::ptrdiff_t(begin),
                                             v.begin() + std::ptrdiff_t(end));
        };
        one.tsMs = slice(table.tsMs);
        one.state = slice(table.state);
        one.score = slice(table.score);
        one.faultTag = slice(table.faultTag);
        one.train = slice(table.train);
        one.hasLabels = table.hasLabels;
        begin = end;
        if (std::all_of(one.train.begin(), one.train.end(), [](std::uint8_t t) { return t != 0; }))
            continue;
        auto index = ScoreIndex::build(one);
        if (!index)
            return index.error();
        out.devices.push_back({one.devices.front(), std::move(index).value()});
    }
    return out;
}

Result<std::vector<DeviceMetrics>> evaluatePerDevice(const DeviceScoreIndexes& indexes, double threshold,
                                                     const EvaluationOptions& options) {
    if (Status st = options.validate(); !st)
        return st.error();
    if (!std::isfinite(threshold))
        return Error::badInput(QStringLiteral("evaluation: threshold must be a finite number"));
    std::vector<DeviceMetrics> out;
    out.reserve(indexes.devices.size());
    for (const DeviceScoreIndexes::Device& device : indexes.devices) {
        const ScoreIndex& index = device.index;
        const Metrics m = metricsAtManualThreshold(index, threshold, options);
        DeviceMetrics dm;
        dm.device = device.device;
        dm.confusion = m.confusion;
        dm.precision = m.precision;
        dm.recall = m.recall;
        dm.f1 = m.f1;
        dm.falseAlarmRate = m.falseAlarmRate;
        dm.missedAlarmRate = m.missedAlarmRate;
        dm.rocAuc = m.rocAuc;
        dm.prAuc = m.prAuc;
        for (const FaultMetrics& f : m.perFault) {
            dm.events += f.events;
            dm.eventsCaught += f.eventsCaught;
        }
        if (m.groundTruth)
            dm.eventRecall = ratio(dm.eventsCaught, dm.events);
        std::vector<qint64> delays;
        const FaultEpisodes& episodes = index.episodes();
        for (std::size_t e = 0; e < episodes.size(); ++e)
            if (const auto delay = episodes.detectionDelayMs(e, threshold))
                delays.push_back(*delay);
        if (const auto ms = median(std::move(delays)))
            dm.medianLatencyS = *ms / 1000.0;
        out.push_back(std::move(dm));
    }
    return out;
}

Result<std::vector<DeviceMetrics>> evaluatePerDevice(const ScoreTable& table, double threshold,
                                                     const EvaluationOptions& options) {
    auto indexes = DeviceScoreIndexes::build(table);
    if (!indexes)
        return indexes.error();
    return evaluatePerDevice(*indexes, threshold, options);
}

std::optional<double> labelFreeThreshold(const ScoreTable& table, const EvaluationOptions& options) {
    std::vector<float> s;
    for (std::size_t r = 0; r < table.size(); ++r)
        if (table.isNormalTrainingRow(r))
            s.push_back(table.score[r]);
    if (s.empty())
        return std::nullopt;
    if (options.labelFreeRule == LabelFreeRule::MaxMargin)
        return double(*std::max_element(s.begin(), s.end())) * options.labelFreeMargin;
    const std::size_t k =
        std::min(s.size() - 1,
                 std::size_t(std::max(1.0, std::ceil(options.labelFreeQuantile * double(s.size())))) - 1);
    std::nth_element(s.begin(), s.begin() + std::ptrdiff_t(k), s.end());
    return double(s[k]);
}

QString labelFreeRuleText(const EvaluationOptions& options) {
    return options.labelFreeRule == LabelFreeRule::MaxMargin
               ? QStringLiteral("highest training score x %1").arg(options.labelFreeMargin)
               : QStringLiteral("%1 quantile of training scores").arg(options.labelFreeQuantile);
}

Result<Metrics> evaluate(const ScoreTable& table, const EvaluationOptions& options) {
    if (Status st = options.validate(); !st)
        return st.error();
    auto index = ScoreIndex::build(table);
    if (!index)
        return index.error();
    ThresholdSweep sweep = ThresholdSweep::compute(*index, options);
    ThresholdSelection selection;
    if (options.thresholdRule == ThresholdRule::Auto)
        selection = sweep.select(options.minPrecision);
    if (!selection.threshold) {
        if (const auto t = labelFreeThreshold(table, options)) {
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
    return metricsAtManualThreshold(index, threshold, options);
}

}  // namespace itap
