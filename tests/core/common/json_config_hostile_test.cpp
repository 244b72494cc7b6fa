// Hostile JSON configs (issue 9): every JSON file ITAP reads — sensor catalog, simulation profile, alert
// rules, import mapping, feature config and the model file's header — is fed deep nesting (100,000 levels:
// nlohmann's recursive parts would overflow the stack; parseJson refuses more than kMaxJsonDepth levels
// before parsing), invalid UTF-8, lone surrogates, NaN/Infinity literals and numbers that overflow a double.
// Each must give a clear error naming the file (and the line and column for syntax), never a crash.

#include "alerts/alert_rules.h"
#include "common/json_util.h"
#include "common/sensor_catalog.h"
#include "features/feature_params.h"
#include "importer/import_mapping.h"
#include "model/anomaly_model.h"
#include "support/test_files.h"
#include "telemetry/simulation_profile.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <functional>

using namespace itap;
using itap::test::writeFile;

namespace {

using Loader = std::function<Status(const QString&)>;

template <typename T>
Status statusOf(const Result<T>& r) {
    if (r)
        return {};
    return r.error();
}

// FeatureParams has no file of its own (it travels in the model); read it as a file the same way.
Status loadFeatureParams(const QString& path) {
    auto j = readJsonFile(path);
    if (!j)
        return j.error();
    return statusOf(FeatureParams::fromJson(*j, path));
}

// A well-formed model file (valid checksum, sections sized right) whose JSON header is `header`.
QByteArray modelFileWithHeader(const QByteArray& header) {
    QByteArray b("ITAPMODL");
    auto u32 = [&](quint32 v) {
        const quint32 le = qToLittleEndian(v);
        b.append(reinterpret_cast<const char*>(&le), 4);
    };
    u32(AnomalyModel::kFormatVersion);
    u32(static_cast<quint32>(header.size()));
    b.append(header);
    u32(0);  // trees
    u32(0);  // nodes
    u32(0);  // offsets[0]
    b.append(QCryptographicHash::hash(b, QCryptographicHash::Sha256));
    return b;
}

Status loadModelHeader(const QString& jsonPath) {
    QFile f(jsonPath);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(jsonPath));
    const QString modelPath = jsonPath + QStringLiteral(".itapmodel");
    QFile out(modelPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(modelFileWithHeader(f.readAll())) < 0)
        qFatal("cannot write %s", qPrintable(modelPath));
    out.close();
    auto m = AnomalyModel::load(modelPath);
    if (m)
        return {};
    Error e = m.error();
    if (e.file == modelPath)
        e.file = jsonPath;  // the checks below name the file they wrote
    return e;
}

const std::vector<std::pair<const char*, Loader>>& loaders() {
    static const std::vector<std::pair<const char*, Loader>> all = {
        {"sensor catalog", [](const QString& p) { return statusOf(SensorCatalog::load(p)); }},
        {"simulation profile", [](const QString& p) { return statusOf(SimulationProfile::load(p)); }},
        {"alert rules", [](const QString& p) { return statusOf(AlertRules::load(p)); }},
        {"import mapping", [](const QString& p) { return statusOf(ImportMapping::load(p)); }},
        {"feature config", loadFeatureParams},
        {"model header", loadModelHeader},
    };
    return all;
}

// alert_rules_fuzz's reproducer (crash-fa1fdc13070b9bb27659cdcac74dd156bf96a1c4), byte for byte.
const QByteArray kNumberOverflowReproducer =
    "{\"schema_version\": 1, \"rules\": [{\"id\": \"x_1\", \"cause\": \" \", \"families\": [], "
    "\"min_share\": 1e"
    "999, \"min_eachh\": -0.0, \"action\": \"\\u00e9\\ud83d\\ude00\"}], \"top_features\": "
    "9223372036854775808}\n";

QByteArray nestedArrays(int depth) {
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

QByteArray nestedObjects(int depth) {
    QByteArray s;
    for (int i = 0; i < depth; ++i) s += "{\"a\":";
    s += "1";
    s += QByteArray(depth, '}');
    return s;
}

}  // namespace

class JsonConfigHostileTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // Syntax-level hostility: the same for every loader, with line and column.
    void hostileJsonIsAClearError_data() {
        QTest::addColumn<int>("loader");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<qint64>("column");
        QTest::addColumn<QString>("messagePart");
        const QString deep = QStringLiteral("nested deeper than %1 levels").arg(kMaxJsonDepth);
        for (int l = 0; l < static_cast<int>(loaders().size()); ++l) {
            const char* name = loaders()[static_cast<std::size_t>(l)].first;
            QTest::addRow("%s: 100,000 nested arrays", name)
                << l << nestedArrays(100000) << qint64(1) << qint64(kMaxJsonDepth + 1) << deep;
            QTest::addRow("%s: 100,000 nested objects", name)
                << l << nestedObjects(100000) << qint64(1) << qint64(5 * kMaxJsonDepth + 1) << deep;
            QTest::addRow("%s: nesting one level too deep, on line 3", name)
                << l << "{\n\"x\":\n" + nestedArrays(kMaxJsonDepth) + "}" << qint64(3)
                << qint64(kMaxJsonDepth) << deep;
            QTest::addRow("%s: invalid UTF-8 in a string", name)
                << l << QByteArray("{\"schema_version\": 1,\n \"n\": \"ab\xff\"}") << qint64(2) << qint64(10)
                << QStringLiteral("invalid JSON");
            QTest::addRow("%s: invalid UTF-8 in a key", name)
                << l << QByteArray("{\"k\xc0\xaf\": 1}") << qint64(1) << qint64(4)
                << QStringLiteral("invalid JSON");
            QTest::addRow("%s: lone surrogate escape", name)
                << l << QByteArray("{\"n\": \"\\ud800x\"}") << qint64(1) << qint64(14)
                << QStringLiteral("invalid JSON");
            QTest::addRow("%s: NaN literal", name) << l << QByteArray("{\"n\": NaN}") << qint64(1)
                                                   << qint64(7) << QStringLiteral("invalid JSON");
            QTest::addRow("%s: number overflowing a double", name)
                << l << QByteArray("{\"n\": 1e999}") << qint64(1) << qint64(7)
                << QStringLiteral("number overflow");
            QTest::addRow("%s: negative overflow on line 2", name)
                << l << QByteArray("{\"n\":\n  -1e400}") << qint64(2) << qint64(3)
                << QStringLiteral("number overflow parsing '-1e400'");
            QTest::addRow("%s: duplicate key on line 3", name)
                << l << QByteArray("{\"schema_version\": 1,\n \"n\": 1,\n \"n\": 2}") << qint64(3)
                << qint64(2) << QStringLiteral("duplicate key \"n\"");
            QTest::addRow("%s: -Infinity literal", name) << l << QByteArray("{\"n\": -Infinity}") << qint64(1)
                                                         << qint64(8) << QStringLiteral("invalid JSON");
        }
    }
    void hostileJsonIsAClearError() {
        QFETCH(int, loader);
        QFETCH(QByteArray, text);
        QFETCH(qint64, line);
        QFETCH(qint64, column);
        QFETCH(QString, messagePart);
        const QString path = writeFile(dir_, QStringLiteral("hostile.json"), text);
        const Status s = loaders()[static_cast<std::size_t>(loader)].second(path);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QVERIFY2(s.error().message.contains(messagePart), qPrintable(s.error().toString()));
        QCOMPARE(s.error().file, path);
        // The model loader reports its header's JSON errors without a position in the file.
        if (QByteArray(loaders()[static_cast<std::size_t>(loader)].first) != "model header") {
            QCOMPARE(s.error().line, line);
            QCOMPARE(s.error().column, column);
        }
    }

    // Brackets inside strings are text, not nesting.
    void bracketsInStringsAreNotNesting() {
        const QByteArray note = "\"_note\": \"" + QByteArray(100000, '[') + "\\\"{{{\",\n";
        const QString path = writeFile(dir_, QStringLiteral("catalog.json"),
                                       "{" + note +
                                           "\"channels\": [{\"name\": \"a\", \"family\": \"F\", \"min\": 0, "
                                           "\"max\": 1}]}");
        auto c = SensorCatalog::load(path);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().toString()));
        QCOMPARE(c->size(), 1);
    }

    // A key twice in one object is refused, naming the key and where its second use is; the same key in
    // sibling or nested objects is fine.
    void duplicateKeysAreRejected_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("duplicate");  // empty: valid
        QTest::addColumn<qint64>("line");
        QTest::addColumn<qint64>("column");
        QTest::newRow("top level") << QByteArray("{\"a\": 1, \"a\": 2}") << "a" << qint64(1) << qint64(10);
        QTest::newRow("nested") << QByteArray("{\"x\": {\"b\": 1,\n\"b\" : [2]}}") << "b" << qint64(2)
                                << qint64(1);
        QTest::newRow("after a nested object with the key")
            << QByteArray("{\"k\": {\"k\": 1}, \"k\": 2}") << "k" << qint64(1) << qint64(17);
        QTest::newRow("siblings") << QByteArray("[{\"a\": 1}, {\"a\": 2}]") << QString() << qint64(0)
                                  << qint64(0);
        QTest::newRow("nested same key")
            << QByteArray("{\"a\": {\"a\": {\"a\": 1}}}") << QString() << qint64(0) << qint64(0);
        QTest::newRow("key text as a value")
            << QByteArray("{\"a\": \"a\", \"b\": \"a\"}") << QString() << qint64(0) << qint64(0);
    }
    void duplicateKeysAreRejected() {
        QFETCH(QByteArray, text);
        QFETCH(QString, duplicate);
        QFETCH(qint64, line);
        QFETCH(qint64, column);
        auto j = parseJson(text, QStringLiteral("dup.json"));
        if (duplicate.isEmpty()) {
            QVERIFY2(j.ok(), qPrintable(j.ok() ? QString() : j.error().toString()));
            return;
        }
        QVERIFY(!j.ok());
        QCOMPARE(j.error().kind, Error::Kind::BadInput);
        QVERIFY2(j.error().message.contains(QStringLiteral("duplicate key \"%1\"").arg(duplicate)),
                 qPrintable(j.error().toString()));
        QCOMPARE(j.error().line, line);
        QCOMPARE(j.error().column, column);
    }

    void maximumDepthIsAccepted() {
        auto j = parseJson(nestedArrays(kMaxJsonDepth), QStringLiteral("deep.json"));
        QVERIFY(j.ok());
    }

    // Found by alert_rules_fuzz on its first input (tests/fuzz/corpus/alert_rules_fuzz/bad_field.json):
    // nlohmann throws out_of_range (not parse_error) for a number that overflows a double, and it escaped
    // parseJson and terminated the application. Every loader gets the reproducer's bytes.
    void fuzzRegressionNumberOverflow_data() {
        QTest::addColumn<int>("loader");
        for (int l = 0; l < static_cast<int>(loaders().size()); ++l)
            QTest::addRow("%s", loaders()[static_cast<std::size_t>(l)].first) << l;
    }
    void fuzzRegressionNumberOverflow() {
        QFETCH(int, loader);
        const QByteArray reproducer = kNumberOverflowReproducer;
        const QString path = writeFile(dir_, QStringLiteral("crash-fa1fdc13.json"), reproducer);
        const Status s = loaders()[static_cast<std::size_t>(loader)].second(path);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().kind, Error::Kind::BadInput);
        QCOMPARE(s.error().file, path);
        QVERIFY2(s.error().message.contains(QStringLiteral("number overflow parsing '1e999'")),
                 qPrintable(s.error().toString()));
        if (QByteArray(loaders()[static_cast<std::size_t>(loader)].first) != "model header") {
            QCOMPARE(s.error().line, qint64(1));
            QCOMPARE(s.error().column, qint64(reproducer.indexOf("1e999") + 1));
        }
    }
};

QTEST_GUILESS_MAIN(JsonConfigHostileTest)
#include "json_config_hostile_test.moc"
