// SPDX-License-Identifier: GPL-3.0-or-later
#include "model.h"

#include <algorithm>

#include "crypto/age.h"
#include "crypto/signed_note.h"
#include "forms/answers.h"
#include "store/device_log.h"
#include "store/vault_paths.h"

namespace svidok::app {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Argon2id is calibrated to about a second; creation also calibrates first.
constexpr std::chrono::milliseconds kUnlockEstimate{1100};
constexpr std::chrono::milliseconds kCreateEstimate{2300};
constexpr std::chrono::milliseconds kShortEstimate{500};

/// Opens everything a session needs on an opened vault (on the worker).
Result<std::unique_ptr<Session>> open_session(store::Vault vault,
                                              std::optional<crypto::SecureBuffer> recovery_code) {
    auto registry = forms::load_builtin();
    if (!registry) return std::unexpected(registry.error());
    auto id = vault.identity();
    if (!id) return std::unexpected(id.error());
    auto s = std::make_unique<Session>(Session{std::move(vault),
                                               std::move(*registry),
                                               {},
                                               {},
                                               {},
                                               {},
                                               id->fingerprint(),
                                               crypto::X25519Recipient{id->x25519_pk()}.to_string(),
                                               id->signing_public_key().to_base64(),
                                               std::move(recovery_code)});
    auto records = store::Records::open(s->vault, s->registry);
    if (!records) return std::unexpected(records.error());
    s->records.emplace(std::move(*records));
    s->attachments.emplace(*s->records);
    s->bundles.emplace(*s->records);
    auto index = store::RecordIndex::open(s->vault);
    if (!index) return std::unexpected(index.error());
    s->index.emplace(std::move(*index));
    return s;
}

}  // namespace

Model::Model(fs::path vault_dir, store::VaultPolicy policy,
             std::optional<crypto::KdfParams> create_kdf)
    : vault_dir_(std::move(vault_dir)),
      policy_(policy),
      create_kdf_(create_kdf),
      screen_(vault_present(vault_dir_) ? Screen::unlock : Screen::create) {
    refresh_attempts();
}

Model::~Model() {
    cancel_ = true;
    while (job_.running() && !job_.take()) std::this_thread::yield();
}

float Model::progress() const noexcept {
    float reported = reported_progress_;
    return reported >= 0.f ? reported : job_.progress();
}

void Model::start(std::move_only_function<Result<Apply>()> work, std::chrono::milliseconds expected,
                  bool cancellable) {
    error_.reset();
    notice_.clear();
    cancel_ = false;
    cancellable_ = cancellable;
    reported_progress_ = -1.f;
    job_.start(std::move(work), expected);
}

bool Model::ready() {
    return session_ != nullptr && !busy();
}

void Model::poll() {
    if (auto r = job_.take()) {
        reported_progress_ = -1.f;
        if (*r) {
            (**r)(this);
        } else {
            fail_with(r->error());
            if (session_ == nullptr) {
                // A wrong passphrase is counted, and the limit may have wiped the vault.
                refresh_attempts();
                screen_ = vault_present(vault_dir_) ? Screen::unlock : Screen::create;
            }
        }
        if (lock_pending_) {
            // Stopped by the lock or failed: the person learns on the unlock screen that the
            // work did not finish (its error belonged to the session and goes with it).
            const bool unfinished = !*r;
            lock_pending_ = false;
            lock();
            if (unfinished) notice_ = "locked_unfinished";
        }
    }
    if (record_ && record_->dirty && !busy() &&
        Clock::now() - record_->changed_at >= kAutosaveDelay) {
        save_draft();
    }
}

// --- vault ---

