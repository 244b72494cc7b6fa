#pragma once

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace itap {

/// What Store::insertBatch() does with a row whose (device_id, ts) is already stored with other values.
enum class ConflictPolicy {
    Keep,     ///< keep the stored row; the new one is counted as a conflict
    Replace,  ///< overwrite the stored row with the new values
    Fail,     ///< store nothing of the batch: Error::badInput naming the first conflict
};

/// A new row whose (device_id, ts) is stored with other values.
struct RowConflict {
    QString device;
    qint64 tsMs = 0;
    qint64 sourceLine = 0;  ///< the new row's line in its file; 0 when unknown
    QString column;         ///< the first column that differs
    QString stored;         ///< its stored value as text; empty for a missing value
    QString incoming;       ///< its new value as text

    /// "file:line: device "D" at 2026-…Z: column temp_c stored 61.7, new 62" (`file` may be empty).
    [[nodiscard]] QString describe(const QString& file) const;
    /// {"file", "line", "device", "timestamp", "column", "stored", "new"}.
    [[nodiscard]] nlohmann::json toJson(const QString& file) const;
};

/// The conflicts met while storing one file: how many, how many were replaced, the first few.
struct ConflictTally {
    static constexpr std::size_t kMaxExamples = 5;

    qint64 count = 0;
    qint64 replaced = 0;
    std::vector<RowConflict> examples;  ///< at most kMaxExamples, in the order they were met

    /// Adds `other`'s counts and examples (up to kMaxExamples in all).
    void add(const ConflictTally& other);
    /// The examples as a JSON array of RowConflict::toJson(file).
    [[nodiscard]] nlohmann::json examplesJson(const QString& file) const;
};

}  // namespace itap
