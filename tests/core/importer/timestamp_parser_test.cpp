#include "importer/timestamp_parser.h"
#include "common/time_util.h"

#include <QTest>

using namespace itap;

class TimestampParserTest : public QObject {
    Q_OBJECT
private slots:
    void formats_data() {
        QTest::addColumn<QString>("format");  // iso8601 | unix_s | unix_ms | pattern
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");  // UTC ISO, or empty = must fail
        QTest::newRow("iso Z") << "iso8601"
                               << "UTC"
                               << "2026-01-01T05:31:10Z"
                               << "2026-01-01T05:31:10Z";
        QTest::newRow("iso offset") << "iso8601"
                                    << "UTC"
                                    << "2026-01-01T07:31:10+02:00"
                                    << "2026-01-01T05:31:10Z";
        QTest::newRow("iso offset compact") << "iso8601"
                                            << "UTC"
                                            << "2026-01-01T02:01:10-0330"
                                            << "2026-01-01T05:31:10Z";
        QTest::newRow("iso space fraction") << "iso8601"
                                            << "UTC"
                                            << "2026-01-01 05:31:10.25"
                                            << "2026-01-01T05:31:10.250Z";
        QTest::newRow("iso no seconds") << "iso8601"
                                        << "UTC"
                                        << "2026-01-01T05:31"
                                        << "2026-01-01T05:31:00Z";
        QTest::newRow("iso zone wins over default") << "iso8601"
                                                    << "Europe/Berlin"
                                                    << "2026-07-01T12:00:00Z"
                                                    << "2026-07-01T12:00:00Z";
        QTest::newRow("iso local +02:00") << "iso8601"
                                          << "+02:00"
                                          << "2026-01-01T07:31:10"
                                          << "2026-01-01T05:31:10Z";
        QTest::newRow("iso local UTC-05:00") << "iso8601"
                                             << "UTC-05:00"
                                             << "2026-01-01T00:31:10"
                                             << "2026-01-01T05:31:10Z";
        QTest::newRow("iso Berlin winter") << "iso8601"
                                           << "Europe/Berlin"
                                           << "2026-01-15T12:00:00"
                                           << "2026-01-15T11:00:00Z";
        QTest::newRow("iso Berlin summer") << "iso8601"
                                           << "Europe/Berlin"
                                           << "2026-07-15T12:00:00"
                                           << "2026-07-15T10:00:00Z";
        QTest::newRow("iso New York summer") << "iso8601"
                                             << "America/New_York"
                                             << "2026-07-01 12:00:00"
                                             << "2026-07-01T16:00:00Z";
        QTest::newRow("iso impossible date") << "iso8601"
                                             << "UTC"
                                             << "2026-02-30T00:00:00Z"
                                             << "";
        QTest::newRow("iso garbage") << "iso8601"
                                     << "UTC"
                                     << "yesterday"
                                     << "";
        QTest::newRow("iso bad zone") << "iso8601"
                                      << "UTC"
                                      << "2026-01-01T00:00:00+25:00"
                                      << "";
        QTest::newRow("plain pattern") << "yyyy-MM-dd hh:mm:ss"
                                       << "UTC"
                                       << "2026-03-05 10:11:12"
                                       << "2026-03-05T10:11:12Z";
        QTest::newRow("plain pattern mismatch") << "yyyy-MM-dd hh:mm:ss"
                                                << "UTC"
                                                << "2026-03-05T10:11:12"
                                                << "";
        QTest::newRow("german") << "dd.MM.yyyy hh:mm:ss"
                                << "Europe/Berlin"
                                << "28.03.2026 23:00:00"
                                << "2026-03-28T22:00:00Z";
        QTest::newRow("DST before jump") << "dd.MM.yyyy hh:mm:ss"
                                         << "Europe/Berlin"
                                         << "29.03.2026 01:59:59"
                                         << "2026-03-29T00:59:59Z";
        QTest::newRow("DST skipped hour") << "dd.MM.yyyy hh:mm:ss"
                                          << "Europe/Berlin"
                                          << "29.03.2026 02:30:00"
                                          << "";
        QTest::newRow("DST after jump") << "dd.MM.yyyy hh:mm:ss"
                                        << "Europe/Berlin"
                                        << "29.03.2026 03:00:00"
                                        << "2026-03-29T01:00:00Z";
        QTest::newRow("DST repeated hour: first") << "dd.MM.yyyy hh:mm:ss"
                                                  << "Europe/Berlin"
                                                  << "25.10.2026 02:30:00"
                                                  << "2026-10-25T00:30:00Z";
        QTest::newRow("DST after fall back") << "dd.MM.yyyy hh:mm:ss"
                                             << "Europe/Berlin"
                                             << "25.10.2026 03:00:00"
                                             << "2026-10-25T02:00:00Z";
        QTest::newRow("12h clock") << "M/d/yyyy h:mm:ss AP"
                                   << "UTC"
                                   << "3/5/2026 1:02:03 PM"
                                   << "2026-03-05T13:02:03Z";
        QTest::newRow("12h midnight") << "M/d/yyyy h:mm:ss ap"
                                      << "UTC"
                                      << "3/5/2026 12:00:00 am"
                                      << "2026-03-05T00:00:00Z";
        QTest::newRow("month name") << "dd MMM yyyy HH:mm:ss"
                                    << "UTC"
                                    << "05 Mar 2026 10:00:00"
                                    << "2026-03-05T10:00:00Z";
        QTest::newRow("weekday") << "ddd, dd MMM yyyy HH:mm:ss"
                                 << "UTC"
                                 << "Thu, 05 Mar 2026 10:00:00"
                                 << "2026-03-05T10:00:00Z";
        QTest::newRow("zone token") << "yyyy-MM-dd hh:mm:ss.zzz t"
                                    << "UTC"
                                    << "2026-01-01 10:00:00.123 +01:00"
                                    << "2026-01-01T09:00:00.123Z";
        QTest::newRow("quoted literal") << "yyyy-MM-dd'T'hh:mm:ss"
                                        << "UTC"
                                        << "2026-01-01T10:00:00"
                                        << "2026-01-01T10:00:00Z";
        QTest::newRow("compact") << "yyyyMMddhhmmss"
                                 << "UTC"
                                 << "20260101100000"
                                 << "2026-01-01T10:00:00Z";
        QTest::newRow("two-digit year") << "dd/MM/yy hh:mm"
                                        << "UTC"
                                        << "01/02/26 10:00"
                                        << "2026-02-01T10:00:00Z";
        QTest::newRow("unix s") << "unix_s"
                                << "Europe/Berlin"
                                << "1767225600"
                                << "2026-01-01T00:00:00Z";
        QTest::newRow("unix s fraction") << "unix_s"
                                         << "UTC"
                                         << "1767225600.5"
                                         << "2026-01-01T00:00:00.500Z";
        QTest::newRow("unix ms") << "unix_ms"
                                 << "UTC"
                                 << "1767225600123"
                                 << "2026-01-01T00:00:00.123Z";
        QTest::newRow("unix ms garbage") << "unix_ms"
                                         << "UTC"
                                         << "17672x"
                                         << "";
        QTest::newRow("empty") << "unix_ms"
                               << "UTC"
                               << ""
                               << "";
        // Milliseconds are stored: a finer fraction is refused unless its extra digits are zeros (as ingest
        // does).
        QTest::newRow("iso trailing zeros") << "iso8601"
                                            << "UTC"
                                            << "2026-01-01T05:31:10.120000Z"
                                            << "2026-01-01T05:31:10.120Z";
        QTest::newRow("iso .0001") << "iso8601"
                                   << "UTC"
                                   << "2026-01-01T05:31:10.0001Z"
                                   << "";
        QTest::newRow("iso .0009") << "iso8601"
                                   << "UTC"
                                   << "2026-01-01T05:31:10.0009Z"
                                   << "";
        QTest::newRow("pattern z trailing zeros") << "yyyy-MM-dd hh:mm:ss.z"
                                                  << "UTC"
                                                  << "2026-01-01 10:00:00.1230"
                                                  << "2026-01-01T10:00:00.123Z";
        QTest::newRow("pattern z .1234") << "yyyy-MM-dd hh:mm:ss.z"
                                         << "UTC"
                                         << "2026-01-01 10:00:00.1234"
                                         << "";
        QTest::newRow("pattern zzz takes three digits") << "yyyy-MM-dd hh:mm:ss.zzz"
                                                        << "UTC"
                                                        << "2026-01-01 10:00:00.1234"
                                                        << "";
        QTest::newRow("unix s .123000") << "unix_s"
                                        << "UTC"
                                        << "1767225600.123000"
                                        << "2026-01-01T00:00:00.123Z";
        QTest::newRow("unix s .0001") << "unix_s"
                                      << "UTC"
                                      << "1767225600.0001"
                                      << "";
        QTest::newRow("unix s exponent") << "unix_s"
                                         << "UTC"
                                         << "1.7672256001e9"
                                         << "2026-01-01T00:00:00.100Z";
        QTest::newRow("unix s exponent finer") << "unix_s"
                                               << "UTC"
                                               << "1.76722560000001e9"
                                               << "";
        QTest::newRow("unix ms .0") << "unix_ms"
                                    << "UTC"
                                    << "1767225600123.0"
                                    << "2026-01-01T00:00:00.123Z";
        QTest::newRow("unix ms .5") << "unix_ms"
                                    << "UTC"
                                    << "1767225600123.5"
                                    << "";
    }
    void formats() {
        QFETCH(QString, format);
        QFETCH(QString, zone);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        ImportMapping::Timestamp ts;
        ts.zone = zone;
        if (format == QLatin1String("iso8601"))
            ts.format = ImportMapping::TimeFormat::Iso8601;
        else if (format == QLatin1String("unix_s"))
            ts.format = ImportMapping::TimeFormat::UnixSeconds;
        else if (format == QLatin1String("unix_ms"))
            ts.format = ImportMapping::TimeFormat::UnixMillis;
        else {
            ts.format = ImportMapping::TimeFormat::Pattern;
            ts.pattern = format;
        }
        auto parser = TimestampParser::create(ts);
        QVERIFY2(parser.ok(), parser.ok() ? "" : qPrintable(parser.error().toString()));
        QString why;
        const auto ms = parser->parse(text, &why);
        if (expected.isEmpty()) {
            QVERIFY2(!ms, ms ? qPrintable(formatUtcTimestamp(*ms)) : "");
            QVERIFY(!why.isEmpty());
        } else {
            QVERIFY2(ms, qPrintable(why));
            QCOMPARE(formatUtcTimestamp(*ms), expected);
        }
    }

