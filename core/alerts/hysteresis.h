#pragma once

#include <QtGlobal>

#include <cstdint>

namespace itap {

/// The alarm state machine of one device on its filtered score, shared by the incident tracker (which also
/// gathers each incident's evidence) and the operating-point search (which only counts incidents), so both
/// see the same incidents.
///
/// Sequential contract: step() once per sample of the device, in time order. Phases:
///   Normal   ─(f ≥ raise)→ Pending
///   Pending  ─(f < raise)→ Normal (or Latent)            [Abandoned: the excursion was shorter than the
///   on-delay] Pending  ─(on-delay elapsed)→ Active                 [Raised, or Reopened when it came from
///   Latent] Active   ─(f < clear)→ Clearing Clearing ─(f ≥ clear)→ Active Clearing ─(off-delay elapsed)→
///   Latent                [Cleared] Latent   ─(re-alarm window elapsed)→ Normal          [Expired: the
///   incident is final] Latent   ─(f ≥ raise)→ Pending (from Latent)
/// Delays compare timestamps: "stayed above for D" means the current sample lies at least D after the first
/// sample of the run; a delay of 0 acts on the first sample.
class Hysteresis {
public:
    enum class Phase : std::uint8_t { Normal, Pending, Active, Clearing, Latent };
    /// What one step did; several can happen at one sample (Expired then Began, Began then Raised).
    enum Event : std::uint8_t {
        None = 0,
        Began = 1,      ///< the filtered score reached the raise level: the on-delay runs
        Abandoned = 2,  ///< it fell below the raise level before the on-delay elapsed
        Raised = 4,     ///< a new incident
        Reopened = 8,   ///< the latent incident is active again
        Cleared = 16,   ///< the off-delay elapsed below the clear level
        Expired = 32,   ///< the re-alarm window of a cleared incident ran out
    };

    struct Levels {
        double raise = 0;  ///< the operating threshold
        double clear = 0;  ///< clear level, at most raise
        qint64 onDelayMs = 0;
        qint64 offDelayMs = 0;
        qint64 realarmMs = 0;  ///< re-alarm window after a clear
    };

    /// Advances by one sample; returns the Event bits of what happened. `forced` (an instrument diagnostic,
    /// common/signal_health.h) counts the sample as at the raise level whatever its filtered score.
    [[nodiscard]] int step(qint64 tsMs, double filtered, const Levels& l, bool forced = false) {
        const bool aboveRaise = forced || filtered >= l.raise;
        const bool aboveClear = forced || filtered >= l.clear;
        int events = None;
        if (phase_ == Phase::Latent && tsMs - clearedMs_ > l.realarmMs) {
            phase_ = Phase::Normal;
            events |= Expired;
        }
        switch (phase_) {
            case Phase::Normal:
            case Phase::Latent:
                if (aboveRaise) {
                    fromLatent_ = phase_ == Phase::Latent;
                    phase_ = Phase::Pending;
                    sinceMs_ = tsMs;
                    events |= Began;
                }
                break;
            case Phase::Pending:
                if (!aboveRaise) {
                    events |= Abandoned;
                    phase_ = fromLatent_ ? Phase::Latent : Phase::Normal;
                }
                break;
            case Phase::Active:
                if (!aboveClear) {
                    phase_ = Phase::Clearing;
                    sinceMs_ = tsMs;
                }
                break;
            case Phase::Clearing:
                if (aboveClear)
                    phase_ = Phase::Active;
                break;
        }
        if (phase_ == Phase::Pending && tsMs - sinceMs_ >= l.onDelayMs) {
            phase_ = Phase::Active;
            events |= fromLatent_ ? Reopened : Raised;
        } else if (phase_ == Phase::Clearing && tsMs - sinceMs_ >= l.offDelayMs) {
            phase_ = Phase::Latent;
            clearedMs_ = tsMs;
            events |= Cleared;
        }
        return events;
    }

    [[nodiscard]] Phase phase() const { return phase_; }
    /// True while the sample belongs to an incident or to an excursion that may become one.
    [[nodiscard]] bool inExcursion() const {
        return phase_ == Phase::Pending || phase_ == Phase::Active || phase_ == Phase::Clearing;
    }
    [[nodiscard]] bool pendingFromLatent() const { return phase_ == Phase::Pending && fromLatent_; }

private:
    Phase phase_ = Phase::Normal;
    bool fromLatent_ = false;
    qint64 sinceMs_ = 0;
    qint64 clearedMs_ = 0;
};

}  // namespace itap
