#pragma once

#include "alerts/alert.h"
#include "alerts/incident_params.h"
#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"
#include "model/tail_calibration.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <span>
#include <vector>

namespace itap {

class JsonReader;

/// One cause rule. A rule matches a row when its families together reach `minShare` of the row's
/// explanation, each of them reaches `minEach`, and they have some share at all.
struct AlertRule {
    QString id;             ///< unique, [a-z][a-z0-9_]{0,63}
    QString cause;          ///< operator wording, e.g. "Power instability"; non-empty
    QStringList families;   ///< non-empty, distinct; may name families outside the catalog (e.g. "Pressure")
    double minShare = 0.5;  ///< [0, 1]: summed share of `families` needed
    double minEach = 0.0;   ///< [0, 1]: share each family needs on its own; 0 = no per-family floor
    QString action;         ///< suggested operator action; non-empty
    /// What it costs when the cause is real and nobody acts: with the margin, the incident's priority.
    Consequence consequence = Consequence::Medium;
};

/// How far beyond the operating threshold an incident's peak lies, in the urgency bands of the priority
/// matrix.
enum class UrgencyBasis : std::uint8_t {
    /// Decades of rarity under normal operation: log10(P(normal ≥ T) / P(normal ≥ peak)), from the upper
    /// tail of the filtered score over the normal training rows (TailCalibration). Scale-free: the same bands
    /// mean the same for any detector and score range.
    TailDecades,
    /// (peak − T) / (1 − T): how far into the score range above T the peak sits (rules files before
    /// tail_decades; also the fallback when no normal training rows were scored).
    RelativeMargin,
};

/// Which rule a row matched.
struct RuleMatch {
    int rule = -1;     ///< index into AlertRules::rules(); -1 = the fallback
    double share = 0;  ///< summed share (0–1) of the matched rule's families; 0 for the fallback
};

/// The alert policy: cause rules in priority order, the fallback, severity bands, cooldown and display size.
/// Only fromJson() (and so load()/defaults()) builds a non-default policy, and it validates every field, so
/// an AlertRules value is always usable. Layout of the file: see resources/alert_rules.json.
class AlertRules {
public:
    static constexpr double kMaxCooldownSeconds = 86400;

    /// No rules, only the fallback, with the defaults below. Use defaults() for the shipped rules.
    AlertRules();

    /// Parses the rules file. Errors name the rule and the field, e.g.
    /// "rules[2] (thermal_overload).min_share: expected a number in [0, 1]", with `source` as the file.
    [[nodiscard]] static Result<AlertRules> fromJson(const nlohmann::json& j, const QString& source);
    [[nodiscard]] static Result<AlertRules> load(const QString& path);
    /// The rules shipped in resources/alert_rules.json.
    [[nodiscard]] static AlertRules defaults();
    /// The same layout fromJson() reads (without the description).
    [[nodiscard]] nlohmann::json toJson() const;

    [[nodiscard]] const std::vector<AlertRule>& rules() const { return rules_; }
    [[nodiscard]] const AlertRule& fallback() const { return fallback_; }
    /// rules()[index], or the fallback for -1.
    [[nodiscard]] const AlertRule& rule(int index) const;
    /// The urgency bands: from warning() an incident's urgency is medium, from critical() high, in the
    /// basis' unit (decades, or relative margin). With basis TailDecades and no tail to measure against, the
    /// relative-margin bands criticalMargin()/warningMargin() apply.
    [[nodiscard]] UrgencyBasis urgencyBasis() const { return urgencyBasis_; }
    [[nodiscard]] double criticalDecades() const { return criticalDecades_; }
    [[nodiscard]] double warningDecades() const { return warningDecades_; }
    [[nodiscard]] double criticalMargin() const { return criticalMargin_; }
    [[nodiscard]] double warningMargin() const { return warningMargin_; }
    /// The priority matrix (ISA-18.2 rationalisation: consequence × urgency): priorityMatrix()[c][u] is the
    /// priority of an incident whose cause has consequence c and whose peak has urgency u (0 low, 1 medium,
    /// 2 high). Each row is non-decreasing in urgency and each column in consequence.
    [[nodiscard]] const std::array<std::array<Severity, 3>, 3>& priorityMatrix() const {
        return priorityMatrix_;
    }
    [[nodiscard]] Severity priorityOf(Consequence consequence, Severity urgency) const {
        return priorityMatrix_[std::size_t(consequence)][std::size_t(urgency)];
    }
    [[nodiscard]] double cooldownSeconds() const { return cooldownS_; }
    [[nodiscard]] qint64 cooldownMs() const;
    /// Replaces the cooldown (the console's setting overrides the file's cooldown_s). Seconds in
    /// [0, kMaxCooldownSeconds]; otherwise an error and the rules stay unchanged.
    [[nodiscard]] Status setCooldownSeconds(double seconds);
    [[nodiscard]] int topFeatures() const { return topFeatures_; }
    /// The "incidents" section: hysteresis, alarm/event floors, suppression, fleet grouping, operating point.
    [[nodiscard]] const IncidentParams& incidents() const { return incidents_; }
    /// Replaces the incident parameters when they validate; otherwise an error and nothing changes.
    [[nodiscard]] Status setIncidents(const IncidentParams& params);

