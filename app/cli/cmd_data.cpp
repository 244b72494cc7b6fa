// itap generate / validate / ingest / run: getting telemetry into the store.
#include "cli/analysis_options.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/interrupt_guard.h"
#include "cli/terminal_progress.h"

#include "common/json_util.h"
#include "common/output_file.h"
#include "common/spooled_input.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"
#include "telemetry/simulation_profile.h"
#include "validation/validator.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

#include <nlohmann/json.hpp>

namespace itap::cli {
namespace {

void addCatalogOption(QCommandLineParser& p) {
    p.addOption({QStringLiteral("catalog"),
                 QStringLiteral("Sensor catalog JSON (default: the built-in catalog)."),
                 QStringLiteral("FILE")});
}

void addGenerateOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("profile"),
                 QStringLiteral("Simulation profile JSON (default: the built-in profile)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("devices"),
                 QStringLiteral("Number of devices, 1 to %1.").arg(SimulationProfile::kMaxDevices),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("hours"),
                 QStringLiteral("Simulated duration in hours, 1 to %1.").arg(SimulationProfile::kMaxHours),
                 QStringLiteral("H")});
    p.addOption(
        {QStringLiteral("interval-s"),
         QStringLiteral("Sampling interval in seconds, 1 to %1.").arg(SimulationProfile::kMaxIntervalS),
         QStringLiteral("S")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (same seed, same bytes)."),
                 QStringLiteral("K")});
    p.addOption({QStringLiteral("faults"),
                 QStringLiteral("Comma-separated fault types to inject (overheat,bearing_wear,power_spike,"
                                "sensor_dropout), or 'none'. Default: those enabled in the profile."),
                 QStringLiteral("LIST")});
    p.addOption({QStringLiteral("fault-rate-scale"), QStringLiteral("Multiply every fault rate by X."),
                 QStringLiteral("X")});
}

// Profile from --profile and the flags that override it.
std::optional<SimulationProfile> profileFromOptions(const QCommandLineParser& p, QString& error,
                                                    Error& loadError, bool& loadFailed) {
    SimulationProfile profile = SimulationProfile::defaults();
    if (p.isSet(QStringLiteral("profile"))) {
        auto loaded = SimulationProfile::load(p.value(QStringLiteral("profile")));
        if (!loaded) {
            loadError = loaded.error();
            loadFailed = true;
            return std::nullopt;
        }
        profile = std::move(loaded).value();
    }
    auto devices =
        intOption(p, QStringLiteral("devices"), profile.devices, 1, SimulationProfile::kMaxDevices, error);
    auto hours = intOption(p, QStringLiteral("hours"), profile.hours, 1, SimulationProfile::kMaxHours, error);
    auto interval = intOption(p, QStringLiteral("interval-s"), profile.intervalS, 1,
                              SimulationProfile::kMaxIntervalS, error);
    auto seed = intOption(p, QStringLiteral("seed"), qint64(profile.seed), 0,
                          std::numeric_limits<qint64>::max(), error);
    auto scale = doubleOption(p, QStringLiteral("fault-rate-scale"), 1.0, 0.0, 1000.0, error);
    if (!devices || !hours || !interval || !seed || !scale)
        return std::nullopt;
    profile.devices = int(*devices);
    profile.hours = int(*hours);
    profile.intervalS = int(*interval);
    profile.seed = quint64(*seed);
    if (p.isSet(QStringLiteral("faults"))) {
        const QString value = p.value(QStringLiteral("faults")).trimmed();
        const QStringList wanted = value == QLatin1String("none")
                                       ? QStringList()
                                       : value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& w : wanted) {
            if (!fault::all().contains(w.trimmed())) {
                error = QStringLiteral("--faults: unknown fault type '%1' (known: %2)")
                            .arg(w, fault::all().join(QStringLiteral(", ")));
                return std::nullopt;
            }
        }
        for (const QString& tag : fault::all()) {
            if (const auto type = faultTypeFromTag(tag))
                profile.episode(*type).enabled = wanted.contains(tag);
        }
    }
    profile.scaleFaultRates(*scale);
    if (Status s = profile.validate(); !s) {
        loadError = s.error();
        loadFailed = true;
        return std::nullopt;
    }
    return profile;
}

