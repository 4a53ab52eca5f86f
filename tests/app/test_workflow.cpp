// SPDX-License-Identifier: GPL-3.0-or-later
// The whole interview and hand-off workflow through the headless UI: an interviewer's vault
// creates, fills (Cyrillic typed into the editor), seals and amends a child-recruitment record,
// adds the legal team as a recipient and exports; the legal team's vault imports (confirming
// the sender's fingerprint), sees the record as received and verified; audit, settings,
// search, auto-lock and the clipboard. Every step is a click or keystroke through ImGuiIO.

#include <set>

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "forms/answers.h"
#include "forms/sealed.h"
#include "headless.h"
#include "i18n.h"
#include "probe.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;
using app::Page;
using app::Screen;

namespace {

bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

constexpr store::VaultPolicy kTestPolicy{.enforce_kdf_floor = false};
constexpr crypto::KdfParams kFastKdf{1, 64u << 10};
constexpr int kS = 'S';
constexpr int kF = 'F';

/// Creates a vault through the vault screen and confirms the recovery code.
void create_through_ui(Headless& h, app::Ui& ui, app::Model& model, std::string_view pass) {
    h.frames(ui, model, 2);
    h.type(ui, model, pass);
    h.press(ui, model, kTab);
    h.type(ui, model, pass);
    h.press(ui, model, kEnter);
    h.settle(ui, model);
    REQUIRE_MESSAGE(model.screen() == Screen::show_recovery_code,
                    (model.error() ? model.error()->message : std::string()));
    h.click(ui, model, "recovery.written");
    h.click(ui, model, "recovery.continue");
    REQUIRE(model.screen() == Screen::main);
}

/// Clicks a text field and types into it.
void fill(Headless& h, app::Ui& ui, app::Model& model, std::string_view widget,
          std::string_view text) {
    h.reach(ui, model, widget);
    h.click(ui, model, widget);
    h.type(ui, model, text);
    h.press(ui, model, kTab);  // leaves the field: the editor reports it deactivated
}

forms::json::Value* member(forms::json::Value& v, std::string_view key) {
    if (!v.is_object()) return nullptr;
    for (auto& [k, m] : v.as_object()) {
        if (k == key) return &m;
    }
    return nullptr;
}

const std::string& text_at(const forms::json::Value& answers, std::string_view group,
                           std::string_view field) {
    static const std::string empty;
    const auto* g = answers.find(group);
    const auto* f = g != nullptr ? g->find(field) : nullptr;
    return f != nullptr && f->is_string() ? f->as_string() : empty;
}

// The system clipboard as another program sees it.
std::string g_system_clipboard;

std::string error_text(const app::Model& m) {
    return m.error() ? m.error()->message : std::string();
}

}  // namespace

