#include "validation/csv_reader.h"

#include "common/printable_text.h"
#include "common/time_util.h"

#include <QFileInfo>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace itap {
namespace {

constexpr qint64 kMinBytes = 16;
constexpr qint64 kMaxLineLimit = qint64(1) << 30;
constexpr qint64 kMaxChunk = qint64(256) << 20;
// A huge line is skipped in slices so that readBatch() returns (and the caller can report progress or cancel)
// at least every this many bytes.
constexpr qint64 kSkipSliceBytes = qint64(64) << 20;
// Bounds the interning caches: a file with millions of distinct device ids must not keep them all.
constexpr std::size_t kMaxInterned = 65536;
constexpr int kQuotedTextChars = 40;

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The offending text for a message: decoded, and cut so that a hostile cell cannot flood the report.
// Control characters are escaped (printableText()).
QString shown(std::string_view s) {
    QString text = QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    if (text.size() > kQuotedTextChars)
        text = text.left(kQuotedTextChars) + QStringLiteral("...");
    return QLatin1Char('\'') + printableText(text) + QLatin1Char('\'');
}

// Strict UTF-8 (RFC 3629): no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF. QString::fromUtf8
// would map every invalid sequence to U+FFFD, so two different byte strings could become one device.
bool isValidUtf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const e = p + s.size();
    while (p < e) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int n = 0;  // continuation bytes
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (e - p <= n || p[1] < lo || p[1] > hi)
            return false;
        for (int i = 2; i <= n; ++i)
            if (p[i] < 0x80 || p[i] > 0xBF)
                return false;
        p += n + 1;
    }
    return true;
}

enum class NumberStatus { Ok, NotANumber, NonFinite };

NumberStatus parseDouble(std::string_view s, double& out) {
    const char* b = s.data();
    const char* e = b + s.size();
    if (b != e && *b == '+') {
        ++b;
        if (b != e && *b == '-')
            return NumberStatus::NotANumber;
    }
    const auto [p, ec] = std::from_chars(b, e, out);
    if (ec != std::errc() || p != e || b == e)
        return NumberStatus::NotANumber;
    return std::isfinite(out) ? NumberStatus::Ok : NumberStatus::NonFinite;
}

enum class ErrorCodeParse { Ok, NotAnInteger, TooLarge };

ErrorCodeParse parseErrorCode(std::string_view s, int& out) {
    const char* b = s.data();
    const char* e = b + s.size();
    if (b != e && *b == '+')
        ++b;
    if (b == e || *b < '0' || *b > '9')
        return ErrorCodeParse::NotAnInteger;  // also rejects '-': codes are >= 0
    const auto [p, ec] = std::from_chars(b, e, out);
    if (ec == std::errc::result_out_of_range) {
        // Digits all the way, but more than an int holds: say so rather than "not an integer".
        const bool digits = std::all_of(b, e, [](char c) { return c >= '0' && c <= '9'; });
        return digits ? ErrorCodeParse::TooLarge : ErrorCodeParse::NotAnInteger;
    }
    return ec == std::errc() && p == e ? ErrorCodeParse::Ok : ErrorCodeParse::NotAnInteger;
}

std::optional<OpState> parseState(std::string_view s) {
    if (s == "RUN")
        return OpState::Run;
    if (s == "IDLE")
        return OpState::Idle;
    if (s == "MAINT")
        return OpState::Maint;
    return std::nullopt;
}

}  // namespace

Status CsvReaderOptions::validate() const {
    if (maxLineBytes < kMinBytes || maxLineBytes > kMaxLineLimit)
        return Error::badInput(QStringLiteral("maxLineBytes must be in [%1, %2], got %3")
                                   .arg(kMinBytes)
                                   .arg(kMaxLineLimit)
                                   .arg(maxLineBytes));
    if (readChunkBytes < kMinBytes || readChunkBytes > kMaxChunk)
        return Error::badInput(QStringLiteral("readChunkBytes must be in [%1, %2], got %3")
                                   .arg(kMinBytes)
                                   .arg(kMaxChunk)
                                   .arg(readChunkBytes));
    return {};
}

