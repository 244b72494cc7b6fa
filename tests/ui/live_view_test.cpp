// Live mode: the stream scored on the worker gives the alerts core's own stages give for the same samples;
// pause, stop and destruction mid-stream; the view's counters, list, chart and CRITICAL notification.
#include "live_view.h"
#include "live_session.h"
#include "main_window.h"
#include "models/alert_list_model.h"
#include "pipeline/live_engine.h"
#include "pipeline/session.h"
#include "simulate_dialog.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"
#include "telemetry/telemetry_csv_writer.h"

#include "ui/widget_test_main.h"

#include <QAbstractItemModelTester>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 120'000;

// Row `i` of a simulator batch at the precision the stream reports (and the store keeps).
const double* storedValues(const TelemetryBatch& b, std::size_t i, std::vector<double>& buffer) {
    buffer.resize(std::size_t(b.channelCount));
    for (int c = 0; c < b.channelCount; ++c)
        buffer[std::size_t(c)] = TelemetryCsvWriter::roundTrip(b.value(i, c));
    return buffer.data();
}

// What core computes for the first `liveRows` rows of `source`'s stream, with no ui/ code in between: the
// simulator's rows, one FeatureStream per device (fed the history too), AnomalyModel::score, the Explainer
// for flagged rows, an IncidentScoreFilter per device (fed the history's scores too) and an IncidentTracker
// that sees every live row.
std::vector<Alert> coreAlerts(const LiveSource& source, qint64 liveRows) {
    const PipelineResult& run = *source.result;
    const AnomalyModel& model = run.scored.model;
    auto config = pipelineConfigFromJson(model.featureConfig(), QStringLiteral("model"));
    if (!config)
        qFatal("model config: %s", qPrintable(config.error().toString()));
    const FeatureEngine engine(run.catalog, config->first);
    const Explainer explainer(model, engine.schema());
    IncidentTracker tracker(source.rules, source.threshold, engine.schema());
    tracker.setNormalTail(source.normalTail);
    const IncidentParams& params = source.rules.incidents();
    std::map<QString, FeatureStream> streams;
    std::map<QString, SignalHealth> health;
    std::map<QString, IncidentScoreFilter> filters;
    FeatureMatrix features{engine.featureCount(), std::vector<float>(std::size_t(engine.featureCount()))};
    std::vector<OpState> state(1);
    qint64 live = 0;
    std::vector<double> values;
    auto sink = [&](const TelemetryBatch& b) -> Status {
        for (std::size_t i = 0; i < b.rowCount() && live < liveRows; ++i) {
            auto it = streams.find(b.deviceId[i]);
            if (it == streams.end())
                it = streams.emplace(b.deviceId[i], engine.makeStream()).first;
            it->second.push(b.tsMs[i], b.state[i], storedValues(b, i, values), b.errorCode[i],
                            features.data.data());
            auto h = health.find(b.deviceId[i]);
            if (h == health.end())
                h = health.emplace(b.deviceId[i], SignalHealth(run.catalog)).first;
            h->second.push(b.tsMs[i], values.data());
            float score = 0;
            state[0] = b.state[i];
            model.score(b.deviceId[i], features, state, &score);
            auto f = filters.find(b.deviceId[i]);
            if (f == filters.end())
                f = filters.emplace(b.deviceId[i], IncidentScoreFilter(source.rules.incidents().filterMs()))
                        .first;
            const double filtered = double(float(f->second.push(b.tsMs[i], double(score))));
            if (b.tsMs[i] < source.liveFromMs)
                continue;
            const std::size_t row = std::size_t(live++);
            const int diagnostic =
                params.instrumentDiagnostics
                    ? signalDiagnosticAt(h->second, model.signalLimits(), b.tsMs[i], b.state[i],
                                         params.diagnosticFactor, params.diagnosticMinMs())
                    : -1;
            const ScoredRow scored{b.deviceId[i], b.tsMs[i],     b.state[i], score,
                                   filtered,      b.faultTag[i], row,        diagnostic};
            if (!(double(score) >= source.threshold)) {
                (void)tracker.push(scored, nullptr);
                continue;
            }
            const Explanation why = explainer.explain(row, b.deviceId[i], features.data.data(), b.state[i]);
            (void)tracker.push(scored, &why);
        }
        return {};
    };
    auto done = FleetSimulator(source.profile, run.catalog).generate(sink);
    if (!done)
        qFatal("simulate: %s", qPrintable(done.error().toString()));
    return tracker.alerts();
}

