#include "evaluation_panel.h"

#include "evaluate/score_index.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace itap {

/// What the worker prepares once per run: a private copy of the scores, their index and the curves.
struct EvaluationPanel::Prepared {
    std::shared_ptr<const ScoreTable> table;
    ScoreIndex index;
    QList<QPointF> roc;  // (false-positive rate, recall)
    QList<QPointF> pr;   // (recall, precision)
    double lo = 0;       // lowest and highest evaluated score
    double hi = 1;
    QString error;
};

namespace {

/// A table cell shown as formatted text and sorted by the number in Qt::UserRole.
class NumericItem : public QTableWidgetItem {
public:
    NumericItem(const QString& text, double key) : QTableWidgetItem(text) {
        setData(Qt::UserRole, key);
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem& other) const override {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

const QString kPrecision = QStringLiteral("Precision");
const QString kRecall = QStringLiteral("Recall");
const QString kF1 = QStringLiteral("F1");
const QString kFlagged = QStringLiteral("Flagged");
const QString kFpr = QStringLiteral("FPR");
const QString kEvents = QStringLiteral("Events");

QChartView* curveView(const QString& xTitle, const QString& yTitle, QLineSeries*& curve,
                      QScatterSeries*& point, QLineSeries* reference) {
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 12, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->hide();
    auto* x = new QValueAxis;
    x->setRange(0, 1);
    x->setTickCount(6);
    x->setLabelFormat(QStringLiteral("%.1f"));
    x->setTitleText(xTitle);
    auto* y = new QValueAxis;
    y->setRange(0, 1.02);
    y->setTickCount(6);
    y->setLabelFormat(QStringLiteral("%.1f"));
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    QPen refPen(QColor(0x9e, 0x9e, 0x9e));
    refPen.setStyle(Qt::DashLine);
    reference->setPen(refPen);
    curve = new QLineSeries;
    QPen pen(QColor(0x1e, 0x6f, 0xb8));
    pen.setWidthF(2);
    curve->setPen(pen);
    point = new QScatterSeries;
    point->setMarkerSize(11);
    point->setColor(QColor(0xc6, 0x28, 0x28));
    point->setBorderColor(Qt::white);
    for (QXYSeries* s : {static_cast<QXYSeries*>(reference), static_cast<QXYSeries*>(curve),
                         static_cast<QXYSeries*>(point)}) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 260);
    return view;
}

QLabel* messageLabel(const QString& text) {
    auto* label = new QLabel(text);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    return label;
}

}  // namespace

std::shared_ptr<const EvaluationPanel::Prepared> EvaluationPanel::prepare(
    std::shared_ptr<const ScoreTable> table, int curvePoints) {
    auto p = std::make_shared<Prepared>();
    p->table = std::move(table);
    auto index = ScoreIndex::build(*p->table);
    if (!index) {
        p->error = index.error().message;
        return p;
    }
    p->index = std::move(index).value();
    const ScoreIndex& ix = p->index;
    const std::size_t groups = ix.groupCount();
    if (groups > 0) {
        p->hi = double(ix.groupScore(0));
        p->lo = double(ix.groupScore(groups - 1));
    }
    const double pos = double(ix.positives());
    const double neg = double(ix.negatives());
    if (ix.hasLabels() && pos > 0 && neg > 0) {
        // Sampled over the distinct scores (each one a step of the exact curves); the ends are always in.
        std::size_t last = std::numeric_limits<std::size_t>::max();
        for (int k = 0; k <= curvePoints; ++k) {
            const auto g = std::size_t(std::llround(double(k) * double(groups) / curvePoints));
            if (g == last)
                continue;
            last = g;
            const Confusion c = ix.atGroup(g);
            p->roc.append(QPointF(double(c.fp) / neg, double(c.tp) / pos));
            if (c.flagged() > 0)
                p->pr.append(QPointF(double(c.tp) / pos, double(c.tp) / double(c.flagged())));
        }
    }
    return p;
}

EvaluationPanel::EvaluationPanel(QWidget* parent) : QWidget(parent) {
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("evaluationStatus"));
    status_->setWordWrap(true);
    status_->setTextFormat(Qt::RichText);

    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("thresholdSlider"));
    slider_->setRange(0, kSliderSteps);
    spin_ = new QDoubleSpinBox;
    spin_->setObjectName(QStringLiteral("thresholdSpin"));
    spin_->setDecimals(4);
    spin_->setRange(0, 1);
    spin_->setSingleStep(0.001);
    spin_->setKeyboardTracking(false);
    auto* reset = new QPushButton(tr("Back to selected"));
    reset->setToolTip(tr("Return to the threshold the evaluation rule selected."));
    connect(reset, &QPushButton::clicked, this, [this] { setThreshold(selectedThreshold_); });
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(new QLabel(tr("Score threshold:")));
    thresholdRow->addWidget(slider_, 1);
    thresholdRow->addWidget(spin_);
    thresholdRow->addWidget(reset);

    // The what-if: away from the operating threshold, the panel previews and says so until Apply or Revert.
    operatingAlarms_ = new QLabel;
    operatingAlarms_->setObjectName(QStringLiteral("operatingAlarms"));
    operatingAlarms_->setWordWrap(true);
    operatingAlarms_->setTextFormat(Qt::RichText);
    auto* banner = new QFrame;
    banner_ = banner;
    banner->setObjectName(QStringLiteral("previewBanner"));
    banner->setFrameShape(QFrame::StyledPanel);
    banner->setStyleSheet(
        QStringLiteral("#previewBanner { background: #fff4ce; border: 1px solid #c99700; }"
                       "#previewBanner QLabel { color: #3d2e00; }"));
    bannerText_ = new QLabel;
    bannerText_->setObjectName(QStringLiteral("previewText"));
    bannerText_->setWordWrap(true);
    bannerText_->setTextFormat(Qt::RichText);
    previewAlarms_ = new QLabel;
    previewAlarms_->setObjectName(QStringLiteral("previewAlarms"));
    previewAlarms_->setWordWrap(true);
    apply_ = new QPushButton(tr("Apply"));
    apply_->setObjectName(QStringLiteral("applyThreshold"));
    apply_->setToolTip(
        tr("Make the previewed threshold the operating threshold: the alarm list and every view "
           "re-derive at it, and the change is recorded in the journal."));
    connect(apply_, &QPushButton::clicked, this, [this] {
        if (isPreviewing())
            emit applyRequested(threshold_);
    });
    revert_ = new QPushButton(tr("Revert"));
    revert_->setObjectName(QStringLiteral("revertThreshold"));
    revert_->setToolTip(tr("Back to the operating threshold; the preview is dropped."));
    connect(revert_, &QPushButton::clicked, this, &EvaluationPanel::revert);
    auto* bannerTexts = new QVBoxLayout;
    bannerTexts->setContentsMargins(0, 0, 0, 0);
    bannerTexts->setSpacing(2);
    bannerTexts->addWidget(bannerText_);
    bannerTexts->addWidget(previewAlarms_);
    auto* bannerLayout = new QHBoxLayout(banner);
    bannerLayout->setContentsMargins(8, 4, 8, 4);
    bannerLayout->addLayout(bannerTexts, 1);
    bannerLayout->addWidget(apply_);
    bannerLayout->addWidget(revert_);
    banner->hide();

    auto* metrics = new QGridLayout;
    const std::pair<QString, QString> names[] = {{kPrecision, tr("Precision")},
                                                 {kRecall, tr("Recall")},
                                                 {kF1, tr("F1")},
                                                 {kFlagged, tr("Flagged rows")},
                                                 {kFpr, tr("False-positive rate")},
                                                 {kEvents, tr("Fault episodes caught")}};
    int col = 0;
    for (const auto& [key, text] : names) {
        auto* title = new QLabel(text);
        title->setStyleSheet(QStringLiteral("color: palette(mid);"));
        auto* value = new QLabel(QStringLiteral("—"));
        value->setObjectName(QStringLiteral("metric%1").arg(key));
        QFont f = value->font();
        f.setPointSizeF(f.pointSizeF() * 1.4);
        f.setBold(true);
        value->setFont(f);
        metrics->addWidget(title, 0, col);
        metrics->addWidget(value, 1, col);
        metricLabels_.insert(key, value);
        ++col;
    }

    auto* diagonal = new QLineSeries;
    diagonal->append(0, 0);
    diagonal->append(1, 1);
    rocView_ = curveView(tr("False-positive rate"), tr("Recall (true-positive rate)"), rocCurve_, rocPoint_,
                         diagonal);
    rocView_->setObjectName(QStringLiteral("rocChart"));
    prView_ = curveView(tr("Recall"), tr("Precision"), prCurve_, prPoint_, new QLineSeries);
    prView_->setObjectName(QStringLiteral("prChart"));
    auto* curves = new QWidget;
    auto* curvesLayout = new QHBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addWidget(rocView_);
    curvesLayout->addWidget(prView_);
    curvesStack_ = new QStackedWidget;
    curvesStack_->addWidget(curves);
    curvesStack_->addWidget(messageLabel(
        tr("No ground truth: the data carries no fault labels, so ROC and precision–recall curves cannot be "
           "drawn. The sweep below still shows how many rows each threshold flags.")));

    sweepTable_ = new QTableWidget;
    sweepTable_->setObjectName(QStringLiteral("sweepTable"));
    sweepTable_->setColumnCount(7);
    sweepTable_->setHorizontalHeaderLabels({tr("Threshold"), tr("Percentile"), tr("Flagged"), tr("Precision"),
                                            tr("Recall"), tr("F1"), tr("FPR")});
    sweepTable_->verticalHeader()->hide();
    sweepTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    sweepTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    sweepTable_->setSelectionMode(QAbstractItemView::SingleSelection);
    // Seven short numeric columns share the width rather than the last one taking all the room left.
    sweepTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    sweepTable_->horizontalHeader()->setMinimumSectionSize(60);
    sweepTable_->setMinimumWidth(420);
    connect(sweepTable_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && std::size_t(row) < sweep_.size())
            setThreshold(sweep_[std::size_t(row)].threshold);
    });

    auto* faultChart = new QChart;
    faultChart->setTitle(tr("Recall per fault type at the threshold"));
    faultChart->setMargins(QMargins(4, 4, 12, 4));
    faultChart->setBackgroundRoundness(0);
    faultChart->legend()->setAlignment(Qt::AlignBottom);
    faultView_ = new QChartView(faultChart);
    faultView_->setObjectName(QStringLiteral("faultRecallChart"));
    faultView_->setRenderHint(QPainter::Antialiasing);
    faultView_->setMinimumSize(360, 240);
    faultStack_ = new QStackedWidget;
    faultStack_->addWidget(faultView_);
    faultStack_->addWidget(messageLabel(tr("No ground truth: per-fault recall needs fault labels.")));

    deviceTable_ = new QTableWidget;
    deviceTable_->setObjectName(QStringLiteral("deviceMetricsTable"));
    deviceTable_->setColumnCount(10);
    deviceTable_->setHorizontalHeaderLabels({tr("Device"), tr("Rows"), tr("Flagged"), tr("Precision"),
                                             tr("Recall"), tr("F1"), tr("False alarms"), tr("Missed"),
                                             tr("ROC-AUC"), tr("Events caught")});
    deviceTable_->horizontalHeaderItem(6)->setToolTip(
        tr("False-alarm rate: flagged normal rows / normal rows"));
    deviceTable_->horizontalHeaderItem(7)->setToolTip(
        tr("Missed-alarm rate: anomalous rows not flagged / anomalous rows"));
    deviceTable_->verticalHeader()->hide();
    deviceTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    deviceTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    deviceTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    deviceTable_->setSortingEnabled(true);

    auto* sweepPage = new QWidget;
    auto* sweepBox = new QVBoxLayout(sweepPage);
    sweepBox->setContentsMargins(0, 0, 0, 0);
    sweepBox->addWidget(new QLabel(tr("Double-click a row to use its threshold.")));
    sweepBox->addWidget(sweepTable_, 1);
    tables_ = new QTabWidget;
    tables_->addTab(sweepPage, tr("Threshold sweep"));
    tables_->addTab(deviceTable_, tr("Per device"));

    auto* bottom = new QWidget;
    auto* bottomLayout = new QHBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    // The sweep's seven numeric columns need ~540 px to show whole; the bars read fine narrower.
    bottomLayout->addWidget(tables_, 5);
    bottomLayout->addWidget(faultStack_, 4);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(curvesStack_);
    split->addWidget(bottom);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(status_);
    layout->addLayout(thresholdRow);
    layout->addWidget(operatingAlarms_);
    layout->addWidget(banner_);
    layout->addLayout(metrics);
    layout->addWidget(split, 1);

    emitTimer_ = new QTimer(this);
    emitTimer_->setSingleShot(true);
    // A throttle, not a debounce: while the slider is dragged the window re-derives the alerts at most every
    // 100 ms (≈ 50 ms of work at 1M rows, superseded results dropped), rather than only once it rests; re-running
    // them on every slider pixel would flood the window.
    emitTimer_->setInterval(100);
    connect(emitTimer_, &QTimer::timeout, this, [this] {
        const double t = threshold();
        if (t == lastEmitted_)
            return;
        lastEmitted_ = t;
        emit thresholdChanged(t);
    });
    connect(slider_, &QSlider::valueChanged, this,
            [this](int v) { applyThreshold(sliderThreshold(v), true); });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) { applyThreshold(v, false); });

    clear();
}

