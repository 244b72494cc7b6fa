#pragma once

#include "alerts/alert.h"
#include "alerts/alert_rules.h"
#include "alerts/hysteresis.h"
#include "common/analysis_types.h"
#include "common/family_index.h"

#include <QHash>
#include <QString>
#include <QStringView>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace itap {

/// Trailing mean of one device's score over a time window (IncidentParams::filterS): the score the alarm's
/// hysteresis runs on. Leakage-safe like the features: a filtered value depends only on samples up to its own
/// time. One instance per device; samples in time order.
class IncidentScoreFilter {
public:
    explicit IncidentScoreFilter(qint64 windowMs = 0) : windowMs_(windowMs) {}
    [[nodiscard]] double push(qint64 tsMs, double score);

private:
    qint64 windowMs_;
    std::deque<std::pair<qint64, double>> window_;
    double sum_ = 0;
};

/// The filtered score of every row of a table (devices grouped, time-ordered), as pushing each device's rows
/// through a fresh IncidentScoreFilter.
[[nodiscard]] std::vector<float> filterIncidentScores(const ScoreTable& table, const IncidentParams& params);

/// One scored row as the incident tracker needs it (batch: a ScoreTable row; live: the row just scored).
struct ScoredRow {
    QString device;
    qint64 tsMs = 0;
    OpState state = OpState::Run;
    double score = 0;      ///< the model's score; ≥ threshold makes the row a flag with an explanation
    double filtered = 0;   ///< IncidentScoreFilter output: what the hysteresis compares
    QStringView faultTag;  ///< ground truth when known, else empty; must stay valid during push()
    std::size_t row = 0;   ///< ScoreTable row (live mode: any increasing row number)
    /// signalDiagnosticCode() of an instrument diagnostic beyond its limit at this row, or -1: holds the
    /// alarm up (Hysteresis `forced`) and is evidence of a sensor fault.
    int diagnostic = -1;
};

/// What one push did to the incident list.
struct AlertUpdate {
    std::size_t index = 0;  ///< into IncidentTracker::alerts()
    bool created = false;   ///< true: the incident was raised by this row
};

/// Streaming incident state: push every scored row (per device in time order), get new or updated incidents.
/// The batch path (IncidentEngine::run) is this class in a loop, so live mode and batch give the same list.
///
/// Per device, Hysteresis turns the filtered score into incidents; while an excursion lasts, each flagged row
/// adds its explanation to the incident's evidence, weighted by score − threshold (plus a floor so a row at
/// the threshold still counts). The cause is decided over that evidence when the incident is raised, again
/// each time the evidence doubles, when it clears and in finish(); a changed cause is kept as a
/// CauseRevision. Not thread-safe; one tracker per thread.
class IncidentTracker {
public:
    IncidentTracker(AlertRules rules, double threshold, const FeatureSchema& schema);

    /// `why` is the row's explanation when it is flagged (may be null: an unexplained flag adds no family).
    /// Returns the incident the row raised or extended, nullopt when it belongs to none.
    std::optional<AlertUpdate> push(const ScoredRow& row, const Explanation* why);
    /// The batch loop's shortcut for the rows that cannot change anything: quiet() is true when the device
    /// has no incident open, latent or pending, `filtered` is below the raise level and the row has no
    /// instrument diagnostic (`diagnostic` < 0); passQuiet() then does
    /// all that push() would do with such a row (count a flag, note a state change). `slot` is
    /// deviceSlot(device).
    [[nodiscard]] std::size_t deviceSlot(const QString& device);
    [[nodiscard]] bool quiet(std::size_t slot, double filtered, int diagnostic) const {
        return tracks_[slot].machine.phase() == Hysteresis::Phase::Normal && !(filtered >= levels_.raise) &&
               diagnostic < 0;
    }
    void passQuiet(std::size_t slot, qint64 tsMs, OpState state, double score) {
        flagged_ += score >= threshold_ ? 1 : 0;
        DeviceTrack& d = tracks_[slot];
        if (d.lastState && *d.lastState != state)
            d.lastStateChangeMs = tsMs;
        d.lastState = state;
    }
    /// The data ends: decides every open incident's cause on all its evidence and groups fleet incidents.
    /// Open incidents stay active (clearedMs = -1); an excursion still within its on-delay raises nothing.
    void finish();
    /// Groups the alarms raised so far into fleet incidents again (finish() does; live mode after each
    /// raise).
    void regroupFleet();

