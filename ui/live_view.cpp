#include "live_view.h"

#include "common/time_util.h"
#include "models/alert_list_model.h"

#include "storage/store.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QScatterSeries>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSplitter>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

namespace itap {
namespace {

constexpr int kSliderSteps = 300;  // log scale: 100 steps per decade, ×1 … ×1000

QString counterTitle(LiveView::Counter counter) {
    switch (counter) {
        case LiveView::Counter::Rows:
            return LiveView::tr("Rows streamed");
        case LiveView::Counter::Flagged:
            return LiveView::tr("Flagged rows");
        case LiveView::Counter::Critical:
            return LiveView::tr("Critical alerts");
        case LiveView::Counter::Warning:
            return LiveView::tr("Warning alerts");
        case LiveView::Counter::Info:
            return LiveView::tr("Info alerts");
        case LiveView::Counter::SimTime:
            return LiveView::tr("Simulated time (UTC)");
    }
    return {};
}

// The counters of the alerts by severity.
constexpr std::pair<LiveView::Counter, Severity> kSeverityCounters[] = {
    {LiveView::Counter::Critical, Severity::Critical},
    {LiveView::Counter::Warning, Severity::Warning},
    {LiveView::Counter::Info, Severity::Info}};

template <typename T>
void pushCapped(std::deque<T>& history, const T& sample, std::size_t cap) {
    history.push_back(sample);
    while (history.size() > cap) history.pop_front();
}

}  // namespace

LiveView::LiveView(QWidget* parent) : QWidget(parent) {
    session_ = new LiveSession(this);
    alertModel_ = new AlertListModel(this);

    startButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"));
    startButton_->setObjectName(QStringLiteral("liveStart"));
    startButton_->setToolTip(tr("Stream a simulated fleet through the trained model of this run"));
    pauseButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
    pauseButton_->setObjectName(QStringLiteral("livePause"));
    pauseButton_->setCheckable(true);
    stopButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
    stopButton_->setObjectName(QStringLiteral("liveStop"));

    speedSlider_ = new QSlider(Qt::Horizontal);
    speedSlider_->setObjectName(QStringLiteral("liveSpeed"));
    speedSlider_->setRange(0, kSliderSteps);
    speedSlider_->setMinimumWidth(120);
    speedSlider_->setToolTip(tr("Simulated seconds per real second (×1 … ×1000)"));
    speedLabel_ = new QLabel;
    speedLabel_->setMinimumWidth(speedLabel_->fontMetrics().horizontalAdvance(QStringLiteral("×0000")));
    deviceCombo_ = new QComboBox;
    deviceCombo_->setObjectName(QStringLiteral("liveDevice"));
    deviceCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    deviceCombo_->setMinimumContentsLength(14);
    deviceCombo_->addItem(tr("Fleet maximum"), QString());
    stateLabel_ = new QLabel;
    stateLabel_->setObjectName(QStringLiteral("liveState"));
    stateLabel_->setWordWrap(true);
    QFont stateFont = stateLabel_->font();
    stateFont.setBold(true);
    stateLabel_->setFont(stateFont);

    auto* controls = new QHBoxLayout;
    controls->addWidget(startButton_);
    controls->addWidget(pauseButton_);
    controls->addWidget(stopButton_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Speed")));
    controls->addWidget(speedSlider_, 1);
    controls->addWidget(speedLabel_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Chart")));
    controls->addWidget(deviceCombo_);
    controls->addStretch(1);

    sourceLabel_ = new QLabel;
    sourceLabel_->setObjectName(QStringLiteral("liveSource"));
    sourceLabel_->setWordWrap(true);
    sourceLabel_->setForegroundRole(QPalette::PlaceholderText);

    // Non-modal notice of a CRITICAL alert: it hides itself, and the operator can dismiss it.
    banner_ = new QFrame;
    banner_->setObjectName(QStringLiteral("liveBanner"));
    banner_->setAutoFillBackground(true);
    QPalette bannerPalette = banner_->palette();
    bannerPalette.setColor(QPalette::Window, AlertListModel::severityColor(Severity::Critical));
    bannerPalette.setColor(QPalette::WindowText, Qt::white);
    bannerPalette.setColor(QPalette::ButtonText, Qt::white);
    banner_->setPalette(bannerPalette);
    bannerLabel_ = new QLabel;
    bannerLabel_->setWordWrap(true);
    bannerLabel_->setTextFormat(Qt::PlainText);
    auto* dismiss = new QToolButton;
    dismiss->setText(tr("Dismiss"));
    dismiss->setAutoRaise(true);
    auto* bannerLayout = new QHBoxLayout(banner_);
    bannerLayout->setContentsMargins(8, 4, 8, 4);
    bannerLayout->addWidget(bannerLabel_, 1);
    bannerLayout->addWidget(dismiss);
    banner_->hide();
    bannerTimer_ = new QTimer(this);
    bannerTimer_->setSingleShot(true);
    bannerTimer_->setInterval(kBannerMs);
    connect(bannerTimer_, &QTimer::timeout, banner_, &QWidget::hide);
    connect(dismiss, &QToolButton::clicked, banner_, &QWidget::hide);

    auto* counterGrid = new QGridLayout;
    counterGrid->setHorizontalSpacing(8);
    for (int c = 0; c < 3; ++c) counterGrid->setColumnStretch(c, 1);
    for (int i = 0; i < kCounterCount; ++i) {
        auto* frame = new QFrame;
        frame->setFrameShape(QFrame::StyledPanel);
        auto* title = new QLabel(counterTitle(static_cast<Counter>(i)));
        title->setForegroundRole(QPalette::PlaceholderText);
        auto* value = new QLabel(QStringLiteral("–"));
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.25);
        big.setBold(true);
        value->setFont(big);
        auto* box = new QVBoxLayout(frame);
        box->setContentsMargins(8, 4, 8, 4);
        box->setSpacing(0);
        box->addWidget(title);
        box->addWidget(value);
        // Two rows of three, in Counter order: the stream's progress above, the alerts by severity below.
        counterGrid->addWidget(frame, i / 3, i % 3);
        counters_[std::size_t(i)] = value;
    }
    for (const auto& [counter, severity] : kSeverityCounters) {
        QPalette pal = counters_[std::size_t(counter)]->palette();
        pal.setColor(QPalette::WindowText, AlertListModel::severityColor(severity));
        counters_[std::size_t(counter)]->setPalette(pal);
    }

    auto* chart = new QChart;
    chart->setTitle(tr("Anomaly score, live"));
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    scoreSeries_ = new QLineSeries;
    scoreSeries_->setName(tr("Score"));
    flaggedSeries_ = new QScatterSeries;
    flaggedSeries_->setName(tr("Flagged"));
    flaggedSeries_->setMarkerSize(5);
    flaggedSeries_->setColor(AlertListModel::severityColor(Severity::Critical));
    flaggedSeries_->setBorderColor(AlertListModel::severityColor(Severity::Critical).darker(130));
    thresholdSeries_ = new QLineSeries;
    thresholdSeries_->setName(tr("Threshold"));
    QPen thresholdPen(AlertListModel::severityColor(Severity::Warning));
    thresholdPen.setStyle(Qt::DashLine);
    thresholdPen.setWidthF(1.5);
    thresholdSeries_->setPen(thresholdPen);
    chart->addSeries(scoreSeries_);
    chart->addSeries(thresholdSeries_);
    chart->addSeries(flaggedSeries_);
    timeAxis_ = new QDateTimeAxis;
    timeAxis_->setFormat(QStringLiteral("dd.MM. HH:mm"));
    timeAxis_->setTickCount(7);
    timeAxis_->setTitleText(tr("Simulated time (UTC)"));
    scoreAxis_ = new QValueAxis;
    scoreAxis_->setRange(0, 1);
    scoreAxis_->setLabelFormat(QStringLiteral("%.2f"));
    scoreAxis_->setTitleText(tr("Score"));
    chart->addAxis(timeAxis_, Qt::AlignBottom);
    chart->addAxis(scoreAxis_, Qt::AlignLeft);
    for (QXYSeries* s : {static_cast<QXYSeries*>(scoreSeries_), static_cast<QXYSeries*>(thresholdSeries_),
                         static_cast<QXYSeries*>(flaggedSeries_)}) {
        s->attachAxis(timeAxis_);
        s->attachAxis(scoreAxis_);
    }
    chartView_ = new QChartView(chart);
    chartView_->setObjectName(QStringLiteral("liveChart"));
    chartView_->setRenderHint(QPainter::Antialiasing);
    chartView_->setMinimumSize(320, 200);

    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("liveAlertTable"));
    table_->setModel(alertModel_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setMinimumSectionSize(48);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(AlertListModel::CauseColumn, QHeaderView::Stretch);
    table_->setMinimumSize(320, 120);

    details_ = new QLabel(tr("Select an alert to see its cause, rule and suggested action."));
    details_->setObjectName(QStringLiteral("liveAlertDetails"));
    details_->setWordWrap(true);
    details_->setTextFormat(Qt::RichText);
    details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setMargin(6);
    auto* detailsScroll = new QScrollArea;
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setWidget(details_);
    detailsScroll->setMinimumWidth(220);

    auto* lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(table_);
    lower->addWidget(detailsScroll);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 1);
    lower->setChildrenCollapsible(false);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(chartView_);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(stateLabel_);
    layout->addWidget(sourceLabel_);
    journalLabel_ = new QLabel;
    journalLabel_->setObjectName(QStringLiteral("liveJournal"));
    journalLabel_->setWordWrap(true);
    layout->addWidget(journalLabel_);
    layout->addWidget(banner_);
    layout->addLayout(counterGrid);
    layout->addWidget(split, 1);

    connect(startButton_, &QPushButton::clicked, this, [this] { start(); });
    connect(stopButton_, &QPushButton::clicked, this, &LiveView::stop);
    connect(pauseButton_, &QPushButton::toggled, this, &LiveView::setPaused);
    connect(speedSlider_, &QSlider::valueChanged, this, [this](int position) {
        const double speed = speedOfSlider(position);
        session_->setSpeed(speed);
        speedLabel_->setText(tr("×%1").arg(QLocale().toString(qRound(speed))));
        dirty_ = true;
        redrawChart();
    });
    connect(deviceCombo_, &QComboBox::currentIndexChanged, this, [this] {
        dirty_ = true;
        redrawChart();
    });
    connect(session_, &LiveSession::updated, this, &LiveView::onUpdate);
    connect(session_, &LiveSession::criticalAlert, this, &LiveView::onCritical);
    connect(session_, &LiveSession::stopped, this, &LiveView::onStopped);
    connect(session_, &LiveSession::failed, this, &LiveView::onFailed);
    connect(session_, &LiveSession::journaled, this, &LiveView::alarmsJournaled);
    connect(session_, &LiveSession::journalFailed, this, [this](const QString& message) {
        journalError_ = message;
        updateSourceText();
        emit notification(tr("Live alarms are no longer journaled: %1").arg(message));
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LiveView::showAlertDetails);
    // A merge into the selected alert changes what the details say.
    connect(alertModel_, &QAbstractItemModel::dataChanged, this, &LiveView::showAlertDetails);

    setSpeed(100);  // moves the slider from 0, so valueChanged labels it
    resetStreamState();
    updateSourceText();
    updateControls();
}

LiveView::~LiveView() = default;

double LiveView::speedOfSlider(int position) {
    const double raw = std::pow(10.0, double(position) / 100.0);
    // Round to two significant digits so the label reads ×1, ×2.5 → ×3, ×100, ×250, ×1000.
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)) - 1);
    return std::clamp(std::round(raw / magnitude) * magnitude, LiveSession::kMinSpeed,
                      LiveSession::kMaxSpeed);
}

