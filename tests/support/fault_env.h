#pragma once
// Fault environments for tests: a tiny file system that fills up, a read-only directory that stays read-only
// for root, an immutable file, a database checked by SQLite itself, and a directory tree to compare before
// and after.
//
// Root ignores file modes, and the suites run as root in CI, so a chmod'ed directory proves nothing there.
// ScopedMount makes the fault real for root (a tmpfs of a few KiB, a read-only bind mount: the kernel answers
// ENOSPC / EROFS whoever asks); without the privilege to mount it reports why, and the test skips with that
// reason.

#include "storage/store.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <atomic>
#include <optional>

#include <unistd.h>

namespace itap::test {

/// True when the test runs as root (file modes do not stop it).
inline bool runningAsRoot() {
    return ::geteuid() == 0;
}

/// A file system mounted over `path` for the lifetime of the object (root only). `error()` says why not.
class ScopedMount {
public:
    /// A tmpfs of `sizeBytes` at `path` (an existing, empty directory): writes beyond it fail with ENOSPC.
    static ScopedMount tinyTmpfs(const QString& path, qint64 sizeBytes) {
        ScopedMount m(path);
        m.run({QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
               QStringLiteral("size=%1").arg(sizeBytes), QStringLiteral("tmpfs"), path});
        return m;
    }
    /// `path` bound onto itself read-only: its files stay readable, every write fails with EROFS.
    static ScopedMount readOnly(const QString& path) {
        ScopedMount m(path);
        if (m.run({QStringLiteral("--bind"), path, path}))
            m.run({QStringLiteral("-o"), QStringLiteral("remount,ro,bind"), path});
        return m;
    }

    ScopedMount(ScopedMount&& other) noexcept
        : path_(std::move(other.path_)), error_(std::move(other.error_)), mounted_(other.mounted_) {
        other.mounted_ = 0;
    }
    ScopedMount(const ScopedMount&) = delete;
    ScopedMount& operator=(const ScopedMount&) = delete;
    ScopedMount& operator=(ScopedMount&&) = delete;
    ~ScopedMount() { unmount(); }

    [[nodiscard]] bool ok() const { return error_.isEmpty(); }
    [[nodiscard]] const QString& error() const { return error_; }

    /// Unmounts now (every layer this object mounted).
    void unmount() {
        for (; mounted_ > 0; --mounted_)
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), path_});
    }

private:
    explicit ScopedMount(QString path) : path_(std::move(path)) {
        if (!runningAsRoot())
            error_ = QStringLiteral("mounting needs root (running as uid %1)").arg(::geteuid());
    }
    bool run(const QStringList& args) {
        if (!error_.isEmpty())
            return false;
        QProcess p;
        p.start(QStringLiteral("mount"), args);
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            error_ = QStringLiteral("mount %1 failed: %2")
                         .arg(args.join(QLatin1Char(' ')),
                              QString::fromLocal8Bit(p.readAllStandardError()).trimmed() + p.errorString());
            unmount();
            return false;
        }
        // A remount changes the existing layer rather than adding one.
        if (args.first() != QLatin1String("-o"))
            ++mounted_;
        return true;
    }

    QString path_;
    QString error_;
    int mounted_ = 0;
};

/// `dir` read-only for whoever runs the test, until the object goes: a read-only bind mount as root, mode
/// 0500 otherwise (0700 again on destruction). `skipReason()` is set when the mount is refused; `ok()` says
/// whether the directory is read-only now.
class ScopedReadOnlyDir {
public:
    explicit ScopedReadOnlyDir(QString dir) : dir_(std::move(dir)) {
        if (runningAsRoot())
            mount_.emplace(ScopedMount::readOnly(dir_));
        else
            chmodded_ = QFile::setPermissions(dir_, QFile::ReadOwner | QFile::ExeOwner);
    }
    ScopedReadOnlyDir(const ScopedReadOnlyDir&) = delete;
    ScopedReadOnlyDir& operator=(const ScopedReadOnlyDir&) = delete;
    ~ScopedReadOnlyDir() {
        if (chmodded_)
            QFile::setPermissions(dir_, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    [[nodiscard]] bool ok() const { return mount_ ? mount_->ok() : chmodded_; }
    [[nodiscard]] QString skipReason() const { return mount_ ? mount_->error() : QString(); }

private:
    QString dir_;
    std::optional<ScopedMount> mount_;
    bool chmodded_ = false;
};

/// `chattr +i` on `path` for the lifetime of the object (root only): every write fails with EPERM, even for
/// root. `ok()` is false when chattr refused (not root, or a file system without the attribute).
class ScopedImmutable {
public:
    explicit ScopedImmutable(QString path) : path_(std::move(path)) {
        set_ = runningAsRoot() &&
               QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), path_}) == 0;
    }
    ScopedImmutable(const ScopedImmutable&) = delete;
    ScopedImmutable& operator=(const ScopedImmutable&) = delete;
    ~ScopedImmutable() {
        if (set_)
            QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), path_});
    }

    [[nodiscard]] bool ok() const { return set_; }

