// itap bench: times every pipeline stage separately on a simulated fleet (issue 8).
//
// Each stage goes through the same core call the pipeline makes (FleetSimulator::writeCsv, validateFile,
// ingestFile, computeFleetFeatures, trainOnFleet, scoreFleet, Store::replaceScores, evaluate, Explainer,
// IncidentEngine, Aggregator), in pipeline order, on one thread that owns the store; the stages spread their own
// work over the cores as they do in `itap run`.
#include "cli/cli_common.h"
#include "cli/commands.h"

#include "aggregate/aggregator.h"
#include "alerts/incident_engine.h"
#include "evaluate/metrics.h"
#include "explain/explainer.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/operating_point.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"
#include "telemetry/simulation_profile.h"
#include "validation/validator.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace itap::cli {
namespace {

/// A stage whose first run is shorter than this is repeated (--repeat) and its median reported.
constexpr double kShortStageS = 2.0;

struct StageFigures {
    QString name;
    double wallS = 0;  ///< median wall time of the runs
    double cpuS = 0;   ///< process CPU time (all threads, user + system) of the median run
    qint64 items = 0;  ///< what the stage worked on (rows, training rows, flagged rows)
    QString itemName;  ///< "rows", "training rows", "flagged rows"
    int runs = 0;
    double peakRssMb = 0;  ///< VmHWM reached during the stage (reset before it); 0 when not measurable
};

double processCpuS() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec) + double(u.ru_stime.tv_sec) +
           1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// ru_maxrss: the process's peak resident set (KiB on Linux).
double maxRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

/// A "Key:   123 kB" line of /proc/self/status in MiB; 0 when unavailable (not Linux).
double procStatusMb(const char* key) {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (!line.startsWith(prefix))
            continue;
        const QList<QByteArray> parts = line.mid(prefix.size()).simplified().split(' ');
        return parts.isEmpty() ? 0 : parts.first().toDouble() / 1024.0;
    }
    return 0;
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0), so that each stage's own peak can be read afterwards.
bool resetPeakRss() {
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

QString cpuModel() {
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return QStringLiteral("unknown");
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("model name"))
            return QString::fromLatin1(line.mid(line.indexOf(':') + 1).trimmed());
    return QStringLiteral("unknown");
}

/// Runs `fn` once, and `repeat` times in all when the first run is short; keeps the median. `fn` must give
/// the same result on every run (each run replaces the previous run's output).
Status timeStage(StageFigures& s, int repeat, const std::function<Status()>& fn) {
    const bool perStagePeak = resetPeakRss();
    std::vector<std::pair<double, double>> runs;  // wall, cpu
    for (int i = 0; i < std::max(1, repeat); ++i) {
        QElapsedTimer clock;
        const double cpu0 = processCpuS();
        clock.start();
        if (Status st = fn(); !st)
            return st;
        runs.emplace_back(double(clock.nsecsElapsed()) * 1e-9, processCpuS() - cpu0);
        if (runs.front().first >= kShortStageS)
            break;
    }
    std::sort(runs.begin(), runs.end());
    const auto& median = runs[runs.size() / 2];
    s.wallS = median.first;
    s.cpuS = median.second;
    s.runs = int(runs.size());
    s.peakRssMb = perStagePeak ? procStatusMb("VmHWM") : 0;
    return {};
}

/// Moves a stage's result into `into` (the previous run's result is replaced), or passes its error on.
template <typename T>
Status assign(Result<T> result, T& into) {
    if (!result)
        return result.error();
    into = std::move(result).value();
    return {};
}

/// Removes a SQLite database and its WAL side files (the ingest stage starts from an empty database).
void removeDatabase(const QString& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) QFile::remove(path + QLatin1String(suffix));
}

QString fixed(double v, int decimals) {
    return QString::number(v, 'f', decimals);
}

QString rate(double rowsPerS) {
    if (rowsPerS >= 1e6)
        return QStringLiteral("%1 M").arg(rowsPerS / 1e6, 0, 'f', 2);
    if (rowsPerS >= 1e3)
        return QStringLiteral("%1 k").arg(rowsPerS / 1e3, 0, 'f', 1);
    return QString::number(rowsPerS, 'f', 0);
}

}  // namespace

