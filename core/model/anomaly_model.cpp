#include "model/anomaly_model.h"

#include "common/json_util.h"
#include "model/byte_stream.h"
#include "model/parallel.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <optional>

namespace itap {
namespace {

constexpr char kMagic[8] = {'I', 'T', 'A', 'P', 'M', 'O', 'D', 'L'};
constexpr std::size_t kChecksumBytes = 32;
constexpr std::size_t kNodeBytes = 20;
constexpr std::size_t kPreambleBytes = sizeof kMagic + 4 + 4;  // magic, version, header length
constexpr std::size_t kScoreBlockRows = 256;

// Splits one progress range between the scaler (first 20 %) and the trees.
ProgressFn subRange(const ProgressFn& progress, qint64 from, qint64 to) {
    if (!progress)
        return {};
    return [progress, from, to](qint64 done, qint64 total, const QString& msg) {
        const qint64 at = total > 0 ? from + (to - from) * done / total : from;
        return progress(at, 1000, msg);
    };
}

// Regime edges: increasing, each in (0, 31622400], at most 8 (ModelParams and the model file alike).
Status validateRegimeEdges(const std::vector<double>& edges) {
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const double e = edges[i];
        if (!(e > 0 && e <= 366.0 * 86400) || (i > 0 && !(e > edges[i - 1])))
            return Error::badInput(
                QStringLiteral("model.regime_edges_s must increase within (0, 31622400], got %1 at %2")
                    .arg(e)
                    .arg(i));
    }
    if (edges.size() > 8)
        return Error::badInput(QStringLiteral("model.regime_edges_s: at most 8 edges"));
    return {};
}

}  // namespace

QString detectorChoiceName(DetectorChoice d) {
    switch (d) {
        case DetectorChoice::Pca:
            return QStringLiteral("pca");
        case DetectorChoice::Combined:
            return QStringLiteral("combined");
        case DetectorChoice::Forest:
            break;
    }
    return QStringLiteral("forest");
}

std::optional<DetectorChoice> detectorChoiceFromName(const QString& name) {
    for (DetectorChoice d : {DetectorChoice::Forest, DetectorChoice::Pca, DetectorChoice::Combined})
        if (name == detectorChoiceName(d))
            return d;
    return std::nullopt;
}

Status ModelParams::validate() const {
    if (Status s = scaler.validate(); !s)
        return s;
    if (Status s = forest.validate(); !s)
        return s;
    if (Status s = pca.validate(); !s)
        return s;
    return validateRegimeEdges(regimeEdgesSeconds);
}

std::size_t regimePhase(double sinceSeconds, const std::vector<double>& edgesSeconds) {
    std::size_t phase = 0;
    while (phase < edgesSeconds.size() && sinceSeconds >= edgesSeconds[phase]) ++phase;
    return phase;
}

std::vector<std::vector<std::size_t>> regimeStrata(const FeatureRows& rows,
                                                   const std::vector<OpState>& states, int sinceStateColumn,
                                                   const std::vector<double>& edgesSeconds) {
    // Phase 0 = since the state began < edges[0], ..., phase k = at least edges[k-1].
    const std::size_t phases = sinceStateColumn >= 0 ? edgesSeconds.size() + 1 : 1;
    std::vector<std::vector<std::size_t>> strata(phases * kOpStateCount);
    for (std::size_t r = 0; r < rows.rows(); ++r) {
        const auto st = static_cast<std::size_t>(std::min(static_cast<int>(states[r]), kOpStateCount - 1));
        const std::size_t phase =
            sinceStateColumn >= 0 ? regimePhase(rows.row(r)[sinceStateColumn], edgesSeconds) : 0;
        strata[phase * kOpStateCount + st].push_back(r);
    }
    std::erase_if(strata, [](const auto& s) { return s.empty(); });
    return strata;
}