CsvColumnLayout CsvColumnLayout::canonical(int channelCount, bool withLabels) {
    CsvColumnLayout l;
    l.timestamp = 1;
    l.deviceId = 2;
    l.state = 3;
    for (int i = 0; i < channelCount; ++i) l.channels.push_back(4 + i);
    l.errorCode = 4 + channelCount;
    l.faultTag = withLabels ? 5 + channelCount : 0;
    l.columnCount = withLabels ? 5 + channelCount : 4 + channelCount;
    return l;
}

const QString& TelemetryCsvReader::InternCache::intern(std::string_view bytes) {
    if (last_ != nullptr && bytes == lastKey_)
        return *last_;
    auto it = map_.find(bytes);
    if (it == map_.end()) {
        if (map_.size() >= kMaxInterned)
            map_.clear();  // the batch keeps its own references to the strings
        it = map_.emplace(std::string(bytes),
                          QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size())))
                 .first;
    }
    // Node-based map: the key and value stay where they are until the next clear(), which only a miss can do.
    lastKey_ = it->first;
    last_ = &it->second;
    return *last_;
}

TelemetryCsvReader::TelemetryCsvReader(SensorCatalog catalog, CsvReaderOptions options)
    : catalog_(std::move(catalog)), options_(options) {}

TelemetryCsvReader::~TelemetryCsvReader() = default;

Error TelemetryCsvReader::headerError(const QString& message, qint64 column) const {
    return Error::badInput(QStringLiteral("header: ") + message, path_, recordLine_, column);
}

Status TelemetryCsvReader::open(const QString& path) {
    path_ = path;
    file_.close();
    if (Status s = options_.validate(); !s)
        return Error::badInput(s.error().message, path);
    const QFileInfo info(path);
    if (!info.exists())
        return Error::badInput(QStringLiteral("file not found"), path);
    if (info.isDir())
        return Error::badInput(QStringLiteral("is a directory, not a CSV file"), path);
    file_.setFileName(path);
    if (!file_.open(QIODevice::ReadOnly | QIODevice::Unbuffered))  // buffer_ is the buffer
        return Error::badInput(QStringLiteral("cannot read: ") + file_.errorString(), path);
    fileSize_ = file_.size();

    capacity_ = std::max(options_.readChunkBytes, options_.maxLineBytes + 2);
    buffer_ = std::make_unique<char[]>(static_cast<std::size_t>(capacity_));
    pos_ = end_ = bufferOffset_ = 0;
    eof_ = skipping_ = false;
    lineNo_ = recordLine_ = skipLine_ = skippedBytes_ = 0;

    if (Status s = fill(); !s) {
        file_.close();
        return Error::badInput(s.error().message, path);
    }
    if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0)
        pos_ = 3;

    std::string_view line;
    for (;;) {
        auto kind = nextLine(line);
        if (!kind || *kind != LineKind::Line) {
            file_.close();
            if (!kind)
                return Error::badInput(kind.error().message, path);
            if (*kind == LineKind::End)
                return Error::badInput(QStringLiteral("empty file: no header line"), path, 1);
            return headerError(
                QStringLiteral("header line is longer than %1 bytes").arg(options_.maxLineBytes), 0);
        }
        if (!trimmed(line).empty())
            break;  // blank lines before the header carry nothing
    }
    if (Status s = parseHeader(line); !s) {
        file_.close();  // a reader with a bad header must not hand out rows
        return s;
    }
    return {};
}

