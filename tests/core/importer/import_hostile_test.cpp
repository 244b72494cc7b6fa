// Hostile input to `itap import` (issue 9): non-finite numbers in every numeric field, unit conversions that
// overflow, 10,000 columns, 1 GiB lines (in the data and in the preamble), a quoted field left open over
// many lines, invalid UTF-8. What happens to each is decided here:
//  - A channel cell in source.missing_values (by default "", NaN, nan, NA, N/A, null) is a missing value
//    (stored as missing, never as a number). Any other non-finite or out-of-range spelling (inf, -Inf,
//    Infinity, 1e999, -nan, ...) rejects the row ("number"), as does a value that scale/offset turn
//    non-finite. Non-finite timestamps, error codes and anomaly labels reject the row too.
//  - A record longer than 1 MiB: a "line_too_long" issue, never held in memory; the preamble skipped by
//    source.skip_lines is read in bounded pieces as well.
//  - With encoding utf-8, a device id that is not valid UTF-8 rejects the row ("device_id"); other cells are
//    decoded with U+FFFD replacements (a non-number stays a non-number).

#include "core/validation/hostile_input.h"
#include "importer/importer.h"
#include "support/test_files.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace itap;
using namespace itap::testutil;
using itap::test::writeFile;
using json = nlohmann::json;

namespace {

ImportMapping mapping(const json& j) {
    auto m = ImportMapping::fromJson(j, QStringLiteral("test mapping"));
    if (!m)
        qFatal("%s", qPrintable(m.error().toString()));
    return std::move(m).value();
}

// ts (unix_s), dev, a, b, err, flag: two channels, an error code and an anomaly label.
json baseMapping() {
    return json::parse(R"({"schema_version": 1,
        "timestamp": {"column": "ts", "format": "unix_s"},
        "device": {"column": "dev"},
        "channels": [{"column": "a", "name": "a", "family": "Pressure", "min": -1e300, "max": 1e300},
                     {"column": "b", "name": "b", "family": "Flow", "min": -1e300, "max": 1e300}],
        "error_code": {"column": "err"},
        "labels": {"anomaly_column": "flag"}})");
}

ImportOptions lenient() {
    ImportOptions o;
    o.skipInvalid = true;
    return o;
}

}  // namespace

class ImportHostileTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // An error code beyond an int is "too large", not "not an error code".
    void errorCodeTooLargeSaysSo() {
        const QString path =
            writeFile(dir_, QStringLiteral("bigerr.csv"),
                      "ts,dev,a,b,err,flag\n1767225600,P-1,1,2,0,0\n1767225610,P-1,1,2,2147483648,0\n");
        auto data = Importer(mapping(baseMapping())).read({path}, lenient());
        QVERIFY(data.ok());
        const std::vector<RowIssue> issues = data->report.files[0].validation.issues();
        QCOMPARE(issues.size(), std::size_t(1));
        QCOMPARE(issues[0].check, QStringLiteral("error_code"));
        QVERIFY2(issues[0].message.contains(QStringLiteral("'2147483648' is too large for an error code")),
                 qPrintable(issues[0].message));
    }

    void nonFiniteNumbers_data() {
        QTest::addColumn<int>("field");  // 0-based: ts, dev, a, b, err, flag
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("check");  // empty: accepted, channel stored as missing
        const QList<QByteArray> values = {"NaN",  "nan",      "+nan",      "-nan",  "inf",    "+inf",
                                          "-Inf", "Infinity", "-infinity", "1e999", "-1e999", "1e-400"};
        const QList<std::pair<int, const char*>> fields = {
            {0, "timestamp"}, {2, "number"}, {3, "number"}, {4, "error_code"}, {5, "label"}};
        const char* names[] = {"ts", "dev", "a", "b", "err", "flag"};
        for (const auto& [field, check] : fields) {
            for (const QByteArray& v : values) {
                QString expect = QString::fromLatin1(check);
                if ((field == 2 || field == 3) && (v == "NaN" || v == "nan"))
                    expect.clear();  // in the default missing_values
                QTest::addRow("%s=%s", names[field], v.constData()) << field << v << expect;
            }
        }
    }
    void nonFiniteNumbers() {
        QFETCH(int, field);
        QFETCH(QByteArray, value);
        QFETCH(QString, check);
        QList<QByteArray> bad = QByteArray("1767225610,P-1,2.5,3.5,0,0").split(',');
        bad[field] = value;
        const QString path = writeFile(
            dir_, QStringLiteral("nonfinite.csv"),
            "ts,dev,a,b,err,flag\n1767225600,P-1,1,2,0,0\n" + bad.join(',') + "\n1767225620,P-1,1,2,0,1\n");
        const Importer importer(mapping(baseMapping()));
        auto data = importer.read({path}, lenient());
        QVERIFY(data.ok());
        const ValidationReport& v = data->report.files[0].validation;
        const TelemetryBatch& rows = data->batches[0];
        for (double x : rows.values) QVERIFY2(!std::isinf(x), "Inf stored");
        QCOMPARE(v.rowsRead(), qint64(3));
        if (check.isEmpty()) {
            QVERIFY2(v.rowsRejected() == 0, qPrintable(issuesText(v.issues())));
            QCOMPARE(rows.rowCount(), std::size_t(3));
            QVERIFY(isMissing(rows.value(1, field - 2)));
            return;
        }
        QCOMPARE(rows.sourceLine, (std::vector<qint64>{2, 4}));
        QCOMPARE(v.rowsRejected(), qint64(1));
        const std::vector<RowIssue> issues = v.issues();  // by value
        QCOMPARE(issues.size(), std::size_t(1));
        const RowIssue& issue = issues[0];
        QCOMPARE(issue.check, check);
        QCOMPARE(issue.line, qint64(3));
        QCOMPARE(issue.column, qint64(field + 1));
        QVERIFY2(issue.message.contains(QString::fromLatin1(value)), qPrintable(issue.message));

        // Strict mode (the default) fails the file with file:line:column.
        auto strict = importer.read({path}, ImportOptions{});
        QVERIFY(!strict.ok());
        QVERIFY2(strict.error().toString().startsWith(path + QStringLiteral(":3:%1: ").arg(field + 1)),
                 qPrintable(strict.error().toString()));
    }

    // raw × scale + offset must stay finite: a unit conversion never stores Inf.
    void scaleOrOffsetOverflowIsRejected_data() {
        QTest::addColumn<double>("scale");
        QTest::addColumn<double>("offset");
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("scale overflows") << 1e10 << 0.0 << QByteArray("1e300");
        QTest::newRow("negative scale overflows") << -1e10 << 0.0 << QByteArray("1e300");
        QTest::newRow("offset overflows") << 1.0 << 1.7e308 << QByteArray("1.7e308");
        QTest::newRow("max double times two") << 2.0 << 0.0 << QByteArray("1.7976931348623157e308");
    }
    void scaleOrOffsetOverflowIsRejected() {
        QFETCH(double, scale);
        QFETCH(double, offset);
        QFETCH(QByteArray, raw);
        json j = baseMapping();
        j["channels"][0]["min"] = -std::numeric_limits<double>::max();
        j["channels"][0]["max"] = std::numeric_limits<double>::max();
        j["channels"][0]["scale"] = scale;
        j["channels"][0]["offset"] = offset;
        const QString path =
            writeFile(dir_, QStringLiteral("scale.csv"),
                      "ts,dev,a,b,err,flag\n1767225600,P-1,1,2,0,0\n1767225610,P-1," + raw + ",2,0,0\n");
        auto data = Importer(mapping(j)).read({path}, lenient());
        QVERIFY(data.ok());
        for (double x : data->batches[0].values) QVERIFY2(std::isfinite(x), "non-finite value stored");
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(data->batches[0].rowCount(), std::size_t(1));
        QCOMPARE(v.issues().size(), std::size_t(1));
        QCOMPARE(v.issues()[0].check, QStringLiteral("number"));
        QCOMPARE(v.issues()[0].line, qint64(3));
        QCOMPARE(v.issues()[0].column, qint64(3));
        QVERIFY2(v.issues()[0].message.contains(QStringLiteral("scale")), qPrintable(v.issues()[0].message));
    }

    void tenThousandColumns() {
        QByteArray header = "ts,dev";
        QByteArray row = "1767225600,P-1";
        for (int i = 3; i <= 10000; ++i) {
            header += ",c" + QByteArray::number(i);
            row += ',' + QByteArray::number(i);
        }
        json j = baseMapping();
        j.erase("error_code");
        j.erase("labels");
        j["channels"][0]["column"] = "c10000";
        j["channels"][1]["column"] = 5000;
        const QString path = writeFile(dir_, QStringLiteral("wide.csv"), header + '\n' + row + '\n');
        QElapsedTimer timer;
        timer.start();
        auto data = Importer(mapping(j)).read({path}, ImportOptions{});
        QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(data->batches[0].rowCount(), std::size_t(1));
        QCOMPARE(data->batches[0].value(0, 0), 10000.0);
        QCOMPARE(data->batches[0].value(0, 1), 5000.0);
        QCOMPARE(data->report.files[0].header.size(), 10000);
        QCOMPARE(data->report.files[0].unmappedColumns.size(), 10000 - 4);
    }

    void gigabyteDataLine() {
        const QString path = dir_.filePath(QStringLiteral("huge_row.csv"));
        QVERIFY(writeHugeLine(path, "ts,dev,a,b,err,flag\n1767225600,P-1,1,2,0,0\n1767225610,P-1,", kGiB, '9',
                              ",2,0,0\n1767225620,P-1,1,2,0,0\n"));
        const qint64 before = peakRssBytes();
        auto data = Importer(mapping(baseMapping())).read({path}, lenient());
        const qint64 after = peakRssBytes();
        QFile::remove(path);
        QVERIFY(data.ok());
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(data->batches[0].sourceLine, (std::vector<qint64>{2, 4}));
        QCOMPARE(v.issues().size(), std::size_t(1));
        QCOMPARE(v.issues()[0].check, QStringLiteral("line_too_long"));
        QCOMPARE(v.issues()[0].line, qint64(3));
        QVERIFY(before > 0);
        QVERIFY2(after - before < qint64(64) << 20,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MiB").arg((after - before) >> 20)));
    }

    // source.skip_lines skips a preamble; a hostile preamble line must not be read into memory whole.
    void gigabytePreambleLine() {
        const QString path = dir_.filePath(QStringLiteral("huge_preamble.csv"));
        QVERIFY(writeHugeLine(path, "# exported by ", kGiB, 'p',
                              "\nts,dev,a,b,err,flag\n1767225600,P-1,1,2,0,0\n"));
        json j = baseMapping();
        j["source"] = {{"skip_lines", 1}};
        const qint64 before = peakRssBytes();
        auto data = Importer(mapping(j)).read({path}, ImportOptions{});
        const qint64 after = peakRssBytes();
        QFile::remove(path);
        QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
        QCOMPARE(data->batches[0].sourceLine, (std::vector<qint64>{3}));
        QVERIFY(before > 0);
        QVERIFY2(after - before < qint64(64) << 20,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MiB").arg((after - before) >> 20)));
    }

    // A quote opened and never closed, followed by many short lines: each line continues the record. The
    // record must be assembled in linear time (it used to rescan the whole record for every line).
    void quoteLeftOpenOverManyLines() {
        QByteArray text = "ts,dev,a,b,err,flag\n1767225600,\"P-1";
        text += QByteArray(300000, '\n');
        const QString path = writeFile(dir_, QStringLiteral("open_quote.csv"), text);
        QElapsedTimer timer;
        timer.start();
        auto data = Importer(mapping(baseMapping())).read({path}, lenient());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
        QVERIFY(data.ok());
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(data->batches[0].rowCount(), std::size_t(0));
        QCOMPARE(v.issues().size(), std::size_t(1));
        QCOMPARE(v.issues()[0].check, QStringLiteral("quote"));
        QCOMPARE(v.issues()[0].line, qint64(2));
    }

    void invalidUtf8DeviceIdIsRejected_data() {
        QTest::addColumn<QByteArray>("device");
        QTest::addColumn<bool>("latin1Control");  // as Latin-1 the bytes hold a C1 control (0x80..0x9F)
        QTest::newRow("0xff") << QByteArray("P-\xff") << false;
        QTest::newRow("latin-1 umlaut") << QByteArray("Pumpe-\xfc") << false;
        QTest::newRow("UTF-16 surrogate") << QByteArray("P-\xed\xa0\x80") << true;
        QTest::newRow("truncated sequence") << QByteArray("P-\xe2\x82") << true;
    }
    void invalidUtf8DeviceIdIsRejected() {
        QFETCH(QByteArray, device);
        QFETCH(bool, latin1Control);
        const QString path = writeFile(dir_, QStringLiteral("utf8.csv"),
                                       "ts,dev,a,b,err,flag\n1767225600," + device +
                                           ",1,2,0,0\n1767225600,P-\xc3\xa4,1,2,0,0\n"
                                           "1767225600,P-\xef\xbf\xbd,1,2,0,0\n");
        auto data = Importer(mapping(baseMapping())).read({path}, lenient());
        QVERIFY(data.ok());
        QCOMPARE(data->batches[0].deviceId,
                 (std::vector<QString>{QStringLiteral("P-ä"), QStringLiteral("P-\uFFFD")}));
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(v.issues().size(), std::size_t(1));
        QCOMPARE(v.issues()[0].check, QStringLiteral("device_id"));
        QCOMPARE(v.issues()[0].line, qint64(2));
        QCOMPARE(v.issues()[0].column, qint64(2));
        QVERIFY2(v.issues()[0].message.contains(QStringLiteral("not valid UTF-8")),
                 qPrintable(v.issues()[0].message));

        // Declared latin-1, the same bytes are text; a C1 control among them rejects the row like any
        // control character in a device id.
        json j = baseMapping();
        j["source"] = {{"encoding", "latin-1"}};
        auto latin = Importer(mapping(j)).read({path}, lenient());
        QVERIFY(latin.ok());
        if (latin1Control) {
            QCOMPARE(latin->batches[0].rowCount(), std::size_t(2));
            const ValidationReport& lv = latin->report.files[0].validation;
            QCOMPARE(lv.issues().size(), std::size_t(1));
            QVERIFY2(lv.issues()[0].message.contains(QStringLiteral("control character")),
                     qPrintable(lv.issues()[0].message));
            return;
        }
        QCOMPARE(latin->batches[0].rowCount(), std::size_t(3));
        QCOMPARE(latin->batches[0].deviceId[0], QString::fromLatin1(device));
    }

    void invalidUtf8HeaderNameIsAnUnknownColumn() {
        const QString path = writeFile(dir_, QStringLiteral("utf8_header.csv"),
                                       "ts,d\xffv,a,b,err,flag\n1767225600,P-1,1,2,0,0\n");
        auto data = Importer(mapping(baseMapping())).read({path}, lenient());
        QVERIFY(!data.ok());
        QCOMPARE(data.error().file, path);
        QCOMPARE(data.error().line, qint64(1));
        QVERIFY2(data.error().message.contains(QStringLiteral("unknown column 'dev'")),
                 qPrintable(data.error().message));
        QVERIFY2(data.error().message.contains(QStringLiteral("d\uFFFDv")), qPrintable(data.error().message));
    }

    void invalidUtf8InMappingJson() {
        const QString path = writeFile(dir_, QStringLiteral("bad_utf8.mapping.json"),
                                       "{\"schema_version\": 1,\n \"device\": {\"constant\": \"P-\xff\"}}\n");
        auto m = ImportMapping::load(path);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().file, path);
        QCOMPARE(m.error().line, qint64(2));
        QVERIFY(m.error().column > 0);
        QVERIFY2(m.error().message.contains(QStringLiteral("invalid JSON")), qPrintable(m.error().message));
    }
};

QTEST_GUILESS_MAIN(ImportHostileTest)
#include "import_hostile_test.moc"
