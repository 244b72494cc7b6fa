#include "model/standard_scaler.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace itap;

namespace {

// Rows with one feature: value per row given explicitly.
FeatureMatrix column(const std::vector<float>& values) {
    FeatureMatrix m;
    m.cols = 1;
    m.data = values;
    return m;
}

float z(const StandardScaler& s, const QString& device, OpState st, float raw) {
    float out = 0;
    s.transform(device, st, &raw, &out);
    return out;
}

// Population mean and standard deviation.
std::pair<double, double> meanSd(const std::vector<float>& v) {
    double m = 0;
    for (float x : v) m += x;
    m /= static_cast<double>(v.size());
    double ss = 0;
    for (float x : v) ss += (x - m) * (x - m);
    return {m, std::sqrt(ss / static_cast<double>(v.size()))};
}

}  // namespace

class StandardScalerTest : public QObject {
    Q_OBJECT
private slots:
    void globalMatchesHandComputedMoments() {
        const std::vector<float> v = {1, 2, 3, 4, 10, 1e5F, 1e5F + 1};
        ScalerParams p;
        p.mode = ScalingMode::Global;
        const auto s =
            StandardScaler::fit(column(v), std::vector<OpState>(v.size(), OpState::Run), {}, {}, p);
        QVERIFY(s.ok());
        const auto [m, sd] = meanSd(v);
        QVERIFY(std::abs(s->mean(0)[0] - m) < 1e-6 * m);
        QVERIFY(std::abs(s->scale(0)[0] - sd) < 1e-6 * sd);
        QVERIFY(std::abs(z(*s, {}, OpState::Idle, 10.0F) - static_cast<float>((10 - m) / sd)) < 1e-5);
    }

    void constantAndNonFiniteInputsStayFinite_data() {
        QTest::addColumn<float>("raw");
        QTest::addColumn<float>("expected");
        QTest::newRow("constant value") << 5.0F << 0.0F;
        QTest::newRow("other value") << 7.0F << 2.0F;  // std 0 → scale 1
        QTest::newRow("NaN") << std::numeric_limits<float>::quiet_NaN() << 0.0F;
        QTest::newRow("+inf") << std::numeric_limits<float>::infinity() << StandardScaler::kMaxAbsZ;
        QTest::newRow("-inf") << -std::numeric_limits<float>::infinity() << -StandardScaler::kMaxAbsZ;
        QTest::newRow("huge") << 3e38F << StandardScaler::kMaxAbsZ;
    }
    void constantAndNonFiniteInputsStayFinite() {
        QFETCH(float, raw);
        QFETCH(float, expected);
        const std::vector<float> v(100, 5.0F);
        const auto s =
            StandardScaler::fit(column(v), std::vector<OpState>(v.size(), OpState::Run), {}, {}, {});
        QVERIFY(s.ok());
        QCOMPARE(s->scale(0)[0], 1.0F);
        QCOMPARE(z(*s, {}, OpState::Run, raw), expected);
    }

    void nonFiniteTrainingValuesAreIgnored() {
        std::vector<float> v = {1, 2, 3, std::numeric_limits<float>::quiet_NaN(),
                                std::numeric_limits<float>::infinity()};
        ScalerParams p;
        p.mode = ScalingMode::Global;
        const auto s =
            StandardScaler::fit(column(v), std::vector<OpState>(v.size(), OpState::Run), {}, {}, p);
        QVERIFY(s.ok());
        QCOMPARE(s->mean(0)[0], 2.0F);
        QVERIFY(std::abs(s->scale(0)[0] - std::sqrt(2.0F / 3.0F)) < 1e-6);
    }

    // RUN rows around 100, IDLE rows around 0: each state gets its own statistics; MAINT has too few rows
    // and falls back to the global ones.
    void perStateWithFallback() {
        std::vector<float> v;
        std::vector<OpState> st;
        for (int i = 0; i < 200; ++i) {
            v.push_back(100.0F + static_cast<float>(i % 5));
            st.push_back(OpState::Run);
            v.push_back(static_cast<float>(i % 2));
            st.push_back(OpState::Idle);
        }
        for (int i = 0; i < 5; ++i) {
            v.push_back(50.0F);
            st.push_back(OpState::Maint);
        }
        const auto s = StandardScaler::fit(column(v), st, {}, {}, ScalerParams{});
        QVERIFY(s.ok());
        QCOMPARE(s->params().mode, ScalingMode::PerState);
        QCOMPARE(s->mean(s->tableFor(-1, OpState::Run))[0], 102.0F);
        QCOMPARE(s->mean(s->tableFor(-1, OpState::Idle))[0], 0.5F);
        QCOMPARE(s->scale(s->tableFor(-1, OpState::Idle))[0], 0.5F);
        QCOMPARE(s->mean(s->tableFor(-1, OpState::Maint))[0], s->mean(0)[0]);
        QCOMPARE(z(*s, {}, OpState::Idle, 1.0F), 1.0F);
        QVERIFY(z(*s, {}, OpState::Run, 1.0F) < -50.0F);
    }

