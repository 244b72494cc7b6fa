#include "settings_dialog.h"

#include "alarm_controller.h"

#include "main_window.h"
#include "pipeline/session.h"
#include "simulate_dialog.h"
#include "support/test_files.h"
#include "ui/widget_test_main.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace itap;

namespace {

constexpr int kTimeoutMs = 180'000;

// Every field differs from its default.
ConsoleSettings changedSettings() {
    ConsoleSettings s;
    s.window = 64;
    s.trees = 50;
    s.sampleSize = 128;
    s.seed = 7;
    s.scaling = ScalingMode::PerDevice;
    s.span.kind = TrainSpan::Kind::Duration;
    s.span.fraction = 0.5;
    s.span.rows = 2500;
    s.span.durationMs = 6 * 3'600'000;
    s.scoreFilter.smoothSamples = 3;
    s.scoreFilter.minAlarmSeconds = 30;
    s.evaluation.thresholdRule = ThresholdRule::LabelFree;
    s.evaluation.minPrecision = 0.75;
    s.evaluation.labelFreeRule = LabelFreeRule::MaxMargin;
    s.evaluation.labelFreeQuantile = 0.99;
    s.evaluation.labelFreeMargin = 1.2;
    s.cooldownSeconds = 60;
    s.rulesFile = QStringLiteral("/srv/rules/plant.json");
    s.language = QStringLiteral("de");
    return s;
}

// The first field where `a` and `b` differ, or empty.
QString difference(const ConsoleSettings& a, const ConsoleSettings& b) {
#define ITAP_SAME(field)                           \
    if (!(a.field == b.field))                     \
        return QStringLiteral(#field ": %1 vs %2") \
            .arg(QVariant::fromValue(a.field).toString(), QVariant::fromValue(b.field).toString());
    ITAP_SAME(window)
    ITAP_SAME(trees)
    ITAP_SAME(sampleSize)
    ITAP_SAME(seed)
    ITAP_SAME(span.fraction)
    ITAP_SAME(span.rows)
    ITAP_SAME(span.durationMs)
    ITAP_SAME(scoreFilter.smoothSamples)
    ITAP_SAME(scoreFilter.minAlarmSeconds)
    ITAP_SAME(evaluation.minPrecision)
    ITAP_SAME(evaluation.labelFreeQuantile)
    ITAP_SAME(evaluation.labelFreeMargin)
    ITAP_SAME(cooldownSeconds)
    ITAP_SAME(rulesFile)
    ITAP_SAME(language)
#undef ITAP_SAME
    if (a.scaling != b.scaling)
        return QStringLiteral("scaling: %1 vs %2")
            .arg(scalingModeName(a.scaling), scalingModeName(b.scaling));
    if (a.span.kind != b.span.kind)
        return QStringLiteral("span.kind");
    if (a.evaluation.thresholdRule != b.evaluation.thresholdRule)
        return QStringLiteral("evaluation.thresholdRule");
    if (a.evaluation.labelFreeRule != b.evaluation.labelFreeRule)
        return QStringLiteral("evaluation.labelFreeRule");
    return {};
}

// Runs `edit` on the settings dialog once it is open (modal, from the Settings action).
void whenDialogOpens(const std::function<void(SettingsDialog*)>& edit) {
    QTimer::singleShot(0, [edit] {
        auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
        if (!dialog) {
            qWarning("no settings dialog open");
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
            return;
        }
        edit(dialog);
    });
}

}  // namespace

class SettingsDialogTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QLocale::setDefault(QLocale::c());
        QVERIFY(dir_.isValid());
        QSettings().clear();
    }

    void defaultsAreValidAndTheCoresOwn() {
        const ConsoleSettings s;
        QVERIFY(s.validate().ok());
        QCOMPARE(s.window, FeatureParams{}.window);
        QCOMPARE(s.trees, ForestParams{}.trees);
        QCOMPARE(s.sampleSize, ForestParams{}.sampleSize);
        QCOMPARE(s.seed, ForestParams{}.seed);
        QCOMPARE(s.scaling, ScalingMode::PerState);
        QCOMPARE(s.span.kind, TrainSpan::Kind::Fraction);
        QCOMPARE(s.span.fraction, TrainSpan{}.fraction);
        QVERIFY(s.scoreFilter.isIdentity());
        QCOMPARE(s.evaluation.thresholdRule, ThresholdRule::Auto);
        QCOMPARE(s.cooldownSeconds, AlertRules::defaults().cooldownSeconds());
        QVERIFY(s.changedFromDefaults().isEmpty());
        QCOMPARE(changedSettings().validate().ok(), true);
    }

    void roundTripsThroughQSettings_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("defaults") << 0;
        QTest::newRow("every field changed") << 1;
        QTest::newRow("rows span, global, quantile") << 2;
    }

    void roundTripsThroughQSettings() {
        QFETCH(int, which);
        ConsoleSettings s;
        if (which >= 1)
            s = changedSettings();
        if (which == 2) {
            s.span.kind = TrainSpan::Kind::Rows;
            s.scaling = ScalingMode::Global;
            s.evaluation.labelFreeRule = LabelFreeRule::Quantile;
            s.evaluation.labelFreeQuantile = 0.9975;
            s.language = QStringLiteral("en");
            s.rulesFile.clear();
        }
        const QString ini = dir_.filePath(QStringLiteral("roundtrip-%1.ini").arg(which));
        {
            QSettings file(ini, QSettings::IniFormat);
            s.save(file);
        }
        const QSettings file(ini, QSettings::IniFormat);
        const ConsoleSettings loaded = ConsoleSettings::load(file);
        const QString diff = difference(loaded, s);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // The language is the key itap-console reads at start-up; System is no key at all.
        QCOMPARE(file.contains(QStringLiteral("language")), !s.language.isEmpty());
        if (!s.language.isEmpty())
            QCOMPARE(file.value(QStringLiteral("language")).toString(), s.language);
    }

    void outOfRangeValuesFallBackToDefaults() {
        const QString ini = dir_.filePath(QStringLiteral("bad.ini"));
        {
            QSettings file(ini, QSettings::IniFormat);
            file.setValue(QStringLiteral("pipeline/window"), FeatureParams::kMinWindow - 1);
            file.setValue(QStringLiteral("pipeline/trees"), 0);
            file.setValue(QStringLiteral("pipeline/sample_size"), QStringLiteral("many"));
            file.setValue(QStringLiteral("pipeline/seed"), -5);
            file.setValue(QStringLiteral("pipeline/scaling"), QStringLiteral("per_planet"));
            file.setValue(QStringLiteral("pipeline/train_span"), QStringLiteral("until"));
            file.setValue(QStringLiteral("pipeline/train_fraction"), 1.5);
            file.setValue(QStringLiteral("pipeline/train_rows"), 0);
            file.setValue(QStringLiteral("pipeline/train_hours"), 0.0001);
            file.setValue(QStringLiteral("pipeline/smooth_samples"),
                          ScoreFilterParams::kMaxSmoothSamples + 1);
            file.setValue(QStringLiteral("pipeline/min_alarm_s"), -1);
            file.setValue(QStringLiteral("pipeline/threshold_rule"), QStringLiteral("guess"));
            file.setValue(QStringLiteral("pipeline/min_precision"), 2);
            file.setValue(QStringLiteral("pipeline/label_free_rule"), QStringLiteral("median"));
            file.setValue(QStringLiteral("pipeline/label_free_quantile"), 1.0);
            file.setValue(QStringLiteral("pipeline/label_free_margin"), QStringLiteral("nan"));
            file.setValue(QStringLiteral("alerts/cooldown_s"), AlertRules::kMaxCooldownSeconds + 1);
            file.setValue(QStringLiteral("language"), QStringLiteral("fr"));
        }
        const QSettings file(ini, QSettings::IniFormat);
        const ConsoleSettings loaded = ConsoleSettings::load(file);
        const QString diff = difference(loaded, ConsoleSettings{});
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QVERIFY(loaded.validate().ok());

        // A good value beside bad ones is kept.
        QSettings mixed(dir_.filePath(QStringLiteral("mixed.ini")), QSettings::IniFormat);
        mixed.setValue(QStringLiteral("pipeline/trees"), 75);
        mixed.setValue(QStringLiteral("pipeline/window"), FeatureParams::kMaxWindow + 1);
        const ConsoleSettings partly = ConsoleSettings::load(mixed);
        QCOMPARE(partly.trees, 75);
        QCOMPARE(partly.window, ConsoleSettings{}.window);
    }

    void validateUsesTheCoresRanges() {
        ConsoleSettings s;
        s.trees = 0;
        QVERIFY(!s.validate().ok());
        s = {};
        s.scoreFilter.smoothSamples = 0;
        QVERIFY(!s.validate().ok());
        s = {};
        s.span.kind = TrainSpan::Kind::Duration;
        s.span.durationMs = 10;
        QVERIFY(!s.validate().ok());
        s = {};
        s.evaluation.labelFreeMargin = 0.5;
        QVERIFY(!s.validate().ok());
        s = {};
        s.cooldownSeconds = -1;
        QVERIFY(!s.validate().ok());
        s = {};
        s.language = QStringLiteral("fr");
        QVERIFY(!s.validate().ok());
    }

    void dialogShowsLoadedValuesAndReturnsEdits() {
        SettingsDialog dialog;
        const ConsoleSettings s = changedSettings();
        dialog.setSettings(s);
        QString diff = difference(dialog.settings(), s);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // The widgets show them.
        QCOMPARE(dialog.findChild<QSpinBox*>(QStringLiteral("trees"))->value(), 50);
        QCOMPARE(dialog.findChild<QSpinBox*>(QStringLiteral("smoothSamples"))->value(), 3);
        QCOMPARE(dialog.findChild<QDoubleSpinBox*>(QStringLiteral("spanHours"))->value(), 6.0);
        QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("language"))->currentData().toString(),
                 QStringLiteral("de"));
        QCOMPARE(dialog.findChild<QLineEdit*>(QStringLiteral("rulesFile"))->text(), s.rulesFile);
        // Only the label-free margin applies with the max × margin rule; no minimum precision label-free.
        QVERIFY(!dialog.findChild<QDoubleSpinBox*>(QStringLiteral("minPrecision"))->isEnabled());
        QVERIFY(!dialog.findChild<QDoubleSpinBox*>(QStringLiteral("labelFreeQuantile"))->isEnabled());
        QVERIFY(dialog.findChild<QDoubleSpinBox*>(QStringLiteral("labelFreeMargin"))->isEnabled());

        // Edits come back.
        dialog.findChild<QSpinBox*>(QStringLiteral("window"))->setValue(12);
        auto* kind = dialog.findChild<QComboBox*>(QStringLiteral("spanKind"));
        kind->setCurrentIndex(kind->findData(int(TrainSpan::Kind::Fraction)));
        dialog.findChild<QDoubleSpinBox*>(QStringLiteral("spanFraction"))->setValue(40);
        auto* rule = dialog.findChild<QComboBox*>(QStringLiteral("thresholdRule"));
        rule->setCurrentIndex(rule->findData(int(ThresholdRule::Auto)));
        QVERIFY(dialog.findChild<QDoubleSpinBox*>(QStringLiteral("minPrecision"))->isEnabled());
        dialog.findChild<QDoubleSpinBox*>(QStringLiteral("minAlarmSeconds"))->setValue(0);
        auto* scaling = dialog.findChild<QComboBox*>(QStringLiteral("scaling"));
        scaling->setCurrentIndex(scaling->findData(scalingModeName(ScalingMode::PerDeviceState)));
        const ConsoleSettings edited = dialog.settings();
        QCOMPARE(edited.window, 12);
        QCOMPARE(edited.span.kind, TrainSpan::Kind::Fraction);
        QCOMPARE(edited.span.fraction, 0.4);
        QCOMPARE(edited.span.durationMs, s.span.durationMs);  // kept for when the kind is chosen again
        QCOMPARE(edited.evaluation.thresholdRule, ThresholdRule::Auto);
        QCOMPARE(edited.scoreFilter.minAlarmSeconds, 0.0);
        QCOMPARE(edited.scaling, ScalingMode::PerDeviceState);
        QCOMPARE(edited.trees, s.trees);

        // Restore defaults puts every widget back.
        auto* buttons = dialog.findChild<QDialogButtonBox*>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
        diff = difference(dialog.settings(), ConsoleSettings{});
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    // The operator name of alarm actions: the OS user by default, remembered, checked with the journal's
    // own rule (the dialog stays open with the error), and what the console's alarm actions use.
    void operatorName() {
        QCOMPARE(ConsoleSettings{}.operatorName, defaultOperatorName());
        QVERIFY(!ConsoleSettings{}.operatorName.isEmpty());
        const QString ini = dir_.filePath(QStringLiteral("operator.ini"));
        {
            QSettings file(ini, QSettings::IniFormat);
            ConsoleSettings s;
            s.operatorName = QStringLiteral("Olga Berg");
            s.save(file);
        }
        {
            const QSettings file(ini, QSettings::IniFormat);
            QCOMPARE(ConsoleSettings::load(file).operatorName, QStringLiteral("Olga Berg"));
        }
        {
            QSettings file(ini, QSettings::IniFormat);
            file.setValue(QStringLiteral("alarms/operator"), QStringLiteral("system"));  // reserved
        }
        {
            const QSettings file(ini, QSettings::IniFormat);
            QCOMPARE(ConsoleSettings::load(file).operatorName, defaultOperatorName());
        }

        SettingsDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* name = dialog.findChild<QLineEdit*>(QStringLiteral("operatorName"));
        QVERIFY(name);
        QCOMPARE(name->text(), defaultOperatorName());
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        for (const QString& bad : {QString(), QStringLiteral("   "), QStringLiteral("System")}) {
            name->setText(bad);
            QTest::mouseClick(ok, Qt::LeftButton);
            QCOMPARE(accepted.count(), 0);
            QVERIFY2(dialog.errorText().contains(QLatin1String("operator name")),
                     qPrintable(dialog.errorText()));
        }
        name->setText(QStringLiteral("  Piet  "));
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(dialog.settings().operatorName, QStringLiteral("Piet"));

        // The console's alarm actions are recorded under the name chosen in the dialog.
        QSettings().clear();
        MainWindow window;
        QCOMPARE(window.alarmController()->operatorName(), defaultOperatorName());
        QAction* action = window.findChild<QAction*>(QStringLiteral("settingsAction"));
        whenDialogOpens([](SettingsDialog* d) {
            d->findChild<QLineEdit*>(QStringLiteral("operatorName"))->setText(QStringLiteral("Ada"));
            QTest::mouseClick(d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
        });
        action->trigger();
        QCOMPARE(window.alarmController()->operatorName(), QStringLiteral("Ada"));
        QCOMPARE(QSettings().value(QStringLiteral("alarms/operator")).toString(), QStringLiteral("Ada"));
        QSettings().clear();
    }

    void badRulesFileKeepsTheDialogOpen() {
        QTemporaryDir dir;
        const QString broken =
            test::writeFile(dir, QStringLiteral("rules.json"),
                            QByteArray("{\n  \"cooldown_s\": 60,\n  \"rules\": [ {\"id\": } ]\n}\n"));
        SettingsDialog dialog;
        ConsoleSettings s;
        s.rulesFile = broken;
        dialog.setSettings(s);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        // The core's own message, naming the file and the line.
        const auto expected = AlertRules::load(broken);
        QVERIFY(!expected.ok());
        QVERIFY2(dialog.errorText().contains(expected.error().toString()), qPrintable(dialog.errorText()));
        QVERIFY2(dialog.errorText().contains(broken + QStringLiteral(":3")), qPrintable(dialog.errorText()));

        // A missing file too.
        dialog.findChild<QLineEdit*>(QStringLiteral("rulesFile"))
            ->setText(dir.filePath(QStringLiteral("none.json")));
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(accepted.count(), 0);
        QVERIFY2(dialog.errorText().contains(QStringLiteral("none.json")), qPrintable(dialog.errorText()));

        // A good file is accepted.
        nlohmann::json j = AlertRules::defaults().toJson();
        j["cooldown_s"] = 42;
        const QString good =
            test::writeFile(dir, QStringLiteral("good.json"), QByteArray::fromStdString(j.dump(2)));
        dialog.findChild<QLineEdit*>(QStringLiteral("rulesFile"))->setText(good);
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(accepted.count(), 1);
        QVERIFY(dialog.errorText().isEmpty());
        QCOMPARE(dialog.settings().rulesFile, good);
    }

    void applySetsTheRequestExactly() {
        QTemporaryDir dir;
        nlohmann::json j = AlertRules::defaults().toJson();
        j["cooldown_s"] = 42;
        j["top_features"] = 5;
        ConsoleSettings s = changedSettings();
        s.rulesFile = test::writeFile(dir, QStringLiteral("rules.json"), QByteArray::fromStdString(j.dump()));

        PipelineRequest request;
        request.train.threads = 3;        // not a setting: left alone
        request.analysis.explainTop = 7;  // likewise
        QVERIFY(s.applyTo(request).ok());
        const TrainConfig& t = request.train;
        QCOMPARE(t.features.window, 64);
        QCOMPARE(t.features.timeCapSeconds, FeatureParams{}.timeCapSeconds);
        QCOMPARE(t.model.forest.trees, 50);
        QCOMPARE(t.model.forest.sampleSize, 128);
        QCOMPARE(t.model.forest.seed, quint64(7));
        QCOMPARE(t.model.scaler.mode, ScalingMode::PerDevice);
        QCOMPARE(t.span.kind, TrainSpan::Kind::Duration);
        QCOMPARE(t.span.durationMs, qint64(6 * 3'600'000));
        QCOMPARE(t.scoreFilter.smoothSamples, 3);
        QCOMPARE(t.scoreFilter.minAlarmSeconds, 30.0);
        QCOMPARE(t.threads, 3);
        const AnalysisOptions& a = request.analysis;
        QCOMPARE(a.evaluation.thresholdRule, ThresholdRule::LabelFree);
        QCOMPARE(a.evaluation.minPrecision, 0.75);
        QCOMPARE(a.evaluation.labelFreeRule, LabelFreeRule::MaxMargin);
        QCOMPARE(a.evaluation.labelFreeQuantile, 0.99);
        QCOMPARE(a.evaluation.labelFreeMargin, 1.2);
        QCOMPARE(a.evaluation.sweepTopScores, EvaluationOptions{}.sweepTopScores);
        QCOMPARE(a.explainTop, 7);
        // The file's rules with the setting's cooldown (over the file's 42 s).
        QCOMPARE(a.rules.topFeatures(), 5);
        QCOMPARE(a.rules.cooldownSeconds(), 60.0);

        // Without a file: the built-in rules, the cooldown still applied.
        s.rulesFile.clear();
        QVERIFY(s.applyTo(request).ok());
        QCOMPARE(request.analysis.rules.topFeatures(), AlertRules::defaults().topFeatures());
        QCOMPARE(request.analysis.rules.cooldownMs(), qint64(60000));

        // A failure changes nothing.
        PipelineRequest untouched;
        s.rulesFile = dir.filePath(QStringLiteral("missing.json"));
        const Status failed = s.applyTo(untouched);
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().toString().contains(QStringLiteral("missing.json")));
        QCOMPARE(untouched.train.model.forest.trees, ForestParams{}.trees);
        QCOMPARE(untouched.train.scoreFilter.smoothSamples, 1);
    }

    void changedFromDefaultsNamesTheChanges() {
        ConsoleSettings s;
        s.trees = 50;
        s.scoreFilter.smoothSamples = 3;
        const QStringList changed = s.changedFromDefaults();
        QCOMPARE(changed.size(), 2);
        QVERIFY2(changed.join(QLatin1Char('|')).contains(QStringLiteral("trees 50")),
                 qPrintable(changed.join('|')));
        QVERIFY2(changed.join(QLatin1Char('|')).contains(QStringLiteral("smoothing 3 samples")),
                 qPrintable(changed.join('|')));
        s.language = QStringLiteral("de");  // not a run setting
        QCOMPARE(s.changedFromDefaults().size(), 2);
    }

    // Edit ▸ Settings… through the main window, then a run: the model is trained with the new settings.
    void runsUseTheSettingsChangedInTheDialog() {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QAction* action = window.findChild<QAction*>(QStringLiteral("settingsAction"));
        QVERIFY(action);
        QVERIFY(action->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)));

        bool edited = false;
        whenDialogOpens([&edited](SettingsDialog* dialog) {
            dialog->findChild<QSpinBox*>(QStringLiteral("trees"))->setValue(50);
            dialog->findChild<QSpinBox*>(QStringLiteral("smoothSamples"))->setValue(3);
            dialog->findChild<QSpinBox*>(QStringLiteral("window"))->setValue(20);
            dialog->findChild<QSpinBox*>(QStringLiteral("cooldown"))->setValue(120);
            edited = true;
            QTest::mouseClick(dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
        });
        action->trigger();
        QVERIFY(edited);
        QCOMPARE(QSettings().value(QStringLiteral("pipeline/trees")).toInt(), 50);

        // Cancel keeps what was saved.
        whenDialogOpens([](SettingsDialog* dialog) {
            dialog->findChild<QSpinBox*>(QStringLiteral("trees"))->setValue(9);
            dialog->reject();
        });
        action->trigger();
        QCOMPARE(QSettings().value(QStringLiteral("pipeline/trees")).toInt(), 50);

        QSignalSpy shown(&window, &MainWindow::resultShown);
        QSignalSpy failed(window.controller(), &PipelineController::failed);
        SimulationSettings fleet;
        fleet.devices = 3;
        fleet.hours = 6;
        fleet.faultRateScale = 4;
        QVERIFY(window.simulate(fleet, dir_.filePath(QStringLiteral("fleet.db")), true));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        const PipelineResultPtr result = window.result();
        QVERIFY(result);
        const AnomalyModel& model = result->scored.model;
        QCOMPARE(model.forestParams().trees, 50);
        QCOMPARE(model.forest().treeCount(), 50);
        const auto filter = scoreFilterOf(model);
        QVERIFY(filter.ok());
        QCOMPARE(filter->smoothSamples, 3);
        const auto config = pipelineConfigFromJson(model.featureConfig(), QStringLiteral("model"));
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().toString()));
        QCOMPARE(config->first.window, 20);
        QCOMPARE(result->analysis.rules.cooldownSeconds(), 120.0);
        QVERIFY2(window.statusText().contains(QStringLiteral("trees 50")), qPrintable(window.statusText()));
    }

    // The dialog fits a 1280×800 laptop screen with room for the window frame. With ITAP_SCREENSHOT_DIR set
    // it is saved there as settings_dialog.png; ITAP_TRANSLATION (a .qm file) shows it translated.
    void fitsALaptopScreen() {
        QTranslator translator;
        const QString qm = qEnvironmentVariable("ITAP_TRANSLATION");
        if (!qm.isEmpty()) {
            QVERIFY2(translator.load(qm), qPrintable(qm));
            QCoreApplication::installTranslator(&translator);
        }
        {
            SettingsDialog dialog;
            dialog.setSettings(changedSettings());
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.resize(dialog.sizeHint());
            QVERIFY2(dialog.width() <= 1240 && dialog.height() <= 740,
                     qPrintable(QStringLiteral("%1×%2").arg(dialog.width()).arg(dialog.height())));
            const QString dir = qEnvironmentVariable("ITAP_SCREENSHOT_DIR");
            if (!dir.isEmpty())
                QVERIFY(dialog.grab().save(QDir(dir).filePath(QStringLiteral("settings_dialog.png"))));
        }
        QCoreApplication::removeTranslator(&translator);
    }

    // A rules file that broke after it was chosen stops the next run with the core's error, not a crash.
    void aBrokenRulesFileStopsTheRun() {
        QTemporaryDir dir;
        const QString rules = test::writeFile(dir, QStringLiteral("rules.json"), QByteArray("{ oops"));
        QSettings().setValue(QStringLiteral("alerts/rules_file"), rules);
        MainWindow window;
        QSignalSpy started(window.controller(), &PipelineController::started);
        QVERIFY(!window.openDatabase(dir_.filePath(QStringLiteral("fleet.db"))));
        QTest::qWait(50);
        QCOMPARE(started.count(), 0);
        QSettings().remove(QStringLiteral("alerts/rules_file"));
    }

private:
    QTemporaryDir dir_;
};

ITAP_UI_TEST_MAIN(SettingsDialogTest)
#include "settings_dialog_test.moc"
