// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The records list: filters, full-text search and a virtualized table.

#include <vector>

#include "model.h"
#include "widgets.h"

namespace svidok::app {

struct RecordsPage {
    TextField search;
    bool focus_search = false;
    int form_choice = 0;    // 0: any
    int status_choice = 0;  // 0: any
    int oblast_choice = 0;  // 0: any
    TextField date_from, date_to;
    std::vector<store::RecordId> selected;  // chosen for export and printouts
    void draw(Model& model);
};

}  // namespace svidok::app
