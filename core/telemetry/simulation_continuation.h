#pragma once

// Live mode's simulated stream: the profile that carries a stored fleet on past its last sample, and how many
// of its samples replay the stored span before the live rows start.

#include "common/analysis_types.h"
#include "telemetry/simulation_profile.h"

#include <QtGlobal>

namespace itap {

/// A simulated fleet that continues a stored one.
struct SimulationContinuation {
    SimulationProfile profile;  ///< runs over the stored span and `liveHours` beyond it
    qint64 liveFromMs = 0;      ///< the first live sample; rows before it replay the stored span
    bool exact =
        false;  ///< true when `profile` produced the stored fleet, so the stream continues it exactly
};

/// The profile that simulated the stored fleet, run `liveHours` longer. The simulator is deterministic and
/// every device draws from its own stream, so the stored rows repeat bit for bit and then the fleet carries
/// on.
[[nodiscard]] SimulationContinuation continueSimulation(const SimulationProfile& simulated, int liveHours);

/// For a fleet that was not simulated here (an opened database): a default-profile fleet with the stored
/// fleet's device count, median sampling interval and time span stands in, and runs `liveHours` beyond it.
[[nodiscard]] SimulationContinuation standInSimulation(const ScoreTable& stored, int liveHours);

/// Samples per device of `profile` before `liveFromMs`: the history a live stream replays to fill its
/// windows.
[[nodiscard]] qint64 warmSamplesPerDevice(const SimulationProfile& profile, qint64 liveFromMs);

}  // namespace itap
