#include "evaluate/threshold_sweep.h"
#include "core/evaluate/score_table_builder.h"

#include <QTest>

#include <cmath>

using namespace itap;

namespace {

using Scores = std::vector<float>;
using Labels = std::vector<bool>;

ScoreIndex indexOf(const Scores& scores, const Labels& labels) {
    auto index = ScoreIndex::build(test::scoresTable(scores, labels));
    if (!index)
        qFatal("%s", qPrintable(index.error().toString()));
    return std::move(index).value();
}

// Mann-Whitney: the share of (positive, negative) pairs ranked correctly, ties counted half.
double pairwiseAuc(const ScoreTable& t) {
    double wins = 0;
    double pairs = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.train[i] != 0 || t.faultTag[i].isEmpty())
            continue;
        for (std::size_t j = 0; j < t.size(); ++j) {
            if (t.train[j] != 0 || !t.faultTag[j].isEmpty())
                continue;
            pairs += 1;
            wins += t.score[i] > t.score[j] ? 1.0 : (t.score[i] == t.score[j] ? 0.5 : 0.0);
        }
    }
    return wins / pairs;
}

// Average precision straight from its definition, scanning the rows at each distinct score.
double definitionAp(const ScoreTable& t) {
    std::vector<float> distinct;
    qint64 positives = 0;
    for (std::size_t r = 0; r < t.size(); ++r) {
        if (t.train[r] != 0)
            continue;
        distinct.push_back(t.score[r]);
        positives += t.faultTag[r].isEmpty() ? 0 : 1;
    }
    std::sort(distinct.rbegin(), distinct.rend());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    double ap = 0;
    double prevRecall = 0;
    for (const float th : distinct) {
        qint64 tp = 0, flagged = 0;
        for (std::size_t r = 0; r < t.size(); ++r) {
            if (t.train[r] != 0 || t.score[r] < th)
                continue;
            ++flagged;
            tp += t.faultTag[r].isEmpty() ? 0 : 1;
        }
        const double recall = double(tp) / double(positives);
        ap += (recall - prevRecall) * double(tp) / double(flagged);
        prevRecall = recall;
    }
    return ap;
}

}  // namespace

class ThresholdSweepTest : public QObject {
    Q_OBJECT
private slots:
    void rocAuc_data() {
        QTest::addColumn<Scores>("scores");
        QTest::addColumn<Labels>("labels");
        QTest::addColumn<double>("expected");
        QTest::newRow("all tied") << Scores{0.5f, 0.5f, 0.5f, 0.5f, 0.5f}
                                  << Labels{true, false, true, false, false} << 0.5;
        QTest::newRow("perfect") << Scores{0.9f, 0.8f, 0.3f, 0.2f, 0.1f}
                                 << Labels{true, true, false, false, false} << 1.0;
        QTest::newRow("inverted") << Scores{0.9f, 0.8f, 0.3f} << Labels{false, false, true} << 0.0;
        // {0.9+, 0.8+, 0.8-, 0.7-}: pairs (0.9,0.8-)=1 (0.9,0.7)=1 (0.8+,0.8-)=1/2 (0.8+,0.7)=1 → 3.5/4.
        QTest::newRow("tie across classes")
            << Scores{0.9f, 0.8f, 0.8f, 0.7f} << Labels{true, true, false, false} << 0.875;
        // {0.9-, 0.8+, 0.7+, 0.7-, 0.6-, 0.5+}: P=3, N=3. Wins per positive: 0.8→2, 0.7→1.5, 0.5→0 → 3.5/9.
        QTest::newRow("mixed") << Scores{0.9f, 0.8f, 0.7f, 0.7f, 0.6f, 0.5f}
                               << Labels{false, true, true, false, false, true} << 3.5 / 9.0;
    }
    void rocAuc() {
        QFETCH(Scores, scores);
        QFETCH(Labels, labels);
        QFETCH(double, expected);
        const auto auc = itap::rocAuc(indexOf(scores, labels));
        QVERIFY(auc.has_value());
        QCOMPARE(*auc, expected);
    }

