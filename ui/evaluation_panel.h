#pragma once

#include "background_tasks.h"
#include "evaluate/evaluation_options.h"
#include "evaluate/metrics.h"
#include "pipeline/analysis.h"

#include <QMap>
#include <QWidget>

#include <cmath>
#include <memory>
#include <optional>

class QBarSet;
class QChartView;
class QDoubleSpinBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QSlider;
class QStackedWidget;
class QTableWidget;
class QTabWidget;
class QTimer;

namespace itap {

/// How well the scores separate faults from normal operation, and the operator's what-if threshold: ROC and
/// PR curves with the current operating point, the sweep table, per-fault row and event recall, and a
/// threshold slider + spin box. Moving the threshold re-derives precision, recall and F1 at once through
/// ScoreIndex/evaluateAt and, while it moves (throttled), emits thresholdChanged() so the window can derive
/// the alarms that threshold would give (reanalyseAt) and show them here (setPreviewAlarms()).
///
/// The controls away from the operating threshold (setOperatingThreshold(): what the window's Alerts list,
/// fleet overview, leaderboard and device view show) are a preview, marked by a banner with Apply
/// (applyRequested()) and Revert (back to the operating threshold). Nothing outside this panel changes
/// until Apply. Without ground truth the panel says so instead of showing zeros. GUI thread only; the score
/// index is built on a worker thread.
class EvaluationPanel : public QWidget {
    Q_OBJECT

public:
    /// Slider steps between the lowest and the highest evaluated score.
    static constexpr int kSliderSteps = 1000;
    /// Points per ROC / PR curve (sampled over the distinct scores).
    static constexpr int kCurvePoints = 600;
    /// Thresholds closer than this are the same threshold: the controls show 4 decimals.
    static constexpr double kThresholdResolution = 0.5e-4;
    /// Whether two thresholds are the same as the controls show them.
    [[nodiscard]] static bool sameThreshold(double a, double b) {
        return std::abs(a - b) < kThresholdResolution;
    }

    explicit EvaluationPanel(QWidget* parent = nullptr);
    ~EvaluationPanel() override;

    /// Options evaluateAt uses (the run's); defaults otherwise.
    void setEvaluationOptions(const itap::EvaluationOptions& options) { options_ = options; }
    /// Shows a scored fleet and the analysis at its selected threshold. The scores are copied; the index is
    /// built on a worker, then the controls come alive and ready() is emitted.
    void setData(const itap::FleetFeatures& fleet, const itap::Analysis& analysis);
    /// Back to the empty state.
    void clear();

    [[nodiscard]] bool isReady() const { return prepared_ != nullptr; }
    /// The threshold the controls show.
    [[nodiscard]] double threshold() const;
    /// Metrics at threshold(), as displayed; nullopt before ready().
    [[nodiscard]] const std::optional<itap::Metrics>& currentMetrics() const { return current_; }
    /// Text of a metric label as shown: "Precision", "Recall", "F1", "Flagged", "FPR", "Events".
    [[nodiscard]] QString metricText(const QString& name) const;
    [[nodiscard]] QSlider* slider() const { return slider_; }
    /// The per-device table: one row per device with evaluated rows, as last given by
    /// setData/setDeviceMetrics.
    [[nodiscard]] QTableWidget* deviceTable() const { return deviceTable_; }
    [[nodiscard]] QDoubleSpinBox* spinBox() const { return spin_; }
    /// How a ratio is shown in the labels and the table ("87.5 %", or "—" when undefined).
    [[nodiscard]] static QString formatRatio(const std::optional<double>& value);

