#include "settings_dialog.h"

#include "alarms/alarm_journal.h"

#include "pipeline_controller.h"

#include "pipeline/session.h"

#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPalette>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace itap {
namespace {

// Ranges of the fields, shared by load() and the dialog's widgets. Where the core's range is wider than a
// widget can show (a 64-bit seed, a quantile arbitrarily close to 1), the narrower one applies to both.
constexpr int kMaxTrees = 10000;          // ForestParams::validate
constexpr int kMinSampleSize = 2;         // ForestParams::validate
constexpr int kMaxSampleSize = 16777216;  // ForestParams::validate
constexpr int kMaxSeed = std::numeric_limits<int>::max();
constexpr double kMinSpanPercent = 0.1;
constexpr int kMaxSpanRows = std::numeric_limits<int>::max();
constexpr double kMinSpanHours = 0.001;  // 3.6 s; TrainSpan needs at least 1 s
constexpr double kMaxSpanHours = 87840;  // ten years, as the simulation's longest span
constexpr int kSpanHourDecimals = 3;
constexpr double kMinQuantile = 0.5;
constexpr double kMaxQuantile = 0.9999;
constexpr double kMinMargin = 1;   // EvaluationOptions::validate
constexpr double kMaxMargin = 10;  // EvaluationOptions::validate
constexpr double kMsPerHour = 3'600'000.0;

const QString kWindowKey = QStringLiteral("pipeline/window");
const QString kTreesKey = QStringLiteral("pipeline/trees");
const QString kSampleSizeKey = QStringLiteral("pipeline/sample_size");
const QString kSeedKey = QStringLiteral("pipeline/seed");
const QString kScalingKey = QStringLiteral("pipeline/scaling");
const QString kSpanKindKey = QStringLiteral("pipeline/train_span");
const QString kSpanFractionKey = QStringLiteral("pipeline/train_fraction");
const QString kSpanRowsKey = QStringLiteral("pipeline/train_rows");
const QString kSpanHoursKey = QStringLiteral("pipeline/train_hours");
const QString kSmoothKey = QStringLiteral("pipeline/smooth_samples");
const QString kMinAlarmKey = QStringLiteral("pipeline/min_alarm_s");
const QString kThresholdRuleKey = QStringLiteral("pipeline/threshold_rule");
const QString kMinPrecisionKey = QStringLiteral("pipeline/min_precision");
const QString kLabelFreeRuleKey = QStringLiteral("pipeline/label_free_rule");
const QString kQuantileKey = QStringLiteral("pipeline/label_free_quantile");
const QString kMarginKey = QStringLiteral("pipeline/label_free_margin");
const QString kCooldownKey = QStringLiteral("alerts/cooldown_s");
const QString kRulesFileKey = QStringLiteral("alerts/rules_file");
const QString kOperatorKey = QStringLiteral("alarms/operator");
const QString kLanguageKey = QStringLiteral("language");  // also read by app/console_main.cpp

const QStringList kLanguages = {QString(), QStringLiteral("en"), QStringLiteral("de")};
const ScalingMode kScalingModes[] = {ScalingMode::PerState, ScalingMode::PerDevice,
                                     ScalingMode::PerDeviceState, ScalingMode::Global};

QString spanKindName(TrainSpan::Kind kind) {
    switch (kind) {
        case TrainSpan::Kind::Rows:
            return QStringLiteral("rows");
        case TrainSpan::Kind::Duration:
            return QStringLiteral("duration");
        case TrainSpan::Kind::Fraction:
        case TrainSpan::Kind::Until:
            break;
    }
    return QStringLiteral("fraction");
}

QString thresholdRuleName(ThresholdRule rule) {
    return rule == ThresholdRule::LabelFree ? QStringLiteral("label_free") : QStringLiteral("auto");
}

QString labelFreeRuleName(LabelFreeRule rule) {
    return rule == LabelFreeRule::MaxMargin ? QStringLiteral("max_margin") : QStringLiteral("quantile");
}

// Stored values; each falls back to the default when missing, unparsable or out of [lo, hi].
class Reader {
public:
    explicit Reader(const QSettings& settings) : settings_(settings) {}

