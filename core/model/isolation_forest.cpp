#include "model/isolation_forest.h"

#include "model/parallel.h"
#include "model/split_mix_rng.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>

namespace itap {
namespace {

constexpr int kMaxTrees = 10000;
constexpr int kMaxSampleSize = 1 << 24;
constexpr int kMaxDepthLimit = 64;
constexpr int kExactHarmonicUpTo = 1024;
constexpr double kEulerGamma = 0.57721566490153286061;
// Rows per scoring block: a block of 64-feature rows (64 KiB) plus one tree (~8 KiB) stays in L1/L2
// while every tree walks the whole block.
constexpr std::size_t kScoreBlockRows = 512;
constexpr std::size_t kL1Bytes = 16 * 1024;

// ψ distinct indices of [0, n) in draw order: a Fisher–Yates shuffle that records only the swapped slots,
// so the cost is O(ψ) whatever n is.
std::vector<std::size_t> sampleWithoutReplacement(std::size_t n, std::size_t k, SplitMixRng& rng) {
    std::unordered_map<std::size_t, std::size_t> swapped;
    swapped.reserve(2 * k);
    std::vector<std::size_t> out(k);
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = i + rng.below(n - i);
        const auto at = [&](std::size_t p) {
            auto it = swapped.find(p);
            return it == swapped.end() ? p : it->second;
        };
        const std::size_t vj = at(j);
        swapped[j] = at(i);
        out[i] = vj;
    }
    return out;
}

// Grows one tree on `data` (ψ × cols, row-major). Children of a node are appended together, so every child
// index is larger than its parent's: the invariant fromNodes() checks.
std::vector<ForestNode> growTree(const std::vector<float>& data, int psi, int cols, int maxDepth,
                                 SplitMixRng& rng) {
    struct Work {
        int node, lo, hi, depth;
    };
    std::vector<int> perm(static_cast<std::size_t>(psi));
    for (int i = 0; i < psi; ++i) perm[static_cast<std::size_t>(i)] = i;
    std::vector<ForestNode> nodes;
    nodes.reserve(static_cast<std::size_t>(2 * psi));
    nodes.push_back(ForestNode{-1, 0.0F, -1, -1, psi});
    std::vector<Work> stack{{0, 0, psi, 0}};
    std::vector<float> lo(static_cast<std::size_t>(cols)), hi(static_cast<std::size_t>(cols));
    std::vector<int> candidates;
    candidates.reserve(static_cast<std::size_t>(cols));
    auto x = [&](int i, int f) {
        return data[static_cast<std::size_t>(perm[static_cast<std::size_t>(i)]) *
                        static_cast<std::size_t>(cols) +
                    static_cast<std::size_t>(f)];
    };
    while (!stack.empty()) {
        const Work w = stack.back();
        stack.pop_back();
        if (w.hi - w.lo <= 1 || w.depth >= maxDepth)
            continue;  // stays a leaf
        for (int f = 0; f < cols; ++f)
            lo[static_cast<std::size_t>(f)] = hi[static_cast<std::size_t>(f)] = x(w.lo, f);
        for (int i = w.lo + 1; i < w.hi; ++i) {
            const float* r = data.data() + static_cast<std::size_t>(perm[static_cast<std::size_t>(i)]) *
                                               static_cast<std::size_t>(cols);
            for (int f = 0; f < cols; ++f) {
                lo[static_cast<std::size_t>(f)] = std::min(lo[static_cast<std::size_t>(f)], r[f]);
                hi[static_cast<std::size_t>(f)] = std::max(hi[static_cast<std::size_t>(f)], r[f]);
            }
        }
        candidates.clear();
        for (int f = 0; f < cols; ++f)
            if (hi[static_cast<std::size_t>(f)] > lo[static_cast<std::size_t>(f)])
                candidates.push_back(f);
        if (candidates.empty())
            continue;  // all rows identical: cannot be isolated further
        const int f = candidates[static_cast<std::size_t>(rng.below(candidates.size()))];
        const float a = lo[static_cast<std::size_t>(f)];
        const float b = hi[static_cast<std::size_t>(f)];
        auto t = static_cast<float>(static_cast<double>(a) + rng.uniform() * (static_cast<double>(b) - a));
        // Rounding to float may land on the minimum; the split must leave the minimum on the left and the
        // maximum on the right, i.e. a < t ≤ b.
        if (t <= a)
            t = std::nextafter(a, std::numeric_limits<float>::infinity());
        t = std::min(t, b);
        const auto mid = static_cast<int>(
            std::partition(perm.begin() + w.lo, perm.begin() + w.hi,
                           [&](int row) {
                               return data[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols) +
                                           static_cast<std::size_t>(f)] < t;
                           }) -
            perm.begin());
        const auto left = static_cast<int>(nodes.size());
        ForestNode& n = nodes[static_cast<std::size_t>(w.node)];
        n.feature = f;
        n.threshold = t;
        n.left = left;
        n.right = left + 1;
        nodes.push_back(ForestNode{-1, 0.0F, -1, -1, mid - w.lo});
        nodes.push_back(ForestNode{-1, 0.0F, -1, -1, w.hi - mid});
        stack.push_back({left + 1, mid, w.hi, w.depth + 1});
        stack.push_back({left, w.lo, mid, w.depth + 1});
    }
    return nodes;
}

}  // namespace

