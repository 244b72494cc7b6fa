// The session stages (trainModel, scoreWithModel): the model id that follows scores into the store and the
// artifacts, scoring a read-only store, and rules that do not fit the store's catalog.
#include "pipeline/session.h"
#include "common/json_util.h"
#include "pipeline/ingest_job.h"
#include "telemetry/fleet_simulator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <unistd.h>

using namespace itap;

namespace {

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

AnomalyModel train(Store& store, quint64 seed) {
    TrainConfig config;
    config.model.forest.seed = seed;
    auto trained = trainModel(store, config, {});
    if (!trained)
        qFatal("%s", qPrintable(trained.error().toString()));
    return std::move(trained->model);
}

}  // namespace

class SessionTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    std::unique_ptr<Store> store_;
    std::optional<AnomalyModel> a_, b_;  // the same data, seeds 42 and 7

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        SimulationProfile profile = SimulationProfile::defaults();
        profile.devices = 3;
        profile.hours = 2;
        const QString csv = dir_.filePath(QStringLiteral("fleet.csv"));
        QVERIFY(FleetSimulator(profile, SensorCatalog::defaults()).writeCsv(csv).ok());
        db_ = dir_.filePath(QStringLiteral("fleet.db"));
        const SensorCatalog catalog = SensorCatalog::defaults();
        auto store = Store::open(db_, &catalog);
        QVERIFY(store.ok());
        store_ = std::move(store).value();
        QVERIFY(ingestFile(csv, *store_, {}, {}).ok());
        a_ = train(*store_, 42);
        b_ = train(*store_, 7);
    }

    // The id is the model's content hash: another seed on the same data is another model; the same training
    // again is the same model; the operating threshold recorded later changes no score and so not the id.
    void modelIdIdentifiesTheModel() {
        const QString idA = a_->modelId(), idB = b_->modelId();
        QCOMPARE(idA.size(), AnomalyModel::kModelIdHexDigits);
        QVERIFY2(idA != idB, qPrintable(idA));
        QCOMPARE(train(*store_, 42).modelId(), idA);
        // The SHA-256 of the file train writes.
        const QString path = dir_.filePath(QStringLiteral("a.itapm"));
        QVERIFY(a_->save(path).ok());
        QCOMPARE(QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256).toHex().left(32),
                 idA.toLatin1());
        AnomalyModel withThreshold = *a_;
        withThreshold.setThreshold(0.61);
        QCOMPARE(withThreshold.modelId(), idA);
        QVERIFY(withThreshold.save(path).ok());
        auto loaded = AnomalyModel::load(path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->threshold(), 0.61);
        QCOMPARE(loaded->modelId(), idA);
    }

    // Scores carry the id of their model into the store and every artifact. Scoring with B without storing
    // (itap export) leaves A's stored scores and their id alone, and B's artifacts name B.
    void scoresCarryTheirModelId() {
        auto scoredA = scoreWithModel(*store_, *a_, AnalysisOptions{}, {});
        QVERIFY(scoredA.ok());
        QVERIFY(scoredA->scoresStored);
        QCOMPARE(scoredA->fleet.table.modelId, a_->modelId());
        QCOMPARE(*store_->scoresModelId(), a_->modelId());
        auto stored = store_->readScores();
        QVERIFY(stored.ok());
        QCOMPARE(stored->modelId, a_->modelId());
        QCOMPARE(stored->score, scoredA->fleet.table.score);

        auto scoredB = scoreWithModel(*store_, *b_, AnalysisOptions{}, {}, nullptr, StoreScores::Never);
        QVERIFY(scoredB.ok());
        QVERIFY(!scoredB->scoresStored);
        QCOMPARE(scoredB->fleet.table.modelId, b_->modelId());
        QVERIFY(scoredB->fleet.table.score != scoredA->fleet.table.score);
        QCOMPARE(*store_->scoresModelId(), a_->modelId());
        QCOMPARE(store_->readScores()->score, scoredA->fleet.table.score);

        QTemporaryDir out;
        auto written = writeArtifacts(out.path(), scoredB->fleet, scoredB->analysis, AnalysisOptions{});
        QVERIFY(written.ok());
        QCOMPARE(written->size(), artifactFileNames().size());
        for (const QString& path : *written) {
            auto j = parseJson(fileBytes(path), path);
            QVERIFY(j.ok());
            QVERIFY2(j->contains("model_id"), qPrintable(path));
            QCOMPARE(QString::fromStdString((*j)["model_id"].get<std::string>()), b_->modelId());
        }
        QCOMPARE(QString::fromStdString(scoreSummaryJson(*scoredB, *written)["model_id"].get<std::string>()),
                 b_->modelId());
    }

    // A read-only store is scored without storing: the result is complete and says so.
    void readOnlyStoreIsScoredWithoutStoring_data() {
        QTest::addColumn<QString>("spec");
        QTest::newRow("mode=ro") << QStringLiteral("file:%1?mode=ro");
        QTest::newRow("mode=ro&immutable=1") << QStringLiteral("file:%1?mode=ro&immutable=1");
    }
    void readOnlyStoreIsScoredWithoutStoring() {
        QFETCH(QString, spec);
        QVERIFY(store_->replaceScores(scoreWithModel(*store_, *a_, AnalysisOptions{}, {})->fleet.table).ok());
        // Closed, so that the WAL is checkpointed: an immutable database is one nobody writes.
        store_.reset();
        auto readOnly = Store::open(spec.arg(db_), nullptr);
        QVERIFY2(readOnly.ok(), readOnly.ok() ? "" : qPrintable(readOnly.error().toString()));
        QVERIFY((*readOnly)->isReadOnly());
        auto scored = scoreWithModel(**readOnly, *b_, AnalysisOptions{}, {});
        QVERIFY2(scored.ok(), scored.ok() ? "" : qPrintable(scored.error().toString()));
        QVERIFY(!scored->scoresStored);
        QCOMPARE(scored->fleet.table.modelId, b_->modelId());
        QCOMPARE(*(*readOnly)->scoresModelId(), a_->modelId());
        readOnly->reset();
        auto store = Store::open(db_, nullptr);
        QVERIFY(store.ok());
        store_ = std::move(store).value();
        QVERIFY(!store_->isReadOnly());
        QCOMPARE(*store_->scoresModelId(), a_->modelId());
    }

    // Alert rules naming a family that is neither in the store's catalog nor a pseudo-family are refused
    // before anything is scored, naming the rules file and the field.
    void rulesWithAnUnknownFamilyAreRefused() {
        nlohmann::json rules = AlertRules::defaults().toJson();
        rules["rules"][0]["families"] = {"Temprature"};
        auto parsed = AlertRules::fromJson(rules, QStringLiteral("rules.json"));
        QVERIFY(parsed.ok());
        AnalysisOptions options;
        options.rules = *parsed;
        auto scored = scoreWithModel(*store_, *a_, options, {});
        QVERIFY(!scored.ok());
        QCOMPARE(scored.error().kind, Error::Kind::BadInput);
        QCOMPARE(scored.error().file, QStringLiteral("rules.json"));
        QVERIFY2(
            scored.error().message.contains(QLatin1String(".families[0]: unknown family \"Temprature\"")),
            qPrintable(scored.error().message));
    }
};

QTEST_GUILESS_MAIN(SessionTest)
#include "session_test.moc"
