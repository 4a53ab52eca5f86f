// SPDX-License-Identifier: GPL-3.0-or-later
// The records list: filters, full-text search and a virtualized table (ImGuiListClipper).
#include "page_records.h"

#include <imgui.h>

#include <algorithm>
#include <array>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

constexpr std::array kStatuses{store::ListStatus::draft,     store::ListStatus::sealed,
                               store::ListStatus::amended,   store::ListStatus::withdrawn,
                               store::ListStatus::delivered, store::ListStatus::received};

const char* status_label(store::ListStatus s) {
    switch (s) {
        case store::ListStatus::draft:
            return tr("status.draft");
        case store::ListStatus::sealed:
            return tr("status.sealed");
        case store::ListStatus::amended:
            return tr("status.amended");
        case store::ListStatus::withdrawn:
            return tr("status.withdrawn");
        case store::ListStatus::delivered:
            return tr("status.delivered");
        case store::ListStatus::received:
            return tr("status.received");
    }
    return "";
}

/// The oblast vocabulary of the first form with a location field (all built-in forms share it).
const forms::Vocabulary* oblasts(const std::vector<const forms::FormDefinition*>& forms) {
    for (const auto* f : forms) {
        for (const auto& field : f->fields()) {
            if (field.kind != forms::FieldKind::location) continue;
            if (const auto* v = f->find_vocabulary(field.oblast_vocabulary)) return v;
        }
    }
    return nullptr;
}

const char* form_title(const std::vector<const forms::FormDefinition*>& forms,
                       const std::string& id) {
    for (const auto* f : forms) {
        if (f->id() == id) return f->title().in(content_language()).c_str();
    }
    return id.c_str();
}

}  // namespace

