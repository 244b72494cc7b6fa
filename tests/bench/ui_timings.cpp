// ui_timings: how long the console takes for the two interactions that must feel instant on a large fleet.
//
//   (a) one threshold-slider move at 1M scored rows: what the evaluation panel does at once (ScoreIndex
//       evaluateAt, labels, operating point), what the window derives for the what-if on a worker
//       (reanalyseAt: flagged set, explanations reused, alerts re-derived, aggregation) and shows in the
//       evaluation panel (the preview's alarm line and per-device table), and what Apply adds (the alert
//       model reset and the panels refilled, as MainWindow::showAnalysis does);
//   (b) one device-view redraw with 100k points per channel: setData (copy, reduce per pixel, build the
//       charts) and grab() the widget.
//
// Synthetic but shaped like a real run: 10 devices × 100k rows at 10 s, fault episodes labelled, scores that
// separate faults from normal rows, explanations built with Explainer::fromContributions over the real
// feature schema. Run by hand (never timed in CTest):
//   QT_QPA_PLATFORM=offscreen build-ui/bin/ui_timings [--moves N] [--redraws N]
#include "alarm_kpi_panel.h"
#include "alerts_panel.h"
#include "device_leaderboard.h"
#include "device_view.h"
#include "evaluation_panel.h"
#include "fleet_overview.h"
#include "models/alert_list_model.h"
#include "pipeline/reanalysis.h"

#include "evaluate/score_index.h"
#include "explain/explainer.h"
#include "features/feature_engine.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>
#include <QSlider>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace itap;