    /// First rule (in file order) that `families` (percent, as in Explanation) satisfies, else the fallback.
    [[nodiscard]] RuleMatch match(std::span<const FamilyShare> families) const;
    [[nodiscard]] RuleMatch match(const QList<FamilyShare>& families) const {
        return match(std::span<const FamilyShare>(families.constData(), std::size_t(families.size())));
    }
    /// The distinct families the rules name, in first-mention order: the index space of matchPercents().
    [[nodiscard]] const QStringList& ruleFamilies() const { return ruleFamilies_; }
    /// Index of `family` in ruleFamilies(), -1 when no rule names it.
    [[nodiscard]] int ruleFamilyIndex(const QString& family) const;
    /// match() for a row whose percent per rule family is already summed (`percent[i]` for ruleFamilies()[i],
    /// all of them given): what the alert tracker calls per flagged row without comparing family names.
    [[nodiscard]] RuleMatch matchPercents(const std::vector<double>& percent) const;
    /// Urgency band (Info low, Warning medium, Critical high) of a filtered score at `threshold`: by
    /// urgencyDecades() against `normalTail` with basis TailDecades and a non-empty tail, otherwise by
    /// relativeMargin() against the margin bands.
    [[nodiscard]] Severity severityFor(double score, double threshold,
                                       const TailCalibration* normalTail = nullptr) const;
    /// log10(P(normal ≥ threshold) / P(normal ≥ score)) under `normalTail`, at least 0: how many times ten
    /// rarer in normal operation the score is than the threshold.
    [[nodiscard]] static double urgencyDecades(double score, double threshold,
                                               const TailCalibration& normalTail);
    /// (score − threshold) / (1 − threshold): how far into the range above the threshold a score sits.
    /// 1 when the threshold is 1 or more (nothing can sit higher).
    [[nodiscard]] static double relativeMargin(double score, double threshold);
    /// Families named by rules but known neither to `catalog`, nor to the default catalog (whose families the
    /// shipped rules name for every plant), nor as a pseudo-family: a typo there would silently disable the
    /// rule.
    [[nodiscard]] QStringList familiesOutside(const SensorCatalog& catalog) const;
    /// Error::badInput naming the rules file and the field (`rules[i] (id).families[j]`) of the first family
    /// in familiesOutside(`catalog`), with the families that are known. The rules file is read before the
    /// database whose catalog it must fit, so this is checked when the two meet (scoreWithModel()).
    [[nodiscard]] Status checkFamilies(const SensorCatalog& catalog) const;

    /// The "severity" section as fromJson() reads it (urgency basis, bands, priority matrix).
    [[nodiscard]] nlohmann::json severityJson() const;

private:
    void indexFamilies();
    [[nodiscard]] Status readSeverity(const nlohmann::json& severity, const JsonReader& root);

    QString source_;  // the file fromJson() read, for messages
    std::vector<AlertRule> rules_;
    QStringList ruleFamilies_;                     // distinct families of rules_, first-mention order
    std::vector<std::vector<int>> familyIndexes_;  // per rule: its families as indexes into ruleFamilies_
    AlertRule fallback_;
    UrgencyBasis urgencyBasis_ = UrgencyBasis::TailDecades;
    double criticalDecades_ = 2.0;  ///< [0, 12]: decades of rarity from which urgency is high
    double warningDecades_ = 1.0;   ///< [0, criticalDecades]: decades from which urgency is medium
    double criticalMargin_ = 0.35;  ///< [0, 1]: relative margin from which urgency is high
    double warningMargin_ = 0.10;   ///< [0, criticalMargin]: relative margin from which urgency is medium
    /// [consequence][urgency]; default: low consequence is always low priority, medium consequence is medium
    /// at high urgency, high consequence is medium at medium urgency and high at high urgency.
    std::array<std::array<Severity, 3>, 3> priorityMatrix_ = {
        {{Severity::Info, Severity::Info, Severity::Info},
         {Severity::Info, Severity::Info, Severity::Warning},
         {Severity::Info, Severity::Warning, Severity::Critical}}};
    /// [0, kMaxCooldownSeconds]: the re-alarm window (s): an incident that raises again this soon after it
    /// cleared is reopened, not raised anew.
    double cooldownS_ = 600;
    int topFeatures_ = 3;  ///< [1, 20]: features listed per alert
    IncidentParams incidents_;
};

}  // namespace itap