Status ForestParams::validate() const {
    auto range = [](const char* name, qint64 v, qint64 lo, qint64 hi) -> Status {
        if (v < lo || v > hi)
            return Error::badInput(QStringLiteral("forest.%1 must be in [%2, %3], got %4")
                                       .arg(QLatin1String(name))
                                       .arg(lo)
                                       .arg(hi)
                                       .arg(v));
        return {};
    };
    for (Status s : {range("trees", trees, 1, kMaxTrees), range("sample_size", sampleSize, 2, kMaxSampleSize),
                     range("max_depth", maxDepth, 0, kMaxDepthLimit), range("threads", threads, 0, 1024)})
        if (!s)
            return s;
    return {};
}

double IsolationForest::harmonic(double n) {
    if (n <= 0)
        return 0;
    if (n <= kExactHarmonicUpTo && n == std::floor(n)) {
        double h = 0;
        for (int i = static_cast<int>(n); i >= 1; --i) h += 1.0 / i;  // smallest terms first
        return h;
    }
    return std::log(n) + kEulerGamma + 1.0 / (2.0 * n) - 1.0 / (12.0 * n * n);
}

double IsolationForest::averagePathLength(double n) {
    if (n <= 1)
        return 0;
    return 2.0 * harmonic(n - 1) - 2.0 * (n - 1) / n;
}

Result<IsolationForest> IsolationForest::fit(const FeatureMatrix& scaledRows, const ForestParams& params,
                                             const ProgressFn& progress) {
    if (scaledRows.cols > 0 && scaledRows.data.size() % static_cast<std::size_t>(scaledRows.cols) != 0)
        return Error::badInput(QStringLiteral("feature matrix size is not a multiple of its column count"));
    const auto cols = static_cast<std::size_t>(std::max(0, scaledRows.cols));
    return fit(
        scaledRows.rows(), scaledRows.cols,
        [&](std::size_t r, float* out) { std::copy_n(scaledRows.row(r), cols, out); }, params, progress);
}

Result<IsolationForest> IsolationForest::fit(std::size_t rows, int cols, const RowSource& scaledRow,
                                             const ForestParams& params, const ProgressFn& progress) {
    return fitImpl({}, rows, cols, scaledRow, params, progress);
}

Result<IsolationForest> IsolationForest::fitStratified(const std::vector<std::vector<std::size_t>>& strata,
                                                       int cols, const RowSource& scaledRow,
                                                       const ForestParams& params,
                                                       const ProgressFn& progress) {
    std::size_t rows = 0;
    for (const auto& s : strata) rows += s.size();
    return fitImpl(strata, rows, cols, scaledRow, params, progress);
}

