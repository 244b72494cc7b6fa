#include "alerts/incident_tracker.h"
#include "alerts/alarm_kpis.h"
#include "alerts/alert_rules.h"
#include "alerts/incident_engine.h"
#include "common/time_util.h"
#include "core/alerts/alert_fixtures.h"

#include <QHash>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <numeric>

using namespace itap;
using fixtures::FleetBuilder;
using fixtures::kT0;
using fixtures::Shares;
using fixtures::shares;
using Json = nlohmann::json;

Q_DECLARE_METATYPE(itap::fixtures::Shares)
Q_DECLARE_METATYPE(itap::IncidentKind)
Q_DECLARE_METATYPE(itap::Severity)
Q_DECLARE_METATYPE(itap::Suppression)
Q_DECLARE_METATYPE(itap::OpState)

namespace {

// Raise level 0.6, clear level 0.6 × 0.9 = 0.54; the scores below sit well clear of both.
constexpr double kThreshold = 0.6;
constexpr double kHigh = 0.7;  // at or above the raise level
constexpr double kMid = 0.57;  // between the clear and the raise level
constexpr double kLow = 0.3;   // below the clear level

const auto kPower = [] { return shares({{"Voltage", 80}, {"Current", 20}}); };
const auto kHeat = [] { return shares({{"Temperature", 100}}); };

Json rule(const char* id, const char* cause, std::vector<std::string> families, const char* consequence) {
    return {{"id", id},         {"cause", cause},         {"families", families},
            {"min_share", 0.6}, {"action", "Inspect it"}, {"consequence", consequence}};
}

// Every parameter spelled out, so no expectation below leans on a shipped default.
Json baseRules() {
    return {
        {"schema_version", 2},
        {"cooldown_s", 60},
        {"top_features", 3},
        {"severity", {{"basis", "relative_margin"}, {"critical", 0.35}, {"warning", 0.10}}},
        {"incidents",
         {{"filter_s", 0},
          {"on_delay_s", 20},
          {"clear_ratio", 0.9},
          {"off_delay_s", 30},
          {"alarm_min_confidence", 0.5},
          {"alarm_min_margin", 0.35},
          {"suppress_maintenance", true},
          {"suppress_after_state_change_s", 0},
          {"fleet_min_devices", 3},
          {"min_incident_precision", 0.8},
          {"alarms_per_device_day", 1.0},
          {"match_tolerance_s", 300}}},
        {"rules", Json::array({rule("power_instability", "Power instability", {"Voltage", "Current"}, "high"),
                               rule("thermal_overload", "Thermal overload", {"Temperature"}, "high"),
                               rule("speed_drift", "Speed drift", {"RPM"}, "medium"),
                               rule("bearing_wear", "Bearing wear", {"Vibration"}, "low")})},
        {"fallback",
         {{"id", "unclassified"},
          {"cause", "Unclassified anomaly"},
          {"action", "Review the traces"},
          {"consequence", "low"}}}};
}

AlertRules rulesFrom(const Json& j) {
    auto r = AlertRules::fromJson(j, QStringLiteral("test_rules.json"));
    if (!r)
        qFatal("test rules rejected: %s", qPrintable(r.error().toString()));
    return std::move(r).value();
}

const FeatureSchema& schema() {
    static const FeatureSchema s = FleetBuilder().schema;
    return s;
}

qint64 at(qint64 offsetS) {
    return kT0 + offsetS * 1000;
}

// Seconds after kT0, or -1 kept as -1 (an incident still active).
qint64 offsetOf(qint64 ms) {
    return ms < 0 ? -1 : (ms - kT0) / 1000;
}

/// Pushes hand-made rows through an IncidentTracker (filter_s 0: the filtered score is the score given) and
/// records the same rows as a ScoreTable, so incidentSpans() can be run over them too.
class Feed {
public:
    explicit Feed(const Json& rules = baseRules(), const FeatureSchema& features = schema())
        : rules_(rulesFrom(rules)), schema_(features), tracker_(rules_, kThreshold, features) {}

    std::optional<AlertUpdate> add(const QString& device, qint64 offsetS, double score,
                                   const Shares& families = {}, OpState state = OpState::Run,
                                   int diagnostic = -1) {
        Explanation e;
        e.row = table_.size();
        e.families = families;
        for (const FamilyShare& f : families) {
            const auto it = std::find(schema_.families.begin(), schema_.families.end(), f.family);
            if (it != schema_.families.end())
                e.features.push_back({static_cast<int>(it - schema_.families.begin()), f.percent});
        }
        ScoredRow row;
        row.device = device;
        row.tsMs = at(offsetS);
        row.state = state;
        row.score = score;
        row.filtered = score;
        row.row = table_.size();
        row.diagnostic = diagnostic;

        diagnostics_.push_back(static_cast<std::int16_t>(diagnostic));
        table_.device.push_back(deviceIndex(device));
        table_.tsMs.push_back(row.tsMs);
        table_.state.push_back(state);
        table_.score.push_back(static_cast<float>(score));
        table_.faultTag.push_back(QString());
        table_.train.push_back(0);
        return tracker_.push(row, score >= kThreshold && !families.empty() ? &e : nullptr);
    }

    /// One row every 10 s from `fromS`, one per score.
    void series(const QString& device, qint64 fromS, const QList<double>& scores, const Shares& families) {
        for (qsizetype i = 0; i < scores.size(); ++i) add(device, fromS + 10 * i, scores[i], families);
    }

    IncidentTracker& tracker() { return tracker_; }
    const std::vector<Alert>& alerts() const { return tracker_.alerts(); }

    [[nodiscard]] std::vector<IncidentSpan> spans() const {
        const std::vector<float> filtered(table_.score.begin(), table_.score.end());
        return incidentSpans(table_, filtered, kThreshold, rules_, diagnostics_);
    }

private:
    int deviceIndex(const QString& device) {
        auto i = table_.devices.indexOf(device);
        if (i < 0) {
            i = table_.devices.size();
            table_.devices << device;
        }
        return static_cast<int>(i);
    }

    AlertRules rules_;
    FeatureSchema schema_;
    IncidentTracker tracker_;
    ScoreTable table_;
    std::vector<std::int16_t> diagnostics_;
};

// Two channels with the columns instrument diagnostics credit: voltage_v (0) and rpm (1).
FeatureSchema channelSchema() {
    FeatureSchema s;
    const std::tuple<const char*, const char*, int> cols[] = {{"voltage_v_mean", "Voltage", 0},
                                                              {"voltage_v_std", "Voltage", 0},
                                                              {"voltage_v_missing_frac", "Missingness", 0},
                                                              {"rpm_mean", "RPM", 1},
                                                              {"rpm_std", "RPM", 1},
                                                              {"rpm_missing_frac", "Missingness", 1},
                                                              {"temp_c_trend", "Temperature", -1}};
    for (const auto& [name, fam, channel] : cols) {
        s.names.push_back(QString::fromLatin1(name));
        s.families.push_back(QString::fromLatin1(fam));
        s.channel.push_back(channel);
    }
    return s;
}

Json rulesWithSensorFault() {
    Json j = baseRules();
    j["rules"].insert(j["rules"].begin(), rule("sensor_fault", "Sensor fault", {"Missingness"}, "low"));
    j["rules"][0]["min_share"] = 0.35;
    return j;
}

// A run of `n` equal scores.
QList<double> repeat(double score, int n) {
    return QList<double>(n, score);
}

QList<double> concat(std::initializer_list<QList<double>> parts) {
    QList<double> out;
    for (const QList<double>& p : parts) out += p;
    return out;
}

bool closeTo(double a, double b) {
    return qAbs(a - b) < 1e-6;
}

Alert makeAlarm(const QString& device, qint64 startS, qint64 raisedS, qint64 endS, qint64 clearedS) {
    Alert a;
    a.device = device;
    a.id = device + QLatin1Char('@') + formatUtcTimestamp(at(startS));
    a.kind = IncidentKind::Alarm;
    a.severity = Severity::Warning;
    a.startMs = at(startS);
    a.raisedMs = at(raisedS);
    a.endMs = at(endS);
    a.clearedMs = clearedS < 0 ? -1 : at(clearedS);
    a.cause = QStringLiteral("Thermal overload");
    a.ruleId = QStringLiteral("thermal_overload");
    a.confidence = 0.8;
    a.families = {FamilyShare{QStringLiteral("Temperature"), 80}, FamilyShare{QStringLiteral("Current"), 20}};
    return a;
}

}  // namespace

