// parallelFor and WorkerPool: every item runs exactly once, whatever the thread count, chunk and capacity;
// the pool hands items over through std primitives only (the TSan preset runs this test too).
#include "model/parallel.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

using namespace itap;

class ParallelTest : public QObject {
    Q_OBJECT
private slots:
    void parallelForVisitsEveryIndexOnce_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("threads");
        QTest::newRow("empty") << 0 << 4 << 3;
        QTest::newRow("one thread") << 1000 << 7 << 1;
        QTest::newRow("more threads than chunks") << 10 << 4 << 8;
        QTest::newRow("uneven chunks") << 1001 << 10 << 3;
        QTest::newRow("all cores") << 5000 << 1 << 0;
    }
    void parallelForVisitsEveryIndexOnce() {
        QFETCH(int, count);
        QFETCH(int, chunk);
        QFETCH(int, threads);
        std::vector<std::atomic<int>> seen(static_cast<std::size_t>(count));
        std::atomic<int> emptyRanges{0};  // QTest's macros belong to the test thread: count, check after
        parallelFor(static_cast<std::size_t>(count), static_cast<std::size_t>(chunk), threads,
                    [&](std::size_t begin, std::size_t end) {
                        if (begin >= end)
                            emptyRanges.fetch_add(1);
                        for (std::size_t i = begin; i < end; ++i) seen[i].fetch_add(1);
                    });
        QCOMPARE(emptyRanges.load(), 0);
        for (const auto& s : seen) QCOMPARE(s.load(), 1);
    }

    void workerPoolRunsEveryPushedItemOnce_data() {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("capacity");
        QTest::newRow("1 thread, capacity 1") << 1 << 1;
        QTest::newRow("4 threads, capacity 2") << 4 << 2;
        QTest::newRow("3 threads, capacity 100") << 3 << 100;
    }
    void workerPoolRunsEveryPushedItemOnce() {
        QFETCH(int, threads);
        QFETCH(int, capacity);
        constexpr std::size_t kItems = 2000;
        // Written by the producer before push(), read by a worker, written by the worker, read after
        // finish(): plain (non-atomic) data, so a missing hand-over is a data race for TSan.
        std::vector<int> input(kItems), output(kItems, -1);
        std::atomic<int> running{0}, maxRunning{0};
        {
            WorkerPool pool(threads, static_cast<std::size_t>(capacity), [&](std::size_t i) {
                const int now = running.fetch_add(1) + 1;
                int seen = maxRunning.load();
                while (now > seen && !maxRunning.compare_exchange_weak(seen, now)) {
                }
                output[i] = input[i] * 2;
                running.fetch_sub(1);
            });
            for (std::size_t i = 0; i < kItems; ++i) {
                input[i] = static_cast<int>(i);
                pool.push(i);
            }
            pool.finish();
            pool.finish();  // idempotent; the destructor calls it again
        }
        for (std::size_t i = 0; i < kItems; ++i) QCOMPARE(output[i], static_cast<int>(2 * i));
        QVERIFY(maxRunning.load() <= threads);
    }

    // A producer that stops early (an error or a cancel) finishes the pool with items still queued: they run,
    // nothing is lost or run twice, and the workers are joined.
    void finishRunsWhatIsQueued() {
        std::atomic<int> ran{0};
        std::vector<int> hits(50, 0);
        {
            WorkerPool pool(2, 50, [&](std::size_t i) {
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                ++hits[i];
                ran.fetch_add(1);
            });
            for (std::size_t i = 0; i < 50; ++i) pool.push(i);
        }  // the destructor finishes
        QCOMPARE(ran.load(), 50);
        QCOMPARE(std::accumulate(hits.begin(), hits.end(), 0), 50);
        for (int h : hits) QCOMPARE(h, 1);
    }
};

QTEST_GUILESS_MAIN(ParallelTest)
#include "parallel_test.moc"
