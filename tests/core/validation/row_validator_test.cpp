#include "validation/row_validator.h"
#include "core/validation/validation_test_util.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <array>

using namespace itap;
using namespace itap::testutil;

namespace {

struct Row {
    QString device;
    qint64 ts;
    std::array<double, 5> values{230, 18, 60, 1480, 2.2};
    qint64 line;
};

TelemetryBatch makeBatch(const std::vector<Row>& rows) {
    TelemetryBatch b;
    b.channelCount = 5;
    for (const Row& r : rows) b.append(r.device, r.ts, OpState::Run, r.values.data(), 0, QString(), r.line);
    return b;
}

// A regular series of one device: `count` rows every `stepMs`, lines from `firstLine`.
std::vector<Row> series(const QString& device, int count, qint64 stepMs = 10000, qint64 firstLine = 2) {
    std::vector<Row> rows;
    for (int i = 0; i < count; ++i)
        rows.push_back(Row{device, kBaseMs + i * stepMs, {230, 18, 60, 1480, 2.2}, firstLine + i});
    return rows;
}

std::vector<qint64> lines(const TelemetryBatch& b) {
    return b.sourceLine;
}

}  // namespace

class RowValidatorTest : public QObject {
    Q_OBJECT

private slots:
    void rangeViolations_data() {
        QTest::addColumn<int>("channel");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("rejected");
        const SensorCatalog cat = SensorCatalog::defaults();
        for (int ch = 0; ch < cat.size(); ++ch) {
            const ChannelSpec& c = cat.channel(ch);
            const QByteArray n = c.name.toLatin1();
            QTest::newRow(n + " below min") << ch << c.min - 0.001 << true;
            QTest::newRow(n + " at min") << ch << c.min << false;
            QTest::newRow(n + " at max") << ch << c.max << false;
            QTest::newRow(n + " above max") << ch << c.max + 0.001 << true;
        }
    }
    void rangeViolations() {
        QFETCH(int, channel);
        QFETCH(double, value);
        QFETCH(bool, rejected);
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 3);
        rows[1].values[static_cast<std::size_t>(channel)] = value;
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report(QStringLiteral("f.csv"));
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.checkCount(QStringLiteral("range")), qint64(rejected ? 1 : 0));
        QCOMPARE(report.rowsRejected(), qint64(rejected ? 1 : 0));
        QCOMPARE(report.rowsAccepted(), qint64(rejected ? 2 : 3));
        QCOMPARE(b.rowCount(), std::size_t(rejected ? 2 : 3));
        if (rejected) {
            const auto& ex = report.checks().at(QStringLiteral("range")).examples;
            QCOMPARE(ex.size(), std::size_t(1));
            QCOMPARE(ex[0].line, qint64(3));
            QCOMPARE(ex[0].column, qint64(4 + channel));  // canonical layout: channels start at column 4
            QCOMPARE(ex[0].deviceId, QStringLiteral("DEV-1"));
            QVERIFY(ex[0].message.startsWith(SensorCatalog::defaults().channel(channel).name +
                                             QStringLiteral(" = ")));
            QVERIFY(ex[0].message.contains(QStringLiteral("outside the valid range")));
        }
    }

    void duplicatesAndOutOfOrder() {
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 5);                // lines 2..6, t0..t4
        rows.push_back(Row{QStringLiteral("DEV-1"), kBaseMs + 4 * 10000, {}, 7});  // = previous: duplicate
        rows.push_back(Row{QStringLiteral("DEV-1"), kBaseMs + 1 * 10000, {}, 8});  // = an earlier one
        rows.push_back(
            Row{QStringLiteral("DEV-1"), kBaseMs + 1 * 10000 + 5000, {}, 9});  // never seen: out of order
        rows.push_back(Row{QStringLiteral("DEV-2"), kBaseMs + 1 * 10000, {}, 10});  // other device: fine
        rows.push_back(Row{QStringLiteral("DEV-1"), kBaseMs + 5 * 10000, {}, 11});  // back in order
        for (auto& r : rows) r.values = {230, 18, 60, 1480, 2.2};
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report(QStringLiteral("f.csv"));
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.checkCount(QStringLiteral("duplicate")), qint64(2));
        QCOMPARE(report.checkCount(QStringLiteral("out_of_order")), qint64(1));
        const auto& dup = report.checks().at(QStringLiteral("duplicate")).examples;
        QCOMPARE(dup[0].line, qint64(7));
        QCOMPARE(dup[0].column, qint64(1));
        QCOMPARE(dup[1].line, qint64(8));
        QVERIFY(dup[1].message.contains(QStringLiteral("duplicate timestamp 2026-01-01T00:00:10Z")));
        const auto& ooo = report.checks().at(QStringLiteral("out_of_order")).examples;
        QCOMPARE(ooo[0].line, qint64(9));
        QCOMPARE(ooo[0].column, qint64(1));
        QVERIFY(ooo[0].message.contains(
            QStringLiteral("before the device's previous row at 2026-01-01T00:00:40Z")));
        QCOMPARE(lines(b), (std::vector<qint64>{2, 3, 4, 5, 6, 10, 11}));
        QCOMPARE(report.rowsRead(), qint64(10));
        QCOMPARE(report.rowsAccepted(), qint64(7));
        QCOMPARE(report.rowsRejected(), qint64(3));
    }

    void duplicateDetectionIsExactOnIrregularSeries() {
        // Irregular steps exercise the run-length history: every earlier timestamp must still be found.
        std::vector<Row> rows;
        qint64 t = kBaseMs;
        std::vector<qint64> accepted;
        for (int i = 0; i < 200; ++i) {
            t += 1000 + (i * 7919) % 13 * 100 + (i % 5 == 0 ? 0 : 1);
            accepted.push_back(t);
            rows.push_back(Row{QStringLiteral("D"), t, {}, 2 + i});
        }
        qint64 line = 1000;
        for (std::size_t i = 0; i < accepted.size(); i += 3) {
            rows.push_back(Row{QStringLiteral("D"), accepted[i], {}, line++});      // duplicate
            rows.push_back(Row{QStringLiteral("D"), accepted[i] + 1, {}, line++});  // between: out of order
        }
        for (auto& r : rows) r.values = {230, 18, 60, 1480, 2.2};
        const qint64 probes = static_cast<qint64>((accepted.size() + 2) / 3);
        // An accepted[i] + 1 that is itself an accepted timestamp counts as a duplicate, so count those.
        qint64 plusOneHits = 0;
        for (std::size_t i = 0; i < accepted.size(); i += 3)
            plusOneHits += std::count(accepted.begin(), accepted.end(), accepted[i] + 1);
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report;
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.checkCount(QStringLiteral("duplicate")), probes + plusOneHits);
        QCOMPARE(report.checkCount(QStringLiteral("out_of_order")), probes - plusOneHits);
        QCOMPARE(b.rowCount(), accepted.size());
    }

    void rejectedRowsDoNotMoveTheDevice() {
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 3);
        rows.push_back(Row{QStringLiteral("DEV-1"), kBaseMs + 30000, {230, 18, 900, 1480, 2.2}, 5});  // range
        rows.push_back(
            Row{QStringLiteral("DEV-1"), kBaseMs + 30000, {230, 18, 60, 1480, 2.2}, 6});  // same time, ok
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report;
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.checkCount(QStringLiteral("range")), qint64(1));
        QCOMPARE(report.checkCount(QStringLiteral("duplicate")), qint64(0));
        QCOMPARE(lines(b), (std::vector<qint64>{2, 3, 4, 6}));
    }

    void keepsSurvivorsInOrderWithTheirData() {
        std::vector<Row> rows;
        for (int i = 0; i < 20; ++i) {
            const QString dev = i % 2 ? QStringLiteral("B") : QStringLiteral("A");
            rows.push_back(Row{
                dev, kBaseMs + (i / 2) * 1000, {230.0 + i, 18, 60, 1480, i % 3 == 0 ? 500.0 : 2.0}, 2 + i});
        }
        TelemetryBatch b = makeBatch(rows);
        for (std::size_t r = 0; r < b.rowCount(); ++r) {
            b.errorCode[r] = static_cast<int>(r);
            b.faultTag[r] = QString::number(r);
        }
        ValidationReport report;
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.checkCount(QStringLiteral("range")), qint64(7));
        QCOMPARE(b.rowCount(), std::size_t(13));
        QCOMPARE(b.values.size(), std::size_t(13 * 5));
        qint64 previous = 0;
        for (std::size_t r = 0; r < b.rowCount(); ++r) {
            const int i = static_cast<int>(b.sourceLine[r] - 2);
            QVERIFY(i % 3 != 0);
            QVERIFY(b.sourceLine[r] > previous);
            previous = b.sourceLine[r];
            QCOMPARE(b.value(r, 0), 230.0 + i);
            QCOMPARE(b.errorCode[r], i);
            QCOMPARE(b.faultTag[r], QString::number(i));
            QCOMPARE(b.deviceId[r], i % 2 ? QStringLiteral("B") : QStringLiteral("A"));
            QCOMPARE(b.tsMs[r], kBaseMs + (i / 2) * 1000);
        }
        QCOMPARE(b.deviceId.size(), b.rowCount());
        QCOMPARE(b.faultTag.size(), b.rowCount());
        QCOMPARE(b.state.size(), b.rowCount());
    }

    void missingCellsAreWarnings() {
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 4);
        rows[1].values[2] = kMissing;
        rows[2].values[2] = kMissing;
        rows[2].values[4] = kMissing;
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report(QStringLiteral("f.csv"));
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(b.rowCount(), std::size_t(4));
        QCOMPARE(report.rowsRejected(), qint64(0));
        QCOMPARE(report.checkCount(QStringLiteral("missing")), qint64(3));
        QCOMPARE(report.missingCells().at(QStringLiteral("temp_c")), qint64(2));
        QCOMPARE(report.missingCells().at(QStringLiteral("vibration_mm_s")), qint64(1));
        QCOMPARE(report.missingCells().at(QStringLiteral("voltage_v")), qint64(0));
        const auto& ex = report.checks().at(QStringLiteral("missing")).examples;
        QCOMPARE(ex.size(), std::size_t(3));
        QCOMPARE(ex[0].line, qint64(3));
        QCOMPARE(ex[0].column, qint64(6));
        QCOMPARE(ex[2].line, qint64(4));
        QCOMPARE(ex[2].column, qint64(8));
        QVERIFY(!report.checks().at(QStringLiteral("missing")).error);
    }

    void missingCountsBeyondExamples() {
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 50);
        for (auto& r : rows) r.values[3] = kMissing;
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report(QStringLiteral("f.csv"), 5);
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.checkCount(QStringLiteral("missing")), qint64(50));
        QCOMPARE(report.checks().at(QStringLiteral("missing")).examples.size(), std::size_t(5));
        QCOMPARE(report.missingCells().at(QStringLiteral("rpm")), qint64(50));
    }

    void gaps_data() {
        QTest::addColumn<int>("holeAfter");  // index of the row before the hole
        QTest::addColumn<qint64>("holeMs");
        QTest::addColumn<double>("gapFactor");
        QTest::addColumn<int>("expectedGaps");
        QTest::newRow("60 s hole in 10 s series") << 20 << qint64(60000) << 3.0 << 1;
        QTest::newRow("hole during warm-up") << 2 << qint64(60000) << 3.0 << 1;
        QTest::newRow("hole after the first row") << 0 << qint64(600000) << 3.0 << 1;
        QTest::newRow("short hole") << 20 << qint64(25000) << 3.0 << 0;
        QTest::newRow("high factor") << 20 << qint64(60000) << 10.0 << 0;
    }
    void gaps() {
        QFETCH(int, holeAfter);
        QFETCH(qint64, holeMs);
        QFETCH(double, gapFactor);
        QFETCH(int, expectedGaps);
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 40);
        for (std::size_t i = static_cast<std::size_t>(holeAfter) + 1; i < rows.size(); ++i)
            rows[i].ts += holeMs - 10000;
        // A second device sampled every second must not disturb the first one's typical interval.
        std::vector<Row> other = series(QStringLiteral("DEV-2"), 40, 1000, 100);
        rows.insert(rows.end(), other.begin(), other.end());
        TelemetryBatch b = makeBatch(rows);
        ValidationOptions options;
        options.gapFactor = gapFactor;
        ValidationReport report(QStringLiteral("f.csv"));
        RowValidator v(SensorCatalog::defaults(), options);
        v.check(b, report);
        v.finish(report);
        QCOMPARE(b.rowCount(), std::size_t(80));
        QCOMPARE(report.gapCount(), qint64(expectedGaps));
        QCOMPARE(static_cast<int>(report.gaps().size()), expectedGaps);
        if (expectedGaps == 1) {
            const auto& g = report.gaps().front();
            QCOMPARE(g.deviceId, QStringLiteral("DEV-1"));
            QCOMPARE(g.line, qint64(2 + holeAfter + 1));
            QCOMPARE(g.toMs - g.fromMs, holeMs);
            QCOMPARE(g.typicalMs, qint64(10000));
            const auto& ex = report.checks().at(QStringLiteral("gap")).examples;
            QCOMPARE(ex[0].line, qint64(2 + holeAfter + 1));
            QCOMPARE(ex[0].column, qint64(1));
            QVERIFY(ex[0].message.contains(QStringLiteral("typical interval 10s")));
            QCOMPARE(report.devices().at(QStringLiteral("DEV-1")).gaps, qint64(1));
        }
    }

    void gapsOfShortSeriesNeedFinish() {
        std::vector<Row> rows = series(QStringLiteral("DEV-1"), 5);
        rows[4].ts += 100000;
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report;
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(report.gapCount(), qint64(0));  // 4 intervals: not enough to know the typical one yet
        v.finish(report);
        QCOMPARE(report.gapCount(), qint64(1));
        v.finish(report);
        QCOMPARE(report.gapCount(), qint64(1));
    }

    void deviceTotals() {
        std::vector<Row> rows = series(QStringLiteral("B"), 3);
        std::vector<Row> a = series(QStringLiteral("A"), 2, 5000, 50);
        rows.insert(rows.end(), a.begin(), a.end());
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report;
        RowValidator v(SensorCatalog::defaults());
        v.check(b, report);
        QCOMPARE(v.deviceCount(), 2);
        QCOMPARE(report.devices().size(), std::size_t(2));
        QCOMPARE(report.devices().begin()->first, QStringLiteral("A"));
        QCOMPARE(report.devices().at(QStringLiteral("A")).rows, qint64(2));
        QCOMPARE(report.devices().at(QStringLiteral("B")).rows, qint64(3));
        QCOMPARE(report.devices().at(QStringLiteral("B")).lastMs, kBaseMs + 20000);
        QCOMPARE(*report.firstTimestampMs(), kBaseMs);
        QCOMPARE(*report.lastTimestampMs(), kBaseMs + 20000);
    }

    void batchSplitDoesNotChangeTheReport_data() {
        QTest::addColumn<int>("batchRows");
        QTest::newRow("1") << 1;
        QTest::newRow("7") << 7;
        QTest::newRow("4096") << 4096;
    }
    void batchSplitDoesNotChangeTheReport() {
        QFETCH(int, batchRows);
        std::vector<Row> rows;
        qint64 line = 2;
        for (int i = 0; i < 400; ++i) {
            const int dev = i % 3;
            qint64 t = kBaseMs + (i / 3) * 2000 + (i == 200 ? -9000 : 0) + (i > 300 && dev == 1 ? 100000 : 0);
            if (i % 41 == 40)
                t = kBaseMs + ((i - 3) / 3) * 2000;  // duplicate of the device's previous row
            Row r{QStringLiteral("DEV-%1").arg(dev), t, {230, 18, 60, 1480, 2.2}, line++};
            if (i % 17 == 0)
                r.values[1] = -1;
            if (i % 11 == 0)
                r.values[4] = kMissing;
            rows.push_back(r);
        }
        const auto run = [&](int size, std::vector<qint64>& kept) {
            ValidationReport report(QStringLiteral("f.csv"), 5);
            RowValidator v(SensorCatalog::defaults());
            for (std::size_t start = 0; start < rows.size(); start += static_cast<std::size_t>(size)) {
                const auto stop = std::min(rows.size(), start + static_cast<std::size_t>(size));
                TelemetryBatch b =
                    makeBatch(std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(start),
                                               rows.begin() + static_cast<std::ptrdiff_t>(stop)));
                v.check(b, report);
                kept.insert(kept.end(), b.sourceLine.begin(), b.sourceLine.end());
            }
            v.finish(report);
            report.finish();
            return report.toJson().dump();
        };
        std::vector<qint64> expectedKept;
        std::vector<qint64> kept;
        const std::string expected = run(1000, expectedKept);
        const std::string actual = run(batchRows, kept);
        QCOMPARE(actual, expected);
        QCOMPARE(kept, expectedKept);
        const auto j = nlohmann::json::parse(expected);
        QVERIFY(j["checks"]["range"]["count"].get<int>() > 0);
        QVERIFY(j["checks"]["duplicate"]["count"].get<int>() > 0);
        QVERIFY(j["checks"]["out_of_order"]["count"].get<int>() > 0);
        QVERIFY(j["checks"]["missing"]["count"].get<int>() > 0);
        QVERIFY(j["checks"]["gap"]["count"].get<int>() > 0);
    }

    void columnNumbersFollowTheLayout() {
        CsvColumnLayout layout;
        layout.columnCount = 9;
        layout.timestamp = 9;
        layout.deviceId = 1;
        layout.state = 2;
        layout.channels = {3, 4, 5, 6, 7};
        layout.errorCode = 8;
        std::vector<Row> rows = series(QStringLiteral("D"), 3);
        rows[1].values[0] = 999;  // voltage
        rows[2].ts =
            rows[1].ts;  // duplicate of row 1 (which was rejected): so compare with row 0 -> in order
        rows.push_back(Row{QStringLiteral("D"), rows[0].ts, {230, 18, 60, 1480, 2.2}, 9});
        TelemetryBatch b = makeBatch(rows);
        ValidationReport report;
        RowValidator v(SensorCatalog::defaults(), {}, layout);
        v.check(b, report);
        QCOMPARE(report.checks().at(QStringLiteral("range")).examples.at(0).column, qint64(3));
        QCOMPARE(report.checks().at(QStringLiteral("duplicate")).examples.at(0).column, qint64(9));
    }
};

QTEST_GUILESS_MAIN(RowValidatorTest)
#include "row_validator_test.moc"