TEST_CASE(
    "interviewer to legal team: fill in Cyrillic, seal, amend, export, import, verify, lock") {
    TempDir tmp;
    Headless h;
    REQUIRE(h.fonts_loaded);
    app::Model field(tmp / "field", kTestPolicy, kFastKdf);
    app::Model legal(tmp / "legal", kTestPolicy, kFastKdf);
    app::Ui ui_field;
    app::Ui ui_legal;
    create_through_ui(h, ui_field, field, "польова парольна фраза");
    create_through_ui(h, ui_legal, legal, "юридична парольна фраза");

    // --- the legal team shares its identity; the interviewer adds it ---
    h.click(ui_legal, legal, "nav.identity");
    CHECK(Headless::shown("identity.qr"));
    const std::string legal_identity = legal.share_text();
    h.click(ui_field, field, "nav.identity");
    fill(h, ui_field, field, "recipients.name", "legal-team");
    fill(h, ui_field, field, "recipients.identity", legal_identity);
    h.click(ui_field, field, "recipients.add");
    REQUIRE_MESSAGE(field.recipients().size() == 1, error_text(field));
    CHECK(field.recipients()[0].name == "legal-team");
    CHECK(field.recipients()[0].minisign.has_value());
    // Sensitive answers are sealed to it (docs/FORMAT.md 9.6): ticked on the safety page.
    h.click(ui_field, field, "nav.safety");
    h.click(ui_field, field, "safety.seal.legal-team");
    REQUIRE_MESSAGE(field.recipients()[0].seal, error_text(field));
    h.click(ui_field, field, "nav.records");

    // --- a new child-recruitment record, typed in the editor ---
    h.frames(ui_field, field, 2);
    h.click(ui_field, field, "records.new.child-recruitment");
    REQUIRE_MESSAGE(field.page() == Page::record, error_text(field));
    REQUIRE(field.record() != nullptr);
    CHECK(field.record()->editable());
    CHECK(Headless::shown("editor.interview.interviewer_key_id"));
    // The testimony's sections appear once the witness consents to the interview.
    CHECK_FALSE(Headless::shown("editor.witness.pseudonym"));
    h.reach(ui_field, field, "editor.consent.consent_interview.given=yes");
    h.click(ui_field, field, "editor.consent.consent_interview.given=yes");
    const std::string pseudonym = "Свідок-7 «Ґанна»";
    const std::string narrative = "Його забрали з школи 5 березня; ёлка, ы — «мобілізація».";
    fill(h, ui_field, field, "editor.witness.pseudonym", pseudonym);
    fill(h, ui_field, field, "editor.incident.narrative", narrative);
    CHECK(text_at(field.record()->answers, "witness", "pseudonym") == pseudonym);
    CHECK(text_at(field.record()->answers, "incident", "narrative") == narrative);

    // Ctrl+S saves: the vault now holds the typed text.
    h.press(ui_field, field, kS, /*ctrl=*/true);
    CHECK_FALSE(field.record()->dirty);
    {
        auto saved = field.session()->records->answers(field.record()->id);
        REQUIRE(saved);
        CHECK(text_at(*saved, "witness", "pseudonym") == pseudonym);
    }
    // The seal dialog refuses an incomplete record and lists why.
    h.click(ui_field, field, "record.seal");
    CHECK_FALSE(field.record()->issues.empty());
    h.click(ui_field, field, "###seal.cancel");

    // The rest of a long interview: every other answer from the form's example, the typed
    // ones kept (the editor test drives every field kind by hand).
    {
        auto& answers = field.record()->answers;
        auto example = forms::example_for(*field.record()->form);
        *member(*member(example, "witness"), "pseudonym") = forms::json::Value(pseudonym);
        *member(*member(example, "incident"), "narrative") = forms::json::Value(narrative);
        *member(*member(example, "evidence"), "attachments") =
            forms::json::Value(forms::json::Array{});
        answers = std::move(example);
        field.answers_changed();
        h.frames(ui_field, field, 2);
    }
    REQUIRE(field.record()->issues.empty());

    // A photo, attached through the file picker.
    const auto photos = tmp / "photos";
    fs::create_directories(photos);
    write_file(photos / "school.jpg", random_bytes(70000, 7));
    h.click(ui_field, field, "record.attach");
    ui_field.pages.record.picker.dir = photos;
    h.frames(ui_field, field, 2);
    h.click(ui_field, field, "attach.picker.entry.school.jpg");
    h.settle(ui_field, field);
    REQUIRE_MESSAGE(field.notice() == "attached:school.jpg", error_text(field));
    REQUIRE(field.record()->attachments.size() == 1);
    CHECK(field.record()->attachments[0].size == 70000);
    CHECK(fs::exists(photos / "school.jpg"));  // kept: deleting the original was not chosen
    REQUIRE(field.record()->issues.empty());

    h.click(ui_field, field, "record.seal");
    CHECK(Headless::shown("###seal.confirm"));
    h.click(ui_field, field, "###seal.confirm");
    h.settle(ui_field, field);
    REQUIRE_MESSAGE(field.notice() == "sealed:1", error_text(field));
    REQUIRE(field.record() != nullptr);
    CHECK_FALSE(field.record()->editable());
    REQUIRE(field.record()->verification.size() == 1);
    CHECK_FALSE(field.record()->verification[0].problem.has_value());
    CHECK(Headless::shown("record.badge"));
    // The witness's name is sealed for the legal team: the device holds no readable copy.
    const std::string real_name =
        text_at(forms::example_for(*field.record()->form), "witness", "real_name");
    REQUIRE_FALSE(real_name.empty());
    CHECK(forms::is_sealed_marker(*field.record()->answers.find("witness")->find("real_name")));
    CHECK(forms::json::pretty(field.record()->answers).find(real_name) == std::string::npos);
    // The page says so, and the editor shows the field as sealed, not its value.
    CHECK(Headless::shown("record.sealed"));
    CHECK(Headless::shown("editor.witness.real_name.sealed"));

    // --- amend: a second version with more narrative ---
    h.click(ui_field, field, "record.amend");
    REQUIRE(field.record()->editable());
    h.frames(ui_field, field, 2);
    h.reach(ui_field, field, "editor.incident.narrative");
    h.click(ui_field, field, "editor.incident.narrative");
    h.press(ui_field, field, kEnd, /*ctrl=*/true);
    h.type(ui_field, field, " Доповнення: ще двоє дітей.");
    h.press(ui_field, field, kTab);
    CHECK(text_at(field.record()->answers, "incident", "narrative") ==
          narrative + " Доповнення: ще двоє дітей.");
    h.click(ui_field, field, "record.seal");
    h.click(ui_field, field, "###seal.confirm");
    h.settle(ui_field, field);
    REQUIRE_MESSAGE(field.notice() == "sealed:2", error_text(field));
    REQUIRE(field.record()->verification.size() == 2);
    for (const auto& c : field.record()->verification) CHECK_FALSE(c.problem.has_value());

    // --- the list shows it; search finds it by a Ukrainian prefix, case-insensitively ---
    h.click(ui_field, field, "nav.records");
    REQUIRE(field.rows().size() == 1);
    CHECK(field.rows()[0].status == store::ListStatus::amended);
    CHECK(field.rows()[0].pseudonym == pseudonym);
    h.click(ui_field, field, "nav.audit");
    h.press(ui_field, field, kF, /*ctrl=*/true);  // Ctrl+F: the list, with the search focused
    CHECK(field.page() == Page::records);
    h.frames(ui_field, field, 2);
    h.type(ui_field, field, "МОБІЛ");
    CHECK(field.rows().size() == 1);
    CHECK(field.filter.text == "МОБІЛ");
    for (int i = 0; i < 6; ++i) h.press(ui_field, field, kBackspace);
    h.type(ui_field, field, "нічого");
    CHECK(field.rows().empty());
    for (int i = 0; i < 6; ++i) h.press(ui_field, field, kBackspace);
    CHECK(field.rows().size() == 1);

    // --- export wizard ---
    const auto usb = tmp / "usb";
    fs::create_directories(usb);
    h.click(ui_field, field, "nav.exchange");
    ui_field.pages.exchange.out_dir.dir = usb;
    h.frames(ui_field, field, 2);
    h.click(ui_field, field, "export.folder.this_folder");
    h.click(ui_field, field, "export.button");
    h.settle(ui_field, field);
    REQUIRE_MESSAGE(field.exported().has_value(), error_text(field));
    CHECK(field.exported()->records == 1);
    CHECK(field.exported()->documents == 2);
    CHECK(field.exported()->attachments == 1);
    const auto bundle = field.exported()->file;
    CHECK(fs::exists(bundle));
    CHECK(bundle.parent_path() == usb);

    // --- import on the legal side: first contact asks for the fingerprint read out ---
    h.click(ui_legal, legal, "nav.exchange");
    ui_legal.pages.exchange.bundle.dir = usb;
    h.frames(ui_legal, legal, 2);
    h.click(ui_legal, legal, "import.picker.entry." + bundle.filename().string());
    h.click(ui_legal, legal, "import.button");
    h.settle(ui_legal, legal);
    REQUIRE(legal.import_needs_trust());
    REQUIRE(legal.error().has_value());
    CHECK(legal.error()->code == Errc::auth_failed);
    // What the window shows never holds the fingerprint the person must hear (issue 19).
    const std::string& heard = field.session()->fingerprint;
    CHECK(legal.error()->message.find(heard) == std::string::npos);
    CHECK(Headless::shown("import.fingerprint"));
    fill(h, ui_legal, legal, "import.fingerprint", "00000 00000 00000 00000 00000");
    h.click(ui_legal, legal, "import.trust_button");
    h.settle(ui_legal, legal);
    CHECK_FALSE(legal.imported().has_value());
    REQUIRE(legal.error().has_value());
    CHECK(legal.error()->message.find(heard) == std::string::npos);
    CHECK(legal.import_needs_trust());  // asked again, not dropped
    h.click(ui_legal, legal, "import.button");
    h.settle(ui_legal, legal);
    REQUIRE(legal.import_needs_trust());
    fill(h, ui_legal, legal, "import.fingerprint", field.session()->fingerprint);
    h.click(ui_legal, legal, "import.trust_button");
    h.settle(ui_legal, legal);
    REQUIRE_MESSAGE(legal.imported().has_value(), error_text(legal));
    CHECK(legal.imported()->new_documents == 2);
    CHECK(fs::exists(legal.imported()->receipt));
    CHECK(Headless::shown("import.report"));

    // The legal team's list shows it as received; opening it verifies with the sender's key.
    h.click(ui_legal, legal, "nav.records");
    REQUIRE(legal.rows().size() == 1);
    CHECK(legal.rows()[0].status == store::ListStatus::received);
    h.click(ui_legal, legal, "records.row.0");
    REQUIRE_MESSAGE(legal.record() != nullptr, error_text(legal));
    CHECK(legal.record()->received);
    CHECK_FALSE(legal.record()->editable());
    CHECK(text_at(legal.record()->answers, "incident", "narrative") ==
          narrative + " Доповнення: ще двоє дітей.");
    REQUIRE(legal.record()->verification.size() == 2);
    for (const auto& c : legal.record()->verification) CHECK_FALSE(c.problem.has_value());
    CHECK_FALSE(Headless::shown("record.amend"));
    // The legal team's key opens the witness's name, carried verbatim into version 2, and it
    // verifies against the commitment the device signed.
    REQUIRE_FALSE(legal.record()->sealed.empty());
    for (const auto& u : legal.record()->sealed) {
        CHECK_MESSAGE(u.status == forms::SealedStatus::opened, u.path << ": " << u.problem);
    }
    CHECK(text_at(legal.record()->answers, "witness", "real_name") == real_name);
    CHECK(Headless::shown("record.sealed"));
    CHECK_FALSE(Headless::shown("editor.witness.real_name.sealed"));

    // --- the legal team's outputs: a report of the bundle, a court printout, the case export ---
    const auto court = tmp / "court";
    fs::create_directories(court);
    h.click(ui_legal, legal, "nav.records");
    h.click(ui_legal, legal, "records.pick.0");
    h.click(ui_legal, legal, "nav.legal");
    ui_legal.pages.legal.folder.dir = court;
    ui_legal.pages.legal.bundle.dir = usb;
    h.frames(ui_legal, legal, 2);
    h.click(ui_legal, legal, "legal.folder.this_folder");
    h.click(ui_legal, legal, "legal.bundle.entry." + bundle.filename().string());
    h.click(ui_legal, legal, "legal.report.button");
    h.settle(ui_legal, legal);
    REQUIRE_MESSAGE(legal.legal_done().has_value(), error_text(legal));
    CHECK(legal.legal_done()->report);
    CHECK(legal.legal_done()->all_verified);
    CHECK(legal.legal_done()->verified == 2);
    const auto report = legal.legal_done()->path;
    CHECK(report.parent_path() == court);
    CHECK(report.extension() == ".html");
    CHECK(has(read_file(report), "<!DOCTYPE html>"));
    CHECK(Headless::shown("legal.done"));

    h.click(ui_legal, legal, "legal.print.button");
    h.settle(ui_legal, legal);
    REQUIRE_MESSAGE(legal.legal_done().has_value(), error_text(legal));
    const auto page = court / (crypto::to_hex(legal.rows()[0].id) + ".html");
    REQUIRE(fs::exists(page));
    CHECK(has(read_file(page), real_name));  // the legal team's key opened the name
    // Asked again, it never overwrites the printout.
    h.click(ui_legal, legal, "legal.print.button");
    h.settle(ui_legal, legal);
    REQUIRE(legal.error().has_value());
    CHECK(legal.error()->code == Errc::exists);

    // The plaintext export waits for the person to say they understand it is unencrypted.
    h.reach(ui_legal, legal, "legal.export.button");
    CHECK(Headless::shown("legal.export.warning"));
    h.click(ui_legal, legal, "legal.export.button");
    h.settle(ui_legal, legal);
    CHECK(legal.error().has_value());  // still the printout's refusal: nothing was exported
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(court)) ++entries;
    CHECK(entries == 2);
    h.reach(ui_legal, legal, "legal.export.confirm");
    h.click(ui_legal, legal, "legal.export.confirm");
    h.reach(ui_legal, legal, "legal.export.button");
    h.click(ui_legal, legal, "legal.export.button");
    h.settle(ui_legal, legal);
    REQUIRE_MESSAGE(legal.legal_done().has_value(), error_text(legal));
    CHECK(legal.legal_done()->count == 1);
    const auto exported = legal.legal_done()->path;
    CHECK(exported.parent_path() == court);
    fs::path table;
    for (const auto& e : fs::directory_iterator(exported)) {
        const auto name = e.path().filename().string();
        if (name.starts_with("child-recruitment-v") && name.ends_with(".csv") &&
            std::count(name.begin(), name.end(), '.') == 1)
            table = e.path();
    }
    REQUIRE_FALSE(table.empty());
    CHECK(has(read_file(table), real_name));
    CHECK_FALSE(ui_legal.pages.legal.understood);  // asked again next time

    // --- the receipt travels back: the record shows as delivered ---
    h.click(ui_field, field, "nav.exchange");
    ui_field.pages.exchange.bundle.dir = legal.imported()->receipt.parent_path();
    h.frames(ui_field, field, 2);
    h.click(ui_field, field,
            "import.picker.entry." + legal.imported()->receipt.filename().string());
    h.click(ui_field, field, "import.button");
    REQUIRE_MESSAGE(field.notice() == "receipt:2", error_text(field));
    h.click(ui_field, field, "nav.records");
    CHECK(field.rows()[0].status == store::ListStatus::delivered);

    // --- audit the interviewer's vault ---
    h.click(ui_field, field, "nav.audit");
    h.click(ui_field, field, "audit.button");
    h.settle(ui_field, field);
    REQUIRE(field.audit_report().has_value());
    CHECK(field.audit_report()->ok());
    CHECK(field.audit_report()->log.versions == 2);

    // --- Ctrl+L locks: every decrypted value goes, and what was typed into the pages ---
    h.press(ui_field, field, kF, /*ctrl=*/true);
    h.frames(ui_field, field, 2);
    h.type(ui_field, field, "Ґанна");
    REQUIRE(ui_field.pages.records.search.text == "Ґанна");
    h.press(ui_field, field, kL, /*ctrl=*/true);
    CHECK(field.screen() == Screen::unlock);
    CHECK(field.session() == nullptr);
    CHECK(field.record() == nullptr);
    CHECK(field.rows().empty());
    CHECK(ui_field.pages.records.search.text.empty());
    CHECK(ui_field.pages.identity.identity.text.empty());
}

