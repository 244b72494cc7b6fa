// itap import: foreign telemetry CSV through a mapping into the store, and --guess to propose a mapping.
#include "cli/analysis_options.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/interrupt_guard.h"
#include "cli/terminal_progress.h"

#include "common/json_util.h"
#include "common/output_file.h"
#include "importer/importer.h"
#include "importer/mapping_guesser.h"
#include "pipeline/ingest_job.h"
#include "storage/store.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace itap::cli {
namespace {

// Arguments with wildcards are expanded here too (quoted globs, shells that do not expand), sorted so that
// the import order never depends on the directory listing.
std::optional<QStringList> expandFiles(const QStringList& args, QString& error) {
    QStringList files;
    for (const QString& arg : args) {
        if (!arg.contains(QLatin1Char('*')) && !arg.contains(QLatin1Char('?')) &&
            !arg.contains(QLatin1Char('['))) {
            files << arg;
            continue;
        }
        const QFileInfo info(arg);
        QDir dir = info.dir();
        QStringList matches = dir.entryList({info.fileName()}, QDir::Files, QDir::Name);
        if (matches.isEmpty()) {
            error = QStringLiteral("no file matches '%1'").arg(arg);
            return std::nullopt;
        }
        for (const QString& m : matches) files << dir.filePath(m);
    }
    return files;
}

int runGuess(const QString& cmd, const QCommandLineParser& p) {
    const QStringList files = p.positionalArguments();
    if (files.size() != 1)
        return usageError(cmd, QStringLiteral("--guess takes exactly one FILE"));
    auto guess = guessMapping(files.first());
    if (!guess)
        return reportError(cmd, guess.error());
    nlohmann::json j = guess->mapping.toJson();
    j["description"] = QStringLiteral("Proposed by 'itap import --guess %1'. Check: %2")
                           .arg(QFileInfo(files.first()).fileName(), guess->notes.join(QStringLiteral("; ")))
                           .toStdString();
    const QByteArray bytes = toJsonBytes(j);
    if (p.isSet(QStringLiteral("out"))) {
        if (Status s = checkOutputIsNotAnInput(p.value(QStringLiteral("out")), files); !s)
            return reportError(cmd, s.error());
        if (Status s = writeFileAtomic(p.value(QStringLiteral("out")), bytes); !s)
            return reportError(cmd, s.error());
        for (const QString& note : guess->notes) std::fprintf(stderr, "  %s\n", qPrintable(note));
        printText(QStringLiteral("Wrote the proposed mapping to %1").arg(p.value(QStringLiteral("out"))));
    } else {
        std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
        for (const QString& note : guess->notes) std::fprintf(stderr, "note: %s\n", qPrintable(note));
    }
    return kExitOk;
}

}  // namespace

