#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "telemetry/simulation_profile.h"
#include "telemetry/simulation_summary.h"

#include <QString>

#include <functional>

namespace itap {

/// Simulates a fleet of machines and streams their telemetry (DESIGN.md §3 "Simulator").
///
/// Channels come from the sensor catalog and are modelled by family (Voltage, Current, Temperature, RPM,
/// Vibration); a channel of any other family gets a generic signal inside its valid range. Fault episodes
/// (overheat, bearing_wear, power_spike, sensor_dropout) are injected at the profile's rates and labelled
/// in fault_tag. Deterministic: the same profile and catalog give the same rows, bit for bit, on every
/// platform. generate() and writeCsv() are const and may run on a worker thread.
class FleetSimulator {
public:
    /// Rows per batch handed to the sink (~1–3 ms of work between progress calls).
    static constexpr int kBatchRows = 4096;

    FleetSimulator(SimulationProfile profile, SensorCatalog catalog);

    [[nodiscard]] const SimulationProfile& profile() const { return profile_; }
    [[nodiscard]] const SensorCatalog& catalog() const { return catalog_; }
    /// Rows that generate() will produce: devices × samples per device.
    [[nodiscard]] qint64 totalRows() const;

    /// Checks the profile and that every modelled channel's catalog range can hold the simulated process
    /// (e.g. a Temperature channel limited to 0–50 °C cannot carry a 60 °C motor). generate() calls it.
    [[nodiscard]] Status check() const;

    /// Streams the fleet in batches ordered by timestamp, then device id (like a fleet export).
    /// A sink error stops the run and is returned; progress returning false returns Error::cancelled().
    [[nodiscard]] Result<SimulationSummary> generate(const std::function<Status(const TelemetryBatch&)>& sink,
                                                     const ProgressFn& progress = {}) const;

    /// generate() into the canonical CSV at `path`, written as an OutputFile: for a regular file a cancelled
    /// or failed run leaves no file behind (and an existing file at `path` untouched).
    [[nodiscard]] Result<SimulationSummary> writeCsv(const QString& path,
                                                     const ProgressFn& progress = {}) const;

private:
    SimulationProfile profile_;
    SensorCatalog catalog_;
};

}  // namespace itap
