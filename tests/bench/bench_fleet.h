#pragma once

// Shared by the quality reports: the fleet options, and a simulated fleet ingested into a temporary database.

#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QCommandLineParser>
#include <QTemporaryDir>

#include <algorithm>
#include <memory>
#include <vector>

namespace itap::bench {

/// --devices, --hours, --seed, --window, --per-device-norm, --global-norm, --no-out-of-support, --detector.
inline void addFleetOptions(QCommandLineParser& p) {
    p.addOption({"devices", "Devices (default: profile).", "N"});
    p.addOption({"hours", "Hours (default: profile).", "H"});
    p.addOption({"seed", "Seed (default: profile).", "K"});
    p.addOption({"window", "Feature window in samples (default 30).", "N"});
    p.addOption({"per-device-norm", "Per-device (and state) normalisation."});
    p.addOption({"global-norm", "One scaler for everything."});
    p.addOption({"trees", "Isolation trees (default 200).", "N"});
    p.addOption({"sample-size", "Sub-sample size psi per tree (default 256).", "N"});
    p.addOption({"ignore-stats",
                 "Comma-separated channel statistics the forest leaves out (default: the pipeline's).",
                 "LIST"});
    p.addOption(
        {"no-regime-scaling", "Train without the per-regime standardisation (ModelParams::regimeScaling)."});
    p.addOption({"no-out-of-support", "Score without out-of-support isolation (ModelParams::outOfSupport)."});
    p.addOption(
        {"detector", "Detectors that make the score: forest, pca or combined (ModelParams::detector).", "D"});
}

/// ROC-AUC of `positive` against `sortedNegative` (ascending, not empty): the Mann–Whitney statistic, ties
/// counted half.
inline double rocAucAgainstSorted(const std::vector<float>& positive,
                                  const std::vector<float>& sortedNegative) {
    double u = 0;
    for (float p : positive) {
        const auto lo = std::lower_bound(sortedNegative.begin(), sortedNegative.end(), p);
        const auto hi = std::upper_bound(lo, sortedNegative.end(), p);
        u += double(lo - sortedNegative.begin()) + 0.5 * double(hi - lo);
    }
    return u / (double(positive.size()) * double(sortedNegative.size()));
}

struct SimulatedFleet {
    std::unique_ptr<QTemporaryDir> dir = std::make_unique<QTemporaryDir>();
    SimulationProfile profile;
    SensorCatalog catalog = SensorCatalog::defaults();
    qint64 rows = 0;
    std::vector<SimulatedEpisode> episodes;  ///< the injected faults, as the simulator recorded them
    std::unique_ptr<Store> store;
    TrainConfig config;  ///< the training configuration the options ask for
};

/// Simulates the fleet the options describe and ingests it into a temporary SQLite database.
inline Result<SimulatedFleet> simulateFleet(const QCommandLineParser& p) {
    SimulatedFleet f;
    f.profile = SimulationProfile::defaults();
    if (p.isSet("devices"))
        f.profile.devices = p.value("devices").toInt();
    if (p.isSet("hours"))
        f.profile.hours = p.value("hours").toInt();
    if (p.isSet("seed"))
        f.profile.seed = p.value("seed").toULongLong();
    if (Status s = f.profile.validate(); !s)
        return s.error();
    const QString csv = f.dir->filePath("fleet.csv");
    auto summary = FleetSimulator(f.profile, f.catalog).writeCsv(csv);
    if (!summary)
        return summary.error();
    f.rows = summary->rows;
    f.episodes = summary->episodes;
    auto store = Store::open(f.dir->filePath("fleet.db"), &f.catalog);
    if (!store)
        return store.error();
    f.store = std::move(store).value();
    if (auto r = ingestFile(csv, *f.store, {}, {}); !r)
        return r.error();
    if (p.isSet("per-device-norm"))
        f.config.model.scaler.mode = ScalingMode::PerDeviceState;
    if (p.isSet("global-norm"))
        f.config.model.scaler.mode = ScalingMode::Global;
    if (p.isSet("no-regime-scaling"))
        f.config.model.regimeScaling = false;
    if (p.isSet("no-out-of-support"))
        f.config.model.outOfSupport = false;
    if (p.isSet("detector")) {
        const auto detector = detectorChoiceFromName(p.value("detector"));
        if (!detector)
            return Error::badInput(QStringLiteral("--detector: expected forest, pca or combined"));
        f.config.model.detector = *detector;
    }
    if (p.isSet("trees"))
        f.config.model.forest.trees = p.value("trees").toInt();
    if (p.isSet("sample-size"))
        f.config.model.forest.sampleSize = p.value("sample-size").toInt();
    if (p.isSet("ignore-stats"))
        f.config.ignoredStats = p.value("ignore-stats").split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (p.isSet("window"))
        f.config.features.window = p.value("window").toInt();
    return f;
}

}  // namespace itap::bench