// tasks_, the last member, joins the worker (which owns its copy of the scores) before the panel goes.
EvaluationPanel::~EvaluationPanel() = default;

void EvaluationPanel::setDeviceMetrics(double threshold, const std::vector<DeviceMetrics>& devices) {
    showDevices(devices, groundTruth_);
    tables_->setTabText(1, tr("Per device at %1").arg(QLocale().toString(threshold, 'f', 4)));
}

void EvaluationPanel::showDevices(const std::vector<DeviceMetrics>& devices, bool labels) {
    const QLocale locale;
    deviceTable_->setSortingEnabled(false);
    deviceTable_->setRowCount(int(devices.size()));
    const QString none = QStringLiteral("—");
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const DeviceMetrics& d = devices[i];
        // Numbers sort as numbers (undefined first), the device id as text.
        const auto cell = [&](int c, const QString& text, std::optional<double> key) {
            deviceTable_->setItem(int(i), c, new NumericItem(text, key.value_or(-1.0)));
        };
        deviceTable_->setItem(int(i), 0, new QTableWidgetItem(d.device));
        cell(1, locale.toString(d.confusion.total()), double(d.confusion.total()));
        cell(2, locale.toString(d.confusion.flagged()), double(d.confusion.flagged()));
        cell(3, labels ? formatRatio(d.precision) : none, d.precision);
        cell(4, labels ? formatRatio(d.recall) : none, d.recall);
        cell(5, labels ? formatRatio(d.f1) : none, d.f1);
        cell(6, labels ? formatRatio(d.falseAlarmRate) : none, d.falseAlarmRate);
        cell(7, labels ? formatRatio(d.missedAlarmRate) : none, d.missedAlarmRate);
        cell(8, labels && d.rocAuc ? locale.toString(*d.rocAuc, 'f', 3) : none, d.rocAuc);
        cell(9, labels && d.events > 0 ? tr("%1 of %2").arg(d.eventsCaught).arg(d.events) : none,
             d.eventRecall);
    }
    deviceTable_->setSortingEnabled(true);
}

