// SPDX-License-Identifier: GPL-3.0-or-later
// The record list (docs/FORMAT.md 3.1): what each record shows, kept in step by the store's
// writers, and the queries behind the records page.
#include "store/record_index.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "db.h"
#include "forms/answers.h"
#include "forms/form.h"
#include "forms/json.h"
#include "forms/log_leaf.h"
#include "record_index_store.h"
#include "vault_layer.h"

namespace svidok::store {
namespace {

namespace json = forms::json;
using forms::Field;
using forms::FieldKind;

// The fields the list takes its values from (docs/FORMS.md 7).
constexpr std::string_view kIncidentDateField = "incident_date";
constexpr std::string_view kIncidentPlaceField = "incident_place";
constexpr std::string_view kPseudonymField = "pseudonym";

// The connection's page cache while the list is open (RecordIndex::open).
constexpr int kPageCacheKiB = 64 * 1024;
// Rows reserved at most for a query with a limit.
constexpr std::size_t kReserveRows = 4096;

crypto::ByteView blob_of(const RecordId& id) {
    return id;
}

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\n\r") == text.npos;
}

/// Russian writes ё and е for one letter, and the tokenizer keeps them apart: both the indexed
/// text and the searched words use е. Both are two bytes in UTF-8, so this is done in place.
void fold_yo(std::string& text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] == '\xD1' && text[i + 1] == '\x91') {  // ё -> е
            text[i] = '\xD0';
            text[i + 1] = '\xB5';
        } else if (text[i] == '\xD0' && text[i + 1] == '\x81') {  // Ё -> Е
            text[i + 1] = '\x95';
        }
    }
}

/// What an entry shows of the answers. Only fields that are not sensitive fill it.
struct Listed {
    std::optional<forms::DateSpan> date;
    std::string oblast;
    std::string pseudonym;
    std::string text;  // the long_text answers, one per line
};

void collect(const forms::FormDefinition& form, std::span<const std::size_t> fields,
             const json::Value* answers, Listed& out) {
    if (answers == nullptr || !answers->is_object()) return;
    for (std::size_t i : fields) {
        const Field& f = form.field(i);
        const json::Value* v = answers->find(f.id);
        // Witness identities never enter the list: a sensitive field, and everything inside a
        // sensitive group or repeat (whose children are marked sensitive too), is skipped.
        if (v == nullptr || f.sensitive) continue;
        switch (f.kind) {
            case FieldKind::group:
                collect(form, f.children, v, out);
                break;
            case FieldKind::repeat:
                if (!v->is_array()) break;
                for (const auto& item : v->as_array()) collect(form, f.children, &item, out);
                break;
            case FieldKind::long_text:
                if (!v->is_string() || blank(v->as_string())) break;
                if (!out.text.empty()) out.text += '\n';
                out.text += v->as_string();
                break;
            case FieldKind::date:
                if (f.id == kIncidentDateField && !out.date) out.date = forms::date_span(*v);
                break;
            case FieldKind::location: {
                if (f.id != kIncidentPlaceField || !out.oblast.empty()) break;
                const json::Value* oblast = v->find("oblast");
                const json::Value* value = oblast != nullptr ? oblast->find("value") : nullptr;
                if (value != nullptr && value->is_string()) out.oblast = value->as_string();
                break;
            }
            case FieldKind::short_text:
                if (f.id == kPseudonymField && out.pseudonym.empty() && v->is_string() &&
                    !blank(v->as_string())) {
                    out.pseudonym = v->as_string();
                }
                break;
            default:
                break;
        }
    }
}

Listed listed_of(const forms::FormDefinition* form, const json::Value* answers) {
    Listed out;
    if (form == nullptr || answers == nullptr) return out;
    collect(*form, form->top_level(), answers, out);
    fold_yo(out.text);
    return out;
}

struct Entry {
    std::string form_id;
    ListStatus status = ListStatus::draft;
    std::string updated_at;
    Listed listed;
};

// `shown` (docs/FORMAT.md 3.1): what a row of the list shows, in one value, so that a list of
// 100,000 rows reads two columns a row instead of nine.
constexpr std::size_t kShownTexts = 6;  // origin, form_id, incident_date, oblast, pseudonym, time

void put_text(std::string& out, std::string_view text) {
    const auto n = static_cast<std::uint32_t>(text.size());
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((n >> shift) & 0xFF);
    out += text;
}