    [[nodiscard]] const std::vector<Alert>& alerts() const { return alerts_; }
    [[nodiscard]] const std::vector<FleetIncident>& fleetIncidents() const { return fleet_; }
    /// Flagged rows pushed so far.
    [[nodiscard]] std::size_t flaggedRows() const { return flagged_; }
    [[nodiscard]] double threshold() const { return threshold_; }
    [[nodiscard]] const AlertRules& rules() const { return rules_; }
    /// The upper tail of the filtered score over the normal training rows, which the urgency of an
    /// incident's peak is measured against (AlertRules::severityFor); null or empty: the relative-margin
    /// bands. Set it before the first push().
    void setNormalTail(std::shared_ptr<const TailCalibration> tail) { normalTail_ = std::move(tail); }
    [[nodiscard]] const std::shared_ptr<const TailCalibration>& normalTail() const { return normalTail_; }
    [[nodiscard]] Hysteresis::Levels levels() const { return levels_; }

private:
    struct Evidence {
        std::vector<double> family;   // by families_ index
        std::vector<double> feature;  // by feature column
        double weight = 0;
        double nextDecision = 0;                    // decide the cause again once weight reaches this
        std::vector<std::pair<QString, int>> tags;  // fault tag → rows; a handful at most, so a list
        std::vector<SignalDiagnostic> diagnostics;  // by first time; a handful at most
        int rows = 0;
        int flagged = 0;
        qint64 firstMs = 0;
        qint64 lastAboveClearMs = 0;
        double peakScore = -1;
        double peakFiltered = -1;
        qint64 peakMs = 0;
        OpState peakState = OpState::Run;
        std::size_t peakRow = 0;
        double peakContext = 0;

        void add(const Evidence& other);
        /// Counts `n` rows of `tag`; allocates only for a tag not seen yet.
        void countTag(QStringView tag, int n);
    };
    struct DeviceTrack {
        Hysteresis machine;
        std::optional<std::size_t> incident;  // the open or latent incident
        Evidence open;                        // evidence of `incident`
        Evidence pending;                     // the excursion in its on-delay
        std::optional<OpState> lastState;
        std::optional<qint64> lastStateChangeMs;
    };

    DeviceTrack& trackOf(const QString& device);
    void addRow(Evidence& ev, const ScoredRow& row, const Explanation* why);
    void addDiagnostic(Evidence& ev, const ScoredRow& row);
    void raise(DeviceTrack& d, const ScoredRow& row);
    /// The cheap fields that follow every row: rows, flags, end.
    static void updateSpan(Alert& a, const Evidence& ev);
    /// Decides cause, families, features, kind and priority of `a` from `ev`; `revise` records a changed
    /// cause.
    void decide(Alert& a, Evidence& ev, qint64 tsMs, bool revise);

    AlertRules rules_;
    double threshold_;
    std::shared_ptr<const TailCalibration> normalTail_;
    Hysteresis::Levels levels_;
    std::vector<QString> featureNames_;
    // Per diagnostic code: the channel's name and the feature column its evidence is credited to
    // (<channel>_missing_frac for Missing, <channel>_std for Frozen; -1 when the schema has none).
    std::vector<QString> diagnosticChannel_;
    std::vector<int> diagnosticColumn_;
    std::size_t missingnessFamily_ = 0;
    std::vector<Alert> alerts_;
    std::vector<FleetIncident> fleet_;
    std::vector<DeviceTrack> tracks_;
    QHash<QString, std::size_t> trackIndex_;
    QString currentDevice_;
    std::size_t current_ = 0;
    FamilyIndex families_;
    std::size_t flagged_ = 0;
};

}  // namespace itap
