#include "pipeline_controller.h"

#include "common/json_util.h"
#include "simulate_dialog.h"
#include "storage/store.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 180'000;  // generous: a failure to finish, not slowness, is what is tested

PipelineRequest smallSimulation(const QString& databasePath) {
    SimulationSettings s;
    s.devices = 3;
    s.hours = 6;
    s.faultRateScale = 4;  // six hours is short: make sure faults (and alerts) occur
    PipelineRequest request;
    request.source = PipelineRequest::Source::Simulate;
    request.databasePath = databasePath;
    request.replaceDatabase = true;
    request.profile = s.toProfile(SimulationProfile::defaults());
    request.train.threads = 2;
    request.analysis.threads = 2;
    return request;
}

}  // namespace

class PipelineControllerTest : public QObject {
    Q_OBJECT

private slots:
    // The controller's run is the fixture of the tests below.
    void initTestCase() {
        QVERIFY(dir_.isValid());
        PipelineController controller;
        QSignalSpy started(&controller, &PipelineController::started);
        QSignalSpy progress(&controller, &PipelineController::progress);
        QSignalSpy finished(&controller, &PipelineController::finished);
        QSignalSpy failed(&controller, &PipelineController::failed);
        QVERIFY(controller.start(smallSimulation(dir_.filePath(QStringLiteral("fleet.db")))));
        QCOMPARE(started.count(), 1);
        QVERIFY(controller.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(finished.count(), 1);
        QVERIFY(!controller.isRunning());
        result_ = finished.first().first().value<PipelineResultPtr>();
        QVERIFY(result_);

        QVERIFY(!progress.isEmpty());
        double last = 0;
        for (const QList<QVariant>& p : progress) {
            const double f = p.at(0).toDouble();
            QVERIFY2(f >= last && f <= 1.0, qPrintable(QString::number(f)));
            QVERIFY(!p.at(1).toString().isEmpty());
            last = f;
        }
    }

    void resultHoldsTheWholeFleet() {
        const qint64 expectedRows = 3 * 6 * 3600 / 10;
        QCOMPARE(result_->storedRows, expectedRows);
        QVERIFY(result_->simulation.has_value());
        QCOMPARE(result_->simulation->rows, expectedRows);
        QVERIFY(result_->ingest.has_value());
        QCOMPARE(result_->ingest->run.inserted, expectedRows);
        QVERIFY(QFileInfo::exists(result_->csvPath));
        QCOMPARE(result_->scored.fleet.table.devices.size(), 3);
        QCOMPARE(qint64(result_->scored.fleet.table.size()), expectedRows);
        QCOMPARE(int(result_->scored.analysis.aggregate.devices.size()), 3);
        QCOMPARE(result_->scored.model.threshold(), result_->scored.analysis.threshold);
    }

    // The controller adds threading, nothing else: the same request run directly gives the same analysis.
    void matchesDirectRun() {
        QTemporaryDir other;
        auto direct = runPipeline(smallSimulation(other.filePath(QStringLiteral("fleet.db"))), {});
        QVERIFY2(direct.ok(), direct.ok() ? "" : qPrintable(direct.error().toString()));
        const Analysis& a = direct->scored.analysis;
        const Analysis& b = result_->scored.analysis;
        QCOMPARE(a.threshold, b.threshold);
        QCOMPARE(a.flagged, b.flagged);
        QCOMPARE(a.alerts.size(), b.alerts.size());
        for (std::size_t i = 0; i < a.alerts.size(); ++i) QCOMPARE(a.alerts[i].id, b.alerts[i].id);
        QCOMPARE(direct->scored.fleet.table.score, result_->scored.fleet.table.score);
    }

    void cancelRightAfterStart() {
        QTemporaryDir tmp;
        PipelineController controller;
        QSignalSpy finished(&controller, &PipelineController::finished);
        QSignalSpy failed(&controller, &PipelineController::failed);
        QSignalSpy cancelled(&controller, &PipelineController::cancelled);
        QVERIFY(controller.start(smallSimulation(tmp.filePath(QStringLiteral("fleet.db")))));
        controller.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!controller.isRunning());
        // A cancelled controller runs again.
        QVERIFY(controller.start(smallSimulation(tmp.filePath(QStringLiteral("again.db")))));
        controller.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 2, kTimeoutMs);
    }

    // Cancel in the middle of an ingest into a database that already holds data: the batches the stage had
    // stored are rolled back with it, and the database is as it was before the stage.
    void cancelDuringIngestLeavesTheDatabaseAsBefore() {
        QTemporaryDir tmp;
        const QString db = tmp.filePath(QStringLiteral("fleet.db"));
        auto first = runPipeline(smallSimulation(db), {});
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
        const qint64 before = first->storedRows;

        // 12 devices x 12 h = 51,840 new rows: three ingest batches of 20,000, so the stage has committed-
        // looking batches behind it when the cancel comes.
        PipelineRequest more = smallSimulation(db);
        more.replaceDatabase = false;
        SimulationSettings s;
        s.devices = 12;
        s.hours = 12;
        s.seed = 7;
        more.profile = s.toProfile(SimulationProfile::defaults());
        double cancelledAt = -1;
        auto run = runPipeline(more, [&](double fraction, const QString&) {
            // Ingest spans 0.2-0.45 of a simulation run: validating the file up to 0.325, then storing it
            // batch by batch (the first of three reports ≈ 0.37). Stop once a batch has been stored.
            if (fraction > 0.34 && fraction < 0.45) {
                cancelledAt = fraction;
                return false;
            }
            return true;
        });
        QVERIFY(!run.ok());
        QCOMPARE(run.error().kind, Error::Kind::Cancelled);
        QVERIFY2(cancelledAt > 0, "the run never reached the middle of its ingest");

        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto rows = (*store)->rowCount();
        QVERIFY(rows.ok());
        QCOMPARE(*rows, before);
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t{1});  // only the first run's record
    }

    void oneRunAtATime() {
        QTemporaryDir tmp;
        PipelineController controller;
        QSignalSpy cancelled(&controller, &PipelineController::cancelled);
        QSignalSpy started(&controller, &PipelineController::started);
        QVERIFY(controller.start(smallSimulation(tmp.filePath(QStringLiteral("a.db")))));
        QVERIFY(!controller.start(smallSimulation(tmp.filePath(QStringLiteral("b.db")))));
        QCOMPARE(started.count(), 1);
        controller.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
    }

    void destroyedWhileRunning() {
        QTemporaryDir tmp;
        auto controller = std::make_unique<PipelineController>();
        QVERIFY(controller->start(smallSimulation(tmp.filePath(QStringLiteral("fleet.db")))));
        controller.reset();  // cancels and waits; must not crash or leave the worker writing
    }

    void failsWithOneLine_data() {
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing database")
            << QStringLiteral("does-not-exist/fleet.db") << QStringLiteral("fleet.db");
        QTest::newRow("empty path") << QString() << QStringLiteral("no database");
    }

    void failsWithOneLine() {
        QFETCH(QString, database);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        PipelineController controller;
        QSignalSpy finished(&controller, &PipelineController::finished);
        QSignalSpy failed(&controller, &PipelineController::failed);
        PipelineRequest request;
        request.source = PipelineRequest::Source::Database;
        request.databasePath = database.isEmpty() ? QString() : tmp.filePath(database);
        QVERIFY(controller.start(request));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QCOMPARE(finished.count(), 0);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
    }

    void loadsOneDevice_data() {
        QTest::addColumn<QString>("device");
        QTest::addColumn<int>("rows");
        QTest::newRow("known") << QStringLiteral("DEV-0002") << 6 * 360;
        QTest::newRow("unknown") << QStringLiteral("DEV-9999") << 0;
    }

    void loadsOneDevice() {
        QFETCH(QString, device);
        QFETCH(int, rows);
        PipelineController controller;
        QSignalSpy loaded(&controller, &PipelineController::deviceLoaded);
        QSignalSpy failed(&controller, &PipelineController::deviceLoadFailed);
        controller.loadDevice(result_->databasePath, device);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() > 0, kTimeoutMs);
        QCOMPARE(loaded.count(), 1);
        const auto series = loaded.first().first().value<DeviceSeriesPtr>();
        QVERIFY(series);
        QCOMPARE(int(series->size()), rows);
        if (rows > 0)
            QCOMPARE(series->deviceId, device);
    }

    void concurrentDeviceRequestsEachAnswer() {
        PipelineController controller;
        QSignalSpy loaded(&controller, &PipelineController::deviceLoaded);
        controller.loadDevice(result_->databasePath, QStringLiteral("DEV-0001"));
        controller.loadDevice(result_->databasePath, QStringLiteral("DEV-0003"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
        QSet<QString> devices;
        for (const QList<QVariant>& answer : loaded)
            devices.insert(answer.first().value<DeviceSeriesPtr>()->deviceId);
        QCOMPARE(devices, (QSet<QString>{QStringLiteral("DEV-0001"), QStringLiteral("DEV-0003")}));
    }

    void exportsEveryArtifact() {
        QTemporaryDir out;
        Analysis analysis = result_->scored.analysis;
        auto written = exportArtifacts(*result_, analysis, out.path());
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().toString()));
        for (const char* name : {"metrics.json", "explanations_top.json", "aggregate_summaries.json",
                                 "alerts.json", "validation_report.json"}) {
            const QString path = out.filePath(QString::fromLatin1(name));
            QVERIFY2(written->contains(path), name);
            auto json = readJsonFile(path);
            QVERIFY2(json.ok(), name);
            QVERIFY2(json->contains("schema_version"), name);
        }
        auto model = AnomalyModel::load(out.filePath(QStringLiteral("model.itapm")));
        QVERIFY(model.ok());
        QCOMPARE(model->threshold(), analysis.threshold);
    }

private:
    QTemporaryDir dir_;
    PipelineResultPtr result_;
};

QTEST_GUILESS_MAIN(PipelineControllerTest)
#include "pipeline_controller_test.moc"
