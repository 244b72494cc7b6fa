// itap alarms list|show|ack|shelve|unshelve|note|verdict|journal|thresholds: the alarm journal from scripts
// and tests. The journal's rules (states, transitions, limits, the id rule) live in
// core/alarms/alarm_journal.h; this file parses arguments and prints.
#include "cli/analysis_options.h"
#include "cli/cli_common.h"
#include "cli/commands.h"

#include "alarms/alarm_journal.h"
#include "common/time_util.h"
#include "storage/store.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <nlohmann/json.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <map>

namespace itap::cli {
namespace {

using Verb = int (*)(const QStringList& args, const QString& cmd);

QString stateNames() {
    QStringList names;
    for (int i = 0; i < kAlarmStateCount; ++i) names << alarmStateName(static_cast<AlarmState>(i));
    return names.join(u", ");
}

void addCommonOptions(QCommandLineParser& p) {
    addStoreOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print machine-readable JSON (schema_version %1).")
                                             .arg(AlarmJournal::kJsonSchemaVersion)});
}

void addOperatorOption(QCommandLineParser& p) {
    p.addOption({QStringLiteral("operator"),
                 QStringLiteral("Who acts, recorded in the journal (default: the OS user, $USER)."),
                 QStringLiteral("NAME")});
}

QString osUser() {
    QString user = qEnvironmentVariable("USER").trimmed();
    if (user.isEmpty())
        if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr)
            user = QString::fromLocal8Bit(pw->pw_name);
    return user;
}

// The options every verb shares, parsed and checked: false with `code` set when the caller must return.
bool parseVerb(QCommandLineParser& p, const QString& cmd, const QString& description, const QStringList& args,
               int& code) {
    if (!parseCommand(p, cmd, description, args, code))
        return false;
    if (!p.isSet(QStringLiteral("db"))) {
        code = usageError(cmd, QStringLiteral("--db is required"));
        return false;
    }
    return true;
}

std::optional<QString> operatorOf(const QCommandLineParser& p, const QString& cmd, int& code) {
    const QString name = p.isSet(QStringLiteral("operator")) ? p.value(QStringLiteral("operator")) : osUser();
    if (name.isEmpty()) {
        code = usageError(cmd, QStringLiteral("no operator name: set --operator (or $USER)"));
        return std::nullopt;
    }
    if (Status s = AlarmJournal::checkOperatorName(name); !s) {
        code = usageError(cmd, QStringLiteral("--operator: ") + s.error().message);
        return std::nullopt;
    }
    return name.trimmed();
}

Result<std::unique_ptr<Store>> openStore(const QCommandLineParser& p) {
    return Store::open(p.value(QStringLiteral("db")), nullptr);
}

qint64 now() {
    return QDateTime::currentMSecsSinceEpoch();
}

QString line(const AlarmRecord& r) {
    QString text = QStringLiteral("%1  %2  %3  %4  %5")
                       .arg(r.id, -40)
                       .arg(alarmStateName(r.state()), -15)
                       .arg(severityName(r.priority), -8)
                       .arg(formatUtcTimestampHuman(r.firstStartMs), r.cause);
    if (r.status.shelved())
        text += QStringLiteral("  [shelved until %1]").arg(formatUtcTimestampHuman(r.status.shelvedUntilMs));
    if (r.verdict != Verdict::None)
        text += QStringLiteral("  [verdict %1%2]")
                    .arg(verdictName(r.verdict),
                         r.faultType.isEmpty() ? QString() : QStringLiteral(": ") + r.faultType);
    return text;
}

QString line(const JournalEntry& e) {
    QString text =
        QStringLiteral("#%1  %2  %3  %4  %5  %6 -> %7")
            .arg(e.id)
            .arg(formatUtcTimestampHuman(e.atMs), e.alarmId, e.operatorName, alarmActionName(e.action),
                 e.fromState ? alarmStateName(*e.fromState) : QStringLiteral("-"), alarmStateName(e.toState));
    if (!e.note.isEmpty())
        text += QStringLiteral("  \"%1\"").arg(e.note);
    if (e.detailJson != QLatin1String("{}"))
        text += QStringLiteral("  ") + e.detailJson;
    return text;
}

