#pragma once

// How scores become incidents: the hysteresis of the alarm, what makes an incident an annunciated alarm or a
// recorded event, suppression by design, fleet grouping and the incident-level operating point. One struct,
// read from the "incidents" section of the rules file; every field's range is checked in validate().

#include "common/result.h"
#include "common/telemetry.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace itap {

/// A rule's consequence if its cause is real, for the priority matrix (ISA-18.2: consequence × urgency).
enum class Consequence : std::uint8_t { Low = 0, Medium = 1, High = 2 };

[[nodiscard]] QString consequenceName(Consequence c);  ///< "low", "medium" or "high"

/// Why an incident was not annunciated although it is an alarm (suppression by design, ISA-18.2).
enum class Suppression : std::uint8_t {
    None,
    Maintenance,      ///< raised while the device was in MAINT
    StateTransition,  ///< raised within the configured time after a state change of the device
};

struct IncidentParams {
    static constexpr double kMaxSeconds = 86400;

    /// Trailing mean of each device's score over this many seconds (the current sample and the earlier ones
    /// within the window); the hysteresis runs on this filtered score. 0 = the score itself. [0, 3600]
    double filterS = 120;
    /// On-delay: an incident is raised once the filtered score has stayed at or above the raise level (the
    /// operating threshold) for this long; a shorter excursion raises nothing. 0 = at the first sample.
    /// [0, 3600]
    double onDelayS = 30;
    /// Clear level as a fraction of the raise level: the deadband that keeps a score hovering at the
    /// threshold from chattering. (0, 1]
    double clearRatio = 0.97;
    /// Off-delay: an active incident clears once the filtered score has stayed below the clear level this
    /// long. [0, kMaxSeconds]
    double offDelayS = 300;
    /// An incident is an alarm when its cause (a matched rule's families, or the dominant family that
    /// describes an incident no rule matches) carries at least this share of its attribution. The default,
    /// 0.35, is about twice one family's share when the six families of the default catalog and data quality
    /// contribute alike. [0, 1]
    double alarmMinConfidence = 0.35;
    /// An incident without a confident cause is still annunciated when the relative margin of its peak
    /// filtered score, (peak − T) / (1 − T), reaches this; below it, it is an event (recorded, never
    /// annunciated). [0, 1]
    double alarmMinMargin = 0.35;
    /// Incidents raised while the device is in MAINT are recorded as suppressed, never annunciated.
    bool suppressMaintenance = true;
    /// Incidents raised within this many seconds after a state change of their device are recorded as
    /// suppressed (start-up and shut-down transients). 0 = off. [0, kMaxSeconds]
    double suppressAfterStateChangeS = 0;
    /// Alarms of one cause on at least this many devices, active at the same time, form one fleet incident
    /// that is annunciated once. [2, 100000]
    int fleetMinDevices = 3;
    /// Label-based operating point: the lowest threshold whose incident precision reaches this floor (event
    /// recall is then highest). [0, 1]
    double minIncidentPrecision = 0.8;
    /// Label-free operating point: the lowest threshold that raises at most this many incidents per
    /// device-day on the training span. (0, 1000]
    double alarmsPerDeviceDay = 1.0;
    /// An incident counts as a true alarm when it overlaps a real fault episode or starts at most this many
    /// seconds after the episode's end (the features still see the episode). [0, kMaxSeconds]
    double matchToleranceS = 300;
    /// Instrument diagnostics (common/signal_health.h): a channel missing, or repeating one value exactly,
    /// for longer than diagnosticFactor × the longest such run of that channel in the normal training rows
    /// (in the same operating state), and at least diagnosticMinS, holds its device's alarm up as if the
    /// filtered score stood at the threshold, and each such row is evidence of the Missingness family (the
    /// sensor_fault rule) as strong as a row at the top of the score range. The hysteresis and its delays
    /// apply as to any excursion.
    bool instrumentDiagnostics = true;
    /// [1, kMaxSeconds]
    double diagnosticMinS = 60;
    /// [1, 1000]
    double diagnosticFactor = 2;

    [[nodiscard]] qint64 filterMs() const { return toMs(filterS); }
    [[nodiscard]] qint64 onDelayMs() const { return toMs(onDelayS); }
    [[nodiscard]] qint64 offDelayMs() const { return toMs(offDelayS); }
    [[nodiscard]] qint64 suppressAfterStateChangeMs() const { return toMs(suppressAfterStateChangeS); }
    [[nodiscard]] qint64 matchToleranceMs() const { return toMs(matchToleranceS); }
    [[nodiscard]] qint64 diagnosticMinMs() const { return toMs(diagnosticMinS); }

    /// Whether an incident raised at `tsMs` in `state` is suppressed by design, and why; `lastStateChangeMs`
    /// is the device's latest state change before it (empty when none was seen). The tracker and the
    /// operating-point search both ask here.
    [[nodiscard]] Suppression suppressionAt(OpState state, qint64 tsMs,
                                            std::optional<qint64> lastStateChangeMs) const {
        if (suppressMaintenance && state == OpState::Maint)
            return Suppression::Maintenance;
        if (suppressAfterStateChangeS > 0 && lastStateChangeMs &&
            tsMs - *lastStateChangeMs < suppressAfterStateChangeMs())
            return Suppression::StateTransition;
        return Suppression::None;
    }

    /// The one place the ranges above are checked; the error names the field as the rules file spells it.
    [[nodiscard]] Status validate(const QString& source = {}) const;
    [[nodiscard]] nlohmann::json toJson() const;
    /// Reads the "incidents" object; absent keys keep their defaults, unknown keys are an error.
    [[nodiscard]] static Result<IncidentParams> fromJson(const nlohmann::json& j, const QString& source);

private:
    [[nodiscard]] static qint64 toMs(double s) { return static_cast<qint64>(s * 1000.0 + 0.5); }
};

}  // namespace itap
