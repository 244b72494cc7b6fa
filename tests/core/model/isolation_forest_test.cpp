#include "model/isolation_forest.h"
#include "core/model/synthetic_data.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

using namespace itap;

namespace {

std::vector<float> scoreAll(const IsolationForest& f, const FeatureMatrix& m, int threads = 0) {
    std::vector<float> out(m.rows());
    f.score(m.data.data(), m.rows(), out.data(), threads);
    return out;
}

IsolationForest fitOrFail(const FeatureMatrix& m, const ForestParams& p) {
    auto f = IsolationForest::fit(m, p);
    if (!f)
        qFatal("fit failed: %s", qPrintable(f.error().toString()));
    return std::move(f).value();
}

bool sameNodes(const IsolationForest& a, const IsolationForest& b) {
    if (a.nodes().size() != b.nodes().size() || a.treeOffsets() != b.treeOffsets())
        return false;
    for (std::size_t i = 0; i < a.nodes().size(); ++i) {
        const ForestNode &x = a.nodes()[i], &y = b.nodes()[i];
        if (x.feature != y.feature || x.left != y.left || x.right != y.right || x.size != y.size ||
            std::memcmp(&x.threshold, &y.threshold, sizeof(float)) != 0)
            return false;
    }
    return true;
}

}  // namespace

class IsolationForestTest : public QObject {
    Q_OBJECT
private slots:
    void averagePathLengthHandValues_data() {
        QTest::addColumn<double>("n");
        QTest::addColumn<double>("expected");
        QTest::newRow("0") << 0.0 << 0.0;
        QTest::newRow("1") << 1.0 << 0.0;
        QTest::newRow("2") << 2.0 << 1.0;                            // 2·H(1) − 2·1/2
        QTest::newRow("3") << 3.0 << 5.0 / 3.0;                      // 2·(3/2) − 4/3
        QTest::newRow("4") << 4.0 << 13.0 / 6.0;                     // 2·(11/6) − 6/4
        QTest::newRow("5") << 5.0 << 2.0 * 25.0 / 12.0 - 8.0 / 5.0;  // 2·H(4) − 8/5
    }
    void averagePathLengthHandValues() {
        QFETCH(double, n);
        QFETCH(double, expected);
        QVERIFY(std::abs(IsolationForest::averagePathLength(n) - expected) < 1e-12);
    }

    // Beyond the exact range the asymptotic harmonic number must still match the exact sum.
    void averagePathLengthLargeN_data() {
        QTest::addColumn<int>("n");
        for (int n : {256, 1024, 1025, 4096, 100000}) QTest::newRow(qPrintable(QString::number(n))) << n;
    }
    void averagePathLengthLargeN() {
        QFETCH(int, n);
        double h = 0;
        for (int i = n - 1; i >= 1; --i) h += 1.0 / i;
        const double exact = 2.0 * h - 2.0 * (n - 1) / static_cast<double>(n);
        QVERIFY2(
            std::abs(IsolationForest::averagePathLength(n) - exact) < 1e-9 * exact,
            qPrintable(QStringLiteral("%1 vs %2").arg(IsolationForest::averagePathLength(n)).arg(exact)));
    }

    void rejectsBadParams_data() {
        QTest::addColumn<int>("trees");
        QTest::addColumn<int>("sampleSize");
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<int>("threads");
        QTest::newRow("no trees") << 0 << 256 << 0 << 0;
        QTest::newRow("psi 1") << 10 << 1 << 0 << 0;
        QTest::newRow("depth 65") << 10 << 256 << 65 << 0;
        QTest::newRow("negative depth") << 10 << 256 << -1 << 0;
        QTest::newRow("negative threads") << 10 << 256 << 0 << -1;
    }
    void rejectsBadParams() {
        QFETCH(int, trees);
        QFETCH(int, sampleSize);
        QFETCH(int, maxDepth);
        QFETCH(int, threads);
        ForestParams p;
        p.trees = trees;
        p.sampleSize = sampleSize;
        p.maxDepth = maxDepth;
        p.threads = threads;
        QVERIFY(!p.validate().ok());
        const auto f = IsolationForest::fit(testdata::blob(100, 3, 1), p);
        QVERIFY(!f.ok());
        QCOMPARE(f.error().kind, Error::Kind::BadInput);
    }

