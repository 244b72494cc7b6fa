#pragma once

#include "importer/import_mapping.h"

#include <QDialog>
#include <QStringList>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;
class QTimer;

namespace itap {

class ImportPreviewModel;
class ValidationReport;

/// File ▸ Import: which CSV files (paths or globs of one layout), how to read them (an import mapping JSON, a
/// mapping guessed from the first file, or none for canonical ITAP CSV), and which database they go into. The
/// first rows of the first file are previewed as the import will store them, with the unmapped columns and
/// every problem the core reports (verbatim: file:line:column: message). Import stays disabled while there is
/// an error. The dialog only reads (a 100-row preview, a guess from the first 5,000 lines): the import itself
/// runs in the PipelineController. GUI thread only.
class ImportDialog : public QDialog {
    Q_OBJECT

public:
    /// Rows of the first file shown in the preview.
    static constexpr int kPreviewRows = 100;

    enum class Severity { Error, Warning, Note };
    /// One line of the problem list.
    struct Problem {
        Severity severity = Severity::Error;
        QString message;
    };

    explicit ImportDialog(QWidget* parent = nullptr);
    ~ImportDialog() override;

    /// Paths or globs ("/data/pump-*.csv"), shown separated by "; ".
    void setFiles(const QStringList& pathsOrGlobs);
    /// The files to import: each glob expanded (sorted by name), in the order given; empty while the list has
    /// an error.
    [[nodiscard]] QStringList files() const;
    /// A mapping JSON file; empty = no mapping (canonical ITAP CSV).
    void setMappingFile(const QString& path);
    [[nodiscard]] QString mappingFile() const;
    /// The mapping the import will use; nullopt = canonical ITAP CSV (or the mapping has an error).
    [[nodiscard]] std::optional<ImportMapping> mapping() const { return mapping_; }
    /// True when no mapping is chosen: the files are canonical ITAP CSV.
    [[nodiscard]] bool isCanonical() const;
    void setDatabasePath(const QString& path);
    /// The database to import into: a new SQLite file, an existing one, or the console's open database.
    [[nodiscard]] QString databasePath() const;
    /// The console's open database, offered as a target ("" = none open).
    void setOpenDatabase(const QString& spec);
    [[nodiscard]] bool skipInvalid() const;

    /// Proposes a mapping from the first file (guessMapping); the operator can save it and edit it.
    void guessMapping();
    /// Writes the current mapping (canonical JSON) to `path` and uses that file from now on.
    bool saveMapping(const QString& path);
    /// Re-reads the mapping file and the preview now (edits of the files and the mapping do it after a
    /// pause).
    void refreshPreview();

    [[nodiscard]] ImportPreviewModel* previewModel() const { return model_; }
    [[nodiscard]] const QList<Problem>& problems() const { return problems_; }
    /// Messages of the problems of `severity`.
    [[nodiscard]] QStringList messages(Severity severity) const;
    /// Columns of the previewed file the mapping ignores.
    [[nodiscard]] const QStringList& unmappedColumns() const { return unmapped_; }
    [[nodiscard]] bool canImport() const;
    [[nodiscard]] QPushButton* importButton() const { return importButton_; }

signals:
    /// The preview and the problem list were rebuilt.
    void previewUpdated();

private:
    enum class MappingOrigin { None, File, Guess };

    void browseFiles();
    void browseMapping();
    void browseDatabase();
    void askSaveMapping();
    void scheduleRefresh();
    void onMappingEdited();
    void previewMapped(const QString& file);
    void previewCanonical(const QString& file);
    /// Adds the report's row issues as file:line:column problems: unparsable rows are errors unless they are
    /// skipped, rejections and gaps are warnings, empty cells are left out.
    void addRowIssues(const ValidationReport& report, const QString& file);
    void addProblem(Severity severity, const QString& message);
    void showProblems();
    void updateMappingInfo();
    void updateDatabaseInfo();

    QLineEdit* files_ = nullptr;
    QLineEdit* mappingEdit_ = nullptr;
    QPushButton* guessButton_ = nullptr;
    QPushButton* saveMappingButton_ = nullptr;
    QLabel* mappingInfo_ = nullptr;
    QLineEdit* database_ = nullptr;
    QPushButton* openDatabaseButton_ = nullptr;
    QLabel* databaseInfo_ = nullptr;
    QCheckBox* skipInvalid_ = nullptr;
    QLabel* previewSummary_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* unmappedLabel_ = nullptr;
    QListWidget* problemList_ = nullptr;
    QPushButton* importButton_ = nullptr;
    QTimer* refreshTimer_ = nullptr;
    ImportPreviewModel* model_ = nullptr;

    MappingOrigin origin_ = MappingOrigin::None;
    std::optional<ImportMapping> mapping_;
    QString guessedFrom_;  // file the guessed mapping came from
    QStringList guessNotes_;
    QString openDatabase_;
    QStringList unmapped_;
    QList<Problem> problems_;
};

}  // namespace itap
