// File → Export under output-directory faults: the function the console calls (exportArtifacts) returns a
// clear error for a read-only, full or impossible directory and creates a missing one; and MainWindow, driven
// offscreen through its menu action and file dialog, shows the error and stays usable for the next export.
#include "main_window.h"
#include "simulate_dialog.h"

#include "support/fault_env.h"
#include "support/test_files.h"
#include "ui/widget_test_main.h"

#include <QAction>
#include <QFileDialog>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace itap;
using namespace itap::test;

namespace {

constexpr int kTimeoutMs = 180'000;

const QStringList kExported = {QStringLiteral("aggregate_summaries.json"),
                               QStringLiteral("alerts.json"),
                               QStringLiteral("explanations_top.json"),
                               QStringLiteral("metrics.json"),
                               QStringLiteral("model.itapm"),
                               QStringLiteral("validation_report.json")};

}  // namespace

class ExportFaultTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QLocale::setDefault(QLocale::c());
        QVERIFY(dir_.isValid());
        QSettings().clear();
        window_ = std::make_unique<MainWindow>();
        window_->resize(1200, 800);
        window_->show();
        QSignalSpy shown(window_.get(), &MainWindow::resultShown);
        QSignalSpy failed(window_->controller(), &PipelineController::failed);
        SimulationSettings fleet;
        fleet.devices = 3;
        fleet.hours = 6;
        QVERIFY(window_->simulate(fleet, dir_.filePath(QStringLiteral("fleet.db")), true));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY(failed.isEmpty());
        QVERIFY(window_->result());
    }
    void cleanupTestCase() { window_.reset(); }

    void missingDirectoryIsCreated() {
        const QString out = dir_.filePath(QStringLiteral("missing/a/b"));
        auto written = exportArtifacts(*window_->result(), window_->analysis(), out);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        QCOMPARE(treeOf(out), kExported);
    }

    void directoryBelowAFileIsAnError() {
        writeFile(dir_, QStringLiteral("plain.txt"), "x");
        const QString out = dir_.filePath(QStringLiteral("plain.txt/out"));
        auto written = exportArtifacts(*window_->result(), window_->analysis(), out);
        QVERIFY(!written);
        QCOMPARE(written.error().file, out);
    }

    void readOnlyDirectoryIsAnErrorAndKeepsOldFiles() {
        const QString out = dir_.filePath(QStringLiteral("ro"));
        QVERIFY(exportArtifacts(*window_->result(), window_->analysis(), out).ok());
        const QByteArray oldMetrics = fileBytes(QDir(out).filePath(QStringLiteral("metrics.json")));
        const ScopedReadOnlyDir readOnly(out);
        if (!readOnly.skipReason().isEmpty())
            QSKIP(qPrintable(readOnly.skipReason()));
        QVERIFY(readOnly.ok());
        Analysis other = window_->analysis();
        other.threshold = 0.5;  // different bytes, so a half-done write would show
        auto written = exportArtifacts(*window_->result(), other, out);
        QVERIFY(!written);
        QVERIFY2(written.error().file.startsWith(out), qPrintable(written.error().toString()));
        QCOMPARE(fileBytes(QDir(out).filePath(QStringLiteral("metrics.json"))), oldMetrics);
        QCOMPARE(treeOf(out), kExported);
    }

    void fullDirectoryIsAnErrorAndKeepsOldFiles() {
        const QString out = dir_.filePath(QStringLiteral("full"));
        QDir().mkpath(out);
        ScopedMount mount = ScopedMount::tinyTmpfs(out, 8 << 20);
        if (!mount.ok())
            QSKIP(qPrintable(mount.error()));
        QVERIFY(exportArtifacts(*window_->result(), window_->analysis(), out).ok());
        const QByteArray oldModel = fileBytes(QDir(out).filePath(QStringLiteral("model.itapm")));
        QVERIFY(fillUp(QDir(out).filePath(QStringLiteral("filler.bin"))));
        auto written = exportArtifacts(*window_->result(), window_->analysis(), out);
        QVERIFY(!written);
        QVERIFY2(written.error().file.startsWith(out), qPrintable(written.error().toString()));
        QCOMPARE(fileBytes(QDir(out).filePath(QStringLiteral("model.itapm"))), oldModel);
        QStringList expected = kExported;
        expected << QStringLiteral("filler.bin");
        expected.sort();
        QCOMPARE(treeOf(out), expected);
    }

    // File → Export into a read-only directory through the menu and the dialog: an error box naming the file,
    // the status says so, and the next export (into a good directory) works.
    void consoleShowsTheErrorAndStaysUsable() {
        const QString bad = dir_.filePath(QStringLiteral("console-ro"));
        QDir().mkpath(bad);
        const ScopedReadOnlyDir readOnly(bad);
        if (!readOnly.skipReason().isEmpty())
            QSKIP(qPrintable(readOnly.skipReason()));
        QVERIFY(readOnly.ok());
        QAction* exportAction = nullptr;
        for (QAction* a : window_->findChildren<QAction*>())
            if (a->text().startsWith(QLatin1String("&Export")))
                exportAction = a;
        QVERIFY(exportAction);
        QVERIFY(exportAction->isEnabled());

        exportVia(exportAction, bad);
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = errorBox()) != nullptr, kTimeoutMs);
        QVERIFY2(box->text().contains(bad), qPrintable(box->text()));
        QVERIFY2(window_->statusText().contains(QLatin1String("Export failed")),
                 qPrintable(window_->statusText()));
        QTRY_VERIFY(exportAction->isEnabled());
        box->accept();
        QTRY_VERIFY(errorBox() == nullptr);
        QCOMPARE(treeOf(bad), QStringList());

        // Still usable: the views answer and the next export succeeds.
        window_->showView(MainWindow::View::Alerts);
        window_->showView(MainWindow::View::FleetOverview);
        const QString good = dir_.filePath(QStringLiteral("console-ok"));
        QDir().mkpath(good);
        exportVia(exportAction, good);
        QTRY_VERIFY_WITH_TIMEOUT(window_->statusText().contains(QLatin1String("Exported")), kTimeoutMs);
        QCOMPARE(treeOf(good), kExported);
        QVERIFY(errorBox() == nullptr);
    }

private:
    // Triggers File → Export and answers its directory dialog with `dir`.
    void exportVia(QAction* action, const QString& dir) {
        bool answered = false;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!dialog || answered)
                return;
            answered = true;
            dialog->setDirectory(dir);
            static_cast<QDialog*>(dialog)->accept();  // QFileDialog::accept, public through QDialog
        });
        poll.start();
        action->trigger();  // returns once the dialog closed; the export runs on a worker
        poll.stop();
        QVERIFY(answered);
    }
    QMessageBox* errorBox() const {
        for (QMessageBox* box : window_->findChildren<QMessageBox*>())
            if (box->isVisible())
                return box;
        return nullptr;
    }

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
};

ITAP_UI_TEST_MAIN(ExportFaultTest)
#include "export_fault_test.moc"