std::string shown_of(std::string_view origin, const Entry& e) {
    std::string out;
    out += static_cast<char>(e.status);
    out += static_cast<char>(e.listed.date && e.listed.date->approximate ? 1 : 0);
    for (std::string_view text : std::array<std::string_view, kShownTexts>{
             origin, e.form_id, e.listed.date ? std::string_view(e.listed.date->text) : "",
             e.listed.oblast, e.listed.pseudonym, e.updated_at}) {
        put_text(out, text);
    }
    return out;
}

/// Writes list entries. Keeps each statement prepared once it was used, so that building the
/// whole list (the migration) prepares each once rather than once per record.
class ListWriter {
public:
    explicit ListWriter(Db& db) noexcept : db_(&db) {}

    /// Inserts or updates the record's entry and its text.
    Result<> write(std::string_view origin, const RecordId& id, const Entry& e);
    /// Deletes the record's entry and its text, if it is listed.
    Result<> remove(std::string_view origin, const RecordId& id);

private:
    /// The statement in `slot`, prepared on first use, reset with no bindings.
    Result<Stmt*> stmt(std::optional<Stmt>& slot, const char* sql);
    /// The entry number of a record, or nullopt when it is not listed.
    Result<std::optional<std::int64_t>> entry_of(std::string_view origin, const RecordId& id);
    Result<> write_text(std::int64_t entry, const std::string& text);

    Db* db_;
    std::optional<Stmt> find_, insert_, update_, remove_, body_, text_insert_, text_remove_;
};

Result<Stmt*> ListWriter::stmt(std::optional<Stmt>& slot, const char* sql) {
    if (!slot) {
        auto st = db_->prepare(sql);
        if (!st) return std::unexpected(st.error());
        slot.emplace(std::move(*st));
    }
    slot->reset();
    return &*slot;
}

Result<std::optional<std::int64_t>> ListWriter::entry_of(std::string_view origin,
                                                         const RecordId& id) {
    auto st = stmt(find_, "SELECT entry FROM record_list WHERE origin = ? AND record_id = ?");
    if (!st) return std::unexpected(st.error());
    (*st)->bind(1, origin).bind_blob(2, blob_of(id));
    auto row = (*st)->step();
    if (!row) return std::unexpected(row.error());
    std::optional<std::int64_t> entry;
    if (*row) entry = (*st)->column_int(0);
    (*st)->reset();
    return entry;
}

Result<> ListWriter::remove(std::string_view origin, const RecordId& id) {
    auto entry = entry_of(origin, id);
    if (!entry) return std::unexpected(entry.error());
    if (!*entry) return {};
    auto text = stmt(text_remove_, "DELETE FROM record_text WHERE docid = ?");
    if (!text) return std::unexpected(text.error());
    if (auto r = (*text)->bind(1, **entry).run(); !r) return r;
    auto row = stmt(remove_, "DELETE FROM record_list WHERE entry = ?");
    if (!row) return std::unexpected(row.error());
    return (*row)->bind(1, **entry).run();
}

/// Replaces the record's text in the full-text index, unless it is unchanged (a draft saved
/// again), so that autosaves do not grow the index.
Result<> ListWriter::write_text(std::int64_t entry, const std::string& text) {
    auto old = stmt(body_, "SELECT body FROM record_text WHERE docid = ?");
    if (!old) return std::unexpected(old.error());
    (*old)->bind(1, entry);
    auto found = (*old)->step();
    if (!found) return std::unexpected(found.error());
    const bool same = *found && (*old)->column_text(0) == text;
    (*old)->reset();  // no read of the FTS table stays open while it is written
    if (same) return {};
    if (*found) {
        auto del = stmt(text_remove_, "DELETE FROM record_text WHERE docid = ?");
        if (!del) return std::unexpected(del.error());
        if (auto r = (*del)->bind(1, entry).run(); !r) return r;
    }
    if (text.empty()) return {};
    auto ins = stmt(text_insert_, "INSERT INTO record_text (docid, body) VALUES (?, ?)");
    if (!ins) return std::unexpected(ins.error());
    return (*ins)->bind(1, entry).bind(2, text).run();
}

