#include "operator_name.h"

#include <QSettings>

namespace itap {

QString operatorName() {
    const QString saved = QSettings().value(QLatin1String(kOperatorNameKey)).toString().trimmed();
    if (!saved.isEmpty())
        return saved;
    for (const char* variable : {"USER", "USERNAME"})
        if (const QString user = qEnvironmentVariable(variable).trimmed(); !user.isEmpty())
            return user;
    return {};
}

}  // namespace itap
