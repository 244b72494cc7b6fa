// Throughput of TelemetryCsvReader and validateFile on a canonical CSV (5 channels, 50 devices).
// Usage: csv_reader_bench [rows | file.csv]
//   rows      generate that many rows in a temporary file (default 2,000,000)
//   file.csv  read that file; it is generated with 2,000,000 rows first when it does not exist
// Prints rows/s by wall clock and by CPU time (the fair figure on a shared machine); asserts nothing.

#include "core/validation/validation_test_util.h"
#include "validation/csv_reader.h"
#include "validation/validator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>

using namespace itap;

namespace {

bool generate(const QString& path, qint64 rows) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray chunk = testutil::kHeader + '\n';
    for (qint64 i = 0; i < rows; ++i) {
        const QByteArray id = "DEV-00" + QByteArray::number(10 + i % 50);
        chunk +=
            testutil::goodRow(id, static_cast<int>(i / 50), 10000, i % 1000 == 0 ? "overheat" : "") + '\n';
        if (chunk.size() > (8 << 20)) {
            f.write(chunk);
            chunk.clear();
        }
    }
    return f.write(chunk) == chunk.size();
}

struct Clock {
    QElapsedTimer wall;
    std::clock_t cpu0 = std::clock();
    Clock() { wall.start(); }
    [[nodiscard]] double wallSeconds() const { return static_cast<double>(wall.nsecsElapsed()) / 1e9; }
    [[nodiscard]] double cpuSeconds() const {
        return static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    }
};

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QString arg = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("bench.csv"));
    qint64 rows = 2'000'000;
    if (arg.endsWith(QStringLiteral(".csv"))) {
        path = arg;
        if (!QFile::exists(path) && !generate(path, rows))
            return 1;
    } else {
        if (!arg.isEmpty())
            rows = arg.toLongLong();
        if (!generate(path, rows))
            return 1;
    }
    const double mb = static_cast<double>(QFile(path).size()) / 1e6;
    std::printf("file: %s, %.1f MB\n", qPrintable(path), mb);

    for (int run = 0; run < 3; ++run) {
        const Clock clock;
        TelemetryCsvReader reader(SensorCatalog::defaults());
        if (!reader.open(path))
            return 1;
        TelemetryBatch batch;
        std::vector<RowIssue> issues;
        qint64 parsed = 0;
        for (;;) {
            auto more = reader.readBatch(batch, issues, 8192);
            if (!more)
                return 1;
            parsed += static_cast<qint64>(batch.rowCount());
            if (!*more)
                break;
        }
        const double cpu = clock.cpuSeconds();
        std::printf(
            "reader:       %.2f M rows/s wall, %.2f M rows/s CPU, %.0f MB/s CPU (%lld rows, %zu issues)\n",
            parsed / clock.wallSeconds() / 1e6, parsed / cpu / 1e6, mb / cpu, static_cast<long long>(parsed),
            issues.size());
    }
    for (int run = 0; run < 2; ++run) {
        const Clock clock;
        auto report = validateFile(path, SensorCatalog::defaults(), {}, {});
        if (!report)
            return 1;
        const double n = static_cast<double>(report->rowsRead());
        std::printf("validateFile: %.2f M rows/s wall, %.2f M rows/s CPU (%lld accepted)\n",
                    n / clock.wallSeconds() / 1e6, n / clock.cpuSeconds() / 1e6,
                    static_cast<long long>(report->rowsAccepted()));
    }
    return 0;
}
