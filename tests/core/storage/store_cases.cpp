#include "store_cases.h"

#include "store_test_util.h"

#include "alarms/alarm_journal.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <latch>
#include <limits>
#include <map>
#include <thread>

namespace itap::test {

int StoreCases::ownConnections() {
    int n = 0;
    for (const QString& name : QSqlDatabase::connectionNames())
        if (name.startsWith(QLatin1String("itap-")))
            ++n;
    return n;
}

void StoreCases::withPrivateConnection(const QString& driver, const std::function<void(QSqlDatabase&)>& setUp,
                                       const std::function<void(QSqlDatabase&)>& fn) {
    const QString name = QStringLiteral("store-test-inspect");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
        setUp(db);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        fn(db);
        db.close();
    }
    // Only once `db` is gone: removeDatabase() warns while a QSqlDatabase still refers to the connection.
    QSqlDatabase::removeDatabase(name);
}

void StoreCases::init() {
    ++testIndex_;
    QString reason;
    if (!backendReady(&reason))
        QSKIP(qPrintable(reason));
}

void StoreCases::cleanup() {
    QCOMPARE(ownConnections(), 0);
}

void StoreCases::createsVersionedSchema() {
    const QString path = spec(QStringLiteral("schema.db"));
    const SensorCatalog catalog = testCatalog();
    {
        auto store = openOrFail(path, &catalog);
        QVERIFY(store);
        QCOMPARE(store->description(), description(path));
        auto version = store->schemaVersion();
        QVERIFY(version);
        QCOMPARE(*version, Store::currentSchemaVersion());
        QCOMPARE(store->catalog().hash(), catalog.hash());
    }
    withConnection(path, [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT version FROM schema_meta ORDER BY version")));
        for (int v = 1; v <= Store::currentSchemaVersion(); ++v) {  // one row per migration step
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), v);
        }
        QVERIFY(!q.next());
        QVERIFY(
            q.exec(QStringLiteral("SELECT name, unit, family, min_value, max_value FROM channels "
                                  "ORDER BY position")));
        for (const auto& c : catalog.channels()) {
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), c.name);
            QCOMPARE(q.value(1).toString(), c.unit);
            QCOMPARE(q.value(2).toString(), c.family);
            QCOMPARE(q.value(3).toDouble(), c.min);
            QCOMPARE(q.value(4).toDouble(), c.max);
        }
        QVERIFY(!q.next());
        for (const char* table : {"telemetry", "channels", "meta", "ingest_runs", "scores", "schema_meta",
                                  "alarms", "alarm_journal"}) {
            QVERIFY2(q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))), table);
        }
    });
}

void StoreCases::roundTripsRows_data() {
    QTest::addColumn<QString>("device");
    QTest::addColumn<int>("rows");
    QTest::newRow("plain") << QStringLiteral("DEV-0006") << 300;
    QTest::newRow("quote and semicolon") << QStringLiteral("x'); DROP TABLE telemetry; --") << 40;
    QTest::newRow("double quotes") << QStringLiteral("say \"hi\"") << 3;
    QTest::newRow("path separators") << QStringLiteral("../plant/a\\b/c") << 5;
    QTest::newRow("percent and underscore") << QStringLiteral("%_*?") << 1;
    QTest::newRow("unicode") << QStringLiteral("Pumpe-Süd ①") << 257;
    QTest::newRow("spaces") << QStringLiteral("  spaced  ") << 256;
}

void StoreCases::roundTripsRows() {
    QFETCH(QString, device);
    QFETCH(int, rows);
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("roundtrip.db")), &catalog);
    QVERIFY(store);
    // A neighbour device whose id is a prefix of the other: reads must not mix them up.
    const QStringList devices = {device, device.left(1)};
    const TelemetryBatch batch = makeBatch(devices, rows);
    auto counts = store->insertBatch(batch);
    QVERIFY2(counts, qPrintable(counts ? QString() : counts.error().toString()));
    QCOMPARE(counts->inserted, qint64(batch.rowCount()));
    QCOMPARE(counts->skippedDuplicates, qint64(0));

    auto count = store->rowCount();
    QVERIFY(count);
    QCOMPARE(*count, qint64(batch.rowCount()));
    auto listed = store->devices();
    QVERIFY(listed);
    QStringList expected = devices;
    expected.sort();
    QCOMPARE(*listed, expected);
    for (const QString& d : devices) {
        auto series = store->readDevice(d);
        QVERIFY(series);
        QCOMPARE(series->deviceId, d);
        const QString diff = diffSeries(*series, batch, rowsOf(batch, d));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
    // The data really contained what the comparison claims to check.
    bool sawNaN = false, sawTag = false;
    for (double v : batch.values) sawNaN = sawNaN || std::isnan(v);
    for (const auto& t : batch.faultTag) sawTag = sawTag || !t.isEmpty();
    QVERIFY(sawNaN);
    QVERIFY(sawTag);
}

void StoreCases::secondInsertSkipsDuplicates_data() {
    QTest::addColumn<int>("rowsPerDevice");
    QTest::newRow("one row") << 1;
    QTest::newRow("one statement minus one") << 51;  // 5 devices: 255 rows
    QTest::newRow("several statements and a tail") << 205;
}

void StoreCases::secondInsertSkipsDuplicates() {
    QFETCH(int, rowsPerDevice);
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("dup.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch batch = makeBatch({"A", "B", "C", "D", "E"}, rowsPerDevice);
    const auto n = qint64(batch.rowCount());
    auto first = store->insertBatch(batch);
    QVERIFY(first);
    QCOMPARE(first->inserted, n);
    auto second = store->insertBatch(batch);
    QVERIFY(second);
    QCOMPARE(second->inserted, qint64(0));
    QCOMPARE(second->skippedDuplicates, n);
    auto count = store->rowCount();
    QVERIFY(count);
    QCOMPARE(*count, n);
}

void StoreCases::overlappingBatchInsertsOnlyNewRows() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("overlap.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch early = makeBatch({"A", "B"}, 500);                        // seconds 0..499
    TelemetryBatch late = makeBatch({"A", "B"}, 500, 1'767'225'600'000 + 300'000);  // seconds 300..799
    // The overlap carries different values: the first stored row must win.
    for (double& v : late.values)
        if (!std::isnan(v))
            v += 1000;
    ITAP_VERIFY_OK(store->insertBatch(early));
    auto counts = store->insertBatch(late);
    QVERIFY(counts);
    QCOMPARE(counts->inserted, qint64(2 * 300));
    QCOMPARE(counts->skippedDuplicates, qint64(0));
    QCOMPARE(counts->conflicts.count, qint64(2 * 200));  // same keys, other values
    QCOMPARE(counts->conflicts.replaced, qint64(0));
    auto series = store->readDevice(QStringLiteral("A"));
    QVERIFY(series);
    QCOMPARE(series->size(), std::size_t(800));
    for (std::size_t i = 1; i < series->size(); ++i) QVERIFY(series->tsMs[i] > series->tsMs[i - 1]);
    const auto earlyRows = rowsOf(early, QStringLiteral("A"));
    const auto lateRows = rowsOf(late, QStringLiteral("A"));
    for (std::size_t i = 0; i < 800; ++i) {
        const std::size_t r = i < 500 ? earlyRows[i] : lateRows[i - 300];
        const TelemetryBatch& src = i < 500 ? early : late;
        QCOMPARE(series->tsMs[i], src.tsMs[r]);
        QVERIFY(sameValue(series->channels[0][i], src.value(r, 0)));
    }
}

void StoreCases::duplicateInsideOneBatchKeepsTheFirst() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("dup-inside.db")), &catalog);
    QVERIFY(store);
    TelemetryBatch batch = makeBatch({"B", "A"}, 300);
    // Row 450 repeats the key of row 7 with other values and comes later in the batch: row 7 must win.
    batch.deviceId[450] = batch.deviceId[7];
    batch.tsMs[450] = batch.tsMs[7];
    batch.errorCode[450] = 99;
    auto counts = store->insertBatch(batch);
    QVERIFY(counts);
    QCOMPARE(counts->inserted, qint64(batch.rowCount() - 1));
    QCOMPARE(counts->skippedDuplicates, qint64(1));
    auto series = store->readDevice(batch.deviceId[7], batch.tsMs[7], batch.tsMs[7]);
    QVERIFY(series);
    QCOMPARE(series->size(), std::size_t(1));
    QCOMPARE(series->errorCode[0], batch.errorCode[7]);
    QVERIFY(sameValue(series->channels[1][0], batch.value(7, 1)));
}

