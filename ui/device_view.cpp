#include "device_view.h"

#include "chart_util.h"
#include "common/time_util.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QPushButton>
#include <QScatterSeries>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <tuple>

namespace itap {
namespace {

const QMargins kBaseMargins(4, 2, 10, 2);
constexpr int kFamilyChartHeight = 170;
constexpr int kStateChartHeight = 44;
constexpr int kScoreChartHeight = 200;
constexpr int kCompactFamilyChartHeight = 150;
constexpr int kCompactScoreChartHeight = 160;
// Tick steps a time axis reads well at, from a second to a week.
constexpr qint64 kNiceStepsMs[] = {1'000,      2'000,      5'000,      10'000,      15'000,
                                   30'000,     60'000,     120'000,    300'000,     600'000,
                                   900'000,    1'800'000,  3'600'000,  7'200'000,   10'800'000,
                                   21'600'000, 43'200'000, 86'400'000, 172'800'000, 604'800'000};
constexpr qint64 kMaxTickIntervals = 8;

// Ticks on round times when the span is a whole number of nice steps; QDateTimeAxis spaces ticks evenly.
int tickCountFor(qint64 spanMs) {
    for (qint64 step : kNiceStepsMs)
        if (spanMs % step == 0 && spanMs / step >= 3 && spanMs / step <= kMaxTickIntervals)
            return int(spanMs / step) + 1;
    return 7;
}

// Widens [from, to] (axis coordinates) to whole nice steps, at most kMaxTickIntervals of them.
std::pair<qint64, qint64> niceRange(qint64 from, qint64 to) {
    for (qint64 step : kNiceStepsMs) {
        const qint64 lo = from >= 0 ? from / step * step : -((-from + step - 1) / step) * step;
        const qint64 hi = to >= 0 ? (to + step - 1) / step * step : -(-to / step) * step;
        if ((hi - lo) / step <= kMaxTickIntervals)
            return {lo, hi};
    }
    return {from, to};
}
constexpr qint64 kMinSpanMs = 60'000;  // zooming further shows two or three samples: nothing to read

// A chart view whose mouse and wheel gestures drive the shared time range instead of zooming one chart.
class SyncedChartView : public QChartView {
public:
    struct Hooks {
        std::function<bool(const QPointF&)> click;         // true: the press hit something, no rubber band
        std::function<void(const QPointF&, double)> zoom;  // anchor (viewport), factor < 1 zooms in
        std::function<void(double)> pan;                   // dx in pixels
        std::function<void()> reset;
    };

