#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace itap::test {

/// A throwaway PostgreSQL server for tests and benchmarks: initdb into a temporary directory, a free TCP port
/// on 127.0.0.1, stopped (and its files removed) by stop() or the destructor.
///
/// The server binaries are looked up in ITAP_PG_BINDIR, then /usr/lib/postgresql/<newest>/bin, then PATH.
/// PostgreSQL refuses to run as root, so when the process is root the server runs as the user "nobody"
/// (the temporary directory is opened up for it). When anything is missing or the server does not come up,
/// start() returns false and reason() says why: callers skip, never pass.
///
/// Threading: start(), createDatabase() and stop() on the thread that called start() (the server is told to
/// stop when that thread dies, so a crashed test leaves no server behind).
class PgServer {
public:
    struct Options {
        /// false: fsync and synchronous_commit off, for fast tests; true: the server's durable defaults, for
        /// benchmarks that should reflect a real installation.
        bool durable = false;
        /// shared_buffers setting; empty keeps the server default (128MB).
        QString sharedBuffers;
    };

    PgServer();
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    /// Initialises and starts the server; false with reason() when it cannot.
    [[nodiscard]] bool start(const Options& options);
    [[nodiscard]] bool start() { return start(Options{}); }
    /// Stops the server (fast shutdown) and removes its files. Idempotent.
    void stop();

    [[nodiscard]] bool isRunning() const;
    /// Why start() or createDatabase() failed.
    [[nodiscard]] const QString& reason() const { return reason_; }

    /// Creates an empty database `name` (letters, digits, underscores) owned by user().
    [[nodiscard]] bool createDatabase(const QString& name);

    [[nodiscard]] QString host() const { return QStringLiteral("127.0.0.1"); }
    [[nodiscard]] int port() const { return port_; }
    /// The superuser created by initdb; password() is its password (password authentication is enforced).
    [[nodiscard]] QString user() const { return QStringLiteral("itap"); }
    [[nodiscard]] const QString& password() const { return password_; }
    /// "postgresql://itap:<password>@127.0.0.1:<port>/<database>".
    [[nodiscard]] QString url(const QString& database) const;
    /// The same URL without the password, as PostgresStore describes it.
    [[nodiscard]] QString urlWithoutPassword(const QString& database) const;
    /// The server's log, for failure messages.
    [[nodiscard]] QString log() const;

private:
    [[nodiscard]] bool fail(const QString& why);
    [[nodiscard]] bool runTool(const QString& tool, const QStringList& args, QString* output);
    void prepareChild(QProcess& process) const;
    [[nodiscard]] bool waitUntilReady(int timeoutMs);

    QString binDir_;
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<QProcess> server_;
    QString adminConnection_;
    QString password_;
    QString reason_;
    int port_ = 0;
    // The unprivileged account the server runs as when we are root; -1 = run as ourselves.
    int uid_ = -1;
    int gid_ = -1;
};

}  // namespace itap::test
