#include "importer/import_mapping.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace itap;
using json = nlohmann::json;

namespace {

json baseMapping() {
    return json::parse("{\n"
"      \"schema_version\": 1,\n"
"      \"source\": {\"delimiter\": \";\", \"decimal\": \",\", \"header\": true, \"quote\": \"'\", \"encoding\": \"utf-8\", \"comment\": \"#\"},\n"
"      \"timestamp\": {\"column\": \"time\", \"format\": \"dd.MM.yyyy hh:mm:ss\", \"zone\": \"Europe/Berlin\"},\n"
"      \"device\": {\"from_file_name\": true, \"regex\": \"^([^_]+)_\"},\n"
"      \"channels\": [\n"
"        {\"column\": \"P [bar]\", \"name\": \"pressure_bar\", \"unit\": \"bar\", \"family\": \"Pressure\", \"min\": 0, \"max\": 16},\n"
"        {\"column\": \"Q\", \"name\": \"flow\", \"unit\": \"m3/h\", \"family\": \"Flow\", \"min\": 0, \"max\": 100, \"scale\": 2, \"offset\": 1}\n"
"      ],\n"
"      \"state\": {\"column\": \"status\", \"map\": {\"on\": \"RUN\", \"off\": \"IDLE\"}, \"default\": \"MAINT\"},\n"
"      \"error_code\": {\"column\": \"err\"},\n"
"      \"labels\": {\"anomaly_column\": \"label\"}\n"
"    }");
}

}  // namespace

class ImportMappingTest : public QObject {
    Q_OBJECT
private slots:
    void parsesEveryField() {
        auto m = ImportMapping::fromJson(baseMapping(), QStringLiteral("m.json"));
        QVERIFY2(m.ok(), m.ok() ? "" : qPrintable(m.error().toString()));
        QCOMPARE(m->source.delimiter, QLatin1Char(';'));
        QCOMPARE(m->source.decimal, QLatin1Char(','));
        QCOMPARE(m->source.comment, QStringLiteral("#"));
        QCOMPARE(m->timestamp.format, ImportMapping::TimeFormat::Pattern);
        QCOMPARE(m->timestamp.pattern, QStringLiteral("dd.MM.yyyy hh:mm:ss"));
        QCOMPARE(m->device.source, ImportMapping::DeviceSource::FileName);
        QCOMPARE(m->channels.size(), std::size_t(2));
        QCOMPARE(m->channels[1].scale, 2.0);
        QCOMPARE(m->state.map.at(QStringLiteral("off")), OpState::Idle);
        QCOMPARE(*m->state.fallback, OpState::Maint);
        QVERIFY(m->errorCode.has_value());
        QCOMPARE(m->labels.kind, ImportMapping::LabelKind::AnomalyFlag);
        QCOMPARE(m->catalog().size(), 2);
        QCOMPARE(m->catalog().families(), (QStringList{QStringLiteral("Pressure"), QStringLiteral("Flow")}));
    }

