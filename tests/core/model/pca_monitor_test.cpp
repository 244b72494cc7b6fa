#include "model/pca_monitor.h"
#include "core/model/synthetic_data.h"
#include "model/anomaly_model.h"
#include "model/tail_calibration.h"

#include <QCryptographicHash>
#include <QTest>
#include <QtEndian>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace itap;

namespace {

constexpr int kCols = 10;

// Process-like rows: three latent levels z1, z2, z3 ~ N(0, 1). Columns 0 and 1 follow z1 with noise 0.1 each
// (two sensors that move together); the even columns 2..8 follow z2 and the odd ones 3..9 follow z3, with
// noise 0.2. `broken`: column 1 moves against column 0 (−z1) at the same levels, |z1| in [0.8, 1.8].
// `levelShift`: z2 moves by that much (the columns that follow it move together, their correlation intact).
FeatureMatrix pairRows(std::size_t rows, std::uint64_t seed, bool broken = false, double levelShift = 0) {
    testdata::Gaussian g(seed);
    FeatureMatrix m;
    m.cols = kCols;
    m.data.resize(rows * kCols);
    for (std::size_t r = 0; r < rows; ++r) {
        float* x = m.row(r);
        double z1 = g.next();
        const double z2 = g.next() + levelShift;
        const double z3 = g.next();
        if (broken)
            z1 = (g.uniform(0, 1) < 0.5 ? -1 : 1) * g.uniform(0.8, 1.8);
        x[0] = float(z1 + 0.1 * g.next());
        x[1] = float((broken ? -z1 : z1) + 0.1 * g.next());
        for (int c = 2; c < kCols; ++c) x[c] = float((c % 2 == 0 ? z2 : z3) + 0.2 * g.next());
    }
    return m;
}

ModelParams params(DetectorChoice detector) {
    ModelParams p;
    p.forest.trees = 100;
    p.detector = detector;
    p.metadata.catalogHash = QStringLiteral("pca-test");
    return p;
}

AnomalyModel trainOrFail(const FeatureMatrix& rows, const ModelParams& p) {
    const std::vector<OpState> states(rows.rows(), OpState::Run);
    auto m = AnomalyModel::train(rows, states, {}, {}, p);
    if (!m)
        qFatal("train failed: %s", qPrintable(m.error().toString()));
    return std::move(m).value();
}

std::vector<float> scores(const AnomalyModel& m, const FeatureMatrix& rows) {
    std::vector<float> out(rows.rows());
    m.score(QStringLiteral("DEV"), rows, std::vector<OpState>(rows.rows(), OpState::Run), out.data());
    return out;
}

// Share of `anomalous` above the (1 − falseAlarms) quantile of `normal`.
double detectionAt(std::vector<float> normal, const std::vector<float>& anomalous,
                   double falseAlarms = 0.01) {
    std::sort(normal.begin(), normal.end());
    const float threshold = normal[std::size_t((1 - falseAlarms) * double(normal.size() - 1))];
    return double(std::count_if(anomalous.begin(), anomalous.end(), [&](float s) { return s > threshold; })) /
           double(anomalous.size());
}

QByteArray resealed(QByteArray bytes) {
    bytes.chop(32);
    bytes.append(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256));
    return bytes;
}

QByteArray withHeader(const QByteArray& bytes, const nlohmann::json& header) {
    const quint32 oldLen = qFromLittleEndian<quint32>(bytes.constData() + 12);
    const std::string text = header.dump();
    QByteArray out = bytes.left(12);
    char len[4];
    qToLittleEndian<quint32>(static_cast<quint32>(text.size()), len);
    out.append(len, 4);
    out.append(text.data(), static_cast<qsizetype>(text.size()));
    out.append(bytes.mid(16 + oldLen));
    return resealed(out);
}

nlohmann::json headerOf(const QByteArray& bytes) {
    const quint32 len = qFromLittleEndian<quint32>(bytes.constData() + 12);
    return nlohmann::json::parse(bytes.mid(16, len).toStdString());
}

