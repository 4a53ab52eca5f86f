// SPDX-License-Identifier: GPL-3.0-or-later
// The settings page, with the About section.
#include "page_settings.h"

#include <imgui.h>

#include <string>

#include "crypto/build_info.h"
#include "i18n.h"
#include "probe.h"

namespace svidok::app {

void SettingsPage::draw(Settings& settings, bool& changed) {
    ImGui::TextUnformatted(tr("settings.title"));
    ImGui::Separator();
    ImGui::TextUnformatted(tr("settings.language"));
    int lang = static_cast<int>(settings.language);
    // Each language's name is written in that language, so anyone can find their own.
    changed |= ImGui::RadioButton("English", &lang, static_cast<int>(Lang::en));
    probe::item("settings.lang.en");
    ImGui::SameLine();
    changed |= ImGui::RadioButton("Українська", &lang, static_cast<int>(Lang::uk));
    probe::item("settings.lang.uk");
    ImGui::SameLine();
    changed |= ImGui::RadioButton("Русский", &lang, static_cast<int>(Lang::ru));
    probe::item("settings.lang.ru");
    settings.language = static_cast<Lang>(lang);

    ImGui::Spacing();
    ImGui::SetNextItemWidth(260.f);
    changed |= ImGui::SliderInt(
        tr("settings.auto_lock"), &settings.auto_lock_minutes, 0, Settings::kMaxAutoLockMinutes,
        settings.auto_lock_minutes == 0 ? tr("settings.never") : tr("settings.minutes"));
    probe::item("settings.auto_lock");
    ImGui::SetNextItemWidth(260.f);
    int percent = static_cast<int>(settings.text_scale * 100.f + 0.5f);
    if (ImGui::SliderInt(tr("settings.text_size"), &percent, 80, 200, "%d%%")) {
        settings.text_scale = static_cast<float>(percent) / 100.f;
        changed = true;
    }
    probe::item("settings.text_size");
    ImGui::TextWrapped("%s", tr("settings.note"));

    // About: which build this is, as `svidok --version` prints it (docs/RELEASE.md), so a user
    // can tell a legal team exactly which program made their bundles.
    static const std::string build = crypto::build_id();
    ImGui::Spacing();
    ImGui::TextUnformatted(tr("settings.about"));
    ImGui::Separator();
    ImGui::Text(tr("settings.version"), crypto::build_version().data());
    ImGui::Text(tr("settings.commit"), crypto::build_commit().data());
    ImGui::Text(tr("settings.build"), build.empty() ? "-" : build.c_str());
    probe::item("settings.about");
}

}  // namespace svidok::app
