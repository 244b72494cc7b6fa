#include "validation/csv_reader.h"
#include "common/printable_text.h"
#include "core/validation/validation_test_util.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <cmath>

using namespace itap;
using namespace itap::testutil;

namespace {

struct ReadAll {
    Status status;
    TelemetryBatch rows;  // every parsed row, concatenated
    std::vector<RowIssue> issues;
    bool hasLabels = false;
    qint64 bufferCapacity = 0;
    qint64 bytesRead = 0;
    qint64 fileSize = 0;
    int batches = 0;
};

ReadAll readAll(const QString& path, int maxRows = 4096, CsvReaderOptions options = {}) {
    ReadAll out;
    TelemetryCsvReader reader(SensorCatalog::defaults(), options);
    out.status = reader.open(path);
    if (!out.status)
        return out;
    out.hasLabels = reader.hasLabels();
    out.rows.channelCount = reader.catalog().size();
    TelemetryBatch batch;
    for (;;) {
        auto more = reader.readBatch(batch, out.issues, maxRows);
        if (!more) {
            out.status = more.error();
            return out;
        }
        ++out.batches;
        if (static_cast<int>(batch.rowCount()) > maxRows)
            qFatal("batch larger than maxRows");
        for (std::size_t r = 0; r < batch.rowCount(); ++r)
            out.rows.append(batch.deviceId[r], batch.tsMs[r], batch.state[r], &batch.values[r * 5],
                            batch.errorCode[r], batch.faultTag[r], batch.sourceLine[r]);
        if (!*more)
            break;
    }
    out.bufferCapacity = reader.bufferCapacity();
    out.bytesRead = reader.bytesRead();
    out.fileSize = reader.fileSize();
    return out;
}

}  // namespace

class CsvReaderTest : public QObject {
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

