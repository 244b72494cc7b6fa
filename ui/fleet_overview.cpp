#include "fleet_overview.h"

#include "models/alert_list_model.h"
#include "models/pattern_table_model.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QStackedBarSeries>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace itap {

qint64 ScoreHistogram::total() const {
    qint64 sum = 0;
    for (std::size_t i = 0; i < below.size(); ++i) sum += below[i] + flagged[i];
    return sum;
}

ScoreHistogram scoreHistogram(const std::vector<float>& scores, double threshold, int bins) {
    ScoreHistogram h;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (float s : scores) {
        if (!std::isfinite(s))
            continue;
        lo = std::min(lo, double(s));
        hi = std::max(hi, double(s));
    }
    if (!(lo <= hi) || bins < 1)
        return h;
    // A fleet of identical scores still gets one visible bar.
    if (hi - lo < 1e-9) {
        lo -= 0.005;
        hi += 0.005;
    }
    h.lo = lo;
    h.width = (hi - lo) / bins;
    h.below.assign(static_cast<std::size_t>(bins), 0);
    h.flagged.assign(static_cast<std::size_t>(bins), 0);
    for (float s : scores) {
        if (!std::isfinite(s))
            continue;
        (double(s) >= threshold ? h.flagged : h.below)[static_cast<std::size_t>(h.binOf(s))] += 1;
    }
    return h;
}

namespace {

// The family chart's value axis: room to the right of the longest bar for its label.
double familyAxisMax(double most) {
    return std::min(100.0, std::ceil((most * 1.25 + 1) / 10.0) * 10.0);
}

QString kpiTitle(FleetOverview::Kpi kpi) {
    switch (kpi) {
        case FleetOverview::Kpi::Devices:
            return FleetOverview::tr("Devices");
        case FleetOverview::Kpi::Rows:
            return FleetOverview::tr("Telemetry rows");
        case FleetOverview::Kpi::FlaggedRows:
            return FleetOverview::tr("Flagged rows");
        case FleetOverview::Kpi::DevicesAffected:
            return FleetOverview::tr("Devices affected");
        case FleetOverview::Kpi::CriticalAlerts:
            return FleetOverview::tr("Critical alerts");
        case FleetOverview::Kpi::WarningAlerts:
            return FleetOverview::tr("Warning alerts");
        case FleetOverview::Kpi::InfoAlerts:
            return FleetOverview::tr("Info alerts");
        case FleetOverview::Kpi::SystemicPatterns:
            return FleetOverview::tr("Systemic patterns");
        case FleetOverview::Kpi::Threshold:
            return FleetOverview::tr("Score threshold");
    }
    return {};
}

QChartView* makeChartView(QChart* chart) {
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(240);
    return view;
}

// Bin index of a score on the bar axis, where bar i is centred on i.
double binPosition(const ScoreHistogram& h, double score) {
    return (score - h.lo) / h.width - 0.5;
}

}  // namespace

