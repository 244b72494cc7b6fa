// itap-console with no display runs the pipeline headless, as `itap run` would, and takes the operator's
// saved Edit ▸ Settings like every run the window starts. The console's QSettings live under XDG_CONFIG_HOME,
// so each case gets its own.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs itap-console without DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM, with its settings in `config`.
Run headless(const QString& config, const QStringList& args) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* key : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(key));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ITAP_CONSOLE), args);
    if (!p.waitForFinished(300000))
        qFatal("itap-console %s did not finish", qPrintable(args.join(' ')));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// The console's settings file (organisation ITAP, application itap-console) under `config`.
QString settingsFile(const QString& config) {
    return QDir(config).filePath(QStringLiteral("ITAP/itap-console.conf"));
}

QJsonObject metrics(const QString& out) {
    QFile f(QDir(out).filePath(QStringLiteral("metrics.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class ConsoleHeadlessTest : public QObject {
    Q_OBJECT
private slots:
    void defaultsWithoutSettings() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        const Run r = headless(dir.filePath(QStringLiteral("config")),
                               {"--simulate", "--devices", "2", "--hours", "4", "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("running the pipeline headless"));
        QVERIFY(!r.err.contains("settings:"));
        QVERIFY(r.out.contains("Artifacts written to"));
        QVERIFY(metrics(out)[QStringLiteral("threshold_rule")].toString().startsWith(
            QStringLiteral("incident level")));
    }

    // The label-free rule chosen in Settings decides the threshold of the headless run (at incident level: the
    // alarm budget on the training span), and the run says which settings differ from the defaults.
    void savedSettingsApply() {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        {
            QSettings s(settingsFile(config), QSettings::IniFormat);
            s.setValue(QStringLiteral("pipeline/threshold_rule"), QStringLiteral("label_free"));
            s.setValue(QStringLiteral("pipeline/trees"), 40);
        }
        const QString out = dir.filePath(QStringLiteral("out"));
        const Run r = headless(config, {"--simulate", "--devices", "2", "--hours", "4", "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("settings:") && r.err.contains("40"), r.err.constData());
        const QJsonObject m = metrics(out);
        QVERIFY2(m[QStringLiteral("threshold_rule")].toString().startsWith(QStringLiteral("label-free alarm budget")),
                 qPrintable(m[QStringLiteral("threshold_rule")].toString()));
    }

    // A rules file that cannot be used stops the run with the core's error instead of running without it.
    void unusableSettingsStopTheRun() {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        const QString rules = dir.filePath(QStringLiteral("rules.json"));
        {
            QFile f(rules);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"rules\": [ {\"name\": ");
        }
        {
            QSettings s(settingsFile(config), QSettings::IniFormat);
            s.setValue(QStringLiteral("alerts/rules_file"), rules);
        }
        const QString out = dir.filePath(QStringLiteral("out"));
        const Run r = headless(config, {"--simulate", "--devices", "2", "--hours", "4", "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("settings cannot be applied") && r.err.contains("rules.json"),
                 r.err.constData());
        QVERIFY(!QFile::exists(QDir(out).filePath(QStringLiteral("metrics.json"))));
    }
};

QTEST_GUILESS_MAIN(ConsoleHeadlessTest)
#include "console_headless_test.moc"
