#include "validation/validation_report.h"

#include "common/time_util.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;

namespace {

RowIssue issue(qint64 line, qint64 column, const char* check, const QString& device = {}) {
    return RowIssue{line, column, QString::fromLatin1(check),
                    QStringLiteral("%1 at %2:%3").arg(QString::fromLatin1(check)).arg(line).arg(column),
                    device};
}

}  // namespace

class ValidationReportTest : public QObject {
    Q_OBJECT

private slots:
    void countsRowsOnce() {
        ValidationReport r(QStringLiteral("data.csv"));
        r.addIssue(issue(3, 7, "column_count"));
        r.addIssue(issue(9, 4, "number"));
        r.addParsedRows(100);
        r.addRejected(issue(12, 6, "range", QStringLiteral("DEV-1")));
        r.addWarning(issue(20, 6, "missing", QStringLiteral("DEV-1")));
        r.countWarnings(QStringLiteral("missing"), 4);
        QCOMPARE(r.rowsRead(), qint64(102));
        QCOMPARE(r.rowsAccepted(), qint64(99));
        QCOMPARE(r.rowsRejected(), qint64(3));
        QCOMPARE(r.malformedRows(), qint64(2));
        QCOMPARE(r.checkCount(QStringLiteral("missing")), qint64(5));
        QCOMPARE(r.checkCount(QStringLiteral("no_such_check")), qint64(0));
        QCOMPARE(r.rowsRead(), r.rowsAccepted() + r.rowsRejected());
    }

    void keepsTheFirstExamplesInFileOrder() {
        ValidationReport r(QStringLiteral("f.csv"), 3);
        for (const qint64 line : {50, 10, 30, 5, 70, 5})
            r.addIssue(
                issue(line, line == 5 && r.checkCount(QStringLiteral("number")) > 3 ? 2 : 8, "number"));
        const auto& ex = r.checks().at(QStringLiteral("number")).examples;
        QCOMPARE(r.checkCount(QStringLiteral("number")), qint64(6));
        QCOMPARE(ex.size(), std::size_t(3));
        QCOMPARE(ex[0].line, qint64(5));
        QCOMPARE(ex[0].column, qint64(2));
        QCOMPARE(ex[1].line, qint64(5));
        QCOMPARE(ex[1].column, qint64(8));
        QCOMPARE(ex[2].line, qint64(10));
        QVERIFY(!r.wantsExample(QStringLiteral("number"), 11, 1));
        QVERIFY(r.wantsExample(QStringLiteral("number"), 9, 1));
        QVERIFY(r.wantsExample(QStringLiteral("range"), 1000, 1));
    }

    void noExamplesWhenDisabled() {
        ValidationReport r(QStringLiteral("f.csv"), 0);
        r.addIssue(issue(3, 1, "timestamp"));
        QCOMPARE(r.checkCount(QStringLiteral("timestamp")), qint64(1));
        QVERIFY(r.checks().at(QStringLiteral("timestamp")).examples.empty());
        QVERIFY(!r.wantsExample(QStringLiteral("timestamp"), 1, 1));
    }

