#pragma once

// Helpers shared by the validation tests: canonical CSV text built in the test, written to a QTemporaryDir.

#include "common/time_util.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

namespace itap::testutil {

inline const QByteArray kHeader =
    "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code,fault_tag";
inline const QByteArray kHeaderNoTag =
    "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code";

/// 2026-01-01T00:00:00Z
inline constexpr qint64 kBaseMs = 1767225600000;

inline QByteArray ts(qint64 ms) {
    return formatUtcTimestamp(ms).toLatin1();
}

/// A valid canonical row of `device` at kBaseMs + index × stepMs; values vary with the index but stay in
/// range.
inline QByteArray goodRow(const QByteArray& device, int index, qint64 stepMs = 10000,
                          const QByteArray& tag = {}) {
    const double i = index % 50;
    return ts(kBaseMs + index * stepMs) + ',' + device + ",RUN," + QByteArray::number(230.0 + i * 0.1) + ',' +
           QByteArray::number(18.0 + i * 0.01) + ',' + QByteArray::number(60.5 + i * 0.05) + ',' +
           QByteArray::number(1480 + index % 7) + ',' + QByteArray::number(2.25 + i * 0.001) + ",0," + tag;
}

/// `row` with its 0-based field `index` replaced by `value` (rows built here never contain quotes).
inline QByteArray withField(const QByteArray& row, int index, const QByteArray& value) {
    QList<QByteArray> fields = row.split(',');
    fields[index] = value;
    return fields.join(',');
}

inline bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

}  // namespace itap::testutil
