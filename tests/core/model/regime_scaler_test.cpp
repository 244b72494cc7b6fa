// RegimeScaler: every fitted regime's training rows come out centred with unit spread, thin regimes are left
// alone, and the stored form round-trips exactly and refuses anything malformed.
#include "model/regime_scaler.h"

#include "synthetic_data.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace itap;

namespace {

// Rows of 3 columns in two regimes: (RUN, phase 0) ~ N(5, 4²) and (RUN, phase 1) ~ N(-2, 0.5²); `thin` rows
// of (IDLE, phase 0) ~ N(0, 1); column 2 is a constant 7 everywhere.
struct Set {
    FeatureMatrix rows;
    std::vector<OpState> states;
    std::vector<std::uint8_t> phases;
};

Set twoRegimes(std::size_t perRegime, std::size_t thin) {
    Set s;
    const FeatureMatrix a = testdata::blob(perRegime, 3, 11, 5.0, 4.0);
    const FeatureMatrix b = testdata::blob(perRegime, 3, 12, -2.0, 0.5);
    const FeatureMatrix c = testdata::blob(thin, 3, 13);
    s.rows.cols = 3;
    auto add = [&](const FeatureMatrix& m, OpState st, std::uint8_t ph) {
        for (std::size_t r = 0; r < m.rows(); ++r) {
            s.rows.data.insert(s.rows.data.end(), m.row(r), m.row(r) + 3);
            s.rows.data.back() = 7.0F;
            s.states.push_back(st);
            s.phases.push_back(ph);
        }
    };
    add(a, OpState::Run, 0);
    add(b, OpState::Run, 1);
    add(c, OpState::Idle, 0);
    return s;
}

RegimeScaler fitOn(const Set& s, int phaseCount = 2, int minRows = 30) {
    return RegimeScaler::fit(
        s.rows.rows(), 3,
        [&](std::size_t r, float* out) { std::copy(s.rows.row(r), s.rows.row(r) + 3, out); }, s.states,
        s.phases, phaseCount, minRows);
}

}  // namespace

class RegimeScalerTest : public QObject {
    Q_OBJECT
private slots:
    void fittedRegimesComeOutStandardised() {
        const Set s = twoRegimes(4000, 10);
        const RegimeScaler rs = fitOn(s);
        QVERIFY(rs.active());
        QVERIFY(rs.fitted(OpState::Run, 0));
        QVERIFY(rs.fitted(OpState::Run, 1));
        QVERIFY(!rs.fitted(OpState::Idle, 0));  // 10 rows < 30
        QVERIFY(!rs.fitted(OpState::Maint, 0));
        for (std::uint8_t ph : {0, 1}) {
            double n = 0, sum[2] = {}, sq[2] = {};
            for (std::size_t r = 0; r < s.rows.rows(); ++r) {
                if (s.states[r] != OpState::Run || s.phases[r] != ph)
                    continue;
                float row[3];
                std::copy(s.rows.row(r), s.rows.row(r) + 3, row);
                rs.apply(OpState::Run, ph, row);
                n += 1;
                for (int c = 0; c < 2; ++c) {
                    sum[c] += row[c];
                    sq[c] += double(row[c]) * row[c];
                }
                QCOMPARE(row[2], 0.0F);  // a constant column is only centred
            }
            for (int c = 0; c < 2; ++c) {
                const double mean = sum[c] / n;
                const double sd = std::sqrt(sq[c] / n - mean * mean);
                QVERIFY2(std::abs(mean) < 1e-4, qPrintable(QString::number(mean)));
                QVERIFY2(std::abs(sd - 1) < 1e-4, qPrintable(QString::number(sd)));
            }
        }
        // The two RUN regimes' statistics are their own (N(5, 4²) and N(-2, 0.5²)).
        QVERIFY(std::abs(rs.mean(OpState::Run, 0, 0) - 5.0F) < 0.2F);
        QVERIFY(std::abs(rs.scale(OpState::Run, 0, 0) - 4.0F) < 0.2F);
        QVERIFY(std::abs(rs.mean(OpState::Run, 1, 1) + 2.0F) < 0.05F);
        QVERIFY(std::abs(rs.scale(OpState::Run, 1, 1) - 0.5F) < 0.05F);
    }

    void thinRegimesAndOutOfRangePhasesAreLeftAlone() {
        const RegimeScaler rs = fitOn(twoRegimes(500, 10));
        const float in[3] = {1.5F, -3.0F, 7.0F};
        for (auto [st, ph] :
             {std::pair{OpState::Idle, 0}, {OpState::Maint, 1}, {OpState::Run, 2}, {OpState::Run, -1}}) {
            float row[3] = {in[0], in[1], in[2]};
            rs.apply(st, ph, row);
            QCOMPARE(row[0], in[0]);
            QCOMPARE(row[1], in[1]);
            QCOMPARE(row[2], in[2]);
        }
        // Nothing fitted at all: inactive; a stored form without regimes reads back inactive.
        const RegimeScaler none = fitOn(twoRegimes(5, 5));
        QVERIFY(!none.active());
        QVERIFY(!none.fitted(OpState::Run, 0));
        const auto back = RegimeScaler::fromJson(
            nlohmann::json{{"phases", 2}, {"regimes", nlohmann::json::array()}}, 3, 2, "m");
        QVERIFY(back.ok() && !back->active());
    }

