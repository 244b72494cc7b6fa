#include "background_tasks.h"

#include <QMetaObject>

#include <pthread.h>

#include <string>

namespace itap {

BackgroundTasks::BackgroundTasks(QObject* parent) : QObject(parent) {}

BackgroundTasks::~BackgroundTasks() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;  // from here on post() drops what it is given
    }
    for (auto& [id, thread] : threads_) thread.join();
    // What was posted and never ran is freed with inbox_, on the owner's thread, after the last worker is gone.
}

void BackgroundTasks::start(const char* name, std::function<void()> work, std::function<void()> done) {
    const std::uint64_t id = nextId_++;
    std::thread thread([this, id, work = std::move(work), done = std::move(done)]() mutable {
        work();
        // The callback and the join both happen on the owner's thread; `done` crosses under the inbox mutex.
        post([this, id, done = std::move(done)] {
            finished(id);
            if (done)
                done();
        });
    });
    pthread_setname_np(thread.native_handle(), std::string(name).substr(0, 15).c_str());
    threads_.emplace(id, std::move(thread));
}

void BackgroundTasks::finished(std::uint64_t id) {
    const auto it = threads_.find(id);
    if (it == threads_.end())
        return;
    it->second.join();  // the thread posted this as its last act: it is ending, not working
    threads_.erase(it);
}

void BackgroundTasks::post(std::function<void()> fn) {
    {
        std::lock_guard lock(mutex_);
        if (closing_)
            return;
        inbox_.push_back(std::move(fn));
        if (wakePending_)
            return;
        wakePending_ = true;
    }
    // By name, so the queued event carries nothing of ours across threads.
    QMetaObject::invokeMethod(this, "drain", Qt::QueuedConnection);
}

void BackgroundTasks::drain() {
    std::vector<std::function<void()>> batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(inbox_);
        wakePending_ = false;
    }
    for (std::function<void()>& fn : batch) fn();
}

void BackgroundTasks::waitForAll() {
    for (auto& [id, thread] : threads_) thread.join();
    threads_.clear();
    drain();
}

}  // namespace itap
