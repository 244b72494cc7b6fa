#include "explain/explainer.h"
#include "core/model/synthetic_data.h"

#include <QTest>

#include <array>
#include <cmath>
#include <numeric>

using namespace itap;

namespace {

constexpr int kCols = 6;

FeatureSchema schema() {
    FeatureSchema s;
    s.names = {"voltage_v_mean", "voltage_v_max", "temp_c_mean", "temp_c_trend", "rpm_std", "error_streak"};
    s.families = {"Voltage", "Voltage", "Temperature", "Temperature", "RPM", QStringLiteral("Operation")};
    s.channel = {0, 0, 2, 2, 3, -1};
    return s;
}

// Trained once: 4000 normal RUN rows of N(0, 1) features.
const AnomalyModel& model() {
    static const AnomalyModel m = [] {
        const auto rows = testdata::blob(4000, kCols, 31);
        ModelParams p;
        auto r = AnomalyModel::train(rows, std::vector<OpState>(rows.rows(), OpState::Run), {}, {}, p);
        if (!r)
            qFatal("%s", qPrintable(r.error().toString()));
        return std::move(r).value();
    }();
    return m;
}

// Mixed rows: normal ones, single-feature outliers and all-feature outliers.
FeatureMatrix probeRows() {
    auto m = testdata::blob(60, kCols, 32);
    for (std::size_t r = 0; r < m.rows(); ++r) {
        if (r % 3 == 1)
            m.row(r)[r % kCols] += 7.0F;
        if (r % 3 == 2)
            for (int c = 0; c < kCols; ++c) m.row(r)[c] *= 4.0F;
    }
    return m;
}

}  // namespace

class ExplainerTest : public QObject {
    Q_OBJECT
private slots:
    // A sensor drops out: its missing fraction, 0 throughout training, rises while its statistics stay
    // normal. The row is scored with out-of-support isolation and explained the same way: the missing
    // fraction carries the score and the contributions still add up to the score's path length.
    // With a PCA monitor, a row where two coupled channels move against each other is carried by Q and
    // explained by its contribution plot: the two channels' family, and the explanation names the detector. A
    // forest-only model names the forest.
    void brokenCorrelationIsExplainedByQ() {
        testdata::Gaussian g(41);
        auto sample = [&](bool broken) {
            const double z = broken ? (g.uniform(0, 1) < 0.5 ? -1 : 1) * g.uniform(1.0, 2.0) : g.next();
            return std::array<float, kCols>{float(z + 0.05 * g.next()),
                                            float((broken ? -z : z) + 0.05 * g.next()),
                                            float(g.next()),
                                            float(g.next()),
                                            float(g.next()),
                                            0.0F};
        };
        FeatureMatrix rows;
        rows.cols = kCols;
        for (int r = 0; r < 3000; ++r)
            for (float v : sample(false)) rows.data.push_back(v);
        ModelParams p;
        p.detector = DetectorChoice::Combined;
        auto m = AnomalyModel::train(rows, std::vector<OpState>(rows.rows(), OpState::Run), {}, {}, p);
        QVERIFY(m.ok());
        const Explainer pca(*m, schema());
        const Explainer forest(model(), schema());
        for (int i = 0; i < 20; ++i) {
            const auto row = sample(true);
            const Explanation e = pca.explain(0, "DEV", row.data(), OpState::Run);
            QCOMPARE(e.detector, ScoreSource::Q);
            QVERIFY(!e.families.isEmpty());
            QCOMPARE(e.families.front().family, QStringLiteral("Voltage"));  // columns 0 and 1
            QVERIFY(e.families.front().percent >= 80);
            QCOMPARE(forest.explain(0, "DEV", row.data(), OpState::Run).detector, ScoreSource::Forest);
        }
    }

