#include "common/json_util.h"

#include "common/output_file.h"
#include "common/printable_text.h"

#include <QFile>
#include <QStringList>

#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace itap {
namespace {

// Converts a byte offset into 1-based line and column.
void lineColumn(const QByteArray& text, std::size_t offset, qint64& line, qint64& column) {
    line = 1;
    column = 1;
    const std::size_t end = std::min<std::size_t>(offset, static_cast<std::size_t>(text.size()));
    for (std::size_t i = 0; i < end; ++i) {
        if (text[static_cast<qsizetype>(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
}

// Rejects documents nested deeper than kMaxJsonDepth before nlohmann recurses into them.
bool nestingTooDeep(const QByteArray& text, std::size_t& where) {
    int depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) {
                where = static_cast<std::size_t>(i);
                return true;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

// Thrown from the parser callback on the second occurrence of a key in one object.
struct DuplicateKey {
    std::string key;
    std::size_t occurrence;  // how many times this text was a key anywhere in the document so far
};

// Where the `occurrence`-th `"key"` followed by a colon starts (for the message's line and column); npos when
// the key is written with escapes and cannot be found verbatim.
qsizetype keyOffset(const QByteArray& text, const std::string& key, std::size_t occurrence) {
    const QByteArray quoted = '"' + QByteArray::fromStdString(key) + '"';
    std::size_t seen = 0;
    for (qsizetype at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + 1)) {
        qsizetype after = at + quoted.size();
        while (after < text.size() &&
               (text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r'))
            ++after;
        if (after < text.size() && text[after] == ':' && ++seen == occurrence)
            return at;
    }
    return -1;
}

}  // namespace

Result<nlohmann::json> parseJson(const QByteArray& text, const QString& sourceName) {
    std::size_t deep = 0;
    if (nestingTooDeep(text, deep)) {
        qint64 line, col;
        lineColumn(text, deep, line, col);
        return Error::badInput(QStringLiteral("JSON nested deeper than %1 levels").arg(kMaxJsonDepth), sourceName,
                               line, col);
    }
    // A key given twice in one object would silently take its last value (a config edited by hand, a value
    // the operator thinks is in force): refuse it, naming the key.
    std::vector<std::set<std::string>> keysOfOpenObjects;
    std::map<std::string, std::size_t> keyCounts;
    const nlohmann::json::parser_callback_t rejectDuplicates = [&](int, nlohmann::json::parse_event_t event,
                                                                   nlohmann::json& parsed) {
        switch (event) {
            case nlohmann::json::parse_event_t::object_start:
                keysOfOpenObjects.emplace_back();
                break;
            case nlohmann::json::parse_event_t::object_end:
                if (!keysOfOpenObjects.empty())
                    keysOfOpenObjects.pop_back();
                break;
            case nlohmann::json::parse_event_t::key: {
                const auto& key = parsed.get_ref<const std::string&>();
                const std::size_t occurrence = ++keyCounts[key];
                if (!keysOfOpenObjects.empty() && !keysOfOpenObjects.back().insert(key).second)
                    throw DuplicateKey{key, occurrence};
                break;
            }
            default:
                break;
        }
        return true;
    };
    try {
        return nlohmann::json::parse(text.constBegin(), text.constEnd(), rejectDuplicates);
    } catch (const DuplicateKey& d) {
        qint64 line = 0, col = 0;
        if (const qsizetype at = keyOffset(text, d.key, d.occurrence); at >= 0)
            lineColumn(text, static_cast<std::size_t>(at), line, col);
        return Error::badInput(
            QStringLiteral("duplicate key \"%1\" in one object (a JSON key may appear once)")
                .arg(printableText(QString::fromStdString(d.key))),
            sourceName, line, col);
    } catch (const nlohmann::json::parse_error& e) {
        qint64 line, col;
        lineColumn(text, e.byte > 0 ? e.byte - 1 : 0, line, col);
        QString what = QString::fromUtf8(e.what());
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line 1, column 2: ".
        const int colon = what.indexOf(QStringLiteral(": "), what.indexOf(QStringLiteral("parse error")));
        if (colon >= 0) what = what.mid(colon + 2);
        return Error::badInput(QStringLiteral("invalid JSON: ") + what, sourceName, line, col);
    } catch (const nlohmann::json::exception& e) {
        // Not a parse_error: out_of_range.406 for a number too large for a double ("1e999"). It used to escape
        // and terminate the application. nlohmann names the token but not where it is: find its first use.
        QString what = QString::fromUtf8(e.what());
        if (const qsizetype bracket = what.indexOf(QStringLiteral("] ")); bracket >= 0) what = what.mid(bracket + 2);
        qint64 line = 0, col = 0;
        const qsizetype first = what.indexOf(QLatin1Char('\''));
        const qsizetype last = what.lastIndexOf(QLatin1Char('\''));
        if (first >= 0 && last > first + 1) {
            const qsizetype at = text.indexOf(what.mid(first + 1, last - first - 1).toUtf8());
            if (at >= 0) lineColumn(text, static_cast<std::size_t>(at), line, col);
        }
        return Error::badInput(QStringLiteral("invalid JSON: ") + what, sourceName, line, col);
    }
}

Result<nlohmann::json> readJsonFile(const QString& path) {
    QFile f(path);
    if (!f.exists()) return Error::badInput(QStringLiteral("file not found"), path);
    if (!f.open(QIODevice::ReadOnly)) return Error::badInput(QStringLiteral("cannot read: ") + f.errorString(), path);
    constexpr qint64 kMaxConfigBytes = 64LL << 20;
    if (f.size() > kMaxConfigBytes)
        return Error::badInput(QStringLiteral("config file larger than 64 MiB"), path);
    return parseJson(f.readAll(), path);
}

QByteArray toJsonBytes(const nlohmann::json& j) {
    std::string s = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    s.push_back('\n');
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

Status writeFileAtomic(const QString& path, const QByteArray& bytes) {
    return writeOutputFile(path, bytes);
}

Error JsonReader::error(const char* key, const QString& what) const {
    QString where = context_.isEmpty() ? QString::fromUtf8(key) : context_ + QLatin1Char('.') + QString::fromUtf8(key);
    return Error::badInput(where + QStringLiteral(": ") + what, source_);
}

Status JsonReader::rejectUnknownKeys(std::initializer_list<std::string_view> known) const {
    if (!obj_.is_object())
        return {};
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
        bool ok = false;
        for (std::string_view k : known) ok = ok || it.key() == k;
        if (!ok) {
            QStringList names;
            for (std::string_view k : known)
                names << QString::fromUtf8(k.data(), static_cast<qsizetype>(k.size()));
            return error(it.key().c_str(), QStringLiteral("unknown field (expected one of: %1)")
                                               .arg(names.join(QStringLiteral(", "))));
        }
    }
    return {};
}

Result<double> JsonReader::number(const char* key, std::optional<double> fallback) const {
    if (!has(key)) {
        if (fallback) return *fallback;
        return error(key, QStringLiteral("missing (expected a number)"));
    }
    const auto& v = obj_.at(key);
    if (!v.is_number()) return error(key, QStringLiteral("expected a number"));
    const double d = v.get<double>();
    if (!std::isfinite(d)) return error(key, QStringLiteral("expected a finite number"));
    return d;
}

Result<qint64> JsonReader::integer(const char* key, std::optional<qint64> fallback) const {
    if (!has(key)) {
        if (fallback) return *fallback;
        return error(key, QStringLiteral("missing (expected an integer)"));
    }
    const auto& v = obj_.at(key);
    if (!v.is_number_integer()) return error(key, QStringLiteral("expected an integer"));
    // An unsigned beyond int64 would wrap to a negative number.
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<qint64>::max()))
        return error(key, QStringLiteral("%1 is too large").arg(v.get<std::uint64_t>()));
    return static_cast<qint64>(v.get<std::int64_t>());
}

Result<bool> JsonReader::boolean(const char* key, std::optional<bool> fallback) const {
    if (!has(key)) {
        if (fallback) return *fallback;
        return error(key, QStringLiteral("missing (expected true or false)"));
    }
    const auto& v = obj_.at(key);
    if (!v.is_boolean()) return error(key, QStringLiteral("expected true or false"));
    return v.get<bool>();
}

Result<QString> JsonReader::string(const char* key, std::optional<QString> fallback) const {
    if (!has(key)) {
        if (fallback) return *fallback;
        return error(key, QStringLiteral("missing (expected a string)"));
    }
    const auto& v = obj_.at(key);
    if (!v.is_string()) return error(key, QStringLiteral("expected a string"));
    return QString::fromStdString(v.get<std::string>());
}

}  // namespace itap