int runImport(const QStringList& args) {
    const QString cmd = QStringLiteral("import");
    QCommandLineParser p;
    p.addOption({QStringLiteral("mapping"),
                 QStringLiteral("Import mapping JSON (see README, data/*.mapping.json)."),
                 QStringLiteral("MAP.json")});
    addStoreOptions(p);
    p.addOption({QStringLiteral("guess"),
                 QStringLiteral("Print a proposed mapping for FILE (from its header and first "
                                "rows) instead of importing.")});
    p.addOption({QStringLiteral("out"),
                 QStringLiteral("With --guess: write the mapping to FILE instead of stdout."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("skip-invalid"),
                 QStringLiteral(
                     "Import the valid rows of a file with unparsable rows (they are counted and reported) "
                     "instead of failing the file.")});
    p.addOption(
        {QStringLiteral("check"), QStringLiteral("Read and validate through the mapping, store nothing.")});
    p.addOption({QStringLiteral("report"), QStringLiteral("Write the import report JSON to FILE."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the import report JSON on stdout.")});
    addConflictOption(p);
    addMinStoredShareOption(p);
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Foreign telemetry CSV files (globs allowed)."),
                            QStringLiteral("FILE..."));
    int code = 0;
    if (!parseCommand(
            p, cmd,
            QStringLiteral("Import foreign telemetry CSV files through a mapping (delimiter, decimal comma, "
                           "timestamp format and zone, device, channels, state, labels) into the store. "
                           "Idempotent like 'ingest': re-importing a file inserts 0 rows."),
            args, code))
        return code;
    if (p.isSet(QStringLiteral("guess")))
        return runGuess(cmd, p);
    if (!p.isSet(QStringLiteral("mapping")))
        return usageError(cmd, QStringLiteral("--mapping is required (or use --guess FILE)"));
    const bool checkOnly = p.isSet(QStringLiteral("check"));
    if (!checkOnly && !p.isSet(QStringLiteral("db")))
        return usageError(cmd, QStringLiteral("--db is required"));
    if (p.positionalArguments().isEmpty())
        return usageError(cmd, QStringLiteral("expected at least one FILE"));
    QString error;
    auto files = expandFiles(p.positionalArguments(), error);
    if (!files)
        return usageError(cmd, error);
    if (p.isSet(QStringLiteral("report"))) {
        const QStringList inputs =
            *files + optionValues(p, {QStringLiteral("mapping"), QStringLiteral("db")});
        if (Status s = checkOutputIsNotAnInput(p.value(QStringLiteral("report")), inputs); !s)
            return reportError(cmd, s.error());
    }

    auto mapping = ImportMapping::load(p.value(QStringLiteral("mapping")));
    if (!mapping)
        return reportError(cmd, mapping.error());
    const Importer importer(std::move(mapping).value());
    ImportOptions options;
    options.skipInvalid = p.isSet(QStringLiteral("skip-invalid"));
    const auto onConflict = conflictPolicyOption(p, error);
    if (!onConflict)
        return usageError(cmd, error);
    options.onConflict = *onConflict;
    const auto minShare =
        doubleOption(p, QStringLiteral("min-stored-share"), kDefaultMinStoredShare, 0.0, 1.0, error);
    if (!minShare)
        return usageError(cmd, error);
    const bool json = p.isSet(QStringLiteral("json"));

    ImportReport report;
    QString db;
    {
        // From here on Ctrl-C stops at the next batch boundary instead of killing the process.
        const InterruptGuard interrupt;
        TerminalProgress bar(QStringLiteral("import"), !json);
        if (checkOnly) {
            auto data = importer.read(*files, options, InterruptGuard::withInterrupt(bar.sink()));
            bar.finish();
            if (!data && InterruptGuard::stopped(data.error()))
                return InterruptGuard::report(cmd, QStringLiteral("nothing was checked to the end"));
            if (!data)
                return reportError(cmd, data.error());
            report = std::move(data->report);
        } else {
            auto store = Store::open(p.value(QStringLiteral("db")), &importer.catalog());
            if (!store)
                return reportError(cmd, store.error());
            db = (*store)->description();
            // With --on-conflict fail nothing is stored when a conflict is met: one stage for all files.
            const bool staged = *onConflict == ConflictPolicy::Fail;
            if (staged) {
                if (Status s = (*store)->beginStage(); !s)
                    return reportError(cmd, s.error());
            }
            auto imported =
                importer.importInto(**store, *files, options, InterruptGuard::withInterrupt(bar.sink()));
            bar.finish();
            if (!imported && InterruptGuard::stopped(imported.error())) {
                const QString& file = imported.error().file;
                if (staged) {
                    (void)(*store)->rollbackStage();
                    return InterruptGuard::report(
                        cmd, QStringLiteral(
                                 "%1: nothing was stored (--on-conflict fail imports all files or none)")
                                 .arg(file));
                }
                return InterruptGuard::report(
                    cmd,
                    QStringLiteral("%1: the files and batches stored before stay, the run is recorded as "
                                   "cancelled%2")
                        .arg(file, notProcessed(*files, files->indexOf(file))));
            }
            if (!imported) {
                if (staged)
                    (void)(*store)->rollbackStage();
                Error e = imported.error();
                e.message += notProcessed(*files, files->indexOf(e.file));
                return reportError(cmd, e);
            }
            if (staged) {
                if (Status s = (*store)->commitStage(); !s)
                    return reportError(cmd, s.error());
            }
            report = std::move(imported).value();
        }
    }
    nlohmann::json j = report.toJson();
    if (!db.isEmpty())
        j["db"] = db.toStdString();
    if (p.isSet(QStringLiteral("report"))) {
        if (Status s = writeFileAtomic(p.value(QStringLiteral("report")), toJsonBytes(j)); !s)
            return reportError(cmd, s.error());
    }
    if (json) {
        printJson(j);
    } else {
        printText(report.summary());
        if (!db.isEmpty())
            printText(QStringLiteral("Imported into %1: inserted %2, skipped_duplicates %3, rejected %4")
                          .arg(db)
                          .arg(report.inserted())
                          .arg(report.skippedDuplicates())
                          .arg(report.rowsRejected()));
    }
    qint64 keptConflicts = 0;
    int shareFailures = 0;
    for (const auto& f : report.files) {
        warnConflicts(cmd, f.file, f.conflicts);
        keptConflicts += f.conflicts.count - f.conflicts.replaced;
        if (Status s =
                checkStoredShare(f.file, f.validation.rowsRead(), f.validation.rowsAccepted(), *minShare);
            !s) {
            reportError(cmd, s.error());
            ++shareFailures;
        }
    }
    if (shareFailures > 0)
        return kExitFailure;
    // Kept conflicts are corrections that were not stored: a distinct exit code unless asked for explicitly.
    if (keptConflicts > 0 && !p.isSet(QStringLiteral("on-conflict"))) {
        std::fprintf(stderr,
                     "itap import: %lld conflicting rows were not stored; use --on-conflict replace to store "
                     "the new values or --on-conflict keep to accept the stored ones\n",
                     static_cast<long long>(keptConflicts));
        return kExitConflict;
    }
    return kExitOk;
}

}  // namespace itap::cli
