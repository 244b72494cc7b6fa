// libFuzzer target: the alert rules file (`itap alerts --rules`): AlertRules::load's parsing, then the rules
// applied as the alert engine applies them. The input is the file's bytes.

#include "fuzz_support.h"

#include "alerts/alert_rules.h"
#include "alerts/incident_tracker.h"
#include "common/json_util.h"

#include <nlohmann/json.hpp>

using namespace itap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = QStringLiteral("alert_rules.json");
    // AlertRules::load(path) is readJsonFile(path) + fromJson(json, path).
    auto j = parseJson(fuzz::bytesOf(data, size), path);
    if (!j) {
        ITAP_FUZZ_CHECK_ERROR(j.error(), path);
        return 0;
    }
    auto rules = AlertRules::fromJson(*j, path);
    if (!rules) {
        ITAP_FUZZ_CHECK_ERROR(rules.error(), path);
        return 0;
    }
    // Whatever loads is usable: it writes back to a file that loads, and matching and severities work.
    auto again = AlertRules::fromJson(rules->toJson(), path);
    ITAP_FUZZ_CHECK(again.ok());
    ITAP_FUZZ_CHECK(again->rules().size() == rules->rules().size());
    (void)toJsonBytes(rules->toJson());

    const std::vector<FamilyShare> shares = {{QStringLiteral("Temperature"), 60.0},
                                             {QStringLiteral("Power"), 30.0},
                                             {QStringLiteral("Vibration"), 10.0}};
    const RuleMatch m = rules->match(shares);
    ITAP_FUZZ_CHECK(m.rule >= -1 && m.rule < static_cast<int>(rules->rules().size()));
    ITAP_FUZZ_CHECK(!rules->rule(m.rule).cause.isEmpty());
    (void)rules->severityFor(0.8, 0.6);
    (void)rules->cooldownMs();
    (void)rules->familiesOutside(SensorCatalog::defaults());

    // The incident tracker runs with whatever parameters loaded: a rise, a plateau and a fall on one device,
    // a sample every 10 s, and every incident it raises is well formed.
    // temp_c_std and voltage_v_missing_frac let instrument diagnostics (rows 150–170) credit their columns.
    FeatureSchema schema;
    schema.names = {QStringLiteral("temp_c_std"), QStringLiteral("voltage_v_missing_frac")};
    schema.families = {QStringLiteral("Temperature"), QStringLiteral("Missingness")};
    schema.channel = {0, 1};
    IncidentTracker tracker(*rules, 0.6, schema);
    Explanation why;
    why.families = {FamilyShare{QStringLiteral("Temperature"), 70.0},
                    FamilyShare{QStringLiteral("Voltage"), 30.0}};
    why.features = {FeatureShare{0, 70.0}, FeatureShare{1, 30.0}};
    for (int i = 0; i < 240; ++i) {
        ScoredRow row;
        row.device = QStringLiteral("DEV-1");
        row.tsMs = qint64(i) * 10000;
        row.state = i > 200 ? OpState::Maint : OpState::Run;
        row.score = i >= 30 && i < 120 ? 0.8 : 0.3;
        row.filtered = row.score;
        row.row = std::size_t(i);
        row.diagnostic = i >= 150 && i < 170 ? signalDiagnosticCode(1, SignalCondition::Missing) : -1;
        why.row = row.row;
        (void)tracker.push(row, row.score >= 0.6 ? &why : nullptr);
    }
    tracker.finish();
    for (const Alert& a : tracker.alerts()) {
        ITAP_FUZZ_CHECK(a.startMs <= a.raisedMs && a.startMs <= a.endMs);
        ITAP_FUZZ_CHECK(a.clearedMs < 0 || a.clearedMs >= a.raisedMs);
        ITAP_FUZZ_CHECK(a.count <= a.rows);
        ITAP_FUZZ_CHECK(!a.cause.isEmpty());
    }
    return 0;
}
