#include "evaluate/metrics.h"
#include "core/evaluate/score_table_builder.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace itap;
using itap::test::makeTable;

namespace {

const QString kOv = QStringLiteral("overheat");
const QString kPs = QStringLiteral("power_spike");

// Two devices; the training span is the first two rows of DEV-0000.
//   episode A: overheat rows 1-3 (row 1 in training) → evaluated from t = 20 s
//   episode B: power_spike row 6
//   episode C: overheat rows 8-9 (first rows of DEV-0001), t = 0 s and 25 s
//   episode D: power_spike row 10, low score
// Evaluated scores, descending: .9+ .8+ .7- .65+ .6- .5+ .4+ .2- .2+ .1- .1-  (P = 6, N = 5).
ScoreTable handTable() {
    return makeTable({{0, 0, 0.95f, {}, true, OpState::Run},
                      {0, 10, 0.30f, kOv, true, OpState::Run},
                      {0, 20, 0.40f, kOv, false, OpState::Run},
                      {0, 30, 0.80f, kOv, false, OpState::Run},
                      {0, 40, 0.20f, {}, false, OpState::Run},
                      {0, 50, 0.70f, {}, false, OpState::Idle},
                      {0, 60, 0.90f, kPs, false, OpState::Run},
                      {0, 70, 0.10f, {}, false, OpState::Maint},
                      {1, 0, 0.50f, kOv, false, OpState::Run},
                      {1, 25, 0.65f, kOv, false, OpState::Run},
                      {1, 30, 0.20f, kPs, false, OpState::Run},
                      {1, 40, 0.60f, {}, false, OpState::Run},
                      {1, 50, 0.10f, {}, false, OpState::Idle}});
}

void verifyClose(const std::optional<double>& actual, double expected) {
    QVERIFY(actual.has_value());
    QVERIFY2(std::abs(*actual - expected) < 1e-12,
             qPrintable(QStringLiteral("%1 != %2").arg(*actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

}  // namespace

class MetricsTest : public QObject {
    Q_OBJECT
private slots:
    void selectsAndDerivesByHand() {
        EvaluationOptions options;
        options.minPrecision = 0.7;
        const auto m = evaluate(handTable(), options);
        QVERIFY(m.ok());
        QVERIFY(m->groundTruth);
        QCOMPARE(m->evaluationRows, qint64(11));
        QCOMPARE(m->trainingRows, qint64(2));
        // Precision >= 0.7 holds down to 0.4 (5/7); 0.2 drops to 6/9.
        QCOMPARE(m->selection.rule, SelectionRule::MinPrecisionMaxRecall);
        QCOMPARE(m->selection.threshold.value_or(-1), static_cast<double>(0.4f));
        QCOMPARE(m->confusion, (Confusion{5, 2, 3, 1}));
        verifyClose(m->precision, 5.0 / 7.0);
        verifyClose(m->recall, 5.0 / 6.0);
        verifyClose(m->f1, 10.0 / 13.0);
        // Correctly ranked (positive, negative) pairs: 5 + 5 + 4 + 3 + 3 + 2.5 (the 0.2 tie) of 30.
        verifyClose(m->rocAuc, 22.5 / 30.0);
        verifyClose(m->prAuc, (1.0 + 1.0 + 3.0 / 4.0 + 4.0 / 6.0 + 5.0 / 7.0 + 6.0 / 9.0) / 6.0);
        QCOMPARE(m->sweep[std::size_t(m->selection.point)].threshold, *m->selection.threshold);

        QCOMPARE(m->perFault.size(), std::size_t(2));
        const FaultMetrics& ov = m->perFault[0];
        QCOMPARE(ov.tag, kOv);
        QCOMPARE(ov.rows, qint64(4));
        QCOMPARE(ov.caughtRows, qint64(4));
        QCOMPARE(ov.events, qint64(2));
        QCOMPARE(ov.eventsCaught, qint64(2));
        QCOMPARE(ov.medianLatencyS.value_or(-1), 0.0);
        const FaultMetrics& ps = m->perFault[1];
        QCOMPARE(ps.tag, kPs);
        verifyClose(ps.recall, 0.5);
        verifyClose(ps.eventRecall, 0.5);
    }

    void fallsBackToBestF1() {
        // The IDLE false alarm now scores highest, so no threshold reaches precision 1. F1 = 2tp / (2tp + fp
        // + fn):
        //   .99: 0   .9: 2/8   .8: 4/9   .65: .6   .6: 6/11   .5: 2/3   .4: 10/13   .2: 12/15   .1: 12/17
        ScoreTable t = handTable();
        t.score[5] = 0.99f;
        EvaluationOptions options;
        options.minPrecision = 1.0;
        const auto m = evaluate(t, options);
        QVERIFY(m.ok());
        QCOMPARE(m->selection.rule, SelectionRule::BestF1);
        QCOMPARE(m->selection.threshold.value_or(-1), static_cast<double>(0.2f));
        verifyClose(m->f1, 0.8);
        verifyClose(m->precision, 6.0 / 9.0);
        QCOMPARE(m->minPrecision, 1.0);
    }

    void evaluateAtSliderThreshold() {
        const ScoreTable t = handTable();
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const auto m = evaluateAt(t, *index, 0.6);
        QVERIFY(m.ok());
        QCOMPARE(m->selection.rule, SelectionRule::Manual);
        QCOMPARE(m->selection.threshold.value_or(-1), 0.6);
        QCOMPARE(m->selection.point, -1);  // 0.6 as a double is not the float score 0.6f
        QCOMPARE(m->confusion, (Confusion{3, 2, 3, 3}));
        verifyClose(m->precision, 0.6);
        verifyClose(m->recall, 0.5);

        // overheat: rows 2, 3, 8, 9 → 3 and 9 flagged; A caught at 30 s (10 s after 20 s), C at 25 s.
        const FaultMetrics& ov = m->perFault[0];
        QCOMPARE(ov.rows, qint64(4));
        QCOMPARE(ov.caughtRows, qint64(2));
        verifyClose(ov.recall, 0.5);
        QCOMPARE(ov.events, qint64(2));
        QCOMPARE(ov.eventsCaught, qint64(2));
        verifyClose(ov.eventRecall, 1.0);
        verifyClose(ov.medianLatencyS, 17.5);
        // power_spike: B caught on its only row, D missed.
        const FaultMetrics& ps = m->perFault[1];
        QCOMPARE(ps.events, qint64(2));
        QCOMPARE(ps.eventsCaught, qint64(1));
        verifyClose(ps.eventRecall, 0.5);
        verifyClose(ps.medianLatencyS, 0.0);

        // The AUCs do not depend on the threshold.
        verifyClose(m->rocAuc, 0.75);
    }

    void falseAlarmRatePerState() {
        const ScoreTable t = handTable();
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const auto m = evaluateAt(t, *index, 0.6);
        QVERIFY(m.ok());
        // Negatives: RUN rows 4, 11; IDLE rows 5, 12; MAINT row 7. Flagged: 11 (0.6) and 5 (0.7).
        const auto& run = m->perState[std::size_t(OpState::Run)];
        const auto& idle = m->perState[std::size_t(OpState::Idle)];
        const auto& maint = m->perState[std::size_t(OpState::Maint)];
        QCOMPARE(run.negatives, qint64(2));
        QCOMPARE(run.falseAlarms, qint64(1));
        verifyClose(run.rate, 0.5);
        QCOMPARE(idle.negatives, qint64(2));
        verifyClose(idle.rate, 0.5);
        QCOMPARE(maint.negatives, qint64(1));
        verifyClose(maint.rate, 0.0);

        // A state without normal rows has no rate rather than a zero one.
        ScoreTable noMaint = t;
        noMaint.state[7] = OpState::Run;
        auto index2 = ScoreIndex::build(noMaint);
        QVERIFY(index2.ok());
        const auto m2 = evaluateAt(noMaint, *index2, 0.6);
        QVERIFY(m2.ok());
        QVERIFY(!m2->perState[std::size_t(OpState::Maint)].rate.has_value());
        verifyClose(m2->perState[std::size_t(OpState::Run)].rate, 1.0 / 3.0);
    }

    void medianLatency_data() {
        QTest::addColumn<std::vector<int>>("delays");
        QTest::addColumn<double>("expected");
        QTest::newRow("one") << std::vector<int>{7} << 7.0;
        QTest::newRow("odd") << std::vector<int>{30, 10, 20} << 20.0;
        QTest::newRow("even") << std::vector<int>{40, 10, 30, 20} << 25.0;
    }
    void medianLatency() {
        QFETCH(std::vector<int>, delays);
        QFETCH(double, expected);
        // One overheat episode per device: normal rows, then the fault, first flagged `delay` seconds in.
        std::vector<test::Row> rows;
        for (std::size_t d = 0; d < delays.size(); ++d) {
            const int dev = int(d);
            rows.push_back({dev, 0, 0.1f, {}});
            rows.push_back({dev, 100, 0.2f, kOv});
            rows.push_back({dev, 100 + delays[d], 0.9f, kOv});
        }
        auto index = ScoreIndex::build(makeTable(rows));
        QVERIFY(index.ok());
        const auto m = evaluateAt(makeTable(rows), *index, 0.5);
        QVERIFY(m.ok());
        QCOMPARE(m->perFault.size(), std::size_t(1));
        QCOMPARE(m->perFault[0].eventsCaught, qint64(delays.size()));
        verifyClose(m->perFault[0].medianLatencyS, expected);
    }

    void matchesRowScanOnRandomTables() {
        const ScoreTable t = test::randomTable(21, 6, 250, 40);
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        for (const double th : {0.3, 0.55, 0.8, 0.975}) {
            const auto m = evaluateAt(t, *index, th);
            QVERIFY(m.ok());
            for (const FaultMetrics& f : m->perFault) {
                qint64 rows = 0, caught = 0, events = 0, eventsCaught = 0;
                bool inEvent = false, eventEvaluated = false, eventCaught = false;
                const auto closeEvent = [&] {
                    if (inEvent && eventEvaluated)
                        ++events;
                    if (inEvent && eventCaught)
                        ++eventsCaught;
                    inEvent = eventEvaluated = eventCaught = false;
                };
                for (std::size_t r = 0; r < t.size(); ++r) {
                    const bool same = t.faultTag[r] == f.tag;
                    if (!same || (r > 0 && t.device[r] != t.device[r - 1]))
                        closeEvent();
                    if (!same)
                        continue;
                    inEvent = true;
                    if (t.train[r] != 0)
                        continue;
                    eventEvaluated = true;
                    ++rows;
                    if (double(t.score[r]) >= th) {
                        ++caught;
                        eventCaught = true;
                    }
                }
                closeEvent();
                QCOMPARE(f.rows, rows);
                QCOMPARE(f.caughtRows, caught);
                QCOMPARE(f.events, events);
                QCOMPARE(f.eventsCaught, eventsCaught);
            }
        }
    }

    void withoutLabels() {
        ScoreTable t = handTable();
        t.hasLabels = false;
        const auto m = evaluate(t, {});
        QVERIFY(m.ok());
        QVERIFY(!m->groundTruth);
        // The label-free rule: the training span's only normal row scores 0.95 (row 1 is a fault row).
        QCOMPARE(m->selection.rule, SelectionRule::LabelFree);
        QCOMPARE(m->selection.threshold, std::optional<double>(double(0.95f)));
        QVERIFY(!m->precision.has_value());
        QVERIFY(!m->recall.has_value());
        QVERIFY(!m->rocAuc.has_value());
        QVERIFY(!m->prAuc.has_value());
        QVERIFY(m->perFault.empty());
        QCOMPARE(m->confusion.flagged(), qint64(0));  // no evaluated row reaches 0.95
        QVERIFY(!m->perState[0].rate.has_value());
        // The sweep still tells the operator how many rows each threshold would flag.
        QVERIFY(!m->sweep.empty());
        QCOMPARE(m->sweep.back().confusion.flagged(), qint64(1));

        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        const auto at = evaluateAt(t, *index, 0.6);
        QVERIFY(at.ok());
        QCOMPARE(at->confusion.flagged(), qint64(5));
        QVERIFY(!at->precision.has_value());
    }

    void perDeviceByHand() {
        // handTable at 0.6: device 0 evaluates rows 2..7, device 1 rows 8..12 (train flags in handTable).
        const auto per = evaluatePerDevice(handTable(), 0.6);
        QVERIFY(per.ok());
        QCOMPARE(per->size(), std::size_t(2));
        const DeviceMetrics& d0 = (*per)[0];
        QCOMPARE(d0.device, QStringLiteral("DEV-0000"));
        // Device 0 evaluated: 0.40 ov, 0.80 ov, 0.20, 0.70 (idle), 0.90 ps, 0.10 → flagged 0.80, 0.70, 0.90.
        QCOMPARE(d0.confusion.tp, qint64(2));
        QCOMPARE(d0.confusion.fp, qint64(1));
        QCOMPARE(d0.confusion.tn, qint64(2));
        QCOMPARE(d0.confusion.fn, qint64(1));
        verifyClose(d0.precision, 2.0 / 3.0);
        verifyClose(d0.recall, 2.0 / 3.0);
        verifyClose(d0.falseAlarmRate, 1.0 / 3.0);
        verifyClose(d0.missedAlarmRate, 1.0 / 3.0);
        // Device 1: 0.50 ov, 0.65 ov, 0.20 ps, 0.60, 0.10 → flagged 0.65, 0.60.
        const DeviceMetrics& d1 = (*per)[1];
        QCOMPARE(d1.confusion.tp, qint64(1));
        QCOMPARE(d1.confusion.fp, qint64(1));
        QCOMPARE(d1.confusion.fn, qint64(2));
        QCOMPARE(d1.confusion.tn, qint64(1));
        verifyClose(d1.missedAlarmRate, 2.0 / 3.0);
        // The device's own ROC-AUC: positives {0.50, 0.65, 0.20} against negatives {0.60, 0.10}: 4 of 6
        // pairs.
        verifyClose(d1.rocAuc, 4.0 / 6.0);
    }

    // The slider's path: indexes built once, evaluated at many thresholds, give what evaluateAt gives on each
    // device's rows cut out as a table of their own (the definition), at every threshold.
    void perDeviceFromIndexesEqualsEachDeviceAlone() {
        const ScoreTable t = test::randomTable(23, 4, 300, 90);
        const auto indexes = DeviceScoreIndexes::build(t);
        QVERIFY(indexes.ok());
        QCOMPARE(indexes->devices.size(), std::size_t(t.devices.size()));
        for (const double th : {0.2, 0.45, 0.5, 0.77, 0.95}) {
            const auto per = evaluatePerDevice(*indexes, th);
            QVERIFY(per.ok());
            QCOMPARE(per->size(), indexes->devices.size());
            for (std::size_t k = 0; k < per->size(); ++k) {
                const DeviceMetrics& d = (*per)[k];
                ScoreTable one;
                one.devices = QStringList{d.device};
                one.hasLabels = t.hasLabels;
                const int dev = int(t.devices.indexOf(d.device));
                QVERIFY(dev >= 0);
                for (std::size_t r = 0; r < t.size(); ++r) {
                    if (t.device[r] != dev)
                        continue;
                    one.device.push_back(0);
                    one.tsMs.push_back(t.tsMs[r]);
                    one.state.push_back(t.state[r]);
                    one.score.push_back(t.score[r]);
                    one.faultTag.push_back(t.faultTag[r]);
                    one.train.push_back(t.train[r]);
                }
                const auto alone = ScoreIndex::build(one);
                QVERIFY(alone.ok());
                const auto m = evaluateAt(one, *alone, th);
                QVERIFY(m.ok());
                QCOMPARE(d.confusion.tp, m->confusion.tp);
                QCOMPARE(d.confusion.fp, m->confusion.fp);
                QCOMPARE(d.confusion.tn, m->confusion.tn);
                QCOMPARE(d.confusion.fn, m->confusion.fn);
                QCOMPARE(d.precision, m->precision);
                QCOMPARE(d.recall, m->recall);
                QCOMPARE(d.rocAuc, m->rocAuc);
                QCOMPARE(d.prAuc, m->prAuc);
                qint64 events = 0;
                for (const FaultMetrics& f : m->perFault) events += f.events;
                QCOMPARE(d.events, events);
            }
        }
        QVERIFY(!evaluatePerDevice(*indexes, std::numeric_limits<double>::quiet_NaN()).ok());
    }

    void perDeviceAddsUpToThePool() {
        const ScoreTable t = test::randomTable(17, 5, 400, 120);
        auto index = ScoreIndex::build(t);
        QVERIFY(index.ok());
        for (const double th : {0.3, 0.5, 0.8}) {
            const auto pooled = evaluateAt(t, *index, th);
            const auto per = evaluatePerDevice(t, th);
            QVERIFY(pooled.ok() && per.ok());
            Confusion sum;
            qint64 events = 0, caught = 0;
            for (const DeviceMetrics& d : *per) {
                sum.tp += d.confusion.tp;
                sum.fp += d.confusion.fp;
                sum.tn += d.confusion.tn;
                sum.fn += d.confusion.fn;
                events += d.events;
                caught += d.eventsCaught;
            }
            QCOMPARE(sum.tp, pooled->confusion.tp);
            QCOMPARE(sum.fp, pooled->confusion.fp);
            QCOMPARE(sum.tn, pooled->confusion.tn);
            QCOMPARE(sum.fn, pooled->confusion.fn);
            qint64 pooledEvents = 0, pooledCaught = 0;
            for (const FaultMetrics& f : pooled->perFault) {
                pooledEvents += f.events;
                pooledCaught += f.eventsCaught;
            }
            QCOMPARE(events, pooledEvents);
            QCOMPARE(caught, pooledCaught);
            verifyClose(pooled->falseAlarmRate, double(sum.fp) / double(sum.fp + sum.tn));
            verifyClose(pooled->missedAlarmRate, double(sum.fn) / double(sum.fn + sum.tp));
        }
    }

    void labelFreeRules() {
        // Training span: normal scores 0.1 … 1.0 and one fault row (ignored); evaluated rows never count.
        std::vector<test::Row> rows;
        for (int i = 1; i <= 10; ++i) rows.emplace_back(0, i, float(i) / 10.0f, QString(), true);
        rows.emplace_back(0, 11, 0.99f, kOv, true);
        rows.emplace_back(0, 20, 0.85f, kOv, false);
        rows.emplace_back(0, 21, 0.30f, QString(), false);
        ScoreTable t = test::makeTable(rows);

        EvaluationOptions o;
        o.labelFreeQuantile = 0.8;  // nearest rank: the ceil(0.8 · 10) = 8th smallest
        QCOMPARE(labelFreeThreshold(t, o), std::optional<double>(double(0.8f)));
        o.labelFreeQuantile = 0.81;
        QCOMPARE(labelFreeThreshold(t, o), std::optional<double>(double(0.9f)));
        o.labelFreeRule = LabelFreeRule::MaxMargin;
        o.labelFreeMargin = 1.5;
        QCOMPARE(labelFreeThreshold(t, o), std::optional<double>(1.5 * double(1.0f)));

        // An evaluated score changes nothing.
        t.score.back() = 5.0f;
        QCOMPARE(labelFreeThreshold(t, o), std::optional<double>(1.5 * double(1.0f)));
        t.score.back() = 0.30f;

        // Labelled data: Auto takes the label-based rule, LabelFree the training quantile.
        o = {};
        o.labelFreeQuantile = 0.8;
        auto m = evaluate(t, o);
        QVERIFY(m.ok());
        QCOMPARE(m->selection.rule, SelectionRule::MinPrecisionMaxRecall);
        QCOMPARE(m->selection.threshold, std::optional<double>(double(0.85f)));
        o.thresholdRule = ThresholdRule::LabelFree;
        m = evaluate(t, o);
        QVERIFY(m.ok());
        QCOMPARE(m->selection.rule, SelectionRule::LabelFree);
        QCOMPARE(m->selection.threshold, std::optional<double>(double(0.8f)));
        QCOMPARE(m->confusion.tp, qint64(1));  // 0.85 >= 0.8
        QCOMPARE(m->confusion.fp, qint64(0));
        QCOMPARE(labelFreeRuleText(o), QStringLiteral("0.8 quantile of training scores"));

        // No normal row in the training span: no threshold is made up.
        for (auto& f : t.train) f = 0;
        QVERIFY(!labelFreeThreshold(t, o).has_value());
        m = evaluate(t, o);
        QVERIFY(m.ok());
        QCOMPARE(m->selection.rule, SelectionRule::None);
    }

    void labelsWithoutAnomalies() {
        ScoreTable t = handTable();
        t.faultTag.assign(t.faultTag.size(), QString());
        const auto m = evaluate(t, {});
        QVERIFY(m.ok());
        QVERIFY(m->groundTruth);
        // Nothing for the label-based rule to find: the label-free rule sets the threshold.
        QCOMPARE(m->selection.rule, SelectionRule::LabelFree);
        QVERIFY(!m->recall.has_value());
        QVERIFY(m->perFault.empty());
    }

    void onlyTrainingRows() {
        ScoreTable t = handTable();
        std::fill(t.train.begin(), t.train.end(), std::uint8_t(1));
        const auto m = evaluate(t, {});
        QVERIFY(m.ok());
        QCOMPARE(m->evaluationRows, qint64(0));
        QVERIFY(m->sweep.empty());
        // Nothing to evaluate, but the training span still gives a threshold to flag rows with.
        QCOMPARE(m->selection.rule, SelectionRule::LabelFree);
        QCOMPARE(m->selection.point, -1);
    }

    void rejectsBadInput_data() {
        QTest::addColumn<double>("minPrecision");
        QTest::addColumn<int>("fromPercentile");
        QTest::addColumn<int>("topScores");
        QTest::newRow("precision > 1") << 1.5 << 50 << 20;
        QTest::newRow("precision nan") << std::nan("") << 50 << 20;
        QTest::newRow("percentile 95") << 0.5 << 95 << 20;
        QTest::newRow("negative top") << 0.5 << 50 << -1;
    }
    void rejectsBadInput() {
        QFETCH(double, minPrecision);
        QFETCH(int, fromPercentile);
        QFETCH(int, topScores);
        EvaluationOptions options;
        options.minPrecision = minPrecision;
        options.sweepFromPercentile = fromPercentile;
        options.sweepTopScores = topScores;
        QVERIFY(!options.validate().ok());
        auto m = evaluate(handTable(), options);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().kind, Error::Kind::BadInput);
    }

    void rejectsBadLabelFreeSettings() {
        for (const auto& [q, margin] : {std::pair{0.0, 1.05},
                                        {1.0, 1.05},
                                        {std::nan(""), 1.05},
                                        {0.99, 0.99},
                                        {0.99, 11.0},
                                        {0.99, std::nan("")}}) {
            EvaluationOptions options;
            options.labelFreeQuantile = q;
            options.labelFreeMargin = margin;
            QVERIFY(!options.validate().ok());
            QVERIFY(!evaluate(handTable(), options).ok());
        }
    }

    void rejectsMismatchedIndexAndThreshold() {
        const ScoreTable t = handTable();
        auto index = ScoreIndex::build(test::scoresTable({0.5f}, {true}));
        QVERIFY(index.ok());
        QVERIFY(!evaluateAt(t, *index, 0.5).ok());
        auto own = ScoreIndex::build(t);
        QVERIFY(evaluateAt(t, *own, 0.5).ok());
        QVERIFY(!evaluateAt(t, *own, std::nan("")).ok());
        QVERIFY(!evaluateAt(t, *own, HUGE_VAL).ok());
        ScoreTable broken = t;
        broken.device[0] = 5;
        QVERIFY(!evaluate(broken, {}).ok());
    }
};

QTEST_GUILESS_MAIN(MetricsTest)
#include "metrics_test.moc"
