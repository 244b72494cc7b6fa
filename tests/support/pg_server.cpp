#include "support/pg_server.h"

#include <QCollator>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

namespace itap::test {
namespace {

bool hasServerTools(const QString& dir) {
    for (const char* tool : {"initdb", "postgres"})
        if (!QFileInfo(dir + QLatin1Char('/') + QLatin1String(tool)).isExecutable())
            return false;
    return true;
}

QString findBinDir() {
    const QString fromEnv = qEnvironmentVariable("ITAP_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return hasServerTools(fromEnv) ? fromEnv : QString();
    // Debian keeps the server tools off PATH, one directory per major version: take the newest.
    QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator numeric;
    numeric.setNumericMode(true);
    std::sort(versions.begin(), versions.end(),
              [&](const QString& a, const QString& b) { return numeric.compare(a, b) > 0; });
    for (const QString& v : versions) {
        const QString dir = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(v);
        if (hasServerTools(dir))
            return dir;
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    if (!initdb.isEmpty() && hasServerTools(QFileInfo(initdb).absolutePath()))
        return QFileInfo(initdb).absolutePath();
    return {};
}

// A port nobody listens on right now. Another process may take it before the server binds it; start()
// then fails with the server's log, which is rare enough for tests.
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

QString randomPassword() {
    // Characters that need percent-encoding in a URL, so that the tests cover the decoding.
    static const char kChars[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    QString pw = QStringLiteral("pw-");
    for (int i = 0; i < 16; ++i)
        pw += QLatin1Char(kChars[QRandomGenerator::global()->bounded(int(sizeof kChars) - 1)]);
    return pw + QStringLiteral("/@:%");
}

}  // namespace

PgServer::PgServer() = default;

PgServer::~PgServer() {
    stop();
}

bool PgServer::fail(const QString& why) {
    reason_ = why;
    stop();
    return false;
}

void PgServer::prepareChild(QProcess& process) const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Server messages in English whatever the test machine's locale, so that logs read the same everywhere.
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C"));
    env.remove(QStringLiteral("PGDATA"));
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(dir_->path());
    const int uid = uid_;
    const int gid = gid_;
    // Runs in the child between fork and exec: only async-signal-safe calls.
    process.setChildProcessModifier([uid, gid] {
        if (uid >= 0) {
            if (::setgroups(0, nullptr) != 0 || ::setgid(static_cast<gid_t>(gid)) != 0 ||
                ::setuid(static_cast<uid_t>(uid)) != 0)
                ::_exit(126);
        }
        // After setuid, which clears it: fast shutdown when the thread that started the server dies.
        ::prctl(PR_SET_PDEATHSIG, SIGINT);
    });
}

bool PgServer::runTool(const QString& tool, const QStringList& args, QString* output) {
    QProcess p;
    prepareChild(p);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(binDir_ + QLatin1Char('/') + tool, args);
    const bool finished = p.waitForStarted(10'000) && p.waitForFinished(120'000);
    *output = QString::fromLocal8Bit(p.readAll()).trimmed();
    if (!finished) {
        p.kill();
        p.waitForFinished(5'000);
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool PgServer::start(const Options& options) {
    stop();
    reason_.clear();
    binDir_ = findBinDir();
    if (binDir_.isEmpty())
        return fail(QStringLiteral("PostgreSQL server binaries (initdb, postgres) not found in ITAP_PG_BINDIR, "
                                   "/usr/lib/postgresql/*/bin or PATH; install the postgresql package"));
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return fail(QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed (libqt6sql6-psql)"));

    if (::geteuid() == 0) {
        const passwd* nobody = ::getpwnam("nobody");
        if (nobody == nullptr)
            return fail(QStringLiteral("running as root and there is no user \"nobody\" to run the server as"));
        uid_ = static_cast<int>(nobody->pw_uid);
        gid_ = static_cast<int>(nobody->pw_gid);
    } else {
        uid_ = gid_ = -1;
    }

    dir_ = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/itap-pg-XXXXXX"));
    if (!dir_->isValid())
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(dir_->errorString()));
    const QString data = dir_->filePath(QStringLiteral("data"));
    const QString sockets = dir_->filePath(QStringLiteral("sockets"));
    const QString pwFile = dir_->filePath(QStringLiteral("pwfile"));
    password_ = randomPassword();
    {
        QFile f(pwFile);
        if (!f.open(QIODevice::WriteOnly) || f.write(password_.toUtf8()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(pwFile));
    }
    if (!QDir().mkpath(data) || !QDir().mkpath(sockets))
        return fail(QStringLiteral("cannot create directories in %1").arg(dir_->path()));
    // The server's own directories must belong to it, and PostgreSQL insists on 0700 for the data directory.
    QFile::setPermissions(data, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (uid_ >= 0) {
        // The temporary directory is 0700 root: let the server's user through (it holds nothing secret
        // besides the throwaway password).
        QFile::setPermissions(dir_->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                                QFile::ExeOther);
        for (const QString& path : {data, sockets, pwFile})
            if (::chown(QFile::encodeName(path).constData(), static_cast<uid_t>(uid_),
                        static_cast<gid_t>(gid_)) != 0)
                return fail(QStringLiteral("cannot hand %1 to user nobody").arg(path));
    }

    QString output;
    if (!runTool(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), data, QStringLiteral("-U"), user(), QStringLiteral("--pwfile=") + pwFile,
                  QStringLiteral("--auth=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                  QStringLiteral("--no-locale"), QStringLiteral("--no-sync")},
                 &output))
        return fail(QStringLiteral("initdb failed (%1): %2")
                        .arg(uid_ >= 0 ? QStringLiteral("as user nobody") : QStringLiteral("as ourselves"),
                             output.right(600)));
    QFile::remove(pwFile);

    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = freePort();
        if (port_ == 0)
            return fail(QStringLiteral("no free TCP port on 127.0.0.1"));
        QStringList args = {QStringLiteral("-D"), data, QStringLiteral("-h"), host(),
                            QStringLiteral("-p"), QString::number(port_), QStringLiteral("-k"), sockets,
                            QStringLiteral("-c"), QStringLiteral("max_connections=60")};
        if (!options.durable)
            args << QStringLiteral("-c") << QStringLiteral("fsync=off") << QStringLiteral("-c")
                 << QStringLiteral("synchronous_commit=off") << QStringLiteral("-c")
                 << QStringLiteral("full_page_writes=off");
        if (!options.sharedBuffers.isEmpty())
            args << QStringLiteral("-c") << QStringLiteral("shared_buffers=") + options.sharedBuffers;
        server_ = std::make_unique<QProcess>();
        prepareChild(*server_);
        server_->setStandardOutputFile(dir_->filePath(QStringLiteral("server.log")), QIODevice::Append);
        server_->setStandardErrorFile(dir_->filePath(QStringLiteral("server.log")), QIODevice::Append);
        server_->start(binDir_ + QStringLiteral("/postgres"), args);
        if (!server_->waitForStarted(10'000))
            return fail(QStringLiteral("cannot run %1/postgres: %2").arg(binDir_, server_->errorString()));
        if (waitUntilReady(30'000))
            return true;
        if (server_->state() == QProcess::Running)
            return fail(QStringLiteral("the server did not accept connections within 30 s: %1").arg(log()));
        // Exited: most likely the port was taken in between; try another.
        server_.reset();
    }
    return fail(QStringLiteral("the server did not start: %1").arg(log()));
}

bool PgServer::waitUntilReady(int timeoutMs) {
    static std::atomic<int> counter{0};
    adminConnection_ = QStringLiteral("pg-server-admin-%1").arg(counter.fetch_add(1));
    QDeadlineTimer deadline(timeoutMs);
    bool ready = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), adminConnection_);
        db.setHostName(host());
        db.setPort(port_);
        db.setUserName(user());
        db.setPassword(password_);
        db.setDatabaseName(QStringLiteral("postgres"));
        db.setConnectOptions(QStringLiteral("connect_timeout=2"));
        while (!deadline.hasExpired() && server_->state() == QProcess::Running) {
            if (db.open()) {
                ready = true;
                break;
            }
            QThread::msleep(100);
        }
    }
    if (!ready) {
        QSqlDatabase::removeDatabase(adminConnection_);
        adminConnection_.clear();
    }
    return ready;
}

bool PgServer::isRunning() const {
    return server_ && server_->state() == QProcess::Running;
}

bool PgServer::createDatabase(const QString& name) {
    static const QRegularExpression kName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!kName.match(name).hasMatch()) {
        reason_ = QStringLiteral("invalid database name \"%1\"").arg(name);
        return false;
    }
    if (adminConnection_.isEmpty()) {
        reason_ = QStringLiteral("the server is not running");
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(adminConnection_));
    if (!q.exec(QStringLiteral("CREATE DATABASE \"%1\" OWNER \"%2\"").arg(name, user()))) {
        reason_ = q.lastError().text();
        return false;
    }
    return true;
}

QString PgServer::url(const QString& database) const {
    // Concatenated, not arg(): the encoded password holds '%' sequences.
    return QStringLiteral("postgresql://") + user() + QLatin1Char(':') +
           QString::fromLatin1(QUrl::toPercentEncoding(password_)) + QLatin1Char('@') + host() +
           QLatin1Char(':') + QString::number(port_) + QLatin1Char('/') + database;
}

QString PgServer::urlWithoutPassword(const QString& database) const {
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user(), host()).arg(port_).arg(database);
}

QString PgServer::log() const {
    if (!dir_)
        return {};
    QFile f(dir_->filePath(QStringLiteral("server.log")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(f.readAll()).trimmed().right(1500);
}

void PgServer::stop() {
    if (!adminConnection_.isEmpty()) {
        {
            QSqlDatabase db = QSqlDatabase::database(adminConnection_, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(adminConnection_);
        adminConnection_.clear();
    }
    if (server_) {
        if (server_->state() == QProcess::Running) {
            // SIGINT is PostgreSQL's fast shutdown: disconnect clients, checkpoint, exit.
            ::kill(static_cast<pid_t>(server_->processId()), SIGINT);
            if (!server_->waitForFinished(30'000)) {
                server_->kill();
                server_->waitForFinished(5'000);
            }
        }
        server_.reset();
    }
    dir_.reset();
    port_ = 0;
}

}  // namespace itap::test
