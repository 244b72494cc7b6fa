#include "import_dialog.h"

#include "models/import_preview_model.h"

#include "common/json_util.h"
#include "importer/importer.h"
#include "importer/mapping_guesser.h"
#include "validation/csv_reader.h"
#include "validation/row_validator.h"
#include "validation/validation_report.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <type_traits>

namespace itap {
namespace {

// Typing in a path field re-reads the preview after this pause, not on every key.
constexpr int kRefreshDelayMs = 300;

const QString kSeparator = QStringLiteral("; ");

bool isGlob(const QString& s) {
    return s.contains(QLatin1Char('*')) || s.contains(QLatin1Char('?')) || s.contains(QLatin1Char('['));
}

// Every check but the RowValidator's means the row could not be parsed, which fails its file unless invalid
// rows are skipped; the RowValidator's only reject a parsed row ("range", "duplicate", "out_of_order":
// counted, the file still imports) or warn ("missing", "gap").
bool isUnparsable(const QString& check) {
    return check != QLatin1String("range") && check != QLatin1String("duplicate") &&
           check != QLatin1String("out_of_order") && check != QLatin1String("missing") &&
           check != QLatin1String("gap");
}

// A form row's label for a field that is a layout (QFormLayout only sets buddies for widgets).
QLabel* buddyLabel(const QString& text, QWidget* buddy) {
    auto* label = new QLabel(text);
    label->setBuddy(buddy);
    return label;
}

}  // namespace

ImportDialog::ImportDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Import telemetry"));
    setObjectName(QStringLiteral("importDialog"));
    model_ = new ImportPreviewModel(this);
    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(kRefreshDelayMs);
    connect(refreshTimer_, &QTimer::timeout, this, &ImportDialog::refreshPreview);

    // A grid rather than a QFormLayout: the wrapped info lines under a field get their real height in it.
    auto* form = new QGridLayout;
    form->setColumnStretch(1, 1);
    auto addRow = [form](QWidget* label, auto* field) {
        const int row = form->rowCount();
        if (label)
            form->addWidget(label, row, 0);
        if constexpr (std::is_base_of_v<QLayout, std::remove_pointer_t<decltype(field)>>)
            form->addLayout(field, row, 1);
        else
            form->addWidget(field, row, 1);
    };

    files_ = new QLineEdit;
    files_->setObjectName(QStringLiteral("files"));
    files_->setPlaceholderText(tr("CSV files or a glob, e.g. /data/pump-*.csv (several separated by ;)"));
    auto* browseFiles = new QPushButton(tr("Browse…"));
    connect(browseFiles, &QPushButton::clicked, this, &ImportDialog::browseFiles);
    connect(files_, &QLineEdit::textEdited, this, &ImportDialog::scheduleRefresh);
    auto* filesRow = new QHBoxLayout;
    filesRow->addWidget(files_, 1);
    filesRow->addWidget(browseFiles);
    addRow(buddyLabel(tr("&Files:"), files_), filesRow);

    mappingEdit_ = new QLineEdit;
    mappingEdit_->setObjectName(QStringLiteral("mapping"));
    mappingEdit_->setPlaceholderText(tr("none — the files are canonical ITAP CSV"));
    connect(mappingEdit_, &QLineEdit::textEdited, this, &ImportDialog::onMappingEdited);
    auto* browseMapping = new QPushButton(tr("Browse…"));
    connect(browseMapping, &QPushButton::clicked, this, &ImportDialog::browseMapping);
    guessButton_ = new QPushButton(tr("&Guess mapping"));
    guessButton_->setToolTip(tr("Propose a mapping from the header and the first rows of the first file"));
    connect(guessButton_, &QPushButton::clicked, this, &ImportDialog::guessMapping);
    saveMappingButton_ = new QPushButton(tr("&Save mapping…"));
    saveMappingButton_->setToolTip(tr("Write the mapping to a JSON file to review and edit it"));
    connect(saveMappingButton_, &QPushButton::clicked, this, &ImportDialog::askSaveMapping);
    auto* reload = new QPushButton(tr("&Reload"));
    reload->setToolTip(tr("Read the mapping file and the preview again (after editing the mapping)"));
    connect(reload, &QPushButton::clicked, this, &ImportDialog::refreshPreview);
    auto* mappingRow = new QHBoxLayout;
    mappingRow->addWidget(mappingEdit_, 1);
    mappingRow->addWidget(browseMapping);
    mappingRow->addWidget(guessButton_);
    mappingRow->addWidget(saveMappingButton_);
    mappingRow->addWidget(reload);
    addRow(buddyLabel(tr("&Mapping:"), mappingEdit_), mappingRow);
    mappingInfo_ = new QLabel;
    mappingInfo_->setWordWrap(true);
    mappingInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addRow(nullptr, mappingInfo_);

