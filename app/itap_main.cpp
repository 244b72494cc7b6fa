// itap: the headless command-line interface to the ITAP engine.
#include "cli/commands.h"
#include "cli/cli_common.h"
#include "common/heap_tuning.h"
#include "itap_version.h"

#include <QCoreApplication>

#include <cstdio>
#include <functional>
#include <map>

namespace {

struct Command {
    std::function<int(const QStringList&)> run;
    const char* summary;
};

const std::map<QString, Command>& commands() {
    using namespace itap::cli;
    static const std::map<QString, Command> table{
        {QStringLiteral("generate"), {runGenerate, "simulate a fleet and write the canonical telemetry CSV"}},
        {QStringLiteral("validate"), {runValidate, "check a telemetry CSV and write validation_report.json"}},
        {QStringLiteral("ingest"), {runIngest, "validate and store a telemetry CSV (idempotent)"}},
        {QStringLiteral("import"),
         {runImport, "import foreign telemetry CSV through a mapping (--guess proposes one)"}},
        {QStringLiteral("train"), {runTrain, "train the anomaly model on the stored telemetry"}},
        {QStringLiteral("score"), {runScore, "score, evaluate, explain and alert; write the JSON artifacts"}},
        {QStringLiteral("run"), {runRun, "generate -> validate -> ingest -> train -> score in one go"}},
        {QStringLiteral("export"),
         {runExport, "rewrite the JSON artifacts from the store without retraining"}},
        {QStringLiteral("alarms"),
         {runAlarms,
          "the alarm journal: list, show, ack, shelve, unshelve, note, verdict, journal, thresholds"}},
        {QStringLiteral("bench"),
         {runBench, "time every pipeline stage on a simulated fleet (rows/s, CPU, memory)"}},
    };
    return table;
}

void printUsage(FILE* out) {
    std::fprintf(out,
                 "Usage: itap <command> [options]\n\n"
                 "ITAP detects, explains, aggregates and alerts on anomalies in machine telemetry.\n\n"
                 "Commands:\n");
    for (const auto& [name, cmd] : commands()) std::fprintf(out, "  %-10s %s\n", qPrintable(name), cmd.summary);
    std::fprintf(
        out,
        "\nOptions:\n  -h, --help     show this help\n  --version      show the version and git commit\n\n"
        "Run 'itap <command> --help' for the options of a command.\n"
        "Exit codes: 0 ok, 1 failure, 2 bad usage or bad input, 3 conflicting rows not stored.\n");
}

}  // namespace

int main(int argc, char* argv[]) {
    itap::tuneHeapForLargeColumns();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("itap"));
    QCoreApplication::setOrganizationName(QStringLiteral("ITAP"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ITAP_VERSION));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {  // a usage error: the usage goes where errors go
        printUsage(stderr);
        return itap::cli::kExitBadInput;
    }
    if (args[1] == QLatin1String("-h") || args[1] == QLatin1String("--help") ||
        args[1] == QLatin1String("help")) {
        printUsage(stdout);
        return itap::cli::kExitOk;
    }
    if (args[1] == QLatin1String("--version") || args[1] == QLatin1String("version")) {
        std::printf("itap %s (git %s)\n", ITAP_VERSION, ITAP_GIT_COMMIT);
        return itap::cli::kExitOk;
    }
    const auto it = commands().find(args[1]);
    if (it == commands().end()) {
        std::fprintf(stderr, "itap: unknown command '%s'\n\n", qPrintable(args[1]));
        printUsage(stderr);
        return itap::cli::kExitBadInput;
    }
    return it->second.run(args.mid(1));
}
