#include "evaluate/sweep_report.h"
#include "core/evaluate/score_table_builder.h"

#include <QTest>

using namespace itap;

namespace {

QStringList lines(const QString& text) {
    return text.split(QLatin1Char('\n'));
}

// Lines from the one starting with `header` up to the next blank line.
QStringList section(const QString& text, const QString& header) {
    QStringList out;
    bool in = false;
    for (const QString& line : lines(text)) {
        if (!in && line.trimmed().startsWith(header))
            in = true;
        if (in && line.trimmed().isEmpty())
            break;
        if (in)
            out << line;
    }
    return out;
}

void verifyWidth(const QString& report) {
    for (const QString& line : lines(report)) QVERIFY2(line.size() <= kSweepReportWidth, qPrintable(line));
}

// Right-aligned columns: every row of a table has the same length.
void verifyAligned(const QStringList& table) {
    QVERIFY(table.size() >= 2);
    for (const QString& line : table) QVERIFY2(line.size() == table.first().size(), qPrintable(line));
}

}  // namespace

class SweepReportTest : public QObject {
    Q_OBJECT
private slots:
    void showsSelectedThresholdAndFaults() {
        const auto m = evaluate(test::randomTable(9, 4, 500, 500), {});
        QVERIFY(m.ok());
        const QString report = formatSweepReport(*m);
        if (qEnvironmentVariableIsSet("ITAP_PRINT_REPORT"))
            qInfo().noquote() << report;
        verifyWidth(report);
        QVERIFY(report.endsWith(QLatin1Char('\n')));

        const QStringList sweep = section(report, QStringLiteral("threshold"));
        verifyAligned(sweep);
        QVERIFY(sweep.size() <= 12);  // header + at most 11 rows
        // Exactly one marked row, and it carries the selected threshold.
        const QString selected = QString::number(*m->selection.threshold, 'f', 6);
        const QStringList marked = sweep.filter(QRegularExpression(QStringLiteral("^\\s*>")));
        QCOMPARE(marked.size(), 1);
        QVERIFY2(marked.first().contains(selected), qPrintable(marked.first()));
        QVERIFY(report.contains(QStringLiteral("highest recall at precision >= 0.50")));

        const QStringList faults = section(report, QStringLiteral("fault"));
        verifyAligned(faults);
        QCOMPARE(faults.size(), 4);
        for (const FaultMetrics& f : m->perFault) {
            const QStringList row = faults.filter(f.tag);
            QCOMPARE(row.size(), 1);
            QVERIFY(row.first().contains(QString::number(f.events)));
        }
        verifyAligned(section(report, QStringLiteral("state")));
    }

    void manualThresholdBetweenGridPoints() {
        const ScoreTable t = test::randomTable(9, 2, 300, 1000);
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const auto m = evaluateAt(t, *index, 0.7777777);
        QVERIFY(m.ok());
        QCOMPARE(m->selection.point, -1);
        const QString report = formatSweepReport(*m);
        verifyWidth(report);
        const QStringList sweep = section(report, QStringLiteral("threshold"));
        verifyAligned(sweep);
        const QStringList marked = sweep.filter(QRegularExpression(QStringLiteral("^\\s*>")));
        QCOMPARE(marked.size(), 1);
        QVERIFY(marked.first().contains(QStringLiteral("0.777778")));
        QVERIFY(marked.first().contains(QString::number(m->confusion.flagged())));
        QVERIFY(report.contains(QStringLiteral("set by the operator")));
    }

    void longTagsKeepTheWidth() {
        const QString longTag(80, QLatin1Char('x'));
        const ScoreTable t = test::makeTable(
            {{0, 0, 0.9f, longTag}, {0, 1, 0.2f, {}}, {0, 2, 0.8f, QStringLiteral("overheat")}});
        const auto m = evaluate(t, {});
        QVERIFY(m.ok());
        const QString report = formatSweepReport(*m);
        verifyWidth(report);
        verifyAligned(section(report, QStringLiteral("fault")));
        QVERIFY(report.contains(QStringLiteral("xxxx~")));
    }

    void withoutLabels() {
        ScoreTable t = test::randomTable(9, 2, 200, 100);
        t.hasLabels = false;
        const auto m = evaluate(t, {});
        QVERIFY(m.ok());
        const QString report = formatSweepReport(*m);
        verifyWidth(report);
        QVERIFY(report.contains(QStringLiteral("No ground truth")));
        QVERIFY(report.contains(QStringLiteral("label-free, 0.995 quantile of training scores")));
        QVERIFY(!report.contains(QStringLiteral("Per fault type")));
        QVERIFY(!report.contains(QStringLiteral("ROC-AUC")));
        const QStringList sweep = section(report, QStringLiteral("threshold"));
        verifyAligned(sweep);
        QVERIFY2(!sweep.first().contains(QStringLiteral("precision")), qPrintable(sweep.first()));
        QCOMPARE(sweep.size(), 12);
    }

    void emptyEvaluation() {
        const QString report = formatSweepReport(Metrics{});
        QVERIFY(report.contains(QStringLiteral("no evaluated rows")));
        verifyWidth(report);
    }
};

QTEST_GUILESS_MAIN(SweepReportTest)
#include "sweep_report_test.moc"