namespace {

constexpr int kDevices = 10;
constexpr qint64 kRowsPerDevice = 100'000;
constexpr qint64 kT0 = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr qint64 kStepMs = 10'000;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

struct Synthetic {
    SensorCatalog catalog = SensorCatalog::defaults();
    FleetFeatures fleet;
    std::vector<DeviceSeries> series;  // device 0 only (the redraw benchmark)
};

// Fault episodes of 2–40 minutes, ~3 % of the rows; scores ~N(0.45, 0.03) normal, ~N(0.58, 0.06) in faults.
Synthetic makeFleet() {
    Synthetic s;
    const FeatureEngine engine(s.catalog, FeatureParams{});
    s.fleet.schema = engine.schema();
    ScoreTable& t = s.fleet.table;
    t.hasLabels = true;
    const std::size_t n = std::size_t(kDevices * kRowsPerDevice);
    t.device.reserve(n);
    t.tsMs.reserve(n);
    t.state.reserve(n);
    t.score.reserve(n);
    t.faultTag.reserve(n);
    t.train.reserve(n);
    std::mt19937_64 rng(42);
    std::normal_distribution<double> normal(0.45, 0.03), faulty(0.58, 0.06), noise(0, 1);
    std::uniform_real_distribution<double> unit(0, 1);
    const QStringList tags = fault::all();
    s.fleet.offset.push_back(0);
    for (int d = 0; d < kDevices; ++d) {
        t.devices << QStringLiteral("DEV-%1").arg(d + 1, 4, 10, QLatin1Char('0'));
        DeviceSeries series;
        series.deviceId = t.devices.back();
        const bool keep = d == 0;
        if (keep)
            series.channels.assign(std::size_t(s.catalog.size()), {});
        qint64 faultLeft = 0;
        QString tag;
        OpState state = OpState::Run;
        qint64 stateLeft = 1440;
        for (qint64 k = 0; k < kRowsPerDevice; ++k) {
            if (--stateLeft <= 0) {
                state = state == OpState::Run ? (unit(rng) < 0.05 ? OpState::Maint : OpState::Idle)
                                              : OpState::Run;
                stateLeft =
                    state == OpState::Run ? 720 + qint64(unit(rng) * 2000) : 60 + qint64(unit(rng) * 300);
            }
            if (faultLeft <= 0 && unit(rng) < 1.0 / 1500) {
                faultLeft = 12 + qint64(unit(rng) * 230);
                tag = tags[qsizetype(unit(rng) * double(tags.size())) % tags.size()];
            }
            const bool inFault = faultLeft-- > 0;
            const qint64 ts = kT0 + k * kStepMs;
            t.device.push_back(d);
            t.tsMs.push_back(ts);
            t.state.push_back(state);
            t.score.push_back(float(std::clamp(inFault ? faulty(rng) : normal(rng), 0.3, 0.95)));
            t.faultTag.push_back(inFault ? tag : QString());
            t.train.push_back(k < kRowsPerDevice * 3 / 10 ? kTrainSpan : 0);
            if (keep) {
                series.tsMs.push_back(ts);
                series.state.push_back(state);
                series.errorCode.push_back(0);
                series.faultTag.push_back(t.faultTag.back());
                for (int c = 0; c < s.catalog.size(); ++c) {
                    const ChannelSpec& spec = s.catalog.channel(c);
                    const double mid = 0.5 * (spec.min + spec.max), amp = 0.1 * (spec.max - spec.min);
                    series.channels[std::size_t(c)].push_back(mid + amp * std::sin(double(k) / 500.0 + c) +
                                                              0.02 * amp * noise(rng) + (inFault ? amp : 0));
                }
            }
        }
        s.fleet.offset.push_back(t.device.size());
        if (keep)
            s.series.push_back(std::move(series));
    }
    return s;
}

// Explanations for every row at or above `from`, as the Explainer would give them: the contributions lean on
// the family a row's fault tag points at.
Analysis explainedAbove(const FleetFeatures& fleet, double from) {
    Analysis a;
    a.threshold = from;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0, 1);
    const FeatureSchema& schema = fleet.schema;
    std::vector<double> contributions(std::size_t(schema.size()));
    for (std::size_t r = 0; r < fleet.table.size(); ++r) {
        if (!(double(fleet.table.score[r]) >= from))
            continue;
        a.flagged.push_back(r);
        const QString& tag = fleet.table.faultTag[r];
        const QString lean = tag == fault::kOverheat      ? QStringLiteral("Temperature")
                             : tag == fault::kBearingWear ? QStringLiteral("Vibration")
                             : tag == fault::kPowerSpike  ? QStringLiteral("Voltage")
                                                          : QString();
        for (int f = 0; f < schema.size(); ++f)
            contributions[std::size_t(f)] =
                unit(rng) * unit(rng) * (schema.families[std::size_t(f)] == lean ? 6.0 : 1.0);
        a.explanations.push_back(Explainer::fromContributions(r, contributions, schema));
    }
    // As the console's first analysis of a fleet: the threshold-independent incident inputs come with it.
    a.incidentInputs = IncidentInputs::of(fleet, AlertRules::defaults().incidents(), SignalLimits());
    return a;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
    int moves = 24, redraws = 7;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QStringLiteral("--moves"))
            moves = std::max(20, args[i + 1].toInt());
        if (args[i] == QStringLiteral("--redraws"))
            redraws = std::max(5, args[i + 1].toInt());
    }

    QElapsedTimer setup;
    setup.start();
    const Synthetic s = makeFleet();
    const ScoreTable& t = s.fleet.table;
    // MainWindow builds this with the first move and keeps it for the fleet.
    const ReanalysisCache cache = ReanalysisCache::build(t);
    if (!cache.index || !cache.perDevice) {
        std::fprintf(stderr, "ui_timings: the synthetic score table is malformed\n");
        return 1;
    }
    AnalysisOptions options;
    options.threads = 0;
    // The operator drags around the 99th percentile; everything the drags can flag is explained up front (as
    // after the first re-derivation at the lowest threshold), so the moves measure the reuse path.
    std::vector<float> sorted(t.score);
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() * 99 / 100), sorted.end());
    const double start = sorted[sorted.size() * 99 / 100];
    const Analysis explained = explainedAbove(s.fleet, start - 0.03);
    const AnomalyModel noModel;  // never consulted: every flagged row is already explained
    Analysis analysis = reanalyseAt(s.fleet, noModel, explained, start, options, s.catalog, &cache);
    std::printf("fleet: %zu scored rows, %d devices; %zu rows explained up front; setup %.1f s\n", t.size(),
                kDevices, explained.flagged.size(), double(setup.elapsed()) / 1000.0);

    // ---- (a) threshold slider
    // ------------------------------------------------------------------------------
    EvaluationPanel panel;
    panel.resize(1400, 900);
    panel.show();
    QSignalSpy ready(&panel, &EvaluationPanel::ready);
    panel.setData(s.fleet, analysis);
    if (!panel.isReady() && !ready.wait(120'000)) {
        std::fprintf(stderr, "ui_timings: the evaluation panel did not become ready\n");
        return 1;
    }
    AlertListModel alertModel;
    AlertsPanel alertsPanel(&alertModel);
    FleetOverview overview;
    DeviceLeaderboard leaderboard;
    AlarmKpiPanel kpiPanel;
    kpiPanel.resize(1100, 600);
    kpiPanel.show();
    panel.setOperatingAlarms(analysis.kpis);
    alertsPanel.resize(1400, 800);
    alertsPanel.show();
    alertModel.setAlerts(analysis.alerts);
    alertsPanel.setContext(s.fleet, analysis);
    overview.setData(s.fleet, analysis);

    std::vector<double> immediate, rederive, preview, reset;
    // The refill by part, to see where a frame goes.
    std::vector<double> partClear, partOverview, partLeaderboard, partAlertModel, partAlertsPanel, partKpis;
    const auto lap = [](QElapsedTimer& clock, std::vector<double>& into) {
        into.push_back(double(clock.nsecsElapsed()) / 1e6);
        clock.restart();
    };
    const int startPos = panel.slider()->value();
    for (int i = 0; i < moves; ++i) {
        // Back and forth over ±12 slider steps around the start, like a drag.
        const int pos = startPos + ((i % 2) ? -1 : 1) * (1 + i / 2);
        QElapsedTimer timer;
        timer.start();
        panel.slider()->setValue(pos);  // evaluateAt + labels + operating point, synchronously
        immediate.push_back(double(timer.nsecsElapsed()) / 1e6);
        const double threshold = panel.threshold();
        if (threshold < explained.threshold) {
            std::fprintf(stderr, "ui_timings: move %d left the explained range (%.4f < %.4f)\n", i, threshold,
                         explained.threshold);
            return 1;
        }
        timer.restart();
        // `explained` stands for the explanations the window has accumulated: lowering the threshold reuses
        // them here, where the console would explain the newly flagged rows (not part of this figure).
        Analysis next = reanalyseAt(s.fleet, noModel, explained, threshold, options, s.catalog, &cache);
        rederive.push_back(double(timer.nsecsElapsed()) / 1e6);
        // MainWindow::showPreview: the what-if's alarms and per-device metrics in the evaluation panel.
        timer.restart();
        panel.setPreviewAlarms(threshold, next.kpis);
        panel.setDeviceMetrics(threshold, next.metrics.perDevice);
        preview.push_back(double(timer.nsecsElapsed()) / 1e6);
        timer.restart();
        QElapsedTimer part;
        part.start();
        // MainWindow::showAnalysis: detach, swap, refill every panel that depends on the threshold.
        alertsPanel.clearContext();
        analysis = std::move(next);
        lap(part, partClear);
        overview.updateThreshold(s.fleet, analysis);  // as MainWindow does for the fleet it shows
        lap(part, partOverview);
        leaderboard.setDevices(analysis.aggregate.devices);
        lap(part, partLeaderboard);
        alertModel.setAlerts(analysis.alerts);
        lap(part, partAlertModel);
        alertsPanel.setContext(s.fleet, analysis);
        lap(part, partAlertsPanel);
        kpiPanel.setKpis(analysis.kpis, analysis.threshold);
        panel.setOperatingAlarms(analysis.kpis);
        lap(part, partKpis);
        reset.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::printf(
        "\n(a) threshold slider, %d moves at %zu rows (%zu flagged, %zu alerts at the last threshold)\n",
        moves, t.size(), analysis.flagged.size(), analysis.alerts.size());
    std::printf("    while dragging (evaluation panel: evaluateAt + labels + point)   median %8.2f ms\n",
                median(immediate));
    std::printf("    what-if on the worker: reanalyseAt (flagged, alerts, aggregation) median %8.2f ms\n",
                median(rederive));
    std::printf("    what-if shown: preview alarms + per-device table                 median %8.2f ms\n",
                median(preview));
    std::printf("    Apply: alert model reset + panels refilled                       median %8.2f ms\n",
                median(reset));
    std::printf(
        "      of which: detach + swap %.2f, fleet overview %.2f, leaderboard %.2f, alert model %.2f, "
        "alerts panel %.2f, alarm KPIs %.2f ms\n",
        median(partClear), median(partOverview), median(partLeaderboard), median(partAlertModel),
        median(partAlertsPanel), median(partKpis));
    std::vector<double> whatIf(immediate.size()), total(immediate.size());
    for (std::size_t i = 0; i < total.size(); ++i) {
        whatIf[i] = immediate[i] + rederive[i] + preview[i];
        total[i] = whatIf[i] + reset[i];
    }
    std::printf("    one what-if move (panel + reanalyseAt + preview shown)           median %8.2f ms\n",
                median(whatIf));
    std::printf("    one move applied (the above + Apply's refill)                    median %8.2f ms\n",
                median(total));

    // ---- (b) device view redraw
    // ----------------------------------------------------------------------------
    DeviceView view;
    view.setCatalog(s.catalog);
    view.resize(1600, 1000);
    view.show();
    std::vector<double> redraw, zoom;
    for (int i = 0; i < redraws; ++i) {
        QElapsedTimer timer;
        timer.start();
        view.setData(s.fleet, analysis, s.series.front(), 0);
        const QImage image = view.grab().toImage();
        redraw.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (image.isNull()) {
            std::fprintf(stderr, "ui_timings: grab() failed\n");
            return 1;
        }
        // A zoom into a tenth of the span: re-reduce the visible rows and repaint.
        timer.restart();
        const qint64 from = kT0 + (i + 1) * kRowsPerDevice * kStepMs / 20;
        view.setVisibleRange(from, from + kRowsPerDevice * kStepMs / 10);
        (void)view.grab();
        zoom.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("\n(b) device view, %lld points per channel, %d channels, %d redraws\n",
                static_cast<long long>(kRowsPerDevice), s.catalog.size(), redraws);
    std::printf("    setData (copy, reduce per pixel, build charts) + grab()          median %8.2f ms\n",
                median(redraw));
    std::printf("    zoom to 10 %% of the span (re-reduce) + grab()                    median %8.2f ms\n",
                median(zoom));
    return 0;
}