nlohmann::json entriesJson(const std::vector<JournalEntry>& entries) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries) out.push_back(journalEntryJson(e));
    return out;
}

// ---- list
// ----------------------------------------------------------------------------------------------------

int runList(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    p.addOption({QStringLiteral("state"),
                 QStringLiteral("Only alarms in this state (repeatable): %1.").arg(stateNames()),
                 QStringLiteral("STATE")});
    p.addOption({QStringLiteral("device"), QStringLiteral("Only alarms of this device (repeatable)."),
                 QStringLiteral("ID")});
    p.addOption(
        {QStringLiteral("unacked"),
         QStringLiteral("Only alarms waiting for acknowledgement (active_unacked, cleared_unacked).")});
    int code = 0;
    if (!parseVerb(p, cmd,
                   QStringLiteral("List the alarms of the journal, oldest first. A shelf whose time has come "
                                  "ends first (and is recorded, unless the database is read-only)."),
                   args, code))
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(cmd,
                          QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    std::vector<AlarmState> states;
    for (const auto& name : p.values(QStringLiteral("state"))) {
        auto s = parseAlarmState(name);
        if (!s)
            return usageError(
                cmd, QStringLiteral("--state: unknown state '%1' (states: %2)").arg(name, stateNames()));
        states.push_back(*s);
    }
    const QStringList devices = p.values(QStringLiteral("device"));
    const bool unacked = p.isSet(QStringLiteral("unacked"));

    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    auto alarms = AlarmJournal(**store).alarms(now());
    if (!alarms)
        return reportError(cmd, alarms.error());
    std::vector<AlarmRecord> shown;
    for (auto& r : *alarms) {
        if (!states.empty() && std::find(states.begin(), states.end(), r.state()) == states.end())
            continue;
        if (!devices.isEmpty() && !devices.contains(r.device))
            continue;
        if (unacked && !r.status.annunciates())
            continue;
        shown.push_back(std::move(r));
    }
    std::map<QString, int> counts;
    for (int i = 0; i < kAlarmStateCount; ++i) counts[alarmStateName(static_cast<AlarmState>(i))] = 0;
    for (const auto& r : shown) ++counts[alarmStateName(r.state())];
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : shown) list.push_back(alarmRecordJson(r));
        nlohmann::json byState = nlohmann::json::object();
        for (const auto& [name, n] : counts) byState[name.toStdString()] = n;
        printJson({{"schema_version", AlarmJournal::kJsonSchemaVersion},
                   {"alarms", list},
                   {"count", shown.size()},
                   {"by_state", byState}});
        return kExitOk;
    }
    for (const auto& r : shown) printText(line(r));
    QStringList summary;
    for (const auto& [name, n] : counts)
        if (n > 0)
            summary << QStringLiteral("%1 %2").arg(n).arg(name);
    printText(QStringLiteral("%1 alarms%2")
                  .arg(shown.size())
                  .arg(summary.isEmpty() ? QString() : QStringLiteral(": ") + summary.join(u", ")));
    return kExitOk;
}

// ---- show
// ----------------------------------------------------------------------------------------------------

int runShow(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The alarm id."));
    int code = 0;
    if (!parseVerb(p, cmd, QStringLiteral("Show one alarm and its journal."), args, code))
        return code;
    if (p.positionalArguments().size() != 1)
        return usageError(cmd, QStringLiteral("expected one alarm id"));
    const QString id = p.positionalArguments().first();
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    AlarmJournal journal(**store);
    auto alarms = journal.alarms(now());
    if (!alarms)
        return reportError(cmd, alarms.error());
    const auto it =
        std::find_if(alarms->begin(), alarms->end(), [&](const AlarmRecord& r) { return r.id == id; });
    if (it == alarms->end())
        return reportError(cmd, Error::badInput(QStringLiteral("unknown alarm id \"%1\"").arg(id)));
    auto entries = journal.entries(id);
    if (!entries)
        return reportError(cmd, entries.error());
    if (p.isSet(QStringLiteral("json"))) {
        printJson({{"schema_version", AlarmJournal::kJsonSchemaVersion},
                   {"alarm", alarmRecordJson(*it)},
                   {"journal", entriesJson(*entries)}});
        return kExitOk;
    }
    printText(line(*it));
    printText(QStringLiteral("device %1, episode %2 .. %3, peak %4 (score %5), rule %6, reopened %7x")
                  .arg(it->device, formatUtcTimestampHuman(it->firstStartMs),
                       formatUtcTimestampHuman(it->spanEndMs), formatUtcTimestampHuman(it->peakMs))
                  .arg(it->peakScore, 0, 'f', 3)
                  .arg(it->ruleId)
                  .arg(it->reopened));
    for (const auto& e : *entries) printText(line(e));
    return kExitOk;
}

