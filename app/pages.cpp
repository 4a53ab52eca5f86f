// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages.h"

#include <sodium.h>

#include <cstdlib>
#include <memory>

namespace svidok::app {

void reset(Pages& pages) {
    std::destroy_at(&pages);
    sodium_memzero(&pages, sizeof pages);
    std::construct_at(&pages);
}

namespace {

constexpr PageEntry kPages[] = {
    {Page::records, "nav.records", Page::records,
     [](Pages& p, PageEnv& e) { p.records.draw(e.model); }},
    {Page::record, nullptr, Page::records,
     [](Pages& p, PageEnv& e) { p.record.draw(e.model, e.clipboard); }},
    {Page::identity, "nav.identity", Page::identity,
     [](Pages& p, PageEnv& e) { p.identity.draw(e.model); }},
    {Page::exchange, "nav.exchange", Page::exchange,
     [](Pages& p, PageEnv& e) { p.exchange.draw(e.model, p.records.selected); }},
    {Page::legal, "nav.legal", Page::legal,
     [](Pages& p, PageEnv& e) { p.legal.draw(e.model, p.records.selected); }},
    {Page::audit, "nav.audit", Page::audit, [](Pages& p, PageEnv& e) { p.audit.draw(e.model); }},
    {Page::safety, "nav.safety", Page::safety,
     [](Pages& p, PageEnv& e) { p.safety.draw(e.model, e.prepare_decoy); }},
    {Page::settings, "nav.settings", Page::settings,
     [](Pages& p, PageEnv& e) { p.settings.draw(e.settings, e.settings_changed); }},
};

}  // namespace

std::span<const PageEntry> page_list() noexcept {
    return kPages;
}

const PageEntry& page_entry(Page page) noexcept {
    for (const auto& e : kPages)
        if (e.page == page) return e;
    std::abort();  // every Page has an entry (a test walks them all)
}

}  // namespace svidok::app
