#include "importer/importer.h"
#include "common/time_util.h"
#include "features/feature_engine.h"
#include "importer/mapped_csv_reader.h"
#include "importer/mapping_guesser.h"
#include "support/test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace itap;
using itap::test::writeFile;
using json = nlohmann::json;

namespace {

ImportMapping mapping(const char* text) {
    auto m = ImportMapping::fromJson(json::parse(text), QStringLiteral("test mapping"));
    if (!m)
        qFatal("%s", qPrintable(m.error().toString()));
    return std::move(m).value();
}

ImportOptions lenient() {
    ImportOptions o;
    o.skipInvalid = true;
    return o;
}

const char* kSimple =
    "{\"schema_version\":1,\n"
    "  \"timestamp\":{\"column\":\"ts\",\"format\":\"unix_s\"},\n"
    "  \"device\":{\"column\":\"dev\"},\n"
    "  \"channels\":[{\"column\":\"a\",\"name\":\"a\",\"family\":\"Pressure\",\"min\":0,\"max\":100},\n"
    "              {\"column\":\"b\",\"name\":\"b\",\"family\":\"Flow\",\"min\":0,\"max\":100}]}";

}  // namespace

class ImporterTest : public QObject {
    Q_OBJECT
private slots:
    void decimalCommaSemicolonBomComments() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("pump-7_export.csv"),
                                       "\xEF\xBB\xBF# exported by Historian 3.1\n"
                                       "Zeit;Druck [bar];Fluss;Notiz\n"
                                       "# a comment between rows\n"
                                       "01.02.2026 10:00:00;5,25;12,5;\"a; b\"\r\n"
                                       "\n"
                                       "01.02.2026 10:00:10;-0,5;+3;\"say \"\"hi\"\"\"\r\n"
                                       "01.02.2026 10:00:20;NaN;;\"multi\nline\"\r\n");
        const ImportMapping m = mapping(
            "{\"schema_version\":1,\n"
            "          \"source\":{\"delimiter\":\";\",\"decimal\":\",\",\"comment\":\"#\"},\n"
            "          \"timestamp\":{\"column\":\"Zeit\",\"format\":\"dd.MM.yyyy "
            "hh:mm:ss\",\"zone\":\"+01:00\"},\n"
            "          \"device\":{\"from_file_name\":true,\"regex\":\"^([^_]+)_\"},\n"
            "          \"channels\":[{\"column\":\"Druck "
            "[bar]\",\"name\":\"p\",\"family\":\"Pressure\",\"min\":-1,\"max\":10},\n"
            "                      "
            "{\"column\":\"Fluss\",\"name\":\"q\",\"family\":\"Flow\",\"min\":0,\"max\":100}]}");
        auto data = Importer(m).read({path}, ImportOptions{});
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        const TelemetryBatch& b = data->batches.at(0);
        QCOMPARE(b.rowCount(), std::size_t(3));
        QCOMPARE(b.deviceId[0], QStringLiteral("pump-7"));
        QCOMPARE(formatUtcTimestamp(b.tsMs[0]), QStringLiteral("2026-02-01T09:00:00Z"));
        QCOMPARE(b.value(0, 0), 5.25);
        QCOMPARE(b.value(0, 1), 12.5);
        QCOMPARE(b.value(1, 0), -0.5);
        QCOMPARE(b.value(1, 1), 3.0);
        QVERIFY(isMissing(b.value(2, 0)));
        QVERIFY(isMissing(b.value(2, 1)));
        QCOMPARE(b.sourceLine[0], qint64(4));
        QCOMPARE(b.sourceLine[1], qint64(6));
        QCOMPARE(b.sourceLine[2], qint64(7));
        QCOMPARE(b.state[0], OpState::Run);
        const ImportFileReport& r = data->report.files.at(0);
        QCOMPARE(r.unmappedColumns, QStringList{QStringLiteral("Notiz")});
        QCOMPARE(r.validation.rowsRead(), qint64(3));
        QCOMPARE(r.validation.checkCount(QStringLiteral("missing")), qint64(2));
        QCOMPARE(data->report.unmappedColumns(), QStringList{QStringLiteral("Notiz")});
    }

    void tabNoHeaderByPositionAndScale() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("x.tsv"),
                                       "2026-01-01T00:00:00Z\tM1\t1.5\t20\n"
                                       "2026-01-01T00:00:01Z\tM1\t2.5\t21\n");
        const ImportMapping m = mapping(
            "{\"schema_version\":1,\n"
            "          \"source\":{\"delimiter\":\"\\t\",\"header\":false,\"quote\":\"\"},\n"
            "          \"timestamp\":{\"column\":1},\n"
            "          \"device\":{\"column\":2},\n"
            "          "
            "\"channels\":[{\"column\":3,\"name\":\"a\",\"family\":\"Current\",\"min\":0,\"max\":10000,"
            "\"scale\":1000},\n"
            "                      "
            "{\"column\":4,\"name\":\"t\",\"family\":\"Temperature\",\"min\":0,\"max\":400,\"offset\":273.15}"
            "]}");
        auto data = Importer(m).read({path}, ImportOptions{});
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        const TelemetryBatch& b = data->batches.at(0);
        QCOMPARE(b.rowCount(), std::size_t(2));
        QCOMPARE(b.deviceId[1], QStringLiteral("M1"));
        QCOMPARE(b.value(0, 0), 1500.0);
        QCOMPARE(b.value(1, 1), 294.15);
        QCOMPARE(data->report.files[0].header.size(), 4);
        QVERIFY(data->report.files[0].unmappedColumns.isEmpty());
    }

    void deviceFromFileName() {
        ImportMapping::Device d;
        d.source = ImportMapping::DeviceSource::FileName;
        QCOMPARE(MappedCsvReader::deviceFromFileName(d, QStringLiteral("/x/pump-A_2026.csv")),
                 QStringLiteral("pump-A_2026"));
        d.regex = QStringLiteral("^([^_]+)_");
        QCOMPARE(MappedCsvReader::deviceFromFileName(d, QStringLiteral("/x/pump-A_2026.csv")),
                 QStringLiteral("pump-A"));
        d.regex = QStringLiteral("line\\d+");
        QCOMPARE(MappedCsvReader::deviceFromFileName(d, QStringLiteral("/x/line42-export.csv")),
                 QStringLiteral("line42"));

        // A regex that does not match the file is an error naming the file.
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("other.csv"), "ts,a,b\n1767225600,1,2\n");
        ImportMapping m = mapping(kSimple);
        m.device = ImportMapping::Device{
            ImportMapping::DeviceSource::FileName, {}, {}, QStringLiteral("^pump-(\\w)")};
        auto data = Importer(m).read({path}, ImportOptions{});
        QVERIFY(!data.ok());
        QCOMPARE(data.error().file, path);
        QVERIFY(data.error().message.contains(QStringLiteral("does not match")));
    }

    void manyFilesOneDeviceEach() {
        QTemporaryDir dir;
        const QString a = writeFile(dir, QStringLiteral("A.csv"), "ts,x\n1767225600,1\n1767225610,2\n");
        const QString b = writeFile(dir, QStringLiteral("B.csv"), "ts,x\n1767225600,3\n");
        const ImportMapping m = mapping(
            "{\"schema_version\":1,\"timestamp\":{\"column\":\"ts\",\"format\":\"unix_s\"},\n"
            "          \"device\":{\"from_file_name\":true},\n"
            "          "
            "\"channels\":[{\"column\":\"x\",\"name\":\"x\",\"family\":\"Level\",\"min\":0,\"max\":10}]}");
        auto data = Importer(m).read({a, b}, ImportOptions{});
        QVERIFY(data.ok());
        QCOMPARE(data->batches.size(), std::size_t(2));
        QCOMPARE(data->batches[0].deviceId[1], QStringLiteral("A"));
        QCOMPARE(data->batches[1].deviceId[0], QStringLiteral("B"));
        QCOMPARE(data->report.rowsAccepted(), qint64(3));
    }

    void stateMapAndConstant() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("s.csv"),
                                       "ts,dev,a,b,mode\n"
                                       "1767225600,D,1,1,Betrieb\n"
                                       "1767225601,D,1,1,Stillstand\n"
                                       "1767225602,D,1,1, Wartung \n"
                                       "1767225603,D,1,1,Störung\n");
        ImportMapping m = mapping(kSimple);
        m.state.fromColumn = true;
        m.state.column = ColumnRef{QStringLiteral("mode"), 0};
        m.state.map = {{QStringLiteral("Betrieb"), OpState::Run},
                       {QStringLiteral("Stillstand"), OpState::Idle},
                       {QStringLiteral("Wartung"), OpState::Maint}};
        auto data = Importer(m).read({path}, lenient());
        QVERIFY(data.ok());
        const TelemetryBatch& b = data->batches[0];
        QCOMPARE(b.rowCount(), std::size_t(3));
        QCOMPARE(b.state[0], OpState::Run);
        QCOMPARE(b.state[1], OpState::Idle);
        QCOMPARE(b.state[2], OpState::Maint);
        const auto issues = data->report.files[0].validation.issues();
        QCOMPARE(data->report.files[0].validation.checkCount(QStringLiteral("state")), qint64(1));
        QCOMPARE(issues.front().line, qint64(5));
        QCOMPARE(issues.front().column, qint64(5));
        QVERIFY(issues.front().message.contains(QStringLiteral("Störung")));

        m.state.fallback = OpState::Idle;  // unknown values become IDLE
        data = Importer(m).read({path}, ImportOptions{});
        QVERIFY(data.ok());
        QCOMPARE(data->batches[0].rowCount(), std::size_t(4));
        QCOMPARE(data->batches[0].state[3], OpState::Idle);

        m.state = ImportMapping::State{};
        m.state.constant = OpState::Maint;
        data = Importer(m).read({path}, ImportOptions{});
        QVERIFY(data.ok());
        QCOMPARE(data->batches[0].state[0], OpState::Maint);
        QVERIFY(data->report.files[0].unmappedColumns.contains(QStringLiteral("mode")));
    }

    void labels() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("l.csv"),
                                       "ts,dev,a,b,flag,fault,err\n"
                                       "1767225600,D,1,1,0,,0\n"
                                       "1767225601,D,1,1,1,bearing_wear,3\n"
                                       "1767225602,D,1,1,true,normal,\n"
                                       "1767225603,D,1,1,maybe,x,1\n");
        ImportMapping m = mapping(kSimple);
        m.labels.kind = ImportMapping::LabelKind::AnomalyFlag;
        m.labels.column = ColumnRef{QStringLiteral("flag"), 0};
        m.errorCode = ColumnRef{QStringLiteral("err"), 0};
        auto data = Importer(m).read({path}, lenient());
        QVERIFY(data.ok());
        QVERIFY(data->report.hasLabels);
        const TelemetryBatch& b = data->batches[0];
        QCOMPARE(b.rowCount(), std::size_t(3));
        QCOMPARE(b.faultTag[0], QString());
        QCOMPARE(b.faultTag[1], QStringLiteral("anomaly"));
        QCOMPARE(b.faultTag[2], QStringLiteral("anomaly"));
        QCOMPARE(b.errorCode[1], 3);
        QCOMPARE(b.errorCode[2], 0);
        QCOMPARE(data->report.files[0].validation.checkCount(QStringLiteral("label")), qint64(1));
        QVERIFY(data->report.files[0].unmappedColumns.contains(QStringLiteral("fault")));

        m.labels.kind = ImportMapping::LabelKind::FaultName;
        m.labels.column = ColumnRef{QStringLiteral("fault"), 0};
        data = Importer(m).read({path}, ImportOptions{});
        QVERIFY(data.ok());
        QCOMPARE(data->batches[0].faultTag[0], QString());
        QCOMPARE(data->batches[0].faultTag[1], QStringLiteral("bearing_wear"));
        QCOMPARE(data->batches[0].faultTag[2], QString());  // "normal"
        QCOMPARE(data->batches[0].faultTag[3], QStringLiteral("x"));
    }

    void badRowsNameFileLineColumn() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("bad.csv"),
                                       "ts,dev,a,b\n"
                                       "1767225600,D,1,2\n"
                                       "17672x,D,1,2\n"
                                       "1767225602,D,one,2\n"
                                       "1767225603,,1,2\n"
                                       "1767225604,D,1\n"
                                       "1767225605,D,1,\"2\n");
        const Importer importer(mapping(kSimple));
        auto strict = importer.read({path}, ImportOptions{});
        QVERIFY(!strict.ok());
        QCOMPARE(strict.error().kind, Error::Kind::BadInput);
        QVERIFY2(strict.error().toString().startsWith(path + QStringLiteral(":3:1: ")),
                 qPrintable(strict.error().toString()));
        QVERIFY(strict.error().message.contains(QStringLiteral("timestamp")));
        QVERIFY(strict.error().message.contains(QStringLiteral("4 more malformed rows")));

        auto data = importer.read({path}, lenient());
        QVERIFY(data.ok());
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(v.rowsRead(), qint64(6));
        QCOMPARE(v.rowsAccepted(), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("timestamp")), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("number")), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("device_id")), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("column_count")), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("quote")), qint64(1));
        const auto issues = v.issues();
        QCOMPARE(issues[1].line, qint64(4));
        QCOMPARE(issues[1].column, qint64(3));
        QVERIFY(issues[1].message.contains(QStringLiteral("'one' is not a number")));
        const QString summary = data->report.summary();
        QVERIFY2(summary.contains(path + QStringLiteral(":4:3: ")), qPrintable(summary));
    }

    // .0001 and .0009 would both be stored as .000: two samples merged silently. Refused as ingest refuses
    // them: file, line and column, "finer than a millisecond"; zeros after the milliseconds are fine.
    void subMillisecondTimestampsAreRefusedLikeIngest() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("sub.csv"),
                                       "ts,dev,a,b\n"
                                       "1767225600.0001,D,1,2\n"
                                       "1767225600.0009,D,1,2\n"
                                       "1767225601.120000,D,1,2\n"
                                       "1767225602.5,D,1,2\n");
        const Importer importer(mapping(kSimple));
        auto strict = importer.read({path}, ImportOptions{});
        QVERIFY(!strict.ok());
        QCOMPARE(strict.error().kind, Error::Kind::BadInput);
        QVERIFY2(strict.error().toString().startsWith(path + QStringLiteral(":2:1: ")),
                 qPrintable(strict.error().toString()));
        QVERIFY2(strict.error().message.contains(
                     QStringLiteral("ts: '1767225600.0001' is finer than a millisecond")),
                 qPrintable(strict.error().message));

        auto data = importer.read({path}, lenient());
        QVERIFY(data.ok());
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(v.rowsRead(), qint64(4));
        QCOMPARE(v.rowsAccepted(), qint64(2));
        QCOMPARE(v.checkCount(QStringLiteral("timestamp")), qint64(2));
        const auto issues = v.issues();
        QCOMPARE(issues[0].line, qint64(2));
        QCOMPARE(issues[1].line, qint64(3));
        QCOMPARE(issues[1].column, qint64(1));
        QVERIFY2(issues[1].message.contains(QStringLiteral("finer than a millisecond")),
                 qPrintable(issues[1].message));
        QCOMPARE(data->batches[0].tsMs, (std::vector<qint64>{1767225601120, 1767225602500}));
    }

    void unknownColumnInMapping() {
        QTemporaryDir dir;
        const QString path =
            writeFile(dir, QStringLiteral("u.csv"), "# preamble\nts,dev,a,B\n1767225600,D,1,2\n");
        ImportMapping m = mapping(kSimple);
        m.source.comment = QStringLiteral("#");
        auto data = Importer(m).read({path}, ImportOptions{});
        QVERIFY(!data.ok());
        QCOMPARE(data.error().file, path);
        QCOMPARE(data.error().line, qint64(2));
        const QString msg = data.error().message;
        QVERIFY2(msg.contains(QStringLiteral("channels[1].column")) &&
                     msg.contains(QStringLiteral("unknown column 'b'")) &&
                     msg.contains(QStringLiteral("did you mean 'B'")) &&
                     msg.contains(QStringLiteral("ts, dev, a, B")),
                 qPrintable(msg));
    }

    void messyTimestampsLikeTheValidator() {
        QTemporaryDir dir;
        QByteArray csv = "ts,dev,a,b\n";
        qint64 t = 1767225600;
        for (int i = 0; i < 40; ++i) {
            t += 7 + (i * 5) % 7;  // irregular 7..13 s
            if (i == 20)
                t += 900;  // a 15-minute gap
            csv += QByteArray::number(t) + ",D," + QByteArray::number(i % 3) + ",5\n";
            if (i == 10)
                csv += QByteArray::number(t) + ",D,1,5\n";  // duplicate
            if (i == 30)
                csv += QByteArray::number(t - 100) + ",D,1,5\n";  // backward
        }
        csv += QByteArray::number(t + 10) + ",D,500,5\n";  // out of range
        const QString path = writeFile(dir, QStringLiteral("m.csv"), csv);
        auto data = Importer(mapping(kSimple)).read({path}, ImportOptions{});
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(v.rowsRead(), qint64(43));
        QCOMPARE(v.rowsAccepted(), qint64(40));
        QCOMPARE(v.checkCount(QStringLiteral("duplicate")), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("out_of_order")), qint64(1));
        QCOMPARE(v.checkCount(QStringLiteral("range")), qint64(1));
        QCOMPARE(v.gapCount(), qint64(1));
        // Accepted rows keep their real, irregular timestamps.
        const TelemetryBatch& b = data->batches[0];
        QCOMPARE(b.rowCount(), std::size_t(40));
        for (std::size_t r = 1; r < b.rowCount(); ++r) QVERIFY(b.tsMs[r] > b.tsMs[r - 1]);
    }

    void constantAndQuantisedChannelsGiveFiniteFeatures() {
        QTemporaryDir dir;
        QByteArray csv = "ts,dev,a,b\n";
        for (int i = 0; i < 200; ++i)
            csv += QByteArray::number(1767225600 + i * 10) + ",D," +
                   QByteArray::number(std::round(20 + 3 * std::sin(i * 0.1)) / 2.0) +
                   ",6.0\n";  // a: quantised to 0.5, b: constant
        const QString path = writeFile(dir, QStringLiteral("c.csv"), csv);
        const Importer importer(mapping(kSimple));
        auto data = importer.read({path}, ImportOptions{});
        QVERIFY(data.ok());
        const TelemetryBatch& b = data->batches[0];
        DeviceSeries s;
        s.deviceId = QStringLiteral("D");
        s.channels.resize(2);
        for (std::size_t r = 0; r < b.rowCount(); ++r) {
            s.tsMs.push_back(b.tsMs[r]);
            s.state.push_back(b.state[r]);
            s.errorCode.push_back(0);
            s.faultTag.push_back({});
            s.channels[0].push_back(b.value(r, 0));
            s.channels[1].push_back(b.value(r, 1));
        }
        const FeatureEngine engine(importer.catalog(), FeatureParams{});
        const FeatureMatrix f = engine.compute(s);
        QCOMPARE(f.rows(), b.rowCount());
        for (float v : f.data) QVERIFY(std::isfinite(v));
        for (std::size_t r = 0; r < f.rows(); ++r) {
            QCOMPARE(f.at(r, engine.column(1, ChannelStat::Std)), 0.0f);
            QCOMPARE(f.at(r, engine.column(1, ChannelStat::ZScore)), 0.0f);
        }
    }

    void previewStopsEarlyAndNeverFailsOnRows() {
        QTemporaryDir dir;
        QByteArray csv = "ts,dev,a,b\nbad,D,1,1\n";
        for (int i = 0; i < 500; ++i) csv += QByteArray::number(1767225600 + i) + ",D,1,2\n";
        const QString path = writeFile(dir, QStringLiteral("p.csv"), csv);
        auto data = Importer(mapping(kSimple)).preview(path, 20);
        QVERIFY(data.ok());
        QCOMPARE(data->batches[0].rowCount(), std::size_t(19));
        QCOMPARE(data->report.files[0].validation.checkCount(QStringLiteral("timestamp")), qint64(1));
    }

    void guessProposesMappingsThatImportTheExamples_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("devices");
        QTest::addColumn<bool>("labels");
        QTest::newRow("historian") << "data/import/historian/pump-A_2026-03-28.csv" << 1 << false;
        QTest::newRow("testrig") << "data/import/testrig/rig_log.csv" << 2 << true;
    }
    void guessProposesMappingsThatImportTheExamples() {
        QFETCH(QString, file);
        QFETCH(int, devices);
        QFETCH(bool, labels);
        const QString path = QStringLiteral(ITAP_SOURCE_DIR "/") + file;
        auto guess = guessMapping(path);
        QVERIFY2(guess.ok(), guess.ok() ? "" : qPrintable(guess.error().toString()));
        QVERIFY(guess->mapping.channels.size() >= 4);
        QCOMPARE(guess->mapping.hasLabels(), labels);
        QVERIFY(guess->mapping.state.fromColumn);
        // What --guess prints must parse back as a mapping.
        auto reparsed = ImportMapping::fromJson(guess->mapping.toJson(), QStringLiteral("guess"));
        QVERIFY2(reparsed.ok(), reparsed.ok() ? "" : qPrintable(reparsed.error().toString()));
        auto data = Importer(*reparsed).read({path}, ImportOptions{});
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        const ValidationReport& v = data->report.files[0].validation;
        QCOMPARE(v.malformedRows(), qint64(0));
        QCOMPARE(v.checkCount(QStringLiteral("range")), qint64(0));
        QCOMPARE(int(v.devices().size()), devices);
        QVERIFY(v.rowsAccepted() >= v.rowsRead() - 2);  // only the planted duplicate/backward rows
    }

    void guessCrafted() {
        QTemporaryDir dir;
        const QString path =
            writeFile(dir, QStringLiteral("line3.txt"),
                      "Date/Time\tMachine\tStatus\tSpeed (rpm)\tPower [kW]\tAlarm code\tFault\n"
                      "03/05/2026 10:00:00\tM-1\tON\t1500,5\t12,25\t0\t\n"
                      "03/05/2026 10:00:05\tM-1\tOFF\t0,0\t0,5\t2\toverheat\n"
                      "03/05/2026 10:00:10\tM-2\tON\t1498,0\t12,0\t0\t\n");
        auto guess = guessMapping(path);
        QVERIFY2(guess.ok(), guess.ok() ? "" : qPrintable(guess.error().toString()));
        const ImportMapping& m = guess->mapping;
        QCOMPARE(m.source.delimiter, QLatin1Char('\t'));
        QCOMPARE(m.source.decimal, QLatin1Char(','));
        QCOMPARE(m.timestamp.pattern, QStringLiteral("dd/MM/yyyy hh:mm:ss"));
        QCOMPARE(m.device.source, ImportMapping::DeviceSource::Column);
        QCOMPARE(m.device.column.name, QStringLiteral("Machine"));
        QCOMPARE(m.state.map.at(QStringLiteral("ON")), OpState::Run);
        QCOMPARE(m.state.map.at(QStringLiteral("OFF")), OpState::Idle);
        QVERIFY(m.errorCode.has_value());
        QCOMPARE(m.labels.kind, ImportMapping::LabelKind::FaultName);
        QCOMPARE(m.channels.size(), std::size_t(2));
        QCOMPARE(m.channels[0].spec.name, QStringLiteral("speed_rpm"));
        QCOMPARE(m.channels[0].spec.family, QStringLiteral("RPM"));
        QCOMPARE(m.channels[1].spec.unit, QStringLiteral("kW"));
        QCOMPARE(m.channels[1].spec.family, QStringLiteral("Power"));
        auto data = Importer(m).read({path}, ImportOptions{});
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        QCOMPARE(data->report.rowsAccepted(), qint64(3));
    }
};

QTEST_GUILESS_MAIN(ImporterTest)
#include "importer_test.moc"
