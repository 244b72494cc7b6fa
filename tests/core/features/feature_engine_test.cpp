#include "features/feature_engine.h"
#include "core/features/feature_reference.h"

#include <QSet>
#include <QTest>

#include <cmath>
#include <cstring>
#include <thread>

using namespace itap;

namespace {

SensorCatalog eightChannels() {
    auto base = SensorCatalog::defaults().channels();
    base.push_back(
        {QStringLiteral("pressure_bar"), QStringLiteral("bar"), QStringLiteral("Pressure"), 0, 400});
    base.push_back({QStringLiteral("flow_m3_h"), QStringLiteral("m³/h"), QStringLiteral("Flow"), 0, 1000});
    base.push_back(
        {QStringLiteral("oil_temp_c"), QStringLiteral("°C"), QStringLiteral("Temperature"), -40, 200});
    return SensorCatalog(std::move(base));
}

bool sameBits(const float* a, const float* b, std::size_t n) {
    return std::memcmp(a, b, n * sizeof(float)) == 0;
}

}  // namespace

class FeatureEngineTest : public QObject {
    Q_OBJECT
private slots:
    void defaultSchema() {
        const FeatureEngine engine(SensorCatalog::defaults(), FeatureParams{});
        const FeatureSchema& s = engine.schema();
        QVERIFY(s.size() >= 60);
        QCOMPARE(s.size(), 5 * kChannelStatCount + kEventStatCount);
        QCOMPARE(int(s.families.size()), s.size());
        QCOMPARE(int(s.channel.size()), s.size());
        QCOMPARE(QSet<QString>(s.names.begin(), s.names.end()).size(), s.size());
        for (const char* name : {"voltage_v_mean", "voltage_v_trend", "current_a_delta", "temp_c_resid",
                                 "rpm_fft_dom", "vibration_mm_s_fft_energy", "temp_c_zscore", "error_streak",
                                 "state_transitions", "since_error_s", "since_state_s"})
            QVERIFY2(s.indexOf(QString::fromLatin1(name)) >= 0, name);
        QCOMPARE(s.indexOf("voltage_v_trend"), engine.column(0, ChannelStat::Trend));
        QCOMPARE(s.families[std::size_t(s.indexOf("voltage_v_trend"))], QStringLiteral("Voltage"));
        QCOMPARE(s.families[std::size_t(s.indexOf("rpm_std"))], QStringLiteral("RPM"));
        QCOMPARE(s.families[std::size_t(s.indexOf("temp_c_missing_frac"))], family::kMissingness);
        QCOMPARE(s.channel[std::size_t(s.indexOf("temp_c_missing_frac"))], 2);
        QCOMPARE(s.families[std::size_t(s.indexOf("error_streak"))], family::kOperation);
        QCOMPARE(s.channel[std::size_t(s.indexOf("error_streak"))], -1);
        QCOMPARE(s.indexOf("state_idle"), engine.column(EventStat::StateIdle));
        const SensorCatalog cat = SensorCatalog::defaults();
        for (int i = 0; i < s.size(); ++i) {
            const int ch = s.channel[std::size_t(i)];
            if (ch < 0) {
                QCOMPARE(s.families[std::size_t(i)], family::kOperation);
                continue;
            }
            const ChannelSpec& spec = cat.channel(ch);
            QVERIFY(s.names[std::size_t(i)].startsWith(spec.name + QLatin1Char('_')));
            const bool missing = s.names[std::size_t(i)].endsWith(QLatin1String("_missing_frac"));
            QCOMPARE(s.families[std::size_t(i)], missing ? family::kMissingness : spec.family);
        }
    }

