#include "common/signal_health.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace itap {
namespace {

constexpr std::size_t kConditions = kSignalConditionCount;
// Diagnostic codes are stored as int16 per row.
constexpr int kMaxDiagnosticChannels = 32767 / kSignalConditionCount;

}  // namespace

QString signalConditionName(SignalCondition c) {
    return c == SignalCondition::Missing ? QStringLiteral("missing") : QStringLiteral("frozen");
}

SignalHealth::SignalHealth(const SensorCatalog& catalog) {
    for (const ChannelSpec& s : catalog.channels()) ranges_.emplace_back(s.min, s.max);
    last_.assign(ranges_.size(), std::nan(""));
    lastValidMs_.assign(ranges_.size(), kNone);
    since_.assign(ranges_.size() * kConditions, kNone);
}

void SignalHealth::push(qint64 tsMs, const double* values) {
    if (firstMs_ == kNone)
        firstMs_ = tsMs;
    for (std::size_t c = 0; c < ranges_.size(); ++c) {
        qint64& missing = since_[c * kConditions + std::size_t(SignalCondition::Missing)];
        qint64& frozen = since_[c * kConditions + std::size_t(SignalCondition::Frozen)];
        const double v = values[c];
        if (!std::isfinite(v)) {
            if (missing == kNone)
                missing = lastValidMs_[c] != kNone ? lastValidMs_[c] : firstMs_;
            frozen = kNone;  // a gap ends a repeated value: the next valid sample starts afresh
            last_[c] = std::nan("");
            continue;
        }
        missing = kNone;
        const bool saturated = v <= ranges_[c].first || v >= ranges_[c].second;
        if (v == last_[c] && !saturated) {
            if (frozen == kNone)
                frozen = lastValidMs_[c];
        } else {
            frozen = kNone;
        }
        last_[c] = v;
        lastValidMs_[c] = tsMs;
    }
}

std::vector<SignalRun> scanSignalRuns(const DeviceSeries& series, const SensorCatalog& catalog,
                                      std::size_t rowOffset) {
    std::vector<SignalRun> out;
    const int channels = catalog.size();
    SignalHealth health(catalog);
    // Open runs per (channel, condition): index into `out`, or npos.
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::vector<std::size_t> open(std::size_t(channels) * kConditions, npos);
    std::vector<double> values(static_cast<std::size_t>(channels), 0.0);
    for (std::size_t r = 0; r < series.size(); ++r) {
        for (std::size_t c = 0; c < std::size_t(channels); ++c)
            values[c] = c < series.channels.size() && r < series.channels[c].size() ? series.channels[c][r]
                                                                                    : std::nan("");
        health.push(series.tsMs[r], values.data());
        for (int c = 0; c < channels; ++c)
            for (std::size_t k = 0; k < kConditions; ++k) {
                const auto cond = static_cast<SignalCondition>(k);
                std::size_t& o = open[std::size_t(c) * kConditions + k];
                const qint64 since = health.since(c, cond);
                if (since == SignalHealth::kNone) {
                    o = npos;
                    continue;
                }
                if (o != npos && out[o].sinceMs == since) {
                    out[o].end = rowOffset + r + 1;
                    continue;
                }
                o = out.size();
                out.push_back(SignalRun{rowOffset + r, rowOffset + r + 1, since, c, cond});
            }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const SignalRun& a, const SignalRun& b) { return a.begin < b.begin; });
    return out;
}

SignalLimits SignalLimits::learn(const std::vector<SignalRun>& runs, const ScoreTable& table,
                                 const SensorCatalog& catalog) {
    SignalLimits out;
    if (catalog.size() > kMaxDiagnosticChannels)
        return out;  // not learned: no diagnostics for catalogs this wide
    for (const ChannelSpec& s : catalog.channels()) out.channels_.push_back(s.name);
    Table unseen;
    for (auto& row : unseen) row.fill(kUnseen);
    out.longest_.assign(out.channels_.size(), unseen);
    for (const SignalRun& run : runs) {
        if (run.channel < 0 || std::size_t(run.channel) >= out.longest_.size())
            continue;
        auto& longest = out.longest_[std::size_t(run.channel)][std::size_t(run.condition)];
        for (std::size_t r = run.begin; r < run.end && r < table.tsMs.size(); ++r) {
            if (!table.isNormalTrainingRow(r))
                continue;
            const qint64 d = table.tsMs[r] - run.sinceMs;
            const auto s = std::size_t(table.state[r]);
            longest[s] = std::max(longest[s], d);
            longest[kOpStateCount] = std::max(longest[kOpStateCount], d);
        }
    }
    return out;
}

qint64 SignalLimits::longestMs(int channel, SignalCondition c, OpState state) const {
    if (channel < 0 || std::size_t(channel) >= longest_.size())
        return kUnseen;
    const auto& row = longest_[std::size_t(channel)][std::size_t(c)];
    const qint64 inState = row[std::size_t(state)];
    return inState != kUnseen ? inState : row[kOpStateCount];
}

