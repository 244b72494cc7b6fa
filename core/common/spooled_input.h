#pragma once

#include "common/progress.h"
#include "common/result.h"

#include <QString>

#include <memory>

class QTemporaryFile;

namespace itap {

/// An input file that a stage may read more than once.
///
/// A regular file is read where it is. Standard input (named "-"), a FIFO (bash's `<(…)`), a character device
/// or a socket can be read only once: open() copies it into a temporary file, computing its SHA-256 as it
/// goes, so that every later pass reads the copy and no two readers share one stream. The copy gives up as
/// soon as the first line is longer than `maxFirstLineBytes`: a stream of zeros or of binary data is no CSV
/// and would otherwise be copied until the disk is full. The temporary file is removed with the object.
class SpooledInput {
public:
    /// The name under which commands read standard input.
    static constexpr char kStdinName[] = "-";

    /// Opens `path`; copies it when it cannot be read twice. `progress` gets the bytes copied (total 0) and
    /// may cancel. A missing file or an over-long first line is Error::badInput naming `path`.
    [[nodiscard]] static Result<SpooledInput> open(const QString& path, qint64 maxFirstLineBytes,
                                                   const ProgressFn& progress = {});

    SpooledInput(SpooledInput&&) noexcept;
    SpooledInput& operator=(SpooledInput&&) noexcept;
    ~SpooledInput();

    /// Where to read: the file itself, or the temporary copy.
    [[nodiscard]] const QString& readPath() const { return readPath_; }
    /// The name to report: the path as given, or "<stdin>".
    [[nodiscard]] const QString& name() const { return name_; }
    /// True when readPath() is a temporary copy.
    [[nodiscard]] bool spooled() const { return temp_ != nullptr; }
    /// SHA-256 (hex) of a copied input; empty for a regular file, which is hashed where it is.
    [[nodiscard]] const QString& sha256() const { return sha256_; }
    /// `e` naming name() where it names the temporary copy.
    [[nodiscard]] Error named(Error e) const;

private:
    SpooledInput() = default;

    QString readPath_;
    QString name_;
    QString sha256_;
    std::unique_ptr<QTemporaryFile> temp_;
};

}  // namespace itap
