// SPDX-License-Identifier: GPL-3.0-or-later
// The record list and its search (docs/FORMAT.md 3.1, docs/FORMS.md 7): the values it shows,
// every filter, Cyrillic and English prefix search that ignores case, each status as records are
// sealed, amended, withdrawn, delivered and received, sensitive answers kept out of every table
// of the index, purged text gone from the FTS b-trees, the migration from schema 4, and search
// text full of FTS syntax taken as plain words.

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>

#include "forms/answers.h"
#include "records_fixture.h"
#include "store/bundles.h"
#include "store/record_index.h"
#include "vault_layer.h"  // private: these tests read the decrypted tables, as someone with the key could

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;
using store::ListStatus;
using store::RecordFilter;

namespace {

/// Sets a member at a path of object members, creating the objects on the way.
void set_in(json::Value& v, std::span<const std::string_view> path, json::Value value) {
    if (path.size() == 1) {
        v.set(path[0], std::move(value));
        return;
    }
    const json::Value* found = v.find(path[0]);
    json::Value child = found != nullptr && found->is_object() ? *found : json::Object{};
    set_in(child, path.subspan(1), std::move(value));
    v.set(path[0], std::move(child));
}
void set_in(json::Value& v, std::initializer_list<std::string_view> path, json::Value value) {
    set_in(v, std::span(path.begin(), path.size()), std::move(value));
}

json::Value day(std::string_view d) {
    return json::Object{{"precision", "day"}, {"value", d}, {"approximate", false}};
}
json::Value month(std::string_view m) {
    return json::Object{{"precision", "month"}, {"value", m}, {"approximate", true}};
}
json::Value range(std::string_view from, std::string_view to) {
    return json::Object{{"precision", "range"}, {"from", from}, {"to", to}, {"approximate", true}};
}

struct Testimony {
    std::string narrative = "Свідок розповів про подію.";
    json::Value date = day("2024-03-05");
    std::string oblast = "luhanska";
    std::string pseudonym = "Ластівка";
};

/// The form's example answers (a built-in form) with `t`'s values and no file references,
/// and with `t`'s narrative as the only text: every other long_text answer emptied.
json::Value testimony(const forms::FormDefinition& form, const Testimony& t) {
    json::Value a = form.example();
    set_in(a, {"evidence", "attachments"}, json::Array{});
    for (auto [group, field] : {std::pair{"consent", "consent_conditions"},
                                {"witness", "protection_notes"},
                                {"incident", "perpetrator_details"},
                                {"incident", "consequence_details"},
                                {"evidence", "evidence_description"},
                                {"reliability", "credibility_notes"},
                                {"reliability", "unverified"},
                                {"legal", "legal_notes"}}) {
        set_in(a, {group, field}, nullptr);
    }
    json::Value victims = *a.find("victims");
    for (auto& v : victims.as_array()) v.set("victim_notes", nullptr);
    a.set("victims", std::move(victims));
    set_in(a, {"incident", "narrative"}, t.narrative);
    set_in(a, {"incident", "incident_date"}, t.date);
    set_in(a, {"incident", "incident_place", "oblast"},
           json::Object{{"value", t.oblast}, {"other", nullptr}});
    set_in(a, {"witness", "pseudonym"}, t.pseudonym);
    return a;
}

/// A vault with its records and list open.
struct IndexFixture : RecordsFixture {
    store::RecordIndex index = *store::RecordIndex::open(vault);

    json::Value answers(const Testimony& t, std::string_view form_id = "forced-mobilization") {
        return testimony(form(form_id), t);
    }
    store::RecordId draft(const Testimony& t, std::string_view form_id = "forced-mobilization") {
        auto id = records.create_draft(form(form_id), answers(t, form_id));
        REQUIRE_MESSAGE(id.has_value(), (id ? "" : id.error().message));
        return *id;
    }
    store::RecordId sealed(const Testimony& t, std::string_view form_id = "forced-mobilization") {
        auto id = draft(t, form_id);
        auto s = records.seal(id);
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return id;
    }

