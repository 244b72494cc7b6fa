#pragma once

#include "common/sensor_catalog.h"
#include "common/telemetry.h"

#include <QAbstractTableModel>

namespace itap {

/// The import dialog's preview: the first rows of a file as the import will store them (after the mapping
/// and the row checks): time in UTC, device, state, one column per catalog channel (header "name [unit]"),
/// the error code when the source has one, and the label when the data carries ground truth. Rows the checks
/// reject are not in it (the dialog lists them as problems). GUI thread only.
class ImportPreviewModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Roles {
        SortRole = Qt::UserRole + 1,  ///< raw value: epoch ms, the channel's double (NaN when missing), …
        SourceLineRole,               ///< 1-based line of the row in its file (qlonglong), any column
        FamilyRole,  ///< sensor family of a channel column (header and cells); empty elsewhere
    };

    /// The fixed columns before the channels; channel i is column kChannelColumn0 + i.
    enum FixedColumn { TimeColumn, DeviceColumn, StateColumn, kChannelColumn0 };

    explicit ImportPreviewModel(QObject* parent = nullptr);

    /// Replaces the preview (a full reset). `rows.channelCount` must equal `catalog.size()`.
    /// `withErrorCode` adds an "Error code" column, `withLabels` a "Label" column after the channels.
    void setPreview(const SensorCatalog& catalog, TelemetryBatch rows, bool withErrorCode, bool withLabels);
    /// Empties the preview (no rows, no columns).
    void clear();

    [[nodiscard]] const SensorCatalog& catalog() const { return catalog_; }
    [[nodiscard]] const TelemetryBatch& rows() const { return rows_; }
    /// Column of the error code, or -1 when not shown.
    [[nodiscard]] int errorCodeColumn() const;
    /// Column of the label, or -1 when not shown.
    [[nodiscard]] int labelColumn() const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    SensorCatalog catalog_;
    TelemetryBatch rows_;
    bool withErrorCode_ = false;
    bool withLabels_ = false;
};

}  // namespace itap
