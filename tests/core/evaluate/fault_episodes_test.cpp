#include "evaluate/fault_episodes.h"
#include "core/evaluate/score_table_builder.h"
#include "evaluate/score_index.h"

#include <QTest>

using namespace itap;
using itap::test::makeTable;

namespace {

const QString kOv = QStringLiteral("overheat");
const QString kPs = QStringLiteral("power_spike");

}  // namespace

class FaultEpisodesTest : public QObject {
    Q_OBJECT
private slots:
    void splitsRunsByDeviceAndTag() {
        // Device 0 ends inside an overheat run and device 1 starts with one: two episodes, not one.
        // Adjacent runs with different tags are different episodes too.
        const ScoreTable t = makeTable({{0, 0, 0.1f, {}},
                                        {0, 10, 0.2f, kOv},
                                        {0, 20, 0.3f, kOv},
                                        {1, 0, 0.4f, kOv},
                                        {1, 10, 0.5f, kPs},
                                        {1, 20, 0.6f, {}},
                                        {1, 30, 0.7f, kOv}});
        const FaultEpisodes eps = FaultEpisodes::build(t, {kOv, kPs});
        QCOMPARE(eps.size(), std::size_t(4));
        const std::vector<std::tuple<int, int, std::size_t, std::size_t>> expected{
            {0, 0, 1, 2}, {0, 1, 3, 3}, {1, 1, 4, 4}, {0, 1, 6, 6}};
        for (std::size_t i = 0; i < eps.size(); ++i) {
            const FaultEpisode& e = eps.episode(i);
            QCOMPARE(e.fault, std::get<0>(expected[i]));
            QCOMPARE(e.device, std::get<1>(expected[i]));
            QCOMPARE(e.firstRow, std::get<2>(expected[i]));
            QCOMPARE(e.lastRow, std::get<3>(expected[i]));
        }
        QCOMPARE(eps.episode(0).evalRows, qint64(2));
        QCOMPARE(eps.episode(0).evalStartMs, qint64(10000));
    }

    void straddlingTrainingSpan() {
        // Rows 0-2 are the training span; the episode runs over rows 1-4, so only rows 3-4 are evaluated.
        // A second episode lies wholly in the training span and is not an evaluation event.
        const ScoreTable t = makeTable({{0, 0, 0.9f, kPs, true},
                                        {0, 10, 0.9f, kOv, true},
                                        {0, 20, 0.9f, kOv, true},
                                        {0, 30, 0.2f, kOv},
                                        {0, 40, 0.6f, kOv},
                                        {0, 50, 0.1f, {}}});
        const FaultEpisodes eps = FaultEpisodes::build(t, {kOv, kPs});
        QCOMPARE(eps.size(), std::size_t(1));
        const FaultEpisode& e = eps.episode(0);
        QCOMPARE(e.firstRow, std::size_t(1));
        QCOMPARE(e.lastRow, std::size_t(4));
        QCOMPARE(e.evalRows, qint64(2));
        QCOMPARE(e.evalStartMs, qint64(30000));
        // The high training-span scores do not catch it: only evaluated rows count.
        QVERIFY(!eps.caught(0, 0.7));
        QVERIFY(!eps.detectionDelayMs(0, 0.7).has_value());
        // Latency runs from the first evaluated row (t = 30 s), not from the episode's first row (t = 10 s).
        QCOMPARE(eps.detectionDelayMs(0, 0.5), std::optional<qint64>(10000));
        QCOMPARE(eps.detectionDelayMs(0, 0.2), std::optional<qint64>(0));
    }

