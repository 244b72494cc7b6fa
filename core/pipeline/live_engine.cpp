#include "pipeline/live_engine.h"

#include "pipeline/session.h"

#include <algorithm>
#include <utility>

namespace itap {

Result<std::unique_ptr<LiveEngine>> LiveEngine::create(std::shared_ptr<const AnomalyModel> model,
                                                       const SensorCatalog& catalog, AlertRules rules,
                                                       double threshold) {
    if (!model || model->featureCount() == 0)
        return Error::badInput(QStringLiteral("live mode needs a trained model"));
    auto config = pipelineConfigFromJson(model->featureConfig(), QStringLiteral("model"));
    if (!config)
        return config.error();
    auto engine = FeatureEngine::create(catalog, config->first);
    if (!engine)
        return engine.error();
    if (Status s = model->checkCompatible(catalog.hash(), engine->schema().names); !s)
        return s.error();
    auto filter = scoreFilterOf(*model);
    if (!filter)
        return filter.error();
    return std::unique_ptr<LiveEngine>(new LiveEngine(std::move(model), std::move(engine).value(), catalog,
                                                      *filter, std::move(rules), threshold));
}

LiveEngine::LiveEngine(std::shared_ptr<const AnomalyModel> model, FeatureEngine engine, SensorCatalog catalog,
                       ScoreFilterParams filter, AlertRules rules, double threshold)
    : model_(std::move(model)),
      engine_(std::move(engine)),
      filter_(filter),
      explainer_(*model_, engine_.schema()),
      tracker_(std::move(rules), threshold, engine_.schema()),
      catalog_(std::move(catalog)),
      rowState_(1, OpState::Run) {
    row_.cols = engine_.featureCount();
    row_.data.assign(std::size_t(row_.cols), 0.0f);
}

int LiveEngine::deviceIndex(const QString& device) {
    int d = int(devices_.indexOf(device));
    if (d < 0) {
        d = int(devices_.size());
        devices_ << device;
        streams_.push_back(engine_.makeStream());
        filters_.emplace_back(filter_);
        incidentFilters_.emplace_back(tracker_.rules().incidents().filterMs());
        health_.emplace_back(catalog_);
    }
    return d;
}

int LiveEngine::diagnosticOf(std::size_t device, qint64 tsMs, OpState state) const {
    const IncidentParams& p = tracker_.rules().incidents();
    if (!p.instrumentDiagnostics)
        return -1;
    return signalDiagnosticAt(health_[device], model_->signalLimits(), tsMs, state, p.diagnosticFactor,
                              p.diagnosticMinMs());
}

void LiveEngine::warm(const QString& device, qint64 tsMs, OpState state, const double* values,
                      int errorCode) {
    const auto d = std::size_t(deviceIndex(device));
    streams_[d].push(tsMs, state, values, errorCode, row_.data.data());
    health_[d].push(tsMs, values);
    // Both score filters look back too: their history needs the scores of the warm-up samples.
    rowState_[0] = state;
    float score = 0;
    model_->score(device, row_, rowState_, &score);
    score = filters_[d].push(tsMs, score);
    (void)incidentFilters_[d].push(tsMs, double(score));
}

LiveRowResult LiveEngine::push(const QString& device, qint64 tsMs, OpState state, const double* values,
                               int errorCode, const QString& faultTag) {
    LiveRowResult out;
    out.device = deviceIndex(device);
    out.tsMs = tsMs;
    out.state = state;
    streams_[std::size_t(out.device)].push(tsMs, state, values, errorCode, row_.data.data());
    health_[std::size_t(out.device)].push(tsMs, values);
    rowState_[0] = state;
    model_->score(device, row_, rowState_, &out.score);
    out.score = filters_[std::size_t(out.device)].push(tsMs, out.score);
    const std::size_t rowNumber = std::size_t(rows_++);
    // The same comparisons as the batch path (float scores against the double threshold).
    out.flagged = double(out.score) >= tracker_.threshold();
    ScoredRow scored;
    scored.device = device;
    scored.tsMs = tsMs;
    scored.state = state;
    scored.score = out.score;
    scored.filtered = double(float(incidentFilters_[std::size_t(out.device)].push(tsMs, double(out.score))));
    scored.faultTag = faultTag;
    scored.row = rowNumber;
    scored.diagnostic = diagnosticOf(std::size_t(out.device), tsMs, state);
    std::optional<Explanation> why;
    if (out.flagged)
        why = explainer_.explain(rowNumber, device, row_.data.data(), state);
    const std::size_t before = tracker_.alerts().size();
    out.alert = tracker_.push(scored, why ? &*why : nullptr);
    if (tracker_.alerts().size() != before)
        tracker_.regroupFleet();
    return out;
}

}  // namespace itap