    template <typename T>
    T integer(const QString& key, T fallback, qint64 lo, qint64 hi) const {
        bool ok = false;
        const qint64 v = settings_.value(key).toLongLong(&ok);
        return ok && v >= lo && v <= hi ? static_cast<T>(v) : fallback;
    }
    double real(const QString& key, double fallback, double lo, double hi) const {
        bool ok = false;
        const double v = settings_.value(key).toDouble(&ok);
        return ok && std::isfinite(v) && v >= lo && v <= hi ? v : fallback;
    }
    QString oneOf(const QString& key, const QString& fallback, const QStringList& allowed) const {
        const QString v = settings_.value(key, fallback).toString();
        return allowed.contains(v) ? v : fallback;
    }

private:
    const QSettings& settings_;
};

QSpinBox* spinBox(int lo, int hi, const QString& suffix, const QString& toolTip) {
    auto* box = new QSpinBox;
    box->setRange(lo, hi);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    box->setToolTip(toolTip);
    return box;
}

QDoubleSpinBox* doubleSpinBox(double lo, double hi, int decimals, double step, const QString& toolTip) {
    auto* box = new QDoubleSpinBox;
    box->setDecimals(decimals);
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setGroupSeparatorShown(true);
    box->setToolTip(toolTip);
    return box;
}

void selectData(QComboBox* combo, const QVariant& data) {
    const int index = combo->findData(data);
    combo->setCurrentIndex(index >= 0 ? index : 0);
}

}  // namespace

TrainSpan ConsoleSettings::defaultSpan() {
    TrainSpan span;
    span.kind = TrainSpan::Kind::Fraction;
    span.rows = 10000;
    span.durationMs = qint64(24 * kMsPerHour);
    return span;
}

ConsoleSettings ConsoleSettings::load(const QSettings& settings) {
    ConsoleSettings s;
    const Reader r(settings);
    s.window = r.integer<int>(kWindowKey, s.window, FeatureParams::kMinWindow, FeatureParams::kMaxWindow);
    s.trees = r.integer<int>(kTreesKey, s.trees, 1, kMaxTrees);
    s.sampleSize = r.integer<int>(kSampleSizeKey, s.sampleSize, kMinSampleSize, kMaxSampleSize);
    s.seed = r.integer<quint64>(kSeedKey, s.seed, 0, kMaxSeed);
    if (const auto mode = parseScalingMode(settings.value(kScalingKey).toString()))
        s.scaling = *mode;

    const QString kind =
        r.oneOf(kSpanKindKey, spanKindName(s.span.kind),
                {QStringLiteral("fraction"), QStringLiteral("rows"), QStringLiteral("duration")});
    s.span.kind = kind == QLatin1String("rows")       ? TrainSpan::Kind::Rows
                  : kind == QLatin1String("duration") ? TrainSpan::Kind::Duration
                                                      : TrainSpan::Kind::Fraction;
    s.span.fraction = r.real(kSpanFractionKey, s.span.fraction, kMinSpanPercent / 100, 1);
    s.span.rows = r.integer<qint64>(kSpanRowsKey, s.span.rows, 1, kMaxSpanRows);
    const double hours = r.real(kSpanHoursKey, s.span.durationMs / kMsPerHour, kMinSpanHours, kMaxSpanHours);
    s.span.durationMs = std::llround(hours * kMsPerHour);

    s.scoreFilter.smoothSamples =
        r.integer<int>(kSmoothKey, s.scoreFilter.smoothSamples, 1, ScoreFilterParams::kMaxSmoothSamples);
    s.scoreFilter.minAlarmSeconds =
        r.real(kMinAlarmKey, s.scoreFilter.minAlarmSeconds, 0, ScoreFilterParams::kMaxMinAlarmSeconds);

    EvaluationOptions& e = s.evaluation;
    e.thresholdRule =
        r.oneOf(kThresholdRuleKey, thresholdRuleName(e.thresholdRule),
                {QStringLiteral("auto"), QStringLiteral("label_free")}) == QLatin1String("label_free")
            ? ThresholdRule::LabelFree
            : ThresholdRule::Auto;
    e.minPrecision = r.real(kMinPrecisionKey, e.minPrecision, 0, 1);
    e.labelFreeRule =
        r.oneOf(kLabelFreeRuleKey, labelFreeRuleName(e.labelFreeRule),
                {QStringLiteral("quantile"), QStringLiteral("max_margin")}) == QLatin1String("max_margin")
            ? LabelFreeRule::MaxMargin
            : LabelFreeRule::Quantile;
    e.labelFreeQuantile = r.real(kQuantileKey, e.labelFreeQuantile, kMinQuantile, kMaxQuantile);
    e.labelFreeMargin = r.real(kMarginKey, e.labelFreeMargin, kMinMargin, kMaxMargin);

    s.cooldownSeconds = r.integer<int>(kCooldownKey, int(std::lround(s.cooldownSeconds)), 0,
                                       int(AlertRules::kMaxCooldownSeconds));
    s.rulesFile = settings.value(kRulesFileKey).toString();
    if (const QString name = settings.value(kOperatorKey).toString().trimmed();
        !name.isEmpty() && AlarmJournal::checkOperatorName(name))
        s.operatorName = name;
    s.language = r.oneOf(kLanguageKey, QString(), kLanguages);
    return s;
}

