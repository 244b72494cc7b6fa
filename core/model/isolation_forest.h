#pragma once

#include "common/analysis_types.h"
#include "common/progress.h"
#include "common/result.h"

#include <QtGlobal>

#include <cstdint>
#include <functional>
#include <vector>

namespace itap {

/// Settings of the Isolation Forest.
struct ForestParams {
    int trees = 200;  ///< number of isolation trees; [1, 10000]
    int sampleSize =
        256;  ///< ψ, rows drawn without replacement per tree; [2, 16777216], capped at the row count
    int maxDepth = 0;   ///< depth limit; [0, 64], 0 = ⌈log2 ψ⌉ (Liu et al.'s height limit)
    quint64 seed = 42;  ///< any value; tree i draws from its own stream seeded from (seed, i)
    int threads = 0;    ///< worker threads for training and scoring; [0, 1024], 0 = all cores

    /// The one place the ranges above are checked.
    [[nodiscard]] Status validate() const;
};

/// One node as stored in the model file. Nodes of a tree are contiguous, the root first, children after
/// parents.
struct ForestNode {
    std::int32_t feature = -1;  ///< split feature, -1 for a leaf
    float threshold = 0;        ///< a row goes left when x[feature] < threshold
    std::int32_t left = -1;     ///< forest-wide index of the left child, -1 for a leaf
    std::int32_t right = -1;    ///< forest-wide index of the right child, -1 for a leaf
    std::int32_t size = 0;      ///< training sub-sample rows that reached this node (≥ 1)
};

/// Isolation Forest (Liu, Ting & Zhou 2008) over already scaled rows, as flat node arrays.
///
/// Path length of a row in a tree: h(x) = depth of its leaf + c(leaf size), c(n) = 2H(n−1) − 2(n−1)/n being
/// the average path length of an unsuccessful BST search. Score s(x) = 2^(−E[h(x)]/c(ψ)) in (0, 1]; higher
/// means easier to isolate, i.e. more anomalous. The forest is immutable after construction; all queries are
/// thread-safe.
class IsolationForest {
public:
    /// Writes scaled row `row` (featureCount values) to `out`. Called concurrently from worker threads.
    using RowSource = std::function<void(std::size_t row, float* out)>;

    IsolationForest() = default;

    /// Grows the forest on `rows` rows provided by `scaledRow` (only the sub-sampled rows are asked for).
    /// Deterministic for a given seed whatever params.threads is.
    [[nodiscard]] static Result<IsolationForest> fit(std::size_t rows, int cols, const RowSource& scaledRow,
                                                     const ForestParams& params,
                                                     const ProgressFn& progress = {});
    /// Stratified variant: `strata` partitions the row indices [0, rows) into groups (e.g. operating states)
    /// and every tree draws an equal share of its ψ rows from each non-empty group (a group smaller than its
    /// share gives all its rows, the rest is spread over the others). A rare but normal regime is then as
    /// dense in every sub-sample as the common one, so its rows are not isolated merely for being rare.
    [[nodiscard]] static Result<IsolationForest> fitStratified(
        const std::vector<std::vector<std::size_t>>& strata, int cols, const RowSource& scaledRow,
        const ForestParams& params, const ProgressFn& progress = {});
    /// Convenience overload for an in-memory matrix of scaled rows.
    [[nodiscard]] static Result<IsolationForest> fit(const FeatureMatrix& scaledRows,
                                                     const ForestParams& params,
                                                     const ProgressFn& progress = {});
    /// Rebuilds a forest from stored nodes; validates every index, size and feature against each other
    /// (a hostile file can neither crash nor loop). `sampleSize` is the effective ψ (every root's size).
    [[nodiscard]] static Result<IsolationForest> fromNodes(int cols, int sampleSize,
                                                           std::vector<ForestNode> nodes,
                                                           std::vector<std::uint32_t> treeOffsets);

    /// c(n) = 2H(n−1) − 2(n−1)/n for n > 1, 0 otherwise.
    [[nodiscard]] static double averagePathLength(double n);
    /// Harmonic number H(n): the exact sum up to n = 1024, ln n + γ + 1/(2n) − 1/(12n²) beyond.
    [[nodiscard]] static double harmonic(double n);