    // A plant with more channels and another family works without recompiling, and its Pressure channel's
    // features follow the same definitions.
    void eightChannelCatalogWithPressure() {
        const SensorCatalog cat = eightChannels();
        const FeatureEngine engine(cat, FeatureParams{});
        QCOMPARE(engine.featureCount(), 8 * kChannelStatCount + kEventStatCount);
        const int p = engine.schema().indexOf("pressure_bar_std");
        QVERIFY(p >= 0);
        QCOMPARE(engine.schema().families[std::size_t(p)], QStringLiteral("Pressure"));
        QCOMPARE(engine.schema().families[std::size_t(engine.schema().indexOf("flow_m3_h_trend"))],
                 QStringLiteral("Flow"));
        const DeviceSeries s = ref::randomSeries(8, 300, 41);
        const FeatureMatrix m = engine.compute(s);
        QCOMPARE(m.rows(), s.size());
        QCOMPARE(m.cols, engine.featureCount());
        for (float v : m.data) QVERIFY(std::isfinite(v));
        const int pressure = cat.indexOf("pressure_bar");
        for (std::size_t r = 0; r < s.size(); ++r) {
            const ref::ChannelRef want = ref::channelAt(s, pressure, r, 30);
            const double got = m.at(r, engine.column(pressure, ChannelStat::Mean));
            const double w = want.stat[int(ChannelStat::Mean)];
            QVERIFY2(std::fabs(got - w) <= 1e-6 * (std::fabs(w) + want.maxAbs),
                     qPrintable(QStringLiteral("row %1: %2 vs %3").arg(r).arg(got).arg(w)));
        }
    }

    // compute() and a hand-driven stream agree bit for bit, also when devices are interleaved on streams.
    void batchEqualsStreamBitForBit_data() {
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("pattern");
        QTest::newRow("w30 mixed") << 30 << int(ref::Pattern::Mixed);
        QTest::newRow("w30 spikes") << 30 << int(ref::Pattern::Spike);
        QTest::newRow("w7 dropouts") << 7 << int(ref::Pattern::Dropouts);
        QTest::newRow("w256 regular") << 256 << int(ref::Pattern::Regular);
    }
    void batchEqualsStreamBitForBit() {
        QFETCH(int, window);
        QFETCH(int, pattern);
        FeatureParams params;
        params.window = window;
        const FeatureEngine engine(SensorCatalog::defaults(), params);
        const DeviceSeries a = ref::randomSeries(5, 2000, 51, static_cast<ref::Pattern>(pattern));
        const DeviceSeries b = ref::randomSeries(5, 2000, 52, static_cast<ref::Pattern>(pattern));
        const FeatureMatrix ma = engine.compute(a);
        const FeatureMatrix mb = engine.compute(b);
        FeatureStream sa = engine.makeStream();
        FeatureStream sb = engine.makeStream();
        QCOMPARE(sa.featureCount(), engine.featureCount());
        QCOMPARE(sa.channelCount(), 5);
        std::vector<float> row(std::size_t(engine.featureCount()));
        double v[5];
        for (std::size_t r = 0; r < a.size(); ++r) {
            for (const auto* dev : {&a, &b}) {
                for (std::size_t c = 0; c < 5; ++c) v[c] = dev->channels[c][r];
                FeatureStream& st = dev == &a ? sa : sb;
                st.push(dev->tsMs[r], dev->state[r], v, dev->errorCode[r], row.data());
                const FeatureMatrix& want = dev == &a ? ma : mb;
                if (!sameBits(row.data(), want.row(r), row.size()))
                    QFAIL(qPrintable(QStringLiteral("row %1 differs").arg(r)));
            }
        }
    }

