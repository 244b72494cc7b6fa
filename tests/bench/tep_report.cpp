// tep_report: the Tennessee Eastman benchmark (Braatz data, ../shared/datasets/tep/README.md) through the
// product's own path: a 52-channel sensor catalog (Downs & Vogel 1993), a canonical CSV ingested into a
// store, the feature engine with the default feature parameters, a model trained on the d00.dat rows only
// (detector "combined", so the forest, T² and Q are read from one model; the forest part is the forest-only
// model, which does not depend on the detector choice), and per fault:
//   ROC-AUC of the faulty rows (samples 161–960 of dNN_te.dat) against all rows of d00_te.dat, and the share
//   of faulty rows above the 95th percentile of d00_te.dat (detection at 5 % false alarms), for the forest's
//   score, Hotelling T², Q, the pca score (T² and Q combined) and the combined score (all three), and which
//   detector carried the faulty rows;
// then the means beside the dataset README's reference figures, and at the product's label-free threshold
// (the 0.995 quantile of the training rows' scores) the false-alarm rate on d00_te.dat and the detection
// rate. Prints what it measured; asserts nothing.
//
//   tep_report [DIR] [--window N]     DIR default: <source>/../shared/datasets/tep
#include "bench_fleet.h"
#include "common/time_util.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

using namespace itap;