void EvaluationPanel::clear() {
    ++generation_;
    prepared_.reset();
    current_.reset();
    sweep_.clear();
    emitTimer_->stop();
    slider_->setEnabled(false);
    spin_->setEnabled(false);
    for (QLabel* l : metricLabels_) l->setText(QStringLiteral("—"));
    status_->setText(tr("No fleet analysed yet."));
    operatingKpis_.reset();
    previewKpisAt_.reset();
    operatingAlarms_->clear();
    banner_->hide();
    sweepTable_->setRowCount(0);
    deviceTable_->setRowCount(0);
    rocCurve_->clear();
    prCurve_->clear();
    rocPoint_->clear();
    prPoint_->clear();
    faultView_->chart()->removeAllSeries();
}

void EvaluationPanel::setData(const FleetFeatures& fleet, const Analysis& analysis) {
    clear();
    options_.minPrecision = analysis.metrics.minPrecision;
    selectedThreshold_ = analysis.threshold;
    operating_ = analysis.threshold;
    threshold_ = analysis.threshold;
    lastEmitted_ = analysis.threshold;
    selectedRule_ = analysis.thresholdRule;
    sweep_ = analysis.metrics.sweep;
    rocAuc_ = analysis.metrics.rocAuc;
    prAuc_ = analysis.metrics.prAuc;
    showSweep(analysis.metrics);
    groundTruth_ = analysis.metrics.groundTruth;
    setDeviceMetrics(analysis.threshold, analysis.metrics.perDevice);
    status_->setText(tr("Preparing the score index…"));
    const quint64 generation = generation_;
    auto table = std::make_shared<const ScoreTable>(fleet.table);
    tasks_.run<std::shared_ptr<const Prepared>>(
        "itap-evaluate", [table] { return prepare(table, kCurvePoints); },
        [this, generation](std::shared_ptr<const Prepared> p) {
            if (generation == generation_)  // else superseded by a newer run
                onPrepared(std::move(p));
        });
}