    std::vector<store::RecordRow> rows(const RecordFilter& filter = {}) {
        auto r = index.query(filter);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return *r;
    }
    std::vector<store::RecordId> ids(const RecordFilter& filter) {
        std::vector<store::RecordId> out;
        for (const auto& row : rows(filter)) out.push_back(row.id);
        return out;
    }
    std::vector<store::RecordId> search(std::string_view text) {
        RecordFilter f;
        f.text = std::string(text);
        return ids(f);
    }
    store::RecordRow row_of(const store::RecordId& id) {
        for (const auto& row : rows()) {
            if (row.id == id) return row;
        }
        FAIL("record not listed");
        return {};
    }
};

using Ids = std::vector<store::RecordId>;

/// Every value of every row of every table of the index (record_list and the FTS shadow
/// tables), raw bytes one after the other.
std::string index_bytes(store::Vault& vault) {
    sqlite3* db = store::detail::database(vault).handle();
    std::vector<std::string> tables;
    {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db,
                                   "SELECT name FROM sqlite_master WHERE type = 'table' AND"
                                   " name LIKE 'record\\_%' ESCAPE '\\'",
                                   -1, &st, nullptr) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        }
        sqlite3_finalize(st);
    }
    CHECK(tables.size() >= 5);  // record_list, record_text and its shadow tables
    std::string out;
    for (const auto& t : tables) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, ("SELECT * FROM " + t).c_str(), -1, &st, nullptr) ==
                SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
                out.append(p != nullptr ? p : "",
                           static_cast<std::size_t>(sqlite3_column_bytes(st, i)));
                out += '\n';
            }
        }
        sqlite3_finalize(st);
    }
    return out;
}

/// The bytes of the FTS segment b-trees only: where words stay after a row is deleted until
/// segments are merged.
std::string segment_bytes(store::Vault& vault) {
    std::string out;
    for (const char* sql :
         {"SELECT block FROM record_text_segments", "SELECT root FROM record_text_segdir"}) {
        auto st = store::detail::database(vault).prepare(sql);
        REQUIRE(st.has_value());
        while (*st->step()) {
            auto b = st->column_blob(0);
            out.append(b.begin(), b.end());
        }
    }
    return out;
}

/// Every term the full-text index holds (its own fts4aux view).
std::set<std::string> index_terms(store::Vault& vault) {
    REQUIRE(
        store::detail::database(vault)
            .exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts4aux(main, record_text)")
            .has_value());
    auto st = store::detail::database(vault).prepare("SELECT term FROM temp.terms WHERE col = '*'");
    REQUIRE(st.has_value());
    std::set<std::string> out;
    while (*st->step()) out.insert(st->column_text(0));
    return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

int user_version(store::Vault& vault) {
    auto st = store::detail::database(vault).prepare("PRAGMA user_version");
    REQUIRE(st.has_value());
    REQUIRE(*st->step());
    return static_cast<int>(st->column_int(0));
}

}  // namespace

TEST_CASE("the list shows each record's date, place, pseudonym and form, newest first") {
    IndexFixture f;
    CHECK(f.index.count().value() == 0);
    CHECK(f.rows().empty());

    const auto a = f.sealed({.narrative = "Перший запис.", .date = range("2023-03", "2023-05")});
    const auto b = f.draft({.narrative = "Другий запис.",
                            .date = month("2024-02"),
                            .oblast = "donetska",
                            .pseudonym = "Чайка"},
                           "child-recruitment");
    json::Value bare = json::Object{};
    const auto c = *f.records.create_draft(f.form(), bare);  // nothing answered yet

    const auto rows = f.rows();
    REQUIRE(rows.size() == 3);
    CHECK(f.index.count().value() == 3);
    // Created within a second of each other: equal times list the later record first.
    CHECK(rows[0].id == c);
    CHECK(rows[1].id == b);
    CHECK(rows[2].id == a);

    CHECK(rows[2].form_id == "forced-mobilization");
    CHECK(rows[2].status == ListStatus::sealed);
    CHECK(rows[2].incident_date == "2023-03/2023-05");
    CHECK(rows[2].incident_date_approximate);
    CHECK(rows[2].oblast == "luhanska");
    CHECK(rows[2].pseudonym == "Ластівка");
    CHECK(rows[2].origin.empty());
    CHECK(rows[2].updated_at == f.records.info(a)->updated_at);

    CHECK(rows[1].form_id == "child-recruitment");
    CHECK(rows[1].status == ListStatus::draft);
    CHECK(rows[1].incident_date == "2024-02");
    CHECK(rows[1].oblast == "donetska");
    CHECK(rows[1].pseudonym == "Чайка");

    CHECK(rows[0].status == ListStatus::draft);
    CHECK(rows[0].incident_date.empty());
    CHECK(rows[0].oblast.empty());
    CHECK(rows[0].pseudonym.empty());

    // Editing a draft changes what it shows; a malformed date in a draft shows none.
    json::Value edited = f.answers({.date = day("2022-12-31"), .oblast = "kharkivska"});
    REQUIRE(f.records.update_draft(c, edited).has_value());
    CHECK(f.row_of(c).incident_date == "2022-12-31");
    CHECK_FALSE(f.row_of(c).incident_date_approximate);
    CHECK(f.row_of(c).oblast == "kharkivska");
    set_in(edited, {"incident", "incident_date"},
           json::Object{{"precision", "day"}, {"value", "2023-02-30"}, {"approximate", false}});
    set_in(edited, {"incident", "incident_place"}, "not a place");
    REQUIRE(f.records.update_draft(c, edited).has_value());
    CHECK(f.row_of(c).incident_date.empty());
    CHECK(f.row_of(c).oblast.empty());

    CHECK(store::list_status_name(ListStatus::draft) == "draft");
    CHECK(store::list_status_name(ListStatus::sealed) == "sealed");
    CHECK(store::list_status_name(ListStatus::amended) == "amended");
    CHECK(store::list_status_name(ListStatus::withdrawn) == "withdrawn");
    CHECK(store::list_status_name(ListStatus::delivered) == "delivered");
    CHECK(store::list_status_name(ListStatus::received) == "received");
}

