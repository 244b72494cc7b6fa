#pragma once

// Test data and comparisons shared by the store suites of every backend (store_test, store_pg_test).

#include "storage/store.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <cmath>
#include <memory>
#include <vector>

// QVERIFY for a Result or Status, printing its error when it failed.
#define ITAP_VERIFY_OK(expr)                                                     \
    do {                                                                         \
        const auto& itapResult_ = (expr);                                        \
        QVERIFY2(itapResult_, itapResult_ ? "" : qPrintable(itapResult_.error().toString())); \
    } while (false)

namespace itap::test {

// Three channels, one of them named like an SQL keyword: every column name must be quoted.
inline SensorCatalog testCatalog() {
    return SensorCatalog(
        {{QStringLiteral("voltage_v"), QStringLiteral("V"), QStringLiteral("Voltage"), 0, 480},
         {QStringLiteral("order"), QStringLiteral("l/min"), QStringLiteral("Flow"), 0, 50},
         {QStringLiteral("temp_c"), QStringLiteral("°C"), QStringLiteral("Temperature"), -40, 200}});
}

inline SensorCatalog otherCatalog() {
    auto channels = testCatalog().channels();
    channels[2].max = 250;
    return SensorCatalog(std::move(channels));
}

// Deterministic rows for `devices`, time-interleaved like a fleet CSV. Every 7th value is missing, every 11th
// row carries a fault tag, states and error codes cycle.
inline TelemetryBatch makeBatch(const QStringList& devices, int rowsPerDevice, qint64 startMs = 1'767'225'600'000,
                         qint64 stepMs = 1000, int channels = 3) {
    TelemetryBatch b;
    b.channelCount = channels;
    std::vector<double> row(static_cast<std::size_t>(channels));
    int k = 0;
    for (int i = 0; i < rowsPerDevice; ++i) {
        for (int d = 0; d < devices.size(); ++d, ++k) {
            for (int c = 0; c < channels; ++c)
                row[static_cast<std::size_t>(c)] =
                    (k * 3 + c) % 7 == 0 ? kMissing : 100.0 + d + c * 0.125 + i * 1e-3;
            const QString tag = k % 11 == 0 ? fault::all()[k % 4] : QString();
            b.append(devices[d], startMs + i * stepMs, static_cast<OpState>(k % kOpStateCount), row.data(),
                     k % 5, tag, k + 2);
        }
    }
    return b;
}

// The rows of `device` in `batch`, in batch order (which is time order for makeBatch()).
inline std::vector<std::size_t> rowsOf(const TelemetryBatch& batch, const QString& device) {
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < batch.rowCount(); ++r)
        if (batch.deviceId[r] == device)
            rows.push_back(r);
    return rows;
}

inline bool sameValue(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Compares a series read back with the rows it was stored from; returns a description of the first
// difference.
inline QString diffSeries(const DeviceSeries& s, const TelemetryBatch& batch, const std::vector<std::size_t>& rows) {
    if (s.size() != rows.size())
        return QStringLiteral("size %1 != %2").arg(s.size()).arg(rows.size());
    if (s.channels.size() != static_cast<std::size_t>(batch.channelCount))
        return QStringLiteral("channel count");
    if (s.state.size() != rows.size() || s.errorCode.size() != rows.size() ||
        s.faultTag.size() != rows.size())
        return QStringLiteral("column lengths");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::size_t r = rows[i];
        if (s.tsMs[i] != batch.tsMs[r])
            return QStringLiteral("ts at %1").arg(i);
        if (s.state[i] != batch.state[r])
            return QStringLiteral("state at %1").arg(i);
        if (s.errorCode[i] != batch.errorCode[r])
            return QStringLiteral("error code at %1").arg(i);
        if (s.faultTag[i] != batch.faultTag[r])
            return QStringLiteral("fault tag at %1").arg(i);
        for (int c = 0; c < batch.channelCount; ++c)
            if (!sameValue(s.channels[static_cast<std::size_t>(c)][i], batch.value(r, c)))
                return QStringLiteral("channel %1 at %2: %3 != %4")
                    .arg(c)
                    .arg(i)
                    .arg(s.channels[static_cast<std::size_t>(c)][i])
                    .arg(batch.value(r, c));
    }
    return {};
}

// An incident of `device` from `startMs` to `endMs`, cleared at `clearedMs` (-1: still active), with the id
// the incident engine would give it.
inline Alert makeIncident(const QString& device, qint64 startMs, qint64 endMs, qint64 clearedMs,
                          IncidentKind kind = IncidentKind::Alarm, Suppression suppression = Suppression::None) {
    Alert a;
    a.device = device;
    a.startMs = startMs;
    a.raisedMs = startMs + 30'000;
    a.endMs = endMs;
    a.clearedMs = clearedMs;
    a.peakMs = (startMs + endMs) / 2;
    a.peakScore = 0.7;
    a.kind = kind;
    a.suppression = suppression;
    a.severity = Severity::Warning;
    a.cause = QStringLiteral("Thermal deviation, no known pattern");
    a.ruleId = QStringLiteral("described:Thermal");
    a.id = device + QLatin1Char('@') + QString::number(startMs);
    return a;
}

inline std::unique_ptr<Store> openOrFail(const QString& spec, const SensorCatalog* catalog) {
    auto r = Store::open(spec, catalog);
    if (!r)
        qWarning("open %s: %s", qPrintable(spec), qPrintable(r.error().toString()));
    return r ? std::move(r).value() : nullptr;
}

}  // namespace itap::test
