// alarm_report: what the operator gets from the alarm system on a simulated fleet, measured against the floors of
// the incidents issue (EEMUA 191 / ISA-18.2 alarm rates). Prints what it measured; asserts nothing.
//
//   alarm_report [fleet options of quality_report] [--scope evaluation|all]
//
// At the default operating point (analyse() with default options). "evaluation" (default) counts the
// incidents starting after each device's training span and the fault episodes with evaluated rows; "all"
// counts everything the console shows.
#include "alerts/alarm_kpis.h"
#include "bench_fleet.h"
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

// The cause rules that name each injected fault correctly (the shipped rules file).
bool causeMatches(const QString& tag, const QString& ruleId) {
    if (tag == fault::kOverheat)
        return ruleId == QLatin1String("thermal_overload");
    if (tag == fault::kBearingWear)
        return ruleId == QLatin1String("mechanical_wear");
    if (tag == fault::kPowerSpike)
        return ruleId == QLatin1String("power_instability") || ruleId == QLatin1String("electrical_noise");
    if (tag == fault::kSensorDropout)
        return ruleId == QLatin1String("sensor_fault");
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
    p.process(app);
    const bool all = p.value("scope") == QLatin1String("all");

    auto sim = bench::simulateFleet(p);
    if (!sim)
        return fail(sim.error());
    auto trained = trainModel(*sim->store, sim->config, {});
    if (!trained)
        return fail(trained.error());
    auto scored = scoreWithModel(*sim->store, std::move(trained->model), AnalysisOptions{}, {}, &trained->fleet);
    if (!scored)
        return fail(scored.error());
    const Analysis& a = scored->analysis;
    const ScoreTable& t = scored->fleet.table;
    const AlarmKpis& k = all ? a.kpis : a.kpisEvaluated;
    const SimulationProfile& profile = sim->profile;

    std::printf("Fleet: %d devices x %d h at %d s, seed %llu; threshold %.4f (%s); ROC-AUC %.4f\n", profile.devices,
                profile.hours, profile.intervalS, static_cast<unsigned long long>(profile.seed), a.threshold,
                qPrintable(a.thresholdRule), a.metrics.rocAuc.value_or(-1));
    std::printf("Scope: %s; %d flagged rows became %d incidents\n\n", all ? "all data" : "evaluated span",
                int(a.flagged.size()), k.incidents);
    std::printf("%s", qPrintable(formatAlarmKpis(k)));

    // Cause per fault type, over the annunciated incidents in scope that overlap an episode (their most common
    // tag), and the annunciated incidents no rule explains.
    const std::vector<qint64> evalFrom = evaluationStartMs(t);
    QHash<QString, int> deviceIndex;
    for (int d = 0; d < t.devices.size(); ++d) deviceIndex.insert(t.devices[d], d);
    std::map<QString, std::pair<int, int>> causeByFault;  // tag → (cause matches, incidents)
    int unclassified = 0;
    for (const Alert& inc : a.alerts) {
        const int d = deviceIndex.value(inc.device, -1);
        if (!all && (d < 0 || inc.startMs < evalFrom[std::size_t(d)]))
            continue;
        if (inc.kind != IncidentKind::Alarm || inc.suppression != Suppression::None)
            continue;
        if (inc.confidence <= 0)
            ++unclassified;
        if (inc.faultTag.isEmpty())
            continue;
        auto& [ok, n] = causeByFault[inc.faultTag];
        ++n;
        ok += causeMatches(inc.faultTag, inc.ruleId) ? 1 : 0;
    }

    std::printf("\nFloors (issue: incidents, not flags)\n");
    const double ratio = k.episodes > 0 ? double(k.annunciated) / k.episodes : 0;
    std::printf("  annunciated <= 1.5 x episodes:   %d for %d episodes (%.2f)  %s\n", k.annunciated, k.episodes, ratio,
                verdict(k.episodes > 0 && ratio <= 1.5));
    std::printf("  incident precision >= 0.85:      %.3f  %s\n", k.incidentPrecision, verdict(k.incidentPrecision >= 0.85));
    for (auto it = k.recallByFault.constBegin(); it != k.recallByFault.constEnd(); ++it) {
        const double r = it->second > 0 ? double(it->first) / it->second : 0;
        std::printf("  event recall %-15s >= 0.95: %d/%d (%.3f)  %s\n", qPrintable(it.key()), it->first, it->second, r,
                    verdict(r >= 0.95));
    }
    std::printf("  average per 10 min <= 1:         %.3f  %s\n", k.perPeriodAverage, verdict(k.perPeriodAverage <= 1));
    std::printf("  no 10-min period above 10:       peak %d  %s\n", k.perPeriodPeak, verdict(k.periodsInFlood == 0));
    std::printf("  no chattering (10 min):          %d  %s\n", k.chattering, verdict(k.chattering == 0));
    std::printf("  no annunciated unclassified:     %d  %s\n", unclassified, verdict(unclassified == 0));
    for (const auto& [tag, counts] : causeByFault) {
        const double share = counts.second > 0 ? double(counts.first) / counts.second : 0;
        std::printf("  cause matches %-15s >= 0.9: %d/%d (%.3f)  %s\n", qPrintable(tag), counts.first, counts.second,
                    share, verdict(share >= 0.9));
    }
    return 0;
}
