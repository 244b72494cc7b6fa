#pragma once
// Shared helpers of the libFuzzer targets in this folder (not part of the normal test suite).

#include "common/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// A property every input must keep; a violation aborts, so libFuzzer saves the input as a crash.
#define ITAP_FUZZ_CHECK(cond)                                                                       \
    do {                                                                                            \
        if (!(cond)) {                                                                              \
            std::fprintf(stderr, "%s:%d: fuzz property violated: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                           \
        }                                                                                           \
    } while (false)

namespace itap::fuzz {

/// The input as a QByteArray (a copy: libFuzzer's buffer must not be written).
[[nodiscard]] inline QByteArray bytesOf(const std::uint8_t* data, std::size_t size) {
    return QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
}

/// A private temporary directory for the files the path-based loaders read; one per fuzzing process.
[[nodiscard]] inline const QTemporaryDir& scratchDir() {
    static const QTemporaryDir dir;
    if (!dir.isValid())
        std::abort();
    return dir;
}

/// Writes `bytes` to `name` inside scratchDir(), replacing the previous input, and returns its path.
[[nodiscard]] inline QString writeScratch(const QString& name, const QByteArray& bytes) {
    const QString path = scratchDir().filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        std::abort();  // the fuzzing machine is broken, not the code under test
    return path;
}

/// Splits `input` at the first `separator`: what comes before and what comes after. Without the separator,
/// `first` is the whole input and `second` is null.
inline void splitAt(const QByteArray& input, const QByteArray& separator, QByteArray& first,
                    QByteArray& second) {
    const qsizetype at = input.indexOf(separator);
    if (at < 0) {
        first = input;
        second = QByteArray();
        return;
    }
    first = input.left(at);
    second = input.mid(at + separator.size());
}

/// Loaders may touch QCoreApplication-dependent state (time zones, resources); one instance per process.
inline void ensureApplication() {
    static int argc = 1;
    static char arg0[] = "itap_fuzz";
    static char* argv[] = {arg0, nullptr};
    static QCoreApplication* app = QCoreApplication::instance() ? nullptr : new QCoreApplication(argc, argv);
    (void)app;
}

/// A data error must say what is wrong and, when it comes from a file, which file.
#define ITAP_FUZZ_CHECK_ERROR(error, path)                                              \
    do {                                                                                \
        const ::itap::Error& e_ = (error);                                              \
        ITAP_FUZZ_CHECK(!e_.message.isEmpty());                                         \
        ITAP_FUZZ_CHECK(e_.kind != ::itap::Error::Kind::BadInput || e_.file == (path)); \
        ITAP_FUZZ_CHECK(e_.line >= 0 && e_.column >= 0);                                \
    } while (false)

}  // namespace itap::fuzz
