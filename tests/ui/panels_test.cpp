// The analysis panels (device view, explanation view, alerts panel, evaluation panel), chart_util and
// reanalyseAt, on a small fleet run through the real core pipeline.

#include "alarm_kpi_panel.h"
#include "alerts_panel.h"
#include "chart_util.h"
#include "device_view.h"
#include "evaluation_panel.h"
#include "explanation_view.h"
#include "models/alert_list_model.h"
#include "pipeline/reanalysis.h"

#include "common/time_util.h"
#include "evaluate/score_index.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"

#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 60'000;
const QString kShotDir = QStringLiteral("/tmp/itap-panels");

QList<QPointF> pointsOf(const QList<std::pair<qint64, double>>& xy) {
    QList<QPointF> out;
    for (const auto& [x, y] : xy) out.append(QPointF(double(x), y));
    return out;
}

void saveShot(QWidget& w, const QString& name) {
    QDir().mkpath(kShotDir);
    QVERIFY(w.grab().save(QDir(kShotDir).filePath(name + QStringLiteral(".png"))));
}

// Laid out, with every plot area starting and ending at the same x: a time lies at one x on every chart.
bool alignedPlots(const DeviceView& view) {
    const auto views = view.chartViews();
    if (views.empty())
        return false;
    const QRectF first = views.front()->chart()->plotArea();
    if (first.width() < 100)
        return false;
    return std::all_of(views.begin(), views.end(), [&](QChartView* v) {
        const QRectF pa = v->chart()->plotArea();
        return std::abs(pa.left() - first.left()) <= 1 && std::abs(pa.right() - first.right()) <= 1;
    });
}

QDateTimeAxis* timeAxis(QChart* chart) {
    const auto axes = chart->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QDateTimeAxis*>(axes.first());
}

}  // namespace

class PanelsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void reduceMinMax_data();
    void reduceMinMax();
    void reduceMinMaxKeepsBucketExtremes();
    void runsAndOutlines();
    void reanalysisEqualsAnalyse_data();
    void reanalysisEqualsAnalyse();
    void evaluationSliderMatchesEvaluateAt();
    void evaluationWithoutGroundTruth();
    void evaluationReportsWhileDragging();
    void evaluationPerDeviceAtTheRunsThreshold();
    void deviceViewChartsAndZoom();
    void deviceViewMarkerClick();
    void alertsPanelDrillDown();
    void alertsPanelFilters();
    void evaluationPreviewBannerAndRevert();
    void alarmKpiPanelShowsKnownFigures();
    void alarmKpiPanelShowsTheAnalysis();

private:
    /// Shows `panel` at the evaluation views' size with `fleet` and waits until its score index is ready.
    [[nodiscard]] static bool showReady(EvaluationPanel& panel, const FleetFeatures& fleet,
                                        const Analysis& analysis) {
        panel.resize(1300, 860);
        panel.show();
        QSignalSpy ready(&panel, &EvaluationPanel::ready);
        panel.setData(fleet, analysis);
        return ready.wait(kTimeoutMs);
    }

    [[nodiscard]] DeviceSeries series(const QString& device) {
        auto s = store_->readDevice(device);
        if (!s)
            qFatal("readDevice failed: %s", qPrintable(s.error().toString()));
        return std::move(s).value();
    }

    QTemporaryDir dir_;
    std::unique_ptr<Store> store_;
    std::optional<ScoredFleet> scored_;
    AnalysisOptions options_;
};

void PanelsTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    QVERIFY(dir_.isValid());
    SimulationProfile profile = SimulationProfile::defaults();
    profile.devices = 3;
    profile.hours = 6;
    profile.intervalS = 10;
    profile.seed = 7;
    profile.scaleFaultRates(
        8);  // enough episodes in 3 × 6 h for recall, alerts and shading to mean something
    const SensorCatalog catalog = SensorCatalog::defaults();
    const QString csv = dir_.filePath(QStringLiteral("fleet.csv"));
    auto sim = FleetSimulator(profile, catalog).writeCsv(csv);
    QVERIFY2(sim.ok(), sim.ok() ? "" : qPrintable(sim.error().toString()));
    auto opened = Store::open(dir_.filePath(QStringLiteral("fleet.db")), &catalog);
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().toString()));
    store_ = std::move(opened).value();
    auto ingested = ingestFile(csv, *store_, IngestOptions{}, {});
    QVERIFY2(ingested.ok(), ingested.ok() ? "" : qPrintable(ingested.error().toString()));
    auto trained = trainModel(*store_, TrainConfig{}, {});
    QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().toString()));
    auto scored = scoreWithModel(*store_, std::move(trained->model), options_, {}, &trained->fleet);
    QVERIFY2(scored.ok(), scored.ok() ? "" : qPrintable(scored.error().toString()));
    scored_ = std::move(scored).value();
    // The fixture must exercise what the panels show.
    QVERIFY(scored_->fleet.table.hasLabels);
    QVERIFY(!scored_->analysis.flagged.empty());
    QVERIFY(!scored_->analysis.alerts.empty());
    QVERIFY(!scored_->analysis.metrics.perFault.empty());
}

// ---- chart_util
// ---------------------------------------------------------------------------------------------