void ConsoleSettings::save(QSettings& settings) const {
    settings.setValue(kWindowKey, window);
    settings.setValue(kTreesKey, trees);
    settings.setValue(kSampleSizeKey, sampleSize);
    settings.setValue(kSeedKey, static_cast<qulonglong>(seed));
    settings.setValue(kScalingKey, scalingModeName(scaling));
    settings.setValue(kSpanKindKey, spanKindName(span.kind));
    settings.setValue(kSpanFractionKey, span.fraction);
    settings.setValue(kSpanRowsKey, span.rows);
    settings.setValue(kSpanHoursKey, span.durationMs / kMsPerHour);
    settings.setValue(kSmoothKey, scoreFilter.smoothSamples);
    settings.setValue(kMinAlarmKey, scoreFilter.minAlarmSeconds);
    settings.setValue(kThresholdRuleKey, thresholdRuleName(evaluation.thresholdRule));
    settings.setValue(kMinPrecisionKey, evaluation.minPrecision);
    settings.setValue(kLabelFreeRuleKey, labelFreeRuleName(evaluation.labelFreeRule));
    settings.setValue(kQuantileKey, evaluation.labelFreeQuantile);
    settings.setValue(kMarginKey, evaluation.labelFreeMargin);
    settings.setValue(kCooldownKey, cooldownSeconds);
    settings.setValue(kRulesFileKey, rulesFile);
    settings.setValue(kOperatorKey, operatorName.trimmed());
    if (language.isEmpty())
        settings.remove(kLanguageKey);  // the console's start-up reads "no key" as the system locale
    else
        settings.setValue(kLanguageKey, language);
}

Status ConsoleSettings::validate() const {
    FeatureParams features;
    features.window = window;
    ModelParams model;
    model.forest.trees = trees;
    model.forest.sampleSize = sampleSize;
    model.forest.seed = seed;
    model.scaler.mode = scaling;
    for (const Status& s : {features.validate(), model.validate(), span.validate(), scoreFilter.validate(),
                            evaluation.validate()})
        if (!s)
            return s;
    if (span.kind == TrainSpan::Kind::Until)
        return Error::badInput(QStringLiteral("the console offers no training span up to a fixed time"));
    if (!(cooldownSeconds >= 0 && cooldownSeconds <= AlertRules::kMaxCooldownSeconds))
        return Error::badInput(QStringLiteral("alert cooldown must be seconds in [0, 86400]"));
    if (!kLanguages.contains(language))
        return Error::badInput(QStringLiteral("unknown language \"%1\"").arg(language));
    return AlarmJournal::checkOperatorName(operatorName);
}

Result<AlertRules> ConsoleSettings::alertRules() const {
    AlertRules rules = AlertRules::defaults();
    if (!rulesFile.trimmed().isEmpty()) {
        auto loaded = AlertRules::load(rulesFile.trimmed());
        if (!loaded)
            return loaded.error();
        rules = std::move(*loaded);
    }
    if (Status s = rules.setCooldownSeconds(cooldownSeconds); !s)
        return s.error();
    return rules;
}