const FeatureMatrix& training() {
    static const FeatureMatrix rows = pairRows(2000, 1);
    return rows;
}

const AnomalyModel& modelOf(DetectorChoice d) {
    static const AnomalyModel forest = trainOrFail(training(), params(DetectorChoice::Forest));
    static const AnomalyModel pca = trainOrFail(training(), params(DetectorChoice::Pca));
    static const AnomalyModel combined = trainOrFail(training(), params(DetectorChoice::Combined));
    return d == DetectorChoice::Forest ? forest : d == DetectorChoice::Pca ? pca : combined;
}

}  // namespace

class PcaMonitorTest : public QObject {
    Q_OBJECT
private slots:
    void componentRule_data() {
        QTest::addColumn<std::vector<double>>("eigenvalues");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("expected");
        // 4+3+2 = 9 of 10 reaches 90 % with three components.
        QTest::newRow("cumulative 90 %") << std::vector<double>{4, 3, 2, 1} << 100 << 3;
        QTest::newRow("one dominant") << std::vector<double>{10, 0.1, 0.1} << 100 << 1;
        // Equal variances would need all four; one residual direction is always kept.
        QTest::newRow("capped at d - 1") << std::vector<double>{1, 1, 1, 1} << 100 << 3;
        // Three rows span at most two directions.
        QTest::newRow("capped at n - 1") << std::vector<double>{1, 1, 1, 1, 1, 1} << 3 << 2;
        QTest::newRow("no variance") << std::vector<double>{0, 0, 0} << 100 << 0;
        QTest::newRow("negative rounding noise") << std::vector<double>{5, 4.5, -1e-12} << 100 << 2;
    }
    void componentRule() {
        QFETCH(std::vector<double>, eigenvalues);
        QFETCH(int, rows);
        QFETCH(int, expected);
        QCOMPARE(PcaMonitor::componentCount(eigenvalues, 0.9, std::size_t(rows)), expected);
    }

    // Two channels that moved together now move against each other, each within its normal range: the
    // forest, which splits one column at a time, ranks those rows among the normal ones; Q does not.
    void onlyACorrelationBreaks() {
        const FeatureMatrix normal = pairRows(2000, 2);
        const FeatureMatrix broken = pairRows(500, 3, /*broken=*/true);
        const double forest = detectionAt(scores(modelOf(DetectorChoice::Forest), normal),
                                          scores(modelOf(DetectorChoice::Forest), broken));
        const double pca = detectionAt(scores(modelOf(DetectorChoice::Pca), normal),
                                       scores(modelOf(DetectorChoice::Pca), broken));
        const double combined = detectionAt(scores(modelOf(DetectorChoice::Combined), normal),
                                            scores(modelOf(DetectorChoice::Combined), broken));
        qInfo("detection at 1 %% false alarms: forest %.3f, pca %.3f, combined %.3f", forest, pca, combined);
        QVERIFY2(pca >= 0.95, qPrintable(QString::number(pca)));
        QVERIFY2(combined >= 0.95, qPrintable(QString::number(combined)));
        QVERIFY2(forest <= 0.5, qPrintable(QString::number(forest)));
        // Q carries (nearly) every broken row.
        const AnomalyModel& m = modelOf(DetectorChoice::Combined);
        int byQ = 0;
        std::vector<float> scaled(kCols);
        for (std::size_t r = 0; r < broken.rows(); ++r) {
            m.scaleRow(QStringLiteral("DEV"), OpState::Run, broken.row(r), scaled.data());
            byQ += m.read(OpState::Run, broken.row(r), scaled.data()).carrier == ScoreSource::Q ? 1 : 0;
        }
        QVERIFY2(byQ >= 0.9 * double(broken.rows()), qPrintable(QString::number(byQ)));
    }

