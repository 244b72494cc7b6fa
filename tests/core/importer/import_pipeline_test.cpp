#include "importer/import_mapping.h"
#include "importer/importer.h"
#include "pipeline/session.h"
#include "storage/store.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace itap;

namespace {

QString example(const char* relative) { return QStringLiteral(ITAP_SOURCE_DIR "/data/import/") + QLatin1String(relative); }

}  // namespace

/// Import -> train -> score on the shipped example datasets, through the same core calls as the CLI.
class ImportPipelineTest : public QObject {
    Q_OBJECT
private slots:
    void testRigWithLabelsGetsMetrics() {
        QTemporaryDir dir;
        auto mapping = ImportMapping::load(example("testrig.mapping.json"));
        QVERIFY2(mapping.ok(), mapping.ok() ? "" : qPrintable(mapping.error().toString()));
        const Importer importer(*mapping);
        auto store = Store::open(dir.filePath(QStringLiteral("rig.db")), &importer.catalog());
        QVERIFY(store.ok());
        const QStringList files{example("testrig/rig_log.csv")};
        auto first = importer.importInto(**store, files, ImportOptions{});
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
        QCOMPARE(first->inserted(), qint64(2400));
        QCOMPARE(first->unmappedColumns(), QStringList{QStringLiteral("operator_note")});
        auto again = importer.importInto(**store, files, ImportOptions{});
        QVERIFY(again.ok());
        QCOMPARE(again->inserted(), qint64(0));  // idempotent
        QCOMPARE(again->skippedDuplicates(), qint64(2400));
        QCOMPARE(*(*store)->hasLabels(), true);
        QCOMPARE((*store)->ingestRuns()->size(), std::size_t(2));

        auto trained = trainModel(**store, TrainConfig{}, {});
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().toString()));
        auto scored = scoreWithModel(**store, std::move(trained->model), AnalysisOptions{}, {}, &trained->fleet);
        QVERIFY2(scored.ok(), scored.ok() ? "" : qPrintable(scored.error().toString()));
        const Metrics& m = scored->analysis.metrics;
        QVERIFY(m.groundTruth);
        QVERIFY(m.rocAuc.has_value());
        QVERIFY2(*m.rocAuc > 0.8, qPrintable(QString::number(*m.rocAuc)));
        for (const auto& row : scored->fleet.table.score) QVERIFY(std::isfinite(row));
    }

    void historianWithoutLabelsSaysNoGroundTruth() {
        QTemporaryDir dir;
        auto mapping = ImportMapping::load(example("historian.mapping.json"));
        QVERIFY2(mapping.ok(), mapping.ok() ? "" : qPrintable(mapping.error().toString()));
        const Importer importer(*mapping);
        QCOMPARE(importer.catalog().families(),
                 (QStringList{QStringLiteral("Pressure"), QStringLiteral("Flow"), QStringLiteral("Temperature")}));
        auto store = Store::open(dir.filePath(QStringLiteral("hist.db")), &importer.catalog());
        QVERIFY(store.ok());
        const QDir data(example("historian"));
        QStringList files;
        for (const QString& f : data.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name)) files << data.filePath(f);
        QCOMPARE(files.size(), 2);
        auto imported = importer.importInto(**store, files, ImportOptions{});
        QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().toString()));
        QCOMPARE(imported->rowsRejected(), qint64(4));  // the planted duplicate and backward rows
        QCOMPARE(*(*store)->devices(), (QStringList{QStringLiteral("pump-A"), QStringLiteral("pump-B")}));
        QCOMPARE(*(*store)->hasLabels(), false);

        auto trained = trainModel(**store, TrainConfig{}, {});
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().toString()));
        // The constant set-point channel must not turn into NaN anywhere.
        for (const auto& fm : trained->fleet.perDevice)
            for (float v : fm.data) QVERIFY(std::isfinite(v));
        auto scored = scoreWithModel(**store, std::move(trained->model), AnalysisOptions{}, {}, &trained->fleet);
        QVERIFY2(scored.ok(), scored.ok() ? "" : qPrintable(scored.error().toString()));
        QVERIFY(!scored->analysis.metrics.groundTruth);
        QVERIFY(!scored->analysis.flagged.empty());
        // The cavitating pump is the one that stands out.
        std::size_t flaggedB = 0;
        for (std::size_t r : scored->analysis.flagged)
            flaggedB += scored->fleet.table.devices[scored->fleet.table.device[r]] == QLatin1String("pump-B");
        QVERIFY2(flaggedB * 2 > scored->analysis.flagged.size(), qPrintable(QString::number(flaggedB)));
    }
};

QTEST_GUILESS_MAIN(ImportPipelineTest)
#include "import_pipeline_test.moc"
