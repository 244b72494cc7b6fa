#include "model/score_filter.h"

#include "common/json_util.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace itap {

Status ScoreFilterParams::validate() const {
    if (smoothSamples < 1 || smoothSamples > kMaxSmoothSamples)
        return Error::badInput(QStringLiteral("score filter: smoothing must be 1-%1 samples, got %2")
                                   .arg(kMaxSmoothSamples)
                                   .arg(smoothSamples));
    if (!(minAlarmSeconds >= 0 && minAlarmSeconds <= kMaxMinAlarmSeconds))
        return Error::badInput(
            QStringLiteral("score filter: the minimum alarm duration must be 0-%1 s, got %2")
                .arg(kMaxMinAlarmSeconds)
                .arg(minAlarmSeconds));
    return {};
}

nlohmann::json ScoreFilterParams::toJson() const {
    return {{"smooth_samples", smoothSamples}, {"min_alarm_s", minAlarmSeconds}};
}

Result<ScoreFilterParams> ScoreFilterParams::fromJson(const nlohmann::json& j, const QString& source) {
    const QString ctx = QStringLiteral("score_filter");
    if (!j.is_object())
        return Error::badInput(ctx + QStringLiteral(": expected a JSON object"), source);
    for (const auto& item : j.items())
        if (item.key() != "smooth_samples" && item.key() != "min_alarm_s")
            return Error::badInput(
                ctx + QStringLiteral(": unknown key \"%1\"").arg(QString::fromStdString(item.key())), source);
    JsonReader r(j, source, ctx);
    ScoreFilterParams p;
    auto smooth = r.integer("smooth_samples", p.smoothSamples);
    if (!smooth)
        return smooth.error();
    auto minAlarm = r.number("min_alarm_s", p.minAlarmSeconds);
    if (!minAlarm)
        return minAlarm.error();
    if (*smooth < 1 || *smooth > kMaxSmoothSamples)
        return r.error("smooth_samples", QStringLiteral("must be 1-%1").arg(kMaxSmoothSamples));
    p.smoothSamples = int(*smooth);
    p.minAlarmSeconds = *minAlarm;
    if (Status st = p.validate(); !st)
        return Error::badInput(st.error().message, source);
    return p;
}

ScoreFilter::ScoreFilter(ScoreFilterParams params)
    : params_(params), windowMs_(qint64(std::llround(params.minAlarmSeconds * 1000.0))) {}

void ScoreFilter::reset() {
    recent_.clear();
    sum_ = 0;
    minima_.clear();
}

float ScoreFilter::push(qint64 tsMs, float score) {
    float value = score;
    if (params_.smoothSamples > 1) {
        recent_.push_back(score);
        sum_ += double(score);
        if (recent_.size() > std::size_t(params_.smoothSamples)) {
            sum_ -= double(recent_.front());
            recent_.pop_front();
        }
        if (recent_.size() == 1)
            sum_ = double(score);  // no drift: restart the running sum whenever the window is one sample
        value = float(sum_ / double(recent_.size()));
    }
    if (windowMs_ <= 0)
        return value;
    while (!minima_.empty() && minima_.back().value >= value) minima_.pop_back();
    minima_.push_back({tsMs, value});
    while (minima_.front().tsMs < tsMs - windowMs_) minima_.pop_front();
    return minima_.front().value;
}

void filterScores(const ScoreFilterParams& params, const qint64* tsMs, float* scores, std::size_t n) {
    if (params.isIdentity())
        return;
    ScoreFilter filter(params);
    for (std::size_t i = 0; i < n; ++i) scores[i] = filter.push(tsMs[i], scores[i]);
}

}  // namespace itap
