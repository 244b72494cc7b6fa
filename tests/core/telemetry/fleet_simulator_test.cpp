#include "telemetry/fleet_simulator.h"
#include "common/sensor_catalog.h"
#include "common/telemetry.h"
#include "common/time_util.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

using namespace itap;

namespace {

// A generated fleet, regrouped per device for the physics checks.
struct Fleet {
    SimulationSummary summary;
    QMap<QString, DeviceSeries> devices;
    std::vector<QString> rowDevice;  // every row's device id, in output order
    std::vector<qint64> rowTs;       // every row's timestamp, in output order
};

Fleet simulate(const SimulationProfile& profile, const SensorCatalog& catalog = SensorCatalog::defaults()) {
    Fleet fleet;
    const FleetSimulator sim(profile, catalog);
    auto summary = sim.generate([&](const TelemetryBatch& b) -> Status {
        for (std::size_t r = 0; r < b.rowCount(); ++r) {
            DeviceSeries& s = fleet.devices[b.deviceId[r]];
            if (s.channels.empty()) {
                s.deviceId = b.deviceId[r];
                s.channels.resize(std::size_t(b.channelCount));
            }
            s.tsMs.push_back(b.tsMs[r]);
            s.state.push_back(b.state[r]);
            for (int c = 0; c < b.channelCount; ++c) s.channels[std::size_t(c)].push_back(b.value(r, c));
            s.errorCode.push_back(b.errorCode[r]);
            s.faultTag.push_back(b.faultTag[r]);
            fleet.rowDevice.push_back(b.deviceId[r]);
            fleet.rowTs.push_back(b.tsMs[r]);
        }
        return {};
    });
    if (!summary)
        qFatal("simulation failed: %s", qPrintable(summary.error().toString()));
    fleet.summary = std::move(summary).value();
    return fleet;
}

// Small default-physics fleet with every fault type frequent enough to appear several times.
SimulationProfile faultyProfile() {
    SimulationProfile p;
    p.devices = 12;
    p.hours = 48;
    p.overheat.episode.ratePerDay = 2;
    p.bearingWear.episode.ratePerDay = 1;
    p.powerSpike.episode.ratePerDay = 3;
    p.sensorDropout.episode.ratePerDay = 2;
    return p;
}

// The series of one device, by reference (QMap's const operator[] returns a temporary copy).
const DeviceSeries& seriesOf(const Fleet& fleet, const QString& device) {
    const auto it = fleet.devices.constFind(device);
    if (it == fleet.devices.constEnd())
        qFatal("no device %s", qPrintable(device));
    return *it;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Row range [first, last] of an episode in its device's series (series are gap-free from the start).
std::pair<std::size_t, std::size_t> rowsOf(const SimulatedEpisode& e, const DeviceSeries& s, qint64 stepMs) {
    const auto first = std::size_t((e.startMs - s.tsMs.front()) / stepMs);
    const auto last = std::size_t((e.endMs - s.tsMs.front()) / stepMs);
    return {first, last};
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t to) {  // [from, to)
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += v[i];
    return sum / double(to - from);
}

// Equal including missing cells (NaN != NaN, but a dropout reproduces the same NaN bits).
bool sameValues(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

class FleetSimulatorTest : public QObject {
    Q_OBJECT

private:
    SensorCatalog catalog_ = SensorCatalog::defaults();
    Fleet faulty_;
    qint64 stepMs_ = 0;

    [[nodiscard]] int channelOf(const QString& family) const {
        return catalog_.channelsOfFamily(family).front();
    }

private slots:
    void initTestCase() {
        faulty_ = simulate(faultyProfile());
        stepMs_ = qint64(faultyProfile().intervalS) * 1000;
    }

    void sameSeedSameBytes() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SimulationProfile p;
        p.devices = 6;
        p.hours = 12;
        const FleetSimulator sim(p, catalog_);
        auto a = sim.writeCsv(dir.filePath("a.csv"));
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().toString()));
        // A second simulator object, so no state can leak between the runs.
        auto b = FleetSimulator(p, catalog_).writeCsv(dir.filePath("b.csv"));
        QVERIFY(b.ok());
        const QByteArray bytesA = readAll(dir.filePath("a.csv"));
        QVERIFY(bytesA.size() > 1000);
        QCOMPARE(readAll(dir.filePath("b.csv")), bytesA);
        QVERIFY(b->toJson() == a->toJson());
    }

