// Instrument diagnostics (common/signal_health.h): the conditions sample by sample, their runs, the limits
// learned from normal training rows, and the rows beyond them.
#include "common/signal_health.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace itap;

namespace {

constexpr qint64 kT0 = 1767225600000;  // 2026-01-01T00:00:00Z
const double kNaN = std::nan("");

// Two channels: temp_c in [0, 150], rpm in [0, 3000].
SensorCatalog catalog() {
    return SensorCatalog(
        {ChannelSpec{QStringLiteral("temp_c"), QStringLiteral("°C"), QStringLiteral("Temperature"), 0, 150},
         ChannelSpec{QStringLiteral("rpm"), QStringLiteral("rpm"), QStringLiteral("RPM"), 0, 3000}});
}

qint64 at(int i) {
    return kT0 + qint64(i) * 10000;  // a sample every 10 s
}

// One device: temp and rpm per row, all RUN.
DeviceSeries series(const QList<double>& temp, const QList<double>& rpm) {
    DeviceSeries s;
    s.deviceId = QStringLiteral("D1");
    for (qsizetype i = 0; i < temp.size(); ++i) {
        s.tsMs.push_back(at(int(i)));
        s.state.push_back(OpState::Run);
        s.errorCode.push_back(0);
        s.faultTag.push_back(QString());
    }
    s.channels = {std::vector<double>(temp.begin(), temp.end()), std::vector<double>(rpm.begin(), rpm.end())};
    return s;
}

// The table of `s`: every row in the training span unless `trainRows` says how many are.
ScoreTable tableOf(const DeviceSeries& s, std::size_t trainRows = ~std::size_t{0}) {
    ScoreTable t;
    t.devices << s.deviceId;
    for (std::size_t r = 0; r < s.size(); ++r) {
        t.device.push_back(0);
        t.tsMs.push_back(s.tsMs[r]);
        t.state.push_back(s.state[r]);
        t.score.push_back(0.1F);
        t.faultTag.push_back(QString());
        t.train.push_back(r < trainRows ? kTrainSpan : 0);
    }
    return t;
}

}  // namespace

class SignalHealthTest : public QObject {
    Q_OBJECT
private slots:
    void conditionsSampleBySample() {
        SignalHealth h(catalog());
        const double rows[][2] = {{20, 100}, {kNaN, 100}, {kNaN, 100}, {21, 100},
                                  {21, 0},   {21, 0},     {kNaN, 5}};
        // Expected since (as sample index, -1 = none) of temp missing, temp frozen, rpm frozen.
        const int expected[][3] = {{-1, -1, -1}, {0, -1, 0},  {0, -1, 0}, {-1, -1, 0},
                                   {-1, 3, -1},  {-1, 3, -1}, {5, -1, -1}};
        for (int i = 0; i < 7; ++i) {
            h.push(at(i), rows[i]);
            auto index = [](qint64 since) {
                return since == SignalHealth::kNone ? -1 : int((since - kT0) / 10000);
            };
            QCOMPARE(index(h.since(0, SignalCondition::Missing)), expected[i][0]);
            QCOMPARE(index(h.since(0, SignalCondition::Frozen)), expected[i][1]);
            // rpm 0 is the catalog minimum: saturated, never frozen.
            QCOMPARE(index(h.since(1, SignalCondition::Frozen)), expected[i][2]);
            QCOMPARE(h.since(1, SignalCondition::Missing), SignalHealth::kNone);
        }
    }

    void missingBeforeAnyValueCountsFromTheFirstRow() {
        SignalHealth h(catalog());
        const double a[] = {kNaN, 10};
        const double b[] = {kNaN, 11};
        h.push(at(0), a);
        h.push(at(1), b);
        QCOMPARE(h.since(0, SignalCondition::Missing), at(0));
    }

    void runsOfASeries() {
        const DeviceSeries s = series({20, kNaN, kNaN, 21, 22, 22, 22, 23}, {1, 2, 3, 4, 5, 6, 7, 8});
        const std::vector<SignalRun> runs = scanSignalRuns(s, catalog(), 100);
        QCOMPARE(runs.size(), std::size_t(2));
        QCOMPARE(runs[0].channel, 0);
        QCOMPARE(runs[0].condition, SignalCondition::Missing);
        QCOMPARE(runs[0].begin, std::size_t(101));
        QCOMPARE(runs[0].end, std::size_t(103));
        QCOMPARE(runs[0].sinceMs, at(0));  // the last valid sample
        QCOMPARE(runs[1].condition, SignalCondition::Frozen);
        QCOMPARE(runs[1].begin, std::size_t(105));
        QCOMPARE(runs[1].end, std::size_t(107));
        QCOMPARE(runs[1].sinceMs, at(4));  // the first sample of the repeated value
    }

