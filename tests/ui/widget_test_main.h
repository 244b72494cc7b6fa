#pragma once

// main() for the widget suites: offscreen unless the caller chose a platform, so they run without a display.
#include <QApplication>
#include <QtTest>

#define ITAP_UI_TEST_MAIN(TestClass)                                        \
    int main(int argc, char* argv[]) {                                      \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                 \
            qputenv("QT_QPA_PLATFORM", "offscreen");                        \
        QApplication app(argc, argv);                                       \
        QCoreApplication::setOrganizationName(QStringLiteral("ITAP-test")); \
        QCoreApplication::setApplicationName(QStringLiteral(#TestClass));   \
        QStandardPaths::setTestModeEnabled(true);                           \
        TestClass test;                                                     \
        return QTest::qExec(&test, argc, argv);                             \
    }
