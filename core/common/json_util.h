#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string_view>

namespace itap {

/// Maximum nesting depth accepted in any JSON config (hostile files must not blow the stack).
inline constexpr int kMaxJsonDepth = 64;

/// Parses JSON text; a syntax error names `sourceName`, the line and the column.
[[nodiscard]] Result<nlohmann::json> parseJson(const QByteArray& text, const QString& sourceName);

/// Reads and parses a JSON file (or a ":/" Qt resource path).
[[nodiscard]] Result<nlohmann::json> readJsonFile(const QString& path);

/// Serialises with 2-space indentation and a trailing newline, deterministic key order.
[[nodiscard]] QByteArray toJsonBytes(const nlohmann::json& j);

/// Writes an output file as OutputFile does: a regular file atomically (temporary file + rename, so readers
/// never see a half-written file), a device, FIFO or hard-linked file in place.
[[nodiscard]] Status writeFileAtomic(const QString& path, const QByteArray& bytes);

/// Small typed accessors that produce "<source>: <context>.<key>: expected a number" style errors.
class JsonReader {
public:
    JsonReader(const nlohmann::json& obj, QString source, QString context)
        : obj_(obj), source_(std::move(source)), context_(std::move(context)) {}

    [[nodiscard]] bool has(const char* key) const { return obj_.is_object() && obj_.contains(key); }
    [[nodiscard]] Result<double> number(const char* key, std::optional<double> fallback = std::nullopt) const;
    [[nodiscard]] Result<qint64> integer(const char* key, std::optional<qint64> fallback = std::nullopt) const;
    [[nodiscard]] Result<bool> boolean(const char* key, std::optional<bool> fallback = std::nullopt) const;
    [[nodiscard]] Result<QString> string(const char* key, std::optional<QString> fallback = std::nullopt) const;
    [[nodiscard]] Error error(const char* key, const QString& what) const;
    /// An error naming the first key of the object that is not in `known` (a typo in an optional key would
    /// otherwise silently fall back to the default).
    [[nodiscard]] Status rejectUnknownKeys(std::initializer_list<std::string_view> known) const;
    [[nodiscard]] const QString& source() const { return source_; }
    [[nodiscard]] const QString& context() const { return context_; }

private:
    const nlohmann::json& obj_;
    QString source_;
    QString context_;
};

}  // namespace itap
