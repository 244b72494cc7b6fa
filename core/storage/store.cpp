#include "storage/store.h"

#include "storage/sqlite_store.h"

namespace itap {

Store::Store(SensorCatalog catalog, QString description)
    : catalog_(std::move(catalog)), description_(std::move(description)) {}

Store::~Store() = default;

int Store::currentSchemaVersion() {
    return 1;
}

Result<std::unique_ptr<Store>> Store::open(const QString& spec, const SensorCatalog* catalog) {
    const QString trimmed = spec.trimmed();
    if (trimmed.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
        trimmed.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive))
        return Error::badInput(QStringLiteral("PostgreSQL backend not built yet"));
    return SqliteStore::open(trimmed, catalog);
}

}  // namespace itap