    void rejectsTooFewRows() {
        QVERIFY(!IsolationForest::fit(testdata::blob(1, 3, 1), ForestParams{}).ok());
        QVERIFY(IsolationForest::fit(testdata::blob(2, 3, 1), ForestParams{}).ok());
    }

    void farOutlierScoresHighBulkLow() {
        const int d = 8;
        const auto train = testdata::blob(4000, d, 7);
        const auto f = fitOrFail(train, ForestParams{});
        QCOMPARE(f.sampleSize(), 256);
        std::vector<float> outlier(d, 6.0F);
        QVERIFY2(f.score(outlier.data()) > 0.7F, qPrintable(QString::number(f.score(outlier.data()))));

        const auto test = testdata::blob(2000, d, 8);
        auto s = scoreAll(f, test);
        std::sort(s.begin(), s.end());
        QVERIFY2(s[s.size() / 2] < 0.5F, qPrintable(QString::number(s[s.size() / 2])));
        QVERIFY2(s[s.size() * 9 / 10] < 0.5F, qPrintable(QString::number(s[s.size() * 9 / 10])));
        QVERIFY(s.front() > 0.0F && s.back() <= 1.0F);
    }

    // A rare but normal cluster (2 % of the rows) is isolated quickly by uniform sub-samples; drawn as its
    // own stratum it is as dense as the common cluster and scores like it, while a true outlier stays high.
    void stratifiedSamplingKeepsRareRegimeNormal() {
        const int d = 4;
        FeatureMatrix rows = testdata::blob(5000, d, 21);
        std::vector<std::vector<std::size_t>> strata(2);
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            const bool rare = r % 50 == 0;
            if (rare)
                for (int c = 0; c < d; ++c) rows.row(r)[c] += 8.0F;
            strata[rare ? 1 : 0].push_back(r);
        }
        const auto source = [&](std::size_t r, float* out) { std::copy_n(rows.row(r), d, out); };
        auto uniform = IsolationForest::fit(rows.rows(), d, source, ForestParams{});
        auto stratified = IsolationForest::fitStratified(strata, d, source, ForestParams{});
        QVERIFY(uniform.ok() && stratified.ok());
        QCOMPARE(stratified->sampleSize(), 256);
        std::vector<float> rareCentre(d, 8.0F), commonCentre(d, 0.0F), outlier(d, -7.0F);
        const float rareUniform = uniform->score(rareCentre.data());
        const float rareStrat = stratified->score(rareCentre.data());
        QVERIFY2(rareUniform > 0.6F, qPrintable(QString::number(rareUniform)));
        QVERIFY2(rareStrat < 0.5F, qPrintable(QString::number(rareStrat)));
        QVERIFY(std::fabs(rareStrat - stratified->score(commonCentre.data())) < 0.08F);
        QVERIFY2(stratified->score(outlier.data()) > 0.7F,
                 qPrintable(QString::number(stratified->score(outlier.data()))));
    }

    // Strata smaller than their share give all their rows; the rest of ψ comes from the others; the result is
    // independent of the thread count.
    void stratifiedSamplingFillsFromLargerStrata() {
        const int d = 3;
        const FeatureMatrix rows = testdata::blob(1000, d, 22);
        std::vector<std::vector<std::size_t>> strata(3);
        for (std::size_t r = 0; r < rows.rows(); ++r) strata[r < 10 ? 0 : (r < 600 ? 1 : 2)].push_back(r);
        const auto source = [&](std::size_t r, float* out) { std::copy_n(rows.row(r), d, out); };
        ForestParams p;
        p.trees = 20;
        p.threads = 1;
        auto one = IsolationForest::fitStratified(strata, d, source, p);
        p.threads = 3;
        auto three = IsolationForest::fitStratified(strata, d, source, p);
        QVERIFY(one.ok() && three.ok());
        QCOMPARE(one->sampleSize(), 256);
        QCOMPARE(one->nodes().size(), three->nodes().size());
        for (std::size_t i = 0; i < one->nodes().size(); ++i) {
            QCOMPARE(one->nodes()[i].feature, three->nodes()[i].feature);
            QCOMPARE(one->nodes()[i].threshold, three->nodes()[i].threshold);
        }
        // Fewer rows than ψ in all strata together: every row once.
        std::vector<std::vector<std::size_t>> tiny{{0, 1, 2}, {3, 4}};
        auto small = IsolationForest::fitStratified(tiny, d, source, ForestParams{});
        QVERIFY(small.ok());
        QCOMPARE(small->sampleSize(), 5);
    }

    void rocAucOnBlobPlusUniformNoise() {
        const int d = 6;
        const auto f = fitOrFail(testdata::blob(5000, d, 11), ForestParams{});
        const auto normal = scoreAll(f, testdata::blob(3000, d, 12));
        const auto noise = scoreAll(f, testdata::uniformBox(300, d, 13, -6.0, 6.0));
        const double auc = testdata::rocAuc(normal, noise);
        QVERIFY2(auc >= 0.95, qPrintable(QString::number(auc)));
    }

    void identicalForAnyThreadCount_data() {
        QTest::addColumn<int>("threads");
        for (int t : {2, 4}) QTest::newRow(qPrintable(QStringLiteral("%1 threads").arg(t))) << t;
    }
    void identicalForAnyThreadCount() {
        QFETCH(int, threads);
        const auto train = testdata::blob(3000, 5, 21);
        ForestParams p;
        p.trees = 64;
        p.threads = 1;
        const auto one = fitOrFail(train, p);
        p.threads = threads;
        const auto many = fitOrFail(train, p);
        QVERIFY(sameNodes(one, many));

        const auto test = testdata::blob(3001, 5, 22);  // not a multiple of the block size
        const auto a = scoreAll(one, test, 1);
        const auto b = scoreAll(many, test, threads);
        QCOMPARE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
    }

    // Guards the test above: a different seed must give a different forest.
    void seedChangesForest() {
        const auto train = testdata::blob(500, 4, 3);
        ForestParams p;
        p.trees = 10;
        const auto a = fitOrFail(train, p);
        p.seed = 43;
        const auto b = fitOrFail(train, p);
        QVERIFY(!sameNodes(a, b));
    }

    // The blocked, interleaved kernel must agree with the plain per-tree walk, tail rows included.
    void batchedScoringMatchesPerTreeWalk() {
        ForestParams p;
        p.trees = 30;
        const auto f = fitOrFail(testdata::blob(1000, 4, 5), p);
        const auto test = testdata::blob(37, 4, 6);
        const auto batched = scoreAll(f, test);
        for (std::size_t r = 0; r < test.rows(); ++r) {
            double sum = 0;
            for (int t = 0; t < f.treeCount(); ++t) sum += f.pathLength(t, test.row(r));
            QCOMPARE(batched[r], f.scoreFromPathSum(sum));
            QCOMPARE(f.score(test.row(r)), batched[r]);
        }
    }

    void treesRespectDepthLimitAndSizes_data() {
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<int>("expectedLimit");
        QTest::newRow("default") << 0 << 8;  // ⌈log2 256⌉
        QTest::newRow("explicit 3") << 3 << 3;
    }
    void treesRespectDepthLimitAndSizes() {
        QFETCH(int, maxDepth);
        QFETCH(int, expectedLimit);
        ForestParams p;
        p.trees = 20;
        p.maxDepth = maxDepth;
        const auto f = fitOrFail(testdata::blob(2000, 3, 9), p);
        int deepest = 0;
        for (int t = 0; t < f.treeCount(); ++t) {
            std::vector<int> depth(f.nodes().size(), 0);
            for (auto i = static_cast<int>(f.treeOffsets()[t]); i < static_cast<int>(f.treeOffsets()[t + 1]);
                 ++i) {
                const ForestNode& n = f.nodes()[i];
                if (n.feature < 0)
                    continue;
                depth[n.left] = depth[n.right] = depth[i] + 1;
                deepest = std::max(deepest, depth[i] + 1);
            }
            QCOMPARE(f.nodes()[f.root(t)].size, 256);
        }
        QCOMPARE(deepest, expectedLimit);
    }

    // Rows that cannot be split make single-leaf trees: E[h] = c(ψ), hence exactly 0.5.
    void identicalRowsScoreOneHalf() {
        FeatureMatrix m;
        m.cols = 3;
        m.data.assign(300, 1.5F);
        const auto f = fitOrFail(m, ForestParams{});
        QCOMPARE(f.nodes().size(), static_cast<std::size_t>(f.treeCount()));
        const float row[3] = {100.0F, -5.0F, 1.5F};
        QCOMPARE(f.score(row), 0.5F);
    }

    // A constant column is never chosen for a split.
    void constantFeatureNeverSplit() {
        auto m = testdata::blob(1000, 3, 4);
        for (std::size_t r = 0; r < m.rows(); ++r) m.row(r)[1] = 7.0F;
        const auto f = fitOrFail(m, ForestParams{});
        for (const ForestNode& n : f.nodes()) QVERIFY(n.feature != 1);
    }

    void expectedPathLengthIsSizeWeighted() {
        ForestParams p;
        p.trees = 5;
        const auto f = fitOrFail(testdata::blob(800, 3, 14), p);
        for (std::size_t i = 0; i < f.nodes().size(); ++i) {
            const ForestNode& n = f.nodes()[i];
            if (n.feature < 0)
                continue;
            const double mix = (f.nodes()[n.left].size * f.expectedPathLength(n.left) +
                                f.nodes()[n.right].size * f.expectedPathLength(n.right)) /
                               n.size;
            QVERIFY(std::abs(mix - f.expectedPathLength(static_cast<int>(i))) < 1e-9);
        }
    }

    void fromNodesRejectsHostileTrees_data() {
        QTest::addColumn<int>("mutation");
        QTest::newRow("child points backwards") << 0;
        QTest::newRow("child outside its tree") << 1;
        QTest::newRow("feature out of range") << 2;
        QTest::newRow("sizes do not add up") << 3;
        QTest::newRow("node with two parents") << 4;
        QTest::newRow("NaN threshold") << 5;
        QTest::newRow("offsets past the end") << 6;
        QTest::newRow("leaf with a child") << 7;
        // Found by model_file_fuzz in CI: a middle offset past the node array made validation read past it.
        QTest::newRow("middle offset past the end") << 8;
        QTest::newRow("offsets out of order") << 9;
    }
    void fromNodesRejectsHostileTrees() {
        QFETCH(int, mutation);
        ForestParams p;
        p.trees = 3;
        p.sampleSize = 16;
        const auto f = fitOrFail(testdata::blob(100, 2, 15), p);
        auto nodes = f.nodes();
        auto offsets = f.treeOffsets();
        QVERIFY(IsolationForest::fromNodes(2, 16, nodes, offsets).ok());
        ForestNode& root = nodes[0];
        QVERIFY(root.feature >= 0);
        switch (mutation) {
            case 0:
                root.left = 0;
                break;
            case 1:
                root.right = static_cast<int>(offsets[1]);
                break;
            case 2:
                root.feature = 2;
                break;
            case 3:
                root.size += 1;
                break;
            case 4:
                nodes[root.left].left = root.right;
                break;
            case 5:
                root.threshold = std::nanf("");
                break;
            case 6:
                offsets.back() += 1;
                break;
            case 7: {
                auto leaf = std::find_if(nodes.begin(), nodes.end(),
                                         [](const ForestNode& n) { return n.feature < 0; });
                leaf->left = 1;
                break;
            }
            case 8:
                offsets[1] = static_cast<std::uint32_t>(nodes.size() + 1000);
                break;
            case 9:
                std::swap(offsets[1], offsets[2]);
                break;
        }
        const auto r = IsolationForest::fromNodes(2, 16, nodes, offsets);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
    }

    // The out-of-support walk against a recursive statement of the same process: at each split of the path,
    // isolated with probability p (path ends at depth + 1), else on to the child.
    void pathLengthIsolatingMatchesRecursion() {
        ForestParams p;
        p.trees = 20;
        p.sampleSize = 64;
        const auto f = fitOrFail(testdata::blob(500, 3, 41), p);
        const auto probes = testdata::blob(20, 3, 42, 0.0, 2.0);
        const std::function<double(int, int, const float*, double)> walk =
            [&](int node, int depth, const float* x, double chance) {
                const ForestNode& n = f.nodes()[static_cast<std::size_t>(node)];
                if (n.feature < 0)
                    return depth + IsolationForest::averagePathLength(n.size);
                const int next = x[n.feature] < n.threshold ? n.left : n.right;
                return chance * (depth + 1) + (1 - chance) * walk(next, depth + 1, x, chance);
            };
        for (std::size_t r = 0; r < probes.rows(); ++r) {
            const float* x = probes.row(r);
            for (int t = 0; t < f.treeCount(); ++t) {
                QCOMPARE(f.pathLengthIsolating(t, x, 0.0), f.pathLength(t, x));
                QCOMPARE(f.pathLengthIsolating(t, x, 1.0), 1.0);  // every root splits: ψ = 64 distinct rows
                double previous = f.pathLength(t, x);
                for (double chance : {0.01, 0.05, 0.2, 0.5, 0.9}) {
                    const double h = f.pathLengthIsolating(t, x, chance);
                    QVERIFY2(std::abs(h - walk(f.root(t), 0, x, chance)) < 1e-12,
                             qPrintable(QStringLiteral("tree %1, p %2").arg(t).arg(chance)));
                    QVERIFY(h <= previous);  // more isolation, no longer paths (equal on a depth-1 leaf of 1)
                    previous = h;
                }
            }
            double plain = 0, isolating = 0;
            for (int t = 0; t < f.treeCount(); ++t) {
                plain += f.pathLength(t, x);
                isolating += f.pathLengthIsolating(t, x, 0.05);
            }
            QVERIFY(isolating < plain);
        }
    }

    // Per tree the isolating credits telescope to pathLengthIsolating − E[h|root]; the isolating columns
    // share what isolation removed equally; p = 0 gives addPathCredits.
    void isolatingCreditsTelescope() {
        ForestParams p;
        p.trees = 15;
        p.sampleSize = 64;
        // Columns 2 and 3 are constant in training, so no tree splits on them: their credits are the
        // isolation shares alone.
        auto train = testdata::blob(500, 4, 43);
        for (std::size_t r = 0; r < train.rows(); ++r) train.row(r)[2] = train.row(r)[3] = 0.0F;
        const auto f = fitOrFail(train, p);
        const auto probes = testdata::blob(10, 4, 44);
        for (std::size_t r = 0; r < probes.rows(); ++r) {
            const float* x = probes.row(r);
            std::vector<double> plain(4, 0.0), zero(4, 0.0);
            f.addPathCredits(x, 1, plain.data());
            f.addPathCreditsIsolating(x, 0.0, {3}, zero.data());
            QCOMPARE(zero, plain);
            for (double chance : {0.02, 0.3}) {
                std::vector<double> credit(4, 0.0);
                f.addPathCreditsIsolating(x, chance, {2, 3}, credit.data());
                double expected = 0;
                for (int t = 0; t < f.treeCount(); ++t)
                    expected += f.pathLengthIsolating(t, x, chance) - f.expectedPathLength(f.root(t));
                const double total = std::accumulate(credit.begin(), credit.end(), 0.0);
                QVERIFY2(std::abs(total - expected) < 1e-9, qPrintable(QString::number(total - expected)));
                // Isolation shortens the path: the isolating columns share negative credits equally, i.e.
                // positive contributions once the explainer negates them.
                QVERIFY(credit[2] < 0);
                QCOMPARE(credit[3], credit[2]);
            }
        }
    }

    void cancellation() {
        ForestParams p;
        p.threads = 1;
        int calls = 0;
        const auto r = IsolationForest::fit(testdata::blob(500, 3, 2), p,
                                            [&](qint64, qint64, const QString&) { return ++calls < 3; });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    }
};

QTEST_GUILESS_MAIN(IsolationForestTest)
#include "isolation_forest_test.moc"
