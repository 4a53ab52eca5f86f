// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/case_table.h"

#include <array>

#include "forms/answers.h"
#include "forms/sealed.h"
#include "values.h"

namespace svidok::forms::case_table {
namespace {

using detail::index_path;
using detail::member_path;

struct Word {
    std::string_view what;
    std::array<std::string_view, kLanguageCount> text;  // en, uk, ru
};

constexpr std::array kWords{
    Word{"record_id", {"Record id", "Ідентифікатор запису", "Идентификатор записи"}},
    Word{"row", {"Row", "Рядок", "Строка"}},
    Word{"version", {"Version", "Версія", "Версия"}},
    Word{"origin", {"Device", "Пристрій", "Устройство"}},
    Word{"sealed_at", {"Signed at (UTC)", "Підписано (UTC)", "Подписано (UTC)"}},
    Word{"sha256",
         {"SHA-256 of the signed document", "SHA-256 підписаного документа",
          "SHA-256 подписанного документа"}},
    Word{"verification", {"Verification", "Перевірка", "Проверка"}},
    Word{"code", {"code", "код", "код"}},
    Word{"rows", {"rows", "рядків", "строк"}},
    Word{"yes", {"yes", "так", "да"}},
    Word{"no", {"no", "ні", "нет"}},
    Word{"oblast", {"oblast", "область", "область"}},
    Word{"raion", {"raion", "район", "район"}},
    Word{"settlement", {"settlement", "населений пункт", "населённый пункт"}},
    Word{"details", {"details", "подробиці", "подробности"}},
    Word{"coordinates", {"coordinates", "координати", "координаты"}},
    Word{"given", {"given", "надано", "дано"}},
    Word{"time", {"time", "час", "время"}},
    Word{"files", {"files", "файли", "файлы"}},
    Word{"names", {"names", "назви", "названия"}},
};

std::string joined_header(const std::string& prefix, std::string_view part) {
    if (prefix.empty()) return std::string(part);
    std::string out = prefix;
    out += " / ";
    out += part;
    return out;
}

std::string suffixed(const std::string& header, std::string_view word_text) {
    std::string out = header;
    out += " (";
    out += word_text;
    out += ')';
    return out;
}

class Walker {
public:
    Walker(const FormDefinition& form, const CellOptions& options, std::vector<Table>& tables,
           std::string record_id)
        : form_(form),
          o_(options),
          tables_(tables),
          record_id_(std::move(record_id)),
          table_of_(form.fields().size(), kNoField) {
        for (std::size_t t = 0; t < tables_.size(); ++t) {
            if (tables_[t].repeat != kNoField) table_of_[tables_[t].repeat] = t;
        }
    }

