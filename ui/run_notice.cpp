#include "run_notice.h"

#include <QLocale>

namespace itap {

RunNotice::RunNotice(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("runNotice"));
    setTextFormat(Qt::PlainText);
    // Amber text, as a warning that needs no answer. It may be cut short, never widen the window: the whole
    // notice is in the tooltip.
    setStyleSheet(QStringLiteral("QLabel { color: #9a5b00; font-weight: 600; }"));
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    hide();
}

void RunNotice::clearNotice() {
    clear();
    setToolTip(QString());
    conflictReport_.clear();
    hide();
}

void RunNotice::showRun(const PipelineResult& result) {
    clearNotice();
    const QLocale locale;
    QStringList notices;
    QStringList details;
    if (!result.scored.scoresStored) {
        notices << tr("Scores not stored: the database is read-only");
        details << tr(
            "The database was opened read-only, so the scores of this run were not stored; the "
            "views and an export show them, the database keeps the scores it had.");
    }
    const std::vector<FileConflicts> conflicts = conflictsOf(result);
    qint64 count = 0, replaced = 0;
    for (const FileConflicts& f : conflicts) {
        count += f.conflicts.count;
        replaced += f.conflicts.replaced;
    }
    if (count > 0) {
        const QString kept =
            replaced > 0 ? tr("the new values replaced them") : tr("the stored values were kept");
        notices << tr("Imported rows in conflict with stored rows: %1; %2").arg(locale.toString(count), kept);
        QStringList report{
            tr("%1 rows conflict with stored rows (same device and timestamp, other values); %2:")
                .arg(locale.toString(count), kept)};
        for (const FileConflicts& f : conflicts)
            for (const RowConflict& c : f.conflicts.examples)
                report << QStringLiteral("  ") + c.describe(f.file);
        conflictReport_ = report.join(QLatin1Char('\n'));
        details << conflictReport_;
    }
    if (notices.isEmpty())
        return;
    setText(QStringLiteral("⚠ ") + notices.join(QStringLiteral(" · ")));
    setToolTip(details.join(QLatin1Char('\n')));
    show();
}

}  // namespace itap