void StoreCases::correctedRowIsAConflictNotADuplicate_data() {
    QTest::addColumn<int>("policy");
    QTest::newRow("keep") << int(ConflictPolicy::Keep);
    QTest::newRow("replace") << int(ConflictPolicy::Replace);
    QTest::newRow("fail") << int(ConflictPolicy::Fail);
}

// Re-ingesting a row with the same (device, ts) and corrected values: counted as a conflict with the stored
// and the new value, apart from true duplicates; kept, replaced, or (fail) nothing of the batch stored.
void StoreCases::correctedRowIsAConflictNotADuplicate() {
    QFETCH(int, policy);
    const auto how = static_cast<ConflictPolicy>(policy);
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("conflict.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch stored = makeBatch({"A", "B"}, 10);
    ITAP_VERIFY_OK(store->insertBatch(stored));
    // Rows 0..19 again, three of them corrected, plus two new rows (seconds 10 and 11 of "A").
    TelemetryBatch again = makeBatch({"A", "B"}, 10);
    const TelemetryBatch more = makeBatch({"A"}, 2, 1'767'225'600'000 + 10'000);
    for (std::size_t r = 0; r < more.rowCount(); ++r)
        again.append(more.deviceId[r], more.tsMs[r], more.state[r], more.values.data() + r * 3,
                     more.errorCode[r], more.faultTag[r], 100 + qint64(r));
    // Row 5 ("B", second 2): a channel; row 8 ("A", second 4): the error code; row 13 ("B", second 6): the
    // state.
    const int ch = std::isnan(again.value(5, 1)) ? 2 : 1;
    again.values[5 * 3 + std::size_t(ch)] = 555.5;
    again.errorCode[8] = 42;
    again.state[13] = again.state[13] == OpState::Run ? OpState::Idle : OpState::Run;
    auto counts = store->insertBatch(again, how);
    QVERIFY2(counts, qPrintable(counts ? QString() : counts.error().toString()));
    QCOMPARE(counts->conflicts.count, qint64(3));
    QCOMPARE(counts->conflicts.examples.size(), std::size_t(3));
    // Examples in key order: A@4 (error_code), B@2 (channel), B@6 (state).
    const RowConflict& a4 = counts->conflicts.examples[0];
    QCOMPARE(a4.device, QStringLiteral("A"));
    QCOMPARE(a4.tsMs, again.tsMs[8]);
    QCOMPARE(a4.sourceLine, again.sourceLine[8]);
    QCOMPARE(a4.column, QStringLiteral("error_code"));
    QCOMPARE(a4.stored, QString::number(stored.errorCode[8]));
    QCOMPARE(a4.incoming, QStringLiteral("42"));
    const RowConflict& b2 = counts->conflicts.examples[1];
    QCOMPARE(b2.column, catalog.channel(ch).name);
    QCOMPARE(b2.stored, QString::number(stored.value(5, ch), 'g', QLocale::FloatingPointShortest));
    QCOMPARE(b2.incoming, QStringLiteral("555.5"));
    QCOMPARE(counts->conflicts.examples[2].column, QStringLiteral("state"));

    auto b = store->readDevice(QStringLiteral("B"), again.tsMs[5], again.tsMs[5]);
    QVERIFY(b && b->size() == 1);
    auto rows = store->rowCount();
    QVERIFY(rows);
    if (how == ConflictPolicy::Fail) {
        QCOMPARE(counts->inserted, qint64(0));
        QCOMPARE(*rows, qint64(stored.rowCount()));  // not even the new rows
        QVERIFY(sameValue(b->channels[std::size_t(ch)][0], stored.value(5, ch)));
        return;
    }
    QCOMPARE(counts->inserted, qint64(2));
    QCOMPARE(counts->skippedDuplicates, qint64(stored.rowCount() - 3));
    QCOMPARE(*rows, qint64(stored.rowCount() + 2));
    if (how == ConflictPolicy::Keep) {
        QCOMPARE(counts->conflicts.replaced, qint64(0));
        QVERIFY(sameValue(b->channels[std::size_t(ch)][0], stored.value(5, ch)));
    } else {
        QCOMPARE(counts->conflicts.replaced, qint64(3));
        QCOMPARE(b->channels[std::size_t(ch)][0], 555.5);
        auto a = store->readDevice(QStringLiteral("A"), again.tsMs[8], again.tsMs[8]);
        QVERIFY(a && a->size() == 1);
        QCOMPARE(a->errorCode[0], 42);
    }
    // A third run of the corrected rows: now duplicates after replace, still conflicts after keep.
    auto third = store->insertBatch(again, ConflictPolicy::Keep);
    QVERIFY(third);
    QCOMPARE(third->conflicts.count, how == ConflictPolicy::Replace ? qint64(0) : qint64(3));
}

void StoreCases::failedBatchLeavesTableUnchanged_data() {
    QTest::addColumn<int>("badRow");
    QTest::addColumn<QString>("defect");
    QTest::newRow("empty device id at row 600") << 600 << QStringLiteral("empty device");
    QTest::newRow("null device id at row 600") << 600 << QStringLiteral("null device");
    QTest::newRow("empty device id in the last row") << 999 << QStringLiteral("empty device");
    QTest::newRow("negative error code in the first row") << 0 << QStringLiteral("error");
}

void StoreCases::failedBatchLeavesTableUnchanged() {
    QFETCH(int, badRow);
    QFETCH(QString, defect);
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("atomic.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch before = makeBatch({"OLD-1", "OLD-2"}, 100);
    ITAP_VERIFY_OK(store->insertBatch(before));

    // 1000 new rows (and 200 duplicates of stored ones would be harmless): the defect must undo all of
    // them.
    TelemetryBatch bad = makeBatch({"NEW-1", "NEW-2", "NEW-3", "NEW-4"}, 250, 1'767'300'000'000);
    QCOMPARE(bad.rowCount(), std::size_t(1000));
    // An empty text and a null QString reach the database differently ('' vs NULL): both must be refused.
    if (defect == QLatin1String("empty device"))
        bad.deviceId[static_cast<std::size_t>(badRow)] = QStringLiteral("");
    else if (defect == QLatin1String("null device"))
        bad.deviceId[static_cast<std::size_t>(badRow)] = QString();
    else
        bad.errorCode[static_cast<std::size_t>(badRow)] = -1;
    auto counts = store->insertBatch(bad);
    QVERIFY(!counts);
    QCOMPARE(counts.error().kind, Error::Kind::BadInput);
    // SQLite says "CHECK constraint failed", PostgreSQL "violates check constraint".
    QVERIFY2(counts.error().message.contains(QLatin1String("constraint")),
             qPrintable(counts.error().toString()));
    QCOMPARE(counts.error().file, location(spec(QStringLiteral("atomic.db"))));
    // The message names the offending row itself, not just the statement it was in.
    const QString where = QStringLiteral("batch row %1 (source line %2,")
                              .arg(badRow + 1)
                              .arg(bad.sourceLine[static_cast<std::size_t>(badRow)]);
    QVERIFY2(counts.error().message.startsWith(where), qPrintable(counts.error().message));

    auto count = store->rowCount();
    QVERIFY(count);
    QCOMPARE(*count, qint64(before.rowCount()));
    auto devices = store->devices();
    QVERIFY(devices);
    QCOMPARE(*devices, QStringList({"OLD-1", "OLD-2"}));
    auto old = store->readDevice(QStringLiteral("OLD-2"));
    QVERIFY(old);
    const QString diff = diffSeries(*old, before, rowsOf(before, QStringLiteral("OLD-2")));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    // The store is still usable: the corrected batch goes in completely.
    if (defect != QLatin1String("error"))
        bad.deviceId[static_cast<std::size_t>(badRow)] = QStringLiteral("NEW-X");
    else
        bad.errorCode[static_cast<std::size_t>(badRow)] = 0;
    auto retry = store->insertBatch(bad);
    QVERIFY2(retry, qPrintable(retry ? QString() : retry.error().toString()));
    QCOMPARE(retry->inserted, qint64(1000));
}

void StoreCases::rejectsMalformedBatches() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("shape.db")), &catalog);
    QVERIFY(store);
    TelemetryBatch wrongChannels = makeBatch({"A"}, 3, 0, 1000, 2);
    auto r = store->insertBatch(wrongChannels);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::BadInput);
    TelemetryBatch ragged = makeBatch({"A"}, 3);
    ragged.errorCode.pop_back();
    QVERIFY(!store->insertBatch(ragged));
    auto empty = store->insertBatch(makeBatch({"A"}, 0));
    QVERIFY(empty);
    QCOMPARE(empty->inserted, qint64(0));
}