Result<AnomalyModel> AnomalyModel::train(const FeatureRows& trainRows, const std::vector<OpState>& states,
                                         const std::vector<int>& deviceIndex, const QStringList& devices,
                                         const ModelParams& params, const ProgressFn& progress) {
    if (Status st = params.validate(); !st)
        return st.error();
    const std::size_t n = trainRows.rows();
    const int cols = trainRows.cols;
    if (!params.metadata.featureNames.empty() &&
        params.metadata.featureNames.size() != static_cast<std::size_t>(std::max(0, cols)))
        return Error::badInput(QStringLiteral("%1 feature names for %2 feature columns")
                                   .arg(params.metadata.featureNames.size())
                                   .arg(cols));
    auto scaler = StandardScaler::fit(trainRows, states, deviceIndex, devices, params.scaler,
                                      subRange(progress, 0, 200));
    if (!scaler)
        return scaler.error();

    AnomalyModel m;
    m.scaler_ = std::move(scaler).value();
    const StandardScaler& sc = m.scaler_;
    const bool hasDevices = !sc.devices().isEmpty();
    m.metadata_ = params.metadata;
    if (m.metadata_.featureNames.empty())
        for (int c = 0; c < cols; ++c) m.metadata_.featureNames.push_back(QStringLiteral("f%1").arg(c));
    m.setIgnored(params.ignoredFeatures);
    m.stratify_ = params.stratifyRegimes;
    if (params.channelDynamics)
        m.dynamics_ = ChannelDynamics::fit(trainRows, states, deviceIndex, devices, m.metadata_.featureNames,
                                           params.levelResiduals);
    m.regimeEdges_ = params.regimeEdgesSeconds;
    m.findSinceColumn();
    const auto tableOf = [&](std::size_t r) {
        return sc.tableFor(hasDevices ? deviceIndex[r] : -1, states[r]);
    };
    const auto dynamicsOf = [&](std::size_t r) {
        return m.dynamics_.groupFor(deviceIndex.empty() ? -1 : deviceIndex[r], states[r]);
    };
    if (params.regimeScaling) {
        std::vector<std::uint8_t> phases(n);
        for (std::size_t r = 0; r < n; ++r)
            phases[r] = static_cast<std::uint8_t>(m.phaseOf(trainRows.row(r)));
        m.regime_ = RegimeScaler::fit(
            n, cols,
            [&](std::size_t r, float* out) {
                m.scaleFirstStage(tableOf(r), dynamicsOf(r), trainRows.row(r), out);
            },
            states, phases, static_cast<int>(m.regimeEdges_.size()) + 1, params.scaler.minGroupRows);
    }
    const auto rowSource = [&](std::size_t r, float* out) {
        m.scaleInto(tableOf(r), dynamicsOf(r), states[r], trainRows.row(r), out);
    };
    Result<IsolationForest> forest = Error::cancelled();
    if (params.stratifyRegimes) {
        const auto& names = m.metadata_.featureNames;
        const auto it = std::find(names.begin(), names.end(), QLatin1String(kSinceStateFeature));
        const int sinceState = it == names.end() ? -1 : static_cast<int>(it - names.begin());
        forest = IsolationForest::fitStratified(
            regimeStrata(trainRows, states, sinceState, params.regimeEdgesSeconds), cols, rowSource,
            params.forest, subRange(progress, 200, 1000));
    } else {
        forest = IsolationForest::fit(n, cols, rowSource, params.forest, subRange(progress, 200, 1000));
    }
    if (!forest)
        return forest.error();
    m.forest_ = std::move(forest).value();
    m.forestParams_ = params.forest;
    m.trainRows_ = static_cast<qint64>(n);
    if (params.outOfSupport && n > 0)
        m.findSupportColumns(trainRows, params.supportExempt);
    if (params.detector != DetectorChoice::Forest) {
        if (Status st = m.fitDetectors(trainRows, params, rowSource, states); !st)
            return st.error();
    }
    return m;
}

Status AnomalyModel::fitDetectors(const FeatureRows& trainRows, const ModelParams& params,
                                  const std::function<void(std::size_t, float*)>& rowSource,
                                  const std::vector<OpState>& states) {
    const std::size_t n = trainRows.rows();
    const int cols = trainRows.cols;
    std::vector<int> used;
    const auto& names = metadata_.featureNames;
    for (int c = 0; c < cols; ++c)
        if (!std::binary_search(ignored_.begin(), ignored_.end(), c) &&
            std::find(params.pcaExcluded.begin(), params.pcaExcluded.end(), names[std::size_t(c)]) ==
                params.pcaExcluded.end())
            used.push_back(c);
    auto pca = PcaMonitor::fit(n, cols, std::move(used), rowSource, states, params.pca);
    if (!pca)
        return pca.error();
    pca_ = std::move(pca).value();
    detector_ = params.detector;
    if (detector_ == DetectorChoice::Combined) {
        // The forest is calibrated on its own training rows: each tree saw only ψ of them, so their path
        // lengths are close to those of unseen normal rows.
        const std::size_t stride = std::max<std::size_t>(
            1, (n + std::size_t(params.pca.calibrationRows) - 1) / std::size_t(params.pca.calibrationRows));
        // Per operating state, as the PCA subspaces: IDLE and MAINT rows score higher than RUN rows on the
        // forest, and one calibration over all of them would spend the false alarms there.
        std::array<std::vector<double>, kOpStateCount + 1> scores;
        std::vector<float> scaled(static_cast<std::size_t>(cols));
        for (std::size_t r = 0; r < n; r += stride) {
            rowSource(r, scaled.data());
            const double s = forestScore(trainRows.row(r), scaled.data());
            scores[std::size_t(std::min(static_cast<int>(states[r]), kOpStateCount - 1))].push_back(s);
            scores[kOpStateCount].push_back(s);
        }
        for (std::size_t k = 0; k < scores.size(); ++k)
            if (k == kOpStateCount || scores[k].size() >= std::size_t(params.pca.minStateRows))
                forestCal_[k] = TailCalibration::fit(std::move(scores[k]));
    }
    return {};
}

