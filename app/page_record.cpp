// SPDX-License-Identifier: GPL-3.0-or-later
// One record: the editor of its draft or the read-only view of its latest version, the seal
// dialog, amend and withdraw, the version history with its verification badge, attachments.
#include "page_record.h"

#include <imgui.h>

#include "crypto/encoding.h"
#include "forms/sealed.h"
#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

const ImVec4 kGood(0.05f, 0.45f, 0.1f, 1.f);
const ImVec4 kBad(0.7f, 0.05f, 0.05f, 1.f);

std::string size_text(std::uint64_t bytes) {
    char buf[32];
    if (bytes >= (1u << 20)) {
        std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    } else if (bytes >= 1024) {
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
    } else {
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    }
    return buf;
}

/// A modal confirmation with a fixed id; returns true when confirmed.
bool confirm_popup(const char* id, const char* title_key, bool& open, const auto& body) {
    if (open) {
        ImGui::OpenPopup(id);
        open = false;
    }
    bool confirmed = false;
    if (ImGui::BeginPopupModal(
            id, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextUnformatted(tr(title_key));
        ImGui::Separator();
        bool allowed = body();
        ImGui::BeginDisabled(!allowed);
        if (ImGui::Button(tr("action.confirm"))) {
            confirmed = true;
            ImGui::CloseCurrentPopup();
        }
        probe::item(std::string(id) + ".confirm");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(tr("action.cancel"))) ImGui::CloseCurrentPopup();
        probe::item(std::string(id) + ".cancel");
        ImGui::EndPopup();
    }
    return confirmed;
}

void badge(const OpenRecord& r) {
    if (r.documents.empty()) {
        ImGui::TextDisabled("%s", tr("record.not_sealed"));
        return;
    }
    if (r.verification.size() != r.documents.size()) return;
    std::size_t bad = 0;
    for (const auto& c : r.verification) bad += c.problem ? 1 : 0;
    if (bad == 0) {
        ImGui::TextColored(kGood, tr("record.verified"), static_cast<int>(r.documents.size()));
    } else {
        ImGui::TextColored(kBad, tr("record.verify_failed"), static_cast<int>(bad));
    }
    probe::item("record.badge");
}

/// What became of the sealed answers: on the legal team's side, opened and checked (or why
/// not); on the device that sealed them, only how many it can no longer show.
void sealed_summary(const OpenRecord& r) {
    if (!r.received) {
        if (const auto n = forms::count_sealed_markers(r.answers); n > 0) {
            ImGui::TextDisabled(tr("sealed.on_device"), static_cast<int>(n));
            probe::item("record.sealed");
        }
        return;
    }
    int opened = 0, foreign = 0;
    for (const auto& u : r.sealed) {
        opened += u.status == forms::SealedStatus::opened ? 1 : 0;
        foreign += u.status == forms::SealedStatus::not_a_recipient ? 1 : 0;
        if (u.status == forms::SealedStatus::damaged) {
            ImGui::TextColored(kBad, tr("sealed.damaged"), u.path.c_str(), u.problem.c_str());
        }
    }
    if (opened > 0) ImGui::TextColored(kGood, tr("sealed.opened"), opened);
    if (foreign > 0) ImGui::TextDisabled(tr("sealed.not_recipient"), foreign);
    if (!r.sealed.empty()) probe::item("record.sealed");
}

/// Who received the record and whose receipt confirmed it (docs/FORMAT.md 14.1).
void delivery(const OpenRecord& r) {
    if (!r.delivery || r.delivery->recipients.empty() || r.delivery->documents == 0) return;
    if (!ImGui::CollapsingHeader(tr("record.delivery"), ImGuiTreeNodeFlags_DefaultOpen)) return;
    const auto total = static_cast<int>(r.delivery->documents);
    for (const auto& d : r.delivery->recipients) {
        ImGui::Text(tr("record.delivery_line"), d.recipient.c_str(), static_cast<int>(d.sent),
                    total, static_cast<int>(d.confirmed), total);
        if (d.custodian) {
            ImGui::SameLine();
            ImGui::TextDisabled("%s", tr("record.custodian"));
        }
    }
    ImGui::TextDisabled("%s", tr(r.delivery->confirmed_by_custodians ? "record.delivered_all"
                                                                     : "record.delivered_not_all"));
    probe::item("record.delivery");
}