Status ConsoleSettings::applyTo(TrainConfig& train, AnalysisOptions& analysis) const {
    if (Status s = validate(); !s)
        return s;
    auto rules = alertRules();
    if (!rules)
        return rules.error();
    train.features.window = window;
    train.model.forest.trees = trees;
    train.model.forest.sampleSize = sampleSize;
    train.model.forest.seed = seed;
    train.model.scaler.mode = scaling;
    train.span = span;
    train.scoreFilter = scoreFilter;
    analysis.evaluation.thresholdRule = evaluation.thresholdRule;
    analysis.evaluation.minPrecision = evaluation.minPrecision;
    analysis.evaluation.labelFreeRule = evaluation.labelFreeRule;
    analysis.evaluation.labelFreeQuantile = evaluation.labelFreeQuantile;
    analysis.evaluation.labelFreeMargin = evaluation.labelFreeMargin;
    analysis.rules = std::move(*rules);
    return {};
}

Status ConsoleSettings::applyTo(PipelineRequest& request) const {
    return applyTo(request.train, request.analysis);
}

QStringList ConsoleSettings::changedFromDefaults() const {
    const ConsoleSettings d;
    const QLocale locale;
    QStringList out;
    if (window != d.window)
        out << SettingsDialog::tr("window %1").arg(window);
    if (trees != d.trees)
        out << SettingsDialog::tr("trees %1").arg(trees);
    if (sampleSize != d.sampleSize)
        out << SettingsDialog::tr("ψ %1").arg(sampleSize);
    if (seed != d.seed)
        out << SettingsDialog::tr("seed %1").arg(seed);
    if (scaling != d.scaling)
        out << SettingsDialog::tr("normalised %1")
                   .arg(scaling == ScalingMode::Global      ? SettingsDialog::tr("globally")
                        : scaling == ScalingMode::PerDevice ? SettingsDialog::tr("per device")
                        : scaling == ScalingMode::PerState  ? SettingsDialog::tr("per state")
                                                            : SettingsDialog::tr("per device and state"));
    if (span.kind != d.span.kind ||
        (span.kind == TrainSpan::Kind::Fraction && span.fraction != d.span.fraction)) {
        switch (span.kind) {
            case TrainSpan::Kind::Rows:
                out << SettingsDialog::tr("training on the first %1 rows").arg(locale.toString(span.rows));
                break;
            case TrainSpan::Kind::Duration:
                out << SettingsDialog::tr("training on the first %1 h")
                           .arg(locale.toString(span.durationMs / kMsPerHour, 'g', 6));
                break;
            case TrainSpan::Kind::Fraction:
            case TrainSpan::Kind::Until:
                out << SettingsDialog::tr("training on the first %1 %")
                           .arg(locale.toString(span.fraction * 100, 'g', 4));
                break;
        }
    }
    if (scoreFilter.smoothSamples != d.scoreFilter.smoothSamples)
        out << SettingsDialog::tr("smoothing %1 samples").arg(scoreFilter.smoothSamples);
    if (scoreFilter.minAlarmSeconds != d.scoreFilter.minAlarmSeconds)
        out << SettingsDialog::tr("minimum alarm %1 s")
                   .arg(locale.toString(scoreFilter.minAlarmSeconds, 'g', 6));
    if (evaluation.thresholdRule != d.evaluation.thresholdRule)
        out << SettingsDialog::tr("label-free threshold");
    if (evaluation.thresholdRule == ThresholdRule::Auto &&
        evaluation.minPrecision != d.evaluation.minPrecision)
        out << SettingsDialog::tr("minimum precision %1")
                   .arg(locale.toString(evaluation.minPrecision, 'g', 4));
    if (evaluation.labelFreeRule != d.evaluation.labelFreeRule ||
        evaluation.labelFreeQuantile != d.evaluation.labelFreeQuantile ||
        evaluation.labelFreeMargin != d.evaluation.labelFreeMargin)
        out << (evaluation.labelFreeRule == LabelFreeRule::MaxMargin
                    ? SettingsDialog::tr("label-free: maximum × %1")
                          .arg(locale.toString(evaluation.labelFreeMargin, 'g', 4))
                    : SettingsDialog::tr("label-free: quantile %1")
                          .arg(locale.toString(evaluation.labelFreeQuantile, 'g', 6)));
    if (cooldownSeconds != d.cooldownSeconds)
        out << SettingsDialog::tr("cooldown %1 s").arg(locale.toString(cooldownSeconds, 'g', 6));
    if (!rulesFile.trimmed().isEmpty())
        out << SettingsDialog::tr("rules %1").arg(QFileInfo(rulesFile.trimmed()).fileName());
    return out;
}

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    // Features
    window_ = spinBox(FeatureParams::kMinWindow, FeatureParams::kMaxWindow, tr(" samples"),
                      tr("Trailing window of the rolling statistics and the spectrum, in samples of each "
                         "device (%1–%2).")
                          .arg(FeatureParams::kMinWindow)
                          .arg(FeatureParams::kMaxWindow));
    auto* featuresForm = new QFormLayout;
    featuresForm->addRow(tr("&Window length:"), window_);
    auto* featuresBox = new QGroupBox(tr("Features"));
    featuresBox->setLayout(featuresForm);

    // Model
    trees_ = spinBox(1, kMaxTrees, {},
                     tr("Isolation trees in the forest (1–%1). More trees: steadier scores, "
                        "slower training and scoring.")
                         .arg(kMaxTrees));
    sampleSize_ = spinBox(kMinSampleSize, kMaxSampleSize, tr(" rows"),
                          tr("ψ: training rows drawn for each tree (capped at the rows available)."));
    seed_ = spinBox(0, kMaxSeed, {}, tr("Same seed, same forest."));
    seed_->setGroupSeparatorShown(false);
    scaling_ = new QComboBox;
    scaling_->addItem(tr("Per operating state"), scalingModeName(ScalingMode::PerState));
    scaling_->addItem(tr("Per device"), scalingModeName(ScalingMode::PerDevice));
    scaling_->addItem(tr("Per device and state"), scalingModeName(ScalingMode::PerDeviceState));
    scaling_->addItem(tr("Global"), scalingModeName(ScalingMode::Global));
    scaling_->setToolTip(
        tr("Which rows share the means and deviations the features are standardised with. Per "
           "device suits fleets whose devices run at different operating points."));
    spanKind_ = new QComboBox;
    spanKind_->addItem(tr("First part of each device's time"), int(TrainSpan::Kind::Fraction));
    spanKind_->addItem(tr("First rows of each device"), int(TrainSpan::Kind::Rows));
    spanKind_->addItem(tr("First hours of each device's data"), int(TrainSpan::Kind::Duration));
    spanKind_->setToolTip(
        tr("The model learns normal behaviour from the start of each device's series only, "
           "so it never sees rows later than those it is evaluated on."));
    spanFraction_ = doubleSpinBox(kMinSpanPercent, 100, 1, 5,
                                  tr("Share of each device's time span, from its first row."));
    spanFraction_->setSuffix(tr(" %"));
    spanRows_ = spinBox(1, kMaxSpanRows, tr(" rows"), tr("Rows from the start of each device."));
    spanHours_ = doubleSpinBox(kMinSpanHours, kMaxSpanHours, kSpanHourDecimals, 1,
                               tr("Hours from each device's own first row (%1 s at least).")
                                   .arg(QLocale().toString(kMinSpanHours * 3600)));
    spanHours_->setSuffix(tr(" h"));
    spanValue_ = new QStackedWidget;
    spanValue_->addWidget(spanFraction_);
    spanValue_->addWidget(spanRows_);
    spanValue_->addWidget(spanHours_);
    auto* modelForm = new QFormLayout;
    modelForm->addRow(tr("&Trees:"), trees_);
    modelForm->addRow(tr("Sub&sample size ψ:"), sampleSize_);
    modelForm->addRow(tr("S&eed:"), seed_);
    modelForm->addRow(tr("&Normalisation:"), scaling_);
    modelForm->addRow(tr("Training s&pan:"), spanKind_);
    modelForm->addRow(tr("Span &length:"), spanValue_);
    auto* modelBox = new QGroupBox(tr("Model"));
    modelBox->setLayout(modelForm);

    // Detection
    smooth_ = spinBox(1, ScoreFilterParams::kMaxSmoothSamples, tr(" samples"),
                      tr("Trailing mean of each device's last K scores, against flickering alarms on noisy "
                         "channels. 1 = off."));
    smooth_->setSpecialValueText(tr("Off"));
    minAlarm_ =
        doubleSpinBox(0, ScoreFilterParams::kMaxMinAlarmSeconds, 1, 10,
                      tr("A row is flagged only when the score stayed at or above the threshold for the "
                         "last S seconds. 0 = off."));
    minAlarm_->setSuffix(tr(" s"));
    minAlarm_->setSpecialValueText(tr("Off"));
    thresholdRule_ = new QComboBox;
    thresholdRule_->addItem(tr("From labels when the data has them"), int(ThresholdRule::Auto));
    thresholdRule_->addItem(tr("Always label-free"), int(ThresholdRule::LabelFree));
    thresholdRule_->setToolTip(
        tr("With labels, the threshold with the highest recall at the minimum precision "
           "is chosen. Label-free, it comes from the training span's scores only, so it "
           "never depends on the rows it is evaluated on. Without labels the rule is "
           "always label-free."));
    minPrecision_ = doubleSpinBox(0, 1, 2, 0.05,
                                  tr("Label-based rule: the highest recall among thresholds reaching this "
                                     "precision (else the best F1)."));
    labelFreeRule_ = new QComboBox;
    labelFreeRule_->addItem(tr("Quantile of the training scores"), int(LabelFreeRule::Quantile));
    labelFreeRule_->addItem(tr("Training maximum × margin"), int(LabelFreeRule::MaxMargin));
    labelFreeRule_->setToolTip(
        tr("How the label-free rule turns the training span's scores into a threshold."));
    quantile_ = doubleSpinBox(kMinQuantile, kMaxQuantile, 4, 0.001,
                              tr("Quantile q of the training span's normal scores (%1–%2).")
                                  .arg(QLocale().toString(kMinQuantile), QLocale().toString(kMaxQuantile)));
    margin_ = doubleSpinBox(kMinMargin, kMaxMargin, 2, 0.05,
                            tr("The highest training score times this margin (%1–%2).")
                                .arg(QLocale().toString(kMinMargin), QLocale().toString(kMaxMargin)));
    margin_->setPrefix(tr("× "));
    auto* detectionForm = new QFormLayout;
    detectionForm->addRow(tr("Score s&moothing:"), smooth_);
    detectionForm->addRow(tr("Minimum &alarm duration:"), minAlarm_);
    detectionForm->addRow(tr("Thres&hold:"), thresholdRule_);
    detectionForm->addRow(tr("Minimum p&recision:"), minPrecision_);
    detectionForm->addRow(tr("Label-&free rule:"), labelFreeRule_);
    detectionForm->addRow(tr("&Quantile q:"), quantile_);
    detectionForm->addRow(tr("Marg&in:"), margin_);
    auto* detectionBox = new QGroupBox(tr("Detection"));
    detectionBox->setLayout(detectionForm);

    // Alerts
    cooldown_ =
        spinBox(0, int(AlertRules::kMaxCooldownSeconds), tr(" s"),
                tr("Re-alarm window: an incident of a device that raises again this soon after it cleared "
                   "is reopened instead of annunciated anew. Overrides the rules file's cooldown_s."));
    rulesFile_ = new QLineEdit;
    rulesFile_->setPlaceholderText(tr("Built-in rules"));
    rulesFile_->setToolTip(
        tr("Alert rules JSON (layout as resources/alert_rules.json); empty for the built-in "
           "rules."));
    rulesFile_->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("&Browse…"));
    auto* rulesRow = new QHBoxLayout;
    rulesRow->addWidget(rulesFile_, 1);
    rulesRow->addWidget(browse);
    operatorName_ = new QLineEdit;
    operatorName_->setMaxLength(AlarmJournal::kMaxOperatorLength);
    operatorName_->setToolTip(
        tr("Who acknowledges, shelves, notes and judges alarms in this console: recorded with every action "
           "in the alarm journal. The operating system's user by default."));
    auto* alertsForm = new QFormLayout;
    alertsForm->addRow(tr("&Cooldown:"), cooldown_);
    auto* rulesLabel = new QLabel(tr("R&ules file:"));
    rulesLabel->setBuddy(rulesFile_);  // a row of a layout gets no buddy from QFormLayout
    alertsForm->addRow(rulesLabel, rulesRow);
    alertsForm->addRow(tr("&Operator name:"), operatorName_);
    auto* alertsBox = new QGroupBox(tr("Alerts"));
    alertsBox->setLayout(alertsForm);

    // Language
    language_ = new QComboBox;
    language_->addItem(tr("System"), QString());
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    language_->setToolTip(tr("Language of the console; System follows the desktop's locale."));
    auto* languageNote = new QLabel(tr("Applies the next time the console starts."));
    languageNote->setForegroundRole(QPalette::PlaceholderText);
    auto* languageForm = new QFormLayout;
    languageForm->addRow(tr("Lan&guage:"), language_);
    languageForm->addRow(QString(), languageNote);
    auto* languageBox = new QGroupBox(tr("Language"));
    languageBox->setLayout(languageForm);

    auto* note =
        new QLabel(tr("Settings apply to the next simulation, database or import that is analysed."));
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("settingsError"));
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette errorPalette = error_->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    error_->setPalette(errorPalette);
    error_->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                         QDialogButtonBox::RestoreDefaults);

    auto* left = new QVBoxLayout;
    left->addWidget(featuresBox);
    left->addWidget(modelBox);
    left->addWidget(languageBox);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(detectionBox);
    right->addWidget(alertsBox);
    right->addStretch(1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(note);
    layout->addWidget(error_);
    layout->addWidget(buttons);

    // Object names for tests and style sheets.
    const std::pair<QWidget*, const char*> names[] = {{window_, "window"},
                                                      {trees_, "trees"},
                                                      {sampleSize_, "sampleSize"},
                                                      {seed_, "seed"},
                                                      {scaling_, "scaling"},
                                                      {spanKind_, "spanKind"},
                                                      {spanFraction_, "spanFraction"},
                                                      {spanRows_, "spanRows"},
                                                      {spanHours_, "spanHours"},
                                                      {smooth_, "smoothSamples"},
                                                      {minAlarm_, "minAlarmSeconds"},
                                                      {thresholdRule_, "thresholdRule"},
                                                      {minPrecision_, "minPrecision"},
                                                      {labelFreeRule_, "labelFreeRule"},
                                                      {quantile_, "labelFreeQuantile"},
                                                      {margin_, "labelFreeMargin"},
                                                      {cooldown_, "cooldown"},
                                                      {rulesFile_, "rulesFile"},
                                                      {operatorName_, "operatorName"},
                                                      {language_, "language"}};
    for (const auto& [widget, name] : names) widget->setObjectName(QLatin1String(name));

    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setSettings(ConsoleSettings{}); });
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseRules);
    for (QComboBox* combo : {spanKind_, thresholdRule_, labelFreeRule_})
        connect(combo, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateEnabled);

    setSettings(ConsoleSettings{});
}

