#pragma once

#include <QString>
#include <QStringView>

namespace itap {

/// True for a character that must not reach a terminal or a log as it is: C0 controls (including TAB, CR,
/// LF and ESC), DEL and the C1 controls U+0080..U+009F.
[[nodiscard]] inline bool isControlCharacter(char16_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/// `text` with every control character (isControlCharacter()) and every other unprintable character written
/// as an escape: \xNN below U+0100, \u{NNNN} above. Cell text goes through this before it is put into a
/// message, so that a hostile cell cannot move the cursor, recolour the terminal or forge log lines.
[[nodiscard]] QString printableText(QStringView text);

/// The first control character of a UTF-8 byte string (isControlCharacter(); C1 controls are encoded as
/// 0xC2 0x80..0x9F), as its byte offset; -1 when there is none.
[[nodiscard]] qsizetype firstControlByte(const char* data, qsizetype size);

}  // namespace itap
