#include "evaluate/sweep_report.h"

#include <QStringList>

#include <algorithm>

namespace itap {
namespace {

constexpr int kWindow = 5;        // sweep rows shown on each side of the operating threshold
constexpr int kMaxTagWidth = 24;  // longer (imported) fault tags are cut so the table keeps its width

QString num(double v, int decimals) {
    return QString::number(v, 'f', decimals);
}
QString opt(const std::optional<double>& v, int decimals) {
    return v ? num(*v, decimals) : QStringLiteral("-");
}
QString percent(const std::optional<double>& v, int decimals = 1) {
    return v ? num(*v * 100.0, decimals) + QStringLiteral(" %") : QStringLiteral("-");
}

// Joins right-aligned cells; the first cell is left-aligned when `leftFirst`.
QString row(const QStringList& cells, const std::vector<int>& widths, bool leftFirst = false) {
    QString line;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const int w = widths[static_cast<std::size_t>(i)];
        line += (i == 0 && leftFirst) ? cells[i].leftJustified(w) : cells[i].rightJustified(w);
    }
    while (line.endsWith(QLatin1Char(' '))) line.chop(1);
    return line + QLatin1Char('\n');
}

QString ruleText(const Metrics& m) {
    const QString minP = num(m.minPrecision, 2);
    switch (m.selection.rule) {
        case SelectionRule::MinPrecisionMaxRecall:
            return QStringLiteral("highest recall at precision >= ") + minP;
        case SelectionRule::BestF1:
            return QStringLiteral("best F1; no threshold reaches precision ") + minP;
        case SelectionRule::LabelFree:
            return QStringLiteral("label-free, ") + m.labelFreeRule;
        case SelectionRule::Manual:
            return m.operatingPointRule.isEmpty() ? QStringLiteral("set by the operator")
                                                  : m.operatingPointRule;
        case SelectionRule::None:
            break;
    }
    return QStringLiteral("none: no normal rows in the training span for the label-free rule");
}

QString sweepTable(const Metrics& m) {
    const bool labels = m.groundTruth;
    std::vector<SweepPoint> points = m.sweep;
    int selected = m.selection.point;
    // A manual threshold between grid points still gets its own row, so the operator sees where it sits.
    if (m.selection.threshold && selected < 0 && m.evaluationRows > 0) {
        SweepPoint p;
        p.threshold = *m.selection.threshold;
        p.confusion = m.confusion;
        p.percentile = 100.0 * static_cast<double>(m.evaluationRows - m.confusion.flagged()) /
                       static_cast<double>(m.evaluationRows);
        const auto it = std::lower_bound(points.begin(), points.end(), p.threshold,
                                         [](const SweepPoint& a, double t) { return a.threshold < t; });
        selected = static_cast<int>(it - points.begin());
        points.insert(it, p);
    }
    if (points.empty())
        return QStringLiteral("  (no evaluated rows)\n");

    const int count = static_cast<int>(points.size());
    const int center = selected >= 0 ? selected : count - 1;
    const int first = std::max(0, std::min(center - kWindow, count - (2 * kWindow + 1)));
    const int last = std::min(count - 1, first + 2 * kWindow);

    const std::vector<int> widths =
        labels ? std::vector<int>{4, 10, 12, 10, 11, 8, 8, 8} : std::vector<int>{4, 10, 12, 10};
    QStringList header{QString(), QStringLiteral("threshold"), QStringLiteral("percentile"),
                       QStringLiteral("flagged")};
    if (labels)
        header << QStringLiteral("precision") << QStringLiteral("recall") << QStringLiteral("f1")
               << QStringLiteral("fpr");
    QString out = row(header, widths, true);
    for (int i = first; i <= last; ++i) {
        const SweepPoint& p = points[static_cast<std::size_t>(i)];
        QStringList cells{i == selected ? QStringLiteral("  >") : QString(), num(p.threshold, 6),
                          num(p.percentile, 2), QString::number(p.confusion.flagged())};
        if (labels)
            cells << opt(p.confusion.precision(), 4) << opt(p.confusion.recall(), 4)
                  << opt(p.confusion.f1(), 4) << opt(p.confusion.falsePositiveRate(), 4);
        out += row(cells, widths, true);
    }
    return out;
}

}  // namespace

