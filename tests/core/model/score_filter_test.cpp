#include "model/score_filter.h"

#include <QRandomGenerator>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace itap;

namespace {

// Brute force: the definition written out, O(n · window).
std::vector<float> reference(const ScoreFilterParams& p, const std::vector<qint64>& ts,
                             const std::vector<float>& raw) {
    const std::size_t n = raw.size();
    std::vector<float> smooth(n), out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t from =
            i + 1 >= std::size_t(p.smoothSamples) ? i + 1 - std::size_t(p.smoothSamples) : 0;
        double sum = 0;
        for (std::size_t k = from; k <= i; ++k) sum += double(raw[k]);
        smooth[i] = float(sum / double(i - from + 1));
    }
    const qint64 windowMs = qint64(std::llround(p.minAlarmSeconds * 1000.0));
    for (std::size_t i = 0; i < n; ++i) {
        float m = smooth[i];
        if (windowMs > 0)
            for (std::size_t k = 0; k < i; ++k)
                if (ts[k] >= ts[i] - windowMs)
                    m = std::min(m, smooth[k]);
        out[i] = m;
    }
    return out;
}

}  // namespace

class ScoreFilterTest : public QObject {
    Q_OBJECT
private slots:
    void identityByDefault() {
        ScoreFilterParams p;
        QVERIFY(p.isIdentity());
        std::vector<qint64> ts{0, 1000, 2000};
        std::vector<float> s{0.3f, 0.9f, 0.4f};
        const auto before = s;
        filterScores(p, ts.data(), s.data(), s.size());
        QCOMPARE(s, before);
        ScoreFilter f(p);
        QCOMPARE(f.push(0, 0.7f), 0.7f);
    }

    void matchesTheDefinitionOnRandomData_data() {
        QTest::addColumn<int>("smooth");
        QTest::addColumn<double>("minAlarmS");
        QTest::newRow("smooth 5") << 5 << 0.0;
        QTest::newRow("min 35 s") << 1 << 35.0;
        QTest::newRow("both") << 7 << 60.0;
        QTest::newRow("window longer than the series") << 1000 << 86400.0;
    }
    void matchesTheDefinitionOnRandomData() {
        QFETCH(int, smooth);
        QFETCH(double, minAlarmS);
        ScoreFilterParams p;
        p.smoothSamples = smooth;
        p.minAlarmSeconds = minAlarmS;
        QVERIFY(p.validate().ok());
        QRandomGenerator rng(7);
        std::vector<qint64> ts;
        std::vector<float> raw;
        qint64 t = 1'767'225'600'000;
        for (int i = 0; i < 3000; ++i) {
            // Irregular sampling with the odd long gap.
            t += rng.bounded(100) == 0 ? 600'000 : 1000 + rng.bounded(19'000);
            ts.push_back(t);
            raw.push_back(float(rng.generateDouble()));
        }
        const std::vector<float> expected = reference(p, ts, raw);
        std::vector<float> batch = raw;
        filterScores(p, ts.data(), batch.data(), batch.size());
        ScoreFilter stream(p);
        for (std::size_t i = 0; i < raw.size(); ++i) {
            const float streamed = stream.push(ts[i], raw[i]);
            QCOMPARE(streamed, batch[i]);  // the batch path is the stream, bit for bit
            QVERIFY2(std::abs(double(batch[i]) - double(expected[i])) < 1e-5,
                     qPrintable(QStringLiteral("row %1: %2 vs %3").arg(i).arg(batch[i]).arg(expected[i])));
        }
    }

    void shortBurstsNeverAlarmWithAMinimumDuration() {
        // 10 s sampling, baseline 0.4, a 30 s burst at 0.9 and a 120 s one at 0.8: with a 60 s minimum
        // duration only the long one reaches any threshold above the baseline.
        ScoreFilterParams p;
        p.minAlarmSeconds = 60;
        ScoreFilter f(p);
        float burstMax = 0, longMax = 0;
        for (int i = 0; i < 100; ++i) {
            float s = 0.4f;
            if (i >= 20 && i < 23)
                s = 0.9f;
            if (i >= 50 && i < 62)
                s = 0.8f;
            const float out = f.push(qint64(i) * 10'000, s);
            if (i >= 20 && i < 30)
                burstMax = std::max(burstMax, out);
            if (i >= 50 && i < 70)
                longMax = std::max(longMax, out);
        }
        QCOMPARE(burstMax, 0.4f);
        QCOMPARE(longMax, 0.8f);  // raised 60 s into the episode: rows 56..61
    }

    void leakageSafe() {
        // Changing a score after time t leaves every filtered score at or before t unchanged.
        ScoreFilterParams p;
        p.smoothSamples = 4;
        p.minAlarmSeconds = 25;
        std::vector<qint64> ts;
        std::vector<float> a;
        for (int i = 0; i < 200; ++i) {
            ts.push_back(qint64(i) * 5000);
            a.push_back(float((i * 37) % 100) / 100.0f);
        }
        std::vector<float> b = a;
        for (std::size_t i = 120; i < b.size(); ++i) b[i] = 1.0f - b[i];
        filterScores(p, ts.data(), a.data(), a.size());
        filterScores(p, ts.data(), b.data(), b.size());
        for (std::size_t i = 0; i < 120; ++i) QCOMPARE(a[i], b[i]);
        QVERIFY(a[150] != b[150]);
    }

    void jsonRoundTripAndErrors() {
        ScoreFilterParams p;
        p.smoothSamples = 9;
        p.minAlarmSeconds = 42.5;
        const auto back = ScoreFilterParams::fromJson(p.toJson(), QStringLiteral("m"));
        QVERIFY(back.ok());
        QCOMPARE(*back, p);
        for (const char* bad :
             {"{\"smooth_samples\": 0}", "{\"smooth_samples\": 10001}", "{\"min_alarm_s\": -1}",
              "{\"min_alarm_s\": \"x\"}", "{\"smoothing\": 3}", "[1, 2]"}) {
            const auto r =
                ScoreFilterParams::fromJson(nlohmann::json::parse(bad), QStringLiteral("model.itapm"));
            QVERIFY2(!r.ok(), bad);
            QVERIFY2(r.error().toString().contains(QStringLiteral("model.itapm")),
                     qPrintable(r.error().toString()));
        }
    }
};

QTEST_APPLESS_MAIN(ScoreFilterTest)
#include "score_filter_test.moc"
