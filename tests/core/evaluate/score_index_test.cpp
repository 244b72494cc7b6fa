#include "evaluate/score_index.h"
#include "core/evaluate/score_table_builder.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace itap;
using itap::test::makeTable;
using itap::test::Row;

namespace {

// The definition, counted row by row.
Confusion bruteForce(const ScoreTable& t, double threshold) {
    Confusion c;
    for (std::size_t r = 0; r < t.size(); ++r) {
        if (t.train[r] != 0)
            continue;
        const bool flagged = static_cast<double>(t.score[r]) >= threshold;
        const bool positive = t.hasLabels && !t.faultTag[r].isEmpty();
        if (flagged && positive)
            ++c.tp;
        else if (flagged)
            ++c.fp;
        else if (positive)
            ++c.fn;
        else
            ++c.tn;
    }
    return c;
}

}  // namespace

class ScoreIndexTest : public QObject {
    Q_OBJECT
private slots:
    void countsWithTies_data() {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<int>("tp");
        QTest::addColumn<int>("fp");
        QTest::addColumn<int>("tn");
        QTest::addColumn<int>("fn");
        // Scores {0.9+, 0.8+, 0.8-, 0.7-, 0.6+}: the two 0.8 rows are flagged together or not at all.
        QTest::newRow("above all") << 0.95 << 0 << 0 << 2 << 3;
        QTest::newRow("exactly top") << static_cast<double>(0.9f) << 1 << 0 << 2 << 2;
        QTest::newRow("between") << 0.85 << 1 << 0 << 2 << 2;
        QTest::newRow("exactly tied") << static_cast<double>(0.8f) << 2 << 1 << 1 << 1;
        QTest::newRow("just above tie") << std::nextafter(static_cast<double>(0.8f), 1.0) << 1 << 0 << 2 << 2;
        QTest::newRow("below all") << 0.1 << 3 << 2 << 0 << 0;
        QTest::newRow("+inf") << std::numeric_limits<double>::infinity() << 0 << 0 << 2 << 3;
        QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << 3 << 2 << 0 << 0;
        QTest::newRow("nan flags nothing") << std::numeric_limits<double>::quiet_NaN() << 0 << 0 << 2 << 3;
    }
    void countsWithTies() {
        QFETCH(double, threshold);
        QFETCH(int, tp);
        QFETCH(int, fp);
        QFETCH(int, tn);
        QFETCH(int, fn);
        const ScoreTable t =
            test::scoresTable({0.9f, 0.8f, 0.8f, 0.7f, 0.6f}, {true, true, false, false, true});
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const Confusion c = index->at(threshold);
        QCOMPARE(c.tp, tp);
        QCOMPARE(c.fp, fp);
        QCOMPARE(c.tn, tn);
        QCOMPARE(c.fn, fn);
        QCOMPARE(index->groupCount(), std::size_t(4));
    }

    void matchesBruteForce_data() {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("levels");
        QTest::newRow("heavy ties") << 1u << 7;
        QTest::newRow("some ties") << 2u << 200;
        QTest::newRow("few ties") << 3u << 100000;
    }
    void matchesBruteForce() {
        QFETCH(quint32, seed);
        QFETCH(int, levels);
        const ScoreTable t = test::randomTable(seed, 5, 400, levels);
        auto built = ScoreIndex::build(t);
        QVERIFY(built.ok());
        const ScoreIndex& index = *built;

        std::vector<double> thresholds{0.0, 1.0, 2.0, -1.0};
        QRandomGenerator rng(seed + 100);
        for (int i = 0; i < 300; ++i) thresholds.push_back(rng.generateDouble() * 1.1);
        // Exactly equal to a score, and the neighbouring doubles on both sides.
        for (std::size_t r = 0; r < t.size(); r += 7) {
            const double s = static_cast<double>(t.score[r]);
            thresholds.push_back(s);
            thresholds.push_back(std::nextafter(s, 2.0));
            thresholds.push_back(std::nextafter(s, -1.0));
        }
        const QStringList tags = index.faultTags();
        QCOMPARE(tags, QStringList({"bearing_wear", "overheat", "power_spike"}));
        for (const double th : thresholds) {
            QCOMPARE(index.at(th), bruteForce(t, th));
            std::array<qint64, kOpStateCount> fa{};
            std::vector<qint64> perFault(static_cast<std::size_t>(tags.size()), 0);
            for (std::size_t r = 0; r < t.size(); ++r) {
                if (t.train[r] != 0 || static_cast<double>(t.score[r]) < th)
                    continue;
                if (t.faultTag[r].isEmpty())
                    ++fa[static_cast<std::size_t>(t.state[r])];
                else
                    ++perFault[static_cast<std::size_t>(tags.indexOf(t.faultTag[r]))];
            }
            QCOMPARE(index.falseAlarmsPerState(th), fa);
            for (int f = 0; f < tags.size(); ++f)
                QCOMPARE(index.flaggedOfFault(f, th), perFault[std::size_t(f)]);
        }
    }