// ---- operator actions
// -----------------------------------------------------------------------------------------

// Runs `action` on `ids` and prints the rows written.
int act(const QCommandLineParser& p, const QString& cmd, const QStringList& ids, const OperatorAction& action,
        Store& store) {
    auto written = AlarmJournal(store).act(ids, action, now());
    if (!written)
        return reportError(cmd, written.error());
    if (p.isSet(QStringLiteral("json"))) {
        printJson({{"schema_version", AlarmJournal::kJsonSchemaVersion},
                   {"action", alarmActionName(action.action).toStdString()},
                   {"operator", action.operatorName.toStdString()},
                   {"journal", entriesJson(*written)}});
        return kExitOk;
    }
    for (const auto& e : *written) printText(line(e));
    return kExitOk;
}

int runAck(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    addOperatorOption(p);
    p.addOption(
        {QStringLiteral("all-unacked"),
         QStringLiteral("Acknowledge every alarm waiting for it (active_unacked, cleared_unacked).")});
    p.addOption({QStringLiteral("note"), QStringLiteral("A remark recorded with the acknowledgement."),
                 QStringLiteral("TEXT")});
    p.addPositionalArgument(QStringLiteral("id..."), QStringLiteral("Alarm ids."));
    int code = 0;
    if (!parseVerb(
            p, cmd,
            QStringLiteral("Acknowledge alarms: all of them in one transaction, or none when one cannot be "
                           "acknowledged. Acknowledging an acknowledged alarm succeeds and is recorded."),
            args, code))
        return code;
    QStringList ids = p.positionalArguments();
    const bool all = p.isSet(QStringLiteral("all-unacked"));
    if (ids.isEmpty() && !all)
        return usageError(cmd, QStringLiteral("expected alarm ids or --all-unacked"));
    if (!ids.isEmpty() && all)
        return usageError(cmd, QStringLiteral("give alarm ids or --all-unacked, not both"));
    auto who = operatorOf(p, cmd, code);
    if (!who)
        return code;
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    if (all) {
        auto alarms = AlarmJournal(**store).alarms(now());
        if (!alarms)
            return reportError(cmd, alarms.error());
        for (const auto& r : *alarms)
            if (r.status.annunciates())
                ids << r.id;
        if (ids.isEmpty()) {
            if (p.isSet(QStringLiteral("json")))
                printJson({{"schema_version", AlarmJournal::kJsonSchemaVersion},
                           {"action", "ack"},
                           {"operator", who->toStdString()},
                           {"journal", nlohmann::json::array()}});
            else
                printText(QStringLiteral("no alarm waits for acknowledgement"));
            return kExitOk;
        }
    }
    OperatorAction action;
    action.action = AlarmAction::Acknowledge;
    action.operatorName = *who;
    action.note = p.value(QStringLiteral("note"));
    return act(p, cmd, ids, action, **store);
}

