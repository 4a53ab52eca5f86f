// SPDX-License-Identifier: GPL-3.0-or-later
// The identity QR code, decoded by a real scanner (zbarimg) from the modules the app draws.

#include <doctest/doctest.h>

#include "process.h"
#include "qr.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;

namespace {

/// The matrix as a plain PBM image, 4 pixels per module, with the 4-module quiet zone the app
/// draws.
std::string to_pbm(const app::QrMatrix& qr) {
    constexpr int kScale = 4, kQuiet = 4;
    const int side = (qr.width + 2 * kQuiet) * kScale;
    std::string out = "P1\n" + std::to_string(side) + " " + std::to_string(side) + "\n";
    for (int py = 0; py < side; ++py) {
        for (int px = 0; px < side; ++px) {
            int x = px / kScale - kQuiet, y = py / kScale - kQuiet;
            bool dark = x >= 0 && y >= 0 && x < qr.width && y < qr.width && qr.at(x, y);
            out += dark ? "1 " : "0 ";
        }
        out += '\n';
    }
    return out;
}

}  // namespace

TEST_CASE("the identity QR code scans back to exactly the shared text") {
    REQUIRE_MESSAGE(fs::exists("/usr/bin/zbarimg"), "zbarimg missing: run scripts/setup");
    TempDir tmp;
    // The shape of what the identity page shares: an age recipient and a minisign key.
    const std::string text =
        "age1xk5u2a7v9hx0c2x2p0xjm7r7ukwq8y7q3m6kqz3h9x0c2x2p0xjm7r7ukq5c8ls "
        "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";
    auto qr = app::encode_qr(text);
    REQUIRE(qr);
    CHECK(qr->width >= 21);
    CHECK((qr->width - 17) % 4 == 0);  // a real QR version: 21, 25, ... modules
    write_file(tmp / "qr.pbm", to_pbm(*qr));
    auto scan =
        run_process({"/usr/bin/zbarimg", "--raw", "-q", (tmp / "qr.pbm").string()}, {}, tmp.path());
    REQUIRE_MESSAGE(scan.exit_code == 0, scan.err);
    CHECK(scan.out == text + "\n");
}

TEST_CASE("text too long for any QR code is refused, not truncated") {
    auto qr = app::encode_qr(std::string(5000, 'x'));
    REQUIRE_FALSE(qr);
    CHECK(qr.error().code == Errc::invalid);
}
