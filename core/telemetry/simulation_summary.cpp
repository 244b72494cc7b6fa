#include "telemetry/simulation_summary.h"

#include "common/time_util.h"

#include <nlohmann/json.hpp>

namespace itap {

nlohmann::json SimulationSummary::toJson() const {
    nlohmann::json eps = nlohmann::json::array();
    for (const auto& e : episodes) {
        nlohmann::json j = {{"device_id", e.deviceId.toStdString()},
                            {"fault_tag", e.tag.toStdString()},
                            {"start", formatUtcTimestamp(e.startMs).toStdString()},
                            {"end", formatUtcTimestamp(e.endMs).toStdString()},
                            {"magnitude", e.magnitude}};
        if (!e.channel.isEmpty()) {
            j["channel"] = e.channel.toStdString();
            j["mode"] = e.stuck ? "stuck" : "missing";
        }
        eps.push_back(std::move(j));
    }
    return {{"schema_version", 1},
            {"rows", rows},
            {"devices", devices},
            {"interval_s", intervalS},
            {"start", formatUtcTimestamp(startMs).toStdString()},
            {"end", formatUtcTimestamp(endMs).toStdString()},
            {"fault_rows", faultRows},
            {"episodes", std::move(eps)}};
}

}  // namespace itap