void SettingsDialog::setSettings(const ConsoleSettings& s) {
    window_->setValue(s.window);
    trees_->setValue(s.trees);
    sampleSize_->setValue(s.sampleSize);
    seed_->setValue(static_cast<int>(std::min<quint64>(s.seed, quint64(kMaxSeed))));
    selectData(scaling_, scalingModeName(s.scaling));
    selectData(spanKind_,
               int(s.span.kind == TrainSpan::Kind::Until ? TrainSpan::Kind::Fraction : s.span.kind));
    spanFraction_->setValue(s.span.fraction * 100);
    spanRows_->setValue(static_cast<int>(std::clamp<qint64>(s.span.rows, 1, kMaxSpanRows)));
    spanHours_->setValue(s.span.durationMs / kMsPerHour);
    smooth_->setValue(s.scoreFilter.smoothSamples);
    minAlarm_->setValue(s.scoreFilter.minAlarmSeconds);
    selectData(thresholdRule_, int(s.evaluation.thresholdRule));
    minPrecision_->setValue(s.evaluation.minPrecision);
    selectData(labelFreeRule_, int(s.evaluation.labelFreeRule));
    quantile_->setValue(s.evaluation.labelFreeQuantile);
    margin_->setValue(s.evaluation.labelFreeMargin);
    cooldown_->setValue(static_cast<int>(std::lround(s.cooldownSeconds)));
    rulesFile_->setText(s.rulesFile);
    operatorName_->setText(s.operatorName);
    selectData(language_, s.language);
    error_->clear();
    error_->hide();
    updateEnabled();
}

