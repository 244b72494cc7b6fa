#pragma once

#include "alerts/alert.h"
#include "alerts/incident_params.h"
#include "common/analysis_types.h"
#include "common/result.h"
#include "common/sensor_catalog.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <span>
#include <vector>

namespace itap {

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
    [[nodiscard]] double criticalMargin() const { return criticalMargin_; }
    [[nodiscard]] double warningMargin() const { return warningMargin_; }
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
    /// Severity band of a flagged score from its relative margin (see relativeMargin()).
    [[nodiscard]] Severity severityFor(double score, double threshold) const;
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

private:
    void indexFamilies();

    QString source_;  // the file fromJson() read, for messages
    std::vector<AlertRule> rules_;
    QStringList ruleFamilies_;                     // distinct families of rules_, first-mention order
    std::vector<std::vector<int>> familyIndexes_;  // per rule: its families as indexes into ruleFamilies_
    AlertRule fallback_;
    double criticalMargin_ = 0.35;  ///< [0, 1]: relative margin from which a flag is CRITICAL
    double warningMargin_ = 0.10;   ///< [0, criticalMargin]: relative margin from which a flag is WARNING
    /// [0, kMaxCooldownSeconds]: the re-alarm window (s): an incident that raises again this soon after it
    /// cleared is reopened, not raised anew.
    double cooldownS_ = 600;
    int topFeatures_ = 3;  ///< [1, 20]: features listed per alert
    IncidentParams incidents_;
};

}  // namespace itap
