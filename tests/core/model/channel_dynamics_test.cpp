#include "model/channel_dynamics.h"
#include "core/model/synthetic_data.h"

#include <QtCore/qfloat16.h>
#include <QTest>

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstring>

using namespace itap;

namespace {

// Feature rows with two channels, a and b: columns a_mean, a_trend, b_mean, b_trend, other.
const std::vector<QString> kNames{"a_mean", "a_trend", "b_mean", "b_trend", "other"};

// A first-order coupling: a relaxes towards 2·b (trend = 0.5·(2b − a) + noise); b wanders with its own noise.
// Device 1 has an offset of +40 on a (its equilibrium is 2b + 40).
struct Data {
    FeatureMatrix rows;
    std::vector<OpState> states;
    std::vector<int> device;
    QStringList devices{"D0", "D1"};
};

Data firstOrderSystem(std::size_t n, std::uint64_t seed) {
    testdata::Gaussian g(seed);
    Data d;
    d.rows.cols = 5;
    for (std::size_t r = 0; r < n; ++r) {
        const int dev = static_cast<int>(r % 2);
        const double b = 50 + 10 * g.next();
        const double a = 2 * b + (dev == 1 ? 40 : 0) + 8 * g.next();
        const double aTrend = 0.5 * (2 * b + (dev == 1 ? 40 : 0) - a) + 0.1 * g.next();
        const double bTrend = 0.2 * g.next();
        for (double v : {a, aTrend, b, bTrend, g.next()}) d.rows.data.push_back(static_cast<float>(v));
        d.states.push_back(r % 10 == 0 ? OpState::Idle : OpState::Run);
        d.device.push_back(dev);
    }
    return d;
}

}  // namespace

