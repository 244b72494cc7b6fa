#pragma once

// Shared by the quality reports: the fleet options, and a simulated fleet ingested into a temporary database.

#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QCommandLineParser>
#include <QTemporaryDir>

#include <memory>

namespace itap::bench {

/// --devices, --hours, --seed, --window, --per-device-norm, --global-norm, --no-out-of-support.
inline void addFleetOptions(QCommandLineParser& p) {
    p.addOption({"devices", "Devices (default: profile).", "N"});
    p.addOption({"hours", "Hours (default: profile).", "H"});
    p.addOption({"seed", "Seed (default: profile).", "K"});
    p.addOption({"window", "Feature window in samples (default 30).", "N"});
    p.addOption({"per-device-norm", "Per-device (and state) normalisation."});
    p.addOption({"global-norm", "One scaler for everything."});
    p.addOption({"no-out-of-support", "Score without out-of-support isolation (ModelParams::outOfSupport)."});
}

struct SimulatedFleet {
    std::unique_ptr<QTemporaryDir> dir = std::make_unique<QTemporaryDir>();
    SimulationProfile profile;
    SensorCatalog catalog = SensorCatalog::defaults();
    qint64 rows = 0;
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
    if (p.isSet("no-out-of-support"))
        f.config.model.outOfSupport = false;
    if (p.isSet("window"))
        f.config.features.window = p.value("window").toInt();
    return f;
}

}  // namespace itap::bench