    /// The operating threshold: the one the window's analysis is at. Moves the controls there when they are
    /// live (the window applied it, or loaded a database whose journal names it); before ready() the controls
    /// start there.
    void setOperatingThreshold(double threshold);
    [[nodiscard]] double operatingThreshold() const { return operating_; }
    /// True when the controls show another threshold than the operating one: a what-if.
    [[nodiscard]] bool isPreviewing() const;
    /// The alarms at the operating threshold (the window's analysis).
    void setOperatingAlarms(const itap::AlarmKpis& kpis);
    /// The alarms the previewed `threshold` would give; ignored when the controls have moved on.
    void setPreviewAlarms(double threshold, const itap::AlarmKpis& kpis);
    /// The banner ("Preview at threshold … — not applied") and the alarm lines as shown.
    [[nodiscard]] QString previewText() const;
    [[nodiscard]] QString operatingAlarmsText() const;
    [[nodiscard]] QString previewAlarmsText() const;
    [[nodiscard]] QWidget* previewBanner() const { return banner_; }
    [[nodiscard]] QPushButton* applyButton() const { return apply_; }
    [[nodiscard]] QPushButton* revertButton() const { return revert_; }
    /// One line of alarm figures: incidents, annunciated by priority, rate per 10 minutes, precision.
    [[nodiscard]] static QString alarmSummary(const itap::AlarmKpis& kpis);

public slots:
    /// Moves the controls to `threshold` (as the operator would) and re-derives the metrics.
    void setThreshold(double threshold);
    /// Shows per-device metrics derived at `threshold` (the window's re-analysis after thresholdChanged
    /// computes them with the alerts: evaluatePerDevice is O(n log n), so it is not run on every slider
    /// step).
    void setDeviceMetrics(double threshold, const std::vector<itap::DeviceMetrics>& devices);

signals:
    /// The operator settled on a threshold (debounced: emitted once the controls rest for a moment).
    void thresholdChanged(double threshold);
    /// The score index is built and the controls are live.
    void ready();
    /// The operator pressed Apply: make `threshold` (the previewed one) the operating threshold.
    void applyRequested(double threshold);

private:
    struct Prepared;

    [[nodiscard]] static std::shared_ptr<const Prepared> prepare(
        std::shared_ptr<const itap::ScoreTable> table, int curvePoints);
    void onPrepared(std::shared_ptr<const Prepared> p);
    void applyThreshold(double threshold, bool fromSlider);
    void showCurves();
    void showSweep(const itap::Metrics& metrics);
    void showPerFault();
    void showDevices(const std::vector<itap::DeviceMetrics>& devices, bool labels);
    [[nodiscard]] int sliderPosition(double threshold) const;
    [[nodiscard]] double sliderThreshold(int position) const;
    void updatePreview();
    void revert();

    itap::EvaluationOptions options_;
    double selectedThreshold_ = 0;
    QString selectedRule_;
    std::vector<itap::SweepPoint> sweep_;
    std::optional<double> rocAuc_, prAuc_;
    std::shared_ptr<const Prepared> prepared_;
    quint64 generation_ = 0;
    std::optional<itap::Metrics> current_;
    double lastEmitted_ = -1;
    double threshold_ = 0;  // exact; the spin box shows it rounded
    double operating_ = 0;  // the window's operating threshold
    std::optional<itap::AlarmKpis> operatingKpis_;
    std::optional<double> previewKpisAt_;  // the threshold the preview's alarm line shows

    QLabel* status_ = nullptr;
    QWidget* banner_ = nullptr;
    QLabel* bannerText_ = nullptr;
    QLabel* previewAlarms_ = nullptr;
    QLabel* operatingAlarms_ = nullptr;
    QPushButton* apply_ = nullptr;
    QPushButton* revert_ = nullptr;
    QSlider* slider_ = nullptr;
    QDoubleSpinBox* spin_ = nullptr;
    QTimer* emitTimer_ = nullptr;
    QMap<QString, QLabel*> metricLabels_;
    QStackedWidget* curvesStack_ = nullptr;
    QChartView* rocView_ = nullptr;
    QChartView* prView_ = nullptr;
    QLineSeries* rocCurve_ = nullptr;
    QLineSeries* prCurve_ = nullptr;
    QScatterSeries* rocPoint_ = nullptr;
    QScatterSeries* prPoint_ = nullptr;
    QTableWidget* sweepTable_ = nullptr;
    QTabWidget* tables_ = nullptr;
    QTableWidget* deviceTable_ = nullptr;
    bool groundTruth_ = false;  // of the fleet shown
    QStackedWidget* faultStack_ = nullptr;
    QChartView* faultView_ = nullptr;
    QBarSet* rowRecall_ = nullptr;
    QBarSet* eventRecall_ = nullptr;
    itap::BackgroundTasks tasks_;  // prepares the score index; last, so its thread is joined first
};

}  // namespace itap
