#include "importer/timestamp_parser.h"

#include "common/time_util.h"

#include <QDateTime>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace itap {
namespace {

constexpr qint64 kHourMs = 3'600'000;

const std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                             "jul", "aug", "sep", "oct", "nov", "dec"};
const std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool isDigit(QChar c) {
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

// Reads between minDigits and maxDigits digits at `pos`.
bool readInt(QStringView s, qsizetype& pos, int minDigits, int maxDigits, int& out) {
    int n = 0;
    int v = 0;
    while (pos < s.size() && n < maxDigits && isDigit(s[pos])) {
        v = v * 10 + (s[pos].unicode() - '0');
        ++pos;
        ++n;
    }
    out = v;
    return n >= minDigits;
}

// Milliseconds of a decimal fraction's digits ("5" → 500, "123000" → 123); `finer` is set when a digit after
// the third is not zero ("1234"), which milliseconds cannot hold.
bool readFraction(QStringView s, qsizetype& pos, int& ms, bool& finer) {
    int n = 0;
    ms = 0;
    while (pos < s.size() && isDigit(s[pos])) {
        if (n < 3)
            ms = ms * 10 + (s[pos].unicode() - '0');
        else if (s[pos] != QLatin1Char('0'))
            finer = true;
        ++pos;
        ++n;
    }
    if (n == 0)
        return false;
    for (int i = n; i < 3; ++i) ms *= 10;
    return true;
}

// Decimal places of the plain decimal number `text` ("12.50" → 1, "1.5e2" → 0, "150e-3" → 2), trailing zeros
// not counted; -1 when it is not [sign]digits[.digits][e[sign]digits]. Exact, unlike the double it parses to.
int decimalPlaces(QStringView text) {
    qsizetype pos = 0;
    if (pos < text.size() && (text[pos] == QLatin1Char('-') || text[pos] == QLatin1Char('+')))
        ++pos;
    int fractionDigits = 0;  // digits after the point, trailing zeros dropped
    int pending = 0;         // zeros after the point not (yet) followed by another digit
    int trailingIntZeros = 0;
    bool seenPoint = false, any = false;
    for (; pos < text.size(); ++pos) {
        const QChar c = text[pos];
        if (isDigit(c)) {
            any = true;
            if (!seenPoint) {
                trailingIntZeros = c == QLatin1Char('0') ? trailingIntZeros + 1 : 0;
            } else if (c == QLatin1Char('0')) {
                ++pending;
            } else {
                fractionDigits += pending + 1;
                pending = 0;
            }
        } else if (c == QLatin1Char('.') && !seenPoint) {
            seenPoint = true;
        } else {
            break;
        }
    }
    if (!any)
        return -1;
    int exponent = 0;
    if (pos < text.size()) {
        if (text[pos] != QLatin1Char('e') && text[pos] != QLatin1Char('E'))
            return -1;
        const QByteArray e = text.mid(pos + 1).toLatin1();
        const char* begin = e.data() + (e.startsWith('+') ? 1 : 0);
        const auto [end, ec] = std::from_chars(begin, e.data() + e.size(), exponent);
        if (ec != std::errc() || end != e.data() + e.size())
            return -1;
    }
    // The integer part's trailing zeros matter only without fraction digits: "100e-2" has none, "100.5e-2"
    // three.
    const int places =
        fractionDigits > 0 ? fractionDigits - exponent : std::max(0, -exponent - trailingIntZeros);
    return std::max(0, places);
}

// A name from `names` (3-letter prefixes, case-insensitive); `full` also accepts the rest of the word.
template <std::size_t N>
int readName(QStringView s, qsizetype& pos, const std::array<const char*, N>& names) {
    if (pos + 3 > s.size())
        return -1;
    const QString three = s.mid(pos, 3).toString().toLower();
    for (std::size_t i = 0; i < N; ++i) {
        if (three == QLatin1String(names[i])) {
            pos += 3;
            while (pos < s.size() && s[pos].isLetter()) ++pos;  // "January", "Monday"
            return static_cast<int>(i);
        }
    }
    return -1;
}

int daysInMonth(int y, int m) {
    static constexpr std::array<int, 12> kDaysIn = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return kDaysIn[static_cast<std::size_t>(m - 1)];
}

int offsetAt(const QTimeZone& zone, qint64 utcMs) {
    return zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC));
}

