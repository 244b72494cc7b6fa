#include "model/pca_monitor.h"

#include <Eigen/Dense>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace itap {
namespace {

constexpr Eigen::Index kBlockRows = 256;
constexpr std::size_t kMaxSubspaces = kOpStateCount + 1;

// Sums of the rows of one group: count, Σx, Σxxᵀ (filled in blocks, GEMM instead of rank-1 updates).
struct Scatter {
    double n = 0;
    Eigen::VectorXd sum;
    Eigen::MatrixXd xx;

    explicit Scatter(Eigen::Index d = 0) : sum(Eigen::VectorXd::Zero(d)), xx(Eigen::MatrixXd::Zero(d, d)) {}
    Scatter& operator+=(const Scatter& o) {
        n += o.n;
        sum += o.sum;
        xx += o.xx;
        return *this;
    }
    Scatter& operator-=(const Scatter& o) {
        n -= o.n;
        sum -= o.sum;
        xx -= o.xx;
        return *this;
    }
};

// Rows waiting to be added to a Scatter.
struct BlockBuffer {
    Eigen::MatrixXd rows;
    Eigen::Index used = 0;

    void flushInto(Scatter& s) {
        if (used == 0)
            return;
        const auto block = rows.topRows(used);
        s.n += double(used);
        s.sum += block.colwise().sum().transpose();
        s.xx.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
        used = 0;
    }
};

PcaMonitor::Subspace subspaceFrom(const Scatter& s, double varianceTarget) {
    PcaMonitor::Subspace out;
    const Eigen::Index d = s.sum.size();
    out.mean.assign(std::size_t(d), 0.0);
    if (s.n < 1)
        return out;
    const Eigen::VectorXd mu = s.sum / s.n;
    Eigen::Map<Eigen::VectorXd>(out.mean.data(), d) = mu;
    if (s.n < 2)
        return out;
    Eigen::MatrixXd cov = s.xx.selfadjointView<Eigen::Lower>();
    cov = (cov - s.n * mu * mu.transpose()) / (s.n - 1);
    const double meanVariance = std::max(cov.diagonal().mean(), 0.0);
    for (Eigen::Index k = 0; k < d; ++k)
        if (!(cov(k, k) > 1e-12 * std::max(meanVariance, 1e-300)))
            out.constant.push_back(static_cast<int>(k));
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    if (eig.info() != Eigen::Success)
        return out;
    std::vector<double> values(static_cast<std::size_t>(d));
    for (Eigen::Index k = 0; k < d; ++k) values[std::size_t(k)] = eig.eigenvalues()[d - 1 - k];
    int a = PcaMonitor::componentCount(values, varianceTarget, std::size_t(s.n));
    while (a > 0 && !(values[std::size_t(a - 1)] > 1e-12 * std::max(values[0], 1e-300))) --a;
    out.components = a;
    out.eigenvalues.assign(values.begin(), values.begin() + a);
    out.loadings.resize(std::size_t(d) * std::size_t(a));
    for (int k = 0; k < a; ++k)
        Eigen::Map<Eigen::VectorXd>(out.loadings.data() + std::size_t(k) * std::size_t(d), d) =
            eig.eigenvectors().col(d - 1 - k);
    return out;
}

// T² and Q of a centred row x under subspace s.
std::pair<double, double> statistics(const PcaMonitor::Subspace& s, const Eigen::VectorXd& x) {
    const auto d = x.size();
    const Eigen::Map<const Eigen::MatrixXd> p(s.loadings.data(), d, s.components);
    const Eigen::VectorXd t = p.transpose() * x;
    double t2 = 0;
    for (int k = 0; k < s.components; ++k) t2 += t[k] * t[k] / s.eigenvalues[std::size_t(k)];
    const Eigen::VectorXd e = x - p * t;
    return {t2, e.squaredNorm()};
}

Result<std::vector<double>> numbers(const nlohmann::json& j, std::size_t expected, const char* what,
                                    const QString& source) {
    if (!j.is_array() || j.size() != expected)
        return Error::badInput(QStringLiteral("model.pca: %1 must hold %2 numbers").arg(what).arg(expected),
                               source);
    std::vector<double> out;
    out.reserve(expected);
    for (const auto& v : j) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            return Error::badInput(QStringLiteral("model.pca: %1 must be finite numbers").arg(what), source);
        out.push_back(v.get<double>());
    }
    return out;
}

}  // namespace

