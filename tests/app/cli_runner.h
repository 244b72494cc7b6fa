#pragma once
// Runs the itap executable as a user would. The test target defines ITAP_CLI as the path of the itap binary
// (itap_add_cli_test in tests/app/CMakeLists.txt).

#include <QByteArray>
#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>
#include <QtGlobal>

#include <csignal>
#include <cstdlib>

#include <fcntl.h>
#include <unistd.h>

namespace itap::test {

/// What one run of itap left behind.
struct Run {
    int exitCode = -1;  ///< -1 when the process crashed
    QByteArray out;
    QByteArray err;
};

/// Runs `itap args…` to completion (at most 5 minutes, else the test aborts).
inline Run itapCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(ITAP_CLI), args);
    if (!p.waitForFinished(300000))
        qFatal("itap %s did not finish", qPrintable(args.join(' ')));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

/// A run of itap that was sent SIGINT.
struct InterruptedRun {
    bool sawMarker = false;  ///< the progress showed the marker, and SIGINT was sent then
    int exitCode = -1;       ///< -1 when the process crashed or had to be killed
    QByteArray out;
    QByteArray err;  ///< what it wrote to the terminal: the progress bar and its messages
};

/// Runs `itap args…` with its standard error on a pseudo-terminal, so that it draws its progress bar as it
/// does for a user, and sends SIGINT once that shows `marker` (e.g. "% score"), as Ctrl-C would. Waits at
/// most `timeoutMs` in all, then kills it.
inline InterruptedRun itapInterrupted(const QStringList& args, const QByteArray& marker,
                                      int timeoutMs = 180000) {
    InterruptedRun r;
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
        qFatal("no pseudo-terminal");
    const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    if (slave < 0)
        qFatal("cannot open the pseudo-terminal");
    ::fcntl(master, F_SETFL, O_NONBLOCK);
    QProcess p;
    p.setChildProcessModifier([slave] { ::dup2(slave, STDERR_FILENO); });
    p.start(QStringLiteral(ITAP_CLI), args);
    const bool started = p.waitForStarted();
    ::close(slave);
    const auto drain = [&] {
        char buf[4096];
        ssize_t n = 0;
        while ((n = ::read(master, buf, sizeof buf)) > 0) r.err.append(buf, static_cast<qsizetype>(n));
    };
    QElapsedTimer clock;
    clock.start();
    while (started && p.state() != QProcess::NotRunning && clock.elapsed() < timeoutMs) {
        drain();
        if (!r.sawMarker && r.err.contains(marker)) {
            r.sawMarker = true;
            ::kill(pid_t(p.processId()), SIGINT);
        }
        p.waitForFinished(20);
    }
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    drain();
    ::close(master);
    r.exitCode = p.exitStatus() == QProcess::NormalExit && clock.elapsed() < timeoutMs ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    return r;
}

}  // namespace itap::test