Result<> ListWriter::write(std::string_view origin, const RecordId& id, const Entry& e) {
    auto entry = entry_of(origin, id);
    if (!entry) return std::unexpected(entry.error());
    // One parameter list for both statements: ?1 and ?2 find the row, the rest are its values.
    // A new entry takes the next number.
    auto st = *entry ? stmt(update_,
                            "UPDATE record_list SET form_id = ?3, status = ?4, date_first = ?5,"
                            " date_last = ?6, oblast = ?7, updated_at = ?8, shown = ?9"
                            " WHERE origin = ?1 AND record_id = ?2")
                     : stmt(insert_,
                            "INSERT INTO record_list (entry, origin, record_id, form_id, status,"
                            " date_first, date_last, oblast, updated_at, shown)"
                            " SELECT coalesce(max(entry), 0) + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                            " ?9 FROM record_list");
    if (!st) return std::unexpected(st.error());
    const forms::DateSpan none;
    const forms::DateSpan& date = e.listed.date ? *e.listed.date : none;
    (*st)
        ->bind(1, origin)
        .bind_blob(2, blob_of(id))
        .bind(3, e.form_id)
        .bind(4, static_cast<std::int64_t>(e.status))
        .bind(5, date.first)
        .bind(6, date.last)
        .bind(7, e.listed.oblast)
        .bind(8, e.updated_at)
        .bind_blob(9, crypto::as_bytes(shown_of(origin, e)));
    if (auto r = (*st)->run(); !r) return r;
    if (!*entry) {
        entry = entry_of(origin, id);
        if (!entry) return std::unexpected(entry.error());
        if (!*entry) return fail(Errc::internal, "vault.db: a new list entry cannot be found");
    }
    return write_text(**entry, e.listed.text);
}

/// Parses a record document's bytes leniently: nullopt when they do not parse (the device log's
/// verification reports that; the list just shows less).
std::optional<forms::RecordDocument> record_or_none(const std::string& bytes) {
    if (bytes.empty()) return std::nullopt;
    auto doc = forms::parse_record(bytes);
    if (!doc) return std::nullopt;
    return std::move(*doc);
}

// Columns of a list row as read_list_row() expects them.
constexpr std::string_view kListColumns = "SELECT l.record_id, l.shown FROM record_list l";

/// Reads a row of kListColumns into `row`, in place and without temporary copies: a full list
/// has 100,000 rows, and allocating was most of its time.
Result<> read_list_row(const Stmt& st, RecordRow& row) {
    auto corrupt = [] { return fail(Errc::corrupt, "vault.db: a listed record is malformed"); };
    const std::string_view id = st.column_view(0);
    std::string_view shown = st.column_view(1);
    if (id.size() != row.id.size() || shown.size() < 2 ||
        static_cast<unsigned char>(shown[0]) > static_cast<unsigned char>(ListStatus::received)) {
        return corrupt();
    }
    std::memcpy(row.id.data(), id.data(), id.size());
    row.status = static_cast<ListStatus>(shown[0]);
    row.incident_date_approximate = shown[1] != 0;
    shown.remove_prefix(2);
    for (std::string* text :
         std::array<std::string*, kShownTexts>{&row.origin, &row.form_id, &row.incident_date,
                                               &row.oblast, &row.pseudonym, &row.updated_at}) {
        if (shown.size() < 4) return corrupt();
        std::uint32_t n = 0;
        for (int i = 3; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(shown[i]);
        shown.remove_prefix(4);
        if (shown.size() < n) return corrupt();
        text->assign(shown.substr(0, n));
        shown.remove_prefix(n);
    }
    return shown.empty() ? Result<>{} : corrupt();
}

/// At most kMaxSearchBytes of `text`, cut at a character boundary.
std::string_view search_prefix(std::string_view text) {
    if (text.size() <= kMaxSearchBytes) return text;
    std::size_t n = kMaxSearchBytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return text.substr(0, n);
}

/// The FTS MATCH expression for a search text: the words the index's own tokenizer finds in it,
/// each as a quoted prefix term, so that nothing typed is ever read as query syntax. Empty when
/// the text holds no word.
Result<std::string> match_expression(Db& db, std::string_view text) {
    std::string input(search_prefix(text));
    fold_yo(input);
    auto st = db.prepare("SELECT token FROM temp.record_search_words WHERE input = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, input);
    std::string expr;
    for (std::size_t words = 0; words < kMaxSearchWords;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        // A token holds only letters and digits (the tokenizer splits at everything else), so
        // it cannot close the quotes.
        const std::string word = st->column_text(0);
        if (word.empty() || word.find('"') != std::string::npos) continue;
        if (!expr.empty()) expr += ' ';
        expr += '"' + word + "*\"";
        ++words;
    }
    return expr;
}

/// The WHERE clause of a filter and its text parameters, in order.
struct Where {
    std::string sql;
    std::vector<std::string> params;
};

Result<std::string> date_bound(const std::string& text, bool last, const char* name) {
    auto span = forms::calendar_span(text);
    if (!span) {
        return fail(Errc::usage,
                    std::string(name) + " must be a date written YYYY-MM-DD (or YYYY-MM, YYYY)");
    }
    return last ? span->last : span->first;
}

Result<Where> where_of(Db& db, const RecordFilter& f) {
    Where w{" WHERE 1", {}};
    auto add = [&](const char* sql, std::string param) {
        w.sql += sql;
        w.params.push_back(std::move(param));
    };
    if (!f.form_id.empty()) add(" AND l.form_id = ?", f.form_id);
    if (f.status) w.sql += " AND l.status = " + std::to_string(static_cast<int>(*f.status));
    if (!f.date_from.empty()) {
        auto from = date_bound(f.date_from, false, "the first date");
        if (!from) return std::unexpected(from.error());
        add(" AND l.date_last >= ?", *from);  // '' (no date) sorts before every date
    }
    if (!f.date_to.empty()) {
        auto to = date_bound(f.date_to, true, "the last date");
        if (!to) return std::unexpected(to.error());
        add(" AND l.date_first <> '' AND l.date_first <= ?", *to);
    }
    if (!f.oblast.empty()) add(" AND l.oblast = ?", f.oblast);
    if (!f.text.empty()) {
        auto expr = match_expression(db, f.text);
        if (!expr) return std::unexpected(expr.error());
        // The unary + keeps SQLite from looking each match up by entry and then sorting them:
        // reading the list in order and probing the set of matches costs at most what the full
        // list costs, while lookups grow with the matches (26,000 of 100,000: 52 ms against 40).
        if (!expr->empty()) {
            add(" AND +l.entry IN (SELECT docid FROM record_text WHERE record_text MATCH ?)",
                std::move(*expr));
        }
    }
    return w;
}

// One of this vault's records with what its entry derives from, as own_entry() reads it:
// append "WHERE r.id = ?" for one record, "ORDER BY r.rowid" for all.
constexpr std::string_view kOwnRecordSelect =
    "SELECT r.id, r.form_sha256, r.updated_at, d.answers,"
    " (SELECT count(*) FROM documents WHERE record_id = r.id AND kind = 1),"
    " EXISTS (SELECT 1 FROM documents WHERE record_id = r.id AND kind = 2),"
    " EXISTS (SELECT 1 FROM purged WHERE record_id = r.id),"
    " v.bytes, EXISTS (SELECT 1 FROM deliveries WHERE seq = v.seq)"
    " FROM records r LEFT JOIN drafts d ON d.record_id = r.id"
    " LEFT JOIN documents v ON v.record_id = r.id AND v.kind = 1 AND v.version ="
    "   (SELECT max(version) FROM documents WHERE record_id = r.id AND kind = 1)";

Result<Entry> own_entry(const forms::FormRegistry& registry, const Stmt& st) {
    auto sha = fixed_blob<crypto::Sha256Digest>(st, 1, "form hash");
    if (!sha) return std::unexpected(sha.error());
    const forms::FormDefinition* form = registry.find(*sha);
    const std::int64_t versions = st.column_int(4);
    const bool withdrawn = st.column_int(5) != 0;
    const bool purged = st.column_int(6) != 0;
    Entry e;
    e.form_id = form != nullptr ? form->id() : std::string();
    e.updated_at = st.column_text(2);
    e.status = withdrawn          ? ListStatus::withdrawn
               : versions == 0    ? ListStatus::draft
               : st.column_int(8) ? ListStatus::delivered
               : versions == 1    ? ListStatus::sealed
                                  : ListStatus::amended;
    if (!st.column_is_null(3)) {
        auto answers = json::parse(st.column_text(3));
        if (answers) e.listed = listed_of(form, &*answers);
    } else if (!purged) {
        // Purged: the answers left the vault, and so they leave the list.
        if (auto doc = record_or_none(st.column_text(7))) {
            if (e.form_id.empty()) e.form_id = doc->form_id;
            e.listed = listed_of(form, &doc->answers);
        }
    }
    return e;
}

Result<> index_received(ListWriter& writer, Db& db, const forms::FormRegistry& registry,
                        std::string_view origin, const RecordId& id) {
    auto st = db.prepare(
        "SELECT kind, bytes FROM received_documents WHERE origin = ? AND record_id = ?"
        " ORDER BY kind, version DESC");
    if (!st) return std::unexpected(st.error());
    st->bind(1, origin).bind_blob(2, blob_of(id));
    std::optional<forms::RecordDocument> latest;
    bool any = false;
    Entry e;
    e.status = ListStatus::received;
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        const std::string bytes = st->column_text(1);
        if (st->column_int(0) == static_cast<std::int64_t>(forms::LeafKind::withdrawal)) {
            e.status = ListStatus::withdrawn;
            if (auto w = forms::parse_withdrawal(bytes); w) {
                e.updated_at = std::max(e.updated_at, w->stamp.sealed_at);
            }
        } else if (!any) {  // the latest version comes first
            latest = record_or_none(bytes);
        }
        any = true;
    }
    if (!any) return writer.remove(origin, id);
    if (latest) {
        const forms::FormDefinition* form = registry.find(latest->form_sha256);
        e.form_id = latest->form_id;
        e.updated_at = std::max(e.updated_at, latest->stamp.sealed_at);
        e.listed = listed_of(form, &latest->answers);
    }
    return writer.write(origin, id, e);
}

}  // namespace

namespace detail {

Result<> index_own_record(Db& db, const forms::FormRegistry& registry, const RecordId& id) {
    auto st = db.prepare(std::string(kOwnRecordSelect) + " WHERE r.id = ?");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    ListWriter writer(db);
    if (!*row) return writer.remove("", id);  // a draft never sealed was discarded
    auto e = own_entry(registry, *st);
    if (!e) return std::unexpected(e.error());
    return writer.write("", id, *e);
}

Result<> index_received_record(Db& db, const forms::FormRegistry& registry, std::string_view origin,
                               const RecordId& id) {
    ListWriter writer(db);
    return index_received(writer, db, registry, origin, id);
}

Result<> compact_index_text(Db& db) {
    return db.exec("INSERT INTO record_text (record_text) VALUES ('optimize')");
}

Result<> build_record_index(Db& db) {
    {
        // A new vault holds nothing to list: it need not parse the built-in forms.
        auto st = db.prepare(
            "SELECT EXISTS (SELECT 1 FROM records) OR EXISTS (SELECT 1 FROM received_documents)");
        if (!st) return std::unexpected(st.error());
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (st->column_int(0) == 0) return {};
    }
    auto registry = forms::load_builtin();
    if (!registry) return std::unexpected(registry.error());
    {
        auto st = db.prepare("SELECT file_name, bytes FROM forms");
        if (!st) return std::unexpected(st.error());
        for (;;) {
            auto row = st->step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            // As Records::open: a definition that does not load, or whose id and version are
            // taken, leaves its records listed without values.
            auto form = forms::parse_definition(st->column_text(0), st->column_text(1));
            if (form) (void)registry->add(std::move(*form));
        }
    }
    // Every record is read in one pass and the writer keeps its statements prepared; the pass
    // reads every draft and latest version, so the page cache is larger meanwhile. (100,000
    // records: 50 s, against 82 s with a query per record and the default cache.)
    auto cache = db.prepare("PRAGMA cache_size");
    if (!cache) return std::unexpected(cache.error());
    if (auto r = cache->step(); !r) return std::unexpected(r.error());
    const std::string restore = "PRAGMA cache_size = " + std::to_string(cache->column_int(0));
    const std::string larger = "PRAGMA cache_size = -" + std::to_string(kPageCacheKiB);
    if (auto r = db.exec(larger.c_str()); !r) return r;
    ListWriter writer(db);
    auto own = db.prepare(std::string(kOwnRecordSelect) + " ORDER BY r.rowid");
    if (!own) return std::unexpected(own.error());
    for (;;) {
        auto row = own->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto id = fixed_blob<RecordId>(*own, 0, "record id");
        if (!id) return std::unexpected(id.error());
        auto e = own_entry(*registry, *own);
        if (!e) return std::unexpected(e.error());
        if (auto r = writer.write("", *id, *e); !r) return r;
    }
    auto received = db.prepare(
        "SELECT origin, record_id FROM received_documents GROUP BY origin, record_id"
        " ORDER BY min(seq), origin");
    if (!received) return std::unexpected(received.error());
    using Key = std::pair<std::string, RecordId>;
    auto keys = collect_rows<Key>(*received, [](const Stmt& row) -> Result<Key> {
        auto id = fixed_blob<RecordId>(row, 1, "received record id");
        if (!id) return std::unexpected(id.error());
        return Key{row.column_text(0), *id};
    });
    if (!keys) return std::unexpected(keys.error());
    for (const auto& [origin, id] : *keys) {
        if (auto r = index_received(writer, db, *registry, origin, id); !r) return r;
    }
    return db.exec(restore.c_str());
}

}  // namespace detail

std::string_view list_status_name(ListStatus status) noexcept {
    switch (status) {
        case ListStatus::draft:
            return "draft";
        case ListStatus::sealed:
            return "sealed";
        case ListStatus::amended:
            return "amended";
        case ListStatus::withdrawn:
            return "withdrawn";
        case ListStatus::delivered:
            return "delivered";
        case ListStatus::received:
            return "received";
    }
    return "unknown";
}

Result<RecordIndex> RecordIndex::open(Vault& vault) {
    // The search words are split by the index's own tokenizer (match_expression). A temporary
    // table lives in memory (temp_store) and only for this connection. Every query reads the
    // whole list table (about 20 MiB for 100,000 records) and the FTS pages of its words (a
    // one-letter prefix: about 10 MiB more). The page cache holds them so that they are not
    // decrypted again for each query: with SQLite's default of 2 MiB they all were, and with
    // 32 MiB a one-letter search still pushed the list out.
    const std::string sql =
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.record_search_words USING"
        " fts3tokenize(unicode61); PRAGMA cache_size = -" +
        std::to_string(kPageCacheKiB) + ";";
    if (auto r = detail::database(vault).exec(sql.c_str()); !r) {
        return std::unexpected(r.error());
    }
    return RecordIndex(vault);
}

Result<std::vector<RecordRow>> RecordIndex::query(const RecordFilter& filter) {
    Db& db = detail::database(*vault_);
    auto where = where_of(db, filter);
    if (!where) return std::unexpected(where.error());
    auto st = db.prepare(std::string(kListColumns) + where->sql +
                         " ORDER BY l.updated_at DESC, l.entry DESC LIMIT ? OFFSET ?");
    if (!st) return std::unexpected(st.error());
    int i = 1;
    for (const auto& p : where->params) st->bind(i++, p);
    st->bind(i++, filter.limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(filter.limit));
    st->bind(i, static_cast<std::int64_t>(filter.offset));
    // A full list is 100,000 rows: growing the vector step by step would spend more time moving
    // rows than reading them, so it gets room for every listed record at once (counted on the
    // smallest index, about 2 ms) and gives back what a filter left unused.
    std::vector<RecordRow> out;
    if (filter.limit == 0) {
        auto listed = count();
        if (!listed) return std::unexpected(listed.error());
        out.reserve(*listed);
    } else {
        out.reserve(std::min<std::size_t>(filter.limit, kReserveRows));
    }
    for (;;) {
        auto more = st->step();
        if (!more) return std::unexpected(more.error());
        if (!*more) break;
        if (auto r = read_list_row(*st, out.emplace_back()); !r) return std::unexpected(r.error());
    }
    if (out.size() < out.capacity() / 2) out.shrink_to_fit();
    return out;
}

Result<std::size_t> RecordIndex::count() {
    return count(RecordFilter{});
}

Result<std::size_t> RecordIndex::count(const RecordFilter& filter) {
    Db& db = detail::database(*vault_);
    auto where = where_of(db, filter);
    if (!where) return std::unexpected(where.error());
    auto st = db.prepare("SELECT count(*) FROM record_list l" + where->sql);
    if (!st) return std::unexpected(st.error());
    int i = 1;
    for (const auto& p : where->params) st->bind(i++, p);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    return static_cast<std::size_t>(st->column_int(0));
}

}  // namespace svidok::store