    database_ = new QLineEdit;
    database_->setObjectName(QStringLiteral("database"));
    connect(database_, &QLineEdit::textChanged, this, [this] {
        updateDatabaseInfo();
        scheduleRefresh();
    });
    auto* browseDatabase = new QPushButton(tr("Browse…"));
    connect(browseDatabase, &QPushButton::clicked, this, &ImportDialog::browseDatabase);
    openDatabaseButton_ = new QPushButton(tr("Open database"));
    openDatabaseButton_->setToolTip(tr("Import into the database the console has open"));
    openDatabaseButton_->setEnabled(false);
    connect(openDatabaseButton_, &QPushButton::clicked, this, [this] { database_->setText(openDatabase_); });
    auto* databaseRow = new QHBoxLayout;
    databaseRow->addWidget(database_, 1);
    databaseRow->addWidget(browseDatabase);
    databaseRow->addWidget(openDatabaseButton_);
    addRow(buddyLabel(tr("&Database:"), database_), databaseRow);
    databaseInfo_ = new QLabel;
    databaseInfo_->setWordWrap(true);
    addRow(nullptr, databaseInfo_);

    skipInvalid_ =
        new QCheckBox(tr("S&kip rows that cannot be read (import the valid rows and count the rest)"));
    connect(skipInvalid_, &QCheckBox::toggled, this, &ImportDialog::refreshPreview);
    addRow(nullptr, skipInvalid_);

