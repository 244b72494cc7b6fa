#include "storage/connection_watchdog.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <sys/socket.h>
#include <unistd.h>

using namespace itap;

namespace {

// A connected pair of sockets; the watchdog watches the first, the test plays the silent server on the
// second.
struct SocketPair {
    int fd[2] = {-1, -1};
    SocketPair() { (void)::socketpair(AF_UNIX, SOCK_STREAM, 0, fd); }
    ~SocketPair() {
        for (int f : fd)
            if (f >= 0)
                ::close(f);
    }
};

}  // namespace

// The client-side deadline of a database connection (PostgresStore's client_timeout): a call that hears
// nothing for the timeout gets its blocking read ended; an idle connection or a call that ended is left
// alone. store_pg_test covers a real server stopped mid-statement.
class ConnectionWatchdogTest : public QObject {
    Q_OBJECT

private slots:
    void silentCallIsCutOffAfterTheTimeout() {
        SocketPair pair;
        QVERIFY(pair.fd[0] >= 0);
        ConnectionWatchdog watchdog(pair.fd[0], 200);
        QVERIFY(watchdog.fd() >= 0);
        QVERIFY(watchdog.fd() != pair.fd[0]);  // its own descriptor
        QElapsedTimer clock;
        clock.start();
        watchdog.enter();
        char byte = 0;
        // Blocks like libpq waiting for an answer, until the watchdog shuts the socket down: end of file.
        const ssize_t n = ::recv(pair.fd[0], &byte, 1, 0);
        const qint64 elapsed = clock.elapsed();
        watchdog.leave();
        QCOMPARE(n, ssize_t(0));
        QVERIFY(watchdog.fired());
        QVERIFY2(elapsed >= 200 && elapsed < 1500, qPrintable(QString::number(elapsed)));
    }

    void idleConnectionAndFinishedCallsAreLeftAlone() {
        SocketPair pair;
        ConnectionWatchdog watchdog(pair.fd[0], 100);
        QThread::msleep(300);  // idle: no call
        QVERIFY(!watchdog.fired());
        for (int i = 0; i < 5; ++i) {  // calls shorter than the timeout, with idle time between them
            watchdog.enter();
            QThread::msleep(40);
            watchdog.leave();
            QThread::msleep(80);
        }
        QVERIFY(!watchdog.fired());
        // The socket still works.
        QCOMPARE(::send(pair.fd[1], "x", 1, 0), ssize_t(1));
        char byte = 0;
        QCOMPARE(::recv(pair.fd[0], &byte, 1, 0), ssize_t(1));
    }

    void noTimeoutNeverFires() {
        SocketPair pair;
        ConnectionWatchdog watchdog(pair.fd[0], 0);
        watchdog.enter();
        QThread::msleep(200);
        watchdog.leave();
        QVERIFY(!watchdog.fired());
    }
};

QTEST_GUILESS_MAIN(ConnectionWatchdogTest)
#include "connection_watchdog_test.moc"
