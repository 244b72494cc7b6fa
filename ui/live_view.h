#pragma once

#include "live_session.h"

#include <QWidget>

#include <array>
#include <deque>
#include <optional>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QFrame;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QSlider;
class QSystemTrayIcon;
class QTableView;
class QTimer;
class QValueAxis;

namespace itap {

class AlertListModel;

/// Live mode: a simulated fleet streams through the trained model of the current run (LiveSession on a
/// worker thread). Start / pause / stop and the speed (×1 … ×1000 simulated time); a rolling score chart of
/// one device or of the fleet maximum with the threshold line; counters (rows, flagged rows, alerts by
/// severity, simulated clock); the live alert list, newest on top, with the selected alert's cause, rule,
/// action and top features. An alert that reaches CRITICAL shows a banner that hides itself, a tray message
/// when a system tray exists, and notification() for the status bar. GUI thread only.
class LiveView : public QWidget {
    Q_OBJECT

public:
    /// Counters shown above the chart, in order: the stream's progress in the first row of three, the alerts
    /// by severity in the second.
    enum class Counter { Rows, Flagged, SimTime, Critical, Warning, Info };
    static constexpr int kCounterCount = 6;
    /// Scored rows kept per device (and for the fleet maximum) for the rolling chart.
    static constexpr int kHistoryPoints = 4096;
    /// How long the banner of a CRITICAL alert stays up.
    static constexpr int kBannerMs = 8000;

    explicit LiveView(QWidget* parent = nullptr);
    ~LiveView() override;

    /// The run to stream through: its model, catalog and rules, at `threshold`. `simulated` is the profile
    /// that simulated the run, when known (the stream then continues that fleet exactly). Stops a running
    /// stream.
    void setRun(const itap::PipelineResultPtr& result,
                const std::optional<itap::SimulationProfile>& simulated, double threshold);
    /// The alert threshold for the next stream (a running stream keeps the one it started with).
    void setThreshold(double threshold);
    /// Stops any stream and forgets the run.
    void clearRun();

    /// Starts streaming (what the Start button does); false when there is no run or a stream is running.
    bool start();
    void stop();
    void setPaused(bool paused);
    /// Simulated seconds per real second, 1 … 1000 (moves the speed slider).
    void setSpeed(double speed);
    /// Shows `device`'s scores, or the fleet maximum for an empty string.
    void showDevice(const QString& device);

    [[nodiscard]] LiveSession* session() const { return session_; }
    [[nodiscard]] AlertListModel* alertModel() const { return alertModel_; }
    [[nodiscard]] QTableView* alertTable() const { return table_; }
    [[nodiscard]] QString counterText(Counter counter) const;
    [[nodiscard]] bool isBannerVisible() const;
    [[nodiscard]] QString bannerText() const;
    [[nodiscard]] QLineSeries* scoreSeries() const { return scoreSeries_; }
    [[nodiscard]] QLineSeries* thresholdSeries() const { return thresholdSeries_; }
    [[nodiscard]] QChart* chart() const;
    [[nodiscard]] double threshold() const { return threshold_; }
    [[nodiscard]] const itap::LiveSource& source() const { return source_; }
    /// What the view says about the alarm journal: where the stream's incidents are recorded, or why not.
    [[nodiscard]] QString journalText() const;

signals:
    /// A one-line message for the status bar (a CRITICAL alert, the stream ending or failing).
    void notification(const QString& message);
    /// The stream's incidents were recorded in the alarm journal: each with its stable alarm id, in its
    /// latest state (for the Alerts view).
    void alarmsJournaled(const std::vector<itap::Alert>& alarms);

private:
    struct Sample {
        qint64 tsMs = 0;
        float score = 0;
        bool flagged = false;
    };

    void onUpdate(const itap::LiveUpdate& update);
    void onCritical(const itap::Alert& alert);
    void onStopped(bool completed);
    void onFailed(const QString& message);
    void updateControls();
    void updateSourceText();
    void redrawChart();
    void showAlertDetails();
    void resetStreamState();
    [[nodiscard]] double spanMs() const;
    [[nodiscard]] static double speedOfSlider(int position);
    [[nodiscard]] static int sliderOfSpeed(double speed);

    LiveSession* session_ = nullptr;
    AlertListModel* alertModel_ = nullptr;

    QPushButton* startButton_ = nullptr;
    QPushButton* pauseButton_ = nullptr;
    QPushButton* stopButton_ = nullptr;
    QSlider* speedSlider_ = nullptr;
    QLabel* speedLabel_ = nullptr;
    QComboBox* deviceCombo_ = nullptr;
    QLabel* stateLabel_ = nullptr;
    QLabel* sourceLabel_ = nullptr;
    QLabel* journalLabel_ = nullptr;
    QString journalError_;  // why journaling stopped during the current stream
    QFrame* banner_ = nullptr;
    QLabel* bannerLabel_ = nullptr;
    QTimer* bannerTimer_ = nullptr;
    std::array<QLabel*, kCounterCount> counters_{};
    QChartView* chartView_ = nullptr;
    QLineSeries* scoreSeries_ = nullptr;
    QScatterSeries* flaggedSeries_ = nullptr;
    QLineSeries* thresholdSeries_ = nullptr;
    QDateTimeAxis* timeAxis_ = nullptr;
    QValueAxis* scoreAxis_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* details_ = nullptr;
    QSystemTrayIcon* tray_ = nullptr;

    itap::PipelineResultPtr result_;
    std::optional<itap::SimulationProfile> simulated_;
    itap::LiveSource source_;
    double threshold_ = 0;
    std::vector<std::deque<Sample>> history_;  // per stream device (LivePoint::device; combo item device + 1)
    std::deque<Sample> fleetMax_;              // highest score per timestamp
    qint64 simTimeMs_ = 0;
    bool warming_ = false;
    bool dirty_ = false;  // new points since the last redraw
};

}  // namespace itap
