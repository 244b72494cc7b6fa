#pragma once

#include "common/sensor_catalog.h"
#include "pipeline/analysis.h"

#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

class QAreaSeries;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QTimer;
class QValueAxis;
class QVBoxLayout;

namespace itap {

/// One device over time: a chart per sensor family with its channels' traces, the operating state as a thin
/// coloured band, and the anomaly score with the threshold and the flagged rows under them. Fault episodes
/// (ground truth) are shaded on every chart.
///
/// All charts share one time range: a rubber band (left drag) or the wheel zooms, Shift + drag or a middle
/// drag pans, a right click or double click resets, on any chart, and the others follow. Every trace is
/// re-reduced to min/max per pixel bucket (reduceMinMax) for the visible range and pushed with
/// QXYSeries::replace, so a month of 10 s samples draws as fast as an hour. Times are shown in UTC, like
/// every report. GUI thread only.
class DeviceView : public QWidget {
    Q_OBJECT

public:
    explicit DeviceView(QWidget* parent = nullptr);
    ~DeviceView() override;

    /// Channel names and units for the legends. Without it the shipped default catalog is used when it
    /// matches the fleet's feature schema, otherwise names are derived from the schema (families are always
    /// right).
    void setCatalog(const itap::SensorCatalog& catalog);

    /// Shorter charts and no legend line, for a view embedded in another panel. Takes effect at setData().
    void setCompact(bool compact);

    /// Shows device `deviceIndex` of `fleet`: its telemetry `series` (the rows the device's ScoreTable rows
    /// were computed from), its scores, and the rows `analysis` flags. The arguments are copied; nothing is
    /// kept.
    void setData(const itap::FleetFeatures& fleet, const itap::Analysis& analysis,
                 const itap::DeviceSeries& series, int deviceIndex);
    /// Back to the empty state.
    void clear();

    /// Restricts the time axis to [fromMs, toMs] (UTC epoch ms): zooming out stops there, reset returns
    /// there. Used by the explanation view to show a window around an event. Cleared by setData().
    void setTimeWindow(qint64 fromMs, qint64 toMs);
    /// Marks [fromMs, toMs] on every chart and zooms to it with context on both sides.
    void highlight(qint64 fromMs, qint64 toMs);
    /// Shows [fromMs, toMs] (clamped to the data or the time window) on every chart.
    void setVisibleRange(qint64 fromMs, qint64 toMs);
    /// Shows the whole series (or the whole time window).
    void resetZoom();

    [[nodiscard]] bool hasData() const { return !ts_.empty(); }
    [[nodiscard]] QString device() const { return device_; }
    /// Visible time range, UTC epoch ms.
    [[nodiscard]] qint64 visibleFromMs() const { return viewFrom_; }
    [[nodiscard]] qint64 visibleToMs() const { return viewTo_; }
    /// The sensor families shown, one chart each, in catalog order.
    [[nodiscard]] QStringList families() const;
    [[nodiscard]] int familyChartCount() const { return static_cast<int>(families_.size()); }
    [[nodiscard]] QChart* familyChart(int i) const;
    [[nodiscard]] QChart* scoreChart() const;
    [[nodiscard]] QChart* stateChart() const;
    /// Chart views in top-to-bottom order (families, state band, score), e.g. for synchronisation checks.
    [[nodiscard]] std::vector<QChartView*> chartViews() const;
    /// The flagged rows drawn as markers (table rows), in time order.
    [[nodiscard]] const std::vector<std::size_t>& markedRows() const { return markedRows_; }
    /// Where a marker of `markedRows()[i]` is drawn, in the score chart view's viewport coordinates.
    [[nodiscard]] QPoint markerPosition(std::size_t i) const;

signals:
    /// The operator clicked the marker of a flagged row (a ScoreTable row of the fleet).
    void flaggedRowClicked(qulonglong tableRow);
    /// The shared time range changed (UTC epoch ms).
    void visibleRangeChanged(qint64 fromMs, qint64 toMs);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    struct ChannelTrace {
        int channel = -1;
        QLineSeries* line = nullptr;
    };
    struct FamilyChart {
        QString family;
        QChartView* view = nullptr;
        QValueAxis* y = nullptr;
        std::vector<ChannelTrace> traces;
    };
    struct ChartAxes {
        QChart* chart = nullptr;
        QDateTimeAxis* x = nullptr;
        QValueAxis* band = nullptr;  // hidden 0..1 axis the shaded areas are drawn against
        QAreaSeries* highlight = nullptr;
        int extraLeft = 0;  // margin added to line the plot areas up
        int extraRight = 0;
    };

    void buildCharts(const std::vector<QString>& channelNames, const std::vector<QString>& channelUnits,
                     const std::vector<QString>& channelFamilies);
    QChartView* addChart(QChart* chart, int minHeight);
    ChartAxes& axesOf(QChart* chart);
    void addFaultShading(ChartAxes& axes);
    void updateHighlight();
    void applyRange(qint64 fromMs, qint64 toMs, bool reduceNow);
    void reduceVisible();
    void alignPlotAreas();
    void onAxisRangeChanged(QChart* chart);
    bool handleClick(const QPointF& viewportPos);
    void zoomAt(QChart* chart, const QPointF& viewportPos, double factor);
    void panBy(QChart* chart, double dxPixels);
    [[nodiscard]] double toAxis(qint64 ms) const { return double(ms - tzShiftMs_); }
    [[nodiscard]] qint64 fromAxis(double x) const { return qint64(x) + tzShiftMs_; }
    [[nodiscard]] int bucketCount() const;
    [[nodiscard]] std::pair<qint64, qint64> niceUtcRange(qint64 fromMs, qint64 toMs) const;
    void updateHeader();

    QLabel* title_ = nullptr;
    QLabel* legend_ = nullptr;
    QLabel* emptyHint_ = nullptr;
    QPushButton* resetButton_ = nullptr;
    QWidget* chartsHost_ = nullptr;
    QWidget* scroll_ = nullptr;
    QVBoxLayout* chartsLayout_ = nullptr;
    QTimer* reduceTimer_ = nullptr;
    QTimer* alignTimer_ = nullptr;

    std::vector<FamilyChart> families_;
    std::vector<ChartAxes> axes_;  // every chart, top to bottom
    QChartView* stateView_ = nullptr;
    QChartView* scoreView_ = nullptr;
    QLineSeries* scoreLine_ = nullptr;
    QLineSeries* thresholdLine_ = nullptr;
    QScatterSeries* flaggedMarkers_ = nullptr;
    QValueAxis* scoreY_ = nullptr;

    std::optional<SensorCatalog> catalog_;
    QString device_;
    std::vector<qint64> ts_;
    std::vector<std::vector<double>> channels_;
    TagColumn faultTag_;
    std::vector<OpState> state_;
    std::vector<qint64> scoreTs_;
    std::vector<double> score_;
    std::vector<std::size_t> flaggedRows_;  // table rows of the device that are flagged, ascending
    std::vector<qint64> flaggedTs_;
    std::vector<double> flaggedScore_;
    std::vector<std::size_t> markedRows_;  // flagged rows drawn in the visible range (after reduction)
    double threshold_ = 0;
    qint64 tzShiftMs_ = 0;
    qint64 dataFrom_ = 0, dataTo_ = 0;    // the whole series
    qint64 limitFrom_ = 0, limitTo_ = 0;  // the data, or the time window
    qint64 viewFrom_ = 0, viewTo_ = 0;    // what is shown
    std::optional<std::pair<qint64, qint64>> highlight_;
    bool syncing_ = false;
    bool compact_ = false;
};

}  // namespace itap
