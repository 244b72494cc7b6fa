#include "alerts/alarm_kpis.h"

#include "common/time_util.h"

#include <QHash>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace itap {

std::vector<LabelledEpisode> labelledEpisodes(const ScoreTable& table) {
    std::vector<LabelledEpisode> out;
    if (!table.hasLabels)
        return out;
    const std::size_t rows = std::min({table.tsMs.size(), table.device.size(), table.faultTag.size()});
    for (std::size_t r = 0; r < rows; ++r) {
        const QString& tag = table.faultTag[r];
        if (tag.isEmpty())
            continue;
        const bool evaluated = r >= table.train.size() || table.train[r] != kTrainSpan;
        if (!out.empty() && r > 0 && out.back().device == table.device[r] &&
            table.device[r - 1] == table.device[r] && table.faultTag[r - 1] == tag) {
            out.back().endMs = table.tsMs[r];
            out.back().evaluated = out.back().evaluated || evaluated;
            continue;
        }
        out.push_back(LabelledEpisode{table.device[r], tag, table.tsMs[r], table.tsMs[r], evaluated});
    }
    return out;
}

std::vector<qint64> evaluationStartMs(const ScoreTable& table) {
    constexpr qint64 kNever = std::numeric_limits<qint64>::max();
    const auto devices = static_cast<std::size_t>(std::max<qsizetype>(table.devices.size(), 0));
    std::vector<qint64> from(devices, kNever);  // a device without rows is never evaluated
    std::vector<bool> seen(devices, false);
    const std::size_t rows = std::min(table.tsMs.size(), table.device.size());
    for (std::size_t r = 0; r < rows; ++r) {
        const int d = table.device[r];
        if (d < 0 || std::size_t(d) >= devices)
            continue;
        const bool train = r < table.train.size() && table.train[r] == kTrainSpan;
        if (!seen[std::size_t(d)]) {
            seen[std::size_t(d)] = true;
            from[std::size_t(d)] = train ? kNever : table.tsMs[r];
        } else if (train) {
            from[std::size_t(d)] = kNever;
        } else if (from[std::size_t(d)] == kNever) {
            from[std::size_t(d)] = table.tsMs[r];
        }
    }
    return from;
}

EpisodeMatch matchEpisodes(const std::vector<DeviceInterval>& intervals,
                           const std::vector<LabelledEpisode>& episodes, qint64 toleranceMs) {
    EpisodeMatch m;
    m.intervalMatched.assign(intervals.size(), false);
    m.episodeCaught.assign(episodes.size(), false);
    // Episodes by device, ascending start; intervals looked up by binary search on the episode's end.
    QHash<int, std::vector<std::size_t>> byDevice;
    for (std::size_t e = 0; e < episodes.size(); ++e) byDevice[episodes[e].device].push_back(e);
    for (auto& list : byDevice)
        std::sort(list.begin(), list.end(),
                  [&](std::size_t a, std::size_t b) { return episodes[a].startMs < episodes[b].startMs; });
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        const DeviceInterval& iv = intervals[i];
        const auto it = byDevice.constFind(iv.device);
        if (it == byDevice.constEnd())
            continue;
        for (const std::size_t e : *it) {
            const LabelledEpisode& ep = episodes[e];
            if (ep.startMs > iv.endMs)
                break;
            if (iv.startMs <= ep.endMs + toleranceMs) {
                m.intervalMatched[i] = true;
                m.episodeCaught[e] = true;
            }
        }
    }
    return m;
}

KpiInputs KpiInputs::of(const ScoreTable& table) {
    KpiInputs in;
    in.evalFrom = evaluationStartMs(table);
    in.episodes = labelledEpisodes(table);
    if (!table.tsMs.empty()) {
        const auto [lo, hi] = std::minmax_element(table.tsMs.begin(), table.tsMs.end());
        in.firstMs = *lo;
        in.lastMs = *hi;
    }
    return in;
}

AlarmKpis computeAlarmKpis(const std::vector<Alert>& incidents, const std::vector<FleetIncident>& fleet,
                           const ScoreTable& table, qint64 matchToleranceMs, KpiScope scope) {
    return computeAlarmKpis(incidents, fleet, table, KpiInputs::of(table), matchToleranceMs, scope);
}

