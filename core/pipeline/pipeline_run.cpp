#include "pipeline/pipeline_run.h"

#include "alarms/alarm_journal.h"
#include "common/json_util.h"
#include "pipeline/reanalysis.h"
#include "storage/store.h"
#include "telemetry/fleet_simulator.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

// The operator-facing texts keep the console's translation context, so its German translation applies.
namespace itap {
namespace {

// Maps a core stage's (done, total) onto its slice [from, to] of the whole run.
ProgressFn stageSink(const PipelineProgressFn& progress, double from, double to, const QString& stage) {
    return [&progress, from, to, stage](qint64 done, qint64 total, const QString& message) {
        if (!progress)
            return true;
        const double f = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
        return progress(from + (to - from) * f,
                        message.isEmpty() ? stage : stage + QStringLiteral(" — ") + message);
    };
}

// The SQLite file and its WAL companions, so a replaced database does not resurrect old pages.
Status removeDatabaseFiles(const QString& path) {
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        const QString file = path + suffix;
        if (QFileInfo::exists(file) && !QFile::remove(file))
            return Error::failure(
                QCoreApplication::translate("itap::PipelineController", "cannot replace the database file"),
                file);
    }
    return {};
}

// The operating threshold an operator applied to this model before wins over the one the analysis chose.
Status applyRecordedThreshold(Store& store, PipelineResult& out) {
    auto recorded = AlarmJournal(store).operatingThreshold(out.scored.fleet.table.modelId);
    if (!recorded)
        return recorded.error();
    if (!*recorded || (*recorded)->toThreshold == out.scored.analysis.threshold)
        return {};
    AppliedThreshold applied{**recorded, {}};
    applied.analysis = reanalyseAt(out.scored.fleet, out.scored.model, out.scored.analysis,
                                   applied.change.toThreshold, out.analysis, out.catalog);
    out.applied = std::move(applied);
    return {};
}

}  // namespace

std::vector<FileConflicts> conflictsOf(const PipelineResult& result) {
    std::vector<FileConflicts> out;
    if (result.ingest && result.ingest->conflicts.count > 0)
        out.push_back({result.ingest->report.fileName(), result.ingest->conflicts});
    if (result.importReport)
        for (const ImportFileReport& f : result.importReport->files)
            if (f.conflicts.count > 0)
                out.push_back({f.file, f.conflicts});
    return out;
}

