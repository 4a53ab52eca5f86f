// SPDX-License-Identifier: GPL-3.0-or-later
// The safety page and the unlock screen's wipe through the headless UI, by clicks and typing:
// seal recipients, the failed-attempt limit (reached: the vault is wiped), the duress
// passphrase with its decoy prepared through the decoy screen, the panic wipe behind its typed
// word in English and Ukrainian, and sealed answers shown as sealed on the device.

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "headless.h"
#include "i18n.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;
using app::Page;
using app::Screen;

namespace {

constexpr store::VaultPolicy kTestPolicy{.enforce_kdf_floor = false};
constexpr crypto::KdfParams kFastKdf{1, 64u << 10};
const std::string kPass = "real passphrase of the interviewer";
const std::string kDuress = "duress passphrase given at a checkpoint";

/// A vault made through the library (fast parameters), and the app on its unlock screen.
struct Fixture {
    TempDir tmp;
    fs::path dir = tmp / "vault";
    Headless h;
    app::Ui ui;
    std::unique_ptr<app::Model> model;

    Fixture() {
        auto created = store::Vault::create(dir, crypto::as_bytes(kPass),
                                            store::CreateOptions{kFastKdf, kTestPolicy});
        REQUIRE(created);
        model = std::make_unique<app::Model>(dir, kTestPolicy, kFastKdf);
        REQUIRE(model->screen() == Screen::unlock);
        frames(2);
    }
    void frames(int n) { h.frames(ui, *model, n); }
    void click(std::string_view name) {
        h.reach(ui, *model, name);
        h.click(ui, *model, name);
    }
    void type(std::string_view text) { h.type(ui, *model, text); }
    /// Types a passphrase into the unlock screen and presses Enter.
    void unlock(std::string_view pass) {
        REQUIRE(model->screen() == Screen::unlock);
        click("vault.passphrase");
        type(pass);
        h.press(ui, *model, kEnter);
        h.settle(ui, *model);
    }
    void lock() {
        click("nav.lock");
        REQUIRE(model->screen() == Screen::unlock);
    }
    /// A new draft of the adult form, saved.
    void new_draft() {
        const auto* form = model->session()->registry.find("forced-mobilization");
        REQUIRE(form != nullptr);
        model->new_record(*form);
        model->save_draft();
        model->go(Page::records);
    }
};

}  // namespace

