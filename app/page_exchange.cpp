// SPDX-License-Identifier: GPL-3.0-or-later
// The exchange page: export wizard, bundle import with sender trust, receipts.
#include "page_exchange.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

const ImVec4 kBad(0.7f, 0.05f, 0.05f, 1.f);

}  // namespace

void ExchangePage::draw(Model& model, const std::vector<store::RecordId>& chosen) {
    ImGui::TextUnformatted(tr("export.title"));
    ImGui::Separator();
    show_status(model);
    if (show_progress(model, "exchange.cancel")) return;
    const auto& recipients = model.recipients();
    to.resize(recipients.size(), recipients.size() == 1);
    if (recipients.empty()) {
        ImGui::TextWrapped("%s", tr("export.no_recipients"));
    } else {
        ImGui::TextUnformatted(tr("export.step_to"));
        for (std::size_t i = 0; i < recipients.size(); ++i) {
            bool on = to[i];
            ImGui::PushID(static_cast<int>(i));
            std::string label = recipients[i].name;
            label += "###to";  // the id is the position alone, never the name
            if (ImGui::Checkbox(label.c_str(), &on)) to[i] = on;
            probe::item("export.to." + std::to_string(i));
            ImGui::PopID();
        }
        ImGui::TextUnformatted(tr("export.step_what"));
        ImGui::RadioButton(tr("export.undelivered"), &selection, 0);
        probe::item("export.undelivered");
        ImGui::SameLine();
        ImGui::RadioButton(tr("export.all"), &selection, 1);
        probe::item("export.all");
        ImGui::SameLine();
        ImGui::BeginDisabled(chosen.empty());
        char chosen_label[128];
        std::snprintf(chosen_label, sizeof chosen_label, tr("export.chosen"),
                      static_cast<int>(chosen.size()));
        ImGui::RadioButton(chosen_label, &selection, 2);
        probe::item("export.chosen");
        ImGui::EndDisabled();
        ImGui::TextUnformatted(tr("export.step_where"));
        out_dir.draw("export.folder", 110.f);
        if (!out_dir.chosen.empty())
            ImGui::Text(tr("export.folder_chosen"), out_dir.chosen.string().c_str());
        std::vector<std::string> names;
        for (std::size_t i = 0; i < recipients.size(); ++i) {
            if (to[i]) names.push_back(recipients[i].name);
        }
        ImGui::BeginDisabled(names.empty() || out_dir.chosen.empty() ||
                             (selection == 2 && chosen.empty()));
        if (ImGui::Button(tr("export.button"))) {
            using Sel = store::Bundles::Selection;
            Sel sel = selection == 0 ? Sel::undelivered : selection == 1 ? Sel::all : Sel::records;
            model.export_bundle(names, out_dir.chosen, sel,
                                sel == Sel::records ? chosen : std::vector<store::RecordId>{});
        }
        probe::item("export.button");
        ImGui::EndDisabled();
        if (const auto& e = model.exported()) {
            ImGui::Text(tr("export.result"), static_cast<int>(e->records),
                        static_cast<int>(e->attachments), e->file.string().c_str());
            probe::item("export.result");
        }
    }

    ImGui::Spacing();
    ImGui::TextUnformatted(tr("import.title"));
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr("import.intro"));
    bundle.draw("import.picker", 110.f);
    const bool is_receipt = bundle.chosen.filename().string().ends_with(".receipt.age");
    if (!bundle.chosen.empty())
        ImGui::Text(tr("import.chosen"), bundle.chosen.filename().string().c_str());
    if (model.import_needs_trust()) {
        ImGui::TextColored(kBad, "%s", tr("import.trust_intro"));
        ImGui::SetNextItemWidth(360.f);
        fingerprint.draw("###fingerprint", tr("import.fingerprint_hint"));
        probe::item("import.fingerprint");
        ImGui::SameLine();
        ImGui::BeginDisabled(fingerprint.text.empty());
        if (ImGui::Button(tr("import.trust_button")))
            model.import_bundle(bundle.chosen, std::string(fingerprint.view()));
        probe::item("import.trust_button");
        ImGui::EndDisabled();
    }
    ImGui::BeginDisabled(bundle.chosen.empty());
    if (ImGui::Button(tr(is_receipt ? "import.receipt_button" : "import.button"))) {
        fingerprint.text.clear();
        if (is_receipt) {
            model.import_receipt(bundle.chosen);
        } else {
            model.import_bundle(bundle.chosen, std::nullopt);
        }
    }
    probe::item("import.button");
    ImGui::EndDisabled();
    if (const auto& i = model.imported()) {
        ImGui::BulletText(tr("import.report.sender"), i->fingerprint.c_str());
        ImGui::BulletText(tr("import.report.signatures"), static_cast<int>(i->documents));
        ImGui::BulletText(tr("import.report.new"), static_cast<int>(i->new_documents),
                          static_cast<int>(i->records));
        ImGui::BulletText(tr("import.report.files"), static_cast<int>(i->attachments));
        ImGui::BulletText(tr("import.report.log"), static_cast<int>(i->checkpoint_size));
        if (i->log_entries_missing > 0) {
            ImGui::TextColored(kBad, tr("import.report.missing"),
                               static_cast<int>(i->log_entries_missing));
        }
        if (!i->receipt.empty()) {
            ImGui::BulletText(tr("import.report.receipt"), i->receipt.string().c_str());
        } else if (!i->receipt_problem.empty()) {
            ImGui::TextColored(kBad, tr("import.report.no_receipt"), i->receipt_problem.c_str());
        }
        probe::item("import.report");
    }
}

}  // namespace svidok::app