void EvaluationPanel::onPrepared(std::shared_ptr<const Prepared> p) {
    if (!p->error.isEmpty()) {
        status_->setText(tr("Cannot evaluate these scores: %1").arg(p->error.toHtmlEscaped()));
        return;
    }
    prepared_ = p;
    const QLocale locale;
    const bool labels = p->index.hasLabels() && p->index.positives() > 0;
    curvesStack_->setCurrentIndex(labels ? 0 : 1);
    faultStack_->setCurrentIndex(labels ? 0 : 1);
    QString text = tr("<b>%1</b> evaluated rows (training span left out) · selected threshold <b>%2</b> (%3)")
                       .arg(locale.toString(p->index.size()), locale.toString(selectedThreshold_, 'f', 4),
                            selectedRule_.toHtmlEscaped());
    if (labels) {
        text += tr(" · ROC-AUC <b>%1</b> · PR-AUC <b>%2</b>")
                    .arg(rocAuc_ ? locale.toString(*rocAuc_, 'f', 3) : QStringLiteral("—"),
                         prAuc_ ? locale.toString(*prAuc_, 'f', 3) : QStringLiteral("—"));
    } else {
        text += tr(" · <b>no ground truth</b>: precision and recall are unknown");
    }
    status_->setText(text);
    showCurves();
    showPerFault();
    // Slider range: the evaluated scores, widened to hold the selected threshold.
    spin_->setRange(std::min(0.0, p->lo), std::max(1.0, p->hi));
    slider_->setEnabled(true);
    spin_->setEnabled(true);
    applyThreshold(operating_, false);
    emit ready();
}

