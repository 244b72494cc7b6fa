// quality_report: detection and explanation quality of the whole pipeline on a simulated fleet, measured
// against the floors of the detection and explanation issues. Prints what it measured; asserts nothing.
//
//   quality_report [--devices N] [--hours H] [--seed K] [--window N] [--per-device-norm] [--global-norm]
//                  [--no-out-of-support] [--no-regime-scaling] [--trees N] [--sample-size N]
//                  [--ignore-stats LIST] [--detector forest|pca|combined] [--threshold T]
#include "bench_fleet.h"
#include "explain/explainer.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QTemporaryDir>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

using namespace itap;

namespace {

// The families an explanation may name for each injected fault (DESIGN.md: "the top family must match").
bool familyMatches(const QString& tag, const QString& family, const QString& droppedFamily) {
    if (tag == fault::kOverheat)
        return family == QLatin1String("Temperature");
    if (tag == fault::kBearingWear)
        return family == QLatin1String("Vibration") || family == QLatin1String("RPM");
    if (tag == fault::kPowerSpike)
        return family == QLatin1String("Voltage") || family == QLatin1String("Current");
    if (tag == fault::kSensorDropout)
        return family == family::kMissingness || family == droppedFamily;
    return false;
}

int fail(const Error& e) {
    std::fprintf(stderr, "quality_report: %s\n", qPrintable(e.toString()));
    return 1;
}

}  // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    bench::addFleetOptions(p);
    p.addOption({"threshold", "Operate at this score threshold instead of choosing one.", "T"});
    p.process(app);

    auto sim = bench::simulateFleet(p);
    if (!sim)
        return fail(sim.error());
    const SimulationProfile& profile = sim->profile;
    const SensorCatalog& catalog = sim->catalog;
    Store& store = *sim->store;
    const TrainConfig& config = sim->config;
    auto trained = trainModel(store, config, {});
    if (!trained)
        return fail(trained.error());
    AnalysisOptions options;
    if (p.isSet("threshold"))
        options.threshold = p.value("threshold").toDouble();
    auto scored = scoreWithModel(store, std::move(trained->model), options, {}, &trained->fleet);
    if (!scored)
        return fail(scored.error());

    const FleetFeatures& f = scored->fleet;
    const Analysis& a = scored->analysis;
    const Metrics& m = a.metrics;
    const ScoreTable& t = f.table;
    std::printf("Fleet: %d devices x %d h at %d s = %lld rows, seed %llu; threshold %.4f (%s)\n",
                profile.devices, profile.hours, profile.intervalS, static_cast<long long>(sim->rows),
                static_cast<unsigned long long>(profile.seed), a.threshold, qPrintable(a.thresholdRule));
    std::printf("ROC-AUC %.4f (floor 0.95: %s)  PR-AUC %.4f  precision %.3f (floor 0.5: %s)  recall %.3f\n",
                m.rocAuc.value_or(-1), m.rocAuc.value_or(0) >= 0.95 ? "met" : "NOT met", m.prAuc.value_or(-1),
                m.precision.value_or(-1), m.precision.value_or(0) >= 0.5 ? "met" : "NOT met",
                m.recall.value_or(-1));
    std::size_t excluded = 0;
    for (std::uint8_t v : t.train) excluded += v == kTrainExcluded ? 1 : 0;
    std::printf(
        "(%zu normal rows less than one feature window after a fault episode are neither trained on nor "
        "evaluated)\n",
        excluded);
    std::printf("\n%-15s %7s %7s %12s %13s %15s\n", "fault", "events", "caught", "event recall",
                "point recall", "median latency");
    for (const FaultMetrics& fm : m.perFault)
        std::printf("%-15s %7lld %7lld %11.1f%% %12.1f%% %13.0f s  (floor 0.9: %s)\n", qPrintable(fm.tag),
                    static_cast<long long>(fm.events), static_cast<long long>(fm.eventsCaught),
                    100 * fm.eventRecall.value_or(0), 100 * fm.recall.value_or(0),
                    fm.medianLatencyS.value_or(-1), fm.eventRecall.value_or(0) >= 0.9 ? "met" : "NOT met");
    // Runs of rows with one device and one tag: a fault episode, or the normal rows between two. (Not
    // FaultEpisodes: it keeps only episodes with evaluated rows, and flagged rows of the training span are
    // counted below too.)
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end)
    for (std::size_t begin = 0; begin < t.size();) {
        std::size_t end = begin + 1;
        while (end < t.size() && t.device[end] == t.device[begin] && t.faultTag[end] == t.faultTag[begin])
            ++end;
        runs.emplace_back(begin, end);
        begin = end;
    }
    // The simulator's record of the sensor dropout that row r belongs to, or null.
    const auto dropoutAt = [&](std::size_t r) -> const SimulatedEpisode* {
        if (t.faultTag[r] != fault::kSensorDropout)
            return nullptr;
        for (const SimulatedEpisode& e : sim->episodes)
            if (e.tag == fault::kSensorDropout && e.deviceId == t.devices[t.device[r]] &&
                e.startMs <= t.tsMs[r] && t.tsMs[r] <= e.endMs)
                return &e;
        return nullptr;
    };
    // The episodes no flag caught (evaluated rows only), with what they looked like to the model.
    for (const auto& [begin, end] : runs) {
        if (!t.faultTag[begin].isEmpty()) {
            float peak = 0;
            std::size_t evaluated = 0;
            bool caught = false;
            for (std::size_t r = begin; r < end; ++r) {
                if (t.train[r] != 0)
                    continue;
                ++evaluated;
                peak = std::max(peak, t.score[r]);
                caught = caught || double(t.score[r]) >= a.threshold;
            }
            const bool atEnd = end == t.size() || t.device[end] != t.device[begin];
            QString what;  // a dropout's channel and kind
            if (const SimulatedEpisode* e = dropoutAt(begin))
                what = QStringLiteral(" (%1 %2)")
                           .arg(e->channel, e->stuck ? QStringLiteral("frozen") : QStringLiteral("empty"));
            if (evaluated > 0 && !caught)
                std::printf(
                    "  missed: %s%s on %s from %s, %zu evaluated rows%s, peak score %.3f (threshold %.3f)\n",
                    qPrintable(t.faultTag[begin]), qPrintable(what), qPrintable(t.devices[t.device[begin]]),
                    qPrintable(QDateTime::fromMSecsSinceEpoch(t.tsMs[begin], QTimeZone::utc())
                                   .toString(Qt::ISODate)),
                    evaluated, atEnd ? " (cut off by the end of the data)" : "", double(peak), a.threshold);
        }
    }
    std::printf("\nFalse-alarm rate per state:");
    for (int s = 0; s < kOpStateCount; ++s)
        if (m.perState[std::size_t(s)].rate)
            std::printf("  %s %.2f%%", qPrintable(opStateName(OpState(s))),
                        100 * *m.perState[std::size_t(s)].rate);
    std::printf("\n");

    // Explanation confusion: injected fault x top family of each flagged faulty row.
    std::map<QString, std::map<QString, int>> confusion;
    std::map<QString, int> matched, total;
    std::map<QString, double> context;
    // Where in its episode each faulty row lies, in fifths: a slow fault's first rows carry little of its
    // signature, so a row flagged there may rightly be explained by something else.
    constexpr int kParts = 5;
    std::vector<std::uint8_t> part(t.size(), 0);
    for (const auto& [begin, end] : runs)
        for (std::size_t r = begin; r < end; ++r)
            part[r] = std::uint8_t(std::min<std::size_t>(kParts - 1, (r - begin) * kParts / (end - begin)));
    // ROC-AUC of each fault type alone against the evaluated normal rows (Mann-Whitney, ties count half):
    // which fault's rows rank among the normal ones and pull the fleet's ROC-AUC down.
    {
        std::vector<float> normal;
        std::map<QString, std::vector<float>> faulty;
        std::map<QString, std::array<std::vector<float>, kParts>> faultyPart;
        for (std::size_t r = 0; r < t.size(); ++r) {
            if (t.train[r] != 0 || std::isnan(t.score[r]))
                continue;
            if (t.faultTag[r].isEmpty())
                normal.push_back(t.score[r]);
            else {
                faulty[t.faultTag[r]].push_back(t.score[r]);
                faultyPart[t.faultTag[r]][part[r]].push_back(t.score[r]);
            }
        }
        std::sort(normal.begin(), normal.end());
        const auto auc = [&](const std::vector<float>& scores) {
            return normal.empty() || scores.empty() ? std::nan("")
                                                    : bench::rocAucAgainstSorted(scores, normal);
        };
        std::printf(
            "\nROC-AUC of each fault type's evaluated rows against the normal ones, whole and by fifth of "
            "the episode:\n");
        for (const auto& [tag, scores] : faulty) {
            std::printf("  %-15s %.4f (%5zu rows)  ", qPrintable(tag), auc(scores), scores.size());
            for (const auto& ps : faultyPart[tag]) std::printf("  %.3f", auc(ps));
            std::printf("\n");
        }
    }
    std::map<QString, std::array<std::array<int, 2>, kParts>> byPart;  // [part] = {matched, flagged}
    for (std::size_t i = 0; i < a.flagged.size(); ++i) {
        const std::size_t r = a.flagged[i];
        const QString& tag = t.faultTag[r];
        if (tag.isEmpty() || a.explanations[i].families.empty())
            continue;
        const QString top = a.explanations[i].families.front().family;
        // The dropped channel of a sensor dropout, as the simulator recorded it.
        QString dropped;
        if (const SimulatedEpisode* e = dropoutAt(r))
            if (const int ch = catalog.indexOf(e->channel); ch >= 0)
                dropped = catalog.channel(ch).family;
        context[tag] += a.explanations[i].contextPercent;
        ++confusion[tag][top];
        ++total[tag];
        const bool match = familyMatches(tag, top, dropped);
        if (match)
            ++matched[tag];
        auto& cell = byPart[tag][part[r]];
        cell[0] += match ? 1 : 0;
        ++cell[1];
    }
    std::printf("\nExplanations: top family of flagged faulty rows (rows)\n");
    for (const auto& [tag, row] : confusion) {
        std::printf("  %-15s", qPrintable(tag));
        for (const auto& [fam, n] : row) std::printf(" %s=%d", qPrintable(fam), n);
        const double share = double(matched[tag]) / std::max(1, total[tag]);
        std::printf("  -> match %.1f%% (floor 85%%: %s)\n", 100 * share, share >= 0.85 ? "met" : "NOT met");
    }
    std::printf("  by fifth of the episode, first to last (matched / flagged rows):\n");
    for (const auto& [tag, parts] : byPart) {
        std::printf("  %-15s", qPrintable(tag));
        for (const auto& [hit, n] : parts) std::printf(" %5d / %-5d", hit, n);
        std::printf("\n");
    }
    std::printf(
        "Error codes and state (context, reported apart from the families), mean share of the score:");
    for (const auto& [tag, sum] : context)
        std::printf(" %s %.0f%%", qPrintable(tag), sum / std::max(1, total[tag]));
    std::printf("\n");
    // Rows outside the training support (ModelParams::outOfSupport): evaluation rows leaving a column's one
    // training value, by state for normal rows and by fault for faulty rows, with the columns they leave.
    {
        std::map<QString, int> rowsOut, rowsAll;
        std::map<QString, std::map<QString, int>> columnsOut;
        std::vector<int> isolating;
        for (std::size_t r = 0; r < t.size(); ++r) {
            if (t.train[r])
                continue;
            const QString key =
                t.faultTag[r].isEmpty() ? QStringLiteral("normal ") + opStateName(t.state[r]) : t.faultTag[r];
            ++rowsAll[key];
            isolating.clear();
            if (scored->model.isolatingChance(f.featureRow(r), &isolating) > 0) {
                ++rowsOut[key];
                for (int c : isolating) ++columnsOut[key][f.schema.names[std::size_t(c)]];
            }
        }
        std::printf("\nOutside the training support (%zu columns constant in training): evaluation rows\n",
                    scored->model.supportColumns().size());
        for (const auto& [key, n] : rowsAll) {
            std::printf("  %-15s %6d of %6d (%.2f%%)", qPrintable(key), rowsOut[key], n,
                        100.0 * rowsOut[key] / n);
            for (const auto& [col, k] : columnsOut[key]) std::printf(" %s=%d", qPrintable(col), k);
            std::printf("\n");
        }
    }
    // False alarms: which features the forest credits on the highest-scoring normal evaluation rows of each
    // state (the 200 worst per state), summed over those rows.
    std::printf("\nFalse alarms: features credited on the 200 highest-scoring normal rows per state\n");
    const Explainer explainer(scored->model, f.schema);
    for (int s = 0; s < kOpStateCount; ++s) {
        std::vector<std::size_t> normal;
        for (std::size_t r = 0; r < t.size(); ++r)
            if (!t.train[r] && t.faultTag[r].isEmpty() && t.state[r] == OpState(s))
                normal.push_back(r);
        if (normal.empty())
            continue;
        const std::size_t k = std::min<std::size_t>(200, normal.size());
        std::partial_sort(normal.begin(), normal.begin() + std::ptrdiff_t(k), normal.end(),
                          [&](std::size_t x, std::size_t y) { return t.score[x] > t.score[y]; });
        std::vector<ExplainRequest> req;
        for (std::size_t i = 0; i < k; ++i)
            req.push_back(
                {normal[i], t.devices[t.device[normal[i]]], f.featureRow(normal[i]), t.state[normal[i]]});
        std::map<int, double> credit;
        for (const Explanation& e : explainer.explainRows(req))
            for (const FeatureShare& fs : e.features) credit[fs.feature] += fs.percent / double(k);
        std::vector<std::pair<double, int>> top;
        for (const auto& [name, pct] : credit) top.push_back({pct, name});
        std::sort(top.rbegin(), top.rend());
        std::printf(
            "  %-5s (%zu normal rows, worst score %.3f, 200th %.3f):", qPrintable(opStateName(OpState(s))),
            normal.size(), double(t.score[normal[0]]), double(t.score[normal[k - 1]]));
        for (std::size_t i = 0; i < std::min<std::size_t>(6, top.size()); ++i)
            std::printf(" %s %.0f%%", qPrintable(f.schema.names[std::size_t(top[i].second)]), top[i].first);
        std::printf("\n");
    }

    // Where the false alarms are: the 1,000 highest-scoring normal evaluation rows by state and by how long
    // the state had lasted (the model's regime phases), against the share of all normal rows there.
    {
        std::vector<std::size_t> normal;
        for (std::size_t r = 0; r < t.size(); ++r)
            if (!t.train[r] && t.faultTag[r].isEmpty() && !std::isnan(t.score[r]))
                normal.push_back(r);
        const std::size_t k = std::min<std::size_t>(1000, normal.size());
        std::partial_sort(normal.begin(), normal.begin() + std::ptrdiff_t(k), normal.end(),
                          [&](std::size_t x, std::size_t y) { return t.score[x] > t.score[y]; });
        const AnomalyModel& model = scored->model;
        const int phases = static_cast<int>(model.regimeEdgesSeconds().size()) + 1;
        std::vector<int> top(std::size_t(kOpStateCount * phases), 0), all(top.size(), 0);
        for (std::size_t i = 0; i < normal.size(); ++i) {
            const std::size_t r = normal[i];
            const std::size_t g = std::size_t(int(t.state[r]) * phases + model.phaseOf(f.featureRow(r)));
            ++all[g];
            if (i < k)
                ++top[g];
        }
        std::printf(
            "\nThe %zu highest-scoring normal rows by regime (state, time since the state began), against "
            "all normal rows:\n",
            k);
        for (int s = 0; s < kOpStateCount; ++s) {
            std::printf("  %-5s", qPrintable(opStateName(OpState(s))));
            for (int ph = 0; ph < phases; ++ph) {
                const double lo = ph == 0 ? 0 : model.regimeEdgesSeconds()[std::size_t(ph - 1)];
                const std::size_t g = std::size_t(s * phases + ph);
                std::printf("  >=%gs %4d (%4.1f%% of rows)", lo, top[g],
                            100.0 * all[g] / double(std::max<std::size_t>(1, normal.size())));
            }
            std::printf("\n");
        }
    }

    int merged = 0;
    for (const Alert& al : a.alerts) merged += al.count;
    std::printf("\nAlerts: %zu flagged rows -> %zu alerts after deduplication (%.1f%% fewer)\n",
                a.flagged.size(), a.alerts.size(),
                100.0 * (1.0 - double(a.alerts.size()) / double(std::max<std::size_t>(1, a.flagged.size()))));
    return merged == int(a.flagged.size()) ? 0 : 1;
}
