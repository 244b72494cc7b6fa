#pragma once
// Runs the itap executable as a user would. The test target defines ITAP_CLI as the path of the itap binary
// (itap_add_cli_test in tests/app/CMakeLists.txt).

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QtGlobal>

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

}  // namespace itap::test