void PanelsTest::reduceMinMax_data() {
    QTest::addColumn<QList<qint64>>("x");
    QTest::addColumn<QList<double>>("y");
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QList<QPointF>>("expected");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("short series unchanged") << QList<qint64>{0, 1, 2} << QList<double>{5, 6, 7} << 0.0 << 2.0
                                            << 4 << pointsOf({{0, 5}, {1, 6}, {2, 7}});
    QTest::newRow("missing samples skipped") << QList<qint64>{0, 1, 2, 3} << QList<double>{1, nan, 3, 4}
                                             << 0.0 << 3.0 << 4 << pointsOf({{0, 1}, {2, 3}, {3, 4}});
    QTest::newRow("neighbours outside the window kept")
        << QList<qint64>{0, 10, 20, 30, 40} << QList<double>{1, 2, 3, 4, 5} << 15.0 << 25.0 << 4
        << pointsOf({{10, 2}, {20, 3}, {30, 4}});
    // 8 samples, 2 buckets of 4: each keeps its min and max in x order; the spike survives.
    QTest::newRow("min and max per bucket")
        << QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7} << QList<double>{2, 9, 1, 3, 4, 4, -5, 4} << 0.0 << 7.9 << 2
        << pointsOf({{1, 9}, {2, 1}, {4, 4}, {6, -5}});
    QTest::newRow("empty window") << QList<qint64>{} << QList<double>{} << 0.0 << 1.0 << 3
                                  << QList<QPointF>{};
}

void PanelsTest::reduceMinMax() {
    QFETCH(QList<qint64>, x);
    QFETCH(QList<double>, y);
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(int, buckets);
    QFETCH(QList<QPointF>, expected);
    const std::vector<qint64> xs(x.begin(), x.end());
    const std::vector<double> ys(y.begin(), y.end());
    QCOMPARE(itap::reduceMinMax(xs, ys, from, to, buckets), expected);
}