void RecordsPage::draw(Model& model) {
    const auto forms = model.forms();
    const forms::Vocabulary* oblast_vocab = oblasts(forms);
    const auto lang = content_language();

    ImGui::TextUnformatted(tr("records.title"));
    ImGui::SameLine();
    for (const auto* f : forms) {
        ImGui::SameLine();
        ImGui::PushID(f->id().c_str());
        if (ImGui::Button((std::string(tr("records.new")) + " " + f->title().in(lang)).c_str())) {
            model.new_record(*f);
        }
        probe::item("records.new." + f->id());
        ImGui::PopID();
    }
    show_status(model);
    ImGui::Separator();

    // Filters: any change runs the query again (the index answers in milliseconds).
    bool changed = false;
    ImGui::SetNextItemWidth(260.f);
    if (focus_search) {
        ImGui::SetKeyboardFocusHere();
        focus_search = false;
    }
    changed |= search.draw("###search", tr("records.search_hint"));
    probe::item("records.search");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(180.f);
    std::string any = tr("records.any");
    const char* form_preview =
        form_choice == 0
            ? any.c_str()
            : forms[static_cast<std::size_t>(form_choice - 1)]->title().in(lang).c_str();
    if (ImGui::BeginCombo("###form", form_preview)) {
        if (ImGui::Selectable(any.c_str(), form_choice == 0)) {
            form_choice = 0;
            changed = true;
        }
        for (std::size_t i = 0; i < forms.size(); ++i) {
            if (ImGui::Selectable(forms[i]->title().in(lang).c_str(),
                                  form_choice == static_cast<int>(i + 1))) {
                form_choice = static_cast<int>(i + 1);
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    probe::item("records.filter.form");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150.f);
    if (ImGui::BeginCombo(
            "###status",
            status_choice == 0
                ? any.c_str()
                : status_label(kStatuses[static_cast<std::size_t>(status_choice - 1)]))) {
        if (ImGui::Selectable(any.c_str(), status_choice == 0)) {
            status_choice = 0;
            changed = true;
        }
        for (std::size_t i = 0; i < kStatuses.size(); ++i) {
            if (ImGui::Selectable(status_label(kStatuses[i]),
                                  status_choice == static_cast<int>(i + 1))) {
                status_choice = static_cast<int>(i + 1);
                changed = true;
            }
            probe::item("records.filter.status." +
                        std::string(store::list_status_name(kStatuses[i])));
        }
        ImGui::EndCombo();
    }
    probe::item("records.filter.status");
    if (oblast_vocab != nullptr) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(200.f);
        const char* preview =
            oblast_choice == 0 ? any.c_str()
                               : oblast_vocab->entries[static_cast<std::size_t>(oblast_choice - 1)]
                                     .label.in(lang)
                                     .c_str();
        if (ImGui::BeginCombo("###oblast", preview)) {
            if (ImGui::Selectable(any.c_str(), oblast_choice == 0)) {
                oblast_choice = 0;
                changed = true;
            }
            for (std::size_t i = 0; i < oblast_vocab->entries.size(); ++i) {
                if (ImGui::Selectable(oblast_vocab->entries[i].label.in(lang).c_str(),
                                      oblast_choice == static_cast<int>(i + 1))) {
                    oblast_choice = static_cast<int>(i + 1);
                    changed = true;
                }
            }
            ImGui::EndCombo();
        }
        probe::item("records.filter.oblast");
    }
    ImGui::SetNextItemWidth(160.f);
    changed |= date_from.draw("###from", tr("records.date_from"), ImGuiInputTextFlags_CharsDecimal);
    probe::item("records.filter.from");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160.f);
    changed |= date_to.draw("###to", tr("records.date_to"), ImGuiInputTextFlags_CharsDecimal);
    probe::item("records.filter.to");
    ImGui::SameLine();
    ImGui::TextDisabled(tr("records.count"), static_cast<int>(model.rows().size()),
                        static_cast<double>(model.last_query_time().count()) / 1000.0);

    if (changed) {
        model.filter.text = search.view();
        model.filter.form_id =
            form_choice == 0 ? "" : forms[static_cast<std::size_t>(form_choice - 1)]->id();
        model.filter.status =
            status_choice == 0
                ? std::nullopt
                : std::optional(kStatuses[static_cast<std::size_t>(status_choice - 1)]);
        model.filter.oblast =
            oblast_choice == 0 || oblast_vocab == nullptr
                ? ""
                : oblast_vocab->entries[static_cast<std::size_t>(oblast_choice - 1)].id;
        // Only whole dates filter; a date still being typed does not.
        model.filter.date_from = date_from.text.size() == 10 ? date_from.view() : "";
        model.filter.date_to = date_to.text.size() == 10 ? date_to.view() : "";
        model.refresh_rows();
    }

    const auto& rows = model.rows();
    if (rows.empty()) ImGui::TextDisabled("%s", tr("records.empty"));
    if (!ImGui::BeginTable("###records", 6,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                               ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable)) {
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("###sel", ImGuiTableColumnFlags_WidthFixed, 28.f);
    ImGui::TableSetupColumn(tr("records.col.form"));
    ImGui::TableSetupColumn(tr("records.col.status"));
    ImGui::TableSetupColumn(tr("records.col.date"));
    ImGui::TableSetupColumn(tr("records.col.place"));
    ImGui::TableSetupColumn(tr("records.col.pseudonym"));
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const auto& row = rows[static_cast<std::size_t>(i)];
            ImGui::PushID(i);  // the row's position: ids never carry record content
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            auto sel = std::find(selected.begin(), selected.end(), row.id);
            bool is_selected = sel != selected.end();
            if (ImGui::Checkbox("###pick", &is_selected)) {
                if (is_selected) {
                    selected.push_back(row.id);
                } else {
                    selected.erase(sel);
                }
            }
            probe::item("records.pick." + std::to_string(i));
            ImGui::TableNextColumn();
            if (ImGui::Selectable(
                    form_title(forms, row.form_id), false,
                    ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
                model.open_record(row.id, row.origin);
            }
            probe::item("records.row." + std::to_string(i));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(status_label(row.status));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_date(row.incident_date, language()).c_str());
            ImGui::TableNextColumn();
            const forms::VocabularyEntry* o =
                oblast_vocab != nullptr ? oblast_vocab->find(row.oblast) : nullptr;
            ImGui::TextUnformatted(o != nullptr ? o->label.in(lang).c_str() : row.oblast.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.pseudonym.c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

}  // namespace svidok::app