Status TelemetryCsvReader::parseHeader(std::string_view line) {
    RowIssue issue;
    if (!splitFields(line, issue))
        return headerError(issue.message, issue.column);
    layout_ = CsvColumnLayout{};
    layout_.columnCount = static_cast<int>(fields_.size());
    layout_.channels.assign(static_cast<std::size_t>(catalog_.size()), 0);
    columns_.clear();
    headerNames_.clear();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const int col = static_cast<int>(i) + 1;
        const QString name = QString::fromUtf8(fields_[i].data(), static_cast<qsizetype>(fields_[i].size()));
        headerNames_.push_back(name);
        Column column{Role::Channel, -1};
        int* slot = nullptr;
        if (name == u"timestamp") {
            column.role = Role::Timestamp;
            slot = &layout_.timestamp;
        } else if (name == u"device_id") {
            column.role = Role::DeviceId;
            slot = &layout_.deviceId;
        } else if (name == u"state") {
            column.role = Role::State;
            slot = &layout_.state;
        } else if (name == u"error_code") {
            column.role = Role::ErrorCode;
            slot = &layout_.errorCode;
        } else if (name == u"fault_tag") {
            column.role = Role::FaultTag;
            slot = &layout_.faultTag;
        } else if (const int ch = catalog_.indexOf(name); ch >= 0) {
            column.channel = ch;
            slot = &layout_.channels[static_cast<std::size_t>(ch)];
        } else if (name.isEmpty()) {
            return headerError(QStringLiteral("column %1 has no name").arg(col), col);
        } else {
            return headerError(
                QStringLiteral(
                    "unknown column '%1' at column %2 (not a telemetry field or a sensor catalog channel)")
                    .arg(printableText(name))
                    .arg(col),
                col);
        }
        if (*slot != 0)
            return headerError(QStringLiteral("duplicate column '%1' at column %2 (also column %3)")
                                   .arg(name)
                                   .arg(col)
                                   .arg(*slot),
                               col);
        *slot = col;
        columns_.push_back(column);
    }
    const auto missing = [&](const QString& name) {
        return headerError(QStringLiteral("missing column '%1' (the header has %2 columns: %3)")
                               .arg(name)
                               .arg(headerNames_.size())
                               .arg(printableText(headerNames_.join(QLatin1Char(',')))),
                           0);
    };
    if (layout_.timestamp == 0)
        return missing(QStringLiteral("timestamp"));
    if (layout_.deviceId == 0)
        return missing(QStringLiteral("device_id"));
    if (layout_.state == 0)
        return missing(QStringLiteral("state"));
    for (int ch = 0; ch < catalog_.size(); ++ch)
        if (layout_.channels[static_cast<std::size_t>(ch)] == 0)
            return missing(catalog_.channel(ch).name);
    if (layout_.errorCode == 0)
        return missing(QStringLiteral("error_code"));
    rowValues_.assign(static_cast<std::size_t>(catalog_.size()), kMissing);
    return {};
}

QString TelemetryCsvReader::columnName(int column) const {
    if (column >= 1 && column <= headerNames_.size())
        return headerNames_[column - 1];
    return QStringLiteral("column %1").arg(column);
}

Status TelemetryCsvReader::fill() {
    if (pos_ > 0) {
        const qint64 rest = end_ - pos_;
        if (rest > 0)
            std::memmove(buffer_.get(), buffer_.get() + pos_, static_cast<std::size_t>(rest));
        bufferOffset_ += pos_;
        end_ = rest;
        pos_ = 0;
    }
    const qint64 room = capacity_ - end_;
    const qint64 n = file_.read(buffer_.get() + end_, room);
    if (n < 0)
        return Error::failure(QStringLiteral("read failed: ") + file_.errorString(), path_);
    if (n == 0)
        eof_ = true;
    end_ += n;
    return {};
}

Result<bool> TelemetryCsvReader::skipRestOfLine() {
    qint64 budget = kSkipSliceBytes;
    for (;;) {
        const qint64 avail = end_ - pos_;
        if (avail > 0) {
            const char* start = buffer_.get() + pos_;
            if (const void* nl = std::memchr(start, '\n', static_cast<std::size_t>(avail))) {
                const qint64 len = static_cast<const char*>(nl) - start;
                const bool cr = len > 0 ? start[len - 1] == '\r' : skipEndsWithCr_;
                skippedBytes_ += cr ? len - 1 : len;
                pos_ += len + 1;
                skipping_ = false;
                return true;
            }
            skippedBytes_ += avail;
            skipEndsWithCr_ = start[avail - 1] == '\r';
            budget -= avail;
            pos_ = end_;
        }
        if (eof_) {
            if (skipEndsWithCr_)
                --skippedBytes_;
            skipping_ = false;
            return true;
        }
        if (budget <= 0)
            return false;
        if (Status s = fill(); !s)
            return s.error();
    }
}

