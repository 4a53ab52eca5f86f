// SPDX-License-Identifier: GPL-3.0-or-later
#include <set>

#include "headless.h"
#include "i18n.h"
#include "store/recovery_code.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;
using app::Screen;

namespace {

constexpr store::VaultPolicy kTestPolicy{.enforce_kdf_floor = false};
constexpr crypto::KdfParams kFastKdf{1, 64u << 10};

}  // namespace

TEST_CASE(
    "create a vault through the UI with a Cyrillic passphrase, confirm the code, lock, unlock") {
    TempDir tmp;
    Headless h;
    CHECK(h.fonts_loaded);
    app::Model model(tmp / "vault", kTestPolicy, kFastKdf);
    app::Ui ui;
    REQUIRE(model.screen() == Screen::create);
    h.frames(ui, model, 2);

    const std::string pass = "свідок — тестова фраза";
    h.type(ui, model, pass);
    h.press(ui, model, kTab);
    h.type(ui, model, "mismatch that is long");
    h.press(ui, model, kEnter);
    REQUIRE(model.error().has_value());
    CHECK(model.error()->message == "the two passphrases differ");
    CHECK_FALSE(fs::exists(tmp / "vault"));

    // Fields were wiped on submit; focus returned to the first field.
    h.type(ui, model, pass);
    h.press(ui, model, kTab);
    h.type(ui, model, pass);
    h.press(ui, model, kEnter);
    CHECK(model.busy());
    h.settle(ui, model);
    REQUIRE_MESSAGE(model.screen() == Screen::show_recovery_code,
                    (model.error() ? model.error()->message : ""));
    REQUIRE(model.session() != nullptr);
    REQUIRE(model.session()->recovery_code.has_value());
    CHECK(model.session()->recovery_code->size() == store::kRecoveryCodeChars);

    // Keyboard navigation: tick "I wrote it down", then Continue.
    h.press(ui, model, kDown);
    h.press(ui, model, kSpace);
    CHECK(ui.recovery.written);
    h.press(ui, model, kDown);
    h.press(ui, model, kSpace);
    REQUIRE(model.screen() == Screen::main);
    CHECK_FALSE(model.session()->recovery_code.has_value());

    // Ctrl+L locks: the session (and the open database) are dropped.
    h.press(ui, model, kL, /*ctrl=*/true);
    CHECK(model.screen() == Screen::unlock);
    CHECK(model.session() == nullptr);

    h.type(ui, model, "wrong passphrase typed");
    h.press(ui, model, kEnter);
    h.settle(ui, model);
    REQUIRE(model.error().has_value());
    CHECK(model.error()->code == Errc::auth_failed);
    CHECK(model.screen() == Screen::unlock);

    h.type(ui, model, pass);
    h.press(ui, model, kEnter);
    h.settle(ui, model);
    CHECK(model.screen() == Screen::main);
    CHECK_FALSE(model.error().has_value());
}

TEST_CASE("a whole burst of keys in one frame (auto-type) fills each field exactly") {
    // ImGui 1.86 alone puts the characters after a Tab into the old field and drops those of
    // the frame the new field activates; the InputQueue paces them. Without it this test fails.
    TempDir tmp;
    Headless h;
    app::Model model(tmp / "vault", kTestPolicy, kFastKdf);
    app::Ui ui;
    h.frames(ui, model, 2);
    h.burst("correct horse battery staple\tcorrect horse battery staple\n");
    h.drain(ui, model);
    CHECK_FALSE(model.error().has_value());
    h.settle(ui, model);
    REQUIRE_MESSAGE(model.screen() == Screen::show_recovery_code,
                    (model.error() ? model.error()->message : std::string("no error")));
    model.confirm_recovery_code_written();
    model.lock();
    h.frames(ui, model, 2);
    h.burst("correct horse battery staple\n");
    h.drain(ui, model);
    h.settle(ui, model);
    CHECK(model.screen() == Screen::main);
}

TEST_CASE("every language has exactly the English keys, and placeholders agree") {
    std::set<std::string_view> keys;
    for (const auto& e : app::string_table()) {
        CHECK_MESSAGE(keys.insert(e.key).second, "duplicate key " << e.key);
        for (auto text : {e.en, e.uk, e.ru}) {
            CHECK_MESSAGE(!text.empty(), e.key);
            auto count = [](std::string_view s) {
                std::size_t n = 0;
                for (auto p = s.find('%'); p != std::string_view::npos; p = s.find('%', p + 1)) ++n;
                return n;
            };
            CHECK_MESSAGE(count(text) == count(e.en), e.key);
        }
        CHECK_MESSAGE(e.uk != e.en, "untranslated: " << e.key);
    }
    for (auto lang : {app::Lang::en, app::Lang::uk, app::Lang::ru}) {
        app::set_language(lang);
        for (const auto& e : app::string_table())
            CHECK(std::string_view(app::tr(e.key)).size() > 0);
    }
    app::set_language(app::Lang::en);
}
