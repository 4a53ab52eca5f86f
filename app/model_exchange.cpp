// SPDX-License-Identifier: GPL-3.0-or-later
// The model's exchange commands: recipients and senders, bundle export and import, receipts.
// The library does the work (store/bundles.h); this file sequences it with the session and
// the worker.
#include <cctype>

#include "model.h"

namespace svidok::app {
namespace fs = std::filesystem;

namespace {

/// The words of pasted text, split at any whitespace.
std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

}  // namespace

// --- identity, recipients, senders ---

std::string Model::share_text() const {
    if (!session_) return {};
    return session_->age_recipient + " " + session_->minisign_key;
}

void Model::reload_people() {
    if (!ready()) return;
    if (auto r = session_->bundles->recipients()) recipients_ = std::move(*r);
    if (auto s = session_->bundles->senders()) senders_ = std::move(*s);
}

bool Model::add_recipient(std::string_view name, std::string_view identity) {
    if (!ready()) return false;
    std::optional<std::string_view> age, minisign;
    for (auto w : words(identity)) {
        if (w.starts_with("age1")) {
            age = w;
        } else if (w.starts_with("RW")) {
            minisign = w;
        }
    }
    if (!age) {
        fail_with(Error{Errc::usage, "no age recipient (age1…) in the pasted text",
                        "paste what the legal team's Svidok shows under Identity"});
        return false;
    }
    auto r = session_->bundles->add_recipient(name, *age, minisign);
    if (!r) {
        fail_with(r.error());
        return false;
    }
    reload_people();
    succeed("recipient_added");
    return true;
}

void Model::remove_recipient(const std::string& name) {
    if (!ready()) return;
    if (auto r = session_->bundles->remove_recipient(name); !r) return fail_with(r.error());
    reload_people();
}

// --- exchange ---

store::BundleProgressFn Model::bundle_progress() {
    return [this](const store::BundleProgress& p) {
        double f = p.bytes_total > 0
                       ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)
                   : p.documents_total > 0 ? static_cast<double>(p.documents_done) /
                                                 static_cast<double>(p.documents_total)
                                           : 0.0;
        reported_progress_ = static_cast<float>(f);
        return !cancel_;
    };
}

void Model::export_bundle(std::vector<std::string> to, const fs::path& out_dir,
                          store::Bundles::Selection selection,
                          std::vector<store::RecordId> records) {
    if (!ready()) return;
    exported_.reset();
    store::Bundles::ExportOptions options{std::move(to), out_dir, selection, std::move(records),
                                          bundle_progress()};
    start(
        [s = session_.get(), options = std::move(options)]() -> Result<Apply> {
            auto r = s->bundles->export_bundle(options);
            if (!r) return std::unexpected(r.error());
            return [r = std::move(*r)](Model* self) mutable {
                Model& m = *self;
                m.exported_ = std::move(r);
                m.refresh_rows();
                m.succeed("exported");
            };
        },
        std::chrono::milliseconds(2000), true);
}

void Model::import_bundle(const fs::path& file, std::optional<std::string> trust_fingerprint) {
    if (!ready()) return;
    imported_.reset();
    needs_trust_ = false;
    store::Bundles::ImportOptions options{std::move(trust_fingerprint), {}, bundle_progress()};
    start(
        [s = session_.get(), file, options = std::move(options)]() -> Result<Apply> {
            auto r = s->bundles->import_bundle(file, options);
            if (!r) {
                Error e = r.error();
                if (e.kind == "import.unknown_sender" || e.kind == "import.fingerprint_mismatch") {
                    // The window asks for the fingerprint confirmed with the sender (again).
                    return [e = std::move(e)](Model* self) mutable {
                        Model& m = *self;
                        m.needs_trust_ = true;
                        m.fail_with(std::move(e));
                    };
                }
                return std::unexpected(std::move(e));
            }
            return [r = std::move(*r)](Model* self) mutable {
                Model& m = *self;
                m.imported_ = std::move(r);
                m.refresh_rows();
                m.reload_people();
                m.succeed(m.imported_->already_imported ? "import_again" : "imported");
            };
        },
        std::chrono::milliseconds(2000), true);
}

void Model::import_receipt(const fs::path& file) {
    if (!ready()) return;
    auto r = session_->bundles->import_receipt(file);
    if (!r) return fail_with(r.error());
    refresh_rows();
    succeed("receipt:" + std::to_string(r->newly_delivered));
}

}  // namespace svidok::app