TelemetryCsvReader::QuoteState TelemetryCsvReader::scanQuotes(const char* p, const char* e,
                                                              QuoteState state) {
    // Without a quote character nothing changes that matters here: a record outside quotes ends at its line
    // break, one inside stays inside.
    if (std::memchr(p, '"', static_cast<std::size_t>(e - p)) == nullptr)
        return state;
    for (; p < e; ++p) {
        const char c = *p;
        switch (state) {
            case QuoteState::FieldStart:  // leading blanks may precede the opening quote, as in splitFields()
                if (c == '"')
                    state = QuoteState::Quoted;
                else if (c != ',' && c != ' ' && c != '\t')
                    state = QuoteState::Unquoted;
                break;
            case QuoteState::Unquoted:
            case QuoteState::AfterQuote:
                if (c == ',')
                    state = QuoteState::FieldStart;
                break;
            case QuoteState::Quoted:
                if (c == '"')
                    state = QuoteState::QuoteSeen;
                break;
            case QuoteState::QuoteSeen:  // "" is an escaped quote; anything else closed the field
                state = c == '"'   ? QuoteState::Quoted
                        : c == ',' ? QuoteState::FieldStart
                                   : QuoteState::AfterQuote;
                break;
        }
    }
    return state;
}

Result<TelemetryCsvReader::LineKind> TelemetryCsvReader::nextLine(std::string_view& line) {
    if (skipping_) {
        auto done = skipRestOfLine();
        if (!done)
            return done.error();
        return *done ? LineKind::TooLong : LineKind::Pending;
    }
    // A record ends at the first line break outside a quoted field (RFC 4180): offsets from pos_, which stay
    // valid across fill().
    qint64 searched = 0;                        // bytes after pos_ already known to hold no record end
    qint64 segment = 0;                         // start of the physical line being searched
    QuoteState quote = QuoteState::FieldStart;  // at `segment`
    qint64 breaks = 0;                          // line breaks inside quoted fields so far
    for (;;) {
        char* start = buffer_.get() + pos_;
        const qint64 avail = end_ - pos_;
        const void* nl = avail > searched
                             ? std::memchr(start + searched, '\n', static_cast<std::size_t>(avail - searched))
                             : nullptr;
        if (nl != nullptr) {
            const qint64 at = static_cast<const char*>(nl) - start;
            quote = scanQuotes(start + segment, start + at, quote);
            if (quote == QuoteState::Quoted) {
                ++breaks;
                segment = searched = at + 1;
                continue;
            }
        }
        if (nl != nullptr || (eof_ && avail > 0)) {
            qint64 len = nl != nullptr ? static_cast<const char*>(nl) - start : avail;
            pos_ += nl != nullptr ? len + 1 : len;
            recordLine_ = lineNo_ + 1;
            lineNo_ += 1 + breaks;
            if (len > 0 && start[len - 1] == '\r')
                --len;
            if (len > options_.maxLineBytes) {
                skipLine_ = recordLine_;
                skippedBytes_ = len;
                return LineKind::TooLong;
            }
            line = std::string_view(start, static_cast<std::size_t>(len));
            return LineKind::Line;
        }
        if (eof_)
            return LineKind::End;
        if (avail > options_.maxLineBytes + 1) {
            // Longer than allowed even if the next byte were the line break: drop what we hold and stream
            // past it (to the next physical line break: a quoted field that never closes resynchronises
            // there).
            recordLine_ = lineNo_ + 1;
            lineNo_ += 1 + breaks;
            skipLine_ = recordLine_;
            skippedBytes_ = 0;
            skipEndsWithCr_ = false;
            skipping_ = true;
            auto done = skipRestOfLine();
            if (!done)
                return done.error();
            return *done ? LineKind::TooLong : LineKind::Pending;
        }
        searched = avail;
        if (Status s = fill(); !s)
            return s.error();
    }
}

