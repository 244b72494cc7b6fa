#pragma once

#include "common/result.h"
#include "importer/import_mapping.h"

#include <QString>
#include <QStringList>

namespace itap {

/// A proposed mapping for a file nobody described yet, with what the guesser assumed.
struct MappingGuess {
    ImportMapping mapping;
    QStringList notes;  ///< one line each: what was assumed and should be checked ("zone assumed UTC", …)
};

/// Proposes an ImportMapping from the start of `path` (up to `sampleLines` data lines): delimiter sniffing
/// (, ; tab |), decimal comma detection, header detection, comment lines, timestamp column and format
/// (ISO 8601, common day/month patterns, Unix s/ms), a device column (named like device/id/machine/asset),
/// a state column (named like state/status/mode with few values) with a value map, a 0/1 label column or a
/// fault-name column, an error-code column, and every other numeric column as a channel with its unit and
/// family guessed from the name and its valid range padded around the values seen. The result passes
/// ImportMapping::validate(); it is a starting point for an operator to review, not a contract.
[[nodiscard]] Result<MappingGuess> guessMapping(const QString& path, int sampleLines = 5000);

}  // namespace itap
