#include "evaluate/metrics_json.h"
#include "common/json_util.h"
#include "core/evaluate/score_table_builder.h"

#include <QTemporaryDir>
#include <QTest>

using namespace itap;

namespace {

ScoreTable labelledTable() {
    return test::randomTable(5, 4, 300, 60);
}

}  // namespace

class MetricsJsonTest : public QObject {
    Q_OBJECT
private slots:
    void hasEveryField() {
        const auto m = evaluate(labelledTable(), {});
        QVERIFY(m.ok());
        const nlohmann::json j = metricsToJson(*m);
        for (const char* key : {"schema_version",
                                "ground_truth",
                                "evaluation_rows",
                                "training_rows",
                                "threshold",
                                "selection_rule",
                                "min_precision",
                                "precision",
                                "recall",
                                "f1",
                                "roc_auc",
                                "pr_auc",
                                "counts",
                                "sweep",
                                "per_fault",
                                "false_alarm_rate_per_state",
                                "false_alarms_per_state",
                                "label_free_rule",
                                "false_alarm_rate",
                                "missed_alarm_rate",
                                "per_device"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["schema_version"].get<int>(), 1);
        QCOMPARE(j["ground_truth"].get<bool>(), true);
        QCOMPARE(j["selection_rule"].get<std::string>(), std::string("min_precision_max_recall"));
        QCOMPARE(j["threshold"].get<double>(), *m->selection.threshold);
        QCOMPARE(j["precision"].get<double>(), *m->precision);
        QCOMPARE(j["roc_auc"].get<double>(), *m->rocAuc);
        for (const char* key : {"tp", "fp", "tn", "fn", "flagged", "positives", "negatives"})
            QVERIFY2(j["counts"].contains(key), key);
        QCOMPARE(j["counts"]["tp"].get<qint64>(), m->confusion.tp);

        QCOMPARE(j["sweep"].size(), m->sweep.size());
        for (const char* key :
             {"threshold", "percentile", "flagged", "tp", "fp", "precision", "recall", "f1", "fpr"})
            QVERIFY2(j["sweep"][0].contains(key), key);

        QCOMPARE(j["per_fault"].size(), std::size_t(3));
        for (const char* tag : {"bearing_wear", "overheat", "power_spike"}) {
            QVERIFY2(j["per_fault"].contains(tag), tag);
            for (const char* key : {"rows", "caught_rows", "recall", "events", "events_caught",
                                    "event_recall", "median_latency_s"})
                QVERIFY2(j["per_fault"][tag].contains(key), key);
        }
        QCOMPARE(j["per_fault"]["overheat"]["events"].get<qint64>(), m->perFault[1].events);
        for (const char* state : {"RUN", "IDLE", "MAINT"}) {
            QVERIFY2(j["false_alarm_rate_per_state"].contains(state), state);
            QVERIFY2(j["false_alarms_per_state"][state].contains("negatives"), state);
        }
    }

    void undefinedIsNullNotZero() {
        // No MAINT rows and an episode that is never caught.
        const ScoreTable t = test::makeTable({{0, 0, 0.9f, {}},
                                              {0, 1, 0.1f, QStringLiteral("overheat")},
                                              {0, 2, 0.8f, QStringLiteral("power_spike")}});
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const auto m = evaluateAt(t, *index, 0.5);
        QVERIFY(m.ok());
        const nlohmann::json j = metricsToJson(*m);
        QVERIFY(j["false_alarm_rate_per_state"]["MAINT"].is_null());
        QCOMPARE(j["false_alarm_rate_per_state"]["RUN"].get<double>(), 1.0);
        QVERIFY(j["per_fault"]["overheat"]["median_latency_s"].is_null());
        QCOMPARE(j["per_fault"]["overheat"]["event_recall"].get<double>(), 0.0);
        QCOMPARE(j["per_fault"]["power_spike"]["median_latency_s"].get<double>(), 0.0);
    }

    void withoutLabelsSaysSo() {
        ScoreTable t = labelledTable();
        t.hasLabels = false;
        auto m = evaluate(t, {});
        QVERIFY(m.ok());
        const auto perDevice = evaluatePerDevice(t, *m->selection.threshold);
        QVERIFY(perDevice.ok());
        m->perDevice = *perDevice;
        const nlohmann::json j = metricsToJson(*m);
        QCOMPARE(j["ground_truth"].get<bool>(), false);
        QCOMPARE(j["threshold"].get<double>(), *labelFreeThreshold(t, {}));
        QCOMPARE(j["selection_rule"].get<std::string>(), std::string("label_free"));
        QCOMPARE(j["label_free_rule"].get<std::string>(), std::string("0.995 quantile of training scores"));
        QVERIFY(j["roc_auc"].is_null());
        for (const char* key : {"precision", "recall", "f1", "per_fault", "false_alarm_rate_per_state",
                                "false_alarm_rate", "missed_alarm_rate"})
            QVERIFY2(!j.contains(key), key);
        QCOMPARE(j["per_device"].size(), std::size_t(4));
        QVERIFY(j["per_device"][0].contains("flagged"));
        QVERIFY(!j["per_device"][0].contains("precision"));
        QVERIFY(!j["counts"].contains("tp"));
        QVERIFY(!j["sweep"].empty());
        QVERIFY(j["sweep"][0].contains("flagged"));
        QVERIFY(!j["sweep"][0].contains("precision"));
    }

    void sameInputSameBytes() {
        // Two independently built tables and evaluations, written through the artifact path.
        const auto a = evaluate(labelledTable(), {});
        const auto b = evaluate(labelledTable(), {});
        QVERIFY(a.ok() && b.ok());
        const QByteArray bytesA = toJsonBytes(metricsToJson(*a));
        QCOMPARE(toJsonBytes(metricsToJson(*b)), bytesA);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("metrics.json"));
        QVERIFY(writeFileAtomic(path, bytesA).ok());
        const auto back = readJsonFile(path);
        QVERIFY(back.ok());
        QCOMPARE(toJsonBytes(*back), bytesA);
    }

    void thresholdRoundTripsExactly() {
        // A GUI that reads the threshold back from metrics.json must flag exactly the same rows.
        const ScoreTable t = labelledTable();
        const auto m = evaluate(t, {});
        QVERIFY(m.ok());
        const auto parsed = parseJson(toJsonBytes(metricsToJson(*m)), QStringLiteral("metrics.json"));
        QVERIFY(parsed.ok());
        const double threshold = (*parsed)["threshold"].get<double>();
        QCOMPARE(threshold, *m->selection.threshold);
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        QCOMPARE(index->at(threshold), m->confusion);
        for (std::size_t i = 0; i < m->sweep.size(); ++i)
            QCOMPARE((*parsed)["sweep"][i]["threshold"].get<double>(), m->sweep[i].threshold);
    }
};

QTEST_GUILESS_MAIN(MetricsJsonTest)
#include "metrics_json_test.moc"