// A stage (Store::beginStage) around several committed-looking batches, a failing one and an ingest run:
// rolled back it leaves nothing, committed it keeps exactly the good batches; a batch failing inside it is
// undone alone and the stage goes on (PostgreSQL would refuse every later statement without the savepoint).
void StoreCases::stageRollsBackOrCommitsAsAWhole() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("stage.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch before = makeBatch({"OLD-1"}, 50);
    ITAP_VERIFY_OK(store->insertBatch(before));
    const auto runsBefore = store->ingestRuns();
    QVERIFY(runsBefore);

    IngestRunRecord run;
    run.source = QStringLiteral("stage.csv");
    run.sha256 = QString(64, QLatin1Char('b'));
    run.status = QStringLiteral("cancelled");
    TelemetryBatch bad = makeBatch({"BAD-1"}, 20, 1'767'400'000'000);
    bad.errorCode[7] = -1;

    for (bool commit : {false, true}) {
        QVERIFY(store->beginStage());
        QVERIFY(!store->beginStage());  // one at a time
        ITAP_VERIFY_OK(store->insertBatch(makeBatch({"NEW-1", "NEW-2"}, 100, 1'767'300'000'000)));
        QVERIFY(!store->insertBatch(bad));
        ITAP_VERIFY_OK(store->insertBatch(makeBatch({"NEW-3"}, 100, 1'767'300'000'000)));
        ITAP_VERIFY_OK(store->recordIngestRun(run));
        auto inside = store->rowCount();
        QVERIFY(inside);
        QCOMPARE(*inside, qint64(50 + 300));  // the stage sees its own writes
        QVERIFY(commit ? store->commitStage() : store->rollbackStage());
        QVERIFY(!store->commitStage());  // nothing open any more
        auto rows = store->rowCount();
        QVERIFY(rows);
        auto devices = store->devices();
        QVERIFY(devices);
        auto runs = store->ingestRuns();
        QVERIFY(runs);
        if (commit) {
            QCOMPARE(*rows, qint64(50 + 300));
            QCOMPARE(*devices, QStringList({"NEW-1", "NEW-2", "NEW-3", "OLD-1"}));
            QCOMPARE(runs->size(), runsBefore->size() + 1);
        } else {
            QCOMPARE(*rows, qint64(50));
            QCOMPARE(*devices, QStringList({"OLD-1"}));
            QCOMPARE(runs->size(), runsBefore->size());
        }
    }
    // A stage left open when the store closes never happened.
    QVERIFY(store->beginStage());
    ITAP_VERIFY_OK(store->insertBatch(makeBatch({"LOST-1"}, 10, 1'767'500'000'000)));
    store.reset();
    auto reopened = openOrFail(spec(QStringLiteral("stage.db")), nullptr);
    QVERIFY(reopened);
    auto rows = reopened->rowCount();
    QVERIFY(rows);
    QCOMPARE(*rows, qint64(50 + 300));
}

void StoreCases::recordsIngestRuns() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("runs.db")), &catalog);
    QVERIFY(store);
    IngestRunRecord a;
    a.source = QStringLiteral("/data/o'brien; plant.csv");
    a.sha256 = QString(64, QLatin1Char('a'));
    a.startedMs = 1'767'225'600'123;
    a.durationMs = 4321;
    a.inserted = 864'000;
    a.skippedDuplicates = 17;
    a.rejected = 3;
    a.status = QStringLiteral("ok");
    a.rejectReasonsJson = QStringLiteral(R"({"range":2,"duplicate":1})");
    IngestRunRecord b = a;
    b.source = QStringLiteral("second.csv");
    b.status = QStringLiteral("cancelled");
    b.rejectReasonsJson.clear();
    auto idA = store->recordIngestRun(a);
    auto idB = store->recordIngestRun(b);
    QVERIFY(idA);
    QVERIFY(idB);
    QVERIFY(*idB > *idA);

    IngestRunRecord badStatus = a;
    badStatus.status = QStringLiteral("done");
    QVERIFY(!store->recordIngestRun(badStatus));
    IngestRunRecord badJson = a;
    badJson.rejectReasonsJson = QStringLiteral("{\"range\":");
    QVERIFY(!store->recordIngestRun(badJson));

    store.reset();
    store = openOrFail(spec(QStringLiteral("runs.db")), nullptr);
    QVERIFY(store);
    auto runs = store->ingestRuns();
    QVERIFY(runs);
    QCOMPARE(runs->size(), std::size_t(2));
    a.id = *idA;
    b.id = *idB;
    b.rejectReasonsJson = QStringLiteral("{}");
    for (const auto& [got, want] : {std::pair{(*runs)[0], a}, std::pair{(*runs)[1], b}}) {
        QCOMPARE(got.id, want.id);
        QCOMPARE(got.source, want.source);
        QCOMPARE(got.sha256, want.sha256);
        QCOMPARE(got.startedMs, want.startedMs);
        QCOMPARE(got.durationMs, want.durationMs);
        QCOMPARE(got.inserted, want.inserted);
        QCOMPARE(got.skippedDuplicates, want.skippedDuplicates);
        QCOMPARE(got.rejected, want.rejected);
        QCOMPARE(got.status, want.status);
        QCOMPARE(got.rejectReasonsJson, want.rejectReasonsJson);
    }
}