namespace {

constexpr int kVariables = 52;
constexpr int kFaults = 21;
constexpr int kFaultStart = 160;                // samples 161.. (1-based) are faulty
constexpr qint64 kIntervalMs = 180'000;         // 3 min
constexpr qint64 kStartMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// Downs & Vogel (1993), Table 4 (XMEAS 1–41) and Table 3 (XMV 1–11): name, unit, family.
struct Variable {
    const char* name;
    const char* unit;
    const char* family;
};
const std::array<Variable, kVariables> kCatalog = {{
    {"a_feed", "kscmh", "Flow"},                     // XMEAS 1, stream 1
    {"d_feed", "kg/h", "Flow"},                      // 2, stream 2
    {"e_feed", "kg/h", "Flow"},                      // 3, stream 3
    {"ac_feed", "kscmh", "Flow"},                    // 4, stream 4
    {"recycle_flow", "kscmh", "Flow"},               // 5, stream 8
    {"reactor_feed", "kscmh", "Flow"},               // 6, stream 6
    {"reactor_pressure", "kPa", "Pressure"},         // 7
    {"reactor_level", "%", "Level"},                 // 8
    {"reactor_temp", "°C", "Temperature"},           // 9
    {"purge_rate", "kscmh", "Flow"},                 // 10, stream 9
    {"separator_temp", "°C", "Temperature"},         // 11
    {"separator_level", "%", "Level"},               // 12
    {"separator_pressure", "kPa", "Pressure"},       // 13
    {"separator_underflow", "m3/h", "Flow"},         // 14, stream 10
    {"stripper_level", "%", "Level"},                // 15
    {"stripper_pressure", "kPa", "Pressure"},        // 16
    {"stripper_underflow", "m3/h", "Flow"},          // 17, stream 11
    {"stripper_temp", "°C", "Temperature"},          // 18
    {"stripper_steam_flow", "kg/h", "Flow"},         // 19
    {"compressor_work", "kW", "Power"},              // 20
    {"reactor_cw_out_temp", "°C", "Temperature"},    // 21
    {"separator_cw_out_temp", "°C", "Temperature"},  // 22
    {"feed_a", "mol%", "Composition"},               // 23–28: reactor feed analysis (stream 6)
    {"feed_b", "mol%", "Composition"},
    {"feed_c", "mol%", "Composition"},
    {"feed_d", "mol%", "Composition"},
    {"feed_e", "mol%", "Composition"},
    {"feed_f", "mol%", "Composition"},
    {"purge_a", "mol%", "Composition"},  // 29–36: purge gas analysis (stream 9)
    {"purge_b", "mol%", "Composition"},
    {"purge_c", "mol%", "Composition"},
    {"purge_d", "mol%", "Composition"},
    {"purge_e", "mol%", "Composition"},
    {"purge_f", "mol%", "Composition"},
    {"purge_g", "mol%", "Composition"},
    {"purge_h", "mol%", "Composition"},
    {"product_d", "mol%", "Composition"},  // 37–41: product analysis (stream 11)
    {"product_e", "mol%", "Composition"},
    {"product_f", "mol%", "Composition"},
    {"product_g", "mol%", "Composition"},
    {"product_h", "mol%", "Composition"},
    {"xmv_d_feed", "%", "Valve"},          // XMV 1
    {"xmv_e_feed", "%", "Valve"},          // 2
    {"xmv_a_feed", "%", "Valve"},          // 3
    {"xmv_ac_feed", "%", "Valve"},         // 4
    {"xmv_recycle_valve", "%", "Valve"},   // 5
    {"xmv_purge_valve", "%", "Valve"},     // 6
    {"xmv_separator_flow", "%", "Valve"},  // 7
    {"xmv_stripper_flow", "%", "Valve"},   // 8
    {"xmv_steam_valve", "%", "Valve"},     // 9
    {"xmv_reactor_cw", "%", "Valve"},      // 10
    {"xmv_condenser_cw", "%", "Valve"},    // 11
}};

using Samples = std::vector<std::array<double, kVariables>>;

// Whitespace-separated numbers; `transposed`: one line per variable (d00.dat).
Result<Samples> readDat(const QString& path, bool transposed) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error::badInput(QStringLiteral("cannot read"), path);
    std::vector<std::vector<double>> lines;
    while (!f.atEnd()) {
        const QString line = QString::fromLatin1(f.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        std::vector<double> values;
        for (const QString& tok : line.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            bool ok = false;
            values.push_back(tok.toDouble(&ok));
            if (!ok)
                return Error::badInput(QStringLiteral("not a number: ") + tok, path);
        }
        lines.push_back(std::move(values));
    }
    Samples out;
    if (transposed) {
        if (lines.size() != kVariables)
            return Error::badInput(QStringLiteral("expected %1 lines").arg(kVariables), path);
        for (std::size_t s = 0; s < lines[0].size(); ++s) {
            std::array<double, kVariables> row{};
            for (int v = 0; v < kVariables; ++v) row[std::size_t(v)] = lines[std::size_t(v)].at(s);
            out.push_back(row);
        }
    } else {
        for (const auto& l : lines) {
            if (l.size() != kVariables)
                return Error::badInput(QStringLiteral("expected %1 columns").arg(kVariables), path);
            std::array<double, kVariables> row{};
            std::copy(l.begin(), l.end(), row.begin());
            out.push_back(row);
        }
    }
    return out;
}

int fail(const Error& e) {
    std::fprintf(stderr, "tep_report: %s\n", qPrintable(e.toString()));
    return 1;
}

struct DetectorColumn {
    const char* name;
    double referenceAuc;  // the dataset README's figure, NaN if none
    double referenceDetection;
};

}  // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addPositionalArgument("dir", "TEP data directory (default: <source>/../shared/datasets/tep).");
    p.addOption({"window", "Feature window in samples (default: the product's).", "N"});
    p.process(app);
    const QString dir = p.positionalArguments().value(
        0, QDir::cleanPath(QStringLiteral(ITAP_SOURCE_DIR "/../shared/datasets/tep")));

    // The fleet: d00.dat as device "d00" (the training span), d00_te and d01_te..d21_te as test devices
    // starting a day after it, all sampled every 3 min.
    struct Device {
        QString id;
        Samples samples;
        int fault = -1;  // -1: training, 0: normal test
    };
    std::vector<Device> devices;
    {
        auto train = readDat(dir + QStringLiteral("/d00.dat"), true);
        if (!train)
            return fail(train.error());
        devices.push_back({QStringLiteral("d00"), std::move(train).value(), -1});
    }
    for (int k = 0; k <= kFaults; ++k) {
        const QString id = QStringLiteral("d%1_te").arg(k, 2, 10, QLatin1Char('0'));
        auto test = readDat(dir + QLatin1Char('/') + id + QStringLiteral(".dat"), false);
        if (!test)
            return fail(test.error());
        devices.push_back({id, std::move(test).value(), k});
    }
    const qint64 trainEndMs = kStartMs + qint64(devices[0].samples.size() - 1) * kIntervalMs;
    const qint64 testStartMs = trainEndMs + 86'400'000;

    std::vector<ChannelSpec> channels;
    for (const Variable& v : kCatalog)
        channels.push_back(
            {QString::fromUtf8(v.name), QString::fromUtf8(v.unit), QString::fromUtf8(v.family), -1e6, 1e6});
    SensorCatalog catalog(channels);

    QTemporaryDir tmp;
    const QString csv = tmp.filePath(QStringLiteral("tep.csv"));
    {
        QFile f(csv);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Text))
            return fail(Error::failure(QStringLiteral("cannot write"), csv));
        QTextStream out(&f);
        out << "timestamp,device_id,state";
        for (const Variable& v : kCatalog) out << ',' << v.name;
        out << ",error_code,fault_tag\n";
        for (const Device& d : devices) {
            const qint64 t0 = d.fault < 0 ? kStartMs : testStartMs;
            for (std::size_t s = 0; s < d.samples.size(); ++s) {
                out << formatUtcTimestamp(t0 + qint64(s) * kIntervalMs) << ',' << d.id << ",RUN";
                for (double v : d.samples[s]) out << ',' << QString::number(v, 'g', 10);
                out << ",0,";
                if (d.fault > 0 && s >= std::size_t(kFaultStart))
                    out << QStringLiteral("fault_%1").arg(d.fault, 2, 10, QLatin1Char('0'));
                out << '\n';
            }
        }
    }
    auto store = Store::open(tmp.filePath(QStringLiteral("tep.db")), &catalog);
    if (!store)
        return fail(store.error());
    if (auto r = ingestFile(csv, **store, {}, {}); !r)
        return fail(r.error());

    TrainConfig config;
    config.span.kind = TrainSpan::Kind::Until;
    config.span.untilMs = trainEndMs;  // only the d00.dat rows
    config.model.detector = DetectorChoice::Combined;
    if (p.isSet("window"))
        config.features.window = p.value("window").toInt();
    auto trained = trainModel(**store, config, {});
    if (!trained)
        return fail(trained.error());
    const AnomalyModel& model = trained->model;
    const FleetFeatures& fleet = trained->fleet;
    const ScoreTable& t = fleet.table;

    // Per row: forest score, T², Q, combined score.
    constexpr int kDetectors = 5;
    const std::array<DetectorColumn, kDetectors> columns = {{{"forest", 0.793, 0.475},
                                                             {"T2", 0.839, 0.636},
                                                             {"Q", 0.864, 0.684},
                                                             {"pca", std::nan(""), std::nan("")},
                                                             {"combined", std::nan(""), std::nan("")}}};
    std::map<QString, std::array<std::vector<float>, kDetectors>> byDevice;  // in time order
    std::map<QString, std::map<QString, int>> carriers;                      // device -> detector -> rows
    std::vector<float> scaled(static_cast<std::size_t>(model.featureCount()));
    std::size_t trainRows = 0;
    for (std::size_t r = 0; r < t.size(); ++r) {
        const QString& dev = t.devices[t.device[r]];
        const float* raw = fleet.featureRow(r);
        model.scaleRow(dev, t.state[r], raw, scaled.data());
        const AnomalyModel::DetectorReading reading = model.read(t.state[r], raw, scaled.data());
        auto& cols = byDevice[dev];
        if (cols[0].size() >= std::size_t(kFaultStart))
            ++carriers[dev][scoreSourceName(reading.carrier)];
        cols[0].push_back(float(reading.forest));
        cols[1].push_back(float(reading.pca.t2));
        cols[2].push_back(float(reading.pca.q));
        // "pca": the score DetectorChoice::Pca gives (T² and Q only).
        cols[3].push_back(float(AnomalyModel::combinedScore(std::min(reading.pca.pT2, reading.pca.pQ), 2)));
        cols[4].push_back(float(reading.score));
        trainRows += t.train[r] == kTrainSpan ? 1 : 0;
    }
    std::printf(
        "Tennessee Eastman (%s): trained on %zu rows of d00.dat (window %d, %d feature columns, "
        "%zu monitored by PCA, %d components)\n",
        qPrintable(dir), trainRows, config.features.window, model.featureCount(),
        model.pca().columns().size(), model.pca().components(OpState::Run));

    std::array<std::vector<float>, kDetectors> normal;  // d00_te, sorted
    for (int k = 0; k < kDetectors; ++k) {
        normal[std::size_t(k)] = byDevice[QStringLiteral("d00_te")][std::size_t(k)];
        std::sort(normal[std::size_t(k)].begin(), normal[std::size_t(k)].end());
    }
    const auto at95 = [&](int k) {
        const auto& n = normal[std::size_t(k)];
        return n[std::size_t(std::ceil(0.95 * double(n.size()))) - 1];
    };
    std::printf("\n%-6s", "fault");
    for (const auto& c : columns) std::printf(" | %-8s AUC  det", c.name);
    std::printf(" | carried by (faulty rows)\n");
    std::array<double, kDetectors> aucSum{}, detSum{};
    for (int fault = 1; fault <= kFaults; ++fault) {
        const QString id = QStringLiteral("d%1_te").arg(fault, 2, 10, QLatin1Char('0'));
        std::printf("%-6d", fault);
        for (int k = 0; k < kDetectors; ++k) {
            const auto& all = byDevice[id][std::size_t(k)];
            const std::vector<float> faulty(all.begin() + kFaultStart, all.end());
            const double auc = bench::rocAucAgainstSorted(faulty, normal[std::size_t(k)]);
            const float thr = at95(k);
            const double det =
                double(std::count_if(faulty.begin(), faulty.end(), [&](float s) { return s > thr; })) /
                double(faulty.size());
            aucSum[std::size_t(k)] += auc;
            detSum[std::size_t(k)] += det;
            std::printf(" | %14.3f %5.3f", auc, det);
        }
        std::printf(" |");
        for (const auto& [name, n] : carriers[id]) std::printf(" %s %d", qPrintable(name), n);
        std::printf("\n");
    }
    std::printf("%-6s", "mean");
    for (int k = 0; k < kDetectors; ++k)
        std::printf(" | %14.3f %5.3f", aucSum[std::size_t(k)] / kFaults, detSum[std::size_t(k)] / kFaults);
    std::printf("\n%-6s", "ref.");
    for (const auto& c : columns)
        if (std::isnan(c.referenceAuc))
            std::printf(" | %14s %5s", "-", "-");
        else
            std::printf(" | %14.3f %5.3f", c.referenceAuc, c.referenceDetection);
    std::printf(
        "\n(ref.: the dataset README, on the raw standardised values: PCA 90 %% variance, 31 components; "
        "Isolation Forest 200 trees)\n");

    // The product's label-free threshold: the 0.995 quantile of the training rows' scores.
    std::printf("\nAt the label-free threshold (0.995 quantile of the training rows' scores):\n");
    const double q = EvaluationOptions{}.labelFreeQuantile;
    for (int k : {0, 3, 4}) {
        std::vector<float> train = byDevice[QStringLiteral("d00")][std::size_t(k)];
        std::sort(train.begin(), train.end());
        const float thr = train[std::size_t(std::ceil(q * double(train.size()))) - 1];
        const auto& n = normal[std::size_t(k)];
        const double fa = double(n.end() - std::upper_bound(n.begin(), n.end(), thr)) / double(n.size());
        double det = 0;
        for (int fault = 1; fault <= kFaults; ++fault) {
            const auto& all =
                byDevice[QStringLiteral("d%1_te").arg(fault, 2, 10, QLatin1Char('0'))][std::size_t(k)];
            det += double(std::count_if(all.begin() + kFaultStart, all.end(),
                                        [&](float s) { return s > thr; })) /
                   double(all.size() - kFaultStart);
        }
        std::printf("  %-8s threshold %.4f: false alarms on d00_te %.1f %%, mean detection %.1f %%\n",
                    columns[std::size_t(k)].name, double(thr), 100 * fa, 100 * det / kFaults);
    }
    return 0;
}
