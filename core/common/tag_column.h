#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace itap {

/// A column of texts drawn from a few distinct values — the fault tag of every row of a fleet. Each row holds a
/// 4-byte index into a dictionary of the distinct texts instead of a 24-byte QString of its own: 10.4M rows,
/// 41 MB instead of 249 MB (issue 8's 10M-row memory floor). Reads look like a `std::vector<QString>`'s
/// (`t[r]`, `size()`, iteration, `==`); rows are written with `push_back` / `set`. The empty text is index 0,
/// so a normal row costs no lookup.
class TagColumn {
public:
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = QString;
        using difference_type = std::ptrdiff_t;
        using pointer = const QString*;
        using reference = const QString&;

        const_iterator() = default;
        const_iterator(const TagColumn* column, std::size_t row) : column_(column), row_(row) {}
        reference operator*() const { return (*column_)[row_]; }
        pointer operator->() const { return &(*column_)[row_]; }
        reference operator[](difference_type n) const { return (*column_)[row_ + std::size_t(n)]; }
        const_iterator& operator++() { ++row_; return *this; }
        const_iterator operator++(int) { auto old = *this; ++row_; return old; }
        const_iterator& operator--() { --row_; return *this; }
        const_iterator operator--(int) { auto old = *this; --row_; return old; }
        const_iterator& operator+=(difference_type n) { row_ += std::size_t(n); return *this; }
        const_iterator& operator-=(difference_type n) { row_ -= std::size_t(n); return *this; }
        friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
        friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
        friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return difference_type(a.row_) - difference_type(b.row_);
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.row_ == b.row_; }
        friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.row_ <=> b.row_; }

    private:
        friend class TagColumn;
        const TagColumn* column_ = nullptr;
        std::size_t row_ = 0;
    };
    using value_type = QString;
    using size_type = std::size_t;

    TagColumn() : texts_{QString()} {}
    TagColumn(std::initializer_list<QString> tags) : TagColumn() {
        for (const QString& t : tags) push_back(t);
    }
    /// The rows [first, last) of a column (iterators of one column): the indexes are copied, the dictionary is
    /// shared (implicitly shared Qt containers), so no text is looked up again.
    TagColumn(const_iterator first, const_iterator last)
        : rows_(first.column_->rows_.begin() + std::ptrdiff_t(first.row_),
                first.column_->rows_.begin() + std::ptrdiff_t(last.row_)),
          texts_(first.column_->texts_),
          lookup_(first.column_->lookup_),
          last_(first.column_->last_) {}

    [[nodiscard]] std::size_t size() const { return rows_.size(); }
    [[nodiscard]] bool empty() const { return rows_.empty(); }
    [[nodiscard]] const QString& operator[](std::size_t row) const { return texts_[qsizetype(rows_[row])]; }
    [[nodiscard]] const QString& back() const { return (*this)[rows_.size() - 1]; }
    [[nodiscard]] const_iterator begin() const { return {this, 0}; }
    [[nodiscard]] const_iterator end() const { return {this, rows_.size()}; }
    /// The dictionary: the empty text first, then every text a row has been given, in order of first appearance
    /// (after `set` or `pop_back` a text may be on no row any more; `usedTexts` says which are).
    [[nodiscard]] const QStringList& distinct() const { return texts_; }
    /// The non-empty texts on at least one row, in dictionary order: one pass over the indexes, no text compared.
    [[nodiscard]] QStringList usedTexts() const {
        std::vector<bool> used(std::size_t(texts_.size()), false);
        for (const std::uint32_t i : rows_) used[i] = true;
        QStringList out;
        for (qsizetype i = 1; i < texts_.size(); ++i)
            if (used[std::size_t(i)])
                out.append(texts_[i]);
        return out;
    }

    void reserve(std::size_t rows) { rows_.reserve(rows); }
    void clear() { *this = TagColumn(); }
    void push_back(const QString& tag) { rows_.push_back(indexOf(tag)); }
    void emplace_back() { rows_.push_back(0); }
    void pop_back() { rows_.pop_back(); }
    void set(std::size_t row, const QString& tag) { rows_[row] = indexOf(tag); }
    /// `rows` rows of `tag`, replacing what was there.
    void assign(std::size_t rows, const QString& tag) {
        clear();
        rows_.assign(rows, indexOf(tag));
    }
    void append(const TagColumn& other) {
        if (other.texts_.size() == 1) {  // all normal: no text to map
            rows_.insert(rows_.end(), other.rows_.begin(), other.rows_.end());
            return;
        }
        std::vector<std::uint32_t> map(std::size_t(other.texts_.size()));
        for (qsizetype i = 0; i < other.texts_.size(); ++i) map[std::size_t(i)] = indexOf(other.texts_[i]);
        rows_.reserve(rows_.size() + other.rows_.size());
        for (const std::uint32_t i : other.rows_) rows_.push_back(map[i]);
    }

    friend bool operator==(const TagColumn& a, const TagColumn& b) {
        if (a.size() != b.size())
            return false;
        for (std::size_t r = 0; r < a.size(); ++r)
            if (a[r] != b[r])
                return false;
        return true;
    }

private:
    std::uint32_t indexOf(const QString& tag) {
        if (tag.isEmpty())
            return 0;
        if (last_ != 0 && texts_[qsizetype(last_)] == tag)
            return last_;
        auto it = lookup_.constFind(tag);
        if (it == lookup_.constEnd()) {
            it = lookup_.insert(tag, std::uint32_t(texts_.size()));
            texts_.append(tag);
        }
        last_ = *it;
        return last_;
    }

    std::vector<std::uint32_t> rows_;
    QStringList texts_;                    ///< [0] is the empty text
    QHash<QString, std::uint32_t> lookup_;  ///< non-empty texts → index into texts_
    std::uint32_t last_ = 0;                ///< the last non-empty text pushed (runs of one tag are common)
};

}  // namespace itap
