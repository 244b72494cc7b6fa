#include "evaluate/metrics_json.h"

namespace itap {
namespace {

nlohmann::json optionalNumber(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json metricsToJson(const Metrics& m) {
    using nlohmann::json;
    const bool labels = m.groundTruth;
    json j = json::object();
    j["schema_version"] = kMetricsSchemaVersion;
    j["ground_truth"] = labels;
    j["evaluation_rows"] = m.evaluationRows;
    j["training_rows"] = m.trainingRows;
    j["exclude_fault_tails"] = m.excludeFaultTails;
    j["excluded_fault_tail_rows"] = m.excludedFaultTailRows;
    j["training_uses_labels"] = m.trainingUsesLabels;
    j["threshold"] = optionalNumber(m.selection.threshold);
    j["selection_rule"] = selectionRuleName(m.selection.rule).toStdString();
    j["min_precision"] = m.minPrecision;
    j["label_free_rule"] = m.labelFreeRule.toStdString();
    j["roc_auc"] = optionalNumber(m.rocAuc);
    j["pr_auc"] = optionalNumber(m.prAuc);

    json counts = json::object();
    counts["flagged"] = m.confusion.flagged();
    if (labels) {
        counts["tp"] = m.confusion.tp;
        counts["fp"] = m.confusion.fp;
        counts["tn"] = m.confusion.tn;
        counts["fn"] = m.confusion.fn;
        counts["positives"] = m.confusion.positives();
        counts["negatives"] = m.confusion.negatives();
    }
    j["counts"] = counts;

    json sweep = json::array();
    for (const SweepPoint& p : m.sweep) {
        json point = json::object();
        point["threshold"] = p.threshold;
        point["percentile"] = p.percentile;
        point["flagged"] = p.confusion.flagged();
        if (labels) {
            point["tp"] = p.confusion.tp;
            point["fp"] = p.confusion.fp;
            point["precision"] = optionalNumber(p.confusion.precision());
            point["recall"] = optionalNumber(p.confusion.recall());
            point["f1"] = optionalNumber(p.confusion.f1());
            point["fpr"] = optionalNumber(p.confusion.falsePositiveRate());
        }
        sweep.push_back(point);
    }
    j["sweep"] = sweep;

    // Per device: flagged counts always; with labels every figure of the pooled metrics.
    json perDevice = json::array();
    for (const DeviceMetrics& d : m.perDevice) {
        json o = json::object();
        o["device_id"] = d.device.toStdString();
        o["evaluation_rows"] = d.confusion.total();
        o["flagged"] = d.confusion.flagged();
        if (labels) {
            o["tp"] = d.confusion.tp;
            o["fp"] = d.confusion.fp;
            o["tn"] = d.confusion.tn;
            o["fn"] = d.confusion.fn;
            o["precision"] = optionalNumber(d.precision);
            o["recall"] = optionalNumber(d.recall);
            o["f1"] = optionalNumber(d.f1);
            o["false_alarm_rate"] = optionalNumber(d.falseAlarmRate);
            o["missed_alarm_rate"] = optionalNumber(d.missedAlarmRate);
            o["roc_auc"] = optionalNumber(d.rocAuc);
            o["pr_auc"] = optionalNumber(d.prAuc);
            o["events"] = d.events;
            o["events_caught"] = d.eventsCaught;
            o["event_recall"] = optionalNumber(d.eventRecall);
            o["median_latency_s"] = optionalNumber(d.medianLatencyS);
        }
        perDevice.push_back(o);
    }
    j["per_device"] = perDevice;
    if (!labels)
        return j;

    j["precision"] = optionalNumber(m.precision);
    j["recall"] = optionalNumber(m.recall);
    j["f1"] = optionalNumber(m.f1);
    j["false_alarm_rate"] = optionalNumber(m.falseAlarmRate);
    j["missed_alarm_rate"] = optionalNumber(m.missedAlarmRate);

    json perFault = json::object();
    for (const FaultMetrics& f : m.perFault) {
        json o = json::object();
        o["rows"] = f.rows;
        o["caught_rows"] = f.caughtRows;
        o["recall"] = optionalNumber(f.recall);
        o["events"] = f.events;
        o["events_caught"] = f.eventsCaught;
        o["event_recall"] = optionalNumber(f.eventRecall);
        o["median_latency_s"] = optionalNumber(f.medianLatencyS);
        perFault[f.tag.toStdString()] = o;
    }
    j["per_fault"] = perFault;

    json rates = json::object();
    json alarms = json::object();
    for (int s = 0; s < kOpStateCount; ++s) {
        const StateFalseAlarms& st = m.perState[static_cast<std::size_t>(s)];
        const std::string name = opStateName(static_cast<OpState>(s)).toStdString();
        rates[name] = optionalNumber(st.rate);
        alarms[name] = {{"false_alarms", st.falseAlarms}, {"negatives", st.negatives}};
    }
    j["false_alarm_rate_per_state"] = rates;
    j["false_alarms_per_state"] = alarms;
    return j;
}

}  // namespace itap