int LiveView::sliderOfSpeed(double speed) {
    return std::clamp(int(std::lround(100.0 * std::log10(std::max(1.0, speed)))), 0, kSliderSteps);
}

void LiveView::setRun(const PipelineResultPtr& result, const std::optional<SimulationProfile>& simulated,
                      double threshold) {
    session_->stop();
    result_ = result;
    simulated_ = simulated;
    threshold_ = threshold;
    source_ = continuationOf(result_, simulated_, threshold_);
    updateSourceText();
    updateControls();
}

void LiveView::setThreshold(double threshold) {
    threshold_ = threshold;
    if (!session_->isRunning()) {
        source_.threshold = threshold;
        updateSourceText();
    }
}

void LiveView::clearRun() {
    session_->stop();
    result_.reset();
    simulated_.reset();
    source_ = LiveSource{};
    updateSourceText();
    updateControls();
}

bool LiveView::start() {
    if (!result_ || session_->isRunning())
        return false;
    source_ = continuationOf(result_, simulated_, threshold_);
    resetStreamState();
    alertModel_->clear();
    journalError_.clear();
    if (!session_->start(source_))
        return false;
    pauseButton_->setChecked(false);
    warming_ = true;
    stateLabel_->setText(tr("Replaying the stored history into the feature windows…"));
    updateSourceText();
    updateControls();
    return true;
}

