#include "model/anomaly_model.h"
#include "core/model/synthetic_data.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <cmath>
#include <cstring>

using namespace itap;

namespace {

struct TrainingSet {
    FeatureMatrix rows;
    std::vector<OpState> states;
    std::vector<int> device;
    QStringList devices = {"DEV-0001", "DEV-0002"};
};

// RUN rows ~ N(10, 1), IDLE rows ~ N(0, 1) in every feature, alternating devices.
TrainingSet runIdleSet(std::size_t rows, int cols, std::uint64_t seed) {
    TrainingSet t;
    t.rows = testdata::blob(rows, cols, seed);
    for (std::size_t r = 0; r < rows; ++r) {
        const bool idle = r % 4 == 0;
        t.states.push_back(idle ? OpState::Idle : OpState::Run);
        t.device.push_back(static_cast<int>(r % 2));
        if (!idle)
            for (int c = 0; c < cols; ++c) t.rows.row(r)[c] += 10.0F;
    }
    return t;
}

ModelParams smallParams(int trees = 50) {
    ModelParams p;
    p.forest.trees = trees;
    p.metadata.catalogHash = QStringLiteral("abc123");
    p.metadata.featureConfig = {{"window", 30}};
    p.metadata.trainFromMs = 1000;
    p.metadata.trainToMs = 2000;
    return p;
}

AnomalyModel trainOrFail(const TrainingSet& t, const ModelParams& p) {
    auto m = AnomalyModel::train(t.rows, t.states, t.device, t.devices, p);
    if (!m)
        qFatal("train failed: %s", qPrintable(m.error().toString()));
    return std::move(m).value();
}

std::vector<float> scores(const AnomalyModel& m, const QString& device, const FeatureMatrix& rows,
                          const std::vector<OpState>& states) {
    std::vector<float> out(rows.rows());
    m.score(device, rows, states, out.data());
    return out;
}

// Rewrites the trailing SHA-256 so that a deliberately edited file passes the checksum and reaches
// validation.
QByteArray resealed(QByteArray bytes) {
    bytes.chop(32);
    bytes.append(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256));
    return bytes;
}

// A small model (3 trees, ψ = 16) keeps the every-byte-flip test fast.
const QByteArray& smallModelBytes() {
    static const QByteArray bytes = [] {
        ModelParams p = smallParams(3);
        p.forest.sampleSize = 16;
        return trainOrFail(runIdleSet(200, 3, 99), p).toBytes();
    }();
    return bytes;
}

// Replaces the JSON header of model file bytes (and reseals the checksum).
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

// RUN/IDLE training rows whose last column is 0 throughout: a missing fraction of a sensor that never
// dropped.
TrainingSet withConstantColumn(std::size_t rows, int cols, std::uint64_t seed) {
    TrainingSet t = runIdleSet(rows, cols, seed);
    for (std::size_t r = 0; r < rows; ++r) t.rows.row(r)[cols - 1] = 0.0F;
    return t;
}

}  // namespace

class AnomalyModelTest : public QObject {
    Q_OBJECT
private slots:
    // What is normal in IDLE is not normal in RUN: the same raw row is scored by its state's statistics.
    void perStateScalingKeepsIdleNormalRowsLow() {
        const int d = 4;
        const auto t = runIdleSet(4000, d, 1);
        const auto model = trainOrFail(t, ModelParams{});
        FeatureMatrix row;
        row.cols = d;
        row.data.assign(d, 0.0F);  // the centre of IDLE, 10 σ below RUN
        const float idle = scores(model, "DEV-0001", row, {OpState::Idle})[0];
        const float run = scores(model, "DEV-0001", row, {OpState::Run})[0];
        QVERIFY2(idle < 0.5F, qPrintable(QString::number(idle)));
        QVERIFY2(run > 0.7F, qPrintable(QString::number(run)));

        // A global scaler sees RUN and IDLE as one bimodal cloud and no longer flags the RUN row (without the
        // regime scaler, which would standardise per state again).
        ModelParams global;
        global.scaler.mode = ScalingMode::Global;
        global.regimeScaling = false;
        const auto g = trainOrFail(t, global);
        QVERIFY(scores(g, "DEV-0001", row, {OpState::Run})[0] < run);
    }

