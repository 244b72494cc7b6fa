#include "cli_common.h"

#include "common/json_util.h"
#include "common/output_file.h"
#include "pipeline/ingest_job.h"
#include "storage/store.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace itap::cli {

int reportError(const QString& command, const Error& error) {
    std::fprintf(stderr, "itap %s: %s\n", qPrintable(command), error.toString().toLocal8Bit().constData());
    return error.exitCode();
}

int usageError(const QString& command, const QString& message) {
    std::fprintf(stderr, "itap %s: %s\nTry 'itap %s --help'.\n", qPrintable(command), qPrintable(message),
                 qPrintable(command));
    return kExitBadInput;
}

bool parseCommand(QCommandLineParser& parser, const QString& command, const QString& description,
                  const QStringList& args, int& exitCode) {
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QCoreApplication::translate("cli", "Show this help and exit."));
    parser.addOption(help);
    QStringList full = args;
    full[0] = QStringLiteral("itap ") + command;
    if (!parser.parse(full)) {
        exitCode = usageError(command, parser.errorText());
        return false;
    }
    if (parser.isSet(help)) {
        // QCommandLineParser names the executable as started (often a full build path) and not the command.
        QString text = parser.helpText();
        const QString usage = QStringLiteral("Usage: ");
        const QString exe = QCoreApplication::arguments().value(0);
        if (!exe.isEmpty() && text.startsWith(usage + exe))
            text.replace(usage.size(), exe.size(), QStringLiteral("itap ") + command);
        std::fputs(text.toLocal8Bit().constData(), stdout);
        exitCode = kExitOk;
        return false;
    }
    return true;
}

std::optional<qint64> intOption(const QCommandLineParser& p, const QString& name, qint64 fallback, qint64 min,
                                qint64 max, QString& error) {
    if (!p.isSet(name)) return fallback;
    bool ok = false;
    const qint64 v = p.value(name).toLongLong(&ok);
    if (!ok || v < min || v > max) {
        error = QStringLiteral("--%1: expected an integer in [%2, %3], got '%4'").arg(name).arg(min).arg(max).arg(p.value(name));
        return std::nullopt;
    }
    return v;
}

std::optional<double> doubleOption(const QCommandLineParser& p, const QString& name, double fallback, double min,
                                   double max, QString& error) {
    if (!p.isSet(name)) return fallback;
    bool ok = false;
    const double v = p.value(name).toDouble(&ok);
    if (!ok || !(v >= min && v <= max)) {
        error = QStringLiteral("--%1: expected a number in [%2, %3], got '%4'").arg(name).arg(min).arg(max).arg(p.value(name));
        return std::nullopt;
    }
    return v;
}

QStringList optionValues(const QCommandLineParser& p, const QStringList& options) {
    QStringList values;
    for (const QString& name : options)
        if (p.isSet(name))
            values << p.value(name);
    return values;
}

QStringList databaseFileOption(const QCommandLineParser& p) {
    if (!p.isSet(QStringLiteral("db")))
        return {};
    const QString file = Store::filePathOf(p.value(QStringLiteral("db")));
    return file.isEmpty() ? QStringList() : QStringList{file};
}

Status checkOutputsAreNotInputs(const QStringList& outputs, const QStringList& inputs) {
    for (const QString& output : outputs)
        if (Status s = checkOutputIsNotAnInput(output, inputs); !s)
            return s;
    return {};
}

void addConflictOption(QCommandLineParser& p) {
    p.addOption(
        {QStringLiteral("on-conflict"),
         QStringLiteral("A row whose device and timestamp are stored with other values: 'keep' the stored "
                        "row, 'replace' it, or 'fail' and store nothing. Default: keep, warn and exit with "
                        "code 3."),
         QStringLiteral("keep|replace|fail")});
}

std::optional<ConflictPolicy> conflictPolicyOption(const QCommandLineParser& p, QString& error) {
    const QString value = p.value(QStringLiteral("on-conflict"));
    if (!p.isSet(QStringLiteral("on-conflict")) || value == QLatin1String("keep"))
        return ConflictPolicy::Keep;
    if (value == QLatin1String("replace"))
        return ConflictPolicy::Replace;
    if (value == QLatin1String("fail"))
        return ConflictPolicy::Fail;
    error = QStringLiteral("--on-conflict: expected keep, replace or fail, got '%1'").arg(value);
    return std::nullopt;
}

void warnConflicts(const QString& command, const QString& file, const ConflictTally& conflicts) {
    if (conflicts.count == 0)
        return;
    const QString what = conflicts.replaced > 0 ? QStringLiteral("the new values replaced them")
                                                : QStringLiteral("the stored values were kept");
    std::fprintf(stderr,
                 "itap %s: warning: %s: %lld rows conflict with stored rows (same device and timestamp, "
                 "other values); %s\n",
                 qPrintable(command), qPrintable(file), static_cast<long long>(conflicts.count),
                 qPrintable(what));
    for (const RowConflict& c : conflicts.examples)
        std::fprintf(stderr, "  %s\n", c.describe(file).toLocal8Bit().constData());
}

void addMinStoredShareOption(QCommandLineParser& p) {
    p.addOption({QStringLiteral("min-stored-share"),
                 QStringLiteral("Fail (exit code 1) when fewer than this share of a file's rows are accepted "
                                "(inserted, or stored already), in [0, 1]. Default: %1.")
                     .arg(kDefaultMinStoredShare),
                 QStringLiteral("F")});
}

Status checkStoredShare(const QString& file, qint64 rowsRead, qint64 accepted, double minShare) {
    if (rowsRead <= 0)
        return {};
    const double share = double(accepted) / double(rowsRead);
    if (share >= minShare)
        return {};
    return Error::failure(
        QStringLiteral("only %1 of %2 rows were accepted (share %3, less than --min-stored-share "
                       "%4); the accepted rows are stored")
            .arg(accepted)
            .arg(rowsRead)
            .arg(share, 0, 'g', 3)
            .arg(minShare),
        file);
}

QString notProcessed(const QStringList& files, qsizetype failed) {
    if (failed < 0 || failed + 1 >= files.size())
        return {};
    return QStringLiteral("; not processed: ") + files.mid(failed + 1).join(QStringLiteral(", "));
}

Result<SensorCatalog> catalogFromOption(const QCommandLineParser& p) {
    if (p.isSet(QStringLiteral("catalog"))) return SensorCatalog::load(p.value(QStringLiteral("catalog")));
    return SensorCatalog::defaults();
}

void printJson(const nlohmann::json& j) {
    const QByteArray bytes = toJsonBytes(j);
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

void printText(const QString& text) {
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stdout);
    if (!text.endsWith(QLatin1Char('\n'))) std::fputc('\n', stdout);
    std::fflush(stdout);
}

}  // namespace itap::cli