    void detectionDelay_data() {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<qint64>("delayMs");  // -1 = not caught
        // Episode scores over time 100..105 s: 0.3 0.7 0.5 0.9 0.7 0.95.
        QTest::newRow("first row") << 0.3 << qint64(0);
        QTest::newRow("below first") << 0.1 << qint64(0);
        QTest::newRow("second row") << 0.6 << qint64(1000);
        QTest::newRow("equal to a later record") << static_cast<double>(0.7f) << qint64(1000);
        QTest::newRow("fourth row") << 0.8 << qint64(3000);
        QTest::newRow("last row") << static_cast<double>(0.95f) << qint64(5000);
        QTest::newRow("missed") << 0.96 << qint64(-1);
    }
    void detectionDelay() {
        QFETCH(double, threshold);
        QFETCH(qint64, delayMs);
        std::vector<test::Row> rows{{0, 99, 0.99f, {}}};
        const std::vector<float> scores{0.3f, 0.7f, 0.5f, 0.9f, 0.7f, 0.95f};
        for (std::size_t i = 0; i < scores.size(); ++i) rows.push_back({0, 100 + qint64(i), scores[i], kOv});
        const FaultEpisodes eps = FaultEpisodes::build(makeTable(rows), {kOv});
        QCOMPARE(eps.size(), std::size_t(1));
        // Cross-check against a row-by-row scan.
        qint64 scanned = -1;
        for (std::size_t i = 0; i < scores.size() && scanned < 0; ++i)
            if (static_cast<double>(scores[i]) >= threshold)
                scanned = qint64(i) * 1000;
        QCOMPARE(scanned, delayMs);
        QCOMPARE(eps.caught(0, threshold), delayMs >= 0);
        QCOMPARE(eps.detectionDelayMs(0, threshold).value_or(-1), delayMs);
    }

    void unlabelledTableHasNoEpisodes() {
        const ScoreTable t = makeTable({{0, 0, 0.5f, kOv}}, false);
        QCOMPARE(FaultEpisodes::build(t, {kOv}).size(), std::size_t(0));
    }

    void randomTablesMatchRowScan() {
        const ScoreTable t = test::randomTable(7, 4, 300, 50);
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const FaultEpisodes& eps = index->episodes();
        QVERIFY(eps.size() > 10);
        // Maximal runs found the slow way: same device, same non-empty tag, at least one evaluated row.
        std::vector<std::pair<std::size_t, std::size_t>> runs;
        for (std::size_t r = 0; r < t.size(); ++r) {
            if (t.faultTag[r].isEmpty())
                continue;
            const bool continues =
                r > 0 && t.device[r - 1] == t.device[r] && t.faultTag[r - 1] == t.faultTag[r];
            if (continues)
                runs.back().second = r;
            else
                runs.emplace_back(r, r);
        }
        std::erase_if(runs, [&t](const auto& run) {
            for (std::size_t r = run.first; r <= run.second; ++r)
                if (t.train[r] == 0)
                    return false;
            return true;
        });
        QCOMPARE(eps.size(), runs.size());
        for (std::size_t i = 0; i < runs.size(); ++i) {
            QCOMPARE(eps.episode(i).firstRow, runs[i].first);
            QCOMPARE(eps.episode(i).lastRow, runs[i].second);
            QCOMPARE(index->faultTags()[eps.episode(i).fault], t.faultTag[runs[i].first]);
        }
        for (const double th : {0.2, 0.5, 0.74, 0.9, 1.0}) {
            for (std::size_t i = 0; i < eps.size(); ++i) {
                const FaultEpisode& e = eps.episode(i);
                std::optional<qint64> first;
                std::optional<qint64> start;
                for (std::size_t r = e.firstRow; r <= e.lastRow; ++r) {
                    if (t.train[r] != 0)
                        continue;
                    if (!start)
                        start = t.tsMs[r];
                    if (!first && static_cast<double>(t.score[r]) >= th)
                        first = t.tsMs[r];
                }
                QVERIFY(start.has_value());
                QCOMPARE(eps.caught(i, th), first.has_value());
                QCOMPARE(eps.detectionDelayMs(i, th),
                         first ? std::optional<qint64>(*first - *start) : std::nullopt);
            }
        }
    }
};

QTEST_GUILESS_MAIN(FaultEpisodesTest)
#include "fault_episodes_test.moc"
