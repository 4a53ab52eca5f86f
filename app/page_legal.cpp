// SPDX-License-Identifier: GPL-3.0-or-later
// The legal outputs page: verification report, court printouts, case-system export.
#include "page_legal.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

const ImVec4 kBad(0.7f, 0.05f, 0.05f, 1.f);
const ImVec4 kGood(0.05f, 0.45f, 0.12f, 1.f);

void section(const char* title_key, const char* explain_key) {
    ImGui::Spacing();
    ImGui::TextUnformatted(tr(title_key));
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr(explain_key));
}

}  // namespace

void LegalPage::draw(Model& model, const std::vector<store::RecordId>& chosen) {
    ImGui::TextUnformatted(tr("legal.title"));
    ImGui::Separator();
    show_status(model);
    if (show_progress(model, "legal.cancel")) return;

    if (const auto& done = model.legal_done()) {
        if (done->report && done->all_verified) {
            ImGui::TextColored(kGood, tr("legal.report.all_verified"),
                               static_cast<int>(done->verified));
        } else if (done->report) {
            ImGui::TextColored(kBad, tr("legal.report.problems"), static_cast<int>(done->verified),
                               static_cast<int>(done->failed), static_cast<int>(done->missing));
        }
        ImGui::TextWrapped(tr("legal.written"), done->path.string().c_str());
        probe::item("legal.done");
    }

    ImGui::TextUnformatted(tr("legal.folder"));
    folder.draw("legal.folder", 90.f);
    if (!folder.chosen.empty())
        ImGui::Text(tr("legal.folder_chosen"), folder.chosen.string().c_str());
    const bool no_folder = folder.chosen.empty();

    section("legal.report.title", "legal.report.explain");
    ImGui::TextUnformatted(tr("legal.report.choose"));
    bundle.draw("legal.bundle", 90.f);
    if (!bundle.chosen.empty())
        ImGui::Text(tr("legal.report.bundle_chosen"), bundle.chosen.filename().string().c_str());
    ImGui::RadioButton(tr("legal.format_html"), &report_format, 0);
    probe::item("legal.report.html");
    ImGui::SameLine();
    ImGui::RadioButton(tr("legal.format_json"), &report_format, 1);
    probe::item("legal.report.json");
    ImGui::SameLine();  // one line with the format: the page's height stays as it was
    ImGui::Checkbox(tr("legal.report.unknown_sender"), &unknown_sender);
    probe::item("legal.report.unknown_sender");
    ImGui::BeginDisabled(no_folder || bundle.chosen.empty());
    if (ImGui::Button(tr("legal.report.button"))) {
        model.write_report(
            bundle.chosen,
            report_format == 0 ? Model::ReportFormat::html : Model::ReportFormat::json,
            folder.chosen, unknown_sender);
    }
    probe::item("legal.report.button");
    ImGui::EndDisabled();

    section("legal.print.title", "legal.print.explain");
    if (chosen.empty()) {
        ImGui::TextDisabled("%s", tr("legal.print.none"));
    } else {
        char label[128];
        std::snprintf(label, sizeof label, tr("legal.print.button"),
                      static_cast<int>(chosen.size()));
        std::string button = label;
        button += "###print";  // a fixed id whatever the count
        ImGui::BeginDisabled(no_folder);
        if (ImGui::Button(button.c_str())) model.print_records(chosen, folder.chosen);
        probe::item("legal.print.button");
        ImGui::EndDisabled();
    }

    section("legal.export.title", "legal.export.explain");
    ImGui::RadioButton(tr("legal.format_csv"), &case_format, 0);
    probe::item("legal.export.csv");
    ImGui::SameLine();
    ImGui::RadioButton(tr("legal.format_json"), &case_format, 1);
    probe::item("legal.export.json");
    if (case_format == 0) {
        ImGui::Checkbox(tr("legal.export.bom"), &bom);
        probe::item("legal.export.bom");
    }
    ImGui::PushTextWrapPos(0.f);
    ImGui::TextColored(kBad, "%s", tr("legal.export.warning"));
    ImGui::PopTextWrapPos();
    probe::item("legal.export.warning");
    ImGui::Checkbox(tr("legal.export.confirm"), &understood);
    probe::item("legal.export.confirm");
    ImGui::BeginDisabled(no_folder || !understood);
    if (ImGui::Button(tr("legal.export.button"))) {
        model.export_case(case_format == 0 ? store::CaseFormat::csv : store::CaseFormat::json,
                          case_format == 0 && bom, folder.chosen);
        understood = false;  // asked again for every export
    }
    probe::item("legal.export.button");
    ImGui::EndDisabled();
    ImGui::Dummy(ImVec2(0.f, ImGui::GetFrameHeight()));  // the last button never sits on the edge
}

}  // namespace svidok::app
