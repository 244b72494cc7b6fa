#pragma once

#include "pipeline/pipeline_run.h"

#include <QLabel>

namespace itap {

/// The status bar's notice about a finished run: what the operator would otherwise not learn from the
/// views. The scores were not stored (a read-only database: the views show this run's scores, the database
/// keeps its own), and how many rows of the ingest or import conflicted with stored rows (same device and
/// timestamp, other values); the tooltip and conflictReport() give the examples as `itap import` prints them.
/// Hidden when there is nothing to say. Shows what core reports (conflictsOf()); decides nothing.
class RunNotice : public QLabel {
    Q_OBJECT

public:
    explicit RunNotice(QWidget* parent = nullptr);

    /// Shows the notices of `result`, replacing the previous run's.
    void showRun(const PipelineResult& result);
    void clearNotice();
    /// The conflicts of the run shown: their count and what became of them, then one example a line
    /// (`file:line: device … column … stored …, new …`); empty when there were none.
    [[nodiscard]] const QString& conflictReport() const { return conflictReport_; }

private:
    QString conflictReport_;
};

}  // namespace itap