    auto* previewBox = new QGroupBox(tr("Preview — the first rows as they will be stored"));
    auto* previewLayout = new QVBoxLayout(previewBox);
    previewSummary_ = new QLabel;
    previewSummary_->setWordWrap(true);
    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("preview"));
    table_->setModel(model_);
    table_->setAlternatingRowColors(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setWordWrap(false);
    // The square between the two scroll bars is painted by this widget (left alone it stays unpainted).
    auto* corner = new QWidget;
    corner->setAutoFillBackground(true);
    table_->setCornerWidget(corner);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->verticalHeader()->setToolTip(tr("Line in the file"));
    unmappedLabel_ = new QLabel;
    unmappedLabel_->setWordWrap(true);
    unmappedLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    previewLayout->addWidget(previewSummary_);
    previewLayout->addWidget(table_, 1);
    previewLayout->addWidget(unmappedLabel_);

    auto* problemsBox = new QGroupBox(tr("Problems"));
    auto* problemsLayout = new QVBoxLayout(problemsBox);
    problemList_ = new QListWidget;
    problemList_->setObjectName(QStringLiteral("problems"));
    problemList_->setWordWrap(true);
    problemList_->setSelectionMode(QAbstractItemView::NoSelection);
    problemList_->setIconSize(QSize(16, 16));
    problemsLayout->addWidget(problemList_);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(previewBox);
    split->addWidget(problemsBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    importButton_ = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    importButton_->setDefault(true);
    importButton_->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        // Whatever changed since the last preview is checked before the dialog lets the run start.
        refreshPreview();
        if (canImport())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1100, 760);
    refreshPreview();
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::setFiles(const QStringList& pathsOrGlobs) {
    files_->setText(pathsOrGlobs.join(kSeparator));
    refreshPreview();
}

QStringList ImportDialog::files() const {
    QStringList out;
    for (const QString& part : files_->text().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString item = part.trimmed();
        if (item.isEmpty())
            continue;
        if (!isGlob(item)) {
            out << item;
            continue;
        }
        // Sorted, so the import order never depends on the directory listing (as `itap import` does).
        const QFileInfo info(item);
        const QDir dir = info.dir();
        for (const QString& m : dir.entryList({info.fileName()}, QDir::Files, QDir::Name))
            out << dir.filePath(m);
    }
    out.removeDuplicates();
    return out;
}

void ImportDialog::setMappingFile(const QString& path) {
    mappingEdit_->setText(path);
    onMappingEdited();
    refreshPreview();
}

QString ImportDialog::mappingFile() const {
    return origin_ == MappingOrigin::File ? mappingEdit_->text().trimmed() : QString();
}

bool ImportDialog::isCanonical() const {
    return origin_ == MappingOrigin::None;
}

void ImportDialog::setDatabasePath(const QString& path) {
    database_->setText(path);
    refreshPreview();
}

QString ImportDialog::databasePath() const {
    return database_->text().trimmed();
}

void ImportDialog::setOpenDatabase(const QString& spec) {
    openDatabase_ = spec;
    openDatabaseButton_->setEnabled(!spec.isEmpty());
    openDatabaseButton_->setToolTip(spec.isEmpty() ? tr("No database is open")
                                                   : tr("Import into %1").arg(spec));
}

bool ImportDialog::skipInvalid() const {
    return skipInvalid_->isChecked();
}

void ImportDialog::onMappingEdited() {
    origin_ = mappingEdit_->text().trimmed().isEmpty() ? MappingOrigin::None : MappingOrigin::File;
    guessedFrom_.clear();
    guessNotes_.clear();
    mapping_.reset();
    scheduleRefresh();
}

void ImportDialog::scheduleRefresh() {
    refreshTimer_->start();
}

void ImportDialog::guessMapping() {
    const QStringList list = files();
    if (list.isEmpty()) {
        refreshPreview();
        return;
    }
    auto guess = itap::guessMapping(list.first());
    if (!guess) {
        refreshPreview();
        addProblem(Severity::Error, tr("Guess mapping: %1").arg(guess.error().toString()));
        showProblems();
        return;
    }
    {
        const QSignalBlocker block(mappingEdit_);
        mappingEdit_->clear();
    }
    origin_ = MappingOrigin::Guess;
    mapping_ = std::move(guess->mapping);
    guessedFrom_ = list.first();
    guessNotes_ = guess->notes;
    refreshPreview();
}

bool ImportDialog::saveMapping(const QString& path) {
    if (!mapping_)
        return false;
    nlohmann::json j = mapping_->toJson();
    if (origin_ == MappingOrigin::Guess)
        j["description"] =
            QStringLiteral("Proposed by the ITAP console from %1. Check: %2")
                .arg(QFileInfo(guessedFrom_).fileName(), guessNotes_.join(QStringLiteral("; ")))
                .toStdString();
    if (Status s = writeFileAtomic(path, toJsonBytes(j)); !s) {
        addProblem(Severity::Error, s.error().toString());
        showProblems();
        return false;
    }
    {
        const QSignalBlocker block(mappingEdit_);
        mappingEdit_->setText(path);
    }
    origin_ = MappingOrigin::File;
    guessedFrom_.clear();
    guessNotes_.clear();
    refreshPreview();
    return true;
}

void ImportDialog::askSaveMapping() {
    const QStringList list = files();
    const QString start =
        mappingFile().isEmpty() && !list.isEmpty()
            ? QFileInfo(list.first())
                  .absoluteDir()
                  .filePath(QFileInfo(list.first()).completeBaseName() + QStringLiteral(".mapping.json"))
            : mappingFile();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save import mapping"), start,
                                                      tr("Import mapping (*.json);;All files (*)"));
    if (!path.isEmpty())
        saveMapping(path);
}

void ImportDialog::browseFiles() {
    const QStringList current = files();
    const QString start = current.isEmpty() ? QDir::homePath() : QFileInfo(current.first()).absolutePath();
    const QStringList chosen = QFileDialog::getOpenFileNames(this, tr("Telemetry CSV files"), start,
                                                             tr("CSV files (*.csv *.txt);;All files (*)"));
    if (!chosen.isEmpty())
        setFiles(chosen);
}

