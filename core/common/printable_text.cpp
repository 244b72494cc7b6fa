#include "common/printable_text.h"

namespace itap {

QString printableText(QStringView text) {
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        // A valid surrogate pair is one printable character or not as a whole.
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            const char32_t ucs = QChar::surrogateToUcs4(c, text[i + 1]);
            if (QChar::isPrint(ucs))
                out.append(c).append(text[i + 1]);
            else
                out += QStringLiteral("\\u{%1}").arg(quint32(ucs), 0, 16);
            ++i;
            continue;
        }
        if (!isControlCharacter(c.unicode()) && c.isPrint()) {
            out.append(c);
        } else if (c.unicode() < 0x100) {
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        } else {
            out += QStringLiteral("\\u{%1}").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        }
    }
    return out;
}

qsizetype firstControlByte(const char* data, qsizetype size) {
    for (qsizetype i = 0; i < size; ++i) {
        const auto b = static_cast<unsigned char>(data[i]);
        if (b < 0x20 || b == 0x7F)
            return i;
        if (b == 0xC2 && i + 1 < size && static_cast<unsigned char>(data[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(data[i + 1]) <= 0x9F)
            return i;
    }
    return -1;
}

}  // namespace itap
