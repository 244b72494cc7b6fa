// End to end on the simulator: the quality floors of detection and explanation, determinism and thread invariance.
#include "common/json_util.h"
#include "pipeline/analysis.h"
#include "pipeline/ingest_job.h"
#include "pipeline/session.h"
#include "telemetry/fleet_simulator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace itap;

namespace {

struct Fleet {
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Store> store;
};

Fleet simulateAndIngest(const SimulationProfile& profile) {
    Fleet f;
    f.dir = std::make_unique<QTemporaryDir>();
    const QString csv = f.dir->filePath("fleet.csv");
    const SensorCatalog catalog = SensorCatalog::defaults();
    auto summary = FleetSimulator(profile, catalog).writeCsv(csv);
    if (!summary) qFatal("%s", qPrintable(summary.error().toString()));
    auto store = Store::open(f.dir->filePath("fleet.db"), &catalog);
    if (!store) qFatal("%s", qPrintable(store.error().toString()));
    f.store = std::move(store).value();
    auto ingested = ingestFile(csv, *f.store, {}, {});
    if (!ingested) qFatal("%s", qPrintable(ingested.error().toString()));
    return f;
}

ScoredFleet trainAndScore(Store& store, int threads, const AnalysisOptions& options = {}) {
    TrainConfig config;
    config.threads = threads;
    auto trained = trainModel(store, config, {});
    if (!trained) qFatal("%s", qPrintable(trained.error().toString()));
    AnalysisOptions o = options;
    o.threads = threads;
    auto scored = scoreWithModel(store, std::move(trained->model), o, {}, &trained->fleet);
    if (!scored) qFatal("%s", qPrintable(scored.error().toString()));
    return std::move(scored).value();
}

// The families an explanation may name for each injected fault (DESIGN.md: "the top family must match").
bool familyMatches(const QString& tag, const QString& family, const QString& droppedFamily) {
    if (tag == fault::kOverheat) return family == QLatin1String("Temperature");
    if (tag == fault::kBearingWear) return family == QLatin1String("Vibration") || family == QLatin1String("RPM");
    if (tag == fault::kPowerSpike) return family == QLatin1String("Voltage") || family == QLatin1String("Current");
    if (tag == fault::kSensorDropout) return family == family::kMissingness || family == droppedFamily;
    return false;
}

}  // namespace

class PipelineTest : public QObject {
    Q_OBJECT
    Fleet fleet_;
    std::optional<ScoredFleet> scored_;

private slots:
    void initTestCase() {
        fleet_ = simulateAndIngest(SimulationProfile::defaults());
        scored_ = trainAndScore(*fleet_.store, 0);
    }

    // Issue 3's floors on the default simulated fleet.
    void detectionMeetsTheFloors() {
        const Metrics& m = scored_->analysis.metrics;
        QVERIFY(m.groundTruth);
        QVERIFY(m.rocAuc.has_value());
        qInfo("ROC-AUC %.4f  PR-AUC %.4f  precision %.3f  recall %.3f  threshold %.4f", *m.rocAuc, m.prAuc.value_or(-1),
              m.precision.value_or(-1), m.recall.value_or(-1), scored_->analysis.threshold);
        QVERIFY2(*m.rocAuc >= 0.95, qPrintable(QString::number(*m.rocAuc)));
        QVERIFY(m.precision.has_value());
        QVERIFY2(*m.precision >= 0.5, qPrintable(QString::number(*m.precision)));
        QCOMPARE(int(m.perFault.size()), 4);
        for (const FaultMetrics& f : m.perFault) {
            qInfo("%-15s events %3lld caught %3lld event recall %.3f point recall %.3f median latency %.0f s",
                  qPrintable(f.tag), f.events, f.eventsCaught, f.eventRecall.value_or(-1), f.recall.value_or(-1),
                  f.medianLatencyS.value_or(-1));
            QVERIFY2(f.eventRecall.has_value() && *f.eventRecall >= 0.9,
                     qPrintable(f.tag + QStringLiteral(" event recall ") + QString::number(f.eventRecall.value_or(-1))));
        }
    }

    // A RUN -> IDLE transition is normal: false alarms stay rare in every state.
    void falseAlarmsStayLowInEveryState() {
        const Metrics& m = scored_->analysis.metrics;
        for (int s = 0; s < kOpStateCount; ++s) {
            const auto& st = m.perState[std::size_t(s)];
            if (!st.rate) continue;
            qInfo("%s false-alarm rate %.4f (%lld of %lld)", qPrintable(opStateName(OpState(s))), *st.rate,
                  st.falseAlarms, st.negatives);
            QVERIFY2(*st.rate < 0.05, qPrintable(opStateName(OpState(s))));
        }
    }

