// SPDX-License-Identifier: GPL-3.0-or-later
// recipient add|list|remove|seal, sender list, export, import, receipt import, purge, sync
// (docs/FORMAT.md sections 12-14).
#include <algorithm>
#include <cstdio>
#include <ostream>

#include "commands.h"
#include "crypto/encoding.h"
#include "store/bundles.h"

namespace svidok::cli {

store::BundleProgressFn progress_to(std::ostream& err, const char* verb) {
    return [&err, verb, last = std::uint64_t{~0ull}](const store::BundleProgress& p) mutable {
        const std::uint64_t step = p.bytes_total / 20 + 1;
        const std::uint64_t bucket = p.bytes_done / step + p.documents_done * 1000003;
        if (bucket != last) {
            last = bucket;
            err << "\r" << verb << ": " << human_size(p.bytes_done) << " of "
                << human_size(p.bytes_total) << ", " << p.documents_done << " of "
                << p.documents_total << " documents   " << std::flush;
        }
        return true;
    };
}

namespace {

Result<std::unique_ptr<Session>> open_bundles(const Context& ctx) {
    return ctx.open_records();
}

}  // namespace

void print_import(std::ostream& out, const store::Bundles::ImportResult& r) {
    const std::string id = forms::format_bundle_id(r.bundle);
    if (r.already_imported) {
        out << "Bundle " << id << " was imported before from " << r.sender.origin
            << "; nothing changed.\n";
        return;
    }
    out << "Imported bundle " << id << " from " << r.sender.origin << "\n"
        << "  fingerprint  " << r.fingerprint << (r.newly_pinned ? "  (now pinned)" : "") << "\n"
        << "  records      " << r.records << " (" << r.documents << " signed documents, "
        << r.new_documents << " new)\n"
        << "  files        " << r.attachments << "\n"
        << "  checkpoint   " << r.checkpoint_size << " log entries";
    if (r.previous_checkpoint_size) {
        out << ", consistent with the " << *r.previous_checkpoint_size << " received before";
    }
    out << "\nEvery signature, hash and log proof verified.\n";
    if (r.log_entries_missing > 0) {
        out << "Note: the sender's log holds " << r.log_entries_missing
            << " entries this vault has not received (records not yet sent to it).\n";
    }
    if (!r.receipt.empty()) out << "Receipt for the sender: " << r.receipt.string() << "\n";
}

Result<> cmd_recipient_add(Context& ctx) {
    auto age = ctx.args.value("--age");
    if (!age) return fail(Errc::usage, "give the recipient's key with --age age1...");
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    std::optional<std::string> ms = ctx.args.value("--minisign");
    auto r = bundles.add_recipient(ctx.args.positional.at(0), *age,
                                   ms ? std::optional<std::string_view>(*ms) : std::nullopt);
    if (!r) return std::unexpected(r.error());
    ctx.io.out << "Added recipient " << r->name << " (" << r->age.to_string() << ")\n";
    if (!r->minisign) {
        ctx.io.out << "It has no minisign key: its receipts cannot be checked. Add --minisign to "
                      "accept receipts from it.\n";
    }
    return {};
}

Result<> cmd_recipient_list(Context& ctx) {
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    auto list = bundles.recipients();
    if (!list) return std::unexpected(list.error());
    if (list->empty()) ctx.io.out << "No recipients. Add one with `recipient add`.\n";
    for (const auto& r : *list) {
        ctx.io.out << r.name << "  " << r.age.to_string() << "  "
                   << (r.minisign
                           ? "minisign " + crypto::minisign::format_key_id(r.minisign->key_id)
                           : std::string("no receipts"))
                   << (r.seal ? "  seal" : "") << "\n";
    }
    return {};
}

Result<> cmd_recipient_seal(Context& ctx) {
    const bool none = ctx.args.has("--none");
    const std::vector<std::string>& names = ctx.args.positional;
    if (none == !names.empty()) {
        return fail(Errc::usage, "give the names of the seal recipients, or --none",
                    "`svidok-cli recipient list` shows the recipients");
    }
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    if (auto r = bundles.set_seal_recipients(names); !r) return r;
    if (none) {
        ctx.io.out << "No seal recipients: a record with sensitive answers cannot be sealed until "
                      "some are chosen.\n";
        return {};
    }
    ctx.io.out << "Sensitive answers are now sealed to:";
    for (const auto& n : names) ctx.io.out << " " << n;
    ctx.io.out << "\nRecords sealed from now on are readable in full only by them; this device "
                  "will not show those answers.\n";
    return {};
}

Result<> cmd_recipient_remove(Context& ctx) {
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    if (auto r = bundles.remove_recipient(ctx.args.positional.at(0)); !r) {
        return std::unexpected(r.error());
    }
    ctx.io.out << "Removed recipient " << ctx.args.positional.at(0)
               << "; bundles already made for it stay readable by it.\n";
    return {};
}

Result<> cmd_sender_list(Context& ctx) {
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    auto list = bundles.senders();
    if (!list) return std::unexpected(list.error());
    if (list->empty()) ctx.io.out << "No senders pinned yet.\n";
    for (const auto& x : *list) {
        ctx.io.out << x.keys.origin << "  fingerprint " << x.fingerprint << "  " << x.documents
                   << " documents, checkpoint " << x.checkpoint_size << ", pinned " << x.pinned_at
                   << "\n";
    }
    return {};
}

Result<> cmd_export(Context& ctx) {
    store::Bundles::ExportOptions options;
    options.to = ctx.args.values("--to");
    auto out = ctx.args.value("--out");
    if (!out) return fail(Errc::usage, "give the folder to write the bundle into with --out DIR");
    options.out_dir = *out;
    const int modes = int{ctx.args.has("--all")} + int{ctx.args.has("--undelivered")} +
                      int{ctx.args.has("--record")};
    if (modes > 1) return fail(Errc::usage, "choose one of --all, --undelivered, --record ID");
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    if (ctx.args.has("--all")) {
        options.selection = store::Bundles::Selection::all;
    } else if (ctx.args.has("--record")) {
        options.selection = store::Bundles::Selection::records;
        for (const auto& text : ctx.args.values("--record")) {
            auto id = (*s)->records->resolve(text);
            if (!id) return std::unexpected(id.error());
            options.records.push_back(*id);
        }
    }
    options.progress = progress_to(ctx.io.err, "exporting");
    store::Bundles bundles(*(*s)->records);
    auto r = bundles.export_bundle(options);
    ctx.io.err << "\n";
    if (!r) return std::unexpected(r.error());
    ctx.io.out << "Wrote bundle " << r->file.string() << "\n  signature   " << r->signature.string()
               << "\n  records     " << r->records << " (" << r->documents
               << " signed documents)\n  files       " << r->attachments << "\n  size        "
               << human_size(r->file_bytes) << " (content " << human_size(r->content_bytes)
               << ", padded)\n  checkpoint  " << r->checkpoint_size << " log entries\n"
               << "Carry both files. Only the recipients can read the bundle; anyone with this "
                  "vault's minisign key can check its signature.\n";
    return {};
}

Result<> cmd_import(Context& ctx) {
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    store::Bundles::ImportOptions options;
    options.trust_fingerprint = ctx.args.value("--trust-fingerprint");
    options.receipt_dir = ctx.args.value("--receipt-out").value_or("");
    options.progress = progress_to(ctx.io.err, "importing");
    auto r = bundles.import_bundle(ctx.args.positional.at(0), options);
    ctx.io.err << "\n";
    if (!r) return std::unexpected(r.error());
    print_import(ctx.io.out, *r);
    if (!r->receipt_problem.empty()) {
        ctx.io.err << "svidok: warning: the bundle was imported but its receipt could not be "
                      "written: "
                   << r->receipt_problem << "\n";
    }
    return {};
}

Result<> cmd_receipt_import(Context& ctx) {
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    auto r = bundles.import_receipt(ctx.args.positional.at(0));
    if (!r) return std::unexpected(r.error());
    const std::string id = forms::format_bundle_id(r->bundle);
    if (r->already_imported) {
        ctx.io.out << "The receipt from " << r->recipient << " for bundle " << id
                   << " was imported before; nothing changed.\n";
    } else {
        ctx.io.out << "Receipt from " << r->recipient << " for bundle " << id << ": "
                   << r->documents << " documents received (" << r->newly_delivered
                   << " newly marked delivered); checkpoint of " << r->checkpoint_size
                   << " entries cosigned.\n";
    }
    return {};
}

Result<> cmd_purge(Context& ctx) {
    if (!ctx.args.has("--delivered")) {
        return fail(Errc::usage, "purge needs --delivered: only delivered records are purged");
    }
    auto s = open_bundles(ctx);
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    auto ids = bundles.purgeable();
    if (!ids) return std::unexpected(ids.error());
    // Who confirmed what, for every record some receipt confirmed: the person sees which
    // records wait for whom before anything goes.
    auto all = (*s)->records->list();
    if (!all) return std::unexpected(all.error());
    std::uint64_t waiting = 0;
    for (const auto& info : *all) {
        auto d = bundles.delivery(info.id);
        if (!d) return std::unexpected(d.error());
        if (d->purged) continue;
        const bool purgeable = std::ranges::find(*ids, info.id) != ids->end();
        std::string confirmed, missing;
        for (const auto& r : d->recipients) {
            if (r.confirmed == d->documents) {
                confirmed += (confirmed.empty() ? "" : ", ") + r.recipient;
            } else if (r.custodian) {
                missing += (missing.empty() ? "" : ", ") + r.recipient;
            }
        }
        if (!purgeable && confirmed.empty()) continue;
        if (!purgeable) ++waiting;
        ctx.io.out << "  " << forms::format_record_id(info.id) << "  "
                   << (purgeable ? "purge" : "keep ") << "  confirmed by "
                   << (confirmed.empty() ? std::string("nobody") : confirmed);
        if (!purgeable) {
            ctx.io.out << (missing.empty() ? std::string("; a draft is open")
                                           : "; waiting for " + missing);
        }
        ctx.io.out << "\n";
    }
    if (ids->empty()) {
        ctx.io.out << "No record is fully delivered; nothing to purge.\n";
        return {};
    }
    ctx.io.out << ids->size()
               << " records were confirmed received by every recipient that must confirm them"
               << (waiting > 0 ? " (the others above wait for the rest)" : "")
               << ". Purging removes their answers and files from this vault; their hashes, "
                  "signatures and log entries stay.\n";
    if (!ctx.args.has("--yes")) {
        return fail(Errc::usage, "not purged: confirm with --yes",
                    "run `svidok-cli purge --delivered --yes` once you are sure");
    }
    auto n = bundles.purge_delivered();
    if (!n) return std::unexpected(n.error());
    ctx.io.out << "Purged " << *n << " records.\n";
    return {};
}

}  // namespace svidok::cli
