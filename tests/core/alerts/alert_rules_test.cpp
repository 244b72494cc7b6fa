#include "alerts/alert_rules.h"
#include "common/json_util.h"
#include "core/alerts/alert_fixtures.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <limits>

using namespace itap;
using fixtures::shares;
using Json = nlohmann::json;

Q_DECLARE_METATYPE(std::vector<itap::FamilyShare>)

namespace {

// QTest data columns need the exact type: the fixture's Shares as a std::vector.
std::vector<FamilyShare> shareVector(std::initializer_list<std::pair<const char*, double>> list) {
    return shares(list);
}

AlertRules rulesFrom(const Json& j) {
    auto r = AlertRules::fromJson(j, QStringLiteral("test_rules.json"));
    if (!r)
        qFatal("test rules rejected: %s", qPrintable(r.error().toString()));
    return std::move(r).value();
}

Json rule(const char* id, std::vector<std::string> families, double minShare, double minEach = 0) {
    return {{"id", id},
            {"cause", std::string("Cause ") + id},
            {"families", families},
            {"min_share", minShare},
            {"min_each", minEach},
            {"action", "Do something"}};
}

}  // namespace

class AlertRulesTest : public QObject {
    Q_OBJECT
private slots:
    void defaultsAreShippedInPriorityOrder() {
        const AlertRules r = AlertRules::defaults();
        QStringList ids;
        for (const AlertRule& x : r.rules()) ids << x.id;
        QCOMPARE(ids, QStringList({"sensor_fault", "power_instability", "thermal_overload", "mechanical_wear",
                                   "electrical_noise"}));
        QCOMPARE(r.fallback().id, QStringLiteral("unclassified"));
        QCOMPARE(r.rule(-1).id, r.fallback().id);
        QCOMPARE(r.cooldownMs(), qint64(600000));
        QCOMPARE(r.criticalMargin(), 0.35);
        QCOMPARE(r.warningMargin(), 0.10);
        QVERIFY(r.familiesOutside(SensorCatalog::defaults()).isEmpty());
        for (const AlertRule& x : r.rules()) {
            QVERIFY(!x.cause.isEmpty());
            QVERIFY(!x.action.isEmpty());
        }
    }

    void defaultRulesNameTheCause_data() {
        QTest::addColumn<std::vector<FamilyShare>>("families");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<double>("confidence");
        QTest::newRow("power spike") << shareVector({{"Voltage", 54.7},
                                                     {"Current", 30.2},
                                                     {"Temperature", 6.6},
                                                     {"RPM", 5.0},
                                                     {"Vibration", 3.5}})
                                     << "power_instability" << 0.849;
        QTest::newRow("voltage-heavy spike")
            << shareVector({{"Voltage", 72}, {"Current", 20}, {"Temperature", 8}}) << "power_instability"
            << 0.92;
        QTest::newRow("pure voltage") << shareVector({{"Voltage", 80}, {"Current", 5}, {"Temperature", 15}})
                                      << "electrical_noise" << 0.80;
        QTest::newRow("overheat") << shareVector({{"Temperature", 70}, {"Current", 15}, {"Voltage", 15}})
                                  << "thermal_overload" << 0.70;
        QTest::newRow("bearing wear") << shareVector({{"Vibration", 45}, {"RPM", 20}, {"Temperature", 35}})
                                      << "mechanical_wear" << 0.65;
        // Missingness is tried first: a voltage dropout must not read as electrical noise.
        QTest::newRow("dropout") << shareVector({{"Missingness", 45}, {"Voltage", 55}}) << "sensor_fault"
                                 << 0.45;
        QTest::newRow("mixed") << shareVector({{"Temperature", 40}, {"Vibration", 30}, {"Voltage", 30}})
                               << "unclassified" << 0.0;
        QTest::newRow("operation only") << shareVector({{"Operation", 100}}) << "unclassified" << 0.0;
        QTest::newRow("unexplained") << std::vector<FamilyShare>{} << "unclassified" << 0.0;
    }
    void defaultRulesNameTheCause() {
        QFETCH(std::vector<FamilyShare>, families);
        QFETCH(QString, rule);
        QFETCH(double, confidence);
        const AlertRules r = AlertRules::defaults();
        const RuleMatch m = r.match(families);
        QCOMPARE(r.rule(m.rule).id, rule);
        QVERIFY(qAbs(m.share - confidence) < 1e-9);
        QVERIFY(m.share >= 0.0 && m.share <= 1.0);
    }

