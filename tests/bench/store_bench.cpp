// Store benchmark: ingest rate and device-day read time on SQLite and PostgreSQL.
//
//   store_bench [--rows N] [--devices D] [--batch B] [--backend sqlite|pg|both] [--pg-url URL] [--reads R]
//
// Rows are time-interleaved like a fleet CSV (D devices, one sample every 10 s, 5 channels), inserted in
// batches of B rows (the ingest default, 5000) through Store::insertBatch(); then R reads of one device-day
// (8,640 rows) of different devices through Store::readDevice(). Without --pg-url a throwaway PostgreSQL
// server is started (tests/support/pg_server.h) with its durable defaults (fsync on). Run by hand, never in
// CTest: machines are shared and noisy.

#include "storage/store.h"
#include "support/pg_server.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace itap;

namespace {

constexpr qint64 kStartMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr qint64 kStepMs = 10'000;
constexpr qint64 kDayMs = 86'400'000;

SensorCatalog benchCatalog() {
    return SensorCatalog({{QStringLiteral("voltage_v"), QStringLiteral("V"), QStringLiteral("Voltage"), 0, 480},
                          {QStringLiteral("current_a"), QStringLiteral("A"), QStringLiteral("Current"), 0, 100},
                          {QStringLiteral("temp_c"), QStringLiteral("°C"), QStringLiteral("Temperature"), -40, 200},
                          {QStringLiteral("rpm"), QStringLiteral("rpm"), QStringLiteral("RPM"), 0, 5000},
                          {QStringLiteral("vibration_mm_s"), QStringLiteral("mm/s"), QStringLiteral("Vibration"), 0,
                           50}});
}

// Rows [first, first + count) of the interleaved stream: row k is device k % devices at step k / devices.
void fillBatch(TelemetryBatch& b, const QStringList& devices, qint64 first, qint64 count) {
    b.clear();
    b.channelCount = 5;
    double v[5];
    for (qint64 k = first; k < first + count; ++k) {
        const int d = static_cast<int>(k % devices.size());
        const qint64 step = k / devices.size();
        const double phase = static_cast<double>(step % 8640) / 8640.0 * 6.283185307;
        v[0] = 230 + 5 * std::sin(phase) + d * 0.01;
        v[1] = 18 + 3 * std::sin(phase + 1);
        v[2] = 60 + 4 * std::sin(phase - 1);
        v[3] = 1480 + (step % 7);
        v[4] = (k % 97 == 0) ? kMissing : 2.3 + 0.1 * std::sin(phase * 40);
        b.append(devices[d], kStartMs + step * kStepMs, (step % 50 == 0) ? OpState::Idle : OpState::Run, v,
                 0, (k % 1000 == 0) ? QStringLiteral("overheat") : QString(), k + 2);
    }
}

struct Figures {
    double insertRowsPerS = 0;
    double reinsertRowsPerS = 0;
    double readMedianMs = 0;
    double readMaxMs = 0;
    std::size_t readRows = 0;
};

bool run(const QString& spec, qint64 rows, int deviceCount, int batchRows, int reads, Figures& f) {
    const SensorCatalog catalog = benchCatalog();
    auto opened = Store::open(spec, &catalog);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error().toString()));
        return false;
    }
    Store& store = **opened;
    QStringList devices;
    for (int d = 0; d < deviceCount; ++d) devices << QStringLiteral("DEV-%1").arg(d, 4, 10, QLatin1Char('0'));

    // Inserts rows [from, rows) in batches; rows per second, not counting building the batches, or -1.
    TelemetryBatch batch;
    const auto ingest = [&](qint64 from, bool expectDuplicates) -> double {
        qint64 buildNs = 0;
        QElapsedTimer total;
        total.start();
        for (qint64 first = from; first < rows; first += batchRows) {
            QElapsedTimer build;
            build.start();
            fillBatch(batch, devices, first, std::min<qint64>(batchRows, rows - first));
            buildNs += build.nsecsElapsed();
            auto counts = store.insertBatch(batch);
            if (!counts) {
                std::fprintf(stderr, "insert: %s\n", qPrintable(counts.error().toString()));
                return -1;
            }
            if (expectDuplicates && counts->inserted != 0) {
                std::fprintf(stderr, "re-insert stored new rows\n");
                return -1;
            }
            if (!expectDuplicates && ((first - from) / batchRows) % 200 == 199)
                std::fprintf(stderr, "  %lld rows...\n", static_cast<long long>(first + batchRows));
        }
        return static_cast<double>(rows - from) / (static_cast<double>(total.nsecsElapsed() - buildNs) / 1e9);
    };
    f.insertRowsPerS = ingest(0, false);
    if (f.insertRowsPerS < 0)
        return false;
    // Re-ingesting the last 200k rows: the idempotent path (every row a duplicate).
    f.reinsertRowsPerS = ingest(rows - std::min<qint64>(rows, 200'000), true);
    if (f.reinsertRowsPerS < 0)
        return false;

    // One device-day from the middle of the data of different devices.
    const qint64 stepsPerDevice = rows / deviceCount;
    const qint64 dayStart = kStartMs + std::max<qint64>(0, stepsPerDevice * kStepMs / 2 - kDayMs / 2);
    std::vector<double> ms;
    for (int r = 0; r < reads; ++r) {
        QElapsedTimer t;
        t.start();
        auto series = store.readDevice(devices[(r * 37) % deviceCount], dayStart, dayStart + kDayMs - 1);
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        if (!series) {
            std::fprintf(stderr, "read: %s\n", qPrintable(series.error().toString()));
            return false;
        }
        f.readRows = series->size();
    }
    std::sort(ms.begin(), ms.end());
    f.readMedianMs = ms[ms.size() / 2];
    f.readMaxMs = ms.back();
    return true;
}

void print(const char* backend, qint64 rows, const Figures& f) {
    std::printf("%-10s rows=%-9lld insert=%9.0f rows/s  re-insert(dup)=%9.0f rows/s  device-day read: %zu rows, "
                "median %.1f ms, max %.1f ms\n",
                backend, static_cast<long long>(rows), f.insertRowsPerS, f.reinsertRowsPerS, f.readRows,
                f.readMedianMs, f.readMaxMs);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    qint64 rows = 1'000'000;
    int devices = 100;
    int batchRows = 5000;
    int reads = 20;
    QString backend = QStringLiteral("both");
    QString pgUrl;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString& a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == QLatin1String("--rows")) rows = next.toLongLong(), ++i;
        else if (a == QLatin1String("--devices")) devices = next.toInt(), ++i;
        else if (a == QLatin1String("--batch")) batchRows = next.toInt(), ++i;
        else if (a == QLatin1String("--reads")) reads = next.toInt(), ++i;
        else if (a == QLatin1String("--backend")) backend = next, ++i;
        else if (a == QLatin1String("--pg-url")) pgUrl = next, ++i;
        else {
            std::fprintf(stderr,
                         "usage: store_bench [--rows N] [--devices D] [--batch B] [--reads R] "
                         "[--backend sqlite|pg|both] [--pg-url postgresql://...]\n");
            return 2;
        }
    }
    if (rows <= 0 || devices <= 0 || batchRows <= 0 || reads <= 0) {
        std::fprintf(stderr, "store_bench: counts must be positive\n");
        return 2;
    }

    int failures = 0;
    if (backend == QLatin1String("sqlite") || backend == QLatin1String("both")) {
        QTemporaryDir dir;
        Figures f;
        if (dir.isValid() && run(dir.filePath(QStringLiteral("bench.db")), rows, devices, batchRows, reads, f))
            print("sqlite", rows, f);
        else
            ++failures;
    }
    if (backend == QLatin1String("pg") || backend == QLatin1String("both")) {
        itap::test::PgServer server;
        QString url = pgUrl;
        if (url.isEmpty()) {
            itap::test::PgServer::Options options;
            options.durable = true;
            options.sharedBuffers = QStringLiteral("512MB");
            if (!server.start(options) || !server.createDatabase(QStringLiteral("bench"))) {
                std::fprintf(stderr, "PostgreSQL: %s\n", qPrintable(server.reason()));
                return 1;
            }
            url = server.url(QStringLiteral("bench"));
        }
        Figures f;
        if (run(url, rows, devices, batchRows, reads, f))
            print("postgresql", rows, f);
        else
            ++failures;
    }
    return failures == 0 ? 0 : 1;
}
