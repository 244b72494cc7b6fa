#include "features/feature_params.h"

#include "common/json_util.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace itap {

Status FeatureParams::validate() const {
    if (window < kMinWindow || window > kMaxWindow)
        return Error::badInput(QStringLiteral("features.window: %1 is out of range %2..%3")
                                   .arg(window)
                                   .arg(kMinWindow)
                                   .arg(kMaxWindow));
    if (!std::isfinite(timeCapSeconds) || timeCapSeconds < kMinTimeCapSeconds ||
        timeCapSeconds > kMaxTimeCapSeconds)
        return Error::badInput(QStringLiteral("features.time_cap_s: %1 is out of range %2..%3")
                                   .arg(timeCapSeconds)
                                   .arg(kMinTimeCapSeconds)
                                   .arg(kMaxTimeCapSeconds));
    return {};
}

nlohmann::json FeatureParams::toJson() const {
    return {{"feature_version", kFeatureVersion},
            {"window", window},
            {"time_cap_s", timeCapSeconds},
            {"segment_by_state", segmentByState}};
}

Result<FeatureParams> FeatureParams::fromJson(const nlohmann::json& j, const QString& source) {
    const QString ctx = QStringLiteral("features");
    if (!j.is_object())
        return Error::badInput(ctx + QStringLiteral(": expected a JSON object"), source);
    for (const auto& item : j.items()) {
        const std::string& key = item.key();
        if (key != "feature_version" && key != "window" && key != "time_cap_s" && key != "segment_by_state")
            return Error::badInput(
                ctx + QStringLiteral(": unknown key \"%1\"").arg(QString::fromStdString(key)), source);
    }
    JsonReader r(j, source, ctx);
    auto version = r.integer("feature_version", kFeatureVersion);
    if (!version)
        return version.error();
    if (*version != kFeatureVersion)
        return r.error("feature_version",
                       QStringLiteral("features were computed by version %1, this build computes "
                                      "version %2; retrain the model")
                           .arg(*version)
                           .arg(kFeatureVersion));
    FeatureParams p;
    auto window = r.integer("window", p.window);
    if (!window)
        return window.error();
    // Checked before the narrowing to int, so that a value beyond int is named as given, not as what it
    // would wrap to.
    if (*window < kMinWindow || *window > kMaxWindow)
        return r.error(
            "window",
            QStringLiteral("%1 is out of range %2..%3").arg(*window).arg(kMinWindow).arg(kMaxWindow));
    p.window = static_cast<int>(*window);
    auto cap = r.number("time_cap_s", p.timeCapSeconds);
    if (!cap)
        return cap.error();
    p.timeCapSeconds = *cap;
    if (j.contains("segment_by_state")) {
        if (!j["segment_by_state"].is_boolean())
            return r.error("segment_by_state", QStringLiteral("expected true or false"));
        p.segmentByState = j["segment_by_state"].get<bool>();
    }
    if (auto st = p.validate(); !st)
        return Error::badInput(st.error().message, source);
    return p;
}

}  // namespace itap