int runShelve(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    addOperatorOption(p);
    p.addOption({QStringLiteral("for"),
                 QStringLiteral("How long: %1, or any number with s, m, h or d (at most %2 days).")
                     .arg(AlarmJournal::shelvePresets().join(u", "))
                     .arg(AlarmJournal::kMaxShelveMs / (24 * 3600 * 1000)),
                 QStringLiteral("DURATION")});
    p.addOption({QStringLiteral("until"), QStringLiteral("Until a UTC time, YYYY-MM-DDTHH:MM:SSZ."),
                 QStringLiteral("TIME")});
    p.addOption({QStringLiteral("reason"), QStringLiteral("Why (required)."), QStringLiteral("TEXT")});
    p.addPositionalArgument(QStringLiteral("id..."), QStringLiteral("Alarm ids."));
    int code = 0;
    if (!parseVerb(
            p, cmd,
            QStringLiteral("Shelve alarms until a time: not annunciated meanwhile; when the time comes the "
                           "alarm returns by itself, unacknowledged if it is still active."),
            args, code))
        return code;
    const QStringList ids = p.positionalArguments();
    if (ids.isEmpty())
        return usageError(cmd, QStringLiteral("expected alarm ids"));
    const bool hasFor = p.isSet(QStringLiteral("for")), hasUntil = p.isSet(QStringLiteral("until"));
    if (hasFor == hasUntil)
        return usageError(cmd, QStringLiteral("give either --for DURATION or --until TIME"));
    if (!p.isSet(QStringLiteral("reason")) || p.value(QStringLiteral("reason")).trimmed().isEmpty())
        return usageError(cmd, QStringLiteral("--reason is required"));
    const qint64 start = now();
    qint64 until = 0;
    if (hasFor) {
        auto duration = AlarmJournal::parseDuration(p.value(QStringLiteral("for")));
        if (!duration)
            return usageError(cmd, QStringLiteral("--for: ") + duration.error().message);
        until = start + *duration;
    } else {
        auto parsed = parseUtcTimestamp(QStringView(p.value(QStringLiteral("until"))));
        if (!parsed)
            return usageError(cmd,
                              QStringLiteral("--until: expected a UTC time YYYY-MM-DDTHH:MM:SSZ, got '%1'")
                                  .arg(p.value(QStringLiteral("until"))));
        until = *parsed;
    }
    if (Status s = AlarmJournal::checkShelf(start, until); !s)
        return usageError(cmd, s.error().message);
    auto who = operatorOf(p, cmd, code);
    if (!who)
        return code;
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    OperatorAction action;
    action.action = AlarmAction::Shelve;
    action.operatorName = *who;
    action.note = p.value(QStringLiteral("reason"));
    action.shelveUntilMs = until;
    return act(p, cmd, ids, action, **store);
}

int runUnshelve(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    addOperatorOption(p);
    p.addOption(
        {QStringLiteral("note"), QStringLiteral("A remark recorded with it."), QStringLiteral("TEXT")});
    p.addPositionalArgument(QStringLiteral("id..."), QStringLiteral("Alarm ids."));
    int code = 0;
    if (!parseVerb(p, cmd,
                   QStringLiteral("End the shelf of alarms now: an alarm still active is annunciated again."),
                   args, code))
        return code;
    const QStringList ids = p.positionalArguments();
    if (ids.isEmpty())
        return usageError(cmd, QStringLiteral("expected alarm ids"));
    auto who = operatorOf(p, cmd, code);
    if (!who)
        return code;
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    OperatorAction action;
    action.action = AlarmAction::Unshelve;
    action.operatorName = *who;
    action.note = p.value(QStringLiteral("note"));
    return act(p, cmd, ids, action, **store);
}

int runNote(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    addOperatorOption(p);
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The alarm id."));
    p.addPositionalArgument(QStringLiteral("text"), QStringLiteral("The note."));
    int code = 0;
    if (!parseVerb(p, cmd, QStringLiteral("Write a note on an alarm (its state does not change)."), args,
                   code))
        return code;
    if (p.positionalArguments().size() != 2)
        return usageError(cmd, QStringLiteral("expected an alarm id and the note text"));
    auto who = operatorOf(p, cmd, code);
    if (!who)
        return code;
    OperatorAction action;
    action.action = AlarmAction::Note;
    action.operatorName = *who;
    action.note = p.positionalArguments().at(1);
    if (action.note.trimmed().isEmpty())
        return usageError(cmd, QStringLiteral("the note must not be empty"));
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    return act(p, cmd, {p.positionalArguments().at(0)}, action, **store);
}

