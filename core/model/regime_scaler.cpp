#include "model/regime_scaler.h"

#include "common/telemetry.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace itap {

namespace {

constexpr double kTinySpread = 1e-6;

}  // namespace

RegimeScaler RegimeScaler::fit(std::size_t rows, int cols,
                               const std::function<void(std::size_t, float*)>& rowSource,
                               const std::vector<OpState>& states, const std::vector<std::uint8_t>& phases,
                               int phaseCount, int minRows) {
    RegimeScaler s;
    if (cols <= 0 || phaseCount < 1 || phaseCount > kMaxPhases || states.size() != rows ||
        phases.size() != rows)
        return s;
    s.cols_ = cols;
    s.phases_ = phaseCount;
    const std::size_t groups = static_cast<std::size_t>(kOpStateCount * phaseCount);
    const auto C = static_cast<std::size_t>(cols);
    // Shifted sums per group (shift = the group's first row) so that the sum of squares cannot cancel.
    std::vector<double> count(groups, 0), shift(groups * C, 0), sum(groups * C, 0), sumSq(groups * C, 0);
    std::vector<float> row(C);
    for (std::size_t r = 0; r < rows; ++r) {
        if (static_cast<int>(states[r]) >= kOpStateCount || phases[r] >= phaseCount)
            continue;
        rowSource(r, row.data());
        const std::size_t g = s.group(states[r], phases[r]);
        double* sh = shift.data() + g * C;
        if (count[g] == 0)
            for (std::size_t c = 0; c < C; ++c) sh[c] = row[c];
        count[g] += 1;
        double* su = sum.data() + g * C;
        double* sq = sumSq.data() + g * C;
        for (std::size_t c = 0; c < C; ++c) {
            const double d = double(row[c]) - sh[c];
            su[c] += d;
            sq[c] += d * d;
        }
    }
    s.fitted_.assign(groups, 0);
    s.mean_.assign(groups * C, 0.0F);
    s.scale_.assign(groups * C, 1.0F);
    for (std::size_t g = 0; g < groups; ++g) {
        if (count[g] < std::max(2, minRows))
            continue;
        s.fitted_[g] = 1;
        for (std::size_t c = 0; c < C; ++c) {
            const std::size_t i = g * C + c;
            const double m = sum[i] / count[g];
            const double var = std::max(0.0, sumSq[i] / count[g] - m * m);
            const double sd = std::sqrt(var);
            s.mean_[i] = static_cast<float>(shift[i] + m);
            s.scale_[i] = sd > kTinySpread && std::isfinite(sd) ? static_cast<float>(sd) : 1.0F;
        }
    }
    return finish(std::move(s));
}

RegimeScaler RegimeScaler::finish(RegimeScaler s) {
    if (std::none_of(s.fitted_.begin(), s.fitted_.end(), [](char f) { return f != 0; }))
        return RegimeScaler{};  // nothing fitted: inactive
    s.invScale_.resize(s.scale_.size());
    for (std::size_t i = 0; i < s.scale_.size(); ++i) s.invScale_[i] = 1.0F / s.scale_[i];
    return s;
}

bool RegimeScaler::fitted(OpState state, int phase) const {
    return active() && static_cast<int>(state) < kOpStateCount && phase >= 0 && phase < phases_ &&
           fitted_[group(state, phase)] != 0;
}

float RegimeScaler::mean(OpState state, int phase, int col) const {
    return fitted(state, phase) && col >= 0 && col < cols_
               ? mean_[group(state, phase) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(col)]
               : 0.0F;
}

float RegimeScaler::scale(OpState state, int phase, int col) const {
    return fitted(state, phase) && col >= 0 && col < cols_
               ? scale_[group(state, phase) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(col)]
               : 1.0F;
}

void RegimeScaler::apply(OpState state, int phase, float* row) const {
    if (!fitted(state, phase))
        return;
    const std::size_t base = group(state, phase) * static_cast<std::size_t>(cols_);
    const float* __restrict m = mean_.data() + base;
    const float* __restrict inv = invScale_.data() + base;
    for (int c = 0; c < cols_; ++c) row[c] = (row[c] - m[c]) * inv[c];
}