    SyncedChartView(QChart* chart, Hooks hooks) : QChartView(chart), hooks_(std::move(hooks)) {
        setRenderHint(QPainter::Antialiasing);
        setRubberBand(QChartView::HorizontalRubberBand);
        setFrameShape(QFrame::NoFrame);
    }

protected:
    void mousePressEvent(QMouseEvent* e) override {
        const bool shift = e->modifiers() & Qt::ShiftModifier;
        if (e->button() == Qt::LeftButton && !shift && hooks_.click && hooks_.click(e->position())) {
            e->accept();
            return;
        }
        if (e->button() == Qt::MiddleButton || (e->button() == Qt::LeftButton && shift)) {
            panning_ = true;
            lastX_ = e->position().x();
            setCursor(Qt::ClosedHandCursor);
            e->accept();
            return;
        }
        if (e->button() == Qt::RightButton) {
            e->accept();  // QChartView would zoom this one chart out on release
            return;
        }
        QChartView::mousePressEvent(e);
    }
    void mouseMoveEvent(QMouseEvent* e) override {
        if (panning_) {
            hooks_.pan(e->position().x() - lastX_);
            lastX_ = e->position().x();
            e->accept();
            return;
        }
        QChartView::mouseMoveEvent(e);
    }
    void mouseReleaseEvent(QMouseEvent* e) override {
        if (panning_) {
            panning_ = false;
            unsetCursor();
            e->accept();
            return;
        }
        if (e->button() == Qt::RightButton) {
            hooks_.reset();
            e->accept();
            return;
        }
        QChartView::mouseReleaseEvent(e);
    }
    void mouseDoubleClickEvent(QMouseEvent* e) override {
        hooks_.reset();
        e->accept();
    }
    void wheelEvent(QWheelEvent* e) override {
        const double steps = e->angleDelta().y() / 120.0;
        if (steps != 0)
            hooks_.zoom(e->position(), std::pow(0.8, steps));
        e->accept();
    }

private:
    Hooks hooks_;
    bool panning_ = false;
    double lastX_ = 0;
};

QChart* newChart() {
    auto* chart = new QChart;
    chart->setMargins(kBaseMargins);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignTop);
    QFont f = chart->legend()->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    chart->legend()->setFont(f);
    return chart;
}

void hideFromLegend(QChart* chart, QAbstractSeries* series) {
    for (QLegendMarker* m : chart->legend()->markers(series)) m->setVisible(false);
}

// An area over the hidden 0..1 band axis covering the given intervals (axis coordinates).
QAreaSeries* bandArea(QChart* chart, QDateTimeAxis* x, QValueAxis* band, const QList<QPointF>& outline,
                      const QColor& fill, double fromX, double toX) {
    auto* upper = new QLineSeries;
    upper->replace(outline);
    auto* lower = new QLineSeries;
    lower->replace(QList<QPointF>{QPointF(fromX, 0), QPointF(toX, 0)});
    auto* area = new QAreaSeries(upper, lower);
    upper->setParent(area);
    lower->setParent(area);
    area->setColor(fill);
    area->setBorderColor(Qt::transparent);
    QPen pen(Qt::transparent);
    pen.setWidth(0);
    area->setPen(pen);
    chart->addSeries(area);
    area->attachAxis(x);
    area->attachAxis(band);
    hideFromLegend(chart, area);
    return area;
}

QString timeFormatFor(qint64 spanMs) {
    if (spanMs > 3LL * 86'400'000)
        return QStringLiteral("MM-dd HH:mm");
    if (spanMs > 20LL * 60'000)
        return QStringLiteral("HH:mm");
    return QStringLiteral("HH:mm:ss");
}

QString swatch(const QColor& c, const QString& text) {
    return QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2")
        .arg(c.name(), text.toHtmlEscaped());
}

// Line colours of the channels within one family chart: the family colour, then darker and lighter variants.
QColor channelColor(const QString& family, int k) {
    const QColor base = familyColor(family);
    if (k == 0)
        return base;
    return k % 2 == 1 ? base.darker(100 + 45 * ((k + 1) / 2)) : base.lighter(100 + 35 * (k / 2));
}

}  // namespace

DeviceView::DeviceView(QWidget* parent) : QWidget(parent) {
    title_ = new QLabel;
    title_->setTextFormat(Qt::RichText);
    title_->setObjectName(QStringLiteral("deviceTitle"));
    // The summary line is long (device, rows, span, flagged): it wraps rather than setting the view's width.
    title_->setWordWrap(true);
    legend_ = new QLabel;
    legend_->setTextFormat(Qt::RichText);
    legend_->setWordWrap(true);
    resetButton_ = new QPushButton(tr("Reset zoom"));
    resetButton_->setToolTip(
        tr("Drag to zoom, wheel to zoom, Shift+drag or middle drag to pan, right click or "
           "double click to reset."));
    connect(resetButton_, &QPushButton::clicked, this, &DeviceView::resetZoom);
    emptyHint_ = new QLabel(tr("No device selected. Pick a device in the leaderboard."));
    emptyHint_->setAlignment(Qt::AlignCenter);

    auto* header = new QHBoxLayout;
    header->addWidget(title_, 1);
    header->addWidget(resetButton_);

    chartsHost_ = new QWidget;
    chartsLayout_ = new QVBoxLayout(chartsHost_);
    chartsLayout_->setContentsMargins(0, 0, 0, 0);
    chartsLayout_->setSpacing(0);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(chartsHost_);
    scroll_ = scroll;

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(legend_);
    layout->addWidget(emptyHint_, 1);
    layout->addWidget(scroll, 1);

    reduceTimer_ = new QTimer(this);
    reduceTimer_->setSingleShot(true);
    reduceTimer_->setInterval(15);  // coalesces the bursts of range changes a wheel or a drag produces
    connect(reduceTimer_, &QTimer::timeout, this, &DeviceView::reduceVisible);
    alignTimer_ = new QTimer(this);
    alignTimer_->setSingleShot(true);
    alignTimer_->setInterval(0);
    connect(alignTimer_, &QTimer::timeout, this, &DeviceView::alignPlotAreas);
    clear();
}

DeviceView::~DeviceView() = default;

void DeviceView::setCatalog(const SensorCatalog& catalog) {
    catalog_ = catalog;
}

void DeviceView::setCompact(bool compact) {
    compact_ = compact;
    legend_->setVisible(!compact);
}

std::pair<qint64, qint64> DeviceView::niceUtcRange(qint64 fromMs, qint64 toMs) const {
    // Rounded where the labels are read (the shifted axis), so the ticks show round UTC times.
    const auto [lo, hi] = niceRange(fromMs - tzShiftMs_, toMs - tzShiftMs_);
    return {lo + tzShiftMs_, hi + tzShiftMs_};
}

void DeviceView::clear() {
    // The views may be inside one of their own event handlers (a click that leads here): delete them later,
    // but cut them loose now so nothing they emit reaches this view any more.
    for (auto& a : axes_) {
        a.x->disconnect(this);
        a.chart->disconnect(alignTimer_);
    }
    for (QChartView* v : chartViews()) {
        chartsLayout_->removeWidget(v);
        v->hide();
        v->deleteLater();
    }
    families_.clear();
    axes_.clear();
    stateView_ = scoreView_ = nullptr;
    scoreLine_ = thresholdLine_ = nullptr;
    flaggedMarkers_ = nullptr;
    scoreY_ = nullptr;
    device_.clear();
    ts_.clear();
    channels_.clear();
    faultTag_.clear();
    state_.clear();
    scoreTs_.clear();
    score_.clear();
    flaggedRows_.clear();
    flaggedTs_.clear();
    flaggedScore_.clear();
    markedRows_.clear();
    highlight_.reset();
    title_->clear();
    legend_->clear();
    emptyHint_->show();
    scroll_->hide();
    resetButton_->setEnabled(false);
}

void DeviceView::setData(const FleetFeatures& fleet, const Analysis& analysis, const DeviceSeries& series,
                         int deviceIndex) {
    clear();
    if (deviceIndex < 0 || std::size_t(deviceIndex) + 1 >= fleet.offset.size() || series.size() == 0)
        return;
    const ScoreTable& t = fleet.table;
    const std::size_t begin = fleet.offset[std::size_t(deviceIndex)];
    const std::size_t end = fleet.offset[std::size_t(deviceIndex) + 1];

    device_ = series.deviceId;
    ts_ = series.tsMs;
    channels_ = series.channels;
    faultTag_ = series.faultTag;
    state_ = series.state;
    scoreTs_.assign(t.tsMs.begin() + std::ptrdiff_t(begin), t.tsMs.begin() + std::ptrdiff_t(end));
    score_.reserve(end - begin);
    for (std::size_t r = begin; r < end; ++r) score_.push_back(double(t.score[r]));
    threshold_ = analysis.threshold;
    auto lo = std::lower_bound(analysis.flagged.begin(), analysis.flagged.end(), begin);
    auto hi = std::lower_bound(analysis.flagged.begin(), analysis.flagged.end(), end);
    flaggedRows_.assign(lo, hi);
    for (std::size_t r : flaggedRows_) {
        flaggedTs_.push_back(t.tsMs[r]);
        flaggedScore_.push_back(double(t.score[r]));
    }

    dataFrom_ = std::min(ts_.front(), scoreTs_.empty() ? ts_.front() : scoreTs_.front());
    dataTo_ = std::max(ts_.back(), scoreTs_.empty() ? ts_.back() : scoreTs_.back());
    if (dataTo_ - dataFrom_ < kMinSpanMs)
        dataTo_ = dataFrom_ + kMinSpanMs;
    // QDateTimeAxis labels in local time; shifting the axis by the UTC offset makes them read UTC.
    tzShiftMs_ = qint64(QDateTime::fromMSecsSinceEpoch(dataFrom_).offsetFromUtc()) * 1000;
    std::tie(limitFrom_, limitTo_) = niceUtcRange(dataFrom_, dataTo_);
    viewFrom_ = limitFrom_;
    viewTo_ = limitTo_;

    // Channel names, units and families: the catalog when it fits, else what the feature schema tells.
    const int channelCount = static_cast<int>(channels_.size());
    const auto count = static_cast<std::size_t>(channelCount);
    std::vector<QString> fams(count), names(count), units(count);
    std::vector<QStringList> featureNames(count);
    for (int i = 0; i < fleet.schema.size(); ++i) {
        const int c = fleet.schema.channel[std::size_t(i)];
        if (c < 0 || c >= channelCount)
            continue;
        // Data-quality features (`<channel>_missing_frac`) carry a pseudo-family, not the channel's.
        const QString& fam = fleet.schema.families[std::size_t(i)];
        if (fams[std::size_t(c)].isEmpty() && fam != family::kMissingness && fam != family::kOperation)
            fams[std::size_t(c)] = fam;
        featureNames[std::size_t(c)] << fleet.schema.names[std::size_t(i)];
    }
    auto fits = [&](const SensorCatalog& cat) {
        if (cat.size() != channelCount)
            return false;
        for (int c = 0; c < channelCount; ++c)
            if (!fams[std::size_t(c)].isEmpty() && cat.channel(c).family != fams[std::size_t(c)])
                return false;
        return true;
    };
    std::optional<SensorCatalog> cat;
    if (catalog_ && fits(*catalog_)) {
        cat = catalog_;
    } else if (SensorCatalog d = SensorCatalog::defaults(); fits(d)) {
        cat = d;
    }
    for (int c = 0; c < channelCount; ++c) {
        const auto k = std::size_t(c);
        if (cat) {
            names[k] = cat->channel(c).name;
            units[k] = cat->channel(c).unit;
            fams[k] = cat->channel(c).family;
            continue;
        }
        // `<channel>_<stat>`: the common prefix of a channel's feature names is the channel name.
        QString prefix =
            featureNames[k].isEmpty() ? QStringLiteral("channel_%1").arg(c) : featureNames[k].front();
        if (featureNames[k].size() == 1)
            prefix = prefix.left(std::max<qsizetype>(1, prefix.lastIndexOf(u'_')));
        for (const QString& n : featureNames[k]) {
            qsizetype m = 0;
            while (m < prefix.size() && m < n.size() && prefix[m] == n[m]) ++m;
            prefix.truncate(m);
        }
        while (prefix.endsWith(u'_')) prefix.chop(1);
        names[k] = prefix.isEmpty() ? QStringLiteral("channel_%1").arg(c) : prefix;
        if (fams[k].isEmpty())
            fams[k] = names[k];
    }

    emptyHint_->hide();
    scroll_->show();
    resetButton_->setEnabled(true);
    buildCharts(names, units, fams);
    updateHeader();
    applyRange(viewFrom_, viewTo_, true);
}

void DeviceView::buildCharts(const std::vector<QString>& channelNames,
                             const std::vector<QString>& channelUnits,
                             const std::vector<QString>& channelFamilies) {
    // Family order is catalog order (first appearance).
    QStringList order;
    for (const QString& f : channelFamilies)
        if (!order.contains(f))
            order << f;
    const QLocale locale;

    for (const QString& fam : order) {
        QChart* chart = newChart();
        FamilyChart fc;
        fc.family = fam;
        ChartAxes& axes = axesOf(chart);
        addFaultShading(axes);
        QStringList familyUnits;
        for (std::size_t c = 0; c < channelFamilies.size(); ++c)
            if (channelFamilies[c] == fam && !familyUnits.contains(channelUnits[c]))
                familyUnits << channelUnits[c];
        fc.y = new QValueAxis;
        fc.y->setLabelFormat(QStringLiteral("%.1f"));
        fc.y->setTickCount(compact_ ? 3 : 4);
        // The unit is short enough for the axis title at any chart height; the family goes into the legend.
        if (familyUnits.size() == 1)
            fc.y->setTitleText(familyUnits.front());
        chart->addAxis(fc.y, Qt::AlignLeft);
        int k = 0;
        for (std::size_t c = 0; c < channelFamilies.size(); ++c) {
            if (channelFamilies[c] != fam)
                continue;
            auto* line = new QLineSeries;
            line->setName(channelUnits[c].isEmpty()
                              ? tr("%1 — %2").arg(fam, channelNames[c])
                              : tr("%1 — %2 (%3)").arg(fam, channelNames[c], channelUnits[c]));
            QPen pen(channelColor(fam, k++));
            pen.setWidthF(1.3);
            line->setPen(pen);
            chart->addSeries(line);
            line->attachAxis(axes.x);
            line->attachAxis(fc.y);
            fc.traces.push_back({int(c), line});
        }
        fc.view = addChart(chart, compact_ ? kCompactFamilyChartHeight : kFamilyChartHeight);
        fc.view->setObjectName(QStringLiteral("familyChart_%1").arg(fam));
        families_.push_back(std::move(fc));
    }

    // The operating state as a thin band: one area per state over the shared time axis.
    {
        QChart* chart = newChart();
        chart->legend()->hide();
        ChartAxes& axes = axesOf(chart);
        axes.x->setLabelsVisible(false);
        axes.x->setGridLineVisible(false);
        auto* y = new QValueAxis;
        y->setRange(0, 1);
        y->setLabelsVisible(false);
        y->setGridLineVisible(false);
        y->setTickCount(2);
        chart->addAxis(y, Qt::AlignLeft);
        const auto runs = stateRuns(ts_, state_);
        for (int s = 0; s < kOpStateCount; ++s) {
            std::vector<std::pair<qint64, qint64>> intervals;
            for (const auto& r : runs)
                if (int(r.value) == s)
                    intervals.emplace_back(r.fromMs - tzShiftMs_, r.toMs - tzShiftMs_);
            if (intervals.empty())
                continue;
            QAreaSeries* area = bandArea(chart, axes.x, axes.band, intervalOutline(intervals),
                                         stateColor(OpState(s)), toAxis(dataFrom_), toAxis(dataTo_));
            area->setName(opStateName(OpState(s)));
        }
        stateView_ = addChart(chart, kStateChartHeight);
        stateView_->setObjectName(QStringLiteral("stateChart"));
    }

    // The score timeline with the threshold and the flagged rows.
    {
        QChart* chart = newChart();
        ChartAxes& axes = axesOf(chart);
        addFaultShading(axes);
        scoreY_ = new QValueAxis;
        scoreY_->setLabelFormat(QStringLiteral("%.2f"));
        scoreY_->setTickCount(5);
        scoreY_->setTitleText(tr("Score"));
        chart->addAxis(scoreY_, Qt::AlignLeft);
        scoreLine_ = new QLineSeries;
        scoreLine_->setName(tr("score"));
        QPen pen(QColor(0x33, 0x44, 0x55));
        pen.setWidthF(1.2);
        scoreLine_->setPen(pen);
        thresholdLine_ = new QLineSeries;
        thresholdLine_->setName(tr("threshold %1").arg(locale.toString(threshold_, 'f', 3)));
        QPen tpen(QColor(0xc6, 0x28, 0x28));
        tpen.setStyle(Qt::DashLine);
        tpen.setWidthF(1.5);
        thresholdLine_->setPen(tpen);
        thresholdLine_->replace(
            QList<QPointF>{QPointF(toAxis(dataFrom_), threshold_), QPointF(toAxis(dataTo_), threshold_)});
        flaggedMarkers_ = new QScatterSeries;
        flaggedMarkers_->setName(tr("flagged (%1)").arg(locale.toString(qulonglong(flaggedRows_.size()))));
        flaggedMarkers_->setMarkerSize(7);
        flaggedMarkers_->setColor(QColor(0xc6, 0x28, 0x28));
        flaggedMarkers_->setBorderColor(QColor(0x7a, 0x10, 0x10));
        for (QAbstractSeries* s :
             {static_cast<QAbstractSeries*>(scoreLine_), static_cast<QAbstractSeries*>(thresholdLine_),
              static_cast<QAbstractSeries*>(flaggedMarkers_)}) {
            chart->addSeries(s);
            s->attachAxis(axes.x);
            s->attachAxis(scoreY_);
        }
        scoreView_ = addChart(chart, compact_ ? kCompactScoreChartHeight : kScoreChartHeight);
        scoreView_->setObjectName(QStringLiteral("scoreChart"));
    }
    for (auto& a : axes_) {
        // Highlights go on top of everything, so they are added last.
        a.highlight =
            bandArea(a.chart, a.x, a.band, {}, QColor(255, 214, 0, 80), toAxis(dataFrom_), toAxis(dataTo_));
    }
    updateHighlight();
}

DeviceView::ChartAxes& DeviceView::axesOf(QChart* chart) {
    for (auto& a : axes_)
        if (a.chart == chart)
            return a;
    ChartAxes a;
    a.chart = chart;
    a.x = new QDateTimeAxis;
    a.x->setTickCount(7);
    a.x->setFormat(QStringLiteral("HH:mm"));
    chart->addAxis(a.x, Qt::AlignBottom);
    a.band = new QValueAxis;
    a.band->setRange(0, 1);
    a.band->setVisible(false);
    chart->addAxis(a.band, Qt::AlignRight);
    axes_.push_back(a);
    connect(a.x, &QDateTimeAxis::rangeChanged, this, [this, chart] { onAxisRangeChanged(chart); });
    connect(chart, &QChart::plotAreaChanged, alignTimer_, qOverload<>(&QTimer::start));
    return axes_.back();
}

QChartView* DeviceView::addChart(QChart* chart, int minHeight) {
    SyncedChartView::Hooks hooks;
    hooks.click = [this, chart](const QPointF& p) { return chart == scoreChart() && handleClick(p); };
    hooks.zoom = [this, chart](const QPointF& p, double f) { zoomAt(chart, p, f); };
    hooks.pan = [this, chart](double dx) { panBy(chart, dx); };
    hooks.reset = [this] { resetZoom(); };
    auto* view = new SyncedChartView(chart, std::move(hooks));
    view->setMinimumHeight(minHeight);
    chartsLayout_->addWidget(view, minHeight);
    return view;
}

void DeviceView::addFaultShading(ChartAxes& axes) {
    const auto runs = faultRuns(ts_, faultTag_);
    QStringList tags;
    for (const auto& r : runs)
        if (!tags.contains(r.value))
            tags << r.value;
    tags.sort();
    for (const QString& tag : tags) {
        std::vector<std::pair<qint64, qint64>> intervals;
        for (const auto& r : runs)
            if (r.value == tag)
                intervals.emplace_back(r.fromMs - tzShiftMs_, std::max(r.toMs, r.fromMs + 1000) - tzShiftMs_);
        QAreaSeries* area = bandArea(axes.chart, axes.x, axes.band, intervalOutline(intervals),
                                     faultColor(tag), toAxis(dataFrom_), toAxis(dataTo_));
        area->setName(tag);
    }
}

void DeviceView::updateHeader() {
    const QLocale locale;
    title_->setText(
        tr("<b>%1</b> &nbsp;·&nbsp; %2 rows &nbsp;·&nbsp; %3 → %4 UTC &nbsp;·&nbsp; %5 flagged at "
           "threshold %6")
            .arg(device_.toHtmlEscaped(), locale.toString(qulonglong(ts_.size())),
                 formatUtcTimestampHuman(dataFrom_), formatUtcTimestampHuman(dataTo_),
                 locale.toString(qulonglong(flaggedRows_.size())), locale.toString(threshold_, 'f', 3)));
    QStringList parts;
    QStringList tags = faultTag_.usedTexts();
    tags.sort();
    if (!tags.isEmpty()) {
        QStringList items;
        for (const QString& t : tags) {
            QColor c = faultColor(t);
            c.setAlpha(255);
            items << swatch(c.lighter(130), t);
        }
        parts << tr("Fault episodes (ground truth): %1").arg(items.join(QStringLiteral("&nbsp;&nbsp;")));
    }
    QStringList states;
    for (int s = 0; s < kOpStateCount; ++s) states << swatch(stateColor(OpState(s)), opStateName(OpState(s)));
    parts << tr("State: %1").arg(states.join(QStringLiteral("&nbsp;&nbsp;")));
    parts << tr("%1 flagged row (click a marker to explain it)")
                 .arg(QStringLiteral("<span style=\"color:#c62828\">&#9679;</span>"));
    legend_->setText(parts.join(QStringLiteral(" &nbsp;|&nbsp; ")));
}

void DeviceView::setTimeWindow(qint64 fromMs, qint64 toMs) {
    if (!hasData())
        return;
    const auto [dataLo, dataHi] = niceUtcRange(dataFrom_, dataTo_);
    const auto [lo, hi] = niceUtcRange(std::min(fromMs, toMs), std::max(fromMs, toMs));
    limitFrom_ = std::max(dataLo, lo);
    limitTo_ = std::min(dataHi, hi);
    if (limitTo_ - limitFrom_ < kMinSpanMs) {
        limitFrom_ = dataLo;
        limitTo_ = dataHi;
    }
    applyRange(limitFrom_, limitTo_, true);
}

void DeviceView::highlight(qint64 fromMs, qint64 toMs) {
    if (!hasData())
        return;
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    highlight_ = std::make_pair(fromMs, toMs);
    updateHighlight();
    // Context on both sides: the event should take about a third of the width, and never less than 10
    // minutes.
    const qint64 pad = std::max<qint64>(toMs - fromMs, 5 * 60'000);
    const auto [lo, hi] = niceUtcRange(fromMs - pad, toMs + pad);
    applyRange(lo, hi, true);
}

void DeviceView::updateHighlight() {
    for (auto& a : axes_) {
        if (!a.highlight)
            continue;
        QList<QPointF> outline;
        if (highlight_) {
            // A single-row event still gets a visible band.
            const qint64 to = std::max(highlight_->second, highlight_->first + 10'000);
            outline = intervalOutline({{highlight_->first - tzShiftMs_, to - tzShiftMs_}});
        }
        a.highlight->upperSeries()->replace(outline);
    }
}

void DeviceView::setVisibleRange(qint64 fromMs, qint64 toMs) {
    applyRange(fromMs, toMs, true);
}

void DeviceView::resetZoom() {
    applyRange(limitFrom_, limitTo_, true);
}

void DeviceView::applyRange(qint64 fromMs, qint64 toMs, bool reduceNow) {
    if (!hasData())
        return;
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    const qint64 limitSpan = limitTo_ - limitFrom_;
    qint64 span = std::clamp(toMs - fromMs, std::min(kMinSpanMs, limitSpan), limitSpan);
    const qint64 mid = fromMs + (toMs - fromMs) / 2;
    fromMs = std::clamp(mid - span / 2, limitFrom_, limitTo_ - span);
    toMs = fromMs + span;
    viewFrom_ = fromMs;
    viewTo_ = toMs;
    syncing_ = true;
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(qint64(toAxis(fromMs)));
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(qint64(toAxis(toMs)));
    const QString format = timeFormatFor(span);
    for (auto& a : axes_) {
        a.x->setFormat(format);
        a.x->setTickCount(tickCountFor(span));
        a.x->setRange(from, to);
    }
    syncing_ = false;
    if (reduceNow) {
        reduceVisible();
    } else {
        reduceTimer_->start();
    }
    emit visibleRangeChanged(viewFrom_, viewTo_);
}

void DeviceView::onAxisRangeChanged(QChart* chart) {
    if (syncing_)
        return;
    for (auto& a : axes_) {
        if (a.chart != chart)
            continue;
        applyRange(fromAxis(double(a.x->min().toMSecsSinceEpoch())),
                   fromAxis(double(a.x->max().toMSecsSinceEpoch())), false);
        return;
    }
}

int DeviceView::bucketCount() const {
    double w = 0;
    if (scoreView_)
        w = scoreView_->chart()->plotArea().width();
    if (w < 50)
        w = std::max(400, width() - 120);
    return std::max(50, int(w));
}

void DeviceView::reduceVisible() {
    if (!hasData())
        return;
    const int buckets = bucketCount();
    const double from = double(viewFrom_), to = double(viewTo_);
    auto shifted = [this](QList<QPointF> pts) {
        for (QPointF& p : pts) p.setX(p.x() - double(tzShiftMs_));
        return pts;
    };
    // y range over the points inside the window (the neighbours outside only carry the line to the edge).
    auto extend = [&](const QList<QPointF>& pts, double& lo, double& hi) {
        for (const QPointF& p : pts) {
            const double x = p.x() + double(tzShiftMs_);
            if (x < from || x > to)
                continue;
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    };
    auto setPadded = [this](QValueAxis* axis, double lo, double hi, double fallbackLo, double fallbackHi) {
        if (!(lo <= hi)) {
            lo = fallbackLo;
            hi = fallbackHi;
        }
        double pad = (hi - lo) * 0.08;
        if (pad <= 0)
            pad = std::max(1e-3, std::abs(hi) * 0.05);
        axis->setRange(lo - pad, hi + pad);
        // Round tick values (the range only grows); it may add ticks, which a compact chart has no room for.
        if (!compact_)
            axis->applyNiceNumbers();
    };
    constexpr double inf = std::numeric_limits<double>::infinity();

    for (FamilyChart& fc : families_) {
        double lo = inf, hi = -inf;
        for (ChannelTrace& trace : fc.traces) {
            QList<QPointF> pts =
                shifted(reduceMinMax(ts_, channels_[std::size_t(trace.channel)], from, to, buckets));
            extend(pts, lo, hi);
            trace.line->replace(pts);
        }
        setPadded(fc.y, lo, hi, 0, 1);
    }

    double lo = inf, hi = -inf;
    QList<QPointF> pts = shifted(reduceMinMax(scoreTs_, score_, from, to, buckets));
    extend(pts, lo, hi);
    scoreLine_->replace(pts);
    lo = std::min(lo, threshold_);
    hi = std::max(hi, threshold_);
    setPadded(scoreY_, lo, hi, 0, 1);

    // Flagged markers in the window; past one per pixel bucket, the highest score of each bucket stands for
    // it.
    markedRows_.clear();
    QList<QPointF> marks;
    const auto first =
        std::size_t(std::lower_bound(flaggedTs_.begin(), flaggedTs_.end(), viewFrom_) - flaggedTs_.begin());
    const auto last =
        std::size_t(std::upper_bound(flaggedTs_.begin(), flaggedTs_.end(), viewTo_) - flaggedTs_.begin());
    const std::size_t visible = last - first;
    auto mark = [&](std::size_t i) {
        markedRows_.push_back(flaggedRows_[i]);
        marks.append(QPointF(toAxis(flaggedTs_[i]), flaggedScore_[i]));
    };
    if (visible <= std::size_t(buckets)) {
        for (std::size_t i = first; i < last; ++i) mark(i);
    } else {
        const double width = (to - from) / buckets;
        std::size_t i = first;
        for (int b = 0; b < buckets && i < last; ++b) {
            const double bucketEnd = b == buckets - 1 ? to : from + width * (b + 1);
            std::size_t best = last;
            for (; i < last && (double(flaggedTs_[i]) < bucketEnd || b == buckets - 1); ++i)
                if (best == last || flaggedScore_[i] > flaggedScore_[best])
                    best = i;
            if (best != last)
                mark(best);
        }
    }
    flaggedMarkers_->replace(marks);
}

void DeviceView::alignPlotAreas() {
    if (axes_.empty())
        return;
    // Each chart's plot area depends on its own axis label widths; extra margins line them all up so a time
    // lies at the same x on every chart.
    int maxLeft = 0, maxRightGap = 0;
    std::vector<std::pair<int, int>> natural;
    for (const auto& a : axes_) {
        const QRectF pa = a.chart->plotArea();
        const int left = qRound(pa.left()) - a.extraLeft;
        const int rightGap = qRound(a.chart->size().width() - pa.right()) - a.extraRight;
        natural.emplace_back(left, rightGap);
        maxLeft = std::max(maxLeft, left);
        maxRightGap = std::max(maxRightGap, rightGap);
    }
    for (std::size_t i = 0; i < axes_.size(); ++i) {
        ChartAxes& a = axes_[i];
        const int extraLeft = maxLeft - natural[i].first;
        const int extraRight = maxRightGap - natural[i].second;
        if (extraLeft == a.extraLeft && extraRight == a.extraRight)
            continue;
        a.extraLeft = extraLeft;
        a.extraRight = extraRight;
        a.chart->setMargins(kBaseMargins + QMargins(extraLeft, 0, extraRight, 0));
    }
}

bool DeviceView::handleClick(const QPointF& viewportPos) {
    if (!scoreView_ || markedRows_.empty())
        return false;
    QChart* chart = scoreView_->chart();
    const QPointF p = chart->mapFromScene(scoreView_->mapToScene(viewportPos.toPoint()));
    double best = 8.0 * 8.0;  // pixels², the marker radius plus a little
    std::optional<std::size_t> hit;
    const QList<QPointF> marks = flaggedMarkers_->points();
    for (qsizetype i = 0; i < marks.size(); ++i) {
        const QPointF m = chart->mapToPosition(marks[i], flaggedMarkers_);
        const double d = (m.x() - p.x()) * (m.x() - p.x()) + (m.y() - p.y()) * (m.y() - p.y());
        if (d <= best) {
            best = d;
            hit = std::size_t(i);
        }
    }
    if (!hit)
        return false;
    emit flaggedRowClicked(qulonglong(markedRows_[*hit]));
    return true;
}

QPoint DeviceView::markerPosition(std::size_t i) const {
    if (!scoreView_ || i >= std::size_t(flaggedMarkers_->count()))
        return {};
    QChart* chart = scoreView_->chart();
    const QPointF pos = chart->mapToPosition(flaggedMarkers_->at(qsizetype(i)), flaggedMarkers_);
    return scoreView_->mapFromScene(chart->mapToScene(pos));
}

void DeviceView::zoomAt(QChart* chart, const QPointF& viewportPos, double factor) {
    auto* view = qobject_cast<QChartView*>(chart->scene()->views().value(0));
    if (!view)
        return;
    const QRectF pa = chart->plotArea();
    const QPointF p = chart->mapFromScene(view->mapToScene(viewportPos.toPoint()));
    const double frac = pa.width() > 0 ? std::clamp((p.x() - pa.left()) / pa.width(), 0.0, 1.0) : 0.5;
    const double span = double(viewTo_ - viewFrom_);
    const double anchor = double(viewFrom_) + frac * span;
    const double newSpan = span * factor;
    const auto from = qint64(anchor - frac * newSpan);
    applyRange(from, from + qint64(newSpan), false);
}

void DeviceView::panBy(QChart* chart, double dxPixels) {
    const double w = chart->plotArea().width();
    if (w <= 0)
        return;
    const auto shift = qint64(-dxPixels / w * double(viewTo_ - viewFrom_));
    applyRange(viewFrom_ + shift, viewTo_ + shift, false);
}

QStringList DeviceView::families() const {
    QStringList out;
    for (const auto& f : families_) out << f.family;
    return out;
}

QChart* DeviceView::familyChart(int i) const {
    return i >= 0 && i < familyChartCount() ? families_[std::size_t(i)].view->chart() : nullptr;
}

QChart* DeviceView::scoreChart() const {
    return scoreView_ ? scoreView_->chart() : nullptr;
}

QChart* DeviceView::stateChart() const {
    return stateView_ ? stateView_->chart() : nullptr;
}

std::vector<QChartView*> DeviceView::chartViews() const {
    std::vector<QChartView*> out;
    for (const auto& f : families_) out.push_back(f.view);
    if (stateView_)
        out.push_back(stateView_);
    if (scoreView_)
        out.push_back(scoreView_);
    return out;
}

void DeviceView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // More pixels deserve more buckets.
    if (hasData())
        reduceTimer_->start();
}

}  // namespace itap