    void differentSeedDifferentBytes() {
        QTemporaryDir dir;
        SimulationProfile p;
        p.devices = 4;
        p.hours = 6;
        QVERIFY(FleetSimulator(p, catalog_).writeCsv(dir.filePath("a.csv")).ok());
        p.seed = 43;
        QVERIFY(FleetSimulator(p, catalog_).writeCsv(dir.filePath("b.csv")).ok());
        const QByteArray a = readAll(dir.filePath("a.csv"));
        const QByteArray b = readAll(dir.filePath("b.csv"));
        QCOMPARE(a.count('\n'), b.count('\n'));
        QVERIFY(a != b);
        // Not just a few cells: most rows differ.
        const QList<QByteArray> la = a.split('\n');
        const QList<QByteArray> lb = b.split('\n');
        qsizetype same = 0;
        for (qsizetype i = 1; i < la.size(); ++i) same += la[i] == lb[i] ? 1 : 0;
        QVERIFY2(same < la.size() / 10, qPrintable(QString::number(same)));
    }

    void devicesDoNotDependOnFleetSize() {
        // Per-device random streams: device 3 is the same machine in a fleet of 3 or of 12.
        SimulationProfile p = faultyProfile();
        p.devices = 3;
        const Fleet small = simulate(p);
        const DeviceSeries& a = seriesOf(small, QStringLiteral("DEV-0003"));
        const DeviceSeries& b = seriesOf(faulty_, QStringLiteral("DEV-0003"));
        QCOMPARE(a.size(), b.size());
        for (std::size_t c = 0; c < a.channels.size(); ++c) QVERIFY(sameValues(a.channels[c], b.channels[c]));
        QVERIFY(a.faultTag == b.faultTag);
    }

    void rowsOrderedByTimeThenDevice() {
        const SimulationProfile p = faultyProfile();
        QCOMPARE(qint64(faulty_.rowTs.size()), qint64(p.devices) * p.samplesPerDevice());
        QCOMPARE(faulty_.summary.rows, qint64(faulty_.rowTs.size()));
        QCOMPARE(faulty_.devices.size(), p.devices);
        QVERIFY(faulty_.devices.contains(QStringLiteral("DEV-0001")));
        QVERIFY(faulty_.devices.contains(QStringLiteral("DEV-0012")));
        for (std::size_t i = 1; i < faulty_.rowTs.size(); ++i) {
            const bool ordered =
                faulty_.rowTs[i - 1] < faulty_.rowTs[i] ||
                (faulty_.rowTs[i - 1] == faulty_.rowTs[i] && faulty_.rowDevice[i - 1] < faulty_.rowDevice[i]);
            if (!ordered)
                QFAIL(qPrintable(QStringLiteral("row %1 out of order").arg(i)));
        }
        QCOMPARE(faulty_.rowTs.front(), p.startMs);
        QCOMPARE(faulty_.summary.startMs, p.startMs);
        QCOMPARE(faulty_.summary.endMs, faulty_.rowTs.back());
    }

    void timestampsStrictlyIncreasingPerDevice() {
        for (const DeviceSeries& s : faulty_.devices) {
            for (std::size_t i = 1; i < s.size(); ++i)
                if (s.tsMs[i] <= s.tsMs[i - 1])
                    QFAIL(qPrintable(s.deviceId + QStringLiteral(": time goes back")));
        }
    }