void ImportDialog::browseMapping() {
    const QStringList current = files();
    const QString start = !mappingFile().isEmpty() ? mappingFile()
                          : current.isEmpty()      ? QDir::homePath()
                                                   : QFileInfo(current.first()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Import mapping"), start,
                                                      tr("Import mapping (*.json);;All files (*)"));
    if (!path.isEmpty())
        setMappingFile(path);
}

void ImportDialog::browseDatabase() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Database to import into (existing or new)"), databasePath(),
        tr("SQLite databases (*.db *.sqlite);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        setDatabasePath(path);
}

void ImportDialog::refreshPreview() {
    refreshTimer_->stop();
    problems_.clear();
    unmapped_.clear();
    model_->clear();
    previewSummary_->clear();

    if (origin_ == MappingOrigin::File) {
        mapping_.reset();
        auto loaded = ImportMapping::load(mappingEdit_->text().trimmed());
        if (loaded)
            mapping_ = std::move(loaded).value();
        else
            addProblem(Severity::Error, loaded.error().toString());
    }
    for (const QString& note : guessNotes_) addProblem(Severity::Note, tr("Guessed: %1").arg(note));

    const QStringList list = files();
    if (files_->text().trimmed().isEmpty()) {
        addProblem(Severity::Error, tr("Choose the CSV files to import."));
    } else if (list.isEmpty()) {
        addProblem(Severity::Error, tr("No file matches %1.").arg(files_->text().trimmed()));
    } else {
        for (const QString& f : list)
            if (!QFileInfo(f).isFile())
                addProblem(Severity::Error, tr("%1: no such file").arg(f));
    }
    const bool filesOk = !list.isEmpty() && QFileInfo(list.first()).isFile();
    if (filesOk && origin_ == MappingOrigin::None) {
        if (list.size() > 1)
            addProblem(Severity::Error,
                       tr("Canonical ITAP CSV is imported one file at a time; choose a mapping "
                          "to import several files together."));
        previewCanonical(list.first());
    } else if (filesOk && mapping_) {
        previewMapped(list.first());
    }
    if (databasePath().isEmpty())
        addProblem(Severity::Error, tr("Choose the database to import into."));

    updateMappingInfo();
    updateDatabaseInfo();
    showProblems();
    emit previewUpdated();
}

void ImportDialog::previewMapped(const QString& file) {
    auto data = Importer(*mapping_).preview(file, kPreviewRows);
    if (!data) {
        addProblem(Severity::Error, data.error().toString());
        return;
    }
    const ImportFileReport& report = data->report.files.front();
    unmapped_ = report.unmappedColumns;
    addRowIssues(report.validation, file);
    for (const auto& [column, cells] : report.validation.missingCells())
        if (cells > 0)
            addProblem(Severity::Note,
                       tr("%1: %n empty cell(s) in %2 (stored as missing)", nullptr, int(cells))
                           .arg(QFileInfo(file).fileName(), column));
    const auto& v = report.validation;
    previewSummary_->setText(tr("%1: the first %2 lines read — %3 rows shown, %4 rejected; %5 channels.")
                                 .arg(QFileInfo(file).fileName())
                                 .arg(v.rowsRead())
                                 .arg(v.rowsAccepted())
                                 .arg(v.rowsRejected())
                                 .arg(data->catalog.size()));
    model_->setPreview(data->catalog, std::move(data->batches.front()), mapping_->errorCode.has_value(),
                       mapping_->hasLabels());
}

void ImportDialog::previewCanonical(const QString& file) {
    const SensorCatalog catalog = SensorCatalog::defaults();
    TelemetryCsvReader reader(catalog);
    if (Status s = reader.open(file); !s) {
        addProblem(Severity::Error, s.error().toString());
        return;
    }
    TelemetryBatch batch;
    std::vector<RowIssue> issues;
    auto read = reader.readBatch(batch, issues, kPreviewRows);
    if (!read) {
        addProblem(Severity::Error, read.error().toString());
        return;
    }
    // The same row checks `itap ingest` runs, so the preview rejects what the ingest will.
    ValidationReport report(file);
    for (const RowIssue& issue : issues) report.addIssue(issue);
    RowValidator validator(catalog, {}, reader.layout());
    validator.check(batch, report);
    validator.finish(report);
    addRowIssues(report, file);
    previewSummary_->setText(
        tr("%1 (canonical ITAP CSV): the first %2 lines read — %3 rows shown, %4 rejected.")
            .arg(QFileInfo(file).fileName())
            .arg(report.rowsRead())
            .arg(report.rowsAccepted())
            .arg(report.rowsRejected()));
    model_->setPreview(catalog, std::move(batch), true, reader.hasLabels());
}