double AnomalyModel::forestScore(const float* raw, const float* scaled) const {
    double sum = 0;
    const double p = support_.empty() ? 0.0 : isolatingChance(raw);
    if (p > 0) {
        for (int t = 0; t < forest_.treeCount(); ++t) sum += forest_.pathLengthIsolating(t, scaled, p);
    } else {
        forest_.addPathLengths(scaled, 1, &sum);
    }
    return forest_.scoreFromPathSum(sum);
}

const TailCalibration& AnomalyModel::forestCalibration(OpState state) const {
    const TailCalibration& own =
        forestCal_[std::size_t(std::min(static_cast<int>(state), kOpStateCount - 1))];
    return own.empty() ? forestCal_[kOpStateCount] : own;
}

double AnomalyModel::combinedScore(double smallestP, int detectors) {
    const double pMin = std::clamp(smallestP, 0.0, 1.0);
    // 1 − (1 − p)^K without cancellation for small p.
    const double p = -std::expm1(double(std::max(1, detectors)) * std::log1p(-pMin));
    if (!(p > 0))
        return 1.0;
    const double l = -std::log10(std::min(p, 1.0));
    return l / (1.0 + l);
}

AnomalyModel::DetectorReading AnomalyModel::read(OpState state, const float* raw, const float* scaled) const {
    DetectorReading out;
    out.forest = forestScore(raw, scaled);
    if (detector_ == DetectorChoice::Forest || !pca_.active()) {
        out.score = out.forest;
        return out;
    }
    out.pca = pca_.read(state, scaled);
    combine(state, out);
    return out;
}

void AnomalyModel::combine(OpState state, DetectorReading& r) const {
    double best = r.pca.pT2;
    r.carrier = ScoreSource::T2;
    if (r.pca.pQ < best) {
        best = r.pca.pQ;
        r.carrier = ScoreSource::Q;
    }
    int detectors = 2;
    if (detector_ == DetectorChoice::Combined) {
        ++detectors;
        r.pForest = forestCalibration(state).upperTail(r.forest);
        if (r.pForest < best) {
            best = r.pForest;
            r.carrier = ScoreSource::Forest;
        }
    }
    r.score = combinedScore(best, detectors);
}

void AnomalyModel::findSupportColumns(const FeatureRows& trainRows, const std::vector<QString>& exempt) {
    support_.clear();
    supportPool_ = featureCount() - static_cast<int>(ignored_.size());
    for (int c = 0; c < trainRows.cols; ++c) {
        if (std::binary_search(ignored_.begin(), ignored_.end(), c) ||
            std::find(exempt.begin(), exempt.end(), metadata_.featureNames[static_cast<std::size_t>(c)]) !=
                exempt.end())
            continue;
        std::optional<float> value;
        bool constant = true;
        for (std::size_t r = 0; r < trainRows.rows() && constant; ++r) {
            const float v = trainRows.row(r)[c];
            if (!std::isfinite(v))
                continue;  // a missing value says nothing about the column's support
            if (!value)
                value = v;
            constant = v == *value;
        }
        if (constant && value)
            support_.push_back({c, *value});
    }
}

double AnomalyModel::isolatingChance(const float* raw, std::vector<int>* isolating) const {
    int outside = 0;
    for (const SupportColumn& s : support_) {
        const float v = raw[s.column];
        if (std::isfinite(v) && v != s.value) {
            ++outside;
            if (isolating)
                isolating->push_back(s.column);
        }
    }
    return outside > 0 && supportPool_ > 0 ? std::min(1.0, double(outside) / supportPool_) : 0.0;
}