TEST_CASE("every filter, alone and together, with limit, offset and count") {
    IndexFixture f;
    const auto day_0305 =
        f.sealed({.narrative = "Повістка вручена вдома.", .date = day("2024-03-05")});
    const auto march = f.draft(
        {.narrative = "Повістка на роботі.", .date = month("2024-03"), .oblast = "donetska"});
    const auto spring = f.sealed({.narrative = "Забрали на навчання.",
                                  .date = range("2023-03", "2023-05"),
                                  .oblast = "donetska"},
                                 "child-recruitment");
    const auto year = f.draft(
        {.narrative = "Повістка без дати.",
         .date = json::Object{{"precision", "year"}, {"value", "2022"}, {"approximate", true}}});
    json::Value no_date = f.answers({.narrative = "Повістка, дата невідома."});
    set_in(no_date, {"incident", "incident_date"}, nullptr);
    const auto undated = *f.records.create_draft(f.form(), no_date);

    auto sorted = [](Ids v) {
        std::ranges::sort(v);
        return v;
    };
    auto ids = [&](const RecordFilter& filter) { return sorted(f.ids(filter)); };

    CHECK(ids({}) == sorted({day_0305, march, spring, year, undated}));
    CHECK(ids({.form_id = "child-recruitment"}) == Ids{spring});
    CHECK(ids({.form_id = "no-such-form"}).empty());
    CHECK(ids({.status = ListStatus::draft}) == sorted({march, year, undated}));
    CHECK(ids({.status = ListStatus::sealed}) == sorted({day_0305, spring}));
    CHECK(ids({.status = ListStatus::withdrawn}).empty());
    CHECK(ids({.oblast = "donetska"}) == sorted({march, spring}));

    // Dates: a record matches when a day it can denote is within the bounds.
    CHECK(ids({.date_from = "2024-03-05", .date_to = "2024-03-05"}) == sorted({day_0305, march}));
    CHECK(ids({.date_from = "2024-03-06", .date_to = "2024-03-31"}) == Ids{march});
    CHECK(ids({.date_from = "2024-04-01"}).empty());
    CHECK(ids({.date_from = "2024-03-31"}) == Ids{march});
    CHECK(ids({.date_to = "2023-02-28"}) == Ids{year});
    CHECK(ids({.date_to = "2023-03-01"}) == sorted({year, spring}));
    CHECK(ids({.date_from = "2023-05-31", .date_to = "2023-05-31"}) == Ids{spring});
    CHECK(ids({.date_from = "2023-06-01", .date_to = "2023-12-31"}).empty());
    CHECK(ids({.date_from = "2022", .date_to = "2022"}) ==
          Ids{year});  // a year's first and last day
    CHECK(ids({.date_from = "2024-03", .date_to = "2024-03"}) == sorted({day_0305, march}));
    CHECK(ids({.date_from = "1900-01-01"}) == sorted({day_0305, march, spring, year}));
    for (const char* bad :
         {"2024-02-30", "05.03.2024", "2024-3-5", "yesterday", "2024-03-05T00:00:00Z"}) {
        CAPTURE(bad);
        auto r = f.index.query({.date_from = bad});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::usage);
        CHECK_FALSE(f.index.query({.date_to = bad}).has_value());
    }

    // Text, and everything together.
    CHECK(ids({.text = "повістка"}) == sorted({day_0305, march, year, undated}));
    CHECK(ids({.oblast = "donetska", .text = "повістка"}) == Ids{march});
    CHECK(ids({.form_id = "forced-mobilization",
               .status = ListStatus::sealed,
               .date_from = "2024-01-01",
               .date_to = "2024-12-31",
               .oblast = "luhanska",
               .text = "вручена"}) == Ids{day_0305});
    CHECK(ids({.status = ListStatus::sealed, .text = "роботі"}).empty());

    // Paging keeps the order; count ignores limit and offset.
    const auto all = f.ids({});
    REQUIRE(all.size() == 5);
    CHECK(f.ids({.limit = 2}) == Ids{all[0], all[1]});
    CHECK(f.ids({.limit = 2, .offset = 2}) == Ids{all[2], all[3]});
    CHECK(f.ids({.limit = 10, .offset = 4}) == Ids{all[4]});
    CHECK(f.ids({.offset = 5}).empty());
    CHECK(f.index.count({.text = "повістка", .limit = 1}).value() == 4);
    CHECK(f.index.count({.status = ListStatus::draft}).value() == 3);
    CHECK(f.index.count().value() == 5);
}