ConsoleSettings SettingsDialog::settings() const {
    ConsoleSettings s;
    s.window = window_->value();
    s.trees = trees_->value();
    s.sampleSize = sampleSize_->value();
    s.seed = static_cast<quint64>(seed_->value());
    s.scaling = parseScalingMode(scaling_->currentData().toString()).value_or(s.scaling);
    s.span.kind = static_cast<TrainSpan::Kind>(spanKind_->currentData().toInt());
    s.span.fraction = spanFraction_->value() / 100;
    s.span.rows = spanRows_->value();
    s.span.durationMs = std::llround(spanHours_->value() * kMsPerHour);
    s.scoreFilter.smoothSamples = smooth_->value();
    s.scoreFilter.minAlarmSeconds = minAlarm_->value();
    s.evaluation.thresholdRule = static_cast<ThresholdRule>(thresholdRule_->currentData().toInt());
    s.evaluation.minPrecision = minPrecision_->value();
    s.evaluation.labelFreeRule = static_cast<LabelFreeRule>(labelFreeRule_->currentData().toInt());
    s.evaluation.labelFreeQuantile = quantile_->value();
    s.evaluation.labelFreeMargin = margin_->value();
    s.cooldownSeconds = cooldown_->value();
    s.rulesFile = rulesFile_->text().trimmed();
    s.operatorName = operatorName_->text().trimmed();
    s.language = language_->currentData().toString();
    return s;
}

