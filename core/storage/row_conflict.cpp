#include "storage/row_conflict.h"

#include "common/printable_text.h"
#include "common/time_util.h"

#include <nlohmann/json.hpp>

namespace itap {
namespace {

QString shown(const QString& value) {
    return value.isEmpty() ? QStringLiteral("(missing)") : printableText(value);
}

}  // namespace

QString RowConflict::describe(const QString& file) const {
    QString where = file;
    if (sourceLine > 0)
        where +=
            (where.isEmpty() ? QStringLiteral("line ") : QStringLiteral(":")) + QString::number(sourceLine);
    if (!where.isEmpty())
        where += QStringLiteral(": ");
    return where +
           QStringLiteral("device \"%1\" at %2: %3 stored %4, new %5")
               .arg(printableText(device), formatUtcTimestamp(tsMs), column, shown(stored), shown(incoming));
}

nlohmann::json RowConflict::toJson(const QString& file) const {
    return {{"file", file.toStdString()},     {"line", sourceLine},
            {"device", device.toStdString()}, {"timestamp", formatUtcTimestamp(tsMs).toStdString()},
            {"column", column.toStdString()}, {"stored", stored.toStdString()},
            {"new", incoming.toStdString()}};
}

void ConflictTally::add(const ConflictTally& other) {
    count += other.count;
    replaced += other.replaced;
    for (const auto& e : other.examples) {
        if (examples.size() >= kMaxExamples)
            break;
        examples.push_back(e);
    }
}

nlohmann::json ConflictTally::examplesJson(const QString& file) const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : examples) out.push_back(e.toJson(file));
    return out;
}

}  // namespace itap
