#include "shelve_dialog.h"

#include "alarms/alarm_journal.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace itap {
namespace {

// The length of one of AlarmJournal::shelvePresets() (which always parse).
qint64 presetMs(const QString& preset) {
    const auto ms = AlarmJournal::parseDuration(preset);
    return ms ? *ms : 0;
}

}  // namespace

ShelveDialog::ShelveDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Shelve alarms"));
    setObjectName(QStringLiteral("shelveDialog"));
    length_ = new QComboBox;
    length_->setObjectName(QStringLiteral("shelveLength"));
    for (const QString& preset : AlarmJournal::shelvePresets()) {
        const qint64 ms = presetMs(preset);
        length_->addItem(tr("%n hour(s)", nullptr, int(ms / (3600 * 1000))), preset);
    }
    length_->addItem(tr("Until a date and time"), QString());
    until_ = new QDateTimeEdit;
    until_->setObjectName(QStringLiteral("shelveUntil"));
    until_->setTimeSpec(Qt::UTC);
    until_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    until_->setCalendarPopup(true);
    until_->setDateTime(QDateTime::currentDateTimeUtc().addSecs(3600 * 2));
    reason_ = new QLineEdit;
    reason_->setObjectName(QStringLiteral("shelveReason"));
    reason_->setPlaceholderText(tr("Why the alarm is silenced (required)"));
    reason_->setMaxLength(AlarmJournal::kMaxTextLength);
    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("shelveError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #c62828"));
    error_->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Shelve for"), length_);
    form->addRow(tr("Until (UTC)"), until_);
    form->addRow(tr("Reason"), reason_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Shelve"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ShelveDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ShelveDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(error_);
    layout->addWidget(buttons);
    connect(length_, &QComboBox::currentIndexChanged, this, &ShelveDialog::updateEnabled);
    updateEnabled();
}

void ShelveDialog::setPreset(const QString& preset) {
    const int i = length_->findData(preset);
    length_->setCurrentIndex(i >= 0 ? i : length_->count() - 1);
}

void ShelveDialog::setReason(const QString& reason) {
    reason_->setText(reason);
}

void ShelveDialog::setUntil(qint64 untilMs) {
    length_->setCurrentIndex(length_->count() - 1);
    until_->setDateTime(QDateTime::fromMSecsSinceEpoch(untilMs, Qt::UTC));
}

qint64 ShelveDialog::untilMs(qint64 nowMs) const {
    const QString preset = length_->currentData().toString();
    if (preset.isEmpty())
        return until_->dateTime().toMSecsSinceEpoch();
    return nowMs + presetMs(preset);
}

QString ShelveDialog::reason() const {
    return reason_->text().trimmed();
}

QString ShelveDialog::errorText() const {
    return error_->isVisible() ? error_->text() : QString();
}

void ShelveDialog::updateEnabled() {
    until_->setEnabled(length_->currentData().toString().isEmpty());
}

void ShelveDialog::accept() {
    QString error;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (reason().isEmpty())
        error = tr("A reason is required: it is recorded in the alarm journal.");
    else if (const Status s = AlarmJournal::checkShelf(now, untilMs(now)); !s)
        error = s.error().message;
    if (!error.isEmpty()) {
        error_->setText(error);
        error_->show();
        return;
    }
    error_->hide();
    QDialog::accept();
}

}  // namespace itap