void LiveView::stop() {
    session_->stop();
}

void LiveView::setPaused(bool paused) {
    if (pauseButton_->isChecked() != paused) {
        pauseButton_->setChecked(paused);  // comes back here through toggled()
        return;
    }
    session_->setPaused(paused);
    if (session_->isRunning())
        stateLabel_->setText(paused ? tr("Paused") : tr("Streaming"));
    updateControls();
}

void LiveView::setSpeed(double speed) {
    speedSlider_->setValue(sliderOfSpeed(speed));
    session_->setSpeed(speedOfSlider(speedSlider_->value()));
}

void LiveView::showDevice(const QString& device) {
    deviceCombo_->setCurrentIndex(std::max(0, deviceCombo_->findData(device)));
}

QString LiveView::counterText(Counter counter) const {
    return counters_[std::size_t(counter)]->text();
}

bool LiveView::isBannerVisible() const {
    return !banner_->isHidden();
}

QString LiveView::bannerText() const {
    return bannerLabel_->text();
}

QChart* LiveView::chart() const {
    return chartView_->chart();
}

void LiveView::resetStreamState() {
    history_.clear();
    fleetMax_.clear();
    simTimeMs_ = 0;
    dirty_ = true;
    {
        const QSignalBlocker block(deviceCombo_);
        while (deviceCombo_->count() > 1) deviceCombo_->removeItem(deviceCombo_->count() - 1);
        deviceCombo_->setCurrentIndex(0);
    }
    for (QLabel* value : counters_) value->setText(QStringLiteral("–"));
    details_->setText(tr("Select an alert to see its cause, rule and suggested action."));
    banner_->hide();
    redrawChart();
}