    [[nodiscard]] int featureCount() const { return cols_; }
    [[nodiscard]] int treeCount() const {
        return static_cast<int>(treeOffsets_.empty() ? 0 : treeOffsets_.size() - 1);
    }
    /// Effective ψ: min(params.sampleSize, training rows).
    [[nodiscard]] int sampleSize() const { return sampleSize_; }
    /// c(ψ), the normaliser of the score.
    [[nodiscard]] double normaliser() const { return normaliser_; }
    [[nodiscard]] const std::vector<ForestNode>& nodes() const { return nodes_; }
    /// Start of each tree in nodes(), plus the total node count at the end.
    [[nodiscard]] const std::vector<std::uint32_t>& treeOffsets() const { return treeOffsets_; }
    [[nodiscard]] int root(int tree) const {
        return static_cast<int>(treeOffsets_[static_cast<std::size_t>(tree)]);
    }
    /// E[h | node]: expected path length of the training sub-sample rows that reached `node`
    /// (leaf: depth + c(size); internal: size-weighted mean of its children).
    [[nodiscard]] double expectedPathLength(int node) const {
        return expected_[static_cast<std::size_t>(node)];
    }

    /// h_t(x) of one scaled row in one tree.
    [[nodiscard]] double pathLength(int tree, const float* row) const;
    /// Adds Σ_t h_t(x) of each of `n` row-major scaled rows to sums[0..n). Single-threaded, cache-blocked.
    void addPathLengths(const float* rows, std::size_t n, double* sums) const;
    /// For `n` row-major scaled rows: for every tree, adds E[h|child] − E[h|node] of each step of the row's
    /// path to credits[row · featureCount() + split feature]. These are the per-step changes of expected path
    /// length that the Explainer decomposes a score into; per tree they telescope to h_t(x) − E[h|root].
    /// Single-threaded, cache-blocked like addPathLengths().
    void addPathCredits(const float* rows, std::size_t n, double* credits) const;
    /// h_t(x) when every split of the walk isolates the row with probability `p` ∈ [0, 1] instead of
    /// following the tree (the out-of-support extension of AnomalyModel: a column that never varied in
    /// training cannot be split on, yet a row that leaves its one training value would be isolated by any
    /// split on it). With q = 1 − p and the row's leaf at depth L:
    /// Σ_{k<L} q^k·p·(k+1) + q^L·h_t(x). p = 0 gives pathLength().
    [[nodiscard]] double pathLengthIsolating(int tree, const float* row, double p) const;
    /// addPathCredits() for one row under pathLengthIsolating(): the step at depth k is credited q^k of its
    /// change, and what isolation removes from the path goes, in equal parts, to the columns `isolating`. Per
    /// tree the credits again telescope, to pathLengthIsolating() − E[h|root].
    void addPathCreditsIsolating(const float* row, double p, const std::vector<int>& isolating,
                                 double* credits) const;
    /// Score from Σ_t h_t(x).
    [[nodiscard]] float scoreFromPathSum(double sum) const;
    /// Score of one scaled row.
    [[nodiscard]] float score(const float* row) const;
    /// Scores `n` row-major scaled rows in parallel over row blocks (threads: 0 = all cores).
    void score(const float* rows, std::size_t n, float* out, int threads = 0) const;

private:
    [[nodiscard]] static Result<IsolationForest> fitImpl(const std::vector<std::vector<std::size_t>>& strata,
                                                         std::size_t rows, int cols,
                                                         const RowSource& scaledRow,
                                                         const ForestParams& params,
                                                         const ProgressFn& progress);
    // Scoring layout: a leaf points to itself on both sides with threshold +inf, so a fixed number of
    // branch-free steps (the tree's depth) always ends on the row's leaf.
    struct HotNode {
        std::int32_t child[2];
        std::int32_t feature;
        float threshold;
    };

    [[nodiscard]] static Status validateNodes(int cols, int sampleSize, const std::vector<ForestNode>& nodes,
                                              const std::vector<std::uint32_t>& offsets,
                                              std::vector<int>& depth);
    void derive(const std::vector<int>& depth);
    void addPathLengthsL1(const float* rows, std::size_t n, double* sums) const;
    void addPathCreditsL1(const float* rows, std::size_t n, double* credits) const;

    static constexpr std::size_t kWalks = 16;  // rows walked in lock-step by the scoring kernel

    int cols_ = 0;
    int sampleSize_ = 0;
    double normaliser_ = 1;
    std::vector<ForestNode> nodes_;
    std::vector<std::uint32_t> treeOffsets_;
    std::vector<int> treeDepth_;  // deepest leaf of each tree
    std::vector<HotNode> hot_;
    std::vector<double> leafPath_;  // depth + c(size) at leaves, 0 elsewhere
    std::vector<double> expected_;  // E[h | node]
};

}  // namespace itap