    // Const methods from several threads at once give the serial result.
    void computeIsThreadSafe() {
        const FeatureEngine engine(SensorCatalog::defaults(), FeatureParams{});
        std::vector<DeviceSeries> devices;
        for (unsigned d = 0; d < 6; ++d) devices.push_back(ref::randomSeries(5, 1500, 60 + d));
        std::vector<FeatureMatrix> serial, parallel(devices.size());
        for (const auto& d : devices) serial.push_back(engine.compute(d));
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < devices.size(); ++i)
            threads.emplace_back([&, i] { parallel[i] = engine.compute(devices[i]); });
        for (auto& t : threads) t.join();
        for (std::size_t i = 0; i < devices.size(); ++i) {
            QCOMPARE(parallel[i].data.size(), serial[i].data.size());
            QVERIFY(sameBits(parallel[i].data.data(), serial[i].data.data(), serial[i].data.size()));
        }
    }

    // Absent or short channel vectors read as missing instead of crashing; empty series give an empty matrix.
    void toleratesRaggedSeries() {
        const FeatureEngine engine(SensorCatalog::defaults(), FeatureParams{});
        DeviceSeries s = ref::randomSeries(5, 50, 71, ref::Pattern::Regular);
        s.channels[3].resize(10);
        s.channels.pop_back();
        s.errorCode.clear();
        const FeatureMatrix m = engine.compute(s);
        QCOMPARE(m.rows(), std::size_t(50));
        QCOMPARE(m.at(49, engine.column(3, ChannelStat::MissingFrac)), 1.0f);
        QCOMPARE(m.at(49, engine.column(4, ChannelStat::MissingFrac)), 1.0f);
        QCOMPARE(m.at(49, engine.column(0, ChannelStat::MissingFrac)), 0.0f);
        QCOMPARE(m.at(49, engine.column(EventStat::ErrorFrac)), 0.0f);
        const FeatureMatrix empty = engine.compute(DeviceSeries{});
        QCOMPARE(empty.rows(), std::size_t(0));
        QCOMPARE(empty.cols, engine.featureCount());
    }

    void createRejectsBadParams() {
        FeatureParams p;
        p.window = 2;
        auto e = FeatureEngine::create(SensorCatalog::defaults(), p);
        QVERIFY(!e.ok());
        QVERIFY(e.error().message.contains(QLatin1String("window")));
        p.window = 12;
        auto ok = FeatureEngine::create(SensorCatalog::defaults(), p);
        QVERIFY(ok.ok());
        QCOMPARE(ok->params().window, 12);
    }

    // Event counters on a hand-made sequence.
    void eventCounters() {
        FeatureParams p;
        p.window = 4;
        p.timeCapSeconds = 100;
        const FeatureEngine engine(SensorCatalog(std::vector<ChannelSpec>{}), p);
        QCOMPARE(engine.featureCount(), kEventStatCount);
        FeatureStream st = engine.makeStream();
        std::vector<float> row(std::size_t(engine.featureCount()));
        auto at = [&](EventStat s) { return row[std::size_t(engine.column(s))]; };
        const OpState states[] = {OpState::Run,   OpState::Run,   OpState::Idle,  OpState::Run,
                                  OpState::Maint, OpState::Maint, OpState::Maint, OpState::Maint};
        const int errors[] = {0, 5, 5, 0, 1, 1, 1, 0};
        for (int i = 0; i < 8; ++i) {
            st.push(i * 20000LL, states[i], nullptr, errors[i], row.data());
            if (i == 2) {
                QCOMPARE(at(EventStat::ErrorStreak), 2.0f);
                QCOMPARE(at(EventStat::StateTransitions), 1.0f);
                QCOMPARE(at(EventStat::SinceErrorS), 0.0f);
                QCOMPARE(at(EventStat::SinceStateS), 0.0f);
                QCOMPARE(at(EventStat::StateIdle), 1.0f);
                QCOMPARE(at(EventStat::StateRun), 0.0f);
            }
            if (i == 4) {
                QCOMPARE(at(EventStat::StateTransitions), 3.0f);  // rows 1..4: R→I, I→R, R→M
                QCOMPARE(at(EventStat::ErrorFrac), 0.75f);
            }
        }
        QCOMPARE(at(EventStat::ErrorStreak), 0.0f);
        QCOMPARE(at(EventStat::StateTransitions), 0.0f);  // rows 4..7 are all MAINT
        QCOMPARE(at(EventStat::SinceErrorS), 20.0f);
        QCOMPARE(at(EventStat::SinceStateS), 60.0f);
        QCOMPARE(at(EventStat::StateMaint), 1.0f);
        QCOMPARE(at(EventStat::ErrorFrac), 0.75f);
        st.push(10'000'000LL, OpState::Maint, nullptr, 0, row.data());
        QCOMPARE(at(EventStat::SinceErrorS), 100.0f);  // capped
        QCOMPARE(at(EventStat::SinceStateS), 100.0f);
    }
};

QTEST_GUILESS_MAIN(FeatureEngineTest)
#include "feature_engine_test.moc"