TEST_CASE("settings switch the language live; auto-lock after idle; clipboard cleared") {
    TempDir tmp;
    Headless h;
    ImGuiIO& io = ImGui::GetIO();
    io.SetClipboardTextFn = [](void*, const char* text) { g_system_clipboard = text; };
    io.GetClipboardTextFn = [](void*) { return g_system_clipboard.c_str(); };
    app::Model model(tmp / "vault", kTestPolicy, kFastKdf);
    app::Ui ui;
    create_through_ui(h, ui, model, "налаштування фраза");
    h.click(ui, model, "nav.settings");
    h.click(ui, model, "settings.lang.uk");
    CHECK(ui.settings.language == app::Lang::uk);
    CHECK(ui.settings_changed);
    CHECK(std::string(app::tr("nav.records")) == "Записи");
    CHECK(std::string(app::tr("nav.audit")) == "Перевірка");
    CHECK(app::format_date("2024-03-05", app::Lang::uk) == "5 березня 2024");
    CHECK(app::format_date("2024-03", app::Lang::ru) == "март 2024");
    CHECK(app::format_date("2023-03/2023-05", app::Lang::en) == "March 2023 – May 2023");
    h.click(ui, model, "settings.lang.ru");
    CHECK(std::string(app::tr("nav.audit")) == "Проверка");
    h.click(ui, model, "settings.lang.en");

    // Settings round-trip through their file, clamped.
    ui.settings.auto_lock_minutes = 7;
    ui.settings.text_scale = 1.25f;
    REQUIRE(ui.settings.save(tmp / "cfg" / "settings.conf"));
    auto loaded = app::Settings::load(tmp / "cfg" / "settings.conf");
    CHECK(loaded.auto_lock_minutes == 7);
    CHECK(loaded.text_scale == doctest::Approx(1.25f));
    write_file(tmp / "bad.conf",
               "language = xx\nauto_lock_minutes = 99999\ntext_scale_percent = 5\n");
    auto clamped = app::Settings::load(tmp / "bad.conf");
    CHECK(clamped.language == app::Lang::en);
    CHECK(clamped.auto_lock_minutes == app::Settings::kMaxAutoLockMinutes);
    CHECK(clamped.text_scale == doctest::Approx(app::Settings::kMinTextScale));

    // Whatever the app copies (ImGui's Ctrl+C in a field goes the same way) is cleared once
    // its time is up, unless the person copied something else since.
    ui.clipboard.clear_after = std::chrono::milliseconds(20);
    ImGui::SetClipboardText("Свідок-7 копія");
    CHECK(g_system_clipboard == "Свідок-7 копія");
    REQUIRE(ui.next_deadline(model).has_value());
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    h.frames(ui, model, 1);
    CHECK(g_system_clipboard.empty());
    ui.clipboard.copy("secret-ish");
    g_system_clipboard = "the person's own text";  // copied in another program
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    h.frames(ui, model, 1);
    CHECK(g_system_clipboard == "the person's own text");

    // Idle past the auto-lock time: locked on the next frame; input resets the timer.
    ui.settings.auto_lock_minutes = 1;
    h.frames(ui, model, 1);
    CHECK(model.screen() == Screen::main);
    REQUIRE(ui.next_deadline(model).has_value());
    ui.last_input = app::Clock::now() - std::chrono::seconds(61);
    h.frames(ui, model, 1);
    CHECK(model.screen() == Screen::unlock);
    CHECK(model.session() == nullptr);
}