void LiveView::updateControls() {
    const bool running = session_->isRunning();
    startButton_->setEnabled(result_ && !running);
    pauseButton_->setEnabled(running);
    stopButton_->setEnabled(running);
    if (!running) {
        const QSignalBlocker block(pauseButton_);
        pauseButton_->setChecked(false);
    }
    if (!result_)
        stateLabel_->setText(tr("Run the pipeline first: live mode scores with the trained model of a run."));
    else if (!running && stateLabel_->text().isEmpty())
        stateLabel_->setText(tr("Ready"));
}

QString LiveView::journalText() const {
    return journalLabel_->text();
}

void LiveView::updateSourceText() {
    if (!result_) {
        sourceLabel_->clear();
        journalLabel_->clear();
        return;
    }
    // Never a store of its own: the stream's alarms go into the run's database when the console may write it.
    if (source_.journalDatabase.isEmpty())
        journalLabel_->setText(tr("Alarms are not journaled: the database %1 is open read-only, so live "
                                  "incidents are shown here only and cannot be acknowledged.")
                                   .arg(Store::withoutPassword(result_->databasePath)));
    else if (!journalError_.isEmpty())
        journalLabel_->setText(tr("Alarms are no longer journaled: %1").arg(journalError_));
    else
        journalLabel_->setText(tr("Live incidents are recorded in the alarm journal of %1 and listed in the "
                                  "Alerts view, where they are acknowledged.")
                                   .arg(Store::withoutPassword(result_->databasePath)));
    const QLocale locale;
    const SimulationProfile& p = source_.profile;
    const QString from = formatUtcTimestampHuman(source_.liveFromMs);
    const QString what =
        source_.exactContinuation
            ? tr("Continues the simulated fleet of this run (%1 devices, seed %2, every %3 s) from %4 UTC.")
                  .arg(locale.toString(p.devices), QString::number(p.seed), locale.toString(p.intervalS),
                       from)
            : tr("A simulated fleet shaped like this database (%1 devices, every %2 s, default profile) "
                 "streams from %3 UTC.")
                  .arg(locale.toString(p.devices), locale.toString(p.intervalS), from);
    sourceLabel_->setText(
        tr("%1 Features, scores, explanations and alerts are computed row by row with the run's model; "
           "alert threshold %2.")
            .arg(what, locale.toString(source_.threshold, 'f', 3)));
}