    void outOfSupportColumnExplainsTheRow() {
        auto rows = testdata::blob(3000, 4, 35);
        for (std::size_t r = 0; r < rows.rows(); ++r) rows.row(r)[3] = 0.0F;
        auto trained =
            AnomalyModel::train(rows, std::vector<OpState>(rows.rows(), OpState::Run), {}, {}, ModelParams{});
        if (!trained)
            QFAIL(qPrintable(trained.error().toString()));
        const AnomalyModel& m = *trained;
        FeatureSchema sch;
        sch.names = {"temp_c_mean", "temp_c_std", "rpm_mean", "temp_c_missing_frac"};
        sch.families = {"Temperature", "Temperature", "RPM", family::kMissingness};
        sch.channel = {2, 2, 3, 2};
        const Explainer ex(m, sch);
        const std::vector<float> dropped = {0.3F, -0.2F, 0.1F, 0.6F};
        const Explanation e = ex.explain(5, "DEV-0001", dropped.data(), OpState::Run);
        QVERIFY(!e.features.empty());
        QCOMPARE(e.features.front().feature, 3);
        QCOMPARE(e.families.front().family, family::kMissingness);

        // Additivity under isolation: Σ φ = mean_t E[h|root_t] − mean_t h_t(x) of the isolating walk, and the
        // batched explainer agrees with the per-row forest call.
        const IsolationForest& forest = m.forest();
        std::vector<float> scaled(4);
        m.scaleRow("DEV-0001", OpState::Run, dropped.data(), scaled.data());
        std::vector<int> isolating;
        const double p = m.isolatingChance(dropped.data(), &isolating);
        QCOMPARE(p, 0.25);
        double rootSum = 0, pathSum = 0;
        for (int t = 0; t < forest.treeCount(); ++t) {
            rootSum += forest.expectedPathLength(forest.root(t));
            pathSum += forest.pathLengthIsolating(t, scaled.data(), p);
        }
        std::vector<double> credit(4, 0.0);
        forest.addPathCreditsIsolating(scaled.data(), p, isolating, credit.data());
        const double phiSum = -std::accumulate(credit.begin(), credit.end(), 0.0) / forest.treeCount();
        QVERIFY(std::abs(phiSum - (rootSum - pathSum) / forest.treeCount()) < 1e-9);
        FeatureMatrix one;
        one.cols = 4;
        one.data = dropped;
        float score = 0;
        m.score("DEV-0001", one, {OpState::Run}, &score);
        QCOMPARE(score, forest.scoreFromPathSum(pathSum));
        // Without the column leaving its value, nothing is credited to it.
        std::vector<float> present = dropped;
        present[3] = 0.0F;
        const Explanation normal = ex.explain(6, "DEV-0001", present.data(), OpState::Run);
        for (const FeatureShare& f : normal.features) QVERIFY(f.feature != 3);
    }

