#include "importer/mapped_csv_reader.h"

#include "common/printable_text.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QVarLengthArray>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace itap {
namespace {

constexpr qint64 kMaxRecordBytes = qint64(1) << 20;

// Cell text for a message: cut, and with control characters escaped (printableText()).
QString shorten(QStringView s) {
    return printableText(s.size() <= 40 ? s : s.left(37)) +
           (s.size() <= 40 ? QString() : QStringLiteral("..."));
}

}  // namespace

bool parseDecimal(QStringView text, QChar decimal, double& out) {
    if (text.startsWith(QLatin1Char('+')))
        text = text.mid(1);
    if (text.isEmpty())
        return false;
    // Per cell on the import's hot path: the ASCII copy stays on the stack for any sensible number.
    QVarLengthArray<char, 64> bytes(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c >= 128 || (c == u'.' && decimal != QLatin1Char('.')))
            return false;
        bytes[i] = c == decimal.unicode() ? '.' : static_cast<char>(c);
    }
    const char* end = bytes.data() + bytes.size();
    const auto [stop, ec] = std::from_chars(bytes.data(), end, out);
    return ec == std::errc() && stop == end && std::isfinite(out);
}

bool DelimitedSplitter::split(QStringView line, QStringList& fields, int& badColumn) const {
    fields.clear();
    const qsizetype n = line.size();
    qsizetype i = 0;
    for (;;) {
        // One field starting at i.
        qsizetype start = i;
        while (start < n && (line[start] == QLatin1Char(' ') ||
                             (line[start] == QLatin1Char('\t') && delimiter_ != QLatin1Char('\t'))))
            ++start;
        if (!quote_.isNull() && start < n && line[start] == quote_) {
            QString value;
            qsizetype j = start + 1;
            bool closed = false;
            while (j < n) {
                if (line[j] == quote_) {
                    if (j + 1 < n && line[j + 1] == quote_) {
                        value += quote_;
                        j += 2;
                        continue;
                    }
                    closed = true;
                    ++j;
                    break;
                }
                value += line[j];
                ++j;
            }
            while (j < n && line[j] == QLatin1Char(' ')) ++j;
            if (!closed || (j < n && line[j] != delimiter_)) {
                badColumn = static_cast<int>(fields.size()) + 1;
                return false;
            }
            fields << value;
            if (j >= n)
                return true;
            i = j + 1;
        } else {
            qsizetype j = i;
            while (j < n && line[j] != delimiter_) ++j;
            fields << line.mid(i, j - i).trimmed().toString();
            if (j >= n)
                return true;
            i = j + 1;
        }
    }
}

bool DelimitedSplitter::endsInQuote(QStringView line, bool startsInQuote) const {
    if (quote_.isNull())
        return false;
    bool inQuote = startsInQuote;
    bool fieldStart = true;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (inQuote) {
            if (c == quote_) {
                if (i + 1 < line.size() && line[i + 1] == quote_)
                    ++i;
                else
                    inQuote = false;
            }
        } else if (c == quote_ && fieldStart) {
            inQuote = true;
        } else if (c == delimiter_) {
            fieldStart = true;
            continue;
        }
        if (c != QLatin1Char(' '))
            fieldStart = false;
    }
    return inQuote;
}

MappedCsvReader::MappedCsvReader(const ImportMapping& mapping)
    : mapping_(mapping),
      timestamps_([&] {
          auto p = TimestampParser::create(mapping.timestamp);
          if (!p)
              qFatal("MappedCsvReader: mapping not validated: %s", qPrintable(p.error().toString()));
          return std::move(p).value();
      }()),
      splitter_(mapping.source.delimiter, mapping.source.quote) {}

QString MappedCsvReader::deviceFromFileName(const ImportMapping::Device& device, const QString& path) {
    const QString base = QFileInfo(path).completeBaseName();
    if (device.regex.isEmpty())
        return base;
    const QRegularExpressionMatch m = QRegularExpression(device.regex).match(QFileInfo(path).fileName());
    if (!m.hasMatch())
        return {};
    return (m.lastCapturedIndex() >= 1 ? m.captured(1) : m.captured(0)).trimmed();
}

QString MappedCsvReader::decode(const QByteArray& bytes, bool& invalid) const {
    if (mapping_.source.encoding == QLatin1String("latin-1"))
        return QString::fromLatin1(bytes);
    // As QString::fromUtf8 (a BOM is text here, invalid bytes become U+FFFD), but telling whether any were.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    QString text = decoder(bytes);
    invalid = invalid || decoder.hasError();
    return text;
}

