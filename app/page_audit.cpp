// SPDX-License-Identifier: GPL-3.0-or-later
// The audit page: verify the whole vault.
#include "page_audit.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"
#include "widgets.h"

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

}  // namespace svidok::app