    void firstMatchingRuleWins() {
        const auto fams = shares({{"Voltage", 60}, {"Current", 40}});
        Json j = {
            {"rules", {rule("voltage_only", {"Voltage"}, 0.5), rule("power", {"Voltage", "Current"}, 0.5)}}};
        QCOMPARE(rulesFrom(j).rule(rulesFrom(j).match(fams).rule).id, QStringLiteral("voltage_only"));
        std::swap(j["rules"][0], j["rules"][1]);
        const AlertRules swapped = rulesFrom(j);
        QCOMPARE(swapped.rule(swapped.match(fams).rule).id, QStringLiteral("power"));
    }

    void minEachNeedsEveryFamily() {
        const Json j = {{"rules", {rule("power", {"Voltage", "Current"}, 0.6, 0.15)}}};
        const AlertRules r = rulesFrom(j);
        QCOMPARE(r.match(shares({{"Voltage", 50}, {"Current", 15}, {"RPM", 35}})).rule, 0);  // on the floor
        QCOMPARE(r.match(shares({{"Voltage", 85}, {"Current", 14.9}})).rule, -1);
        QCOMPARE(r.match(shares({{"Voltage", 40}, {"Current", 19.9}, {"RPM", 40.1}})).rule, -1);  // sum 0.599
    }

    void zeroShareRuleNeedsSomeShare() {
        const AlertRules r = rulesFrom({{"rules", {rule("any_pressure", {"Pressure"}, 0.0)}}});
        QCOMPARE(r.match(shares({{"Voltage", 100}})).rule, -1);
        QCOMPARE(r.match(shares({{"Voltage", 99}, {"Pressure", 1}})).rule, 0);
    }