    void excludesTrainingRows() {
        // The training rows score highest; they must not count anywhere.
        const ScoreTable t = makeTable({{0, 0, 0.99f, "overheat", true},
                                        {0, 1, 0.98f, {}, true},
                                        {0, 2, 0.5f, "overheat"},
                                        {0, 3, 0.4f, {}}});
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        QCOMPARE(index->size(), qint64(2));
        QCOMPARE(index->tableRows(), std::size_t(4));
        QCOMPARE(index->positives(), qint64(1));
        QCOMPARE(index->negatives(), qint64(1));
        QCOMPARE(index->at(0.9).flagged(), qint64(0));
        QCOMPARE(index->groupScore(0), 0.5f);
    }

    void negativesPerState() {
        const ScoreTable t = makeTable({{0, 0, 0.9f, {}, false, OpState::Run},
                                        {0, 1, 0.2f, {}, false, OpState::Run},
                                        {0, 2, 0.8f, {}, false, OpState::Idle},
                                        {0, 3, 0.7f, "overheat", false, OpState::Idle},
                                        {0, 4, 0.1f, {}, true, OpState::Maint},
                                        {0, 5, 0.6f, {}, false, OpState::Maint}});
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        QCOMPARE(index->negativesPerState(), (std::array<qint64, 3>{2, 1, 1}));
        QCOMPARE(index->falseAlarmsPerState(0.65), (std::array<qint64, 3>{1, 1, 0}));
        QCOMPARE(index->falseAlarmsPerState(0.0), (std::array<qint64, 3>{2, 1, 1}));
    }

    void scoreAtRank() {
        const std::vector<float> scores{0.3f, 0.9f, 0.5f, 0.9f, 0.1f, 0.5f, 0.5f};
        const ScoreTable t = test::scoresTable(scores, std::vector<bool>(scores.size(), false));
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        std::vector<float> sorted = scores;
        std::sort(sorted.rbegin(), sorted.rend());
        for (qint64 k = 0; k < index->size(); ++k) QCOMPARE(index->scoreAtRank(k), sorted[std::size_t(k)]);
    }

    void withoutLabelsEveryRowIsNegative() {
        ScoreTable t = test::scoresTable({0.9f, 0.5f, 0.1f}, {true, true, false});
        t.hasLabels = false;
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        QVERIFY(!index->hasLabels());
        QCOMPARE(index->positives(), qint64(0));
        QCOMPARE(index->at(0.5).fp, qint64(2));
        QVERIFY(index->faultTags().isEmpty());
        QCOMPARE(index->episodes().size(), std::size_t(0));
        // An unlabelled import may have no tag column at all.
        t.faultTag.clear();
        QVERIFY(ScoreIndex::build(t).ok());
    }

    void emptyTable() {
        auto index = ScoreIndex::build(ScoreTable{});
        QVERIFY(index.ok());
        QCOMPARE(index->size(), qint64(0));
        QCOMPARE(index->at(0.5), Confusion{});
        QCOMPARE(index->groupCount(), std::size_t(0));
        QCOMPARE(ScoreIndex{}.at(0.0), Confusion{});
    }

    void rejectsMalformedTables_data() {
        QTest::addColumn<int>("defect");
        QTest::addColumn<QString>("message");
        QTest::newRow("short column") << 0 << "column 'tsMs'";
        QTest::newRow("device out of range") << 1 << "row 2: device index 7";
        QTest::newRow("nan score") << 2 << "row 1: score is not a finite number";
        QTest::newRow("device not contiguous") << 3 << "row 3: rows of device 'DEV-0000'";
        QTest::newRow("time backwards") << 4 << "row 1: timestamps";
        QTest::newRow("bad state") << 5 << "row 0: unknown state";
        QTest::newRow("missing tags") << 6 << "column 'faultTag'";
    }
    void rejectsMalformedTables() {
        QFETCH(int, defect);
        QFETCH(QString, message);
        ScoreTable t = makeTable({{0, 0, 0.1f}, {0, 1, 0.2f}, {1, 2, 0.3f}, {1, 3, 0.4f}});
        switch (defect) {
            case 0:
                t.tsMs.pop_back();
                break;
            case 1:
                t.device[2] = 7;
                break;
            case 2:
                t.score[1] = std::numeric_limits<float>::quiet_NaN();
                break;
            case 3:
                t.device[3] = 0;
                break;
            case 4:
                t.tsMs[1] = -5;
                break;
            case 5:
                t.state[0] = static_cast<OpState>(9);
                break;
            case 6:
                t.faultTag.pop_back();
                break;
        }
        auto index = ScoreIndex::build(t);
        QVERIFY(!index.ok());
        QCOMPARE(index.error().kind, Error::Kind::BadInput);
        QVERIFY2(index.error().message.contains(message), qPrintable(index.error().message));
    }

    void acceptsNanScoreInTrainingSpan() {
        ScoreTable t = makeTable({{0, 0, 0.1f, {}, true}, {0, 1, 0.2f}});
        t.score[0] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(ScoreIndex::build(t).ok());
    }
};

QTEST_GUILESS_MAIN(ScoreIndexTest)
#include "score_index_test.moc"
