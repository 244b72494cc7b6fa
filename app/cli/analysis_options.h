#pragma once

// Command-line options shared by train / score / export / run, and their translation into core parameters.

#include "pipeline/analysis.h"
#include "pipeline/session.h"

#include <QCommandLineParser>

#include <optional>

namespace itap::cli {

void addStoreOptions(QCommandLineParser& p);     ///< --db
/// --train-fraction/-rows/-until, --trees, --sample-size, --window, …; --seed unless the command already has one.
void addTrainOptions(QCommandLineParser& p, bool withSeed = true);
/// --threshold, --min-precision, --rules, --explain-top; --threads unless addTrainOptions() added it.
void addAnalysisOptions(QCommandLineParser& p, bool withThreads = true);

/// nullopt with `error` set on a bad value.
[[nodiscard]] std::optional<TrainConfig> trainConfigFromOptions(const QCommandLineParser& p, QString& error);
[[nodiscard]] std::optional<AnalysisOptions> analysisOptionsFromOptions(const QCommandLineParser& p, QString& error);

}  // namespace itap::cli
