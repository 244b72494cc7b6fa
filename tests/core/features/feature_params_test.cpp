#include "features/feature_params.h"
#include "common/json_util.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;

class FeatureParamsTest : public QObject {
    Q_OBJECT
private slots:
    void defaultsAreValid() {
        const FeatureParams p;
        QVERIFY(p.validate().ok());
        QCOMPARE(p.window, 30);
    }

    void validatesRanges_data() {
        QTest::addColumn<int>("window");
        QTest::addColumn<double>("cap");
        QTest::addColumn<bool>("ok");
        QTest::newRow("min window") << 4 << 3600.0 << true;
        QTest::newRow("max window") << 4096 << 3600.0 << true;
        QTest::newRow("window 3") << 3 << 3600.0 << false;
        QTest::newRow("window 4097") << 4097 << 3600.0 << false;
        QTest::newRow("negative window") << -30 << 3600.0 << false;
        QTest::newRow("cap 1") << 30 << 1.0 << true;
        QTest::newRow("cap 0.5") << 30 << 0.5 << false;
        QTest::newRow("cap nan") << 30 << std::nan("") << false;
        QTest::newRow("cap 1e9") << 30 << 1e9 << false;
    }
    void validatesRanges() {
        QFETCH(int, window);
        QFETCH(double, cap);
        QFETCH(bool, ok);
        FeatureParams p;
        p.window = window;
        p.timeCapSeconds = cap;
        const Status st = p.validate();
        QCOMPARE(st.ok(), ok);
        if (!ok)
            QCOMPARE(st.error().kind, Error::Kind::BadInput);
    }

    void roundTripsThroughJson() {
        FeatureParams p;
        p.window = 17;
        p.timeCapSeconds = 120.5;
        const nlohmann::json j = p.toJson();
        QCOMPARE(j.at("feature_version").get<int>(), FeatureParams::kFeatureVersion);
        auto back = FeatureParams::fromJson(j, "model.json");
        QVERIFY(back.ok());
        QVERIFY(*back == p);
        auto empty = FeatureParams::fromJson(nlohmann::json::object());
        QVERIFY(empty.ok());
        QVERIFY(*empty == FeatureParams{});
    }

    void rejectsBadJson_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not an object") << QByteArray("[30]") << "expected a JSON object";
        QTest::newRow("unknown key") << QByteArray(R"({"windw":30})") << "unknown key \"windw\"";
        QTest::newRow("other version")
            << QByteArray(R"({"feature_version":99})") << "features.feature_version";
        QTest::newRow("window text") << QByteArray(R"({"window":"30"})") << "features.window";
        QTest::newRow("window fraction") << QByteArray(R"({"window":30.5})") << "features.window";
        QTest::newRow("window range")
            << QByteArray(R"({"window":2})") << "features.window: 2 is out of range 4..4096";
        QTest::newRow("window huge") << QByteArray(R"({"window":99999999999})") << "features.window";
        // Beyond int: named as given, not as 0 (the value the narrowing was replaced by).
        QTest::newRow("window 2e9") << QByteArray(R"({"window":2000000000})")
                                    << "features.window: 2000000000 is out of range 4..4096";
        QTest::newRow("window 2^63") << QByteArray(R"({"window":9223372036854775808})")
                                     << "features.window: 9223372036854775808 is too large";
        QTest::newRow("cap range") << QByteArray(R"({"time_cap_s":0})") << "features.time_cap_s";
    }
    void rejectsBadJson() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto j = parseJson(json, "model.json");
        QVERIFY(j.ok());
        auto p = FeatureParams::fromJson(*j, "model.json");
        QVERIFY(!p.ok());
        QCOMPARE(p.error().kind, Error::Kind::BadInput);
        QCOMPARE(p.error().file, QStringLiteral("model.json"));
        QVERIFY2(p.error().message.contains(expected), qPrintable(p.error().toString()));
    }
};

QTEST_GUILESS_MAIN(FeatureParamsTest)
#include "feature_params_test.moc"
