#include "alerts/alert_rules.h"

#include "common/json_util.h"
#include "common/printable_text.h"

#include <QRegularExpression>
#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string_view>

namespace itap {
namespace {

// Shares come from sums of floating-point percentages; a share of 0.6 must not miss a 0.6 floor by 1e-16.
constexpr double kShareEpsilon = 1e-9;

using Json = nlohmann::json;

bool isValidRuleId(const QString& id) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    return re.match(id).hasMatch();
}

Result<double> unitInterval(const JsonReader& r, const char* key, std::optional<double> fallback) {
    const QString what = QStringLiteral("expected a number in [0, 1]");
    if (!r.has(key)) {
        if (fallback)
            return *fallback;
        return r.error(key, QStringLiteral("missing (%1)").arg(what));
    }
    auto v = r.number(key);
    if (!v || *v < 0.0 || *v > 1.0)
        return r.error(key, what);
    return *v;
}

Result<Consequence> parseConsequence(const JsonReader& r, Consequence fallback) {
    auto text = r.string("consequence", consequenceName(fallback));
    if (!text)
        return text.error();
    for (Consequence c : {Consequence::Low, Consequence::Medium, Consequence::High})
        if (*text == consequenceName(c))
            return c;
    return r.error("consequence",
                   QStringLiteral("expected \"low\", \"medium\" or \"high\", got \"%1\"").arg(*text));
}

// "low", "medium", "high": the priority names of the matrix (INFO, WARNING, CRITICAL).
const char* priorityLevelName(Severity s) {
    switch (s) {
        case Severity::Info:
            return "low";
        case Severity::Warning:
            return "medium";
        case Severity::Critical:
            return "high";
    }
    return "low";
}

std::optional<Severity> parsePriorityLevel(const std::string& text) {
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Critical})
        if (text == priorityLevelName(s))
            return s;
    return std::nullopt;
}

Result<QString> nonEmptyString(const JsonReader& r, const char* key) {
    auto v = r.string(key);
    if (!v)
        return v.error();
    const QString s = v->trimmed();
    if (s.isEmpty())
        return r.error(key, QStringLiteral("must not be empty"));
    return s;
}

// Reads the id first so that every later error can say which rule it is about.
Result<QString> ruleId(const Json& obj, const QString& source, const QString& ctx, QSet<QString>& seen) {
    JsonReader r(obj, source, ctx);
    auto id = r.string("id");
    if (!id)
        return id.error();
    if (!isValidRuleId(*id))
        return r.error("id", QStringLiteral("\"%1\" is not a valid rule id ([a-z][a-z0-9_]*)").arg(*id));
    if (seen.contains(*id))
        return r.error("id", QStringLiteral("duplicate rule id \"%1\"").arg(*id));
    seen.insert(*id);
    return *id;
}

Result<AlertRule> parseRule(const Json& obj, const QString& source, const QString& index,
                            QSet<QString>& seen) {
    if (!obj.is_object())
        return Error::badInput(index + QStringLiteral(": expected an object"), source);
    auto id = ruleId(obj, source, index, seen);
    if (!id)
        return id.error();
    const JsonReader r(obj, source, QStringLiteral("%1 (%2)").arg(index, *id));
    if (auto st = r.rejectUnknownKeys(
            {"id", "cause", "families", "min_share", "min_each", "action", "consequence"});
        !st)
        return st.error();

    AlertRule rule;
    rule.id = *id;
    auto cause = nonEmptyString(r, "cause");
    if (!cause)
        return cause.error();
    rule.cause = *cause;

    const QString familiesWhat = QStringLiteral("expected a non-empty array of family names");
    if (!r.has("families"))
        return r.error("families", QStringLiteral("missing (%1)").arg(familiesWhat));
    const Json& fams = obj.at("families");
    if (!fams.is_array() || fams.empty())
        return r.error("families", familiesWhat);
    for (std::size_t i = 0; i < fams.size(); ++i) {
        const std::string key = "families[" + std::to_string(i) + "]";
        if (!fams[i].is_string())
            return r.error(key.c_str(), QStringLiteral("expected a family name (string)"));
        const QString f = QString::fromStdString(fams[i].get<std::string>()).trimmed();
        if (f.isEmpty())
            return r.error(key.c_str(), QStringLiteral("must not be empty"));
        if (rule.families.contains(f))
            return r.error(key.c_str(), QStringLiteral("duplicate family \"%1\"").arg(f));
        rule.families << f;
    }

    auto minShare = unitInterval(r, "min_share", std::nullopt);
    if (!minShare)
        return minShare.error();
    rule.minShare = *minShare;
    auto minEach = unitInterval(r, "min_each", 0.0);
    if (!minEach)
        return minEach.error();
    rule.minEach = *minEach;

    auto action = nonEmptyString(r, "action");
    if (!action)
        return action.error();
    rule.action = *action;
    auto consequence = parseConsequence(r, rule.consequence);
    if (!consequence)
        return consequence.error();
    rule.consequence = *consequence;
    return rule;
}