    /// Declares (row == nullptr) or fills the cells of field `fi` with answer `v` (nullptr:
    /// absent), standing at `path`. `forced`: every cell is this text (a sealed ancestor).
    void field(std::size_t fi, const json::Value* v, const std::string& path,
               const std::string& prefix, std::size_t table, std::vector<std::string>* row,
               const std::string& row_key, const std::string* forced) {
        const Field& f = form_.field(fi);
        const std::string key = field_key(form_, fi);
        const std::string header = joined_header(prefix, f.label.in(o_.lang));
        std::string sealed_text;
        if (forced == nullptr && v != nullptr && is_sealed_marker(*v)) {
            sealed_text = o_.sealed_cell ? o_.sealed_cell(path) : std::string(kSealedPlaceholder);
            forced = &sealed_text;
        }
        auto emit = [&](std::string col_key, std::string col_header, std::string text) {
            if (row == nullptr) {
                tables_[table].columns.push_back({std::move(col_key), std::move(col_header)});
            } else {
                row->push_back(forced != nullptr ? *forced : std::move(text));
            }
        };
        const bool live = row != nullptr && forced == nullptr && v != nullptr && !v->is_null();
        switch (f.kind) {
            case FieldKind::group:
                for (std::size_t c : f.children) {
                    const Field& child = form_.field(c);
                    const json::Value* cv = live && v->is_object() ? v->find(child.id) : nullptr;
                    field(c, cv, member_path(path, child.id), header, table, row, row_key, forced);
                }
                return;
            case FieldKind::repeat: {
                const bool items = live && v->is_array();
                emit(key + "#rows", suffixed(header, word("rows", o_.lang)),
                     items ? std::to_string(v->as_array().size()) : std::string());
                const std::size_t t = table_of_[fi];
                if (row == nullptr) {
                    for (std::size_t c : f.children) {
                        field(c, nullptr, {}, {}, t, nullptr, {}, nullptr);
                    }
                    return;
                }
                if (!items) return;
                const auto& arr = v->as_array();
                for (std::size_t i = 0; i < arr.size(); ++i) {
                    std::string item_key = row_key.empty() ? std::to_string(i + 1)
                                                           : row_key + "." + std::to_string(i + 1);
                    std::vector<std::string> item_row{record_id_, item_key};
                    const std::string item_path = index_path(path, i);
                    std::string item_sealed;
                    const std::string* item_forced = nullptr;
                    if (is_sealed_marker(arr[i])) {
                        item_sealed = o_.sealed_cell ? o_.sealed_cell(item_path)
                                                     : std::string(kSealedPlaceholder);
                        item_forced = &item_sealed;
                    }
                    for (std::size_t c : f.children) {
                        const Field& child = form_.field(c);
                        const json::Value* cv = item_forced == nullptr && arr[i].is_object()
                                                    ? arr[i].find(child.id)
                                                    : nullptr;
                        field(c, cv, member_path(item_path, child.id), {}, t, &item_row, item_key,
                              item_forced);
                    }
                    tables_[t].rows.push_back(std::move(item_row));
                }
                return;
            }
            case FieldKind::single_choice:
            case FieldKind::multi_choice: {
                std::vector<std::pair<std::string, std::string>> picks;  // label, code
                if (live && v->is_array()) {
                    for (const auto& item : v->as_array())
                        picks.push_back(choice(f.vocabulary, &item));
                } else if (live) {
                    picks.push_back(choice(f.vocabulary, v));
                }
                std::vector<std::string> labels, codes;
                for (auto& [label, code] : picks) {
                    labels.push_back(std::move(label));
                    codes.push_back(std::move(code));
                }
                emit(key, header, join(labels));
                emit(key + "#code", suffixed(header, word("code", o_.lang)), join(codes));
                return;
            }
            case FieldKind::location: {
                auto part = [&](std::string_view member, const std::string& vocabulary) {
                    const json::Value* p = live && v->is_object() ? v->find(member) : nullptr;
                    std::string text;
                    if (p != nullptr && !p->is_null()) {
                        if (member == "coordinates") {
                            const json::Value* lat = p->is_object() ? p->find("lat") : nullptr;
                            const json::Value* lon = p->is_object() ? p->find("lon") : nullptr;
                            text = scalar(lat) + ", " + scalar(lon);
                        } else if (member == "details") {
                            text = scalar(p);
                        } else {
                            text = choice(vocabulary, p).first;
                        }
                    }
                    std::string k = key;
                    k += '.';
                    k += member;
                    emit(std::move(k), suffixed(header, word(member, o_.lang)), std::move(text));
                };
                part("oblast", f.oblast_vocabulary);
                part("raion", f.raion_vocabulary);
                part("settlement", f.settlement_vocabulary);
                part("details", {});
                part("coordinates", {});
                return;
            }
            case FieldKind::consent: {
                const json::Value* given = live && v->is_object() ? v->find("given") : nullptr;
                const json::Value* time = live && v->is_object() ? v->find("time") : nullptr;
                emit(key + ".given", suffixed(header, word("given", o_.lang)), scalar(given));
                emit(key + ".time", suffixed(header, word("time", o_.lang)), scalar(time));
                return;
            }
            case FieldKind::attachments: {
                std::vector<std::string> files, names;
                if (live && v->is_array()) {
                    for (const auto& ref : v->as_array()) {
                        const json::Value* sha = ref.is_object() ? ref.find("sha256") : nullptr;
                        const json::Value* name = ref.is_object() ? ref.find("name") : nullptr;
                        const std::string hex = scalar(sha);
                        files.push_back(o_.attachment_file ? o_.attachment_file(hex) : hex);
                        names.push_back(scalar(name));
                    }
                }
                emit(key, suffixed(header, word("files", o_.lang)), join(files));
                emit(key + "#names", suffixed(header, word("names", o_.lang)), join(names));
                return;
            }
            case FieldKind::date: {
                std::string text;
                if (live) {
                    if (auto span = date_span(*v)) {
                        text = span->approximate ? "~" + span->text : span->text;
                    } else {
                        text = scalar(v);
                    }
                }
                emit(key, header, std::move(text));
                return;
            }
            default:
                emit(key, header, live ? scalar(v) : std::string());
                return;
        }
    }

private:
    /// A scalar's text; anything else (a malformed draft answer) as canonical JSON.
    std::string scalar(const json::Value* v) const {
        if (v == nullptr || v->is_null()) return {};
        if (v->is_string()) return v->as_string();
        if (v->is_int()) return std::to_string(v->as_int());
        if (v->is_bool()) return std::string(word(v->as_bool() ? "yes" : "no", o_.lang));
        auto c = json::canonicalize(*v);
        return c ? *c : std::string();
    }