Result<bool> MappedCsvReader::nextRecord(QString& text, qint64& line, bool& tooLong) {
    tooLong = false;
    text.clear();
    recordInvalidUtf8_ = false;
    bool started = false;
    bool inQuote = false;  // the record so far ends inside a quoted field
    for (;;) {
        if (file_.atEnd())
            return started;  // a quote left open at the end: the record is what there is
        // Into the reader's own buffer: QIODevice::readLine(maxSize) allocates maxSize bytes per call, which
        // made every line cost a 1 MiB allocation.
        const qint64 n = file_.readLine(lineBuf_.data(), lineBuf_.size());
        if (n <= 0 && file_.error() != QFileDevice::NoError)
            return Error::failure(QStringLiteral("read failed: ") + file_.errorString(), path_);
        QByteArray bytes(lineBuf_.constData(), n > 0 ? n : 0);
        ++lineNo_;
        if (firstLine_) {
            firstLine_ = false;
            if (bytes.startsWith("\xEF\xBB\xBF"))
                bytes.remove(0, 3);
        }
        if (!bytes.endsWith('\n') && !file_.atEnd()) {  // longer than the limit: skip the rest of it
            tooLong = true;
            if (!started)
                line = lineNo_;
            skipRestOfLine();
            return true;
        }
        while (bytes.endsWith('\n') || bytes.endsWith('\r')) bytes.chop(1);
        bool invalid = false;
        const QString decoded = decode(bytes, invalid);
        if (!started) {
            const QString trimmed = decoded.trimmed();
            if (trimmed.isEmpty())
                continue;
            if (!mapping_.source.comment.isEmpty() && trimmed.startsWith(mapping_.source.comment))
                continue;
            line = lineNo_;
            started = true;
            text = decoded;
        } else {
            text += decoded;
        }
        recordInvalidUtf8_ = recordInvalidUtf8_ || invalid;
        // Only the new line is scanned: rescanning the whole record per line was quadratic in its length.
        inQuote = splitter_.endsInQuote(decoded, inQuote);
        if (inQuote && !file_.atEnd()) {
            if (text.size() > kMaxRecordBytes) {
                tooLong = true;
                return true;
            }
            text += QLatin1Char('\n');  // a quoted field goes on on the next line
            continue;
        }
        return true;
    }
}

void MappedCsvReader::skipRestOfLine() {
    while (!file_.atEnd()) {
        const qint64 n = file_.readLine(lineBuf_.data(), lineBuf_.size());
        if (n <= 0 || lineBuf_[n - 1] == '\n')
            return;
    }
}

Result<int> MappedCsvReader::resolve(const ColumnRef& ref, const QString& key) const {
    if (ref.index > 0) {
        if (headerColumns_ > 0 && ref.index > headerColumns_)
            return Error::badInput(
                QStringLiteral("mapping %1: column %2 does not exist (the header has %3 columns)")
                    .arg(key)
                    .arg(ref.index)
                    .arg(headerColumns_),
                path_, 1 + mapping_.source.skipLines);
        return ref.index - 1;
    }
    const int first = static_cast<int>(header_.indexOf(ref.name));
    if (first < 0) {
        QString hint;
        for (const QString& h : header_)
            if (h.compare(ref.name, Qt::CaseInsensitive) == 0)
                hint = QStringLiteral(" (did you mean '%1'?)").arg(h);
        return Error::badInput(QStringLiteral("mapping %1: unknown column '%2'%3; the header has: %4")
                                   .arg(key, ref.name, hint, header_.join(QStringLiteral(", "))),
                               path_, headerLine_);
    }
    if (header_.lastIndexOf(ref.name) != first)
        return Error::badInput(QStringLiteral("mapping %1: column '%2' appears more than once in the header; "
                                              "use its 1-based number")
                                   .arg(key, ref.name),
                               path_, headerLine_, first + 1);
    return first;
}