void StoreCases::reopenKeepsDataAndCatalog() {
    const QString path = spec(QStringLiteral("reopen.db"));
    const SensorCatalog catalog = testCatalog();
    const TelemetryBatch batch = makeBatch({"A", "B"}, 123);
    {
        auto store = openOrFail(path, &catalog);
        QVERIFY(store);
        ITAP_VERIFY_OK(store->insertBatch(batch));
        QVERIFY(store->setMeta(QStringLiteral("note"), QStringLiteral("kept")));
    }
    for (const SensorCatalog* given : {static_cast<const SensorCatalog*>(nullptr), &catalog}) {
        auto store = openOrFail(path, given);
        QVERIFY(store);
        QCOMPARE(store->catalog().hash(), catalog.hash());
        QCOMPARE(store->catalog().size(), catalog.size());
        QCOMPARE(store->catalog().channel(1).name, QStringLiteral("order"));
        QCOMPARE(store->catalog().channel(2).unit, QStringLiteral("°C"));
        auto note = store->meta(QStringLiteral("note"));
        QVERIFY(note);
        QCOMPARE(*note, QStringLiteral("kept"));
        auto count = store->rowCount();
        QVERIFY(count);
        QCOMPARE(*count, qint64(batch.rowCount()));
        auto series = store->readDevice(QStringLiteral("B"));
        QVERIFY(series);
        const QString diff = diffSeries(*series, batch, rowsOf(batch, QStringLiteral("B")));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
}

void StoreCases::differentCatalogIsAnError() {
    const QString path = spec(QStringLiteral("catalog.db"));
    const SensorCatalog catalog = testCatalog();
    const SensorCatalog other = otherCatalog();
    QVERIFY(openOrFail(path, &catalog));
    auto r = Store::open(path, &other);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::BadInput);
    QVERIFY2(r.error().message.contains(catalog.hash()), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(other.hash()), qPrintable(r.error().message));
}

void StoreCases::rejectsReservedChannelNames() {
    auto channels = testCatalog().channels();
    channels[0].name = QStringLiteral("ts");
    const SensorCatalog reserved(std::move(channels));
    const QString path = spec(QStringLiteral("reserved.db"));
    auto r = Store::open(path, &reserved);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::BadInput);
    QVERIFY(r.error().message.contains(QLatin1String("\"ts\"")));
}

void StoreCases::readsTimeRanges_data() {
    QTest::addColumn<qint64>("from");
    QTest::addColumn<qint64>("to");
    QTest::addColumn<int>("firstIndex");
    QTest::addColumn<int>("count");
    const qint64 t0 = 1'767'225'600'000;
    QTest::newRow("everything") << std::numeric_limits<qint64>::min() << std::numeric_limits<qint64>::max()
                                << 0 << 100;
    QTest::newRow("inclusive bounds") << t0 + 10'000 << t0 + 19'000 << 10 << 10;
    QTest::newRow("bounds between samples") << t0 + 10'500 << t0 + 19'500 << 11 << 9;
    QTest::newRow("one sample") << t0 + 42'000 << t0 + 42'000 << 42 << 1;
    QTest::newRow("before the data") << t0 - 10'000 << t0 - 1 << 0 << 0;
    QTest::newRow("after the data") << t0 + 100'000 << t0 + 200'000 << 0 << 0;
    QTest::newRow("open start") << std::numeric_limits<qint64>::min() << t0 + 4'000 << 0 << 5;
}

void StoreCases::readsTimeRanges() {
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(int, firstIndex);
    QFETCH(int, count);
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("range.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch batch = makeBatch({"A", "B"}, 100);
    ITAP_VERIFY_OK(store->insertBatch(batch));
    auto series = store->readDevice(QStringLiteral("A"), from, to);
    QVERIFY(series);
    auto rows = rowsOf(batch, QStringLiteral("A"));
    rows = std::vector<std::size_t>(rows.begin() + firstIndex, rows.begin() + firstIndex + count);
    const QString diff = diffSeries(*series, batch, rows);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void StoreCases::rejectsInvertedRangeAndReadsUnknownDeviceEmpty() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("range2.db")), &catalog);
    QVERIFY(store);
    ITAP_VERIFY_OK(store->insertBatch(makeBatch({"A"}, 10)));
    auto inverted = store->readDevice(QStringLiteral("A"), 10, 9);
    QVERIFY(!inverted);
    QCOMPARE(inverted.error().kind, Error::Kind::BadInput);
    auto unknown = store->readDevice(QStringLiteral("nope"));
    QVERIFY(unknown);
    QCOMPARE(unknown->size(), std::size_t(0));
    QCOMPARE(unknown->channels.size(), std::size_t(3));
}

void StoreCases::tracksLabels() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("labels.db")), &catalog);
    QVERIFY(store);
    TelemetryBatch unlabelled = makeBatch({"A"}, 20);
    for (auto& t : unlabelled.faultTag) t.clear();
    ITAP_VERIFY_OK(store->insertBatch(unlabelled));
    auto labels = store->hasLabels();
    QVERIFY(labels);
    QVERIFY(!*labels);
    // All-normal data ingested with a fault_tag column is labelled data.
    QVERIFY(store->setMeta(Store::kMetaHasLabels, QStringLiteral("1")));
    labels = store->hasLabels();
    QVERIFY(labels);
    QVERIFY(*labels);
    QVERIFY(!store->setMeta(Store::kMetaCatalogHash, QStringLiteral("x")));

    auto other = openOrFail(spec(QStringLiteral("labels2.db")), &catalog);
    QVERIFY(other);
    QVERIFY(other->insertBatch(makeBatch({"A"}, 20)));  // row 0 carries a tag
    labels = other->hasLabels();
    QVERIFY(labels);
    QVERIFY(*labels);
}