private:
    QString path_;
    bool set_ = false;
};

/// Writes 4 KiB blocks to a new file at `path` until the file system refuses one. False when the file cannot
/// be created.
inline bool fillUp(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const QByteArray block(4096, 'x');
    while (f.write(block) == block.size() && f.flush()) {
    }
    return true;
}

/// Every file and directory below `dir`, relative to it, sorted ("a", "a/b.json", ...).
inline QStringList treeOf(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

/// `tree` (from treeOf) without SQLite's own WAL files: "x-wal" and "x-shm" where "x" is in the tree too.
inline QStringList withoutSqliteSidecars(QStringList tree) {
    const QStringList all = tree;
    tree.removeIf([&all](const QString& p) {
        return (p.endsWith(QLatin1String("-wal")) || p.endsWith(QLatin1String("-shm"))) &&
               all.contains(p.chopped(4));
    });
    return tree;
}

/// The file's bytes; empty when it cannot be read.
inline QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Rows stored in the database at `path` (Store::rowCount); a database that does not open aborts the test.
inline qint64 storedRows(const QString& path) {
    auto store = Store::open(path, nullptr);
    if (!store)
        qFatal("%s", qPrintable(store.error().toString()));
    return *(*store)->rowCount();
}

/// A private QSQLITE connection to `path`, closed and removed with the object. Opens read-write so that a
/// WAL left by a killed writer is recovered, as the next real user of the file would.
class SqliteProbe {
public:
    explicit SqliteProbe(const QString& path, bool readOnly = false) {
        static std::atomic<int> counter{0};
        name_ = QStringLiteral("itap-test-probe-%1").arg(counter.fetch_add(1));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name_);
        db.setDatabaseName(path);
        if (readOnly)
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            error_ = db.lastError().text();
    }
    ~SqliteProbe() {
        {
            QSqlDatabase db = QSqlDatabase::database(name_, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name_);
    }
    SqliteProbe(const SqliteProbe&) = delete;
    SqliteProbe& operator=(const SqliteProbe&) = delete;

    [[nodiscard]] bool ok() const { return error_.isEmpty(); }
    [[nodiscard]] const QString& error() const { return error_; }
    [[nodiscard]] QSqlDatabase database() const { return QSqlDatabase::database(name_, false); }

    /// Every row of `sql`'s first column as text; on failure a single "ERROR: ..." entry.
    [[nodiscard]] QStringList column(const QString& sql) const {
        QSqlQuery q(database());
        if (!q.exec(sql))
            return {QStringLiteral("ERROR: ") + q.lastError().text()};
        QStringList out;
        while (q.next()) out << q.value(0).toString();
        return out;
    }
    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`: "ok" when both find nothing.
    [[nodiscard]] QString integrity() const {
        const QStringList check = column(QStringLiteral("PRAGMA integrity_check"));
        if (check != QStringList{QStringLiteral("ok")})
            return check.join(QLatin1Char('\n'));
        const QStringList keys = column(QStringLiteral("PRAGMA foreign_key_check"));
        if (!keys.isEmpty())
            return QStringLiteral("foreign_key_check: ") + keys.join(QLatin1Char('\n'));
        return QStringLiteral("ok");
    }

private:
    QString name_;
    QString error_;
};

}  // namespace itap::test