double EvaluationPanel::threshold() const {
    return threshold_;
}

void EvaluationPanel::setThreshold(double t) {
    applyThreshold(t, false);
}

int EvaluationPanel::sliderPosition(double t) const {
    if (!prepared_ || prepared_->hi <= prepared_->lo)
        return 0;
    const double f = (t - prepared_->lo) / (prepared_->hi - prepared_->lo);
    return std::clamp(int(std::lround(f * kSliderSteps)), 0, kSliderSteps);
}

double EvaluationPanel::sliderThreshold(int position) const {
    if (!prepared_)
        return selectedThreshold_;
    return prepared_->lo + (prepared_->hi - prepared_->lo) * double(position) / kSliderSteps;
}

void EvaluationPanel::applyThreshold(double t, bool fromSlider) {
    if (!prepared_)
        return;
    // The exact threshold is kept: the spin box shows it rounded to its decimals, and rounding the selected
    // threshold would move the operating point off the one core chose.
    threshold_ = t;
    {
        const QSignalBlocker blockSpin(spin_);
        const QSignalBlocker blockSlider(slider_);
        spin_->setValue(t);
        if (!fromSlider)
            slider_->setValue(sliderPosition(t));
    }
    auto m = evaluateAt(*prepared_->table, prepared_->index, t, options_);
    if (!m) {
        status_->setText(tr("Cannot evaluate at %1: %2").arg(t).arg(m.error().message.toHtmlEscaped()));
        return;
    }
    current_ = std::move(m).value();
    const Metrics& cur = *current_;
    const QLocale locale;
    const bool labels = cur.groundTruth && prepared_->index.positives() > 0;
    const QString none = tr("no ground truth");
    metricLabels_[kPrecision]->setText(labels ? formatRatio(cur.precision) : none);
    metricLabels_[kRecall]->setText(labels ? formatRatio(cur.recall) : none);
    metricLabels_[kF1]->setText(labels ? formatRatio(cur.f1) : none);
    metricLabels_[kFpr]->setText(labels ? formatRatio(cur.confusion.falsePositiveRate()) : none);
    const qint64 flagged = cur.confusion.flagged();
    metricLabels_[kFlagged]->setText(tr("%1 (%2)").arg(
        locale.toString(flagged),
        formatRatio(cur.evaluationRows > 0
                        ? std::optional<double>(double(flagged) / double(cur.evaluationRows))
                        : std::nullopt)));
    qint64 events = 0, caught = 0;
    for (const FaultMetrics& f : cur.perFault) {
        events += f.events;
        caught += f.eventsCaught;
    }
    metricLabels_[kEvents]->setText(
        labels && events > 0 ? tr("%1 of %2").arg(locale.toString(caught), locale.toString(events)) : none);

    // Operating points on the curves.
    const Confusion& c = cur.confusion;
    rocPoint_->clear();
    prPoint_->clear();
    if (labels && c.positives() > 0 && c.negatives() > 0)
        rocPoint_->append(double(c.fp) / double(c.negatives()), double(c.tp) / double(c.positives()));
    if (labels && c.precision() && c.recall())
        prPoint_->append(*c.recall(), *c.precision());

    // The sweep row at or just below the threshold (the thresholds are ascending).
    int row = -1;
    for (std::size_t i = 0; i < sweep_.size(); ++i)
        if (sweep_[i].threshold <= t + 1e-12)
            row = int(i);
    if (row >= 0) {
        sweepTable_->selectRow(row);
        sweepTable_->scrollToItem(sweepTable_->item(row, 0), QAbstractItemView::PositionAtCenter);
    } else {
        sweepTable_->clearSelection();
    }

    if (rowRecall_ && eventRecall_) {
        for (std::size_t i = 0; i < cur.perFault.size() && int(i) < rowRecall_->count(); ++i) {
            rowRecall_->replace(qsizetype(i), cur.perFault[i].recall.value_or(0) * 100);
            eventRecall_->replace(qsizetype(i), cur.perFault[i].eventRecall.value_or(0) * 100);
        }
    }
    updatePreview();
    if (t != lastEmitted_ && !emitTimer_->isActive())
        emitTimer_->start();  // the timeout takes the threshold of that moment, so the last move is never lost
}