void StoreCases::scoresRoundTrip() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("scores.db")), &catalog);
    QVERIFY(store);
    const TelemetryBatch batch = makeBatch({"b'dev", "a;dev", "c/dev"}, 300);
    ITAP_VERIFY_OK(store->insertBatch(batch));

    // Devices deliberately unsorted; rows follow the batch (time-interleaved).
    ScoreTable in;
    in.devices = {"c/dev", "a;dev", "b'dev"};
    std::map<std::pair<QString, qint64>, std::pair<float, std::uint8_t>> expected;
    for (std::size_t r = 0; r < batch.rowCount(); ++r) {
        in.device.push_back(static_cast<int>(in.devices.indexOf(batch.deviceId[r])));
        in.tsMs.push_back(batch.tsMs[r]);
        in.state.push_back(batch.state[r]);
        in.score.push_back(0.3f + static_cast<float>(r % 97) / 300.0f);
        in.faultTag.push_back(batch.faultTag[r]);
        in.train.push_back(r < 450 ? 1 : 0);
        expected[{batch.deviceId[r], batch.tsMs[r]}] = {in.score.back(), in.train.back()};
    }
    in.modelId = QStringLiteral("model-1");
    QVERIFY(store->replaceScores(in));
    auto out = store->readScores();
    QVERIFY(out);
    QCOMPARE(out->modelId, QStringLiteral("model-1"));
    QCOMPARE(out->devices, QStringList({"a;dev", "b'dev", "c/dev"}));
    QCOMPARE(out->size(), batch.rowCount());
    QVERIFY(out->hasLabels);
    std::map<std::pair<QString, qint64>, std::size_t> batchRow;
    for (std::size_t r = 0; r < batch.rowCount(); ++r) batchRow[{batch.deviceId[r], batch.tsMs[r]}] = r;
    for (std::size_t r = 0; r < out->size(); ++r) {
        const QString dev = out->devices[out->device[r]];
        if (r > 0) {
            QVERIFY(out->device[r] >= out->device[r - 1]);  // grouped by device
            if (out->device[r] == out->device[r - 1])
                QVERIFY(out->tsMs[r] > out->tsMs[r - 1]);
        }
        const auto key = std::pair{dev, out->tsMs[r]};
        QVERIFY(expected.count(key) == 1);
        QCOMPARE(out->score[r], expected[key].first);
        QCOMPARE(out->train[r], expected[key].second);
        QCOMPARE(out->state[r], batch.state[batchRow[key]]);
        QCOMPARE(out->faultTag[r], batch.faultTag[batchRow[key]]);
    }
    auto model = store->scoresModelId();
    QVERIFY(model);
    QCOMPARE(*model, QStringLiteral("model-1"));

    // Replacing keeps nothing of the previous scores.
    ScoreTable few;
    few.devices = {"a;dev"};
    few.device = {0};
    few.tsMs = {in.tsMs[1]};
    few.state = {in.state[1]};
    few.score = {0.9f};
    few.faultTag = {QString()};
    few.train = {0};
    few.modelId = QStringLiteral("model-2");
    QVERIFY(store->replaceScores(few));
    out = store->readScores();
    QVERIFY(out);
    QCOMPARE(out->size(), std::size_t(1));
    QCOMPARE(out->score[0], 0.9f);

    // A score for a row that is not stored fails and keeps the previous scores.
    ScoreTable orphan = few;
    orphan.tsMs = {12345};
    orphan.modelId = QStringLiteral("model-3");
    auto s = store->replaceScores(orphan);
    QVERIFY(!s);
    model = store->scoresModelId();
    QVERIFY(model);
    QCOMPARE(*model, QStringLiteral("model-2"));
    ScoreTable badIndex = few;
    badIndex.device = {5};
    badIndex.modelId = QStringLiteral("model-4");
    QVERIFY(!store->replaceScores(badIndex));
    // Scores without the model that made them are refused.
    ScoreTable anonymous = few;
    anonymous.modelId.clear();
    QVERIFY(!store->replaceScores(anonymous));
}

void StoreCases::missingDatabaseNeedsACatalog() {
    const QString path = spec(QStringLiteral("absent.db"));
    auto r = Store::open(path, nullptr);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::BadInput);
    QVERIFY(isUntouched(path));  // a failed open creates nothing
}

void StoreCases::foreignDatabase() {
    const QString path = spec(QStringLiteral("foreign.db"));
    withConnection(path, [](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")));
    });
    const SensorCatalog catalog = testCatalog();
    auto r = Store::open(path, &catalog);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::BadInput);
    QVERIFY2(r.error().message.contains(QLatin1String("not an ITAP database")),
             qPrintable(r.error().message));
}

void StoreCases::twoStoresShareOneDatabase() {
    const QString path = spec(QStringLiteral("shared.db"));
    const SensorCatalog catalog = testCatalog();
    auto writer = openOrFail(path, &catalog);
    auto reader = openOrFail(path, nullptr);
    QVERIFY(writer);
    QVERIFY(reader);
    const TelemetryBatch batch = makeBatch({"A", "B"}, 50);
    QVERIFY(writer->insertBatch(batch));
    auto series = reader->readDevice(QStringLiteral("A"));
    QVERIFY(series);
    QCOMPARE(series->size(), std::size_t(50));
    // The reader writes too: SQLite's busy timeout and up-front write lock, or PostgreSQL's row locks, keep
    // the two apart.
    auto again = reader->insertBatch(batch);
    QVERIFY(again);
    QCOMPARE(again->skippedDuplicates, qint64(batch.rowCount()));
}