FleetOverview::FleetOverview(QWidget* parent) : QWidget(parent) {
    auto* tiles = new QGridLayout;
    tiles->setSpacing(8);
    for (int i = 0; i < kKpiCount; ++i) {
        auto* frame = new QFrame;
        frame->setFrameShape(QFrame::StyledPanel);
        auto* title = new QLabel(kpiTitle(static_cast<Kpi>(i)));
        title->setForegroundRole(QPalette::PlaceholderText);
        auto* value = new QLabel;
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.8);
        big.setBold(true);
        value->setFont(big);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto* note = new QLabel;
        note->setForegroundRole(QPalette::PlaceholderText);
        // A long note (the threshold rule) must not widen the whole overview; it is in the tooltip as well.
        // It wraps rather than being cut off in a narrow tile.
        note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        note->setMinimumWidth(60);
        note->setWordWrap(true);
        auto* box = new QVBoxLayout(frame);
        box->setContentsMargins(10, 6, 10, 6);
        box->setSpacing(0);
        box->addWidget(title);
        box->addWidget(value);
        box->addWidget(note);
        kpiValues_[static_cast<std::size_t>(i)] = value;
        kpiNotes_[static_cast<std::size_t>(i)] = note;
        tiles->addWidget(frame, i / 5, i % 5);
    }
    const std::pair<Kpi, Severity> severities[] = {{Kpi::CriticalAlerts, Severity::Critical},
                                                   {Kpi::WarningAlerts, Severity::Warning},
                                                   {Kpi::InfoAlerts, Severity::Info}};
    for (const auto& [kpi, severity] : severities) {
        QPalette pal = kpiValues_[static_cast<std::size_t>(kpi)]->palette();
        pal.setColor(QPalette::WindowText, AlertListModel::severityColor(severity));
        kpiValues_[static_cast<std::size_t>(kpi)]->setPalette(pal);
    }

    auto* histogram = new QChart;
    histogram->setTitle(tr("Anomaly score distribution"));
    histogramView_ = makeChartView(histogram);
    auto* family = new QChart;
    family->setTitle(tr("Family mix of flagged rows"));
    family->legend()->hide();
    familyView_ = makeChartView(family);
    auto* charts = new QHBoxLayout;
    charts->addWidget(histogramView_, 3);
    charts->addWidget(familyView_, 2);

    patternModel_ = new PatternTableModel(this);
    patterns_ = new QTableView;
    patterns_->setModel(patternModel_);
    patterns_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    patterns_->setSelectionBehavior(QAbstractItemView::SelectRows);
    patterns_->verticalHeader()->hide();
    // One line per pattern: the device list takes the room the short columns leave and is elided (the full
    // list is in its tooltip) rather than wrapping into a row too short to show it.
    patterns_->setWordWrap(false);
    patterns_->setTextElideMode(Qt::ElideRight);
    patterns_->horizontalHeader()->setStretchLastSection(false);
    // Fitted to a new fleet's contents once (setData); a threshold change keeps the widths, so the columns do
    // not jump while the slider moves and no row is measured again.
    patterns_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    patterns_->horizontalHeader()->setSectionResizeMode(PatternTableModel::DevicesColumn, QHeaderView::Stretch);
    patterns_->setAlternatingRowColors(true);
    patterns_->setMinimumHeight(120);
    auto* patternsTitle =
        new QLabel(tr("<b>Fleet patterns</b> — systemic: several devices, same family, same time"));

    emptyHint_ = new QLabel(tr("No fleet loaded. Use File ▸ Simulate fleet… or File ▸ Open database…"));
    emptyHint_->setAlignment(Qt::AlignCenter);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(emptyHint_);
    layout->addLayout(tiles);
    layout->addLayout(charts, 3);
    layout->addWidget(patternsTitle);
    layout->addWidget(patterns_, 1);
    clear();
}

void FleetOverview::clearFamilyChart() {
    familySet_ = nullptr;
    familyAxis_ = nullptr;
    familyValueAxis_ = nullptr;
    familyView_->chart()->removeAllSeries();
    for (QAbstractAxis* axis : familyView_->chart()->axes()) familyView_->chart()->removeAxis(axis);
}

void FleetOverview::clear() {
    for (QLabel* value : kpiValues_) value->setText(QStringLiteral("–"));
    for (QLabel* note : kpiNotes_) note->setText(QStringLiteral(" "));
    histogram_ = {};
    histogramRows_ = 0;
    belowSet_ = flaggedSet_ = nullptr;
    thresholdLine_ = nullptr;
    histogramView_->chart()->removeAllSeries();
    for (QAbstractAxis* axis : histogramView_->chart()->axes()) histogramView_->chart()->removeAxis(axis);
    clearFamilyChart();
    patternModel_->setPatterns({});
    emptyHint_->show();
}

void FleetOverview::setData(const FleetFeatures& fleet, const Analysis& analysis) {
    clear();
    emptyHint_->hide();
    showKpis(analysis);
    histogram_ = scoreHistogram(fleet.table.score, analysis.threshold, kHistogramBins);
    histogramRows_ = fleet.table.score.size();
    showHistogram(analysis.threshold);
    showFamilyMix(analysis.aggregate.fleet.familyMix);
    showPatterns(analysis.aggregate.fleet.patterns);
    patterns_->resizeColumnsToContents();
}