int runBench(const QStringList& args) {
    const QString cmd = QStringLiteral("bench");
    QCommandLineParser p;
    p.addOption({QStringLiteral("devices"), QStringLiteral("Devices of the simulated fleet (default 50)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("hours"), QStringLiteral("Simulated hours at 10 s (default 48)."),
                 QStringLiteral("H")});
    p.addOption({QStringLiteral("rows"),
                 QStringLiteral("Approximate fleet size in rows instead of --hours (hours are rounded up)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads, 0 = all cores (default)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("repeat"),
                 QStringLiteral("Runs of each stage shorter than 2 s; the median is reported (default 3)."),
                 QStringLiteral("R")});
    p.addOption({QStringLiteral("keep"),
                 QStringLiteral("Write the CSV and the database into DIR and keep them (default: a temporary "
                                "directory, removed afterwards)."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object instead of the table.")});
    int code = 0;
    if (!parseCommand(
            p, cmd,
            QStringLiteral("Time every stage of the pipeline on a simulated fleet: generate, validate, "
                           "ingest, features, train, score, store_scores, sweep, operating_point, explain, incidents, "
                           "aggregate. Reports wall and process CPU time, rows/s (fleet rows per "
                           "second of wall time) and peak memory per stage. Stages shorter than 2 s "
                           "are repeated and their median is reported."),
            args, code))
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(cmd,
                          QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    if (p.isSet(QStringLiteral("rows")) && p.isSet(QStringLiteral("hours")))
        return usageError(cmd, QStringLiteral("give --rows or --hours, not both"));

    QString error;
    auto devices = intOption(p, QStringLiteral("devices"), 50, 1, 9999, error);
    auto hours = intOption(p, QStringLiteral("hours"), 48, 1, 87840, error);
    auto rows = intOption(p, QStringLiteral("rows"), 0, 1, qint64(1) << 34, error);
    auto threads = intOption(p, QStringLiteral("threads"), 0, 0, 1024, error);
    auto repeat = intOption(p, QStringLiteral("repeat"), 3, 1, 100, error);
    if (!devices || !hours || !rows || !threads || !repeat)
        return usageError(cmd, error);

    SimulationProfile profile = SimulationProfile::defaults();
    profile.devices = int(*devices);
    profile.hours = int(*hours);
    profile.intervalS = 10;
    if (*rows > 0) {
        const qint64 perDeviceHour = 3600 / profile.intervalS;
        if (!p.isSet(QStringLiteral("devices")))
            profile.devices = int(std::clamp<qint64>((*rows + perDeviceHour - 1) / perDeviceHour, 1, 50));
        const qint64 perHour = perDeviceHour * profile.devices;
        const qint64 h = (*rows + perHour - 1) / perHour;
        if (h > 87840)
            return usageError(cmd,
                              QStringLiteral("--rows: too many rows for %1 devices").arg(profile.devices));
        profile.hours = int(std::max<qint64>(1, h));
    }
    if (Status s = profile.validate(); !s)
        return reportError(cmd, s.error());
    const SensorCatalog catalog = SensorCatalog::defaults();
    const bool json = p.isSet(QStringLiteral("json"));
    const int nThreads = int(*threads);
    const int nRepeat = int(*repeat);

    std::unique_ptr<QTemporaryDir> tmp;
    QString dirPath;
    if (p.isSet(QStringLiteral("keep"))) {
        dirPath = p.value(QStringLiteral("keep"));
        if (!QDir().mkpath(dirPath))
            return reportError(cmd, Error::failure(QStringLiteral("cannot create directory"), dirPath));
    } else {
        tmp = std::make_unique<QTemporaryDir>();
        if (!tmp->isValid())
            return reportError(cmd, Error::failure(QStringLiteral("cannot create a temporary directory: ") +
                                                   tmp->errorString()));
        dirPath = tmp->path();
    }
    const QDir dir(dirPath);
    const QString csv = dir.filePath(QStringLiteral("bench.csv"));
    const QString db = dir.filePath(QStringLiteral("bench.db"));

    // Pipeline defaults, exactly as `itap run` sets them (trainModel and scoreWithModel).
    TrainConfig config;
    config.threads = nThreads;
    AnalysisOptions options;
    options.threads = nThreads;

    std::vector<StageFigures> stages;
    qint64 fleetRows = 0;
    auto stage = [&](const QString& name, const std::function<Status()>& fn) -> Status {
        StageFigures s;
        s.name = name;
        s.itemName = QStringLiteral("rows");
        if (!json)
            std::fprintf(stderr, "itap bench: %s...\n", qPrintable(name));
        if (Status st = timeStage(s, nRepeat, fn); !st)
            return st;
        s.items = fleetRows;  // stages that work on fewer items overwrite this afterwards
        stages.push_back(s);
        return {};
    };
    auto fail = [&](const Status& s) { return reportError(cmd, s.error()); };

    const FleetSimulator sim(profile, catalog);
    if (Status s = stage(QStringLiteral("generate"),
                         [&]() -> Status {
                             auto summary = sim.writeCsv(csv);
                             if (!summary)
                                 return summary.error();
                             fleetRows = summary->rows;
                             return {};
                         });
        !s)
        return fail(s);

    if (Status s = stage(QStringLiteral("validate"),
                         [&]() -> Status {
                             auto report = validateFile(csv, catalog, ValidationOptions{}, {});
                             if (!report)
                                 return report.error();
                             if (report->rowsRejected() > 0)
                                 return Error::failure(
                                     QStringLiteral("the simulated fleet has rejected rows"), csv);
                             return {};
                         });
        !s)
        return fail(s);

    std::unique_ptr<Store> store;
    if (Status s = stage(QStringLiteral("ingest"),
                         [&]() -> Status {
                             store.reset();
                             removeDatabase(db);
                             auto opened = Store::open(db, &catalog);
                             if (!opened)
                                 return opened.error();
                             store = std::move(opened).value();
                             auto outcome = ingestFile(csv, *store, IngestOptions{}, {});
                             if (!outcome)
                                 return outcome.error();
                             if (outcome->run.inserted != fleetRows)
                                 return Error::failure(QStringLiteral("ingest stored %1 of %2 rows")
                                                           .arg(outcome->run.inserted)
                                                           .arg(fleetRows));
                             return {};
                         });
        !s)
        return fail(s);

    auto engine = FeatureEngine::create(catalog, config.features);
    if (!engine)
        return reportError(cmd, engine.error());
    FleetFeatures fleet;
    if (Status s =
            stage(QStringLiteral("features"),
                  [&] {
                      fleet = FleetFeatures{};  // free the previous run's matrices before computing again
                      return assign(computeFleetFeatures(*store, *engine, config.span, nThreads, {}), fleet);
                  });
        !s)
        return fail(s);

    const ModelParams params =
        trainingParams(config, catalog, fleet.schema);  // what trainModel() trains with
    AnomalyModel model;
    if (Status s =
            stage(QStringLiteral("train"), [&] { return assign(trainOnFleet(fleet, params, {}), model); });
        !s)
        return fail(s);
    stages.back().items = model.trainRows();
    stages.back().itemName = QStringLiteral("training rows");

    if (Status s = stage(QStringLiteral("score"), [&] { return scoreFleet(model, fleet, nThreads, {}); }); !s)
        return fail(s);
    if (Status s = stage(QStringLiteral("store_scores"), [&] { return store->replaceScores(fleet.table); });
        !s)
        return fail(s);

    // analyse(), stage by stage.
    const ScoreTable& t = fleet.table;
    Metrics metrics;
    if (Status s =
            stage(QStringLiteral("sweep"), [&] { return assign(evaluate(t, options.evaluation), metrics); });
        !s)
        return fail(s);
    // As analyse(): the incident-level operating point on the filtered scores.
    std::vector<float> filtered;
    double threshold = thresholdOrNone(metrics.selection.threshold);
    if (Status s = stage(QStringLiteral("operating_point"),
                         [&]() -> Status {
                             filtered = filterIncidentScores(t, options.rules.incidents());
                             if (!metrics.selection.threshold ||
                                 options.operatingPoint != OperatingPointLevel::Incidents)
                                 return {};
                             const bool labelFree = options.evaluation.thresholdRule == ThresholdRule::LabelFree ||
                                                    metrics.selection.rule == SelectionRule::LabelFree;
                             const IncidentOperatingPoint point =
                                 labelFree ? chooseIncidentThresholdByBudget(t, filtered, options.rules, nThreads)
                                           : chooseIncidentThresholdByLabels(t, filtered, options.rules, nThreads);
                             if (point.threshold)
                                 threshold = *point.threshold;
                             return {};
                         });
        !s)
        return fail(s);
    std::vector<ExplainRequest> requests;
    for (const std::size_t r : t.rowsAtOrAbove(threshold))
        requests.push_back({r, t.devices.at(t.device[r]), fleet.featureRow(r), t.state[r]});
    const Explainer explainer(model, fleet.schema);
    std::vector<Explanation> explanations;
    if (Status s = stage(QStringLiteral("explain"),
                         [&]() -> Status {
                             explanations = explainer.explainRows(requests, nThreads);
                             return {};
                         });
        !s)
        return fail(s);
    stages.back().items = qint64(requests.size());
    stages.back().itemName = QStringLiteral("flagged rows");

    std::vector<Alert> alerts;
    std::vector<std::size_t> flagged;
    for (const ExplainRequest& r : requests) flagged.push_back(r.row);
    const IncidentEngine incidentEngine(options.rules);
    if (Status s = stage(QStringLiteral("incidents"),
                         [&]() -> Status {
                             alerts = incidentEngine.run(t, filtered, threshold, flagged, explanations, fleet.schema)
                                          .incidents;
                             return {};
                         });
        !s)
        return fail(s);
    AggregateSummary aggregate;
    if (Status s = stage(QStringLiteral("aggregate"),
                         [&] {
                             const Aggregator aggregator(options.aggregate);
                             return assign(aggregator.run(t, threshold, explanations, alerts, catalog),
                                           aggregate);
                         });
        !s)
        return fail(s);

    double totalWall = 0, totalCpu = 0;
    for (const auto& s : stages) {
        totalWall += s.wallS;
        totalCpu += s.cpuS;
    }
    // clear_refs also lowers the counter ru_maxrss reads, so the process peak is the highest stage peak.
    double vmHwm = procStatusMb("VmHWM");
    for (const auto& s : stages) vmHwm = std::max(vmHwm, s.peakRssMb);
    const double peakRss = std::max(maxRssMb(), vmHwm);
    const int cores = QThread::idealThreadCount();
    const QString cpu = cpuModel();
    const double rowsD = double(std::max<qint64>(1, fleetRows));

    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& s : stages)
            list.push_back({{"name", s.name.toStdString()},
                            {"wall_s", s.wallS},
                            {"cpu_s", s.cpuS},
                            {"rows_per_s", s.wallS > 0 ? rowsD / s.wallS : 0.0},
                            {"items", s.items},
                            {"item", s.itemName.toStdString()},
                            {"runs", s.runs},
                            {"peak_rss_mb", s.peakRssMb}});
        printJson({{"machine", {{"cores", cores}, {"cpu_model", cpu.toStdString()}}},
                   {"rows", fleetRows},
                   {"devices", profile.devices},
                   {"hours", profile.hours},
                   {"interval_s", profile.intervalS},
                   {"threads", nThreads},
                   {"repeat", nRepeat},
                   {"window", config.features.window},
                   {"trees", config.model.forest.trees},
                   {"sample_size", config.model.forest.sampleSize},
                   {"flagged_rows", requests.size()},
                   {"alerts", alerts.size()},
                   {"stages", list},
                   {"total_s", totalWall},
                   {"total_cpu_s", totalCpu},
                   {"peak_rss_mb", peakRss},
                   {"vm_hwm_mb", vmHwm}});
        return kExitOk;
    }

    QString out = QStringLiteral(
                      "itap bench: %1 rows (%2 devices x %3 h at %4 s), window %5, %6 trees, psi %7\n"
                      "machine: %8, %9 cores; threads %10; stages < %11 s: median of %12 runs\n\n")
                      .arg(fleetRows)
                      .arg(profile.devices)
                      .arg(profile.hours)
                      .arg(profile.intervalS)
                      .arg(config.features.window)
                      .arg(config.model.forest.trees)
                      .arg(config.model.forest.sampleSize)
                      .arg(cpu)
                      .arg(cores)
                      .arg(nThreads == 0 ? QStringLiteral("all") : QString::number(nThreads))
                      .arg(kShortStageS)
                      .arg(nRepeat);
    out += QStringLiteral("%1 %2 %3 %4 %5 %6  %7\n")
               .arg(QStringLiteral("stage"), -15)
               .arg(QStringLiteral("wall s"), 9)
               .arg(QStringLiteral("cpu s"), 9)
               .arg(QStringLiteral("cpu/wall"), 8)
               .arg(QStringLiteral("rows/s"), 10)
               .arg(QStringLiteral("peak MB"), 8)
               .arg(QStringLiteral("work"));
    for (const auto& s : stages) {
        out += QStringLiteral("%1 %2 %3 %4 %5 %6  %7 %8%9\n")
                   .arg(s.name, -15)
                   .arg(fixed(s.wallS, 3), 9)
                   .arg(fixed(s.cpuS, 3), 9)
                   .arg(fixed(s.wallS > 0 ? s.cpuS / s.wallS : 0, 2), 8)
                   .arg(rate(s.wallS > 0 ? rowsD / s.wallS : 0), 10)
                   .arg(fixed(s.peakRssMb, 0), 8)
                   .arg(s.items)
                   .arg(s.itemName)
                   .arg(s.runs > 1 ? QStringLiteral(" (median of %1)").arg(s.runs) : QString());
    }
    out += QStringLiteral("%1 %2 %3 %4 %5\n")
               .arg(QStringLiteral("total"), -15)
               .arg(fixed(totalWall, 3), 9)
               .arg(fixed(totalCpu, 3), 9)
               .arg(fixed(totalWall > 0 ? totalCpu / totalWall : 0, 2), 8)
               .arg(rate(totalWall > 0 ? rowsD / totalWall : 0), 10);
    out += QStringLiteral("\npeak RSS %1 MB (ru_maxrss; VmHWM %2 MB); %3 flagged rows, %4 alerts")
               .arg(fixed(peakRss, 0), fixed(vmHwm, 0))
               .arg(requests.size())
               .arg(alerts.size());
    if (!tmp)
        out += QStringLiteral("\nkept %1 and %2").arg(csv, db);
    printText(out);
    return kExitOk;
}

}  // namespace itap::cli
