#pragma once

#include <QStringList>

namespace itap::cli {

// Each command takes its arguments (args[0] = the command name) and returns the process exit code.
int runGenerate(const QStringList& args);
int runValidate(const QStringList& args);
int runIngest(const QStringList& args);
int runTrain(const QStringList& args);
int runScore(const QStringList& args);
int runRun(const QStringList& args);
int runExport(const QStringList& args);
int runImport(const QStringList& args);
int runBench(const QStringList& args);
int runAlarms(const QStringList& args);

}  // namespace itap::cli