TEST_CASE("search finds words by their start in Ukrainian, Russian and English, ignoring case") {
    IndexFixture f;
    const auto uk = f.sealed({.narrative = "Примусова МОБІЛІЗАЦІЯ чоловіків у Брянці; повістку "
                                           "вручив дільничний."});
    const auto ru = f.sealed({.narrative = "Принудительная мобилизация.\nЁлка у военкомата, "
                                           "ещё повестка."});
    const auto en = f.sealed({.narrative = "Forced Mobilization near the railway Station; naïve "
                                           "officers."});

    CHECK(f.search("мобіл") == Ids{uk});
    CHECK(f.search("МОБІЛ") == Ids{uk});
    CHECK(f.search("Мобілізація") == Ids{uk});
    CHECK(f.search("мобілізаціями").empty());  // longer than any word
    CHECK(f.search("мобил") == Ids{ru});
    CHECK(f.search("МОБИЛИЗАЦ") == Ids{ru});
    CHECK(f.search("mobil") == Ids{en});
    CHECK(f.search("MOBILIZATION") == Ids{en});
    CHECK(f.search("біліз").empty());  // a prefix, not any part of a word
    CHECK(f.search("ation").empty());

    // Every word must match.
    CHECK(f.search("мобіл чоловік") == Ids{uk});
    CHECK(f.search("дільничн ПОВІСТ") == Ids{uk});
    CHECK(f.search("мобіл station").empty());
    CHECK(f.search("railway stat") == Ids{en});
    // Letters that look alike in two alphabets are different letters.
    CHECK(f.search("повест") == Ids{ru});
    CHECK(f.search("повіст") == Ids{uk});
    // ё and е are one letter in search; Latin accents are ignored.
    CHECK(f.search("елка") == Ids{ru});
    CHECK(f.search("ЁЛКА") == Ids{ru});
    CHECK(f.search("ещё") == Ids{ru});
    CHECK(f.search("naive") == Ids{en});
    CHECK(f.search("NAÏVE") == Ids{en});
    // Words in other long_text fields, and in repeat items, are found too.
    json::Value a = f.answers({});
    set_in(a, {"reliability", "credibility_notes"}, "Підтверджено сусідами.");
    json::Value victims = *a.find("victims");
    victims.as_array()[0].set("victim_notes", "Працював на шахті.");
    a.set("victims", std::move(victims));
    const auto more = *f.records.create_draft(f.form(), a);
    CHECK(f.search("сусід") == Ids{more});
    CHECK(f.search("шахт") == Ids{more});
    CHECK(f.search("шахт сусід") == Ids{more});
}

