#pragma once

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace itap {

/// One injected fault episode: every row of `deviceId` from startMs to endMs carries `tag`.
struct SimulatedEpisode {
    QString deviceId;
    QString tag;         ///< fault::kOverheat, ...
    qint64 startMs = 0;  ///< timestamp of the first labelled row
    qint64 endMs = 0;    ///< timestamp of the last labelled row (inclusive)
    QString channel;     ///< sensor_dropout: the affected channel; empty for other faults
    bool stuck = false;  ///< sensor_dropout: frozen at the last value (true) or empty cells (false)
    /// overheat: peak temperature rise (°C); bearing_wear: vibration factor at the end;
    /// power_spike: largest relative voltage step applied; sensor_dropout: 0.
    double magnitude = 0;
};

/// What a simulation run produced.
struct SimulationSummary {
    qint64 rows = 0;
    int devices = 0;
    int intervalS = 0;
    qint64 startMs = 0;                      ///< first timestamp
    qint64 endMs = 0;                        ///< last timestamp (inclusive)
    qint64 faultRows = 0;                    ///< rows with a non-empty fault_tag
    std::vector<SimulatedEpisode> episodes;  ///< ordered by startMs, then device id

    /// {"schema_version":1, "rows", "devices", "interval_s", "start", "end", "fault_rows", "episodes":[...]}.
    [[nodiscard]] nlohmann::json toJson() const;
};

}  // namespace itap