void Model::create_vault(crypto::SecureBuffer passphrase, crypto::SecureBuffer repeat) {
    if (busy()) return;
    if (!passphrase.equals(repeat.span())) {
        fail_with(
            Error{Errc::invalid, "the two passphrases differ", "type the same passphrase twice"});
        return;
    }
    start(
        [this, pass = std::move(passphrase)]() -> Result<Apply> {
            auto created = store::Vault::create(vault_dir_, pass.span(),
                                                store::CreateOptions{create_kdf_, policy_});
            if (!created) return std::unexpected(created.error());
            auto s = open_session(std::move(created->vault), std::move(created->recovery_code));
            if (!s) return std::unexpected(s.error());
            return [s = std::move(*s)](Model* self) mutable {
                Model& m = *self;
                m.session_ = std::move(s);
                m.screen_ = Screen::show_recovery_code;
            };
        },
        kCreateEstimate, false);
}

void Model::unlock(crypto::SecureBuffer passphrase) {
    unlock_impl(std::move(passphrase), false);
}

void Model::unlock_decoy(crypto::SecureBuffer passphrase) {
    unlock_impl(std::move(passphrase), true);
}

void Model::unlock_impl(crypto::SecureBuffer passphrase, bool decoy) {
    if (busy()) return;
    start(
        [this, pass = std::move(passphrase), decoy]() -> Result<Apply> {
            auto vault = decoy ? store::Vault::open_decoy(vault_dir_, pass.span(), policy_)
                               : store::Vault::open(vault_dir_, pass.span(), policy_);
            if (!vault) return std::unexpected(vault.error());
            auto s = open_session(std::move(*vault), std::nullopt);
            if (!s) return std::unexpected(s.error());
            return [s = std::move(*s)](Model* self) mutable { self->enter_session(std::move(s)); };
        },
        kUnlockEstimate, false);
}

void Model::enter_session(std::unique_ptr<Session> s) {
    session_ = std::move(s);
    screen_ = Screen::main;
    page_ = Page::records;
    refresh_rows();
    reload_people();
    reload_safety();
}

void Model::confirm_recovery_code_written() {
    if (session_) session_->recovery_code.reset();
    if (screen_ != Screen::show_recovery_code) return;
    screen_ = Screen::main;
    page_ = Page::records;
    refresh_rows();
    reload_people();
    reload_safety();
}

void Model::lock() {
    if (busy()) {
        if (session_ == nullptr) return;
        lock_pending_ = true;
        cancel_ = true;  // work that cannot be cancelled never reads it
        return;
    }
    if (record_ && record_->dirty) save_draft();
    drop_session();
}

void Model::drop_session() {
    // Closing the database and freeing these drops every decrypted value; secure buffers are
    // zeroed on free, and ImGui's copies go through the zeroing allocator.
    record_.reset();
    rows_ = {};
    recipients_ = {};
    senders_ = {};
    exported_.reset();
    imported_.reset();
    audit_.reset();
    filter = {};
    needs_trust_ = false;
    safety_ = {};
    session_.reset();
    lock_pending_ = false;
    error_.reset();
    notice_.clear();
    page_ = Page::records;
    screen_ = vault_present(vault_dir_) ? Screen::unlock : Screen::create;
    refresh_attempts();
}

void Model::go(Page page) {
    if (!ready()) return;
    if (record_ && record_->dirty) save_draft();
    error_.reset();
    notice_.clear();
    if (page == Page::records) refresh_rows();
    if (page == Page::identity || page == Page::exchange || page == Page::safety) reload_people();
    if (page == Page::safety) reload_safety();
    page_ = page;
}

// --- records list ---

void Model::refresh_rows() {
    if (!ready()) return;
    auto t0 = Clock::now();
    auto rows = session_->index->query(filter);
    query_time_ = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
    if (!rows) {
        fail_with(rows.error());
        return;
    }
    rows_ = std::move(*rows);
}

std::vector<const forms::FormDefinition*> Model::forms() const {
    std::vector<const forms::FormDefinition*> latest;
    if (!session_) return latest;
    for (const auto* f : session_->registry.all()) {
        if (session_->registry.find(f->id()) == f) latest.push_back(f);
    }
    return latest;
}

// --- one record ---

void Model::new_record(const forms::FormDefinition& form) {
    if (!ready()) return;
    auto id = session_->records->create_draft(form, forms::json::Value(forms::json::Object{}));
    if (!id) {
        fail_with(id.error());
        return;
    }
    open_record(*id);
}