// The instrument diagnostics of two incidents, entry by entry.
void compareDiagnostics(const Alert& a, const Alert& b) {
    QCOMPARE(a.diagnostics.size(), b.diagnostics.size());
    for (std::size_t d = 0; d < a.diagnostics.size(); ++d) {
        QCOMPARE(a.diagnostics[d].channel, b.diagnostics[d].channel);
        QCOMPARE(a.diagnostics[d].condition, b.diagnostics[d].condition);
        QCOMPARE(a.diagnostics[d].firstMs, b.diagnostics[d].firstMs);
        QCOMPARE(a.diagnostics[d].lastMs, b.diagnostics[d].lastMs);
    }
}

void compareAlerts(const std::vector<Alert>& live, const std::vector<Alert>& core) {
    QCOMPARE(live.size(), core.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
        const Alert& a = live[i];
        const Alert& b = core[i];
        QCOMPARE(a.id, b.id);
        QCOMPARE(a.device, b.device);
        QCOMPARE(a.severity, b.severity);
        QCOMPARE(a.startMs, b.startMs);
        QCOMPARE(a.endMs, b.endMs);
        QCOMPARE(a.peakMs, b.peakMs);
        QCOMPARE(a.peakRow, b.peakRow);
        QCOMPARE(a.peakScore, b.peakScore);
        QCOMPARE(a.count, b.count);
        QCOMPARE(a.cause, b.cause);
        QCOMPARE(a.ruleId, b.ruleId);
        QCOMPARE(a.confidence, b.confidence);
        QCOMPARE(a.faultTag, b.faultTag);
        QCOMPARE(a.topFeatures.size(), b.topFeatures.size());
        for (std::size_t f = 0; f < a.topFeatures.size(); ++f) {
            QCOMPARE(a.topFeatures[f].name, b.topFeatures[f].name);
            QCOMPARE(a.topFeatures[f].percent, b.topFeatures[f].percent);
        }
        compareDiagnostics(a, b);
        if (QTest::currentTestFailed())
            return;
    }
}

}  // namespace

class LiveViewTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void continuationStartsAfterTheStoredSpan();
    void liveScoresEqualBatch();
    void liveAlertsEqualCore();
    void liveIncidentsEqualBatch();
    void pauseStopsTheRowCounter();
    void destroyedMidStream();
    void viewShowsTheStream();
    void mainWindowHasLiveTab();
    void liveIncidentsAreJournaled();
    void readOnlyDatabaseIsNotJournaled();

private:
    [[nodiscard]] LiveSource source(int liveHours = 24) const {
        return continuationOf(result_, profile_, result_->scored.analysis.threshold, liveHours);
    }

    QTemporaryDir dir_;
    SimulationProfile profile_;
    PipelineResultPtr result_;
};

void LiveViewTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    QVERIFY(dir_.isValid());
    SimulationSettings s;
    s.devices = 3;
    s.hours = 6;
    s.seed = 11;
    s.faultRateScale = 8;  // so the live hours carry faults, and alerts, soon
    PipelineRequest request;
    request.source = PipelineRequest::Source::Simulate;
    request.databasePath = dir_.filePath(QStringLiteral("fleet.db"));
    request.replaceDatabase = true;
    request.profile = s.toProfile(SimulationProfile::defaults());
    request.train.threads = 2;
    request.analysis.threads = 2;
    profile_ = request.profile;
    auto run = runPipeline(request, {});
    QVERIFY2(run.ok(), run.ok() ? "" : qPrintable(run.error().toString()));
    result_ = std::make_shared<const PipelineResult>(std::move(run).value());
    QVERIFY(!result_->scored.analysis.alerts.empty());
}

void LiveViewTest::continuationStartsAfterTheStoredSpan() {
    const LiveSource exact = source(24);
    QVERIFY(exact.exactContinuation);
    const qint64 lastStored =
        *std::max_element(result_->scored.fleet.table.tsMs.begin(), result_->scored.fleet.table.tsMs.end());
    QCOMPARE(exact.liveFromMs, lastStored + profile_.intervalS * 1000);
    QCOMPARE(exact.profile.hours, profile_.hours + 24);
    QCOMPARE(exact.profile.seed, profile_.seed);
    // Without the simulating profile (an opened database) a look-alike fleet starts at the same point.
    const LiveSource similar = continuationOf(result_, std::nullopt, 0.6, 24);
    QVERIFY(!similar.exactContinuation);
    QCOMPARE(similar.liveFromMs, exact.liveFromMs);
    QCOMPARE(similar.profile.devices, profile_.devices);
    QCOMPARE(similar.profile.intervalS, profile_.intervalS);
    QCOMPARE(similar.threshold, 0.6);
}