// The UTC offsets under which local time `localMs` exists in `zone` (sorted by resulting UTC instant).
std::vector<int> validOffsets(const QTimeZone& zone, qint64 localMs) {
    std::array<int, 3> candidates = {offsetAt(zone, localMs - 86'400'000), offsetAt(zone, localMs),
                                     offsetAt(zone, localMs + 86'400'000)};
    std::vector<int> out;
    for (int o : candidates) {
        if (std::find(out.begin(), out.end(), o) != out.end())
            continue;
        if (offsetAt(zone, localMs - qint64(o) * 1000) == o)
            out.push_back(o);
    }
    // Larger offset = earlier instant: the first occurrence of a repeated local time comes first.
    std::sort(out.begin(), out.end(), std::greater<>());
    return out;
}

}  // namespace

std::optional<int> parseZoneOffset(QStringView t) {
    if (t == u"Z" || t == u"z")
        return 0;
    if (t.size() < 3 || (t[0] != QLatin1Char('+') && t[0] != QLatin1Char('-')))
        return std::nullopt;
    const int sign = t[0] == QLatin1Char('-') ? -1 : 1;
    qsizetype pos = 1;
    int h = 0;
    int m = 0;
    if (!readInt(t, pos, 2, 2, h))
        return std::nullopt;
    if (pos < t.size()) {
        if (t[pos] == QLatin1Char(':'))
            ++pos;
        if (!readInt(t, pos, 2, 2, m) || pos != t.size())
            return std::nullopt;
    }
    if (h > 14 || m > 59)
        return std::nullopt;
    return sign * (h * 3600 + m * 60);
}

std::optional<QTimeZone> TimestampParser::parseZone(const QString& spec) {
    const QString s = spec.trimmed();
    if (s.isEmpty())
        return std::nullopt;
    if (s.compare(QLatin1String("UTC"), Qt::CaseInsensitive) == 0 || s == QLatin1String("Z") ||
        s.compare(QLatin1String("GMT"), Qt::CaseInsensitive) == 0)
        return QTimeZone::utc();
    QStringView offset(s);
    if (offset.startsWith(u"UTC") && s.size() > 3)
        offset = offset.mid(3);
    if (auto o = parseZoneOffset(offset))
        return QTimeZone(*o);
    const QByteArray id = s.toUtf8();
    if (!QTimeZone::isTimeZoneIdAvailable(id))
        return std::nullopt;
    QTimeZone zone(id);
    if (!zone.isValid())
        return std::nullopt;
    return zone;
}

