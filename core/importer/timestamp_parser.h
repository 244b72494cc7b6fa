#pragma once

#include "common/result.h"
#include "importer/import_mapping.h"

#include <QString>
#include <QStringView>
#include <QTimeZone>

#include <limits>
#include <optional>
#include <vector>

namespace itap {

/// Parses the timestamp cells of a foreign CSV into UTC epoch milliseconds, per ImportMapping::Timestamp.
///
/// Formats: "iso8601" (YYYY-MM-DD[T ]hh:mm[:ss[.fff]] with an optional zone Z / ±hh[:mm]), "unix_s" (may
/// have a fraction), "unix_ms", or a Qt-style pattern. Pattern tokens: yyyy yy MM M MMM dd d hh h HH H mm m
/// ss s zzz z AP ap t (zone), '…' quoted literals; any other character must match itself. Text without a zone
/// is local time in `zone`: a local time that does not exist (skipped by a DST change) is an error, one that
/// exists twice (repeated by a DST change) is taken as its first occurrence. Not thread-safe (caches the
/// zone offsets); one parser per thread.
class TimestampParser {
public:
    /// Fails (naming `keyPath`) for an unknown zone or an unusable pattern.
    [[nodiscard]] static Result<TimestampParser> create(const ImportMapping::Timestamp& ts,
                                                        const QString& source = QStringLiteral("mapping"));

    /// Why parse() refused a text.
    enum class Rejection {
        Malformed,             ///< not the format, or not a valid date and time in the zone
        FinerThanMillisecond,  ///< the format, but a fraction digit after the milliseconds is not zero
    };

    /// UTC epoch milliseconds, or nullopt with `why` set to a short reason ("expected dd.MM.yyyy hh:mm:ss")
    /// and `rejection` to its kind. Milliseconds are what is stored, so a fraction finer than that (".0001"
    /// and
    /// ".0009" would both become ".000") is refused unless its extra digits are zeros, as ingest does.
    [[nodiscard]] std::optional<qint64> parse(QStringView text, QString* why = nullptr,
                                              Rejection* rejection = nullptr) const;

    /// Parses a zone spec: "UTC", "Z", "+02:00", "-0530", "UTC+01:00" or an IANA id. Invalid zone = nullopt.
    [[nodiscard]] static std::optional<QTimeZone> parseZone(const QString& spec);

private:
    struct Fields {
        int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0;
        int ampm = -1;                 // -1 none, 0 am, 1 pm
        std::optional<int> offsetSec;  // zone in the text
        bool finerThanMs = false;      // a fraction digit after the milliseconds is not zero
    };
    struct Token {
        enum Kind { Literal, Number, Fraction, MonthName, WeekDay, AmPm, Zone };
        Kind kind;
        QString text;                  // Literal
        int Fields::*field = nullptr;  // Number: minDigits..maxDigits digits, plus `add` (yy → 20yy)
        int minDigits = 0;
        int maxDigits = 0;
        int add = 0;
    };

    TimestampParser() = default;
    [[nodiscard]] static std::optional<std::vector<Token>> compile(const QString& pattern, QString& error);
    [[nodiscard]] bool parsePattern(QStringView text, Fields& f) const;
    [[nodiscard]] static bool parseIso(QStringView text, Fields& f);
    [[nodiscard]] std::optional<qint64> toUtc(const Fields& f, QString* why) const;

    ImportMapping::TimeFormat format_ = ImportMapping::TimeFormat::Iso8601;
    QString pattern_;
    std::vector<Token> tokens_;
    QTimeZone zone_;
    std::optional<int> fixedOffsetSec_;  // the zone has one offset forever (UTC, +02:00): no DST lookups
    QString expected_;                   // for messages
    // Offset cache: local hour → the valid UTC offsets (one, or two in a repeated hour, none in a skipped
    // one).
    mutable qint64 cacheHour_ = std::numeric_limits<qint64>::min();
    mutable std::vector<int> cacheOffsets_;
    mutable bool cacheExact_ = false;  // true when the whole hour has the same answer
};

/// Parses a zone offset "Z", "+hh", "+hh:mm", "+hhmm" (and "-…"). Returns seconds east of UTC.
[[nodiscard]] std::optional<int> parseZoneOffset(QStringView text);

}  // namespace itap