Result<AlertRule> parseFallback(const Json& obj, const QString& source, QSet<QString>& seen) {
    const QString ctx = QStringLiteral("fallback");
    if (!obj.is_object())
        return Error::badInput(ctx + QStringLiteral(": expected an object"), source);
    auto id = ruleId(obj, source, ctx, seen);
    if (!id)
        return id.error();
    const JsonReader r(obj, source, ctx);
    if (auto st = r.rejectUnknownKeys({"id", "cause", "action", "consequence"}); !st)
        return st.error();
    AlertRule rule;
    rule.id = *id;
    rule.minShare = 0;
    auto cause = nonEmptyString(r, "cause");
    if (!cause)
        return cause.error();
    rule.cause = *cause;
    auto action = nonEmptyString(r, "action");
    if (!action)
        return action.error();
    rule.action = *action;
    auto consequence = parseConsequence(r, Consequence::Low);
    if (!consequence)
        return consequence.error();
    rule.consequence = *consequence;
    return rule;
}

}  // namespace

AlertRules::AlertRules() {
    fallback_.id = QStringLiteral("unclassified");
    fallback_.cause = QStringLiteral("Unclassified anomaly");
    fallback_.minShare = 0;
    fallback_.action =
        QStringLiteral("Review the traces around the event; if it recurs, add a rule for its families.");
}

