#include "core/features/feature_reference.h"
#include "features/feature_engine.h"

#include <QTest>

#include <cfloat>
#include <cmath>
#include <cstring>

using namespace itap;

namespace {

SensorCatalog catalogOf(int channels) {
    std::vector<ChannelSpec> specs;
    for (int c = 0; c < channels; ++c)
        specs.push_back({QStringLiteral("ch%1").arg(c), QStringLiteral("u"), QStringLiteral("F%1").arg(c % 3),
                         -1e15, 1e15});
    return SensorCatalog(std::move(specs));
}

FeatureEngine engineOf(int channels, int window, bool segmented = true) {
    FeatureParams p;
    p.window = window;
    p.segmentByState = segmented;
    auto e = FeatureEngine::create(catalogOf(channels), p);
    if (!e)
        qFatal("%s", qPrintable(e.error().toString()));
    return std::move(e).value();
}

bool allFinite(const FeatureMatrix& m) {
    for (float v : m.data)
        if (!std::isfinite(v))
            return false;
    return true;
}

QString where(std::size_t row, const QString& name, double got, double want, double tol) {
    return QStringLiteral("row %1 %2: got %3, reference %4, tolerance %5")
        .arg(row)
        .arg(name)
        .arg(got, 0, 'g', 12)
        .arg(want, 0, 'g', 12)
        .arg(tol, 0, 'g', 3);
}

}  // namespace