namespace {
// ψ row indices for one tree: uniformly from [0, rows) without strata, else an equal share per non-empty
// stratum (a stratum smaller than its share gives all of its rows; the remainder goes round the others).
std::vector<std::size_t> drawSample(const std::vector<std::vector<std::size_t>>& strata, std::size_t rows,
                                    std::size_t psi, SplitMixRng& rng) {
    if (strata.empty())
        return sampleWithoutReplacement(rows, psi, rng);
    std::vector<std::size_t> quota(strata.size(), 0);
    std::size_t left = psi;
    while (left > 0) {
        std::size_t open = 0;
        for (std::size_t g = 0; g < strata.size(); ++g) open += quota[g] < strata[g].size() ? 1 : 0;
        if (open == 0)
            break;
        const std::size_t share = std::max<std::size_t>(1, left / open);
        for (std::size_t g = 0; g < strata.size() && left > 0; ++g) {
            const std::size_t add = std::min({share, strata[g].size() - quota[g], left});
            quota[g] += add;
            left -= add;
        }
    }
    std::vector<std::size_t> out;
    out.reserve(psi);
    for (std::size_t g = 0; g < strata.size(); ++g) {
        if (quota[g] == 0)
            continue;
        for (std::size_t i : sampleWithoutReplacement(strata[g].size(), quota[g], rng))
            out.push_back(strata[g][i]);
    }
    return out;
}
}  // namespace

Result<IsolationForest> IsolationForest::fitImpl(const std::vector<std::vector<std::size_t>>& strata,
                                                 std::size_t rows, int cols, const RowSource& scaledRow,
                                                 const ForestParams& params, const ProgressFn& progress) {
    if (Status st = params.validate(); !st)
        return st.error();
    if (cols <= 0)
        return Error::badInput(QStringLiteral("the forest needs at least one feature"));
    if (rows < 2)
        return Error::badInput(QStringLiteral("the forest needs at least 2 training rows, got %1").arg(rows));
    const int psi =
        static_cast<int>(std::min<std::size_t>(rows, static_cast<std::size_t>(params.sampleSize)));
    const int maxDepth = params.maxDepth > 0
                             ? params.maxDepth
                             : std::max(1, static_cast<int>(std::ceil(std::log2(static_cast<double>(psi)))));

    std::vector<std::vector<ForestNode>> trees(static_cast<std::size_t>(params.trees));
    std::atomic<int> done{0};
    std::atomic<bool> cancelled{false};
    const auto caller = std::this_thread::get_id();
    parallelFor(trees.size(), 1, params.threads, [&](std::size_t begin, std::size_t end) {
        std::vector<float> data(static_cast<std::size_t>(psi) * static_cast<std::size_t>(cols));
        for (std::size_t t = begin; t < end && !cancelled.load(std::memory_order_relaxed); ++t) {
            SplitMixRng rng(SplitMixRng::streamSeed(params.seed, t));
            const auto ids = drawSample(strata, rows, static_cast<std::size_t>(psi), rng);
            for (std::size_t i = 0; i < ids.size(); ++i)
                scaledRow(ids[i], data.data() + i * static_cast<std::size_t>(cols));
            trees[t] = growTree(data, psi, cols, maxDepth, rng);
            const int finished = done.fetch_add(1) + 1;
            // ProgressFn belongs to the thread that called fit(); workers only count.
            if (std::this_thread::get_id() == caller &&
                !reportProgress(progress, finished, params.trees, QStringLiteral("Growing isolation trees")))
                cancelled = true;
        }
    });
    if (cancelled)
        return Error::cancelled();

    std::vector<ForestNode> nodes;
    std::vector<std::uint32_t> offsets{0};
    for (auto& tree : trees) {
        const auto base = static_cast<std::int32_t>(nodes.size());
        for (ForestNode n : tree) {
            if (n.feature >= 0) {
                n.left += base;
                n.right += base;
            }
            nodes.push_back(n);
        }
        offsets.push_back(static_cast<std::uint32_t>(nodes.size()));
        tree = {};
    }
    reportProgress(progress, params.trees, params.trees, QStringLiteral("Growing isolation trees"));
    return fromNodes(cols, psi, std::move(nodes), std::move(offsets));
}

