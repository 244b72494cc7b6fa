#include "features/feature_engine.h"

#include <QtGlobal>

#include <algorithm>
#include <limits>
#include <vector>

namespace itap {

FeatureEngine::FeatureEngine(const SensorCatalog& catalog, FeatureParams params)
    : params_(params), channelCount_(catalog.size()) {
    if (auto st = params_.validate(); !st) {
        qWarning("FeatureEngine: %s", qPrintable(st.error().message));
        params_.window = std::clamp(params_.window, FeatureParams::kMinWindow, FeatureParams::kMaxWindow);
        if (!(params_.timeCapSeconds >= FeatureParams::kMinTimeCapSeconds &&
              params_.timeCapSeconds <= FeatureParams::kMaxTimeCapSeconds))
            params_.timeCapSeconds = FeatureParams{}.timeCapSeconds;
    }
    const auto total = static_cast<std::size_t>(itap::featureCount(channelCount_));
    schema_.names.reserve(total);
    schema_.families.reserve(total);
    schema_.channel.reserve(total);
    for (int c = 0; c < channelCount_; ++c) {
        const ChannelSpec& spec = catalog.channel(c);
        for (int s = 0; s < kChannelStatCount; ++s) {
            const auto stat = static_cast<ChannelStat>(s);
            schema_.names.push_back(spec.name + QLatin1Char('_') + channelStatSuffix(stat));
            schema_.families.push_back(stat == ChannelStat::MissingFrac ? family::kMissingness : spec.family);
            schema_.channel.push_back(c);
        }
    }
    for (int s = 0; s < kEventStatCount; ++s) {
        schema_.names.push_back(eventStatName(static_cast<EventStat>(s)));
        schema_.families.push_back(family::kOperation);
        schema_.channel.push_back(-1);
    }
    plan_ = FeatureStream::makePlan(channelCount_, params_);
}

Result<FeatureEngine> FeatureEngine::create(const SensorCatalog& catalog, FeatureParams params) {
    if (auto st = params.validate(); !st)
        return st.error();
    return FeatureEngine(catalog, params);
}

FeatureStream FeatureEngine::makeStream() const {
    return FeatureStream(plan_);
}

FeatureMatrix FeatureEngine::compute(const DeviceSeries& series) const {
    const std::size_t rows = series.size();
    FeatureMatrix m;
    m.cols = featureCount();
    m.data.resize(rows * static_cast<std::size_t>(m.cols));
    FeatureStream stream = makeStream();
    std::vector<double> values(static_cast<std::size_t>(channelCount_));
    std::vector<const double*> columns(static_cast<std::size_t>(channelCount_), nullptr);
    for (int c = 0; c < channelCount_; ++c) {
        const auto cs = static_cast<std::size_t>(c);
        if (cs < series.channels.size() && series.channels[cs].size() >= rows)
            columns[cs] = series.channels[cs].data();
    }
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < columns.size(); ++c) values[c] = columns[c] ? columns[c][r] : kNaN;
        const OpState state = r < series.state.size() ? series.state[r] : OpState::Run;
        const int error = r < series.errorCode.size() ? series.errorCode[r] : 0;
        stream.push(series.tsMs[r], state, values.data(), error, m.row(r));
    }
    return m;
}

}  // namespace itap