void AnomalyModel::setIgnored(const std::vector<QString>& names) {
    ignored_.clear();
    for (std::size_t c = 0; c < metadata_.featureNames.size(); ++c)
        if (std::find(names.begin(), names.end(), metadata_.featureNames[c]) != names.end())
            ignored_.push_back(static_cast<int>(c));
}

std::vector<QString> AnomalyModel::ignoredFeatures() const {
    std::vector<QString> out;
    for (int c : ignored_) out.push_back(metadata_.featureNames[static_cast<std::size_t>(c)]);
    return out;
}

void AnomalyModel::findSinceColumn() {
    const auto& names = metadata_.featureNames;
    const auto it = std::find(names.begin(), names.end(), QLatin1String(kSinceStateFeature));
    sinceCol_ = it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

int AnomalyModel::phaseOf(const float* raw) const {
    return sinceCol_ < 0 ? 0 : static_cast<int>(regimePhase(raw[sinceCol_], regimeEdges_));
}

void AnomalyModel::scaleFirstStage(int table, int dynamicsGroup, const float* raw, float* out) const {
    scaler_.transform(table, raw, out);
    dynamics_.apply(dynamicsGroup, raw, out);
}

void AnomalyModel::scaleInto(int table, int dynamicsGroup, OpState state, const float* raw,
                             float* out) const {
    scaleFirstStage(table, dynamicsGroup, raw, out);
    if (regime_.active())
        regime_.apply(state, phaseOf(raw), out);
    // An ignored column is constant for the forest: no split can use it, so it gets no attribution either.
    for (int c : ignored_) out[c] = 0.0f;
}

void AnomalyModel::scaleRow(const QString& device, OpState state, const float* raw, float* out) const {
    scaleInto(scaler_.tableFor(scaler_.deviceSlot(device), state),
              dynamics_.groupFor(dynamics_.deviceSlot(device), state), state, raw, out);
}

void AnomalyModel::score(const QString& device, const FeatureMatrix& rows, const std::vector<OpState>& states,
                         float* out) const {
    const std::size_t n = rows.rows();
    if (rows.cols != featureCount() || featureCount() == 0) {
        std::fill_n(out, n, std::numeric_limits<float>::quiet_NaN());
        return;
    }
    const auto cols = static_cast<std::size_t>(rows.cols);
    const int slot = scaler_.deviceSlot(device);
    const int dynSlot = dynamics_.deviceSlot(device);
    parallelFor(n, kScoreBlockRows, forestParams_.threads, [&](std::size_t begin, std::size_t end) {
        std::vector<float> scaled((end - begin) * cols);
        std::vector<double> sums(end - begin, 0.0);
        for (std::size_t r = begin; r < end; ++r) {
            const OpState st = r < states.size() ? states[r] : OpState::Run;
            scaleInto(scaler_.tableFor(slot, st), dynamics_.groupFor(dynSlot, st), st, rows.row(r),
                      scaled.data() + (r - begin) * cols);
        }
        forest_.addPathLengths(scaled.data(), end - begin, sums.data());
        // Rows outside the training support (rare) walk again with isolation at every split.
        for (std::size_t r = begin; r < end && !support_.empty(); ++r) {
            const double p = isolatingChance(rows.row(r));
            if (p > 0) {
                double sum = 0;
                for (int t = 0; t < forest_.treeCount(); ++t)
                    sum += forest_.pathLengthIsolating(t, scaled.data() + (r - begin) * cols, p);
                sums[r - begin] = sum;
            }
        }
        for (std::size_t r = begin; r < end; ++r) out[r] = forest_.scoreFromPathSum(sums[r - begin]);
        if (detector_ == DetectorChoice::Forest || !pca_.active())
            return;
        for (std::size_t r = begin; r < end; ++r) {
            const OpState st = r < states.size() ? states[r] : OpState::Run;
            DetectorReading reading;
            reading.forest = out[r];
            reading.pca = pca_.read(st, scaled.data() + (r - begin) * cols);
            combine(st, reading);
            out[r] = static_cast<float>(reading.score);
        }
    });
}

Status AnomalyModel::checkCompatible(const QString& catalogHash,
                                     const std::vector<QString>& featureNames) const {
    if (catalogHash != metadata_.catalogHash)
        return Error::badInput(QStringLiteral("the model was trained on a different sensor catalog (hash %1, "
                                              "current catalog %2); retrain the model")
                                   .arg(metadata_.catalogHash.left(12), catalogHash.left(12)));
    if (featureNames.size() != metadata_.featureNames.size())
        return Error::badInput(
            QStringLiteral("the model expects %1 features, the feature engine produces %2; "
                           "retrain the model")
                .arg(metadata_.featureNames.size())
                .arg(featureNames.size()));
    for (std::size_t i = 0; i < featureNames.size(); ++i)
        if (featureNames[i] != metadata_.featureNames[i])
            return Error::badInput(
                QStringLiteral("feature %1 is \"%2\" in the model but \"%3\" now; retrain the model")
                    .arg(i)
                    .arg(metadata_.featureNames[i], featureNames[i]));
    return {};
}

nlohmann::json AnomalyModel::headerJson(double threshold) const {
    nlohmann::json h;
    nlohmann::json names = nlohmann::json::array();
    for (const QString& s : metadata_.featureNames) names.push_back(s.toStdString());
    h["features"] = std::move(names);
    h["catalog_hash"] = metadata_.catalogHash.toStdString();
    h["feature_config"] = metadata_.featureConfig;
    h["training"] = {{"rows", trainRows_},
                     {"from_ms", metadata_.trainFromMs},
                     {"to_ms", metadata_.trainToMs},
                     {"stratify_regimes", stratify_},
                     {"regime_edges_s", regimeEdges_}};
    nlohmann::json ignored = nlohmann::json::array();
    for (const QString& s : ignoredFeatures()) ignored.push_back(s.toStdString());
    h["ignored_features"] = std::move(ignored);
    h["dynamics"] = dynamics_.toJson();
    if (signalLimits_.learned())
        h["signal_limits"] = signalLimits_.toJson();
    if (regime_.active())  // absent when trained without it (and in files written before it existed)
        h["regime_scaler"] = regime_.toJson();
    nlohmann::json support = nlohmann::json::array();
    for (const SupportColumn& c : support_)
        support.push_back(
            {{"feature", metadata_.featureNames[static_cast<std::size_t>(c.column)].toStdString()},
             {"value", c.value}});
    if (supportPool_ > 0)  // absent when the model was trained without it (or loaded from a file without it)
        h["out_of_support"] = {{"pool", supportPool_}, {"columns", std::move(support)}};
    h["forest"] = {{"trees", forestParams_.trees},
                   {"sample_size", forestParams_.sampleSize},
                   {"max_depth", forestParams_.maxDepth},
                   {"seed", static_cast<std::uint64_t>(forestParams_.seed)},
                   {"effective_sample_size", forest_.sampleSize()}};
    h["threshold"] = std::isnan(threshold) ? nlohmann::json(nullptr) : nlohmann::json(threshold);
    h["scaler"] = scaler_.toJson();
    h["detector"] = detectorChoiceName(detector_).toStdString();
    if (detector_ != DetectorChoice::Forest)
        h["pca"] = pca_.toJson();
    if (detector_ == DetectorChoice::Combined) {
        // RUN, IDLE, MAINT (null: calibrated with all states), then all states pooled.
        nlohmann::json cal = nlohmann::json::array();
        for (const TailCalibration& c : forestCal_)
            cal.push_back(c.empty() ? nlohmann::json(nullptr) : c.toJson());
        h["forest_calibration"] = std::move(cal);
    }
    return h;
}

QByteArray AnomalyModel::toBytes() const {
    return serialize(threshold_);
}

QString AnomalyModel::modelId() const {
    const QByteArray digest = QCryptographicHash::hash(serialize(std::numeric_limits<double>::quiet_NaN()),
                                                       QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex().left(kModelIdHexDigits));
}

QByteArray AnomalyModel::serialize(double threshold) const {
    const std::string header = headerJson(threshold).dump();
    ByteWriter w;
    w.bytes(QByteArray(kMagic, sizeof kMagic));
    w.u32(kFormatVersion);
    w.u32(static_cast<std::uint32_t>(header.size()));
    w.bytes(QByteArray(header.data(), static_cast<qsizetype>(header.size())));
    const auto& offsets = forest_.treeOffsets();
    w.u32(static_cast<std::uint32_t>(forest_.treeCount()));
    w.u32(static_cast<std::uint32_t>(forest_.nodes().size()));
    for (std::uint32_t o : offsets) w.u32(o);
    for (const ForestNode& nd : forest_.nodes()) {
        w.i32(nd.feature);
        w.f32(nd.threshold);
        w.i32(nd.left);
        w.i32(nd.right);
        w.i32(nd.size);
    }
    QByteArray& bytes = w.buffer();
    bytes.append(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256));
    return bytes;
}