    // The longest normal run per state; rows outside the training span or with a fault tag do not count; a
    // state never trained falls back to any state's; the limit is max(min, factor × longest).
    void learnsLimitsFromNormalTrainingRows() {
        // Training rows 0..9: temp missing 2 samples (20 s). Rows 10..: a 6-sample gap (not training).
        QList<double> temp = {20, kNaN, kNaN, 21,   22,   23,   24,   25,   26,
                              27, 28,   kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, 29};
        QList<double> rpm(temp.size());
        for (qsizetype i = 0; i < rpm.size(); ++i) rpm[i] = 100 + double(i);
        const DeviceSeries s = series(temp, rpm);
        ScoreTable t = tableOf(s, 10);
        const std::vector<SignalRun> runs = scanSignalRuns(s, catalog(), 0);
        const SignalLimits limits = SignalLimits::learn(runs, t, catalog());
        QVERIFY(limits.learned());
        QCOMPARE(limits.longestMs(0, SignalCondition::Missing, OpState::Run), qint64(20000));
        QCOMPARE(limits.longestMs(0, SignalCondition::Missing, OpState::Idle), qint64(20000));  // any state
        QCOMPARE(limits.longestMs(0, SignalCondition::Frozen, OpState::Run), SignalLimits::kUnseen);
        QCOMPARE(limits.longestMs(1, SignalCondition::Missing, OpState::Run), SignalLimits::kUnseen);
        QCOMPARE(limits.limitMs(0, SignalCondition::Missing, OpState::Run, 2.0, 30000), qint64(40000));
        QCOMPARE(limits.limitMs(0, SignalCondition::Missing, OpState::Run, 2.0, 60000), qint64(60000));
        QCOMPARE(limits.limitMs(1, SignalCondition::Missing, OpState::Run, 2.0, 60000), qint64(60000));

        // Rows beyond the limit (factor 2 × 20 s = 40 s, min 30 s): the gap after row 10 is 40 s at row 14
        // (not beyond), 50 s at row 15 and 60 s at row 16.
        const std::vector<std::int16_t> d = signalDiagnostics(runs, t, limits, 2.0, 30000);
        QCOMPARE(d.size(), t.size());
        for (std::size_t r = 0; r < d.size(); ++r) {
            const bool beyond = r == 15 || r == 16;
            QCOMPARE(int(d[r]), beyond ? signalDiagnosticCode(0, SignalCondition::Missing) : -1);
        }

        // A fault-tagged training row teaches nothing.
        t.faultTag = TagColumn();
        for (std::size_t r = 0; r < t.tsMs.size(); ++r)
            t.faultTag.push_back(r == 2 ? QStringLiteral("x") : QString());
        const SignalLimits tagged = SignalLimits::learn(runs, t, catalog());
        QCOMPARE(tagged.longestMs(0, SignalCondition::Missing, OpState::Run), qint64(10000));
    }

    void notLearnedMeansNoDiagnostics() {
        const DeviceSeries s =
            series({20, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN}, QList<double>(10, 5));
        const std::vector<SignalRun> runs = scanSignalRuns(s, catalog(), 0);
        QVERIFY(signalDiagnostics(runs, tableOf(s), SignalLimits(), 2.0, 1000).empty());
    }

    // When two conditions are beyond their limits at once, the one that began first names the row.
    void earliestConditionNamesTheRow() {
        // rpm frozen from row 0 (saturated? no: 7 is inside the range), temp missing from row 2.
        const DeviceSeries s = series({20, 21, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN}, QList<double>(8, 7));
        ScoreTable t = tableOf(s, 0);  // nothing trained: every limit is the minimum
        const std::vector<SignalRun> runs = scanSignalRuns(s, catalog(), 0);
        const SignalLimits limits = SignalLimits::learn(runs, t, catalog());
        const std::vector<std::int16_t> d = signalDiagnostics(runs, t, limits, 2.0, 15000);
        QCOMPARE(int(d[1]), -1);                                                // rpm frozen 10 s
        QCOMPARE(int(d[2]), signalDiagnosticCode(1, SignalCondition::Frozen));  // 20 s
        QCOMPARE(int(d[5]),
                 signalDiagnosticCode(1, SignalCondition::Frozen));  // both beyond: rpm began first
    }

    void limitsRoundTripAndRejectBadJson() {
        const DeviceSeries s = series({20, kNaN, 21, 21, 21}, {1, 2, 3, 4, 5});
        const std::vector<SignalRun> runs = scanSignalRuns(s, catalog(), 0);
        const SignalLimits limits = SignalLimits::learn(runs, tableOf(s), catalog());
        auto back = SignalLimits::fromJson(limits.toJson(), QStringLiteral("model.itap"));
        QVERIFY2(bool(back), qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(back->channels(), limits.channels());
        for (int c = 0; c < 2; ++c)
            for (auto cond : {SignalCondition::Missing, SignalCondition::Frozen})
                for (auto st : {OpState::Run, OpState::Idle, OpState::Maint})
                    QCOMPARE(back->longestMs(c, cond, st), limits.longestMs(c, cond, st));

        nlohmann::json bad = limits.toJson();
        bad["channels"][0]["missing_ms"] = nlohmann::json::array({1, 2});
        auto e = SignalLimits::fromJson(bad, QStringLiteral("model.itap"));
        QVERIFY(!e);
        QVERIFY(e.error().toString().contains(QStringLiteral("missing_ms")));
        bad = limits.toJson();
        bad["channels"][1]["frozen_ms"][0] = -2;
        QVERIFY(!bool(SignalLimits::fromJson(bad, QStringLiteral("model.itap"))));
        QVERIFY(!bool(SignalLimits::fromJson(nlohmann::json::array(), QStringLiteral("model.itap"))));
    }
};

QTEST_GUILESS_MAIN(SignalHealthTest)
#include "signal_health_test.moc"