void history(const OpenRecord& r, Clipboard& clipboard) {
    if (r.documents.empty()) return;
    if (!ImGui::CollapsingHeader(tr("record.history"), ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (!ImGui::BeginTable("###history", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH))
        return;
    ImGui::TableSetupColumn(tr("record.col.document"));
    ImGui::TableSetupColumn(tr("record.col.sealed_at"));
    ImGui::TableSetupColumn("SHA-256");
    ImGui::TableSetupColumn(tr("record.col.check"));
    ImGui::TableSetupColumn("###copy", ImGuiTableColumnFlags_WidthFixed, 80.f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < r.documents.size(); ++i) {
        const auto& d = r.documents[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (d.kind == forms::LeafKind::record_version) {
            ImGui::Text(tr("record.version"), static_cast<int>(d.version));
        } else {
            ImGui::Text(tr("record.withdrawal"), static_cast<int>(d.version));
        }
        const auto hex = crypto::to_hex(d.sha256);
        ImGui::TableNextColumn();
        if (i < r.verification.size())
            ImGui::TextUnformatted(format_date(r.verification[i].sealed_at, language()).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(hex.substr(0, 16).c_str());
        ImGui::TableNextColumn();
        if (i < r.verification.size()) {
            const auto& c = r.verification[i];
            if (c.purged) {
                ImGui::TextDisabled("%s", tr("record.purged"));
            } else if (c.problem) {
                ImGui::TextColored(kBad, "%s", c.problem->message.c_str());
            } else {
                ImGui::TextColored(kGood, "%s", tr("record.ok"));
            }
        }
        ImGui::TableNextColumn();
        if (ImGui::SmallButton(tr("action.copy_hash"))) clipboard.copy(hex.c_str());
        ImGui::PopID();
    }
    ImGui::EndTable();
}

}  // namespace

void RecordPage::draw(Model& model, Clipboard& clipboard) {
    OpenRecord* r = model.record();
    const Session* s = model.session();
    if (r == nullptr || s == nullptr || r->form == nullptr) {
        show_status(model);
        return;
    }
    const auto lang = content_language();
    ImGui::Text("%s", r->form->title().in(lang).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled(tr("record.id"), forms::format_record_id(r->id).c_str());
    badge(*r);
    sealed_summary(*r);
    show_status(model);

    if (show_progress(model, "record.cancel")) return;

    // Actions.
    if (r->editable()) {
        if (ImGui::Button(tr("record.save"))) model.save_draft();
        probe::item("record.save");
        ImGui::SameLine();
        if (ImGui::Button(tr("record.seal"))) confirm_seal = true;
        probe::item("record.seal");
        ImGui::SameLine();
        if (ImGui::Button(tr("record.attach"))) show_attach = !show_attach;
        probe::item("record.attach");
        ImGui::SameLine();
        if (ImGui::Button(tr("record.discard"))) confirm_discard = true;
        probe::item("record.discard");
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr(r->dirty ? "record.unsaved" : "record.saved"));
    } else if (!r->received && r->info.status != store::RecordStatus::withdrawn) {
        if (ImGui::Button(tr("record.amend"))) model.begin_amendment();
        probe::item("record.amend");
        ImGui::SameLine();
        if (ImGui::Button(tr("record.withdraw"))) confirm_withdraw = true;
        probe::item("record.withdraw");
    }
    if (!r->documents.empty()) {
        ImGui::SameLine();
        if (ImGui::Button(tr("record.verify"))) model.verify_open_record();
        probe::item("record.verify");
    }

    if (confirm_popup("###seal", "seal.title", confirm_seal, [&] {
            ImGui::TextWrapped("%s", tr("seal.intro"));
            ImGui::BulletText(tr("seal.form"), r->form->id().c_str(),
                              static_cast<int>(r->form->version()));
            ImGui::BulletText(tr("seal.version"), static_cast<int>(r->info.versions + 1));
            ImGui::BulletText(tr("seal.files"), static_cast<int>(r->attachments.size()));
            ImGui::BulletText(tr("seal.signer"), s->fingerprint.c_str());
            std::string sealed_to;
            for (const auto& rec : model.recipients()) {
                if (!rec.seal) continue;
                if (!sealed_to.empty()) sealed_to += ", ";
                sealed_to += rec.name;
            }
            if (!sealed_to.empty()) ImGui::BulletText(tr("seal.sealed_to"), sealed_to.c_str());
            if (!r->issues.empty()) {
                ImGui::TextColored(kBad, tr("seal.issues"), static_cast<int>(r->issues.size()));
                for (std::size_t i = 0; i < r->issues.size() && i < 8; ++i) {
                    ImGui::BulletText("%s: %s", r->issues[i].path.c_str(),
                                      r->issues[i].message.c_str());
                }
            }
            return r->issues.empty();
        })) {
        model.seal();
    }
    if (confirm_popup("###withdraw", "withdraw.title", confirm_withdraw, [] {
            ImGui::TextWrapped("%s", tr("withdraw.intro"));
            return true;
        })) {
        model.withdraw_consent();
    }
    if (confirm_popup("###discard", "discard.title", confirm_discard, [] {
            ImGui::TextWrapped("%s", tr("discard.intro"));
            return true;
        })) {
        model.discard_draft();
        return;
    }
    r = model.record();
    if (r == nullptr) return;

    if (show_attach && r->editable()) {
        ImGui::TextWrapped("%s", tr("attach.intro"));
        ImGui::Checkbox(tr("attach.delete_original"), &delete_original);
        if (delete_original) ImGui::TextWrapped("%s", tr("attach.delete_caveat"));
        if (picker.draw("attach.picker", 160.f)) {
            model.attach(picker.chosen, delete_original);
            show_attach = false;
        }
    }

    // Attachments panel.
    if (!r->attachments.empty() &&
        ImGui::CollapsingHeader(tr("record.attachments"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (std::size_t i = 0; i < r->attachments.size(); ++i) {
            const auto& a = r->attachments[i];
            ImGui::PushID(static_cast<int>(i));
            const auto hex = crypto::to_hex(a.sha256);
            ImGui::BulletText("%s  %s  %s", a.name.c_str(), size_text(a.size).c_str(),
                              hex.substr(0, 16).c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton(tr("action.copy_hash"))) clipboard.copy(hex.c_str());
            if (a.location) {
                ImGui::SameLine();
                ImGui::TextColored(kBad, "%s", tr("attach.gps"));
            }
            ImGui::PopID();
        }
    }
    history(*r, clipboard);
    delivery(*r);
    ImGui::Separator();

    ImGui::BeginChild("###answers", ImVec2(0, 0), false);
    if (editor_generation != r->generation) {
        editor = FormEditor{};
        editor_generation = r->generation;
    }
    if (r->editable()) {
        auto events = editor.draw(*r->form, r->answers, r->issues, lang);
        if (events.changed) model.answers_changed();
        if (events.field_deactivated) model.save_draft();
    } else {
        FormEditor::view(*r->form, r->answers, lang);
    }
    ImGui::EndChild();
}

}  // namespace svidok::app