Status PcaParams::validate() const {
    if (!(varianceTarget > 0 && varianceTarget < 1))
        return Error::badInput(QStringLiteral("pca.variance_target must be in (0, 1)"));
    if (minStateRows < 10 || minStateRows > 1000000000)
        return Error::badInput(QStringLiteral("pca.min_state_rows must be in [10, 1e9]"));
    if (calibrationFolds < 2 || calibrationFolds > 20)
        return Error::badInput(QStringLiteral("pca.calibration_folds must be in [2, 20]"));
    if (calibrationRows < 1000 || calibrationRows > 1000000000)
        return Error::badInput(QStringLiteral("pca.calibration_rows must be in [1000, 1e9]"));
    return {};
}

int PcaMonitor::componentCount(const std::vector<double>& eigenvaluesDescending, double varianceTarget,
                               std::size_t rows) {
    const auto d = static_cast<int>(eigenvaluesDescending.size());
    double total = 0;
    for (double v : eigenvaluesDescending) total += std::max(v, 0.0);
    if (!(total > 0) || d == 0)
        return 0;
    const int cap =
        std::max(0, std::min<int>(d - 1, static_cast<int>(std::min<std::size_t>(rows, 1u << 30)) - 1));
    double cumulative = 0;
    int a = 0;
    while (a < cap && cumulative < varianceTarget * total)
        cumulative += std::max(eigenvaluesDescending[std::size_t(a++)], 0.0);
    return a;
}

Result<PcaMonitor> PcaMonitor::fit(std::size_t rows, int cols, std::vector<int> used,
                                   const std::function<void(std::size_t, float*)>& rowSource,
                                   const std::vector<OpState>& states, const PcaParams& params) {
    if (Status st = params.validate(); !st)
        return st.error();
    if (rows < 2)
        return Error::badInput(
            QStringLiteral("PCA monitor: at least 2 training rows needed, got %1").arg(rows));
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    if (used.empty() || used.front() < 0 || used.back() >= cols)
        return Error::badInput(QStringLiteral("PCA monitor: no valid column to monitor"));
    PcaMonitor m;
    m.cols_ = cols;
    m.used_ = std::move(used);
    const auto d = static_cast<Eigen::Index>(m.used_.size());
    const int folds = params.calibrationFolds;
    const auto foldOf = [&](std::size_t r) { return static_cast<int>(r * std::size_t(folds) / rows); };
    const auto stateOf = [&](std::size_t r) {
        return std::min(static_cast<int>(r < states.size() ? states[r] : OpState::Run), kOpStateCount - 1);
    };

    // Pass 1: scatter per (state, fold).
    std::vector<Scatter> scatter(static_cast<std::size_t>(kOpStateCount * folds), Scatter(d));
    std::vector<BlockBuffer> buffers(scatter.size());
    for (auto& b : buffers) b.rows.resize(kBlockRows, d);
    std::vector<float> scaled(static_cast<std::size_t>(cols));
    std::array<std::size_t, kOpStateCount> stateRows{};
    for (std::size_t r = 0; r < rows; ++r) {
        rowSource(r, scaled.data());
        const int s = stateOf(r);
        ++stateRows[std::size_t(s)];
        const std::size_t g = std::size_t(s * folds + foldOf(r));
        BlockBuffer& b = buffers[g];
        for (Eigen::Index k = 0; k < d; ++k) {
            const float v = scaled[std::size_t(m.used_[std::size_t(k)])];
            b.rows(b.used, k) = std::isfinite(v) ? double(v) : 0.0;
        }
        if (++b.used == kBlockRows)
            b.flushInto(scatter[g]);
    }
    for (std::size_t g = 0; g < buffers.size(); ++g) buffers[g].flushInto(scatter[g]);

    // Which states get a subspace of their own.
    const int statesSeen = static_cast<int>(
        std::count_if(stateRows.begin(), stateRows.end(), [](std::size_t n) { return n > 0; }));
    const std::size_t ownRows = std::max<std::size_t>(std::size_t(params.minStateRows), 2 * std::size_t(d));
    std::vector<std::vector<int>> members;  // per subspace: the states whose rows fit it
    for (int s = 0; s < kOpStateCount; ++s) {
        if (statesSeen > 1 && stateRows[std::size_t(s)] >= ownRows) {
            m.slot_[std::size_t(s)] = static_cast<int>(members.size());
            members.push_back({s});
        }
    }
    const int pooled = static_cast<int>(members.size());
    members.emplace_back();
    for (int s = 0; s < kOpStateCount; ++s) {
        members.back().push_back(s);
        if (statesSeen <= 1 || stateRows[std::size_t(s)] < ownRows)
            m.slot_[std::size_t(s)] = pooled;
    }

    // Full and leave-one-fold-out subspaces of every slot.
    std::vector<std::vector<Subspace>> foldModels(members.size());
    for (std::size_t k = 0; k < members.size(); ++k) {
        Scatter full(d);
        std::vector<Scatter> perFold(static_cast<std::size_t>(folds), Scatter(d));
        for (int s : members[k])
            for (int f = 0; f < folds; ++f) perFold[std::size_t(f)] += scatter[std::size_t(s * folds + f)];
        for (const Scatter& f : perFold) full += f;
        m.models_.push_back(subspaceFrom(full, params.varianceTarget));
        for (int f = 0; f < folds; ++f) {
            Scatter out = full;
            out -= perFold[std::size_t(f)];
            foldModels[k].push_back(out.n >= 2 ? subspaceFrom(out, params.varianceTarget) : m.models_.back());
        }
    }

    // Pass 2: out-of-fold statistics of (at most calibrationRows) training rows, per slot.
    const std::size_t stride = std::max<std::size_t>(
        1, (rows + std::size_t(params.calibrationRows) - 1) / std::size_t(params.calibrationRows));
    std::vector<std::vector<double>> t2(members.size()), q(members.size());
    Eigen::VectorXd x(d);
    for (std::size_t r = 0; r < rows; r += stride) {
        rowSource(r, scaled.data());
        const int s = stateOf(r);
        for (const std::size_t k : {std::size_t(m.slot_[std::size_t(s)]), std::size_t(pooled)}) {
            const Subspace& sub = foldModels[k][std::size_t(foldOf(r))];
            m.centred(sub, scaled.data(), x.data());
            const auto [a, b] = statistics(sub, x);
            t2[k].push_back(a);
            q[k].push_back(b);
            if (k == std::size_t(pooled))
                break;
        }
    }
    for (std::size_t k = 0; k < members.size(); ++k) {
        m.models_[k].t2 = TailCalibration::fit(std::move(t2[k]));
        m.models_[k].q = TailCalibration::fit(std::move(q[k]));
    }
    return m;
}