nlohmann::json RegimeScaler::toJson() const {
    nlohmann::json regimes = nlohmann::json::array();
    for (int st = 0; st < kOpStateCount && active(); ++st)
        for (int p = 0; p < phases_; ++p) {
            const OpState state = static_cast<OpState>(st);
            if (!fitted(state, p))
                continue;
            const std::size_t base = group(state, p) * static_cast<std::size_t>(cols_);
            regimes.push_back({{"state", opStateName(state).toStdString()},
                               {"phase", p},
                               {"mean", std::vector<float>(mean_.begin() + std::ptrdiff_t(base),
                                                           mean_.begin() + std::ptrdiff_t(base) + cols_)},
                               {"scale", std::vector<float>(scale_.begin() + std::ptrdiff_t(base),
                                                            scale_.begin() + std::ptrdiff_t(base) + cols_)}});
        }
    return {{"phases", phases_}, {"regimes", std::move(regimes)}};
}

Result<RegimeScaler> RegimeScaler::fromJson(const nlohmann::json& j, int cols, int phaseCount,
                                            const QString& source) {
    auto bad = [&](const QString& what) {
        return Error::badInput(QStringLiteral("regime_scaler: ") + what, source);
    };
    if (!j.is_object() || !j.contains("phases") || !j["phases"].is_number_integer() ||
        !j.contains("regimes") || !j["regimes"].is_array())
        return bad(QStringLiteral("needs an integer \"phases\" and a \"regimes\" array"));
    if (j["phases"].get<std::int64_t>() != phaseCount)
        return bad(QStringLiteral("%1 phases, but the model's regime edges make %2")
                       .arg(QString::number(j["phases"].get<std::int64_t>()))
                       .arg(phaseCount));
    if (cols <= 0 || phaseCount < 1 || phaseCount > kMaxPhases)
        return bad(QStringLiteral("%1 phases for %2 columns").arg(phaseCount).arg(cols));
    RegimeScaler s;
    s.cols_ = cols;
    s.phases_ = phaseCount;
    const std::size_t groups = static_cast<std::size_t>(kOpStateCount * phaseCount);
    const auto C = static_cast<std::size_t>(cols);
    s.fitted_.assign(groups, 0);
    s.mean_.assign(groups * C, 0.0F);
    s.scale_.assign(groups * C, 1.0F);
    for (const auto& r : j["regimes"]) {
        if (!r.is_object() || !r.contains("state") || !r["state"].is_string() || !r.contains("phase") ||
            !r["phase"].is_number_integer() || !r.contains("mean") || !r["mean"].is_array() ||
            !r.contains("scale") || !r["scale"].is_array())
            return bad(
                QStringLiteral("each regime needs a state, an integer phase, a mean and a scale array"));
        const auto state = parseOpState(QString::fromStdString(r["state"].get<std::string>()));
        const std::int64_t phase = r["phase"].get<std::int64_t>();
        if (!state)
            return bad(QStringLiteral("unknown state \"%1\"")
                           .arg(QString::fromStdString(r["state"].get<std::string>())));
        if (phase < 0 || phase >= phaseCount)
            return bad(
                QStringLiteral("phase %1 outside [0, %2)").arg(QString::number(phase)).arg(phaseCount));
        if (r["mean"].size() != C || r["scale"].size() != C)
            return bad(QStringLiteral("regime %1/%2 has %3 means and %4 scales for %5 columns")
                           .arg(opStateName(*state))
                           .arg(QString::number(phase))
                           .arg(r["mean"].size())
                           .arg(r["scale"].size())
                           .arg(cols));
        const std::size_t g = s.group(*state, static_cast<int>(phase));
        if (s.fitted_[g])
            return bad(QStringLiteral("regime %1/%2 is given twice")
                           .arg(opStateName(*state))
                           .arg(QString::number(phase)));
        s.fitted_[g] = 1;
        for (std::size_t c = 0; c < C; ++c) {
            const auto& m = r["mean"][c];
            const auto& sc = r["scale"][c];
            if (!m.is_number() || !sc.is_number())
                return bad(QStringLiteral("regime %1/%2: means and scales must be numbers")
                               .arg(opStateName(*state))
                               .arg(QString::number(phase)));
            const double mv = m.get<double>(), sv = sc.get<double>();
            if (!(std::abs(mv) <= std::numeric_limits<float>::max()) ||
                !(sv > 0 && sv <= std::numeric_limits<float>::max()) || !(static_cast<float>(sv) > 0.0F))
                return bad(QStringLiteral("regime %1/%2, column %3: mean must be finite and scale positive")
                               .arg(opStateName(*state))
                               .arg(QString::number(phase))
                               .arg(c));
            s.mean_[g * C + c] = static_cast<float>(mv);
            s.scale_[g * C + c] = static_cast<float>(sv);
        }
    }
    return finish(std::move(s));
}

}  // namespace itap
