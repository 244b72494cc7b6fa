#pragma once

// Helpers of the hostile-input tests (validation and importer): huge files written streaming, the
// process's peak resident memory, to show that a reader never holds what it is fed, and row issues as text.

#include "validation/row_issue.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <vector>

namespace itap::testutil {

/// 1 GiB: the "1 GB single line" of the hostile-input tests.
inline constexpr qint64 kGiB = qint64(1) << 30;

/// Writes `prefix`, then `lineBytes` bytes of `fill` with no line break, then `suffix`, to `path` in 1 MiB
/// writes (the test never holds the line either). False when the disk refuses.
inline bool writeHugeLine(const QString& path, const QByteArray& prefix, qint64 lineBytes, char fill,
                          const QByteArray& suffix) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(prefix) != prefix.size())
        return false;
    const QByteArray chunk(1 << 20, fill);
    for (qint64 left = lineBytes; left > 0;) {
        const qint64 n = std::min<qint64>(left, chunk.size());
        if (f.write(chunk.constData(), n) != n)
            return false;
        left -= n;
    }
    return f.write(suffix) == suffix.size();
}

/// Peak resident set size of this process so far (VmHWM), in bytes; -1 when /proc is not available.
inline qint64 peakRssBytes() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:")) {
            bool ok = false;
            const qint64 kb = line.mid(6).trimmed().split(' ').value(0).toLongLong(&ok);
            return ok ? kb * 1024 : -1;
        }
    }
    return -1;
}

/// The issues as "line:column check message", joined by " | " (for a failing check's message).
inline QString issuesText(const std::vector<RowIssue>& issues) {
    QStringList parts;
    for (const RowIssue& i : issues)
        parts << QStringLiteral("%1:%2 %3 %4").arg(i.line).arg(i.column).arg(i.check, i.message);
    return parts.join(QStringLiteral(" | "));
}

}  // namespace itap::testutil
