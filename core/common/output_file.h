#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

#include <memory>

class QFile;
class QSaveFile;

namespace itap {

/// One output file of a command, written the way a careful tool writes it.
///
/// A new file, or an existing regular file with one link, is written to a temporary file beside it that
/// replaces it on commit(): a reader never sees half of it and a failed or cancelled run leaves the old one.
/// The replacement keeps the old file's permissions and, where the process may set them, its owner and group.
/// Anything else that exists is written in place, because replacing it would destroy it: a character device
/// (/dev/null stays a device), a FIFO (its reader gets the data) or a regular file with several hard links
/// (every link sees the new contents; a failed run may leave it half-written). Symbolic links are followed.
/// Not thread-safe.
class OutputFile {
public:
    explicit OutputFile(QString path);
    ~OutputFile();  ///< cancel()s an uncommitted file
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    /// Opens the file for writing (for a FIFO: waits for its reader, like any writer).
    [[nodiscard]] Status open();
    [[nodiscard]] Status write(const char* data, qint64 size);
    /// Finishes the file: renames the temporary file over the target, or flushes and closes in place.
    [[nodiscard]] Status commit();
    /// Drops a temporary file; in place, stops writing (what was written stays).
    void cancel();

    /// True when the target is written in place (see the class comment).
    [[nodiscard]] bool inPlace() const { return direct_ != nullptr; }
    [[nodiscard]] const QString& path() const { return path_; }

private:
    QString path_;
    std::unique_ptr<QSaveFile> save_;
    std::unique_ptr<QFile> direct_;
};

/// Writes `bytes` to `path` as an OutputFile.
[[nodiscard]] Status writeOutputFile(const QString& path, const QByteArray& bytes);

/// Error::badInput when `output` is the same file as one of `inputs` (the same device and inode, whatever
/// the spelling or links), so that a command never overwrites what it reads. Inputs that do not exist, and an
/// output that does not exist yet, never match.
[[nodiscard]] Status checkOutputIsNotAnInput(const QString& output, const QStringList& inputs);

}  // namespace itap