void Model::open_record(const store::RecordId& id, const std::string& origin) {
    if (!ready()) return;
    if (record_ && record_->dirty) save_draft();
    const std::uint64_t generation = record_ ? record_->generation : 0;
    record_.emplace();
    record_->id = id;
    record_->origin = origin;
    record_->received = !origin.empty();
    record_->generation = generation;
    error_.reset();
    notice_.clear();
    reload_record();
    if (!record_) return;
    page_ = Page::record;
    verify_open_record();
}

Result<void> Model::load_received(OpenRecord& r) {
    // The latest version as the legal team reads it: sealed answers opened with this vault's
    // key and checked against their commitments (docs/FORMAT.md 9.6).
    auto received = session_->bundles->open_received(r.origin, r.id);
    if (!received) return std::unexpected(received.error());
    r.documents = std::move(received->documents);
    const forms::RecordDocument& doc = received->latest;
    r.info = store::RecordInfo{};
    r.info.id = r.id;
    r.info.versions = doc.version;
    r.info.status = received->withdrawn ? store::RecordStatus::withdrawn
                    : doc.version > 1   ? store::RecordStatus::amended
                                        : store::RecordStatus::sealed;
    r.answers = std::move(received->opened.answers);
    r.sealed = std::move(received->opened.units);
    for (const auto& a : doc.attachments) {
        store::AttachmentInfo info;
        info.sha256 = a.sha256;
        info.name = a.name;
        info.media_type = a.media_type;
        info.size = a.size;
        info.sealed_in.push_back(doc.version);
        r.attachments.push_back(std::move(info));
    }
    r.form = session_->registry.find(doc.form_sha256);
    if (r.form == nullptr) {
        return fail(Errc::not_found, "the form this record was filled with is not in this vault",
                    "import the form definition, then open the record again");
    }
    r.info.form = r.form;
    return {};
}

void Model::reload_record() {
    auto& r = *record_;
    auto& records = *session_->records;
    if (r.received) {
        r.issues.clear();
        r.attachments.clear();
        r.verification.clear();
        r.dirty = false;
        ++r.generation;
        if (auto ok = load_received(r); !ok) {
            fail_with(ok.error());
            record_.reset();
        }
        return;
    }
    auto info = records.info(r.id);
    if (!info) {
        fail_with(info.error());
        record_.reset();
        return;
    }
    r.info = std::move(*info);
    r.form = r.info.form;
    auto answers = records.answers(r.id);
    if (!answers) {
        fail_with(answers.error());
        record_.reset();
        return;
    }
    r.answers = std::move(*answers);
    r.issues =
        r.form != nullptr ? forms::validate(*r.form, r.answers) : std::vector<forms::FieldIssue>{};
    auto docs = records.documents(r.id);
    if (docs) r.documents = std::move(*docs);
    auto files = session_->attachments->list(r.id);
    if (files) r.attachments = std::move(*files);
    r.verification.clear();
    r.dirty = false;
    ++r.generation;
}

void Model::answers_changed() {
    if (!record_ || !record_->editable()) return;
    record_->issues = forms::validate(*record_->form, record_->answers);
    record_->dirty = true;
    record_->changed_at = Clock::now();
}

void Model::save_draft() {
    if (!ready() || !record_ || !record_->editable()) return;
    auto issues = session_->records->update_draft(record_->id, record_->answers);
    if (!issues) {
        fail_with(issues.error());
        return;
    }
    record_->issues = std::move(*issues);
    record_->dirty = false;
    record_->saved_at = Clock::now();
}

void Model::seal() {
    if (!ready() || !record_ || !record_->editable()) return;
    save_draft();
    if (record_->dirty) return;  // the save failed and says why
    start(
        [s = session_.get(), id = record_->id]() -> Result<Apply> {
            auto doc = s->records->seal(id);
            if (!doc) return std::unexpected(doc.error());
            return [version = doc->version](Model* self) {
                Model& m = *self;
                m.reload_record();
                m.verify_open_record();
                m.succeed("sealed:" + std::to_string(version));
            };
        },
        kShortEstimate, false);
}