    void valuesWithinCatalogRange() {
        for (const DeviceSeries& s : faulty_.devices) {
            for (int c = 0; c < catalog_.size(); ++c) {
                const ChannelSpec& spec = catalog_.channel(c);
                for (std::size_t i = 0; i < s.size(); ++i) {
                    const double v = s.channels[std::size_t(c)][i];
                    if (isMissing(v)) {
                        // Only a dropout may leave a cell empty.
                        QCOMPARE(s.faultTag[i], fault::kSensorDropout);
                        continue;
                    }
                    if (v < spec.min || v > spec.max)
                        QFAIL(qPrintable(QStringLiteral("%1 %2 = %3").arg(s.deviceId, spec.name).arg(v)));
                }
            }
        }
    }

    void statesValidAndRunDominant() {
        qint64 counts[kOpStateCount] = {};
        qint64 transitions = 0;
        for (const DeviceSeries& s : faulty_.devices) {
            for (std::size_t i = 0; i < s.size(); ++i) {
                const int st = int(s.state[i]);
                QVERIFY(st >= 0 && st < kOpStateCount);
                ++counts[st];
                if (i > 0 && s.state[i] != s.state[i - 1])
                    ++transitions;
            }
        }
        const double total = double(counts[0] + counts[1] + counts[2]);
        const double run = double(counts[int(OpState::Run)]) / total;
        const double maint = double(counts[int(OpState::Maint)]) / total;
        QVERIFY2(run > 0.75 && run < 0.99, qPrintable(QString::number(run)));
        QVERIFY(counts[int(OpState::Idle)] > 0);
        QVERIFY2(maint < 0.05, qPrintable(QString::number(maint)));
        // Long periods: a 48 h day-shift machine changes state a handful of times, not every few samples.
        const double perDeviceDay = double(transitions) / faulty_.devices.size() / 2.0;
        QVERIFY2(perDeviceDay > 1 && perDeviceDay < 30, qPrintable(QString::number(perDeviceDay)));
    }

    void physicsCoupled() {
        // Current follows load (state) and speed follows the state setpoint.
        const int cur = channelOf(QStringLiteral("Current"));
        const int rpm = channelOf(QStringLiteral("RPM"));
        const int vib = channelOf(QStringLiteral("Vibration"));
        std::vector<double> runI, idleI, runRpm, idleRpm, runVib, idleVib;
        for (const DeviceSeries& s : faulty_.devices) {
            for (std::size_t i = 10; i < s.size(); ++i) {
                // Skip the seconds right after a state change while the drive ramps.
                if (s.state[i] != s.state[i - 10] || !s.faultTag[i].isEmpty())
                    continue;
                if (s.state[i] == OpState::Run) {
                    runI.push_back(s.channels[std::size_t(cur)][i]);
                    runRpm.push_back(s.channels[std::size_t(rpm)][i]);
                    runVib.push_back(s.channels[std::size_t(vib)][i]);
                } else if (s.state[i] == OpState::Idle) {
                    idleI.push_back(s.channels[std::size_t(cur)][i]);
                    idleRpm.push_back(s.channels[std::size_t(rpm)][i]);
                    idleVib.push_back(s.channels[std::size_t(vib)][i]);
                }
            }
        }
        QVERIFY(!idleI.empty());
        QVERIFY(median(runI) > 3 * median(idleI));
        QVERIFY(median(runRpm) > 3 * median(idleRpm));
        QVERIFY(median(runVib) > 3 * median(idleVib));
    }