    void perDeviceModes_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("device");
        QTest::addColumn<int>("state");
        QTest::addColumn<float>("expectedMean");
        // Device A: RUN 10, IDLE 20 (60 rows each); device B: RUN 30 (60 rows), IDLE 40 (3 rows).
        const auto dev = static_cast<int>(ScalingMode::PerDevice);
        const auto devState = static_cast<int>(ScalingMode::PerDeviceState);
        QTest::newRow("per device A") << dev << "A" << 0 << 15.0F;
        QTest::newRow("per device unseen → global") << dev << "Z" << 0 << (600.0F + 1200 + 1800 + 120) / 183;
        QTest::newRow("device+state A IDLE") << devState << "A" << 1 << 20.0F;
        QTest::newRow("device+state B IDLE too few → state") << devState << "B" << 1 << (1200.0F + 120) / 63;
        QTest::newRow("device+state unseen → state") << devState << "Z" << 0 << 20.0F;
    }
    void perDeviceModes() {
        QFETCH(int, mode);
        QFETCH(QString, device);
        QFETCH(int, state);
        QFETCH(float, expectedMean);
        std::vector<float> v;
        std::vector<OpState> st;
        std::vector<int> dev;
        auto add = [&](int n, float value, OpState s, int d) {
            for (int i = 0; i < n; ++i) {
                v.push_back(value);
                st.push_back(s);
                dev.push_back(d);
            }
        };
        add(60, 10, OpState::Run, 0);
        add(60, 20, OpState::Idle, 0);
        add(60, 30, OpState::Run, 1);
        add(3, 40, OpState::Idle, 1);
        ScalerParams p;
        p.mode = static_cast<ScalingMode>(mode);
        const auto s = StandardScaler::fit(column(v), st, dev, {"A", "B"}, p);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().toString()));
        const int table = s->tableFor(s->deviceSlot(device), static_cast<OpState>(state));
        QVERIFY(std::abs(s->mean(table)[0] - expectedMean) < 1e-4);
    }

    void rejectsBadInput_data() {
        QTest::addColumn<int>("caseId");
        QTest::newRow("states size") << 0;
        QTest::newRow("device index out of range") << 1;
        QTest::newRow("per device without device index") << 2;
        QTest::newRow("minGroupRows 1") << 3;
        QTest::newRow("no rows") << 4;
        QTest::newRow("duplicate devices") << 5;
    }
    void rejectsBadInput() {
        QFETCH(int, caseId);
        FeatureMatrix m = column({1, 2, 3});
        std::vector<OpState> st(3, OpState::Run);
        std::vector<int> dev = {0, 0, 0};
        QStringList devices = {"A"};
        ScalerParams p;
        switch (caseId) {
            case 0:
                st.pop_back();
                break;
            case 1:
                dev[1] = 1;
                break;
            case 2:
                p.mode = ScalingMode::PerDevice;
                dev.clear();
                break;
            case 3:
                p.minGroupRows = 1;
                break;
            case 4:
                m.data.clear();
                st.clear();
                dev.clear();
                break;
            case 5:
                devices = {"A", "A"};
                break;
        }
        const auto s = StandardScaler::fit(m, st, dev, devices, p);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
    }

    void jsonRoundTrip_data() {
        QTest::addColumn<int>("mode");
        for (auto m : {ScalingMode::Global, ScalingMode::PerState, ScalingMode::PerDevice,
                       ScalingMode::PerDeviceState})
            QTest::newRow(qPrintable(scalingModeName(m))) << static_cast<int>(m);
    }
    void jsonRoundTrip() {
        QFETCH(int, mode);
        FeatureMatrix m;
        m.cols = 3;
        std::vector<OpState> st;
        std::vector<int> dev;
        for (int i = 0; i < 300; ++i) {
            m.data.insert(m.data.end(),
                          {static_cast<float>(i) * 0.37F, static_cast<float>(i % 7), 1.0F / (1 + i)});
            st.push_back(static_cast<OpState>(i % 3));
            dev.push_back(i % 2);
        }
        ScalerParams p;
        p.mode = static_cast<ScalingMode>(mode);
        const auto s = StandardScaler::fit(m, st, dev, {"A", "B"}, p);
        QVERIFY(s.ok());
        const auto back = StandardScaler::fromJson(nlohmann::json::parse(s->toJson().dump()), 3, "x");
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().toString()));
        QCOMPARE(back->tableCount(), s->tableCount());
        for (const QString& d : {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("unseen")})
            for (int state = 0; state < kOpStateCount; ++state) {
                float a[3], b[3];
                s->transform(d, static_cast<OpState>(state), m.row(5), a);
                back->transform(d, static_cast<OpState>(state), m.row(5), b);
                QCOMPARE(std::memcmp(a, b, sizeof a), 0);
            }
    }

    void fromJsonRejectsBadTables_data() {
        QTest::addColumn<QString>("patch");
        QTest::newRow("unknown mode") << R"({"mode":"per_moon"})";
        QTest::newRow("zero scale") << R"({"tables":[{"mean":[0],"scale":[0]}]})";
        QTest::newRow("short table") << R"({"tables":[{"mean":[],"scale":[1]}]})";
        QTest::newRow("feature count") << R"({"features":2})";
        QTest::newRow("table count") << R"({"tables":[]})";
    }
    void fromJsonRejectsBadTables() {
        QFETCH(QString, patch);
        ScalerParams p;
        p.mode = ScalingMode::Global;
        const auto s =
            StandardScaler::fit(column({1, 2, 3}), std::vector<OpState>(3, OpState::Run), {}, {}, p);
        QVERIFY(s.ok());
        nlohmann::json j = s->toJson();
        QVERIFY(StandardScaler::fromJson(j, 1, "model.bin").ok());
        j.merge_patch(nlohmann::json::parse(patch.toStdString()));
        const auto r = StandardScaler::fromJson(j, 1, "model.bin");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().file, QStringLiteral("model.bin"));
    }
};

QTEST_GUILESS_MAIN(StandardScalerTest)
#include "standard_scaler_test.moc"
