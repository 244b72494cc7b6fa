#include "importer/mapping_guesser.h"

#include "importer/mapped_csv_reader.h"
#include "importer/timestamp_parser.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <map>

namespace itap {
namespace {

struct Column {
    QString name;
    QStringList samples;  // non-missing cells, trimmed
    int missing = 0;
    bool numeric = false;
    bool integer = false;
    double min = 0, max = 0;
    QSet<QString> distinct;
};

// Header names that say "time".
constexpr const char* kTimeNames = "time|zeit|date|datum|epoch|^ts$|stamp";

bool nameLike(const QString& name, const char* pattern) {
    return QRegularExpression(QString::fromLatin1(pattern), QRegularExpression::CaseInsensitiveOption)
        .match(name)
        .hasMatch();
}

// "P1 [bar]" → ("p1", "bar"); "Temperatur (°C)" → ("temperatur", "°C"); "temp_c" → ("temp_c", "").
std::pair<QString, QString> splitUnit(const QString& header) {
    static const QRegularExpression re(QStringLiteral("^(.*?)\\s*[\\[(]([^\\])]*)[\\])]\\s*$"));
    const auto m = re.match(header);
    if (m.hasMatch())
        return {m.captured(1), m.captured(2).trimmed()};
    // "motor_current_A", "temp_C": a unit as the last word.
    static const QRegularExpression suffix(QStringLiteral("^(.+)[_ ]([A-Za-z]+)$"));
    static const std::map<QString, QString> units = {
        {QStringLiteral("a"), QStringLiteral("A")},     {QStringLiteral("v"), QStringLiteral("V")},
        {QStringLiteral("c"), QStringLiteral("°C")},    {QStringLiteral("degc"), QStringLiteral("°C")},
        {QStringLiteral("g"), QStringLiteral("g")},     {QStringLiteral("rpm"), QStringLiteral("rpm")},
        {QStringLiteral("bar"), QStringLiteral("bar")}, {QStringLiteral("kw"), QStringLiteral("kW")},
        {QStringLiteral("hz"), QStringLiteral("Hz")},   {QStringLiteral("kpa"), QStringLiteral("kPa")},
        {QStringLiteral("psi"), QStringLiteral("psi")}, {QStringLiteral("pct"), QStringLiteral("%")}};
    const auto s = suffix.match(header);
    if (s.hasMatch()) {
        const auto it = units.find(s.captured(2).toLower());
        if (it != units.end())
            return {s.captured(1), it->second};
    }
    return {header, {}};
}

QString channelName(const QString& base, const QString& unit, QSet<QString>& used) {
    QString s;
    auto add = [&](const QString& text) {
        for (const QChar c : text.normalized(QString::NormalizationForm_KD)) {
            if (c.isLetterOrNumber() && c.unicode() < 128)
                s += c.toLower();
            else if (c == QChar(0x00B0))
                continue;  // "°C" → "c"
            else if (!s.endsWith(QLatin1Char('_')) && !s.isEmpty())
                s += QLatin1Char('_');
        }
    };
    add(base);
    if (!unit.isEmpty()) {
        if (!s.endsWith(QLatin1Char('_')))
            s += QLatin1Char('_');
        add(QString(unit)
                .replace(QLatin1Char('%'), QStringLiteral("pct"))
                .replace(QLatin1Char('/'), QLatin1Char('_')));
    }
    while (s.endsWith(QLatin1Char('_'))) s.chop(1);
    if (s.isEmpty() || s[0].isDigit())
        s.prepend(QStringLiteral("ch_"));
    s = s.left(56);
    QString name = s;
    for (int i = 2; used.contains(name); ++i) name = s + QStringLiteral("_%1").arg(i);
    used.insert(name);
    return name;
}

QString familyOf(const QString& name, const QString& unit) {
    const QString u = unit.toLower();
    struct Rule {
        const char* family;
        const char* namePattern;
        QStringList units;
    };
    static const std::vector<Rule> rules = {
        {"Pressure", "press|druck|bar\\b|psi", {"bar", "mbar", "psi", "pa", "kpa", "mpa", "hpa"}},
        {"Flow", "flow|durchfluss|flux|m3|l_min", {"m3/h", "m³/h", "l/min", "l/s", "kg/h", "gpm"}},
        {"Temperature", "temp|°c|celsius", {"°c", "c", "degc", "k", "°f", "f"}},
        {"Voltage", "volt|spannung|^u_|^u\\d", {"v", "kv", "mv"}},
        {"Current", "curr|amp|strom|^i_|^i\\d", {"a", "ma", "ka"}},
        {"RPM", "rpm|speed|drehzahl|rotation", {"rpm", "1/min", "u/min"}},
        {"Vibration", "vib|accel|acc_|schwing", {"mm/s", "g", "m/s2", "m/s²", "um"}},
        {"Power", "power|leistung|kw", {"kw", "w", "mw", "kva"}},
        {"Level", "level|füllstand|fuellstand", {"m", "mm", "cm"}},
        {"Humidity", "humid|feuchte|rh", {"%rh"}},
    };
    for (const Rule& r : rules)
        if (!u.isEmpty() && r.units.contains(u))
            return QString::fromLatin1(r.family);
    for (const Rule& r : rules)
        if (nameLike(name, r.namePattern))
            return QString::fromLatin1(r.family);
    return QStringLiteral("Other");
}

// A round number at or beyond `v` in the given direction (2 significant digits of the range's scale).
double niceBound(double v, double scale, bool up) {
    if (scale <= 0)
        scale = std::max(1.0, std::fabs(v));
    const double step = std::pow(10.0, std::floor(std::log10(scale)) - 1);
    const double b = up ? std::ceil(v / step) * step : std::floor(v / step) * step;
    return QString::number(b, 'g', 12).toDouble();  // 6.6000000000000005 -> 6.6
}

struct TimeGuess {
    ImportMapping::TimeFormat format = ImportMapping::TimeFormat::Iso8601;
    QString pattern;
    bool zoned = false;
};

std::optional<TimeGuess> guessTime(const Column& c) {
    if (c.samples.isEmpty())
        return std::nullopt;
    auto all = [&](const ImportMapping::Timestamp& ts) {
        auto p = TimestampParser::create(ts);
        if (!p)
            return false;
        // A sample with sub-millisecond digits still has the format: import then refuses that row by line.
        TimestampParser::Rejection rejection = TimestampParser::Rejection::Malformed;
        for (const QString& s : c.samples)
            if (!p->parse(s, nullptr, &rejection) &&
                rejection != TimestampParser::Rejection::FinerThanMillisecond)
                return false;
        return true;
    };
    if (c.numeric && c.integer) {
        const bool named = nameLike(c.name, kTimeNames);
        if (c.min >= 1e12 && c.max < 1e13)
            return TimeGuess{ImportMapping::TimeFormat::UnixMillis, {}, true};
        if (named && c.min >= 1e9 && c.max < 1e10)
            return TimeGuess{ImportMapping::TimeFormat::UnixSeconds, {}, true};
        return std::nullopt;
    }
    if (c.numeric)
        return std::nullopt;
    ImportMapping::Timestamp ts;
    ts.format = ImportMapping::TimeFormat::Iso8601;
    if (all(ts)) {
        static const QRegularExpression zone(QStringLiteral("(Z|[+-]\\d\\d(:?\\d\\d)?)$"));
        return TimeGuess{ImportMapping::TimeFormat::Iso8601, {}, zone.match(c.samples.first()).hasMatch()};
    }
    static const QStringList patterns = {
        QStringLiteral("dd.MM.yyyy hh:mm:ss"),  QStringLiteral("dd.MM.yyyy hh:mm:ss.zzz"),
        QStringLiteral("dd.MM.yyyy hh:mm"),     QStringLiteral("dd/MM/yyyy hh:mm:ss"),
        QStringLiteral("MM/dd/yyyy hh:mm:ss"),  QStringLiteral("dd/MM/yyyy hh:mm"),
        QStringLiteral("MM/dd/yyyy hh:mm"),     QStringLiteral("yyyy/MM/dd hh:mm:ss"),
        QStringLiteral("yyyy.MM.dd hh:mm:ss"),  QStringLiteral("dd-MM-yyyy hh:mm:ss"),
        QStringLiteral("yyyyMMdd hhmmss"),      QStringLiteral("M/d/yyyy h:mm:ss AP"),
        QStringLiteral("dd MMM yyyy hh:mm:ss"),
    };
    ts.format = ImportMapping::TimeFormat::Pattern;
    for (const QString& p : patterns) {
        ts.pattern = p;
        if (all(ts))
            return TimeGuess{ImportMapping::TimeFormat::Pattern, p, false};
    }
    return std::nullopt;
}

std::optional<OpState> stateOfValue(const QString& v) {
    if (auto s = parseOpState(v.toUpper()))
        return s;
    const QString l = v.toLower();
    if (nameLike(l, "maint|wartung|service|repair|instand"))
        return OpState::Maint;
    if (nameLike(l, "idle|stand|still|stop|off|aus|pause|wait|ready|bereit|^0$"))
        return OpState::Idle;
    if (nameLike(l, "run|betrieb|prod|on\\b|^on$|ein|active|aktiv|läuft|lauf|work|^1$"))
        return OpState::Run;
    return std::nullopt;
}

}  // namespace

Result<MappingGuess> guessMapping(const QString& path, int sampleLines) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::badInput(QStringLiteral("cannot open: ") + f.errorString(), path);
    MappingGuess guess;
    ImportMapping& m = guess.mapping;
    QStringList notes;

