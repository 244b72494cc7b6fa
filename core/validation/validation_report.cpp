#include "validation/validation_report.h"

#include "common/time_util.h"

#include <QStringList>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

namespace itap {
namespace {

bool before(qint64 line, qint64 column, const ValidationReport::Example& e) {
    return std::tie(line, column) < std::tie(e.line, e.column);
}

std::string utf8(const QString& s) {
    return s.toStdString();
}

QString location(const QString& file, qint64 line, qint64 column) {
    QString where = file + QLatin1Char(':') + QString::number(line);
    if (column > 0)
        where += QLatin1Char(':') + QString::number(column);
    return where;
}

}  // namespace

QString formatDuration(qint64 ms) {
    if (ms < 1000)
        return QStringLiteral("%1ms").arg(ms);
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg(s / 60 % 60);
    return QStringLiteral("%1d %2h").arg(s / 86400).arg(s / 3600 % 24);
}

const std::vector<std::pair<QString, bool>>& ValidationReport::knownChecks() {
    static const std::vector<std::pair<QString, bool>> kChecks = {
        {QStringLiteral("column_count"), true}, {QStringLiteral("quote"), true},
        {QStringLiteral("timestamp"), true},    {QStringLiteral("device_id"), true},
        {QStringLiteral("state"), true},        {QStringLiteral("number"), true},
        {QStringLiteral("error_code"), true},   {QStringLiteral("line_too_long"), true},
        {QStringLiteral("range"), true},        {QStringLiteral("duplicate"), true},
        {QStringLiteral("out_of_order"), true}, {QStringLiteral("missing"), false},
        {QStringLiteral("gap"), false},
    };
    return kChecks;
}

ValidationReport::ValidationReport(QString file, int maxExamples)
    : file_(std::move(file)), maxExamples_(std::max(0, maxExamples)) {
    for (const auto& [name, error] : knownChecks()) checks_[name].error = error;
}

ValidationReport::CheckStats& ValidationReport::stats(const QString& check) {
    // A check this report does not know (a newer reader) is an error: safer to count it as a rejection.
    return checks_.try_emplace(check).first->second;
}

bool ValidationReport::wantsExample(const QString& check, qint64 line, qint64 column) const {
    if (maxExamples_ == 0)
        return false;
    const auto it = checks_.find(check);
    if (it == checks_.end())
        return true;
    const auto& ex = it->second.examples;
    return static_cast<int>(ex.size()) < maxExamples_ || before(line, column, ex.back());
}

void ValidationReport::record(const RowIssue& issue) {
    CheckStats& s = stats(issue.check);
    ++s.count;
    if (maxExamples_ == 0)
        return;
    auto& ex = s.examples;
    if (static_cast<int>(ex.size()) >= maxExamples_ && !before(issue.line, issue.column, ex.back()))
        return;
    const auto at = std::upper_bound(ex.begin(), ex.end(), issue, [](const RowIssue& i, const Example& e) {
        return before(i.line, i.column, e);
    });
    ex.insert(at, Example{issue.line, issue.column, issue.deviceId, issue.message});
    if (static_cast<int>(ex.size()) > maxExamples_)
        ex.pop_back();
}

void ValidationReport::addIssue(const RowIssue& issue) {
    if (stats(issue.check).error)
        ++malformedRows_;
    record(issue);
}

void ValidationReport::addRejected(const RowIssue& issue) {
    ++rejectedParsed_;
    record(issue);
}

void ValidationReport::addWarning(const RowIssue& issue) {
    record(issue);
}

void ValidationReport::countWarnings(const QString& check, qint64 count) {
    stats(check).count += count;
}

void ValidationReport::addMissingCells(const QString& column, qint64 cells) {
    missingCells_[column] += cells;
}

void ValidationReport::mergeDevice(const QString& deviceId, qint64 rows, qint64 firstMs, qint64 lastMs) {
    if (rows <= 0)
        return;
    DeviceStats& d = devices_[deviceId];
    if (d.rows == 0) {
        d.firstMs = firstMs;
        d.lastMs = lastMs;
    } else {
        d.firstMs = std::min(d.firstMs, firstMs);
        d.lastMs = std::max(d.lastMs, lastMs);
    }
    d.rows += rows;
}

void ValidationReport::addGap(const Gap& gap) {
    ++devices_[gap.deviceId].gaps;
    record(RowIssue{gap.line, gap.column, QStringLiteral("gap"),
                    QStringLiteral("%1: gap of %2 after %3 (typical interval %4)")
                        .arg(gap.deviceId, formatDuration(gap.toMs - gap.fromMs),
                             formatUtcTimestamp(gap.fromMs), formatDuration(gap.typicalMs)),
                    gap.deviceId});
    if (maxExamples_ == 0)
        return;
    const auto at = std::upper_bound(gaps_.begin(), gaps_.end(), gap, [](const Gap& a, const Gap& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    gaps_.insert(at, gap);
    if (static_cast<int>(gaps_.size()) > maxExamples_)
        gaps_.pop_back();
}

qint64 ValidationReport::checkCount(const QString& check) const {
    const auto it = checks_.find(check);
    return it == checks_.end() ? 0 : it->second.count;
}

std::vector<RowIssue> ValidationReport::issues() const {
    std::vector<RowIssue> out;
    for (const auto& [name, s] : checks_)
        for (const auto& e : s.examples)
            out.push_back(RowIssue{e.line, e.column, name, e.message, e.deviceId});
    std::sort(out.begin(), out.end(), [](const RowIssue& a, const RowIssue& b) {
        return std::tie(a.line, a.column, a.check) < std::tie(b.line, b.column, b.check);
    });
    return out;
}

std::optional<qint64> ValidationReport::firstTimestampMs() const {
    std::optional<qint64> first;
    for (const auto& [id, d] : devices_)
        if (d.rows > 0 && (!first || d.firstMs < *first))
            first = d.firstMs;
    return first;
}

std::optional<qint64> ValidationReport::lastTimestampMs() const {
    std::optional<qint64> last;
    for (const auto& [id, d] : devices_)
        if (d.rows > 0 && (!last || d.lastMs > *last))
            last = d.lastMs;
    return last;
}

nlohmann::json ValidationReport::toJson() const {
    using nlohmann::json;
    json checks = json::object();
    for (const auto& [name, s] : checks_) {
        json examples = json::array();
        for (const auto& e : s.examples)
            examples.push_back({{"line", e.line},
                                {"column", e.column},
                                {"device_id", utf8(e.deviceId)},
                                {"message", utf8(e.message)}});
        checks[utf8(name)] = {{"severity", s.error ? "error" : "warning"},
                              {"count", s.count},
                              {"examples", std::move(examples)}};
    }
    json missing = json::object();
    qint64 missingTotal = 0;
    for (const auto& [column, cells] : missingCells_) {
        missing[utf8(column)] = cells;
        missingTotal += cells;
    }
    json devices = json::array();
    for (const auto& [id, d] : devices_) {
        if (d.rows == 0)
            continue;
        devices.push_back({{"device_id", utf8(id)},
                           {"rows", d.rows},
                           {"first", utf8(formatUtcTimestamp(d.firstMs))},
                           {"last", utf8(formatUtcTimestamp(d.lastMs))},
                           {"gaps", d.gaps}});
    }
    json gapExamples = json::array();
    for (const auto& g : gaps_)
        gapExamples.push_back({{"device_id", utf8(g.deviceId)},
                               {"line", g.line},
                               {"from", utf8(formatUtcTimestamp(g.fromMs))},
                               {"to", utf8(formatUtcTimestamp(g.toMs))},
                               {"duration_ms", g.toMs - g.fromMs},
                               {"typical_interval_ms", g.typicalMs}});
    const auto first = firstTimestampMs();
    const auto last = lastTimestampMs();
    const qint64 deviceCount = static_cast<qint64>(devices.size());
    return json{
        {"schema_version", 1},
        {"file", utf8(file_)},
        {"complete", complete_},
        {"has_labels", hasLabels_},
        {"ok", rowsRejected() == 0},
        {"rows_read", rowsRead()},
        {"rows_accepted", rowsAccepted()},
        {"rows_rejected", rowsRejected()},
        {"rows_malformed", malformedRows_},
        {"checks", std::move(checks)},
        {"missing_cells", std::move(missing)},
        {"missing_cells_total", missingTotal},
        {"device_count", deviceCount},
        {"devices", std::move(devices)},
        {"first_timestamp", first ? json(utf8(formatUtcTimestamp(*first))) : json(nullptr)},
        {"last_timestamp", last ? json(utf8(formatUtcTimestamp(*last))) : json(nullptr)},
        {"gaps", {{"count", gapCount()}, {"examples", std::move(gapExamples)}}},
    };
}

QString ValidationReport::summary(int maxLines) const {
    qint64 deviceCount = 0;
    for (const auto& [id, d] : devices_) deviceCount += d.rows > 0 ? 1 : 0;
    QString out = QStringLiteral("%1: %2 rows read, %3 accepted, %4 rejected; %5 devices")
                      .arg(file_)
                      .arg(rowsRead())
                      .arg(rowsAccepted())
                      .arg(rowsRejected())
                      .arg(deviceCount);
    if (const auto first = firstTimestampMs(); first)
        out += QStringLiteral(", %1 .. %2")
                   .arg(formatUtcTimestamp(*first), formatUtcTimestamp(*lastTimestampMs()));
    if (!complete_)
        out += QStringLiteral(" (incomplete)");
    out += QLatin1Char('\n');

    QStringList errors;
    QStringList warnings;
    for (const auto& [name, isError] : knownChecks()) {
        const qint64 n = checkCount(name);
        if (n > 0)
            (isError ? errors : warnings).push_back(QStringLiteral("%1 %2").arg(name).arg(n));
    }
    for (const auto& [name, s] : checks_) {  // checks outside the known list, if a newer reader adds one
        const QString& checkName = name;  // clang 14 cannot capture a structured binding
        const bool known = std::any_of(knownChecks().begin(), knownChecks().end(),
                                       [&](const auto& k) { return k.first == checkName; });
        if (!known && s.count > 0)
            (s.error ? errors : warnings).push_back(QStringLiteral("%1 %2").arg(name).arg(s.count));
    }
    if (!errors.isEmpty())
        out += QStringLiteral("  rejected: ") + errors.join(QStringLiteral(", ")) + QLatin1Char('\n');
    if (!warnings.isEmpty()) {
        out += QStringLiteral("  warnings: ") + warnings.join(QStringLiteral(", "));
        QStringList perColumn;
        for (const auto& [column, cells] : missingCells_)
            if (cells > 0)
                perColumn.push_back(QStringLiteral("%1 %2").arg(column).arg(cells));
        if (!perColumn.isEmpty())
            out += QStringLiteral(" (missing cells: ") + perColumn.join(QStringLiteral(", ")) + ')';
        out += QLatin1Char('\n');
    }
    if (errors.isEmpty() && warnings.isEmpty())
        out += QStringLiteral("  no problems found\n");

    // Rejections first: they are what an operator must fix; warnings fill the remaining lines.
    const std::vector<RowIssue> all = issues();
    int shown = 0;
    for (const bool wantErrors : {true, false}) {
        for (const RowIssue& i : all) {
            if (shown >= maxLines)
                break;
            if (checks_.at(i.check).error != wantErrors)
                continue;
            out += QStringLiteral("  ") + location(file_, i.line, i.column) + QStringLiteral(": ") +
                   i.message + QStringLiteral(" [") + i.check + QStringLiteral("]\n");
            ++shown;
        }
    }
    return out;
}

}  // namespace itap