bool TelemetryCsvReader::splitFields(std::string_view line, RowIssue& issue) {
    fields_.clear();
    const char* p = line.data();
    const char* const e = p + line.size();
    if (std::memchr(p, '"', line.size()) == nullptr) {
        for (;;) {
            const char* comma =
                static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(e - p)));
            const char* fieldEnd = comma != nullptr ? comma : e;
            fields_.push_back(trimmed(std::string_view(p, static_cast<std::size_t>(fieldEnd - p))));
            if (comma == nullptr)
                return true;
            p = comma + 1;
        }
    }
    // RFC 4180 quoting (a quoted field may hold line breaks: nextLine() keeps them in the record): unescaped
    // text goes to quoted_, which never outgrows the record, so the views into it stay valid for the whole
    // row.
    quoted_.resize(std::max<std::size_t>(line.size(), 1));
    char* out = quoted_.data();
    for (;;) {
        const char* q = p;
        while (q < e && (*q == ' ' || *q == '\t')) ++q;
        if (q < e && *q == '"') {
            ++q;
            const char* start = out;
            for (;;) {
                if (q == e) {
                    issue = RowIssue{0,
                                     static_cast<qint64>(fields_.size()) + 1,
                                     QStringLiteral("quote"),
                                     QStringLiteral("unterminated quoted field"),
                                     {}};
                    return false;
                }
                if (*q == '"') {
                    if (q + 1 < e && q[1] == '"') {
                        *out++ = '"';
                        q += 2;
                        continue;
                    }
                    ++q;
                    break;
                }
                *out++ = *q++;
            }
            fields_.emplace_back(start, static_cast<std::size_t>(out - start));
            while (q < e && (*q == ' ' || *q == '\t')) ++q;
            if (q == e)
                return true;
            if (*q != ',') {
                issue = RowIssue{0,
                                 static_cast<qint64>(fields_.size()),
                                 QStringLiteral("quote"),
                                 QStringLiteral("unexpected text after a closing quote"),
                                 {}};
                return false;
            }
            p = q + 1;
        } else {
            const char* comma =
                static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(e - p)));
            const char* fieldEnd = comma != nullptr ? comma : e;
            fields_.push_back(trimmed(std::string_view(p, static_cast<std::size_t>(fieldEnd - p))));
            if (comma == nullptr)
                return true;
            p = comma + 1;
        }
    }
}