Status MappedCsvReader::open(const QString& path) {
    path_ = path;
    file_.setFileName(path);
    if (!file_.open(QIODevice::ReadOnly))
        return Error::badInput(QStringLiteral("cannot open: ") + file_.errorString(), path);
    fileSize_ = file_.size();
    lineBuf_.resize(kMaxRecordBytes + 3);  // readLine() keeps one byte for its terminating NUL
    lineNo_ = 0;
    firstLine_ = true;
    for (int i = 0; i < mapping_.source.skipLines && !file_.atEnd(); ++i) {
        skipRestOfLine();  // in bounded pieces: a hostile preamble line must not be read into memory whole
        ++lineNo_;
        firstLine_ = false;
    }
    QString text;
    qint64 line = 0;
    bool tooLong = false;
    auto got = nextRecord(text, line, tooLong);
    if (!got)
        return got.error();
    if (!*got)
        return Error::badInput(QStringLiteral("the file has no data"), path);
    if (tooLong)
        return Error::badInput(QStringLiteral("line too long"), path, line);
    int badColumn = 0;
    if (mapping_.source.header) {
        headerLine_ = line;
        if (!splitter_.split(text, header_, badColumn))
            return Error::badInput(QStringLiteral("malformed quoted header field"), path, line, badColumn);
        headerColumns_ = static_cast<int>(header_.size());
    } else {
        headerLine_ = 0;
        QStringList fields;
        if (!splitter_.split(text, fields, badColumn))
            return Error::badInput(QStringLiteral("malformed quoted field"), path, line, badColumn);
        for (int i = 1; i <= fields.size(); ++i) header_ << QStringLiteral("column %1").arg(i);
        pendingRecord_ = true;
        pendingText_ = text;
        pendingLine_ = line;
        pendingInvalidUtf8_ = recordInvalidUtf8_;
    }

    auto take = [&](const ColumnRef& ref, const QString& key, int& col) -> Status {
        auto c = resolve(ref, key);
        if (!c)
            return c.error();
        col = *c;
        maxCol_ = std::max(maxCol_, col);
        return {};
    };
    maxCol_ = 0;
    layout_ = CsvColumnLayout{};
    if (Status s = take(mapping_.timestamp.column, QStringLiteral("timestamp.column"), timestampCol_); !s)
        return s;
    deviceCol_ = stateCol_ = errorCol_ = labelCol_ = -1;
    if (mapping_.device.source == ImportMapping::DeviceSource::Column) {
        if (Status s = take(mapping_.device.column, QStringLiteral("device.column"), deviceCol_); !s)
            return s;
    }
    if (mapping_.state.fromColumn) {
        if (Status s = take(mapping_.state.column, QStringLiteral("state.column"), stateCol_); !s)
            return s;
    }
    if (mapping_.errorCode) {
        if (Status s = take(*mapping_.errorCode, QStringLiteral("error_code.column"), errorCol_); !s)
            return s;
    }
    if (mapping_.labels.kind != ImportMapping::LabelKind::None) {
        const QString key = mapping_.labels.kind == ImportMapping::LabelKind::AnomalyFlag
                                ? QStringLiteral("labels.anomaly_column")
                                : QStringLiteral("labels.fault_column");
        if (Status s = take(mapping_.labels.column, key, labelCol_); !s)
            return s;
    }
    channelCols_.assign(mapping_.channels.size(), 0);
    for (std::size_t i = 0; i < mapping_.channels.size(); ++i) {
        if (Status s = take(mapping_.channels[i].column, QStringLiteral("channels[%1].column").arg(i),
                            channelCols_[i]);
            !s)
            return s;
    }
    layout_.columnCount = headerColumns_ > 0 ? headerColumns_ : maxCol_ + 1;
    layout_.timestamp = timestampCol_ + 1;
    layout_.deviceId = deviceCol_ + 1;
    layout_.state = stateCol_ + 1;
    layout_.errorCode = errorCol_ + 1;
    layout_.faultTag = labelCol_ + 1;
    for (int c : channelCols_) layout_.channels.push_back(c + 1);

    if (mapping_.device.source == ImportMapping::DeviceSource::FileName) {
        fileDevice_ = deviceFromFileName(mapping_.device, path);
        if (fileDevice_.isEmpty())
            return Error::badInput(
                QStringLiteral("mapping device.regex '%1' does not match the file name '%2'")
                    .arg(mapping_.device.regex, QFileInfo(path).fileName()),
                path);
    } else if (mapping_.device.source == ImportMapping::DeviceSource::Constant) {
        fileDevice_ = mapping_.device.constant;
    }
    if (std::any_of(fileDevice_.cbegin(), fileDevice_.cend(),
                    [](QChar c) { return isControlCharacter(c.unicode()); }))
        return Error::badInput(
            QStringLiteral("device id '%1' contains a control character").arg(printableText(fileDevice_)),
            path);
    rowValues_.assign(mapping_.channels.size(), kMissing);
    rejectedTag_.clear();
    return {};
}

