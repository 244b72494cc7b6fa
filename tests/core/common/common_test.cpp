#include "common/json_util.h"
#include "common/sensor_catalog.h"
#include "common/tag_column.h"
#include "common/time_util.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace itap;

class CommonTest : public QObject {
    Q_OBJECT
private slots:
    void parsesTimestamps_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
        QTest::newRow("iso") << "2026-01-01T05:31:10Z" << qint64(1767245470000);
        QTest::newRow("space") << "2026-01-01 05:31:10" << qint64(1767245470000);
        QTest::newRow("millis") << "2026-01-01T05:31:10.250Z" << qint64(1767245470250);
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << qint64(1709164800000);
        QTest::newRow("pre-epoch") << "1969-12-31T23:59:59Z" << qint64(-1000);
    }
    void parsesTimestamps() {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto ms = parseUtcTimestamp(QStringView(text));
        QVERIFY(ms.has_value());
        QCOMPARE(*ms, expected);
    }

    void rejectsBadTimestamps_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad : {"", "2026-01-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2023-02-29 00:00:00",
                                "2026-01-01T24:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00+01:00",
                                "2026-01-01T00:00:00Zx", "abcd-01-01T00:00:00Z", "2026-01-01T00:00:00.Z"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }
    void rejectsBadTimestamps() {
        QFETCH(QString, text);
        QVERIFY(!parseUtcTimestamp(QStringView(text)).has_value());
    }

    void formatsRoundTrip() {
        for (qint64 ms : {qint64(0), qint64(1767245470000), qint64(1767245470250), qint64(-1000), qint64(951782400000)}) {
            const QString s = formatUtcTimestamp(ms);
            const auto back = parseUtcTimestamp(QStringView(s));
            QVERIFY2(back.has_value(), qPrintable(s));
            QCOMPARE(*back, ms);
        }
        QCOMPARE(formatUtcTimestamp(1767245470000), QStringLiteral("2026-01-01T05:31:10Z"));
        QCOMPARE(formatUtcTimestampHuman(1767245470000), QStringLiteral("2026-01-01 05:31:10"));
    }

    // The formatter writes its digits by hand; QDateTime is the reference over years 0000-9999 (the range it
    // covers), with and without milliseconds.
    void formatMatchesQDateTime() {
        std::mt19937_64 rng(7);
        std::uniform_int_distribution<qint64> any(-62135596800000, 253402300799999);  // 0001-01-01 .. 9999
        for (int i = 0; i < 20000; ++i) {
            qint64 ms = any(rng);
            if (i % 2 == 0)
                ms -= ((ms % 1000) + 1000) % 1000;  // a whole second: no fraction is written
            const QDateTime dt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            const QString seconds = dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
            const QString fraction = ms % 1000 != 0 ? dt.toString(QStringLiteral(".zzz")) : QString();
            QCOMPARE(formatUtcTimestamp(ms), seconds + fraction + QLatin1Char('Z'));
            QCOMPARE(formatUtcTimestampHuman(ms), dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        }
    }

    // TagColumn stands in for std::vector<QString> in the score table: every read must give what a vector
    // holding the same pushes gives, whatever the mix of texts, across appends and slices.
    void tagColumnReadsLikeAVector() {
        std::mt19937 rng(7);
        const QStringList pool{QString(), QString(), QString(), QStringLiteral("overheat"),
                               QStringLiteral("bearing_wear"), QStringLiteral("x"), QStringLiteral("")};
        std::vector<QString> want;
        itap::TagColumn a;
        itap::TagColumn b;  // a second column with its own dictionary order, appended below
        std::vector<QString> wantB;
        for (int i = 0; i < 5000; ++i) {
            // Runs of one tag, as in a fleet, and now and then a fresh text (more than 256 distinct in all).
            const QString t = (i % 11 == 0) ? QStringLiteral("tag%1").arg(i)
                                            : pool[qsizetype(rng() % std::uint32_t(pool.size()))];
            const int run = 1 + int(rng() % 4);
            for (int k = 0; k < run; ++k) {
                (i % 3 == 0 ? b : a).push_back(t);
                (i % 3 == 0 ? wantB : want).push_back(t);
            }
        }
        QVERIFY(a.distinct().size() > 256);
        QCOMPARE(a.distinct().first(), QString());
        a.append(b);
        want.insert(want.end(), wantB.begin(), wantB.end());
        QCOMPARE(a.size(), want.size());
        for (std::size_t r = 0; r < want.size(); ++r) QCOMPARE(a[r], want[r]);
        std::size_t r = 0;
        for (const QString& t : a) QCOMPARE(t, want[r++]);
        QCOMPARE(r, want.size());
        QCOMPARE(std::size_t(a.end() - a.begin()), want.size());

        const itap::TagColumn slice(a.begin() + 100, a.begin() + 900);
        QCOMPARE(slice.size(), std::size_t(800));
        for (std::size_t i = 0; i < 800; ++i) QCOMPARE(slice[i], want[100 + i]);
        QVERIFY(slice == itap::TagColumn(a.begin() + 100, a.begin() + 900));
        QVERIFY(!(slice == itap::TagColumn(a.begin() + 101, a.begin() + 901)));
        // The slice shares the dictionary; writing to it leaves the column it came from alone.
        itap::TagColumn grown = slice;
        grown.push_back(QStringLiteral("only in the slice"));
        QCOMPARE(grown.back(), QStringLiteral("only in the slice"));
        QVERIFY(!a.distinct().contains(QStringLiteral("only in the slice")));
        QCOMPARE(grown.usedTexts().count(QStringLiteral("only in the slice")), 1);
        {
            QStringList want8;  // the texts of want[100, 900), in order of first appearance
            for (std::size_t i = 100; i < 900; ++i)
                if (!want[i].isEmpty() && !want8.contains(want[i]))
                    want8 << want[i];
            QStringList got = slice.usedTexts();
            got.sort();
            want8.sort();
            QCOMPARE(got, want8);
        }

        a.set(3, QStringLiteral("changed"));
        QCOMPARE(a[3], QStringLiteral("changed"));
        QCOMPARE(a[4], want[4]);
        a.pop_back();
        QCOMPARE(a.back(), want[want.size() - 2]);
        a.assign(10, QStringLiteral("y"));
        QCOMPARE(a.size(), std::size_t(10));
        QCOMPARE(a[9], QStringLiteral("y"));
        QCOMPARE(a.distinct().size(), 2);
        QCOMPARE(a.usedTexts(), QStringList{QStringLiteral("y")});
        a.clear();
        QVERIFY(a.empty());
        // An empty but non-null text is a normal row like a null one.
        a.push_back(QStringLiteral(""));
        QVERIFY(a[0].isEmpty());
        QCOMPARE(a.distinct().size(), 1);
    }

    void defaultCatalogHasFiveFamilies() {
        const SensorCatalog cat = SensorCatalog::defaults();
        QCOMPARE(cat.size(), 5);
        QCOMPARE(cat.families(),
                 QStringList({"Voltage", "Current", "Temperature", "RPM", "Vibration"}));
        QCOMPARE(cat.indexOf("temp_c"), 2);
        QCOMPARE(cat.indexOf("nope"), -1);
        QCOMPARE(cat.hash().size(), 64);
    }

    void catalogRoundTripsThroughJson() {
        const SensorCatalog cat = SensorCatalog::defaults();
        auto back = SensorCatalog::fromJson(cat.toJson(), "mem");
        QVERIFY(back.ok());
        QCOMPARE(back->hash(), cat.hash());
    }

    void catalogErrorsNameTheField_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no channels") << QByteArray(R"({"schema_version":1})") << "channels";
        QTest::newRow("bad name") << QByteArray(R"({"channels":[{"name":"Bad Name","family":"X","min":0,"max":1}]})")
                                  << "channels[0].name";
        QTest::newRow("dup") << QByteArray(R"({"channels":[{"name":"a","family":"X","min":0,"max":1},
                                                         {"name":"a","family":"X","min":0,"max":1}]})")
                             << "channels[1].name";
        QTest::newRow("min>max") << QByteArray(R"({"channels":[{"name":"a","family":"X","min":2,"max":1}]})")
                                 << "channels[0].max";
        QTest::newRow("text min") << QByteArray(R"({"channels":[{"name":"a","family":"X","min":"0","max":1}]})")
                                  << "channels[0].min";
    }
    void catalogErrorsNameTheField() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto j = parseJson(json, "cat.json");
        QVERIFY(j.ok());
        auto cat = SensorCatalog::fromJson(*j, "cat.json");
        QVERIFY(!cat.ok());
        QVERIFY2(cat.error().toString().contains(expected), qPrintable(cat.error().toString()));
        QCOMPARE(cat.error().kind, Error::Kind::BadInput);
    }

    void jsonSyntaxErrorHasLineAndColumn() {
        auto j = parseJson("{\n  \"a\": 1,\n  \"b\": ]\n}", "cfg.json");
        QVERIFY(!j.ok());
        QCOMPARE(j.error().file, QStringLiteral("cfg.json"));
        QCOMPARE(j.error().line, qint64(3));
        QCOMPARE(j.error().column, qint64(8));
    }

    void deeplyNestedJsonIsRejected() {
        QByteArray deep(100000, '[');
        auto j = parseJson(deep, "deep.json");
        QVERIFY(!j.ok());
        QVERIFY(j.error().message.contains("nested"));
    }

    void atomicWriteReplacesFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("out.json");
        QVERIFY(writeFileAtomic(path, "one").ok());
        QVERIFY(writeFileAtomic(path, "two").ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("two"));
        QVERIFY(!writeFileAtomic(dir.filePath("missing/dir/out.json"), "x").ok());
    }
};

QTEST_GUILESS_MAIN(CommonTest)
#include "common_test.moc"