TEST_CASE("status follows the record: draft, sealed, amended, withdrawn; discarding drafts") {
    IndexFixture f;
    const auto id = f.draft({.narrative = "Перша версія розповіді."});
    CHECK(f.row_of(id).status == ListStatus::draft);
    REQUIRE(f.records.seal(id).has_value());
    CHECK(f.row_of(id).status == ListStatus::sealed);

    // An amendment draft is listed with its own answers while the record stays sealed.
    REQUIRE(f.records.begin_amendment(id).has_value());
    CHECK(f.row_of(id).status == ListStatus::sealed);
    REQUIRE(
        f.records
            .update_draft(id, f.answers({.narrative = "Виправлена версія.", .oblast = "sumska"}))
            .has_value());
    CHECK(f.search("виправлен") == Ids{id});
    CHECK(f.search("перш").empty());
    CHECK(f.row_of(id).oblast == "sumska");
    // Dropping it lists the sealed version again.
    REQUIRE(f.records.discard_draft(id).has_value());
    CHECK(f.search("перш") == Ids{id});
    CHECK(f.search("виправлен").empty());
    CHECK(f.row_of(id).oblast == "luhanska");
    CHECK(f.row_of(id).status == ListStatus::sealed);

    REQUIRE(f.records.amend(id, f.answers({.narrative = "Друга версія розповіді."})).has_value());
    CHECK(f.row_of(id).status == ListStatus::amended);
    CHECK(f.search("друг") == Ids{id});
    CHECK(f.search("перш").empty());
    REQUIRE(f.records.withdraw_consent(id).has_value());
    CHECK(f.row_of(id).status == ListStatus::withdrawn);
    CHECK(f.search("друг") == Ids{id});
    CHECK(f.row_of(id).updated_at == f.records.info(id)->updated_at);

    // A draft never sealed leaves the list, and its text the index, when discarded.
    const auto gone = f.draft({.narrative = "Чернетка, яку видалять."});
    CHECK(f.index.count().value() == 2);
    REQUIRE(f.records.discard_draft(gone).has_value());
    CHECK(f.index.count().value() == 1);
    CHECK(f.search("чернетк").empty());
    auto content =
        store::detail::database(f.vault).prepare("SELECT count(*) FROM record_text_content");
    REQUIRE(content.has_value());
    REQUIRE(*content->step());
    CHECK(content->column_int(0) == 1);
    auto bodies =
        store::detail::database(f.vault).prepare("SELECT group_concat(body) FROM record_text");
    REQUIRE(bodies.has_value());
    REQUIRE(*bodies->step());
    CHECK_FALSE(contains(bodies->column_text(0), "видалять"));
    for (const auto& row : f.rows()) CHECK(row.id != gone);
}

TEST_CASE("sensitive answers never enter the list or any table of the index") {
    IndexFixture f;
    json::Value a = f.answers({.narrative = "Відкрита розповідь."});
    set_in(a, {"witness", "real_name"}, "Zoreslava Tajemnytsia");
    set_in(a, {"witness", "contact"}, "+380 99 kontaktsekret");
    set_in(a, {"witness", "address"}, "vulytsia Adresnasekretna 7");
    set_in(a, {"witness", "protection_notes"}, "Захистнотатка: чоловік ховається у Брянці.");
    json::Value victims = *a.find("victims");
    victims.as_array()[0].set("victim_name", "Imjazhertvy Prykladenko");
    a.set("victims", std::move(victims));
    const auto id = *f.records.create_draft(f.form(), a);
    REQUIRE(f.records.seal(id).has_value());

    // The same form in a custom definition where the sensitive parts are a group (its children
    // inherit), a pseudonym and a date: the rule is by the sensitive flag, not by the form.
    const std::string probe = R"({
      "schema": "svidok-form/1", "id": "index-probe", "version": 1,
      "title": {"en": "Probe", "uk": "Проба", "ru": "Проба"},
      "vocabularies": {},
      "fields": [
        {"id": "witness", "kind": "group", "label": {"en": "W", "uk": "W", "ru": "W"},
         "sensitive": true, "fields": [
           {"id": "pseudonym", "kind": "short_text", "label": {"en": "P", "uk": "P", "ru": "P"}},
           {"id": "story", "kind": "long_text", "label": {"en": "S", "uk": "S", "ru": "S"}}]},
        {"id": "incident_date", "kind": "date", "sensitive": true,
         "label": {"en": "D", "uk": "D", "ru": "D"}},
        {"id": "narrative", "kind": "long_text", "label": {"en": "N", "uk": "N", "ru": "N"}},
        {"id": "notes", "kind": "long_text", "sensitive": true,
         "label": {"en": "X", "uk": "X", "ru": "X"}}],
      "example": {"witness": {"pseudonym": "p", "story": "s"}, "narrative": "n", "notes": "x",
                  "incident_date": {"precision": "day", "value": "2024-01-02",
                                    "approximate": false}}
    })";
    auto def = forms::parse_definition("index-probe.json", probe);
    REQUIRE_MESSAGE(def.has_value(), (def ? "" : def.error().message));
    REQUIRE(f.registry.add(std::move(*def)).has_value());
    const json::Value pa = json::Object{
        {"witness", json::Object{{"pseudonym", "Psevdosekretnyi"}, {"story", "Istoriiasekretna"}}},
        {"incident_date", day("2021-07-09")},
        {"narrative", "Vidkrytyi probnyi tekst."},
        {"notes", "Notatkasekretna"}};
    const auto pid = *f.records.create_draft(*f.registry.find("index-probe"), pa);
    REQUIRE(f.records.seal(pid).has_value());

    // Listed with what is not sensitive, searchable by that only.
    const auto row = f.row_of(id);
    CHECK(row.pseudonym == "Ластівка");
    CHECK(f.search("відкрит") == Ids{id});
    const auto prow = f.row_of(pid);
    CHECK(prow.form_id == "index-probe");
    CHECK(prow.pseudonym.empty());
    CHECK(prow.incident_date.empty());
    CHECK(f.search("probn") == Ids{pid});
    for (const char* word : {"Zoreslava", "Tajemnytsia", "kontaktsekret", "Adresnasekretna",
                             "захистнотатка", "ховається", "Imjazhertvy", "Prykladenko",
                             "Psevdosekretnyi", "Istoriiasekretna", "Notatkasekretna"}) {
        CAPTURE(word);
        CHECK(f.search(word).empty());
    }
    // Not in any table of the index in any form: rows, FTS content, segments, term list.
    const std::string bytes = index_bytes(f.vault);
    CHECK(contains(bytes, "Відкрита"));  // the scan sees what is there
    CHECK(contains(bytes, "probnyi"));
    CHECK_FALSE(contains(bytes, "2021-07-09"));
    const auto terms = index_terms(f.vault);
    CHECK(terms.contains("відкрита"));
    for (const char* word :
         {"oreslava", "ajemnytsia", "ontaktsekret", "dresnasekretna", "ахистнотатка", "ховається",
          "mjazhertvy", "rykladenko", "sevdosekretnyi", "storiiasekretna", "otatkasekretna",
          "Захистнотатка"}) {
        CAPTURE(word);
        CHECK_FALSE(contains(bytes, word));
        CHECK_FALSE(std::ranges::any_of(terms, [&](const auto& t) { return contains(t, word); }));
    }
}