qint64 SignalLimits::limitMs(int channel, SignalCondition c, OpState state, double factor,
                             qint64 minMs) const {
    const qint64 longest = longestMs(channel, c, state);
    const double scaled = longest == kUnseen ? 0.0 : factor * double(longest);
    return std::max(minMs, static_cast<qint64>(std::min(scaled, 9.0e18)));
}

nlohmann::json SignalLimits::toJson() const {
    nlohmann::json channels = nlohmann::json::array();
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        nlohmann::json j{{"channel", channels_[c].toStdString()}};
        for (std::size_t k = 0; k < kConditions; ++k) {
            nlohmann::json perState = nlohmann::json::array();
            for (const qint64 v : longest_[c][k]) perState.push_back(v);
            j[signalConditionName(static_cast<SignalCondition>(k)).toStdString() + "_ms"] =
                std::move(perState);
        }
        channels.push_back(std::move(j));
    }
    return {{"rule", "longest normal run per channel, condition and state (RUN, IDLE, MAINT, any)"},
            {"channels", std::move(channels)}};
}

Result<SignalLimits> SignalLimits::fromJson(const nlohmann::json& j, const QString& source) {
    auto bad = [&](const QString& what) {
        return Error::badInput(QStringLiteral("signal_limits: %1").arg(what), source);
    };
    if (!j.is_object() || !j.contains("channels") || !j["channels"].is_array())
        return bad(QStringLiteral("expected an object with a channels array"));
    if (j["channels"].size() > std::size_t(kMaxDiagnosticChannels))
        return bad(QStringLiteral("too many channels"));
    SignalLimits out;
    for (const auto& c : j["channels"]) {
        if (!c.is_object() || !c.contains("channel") || !c["channel"].is_string())
            return bad(QStringLiteral("every channel needs a name"));
        Table t;
        for (std::size_t k = 0; k < kConditions; ++k) {
            const std::string key =
                signalConditionName(static_cast<SignalCondition>(k)).toStdString() + "_ms";
            if (!c.contains(key) || !c[key].is_array() || c[key].size() != kOpStateCount + 1)
                return bad(QStringLiteral("%1 needs %2 with %3 durations")
                               .arg(QString::fromStdString(c["channel"].get<std::string>()),
                                    QString::fromStdString(key))
                               .arg(kOpStateCount + 1));
            for (std::size_t s = 0; s <= std::size_t(kOpStateCount); ++s) {
                const auto& v = c[key][s];
                if (!v.is_number_integer() || v.get<qint64>() < kUnseen)
                    return bad(
                        QStringLiteral("%1 must hold integers >= -1").arg(QString::fromStdString(key)));
                t[k][s] = v.get<qint64>();
            }
        }
        out.channels_.push_back(QString::fromStdString(c["channel"].get<std::string>()));
        out.longest_.push_back(t);
    }
    return out;
}

std::vector<std::int16_t> signalDiagnostics(const std::vector<SignalRun>& runs, const ScoreTable& table,
                                            const SignalLimits& limits, double factor, qint64 minMs) {
    std::vector<std::int16_t> out;
    if (!limits.learned())
        return out;
    out.assign(table.tsMs.size(), std::int16_t{-1});
    // The condition that began first names a row (ties: the lowest code), as in live mode: visiting the runs
    // in that order, the first one beyond its limit at a row keeps it.
    std::vector<const SignalRun*> order;
    order.reserve(runs.size());
    for (const SignalRun& run : runs) order.push_back(&run);
    std::sort(order.begin(), order.end(), [](const SignalRun* a, const SignalRun* b) {
        const int ca = signalDiagnosticCode(a->channel, a->condition);
        const int cb = signalDiagnosticCode(b->channel, b->condition);
        return a->sinceMs != b->sinceMs ? a->sinceMs < b->sinceMs : ca < cb;
    });
    const auto channels = static_cast<int>(limits.channels().size());
    for (const SignalRun* run : order) {
        if (run->channel < 0 || run->channel >= channels)
            continue;
        const auto code = static_cast<std::int16_t>(signalDiagnosticCode(run->channel, run->condition));
        for (std::size_t r = run->begin; r < run->end && r < out.size(); ++r)
            if (out[r] < 0 && table.tsMs[r] - run->sinceMs >
                                  limits.limitMs(run->channel, run->condition, table.state[r], factor, minMs))
                out[r] = code;
    }
    return out;
}

}  // namespace itap

namespace itap {

int signalDiagnosticAt(const SignalHealth& health, const SignalLimits& limits, qint64 tsMs, OpState state,
                       double factor, qint64 minMs) {
    if (!limits.learned())
        return -1;
    const int channels = std::min(health.channelCount(), int(limits.channels().size()));
    int best = -1;
    qint64 bestSince = SignalHealth::kNone;
    for (int c = 0; c < channels; ++c)
        for (int k = 0; k < kSignalConditionCount; ++k) {
            const auto cond = static_cast<SignalCondition>(k);
            const qint64 since = health.since(c, cond);
            if (since == SignalHealth::kNone || tsMs - since <= limits.limitMs(c, cond, state, factor, minMs))
                continue;
            if (best < 0 || since < bestSince) {  // ties keep the lower code
                best = signalDiagnosticCode(c, cond);
                bestSince = since;
            }
        }
    return best;
}

}  // namespace itap