std::optional<std::vector<TimestampParser::Token>> TimestampParser::compile(const QString& p,
                                                                            QString& error) {
    std::vector<Token> tokens;
    auto literal = [&](const QString& text) {
        if (!tokens.empty() && tokens.back().kind == Token::Literal)
            tokens.back().text += text;
        else
            tokens.push_back(Token{Token::Literal, text});
    };
    // x (1 or 2 digits) or xx (exactly 2).
    auto number = [&](int Fields::*field, qsizetype run, int add = 0) {
        tokens.push_back(Token{Token::Number, {}, field, run == 1 ? 1 : 2, 2, add});
    };
    bool hasYear = false;
    bool hasMonth = false;
    bool hasDay = false;
    for (qsizetype i = 0; i < p.size();) {
        const QChar c = p[i];
        qsizetype run = 1;
        while (i + run < p.size() && p[i + run] == c) ++run;
        if (c == QLatin1Char('\'')) {
            const qsizetype end = p.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0) {
                error = QStringLiteral("unterminated quote in pattern '%1'").arg(p);
                return std::nullopt;
            }
            literal(end == i + 1 ? QStringLiteral("'") : p.mid(i + 1, end - i - 1));
            i = end + 1;
            continue;
        }
        auto bad = [&](const QString& what) {
            error = QStringLiteral("pattern '%1': %2").arg(p, what);
            return std::nullopt;
        };
        switch (c.toLatin1()) {
            case 'y':
                if (run != 4 && run != 2)
                    return bad(QStringLiteral("use yyyy or yy for the year"));
                tokens.push_back(
                    Token{Token::Number, {}, &Fields::year, int(run), int(run), run == 2 ? 2000 : 0});
                hasYear = true;
                break;
            case 'M':
                if (run > 4)
                    return bad(QStringLiteral("use M, MM, MMM or MMMM for the month"));
                if (run >= 3)
                    tokens.push_back(Token{Token::MonthName, {}});
                else
                    number(&Fields::month, run);
                hasMonth = true;
                break;
            case 'd':
                if (run > 4)
                    return bad(QStringLiteral("use d or dd for the day"));
                if (run >= 3) {  // weekday name: matched and ignored
                    tokens.push_back(Token{Token::WeekDay, {}});
                } else {
                    number(&Fields::day, run);
                    hasDay = true;
                }
                break;
            case 'h':
            case 'H':
                if (run > 2)
                    return bad(QStringLiteral("use h, hh, H or HH for the hour"));
                number(&Fields::hour, run);
                break;
            case 'm':
                if (run > 2)
                    return bad(QStringLiteral("use m or mm for the minutes"));
                number(&Fields::minute, run);
                break;
            case 's':
                if (run > 2)
                    return bad(QStringLiteral("use s or ss for the seconds"));
                number(&Fields::second, run);
                break;
            case 'z':
                if (run != 1 && run != 3)
                    return bad(QStringLiteral("use z or zzz for the milliseconds"));
                if (run == 3)
                    tokens.push_back(Token{Token::Number, {}, &Fields::ms, 3, 3});
                else
                    tokens.push_back(Token{Token::Fraction, {}});
                break;
            case 't':
                if (run != 1)
                    return bad(QStringLiteral("use t for the zone"));
                tokens.push_back(Token{Token::Zone, {}});
                break;
            case 'A':
            case 'a':
                if (i + 1 < p.size() && (p[i + 1] == QLatin1Char('P') || p[i + 1] == QLatin1Char('p'))) {
                    tokens.push_back(Token{Token::AmPm, {}});
                    run = 2;
                } else {
                    literal(p.mid(i, run));
                }
                break;
            default:
                literal(p.mid(i, run));
                break;
        }
        i += run;
    }
    if (!hasYear || !hasMonth || !hasDay) {
        error = QStringLiteral("pattern '%1' must contain the year (yyyy), month (MM) and day (dd)").arg(p);
        return std::nullopt;
    }
    return tokens;
}

