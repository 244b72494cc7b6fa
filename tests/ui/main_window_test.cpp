#include "main_window.h"

#include "alarm_kpi_panel.h"
#include "alarms/alarm_journal.h"
#include "common/json_util.h"
#include "device_leaderboard.h"
#include "evaluation_panel.h"
#include "fleet_overview.h"
#include "models/alert_list_model.h"
#include "models/device_summary_model.h"
#include "simulate_dialog.h"
#include "storage/store.h"
#include "ui/widget_test_main.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

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
    // The window never opens larger than the screen's available area (a 1366×768 laptop, or the 800×600 of
    // the offscreen test screen), not even from a geometry saved on a larger screen.
    void windowFitsTheScreen() {
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        {
            MainWindow window;
            QVERIFY(window.width() <= available.width());
            QVERIFY(window.height() <= available.height() - 40);
            window.resize(3000, 2000);  // as if on a larger screen; its geometry is saved on close
            QSettings().setValue(QStringLiteral("window/geometry"), window.saveGeometry());
        }
        MainWindow again;
        QVERIFY2(again.height() <= available.height() - 40, qPrintable(QString::number(again.height())));
        QVERIFY(again.width() <= available.width());
        QSettings().remove(QStringLiteral("window/geometry"));
    }
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

    // The evaluation slider is a what-if: moving it previews the alarms that threshold would give without
    // touching the Alerts list, the overview, the leaderboard or the status's operating threshold; Revert
    // goes back; Apply re-derives every panel at it and records who, when, from and to in the journal. Before
    // the what-if, moving the slider replaced the operator's alert list.
    void previewsRevertsAndApplies() {
        QSettings().setValue(QStringLiteral("alarms/operator"),
                             QStringLiteral("Night shift"));  // Settings' name
        MainWindow window;
        window.resize(1400, 900);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy changed(&window, &MainWindow::analysisChanged);
        QSignalSpy previewed(&window, &MainWindow::previewShown);
        QSignalSpy recorded(&window, &MainWindow::thresholdRecorded);
        QVERIFY(window.restoreLastDatabase());
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        EvaluationPanel* panel = window.evaluationPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isReady(), kTimeoutMs);
        const Analysis& before = window.result()->scored.analysis;
        const double operating = before.threshold;
        const int alertsBefore = window.alertModel()->rowCount();
        QCOMPARE(alertsBefore, int(before.alerts.size()));
        const QString overviewThreshold = window.fleetOverview()->kpiText(FleetOverview::Kpi::Threshold);
        const QString operatingText = QStringLiteral("operating threshold %1").arg(operating, 0, 'f', 3);
        QVERIFY2(window.statusText().contains(operatingText), qPrintable(window.statusText()));
        // Halfway between the selected threshold and the top score: fewer rows flagged, fewer alerts.
        float top = 0;
        for (float score : window.result()->scored.fleet.table.score) top = std::max(top, score);
        const double threshold = std::round((operating + top) / 2 * 1e4) / 1e4;

        panel->setThreshold(threshold);
        QTRY_VERIFY_WITH_TIMEOUT(!previewed.isEmpty(), kTimeoutMs);
        QCOMPARE(previewed.last().first().toDouble(), threshold);
        const Analysis* preview = window.previewAnalysis();
        QVERIFY(preview);
        QCOMPARE(preview->threshold, threshold);
        QVERIFY(preview->flagged.size() < before.flagged.size());
        // Nothing outside the evaluation view moved.
        QCOMPARE(changed.count(), 0);
        QCOMPARE(window.analysis().threshold, operating);
        QCOMPARE(window.alertModel()->rowCount(), alertsBefore);
        QCOMPARE(window.fleetOverview()->kpiText(FleetOverview::Kpi::Threshold), overviewThreshold);
        QCOMPARE(QLocale().toDouble(window.fleetOverview()->kpiText(FleetOverview::Kpi::FlaggedRows)),
                 double(before.flagged.size()));
        // It is marked as a preview, with the alarms it would give, and the status names both thresholds.
        QVERIFY(panel->isPreviewing());
        QVERIFY(!panel->previewBanner()->isHidden());
        QVERIFY2(panel->previewText().contains(
                     QStringLiteral("Preview at threshold %1").arg(threshold, 0, 'f', 4)),
                 qPrintable(panel->previewText()));
        QVERIFY2(panel->previewAlarmsText().contains(
                     QStringLiteral("%1 annunciated").arg(preview->kpis.annunciated)),
                 qPrintable(panel->previewAlarmsText()));
        QVERIFY2(window.statusText().contains(operatingText), qPrintable(window.statusText()));
        QVERIFY2(window.statusText().contains(
                     QStringLiteral("previewing %1 (not applied)").arg(threshold, 0, 'f', 3)),
                 qPrintable(window.statusText()));
        // The per-device table is part of the what-if.
        auto* deviceTable = panel->findChild<QTableWidget*>(QStringLiteral("deviceMetricsTable"));
        QVERIFY(deviceTable);
        qint64 shownFlagged = 0;
        for (int r = 0; r < deviceTable->rowCount(); ++r)
            shownFlagged += deviceTable->item(r, 2)->text().toLongLong();
        qint64 previewFlagged = 0;
        for (const DeviceMetrics& d : preview->metrics.perDevice) previewFlagged += d.confusion.flagged();
        QCOMPARE(shownFlagged, previewFlagged);

        // Revert: back to the operating threshold, the preview gone.
        QTest::mouseClick(panel->revertButton(), Qt::LeftButton);
        QVERIFY(!panel->isPreviewing());
        QCOMPARE(panel->threshold(), operating);
        QVERIFY(panel->previewBanner()->isHidden());
        QVERIFY(!window.previewAnalysis());
        QVERIFY2(!window.statusText().contains(QStringLiteral("previewing")),
                 qPrintable(window.statusText()));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(window.alertModel()->rowCount(), alertsBefore);

        // Apply: every panel follows, and the journal records the change.
        const int previews = int(previewed.count());
        panel->setThreshold(threshold);
        QTRY_VERIFY_WITH_TIMEOUT(previewed.count() > previews, kTimeoutMs);
        QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kTimeoutMs);
        const Analysis& after = window.analysis();
        QCOMPARE(after.threshold, threshold);
        QVERIFY(after.flagged.size() < before.flagged.size());
        QCOMPARE(window.alertModel()->rowCount(), int(after.alerts.size()));
        QCOMPARE(QLocale().toDouble(window.fleetOverview()->kpiText(FleetOverview::Kpi::FlaggedRows)),
                 double(after.flagged.size()));
        QCOMPARE(window.fleetOverview()->kpiText(FleetOverview::Kpi::Threshold),
                 QLocale().toString(threshold, 'f', 3));
        QCOMPARE(window.leaderboard()->model()->rowCount(), int(after.aggregate.devices.size()));
        QVERIFY(!panel->isPreviewing());
        QCOMPARE(panel->operatingThreshold(), threshold);
        QCOMPARE(window.alarmKpiPanel()->figureText(AlarmKpiPanel::Figure::Annunciated),
                 QLocale().toString(after.kpis.annunciated));
        // The run's own analysis is untouched: it is what a re-export at the selected threshold uses.
        QCOMPARE(window.result()->scored.analysis.threshold, operating);
        QTRY_COMPARE_WITH_TIMEOUT(recorded.count(), 1, kTimeoutMs);
        QVERIFY2(recorded.first().first().toBool(), qPrintable(recorded.first().last().toString()));
        QVERIFY2(
            window.statusText().contains(QStringLiteral("operating threshold %1").arg(threshold, 0, 'f', 3)),
            qPrintable(window.statusText()));
        QVERIFY2(window.statusText().contains(QStringLiteral("applied by Night shift, recorded")),
                 qPrintable(window.statusText()));
        auto store = Store::open(window.result()->databasePath, nullptr);
        QVERIFY(store.ok());
        auto changes = AlarmJournal(**store).thresholdChanges();
        QVERIFY(changes.ok());
        QCOMPARE(changes->size(), std::size_t(1));
        const ThresholdChange& c = changes->front();
        QCOMPARE(c.modelId, window.result()->scored.fleet.table.modelId);
        QCOMPARE(c.operatorName, QStringLiteral("Night shift"));
        QCOMPARE(c.fromThreshold, operating);
        QCOMPARE(c.toThreshold, threshold);
        QVERIFY(std::abs(c.atMs - QDateTime::currentMSecsSinceEpoch()) < 600'000);
        applied_ = threshold;
        chosen_ = operating;
        db_ = window.result()->databasePath;
    }

    // The next console on that database starts at the applied threshold, and says so.
    void startsAtTheAppliedThreshold() {
        QVERIFY(applied_ > 0);
        MainWindow window;
        window.resize(1400, 900);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QVERIFY(window.restoreLastDatabase());
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY(window.result()->applied.has_value());
        QCOMPARE(window.analysis().threshold, applied_);
        QCOMPARE(window.result()->scored.analysis.threshold, chosen_);
        QCOMPARE(window.alertModel()->rowCount(), int(window.analysis().alerts.size()));
        QCOMPARE(window.fleetOverview()->kpiText(FleetOverview::Kpi::Threshold),
                 QLocale().toString(applied_, 'f', 3));
        QVERIFY2(
            window.statusText().contains(
                QStringLiteral("operating threshold %1 (applied by Night shift").arg(applied_, 0, 'f', 3)),
            qPrintable(window.statusText()));
        EvaluationPanel* panel = window.evaluationPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isReady(), kTimeoutMs);
        QCOMPARE(panel->threshold(), applied_);
        QVERIFY(!panel->isPreviewing());
    }

    // File ▸ Export alarm journal: CSV and JSON through the safe writer, with the threshold change.
    void exportsTheAlarmJournal() {
        MainWindow window;
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy exported(&window, &MainWindow::journalExported);
        QVERIFY(window.restoreLastDatabase());
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        const QString out = dir_.filePath(QStringLiteral("journal-export"));
        QVERIFY(QDir().mkpath(out));
        window.exportAlarmJournalTo(out);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, kTimeoutMs);
        QVERIFY2(exported.first().last().toString().isEmpty(),
                 qPrintable(exported.first().last().toString()));
        QCOMPARE(exported.first().first().toStringList().size(), 2);
        QFile csv(QDir(out).filePath(QStringLiteral("alarm_journal.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().startsWith("id,alarm_id,at,operator,action,from_state,to_state,note,detail\n"));
        auto json = readJsonFile(QDir(out).filePath(QStringLiteral("alarm_journal.json")));
        QVERIFY(json.ok());
        QCOMPARE((*json)["schema_version"].get<int>(), 1);
        QVERIFY((*json)["journal"].is_array());
        QCOMPARE((*json)["threshold_changes"].size(), std::size_t(1));
        QCOMPARE((*json)["threshold_changes"][0]["operator"].get<std::string>(), std::string("Night shift"));
        QCOMPARE((*json)["threshold_changes"][0]["to_threshold"].get<double>(), applied_);
        // A directory that does not exist: a clear error, nothing written.
        exported.clear();
        window.exportAlarmJournalTo(dir_.filePath(QStringLiteral("missing/dir")));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, kTimeoutMs);
        QVERIFY(exported.first().first().toStringList().isEmpty());
        QVERIFY2(exported.first().last().toString().contains(QStringLiteral("does not exist")),
                 qPrintable(exported.first().last().toString()));
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

    // A read-only database: Apply works for this session and says it could not be recorded.
    void applyOnAReadOnlyDatabase() {
        QVERIFY(!db_.isEmpty());
        const QString db = db_;
        MainWindow window;
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy changed(&window, &MainWindow::analysisChanged);
        QSignalSpy recorded(&window, &MainWindow::thresholdRecorded);
        QVERIFY(window.openDatabase(QStringLiteral("file:%1?mode=ro").arg(db)));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        EvaluationPanel* panel = window.evaluationPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isReady(), kTimeoutMs);
        const double threshold = window.analysis().threshold + 0.01;
        panel->setThreshold(threshold);
        QTest::mouseClick(panel->applyButton(), Qt::LeftButton);  // before its derivation arrived: it waits
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kTimeoutMs);
        QCOMPARE(window.analysis().threshold, threshold);
        QCOMPARE(window.alertModel()->rowCount(), int(window.analysis().alerts.size()));
        QTRY_COMPARE_WITH_TIMEOUT(recorded.count(), 1, kTimeoutMs);
        QVERIFY(!recorded.first().first().toBool());
        QVERIFY2(recorded.first().last().toString().contains(QStringLiteral("read-only")),
                 qPrintable(recorded.first().last().toString()));
        QVERIFY2(window.statusText().contains(QStringLiteral("applied for this session only; not recorded")),
                 qPrintable(window.statusText()));
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        QCOMPARE(AlarmJournal(**store).thresholdChanges()->size(), std::size_t(1));  // the earlier Apply only
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
    double applied_ = 0;  // the threshold previewsRevertsAndApplies() applied, and the one it replaced
    double chosen_ = 0;
    QString db_;  // the database it applied it to
};

ITAP_UI_TEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
