// itap-console: the Qt Widgets operator console. Thin: options, then MainWindow (or a headless run).
#include "common/heap_tuning.h"
#include "itap_version.h"
#include "main_window.h"
#include "pipeline_controller.h"
#include "screenshot.h"
#include "settings_dialog.h"
#include "simulate_dialog.h"
#include "storage/store.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QIcon>
#include <QSettings>
#include <QSize>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

namespace {

struct ConsoleOptions {
    QString database;
    bool simulate = false;
    QString screenshotDir;
    QSize windowSize{1920, 1080};
    QString outDir;
    itap::SimulationSettings simulation;
};

void setIdentity() {
    QCoreApplication::setOrganizationName(QStringLiteral("ITAP"));
    QCoreApplication::setApplicationName(QStringLiteral("itap-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ITAP_VERSION " (git " ITAP_GIT_COMMIT ")"));
}

// The language follows the system locale; the "language" setting ("de", "en", …) overrides it.
// The .qm files are compiled from translations/*.ts and embedded under :/i18n.
void installTranslator(QCoreApplication& app) {
    const QString configured = QSettings().value(QStringLiteral("language")).toString();
    const QLocale locale = configured.isEmpty() ? QLocale::system() : QLocale(configured);
    auto* translator = new QTranslator(&app);
    if (translator->load(locale, QStringLiteral("itap"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(translator);
}

bool hasArgument(int argc, char* argv[], const char* name) {
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], name, std::strlen(name)) == 0)
            return true;  // also "--screenshots=DIR"
    return false;
}

// Without any display server Qt cannot open a window; run the pipeline like `itap run` instead.
bool noDisplay() {
#ifdef Q_OS_LINUX
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
           qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
#else
    return false;
#endif
}

QString tr(const char* text) {
    return QCoreApplication::translate("console_main", text);
}

// Parses the options; prints a usage error and returns nullopt on a bad value (--help and --version exit
// here).
std::optional<ConsoleOptions> parseOptions(const QCoreApplication& app) {
    QCommandLineParser p;
    p.setApplicationDescription(
        tr("ITAP operator console: simulate or open a telemetry database, then train, "
           "score, explain and alert.\nWithout a display (no DISPLAY, WAYLAND_DISPLAY or "
           "QT_QPA_PLATFORM) it runs the pipeline headless and prints the operator report."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("db"),
                 tr("Open this telemetry database (with --simulate: simulate into it)."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("simulate"), tr("Simulate the default fleet into a fresh database (default "
                                                "<app data>/fleet.db), then train and score it.")});
    p.addOption({QStringLiteral("devices"), tr("Simulated devices (1-9999)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("hours"), tr("Simulated hours (1-87840)."), QStringLiteral("H")});
    p.addOption({QStringLiteral("seed"), tr("Simulation seed."), QStringLiteral("K")});
    p.addOption({QStringLiteral("screenshots"),
                 tr("Simulate a small fleet offscreen, save every main view as "
                    "DIR/<view>.png and exit."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("window-size"),
                 tr("Screenshot mode: window size in pixels (default 1920x1080)."), QStringLiteral("WxH")});
    p.addOption({QStringLiteral("out"),
                 tr("Headless mode: directory for the artifacts (default <app data>/artifacts)."),
                 QStringLiteral("DIR")});
    p.process(app);

    ConsoleOptions o;
    o.database = p.value(QStringLiteral("db"));
    o.simulate = p.isSet(QStringLiteral("simulate"));
    o.screenshotDir = p.value(QStringLiteral("screenshots"));
    o.outDir = p.value(QStringLiteral("out"));
    o.simulation =
        o.screenshotDir.isEmpty() ? itap::SimulationSettings{} : itap::ScreenshotSession::defaultSettings();
    auto intOption = [&](const char* name, int lo, int hi, auto& target) {
        const QString key = QString::fromLatin1(name);
        if (!p.isSet(key))
            return true;
        bool ok = false;
        const qlonglong v = p.value(key).toLongLong(&ok);
        if (!ok || v < lo || v > hi) {
            std::fprintf(stderr, "itap-console: --%s must be an integer in %d..%d\n", name, lo, hi);
            return false;
        }
        target = static_cast<std::remove_reference_t<decltype(target)>>(v);
        return true;
    };
    if (p.isSet(QStringLiteral("window-size"))) {
        const QStringList parts = p.value(QStringLiteral("window-size")).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        const int w = parts.size() == 2 ? parts[0].toInt(&okW) : 0;
        const int h = parts.size() == 2 ? parts[1].toInt(&okH) : 0;
        if (!okW || !okH || w < 640 || h < 480 || w > 7680 || h > 4320) {
            std::fprintf(stderr, "itap-console: --window-size must be WxH, from 640x480 to 7680x4320\n");
            return std::nullopt;
        }
        o.windowSize = QSize(w, h);
    }
    if (!intOption("devices", 1, 9999, o.simulation.devices) ||
        !intOption("hours", 1, 87840, o.simulation.hours) ||
        !intOption("seed", 0, std::numeric_limits<int>::max(), o.simulation.seed))
        return std::nullopt;
    return o;
}

QString appDataDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
}

int runHeadless(const ConsoleOptions& o) {
    itap::PipelineRequest request;
    const QString out =
        o.outDir.isEmpty() ? QDir(appDataDir()).filePath(QStringLiteral("artifacts")) : o.outDir;
    if (!o.database.isEmpty() && !o.simulate) {
        request.source = itap::PipelineRequest::Source::Database;
        request.databasePath = o.database;
    } else {
        request.source = itap::PipelineRequest::Source::Simulate;
        request.databasePath =
            o.database.isEmpty() ? QDir(out).filePath(QStringLiteral("fleet.db")) : o.database;
        request.replaceDatabase = o.database.isEmpty();
        request.profile = o.simulation.toProfile(itap::SimulationProfile::defaults());
    }
    // The operator's Edit ▸ Settings apply here as to every run the window starts.
    const itap::ConsoleSettings settings = itap::ConsoleSettings::load(QSettings());
    if (const itap::Status applied = settings.applyTo(request); !applied) {
        std::fprintf(stderr, "itap-console: the settings cannot be applied: %s\n",
                     qPrintable(applied.error().toString()));
        return applied.error().exitCode();
    }
    if (const QStringList changed = settings.changedFromDefaults(); !changed.isEmpty())
        std::fprintf(stderr, "itap-console: settings: %s\n", qPrintable(changed.join(QStringLiteral(", "))));
    std::fprintf(stderr, "itap-console: no display; running the pipeline headless (database %s)\n",
                 qPrintable(itap::Store::isServerUrl(request.databasePath)
                                ? itap::Store::withoutPassword(request.databasePath)
                                : QDir::toNativeSeparators(request.databasePath)));
    QString lastStage;
    auto result = itap::runPipeline(request, [&lastStage](double, const QString& stage) {
        const QString name = stage.section(QStringLiteral(" — "), 0, 0);
        if (name != lastStage)
            std::fprintf(stderr, "  %s\n", qPrintable(name));
        lastStage = name;
        return true;
    });
    if (!result) {
        std::fprintf(stderr, "itap-console: %s\n", qPrintable(result.error().toString()));
        return result.error().exitCode();
    }
    auto written = itap::exportArtifacts(*result, result->scored.analysis, out);
    if (!written) {
        std::fprintf(stderr, "itap-console: %s\n", qPrintable(written.error().toString()));
        return written.error().exitCode();
    }
    std::printf("%s\n", qPrintable(itap::operatorReport(result->scored.fleet, result->scored.analysis)));
    std::printf("Artifacts written to %s\n", qPrintable(QDir::toNativeSeparators(QDir(out).absolutePath())));
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    itap::tuneHeapForLargeColumns();
    const bool screenshots = hasArgument(argc, argv, "--screenshots");
    if (screenshots && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (noDisplay()) {
        QCoreApplication app(argc, argv);
        setIdentity();
        installTranslator(app);
        const auto options = parseOptions(app);
        return options ? runHeadless(*options) : 2;
    }

    QApplication app(argc, argv);
    setIdentity();
    // The id of the installed desktop entry and icon (ITAP_APP_ID in the top-level CMakeLists.txt): it ties
    // the window to its desktop entry on Wayland; the themed icon is empty when running from the build tree.
    const QString appId = QStringLiteral(ITAP_APP_ID);
    QGuiApplication::setDesktopFileName(appId);
    QApplication::setWindowIcon(QIcon::fromTheme(appId));
    installTranslator(app);
    const auto options = parseOptions(app);
    if (!options)
        return 2;

    if (!options->screenshotDir.isEmpty()) {
        itap::ScreenshotSession session(options->screenshotDir, options->simulation);
        session.setWindowSize(options->windowSize);
        QObject::connect(
            &session, &itap::ScreenshotSession::done, &app, [](int code, const QString& message) {
                std::fprintf(code == 0 ? stdout : stderr, "itap-console: %s\n", qPrintable(message));
                QCoreApplication::exit(code);
            });
        // Started from the event loop so that an early failure's exit() is not lost before exec().
        QTimer::singleShot(0, &session, &itap::ScreenshotSession::start);
        return app.exec();
    }

    itap::MainWindow window;
    window.setBuildInfo(QStringLiteral(ITAP_VERSION), QStringLiteral(ITAP_GIT_COMMIT));
    window.show();
    if (options->simulate) {
        // The app's own default file is replaced by each --simulate; a file the user names is merged into
        // (ingest is idempotent, so the same seed adds nothing).
        const bool own = options->database.isEmpty();
        window.simulate(options->simulation,
                        own ? QDir(appDataDir()).filePath(QStringLiteral("fleet.db")) : options->database,
                        own);
    } else if (!options->database.isEmpty()) {
        window.openDatabase(options->database);
    } else {
        window.restoreLastDatabase();
    }
    return app.exec();
}