Result<TimestampParser> TimestampParser::create(const ImportMapping::Timestamp& ts, const QString& source) {
    TimestampParser parser;
    parser.format_ = ts.format;
    parser.pattern_ = ts.pattern;
    auto zone = parseZone(ts.zone);
    if (!zone)
        return Error::badInput(
            QStringLiteral("timestamp.zone: unknown time zone '%1' (use \"UTC\", an offset "
                           "like \"+02:00\" or an IANA id like \"Europe/Berlin\")")
                .arg(ts.zone),
            source);
    parser.zone_ = *zone;
    // A zone without transitions needs no lookups per row.
    if (!zone->hasTransitions() && !zone->hasDaylightTime())
        parser.fixedOffsetSec_ = zone->offsetFromUtc(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
    switch (ts.format) {
        case ImportMapping::TimeFormat::Iso8601:
            parser.expected_ = QStringLiteral("an ISO 8601 date-time (YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm])");
            break;
        case ImportMapping::TimeFormat::UnixSeconds:
            parser.expected_ = QStringLiteral("Unix seconds");
            break;
        case ImportMapping::TimeFormat::UnixMillis:
            parser.expected_ = QStringLiteral("Unix milliseconds");
            break;
        case ImportMapping::TimeFormat::Pattern: {
            QString error;
            auto tokens = compile(ts.pattern, error);
            if (!tokens)
                return Error::badInput(QStringLiteral("timestamp.format: %1").arg(error), source);
            parser.tokens_ = std::move(*tokens);
            parser.expected_ = QStringLiteral("'%1'").arg(ts.pattern);
            break;
        }
    }
    return parser;
}

bool TimestampParser::parseIso(QStringView s, Fields& f) {
    qsizetype pos = 0;
    auto expect = [&](char c) {
        if (pos < s.size() && s[pos] == QLatin1Char(c)) {
            ++pos;
            return true;
        }
        return false;
    };
    if (!readInt(s, pos, 4, 4, f.year) || !expect('-') || !readInt(s, pos, 2, 2, f.month) || !expect('-') ||
        !readInt(s, pos, 2, 2, f.day))
        return false;
    if (!expect('T') && !expect(' ') && !expect('t'))
        return false;
    if (!readInt(s, pos, 2, 2, f.hour) || !expect(':') || !readInt(s, pos, 2, 2, f.minute))
        return false;
    if (expect(':')) {
        if (!readInt(s, pos, 2, 2, f.second))
            return false;
        if (expect('.') || expect(',')) {
            if (!readFraction(s, pos, f.ms, f.finerThanMs))
                return false;
        }
    }
    if (pos == s.size())
        return true;
    if (s[pos] == QLatin1Char(' '))
        ++pos;
    f.offsetSec = parseZoneOffset(s.mid(pos));
    return f.offsetSec.has_value();
}

bool TimestampParser::parsePattern(QStringView s, Fields& f) const {
    qsizetype pos = 0;
    for (const Token& t : tokens_) {
        switch (t.kind) {
            case Token::Literal:
                if (!s.mid(pos).startsWith(t.text))
                    return false;
                pos += t.text.size();
                break;
            case Token::Number:
                if (!readInt(s, pos, t.minDigits, t.maxDigits, f.*t.field))
                    return false;
                f.*t.field += t.add;
                break;
            case Token::Fraction:
                if (!readFraction(s, pos, f.ms, f.finerThanMs))
                    return false;
                break;
            case Token::WeekDay:
                if (readName(s, pos, kDays) < 0)
                    return false;
                break;
            case Token::MonthName: {
                const int m = readName(s, pos, kMonths);
                if (m < 0)
                    return false;
                f.month = m + 1;
                break;
            }
            case Token::AmPm: {
                if (pos + 2 > s.size())
                    return false;
                const QString ap = s.mid(pos, 2).toString().toUpper();
                if (ap == QLatin1String("AM"))
                    f.ampm = 0;
                else if (ap == QLatin1String("PM"))
                    f.ampm = 1;
                else
                    return false;
                pos += 2;
                break;
            }
            case Token::Zone: {
                qsizetype end = pos;
                while (end < s.size() && !s[end].isSpace()) ++end;
                const QStringView z = s.mid(pos, end - pos);
                if (z == u"UTC" || z == u"GMT")
                    f.offsetSec = 0;
                else
                    f.offsetSec = parseZoneOffset(z);
                if (!f.offsetSec)
                    return false;
                pos = end;
                break;
            }
        }
    }
    if (pos != s.size())
        return false;
    if (f.ampm >= 0) {
        if (f.hour < 1 || f.hour > 12)
            return false;
        f.hour = f.hour % 12 + (f.ampm == 1 ? 12 : 0);
    }
    return true;
}

std::optional<qint64> TimestampParser::toUtc(const Fields& f, QString* why) const {
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month) || f.hour > 23 ||
        f.minute > 59 || f.second > 59) {
        if (why)
            *why = QStringLiteral("not a valid date and time");
        return std::nullopt;
    }
    const qint64 localMs =
        daysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day)) * 86'400'000 +
        qint64(f.hour) * kHourMs + qint64(f.minute) * 60'000 + qint64(f.second) * 1000 + f.ms;
    if (f.offsetSec)
        return localMs - qint64(*f.offsetSec) * 1000;
    if (fixedOffsetSec_)
        return localMs - qint64(*fixedOffsetSec_) * 1000;

    const qint64 hour = localMs >= 0 ? localMs / kHourMs : (localMs - kHourMs + 1) / kHourMs;
    const std::vector<int>* offsets = nullptr;
    std::vector<int> exact;
    if (hour == cacheHour_ && cacheExact_) {
        offsets = &cacheOffsets_;
    } else {
        // Zone transitions fall on whole hours nearly everywhere: when both ends of the local hour agree,
        // the whole hour does, and the rows of that hour need no more lookups.
        const std::vector<int> first = validOffsets(zone_, hour * kHourMs);
        const std::vector<int> last = validOffsets(zone_, hour * kHourMs + kHourMs - 1);
        cacheHour_ = hour;
        cacheExact_ = first == last;
        cacheOffsets_ = first;
        if (cacheExact_) {
            offsets = &cacheOffsets_;
        } else {
            exact = validOffsets(zone_, localMs);
            offsets = &exact;
        }
    }
    if (offsets->empty()) {
        if (why)
            *why =
                QStringLiteral("local time does not exist in zone %1 (skipped by a daylight-saving change)")
                    .arg(QString::fromUtf8(zone_.id()));
        return std::nullopt;
    }
    return localMs - qint64(offsets->front()) * 1000;
}

