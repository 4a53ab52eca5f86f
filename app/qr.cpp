// SPDX-License-Identifier: GPL-3.0-or-later
#include "qr.h"

#include <qrencode.h>

#include <memory>
#include <string>

namespace svidok::app {

Result<QrMatrix> encode_qr(std::string_view text) {
    const std::string copy(text);  // libqrencode wants a NUL-terminated string
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return fail(Errc::invalid, "the text does not fit in a QR code");
    QrMatrix m;
    m.width = code->width;
    m.dark.resize(static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.width));
    for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
    return m;
}

}  // namespace svidok::app