// Streaming the stored span itself, row by row, gives the batch pipeline's scores bit for bit: the live path
// is the same feature stream and model, not an approximation.
void LiveViewTest::liveScoresEqualBatch() {
    LiveSource src = source();
    auto engine = LiveEngine::create(std::shared_ptr<const AnomalyModel>(result_, &result_->scored.model),
                                     result_->catalog, src.rules, src.threshold);
    QVERIFY2(engine.ok(), engine.ok() ? "" : qPrintable(engine.error().toString()));
    const ScoreTable& t = result_->scored.fleet.table;
    std::map<std::pair<QString, qint64>, float> batch;
    for (std::size_t r = 0; r < t.size(); ++r) batch[{t.devices[t.device[r]], t.tsMs[r]}] = t.score[r];
    qint64 compared = 0, mismatched = 0;
    std::vector<double> values;
    auto sink = [&](const TelemetryBatch& b) -> Status {
        for (std::size_t i = 0; i < b.rowCount(); ++i) {
            const LiveRowResult r =
                (*engine)->push(b.deviceId[i], b.tsMs[i], b.state[i], storedValues(b, i, values),
                                b.errorCode[i], b.faultTag[i]);
            const auto it = batch.find({b.deviceId[i], b.tsMs[i]});
            if (it == batch.end())
                continue;
            ++compared;
            if (it->second != r.score)
                ++mismatched;
        }
        return {};
    };
    QVERIFY(FleetSimulator(profile_, result_->catalog).generate(sink).ok());
    QCOMPARE(compared, qint64(t.size()));
    QCOMPARE(mismatched, 0);
}

// Streaming the stored span through LiveEngine at the batch threshold gives the batch pipeline's incidents:
// same ids, spans, causes and instrument diagnostics (the batch path is the same tracker in a loop).
void LiveViewTest::liveIncidentsEqualBatch() {
    const Analysis& batch = result_->scored.analysis;
    const AlertRules rules = AlertRules::defaults();
    auto engine = LiveEngine::create(std::shared_ptr<const AnomalyModel>(result_, &result_->scored.model),
                                     result_->catalog, rules, batch.threshold);
    QVERIFY2(engine.ok(), engine.ok() ? "" : qPrintable(engine.error().toString()));
    QVERIFY(batch.incidentInputs && batch.incidentInputs->normalTail);
    (*engine)->setNormalTail(batch.incidentInputs->normalTail);
    std::vector<double> values;
    auto sink = [&](const TelemetryBatch& b) -> Status {
        for (std::size_t i = 0; i < b.rowCount(); ++i)
            (void)(*engine)->push(b.deviceId[i], b.tsMs[i], b.state[i], storedValues(b, i, values),
                                  b.errorCode[i], b.faultTag[i]);
        return {};
    };
    QVERIFY(FleetSimulator(profile_, result_->catalog).generate(sink).ok());
    std::vector<Alert> live = (*engine)->alerts();
    QCOMPARE(live.size(), batch.alerts.size());
    std::stable_sort(live.begin(), live.end(), [](const Alert& a, const Alert& b) {
        return a.startMs != b.startMs ? a.startMs < b.startMs : a.device < b.device;
    });
    int diagnosed = 0;
    for (std::size_t i = 0; i < live.size(); ++i) {
        const Alert& l = live[i];
        const Alert& b = batch.alerts[i];
        QCOMPARE(l.id, b.id);
        QCOMPARE(l.raisedMs, b.raisedMs);
        QCOMPARE(l.endMs, b.endMs);
        QCOMPARE(l.kind, b.kind);
        QCOMPARE(l.count, b.count);
        QCOMPARE(l.severity, b.severity);  // urgency measured against the same normal tail
        compareDiagnostics(l, b);
        if (QTest::currentTestFailed())
            return;
        diagnosed += b.diagnostics.empty() ? 0 : 1;
    }
    // The fixture's fleet (fault rate × 8) drops sensors: the comparison covered diagnosed incidents too.
    QVERIFY2(diagnosed > 0, "no incident with an instrument diagnostic in the fixture fleet");
}

