#include "common/output_file.h"

#include <QFile>
#include <QSaveFile>

#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace itap {
namespace {

// stat(2) of `path`, following symbolic links; nullopt when it does not exist (or cannot be examined, which
// open() then reports with its own reason).
std::optional<struct stat> statOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return st;
}

bool replaceable(const std::optional<struct stat>& st) {
    return !st || (S_ISREG(st->st_mode) && st->st_nlink <= 1);
}

}  // namespace

OutputFile::OutputFile(QString path) : path_(std::move(path)) {}

OutputFile::~OutputFile() {
    cancel();
}

Status OutputFile::open() {
    cancel();
    const auto existing = statOf(path_);
    if (!replaceable(existing)) {
        if (S_ISDIR(existing->st_mode))
            return Error::failure(QStringLiteral("cannot write: is a directory"), path_);
        direct_ = std::make_unique<QFile>(path_);
        // Truncate only a regular file: a device or FIFO has no length, and O_TRUNC on it means nothing.
        const QIODevice::OpenMode mode = S_ISREG(existing->st_mode)
                                             ? QIODevice::WriteOnly | QIODevice::Truncate
                                             : QIODevice::WriteOnly | QIODevice::Unbuffered;
        if (!direct_->open(mode)) {
            const QString why = direct_->errorString();
            direct_.reset();
            return Error::failure(QStringLiteral("cannot write: ") + why, path_);
        }
        return {};
    }
    save_ = std::make_unique<QSaveFile>(path_);
    if (!save_->open(QIODevice::WriteOnly)) {
        const QString why = save_->errorString();
        save_.reset();
        return Error::failure(QStringLiteral("cannot write: ") + why, path_);
    }
    if (existing) {
        // QSaveFile copies the permission bits; the owner and group are ours to keep. Setting them is allowed
        // to fail (a user cannot give a file away): the file then belongs to whoever wrote it, as with cp.
        const int fd = static_cast<int>(save_->handle());
        struct stat mine {};
        if (fd >= 0 && ::fstat(fd, &mine) == 0 &&
            (mine.st_uid != existing->st_uid || mine.st_gid != existing->st_gid)) {
            // A (void) cast does not silence warn_unused_result, which glibc's fortified headers declare.
            const bool owned = ::fchown(fd, existing->st_uid, existing->st_gid) == 0 ||
                               ::fchown(fd, static_cast<uid_t>(-1), existing->st_gid) == 0;
            static_cast<void>(owned);
            (void)::fchmod(fd, existing->st_mode & 07777);  // chown clears set-id bits
        }
    }
    return {};
}

Status OutputFile::write(const char* data, qint64 size) {
    QFileDevice* file = direct_ ? static_cast<QFileDevice*>(direct_.get()) : save_.get();
    if (file == nullptr)
        return Error::failure(QStringLiteral("write() without open()"), path_);
    if (file->write(data, size) != size) {
        // Read before cancel(), which replaces it with "Writing canceled by application".
        const QString why = file->errorString();
        cancel();
        return Error::failure(QStringLiteral("write failed: ") + why, path_);
    }
    return {};
}

Status OutputFile::commit() {
    if (direct_) {
        const bool ok = direct_->flush();
        const QString why = direct_->errorString();
        direct_->close();
        direct_.reset();
        if (!ok)
            return Error::failure(QStringLiteral("write failed: ") + why, path_);
        return {};
    }
    if (!save_)
        return Error::failure(QStringLiteral("commit() without open()"), path_);
    const bool ok = save_->commit();
    const QString why = save_->errorString();
    save_.reset();
    if (!ok)
        return Error::failure(QStringLiteral("cannot write: ") + why, path_);
    return {};
}

void OutputFile::cancel() {
    direct_.reset();
    if (save_) {
        save_->cancelWriting();
        save_.reset();  // QSaveFile removes its temporary file when destroyed without commit()
    }
}

Status writeOutputFile(const QString& path, const QByteArray& bytes) {
    OutputFile file(path);
    if (Status s = file.open(); !s)
        return s;
    if (Status s = file.write(bytes.constData(), bytes.size()); !s)
        return s;
    return file.commit();
}

Status checkOutputIsNotAnInput(const QString& output, const QStringList& inputs) {
    const auto out = statOf(output);
    if (!out || !S_ISREG(out->st_mode))  // writing to a device or FIFO destroys nothing
        return {};
    for (const QString& input : inputs) {
        const auto in = statOf(input);
        if (in && in->st_dev == out->st_dev && in->st_ino == out->st_ino)
            return Error::badInput(
                QStringLiteral("refusing to write an output onto the input file %1 (the same file)")
                    .arg(input),
                output);
    }
    return {};
}

}  // namespace itap