    // A rules file is read before the database whose catalog it must fit: a family that neither the store's
    // catalog, nor the default catalog (whose families the shipped rules name), nor a pseudo-family has (a
    // typo, or another plant's family) is an error naming the file and the field once the two meet; it was
    // accepted, and the rule silently never matched.
    void familiesOutsideTheCatalogAreAnError() {
        Json j = AlertRules::defaults().toJson();
        j["rules"].insert(j["rules"].begin() + 1, rule("pressure_leak", {"Temperature", "Pressure"}, 0.5));
        auto parsed = AlertRules::fromJson(j, QStringLiteral("plant_rules.json"));
        QVERIFY(parsed.ok());
        const AlertRules& r = *parsed;
        QCOMPARE(r.rule(r.match(shares({{"Pressure", 70}, {"Voltage", 30}})).rule).id,
                 QStringLiteral("pressure_leak"));
        QCOMPARE(r.familiesOutside(SensorCatalog::defaults()), QStringList({"Pressure"}));
        const Status s = r.checkFamilies(SensorCatalog::defaults());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QCOMPARE(s.error().file, QStringLiteral("plant_rules.json"));
        QVERIFY2(s.error().message.startsWith(
                     QLatin1String("rules[1] (pressure_leak).families[1]: unknown family \"Pressure\"")),
                 qPrintable(s.error().message));
        QVERIFY2(s.error().message.contains(QLatin1String("Temperature")), qPrintable(s.error().message));
        // A catalog with a Pressure channel takes the same rules; the pseudo-families are always known.
        QVERIFY(AlertRules::defaults().checkFamilies(SensorCatalog::defaults()).ok());
        auto plant = SensorCatalog::fromJson(Json::parse(R"({"schema_version": 1, "channels": [
            {"name": "temp_c", "unit": "C", "family": "Temperature", "min": -40, "max": 200},
            {"name": "p_bar", "unit": "bar", "family": "Pressure", "min": 0, "max": 400}]})"),
                                             QStringLiteral("plant.json"));
        QVERIFY2(plant.ok(), plant.ok() ? "" : qPrintable(plant.error().toString()));
        // The shipped rules name the default catalog's families (Voltage, Vibration, ...): known everywhere.
        QVERIFY(r.checkFamilies(*plant).ok());
        QVERIFY(AlertRules::defaults().checkFamilies(*plant).ok());
        Json only = Json::object();
        only["rules"] = Json::array({rule("pressure_leak", {"Pressure", "Missingness"}, 0.5)});
        QVERIFY(rulesFrom(only).checkFamilies(*plant).ok());
        only["rules"] = Json::array({rule("pressure_leak", {"Presure"}, 0.5)});
        QVERIFY(!rulesFrom(only).checkFamilies(*plant).ok());
    }

    void severityBands_data() {
        QTest::addColumn<double>("critical");
        QTest::addColumn<double>("warning");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("severity");
        // Exact binary fractions: the band edges themselves, and the values just below them.
        QTest::newRow("critical edge") << 0.5 << 0.25 << 0.5 << 0.75 << "CRITICAL";
        QTest::newRow("below critical") << 0.5 << 0.25 << 0.5 << 0.7499 << "WARNING";
        QTest::newRow("warning edge") << 0.5 << 0.25 << 0.5 << 0.625 << "WARNING";
        QTest::newRow("below warning") << 0.5 << 0.25 << 0.5 << 0.6249 << "INFO";
        QTest::newRow("at threshold") << 0.5 << 0.25 << 0.5 << 0.5 << "INFO";
        QTest::newRow("top score") << 0.5 << 0.25 << 0.5 << 1.0 << "CRITICAL";
        // Default bands with decimal edges that do not round-trip exactly: the edge still counts.
        QTest::newRow("default critical edge") << 0.35 << 0.10 << 0.6 << 0.74 << "CRITICAL";
        QTest::newRow("default below critical") << 0.35 << 0.10 << 0.6 << 0.7399 << "WARNING";
        QTest::newRow("default warning edge") << 0.35 << 0.10 << 0.6 << 0.64 << "WARNING";
        QTest::newRow("default below warning") << 0.35 << 0.10 << 0.6 << 0.6399 << "INFO";
        QTest::newRow("threshold one") << 0.35 << 0.10 << 1.0 << 1.0 << "CRITICAL";
    }
    void severityBands() {
        QFETCH(double, critical);
        QFETCH(double, warning);
        QFETCH(double, threshold);
        QFETCH(double, score);
        QFETCH(QString, severity);
        const AlertRules r = rulesFrom(
            {{"rules", Json::array()}, {"severity", {{"critical", critical}, {"warning", warning}}}});
        QCOMPARE(severityName(r.severityFor(score, threshold)), severity);
    }

    // Urgency in decades of rarity: normal filtered scores 0.000, 0.001, …, 0.999 (P(normal ≥ i/1000) =
    // (1000 − i)/1001), threshold 0.9 (P = 100/1001). 0.99 is ten times rarer, 0.999 a hundred times.
    void tailDecadesBands_data() {
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("severity");
        QTest::newRow("at threshold") << 0.9 << "INFO";
        QTest::newRow("below one decade") << 0.989 << "INFO";
        QTest::newRow("one decade") << 0.99 << "WARNING";
        QTest::newRow("below two decades") << 0.998 << "WARNING";
        QTest::newRow("two decades") << 0.999 << "CRITICAL";
        QTest::newRow("beyond every normal row") << 1.5 << "CRITICAL";
    }
    void tailDecadesBands() {
        QFETCH(double, score);
        QFETCH(QString, severity);
        std::vector<double> normal;
        for (int i = 0; i < 1000; ++i) normal.push_back(i / 1000.0);
        const TailCalibration tail = TailCalibration::fit(normal);
        const AlertRules r = AlertRules::defaults();
        QCOMPARE(r.urgencyBasis(), UrgencyBasis::TailDecades);
        QCOMPARE(severityName(r.severityFor(score, 0.9, &tail)), severity);
        // Without a tail the relative-margin bands decide: (0.99 − 0.9) / 0.1 = 0.9 ≥ 0.35.
        if (score == 0.99)
            QCOMPARE(r.severityFor(score, 0.9, nullptr), Severity::Critical);
    }

    // The shipped priority matrix (consequence × urgency) and its round trip through toJson().
    void priorityMatrix_data() {
        QTest::addColumn<int>("consequence");
        QTest::addColumn<int>("urgency");
        QTest::addColumn<int>("priority");
        const char* names[] = {"low", "medium", "high"};
        const int expected[3][3] = {{0, 0, 0}, {0, 0, 1}, {0, 1, 2}};
        for (int c = 0; c < 3; ++c)
            for (int u = 0; u < 3; ++u)
                QTest::addRow("%s consequence, %s urgency", names[c], names[u]) << c << u << expected[c][u];
    }
    void priorityMatrix() {
        QFETCH(int, consequence);
        QFETCH(int, urgency);
        QFETCH(int, priority);
        const AlertRules shipped = AlertRules::defaults();
        const auto again = AlertRules::fromJson(shipped.toJson(), QStringLiteral("round trip"));
        QVERIFY(again.ok());
        for (const AlertRules* r : {&shipped, &again.value()})
            QCOMPARE(int(r->priorityOf(Consequence(consequence), Severity(urgency))), priority);
    }

    void marginKeysNeedTheTailBasis() {
        Json j = AlertRules::defaults().toJson();
        j["severity"]["basis"] = "relative_margin";
        j["severity"]["critical"] = 0.35;
        j["severity"]["warning"] = 0.1;
        const auto r = AlertRules::fromJson(j, QStringLiteral("r.json"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.startsWith(QStringLiteral("severity.margin_critical: only with basis")),
                 qPrintable(r.error().toString()));
    }

    void rejectsBadFiles_data() {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("value");  // JSON text, or empty to remove the member
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const char* ptr, const char* value, const char* message) {
            QTest::newRow(name) << QString::fromLatin1(ptr) << QString::fromUtf8(value)
                                << QString::fromUtf8(message);
        };
        row("min_share too big", "/rules/2/min_share", "1.5",
            "rules[2] (thermal_overload).min_share: expected a number in [0, 1]");
        row("min_share text", "/rules/2/min_share", "\"high\"",
            "rules[2] (thermal_overload).min_share: expected a number in [0, 1]");
        row("min_share missing", "/rules/2/min_share", "",
            "rules[2] (thermal_overload).min_share: missing (expected a number in [0, 1])");
        row("min_each negative", "/rules/1/min_each", "-0.1",
            "rules[1] (power_instability).min_each: expected a number in [0, 1]");
        row("families empty", "/rules/3/families", "[]",
            "rules[3] (mechanical_wear).families: expected a non-empty array of family names");
        row("families not array", "/rules/3/families", "\"Vibration\"",
            "rules[3] (mechanical_wear).families: expected a non-empty array of family names");
        row("families missing", "/rules/3/families", "",
            "rules[3] (mechanical_wear).families: missing (expected a non-empty array of family names)");
        row("family not string", "/rules/1/families/1", "7",
            "rules[1] (power_instability).families[1]: expected a family name (string)");
        row("family empty", "/rules/1/families/0", "\"  \"",
            "rules[1] (power_instability).families[0]: must not be empty");
        row("family duplicate", "/rules/1/families/1", "\"Voltage\"",
            "rules[1] (power_instability).families[1]: duplicate family \"Voltage\"");
        row("cause empty", "/rules/4/cause", "\"\"", "rules[4] (electrical_noise).cause: must not be empty");
        row("cause number", "/rules/4/cause", "3", "rules[4] (electrical_noise).cause: expected a string");
        row("action missing", "/rules/0/action", "",
            "rules[0] (sensor_fault).action: missing (expected a string)");
        row("id missing", "/rules/0/id", "", "rules[0].id: missing (expected a string)");
        row("id invalid", "/rules/0/id", "\"Bad Id\"", "rules[0].id: \"Bad Id\" is not a valid rule id");
        row("id duplicate", "/rules/4/id", "\"sensor_fault\"",
            "rules[4].id: duplicate rule id \"sensor_fault\"");
        row("id same as fallback", "/rules/4/id", "\"unclassified\"",
            "fallback.id: duplicate rule id \"unclassified\"");
        row("unknown rule field", "/rules/1/min_shares", "0.5",
            "rules[1] (power_instability).min_shares: unknown field");
        row("rule not object", "/rules/1", "\"power\"", "rules[1]: expected an object");
        row("rules not array", "/rules", "{}", "rules: expected an array of rules");
        row("rules missing", "/rules", "", "rules: missing (expected an array of rules)");
        row("critical too big", "/severity/critical", "13", "severity.critical: expected decades in [0, 12]");
        row("margin critical too big", "/severity/margin_critical", "2",
            "severity.margin_critical: expected a number in [0, 1]");
        row("margin warning above critical", "/severity/margin_warning", "0.5",
            "severity.margin_warning: must not exceed severity.margin_critical");
        row("matrix row short", "/severity/priority_matrix/high", "[\"low\", \"high\"]",
            "severity.priority_matrix.high: expected 3 priorities");
        row("matrix unknown level", "/severity/priority_matrix/low", "[\"low\", \"low\", \"urgent\"]",
            "severity.priority_matrix.low: expected 3 priorities");
        row("matrix row missing", "/severity/priority_matrix/low", "",
            "severity.priority_matrix.low: missing (expected 3 priorities");
        row("matrix falls with urgency", "/severity/priority_matrix/high", "[\"high\", \"medium\", \"high\"]",
            "severity.priority_matrix.high: must not fall as urgency rises (position 2)");
        row("matrix below a lower consequence", "/severity/priority_matrix/high",
            "[\"low\", \"low\", \"low\"]",
            "severity.priority_matrix.high: must not be below the row of a lower consequence (position 3)");
        row("matrix unknown consequence", "/severity/priority_matrix/fatal", "[\"high\", \"high\", \"high\"]",
            "severity.priority_matrix.fatal: unknown field");
        row("warning above critical", "/severity/warning", "3",
            "severity.warning: must not exceed severity.critical");
        row("basis unknown", "/severity/basis", "\"absolute\"", "severity.basis: unsupported \"absolute\"");
        row("severity not object", "/severity", "[]", "severity: expected an object");
        row("cooldown negative", "/cooldown_s", "-1", "cooldown_s: expected seconds in [0, 86400]");
        row("cooldown text", "/cooldown_s", "\"5m\"", "cooldown_s: expected a number");
        row("top features zero", "/top_features", "0", "top_features: expected an integer in [1, 20]");
        row("fallback families", "/fallback/families", "[\"Voltage\"]", "fallback.families: unknown field");
        row("fallback cause missing", "/fallback/cause", "", "fallback.cause: missing (expected a string)");
        row("fallback not object", "/fallback", "1", "fallback: expected an object");
        row("schema version", "/schema_version", "3",
            "schema_version: unsupported version (expected 1 or 2)");
        row("inverted hysteresis", "/incidents/clear_ratio", "1.2",
            "incidents.clear_ratio: expected a number in (0, 1]");
        row("negative on-delay", "/incidents/on_delay_s", "-5",
            "incidents.on_delay_s: expected seconds in [0, 3600]");
        row("unknown incidents key", "/incidents/on_delay", "5", "incidents.on_delay: unknown field");
        row("unknown consequence", "/rules/0/consequence", "\"fatal\"",
            "rules[0] (sensor_fault).consequence: expected \"low\", \"medium\" or \"high\"");
        row("unknown root field", "/cooldown", "300", "cooldown: unknown field");
    }
    void rejectsBadFiles() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, message);
        Json j = AlertRules::defaults().toJson();
        const Json::json_pointer ptr(pointer.toStdString());
        if (value.isEmpty()) {
            Json& parent = j.at(ptr.parent_pointer());
            QVERIFY(parent.is_object());
            QVERIFY(parent.erase(ptr.back()) == 1);
        } else {
            j[ptr] = Json::parse(value.toStdString());
        }
        const auto r = AlertRules::fromJson(j, QStringLiteral("alert_rules.json"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QCOMPARE(r.error().file, QStringLiteral("alert_rules.json"));
        QVERIFY2(r.error().message.startsWith(message), qPrintable(r.error().toString()));
        QVERIFY2(r.error().toString().startsWith(QStringLiteral("alert_rules.json: ") + message),
                 qPrintable(r.error().toString()));
    }

    void rejectsNonObjectRoot() {
        const auto r = AlertRules::fromJson(Json::array(), QStringLiteral("x.json"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("expected a JSON object")));
    }

    void fallbackIsOptional() {
        const AlertRules r = rulesFrom({{"rules", {rule("thermal", {"Temperature"}, 0.5)}}});
        QCOMPARE(r.fallback().id, QStringLiteral("unclassified"));
        const auto clash =
            AlertRules::fromJson({{"rules", {rule("unclassified", {"Temperature"}, 0.5)}}}, "x.json");
        QVERIFY(!clash.ok());
        QVERIFY(clash.error().message.startsWith(QStringLiteral("fallback: missing")));
    }

    void roundTripsThroughJson() {
        const AlertRules a = AlertRules::defaults();
        const AlertRules b = rulesFrom(a.toJson());
        QCOMPARE(toJsonBytes(b.toJson()), toJsonBytes(a.toJson()));
    }

    // The console's cooldown setting: in range it replaces the file's value, out of range nothing changes.
    void setsTheCooldown() {
        AlertRules r = AlertRules::defaults();
        QVERIFY(r.setCooldownSeconds(45).ok());
        QCOMPARE(r.cooldownMs(), qint64(45000));
        QVERIFY(r.setCooldownSeconds(0).ok());
        QCOMPARE(r.cooldownMs(), qint64(0));
        QVERIFY(r.setCooldownSeconds(AlertRules::kMaxCooldownSeconds).ok());
        for (double bad :
             {-1.0, AlertRules::kMaxCooldownSeconds + 1, std::numeric_limits<double>::quiet_NaN()}) {
            const Status s = r.setCooldownSeconds(bad);
            QVERIFY(!s.ok());
            QVERIFY2(s.error().message.contains(QStringLiteral("cooldown")), qPrintable(s.error().message));
            QCOMPARE(r.cooldownSeconds(), AlertRules::kMaxCooldownSeconds);
        }
        // The rest of the policy is untouched.
        QCOMPARE(r.rules().size(), AlertRules::defaults().rules().size());
    }

    void loadsFilesAndNamesSyntaxErrors() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString good = dir.filePath(QStringLiteral("alert_rules.json"));
        Json j = AlertRules::defaults().toJson();
        j["cooldown_s"] = 60;
        QVERIFY(writeFileAtomic(good, toJsonBytes(j)).ok());
        const auto loaded = AlertRules::load(good);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->cooldownMs(), qint64(60000));

        const QString bad = dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(writeFileAtomic(bad, QByteArray("{\n  \"rules\": [\n    {\"id\": }\n  ]\n}\n")).ok());
        const auto broken = AlertRules::load(bad);
        QVERIFY(!broken.ok());
        QCOMPARE(broken.error().file, bad);
        QCOMPARE(broken.error().line, qint64(3));

        const auto missing = AlertRules::load(dir.filePath(QStringLiteral("nope.json")));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, Error::Kind::BadInput);
    }
};

QTEST_GUILESS_MAIN(AlertRulesTest)
#include "alert_rules_test.moc"
