// BackgroundTasks: results and posts arrive on the owner's thread, in order, once; destruction joins the
// threads and drops what they still post. Run under the tsan preset it also shows the hand-over is visible to
// ThreadSanitizer (plain data written on the worker, read in the callback, no report).
#include "background_tasks.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using namespace itap;

class BackgroundTasksTest : public QObject {
    Q_OBJECT

private slots:
    void resultArrivesOnTheOwnersThread() {
        BackgroundTasks tasks;
        QThread* workerThread = nullptr;
        QThread* doneThread = nullptr;
        std::vector<int> received;
        tasks.run<std::vector<int>>(
            "test-work",
            [&workerThread] {
                workerThread = QThread::currentThread();
                std::vector<int> v(1000);
                for (int i = 0; i < 1000; ++i) v[std::size_t(i)] = i * i;  // plain writes on the worker
                return v;
            },
            [&](std::vector<int> v) {
                doneThread = QThread::currentThread();
                received = std::move(v);
            });
        QCOMPARE(tasks.active(), 1);
        QTRY_COMPARE(received.size(), std::size_t(1000));
        QCOMPARE(received[999], 999 * 999);
        QCOMPARE(doneThread, QThread::currentThread());
        QVERIFY(workerThread != QThread::currentThread());
        QCOMPARE(tasks.active(), 0);  // joined when its callback ran
    }

    void postsKeepTheirOrderAndComeBeforeDone() {
        BackgroundTasks tasks;
        std::vector<int> seen;
        std::size_t seenAtDone = 0;
        bool done = false;
        tasks.run(
            "test-post",
            [&tasks, &seen] {
                for (int i = 0; i < 500; ++i) tasks.post([&seen, i] { seen.push_back(i); });
            },
            [&] {
                done = true;
                seenAtDone = seen.size();
            });
        QTRY_VERIFY(done);
        QCOMPARE(seenAtDone, std::size_t(500));
        for (int i = 0; i < 500; ++i) QCOMPARE(seen[std::size_t(i)], i);
    }

    void waitForAllJoinsAndRunsTheCallbacks() {
        BackgroundTasks tasks;
        int finished = 0;
        for (int i = 0; i < 4; ++i)
            tasks.run(
                "test-wait", [] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); },
                [&finished] { ++finished; });
        tasks.waitForAll();  // no event loop needed
        QCOMPARE(finished, 4);
        QCOMPARE(tasks.active(), 0);
    }

    void destructionJoinsAndDropsLateCallbacks() {
        std::atomic<bool> workerEnded{false};
        auto callbackRan = std::make_shared<bool>(false);
        {
            BackgroundTasks tasks;
            tasks.run(
                "test-late",
                [&workerEnded] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    workerEnded = true;
                },
                [callbackRan] { *callbackRan = true; });
        }  // joins here
        QVERIFY(workerEnded.load());
        QCoreApplication::processEvents();
        QVERIFY(!*callbackRan);
    }
};

QTEST_GUILESS_MAIN(BackgroundTasksTest)
#include "background_tasks_test.moc"
