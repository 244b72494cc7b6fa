#include "alarms/alarm_journal.h"

#include "common/json_util.h"
#include "common/output_file.h"
#include "common/time_util.h"

#include <QDir>
#include <QHash>
#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace itap {
namespace {

std::string utf8(const QString& s) {
    return s.toStdString();
}

QString jsonText(const nlohmann::json& j) {
    return QString::fromStdString(j.dump());
}

qint64 incidentEnd(const Alert& a) {
    return a.clearedMs >= 0 ? std::max(a.endMs, a.clearedMs) : a.endMs;
}

nlohmann::json timeOrNull(qint64 ms) {
    return ms >= 0 ? nlohmann::json(utf8(formatUtcTimestamp(ms))) : nlohmann::json(nullptr);
}

const char* priorityName(Severity s) {
    static const char* const kPriority[] = {"low", "medium", "high"};
    return kPriority[static_cast<int>(s)];
}

// What a process row says about the derivation that caused it.
QString incidentDetail(const Alert& a) {
    return jsonText({{"start", utf8(formatUtcTimestamp(a.startMs))},
                     {"raised", utf8(formatUtcTimestamp(a.raisedMs))},
                     {"end", utf8(formatUtcTimestamp(a.endMs))},
                     {"cleared", timeOrNull(a.clearedMs)},
                     {"peak", utf8(formatUtcTimestamp(a.peakMs))},
                     {"peak_score", a.peakScore},
                     {"priority", priorityName(a.severity)},
                     {"kind", utf8(incidentKindName(a.kind))},
                     {"suppression", utf8(suppressionName(a.suppression))},
                     {"cause", utf8(a.cause)},
                     {"rule_id", utf8(a.ruleId)},
                     {"fault_tag", utf8(a.faultTag)},
                     {"reopened", a.reopened}});
}

// The alarm's fields from its latest derivation; the lifecycle (status, verdict) is left alone.
void takeDerivation(AlarmRecord& r, const Alert& a) {
    r.device = a.device;
    r.startMs = a.startMs;
    r.raisedMs = a.raisedMs;
    r.endMs = a.endMs;
    r.clearedMs = a.clearedMs;
    r.peakMs = a.peakMs;
    r.peakScore = a.peakScore;
    r.cause = a.cause;
    r.ruleId = a.ruleId;
    r.priority = a.severity;
    r.reopened = a.reopened;
}

bool sameDerivation(const AlarmRecord& a, const AlarmRecord& b) {
    return std::tie(a.firstStartMs, a.spanEndMs, a.startMs, a.raisedMs, a.endMs, a.clearedMs, a.peakMs,
                    a.peakScore, a.cause, a.ruleId, a.priority, a.reopened) ==
           std::tie(b.firstStartMs, b.spanEndMs, b.startMs, b.raisedMs, b.endMs, b.clearedMs, b.peakMs,
                    b.peakScore, b.cause, b.ruleId, b.priority, b.reopened);
}

bool hasControlCharacter(const QString& s, bool allowNewlines) {
    return std::any_of(s.begin(), s.end(), [&](QChar c) {
        return c.category() == QChar::Other_Control && !(allowNewlines && (c == u'\n' || c == u'\t'));
    });
}

Status checkText(const QString& text, const QString& what) {
    if (text.trimmed().isEmpty())
        return Error::badInput(QStringLiteral("%1 must not be empty").arg(what));
    if (text.size() > AlarmJournal::kMaxTextLength)
        return Error::badInput(
            QStringLiteral("%1 is longer than %2 characters").arg(what).arg(AlarmJournal::kMaxTextLength));
    if (hasControlCharacter(text, /*allowNewlines=*/true))
        return Error::badInput(QStringLiteral("%1 contains a control character").arg(what));
    return {};
}

// Rolls the stage back unless committed: every early return leaves the journal as it was.
class JournalStage {
public:
    explicit JournalStage(Store& store) : store_(store) {}
    ~JournalStage() {
        if (open_)
            (void)store_.rollbackStage();
    }
    JournalStage(const JournalStage&) = delete;
    JournalStage& operator=(const JournalStage&) = delete;
    [[nodiscard]] Status begin() {
        if (Status s = store_.beginStage(); !s)
            return s;
        open_ = true;
        return store_.lockJournal();
    }
    [[nodiscard]] Status commit() {
        Status s = store_.commitStage();
        if (s)
            open_ = false;
        return s;
    }

private:
    Store& store_;
    bool open_ = false;
};

}  // namespace