std::optional<qint64> TimestampParser::parse(QStringView raw, QString* why, Rejection* rejection) const {
    const QStringView text = raw.trimmed();
    if (rejection)
        *rejection = Rejection::Malformed;
    auto fail = [&](const QString& reason) -> std::optional<qint64> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    auto finer = [&]() -> std::optional<qint64> {
        if (rejection)
            *rejection = Rejection::FinerThanMillisecond;
        return fail(finerThanMillisecondReason());
    };
    if (text.isEmpty())
        return fail(QStringLiteral("empty timestamp"));
    switch (format_) {
        case ImportMapping::TimeFormat::UnixSeconds:
        case ImportMapping::TimeFormat::UnixMillis: {
            const QByteArray bytes = text.toLatin1();
            double v = 0;
            const auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), v);
            if (ec != std::errc() || end != bytes.data() + bytes.size() || !std::isfinite(v))
                return fail(QStringLiteral("expected %1").arg(expected_));
            const bool seconds = format_ == ImportMapping::TimeFormat::UnixSeconds;
            const double ms = seconds ? v * 1000.0 : v;
            if (std::fabs(ms) > 1e16)
                return fail(QStringLiteral("out of range for %1").arg(expected_));
            if (decimalPlaces(text) > (seconds ? 3 : 0))
                return finer();
            return static_cast<qint64>(std::llround(ms));
        }
        case ImportMapping::TimeFormat::Iso8601: {
            Fields f;
            if (!parseIso(text, f))
                return fail(QStringLiteral("expected %1").arg(expected_));
            if (f.finerThanMs)
                return finer();
            return toUtc(f, why);
        }
        case ImportMapping::TimeFormat::Pattern: {
            Fields f;
            if (!parsePattern(text, f))
                return fail(QStringLiteral("expected %1").arg(expected_));
            if (f.finerThanMs)
                return finer();
            return toUtc(f, why);
        }
    }
    return fail(QStringLiteral("unknown format"));
}

}  // namespace itap
