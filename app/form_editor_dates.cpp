// SPDX-License-Identifier: GPL-3.0-or-later
// The record editor's approximate dates: a precision, then its parts (form_editor.h).
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "form_editor_pass.h"
#include "i18n.h"

namespace svidok::app::editor_impl {

using forms::DatePrecision;
using forms::Field;
namespace json = forms::json;

namespace {

constexpr float kYearWidth = 70.f;
constexpr float kMonthWidth = 140.f;
constexpr float kDayWidth = 50.f;
constexpr int kMonths = 12;

// A calendar string split at its dashes: "2023-04" is {"2023", "04", ""}. Parts the person has
// not entered yet stay empty ("2023-" while the month is missing), so the split is exact.
struct Ymd {
    std::string y, m, d;
    [[nodiscard]] bool empty() const { return y.empty() && m.empty() && d.empty(); }
};

Ymd split_date(std::string_view s) {
    Ymd out;
    std::array<std::string*, 3> parts{&out.y, &out.m, &out.d};
    std::size_t k = 0;
    for (char c : s) {
        if (c != '-') {
            parts[k]->push_back(c);
        } else if (++k == parts.size()) {
            break;
        }
    }
    return out;
}

// The calendar string for `precision`; a range end carries only the parts entered.
std::string compose(const Ymd& p, DatePrecision precision) {
    switch (precision) {
        case DatePrecision::year:
            return p.y;
        case DatePrecision::month:
            return p.y + "-" + p.m;
        case DatePrecision::day:
            return p.y + "-" + p.m + "-" + p.d;
        case DatePrecision::range:
            break;
    }
    std::string s = p.y;
    if (!p.m.empty() || !p.d.empty()) s += "-" + p.m;
    if (!p.d.empty()) s += "-" + p.d;
    return s;
}

struct DateState {
    DatePrecision precision = DatePrecision::day;
    std::string a, b;  // value or from; to
    bool approximate = false;
};

std::optional<DatePrecision> precision_named(std::string_view name) {
    for (DatePrecision p :
         {DatePrecision::day, DatePrecision::month, DatePrecision::year, DatePrecision::range}) {
        if (forms::date_precision_name(p) == name) return p;
    }
    return std::nullopt;
}

DateState read_date(const Field& f, const json::Value* v, DatePrecision fallback) {
    DateState d{fallback, {}, {}, false};
    const auto p = precision_named(text_of(member_of(v, "precision")));
    if (p && std::ranges::find(f.precisions, *p) != f.precisions.end()) d.precision = *p;
    const bool range = d.precision == DatePrecision::range;
    d.a = text_of(member_of(v, range ? "from" : "value"));
    d.b = text_of(member_of(v, "to"));
    const json::Value* approx = member_of(v, "approximate");
    d.approximate = approx != nullptr && approx->is_bool() && approx->as_bool();
    return d;
}

// Null when nothing is entered, so an untouched date stays unanswered.
json::Value date_value(const DateState& d) {
    const bool range = d.precision == DatePrecision::range;
    const Ymd a = split_date(d.a), b = split_date(d.b);
    if (a.empty() && (!range || b.empty()) && !d.approximate) return {};
    json::Object o{{"precision", std::string(forms::date_precision_name(d.precision))}};
    if (range) {
        o.emplace_back("from", compose(a, d.precision));
        o.emplace_back("to", compose(b, d.precision));
    } else {
        o.emplace_back("value", compose(a, d.precision));
    }
    o.emplace_back("approximate", d.approximate);
    return o;
}

std::string month_key(int m) {
    return "editor.month." + std::to_string(m);
}

}  // namespace

// First the precision, then its parts: "April 2023, approximately" is month precision with a
// year and a month and the approximate box ticked.
void Pass::date_field(const Field& f, const Site& site) {
    const json::Value* v = value_at(root_, site);
    const auto remembered = ed_.precisions_.find(site.path);
    DateState d = read_date(
        f, v, remembered != ed_.precisions_.end() ? remembered->second : f.precisions.front());
    bool edited = false, done = false;
    for (std::size_t i = 0; f.precisions.size() > 1 && i < f.precisions.size(); ++i) {
        const DatePrecision p = f.precisions[i];
        if (i > 0) ImGui::SameLine();
        const std::string pname(forms::date_precision_name(p));
        const std::string name = site.path + ".precision=" + pname;
        if (ImGui::RadioButton(labelled(tr("editor.date." + pname), name).c_str(),
                               d.precision == p) &&
            d.precision != p) {
            if (p == DatePrecision::range) d.b = d.a;
            d.precision = p;
            ed_.precisions_.insert_or_assign(site.path, p);
            edited = done = true;
        }
        track(name);
    }
    if (d.precision == DatePrecision::range) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(tr("editor.date.from"));
        ImGui::SameLine();
        edited = calendar_parts(site.path + ".from", d.a, d.precision) || edited;
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("editor.date.to"));
        ImGui::SameLine();
        edited = calendar_parts(site.path + ".to", d.b, d.precision) || edited;
    } else {
        edited = calendar_parts(site.path + ".value", d.a, d.precision) || edited;
    }
    const std::string approx = site.path + ".approximate";
    if (ImGui::Checkbox(labelled(tr("editor.date.approximate"), approx).c_str(), &d.approximate)) {
        edited = done = true;
    }
    track(approx);
    json::Value next = date_value(d);
    if (edited && !(v == nullptr ? next.is_null() : *v == next))
        commit(site, std::move(next), done);
}