    // A level moves out of its range, correlations intact: the forest and the PCA monitor both see it.
    void onlyALevelMoves() {
        const FeatureMatrix normal = pairRows(2000, 4);
        const FeatureMatrix shifted = pairRows(500, 5, false, 6.0);
        for (DetectorChoice d : {DetectorChoice::Forest, DetectorChoice::Pca, DetectorChoice::Combined}) {
            // At 5 % false alarms: an Isolation Forest cannot tell a row far beyond the training range from
            // one at its edge (both leave the sub-sample on the same side), so at 1 % it catches about 70 %.
            const double detected =
                detectionAt(scores(modelOf(d), normal), scores(modelOf(d), shifted), 0.05);
            qInfo("%s %.3f", qPrintable(detectorChoiceName(d)), detected);
            QVERIFY2(detected >= 0.9,
                     qPrintable(detectorChoiceName(d) + QStringLiteral(" %1").arg(detected)));
        }
    }

    // The Q contributions of a broken row fall on the two broken channels and sum to Q; the T²
    // contributions sum to T².
    void contributionsPointAtTheBrokenChannels() {
        const AnomalyModel& m = modelOf(DetectorChoice::Pca);
        const FeatureMatrix broken = pairRows(200, 6, true);
        std::vector<float> scaled(kCols);
        int onPair = 0;
        for (std::size_t r = 0; r < broken.rows(); ++r) {
            m.scaleRow(QStringLiteral("DEV"), OpState::Run, broken.row(r), scaled.data());
            const PcaMonitor::Reading reading = m.pca().read(OpState::Run, scaled.data());
            const std::vector<double> q = m.pca().contributions(OpState::Run, scaled.data(), false);
            const std::vector<double> t2 = m.pca().contributions(OpState::Run, scaled.data(), true);
            double qSum = 0, t2Sum = 0;
            for (double v : q) qSum += v;
            for (double v : t2) t2Sum += v;
            QVERIFY(std::abs(qSum - reading.q) <= 1e-9 * std::max(1.0, reading.q));
            QVERIFY(std::abs(t2Sum - reading.t2) <= 1e-9 * std::max(1.0, reading.t2));
            onPair += (q[0] + q[1]) >= 0.8 * qSum ? 1 : 0;
        }
        QVERIFY2(onPair >= 190, qPrintable(QString::number(onPair)));
    }

    // A column that never varied in training (a missing fraction that was always 0) and now leaves its value:
    // Q carries the row, and its contribution falls on that column.
    void aColumnLeavingItsConstantValueDrivesQ() {
        FeatureMatrix rows = pairRows(2000, 10);
        for (std::size_t r = 0; r < rows.rows(); ++r) rows.row(r)[9] = 0.0F;
        const AnomalyModel m = trainOrFail(rows, params(DetectorChoice::Pca));
        FeatureMatrix probe = pairRows(100, 11);
        for (std::size_t r = 0; r < probe.rows(); ++r) probe.row(r)[9] = r % 2 == 0 ? 0.0F : 0.5F;
        std::vector<float> scaled(kCols);
        for (std::size_t r = 0; r < probe.rows(); ++r) {
            m.scaleRow(QStringLiteral("DEV"), OpState::Run, probe.row(r), scaled.data());
            const AnomalyModel::DetectorReading reading = m.read(OpState::Run, probe.row(r), scaled.data());
            if (r % 2 == 0) {
                QVERIFY(reading.pca.pQ > 1e-4);
                continue;
            }
            QCOMPARE(reading.carrier, ScoreSource::Q);
            QVERIFY(reading.pca.pQ < 1e-6);
            const std::vector<double> q = m.pca().contributions(OpState::Run, scaled.data(), false);
            QVERIFY(q[9] >= 0.99 * reading.pca.q);
        }
    }

