#pragma once

// Crafted fleets for the alert and aggregate tests: a ScoreTable, its explanations and a small schema.

#include "alerts/incident_engine.h"
#include "common/analysis_types.h"
#include "common/json_util.h"

#include <QString>

#include <algorithm>
#include <vector>

namespace itap::fixtures {

/// 2026-01-01T00:00:00Z.
inline constexpr qint64 kT0 = 1767225600000;

/// Family shares for an Explanation (a QList) or an Alert / summary (a std::vector).
struct Shares : QList<FamilyShare> {
    using QList<FamilyShare>::QList;
    operator std::vector<FamilyShare>() const {
        return {begin(), end()};
    }  // NOLINT(google-explicit-constructor)
};

inline Shares shares(std::initializer_list<std::pair<const char*, double>> list) {
    Shares out;
    for (const auto& [f, p] : list) out.push_back({QString::fromLatin1(f), p});
    std::stable_sort(out.begin(), out.end(),
                     [](const FamilyShare& a, const FamilyShare& b) { return a.percent > b.percent; });
    return out;
}

/// Builds a ScoreTable row by row; add rows device by device in time order, as the pipeline does.
struct FleetBuilder {
    ScoreTable table;
    std::vector<Explanation> explanations;
    FeatureSchema schema;
    double threshold = 0.6;

    FleetBuilder() {
        const std::pair<const char*, const char*> cols[] = {{"voltage_v_max", "Voltage"},
                                                            {"current_a_delta", "Current"},
                                                            {"temp_c_trend", "Temperature"},
                                                            {"rpm_std", "RPM"},
                                                            {"vibration_mm_s_fft_energy", "Vibration"},
                                                            {"voltage_v_missing_frac", "Missingness"},
                                                            {"error_streak", "Operation"},
                                                            {"pressure_bar_mean", "Pressure"}};
        for (const auto& [name, fam] : cols) {
            schema.names.push_back(QString::fromLatin1(name));
            schema.families.push_back(QString::fromLatin1(fam));
            schema.channel.push_back(-1);
        }
        table.hasLabels = true;
    }

    int deviceIndex(const QString& device) {
        int i = static_cast<int>(table.devices.indexOf(device));
        if (i < 0) {
            table.devices << device;
            i = static_cast<int>(table.devices.size()) - 1;
        }
        return i;
    }

    /// Adds one row at kT0 + offsetS seconds. A flagged row with `families` also gets an explanation whose
    /// features are the first schema column of each family, with the family's percent.
    std::size_t add(const QString& device, qint64 offsetS, double score, QList<FamilyShare> families = {},
                    const QString& tag = {}, OpState state = OpState::Run) {
        const std::size_t row = table.size();
        table.device.push_back(deviceIndex(device));
        table.tsMs.push_back(kT0 + offsetS * 1000);
        table.state.push_back(state);
        table.score.push_back(static_cast<float>(score));
        table.faultTag.push_back(tag);
        table.train.push_back(0);
        if (score >= threshold && !families.empty()) {
            Explanation e;
            e.row = row;
            e.families = families;
            for (const FamilyShare& f : families) {
                const auto it = std::find(schema.families.begin(), schema.families.end(), f.family);
                if (it != schema.families.end())
                    e.features.push_back({static_cast<int>(it - schema.families.begin()), f.percent});
            }
            explanations.push_back(std::move(e));
        }
        return row;
    }
};

/// The shipped rules with the hysteresis switched off: no score filter, no on-delay, no deadband, no
/// off-delay and the given re-alarm window, so every run of consecutive flags of a device is one incident.
inline AlertRules immediateRules(double cooldownS = 0) {
    nlohmann::json j = AlertRules::defaults().toJson();
    j["cooldown_s"] = cooldownS;
    j["incidents"]["filter_s"] = 0;
    j["incidents"]["on_delay_s"] = 0;
    j["incidents"]["off_delay_s"] = 0;
    j["incidents"]["clear_ratio"] = 1.0;
    auto r = AlertRules::fromJson(j, QStringLiteral("immediateRules"));
    if (!r)
        qFatal("%s", qPrintable(r.error().toString()));
    return std::move(r).value();
}

/// IncidentEngine::run over the builder's fleet at its threshold.
inline IncidentList incidentListOf(const FleetBuilder& b, const AlertRules& rules = immediateRules()) {
    const std::vector<float> filtered = filterIncidentScores(b.table, rules.incidents());
    return IncidentEngine(rules).run(b.table, filtered, b.threshold, b.table.rowsAtOrAbove(b.threshold),
                                     b.explanations, b.schema);
}

inline std::vector<Alert> incidentsOf(const FleetBuilder& b, const AlertRules& rules = immediateRules()) {
    return incidentListOf(b, rules).incidents;
}

}  // namespace itap::fixtures