Status AnomalyModel::save(const QString& path) const {
    if (featureCount() == 0)
        return Error::failure(QStringLiteral("cannot save an untrained model"), path);
    return writeFileAtomic(path, toBytes());
}

Result<AnomalyModel> AnomalyModel::load(const QString& path) {
    QFile f(path);
    if (!f.exists())
        return Error::badInput(QStringLiteral("model file not found"), path);
    if (!QFileInfo(path).isFile())
        return Error::badInput(QStringLiteral("not a model file (not a regular file)"), path);
    if (f.size() > kMaxFileBytes)
        return Error::badInput(QStringLiteral("model file larger than %1 MiB").arg(kMaxFileBytes >> 20),
                               path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::failure(QStringLiteral("cannot read: ") + f.errorString(), path);
    return fromBytes(f.readAll(), path);
}

Result<AnomalyModel> AnomalyModel::fromBytes(const QByteArray& bytes, const QString& source) {
    auto bad = [&](const QString& what) {
        return Error::badInput(QStringLiteral("invalid model file: ") + what, source);
    };
    const auto size = static_cast<std::size_t>(bytes.size());
    if (size < sizeof kMagic || std::memcmp(bytes.constData(), kMagic, sizeof kMagic) != 0)
        return bad(QStringLiteral("not an ITAP model file (wrong magic)"));
    ByteReader in(bytes.constData(), size);
    QByteArray skip;
    std::uint32_t version = 0;
    if (!in.bytes(sizeof kMagic, skip) || !in.u32(version))
        return bad(QStringLiteral("truncated"));
    if (version < kOldestFormatVersion || version > kFormatVersion)
        return bad(QStringLiteral("unsupported format version %1 (this build reads versions %2 to %3)")
                       .arg(version)
                       .arg(kOldestFormatVersion)
                       .arg(kFormatVersion));
    if (size < kPreambleBytes + 8 + 4 + kChecksumBytes)
        return bad(QStringLiteral("truncated"));
    const std::size_t body = size - kChecksumBytes;
    const QByteArray digest = QCryptographicHash::hash(
        QByteArrayView(bytes.constData(), static_cast<qsizetype>(body)), QCryptographicHash::Sha256);
    if (std::memcmp(digest.constData(), bytes.constData() + body, kChecksumBytes) != 0)
        return bad(QStringLiteral("checksum mismatch (the file is truncated or corrupt)"));

    // The checksum only proves the bytes are what some writer produced; every length is still checked
    // against what is left before anything is allocated.
    ByteReader r(bytes.constData(), body);
    std::uint32_t headerLen = 0;
    if (!r.bytes(sizeof kMagic, skip) || !r.u32(version) || !r.u32(headerLen) || headerLen > r.remaining())
        return bad(QStringLiteral("header length exceeds the file size"));
    QByteArray headerBytes;
    if (!r.bytes(headerLen, headerBytes))
        return bad(QStringLiteral("truncated header"));
    auto parsed = parseJson(headerBytes, source);
    if (!parsed)
        return bad(QStringLiteral("header: ") + parsed.error().message);
    const nlohmann::json& h = *parsed;
    if (!h.is_object())
        return bad(QStringLiteral("header is not a JSON object"));

    AnomalyModel m;
    auto field = [&](const char* key, nlohmann::json::value_t type) {
        return h.contains(key) && h[key].type() == type;
    };
    using VT = nlohmann::json::value_t;
    if (!field("features", VT::array))
        return bad(QStringLiteral("header.features missing"));
    for (const auto& name : h["features"]) {
        if (!name.is_string())
            return bad(QStringLiteral("header.features must be strings"));
        m.metadata_.featureNames.push_back(QString::fromStdString(name.get<std::string>()));
    }
    const auto cols = static_cast<int>(m.metadata_.featureNames.size());
    if (cols == 0)
        return bad(QStringLiteral("the model has no features"));
    if (!field("catalog_hash", VT::string))
        return bad(QStringLiteral("header.catalog_hash missing"));
    m.metadata_.catalogHash = QString::fromStdString(h["catalog_hash"].get<std::string>());
    m.metadata_.featureConfig = h.value("feature_config", nlohmann::json());

    const nlohmann::json trainingJson = h.value("training", nlohmann::json::object());
    JsonReader training(trainingJson, source, QStringLiteral("training"));
    auto rows = training.integer("rows");
    auto from = training.integer("from_ms", 0);
    auto to = training.integer("to_ms", 0);
    if (!rows || !from || !to)
        return bad(QStringLiteral("header.training is incomplete"));
    m.trainRows_ = *rows;
    m.metadata_.trainFromMs = *from;
    m.metadata_.trainToMs = *to;
    if (trainingJson.contains("stratify_regimes")) {
        if (!trainingJson["stratify_regimes"].is_boolean())
            return bad(QStringLiteral("header.training.stratify_regimes must be true or false"));
        m.stratify_ = trainingJson["stratify_regimes"].get<bool>();
    }
    if (trainingJson.contains("regime_edges_s")) {
        const auto& edges = trainingJson["regime_edges_s"];
        if (!edges.is_array())
            return bad(QStringLiteral("header.training.regime_edges_s must be an array"));
        for (const auto& e : edges) {
            if (!e.is_number())
                return bad(QStringLiteral("header.training.regime_edges_s must hold numbers"));
            m.regimeEdges_.push_back(e.get<double>());
        }
        if (Status st = validateRegimeEdges(m.regimeEdges_); !st)
            return bad(QStringLiteral("header.training: ") + st.error().message);
    }
    m.findSinceColumn();
    std::vector<QString> ignored;
    if (h.contains("ignored_features")) {
        if (!h["ignored_features"].is_array())
            return bad(QStringLiteral("header.ignored_features must be an array"));
        for (const auto& name : h["ignored_features"]) {
            if (!name.is_string())
                return bad(QStringLiteral("header.ignored_features must be strings"));
            const QString q = QString::fromStdString(name.get<std::string>());
            if (std::find(m.metadata_.featureNames.begin(), m.metadata_.featureNames.end(), q) ==
                m.metadata_.featureNames.end())
                return bad(QStringLiteral("header.ignored_features names an unknown feature \"%1\"").arg(q));
            ignored.push_back(q);
        }
    }
    m.setIgnored(ignored);
    // Absent in files written before the out-of-support extension: such a model scores as it always did.
    if (h.contains("out_of_support")) {
        const nlohmann::json& oj = h["out_of_support"];
        if (!oj.is_object() || !oj.contains("pool") || !oj["pool"].is_number_integer() ||
            !oj.contains("columns") || !oj["columns"].is_array())
            return bad(QStringLiteral("header.out_of_support must hold an integer pool and a columns array"));
        const auto pool = oj["pool"].get<std::int64_t>();
        if (pool < 1 || pool > cols)
            return bad(QStringLiteral("header.out_of_support.pool must be in [1, %1]").arg(cols));
        m.supportPool_ = static_cast<int>(pool);
        for (const auto& c : oj["columns"]) {
            if (!c.is_object() || !c.contains("feature") || !c["feature"].is_string() ||
                !c.contains("value") || !c["value"].is_number())
                return bad(
                    QStringLiteral("header.out_of_support.columns: each needs a feature name and a value"));
            const QString name = QString::fromStdString(c["feature"].get<std::string>());
            const auto& names = m.metadata_.featureNames;
            const auto it = std::find(names.begin(), names.end(), name);
            const double value = c["value"].get<double>();
            if (it == names.end())
                return bad(QStringLiteral("header.out_of_support names an unknown feature \"%1\"").arg(name));
            if (!(std::abs(value) <= std::numeric_limits<float>::max()))
                return bad(QStringLiteral("header.out_of_support: the value of \"%1\" is not a finite float")
                               .arg(name));
            m.support_.push_back({static_cast<int>(it - names.begin()), static_cast<float>(value)});
        }
    }
    if (h.contains("signal_limits")) {
        auto limits = SignalLimits::fromJson(h["signal_limits"], source);
        if (!limits)
            return limits.error();
        m.signalLimits_ = std::move(limits).value();
    }
    if (h.contains("dynamics")) {
        auto dyn = ChannelDynamics::fromJson(h["dynamics"], cols, source);
        if (!dyn)
            return bad(dyn.error().message);
        m.dynamics_ = std::move(dyn).value();
    }
    if (h.contains("regime_scaler")) {
        auto regime = RegimeScaler::fromJson(h["regime_scaler"], cols,
                                             static_cast<int>(m.regimeEdges_.size()) + 1, source);
        if (!regime)
            return bad(regime.error().message);
        m.regime_ = std::move(regime).value();
    }

    if (!field("forest", VT::object))
        return bad(QStringLiteral("header.forest missing"));
    const nlohmann::json& fj = h["forest"];
    JsonReader forest(fj, source, QStringLiteral("forest"));
    auto trees = forest.integer("trees");
    auto psi = forest.integer("sample_size");
    auto depth = forest.integer("max_depth");
    auto effective = forest.integer("effective_sample_size");
    if (!trees || !psi || !depth || !effective || !fj.contains("seed") || !fj["seed"].is_number_unsigned())
        return bad(QStringLiteral("header.forest is incomplete"));
    auto narrow = [](qint64 v) { return static_cast<int>(std::clamp<qint64>(v, -1, 1 << 30)); };
    m.forestParams_.trees = narrow(*trees);
    m.forestParams_.sampleSize = narrow(*psi);
    m.forestParams_.maxDepth = narrow(*depth);
    m.forestParams_.seed = fj["seed"].get<std::uint64_t>();
    if (Status st = m.forestParams_.validate(); !st)
        return bad(st.error().message);

    if (!h.contains("threshold"))
        return bad(QStringLiteral("header.threshold missing"));
    if (h["threshold"].is_number())
        m.threshold_ = h["threshold"].get<double>();
    else if (!h["threshold"].is_null())
        return bad(QStringLiteral("header.threshold must be a number or null"));

    if (!h.contains("scaler"))
        return bad(QStringLiteral("header.scaler missing"));
    auto scaler = StandardScaler::fromJson(h["scaler"], cols, source);
    if (!scaler)
        return bad(scaler.error().message);
    m.scaler_ = std::move(scaler).value();

    // Version 1 predates the detector choice: such a file is a forest-only model.
    if (version >= 2) {
        if (!field("detector", VT::string))
            return bad(QStringLiteral("header.detector missing"));
        const auto detector =
            detectorChoiceFromName(QString::fromStdString(h["detector"].get<std::string>()));
        if (!detector)
            return bad(QStringLiteral("header.detector must be forest, pca or combined"));
        m.detector_ = *detector;
        if (m.detector_ != DetectorChoice::Forest) {
            if (!h.contains("pca"))
                return bad(QStringLiteral("header.pca missing"));
            auto pca = PcaMonitor::fromJson(h["pca"], cols, source);
            if (!pca)
                return bad(pca.error().message);
            m.pca_ = std::move(pca).value();
        }
        if (m.detector_ == DetectorChoice::Combined) {
            if (!h.contains("forest_calibration"))
                return bad(QStringLiteral("header.forest_calibration missing"));
            const nlohmann::json& cj = h["forest_calibration"];
            if (!cj.is_array() || cj.size() != std::size_t(kOpStateCount + 1) || cj.back().is_null())
                return bad(QStringLiteral("header.forest_calibration must hold %1 calibrations, the last one "
                                          "not null")
                               .arg(kOpStateCount + 1));
            for (std::size_t k = 0; k < cj.size(); ++k) {
                if (cj[k].is_null())
                    continue;
                auto cal =
                    TailCalibration::fromJson(cj[k], source, QStringLiteral("model.forest_calibration"));
                if (!cal)
                    return bad(cal.error().message);
                m.forestCal_[k] = std::move(cal).value();
            }
        }
    }

    std::uint32_t treeCount = 0, nodeCount = 0;
    if (!r.u32(treeCount) || !r.u32(nodeCount))
        return bad(QStringLiteral("truncated node section"));
    if (treeCount != static_cast<std::uint32_t>(m.forestParams_.trees))
        return bad(
            QStringLiteral("%1 trees stored, header says %2").arg(treeCount).arg(m.forestParams_.trees));
    const std::uint64_t need = (std::uint64_t{treeCount} + 1) * 4 + std::uint64_t{nodeCount} * kNodeBytes;
    if (need != r.remaining())
        return bad(QStringLiteral("node section is %1 bytes, expected %2").arg(r.remaining()).arg(need));
    std::vector<std::uint32_t> offsets(treeCount + std::size_t{1});
    for (auto& o : offsets) (void)r.u32(o);
    std::vector<ForestNode> nodes(nodeCount);
    for (ForestNode& nd : nodes) {
        (void)r.i32(nd.feature);
        (void)r.f32(nd.threshold);
        (void)r.i32(nd.left);
        (void)r.i32(nd.right);
        (void)r.i32(nd.size);
    }
    if (*effective < 2 || *effective > m.forestParams_.sampleSize)
        return bad(QStringLiteral("header.forest.effective_sample_size out of range"));
    auto built = IsolationForest::fromNodes(cols, narrow(*effective), std::move(nodes), std::move(offsets));
    if (!built)
        return bad(built.error().message);
    m.forest_ = std::move(built).value();
    return m;
}

}  // namespace itap