    void subspacePerStateWithPooledFallback() {
        // 1500 RUN rows, 1000 IDLE rows (own subspace), 30 MAINT rows (too few: pooled).
        FeatureMatrix rows = pairRows(2530, 7);
        std::vector<OpState> states(rows.rows(), OpState::Run);
        for (std::size_t r = 1500; r < 2500; ++r) states[r] = OpState::Idle;
        for (std::size_t r = 2500; r < 2530; ++r) states[r] = OpState::Maint;
        auto m = AnomalyModel::train(rows, states, {}, {}, params(DetectorChoice::Pca));
        QVERIFY(m.ok());
        QVERIFY(m->pca().ownSubspace(OpState::Run));
        QVERIFY(m->pca().ownSubspace(OpState::Idle));
        QVERIFY(!m->pca().ownSubspace(OpState::Maint));
        // One state only: just the pooled subspace.
        QVERIFY(!modelOf(DetectorChoice::Pca).pca().ownSubspace(OpState::Run));
        QVERIFY(modelOf(DetectorChoice::Pca).pca().components(OpState::Run) >= 1);
    }

    void tailCalibration() {
        std::vector<double> v(100);
        for (int i = 0; i < 100; ++i) v[std::size_t(i)] = i;
        const TailCalibration c = TailCalibration::fit(v);
        QCOMPARE(c.upperTail(99), 1.0 / 101);
        QCOMPARE(c.upperTail(-5), 100.0 / 101);
        QCOMPARE(c.upperTail(std::nan("")), 1.0);
        // The mean excess over the 90 % quantile (89.1) of 90..99 is 5.4.
        QVERIFY(std::abs(c.tailScale() - 5.4) < 1e-9);
        QVERIFY(std::abs(c.upperTail(99 + 5.4) - std::exp(-1.0) / 101) < 1e-12);
        double last = 1;
        for (double x = -1; x < 150; x += 0.37) {
            const double p = c.upperTail(x);
            QVERIFY(p <= last && p > 0);
            last = p;
        }
        QVERIFY(TailCalibration{}.upperTail(3) == 1.0);
    }

    void combinedScoreMapping() {
        QCOMPARE(AnomalyModel::combinedScore(0.1, 1), 0.5);
        QVERIFY(std::abs(AnomalyModel::combinedScore(0.01, 1) - 2.0 / 3.0) < 1e-12);
        QCOMPARE(AnomalyModel::combinedScore(1.0, 3), 0.0);
        QCOMPARE(AnomalyModel::combinedScore(0.0, 3), 1.0);
        // Šidák: the same smallest p-value is less evidence among more detectors.
        QVERIFY(AnomalyModel::combinedScore(0.01, 3) < AnomalyModel::combinedScore(0.01, 1));
        QVERIFY(AnomalyModel::combinedScore(1e-30, 3) > AnomalyModel::combinedScore(1e-20, 3));
    }