AlarmKpis computeAlarmKpis(const std::vector<Alert>& incidents, const std::vector<FleetIncident>& fleet,
                           const ScoreTable& table, const KpiInputs& inputs, qint64 matchToleranceMs,
                           KpiScope scope) {
    AlarmKpis k;
    k.scope = scope;
    const int deviceCount = static_cast<int>(table.devices.size());
    QHash<QString, int> deviceIndex;
    for (int d = 0; d < deviceCount; ++d) deviceIndex.insert(table.devices[d], d);

    constexpr qint64 kNever = std::numeric_limits<qint64>::max();
    const std::vector<qint64>& evalFrom = inputs.evalFrom;
    if (inputs.lastMs < inputs.firstMs || evalFrom.size() != std::size_t(std::max(deviceCount, 0)))
        return k;
    const qint64 first = inputs.firstMs, last = inputs.lastMs;
    qint64 scopeFrom = first;
    if (scope == KpiScope::Evaluation) {
        scopeFrom = *std::min_element(evalFrom.begin(), evalFrom.end());
        if (scopeFrom == kNever)
            return k;
    }
    k.fromMs = scopeFrom;
    k.toMs = last;

    auto deviceOf = [&](const Alert& a) { return deviceIndex.value(a.device, -1); };
    auto inScope = [&](const Alert& a) {
        if (scope == KpiScope::All)
            return true;
        const int d = deviceOf(a);
        return d >= 0 && a.startMs >= evalFrom[std::size_t(d)];
    };

    struct Annunciation {
        qint64 tsMs;
        QString key;
    };
    std::vector<Annunciation> annunciations;
    std::vector<std::size_t> scoped;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        const Alert& a = incidents[i];
        if (!inScope(a))
            continue;
        scoped.push_back(i);
        ++k.incidents;
        if (a.kind == IncidentKind::Event) {
            ++k.events;
            continue;
        }
        if (a.suppression != Suppression::None) {
            ++k.suppressed;
            continue;
        }
        if (a.carriedByFleet) {
            ++k.carriedByFleet;
            continue;
        }
        annunciations.push_back({a.raisedMs, a.device + QStringLiteral(" · ") + a.cause});
        ++k.byPriority[std::size_t(a.severity)];
        if (a.active()) {
            ++k.standing;
            if (last - a.raisedMs > 86'400'000)
                ++k.standingOver24h;
        }
        if (a.families.empty())
            ++k.unexplained;
        else if (a.described)
            ++k.described;
    }
    std::vector<bool> fleetInScope(fleet.size(), false);
    for (std::size_t f = 0; f < fleet.size(); ++f) {
        for (std::size_t c : fleet[f].children)
            fleetInScope[f] = fleetInScope[f] || (c < incidents.size() && inScope(incidents[c]));
        if (!fleetInScope[f])
            continue;
        ++k.fleetIncidents;
        annunciations.push_back({fleet[f].raisedMs, QStringLiteral("fleet · ") + fleet[f].cause});
        ++k.byPriority[std::size_t(fleet[f].severity)];
    }
    k.annunciated = static_cast<int>(annunciations.size());

    // Rates per 10-minute period from the start of the scope.
    k.periods = static_cast<int>((k.toMs - k.fromMs) / kRatePeriodMs) + 1;
    k.perPeriod.assign(std::size_t(k.periods), 0);
    for (const Annunciation& a : annunciations) {
        const qint64 p = std::clamp<qint64>((a.tsMs - k.fromMs) / kRatePeriodMs, 0, k.periods - 1);
        ++k.perPeriod[std::size_t(p)];
    }
    for (int n : k.perPeriod) {
        k.perPeriodPeak = std::max(k.perPeriodPeak, n);
        k.periodsInFlood += n > kFloodPerPeriod ? 1 : 0;
    }
    k.perPeriodAverage = double(k.annunciated) / double(k.periods);

    // Top contributors by (device, cause).
    QHash<QString, int> counts;
    for (const Annunciation& a : annunciations) ++counts[a.key];
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        k.topContributors.emplace_back(it.key(), it.value());
    std::sort(k.topContributors.begin(), k.topContributors.end(), [](const auto& x, const auto& y) {
        return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    if (k.topContributors.size() > 10)
        k.topContributors.resize(10);
    int top = 0;
    for (const auto& [key, n] : k.topContributors) top += n;
    k.top10Share = k.annunciated > 0 ? double(top) / k.annunciated : 0.0;

    // Chattering: a device annunciating again soon after its previous alarm cleared.
    QHash<QString, std::vector<std::size_t>> perDevice;
    for (std::size_t i : scoped)
        if (incidents[i].annunciated())
            perDevice[incidents[i].device].push_back(i);
    for (auto& list : perDevice) {
        std::sort(list.begin(), list.end(), [&](std::size_t x, std::size_t y) {
            return incidents[x].raisedMs < incidents[y].raisedMs;
        });
        for (std::size_t j = 1; j < list.size(); ++j) {
            const Alert& prev = incidents[list[j - 1]];
            if (prev.clearedMs >= 0 && incidents[list[j]].raisedMs - prev.clearedMs < kChatterWindowMs)
                ++k.chattering;
        }
    }

    if (!table.hasLabels)
        return k;
    k.labelled = true;
    std::vector<LabelledEpisode> episodes = inputs.episodes;
    if (scope == KpiScope::Evaluation)
        std::erase_if(episodes, [](const LabelledEpisode& e) { return !e.evaluated; });
    k.episodes = static_cast<int>(episodes.size());
    // Alarms that are not suppressed (annunciated alone or through their fleet incident) catch episodes. Any
    // such alarm catches one, in scope or not: an episode that straddles the evaluated span's start is caught
    // by the alarm raised just before it (which the figures above do not count). Precision counts the alarms
    // in scope only.
    std::vector<DeviceInterval> intervals;
    std::vector<std::size_t> intervalIncident;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        const Alert& a = incidents[i];
        if (!a.reachesOperator())
            continue;
        intervals.push_back({deviceOf(a), a.startMs, std::max(a.endMs, a.startMs)});
        intervalIncident.push_back(i);
    }
    const EpisodeMatch m = matchEpisodes(intervals, episodes, matchToleranceMs);
    std::vector<bool> incidentMatched(incidents.size(), false);
    for (std::size_t j = 0; j < intervals.size(); ++j)
        incidentMatched[intervalIncident[j]] = m.intervalMatched[j];
    for (std::size_t i : scoped)
        if (incidents[i].annunciated() && incidentMatched[i])
            ++k.truePositives;
    for (std::size_t f = 0; f < fleet.size(); ++f) {
        if (!fleetInScope[f])
            continue;
        bool any = false;
        for (std::size_t c : fleet[f].children)
            any = any || (c < incidentMatched.size() && incidentMatched[c]);
        k.truePositives += any ? 1 : 0;
    }
    k.incidentPrecision = k.annunciated > 0 ? double(k.truePositives) / k.annunciated : 0.0;
    k.perEpisode = k.episodes > 0 ? double(k.annunciated) / k.episodes : 0.0;
    for (std::size_t e = 0; e < episodes.size(); ++e) {
        auto& [caught, total] = k.recallByFault[episodes[e].tag];
        ++total;
        caught += m.episodeCaught[e] ? 1 : 0;
    }
    return k;
}

