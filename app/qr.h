// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// QR codes (libqrencode) of public values only: the identity a legal team scans.

#include <string_view>
#include <vector>

#include "crypto/error.h"

namespace svidok::app {

/// A square of modules, row by row; true is dark.
struct QrMatrix {
    int width = 0;
    std::vector<bool> dark;
    [[nodiscard]] bool at(int x, int y) const {
        return dark[static_cast<std::size_t>(y * width + x)];
    }
};

/// Byte mode, error correction level M, the smallest version that fits.
[[nodiscard]] Result<QrMatrix> encode_qr(std::string_view text);

}  // namespace svidok::app