    /// {"value": id, "other": text}: the label (the text for "other") and the id.
    std::pair<std::string, std::string> choice(const std::string& vocabulary,
                                               const json::Value* v) const {
        if (v == nullptr || v->is_null()) return {};
        if (!v->is_object()) return {scalar(v), scalar(v)};
        const std::string id = scalar(v->find("value"));
        const json::Value* other = v->find("other");
        if (other != nullptr && other->is_string()) return {other->as_string(), id};
        if (const Vocabulary* voc = form_.find_vocabulary(vocabulary)) {
            if (const VocabularyEntry* e = voc->find(id)) return {e->label.in(o_.lang), id};
        }
        return {id, id};
    }

    std::string join(const std::vector<std::string>& values) const {
        std::string out;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) out += o_.separator;
            if (o_.separator != "|") {
                out += values[i];
                continue;
            }
            for (char c : values[i]) {
                if (c == '|') {
                    out += kPipeReplacement;
                } else {
                    out += c;
                }
            }
        }
        return out;
    }

    const FormDefinition& form_;
    const CellOptions& o_;
    std::vector<Table>& tables_;
    std::string record_id_;
    std::vector<std::size_t> table_of_;
};

}  // namespace

std::string_view word(std::string_view what, Language lang) {
    for (const auto& w : kWords) {
        if (w.what == what) return w.text[static_cast<std::size_t>(lang)];
    }
    return what;
}

std::vector<Table> make_tables(const FormDefinition& form, std::span<const Column> leading,
                               const CellOptions& options) {
    std::vector<Table> tables(1);
    tables[0].columns.assign(leading.begin(), leading.end());
    for (std::size_t i = 0; i < form.fields().size(); ++i) {
        const Field& f = form.field(i);
        if (f.kind != FieldKind::repeat) continue;
        Table t;
        t.repeat = i;
        t.key = field_key(form, i);
        std::string title;
        for (std::size_t a = i; a != kNoField; a = form.field(a).parent) {
            title = title.empty() ? form.field(a).label.in(options.lang)
                                  : joined_header(form.field(a).label.in(options.lang), title);
        }
        t.title = std::move(title);
        t.columns.push_back({"record_id", std::string(word("record_id", options.lang))});
        t.columns.push_back({"row", std::string(word("row", options.lang))});
        tables.push_back(std::move(t));
    }
    Walker w(form, options, tables, {});
    for (std::size_t fi : form.top_level()) {
        w.field(fi, nullptr, form.field(fi).id, {}, 0, nullptr, {}, nullptr);
    }
    return tables;
}

void add_record(std::vector<Table>& tables, const FormDefinition& form, const json::Value& answers,
                std::span<const std::string> leading, std::string_view record_id,
                const CellOptions& options) {
    std::vector<std::string> row(leading.begin(), leading.end());
    Walker w(form, options, tables, std::string(record_id));
    for (std::size_t fi : form.top_level()) {
        const std::string& id = form.field(fi).id;
        const json::Value* v = answers.is_object() ? answers.find(id) : nullptr;
        w.field(fi, v, id, {}, 0, &row, {}, nullptr);
    }
    tables[0].rows.push_back(std::move(row));
}

}  // namespace svidok::forms::case_table