const PcaMonitor::Subspace& PcaMonitor::subspaceOf(OpState state) const {
    const int s = std::min(static_cast<int>(state), kOpStateCount - 1);
    return models_[std::size_t(slot_[std::size_t(s)])];
}

int PcaMonitor::components(OpState state) const {
    return active() ? subspaceOf(state).components : 0;
}

bool PcaMonitor::ownSubspace(OpState state) const {
    const int s = std::min(static_cast<int>(state), kOpStateCount - 1);
    return active() && slot_[std::size_t(s)] != static_cast<int>(models_.size()) - 1;
}

void PcaMonitor::centred(const Subspace& s, const float* scaledRow, double* x) const {
    for (std::size_t k = 0; k < used_.size(); ++k) {
        const float v = scaledRow[used_[k]];
        x[k] = std::isfinite(v) ? double(v) - s.mean[k] : 0.0;
    }
    for (int k : s.constant) x[k] *= kConstantWeight;
}

PcaMonitor::Reading PcaMonitor::read(OpState state, const float* scaledRow) const {
    Reading out;
    if (!active())
        return out;
    const Subspace& s = subspaceOf(state);
    Eigen::VectorXd x(static_cast<Eigen::Index>(used_.size()));
    centred(s, scaledRow, x.data());
    std::tie(out.t2, out.q) = statistics(s, x);
    out.pT2 = s.t2.upperTail(out.t2);
    out.pQ = s.q.upperTail(out.q);
    return out;
}

std::vector<double> PcaMonitor::contributions(OpState state, const float* scaledRow, bool t2) const {
    std::vector<double> out(static_cast<std::size_t>(cols_), 0.0);
    if (!active())
        return out;
    const Subspace& s = subspaceOf(state);
    const auto d = static_cast<Eigen::Index>(used_.size());
    Eigen::VectorXd x(d);
    centred(s, scaledRow, x.data());
    const Eigen::Map<const Eigen::MatrixXd> p(s.loadings.data(), d, s.components);
    const Eigen::VectorXd t = p.transpose() * x;
    Eigen::VectorXd c(d);
    if (t2) {
        Eigen::VectorXd w(s.components);
        for (int k = 0; k < s.components; ++k) w[k] = t[k] / s.eigenvalues[std::size_t(k)];
        c = x.cwiseProduct(p * w);  // x_j Σ_a (t_a/λ_a) p_ja
    } else {
        c = (x - p * t).array().square();  // e_j²
    }
    for (Eigen::Index k = 0; k < d; ++k) out[std::size_t(used_[std::size_t(k)])] = c[k];
    return out;
}

nlohmann::json PcaMonitor::toJson() const {
    nlohmann::json subspaces = nlohmann::json::array();
    for (const Subspace& s : models_)
        subspaces.push_back({{"components", s.components},
                             {"mean", s.mean},
                             {"loadings", s.loadings},
                             {"eigenvalues", s.eigenvalues},
                             {"constant", s.constant},
                             {"t2", s.t2.toJson()},
                             {"q", s.q.toJson()}});
    return {{"columns", used_}, {"state_subspace", slot_}, {"subspaces", std::move(subspaces)}};
}

