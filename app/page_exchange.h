// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The exchange page: the export wizard, bundle import with sender trust, receipts.

#include <vector>

#include "model.h"
#include "widgets.h"

namespace svidok::app {

struct ExchangePage {
    std::vector<bool> to;  // per recipient
    int selection = 0;     // 0: undelivered, 1: all, 2: chosen in the records list
    FilePicker out_dir{.dir = {}, .chosen = {}, .folders_only = true};
    FilePicker bundle;
    FilePicker receipt;
    TextField fingerprint;
    void draw(Model& model, const std::vector<store::RecordId>& chosen);
};

}  // namespace svidok::app
