// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The audit page: verifies the whole vault (log, signatures, attachments).

#include "model.h"

namespace svidok::app {

struct AuditPage {
    void draw(Model& model);
};

}  // namespace svidok::app