void ImportDialog::addRowIssues(const ValidationReport& report, const QString& file) {
    for (const RowIssue& issue : report.issues()) {
        if (issue.check == QLatin1String("missing"))
            continue;  // not one line per empty cell (the mapped preview counts them per column)
        const QString message = Error::badInput(issue.message, file, issue.line, issue.column).toString();
        addProblem(isUnparsable(issue.check) && !skipInvalid() ? Severity::Error : Severity::Warning,
                   message);
    }
}

void ImportDialog::addProblem(Severity severity, const QString& message) {
    problems_.append({severity, message});
}

void ImportDialog::showProblems() {
    problemList_->clear();
    const QStyle* s = style();
    for (const Problem& p : problems_) {
        const QStyle::StandardPixmap icon = p.severity == Severity::Error ? QStyle::SP_MessageBoxCritical
                                            : p.severity == Severity::Warning
                                                ? QStyle::SP_MessageBoxWarning
                                                : QStyle::SP_MessageBoxInformation;
        auto* item = new QListWidgetItem(s->standardIcon(icon), p.message, problemList_);
        item->setToolTip(p.message);
    }
    if (problems_.isEmpty())
        new QListWidgetItem(tr("No problems in the previewed rows."), problemList_);
    unmappedLabel_->setText(
        unmapped_.isEmpty() ? tr("Unmapped columns: none")
                            : tr("Unmapped columns (ignored): %1").arg(unmapped_.join(QStringLiteral(", "))));
    unmappedLabel_->setVisible(!isCanonical() && model_->columnCount() > 0);
    importButton_->setEnabled(canImport());
    saveMappingButton_->setEnabled(mapping_.has_value());
}

QStringList ImportDialog::messages(Severity severity) const {
    QStringList out;
    for (const Problem& p : problems_)
        if (p.severity == severity)
            out << p.message;
    return out;
}

bool ImportDialog::canImport() const {
    if (!isCanonical() && !mapping_)
        return false;
    for (const Problem& p : problems_)
        if (p.severity == Severity::Error)
            return false;
    return true;
}

void ImportDialog::updateMappingInfo() {
    if (origin_ == MappingOrigin::None) {
        mappingInfo_->setText(
            tr("No mapping: canonical ITAP CSV (timestamp, device_id, state, the default "
               "channels, error_code[, fault_tag])."));
        return;
    }
    if (!mapping_) {
        mappingInfo_->setText(tr("The mapping cannot be used; see the problems below."));
        return;
    }
    const SensorCatalog catalog = mapping_->catalog();
    const QString labels = mapping_->hasLabels()
                               ? tr("labels: yes (the evaluation gets ground truth)")
                               : tr("labels: none (the evaluation will say “no ground truth”)");
    const QString what = tr("%n channel(s) in the families %1; %2", nullptr, catalog.size())
                             .arg(catalog.families().join(QStringLiteral(", ")), labels);
    if (origin_ == MappingOrigin::Guess)
        mappingInfo_->setText(tr("Guessed from %1 (not saved — “Save mapping…” writes it for editing): %2")
                                  .arg(QFileInfo(guessedFrom_).fileName(), what));
    else
        mappingInfo_->setText(what);
}

void ImportDialog::updateDatabaseInfo() {
    const QString db = databasePath();
    if (db.isEmpty())
        databaseInfo_->clear();
    else if (db == openDatabase_ || QFileInfo::exists(db))
        databaseInfo_->setText(
            tr("Existing database: the rows are added to it (rows it already holds are "
               "skipped); it must hold the same channels as the mapping."));
    else if (isCanonical())
        databaseInfo_->setText(tr("A new database is created with the default channels."));
    else
        databaseInfo_->setText(tr("A new database is created with the mapping's channels."));
}

}  // namespace itap
