#include "app/cli_runner.h"
#include "storage/store.h"
#include "support/test_files.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;
using namespace itap::test;

namespace {

QString example(const char* relative) { return QStringLiteral(ITAP_SOURCE_DIR "/data/import/") + QLatin1String(relative); }

}  // namespace

/// `itap import` as a user runs it: glob, --json, idempotency, errors with file:line:column, --guess, and the
/// import -> train -> score chain on an example.
class ImportCliTest : public QObject {
    Q_OBJECT
private slots:
    void helpAndUsage() {
        Run h = itapCli({"import", "--help"});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains("--mapping"));
        QVERIFY(h.out.contains("--guess"));
        QCOMPARE(itapCli({"import", example("testrig/rig_log.csv")}).exitCode, 2);  // no --mapping
        Run noDb = itapCli({"import", example("testrig/rig_log.csv"), "--mapping", example("testrig.mapping.json")});
        QCOMPARE(noDb.exitCode, 2);
        QVERIFY(noDb.err.contains("--db"));
        Run top = itapCli({"--help"});
        QVERIFY(top.out.contains("import"));
    }

    // A re-import with a corrected value is a conflict, not a duplicate: default exit 3 with the example,
    // --on-conflict fail stores nothing (exit 3), --on-conflict replace stores the correction.
    void reimportWithCorrectedValueIsAConflict() {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("rig.db"));
        const QString mapping = example("testrig.mapping.json");
        QFile in(example("testrig/rig_log.csv"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readAll();
        const QString original = writeFile(dir, QStringLiteral("rig_log.csv"), text);
        QCOMPARE(itapCli({"import", original, "--mapping", mapping, "--db", db}).exitCode, 0);
        // Line 2's bearing temperature 30.16 corrected to 31.5.
        QVERIFY(text.contains(",30.16,,0\n"));
        text.replace(text.indexOf(",30.16,,0\n"), 10, ",31.5,,0\n");
        const QString corrected = writeFile(dir, QStringLiteral("rig_log_fixed.csv"), text);

        Run failed =
            itapCli({"import", corrected, "--mapping", mapping, "--db", db, "--on-conflict", "fail"});
        QCOMPARE(failed.exitCode, 3);
        QVERIFY2(failed.err.contains((corrected + ":2").toLocal8Bit()), failed.err.constData());

        Run kept = itapCli({"import", corrected, "--mapping", mapping, "--db", db, "--json"});
        QCOMPARE(kept.exitCode, 3);
        const auto j = nlohmann::json::parse(kept.out.toStdString());
        QCOMPARE(j["conflicts"].get<qint64>(), qint64(1));
        const auto& example = j["files"][0]["conflict_examples"][0];
        QCOMPARE(example["line"].get<qint64>(), qint64(2));
        QCOMPARE(example["stored"].get<std::string>(), std::string("30.16"));
        QCOMPARE(example["new"].get<std::string>(), std::string("31.5"));

        Run replaced =
            itapCli({"import", corrected, "--mapping", mapping, "--db", db, "--on-conflict", "replace"});
        QVERIFY2(replaced.exitCode == 0, replaced.err.constData());
        QCOMPARE(itapCli({"import", corrected, "--mapping", mapping, "--db", db}).exitCode,
                 0);  // now duplicates
    }

    // An import of which most rows are rejected fails with exit 1 below --min-stored-share.
    void mostlyRejectedImportFails() {
        QTemporaryDir dir;
        QFile in(example("testrig/rig_log.csv"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = in.readAll().split('\n');
        // The header, 3 good rows, then 7 rows with an unparsable timestamp.
        QByteArray text = lines[0] + '\n' + lines[1] + '\n' + lines[2] + '\n' + lines[3] + '\n';
        for (int i = 4; i < 11; ++i) text += "x" + lines[i] + '\n';
        const QString csv = writeFile(dir, QStringLiteral("rig.csv"), text);
        const QStringList args{"import",
                               csv,
                               "--mapping",
                               example("testrig.mapping.json"),
                               "--skip-invalid",
                               "--db",
                               dir.filePath(QStringLiteral("rig.db"))};
        Run r = itapCli(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("only 3 of 10 rows were accepted"), r.err.constData());
        QCOMPARE(itapCli(args + QStringList{"--min-stored-share", "0.3"}).exitCode, 0);
    }

    // An import that stops at a missing file names the files it never reached.
    void stoppedImportNamesTheFilesNotProcessed() {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("missing.csv"));
        const QString later = example("testrig/rig_log.csv");
        Run r = itapCli({"import", example("testrig/rig_log.csv"), missing, later, "--mapping",
                         example("testrig.mapping.json"), "--db", dir.filePath(QStringLiteral("rig.db"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(missing.toLocal8Bit()), r.err.constData());
        QVERIFY2(r.err.contains(("not processed: " + later).toLocal8Bit()), r.err.constData());
    }

    void importsGlobIdempotentlyThenTrainsAndScores() {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("hist.db"));
        const QStringList args{"import", example("historian/pump-*.csv"), "--mapping", example("historian.mapping.json"),
                               "--db", db, "--json"};
        Run first = itapCli(args);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const auto j = nlohmann::json::parse(first.out.toStdString());
        QCOMPARE(j["files"].size(), std::size_t(2));
        QCOMPARE(j["inserted"].get<qint64>(), qint64(3852));
        QCOMPARE(j["rows_rejected"].get<qint64>(), qint64(4));
        QCOMPARE(j["unmapped_columns"][0].get<std::string>(), std::string("Kommentar"));
        QCOMPARE(j["has_labels"].get<bool>(), false);
        Run second = itapCli(args);
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(second.out.toStdString())["inserted"].get<qint64>(), qint64(0));

        const QString model = dir.filePath(QStringLiteral("m.itapm"));
        Run train = itapCli({"train", "--db", db, "--model", model});
        QVERIFY2(train.exitCode == 0, train.err.constData());
        Run score = itapCli({"score", "--db", db, "--model", model, "--out", dir.filePath(QStringLiteral("out"))});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        QVERIFY2(score.out.contains("No ground truth"), score.out.constData());
        QVERIFY(score.out.contains("pump-B"));
    }

    void labelledExampleGetsMetrics() {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("rig.db"));
        Run imp = itapCli({"import", example("testrig/rig_log.csv"), "--mapping", example("testrig.mapping.json"), "--db", db});
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        QVERIFY(imp.out.contains("inserted 2400"));
        QVERIFY(imp.out.contains("Unmapped columns (ignored): operator_note"));
        const QString model = dir.filePath(QStringLiteral("m.itapm"));
        QCOMPARE(itapCli({"train", "--db", db, "--model", model}).exitCode, 0);
        Run score = itapCli({"score", "--db", db, "--model", model, "--out", dir.filePath(QStringLiteral("out")), "--json"});
        QVERIFY2(score.exitCode == 0, score.err.constData());
        QVERIFY(score.out.contains("roc_auc"));
    }

    void badRowIsExitCode2WithFileLineColumn() {
        QTemporaryDir dir;
        const QString csv = writeFile(dir, QStringLiteral("bad.csv"),
                                  "epoch_ms,rig_id,mode,motor_current_A,supply_voltage_V,shaft_speed_rpm,acc_x_g,acc_y_g,"
                                  "bearing_temp_C,operator_note,anomaly\n"
                                  "1767261600000,R1,run,8.7,400,1400,0.01,0.01,30,,0\n"
                                  "1767261601000,R1,run,8.7,400,fast,0.01,0.01,30,,0\n");
        const QString db = dir.filePath(QStringLiteral("x.db"));
        Run r = itapCli({"import", csv, "--mapping", example("testrig.mapping.json"), "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains((csv + QStringLiteral(":3:6: ")).toUtf8()), r.err.constData());
        QVERIFY(r.err.contains("'fast' is not a number"));
        Run skip = itapCli({"import", csv, "--mapping", example("testrig.mapping.json"), "--db", db, "--skip-invalid"});
        QCOMPARE(skip.exitCode, 0);
        QVERIFY(skip.out.contains("inserted 1"));

        const QString badMap = writeFile(dir, QStringLiteral("m.json"), "{\"schema_version\":1,\"timestamp\":{\"column\":\"t\"},\n"
"            \"channels\":[{\"column\":\"x\",\"name\":\"x\",\"family\":\"F\",\"min\":0,\"max\":1,\"colour\":\"red\"}]}");
        Run m = itapCli({"import", csv, "--mapping", badMap, "--db", db});
        QCOMPARE(m.exitCode, 2);
        QVERIFY2(m.err.contains("channels[0].colour: unknown key"), m.err.constData());
    }

    void guessPrintsAMappingThatImports() {
        QTemporaryDir dir;
        const QString map = dir.filePath(QStringLiteral("guess.json"));
        Run g = itapCli({"import", "--guess", example("testrig/rig_log.csv"), "--out", map});
        QVERIFY2(g.exitCode == 0, g.err.constData());
        Run imp = itapCli({"import", example("testrig/rig_log.csv"), "--mapping", map, "--db", dir.filePath(QStringLiteral("g.db"))});
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        QVERIFY(imp.out.contains("inserted 2400"));
        Run stdoutGuess = itapCli({"import", "--guess", example("historian/pump-B_2026-03-28.csv")});
        QCOMPARE(stdoutGuess.exitCode, 0);
        QVERIFY(nlohmann::json::parse(stdoutGuess.out.toStdString()).contains("channels"));
    }
};

QTEST_GUILESS_MAIN(ImportCliTest)
#include "import_cli_test.moc"
