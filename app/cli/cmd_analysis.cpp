// itap train / score / export: the detection and operator-intelligence stages on a stored fleet.
#include "cli/analysis_options.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/interrupt_guard.h"
#include "cli/terminal_progress.h"

#include "common/json_util.h"
#include "common/output_file.h"
#include "pipeline/analysis.h"
#include "pipeline/session.h"

#include <QCommandLineParser>
#include <QDir>

#include <cstdio>

#include <nlohmann/json.hpp>

namespace itap::cli {

int runTrain(const QStringList& args) {
    const QString cmd = QStringLiteral("train");
    QCommandLineParser p;
    addStoreOptions(p);
    addTrainOptions(p);
    p.addOption({QStringLiteral("model"), QStringLiteral("Model file to write."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print a machine-readable summary on stdout.")});
    int code = 0;
    if (!parseCommand(p, cmd,
                      QStringLiteral("Train the anomaly model (scaler + Isolation Forest) on the normal rows "
                                     "of the training span of every stored device."),
                      args, code))
        return code;
    if (!p.isSet(QStringLiteral("db")))
        return usageError(cmd, QStringLiteral("--db is required"));
    if (!p.isSet(QStringLiteral("model")))
        return usageError(cmd, QStringLiteral("--model is required"));
    QString error;
    auto config = trainConfigFromOptions(p, error);
    if (!config)
        return usageError(cmd, error);
    const QString modelPath = p.value(QStringLiteral("model"));
    if (Status s = checkOutputIsNotAnInput(modelPath, databaseFileOption(p)); !s)
        return reportError(cmd, s.error());

    // From here on Ctrl-C stops at the next progress check instead of killing the process.
    const InterruptGuard interrupt;
    auto store = Store::open(p.value(QStringLiteral("db")), nullptr);
    if (!store)
        return reportError(cmd, store.error());
    const bool json = p.isSet(QStringLiteral("json"));
    TerminalProgress bar(QStringLiteral("train"), !json);
    auto trained = trainModel(**store, *config, InterruptGuard::withInterrupt(bar.sink()));
    bar.finish();
    if (!trained && InterruptGuard::stopped(trained.error()))
        return InterruptGuard::report(cmd, QStringLiteral("no model was written"));
    if (!trained)
        return reportError(cmd, trained.error());
    if (Status s = trained->model.save(modelPath); !s)
        return reportError(cmd, s.error());
    if (json) {
        printJson({{"model", modelPath.toStdString()},
                   {"model_id", trained->model.modelId().toStdString()},
                   {"train_rows", trained->model.trainRows()},
                   {"features", trained->fleet.schema.size()},
                   {"devices", trained->fleet.table.devices.size()},
                   {"rows", trained->fleet.table.size()},
                   {"detector", detectorChoiceName(trained->model.detector()).toStdString()}});
    } else {
        printText(
            QStringLiteral(
                "Trained on %1 normal rows of %2 devices (%3 features, detector %4); model %5 written to %6")
                .arg(trained->model.trainRows())
                .arg(trained->fleet.table.devices.size())
                .arg(trained->fleet.schema.size())
                .arg(detectorChoiceName(trained->model.detector()), trained->model.modelId(), modelPath));
    }
    return kExitOk;
}

namespace {

// score and export share everything but the name and what they may write: score stores the scores and
// records the operating threshold in the model (unless the database is read-only), export writes the
// artifacts only.
int scoreOrExport(const QStringList& args, const QString& cmd, const QString& description) {
    QCommandLineParser p;
    addStoreOptions(p);
    addAnalysisOptions(p);
    p.addOption({QStringLiteral("model"), QStringLiteral("Model file written by 'itap train'."),
                 QStringLiteral("FILE")});
    p.addOption(
        {QStringLiteral("out"), QStringLiteral("Directory for the JSON artifacts."), QStringLiteral("DIR")});
    p.addOption(
        {QStringLiteral("json"), QStringLiteral("Print a machine-readable summary instead of the report.")});
    int code = 0;
    if (!parseCommand(p, cmd, description, args, code))
        return code;
    for (const char* required : {"db", "model", "out"})
        if (!p.isSet(QString::fromLatin1(required)))
            return usageError(cmd, QStringLiteral("--%1 is required").arg(QString::fromLatin1(required)));
    QString error;
    auto options = analysisOptionsFromOptions(p, error);
    if (!options)
        return usageError(cmd, error);
    const QString outDir = p.value(QStringLiteral("out"));
    {
        const QStringList inputs =
            databaseFileOption(p) + optionValues(p, {QStringLiteral("model"), QStringLiteral("rules")});
        QStringList outputs = {outDir};
        for (const QString& name : artifactFileNames()) outputs << QDir(outDir).filePath(name);
        if (Status s = checkOutputsAreNotInputs(outputs, inputs); !s)
            return reportError(cmd, s.error());
    }

    auto model = AnomalyModel::load(p.value(QStringLiteral("model")));
    if (!model)
        return reportError(cmd, model.error());
    // From here on Ctrl-C stops at the next boundary instead of killing the process.
    const InterruptGuard interrupt;
    auto store = Store::open(p.value(QStringLiteral("db")), nullptr);
    if (!store)
        return reportError(cmd, store.error());
    const bool json = p.isSet(QStringLiteral("json"));
    const bool score = cmd == QLatin1String("score");
    TerminalProgress bar(cmd, !json);
    auto scored =
        scoreWithModel(**store, std::move(model).value(), *options, InterruptGuard::withInterrupt(bar.sink()),
                       nullptr, score ? StoreScores::IfWritable : StoreScores::Never);
    bar.finish();
    if (!scored && InterruptGuard::stopped(scored.error()))
        return InterruptGuard::report(
            cmd,
            QStringLiteral("the stored scores are unchanged; no alarm, artifact or model file was written"));
    if (!scored)
        return reportError(cmd, scored.error());
    // The scores are stored (one transaction, the last step of scoring); stop before the journal.
    if (InterruptGuard::signal() != 0)
        return InterruptGuard::report(
            cmd, scored->scoresStored
                     ? QStringLiteral(
                           "the new scores were stored; the alarm journal, the artifacts and the model's "
                           "threshold were not written")
                     : QStringLiteral("nothing was stored; no alarm, artifact or model file was written"));
    auto journal =
        journalIncidents(cmd, **store, scored->analysis, score ? JournalUse::Record : JournalUse::ReadOnly);
    if (!journal)
        return reportError(cmd, journal.error());
    auto written = writeArtifacts(outDir, scored->fleet, scored->analysis, *options);
    if (!written)
        return reportError(cmd, written.error());
    if (score && scored->scoresStored) {
        // The model remembers the operating threshold it was scored with; export leaves the model alone.
        scored->model.setThreshold(scored->analysis.threshold);
        if (Status s = scored->model.save(p.value(QStringLiteral("model"))); !s)
            return reportError(cmd, s.error());
    } else if (score) {
        // A read-only database: the run changes nothing but the artifacts, the model file included.
        std::fprintf(
            stderr,
            "itap score: %s is open read-only: the scores were not stored and the model file keeps its "
            "threshold; the artifacts in %s are complete\n",
            qPrintable((*store)->description()), qPrintable(outDir));
    }

    if (json) {
        nlohmann::json j = scoreSummaryJson(*scored, *written);
        j["alarm_journal"] = *journal;
        printJson(j);
    } else {
        printText(operatorReport(scored->fleet, scored->analysis));
        printText(QStringLiteral("Model id: ") + scored->fleet.table.modelId);
        if (score && (*journal)["recorded"].get<bool>())
            printText(journalText(*journal));
        printText(QStringLiteral("Artifacts: ") + written->join(QStringLiteral(", ")));
    }
    return kExitOk;
}

}  // namespace

int runScore(const QStringList& args) {
    return scoreOrExport(
        args, QStringLiteral("score"),
        QStringLiteral("Score every stored row with a trained model, evaluate against the labels, "
                       "explain every flagged row, raise alerts, aggregate per device and fleet, "
                       "write the JSON artifacts and print the operator report."));
}

int runExport(const QStringList& args) {
    return scoreOrExport(
        args, QStringLiteral("export"),
        QStringLiteral("Rewrite the JSON artifacts from the store and a trained model, without "
                       "retraining: the same selection as 'itap score', or --threshold. Changes "
                       "neither the database nor the model."));
}

}  // namespace itap::cli
