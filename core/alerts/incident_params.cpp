#include "alerts/incident_params.h"

#include "common/json_util.h"

#include <nlohmann/json.hpp>

namespace itap {

QString consequenceName(Consequence c) {
    switch (c) {
        case Consequence::Low:
            return QStringLiteral("low");
        case Consequence::Medium:
            return QStringLiteral("medium");
        case Consequence::High:
            return QStringLiteral("high");
    }
    return QStringLiteral("medium");
}

Status IncidentParams::validate(const QString& source) const {
    auto bad = [&](const char* key, const QString& what) {
        return Error::badInput(QStringLiteral("incidents.%1: %2").arg(QString::fromUtf8(key), what), source);
    };
    auto seconds = [&](const char* key, double v, double max) -> Status {
        if (!(v >= 0 && v <= max))
            return bad(key, QStringLiteral("expected seconds in [0, %1], got %2").arg(max).arg(v));
        return {};
    };
    if (Status s = seconds("filter_s", filterS, 3600); !s)
        return s;
    if (Status s = seconds("on_delay_s", onDelayS, 3600); !s)
        return s;
    if (Status s = seconds("off_delay_s", offDelayS, kMaxSeconds); !s)
        return s;
    if (Status s = seconds("suppress_after_state_change_s", suppressAfterStateChangeS, kMaxSeconds); !s)
        return s;
    if (Status s = seconds("match_tolerance_s", matchToleranceS, kMaxSeconds); !s)
        return s;
    if (!(diagnosticMinS >= 1 && diagnosticMinS <= kMaxSeconds))
        return bad(
            "diagnostic_min_s",
            QStringLiteral("expected seconds in [1, %1], got %2").arg(kMaxSeconds).arg(diagnosticMinS));
    if (!(diagnosticFactor >= 1 && diagnosticFactor <= 1000))
        return bad("diagnostic_factor",
                   QStringLiteral("expected a number in [1, 1000], got %1").arg(diagnosticFactor));
    if (!(clearRatio > 0 && clearRatio <= 1))
        return bad("clear_ratio",
                   QStringLiteral("expected a number in (0, 1] (the clear level must not lie above the raise "
                                  "level), got %1")
                       .arg(clearRatio));
    if (!(alarmMinConfidence >= 0 && alarmMinConfidence <= 1))
        return bad("alarm_min_confidence", QStringLiteral("expected a number in [0, 1]"));
    if (!(alarmMinMargin >= 0 && alarmMinMargin <= 1))
        return bad("alarm_min_margin", QStringLiteral("expected a number in [0, 1]"));
    if (fleetMinDevices < 2 || fleetMinDevices > 100000)
        return bad("fleet_min_devices", QStringLiteral("expected an integer in [2, 100000]"));
    if (!(minIncidentPrecision >= 0 && minIncidentPrecision <= 1))
        return bad("min_incident_precision", QStringLiteral("expected a number in [0, 1]"));
    if (!(alarmsPerDeviceDay > 0 && alarmsPerDeviceDay <= 1000))
        return bad("alarms_per_device_day", QStringLiteral("expected a number in (0, 1000]"));
    return {};
}

nlohmann::json IncidentParams::toJson() const {
    return {{"filter_s", filterS},
            {"on_delay_s", onDelayS},
            {"clear_ratio", clearRatio},
            {"off_delay_s", offDelayS},
            {"alarm_min_confidence", alarmMinConfidence},
            {"alarm_min_margin", alarmMinMargin},
            {"suppress_maintenance", suppressMaintenance},
            {"suppress_after_state_change_s", suppressAfterStateChangeS},
            {"fleet_min_devices", fleetMinDevices},
            {"min_incident_precision", minIncidentPrecision},
            {"alarms_per_device_day", alarmsPerDeviceDay},
            {"match_tolerance_s", matchToleranceS},
            {"instrument_diagnostics", instrumentDiagnostics},
            {"diagnostic_min_s", diagnosticMinS},
            {"diagnostic_factor", diagnosticFactor}};
}

Result<IncidentParams> IncidentParams::fromJson(const nlohmann::json& j, const QString& source) {
    if (!j.is_object())
        return Error::badInput(QStringLiteral("incidents: expected an object"), source);
    const JsonReader r(j, source, QStringLiteral("incidents"));
    if (Status s = r.rejectUnknownKeys(
            {"filter_s", "on_delay_s", "clear_ratio", "off_delay_s", "alarm_min_confidence",
             "alarm_min_margin", "suppress_maintenance", "suppress_after_state_change_s", "fleet_min_devices",
             "min_incident_precision", "alarms_per_device_day", "match_tolerance_s", "instrument_diagnostics",
             "diagnostic_min_s", "diagnostic_factor"});
        !s)
        return s.error();
    IncidentParams p;
    for (auto [key, field] : {std::pair{"filter_s", &p.filterS}, std::pair{"on_delay_s", &p.onDelayS},
                              std::pair{"clear_ratio", &p.clearRatio}, std::pair{"off_delay_s", &p.offDelayS},
                              std::pair{"alarm_min_confidence", &p.alarmMinConfidence},
                              std::pair{"alarm_min_margin", &p.alarmMinMargin},
                              std::pair{"suppress_after_state_change_s", &p.suppressAfterStateChangeS},
                              std::pair{"min_incident_precision", &p.minIncidentPrecision},
                              std::pair{"alarms_per_device_day", &p.alarmsPerDeviceDay},
                              std::pair{"match_tolerance_s", &p.matchToleranceS},
                              std::pair{"diagnostic_min_s", &p.diagnosticMinS},
                              std::pair{"diagnostic_factor", &p.diagnosticFactor}}) {
        auto v = r.number(key, *field);
        if (!v)
            return v.error();
        *field = *v;
    }
    auto maint = r.boolean("suppress_maintenance", p.suppressMaintenance);
    if (!maint)
        return maint.error();
    p.suppressMaintenance = *maint;
    auto diagnostics = r.boolean("instrument_diagnostics", p.instrumentDiagnostics);
    if (!diagnostics)
        return diagnostics.error();
    p.instrumentDiagnostics = *diagnostics;
    auto fleet = r.integer("fleet_min_devices", p.fleetMinDevices);
    if (!fleet)
        return fleet.error();
    if (*fleet < 2 || *fleet > 100000)
        return r.error("fleet_min_devices", QStringLiteral("expected an integer in [2, 100000]"));
    p.fleetMinDevices = static_cast<int>(*fleet);
    if (Status s = p.validate(source); !s)
        return s.error();
    return p;
}

}  // namespace itap
