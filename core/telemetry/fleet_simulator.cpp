#include "telemetry/fleet_simulator.h"

#include "telemetry/device_model.h"
#include "telemetry/telemetry_csv_writer.h"

#include <algorithm>
#include <memory>

namespace itap {

FleetSimulator::FleetSimulator(SimulationProfile profile, SensorCatalog catalog)
    : profile_(std::move(profile)), catalog_(std::move(catalog)) {}

qint64 FleetSimulator::totalRows() const {
    return qint64(std::max(profile_.devices, 0)) * profile_.samplesPerDevice();
}

Status FleetSimulator::check() const {
    if (Status s = profile_.validate(); !s)
        return s;
    if (catalog_.size() == 0)
        return Error::badInput(QStringLiteral("sensor catalog has no channels"));
    const DeviceParams& d = profile_.device;
    for (const ChannelSpec& c : catalog_.channels()) {
        // The envelope the process normally moves in; faults and noise beyond it are clamped to the range.
        double lo = 0;
        double hi = 0;
        QString what;
        switch (channelKindOfFamily(c.family)) {
            case ChannelKind::Voltage:
                lo = d.voltageNominalV.lo * 0.95;
                hi = d.voltageNominalV.hi;
                what = QStringLiteral("device.voltage_nominal_v");
                break;
            case ChannelKind::Current:
                hi = d.ratedCurrentA.hi;
                what = QStringLiteral("device.rated_current_a");
                break;
            case ChannelKind::Temperature:
                lo = d.ambientC.lo;
                hi = d.ambientC.hi + d.thermalRiseC.hi;
                what = QStringLiteral("device.ambient_c and device.thermal_rise_c");
                break;
            case ChannelKind::Rpm:
                hi = d.rpmNominal.hi;
                what = QStringLiteral("device.rpm_nominal");
                break;
            case ChannelKind::Vibration:
                hi = d.vibrationMmS.hi;
                what = QStringLiteral("device.vibration_mm_s");
                break;
            case ChannelKind::Generic:
                continue;  // generic signals are placed inside the range
        }
        if (lo < c.min || hi > c.max)
            return Error::badInput(
                QStringLiteral("sensor catalog channel \"%1\" (%2) has range [%3, %4], but the "
                               "simulation profile's %5 needs [%6, %7]")
                    .arg(c.name, c.family)
                    .arg(c.min)
                    .arg(c.max)
                    .arg(what)
                    .arg(lo)
                    .arg(hi));
    }
    return {};
}

Result<SimulationSummary> FleetSimulator::generate(const std::function<Status(const TelemetryBatch&)>& sink,
                                                   const ProgressFn& progress) const {
    if (Status s = check(); !s)
        return s.error();

    std::vector<ChannelKind> kinds;
    for (const ChannelSpec& c : catalog_.channels()) kinds.push_back(channelKindOfFamily(c.family));
    std::vector<std::unique_ptr<DeviceModel>> devices;
    devices.reserve(std::size_t(profile_.devices));
    for (int i = 0; i < profile_.devices; ++i)
        devices.push_back(std::make_unique<DeviceModel>(profile_, catalog_, kinds, i));

    const qint64 samples = profile_.samplesPerDevice();
    const qint64 total = totalRows();
    const qint64 stepMs = qint64(profile_.intervalS) * 1000;
    const QString message = QStringLiteral("simulating %1 devices").arg(profile_.devices);

    SimulationSummary summary;
    summary.devices = profile_.devices;
    summary.intervalS = profile_.intervalS;
    summary.startMs = profile_.startMs;
    summary.endMs = profile_.startMs + (samples - 1) * stepMs;

    TelemetryBatch batch;
    batch.channelCount = catalog_.size();
    batch.reserve(kBatchRows);
    std::vector<double> row(std::size_t(catalog_.size()));
    QString tag;
    qint64 done = 0;
    if (!reportProgress(progress, 0, total, message))
        return Error::cancelled();

    auto flush = [&]() -> Status {
        if (batch.rowCount() == 0)
            return {};
        if (Status s = sink(batch); !s)
            return s;
        done += qint64(batch.rowCount());
        batch.clear();
        if (!reportProgress(progress, done, total, message))
            return Error::cancelled();
        return {};
    };

    // Lock-step over time so rows come out ordered by timestamp, then device id; each device draws only
    // from its own random stream, so this order does not affect the values.
    for (qint64 k = 0; k < samples; ++k) {
        const qint64 ts = profile_.startMs + k * stepMs;
        for (auto& dev : devices) {
            OpState state = OpState::Run;
            int errorCode = 0;
            dev->step(k, ts, row.data(), state, errorCode, tag);
            if (!tag.isEmpty())
                ++summary.faultRows;
            batch.append(dev->id(), ts, state, row.data(), errorCode, tag);
            if (batch.rowCount() >= std::size_t(kBatchRows)) {
                if (Status s = flush(); !s)
                    return s.error();
            }
        }
    }
    if (Status s = flush(); !s)
        return s.error();
    summary.rows = done;

    for (std::size_t i = 0; i < devices.size(); ++i) {
        devices[i]->finish(summary.endMs);
        const auto& eps = devices[i]->episodes();
        summary.episodes.insert(summary.episodes.end(), eps.begin(), eps.end());
    }
    // Device ids are zero-padded, so comparing them as text is device order.
    std::stable_sort(summary.episodes.begin(), summary.episodes.end(),
                     [](const SimulatedEpisode& a, const SimulatedEpisode& b) {
                         return a.startMs != b.startMs ? a.startMs < b.startMs : a.deviceId < b.deviceId;
                     });
    return summary;
}

Result<SimulationSummary> FleetSimulator::writeCsv(const QString& path, const ProgressFn& progress) const {
    if (Status s = check(); !s)
        return s.error();
    TelemetryCsvWriter writer(catalog_);
    if (Status s = writer.open(path); !s)
        return s.error();
    auto summary = generate([&writer](const TelemetryBatch& b) { return writer.write(b); }, progress);
    if (!summary) {
        writer.cancel();
        return summary.error();
    }
    if (Status s = writer.commit(); !s)
        return s.error();
    return summary;
}

}  // namespace itap
