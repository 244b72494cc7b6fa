#include "alarm_kpi_panel.h"

#include "chart_util.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace itap {
namespace {

// A chart this wide shows every period; longer spans keep each bucket's extremes (reduceMinMax).
constexpr int kRateBuckets = 1000;

// EEMUA 191's guide for the priority distribution (high, medium, low), in percent.
constexpr int kPriorityGuide[] = {5, 15, 80};

QTableWidget* figureTable(const QStringList& headers) {
    auto* table = new QTableWidget;
    table->setColumnCount(int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return table;
}

QTableWidgetItem* number(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString percent(double share) {
    return AlarmKpiPanel::tr("%1 %").arg(QLocale().toString(share * 100.0, 'f', 1));
}

}  // namespace

AlarmKpiPanel::AlarmKpiPanel(QWidget* parent) : QWidget(parent) {
    header_ = new QLabel;
    header_->setObjectName(QStringLiteral("alarmKpiHeader"));
    header_->setWordWrap(true);
    header_->setTextFormat(Qt::RichText);
    exportButton_ = new QPushButton(tr("Export alarm journal…"));
    exportButton_->setObjectName(QStringLiteral("exportJournalButton"));
    exportButton_->setToolTip(tr("Write the whole alarm journal and the threshold changes as CSV and JSON."));
    connect(exportButton_, &QPushButton::clicked, this, &AlarmKpiPanel::exportRequested);
    auto* top = new QHBoxLayout;
    top->addWidget(header_, 1);
    top->addWidget(exportButton_, 0, Qt::AlignTop);

    auto* tiles = new QGridLayout;
    const std::pair<Figure, QString> names[] = {
        {Figure::Annunciated, tr("Annunciated")},
        {Figure::AveragePer10Min, tr("Per 10 min (avg)")},
        {Figure::PeakPer10Min, tr("Peak per 10 min")},
        {Figure::FloodShare, tr("Time in flood")},
        {Figure::Chattering, tr("Chattering")},
        {Figure::Standing, tr("Standing")},
        {Figure::Suppressed, tr("Suppressed")},
        {Figure::Shelved, tr("Shelved")},
        {Figure::Events, tr("Events")},
    };
    const QString tips[] = {
        tr("Alarms that demanded a response (a fleet incident counts once), at the operating threshold."),
        tr("EEMUA 191: about 1 per 10 minutes is manageable."),
        tr("The busiest 10 minutes."),
        tr("Share of 10-minute periods with more than %1 annunciations (EEMUA 191 flood).")
            .arg(kFloodPerPeriod),
        tr("Annunciations within 10 minutes of the same device's previous clear."),
        tr("Annunciated alarms still active at the end of the data (in brackets: for more than 24 h)."),
        tr("Alarms suppressed by design (maintenance, state transitions): recorded, never annunciated."),
        tr("Alarms an operator shelved, from the alarm journal."),
        tr("Incidents recorded as events: listed, never annunciated."),
    };
    int col = 0;
    for (const auto& [key, text] : names) {
        auto* title = new QLabel(text);
        title->setStyleSheet(QStringLiteral("color: palette(mid);"));
        auto* value = new QLabel(QStringLiteral("—"));
        value->setObjectName(QStringLiteral("kpiFigure%1").arg(col));
        QFont f = value->font();
        f.setPointSizeF(f.pointSizeF() * 1.3);
        f.setBold(true);
        value->setFont(f);
        title->setToolTip(tips[col]);
        value->setToolTip(tips[col]);
        tiles->addWidget(title, 0, col);
        tiles->addWidget(value, 1, col);
        figures_.insert(key, value);
        ++col;
    }

    auto* chart = new QChart;
    chart->setTitle(tr("Annunciated alarms per 10 minutes (UTC) against the EEMUA 191 lines"));
    chart->setMargins(QMargins(4, 4, 12, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    timeAxis_ = new QDateTimeAxis;
    timeAxis_->setFormat(QStringLiteral("dd.MM. HH:mm"));
    timeAxis_->setTickCount(6);
    countAxis_ = new QValueAxis;
    countAxis_->setLabelFormat(QStringLiteral("%d"));
    countAxis_->setTitleText(tr("Alarms per 10 min"));
    chart->addAxis(timeAxis_, Qt::AlignBottom);
    chart->addAxis(countAxis_, Qt::AlignLeft);
    rate_ = new QLineSeries;
    rate_->setName(tr("Annunciated"));
    QPen ratePen(QColor(0x1e, 0x6f, 0xb8));
    ratePen.setWidthF(1.5);
    rate_->setPen(ratePen);
    manageable_ = new QLineSeries;
    manageable_->setName(tr("1 per 10 min: manageable"));
    QPen manageablePen(QColor(0x3f, 0x8f, 0x3f));
    manageablePen.setStyle(Qt::DashLine);
    manageablePen.setWidthF(1.5);
    manageable_->setPen(manageablePen);
    flood_ = new QLineSeries;
    flood_->setName(tr("%1 per 10 min: flood above").arg(kFloodPerPeriod));
    QPen floodPen(QColor(0xc6, 0x28, 0x28));
    floodPen.setStyle(Qt::DashLine);
    floodPen.setWidthF(1.5);
    flood_->setPen(floodPen);
    for (QLineSeries* s : {rate_, manageable_, flood_}) {
        chart->addSeries(s);
        s->attachAxis(timeAxis_);
        s->attachAxis(countAxis_);
    }
    rateView_ = new QChartView(chart);
    rateView_->setObjectName(QStringLiteral("alarmRateChart"));
    rateView_->setRenderHint(QPainter::Antialiasing);
    rateView_->setMinimumSize(360, 240);

    priorityTable_ = figureTable({tr("Priority"), tr("Alarms"), tr("Share"), tr("EEMUA 191 guide")});
    priorityTable_->setObjectName(QStringLiteral("priorityTable"));
    priorityTable_->setRowCount(3);
    const QString priorities[] = {tr("High"), tr("Medium"), tr("Low")};
    for (int r = 0; r < 3; ++r) {
        priorityTable_->setItem(r, 0, new QTableWidgetItem(priorities[r]));
        priorityTable_->setItem(r, 3, number(tr("≈ %1 %").arg(kPriorityGuide[r])));
    }
    // Three rows and the header, no scrolling.
    priorityTable_->setFixedHeight(priorityTable_->horizontalHeader()->sizeHint().height() +
                                   3 * priorityTable_->verticalHeader()->defaultSectionSize() + 4);
    priorityTable_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    contributorTable_ = figureTable({tr("Top contributor (device · cause)"), tr("Alarms"), tr("Share")});
    contributorTable_->setObjectName(QStringLiteral("contributorTable"));
    topShare_ = new QLabel;
    topShare_->setWordWrap(true);

    auto* side = new QWidget;
    // The tables need little width; the time series takes what is left.
    side->setMaximumWidth(440);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("<b>Priority distribution</b>")));
    sideLayout->addWidget(priorityTable_);
    sideLayout->addWidget(new QLabel(tr("<b>Top 10 contributors</b>")));
    sideLayout->addWidget(contributorTable_, 1);
    sideLayout->addWidget(topShare_);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(rateView_);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(tiles);
    layout->addWidget(split, 1);
    clear();
}

void AlarmKpiPanel::clear() {
    header_->setText(tr("No fleet analysed yet."));
    for (QLabel* l : figures_) l->setText(QStringLiteral("—"));
    rate_->clear();
    manageable_->clear();
    flood_->clear();
    for (int r = 0; r < 3; ++r) {
        priorityTable_->setItem(r, 1, number(QStringLiteral("—")));
        priorityTable_->setItem(r, 2, number(QStringLiteral("—")));
    }
    contributorTable_->setRowCount(0);
    topShare_->clear();
}

void AlarmKpiPanel::setKpis(const AlarmKpis& k, double threshold) {
    const QLocale locale;
    header_->setText(
        tr("At the operating threshold <b>%1</b> · %2 incidents over %3 to %4 UTC (%5 periods of "
           "10 minutes) · EEMUA 191 / ISA-18.2 TR18.2.5")
            .arg(locale.toString(threshold, 'f', 3), locale.toString(k.incidents),
                 QDateTime::fromMSecsSinceEpoch(k.fromMs, Qt::UTC)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                 QDateTime::fromMSecsSinceEpoch(k.toMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                 locale.toString(k.periods)));
    figures_[Figure::Annunciated]->setText(locale.toString(k.annunciated));
    figures_[Figure::AveragePer10Min]->setText(locale.toString(k.perPeriodAverage, 'f', 2));
    figures_[Figure::PeakPer10Min]->setText(locale.toString(k.perPeriodPeak));
    figures_[Figure::FloodShare]->setText(percent(k.floodShare()));
    figures_[Figure::Chattering]->setText(locale.toString(k.chattering));
    figures_[Figure::Standing]->setText(
        tr("%1 (%2)").arg(locale.toString(k.standing), locale.toString(k.standingOver24h)));
    figures_[Figure::Suppressed]->setText(locale.toString(k.suppressed));
    figures_[Figure::Events]->setText(locale.toString(k.events));
    showRate(k);
    showPriorities(k);
    showContributors(k);
}

void AlarmKpiPanel::setJournalCounts(const std::array<int, kAlarmStateCount>& counts) {
    QLabel* shelved = figures_[Figure::Shelved];
    shelved->setText(QLocale().toString(counts[std::size_t(AlarmState::Shelved)]));
    int alarms = 0;
    for (int n : counts) alarms += n;
    shelved->setToolTip(tr("Alarms an operator shelved, of %1 alarms in the journal.").arg(alarms));
}

void AlarmKpiPanel::setJournalUnavailable(const QString& reason) {
    QLabel* shelved = figures_[Figure::Shelved];
    shelved->setText(QStringLiteral("—"));
    shelved->setToolTip(tr("The alarm journal could not be read: %1").arg(reason));
}

QString AlarmKpiPanel::figureText(Figure figure) const {
    const QLabel* l = figures_.value(figure);
    return l ? l->text() : QString();
}

void AlarmKpiPanel::showRate(const AlarmKpis& k) {
    // QDateTimeAxis labels in local time; shifting by the UTC offset makes them read UTC.
    const qint64 shift = qint64(QDateTime::fromMSecsSinceEpoch(k.fromMs).offsetFromUtc()) * 1000;
    const qint64 from = k.fromMs - shift;
    const qint64 to = from + qint64(k.perPeriod.size()) * kRatePeriodMs;
    // A step line: each period's count held over its 10 minutes.
    std::vector<qint64> x;
    std::vector<double> y;
    x.reserve(2 * k.perPeriod.size());
    y.reserve(2 * k.perPeriod.size());
    for (std::size_t i = 0; i < k.perPeriod.size(); ++i) {
        const qint64 start = from + qint64(i) * kRatePeriodMs;
        x.push_back(start);
        y.push_back(k.perPeriod[i]);
        x.push_back(start + kRatePeriodMs - 1);
        y.push_back(k.perPeriod[i]);
    }
    rate_->replace(reduceMinMax(x, y, double(from), double(to), kRateBuckets));
    const QList<QPointF> one{QPointF(double(from), 1), QPointF(double(to), 1)};
    const QList<QPointF> ten{QPointF(double(from), kFloodPerPeriod), QPointF(double(to), kFloodPerPeriod)};
    manageable_->replace(one);
    flood_->replace(ten);
    timeAxis_->setRange(QDateTime::fromMSecsSinceEpoch(from),
                        QDateTime::fromMSecsSinceEpoch(std::max(to, from + 1)));
    // QDateTimeAxis spaces its ticks evenly: a count that divides the span into whole periods keeps the
    // labels on round times (a day: every 6 hours); at most 5, so that they fit at 1366 px.
    const qint64 periods = std::max<qint64>(1, qint64(k.perPeriod.size()));
    int ticks = 5;
    for (int t = 5; t >= 3; --t)
        if (periods % (t - 1) == 0) {
            ticks = t;
            break;
        }
    timeAxis_->setTickCount(ticks);
    // Both reference lines stay in view, with room above the busiest period.
    const int top = std::max(kFloodPerPeriod + 2, int(double(k.perPeriodPeak) * 1.1) + 1);
    countAxis_->setRange(0, top);
    countAxis_->applyNiceNumbers();
}

void AlarmKpiPanel::showPriorities(const AlarmKpis& k) {
    const QLocale locale;
    // Rows high, medium, low: Severity Critical, Warning, Info.
    const Severity order[] = {Severity::Critical, Severity::Warning, Severity::Info};
    for (int r = 0; r < 3; ++r) {
        const int n = k.byPriority[std::size_t(order[r])];
        priorityTable_->setItem(r, 1, number(locale.toString(n)));
        priorityTable_->setItem(
            r, 2, number(k.annunciated > 0 ? percent(double(n) / k.annunciated) : QStringLiteral("—")));
    }
}

void AlarmKpiPanel::showContributors(const AlarmKpis& k) {
    const QLocale locale;
    contributorTable_->setRowCount(int(k.topContributors.size()));
    for (std::size_t i = 0; i < k.topContributors.size(); ++i) {
        const auto& [name, n] = k.topContributors[i];
        contributorTable_->setItem(int(i), 0, new QTableWidgetItem(name));
        contributorTable_->setItem(int(i), 1, number(locale.toString(n)));
        contributorTable_->setItem(
            int(i), 2, number(k.annunciated > 0 ? percent(double(n) / k.annunciated) : QStringLiteral("—")));
    }
    topShare_->setText(k.annunciated > 0 ? tr("The top %1 carry %2 of the annunciations.")
                                               .arg(k.topContributors.size())
                                               .arg(percent(k.top10Share))
                                         : tr("Nothing was annunciated."));
}

}  // namespace itap