    void skippedHourSaysWhy() {
        ImportMapping::Timestamp ts;
        ts.format = ImportMapping::TimeFormat::Iso8601;
        ts.zone = QStringLiteral("Europe/Berlin");
        auto parser = TimestampParser::create(ts);
        QVERIFY(parser.ok());
        QString why;
        QVERIFY(!parser->parse(u"2026-03-29 02:15:00", &why));
        QVERIFY2(why.contains(QStringLiteral("daylight-saving")), qPrintable(why));
    }

    // The reason names the rule, so that the reader can report it the way ingest does; the guesser still
    // recognises the format (the rows are then refused one by one, with their line).
    void finerThanAMillisecondIsItsOwnRejection() {
        ImportMapping::Timestamp ts;
        ts.format = ImportMapping::TimeFormat::Iso8601;
        auto parser = TimestampParser::create(ts);
        QVERIFY(parser.ok());
        QString why;
        TimestampParser::Rejection rejection = TimestampParser::Rejection::Malformed;
        QVERIFY(!parser->parse(u"2026-01-01T00:00:00.0009Z", &why, &rejection));
        QCOMPARE(rejection, TimestampParser::Rejection::FinerThanMillisecond);
        QVERIFY2(why.contains(QLatin1String("finer than a millisecond")), qPrintable(why));
        QVERIFY(!parser->parse(u"2026-01-01T00:00:00.00x", &why, &rejection));
        QCOMPARE(rejection, TimestampParser::Rejection::Malformed);
    }

    void zones() {
        QVERIFY(TimestampParser::parseZone(QStringLiteral("UTC")));
        QVERIFY(TimestampParser::parseZone(QStringLiteral("+05:30")));
        QVERIFY(TimestampParser::parseZone(QStringLiteral("Asia/Kolkata")));
        QVERIFY(!TimestampParser::parseZone(QStringLiteral("Nowhere/City")));
        QVERIFY(!TimestampParser::parseZone(QString()));
        QCOMPARE(*parseZoneOffset(u"-0330"), -(3 * 3600 + 30 * 60));
    }
};

QTEST_GUILESS_MAIN(TimestampParserTest)
#include "timestamp_parser_test.moc"