Result<PipelineResult> runPipeline(const PipelineRequest& request, const PipelineProgressFn& progress) {
    const bool simulate = request.source == PipelineRequest::Source::Simulate;
    auto enter = [&](double fraction, const QString& stage) {
        return !progress || progress(fraction, stage);
    };

    PipelineResult out;
    out.databasePath = request.databasePath;
    out.analysis = request.analysis;
    if (request.databasePath.isEmpty())
        return Error::badInput(QCoreApplication::translate("itap::PipelineController", "no database given"));

    std::unique_ptr<Store> store;
    auto openStore = [&](const SensorCatalog* catalog) -> Status {
        auto opened = Store::open(request.databasePath, catalog);
        if (!opened)
            return opened.error();
        store = std::move(opened).value();
        return {};
    };
    // Each stage that writes telemetry runs inside one store stage: Cancel (or a failure) rolls it back, so
    // the database is left as it was before the stage; success commits it whole.
    auto asOneStage = [&](auto&& stage) -> Status {
        if (Status s = store->beginStage(); !s)
            return s;
        if (Status s = stage(); !s) {
            (void)store->rollbackStage();  // the stage's own error is the one to report
            return s;
        }
        return store->commitStage();
    };
    // Ingests out.csvPath as one stage, its progress mapped onto [from, to] of the run.
    auto ingestAsOneStage = [&](const IngestOptions& options, double from, double to, const QString& stage) {
        return asOneStage([&]() -> Status {
            auto outcome = ingestFile(out.csvPath, *store, options, stageSink(progress, from, to, stage));
            if (!outcome)
                return outcome.error();
            out.ingest = std::move(outcome).value();
            return {};
        });
    };
    if (simulate) {
        if (Status s = request.profile.validate(); !s)
            return s.error();
        const QFileInfo db(request.databasePath);
        if (!QDir().mkpath(db.absolutePath()))
            return Error::failure(
                QCoreApplication::translate("itap::PipelineController", "cannot create the directory"),
                db.absolutePath());
        if (request.replaceDatabase)
            if (Status s = removeDatabaseFiles(request.databasePath); !s)
                return s.error();
        out.csvPath = db.absoluteDir().filePath(db.completeBaseName() + QStringLiteral(".csv"));

        const QString simulating =
            QCoreApplication::translate("itap::PipelineController", "Simulating fleet");
        if (!enter(0.0, simulating))
            return Error::cancelled();
        const SensorCatalog catalog = SensorCatalog::defaults();
        auto summary = FleetSimulator(request.profile, catalog)
                           .writeCsv(out.csvPath, stageSink(progress, 0.0, 0.2, simulating));
        if (!summary)
            return summary.error();
        out.simulation = std::move(summary).value();

        if (Status s = openStore(&catalog); !s)
            return s.error();
        const QString ingesting =
            QCoreApplication::translate("itap::PipelineController", "Validating and ingesting");
        if (!enter(0.2, ingesting))
            return Error::cancelled();
        if (Status s = ingestAsOneStage(IngestOptions{}, 0.2, 0.45, ingesting); !s)
            return s.error();
    } else if (request.source == PipelineRequest::Source::ImportCsv) {
        out.csvPath = request.csvPath;
        const SensorCatalog catalog = SensorCatalog::defaults();
        if (Status s = openStore(&catalog); !s)
            return s.error();
        const QString ingesting =
            QCoreApplication::translate("itap::PipelineController", "Validating and ingesting");
        if (!enter(0.0, ingesting))
            return Error::cancelled();
        IngestOptions options;
        options.skipInvalid = request.skipInvalid;
        if (Status s = ingestAsOneStage(options, 0.0, 0.3, ingesting); !s)
            return s.error();
    } else if (request.source == PipelineRequest::Source::ImportMapped) {
        if (!request.mapping)
            return Error::badInput(
                QCoreApplication::translate("itap::PipelineController", "no import mapping given"));
        const Importer importer(*request.mapping);
        // A new database takes the mapping's channels as its catalog; an existing one must already hold them.
        if (Status s = openStore(&importer.catalog()); !s)
            return s.error();
        const QString importing =
            QCoreApplication::translate("itap::PipelineController", "Importing through the mapping");
        if (!enter(0.0, importing))
            return Error::cancelled();
        ImportOptions options;
        options.skipInvalid = request.skipInvalid;
        if (Status s = asOneStage([&]() -> Status {
                auto report = importer.importInto(*store, request.importFiles, options,
                                                  stageSink(progress, 0.0, 0.3, importing));
                if (!report)
                    return report.error();
                out.importReport = std::move(report).value();
                return {};
            });
            !s)
            return s.error();
    } else {
        if (Status s = openStore(nullptr); !s)
            return s.error();
    }
    out.catalog = store->catalog();
    auto rows = store->rowCount();
    if (!rows)
        return rows.error();
    if (*rows == 0)
        return Error::badInput(
            QCoreApplication::translate("itap::PipelineController", "the database holds no telemetry"),
            request.databasePath);
    out.storedRows = *rows;

    // Slices of the progress bar roughly proportional to each stage's work.
    const bool imported = request.source == PipelineRequest::Source::ImportCsv ||
                          request.source == PipelineRequest::Source::ImportMapped;
    const double trainFrom = simulate ? 0.45 : imported ? 0.3 : 0.0;
    const double scoreFrom = simulate ? 0.75 : imported ? 0.65 : 0.5;
    const QString training = QCoreApplication::translate("itap::PipelineController", "Training model");
    if (!enter(trainFrom, training))
        return Error::cancelled();
    auto trained = trainModel(*store, request.train, stageSink(progress, trainFrom, scoreFrom, training));
    if (!trained)
        return trained.error();

    const QString scoring = QCoreApplication::translate("itap::PipelineController", "Scoring and analysing");
    if (!enter(scoreFrom, scoring))
        return Error::cancelled();
    auto scored = scoreWithModel(*store, std::move(trained->model), request.analysis,
                                 stageSink(progress, scoreFrom, 1.0, scoring), &trained->fleet);
    if (!scored)
        return scored.error();
    // The saved model remembers the operating threshold it was analysed at, as `itap run` does.
    scored->model.setThreshold(scored->analysis.threshold);
    out.scored = std::move(scored).value();
    // A threshold an operator applied to this model before is the operating one: its analysis is derived
    // first, so that the journal records the incidents the console shows.
    if (Status s = applyRecordedThreshold(*store, out); !s)
        return s.error();
    // The incidents become alarms with stable ids, as `itap run` records them; a database the console may
    // only read gets the ids without a write.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    out.journalUse = store->isReadOnly() ? JournalUse::ReadOnly : JournalUse::Record;
    Analysis& shown = out.applied ? out.applied->analysis : out.scored.analysis;
    auto journaled = applyAlarmJournal(*store, shown, out.journalUse, now);
    if (!journaled)
        return journaled.error();
    out.journal = *journaled;
    if (out.applied)  // the run's own derivation gets the ids of the same episodes, without a second record
        if (auto ids = applyAlarmJournal(*store, out.scored.analysis, JournalUse::ReadOnly, now); !ids)
            return ids.error();
    auto alarms = AlarmJournal(*store).alarms(now);
    if (!alarms)
        return alarms.error();
    out.alarms = std::move(alarms).value();
    if (!enter(1.0, QCoreApplication::translate("itap::PipelineController", "Done")))
        return Error::cancelled();
    return out;
}

Result<QStringList> exportArtifacts(const PipelineResult& result, const Analysis& analysis,
                                    const QString& dir) {
    AnalysisOptions options = result.analysis;
    if (analysis.threshold != result.scored.analysis.threshold)
        options.threshold = analysis.threshold;
    auto written = writeArtifacts(dir, result.scored.fleet, analysis, options);
    if (!written)
        return written.error();
    const QDir out(dir);
    if (result.ingest) {
        const QString report = out.filePath(QStringLiteral("validation_report.json"));
        if (Status s = writeFileAtomic(report, toJsonBytes(result.ingest->report.toJson())); !s)
            return s.error();
        written->prepend(report);
    }
    if (result.importReport) {
        const QString report = out.filePath(QStringLiteral("import_report.json"));
        if (Status s = writeFileAtomic(report, toJsonBytes(result.importReport->toJson())); !s)
            return s.error();
        written->prepend(report);
    }
    const QString modelPath = out.filePath(QStringLiteral("model.itapm"));
    AnomalyModel model = result.scored.model;
    model.setThreshold(analysis.threshold);
    if (Status s = model.save(modelPath); !s)
        return s.error();
    written->append(modelPath);
    return written;
}

}  // namespace itap