class FeatureStreamTest : public QObject {
    Q_OBJECT
private slots:
    // Every statistic of every row against the brute-force reference on random data with NaN bursts, constant
    // stretches, repeated and irregular timestamps and the short windows at a device's start.
    void matchesReference_data() {
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("rows");
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<int>("pattern");
        QTest::addColumn<bool>("segmented");
        QTest::newRow("w30 mixed") << 30 << 5 << 700 << 1u << int(ref::Pattern::Mixed) << true;
        QTest::newRow("w30 mixed seed2") << 30 << 3 << 700 << 2u << int(ref::Pattern::Mixed) << true;
        QTest::newRow("w30 regular") << 30 << 3 << 400 << 3u << int(ref::Pattern::Regular) << true;
        QTest::newRow("w30 dropouts") << 30 << 3 << 700 << 4u << int(ref::Pattern::Dropouts) << true;
        QTest::newRow("w30 1e12 spikes") << 30 << 2 << 500 << 5u << int(ref::Pattern::Spike) << true;
        QTest::newRow("w8 sparse") << 8 << 3 << 800 << 10u << int(ref::Pattern::Sparse) << true;
        QTest::newRow("w30 sparse") << 30 << 3 << 800 << 12u << int(ref::Pattern::Sparse) << true;
        QTest::newRow("w4 mixed") << 4 << 3 << 500 << 6u << int(ref::Pattern::Mixed) << true;
        QTest::newRow("w5 odd mixed") << 5 << 3 << 500 << 7u << int(ref::Pattern::Mixed) << true;
        QTest::newRow("w31 odd mixed") << 31 << 3 << 500 << 8u << int(ref::Pattern::Mixed) << true;
        QTest::newRow("w160 mixed, no slot table") << 160 << 2 << 400 << 13u << int(ref::Pattern::Mixed) << true;
        QTest::newRow("w64 dropouts") << 64 << 2 << 500 << 9u << int(ref::Pattern::Dropouts) << true;
        // Windows that span state changes (FeatureParams::segmentByState off).
        QTest::newRow("w30 mixed, unsegmented") << 30 << 3 << 700 << 1u << int(ref::Pattern::Mixed) << false;
        QTest::newRow("w8 sparse, unsegmented") << 8 << 3 << 800 << 10u << int(ref::Pattern::Sparse) << false;
        QTest::newRow("w5 odd mixed, unsegmented") << 5 << 3 << 500 << 7u << int(ref::Pattern::Mixed) << false;
    }
    void matchesReference() {
        QFETCH(int, window);
        QFETCH(int, channels);
        QFETCH(int, rows);
        QFETCH(unsigned, seed);
        QFETCH(int, pattern);
        QFETCH(bool, segmented);
        const FeatureEngine engine = engineOf(channels, window, segmented);
        const DeviceSeries s = ref::randomSeries(channels, static_cast<std::size_t>(rows), seed,
                                                 static_cast<ref::Pattern>(pattern));
        const FeatureMatrix m = engine.compute(s);
        QCOMPARE(m.rows(), s.size());
        QVERIFY(allFinite(m));
        const double cap = engine.params().timeCapSeconds;
        int checkedDom = 0;
        for (std::size_t r = 0; r < s.size(); ++r) {
            for (int c = 0; c < channels; ++c) {
                const ref::ChannelRef want = ref::channelAt(s, c, r, window, segmented);
                // Natural scales of the window: value level, spread, and spread per minute for the slope.
                const double level = want.maxAbs + 1e-300;
                const double spread = want.range;
                for (int k = 0; k < kChannelStatCount; ++k) {
                    const auto stat = static_cast<ChannelStat>(k);
                    const int col = engine.column(c, stat);
                    const double got = m.at(r, col);
                    const double w = want.stat[k];
                    double tol = 0;
                    switch (stat) {
                        case ChannelStat::Value:
                        case ChannelStat::Mean:
                        case ChannelStat::Min:
                        case ChannelStat::Max:
                        case ChannelStat::Delta:
                            tol = 1e-6 * (std::fabs(w) + level);
                            break;
                        case ChannelStat::Std:
                        case ChannelStat::Resid:
                            tol = 1e-5 * spread + 1e-6 * std::fabs(w);
                            break;
                        case ChannelStat::Trend:
                            tol = want.spanMinutes > 0
                                      ? 1e-5 * spread / want.spanMinutes + 1e-5 * std::fabs(w)
                                      : 0;
                            break;
                        case ChannelStat::ZScore:
                            tol = 1e-4 * (1 + std::fabs(w));
                            break;
                        case ChannelStat::FftEnergy:
                            tol = 1e-4 * want.var + 1e-5 * w;
                            break;
                        case ChannelStat::FftDom:
                            continue;  // checked below: ties make the index ambiguous
                        case ChannelStat::MissingFrac:
                            tol = 1e-6;
                            break;
                    }
                    if (!(std::fabs(got - w) <= tol))
                        QFAIL(qPrintable(
                            where(r, engine.schema().names[static_cast<std::size_t>(col)], got, w, tol)));
                }
                // The dominant bin must carry the largest power up to rounding; a bin is only reported when
                // the detrended window has energy at all.
                const int dom = static_cast<int>(m.at(r, engine.column(c, ChannelStat::FftDom)));
                const double energy = want.stat[static_cast<int>(ChannelStat::FftEnergy)];
                if (want.n == 0 && want.carriedFrom < s.size()) {
                    // Carried: the very value of the row it is carried from (checked there).
                    QCOMPARE(dom, static_cast<int>(m.at(want.carriedFrom, engine.column(c, ChannelStat::FftDom))));
                } else if (want.power.empty() || want.n == 0) {
                    const int wantDom = static_cast<int>(want.stat[static_cast<int>(ChannelStat::FftDom)]);
                    QVERIFY2(dom == wantDom, qPrintable(QStringLiteral("row %1 channel %2: dom %3, reference %4")
                                                            .arg(r)
                                                            .arg(c)
                                                            .arg(dom)
                                                            .arg(wantDom)));
                } else if (energy > 1e-6 * want.var) {
                    QVERIFY2(dom >= 1 && dom <= window / 2,
                             qPrintable(QStringLiteral("row %1 dom %2").arg(r).arg(dom)));
                    const double best = *std::max_element(want.power.begin(), want.power.end());
                    const double total = energy * window * want.n;
                    QVERIFY2(want.power[static_cast<std::size_t>(dom)] >= best - 1e-4 * total,
                             qPrintable(QStringLiteral("row %1 ch%2: dom %3 power %4, best %5")
                                            .arg(r)
                                            .arg(c)
                                            .arg(dom)
                                            .arg(want.power[static_cast<std::size_t>(dom)])
                                            .arg(best)));
                    ++checkedDom;
                }
            }
            const std::vector<double> ev = ref::eventsAt(s, r, window, cap);
            for (int k = 0; k < kEventStatCount; ++k) {
                const int col = engine.column(static_cast<EventStat>(k));
                const double got = m.at(r, col);
                const double w = ev[static_cast<std::size_t>(k)];
                if (!(std::fabs(got - w) <= 1e-6 * (1 + std::fabs(w))))
                    QFAIL(qPrintable(
                        where(r, engine.schema().names[static_cast<std::size_t>(col)], got, w, 0)));
            }
        }
        // The data exercises the spectrum, not only the degenerate cases (checks are per row and channel; sparse
        // data split at state changes leaves fewer windows with two valid samples).
        QVERIFY2(std::size_t(checkedDom) > s.size() / 5,
                 qPrintable(QStringLiteral("%1 dominant-bin checks for %2 rows").arg(checkedDom).arg(s.size())));
    }

