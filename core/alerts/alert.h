#pragma once

#include "alerts/incident_params.h"
#include "common/analysis_types.h"
#include "common/signal_health.h"
#include "common/telemetry.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <vector>

namespace itap {

/// How urgently an operator should look at an alert. Ordered: std::max gives the more urgent one.
enum class Severity : std::uint8_t { Info = 0, Warning = 1, Critical = 2 };
inline constexpr int kSeverityCount = 3;

/// "INFO", "WARNING" or "CRITICAL".
[[nodiscard]] QString severityName(Severity s);
[[nodiscard]] std::optional<Severity> parseSeverity(QStringView text);

/// EEMUA 191's line between what demands a response and what is only recorded.
enum class IncidentKind : std::uint8_t {
    Alarm,  ///< annunciated (unless suppressed or carried by a fleet incident)
    Event,  ///< recorded, listed and exported, never annunciated
};
[[nodiscard]] QString incidentKindName(IncidentKind k);  ///< "alarm" or "event"
[[nodiscard]] QString suppressionName(Suppression s);    ///< "", "maintenance" or "state_transition"

/// A change of an incident's cause while it was active: the evidence gathered since raising it pointed
/// elsewhere.
struct CauseRevision {
    qint64 tsMs = 0;
    QString fromRuleId;
    QString toRuleId;
};

/// A feature's share in a row's anomaly score, with the name resolved from the FeatureSchema.
struct NamedShare {
    QString name;
    double percent = 0;
};

/// An instrument diagnostic (common/signal_health.h) that held an incident up: a channel missing or frozen
/// beyond its limit from firstMs to lastMs (the rows where it was beyond the limit).
struct SignalDiagnostic {
    QString channel;
    SignalCondition condition = SignalCondition::Missing;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
};

/// One incident: one episode of one device, from the first sample of the filtered score at or above the raise
/// level until it cleared (see IncidentTracker for the hysteresis). Its cause, families and features are
/// decided over all its flagged rows, weighted by how far each row's score lies above the threshold;
/// everything "at the peak" comes from the row with the highest score (the earliest on ties).
struct Alert {
    QString id;  ///< "<device>@<start, ISO 8601 UTC>"; deterministic
    /// The priority: the lower of the cause's consequence and the urgency of the peak margin (CRITICAL =
    /// high, WARNING = medium, INFO = low). Never lowered once an incident is active.
    Severity severity = Severity::Info;
    IncidentKind kind = IncidentKind::Event;
    Suppression suppression = Suppression::None;
    qint64 startMs = 0;     ///< first sample whose filtered score reached the raise level
    qint64 raisedMs = 0;    ///< when the on-delay elapsed: the annunciation time of an alarm
    qint64 endMs = 0;       ///< last sample at or above the clear level
    qint64 clearedMs = -1;  ///< when the off-delay elapsed; -1 = still active at the end of the data
    qint64 peakMs = 0;
    QString device;
    OpState state = OpState::Run;  ///< at the peak
    double peakScore = 0;          ///< the highest score of its rows
    double peakFiltered = 0;       ///< the highest filtered score of its rows
    int count = 0;                 ///< its flagged rows (score ≥ threshold)
    int rows = 0;                  ///< all its rows, flagged or not
    int reopened = 0;              ///< times it raised again within the re-alarm window after clearing
    QString cause;  ///< operator wording of the matched rule, or "<family> deviation, no known pattern"
    QString ruleId;
    /// How much of the incident's attribution (0–1) the cause accounts for: the summed share of the matched
    /// rule's families or, when no rule matched, the share of the dominant family that describes it (0 when
    /// nothing was attributed).
    double confidence = 0;
    /// No rule matched: `cause` is "<dominant family> deviation, no known pattern" and ruleId the fallback's.
    bool described = false;
    std::vector<FamilyShare>
        families;               ///< over the incident, descending percent (sums to 100 when explained)
    double contextPercent = 0;  ///< at the peak: Explanation::contextPercent (error codes, state)
    std::vector<NamedShare>
        topFeatures;  ///< over the incident, descending, at most AlertRules::topFeatures()
    std::vector<CauseRevision> revisions;       ///< cause changes while active, in time order
    std::vector<SignalDiagnostic> diagnostics;  ///< instrument diagnostics during it, by first time
    QString faultTag;  ///< most common non-empty tag of its rows (ties: alphabetical)
    QString action;    ///< suggested operator action of the matched rule
    QString fleetId;   ///< the fleet incident it belongs to, empty when isolated
    /// True when its fleet incident formed before it was raised: the fleet incident annunciated it.
    bool carriedByFleet = false;
    std::size_t peakRow = 0;  ///< ScoreTable row of the peak (live mode: the caller's row number)

    /// Demands a response: an alarm, not suppressed, not carried by a fleet incident.
    [[nodiscard]] bool annunciated() const {
        return kind == IncidentKind::Alarm && suppression == Suppression::None && !carriedByFleet;
    }
    [[nodiscard]] bool active() const { return clearedMs < 0; }
    /// In the operator's alarm list: annunciated on its own or through its fleet incident.
    [[nodiscard]] bool reachesOperator() const { return annunciated() || carriedByFleet; }
};

/// Alarms of one cause on several devices at once (systemic): annunciated once, with its children.
struct FleetIncident {
    QString id;  ///< "FLEET:<rule id>@<start, ISO 8601 UTC>"
    QString ruleId;
    QString cause;
    QString action;
    Severity severity = Severity::Info;  ///< the highest of its children
    qint64 startMs = 0;                  ///< earliest child start
    qint64 raisedMs = 0;                 ///< when the fleetMinDevices-th child was raised
    qint64 endMs = 0;                    ///< latest child end
    QStringList devices;                 ///< distinct, in the order they joined
    std::vector<std::size_t> children;   ///< indexes into the incident list
};

}  // namespace itap
