#include "common/sensor_catalog.h"

#include "common/json_util.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>

#include <nlohmann/json.hpp>

namespace itap {

SensorCatalog::SensorCatalog(std::vector<ChannelSpec> channels) : channels_(std::move(channels)) {}

bool isValidChannelName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return re.match(name).hasMatch();
}

Result<SensorCatalog> SensorCatalog::fromJson(const nlohmann::json& j, const QString& source) {
    if (!j.is_object()) return Error::badInput(QStringLiteral("sensor catalog: expected a JSON object"), source);
    if (j.contains("schema_version") && (!j["schema_version"].is_number_integer() || j["schema_version"] != 1))
        return Error::badInput(QStringLiteral("sensor catalog: unsupported schema_version (expected 1)"), source);
    if (!j.contains("channels") || !j["channels"].is_array() || j["channels"].empty())
        return Error::badInput(QStringLiteral("sensor catalog: \"channels\" must be a non-empty array"), source);
    std::vector<ChannelSpec> out;
    QSet<QString> seen;
    const auto& arr = j["channels"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const QString ctx = QStringLiteral("channels[%1]").arg(i);
        if (!arr[i].is_object()) return Error::badInput(ctx + QStringLiteral(": expected an object"), source);
        JsonReader r(arr[i], source, ctx);
        ChannelSpec c;
        auto name = r.string("name");
        if (!name) return name.error();
        c.name = *name;
        if (!isValidChannelName(c.name))
            return r.error("name", QStringLiteral("\"%1\" is not a valid channel name ([a-z_][a-z0-9_]*)").arg(c.name));
        if (seen.contains(c.name)) return r.error("name", QStringLiteral("duplicate channel \"%1\"").arg(c.name));
        seen.insert(c.name);
        auto unit = r.string("unit", QString());
        if (!unit) return unit.error();
        c.unit = *unit;
        auto family = r.string("family");
        if (!family) return family.error();
        c.family = family->trimmed();
        if (c.family.isEmpty()) return r.error("family", QStringLiteral("must not be empty"));
        auto mn = r.number("min");
        if (!mn) return mn.error();
        auto mx = r.number("max");
        if (!mx) return mx.error();
        c.min = *mn;
        c.max = *mx;
        if (!(c.min < c.max)) return r.error("max", QStringLiteral("must be greater than min"));
        out.push_back(std::move(c));
    }
    return SensorCatalog(std::move(out));
}

Result<SensorCatalog> SensorCatalog::load(const QString& path) {
    auto j = readJsonFile(path);
    if (!j) return j.error();
    return fromJson(*j, path);
}

SensorCatalog SensorCatalog::defaults() {
    static const SensorCatalog cat = [] {
        auto r = load(QStringLiteral(":/itap/sensor_catalog.json"));
        if (!r) qFatal("built-in sensor catalog is invalid: %s", qPrintable(r.error().toString()));
        return std::move(r).value();
    }();
    return cat;
}

nlohmann::json SensorCatalog::toJson() const {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : channels_) {
        arr.push_back({{"name", c.name.toStdString()},
                       {"unit", c.unit.toStdString()},
                       {"family", c.family.toStdString()},
                       {"min", c.min},
                       {"max", c.max}});
    }
    return {{"schema_version", 1}, {"channels", arr}};
}

int SensorCatalog::indexOf(const QString& name) const {
    for (std::size_t i = 0; i < channels_.size(); ++i)
        if (channels_[i].name == name) return static_cast<int>(i);
    return -1;
}

QStringList SensorCatalog::families() const {
    QStringList out;
    for (const auto& c : channels_)
        if (!out.contains(c.family)) out.push_back(c.family);
    return out;
}

std::vector<int> SensorCatalog::channelsOfFamily(const QString& family) const {
    std::vector<int> out;
    for (std::size_t i = 0; i < channels_.size(); ++i)
        if (channels_[i].family == family) out.push_back(static_cast<int>(i));
    return out;
}

QString SensorCatalog::hash() const {
    const std::string canon = toJson().dump();
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::fromStdString(canon), QCryptographicHash::Sha256).toHex());
}

}  // namespace itap
