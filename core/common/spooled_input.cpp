#include "common/spooled_input.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cstdio>
#include <cstring>

namespace itap {

SpooledInput::SpooledInput(SpooledInput&&) noexcept = default;
SpooledInput& SpooledInput::operator=(SpooledInput&&) noexcept = default;
SpooledInput::~SpooledInput() = default;

Result<SpooledInput> SpooledInput::open(const QString& path, qint64 maxFirstLineBytes,
                                        const ProgressFn& progress) {
    SpooledInput in;
    const bool isStdin = path == QLatin1String(kStdinName);
    in.name_ = isStdin ? QStringLiteral("<stdin>") : path;
    in.readPath_ = path;
    if (!isStdin) {
        const QFileInfo info(path);
        if (!info.exists())
            return Error::badInput(QStringLiteral("file not found"), path);
        if (info.isFile() || info.isDir())
            return in;  // read where it is; a directory is the reader's error to report
    }

    QFile source;
    const bool opened =
        isStdin ? source.open(stdin, QIODevice::ReadOnly | QIODevice::Unbuffered)
                : (source.setFileName(path), source.open(QIODevice::ReadOnly | QIODevice::Unbuffered));
    if (!opened)
        return Error::badInput(QStringLiteral("cannot read: ") + source.errorString(), in.name_);
    in.temp_ = std::make_unique<QTemporaryFile>(
        QDir(QDir::tempPath()).filePath(QStringLiteral("itap-input-XXXXXX.csv")));
    if (!in.temp_->open())
        return Error::failure(
            QStringLiteral("cannot create a temporary copy of the input: ") + in.temp_->errorString(),
            in.temp_->fileTemplate());
    in.readPath_ = in.temp_->fileName();

    QCryptographicHash hash(QCryptographicHash::Sha256);
    constexpr qint64 kChunk = qint64(1) << 20;
    QByteArray chunk(kChunk, Qt::Uninitialized);
    qint64 copied = 0;
    bool lineEnded = false;  // the first line has ended
    for (;;) {
        const qint64 n = source.read(chunk.data(), kChunk);
        if (n < 0)
            return Error::failure(QStringLiteral("read failed: ") + source.errorString(), in.name_);
        if (n == 0)
            break;
        if (!lineEnded) {
            lineEnded = std::memchr(chunk.constData(), '\n', std::size_t(n)) != nullptr;
            // The line limit excludes CR/LF and a BOM: allow for them before giving up.
            if (!lineEnded && copied + n > maxFirstLineBytes + 5)
                return Error::badInput(
                    QStringLiteral("the first line is longer than %1 bytes: not a telemetry CSV")
                        .arg(maxFirstLineBytes),
                    in.name_, 1);
        }
        hash.addData(QByteArrayView(chunk.constData(), n));
        if (in.temp_->write(chunk.constData(), n) != n)
            return Error::failure(QStringLiteral("cannot copy the input: ") + in.temp_->errorString(),
                                  in.readPath_);
        copied += n;
        if (!reportProgress(progress, copied, 0, QStringLiteral("reading %1").arg(in.name_)))
            return Error::cancelled();
    }
    if (!in.temp_->flush())
        return Error::failure(QStringLiteral("cannot copy the input: ") + in.temp_->errorString(),
                              in.readPath_);
    in.sha256_ = QString::fromLatin1(hash.result().toHex());
    return in;
}

Error SpooledInput::named(Error e) const {
    if (temp_ && e.file == readPath_)
        e.file = name_;
    return e;
}

}  // namespace itap