    void temperatureLagsCurrent() {
        // After RUN -> IDLE the current drops within a few samples; the temperature takes minutes.
        const int cur = channelOf(QStringLiteral("Current"));
        const int temp = channelOf(QStringLiteral("Temperature"));
        int checked = 0;
        for (const DeviceSeries& s : faulty_.devices) {
            for (std::size_t i = 30; i + 60 < s.size(); ++i) {
                if (!(s.state[i - 1] == OpState::Run && s.state[i] == OpState::Idle))
                    continue;
                bool clean = true;
                for (std::size_t j = i - 30; j < i + 60; ++j) clean = clean && s.faultTag[j].isEmpty();
                if (!clean || s.state[i + 59] != OpState::Idle)
                    continue;
                const auto& I = s.channels[std::size_t(cur)];
                const auto& T = s.channels[std::size_t(temp)];
                const double iDrop = (I[i - 1] - I[i + 6]) / I[i - 1];
                const double tDrop3 = T[i - 1] - T[i + 3];
                const double tDrop60 = T[i - 1] - T[i + 59];
                QVERIFY2(iDrop > 0.5, qPrintable(QString::number(iDrop)));
                QVERIFY2(tDrop60 > 2, qPrintable(QString::number(tDrop60)));  // cools over ten minutes
                QVERIFY(tDrop3 < tDrop60 / 3);                                // ... not at once
                ++checked;
            }
        }
        QVERIFY(checked >= 3);
    }

    void faultPresentWhenEnabled_data() {
        QTest::addColumn<int>("type");
        for (int t = 0; t < kFaultTypeCount; ++t) QTest::newRow(qPrintable(faultTypeTag(FaultType(t)))) << t;
    }
    void faultPresentWhenEnabled() {
        QFETCH(int, type);
        const QString tag = faultTypeTag(FaultType(type));
        // The fault alone, so that every labelled row is explained by the summary's episodes of this type.
        SimulationProfile p = faultyProfile();
        for (int t = 0; t < kFaultTypeCount; ++t) p.episode(FaultType(t)).enabled = t == type;
        const Fleet fleet = simulate(p);
        qint64 labelled = 0;
        for (const DeviceSeries& s : fleet.devices)
            for (const QString& t : s.faultTag) {
                QVERIFY(t.isEmpty() || t == tag);
                labelled += t.isEmpty() ? 0 : 1;
            }
        QVERIFY(labelled > 0);
        QCOMPARE(fleet.summary.faultRows, labelled);
        QVERIFY(fleet.summary.episodes.size() >= 3);
        qint64 episodeRows = 0;
        for (const SimulatedEpisode& e : fleet.summary.episodes) {
            QCOMPARE(e.tag, tag);
            QVERIFY(e.startMs <= e.endMs);
            const DeviceSeries& s = seriesOf(fleet, e.deviceId);
            const auto [first, last] = rowsOf(e, s, stepMs_);
            for (std::size_t i = first; i <= last; ++i) QCOMPARE(s.faultTag[i], tag);
            // Episodes are maximal runs: the rows around them are normal.
            if (first > 0)
                QVERIFY(s.faultTag[first - 1].isEmpty());
            if (last + 1 < s.size())
                QVERIFY(s.faultTag[last + 1].isEmpty());
            episodeRows += qint64(last - first + 1);
            QCOMPARE(e.channel.isEmpty(), tag != fault::kSensorDropout);
        }
        QCOMPARE(episodeRows, labelled);
    }

    void faultAbsentWhenDisabled_data() { faultPresentWhenEnabled_data(); }
    void faultAbsentWhenDisabled() {
        QFETCH(int, type);
        const QString tag = faultTypeTag(FaultType(type));
        SimulationProfile p = faultyProfile();
        p.episode(FaultType(type)).enabled = false;
        const Fleet fleet = simulate(p);
        QSet<QString> seen;
        for (const DeviceSeries& s : fleet.devices)
            for (const QString& t : s.faultTag)
                if (!t.isEmpty())
                    seen.insert(t);
        QVERIFY(!seen.contains(tag));
        QCOMPARE(seen.size(), kFaultTypeCount - 1);
        for (const SimulatedEpisode& e : fleet.summary.episodes) QVERIFY(e.tag != tag);
    }