TEST_CASE("search text is plain words: FTS syntax, odd bytes and huge input never error") {
    IndexFixture f;
    const auto a = f.sealed({.narrative = "Мобілізація біля станції, near the depot."});
    const auto b = f.sealed({.narrative = "Повістка or order: not mobilized."});
    auto sorted = [](Ids v) {
        std::ranges::sort(v);
        return v;
    };
    const Ids both = sorted({a, b});

    struct Case {
        std::string text;
        std::optional<Ids> expected;  // nullopt: any result, as long as there is no error
    };
    const std::vector<Case> cases{
        {"\"", both},  // no word: no text condition
        {"\"\"", both},
        {"*", both},
        {"***", both},
        {"()", both},
        {"-", both},
        {"— « » …", both},
        {"\"мобіл", Ids{a}},
        {"\"мобіл\"", Ids{a}},
        {"мобіл*", Ids{a}},
        {"(мобіл)", Ids{a}},
        {"-мобіл", Ids{a}},    // not "without"
        {"NOT мобіл", Ids{}},  // "not" is a word here, and only b has it
        {"not повіст", Ids{b}},
        {"мобіл NEAR станц", Ids{a}},  // three plain words, all in a
        {"near мобіл", Ids{a}},
        {"NEAR/3 мобіл", Ids{}},
        {"мобіл OR повіст", Ids{}},  // "or" is a word, and no record has all three
        {"or order повіст", Ids{b}},
        {"AND", Ids{}},
        {"body:мобіл", Ids{}},
        {"^мобіл", Ids{a}},
        {"мобіл\"станц", Ids{a}},
        {"мобіл'станц", Ids{a}},
        {"%", both},
        {"_", both},
        {std::string("моб\0іл", 11), std::nullopt},
        {"\xff\xfe\xfd мобіл", std::nullopt},
        {"\xd0", std::nullopt},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto r = f.index.query({.text = c.text});
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        Ids got;
        for (const auto& row : *r) got.push_back(row.id);
        auto n = f.index.count({.text = c.text});
        REQUIRE(n.has_value());
        CHECK(*n == got.size());
        if (c.expected) CHECK(sorted(got) == *c.expected);
    }

    // Huge input: read up to kMaxSearchBytes, at most kMaxSearchWords words.
    std::string huge;
    while (huge.size() < (1u << 20)) huge += "мобіл ";
    CHECK(f.search(huge) == Ids{a});
    std::string many;
    for (std::size_t i = 0; i < store::kMaxSearchWords; ++i) many += "мобіл ";
    CHECK(f.search(many + "заслово") == Ids{a});  // the 17th word is not read
    CHECK(f.search("заслово " + many).empty());
    CHECK(f.search(random_bytes(1u << 20, 7)).size() <= 2);
    CHECK(sorted(f.search(std::string(100000, '"'))) == both);
    CHECK(f.search(std::string(100000, 'x')).empty());
}

