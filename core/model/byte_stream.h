#pragma once

// Little-endian binary writer/reader for the model file. The reader never reads past its buffer: every
// read reports failure instead, so a truncated or hostile file cannot cause an out-of-bounds access.

#include <QByteArray>
#include <QtEndian>

#include <cstdint>
#include <cstring>

namespace itap {

class ByteWriter {
public:
    void u32(std::uint32_t v) { put(qToLittleEndian(v)); }
    void i32(std::int32_t v) { put(qToLittleEndian(v)); }
    void u64(std::uint64_t v) { put(qToLittleEndian(v)); }
    void f32(float v) {
        std::uint32_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        u32(bits);
    }
    void bytes(const QByteArray& b) { buf_.append(b); }
    [[nodiscard]] QByteArray& buffer() { return buf_; }

private:
    template <typename T>
    void put(T v) {
        buf_.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    QByteArray buf_;
};

class ByteReader {
public:
    ByteReader(const char* data, std::size_t size) : data_(data), size_(size) {}

    [[nodiscard]] std::size_t remaining() const { return size_ - pos_; }
    [[nodiscard]] std::size_t position() const { return pos_; }

    bool u32(std::uint32_t& v) { return get(v); }
    bool i32(std::int32_t& v) { return get(v); }
    bool u64(std::uint64_t& v) { return get(v); }
    bool f32(float& v) {
        std::uint32_t bits;
        if (!get(bits))
            return false;
        std::memcpy(&v, &bits, sizeof v);
        return true;
    }
    bool bytes(std::size_t n, QByteArray& out) {
        if (n > remaining())
            return false;
        out = QByteArray(data_ + pos_, static_cast<qsizetype>(n));
        pos_ += n;
        return true;
    }

private:
    template <typename T>
    bool get(T& v) {
        if (sizeof v > remaining())
            return false;
        T raw;
        std::memcpy(&raw, data_ + pos_, sizeof raw);
        v = qFromLittleEndian(raw);
        pos_ += sizeof v;
        return true;
    }
    const char* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

}  // namespace itap
