#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace itap {

/// A data or environment error, reported to the operator as one line.
/// `file`, `line` and `column` are filled whenever the error comes from an input file
/// (1-based; 0 means "not applicable").
struct Error {
    enum class Kind {
        BadInput,   ///< the user's data or arguments are wrong: CLI exit code 2
        Failure,    ///< the environment failed (I/O, database, cancelled): CLI exit code 1
        Cancelled,  ///< the operator stopped the work
        Conflict,   ///< the input contradicts stored data (same key, other values): CLI exit code 3
    };

    Kind kind = Kind::Failure;
    QString message;
    QString file;
    qint64 line = 0;
    qint64 column = 0;

    [[nodiscard]] static Error badInput(QString msg, QString file = {}, qint64 line = 0, qint64 column = 0) {
        return Error{Kind::BadInput, std::move(msg), std::move(file), line, column};
    }
    [[nodiscard]] static Error failure(QString msg, QString file = {}) {
        return Error{Kind::Failure, std::move(msg), std::move(file), 0, 0};
    }
    [[nodiscard]] static Error conflict(QString msg, QString file = {}, qint64 line = 0, qint64 column = 0) {
        return Error{Kind::Conflict, std::move(msg), std::move(file), line, column};
    }
    [[nodiscard]] static Error cancelled() { return Error{Kind::Cancelled, QStringLiteral("cancelled"), {}, 0, 0}; }

    /// "file:line:column: message" (parts that are unknown are left out).
    [[nodiscard]] QString toString() const {
        QString where = file;
        if (!file.isEmpty() && line > 0) {
            where += QLatin1Char(':') + QString::number(line);
            if (column > 0) where += QLatin1Char(':') + QString::number(column);
        }
        return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
    }
    [[nodiscard]] int exitCode() const { return kind == Kind::BadInput ? 2 : kind == Kind::Conflict ? 3 : 1; }
};

/// Either a value or an Error. The one error mechanism of core/: exceptions are kept for broken invariants.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T& value() & { return std::get<0>(v_); }
    [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
    [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    const T* operator->() const { return &std::get<0>(v_); }
    T& operator*() & { return std::get<0>(v_); }
    const T& operator*() const& { return std::get<0>(v_); }

    [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// Result of an operation with no value.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const { return *e_; }

private:
    std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace itap
