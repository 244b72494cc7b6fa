#include "main_window.h"

#include "device_leaderboard.h"
#include "fleet_overview.h"
#include "models/alert_list_model.h"
#include "models/device_summary_model.h"
#include "simulate_dialog.h"
#include "ui/widget_test_main.h"

#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 180'000;

SimulationSettings smallFleet() {
    SimulationSettings s;
    s.devices = 3;
    s.hours = 6;
    s.faultRateScale = 4;
    return s;
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QLocale::setDefault(QLocale::c());
        QVERIFY(dir_.isValid());
        QSettings().clear();
    }

    void showsASimulatedFleet() {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy deviceShown(&window, &MainWindow::deviceShown);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        const QString db = dir_.filePath(QStringLiteral("fleet.db"));
        QVERIFY(window.simulate(smallFleet(), db, true));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        const PipelineResultPtr result = window.result();
        QVERIFY(result);
        const Analysis& analysis = result->scored.analysis;
        const FleetSummary& fleet = analysis.aggregate.fleet;

        // Leaderboard: one row per device, in the aggregator's order.
        QCOMPARE(window.leaderboard()->model()->rowCount(), 3);
        QCOMPARE(window.leaderboard()->model()->rowCount(), int(result->scored.fleet.table.devices.size()));
        QCOMPARE(window.leaderboard()->view()->model()->rowCount(), 3);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(window.leaderboard()->model()->deviceAt(r).device,
                     analysis.aggregate.devices[std::size_t(r)].device);

        // KPIs are the core's numbers.
        const FleetOverview* overview = window.fleetOverview();
        auto kpi = [&](FleetOverview::Kpi k) { return QLocale().toDouble(overview->kpiText(k)); };
        QCOMPARE(kpi(FleetOverview::Kpi::Devices), double(fleet.devices));
        QCOMPARE(kpi(FleetOverview::Kpi::Devices), 3.0);
        QCOMPARE(kpi(FleetOverview::Kpi::Rows), double(result->storedRows));
        QCOMPARE(kpi(FleetOverview::Kpi::FlaggedRows), double(analysis.flagged.size()));
        QCOMPARE(kpi(FleetOverview::Kpi::DevicesAffected), double(fleet.devicesAffected));
        QCOMPARE(kpi(FleetOverview::Kpi::CriticalAlerts),
                 double(fleet.alertsBySeverity[std::size_t(Severity::Critical)]));
        QCOMPARE(kpi(FleetOverview::Kpi::WarningAlerts),
                 double(fleet.alertsBySeverity[std::size_t(Severity::Warning)]));
        QCOMPARE(kpi(FleetOverview::Kpi::InfoAlerts),
                 double(fleet.alertsBySeverity[std::size_t(Severity::Info)]));
        QCOMPARE(kpi(FleetOverview::Kpi::SystemicPatterns), double(fleet.systemicPatterns));
        QCOMPARE(overview->kpiText(FleetOverview::Kpi::Threshold),
                 QLocale().toString(analysis.threshold, 'f', 3));
        QCOMPARE(overview->histogramTotal(), qint64(result->scored.fleet.table.size()));
        QCOMPARE(overview->patternRows(), int(fleet.patterns.size()));

        // Alerts: every core alert, newest first.
        QCOMPARE(window.alertModel()->rowCount(), int(analysis.alerts.size()));

        // The worst device is selected and its telemetry shown.
        QTRY_COMPARE_WITH_TIMEOUT(deviceShown.count(), 1, kTimeoutMs);
        QCOMPARE(deviceShown.first().first().toString(), analysis.aggregate.devices.front().device);
        QCOMPARE(window.leaderboard()->selectedDevice(), analysis.aggregate.devices.front().device);

        // Selecting another device in the leaderboard loads that one.
        const QString other = analysis.aggregate.devices.back().device;
        QVERIFY(window.leaderboard()->selectDevice(other));
        QTRY_COMPARE_WITH_TIMEOUT(deviceShown.count(), 2, kTimeoutMs);
        QCOMPARE(deviceShown.last().first().toString(), other);

        QVERIFY2(window.statusText().contains(QStringLiteral("fleet.db")), qPrintable(window.statusText()));
        QCOMPARE(QSettings().value(QStringLiteral("database/last")).toString(),
                 QFileInfo(db).absoluteFilePath());
    }

    // The evaluation panel's threshold re-derives the alerts and the aggregation; every panel follows.
    void followsTheThreshold() {
        MainWindow window;
        window.resize(1400, 900);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy changed(&window, &MainWindow::analysisChanged);
        QVERIFY(window.restoreLastDatabase());
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QWidget* evaluation = window.viewWidget(MainWindow::View::Evaluation);
        const Analysis& before = window.result()->scored.analysis;
        // Halfway between the selected threshold and the top score: fewer rows flagged, fewer alerts.
        float top = 0;
        for (float score : window.result()->scored.fleet.table.score) top = std::max(top, score);
        const double threshold = std::round((before.threshold + top) / 2 * 1e4) / 1e4;
        // The panel becomes live once its score index is built.
        QTRY_VERIFY_WITH_TIMEOUT(
            evaluation->findChild<QSlider*>() && evaluation->findChild<QSlider*>()->isEnabled(), kTimeoutMs);
        QVERIFY(QMetaObject::invokeMethod(evaluation, "setThreshold", Q_ARG(double, threshold)));
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1, kTimeoutMs);
        const Analysis& after = window.analysis();
        QCOMPARE(after.threshold, threshold);
        QVERIFY(after.flagged.size() < before.flagged.size());
        QCOMPARE(window.alertModel()->rowCount(), int(after.alerts.size()));
        QCOMPARE(QLocale().toDouble(window.fleetOverview()->kpiText(FleetOverview::Kpi::FlaggedRows)),
                 double(after.flagged.size()));
        QCOMPARE(window.fleetOverview()->kpiText(FleetOverview::Kpi::Threshold),
                 QLocale().toString(threshold, 'f', 3));
        QCOMPARE(window.leaderboard()->model()->rowCount(), int(after.aggregate.devices.size()));
        // The per-device metrics come with the re-analysis, at its threshold, and the evaluation view shows
        // them.
        const auto perDevice = evaluatePerDevice(window.result()->scored.fleet.table, threshold);
        QVERIFY(perDevice.ok());
        QCOMPARE(after.metrics.perDevice.size(), perDevice->size());
        auto* deviceTable = evaluation->findChild<QTableWidget*>(QStringLiteral("deviceMetricsTable"));
        QVERIFY(deviceTable);
        QCOMPARE(deviceTable->rowCount(), int(perDevice->size()));
        qint64 shownFlagged = 0, coreFlagged = 0;
        for (int r = 0; r < deviceTable->rowCount(); ++r)
            shownFlagged += deviceTable->item(r, 2)->text().toLongLong();
        for (const DeviceMetrics& d : *perDevice) coreFlagged += d.confusion.flagged();
        QCOMPARE(shownFlagged, coreFlagged);
        // The run's own analysis is untouched: it is what a re-export at the selected threshold uses.
        QCOMPARE(window.result()->scored.analysis.threshold, before.threshold);
    }

    void reopensTheLastDatabase() {
        MainWindow window;
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QVERIFY(window.restoreLastDatabase());  // the previous test's database
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QCOMPARE(window.leaderboard()->model()->rowCount(), 3);
        QVERIFY(!window.result()->ingest.has_value());  // opened, not re-ingested
    }

    void cancelKeepsTheWindowUsable() {
        MainWindow window;
        QSignalSpy cancelled(window.controller(), &PipelineController::cancelled);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QVERIFY(window.simulate(smallFleet(), dir_.filePath(QStringLiteral("cancelled.db")), true));
        QVERIFY(!window.simulate(smallFleet(), dir_.filePath(QStringLiteral("second.db")), true));
        window.controller()->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
        QCOMPARE(shown.count(), 0);
        QVERIFY(!window.result());
        QVERIFY2(window.statusText().contains(QStringLiteral("Cancelled")), qPrintable(window.statusText()));
    }

    // A read-only database (here a SQLite URI with mode=ro&immutable=1) loads and scores, and the status bar
    // says that the scores were not stored; a writable one says nothing of the kind.
    void readOnlyDatabaseSaysScoresWereNotStored() {
        const QString db = dir_.filePath(QStringLiteral("readonly.db"));
        {
            MainWindow window;
            QSignalSpy shown(&window, &MainWindow::resultShown);
            QVERIFY(window.simulate(smallFleet(), db, true));
            QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
            QVERIFY(window.result()->scored.scoresStored);
            QVERIFY2(!window.statusText().contains(QStringLiteral("not stored")),
                     qPrintable(window.statusText()));
        }
        MainWindow window;
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        QVERIFY(window.openDatabase(QStringLiteral("file:%1?mode=ro&immutable=1").arg(db)));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(!window.result()->scored.scoresStored);
        QVERIFY2(window.statusText().contains(QStringLiteral("Scores not stored: the database is read-only")),
                 qPrintable(window.statusText()));
        auto* notice = window.findChild<QLabel*>(QStringLiteral("runNotice"));
        QVERIFY(notice);
        QVERIFY(notice->isVisible());

        // The next run on a writable database clears the notice.
        QVERIFY(window.openDatabase(db));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeoutMs);
        QVERIFY(!notice->isVisible());
        QVERIFY2(!window.statusText().contains(QStringLiteral("not stored")),
                 qPrintable(window.statusText()));
    }

    // Importing rows stored before with other values keeps the stored ones, as `itap import` does; the
    // console says how many, with the first example in the status bar and every example in its tooltip.
    void importShowsConflicts() {
        const QString db = dir_.filePath(QStringLiteral("conflicts.db"));
        MainWindow window;
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        QVERIFY(window.simulate(smallFleet(), db, true));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QFile simulated(window.result()->csvPath);
        QVERIFY(simulated.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = simulated.readAll().split('\n');
        QList<QByteArray> fields = lines[1].split(',');
        QCOMPARE(fields[3].isEmpty(), false);
        const QByteArray stored = fields[3];
        fields[3] = QByteArray::number(stored.toDouble() + 1.5);
        lines[1] = fields.join(',');
        const QString corrected = dir_.filePath(QStringLiteral("corrected.csv"));
        QFile out(corrected);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines.join('\n'));
        out.close();

        QVERIFY(window.importCsv(corrected, db));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 1, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(window.result()->ingest->conflicts.count, qint64(1));
        const QString status = window.statusText();
        QVERIFY2(
            status.contains(QStringLiteral("Imported rows in conflict with stored rows: 1; the stored values "
                                           "were kept")),
            qPrintable(status));
        auto* notice = window.findChild<QLabel*>(QStringLiteral("runNotice"));
        QVERIFY(notice && notice->isVisible());
        // The examples as `itap import` prints them: in the tooltip, and in a notice that does not block.
        const QString example = corrected + QStringLiteral(":2: device");
        QVERIFY2(
            notice->toolTip().contains(example) && notice->toolTip().contains(QStringLiteral("voltage_v")),
            qPrintable(notice->toolTip()));
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox*>()) != nullptr && box->isVisible());
        QVERIFY(box->windowModality() != Qt::ApplicationModal);
        QVERIFY2(box->text().contains(QStringLiteral("1 rows conflict with stored rows")) &&
                     box->text().contains(example) && box->text().contains(QStringLiteral("voltage_v")),
                 qPrintable(box->text()));
    }

    void everyViewHasAKey() {
        MainWindow window;
        QSet<QString> keys;
        for (int i = 0; i < MainWindow::kViewCount; ++i) {
            const auto view = static_cast<MainWindow::View>(i);
            QVERIFY(window.viewWidget(view));
            QCOMPARE(window.viewWidget(view)->objectName(), MainWindow::viewKey(view));
            keys.insert(MainWindow::viewKey(view));
        }
        QCOMPARE(keys.size(), MainWindow::kViewCount);
    }

private:
    QTemporaryDir dir_;
};

ITAP_UI_TEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