    void averagePrecision_data() {
        QTest::addColumn<Scores>("scores");
        QTest::addColumn<Labels>("labels");
        QTest::addColumn<double>("expected");
        QTest::newRow("perfect") << Scores{0.9f, 0.8f, 0.3f} << Labels{true, true, false} << 1.0;
        // One step to recall 1 at precision 2/5.
        QTest::newRow("all tied") << Scores{0.5f, 0.5f, 0.5f, 0.5f, 0.5f}
                                  << Labels{true, false, true, false, false} << 0.4;
        // Steps: R .5 @ P 1, then R 1 @ P 2/3 (the tie enters as one step) → 0.5 + 1/3.
        QTest::newRow("tie across classes")
            << Scores{0.9f, 0.8f, 0.8f, 0.7f} << Labels{true, true, false, false} << 0.5 + 1.0 / 3.0;
        // {0.9-, 0.8+, 0.7-, 0.6+}: 1/2·1/2 + 1/2·2/4.
        QTest::newRow("alternating") << Scores{0.9f, 0.8f, 0.7f, 0.6f} << Labels{false, true, false, true}
                                     << 0.5;
        // {0.9+, 0.8-, 0.8+, 0.7+, 0.6-}: (1·1 + 1·2/3 + 1·3/4) / 3.
        QTest::newRow("mixed") << Scores{0.9f, 0.8f, 0.8f, 0.7f, 0.6f}
                               << Labels{true, false, true, true, false} << (1.0 + 2.0 / 3.0 + 0.75) / 3.0;
    }
    void averagePrecision() {
        QFETCH(Scores, scores);
        QFETCH(Labels, labels);
        QFETCH(double, expected);
        const auto ap = itap::averagePrecision(indexOf(scores, labels));
        QVERIFY(ap.has_value());
        QVERIFY2(std::abs(*ap - expected) < 1e-12, qPrintable(QString::number(*ap, 'g', 17)));
    }

    void aucsMatchDefinitionsOnRandomTables() {
        for (quint32 seed : {11u, 12u, 13u}) {
            const ScoreTable t = test::randomTable(seed, 3, 200, 15);
            auto index = ScoreIndex::build(t);
            QVERIFY(index.ok());
            QVERIFY(std::abs(*itap::rocAuc(*index) - pairwiseAuc(t)) < 1e-12);
            QVERIFY(std::abs(*itap::averagePrecision(*index) - definitionAp(t)) < 1e-12);
        }
    }

    void aucsUndefinedWithoutBothClasses() {
        const ScoreIndex noPositives = indexOf({0.9f, 0.1f}, {false, false});
        QVERIFY(!itap::rocAuc(noPositives).has_value());
        QVERIFY(!itap::averagePrecision(noPositives).has_value());
        const ScoreIndex noNegatives = indexOf({0.9f, 0.1f}, {true, true});
        QVERIFY(!itap::rocAuc(noNegatives).has_value());
        QCOMPARE(itap::averagePrecision(noNegatives).value_or(-1), 1.0);
    }

    void gridFollowsPercentiles() {
        // 20000 distinct scores: the nearest-rank threshold at percentile p flags exactly 200 · (100 − p)
        // rows.
        const int n = 20000;
        Scores scores;
        for (int i = 0; i < n; ++i) scores.push_back(float(i + 1) / float(n));
        const ScoreIndex index = indexOf(scores, Labels(scores.size(), false));
        EvaluationOptions options;
        options.sweepTopScores = 0;
        const ThresholdSweep sweep = ThresholdSweep::compute(index, options);

        std::vector<qint64> expectedFlagged;
        for (int p = 50; p <= 90; ++p) expectedFlagged.push_back(200LL * (100 - p));
        for (int q = 1; q <= 36; ++q) expectedFlagged.push_back(qRound64(200 * (100 - (90 + 0.25 * q))));
        for (int q = 1; q <= 18; ++q) expectedFlagged.push_back(qRound64(200 * (100 - (99 + 0.05 * q))));
        std::sort(expectedFlagged.rbegin(), expectedFlagged.rend());
        expectedFlagged.erase(std::unique(expectedFlagged.begin(), expectedFlagged.end()),
                              expectedFlagged.end());

        QCOMPARE(sweep.points().size(), expectedFlagged.size());
        QCOMPARE(sweep.points().size(), std::size_t(41 + 36 + 18));
        for (std::size_t i = 0; i < sweep.points().size(); ++i) {
            const SweepPoint& p = sweep.points()[i];
            QCOMPARE(p.confusion.flagged(), expectedFlagged[i]);
            QCOMPARE(p.percentile, 100.0 * double(n - expectedFlagged[i]) / double(n));
            if (i > 0)
                QVERIFY(p.threshold > sweep.points()[i - 1].threshold);
        }
    }