QString formatSweepReport(const Metrics& m) {
    QString out = QStringLiteral("Threshold sweep: %1 evaluated rows").arg(m.evaluationRows);
    if (m.groundTruth)
        out += QStringLiteral(", %1 anomalous").arg(m.confusion.positives());
    out += QStringLiteral(", %1 training-span rows left out\n").arg(m.trainingRows);
    // Each note on its own line, within kSweepReportWidth.
    if (m.excludeFaultTails)
        out += QStringLiteral(
                   "  and %1 normal rows within a feature window after a fault episode "
                   "(--exclude-fault-tails)\n")
                   .arg(m.excludedFaultTailRows);
    if (!m.trainingUsesLabels)
        out += QStringLiteral("  The training span was taken without reading labels (label-free).\n");
    if (!m.groundTruth)
        out +=
            QStringLiteral("No ground truth: precision, recall and per-fault figures are not available.\n");
    const QString threshold = m.selection.threshold ? num(*m.selection.threshold, 6) : QStringLiteral("-");
    const QString line = QStringLiteral("Threshold: %1 (%2)").arg(threshold, ruleText(m));
    if (line.size() <= kSweepReportWidth)
        out += line + QLatin1Char('\n');
    else  // a long rule (the incident-level budget) goes on the next line
        out += QStringLiteral("Threshold: %1, chosen by\n  %2\n")
                   .arg(threshold, ruleText(m).left(kSweepReportWidth - 2));
    if (m.groundTruth) {
        out +=
            QStringLiteral("Precision %1   Recall %2   F1 %3   ROC-AUC %4   PR-AUC %5\n")
                .arg(opt(m.precision, 4), opt(m.recall, 4), opt(m.f1, 4), opt(m.rocAuc, 4), opt(m.prAuc, 4));
    }
    out += QLatin1Char('\n') + sweepTable(m);
    if (!m.groundTruth)
        return out;

    out += QStringLiteral("\nFalse alarms by state\n");
    const std::vector<int> stateWidths{9, 12, 14, 10};
    out += row({QStringLiteral("  state"), QStringLiteral("negatives"), QStringLiteral("false alarms"),
                QStringLiteral("rate")},
               stateWidths, true);
    for (int s = 0; s < kOpStateCount; ++s) {
        const StateFalseAlarms& st = m.perState[static_cast<std::size_t>(s)];
        out += row({QStringLiteral("  ") + opStateName(static_cast<OpState>(s)),
                    QString::number(st.negatives), QString::number(st.falseAlarms), percent(st.rate, 2)},
                   stateWidths, true);
    }
    out += QStringLiteral("\nPer fault type\n");
    if (m.perFault.empty())
        return out + QStringLiteral("  (no fault rows in the evaluated span)\n");
    int tagWidth = 5;
    for (const FaultMetrics& f : m.perFault) tagWidth = std::max(tagWidth, static_cast<int>(f.tag.size()));
    tagWidth = std::min(tagWidth, kMaxTagWidth) + 2;
    const std::vector<int> widths{tagWidth + 2, 10, 10, 8, 8, 14, 16};
    out += row({QStringLiteral("  fault"), QStringLiteral("rows"), QStringLiteral("recall"),
                QStringLiteral("events"), QStringLiteral("caught"), QStringLiteral("event recall"),
                QStringLiteral("median latency")},
               widths, true);
    for (const FaultMetrics& f : m.perFault) {
        const QString tag =
            f.tag.size() > kMaxTagWidth ? f.tag.left(kMaxTagWidth - 1) + QLatin1Char('~') : f.tag;
        out +=
            row({QStringLiteral("  ") + tag, QString::number(f.rows), percent(f.recall),
                 QString::number(f.events), QString::number(f.eventsCaught), percent(f.eventRecall),
                 f.medianLatencyS ? num(*f.medianLatencyS, 1) + QStringLiteral(" s") : QStringLiteral("-")},
                widths, true);
    }
    return out;
}

}  // namespace itap
