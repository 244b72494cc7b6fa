#include "common/time_util.h"

#include <QByteArray>

#include <cstdio>

namespace itap {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

struct Civil {
    qint64 y;
    unsigned m, d;
};

Civil civilFromDays(qint64 z) {
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 y = static_cast<qint64>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2 ? 1 : 0), m, d};
}

}  // namespace

std::optional<qint64> parseUtcTimestamp(std::string_view s) {
    // YYYY-MM-DD?HH:MM:SS
    int y, mo, d, h, mi, se;
    if (s.size() < 19)
        return std::nullopt;
    if (!digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d))
        return std::nullopt;
    if (s[10] != 'T' && s[10] != ' ')
        return std::nullopt;
    if (!digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
        !digits(s, 17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || se > 59)
        return std::nullopt;
    std::size_t pos = 19;
    int ms = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        int frac = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 3)
                frac = frac * 10 + (s[pos] - '0');
            else if (s[pos] != '0')
                return std::nullopt;  // finer than a millisecond: see hasSubMillisecondDigits()
            ++n;
            ++pos;
        }
        if (n == 0)
            return std::nullopt;
        for (int i = n; i < 3; ++i) frac *= 10;
        ms = frac;
    }
    const bool isoT = s[10] == 'T';
    if (pos < s.size()) {
        if (s[pos] != 'Z' || pos + 1 != s.size())
            return std::nullopt;
    } else if (isoT) {
        return std::nullopt;  // ISO form needs the Z suffix: the canonical CSV is UTC only
    }
    const qint64 days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
}

bool hasSubMillisecondDigits(std::string_view s) {
    constexpr std::size_t kFraction = 20;  // after "YYYY-MM-DDTHH:MM:SS."
    if (s.size() <= kFraction + 3 || s[kFraction - 1] != '.')
        return false;
    for (std::size_t i = kFraction; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
        if (i >= kFraction + 3 && s[i] != '0')
            return true;
    return false;
}

QString finerThanMillisecondReason() {
    return QStringLiteral(
        "is finer than a millisecond (timestamps are stored in milliseconds; round or truncate them first so "
        "that distinct samples are not merged)");
}

std::optional<qint64> parseUtcTimestamp(QStringView text) {
    const QByteArray latin = text.toLatin1();
    return parseUtcTimestamp(std::string_view(latin.constData(), static_cast<std::size_t>(latin.size())));
}

namespace {
QString format(qint64 epochMs, char sep, bool zulu) {
    qint64 days = epochMs >= 0 ? epochMs / 86400000 : -((-epochMs + 86399999) / 86400000);
    qint64 msOfDay = epochMs - days * 86400000;
    const Civil c = civilFromDays(days);
    const int h = static_cast<int>(msOfDay / 3600000);
    const int mi = static_cast<int>(msOfDay / 60000 % 60);
    const int se = static_cast<int>(msOfDay / 1000 % 60);
    const int ms = static_cast<int>(msOfDay % 1000);
    char buf[40];
    int n = 0;
    if (c.y >= 0 && c.y <= 9999) {
        // Digits by hand: alert ids format one timestamp per alert, and snprintf was most of that cost.
        auto put = [&](qint64 v, int width) {
            for (int i = width - 1; i >= 0; --i, v /= 10) buf[n + i] = static_cast<char>('0' + v % 10);
            n += width;
        };
        put(c.y, 4);
        buf[n++] = '-';
        put(c.m, 2);
        buf[n++] = '-';
        put(c.d, 2);
        buf[n++] = sep;
        put(h, 2);
        buf[n++] = ':';
        put(mi, 2);
        buf[n++] = ':';
        put(se, 2);
        if (ms != 0 && zulu) {
            buf[n++] = '.';
            put(ms, 3);
        }
    } else {
        n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u%c%02d:%02d:%02d", static_cast<long long>(c.y),
                          c.m, c.d, sep, h, mi, se);
        if (ms != 0 && zulu)
            n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%03d", ms);
    }
    if (zulu)
        buf[n++] = 'Z';
    return QString::fromLatin1(buf, n);
}
}  // namespace

QString formatUtcTimestamp(qint64 epochMs) {
    return format(epochMs, 'T', true);
}
QString formatUtcTimestampHuman(qint64 epochMs) {
    return format(epochMs, ' ', false);
}

}  // namespace itap
