#include "validation/validator.h"
#include "core/validation/validation_test_util.h"
#include "validation/csv_reader.h"
#include "validation/row_validator.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;
using namespace itap::testutil;

class ValidatorTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QString write(const QByteArray& bytes, const QString& name = QStringLiteral("v.csv")) {
        const QString path = dir_.filePath(name);
        if (!writeBytes(path, bytes))
            qFatal("cannot write test file");
        return path;
    }

    static ValidationOptions smallLines() {
        ValidationOptions o;
        o.reader.maxLineBytes = 4096;
        o.reader.readChunkBytes = 4096;
        return o;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // Ten good rows of DEV-1 (lines 2..11, every 10 s), the case line at line 12, then three rows of DEV-2.
    void everyCheckFires_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("check");
        QTest::addColumn<qint64>("column");
        QTest::addColumn<bool>("rowKept");
        const QByteArray at100s = goodRow("DEV-1", 10);  // 2026-01-01T00:01:40Z, in order after line 11
        QTest::newRow("range") << withField(at100s, 5, "500") << "range" << qint64(6) << false;
        QTest::newRow("duplicate of previous") << goodRow("DEV-1", 9) << "duplicate" << qint64(1) << false;
        QTest::newRow("duplicate of earlier") << goodRow("DEV-1", 3) << "duplicate" << qint64(1) << false;
        QTest::newRow("out of order") << goodRow("DEV-1", 3, 10000).replace(":00:30Z", ":00:35Z")
                                      << "out_of_order" << qint64(1) << false;
        QTest::newRow("gap") << goodRow("DEV-1", 30) << "gap" << qint64(1) << true;
        QTest::newRow("missing") << withField(at100s, 6, "") << "missing" << qint64(7) << true;
        QTest::newRow("unknown state") << withField(at100s, 2, "BROKEN") << "state" << qint64(3) << false;
        QTest::newRow("negative error_code")
            << withField(at100s, 8, "-4") << "error_code" << qint64(9) << false;
        QTest::newRow("text in number") << QByteArray("2026-01-01T00:01:40Z,DEV-1,RUN,230,18,60,fast,2.2,0,")
                                        << "number" << qint64(7) << false;
        QTest::newRow("NaN text") << QByteArray("2026-01-01T00:01:40Z,DEV-1,RUN,230,18,NaN,1480,2.2,0,")
                                  << "number" << qint64(6) << false;
        QTest::newRow("Inf text") << QByteArray("2026-01-01T00:01:40Z,DEV-1,RUN,230,18,60,1480,Inf,0,")
                                  << "number" << qint64(8) << false;
        QTest::newRow("bad timestamp") << QByteArray("2026-01-01T25:01:40Z,DEV-1,RUN,230,18,60,1480,2.2,0,")
                                       << "timestamp" << qint64(1) << false;
        QTest::newRow("empty device") << QByteArray("2026-01-01T00:01:40Z,,RUN,230,18,60,1480,2.2,0,")
                                      << "device_id" << qint64(2) << false;
        QTest::newRow("too few columns")
            << QByteArray("2026-01-01T00:01:40Z,DEV-1,RUN") << "column_count" << qint64(4) << false;
        // Text after a closing quote: an unterminated one would run on over the next lines (RFC 4180; see
        // csv_reader_test unterminatedQuoteRunsToTheEnd).
        QTest::newRow("bad quote") << QByteArray("2026-01-01T00:01:40Z,DEV-1,\"RUN\"x,230,18,60,1480,2.2,0,")
                                   << "quote" << qint64(3) << false;
        QTest::newRow("line too long")
            << goodRow("DEV-1", 10) + QByteArray(100 * 1024, ' ') << "line_too_long" << qint64(0) << false;
        QTest::newRow("nothing wrong") << goodRow("DEV-1", 10) << QString() << qint64(0) << true;
    }
    void everyCheckFires() {
        QFETCH(QByteArray, line);
        QFETCH(QString, check);
        QFETCH(qint64, column);
        QFETCH(bool, rowKept);
        QByteArray text = kHeader + '\n';
        for (int i = 0; i < 10; ++i) text += goodRow("DEV-1", i) + '\n';
        text += line + '\n';
        for (int i = 0; i < 3; ++i) text += goodRow("DEV-2", i) + '\n';
        const QString path = write(text);
        auto result = validateFile(path, SensorCatalog::defaults(), smallLines(), {});
        QVERIFY(result.ok());
        const ValidationReport& r = *result;
        QCOMPARE(r.rowsRead(), qint64(14));
        QCOMPARE(r.rowsAccepted(), qint64(rowKept ? 14 : 13));
        QCOMPARE(r.rowsRejected(), qint64(rowKept ? 0 : 1));
        for (const auto& [name, stats] : r.checks()) {
            const qint64 expected = name == check ? 1 : 0;
            QVERIFY2(stats.count == expected,
                     qPrintable(name + QStringLiteral(": ") + QString::number(stats.count)));
        }
        if (check.isEmpty())
            return;
        const auto& ex = r.checks().at(check).examples;
        QCOMPARE(ex.size(), std::size_t(1));
        QCOMPARE(ex[0].line, qint64(12));
        QCOMPARE(ex[0].column, column);
        QVERIFY(!ex[0].message.isEmpty());
        const auto issues = r.issues();
        QCOMPARE(issues.size(), std::size_t(1));
        QCOMPARE(issues[0].check, check);
        QVERIFY(
            r.summary().contains(path + QStringLiteral(":12") +
                                 (column > 0 ? QStringLiteral(":%1: ").arg(column) : QStringLiteral(": "))));
    }

    void missingFile() {
        const QString path = dir_.filePath(QStringLiteral("nope.csv"));
        auto r = validateFile(path, SensorCatalog::defaults(), {}, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QCOMPARE(r.error().file, path);
        QCOMPARE(r.error().exitCode(), 2);
    }

    void unreadablePath() {
        // A directory cannot be read as a file even by root (chmod 000 would not stop root).
        auto r = validateFile(dir_.path(), SensorCatalog::defaults(), {}, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QCOMPARE(r.error().file, dir_.path());
    }

    void badHeaderIsFatal_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("column");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("unknown column") << QByteArray(kHeader).replace("rpm", "rpm_x") << qint64(7)
                                        << "unknown column 'rpm_x' at column 7";
        QTest::newRow("missing column")
            << QByteArray(kHeader).replace("current_a,", "") << qint64(0) << "missing column 'current_a'";
    }
    void badHeaderIsFatal() {
        QFETCH(QByteArray, header);
        QFETCH(qint64, column);
        QFETCH(QString, messagePart);
        const QString path = write(header + '\n' + goodRow("DEV-1", 0) + '\n');
        auto r = validateFile(path, SensorCatalog::defaults(), {}, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QCOMPARE(r.error().line, qint64(1));
        QCOMPARE(r.error().column, column);
        QVERIFY2(r.error().message.contains(messagePart), qPrintable(r.error().message));
        QVERIFY(r.error().toString().startsWith(path + QStringLiteral(":1")));
    }

    void invalidOptions() {
        ValidationOptions o;
        o.gapFactor = 0.5;
        auto r = validateFile(write(kHeader + '\n'), SensorCatalog::defaults(), o, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("gap factor")));
    }

    void progressAndCancel() {
        QByteArray text = kHeader + '\n';
        for (int i = 0; i < 100; ++i) text += goodRow("DEV-1", i) + '\n';
        const QString path = write(text);
        ValidationOptions o;
        o.batchRows = 10;
        std::vector<qint64> done;
        qint64 total = 0;
        auto ok = validateFile(path, SensorCatalog::defaults(), o, [&](qint64 d, qint64 t, const QString&) {
            done.push_back(d);
            total = t;
            return true;
        });
        QVERIFY(ok.ok());
        QVERIFY(ok->isComplete());
        QVERIFY(done.size() >= 10);
        QVERIFY(std::is_sorted(done.begin(), done.end()));
        QCOMPARE(total, qint64(text.size()));
        QCOMPARE(done.back(), total);

        int calls = 0;
        auto cancelled = validateFile(path, SensorCatalog::defaults(), o,
                                      [&](qint64, qint64, const QString&) { return ++calls < 3; });
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().kind, Error::Kind::Cancelled);
        QCOMPARE(calls, 3);
    }

    // The same messy file through validateFile with different batch sizes: identical reports. The reader +
    // RowValidator loop the ingest code uses keeps the same rows too.
    void batchBoundariesGiveIdenticalResults_data() {
        QTest::addColumn<int>("batchRows");
        QTest::newRow("1") << 1;
        QTest::newRow("7") << 7;
        QTest::newRow("4096") << 4096;
    }
    void batchBoundariesGiveIdenticalResults() {
        QFETCH(int, batchRows);
        QByteArray text = kHeader + "\r\n";
        for (int i = 0; i < 600; ++i) {
            const int dev = i % 5;
            const QByteArray id = "DEV-" + QByteArray::number(dev);
            int index = i / 5 + (dev == 3 && i > 400 ? 40 : 0);  // DEV-3 has a hole
            if (i % 37 == 36)
                index -= 1;  // duplicate of the device's previous row
            QByteArray row = goodRow(id, index, 10000, i % 19 == 0 ? "power_spike" : "");
            if (i % 23 == 0)
                row = withField(row, 3, "500");  // range
            if (i % 29 == 0)
                row = withField(row, 4, "x");  // number
            if (i % 31 == 0)
                row = withField(row, 8, "");  // error_code
            if (i % 13 == 0)
                row = withField(row, 3, "");  // missing
            if (i % 43 == 0)
                row += QByteArray(5000, ' ');  // line_too_long
            text += row + (i % 3 ? "\r\n" : "\n");
        }
        const QString path = write(text, QStringLiteral("messy.csv"));
        ValidationOptions o = smallLines();
        o.batchRows = batchRows;
        o.maxExamples = 7;
        auto r = validateFile(path, SensorCatalog::defaults(), o, {});
        QVERIFY(r.ok());
        o.batchRows = 100000;
        auto expected = validateFile(path, SensorCatalog::defaults(), o, {});
        QVERIFY(expected.ok());
        QCOMPARE(r->toJson().dump(), expected->toJson().dump());
        QCOMPARE(r->summary(), expected->summary());
        QCOMPARE(r->rowsRead(), qint64(600));
        for (const char* check :
             {"range", "number", "error_code", "line_too_long", "missing", "duplicate", "gap"})
            QVERIFY2(r->checkCount(QString::fromLatin1(check)) > 0, check);

        // The ingest loop: readBatch -> addIssue -> check -> store survivors.
        const auto survivors = [&](int rows) {
            TelemetryCsvReader reader(SensorCatalog::defaults(), o.reader);
            if (!reader.open(path))
                qFatal("open failed");
            RowValidator validator(SensorCatalog::defaults(), o, reader.layout());
            ValidationReport report(path, o.maxExamples);
            report.setHasLabels(reader.hasLabels());
            TelemetryBatch batch;
            std::vector<RowIssue> issues;
            std::vector<qint64> kept;
            for (;;) {
                issues.clear();
                auto more = reader.readBatch(batch, issues, rows);
                if (!more)
                    qFatal("read failed");
                for (const auto& i : issues) report.addIssue(i);
                validator.check(batch, report);
                kept.insert(kept.end(), batch.sourceLine.begin(), batch.sourceLine.end());
                if (!*more)
                    break;
            }
            validator.finish(report);
            report.finish();
            if (report.toJson() != expected->toJson())
                qFatal("ingest-style loop disagrees with validateFile");
            return kept;
        };
        const std::vector<qint64> kept = survivors(batchRows);
        QCOMPARE(kept, survivors(100000));
        QCOMPARE(static_cast<qint64>(kept.size()), expected->rowsAccepted());
    }

    // Injected problems at known rows of a larger generated file are counted exactly.
    void countsInjectedProblems() {
        QByteArray text = kHeader + '\n';
        int range = 0, number = 0, state = 0, missing = 0;
        for (int i = 0; i < 5000; ++i) {
            const QByteArray id = "DEV-" + QByteArray::number(i % 8);
            QByteArray row = goodRow(id, i / 8, 5000);
            if (i % 97 == 1) {
                row = withField(row, 3, "-5");  // below the catalog minimum of 0
                ++range;
            } else if (i % 89 == 2) {
                row = withField(row, 3, "v");
                ++number;
            } else if (i % 83 == 3) {
                row = withField(row, 2, "STANDBY");
                ++state;
            } else if (i % 53 == 4) {
                row = withField(row, 3, "");
                ++missing;
            }
            text += row + '\n';
        }
        auto r = validateFile(write(text, QStringLiteral("big.csv")), SensorCatalog::defaults(), {}, {});
        QVERIFY(r.ok());
        QCOMPARE(r->rowsRead(), qint64(5000));
        QCOMPARE(r->checkCount(QStringLiteral("range")), qint64(range));
        QCOMPARE(r->checkCount(QStringLiteral("number")), qint64(number));
        QCOMPARE(r->checkCount(QStringLiteral("state")), qint64(state));
        QCOMPARE(r->checkCount(QStringLiteral("missing")), qint64(missing));
        QCOMPARE(r->missingCells().at(QStringLiteral("voltage_v")), qint64(missing));
        QCOMPARE(r->rowsRejected(), qint64(range + number + state));
        QCOMPARE(r->malformedRows(), qint64(number + state));
        QCOMPARE(r->checkCount(QStringLiteral("duplicate")) + r->checkCount(QStringLiteral("out_of_order")) +
                     r->checkCount(QStringLiteral("gap")),
                 qint64(0));
        QCOMPARE(r->devices().size(), std::size_t(8));
        QCOMPARE(r->toJson()["device_count"].get<int>(), 8);
    }

    void reportJsonFields() {
        QByteArray text = kHeaderNoTag + '\n';
        text += "2026-01-01T00:00:00Z,DEV-1,RUN,230,18,60,1480,2.2,0\n";
        text += "2026-01-01T00:00:10Z,DEV-1,RUN,230,18,60,1480,2.2\n";
        const QString path = write(text);
        auto r = validateFile(path, SensorCatalog::defaults(), {}, {});
        QVERIFY(r.ok());
        const nlohmann::json j = r->toJson();
        for (const char* key :
             {"schema_version", "file", "complete", "has_labels", "ok", "rows_read", "rows_accepted",
              "rows_rejected", "rows_malformed", "checks", "missing_cells", "missing_cells_total",
              "device_count", "devices", "first_timestamp", "last_timestamp", "gaps"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["schema_version"].get<int>(), 1);
        QCOMPARE(QString::fromStdString(j["file"].get<std::string>()), path);
        QCOMPARE(j["has_labels"].get<bool>(), false);
        QCOMPARE(j["complete"].get<bool>(), true);
        QCOMPARE(j["rows_read"].get<int>(), 2);
        QCOMPARE(j["rows_rejected"].get<int>(), 1);
        QCOMPARE(j["checks"]["column_count"]["examples"][0]["line"].get<int>(), 3);
        QCOMPARE(j["checks"]["column_count"]["examples"][0]["column"].get<int>(), 9);
        QCOMPARE(j["checks"]["column_count"]["examples"][0]["message"].get<std::string>(),
                 std::string("expected 9 fields, found 8"));
        QCOMPARE(j["first_timestamp"].get<std::string>(), std::string("2026-01-01T00:00:00Z"));
        QCOMPARE(j["missing_cells"].size(), std::size_t(5));
    }
};

QTEST_GUILESS_MAIN(ValidatorTest)
#include "validator_test.moc"
