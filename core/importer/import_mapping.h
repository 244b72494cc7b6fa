#pragma once

#include "common/result.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <vector>

namespace itap {

/// A reference to a column of a foreign CSV: by header name, or by 1-based position (files without a header).
struct ColumnRef {
    QString name;    ///< header name (exact, after trimming); empty when `index` is used
    int index = 0;   ///< 1-based column number; 0 when `name` is used

    [[nodiscard]] bool isSet() const { return index > 0 || !name.isEmpty(); }
    /// "'Zeit'" or "column 3", for messages.
    [[nodiscard]] QString describe() const;
    [[nodiscard]] bool operator==(const ColumnRef&) const = default;
};

/// How to turn one foreign telemetry CSV layout into canonical telemetry (DESIGN.md §2): the import mapping
/// JSON, `schema_version` 1. Parsing is strict: an unknown key, a wrong type or an impossible value is an
/// error naming its key path (e.g. `channels[2].min`). See the README ("Importing foreign CSV") for the format.
struct ImportMapping {
    enum class TimeFormat { Iso8601, UnixSeconds, UnixMillis, Pattern };
    enum class DeviceSource { Column, Constant, FileName };
    enum class LabelKind { None, AnomalyFlag, FaultName };

    struct Source {
        QChar delimiter = QLatin1Char(',');  ///< ',' ';' '\t' or '|'
        QChar decimal = QLatin1Char('.');    ///< '.' or ','; must differ from the delimiter
        bool header = true;                  ///< the first (non-skipped, non-comment) line names the columns
        QChar quote = QLatin1Char('"');      ///< '"' or '\''; null = no quoting
        QString encoding = QStringLiteral("utf-8");  ///< "utf-8" (a BOM is skipped) or "latin-1"
        QString comment;                     ///< lines starting with it are skipped; empty = none
        int skipLines = 0;                   ///< preamble lines skipped before the header; 0..1000
        QStringList missingValues = {QString(), QStringLiteral("NaN"), QStringLiteral("nan"),
                                     QStringLiteral("NA"), QStringLiteral("N/A"), QStringLiteral("null")};
    };
    struct Timestamp {
        ColumnRef column;
        TimeFormat format = TimeFormat::Iso8601;
        QString pattern;  ///< Qt-style date-time pattern when format == Pattern, e.g. "dd.MM.yyyy hh:mm:ss"
        QString zone = QStringLiteral("UTC");  ///< assumed when the text has no zone: "UTC", "+02:00", IANA id
    };
    struct Device {
        DeviceSource source = DeviceSource::Constant;
        ColumnRef column;
        QString constant = QStringLiteral("DEV-0001");
        QString regex;  ///< FileName: first capture group (or whole match) on the file's base name; empty = base name
    };
    struct Channel {
        ColumnRef column;
        ChannelSpec spec;
        double scale = 1.0;   ///< value = raw × scale + offset (unit conversion); scale != 0
        double offset = 0.0;
    };
    struct State {
        bool fromColumn = false;
        ColumnRef column;
        std::map<QString, OpState> map;  ///< source value (trimmed) → state
        std::optional<OpState> fallback; ///< for values not in `map`; none = such a row is rejected ("state")
        OpState constant = OpState::Run;
    };
    struct Labels {
        LabelKind kind = LabelKind::None;
        ColumnRef column;
        QString tag = QStringLiteral("anomaly");  ///< fault tag of a row flagged 1 (AnomalyFlag)
        QStringList normalValues = {QString(), QStringLiteral("normal"), QStringLiteral("none"),
                                    QStringLiteral("ok"), QStringLiteral("0")};  ///< FaultName: "no fault"
    };

    static constexpr int kSchemaVersion = 1;

    Source source;
    Timestamp timestamp;
    Device device;
    std::vector<Channel> channels;  ///< catalog order
    State state;
    std::optional<ColumnRef> errorCode;  ///< integer ≥ 0 column; empty cell = 0; none = every row 0
    Labels labels;

    /// Parses a mapping document; `source` names it in errors ("map.json: channels[1].family: ...").
    [[nodiscard]] static Result<ImportMapping> fromJson(const nlohmann::json& j, const QString& source);
    [[nodiscard]] static Result<ImportMapping> load(const QString& path);
    /// The canonical JSON of this mapping (what fromJson() reads back to an equal mapping).
    [[nodiscard]] nlohmann::json toJson() const;
    /// Cross-field checks (fromJson() calls it): channel names unique and valid, ranges ordered, columns
    /// by position only without a header, delimiter ≠ decimal, the zone known, the pattern usable.
    [[nodiscard]] Status validate(const QString& file = QStringLiteral("mapping")) const;

    /// The sensor catalog the imported telemetry is stored with: the channels, in mapping order.
    [[nodiscard]] SensorCatalog catalog() const;
    /// True when the rows carry ground truth (labels.kind != None).
    [[nodiscard]] bool hasLabels() const { return labels.kind != LabelKind::None; }
};

}  // namespace itap