nlohmann::json summaryJson(const SimulationSummary& s, const QString& out) {
    std::map<std::string, int> episodes;
    for (const auto& e : s.episodes) ++episodes[e.tag.toStdString()];
    return {{"out", out.toStdString()}, {"rows", s.rows}, {"devices", s.devices}, {"episodes", episodes}};
}

QString episodesText(const SimulationSummary& s) {
    std::map<QString, int> episodes;
    for (const auto& e : s.episodes) ++episodes[e.tag];
    QStringList parts;
    for (const auto& [tag, n] : episodes) parts << QStringLiteral("%1 %2").arg(n).arg(tag);
    return parts.isEmpty() ? QStringLiteral("no fault episodes") : parts.join(QStringLiteral(", "));
}

}  // namespace

int runGenerate(const QStringList& args) {
    const QString cmd = QStringLiteral("generate");
    QCommandLineParser p;
    addGenerateOptions(p);
    addCatalogOption(p);
    p.addOption({QStringLiteral("out"), QStringLiteral("CSV file to write."), QStringLiteral("FILE.csv")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print a machine-readable summary on stdout.")});
    int code = 0;
    if (!parseCommand(
            p, cmd,
            QStringLiteral("Simulate a fleet with injected faults and write the canonical telemetry CSV."),
            args, code))
        return code;
    if (!p.isSet(QStringLiteral("out")))
        return usageError(cmd, QStringLiteral("--out is required"));
    if (!p.positionalArguments().isEmpty())
        return usageError(cmd,
                          QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    QString error;
    Error loadError;
    bool loadFailed = false;
    auto profile = profileFromOptions(p, error, loadError, loadFailed);
    if (loadFailed)
        return reportError(cmd, loadError);
    if (!profile)
        return usageError(cmd, error);
    auto catalog = catalogFromOption(p);
    if (!catalog)
        return reportError(cmd, catalog.error());

    const bool json = p.isSet(QStringLiteral("json"));
    const QString out = p.value(QStringLiteral("out"));
    if (Status s = checkOutputIsNotAnInput(
            out, optionValues(p, {QStringLiteral("profile"), QStringLiteral("catalog")}));
        !s)
        return reportError(cmd, s.error());
    const InterruptGuard interrupt;  // Ctrl-C stops at the next batch instead of killing the process
    TerminalProgress bar(QStringLiteral("generate"), !json);
    FleetSimulator sim(*profile, *catalog);
    auto summary = sim.writeCsv(out, InterruptGuard::withInterrupt(bar.sink()));
    bar.finish();
    if (!summary && InterruptGuard::stopped(summary.error()))
        return InterruptGuard::report(cmd, QStringLiteral("%1 was not written").arg(out));
    if (!summary)
        return reportError(cmd, summary.error());
    if (json)
        printJson(summaryJson(*summary, out));
    else
        printText(QStringLiteral("Wrote %1 rows of %2 devices to %3 (%4)")
                      .arg(summary->rows)
                      .arg(summary->devices)
                      .arg(out, episodesText(*summary)));
    return kExitOk;
}

int runValidate(const QStringList& args) {
    const QString cmd = QStringLiteral("validate");
    QCommandLineParser p;
    addCatalogOption(p);
    p.addOption({QStringLiteral("report"), QStringLiteral("Where to write validation_report.json."),
                 QStringLiteral("FILE")});
    p.addOption(
        {QStringLiteral("json"), QStringLiteral("Print the report JSON on stdout instead of the summary.")});
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Telemetry CSV to check ('-': standard input)."));
    int code = 0;
    if (!parseCommand(
            p, cmd,
            QStringLiteral("Check a telemetry CSV against the schema and the sensor catalog: types, "
                           "missing values, ranges, duplicates, order, gaps, states. Exit code 2 "
                           "when rows would be rejected."),
            args, code))
        return code;
    if (p.positionalArguments().size() != 1)
        return usageError(cmd, QStringLiteral("expected exactly one FILE"));
    if (p.isSet(QStringLiteral("report"))) {
        const QStringList inputs = p.positionalArguments() + optionValues(p, {QStringLiteral("catalog")});
        if (Status s = checkOutputIsNotAnInput(p.value(QStringLiteral("report")), inputs); !s)
            return reportError(cmd, s.error());
    }
    auto catalog = catalogFromOption(p);
    if (!catalog)
        return reportError(cmd, catalog.error());
    const bool json = p.isSet(QStringLiteral("json"));
    const InterruptGuard interrupt;  // Ctrl-C stops at the next progress check instead of killing the process
    TerminalProgress bar(QStringLiteral("validate"), !json);
    const ValidationOptions options;
    auto input = SpooledInput::open(p.positionalArguments().first(), options.reader.maxLineBytes,
                                    InterruptGuard::withInterrupt(bar.sink()));
    if (!input && InterruptGuard::stopped(input.error()))
        return InterruptGuard::report(cmd, QStringLiteral("no report was written"));
    if (!input)
        return reportError(cmd, input.error());
    auto report =
        validateFile(input->readPath(), *catalog, options, InterruptGuard::withInterrupt(bar.sink()));
    bar.finish();
    if (!report && InterruptGuard::stopped(report.error()))
        return InterruptGuard::report(cmd, QStringLiteral("no report was written"));
    if (!report)
        return reportError(cmd, input->named(report.error()));
    report->setFileName(input->name());
    if (p.isSet(QStringLiteral("report"))) {
        if (Status s = writeFileAtomic(p.value(QStringLiteral("report")), toJsonBytes(report->toJson())); !s)
            return reportError(cmd, s.error());
    }
    if (json)
        printJson(report->toJson());
    else
        printText(report->summary());
    return report->rowsRejected() > 0 ? kExitBadInput : kExitOk;
}

namespace {

nlohmann::json ingestJson(const IngestOutcome& o) {
    return {{"file", o.run.source.toStdString()},
            {"inserted", o.run.inserted},
            {"skipped_duplicates", o.run.skippedDuplicates},
            {"conflicts", o.conflicts.count},
            {"replaced", o.conflicts.replaced},
            {"conflict_examples", o.conflicts.examplesJson(o.report.fileName())},
            {"rejected", o.run.rejected},
            {"reject_reasons", nlohmann::json::parse(o.run.rejectReasonsJson.isEmpty()
                                                         ? std::string("{}")
                                                         : o.run.rejectReasonsJson.toStdString())},
            {"duration_ms", o.run.durationMs},
            {"ingest_run", o.run.id}};
}

// --json of ingest: one shape whatever the number of files.
nlohmann::json ingestSummaryJson(const nlohmann::json& files) {
    return {{"schema_version", 1}, {"files", files}};
}

QString ingestText(const IngestOutcome& o) {
    // A regular file by its name; a stream as given ("<stdin>", "/dev/fd/63"), whose last part says nothing.
    const QFileInfo source(o.run.source);
    const QString name = source.isFile() ? source.fileName() : o.run.source;
    QString text = QStringLiteral("%1: inserted %2, skipped_duplicates %3, conflicts %4, rejected %5 (%6 ms)")
                       .arg(name)
                       .arg(o.run.inserted)
                       .arg(o.run.skippedDuplicates)
                       .arg(o.conflicts.count)
                       .arg(o.run.rejected)
                       .arg(o.run.durationMs);
    if (o.run.rejected > 0)
        text += QLatin1Char('\n') + o.report.summary();
    return text;
}

// Removes the database `file` with its -wal and -shm companions when it holds no telemetry: what an ingest
// that created it and then failed leaves. `store` is closed first; null when opening failed, and then only a
// file SQLite left empty is removed. Another process that opened the new file in the meantime would lose it,
// but it would have found a database without rows either way.
void removeDatabaseFileIfEmpty(std::unique_ptr<Store>* store, const QString& file) {
    if (store != nullptr && *store) {
        auto rows = (*store)->rowCount();
        if (!rows || *rows > 0)
            return;
        store->reset();
    } else if (QFileInfo(file).size() > 0) {
        return;
    }
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(file + suffix);
}

}  // namespace

int runIngest(const QStringList& args) {
    const QString cmd = QStringLiteral("ingest");
    QCommandLineParser p;
    addStoreOptions(p);
    addCatalogOption(p);
    p.addOption(
        {QStringLiteral("skip-invalid"),
         QStringLiteral("Store the valid rows of a file with malformed rows (they are counted and reported) "
                        "instead of failing the whole file.")});
    p.addOption({QStringLiteral("report"),
                 QStringLiteral("Where to write validation_report.json (one file only)."),
                 QStringLiteral("FILE")});
    addConflictOption(p);
    addMinStoredShareOption(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print a machine-readable summary on stdout.")});
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Telemetry CSV files to store ('-': standard input)."),
                            QStringLiteral("FILE..."));
    int code = 0;
    if (!parseCommand(p, cmd,
                      QStringLiteral("Validate and store telemetry CSV files. Idempotent: re-running a file "
                                     "inserts 0 rows, an overlapping file only its new rows."),
                      args, code))
        return code;
    if (!p.isSet(QStringLiteral("db")))
        return usageError(cmd, QStringLiteral("--db is required"));
    const QStringList files = p.positionalArguments();
    if (files.isEmpty())
        return usageError(cmd, QStringLiteral("expected at least one FILE"));
    QString optionError;
    const auto onConflict = conflictPolicyOption(p, optionError);
    if (!onConflict)
        return usageError(cmd, optionError);
    const auto minShare =
        doubleOption(p, QStringLiteral("min-stored-share"), kDefaultMinStoredShare, 0.0, 1.0, optionError);
    if (!minShare)
        return usageError(cmd, optionError);
    if (p.isSet(QStringLiteral("report")) && files.size() != 1)
        return usageError(cmd, QStringLiteral("--report needs exactly one FILE"));
    if (p.isSet(QStringLiteral("report"))) {
        const QStringList inputs =
            files + optionValues(p, {QStringLiteral("catalog")}) + databaseFileOption(p);
        if (Status s = checkOutputIsNotAnInput(p.value(QStringLiteral("report")), inputs); !s)
            return reportError(cmd, s.error());
    }
    // From here on Ctrl-C stops at the next batch boundary instead of killing the process.
    const InterruptGuard interrupt;
    // An existing database keeps its catalog; --catalog must then match it.
    const QString db = p.value(QStringLiteral("db"));
    // A server database (URL) may or may not exist yet: open it with its stored catalog first, and only a new
    // one with the default (or --catalog) catalog.
    const bool url = Store::isServerUrl(db);
    // A database file this command creates is removed again when the command fails before storing a row, so a
    // failed first ingest leaves no empty database behind (a file that existed before is never removed).
    const QString dbFile = Store::filePathOf(db);
    const bool createsDbFile = !dbFile.isEmpty() && !QFileInfo::exists(dbFile);
    std::optional<SensorCatalog> catalog;
    if (p.isSet(QStringLiteral("catalog")) || (!url && !QFileInfo::exists(db))) {
        auto c = catalogFromOption(p);
        if (!c)
            return reportError(cmd, c.error());
        catalog = std::move(c).value();
    }
    auto store = Store::open(db, catalog ? &*catalog : nullptr);
    // A file without a schema (e.g. left by an ingest killed before its first commit) is created like a new
    // one; a file that is not an ITAP database fails the second open with the same error.
    if (!store && !catalog && store.error().kind == Error::Kind::BadInput) {
        auto c = catalogFromOption(p);
        if (!c)
            return reportError(cmd, c.error());
        catalog = std::move(c).value();
        store = Store::open(db, &*catalog);
    }
    if (!store) {
        if (createsDbFile)
            removeDatabaseFileIfEmpty(nullptr, dbFile);
        return reportError(cmd, store.error());
    }
    auto fail = [&](const Error& e) {
        if (createsDbFile)
            removeDatabaseFileIfEmpty(&*store, dbFile);
        return reportError(cmd, e);
    };

    const bool json = p.isSet(QStringLiteral("json"));
    IngestOptions options;
    options.skipInvalid = p.isSet(QStringLiteral("skip-invalid"));
    options.onConflict = *onConflict;
    // With --on-conflict fail nothing of the command is stored when a conflict is met: one stage for all.
    const bool staged = *onConflict == ConflictPolicy::Fail;
    if (staged) {
        if (Status s = (*store)->beginStage(); !s)
            return fail(s.error());
    }
    nlohmann::json results = nlohmann::json::array();
    qint64 keptConflicts = 0;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString& file = files[i];
        TerminalProgress bar(QStringLiteral("ingest"), !json);
        auto outcome = ingestFile(file, **store, options, InterruptGuard::withInterrupt(bar.sink()));
        bar.finish();
        if (!outcome && outcome.error().kind == Error::Kind::Cancelled && InterruptGuard::signal() != 0) {
            if (staged)
                (void)(*store)->rollbackStage();
            std::fprintf(
                stderr,
                "itap ingest: %s: interrupted; the batches stored before stay, the run is recorded as "
                "cancelled%s\n",
                qPrintable(file), qPrintable(notProcessed(files, i)));
            return InterruptGuard::exitCode();
        }
        if (!outcome) {
            if (staged)
                (void)(*store)->rollbackStage();
            Error e = outcome.error();
            e.message += notProcessed(files, i);
            return fail(e);
        }
        if (p.isSet(QStringLiteral("report"))) {
            if (Status s =
                    writeFileAtomic(p.value(QStringLiteral("report")), toJsonBytes(outcome->report.toJson()));
                !s)
                return fail(s.error());
        }
        if (json)
            results.push_back(ingestJson(*outcome));
        else
            printText(ingestText(*outcome));
        warnConflicts(cmd, outcome->report.fileName(), outcome->conflicts);
        keptConflicts += outcome->conflicts.count - outcome->conflicts.replaced;
        if (Status s = checkStoredShare(outcome->report.fileName(), outcome->report.rowsRead(),
                                        outcome->report.rowsAccepted(), *minShare);
            !s) {
            if (staged)
                (void)(*store)->commitStage();
            if (json)
                printJson(ingestSummaryJson(results));
            Error e = s.error();
            e.message += notProcessed(files, i);
            return fail(e);
        }
    }
    if (staged) {
        if (Status s = (*store)->commitStage(); !s)
            return fail(s.error());
    }
    if (json)
        printJson(ingestSummaryJson(results));
    // Kept conflicts are corrections that were not stored: a distinct exit code unless asked for explicitly.
    if (keptConflicts > 0 && !p.isSet(QStringLiteral("on-conflict"))) {
        std::fprintf(stderr,
                     "itap ingest: %lld conflicting rows were not stored; use --on-conflict replace to store "
                     "the new values or --on-conflict keep to accept the stored ones\n",
                     static_cast<long long>(keptConflicts));
        return kExitConflict;
    }
    return kExitOk;
}

int runRun(const QStringList& args) {
    const QString cmd = QStringLiteral("run");
    QCommandLineParser p;
    addGenerateOptions(p);
    addCatalogOption(p);
    addStoreOptions(p);
    // --seed seeds both the simulation and the forest; --label-free comes with the analysis options.
    addTrainOptions(p, /*withSeed=*/false, /*withLabelFree=*/false);
    addAnalysisOptions(p, /*withThreads=*/false);
    p.addOption({QStringLiteral("out"),
                 QStringLiteral("Directory for the CSV, the model and the JSON artifacts "
                                "(default: itap-out)."),
                 QStringLiteral("DIR")});
    p.addOption(
        {QStringLiteral("json"), QStringLiteral("Print a machine-readable summary instead of the report.")});
    int code = 0;
    if (!parseCommand(
            p, cmd,
            QStringLiteral("Run every stage: generate -> validate -> ingest -> features -> train -> "
                           "score -> explain -> alerts -> artifacts. The database defaults to "
                           "<out>/fleet.db."),
            args, code))
        return code;
    QString error;
    Error loadError;
    bool loadFailed = false;
    auto profile = profileFromOptions(p, error, loadError, loadFailed);
    if (loadFailed)
        return reportError(cmd, loadError);
    if (!profile)
        return usageError(cmd, error);
    auto trainConfig = trainConfigFromOptions(p, error);
    if (!trainConfig)
        return usageError(cmd, error);
    auto analysisOptions = analysisOptionsFromOptions(p, error);
    if (!analysisOptions)
        return usageError(cmd, error);
    auto catalog = catalogFromOption(p);
    if (!catalog)
        return reportError(cmd, catalog.error());

    const QString outDir =
        p.isSet(QStringLiteral("out")) ? p.value(QStringLiteral("out")) : QStringLiteral("itap-out");
    const QDir out(outDir);
    const QString csv = out.filePath(QStringLiteral("telemetry.csv"));
    const QString db = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db"))
                                                     : out.filePath(QStringLiteral("fleet.db"));
    const QString modelPath = out.filePath(QStringLiteral("model.itapm"));
    const QString reportPath = out.filePath(QStringLiteral("validation_report.json"));
    {
        // --db, --profile, --catalog and --rules are read (the database written too); none may be one of the
        // files run writes.
        const QStringList inputs =
            databaseFileOption(p) +
            optionValues(p, {QStringLiteral("profile"), QStringLiteral("catalog"), QStringLiteral("rules")});
        QStringList outputs = {outDir, csv, modelPath, reportPath};
        for (const QString& name : artifactFileNames()) outputs << out.filePath(name);
        if (Status s = checkOutputsAreNotInputs(outputs, inputs); !s)
            return reportError(cmd, s.error());
    }
    if (!QDir().mkpath(outDir))
        return reportError(cmd, Error::failure(QStringLiteral("cannot create directory"), outDir));
    const bool json = p.isSet(QStringLiteral("json"));
    auto say = [&](const QString& line) {
        if (!json)
            printText(line);
    };

    // From here on Ctrl-C stops at the next stage or batch boundary instead of killing the process.
    const InterruptGuard interrupt;
    {
        TerminalProgress bar(QStringLiteral("generate"), !json);
        auto summary =
            FleetSimulator(*profile, *catalog).writeCsv(csv, InterruptGuard::withInterrupt(bar.sink()));
        bar.finish();
        if (!summary && InterruptGuard::stopped(summary.error()))
            return InterruptGuard::report(cmd, QStringLiteral("while generating; nothing was stored"));
        if (!summary)
            return reportError(cmd, summary.error());
        say(QStringLiteral("[1/4] generated %1 rows of %2 devices (%3) -> %4")
                .arg(summary->rows)
                .arg(summary->devices)
                .arg(episodesText(*summary), csv));
    }
    auto store = Store::open(db, &*catalog);
    if (!store)
        return reportError(cmd, store.error());
    nlohmann::json ingestSummary;
    {
        TerminalProgress bar(QStringLiteral("ingest"), !json);
        auto outcome = ingestFile(csv, **store, IngestOptions{}, InterruptGuard::withInterrupt(bar.sink()));
        bar.finish();
        if (!outcome && InterruptGuard::stopped(outcome.error()))
            return InterruptGuard::report(
                cmd, QStringLiteral(
                         "while ingesting %1; the batches stored before stay in %2, the run is recorded "
                         "as cancelled")
                         .arg(csv, (*store)->description()));
        if (!outcome)
            return reportError(cmd, outcome.error());
        if (Status s = writeFileAtomic(reportPath, toJsonBytes(outcome->report.toJson())); !s)
            return reportError(cmd, s.error());
        say(QStringLiteral("[2/4] validated and ingested into %1: %2")
                .arg((*store)->description(), ingestText(*outcome)));
        ingestSummary = ingestJson(*outcome);
    }
    const QString ingested = QStringLiteral("the telemetry stays in %1").arg((*store)->description());
    TerminalProgress trainBar(QStringLiteral("train"), !json);
    auto trained = trainModel(**store, *trainConfig, InterruptGuard::withInterrupt(trainBar.sink()));
    trainBar.finish();
    if (!trained && InterruptGuard::stopped(trained.error()))
        return InterruptGuard::report(
            cmd, QStringLiteral("while training; %1, no model was written").arg(ingested));
    if (!trained)
        return reportError(cmd, trained.error());
    if (Status s = trained->model.save(modelPath); !s)
        return reportError(cmd, s.error());
    say(QStringLiteral("[3/4] trained on %1 normal rows (%2 features) -> %3")
            .arg(trained->model.trainRows())
            .arg(trained->fleet.schema.size())
            .arg(modelPath));

    TerminalProgress scoreBar(QStringLiteral("score"), !json);
    auto scored = scoreWithModel(**store, std::move(trained->model), *analysisOptions,
                                 InterruptGuard::withInterrupt(scoreBar.sink()), &trained->fleet);
    scoreBar.finish();
    if (!scored && InterruptGuard::stopped(scored.error()))
        return InterruptGuard::report(
            cmd, QStringLiteral("while scoring; %1 and the model in %2, the stored scores are unchanged")
                     .arg(ingested, modelPath));
    if (!scored)
        return reportError(cmd, scored.error());
    if (InterruptGuard::signal() != 0)
        return InterruptGuard::report(
            cmd,
            QStringLiteral("after scoring; %1, the model in %2 and the new scores; the alarm journal and the "
                           "artifacts were not written")
                .arg(ingested, modelPath));
    auto journal = journalIncidents(cmd, **store, scored->analysis, JournalUse::Record);
    if (!journal)
        return reportError(cmd, journal.error());
    auto written = writeArtifacts(outDir, scored->fleet, scored->analysis, *analysisOptions);
    if (!written)
        return reportError(cmd, written.error());
    scored->model.setThreshold(scored->analysis.threshold);
    if (Status s = scored->model.save(modelPath); !s)
        return reportError(cmd, s.error());
    written->prepend(reportPath);
    written->append(modelPath);
    if (json) {
        nlohmann::json j = scoreSummaryJson(*scored, *written);
        j["ingest"] = ingestSummary;
        j["db"] = (*store)->description().toStdString();  // never a password
        j["alarm_journal"] = *journal;
        printJson(j);
    } else {
        say(QStringLiteral("[4/4] scored, explained and alerted\n"));
        printText(operatorReport(scored->fleet, scored->analysis));
        if ((*journal)["recorded"].get<bool>())
            printText(journalText(*journal));
        printText(QStringLiteral("Artifacts: ") + written->join(QStringLiteral(", ")));
    }
    return kExitOk;
}

}  // namespace itap::cli