Result<PcaMonitor> PcaMonitor::fromJson(const nlohmann::json& j, int cols, const QString& source) {
    auto bad = [&](const QString& why) {
        return Error::badInput(QStringLiteral("model.pca: ") + why, source);
    };
    if (!j.is_object() || !j.contains("columns") || !j["columns"].is_array() ||
        !j.contains("state_subspace") || !j["state_subspace"].is_array() || !j.contains("subspaces") ||
        !j["subspaces"].is_array())
        return bad(QStringLiteral("needs columns, state_subspace and subspaces arrays"));
    PcaMonitor m;
    m.cols_ = cols;
    for (const auto& c : j["columns"]) {
        if (!c.is_number_integer())
            return bad(QStringLiteral("columns must be integers"));
        const auto v = c.get<std::int64_t>();
        if (v < 0 || v >= cols || (!m.used_.empty() && v <= m.used_.back()))
            return bad(QStringLiteral("columns must increase within [0, %1)").arg(cols));
        m.used_.push_back(static_cast<int>(v));
    }
    if (m.used_.empty())
        return bad(QStringLiteral("no column monitored"));
    const auto& subspaces = j["subspaces"];
    if (subspaces.empty() || subspaces.size() > kMaxSubspaces)
        return bad(QStringLiteral("1 to %1 subspaces").arg(kMaxSubspaces));
    if (j["state_subspace"].size() != std::size_t(kOpStateCount))
        return bad(QStringLiteral("state_subspace must have %1 entries").arg(kOpStateCount));
    for (std::size_t s = 0; s < std::size_t(kOpStateCount); ++s) {
        const auto& v = j["state_subspace"][s];
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
            v.get<std::int64_t>() >= static_cast<std::int64_t>(subspaces.size()))
            return bad(QStringLiteral("state_subspace entries must index subspaces"));
        m.slot_[s] = static_cast<int>(v.get<std::int64_t>());
    }
    const std::size_t d = m.used_.size();
    for (const auto& sj : subspaces) {
        if (!sj.is_object() || !sj.contains("components") || !sj["components"].is_number_integer() ||
            !sj.contains("mean") || !sj.contains("loadings") || !sj.contains("eigenvalues") ||
            !sj.contains("t2") || !sj.contains("q"))
            return bad(
                QStringLiteral("each subspace needs components, mean, loadings, eigenvalues, t2 and q"));
        const auto a = sj["components"].get<std::int64_t>();
        if (a < 0 || a >= static_cast<std::int64_t>(d))
            return bad(QStringLiteral("components must be in [0, %1)").arg(d));
        Subspace s;
        s.components = static_cast<int>(a);
        auto mean = numbers(sj["mean"], d, "mean", source);
        if (!mean)
            return mean.error();
        auto loadings = numbers(sj["loadings"], d * std::size_t(a), "loadings", source);
        if (!loadings)
            return loadings.error();
        auto eigenvalues = numbers(sj["eigenvalues"], std::size_t(a), "eigenvalues", source);
        if (!eigenvalues)
            return eigenvalues.error();
        for (double v : *eigenvalues)
            if (!(v > 0))
                return bad(QStringLiteral("eigenvalues must be positive"));
        {
            const auto& cj = sj.contains("constant") ? sj["constant"] : nlohmann::json();
            if (!cj.is_array() || cj.size() > d)
                return bad(QStringLiteral("constant must be an array of at most %1 positions").arg(d));
            for (const auto& c : cj) {
                if (!c.is_number_integer() || c.get<std::int64_t>() < 0 ||
                    c.get<std::int64_t>() >= static_cast<std::int64_t>(d) ||
                    (!s.constant.empty() && c.get<std::int64_t>() <= s.constant.back()))
                    return bad(QStringLiteral("constant positions must increase within [0, %1)").arg(d));
                s.constant.push_back(static_cast<int>(c.get<std::int64_t>()));
            }
        }
        s.mean = std::move(mean).value();
        s.loadings = std::move(loadings).value();
        s.eigenvalues = std::move(eigenvalues).value();
        auto t2 = TailCalibration::fromJson(sj["t2"], source, QStringLiteral("model.pca.t2"));
        if (!t2)
            return t2.error();
        auto q = TailCalibration::fromJson(sj["q"], source, QStringLiteral("model.pca.q"));
        if (!q)
            return q.error();
        s.t2 = std::move(t2).value();
        s.q = std::move(q).value();
        m.models_.push_back(std::move(s));
    }
    return m;
}

}  // namespace itap
