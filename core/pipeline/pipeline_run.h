#pragma once

// The console's pipeline run: simulate, ingest or import into a database, train, score and analyse, with one
// progress fraction for the whole run. Plain functions on the calling thread; ui/pipeline_controller.h runs
// them on a worker.

#include "importer/import_mapping.h"
#include "importer/importer.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/simulation_profile.h"
#include "telemetry/simulation_summary.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace itap {

/// What one pipeline run does: simulate a fleet into a database, or analyse a database that already holds
/// one.
struct PipelineRequest {
    enum class Source {
        Simulate,   ///< simulate → CSV beside the database → validate + ingest → train → score
        Database,   ///< the stored telemetry of `databasePath` → train → score
        ImportCsv,  ///< validate + ingest `csvPath` into `databasePath` (created when missing) → train →
                    ///< score
        ImportMapped,  ///< import `importFiles` through `mapping` (Importer::importInto) into `databasePath`
                       ///< (created with the mapping's catalog when missing) → train → score
    };
    Source source = Source::Database;
    QString databasePath;  ///< SQLite file (or any Store::open spec for Source::Database)
    bool replaceDatabase =
        false;                ///< Simulate: delete an existing file first, so the fleet is fresh, not merged
    QString csvPath;          ///< ImportCsv only: canonical telemetry CSV
    QStringList importFiles;  ///< ImportMapped only: foreign CSV files of one layout, in import order
    std::optional<ImportMapping> mapping;  ///< ImportMapped only (required there)
    /// ImportCsv, ImportMapped: store the valid rows of a file with unparsable rows (as --skip-invalid)
    bool skipInvalid = false;
    SimulationProfile profile;  ///< Simulate only
    TrainConfig train;
    AnalysisOptions analysis;
};

/// An operating threshold an operator applied to the run's model before (the journal's latest threshold
/// change of its model id, AlarmJournal::operatingThreshold()), and the analysis re-derived at it.
struct AppliedThreshold {
    ThresholdChange change;
    Analysis analysis;  ///< reanalyseAt(change.toThreshold) of the run's own analysis
};

/// Everything a finished run produced. Built on the worker thread, then only read (GUI thread, export).
struct PipelineResult {
    QString databasePath;
    QString csvPath;  ///< the simulated or imported CSV; empty for Source::Database
    std::optional<SimulationSummary> simulation;  ///< Simulate only
    std::optional<IngestOutcome> ingest;       ///< Simulate and ImportCsv: validation report and ingest run
    std::optional<ImportReport> importReport;  ///< ImportMapped: rows, rejections, unmapped columns per file
    qint64 storedRows = 0;                     ///< telemetry rows in the database after the run
    SensorCatalog catalog;                     ///< the database's catalog
    ScoredFleet scored;                        ///< model, features, scores and the analysis
    AnalysisOptions analysis;                  ///< the options the analysis ran with (export, re-analysis)
    /// How the run met the alarm journal: Record on a writable database (as `itap run`), ReadOnly otherwise.
    /// Either way scored.analysis.alerts carry their stable alarm ids.
    JournalUse journalUse = JournalUse::ReadOnly;
    RecordSummary journal;  ///< what recording did (all zero with ReadOnly)
    /// Every alarm of the journal after the run (AlarmJournal::alarms()): state, acknowledgement, shelf and
    /// verdict, found by Alert::id.
    std::vector<AlarmRecord> alarms;
    /// Set when the database records another operating threshold for the model than the one the analysis
    /// chose: the console starts at it. scored.analysis stays the analysis at the chosen threshold.
    std::optional<AppliedThreshold> applied;
};

/// The conflicts of one file a run ingested or imported: rows stored before with other values.
struct FileConflicts {
    QString file;
    ConflictTally conflicts;
};

/// The files of `result`'s ingest or import that met conflicts, in the order they were stored; empty when
/// none did (or the run stored nothing). What `itap ingest` and `itap import` warn about.
[[nodiscard]] std::vector<FileConflicts> conflictsOf(const PipelineResult& result);

/// Overall progress of a run: fraction in [0, 1] and the stage being worked on. Returns false to stop.
using PipelineProgressFn = std::function<bool(double fraction, const QString& stage)>;

/// Runs every stage of `request` on the calling thread, with the same core functions as `itap run`: the
/// incidents are recorded in the alarm journal when the database is writable (applyAlarmJournal()).
/// The Store is opened here, so call it on the thread that should own the connection.
[[nodiscard]] Result<PipelineResult> runPipeline(const PipelineRequest& request,
                                                 const PipelineProgressFn& progress);

/// Writes the JSON artifacts of `analysis` (the run's own, or one re-derived at another threshold) with
/// itap::writeArtifacts, validation_report.json when the run ingested a file, import_report.json when it
/// imported through a mapping, and the model file
/// `model.itapm` carrying analysis.threshold, into `dir`. Returns the paths written.
[[nodiscard]] Result<QStringList> exportArtifacts(const PipelineResult& result, const Analysis& analysis,
                                                  const QString& dir);

}  // namespace itap