bool TelemetryCsvReader::parseRow(std::string_view line, TelemetryBatch& batch, RowIssue& issue) {
    if (!splitFields(line, issue))
        return false;
    const int found = static_cast<int>(fields_.size());
    if (found != layout_.columnCount) {
        issue = RowIssue{0,
                         found < layout_.columnCount ? found + 1 : layout_.columnCount + 1,
                         QStringLiteral("column_count"),
                         QStringLiteral("expected %1 fields, found %2").arg(layout_.columnCount).arg(found),
                         {}};
        return false;
    }
    qint64 ts = 0;
    OpState state = OpState::Run;
    int errorCode = 0;
    std::string_view device;
    std::string_view tag;
    const auto fail = [&](int col, const char* check, QString message) {
        issue = RowIssue{0, col, QString::fromLatin1(check), std::move(message), {}};
        return false;
    };
    for (int i = 0; i < found; ++i) {
        const std::string_view f = fields_[static_cast<std::size_t>(i)];
        const Column& c = columns_[static_cast<std::size_t>(i)];
        const int col = i + 1;
        switch (c.role) {
            case Role::Timestamp: {
                const auto parsed = parseUtcTimestamp(f);
                if (!parsed && hasSubMillisecondDigits(f))
                    return fail(col, "timestamp",
                                QStringLiteral("%1: %2 %3")
                                    .arg(columnName(col), shown(f), finerThanMillisecondReason()));
                if (!parsed)
                    return fail(col, "timestamp",
                                QStringLiteral("%1: cannot parse %2 (expected YYYY-MM-DDTHH:MM:SSZ or "
                                               "YYYY-MM-DD HH:MM:SS, UTC)")
                                    .arg(columnName(col), shown(f)));
                ts = *parsed;
                break;
            }
            case Role::DeviceId:
                if (f.empty())
                    return fail(col, "device_id", QStringLiteral("device_id is empty"));
                if (!isValidUtf8(f))
                    return fail(col, "device_id",
                                QStringLiteral("device_id %1 is not valid UTF-8").arg(shown(f)));
                if (firstControlByte(f.data(), static_cast<qsizetype>(f.size())) >= 0)
                    return fail(col, "device_id",
                                QStringLiteral("device_id %1 contains a control character").arg(shown(f)));
                device = f;
                break;
            case Role::State: {
                const auto parsed = parseState(f);
                if (!parsed)
                    return fail(col, "state",
                                QStringLiteral("%1: unknown state %2 (expected RUN, IDLE or MAINT)")
                                    .arg(columnName(col), shown(f)));
                state = *parsed;
                break;
            }
            case Role::Channel: {
                double& v = rowValues_[static_cast<std::size_t>(c.channel)];
                if (f.empty()) {
                    v = kMissing;
                    break;
                }
                switch (parseDouble(f, v)) {
                    case NumberStatus::Ok:
                        break;
                    case NumberStatus::NotANumber:
                        return fail(col, "number",
                                    QStringLiteral("%1: %2 is not a number").arg(columnName(col), shown(f)));
                    case NumberStatus::NonFinite:
                        return fail(
                            col, "number",
                            QStringLiteral("%1: %2 is not a finite number").arg(columnName(col), shown(f)));
                }
                break;
            }
            case Role::ErrorCode:
                switch (parseErrorCode(f, errorCode)) {
                    case ErrorCodeParse::Ok:
                        break;
                    case ErrorCodeParse::NotAnInteger:
                        return fail(
                            col, "error_code",
                            QStringLiteral("%1: %2 is not an integer >= 0").arg(columnName(col), shown(f)));
                    case ErrorCodeParse::TooLarge:
                        return fail(col, "error_code",
                                    QStringLiteral("%1: %2 is too large (at most %3)")
                                        .arg(columnName(col), shown(f))
                                        .arg(std::numeric_limits<int>::max()));
                }
                break;
            case Role::FaultTag:
                tag = f;
                break;
        }
    }
    static const QString kNoTag;
    batch.append(devices_.intern(device), ts, state, rowValues_.data(), errorCode,
                 tag.empty() ? kNoTag : tags_.intern(tag), recordLine_);
    return true;
}

Result<bool> TelemetryCsvReader::readBatch(TelemetryBatch& batch, std::vector<RowIssue>& issues,
                                           int maxRows) {
    if (!file_.isOpen())
        return Error::failure(QStringLiteral("the reader is not open"), path_);
    batch.clear();
    batch.channelCount = catalog_.size();
    maxRows = std::max(maxRows, 1);
    batch.reserve(static_cast<std::size_t>(std::min(maxRows, 65536)));
    int consumed = 0;
    while (consumed < maxRows) {
        std::string_view line;
        auto kind = nextLine(line);
        if (!kind)
            return kind.error();
        switch (*kind) {
            case LineKind::End:
                return false;
            case LineKind::Pending:
                return true;
            case LineKind::TooLong:
                issues.push_back(
                    RowIssue{skipLine_,
                             0,
                             QStringLiteral("line_too_long"),
                             QStringLiteral("line of %1 bytes is longer than the %2-byte limit; skipped")
                                 .arg(skippedBytes_)
                                 .arg(options_.maxLineBytes),
                             {}});
                ++consumed;
                break;
            case LineKind::Line: {
                if (line.empty())
                    break;  // blank lines are not rows (a trailing one is common)
                RowIssue issue;
                if (!parseRow(line, batch, issue)) {
                    issue.line = recordLine_;
                    // With the wrong field count the device_id position means nothing.
                    if (issue.check != u"column_count" &&
                        static_cast<int>(fields_.size()) >= layout_.deviceId) {
                        const std::string_view dev = fields_[static_cast<std::size_t>(layout_.deviceId - 1)];
                        issue.deviceId = QString::fromUtf8(dev.data(), static_cast<qsizetype>(dev.size()));
                    }
                    issues.push_back(std::move(issue));
                }
                ++consumed;
                break;
            }
        }
    }
    return !(eof_ && pos_ == end_ && !skipping_);
}

}  // namespace itap
