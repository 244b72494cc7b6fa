#pragma once

// Family names → dense indexes, for code that sums or matches family shares once per flagged row.

#include <QString>

#include <cstddef>
#include <utility>
#include <vector>

namespace itap {

/// Gives each distinct family name a dense index on first sight (0, 1, 2, … in that order). Explanations share
/// their family strings with the feature schema, so a name is nearly always recognised by its data pointer
/// before any text is compared (issue 8: comparing names per row was most of a slider move's alert and
/// aggregation time). Every string whose pointer is remembered is also held here, so its buffer cannot be freed
/// and reused for another text while the index lives; at most kMaxAliases pointers are remembered, past that
/// names are found by their text.
class FamilyIndex {
public:
    static constexpr std::size_t kMaxAliases = 64;

    [[nodiscard]] std::size_t of(const QString& name) {
        for (const auto& [alias, i] : aliases_)
            if (alias.constData() == name.constData() && alias.size() == name.size())
                return i;
        std::size_t i = 0;
        while (i < names_.size() && names_[i] != name) ++i;
        if (i == names_.size())
            names_.push_back(name);
        if (aliases_.size() < kMaxAliases)
            aliases_.emplace_back(name, i);
        return i;
    }
    [[nodiscard]] std::size_t size() const { return names_.size(); }
    [[nodiscard]] const QString& name(std::size_t i) const { return names_[i]; }

private:
    std::vector<QString> names_;
    std::vector<std::pair<QString, std::size_t>> aliases_;
};

}  // namespace itap