Status AlertRules::readSeverity(const Json& sev, const JsonReader& root) {
    if (!sev.is_object())
        return root.error("severity", QStringLiteral("expected an object"));
    const JsonReader r(sev, source_, QStringLiteral("severity"));
    if (auto st = r.rejectUnknownKeys(
            {"basis", "critical", "warning", "margin_critical", "margin_warning", "priority_matrix"});
        !st)
        return st.error();
    // A file without a basis predates tail_decades: its bands are relative margins.
    auto basis = r.string("basis", QStringLiteral("relative_margin"));
    if (!basis)
        return basis.error();
    if (*basis == QStringLiteral("tail_decades"))
        urgencyBasis_ = UrgencyBasis::TailDecades;
    else if (*basis == QStringLiteral("relative_margin"))
        urgencyBasis_ = UrgencyBasis::RelativeMargin;
    else
        return r.error("basis", QStringLiteral("unsupported \"%1\" (expected \"tail_decades\" or "
                                               "\"relative_margin\")")
                                    .arg(*basis));

    // The relative-margin bands: "critical"/"warning" with that basis, "margin_critical"/"margin_warning"
    // (the fallback without a tail) with tail_decades.
    const bool margin = urgencyBasis_ == UrgencyBasis::RelativeMargin;
    const char* marginCriticalKey = margin ? "critical" : "margin_critical";
    const char* marginWarningKey = margin ? "warning" : "margin_warning";
    if (margin && (r.has("margin_critical") || r.has("margin_warning")))
        return r.error(
            r.has("margin_critical") ? "margin_critical" : "margin_warning",
            QStringLiteral("only with basis \"tail_decades\" (with \"relative_margin\" the bands are "
                           "critical and warning)"));
    auto critical = unitInterval(r, marginCriticalKey, criticalMargin_);
    if (!critical)
        return critical.error();
    auto warning = unitInterval(r, marginWarningKey, warningMargin_);
    if (!warning)
        return warning.error();
    if (*warning > *critical)
        return r.error(marginWarningKey, QStringLiteral("must not exceed severity.%1 (%2)")
                                             .arg(QLatin1String(marginCriticalKey))
                                             .arg(*critical));
    criticalMargin_ = *critical;
    warningMargin_ = *warning;

    if (!margin) {
        constexpr double kMaxDecades = 12;
        auto decades = [&](const char* key, double fallback) -> Result<double> {
            auto v = r.number(key, fallback);
            if (!v)
                return v.error();
            if (!(*v >= 0 && *v <= kMaxDecades))
                return r.error(key, QStringLiteral("expected decades in [0, %1]").arg(kMaxDecades));
            return *v;
        };
        auto dc = decades("critical", criticalDecades_);
        if (!dc)
            return dc.error();
        auto dw = decades("warning", warningDecades_);
        if (!dw)
            return dw.error();
        if (*dw > *dc)
            return r.error("warning", QStringLiteral("must not exceed severity.critical (%1)").arg(*dc));
        criticalDecades_ = *dc;
        warningDecades_ = *dw;
    }

    if (r.has("priority_matrix")) {
        const Json& m = sev["priority_matrix"];
        if (!m.is_object())
            return r.error("priority_matrix",
                           QStringLiteral("expected an object with \"low\", \"medium\" and \"high\""));
        const JsonReader mr(m, source_, QStringLiteral("severity.priority_matrix"));
        if (auto st = mr.rejectUnknownKeys({"low", "medium", "high"}); !st)
            return st.error();
        std::array<std::array<Severity, 3>, 3> matrix{};
        for (Consequence c : {Consequence::Low, Consequence::Medium, Consequence::High}) {
            const std::string key = consequenceName(c).toStdString();
            const QString what = QStringLiteral(
                "expected 3 priorities (\"low\", \"medium\" or \"high\") for low, medium and high urgency");
            if (!m.contains(key))
                return mr.error(key.c_str(), QStringLiteral("missing (%1)").arg(what));
            const Json& row = m[key];
            if (!row.is_array() || row.size() != 3)
                return mr.error(key.c_str(), what);
            for (std::size_t u = 0; u < 3; ++u) {
                const std::optional<Severity> p =
                    row[u].is_string() ? parsePriorityLevel(row[u].get<std::string>()) : std::nullopt;
                if (!p)
                    return mr.error(key.c_str(), what);
                matrix[std::size_t(c)][u] = *p;
                if (u > 0 && *p < matrix[std::size_t(c)][u - 1])
                    return mr.error(
                        key.c_str(),
                        QStringLiteral("must not fall as urgency rises (position %1)").arg(u + 1));
                if (std::size_t(c) > 0 && *p < matrix[std::size_t(c) - 1][u])
                    return mr.error(key.c_str(),
                                    QStringLiteral("must not be below the row of a lower consequence "
                                                   "(position %1)")
                                        .arg(u + 1));
            }
        }
        priorityMatrix_ = matrix;
    }
    return {};
}

Result<AlertRules> AlertRules::fromJson(const Json& j, const QString& source) {
    if (!j.is_object())
        return Error::badInput(QStringLiteral("alert rules: expected a JSON object"), source);
    const JsonReader root(j, source, QString());
    if (auto st = root.rejectUnknownKeys({"schema_version", "description", "cooldown_s", "top_features",
                                          "severity", "incidents", "rules", "fallback"});
        !st)
        return st.error();
    if (root.has("schema_version") &&
        (!j["schema_version"].is_number_integer() || (j["schema_version"] != 1 && j["schema_version"] != 2)))
        return root.error("schema_version", QStringLiteral("unsupported version (expected 1 or 2)"));
    if (root.has("description") && !j["description"].is_string())
        return root.error("description", QStringLiteral("expected a string"));

    AlertRules out;
    out.source_ = source;
    auto cooldown = root.number("cooldown_s", out.cooldownS_);
    if (!cooldown)
        return cooldown.error();
    if (*cooldown < 0 || *cooldown > kMaxCooldownSeconds)
        return root.error("cooldown_s", QStringLiteral("expected seconds in [0, 86400]"));
    out.cooldownS_ = *cooldown;

    auto top = root.integer("top_features", out.topFeatures_);
    if (!top || *top < 1 || *top > 20)
        return root.error("top_features", QStringLiteral("expected an integer in [1, 20]"));
    out.topFeatures_ = static_cast<int>(*top);

    if (root.has("severity")) {
        auto st = out.readSeverity(j["severity"], root);
        if (!st)
            return st.error();
    }

    if (root.has("incidents")) {
        auto incidents = IncidentParams::fromJson(j["incidents"], source);
        if (!incidents)
            return incidents.error();
        out.incidents_ = std::move(incidents).value();
    }

    QSet<QString> seen;
    if (!root.has("rules"))
        return root.error("rules", QStringLiteral("missing (expected an array of rules)"));
    const Json& rules = j["rules"];
    if (!rules.is_array())
        return root.error("rules", QStringLiteral("expected an array of rules"));
    for (std::size_t i = 0; i < rules.size(); ++i) {
        auto rule = parseRule(rules[i], source, QStringLiteral("rules[%1]").arg(i), seen);
        if (!rule)
            return rule.error();
        out.rules_.push_back(std::move(rule).value());
    }
    out.indexFamilies();
    if (root.has("fallback")) {
        auto fb = parseFallback(j["fallback"], source, seen);
        if (!fb)
            return fb.error();
        out.fallback_ = std::move(fb).value();
    } else if (seen.contains(out.fallback_.id)) {
        return root.error(
            "fallback",
            QStringLiteral("missing, and the default id \"%1\" is taken by a rule").arg(out.fallback_.id));
    }
    return out;
}

