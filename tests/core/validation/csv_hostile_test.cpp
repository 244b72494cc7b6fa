// Hostile input to the canonical telemetry CSV reader (issue 9): non-finite numbers in every numeric field,
// 10,000 columns, a 1 GiB line, invalid UTF-8. What happens to each is decided here:
//  - NaN / Inf / out-of-range text in a channel, error_code or timestamp cell: the row is rejected with a
//    "number" / "error_code" / "timestamp" issue naming line and column; only an empty cell is a missing
//    value.
//  - A line longer than CsvReaderOptions::maxLineBytes (1 MiB by default): a "line_too_long" issue (an open()
//    error for the header), streamed past without being held: memory stays bounded by the read buffer.
//  - A device_id that is not valid UTF-8: the row is rejected ("device_id"), so two different byte strings
//    never become one device. A fault_tag that is not valid UTF-8 is kept with U+FFFD replacements (a label,
//    not an identity). A header name that is not valid UTF-8 is an unknown column.

#include "core/validation/hostile_input.h"
#include "core/validation/validation_test_util.h"
#include "validation/csv_reader.h"
#include "validation/validator.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace itap;
using namespace itap::testutil;

namespace {

struct ReadAll {
    Status status;
    TelemetryBatch rows;
    std::vector<RowIssue> issues;
    qint64 bufferCapacity = 0;
};

ReadAll readAll(const QString& path, const SensorCatalog& catalog = SensorCatalog::defaults(),
                CsvReaderOptions options = {}) {
    ReadAll out;
    TelemetryCsvReader reader(catalog, options);
    out.status = reader.open(path);
    if (!out.status)
        return out;
    out.bufferCapacity = reader.bufferCapacity();
    out.rows.channelCount = catalog.size();
    TelemetryBatch batch;
    for (;;) {
        auto more = reader.readBatch(batch, out.issues, 1000);
        if (!more) {
            out.status = more.error();
            return out;
        }
        for (std::size_t r = 0; r < batch.rowCount(); ++r)
            out.rows.append(batch.deviceId[r], batch.tsMs[r], batch.state[r],
                            batch.values.data() + r * std::size_t(batch.channelCount), batch.errorCode[r],
                            batch.faultTag[r], batch.sourceLine[r]);
        if (!*more)
            return out;
    }
}

QString describe(const ReadAll& r) {
    if (!r.status)
        return r.status.error().toString();
    return QStringLiteral("%1 rows; issues: %2").arg(r.rows.rowCount()).arg(issuesText(r.issues));
}

SensorCatalog wideCatalog(int channels) {
    std::vector<ChannelSpec> specs;
    for (int i = 0; i < channels; ++i)
        specs.push_back(ChannelSpec{QStringLiteral("c%1").arg(i), QString(), QStringLiteral("F"), -1e9, 1e9});
    return SensorCatalog(std::move(specs));
}

}  // namespace

class CsvHostileTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QString write(const QByteArray& bytes, const QString& name = QStringLiteral("t.csv")) {
        const QString path = dir_.filePath(name);
        if (!writeBytes(path, bytes))
            qFatal("cannot write test file");
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // Every numeric field × every spelling of a non-finite or unrepresentable number.
    void nonFiniteNumbersAreRejected_data() {
        QTest::addColumn<int>("field");  // 0-based field of the canonical row
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("check");
        const QList<QByteArray> values = {"NaN",  "nan",      "+nan",      "-nan",  "inf",    "+inf",
                                          "-Inf", "Infinity", "-infinity", "1e999", "-1e999", "1e-400"};
        const QList<std::pair<int, QString>> fields = {
            {0, QStringLiteral("timestamp")}, {3, QStringLiteral("number")}, {4, QStringLiteral("number")},
            {5, QStringLiteral("number")},    {6, QStringLiteral("number")}, {7, QStringLiteral("number")},
            {8, QStringLiteral("error_code")}};
        const QList<QByteArray> names = kHeader.split(',');
        for (const auto& [field, check] : fields)
            for (const QByteArray& v : values)
                QTest::addRow("%s=%s", names[field].constData(), v.constData()) << field << v << check;
    }
    void nonFiniteNumbersAreRejected() {
        QFETCH(int, field);
        QFETCH(QByteArray, value);
        QFETCH(QString, check);
        const QByteArray bad = withField(goodRow("DEV-1", 1), field, value);
        const QString path =
            write(kHeader + '\n' + goodRow("DEV-1", 0) + '\n' + bad + '\n' + goodRow("DEV-1", 2) + '\n');
        const ReadAll r = readAll(path);
        QVERIFY2(r.status.ok(), qPrintable(describe(r)));
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 4}));
        for (double v : r.rows.values) QVERIFY(std::isfinite(v));
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, check);
        QCOMPARE(r.issues[0].line, qint64(3));
        QCOMPARE(r.issues[0].column, qint64(field + 1));
        QVERIFY2(r.issues[0].message.contains(QString::fromLatin1(value)), qPrintable(r.issues[0].message));

        // The same through `itap validate`: counted as a malformed row, named file:line:column.
        auto report = validateFile(path, SensorCatalog::defaults(), ValidationOptions{}, {});
        QVERIFY(report.ok());
        QCOMPARE(report->rowsAccepted(), qint64(2));
        QCOMPARE(report->malformedRows(), qint64(1));
    }

    // 10,000 columns: a catalog of 9,995 channels (plus the five fixed fields) in reverse order.
    void tenThousandColumnsAreRead() {
        constexpr int kChannels = 9995;
        const SensorCatalog catalog = wideCatalog(kChannels);
        QByteArray header = "fault_tag,timestamp,device_id,state,error_code";
        for (int i = kChannels - 1; i >= 0; --i) header += ",c" + QByteArray::number(i);
        QByteArray rows;
        for (int r = 0; r < 3; ++r) {
            rows += "tag," + ts(kBaseMs + r * 1000) + ",DEV-1,RUN,0";
            for (int i = kChannels - 1; i >= 0; --i) rows += ',' + QByteArray::number(i + r);
            rows += '\n';
        }
        QElapsedTimer timer;
        timer.start();
        const ReadAll r = readAll(write(header + '\n' + rows), catalog);
        QVERIFY2(r.status.ok() && r.issues.empty(), qPrintable(describe(r)));
        QCOMPARE(r.rows.rowCount(), std::size_t(3));
        QCOMPARE(r.rows.channelCount, kChannels);
        QCOMPARE(r.rows.value(0, 0), 0.0);
        QCOMPARE(r.rows.value(2, kChannels - 1), double(kChannels - 1 + 2));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
    }

    void tenThousandFieldsInARow() {
        QByteArray row = goodRow("DEV-1", 1);
        for (int i = 10; i < 10000; ++i) row += ",1";
        const ReadAll r = readAll(write(kHeader + '\n' + row + '\n' + goodRow("DEV-1", 2) + '\n'));
        QVERIFY(r.status.ok());
        QCOMPARE(r.rows.rowCount(), std::size_t(1));
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, QStringLiteral("column_count"));
        QCOMPARE(r.issues[0].line, qint64(2));
        QCOMPARE(r.issues[0].column, qint64(11));
        QVERIFY2(r.issues[0].message.contains(QStringLiteral("found 10000")),
                 qPrintable(r.issues[0].message));
    }

    void tenThousandColumnHeader() {
        QByteArray header = kHeader;
        for (int i = 10; i < 10000; ++i) header += ",x" + QByteArray::number(i + 1);
        const QString path = write(header + '\n' + goodRow("DEV-1", 1) + '\n');
        const ReadAll r = readAll(path);
        QVERIFY(!r.status.ok());
        QCOMPARE(r.status.error().file, path);
        QCOMPARE(r.status.error().line, qint64(1));
        QCOMPARE(r.status.error().column, qint64(11));
        QVERIFY2(r.status.error().message.contains(QStringLiteral("unknown column 'x11'")),
                 qPrintable(r.status.error().message));
    }

    // A 1 GiB data line: reported and skipped; the rows around it are read; memory stays bounded.
    void gigabyteLineIsSkippedWithBoundedMemory() {
        const QString path = dir_.filePath(QStringLiteral("huge_row.csv"));
        QVERIFY(writeHugeLine(path, kHeader + '\n' + goodRow("DEV-1", 0) + '\n', kGiB, '7',
                              '\n' + goodRow("DEV-1", 1) + '\n'));
        const qint64 before = peakRssBytes();
        const ReadAll r = readAll(path);
        const qint64 after = peakRssBytes();
        QFile::remove(path);
        QVERIFY2(r.status.ok(), qPrintable(describe(r)));
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 4}));
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, QStringLiteral("line_too_long"));
        QCOMPARE(r.issues[0].line, qint64(3));
        QVERIFY2(r.issues[0].message.contains(QString::number(kGiB)), qPrintable(r.issues[0].message));
        // The reader's buffer is its bound (4 MiB by default); the peak may not grow by anything like the
        // line.
        QVERIFY(r.bufferCapacity <= qint64(8) << 20);
        QVERIFY(before > 0);
        QVERIFY2(after - before < qint64(64) << 20,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MiB").arg((after - before) >> 20)));
    }

    void gigabyteHeaderIsAnError() {
        const QString path = dir_.filePath(QStringLiteral("huge_header.csv"));
        QVERIFY(writeHugeLine(path, "timestamp,device_id,", kGiB, 'h', "\n" + goodRow("DEV-1", 1) + '\n'));
        const qint64 before = peakRssBytes();
        const ReadAll r = readAll(path);
        const qint64 after = peakRssBytes();
        QFile::remove(path);
        QVERIFY(!r.status.ok());
        QCOMPARE(r.status.error().file, path);
        QCOMPARE(r.status.error().line, qint64(1));
        QVERIFY2(
            r.status.error().message.contains(QStringLiteral("header line is longer than 1048576 bytes")),
            qPrintable(r.status.error().message));
        QVERIFY2(after - before < qint64(64) << 20,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MiB").arg((after - before) >> 20)));
    }

    void invalidUtf8DeviceIdIsRejected_data() {
        QTest::addColumn<QByteArray>("device");
        QTest::newRow("lone continuation byte") << QByteArray("DEV-\x80");
        QTest::newRow("0xff") << QByteArray("DEV-\xff");
        QTest::newRow("overlong slash") << QByteArray("DEV-\xc0\xaf");
        QTest::newRow("UTF-16 surrogate") << QByteArray("DEV-\xed\xa0\x80");
        QTest::newRow("truncated sequence") << QByteArray("DEV-\xe2\x82");
        QTest::newRow("beyond U+10FFFF") << QByteArray("DEV-\xf4\x90\x80\x80");
        QTest::newRow("quoted, latin-1 umlaut") << QByteArray("\"Pumpe-\xfc\"");
    }
    void invalidUtf8DeviceIdIsRejected() {
        QFETCH(QByteArray, device);
        const ReadAll r =
            readAll(write(kHeader + '\n' + goodRow(device, 0) + '\n' + goodRow("DEV-\xc3\xa4", 1) + '\n' +
                          goodRow("DEV-\xef\xbf\xbd", 2) + '\n'));
        QVERIFY(r.status.ok());
        // Valid UTF-8 is kept as it is, U+FFFD included.
        QCOMPARE(r.rows.deviceId,
                 (std::vector<QString>{QStringLiteral("DEV-ä"), QStringLiteral("DEV-\uFFFD")}));
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, QStringLiteral("device_id"));
        QCOMPARE(r.issues[0].line, qint64(2));
        QCOMPARE(r.issues[0].column, qint64(2));
        QVERIFY2(r.issues[0].message.contains(QStringLiteral("not valid UTF-8")),
                 qPrintable(r.issues[0].message));
    }

    void invalidUtf8FaultTagIsKeptReplaced() {
        const ReadAll r = readAll(write(kHeader + '\n' + goodRow("DEV-1", 0, 10000, "over\xffheat") + '\n'));
        QVERIFY2(r.status.ok() && r.issues.empty(), qPrintable(describe(r)));
        QCOMPARE(r.rows.faultTag[0], QStringLiteral("over\uFFFDheat"));
    }

    void invalidUtf8HeaderNameIsAnUnknownColumn() {
        const QString path =
            write("timestamp,device_id,state,volt\xff_v" + kHeader.mid(kHeader.indexOf(",current")) + '\n' +
                  goodRow("DEV-1", 0) + '\n');
        const ReadAll r = readAll(path);
        QVERIFY(!r.status.ok());
        QCOMPARE(r.status.error().file, path);
        QCOMPARE(r.status.error().line, qint64(1));
        QCOMPARE(r.status.error().column, qint64(4));
        QVERIFY2(r.status.error().message.contains(QStringLiteral("unknown column 'volt\uFFFD_v'")),
                 qPrintable(r.status.error().message));
    }
};

QTEST_GUILESS_MAIN(CsvHostileTest)
#include "csv_hostile_test.moc"
