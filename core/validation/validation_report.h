#pragma once

#include "validation/row_issue.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace itap {

/// Everything the validator found in one telemetry file: the validation_report.json contract (schema_version
/// 1).
///
/// Rows are counted once: rowsRead() = rowsAccepted() + rowsRejected(). Every rejected row is counted under
/// exactly one error check; warnings ("missing", "gap") keep their row. Examples are the first `maxExamples`
/// of each check in file order (line, then column), whatever order they were recorded in, so the output is
/// deterministic.
class ValidationReport {
public:
    struct Example {
        qint64 line = 0;
        qint64 column = 0;
        QString deviceId;
        QString message;
    };
    struct CheckStats {
        qint64 count = 0;
        bool error = true;  ///< error: the row is rejected; warning: the row is kept
        std::vector<Example> examples;
    };
    struct DeviceStats {
        qint64 rows = 0;  ///< accepted rows
        qint64 firstMs = 0;
        qint64 lastMs = 0;
        qint64 gaps = 0;
    };
    /// A hole in one device's series: `toMs - fromMs` > gapFactor × the device's typical interval.
    struct Gap {
        QString deviceId;
        qint64 line = 0;    ///< line of the first row after the gap
        qint64 column = 0;  ///< its timestamp column
        qint64 fromMs = 0;
        qint64 toMs = 0;
        qint64 typicalMs = 0;
    };

    /// Every check the reader and the RowValidator can report, in the order the summary lists them.
    [[nodiscard]] static const std::vector<std::pair<QString, bool>>& knownChecks();

    explicit ValidationReport(QString file = {}, int maxExamples = 20);

    void setHasLabels(bool hasLabels) { hasLabels_ = hasLabels; }
    /// The file name the report shows, e.g. "<stdin>" for a stream that was validated through a copy.
    void setFileName(QString file) { file_ = std::move(file); }
    /// A row the reader could not parse (from TelemetryCsvReader::readBatch): counted as read and rejected.
    void addIssue(const RowIssue& issue);
    /// Rows the reader parsed and handed to the RowValidator.
    void addParsedRows(qint64 rows) { parsedRows_ += rows; }
    /// A parsed row that a semantic check rejected. The message may be left empty when
    /// wantsExample() said no: it would not be stored.
    void addRejected(const RowIssue& issue);
    /// A warning that keeps its row (same message rule as addRejected()).
    void addWarning(const RowIssue& issue);
    /// Occurrences of a check beyond those passed one by one (no examples).
    void countWarnings(const QString& check, qint64 count);
    /// True when an occurrence at (line, column) would become one of the check's examples.
    [[nodiscard]] bool wantsExample(const QString& check, qint64 line, qint64 column) const;
    /// Empty cells of one sensor column among accepted rows.
    void addMissingCells(const QString& column, qint64 cells);
    /// Accepted rows of one device, merged into its running totals.
    void mergeDevice(const QString& deviceId, qint64 rows, qint64 firstMs, qint64 lastMs);
    /// Records a gap, counted as a "gap" warning.
    void addGap(const Gap& gap);
    /// Marks the whole file as validated; a report that was never finished says "complete": false.
    void finish() { complete_ = true; }

    [[nodiscard]] const QString& fileName() const { return file_; }
    [[nodiscard]] bool hasLabels() const { return hasLabels_; }
    [[nodiscard]] bool isComplete() const { return complete_; }
    [[nodiscard]] int maxExamples() const { return maxExamples_; }
    [[nodiscard]] qint64 rowsRead() const { return malformedRows_ + parsedRows_; }
    [[nodiscard]] qint64 rowsAccepted() const { return parsedRows_ - rejectedParsed_; }
    [[nodiscard]] qint64 rowsRejected() const { return malformedRows_ + rejectedParsed_; }
    /// Rows rejected by the reader (could not be parsed) as opposed to by a semantic check.
    [[nodiscard]] qint64 malformedRows() const { return malformedRows_; }
    /// Count of one check, 0 when it never fired.
    [[nodiscard]] qint64 checkCount(const QString& check) const;
    [[nodiscard]] const std::map<QString, CheckStats>& checks() const { return checks_; }
    /// All kept examples of all checks as issues, in file order (line, column, check).
    [[nodiscard]] std::vector<RowIssue> issues() const;
    [[nodiscard]] const std::map<QString, qint64>& missingCells() const { return missingCells_; }
    [[nodiscard]] const std::map<QString, DeviceStats>& devices() const { return devices_; }
    [[nodiscard]] std::optional<qint64> firstTimestampMs() const;
    [[nodiscard]] std::optional<qint64> lastTimestampMs() const;
    /// The first maxExamples gaps in file order; gapCount() has them all.
    [[nodiscard]] const std::vector<Gap>& gaps() const { return gaps_; }
    [[nodiscard]] qint64 gapCount() const { return checkCount(QStringLiteral("gap")); }

    /// The validation_report.json document; keys and arrays in a stable order.
    [[nodiscard]] nlohmann::json toJson() const;
    /// A few lines for the console: totals, counts per check, then the first offending lines as
    /// "file:line:column: message".
    [[nodiscard]] QString summary(int maxLines = 10) const;

private:
    CheckStats& stats(const QString& check);
    void record(const RowIssue& issue);

    QString file_;
    int maxExamples_ = 20;
    bool hasLabels_ = false;
    bool complete_ = false;
    qint64 parsedRows_ = 0;
    qint64 rejectedParsed_ = 0;
    qint64 malformedRows_ = 0;
    std::map<QString, CheckStats> checks_;
    std::map<QString, qint64> missingCells_;
    std::map<QString, DeviceStats> devices_;
    std::vector<Gap> gaps_;
};

/// "3h 5m", "12m 30s", "45s", "250ms": durations for operator messages.
[[nodiscard]] QString formatDuration(qint64 ms);

}  // namespace itap