    void gridAddsTopScoresAndCollapsesTies() {
        // 10 rows, 4 distinct scores: every threshold is an actual score, each appears once.
        const Scores scores{0.9f, 0.9f, 0.7f, 0.7f, 0.7f, 0.5f, 0.5f, 0.5f, 0.5f, 0.2f};
        const ScoreIndex index = indexOf(scores, Labels(scores.size(), false));
        EvaluationOptions options;
        options.sweepFromPercentile = 0;
        const std::vector<double> grid = ThresholdSweep::thresholdGrid(index, options);
        QCOMPARE(grid, (std::vector<double>{0.2f, 0.5f, 0.7f, 0.9f}));
        // From the median up, the nearest-rank percentiles reach the 5th highest score (0.7) at most.
        options.sweepFromPercentile = 50;
        options.sweepTopScores = 0;
        QCOMPARE(ThresholdSweep::thresholdGrid(index, options), (std::vector<double>{0.7f, 0.9f}));
        options.sweepFromPercentile = 90;
        QCOMPARE(ThresholdSweep::thresholdGrid(index, options), (std::vector<double>{0.9f}));
        // The top distinct scores extend the grid below what the percentiles reach.
        options.sweepTopScores = 3;
        QCOMPARE(ThresholdSweep::thresholdGrid(index, options), (std::vector<double>{0.5f, 0.7f, 0.9f}));
    }

    void selection_data() {
        QTest::addColumn<Scores>("scores");
        QTest::addColumn<Labels>("labels");
        QTest::addColumn<double>("minPrecision");
        QTest::addColumn<float>("expected");
        QTest::addColumn<int>("rule");
        // Precision / recall per threshold of `ranked` (P = 4):
        //   1.0: 1/1 .25   0.9: 2/2 .5   0.8: 2/3 .5   0.7: 3/4 .75   0.6: 3/5 .75
        //   0.5: 3/6 .75   0.4: 4/7 1    0.3: 4/8 1    0.2: 4/9 1      0.1: 4/10 1
        const Scores ranked{1.0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f};
        const Labels rankedLabels{true, true, false, true, false, false, true, false, false, false};
        const int recallRule = int(SelectionRule::MinPrecisionMaxRecall);
        // Recall 1 at 0.4 (P .571) and 0.3 (P exactly .5): the tie goes to the higher precision.
        QTest::newRow("recall tie -> precision") << ranked << rankedLabels << 0.5 << 0.4f << recallRule;
        // Recall .75 at 0.7 (P .75) and 0.6 (P .6).
        QTest::newRow("min 0.6") << ranked << rankedLabels << 0.6 << 0.7f << recallRule;
        QTest::newRow("min 0.8") << ranked << rankedLabels << 0.8 << 0.9f << recallRule;
        QTest::newRow("min 1.0") << ranked << rankedLabels << 1.0 << 0.9f << recallRule;
        QTest::newRow("min 0") << ranked << rankedLabels << 0.0 << 0.4f << recallRule;
        // Best precision is 1/2, below 0.9 → best F1: .9 → .5, .8 → .4, .7 → 2/3, .6 → .571.
        QTest::newRow("fallback to F1")
            << Scores{1.0f, 0.9f, 0.8f, 0.7f, 0.6f} << Labels{false, true, false, true, false} << 0.9 << 0.7f
            << int(SelectionRule::BestF1);
        // Tied top scores: precision 2/3 for the pair of 0.9s + the 0.9 negative, one step.
        QTest::newRow("ties") << Scores{0.9f, 0.9f, 0.9f, 0.8f, 0.2f}
                              << Labels{true, true, false, true, false} << 0.7 << 0.8f << recallRule;
    }
    void selection() {
        QFETCH(Scores, scores);
        QFETCH(Labels, labels);
        QFETCH(double, minPrecision);
        QFETCH(float, expected);
        QFETCH(int, rule);
        EvaluationOptions options;
        options.minPrecision = minPrecision;
        options.sweepFromPercentile = 0;
        const ThresholdSweep sweep = ThresholdSweep::compute(indexOf(scores, labels), options);
        const ThresholdSelection sel = sweep.select(minPrecision);
        QVERIFY(sel.threshold.has_value());
        QCOMPARE(*sel.threshold, static_cast<double>(expected));
        QCOMPARE(int(sel.rule), rule);
        QVERIFY(sel.point >= 0);
        QCOMPARE(sweep.points()[std::size_t(sel.point)].threshold, *sel.threshold);
    }

    void selectionNeedsPositives() {
        const ThresholdSweep sweep = ThresholdSweep::compute(indexOf({0.9f, 0.1f}, {false, false}), {});
        QVERIFY(!sweep.points().empty());
        const ThresholdSelection sel = sweep.select(0.5);
        QVERIFY(!sel.threshold.has_value());
        QCOMPARE(sel.rule, SelectionRule::None);
    }

    void emptyIndex() {
        const ThresholdSweep sweep = ThresholdSweep::compute(ScoreIndex{}, {});
        QVERIFY(sweep.points().empty());
        QVERIFY(!sweep.rocAuc().has_value());
        QCOMPARE(sweep.select(0.5).rule, SelectionRule::None);
    }
};

QTEST_GUILESS_MAIN(ThresholdSweepTest)
#include "threshold_sweep_test.moc"
