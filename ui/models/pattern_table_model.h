#pragma once

#include "aggregate/aggregate_summary.h"

#include <QAbstractTableModel>

#include <vector>

namespace itap {

/// The fleet patterns of the overview: one row per FleetSummary::patterns entry, in the aggregator's order
/// (SYSTEMIC first). A model rather than a QTableWidget because a fleet has hundreds of patterns and the slider
/// replaces them on every threshold: a reset costs nothing, the view asks only for the rows it shows.
/// GUI thread only.
class PatternTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        PatternColumn,   ///< family, or the rule's cause
        VerdictColumn,   ///< SYSTEMIC (bold, critical colour) or isolated
        DevicesColumn,   ///< comma-separated; the full list is the tooltip
        AtOnceColumn,    ///< most devices in alert at one moment
        AlertsColumn,
        HighestColumn,   ///< highest severity, in its colour
        SpanColumn,      ///< first start → last end, UTC
        ColumnCount
    };

    explicit PatternTableModel(QObject* parent = nullptr);

    /// Replaces every row (a full reset).
    void setPatterns(std::vector<itap::FleetPattern> patterns);
    [[nodiscard]] const std::vector<itap::FleetPattern>& patterns() const { return patterns_; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    std::vector<itap::FleetPattern> patterns_;
};

}  // namespace itap
