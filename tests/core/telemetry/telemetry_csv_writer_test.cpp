#include "telemetry/telemetry_csv_writer.h"
#include "common/time_util.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace itap;

namespace {

SensorCatalog twoChannels() {
    return SensorCatalog(
        {{QStringLiteral("voltage_v"), QStringLiteral("V"), QStringLiteral("Voltage"), 0, 480},
         {QStringLiteral("temp_c"), QStringLiteral("°C"), QStringLiteral("Temperature"), -40, 200}});
}

TelemetryBatch oneRow(double a, double b, const QString& device = QStringLiteral("DEV-0001"),
                      const QString& tag = QString(), qint64 ts = 1767245470000, OpState st = OpState::Run,
                      int err = 0) {
    TelemetryBatch batch;
    batch.channelCount = 2;
    const double v[2] = {a, b};
    batch.append(device, ts, st, v, err, tag);
    return batch;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TelemetryCsvWriterTest : public QObject {
    Q_OBJECT
private slots:
    void header() {
        TelemetryCsvWriter w(SensorCatalog::defaults());
        QCOMPARE(w.header(),
                 QByteArray("timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,"
                            "error_code,fault_tag\n"));
    }

    void formatsCells_data() {
        QTest::addColumn<double>("a");
        QTest::addColumn<double>("b");
        QTest::addColumn<int>("decimals");
        QTest::addColumn<QString>("expected");  // the two value cells
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("design sample") << 231.4 << 61.7 << 3 << "231.4,61.7";
        QTest::newRow("integers trimmed") << 1480.0 << 0.0 << 3 << "1480,0";
        QTest::newRow("rounds half-even-safe") << 2.3456 << -12.0004 << 3 << "2.346,-12";
        QTest::newRow("negative zero") << -0.0001 << -0.0 << 3 << "0,0";
        QTest::newRow("missing") << nan << 5.0 << 3 << ",5";
        QTest::newRow("both missing") << nan << nan << 3 << ",";
        QTest::newRow("infinite is missing") << std::numeric_limits<double>::infinity() << 1.5 << 3 << ",1.5";
        QTest::newRow("zero decimals") << 2.5 << 3.49 << 0 << "2,3";
        QTest::newRow("six decimals") << 0.1234567 << 1e-7 << 6 << "0.123457,0";
        QTest::newRow("huge") << 1e20 << -1e20 << 3 << "100000000000000000000,-100000000000000000000";
    }
    void formatsCells() {
        QFETCH(double, a);
        QFETCH(double, b);
        QFETCH(int, decimals);
        QFETCH(QString, expected);
        TelemetryCsvWriter w(twoChannels(), decimals);
        std::string out;
        w.formatRows(oneRow(a, b), out);
        QCOMPARE(QString::fromStdString(out),
                 QStringLiteral("2026-01-01T05:31:10Z,DEV-0001,RUN,") + expected + QStringLiteral(",0,\n"));
    }

    void formatsRowFields() {
        TelemetryCsvWriter w(twoChannels());
        std::string out;
        TelemetryBatch b = oneRow(1, 2, QStringLiteral("DEV-0006"), QStringLiteral("power_spike"),
                                  1767245470250, OpState::Maint, 510);
        const double v[2] = {3, 4};
        b.append(QStringLiteral("DEV-0007"), 1767245470250, OpState::Idle, v, 0, QString());
        b.append(QStringLiteral("odd,\"id\""), 1767245480000, OpState::Run, v, 7, QStringLiteral("x"));
        w.formatRows(b, out);
        QCOMPARE(QString::fromStdString(out),
                 QStringLiteral("2026-01-01T05:31:10.250Z,DEV-0006,MAINT,1,2,510,power_spike\n"
                                "2026-01-01T05:31:10.250Z,DEV-0007,IDLE,3,4,0,\n"
                                "2026-01-01T05:31:20Z,\"odd,\"\"id\"\"\",RUN,3,4,7,x\n"));
    }

    void roundTripsThroughParse() {
        // Whatever is written parses back to within half a unit of the last decimal.
        TelemetryCsvWriter w(twoChannels());
        std::string out;
        TelemetryBatch b;
        b.channelCount = 2;
        double x = -39.9999;
        for (int i = 0; i < 1000; ++i, x += 0.2371113) {
            const double v[2] = {x * 2.0 + 240.0, x};
            b.append(QStringLiteral("D"), 1767225600000 + i * 1000, OpState::Run, v, 0, QString());
        }
        w.formatRows(b, out);
        const QList<QByteArray> lines = QByteArray::fromStdString(out).split('\n');
        for (std::size_t i = 0; i < b.rowCount(); ++i) {
            const QList<QByteArray> cells = lines[qsizetype(i)].split(',');
            QCOMPARE(parseUtcTimestamp(QString::fromLatin1(cells[0])), std::optional<qint64>(b.tsMs[i]));
            QVERIFY(std::abs(cells[3].toDouble() - b.value(i, 0)) <= 0.0005 + 1e-9);
            QVERIFY(std::abs(cells[4].toDouble() - b.value(i, 1)) <= 0.0005 + 1e-9);
        }
    }

    void roundTripMatchesTheWrittenCell() {
        // roundTrip(v) is exactly what a reader of the written cell parses, for every value written above.
        TelemetryCsvWriter w(twoChannels());
        double x = -41.23456;
        for (int i = 0; i < 500; ++i, x += 0.731113) {
            std::string out;
            w.formatRows(oneRow(x, -x / 3.0), out);
            const QList<QByteArray> cells = QByteArray::fromStdString(out).trimmed().split(',');
            QCOMPARE(TelemetryCsvWriter::roundTrip(x), cells[3].toDouble());
            QCOMPARE(TelemetryCsvWriter::roundTrip(-x / 3.0), cells[4].toDouble());
        }
        QCOMPARE(TelemetryCsvWriter::roundTrip(1.23456, 1), 1.2);
        QCOMPARE(TelemetryCsvWriter::roundTrip(-0.0001), 0.0);
        QVERIFY(!std::signbit(TelemetryCsvWriter::roundTrip(-0.0001)));
        QVERIFY(std::isnan(TelemetryCsvWriter::roundTrip(std::numeric_limits<double>::quiet_NaN())));
        QVERIFY(std::isnan(TelemetryCsvWriter::roundTrip(std::numeric_limits<double>::infinity())));
    }

    void writesAndCommits() {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.csv");
        TelemetryCsvWriter w(twoChannels());
        QVERIFY(w.open(path).ok());
        QVERIFY(w.write(oneRow(1, 2)).ok());
        QVERIFY(!QFile::exists(path));  // nothing visible before commit
        QVERIFY(w.write(oneRow(3, 4)).ok());
        QVERIFY(w.commit().ok());
        QCOMPARE(readAll(path), QByteArray("timestamp,device_id,state,voltage_v,temp_c,error_code,fault_tag\n"
                                           "2026-01-01T05:31:10Z,DEV-0001,RUN,1,2,0,\n"
                                           "2026-01-01T05:31:10Z,DEV-0001,RUN,3,4,0,\n"));
    }

    void cancelLeavesNothing_data() {
        QTest::addColumn<bool>("explicitCancel");
        QTest::newRow("cancel()") << true;
        QTest::newRow("destroyed without commit") << false;
    }
    void cancelLeavesNothing() {
        QFETCH(bool, explicitCancel);
        QTemporaryDir dir;
        const QString path = dir.filePath("t.csv");
        {
            TelemetryCsvWriter w(twoChannels());
            QVERIFY(w.open(path).ok());
            QVERIFY(w.write(oneRow(1, 2)).ok());
            if (explicitCancel)
                w.cancel();
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void rejectsMisuse() {
        QTemporaryDir dir;
        TelemetryCsvWriter w(SensorCatalog::defaults());
        QVERIFY(!w.write(oneRow(1, 2)).ok());  // not open
        QVERIFY(w.open(dir.filePath("t.csv")).ok());
        auto s = w.write(oneRow(1, 2));  // 2 channels, catalog has 5
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("2 channels")));
        QVERIFY(!w.open(dir.filePath("no/such/dir/t.csv")).ok());
    }
};

QTEST_GUILESS_MAIN(TelemetryCsvWriterTest)
#include "telemetry_csv_writer_test.moc"