    void roundTrips() {
        auto m = ImportMapping::fromJson(baseMapping(), QStringLiteral("m.json"));
        QVERIFY(m.ok());
        auto again = ImportMapping::fromJson(m->toJson(), QStringLiteral("again"));
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().toString()));
        QCOMPARE(again->toJson().dump(), m->toJson().dump());
        QCOMPARE(again->catalog().hash(), m->catalog().hash());
    }

    void defaults() {
        auto m = ImportMapping::fromJson(json::parse("{\"schema_version\":1,\"timestamp\":{\"column\":\"ts\"},\n"
"            \"channels\":[{\"column\":\"x\",\"name\":\"x\",\"family\":\"Other\",\"min\":0,\"max\":1}]}"),
                                         QStringLiteral("m"));
        QVERIFY(m.ok());
        QCOMPARE(m->source.delimiter, QLatin1Char(','));
        QCOMPARE(m->timestamp.format, ImportMapping::TimeFormat::Iso8601);
        QCOMPARE(m->timestamp.zone, QStringLiteral("UTC"));
        QCOMPARE(m->device.source, ImportMapping::DeviceSource::Constant);
        QVERIFY(!m->state.fromColumn);
        QCOMPARE(m->state.constant, OpState::Run);
        QVERIFY(!m->hasLabels());
    }

    void errorsNameTheKeyPath_data() {
        QTest::addColumn<QString>("pointer");  // JSON pointer to set ("" = replace nothing)
        QTest::addColumn<QString>("value");    // JSON value, or "-" to delete
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown top key") << "/colour" << "1" << "colour: unknown key";
        QTest::newRow("unknown channel key") << "/channels/1/colour" << "\"red\"" << "channels[1].colour: unknown key";
        QTest::newRow("unknown source key") << "/source/sep" << "\";\"" << "source.sep: unknown key";
        QTest::newRow("bad delimiter") << "/source/delimiter" << "\":\"" << "source.delimiter";
        QTest::newRow("bad decimal") << "/source/decimal" << "\";\"" << "source.decimal";
        QTest::newRow("bad encoding") << "/source/encoding" << "\"utf-16\"" << "source.encoding";
        QTest::newRow("header type") << "/source/header" << "\"yes\"" << "source.header: expected true or false";
        QTest::newRow("version") << "/schema_version" << "2" << "schema_version: unsupported version";
        QTest::newRow("no version") << "/schema_version" << "-" << "'schema_version' is required";
        QTest::newRow("no timestamp") << "/timestamp" << "-" << "'timestamp' is required";
        QTest::newRow("zone") << "/timestamp/zone" << "\"Mars/Olympus\"" << "timestamp.zone: unknown time zone";
        QTest::newRow("pattern") << "/timestamp/format" << "\"hh:mm\"" << "timestamp.format: pattern";
        QTest::newRow("column type") << "/timestamp/column" << "true" << "timestamp.column: expected a column name";
        QTest::newRow("column 0") << "/timestamp/column" << "0" << "timestamp.column: a column number";
        QTest::newRow("device two sources") << "/device/column" << "\"dev\"" << "device: give exactly one";
        QTest::newRow("regex without file name") << "/device" << "{\"constant\":\"X\",\"regex\":\"a\"}" << "device.regex: only allowed";
        QTest::newRow("bad regex") << "/device/regex" << "\"([\"" << "device.regex: invalid regular expression";
        QTest::newRow("channel name") << "/channels/0/name" << "\"Bad Name\"" << "channels[0].name";
        QTest::newRow("channel dup") << "/channels/1/name" << "\"pressure_bar\"" << "channels[1].name: 'pressure_bar' is used twice";
        QTest::newRow("channel range") << "/channels/0/max" << "-1" << "channels[0].max: max (-1) must be greater than min (0)";
        QTest::newRow("channel min type") << "/channels/0/min" << "\"low\"" << "channels[0].min: expected a number";
        QTest::newRow("channel no family") << "/channels/0/family" << "-" << "channels[0]: 'family' is required";
        QTest::newRow("channel scale") << "/channels/1/scale" << "0" << "channels[1].scale: must not be 0";
        QTest::newRow("no channels") << "/channels" << "[]" << "channels: expected a non-empty array";
        QTest::newRow("state value") << "/state/map/on" << "\"RUNNING\"" << "state.map.on: 'RUNNING' is not a state";
        QTest::newRow("state default") << "/state/default" << "\"x\"" << "state.default";
        QTest::newRow("state both") << "/state/constant" << "\"RUN\"" << "state: give exactly one";
        QTest::newRow("labels both") << "/labels/fault_column" << "\"f\"" << "labels: give at most one";
        QTest::newRow("labels string") << "/labels" << "\"some\"" << "labels: expected \"none\"";
        QTest::newRow("error_code key") << "/error_code/col" << "1" << "error_code.col: unknown key";
        QTest::newRow("no header, named column") << "/source/header" << "false" << "timestamp.column: the file has no header";
        QTest::newRow("skip_lines") << "/source/skip_lines" << "-3" << "source.skip_lines";
    }
    void errorsNameTheKeyPath() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        json j = baseMapping();
        const json::json_pointer ptr(pointer.toStdString());
        if (value == QLatin1String("-")) j.at(ptr.parent_pointer()).erase(ptr.back());
        else j[ptr] = json::parse(value.toStdString());
        auto m = ImportMapping::fromJson(j, QStringLiteral("map.json"));
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
        QCOMPARE(m.error().file, QStringLiteral("map.json"));
        QVERIFY2(m.error().message.contains(expected), qPrintable(m.error().toString()));
    }
};

QTEST_GUILESS_MAIN(ImportMappingTest)
#include "import_mapping_test.moc"
