// `itap bench` as a user runs it: the --json shape and bad options. Nothing about time is asserted (machines
// are shared and noisy); the figures only have to be there and positive.
#include "app/cli_runner.h"
#include "common/json_util.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

using namespace itap;
using namespace itap::test;

class BenchTest : public QObject {
    Q_OBJECT
private slots:
    void jsonHasEveryStage() {
        Run r = itapCli({"bench", "--devices", "2", "--hours", "1", "--repeat", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto parsed = parseJson(r.out, "stdout");
        QVERIFY2(parsed.ok(), r.out.constData());
        const nlohmann::json& j = *parsed;
        QVERIFY(j["machine"]["cores"].get<int>() >= 1);
        QVERIFY(j["machine"]["cpu_model"].is_string());
        QCOMPARE(j["rows"].get<qint64>(), qint64(2 * 360));
        QCOMPARE(j["devices"].get<int>(), 2);
        QVERIFY(j["total_s"].get<double>() > 0);
        QVERIFY(j["peak_rss_mb"].get<double>() > 0);
        std::set<std::string> names;
        for (const auto& s : j["stages"]) {
            const std::string name = s["name"].get<std::string>();
            names.insert(name);
            QVERIFY2(s["wall_s"].get<double>() > 0, name.c_str());
            QVERIFY2(s["cpu_s"].get<double>() >= 0, name.c_str());
            QVERIFY2(s["rows_per_s"].get<double>() > 0, name.c_str());
        }
        for (const char* stage : {"generate", "validate", "ingest", "features", "train", "score", "sweep",
                                  "operating_point", "explain", "incidents", "aggregate"})
            QVERIFY2(names.count(stage) == 1, stage);
    }

    void keepWritesTheFiles() {
        QTemporaryDir dir;
        Run r = itapCli({"bench", "--rows", "500", "--repeat", "1", "--keep", dir.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("total"));
        QVERIFY(QFile::exists(dir.filePath("bench.csv")));
        QVERIFY(QFile::exists(dir.filePath("bench.db")));
    }

    void badOptionsAreExitCode2_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("text devices") << QStringList{"--devices", "many"};
        QTest::newRow("zero hours") << QStringList{"--hours", "0"};
        QTest::newRow("rows and hours") << QStringList{"--rows", "1000", "--hours", "2"};
        QTest::newRow("negative threads") << QStringList{"--threads", "-1"};
        QTest::newRow("zero repeat") << QStringList{"--repeat", "0"};
        QTest::newRow("unknown flag") << QStringList{"--fast"};
        QTest::newRow("positional") << QStringList{"extra"};
    }
    void badOptionsAreExitCode2() {
        QFETCH(QStringList, args);
        Run r = itapCli(QStringList{"bench"} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("itap bench:"));
    }

    void help() {
        Run r = itapCli({"bench", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--json"));
    }
};

QTEST_GUILESS_MAIN(BenchTest)
#include "bench_test.moc"