    // Changing anything after t (values, states, errors, timestamps) leaves every row ≤ t bit for bit
    // unchanged.
    void isLeakageSafe_data() {
        QTest::addColumn<int>("cut");
        for (int cut : {0, 3, 29, 30, 31, 150, 398})
            QTest::newRow(qPrintable(QStringLiteral("t=%1").arg(cut))) << cut;
    }
    void isLeakageSafe() {
        QFETCH(int, cut);
        const FeatureEngine engine = engineOf(5, 30);
        const DeviceSeries a = ref::randomSeries(5, 400, 11);
        DeviceSeries b = a;
        const DeviceSeries other = ref::randomSeries(5, 400, 12, ref::Pattern::Spike);
        for (std::size_t r = static_cast<std::size_t>(cut) + 1; r < b.size(); ++r) {
            for (std::size_t c = 0; c < b.channels.size(); ++c) b.channels[c][r] = other.channels[c][r];
            b.state[r] = other.state[r];
            b.errorCode[r] = b.errorCode[r] == 0 ? 3 : 0;
            b.tsMs[r] += 123457;
        }
        const FeatureMatrix fa = engine.compute(a);
        const FeatureMatrix fb = engine.compute(b);
        const std::size_t prefix = (static_cast<std::size_t>(cut) + 1) * static_cast<std::size_t>(fa.cols);
        QVERIFY(std::memcmp(fa.data.data(), fb.data.data(), prefix * sizeof(float)) == 0);
        // The test can fail: the rows after the cut do change.
        QVERIFY(std::memcmp(fa.data.data() + prefix, fb.data.data() + prefix,
                            (fa.data.size() - prefix) * sizeof(float)) != 0);
    }

