#include "simulate_dialog.h"

#include "ui/widget_test_main.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace itap;

class SimulateDialogTest : public QObject {
    Q_OBJECT

private slots:
    void settingsRoundTrip_data() {
        QTest::addColumn<int>("devices");
        QTest::addColumn<int>("hours");
        QTest::addColumn<int>("intervalS");
        QTest::addColumn<int>("seed");
        QTest::addColumn<QStringList>("faults");
        QTest::addColumn<double>("scale");
        QTest::newRow("defaults") << 20 << 24 << 10 << 42 << fault::all() << 1.0;
        QTest::newRow("small, two faults")
            << 3 << 6 << 30 << 7 << QStringList{fault::kOverheat, fault::kPowerSpike} << 2.5;
        QTest::newRow("no faults") << 9999 << 1 << 3600 << 0 << QStringList{} << 0.0;
    }

    void settingsRoundTrip() {
        QFETCH(int, devices);
        QFETCH(int, hours);
        QFETCH(int, intervalS);
        QFETCH(int, seed);
        QFETCH(QStringList, faults);
        QFETCH(double, scale);
        SimulationSettings s;
        s.devices = devices;
        s.hours = hours;
        s.intervalS = intervalS;
        s.seed = quint64(seed);
        s.faults = faults;
        s.faultRateScale = scale;

        // Through the dialog's widgets...
        SimulateDialog dialog;
        dialog.setSettings(s);
        const SimulationSettings shown = dialog.settings();
        QCOMPARE(shown.devices, devices);
        QCOMPARE(shown.hours, hours);
        QCOMPARE(shown.intervalS, intervalS);
        QCOMPARE(shown.seed, quint64(seed));
        QCOMPARE(shown.faults, faults);
        QCOMPARE(shown.faultRateScale, scale);

        // ...and through QSettings.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            QSettings file(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
            s.save(file);
        }
        const QSettings file(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        const SimulationSettings loaded = SimulationSettings::load(file);
        QCOMPARE(loaded.devices, devices);
        QCOMPARE(loaded.hours, hours);
        QCOMPARE(loaded.intervalS, intervalS);
        QCOMPARE(loaded.seed, quint64(seed));
        QCOMPARE(loaded.faults, faults);
        QCOMPARE(loaded.faultRateScale, scale);
    }

    void badSettingsKeepDefaults() {
        QTemporaryDir dir;
        QSettings file(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        file.setValue(QStringLiteral("simulation/devices"), 0);
        file.setValue(QStringLiteral("simulation/hours"), QStringLiteral("many"));
        file.setValue(QStringLiteral("simulation/faults"),
                      QStringList{QStringLiteral("meteor"), fault::kOverheat});
        const SimulationSettings loaded = SimulationSettings::load(file);
        const SimulationSettings defaults;
        QCOMPARE(loaded.devices, defaults.devices);
        QCOMPARE(loaded.hours, defaults.hours);
        QCOMPARE(loaded.faults, QStringList{fault::kOverheat});
    }

    void toProfile() {
        SimulationSettings s;
        s.devices = 4;
        s.hours = 2;
        s.intervalS = 5;
        s.seed = 99;
        s.faults = {fault::kBearingWear};
        s.faultRateScale = 3;
        const SimulationProfile base = SimulationProfile::defaults();
        const SimulationProfile p = s.toProfile(base);
        QCOMPARE(p.devices, 4);
        QCOMPARE(p.hours, 2);
        QCOMPARE(p.intervalS, 5);
        QCOMPARE(p.seed, quint64(99));
        QVERIFY(p.episode(FaultType::BearingWear).enabled);
        QVERIFY(!p.episode(FaultType::Overheat).enabled);
        QVERIFY(!p.episode(FaultType::PowerSpike).enabled);
        QVERIFY(!p.episode(FaultType::SensorDropout).enabled);
        QCOMPARE(p.episode(FaultType::BearingWear).ratePerDay,
                 base.episode(FaultType::BearingWear).ratePerDay * 3);
        QVERIFY(p.validate().ok());
    }

    void databasePath() {
        SimulateDialog dialog;
        dialog.setDatabasePath(QStringLiteral("  /tmp/x/fleet.db "));
        QCOMPARE(dialog.databasePath(), QStringLiteral("/tmp/x/fleet.db"));
    }
};

ITAP_UI_TEST_MAIN(SimulateDialogTest)
#include "simulate_dialog_test.moc"