    void readsCanonicalRows() {
        const QByteArray text = kHeader + '\n' +
                                "2026-01-01T05:31:10Z,DEV-0006,RUN,231.4,18.2,61.7,1480.0,2.31,0,\n"
                                "2026-01-01 05:31:20,DEV-0006,IDLE,-0.5e1,+18,,1e3,0,17,overheat\n"
                                "2026-01-01T05:31:30.250Z,DEV-0007,MAINT, 230 ,1,2,3,4, 0 ,power_spike\n";
        const ReadAll r = readAll(write(text));
        QVERIFY2(r.status.ok(), qPrintable(r.status.ok() ? QString() : r.status.error().toString()));
        QVERIFY(r.issues.empty());
        QVERIFY(r.hasLabels);
        QCOMPARE(r.rows.rowCount(), std::size_t(3));
        QCOMPARE(r.rows.channelCount, 5);
        QCOMPARE(r.rows.tsMs[0], *parseUtcTimestamp(std::string_view("2026-01-01T05:31:10Z")));
        QCOMPARE(r.rows.tsMs[1] - r.rows.tsMs[0], qint64(10000));
        QCOMPARE(r.rows.tsMs[2] - r.rows.tsMs[1], qint64(10250));
        QCOMPARE(r.rows.deviceId[0], QStringLiteral("DEV-0006"));
        QCOMPARE(r.rows.deviceId[2], QStringLiteral("DEV-0007"));
        QCOMPARE(r.rows.state[0], OpState::Run);
        QCOMPARE(r.rows.state[1], OpState::Idle);
        QCOMPARE(r.rows.state[2], OpState::Maint);
        QCOMPARE(r.rows.value(0, 0), 231.4);
        QCOMPARE(r.rows.value(0, 4), 2.31);
        QCOMPARE(r.rows.value(1, 0), -5.0);
        QCOMPARE(r.rows.value(1, 1), 18.0);
        QVERIFY(isMissing(r.rows.value(1, 2)));  // empty cell = missing, not an error
        QCOMPARE(r.rows.value(1, 3), 1000.0);
        QCOMPARE(r.rows.value(2, 0), 230.0);
        QCOMPARE(r.rows.errorCode[0], 0);
        QCOMPARE(r.rows.errorCode[1], 17);
        QCOMPARE(r.rows.faultTag[0], QString());
        QCOMPARE(r.rows.faultTag[1], QStringLiteral("overheat"));
        QCOMPARE(r.rows.faultTag[2], QStringLiteral("power_spike"));
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 3, 4}));
        QCOMPARE(r.bytesRead, r.fileSize);
        QCOMPARE(r.fileSize, qint64(text.size()));
    }

    void rowIssues_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("check");
        QTest::addColumn<qint64>("column");
        QTest::addColumn<QString>("messagePart");
        const QByteArray t = "2026-01-01T00:00:20Z";
        QTest::newRow("too few columns") << t + ",DEV-1,RUN,230,18,60"
                                         << "column_count" << qint64(7) << "expected 10 fields, found 6";
        QTest::newRow("too many columns") << t + ",DEV-1,RUN,230,18,60,1480,2.2,0,,extra"
                                          << "column_count" << qint64(11) << "expected 10 fields, found 11";
        QTest::newRow("text in number") << t + ",DEV-1,RUN,230,18,hot,1480,2.2,0,"
                                        << "number" << qint64(6) << "temp_c: 'hot' is not a number";
        QTest::newRow("number with junk") << t + ",DEV-1,RUN,230,18,60,1480x,2.2,0,"
                                          << "number" << qint64(7) << "rpm: '1480x' is not a number";
        QTest::newRow("decimal comma") << t + ",DEV-1,RUN,\"230,5\",18,60,1480,2.2,0,"
                                       << "number" << qint64(4) << "voltage_v: '230,5' is not a number";
        QTest::newRow("NaN text") << t + ",DEV-1,RUN,NaN,18,60,1480,2.2,0,"
                                  << "number" << qint64(4) << "voltage_v: 'NaN' is not a finite number";
        QTest::newRow("inf text") << t + ",DEV-1,RUN,230,inf,60,1480,2.2,0,"
                                  << "number" << qint64(5) << "not a finite number";
        QTest::newRow("-Infinity text") << t + ",DEV-1,RUN,230,18,60,1480,-Infinity,0,"
                                        << "number" << qint64(8) << "not a finite number";
        QTest::newRow("overflow") << t + ",DEV-1,RUN,230,18,60,1e999,2.2,0,"
                                  << "number" << qint64(7) << "is not a number";
        QTest::newRow("unknown state") << t + ",DEV-1,STOP,230,18,60,1480,2.2,0,"
                                       << "state" << qint64(3) << "unknown state 'STOP'";
        QTest::newRow("lower-case state") << t + ",DEV-1,run,230,18,60,1480,2.2,0,"
                                          << "state" << qint64(3) << "unknown state 'run'";
        QTest::newRow("bad timestamp") << QByteArray("2026-13-01T00:00:00Z,DEV-1,RUN,230,18,60,1480,2.2,0,")
                                       << "timestamp" << qint64(1) << "cannot parse '2026-13-01T00:00:00Z'";
        QTest::newRow("timestamp without Z")
            << QByteArray("2026-01-01T00:00:00,DEV-1,RUN,230,18,60,1480,2.2,0,") << "timestamp" << qint64(1)
            << "cannot parse";
        QTest::newRow("text timestamp") << QByteArray("yesterday,DEV-1,RUN,230,18,60,1480,2.2,0,")
                                        << "timestamp" << qint64(1) << "cannot parse 'yesterday'";
        QTest::newRow("negative error_code")
            << t + ",DEV-1,RUN,230,18,60,1480,2.2,-1,"
            << "error_code" << qint64(9) << "error_code: '-1' is not an integer >= 0";
        QTest::newRow("fractional error_code") << t + ",DEV-1,RUN,230,18,60,1480,2.2,1.5,"
                                               << "error_code" << qint64(9) << "'1.5' is not an integer";
        QTest::newRow("empty error_code") << t + ",DEV-1,RUN,230,18,60,1480,2.2,,"
                                          << "error_code" << qint64(9) << "'' is not an integer";
        QTest::newRow("huge error_code")
            << t + ",DEV-1,RUN,230,18,60,1480,2.2,99999999999,"
            << "error_code" << qint64(9) << "error_code: '99999999999' is too large (at most 2147483647)";
        QTest::newRow("error_code 2^31") << t + ",DEV-1,RUN,230,18,60,1480,2.2,2147483648,"
                                         << "error_code" << qint64(9) << "'2147483648' is too large";
        QTest::newRow("empty device_id") << t + ",,RUN,230,18,60,1480,2.2,0,"
                                         << "device_id" << qint64(2) << "device_id is empty";
        QTest::newRow("blank device_id") << t + ",  ,RUN,230,18,60,1480,2.2,0,"
                                         << "device_id" << qint64(2) << "device_id is empty";
        QTest::newRow("ESC in device_id")
            << t + ",DEV\x1b[31m-1,RUN,230,18,60,1480,2.2,0,"
            << "device_id" << qint64(2) << "device_id 'DEV\\x1b[31m-1' contains a control character";
        QTest::newRow("NUL in device_id") << t + QByteArray(",DEV\0-1,RUN,230,18,60,1480,2.2,0,", 33)
                                          << "device_id" << qint64(2) << "'DEV\\x00-1' contains a control";
        QTest::newRow("TAB inside device_id") << t + ",DEV\t1,RUN,230,18,60,1480,2.2,0,"
                                              << "device_id" << qint64(2) << "'DEV\\x091' contains a control";
        QTest::newRow("DEL in device_id") << t + ",DEV\x7f,RUN,230,18,60,1480,2.2,0,"
                                          << "device_id" << qint64(2) << "'DEV\\x7f' contains a control";
        QTest::newRow("C1 CSI in device_id") << t + ",DEV\xc2\x9b"
                                                    "2J,RUN,230,18,60,1480,2.2,0,"
                                             << "device_id" << qint64(2) << "'DEV\\x9b2J' contains a control";
        QTest::newRow("ESC in a number cell is escaped")
            << t + ",DEV-1,RUN,230,18,\x1b[2J,1480,2.2,0,"
            << "number" << qint64(6) << "temp_c: '\\x1b[2J' is not a number";
        QTest::newRow("sub-millisecond timestamp")
            << QByteArray("2026-01-01T00:00:20.0001Z,DEV-1,RUN,230,18,60,1480,2.2,0,") << "timestamp"
            << qint64(1) << "timestamp: '2026-01-01T00:00:20.0001Z' is finer than a millisecond";
        QTest::newRow("text after quote") << t + ",\"DEV-1\"x,RUN,230,18,60,1480,2.2,0,"
                                          << "quote" << qint64(2) << "unexpected text after a closing quote";
        QTest::newRow("first bad column wins") << QByteArray("bad,DEV-1,STOP,x,18,60,1480,2.2,-3,")
                                               << "timestamp" << qint64(1) << "cannot parse";
    }
    void rowIssues() {
        QFETCH(QByteArray, line);
        QFETCH(QString, check);
        QFETCH(qint64, column);
        QFETCH(QString, messagePart);
        const QByteArray text =
            kHeader + '\n' + goodRow("DEV-1", 0) + '\n' + line + '\n' + goodRow("DEV-1", 1) + '\n';
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QCOMPARE(r.issues.size(), std::size_t(1));
        const RowIssue& issue = r.issues.front();
        QCOMPARE(issue.check, check);
        QCOMPARE(issue.line, qint64(3));
        QCOMPARE(issue.column, column);
        QVERIFY2(issue.message.contains(messagePart), qPrintable(issue.message));
        // Cell text reaches a message with its control characters escaped.
        for (const QChar c : issue.message)
            QVERIFY2(!isControlCharacter(c.unicode()), qPrintable(issue.message));
        // The malformed row is not added; its neighbours are, with their own lines.
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 4}));
    }

    void headerErrors_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<qint64>("column");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("unknown column")
            << QByteArray(
                   "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,pressure_bar,"
                   "error_code\n")
            << qint64(1) << qint64(9) << "unknown column 'pressure_bar' at column 9";
        QTest::newRow("missing channel")
            << QByteArray("timestamp,device_id,state,voltage_v,current_a,temp_c,vibration_mm_s,error_code\n")
            << qint64(1) << qint64(0) << "missing column 'rpm'";
        QTest::newRow("missing error_code")
            << QByteArray("timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s\n")
            << qint64(1) << qint64(0) << "missing column 'error_code'";
        QTest::newRow("missing timestamp")
            << QByteArray("device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code\n")
            << qint64(1) << qint64(0) << "missing column 'timestamp'";
        QTest::newRow("duplicate column")
            << QByteArray(
                   "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,temp_c,vibration_mm_s,error_"
                   "code\n")
            << qint64(1) << qint64(8) << "duplicate column 'temp_c' at column 8 (also column 6)";
        QTest::newRow("case matters")
            << QByteArray(
                   "Timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code\n")
            << qint64(1) << qint64(1) << "unknown column 'Timestamp'";
        QTest::newRow("empty name")
            << QByteArray(
                   "timestamp,device_id,,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code\n")
            << qint64(1) << qint64(3) << "column 3 has no name";
        QTest::newRow("empty file") << QByteArray() << qint64(1) << qint64(0) << "empty file";
        QTest::newRow("only a BOM") << QByteArray("\xEF\xBB\xBF") << qint64(1) << qint64(0) << "empty file";
        QTest::newRow("only blank lines") << QByteArray("\n\r\n\n") << qint64(1) << qint64(0) << "empty file";
        QTest::newRow("header after blank lines") << QByteArray("\n\ntimestamp,device_id,state,bogus\n")
                                                  << qint64(3) << qint64(4) << "unknown column 'bogus'";
    }
    void headerErrors() {
        QFETCH(QByteArray, text);
        QFETCH(qint64, line);
        QFETCH(qint64, column);
        QFETCH(QString, messagePart);
        const QString path = write(text);
        TelemetryCsvReader reader(SensorCatalog::defaults());
        const Status s = reader.open(path);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QCOMPARE(s.error().file, path);
        QCOMPARE(s.error().line, line);
        QCOMPARE(s.error().column, column);
        QVERIFY2(s.error().message.contains(messagePart), qPrintable(s.error().message));
        TelemetryBatch batch;
        std::vector<RowIssue> issues;
        QVERIFY(!reader.readBatch(batch, issues, 10).ok());  // no rows from a file with a bad header
    }

    void missingFile() {
        TelemetryCsvReader reader(SensorCatalog::defaults());
        const QString path = dir_.filePath(QStringLiteral("does-not-exist.csv"));
        const Status s = reader.open(path);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QCOMPARE(s.error().file, path);
        QVERIFY(s.error().message.contains(QStringLiteral("not found")));
    }

    void directoryIsUnreadable() {
        TelemetryCsvReader reader(SensorCatalog::defaults());
        const Status s = reader.open(dir_.path());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QCOMPARE(s.error().file, dir_.path());
        QVERIFY(s.error().message.contains(QStringLiteral("directory")));
    }

    void permissionDenied() {
        if (::geteuid() == 0)
            QSKIP("running as root: chmod 000 does not stop root from reading");
        const QString path = write(kHeader + '\n', QStringLiteral("locked.csv"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        TelemetryCsvReader reader(SensorCatalog::defaults());
        const Status s = reader.open(path);
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QVERIFY(s.error().message.contains(QStringLiteral("cannot read")));
    }

    void readBeforeOpenFails() {
        TelemetryCsvReader reader(SensorCatalog::defaults());
        TelemetryBatch batch;
        std::vector<RowIssue> issues;
        QVERIFY(!reader.readBatch(batch, issues, 10).ok());
    }

    void invalidOptionsAreRejected() {
        CsvReaderOptions options;
        options.maxLineBytes = 1;
        QVERIFY(!options.validate().ok());
        TelemetryCsvReader reader(SensorCatalog::defaults(), options);
        const Status s = reader.open(write(kHeader + '\n'));
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("maxLineBytes")));
    }

    void bomAndCrlf() {
        QByteArray text = "\xEF\xBB\xBF" + kHeader + "\r\n";
        for (int i = 0; i < 3; ++i) text += goodRow("DEV-1", i, 10000, i == 1 ? "overheat" : "") + "\r\n";
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QVERIFY(r.issues.empty());
        QVERIFY(r.hasLabels);
        QCOMPARE(r.rows.rowCount(), std::size_t(3));
        QCOMPARE(r.rows.faultTag[0], QString());  // the CR is not part of the last field
        QCOMPARE(r.rows.faultTag[1], QStringLiteral("overheat"));
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 3, 4}));
    }

    void crlfWithoutLabelsEndsInNumber() {
        const QByteArray text = kHeaderNoTag + "\r\n2026-01-01T00:00:00Z,DEV-1,RUN,230,18,60,1480,2.2,7\r\n";
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QVERIFY(r.issues.empty());
        QCOMPARE(r.rows.errorCode, std::vector<int>{7});
    }

    void quotedFields() {
        const QByteArray text =
            "\"timestamp\",device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,"
            "error_code,\"fault_tag\"\n"
            "2026-01-01T00:00:00Z,\"DEV, \"\"north\"\"\",RUN,\"230.5\",18,60,1480,2.2,0,"
            "\"overheat\"\n"
            "\"2026-01-01T00:00:10Z\", \"DEV-2\" ,\"IDLE\",230,18,\"\",1480,2.2,\"3\",\"\"\n";
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QCOMPARE(r.issues.size(), std::size_t(0));
        QCOMPARE(r.rows.rowCount(), std::size_t(2));
        QCOMPARE(r.rows.deviceId[0], QStringLiteral("DEV, \"north\""));
        QCOMPARE(r.rows.value(0, 0), 230.5);
        QCOMPARE(r.rows.faultTag[0], QStringLiteral("overheat"));
        QCOMPARE(r.rows.deviceId[1], QStringLiteral("DEV-2"));
        QCOMPARE(r.rows.state[1], OpState::Idle);
        QVERIFY(isMissing(r.rows.value(1, 2)));
        QCOMPARE(r.rows.errorCode[1], 3);
        QCOMPARE(r.rows.faultTag[1], QString());
    }

    // RFC 4180: a quoted field may hold line breaks (LF or CRLF). The record is one row; issues and
    // sourceLine give the line on which it starts, and the lines after it keep their own numbers. The same
    // with a 202-byte buffer and one row per batch, so that records straddle refills.
    void quotedLineBreaks() {
        const QByteArray text = kHeader + '\n' +                                                 // 1
                                goodRow("DEV-1", 0) + '\n' +                                     // 2
                                withField(goodRow("DEV-1", 1), 9, "\"bearing\nwear\"") + '\n' +  // 3-4
                                withField(goodRow("DEV-1", 2), 9, "\"a \"\"quoted\"\",\r\nb\"") +
                                "\r\n" +                                                  // 5-6
                                withField(goodRow("DEV-1", 3), 5, "hot") + '\n' +         // 7
                                withField(goodRow("DEV-1", 4), 1, "\"DEV\n1\"") + '\n' +  // 8-9
                                goodRow("DEV-1", 5) + '\n';                               // 10
        for (const bool tiny : {false, true}) {
            CsvReaderOptions options;
            if (tiny) {
                options.readChunkBytes = 16;
                options.maxLineBytes = 200;  // the buffer holds 202 bytes: about two rows
            }
            const ReadAll r = readAll(write(text), tiny ? 1 : 4096, options);
            QVERIFY(r.status.ok());
            QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 3, 5, 10}));
            QCOMPARE(r.rows.faultTag[1], QStringLiteral("bearing\nwear"));
            QCOMPARE(r.rows.faultTag[2], QStringLiteral("a \"quoted\",\r\nb"));
            QCOMPARE(r.issues.size(), std::size_t(2));
            QCOMPARE(r.issues[0].line, qint64(7));
            QCOMPARE(r.issues[0].column, qint64(6));
            QCOMPARE(r.issues[1].line, qint64(8));
            QCOMPARE(r.issues[1].check, QStringLiteral("device_id"));
        }
    }

    // A quote that never closes runs to the end of the file (RFC 4180 allows no other reading): one
    // "unterminated quoted field" issue at the line where the record starts.
    void unterminatedQuoteRunsToTheEnd() {
        const QByteArray text = kHeader + '\n' + goodRow("DEV-1", 0) + '\n' +
                                withField(goodRow("DEV-1", 1), 1, "\"DEV-1") + '\n' + goodRow("DEV-1", 2) +
                                '\n';
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2}));
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, QStringLiteral("quote"));
        QCOMPARE(r.issues[0].line, qint64(3));
        QCOMPARE(r.issues[0].column, qint64(2));
        QVERIFY2(r.issues[0].message.contains(QLatin1String("unterminated quoted field")),
                 qPrintable(r.issues[0].message));
    }

    // Milliseconds are what is stored: .0001 and .0009 would both become .000, two samples silently merged.
    // A fraction finer than that is rejected unless its extra digits are zeros.
    void subMillisecondTimestamps() {
        const QByteArray text = kHeader + '\n' +
                                withField(goodRow("DEV-1", 0), 0, "2026-01-01T00:00:00.0001Z") + '\n' +
                                withField(goodRow("DEV-1", 0), 0, "2026-01-01T00:00:00.0009Z") + '\n' +
                                withField(goodRow("DEV-1", 0), 0, "2026-01-01T00:00:01.120000Z") + '\n' +
                                withField(goodRow("DEV-1", 0), 0, "2026-01-01 00:00:02.5") + '\n';
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QCOMPARE(r.issues.size(), std::size_t(2));
        for (const RowIssue& issue : r.issues) {
            QCOMPARE(issue.check, QStringLiteral("timestamp"));
            QCOMPARE(issue.column, qint64(1));
            QVERIFY2(issue.message.contains(QLatin1String("finer than a millisecond")),
                     qPrintable(issue.message));
        }
        QCOMPARE(r.issues[0].line, qint64(2));
        QCOMPARE(r.issues[1].line, qint64(3));
        QCOMPARE(r.rows.tsMs, (std::vector<qint64>{kBaseMs + 1120, kBaseMs + 2500}));
    }

    void utf8DeviceIds() {
        const QByteArray text = kHeader + "\n2026-01-01T00:00:00Z,Pumpe-Süd-1,RUN,230,18,60,1480,2.2,0,\n";
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QCOMPARE(r.rows.deviceId[0], QString::fromUtf8("Pumpe-Süd-1"));
    }

    void noFaultTagColumn() {
        QByteArray text = kHeaderNoTag + '\n';
        text += "2026-01-01T00:00:00Z,DEV-1,RUN,230,18,60,1480,2.2,0\n";
        text += "2026-01-01T00:00:10Z,DEV-1,RUN,230,18,60,1480,2.2,0,overheat\n";  // one field too many now
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QVERIFY(!r.hasLabels);
        QCOMPARE(r.rows.rowCount(), std::size_t(1));
        QCOMPARE(r.rows.faultTag[0], QString());
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, QStringLiteral("column_count"));
        QCOMPARE(r.issues[0].column, qint64(10));
        QCOMPARE(r.issues[0].message, QStringLiteral("expected 9 fields, found 10"));
    }

    void columnsInAnyOrder() {
        const QByteArray text =
            "rpm,fault_tag,device_id,error_code,temp_c,timestamp,vibration_mm_s,state,current_a,"
            "voltage_v\n"
            "1480,bearing_wear,DEV-9,4,61.5,2026-01-01T00:00:00Z,2.5,RUN,18.5,231\n"
            "1490,,DEV-9,0,bad,2026-01-01T00:00:10Z,2.5,RUN,18.5,231\n";
        const QString path = write(text);
        TelemetryCsvReader reader(SensorCatalog::defaults());
        QVERIFY(reader.open(path).ok());
        QCOMPARE(reader.columnName(5), QStringLiteral("temp_c"));
        QCOMPARE(reader.columnName(11), QStringLiteral("column 11"));
        QCOMPARE(reader.layout().timestamp, 6);
        QCOMPARE(reader.layout().channels, (std::vector<int>{10, 9, 5, 1, 7}));
        TelemetryBatch batch;
        std::vector<RowIssue> issues;
        auto more = reader.readBatch(batch, issues, 100);
        QVERIFY(more.ok());
        QCOMPARE(batch.rowCount(), std::size_t(1));
        QCOMPARE(batch.value(0, 0), 231.0);  // catalog order, not file order
        QCOMPARE(batch.value(0, 1), 18.5);
        QCOMPARE(batch.value(0, 2), 61.5);
        QCOMPARE(batch.value(0, 3), 1480.0);
        QCOMPARE(batch.value(0, 4), 2.5);
        QCOMPARE(batch.errorCode[0], 4);
        QCOMPARE(batch.faultTag[0], QStringLiteral("bearing_wear"));
        QCOMPARE(issues.size(), std::size_t(1));
        QCOMPARE(issues[0].column, qint64(5));
        QCOMPARE(issues[0].message, QStringLiteral("temp_c: 'bad' is not a number"));
        QCOMPARE(issues[0].deviceId, QStringLiteral("DEV-9"));
    }

    void fileWithoutTrailingNewline() {
        const QByteArray text = kHeader + '\n' + goodRow("DEV-1", 0) + '\n' + goodRow("DEV-1", 1);
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QVERIFY(r.issues.empty());
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 3}));
        QCOMPARE(r.bytesRead, qint64(text.size()));
    }

    void blankLinesAreNotRows() {
        const QByteArray text = kHeader + '\n' + goodRow("DEV-1", 0) + "\n\n" + goodRow("DEV-1", 1) + "\n\n";
        const ReadAll r = readAll(write(text));
        QVERIFY(r.status.ok());
        QVERIFY(r.issues.empty());
        QCOMPARE(r.rows.sourceLine, (std::vector<qint64>{2, 4}));
    }

    void headerOnly() {
        const ReadAll r = readAll(write(kHeader + '\n'));
        QVERIFY(r.status.ok());
        QCOMPARE(r.rows.rowCount(), std::size_t(0));
        QVERIFY(r.issues.empty());
    }

    void lineTooLong_data() {
        QTest::addColumn<bool>("atEnd");
        QTest::addColumn<int>("chunk");
        QTest::newRow("middle, small reads") << false << 4096;
        QTest::newRow("middle, tiny reads") << false << 16;
        QTest::newRow("last line without newline") << true << 4096;
    }
    void lineTooLong() {
        QFETCH(bool, atEnd);
        QFETCH(int, chunk);
        const QByteArray huge = goodRow("DEV-1", 1) + QByteArray(100 * 1024, 'x');
        QByteArray text = kHeader + '\n' + goodRow("DEV-1", 0) + '\n' + huge;
        if (!atEnd)
            text += '\n' + goodRow("DEV-1", 2) + '\n';
        CsvReaderOptions options;
        options.maxLineBytes = 4096;
        options.readChunkBytes = chunk;
        const ReadAll r = readAll(write(text), 4096, options);
        QVERIFY(r.status.ok());
        // The line was streamed past, never held: the buffer stays far below its length.
        QVERIFY2(r.bufferCapacity <= 4098, qPrintable(QString::number(r.bufferCapacity)));
        QCOMPARE(r.issues.size(), std::size_t(1));
        QCOMPARE(r.issues[0].check, QStringLiteral("line_too_long"));
        QCOMPARE(r.issues[0].line, qint64(3));
        QCOMPARE(r.issues[0].column, qint64(0));
        QVERIFY2(r.issues[0].message.contains(QString::number(huge.size())), qPrintable(r.issues[0].message));
        QCOMPARE(r.rows.sourceLine, atEnd ? std::vector<qint64>{2} : (std::vector<qint64>{2, 4}));
        QCOMPARE(r.bytesRead, qint64(text.size()));
    }

    void lineLengthLimitIsExact_data() {
        QTest::addColumn<int>("extra");
        QTest::addColumn<QByteArray>("eol");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("at the limit, LF") << 0 << QByteArray("\n") << true;
        QTest::newRow("at the limit, CRLF") << 0 << QByteArray("\r\n") << true;
        QTest::newRow("one over, LF") << 1 << QByteArray("\n") << false;
        QTest::newRow("one over, CRLF") << 1 << QByteArray("\r\n") << false;
    }
    void lineLengthLimitIsExact() {
        QFETCH(int, extra);
        QFETCH(QByteArray, eol);
        QFETCH(bool, accepted);
        constexpr int kLimit = 256;
        QByteArray row = goodRow("DEV-1", 0, 10000, "tag");
        row += QByteArray(kLimit + extra - row.size(), ' ');  // trailing blanks are trimmed from the tag
        QCOMPARE(row.size(), kLimit + extra);
        CsvReaderOptions options;
        options.maxLineBytes = kLimit;
        options.readChunkBytes = 64;
        const ReadAll r = readAll(write(kHeader + eol + row + eol + goodRow("DEV-1", 1) + eol), 10, options);
        QVERIFY(r.status.ok());
        QCOMPARE(r.rows.rowCount(), std::size_t(accepted ? 2 : 1));
        QCOMPARE(r.issues.size(), std::size_t(accepted ? 0 : 1));
        if (accepted)
            QCOMPARE(r.rows.faultTag[0], QStringLiteral("tag"));
    }

    void headerLongerThanLimit() {
        CsvReaderOptions options;
        options.maxLineBytes = 32;
        TelemetryCsvReader reader(SensorCatalog::defaults(), options);
        const Status s = reader.open(write(kHeader + '\n'));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().line, qint64(1));
        QVERIFY(s.error().message.contains(QStringLiteral("longer than 32 bytes")));
    }

    void batchBoundariesGiveIdenticalResults_data() {
        QTest::addColumn<int>("maxRows");
        QTest::addColumn<int>("chunk");
        QTest::newRow("1 row") << 1 << 4 * 1024 * 1024;
        QTest::newRow("7 rows") << 7 << 4 * 1024 * 1024;
        QTest::newRow("4096 rows") << 4096 << 4 * 1024 * 1024;
        QTest::newRow("7 rows, 16-byte reads") << 7 << 16;
        QTest::newRow("4096 rows, 100-byte reads") << 4096 << 100;
    }
    void batchBoundariesGiveIdenticalResults() {
        QFETCH(int, maxRows);
        QFETCH(int, chunk);
        QByteArray text = "\xEF\xBB\xBF" + kHeader + "\r\n";
        for (int i = 0; i < 300; ++i) {
            const QByteArray dev = "DEV-" + QByteArray::number(i % 4);
            QByteArray row = goodRow(dev, i, 1000, i % 13 == 0 ? "overheat" : "");
            if (i % 17 == 5)
                row.replace(",RUN,", ",RUNNING,");
            if (i % 23 == 7)
                row.truncate(row.size() / 2);
            if (i % 29 == 3)
                row = "\"" + row.left(20) + "\"" + row.mid(20);
            if (i % 31 == 11)
                row += QByteArray(300, 'z');
            text += row + (i % 2 ? "\r\n" : "\n");
        }
        CsvReaderOptions options;
        options.maxLineBytes = 200;
        options.readChunkBytes = chunk;
        const QString path = write(text, QStringLiteral("mixed.csv"));
        const ReadAll expected = readAll(path, 100000, options);
        const ReadAll r = readAll(path, maxRows, options);
        QVERIFY(r.status.ok());
        QCOMPARE(expected.batches, 1);
        QVERIFY(r.rows.rowCount() > 200);
        QVERIFY(r.issues.size() > 20);
        QCOMPARE(r.rows.sourceLine, expected.rows.sourceLine);
        QCOMPARE(r.rows.tsMs, expected.rows.tsMs);
        QCOMPARE(r.rows.deviceId, expected.rows.deviceId);
        QCOMPARE(r.rows.faultTag, expected.rows.faultTag);
        QCOMPARE(r.rows.values, expected.rows.values);
        QCOMPARE(r.issues.size(), expected.issues.size());
        for (std::size_t i = 0; i < r.issues.size(); ++i) {
            QCOMPARE(r.issues[i].line, expected.issues[i].line);
            QCOMPARE(r.issues[i].column, expected.issues[i].column);
            QCOMPARE(r.issues[i].check, expected.issues[i].check);
            QCOMPARE(r.issues[i].message, expected.issues[i].message);
        }
        QCOMPARE(r.rows.rowCount() + r.issues.size(), std::size_t(300));
    }

    void consecutiveRowsShareDeviceStrings() {
        QByteArray text = kHeader + '\n';
        for (int i = 0; i < 4; ++i) text += goodRow(i < 2 ? "DEV-A" : "DEV-B", i, 1000, "overheat") + '\n';
        text += goodRow("DEV-A", 9) + '\n';
        const ReadAll r = readAll(write(text));
        QCOMPARE(r.rows.rowCount(), std::size_t(5));
        QCOMPARE(r.rows.deviceId[0].constData(), r.rows.deviceId[1].constData());
        QCOMPARE(r.rows.deviceId[2].constData(), r.rows.deviceId[3].constData());
        QCOMPARE(r.rows.deviceId[0].constData(), r.rows.deviceId[4].constData());
        QVERIFY(r.rows.deviceId[0].constData() != r.rows.deviceId[2].constData());
        QCOMPARE(r.rows.faultTag[0].constData(), r.rows.faultTag[3].constData());
    }

    void canonicalLayout() {
        const CsvColumnLayout l = CsvColumnLayout::canonical(5);
        QCOMPARE(l.columnCount, 10);
        QCOMPARE(l.channels, (std::vector<int>{4, 5, 6, 7, 8}));
        QCOMPARE(l.errorCode, 9);
        QCOMPARE(l.faultTag, 10);
        QCOMPARE(CsvColumnLayout::canonical(5, false).faultTag, 0);
    }
};

QTEST_GUILESS_MAIN(CsvReaderTest)
#include "csv_reader_test.moc"
