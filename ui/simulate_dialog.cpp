#include "simulate_dialog.h"

#include "common/telemetry.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace itap {

SimulationProfile SimulationSettings::toProfile(SimulationProfile base) const {
    base.devices = devices;
    base.hours = hours;
    base.intervalS = intervalS;
    base.seed = seed;
    for (int i = 0; i < kFaultTypeCount; ++i) {
        const auto type = static_cast<FaultType>(i);
        base.episode(type).enabled = faults.contains(faultTypeTag(type));
    }
    base.scaleFaultRates(faultRateScale);
    return base;
}

SimulationSettings SimulationSettings::load(const QSettings& settings) {
    SimulationSettings s;
    auto readInt = [&](const char* key, int fallback, int lo, int hi) {
        bool ok = false;
        const int v = settings.value(QLatin1String(key)).toInt(&ok);
        return ok && v >= lo && v <= hi ? v : fallback;
    };
    s.devices = readInt("simulation/devices", s.devices, 1, SimulationProfile::kMaxDevices);
    s.hours = readInt("simulation/hours", s.hours, 1, 87840);
    s.intervalS = readInt("simulation/interval_s", s.intervalS, 1, 3600);
    s.seed =
        static_cast<quint64>(readInt("simulation/seed", int(s.seed), 0, std::numeric_limits<int>::max()));
    if (settings.contains(QStringLiteral("simulation/faults"))) {
        QStringList faults;
        for (const QString& tag : settings.value(QStringLiteral("simulation/faults")).toStringList())
            if (fault::all().contains(tag))
                faults << tag;
        s.faults = faults;
    }
    bool ok = false;
    const double scale = settings.value(QStringLiteral("simulation/fault_rate_scale")).toDouble(&ok);
    if (ok && scale >= 0 && scale <= 100)
        s.faultRateScale = scale;
    return s;
}

void SimulationSettings::save(QSettings& settings) const {
    settings.setValue(QStringLiteral("simulation/devices"), devices);
    settings.setValue(QStringLiteral("simulation/hours"), hours);
    settings.setValue(QStringLiteral("simulation/interval_s"), intervalS);
    settings.setValue(QStringLiteral("simulation/seed"), static_cast<qulonglong>(seed));
    settings.setValue(QStringLiteral("simulation/faults"), faults);
    settings.setValue(QStringLiteral("simulation/fault_rate_scale"), faultRateScale);
}

namespace {

QString faultLabel(const QString& tag) {
    if (tag == fault::kOverheat)
        return SimulateDialog::tr("Overheat drift (temperature)");
    if (tag == fault::kBearingWear)
        return SimulateDialog::tr("Bearing wear (vibration, RPM)");
    if (tag == fault::kPowerSpike)
        return SimulateDialog::tr("Power spikes (voltage, current)");
    if (tag == fault::kSensorDropout)
        return SimulateDialog::tr("Sensor dropouts (missing or stuck)");
    return tag;
}

QSpinBox* spinBox(int lo, int hi, const QString& suffix) {
    auto* box = new QSpinBox;
    box->setRange(lo, hi);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

}  // namespace

SimulateDialog::SimulateDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Simulate fleet"));

    devices_ = spinBox(1, SimulationProfile::kMaxDevices, {});
    hours_ = spinBox(1, 87840, tr(" h"));
    interval_ = spinBox(1, 3600, tr(" s"));
    seed_ = spinBox(0, std::numeric_limits<int>::max(), {});
    seed_->setGroupSeparatorShown(false);
    rateScale_ = new QDoubleSpinBox;
    rateScale_->setRange(0, 100);
    rateScale_->setDecimals(2);
    rateScale_->setSingleStep(0.25);
    rateScale_->setPrefix(tr("× "));
    rateScale_->setToolTip(tr("Multiplies the rate of every fault type (1 = the default profile)."));

    auto* fleet = new QFormLayout;
    fleet->addRow(tr("&Devices:"), devices_);
    fleet->addRow(tr("D&uration:"), hours_);
    fleet->addRow(tr("Sampling &interval:"), interval_);
    fleet->addRow(tr("&Seed:"), seed_);
    estimate_ = new QLabel;
    estimate_->setForegroundRole(QPalette::PlaceholderText);
    fleet->addRow(QString(), estimate_);
    auto* fleetBox = new QGroupBox(tr("Fleet"));
    fleetBox->setLayout(fleet);

    auto* faultsLayout = new QVBoxLayout;
    for (const QString& tag : fault::all()) {
        auto* box = new QCheckBox(faultLabel(tag));
        box->setObjectName(tag);
        faults_.push_back(box);
        faultsLayout->addWidget(box);
    }
    auto* rateRow = new QFormLayout;
    rateRow->addRow(tr("Fault &rate:"), rateScale_);
    faultsLayout->addLayout(rateRow);
    auto* faultsBox = new QGroupBox(tr("Injected faults"));
    faultsBox->setLayout(faultsLayout);

    database_ = new QLineEdit;
    database_->setMinimumWidth(320);
    auto* browse = new QPushButton(tr("&Browse…"));
    auto* dbRow = new QHBoxLayout;
    dbRow->addWidget(database_, 1);
    dbRow->addWidget(browse);
    auto* dbBox = new QGroupBox(tr("New database"));
    dbBox->setLayout(dbRow);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run pipeline"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(fleetBox);
    layout->addWidget(faultsBox);
    layout->addWidget(dbBox);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &SimulateDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(database_, &QLineEdit::textChanged, this, [this, buttons](const QString& text) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    for (QSpinBox* box : {devices_, hours_, interval_})
        connect(box, &QSpinBox::valueChanged, this, &SimulateDialog::updateEstimate);

    setSettings(SimulationSettings{});
}

void SimulateDialog::setSettings(const SimulationSettings& settings) {
    devices_->setValue(settings.devices);
    hours_->setValue(settings.hours);
    interval_->setValue(settings.intervalS);
    seed_->setValue(static_cast<int>(std::min<quint64>(settings.seed, std::numeric_limits<int>::max())));
    rateScale_->setValue(settings.faultRateScale);
    for (QCheckBox* box : faults_) box->setChecked(settings.faults.contains(box->objectName()));
    updateEstimate();
}

SimulationSettings SimulateDialog::settings() const {
    SimulationSettings s;
    s.devices = devices_->value();
    s.hours = hours_->value();
    s.intervalS = interval_->value();
    s.seed = static_cast<quint64>(seed_->value());
    s.faultRateScale = rateScale_->value();
    s.faults.clear();
    for (const QCheckBox* box : faults_)
        if (box->isChecked())
            s.faults << box->objectName();
    return s;
}

void SimulateDialog::setDatabasePath(const QString& path) {
    database_->setText(path);
}

QString SimulateDialog::databasePath() const {
    return database_->text().trimmed();
}

void SimulateDialog::browse() {
    const QString path = QFileDialog::getSaveFileName(this, tr("New fleet database"), databasePath(),
                                                      tr("SQLite databases (*.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        database_->setText(path);
}

void SimulateDialog::updateEstimate() {
    const qint64 rows = qint64(devices_->value()) * qint64(hours_->value()) * 3600 / interval_->value();
    estimate_->setText(tr("≈ %1 telemetry rows").arg(QLocale().toString(rows)));
}

}  // namespace itap
