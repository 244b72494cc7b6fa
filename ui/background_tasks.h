#pragma once

#include <QObject>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace itap {

/// Runs the console's long work on std::threads and hands what they produce back to the owner's thread.
///
/// Why not QtConcurrent / QFutureWatcher / a queued functor call: those synchronise inside libQt6Core (futex
/// based QMutex), which is not built with ThreadSanitizer, so TSan cannot see the hand-over and reports every
/// result they carry as a data race — real races would drown in them. Here everything that crosses threads goes
/// through a std::mutex-guarded inbox (visible to TSan); the queued call only wakes the owner, by method name,
/// carrying nothing. The engine's own threads (core/model/parallel.h) follow the same rule.
///
/// All member functions except post() are for the owner's thread. Callbacks run on the owner's thread from its
/// event loop, in the order they were posted. Destroying the object (or waitForAll()) joins every thread it
/// started; callbacks still in the inbox then are dropped, so a task must not depend on its callback having run,
/// and long tasks must watch a cancel flag of their own (set it before the owner goes).
class BackgroundTasks : public QObject {
    Q_OBJECT

public:
    explicit BackgroundTasks(QObject* parent = nullptr);
    ~BackgroundTasks() override;

    /// Runs `work` on a new thread; afterwards `done(result)` runs on this object's thread. `name` names the
    /// thread (debuggers, top -H; at most 15 characters are kept).
    template <typename T>
    void run(const char* name, std::function<T()> work, std::function<void(T)> done) {
        auto out = std::make_shared<std::optional<T>>();
        start(
            name, [work = std::move(work), out] { out->emplace(work()); },
            [done = std::move(done), out] { done(std::move(**out)); });
    }

    /// Runs `work` on a new thread, then `done` on this object's thread.
    void run(const char* name, std::function<void()> work, std::function<void()> done = {}) {
        start(name, std::move(work), std::move(done));
    }

    /// From any thread: runs `fn` on this object's thread soon. Worker threads use it for progress and for
    /// streamed results; a call made while the object is being destroyed is dropped.
    void post(std::function<void()> fn);

    /// Threads started and not yet joined.
    [[nodiscard]] int active() const { return int(threads_.size()); }

    /// Blocks until every thread started so far has finished, then runs the callbacks posted until then (which
    /// may start new ones).
    void waitForAll();

private:
    Q_INVOKABLE void drain();
    void start(const char* name, std::function<void()> work, std::function<void()> done);
    void finished(std::uint64_t id);

    std::mutex mutex_;                            // guards inbox_, wakePending_, closing_
    std::vector<std::function<void()>> inbox_;   // posted callbacks, oldest first
    bool wakePending_ = false;                    // a drain() is queued and has not taken the inbox yet
    bool closing_ = false;                        // the destructor runs: drop what is posted
    std::map<std::uint64_t, std::thread> threads_;  // owner's thread only
    std::uint64_t nextId_ = 0;
};

}  // namespace itap