    // No NaN or Inf whatever comes in.
    void adversarialInputStaysFinite_data() {
        QTest::addColumn<QString>("kind");
        for (const char* k : {"all missing", "constant", "huge 1e12", "huge 1e300 and inf",
                              "alternating 1e12", "repeated timestamps", "decreasing timestamps",
                              "extreme timestamps", "one sample", "tiny values", "missing then constant"})
            QTest::newRow(k) << QString::fromLatin1(k);
    }
    void adversarialInputStaysFinite() {
        QFETCH(QString, kind);
        const int channels = 3;
        const FeatureEngine engine = engineOf(channels, 30);
        DeviceSeries s = ref::randomSeries(channels, kind == QLatin1String("one sample") ? 1 : 300, 21,
                                           ref::Pattern::Regular);
        for (std::size_t r = 0; r < s.size(); ++r) {
            for (int c = 0; c < channels; ++c) {
                double& v = s.channels[static_cast<std::size_t>(c)][r];
                if (kind == QLatin1String("all missing"))
                    v = kMissing;
                if (kind == QLatin1String("constant"))
                    v = 42.5;
                if (kind == QLatin1String("huge 1e12"))
                    v = 1e12 + (r % 7) * (c == 0 ? 0.0 : 1.0);
                if (kind == QLatin1String("huge 1e300 and inf"))
                    v = r % 5 == 0 ? 1e300 : (r % 11 == 0 ? HUGE_VAL : (r % 13 == 0 ? -HUGE_VAL : v));
                if (kind == QLatin1String("alternating 1e12"))
                    v = r % 2 ? 1e12 : -1e12;
                if (kind == QLatin1String("tiny values"))
                    v = 1e-300 * static_cast<double>(r % 3);
                if (kind == QLatin1String("missing then constant"))
                    v = r < 100 ? kMissing : 7.0;
            }
            if (kind == QLatin1String("repeated timestamps"))
                s.tsMs[r] = 1767225600000;
            if (kind == QLatin1String("decreasing timestamps"))
                s.tsMs[r] = 1767225600000 - qint64(r) * 997;
            if (kind == QLatin1String("extreme timestamps"))
                s.tsMs[r] = r % 2 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
        }
        const FeatureMatrix m = engine.compute(s);
        QCOMPARE(m.rows(), s.size());
        for (std::size_t i = 0; i < m.data.size(); ++i) {
            if (!std::isfinite(m.data[i]))
                QFAIL(qPrintable(QStringLiteral("row %1 %2 = %3")
                                     .arg(i / static_cast<std::size_t>(m.cols))
                                     .arg(engine.schema().names[i % static_cast<std::size_t>(m.cols)])
                                     .arg(m.data[i])));
        }
        if (kind == QLatin1String("constant") || kind == QLatin1String("missing then constant")) {
            const std::size_t last = s.size() - 1;
            for (int c = 0; c < channels; ++c) {
                for (ChannelStat st :
                     {ChannelStat::Std, ChannelStat::ZScore, ChannelStat::Trend, ChannelStat::Resid,
                      ChannelStat::FftEnergy, ChannelStat::FftDom, ChannelStat::Delta})
                    QCOMPARE(m.at(last, engine.column(c, st)), 0.0f);
                QCOMPARE(m.at(last, engine.column(c, ChannelStat::Mean)),
                         kind.startsWith(QLatin1Char('c')) ? 42.5f : 7.0f);
            }
        }
        if (kind == QLatin1String("all missing")) {
            for (int c = 0; c < channels; ++c) {
                QCOMPARE(m.at(s.size() - 1, engine.column(c, ChannelStat::MissingFrac)), 1.0f);
                QCOMPARE(m.at(s.size() - 1, engine.column(c, ChannelStat::Mean)), 0.0f);
            }
        }
        if (kind == QLatin1String("huge 1e12")) {
            // Precision survives the offset: channel 1 cycles 0..6 above 1e12 with a known std.
            const int col = engine.column(1, ChannelStat::Std);
            QVERIFY(m.at(s.size() - 1, col) > 1.5f && m.at(s.size() - 1, col) < 2.5f);
            QCOMPARE(m.at(s.size() - 1, engine.column(0, ChannelStat::Std)), 0.0f);
        }
    }

    // A dropout longer than the window: the level statistics carry, missing_frac reaches 1, and they resume.
    void dropoutCarriesLastStatistics() {
        const FeatureEngine engine = engineOf(1, 10);
        FeatureStream stream = engine.makeStream();
        std::vector<float> row(static_cast<std::size_t>(engine.featureCount()));
        std::vector<float> before;
        qint64 t = 0;
        for (int i = 0; i < 50; ++i) {
            const double v = i < 20 ? 10.0 + (i % 4) : (i < 35 ? kMissing : 20.0);
            stream.push(t += 1000, OpState::Run, &v, 0, row.data());
            auto at = [&](ChannelStat st) { return row[static_cast<std::size_t>(engine.column(0, st))]; };
            if (i == 28)
                before = row;  // the last row whose window still holds a valid sample (i = 19)
            if (i >= 30 && i < 35) {
                QCOMPARE(at(ChannelStat::MissingFrac), 1.0f);
                for (ChannelStat st :
                     {ChannelStat::Value, ChannelStat::Mean, ChannelStat::Std, ChannelStat::Min,
                      ChannelStat::Max, ChannelStat::Trend, ChannelStat::FftEnergy, ChannelStat::FftDom})
                    QCOMPARE(at(st), before[static_cast<std::size_t>(engine.column(0, st))]);
                QCOMPARE(at(ChannelStat::Delta), 0.0f);
                QCOMPARE(at(ChannelStat::ZScore), 0.0f);
            }
            if (i == 35) {
                QCOMPARE(at(ChannelStat::Value), 20.0f);
                QCOMPARE(at(ChannelStat::Delta), 20.0f - 13.0f);  // since the previous valid sample
                QCOMPARE(at(ChannelStat::Mean), 20.0f);
                QCOMPARE(at(ChannelStat::MissingFrac), 0.9f);
            }
        }
        QCOMPARE(stream.samplesSeen(), qint64(50));
    }