TEST_CASE("a v4 vault gets its list when opened: every record and status, searchable") {
    TempDir tmp;
    const fs::path dir = tmp / "v";
    forms::FormRegistry registry = *forms::load_builtin();
    std::optional<store::Vault> vault(make_vault(dir).vault);
    std::vector<store::RecordRow> before;
    store::RecordId sealed{}, amended{}, withdrawn{}, draft{};
    {
        auto records = *store::Records::open(*vault, registry);
        seal_to(records, "legal-team", crypto::X25519Identity::generate().recipient());
        const forms::FormDefinition& form = *registry.find("forced-mobilization");
        auto make = [&](const Testimony& t) {
            auto id = records.create_draft(form, testimony(form, t));
            REQUIRE(id.has_value());
            return *id;
        };
        sealed = make({.narrative = "Запечатаний запис про мобілізацію."});
        REQUIRE(records.seal(sealed).has_value());
        amended = make({.narrative = "Перша версія."});
        REQUIRE(records.seal(amended).has_value());
        REQUIRE(records
                    .amend(amended, testimony(form, {.narrative = "Друга версія.",
                                                     .date = month("2022-08")}))
                    .has_value());
        withdrawn = make({.narrative = "Відкликана згода."});
        REQUIRE(records.seal(withdrawn).has_value());
        REQUIRE(records.withdraw_consent(withdrawn).has_value());
        draft = make({.narrative = "Незавершена чернетка.", .pseudonym = "Сова"});
        auto index = *store::RecordIndex::open(*vault);
        before = *index.query({});
        REQUIRE(before.size() == 4);
    }
    // Back to what a vault written before version 5 holds: the same tables without the list
    // (nor the seal recipients of version 6).
    REQUIRE(store::detail::database(*vault)
                .exec("DROP TABLE seal_recipients; DROP TABLE record_text; DROP TABLE record_list;"
                      " PRAGMA user_version = 4;")
                .has_value());
    REQUIRE(user_version(*vault) == 4);
    vault.reset();

    auto reopened = store::Vault::open(dir, pw("correct horse battery"), kTestPolicy);
    REQUIRE_MESSAGE(reopened.has_value(), (reopened ? "" : reopened.error().message));
    CHECK(user_version(*reopened) == 6);
    auto index = *store::RecordIndex::open(*reopened);
    auto after = index.query({});
    REQUIRE(after.has_value());
    REQUIRE(after->size() == before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        CAPTURE(i);
        CHECK((*after)[i].id == before[i].id);
        CHECK((*after)[i].status == before[i].status);
        CHECK((*after)[i].form_id == before[i].form_id);
        CHECK((*after)[i].incident_date == before[i].incident_date);
        CHECK((*after)[i].oblast == before[i].oblast);
        CHECK((*after)[i].pseudonym == before[i].pseudonym);
        CHECK((*after)[i].updated_at == before[i].updated_at);
    }
    auto search = [&](std::string text) {
        Ids out;
        auto rows = index.query({.text = std::move(text)});
        REQUIRE(rows.has_value());
        for (const auto& r : *rows) out.push_back(r.id);
        return out;
    };
    CHECK(search("мобіліз") == Ids{sealed});
    CHECK(search("друг") == Ids{amended});
    CHECK(search("перш").empty());
    CHECK(search("відклик") == Ids{withdrawn});
    CHECK(search("чернетк") == Ids{draft});
    CHECK(index.count({.status = ListStatus::amended}).value() == 1);
    CHECK(index.count({.status = ListStatus::withdrawn}).value() == 1);
    CHECK(index.count({.date_from = "2022-08-15", .date_to = "2022-08-15"}).value() == 1);
}

namespace {

/// A vault that exchanges bundles: its records, bundles and list.
struct Party : IndexFixture {
    store::Bundles bundles{records};
    store::Identity id = *vault.identity();

