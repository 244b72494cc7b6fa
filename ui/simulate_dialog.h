#pragma once

#include "common/telemetry.h"
#include "telemetry/simulation_profile.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace itap {

/// The knobs of a simulation the operator sets in the dialog and the console remembers between sessions.
struct SimulationSettings {
    int devices = 20;                   ///< fleet size, 1..9999
    int hours = 24;                     ///< simulated span, 1..87840
    int intervalS = 10;                 ///< sampling interval in seconds, 1..3600
    quint64 seed = 42;                  ///< same seed, same fleet; 0..2^31-1 in the dialog
    QStringList faults = fault::all();  ///< fault tags to inject, any subset of fault::all()
    double faultRateScale = 1.0;        ///< multiplies every fault rate, 0..100

    /// `base` (normally SimulationProfile::defaults()) with these settings applied.
    [[nodiscard]] SimulationProfile toProfile(SimulationProfile base) const;
    /// Reads the "simulation/..." keys, keeping the defaults above for missing or out-of-range values.
    [[nodiscard]] static SimulationSettings load(const QSettings& settings);
    void save(QSettings& settings) const;
};

/// Asks for the simulation parameters and the database file a new simulated fleet goes into.
class SimulateDialog : public QDialog {
    Q_OBJECT

public:
    explicit SimulateDialog(QWidget* parent = nullptr);

    void setSettings(const SimulationSettings& settings);
    [[nodiscard]] SimulationSettings settings() const;
    void setDatabasePath(const QString& path);
    /// The database file to create (an existing file is replaced: the user confirmed it in the file dialog).
    [[nodiscard]] QString databasePath() const;

private:
    void browse();
    void updateEstimate();

    QSpinBox* devices_ = nullptr;
    QSpinBox* hours_ = nullptr;
    QSpinBox* interval_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QDoubleSpinBox* rateScale_ = nullptr;
    std::vector<QCheckBox*> faults_;  // in fault::all() order
    QLineEdit* database_ = nullptr;
    QLabel* estimate_ = nullptr;
};

}  // namespace itap