void FleetOverview::updateThreshold(const FleetFeatures& fleet, const Analysis& analysis) {
    const std::vector<float>& scores = fleet.table.score;
    if (!thresholdLine_ || scores.size() != histogramRows_)  // no histogram shown, or another fleet
        return setData(fleet, analysis);
    showKpis(analysis);

    // The bin edges and totals stay; only the split moves. Only rows at or above the threshold need a bin (a
    // few percent), and binOf() is scoreHistogram's, so the counts equal what setData() would show.
    const double threshold = analysis.threshold;
    const int bins = histogram_.bins();
    std::vector<qint64> flagged(std::size_t(bins), 0);
    for (float s : scores) {
        if (double(s) >= threshold && std::isfinite(s))
            ++flagged[std::size_t(histogram_.binOf(s))];
    }
    for (int i = 0; i < bins; ++i) {
        const auto k = std::size_t(i);
        const qint64 total = histogram_.below[k] + histogram_.flagged[k];
        if (flagged[k] == histogram_.flagged[k])
            continue;
        histogram_.flagged[k] = flagged[k];
        histogram_.below[k] = total - flagged[k];
        belowSet_->replace(i, histogram_.below[k] > 0 ? double(histogram_.below[k]) : 0.5);
        flaggedSet_->replace(i, flagged[k] > 0 ? double(flagged[k]) : 0.5);
    }
    const double tx = std::clamp(binPosition(histogram_, threshold), -0.5, bins - 0.5);
    const QList<QPointF> line = thresholdLine_->points();
    thresholdLine_->replace(QList<QPointF>{QPointF(tx, line.value(0).y()), QPointF(tx, line.value(1).y())});
    thresholdLine_->setName(tr("Threshold %1").arg(QLocale().toString(threshold, 'f', 3)));

    // The family mix: new values on the same bars when the families are the same, else a new chart.
    const std::vector<FamilyShare>& mix = analysis.aggregate.fleet.familyMix;
    QStringList families;
    for (auto it = mix.rbegin(); it != mix.rend(); ++it) families << it->family;
    if (familySet_ && familyAxis_ && familyValueAxis_ && familyAxis_->categories() == families) {
        double most = 0;
        int i = 0;
        for (auto it = mix.rbegin(); it != mix.rend(); ++it, ++i) {
            if (familySet_->at(i) != it->percent)
                familySet_->replace(i, it->percent);
            most = std::max(most, it->percent);
        }
        familyValueAxis_->setRange(0, familyAxisMax(most));
    } else {
        clearFamilyChart();
        showFamilyMix(mix);
    }
    showPatterns(analysis.aggregate.fleet.patterns);
}

void FleetOverview::showKpis(const Analysis& analysis) {
    const QLocale locale;
    const FleetSummary& f = analysis.aggregate.fleet;
    auto set = [&](Kpi kpi, const QString& value, const QString& note = QStringLiteral(" ")) {
        kpiValues_[static_cast<std::size_t>(kpi)]->setText(value);
        kpiNotes_[static_cast<std::size_t>(kpi)]->setText(note);
        kpiNotes_[static_cast<std::size_t>(kpi)]->setToolTip(note.trimmed());
    };
    set(Kpi::Devices, locale.toString(f.devices));
    set(Kpi::Rows, locale.toString(qulonglong(f.rows)));
    const double flaggedPct = f.rows == 0 ? 0.0 : 100.0 * double(f.flaggedRows) / double(f.rows);
    set(Kpi::FlaggedRows, locale.toString(qulonglong(f.flaggedRows)),
        tr("%1 % of all rows").arg(locale.toString(flaggedPct, 'f', 2)));
    set(Kpi::DevicesAffected, locale.toString(f.devicesAffected),
        tr("of %1 devices").arg(locale.toString(f.devices)));
    set(Kpi::CriticalAlerts, locale.toString(f.alertsBySeverity[std::size_t(Severity::Critical)]),
        tr("%1 alerts in total").arg(locale.toString(f.alerts)));
    set(Kpi::WarningAlerts, locale.toString(f.alertsBySeverity[std::size_t(Severity::Warning)]));
    set(Kpi::InfoAlerts, locale.toString(f.alertsBySeverity[std::size_t(Severity::Info)]));
    set(Kpi::SystemicPatterns, locale.toString(f.systemicPatterns),
        tr("of %1 patterns").arg(locale.toString(qulonglong(f.patterns.size()))));
    set(Kpi::Threshold, locale.toString(analysis.threshold, 'f', 3), analysis.thresholdRule);
}

std::vector<std::pair<double, double>> FleetOverview::histogramBars() const {
    std::vector<std::pair<double, double>> out;
    if (!belowSet_ || !flaggedSet_)
        return out;
    for (int i = 0; i < belowSet_->count(); ++i) out.emplace_back(belowSet_->at(i), flaggedSet_->at(i));
    return out;
}

std::vector<std::pair<QString, double>> FleetOverview::familyBars() const {
    std::vector<std::pair<QString, double>> out;
    if (!familySet_ || !familyAxis_)
        return out;
    const QStringList families = familyAxis_->categories();
    for (int i = familySet_->count() - 1; i >= 0; --i) out.emplace_back(families.value(i), familySet_->at(i));
    return out;
}