    void issuesAreSortedAcrossChecks() {
        ValidationReport r;
        r.addIssue(issue(9, 1, "timestamp"));
        r.addIssue(issue(4, 3, "state"));
        r.addParsedRows(2);
        r.addRejected(issue(6, 5, "range"));
        const auto all = r.issues();
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[0].line, qint64(4));
        QCOMPARE(all[0].check, QStringLiteral("state"));
        QCOMPARE(all[1].check, QStringLiteral("range"));
        QCOMPARE(all[2].line, qint64(9));
    }

    void jsonContract() {
        ValidationReport r(QStringLiteral("plant/data.csv"), 2);
        r.setHasLabels(true);
        r.addIssue(issue(3, 7, "column_count"));
        r.addParsedRows(10);
        r.addRejected(issue(5, 4, "range", QStringLiteral("DEV-2")));
        r.addMissingCells(QStringLiteral("temp_c"), 3);
        r.addMissingCells(QStringLiteral("rpm"), 0);
        r.mergeDevice(QStringLiteral("DEV-2"), 6, 1767225600000, 1767225650000);
        r.mergeDevice(QStringLiteral("DEV-1"), 3, 1767225610000, 1767225630000);
        r.mergeDevice(QStringLiteral("DEV-2"), 0, 0, 0);  // nothing accepted in a batch: no effect
        r.addGap(ValidationReport::Gap{QStringLiteral("DEV-1"), 8, 1, 1767225610000, 1767225630000, 5000});
        r.finish();
        const nlohmann::json j = r.toJson();
        QCOMPARE(j["schema_version"].get<int>(), 1);
        QCOMPARE(j["file"].get<std::string>(), std::string("plant/data.csv"));
        QCOMPARE(j["complete"].get<bool>(), true);
        QCOMPARE(j["has_labels"].get<bool>(), true);
        QCOMPARE(j["ok"].get<bool>(), false);
        QCOMPARE(j["rows_read"].get<qint64>(), qint64(11));
        QCOMPARE(j["rows_accepted"].get<qint64>(), qint64(9));
        QCOMPARE(j["rows_rejected"].get<qint64>(), qint64(2));
        QCOMPARE(j["rows_malformed"].get<qint64>(), qint64(1));
        // Every known check is always present so consumers need no special cases.
        for (const auto& [name, isError] : ValidationReport::knownChecks()) {
            const auto& c = j["checks"][name.toStdString()];
            QVERIFY2(c.is_object(), qPrintable(name));
            QCOMPARE(c["severity"].get<std::string>(), std::string(isError ? "error" : "warning"));
            QVERIFY(c["count"].is_number_integer());
            QVERIFY(c["examples"].is_array());
        }
        const auto& range = j["checks"]["range"];
        QCOMPARE(range["count"].get<int>(), 1);
        QCOMPARE(range["examples"][0]["line"].get<int>(), 5);
        QCOMPARE(range["examples"][0]["column"].get<int>(), 4);
        QCOMPARE(range["examples"][0]["device_id"].get<std::string>(), std::string("DEV-2"));
        QCOMPARE(range["examples"][0]["message"].get<std::string>(), std::string("range at 5:4"));
        QCOMPARE(j["checks"]["gap"]["count"].get<int>(), 1);
        QCOMPARE(j["missing_cells"]["temp_c"].get<int>(), 3);
        QCOMPARE(j["missing_cells"]["rpm"].get<int>(), 0);
        QCOMPARE(j["missing_cells_total"].get<int>(), 3);
        QCOMPARE(j["device_count"].get<int>(), 2);
        QCOMPARE(j["devices"][0]["device_id"].get<std::string>(), std::string("DEV-1"));
        QCOMPARE(j["devices"][0]["gaps"].get<int>(), 1);
        QCOMPARE(j["devices"][1]["rows"].get<int>(), 6);
        QCOMPARE(j["devices"][1]["last"].get<std::string>(), std::string("2026-01-01T00:00:50Z"));
        QCOMPARE(j["first_timestamp"].get<std::string>(), std::string("2026-01-01T00:00:00Z"));
        QCOMPARE(j["last_timestamp"].get<std::string>(), std::string("2026-01-01T00:00:50Z"));
        QCOMPARE(j["gaps"]["count"].get<int>(), 1);
        QCOMPARE(j["gaps"]["examples"][0]["duration_ms"].get<int>(), 20000);
        QCOMPARE(j["gaps"]["examples"][0]["typical_interval_ms"].get<int>(), 5000);
        QCOMPARE(j["gaps"]["examples"][0]["from"].get<std::string>(), std::string("2026-01-01T00:00:10Z"));
    }

    void emptyReportJson() {
        const nlohmann::json j = ValidationReport(QStringLiteral("x.csv")).toJson();
        QCOMPARE(j["complete"].get<bool>(), false);
        QCOMPARE(j["ok"].get<bool>(), true);
        QVERIFY(j["first_timestamp"].is_null());
        QCOMPARE(j["devices"].size(), std::size_t(0));
    }

    void outputDoesNotDependOnRecordingOrder() {
        const auto build = [](bool reversed) {
            ValidationReport r(QStringLiteral("f.csv"), 2);
            std::vector<RowIssue> all = {issue(5, 1, "timestamp"), issue(2, 3, "state"),
                                         issue(9, 1, "timestamp"), issue(7, 1, "timestamp")};
            if (reversed)
                std::reverse(all.begin(), all.end());
            for (const auto& i : all) r.addIssue(i);
            for (const char* d : {"B", "A"}) r.mergeDevice(QString::fromLatin1(d), 1, 1000, 2000);
            return r.toJson().dump() + r.summary().toStdString();
        };
        QCOMPARE(build(true), build(false));
    }

    void summaryForOperators() {
        ValidationReport r(QStringLiteral("data.csv"));
        r.addIssue(issue(3, 7, "column_count"));
        r.addParsedRows(5);
        r.addRejected(issue(4, 6, "range", QStringLiteral("DEV-1")));
        r.addIssue(RowIssue{8, 0, QStringLiteral("line_too_long"), QStringLiteral("too long"), {}});
        r.addWarning(issue(2, 5, "missing", QStringLiteral("DEV-1")));
        r.addMissingCells(QStringLiteral("current_a"), 1);
        r.mergeDevice(QStringLiteral("DEV-1"), 4, testTime(), testTime() + 60000);
        r.finish();
        const QString s = r.summary();
        QVERIFY2(s.startsWith(QStringLiteral("data.csv: 7 rows read, 4 accepted, 3 rejected; 1 devices")),
                 qPrintable(s));
        QVERIFY2(s.contains(QStringLiteral("rejected: column_count 1, range 1, line_too_long 1")) ||
                     s.contains(QStringLiteral("rejected: column_count 1, line_too_long 1, range 1")),
                 qPrintable(s));
        QVERIFY2(s.contains(QStringLiteral("warnings: missing 1 (missing cells: current_a 1)")),
                 qPrintable(s));
        QVERIFY(s.contains(QStringLiteral("data.csv:3:7: column_count at 3:7")));
        QVERIFY(s.contains(QStringLiteral("data.csv:4:6: range at 4:6")));
        QVERIFY(s.contains(QStringLiteral("data.csv:8: too long")));  // no column for a whole-line problem
        // Errors are listed before warnings, each group in file order.
        QVERIFY(s.indexOf(QStringLiteral("data.csv:3:7")) < s.indexOf(QStringLiteral("data.csv:4:6")));
        QVERIFY(s.indexOf(QStringLiteral("data.csv:8:")) < s.indexOf(QStringLiteral("data.csv:2:5")));
        QCOMPARE(r.summary(1).count(QStringLiteral("data.csv:")), 2);  // the totals line + one example
    }

    void cleanSummary() {
        ValidationReport r(QStringLiteral("ok.csv"));
        r.addParsedRows(3);
        r.finish();
        QVERIFY(r.summary().contains(QStringLiteral("no problems found")));
    }

    void durations_data() {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("ms") << qint64(250) << "250ms";
        QTest::newRow("s") << qint64(45000) << "45s";
        QTest::newRow("m") << qint64(750000) << "12m 30s";
        QTest::newRow("h") << qint64(11100000) << "3h 5m";
        QTest::newRow("d") << qint64(90000000) << "1d 1h";
    }
    void durations() {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(formatDuration(ms), text);
    }

private:
    static qint64 testTime() { return *parseUtcTimestamp(std::string_view("2026-01-01T00:00:00Z")); }
};

QTEST_GUILESS_MAIN(ValidationReportTest)
#include "validation_report_test.moc"
