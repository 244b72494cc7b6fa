#pragma once

#include "alerts/alert.h"
#include "pipeline/analysis.h"

#include <QWidget>

#include <optional>
#include <vector>

class QBoxLayout;
class QChart;
class QChartView;
class QLabel;

namespace itap {

class DeviceView;

/// Why one flagged row scored high: the feature attribution (top kTopFeatures, coloured by family), the
/// family shares, and, for an alert, its rule, cause, confidence, severity and suggested action; below them
/// the device's traces around the event with the event highlighted. Only displays what core computed (the
/// Explainer's shares, the AlertEngine's rule match). GUI thread only.
class ExplanationView : public QWidget {
    Q_OBJECT

public:
    static constexpr int kTopFeatures = 12;
    /// Narrower than this, the details and the family chart go under the feature chart instead of beside it.
    static constexpr int kSideBySideWidth = 800;

    explicit ExplanationView(QWidget* parent = nullptr);

    /// Shows `explanation` (of fleet.table row explanation.row); `alert`, when given, is the alert whose peak
    /// that row is. Copies what it shows. The traces are cleared until setTraces() brings the device's
    /// series.
    void setExplanation(const itap::FleetFeatures& fleet, const itap::Explanation& explanation,
                        const itap::Alert* alert);
    /// The explained device's telemetry: shown around the event (the alert's span, or the row) with the event
    /// highlighted. Ignored when `series` is another device's.
    void setTraces(const itap::FleetFeatures& fleet, const itap::Analysis& analysis,
                   const itap::DeviceSeries& series);
    /// Shows a one-line message where the traces go (e.g. "loading…", or why there are none).
    void setTracesMessage(const QString& message);
    /// Back to the empty state ("select an alert").
    void clear();

    [[nodiscard]] bool hasExplanation() const { return row_.has_value(); }
    /// ScoreTable row explained, if any.
    [[nodiscard]] std::optional<std::size_t> row() const { return row_; }
    [[nodiscard]] QString device() const { return device_; }
    /// Timestamp of the explained row (UTC epoch ms).
    [[nodiscard]] qint64 eventMs() const { return eventMs_; }
    /// The header line as shown (severity, device, time, state, score).
    [[nodiscard]] QString headerText() const;
    /// Feature names and percentages as drawn in the attribution chart, largest first.
    [[nodiscard]] QStringList shownFeatures() const { return shownFeatures_; }
    [[nodiscard]] std::vector<double> shownPercents() const { return shownPercents_; }
    /// Family names as drawn in the family chart, largest first.
    [[nodiscard]] QStringList shownFamilies() const { return shownFamilies_; }
    [[nodiscard]] DeviceView* traces() const { return traces_; }
    [[nodiscard]] QChart* featureChart() const;
    [[nodiscard]] QChart* familyChart() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void showFeatures(const itap::FleetFeatures& fleet, const itap::Explanation& explanation);
    void showFamilies(const itap::Explanation& explanation);

    QLabel* header_ = nullptr;
    QLabel* details_ = nullptr;
    QBoxLayout* charts_ = nullptr;  // feature chart | details over families; stacked when narrow
    QBoxLayout* side_ = nullptr;    // details over families; side by side when stacked under the features
    QLabel* emptyHint_ = nullptr;
    QWidget* body_ = nullptr;
    QChartView* featureView_ = nullptr;
    QChartView* familyView_ = nullptr;
    QLabel* tracesMessage_ = nullptr;
    DeviceView* traces_ = nullptr;

    std::optional<std::size_t> row_;
    QString device_;
    qint64 eventMs_ = 0;
    qint64 eventFromMs_ = 0;
    qint64 eventToMs_ = 0;
    QStringList shownFeatures_;
    std::vector<double> shownPercents_;
    QStringList shownFamilies_;
};

}  // namespace itap
