#include "telemetry/simulation_profile.h"
#include "common/json_util.h"
#include "common/telemetry.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;

class SimulationProfileTest : public QObject {
    Q_OBJECT
private slots:
    void shippedProfileEqualsBuiltInDefaults() {
        // The resource documents the defaults; the struct holds them. They must not drift apart.
        const SimulationProfile shipped = SimulationProfile::defaults();
        QCOMPARE(QString::fromStdString(shipped.toJson().dump()),
                 QString::fromStdString(SimulationProfile{}.toJson().dump()));
        QVERIFY(shipped == SimulationProfile{});
        QVERIFY(shipped.validate().ok());
        QCOMPARE(shipped.devices, 20);
        QCOMPARE(shipped.hours, 24);
        QCOMPARE(shipped.intervalS, 10);
        QCOMPARE(shipped.seed, std::uint64_t(42));
        QCOMPARE(shipped.samplesPerDevice(), qint64(8640));
    }

    void jsonRoundTrip() {
        SimulationProfile p;
        p.devices = 7;
        p.hours = 3;
        p.intervalS = 5;
        p.seed = 0xFFFFFFFFFFFFFFFFULL;  // the full unsigned range survives JSON
        p.startMs += 3600000;
        p.device.ratedCurrentA = {10, 12.5};
        p.errors.codes = {7, 8};
        p.powerSpike.episode.enabled = false;
        p.bearingWear.periodS = 120;
        p.sensorDropout.stuckProbability = 1;
        auto back = SimulationProfile::fromJson(p.toJson(), QStringLiteral("mem"));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QVERIFY(*back == p);
    }

    void partialJsonKeepsDefaults() {
        const auto j =
            nlohmann::json::parse(R"({"devices": 3, "faults": {"overheat": {"rate_per_day": 2}}})");
        auto p = SimulationProfile::fromJson(j, QStringLiteral("p.json"));
        QVERIFY(p.ok());
        QCOMPARE(p->devices, 3);
        QCOMPARE(p->overheat.episode.ratePerDay, 2.0);
        SimulationProfile expected;
        expected.devices = 3;
        expected.overheat.episode.ratePerDay = 2;
        QVERIFY(*p == expected);
    }

