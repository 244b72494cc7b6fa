#include "screenshot.h"

#include "ui/widget_test_main.h"

#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace itap;

class ScreenshotTest : public QObject {
    Q_OBJECT

private slots:
    void writesEveryView() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SimulationSettings settings = ScreenshotSession::defaultSettings();
        settings.devices = 3;
        settings.hours = 6;
        ScreenshotSession session(dir.filePath(QStringLiteral("shots")), settings);
        QSignalSpy done(&session, &ScreenshotSession::done);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 180'000);
        QVERIFY2(done.first().at(0).toInt() == 0, qPrintable(done.first().at(1).toString()));
        for (const char* name : {"fleet_overview", "device", "evaluation", "alerts", "leaderboard",
                                 "main_window", "simulate_dialog", "import_dialog", "live"}) {
            const QString path = dir.filePath(QStringLiteral("shots/%1.png").arg(QString::fromLatin1(name)));
            QVERIFY2(session.written().contains(path), qPrintable(path));
            QVERIFY2(QFileInfo(path).size() > 0, qPrintable(path));
            const QImage image(path);
            QVERIFY2(!image.isNull() && image.width() > 100 && image.height() > 100, qPrintable(path));
        }
    }

    void reportsAnUnwritableDirectory() {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        ScreenshotSession session(dir.filePath(QStringLiteral("file/shots")),
                                  ScreenshotSession::defaultSettings());
        QSignalSpy done(&session, &ScreenshotSession::done);
        session.start();
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.first().at(0).toInt(), 1);
    }
};

ITAP_UI_TEST_MAIN(ScreenshotTest)
#include "screenshot_test.moc"