int runVerdict(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    addOperatorOption(p);
    p.addOption({QStringLiteral("fault-type"),
                 QStringLiteral("With confirmed: the fault's family, one of the sensor catalog's families."),
                 QStringLiteral("FAMILY")});
    p.addOption({QStringLiteral("fault-type-text"),
                 QStringLiteral("With confirmed: the fault type in free text, when no family fits."),
                 QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("note"), QStringLiteral("A remark recorded with the verdict."),
                 QStringLiteral("TEXT")});
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The alarm id."));
    p.addPositionalArgument(QStringLiteral("verdict"), QStringLiteral("confirmed, false-alarm or unknown."));
    int code = 0;
    if (!parseVerb(p, cmd,
                   QStringLiteral(
                       "Judge an alarm: a confirmed fault, a false alarm or unknown. The latest verdict "
                       "counts; every verdict stays in the journal (labels for evaluation and training)."),
                   args, code))
        return code;
    if (p.positionalArguments().size() != 2)
        return usageError(
            cmd, QStringLiteral("expected an alarm id and a verdict (confirmed, false-alarm, unknown)"));
    const QString verdictText = p.positionalArguments().at(1);
    auto verdict = parseVerdict(verdictText);
    if (!verdict)
        return usageError(cmd,
                          QStringLiteral("unknown verdict '%1': expected confirmed, false-alarm or unknown")
                              .arg(verdictText));
    const bool family = p.isSet(QStringLiteral("fault-type")),
               text = p.isSet(QStringLiteral("fault-type-text"));
    if (family && text)
        return usageError(cmd, QStringLiteral("give --fault-type or --fault-type-text, not both"));
    if ((family || text) && *verdict != Verdict::Confirmed)
        return usageError(cmd, QStringLiteral("a fault type goes with a confirmed verdict only"));
    auto who = operatorOf(p, cmd, code);
    if (!who)
        return code;
    OperatorAction action;
    action.action = AlarmAction::Verdict;
    action.operatorName = *who;
    action.verdict = *verdict;
    action.note = p.value(QStringLiteral("note"));
    if (family) {
        action.faultTypeSource = FaultTypeSource::CatalogFamily;
        action.faultType = p.value(QStringLiteral("fault-type"));
    } else if (text) {
        action.faultTypeSource = FaultTypeSource::FreeText;
        action.faultType = p.value(QStringLiteral("fault-type-text"));
    }
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    return act(p, cmd, {p.positionalArguments().at(0)}, action, **store);
}

// ---- journal
// ---------------------------------------------------------------------------------------------------