QStringList AlarmJournal::assignIds(const std::vector<Alert>& incidents,
                                    const std::vector<AlarmRecord>& stored) {
    QHash<QString, std::vector<std::size_t>> storedByDevice;
    QSet<QString> taken;
    for (std::size_t k = 0; k < stored.size(); ++k) {
        storedByDevice[stored[k].device].push_back(k);
        taken.insert(stored[k].id);
    }
    struct Pair {
        qint64 overlap;
        std::size_t incident;
        std::size_t alarm;
    };
    std::vector<Pair> pairs;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        const Alert& a = incidents[i];
        const auto it = storedByDevice.constFind(a.device);
        if (it == storedByDevice.constEnd())
            continue;
        const qint64 start = a.startMs, end = incidentEnd(a);
        for (std::size_t k : *it) {
            const AlarmRecord& r = stored[k];
            const qint64 overlap = std::min(end, r.spanEndMs) - std::max(start, r.firstStartMs);
            if (overlap >= -kEpisodeToleranceMs)
                pairs.push_back({overlap, i, k});
        }
    }
    std::sort(pairs.begin(), pairs.end(), [&](const Pair& x, const Pair& y) {
        if (x.overlap != y.overlap)
            return x.overlap > y.overlap;
        const AlarmRecord& rx = stored[x.alarm];
        const AlarmRecord& ry = stored[y.alarm];
        if (rx.firstStartMs != ry.firstStartMs)
            return rx.firstStartMs < ry.firstStartMs;
        if (rx.id != ry.id)
            return rx.id < ry.id;
        return x.incident < y.incident;
    });
    QStringList ids(static_cast<qsizetype>(incidents.size()));
    std::vector<bool> alarmUsed(stored.size(), false);
    for (const Pair& p : pairs) {
        if (!ids[qsizetype(p.incident)].isEmpty() || alarmUsed[p.alarm])
            continue;
        ids[qsizetype(p.incident)] = stored[p.alarm].id;
        alarmUsed[p.alarm] = true;
    }
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        QString& id = ids[qsizetype(i)];
        if (!id.isEmpty())
            continue;
        const QString base = incidents[i].id.isEmpty() ? incidents[i].device + QLatin1Char('@') +
                                                             formatUtcTimestamp(incidents[i].startMs)
                                                       : incidents[i].id;
        id = base;
        for (int n = 2; taken.contains(id); ++n) id = base + QLatin1Char('#') + QString::number(n);
        taken.insert(id);
    }
    return ids;
}

std::vector<JournalEntry> AlarmJournal::expireShelves(std::vector<AlarmRecord>& alarms, qint64 nowMs) {
    std::vector<JournalEntry> rows;
    for (auto& r : alarms) {
        if (!shelfExpired(r.status, nowMs))
            continue;
        const qint64 at = r.status.shelvedUntilMs;
        auto next = applyAlarmEvent(
            r.status, {AlarmAction::ShelveExpired, at, -1, r.status.kind, r.status.suppression});
        if (!next)
            continue;  // cannot happen: shelfExpired() said it applies
        JournalEntry e;
        e.alarmId = r.id;
        e.atMs = at;
        e.operatorName = kSystemOperator;
        e.action = AlarmAction::ShelveExpired;
        e.fromState = r.state();
        r.status = *next;
        r.updatedMs = std::max(r.updatedMs, at);
        e.toState = r.state();
        rows.push_back(std::move(e));
    }
    return rows;
}

Status AlarmJournal::persist(const AlarmRecord& alarm, std::vector<JournalEntry>& rows) {
    if (Status s = store_.writeAlarm(alarm); !s)
        return s;
    for (auto& e : rows) {
        auto id = store_.appendJournal(e);
        if (!id)
            return id.error();
        e.id = *id;
    }
    return {};
}

Result<QStringList> AlarmJournal::idsOf(const std::vector<Alert>& incidents) {
    // Every alarm, not only those of the incidents' devices: a new id must not collide with any stored one.
    auto stored = store_.readAlarms({});
    if (!stored)
        return stored.error();
    return assignIds(incidents, *stored);
}