bool EvaluationPanel::isPreviewing() const {
    return prepared_ != nullptr && !sameThreshold(threshold_, operating_);
}

void EvaluationPanel::setOperatingThreshold(double threshold) {
    operating_ = threshold;
    lastEmitted_ = threshold;  // the window is there already: nothing to derive
    if (prepared_)
        applyThreshold(threshold, false);
    else
        updatePreview();
}

void EvaluationPanel::revert() {
    if (!prepared_)
        return;
    applyThreshold(operating_, false);
    emitTimer_->stop();
    lastEmitted_ = operating_;
    emit thresholdChanged(operating_);  // at once: the window drops its preview
}

void EvaluationPanel::updatePreview() {
    const bool previewing = isPreviewing();
    banner_->setVisible(previewing);
    if (!previewing) {
        previewKpisAt_.reset();
        return;
    }
    const QLocale locale;
    bannerText_->setText(tr("<b>Preview at threshold %1 — not applied.</b> The Alerts list, fleet overview, "
                            "leaderboard and device view stay at the operating threshold %2 until Apply.")
                             .arg(locale.toString(threshold_, 'f', 4), locale.toString(operating_, 'f', 4)));
    if (!previewKpisAt_ || *previewKpisAt_ != threshold_)
        previewAlarms_->setText(tr("Deriving the alarms at this threshold…"));
}

