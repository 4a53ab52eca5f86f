// SPDX-License-Identifier: GPL-3.0-or-later
// The audit page (verify the whole vault) and the settings page with the About section.
#include <imgui.h>

#include <string>

#include "crypto/build_info.h"
#include "i18n.h"
#include "probe.h"
#include "ui.h"

namespace svidok::app {

void AuditPage::draw(Model& model) {
    ImGui::TextUnformatted(tr("audit.title"));
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr("audit.intro"));
    show_status(model);
    if (show_progress(model, "audit.cancel")) return;
    if (ImGui::Button(tr("audit.button"))) model.audit();
    probe::item("audit.button");
    const auto& report = model.audit_report();
    if (!report) return;
    const auto& log = report->log;
    if (report->ok()) {
        ImGui::TextColored(ImVec4(0.05f, 0.45f, 0.1f, 1.f), "%s", tr("audit.ok"));
    } else {
        ImGui::TextColored(
            ImVec4(0.7f, 0.05f, 0.05f, 1.f), tr("audit.failed"),
            static_cast<int>(log.problems.size() + report->attachment_problems.size()));
    }
    probe::item("audit.result");
    ImGui::BulletText(tr("audit.records"), static_cast<int>(report->records),
                      static_cast<int>(log.versions), static_cast<int>(log.withdrawals));
    ImGui::BulletText(tr("audit.log"), static_cast<int>(log.size),
                      static_cast<int>(log.checkpoints));
    ImGui::BulletText(tr("audit.files"), static_cast<int>(report->attachments),
                      static_cast<double>(report->attachment_bytes) / (1 << 20));
    for (const auto& p : log.problems) ImGui::BulletText("%s", p.c_str());
    for (const auto& p : report->attachment_problems) ImGui::BulletText("%s", p.c_str());
}

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
