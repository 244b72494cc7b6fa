#pragma once

// Command-line options shared by train / score / export / run, and their translation into core parameters.

#include "pipeline/analysis.h"
#include "pipeline/session.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

#include <optional>

namespace itap::cli {

void addStoreOptions(QCommandLineParser& p);     ///< --db
/// --train-fraction/-rows/-until, --trees, --sample-size, --window, …; --seed unless the command already has one.
/// `withLabelFree`: --label-free (a command that also has the analysis options, like `run`, gets it from
/// those: the one option sets both the training span and the threshold rule).
void addTrainOptions(QCommandLineParser& p, bool withSeed = true, bool withLabelFree = true);
/// --threshold, --min-precision, --rules, --explain-top; --threads unless addTrainOptions() added it.
void addAnalysisOptions(QCommandLineParser& p, bool withThreads = true);

/// nullopt with `error` set on a bad value.
[[nodiscard]] std::optional<TrainConfig> trainConfigFromOptions(const QCommandLineParser& p, QString& error);
[[nodiscard]] std::optional<AnalysisOptions> analysisOptionsFromOptions(const QCommandLineParser& p, QString& error);

/// Gives the analysis' incidents their journal ids and verdicts (applyAlarmJournal()) before the artifacts are
/// written: `use` Record records them (itap score, itap run), ReadOnly only looks (itap export). On a read-only
/// database nothing is recorded and a note says so on stderr. Returns the "alarm_journal" block of --json.
[[nodiscard]] Result<nlohmann::json> journalIncidents(const QString& command, Store& store, Analysis& analysis,
                                                      JournalUse use);

/// "Alarm journal: 12 incidents recorded (3 new alarms, 5 journal rows)" from journalIncidents()' block.
[[nodiscard]] QString journalText(const nlohmann::json& block);

}  // namespace itap::cli