class ChannelDynamicsTest : public QObject {
    Q_OBJECT
private slots:
    void findsChannelsByName() {
        const Data d = firstOrderSystem(2000, 1);
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, kNames);
        QVERIFY(dyn.active());
        QCOMPARE(dyn.trendColumns(), (std::vector<int>{1, 3}));
        // Names without a trend/mean pair: nothing to model.
        const auto none =
            ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, {"x", "y", "z", "u", "v"});
        QVERIFY(!none.active());
        QCOMPARE(none.channelCount(), 0);
    }

    // A trend the levels explain (a warm-up towards the equilibrium) leaves a small residual; the same trend
    // with the levels at equilibrium (nothing should move) leaves a large one. Per device: device 1's offset
    // is learned, so its normal rows are not anomalous either.
    void explainedTrendsAreSmallUnexplainedLarge() {
        const Data d = firstOrderSystem(4000, 2);
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, kNames, false);
        QVERIFY(!dyn.levelResiduals());
        const int g0 = dyn.groupFor(0, OpState::Run), g1 = dyn.groupFor(1, OpState::Run);
        QVERIFY(g0 >= 0 && g1 >= 0 && g0 != g1);
        bool othersUntouched = true;
        auto residual = [&](int group, float a, float aTrend, float b) -> float {
            const float raw[5] = {a, aTrend, b, 0.0F, 0.0F};
            float out[5] = {9, 9, 9, 9, 9};
            dyn.apply(group, raw, out);
            othersUntouched = othersUntouched && out[0] == 9.0F && out[2] == 9.0F && out[4] == 9.0F;
            return out[1];
        };
        // Device 0: a = 80 below equilibrium 100 → expected trend 10: explained.
        QVERIFY2(std::fabs(residual(g0, 80, 10, 50)) < 3,
                 qPrintable(QString::number(residual(g0, 80, 10, 50))));
        // At equilibrium a rising trend of 10 is unexplained.
        QVERIFY2(residual(g0, 100, 10, 50) > 20, qPrintable(QString::number(residual(g0, 100, 10, 50))));
        // Device 1's equilibrium is 140: at 140 with no trend it is normal; device 0's coefficients would not
        // say so.
        QVERIFY(std::fabs(residual(g1, 140, 0, 50)) < 3);
        QVERIFY(std::fabs(residual(g0, 140, 0, 50)) > 20);
        QVERIFY(othersUntouched);  // only the trend columns change (no level residuals)
    }

    // Level residuals: a's level is 2·b (+40 on device 1) within noise 8, so a = 2b is normal wherever b is,
    // and a level 40 above what b gives is 5 σ out; device 1's own offset is learned. Against the raw spread
    // of a (≈ 23 over the fleet) the same excursion would be under 2 σ.
    void levelsTheOtherChannelsDoNotExplainStandOut() {
        const Data d = firstOrderSystem(4000, 6);
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, kNames);
        QVERIFY(dyn.levelResiduals());
        const int g0 = dyn.groupFor(0, OpState::Run), g1 = dyn.groupFor(1, OpState::Run);
        bool otherUntouched = true;
        auto level = [&](int group, float a, float b) {
            const float raw[5] = {a, 0.5F * (2 * b - a), b, 0.0F, 3.0F};
            float out[5] = {9, 9, 9, 9, 9};
            dyn.apply(group, raw, out);
            otherUntouched = otherUntouched && out[4] == 9.0F;  // not a channel column
            return std::array<float, 2>{out[0], out[2]};
        };
        for (float b : {35.0F, 50.0F, 65.0F}) {
            QVERIFY2(std::fabs(level(g0, 2 * b, b)[0]) < 1,
                     qPrintable(QString::number(level(g0, 2 * b, b)[0])));
            QVERIFY(std::fabs(level(g1, 2 * b + 40, b)[0]) < 1);
            QVERIFY2(level(g0, 2 * b + 40, b)[0] > 4,
                     qPrintable(QString::number(level(g0, 2 * b + 40, b)[0])));
            QVERIFY(level(g1, 2 * b, b)[0] < -4);
        }
        // b is predicted from a the same way: b = 50 with a = 100 is normal, with a = 60 it is not.
        QVERIFY(std::fabs(level(g0, 100, 50)[1]) < 1.5F);
        QVERIFY(std::fabs(level(g0, 60, 50)[1]) > 3);
        QVERIFY(otherUntouched);
        // A missing level leaves the means as they were.
        const float nanRaw[5] = {std::nanf(""), 0, 50, 0, 0};
        float out[5] = {9, 9, 9, 9, 9};
        dyn.apply(g0, nanRaw, out);
        QCOMPARE(out[0], 9.0F);
        QCOMPARE(out[2], 9.0F);
    }

    // A channel whose window holds no valid sample carries a stale level: it is left out as a regressor, so
    // the other channels are not blamed for it. Here b dropped out with 80 carried (a = 100 says b ≈ 50):
    // trusted, b would make a look 7 σ low; left out, a is judged by the regression on nothing else — its own
    // spread.
    void staleLevelsAreLeftOutAsRegressors() {
        Data d = firstOrderSystem(4000, 7);
        for (std::size_t r = 0; r < d.rows.rows(); ++r) d.rows.row(r)[4] = 0.0F;  // never missing in training
        const std::vector<QString> names{"a_mean", "a_trend", "b_mean", "b_trend", "b_missing_frac"};
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, names);
        const int g0 = dyn.groupFor(0, OpState::Run);
        auto levelOfA = [&](float bMissing) {
            const float raw[5] = {100, 0, 80, 0, bMissing};
            float out[5] = {};
            dyn.apply(g0, raw, out);
            return out[0];
        };
        QVERIFY2(levelOfA(0) < -4, qPrintable(QString::number(levelOfA(0))));
        QVERIFY2(std::fabs(levelOfA(1)) < 1, qPrintable(QString::number(levelOfA(1))));
        QVERIFY(std::fabs(levelOfA(0.5F) - levelOfA(0)) < 1e-6F);  // a partly valid window is still current
        // The stored moments reproduce it after a round trip; a file without them uses the full regressions.
        const auto back = ChannelDynamics::fromJson(dyn.toJson(), 5, "mem");
        QVERIFY(back.ok());
        const float raw[5] = {100, 0, 80, 0, 1};
        float x[5] = {}, y[5] = {};
        dyn.apply(g0, raw, x);
        back->apply(back->groupFor(0, OpState::Run), raw, y);
        QCOMPARE(std::memcmp(x, y, sizeof x), 0);
        nlohmann::json old = dyn.toJson();
        old.erase("moments");
        old.erase("missing");
        const auto before = ChannelDynamics::fromJson(old, 5, "mem");
        QVERIFY(before.ok());
        before->apply(before->groupFor(0, OpState::Run), raw, y);
        QVERIFY(y[0] < -4);
    }

    void unseenDevicesAndSmallGroupsFallBackToTheState() {
        Data d = firstOrderSystem(2000, 3);
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, kNames);
        const int stateGroup = dyn.groupFor(-1, OpState::Run);
        QVERIFY(stateGroup >= 0);
        QVERIFY(dyn.groupFor(0, OpState::Run) != stateGroup);
        QCOMPARE(dyn.groupFor(dyn.deviceSlot("unknown"), OpState::Run), stateGroup);
        // IDLE has 100 rows per device: below 20 × 3 coefficients? No — 60 needed, so fitted; MAINT has none.
        QVERIFY(dyn.groupFor(0, OpState::Idle) >= 0);
        QCOMPARE(dyn.groupFor(0, OpState::Maint), -1);
        QCOMPARE(dyn.groupFor(-1, OpState::Maint), -1);
        // Without device indices only the state groups exist.
        const auto fleetWide = ChannelDynamics::fit(d.rows, d.states, {}, d.devices, kNames);
        QCOMPARE(fleetWide.groupFor(0, OpState::Run), fleetWide.groupFor(-1, OpState::Run));
    }

    // Constant or collinear levels cannot make the fit singular: outputs stay finite.
    void degenerateLevelsStayFinite() {
        Data d = firstOrderSystem(1000, 4);
        for (std::size_t r = 0; r < d.rows.rows(); ++r) d.rows.row(r)[2] = 7.0F;  // b constant
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, kNames);
        QVERIFY(dyn.active());
        const float raw[5] = {1e30F, 1, 7, 0, 0};
        float out[5] = {};
        dyn.apply(dyn.groupFor(0, OpState::Run), raw, out);
        QVERIFY(std::isfinite(out[1]) && std::isfinite(out[3]));
        const float nanRaw[5] = {std::nanf(""), 1, 7, 0, 0};
        dyn.apply(dyn.groupFor(0, OpState::Run), nanRaw, out);
        QCOMPARE(out[1], 0.0F);
    }

    void jsonRoundTripAndHostileInput() {
        const Data d = firstOrderSystem(2000, 5);
        const auto dyn = ChannelDynamics::fit(d.rows, d.states, d.device, d.devices, kNames);
        const auto back = ChannelDynamics::fromJson(dyn.toJson(), 5, "mem");
        QVERIFY(back.ok());
        QCOMPARE(back->toJson(), dyn.toJson());
        const float raw[5] = {90, 3, 45, 1, 0};
        float a[5] = {}, b[5] = {};
        dyn.apply(dyn.groupFor(1, OpState::Run), raw, a);
        back->apply(back->groupFor(1, OpState::Run), raw, b);
        QCOMPARE(std::memcmp(a, b, sizeof a), 0);

        auto broken = [&](auto mutate) {
            nlohmann::json j = dyn.toJson();
            mutate(j);
            return ChannelDynamics::fromJson(j, 5, "mem").ok();
        };
        QVERIFY(!ChannelDynamics::fromJson(nlohmann::json::array(), 5, "mem").ok());
        QVERIFY(!ChannelDynamics::fromJson(dyn.toJson(), 3, "mem").ok());  // columns beyond the row
        QVERIFY(!broken([](nlohmann::json& j) { j["coefficients"].erase(0); }));
        QVERIFY(!broken([](nlohmann::json& j) { j["fitted"].push_back(1); }));
        QVERIFY(!broken([](nlohmann::json& j) { j["fitted"][0] = 7; }));
        QVERIFY(!broken([](nlohmann::json& j) { j["levels"].push_back(2); }));
        QVERIFY(!broken([](nlohmann::json& j) { j["devices"] = "D0"; }));
        QVERIFY(!broken([](nlohmann::json& j) { j.erase("trends"); }));
        QVERIFY(!broken([](nlohmann::json& j) { j["coefficients"][1] = -1.0; }));       // a sigma
        QVERIFY(!broken([](nlohmann::json& j) { j["level_coefficients"][1] = 0.0; }));  // a level sigma
        QVERIFY(!broken([](nlohmann::json& j) { j["level_coefficients"].erase(0); }));
        QVERIFY(!broken([](nlohmann::json& j) { j["level_coefficients"][3] = "x"; }));
        QVERIFY(!broken([](nlohmann::json& j) { j["level_coefficients"] = 1; }));
        QVERIFY(!broken([](nlohmann::json& j) { j.erase("moments"); }));  // one without the other
        QVERIFY(!broken([](nlohmann::json& j) { j["moments"].erase(0); }));
        QVERIFY(!broken([](nlohmann::json& j) { j["moments"][0] = 0.0; }));  // a fitted group with no rows
        QVERIFY(!broken([](nlohmann::json& j) { j["moments"][3] = "x"; }));
        QVERIFY(!broken([](nlohmann::json& j) { j["missing"][0] = 5; }));  // beyond the row
        QVERIFY(!broken([](nlohmann::json& j) { j["missing"].push_back(-1); }));
        // A file written before level residuals (no key) loads and leaves the means alone.
        nlohmann::json old = dyn.toJson();
        old.erase("level_coefficients");
        const auto before = ChannelDynamics::fromJson(old, 5, "mem");
        QVERIFY(before.ok() && !before->levelResiduals());
        float c[5] = {1, 2, 3, 4, 5};
        before->apply(before->groupFor(1, OpState::Run), raw, c);
        QCOMPARE(c[0], 1.0F);
        QCOMPARE(c[1], a[1]);
    }
};

QTEST_GUILESS_MAIN(ChannelDynamicsTest)
#include "channel_dynamics_test.moc"