void StoreCases::removesItsConnections() {
    const SensorCatalog catalog = testCatalog();
    {
        auto a = openOrFail(spec(QStringLiteral("conn.db")), &catalog);
        auto b = openOrFail(spec(QStringLiteral("conn.db")), nullptr);
        QVERIFY(a && b);
        QVERIFY(a->readDevice(QStringLiteral("A")));  // creates the cached statements
        QVERIFY(ownConnections() >= 2);
    }
    QCOMPARE(ownConnections(), 0);
    // Short-lived and failed opens clean up as well.
    QVERIFY(Store::open(spec(QStringLiteral("conn.db")), nullptr));
    QVERIFY(!Store::open(spec(QStringLiteral("absent.db")), nullptr));
    auto other = otherCatalog();
    QVERIFY(!Store::open(spec(QStringLiteral("conn.db")), &other));
    QCOMPARE(ownConnections(), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Alarm journal

namespace {

constexpr qint64 kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr qint64 kHour = 3'600'000;

qint64 countRows(QSqlDatabase& db, const QString& table) {
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table)) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

}  // namespace

// A database as the schema-version-1 code wrote it (the v1 step is unchanged; the v2 step is taken back out
// through a private connection) upgrades in place when opened: telemetry, scores and ingest runs kept, the
// journal tables created, both versions recorded.
void StoreCases::journalMigratesFromVersion1() {
    const QString path = spec(QStringLiteral("v1.db"));
    const SensorCatalog catalog = testCatalog();
    const TelemetryBatch batch = makeBatch({"A", "B"}, 40);
    {
        auto store = openOrFail(path, &catalog);
        QVERIFY(store);
        ITAP_VERIFY_OK(store->insertBatch(batch));
        IngestRunRecord run;
        run.source = QStringLiteral("a.csv");
        run.sha256 = QStringLiteral("00");
        run.status = QStringLiteral("ok");
        run.inserted = qint64(batch.rowCount());
        ITAP_VERIFY_OK(store->recordIngestRun(run));
    }
    withConnection(path, [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("DROP TABLE threshold_changes")));
        QVERIFY(q.exec(QStringLiteral("DROP TABLE alarm_journal")));
        QVERIFY(q.exec(QStringLiteral("DROP TABLE alarms")));
        QVERIFY(q.exec(QStringLiteral("DELETE FROM schema_meta WHERE version > 1")));
        QCOMPARE(countRows(db, QStringLiteral("schema_meta")), qint64(1));
    });
    {
        auto store = openOrFail(path, nullptr);
        QVERIFY(store);
        auto version = store->schemaVersion();
        QVERIFY(version);
        QCOMPARE(*version, Store::currentSchemaVersion());
        QCOMPARE(*store->rowCount(), qint64(batch.rowCount()));
        QCOMPARE(store->ingestRuns()->size(), std::size_t(1));
        QCOMPARE(store->catalog().hash(), catalog.hash());
        auto alarms = store->readAlarms({});
        QVERIFY(alarms);
        QVERIFY(alarms->empty());
        std::vector<Alert> incidents = {makeIncident(QStringLiteral("A"), kT0, kT0 + 60'000, -1)};
        ITAP_VERIFY_OK(AlarmJournal(*store).record(incidents, kT0 + kHour));
    }
    withConnection(path, [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT version, summary FROM schema_meta ORDER BY version")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 2);
        QVERIFY(q.value(1).toString().contains(QLatin1String("alarm journal")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 3);
        QVERIFY(!q.next());
        QCOMPARE(countRows(db, QStringLiteral("alarms")), qint64(1));
        QCOMPARE(countRows(db, QStringLiteral("alarm_journal")), qint64(1));
        QCOMPARE(countRows(db, QStringLiteral("telemetry")), qint64(batch.rowCount()));
    });
    // The journal survives a restart.
    auto again = openOrFail(path, nullptr);
    QVERIFY(again);
    QCOMPARE(again->readJournal({})->size(), std::size_t(1));
}

void StoreCases::journalRoundTripsAlarmsAndRows() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("journal.db")), &catalog);
    QVERIFY(store);
    AlarmRecord a;
    a.id = QStringLiteral("x'); DROP TABLE alarms; --@2026-01-01T00:00:00Z");
    a.device = QStringLiteral("x'); DROP TABLE alarms; --");
    a.firstStartMs = kT0;
    a.spanEndMs = kT0 + kHour;
    a.startMs = kT0 + 1;
    a.raisedMs = kT0 + 2;
    a.endMs = kT0 + 3;
    a.clearedMs = -1;
    a.peakMs = kT0 + 4;
    a.peakScore = 0.8125;
    a.cause = QStringLiteral("Überhitzung \"quoted\"");
    a.ruleId = QStringLiteral("overheat");
    a.priority = Severity::Critical;
    a.reopened = 2;
    a.status = AlarmStatus{IncidentKind::Alarm, Suppression::None, true, true, kT0 + 2 * kHour};
    a.verdict = Verdict::Confirmed;
    a.faultType = QStringLiteral("Temperature");
    a.createdMs = kT0 + 5;
    a.updatedMs = kT0 + 6;
    ITAP_VERIFY_OK(store->writeAlarm(a));
    AlarmRecord b = a;
    b.id = QStringLiteral("B@1");
    b.device = QStringLiteral("B");
    b.firstStartMs = kT0 - 1;
    b.status = AlarmStatus{IncidentKind::Event, Suppression::Maintenance, false, false, -1};
    b.verdict = Verdict::None;
    b.faultType.clear();
    ITAP_VERIFY_OK(store->writeAlarm(b));

    auto read = store->readAlarms({});
    QVERIFY(read);
    QCOMPARE(read->size(), std::size_t(2));
    QCOMPARE(read->at(0).id, b.id);  // by first start
    const AlarmRecord& r = read->at(1);
    QCOMPARE(r.id, a.id);
    QCOMPARE(r.device, a.device);
    QCOMPARE(r.firstStartMs, a.firstStartMs);
    QCOMPARE(r.spanEndMs, a.spanEndMs);
    QCOMPARE(r.startMs, a.startMs);
    QCOMPARE(r.raisedMs, a.raisedMs);
    QCOMPARE(r.endMs, a.endMs);
    QCOMPARE(r.clearedMs, a.clearedMs);
    QCOMPARE(r.peakMs, a.peakMs);
    QCOMPARE(r.peakScore, a.peakScore);
    QCOMPARE(r.cause, a.cause);
    QCOMPARE(r.ruleId, a.ruleId);
    QCOMPARE(r.priority, a.priority);
    QCOMPARE(r.reopened, a.reopened);
    QVERIFY(r.status == a.status);
    QCOMPARE(r.verdict, a.verdict);
    QCOMPARE(r.faultType, a.faultType);
    QCOMPARE(r.createdMs, a.createdMs);
    QCOMPARE(r.updatedMs, a.updatedMs);
    QVERIFY(read->at(0).status == b.status);
    QCOMPARE(read->at(0).verdict, Verdict::None);
    QVERIFY(read->at(0).faultType.isEmpty());

    // Selections: by id, by device, both (either matches).
    QCOMPARE(store->readAlarms({{a.id}, {}})->size(), std::size_t(1));
    QCOMPARE(store->readAlarms({{}, {QStringLiteral("B")}})->front().id, b.id);
    QCOMPARE(store->readAlarms({{a.id}, {QStringLiteral("B")}})->size(), std::size_t(2));
    QVERIFY(store->readAlarms({{QStringLiteral("nope")}, {}})->empty());

    // Replacing keeps created_ms.
    AlarmRecord changed = a;
    changed.status.acked = false;
    changed.createdMs = 0;
    ITAP_VERIFY_OK(store->writeAlarm(changed));
    auto after = store->readAlarms({{a.id}, {}});
    QCOMPARE(after->front().createdMs, a.createdMs);
    QVERIFY(!after->front().status.acked);

    JournalEntry e;
    e.alarmId = a.id;
    e.atMs = kT0 + 7;
    e.operatorName = QStringLiteral("Zoë");
    e.action = AlarmAction::Shelve;
    e.fromState = AlarmState::ActiveAcked;
    e.toState = AlarmState::Shelved;
    e.note = QStringLiteral("line 1\nline 2, \"quoted\"");
    e.detailJson = QStringLiteral("{\"until\":\"2026-01-01T02:00:00Z\"}");
    auto first = store->appendJournal(e);
    QVERIFY(first);
    JournalEntry raise = e;
    raise.alarmId = b.id;
    raise.action = AlarmAction::Raise;
    raise.fromState.reset();
    raise.toState = AlarmState::Event;
    auto second = store->appendJournal(raise);
    QVERIFY(second);
    QVERIFY(*second > *first);
    auto rows = store->readJournal({});
    QVERIFY(rows);
    QCOMPARE(rows->size(), std::size_t(2));
    QCOMPARE(rows->at(0).id, *first);
    QCOMPARE(rows->at(0).alarmId, e.alarmId);
    QCOMPARE(rows->at(0).atMs, e.atMs);
    QCOMPARE(rows->at(0).operatorName, e.operatorName);
    QCOMPARE(rows->at(0).action, e.action);
    QCOMPARE(rows->at(0).fromState, e.fromState);
    QCOMPARE(rows->at(0).toState, e.toState);
    QCOMPARE(rows->at(0).note, e.note);
    QCOMPARE(rows->at(0).detailJson, e.detailJson);
    QVERIFY(!rows->at(1).fromState);
    QCOMPARE(store->readJournal(b.id)->size(), std::size_t(1));
    QVERIFY(store->readJournal(QStringLiteral("nope"))->empty());
}

void StoreCases::journalRefusesWhatItCannotRead() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("refuse.db")), &catalog);
    QVERIFY(store);
    JournalEntry orphan;
    orphan.alarmId = QStringLiteral("never-stored");
    orphan.operatorName = QStringLiteral("op");
    // The detail must be a JSON object and the operator named; the journal never holds what it cannot read.
    JournalEntry badDetail = orphan;
    badDetail.detailJson = QStringLiteral("[1, 2]");
    QCOMPARE(store->appendJournal(badDetail).error().kind, Error::Kind::BadInput);
    JournalEntry noOperator = orphan;
    noOperator.operatorName.clear();
    QCOMPARE(store->appendJournal(noOperator).error().kind, Error::Kind::BadInput);
    AlarmRecord noId;
    QCOMPARE(store->writeAlarm(noId).error().kind, Error::Kind::BadInput);
    withConnection(spec(QStringLiteral("refuse.db")), [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(!q.exec(QStringLiteral(
            "INSERT INTO alarms (id, device_id, first_start_ms, span_end_ms, start_ms, raised_ms, end_ms, "
            "cleared_ms, peak_ms, peak_score, cause, rule_id, priority, kind, suppression, active, acked, "
            "state, "
            "reopened, created_ms, updated_ms) VALUES ('x', 'd', 0, 0, 0, 0, 0, -1, 0, 0, '', '', 'INFO', "
            "'alarm', '', 1, 0, 'bogus', 0, 0, 0)")));
        QCOMPARE(countRows(db, QStringLiteral("alarms")), qint64(0));
        QCOMPARE(countRows(db, QStringLiteral("alarm_journal")), qint64(0));
    });
}

