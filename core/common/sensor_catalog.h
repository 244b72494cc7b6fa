#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace itap {

/// One telemetry channel of the sensor catalog.
struct ChannelSpec {
    QString name;    ///< column name in the canonical CSV and the store, [a-z_][a-z0-9_]*
    QString unit;    ///< display unit, e.g. "°C"
    QString family;  ///< sensor family, e.g. "Temperature"; groups explanations, rules and charts
    double min = 0;  ///< lowest physically valid value (inclusive)
    double max = 0;  ///< highest physically valid value (inclusive)
};

/// The list of channels every stage works from. Sensors are data, not code: no stage names a channel.
class SensorCatalog {
public:
    SensorCatalog() = default;
    explicit SensorCatalog(std::vector<ChannelSpec> channels);

    /// Parses `{"schema_version":1,"channels":[{"name","unit","family","min","max"},...]}`.
    [[nodiscard]] static Result<SensorCatalog> fromJson(const nlohmann::json& j, const QString& source);
    [[nodiscard]] static Result<SensorCatalog> load(const QString& path);
    /// The catalog shipped in resources/sensor_catalog.json (voltage, current, temperature, rpm, vibration).
    [[nodiscard]] static SensorCatalog defaults();

    [[nodiscard]] nlohmann::json toJson() const;
    [[nodiscard]] const std::vector<ChannelSpec>& channels() const { return channels_; }
    [[nodiscard]] int size() const { return static_cast<int>(channels_.size()); }
    [[nodiscard]] const ChannelSpec& channel(int i) const { return channels_[static_cast<std::size_t>(i)]; }
    /// Index of the channel called `name`, or -1.
    [[nodiscard]] int indexOf(const QString& name) const;
    /// Distinct families in order of first appearance.
    [[nodiscard]] QStringList families() const;
    /// Indices of the channels of one family.
    [[nodiscard]] std::vector<int> channelsOfFamily(const QString& family) const;
    /// SHA-256 (hex) of the canonical JSON: a model trained on one catalog refuses another.
    [[nodiscard]] QString hash() const;

private:
    std::vector<ChannelSpec> channels_;
};

/// True for a name usable as a channel/column name: [a-z_][a-z0-9_]{0,62}.
[[nodiscard]] bool isValidChannelName(const QString& name);

}  // namespace itap
