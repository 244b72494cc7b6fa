#pragma once

#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "validation/row_issue.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace itap {

/// Tuning of TelemetryCsvReader.
struct CsvReaderOptions {
    qint64 maxLineBytes = qint64(1) << 20;    ///< longest accepted line (bytes, without CR/LF); 16 .. 1 GiB
    qint64 readChunkBytes = qint64(4) << 20;  ///< bytes asked from the file per read; 16 .. 256 MiB

    /// The one place the ranges above are enforced.
    [[nodiscard]] Status validate() const;
};

/// Where each field of the canonical CSV sits in a file (1-based column numbers, 0 = absent).
struct CsvColumnLayout {
    int columnCount = 0;
    int timestamp = 0;
    int deviceId = 0;
    int state = 0;
    int errorCode = 0;
    int faultTag = 0;           ///< 0 when the file carries no fault_tag column
    std::vector<int> channels;  ///< column of each catalog channel, catalog order

    /// timestamp, device_id, state, <channels...>, error_code[, fault_tag]: DESIGN.md §2.
    [[nodiscard]] static CsvColumnLayout canonical(int channelCount, bool withLabels = true);
};

/// Streaming reader of the canonical telemetry CSV (DESIGN.md §2), driven by a SensorCatalog.
///
/// The header may list its columns in any order. Rows are parsed from raw bytes: numbers with std::from_chars
/// (so the C locale never matters), device ids and fault tags interned so consecutive rows share one QString.
/// A device id must be valid UTF-8 (else the row is rejected: decoding would merge different ids); a fault
/// tag's invalid bytes become U+FFFD.
/// Memory is bounded by max(readChunkBytes, maxLineBytes): longer lines are skipped without being held. Not
/// thread-safe; one reader per thread.
class TelemetryCsvReader {
public:
    explicit TelemetryCsvReader(SensorCatalog catalog, CsvReaderOptions options = {});
    ~TelemetryCsvReader();
    TelemetryCsvReader(const TelemetryCsvReader&) = delete;
    TelemetryCsvReader& operator=(const TelemetryCsvReader&) = delete;

    /// Opens `path` and parses its header. Every failure is Error::badInput naming the file, and for header
    /// problems the line and column.
    [[nodiscard]] Status open(const QString& path);

    /// Clears `batch` (setting its channelCount) and appends up to `maxRows` parsed rows with their
    /// sourceLine. A row that cannot be parsed is not added: a RowIssue is appended to `issues` instead
    /// (never cleared here). At most `maxRows` lines are consumed per call, good or bad, so callers can
    /// report progress between calls. Returns false once the whole file has been consumed; an I/O failure is
    /// Error::failure.
    [[nodiscard]] Result<bool> readBatch(TelemetryBatch& batch, std::vector<RowIssue>& issues, int maxRows);

    /// True when the header has a fault_tag column (the rows carry ground-truth labels).
    [[nodiscard]] bool hasLabels() const { return layout_.faultTag > 0; }
    [[nodiscard]] const CsvColumnLayout& layout() const { return layout_; }
    /// Header name of a 1-based column, or "column N" outside the header.
    [[nodiscard]] QString columnName(int column) const;
    [[nodiscard]] const QString& path() const { return path_; }
    [[nodiscard]] const SensorCatalog& catalog() const { return catalog_; }

    /// Bytes of the file consumed so far (for progress against fileSize()).
    [[nodiscard]] qint64 bytesRead() const { return bufferOffset_ + pos_; }
    [[nodiscard]] qint64 fileSize() const { return fileSize_; }
    /// Bytes held for reading: max(readChunkBytes, maxLineBytes + 2), whatever the lines look like.
    [[nodiscard]] qint64 bufferCapacity() const { return capacity_; }

private:
    enum class Role : std::uint8_t { Timestamp, DeviceId, State, Channel, ErrorCode, FaultTag };
    struct Column {
        Role role;
        int channel;  // catalog index for Role::Channel
    };
    enum class LineKind { Line, TooLong, Pending, End };
    /// Where a scan of a record stands with respect to RFC 4180 quoting.
    enum class QuoteState : std::uint8_t { FieldStart, Unquoted, Quoted, QuoteSeen, AfterQuote };

    // Hash map keyed by std::string but searchable with a std::string_view (no allocation per lookup).
    struct ViewHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    class InternCache {
    public:
        const QString& intern(std::string_view bytes);

    private:
        std::unordered_map<std::string, QString, ViewHash, std::equal_to<>> map_;
        std::string_view lastKey_;  // the key of *last_, inside map_
        const QString* last_ = nullptr;
    };

    [[nodiscard]] Status fill();
    /// The next record: one line, or several when line breaks sit inside quoted fields.
    [[nodiscard]] Result<LineKind> nextLine(std::string_view& line);
    /// The quoting state after the bytes [p, e) of a record, starting in `state`.
    [[nodiscard]] static QuoteState scanQuotes(const char* p, const char* e, QuoteState state);
    [[nodiscard]] Result<bool> skipRestOfLine();
    [[nodiscard]] Status parseHeader(std::string_view line);
    [[nodiscard]] bool splitFields(std::string_view line, RowIssue& issue);
    [[nodiscard]] bool parseRow(std::string_view line, TelemetryBatch& batch, RowIssue& issue);
    [[nodiscard]] Error headerError(const QString& message, qint64 column) const;

    SensorCatalog catalog_;
    CsvReaderOptions options_;
    QString path_;
    QFile file_;
    qint64 fileSize_ = 0;

    std::unique_ptr<char[]> buffer_;
    qint64 capacity_ = 0;
    qint64 pos_ = 0;           // next unread byte in buffer_
    qint64 end_ = 0;           // one past the last valid byte in buffer_
    qint64 bufferOffset_ = 0;  // file offset of buffer_[0]
    bool eof_ = false;

    qint64 lineNo_ = 0;            // physical line number of the last line consumed
    qint64 recordLine_ = 0;        // physical line on which the last record returned starts
    bool skipping_ = false;        // inside a too-long line, looking for its end
    qint64 skipLine_ = 0;          // the too-long line's number
    qint64 skippedBytes_ = 0;      // its length so far
    bool skipEndsWithCr_ = false;  // the bytes skipped so far end in a CR, which is not part of the line

    CsvColumnLayout layout_;
    QStringList headerNames_;
    std::vector<Column> columns_;
    std::vector<std::string_view> fields_;
    std::vector<char> quoted_;  // unescaped text of quoted fields; fields_ may point into it
    std::vector<double> rowValues_;
    InternCache devices_;
    InternCache tags_;
};

}  // namespace itap