Result<RecordSummary> AlarmJournal::record(std::vector<Alert>& incidents, qint64 nowMs) {
    JournalStage stage(store_);
    if (Status s = stage.begin(); !s)
        return s.error();
    auto stored = store_.readAlarms({});
    if (!stored)
        return stored.error();
    RecordSummary summary;
    summary.incidents = static_cast<int>(incidents.size());

    std::vector<JournalEntry> expired = expireShelves(*stored, nowMs);
    QHash<QString, std::size_t> byId;
    for (std::size_t k = 0; k < stored->size(); ++k) byId.insert((*stored)[k].id, k);
    for (auto& e : expired) {
        std::vector<JournalEntry> one{e};
        if (Status s = persist((*stored)[byId.value(e.alarmId)], one); !s)
            return s.error();
        ++summary.journalRows;
    }

    const QStringList ids = assignIds(incidents, *stored);
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        Alert& a = incidents[i];
        a.id = ids[qsizetype(i)];
        const QString detail = incidentDetail(a);
        std::vector<JournalEntry> rows;
        auto addRow = [&](AlarmRecord& r, AlarmAction action, const AlarmStatus& next) {
            JournalEntry e;
            e.alarmId = r.id;
            e.atMs = nowMs;
            e.operatorName = kSystemOperator;
            e.action = action;
            if (action != AlarmAction::Raise)
                e.fromState = r.state();
            r.status = next;
            e.toState = r.state();
            e.detailJson = detail;
            rows.push_back(std::move(e));
        };
        auto step = [&](AlarmRecord& r, AlarmAction action) -> Status {
            auto next = applyAlarmEvent(r.status, {action, nowMs, -1, a.kind, a.suppression});
            if (!next)
                return next.error();
            addRow(r, action, *next);
            return {};
        };

        const auto known = byId.constFind(a.id);
        if (known == byId.constEnd()) {
            AlarmRecord r;
            r.id = a.id;
            takeDerivation(r, a);
            r.firstStartMs = a.startMs;
            r.spanEndMs = incidentEnd(a);
            r.createdMs = r.updatedMs = nowMs;
            if (Status s = step(r, AlarmAction::Raise); !s)
                return s.error();
            if (!a.active())
                if (Status s = step(r, AlarmAction::Clear); !s)
                    return s.error();
            if (Status s = persist(r, rows); !s)
                return s.error();
            ++summary.newAlarms;
            summary.journalRows += static_cast<int>(rows.size());
            continue;
        }
        AlarmRecord& r = (*stored)[*known];
        const AlarmRecord before = r;
        takeDerivation(r, a);
        r.firstStartMs = std::min(r.firstStartMs, a.startMs);
        r.spanEndMs = std::max(r.spanEndMs, incidentEnd(a));
        if (r.status.kind != a.kind || r.status.suppression != a.suppression)
            if (Status s = step(r, AlarmAction::Update); !s)
                return s.error();
        if (r.status.active && !a.active()) {
            if (Status s = step(r, AlarmAction::Clear); !s)
                return s.error();
        } else if (!r.status.active && a.active()) {
            if (Status s = step(r, AlarmAction::Reopen); !s)
                return s.error();
        }
        if (rows.empty() && sameDerivation(before, r))
            continue;
        r.updatedMs = nowMs;
        if (Status s = persist(r, rows); !s)
            return s.error();
        summary.journalRows += static_cast<int>(rows.size());
    }
    if (Status s = stage.commit(); !s)
        return s.error();
    return summary;
}

Result<std::vector<AlarmRecord>> AlarmJournal::alarms(qint64 nowMs) {
    // Readers take no lock unless a shelf has ended: a list must not wait for a writer it does not need.
    {
        auto stored = store_.readAlarms({});
        if (!stored)
            return stored.error();
        const bool due = std::any_of(stored->begin(), stored->end(),
                                     [&](const AlarmRecord& r) { return shelfExpired(r.status, nowMs); });
        if (!due)
            return stored;
        if (store_.isReadOnly()) {
            (void)expireShelves(*stored, nowMs);
            return stored;
        }
    }
    JournalStage stage(store_);
    if (Status s = stage.begin(); !s)
        return s.error();
    auto stored = store_.readAlarms({});
    if (!stored)
        return stored.error();
    std::vector<JournalEntry> expired = expireShelves(*stored, nowMs);
    for (auto& e : expired) {
        const auto it = std::find_if(stored->begin(), stored->end(),
                                     [&](const AlarmRecord& r) { return r.id == e.alarmId; });
        std::vector<JournalEntry> one{e};
        if (Status s = persist(*it, one); !s)
            return s.error();
    }
    if (Status s = stage.commit(); !s)
        return s.error();
    return stored;
}