    void overheatMagnitudeRealistic() {
        // The same fleet with a zero rise draws the same random numbers, so the difference between the two
        // runs is exactly what the fault adds to the reading — free of warm-up after IDLE or load swings.
        SimulationProfile flat = faultyProfile();
        flat.overheat.riseC = {0, 0};
        const Fleet baseline = simulate(flat);
        const int temp = channelOf(QStringLiteral("Temperature"));
        for (const DeviceSeries& s : faulty_.devices) {
            const auto& T = s.channels[std::size_t(temp)];
            const auto& B = seriesOf(baseline, s.deviceId).channels[std::size_t(temp)];
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (s.faultTag[i] == fault::kOverheat || isMissing(T[i]))
                    continue;
                if (T[i] != B[i])
                    QFAIL(
                        qPrintable(QStringLiteral("%1: overheat leaks outside its episode").arg(s.deviceId)));
            }
        }
        int checked = 0;
        for (const SimulatedEpisode& e : faulty_.summary.episodes) {
            if (e.tag != fault::kOverheat || e.endMs == faulty_.summary.endMs)
                continue;
            const DeviceSeries& s = seriesOf(faulty_, e.deviceId);
            const auto [first, last] = rowsOf(e, s, stepMs_);
            const auto& T = s.channels[std::size_t(temp)];
            const auto& B = seriesOf(baseline, e.deviceId).channels[std::size_t(temp)];
            double rise = 0;
            double maxRiseStep = 0;
            double maxStep = 0;
            for (std::size_t i = first; i <= last; ++i) {
                QCOMPARE(s.state[i], OpState::Run);  // overheat develops under load
                if (isMissing(T[i]))
                    continue;  // a dropout cannot overlap, but stay honest
                rise = std::max(rise, T[i] - B[i]);
                if (i > first) {
                    maxRiseStep = std::max(maxRiseStep, std::abs((T[i] - B[i]) - (T[i - 1] - B[i - 1])));
                    maxStep = std::max(maxStep, std::abs(T[i] - T[i - 1]));
                }
            }
            const double minutes = double(e.endMs - e.startMs) / 60000.0;
            QVERIFY2(rise >= 3 && rise <= 20,
                     qPrintable(QStringLiteral("%1: rise %2").arg(e.deviceId).arg(rise)));
            QVERIFY2(maxRiseStep < 0.5,
                     qPrintable(QStringLiteral("%1: ramp step %2").arg(e.deviceId).arg(maxRiseStep)));
            QVERIFY2(maxStep < 1.5, qPrintable(QStringLiteral("%1: step %2").arg(e.deviceId).arg(maxStep)));
            QVERIFY2(minutes >= 19 && minutes <= 61, qPrintable(QString::number(minutes)));
            QVERIFY(std::abs(rise - e.magnitude) < 0.5);
            // It recovers: the last row is back within a degree of normal.
            QVERIFY(std::abs(T[last] - B[last]) < 1.0);
            ++checked;
        }
        QVERIFY(checked >= 3);
    }

    void bearingWearGrowsWithCharacteristicFrequency() {
        const int vib = channelOf(QStringLiteral("Vibration"));
        const double periodS = faultyProfile().bearingWear.periodS;
        const double dtS = double(stepMs_) / 1000.0;
        int checked = 0;
        for (const SimulatedEpisode& e : faulty_.summary.episodes) {
            if (e.tag != fault::kBearingWear || e.endMs == faulty_.summary.endMs)
                continue;
            const DeviceSeries& s = seriesOf(faulty_, e.deviceId);
            const auto [first, last] = rowsOf(e, s, stepMs_);
            const auto& V = s.channels[std::size_t(vib)];
            const std::size_t n = last - first + 1;
            const std::size_t tenth = n / 10;
            const double growth = mean(V, last + 1 - tenth, last + 1) / mean(V, first, first + tenth);
            QVERIFY2(growth > 1.2 && growth < 3.0,
                     qPrintable(QStringLiteral("%1: growth %2").arg(e.deviceId).arg(growth)));

            // Spectrum of the detrended second half: the strongest bin is the characteristic frequency.
            const std::size_t from = first + n / 2;
            const std::size_t m = last + 1 - from;
            std::vector<double> x(V.begin() + std::ptrdiff_t(from), V.begin() + std::ptrdiff_t(last + 1));
            const double xm = (double(m) - 1) / 2;
            double sxy = 0, sxx = 0;
            const double ym = mean(x, 0, m);
            for (std::size_t i = 0; i < m; ++i) {
                sxy += (double(i) - xm) * (x[i] - ym);
                sxx += (double(i) - xm) * (double(i) - xm);
            }
            for (std::size_t i = 0; i < m; ++i) x[i] -= ym + sxy / sxx * (double(i) - xm);
            std::size_t bestBin = 0;
            double best = 0;
            for (std::size_t k = 2; k <= m / 2; ++k) {
                double re = 0, im = 0;
                for (std::size_t i = 0; i < m; ++i) {
                    const double a = 2 * M_PI * double(k) * double(i) / double(m);
                    re += x[i] * std::cos(a);
                    im += x[i] * std::sin(a);
                }
                if (re * re + im * im > best) {
                    best = re * re + im * im;
                    bestBin = k;
                }
            }
            const double foundPeriodS = double(m) * dtS / double(bestBin);
            QVERIFY2(std::abs(foundPeriodS - periodS) < 0.1 * periodS,
                     qPrintable(QStringLiteral("%1: period %2 s").arg(e.deviceId).arg(foundPeriodS)));
            ++checked;
        }
        QVERIFY(checked >= 3);
    }

    void powerSpikeTransientsShortAndRealistic() {
        const int volt = channelOf(QStringLiteral("Voltage"));
        const int cur = channelOf(QStringLiteral("Current"));
        int checked = 0;
        for (const SimulatedEpisode& e : faulty_.summary.episodes) {
            if (e.tag != fault::kPowerSpike)
                continue;
            const DeviceSeries& s = seriesOf(faulty_, e.deviceId);
            const auto [first, last] = rowsOf(e, s, stepMs_);
            if (first < 12)
                continue;
            const auto& V = s.channels[std::size_t(volt)];
            const auto& I = s.channels[std::size_t(cur)];
            // Reference: the device just before the episode, in the same state.
            std::vector<double> refV, refI;
            for (std::size_t i = first - 12; i < first; ++i) {
                if (s.state[i] != s.state[first] || !s.faultTag[i].isEmpty() || isMissing(V[i]) ||
                    isMissing(I[i]))
                    continue;
                refV.push_back(V[i]);
                refI.push_back(I[i]);
            }
            if (refV.size() < 6)
                continue;
            const double v0 = median(refV);
            const double i0 = median(refI);
            std::size_t high = 0;
            double peak = 0;
            bool currentFollows = false;
            for (std::size_t i = first; i <= last; ++i) {
                if (isMissing(V[i]))
                    continue;
                peak = std::max(peak, V[i] / v0);
                if (V[i] > 1.04 * v0) {
                    ++high;
                    if (!isMissing(I[i]) && I[i] > 1.02 * i0)
                        currentFollows = true;
                }
            }
            const std::size_t n = last - first + 1;
            QVERIFY2(peak > 1.04 && peak < 1.2,
                     qPrintable(QStringLiteral("%1: peak %2").arg(e.deviceId).arg(peak)));
            QVERIFY(high >= 1);
            QVERIFY2(high < n, "a power spike is a few transients, not a plateau");
            QVERIFY(currentFollows);
            QVERIFY(n * std::size_t(stepMs_) <= 6 * 60000 + std::size_t(stepMs_));
            ++checked;
        }
        QVERIFY(checked >= 5);
    }

    void sensorDropoutMissingOrStuck() {
        int missing = 0;
        int stuck = 0;
        for (const SimulatedEpisode& e : faulty_.summary.episodes) {
            if (e.tag != fault::kSensorDropout)
                continue;
            const int c = catalog_.indexOf(e.channel);
            QVERIFY2(c >= 0, qPrintable(e.channel));
            const DeviceSeries& s = seriesOf(faulty_, e.deviceId);
            const auto [first, last] = rowsOf(e, s, stepMs_);
            const auto& X = s.channels[std::size_t(c)];
            for (std::size_t i = first; i <= last; ++i) {
                if (e.stuck)
                    QCOMPARE(X[i], X[first]);
                else
                    QVERIFY(isMissing(X[i]));
                for (int o = 0; o < catalog_.size(); ++o)
                    if (o != c)
                        QVERIFY(!isMissing(s.channels[std::size_t(o)][i]));
            }
            (e.stuck ? stuck : missing) += 1;
        }
        QVERIFY(missing >= 1);
        QVERIFY(stuck >= 1);
    }

    void errorCodesMostlyZeroAndMoreDuringFaults() {
        qint64 normal = 0, normalErr = 0, faulty = 0, faultyErr = 0;
        for (const DeviceSeries& s : faulty_.devices) {
            for (std::size_t i = 0; i < s.size(); ++i) {
                QVERIFY(s.errorCode[i] >= 0);
                if (s.faultTag[i].isEmpty()) {
                    ++normal;
                    normalErr += s.errorCode[i] != 0;
                } else {
                    ++faulty;
                    faultyErr += s.errorCode[i] != 0;
                }
            }
        }
        QVERIFY(normalErr > 0);
        QVERIFY(double(normalErr) / double(normal) < 0.01);
        QVERIFY(double(faultyErr) / double(faulty) > 5 * double(normalErr) / double(normal));
    }

    void extraPressureChannelIsSimulated() {
        auto channels = catalog_.channels();
        channels.push_back(
            {QStringLiteral("pressure_bar"), QStringLiteral("bar"), QStringLiteral("Pressure"), 0, 10});
        const SensorCatalog cat(channels);
        SimulationProfile p;
        p.devices = 3;
        p.hours = 24;
        QTemporaryDir dir;
        const QString path = dir.filePath("p.csv");
        QVERIFY(FleetSimulator(p, cat).writeCsv(path).ok());
        const QByteArray bytes = readAll(path);
        const QByteArray header = bytes.left(bytes.indexOf('\n'));
        QCOMPARE(header, QByteArray("timestamp,device_id,state,voltage_v,current_a,temp_c,rpm,vibration_mm_s,"
                                    "pressure_bar,error_code,fault_tag"));

        const Fleet fleet = simulate(p, cat);
        const int pc = cat.indexOf(QStringLiteral("pressure_bar"));
        for (const DeviceSeries& s : fleet.devices) {
            const auto& X = s.channels[std::size_t(pc)];
            double lo = 1e9, hi = -1e9;
            for (double v : X) {
                if (isMissing(v))
                    continue;
                QVERIFY(v >= 0 && v <= 10);
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            QVERIFY2(hi - lo > 0.1, "a live signal, not a constant");
            QVERIFY2(hi - lo < 8, "plausible variation, not noise over the whole range");
        }
    }

    void csvMatchesGeneratedRows() {
        SimulationProfile p;
        p.devices = 2;
        p.hours = 2;
        QTemporaryDir dir;
        const QString path = dir.filePath("x.csv");
        auto summary = FleetSimulator(p, catalog_).writeCsv(path);
        QVERIFY(summary.ok());
        const Fleet fleet = simulate(p);
        const QList<QByteArray> lines = readAll(path).split('\n');
        QCOMPARE(qint64(lines.size()), summary->rows + 2);  // header + rows + empty after the final newline
        QVERIFY(lines.back().isEmpty());
        for (qsizetype li = 1; li + 1 < lines.size(); ++li) {
            const QList<QByteArray> cells = lines[li].split(',');
            QCOMPARE(cells.size(), 5 + catalog_.size());
            const DeviceSeries& s = seriesOf(fleet, QString::fromLatin1(cells[1]));
            const auto ts = parseUtcTimestamp(QString::fromLatin1(cells[0]));
            QVERIFY(ts.has_value());
            const auto row = std::size_t((*ts - p.startMs) / 10000);
            QCOMPARE(QString::fromLatin1(cells[2]), opStateName(s.state[row]));
            for (int c = 0; c < catalog_.size(); ++c) {
                const double v = s.channels[std::size_t(c)][row];
                const QByteArray& cell = cells[3 + c];
                if (isMissing(v)) {
                    QVERIFY(cell.isEmpty());
                } else {
                    QVERIFY(std::abs(cell.toDouble() - v) <= 0.0005 + 1e-9);
                }
            }
            QCOMPARE(cells[3 + catalog_.size()].toInt(), s.errorCode[row]);
            QCOMPARE(QString::fromLatin1(cells[4 + catalog_.size()]), s.faultTag[row]);
        }
    }

    void progressReachesTotal() {
        SimulationProfile p;
        p.devices = 5;
        p.hours = 10;
        const FleetSimulator sim(p, catalog_);
        qint64 last = -1;
        qint64 calls = 0;
        auto r = sim.generate([](const TelemetryBatch&) { return Status(); },
                              [&](qint64 done, qint64 total, const QString&) {
                                  if (done < last || total != sim.totalRows())
                                      qFatal("bad progress");
                                  last = done;
                                  ++calls;
                                  return true;
                              });
        QVERIFY(r.ok());
        QCOMPARE(last, sim.totalRows());
        QCOMPARE(r->rows, sim.totalRows());
        QVERIFY(calls >= sim.totalRows() / FleetSimulator::kBatchRows);
    }

    void cancellationLeavesNoFile_data() {
        QTest::addColumn<bool>("preexisting");
        QTest::newRow("new file") << false;
        QTest::newRow("existing file kept") << true;
    }
    void cancellationLeavesNoFile() {
        QFETCH(bool, preexisting);
        QTemporaryDir dir;
        const QString path = dir.filePath("fleet.csv");
        if (preexisting) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old\n");
        }
        SimulationProfile p;
        p.devices = 10;
        p.hours = 24;
        int calls = 0;
        auto r = FleetSimulator(p, catalog_).writeCsv(path, [&](qint64 done, qint64, const QString&) {
            ++calls;
            return done < 3 * FleetSimulator::kBatchRows;  // stop after a few batches were written
        });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Cancelled);
        QVERIFY(calls > 1);
        const QStringList left =
            QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
        if (preexisting) {
            QCOMPARE(left, QStringList{QStringLiteral("fleet.csv")});
            QCOMPARE(readAll(path), QByteArray("old\n"));
        } else {
            QVERIFY2(left.isEmpty(), qPrintable(left.join(',')));
        }
    }

    void sinkErrorStopsTheRun() {
        SimulationProfile p;
        p.devices = 10;
        p.hours = 24;
        int batches = 0;
        auto r = FleetSimulator(p, catalog_).generate([&](const TelemetryBatch& b) -> Status {
            if (b.channelCount != catalog_.size())
                return Error::failure(QStringLiteral("wrong width"));
            if (++batches == 2)
                return Error::failure(QStringLiteral("disk full"));
            return {};
        });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("disk full"));
        QCOMPARE(batches, 2);
    }

    void rejectsBadSetup_data() {
        QTest::addColumn<int>("devices");
        QTest::addColumn<double>("tempMax");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no devices") << 0 << 200.0 << "devices: must be between 1 and 9999";
        QTest::newRow("narrow temperature range")
            << 3 << 50.0 << "channel \"temp_c\" (Temperature) has range [-40, 50]";
    }
    void rejectsBadSetup() {
        QFETCH(int, devices);
        QFETCH(double, tempMax);
        QFETCH(QString, expected);
        auto channels = catalog_.channels();
        channels[std::size_t(channelOf(QStringLiteral("Temperature")))].max = tempMax;
        SimulationProfile p;
        p.devices = devices;
        p.hours = 1;
        QTemporaryDir dir;
        const QString path = dir.filePath("x.csv");
        auto r = FleetSimulator(p, SensorCatalog(channels)).writeCsv(path);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::BadInput);
        QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(FleetSimulatorTest)
#include "fleet_simulator_test.moc"
