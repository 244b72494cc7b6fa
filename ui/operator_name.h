#pragma once

#include <QString>

namespace itap {

/// QSettings key of the operator's name, which the console records in the journal.
inline constexpr const char* kOperatorNameKey = "operator/name";

/// Who acts at this console: the name saved under kOperatorNameKey, else the OS user ($USER, or $USERNAME on
/// Windows). Trimmed; empty only when none of them is set. AlarmJournal::checkOperatorName() decides whether
/// the journal takes it.
[[nodiscard]] QString operatorName();

}  // namespace itap