Result<std::vector<JournalEntry>> AlarmJournal::entries(const QString& alarmId) {
    return store_.readJournal(alarmId);
}

Status AlarmJournal::checkThresholdChange(const ThresholdChange& c) {
    if (Status s = checkOperatorName(c.operatorName); !s)
        return s;
    if (c.modelId.trimmed().isEmpty())
        return Error::badInput(QStringLiteral("a threshold change needs the model's id"));
    if (c.modelId.size() > kMaxOperatorLength * 4 || hasControlCharacter(c.modelId, /*allowNewlines=*/false))
        return Error::badInput(QStringLiteral("invalid model id \"%1\"").arg(c.modelId.left(40)));
    for (const auto& [value, what] :
         {std::pair{c.fromThreshold, "previous"}, std::pair{c.toThreshold, "new"}})
        if (!std::isfinite(value) || value < 0.0 || value > 1.0)
            return Error::badInput(QStringLiteral("the %1 threshold %2 is not a score threshold in [0, 1]")
                                       .arg(QLatin1String(what))
                                       .arg(value));
    if (c.toThreshold == c.fromThreshold)
        return Error::badInput(
            QStringLiteral("the operating threshold is %1 already").arg(c.toThreshold, 0, 'g', 6));
    if (!c.note.isEmpty())
        if (Status s = checkText(c.note, QStringLiteral("the note")); !s)
            return s;
    return {};
}

Result<ThresholdChange> AlarmJournal::recordThresholdChange(ThresholdChange change) {
    if (Status s = checkThresholdChange(change); !s)
        return s.error();
    change.operatorName = change.operatorName.trimmed();
    change.modelId = change.modelId.trimmed();
    auto id = store_.appendThresholdChange(change);  // one transaction: recorded whole or not at all
    if (!id)
        return id.error();
    change.id = *id;
    return change;
}

Result<std::vector<ThresholdChange>> AlarmJournal::thresholdChanges(const QString& modelId) {
    return store_.readThresholdChanges(modelId);
}

Result<std::optional<ThresholdChange>> AlarmJournal::operatingThreshold(const QString& modelId) {
    if (modelId.isEmpty())
        return std::optional<ThresholdChange>();
    auto changes = store_.readThresholdChanges(modelId);
    if (!changes)
        return changes.error();
    if (changes->empty())
        return std::optional<ThresholdChange>();
    return std::optional<ThresholdChange>(changes->back());
}

Status AlarmJournal::checkOperatorName(const QString& name) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return Error::badInput(QStringLiteral("the operator name must not be empty"));
    if (trimmed.size() > kMaxOperatorLength)
        return Error::badInput(
            QStringLiteral("the operator name is longer than %1 characters").arg(kMaxOperatorLength));
    if (hasControlCharacter(trimmed, /*allowNewlines=*/false))
        return Error::badInput(QStringLiteral("the operator name contains a control character"));
    if (trimmed.compare(kSystemOperator, Qt::CaseInsensitive) == 0)
        return Error::badInput(
            QStringLiteral("the operator name \"%1\" is reserved for process events").arg(kSystemOperator));
    return {};
}

Status AlarmJournal::checkShelf(qint64 nowMs, qint64 untilMs) {
    if (untilMs <= nowMs)
        return Error::badInput(QStringLiteral("a shelf must end in the future (%1 is not after now, %2)")
                                   .arg(formatUtcTimestamp(untilMs), formatUtcTimestamp(nowMs)));
    if (untilMs - nowMs > kMaxShelveMs)
        return Error::badInput(QStringLiteral("a shelf lasts at most %1 days (until %2 asked)")
                                   .arg(kMaxShelveMs / (24 * 3600 * 1000))
                                   .arg(formatUtcTimestamp(untilMs)));
    return {};
}