    void roundTripsWithThePcaPart_data() {
        QTest::addColumn<int>("detector");
        QTest::newRow("pca") << int(DetectorChoice::Pca);
        QTest::newRow("combined") << int(DetectorChoice::Combined);
        QTest::newRow("forest") << int(DetectorChoice::Forest);
    }
    void roundTripsWithThePcaPart() {
        QFETCH(int, detector);
        const AnomalyModel& m = modelOf(DetectorChoice(detector));
        const QByteArray bytes = m.toBytes();
        QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + 8), AnomalyModel::kFormatVersion);
        auto back = AnomalyModel::fromBytes(bytes, "m");
        if (!back)
            QFAIL(qPrintable(back.error().toString()));
        QCOMPARE(back->detector(), DetectorChoice(detector));
        QCOMPARE(back->toBytes(), bytes);
        const FeatureMatrix probe = pairRows(50, 8, true);
        QCOMPARE(scores(*back, probe), scores(m, probe));
    }

    // A version-1 file (no detector) loads as the forest alone, scoring as before.
    void versionOneFileLoadsAsForest() {
        const AnomalyModel& forest = modelOf(DetectorChoice::Forest);
        nlohmann::json h = headerOf(forest.toBytes());
        h.erase("detector");
        QByteArray old = withHeader(forest.toBytes(), h);
        qToLittleEndian<quint32>(1, old.data() + 8);
        auto loaded = AnomalyModel::fromBytes(resealed(old), "old");
        if (!loaded)
            QFAIL(qPrintable(loaded.error().toString()));
        QCOMPARE(loaded->detector(), DetectorChoice::Forest);
        const FeatureMatrix probe = pairRows(50, 9);
        QCOMPARE(scores(*loaded, probe), scores(forest, probe));
        // Without the version bump the same header is refused: version 2 names its detector.
        QVERIFY(!AnomalyModel::fromBytes(withHeader(forest.toBytes(), h), "new").ok());
    }

    void hostileHeadersAreErrors_data() {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("value");
        QTest::newRow("unknown detector") << "/detector"
                                          << "\"lof\"";
        QTest::newRow("pca missing") << "/pca"
                                     << "null";
        QTest::newRow("column out of range") << "/pca/columns/0"
                                             << "999";
        QTest::newRow("columns not increasing") << "/pca/columns/1"
                                                << "0";
        QTest::newRow("too many components") << "/pca/subspaces/0/components"
                                             << "10";
        QTest::newRow("components not matching loadings") << "/pca/subspaces/0/components"
                                                          << "1";
        QTest::newRow("short mean") << "/pca/subspaces/0/mean"
                                    << "[0, 1]";
        QTest::newRow("negative eigenvalue") << "/pca/subspaces/0/eigenvalues/0"
                                             << "-1";
        QTest::newRow("state index out of range") << "/pca/state_subspace/1"
                                                  << "7";
        QTest::newRow("knots decreasing") << "/pca/subspaces/0/q/knots/0"
                                          << "1e300";
        QTest::newRow("zero tail scale") << "/pca/subspaces/0/t2/tail_scale"
                                         << "0";
        QTest::newRow("one knot") << "/pca/subspaces/0/t2/knots"
                                  << "[1]";
        QTest::newRow("forest calibration missing") << "/forest_calibration"
                                                    << "null";
        QTest::newRow("constant position out of range") << "/pca/subspaces/0/constant"
                                                        << "[99]";
        QTest::newRow("constant missing") << "/pca/subspaces/0/constant"
                                          << "null";
        QTest::newRow("pooled forest calibration empty") << "/forest_calibration/3"
                                                         << "{}";
        QTest::newRow("forest calibrations too few") << "/forest_calibration"
                                                     << "[{}]";
        QTest::newRow("loading not a number") << "/pca/subspaces/0/loadings/0"
                                              << "\"x\"";
    }
    void hostileHeadersAreErrors() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        const QByteArray good = modelOf(DetectorChoice::Combined).toBytes();
        nlohmann::json h = headerOf(good);
        const nlohmann::json v = nlohmann::json::parse(value.toStdString());
        const nlohmann::json::json_pointer ptr(pointer.toStdString());
        if (v.is_null())
            h.at(ptr.parent_pointer()).erase(ptr.back());
        else
            h[ptr] = v;
        const auto m = AnomalyModel::fromBytes(withHeader(good, h), "m");
        QVERIFY2(!m.ok(), qPrintable(pointer));
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
    }

    void truncatedPcaFileIsAnError() {
        const QByteArray good = modelOf(DetectorChoice::Pca).toBytes();
        for (qsizetype keep : {qsizetype(10), qsizetype(100), good.size() / 2, good.size() - 1}) {
            const auto m = AnomalyModel::fromBytes(good.left(keep), "m");
            QVERIFY(!m.ok());
            QCOMPARE(m.error().kind, Error::Kind::BadInput);
        }
    }
};

QTEST_APPLESS_MAIN(PcaMonitorTest)
#include "pca_monitor_test.moc"
