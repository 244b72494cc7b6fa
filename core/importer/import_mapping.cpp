#include "importer/import_mapping.h"

#include "common/json_util.h"
#include "importer/timestamp_parser.h"

#include <QRegularExpression>
#include <QSet>

#include <nlohmann/json.hpp>

#include <cmath>
#include <initializer_list>

namespace itap {
namespace {

using json = nlohmann::json;

QString qs(const std::string& s) { return QString::fromStdString(s); }
std::string ss(const QString& s) { return s.toStdString(); }

// Strict reading of one JSON object: every key must be known, every error names its key path.
class Node {
public:
    Node(const json& j, QString source, QString path) : j_(j), source_(std::move(source)), path_(std::move(path)) {}

    [[nodiscard]] Error error(const QString& what) const {
        return Error::badInput(QStringLiteral("%1: %2").arg(path_.isEmpty() ? QStringLiteral("(top level)") : path_, what),
                               source_);
    }
    [[nodiscard]] Node child(const char* key) const { return Node(j_.at(key), source_, sub(key)); }
    [[nodiscard]] Node at(std::size_t i) const {
        return Node(j_.at(i), source_, QStringLiteral("%1[%2]").arg(path_).arg(i));
    }
    [[nodiscard]] QString sub(const char* key) const {
        return path_.isEmpty() ? QString::fromUtf8(key) : path_ + QLatin1Char('.') + QString::fromUtf8(key);
    }
    [[nodiscard]] const json& raw() const { return j_; }
    [[nodiscard]] const QString& path() const { return path_; }
    [[nodiscard]] const QString& source() const { return source_; }
    [[nodiscard]] bool has(const char* key) const { return j_.is_object() && j_.contains(key); }