void Model::begin_amendment() {
    if (!ready() || !record_) return;
    if (auto r = session_->records->begin_amendment(record_->id); !r) return fail_with(r.error());
    reload_record();
}

void Model::discard_draft() {
    if (!ready() || !record_) return;
    bool never_sealed = record_->info.versions == 0;
    if (auto r = session_->records->discard_draft(record_->id); !r) return fail_with(r.error());
    if (never_sealed) {
        record_.reset();
        go(Page::records);
        return;
    }
    reload_record();
    verify_open_record();
}

void Model::withdraw_consent() {
    if (!ready() || !record_) return;
    if (auto r = session_->records->withdraw_consent(record_->id); !r) return fail_with(r.error());
    reload_record();
    verify_open_record();
    succeed("withdrawn");
}

void Model::attach(const fs::path& file, bool delete_original) {
    if (!ready() || !record_ || !record_->editable()) return;
    save_draft();
    if (record_->dirty) return;
    store::AttachOptions options;
    options.delete_original = delete_original;
    options.progress = [this](std::uint64_t done, std::uint64_t total) {
        reported_progress_ =
            total == 0 ? 0.f
                       : static_cast<float>(static_cast<double>(done) / static_cast<double>(total));
        return !cancel_;
    };
    start(
        [s = session_.get(), id = record_->id, file,
         options = std::move(options)]() -> Result<Apply> {
            auto r = s->attachments->attach(id, file, options);
            if (!r) return std::unexpected(r.error());
            return [name = r->info.name, problem = r->original_problem](Model* self) {
                Model& m = *self;
                m.reload_record();
                m.succeed(problem.empty() ? "attached:" + name : "attached_kept:" + problem);
            };
        },
        std::chrono::milliseconds(2000), true);
}

void Model::verify_open_record() {
    if (!ready() || !record_) return;
    auto& r = *record_;
    std::optional<crypto::minisign::PublicKey> key;
    if (r.received) {
        for (const auto& sender : senders_) {
            if (sender.keys.origin == r.origin) key = sender.keys.minisign;
        }
        if (!key)
            return fail_with(Error{Errc::not_found, "the sender of this record is not pinned", ""});
    } else {
        auto id = session_->vault.identity();
        if (!id) return fail_with(id.error());
        key = id->signing_public_key();
        auto delivery = session_->bundles->delivery(r.id);
        if (!delivery) return fail_with(delivery.error());
        r.delivery = std::move(*delivery);
    }
    r.verification.clear();
    for (const auto& d : r.documents) {
        DocumentCheck check;
        if (d.bytes.empty()) {
            check.purged = true;
        } else if (crypto::sha256(crypto::as_bytes(d.bytes)) != d.sha256) {
            check.problem = Error{Errc::integrity, "the stored bytes do not match their hash", ""};
        } else if (d.kind == forms::LeafKind::record_version) {
            auto v = forms::verify_record(d.bytes, d.minisig, *key);
            if (v)
                check.sealed_at = v->stamp.sealed_at;
            else
                check.problem = v.error();
        } else {
            auto v = forms::verify_withdrawal(d.bytes, d.minisig, *key);
            if (v)
                check.sealed_at = v->stamp.sealed_at;
            else
                check.problem = v.error();
        }
        r.verification.push_back(std::move(check));
    }
}

// --- audit ---

void Model::audit() {
    if (!ready()) return;
    audit_.reset();
    start(
        [this, s = session_.get()]() -> Result<Apply> {
            auto r = store::audit_vault(s->vault, *s->records, *s->attachments, [this](double f) {
                reported_progress_ = static_cast<float>(f);
                return !cancel_;
            });
            if (!r) return std::unexpected(r.error());
            return [r = std::move(*r)](Model* self) mutable {
                Model& m = *self;
                m.audit_ = std::move(r);
            };
        },
        std::chrono::milliseconds(2000), true);
}

}  // namespace svidok::app
