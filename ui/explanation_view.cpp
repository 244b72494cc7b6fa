#include "explanation_view.h"

#include "chart_util.h"
#include "common/time_util.h"
#include "device_view.h"
#include "models/alert_list_model.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegendMarker>
#include <QLocale>
#include <QResizeEvent>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace itap {
namespace {

QChartView* makeBarView(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 2, 12, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    return view;
}

// Horizontal bars, largest on top, one bar set per family so the bars carry the family colours and the legend
// names them. Every category has exactly one non-zero set, so the "stack" is one bar.
void fillBars(QChart* chart, const QStringList& labels, const std::vector<double>& values,
              const QStringList& barFamilies) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    QStringList families;
    for (const QString& f : barFamilies)
        if (!families.contains(f))
            families << f;
    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.7);
    const qsizetype n = labels.size();
    for (const QString& fam : families) {
        auto* set = new QBarSet(fam);
        set->setColor(familyColor(fam));
        set->setBorderColor(familyColor(fam).darker(130));
        // Categories run bottom-up: the largest value goes last so it is drawn on top.
        for (qsizetype i = n - 1; i >= 0; --i) *set << (barFamilies[i] == fam ? values[std::size_t(i)] : 0.0);
        series->append(set);
    }
    chart->addSeries(series);
    auto* categories = new QBarCategoryAxis;
    QStringList reversed(labels.rbegin(), labels.rend());
    categories->append(reversed);
    categories->setGridLineVisible(false);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    auto* value = new QValueAxis;
    const double top = values.empty() ? 100.0 : *std::max_element(values.begin(), values.end());
    value->setRange(0, std::max(5.0, top * 1.05));
    value->setLabelFormat(QStringLiteral("%.0f %%"));
    value->setTickCount(5);
    value->applyNiceNumbers();
    chart->addAxis(value, Qt::AlignBottom);
    series->attachAxis(value);
}

}  // namespace

ExplanationView::ExplanationView(QWidget* parent) : QWidget(parent) {
    header_ = new QLabel;
    header_->setObjectName(QStringLiteral("explanationHeader"));
    header_->setTextFormat(Qt::RichText);
    header_->setWordWrap(true);
    details_ = new QLabel;
    details_->setObjectName(QStringLiteral("explanationDetails"));
    details_->setTextFormat(Qt::RichText);
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    emptyHint_ = new QLabel(tr("Select an alert to see why it was raised."));
    emptyHint_->setAlignment(Qt::AlignCenter);

    featureView_ = makeBarView(tr("Top features — share of the anomaly score"));
    featureView_->setObjectName(QStringLiteral("featureChart"));
    // Wide enough for the longest `<channel>_<stat>` name with its percentage beside bars that still read;
    // a narrower panel scrolls (the alerts panel puts the view in a scroll area) rather than eliding.
    featureView_->setMinimumSize(440, 300);
    familyView_ = makeBarView(tr("Sensor families"));
    familyView_->setObjectName(QStringLiteral("familyChart"));
    familyView_->setMinimumSize(260, 200);
    familyView_->chart()->legend()->hide();  // the category labels already name the families

    // Details and family shares share a column beside the feature chart: the top stays as short as the 12
    // bars.
    side_ = new QBoxLayout(QBoxLayout::TopToBottom);
    side_->addWidget(details_);
    side_->addWidget(familyView_, 1);
    charts_ = new QBoxLayout(QBoxLayout::LeftToRight);
    charts_->addWidget(featureView_, 3);
    charts_->addLayout(side_, 2);

    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(header_);
    topLayout->addLayout(charts_, 1);

    tracesMessage_ = new QLabel;
    tracesMessage_->setAlignment(Qt::AlignCenter);
    traces_ = new DeviceView;
    traces_->setCompact(true);
    traces_->setObjectName(QStringLiteral("explanationTraces"));
    auto* bottom = new QWidget;
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(tracesMessage_);
    bottomLayout->addWidget(traces_, 1);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    body_ = split;

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(emptyHint_, 1);
    layout->addWidget(body_, 1);
    clear();
}

void ExplanationView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const auto direction = width() >= kSideBySideWidth ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (charts_->direction() == direction)
        return;
    charts_->setDirection(direction);
    side_->setDirection(direction == QBoxLayout::LeftToRight ? QBoxLayout::TopToBottom
                                                             : QBoxLayout::LeftToRight);
}

void ExplanationView::clear() {
    row_.reset();
    device_.clear();
    eventMs_ = eventFromMs_ = eventToMs_ = 0;
    shownFeatures_.clear();
    shownPercents_.clear();
    shownFamilies_.clear();
    header_->clear();
    details_->clear();
    traces_->clear();
    tracesMessage_->hide();
    body_->hide();
    emptyHint_->show();
}

