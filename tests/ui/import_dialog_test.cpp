#include "import_dialog.h"
#include "main_window.h"
#include "models/import_preview_model.h"
#include "support/test_files.h"
#include "ui/widget_test_main.h"

#include "chart_util.h"
#include "device_view.h"
#include "evaluation_panel.h"

#include "common/time_util.h"
#include "importer/importer.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QCheckBox>
#include <QDir>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 240'000;

QString dataFile(const QString& relative) {
    return QDir(QStringLiteral(ITAP_SOURCE_DIR "/data/import")).filePath(relative);
}
QString historianMapping() {
    return dataFile(QStringLiteral("historian.mapping.json"));
}
QString historianGlob() {
    return dataFile(QStringLiteral("historian/*.csv"));
}
QString testrigMapping() {
    return dataFile(QStringLiteral("testrig.mapping.json"));
}
QString testrigFile() {
    return dataFile(QStringLiteral("testrig/rig_log.csv"));
}

ImportMapping loadMapping(const QString& path) {
    auto m = ImportMapping::load(path);
    if (!m)
        qFatal("%s", qPrintable(m.error().toString()));
    return std::move(m).value();
}

bool sameValue(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Every text the problem list shows.
QStringList shownProblems(const ImportDialog& dialog) {
    QStringList out;
    const auto* list = dialog.findChild<QListWidget*>(QStringLiteral("problems"));
    for (int i = 0; list && i < list->count(); ++i) out << list->item(i)->text();
    return out;
}

// The preview must hold exactly the rows and values the core's preview gives for the same file and mapping.
void checkPreviewEqualsCore(const ImportPreviewModel& model, const ImportedData& core, bool labels) {
    const TelemetryBatch& rows = core.batches.front();
    QCOMPARE(model.rowCount(), int(rows.rowCount()));
    QCOMPARE(model.columnCount(),
             ImportPreviewModel::kChannelColumn0 + core.catalog.size() + (labels ? 1 : 0));
    for (int c = 0; c < core.catalog.size(); ++c) {
        const ChannelSpec& spec = core.catalog.channel(c);
        QCOMPARE(model.headerData(ImportPreviewModel::kChannelColumn0 + c, Qt::Horizontal).toString(),
                 QStringLiteral("%1 [%2]").arg(spec.name, spec.unit));
    }
    for (int r = 0; r < model.rowCount(); ++r) {
        const auto row = std::size_t(r);
        QCOMPARE(
            model.index(r, ImportPreviewModel::TimeColumn).data(ImportPreviewModel::SortRole).toLongLong(),
            rows.tsMs[row]);
        QCOMPARE(model.index(r, ImportPreviewModel::TimeColumn).data().toString(),
                 formatUtcTimestamp(rows.tsMs[row]));
        QCOMPARE(model.index(r, ImportPreviewModel::DeviceColumn).data().toString(), rows.deviceId[row]);
        QCOMPARE(model.index(r, ImportPreviewModel::StateColumn).data().toString(),
                 opStateName(rows.state[row]));
        QCOMPARE(model.index(r, 0).data(ImportPreviewModel::SourceLineRole).toLongLong(),
                 rows.sourceLine[row]);
        for (int c = 0; c < core.catalog.size(); ++c) {
            const double got = model.index(r, ImportPreviewModel::kChannelColumn0 + c)
                                   .data(ImportPreviewModel::SortRole)
                                   .toDouble();
            QVERIFY2(sameValue(got, rows.value(row, c)),
                     qPrintable(QStringLiteral("row %1 channel %2").arg(r).arg(c)));
        }
        if (labels)
            QCOMPARE(model.index(r, model.labelColumn()).data(ImportPreviewModel::SortRole).toString(),
                     rows.faultTag[row]);
    }
}

// A testrig-layout file of `rows` rows (two rigs, 1 Hz each), big enough that an import takes many
// progress steps.
QString writeLargeRigLog(const QTemporaryDir& dir, int rows) {
    QByteArray text =
        "epoch_ms,rig_id,mode,motor_current_A,supply_voltage_V,shaft_speed_rpm,acc_x_g,acc_y_g,"
        "bearing_temp_C,operator_note,anomaly\n";
    text.reserve(rows * 64);
    const qint64 start = 1767261600000;
    for (int i = 0; i < rows; ++i) {
        const qint64 ts = start + qint64(i / 2) * 1000;
        text += QByteArray::number(ts) + (i % 2 ? ",R2,run," : ",R1,run,") +
                QByteArray::number(8.5 + (i % 7) * 0.1, 'f', 3) + ",400.0," +
                QByteArray::number(1400 + i % 13) + ",0.02,0.03,30.5,,0\n";
    }
    return test::writeFile(dir, QStringLiteral("big_rig.csv"), text);
}

}  // namespace

class ImportDialogTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QLocale::setDefault(QLocale::c());
        QVERIFY(dir_.isValid());
        QSettings().clear();
        QVERIFY(QFileInfo::exists(historianMapping()));
        QVERIFY(QFileInfo::exists(testrigFile()));
    }

    // The historian export (two files through a glob): the preview shows what Importer::preview gives.
    void historianPreviewEqualsCore() {
        ImportDialog dialog;
        QAbstractItemModelTester tester(dialog.previewModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.setDatabasePath(dir_.filePath(QStringLiteral("preview.db")));
        dialog.setMappingFile(historianMapping());
        dialog.setFiles({historianGlob()});
        const QStringList files = dialog.files();
        QCOMPARE(files.size(), 2);
        QVERIFY(files[0].endsWith(QStringLiteral("pump-A_2026-03-28.csv")));
        QVERIFY(files[1].endsWith(QStringLiteral("pump-B_2026-03-28.csv")));

        auto core = Importer(loadMapping(historianMapping())).preview(files[0], ImportDialog::kPreviewRows);
        QVERIFY2(core.ok(), core.ok() ? "" : qPrintable(core.error().toString()));
        QVERIFY(dialog.previewModel()->rowCount() >= ImportDialog::kPreviewRows - 5);
        checkPreviewEqualsCore(*dialog.previewModel(), *core, false);
        QCOMPARE(dialog.previewModel()->index(0, 1).data().toString(), QStringLiteral("pump-A"));
        QCOMPARE(dialog.unmappedColumns(), core->report.files.front().unmappedColumns);
        QVERIFY(dialog.unmappedColumns().contains(QStringLiteral("Kommentar")));
        QVERIFY2(dialog.messages(ImportDialog::Severity::Error).isEmpty(),
                 qPrintable(dialog.messages(ImportDialog::Severity::Error).join(u'\n')));
        QVERIFY(dialog.canImport());
        QVERIFY(dialog.importButton()->isEnabled());
        QVERIFY(dialog.mapping().has_value());
        QCOMPARE(dialog.mapping()->catalog().hash(), loadMapping(historianMapping()).catalog().hash());
    }

    // A mapping or file the core rejects: Import is disabled and the core's message is shown verbatim.
    void problemDisablesImport_data() {
        QTest::addColumn<QByteArray>("mappingJson");  // empty = the historian mapping
        QTest::addColumn<QByteArray>("csv");          // empty = the historian's pump-A file
        QTest::addColumn<bool>("rowProblem");  // the problem is in a row: skipping invalid rows cures it

        QFile original(historianMapping());
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray mapping = original.readAll();
        QTest::newRow("unknown column")
            << QByteArray(mapping).replace("\"Druck [bar]\"", "\"Druck [psi]\"") << QByteArray() << false;
        QTest::newRow("unknown key") << QByteArray(mapping).replace("\"unit\": \"bar\"",
                                                                    "\"colour\": \"red\"")
                                     << QByteArray() << false;
        QTest::newRow("unparsable timestamp")
            << QByteArray()
            << QByteArray(
                   "Zeitstempel;Druck [bar];Durchfluss [m³/h];Temperatur [°C];"
                   "Sollwert Druck [bar];Status;Kommentar\n"
                   "28.03.2026 23:00:00;5,4;43,5;38,0;6,0;Betrieb;\n"
                   "28.03.2026 25:61:00;5,4;43,5;38,0;6,0;Betrieb;\n"
                   "28.03.2026 23:00:20;5,4;43,5;38,0;6,0;Betrieb;\n")
            << true;
    }

    void problemDisablesImport() {
        QFETCH(QByteArray, mappingJson);
        QFETCH(QByteArray, csv);
        QFETCH(bool, rowProblem);
        const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_');
        const QString mappingPath = mappingJson.isEmpty()
                                        ? historianMapping()
                                        : test::writeFile(dir_, tag + QStringLiteral(".json"), mappingJson);
        const QString csvPath = csv.isEmpty()
                                    ? dataFile(QStringLiteral("historian/pump-A_2026-03-28.csv"))
                                    : test::writeFile(dir_, QStringLiteral("pump-X_%1.csv").arg(tag), csv);

        // What the core says about it, in the words the dialog must repeat.
        QString expected;
        auto loaded = ImportMapping::load(mappingPath);
        if (!loaded) {
            expected = loaded.error().toString();
        } else {
            auto preview = Importer(*loaded).preview(csvPath, ImportDialog::kPreviewRows);
            if (!preview) {
                expected = preview.error().toString();
            } else {
                const auto issues = preview->report.files.front().validation.issues();
                QVERIFY(!issues.empty());
                const RowIssue& issue = issues.front();
                QCOMPARE(issue.check, QStringLiteral("timestamp"));
                expected = Error::badInput(issue.message, csvPath, issue.line, issue.column).toString();
                QVERIFY2(expected.contains(QStringLiteral(":3:1: ")), qPrintable(expected));
            }
        }
        QVERIFY(!expected.isEmpty());

        ImportDialog dialog;
        dialog.setDatabasePath(dir_.filePath(QStringLiteral("broken.db")));
        dialog.setMappingFile(mappingPath);
        dialog.setFiles({csvPath});
        QVERIFY2(dialog.messages(ImportDialog::Severity::Error).contains(expected),
                 qPrintable(dialog.messages(ImportDialog::Severity::Error).join(u'\n') + u'\n' + expected));
        QVERIFY(shownProblems(dialog).contains(expected));
        QVERIFY(!dialog.canImport());
        QVERIFY(!dialog.importButton()->isEnabled());

        // Rows that cannot be read are the one problem an operator may choose to skip (as --skip-invalid).
        dialog.findChild<QCheckBox*>()->setChecked(true);
        QCOMPARE(dialog.importButton()->isEnabled(), rowProblem);
        if (rowProblem) {
            QVERIFY(dialog.messages(ImportDialog::Severity::Warning).contains(expected));
            QCOMPARE(dialog.previewModel()->rowCount(), 2);
        }
    }

    void guessMappingOnTheTestRig() {
        ImportDialog dialog;
        QAbstractItemModelTester tester(dialog.previewModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.setDatabasePath(dir_.filePath(QStringLiteral("guess.db")));
        dialog.setFiles({testrigFile()});
        // Without a mapping the file is read as canonical ITAP CSV, which it is not.
        QVERIFY(dialog.isCanonical());
        QVERIFY(!dialog.messages(ImportDialog::Severity::Error).isEmpty());
        QVERIFY(!dialog.importButton()->isEnabled());

        dialog.guessMapping();
        QVERIFY(!dialog.isCanonical());
        QVERIFY(dialog.mapping().has_value());
        QVERIFY2(dialog.messages(ImportDialog::Severity::Error).isEmpty(),
                 qPrintable(dialog.messages(ImportDialog::Severity::Error).join(u'\n')));
        QVERIFY(dialog.importButton()->isEnabled());
        QVERIFY(dialog.mapping()->hasLabels());
        QVERIFY(dialog.unmappedColumns().contains(QStringLiteral("operator_note")));
        auto core = Importer(*dialog.mapping()).preview(testrigFile(), ImportDialog::kPreviewRows);
        QVERIFY(core.ok());
        QCOMPARE(dialog.previewModel()->rowCount(), ImportDialog::kPreviewRows);
        checkPreviewEqualsCore(*dialog.previewModel(), *core, true);

        // Saved for editing, the file reads back to the same mapping and becomes the dialog's mapping file.
        const QString saved = dir_.filePath(QStringLiteral("guessed.mapping.json"));
        QVERIFY(dialog.saveMapping(saved));
        QCOMPARE(dialog.mappingFile(), saved);
        const ImportMapping reread = loadMapping(saved);
        QCOMPARE(reread.toJson(), dialog.mapping()->toJson());
        QVERIFY(dialog.importButton()->isEnabled());
    }

    // No mapping = canonical ITAP CSV, previewed through the same row checks as `itap ingest`.
    void canonicalCsvWithoutMapping() {
        SimulationProfile profile = SimulationProfile::defaults();
        profile.devices = 2;
        profile.hours = 1;
        const QString csv = dir_.filePath(QStringLiteral("canonical.csv"));
        QVERIFY(FleetSimulator(profile, SensorCatalog::defaults()).writeCsv(csv, {}).ok());
        ImportDialog dialog;
        QAbstractItemModelTester tester(dialog.previewModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.setDatabasePath(dir_.filePath(QStringLiteral("canonical.db")));
        dialog.setFiles({csv});
        QVERIFY(dialog.isCanonical());
        QVERIFY2(dialog.messages(ImportDialog::Severity::Error).isEmpty(),
                 qPrintable(dialog.messages(ImportDialog::Severity::Error).join(u'\n')));
        QVERIFY(dialog.importButton()->isEnabled());
        QCOMPARE(dialog.previewModel()->rowCount(), ImportDialog::kPreviewRows);
        QCOMPARE(dialog.previewModel()->catalog().hash(), SensorCatalog::defaults().hash());
        QVERIFY(dialog.previewModel()->labelColumn() > 0);
        // Several canonical files at once are not supported: said, not silently dropped.
        dialog.setFiles({csv, csv + QStringLiteral(".copy")});
        QVERIFY(!dialog.importButton()->isEnabled());
    }

    // The labelled test rig end to end: stored rows as the core importer stores them, metrics with ground
    // truth.
    void importsTheTestRigThroughTheWindow() {
        const ImportMapping mapping = loadMapping(testrigMapping());
        qint64 coreRows = 0;
        {
            QTemporaryDir other;
            const Importer importer(mapping);
            auto store = Store::open(other.filePath(QStringLiteral("core.db")), &importer.catalog());
            QVERIFY(store.ok());
            auto report = importer.importInto(**store, {testrigFile()}, ImportOptions{});
            QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
            auto rows = (*store)->rowCount();
            QVERIFY(rows.ok());
            coreRows = *rows;
            QCOMPARE(report->inserted(), coreRows);
        }
        QVERIFY(coreRows > 0);

        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        QVERIFY(window.importMapped({testrigFile()}, mapping, dir_.filePath(QStringLiteral("rig.db"))));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const PipelineResultPtr result = window.result();
        QVERIFY(result);
        QCOMPARE(result->storedRows, coreRows);
        QVERIFY(result->importReport.has_value());
        QCOMPARE(result->importReport->inserted(), coreRows);
        QCOMPARE(result->catalog.hash(), mapping.catalog().hash());
        QCOMPARE(qint64(result->scored.fleet.table.size()), coreRows);
        const Metrics& metrics = result->scored.analysis.metrics;
        QVERIFY(metrics.groundTruth);
        const auto* evaluation =
            qobject_cast<EvaluationPanel*>(window.viewWidget(MainWindow::View::Evaluation));
        QVERIFY(evaluation);
        // The panel prepares its score index on a worker.
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->currentMetrics().has_value(), kTimeoutMs);
        QVERIFY(evaluation->currentMetrics()->groundTruth);
        QCOMPARE(evaluation->metricText(QStringLiteral("Precision")),
                 EvaluationPanel::formatRatio(evaluation->currentMetrics()->precision));
        QVERIFY(evaluation->metricText(QStringLiteral("Precision")) !=
                EvaluationPanel::tr("no ground truth"));
        // The export carries what the import found.
        auto written = exportArtifacts(*result, window.analysis(), dir_.filePath(QStringLiteral("rig-out")));
        QVERIFY(written.ok());
        QVERIFY(written->contains(dir_.filePath(QStringLiteral("rig-out/import_report.json"))));
    }

    // The historian (no labels, Pressure and Flow families): "no ground truth", every family in its own
    // colour.
    void importsTheHistorianWithoutLabels() {
        const ImportMapping mapping = loadMapping(historianMapping());
        ImportDialog dialog;
        dialog.setMappingFile(historianMapping());
        dialog.setFiles({historianGlob()});
        dialog.setDatabasePath(dir_.filePath(QStringLiteral("hist.db")));
        QVERIFY(dialog.canImport());

        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy deviceShown(&window, &MainWindow::deviceShown);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        QVERIFY(window.importMapped(dialog.files(), *dialog.mapping(), dialog.databasePath()));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const PipelineResultPtr result = window.result();
        QCOMPARE(result->importReport->files.size(), std::size_t(2));
        QCOMPARE(result->storedRows, result->importReport->inserted());
        QVERIFY(!result->scored.analysis.metrics.groundTruth);
        QVERIFY(!window.analysis().aggregate.devices.empty());
        const auto* evaluation =
            qobject_cast<EvaluationPanel*>(window.viewWidget(MainWindow::View::Evaluation));
        QTRY_VERIFY_WITH_TIMEOUT(evaluation->currentMetrics().has_value(), kTimeoutMs);
        QVERIFY(!evaluation->currentMetrics()->groundTruth);
        QCOMPARE(evaluation->metricText(QStringLiteral("Precision")), EvaluationPanel::tr("no ground truth"));
        // Families beyond the default five get colours of their own, distinct from each other and the
        // defaults.
        const QStringList families = {QStringLiteral("Voltage"),     QStringLiteral("Current"),
                                      QStringLiteral("Temperature"), QStringLiteral("RPM"),
                                      QStringLiteral("Vibration"),   QStringLiteral("Pressure"),
                                      QStringLiteral("Flow")};
        QSet<QRgb> colours;
        for (const QString& f : families) colours.insert(familyColor(f).rgb());
        QCOMPARE(colours.size(), families.size());
        QTRY_VERIFY_WITH_TIMEOUT(deviceShown.count() > 0, kTimeoutMs);
        const auto* device = qobject_cast<DeviceView*>(window.viewWidget(MainWindow::View::Device));
        QCOMPARE(device->families(), mapping.catalog().families());
        for (int i = 0; i < device->familyChartCount(); ++i) {
            const auto series = device->familyChart(i)->series();
            QVERIFY(!series.isEmpty());
            const auto* line = qobject_cast<QLineSeries*>(series.first());
            QVERIFY(line);
            QCOMPARE(line->color(), familyColor(device->families()[i]));
        }
    }

    // Cancel while the importer is storing rows: the run stops, the window is usable again, the database is
    // as it was before the import.
    void cancelsARunningImport() {
        QTemporaryDir tmp;
        const QString big = writeLargeRigLog(tmp, 200'000);
        MainWindow window;
        window.show();
        QSignalSpy cancelled(window.controller(), &PipelineController::cancelled);
        QSignalSpy finished(window.controller(), &PipelineController::finished);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        bool cancelledWhileImporting = false;
        connect(window.controller(), &PipelineController::progress, this,
                [&](double fraction, const QString& stage) {
                    // Once the importer has stored part of the file (its second pass writes).
                    if (!cancelledWhileImporting && fraction > 0.16 &&
                        stage.startsWith(QStringLiteral("Importing"))) {
                        cancelledWhileImporting = true;
                        window.controller()->cancel();
                    }
                });
        const QString db = tmp.filePath(QStringLiteral("big.db"));
        QVERIFY(window.importMapped({big}, loadMapping(testrigMapping()), db));
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + finished.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY(cancelledWhileImporting);
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!window.controller()->isRunning());
        QVERIFY(!window.result());
        // Stopped part-way, and the import stage rolled back as a whole: the new database holds no rows and
        // no run, as before the stage (the batches stored before the cancel went with it).
        auto store = Store::open(db, nullptr);
        QVERIFY(store.ok());
        auto rows = (*store)->rowCount();
        QVERIFY(rows.ok());
        QCOMPARE(*rows, qint64{0});
        auto runs = (*store)->ingestRuns();
        QVERIFY(runs.ok());
        QVERIFY(runs->empty());
    }

    // `QT_QPA_PLATFORM=offscreen import_dialog_test screenshot` with ITAP_SCREENSHOT_DIR set writes the
    // dialog with each example's preview, to look at.
    void screenshot() {
        const QString out = qEnvironmentVariable("ITAP_SCREENSHOT_DIR");
        if (out.isEmpty())
            QSKIP("set ITAP_SCREENSHOT_DIR to write the screenshots");
        QVERIFY(QDir().mkpath(out));
        ImportDialog dialog;
        dialog.setDatabasePath(dir_.filePath(QStringLiteral("shot.db")));
        dialog.setMappingFile(historianMapping());
        dialog.setFiles({historianGlob()});
        dialog.show();
        QTest::qWait(200);  // the layout follows the new texts on the event loop
        QVERIFY(dialog.grab().save(QDir(out).filePath(QStringLiteral("import_dialog_historian.png"))));
        dialog.setMappingFile(QString());
        dialog.setFiles({testrigFile()});
        dialog.guessMapping();
        QTest::qWait(200);  // the layout follows the new texts on the event loop
        QVERIFY(dialog.grab().save(QDir(out).filePath(QStringLiteral("import_dialog_testrig_guess.png"))));
        QFile broken(dir_.filePath(QStringLiteral("shot-broken.json")));
        QFile original(historianMapping());
        QVERIFY(original.open(QIODevice::ReadOnly) && broken.open(QIODevice::WriteOnly));
        broken.write(original.readAll().replace("\"Druck [bar]\"", "\"Druck [psi]\""));
        broken.close();
        dialog.setMappingFile(broken.fileName());
        dialog.setFiles({historianGlob()});
        QTest::qWait(200);  // the layout follows the new texts on the event loop
        QVERIFY(dialog.grab().save(QDir(out).filePath(QStringLiteral("import_dialog_broken.png"))));
    }

private:
    QTemporaryDir dir_;
};

ITAP_UI_TEST_MAIN(ImportDialogTest)
#include "import_dialog_test.moc"
