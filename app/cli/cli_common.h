#pragma once

#include "common/result.h"
#include "common/sensor_catalog.h"
#include "storage/row_conflict.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace itap::cli {

/// Exit codes of DESIGN.md §4.
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitConflict = 3 };

/// Prints "itap <command>: <error>" on stderr and returns the error's exit code.
int reportError(const QString& command, const Error& error);
/// Prints a usage error for `command` (with a hint to --help) and returns kExitBadInput.
int usageError(const QString& command, const QString& message);

/// Parses `args` (args[0] is the command name). Handles --help itself (prints and returns kExitOk through
/// `exitCode`). Returns false when the caller must return `exitCode`.
bool parseCommand(QCommandLineParser& parser, const QString& command, const QString& description,
                  const QStringList& args, int& exitCode);

/// Typed option readers: a malformed number is a usage error naming the option.
std::optional<qint64> intOption(const QCommandLineParser& p, const QString& name, qint64 fallback, qint64 min,
                                qint64 max, QString& error);
std::optional<double> doubleOption(const QCommandLineParser& p, const QString& name, double fallback, double min,
                                   double max, QString& error);

/// The value of each of `options` that is set (input files named by options, e.g. --catalog, --db).
QStringList optionValues(const QCommandLineParser& p, const QStringList& options);

/// The database file --db names (see Store::filePathOf()), as a list of zero or one input files: nothing for
/// a server URL or when --db is not set.
QStringList databaseFileOption(const QCommandLineParser& p);
/// checkOutputIsNotAnInput() for every one of `outputs`: the first output that is one of `inputs` is an
/// Error::badInput (exit 2).
Status checkOutputsAreNotInputs(const QStringList& outputs, const QStringList& inputs);

/// Adds --on-conflict (ingest, import).
void addConflictOption(QCommandLineParser& p);
/// The --on-conflict policy (Keep when not given); nullopt with `error` set on a bad value.
std::optional<ConflictPolicy> conflictPolicyOption(const QCommandLineParser& p, QString& error);
/// Warns on stderr about conflicts kept or replaced in `file`, with the first examples.
void warnConflicts(const QString& command, const QString& file, const ConflictTally& conflicts);

/// Adds --min-stored-share (ingest, import).
void addMinStoredShareOption(QCommandLineParser& p);
/// Error::failure when fewer than `minShare` of `rowsRead` rows were accepted (`accepted`); rows read 0
/// passes.
Status checkStoredShare(const QString& file, qint64 rowsRead, qint64 accepted, double minShare);
/// "; not processed: b.csv, c.csv" for the files after `failed` in `files` (empty when there are none).
QString notProcessed(const QStringList& files, qsizetype failed);

/// Loads --catalog when given, else the built-in default catalog.
Result<SensorCatalog> catalogFromOption(const QCommandLineParser& p);

/// Prints a JSON document on stdout (the machine-readable summary of --json).
void printJson(const nlohmann::json& j);
/// Prints text on stdout (operator report).
void printText(const QString& text);

}  // namespace itap::cli