Result<AlertRules> AlertRules::load(const QString& path) {
    auto j = readJsonFile(path);
    if (!j)
        return j.error();
    return fromJson(*j, path);
}

AlertRules AlertRules::defaults() {
    static const AlertRules rules = [] {
        auto r = load(QStringLiteral(":/itap/alert_rules.json"));
        if (!r)
            qFatal("built-in alert rules are invalid: %s", qPrintable(r.error().toString()));
        return std::move(r).value();
    }();
    return rules;
}

Json AlertRules::toJson() const {
    Json rules = Json::array();
    for (const AlertRule& r : rules_) {
        Json fams = Json::array();
        for (const QString& f : r.families) fams.push_back(f.toStdString());
        rules.push_back({{"id", r.id.toStdString()},
                         {"cause", r.cause.toStdString()},
                         {"families", fams},
                         {"min_share", r.minShare},
                         {"min_each", r.minEach},
                         {"action", r.action.toStdString()},
                         {"consequence", consequenceName(r.consequence).toStdString()}});
    }
    return {{"schema_version", 2},
            {"cooldown_s", cooldownS_},
            {"incidents", incidents_.toJson()},
            {"top_features", topFeatures_},
            {"severity", severityJson()},
            {"rules", rules},
            {"fallback",
             {{"id", fallback_.id.toStdString()},
              {"cause", fallback_.cause.toStdString()},
              {"action", fallback_.action.toStdString()},
              {"consequence", consequenceName(fallback_.consequence).toStdString()}}}};
}

Json AlertRules::severityJson() const {
    Json matrix = Json::object();
    for (Consequence c : {Consequence::Low, Consequence::Medium, Consequence::High}) {
        Json row = Json::array();
        for (Severity p : priorityMatrix_[std::size_t(c)]) row.push_back(priorityLevelName(p));
        matrix[consequenceName(c).toStdString()] = row;
    }
    if (urgencyBasis_ == UrgencyBasis::RelativeMargin)
        return {{"basis", "relative_margin"},
                {"critical", criticalMargin_},
                {"warning", warningMargin_},
                {"priority_matrix", matrix}};
    return {{"basis", "tail_decades"},          {"critical", criticalDecades_},
            {"warning", warningDecades_},       {"margin_critical", criticalMargin_},
            {"margin_warning", warningMargin_}, {"priority_matrix", matrix}};
}

const AlertRule& AlertRules::rule(int index) const {
    if (index < 0 || index >= static_cast<int>(rules_.size()))
        return fallback_;
    return rules_[static_cast<std::size_t>(index)];
}

qint64 AlertRules::cooldownMs() const {
    return std::llround(cooldownS_ * 1000.0);
}

Status AlertRules::setCooldownSeconds(double seconds) {
    if (!(seconds >= 0 && seconds <= kMaxCooldownSeconds))
        return Error::badInput(
            QStringLiteral("alert cooldown must be seconds in [0, 86400], got %1").arg(seconds));
    cooldownS_ = seconds;
    return {};
}

Status AlertRules::setIncidents(const IncidentParams& params) {
    if (Status s = params.validate(); !s)
        return s;
    incidents_ = params;
    return {};
}

void AlertRules::indexFamilies() {
    ruleFamilies_.clear();
    familyIndexes_.clear();
    for (const AlertRule& rule : rules_) {
        std::vector<int>& indexes = familyIndexes_.emplace_back();
        for (const QString& f : rule.families) {
            auto i = ruleFamilies_.indexOf(f);
            if (i < 0) {
                i = ruleFamilies_.size();
                ruleFamilies_.push_back(f);
            }
            indexes.push_back(static_cast<int>(i));
        }
    }
}

