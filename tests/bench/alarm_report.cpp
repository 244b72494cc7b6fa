// alarm_report: what the operator gets from the alarm system on a simulated fleet, measured against the
// floors of the incidents issue (EEMUA 191 / ISA-18.2 alarm rates). Prints what it measured; asserts nothing.
//
//   alarm_report [fleet options of quality_report] [--scope evaluation|all]
//
// At the default operating point (analyse() with default options). "evaluation" (default) counts the
// incidents starting after each device's training span and the fault episodes with evaluated rows; "all"
// counts everything the console shows.
#include "alerts/alarm_kpis.h"
#include "alerts/alert_report.h"
#include "bench_fleet.h"
#include "common/time_util.h"
#include "pipeline/analysis.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>

#include <cstdio>
#include <map>

using namespace itap;

namespace {

// Whether an incident's cause names the injected fault's family: the shipped rule for it or, when no rule
// matched, a description by the right family ("Temperature deviation" for an overheat). A dropout may be
// named by data quality or by the family of the dropped channel.
bool causeMatches(const QString& tag, const Alert& inc, const QString& droppedFamily) {
    const QString family = inc.described ? inc.families.front().family : QString();
    if (tag == fault::kOverheat)
        return inc.ruleId == QLatin1String("thermal_overload") || family == QLatin1String("Temperature");
    if (tag == fault::kBearingWear)
        return inc.ruleId == QLatin1String("mechanical_wear") || family == QLatin1String("Vibration") ||
               family == QLatin1String("RPM");
    if (tag == fault::kPowerSpike)
        return inc.ruleId == QLatin1String("power_instability") ||
               inc.ruleId == QLatin1String("electrical_noise") || family == QLatin1String("Voltage") ||
               family == QLatin1String("Current");
    if (tag == fault::kSensorDropout)
        return inc.ruleId == QLatin1String("sensor_fault") || family == family::kMissingness ||
               (!droppedFamily.isEmpty() && family == droppedFamily);
    return false;
}

int fail(const Error& e) {
    std::fprintf(stderr, "alarm_report: %s\n", qPrintable(e.toString()));
    return 1;
}

const char* verdict(bool ok) {
    return ok ? "met" : "NOT met";
}

}  // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    bench::addFleetOptions(p);
    p.addOption({"scope", "evaluation (default) or all.", "S", "evaluation"});
    p.addOption({"curve", "Print every threshold the operating-point rule tried."});
    p.process(app);
    const bool all = p.value("scope") == QLatin1String("all");

    auto sim = bench::simulateFleet(p);
    if (!sim)
        return fail(sim.error());
    auto trained = trainModel(*sim->store, sim->config, {});
    if (!trained)
        return fail(trained.error());
    auto scored =
        scoreWithModel(*sim->store, std::move(trained->model), AnalysisOptions{}, {}, &trained->fleet);
    if (!scored)
        return fail(scored.error());
    const Analysis& a = scored->analysis;
    const ScoreTable& t = scored->fleet.table;
    const AlarmKpis& k = all ? a.kpis : a.kpisEvaluated;
    const SimulationProfile& profile = sim->profile;

    std::printf("Fleet: %d devices x %d h at %d s, seed %llu; threshold %.4f (%s); ROC-AUC %.4f\n",
                profile.devices, profile.hours, profile.intervalS,
                static_cast<unsigned long long>(profile.seed), a.threshold, qPrintable(a.thresholdRule),
                a.metrics.rocAuc.value_or(-1));
    std::printf("Scope: %s; %d flagged rows became %d incidents\n\n", all ? "all data" : "evaluated span",
                int(a.flagged.size()), k.incidents);
    std::printf("%s", qPrintable(formatAlarmKpis(k)));
    if (p.isSet("curve")) {
        std::printf("\nOperating-point search (%s):\n%10s %10s %10s %10s\n", qPrintable(a.thresholdRule),
                    "threshold", "incidents", "precision", "recall");
        for (const OperatingCurvePoint& c : a.operatingCurve)
            std::printf("%10.4f %10d %10.3f %10.3f\n", c.threshold, c.incidents, c.incidentPrecision,
                        c.eventRecall);
    }

    // Cause per fault type, over the annunciated incidents in scope that overlap an episode (their most
    // common tag), and the annunciated incidents no rule explains.
    const std::vector<qint64> evalFrom = evaluationStartMs(t);
    QHash<QString, int> deviceIndex;
    for (int d = 0; d < t.devices.size(); ++d) deviceIndex.insert(t.devices[d], d);
    std::map<QString, std::pair<int, int>> causeByFault;  // tag → (cause matches, incidents)
    int unclassified = 0;
    for (const Alert& inc : a.alerts) {
        const int d = deviceIndex.value(inc.device, -1);
        if (!all && (d < 0 || inc.startMs < evalFrom[std::size_t(d)]))
            continue;
        if (!inc.reachesOperator())
            continue;
        if (inc.families.empty())
            ++unclassified;
        if (inc.faultTag.isEmpty())
            continue;
        QString dropped;  // the family of the channel the simulator dropped, for a dropout
        for (const SimulatedEpisode& e : sim->episodes)
            if (e.tag == fault::kSensorDropout && e.deviceId == inc.device && e.startMs <= inc.endMs &&
                inc.startMs <= e.endMs)
                for (int c = 0; c < sim->catalog.size(); ++c)
                    if (sim->catalog.channel(c).name == e.channel)
                        dropped = sim->catalog.channel(c).family;
        auto& [ok, n] = causeByFault[inc.faultTag];
        ++n;
        ok += causeMatches(inc.faultTag, inc, dropped) ? 1 : 0;
    }

    // How rare each annunciated peak is under normal operation (the urgency of the priority matrix).
    if (const auto& tail = a.incidentInputs->normalTail) {
        std::vector<double> decades;
        for (const Alert& inc : a.alerts) {
            const int d = deviceIndex.value(inc.device, -1);
            if (inc.reachesOperator() && (all || (d >= 0 && inc.startMs >= evalFrom[std::size_t(d)])))
                decades.push_back(AlertRules::urgencyDecades(inc.peakFiltered, a.threshold, *tail));
        }
        std::sort(decades.begin(), decades.end());
        auto q = [&](double f) {
            return decades.empty() ? 0.0 : decades[std::size_t(f * double(decades.size() - 1))];
        };
        std::printf(
            "\nUrgency of annunciated peaks (decades of rarity beyond T under normal operation; P(normal >= "
            "T) "
            "= %.2g): min %.2f, median %.2f, 90 %% %.2f, max %.2f\n",
            tail->upperTail(a.threshold), q(0), q(0.5), q(0.9), q(1));
    }

    // The episodes in scope no annunciated alarm caught, with what they looked like to the alarm system.
    const std::vector<float>& filtered = a.incidentInputs->filtered;
    std::printf("\nEpisodes not caught by an annunciated alarm:\n");
    for (const LabelledEpisode& e : labelledEpisodes(t)) {
        if (!all && !e.evaluated)
            continue;
        float peak = 0, peakFiltered = 0;
        int rows = 0;
        for (std::size_t r = 0; r < t.size(); ++r)
            if (t.device[r] == e.device && t.tsMs[r] >= e.startMs && t.tsMs[r] <= e.endMs) {
                peak = std::max(peak, t.score[r]);
                peakFiltered = std::max(peakFiltered, filtered[r]);
                ++rows;
            }
        const Alert* overlapping = nullptr;
        bool caught = false;
        for (const Alert& inc : a.alerts) {
            if (inc.device != t.devices[e.device] || inc.startMs > e.endMs + 300000 || inc.endMs < e.startMs)
                continue;
            overlapping = &inc;
            caught = caught || inc.reachesOperator();
        }
        if (caught)
            continue;
        std::printf(
            "  %-15s %s %s, %d rows: peak score %.3f, peak filtered %.3f (threshold %.3f)%s\n",
            qPrintable(e.tag), qPrintable(t.devices[e.device]),
            qPrintable(formatUtcTimestampHuman(e.startMs)), rows, double(peak), double(peakFiltered),
            a.threshold,
            overlapping
                ? qPrintable(
                      QStringLiteral("; incident %1: %2, %3 [%6], conf %4, margin %5")
                          .arg(overlapping->id, incidentKindName(overlapping->kind), overlapping->cause,
                               topFamiliesText(overlapping->families))
                          .arg(overlapping->confidence, 0, 'f', 2)
                          .arg(AlertRules::relativeMargin(overlapping->peakFiltered, a.threshold), 0, 'f', 2))
                : "; no incident");
    }

    // The annunciated alarms in scope that overlap no episode (within the match tolerance): the false ones.
    std::printf("\nAnnunciated alarms on no fault episode:\n");
    const qint64 tolerance = AlertRules::defaults().incidents().matchToleranceMs();
    const std::vector<LabelledEpisode> episodes = labelledEpisodes(t);
    for (const Alert& inc : a.alerts) {
        const int d = deviceIndex.value(inc.device, -1);
        if (!inc.reachesOperator() || (!all && (d < 0 || inc.startMs < evalFrom[std::size_t(d)])))
            continue;
        const bool onEpisode = std::any_of(episodes.begin(), episodes.end(), [&](const LabelledEpisode& e) {
            return e.device == d && inc.startMs <= e.endMs + tolerance && inc.endMs >= e.startMs;
        });
        if (onEpisode)
            continue;
        QString diagnostics;
        for (const SignalDiagnostic& s : inc.diagnostics)
            diagnostics += QStringLiteral(" %1 %2 from %3 to %4;")
                               .arg(s.channel, signalConditionName(s.condition),
                                    formatUtcTimestampHuman(s.firstMs), formatUtcTimestampHuman(s.lastMs));
        std::printf("  %s %s, %d rows: %s [%s], conf %.2f, margin %.2f, %s%s\n", qPrintable(inc.device),
                    qPrintable(formatUtcTimestampHuman(inc.startMs)), inc.rows, qPrintable(inc.cause),
                    qPrintable(topFamiliesText(inc.families)), inc.confidence,
                    AlertRules::relativeMargin(inc.peakFiltered, a.threshold),
                    qPrintable(opStateName(inc.state)), qPrintable(diagnostics));
    }

    std::printf("\nFloors (issue: incidents, not flags)\n");
    const double ratio = k.episodes > 0 ? double(k.annunciated) / k.episodes : 0;
    std::printf("  annunciated <= 1.5 x episodes:   %d for %d episodes (%.2f)  %s\n", k.annunciated,
                k.episodes, ratio, verdict(k.episodes > 0 && ratio <= 1.5));
    std::printf("  incident precision >= 0.85:      %.3f  %s\n", k.incidentPrecision,
                verdict(k.incidentPrecision >= 0.85));
    for (auto it = k.recallByFault.constBegin(); it != k.recallByFault.constEnd(); ++it) {
        const double r = it->second > 0 ? double(it->first) / it->second : 0;
        std::printf("  event recall %-15s >= 0.95: %d/%d (%.3f)  %s\n", qPrintable(it.key()), it->first,
                    it->second, r, verdict(r >= 0.95));
    }
    std::printf("  average per 10 min <= 1:         %.3f  %s\n", k.perPeriodAverage,
                verdict(k.perPeriodAverage <= 1));
    std::printf("  no 10-min period above 10:       peak %d  %s\n", k.perPeriodPeak,
                verdict(k.periodsInFlood == 0));
    std::printf("  no chattering (10 min):          %d  %s\n", k.chattering, verdict(k.chattering == 0));
    std::printf(
        "  no annunciated unclassified:     %d without attribution (%d more described by their dominant "
        "family)  %s\n",
        unclassified, k.described, verdict(unclassified == 0));
    for (const auto& [tag, counts] : causeByFault) {
        const double share = counts.second > 0 ? double(counts.first) / counts.second : 0;
        std::printf("  cause matches %-15s >= 0.9: %d/%d (%.3f)  %s\n", qPrintable(tag), counts.first,
                    counts.second, share, verdict(share >= 0.9));
    }
    return 0;
}