    // Issue 4: the top family of each flagged faulty row names the injected fault for >= 85 % of rows per type.
    void explanationsNameTheInjectedFault() {
        const FleetFeatures& f = scored_->fleet;
        const Analysis& a = scored_->analysis;
        const ScoreTable& t = f.table;
        std::map<QString, std::map<QString, int>> confusion;  // tag -> top family -> rows
        std::map<QString, int> matched, total;
        for (std::size_t i = 0; i < a.flagged.size(); ++i) {
            const std::size_t r = a.flagged[i];
            const QString& tag = t.faultTag[r];
            if (tag.isEmpty() || a.explanations[i].families.empty()) continue;
            const QString top = a.explanations[i].families.front().family;
            // For dropouts, the dropped channel is the one whose missing fraction is highest in this row.
            QString dropped;
            if (tag == fault::kSensorDropout) {
                const float* row = f.featureRow(r);
                float best = -1;
                for (int c = 0; c < f.schema.size(); ++c) {
                    if (f.schema.families[std::size_t(c)] == family::kMissingness && row[c] > best) {
                        best = row[c];
                        const int ch = f.schema.channel[std::size_t(c)];
                        dropped = ch >= 0 ? fleet_.store->catalog().channel(ch).family : QString();
                    }
                }
            }
            ++confusion[tag][top];
            ++total[tag];
            if (familyMatches(tag, top, dropped)) ++matched[tag];
        }
        for (const auto& [tag, row] : confusion) {
            QString line = tag + QStringLiteral(":");
            for (const auto& [fam, n] : row) line += QStringLiteral(" %1=%2").arg(fam).arg(n);
            qInfo("%s  -> match %.1f%%", qPrintable(line), 100.0 * matched[tag] / std::max(1, total[tag]));
        }
        QCOMPARE(int(total.size()), 4);
        for (const auto& [tag, n] : total) {
            const double share = double(matched[tag]) / n;
            QVERIFY2(share >= 0.85, qPrintable(QStringLiteral("%1: %2").arg(tag).arg(share)));
        }
    }

    void everyFlaggedRowIsExplainedAndAlerted() {
        const Analysis& a = scored_->analysis;
        QCOMPARE(a.explanations.size(), a.flagged.size());
        int merged = 0;
        for (const Alert& al : a.alerts) merged += al.count;
        QCOMPARE(std::size_t(merged), a.flagged.size());
        QVERIFY(a.alerts.size() < a.flagged.size());
        qInfo("%zu flagged rows -> %zu alerts (%.1f%% fewer)", a.flagged.size(), a.alerts.size(),
              100.0 * (1.0 - double(a.alerts.size()) / double(std::max<std::size_t>(1, a.flagged.size()))));
        for (const Explanation& e : a.explanations) {
            double sum = 0;
            for (const auto& fam : e.families) sum += fam.percent;
            QVERIFY(std::abs(sum - 100.0) < 1e-6 || e.families.empty());
        }
    }

    // Same seed and config: the same artifact bytes; and the scores do not depend on the thread count.
    void deterministicAcrossRunsAndThreads() {
        QTemporaryDir out1, out2;
        const AnalysisOptions options;
        ScoredFleet one = trainAndScore(*fleet_.store, 1);
        QVERIFY(writeArtifacts(out1.path(), one.fleet, one.analysis, options).ok());
        QVERIFY(writeArtifacts(out2.path(), scored_->fleet, scored_->analysis, options).ok());
        QCOMPARE(one.fleet.table.score, scored_->fleet.table.score);
        for (const char* name : {"metrics.json", "explanations_top.json", "aggregate_summaries.json", "alerts.json"}) {
            QFile a(QDir(out1.path()).filePath(name)), b(QDir(out2.path()).filePath(name));
            QVERIFY(a.open(QIODevice::ReadOnly));
            QVERIFY(b.open(QIODevice::ReadOnly));
            const QByteArray ba = a.readAll();
            QVERIFY(!ba.isEmpty());
            QVERIFY2(ba == b.readAll(), name);
            auto parsed = parseJson(ba, QString::fromLatin1(name));
            QVERIFY(parsed.ok());
            QCOMPARE(parsed->value("schema_version", 0), 1);
        }
    }

    void reportHasEverySection() {
        const QString report = operatorReport(scored_->fleet, scored_->analysis);
        for (const char* section : {"Threshold", "Top events", "Alerts", "cause="})
            QVERIFY2(report.contains(QLatin1String(section)), section);
    }

    // Unlabelled data: the threshold comes from the training span alone.
    void unlabelledDataUsesALabelFreeThreshold() {
        ScoredFleet s = *scored_;
        s.fleet.table.hasLabels = false;
        for (auto& tag : s.fleet.table.faultTag) tag.clear();
        auto a = analyse(s.fleet, s.model, fleet_.store->catalog(), AnalysisOptions{}, {});
        QVERIFY(a.ok());
        QVERIFY(!a->metrics.groundTruth);
        QVERIFY(a->thresholdRule.startsWith(QLatin1String("label-free")));
        QVERIFY(a->threshold > 0 && a->threshold < 1);
    }
};

QTEST_GUILESS_MAIN(PipelineTest)
#include "pipeline_test.moc"
