// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The pages of an unlocked vault, held in one aggregate and listed once. Navigation, drawing
// and the tests walk page_list(); locking resets the whole Pages value, so a page added here
// is cleared on lock without anyone remembering to.

#include <span>

#include "model.h"
#include "page_audit.h"
#include "page_exchange.h"
#include "page_identity.h"
#include "page_legal.h"
#include "page_record.h"
#include "page_records.h"
#include "page_safety.h"
#include "page_settings.h"
#include "settings.h"
#include "widgets.h"

namespace svidok::app {

/// Everything the pages hold between frames: typed text, choices, the editor's buffers.
struct Pages {
    RecordsPage records;
    RecordPage record;
    IdentityPage identity;
    ExchangePage exchange;
    LegalPage legal;
    AuditPage audit;
    SafetyPage safety;
    SettingsPage settings;
};

/// Destroys every page (their text buffers are zeroed as they are freed), zeroes the bytes of
/// the aggregate itself (short strings live there) and constructs fresh pages in place.
void reset(Pages& pages);

/// What a page's draw() may reach besides its own state.
struct PageEnv {
    Model& model;
    Clipboard& clipboard;
    Settings& settings;
    bool& settings_changed;      // set when the settings page changed them
    bool prepare_decoy = false;  // set when the safety page asks to prepare the decoy
};

/// One page: the Model's page id, its navigation entry and how it is drawn.
struct PageEntry {
    Page page;
    /// The navigation entry's string key (also its probe name); nullptr for a page reached
    /// from another one (a record, from the records list).
    const char* nav_key;
    /// The navigation entry shown as current while this page is open.
    Page nav_as;
    void (*draw)(Pages& pages, PageEnv& env);
};

/// Every page, in navigation order.
[[nodiscard]] std::span<const PageEntry> page_list() noexcept;

/// The entry of `page`.
[[nodiscard]] const PageEntry& page_entry(Page page) noexcept;

}  // namespace svidok::app
