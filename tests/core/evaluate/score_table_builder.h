#pragma once

// Small helpers to write ScoreTables by hand in the evaluate tests.

#include "common/analysis_types.h"

#include <QRandomGenerator>

#include <vector>

namespace itap::test {

/// One hand-written row. Timestamps are in seconds to keep latencies readable.
struct Row {
    Row(int device_, qint64 tsS_, float score_, QString tag_ = {}, bool train_ = false,
        OpState state_ = OpState::Run)
        : device(device_), tsS(tsS_), score(score_), tag(std::move(tag_)), train(train_), state(state_) {}
    int device;
    qint64 tsS;
    float score;
    QString tag;
    bool train;
    OpState state;
};

inline ScoreTable makeTable(const std::vector<Row>& rows, bool hasLabels = true) {
    ScoreTable t;
    int devices = 0;
    for (const Row& r : rows) devices = std::max(devices, r.device + 1);
    for (int d = 0; d < devices; ++d) t.devices << QStringLiteral("DEV-%1").arg(d, 4, 10, QLatin1Char('0'));
    for (const Row& r : rows) {
        t.device.push_back(r.device);
        t.tsMs.push_back(r.tsS * 1000);
        t.state.push_back(r.state);
        t.score.push_back(r.score);
        t.faultTag.push_back(r.tag);
        t.train.push_back(r.train ? 1 : 0);
    }
    t.hasLabels = hasLabels;
    return t;
}

/// One device, one row per second, all evaluated; `anomalous[i]` tags row i with "fault".
inline ScoreTable scoresTable(const std::vector<float>& scores, const std::vector<bool>& anomalous) {
    std::vector<Row> rows;
    for (std::size_t i = 0; i < scores.size(); ++i)
        rows.push_back(
            {0, static_cast<qint64>(i), scores[i], anomalous[i] ? QStringLiteral("fault") : QString()});
    return makeTable(rows);
}

/// A random labelled table: `devices` devices, scores quantised to `levels` values so that ties are common,
/// a training span at the start of every device, a few fault types in episodes, all three states.
inline ScoreTable randomTable(quint32 seed, int devices, int rowsPerDevice, int levels) {
    QRandomGenerator rng(seed);
    const QStringList tags{QStringLiteral("bearing_wear"), QStringLiteral("overheat"),
                           QStringLiteral("power_spike")};
    std::vector<Row> rows;
    for (int d = 0; d < devices; ++d) {
        const int trainRows = rng.bounded(rowsPerDevice / 2);
        QString tag;
        for (int i = 0; i < rowsPerDevice; ++i) {
            if (tag.isEmpty() && rng.bounded(20) == 0)
                tag = tags[rng.bounded(static_cast<int>(tags.size()))];
            else if (!tag.isEmpty() && rng.bounded(6) == 0)
                tag.clear();
            // Anomalous rows score higher on average, but the classes overlap.
            const int level = rng.bounded(levels) + (tag.isEmpty() ? 0 : levels / 3);
            const float score =
                static_cast<float>(std::min(level, levels - 1) + 1) / static_cast<float>(levels);
            rows.push_back(
                {d, 1000 + i * 10, score, tag, i < trainRows, static_cast<OpState>(rng.bounded(3))});
        }
    }
    return makeTable(rows);
}

}  // namespace itap::test
