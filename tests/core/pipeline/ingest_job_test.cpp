// The ingest job: validation before storage, idempotency, overlap, and "bad input changes nothing".
#include "pipeline/ingest_job.h"
#include "support/test_files.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace itap;

namespace {

const char* kHeader = "timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,error_code,fault_tag\n";

using test::writeFile;

// `n` valid rows of one device starting at minute `from`.
QByteArray rows(const char* device, int from, int n) {
    QByteArray out;
    for (int i = from; i < from + n; ++i) {
        out += QStringLiteral("2026-01-01T%1:%2:00Z,%3,RUN,230.1,18.2,61.7,1480,2.31,0,\n")
                   .arg(i / 60, 2, 10, QLatin1Char('0'))
                   .arg(i % 60, 2, 10, QLatin1Char('0'))
                   .arg(QString::fromLatin1(device))
                   .toLatin1();
    }
    return out;
}

std::unique_ptr<Store> openStore(const QTemporaryDir& dir) {
    const SensorCatalog catalog = SensorCatalog::defaults();
    auto store = Store::open(dir.filePath("t.db"), &catalog);
    if (!store) qFatal("%s", qPrintable(store.error().toString()));
    return std::move(store).value();
}

}  // namespace

class IngestJobTest : public QObject {
    Q_OBJECT
private slots:
    void sameFileTwiceInsertsNothingNew() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        const QString path = writeFile(dir, "a.csv", QByteArray(kHeader) + rows("DEV-1", 0, 50) + rows("DEV-2", 0, 50));
        auto first = ingestFile(path, *store, {}, {});
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
        QCOMPARE(first->run.inserted, qint64(100));
        QCOMPARE(first->run.skippedDuplicates, qint64(0));
        auto second = ingestFile(path, *store, {}, {});
        QVERIFY(second.ok());
        QCOMPARE(second->run.inserted, qint64(0));
        QCOMPARE(second->run.skippedDuplicates, qint64(100));
        QCOMPARE(*store->rowCount(), qint64(100));
        auto runs = store->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t(2));
        QCOMPARE(runs->at(0).sha256, runs->at(1).sha256);
        QCOMPARE(runs->at(1).status, QStringLiteral("ok"));
    }

    void overlappingFileInsertsOnlyNewRows() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        const QString a = writeFile(dir, "a.csv", QByteArray(kHeader) + rows("DEV-1", 0, 60));
        const QString b = writeFile(dir, "b.csv", QByteArray(kHeader) + rows("DEV-1", 40, 60));
        QVERIFY(ingestFile(a, *store, {}, {}).ok());
        auto r = ingestFile(b, *store, {}, {});
        QVERIFY(r.ok());
        QCOMPARE(r->run.inserted, qint64(40));
        QCOMPARE(r->run.skippedDuplicates, qint64(20));
        QCOMPARE(*store->rowCount(), qint64(100));
    }

    // Each malformed file fails with file:line:column and leaves the stored rows exactly as they were.
    void malformedFileChangesNothing_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<qint64>("column");
        const QByteArray good = rows("DEV-9", 0, 3);
        QTest::newRow("too few columns") << good + "2026-01-01T01:00:00Z,DEV-9,RUN,230\n" << qint64(5) << qint64(0);
        QTest::newRow("text in number") << good + "2026-01-01T01:00:00Z,DEV-9,RUN,abc,18.2,61.7,1480,2.31,0,\n"
                                        << qint64(5) << qint64(4);
        QTest::newRow("unknown state") << good + "2026-01-01T01:00:00Z,DEV-9,RUNNING,230,18.2,61.7,1480,2.31,0,\n"
                                       << qint64(5) << qint64(3);
        QTest::newRow("bad timestamp") << good + "2026-01-01 25:00:00,DEV-9,RUN,230,18.2,61.7,1480,2.31,0,\n"
                                       << qint64(5) << qint64(1);
    }
    void malformedFileChangesNothing() {
        QFETCH(QByteArray, body);
        QFETCH(qint64, line);
        QFETCH(qint64, column);
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(ingestFile(writeFile(dir, "ok.csv", QByteArray(kHeader) + rows("DEV-1", 0, 30)), *store, {}, {}).ok());
        const QString bad = writeFile(dir, "bad.csv", QByteArray(kHeader) + body);
        auto r = ingestFile(bad, *store, {}, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QCOMPARE(r.error().file, bad);
        QCOMPARE(r.error().line, line);
        if (column > 0) QCOMPARE(r.error().column, column);
        QCOMPARE(*store->rowCount(), qint64(30));
        QCOMPARE(*store->devices(), QStringList{"DEV-1"});

        // With skipInvalid the valid rows are stored and the bad one is counted.
        IngestOptions lenient;
        lenient.skipInvalid = true;
        auto r2 = ingestFile(bad, *store, lenient, {});
        QVERIFY(r2.ok());
        QCOMPARE(r2->run.inserted, qint64(3));
        QCOMPARE(r2->run.rejected, qint64(1));
    }

    void rangeViolationsAreRejectedAndCounted() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        const QByteArray body = rows("DEV-1", 0, 5) + "2026-01-01T00:05:00Z,DEV-1,RUN,230,18.2,999,1480,2.31,0,\n" +
                                rows("DEV-1", 6, 4);
        auto r = ingestFile(writeFile(dir, "r.csv", QByteArray(kHeader) + body), *store, {}, {});
        QVERIFY(r.ok());
        QCOMPARE(r->run.inserted, qint64(9));
        QCOMPARE(r->run.rejected, qint64(1));
        QVERIFY(r->run.rejectReasonsJson.contains("range"));
        QCOMPARE(r->report.checkCount("range"), qint64(1));
    }

    void missingFileIsBadInput() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        auto r = ingestFile(dir.filePath("nope.csv"), *store, {}, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY(r.error().toString().contains("nope.csv"));
    }

    void cancelledIngestIsRecorded() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        const QString path = writeFile(dir, "c.csv", QByteArray(kHeader) + rows("DEV-1", 0, 300));
        IngestOptions small;
        small.batchRows = 100;
        int calls = 0;
        auto r = ingestFile(path, *store, small, [&](qint64, qint64, const QString&) { return ++calls < 2; });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Cancelled);
        auto runs = store->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->back().status, QStringLiteral("cancelled"));
        // A re-run completes to exactly the full row count.
        auto again = ingestFile(path, *store, small, {});
        QVERIFY(again.ok());
        QCOMPARE(*store->rowCount(), qint64(300));
    }

    // Cancelled while pass 1 still validates: nothing is stored and the run is recorded all the same.
    void cancelledWhileValidatingIsRecorded() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        const QString path = writeFile(dir, "v.csv", QByteArray(kHeader) + rows("DEV-1", 0, 300));
        QStringList stages;
        auto r = ingestFile(path, *store, {}, [&](qint64, qint64, const QString& message) {
            stages << message;
            return false;
        });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Cancelled);
        QCOMPARE(stages, QStringList{QStringLiteral("validating")});
        auto runs = store->ingestRuns();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), std::size_t(1));
        QCOMPARE(runs->back().status, QStringLiteral("cancelled"));
        QCOMPARE(runs->back().inserted, qint64(0));
        QCOMPARE(*store->rowCount(), qint64(0));
    }

    // Pass 2 reads one batch ahead on a thread of its own: the batch size must not change what is stored or
    // reported, whether the file ends on a batch boundary or inside one.
    void batchSizeDoesNotChangeTheOutcome_data() {
        QTest::addColumn<int>("batchRows");
        QTest::newRow("100 (ends inside a batch)") << 100;
        QTest::newRow("101") << 101;
        QTest::newRow("one batch") << 1'000'000;
    }
    void batchSizeDoesNotChangeTheOutcome() {
        QFETCH(int, batchRows);
        QTemporaryDir dir;
        // 3 devices x 150 rows, interleaved, with a range violation, a duplicate and an out-of-order row.
        QByteArray body;
        for (int i = 0; i < 150; ++i)
            for (const char* d : {"DEV-1", "DEV-2", "DEV-3"}) body += rows(d, i, 1);
        body += "2026-01-01T02:30:00Z,DEV-2,RUN,230,18.2,999,1480,2.31,0,\n";
        body += rows("DEV-1", 149, 1) + rows("DEV-3", 20, 1);
        const QString path = writeFile(dir, "b.csv", QByteArray(kHeader) + body);
        auto store = openStore(dir);
        IngestOptions options;
        options.batchRows = batchRows;
        auto r = ingestFile(path, *store, options, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->run.inserted, qint64(450));
        QCOMPARE(*store->rowCount(), qint64(450));
        QCOMPARE(r->run.rejected + r->run.skippedDuplicates, qint64(3));
        QCOMPARE(r->report.checkCount("range"), qint64(1));
        QCOMPARE(r->report.rowsRead(), qint64(453));
    }

    void simulatedFleetIngestsCompletely() {
        QTemporaryDir dir;
        SimulationProfile profile = SimulationProfile::defaults();
        profile.devices = 3;
        profile.hours = 2;
        const QString csv = dir.filePath("sim.csv");
        auto summary = FleetSimulator(profile, SensorCatalog::defaults()).writeCsv(csv);
        QVERIFY(summary.ok());
        auto store = openStore(dir);
        auto r = ingestFile(csv, *store, {}, {});
        QVERIFY(r.ok());
        QCOMPARE(r->run.inserted, summary->rows);
        QCOMPARE(r->run.rejected, qint64(0));
        QCOMPARE(*store->rowCount(), summary->rows);
        QCOMPARE(*store->hasLabels(), true);
    }
};

QTEST_GUILESS_MAIN(IngestJobTest)
#include "ingest_job_test.moc"
