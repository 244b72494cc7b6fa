#pragma once

#include "pipeline/analysis.h"

#include <QWidget>

#include <array>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QTableWidget;

namespace itap {

/// Rows per score bin, split at the operating threshold so flagged rows stand out in the same bar.
struct ScoreHistogram {
    double lo = 0;                ///< left edge of the first bin
    double width = 0;             ///< bin width (> 0 when there are bins)
    std::vector<qint64> below;    ///< rows with score < threshold, per bin
    std::vector<qint64> flagged;  ///< rows with score >= threshold, per bin

    [[nodiscard]] int bins() const { return static_cast<int>(below.size()); }
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
    /// Back to the empty state ("no fleet loaded").
    void clear();

    /// The value text of a KPI tile as shown (locale-formatted), for tests and accessibility.
    [[nodiscard]] QString kpiText(Kpi kpi) const;
    /// Rows counted in the histogram currently shown.
    [[nodiscard]] qint64 histogramTotal() const { return histogram_.total(); }
    [[nodiscard]] int patternRows() const;

private:
    void showHistogram(double threshold);
    void showFamilyMix(const std::vector<FamilyShare>& mix);
    void showPatterns(const std::vector<FleetPattern>& patterns);

    std::array<QLabel*, kKpiCount> kpiValues_{};
    std::array<QLabel*, kKpiCount> kpiNotes_{};
    QChartView* histogramView_ = nullptr;
    QChartView* familyView_ = nullptr;
    QTableWidget* patterns_ = nullptr;
    QLabel* emptyHint_ = nullptr;
    ScoreHistogram histogram_;
};

}  // namespace itap
