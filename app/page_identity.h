// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// This vault's identity (fingerprint and QR code), its recipients and pinned senders.

#include <optional>
#include <string>

#include "model.h"
#include "qr.h"
#include "widgets.h"

namespace svidok::app {

struct IdentityPage {
    TextField name;
    TextField identity;
    std::optional<QrMatrix> qr;
    std::string qr_text;  // what `qr` encodes (public keys only)
    void draw(Model& model);
};

}  // namespace svidok::app
