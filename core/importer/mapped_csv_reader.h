#pragma once

#include "common/result.h"
#include "common/telemetry.h"
#include "importer/import_mapping.h"
#include "importer/timestamp_parser.h"
#include "validation/csv_reader.h"
#include "validation/row_issue.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <vector>

namespace itap {

/// Parses a number whose decimal separator is `decimal` ('.' or ','): an optional sign, digits, fraction and
/// exponent as std::from_chars reads them; with ',' a '.' anywhere is refused (thousands separators are not
/// numbers). The whole text must be the number, and it must be finite. No trimming.
[[nodiscard]] bool parseDecimal(QStringView text, QChar decimal, double& out);

/// Splits delimited text lines into fields: one quote character ("" inside a quoted field is a quote),
/// fields trimmed of surrounding blanks. Used by the reader and by the mapping guesser.
class DelimitedSplitter {
public:
    DelimitedSplitter(QChar delimiter, QChar quote) : delimiter_(delimiter), quote_(quote) {}
    /// Splits `line` into `fields`; false (with `badColumn`, 1-based) on a malformed quoted field.
    [[nodiscard]] bool split(QStringView line, QStringList& fields, int& badColumn) const;
    /// True when `line` ends inside an open quoted field (the record goes on on the next line).
    /// `startsInQuote`: `line` continues a record that ended inside a quoted field (the previous call's
    /// answer), so a long record is scanned once, line by line.
    [[nodiscard]] bool endsInQuote(QStringView line, bool startsInQuote = false) const;

private:
    QChar delimiter_;
    QChar quote_;
};

/// Reads one foreign telemetry CSV through an ImportMapping into canonical TelemetryBatch rows (catalog order
/// = mapping channel order), streaming, a batch at a time. Only parsing happens here: semantic checks
/// (duplicates, order, ranges, gaps) are the RowValidator's, fed with the batches and layout().
/// Not thread-safe; one reader per thread.
class MappedCsvReader {
public:
    /// `mapping` must have passed ImportMapping::validate().
    explicit MappedCsvReader(const ImportMapping& mapping);

    /// Opens `path`, skips the preamble and reads the header. A mapped column missing from the header is
    /// Error::badInput naming the file, the header line, the mapping key and the columns the header has.
    [[nodiscard]] Status open(const QString& path);

    /// Clears `batch` and appends up to `maxRows` rows. A row that cannot be parsed is left out and an issue
    /// is appended to `issues` (check: column_count, quote, timestamp, device_id, state, number, error_code,
    /// label, line_too_long) naming its line and column. Returns false once the file is consumed.
    [[nodiscard]] Result<bool> readBatch(TelemetryBatch& batch, std::vector<RowIssue>& issues, int maxRows);

    /// Column numbers of the mapped fields, for the RowValidator's messages.
    [[nodiscard]] const CsvColumnLayout& layout() const { return layout_; }
    /// Header names (or "column N" without a header).
    [[nodiscard]] const QStringList& header() const { return header_; }
    /// Header columns the mapping does not use, in file order.
    [[nodiscard]] QStringList unmappedColumns() const;
    /// Device id of every row when the mapping takes it from the file name (else empty).
    [[nodiscard]] const QString& fileDevice() const { return fileDevice_; }
    [[nodiscard]] const QString& path() const { return path_; }
    [[nodiscard]] qint64 bytesRead() const { return file_.pos(); }
    [[nodiscard]] qint64 fileSize() const { return fileSize_; }

    /// The device id the mapping gives for a file (FileName source): regex capture or base name.
    [[nodiscard]] static QString deviceFromFileName(const ImportMapping::Device& device, const QString& path);

private:
    // One logical record: its text and its first physical line.
    [[nodiscard]] Result<bool> nextRecord(QString& text, qint64& line, bool& tooLong);
    /// Reads up to and including the next line break (or to the end), in lineBuf_-sized pieces.
    void skipRestOfLine();
    /// Decodes one line per source.encoding; sets `invalid` when utf-8 bytes were not valid UTF-8.
    [[nodiscard]] QString decode(const QByteArray& bytes, bool& invalid) const;
    [[nodiscard]] Result<int> resolve(const ColumnRef& ref, const QString& key) const;
    [[nodiscard]] bool parseRow(const QString& text, qint64 line, TelemetryBatch& batch, RowIssue& issue);
    [[nodiscard]] bool parseNumber(QStringView cell, double& out) const;

    ImportMapping mapping_;
    TimestampParser timestamps_;
    DelimitedSplitter splitter_;
    QString path_;
    QFile file_;
    QByteArray lineBuf_;  // one physical line at a time, allocated once per open()
    qint64 fileSize_ = 0;
    qint64 lineNo_ = 0;
    bool firstLine_ = true;
    bool pendingRecord_ = false;  // the first data record was read while looking for the header
    QString pendingText_;
    qint64 pendingLine_ = 0;
    bool pendingInvalidUtf8_ = false;
    bool recordInvalidUtf8_ = false;  // the current record had bytes that are not valid UTF-8

    QStringList header_;
    int headerColumns_ = 0;  // 0 without a header
    qint64 headerLine_ = 0;
    CsvColumnLayout layout_;
    int timestampCol_ = 0, deviceCol_ = 0, stateCol_ = 0, errorCol_ = 0, labelCol_ = 0;  // 0-based, -1 = none
    std::vector<int> channelCols_;
    int maxCol_ = 0;  // highest 0-based column used
    QString fileDevice_;
    QString lastDevice_;
    QStringList fields_;
    std::vector<double> rowValues_;
    QString rejectedTag_;
};

}  // namespace itap