Result<qint64> AlarmJournal::parseDuration(const QString& text) {
    const QString t = text.trimmed();
    const auto bad = [&](const QString& why) {
        return Error::badInput(QStringLiteral("invalid shelve duration \"%1\": %2").arg(text, why));
    };
    if (t.size() < 2)
        return bad(QStringLiteral("expected a number and a unit s, m, h or d, e.g. 8h"));
    qint64 unit = 0;
    switch (t.back().toLatin1()) {
        case 's':
            unit = 1000;
            break;
        case 'm':
            unit = 60 * 1000;
            break;
        case 'h':
            unit = 3600 * 1000;
            break;
        case 'd':
            unit = 24 * 3600 * 1000;
            break;
        default:
            return bad(QStringLiteral("expected a unit s, m, h or d, e.g. 8h"));
    }
    bool ok = false;
    const double amount = t.chopped(1).toDouble(&ok);
    if (!ok || !std::isfinite(amount) || t.startsWith(QLatin1Char('+')))
        return bad(QStringLiteral("expected a number and a unit s, m, h or d, e.g. 8h"));
    if (amount <= 0)
        return bad(QStringLiteral("a shelf must last longer than zero"));
    if (amount * double(unit) > double(kMaxShelveMs))
        return bad(QStringLiteral("a shelf lasts at most %1 days").arg(kMaxShelveMs / (24 * 3600 * 1000)));
    return static_cast<qint64>(std::llround(amount * double(unit)));
}

Result<QString> AlarmJournal::faultTypeOf(const OperatorAction& action) const {
    switch (action.faultTypeSource) {
        case FaultTypeSource::None:
            return QString();
        case FaultTypeSource::CatalogFamily: {
            const QStringList families = store_.catalog().families();
            for (const auto& f : families)
                if (f.compare(action.faultType.trimmed(), Qt::CaseInsensitive) == 0)
                    return f;
            return Error::badInput(
                QStringLiteral("unknown fault type \"%1\": the catalog's families are %2 (free text: "
                               "--fault-type-text)")
                    .arg(action.faultType, families.join(u", ")));
        }
        case FaultTypeSource::FreeText:
            if (Status s = checkText(action.faultType, QStringLiteral("the fault type")); !s)
                return s.error();
            return action.faultType.trimmed();
    }
    return QString();
}

Result<std::vector<JournalEntry>> AlarmJournal::act(const QStringList& ids, const OperatorAction& action,
                                                    qint64 nowMs) {
    // Everything about the request is checked before the database is touched.
    if (Status s = checkOperatorName(action.operatorName); !s)
        return s.error();
    if (ids.isEmpty())
        return Error::badInput(QStringLiteral("no alarm id given"));
    nlohmann::json detail = nlohmann::json::object();
    QString faultType;
    switch (action.action) {
        case AlarmAction::Acknowledge:
        case AlarmAction::Unshelve:
            if (!action.note.isEmpty())
                if (Status s = checkText(action.note, QStringLiteral("the note")); !s)
                    return s.error();
            break;
        case AlarmAction::Note:
            if (Status s = checkText(action.note, QStringLiteral("the note")); !s)
                return s.error();
            break;
        case AlarmAction::Shelve:
            if (Status s = checkText(action.note, QStringLiteral("the shelve reason")); !s)
                return s.error();
            if (Status s = checkShelf(nowMs, action.shelveUntilMs); !s)
                return s.error();
            detail = {{"until", utf8(formatUtcTimestamp(action.shelveUntilMs))}};
            break;
        case AlarmAction::Verdict: {
            if (action.verdict == Verdict::None)
                return Error::badInput(QStringLiteral("a verdict is confirmed, false_alarm or unknown"));
            if (action.faultTypeSource != FaultTypeSource::None && action.verdict != Verdict::Confirmed)
                return Error::badInput(QStringLiteral("a fault type goes with a confirmed verdict only"));
            if (!action.note.isEmpty())
                if (Status s = checkText(action.note, QStringLiteral("the note")); !s)
                    return s.error();
            auto type = faultTypeOf(action);
            if (!type)
                return type.error();
            faultType = *type;
            detail = {{"verdict", utf8(verdictName(action.verdict))}};
            if (!faultType.isEmpty()) {
                detail["fault_type"] = utf8(faultType);
                detail["fault_type_source"] =
                    action.faultTypeSource == FaultTypeSource::CatalogFamily ? "catalog_family" : "free_text";
            }
            break;
        }
        default:
            return Error::badInput(
                QStringLiteral("\"%1\" is not an operator action").arg(alarmActionName(action.action)));
    }

    JournalStage stage(store_);
    if (Status s = stage.begin(); !s)
        return s.error();
    auto stored = store_.readAlarms({});
    if (!stored)
        return stored.error();
    QHash<QString, std::size_t> byId;
    for (std::size_t k = 0; k < stored->size(); ++k) byId.insert((*stored)[k].id, k);
    QStringList unique;
    for (const auto& id : ids) {
        if (!byId.contains(id))
            return Error::badInput(QStringLiteral("unknown alarm id \"%1\"").arg(id));
        if (!unique.contains(id))
            unique << id;
    }
    std::vector<JournalEntry> written;
    for (auto& e : expireShelves(*stored, nowMs)) {
        std::vector<JournalEntry> one{e};
        if (Status s = persist((*stored)[byId.value(e.alarmId)], one); !s)
            return s.error();
    }
    const QString operatorName = action.operatorName.trimmed();
    for (const auto& id : unique) {
        AlarmRecord& r = (*stored)[byId.value(id)];
        auto next = applyAlarmEvent(
            r.status, {action.action, nowMs, action.shelveUntilMs, r.status.kind, r.status.suppression});
        if (!next)
            return Error::badInput(
                QStringLiteral("%1 %2: %3").arg(alarmActionName(action.action), id, next.error().message));
        JournalEntry e;
        e.alarmId = id;
        e.atMs = nowMs;
        e.operatorName = operatorName;
        e.action = action.action;
        e.fromState = r.state();
        e.note = action.note;
        e.detailJson = jsonText(detail);
        r.status = *next;
        if (action.action == AlarmAction::Verdict) {
            r.verdict = action.verdict;
            r.faultType = faultType;
        }
        r.updatedMs = nowMs;
        e.toState = r.state();
        std::vector<JournalEntry> one{e};
        if (Status s = persist(r, one); !s)
            return s.error();
        written.push_back(std::move(one.front()));
    }
    if (Status s = stage.commit(); !s)
        return s.error();
    return written;
}

