#pragma once

#include "pipeline/analysis.h"

#include <QWidget>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QTableView;
class QValueAxis;

namespace itap {

class PatternTableModel;

/// Rows per score bin, split at the operating threshold so flagged rows stand out in the same bar.
struct ScoreHistogram {
    double lo = 0;                ///< left edge of the first bin
    double width = 0;             ///< bin width (> 0 when there are bins)
    std::vector<qint64> below;    ///< rows with score < threshold, per bin
    std::vector<qint64> flagged;  ///< rows with score >= threshold, per bin

    [[nodiscard]] int bins() const { return static_cast<int>(below.size()); }
    /// The bin of a finite score (scores past either end fall in the end bins).
    [[nodiscard]] int binOf(float score) const {
        return std::clamp(static_cast<int>((double(score) - lo) / width), 0, bins() - 1);
    }
    [[nodiscard]] qint64 total() const;
};

/// Equal-width bins from the lowest to the highest finite score; NaN scores are left out. `bins` >= 1.
[[nodiscard]] ScoreHistogram scoreHistogram(const std::vector<float>& scores, double threshold, int bins);

/// The fleet at a glance: KPI tiles, the score histogram with the threshold, the family mix of the flagged
/// rows and the fleet patterns (systemic or isolated). Only displays what core computed. GUI thread only.
class FleetOverview : public QWidget {
    Q_OBJECT

public:
    enum class Kpi {
        Devices,
        Rows,
        FlaggedRows,
        DevicesAffected,
        CriticalAlerts,
        WarningAlerts,
        InfoAlerts,
        SystemicPatterns,
        Threshold,
    };
    static constexpr int kKpiCount = 9;
    static constexpr int kHistogramBins = 40;

    explicit FleetOverview(QWidget* parent = nullptr);

    /// Shows one analysed fleet; the histogram is built from fleet.table.score.
    void setData(const itap::FleetFeatures& fleet, const itap::Analysis& analysis);
    /// The fleet of the last setData(), analysed again at another threshold (the slider): shows the same as
    /// setData(fleet, analysis) would, but keeps the bin edges and updates the charts in place instead of
    /// rebuilding them (what costs a frame at 1M rows). Falls back to setData() when nothing is shown or the
    /// row count differs.
    void updateThreshold(const itap::FleetFeatures& fleet, const itap::Analysis& analysis);
    /// Back to the empty state ("no fleet loaded").
    void clear();

    /// The value text of a KPI tile as shown (locale-formatted), for tests and accessibility.
    [[nodiscard]] QString kpiText(Kpi kpi) const;
    /// Rows counted in the histogram currently shown.
    [[nodiscard]] qint64 histogramTotal() const { return histogram_.total(); }
    /// The histogram currently shown (tests compare updateThreshold() with setData()).
    [[nodiscard]] const ScoreHistogram& histogram() const { return histogram_; }
    /// The bar values as drawn: (below, flagged) per bin, an empty part at the log axis' floor 0.5.
    [[nodiscard]] std::vector<std::pair<double, double>> histogramBars() const;
    /// The family-mix bars as drawn, top to bottom: (family, percent).
    [[nodiscard]] std::vector<std::pair<QString, double>> familyBars() const;
    /// Where the threshold line is drawn, in bin coordinates.
    [[nodiscard]] double thresholdLinePosition() const;
    [[nodiscard]] int patternRows() const;

private:
    void showKpis(const itap::Analysis& analysis);
    void clearFamilyChart();
    void showHistogram(double threshold);
    void showFamilyMix(const std::vector<FamilyShare>& mix);
    void showPatterns(const std::vector<FleetPattern>& patterns);

    std::array<QLabel*, kKpiCount> kpiValues_{};
    std::array<QLabel*, kKpiCount> kpiNotes_{};
    QChartView* histogramView_ = nullptr;
    QChartView* familyView_ = nullptr;
    QTableView* patterns_ = nullptr;
    PatternTableModel* patternModel_ = nullptr;
    QLabel* emptyHint_ = nullptr;
    ScoreHistogram histogram_;
    std::size_t histogramRows_ = 0;  // fleet.table.score.size() of the fleet shown
    // The charts' parts that a threshold change updates in place (owned by their charts).
    QBarSet* belowSet_ = nullptr;
    QBarSet* flaggedSet_ = nullptr;
    QLineSeries* thresholdLine_ = nullptr;
    QBarSet* familySet_ = nullptr;
    QBarCategoryAxis* familyAxis_ = nullptr;
    QValueAxis* familyValueAxis_ = nullptr;
};

}  // namespace itap
