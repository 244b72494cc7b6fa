#include "storage/store.h"

#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"

#include <QUrl>

namespace itap {

Store::Store(SensorCatalog catalog, QString description)
    : catalog_(std::move(catalog)), description_(std::move(description)) {}

Store::~Store() = default;

int Store::currentSchemaVersion() {
    return 3;
}

bool Store::isServerUrl(const QString& spec) {
    return PostgresStore::isPostgresUrl(spec);
}

QString Store::filePathOf(const QString& spec) {
    QString target = spec.trimmed();
    if (isServerUrl(target))
        return {};
    if (target.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive))
        target = target.mid(7);
    if (target.startsWith(QLatin1String("file:"), Qt::CaseInsensitive))
        return QUrl(target).path();
    return target;
}

QString Store::withoutPassword(const QString& spec) {
    return isServerUrl(spec) ? PostgresStore::withoutPassword(spec) : spec;
}

Result<std::unique_ptr<Store>> Store::open(const QString& spec, const SensorCatalog* catalog) {
    const QString trimmed = spec.trimmed();
    if (PostgresStore::isPostgresUrl(trimmed))
        return PostgresStore::open(trimmed, catalog);
    return SqliteStore::open(trimmed, catalog);
}

}  // namespace itap