Result<VerdictSummary> AlarmJournal::verdicts(const QStringList& ids) {
    auto stored = store_.readAlarms({});
    if (!stored)
        return stored.error();
    QHash<QString, Verdict> verdictOf;
    for (const auto& r : *stored) verdictOf.insert(r.id, r.verdict);
    VerdictSummary out;
    QSet<QString> seen;
    for (const auto& id : ids) {
        if (seen.contains(id))
            continue;
        seen.insert(id);
        ++out.alarms;
        switch (verdictOf.value(id, Verdict::None)) {
            case Verdict::Confirmed:
                ++out.confirmed;
                break;
            case Verdict::FalseAlarm:
                ++out.falseAlarm;
                break;
            case Verdict::Unknown:
                ++out.unknown;
                break;
            case Verdict::None:
                break;
        }
    }
    return out;
}

nlohmann::json alarmRecordJson(const AlarmRecord& r) {
    const auto textOrNull = [](const QString& s) {
        return s.isEmpty() ? nlohmann::json(nullptr) : nlohmann::json(utf8(s));
    };
    return {{"id", utf8(r.id)},
            {"device", utf8(r.device)},
            {"state", utf8(alarmStateName(r.state()))},
            {"priority", priorityName(r.priority)},
            {"kind", utf8(incidentKindName(r.status.kind))},
            {"suppression", textOrNull(suppressionName(r.status.suppression))},
            {"active", r.status.active},
            {"acknowledged", r.status.acked},
            {"shelved_until", timeOrNull(r.status.shelvedUntilMs)},
            {"cause", utf8(r.cause)},
            {"rule_id", utf8(r.ruleId)},
            {"first_start", utf8(formatUtcTimestamp(r.firstStartMs))},
            {"span_end", utf8(formatUtcTimestamp(r.spanEndMs))},
            {"start", utf8(formatUtcTimestamp(r.startMs))},
            {"raised", utf8(formatUtcTimestamp(r.raisedMs))},
            {"end", utf8(formatUtcTimestamp(r.endMs))},
            {"cleared", timeOrNull(r.clearedMs)},
            {"peak", utf8(formatUtcTimestamp(r.peakMs))},
            {"peak_score", r.peakScore},
            {"reopened", r.reopened},
            {"verdict", textOrNull(verdictName(r.verdict))},
            {"fault_type", textOrNull(r.faultType)},
            {"created", utf8(formatUtcTimestamp(r.createdMs))},
            {"updated", utf8(formatUtcTimestamp(r.updatedMs))}};
}

