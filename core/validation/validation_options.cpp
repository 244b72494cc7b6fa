#include "validation/validation_options.h"

#include <cmath>

namespace itap {

Status ValidationOptions::validate() const {
    if (!(gapFactor > 1.0 && gapFactor <= 1e6))
        return Error::badInput(QStringLiteral("gap factor must be in (1, 1000000], got %1").arg(gapFactor));
    if (maxExamples < 0 || maxExamples > 10000)
        return Error::badInput(
            QStringLiteral("examples per check must be in [0, 10000], got %1").arg(maxExamples));
    if (batchRows < 1 || batchRows > 1'000'000)
        return Error::badInput(QStringLiteral("batch rows must be in [1, 1000000], got %1").arg(batchRows));
    return reader.validate();
}

}  // namespace itap