void LiveView::onUpdate(const LiveUpdate& update) {
    const QLocale locale;
    for (auto d = qsizetype(history_.size()); d < update.devices.size(); ++d) {
        history_.emplace_back();
        deviceCombo_->addItem(update.devices[d], update.devices[d]);
    }
    for (const LivePoint& p : update.points) {
        const Sample s{p.tsMs, p.score, p.flagged};
        pushCapped(history_[std::size_t(p.device)], s, kHistoryPoints);
        if (!fleetMax_.empty() && fleetMax_.back().tsMs == p.tsMs) {
            Sample& top = fleetMax_.back();
            if (p.score > top.score)
                top.score = p.score;
            top.flagged = top.flagged || p.flagged;
        } else {
            pushCapped(fleetMax_, s, kHistoryPoints);
        }
    }
    if (!update.points.empty())
        dirty_ = true;
    simTimeMs_ = std::max(simTimeMs_, update.simTimeMs);

    if (update.warmUpFraction < 1) {
        stateLabel_->setText(tr("Replaying the stored history into the feature windows… %1 %")
                                 .arg(locale.toString(qRound(update.warmUpFraction * 100))));
    } else if (warming_ || !update.points.empty()) {
        warming_ = false;
        if (!session_->isPaused())
            stateLabel_->setText(tr("Streaming"));
    }
    counters_[std::size_t(Counter::Rows)]->setText(locale.toString(update.rows));
    counters_[std::size_t(Counter::Flagged)]->setText(locale.toString(update.flagged));
    for (const auto& [counter, severity] : kSeverityCounters)
        counters_[std::size_t(counter)]->setText(
            locale.toString(update.alertsBySeverity[std::size_t(severity)]));
    if (simTimeMs_ > 0)
        counters_[std::size_t(Counter::SimTime)]->setText(formatUtcTimestampHuman(simTimeMs_));

    for (const LiveAlertChange& change : update.alerts) {
        const int row = alertModel_->upsert(change.alert);
        // Keep the newest alerts in sight unless the operator has scrolled down to read older ones.
        if (change.created && row == 0 && table_->verticalScrollBar()->value() == 0)
            table_->scrollToTop();
    }
    redrawChart();
}

double LiveView::spanMs() const {
    // About two minutes of real time across the chart, rounded up to a span whose sixths are round times.
    constexpr double kSpans[] = {30 * 60'000.0,   60 * 60'000.0,   2 * 3'600'000.0,
                                 3 * 3'600'000.0, 6 * 3'600'000.0, 12 * 3'600'000.0};
    const double wanted = speedOfSlider(speedSlider_->value()) * 120'000.0;
    for (double span : kSpans)
        if (span >= wanted)
            return span;
    return kSpans[std::size(kSpans) - 1];
}