nlohmann::json journalEntryJson(const JournalEntry& e) {
    auto detail = parseJson(e.detailJson.toUtf8(), QStringLiteral("journal detail"));
    return {{"id", e.id},
            {"alarm_id", utf8(e.alarmId)},
            {"at", utf8(formatUtcTimestamp(e.atMs))},
            {"operator", utf8(e.operatorName)},
            {"action", utf8(alarmActionName(e.action))},
            {"from_state",
             e.fromState ? nlohmann::json(utf8(alarmStateName(*e.fromState))) : nlohmann::json(nullptr)},
            {"to_state", utf8(alarmStateName(e.toState))},
            {"note", utf8(e.note)},
            {"detail", detail ? *detail : nlohmann::json::object()}};
}

QByteArray journalCsv(const std::vector<JournalEntry>& entries) {
    auto field = [](const QString& s) {
        if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
            !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
            return s;
        QString quoted = s;
        quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + quoted + QLatin1Char('"');
    };
    QString out = QStringLiteral("id,alarm_id,at,operator,action,from_state,to_state,note,detail\n");
    for (const auto& e : entries) {
        const QStringList fields = {QString::number(e.id),
                                    e.alarmId,
                                    formatUtcTimestamp(e.atMs),
                                    e.operatorName,
                                    alarmActionName(e.action),
                                    e.fromState ? alarmStateName(*e.fromState) : QString(),
                                    alarmStateName(e.toState),
                                    e.note,
                                    e.detailJson};
        QStringList quoted;
        for (const auto& f : fields) quoted << field(f);
        out += quoted.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

nlohmann::json thresholdChangeJson(const ThresholdChange& c) {
    return {{"id", c.id},
            {"model_id", utf8(c.modelId)},
            {"at", utf8(formatUtcTimestamp(c.atMs))},
            {"operator", utf8(c.operatorName)},
            {"from_threshold", c.fromThreshold},
            {"to_threshold", c.toThreshold},
            {"note", utf8(c.note)}};
}

nlohmann::json journalExportJson(const std::vector<JournalEntry>& entries,
                                 const std::vector<ThresholdChange>& changes) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& e : entries) rows.push_back(journalEntryJson(e));
    nlohmann::json thresholds = nlohmann::json::array();
    for (const auto& c : changes) thresholds.push_back(thresholdChangeJson(c));
    return {{"schema_version", AlarmJournal::kJsonSchemaVersion},
            {"journal", std::move(rows)},
            {"threshold_changes", std::move(thresholds)}};
}

std::array<int, kAlarmStateCount> countByState(const std::vector<AlarmRecord>& alarms) {
    std::array<int, kAlarmStateCount> counts{};
    for (const auto& a : alarms) ++counts[std::size_t(a.state())];
    return counts;
}

Result<QStringList> exportJournal(Store& store, const QString& dir) {
    auto entries = store.readJournal({});
    if (!entries)
        return entries.error();
    auto changes = store.readThresholdChanges({});
    if (!changes)
        return changes.error();
    const QDir target(dir);
    if (!target.exists())
        return Error::badInput(QStringLiteral("the export directory does not exist"), dir);
    const QString csvPath = target.filePath(QString::fromLatin1(kJournalCsvFile));
    const QString jsonPath = target.filePath(QString::fromLatin1(kJournalJsonFile));
    const QString database = Store::filePathOf(store.description());  // empty for a server
    for (const QString& path : {csvPath, jsonPath})
        if (Status s = checkOutputIsNotAnInput(path, {database}); !s)
            return s.error();
    if (Status s = writeOutputFile(csvPath, journalCsv(*entries)); !s)
        return s.error();
    const std::string json = journalExportJson(*entries, *changes).dump(2) + "\n";
    if (Status s = writeOutputFile(jsonPath, QByteArray::fromStdString(json)); !s)
        return s.error();
    return QStringList{csvPath, jsonPath};
}

nlohmann::json verdictSummaryJson(const VerdictSummary& s) {
    const auto precision = s.precision();
    return {{"scope", "alarms of this run that reach the operator, by their journal verdicts"},
            {"alarms", s.alarms},
            {"judged", s.judged()},
            {"unjudged", s.unjudged()},
            {"confirmed", s.confirmed},
            {"false_alarm", s.falseAlarm},
            {"unknown", s.unknown},
            {"precision", precision ? nlohmann::json(*precision) : nlohmann::json(nullptr)}};
}

}  // namespace itap