QString formatAlarmKpis(const AlarmKpis& k) {
    QString out;
    const QString span =
        k.scope == KpiScope::All ? QStringLiteral("all data") : QStringLiteral("evaluated span");
    out += QStringLiteral("== Alarm KPIs (%1, %2 to %3; EEMUA 191 / ISA-18.2)\n")
               .arg(span, formatUtcTimestampHuman(k.fromMs), formatUtcTimestampHuman(k.toMs));
    out += QStringLiteral(
               "incidents %1: %2 annunciated (%3 fleet incidents, %4 alarms carried by them), %5 events, "
               "%6 suppressed by design\n")
               .arg(k.incidents)
               .arg(k.annunciated)
               .arg(k.fleetIncidents)
               .arg(k.carriedByFleet)
               .arg(k.events)
               .arg(k.suppressed);
    out += QStringLiteral("annunciated per 10 min: average %1, peak %2, periods above %3: %4 of %5 (%6 %)\n")
               .arg(k.perPeriodAverage, 0, 'f', 2)
               .arg(k.perPeriodPeak)
               .arg(kFloodPerPeriod)
               .arg(k.periodsInFlood)
               .arg(k.periods)
               .arg(100.0 * k.floodShare(), 0, 'f', 1);
    out += QStringLiteral(
               "priority: high %1, medium %2, low %3; chattering %4; standing %5 (over 24 h: %6); "
               "no rule, described by the dominant family %8; no attribution at all %7\n")
               .arg(k.byPriority[std::size_t(Severity::Critical)])
               .arg(k.byPriority[std::size_t(Severity::Warning)])
               .arg(k.byPriority[std::size_t(Severity::Info)])
               .arg(k.chattering)
               .arg(k.standing)
               .arg(k.standingOver24h)
               .arg(k.unexplained)
               .arg(k.described);
    QStringList top;
    for (std::size_t i = 0; i < k.topContributors.size() && i < 3; ++i)
        top << QStringLiteral("%1 (%2)").arg(k.topContributors[i].first).arg(k.topContributors[i].second);
    out += QStringLiteral("top 10 contributors: %1 % of annunciations%2\n")
               .arg(100.0 * k.top10Share, 0, 'f', 1)
               .arg(top.isEmpty() ? QString() : QStringLiteral("; most: ") + top.join(QStringLiteral(", ")));
    if (k.labelled) {
        out += QStringLiteral(
                   "with labels: %1 fault episodes, %2 annunciations per episode, incident precision "
                   "%3 (%4 of %5 overlap an episode)\n")
                   .arg(k.episodes)
                   .arg(k.perEpisode, 0, 'f', 2)
                   .arg(k.incidentPrecision, 0, 'f', 3)
                   .arg(k.truePositives)
                   .arg(k.annunciated);
        QStringList recall;
        for (auto it = k.recallByFault.constBegin(); it != k.recallByFault.constEnd(); ++it)
            recall << QStringLiteral("%1 %2/%3").arg(it.key()).arg(it->first).arg(it->second);
        out += QStringLiteral("event recall by fault: %1\n").arg(recall.join(QStringLiteral(", ")));
    }
    return out;
}