void EvaluationPanel::setOperatingAlarms(const AlarmKpis& kpis) {
    operatingKpis_ = kpis;
    operatingAlarms_->setText(
        tr("Alarms at the operating threshold <b>%1</b> (all data): %2")
            .arg(QLocale().toString(operating_, 'f', 4), alarmSummary(kpis).toHtmlEscaped()));
}

void EvaluationPanel::setPreviewAlarms(double threshold, const AlarmKpis& kpis) {
    if (!isPreviewing() || threshold != threshold_)
        return;  // the controls moved on (or back): a newer preview follows
    previewKpisAt_ = threshold;
    QString text = tr("Would give (all data): %1").arg(alarmSummary(kpis));
    if (operatingKpis_) {
        const int delta = kpis.annunciated - operatingKpis_->annunciated;
        text += tr(" · %1 annunciated against the operating threshold")
                    .arg(delta > 0 ? QStringLiteral("+%1").arg(QLocale().toString(delta))
                                   : QLocale().toString(delta));
    }
    previewAlarms_->setText(text);
}

QString EvaluationPanel::alarmSummary(const AlarmKpis& k) {
    const QLocale locale;
    QString text = tr("%1 incidents, %2 annunciated (high %3, medium %4, low %5) · %6 per 10 min, peak %7")
                       .arg(locale.toString(k.incidents), locale.toString(k.annunciated),
                            locale.toString(k.byPriority[std::size_t(Severity::Critical)]),
                            locale.toString(k.byPriority[std::size_t(Severity::Warning)]),
                            locale.toString(k.byPriority[std::size_t(Severity::Info)]),
                            locale.toString(k.perPeriodAverage, 'f', 2), locale.toString(k.perPeriodPeak));
    if (k.labelled && k.episodes > 0) {
        int caught = 0;
        for (const auto& counts : k.recallByFault) caught += counts.first;
        text += tr(" · incident precision %1, %2 of %3 fault episodes caught")
                    .arg(formatRatio(k.annunciated > 0 ? std::optional<double>(k.incidentPrecision)
                                                       : std::nullopt))
                    .arg(locale.toString(caught), locale.toString(k.episodes));
    }
    return text;
}

QString EvaluationPanel::previewText() const {
    return banner_->isHidden() ? QString() : bannerText_->text();
}

QString EvaluationPanel::operatingAlarmsText() const {
    return operatingAlarms_->text();
}

