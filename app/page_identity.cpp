// SPDX-License-Identifier: GPL-3.0-or-later
// This vault's identity (own fingerprint and QR code), recipients and pinned senders.
#include "page_identity.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

void draw_qr(const QrMatrix& qr, float module) {
    constexpr int kQuiet = 4;  // the quiet zone scanners need, in modules
    const float side = static_cast<float>(qr.width + 2 * kQuiet) * module;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32_WHITE);
    for (int y = 0; y < qr.width; ++y) {
        for (int x = 0; x < qr.width; ++x) {
            if (!qr.at(x, y)) continue;
            ImVec2 a(origin.x + static_cast<float>(x + kQuiet) * module,
                     origin.y + static_cast<float>(y + kQuiet) * module);
            dl->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32_BLACK);
        }
    }
    ImGui::Dummy(ImVec2(side, side));
    probe::item("identity.qr");
}

}  // namespace

void IdentityPage::draw(Model& model) {
    const Session* s = model.session();
    if (s == nullptr) return;
    ImGui::TextUnformatted(tr("identity.title"));
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr("identity.intro"));
    ImGui::Text(tr("identity.fingerprint"), s->fingerprint.c_str());
    probe::item("identity.fingerprint");
    const std::string share = model.share_text();
    if (qr_text != share) {
        auto m = encode_qr(share);
        qr = m ? std::optional(std::move(*m)) : std::nullopt;
        qr_text = share;
    }
    if (qr) draw_qr(*qr, 4.f);
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("identity.share"));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 420.f);
    ImGui::TextUnformatted(share.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(tr("identity.copy"))) ImGui::SetClipboardText(share.c_str());  // public
    probe::item("identity.copy");
    ImGui::EndGroup();

    ImGui::Spacing();
    ImGui::TextUnformatted(tr("recipients.title"));
    ImGui::Separator();
    show_status(model);
    if (model.recipients().empty()) ImGui::TextDisabled("%s", tr("recipients.none"));
    for (std::size_t i = 0; i < model.recipients().size(); ++i) {
        const auto& rec = model.recipients()[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::BulletText("%s  %s%s", rec.name.c_str(), rec.age.to_string().substr(0, 20).c_str(),
                          rec.minisign ? "" : tr("recipients.no_receipts"));
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("action.remove"))) model.remove_recipient(rec.name);
        probe::item("recipients.remove." + std::to_string(i));
        ImGui::PopID();
    }
    ImGui::SetNextItemWidth(200.f);
    name.draw("###recipient_name", tr("recipients.name_hint"));
    probe::item("recipients.name");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(420.f);
    identity.draw("###recipient_identity", tr("recipients.identity_hint"));
    probe::item("recipients.identity");
    ImGui::SameLine();
    if (ImGui::Button(tr("recipients.add")) && model.add_recipient(name.view(), identity.view())) {
        name.text.clear();
        identity.text.clear();
    }
    probe::item("recipients.add");

    ImGui::Spacing();
    ImGui::TextUnformatted(tr("senders.title"));
    ImGui::Separator();
    if (model.senders().empty()) ImGui::TextDisabled("%s", tr("senders.none"));
    for (const auto& sender : model.senders()) {
        ImGui::BulletText(tr("senders.row"), sender.fingerprint.c_str(),
                          static_cast<int>(sender.documents),
                          format_date(sender.pinned_at, language()).c_str());
    }
}

}  // namespace svidok::app
