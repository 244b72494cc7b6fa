#include "features/feature_columns.h"

namespace itap {

QString channelStatSuffix(ChannelStat stat) {
    switch (stat) {
        case ChannelStat::Value:
            return QStringLiteral("value");
        case ChannelStat::Mean:
            return QStringLiteral("mean");
        case ChannelStat::Std:
            return QStringLiteral("std");
        case ChannelStat::Min:
            return QStringLiteral("min");
        case ChannelStat::Max:
            return QStringLiteral("max");
        case ChannelStat::Trend:
            return QStringLiteral("trend");
        case ChannelStat::Delta:
            return QStringLiteral("delta");
        case ChannelStat::ZScore:
            return QStringLiteral("zscore");
        case ChannelStat::Resid:
            return QStringLiteral("resid");
        case ChannelStat::FftEnergy:
            return QStringLiteral("fft_energy");
        case ChannelStat::FftDom:
            return QStringLiteral("fft_dom");
        case ChannelStat::MissingFrac:
            return QStringLiteral("missing_frac");
    }
    return {};
}

QString eventStatName(EventStat stat) {
    switch (stat) {
        case EventStat::ErrorStreak:
            return QStringLiteral("error_streak");
        case EventStat::ErrorFrac:
            return QStringLiteral("error_frac");
        case EventStat::StateTransitions:
            return QStringLiteral("state_transitions");
        case EventStat::SinceErrorS:
            return QStringLiteral("since_error_s");
        case EventStat::SinceStateS:
            return QStringLiteral("since_state_s");
        case EventStat::StateRun:
            return QStringLiteral("state_run");
        case EventStat::StateIdle:
            return QStringLiteral("state_idle");
        case EventStat::StateMaint:
            return QStringLiteral("state_maint");
    }
    return {};
}

}  // namespace itap
