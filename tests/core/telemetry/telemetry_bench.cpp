// Manual throughput check of the simulator + CSV writer (not a test: speed is never asserted).
// Usage: telemetry_bench [devices=50] [hours=48] [out.csv] (the CSV is kept only when a path is given)
#include "telemetry/fleet_simulator.h"
#include "telemetry/telemetry_csv_writer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <ctime>
#include <string>

using namespace itap;

namespace {
// CPU time of this thread: on a shared machine wall time mostly measures the neighbours.
double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}
}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    SimulationProfile p = SimulationProfile::defaults();
    p.devices = args.size() > 1 ? args[1].toInt() : 50;
    p.hours = args.size() > 2 ? args[2].toInt() : 48;
    const QString out = args.size() > 3 ? args[3] : QStringLiteral("/tmp/itap_bench.csv");
    const FleetSimulator sim(p, SensorCatalog::defaults());

    QElapsedTimer t;
    t.start();
    double cpu = cpuSeconds();
    qint64 rows = 0;
    auto gen = sim.generate([&](const TelemetryBatch& b) {
        rows += qint64(b.rowCount());
        return Status();
    });
    const double genS = double(t.nsecsElapsed()) / 1e9;
    const double genCpu = cpuSeconds() - cpu;
    if (!gen)
        return 1;

    TelemetryCsvWriter writer(SensorCatalog::defaults());
    std::vector<TelemetryBatch> batches;
    (void)sim.generate([&](const TelemetryBatch& b) {
        batches.push_back(b);
        return Status();
    });
    std::string buf;
    t.restart();
    cpu = cpuSeconds();
    std::size_t bytes = 0;
    for (const auto& b : batches) {
        buf.clear();
        writer.formatRows(b, buf);
        bytes += buf.size();
    }
    const double fmtS = double(t.nsecsElapsed()) / 1e9;
    const double fmtCpu = cpuSeconds() - cpu;

    t.restart();
    cpu = cpuSeconds();
    auto written = sim.writeCsv(out);
    const double allS = double(t.nsecsElapsed()) / 1e9;
    const double allCpu = cpuSeconds() - cpu;
    if (!written)
        return 1;

    std::printf("rows %lld, %zu bytes, %zu episodes\n", static_cast<long long>(rows), bytes,
                written->episodes.size());
    auto line = [rows](const char* what, double wall, double cpuS) {
        std::printf("%-18s wall %.3f s (%.2f M rows/s)  cpu %.3f s (%.2f M rows/s)\n", what, wall,
                    double(rows) / wall / 1e6, cpuS, double(rows) / cpuS / 1e6);
    };
    line("generate only", genS, genCpu);
    line("CSV formatting", fmtS, fmtCpu);
    line("generate+writeCsv", allS, allCpu);
    if (args.size() <= 3)
        QFile::remove(out);  // an explicit path is kept for inspection
    return 0;
}