QString EvaluationPanel::previewAlarmsText() const {
    return isPreviewing() ? previewAlarms_->text() : QString();
}

void EvaluationPanel::showCurves() {
    const QLocale locale;
    rocCurve_->replace(prepared_->roc);
    prCurve_->replace(prepared_->pr);
    rocView_->chart()->setTitle(
        tr("ROC curve — AUC %1").arg(rocAuc_ ? locale.toString(*rocAuc_, 'f', 3) : QStringLiteral("—")));
    prView_->chart()->setTitle(tr("Precision–recall curve — AP %1")
                                   .arg(prAuc_ ? locale.toString(*prAuc_, 'f', 3) : QStringLiteral("—")));
    // Chance level of precision: the share of positive rows.
    const auto& ix = prepared_->index;
    if (ix.size() > 0) {
        const double base = double(ix.positives()) / double(ix.size());
        auto* baseline = static_cast<QLineSeries*>(prView_->chart()->series().value(0));
        if (baseline)
            baseline->replace(QList<QPointF>{QPointF(0, base), QPointF(1, base)});
    }
}

void EvaluationPanel::showSweep(const Metrics& metrics) {
    const QLocale locale;
    sweepTable_->setRowCount(int(metrics.sweep.size()));
    const bool labels = metrics.groundTruth;
    for (std::size_t i = 0; i < metrics.sweep.size(); ++i) {
        const SweepPoint& p = metrics.sweep[i];
        const QString cells[] = {
            locale.toString(p.threshold, 'f', 4),
            locale.toString(p.percentile, 'f', 2),
            locale.toString(p.confusion.flagged()),
            labels ? formatRatio(p.confusion.precision()) : QStringLiteral("—"),
            labels ? formatRatio(p.confusion.recall()) : QStringLiteral("—"),
            labels ? formatRatio(p.confusion.f1()) : QStringLiteral("—"),
            labels ? formatRatio(p.confusion.falsePositiveRate()) : QStringLiteral("—"),
        };
        for (int c = 0; c < 7; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            sweepTable_->setItem(int(i), c, item);
        }
    }
}

void EvaluationPanel::showPerFault() {
    QChart* chart = faultView_->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    rowRecall_ = eventRecall_ = nullptr;
    const QStringList tags = prepared_->index.faultTags();
    if (tags.isEmpty())
        return;
    auto* series = new QBarSeries;
    rowRecall_ = new QBarSet(tr("Row recall"));
    rowRecall_->setColor(QColor(0x5b, 0x84, 0xb1));
    eventRecall_ = new QBarSet(tr("Event recall (episode caught)"));
    eventRecall_->setColor(QColor(0x3f, 0x8f, 0x7a));
    for (qsizetype i = 0; i < tags.size(); ++i) {
        *rowRecall_ << 0.0;
        *eventRecall_ << 0.0;
    }
    series->append(rowRecall_);
    series->append(eventRecall_);
    series->setLabelsVisible(true);
    rowRecall_->setLabelColor(palette().color(QPalette::WindowText));
    eventRecall_->setLabelColor(palette().color(QPalette::WindowText));
    series->setLabelsFormat(QStringLiteral("@value %"));
    series->setLabelsPrecision(3);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    // Upright labels: side by side, two full bars' "100 %" would run into each other.
    series->setLabelsAngle(-90);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(tags);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setRange(0, 125);  // room for the upright labels above a full bar
    y->setTickCount(6);
    y->setLabelFormat(QStringLiteral("%.0f %%"));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
}

QString EvaluationPanel::metricText(const QString& name) const {
    QLabel* l = metricLabels_.value(name);
    return l ? l->text() : QString();
}

QString EvaluationPanel::formatRatio(const std::optional<double>& value) {
    if (!value)
        return QStringLiteral("—");
    return tr("%1 %").arg(QLocale().toString(*value * 100.0, 'f', 1));
}

}  // namespace itap