void LiveView::redrawChart() {
    if (!dirty_)
        return;
    dirty_ = false;
    // Item 0 is the fleet maximum; item d + 1 is stream device d (added in stream order).
    const int d = deviceCombo_->currentIndex() - 1;
    const std::deque<Sample>* history = d >= 0 ? &history_[std::size_t(d)] : &fleetMax_;
    const double span = spanMs();
    // The right edge moves in steps of a sixth of the span, so the six tick labels read round times.
    const qint64 step = qint64(span) / 6;
    const qint64 now = simTimeMs_ > 0 ? simTimeMs_ : source_.liveFromMs;
    const qint64 to = (now / step + 1) * step;
    const qint64 from = to - qint64(span);
    QList<QPointF> line, flagged;
    double lo = std::min(0.4, threshold_), hi = std::max(0.8, threshold_);
    for (const Sample& s : *history) {
        if (s.tsMs < from)
            continue;
        line.append(QPointF(double(s.tsMs), s.score));
        if (s.flagged)
            flagged.append(QPointF(double(s.tsMs), s.score));
        lo = std::min(lo, double(s.score));
        hi = std::max(hi, double(s.score));
    }
    // In bulk (STYLE.md): one replace per redraw, never point by point.
    scoreSeries_->replace(line);
    flaggedSeries_->replace(flagged);
    thresholdSeries_->replace({QPointF(double(from), threshold_), QPointF(double(to), threshold_)});
    scoreSeries_->setName(d >= 0 ? tr("Score of %1").arg(deviceCombo_->currentText())
                                 : tr("Fleet maximum score"));
    timeAxis_->setRange(QDateTime::fromMSecsSinceEpoch(from, Qt::UTC),
                        QDateTime::fromMSecsSinceEpoch(to, Qt::UTC));
    timeAxis_->setTickCount(7);
    timeAxis_->setFormat(span > 6 * 3'600'000.0 ? QStringLiteral("dd.MM. HH:mm") : QStringLiteral("HH:mm"));
    scoreAxis_->setRange(std::max(0.0, std::floor(lo * 10 - 0.5) / 10),
                         std::min(1.0, std::ceil(hi * 10 + 0.5) / 10));
}

void LiveView::showAlertDetails() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) {
        details_->setText(tr("Select an alert to see its cause, rule and suggested action."));
        return;
    }
    const Alert& a = alertModel_->alertAt(current.row());
    const QLocale locale;
    QStringList features;
    for (const NamedShare& f : a.topFeatures)
        features << tr("%1 %2 %").arg(f.name.toHtmlEscaped(), locale.toString(f.percent, 'f', 1));
    QStringList families;
    for (const FamilyShare& f : a.families)
        families << tr("%1 %2 %").arg(f.family.toHtmlEscaped(), locale.toString(f.percent, 'f', 1));
    details_->setText(
        tr("<p><span style=\"color:%1\"><b>%2</b></span> · <b>%3</b><br>%4 → %5 UTC, %n flagged row(s), peak "
           "score %6</p><p><b>Cause:</b> %7<br><b>Rule:</b> %8<br><b>Action:</b> %9</p>"
           "<p><b>Families:</b> %10<br><b>Top features:</b> %11</p>",
           nullptr, a.count)
            .arg(AlertListModel::severityColor(a.severity).name(), severityName(a.severity),
                 a.device.toHtmlEscaped(), formatUtcTimestampHuman(a.startMs),
                 formatUtcTimestampHuman(a.endMs), locale.toString(a.peakScore, 'f', 3),
                 a.cause.toHtmlEscaped(), a.ruleId.isEmpty() ? QStringLiteral("—") : a.ruleId.toHtmlEscaped(),
                 a.action.isEmpty() ? tr("No suggested action.") : a.action.toHtmlEscaped())
            .arg(families.isEmpty() ? QStringLiteral("—") : families.join(QStringLiteral(", ")),
                 features.isEmpty() ? QStringLiteral("—") : features.join(QStringLiteral(", "))));
}

void LiveView::onCritical(const Alert& alert) {
    const QString text = tr("CRITICAL — %1: %2 at %3 UTC (score %4)")
                             .arg(alert.device, alert.cause, formatUtcTimestampHuman(alert.peakMs),
                                  QLocale().toString(alert.peakScore, 'f', 3));
    bannerLabel_->setText(text);
    banner_->show();
    bannerTimer_->start();
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!tray_) {
            tray_ = new QSystemTrayIcon(
                windowIcon().isNull() ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : windowIcon(),
                this);
            tray_->setToolTip(tr("ITAP Console — live mode"));
        }
        tray_->show();
        tray_->showMessage(tr("Critical alert"), text, QSystemTrayIcon::Critical, kBannerMs);
    }
    emit notification(text);
}

void LiveView::onStopped(bool completed) {
    stateLabel_->setText(completed ? tr("The simulated span ended.") : tr("Stopped"));
    updateControls();
    emit notification(completed ? tr("Live stream ended: the simulated span ran out.")
                                : tr("Live stream stopped."));
}

void LiveView::onFailed(const QString& message) {
    stateLabel_->setText(tr("Live mode failed: %1").arg(message));
    updateControls();
    emit notification(tr("Live mode failed: %1").arg(message));
}

}  // namespace itap