void LiveViewTest::liveAlertsEqualCore() {
    LiveSession session;
    QSignalSpy stopped(&session, &LiveSession::stopped);
    QSignalSpy failed(&session, &LiveSession::failed);
    session.setSpeed(LiveSession::kMaxSpeed);
    session.setUnthrottled(true);
    const LiveSource src = source(48);
    QVERIFY(session.start(src));
    QVERIFY(!session.start(src));  // one stream at a time
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || (session.rows() > 0 && !session.alerts().empty()),
                             kTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kTimeoutMs);
    QVERIFY(!session.isRunning());
    QVERIFY(session.rows() > 0);
    QVERIFY(!session.alerts().empty());
    qInfo("%lld live rows, %lld flagged, %zu alerts", static_cast<long long>(session.rows()),
          static_cast<long long>(session.flagged()), session.alerts().size());
    compareAlerts(session.alerts(), coreAlerts(src, session.rows()));
    // Every incident's flags are counted among the session's flagged rows; flags of excursions shorter than
    // the on-delay belong to no incident.
    qint64 merged = 0;
    for (const Alert& a : session.alerts()) merged += a.count;
    QVERIFY(merged <= session.flagged());
}

void LiveViewTest::pauseStopsTheRowCounter() {
    LiveSession session;
    QSignalSpy stopped(&session, &LiveSession::stopped);
    session.setSpeed(LiveSession::kMaxSpeed);
    QVERIFY(session.start(source()));
    QTRY_VERIFY_WITH_TIMEOUT(session.rows() > 0, kTimeoutMs);
    session.setPaused(true);
    QVERIFY(session.isPaused());
    QTest::qWait(3 * LiveSession::kDeliveryIntervalMs);  // the last update before the pause arrives
    const qint64 paused = session.rows();
    QTest::qWait(500);
    QCOMPARE(session.rows(), paused);
    session.setPaused(false);
    QTRY_VERIFY_WITH_TIMEOUT(session.rows() > paused, kTimeoutMs);
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kTimeoutMs);
    QCOMPARE(stopped.first().first().toBool(), false);  // stopped, not run out
}

void LiveViewTest::destroyedMidStream() {
    for (const bool paused : {false, true}) {
        auto session = std::make_unique<LiveSession>();
        session->setUnthrottled(true);
        QVERIFY(session->start(source()));
        QTRY_VERIFY_WITH_TIMEOUT(session->rows() > 0, kTimeoutMs);
        if (paused)
            session->setPaused(true);
        session.reset();  // joins the worker; queued updates to the dead session are dropped
        QTest::qWait(2 * LiveSession::kDeliveryIntervalMs);
    }
}

void LiveViewTest::viewShowsTheStream() {
    LiveView view;
    view.resize(1100, 700);
    view.show();
    QAbstractItemModelTester tester(view.alertModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy notification(&view, &LiveView::notification);
    QVERIFY(!view.start());  // no run yet
    view.setRun(result_, profile_, result_->scored.analysis.threshold);
    view.setSpeed(1000);
    QCOMPARE(view.session()->speed(), 1000.0);
    QVERIFY(view.start());
    QTRY_VERIFY_WITH_TIMEOUT(view.alertModel()->rowCount() > 0, kTimeoutMs);
    QVERIFY(view.session()->rows() > 0);
    QCOMPARE(view.counterText(LiveView::Counter::Rows), QLocale().toString(view.session()->rows()));
    QVERIFY(view.scoreSeries()->count() > 0);
    const QList<QPointF> threshold = view.thresholdSeries()->points();
    QCOMPARE(threshold.size(), 2);
    QCOMPARE(threshold.first().y(), result_->scored.analysis.threshold);
    // Newest first, like the alerts tab; every alert the session has is listed.
    QCOMPARE(view.alertModel()->rowCount(), int(view.session()->alerts().size()));
    for (int r = 1; r < view.alertModel()->rowCount(); ++r)
        QVERIFY(view.alertModel()->alertAt(r - 1).startMs >= view.alertModel()->alertAt(r).startMs);
    view.alertTable()->selectRow(0);
    // Switching the chart to one device shows that device's scores.
    view.showDevice(view.session()->devices().first());
    QVERIFY(view.scoreSeries()->name().contains(view.session()->devices().first()));

    // A CRITICAL alert raises the banner and a status-bar notification, once per alert.
    const auto& alerts = view.session()->alerts();
    const bool anyCritical = std::any_of(alerts.begin(), alerts.end(),
                                         [](const Alert& a) { return a.severity == Severity::Critical; });
    if (anyCritical) {
        QVERIFY(view.isBannerVisible());
        QVERIFY(view.bannerText().contains(QStringLiteral("CRITICAL")));
        QVERIFY(!notification.isEmpty());
    }
    view.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!view.session()->isRunning(), kTimeoutMs);
    // A new run stops nothing that is not running and can be started again.
    view.setRun(result_, profile_, 0.9);
    QCOMPARE(view.source().threshold, 0.9);
    QVERIFY(view.start());
    view.clearRun();
    QTRY_VERIFY_WITH_TIMEOUT(!view.session()->isRunning(), kTimeoutMs);
}

