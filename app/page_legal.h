// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Outputs for the court and the case system.

#include <vector>

#include "model.h"
#include "widgets.h"

namespace svidok::app {

/// The verification report, court printouts of the records chosen in the records list, and the
/// plaintext case export (behind a confirmation).
struct LegalPage {
    FilePicker folder{.dir = {}, .chosen = {}, .folders_only = true};
    FilePicker bundle;
    int report_format = 0;        // 0: HTML, 1: JSON
    bool unknown_sender = false;  // check a bundle of a sender not pinned here anyway
    int case_format = 0;          // 0: CSV, 1: JSON
    bool bom = false;
    bool understood = false;  // the case export is unencrypted
    void draw(Model& model, const std::vector<store::RecordId>& chosen);
};

}  // namespace svidok::app