    /// The object's keys must all be in `allowed`.
    [[nodiscard]] Status object(std::initializer_list<const char*> allowed) const {
        if (!j_.is_object()) return error(QStringLiteral("expected an object"));
        for (auto it = j_.begin(); it != j_.end(); ++it) {
            bool known = false;
            for (const char* a : allowed) known = known || it.key() == a;
            if (!known) {
                QStringList names;
                for (const char* a : allowed) names << QString::fromUtf8(a);
                return Error::badInput(QStringLiteral("%1: unknown key (known keys here: %2)")
                                           .arg(sub(it.key().c_str()), names.join(QStringLiteral(", "))),
                                       source_);
            }
        }
        return {};
    }
    [[nodiscard]] Result<QString> string() const {
        if (!j_.is_string()) return error(QStringLiteral("expected a string"));
        return qs(j_.get<std::string>());
    }
    [[nodiscard]] Result<double> number() const {
        if (!j_.is_number()) return error(QStringLiteral("expected a number"));
        const double v = j_.get<double>();
        if (!std::isfinite(v)) return error(QStringLiteral("expected a finite number"));
        return v;
    }
    [[nodiscard]] Result<bool> boolean() const {
        if (!j_.is_boolean()) return error(QStringLiteral("expected true or false"));
        return j_.get<bool>();
    }
    [[nodiscard]] Result<QStringList> strings() const {
        if (!j_.is_array()) return error(QStringLiteral("expected an array of strings"));
        QStringList out;
        for (std::size_t i = 0; i < j_.size(); ++i) {
            auto s = at(i).string();
            if (!s) return s.error();
            out << *s;
        }
        return out;
    }
    [[nodiscard]] Result<ColumnRef> column() const {
        if (j_.is_string()) {
            const QString name = qs(j_.get<std::string>()).trimmed();
            if (name.isEmpty()) return error(QStringLiteral("empty column name"));
            return ColumnRef{name, 0};
        }
        if (j_.is_number_integer() || j_.is_number_unsigned()) {
            const auto i = j_.get<long long>();
            if (i < 1 || i > 100000) return error(QStringLiteral("a column number must be in [1, 100000]"));
            return ColumnRef{{}, static_cast<int>(i)};
        }
        return error(QStringLiteral("expected a column name (string) or a 1-based column number"));
    }
    [[nodiscard]] Result<QChar> character(std::initializer_list<char> allowed, bool allowEmpty) const {
        auto s = string();
        if (!s) return s.error();
        QString text = *s;
        if (text == QLatin1String("tab") || text == QLatin1String("\\t")) text = QStringLiteral("\t");
        if (text.isEmpty() && allowEmpty) return QChar();
        QStringList names;
        for (char c : allowed) {
            names << (c == '\t' ? QStringLiteral("\"\\t\"") : QStringLiteral("\"%1\"").arg(QLatin1Char(c)));
            if (text.size() == 1 && text[0] == QLatin1Char(c)) return text[0];
        }
        if (allowEmpty) names << QStringLiteral("\"\"");
        return error(QStringLiteral("'%1' is not allowed (one of %2)").arg(*s, names.join(QStringLiteral(", "))));
    }

private:
    const json& j_;
    QString source_;
    QString path_;
};

#define ITAP_TRY(var, expr)                 \
    auto var##_r = (expr);                  \
    if (!var##_r) return var##_r.error();   \
    auto var = std::move(var##_r).value()

#define ITAP_CHECK(expr)                    \
    do {                                    \
        if (Status s_ = (expr); !s_) return s_.error(); \
    } while (false)

std::optional<OpState> stateFromName(const QString& s) { return parseOpState(s.trimmed().toUpper()); }

json columnJson(const ColumnRef& c) { return c.index > 0 ? json(c.index) : json(ss(c.name)); }

QString charName(QChar c) { return c.isNull() ? QString() : QString(c); }

Result<ImportMapping::Source> parseSource(const Node& n) {
    ImportMapping::Source s;
    ITAP_CHECK(n.object({"delimiter", "decimal", "header", "quote", "encoding", "comment", "skip_lines", "missing_values"}));
    if (n.has("delimiter")) {
        ITAP_TRY(c, n.child("delimiter").character({',', ';', '\t', '|'}, false));
        s.delimiter = c;
    }
    if (n.has("decimal")) {
        ITAP_TRY(c, n.child("decimal").character({'.', ','}, false));
        s.decimal = c;
    }
    if (n.has("header")) {
        ITAP_TRY(b, n.child("header").boolean());
        s.header = b;
    }
    if (n.has("quote")) {
        ITAP_TRY(c, n.child("quote").character({'"', '\''}, true));
        s.quote = c;
    }
    if (n.has("encoding")) {
        ITAP_TRY(e, n.child("encoding").string());
        const QString enc = e.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
        if (enc == QLatin1String("utf8") || enc == QLatin1String("utf8bom") || enc == QLatin1String("utf8sig"))
            s.encoding = QStringLiteral("utf-8");
        else if (enc == QLatin1String("latin1") || enc == QLatin1String("iso88591"))
            s.encoding = QStringLiteral("latin-1");
        else
            return n.child("encoding").error(QStringLiteral("'%1' is not supported (\"utf-8\" with or without BOM, "
                                                            "or \"latin-1\")").arg(e));
    }
    if (n.has("comment")) {
        ITAP_TRY(c, n.child("comment").string());
        s.comment = c;
    }
    if (n.has("skip_lines")) {
        ITAP_TRY(v, n.child("skip_lines").number());
        if (v < 0 || v > 1000 || v != std::floor(v))
            return n.child("skip_lines").error(QStringLiteral("expected an integer in [0, 1000]"));
        s.skipLines = static_cast<int>(v);
    }
    if (n.has("missing_values")) {
        ITAP_TRY(list, n.child("missing_values").strings());
        s.missingValues = list;
    }
    return s;
}

Result<ImportMapping::Timestamp> parseTimestamp(const Node& n) {
    ImportMapping::Timestamp t;
    ITAP_CHECK(n.object({"column", "format", "zone"}));
    if (!n.has("column")) return n.error(QStringLiteral("'column' is required"));
    ITAP_TRY(col, n.child("column").column());
    t.column = col;
    if (n.has("format")) {
        ITAP_TRY(f, n.child("format").string());
        if (f == QLatin1String("iso8601")) t.format = ImportMapping::TimeFormat::Iso8601;
        else if (f == QLatin1String("unix_s")) t.format = ImportMapping::TimeFormat::UnixSeconds;
        else if (f == QLatin1String("unix_ms")) t.format = ImportMapping::TimeFormat::UnixMillis;
        else if (f.trimmed().isEmpty()) return n.child("format").error(QStringLiteral("empty format"));
        else {
            t.format = ImportMapping::TimeFormat::Pattern;
            t.pattern = f;
        }
    }
    if (n.has("zone")) {
        ITAP_TRY(z, n.child("zone").string());
        t.zone = z;
    }
    return t;
}

Result<ImportMapping::Device> parseDevice(const Node& n) {
    ImportMapping::Device d;
    ITAP_CHECK(n.object({"column", "constant", "from_file_name", "regex"}));
    const int kinds = int(n.has("column")) + int(n.has("constant")) + int(n.has("from_file_name"));
    if (kinds != 1)
        return n.error(QStringLiteral("give exactly one of 'column', 'constant' or 'from_file_name'"));
    if (n.has("regex") && !n.has("from_file_name"))
        return n.child("regex").error(QStringLiteral("only allowed with 'from_file_name'"));
    if (n.has("column")) {
        ITAP_TRY(c, n.child("column").column());
        d.source = ImportMapping::DeviceSource::Column;
        d.column = c;
    } else if (n.has("constant")) {
        ITAP_TRY(c, n.child("constant").string());
        if (c.trimmed().isEmpty()) return n.child("constant").error(QStringLiteral("empty device id"));
        d.source = ImportMapping::DeviceSource::Constant;
        d.constant = c.trimmed();
    } else {
        ITAP_TRY(b, n.child("from_file_name").boolean());
        if (!b) return n.child("from_file_name").error(QStringLiteral("must be true (or leave it out)"));
        d.source = ImportMapping::DeviceSource::FileName;
        if (n.has("regex")) {
            ITAP_TRY(r, n.child("regex").string());
            d.regex = r;
        }
    }
    return d;
}

Result<ImportMapping::Channel> parseChannel(const Node& n) {
    ImportMapping::Channel c;
    ITAP_CHECK(n.object({"column", "name", "unit", "family", "min", "max", "scale", "offset"}));
    for (const char* key : {"column", "name", "family", "min", "max"})
        if (!n.has(key)) return n.error(QStringLiteral("'%1' is required").arg(QString::fromUtf8(key)));
    ITAP_TRY(col, n.child("column").column());
    c.column = col;
    ITAP_TRY(name, n.child("name").string());
    c.spec.name = name;
    if (n.has("unit")) {
        ITAP_TRY(unit, n.child("unit").string());
        c.spec.unit = unit;
    }
    ITAP_TRY(family, n.child("family").string());
    c.spec.family = family.trimmed();
    ITAP_TRY(mn, n.child("min").number());
    ITAP_TRY(mx, n.child("max").number());
    c.spec.min = mn;
    c.spec.max = mx;
    if (n.has("scale")) {
        ITAP_TRY(v, n.child("scale").number());
        c.scale = v;
    }
    if (n.has("offset")) {
        ITAP_TRY(v, n.child("offset").number());
        c.offset = v;
    }
    return c;
}

Result<ImportMapping::State> parseState(const Node& n) {
    ImportMapping::State st;
    ITAP_CHECK(n.object({"column", "map", "default", "constant"}));
    if (n.has("constant") == n.has("column")) return n.error(QStringLiteral("give exactly one of 'column' or 'constant'"));
    auto stateOf = [](const Node& v) -> Result<OpState> {
        ITAP_TRY(s, v.string());
        if (auto st2 = stateFromName(s)) return *st2;
        return v.error(QStringLiteral("'%1' is not a state (RUN, IDLE or MAINT)").arg(s));
    };
    if (n.has("constant")) {
        if (n.has("map") || n.has("default")) return n.error(QStringLiteral("'map' and 'default' need 'column'"));
        ITAP_TRY(s, stateOf(n.child("constant")));
        st.constant = s;
        return st;
    }
    st.fromColumn = true;
    ITAP_TRY(col, n.child("column").column());
    st.column = col;
    if (n.has("map")) {
        const Node m = n.child("map");
        if (!m.raw().is_object()) return m.error(QStringLiteral("expected an object of source value -> state"));
        for (auto it = m.raw().begin(); it != m.raw().end(); ++it) {
            const Node v(it.value(), m.source(), m.sub(it.key().c_str()));
            auto s = stateOf(v);
            if (!s) return s.error();
            st.map[qs(it.key()).trimmed()] = *s;
        }
    }
    if (n.has("default")) {
        ITAP_TRY(s, stateOf(n.child("default")));
        st.fallback = s;
    }
    return st;
}

Result<ImportMapping::Labels> parseLabels(const Node& n) {
    ImportMapping::Labels l;
    if (n.raw().is_null()) return l;
    if (n.raw().is_string()) {
        if (n.raw().get<std::string>() == "none") return l;
        return n.error(QStringLiteral("expected \"none\" or an object"));
    }
    ITAP_CHECK(n.object({"anomaly_column", "fault_column", "tag", "normal_values"}));
    if (n.has("anomaly_column") && n.has("fault_column"))
        return n.error(QStringLiteral("give at most one of 'anomaly_column' or 'fault_column'"));
    if (n.has("anomaly_column")) {
        ITAP_TRY(c, n.child("anomaly_column").column());
        l.kind = ImportMapping::LabelKind::AnomalyFlag;
        l.column = c;
        if (n.has("normal_values")) return n.error(QStringLiteral("'normal_values' goes with 'fault_column'"));
        if (n.has("tag")) {
            ITAP_TRY(t, n.child("tag").string());
            if (t.trimmed().isEmpty()) return n.child("tag").error(QStringLiteral("empty tag"));
            l.tag = t.trimmed();
        }
    } else if (n.has("fault_column")) {
        ITAP_TRY(c, n.child("fault_column").column());
        l.kind = ImportMapping::LabelKind::FaultName;
        l.column = c;
        if (n.has("tag")) return n.error(QStringLiteral("'tag' goes with 'anomaly_column'"));
        if (n.has("normal_values")) {
            ITAP_TRY(list, n.child("normal_values").strings());
            l.normalValues = list;
        }
    } else if (n.has("tag") || n.has("normal_values")) {
        return n.error(QStringLiteral("'anomaly_column' or 'fault_column' is required"));
    }
    return l;
}

}  // namespace

QString ColumnRef::describe() const {
    return index > 0 ? QStringLiteral("column %1").arg(index) : QStringLiteral("'%1'").arg(name);
}

Result<ImportMapping> ImportMapping::fromJson(const json& j, const QString& source) {
    const Node root(j, source, QString());
    ITAP_CHECK(root.object({"schema_version", "description", "source", "timestamp", "device", "channels", "state",
                            "error_code", "labels"}));
    if (!root.has("schema_version")) return root.error(QStringLiteral("'schema_version' is required"));
    if (!j.at("schema_version").is_number_integer() || j.at("schema_version").get<int>() != kSchemaVersion)
        return root.child("schema_version").error(QStringLiteral("unsupported version (this build reads %1)").arg(kSchemaVersion));
    if (root.has("description")) {
        ITAP_TRY(d, root.child("description").string());
        (void)d;
    }
    ImportMapping m;
    if (root.has("source")) {
        ITAP_TRY(s, parseSource(root.child("source")));
        m.source = s;
    }
    if (!root.has("timestamp")) return root.error(QStringLiteral("'timestamp' is required"));
    {
        ITAP_TRY(t, parseTimestamp(root.child("timestamp")));
        m.timestamp = t;
    }
    if (root.has("device")) {
        ITAP_TRY(d, parseDevice(root.child("device")));
        m.device = d;
    }
    if (!root.has("channels")) return root.error(QStringLiteral("'channels' is required"));
    {
        const Node chs = root.child("channels");
        if (!chs.raw().is_array() || chs.raw().empty())
            return chs.error(QStringLiteral("expected a non-empty array of channels"));
        for (std::size_t i = 0; i < chs.raw().size(); ++i) {
            ITAP_TRY(c, parseChannel(chs.at(i)));
            m.channels.push_back(std::move(c));
        }
    }
    if (root.has("state")) {
        ITAP_TRY(s, parseState(root.child("state")));
        m.state = s;
    }
    if (root.has("error_code")) {
        const Node e = root.child("error_code");
        ITAP_CHECK(e.object({"column"}));
        if (!e.has("column")) return e.error(QStringLiteral("'column' is required"));
        ITAP_TRY(c, e.child("column").column());
        m.errorCode = c;
    }
    if (root.has("labels")) {
        ITAP_TRY(l, parseLabels(root.child("labels")));
        m.labels = l;
    }
    ITAP_CHECK(m.validate(source));
    return m;
}

Result<ImportMapping> ImportMapping::load(const QString& path) {
    auto j = readJsonFile(path);
    if (!j) return j.error();
    return fromJson(*j, path);
}

Status ImportMapping::validate(const QString& file) const {
    auto bad = [&](const QString& path, const QString& what) {
        return Error::badInput(QStringLiteral("%1: %2").arg(path, what), file);
    };
    if (this->source.delimiter == this->source.decimal)
        return bad(QStringLiteral("source.decimal"), QStringLiteral("the decimal separator must differ from the delimiter"));
    if (!this->source.quote.isNull() &&
        (this->source.quote == this->source.delimiter || this->source.quote == this->source.decimal))
        return bad(QStringLiteral("source.quote"), QStringLiteral("the quote must differ from the delimiter and decimal"));
    if (channels.empty()) return bad(QStringLiteral("channels"), QStringLiteral("at least one channel is required"));
    auto checkColumn = [&](const ColumnRef& c, const QString& path) -> Status {
        if (!c.isSet()) return bad(path, QStringLiteral("no column given"));
        if (!this->source.header && c.index == 0)
            return bad(path, QStringLiteral("the file has no header (source.header = false): give a 1-based "
                                            "column number instead of the name %1").arg(c.describe()));
        return {};
    };
    if (Status s = checkColumn(timestamp.column, QStringLiteral("timestamp.column")); !s) return s;
    if (auto p = TimestampParser::create(timestamp, file); !p) return p.error();
    if (device.source == DeviceSource::Column) {
        if (Status s = checkColumn(device.column, QStringLiteral("device.column")); !s) return s;
    }
    if (device.source == DeviceSource::FileName && !device.regex.isEmpty()) {
        const QRegularExpression re(device.regex);
        if (!re.isValid())
            return bad(QStringLiteral("device.regex"), QStringLiteral("invalid regular expression: %1").arg(re.errorString()));
    }
    QSet<QString> names;
    for (std::size_t i = 0; i < channels.size(); ++i) {
        const Channel& c = channels[i];
        const QString path = QStringLiteral("channels[%1]").arg(i);
        if (Status s = checkColumn(c.column, path + QStringLiteral(".column")); !s) return s;
        if (!isValidChannelName(c.spec.name))
            return bad(path + QStringLiteral(".name"),
                       QStringLiteral("'%1' is not a valid channel name ([a-z_][a-z0-9_]*, at most 63 characters)")
                           .arg(c.spec.name));
        if (names.contains(c.spec.name))
            return bad(path + QStringLiteral(".name"), QStringLiteral("'%1' is used twice").arg(c.spec.name));
        names.insert(c.spec.name);
        if (c.spec.family.isEmpty()) return bad(path + QStringLiteral(".family"), QStringLiteral("empty family"));
        if (!(c.spec.min < c.spec.max))
            return bad(path + QStringLiteral(".max"), QStringLiteral("max (%1) must be greater than min (%2)")
                                                          .arg(c.spec.max).arg(c.spec.min));
        if (c.scale == 0) return bad(path + QStringLiteral(".scale"), QStringLiteral("must not be 0"));
    }
    if (state.fromColumn) {
        if (Status s = checkColumn(state.column, QStringLiteral("state.column")); !s) return s;
    }
    if (errorCode) {
        if (Status s = checkColumn(*errorCode, QStringLiteral("error_code.column")); !s) return s;
    }
    if (labels.kind != LabelKind::None) {
        const QString path = labels.kind == LabelKind::AnomalyFlag ? QStringLiteral("labels.anomaly_column")
                                                                    : QStringLiteral("labels.fault_column");
        if (Status s = checkColumn(labels.column, path); !s) return s;
    }
    return {};
}

SensorCatalog ImportMapping::catalog() const {
    std::vector<ChannelSpec> specs;
    specs.reserve(channels.size());
    for (const Channel& c : channels) specs.push_back(c.spec);
    return SensorCatalog(std::move(specs));
}

json ImportMapping::toJson() const {
    json j;
    j["schema_version"] = kSchemaVersion;
    json src;
    src["delimiter"] = ss(charName(source.delimiter));
    src["decimal"] = ss(charName(source.decimal));
    src["header"] = source.header;
    src["quote"] = ss(charName(source.quote));
    src["encoding"] = ss(source.encoding);
    src["comment"] = ss(source.comment);
    src["skip_lines"] = source.skipLines;
    json missing = json::array();
    for (const QString& m : source.missingValues) missing.push_back(ss(m));
    src["missing_values"] = missing;
    j["source"] = src;

    json ts;
    ts["column"] = columnJson(timestamp.column);
    switch (timestamp.format) {
        case TimeFormat::Iso8601: ts["format"] = "iso8601"; break;
        case TimeFormat::UnixSeconds: ts["format"] = "unix_s"; break;
        case TimeFormat::UnixMillis: ts["format"] = "unix_ms"; break;
        case TimeFormat::Pattern: ts["format"] = ss(timestamp.pattern); break;
    }
    ts["zone"] = ss(timestamp.zone);
    j["timestamp"] = ts;

    json dev;
    switch (device.source) {
        case DeviceSource::Column: dev["column"] = columnJson(device.column); break;
        case DeviceSource::Constant: dev["constant"] = ss(device.constant); break;
        case DeviceSource::FileName:
            dev["from_file_name"] = true;
            if (!device.regex.isEmpty()) dev["regex"] = ss(device.regex);
            break;
    }
    j["device"] = dev;

    json chs = json::array();
    for (const Channel& c : channels) {
        json cj{{"column", columnJson(c.column)}, {"name", ss(c.spec.name)},   {"unit", ss(c.spec.unit)},
                {"family", ss(c.spec.family)},    {"min", c.spec.min},         {"max", c.spec.max}};
        if (c.scale != 1.0) cj["scale"] = c.scale;
        if (c.offset != 0.0) cj["offset"] = c.offset;
        chs.push_back(cj);
    }
    j["channels"] = chs;

    json st;
    if (state.fromColumn) {
        st["column"] = columnJson(state.column);
        json map = json::object();
        for (const auto& [k, v] : state.map) map[ss(k)] = ss(opStateName(v));
        st["map"] = map;
        if (state.fallback) st["default"] = ss(opStateName(*state.fallback));
    } else {
        st["constant"] = ss(opStateName(state.constant));
    }
    j["state"] = st;
    if (errorCode) j["error_code"] = json{{"column", columnJson(*errorCode)}};
    switch (labels.kind) {
        case LabelKind::None: j["labels"] = "none"; break;
        case LabelKind::AnomalyFlag:
            j["labels"] = json{{"anomaly_column", columnJson(labels.column)}, {"tag", ss(labels.tag)}};
            break;
        case LabelKind::FaultName: {
            json normal = json::array();
            for (const QString& v : labels.normalValues) normal.push_back(ss(v));
            j["labels"] = json{{"fault_column", columnJson(labels.column)}, {"normal_values", normal}};
            break;
        }
    }
    return j;
}

}  // namespace itap