    // Raw lines: decoding, BOM, comments, preamble.
    QByteArray head;
    QList<QByteArray> rawLines;
    while (!f.atEnd() && rawLines.size() < sampleLines + 50) {
        QByteArray line = f.readLine(1 << 20);
        while (line.endsWith('\n') || line.endsWith('\r')) line.chop(1);
        rawLines << line;
    }
    if (rawLines.isEmpty())
        return Error::badInput(QStringLiteral("the file is empty"), path);
    if (rawLines.first().startsWith("\xEF\xBB\xBF")) {
        rawLines.first().remove(0, 3);
        notes << QStringLiteral("UTF-8 with BOM");
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    QStringList lines;
    for (const QByteArray& b : rawLines) {
        QString s = utf8(b);
        if (utf8.hasError())
            break;
        lines << s;
    }
    if (utf8.hasError()) {
        m.source.encoding = QStringLiteral("latin-1");
        notes << QStringLiteral("not valid UTF-8: encoding assumed latin-1");
        lines.clear();
        for (const QByteArray& b : rawLines) lines << QString::fromLatin1(b);
    }
    for (const char* prefix : {"#", "//", ";"}) {
        const QString p = QString::fromLatin1(prefix);
        const auto commented = std::count_if(lines.begin(), lines.end(),
                                             [&](const QString& l) { return l.trimmed().startsWith(p); });
        if (commented > 0 && commented < lines.size() && lines.first().trimmed().startsWith(p)) {
            m.source.comment = p;
            notes << QStringLiteral("lines starting with '%1' are comments").arg(p);
            break;
        }
    }
    QStringList content;
    for (const QString& l : lines) {
        if (l.trimmed().isEmpty())
            continue;
        if (!m.source.comment.isEmpty() && l.trimmed().startsWith(m.source.comment))
            continue;
        content << l;
    }
    if (content.size() < 2)
        return Error::badInput(QStringLiteral("need a header and at least one data row to guess a mapping"),
                               path);

    // Delimiter: the candidate that splits the lines into the same number (> 1) of fields most consistently.
    double bestScore = -1;
    QChar delimiter = QLatin1Char(',');
    int fieldCount = 0;
    for (const QChar cand : {QLatin1Char(','), QLatin1Char(';'), QLatin1Char('\t'), QLatin1Char('|')}) {
        DelimitedSplitter splitter(cand, QLatin1Char('"'));
        std::map<int, int> counts;
        QStringList fields;
        int bad = 0;
        const int n = static_cast<int>(std::min<qsizetype>(content.size(), 200));
        for (int i = 0; i < n; ++i)
            counts[splitter.split(content[i], fields, bad) ? int(fields.size()) : -1]++;
        const auto mode = std::max_element(counts.begin(), counts.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        if (mode->first <= 1)
            continue;
        const double score = double(mode->second) / n + mode->first * 1e-4;
        if (score > bestScore) {
            bestScore = score;
            delimiter = cand;
            fieldCount = mode->first;
        }
    }
    if (fieldCount < 2)
        return Error::badInput(QStringLiteral("cannot find a delimiter (tried , ; tab |)"), path);
    m.source.delimiter = delimiter;
    DelimitedSplitter splitter(delimiter, QLatin1Char('"'));

    std::vector<QStringList> rows;
    QStringList fields;
    int bad = 0;
    for (const QString& l : content) {
        if (!splitter.split(l, fields, bad))
            continue;
        if (fields.size() == fieldCount + 1 && fields.back().isEmpty())
            fields.removeLast();
        if (fields.size() == fieldCount)
            rows.push_back(fields);
        if (static_cast<int>(rows.size()) > sampleLines)
            break;
    }
    // Decimal comma: only possible when the delimiter is not a comma.
    if (delimiter != QLatin1Char(',')) {
        static const QRegularExpression comma(QStringLiteral("^[-+]?\\d+,\\d+$"));
        static const QRegularExpression dot(QStringLiteral("^[-+]?\\d+\\.\\d+$"));
        int commas = 0;
        int dots = 0;
        for (std::size_t r = 1; r < rows.size(); ++r)
            for (const QString& cell : rows[r]) {
                commas += comma.match(cell).hasMatch();
                dots += dot.match(cell).hasMatch();
            }
        if (commas > dots) {
            m.source.decimal = QLatin1Char(',');
            notes << QStringLiteral("decimal comma detected");
        }
    }

    // Header: the first row has a text cell where the rows below have numbers, or all its cells are words.
    auto isNum = [&](const QString& s) {
        double v = 0;
        return parseDecimal(s, m.source.decimal, v);
    };
    bool header = true;
    if (rows.size() >= 2) {
        int firstNumeric = 0;
        for (const QString& cell : rows[0]) firstNumeric += isNum(cell);
        int secondNumeric = 0;
        for (const QString& cell : rows[1]) secondNumeric += isNum(cell);
        header = firstNumeric < secondNumeric || firstNumeric == 0;
        // Same shape as the data: numbers in the same places means no header.
        if (firstNumeric == secondNumeric && firstNumeric > 0)
            header = false;
    }
    m.source.header = header;
    if (!header)
        notes << QStringLiteral("no header row: columns are referenced by number");

    std::vector<Column> cols(static_cast<std::size_t>(fieldCount));
    for (int c = 0; c < fieldCount; ++c)
        cols[std::size_t(c)].name = header ? rows[0][c].trimmed() : QStringLiteral("column %1").arg(c + 1);
    for (std::size_t r = header ? 1 : 0; r < rows.size(); ++r) {
        for (int c = 0; c < fieldCount; ++c) {
            Column& col = cols[std::size_t(c)];
            const QString cell = rows[r][c].trimmed();
            if (m.source.missingValues.contains(cell)) {
                ++col.missing;
                continue;
            }
            col.samples << cell;
            if (col.distinct.size() < 64)
                col.distinct.insert(cell);
        }
    }
    for (Column& c : cols) {
        c.numeric = !c.samples.isEmpty();
        c.integer = true;
        bool first = true;
        for (const QString& s : c.samples) {
            double v = 0;
            if (!parseDecimal(s, m.source.decimal, v)) {
                c.numeric = false;
                break;
            }
            c.integer = c.integer && v == std::floor(v) && !s.contains(m.source.decimal);
            c.min = first ? v : std::min(c.min, v);
            c.max = first ? v : std::max(c.max, v);
            first = false;
        }
        if (!c.numeric)
            c.integer = false;
    }
    auto ref = [&](int c) { return header ? ColumnRef{cols[std::size_t(c)].name, 0} : ColumnRef{{}, c + 1}; };
    std::vector<bool> used(cols.size(), false);

    // Timestamp: a column named like time first, else the first column that parses.
    int tsCol = -1;
    std::optional<TimeGuess> tg;
    for (int pass = 0; pass < 2 && tsCol < 0; ++pass) {
        for (int c = 0; c < fieldCount && tsCol < 0; ++c) {
            if (pass == 0 && !nameLike(cols[std::size_t(c)].name, kTimeNames))
                continue;
            if (auto g = guessTime(cols[std::size_t(c)])) {
                tsCol = c;
                tg = g;
            }
        }
    }
    if (tsCol < 0)
        return Error::badInput(QStringLiteral("no column holds timestamps this guesser recognises; write the "
                                              "mapping by hand (timestamp.format accepts a custom pattern)"),
                               path);
    used[std::size_t(tsCol)] = true;
    m.timestamp.column = ref(tsCol);
    m.timestamp.format = tg->format;
    m.timestamp.pattern = tg->pattern;
    m.timestamp.zone = QStringLiteral("UTC");
    {
        QString fmt = tg->format == ImportMapping::TimeFormat::Iso8601       ? QStringLiteral("iso8601")
                      : tg->format == ImportMapping::TimeFormat::UnixMillis  ? QStringLiteral("unix_ms")
                      : tg->format == ImportMapping::TimeFormat::UnixSeconds ? QStringLiteral("unix_s")
                                                                             : tg->pattern;
        notes << QStringLiteral("timestamp: %1 as %2%3")
                     .arg(cols[std::size_t(tsCol)].name, fmt,
                          tg->zoned ? QString()
                                    : QStringLiteral(" (no zone in the data: UTC assumed, set timestamp.zone "
                                                     "to the plant's zone, e.g. \"Europe/Berlin\")"));
    }

    // Labels, state, error code, device: by name and values.
    for (int c = 0; c < fieldCount; ++c) {
        Column& col = cols[std::size_t(c)];
        if (used[std::size_t(c)])
            continue;
        const bool binary = col.numeric && col.integer && col.min >= 0 && col.max <= 1;
        if (m.labels.kind == ImportMapping::LabelKind::None &&
            nameLike(col.name, "label|anomal|is_fault|fault_flag|target|ground|truth|outlier") && binary) {
            m.labels.kind = ImportMapping::LabelKind::AnomalyFlag;
            m.labels.column = ref(c);
            used[std::size_t(c)] = true;
            notes << QStringLiteral("labels: '%1' is a 0/1 anomaly column").arg(col.name);
        } else if (m.labels.kind == ImportMapping::LabelKind::None && !col.numeric &&
                   nameLike(col.name, "fault|label|failure|störung|stoerung|defect")) {
            m.labels.kind = ImportMapping::LabelKind::FaultName;
            m.labels.column = ref(c);
            used[std::size_t(c)] = true;
            notes << QStringLiteral("labels: '%1' holds fault names").arg(col.name);
        } else if (!m.state.fromColumn && nameLike(col.name, "state|status|mode|zustand|betrieb") &&
                   col.distinct.size() <= 12 && !col.distinct.isEmpty()) {
            m.state.fromColumn = true;
            m.state.column = ref(c);
            QStringList values(col.distinct.begin(), col.distinct.end());
            values.sort();
            QStringList unsure;
            for (const QString& v : values) {
                auto s = stateOfValue(v);
                if (!s)
                    unsure << v;
                m.state.map[v] = s.value_or(OpState::Idle);
            }
            m.state.fallback = OpState::Idle;
            used[std::size_t(c)] = true;
            notes << QStringLiteral("state: '%1' with values %2%3")
                         .arg(col.name, values.join(QStringLiteral("/")),
                              unsure.isEmpty() ? QString()
                                               : QStringLiteral(" (%1 mapped to IDLE: check)")
                                                     .arg(unsure.join(QStringLiteral("/"))));
        } else if (!m.errorCode && col.numeric && col.integer && col.min >= 0 &&
                   nameLike(col.name, "error|err_|errcode|alarm.?code|fault.?code|fehler")) {
            m.errorCode = ref(c);
            used[std::size_t(c)] = true;
            notes << QStringLiteral("error code: '%1'").arg(col.name);
        } else if (m.device.source != ImportMapping::DeviceSource::Column && !col.numeric &&
                   nameLike(col.name,
                            "device|machine|asset|equipment|unit_id|^id$|_id$|^unit$|maschine|anlage|gerät|"
                            "geraet|station|pump|tag")) {
            m.device.source = ImportMapping::DeviceSource::Column;
            m.device.column = ref(c);
            used[std::size_t(c)] = true;
            notes << QStringLiteral("device: column '%1' (%2 distinct values seen)")
                         .arg(col.name)
                         .arg(col.distinct.size());
        }
    }
    if (m.device.source != ImportMapping::DeviceSource::Column) {
        m.device.source = ImportMapping::DeviceSource::FileName;
        notes << QStringLiteral("device: no device column, one device per file named after the file ('%1')")
                     .arg(QFileInfo(path).completeBaseName());
    }
    if (!m.state.fromColumn) {
        m.state.constant = OpState::Run;
        notes << QStringLiteral("state: no state column, every row RUN");
    }
    if (m.labels.kind == ImportMapping::LabelKind::None)
        notes << QStringLiteral("labels: none (no ground truth)");

    // Channels: every other numeric column.
    QSet<QString> names;
    QStringList ignored;
    for (int c = 0; c < fieldCount; ++c) {
        Column& col = cols[std::size_t(c)];
        if (used[std::size_t(c)])
            continue;
        if (!col.numeric) {
            ignored << col.name;
            continue;
        }
        const auto [base, unit] = splitUnit(col.name);
        ImportMapping::Channel ch;
        ch.column = ref(c);
        ch.spec.name = channelName(header ? base : QStringLiteral("ch%1").arg(c + 1), unit, names);
        ch.spec.unit = unit;
        ch.spec.family = familyOf(col.name, unit);
        const double range = col.max - col.min;
        const double scale = std::max({range, std::fabs(col.max), std::fabs(col.min), 1e-9});
        const double pad = std::max(range * 0.5, scale * 0.1);
        double lo = niceBound(col.min - pad, scale, false);
        double hi = niceBound(col.max + pad, scale, true);
        if (col.min >= 0 && lo < 0)
            lo = 0;
        if (!(lo < hi))
            hi = lo + 1;
        ch.spec.min = lo;
        ch.spec.max = hi;
        m.channels.push_back(std::move(ch));
    }
    if (m.channels.empty())
        return Error::badInput(QStringLiteral("no numeric column to use as a channel"), path);
    notes << QStringLiteral(
                 "%1 channels; valid ranges padded around the values of the first %2 rows: widen them to "
                 "the sensors' physical ranges")
                 .arg(m.channels.size())
                 .arg(rows.size() - (header ? 1 : 0));
    if (!ignored.isEmpty())
        notes << QStringLiteral("ignored (not numeric): ") + ignored.join(QStringLiteral(", "));
    if (Status s = m.validate(path); !s)
        return s.error();
    guess.notes = notes;
    return guess;
}

}  // namespace itap
