#!/usr/bin/env python3
"""Writes the two example foreign telemetry datasets of data/import/ (deterministic, seed fixed).

1. historian/pump-A_2026-03-28.csv, pump-B_2026-03-28.csv: a plant historian export, one pump per file,
   ';'-separated with decimal commas, local time Europe/Berlin as "dd.MM.yyyy hh:mm:ss" across the
   spring-forward DST change of 2026-03-29, irregular 7-13 s sampling with a 15-minute gap, a preamble
   comment, German status values, a constant set-point channel, a temperature quantised to 0.5 °C, one
   duplicated and one backward timestamp, a few empty cells. No labels. Pump B starts to cavitate (pressure
   drops and oscillates, flow falls, temperature rises) in its last 40 minutes.
2. testrig/rig_log.csv: a test-rig log with two rigs in one file, ',' + Unix milliseconds at 1 Hz, two
   accelerometers, a 0/1 anomaly label column: rig R2 develops a bearing fault (growing 1x vibration on
   both axes, warmer bearing) and R1 an over-current episode, both in the last 30 % of the time.

Usage: python3 data/import/make_examples.py   (from the repository root)
"""
import math
import os
import random
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))


def de(x, digits):
    """Decimal comma, fixed digits."""
    return f"{x:.{digits}f}".replace(".", ",")


def berlin_offset(utc):
    # EU rule: CEST from the last Sunday of March 01:00 UTC; this data only spans March 2026.
    switch = datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc)
    return timedelta(hours=2) if utc >= switch else timedelta(hours=1)


def historian(device, seed, cavitation):
    rnd = random.Random(seed)
    start = datetime(2026, 3, 28, 22, 0, tzinfo=timezone.utc)  # 23:00 local (CET)
    end = start + timedelta(hours=5, minutes=30)
    rows = []
    t = start
    p_ar = 0.0
    f_ar = 0.0
    temp = 38.0
    gap_at = start + timedelta(hours=2, minutes=10) if device == "pump-A" else None
    status_cycle = 0
    while t < end:
        phase = (t - start).total_seconds()
        load = 0.75 + 0.2 * math.sin(2 * math.pi * phase / 2400.0)  # 40-minute demand cycle
        status = "Betrieb"
        if 5400 <= phase < 5400 + 600:
            status = "Stillstand"
        if device == "pump-B" and 9000 <= phase < 9300:
            status = "Wartung"
        running = status == "Betrieb"
        p_ar = 0.85 * p_ar + rnd.gauss(0, 0.05)
        f_ar = 0.8 * f_ar + rnd.gauss(0, 0.4)
        pressure = (4.2 + 1.6 * load + p_ar) if running else (0.3 + abs(p_ar) * 0.2)
        flow = (28 + 20 * load + f_ar) if running else max(0.0, 0.5 + f_ar * 0.1)
        target_temp = 36 + 14 * load if running else 24
        late = cavitation and phase > (end - start).total_seconds() - 2400
        if late:
            k = (phase - ((end - start).total_seconds() - 2400)) / 2400.0
            pressure -= 1.4 * k + 0.6 * k * math.sin(phase / 3.0) * rnd.random()
            flow -= 9 * k
            target_temp += 14 * k
        temp += (target_temp - temp) * 0.02 + rnd.gauss(0, 0.08)
        temp_q = round(temp * 2) / 2  # 0.5 °C sensor resolution
        local = t + berlin_offset(t)
        cells = [local.strftime("%d.%m.%Y %H:%M:%S"), de(pressure, 3), de(flow, 2), de(temp_q, 1), "6,0", status,
                 "" if rnd.random() > 0.01 else "Handeingriff"]
        if rnd.random() < 0.004:
            cells[2] = ""  # flow meter dropout
        rows.append(cells)
        t += timedelta(seconds=rnd.uniform(7, 13))
        if gap_at and t >= gap_at:
            t += timedelta(minutes=15)
            gap_at = None
    # A duplicated row (historian re-sent a sample) and a backward timestamp (clock correction).
    rows.insert(301, list(rows[300]))
    back = list(rows[620])
    back[0] = rows[600][0][:-2] + "59" if rows[600][0][-2:] != "59" else rows[600][0]
    rows.insert(621, back)
    path = os.path.join(HERE, "historian", f"{device}_2026-03-28.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")  # Excel-style UTF-8 BOM
        f.write(f"# Historian export {device}; Zeitzone: lokale Zeit (Europe/Berlin)\n")
        f.write("Zeitstempel;Druck [bar];Durchfluss [m³/h];Temperatur [°C];Sollwert Druck [bar];Status;Kommentar\n")
        for r in rows:
            f.write(";".join(r) + "\r\n")
    return len(rows)


def testrig():
    rnd = random.Random(11)
    start_ms = 1767261600000  # 2026-01-01T10:00:00Z
    n = 1200
    out = []
    for rig, base_rpm in (("R1", 1450.0), ("R2", 2950.0)):
        cur_ar = 0.0
        temp = 30.0
        for i in range(n):
            ts = start_ms + i * 1000 + rnd.randint(-40, 40)  # jitter of the logger clock
            mode = "idle" if (i % 400) >= 360 else "run"
            running = mode == "run"
            load = 0.6 + 0.3 * math.sin(2 * math.pi * i / 300.0)
            rpm = (base_rpm * (0.9 + 0.1 * load) + rnd.gauss(0, 4)) if running else 0.0
            cur_ar = 0.7 * cur_ar + rnd.gauss(0, 0.15)
            current = (6.0 + 5.0 * load + cur_ar) if running else 0.4 + abs(cur_ar) * 0.1
            voltage = 400 + rnd.gauss(0, 1.5)
            acc = 0.02 * rpm / 1000.0
            ax = acc + rnd.gauss(0, 0.01)
            ay = acc * 0.8 + rnd.gauss(0, 0.01)
            label = 0
            if rig == "R2" and 980 <= i < 1140 and running:
                k = (i - 980) / 160.0
                ax += 0.25 * k * abs(math.sin(i * 0.9))
                ay += 0.2 * k * abs(math.cos(i * 0.9))
                temp += 0.05
                label = 1
            if rig == "R1" and 900 <= i < 930 and running:
                current *= 1.7 + 0.2 * rnd.random()
                voltage -= 8
                label = 1
            target = 30 + 12 * (current / 11.0)
            temp += (target - temp) * 0.01 + rnd.gauss(0, 0.03)
            out.append((ts, rig, mode, current, voltage, rpm, ax, ay, temp, label))
    out.sort(key=lambda r: (r[0], r[1]))
    path = os.path.join(HERE, "testrig", "rig_log.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("epoch_ms,rig_id,mode,motor_current_A,supply_voltage_V,shaft_speed_rpm,acc_x_g,acc_y_g,"
                "bearing_temp_C,operator_note,anomaly\n")
        for ts, rig, mode, current, voltage, rpm, ax, ay, temp, label in out:
            note = '"check, later"' if rnd.random() < 0.003 else ""
            f.write(f"{ts},{rig},{mode},{current:.3f},{voltage:.2f},{rpm:.1f},{ax:.4f},{ay:.4f},{temp:.2f},{note},{label}\n")
    return len(out)


if __name__ == "__main__":
    print("pump-A rows", historian("pump-A", 3, cavitation=False))
    print("pump-B rows", historian("pump-B", 4, cavitation=True))
    print("rig rows", testrig())
