// The console's pipeline run (runPipeline) on databases it may only read.
#include "pipeline/pipeline_run.h"
#include "alarms/alarm_summary.h"
#include "alarms/alarm_journal.h"
#include "storage/store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <algorithm>

using namespace itap;

namespace {

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

}  // namespace

class PipelineRunTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    QString storedModelId_;
    QStringList recordedIds_;  // the alarm ids the first run gave its incidents
    RecordSummary recorded_;

private slots:
    // A small simulated fleet, trained and scored through the console's own run.
    void initTestCase() {
        QVERIFY(dir_.isValid());
        db_ = dir_.filePath(QStringLiteral("fleet.db"));
        PipelineRequest request;
        request.source = PipelineRequest::Source::Simulate;
        request.databasePath = db_;
        request.profile = SimulationProfile::defaults();
        request.profile.devices = 3;
        request.profile.hours = 2;
        auto result = runPipeline(request, {});
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
        QCOMPARE(result->journalUse, JournalUse::Record);
        recorded_ = result->journal;
        for (const Alert& a : result->scored.analysis.alerts) recordedIds_ << a.id;
        auto store = Store::open(db_, nullptr);
        QVERIFY(store.ok());
        auto id = (*store)->scoresModelId();
        QVERIFY(id.ok());
        QVERIFY(!id->isEmpty());
        storedModelId_ = *id;
    }

    // The console loads and analyses a database it may not write (a mode=ro URI, the immutable URI the
    // README suggests for read-only media, a file without write permission): the analysis is complete, the
    // stored scores and the file stay as they were. It failed with "the database is open read-only" when
    // storing the scores.
    void readOnlyDatabaseIsAnalysed_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("mode=ro") << QStringLiteral("ro");
        QTest::newRow("mode=ro&immutable=1") << QStringLiteral("immutable");
        QTest::newRow("file without write permission") << QStringLiteral("0444");
    }
    void readOnlyDatabaseIsAnalysed() {
        QFETCH(QString, how);
        QString spec;
        if (how == QLatin1String("ro")) {
            spec = QStringLiteral("file:%1?mode=ro").arg(db_);
        } else if (how == QLatin1String("immutable")) {
            spec = QStringLiteral("file:%1?mode=ro&immutable=1").arg(db_);
        } else {
            if (::geteuid() == 0)
                QSKIP(
                    "running as root: file permissions are not enforced (the URI rows cover the same path)");
            QVERIFY(QFile::setPermissions(db_, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
            spec = db_;
        }
        const QByteArray before = fileHash(db_);
        PipelineRequest request;
        request.source = PipelineRequest::Source::Database;
        request.databasePath = spec;
        auto result = runPipeline(request, {});
        if (how == QLatin1String("0444"))
            QVERIFY(QFile::setPermissions(
                db_, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
        QCOMPARE(result->storedRows, qint64(3 * 2 * 360));
        QCOMPARE(result->scored.fleet.table.size(), std::size_t(3 * 2 * 360));
        QVERIFY(!result->scored.analysis.explanations.empty() || result->scored.analysis.flagged.empty());
        QCOMPARE(fileHash(db_), before);
        auto store = Store::open(spec, nullptr);
        QVERIFY(store.ok());
        QCOMPARE(*(*store)->scoresModelId(), storedModelId_);
        // The incidents are looked up in the journal, not recorded: the ids and states of the first run.
        QCOMPARE(result->journalUse, JournalUse::ReadOnly);
        QCOMPARE(result->journal.journalRows, 0);
        QStringList ids;
        for (const Alert& a : result->scored.analysis.alerts) ids << a.id;
        QCOMPARE(ids, recordedIds_);
        QCOMPARE(int(result->alarms.size()), recorded_.newAlarms);
    }

    // The console records its incidents in the alarm journal as `itap run` does: each becomes an alarm with a
    // stable id, the result carries the journal's record of every alarm, and a run of the same database
    // again finds the same ids and adds no alarm.
    void recordsIncidentsInTheJournal() {
        QVERIFY2(!recordedIds_.isEmpty(), "the simulated fleet has no incident to record");
        QCOMPARE(recorded_.incidents, int(recordedIds_.size()));
        QCOMPARE(recorded_.newAlarms, int(recordedIds_.size()));
        QVERIFY(recorded_.journalRows >= recorded_.newAlarms);
        PipelineRequest request;
        request.source = PipelineRequest::Source::Database;
        request.databasePath = db_;
        auto again = runPipeline(request, {});
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().toString()));
        QCOMPARE(again->journalUse, JournalUse::Record);
        QCOMPARE(again->journal.newAlarms, 0);
        QStringList ids;
        for (const Alert& a : again->scored.analysis.alerts) ids << a.id;
        QCOMPARE(ids, recordedIds_);
        QCOMPARE(int(again->alarms.size()), int(recordedIds_.size()));
        for (const Alert& a : again->scored.analysis.alerts) {
            const auto r = std::find_if(again->alarms.begin(), again->alarms.end(),
                                        [&](const AlarmRecord& x) { return x.id == a.id; });
            QVERIFY2(r != again->alarms.end(), qPrintable(a.id));
            QCOMPARE(r->device, a.device);
            QCOMPARE(r->status, statusOfIncident(a));  // nobody acted: the state the incident gives it
        }
    }

    // An operator applied another threshold to the model (the console's Apply, a threshold_changes row): the
    // next run of the same model starts there, re-derived, with the analysis at the chosen threshold beside
    // it. A change recorded for another model changes nothing.
    void startsAtTheRecordedOperatingThreshold() {
        const QString db = dir_.filePath(QStringLiteral("applied.db"));
        for (const QString& suffix : {QString(), QStringLiteral("-wal")})
            if (QFile::exists(db_ + suffix))
                QVERIFY(QFile::copy(db_ + suffix, db + suffix));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto record = [&](const QString& model, double from, double to) {
            auto store = Store::open(db, nullptr);
            QVERIFY(store.ok());
            ThresholdChange change;
            change.modelId = model;
            change.atMs = now;
            change.operatorName = QStringLiteral("alice");
            change.fromThreshold = from;
            change.toThreshold = to;
            auto recorded = AlarmJournal(**store).recordThresholdChange(change);
            QVERIFY2(recorded.ok(), recorded.ok() ? "" : qPrintable(recorded.error().toString()));
        };
        record(QStringLiteral("another-model"), 0.5, 0.9);
        PipelineRequest request;
        request.source = PipelineRequest::Source::Database;
        request.databasePath = db;
        auto first = runPipeline(request, {});
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
        QVERIFY(!first->applied.has_value());
        const QString model = first->scored.fleet.table.modelId;
        QCOMPARE(model, storedModelId_);  // training is deterministic: the same model, the same id
        const double chosen = first->scored.analysis.threshold;
        const double applied = std::min(1.0, chosen + 0.02);
        record(model, chosen, applied);

        auto second = runPipeline(request, {});
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().toString()));
        QVERIFY(second->applied.has_value());
        QCOMPARE(second->applied->change.modelId, model);
        QCOMPARE(second->applied->change.operatorName, QStringLiteral("alice"));
        QCOMPARE(second->applied->change.toThreshold, applied);
        QCOMPARE(second->applied->analysis.threshold, applied);
        QCOMPARE(second->scored.analysis.threshold, chosen);
        const ScoreTable& table = second->scored.fleet.table;
        for (std::size_t row : second->applied->analysis.flagged)
            QVERIFY(double(table.score[row]) >= applied);
        QVERIFY(second->applied->analysis.flagged.size() <= second->scored.analysis.flagged.size());
    }
};

QTEST_GUILESS_MAIN(PipelineRunTest)
#include "pipeline_run_test.moc"
