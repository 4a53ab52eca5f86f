// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where the last frame drew each named widget, so the headless tests can click and type into
// it through ImGuiIO like a person would. Names are fixed identifiers and field paths
// ("editor.witness.pseudonym", "records.row.3"), never user data. Cleared by Ui::draw each
// frame; recording costs one map insert per named widget.

#include <imgui.h>

#include <map>
#include <string>
#include <string_view>

namespace svidok::app::probe {

struct Rect {
    ImVec2 min, max;
    [[nodiscard]] ImVec2 center() const { return {(min.x + max.x) / 2.f, (min.y + max.y) / 2.f}; }
};

/// The widgets named during the last frame.
std::map<std::string, Rect, std::less<>>& rects();

/// Records the last item (ImGui::GetItemRectMin/Max) under `name`.
void item(std::string_view name);

/// Clears the map; called at the start of each frame.
void clear();

}  // namespace svidok::app::probe
