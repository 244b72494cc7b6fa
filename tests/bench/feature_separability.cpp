// feature_separability: how well each feature alone separates each fault type's rows from normal rows on a
// simulated fleet, as a univariate ROC-AUC of the feature's scaled magnitude |z| (scaled as the model scales
// it). A diagnostic for feature and model work; prints what it measured, asserts nothing.
//
//   feature_separability [--devices N] [--hours H] [--seed K] [--window N] [--top K] [--per-device-norm]
#include "bench_fleet.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

using namespace itap;

namespace {

// ROC-AUC of `pos` against `neg` (Mann–Whitney U with ties counted half).
double auc(std::vector<float> pos, std::vector<float> neg) {
    if (pos.empty() || neg.empty())
        return 0.5;
    std::sort(neg.begin(), neg.end());
    return bench::rocAucAgainstSorted(pos, neg);
}

}  // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    bench::addFleetOptions(p);
    p.addOption({"top", "Features listed per fault (default 8).", "K", "8"});
    p.process(app);

    auto sim = bench::simulateFleet(p);
    if (!sim) {
        std::fprintf(stderr, "%s\n", qPrintable(sim.error().toString()));
        return 1;
    }
    auto trained = trainModel(*sim->store, sim->config, {});
    if (!trained) {
        std::fprintf(stderr, "%s\n", qPrintable(trained.error().toString()));
        return 1;
    }
    const FleetFeatures& f = trained->fleet;
    const ScoreTable& t = f.table;
    const AnomalyModel& model = trained->model;
    const int cols = f.schema.size();
    // Evaluation rows only (as the metrics use them): normal vs each fault tag.
    std::map<QString, std::vector<std::vector<float>>> byTag;
    std::vector<float> scaled(std::size_t(cols), 0.0f);
    for (std::size_t r = 0; r < t.size(); ++r) {
        if (t.train[r])
            continue;
        auto& cols_ = byTag[t.faultTag[r].isEmpty() ? QStringLiteral("(normal)") : t.faultTag[r]];
        if (cols_.empty())
            cols_.resize(std::size_t(cols));
        model.scaleRow(t.devices[t.device[r]], t.state[r], f.featureRow(r), scaled.data());
        for (int c = 0; c < cols; ++c) cols_[std::size_t(c)].push_back(std::fabs(scaled[std::size_t(c)]));
    }
    const auto& normal = byTag[QStringLiteral("(normal)")];
    const int top = p.value("top").toInt();
    for (const auto& [tag, colsOfTag] : byTag) {
        if (tag == QLatin1String("(normal)"))
            continue;
        std::vector<std::pair<double, int>> ranked;
        for (int c = 0; c < cols; ++c)
            ranked.push_back({auc(colsOfTag[std::size_t(c)], normal[std::size_t(c)]), c});
        std::sort(ranked.rbegin(), ranked.rend());
        std::printf("%-15s %6zu rows:", qPrintable(tag), colsOfTag[0].size());
        for (int i = 0; i < std::min<int>(top, cols); ++i)
            std::printf(" %s %.3f", qPrintable(f.schema.names[std::size_t(ranked[std::size_t(i)].second)]),
                        ranked[std::size_t(i)].first);
        std::printf("\n");
    }
    return 0;
}
