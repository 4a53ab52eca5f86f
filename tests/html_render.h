// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Rendering an HTML file the way a reader sees it: Debian's headless Chromium takes a
// screenshot, ImageMagick counts its colours. Used to check that the legal outputs are real,
// self-contained pages (a blank or unstyled page would have one or two colours).

#include <string>

#include "process.h"

namespace svidok::test {

inline constexpr const char* kChromium = "/usr/bin/chromium";

/// Renders `html` (a file) to `png` at A4-like width with networking off; returns the number
/// of distinct colours of the screenshot (0 if Chromium failed, with its output in MESSAGE).
inline int render_html(const fs::path& html, const fs::path& png, const fs::path& scratch) {
    const auto profile = scratch / "chromium-profile";
    fs::create_directories(profile);
    auto shot = run_process(
        {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--user-data-dir=" + profile.string(), "--hide-scrollbars", "--window-size=900,1270",
         "--screenshot=" + png.string(), "file://" + fs::absolute(html).string()},
        {"HOME=" + scratch.string()}, scratch);
    if (shot.exit_code != 0 || !fs::exists(png)) {
        MESSAGE("chromium failed (" << shot.exit_code << "): " << shot.err);
        return 0;
    }
    auto colours =
        run_process({"/usr/bin/convert", png.string(), "-format", "%k", "info:"}, {}, scratch);
    if (colours.exit_code != 0) return 0;
    return std::stoi(colours.out);
}

}  // namespace svidok::test