TEST_CASE(
    "seal recipients, the attempt limit and the duress passphrase by clicks; the decoy is prepared "
    "and opened") {
    Fixture f;
    f.unlock(kPass);
    REQUIRE(f.model->screen() == Screen::main);
    const auto legal = crypto::X25519Identity::generate().recipient().to_string();
    REQUIRE(f.model->add_recipient("legal", legal));
    f.new_draft();
    f.new_draft();
    REQUIRE(f.model->rows().size() == 2);

    // Seal recipients: ticking the box makes "legal" the one sensitive answers are sealed to.
    f.click("nav.safety");
    REQUIRE(f.model->page() == Page::safety);
    f.frames(2);
    CHECK_FALSE(f.model->recipients().front().seal);
    f.click("safety.seal.legal");
    REQUIRE(f.model->recipients().size() == 1);
    CHECK(f.model->recipients().front().seal);
    f.click("safety.seal.legal");
    CHECK_FALSE(f.model->recipients().front().seal);

    // The attempt limit: off by default; 3 chosen and applied.
    CHECK(f.model->safety().wipe_after == 0);
    f.ui.pages.safety.wipe_after = 3;  // the slider's value, as dragging would set it
    f.frames(1);
    f.click("safety.attempts.apply");
    CHECK(f.model->safety().wipe_after == 3);

    // The duress passphrase, typed twice; not destroying (the real vault stays).
    CHECK_FALSE(f.model->safety().duress.set);
    f.click("safety.duress.passphrase");
    f.type(kDuress);
    f.click("safety.duress.repeat");
    f.type(kDuress);
    f.click("safety.duress.set");
    f.h.settle(f.ui, *f.model);
    REQUIRE_MESSAGE(f.model->safety().duress.set,
                    (f.model->error() ? f.model->error()->message : ""));
    CHECK_FALSE(f.model->safety().duress.destroys_real);

    // Preparing the decoy: the unlock screen opens it with the real passphrase, with a banner.
    f.click("safety.decoy.prepare");
    REQUIRE(f.model->screen() == Screen::unlock);
    CHECK(f.ui.vault.decoy);
    f.unlock(kPass);
    REQUIRE(f.model->screen() == Screen::main);
    CHECK(f.model->safety().decoy_session);
    CHECK(Headless::shown("decoy.banner"));
    CHECK(f.model->rows().empty());
    f.new_draft();
    CHECK(f.model->rows().size() == 1);
    f.lock();
    CHECK_FALSE(f.ui.vault.decoy);

    // The duress passphrase opens the decoy, looking like any vault: no banner.
    f.unlock(kDuress);
    REQUIRE(f.model->screen() == Screen::main);
    CHECK_FALSE(f.model->safety().decoy_session);
    CHECK_FALSE(Headless::shown("decoy.banner"));
    CHECK(f.model->rows().size() == 1);
    f.lock();

    // The real passphrase still opens the real vault (the duress passphrase did not destroy).
    f.unlock(kPass);
    REQUIRE(f.model->screen() == Screen::main);
    CHECK(f.model->rows().size() == 2);
    f.lock();

    // Wrong passphrases: the screen never says how many are left (SECURITY.md); the third wipes.
    f.unlock("not the passphrase at all");
    CHECK(f.model->screen() == Screen::unlock);
    CHECK(f.model->attempts().failures == 1);
    f.frames(2);
    CHECK(Headless::shown("vault.submit"));
    f.unlock("still not the passphrase");
    CHECK(f.model->attempts().failures == 2);
    f.unlock("a third wrong passphrase");
    CHECK(f.model->screen() == Screen::create);
    CHECK_FALSE(fs::exists(f.dir / "vault.keys"));
    CHECK(f.model->error().has_value());
}

TEST_CASE("the panic wipe from the unlock screen and from the safety page needs the typed word") {
    SUBCASE("unlock screen, English word, no passphrase") {
        Fixture f;
        f.click("vault.wipe");
        f.frames(1);
        // The button does nothing until the word is typed.
        f.click("wipe.confirm");
        CHECK(fs::exists(f.dir / "vault.keys"));
        f.click("wipe.word");
        f.type("WIPX");
        f.click("wipe.confirm");
        CHECK(fs::exists(f.dir / "vault.keys"));
        f.click("wipe.cancel");
        CHECK_FALSE(Headless::shown("wipe.confirm"));
        f.click("vault.wipe");
        f.click("wipe.word");
        f.type("WIPE");
        f.click("wipe.confirm");
        CHECK_FALSE(fs::exists(f.dir / "vault.keys"));
        CHECK_FALSE(fs::exists(f.dir / "vault.db"));
        CHECK(f.model->screen() == Screen::create);
        CHECK(f.model->notice() == "wiped");
    }
    SUBCASE("safety page while unlocked, in Ukrainian") {
        Fixture f;
        f.ui.settings.language = app::Lang::uk;
        f.unlock(kPass);
        REQUIRE(f.model->screen() == Screen::main);
        f.new_draft();
        f.click("nav.safety");
        f.click("safety.wipe");
        f.click("wipe.word");
        f.type("ЗНИЩИТИ");
        f.click("wipe.confirm");
        CHECK(f.model->session() == nullptr);
        CHECK(f.model->screen() == Screen::create);
        CHECK_FALSE(fs::exists(f.dir / "vault.keys"));
        CHECK_FALSE(fs::exists(f.dir / "vault.db"));
        f.frames(2);
        CHECK(Headless::shown("vault.submit"));
    }
}