    void errorsNameTheField_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("negative rate")
            << R"({"faults": {"overheat": {"rate_per_day": -1}}})"
            << "profile.json: faults.overheat.rate_per_day: must be between 0 and 100";
        QTest::newRow("rate not a number")
            << R"({"faults": {"power_spike": {"rate_per_day": "x"}}})"
            << "profile.json: faults.power_spike.rate_per_day: expected a number";
        QTest::newRow("unknown key") << R"({"faults": {"overheat": {"rate_pr_day": 1}}})"
                                     << "profile.json: faults.overheat.rate_pr_day: unknown key";
        QTest::newRow("unknown fault") << R"({"faults": {"meltdown": {}}})"
                                       << "profile.json: faults.meltdown: unknown key";
        QTest::newRow("zero devices") << R"({"devices": 0})"
                                      << "profile.json: devices: must be between 1 and 9999";
        QTest::newRow("fractional devices") << R"({"devices": 2.5})"
                                            << "profile.json: devices: expected an integer";
        QTest::newRow("interval") << R"({"interval_s": 0})"
                                  << "profile.json: interval_s: must be between 1 and 3600";
        QTest::newRow("negative seed") << R"({"seed": -1})"
                                       << "profile.json: seed: must be >= 0";
        QTest::newRow("bad start")
            << R"({"start": "yesterday"})"
            << "profile.json: start: expected a UTC timestamp like 2026-01-01T00:00:00Z";
        QTest::newRow("inverted range")
            << R"({"faults": {"overheat": {"duration_minutes": [60, 20]}}})"
            << "profile.json: faults.overheat.duration_minutes: low must not exceed high";
        QTest::newRow("range shape") << R"({"device": {"base_load": [0.5]}})"
                                     << "profile.json: device.base_load: expected [low, high]";
        QTest::newRow("load above 1") << R"({"device": {"base_load": [0.5, 1.2]}})"
                                      << "profile.json: device.base_load: values must be > 0 and <= 1";
        QTest::newRow("aliasing period")
            << R"({"interval_s": 60, "faults": {"bearing_wear": {"period_s": 80}}})"
            << "profile.json: faults.bearing_wear.period_s: must be >= 2 * interval_s (120) and <= 86400";
        QTest::newRow("fractional transient")
            << R"({"faults": {"power_spike": {"transient_samples": [1, 2.5]}}})"
            << "profile.json: faults.power_spike.transient_samples: must be integers";
        QTest::newRow("mean below min")
            << R"({"states": {"run_mean_minutes": 10}})"
            << "profile.json: states.run_mean_minutes: must be between 60 and 100000";
        QTest::newRow("section type") << R"({"states": []})"
                                      << "profile.json: states: expected an object";
        QTest::newRow("enabled type")
            << R"({"faults": {"sensor_dropout": {"enabled": 1}}})"
            << "profile.json: faults.sensor_dropout.enabled: expected true or false";
        QTest::newRow("bad code") << R"({"errors": {"codes": [1, "x"]}})"
                                  << "profile.json: errors.codes: expected an array of integers";
        QTest::newRow("schema") << R"({"schema_version": 2})"
                                << "profile.json: schema_version: unsupported (expected 1)";
        QTest::newRow("not an object") << R"([1, 2])"
                                       << "profile.json: simulation profile: expected a JSON object";
    }
    void errorsNameTheField() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        auto p = SimulationProfile::fromJson(nlohmann::json::parse(json.toStdString()),
                                             QStringLiteral("profile.json"));
        QVERIFY(!p.ok());
        QCOMPARE(p.error().kind, Error::Kind::BadInput);
        QCOMPARE(p.error().toString(), expected);
    }

    void commentsAreIgnored() {
        const auto j =
            nlohmann::json::parse(R"({"_doc": "x", "faults": {"_doc": "y", "overheat": {"_note": 1}}})");
        QVERIFY(SimulationProfile::fromJson(j, QStringLiteral("p.json")).ok());
    }

    void loadReadsFilesAndReportsSyntaxErrors() {
        QTemporaryDir dir;
        const QString good = dir.filePath("good.json");
        QVERIFY(writeFileAtomic(good, R"({"devices": 4, "seed": 9})").ok());
        auto p = SimulationProfile::load(good);
        QVERIFY(p.ok());
        QCOMPARE(p->devices, 4);
        QCOMPARE(p->seed, std::uint64_t(9));

        const QString bad = dir.filePath("bad.json");
        QVERIFY(writeFileAtomic(bad, "{\n  \"devices\": ,\n}").ok());
        auto e = SimulationProfile::load(bad);
        QVERIFY(!e.ok());
        QCOMPARE(e.error().file, bad);
        QCOMPARE(e.error().line, qint64(2));

        QVERIFY(!SimulationProfile::load(dir.filePath("missing.json")).ok());
    }

    void validateCatchesCliOverrides() {
        // The CLI writes fields directly and then validates.
        SimulationProfile p;
        p.hours = 0;
        QVERIFY(!p.validate().ok());
        QVERIFY(p.validate().error().message.startsWith(QStringLiteral("hours:")));
        p = SimulationProfile{};
        p.scaleFaultRates(-1);
        QVERIFY(p.validate().error().message.contains(QStringLiteral("rate_per_day")));
    }

    void scaleAndToggleFaults() {
        SimulationProfile p;
        p.scaleFaultRates(2);
        QCOMPARE(p.overheat.episode.ratePerDay, 2 * SimulationProfile{}.overheat.episode.ratePerDay);
        QCOMPARE(p.sensorDropout.episode.ratePerDay,
                 2 * SimulationProfile{}.sensorDropout.episode.ratePerDay);
        p.episode(FaultType::BearingWear).enabled = false;
        QVERIFY(!p.bearingWear.episode.enabled);
        QVERIFY(p.validate().ok());
    }

    void faultTagsRoundTrip() {
        QStringList tags;
        for (int t = 0; t < kFaultTypeCount; ++t) {
            tags << faultTypeTag(FaultType(t));
            QCOMPARE(faultTypeFromTag(tags.back()), std::optional<FaultType>(FaultType(t)));
        }
        QCOMPARE(tags, fault::all());
        QVERIFY(!faultTypeFromTag(QStringLiteral("meltdown")).has_value());
    }
};

QTEST_GUILESS_MAIN(SimulationProfileTest)
#include "simulation_profile_test.moc"