    [[nodiscard]] std::string age_recipient() const {
        return crypto::X25519Recipient{id.x25519_pk()}.to_string();
    }
    fs::path export_to(const std::string& name, const fs::path& out) {
        fs::create_directories(out);
        store::Bundles::ExportOptions o;
        o.to = {name};
        o.out_dir = out;
        auto r = bundles.export_bundle(o);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return r->file;
    }
    /// Imports a bundle from `sender` (pinning it); returns the receipt's path.
    fs::path import_from(const Party& sender, const fs::path& bundle, const fs::path& receipts) {
        fs::create_directories(receipts);
        store::Bundles::ImportOptions o;
        o.trust_fingerprint = sender.id.fingerprint();
        o.receipt_dir = receipts;
        auto r = bundles.import_bundle(bundle, o);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        REQUIRE_FALSE(r->receipt.empty());
        return r->receipt;
    }
};

}  // namespace

TEST_CASE("delivered after a receipt, received in the other vault, purged text leaves the index") {
    Party field;
    Party legal;
    REQUIRE(field.bundles
                .add_recipient("legal", legal.age_recipient(),
                               legal.id.signing_public_key().to_base64())
                .has_value());
    const auto kept = field.sealed({.narrative = "Донька бачила повістку.", .oblast = "sumska"});
    const auto purged = field.sealed(
        {.narrative = "Квазіунікальнеслово про військкомат.", .date = month("2023-11")});
    REQUIRE(field.records.begin_amendment(kept).has_value());  // an open draft is never purged

    const auto bundle = field.export_to("legal", field.tmp / "out1");
    // Exported is not delivered: only a receipt says so.
    CHECK(field.row_of(purged).status == ListStatus::sealed);
    const auto receipt = legal.import_from(field, bundle, legal.tmp / "receipts");

    // The legal vault lists both as received, with their values and text.
    const std::string origin = field.id.log_origin();
    REQUIRE(legal.rows().size() == 2);
    for (const auto& row : legal.rows()) {
        CHECK(row.status == ListStatus::received);
        CHECK(row.origin == origin);
        CHECK(row.form_id == "forced-mobilization");
    }
    CHECK(legal.row_of(kept).oblast == "sumska");
    CHECK(legal.row_of(purged).incident_date == "2023-11");
    CHECK(legal.row_of(purged).pseudonym == "Ластівка");
    CHECK(legal.search("квазіунікальн") == Ids{purged});
    CHECK(legal.ids({.status = ListStatus::received}).size() == 2);

    // The field vault: delivered once the receipt is in.
    auto r = field.bundles.import_receipt(receipt);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    CHECK(field.row_of(purged).status == ListStatus::delivered);
    CHECK(field.row_of(kept).status == ListStatus::delivered);
    CHECK(field.ids({.status = ListStatus::delivered}).size() == 2);

    // The word is in the FTS segments until the purge.
    const std::string word_tail = "нікальнеслово";  // the end of the term is stored whole
    CHECK(contains(segment_bytes(field.vault), word_tail));
    auto n = field.bundles.purge_delivered();
    REQUIRE(n.has_value());
    CHECK(*n == 1);  // `kept` has a draft open
    const auto row = field.row_of(purged);
    CHECK(row.status == ListStatus::delivered);
    CHECK(row.incident_date.empty());
    CHECK(row.oblast.empty());
    CHECK(row.pseudonym.empty());
    CHECK(field.search("квазіунікальн").empty());
    CHECK(field.search("військкомат").empty());
    CHECK_FALSE(contains(segment_bytes(field.vault), word_tail));
    CHECK_FALSE(contains(index_bytes(field.vault), word_tail));
    CHECK_FALSE(index_terms(field.vault).contains("квазіунікальнеслово"));
    CHECK(field.search("донька") == Ids{kept});

    // Amending a delivered record: the new version is not delivered yet.
    REQUIRE(field.records
                .update_draft(kept, field.answers({.narrative = "Донька бачила дві повістки.",
                                                   .oblast = "sumska"}))
                .has_value());
    REQUIRE(field.records.seal(kept).has_value());
    CHECK(field.row_of(kept).status == ListStatus::amended);
    REQUIRE(field.records.withdraw_consent(purged).has_value());
    CHECK(field.row_of(purged).status == ListStatus::withdrawn);

    // The next bundle brings the new version and the withdrawal to the legal vault.
    const auto second = field.export_to("legal", field.tmp / "out2");
    (void)legal.import_from(field, second, legal.tmp / "receipts2");
    CHECK(legal.row_of(kept).status == ListStatus::received);
    CHECK(legal.search("дві повіст") == Ids{kept});
    CHECK(legal.row_of(purged).status == ListStatus::withdrawn);
    CHECK(legal.search("квазіунікальн") == Ids{purged});  // the legal team keeps what it got
    CHECK(legal.index.count().value() == 2);
    CHECK(legal.row_of(kept).updated_at.size() == 20);  // the latest version's sealed_at
}
