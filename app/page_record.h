// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One record: the editor of its draft or the read-only view of its latest version, sealing,
// amending and withdrawing, its history with verification, attachments.

#include <cstdint>

#include "form_editor.h"
#include "model.h"
#include "widgets.h"

namespace svidok::app {

struct RecordPage {
    FormEditor editor;
    std::uint64_t editor_generation = 0;
    bool confirm_seal = false;
    bool confirm_withdraw = false;
    bool confirm_discard = false;
    bool show_attach = false;
    bool delete_original = false;
    FilePicker picker;
    void draw(Model& model, Clipboard& clipboard);
};

}  // namespace svidok::app