void LiveViewTest::mainWindowHasLiveTab() {
    MainWindow window;
    QCOMPARE(MainWindow::viewKey(MainWindow::View::Live), QStringLiteral("live"));
    QCOMPARE(window.viewWidget(MainWindow::View::Live), static_cast<QWidget*>(window.liveView()));
}

// On the run's writable database, every incident the stream raises (and clears) is recorded in the alarm
// journal with a stable id, and the view says where; the GUI gets each with that id.
void LiveViewTest::liveIncidentsAreJournaled() {
    QCOMPARE(result_->journalUse, JournalUse::Record);
    LiveSession session;
    QSignalSpy stopped(&session, &LiveSession::stopped);
    QSignalSpy journalFailed(&session, &LiveSession::journalFailed);
    std::map<QString, Alert> journaled;  // by stable id, latest state
    connect(&session, &LiveSession::journaled, this, [&](const std::vector<Alert>& alarms) {
        for (const Alert& a : alarms) journaled[a.id] = a;
    });
    session.setUnthrottled(true);
    const LiveSource src = source(24);
    QCOMPARE(src.journalDatabase, result_->databasePath);
    QVERIFY(session.start(src));
    QTRY_VERIFY_WITH_TIMEOUT(session.alerts().size() >= 2, kTimeoutMs);
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kTimeoutMs);
    QVERIFY2(journalFailed.isEmpty(),
             journalFailed.isEmpty() ? "" : qPrintable(journalFailed.first().first().toString()));
    // The last changes are recorded when the stream stops: one stable id per live incident.
    QCOMPARE(journaled.size(), session.alerts().size());
    auto store = Store::open(result_->databasePath, nullptr);
    QVERIFY(store.ok());
    auto alarms = (*store)->readAlarms({});
    QVERIFY(alarms.ok());
    for (const auto& [id, alert] : journaled) {
        const auto r =
            std::find_if(alarms->begin(), alarms->end(), [&](const AlarmRecord& x) { return x.id == id; });
        QVERIFY2(r != alarms->end(), qPrintable(id));
        QCOMPARE(r->device, alert.device);
        QCOMPARE(r->status.active, alert.active());
        QCOMPARE(r->startMs, alert.startMs);
        auto rows = (*store)->readJournal(id);
        QVERIFY(rows.ok());
        QVERIFY(!rows->empty());
        QCOMPARE(rows->back().operatorName, AlarmJournal::kSystemOperator);
    }
    LiveView view;
    view.setRun(result_, profile_, result_->scored.analysis.threshold);
    QVERIFY2(view.journalText().contains(QLatin1String("recorded in the alarm journal")),
             qPrintable(view.journalText()));
}

// A run on a database the console may only read: the stream is not journaled, and the view says so; a
// journal database that turns out read-only stops journaling, not the stream.
void LiveViewTest::readOnlyDatabaseIsNotJournaled() {
    auto readOnly = std::make_shared<PipelineResult>(*result_);
    readOnly->journalUse = JournalUse::ReadOnly;
    const PipelineResultPtr ro = readOnly;
    QVERIFY(continuationOf(ro, profile_, 0.6, 24).journalDatabase.isEmpty());
    LiveView view;
    view.setRun(ro, profile_, ro->scored.analysis.threshold);
    QVERIFY2(view.journalText().contains(QLatin1String("not journaled")), qPrintable(view.journalText()));

    LiveSession session;
    QSignalSpy journalFailed(&session, &LiveSession::journalFailed);
    QSignalSpy journaledSpy(&session, &LiveSession::journaled);
    QSignalSpy failed(&session, &LiveSession::failed);
    session.setUnthrottled(true);
    LiveSource src = source(24);
    src.journalDatabase = QStringLiteral("file:%1?mode=ro").arg(result_->databasePath);
    QVERIFY(session.start(src));
    QTRY_COMPARE_WITH_TIMEOUT(journalFailed.count(), 1, kTimeoutMs);
    QVERIFY(journalFailed.first().first().toString().contains(QLatin1String("read-only")));
    QTRY_VERIFY_WITH_TIMEOUT(session.rows() > 0, kTimeoutMs);
    session.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!session.isRunning(), kTimeoutMs);
    QVERIFY(failed.isEmpty());
    QVERIFY(journaledSpy.isEmpty());
}

ITAP_UI_TEST_MAIN(LiveViewTest)
#include "live_view_test.moc"
