#pragma once

#include "alarms/alarm_summary.h"
#include "alerts/alert_rules.h"
#include "common/result.h"
#include "evaluate/evaluation_options.h"
#include "features/feature_params.h"
#include "model/isolation_forest.h"
#include "model/score_filter.h"
#include "model/standard_scaler.h"
#include "pipeline/analysis.h"

#include <QDialog>
#include <QString>
#include <QStringList>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;
class QStackedWidget;

namespace itap {

struct PipelineRequest;
struct TrainConfig;

/// The analysis settings of the console (Edit ▸ Settings…): remembered in QSettings and applied to every
/// pipeline run it starts. Defaults are the core's; ranges are the core's validate() ranges (narrower where
/// noted, so every value fits the dialog's widgets).
struct ConsoleSettings {
    // Features
    int window = FeatureParams{}.window;  ///< trailing window, samples; FeatureParams::kMinWindow..kMaxWindow

    // Model
    int trees = ForestParams{}.trees;            ///< isolation trees; 1..10000
    int sampleSize = ForestParams{}.sampleSize;  ///< ψ, rows per tree; 2..16777216
    quint64 seed = ForestParams{}.seed;          ///< forest seed; 0..2^31-1 (the dialog's range)
    ScalingMode scaling = ScalerParams{}.mode;   ///< normalisation groups
    /// Training span: kind Fraction, Rows or Duration (Until is not offered). The values of the other kinds
    /// are kept, so switching back in the dialog restores them. Fraction in [0.001, 1], rows in
    /// [1, 2^31-1], duration in [3.6 s, 87840 h] (the dialog edits hours with three decimals).
    TrainSpan span = defaultSpan();

    // Detection
    ScoreFilterParams scoreFilter;  ///< smoothing samples and minimum alarm duration; off by default
    /// Only the threshold fields are used: thresholdRule, minPrecision, labelFreeRule, labelFreeQuantile
    /// (the dialog offers [0.5, 0.9999]) and labelFreeMargin.
    EvaluationOptions evaluation;

    // Alerts
    /// Overrides the rules' cooldown_s; [0, AlertRules::kMaxCooldownSeconds], whole seconds in the dialog.
    double cooldownSeconds = AlertRules::defaults().cooldownSeconds();
    QString rulesFile;  ///< alert rules JSON; empty = the built-in rules
    /// Who the console's alarm actions are recorded as (AlarmJournal::checkOperatorName()); the OS user by
    /// default (defaultOperatorName()). Not an analysis setting: it never blocks a run.
    QString operatorName = defaultOperatorName();

    // Language
    QString language;  ///< "" = the system locale, "en" or "de"; read by itap-console at start-up

    /// The span used when none is stored: the first 70 % of each device's time; the other kinds' values are
    /// those offered when the operator switches to them (10 000 rows, 24 h).
    [[nodiscard]] static TrainSpan defaultSpan();

    /// Reads the "pipeline/...", "alerts/...", "alarms/operator" and "language" keys; a missing, unparsable,
    /// out-of-range or invalid value keeps its default.
    [[nodiscard]] static ConsoleSettings load(const QSettings& settings);
    void save(QSettings& settings) const;

    /// Every value against the core's validate() functions (and the alert cooldown, the language); the rules
    /// file is not read here (see alertRules()).
    [[nodiscard]] Status validate() const;
    /// The built-in rules, or rulesFile loaded, with cooldownSeconds applied. The core's error (file, line,
    /// column) when the file cannot be used.
    [[nodiscard]] Result<AlertRules> alertRules() const;

    /// Writes these settings into the fields of `train` and `analysis` they cover; other fields are left as
    /// they are. Fails (and changes nothing) when validate() or alertRules() does.
    [[nodiscard]] Status applyTo(TrainConfig& train, AnalysisOptions& analysis) const;
    [[nodiscard]] Status applyTo(PipelineRequest& request) const;

    /// The settings that differ from the defaults, one short operator-readable item each (e.g. "trees 50"),
    /// for the status bar; empty when everything is at its default.
    [[nodiscard]] QStringList changedFromDefaults() const;
};

/// Edits ConsoleSettings. OK closes the dialog only when the settings validate and the rules file loads;
/// otherwise the error is shown in the dialog and it stays open.
class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    void setSettings(const ConsoleSettings& settings);
    [[nodiscard]] ConsoleSettings settings() const;
    /// The error that kept the dialog open on the last OK; empty when none.
    [[nodiscard]] QString errorText() const;

    void accept() override;

private:
    void browseRules();
    void updateEnabled();
    void showError(const QString& message);

    QSpinBox* window_ = nullptr;
    QSpinBox* trees_ = nullptr;
    QSpinBox* sampleSize_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* scaling_ = nullptr;
    QComboBox* spanKind_ = nullptr;
    QStackedWidget* spanValue_ = nullptr;
    QDoubleSpinBox* spanFraction_ = nullptr;
    QSpinBox* spanRows_ = nullptr;
    QDoubleSpinBox* spanHours_ = nullptr;
    QSpinBox* smooth_ = nullptr;
    QDoubleSpinBox* minAlarm_ = nullptr;
    QComboBox* thresholdRule_ = nullptr;
    QDoubleSpinBox* minPrecision_ = nullptr;
    QComboBox* labelFreeRule_ = nullptr;
    QDoubleSpinBox* quantile_ = nullptr;
    QDoubleSpinBox* margin_ = nullptr;
    QSpinBox* cooldown_ = nullptr;
    QLineEdit* rulesFile_ = nullptr;
    QLineEdit* operatorName_ = nullptr;
    QComboBox* language_ = nullptr;
    QLabel* error_ = nullptr;
};

}  // namespace itap
