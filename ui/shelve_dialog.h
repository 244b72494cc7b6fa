#pragma once

#include <QDialog>
#include <QString>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;

namespace itap {

/// Asks how long to shelve the selected alarms and why: one of AlarmJournal::shelvePresets() (1 h, 8 h,
/// 24 h) or until a date and time (UTC), and a reason, which is required. OK keeps the dialog open with the
/// error when the reason is empty or the shelf is not one AlarmJournal::checkShelf() accepts.
class ShelveDialog : public QDialog {
    Q_OBJECT

public:
    explicit ShelveDialog(QWidget* parent = nullptr);

    /// Preselects a preset ("1h", "8h", "24h") or, for any other text, "until".
    void setPreset(const QString& preset);
    void setReason(const QString& reason);
    /// Selects "until" with this end (UTC epoch ms).
    void setUntil(qint64 untilMs);
    /// When the shelf ends if it starts at `nowMs`.
    [[nodiscard]] qint64 untilMs(qint64 nowMs) const;
    [[nodiscard]] QString reason() const;
    [[nodiscard]] QString errorText() const;

    void accept() override;

private:
    void updateEnabled();

    QComboBox* length_ = nullptr;
    QDateTimeEdit* until_ = nullptr;
    QLineEdit* reason_ = nullptr;
    QLabel* error_ = nullptr;
};

}  // namespace itap