nlohmann::json alarmKpisToJson(const AlarmKpis& k) {
    using Json = nlohmann::json;
    Json top = Json::array();
    for (const auto& [key, n] : k.topContributors)
        top.push_back({{"source", key.toStdString()}, {"annunciations", n}});
    Json j = {{"scope", k.scope == KpiScope::All ? "all" : "evaluation"},
              {"from", formatUtcTimestamp(k.fromMs).toStdString()},
              {"to", formatUtcTimestamp(k.toMs).toStdString()},
              {"incidents", k.incidents},
              {"annunciated", k.annunciated},
              {"events", k.events},
              {"suppressed", k.suppressed},
              {"fleet_incidents", k.fleetIncidents},
              {"carried_by_fleet", k.carriedByFleet},
              {"periods_10min", k.periods},
              {"per_10min_average", k.perPeriodAverage},
              {"per_10min_peak", k.perPeriodPeak},
              {"periods_in_flood", k.periodsInFlood},
              {"flood_share", k.floodShare()},
              {"chattering", k.chattering},
              {"standing", k.standing},
              {"standing_over_24h", k.standingOver24h},
              {"unexplained", k.unexplained},
              {"described_by_family", k.described},
              {"top10_share", k.top10Share},
              {"top_contributors", top},
              {"by_priority",
               {{"high", k.byPriority[std::size_t(Severity::Critical)]},
                {"medium", k.byPriority[std::size_t(Severity::Warning)]},
                {"low", k.byPriority[std::size_t(Severity::Info)]}}}};
    if (k.labelled) {
        Json recall = Json::object();
        for (auto it = k.recallByFault.constBegin(); it != k.recallByFault.constEnd(); ++it)
            recall[it.key().toStdString()] = {
                {"caught", it->first},
                {"episodes", it->second},
                {"recall", it->second > 0 ? double(it->first) / it->second : 0.0}};
        j["labels"] = {{"episodes", k.episodes},
                       {"true_positives", k.truePositives},
                       {"incident_precision", k.incidentPrecision},
                       {"annunciations_per_episode", k.perEpisode},
                       {"event_recall_by_fault", recall}};
    } else {
        j["labels"] = nullptr;
    }
    return j;
}

}  // namespace itap