void StoreCases::journalActionIsAllOrNothing() {
    const SensorCatalog catalog = testCatalog();
    const QString path = spec(QStringLiteral("atomic.db"));
    auto store = openOrFail(path, &catalog);
    QVERIFY(store);
    AlarmJournal journal(*store);
    std::vector<Alert> incidents = {makeIncident(QStringLiteral("A"), kT0, kT0 + 60'000, -1),
                                    makeIncident(QStringLiteral("B"), kT0, kT0 + 60'000, -1)};
    ITAP_VERIFY_OK(journal.record(incidents, kT0 + kHour));
    const qint64 rowsBefore = qint64(store->readJournal({})->size());
    OperatorAction ack;
    ack.action = AlarmAction::Acknowledge;
    ack.operatorName = QStringLiteral("op");
    auto failed = journal.act({incidents[0].id, QStringLiteral("nope"), incidents[1].id}, ack, kT0 + kHour);
    QVERIFY(!failed);
    QCOMPARE(failed.error().kind, Error::Kind::BadInput);
    QVERIFY(failed.error().message.contains(QLatin1String("nope")));
    QCOMPARE(qint64(store->readJournal({})->size()), rowsBefore);
    auto untouched = store->readAlarms({});
    QVERIFY(untouched);
    for (const auto& a : *untouched) QCOMPARE(a.state(), AlarmState::ActiveUnacked);
    // An action one alarm refuses (the second is an event once it is re-derived as one) leaves the first
    // alone.
    incidents[1].kind = IncidentKind::Event;
    ITAP_VERIFY_OK(journal.record(incidents, kT0 + kHour));
    const qint64 rowsNow = qint64(store->readJournal({})->size());
    QVERIFY(!journal.act({incidents[0].id, incidents[1].id}, ack, kT0 + kHour));
    QCOMPARE(qint64(store->readJournal({})->size()), rowsNow);
    QCOMPARE(store->readAlarms({{incidents[0].id}, {}})->front().state(), AlarmState::ActiveUnacked);
    // The store is usable afterwards (the stage was rolled back, not left open).
    auto done = journal.act({incidents[0].id}, ack, kT0 + kHour);
    QVERIFY2(done, done ? "" : qPrintable(done.error().toString()));
    QCOMPARE(store->readAlarms({{incidents[0].id}, {}})->front().state(), AlarmState::ActiveAcked);
}

// Two operators acknowledge the same alarm at once, each through their own connection: both succeed and the
// journal shows both, the first as the transition and the second as an acknowledgement of an acknowledged
// alarm.
void StoreCases::concurrentAcknowledgementsBothSucceed() {
    const SensorCatalog catalog = testCatalog();
    const QString path = spec(QStringLiteral("concurrent.db"));
    QString id;
    {
        auto store = openOrFail(path, &catalog);
        QVERIFY(store);
        std::vector<Alert> incidents = {makeIncident(QStringLiteral("A"), kT0, kT0 + 60'000, -1)};
        ITAP_VERIFY_OK(AlarmJournal(*store).record(incidents, kT0 + kHour));
        id = incidents[0].id;
    }
    constexpr int kRounds = 5;
    for (int round = 0; round < kRounds; ++round) {
        const QStringList operators = {QStringLiteral("alice"), QStringLiteral("bob")};
        std::latch start(2);
        std::vector<QString> errors(2);
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i)
            threads.emplace_back([&, i] {
                auto store = Store::open(path, nullptr);  // a connection of this thread
                start.arrive_and_wait();
                if (!store) {
                    errors[std::size_t(i)] = store.error().toString();
                    return;
                }
                OperatorAction ack;
                ack.action = AlarmAction::Acknowledge;
                ack.operatorName = operators[i];
                auto done = AlarmJournal(**store).act({id}, ack, kT0 + kHour + round);
                if (!done)
                    errors[std::size_t(i)] = done.error().toString();
            });
        for (auto& t : threads) t.join();
        for (const QString& e : errors) QVERIFY2(e.isEmpty(), qPrintable(e));
    }
    auto store = openOrFail(path, nullptr);
    QVERIFY(store);
    auto rows = store->readJournal(id);
    QVERIFY(rows);
    QCOMPARE(rows->size(), std::size_t(1 + 2 * kRounds));
    int transitions = 0;
    QStringList who;
    for (const auto& r : *rows) {
        if (r.action != AlarmAction::Acknowledge)
            continue;
        who << r.operatorName;
        QCOMPARE(r.toState, AlarmState::ActiveAcked);
        if (r.fromState == AlarmState::ActiveUnacked)
            ++transitions;
    }
    QCOMPARE(transitions, 1);
    QCOMPARE(who.count(QStringLiteral("alice")), kRounds);
    QCOMPARE(who.count(QStringLiteral("bob")), kRounds);
}

// What a second console's poll relies on: Store::latestJournalId() on another connection moves with every
// committed action (and only then), and the alarms read after it show the action. Prints how long one poll
// (the id, then the alarms) takes on this backend.
void StoreCases::journalChangeIsSeenByAnotherConnection() {
    const SensorCatalog catalog = testCatalog();
    const QString path = spec(QStringLiteral("poll.db"));
    auto first = openOrFail(path, &catalog);
    QVERIFY(first);
    auto second = openOrFail(path, nullptr);
    QVERIFY(second);
    QCOMPARE(*second->latestJournalId(), qint64(0));
    std::vector<Alert> incidents = {makeIncident(QStringLiteral("A"), kT0, kT0 + 60'000, -1),
                                    makeIncident(QStringLiteral("B"), kT0, kT0 + 60'000, -1)};
    ITAP_VERIFY_OK(AlarmJournal(*first).record(incidents, kT0 + kHour));
    const qint64 recorded = *second->latestJournalId();
    QCOMPARE(recorded, qint64(first->readJournal({})->back().id));

    OperatorAction ack;
    ack.action = AlarmAction::Acknowledge;
    ack.operatorName = QStringLiteral("alice");
    auto acked = AlarmJournal(*first).act({incidents[0].id}, ack, kT0 + kHour + 1);
    ITAP_VERIFY_OK(acked);
    QElapsedTimer poll;
    poll.start();
    auto seen = second->latestJournalId();
    auto alarms = AlarmJournal(*second).alarms(kT0 + kHour + 2);
    const qint64 pollUs = poll.nsecsElapsed() / 1000;
    ITAP_VERIFY_OK(seen);
    ITAP_VERIFY_OK(alarms);
    QCOMPARE(*seen, acked->back().id);
    QVERIFY(*seen > recorded);
    const auto a = std::find_if(alarms->begin(), alarms->end(),
                                [&](const AlarmRecord& r) { return r.id == incidents[0].id; });
    QVERIFY(a != alarms->end());
    QCOMPARE(a->state(), AlarmState::ActiveAcked);
    qInfo("one poll on the second connection (newest journal id + every alarm): %lld us", pollUs);

    // A refused action writes nothing, so the poll sees no change.
    auto refused = AlarmJournal(*first).act({QStringLiteral("nope")}, ack, kT0 + kHour + 3);
    QVERIFY(!refused);
    QCOMPARE(*second->latestJournalId(), *seen);
    // A shelf from the other side arrives the same way.
    OperatorAction shelve;
    shelve.action = AlarmAction::Shelve;
    shelve.operatorName = QStringLiteral("bob");
    shelve.note = QStringLiteral("sensor swap");
    shelve.shelveUntilMs = kT0 + 2 * kHour;
    ITAP_VERIFY_OK(AlarmJournal(*second).act({incidents[1].id}, shelve, kT0 + kHour + 4));
    QVERIFY(*first->latestJournalId() > *seen);
    QCOMPARE(first->readAlarms({{incidents[1].id}, {}})->front().state(), AlarmState::Shelved);
}

namespace {

ThresholdChange thresholdChange(const QString& model, double from, double to) {
    ThresholdChange c;
    c.modelId = model;
    c.atMs = kT0 + kHour;
    c.operatorName = QStringLiteral("alice");
    c.fromThreshold = from;
    c.toThreshold = to;
    return c;
}

}  // namespace

// A database written by a build with the alarm journal (schema version 2) gains threshold_changes in place:
// its telemetry, alarms and journal rows stay, and changes can be recorded afterwards.
void StoreCases::thresholdChangesMigrateFromVersion2() {
    const QString path = spec(QStringLiteral("v2.db"));
    const SensorCatalog catalog = testCatalog();
    const TelemetryBatch batch = makeBatch({"A", "B"}, 40);
    {
        auto store = openOrFail(path, &catalog);
        QVERIFY(store);
        ITAP_VERIFY_OK(store->insertBatch(batch));
        std::vector<Alert> incidents = {makeIncident(QStringLiteral("A"), kT0, kT0 + 60'000, -1)};
        ITAP_VERIFY_OK(AlarmJournal(*store).record(incidents, kT0 + kHour));
    }
    withConnection(path, [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("DROP TABLE threshold_changes")));
        QVERIFY(q.exec(QStringLiteral("DELETE FROM schema_meta WHERE version > 2")));
        QCOMPARE(countRows(db, QStringLiteral("schema_meta")), qint64(2));
    });
    {
        auto store = openOrFail(path, nullptr);
        QVERIFY(store);
        QCOMPARE(*store->schemaVersion(), 3);
        QCOMPARE(*store->rowCount(), qint64(batch.rowCount()));
        QCOMPARE(store->readAlarms({})->size(), std::size_t(1));
        QCOMPARE(store->readJournal({})->size(), std::size_t(1));
        auto changes = store->readThresholdChanges({});
        QVERIFY(changes);
        QVERIFY(changes->empty());
        ITAP_VERIFY_OK(AlarmJournal(*store).recordThresholdChange(thresholdChange("m1", 0.6, 0.65)));
    }
    withConnection(path, [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT version, summary FROM schema_meta ORDER BY version")));
        for (int v = 1; v <= 3; ++v) {
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), v);
        }
        QVERIFY(q.value(1).toString().contains(QLatin1String("threshold_changes")));
        QVERIFY(!q.next());
        QCOMPARE(countRows(db, QStringLiteral("threshold_changes")), qint64(1));
        QCOMPARE(countRows(db, QStringLiteral("alarm_journal")), qint64(1));
    });
    // The change survives a restart.
    auto again = openOrFail(path, nullptr);
    QVERIFY(again);
    auto operating = AlarmJournal(*again).operatingThreshold(QStringLiteral("m1"));
    QVERIFY(operating);
    QVERIFY(operating->has_value());
    QCOMPARE((*operating)->toThreshold, 0.65);
}

void StoreCases::thresholdChangesRoundTrip() {
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("thresholds.db")), &catalog);
    QVERIFY(store);
    AlarmJournal journal(*store);
    auto none = journal.operatingThreshold(QStringLiteral("m1"));
    QVERIFY(none);
    QVERIFY(!none->has_value());

    ThresholdChange first = thresholdChange("m1", 0.6123456789012345, 0.6498765432109876);
    first.operatorName = QStringLiteral("  Zoë ");
    first.note = QStringLiteral("fewer chattering alarms, \"quoted\"\nsecond line");
    auto a = journal.recordThresholdChange(first);
    QVERIFY2(a, a ? "" : qPrintable(a.error().toString()));
    QCOMPARE(a->operatorName, QStringLiteral("Zoë"));  // stored trimmed
    auto b = journal.recordThresholdChange(thresholdChange("m2", 0.5, 0.55));
    QVERIFY(b);
    auto c = journal.recordThresholdChange(thresholdChange("m1", 0.6498765432109876, 0.58));
    QVERIFY(c);
    QVERIFY(a->id < b->id && b->id < c->id);

    auto all = journal.thresholdChanges();
    QVERIFY(all);
    QCOMPARE(all->size(), std::size_t(3));
    const ThresholdChange& r = all->front();
    QCOMPARE(r.id, a->id);
    QCOMPARE(r.modelId, QStringLiteral("m1"));
    QCOMPARE(r.atMs, kT0 + kHour);
    QCOMPARE(r.operatorName, QStringLiteral("Zoë"));
    QCOMPARE(r.fromThreshold, 0.6123456789012345);  // exact: the console compares with the analysis' own
    QCOMPARE(r.toThreshold, 0.6498765432109876);
    QCOMPARE(r.note, first.note);
    auto m1 = journal.thresholdChanges(QStringLiteral("m1"));
    QVERIFY(m1);
    QCOMPARE(m1->size(), std::size_t(2));
    QCOMPARE(m1->back().id, c->id);
    QVERIFY(journal.thresholdChanges(QStringLiteral("nope"))->empty());
    // The latest change of a model is its operating threshold.
    QCOMPARE((*journal.operatingThreshold(QStringLiteral("m1")))->toThreshold, 0.58);
    QCOMPARE((*journal.operatingThreshold(QStringLiteral("m2")))->toThreshold, 0.55);
    QVERIFY(!journal.operatingThreshold(QStringLiteral("m3"))->has_value());
}

void StoreCases::thresholdChangeRefusesBadInput_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no operator") << "operator:"
                                 << "operator name must not be empty";
    QTest::newRow("reserved operator") << "operator:system"
                                       << "reserved";
    QTest::newRow("no model") << "model:"
                              << "model's id";
    QTest::newRow("threshold above 1") << "to:1.5"
                                       << "not a score threshold";
    QTest::newRow("negative threshold") << "from:-0.1"
                                        << "not a score threshold";
    QTest::newRow("not a number") << "to:nan"
                                  << "not a score threshold";
    QTest::newRow("infinite") << "to:inf"
                              << "not a score threshold";
    QTest::newRow("unchanged") << "to:0.6"
                               << "already";
    QTest::newRow("blank note") << "note: "
                                << "note must not be empty";
}

void StoreCases::thresholdChangeRefusesBadInput() {
    QFETCH(QString, field);
    QFETCH(QString, expected);
    const SensorCatalog catalog = testCatalog();
    auto store = openOrFail(spec(QStringLiteral("bad-threshold.db")), &catalog);
    QVERIFY(store);
    ThresholdChange change = thresholdChange("m1", 0.6, 0.65);
    const QString key = field.section(QLatin1Char(':'), 0, 0);
    const QString value = field.section(QLatin1Char(':'), 1);
    if (key == QLatin1String("operator"))
        change.operatorName = value;
    else if (key == QLatin1String("model"))
        change.modelId = value;
    else if (key == QLatin1String("note"))
        change.note = value;
    else {
        const double number = value == QLatin1String("nan")   ? std::numeric_limits<double>::quiet_NaN()
                              : value == QLatin1String("inf") ? std::numeric_limits<double>::infinity()
                                                              : value.toDouble();
        (key == QLatin1String("to") ? change.toThreshold : change.fromThreshold) = number;
    }
    auto refused = AlarmJournal(*store).recordThresholdChange(change);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::BadInput);
    QVERIFY2(refused.error().message.contains(expected), qPrintable(refused.error().message));
    QVERIFY(store->readThresholdChanges({})->empty());
}

}  // namespace itap::test
