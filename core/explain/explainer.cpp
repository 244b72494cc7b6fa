#include "explain/explainer.h"

#include "model/parallel.h"

#include <algorithm>

namespace itap {
namespace {

constexpr std::size_t kRowsPerTask = 64;
const QString kUnknownFamily = QStringLiteral("Unknown");

}  // namespace

Explainer::Explainer(const AnomalyModel& model, const FeatureSchema& schema)
    : model_(model), schema_(schema) {}

double Explainer::addTreeCredits(int tree, const float* scaledRow, double* perFeature) const {
    const IsolationForest& forest = model_.forest();
    const std::vector<ForestNode>& nodes = forest.nodes();
    int i = forest.root(tree);
    double total = 0;
    while (nodes[static_cast<std::size_t>(i)].feature >= 0) {
        const ForestNode& n = nodes[static_cast<std::size_t>(i)];
        const int next = scaledRow[n.feature] < n.threshold ? n.left : n.right;  // the same rule as scoring
        const double delta = forest.expectedPathLength(next) - forest.expectedPathLength(i);
        perFeature[n.feature] += delta;
        total += delta;
        i = next;
    }
    return total;
}

std::vector<double> Explainer::contributions(const float* scaledRow) const {
    const IsolationForest& forest = model_.forest();
    std::vector<double> credit(static_cast<std::size_t>(forest.featureCount()), 0.0);
    if (forest.treeCount() == 0)
        return credit;
    forest.addPathCredits(scaledRow, 1, credit.data());  // the batched form of addTreeCredits over all trees
    const double scale = -1.0 / forest.treeCount();
    for (double& c : credit) c *= scale;
    return credit;
}

Explanation Explainer::fromContributions(std::size_t row, const std::vector<double>& contributions,
                                         const FeatureSchema& schema) {
    Explanation e;
    e.row = row;
    auto isContext = [&](std::size_t f) {
        return f < schema.families.size() && schema.families[f] == family::kOperation;
    };
    double positive = 0, context = 0;
    for (std::size_t f = 0; f < contributions.size(); ++f) {
        if (contributions[f] > 0) {
            positive += contributions[f];
            if (isContext(f))
                context += contributions[f];
        }
    }
    if (!(positive > 0))
        return e;
    e.contextPercent = 100.0 * context / positive;
    // Features and families are normalised over the sensor features (channels and their missingness); the
    // event counters and the state are context, reported apart. A row that only context explains keeps it.
    const bool sensorsOnly = positive - context > 0;
    const double base = sensorsOnly ? positive - context : context;
    // Lists sized exactly: a 10M-row fleet holds ~800k explanations, and geometric growth or a generous
    // reserve left a third of their memory as unused capacity.
    qsizetype credited = 0;
    for (std::size_t f = 0; f < contributions.size(); ++f)
        credited += contributions[f] > 0 && isContext(f) != sensorsOnly ? 1 : 0;
    e.features.reserve(credited);
    for (std::size_t f = 0; f < contributions.size(); ++f)
        if (contributions[f] > 0 && isContext(f) != sensorsOnly)
            e.features.push_back({static_cast<int>(f), 100.0 * contributions[f] / base});
    std::sort(e.features.begin(), e.features.end(), [](const FeatureShare& a, const FeatureShare& b) {
        return a.percent != b.percent ? a.percent > b.percent : a.feature < b.feature;
    });

    // A handful of families: a linear scan beats a map. Gathered in a per-thread scratch list, then copied
    // into an exactly sized one.
    thread_local std::vector<FamilyShare> families;
    families.clear();
    for (const FeatureShare& s : e.features) {
        const auto f = static_cast<std::size_t>(s.feature);
        const QString& family = f < schema.families.size() ? schema.families[f] : kUnknownFamily;
        auto it = std::find_if(families.begin(), families.end(),
                               [&](const FamilyShare& x) { return x.family == family; });
        if (it == families.end())
            families.push_back({family, s.percent});
        else
            it->percent += s.percent;
    }
    std::sort(families.begin(), families.end(), [](const FamilyShare& a, const FamilyShare& b) {
        return a.percent != b.percent ? a.percent > b.percent : a.family < b.family;
    });
    e.families.reserve(static_cast<qsizetype>(families.size()));
    for (FamilyShare& f : families) e.families.push_back(std::move(f));
    families.clear();  // drops the moved-from strings now, not when the thread next explains a row
    return e;
}

Explanation Explainer::explain(std::size_t row, const QString& device, const float* rawFeatureRow,
                               OpState state) const {
    return explainRows({ExplainRequest{row, device, rawFeatureRow, state}}, 1).front();
}

std::vector<Explanation> Explainer::explainRows(const std::vector<ExplainRequest>& requests,
                                                int threads) const {
    std::vector<Explanation> out(requests.size());
    const IsolationForest& forest = model_.forest();
    const auto cols = static_cast<std::size_t>(model_.featureCount());
    if (cols == 0 || forest.treeCount() == 0) {
        for (std::size_t i = 0; i < requests.size(); ++i) out[i].row = requests[i].row;
        return out;
    }
    const double scale = -1.0 / forest.treeCount();
    // Rows are explained in blocks so that the trees walk many rows at once, as in scoring; each row's
    // credits depend on that row alone, so neither the blocking nor the thread count changes a result.
    parallelFor(requests.size(), kRowsPerTask, threads, [&](std::size_t begin, std::size_t end) {
        const std::size_t n = end - begin;
        std::vector<float> scaled(n * cols);
        std::vector<double> credit(n * cols, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const ExplainRequest& r = requests[begin + i];
            model_.scaleRow(r.device, r.state, r.features, scaled.data() + i * cols);
        }
        forest.addPathCredits(scaled.data(), n, credit.data());
        // A row outside the training support (AnomalyModel::isolatingChance) is credited as it is scored.
        std::vector<int> isolating;
        for (std::size_t i = 0; i < n && !model_.supportColumns().empty(); ++i) {
            isolating.clear();
            const double p = model_.isolatingChance(requests[begin + i].features, &isolating);
            if (p > 0) {
                std::fill_n(credit.data() + i * cols, cols, 0.0);
                forest.addPathCreditsIsolating(scaled.data() + i * cols, p, isolating,
                                               credit.data() + i * cols);
            }
        }
        std::vector<double> phi(cols);
        for (std::size_t i = 0; i < n; ++i) {
            const ExplainRequest& r = requests[begin + i];
            // The detector that carried the row explains it: the forest by its path-length credits, T² and Q
            // by their contribution plots.
            const ScoreSource carrier =
                model_.detector() == DetectorChoice::Forest
                    ? ScoreSource::Forest
                    : model_.read(r.state, r.features, scaled.data() + i * cols).carrier;
            if (carrier == ScoreSource::Forest) {
                for (std::size_t f = 0; f < cols; ++f) phi[f] = credit[i * cols + f] * scale;
            } else {
                phi =
                    model_.pca().contributions(r.state, scaled.data() + i * cols, carrier == ScoreSource::T2);
            }
            out[begin + i] = fromContributions(r.row, phi, schema_);
            out[begin + i].detector = carrier;
        }
    });
    return out;
}

}  // namespace itap
