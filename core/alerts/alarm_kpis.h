#pragma once

// Alarm-system KPIs after EEMUA 191 and ISA-18.2 TR18.2.5, and the matching of incidents against labelled
// fault episodes they share with the operating-point search.

#include "alerts/alert.h"
#include "common/analysis_types.h"

#include <QMap>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <vector>

namespace itap {

/// A labelled fault episode: a maximal run of rows of one device with the same non-empty fault tag.
struct LabelledEpisode {
    int device = -1;
    QString tag;
    qint64 startMs = 0;
    qint64 endMs = 0;
    bool evaluated = false;  ///< at least one of its rows lies outside the training span
};

/// The episodes of a table, in table order (device, then time). Empty without labels.
[[nodiscard]] std::vector<LabelledEpisode> labelledEpisodes(const ScoreTable& table);

/// A time interval of one device, as incidents are matched against episodes.
struct DeviceInterval {
    int device = -1;
    qint64 startMs = 0;
    qint64 endMs = 0;
};

/// Which intervals overlap an episode of their device, counting an interval that starts at most `toleranceMs`
/// after an episode's end as overlapping it; and which episodes some interval overlaps in that sense.
struct EpisodeMatch {
    std::vector<bool> intervalMatched;
    std::vector<bool> episodeCaught;
};
[[nodiscard]] EpisodeMatch matchEpisodes(const std::vector<DeviceInterval>& intervals,
                                         const std::vector<LabelledEpisode>& episodes, qint64 toleranceMs);

/// Per device index, the timestamp where its evaluated span begins: just after its last training-span row
/// (the training span is a prefix of each device's rows; normal rows inside it that follow a fault episode
/// are marked kTrainExcluded but still belong to it). A device without training rows is evaluated from its
/// first row; one with nothing after its training span gets the largest qint64.
[[nodiscard]] std::vector<qint64> evaluationStartMs(const ScoreTable& table);

/// What the KPIs need of a table that does not depend on the threshold: computed once per fleet.
struct KpiInputs {
    std::vector<qint64> evalFrom;           ///< evaluationStartMs()
    std::vector<LabelledEpisode> episodes;  ///< labelledEpisodes()
    qint64 firstMs = 0;                     ///< the table's time span
    qint64 lastMs = -1;                     ///< < firstMs for an empty table

    [[nodiscard]] static KpiInputs of(const ScoreTable& table);
};

/// Which incidents the KPIs cover.
enum class KpiScope {
    All,         ///< every incident, over the whole time span of the data (what the operator sees)
    Evaluation,  ///< incidents starting after each device's training span, and the episodes evaluated there
};

/// The window of the chattering KPI: a device annunciating again this soon after its previous alarm cleared.
inline constexpr qint64 kChatterWindowMs = 600'000;
/// The period of the rate KPIs (EEMUA 191: alarms per 10 minutes).
inline constexpr qint64 kRatePeriodMs = 600'000;
/// More annunciations than this in one period is a flood (EEMUA 191).
inline constexpr int kFloodPerPeriod = 10;

struct AlarmKpis {
    KpiScope scope = KpiScope::All;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int incidents = 0;  ///< every incident in scope
    int annunciated =
        0;  ///< annunciations: alarms not suppressed nor carried by a fleet incident, plus fleet incidents
    int events = 0;      ///< incidents that are events
    int suppressed = 0;  ///< alarms suppressed by design
    int fleetIncidents = 0;
    int carriedByFleet = 0;  ///< alarms annunciated through their fleet incident
    int periods = 0;         ///< 10-minute periods in [fromMs, toMs]
    /// Annunciations raised in each period: perPeriod[i] counts [fromMs + i·kRatePeriodMs, + kRatePeriodMs)
    /// (the last period also takes what is raised after toMs, the first what is raised before fromMs);
    /// `periods` entries. The series the KPI panel draws against EEMUA 191's 1 and kFloodPerPeriod lines.
    std::vector<int> perPeriod;
    double perPeriodAverage = 0;
    int perPeriodPeak = 0;
    int periodsInFlood = 0;   ///< periods with more than kFloodPerPeriod annunciations
    int chattering = 0;       ///< annunciations within kChatterWindowMs of the device's previous clear
    int standing = 0;         ///< annunciated alarms still active at the end of the data
    int standingOver24h = 0;  ///< of those, raised more than 24 h before the end
    int unexplained = 0;      ///< annunciated alarms with no attribution at all (nothing names a cause)
    int described = 0;        ///< annunciated alarms no rule matched, described by their dominant family
    double top10Share = 0;    ///< share of annunciations from the 10 most frequent (device, cause) pairs
    std::vector<std::pair<QString, int>> topContributors;  ///< "<device> · <cause>", count; at most 10
    std::array<int, kSeverityCount> byPriority{};          ///< annunciated, by Severity (INFO = low)

    // With labels (scope Evaluation or All alike):
    bool labelled = false;
    int episodes = 0;              ///< fault episodes in scope
    int truePositives = 0;         ///< annunciations overlapping an episode (tolerance: IncidentParams)
    double incidentPrecision = 0;  ///< truePositives / annunciated
    double perEpisode = 0;         ///< annunciated / episodes
    QMap<QString, std::pair<int, int>> recallByFault;  ///< tag → (caught by an annunciated alarm, episodes)

    [[nodiscard]] double floodShare() const { return periods > 0 ? double(periodsInFlood) / periods : 0.0; }
};

/// The KPIs of `incidents` (and their fleet incidents) over `table`'s time span in `scope`.
[[nodiscard]] AlarmKpis computeAlarmKpis(const std::vector<Alert>& incidents,
                                         const std::vector<FleetIncident>& fleet, const ScoreTable& table,
                                         qint64 matchToleranceMs, KpiScope scope);
/// As above with the table's threshold-independent part given (KpiInputs::of(table)).
[[nodiscard]] AlarmKpis computeAlarmKpis(const std::vector<Alert>& incidents,
                                         const std::vector<FleetIncident>& fleet, const ScoreTable& table,
                                         const KpiInputs& inputs, qint64 matchToleranceMs, KpiScope scope);

/// The "== Alarm KPIs" section of the operator report.
[[nodiscard]] QString formatAlarmKpis(const AlarmKpis& k);
[[nodiscard]] nlohmann::json alarmKpisToJson(const AlarmKpis& k);

}  // namespace itap
