// SPDX-License-Identifier: GPL-3.0-or-later
// Commands for a laptop at risk: the panic wipe, the duress passphrase and the failed-attempt
// limit (docs/FORMAT.md 15 and 16). Each is a thin caller of the store function the window
// calls too.

#include <chrono>
#include <cstdio>
#include <ostream>

#include "commands.h"
#include "store/wipe.h"

namespace svidok::cli {
namespace {

std::string milliseconds(std::chrono::nanoseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", std::chrono::duration<double, std::milli>(d).count());
    return buf;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

Result<> cmd_wipe(Context& ctx) {
    if (auto r = ctx.refuse_decoy("wipe destroys the whole vault, the decoy included"); !r)
        return r;
    const auto& dir = ctx.vault_dir;
    // A mistyped --vault is refused before anything is asked.
    if (!store::holds_vault(dir)) {
        return fail(Errc::not_found, "no vault at " + dir.string() + "; nothing was deleted",
                    "check the path given with --vault");
    }
    if (!ctx.args.has("--yes")) {
        if (!ctx.io.ask) {
            return fail(Errc::usage, "no terminal to confirm the wipe on; nothing was deleted",
                        "pass --yes to wipe without the question");
        }
        std::string question = "This destroys the vault in ";
        question += dir.string();
        question +=
            ": every record, draft and attached file, and the decoy. Nothing can bring it back, "
            "not even the recovery code.\nType wipe to destroy it: ";
        auto answer = ctx.io.ask(question);
        if (!answer) {
            Error e = std::move(answer.error());
            e.message += "; nothing was deleted";
            e.hint = "pass --yes to wipe without the question";
            return std::unexpected(std::move(e));
        }
        if (trimmed(*answer) != "wipe") {
            return fail(Errc::usage, "not wiped: the answer was not `wipe`; nothing was deleted");
        }
    }
    auto report = store::wipe_vault(dir);
    if (!report) return std::unexpected(report.error());
    auto& out = ctx.io.out;
    out << "Wiped " << dir.string() << ". Nothing could open it after "
        << milliseconds(report->unrecoverable_after) << "; its files were removed after "
        << milliseconds(report->total) << ".\n";
    if (!report->not_removed.empty()) {
        for (const auto& p : report->not_removed) ctx.io.err << "svidok: error: " << p << '\n';
        return fail(Errc::io,
                    "the vault cannot be opened any more, but " +
                        std::to_string(report->not_removed.size()) +
                        " of its files could not be removed (above)",
                    "they are ciphertext without a key; remove them when you can");
    }
    if (!report->directory_removed) {
        out << "The directory stays: it holds files Svidok did not write.\n";
    }
    return {};
}

Result<> cmd_duress_set(Context& ctx) {
    if (auto r = ctx.refuse_decoy("the duress passphrase belongs to the real vault"); !r) return r;
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto pass = ctx.secret(SecretKind::new_duress_passphrase, "--duress-passphrase-file");
    if (!pass) return std::unexpected(pass.error());
    const bool destroy = ctx.args.has("--destroy-real");
    if (auto r = vault->set_duress(pass->span(), destroy); !r) return r;
    auto& out = ctx.io.out;
    out << "Duress passphrase set. Typed instead of the passphrase, it opens the decoy vault";
    if (destroy) {
        out << ",\nafter destroying this vault's key slots: the real records can then never be "
               "opened\nagain, not even with the recovery code.\n";
    } else {
        out << ";\nthis vault stays as it is.\n";
    }
    out << "Prepare the decoy's records with --decoy, for example:\n"
           "    svidok-cli --decoy record new --form ID --json FILE\n";
    return {};
}

Result<> cmd_duress_clear(Context& ctx) {
    if (auto r = ctx.refuse_decoy("the duress passphrase belongs to the real vault"); !r) return r;
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    if (auto r = vault->clear_duress(); !r) return r;
    ctx.io.out << "Duress passphrase removed. The decoy's records stay, unopened.\n";
    return {};
}

Result<> cmd_duress_status(Context& ctx) {
    if (auto r = ctx.refuse_decoy("the duress passphrase belongs to the real vault"); !r) return r;
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto status = vault->duress_status();
    if (!status) return std::unexpected(status.error());
    auto& out = ctx.io.out;
    if (!status->set) {
        out << "No duress passphrase is set.\n";
    } else if (status->destroys_real) {
        out << "A duress passphrase is set: it opens the decoy vault after destroying this "
               "vault's key slots.\n";
    } else {
        out << "A duress passphrase is set: it opens the decoy vault; this vault stays as it "
               "is.\n";
    }
    return {};
}

Result<> cmd_settings_wipe_after(Context& ctx) {
    if (auto r = ctx.refuse_decoy("the failed-attempt limit belongs to the real vault"); !r) {
        return r;
    }
    auto& out = ctx.io.out;
    if (ctx.args.positional.empty()) {
        if (auto keys = store::Vault::read_keys(ctx.vault_dir); !keys) {
            return std::unexpected(keys.error());
        }
        auto guard = store::Vault::failed_attempts(ctx.vault_dir);
        if (!guard) return std::unexpected(guard.error());
        if (guard->limit == 0) {
            out << "Wipe after failed attempts: off.\n";
        } else {
            out << "Wipe after failed attempts: " << guard->limit << " (" << guard->failures
                << " since the last unlock).\n";
        }
        return {};
    }
    const std::string& arg = ctx.args.positional.front();
    unsigned limit = 0;
    if (arg != "off") {
        if (arg.empty() || arg.size() > 2 ||
            arg.find_first_not_of("0123456789") != std::string::npos) {
            return fail(Errc::usage, "settings wipe-after takes a number from 1 to 99, or off");
        }
        limit = static_cast<unsigned>(std::stoul(arg));
    }
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    if (auto r = vault->set_wipe_after(limit); !r) return r;
    if (limit == 0) {
        out << "Wipe after failed attempts: off.\n";
    } else {
        out << "Wipe after failed attempts: " << limit << ". The attempt that reaches " << limit
            << " wrong passphrases or recovery codes in a row wipes this vault.\n"
            << "Hand testimonies to the legal team often: a wipe cannot be undone.\n";
    }
    return {};
}

}  // namespace svidok::cli
