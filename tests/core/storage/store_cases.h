#pragma once

#include <QObject>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <map>

namespace itap::test {

/// The store test cases every backend must pass, written against Store only. A backend's suite derives from
/// this, says how to name a fresh database and how to look inside one, and adds its own cases; Qt Test runs
/// the private slots of the base class as well.
class StoreCases : public QObject {
    Q_OBJECT

protected:
    /// Called from init(): false (with `reason`) skips the test, e.g. when no server could be started.
    [[nodiscard]] virtual bool backendReady(QString* reason) = 0;
    /// The Store::open() spec of database `name` of the current test: the same name gives the same database
    /// within one test, and every test (and data row) starts with no databases. Creates nothing that a
    /// Store would see as a schema.
    [[nodiscard]] virtual QString spec(const QString& name) = 0;
    /// What Error::file and Store::description() say for `spec`.
    [[nodiscard]] virtual QString location(const QString& spec) const = 0;
    [[nodiscard]] virtual QString description(const QString& spec) const = 0;
    /// Runs `fn` with a private QtSql connection to `spec`, removed afterwards.
    virtual void withConnection(const QString& spec, const std::function<void(QSqlDatabase&)>& fn) = 0;
    /// True when a failed open left nothing behind: no file, or no table in the database.
    [[nodiscard]] virtual bool isUntouched(const QString& spec) = 0;

    /// The current test's number, for backends that name databases after it.
    [[nodiscard]] int testIndex() const { return testIndex_; }

    /// Connections a Store owns (named "itap-..."); a test must end with none.
    [[nodiscard]] static int ownConnections();

    /// For withConnection(): runs `fn` with a private connection of `driver`, configured by `setUp`, opened
    /// here and removed afterwards.
    static void withPrivateConnection(const QString& driver, const std::function<void(QSqlDatabase&)>& setUp,
                                      const std::function<void(QSqlDatabase&)>& fn);

private slots:
    void init();
    void cleanup();

    void createsVersionedSchema();
    void roundTripsRows_data();
    void roundTripsRows();
    void secondInsertSkipsDuplicates_data();
    void secondInsertSkipsDuplicates();
    void overlappingBatchInsertsOnlyNewRows();
    void duplicateInsideOneBatchKeepsTheFirst();
    void correctedRowIsAConflictNotADuplicate_data();
    void correctedRowIsAConflictNotADuplicate();
    void failedBatchLeavesTableUnchanged_data();
    void failedBatchLeavesTableUnchanged();
    void stageRollsBackOrCommitsAsAWhole();
    void rejectsMalformedBatches();
    void recordsIngestRuns();
    void reopenKeepsDataAndCatalog();
    void differentCatalogIsAnError();
    void rejectsReservedChannelNames();
    void readsTimeRanges_data();
    void readsTimeRanges();
    void rejectsInvertedRangeAndReadsUnknownDeviceEmpty();
    void tracksLabels();
    void scoresRoundTrip();
    void missingDatabaseNeedsACatalog();
    void foreignDatabase();
    void twoStoresShareOneDatabase();
    void removesItsConnections();

    // The alarm journal (schema version 2).
    void journalMigratesFromVersion1();
    void journalRoundTripsAlarmsAndRows();
    void journalRefusesWhatItCannotRead();
    void journalActionIsAllOrNothing();
    void concurrentAcknowledgementsBothSucceed();
    void journalChangeIsSeenByAnotherConnection();

    // Operating-threshold changes (schema version 3).
    void thresholdChangesMigrateFromVersion2();
    void thresholdChangesRoundTrip();
    void thresholdChangeRefusesBadInput_data();
    void thresholdChangeRefusesBadInput();

private:
    int testIndex_ = 0;
};

}  // namespace itap::test