double FleetOverview::thresholdLinePosition() const {
    return thresholdLine_ && thresholdLine_->count() > 0 ? thresholdLine_->at(0).x() : 0.0;
}

QString FleetOverview::kpiText(Kpi kpi) const {
    return kpiValues_[static_cast<std::size_t>(kpi)]->text();
}

int FleetOverview::patternRows() const {
    return patternModel_->rowCount();
}

void FleetOverview::showHistogram(double threshold) {
    QChart* chart = histogramView_->chart();
    const ScoreHistogram& h = histogram_;
    if (h.bins() == 0)
        return;
    const QLocale locale;

    auto* below = new QBarSet(tr("Below threshold"));
    auto* flagged = new QBarSet(tr("Flagged (≥ threshold)"));
    below->setColor(QColor(0x5b, 0x84, 0xb1));
    flagged->setColor(AlertListModel::severityColor(Severity::Critical));
    qint64 peak = 1;
    for (int i = 0; i < h.bins(); ++i) {
        const auto b = h.below[std::size_t(i)];
        const auto f = h.flagged[std::size_t(i)];
        // Empty parts sit on the log axis' floor (0.5) instead of log(0); they draw as nothing.
        below->append(b > 0 ? double(b) : 0.5);
        flagged->append(f > 0 ? double(f) : 0.5);
        peak = std::max(peak, b + f);
    }
    belowSet_ = below;
    flaggedSet_ = flagged;
    auto* bars = new QStackedBarSeries;
    bars->append(below);
    bars->append(flagged);
    bars->setBarWidth(0.9);
    chart->addSeries(bars);

    // Bars sit at 0..bins-1; label the bin edges with their score so the axis reads as a score axis.
    auto* x = new QCategoryAxis;
    x->setRange(-0.5, h.bins() - 0.5);
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    const int step = std::max(1, h.bins() / 8);
    // The right-most edge is left unlabelled: its label would be clipped by the plot area.
    for (int edge = 0; edge < h.bins(); edge += step)
        x->append(locale.toString(h.lo + edge * h.width, 'f', 3), edge - 0.5);
    x->setTitleText(tr("Anomaly score"));
    x->setGridLineVisible(false);
    chart->addAxis(x, Qt::AlignBottom);
    bars->attachAxis(x);

    // Counts span orders of magnitude (thousands of normal rows, a handful of anomalies): a log axis keeps
    // both.
    auto* y = new QLogValueAxis;
    y->setBase(10);
    y->setRange(0.5, std::pow(10.0, std::ceil(std::log10(double(peak) * 1.5))));
    y->setLabelFormat(QStringLiteral("%g"));
    y->setMinorTickCount(-1);
    y->setTitleText(tr("Rows (log scale)"));
    chart->addAxis(y, Qt::AlignLeft);
    bars->attachAxis(y);

    auto* line = new QLineSeries;
    line->setName(tr("Threshold %1").arg(locale.toString(threshold, 'f', 3)));
    const double tx = std::clamp(binPosition(h, threshold), -0.5, h.bins() - 0.5);
    line->append(tx, y->min());
    line->append(tx, y->max());
    QPen pen(QColor(0x20, 0x20, 0x20));
    pen.setWidthF(2);
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    thresholdLine_ = line;
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
}

void FleetOverview::showFamilyMix(const std::vector<FamilyShare>& mix) {
    QChart* chart = familyView_->chart();
    if (mix.empty())
        return;
    auto* set = new QBarSet(tr("Share"));
    set->setColor(QColor(0x3f, 0x8f, 0x7a));
    set->setLabelColor(palette().color(QPalette::WindowText));
    QStringList families;
    // Horizontal bars fill bottom-up: append in reverse so the largest share is on top.
    double most = 0;
    for (auto it = mix.rbegin(); it != mix.rend(); ++it) {
        families << it->family;
        set->append(it->percent);
        most = std::max(most, it->percent);
    }
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value %"));
    series->setLabelsPrecision(3);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(families);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    auto* x = new QValueAxis;
    x->setRange(0, familyAxisMax(most));
    familySet_ = set;
    familyAxis_ = y;
    familyValueAxis_ = x;
    x->setLabelFormat(QStringLiteral("%.0f %%"));
    x->setTickCount(6);
    x->setTitleText(tr("Share of the anomaly score"));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
}

void FleetOverview::showPatterns(const std::vector<FleetPattern>& patterns) {
    patternModel_->setPatterns(patterns);
}

}  // namespace itap