void ExplanationView::setExplanation(const FleetFeatures& fleet, const Explanation& explanation,
                                     const Alert* alert) {
    clear();
    const ScoreTable& t = fleet.table;
    if (explanation.row >= t.size())
        return;
    const std::size_t r = explanation.row;
    row_ = r;
    device_ = t.devices.value(t.device[r]);
    eventMs_ = t.tsMs[r];
    eventFromMs_ = alert ? alert->startMs : eventMs_;
    eventToMs_ = alert ? alert->endMs : eventMs_;
    const QLocale locale;

    QString severity;
    if (alert) {
        severity =
            QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> &nbsp;·&nbsp; ")
                .arg(AlertListModel::severityColor(alert->severity).name(), severityName(alert->severity));
    }
    header_->setText(tr("%1<b>%2</b> &nbsp;·&nbsp; %3 UTC &nbsp;·&nbsp; %4 &nbsp;·&nbsp; score %5")
                         .arg(severity, device_.toHtmlEscaped(), formatUtcTimestampHuman(eventMs_),
                              opStateName(t.state[r]), locale.toString(double(t.score[r]), 'f', 4)));

    QStringList rows;
    auto line = [&rows](const QString& name, const QString& value) {
        rows << QStringLiteral("<tr><td style=\"padding-right:8px\"><b>%1</b></td><td>%2</td></tr>")
                    .arg(name, value);
    };
    if (alert) {
        line(tr("Cause"), alert->cause.toHtmlEscaped());
        line(tr("Confidence"), alert->ruleId.isEmpty()
                                   ? QStringLiteral("—")
                                   : tr("%1 %").arg(locale.toString(alert->confidence * 100, 'f', 0)));
        line(tr("Rule"), alert->ruleId.toHtmlEscaped());
        line(tr("Action"),
             alert->action.isEmpty() ? tr("No suggested action.") : alert->action.toHtmlEscaped());
        line(tr("Alert span"),
             tr("%1 → %2 UTC, %n flagged row(s)", nullptr, alert->count)
                 .arg(formatUtcTimestampHuman(alert->startMs), formatUtcTimestampHuman(alert->endMs)));
        for (const SignalDiagnostic& d : alert->diagnostics)
            line(tr("Instrument"),
                 (d.condition == SignalCondition::Missing ? tr("%1: no data, %2 → %3 UTC")
                                                          : tr("%1: frozen value, %2 → %3 UTC"))
                     .arg(d.channel.toHtmlEscaped(), formatUtcTimestampHuman(d.firstMs),
                          formatUtcTimestampHuman(d.lastMs)));
        line(tr("Attribution"), tr("whole incident, by margin"));
    } else {
        line(tr("Cause"), tr("(no alert selected: the row's attribution only)"));
    }
    const QString tag = t.faultTag[r];
    if (t.hasLabels)
        line(tr("Ground truth"), tag.isEmpty() ? tr("normal row") : tag.toHtmlEscaped());
    details_->setText(QStringLiteral("<table>%1</table>").arg(rows.join(QString())));

    showFeatures(fleet, explanation);
    showFamilies(explanation);
    emptyHint_->hide();
    body_->show();
    setTracesMessage(tr("Loading the traces of %1…").arg(device_));
}

void ExplanationView::showFeatures(const FleetFeatures& fleet, const Explanation& explanation) {
    QStringList labels, fams;
    std::vector<double> values;
    const QLocale locale;
    for (const FeatureShare& f : explanation.features) {
        if (int(values.size()) == kTopFeatures)
            break;
        if (f.feature < 0 || f.feature >= fleet.schema.size())
            continue;
        const QString name = fleet.schema.names[std::size_t(f.feature)];
        shownFeatures_ << name;
        shownPercents_.push_back(f.percent);
        labels << tr("%1  %2 %").arg(name, locale.toString(f.percent, 'f', 1));
        fams << fleet.schema.families[std::size_t(f.feature)];
        values.push_back(f.percent);
    }
    fillBars(featureView_->chart(), labels, values, fams);
    // Below ~26 px per bar Qt Charts elides the category labels; the title, value axis and legend take ~150
    // px.
    featureView_->setMinimumHeight(std::max(260, 26 * int(values.size()) + 150));
}

void ExplanationView::showFamilies(const Explanation& explanation) {
    QStringList labels, fams;
    std::vector<double> values;
    const QLocale locale;
    for (const FamilyShare& f : explanation.families) {
        shownFamilies_ << f.family;
        labels << tr("%1  %2 %").arg(f.family, locale.toString(f.percent, 'f', 1));
        fams << f.family;
        values.push_back(f.percent);
    }
    fillBars(familyView_->chart(), labels, values, fams);
    // As for the features: room for every family's label, or Qt Charts elides them all to "…".
    familyView_->setMinimumHeight(std::max(200, 26 * int(values.size()) + 130));
}

void ExplanationView::setTraces(const FleetFeatures& fleet, const Analysis& analysis,
                                const DeviceSeries& series) {
    if (!row_ || series.deviceId != device_)
        return;
    const auto deviceIndex = static_cast<int>(fleet.table.devices.indexOf(series.deviceId));
    if (deviceIndex < 0)
        return;
    traces_->setData(fleet, analysis, series, deviceIndex);
    if (!traces_->hasData()) {
        setTracesMessage(tr("No telemetry stored for %1.").arg(device_));
        return;
    }
    tracesMessage_->hide();
    traces_->show();
    // Enough context to see the run-up and the recovery: three times the event, at least an hour.
    const qint64 pad = std::max<qint64>(3 * (eventToMs_ - eventFromMs_), 30 * 60'000);
    traces_->setTimeWindow(eventFromMs_ - pad, eventToMs_ + pad);
    traces_->highlight(eventFromMs_, eventToMs_);
}

void ExplanationView::setTracesMessage(const QString& message) {
    traces_->clear();
    traces_->hide();
    tracesMessage_->setText(message);
    tracesMessage_->show();
}

QString ExplanationView::headerText() const {
    return header_->text();
}

QChart* ExplanationView::featureChart() const {
    return featureView_->chart();
}

QChart* ExplanationView::familyChart() const {
    return familyView_->chart();
}

}  // namespace itap