    // The trend is against real time: the same values sampled twice as fast have twice the slope per minute.
    void trendUsesRealTimestamps() {
        const FeatureEngine engine = engineOf(1, 8);
        for (qint64 stepMs : {qint64(60000), qint64(30000)}) {
            FeatureStream stream = engine.makeStream();
            std::vector<float> row(static_cast<std::size_t>(engine.featureCount()));
            for (int i = 0; i < 8; ++i) {
                const double v = 100.0 + 3.0 * i;
                stream.push(i * stepMs, OpState::Run, &v, 0, row.data());
            }
            QCOMPARE(row[static_cast<std::size_t>(engine.column(0, ChannelStat::Trend))],
                     float(3.0 * 60000.0 / stepMs));
            QVERIFY(std::fabs(row[static_cast<std::size_t>(engine.column(0, ChannelStat::Resid))]) < 1e-9f);
            QCOMPARE(row[static_cast<std::size_t>(engine.column(0, ChannelStat::FftDom))], 0.0f);
        }
    }

    // A pure tone lands in its bin, and Parseval ties the energy to the variance.
    void toneHasItsDominantBin_data() {
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("bin");
        QTest::newRow("w30 k3") << 30 << 3;
        QTest::newRow("w30 k15 nyquist") << 30 << 15;
        QTest::newRow("w31 k7") << 31 << 7;
        QTest::newRow("w64 k10") << 64 << 10;
    }
    void toneHasItsDominantBin() {
        QFETCH(int, window);
        QFETCH(int, bin);
        const FeatureEngine engine = engineOf(1, window);
        FeatureStream stream = engine.makeStream();
        std::vector<float> row(static_cast<std::size_t>(engine.featureCount()));
        for (int i = 0; i < 5 * window + 3; ++i) {
            const double v = 50.0 + 2.0 * std::cos(2.0 * std::numbers::pi * bin * i / window + 0.3);
            stream.push(i * 1000LL, OpState::Run, &v, 0, row.data());
        }
        QCOMPARE(row[static_cast<std::size_t>(engine.column(0, ChannelStat::FftDom))], float(bin));
        // Parseval + OLS: detrended energy per sample = variance − slope²·variance of the timestamps.
        const double sd = row[static_cast<std::size_t>(engine.column(0, ChannelStat::Std))];
        const double slope = row[static_cast<std::size_t>(engine.column(0, ChannelStat::Trend))];
        const double energy = row[static_cast<std::size_t>(engine.column(0, ChannelStat::FftEnergy))];
        const double varT = (double(window) * window - 1) / 12.0 / 3600.0;  // 1 s steps, in minutes²
        const double expected = sd * sd - slope * slope * varT;
        QVERIFY2(std::fabs(energy - expected) < 1e-4 * sd * sd,
                 qPrintable(QStringLiteral("%1 vs %2").arg(energy).arg(expected)));
        QVERIFY(energy > 0.5 * sd * sd);
    }

    void resetStartsOver() {
        const FeatureEngine engine = engineOf(2, 30);
        const DeviceSeries s = ref::randomSeries(2, 100, 31);
        const FeatureMatrix m = engine.compute(s);
        FeatureStream stream = engine.makeStream();
        std::vector<float> row(static_cast<std::size_t>(engine.featureCount()));
        double v[2];
        auto pushRow = [&](std::size_t r) {
            v[0] = s.channels[0][r];
            v[1] = s.channels[1][r];
            stream.push(s.tsMs[r], s.state[r], v, s.errorCode[r], row.data());
        };
        for (std::size_t r = 0; r < 60; ++r) pushRow(r);
        stream.reset();
        QCOMPARE(stream.samplesSeen(), qint64(0));
        for (std::size_t r = 0; r < s.size(); ++r) {
            pushRow(r);
            QVERIFY(std::memcmp(row.data(), m.row(r), row.size() * sizeof(float)) == 0);
        }
    }
};

QTEST_GUILESS_MAIN(FeatureStreamTest)
#include "feature_stream_test.moc"