int AlertRules::ruleFamilyIndex(const QString& family) const {
    return static_cast<int>(ruleFamilies_.indexOf(family));
}

RuleMatch AlertRules::match(std::span<const FamilyShare> families) const {
    std::vector<double> percent(static_cast<std::size_t>(ruleFamilies_.size()), 0.0);
    for (const FamilyShare& f : families)
        if (const int i = ruleFamilyIndex(f.family); i >= 0)
            percent[static_cast<std::size_t>(i)] += f.percent;
    return matchPercents(percent);
}

RuleMatch AlertRules::matchPercents(const std::vector<double>& percent) const {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const AlertRule& rule = rules_[i];
        double sum = 0;
        bool eachOk = true;
        for (const int f : familyIndexes_[i]) {
            const double s = percent[static_cast<std::size_t>(f)] / 100.0;
            sum += s;
            eachOk = eachOk && s + kShareEpsilon >= rule.minEach;
        }
        // A rule never claims a row its families play no part in, even with min_share 0.
        if (eachOk && sum > 0 && sum + kShareEpsilon >= rule.minShare)
            return RuleMatch{static_cast<int>(i), std::clamp(sum, 0.0, 1.0)};
    }
    return RuleMatch{};
}

double AlertRules::relativeMargin(double score, double threshold) {
    if (threshold >= 1.0)
        return 1.0;
    return (score - threshold) / (1.0 - threshold);
}

double AlertRules::urgencyDecades(double score, double threshold, const TailCalibration& normalTail) {
    const double pThreshold = normalTail.upperTail(threshold);
    const double pScore = normalTail.upperTail(score);
    if (!(pScore > 0) || !(pThreshold > 0))
        return 0;
    return std::max(0.0, std::log10(pThreshold / pScore));
}

Severity AlertRules::severityFor(double score, double threshold, const TailCalibration* normalTail) const {
    // The epsilon keeps a score sitting exactly on a band edge in the higher band despite rounding.
    if (urgencyBasis_ == UrgencyBasis::TailDecades && normalTail && !normalTail->empty()) {
        const double d = urgencyDecades(score, threshold, *normalTail);
        if (d + kShareEpsilon >= criticalDecades_)
            return Severity::Critical;
        if (d + kShareEpsilon >= warningDecades_)
            return Severity::Warning;
        return Severity::Info;
    }
    const double m = relativeMargin(score, threshold);
    if (m + kShareEpsilon >= criticalMargin_)
        return Severity::Critical;
    if (m + kShareEpsilon >= warningMargin_)
        return Severity::Warning;
    return Severity::Info;
}

namespace {
// The families a rule may name: the store's, the pseudo-families, and those of the default catalog, which the
// shipped rules (and rule files made from them) name whatever catalog a plant uses; such a rule simply never
// fires there. Anything else is a typo or a family of another plant.
QStringList knownFamilies(const SensorCatalog& catalog) {
    QStringList known = catalog.families() + QStringList{family::kMissingness, family::kOperation};
    for (const QString& f : SensorCatalog::defaults().families())
        if (!known.contains(f))
            known << f;
    return known;
}
}  // namespace

Status AlertRules::checkFamilies(const SensorCatalog& catalog) const {
    const QStringList known = knownFamilies(catalog);
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const AlertRule& r = rules_[i];
        for (qsizetype f = 0; f < r.families.size(); ++f)
            if (!known.contains(r.families[f]))
                return Error::badInput(
                    QStringLiteral(
                        "rules[%1] (%2).families[%3]: unknown family \"%4\" (known: the database's "
                        "catalog, ITAP's default catalog and the pseudo-families: %5)")
                        .arg(i)
                        .arg(r.id)
                        .arg(f)
                        .arg(printableText(r.families[f]), known.join(QStringLiteral(", "))),
                    source_);
    }
    return {};
}

QStringList AlertRules::familiesOutside(const SensorCatalog& catalog) const {
    const QStringList known = knownFamilies(catalog);
    QStringList out;
    for (const AlertRule& r : rules_)
        for (const QString& f : r.families)
            if (!known.contains(f) && !out.contains(f))
                out << f;
    return out;
}

}  // namespace itap
