#pragma once

#include "alerts/alarm_kpis.h"
#include "alerts/alarm_state.h"

#include <QMap>
#include <QWidget>

#include <array>

class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPushButton;
class QTableWidget;
class QValueAxis;

namespace itap {

/// The alarm system measured as a control room measures it (EEMUA 191, ISA-18.2 TR18.2.5), at the operating
/// threshold: annunciated alarms per 10 minutes over time against the EEMUA 191 lines at 1 (manageable) and
/// kFloodPerPeriod (flood), the priority distribution against its guide, the top 10 contributors and their
/// share, chattering, standing, suppressed and shelved counts, and the journal export. Every figure is core's
/// (AlarmKpis, the journal's countByState()); the panel only shows them. GUI thread only.
class AlarmKpiPanel : public QWidget {
    Q_OBJECT

public:
    /// The figures of the tiles, for tests and tooltips.
    enum class Figure {
        Annunciated,
        AveragePer10Min,
        PeakPer10Min,
        FloodShare,
        Chattering,
        Standing,
        Suppressed,
        Shelved,
        Events,
    };

    explicit AlarmKpiPanel(QWidget* parent = nullptr);

    /// Shows the KPIs of the analysis at the operating `threshold`.
    void setKpis(const itap::AlarmKpis& kpis, double threshold);
    /// The journal's alarms by state (countByState()): the shelved tile.
    void setJournalCounts(const std::array<int, itap::kAlarmStateCount>& counts);
    /// The journal could not be read: the shelved tile says so.
    void setJournalUnavailable(const QString& reason);
    /// Back to the empty state.
    void clear();

    [[nodiscard]] QString figureText(Figure figure) const;
    /// Rows High, Medium, Low; columns alarms, share, guide.
    [[nodiscard]] QTableWidget* priorityTable() const { return priorityTable_; }
    /// One row per contributor: "<device> · <cause>", alarms, share.
    [[nodiscard]] QTableWidget* contributorTable() const { return contributorTable_; }
    /// The per-10-minute series as drawn (a step line: two points per period).
    [[nodiscard]] QLineSeries* rateSeries() const { return rate_; }
    [[nodiscard]] QPushButton* exportButton() const { return exportButton_; }

signals:
    /// The operator asked to export the alarm journal (CSV and JSON).
    void exportRequested();

private:
    void showRate(const itap::AlarmKpis& kpis);
    void showPriorities(const itap::AlarmKpis& kpis);
    void showContributors(const itap::AlarmKpis& kpis);

    QLabel* header_ = nullptr;
    QMap<Figure, QLabel*> figures_;
    QChartView* rateView_ = nullptr;
    QLineSeries* rate_ = nullptr;
    QLineSeries* manageable_ = nullptr;
    QLineSeries* flood_ = nullptr;
    QDateTimeAxis* timeAxis_ = nullptr;
    QValueAxis* countAxis_ = nullptr;
    QTableWidget* priorityTable_ = nullptr;
    QTableWidget* contributorTable_ = nullptr;
    QLabel* topShare_ = nullptr;
    QPushButton* exportButton_ = nullptr;
};

}  // namespace itap
