#pragma once

#include <QString>
#include <QStringView>

#include <optional>
#include <string_view>

namespace itap {

/// Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" or "YYYY-MM-DD HH:MM:SS[.fff]" (both UTC) into epoch milliseconds.
/// Returns nullopt on anything else, including impossible dates such as 2026-02-30 and a fraction finer than
/// a millisecond that is not zero (".0001": ITAP stores milliseconds, and rounding would silently merge
/// distinct samples; ".123000" is fine).
[[nodiscard]] std::optional<qint64> parseUtcTimestamp(std::string_view text);
[[nodiscard]] std::optional<qint64> parseUtcTimestamp(QStringView text);
/// True when `text` has the shape parseUtcTimestamp() reads but a fraction digit after the third that is not
/// zero: what a message should name instead of "cannot parse".
[[nodiscard]] bool hasSubMillisecondDigits(std::string_view text);
/// "is finer than a millisecond (…)": the one wording for a timestamp refused for its sub-millisecond digits,
/// after the column and the quoted cell, by ingest and import alike.
[[nodiscard]] QString finerThanMillisecondReason();

/// Formats epoch milliseconds as "YYYY-MM-DDTHH:MM:SSZ" (".fffZ" when the milliseconds are not zero).
[[nodiscard]] QString formatUtcTimestamp(qint64 epochMs);

/// Formats epoch milliseconds as "YYYY-MM-DD HH:MM:SS" for operator-facing reports.
[[nodiscard]] QString formatUtcTimestampHuman(qint64 epochMs);

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
[[nodiscard]] constexpr qint64 daysFromCivil(qint64 y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

}  // namespace itap