    // An ignored column is invisible to the forest: changing it never changes a score, and it survives a
    // save/load round trip; unknown names are dropped.
    void ignoredFeaturesDoNotAffectScores() {
        const int d = 5;
        const auto t = runIdleSet(3000, d, 5);
        ModelParams p = smallParams();
        p.metadata.featureNames = {"a", "b", "c", "d", "e"};
        p.ignoredFeatures = {"c", "nonexistent"};
        const auto model = trainOrFail(t, p);
        QCOMPARE(model.ignoredFeatures(), std::vector<QString>{"c"});
        FeatureMatrix rows;
        rows.cols = d;
        rows.data = {10, 10, 10, 10, 10, 10, 10, 1e6F, 10, 10, 10, 10, 10, 10, 25};
        const auto s = scores(model, "DEV-0001", rows, {OpState::Run, OpState::Run, OpState::Run});
        QCOMPARE(s[0], s[1]);  // column c is ignored, however extreme
        QVERIFY2(s[2] > s[0] + 0.1F, qPrintable(QStringLiteral("%1 vs %2").arg(s[2]).arg(s[0])));  // e is not
        for (const ForestNode& n : model.forest().nodes()) QVERIFY(n.feature != 2);
        const auto back = AnomalyModel::fromBytes(model.toBytes(), "mem");
        QVERIFY(back.ok());
        QCOMPARE(back->ignoredFeatures(), std::vector<QString>{"c"});
        QCOMPARE(scores(*back, "DEV-0001", rows, {OpState::Run, OpState::Run, OpState::Run}), s);
    }

    // Regime strata: (phase, state) groups from the since-state column, empty groups dropped.
    void regimeStrataGroupRows() {
        FeatureMatrix rows;
        rows.cols = 2;
        rows.data = {0, 10, 0, 900, 0, 20, 0, 4000, 0, 100, 0, 60};
        const std::vector<OpState> states{OpState::Run,  OpState::Run, OpState::Idle,
                                          OpState::Idle, OpState::Run, OpState::Run};
        const auto strata = regimeStrata(rows, states, 1, {60, 300});
        // Phase 0 (< 60 s): RUN {0}, IDLE {2}; phase 1 (60..300 s): RUN {4, 5}; phase 2: RUN {1}, IDLE {3}.
        QCOMPARE(strata.size(), std::size_t(5));
        QCOMPARE(strata[0], (std::vector<std::size_t>{0}));
        QCOMPARE(strata[1], (std::vector<std::size_t>{2}));
        QCOMPARE(strata[2], (std::vector<std::size_t>{4, 5}));
        QCOMPARE(strata[3], (std::vector<std::size_t>{1}));
        QCOMPARE(strata[4], (std::vector<std::size_t>{3}));
        QCOMPARE(regimeStrata(rows, states, -1, {60, 300}).size(), std::size_t(2));  // by state only
        QCOMPARE(regimeStrata(rows, states, 1, {}).size(), std::size_t(2));          // no edges: by state
    }