    void anomalousFeatureGetsTheLargestShare_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<float>("value");
        for (int k = 0; k < kCols; ++k) {
            QTest::newRow(qPrintable(QStringLiteral("feature %1 high").arg(k))) << k << 6.0F;
            QTest::newRow(qPrintable(QStringLiteral("feature %1 low").arg(k))) << k << -6.0F;
        }
    }
    void anomalousFeatureGetsTheLargestShare() {
        QFETCH(int, k);
        QFETCH(float, value);
        std::vector<float> row(kCols, 0.1F);
        row[static_cast<std::size_t>(k)] = value;
        const Explainer ex(model(), schema());
        const Explanation e = ex.explain(17, "DEV-0001", row.data(), OpState::Run);
        QCOMPARE(e.row, std::size_t{17});
        QVERIFY(!e.features.empty());
        QCOMPARE(e.features.front().feature, k);
        QVERIFY2(e.features.front().percent > 50.0, qPrintable(QString::number(e.features.front().percent)));
        QCOMPARE(e.families.front().family, schema().families[static_cast<std::size_t>(k)]);
    }

    void sharesArePositiveDescendingAndSumTo100() {
        const Explainer ex(model(), schema());
        const auto rows = probeRows();
        int explained = 0;
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            const Explanation e = ex.explain(r, "DEV-0001", rows.row(r), OpState::Run);
            if (e.features.empty()) {
                QVERIFY(e.families.empty());
                continue;
            }
            ++explained;
            double sum = 0, familySum = 0;
            for (qsizetype i = 0; i < e.features.size(); ++i) {
                QVERIFY(e.features[i].percent > 0);
                if (i > 0)
                    QVERIFY(e.features[i - 1].percent >= e.features[i].percent);
                sum += e.features[i].percent;
            }
            for (qsizetype i = 0; i < e.families.size(); ++i) {
                if (i > 0)
                    QVERIFY(e.families[i - 1].percent >= e.families[i].percent);
                familySum += e.families[i].percent;
            }
            QVERIFY2(std::abs(sum - 100.0) < 1e-9, qPrintable(QString::number(sum - 100.0)));
            QVERIFY2(std::abs(familySum - 100.0) < 1e-9, qPrintable(QString::number(familySum - 100.0)));
        }
        QVERIFY(explained >= 40);  // all outliers and some normal rows have a positive contribution
    }

    // Per tree the raw credits telescope to h_t(x) − E[h|root]; over the forest the contributions add up to
    // mean_t E[h|root_t] − E[h(x)], E[h(x)] being what score() turns into the score.
    void creditsAreAdditive() {
        const Explainer ex(model(), schema());
        const IsolationForest& forest = model().forest();
        const auto rows = probeRows();
        std::vector<float> scaled(kCols);
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            model().scaleRow("DEV-0001", OpState::Run, rows.row(r), scaled.data());
            double pathSum = 0, rootSum = 0;
            std::vector<double> allCredits(kCols, 0.0);
            for (int t = 0; t < forest.treeCount(); ++t) {
                std::vector<double> credit(kCols, 0.0);
                const double returned = ex.addTreeCredits(t, scaled.data(), credit.data());
                const double h = forest.pathLength(t, scaled.data());
                const double root = forest.expectedPathLength(forest.root(t));
                const double total = std::accumulate(credit.begin(), credit.end(), 0.0);
                QVERIFY2(std::abs(total - (h - root)) < 1e-9, qPrintable(QStringLiteral("tree %1").arg(t)));
                QVERIFY(std::abs(returned - total) < 1e-12);
                pathSum += h;
                rootSum += root;
                for (int f = 0; f < kCols; ++f) allCredits[f] += credit[f];
            }
            // The fast all-trees walk behind contributions() agrees with the per-tree reference walk.
            const auto phi = ex.contributions(scaled.data());
            for (int f = 0; f < kCols; ++f)
                QVERIFY(std::abs(phi[f] + allCredits[f] / forest.treeCount()) < 1e-9);
            const double phiSum = std::accumulate(phi.begin(), phi.end(), 0.0);
            const int trees = forest.treeCount();
            QVERIFY(std::abs(phiSum - (rootSum / trees - pathSum / trees)) < 1e-9);
            QCOMPARE(forest.score(scaled.data()), forest.scoreFromPathSum(pathSum));
        }
    }

    void familiesAreSumsOfTheirFeatures() {
        const Explainer ex(model(), schema());
        std::vector<float> row = {0.2F, -0.1F, 5.0F, 5.5F, 0.3F, 0.0F};  // both Temperature features high
        const Explanation e = ex.explain(0, "DEV-0001", row.data(), OpState::Run);
        QCOMPARE(e.families.front().family, QStringLiteral("Temperature"));
        const FeatureSchema s = schema();
        for (const FamilyShare& fam : e.families) {
            double sum = 0;
            for (const FeatureShare& f : e.features)
                if (s.families[static_cast<std::size_t>(f.feature)] == fam.family)
                    sum += f.percent;
            QVERIFY(std::abs(sum - fam.percent) < 1e-12);
        }
        QStringList names;
        for (const FamilyShare& fam : e.families) names << fam.family;
        names.removeDuplicates();
        QCOMPARE(names.size(), static_cast<int>(e.families.size()));
    }

    void fromContributionsClipsAndNormalises() {
        const FeatureSchema s = schema();
        const Explanation e = Explainer::fromContributions(5, {-1.0, 3.0, 0.0, 1.0, 1.0, -0.5}, s);
        QCOMPARE(e.features.size(), std::size_t{3});
        QCOMPARE(e.features[0].feature, 1);
        QCOMPARE(e.features[0].percent, 60.0);
        QCOMPARE(e.features[1].feature, 3);  // ties keep column order
        QCOMPARE(e.features[1].percent, 20.0);
        QCOMPARE(e.families.size(), std::size_t{3});
        QCOMPARE(e.families[0].family, QStringLiteral("Voltage"));
        QCOMPARE(e.families[0].percent, 60.0);
        QCOMPARE(e.families[1].family, QStringLiteral("RPM"));  // tie with Temperature: by name
        const Explanation none = Explainer::fromContributions(6, {-1.0, 0.0, -2.0, 0.0, 0.0, 0.0}, s);
        QVERIFY(none.features.empty() && none.families.empty());
        QCOMPARE(none.row, std::size_t{6});
    }

    // Event counters and the state are context: their share is reported apart and the sensor features are
    // normalised among themselves; a row only context explains lists the context features.
    void operationIsContextReportedApart() {
        FeatureSchema s;
        s.names = {"temp_mean", "temp_std", "error_frac", "since_error_s"};
        s.families = {"Temperature", "Temperature", family::kOperation, family::kOperation};
        s.channel = {0, 0, -1, -1};
        const Explanation e = Explainer::fromContributions(1, {1.0, 1.0, 4.0, 2.0}, s);
        QCOMPARE(e.contextPercent, 75.0);
        QCOMPARE(e.features.size(), std::size_t{2});
        QCOMPARE(e.features[0].percent + e.features[1].percent, 100.0);
        QCOMPARE(e.families.size(), std::size_t{1});
        QCOMPARE(e.families[0].family, QStringLiteral("Temperature"));
        QCOMPARE(e.families[0].percent, 100.0);

        const Explanation onlyContext = Explainer::fromContributions(2, {0.0, -1.0, 4.0, 4.0}, s);
        QCOMPARE(onlyContext.contextPercent, 100.0);
        QCOMPARE(onlyContext.families.size(), std::size_t{1});
        QCOMPARE(onlyContext.families[0].family, family::kOperation);
        QCOMPARE(onlyContext.features[0].percent, 50.0);

        const Explanation noContext = Explainer::fromContributions(3, {3.0, 1.0, 0.0, -2.0}, s);
        QCOMPARE(noContext.contextPercent, 0.0);
        QCOMPARE(noContext.features[0].percent, 75.0);
    }

    void deterministicAndThreadIndependent_data() {
        QTest::addColumn<int>("threads");
        for (int t : {1, 2, 4}) QTest::newRow(qPrintable(QString::number(t))) << t;
    }
    void deterministicAndThreadIndependent() {
        QFETCH(int, threads);
        const Explainer ex(model(), schema());
        const auto rows = probeRows();
        std::vector<ExplainRequest> requests;
        for (std::size_t r = 0; r < rows.rows(); ++r)
            requests.push_back({1000 + r, QStringLiteral("DEV-0001"), rows.row(r), OpState::Run});
        const auto batch = ex.explainRows(requests, threads);
        QCOMPARE(batch.size(), rows.rows());
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            const Explanation single = ex.explain(1000 + r, "DEV-0001", rows.row(r), OpState::Run);
            QCOMPARE(batch[r].row, single.row);
            QCOMPARE(batch[r].features.size(), single.features.size());
            for (qsizetype i = 0; i < single.features.size(); ++i) {
                QCOMPARE(batch[r].features[i].feature, single.features[i].feature);
                QCOMPARE(batch[r].features[i].percent, single.features[i].percent);  // bit-identical
            }
            QCOMPARE(batch[r].families.size(), single.families.size());
            for (qsizetype i = 0; i < single.families.size(); ++i)
                QCOMPARE(batch[r].families[i].family, single.families[i].family);
        }
    }

    // The explanation follows the scaler: a row normal for IDLE but far from RUN is explained only under RUN.
    void usesTheStateScaling() {
        FeatureMatrix rows = testdata::blob(3000, 2, 40);
        std::vector<OpState> st;
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            st.push_back(r % 2 ? OpState::Run : OpState::Idle);
            if (r % 2)
                rows.row(r)[1] += 20.0F;  // feature 1 is 20 higher in RUN
        }
        auto m = AnomalyModel::train(rows, st, {}, {}, ModelParams{});
        QVERIFY(m.ok());
        FeatureSchema s;
        s.names = {"a", "b"};
        s.families = {"A", "B"};
        s.channel = {0, 1};
        const Explainer ex(*m, s);
        const float row[2] = {0.0F, 0.0F};
        const Explanation run = ex.explain(0, "DEV", row, OpState::Run);
        QVERIFY(!run.features.empty());
        QCOMPARE(run.features.front().feature, 1);
        QVERIFY(run.features.front().percent > 90.0);
    }
};

QTEST_GUILESS_MAIN(ExplainerTest)
#include "explainer_test.moc"