    void rejectsImpossibleShapes() {
        const Set s = twoRegimes(100, 0);
        QVERIFY(!fitOn(s, 0).active());
        QVERIFY(!fitOn(s, RegimeScaler::kMaxPhases + 1).active());
        Set wrong = s;
        wrong.phases.pop_back();  // one phase short of the rows
        QVERIFY(!fitOn(wrong).active());
    }

    void jsonRoundTripsExactly() {
        const RegimeScaler rs = fitOn(twoRegimes(700, 50));
        const nlohmann::json j = rs.toJson();
        const auto back = RegimeScaler::fromJson(j, 3, 2, "m");
        if (!back)
            QFAIL(qPrintable(back.error().toString()));
        QCOMPARE(back->toJson(), j);
        for (int st = 0; st < kOpStateCount; ++st)
            for (int ph = 0; ph < 2; ++ph) {
                QCOMPARE(back->fitted(OpState(st), ph), rs.fitted(OpState(st), ph));
                for (int c = 0; c < 3; ++c) {
                    QCOMPARE(back->mean(OpState(st), ph, c), rs.mean(OpState(st), ph, c));
                    QCOMPARE(back->scale(OpState(st), ph, c), rs.scale(OpState(st), ph, c));
                }
            }
        float a[3] = {1, 2, 3}, b[3] = {1, 2, 3};
        rs.apply(OpState::Idle, 0, a);
        back->apply(OpState::Idle, 0, b);
        QCOMPARE(a[0], b[0]);
        QCOMPARE(a[1], b[1]);
    }

    void malformedJsonIsAnError_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        const char* ok = R"({"state": "RUN", "phase": 0, "mean": [0, 0, 0], "scale": [1, 1, 1]})";
        QTest::newRow("not an object") << QByteArray("[]") << "phases";
        QTest::newRow("phases missing") << QByteArray(R"({"regimes": []})") << "phases";
        QTest::newRow("phases not the model's")
            << QByteArray(R"({"phases": 3, "regimes": []})") << "3 phases";
        QTest::newRow("regimes not an array") << QByteArray(R"({"phases": 2, "regimes": {}})") << "regimes";
        QTest::newRow("regime not an object") << QByteArray(R"({"phases": 2, "regimes": [1]})") << "state";
        // One regime inside an otherwise valid stored form of 3 columns and 2 phases.
        const auto one = [](const char* state, int phase, const char* mean, const char* scale) {
            return QStringLiteral(
                       "{\"phases\": 2, \"regimes\": [{\"state\": \"%1\", \"phase\": %2, "
                       "\"mean\": [%3], \"scale\": [%4]}]}")
                .arg(QLatin1String(state))
                .arg(phase)
                .arg(QLatin1String(mean), QLatin1String(scale))
                .toUtf8();
        };
        QTest::newRow("unknown state") << one("FLY", 0, "0, 0, 0", "1, 1, 1") << "FLY";
        QTest::newRow("phase out of range") << one("RUN", 2, "0, 0, 0", "1, 1, 1") << "phase 2";
        QTest::newRow("short mean") << one("RUN", 0, "0, 0", "1, 1, 1") << "2 means";
        QTest::newRow("zero scale") << one("RUN", 1, "0, 0, 0", "1, 0, 1") << "column 1";
        QTest::newRow("scale underflows a float") << one("RUN", 1, "0, 0, 0", "1, 1e-300, 1") << "column 1";
        QTest::newRow("mean overflows a float") << one("IDLE", 0, "0, 1e300, 0", "1, 1, 1") << "column 1";
        QTest::newRow("mean a string") << one("IDLE", 0, "0, \"1\", 0", "1, 1, 1") << "numbers";
        QTest::newRow("regime twice") << QByteArray(std::string(R"({"phases": 2, "regimes": [)")
                                                        .append(ok)
                                                        .append(",")
                                                        .append(ok)
                                                        .append("]}")
                                                        .c_str())
                                      << "twice";
    }
    void malformedJsonIsAnError() {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto r = RegimeScaler::fromJson(nlohmann::json::parse(json.toStdString()), 3, 2, "model.itapm");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QCOMPARE(r.error().file, QStringLiteral("model.itapm"));
        QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(RegimeScalerTest)
#include "regime_scaler_test.moc"