    void rejectsBadRegimeEdges() {
        const auto t = runIdleSet(500, 3, 9);
        for (const std::vector<double>& edges :
             {std::vector<double>{300, 60}, std::vector<double>{0}, std::vector<double>{-5},
              std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            ModelParams p = smallParams(5);
            p.regimeEdgesSeconds = edges;
            QVERIFY(!AnomalyModel::train(t.rows, t.states, t.device, t.devices, p).ok());
        }
        ModelParams p = smallParams(5);
        p.regimeEdgesSeconds = {30, 600};
        auto m = AnomalyModel::train(t.rows, t.states, t.device, t.devices, p);
        QVERIFY(m.ok());
        const auto back = AnomalyModel::fromBytes(m->toBytes(), "mem");
        QVERIFY(back.ok());
        QCOMPARE(back->regimeEdgesSeconds(), (std::vector<double>{30, 600}));
    }

    // With stratified regimes (the default), a rare state is not isolated for being rare: IDLE rows that are
    // 5 % of training score like RUN rows; uniform sub-samples score them higher.
    void stratifiedRegimesCalibrateRareStates() {
        const int d = 4;
        // IDLE rows ~ N(0, 1) are 5 % of training, RUN rows ~ N(10, 1) the rest.
        TrainingSet t;
        t.rows = testdata::blob(6000, d, 6);
        for (std::size_t r = 0; r < t.rows.rows(); ++r) {
            const bool idle = r % 20 == 0;
            t.states.push_back(idle ? OpState::Idle : OpState::Run);
            t.device.push_back(0);
            if (!idle)
                for (int c = 0; c < d; ++c) t.rows.row(r)[c] += 10.0F;
        }
        ModelParams strat = smallParams(100);
        strat.scaler.mode = ScalingMode::Global;
        strat.regimeScaling = false;  // the sub-sampling alone is under test
        ModelParams uniform = strat;
        uniform.stratifyRegimes = false;
        const auto ms = trainOrFail(t, strat);
        const auto mu = trainOrFail(t, uniform);
        QVERIFY(ms.stratifiedRegimes());
        QVERIFY(!mu.stratifiedRegimes());
        const auto test = runIdleSet(2000, d, 7);  // every 4th row IDLE around 0, others RUN around 10
        const auto ss = scores(ms, "DEV-0001", test.rows, test.states);
        const auto su = scores(mu, "DEV-0001", test.rows, test.states);
        double idleS = 0, runS = 0, idleU = 0, runU = 0;
        for (std::size_t r = 0; r < test.states.size(); ++r) {
            const bool idle = test.states[r] == OpState::Idle;
            (idle ? idleS : runS) += ss[r];
            (idle ? idleU : runU) += su[r];
        }
        const double nIdle = 500, nRun = 1500;
        const double gapStrat = idleS / nIdle - runS / nRun;
        const double gapUniform = idleU / nIdle - runU / nRun;
        QVERIFY2(gapUniform > 0.05, qPrintable(QString::number(gapUniform)));
        QVERIFY2(std::fabs(gapStrat) < gapUniform / 2,
                 qPrintable(QStringLiteral("%1 vs %2").arg(gapStrat).arg(gapUniform)));
    }

    // The regime scaler judges a row against the rows in the same situation: in the first minute after a
    // state change the windows are short and every statistic spreads 4× wider, so values 5 σ out in steady
    // operation are ordinary there. With it, such a settling row scores low and the same values in steady
    // operation high; without it (one set of statistics per state) the wide settling cloud masks the steady
    // anomaly.
    void regimeScalingJudgesRowsAgainstTheirOwnRegime() {
        const int d = 4;  // f0..f2 and since_state_s
        TrainingSet t;
        const std::size_t n = 6000;
        t.rows = testdata::blob(n, d, 21);
        testdata::Gaussian since(22);
        for (std::size_t r = 0; r < n; ++r) {
            const bool settling = r % 5 == 0;
            float* row = t.rows.row(r);
            for (int c = 0; c < d - 1; ++c) row[c] *= settling ? 4.0F : 1.0F;
            row[d - 1] = static_cast<float>(settling ? since.uniform(0, 59) : since.uniform(1900, 3600));
            t.states.push_back(OpState::Run);
            t.device.push_back(0);
        }
        ModelParams with = smallParams(200);
        with.metadata.featureNames = {"f0", "f1", "f2", kSinceStateFeature};
        ModelParams without = with;
        without.regimeScaling = false;
        const auto mw = trainOrFail(t, with);
        const auto mo = trainOrFail(t, without);
        QVERIFY(mw.regimeScaler().active());
        QVERIFY(!mo.regimeScaler().active());
        QCOMPARE(mw.phaseOf(t.rows.row(0)), 0);
        QCOMPARE(mw.phaseOf(t.rows.row(1)), 3);  // ≥ 1800 s with the default edges {60, 300, 1800}

        FeatureMatrix probe;
        probe.cols = d;
        probe.data = {5, -5, 5, 30,     // settling: 1.25 σ of settling in each column
                      5, -5, 5, 3000};  // steady: 5 σ of steady operation in each column
        const auto sw = scores(mw, "DEV-0001", probe, {OpState::Run, OpState::Run});
        const auto so = scores(mo, "DEV-0001", probe, {OpState::Run, OpState::Run});
        QVERIFY2(sw[0] < 0.5F, qPrintable(QString::number(sw[0])));
        QVERIFY2(sw[1] > sw[0] + 0.1F, qPrintable(QStringLiteral("%1 vs %2").arg(sw[1]).arg(sw[0])));
        // Without it the two rows differ only in since_state_s, which the forest rarely splits on.
        const auto both =
            QStringLiteral("with %1 / %2, without %3 / %4").arg(sw[0]).arg(sw[1]).arg(so[0]).arg(so[1]);
        QVERIFY2(sw[1] - sw[0] > so[1] - so[0] + 0.05F, qPrintable(both));
        QVERIFY2(sw[1] > so[1] && sw[0] < so[0], qPrintable(both));

        // It survives the model file, scores and all.
        const auto back = AnomalyModel::fromBytes(mw.toBytes(), "m");
        if (!back)
            QFAIL(qPrintable(back.error().toString()));
        QVERIFY(back->regimeScaler().active());
        QCOMPARE(scores(*back, "DEV-0001", probe, {OpState::Run, OpState::Run}), sw);
        QCOMPARE(back->toBytes(), mw.toBytes());
        QVERIFY(!headerOf(mo.toBytes()).contains("regime_scaler"));
    }

    void outlierHighAndUnseenDeviceScores_data() {
        QTest::addColumn<int>("mode");
        for (auto m : {ScalingMode::Global, ScalingMode::PerState, ScalingMode::PerDevice,
                       ScalingMode::PerDeviceState})
            QTest::newRow(qPrintable(scalingModeName(m))) << static_cast<int>(m);
    }
    void outlierHighAndUnseenDeviceScores() {
        QFETCH(int, mode);
        const auto t = runIdleSet(3000, 5, 2);
        ModelParams p;
        p.scaler.mode = static_cast<ScalingMode>(mode);
        const auto model = trainOrFail(t, p);
        FeatureMatrix rows;
        rows.cols = 5;
        rows.data = {10, 10, 10, 10, 10, 25, 25, 25, 25, 25};  // a normal RUN row, then one far out
        for (const QString& dev : {QStringLiteral("DEV-0002"), QStringLiteral("NEW-DEVICE")}) {
            const auto s = scores(model, dev, rows, {OpState::Run, OpState::Run});
            QVERIFY2(s[0] < 0.5F, qPrintable(QString::number(s[0])));
            QVERIFY2(s[1] > 0.7F, qPrintable(QString::number(s[1])));
        }
    }

    void saveLoadGivesIdenticalScores() {
        const auto t = runIdleSet(2000, 6, 3);
        ModelParams p = smallParams();
        p.scaler.mode = ScalingMode::PerDeviceState;
        auto model = trainOrFail(t, p);
        QVERIFY(std::isnan(model.threshold()));
        model.setThreshold(0.6125);
        QTemporaryDir dir;
        const QString path = dir.filePath("model.itapm");
        QVERIFY(model.save(path).ok());
        const auto back = AnomalyModel::load(path);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().toString()));
        QCOMPARE(back->threshold(), 0.6125);
        QCOMPARE(back->catalogHash(), QStringLiteral("abc123"));
        QCOMPARE(back->featureNames(), model.featureNames());
        QCOMPARE(back->featureNames().front(), QStringLiteral("f0"));
        QCOMPARE(back->featureConfig(), p.metadata.featureConfig);
        QCOMPARE(back->trainRows(), qint64(2000));
        QCOMPARE(back->metadata().trainToMs, qint64(2000));
        QCOMPARE(back->scalerParams().mode, ScalingMode::PerDeviceState);
        QCOMPARE(back->toBytes(), model.toBytes());