// Year and day take digits only; the month is picked by name.
bool Pass::calendar_parts(const std::string& name, std::string& value, DatePrecision p) {
    Ymd parts = split_date(value);
    bool edited = false;
    ImGui::SetNextItemWidth(kYearWidth);
    if (input(name + ".year", parts.y, tr("editor.date.year_hint"),
              ImGuiInputTextFlags_CallbackCharFilter)) {
        parts.y = ed_.scratch_;
        edited = true;
    }
    if (p != DatePrecision::year) {
        ImGui::SameLine();
        edited = month_combo(name + ".month", parts.m) || edited;
    }
    if (p == DatePrecision::day || p == DatePrecision::range) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(kDayWidth);
        if (input(name + ".day", parts.d, tr("editor.date.day_hint"),
                  ImGuiInputTextFlags_CallbackCharFilter)) {
            parts.d = ed_.scratch_.size() == 1 ? "0" + ed_.scratch_ : ed_.scratch_;
            edited = true;
        }
    }
    if (edited) value = compose(parts, p);
    return edited;
}

bool Pass::month_combo(const std::string& name, std::string& month) {
    int current = 0;
    if (month.size() == 2 && std::isdigit(static_cast<unsigned char>(month[0])) &&
        std::isdigit(static_cast<unsigned char>(month[1]))) {
        current = (month[0] - '0') * 10 + (month[1] - '0');
    }
    if (current > kMonths) current = 0;
    probe_frame(name, kMonthWidth);
    ImGui::SetNextItemWidth(kMonthWidth);
    const char* none = tr("editor.date.no_month");
    bool edited = false;
    if (!ImGui::BeginCombo(("##" + name).c_str(), current > 0 ? tr(month_key(current)) : none)) {
        return false;
    }
    for (int m = 0; m <= kMonths; ++m) {
        const std::string item = name + "=" + (m > 0 ? std::to_string(m) : "");
        if (ImGui::Selectable(labelled(m > 0 ? tr(month_key(m)) : none, item).c_str(),
                              m == current)) {
            month = m > 0 ? formatted("%02d", m) : "";
            edited = true;
        }
        track(item);
    }
    ImGui::EndCombo();
    return edited;
}

std::string date_text(const json::Value& v, forms::Language lang) {
    const Lang ui = lang == forms::Language::uk   ? Lang::uk
                    : lang == forms::Language::ru ? Lang::ru
                                                  : Lang::en;
    const auto part = [&](std::string_view key) {
        return format_date(text_of(member_of(&v, key)), ui);
    };
    const bool range = text_of(member_of(&v, "precision")) == "range";
    std::string s = range ? part("from") + " – " + part("to") : part("value");
    const json::Value* approx = member_of(&v, "approximate");
    if (approx != nullptr && approx->is_bool() && approx->as_bool()) {
        s += std::string(" ") + tr("editor.date.approximately");
    }
    return s;
}

}  // namespace svidok::app::editor_impl