QString SettingsDialog::errorText() const {
    return error_->isHidden() ? QString() : error_->text();
}

void SettingsDialog::accept() {
    const ConsoleSettings s = settings();
    if (Status valid = s.validate(); !valid) {
        showError(valid.error().toString());
        if (!AlarmJournal::checkOperatorName(s.operatorName))
            operatorName_->setFocus();
        return;
    }
    // The rules file is read now, so a broken file is fixed here rather than failing the next run.
    if (auto rules = s.alertRules(); !rules) {
        showError(tr("Alert rules: %1").arg(rules.error().toString()));
        rulesFile_->setFocus();
        return;
    }
    error_->clear();
    error_->hide();
    QDialog::accept();
}

void SettingsDialog::showError(const QString& message) {
    error_->setText(message);
    error_->show();
}

void SettingsDialog::browseRules() {
    const QString start = rulesFile_->text().trimmed();
    const QString path = QFileDialog::getOpenFileName(this, tr("Alert rules file"), start,
                                                      tr("JSON files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    rulesFile_->setText(path);
    // A file's own cooldown becomes the proposed one; the operator may still change it.
    if (auto rules = AlertRules::load(path)) {
        cooldown_->setValue(static_cast<int>(std::lround(rules->cooldownSeconds())));
        error_->hide();
    } else {
        showError(tr("Alert rules: %1").arg(rules.error().toString()));
    }
}

void SettingsDialog::updateEnabled() {
    spanValue_->setCurrentIndex(spanKind_->currentIndex());
    const bool labelBased = thresholdRule_->currentData().toInt() == int(ThresholdRule::Auto);
    minPrecision_->setEnabled(labelBased);
    const bool quantile = labelFreeRule_->currentData().toInt() == int(LabelFreeRule::Quantile);
    quantile_->setEnabled(quantile);
    margin_->setEnabled(!quantile);
}

}  // namespace itap