class IncidentTrackerTest : public QObject {
    Q_OBJECT
private slots:
    // One device, a sample every 10 s from t = 0; on-delay 20 s, off-delay 30 s, re-alarm window 60 s.
    // Expected per incident, in seconds: start, raised, end (last sample ≥ clear), cleared (-1: active).
    void hysteresis_data() {
        QTest::addColumn<double>("onDelayS");
        QTest::addColumn<QList<double>>("scores");
        QTest::addColumn<QList<int>>("starts");
        QTest::addColumn<QList<int>>("raised");
        QTest::addColumn<QList<int>>("ends");
        QTest::addColumn<QList<int>>("cleared");
        QTest::addColumn<QList<int>>("reopened");
        QTest::addColumn<QList<int>>("flagged");

        const QList<double> quiet = repeat(kLow, 6);
        QTest::newRow("excursion shorter than the on-delay")
            << 20.0 << concat({{kLow}, repeat(kHigh, 2), quiet}) << QList<int>{} << QList<int>{}
            << QList<int>{} << QList<int>{} << QList<int>{} << QList<int>{};
        // Above at 10, 20, 30: 30 − 10 = 20 s reaches the on-delay.
        QTest::newRow("excursion as long as the on-delay")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), quiet}) << QList<int>{10} << QList<int>{30}
            << QList<int>{30} << QList<int>{70} << QList<int>{0} << QList<int>{3};
        // Above 10–40, below from 50: clearing since 50, cleared at 80.
        QTest::newRow("sustained excursion clears after the off-delay")
            << 20.0 << concat({{kLow}, repeat(kHigh, 4), quiet}) << QList<int>{10} << QList<int>{30}
            << QList<int>{40} << QList<int>{80} << QList<int>{0} << QList<int>{4};
        // Between clear and raise 40–80 (longer than the off-delay): still active; below from 90, cleared
        // 120.
        QTest::newRow("holding above the clear level keeps it active")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), repeat(kMid, 5), quiet}) << QList<int>{10}
            << QList<int>{30} << QList<int>{80} << QList<int>{120} << QList<int>{0} << QList<int>{3};
        // Below at 40 and 50 (20 s < off-delay), above 60–70, below from 80: cleared at 110.
        QTest::newRow("dip shorter than the off-delay")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), repeat(kLow, 2), repeat(kHigh, 2), quiet})
            << QList<int>{10} << QList<int>{30} << QList<int>{70} << QList<int>{110} << QList<int>{0}
            << QList<int>{5};
        // Cleared at 70; above again 90–110 (20 s after the clear): reopened at 110, cleared again at 150.
        QTest::newRow("re-raise inside the re-alarm window")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), repeat(kLow, 5), repeat(kHigh, 3), quiet})
            << QList<int>{10} << QList<int>{30} << QList<int>{110} << QList<int>{150} << QList<int>{1}
            << QList<int>{6};
        // Cleared at 70; above again from 130 = exactly the window: the latent incident is not expired yet.
        QTest::newRow("re-raise on the re-alarm window's edge")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), repeat(kLow, 9), repeat(kHigh, 3), quiet})
            << QList<int>{10} << QList<int>{30} << QList<int>{150} << QList<int>{190} << QList<int>{1}
            << QList<int>{6};
        // Cleared at 70; above again from 140 (70 s after): a second incident, raised at 160, cleared at 200.
        QTest::newRow("re-raise after the re-alarm window")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), repeat(kLow, 10), repeat(kHigh, 3), quiet})
            << QList<int>{10, 140} << QList<int>{30, 160} << QList<int>{30, 160} << QList<int>{70, 200}
            << QList<int>{0, 0} << QList<int>{3, 3};
        // A blip at 80 inside the window that stays shorter than the on-delay neither reopens nor extends.
        QTest::newRow("short blip inside the re-alarm window")
            << 20.0 << concat({{kLow}, repeat(kHigh, 3), repeat(kLow, 4), {kHigh}, quiet}) << QList<int>{10}
            << QList<int>{30} << QList<int>{30} << QList<int>{70} << QList<int>{0} << QList<int>{3};
        QTest::newRow("on-delay 0 raises at the first sample")
            << 0.0 << concat({{kLow}, {kHigh}, quiet}) << QList<int>{10} << QList<int>{10} << QList<int>{10}
            << QList<int>{50} << QList<int>{0} << QList<int>{1};
        QTest::newRow("active at the end of the data")
            << 20.0 << concat({{kLow}, repeat(kHigh, 4), {kLow}}) << QList<int>{10} << QList<int>{30}
            << QList<int>{40} << QList<int>{-1} << QList<int>{0} << QList<int>{4};
        QTest::newRow("still in its on-delay at the end of the data")
            << 20.0 << concat({{kLow}, repeat(kHigh, 2)}) << QList<int>{} << QList<int>{} << QList<int>{}
            << QList<int>{} << QList<int>{} << QList<int>{};
    }
    void hysteresis() {
        QFETCH(double, onDelayS);
        QFETCH(QList<double>, scores);
        QFETCH(QList<int>, starts);
        QFETCH(QList<int>, raised);
        QFETCH(QList<int>, ends);
        QFETCH(QList<int>, cleared);
        QFETCH(QList<int>, reopened);
        QFETCH(QList<int>, flagged);

        Json j = baseRules();
        j["incidents"]["on_delay_s"] = onDelayS;
        Feed feed(j);
        feed.series(QStringLiteral("DEV-A"), 0, scores, kHeat());
        feed.tracker().finish();

        const std::vector<Alert>& alerts = feed.alerts();
        QCOMPARE(qsizetype(alerts.size()), starts.size());
        for (std::size_t i = 0; i < alerts.size(); ++i) {
            const Alert& a = alerts[i];
            const auto k = qsizetype(i);
            QCOMPARE(offsetOf(a.startMs), qint64(starts[k]));
            QCOMPARE(offsetOf(a.raisedMs), qint64(raised[k]));
            QCOMPARE(offsetOf(a.endMs), qint64(ends[k]));
            QCOMPARE(offsetOf(a.clearedMs), qint64(cleared[k]));
            QCOMPARE(a.reopened, reopened[k]);
            QCOMPARE(a.count, flagged[k]);
            QCOMPARE(a.id, QStringLiteral("DEV-A@") + formatUtcTimestamp(at(starts[k])));
        }

        // The operating-point search runs the same state machine and must see the same incidents.
        const std::vector<IncidentSpan> spans = feed.spans();
        QCOMPARE(qsizetype(spans.size()), starts.size());
        for (std::size_t i = 0; i < spans.size(); ++i) {
            QCOMPARE(offsetOf(spans[i].startMs), qint64(starts[qsizetype(i)]));
            QCOMPARE(offsetOf(spans[i].endMs), qint64(ends[qsizetype(i)]));
        }
    }

    void reopenedIncidentIsActiveAgain() {
        Feed feed;
        const QString dev = QStringLiteral("DEV-A");
        QVERIFY(!feed.add(dev, 0, kHigh, kHeat()));  // on-delay running
        QVERIFY(!feed.add(dev, 10, kHigh, kHeat()));
        const auto raisedBy = feed.add(dev, 20, kHigh, kHeat());
        QVERIFY(raisedBy);
        QCOMPARE(raisedBy->index, std::size_t(0));
        QVERIFY(raisedBy->created);
        for (qint64 s = 30; s <= 50; s += 10) QVERIFY(feed.add(dev, s, kLow));
        QVERIFY(feed.alerts()[0].active());
        const auto clearedBy = feed.add(dev, 60, kLow);  // 30 s below the clear level since 30
        QVERIFY(clearedBy);
        QVERIFY(!clearedBy->created);
        QCOMPARE(offsetOf(feed.alerts()[0].clearedMs), qint64(60));
        QVERIFY(!feed.add(dev, 70, kLow));  // latent: belongs to no incident

        QVERIFY(!feed.add(dev, 80, kHigh, kHeat()));
        QVERIFY(!feed.add(dev, 90, kHigh, kHeat()));
        QCOMPARE(feed.alerts()[0].clearedMs, qint64(60) * 1000 + kT0);  // not reopened during its on-delay
        const auto reopenedBy = feed.add(dev, 100, kHigh, kHeat());
        QVERIFY(reopenedBy);
        QCOMPARE(reopenedBy->index, std::size_t(0));
        QVERIFY(!reopenedBy->created);
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        QCOMPARE(feed.alerts()[0].reopened, 1);
        QCOMPARE(feed.alerts()[0].clearedMs, qint64(-1));
        QVERIFY(feed.alerts()[0].active());
        QCOMPARE(offsetOf(feed.alerts()[0].endMs), qint64(100));
    }

    // Rows of the first family, then rows of the second, one device, 10 s apart, then quiet until it clears.
    // Weight per flagged row: (score − 0.6) / 0.4 + 0.01.
    void causeDecidedOverIncident_data() {
        QTest::addColumn<Shares>("firstFamilies");
        QTest::addColumn<double>("firstScore");
        QTest::addColumn<int>("firstRows");
        QTest::addColumn<Shares>("laterFamilies");
        QTest::addColumn<double>("laterScore");
        QTest::addColumn<int>("laterRows");
        QTest::addColumn<QString>("ruleId");
        QTest::addColumn<double>("confidence");
        QTest::addColumn<int>("revisedAtS");  // -1: no revision

        // Raised at 20 on power (3 × 0.26 = 0.78, next decision at 1.56); heat rows weigh 0.76: at 30 the
        // weight is 1.54, at 40 it is 2.30 and heat holds 152 / 230 = 66 % → revised at 40. Final: heat 6 ×
        // 76 = 456 of 456 + 78 = 534.
        QTest::newRow("cause shifts to the higher-margin family")
            << kPower() << 0.7 << 3 << kHeat() << 0.9 << 6 << "thermal_overload" << 456.0 / 534.0 << 40;
        // 20 power rows at the threshold weigh 0.01 each (total 20 × 0.01 × 100 = 20); 3 heat rows at 1.0
        // weigh 1.01 each (303). The first heat row (at 200) outweighs everything before it.
        QTest::newRow("few high-margin rows outweigh many at the threshold")
            << kPower() << 0.6 << 20 << kHeat() << 1.0 << 3 << "thermal_overload" << 303.0 / 323.0 << 200;
        // Equal margins: every row weighs the same, so the 20 power rows hold 20 / 23 of the attribution.
        QTest::newRow("equal margins: the majority decides")
            << kPower() << 0.8 << 20 << kHeat() << 0.8 << 3 << "power_instability" << 20.0 / 23.0 << -1;
    }
    void causeDecidedOverIncident() {
        QFETCH(Shares, firstFamilies);
        QFETCH(double, firstScore);
        QFETCH(int, firstRows);
        QFETCH(Shares, laterFamilies);
        QFETCH(double, laterScore);
        QFETCH(int, laterRows);
        QFETCH(QString, ruleId);
        QFETCH(double, confidence);
        QFETCH(int, revisedAtS);

        Feed feed;
        const QString dev = QStringLiteral("DEV-A");
        feed.series(dev, 0, repeat(firstScore, firstRows), firstFamilies);
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        QCOMPARE(feed.alerts()[0].ruleId, QStringLiteral("power_instability"));  // what was known when raised
        feed.series(dev, 10 * firstRows, repeat(laterScore, laterRows), laterFamilies);
        feed.series(dev, 10 * (firstRows + laterRows), repeat(kLow, 5), {});
        feed.tracker().finish();

        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts()[0];
        QVERIFY(!a.active());
        QCOMPARE(a.ruleId, ruleId);
        QCOMPARE(a.cause, ruleId == QStringLiteral("thermal_overload") ? QStringLiteral("Thermal overload")
                                                                       : QStringLiteral("Power instability"));
        QVERIFY2(closeTo(a.confidence, confidence), qPrintable(QString::number(a.confidence)));
        QCOMPARE(a.count, firstRows + laterRows);
        if (revisedAtS < 0) {
            QVERIFY(a.revisions.empty());
        } else {
            QCOMPARE(a.revisions.size(), std::size_t(1));
            QCOMPARE(a.revisions[0].fromRuleId, QStringLiteral("power_instability"));
            QCOMPARE(a.revisions[0].toRuleId, QStringLiteral("thermal_overload"));
            QCOMPARE(offsetOf(a.revisions[0].tsMs), qint64(revisedAtS));
        }
    }

    // Five rows at one score from t = 0, then quiet. Margin of the peak = (score − 0.6) / 0.4.
    void alarmOrEvent_data() {
        QTest::addColumn<Shares>("families");
        QTest::addColumn<double>("score");
        QTest::addColumn<double>("minConfidence");
        QTest::addColumn<IncidentKind>("kind");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("ruleId");

        const Shares unknown = shares({{"Pressure", 70}, {"Vibration", 30}});
        const QString noPattern = QStringLiteral("Pressure deviation, no known pattern");
        // Without a rule the dominant family (Pressure, 70 %) describes the incident and is its confidence.
        QTest::newRow("no rule, dominant family short of the confidence, low margin")
            << unknown << 0.65 << 0.8 << IncidentKind::Event << noPattern << "unclassified";
        QTest::newRow("no rule, margin just below the floor")
            << unknown << 0.73 << 0.8 << IncidentKind::Event << noPattern << "unclassified";
        QTest::newRow("no rule, margin on the floor")
            << unknown << 0.74 << 0.8 << IncidentKind::Alarm << noPattern << "unclassified";
        QTest::newRow("no rule, high margin")
            << unknown << 0.9 << 0.8 << IncidentKind::Alarm << noPattern << "unclassified";
        QTest::newRow("no rule, dominant family confident, low margin")
            << unknown << 0.65 << 0.5 << IncidentKind::Alarm << noPattern << "unclassified";
        QTest::newRow("confident rule, low margin")
            << kHeat() << 0.65 << 0.5 << IncidentKind::Alarm << "Thermal overload"
            << "thermal_overload";
        // Temperature 70 % matches the rule (min_share 0.6) but is short of the 0.8 alarm confidence.
        QTest::newRow("rule below the alarm confidence, low margin")
            << shares({{"Temperature", 70}, {"Pressure", 30}}) << 0.65 << 0.8 << IncidentKind::Event
            << "Thermal overload"
            << "thermal_overload";
    }
    void alarmOrEvent() {
        QFETCH(Shares, families);
        QFETCH(double, score);
        QFETCH(double, minConfidence);
        QFETCH(IncidentKind, kind);
        QFETCH(QString, cause);
        QFETCH(QString, ruleId);

        Json j = baseRules();
        j["incidents"]["alarm_min_confidence"] = minConfidence;
        Feed feed(j);
        feed.series(QStringLiteral("DEV-A"), 0, repeat(score, 5), families);
        feed.series(QStringLiteral("DEV-A"), 50, repeat(kLow, 5), {});
        feed.tracker().finish();

        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts()[0];
        QCOMPARE(a.kind, kind);
        QCOMPARE(a.annunciated(), kind == IncidentKind::Alarm);
        QCOMPARE(a.cause, cause);
        QCOMPARE(a.ruleId, ruleId);
        QCOMPARE(a.peakFiltered, score);
        QCOMPARE(a.described, ruleId == QStringLiteral("unclassified"));
        if (a.described)
            QCOMPARE(a.confidence, 0.7);
    }

    // Priority = the shipped matrix [consequence][urgency of the peak]; urgency bands here (no normal tail):
    // relative margin ≥ 0.35 high, ≥ 0.10 medium. Matrix: low consequence → low; medium → medium only at high
    // urgency; high → medium at medium urgency, high at high urgency.
    void priority_data() {
        QTest::addColumn<Shares>("families");
        QTest::addColumn<double>("score");
        QTest::addColumn<Severity>("priority");

        const Shares rpm = shares({{"RPM", 100}});
        const Shares vibration = shares({{"Vibration", 100}});
        QTest::newRow("high consequence, margin 0.75") << kHeat() << 0.9 << Severity::Critical;
        QTest::newRow("high consequence, margin 0.35") << kHeat() << 0.74 << Severity::Critical;
        QTest::newRow("high consequence, margin 0.25") << kHeat() << 0.7 << Severity::Warning;
        QTest::newRow("high consequence, margin 0.05") << kHeat() << 0.62 << Severity::Info;
        QTest::newRow("medium consequence, margin 0.875") << rpm << 0.95 << Severity::Warning;
        QTest::newRow("medium consequence, margin 0.25") << rpm << 0.7 << Severity::Info;
        QTest::newRow("medium consequence, margin 0.05") << rpm << 0.62 << Severity::Info;
        QTest::newRow("low consequence, margin 1") << vibration << 1.0 << Severity::Info;
        QTest::newRow("low consequence, margin 0.25") << vibration << 0.7 << Severity::Info;
    }
    void priority() {
        QFETCH(Shares, families);
        QFETCH(double, score);
        QFETCH(Severity, priority);

        Feed feed;
        feed.series(QStringLiteral("DEV-A"), 0, repeat(score, 5), families);
        feed.tracker().finish();
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        QCOMPARE(feed.alerts()[0].severity, priority);
    }

    // With basis tail_decades and a normal tail, urgency is the peak's rarity under normal operation. Normal
    // filtered scores 0.000 … 0.999 make P(normal ≥ 0.6) = 400/1001: 1 decade at 0.96, 2 decades at 0.996.
    void priorityByTailDecades_data() {
        QTest::addColumn<double>("score");
        QTest::addColumn<bool>("withTail");
        QTest::addColumn<Severity>("priority");
        QTest::newRow("below one decade") << 0.95 << true << Severity::Info;
        QTest::newRow("one decade") << 0.96 << true << Severity::Warning;
        QTest::newRow("two decades") << 0.996 << true << Severity::Critical;
        // No tail (no normal training rows): the relative-margin bands, margin 0.875 → high urgency.
        QTest::newRow("no tail") << 0.95 << false << Severity::Critical;
    }
    void priorityByTailDecades() {
        QFETCH(double, score);
        QFETCH(bool, withTail);
        QFETCH(Severity, priority);
        Json rules = baseRules();
        rules["severity"] = {{"basis", "tail_decades"}, {"critical", 2}, {"warning", 1}};
        Feed feed(rules);
        if (withTail) {
            std::vector<double> normal;
            for (int i = 0; i < 1000; ++i) normal.push_back(i / 1000.0);
            feed.tracker().setNormalTail(
                std::make_shared<const TailCalibration>(TailCalibration::fit(normal)));
        }
        feed.series(QStringLiteral("DEV-A"), 0, repeat(score, 5), kHeat());
        feed.tracker().finish();
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        QCOMPARE(feed.alerts()[0].severity, priority);
    }

    void maintenanceSuppression_data() {
        QTest::addColumn<bool>("suppressMaintenance");
        QTest::addColumn<OpState>("state");
        QTest::addColumn<Suppression>("suppression");

        QTest::newRow("MAINT, suppression on") << true << OpState::Maint << Suppression::Maintenance;
        QTest::newRow("MAINT, suppression off") << false << OpState::Maint << Suppression::None;
        QTest::newRow("RUN, suppression on") << true << OpState::Run << Suppression::None;
    }
    void maintenanceSuppression() {
        QFETCH(bool, suppressMaintenance);
        QFETCH(OpState, state);
        QFETCH(Suppression, suppression);

        Json j = baseRules();
        j["incidents"]["suppress_maintenance"] = suppressMaintenance;
        Feed feed(j);
        for (qint64 s = 0; s < 50; s += 10) feed.add(QStringLiteral("DEV-A"), s, 0.9, kHeat(), state);
        feed.tracker().finish();

        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts()[0];
        QCOMPARE(a.kind, IncidentKind::Alarm);
        QCOMPARE(a.suppression, suppression);
        QCOMPARE(a.annunciated(), suppression == Suppression::None);
        const std::vector<IncidentSpan> spans = feed.spans();
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].suppressed, suppression != Suppression::None);
    }

    // IDLE until `changeS`, RUN after; an excursion of 60 s from `startS` is raised 20 s after it starts.
    void stateChangeSuppression_data() {
        QTest::addColumn<double>("suppressAfterS");
        QTest::addColumn<int>("changeS");
        QTest::addColumn<int>("startS");
        QTest::addColumn<Suppression>("suppression");

        QTest::newRow("raised 30 s after the change") << 60.0 << 100 << 110 << Suppression::StateTransition;
        QTest::newRow("raised 50 s after the change") << 60.0 << 100 << 130 << Suppression::StateTransition;
        QTest::newRow("raised 60 s after the change") << 60.0 << 100 << 140 << Suppression::None;
        QTest::newRow("raised 120 s after the change") << 60.0 << 100 << 200 << Suppression::None;
        QTest::newRow("window off") << 0.0 << 100 << 110 << Suppression::None;
    }
    void stateChangeSuppression() {
        QFETCH(double, suppressAfterS);
        QFETCH(int, changeS);
        QFETCH(int, startS);
        QFETCH(Suppression, suppression);

        Json j = baseRules();
        j["incidents"]["suppress_after_state_change_s"] = suppressAfterS;
        Feed feed(j);
        for (int s = 0; s <= 400; s += 10) {
            const bool above = s >= startS && s < startS + 60;
            feed.add(QStringLiteral("DEV-A"), s, above ? 0.9 : kLow, above ? kHeat() : Shares{},
                     s < changeS ? OpState::Idle : OpState::Run);
        }
        feed.tracker().finish();

        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts()[0];
        QCOMPARE(offsetOf(a.raisedMs), qint64(startS + 20));
        QCOMPARE(a.suppression, suppression);
        QCOMPARE(a.annunciated(), suppression == Suppression::None);
        const std::vector<IncidentSpan> spans = feed.spans();
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].suppressed, suppression != Suppression::None);
    }

    // Devices DEV-1… each above (0.9) on [start, end) and quiet otherwise, rows every 10 s over 0–600 s,
    // pushed device by device. Raised 20 s after the start; cleared 30 s after the end (the first quiet row +
    // 30 s).
    void fleetGrouping_data() {
        QTest::addColumn<QList<int>>("starts");
        QTest::addColumn<QList<int>>("ends");
        QTest::addColumn<QStringList>("families");
        QTest::addColumn<QStringList>("fleetDevices");  // empty: no fleet incident
        QTest::addColumn<QList<bool>>("carried");
        QTest::addColumn<int>("fleetRaisedS");

        const QStringList heat3{"Temperature", "Temperature", "Temperature"};
        QTest::newRow("three devices, one cause, overlapping")
            << QList<int>{0, 10, 20} << QList<int>{300, 300, 300} << heat3
            << QStringList{"DEV-1", "DEV-2", "DEV-3"} << QList<bool>{false, false, true} << 40;
        QTest::newRow("a fourth joins while the group is active")
            << QList<int>{0, 10, 20, 100} << QList<int>{300, 300, 300, 300}
            << heat3 + QStringList{"Temperature"} << QStringList{"DEV-1", "DEV-2", "DEV-3", "DEV-4"}
            << QList<bool>{false, false, true, true} << 40;
        QTest::newRow("two devices only")
            << QList<int>{0, 10} << QList<int>{300, 300} << QStringList{"Temperature", "Temperature"}
            << QStringList{} << QList<bool>{false, false} << -1;
        QTest::newRow("different causes") << QList<int>{0, 10, 20} << QList<int>{300, 300, 300}
                                          << QStringList{"Temperature", "Temperature", "Voltage"}
                                          << QStringList{} << QList<bool>{false, false, false} << -1;
        // DEV-1 cleared at 130, before DEV-3 was raised at 220.
        QTest::newRow("first cleared before the third is raised")
            << QList<int>{0, 10, 200} << QList<int>{100, 400, 400} << heat3 << QStringList{}
            << QList<bool>{false, false, false} << -1;
        // The group cleared at 130–150; DEV-4 raised at 520 starts afresh.
        QTest::newRow("a fourth after the group cleared")
            << QList<int>{0, 10, 20, 500} << QList<int>{100, 110, 120, 600}
            << heat3 + QStringList{"Temperature"} << QStringList{"DEV-1", "DEV-2", "DEV-3"}
            << QList<bool>{false, false, true, false} << 40;
    }
    void fleetGrouping() {
        QFETCH(QList<int>, starts);
        QFETCH(QList<int>, ends);
        QFETCH(QStringList, families);
        QFETCH(QStringList, fleetDevices);
        QFETCH(QList<bool>, carried);
        QFETCH(int, fleetRaisedS);

        Feed feed;
        for (qsizetype d = 0; d < starts.size(); ++d) {
            const QString device = QStringLiteral("DEV-%1").arg(d + 1);
            const Shares why = families[d] == QStringLiteral("Voltage") ? kPower() : kHeat();
            for (int s = 0; s <= 600; s += 10) {
                const bool above = s >= starts[d] && s < ends[d];
                feed.add(device, s, above ? 0.9 : kLow, above ? why : Shares{});
            }
        }
        feed.tracker().finish();

        const std::vector<Alert>& alerts = feed.alerts();
        QCOMPARE(qsizetype(alerts.size()), starts.size());
        const std::vector<FleetIncident>& fleet = feed.tracker().fleetIncidents();
        QCOMPARE(fleet.size(), std::size_t(fleetDevices.isEmpty() ? 0 : 1));
        for (qsizetype d = 0; d < starts.size(); ++d) {
            const Alert& a = alerts[std::size_t(d)];
            QCOMPARE(a.device, QStringLiteral("DEV-%1").arg(d + 1));
            QCOMPARE(a.kind, IncidentKind::Alarm);
            QCOMPARE(a.carriedByFleet, carried[d]);
            QCOMPARE(a.annunciated(), !carried[d]);
            QCOMPARE(a.fleetId.isEmpty(), !fleetDevices.contains(a.device));
        }
        if (fleetDevices.isEmpty())
            return;
        const FleetIncident& f = fleet[0];
        QCOMPARE(f.devices, fleetDevices);
        QCOMPARE(qsizetype(f.children.size()), fleetDevices.size());
        QCOMPARE(f.ruleId, QStringLiteral("thermal_overload"));
        QCOMPARE(f.id, QStringLiteral("FLEET:thermal_overload@") + formatUtcTimestamp(at(starts[0])));
        QCOMPARE(offsetOf(f.startMs), qint64(starts[0]));
        QCOMPARE(offsetOf(f.raisedMs), qint64(fleetRaisedS));
        int lastAbove = 0;
        for (std::size_t c : f.children) {
            QCOMPARE(alerts[c].fleetId, f.id);
            lastAbove = std::max(lastAbove, ends[qsizetype(c)] - 10);
        }
        QCOMPARE(offsetOf(f.endMs), qint64(lastAbove));
        QCOMPARE(f.severity, Severity::Critical);  // 0.9: margin 0.75, high consequence
    }

    // DEV-A: 0.2, then 0.9 on 60–190 (power) and 270–330 (heat); DEV-B: 0.3, then 0.9 (heat) from 100 to the
    // end (400). With a 30 s filter (this sample and the two before): DEV-A begins at 70 ((0.2 + 0.9 + 0.9) /
    // 3), is raised at 90, last at or above the clear level at 200, cleared at 240, begins again at 280 (40 s
    // later: inside the window), reopened at 300, last at or above the clear level at 340, cleared at 380.
    // DEV-B begins at 110, is raised at 130, active at the end.
    // An instrument diagnostic holds the alarm up whatever the score: raised after the on-delay, cleared
    // after the off-delay once it ends, caused by a sensor fault, and incidentSpans() sees the same.
    void diagnosticRaisesSensorFault() {
        Feed feed(rulesWithSensorFault(), channelSchema());
        const int missingVoltage = signalDiagnosticCode(0, SignalCondition::Missing);
        for (int i = 0; i < 10; ++i) feed.add("D1", 10 * i, kLow);
        for (int i = 10; i < 40; ++i) feed.add("D1", 10 * i, kLow, {}, OpState::Run, missingVoltage);
        for (int i = 40; i < 60; ++i) feed.add("D1", 10 * i, kLow);
        feed.tracker().finish();
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts().front();
        QCOMPARE(offsetOf(a.startMs), qint64(100));
        QCOMPARE(offsetOf(a.raisedMs), qint64(120));   // on-delay 20 s
        QCOMPARE(offsetOf(a.endMs), qint64(390));      // the last diagnosed row
        QCOMPARE(offsetOf(a.clearedMs), qint64(430));  // off-delay 30 s from the first row without
        QCOMPARE(a.ruleId, QStringLiteral("sensor_fault"));
        QCOMPARE(a.kind, IncidentKind::Alarm);
        QCOMPARE(a.count, 0);  // no row was flagged by the score
        QVERIFY(a.peakMs >= at(100) && a.peakMs <= at(420));
        QCOMPARE(a.diagnostics.size(), std::size_t(1));
        QCOMPARE(a.diagnostics[0].channel, QStringLiteral("voltage_v"));
        QCOMPARE(a.diagnostics[0].condition, SignalCondition::Missing);
        QCOMPARE(offsetOf(a.diagnostics[0].firstMs), qint64(100));
        QCOMPARE(offsetOf(a.diagnostics[0].lastMs), qint64(390));
        QVERIFY(!a.topFeatures.empty());
        QCOMPARE(a.topFeatures.front().name, QStringLiteral("voltage_v_missing_frac"));

        const std::vector<IncidentSpan> spans = feed.spans();
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].startMs, a.startMs);
        QCOMPARE(spans[0].endMs, a.endMs);
    }

    // A frozen channel credits its std column; a diagnosis shorter than the on-delay raises nothing.
    void frozenChannelAndShortDiagnosis() {
        Feed feed(rulesWithSensorFault(), channelSchema());
        const int frozenRpm = signalDiagnosticCode(1, SignalCondition::Frozen);
        feed.add("D1", 0, kLow, {}, OpState::Run, frozenRpm);
        feed.add("D1", 10, kLow, {}, OpState::Run, frozenRpm);  // 10 s < on-delay 20 s
        for (int i = 2; i < 20; ++i) feed.add("D1", 10 * i, kLow);
        for (int i = 20; i < 30; ++i) feed.add("D1", 10 * i, kLow, {}, OpState::Run, frozenRpm);
        feed.tracker().finish();
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts().front();
        QCOMPARE(offsetOf(a.startMs), qint64(200));
        QCOMPARE(a.diagnostics.size(), std::size_t(1));
        QCOMPARE(a.diagnostics[0].channel, QStringLiteral("rpm"));
        QCOMPARE(a.diagnostics[0].condition, SignalCondition::Frozen);
        QCOMPARE(a.topFeatures.front().name, QStringLiteral("rpm_std"));
    }

    // While a sensor is diagnosed, its evidence outweighs the detector's: an incident the score raised as a
    // voltage problem is revised to a sensor fault once the diagnosed rows dominate.
    void diagnosticOutweighsScoreEvidence() {
        Feed feed(rulesWithSensorFault(), channelSchema());
        const int missingRpm = signalDiagnosticCode(1, SignalCondition::Missing);
        const Shares voltage = shares({{"Voltage", 100}});
        for (int i = 0; i < 6; ++i) feed.add("D1", 10 * i, kHigh, voltage);
        for (int i = 6; i < 20; ++i) feed.add("D1", 10 * i, kHigh, voltage, OpState::Run, missingRpm);
        feed.tracker().finish();
        QCOMPARE(feed.alerts().size(), std::size_t(1));
        const Alert& a = feed.alerts().front();
        QCOMPARE(a.ruleId, QStringLiteral("sensor_fault"));
        QVERIFY(!a.revisions.empty());
        QCOMPARE(a.revisions.front().fromRuleId, QStringLiteral("power_instability"));
    }

    void batchEqualsStreaming() {
        Json j = baseRules();
        j["incidents"]["filter_s"] = 30;
        const IncidentEngine engine(rulesFrom(j));

        FleetBuilder b;
        for (int s = 0; s <= 400; s += 10) {
            const bool first = s >= 60 && s <= 190;
            const bool second = s >= 270 && s <= 330;
            b.add(QStringLiteral("DEV-A"), s, first || second ? 0.9 : 0.2,
                  first ? kPower() : (second ? kHeat() : Shares{}),
                  first ? QStringLiteral("power") : QString());
        }
        for (int s = 0; s <= 400; s += 10)
            b.add(QStringLiteral("DEV-B"), s, s >= 100 ? 0.9 : 0.3, s >= 100 ? kHeat() : Shares{},
                  s >= 100 ? QStringLiteral("overheat") : QString());

        const std::vector<float> filtered = filterIncidentScores(b.table, engine.rules().incidents());
        const std::vector<std::size_t> flagged = b.table.rowsAtOrAbove(kThreshold);
        const IncidentList batch =
            engine.run(b.table, filtered, kThreshold, flagged, b.explanations, b.schema);

        IncidentTracker live = engine.tracker(kThreshold, b.schema);
        std::map<std::size_t, const Explanation*> why;
        for (const Explanation& e : b.explanations) why[e.row] = &e;
        // Live mode sees the devices interleaved, in time order.
        std::vector<std::size_t> order(b.table.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return b.table.tsMs[x] < b.table.tsMs[y]; });
        QCOMPARE(b.table.device[order[0]], 0);
        QCOMPARE(b.table.device[order[1]], 1);
        QHash<int, IncidentScoreFilter> filters;
        for (const std::size_t r : order) {
            const int d = b.table.device[r];
            if (!filters.contains(d))
                filters.insert(d, IncidentScoreFilter(engine.rules().incidents().filterMs()));
            ScoredRow row;
            row.device = b.table.devices[d];
            row.tsMs = b.table.tsMs[r];
            row.state = b.table.state[r];
            row.score = double(b.table.score[r]);
            row.filtered = double(static_cast<float>(filters[d].push(row.tsMs, row.score)));
            row.faultTag = b.table.faultTag[r];
            row.row = r;
            QCOMPARE(float(row.filtered), filtered[r]);
            const auto it = why.find(r);
            (void)live.push(row, row.score >= kThreshold && it != why.end() ? it->second : nullptr);
        }
        live.finish();

        // Hand-derived: one incident per device.
        QCOMPARE(batch.incidents.size(), std::size_t(2));
        const Alert& a = batch.incidents[0];
        QCOMPARE(a.device, QStringLiteral("DEV-A"));
        QCOMPARE(offsetOf(a.startMs), qint64(70));
        QCOMPARE(offsetOf(a.raisedMs), qint64(90));
        QCOMPARE(offsetOf(a.endMs), qint64(340));
        QCOMPARE(offsetOf(a.clearedMs), qint64(380));
        QCOMPARE(a.reopened, 1);
        QCOMPARE(a.count, 13 + 6);  // flagged rows 70–190 and 280–330
        QCOMPARE(a.rows, 18 + 11);  // 70–240 and 280–380
        QCOMPARE(a.faultTag, QStringLiteral("power"));
        // All flagged rows weigh the same: power holds 13 of 19.
        QCOMPARE(a.ruleId, QStringLiteral("power_instability"));
        QVERIFY(closeTo(a.confidence, 13.0 / 19.0));
        const Alert& bAlert = batch.incidents[1];
        QCOMPARE(bAlert.device, QStringLiteral("DEV-B"));
        QCOMPARE(offsetOf(bAlert.startMs), qint64(110));
        QCOMPARE(offsetOf(bAlert.raisedMs), qint64(130));
        QCOMPARE(offsetOf(bAlert.endMs), qint64(400));
        QCOMPARE(bAlert.clearedMs, qint64(-1));
        QCOMPARE(bAlert.ruleId, QStringLiteral("thermal_overload"));
        QCOMPARE(bAlert.count, 30);

        QCOMPARE(live.alerts().size(), batch.incidents.size());
        for (const Alert& s : live.alerts()) {
            const auto it = std::find_if(batch.incidents.begin(), batch.incidents.end(),
                                         [&](const Alert& x) { return x.id == s.id; });
            QVERIFY2(it != batch.incidents.end(), qPrintable(s.id));
            QCOMPARE(it->startMs, s.startMs);
            QCOMPARE(it->raisedMs, s.raisedMs);
            QCOMPARE(it->endMs, s.endMs);
            QCOMPARE(it->clearedMs, s.clearedMs);
            QCOMPARE(it->ruleId, s.ruleId);
            QCOMPARE(it->cause, s.cause);
            QCOMPARE(it->count, s.count);
            QCOMPARE(it->rows, s.rows);
            QCOMPARE(it->reopened, s.reopened);
            QCOMPARE(it->peakRow, s.peakRow);
            QCOMPARE(it->severity, s.severity);
            QCOMPARE(it->kind, s.kind);
            QCOMPARE(it->faultTag, s.faultTag);
            QCOMPARE(it->revisions.size(), s.revisions.size());
        }
        QCOMPARE(live.fleetIncidents().size(), batch.fleet.size());

        const std::vector<IncidentSpan> spans = incidentSpans(b.table, filtered, kThreshold, engine.rules());
        QCOMPARE(spans.size(), batch.incidents.size());
        for (std::size_t i = 0; i < spans.size(); ++i) {
            QCOMPARE(b.table.devices[spans[i].device], batch.incidents[i].device);
            QCOMPARE(spans[i].startMs, batch.incidents[i].startMs);
            QCOMPARE(spans[i].endMs, batch.incidents[i].endMs);
        }
    }

    void rejectsBadRules_data() {
        QTest::addColumn<QString>("section");  // "incidents", "rule" (rules[0]) or "fallback"
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");  // JSON
        QTest::addColumn<QString>("field");  // the error names it

        QTest::newRow("inverted hysteresis") << "incidents"
                                             << "clear_ratio"
                                             << "1.1"
                                             << "incidents.clear_ratio";
        QTest::newRow("clear ratio 0") << "incidents"
                                       << "clear_ratio"
                                       << "0"
                                       << "incidents.clear_ratio";
        QTest::newRow("negative on-delay") << "incidents"
                                           << "on_delay_s"
                                           << "-5"
                                           << "incidents.on_delay_s";
        QTest::newRow("negative off-delay") << "incidents"
                                            << "off_delay_s"
                                            << "-1"
                                            << "incidents.off_delay_s";
        QTest::newRow("unknown key") << "incidents"
                                     << "clear_level"
                                     << "0.9"
                                     << "incidents.clear_level";
        QTest::newRow("fleet of one") << "incidents"
                                      << "fleet_min_devices"
                                      << "1"
                                      << "incidents.fleet_min_devices";
        QTest::newRow("unknown consequence") << "rule"
                                             << "consequence"
                                             << "\"severe\""
                                             << "rules[0] (power_instability).consequence";
        QTest::newRow("unknown fallback consequence") << "fallback"
                                                      << "consequence"
                                                      << "\"critical\""
                                                      << "fallback.consequence";
    }
    void rejectsBadRules() {
        QFETCH(QString, section);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, field);

        Json j = baseRules();
        QVERIFY(AlertRules::fromJson(j, QStringLiteral("rules.json")));
        Json& target = section == QStringLiteral("rule") ? j["rules"][0] : j[section.toStdString()];
        target[key.toStdString()] = Json::parse(value.toStdString());
        const auto r = AlertRules::fromJson(j, QStringLiteral("rules.json"));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY2(r.error().message.contains(field), qPrintable(r.error().message));
    }

    // One episode of DEV-A on 600–900 s; tolerance 300 s.
    void matchTolerance_data() {
        QTest::addColumn<int>("device");
        QTest::addColumn<int>("startS");
        QTest::addColumn<int>("endS");
        QTest::addColumn<bool>("matched");

        QTest::newRow("overlaps") << 0 << 700 << 800 << true;
        QTest::newRow("covers it") << 0 << 500 << 1000 << true;
        QTest::newRow("starts 4 min after its end") << 0 << 1140 << 1200 << true;
        QTest::newRow("starts 5 min after its end") << 0 << 1200 << 1260 << true;
        QTest::newRow("starts 6 min after its end") << 0 << 1260 << 1300 << false;
        QTest::newRow("ends before it starts") << 0 << 100 << 590 << false;
        QTest::newRow("other device") << 1 << 700 << 800 << false;
    }
    void matchTolerance() {
        QFETCH(int, device);
        QFETCH(int, startS);
        QFETCH(int, endS);
        QFETCH(bool, matched);

        const std::vector<LabelledEpisode> episodes{{0, QStringLiteral("overheat"), at(600), at(900), true}};
        const EpisodeMatch m = matchEpisodes({{device, at(startS), at(endS)}}, episodes, 300'000);
        QCOMPARE(bool(m.intervalMatched[0]), matched);
        QCOMPARE(bool(m.episodeCaught[0]), matched);
    }

    // DEV-A and DEV-B, a row every 60 s over 0–3600 s (7 periods of 10 min). Episodes: DEV-A overheat 600–900
    // and 2400–2460, DEV-B power 1200–1500.
    void alarmKpis() {
        FleetBuilder b;
        for (const char* device : {"DEV-A", "DEV-B"})
            for (int s = 0; s <= 3600; s += 60) {
                QString tag;
                if (QLatin1String(device) == QLatin1String("DEV-A") &&
                    ((s >= 600 && s <= 900) || (s >= 2400 && s <= 2460)))
                    tag = QStringLiteral("overheat");
                if (QLatin1String(device) == QLatin1String("DEV-B") && s >= 1200 && s <= 1500)
                    tag = QStringLiteral("power");
                b.add(QString::fromLatin1(device), s, 0.3, {}, tag);
            }
        const QString devA = QStringLiteral("DEV-A"), devB = QStringLiteral("DEV-B");

        std::vector<Alert> incidents;
        incidents.push_back(makeAlarm(devA, 700, 720, 950, 1000));  // overlaps overheat #1
        // Starts 240 s after overheat #1 ended (within 300 s); annunciated 300 s after the previous clear.
        incidents.push_back(makeAlarm(devA, 1140, 1300, 1320, 1400));
        // Annunciated 700 s after the previous clear: not chattering; matches nothing.
        incidents.push_back(makeAlarm(devA, 2050, 2100, 2150, 2200));
        incidents.back().confidence = 0;
        incidents.back().families.clear();  // nothing attributed: unexplained
        incidents.back().severity = Severity::Critical;
        // Starts 360 s after the power episode ended: no match; still active.
        incidents.push_back(makeAlarm(devB, 1860, 1880, 1900, -1));
        Alert event = makeAlarm(devA, 2400, 2420, 2460, 2500);  // overlaps overheat #2 but is only an event
        event.kind = IncidentKind::Event;
        incidents.push_back(event);
        Alert maint = makeAlarm(devB, 1250, 1270, 1400, 1450);  // overlaps the power episode but suppressed
        maint.suppression = Suppression::Maintenance;
        incidents.push_back(maint);

        const AlarmKpis k = computeAlarmKpis(incidents, {}, b.table, 300'000, KpiScope::All);
        QCOMPARE(k.incidents, 6);
        QCOMPARE(k.annunciated, 4);
        QCOMPARE(k.events, 1);
        QCOMPARE(k.suppressed, 1);
        QCOMPARE(k.fleetIncidents, 0);
        QCOMPARE(k.periods, 7);
        // Raised at 720 (period 1), 1300 (2), 1880 and 2100 (3).
        QVERIFY(closeTo(k.perPeriodAverage, 4.0 / 7.0));
        QCOMPARE(k.perPeriod, std::vector<int>({0, 1, 1, 2, 0, 0, 0}));
        QCOMPARE(k.perPeriodPeak, 2);
        QCOMPARE(k.periodsInFlood, 0);
        QCOMPARE(k.chattering, 1);
        QCOMPARE(k.standing, 1);
        QCOMPARE(k.standingOver24h, 0);
        QCOMPARE(k.unexplained, 1);
        QCOMPARE(k.byPriority[std::size_t(Severity::Warning)], 3);
        QCOMPARE(k.byPriority[std::size_t(Severity::Critical)], 1);
        QVERIFY(k.labelled);
        QCOMPARE(k.episodes, 3);
        QCOMPARE(k.truePositives, 2);
        QVERIFY(closeTo(k.incidentPrecision, 0.5));
        QVERIFY(closeTo(k.perEpisode, 4.0 / 3.0));
        QCOMPARE(k.recallByFault.size(), qsizetype(2));
        QCOMPARE(k.recallByFault.value(QStringLiteral("overheat")), std::make_pair(1, 2));
        QCOMPARE(k.recallByFault.value(QStringLiteral("power")), std::make_pair(0, 1));
    }

    // `count` alarms of distinct devices raised within the first 10-minute period of a 0–1800 s table.
    void alarmFlood_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("floods");
        QTest::newRow("10: the limit") << 10 << 0;
        QTest::newRow("11: a flood") << 11 << 1;
    }
    void alarmFlood() {
        QFETCH(int, count);
        QFETCH(int, floods);

        FleetBuilder b;
        for (int s = 0; s <= 1800; s += 60) b.add(QStringLiteral("DEV-A"), s, 0.3);
        std::vector<Alert> incidents;
        for (int i = 0; i < count; ++i)
            incidents.push_back(
                makeAlarm(QStringLiteral("DEV-%1").arg(i), 10 * i, 10 * i + 20, 10 * i + 40, -1));
        const AlarmKpis k = computeAlarmKpis(incidents, {}, b.table, 300'000, KpiScope::All);
        QCOMPARE(k.periods, 4);
        QCOMPARE(k.annunciated, count);
        QCOMPARE(k.perPeriod, std::vector<int>({count, 0, 0, 0}));
        QCOMPARE(k.perPeriodPeak, count);
        QCOMPARE(k.periodsInFlood, floods);
        QCOMPARE(k.standing, count);
        QCOMPARE(k.chattering, 0);
    }

    // DEV-A's training span is 0–1200 s; an overheat episode 1080–1500 s straddles its end, and the alarm
    // that caught it was raised at 1100 s, inside the training span. In the evaluated scope the alarm is not
    // counted (no annunciation, no precision), but the episode is caught: the operator was alerted to it.
    void kpisEpisodeStraddlingTheEvaluatedSpan() {
        FleetBuilder b;
        for (int s = 0; s <= 3000; s += 60) {
            b.add(QStringLiteral("DEV-A"), s, 0.3, {},
                  s >= 1080 && s <= 1500 ? QStringLiteral("overheat") : QString());
            b.table.train.back() = s <= 1200 ? kTrainSpan : 0;
        }
        const std::vector<Alert> incidents{makeAlarm(QStringLiteral("DEV-A"), 1080, 1100, 1500, 1700)};
        const AlarmKpis k = computeAlarmKpis(incidents, {}, b.table, 300'000, KpiScope::Evaluation);
        QCOMPARE(k.annunciated, 0);
        QCOMPARE(k.truePositives, 0);
        QCOMPARE(k.episodes, 1);
        QCOMPARE(k.recallByFault.value(QStringLiteral("overheat")), std::make_pair(1, 1));
        const AlarmKpis all = computeAlarmKpis(incidents, {}, b.table, 300'000, KpiScope::All);
        QCOMPARE(all.annunciated, 1);
        QCOMPARE(all.truePositives, 1);
    }

    // The per-period series counts annunciations by when they were raised: a fleet incident once (at its
    // raise, its children not again), an alarm raised after the last row in the last period. DEV-A rows every
    // 60 s over 0–1800 s: 4 periods.
    void alarmRatePerPeriod() {
        FleetBuilder b;
        for (int s = 0; s <= 1800; s += 60) b.add(QStringLiteral("DEV-A"), s, 0.3);
        std::vector<Alert> incidents;
        incidents.push_back(makeAlarm(QStringLiteral("DEV-A"), 30, 60, 90, 120));        // period 0
        incidents.push_back(makeAlarm(QStringLiteral("DEV-B"), 600, 620, 700, 800));     // carried
        incidents.push_back(makeAlarm(QStringLiteral("DEV-C"), 610, 1210, 1300, 1400));  // carried
        incidents.push_back(makeAlarm(QStringLiteral("DEV-D"), 1900, 1950, 2000, -1));   // after the rows
        incidents[1].carriedByFleet = incidents[2].carriedByFleet = true;
        FleetIncident fleet;
        fleet.severity = Severity::Warning;
        fleet.startMs = at(600);
        fleet.raisedMs = at(1210);  // period 2
        fleet.children = {1, 2};
        const AlarmKpis k = computeAlarmKpis(incidents, {fleet}, b.table, 300'000, KpiScope::All);
        QCOMPARE(k.periods, 4);
        QCOMPARE(k.annunciated, 3);
        QCOMPARE(k.perPeriod, std::vector<int>({1, 0, 1, 1}));
        QCOMPARE(std::accumulate(k.perPeriod.begin(), k.perPeriod.end(), 0), k.annunciated);
    }

    // The table lists DEV-Z without any row of it. Only DEV-A's rows (0–1800 s, none in the training span)
    // span the evaluated scope: 4 periods.
    void kpisEvaluationScopeWithListedDeviceWithoutRows() {
        FleetBuilder b;
        for (int s = 0; s <= 1800; s += 60) b.add(QStringLiteral("DEV-A"), s, 0.3);
        b.table.devices << QStringLiteral("DEV-Z");
        const std::vector<Alert> incidents{makeAlarm(QStringLiteral("DEV-A"), 100, 120, 200, -1)};
        AlarmKpis k;
        QVERIFY_THROWS_NO_EXCEPTION(
            k = computeAlarmKpis(incidents, {}, b.table, 300'000, KpiScope::Evaluation));
        QCOMPARE(k.fromMs, at(0));
        QCOMPARE(k.toMs, at(1800));
        QCOMPARE(k.periods, 4);
        QCOMPARE(k.annunciated, 1);
    }
};

QTEST_GUILESS_MAIN(IncidentTrackerTest)
#include "incident_tracker_test.moc"
