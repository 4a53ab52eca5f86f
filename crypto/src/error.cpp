// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/error.h"

namespace svidok {

const char* errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::usage:
            return "usage";
        case Errc::io:
            return "io";
        case Errc::auth_failed:
            return "auth_failed";
        case Errc::integrity:
            return "integrity";
        case Errc::corrupt:
            return "corrupt";
        case Errc::unsupported:
            return "unsupported";
        case Errc::not_found:
            return "not_found";
        case Errc::exists:
            return "exists";
        case Errc::invalid:
            return "invalid";
        case Errc::internal:
            return "internal";
    }
    return "unknown";
}

}  // namespace svidok