QStringList MappedCsvReader::unmappedColumns() const {
    QStringList out;
    for (int i = 0; i < header_.size(); ++i) {
        const bool used = i == timestampCol_ || i == deviceCol_ || i == stateCol_ || i == errorCol_ ||
                          i == labelCol_ ||
                          std::find(channelCols_.begin(), channelCols_.end(), i) != channelCols_.end();
        if (!used)
            out << header_[i];
    }
    return out;
}

bool MappedCsvReader::parseNumber(QStringView cell, double& out) const {
    const QStringView text = cell.trimmed();
    if (mapping_.source.missingValues.contains(text)) {
        out = kMissing;
        return true;
    }
    return parseDecimal(text, mapping_.source.decimal, out);
}

bool MappedCsvReader::parseRow(const QString& text, qint64 line, TelemetryBatch& batch, RowIssue& issue) {
    issue = RowIssue{line, 0, {}, {}, {}};
    int badColumn = 0;
    if (!splitter_.split(text, fields_, badColumn)) {
        issue.column = badColumn;
        issue.check = QStringLiteral("quote");
        issue.message = QStringLiteral("malformed quoted field");
        return false;
    }
    int n = static_cast<int>(fields_.size());
    if (headerColumns_ > 0 && n == headerColumns_ + 1 && fields_.back().isEmpty())
        --n;  // trailing delimiter
    if ((headerColumns_ > 0 && n != headerColumns_) || n <= maxCol_) {
        issue.check = QStringLiteral("column_count");
        issue.message =
            headerColumns_ > 0
                ? QStringLiteral("expected %1 columns like the header, found %2").arg(headerColumns_).arg(n)
                : QStringLiteral("expected at least %1 columns, found %2").arg(maxCol_ + 1).arg(n);
        return false;
    }
    auto fail = [&](int col, const char* check, const QString& message) {
        issue.column = col + 1;
        issue.check = QString::fromLatin1(check);
        issue.message = message;
        return false;
    };
    auto cell = [&](int col) -> const QString& { return fields_[col]; };

    QString device = fileDevice_;
    if (deviceCol_ >= 0) {
        device = cell(deviceCol_).trimmed();
        if (device.isEmpty())
            return fail(deviceCol_, "device_id", QStringLiteral("empty device id"));
        // Replacement characters from invalid bytes would merge different devices into one.
        if (recordInvalidUtf8_ && device.contains(QChar::ReplacementCharacter))
            return fail(deviceCol_, "device_id",
                        QStringLiteral("device id '%1' is not valid UTF-8 (if the file is Latin-1, set "
                                       "source.encoding to \"latin-1\")")
                            .arg(shorten(device)));
        if (std::any_of(device.cbegin(), device.cend(),
                        [](QChar c) { return isControlCharacter(c.unicode()); }))
            return fail(deviceCol_, "device_id",
                        QStringLiteral("device id '%1' contains a control character").arg(shorten(device)));
        if (device == lastDevice_)
            device = lastDevice_;  // share one string between consecutive rows
        else
            lastDevice_ = device;
    }
    issue.deviceId = device;

    QString why;
    TimestampParser::Rejection rejection = TimestampParser::Rejection::Malformed;
    const auto ts = timestamps_.parse(cell(timestampCol_), &why, &rejection);
    if (!ts && rejection == TimestampParser::Rejection::FinerThanMillisecond)
        return fail(timestampCol_, "timestamp",
                    QStringLiteral("%1: '%2' %3")
                        .arg(header_.value(timestampCol_), shorten(cell(timestampCol_)), why));
    if (!ts)
        return fail(timestampCol_, "timestamp",
                    QStringLiteral("%1: cannot read timestamp '%2': %3")
                        .arg(header_.value(timestampCol_), shorten(cell(timestampCol_)), why));

    OpState state = mapping_.state.constant;
    if (stateCol_ >= 0) {
        const QString value = cell(stateCol_).trimmed();
        const auto it = mapping_.state.map.find(value);
        if (it != mapping_.state.map.end())
            state = it->second;
        else if (auto parsed = mapping_.state.map.empty() ? parseOpState(value.toUpper()) : std::nullopt)
            state = *parsed;
        else if (mapping_.state.fallback)
            state = *mapping_.state.fallback;
        else
            return fail(stateCol_, "state",
                        QStringLiteral(
                            "%1: state '%2' is not in the mapping's state.map and there is no state.default")
                            .arg(header_.value(stateCol_), shorten(value)));
    }

    for (std::size_t i = 0; i < channelCols_.size(); ++i) {
        double v = 0;
        const int col = channelCols_[i];
        if (!parseNumber(cell(col), v))
            return fail(col, "number",
                        QStringLiteral("%1: '%2' is not a number%3")
                            .arg(header_.value(col), shorten(cell(col)),
                                 mapping_.source.decimal == QLatin1Char(',')
                                     ? QStringLiteral(" (decimal comma expected)")
                                     : QString()));
        const auto& ch = mapping_.channels[i];
        const double value = isMissing(v) ? kMissing : v * ch.scale + ch.offset;
        if (std::isinf(value))  // never stored as Inf
            return fail(col, "number",
                        QStringLiteral("%1: '%2' is out of range after scale %3 and offset %4")
                            .arg(header_.value(col), shorten(cell(col)))
                            .arg(ch.scale)
                            .arg(ch.offset));
        rowValues_[i] = value;
    }

    int error = 0;
    if (errorCol_ >= 0) {
        const QString value = cell(errorCol_).trimmed();
        if (!value.isEmpty()) {
            bool ok = false;
            error = value.toInt(&ok);
            bool wide = false;
            if (!ok && value.toLongLong(&wide) > std::numeric_limits<int>::max() && wide)
                return fail(errorCol_, "error_code",
                            QStringLiteral("%1: '%2' is too large for an error code (at most %3)")
                                .arg(header_.value(errorCol_), shorten(value))
                                .arg(std::numeric_limits<int>::max()));
            if (!ok || error < 0)
                return fail(errorCol_, "error_code",
                            QStringLiteral("%1: '%2' is not an error code (an integer >= 0)")
                                .arg(header_.value(errorCol_), shorten(value)));
        }
    }

    QString tag;
    if (labelCol_ >= 0) {
        const QString value = cell(labelCol_).trimmed();
        if (mapping_.labels.kind == ImportMapping::LabelKind::AnomalyFlag) {
            const QString v = value.toLower();
            double num = 0;
            bool numeric = false;
            if (!v.isEmpty()) {
                bool ok = false;
                num = v.toDouble(&ok);
                numeric = ok;
            }
            if (v.isEmpty() || v == QLatin1String("false") || v == QLatin1String("no") ||
                (numeric && num == 0.0)) {
                // normal
            } else if (v == QLatin1String("true") || v == QLatin1String("yes") || (numeric && num == 1.0)) {
                tag = mapping_.labels.tag;
            } else {
                return fail(labelCol_, "label",
                            QStringLiteral("%1: '%2' is not a 0/1 anomaly label")
                                .arg(header_.value(labelCol_), shorten(value)));
            }
        } else {
            bool normal = false;
            for (const QString& nv : mapping_.labels.normalValues)
                normal = normal || value.compare(nv, Qt::CaseInsensitive) == 0;
            if (!normal)
                tag = value;
        }
    }
    batch.append(device, *ts, state, rowValues_.data(), error, tag, line);
    return true;
}

Result<bool> MappedCsvReader::readBatch(TelemetryBatch& batch, std::vector<RowIssue>& issues, int maxRows) {
    batch.clear();
    batch.channelCount = static_cast<int>(mapping_.channels.size());
    QString text;
    for (int consumed = 0; consumed < maxRows; ++consumed) {
        qint64 line = 0;
        bool tooLong = false;
        if (pendingRecord_) {
            pendingRecord_ = false;
            text = pendingText_;
            line = pendingLine_;
            recordInvalidUtf8_ = pendingInvalidUtf8_;
        } else {
            auto got = nextRecord(text, line, tooLong);
            if (!got)
                return got.error();
            if (!*got)
                return false;
        }
        if (tooLong) {
            issues.push_back(RowIssue{line,
                                      0,
                                      QStringLiteral("line_too_long"),
                                      QStringLiteral("line longer than %1 bytes").arg(kMaxRecordBytes),
                                      {}});
            continue;
        }
        RowIssue issue;
        if (!parseRow(text, line, batch, issue))
            issues.push_back(std::move(issue));
    }
    return !file_.atEnd() || pendingRecord_;
}

}  // namespace itap