void PanelsTest::reduceMinMaxKeepsBucketExtremes() {
    QRandomGenerator rng(1234);
    const int n = 100'000;
    std::vector<qint64> x(n);
    std::vector<double> y(n);
    for (int i = 0; i < n; ++i) {
        x[std::size_t(i)] = qint64(i) * 10'000;
        y[std::size_t(i)] = rng.generateDouble() * 10 + (i % 997 == 0 ? 50 : 0);  // rare spikes
    }
    y[54'321] = -40;  // one deep dip
    const int buckets = 640;
    const double from = double(x.front()), to = double(x.back());
    const QList<QPointF> r = itap::reduceMinMax(x, y, from, to, buckets);
    QVERIFY(r.size() <= 2 * buckets + 2);
    QVERIFY(
        std::is_sorted(r.begin(), r.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
    // The global extremes survive, and every bucket's own min and max are among the points.
    const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
    auto has = [&](double value) {
        return std::any_of(r.begin(), r.end(), [&](const QPointF& p) { return p.y() == value; });
    };
    QVERIFY(has(*mn));
    QVERIFY(has(*mx));
    const double width = (to - from) / buckets;
    for (int b = 0; b < buckets; ++b) {
        const double lo = from + b * width, hi = b == buckets - 1 ? to + 1 : from + (b + 1) * width;
        double bmin = std::numeric_limits<double>::infinity(), bmax = -bmin;
        for (int i = 0; i < n; ++i) {
            const double xi = double(x[std::size_t(i)]);
            if (xi >= lo && xi < hi) {
                bmin = std::min(bmin, y[std::size_t(i)]);
                bmax = std::max(bmax, y[std::size_t(i)]);
            }
        }
        if (bmin > bmax)
            continue;
        QVERIFY2(has(bmin) && has(bmax), qPrintable(QStringLiteral("bucket %1 lost an extreme").arg(b)));
    }
}

void PanelsTest::runsAndOutlines() {
    const std::vector<qint64> ts{0, 10, 20, 30, 40, 50};
    const std::vector<OpState> states{OpState::Run,  OpState::Run, OpState::Idle,
                                      OpState::Idle, OpState::Run, OpState::Maint};
    const auto runs = stateRuns(ts, states);
    QCOMPARE(runs.size(), std::size_t(4));
    QCOMPARE(runs[0].value, OpState::Run);
    QCOMPARE(runs[0].fromMs, 0);
    QCOMPARE(runs[0].toMs, 20);  // runs tile the axis: up to the next run's first sample
    QCOMPARE(runs[1].value, OpState::Idle);
    QCOMPARE(runs[1].first, std::size_t(2));
    QCOMPARE(runs[1].last, std::size_t(3));
    QCOMPARE(runs[3].toMs, 50);

    const TagColumn tags{{}, fault::kOverheat, fault::kOverheat, {}, fault::kPowerSpike, {}};
    const auto faults = faultRuns(ts, tags);
    QCOMPARE(faults.size(), std::size_t(2));
    QCOMPARE(faults[0].value, fault::kOverheat);
    QCOMPARE(faults[0].fromMs, 10);
    QCOMPARE(faults[0].toMs, 20);  // a fault ends at its last tagged sample
    QCOMPARE(faults[1].value, fault::kPowerSpike);
    QCOMPARE(faults[1].fromMs, 40);

    const QList<QPointF> outline = intervalOutline({{10, 20}, {40, 45}});
    QCOMPARE(outline,
             (QList<QPointF>{{10, 0}, {10, 1}, {20, 1}, {20, 0}, {40, 0}, {40, 1}, {45, 1}, {45, 0}}));
}

// ---- reanalyseAt
// --------------------------------------------------------------------------------------------

void PanelsTest::reanalysisEqualsAnalyse_data() {
    QTest::addColumn<double>("offset");
    QTest::newRow("same threshold") << 0.0;
    QTest::newRow("higher: fewer flags") << 0.03;
    QTest::newRow("lower: new rows to explain") << -0.03;
}

void PanelsTest::reanalysisEqualsAnalyse() {
    QFETCH(double, offset);
    const Analysis& base = scored_->analysis;
    const double t = base.threshold + offset;
    AnalysisOptions manual = options_;
    manual.threshold = t;
    auto expected = analyse(scored_->fleet, scored_->model, store_->catalog(), manual, {});
    QVERIFY(expected.ok());
    const Analysis got = reanalyseAt(scored_->fleet, scored_->model, base, t, options_);

    QCOMPARE(got.threshold, t);
    QCOMPARE(catalogFromSchema(scored_->fleet.schema).families(), store_->catalog().families());
    QCOMPARE(got.flagged, expected->flagged);
    QCOMPARE(got.metrics.precision, expected->metrics.precision);
    QCOMPARE(got.metrics.recall, expected->metrics.recall);
    QCOMPARE(got.metrics.confusion, expected->metrics.confusion);
    QCOMPARE(got.explanations.size(), expected->explanations.size());
    for (std::size_t i = 0; i < got.explanations.size(); ++i) {
        QCOMPARE(got.explanations[i].row, expected->explanations[i].row);
        QCOMPARE(got.explanations[i].features.size(), expected->explanations[i].features.size());
        for (qsizetype k = 0; k < got.explanations[i].features.size(); ++k) {
            QCOMPARE(got.explanations[i].features[k].feature, expected->explanations[i].features[k].feature);
            QCOMPARE(got.explanations[i].features[k].percent, expected->explanations[i].features[k].percent);
        }
    }
    QCOMPARE(got.alerts.size(), expected->alerts.size());
    for (std::size_t i = 0; i < got.alerts.size(); ++i) {
        QCOMPARE(got.alerts[i].id, expected->alerts[i].id);
        QCOMPARE(got.alerts[i].count, expected->alerts[i].count);
        QCOMPARE(got.alerts[i].severity, expected->alerts[i].severity);
        QCOMPARE(got.alerts[i].cause, expected->alerts[i].cause);
    }
    QCOMPARE(got.aggregate.fleet.flaggedRows, expected->aggregate.fleet.flaggedRows);
    QCOMPARE(got.aggregate.fleet.familyMix.size(), expected->aggregate.fleet.familyMix.size());
    for (std::size_t i = 0; i < got.aggregate.devices.size(); ++i)
        QCOMPARE(got.aggregate.devices[i].device, expected->aggregate.devices[i].device);
}

// ---- EvaluationPanel
// ----------------------------------------------------------------------------------------

void PanelsTest::evaluationSliderMatchesEvaluateAt() {
    EvaluationPanel panel;
    QVERIFY(showReady(panel, scored_->fleet, scored_->analysis));
    QVERIFY(panel.isReady());
    // It opens at core's operating point exactly (the spin box only rounds what it shows).
    QCOMPARE(panel.threshold(), scored_->analysis.threshold);
    QVERIFY(panel.currentMetrics().has_value());
    QCOMPARE(panel.currentMetrics()->confusion, scored_->analysis.metrics.confusion);

    auto index = ScoreIndex::build(scored_->fleet.table);
    QVERIFY(index.ok());
    QSignalSpy changed(&panel, &EvaluationPanel::thresholdChanged);
    // Three slider positions: the labels must say what evaluateAt says at the threshold the panel shows.
    for (int position : {200, 600, 900}) {
        panel.slider()->setValue(position);
        const double t = panel.threshold();
        auto m = evaluateAt(scored_->fleet.table, *index, t, EvaluationOptions{});
        QVERIFY(m.ok());
        QVERIFY(panel.currentMetrics().has_value());
        QCOMPARE(panel.currentMetrics()->confusion, m->confusion);
        QCOMPARE(panel.metricText(QStringLiteral("Precision")), EvaluationPanel::formatRatio(m->precision));
        QCOMPARE(panel.metricText(QStringLiteral("Recall")), EvaluationPanel::formatRatio(m->recall));
        QCOMPARE(panel.metricText(QStringLiteral("F1")), EvaluationPanel::formatRatio(m->f1));
        QVERIFY(
            panel.metricText(QStringLiteral("Flagged")).startsWith(QString::number(m->confusion.flagged())));
    }
    // The spin box drives the same path; thresholdChanged reports where the operator settled.
    panel.spinBox()->setValue(0.6);
    auto m = evaluateAt(scored_->fleet.table, *index, 0.6, EvaluationOptions{});
    QVERIFY(m.ok());
    QCOMPARE(panel.metricText(QStringLiteral("Recall")), EvaluationPanel::formatRatio(m->recall));
    QVERIFY(changed.wait(kTimeoutMs));
    QCOMPARE(changed.last().first().toDouble(), 0.6);
    // The window's re-analysis at the settled threshold brings the per-device metrics (reanalyseAt, tested
    // against analyse); the table shows core's figures.
    const auto perDevice = evaluatePerDevice(scored_->fleet.table, 0.6);
    QVERIFY(perDevice.ok());
    panel.setDeviceMetrics(0.6, *perDevice);
    QTableWidget* table = panel.deviceTable();
    QCOMPARE(table->rowCount(), int(perDevice->size()));
    for (const DeviceMetrics& d : *perDevice) {
        const auto found = table->findItems(d.device, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        const int row = found.first()->row();
        QCOMPARE(table->item(row, 2)->text(), QString::number(d.confusion.flagged()));
        QCOMPARE(table->item(row, 4)->text(), EvaluationPanel::formatRatio(d.recall));
        QCOMPARE(table->item(row, 6)->text(), EvaluationPanel::formatRatio(d.falseAlarmRate));
        QCOMPARE(table->item(row, 7)->text(), EvaluationPanel::formatRatio(d.missedAlarmRate));
    }
    panel.setThreshold(scored_->analysis.threshold);
    saveShot(panel, QStringLiteral("evaluation_panel"));
}

// A drag of ~600 ms (a move every 30 ms): the window hears of the threshold while the slider still moves, not
// only once it rests, never more often than every 100 ms, and the last report is where the drag ended.
void PanelsTest::evaluationReportsWhileDragging() {
    EvaluationPanel panel;
    QVERIFY(showReady(panel, scored_->fleet, scored_->analysis));
    QSignalSpy changed(&panel, &EvaluationPanel::thresholdChanged);
    QElapsedTimer drag;
    drag.start();
    int moves = 0;
    for (int position = 300; position <= 700; position += 20, ++moves) {
        panel.slider()->setValue(position);
        QTest::qWait(30);
    }
    const qint64 dragMs = drag.elapsed();
    const qsizetype duringDrag = changed.count();
    QVERIFY2(duringDrag >= 2, qPrintable(QStringLiteral("%1 reports during a %2 ms drag of %3 moves")
                                             .arg(duringDrag)
                                             .arg(dragMs)
                                             .arg(moves)));
    QVERIFY(duringDrag <= dragMs / 100 + 1);
    const double final = panel.threshold();
    QTRY_COMPARE(changed.last().first().toDouble(), final);
}

void PanelsTest::evaluationPerDeviceAtTheRunsThreshold() {
    EvaluationPanel panel;
    panel.resize(1300, 860);
    panel.show();
    panel.setData(scored_->fleet, scored_->analysis);
    // analyse() filled the per-device metrics; the table shows them before anything moves.
    const auto& perDevice = scored_->analysis.metrics.perDevice;
    QCOMPARE(perDevice.size(), std::size_t(3));
    QCOMPARE(panel.deviceTable()->rowCount(), 3);
    qint64 flagged = 0;
    for (int r = 0; r < 3; ++r) flagged += panel.deviceTable()->item(r, 2)->text().toLongLong();
    QCOMPARE(flagged, scored_->analysis.metrics.confusion.flagged());
    // Sorting by a numeric column sorts by the number, not the text.
    panel.deviceTable()->sortItems(1, Qt::DescendingOrder);
    QVERIFY(panel.deviceTable()->item(0, 1)->data(Qt::UserRole).toDouble() >=
            panel.deviceTable()->item(2, 1)->data(Qt::UserRole).toDouble());
}

void PanelsTest::evaluationWithoutGroundTruth() {
    FleetFeatures unlabelled = scored_->fleet;
    unlabelled.table.hasLabels = false;
    unlabelled.table.faultTag.assign(unlabelled.table.faultTag.size(), QString());
    auto metrics = evaluate(unlabelled.table, EvaluationOptions{});
    QVERIFY(metrics.ok());
    Analysis analysis = scored_->analysis;
    analysis.metrics = *metrics;
    EvaluationPanel panel;
    QVERIFY(showReady(panel, unlabelled, analysis));
    for (const char* name : {"Precision", "Recall", "F1"})
        QCOMPARE(panel.metricText(QString::fromLatin1(name)), EvaluationPanel::tr("no ground truth"));
    QVERIFY(!panel.metricText(QStringLiteral("Flagged")).isEmpty());
    saveShot(panel, QStringLiteral("evaluation_no_ground_truth"));
}

// ---- DeviceView
// ---------------------------------------------------------------------------------------------

void PanelsTest::deviceViewChartsAndZoom() {
    const ScoreTable& t = scored_->fleet.table;
    // The device with the most flags shows the most.
    int device = 0;
    std::size_t most = 0;
    for (int d = 0; d < t.devices.size(); ++d) {
        const std::size_t b = scored_->fleet.offset[std::size_t(d)],
                          e = scored_->fleet.offset[std::size_t(d) + 1];
        const auto n =
            std::size_t(std::count_if(scored_->analysis.flagged.begin(), scored_->analysis.flagged.end(),
                                      [&](std::size_t r) { return r >= b && r < e; }));
        if (n > most) {
            most = n;
            device = d;
        }
    }
    DeviceView view;
    view.resize(1300, 1300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setData(scored_->fleet, scored_->analysis, series(t.devices.at(device)), device);
    QVERIFY(view.hasData());
    QTRY_VERIFY(alignedPlots(view));
    QCOMPARE(view.families(), SensorCatalog::defaults().families());
    QCOMPARE(view.familyChartCount(), SensorCatalog::defaults().families().size());
    // Every family chart draws its channels, none is empty.
    for (int i = 0; i < view.familyChartCount(); ++i) {
        int points = 0;
        for (QAbstractSeries* s : view.familyChart(i)->series())
            if (auto* line = qobject_cast<QLineSeries*>(s);
                line && s->type() == QAbstractSeries::SeriesTypeLine)
                points += int(line->count());
        QVERIFY2(points > 0, qPrintable(view.families().at(i)));
    }
    // One marker per flagged row, or per pixel bucket (its highest score) when there are more flags than
    // pixels.
    const auto& marked = view.markedRows();
    QVERIFY(!marked.empty() && marked.size() <= most);
    QVERIFY(marked.size() == most || int(marked.size()) >= int(view.scoreChart()->plotArea().width()) / 2);
    for (std::size_t r : marked)
        QVERIFY(std::binary_search(scored_->analysis.flagged.begin(), scored_->analysis.flagged.end(), r) &&
                t.device[r] == device);

    // Zoom on one chart (as a rubber band does): every chart follows, the range is what the axis shows.
    QChart* first = view.familyChart(0);
    const QRectF pa = first->plotArea();
    QVERIFY(pa.width() > 100);
    first->zoomIn(QRectF(pa.left() + pa.width() / 4, pa.top(), pa.width() / 2, pa.height()));
    const qint64 from = view.visibleFromMs(), to = view.visibleToMs();
    QVERIFY(to - from < (t.tsMs[scored_->fleet.offset[std::size_t(device) + 1] - 1] -
                         t.tsMs[scored_->fleet.offset[std::size_t(device)]]) *
                            3 / 5);
    for (QChartView* v : view.chartViews()) {
        QDateTimeAxis* x = timeAxis(v->chart());
        QVERIFY(x);
        QCOMPARE(x->min(), timeAxis(first)->min());
        QCOMPARE(x->max(), timeAxis(first)->max());
    }
    // The traces are re-reduced for the new range: the score line covers exactly the visible rows (plus one
    // neighbour each side) once the coalescing timer has run.
    const auto begin = t.tsMs.begin() + std::ptrdiff_t(scored_->fleet.offset[std::size_t(device)]);
    const auto end = t.tsMs.begin() + std::ptrdiff_t(scored_->fleet.offset[std::size_t(device) + 1]);
    const auto inside = std::count_if(begin, end, [&](qint64 ms) { return ms >= from && ms <= to; });
    QLineSeries* score = nullptr;
    for (QAbstractSeries* s : view.scoreChart()->series())
        if (s->type() == QAbstractSeries::SeriesTypeLine && !score)
            score = static_cast<QLineSeries*>(s);
    QVERIFY(score);
    QTRY_VERIFY(score->count() <= inside + 2 && score->count() >= inside);

    view.resetZoom();
    QTRY_VERIFY(alignedPlots(view));
    saveShot(view, QStringLiteral("device_view"));
    // highlight() zooms around the event and keeps it in view.
    const qint64 ev = t.tsMs[scored_->analysis.flagged.front()];
    view.highlight(ev, ev + 60'000);
    QVERIFY(view.visibleFromMs() <= ev && view.visibleToMs() >= ev + 60'000);
}

void PanelsTest::deviceViewMarkerClick() {
    const ScoreTable& t = scored_->fleet.table;
    const std::size_t row = scored_->analysis.flagged.front();
    const int device = t.device[row];
    DeviceView view;
    view.resize(1200, 1100);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setData(scored_->fleet, scored_->analysis, series(t.devices.at(device)), device);
    // Zoom to the row so its marker stands apart, then click it.
    view.setVisibleRange(t.tsMs[row] - 120'000, t.tsMs[row] + 120'000);
    QTRY_VERIFY(alignedPlots(view));
    const auto& marked = view.markedRows();
    const auto it = std::find(marked.begin(), marked.end(), row);
    QVERIFY(it != marked.end());
    QSignalSpy clicked(&view, &DeviceView::flaggedRowClicked);
    QChartView* scoreView = view.chartViews().back();
    QTest::mouseClick(scoreView->viewport(), Qt::LeftButton, {},
                      view.markerPosition(std::size_t(it - marked.begin())));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().first().toULongLong(), qulonglong(row));
    // A click far from any marker is a rubber-band start, not a selection.
    QTest::mouseClick(scoreView->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
    QCOMPARE(clicked.count(), 1);
}

// ---- AlertsPanel + ExplanationView
// --------------------------------------------------------------------------

void PanelsTest::alertsPanelDrillDown() {
    AlertListModel model;
    AlertsPanel panel(&model);
    panel.resize(1800, 1100);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    connect(&panel, &AlertsPanel::seriesRequested, this,
            [&](const QString& device) { panel.setDeviceSeries(series(device)); });
    model.setAlerts(scored_->analysis.alerts);
    panel.setContext(scored_->fleet, scored_->analysis);
    // By default the list holds what was annunciated; events and suppressed alarms only when asked.
    const auto& all = scored_->analysis.alerts;
    const int annunciated =
        int(std::count_if(all.begin(), all.end(), [](const Alert& a) { return a.reachesOperator(); }));
    QCOMPARE(panel.visibleCount(), annunciated);
    panel.setShowAll(true);
    QCOMPARE(panel.visibleCount(), int(scored_->analysis.alerts.size()));

    // The alarm summary's order: the first by summaryBefore() on top (no journal here: every alarm is
    // unacknowledged, so the highest priority, then the newest).
    const QModelIndex top = panel.proxy()->index(0, AlertListModel::TimeColumn);
    const Alert first = *std::min_element(all.begin(), all.end(), [](const Alert& a, const Alert& b) {
        return summaryBefore({statusOfIncident(a).state(), a.severity, a.startMs, a.id},
                             {statusOfIncident(b).state(), b.severity, b.startMs, b.id});
    });
    QCOMPARE(top.data(AlertListModel::AlertIdRole).toString(), first.id);

    // Clicking the first alert shows the explanation core computed for its peak row.
    const QRect cell = panel.table()->visualRect(panel.proxy()->index(0, AlertListModel::DeviceColumn));
    QTest::mouseClick(panel.table()->viewport(), Qt::LeftButton, {}, cell.center());
    const Alert alert = model.alertAt(panel.proxy()->mapToSource(panel.proxy()->index(0, 0)).row());
    QCOMPARE(panel.currentAlertId(), alert.id);
    ExplanationView* ev = panel.explanationView();
    QVERIFY(ev->hasExplanation());
    QCOMPARE(*ev->row(), alert.peakRow);
    QCOMPARE(ev->device(), alert.device);
    QCOMPARE(ev->eventMs(), alert.peakMs);
    QVERIFY(ev->headerText().contains(alert.device));
    QVERIFY(ev->headerText().contains(formatUtcTimestampHuman(alert.peakMs)));
    // The drill-down shows the incident's attribution as core decided it over all its rows.
    QVERIFY(!alert.topFeatures.empty());
    QCOMPARE(int(ev->shownFeatures().size()), int(alert.topFeatures.size()));
    for (std::size_t i = 0; i < alert.topFeatures.size(); ++i) {
        QCOMPARE(ev->shownFeatures()[qsizetype(i)], alert.topFeatures[i].name);
        QCOMPARE(ev->shownPercents()[i], alert.topFeatures[i].percent);
    }
    QCOMPARE(int(ev->shownFamilies().size()), int(alert.families.size()));
    QCOMPARE(ev->shownFamilies().front(), alert.families.front().family);
    // They are summed over all its flagged rows, so they may differ from its peak row's; they name features
    // of the schema, in descending share.
    for (std::size_t i = 0; i < alert.topFeatures.size(); ++i) {
        QVERIFY(scored_->fleet.schema.indexOf(alert.topFeatures[i].name) >= 0);
        if (i > 0)
            QVERIFY(alert.topFeatures[i].percent <= alert.topFeatures[i - 1].percent);
    }
    // The traces came (seriesRequested was answered) and are around the event.
    QVERIFY(ev->traces()->hasData());
    QCOMPARE(ev->traces()->device(), alert.device);
    QVERIFY(ev->traces()->visibleFromMs() <= alert.startMs && ev->traces()->visibleToMs() >= alert.endMs);
    saveShot(panel, QStringLiteral("alerts_panel"));
    saveShot(*ev, QStringLiteral("explanation_view"));

    // A re-analysis at another threshold keeps the selection when the alert still exists.
    const Analysis higher = reanalyseAt(scored_->fleet, scored_->model, scored_->analysis,
                                        scored_->analysis.threshold + 0.01, options_);
    model.setAlerts(higher.alerts);
    panel.setContext(scored_->fleet, higher);
    if (model.rowOf(alert.id) >= 0) {
        QCOMPARE(panel.currentAlertId(), alert.id);
        QVERIFY(ev->hasExplanation());
    } else {
        QVERIFY(!ev->hasExplanation());
    }
}

void PanelsTest::alertsPanelFilters() {
    AlertListModel model;
    AlertsPanel panel(&model);
    model.setAlerts(scored_->analysis.alerts);
    panel.setContext(scored_->fleet, scored_->analysis);
    panel.setShowAll(true);
    const auto& alerts = scored_->analysis.alerts;
    auto expect = [&](const std::function<bool(const Alert&)>& keep) {
        return int(std::count_if(alerts.begin(), alerts.end(), keep));
    };
    panel.setSeverityFilter(AlertsPanel::SeverityFilter::WarningAndAbove);
    QCOMPARE(panel.visibleCount(), expect([](const Alert& a) { return a.severity >= Severity::Warning; }));
    panel.setSeverityFilter(AlertsPanel::SeverityFilter::CriticalOnly);
    QCOMPARE(panel.visibleCount(), expect([](const Alert& a) { return a.severity == Severity::Critical; }));
    panel.setSeverityFilter(AlertsPanel::SeverityFilter::All);
    const QString device = alerts.front().device;
    panel.setDeviceFilter(device);
    QCOMPARE(panel.visibleCount(), expect([&](const Alert& a) { return a.device == device; }));
    panel.setDeviceFilter({});
    const QString cause = alerts.front().cause;
    panel.setCauseFilter(cause);
    QCOMPARE(panel.visibleCount(), expect([&](const Alert& a) { return a.cause == cause; }));
    panel.setCauseFilter({});
    panel.setTextFilter(alerts.back().id);
    QCOMPARE(panel.visibleCount(), 1);
    panel.setTextFilter(QStringLiteral("no alert matches this"));
    QCOMPARE(panel.visibleCount(), 0);
    panel.setTextFilter({});
    QCOMPARE(panel.visibleCount(), int(alerts.size()));
}

// ---- the what-if and the alarm KPIs
// -------------------------------------------------------------------------------------------

// Away from the operating threshold the panel previews and says so; Apply asks the window for the previewed
// threshold, Revert returns to the operating one at once (and tells the window, which drops its preview).
void PanelsTest::evaluationPreviewBannerAndRevert() {
    EvaluationPanel panel;
    QVERIFY(showReady(panel, scored_->fleet, scored_->analysis));
    const double operating = scored_->analysis.threshold;
    QCOMPARE(panel.operatingThreshold(), operating);
    QVERIFY(!panel.isPreviewing());
    QVERIFY(panel.previewBanner()->isHidden());
    panel.setOperatingAlarms(scored_->analysis.kpis);
    QVERIFY2(panel.operatingAlarmsText().contains(
                 QStringLiteral("%1 annunciated").arg(scored_->analysis.kpis.annunciated)),
             qPrintable(panel.operatingAlarmsText()));

    QSignalSpy changed(&panel, &EvaluationPanel::thresholdChanged);
    QSignalSpy apply(&panel, &EvaluationPanel::applyRequested);
    const double t = operating + 0.01;
    panel.setThreshold(t);
    QVERIFY(panel.isPreviewing());
    QVERIFY(!panel.previewBanner()->isHidden());
    QVERIFY2(panel.previewText().contains(QStringLiteral("Preview at threshold %1").arg(t, 0, 'f', 4)),
             qPrintable(panel.previewText()));
    QVERIFY(panel.previewText().contains(QStringLiteral("not applied")));
    QVERIFY(panel.previewText().contains(QString::number(operating, 'f', 4)));
    QVERIFY(panel.previewAlarmsText().contains(QStringLiteral("Deriving")));
    // The window's derivation at that threshold is shown; one at a threshold the controls left is not.
    const Analysis preview = reanalyseAt(scored_->fleet, scored_->model, scored_->analysis, t, options_,
                                         SensorCatalog::defaults());
    panel.setPreviewAlarms(t + 0.005, preview.kpis);
    QVERIFY(panel.previewAlarmsText().contains(QStringLiteral("Deriving")));
    panel.setPreviewAlarms(t, preview.kpis);
    QVERIFY2(
        panel.previewAlarmsText().contains(QStringLiteral("%1 annunciated").arg(preview.kpis.annunciated)),
        qPrintable(panel.previewAlarmsText()));
    const int delta = preview.kpis.annunciated - scored_->analysis.kpis.annunciated;
    QVERIFY(panel.previewAlarmsText().contains(QStringLiteral("%1%2 annunciated against")
                                                   .arg(delta > 0 ? QStringLiteral("+") : QString())
                                                   .arg(delta)));
    QTRY_VERIFY(!changed.isEmpty());  // the throttled what-if request
    QCOMPARE(changed.last().first().toDouble(), t);

    QTest::mouseClick(panel.applyButton(), Qt::LeftButton);
    QCOMPARE(apply.count(), 1);
    QCOMPARE(apply.first().first().toDouble(), t);
    QCOMPARE(panel.operatingThreshold(), operating);  // the window decides; until then it is a preview

    changed.clear();
    QTest::mouseClick(panel.revertButton(), Qt::LeftButton);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().toDouble(), operating);
    QCOMPARE(panel.threshold(), operating);
    QVERIFY(!panel.isPreviewing());
    QVERIFY(panel.previewBanner()->isHidden());
    QVERIFY(panel.previewAlarmsText().isEmpty());

    // The window applied another threshold: the controls go there and it is no preview.
    panel.setOperatingThreshold(t);
    QCOMPARE(panel.threshold(), t);
    QVERIFY(!panel.isPreviewing());
    QVERIFY(panel.previewBanner()->isHidden());
    saveShot(panel, QStringLiteral("evaluation_operating"));
}

// Hand-made KPIs: every tile, table and line says what core computed.
void PanelsTest::alarmKpiPanelShowsKnownFigures() {
    AlarmKpis k;
    k.fromMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    k.toMs = k.fromMs + 35 * 60'000;
    k.incidents = 24;
    k.annunciated = 20;
    k.events = 3;
    k.suppressed = 1;
    k.periods = 4;
    k.perPeriod = {0, 4, 15, 1};
    k.perPeriodAverage = 5.0;
    k.perPeriodPeak = 15;
    k.periodsInFlood = 1;
    k.chattering = 2;
    k.standing = 5;
    k.standingOver24h = 1;
    k.byPriority = {15, 3, 2};  // low, medium, high
    k.topContributors = {{QStringLiteral("DEV-0001 · Thermal overload"), 8},
                         {QStringLiteral("DEV-0002 · Mechanical wear"), 4}};
    k.top10Share = 0.75;
    AlarmKpiPanel panel;
    panel.resize(1100, 600);
    panel.show();
    panel.setKpis(k, 0.6125);
    using F = AlarmKpiPanel::Figure;
    QCOMPARE(panel.figureText(F::Annunciated), QStringLiteral("20"));
    QCOMPARE(panel.figureText(F::AveragePer10Min), QStringLiteral("5.00"));
    QCOMPARE(panel.figureText(F::PeakPer10Min), QStringLiteral("15"));
    QCOMPARE(panel.figureText(F::FloodShare), QStringLiteral("25.0 %"));
    QCOMPARE(panel.figureText(F::Chattering), QStringLiteral("2"));
    QCOMPARE(panel.figureText(F::Standing), QStringLiteral("5 (1)"));
    QCOMPARE(panel.figureText(F::Suppressed), QStringLiteral("1"));
    QCOMPARE(panel.figureText(F::Events), QStringLiteral("3"));
    QCOMPARE(panel.figureText(F::Shelved), QStringLiteral("—"));  // until the journal is read
    std::array<int, kAlarmStateCount> states{};
    states[std::size_t(AlarmState::Shelved)] = 2;
    states[std::size_t(AlarmState::ActiveUnacked)] = 7;
    panel.setJournalCounts(states);
    QCOMPARE(panel.figureText(F::Shelved), QStringLiteral("2"));

    // Priorities: high, medium, low rows.
    QTableWidget* priorities = panel.priorityTable();
    QCOMPARE(priorities->item(0, 1)->text(), QStringLiteral("2"));
    QCOMPARE(priorities->item(0, 2)->text(), QStringLiteral("10.0 %"));
    QCOMPARE(priorities->item(1, 1)->text(), QStringLiteral("3"));
    QCOMPARE(priorities->item(1, 2)->text(), QStringLiteral("15.0 %"));
    QCOMPARE(priorities->item(2, 1)->text(), QStringLiteral("15"));
    QCOMPARE(priorities->item(2, 2)->text(), QStringLiteral("75.0 %"));
    QCOMPARE(priorities->item(2, 3)->text(), QStringLiteral("≈ 80 %"));
    QTableWidget* top = panel.contributorTable();
    QCOMPARE(top->rowCount(), 2);
    QCOMPARE(top->item(0, 0)->text(), QStringLiteral("DEV-0001 · Thermal overload"));
    QCOMPARE(top->item(0, 2)->text(), QStringLiteral("40.0 %"));

    // The rate: a step per period, each count held over its 10 minutes; the EEMUA lines at 1 and 10.
    const QList<QPointF> rate = panel.rateSeries()->points();
    QCOMPARE(rate.size(), 8);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(rate[2 * i].y(), double(k.perPeriod[std::size_t(i)]));
        QCOMPARE(rate[2 * i + 1].y(), double(k.perPeriod[std::size_t(i)]));
    }
    QChart* chart = panel.rateSeries()->chart();
    QStringList names;
    double maxLine = 0;
    for (QAbstractSeries* series : chart->series()) {
        names << series->name();
        if (series != panel.rateSeries())
            for (const QPointF& p : static_cast<QLineSeries*>(series)->points())
                maxLine = std::max(maxLine, p.y());
    }
    QVERIFY2(names.contains(QStringLiteral("1 per 10 min: manageable")), qPrintable(names.join(u'|')));
    QVERIFY2(names.contains(QStringLiteral("10 per 10 min: flood above")), qPrintable(names.join(u'|')));
    QCOMPARE(maxLine, 10.0);
    auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).first());
    QVERIFY(y);
    QVERIFY(y->max() >= 15);  // the peak and both lines in view
    saveShot(panel, QStringLiteral("alarm_kpis_known"));
}

// A real analysis: the panel shows its KPIs (the tiles and tables are core's numbers).
void PanelsTest::alarmKpiPanelShowsTheAnalysis() {
    const AlarmKpis& k = scored_->analysis.kpis;
    AlarmKpiPanel panel;
    panel.resize(1100, 600);
    panel.show();
    panel.setKpis(k, scored_->analysis.threshold);
    using F = AlarmKpiPanel::Figure;
    QCOMPARE(panel.figureText(F::Annunciated), QString::number(k.annunciated));
    QCOMPARE(panel.figureText(F::PeakPer10Min), QString::number(k.perPeriodPeak));
    QCOMPARE(panel.figureText(F::Chattering), QString::number(k.chattering));
    QCOMPARE(panel.figureText(F::Suppressed), QString::number(k.suppressed));
    QCOMPARE(panel.contributorTable()->rowCount(), int(k.topContributors.size()));
    int sum = 0;
    for (int r = 0; r < 3; ++r) sum += panel.priorityTable()->item(r, 1)->text().toInt();
    QCOMPARE(sum, k.annunciated);
    QCOMPARE(panel.rateSeries()->count(), int(2 * k.perPeriod.size()));  // 6 h: 36 periods, unreduced
    double total = 0;
    const QList<QPointF> rate = panel.rateSeries()->points();
    for (int i = 0; i < rate.size(); i += 2) total += rate[i].y();
    QCOMPARE(int(total), k.annunciated);
}

// Not ITAP_UI_TEST_MAIN: AUTOUIC takes any included "ui_*.h" for a generated form header.
int main(int argc, char* argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ITAP-test"));
    QCoreApplication::setApplicationName(QStringLiteral("PanelsTest"));
    QStandardPaths::setTestModeEnabled(true);
    PanelsTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "panels_test.moc"