        const auto test = runIdleSet(999, 6, 4);
        for (const QString& dev : {QStringLiteral("DEV-0001"), QStringLiteral("other")}) {
            const auto a = scores(model, dev, test.rows, test.states);
            const auto b = scores(*back, dev, test.rows, test.states);
            QCOMPARE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
        }
    }

    void trainingIsDeterministicAcrossThreadCounts_data() {
        QTest::addColumn<int>("threads");
        for (int th : {2, 4}) QTest::newRow(qPrintable(QString::number(th))) << th;
    }
    void trainingIsDeterministicAcrossThreadCounts() {
        QFETCH(int, threads);
        const auto t = runIdleSet(1500, 4, 5);
        ModelParams p = smallParams();
        p.forest.threads = 1;
        auto one = trainOrFail(t, p);
        p.forest.threads = threads;
        auto many = trainOrFail(t, p);
        many.setScoringThreads(1);  // the thread count is not part of the file
        one.setScoringThreads(1);
        QCOMPARE(one.toBytes(), many.toBytes());
        many.setScoringThreads(threads);
        const auto a = scores(one, "DEV-0001", t.rows, t.states);
        const auto b = scores(many, "DEV-0001", t.rows, t.states);
        QCOMPARE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
    }

    void checkCompatible() {
        const auto t = runIdleSet(300, 2, 6);
        ModelParams p = smallParams(5);
        p.metadata.featureNames = {"temp_c_mean", "rpm_std"};
        const auto m = trainOrFail(t, p);
        QVERIFY(m.checkCompatible("abc123", {"temp_c_mean", "rpm_std"}).ok());
        QVERIFY(!m.checkCompatible("abc124", {"temp_c_mean", "rpm_std"}).ok());
        QVERIFY(!m.checkCompatible("abc123", {"rpm_std", "temp_c_mean"}).ok());
        QVERIFY(!m.checkCompatible("abc123", {"temp_c_mean"}).ok());
        QCOMPARE(m.checkCompatible("zzz", {}).error().kind, Error::Kind::BadInput);
    }

    void wrongColumnCountScoresNaN() {
        const auto m = trainOrFail(runIdleSet(300, 3, 7), smallParams(5));
        FeatureMatrix rows;
        rows.cols = 2;
        rows.data = {1, 2, 3, 4};
        const auto s = scores(m, "DEV-0001", rows, {OpState::Run, OpState::Run});
        QVERIFY(std::isnan(s[0]) && std::isnan(s[1]));
    }

    void trainRejectsBadInput_data() {
        QTest::addColumn<int>("caseId");
        QTest::newRow("feature names count") << 0;
        QTest::newRow("states count") << 1;
        QTest::newRow("bad forest params") << 2;
        QTest::newRow("device index out of range") << 3;
    }
    void trainRejectsBadInput() {
        QFETCH(int, caseId);
        auto t = runIdleSet(100, 3, 8);
        ModelParams p = smallParams(5);
        switch (caseId) {
            case 0:
                p.metadata.featureNames = {"a", "b"};
                break;
            case 1:
                t.states.pop_back();
                break;
            case 2:
                p.forest.sampleSize = 0;
                break;
            case 3:
                t.device[7] = 5;
                break;
        }
        const auto m = AnomalyModel::train(t.rows, t.states, t.device, t.devices, p);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
    }

    void trainHonoursCancellation() {
        const auto t = runIdleSet(500, 3, 9);
        qint64 last = -1;
        bool monotonic = true;
        const auto m = AnomalyModel::train(t.rows, t.states, t.device, t.devices, smallParams(),
                                           [&](qint64 done, qint64 total, const QString&) {
                                               monotonic = monotonic && done >= last && done <= total;
                                               last = done;
                                               return done < 500;
                                           });
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::Cancelled);
        QVERIFY(monotonic);
    }

    void truncatedFilesAreErrors_data() {
        QTest::addColumn<int>("length");
        const auto size = static_cast<int>(smallModelBytes().size());
        for (int len : {0, 4, 8, 12, 16, 40, size / 2, size - 33, size - 32, size - 1})
            QTest::newRow(qPrintable(QString::number(len))) << len;
    }
    void truncatedFilesAreErrors() {
        QFETCH(int, length);
        QTemporaryDir dir;
        const QString path = dir.filePath("cut.itapm");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(smallModelBytes().left(length));
        f.close();
        const auto m = AnomalyModel::load(path);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
        QCOMPARE(m.error().file, path);
        QVERIFY(m.error().toString().contains(path));
    }

    // Every single-byte corruption of a whole (small) file is detected.
    void everyByteFlipIsAnError() {
        const QByteArray good = smallModelBytes();
        QVERIFY(AnomalyModel::fromBytes(good, "m").ok());
        for (qsizetype i = 0; i < good.size(); ++i) {
            QByteArray bad = good;
            bad[i] = static_cast<char>(bad[i] ^ 0x5A);
            const auto m = AnomalyModel::fromBytes(bad, "m");
            QVERIFY2(!m.ok(), qPrintable(QStringLiteral("flip at byte %1 accepted").arg(i)));
            QCOMPARE(m.error().kind, Error::Kind::BadInput);
        }
    }

    void wrongMagicAndVersion_data() {
        QTest::addColumn<int>("offset");
        QTest::addColumn<QByteArray>("replacement");
        QTest::addColumn<QString>("message");
        QTest::newRow("magic") << 0 << QByteArray("NOTAMODL") << "wrong magic";
        QTest::newRow("version 3") << 8 << QByteArray("\x03\x00\x00\x00", 4) << "version 3";
        QTest::newRow("version 0") << 8 << QByteArray("\x00\x00\x00\x00", 4) << "version 0";
    }
    void wrongMagicAndVersion() {
        QFETCH(int, offset);
        QFETCH(QByteArray, replacement);
        QFETCH(QString, message);
        QByteArray bytes = smallModelBytes();
        bytes.replace(offset, replacement.size(), replacement);
        const auto m = AnomalyModel::fromBytes(resealed(bytes), "model.itapm");
        QVERIFY(!m.ok());
        QVERIFY2(m.error().message.contains(message), qPrintable(m.error().message));
        QCOMPARE(m.error().file, QStringLiteral("model.itapm"));
    }

    // A file whose checksum is right but whose content was written by a hostile or buggy writer.
    void validatesContentBehindAValidChecksum_data() {
        QTest::addColumn<int>("caseId");
        QTest::newRow("header length beyond the file") << 0;
        QTest::newRow("huge node count") << 1;
        QTest::newRow("child index out of range") << 2;
        QTest::newRow("header is not JSON") << 3;
    }
    void validatesContentBehindAValidChecksum() {
        QFETCH(int, caseId);
        QByteArray bytes = smallModelBytes();
        quint32 headerLen = qFromLittleEndian<quint32>(bytes.constData() + 12);
        const qsizetype nodeSection = 16 + headerLen;  // trees, nodes, offsets, nodes
        switch (caseId) {
            case 0:
                qToLittleEndian<quint32>(0x7FFFFFF0U, bytes.data() + 12);
                break;
            case 1:
                qToLittleEndian<quint32>(0xFFFFFFFFU, bytes.data() + nodeSection + 4);
                break;
            case 2: {
                const quint32 trees = qFromLittleEndian<quint32>(bytes.constData() + nodeSection);
                const qsizetype firstNode = nodeSection + 8 + 4 * (trees + 1);
                qToLittleEndian<qint32>(100000, bytes.data() + firstNode + 8);  // root.left
                break;
            }
            case 3:
                bytes[16] = '#';
                break;
        }
        const auto m = AnomalyModel::fromBytes(resealed(bytes), "m");
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
    }

    // A column constant in training can never be split on; a row leaving its value is isolated with
    // probability 1/pool at every split, so it scores higher than the same row inside the support.
    void outOfSupportRaisesRowsLeavingAConstantColumn() {
        const TrainingSet t = withConstantColumn(2000, 4, 61);
        const AnomalyModel m = trainOrFail(t, smallParams());
        QCOMPARE(m.supportColumns().size(), std::size_t{1});
        QCOMPARE(m.supportColumns().front().column, 3);
        QCOMPARE(m.supportColumns().front().value, 0.0F);

        FeatureMatrix probe;
        probe.cols = 4;
        probe.data = {10.2F, 9.8F, 10.1F, 0.0F,  // a normal RUN row
                      10.2F, 9.8F, 10.1F, 0.4F,  // the same row with the constant column left
                      10.2F, 9.8F, 10.1F, NAN};  // the same row with the column missing: not evidence
        const std::vector<OpState> run(3, OpState::Run);
        const auto s = scores(m, "DEV-0001", probe, run);
        QCOMPARE(m.isolatingChance(probe.row(0)), 0.0);
        std::vector<int> isolating;
        QCOMPARE(m.isolatingChance(probe.row(1), &isolating), 0.25);  // one of 4 usable columns
        QCOMPARE(isolating, std::vector<int>{3});
        QCOMPARE(m.isolatingChance(probe.row(2)), 0.0);
        QVERIFY2(s[1] > s[0] + 0.02, qPrintable(QStringLiteral("%1 vs %2").arg(s[1]).arg(s[0])));
        QCOMPARE(s[2], s[0]);  // no tree splits on the constant column, so NaN walks like 0

        // Off: the column is invisible, as in a plain Isolation Forest.
        ModelParams off = smallParams();
        off.outOfSupport = false;
        const AnomalyModel plain = trainOrFail(t, off);
        QVERIFY(plain.supportColumns().empty());
        const auto sp = scores(plain, "DEV-0001", probe, run);
        QCOMPARE(sp[1], sp[0]);
        QCOMPARE(sp[0], s[0]);  // the extension changes nothing inside the support

        // Exempt and ignored columns are never checked.
        ModelParams exempt = smallParams();
        exempt.supportExempt = {QStringLiteral("f3")};
        QVERIFY(trainOrFail(t, exempt).supportColumns().empty());
        ModelParams ignored = smallParams();
        ignored.ignoredFeatures = {QStringLiteral("f3")};
        QVERIFY(trainOrFail(t, ignored).supportColumns().empty());
    }

    void outOfSupportSurvivesSaveAndLoad() {
        const TrainingSet t = withConstantColumn(1000, 3, 62);
        const AnomalyModel m = trainOrFail(t, smallParams(20));
        auto loaded = AnomalyModel::fromBytes(m.toBytes(), "m");
        if (!loaded)
            QFAIL(qPrintable(loaded.error().toString()));
        QCOMPARE(loaded->supportColumns().size(), m.supportColumns().size());
        FeatureMatrix probe;
        probe.cols = 3;
        probe.data = {10.0F, 10.0F, 0.0F, 10.0F, 10.0F, 1.0F, 0.0F, 0.0F, 0.7F};
        const std::vector<OpState> states = {OpState::Run, OpState::Run, OpState::Idle};
        QCOMPARE(scores(*loaded, "DEV-0002", probe, states), scores(m, "DEV-0002", probe, states));
        QCOMPARE(headerOf(loaded->toBytes())["out_of_support"], headerOf(m.toBytes())["out_of_support"]);
    }

    // A file written before the extension (no out_of_support key) loads and scores as a plain forest.
    void fileWithoutSupportLoads() {
        const TrainingSet t = withConstantColumn(1000, 3, 63);
        const AnomalyModel m = trainOrFail(t, smallParams(20));
        nlohmann::json h = headerOf(m.toBytes());
        h.erase("out_of_support");
        auto old = AnomalyModel::fromBytes(withHeader(m.toBytes(), h), "old");
        if (!old)
            QFAIL(qPrintable(old.error().toString()));
        QVERIFY(old->supportColumns().empty());
        FeatureMatrix probe;
        probe.cols = 3;
        probe.data = {10.0F, 10.0F, 0.0F, 10.0F, 10.0F, 1.0F};
        const auto s = scores(*old, "DEV-0001", probe, {OpState::Run, OpState::Run});
        QCOMPARE(s[1], s[0]);
        // ... and writes back a file that loads again (found by model_file_fuzz on the older seed files).
        const auto again = AnomalyModel::fromBytes(old->toBytes(), "again");
        if (!again)
            QFAIL(qPrintable(again.error().toString()));
        QVERIFY(!headerOf(old->toBytes()).contains("out_of_support"));
        QCOMPARE(scores(*again, "DEV-0001", probe, {OpState::Run, OpState::Run}), s);
    }

    void modelWithoutSupportRoundTrips() {
        ModelParams off = smallParams(10);
        off.outOfSupport = false;
        const AnomalyModel m = trainOrFail(withConstantColumn(500, 3, 65), off);
        const auto again = AnomalyModel::fromBytes(m.toBytes(), "m");
        if (!again)
            QFAIL(qPrintable(again.error().toString()));
        QVERIFY(again->supportColumns().empty());
        QCOMPARE(again->toBytes(), m.toBytes());
    }

    void hostileSupportHeadersAreErrors_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not an object") << QByteArray("[1]");
        QTest::newRow("pool missing") << QByteArray(R"({"columns": []})");
        QTest::newRow("pool zero") << QByteArray(R"({"pool": 0, "columns": []})");
        QTest::newRow("pool above the column count") << QByteArray(R"({"pool": 4, "columns": []})");
        QTest::newRow("pool not an integer") << QByteArray(R"({"pool": 1.5, "columns": []})");
        QTest::newRow("columns not an array") << QByteArray(R"({"pool": 3, "columns": {}})");
        QTest::newRow("unknown feature")
            << QByteArray(R"({"pool": 3, "columns": [{"feature": "f9", "value": 0}]})");
        QTest::newRow("value a string")
            << QByteArray(R"({"pool": 3, "columns": [{"feature": "f2", "value": "0"}]})");
        QTest::newRow("value overflows a float")
            << QByteArray(R"({"pool": 3, "columns": [{"feature": "f2", "value": 1e300}]})");
        QTest::newRow("column not an object") << QByteArray(R"({"pool": 3, "columns": [2]})");
        QTest::newRow("stratify not a boolean") << QByteArray();
        QTest::newRow("regime scaler with the wrong phase count") << QByteArray("regime:phases");
        QTest::newRow("regime scaler with a negative scale") << QByteArray("regime:scale");
        QTest::newRow("regime edges not increasing") << QByteArray("edges");
    }
    void hostileSupportHeadersAreErrors() {
        QFETCH(QByteArray, json);
        const TrainingSet t = withConstantColumn(300, 3, 64);
        const QByteArray good = trainOrFail(t, smallParams(3)).toBytes();
        nlohmann::json h = headerOf(good);
        if (json.isEmpty())
            h["training"]["stratify_regimes"] = 7;
        else if (json == "regime:phases")
            h["regime_scaler"]["phases"] = 9;
        else if (json == "regime:scale")
            h["regime_scaler"]["regimes"][0]["scale"][0] = -1;
        else if (json == "edges")
            h["training"]["regime_edges_s"] = {60, 30};
        else
            h["out_of_support"] = nlohmann::json::parse(json.toStdString());
        const auto m = AnomalyModel::fromBytes(withHeader(good, h), "m");
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
        QCOMPARE(m.error().file, QStringLiteral("m"));
    }

    void missingFileIsAnError() {
        const auto m = AnomalyModel::load(QStringLiteral("/nonexistent/model.itapm"));
        QVERIFY(!m.ok());
        QCOMPARE(m.error().file, QStringLiteral("/nonexistent/model.itapm"));
    }
};

QTEST_GUILESS_MAIN(AnomalyModelTest)
#include "anomaly_model_test.moc"