TEST_CASE("discard a draft and withdraw consent through their confirmations") {
    TempDir tmp;
    Headless h;
    app::Model model(tmp / "vault", kTestPolicy, kFastKdf);
    app::Ui ui;
    create_through_ui(h, ui, model, "третя парольна фраза");

    h.click(ui, model, "records.new.forced-mobilization");
    REQUIRE(model.page() == Page::record);
    h.click(ui, model, "record.discard");
    h.click(ui, model, "###discard.cancel");
    CHECK(model.record() != nullptr);
    h.click(ui, model, "record.discard");
    h.click(ui, model, "###discard.confirm");
    CHECK(model.page() == Page::records);
    CHECK(model.rows().empty());

    // Sensitive answers are sealed to a legal team (docs/FORMAT.md 9.6).
    const auto legal_team = crypto::X25519Identity::generate().recipient().to_string();
    REQUIRE(model.add_recipient("legal-team", legal_team));
    REQUIRE(model.session()->bundles->set_seal_recipients(std::vector<std::string>{"legal-team"}));
    h.click(ui, model, "nav.records");
    h.click(ui, model, "records.new.forced-mobilization");
    model.record()->answers = forms::example_for(*model.record()->form);
    *member(*member(model.record()->answers, "evidence"), "attachments") =
        forms::json::Value(forms::json::Array{});
    model.answers_changed();
    h.click(ui, model, "record.seal");
    h.click(ui, model, "###seal.confirm");
    h.settle(ui, model);
    REQUIRE_MESSAGE(model.notice() == "sealed:1", error_text(model));
    h.click(ui, model, "record.withdraw");
    h.click(ui, model, "###withdraw.confirm");
    REQUIRE_MESSAGE(model.notice() == "withdrawn", error_text(model));
    REQUIRE(model.record()->documents.size() == 2);
    CHECK(model.record()->documents[1].kind == forms::LeafKind::withdrawal);
    CHECK(model.record()->verification.size() == 2);
    CHECK_FALSE(Headless::shown("record.withdraw"));  // nothing more to withdraw
    h.click(ui, model, "nav.records");
    REQUIRE(model.rows().size() == 1);
    CHECK(model.rows()[0].status == store::ListStatus::withdrawn);
    h.click(ui, model, "records.filter.status");
    h.click(ui, model, "records.filter.status.sealed");
    CHECK(model.rows().empty());
}