Status IsolationForest::validateNodes(int cols, int sampleSize, const std::vector<ForestNode>& nodes,
                                      const std::vector<std::uint32_t>& offsets, std::vector<int>& depth) {
    auto bad = [](const QString& what) { return Error::badInput(QStringLiteral("forest: ") + what); };
    if (cols <= 0)
        return bad(QStringLiteral("no features"));
    if (sampleSize < 2 || sampleSize > kMaxSampleSize)
        return bad(QStringLiteral("sample size out of range"));
    if (offsets.size() < 2 || offsets.size() - 1 > static_cast<std::size_t>(kMaxTrees))
        return bad(QStringLiteral("tree count out of range"));
    if (offsets.front() != 0 || offsets.back() != nodes.size() ||
        nodes.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        return bad(QStringLiteral("tree offsets do not cover the node array"));
    // Every tree's range must lie inside the node array: a middle offset past the end (or out of order)
    // would otherwise make the walk below read beyond it.
    for (std::size_t t = 0; t + 1 < offsets.size(); ++t) {
        if (offsets[t] > offsets[t + 1])
            return bad(QStringLiteral("tree offsets are not in order"));
    }
    depth.assign(nodes.size(), -1);
    std::vector<int> parents(nodes.size(), 0);
    for (std::size_t t = 0; t + 1 < offsets.size(); ++t) {
        const auto b = static_cast<std::int64_t>(offsets[t]);
        const auto e = static_cast<std::int64_t>(offsets[t + 1]);
        if (e <= b)
            return bad(QStringLiteral("tree %1 is empty").arg(t));
        if (nodes[static_cast<std::size_t>(b)].size != sampleSize)
            return bad(QStringLiteral("tree %1: root size differs from the sample size").arg(t));
        depth[static_cast<std::size_t>(b)] = 0;
        for (std::int64_t i = b; i < e; ++i) {
            const ForestNode& n = nodes[static_cast<std::size_t>(i)];
            const auto where = QStringLiteral("tree %1, node %2: ").arg(t).arg(i);
            if (i != b && parents[static_cast<std::size_t>(i)] != 1)
                return bad(where + QStringLiteral("not reached from the root exactly once"));
            if (n.size < 1)
                return bad(where + QStringLiteral("size must be ≥ 1"));
            const int d = depth[static_cast<std::size_t>(i)];
            if (n.feature == -1) {
                if (n.left != -1 || n.right != -1)
                    return bad(where + QStringLiteral("a leaf has children"));
                continue;
            }
            if (n.feature < 0 || n.feature >= cols)
                return bad(where + QStringLiteral("split feature out of range"));
            if (!std::isfinite(n.threshold))
                return bad(where + QStringLiteral("threshold is not finite"));
            if (n.left <= i || n.left >= e || n.right <= i || n.right >= e || n.left == n.right)
                return bad(where + QStringLiteral("child index out of range"));
            if (d >= kMaxDepthLimit)
                return bad(where + QStringLiteral("deeper than %1").arg(kMaxDepthLimit));
            for (std::int32_t c : {n.left, n.right}) {
                ++parents[static_cast<std::size_t>(c)];
                depth[static_cast<std::size_t>(c)] = d + 1;
            }
            const std::int64_t sum = std::int64_t{nodes[static_cast<std::size_t>(n.left)].size} +
                                     nodes[static_cast<std::size_t>(n.right)].size;
            if (sum != n.size)
                return bad(where + QStringLiteral("children sizes do not add up"));
        }
    }
    return {};
}

Result<IsolationForest> IsolationForest::fromNodes(int cols, int sampleSize, std::vector<ForestNode> nodes,
                                                   std::vector<std::uint32_t> treeOffsets) {
    std::vector<int> depth;
    if (Status st = validateNodes(cols, sampleSize, nodes, treeOffsets, depth); !st)
        return st.error();
    IsolationForest f;
    f.cols_ = cols;
    f.sampleSize_ = sampleSize;
    f.normaliser_ = averagePathLength(sampleSize);
    f.nodes_ = std::move(nodes);
    f.treeOffsets_ = std::move(treeOffsets);
    f.derive(depth);
    return f;
}

void IsolationForest::derive(const std::vector<int>& depth) {
    const std::size_t n = nodes_.size();
    hot_.resize(n);
    leafPath_.assign(n, 0.0);
    expected_.assign(n, 0.0);
    treeDepth_.assign(static_cast<std::size_t>(treeCount()), 0);
    for (int t = 0; t < treeCount(); ++t) {
        const std::size_t b = treeOffsets_[static_cast<std::size_t>(t)];
        const std::size_t e = treeOffsets_[static_cast<std::size_t>(t) + 1];
        // Children come after parents, so a backward sweep sees both children before the parent.
        for (std::size_t i = e; i-- > b;) {
            const ForestNode& nd = nodes_[i];
            HotNode& h = hot_[i];
            if (nd.feature < 0) {
                const auto self = static_cast<std::int32_t>(i);
                h = HotNode{{self, self}, 0, std::numeric_limits<float>::infinity()};
                leafPath_[i] = depth[i] + averagePathLength(nd.size);
                expected_[i] = leafPath_[i];
                treeDepth_[static_cast<std::size_t>(t)] =
                    std::max(treeDepth_[static_cast<std::size_t>(t)], depth[i]);
            } else {
                h = HotNode{{nd.left, nd.right}, nd.feature, nd.threshold};
                const ForestNode& l = nodes_[static_cast<std::size_t>(nd.left)];
                const ForestNode& r = nodes_[static_cast<std::size_t>(nd.right)];
                expected_[i] = (l.size * expected_[static_cast<std::size_t>(nd.left)] +
                                r.size * expected_[static_cast<std::size_t>(nd.right)]) /
                               nd.size;
            }
        }
    }
}

double IsolationForest::pathLength(int tree, const float* row) const {
    std::int32_t i = root(tree);
    while (nodes_[static_cast<std::size_t>(i)].feature >= 0) {
        const ForestNode& n = nodes_[static_cast<std::size_t>(i)];
        i = row[n.feature] < n.threshold ? n.left : n.right;
    }
    return leafPath_[static_cast<std::size_t>(i)];
}

double IsolationForest::pathLengthIsolating(int tree, const float* row, double p) const {
    if (!(p > 0))
        return pathLength(tree, row);
    p = std::min(p, 1.0);
    const double q = 1.0 - p;
    std::int32_t i = root(tree);
    double path = 0;   // Σ_{k<depth} q^k·p·(k+1)
    double reach = 1;  // q^depth: the chance that no split so far isolated the row
    int depth = 0;
    while (nodes_[static_cast<std::size_t>(i)].feature >= 0) {
        const ForestNode& n = nodes_[static_cast<std::size_t>(i)];
        path += reach * p * (depth + 1);
        reach *= q;
        ++depth;
        i = row[n.feature] < n.threshold ? n.left : n.right;
    }
    return path + reach * leafPath_[static_cast<std::size_t>(i)];
}

void IsolationForest::addPathCreditsIsolating(const float* row, double p, const std::vector<int>& isolating,
                                              double* credits) const {
    if (!(p > 0) || isolating.empty()) {
        addPathCredits(row, 1, credits);
        return;
    }
    p = std::min(p, 1.0);
    const double q = 1.0 - p;
    const double share = 1.0 / static_cast<double>(isolating.size());
    for (int t = 0; t < treeCount(); ++t) {
        // One walk gives both the isolating path length (as pathLengthIsolating computes it) and the steps.
        std::int32_t i = root(t);
        double reach = 1;
        double path = 0;
        double credited = 0;
        int depth = 0;
        while (nodes_[static_cast<std::size_t>(i)].feature >= 0) {
            const ForestNode& n = nodes_[static_cast<std::size_t>(i)];
            const std::int32_t next = row[n.feature] < n.threshold ? n.left : n.right;
            const double step =
                reach * (expected_[static_cast<std::size_t>(next)] - expected_[static_cast<std::size_t>(i)]);
            credits[n.feature] += step;
            credited += step;
            path += reach * p * (depth + 1);
            reach *= q;
            ++depth;
            i = next;
        }
        path += reach * leafPath_[static_cast<std::size_t>(i)];
        // The rest of the way from E[h|root] to the isolating path length is what isolation did.
        const double rest = path - expected_[static_cast<std::size_t>(root(t))] - credited;
        for (int c : isolating) credits[c] += rest * share;
    }
}

void IsolationForest::addPathLengths(const float* rows, std::size_t n, double* sums) const {
    // Rows are taken in sub-blocks of ~16 KiB so that a sub-block and one tree stay in L1 while every tree
    // walks it; the feature loads, not the node loads, are what the walks wait for.
    const auto cols = static_cast<std::size_t>(cols_);
    const std::size_t sub =
        std::clamp<std::size_t>((kL1Bytes / (cols * sizeof(float))) / kWalks * kWalks, kWalks, 1024);
    for (std::size_t b = 0; b < n; b += sub)
        addPathLengthsL1(rows + b * cols, std::min(sub, n - b), sums + b);
}

void IsolationForest::addPathLengthsL1(const float* rows, std::size_t n, double* sums) const {
    // For each tree, walk kWalks rows in lock-step. The steps of one walk depend on each other (node →
    // feature value → child); independent walks keep the load units busy while each waits for its data.
    constexpr std::size_t W = kWalks;
    const HotNode* hot = hot_.data();
    const double* leaf = leafPath_.data();
    const auto cols = static_cast<std::size_t>(cols_);
    for (int t = 0; t < treeCount(); ++t) {
        const std::int32_t root0 = root(t);
        const int depth = treeDepth_[static_cast<std::size_t>(t)];
        std::size_t r = 0;
        for (; r + W <= n; r += W) {
            const float* x = rows + r * cols;
            std::int32_t idx[W];
            for (std::size_t k = 0; k < W; ++k) idx[k] = root0;
            for (int d = 0; d < depth; ++d) {
#pragma GCC unroll 16
                for (std::size_t k = 0; k < W; ++k) {
                    const HotNode& h = hot[idx[k]];
                    idx[k] =
                        h.child[x[k * cols + static_cast<std::size_t>(h.feature)] >= h.threshold ? 1 : 0];
                }
            }
            for (std::size_t k = 0; k < W; ++k) sums[r + k] += leaf[idx[k]];
        }
        for (; r < n; ++r) {
            const float* x = rows + r * cols;
            std::int32_t i = root0;
            for (int d = 0; d < depth; ++d) {
                const HotNode& h = hot[i];
                i = h.child[x[h.feature] >= h.threshold ? 1 : 0];
            }
            sums[r] += leaf[i];
        }
    }
}

void IsolationForest::addPathCredits(const float* rows, std::size_t n, double* credits) const {
    // A sub-block holds the rows and their credit rows: 12 bytes per feature and row.
    const auto cols = static_cast<std::size_t>(cols_);
    const std::size_t sub = std::clamp<std::size_t>(kL1Bytes / (cols * 12) / 8 * 8, 8, 1024);
    for (std::size_t b = 0; b < n; b += sub)
        addPathCreditsL1(rows + b * cols, std::min(sub, n - b), credits + b * cols);
}

void IsolationForest::addPathCreditsL1(const float* rows, std::size_t n, double* credits) const {
    // The scoring kernel's lock-step walk, crediting every step; a walk parked on its leaf adds
    // E[leaf] − E[leaf] = 0.
    constexpr std::size_t W = 8;
    const HotNode* hot = hot_.data();
    const double* expected = expected_.data();
    const auto cols = static_cast<std::size_t>(cols_);
    auto step = [&](std::int32_t& i, const float* x, double* c) {
        const HotNode& h = hot[i];
        const std::int32_t next = h.child[x[h.feature] >= h.threshold ? 1 : 0];
        c[h.feature] += expected[next] - expected[i];
        i = next;
    };
    for (int t = 0; t < treeCount(); ++t) {
        const std::int32_t root0 = root(t);
        const int depth = treeDepth_[static_cast<std::size_t>(t)];
        std::size_t r = 0;
        for (; r + W <= n; r += W) {
            std::int32_t idx[W];
            for (std::size_t k = 0; k < W; ++k) idx[k] = root0;
            for (int d = 0; d < depth; ++d) {
#pragma GCC unroll 8
                for (std::size_t k = 0; k < W; ++k)
                    step(idx[k], rows + (r + k) * cols, credits + (r + k) * cols);
            }
        }
        for (; r < n; ++r) {
            std::int32_t i = root0;
            for (int d = 0; d < depth; ++d) step(i, rows + r * cols, credits + r * cols);
        }
    }
}

float IsolationForest::scoreFromPathSum(double sum) const {
    const double mean = sum / treeCount();
    return static_cast<float>(std::exp2(-mean / normaliser_));
}

float IsolationForest::score(const float* row) const {
    double sum = 0;
    addPathLengths(row, 1, &sum);
    return scoreFromPathSum(sum);
}

void IsolationForest::score(const float* rows, std::size_t n, float* out, int threads) const {
    const auto cols = static_cast<std::size_t>(cols_);
    parallelFor(n, kScoreBlockRows, threads, [&](std::size_t begin, std::size_t end) {
        std::vector<double> sums(end - begin, 0.0);
        addPathLengths(rows + begin * cols, end - begin, sums.data());
        for (std::size_t r = begin; r < end; ++r) out[r] = scoreFromPathSum(sums[r - begin]);
    });
}

}  // namespace itap