int runJournal(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    p.addOption(
        {QStringLiteral("csv"), QStringLiteral("Print CSV instead (one line per row, detail as JSON).")});
    p.addOption(
        {QStringLiteral("alarm"), QStringLiteral("Only the rows of this alarm."), QStringLiteral("ID")});
    int code = 0;
    if (!parseVerb(
            p, cmd,
            QStringLiteral("Export the alarm journal, oldest first: every transition and operator action "
                           "(with the verdicts, a labelled data set)."),
            args, code))
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(cmd,
                          QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    if (p.isSet(QStringLiteral("csv")) && p.isSet(QStringLiteral("json")))
        return usageError(cmd, QStringLiteral("give --json or --csv, not both"));
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    AlarmJournal journal(**store);
    const QString alarm = p.value(QStringLiteral("alarm"));
    if (!alarm.isEmpty()) {
        auto known = (*store)->readAlarms({{alarm}, {}});
        if (!known)
            return reportError(cmd, known.error());
        if (known->empty())
            return reportError(cmd, Error::badInput(QStringLiteral("unknown alarm id \"%1\"").arg(alarm)));
    }
    auto entries = journal.entries(alarm);
    if (!entries)
        return reportError(cmd, entries.error());
    if (p.isSet(QStringLiteral("json"))) {
        printJson({{"schema_version", AlarmJournal::kJsonSchemaVersion}, {"journal", entriesJson(*entries)}});
    } else if (p.isSet(QStringLiteral("csv"))) {
        const QByteArray csv = journalCsv(*entries);
        std::fwrite(csv.constData(), 1, std::size_t(csv.size()), stdout);
    } else {
        for (const auto& e : *entries) printText(line(e));
    }
    return kExitOk;
}

// ---- thresholds
// ------------------------------------------------------------------------------------------------

QString line(const ThresholdChange& c) {
    QString text = QStringLiteral("#%1  %2  %3  %4  %5 -> %6")
                       .arg(c.id)
                       .arg(formatUtcTimestampHuman(c.atMs), c.modelId, c.operatorName)
                       .arg(c.fromThreshold, 0, 'f', 4)
                       .arg(c.toThreshold, 0, 'f', 4);
    if (!c.note.isEmpty())
        text += QStringLiteral("  \"%1\"").arg(c.note);
    return text;
}

int runThresholds(const QStringList& args, const QString& cmd) {
    QCommandLineParser p;
    addCommonOptions(p);
    p.addOption({QStringLiteral("model"), QStringLiteral("Only the changes of this model id."),
                 QStringLiteral("ID")});
    int code = 0;
    if (!parseVerb(p, cmd,
                   QStringLiteral("List the operating-threshold changes (the console's Apply), oldest first: "
                                  "when, which model, who, from and to. A model's latest change is its "
                                  "operating threshold."),
                   args, code))
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(cmd,
                          QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));
    auto store = openStore(p);
    if (!store)
        return reportError(cmd, store.error());
    auto changes = AlarmJournal(**store).thresholdChanges(p.value(QStringLiteral("model")));
    if (!changes)
        return reportError(cmd, changes.error());
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& c : *changes) rows.push_back(thresholdChangeJson(c));
        printJson({{"schema_version", AlarmJournal::kJsonSchemaVersion}, {"threshold_changes", rows}});
    } else {
        for (const auto& c : *changes) printText(line(c));
    }
    return kExitOk;
}

const std::map<QString, std::pair<Verb, const char*>>& verbs() {
    static const std::map<QString, std::pair<Verb, const char*>> table{
        {QStringLiteral("list"), {runList, "list alarms (--state, --device, --unacked)"}},
        {QStringLiteral("show"), {runShow, "one alarm and its journal"}},
        {QStringLiteral("ack"), {runAck, "acknowledge alarms (ids or --all-unacked)"}},
        {QStringLiteral("shelve"), {runShelve, "shelve alarms --for DURATION | --until TIME --reason TEXT"}},
        {QStringLiteral("unshelve"), {runUnshelve, "end a shelf now"}},
        {QStringLiteral("note"), {runNote, "write a note on an alarm"}},
        {QStringLiteral("verdict"),
         {runVerdict, "judge an alarm: confirmed [--fault-type F], false-alarm, unknown"}},
        {QStringLiteral("journal"), {runJournal, "export the journal (--json, --csv, --alarm ID)"}},
        {QStringLiteral("thresholds"), {runThresholds, "operating-threshold changes (--model ID, --json)"}},
    };
    return table;
}

void printVerbs(FILE* out) {
    std::fprintf(out,
                 "Usage: itap alarms <verb> --db DB [options]\n\nThe alarm journal (see README, \"Alarm "
                 "lifecycle and journal\").\n\nVerbs:\n");
    for (const auto& [name, verb] : verbs()) std::fprintf(out, "  %-10s %s\n", qPrintable(name), verb.second);
    std::fprintf(out, "\nRun 'itap alarms <verb> --help' for the options of a verb.\n");
}

}  // namespace

int runAlarms(const QStringList& args) {
    if (args.size() < 2) {
        printVerbs(stderr);
        return kExitBadInput;
    }
    const QString verb = args.at(1);
    if (verb == QLatin1String("-h") || verb == QLatin1String("--help") || verb == QLatin1String("help")) {
        printVerbs(stdout);
        return kExitOk;
    }
    const auto it = verbs().find(verb);
    if (it == verbs().end()) {
        std::fprintf(stderr, "itap alarms: unknown verb '%s'\n\n", qPrintable(verb));
        printVerbs(stderr);
        return kExitBadInput;
    }
    return it->second.first(args.mid(1), QStringLiteral("alarms ") + verb);
}

}  // namespace itap::cli
