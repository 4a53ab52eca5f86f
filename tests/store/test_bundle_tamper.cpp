// SPDX-License-Identifier: GPL-3.0-or-later
// The bundle tamper suite (docs/FORMAT.md 12.7): thousands of single mutations of a real bundle,
// each imported into a receiving vault that stays open throughout. Every one must be rejected
// with the error code and message of its class, and leave the receiving vault's directory
// byte for byte as it was (no blob, no *.partial, no new directory). The mutations:
//   1. bit flips of the encrypted file: every byte of the age header, the payload nonce, the
//      start, middle and end of every chunk body and every byte of every chunk's tag;
//   2. truncations (empty, inside the header, around every chunk boundary, the last byte),
//      appended bytes, and chunks removed, duplicated or swapped;
//   3. the outer .minisig: bit flips of every signed or structural byte, missing, re-signed by
//      other keys or for other bundle ids, replayed from older bundles;
//   4. content mutations behind valid encryption (decrypted with the receiver's key, rebuilt,
//      re-encrypted and re-signed by the sender's own key, as a compromised or buggy sender
//      would): entries removed, reordered, duplicated, resized or flipped, tar headers patched,
//      records and signatures swapped, proofs altered or replayed, the checkpoint replaced, a
//      consistency proof removed, padding and trailing bytes, the manifest edited, signed by
//      another key or claiming other keys; a forked sender log; an older bundle replayed;
//   5. a bundle for another recipient;
//   6. on a vault that imported nothing yet (sender not pinned, no attachments/ directory):
//      an unconfirmed or wrong fingerprint, and failures after received files were stored.
// Positive controls at the end: the rebuilt (unmodified) bundles import into a copy of the
// receiving vault, and the original bundle imports into the receiving vault.

#include <chrono>
#include <set>

#include "bundle_forge.h"

using namespace svidok;
using namespace svidok::test;
using namespace svidok::test::forge;

namespace {

// --- running mutations -------------------------------------------------------------------------

struct Expect {
    Errc code;
    std::string needle;  // must occur in the message
};

/// Imports mutated bundles into one open vault and checks each is rejected and changes nothing.
class Suite {
public:
    Suite(World& w, Party& target, std::string name)
        : target_(target),
          name_(std::move(name)),
          dir_(w.tmp / ("work-" + name_)),
          baseline_(tree_of(target.vault.dir())) {
        trust = w.field_fp;
        fs::create_directories(dir_);
        start_ = std::chrono::steady_clock::now();
    }

    /// One mutation: writes <id>.age (and .age.minisig unless `sig` is nullopt), imports it.
    void reject(const std::string& cls, const std::string& label, const std::string& id,
                const std::string& age, const std::optional<std::string>& sig, const Expect& e) {
        const fs::path file = dir_ / (id + ".age");
        const fs::path sig_path = dir_ / (id + ".age.minisig");
        fs::remove(file);
        fs::remove(sig_path);
        write_file(file, age);
        if (sig) write_file(sig_path, *sig);
        store::Bundles::ImportOptions o;
        o.trust_fingerprint = trust;
        auto r = target_.bundles.import_bundle(file, o);
        ++counts_[cls];
        INFO(name_ << " / " << cls << " / " << label);
        if (r) {
            ++failures_;
            FAIL_CHECK("accepted (already_imported=" << r->already_imported << ", new documents "
                                                     << r->new_documents << ")");
            baseline_ = tree_of(target_.vault.dir());  // keep later reports readable
            return;
        }
        const std::string& msg = r.error().message;
        if (!samples_.contains(cls + " / " + e.needle)) samples_[cls + " / " + e.needle] = msg;
        const bool ok_code = r.error().code == e.code;
        const bool ok_msg = msg.find(e.needle) != std::string::npos;
        if (!ok_code || !ok_msg) ++failures_;
        CHECK_MESSAGE(ok_code, "code " << std::string(errc_name(r.error().code)) << ", expected "
                                       << std::string(errc_name(e.code)) << ": " << msg);
        CHECK_MESSAGE(ok_msg, "message \"" << msg << "\" lacks \"" << e.needle << "\"");
        const Tree now = tree_of(target_.vault.dir());
        const bool same = now == baseline_;
        if (!same) ++failures_;
        CHECK_MESSAGE(same, "the vault changed:" << tree_diff(baseline_, now));
        if (!same) baseline_ = now;
    }
    void reject(const std::string& cls, const std::string& label, const Sealed& b,
                const Expect& e) {
        reject(cls, label, b.id, b.age, b.sig, e);
    }

    void unchanged(const std::string& what) {
        const Tree now = tree_of(target_.vault.dir());
        CHECK_MESSAGE(now == baseline_,
                      what << ": the vault changed:" << tree_diff(baseline_, now));
    }

    void report() const {
        const auto ms_taken = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start_)
                                  .count();
        std::string lines;
        int total = 0;
        for (const auto& [cls, n] : counts_) {
            lines += "\n  " + cls + ": " + std::to_string(n);
            total += n;
        }
        MESSAGE(name_ << ": " << total << " mutations rejected in " << ms_taken << " ms"
                      << std::string(failures_ ? " (WITH FAILURES)" : "") << lines);
        if (std::getenv("SVIDOK_TAMPER_VERBOSE") != nullptr) {
            std::string s;
            for (const auto& [k, m] : samples_) s += "\n  [" + k + "] " + m;
            MESSAGE("sample messages:" << s);
        }
    }
    std::optional<std::string> trust;  // the fingerprint confirmed at each import

    int total() const {
        int t = 0;
        for (const auto& [cls, n] : counts_) t += n;
        return t;
    }

private:
    Party& target_;
    std::string name_;
    fs::path dir_;
    Tree baseline_;
    std::map<std::string, int> counts_;
    std::map<std::string, std::string> samples_;
    int failures_ = 0;
    std::chrono::steady_clock::time_point start_;
};

// Expected messages, as store/src/sealed_file.cpp and store/src/bundle_import.cpp word them.
const std::string kNotAgeFile = "not a well-formed age file";
const std::string kNotAddressed = "not addressed to this vault";
const std::string kHeaderAltered = "the encrypted file's header was altered";
const std::string kPayloadAltered = "the encrypted content was altered, truncated or extended";
const std::string kOuterMismatch = "the bundle file does not match its signature";
const std::string kShaDiffers = "its SHA-256 differs from the one the manifest states";
const std::string kManifestUnsigned = "manifest.json is not signed by the sender";

/// What the age layer alone says of `file`: the expectation for an import of it.
Expect age_expect(const World& w, const std::string& file, crypto::AgeFailure* failure_out) {
    crypto::AgeDecryptor d(
        crypto::AgeIdentities{std::span(&*w.legal_age, 1), nullptr},
        [](crypto::ByteView) -> Result<> { return {}; }, crypto::AgeInput::binary);
    auto r = d.feed(crypto::as_bytes(file));
    if (r) r = d.finish();
    *failure_out = d.failure();
    switch (d.failure()) {
        case crypto::AgeFailure::header:
            return {r.error().code, kNotAgeFile};
        case crypto::AgeFailure::no_match:
            return {Errc::auth_failed, kNotAddressed};
        case crypto::AgeFailure::header_mac:
            return {Errc::integrity, kHeaderAltered};
        case crypto::AgeFailure::payload:
            return {Errc::integrity, kPayloadAltered};
        default:
            return {Errc::integrity, kOuterMismatch};  // decrypts: the outer signature fails
    }
}

}  // namespace

// -----------------------------------------------------------------------------------------------

TEST_CASE("tamper suite: every single mutation of a bundle is rejected and changes nothing") {
    const auto started = std::chrono::steady_clock::now();
    World w;
    MESSAGE("setup took " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count()
                          << " ms");
    const AgeLayout lay = layout_of(w.a.age);
    REQUIRE(lay.chunks.size() >= 16);  // padded to 1 MiB: 16 chunks of 64 KiB
    REQUIRE(lay.size == lay.payload + 16 * kChunk);
    Suite s(w, *w.legal, "legal (imported an older bundle)");
    int total = 0;

    // 1. Bit flips across the encrypted file; the .minisig stays as it is.
    {
        const std::string cls = "1 age bit flip";
        std::map<crypto::AgeFailure, int> header_kinds;
        for (std::size_t i = 0; i < lay.header_end; ++i) {
            for (unsigned bit : {0u, 3u, 6u}) {
                bit = static_cast<unsigned>((i + bit) % 8);
                const std::string m = flip(w.a.age, i, bit);
                crypto::AgeFailure kind{};
                const Expect e = age_expect(w, m, &kind);
                ++header_kinds[kind];
                CHECK_MESSAGE(
                    (kind == crypto::AgeFailure::header || kind == crypto::AgeFailure::no_match ||
                     kind == crypto::AgeFailure::header_mac),
                    "header byte " << i << ": " << crypto::age_failure_name(kind));
                s.reject(cls, "header byte " + std::to_string(i) + " bit " + std::to_string(bit),
                         w.a.id, m, w.a.sig, e);
            }
        }
        // Every kind of header damage occurs: malformed, not ours, MAC mismatch.
        CHECK(header_kinds[crypto::AgeFailure::header] > 0);
        CHECK(header_kinds[crypto::AgeFailure::no_match] > 0);
        CHECK(header_kinds[crypto::AgeFailure::header_mac] > 0);
        for (std::size_t i = lay.header_end; i < lay.payload; ++i) {
            for (unsigned bit : {0u, 5u}) {
                bit = static_cast<unsigned>((i + bit) % 8);
                s.reject(cls, "payload nonce byte " + std::to_string(i - lay.header_end), w.a.id,
                         flip(w.a.age, i, bit), w.a.sig, {Errc::integrity, kPayloadAltered});
            }
        }
        for (std::size_t k = 0; k < lay.chunks.size(); ++k) {
            const std::size_t at = lay.chunks[k];
            const std::size_t body = std::min(kChunk, lay.size - at) - crypto::kAgeTagBytes;
            for (std::size_t off :
                 {std::size_t{0}, std::size_t{1}, body / 3, body / 2, body - 2, body - 1}) {
                s.reject(cls, "chunk " + std::to_string(k) + " body +" + std::to_string(off),
                         w.a.id, flip(w.a.age, at + off, static_cast<unsigned>(off + k)), w.a.sig,
                         {Errc::integrity, kPayloadAltered});
            }
            for (std::size_t t = 0; t < crypto::kAgeTagBytes; ++t) {
                s.reject(cls, "chunk " + std::to_string(k) + " tag byte " + std::to_string(t),
                         w.a.id, flip(w.a.age, at + body + t, static_cast<unsigned>(t + k)),
                         w.a.sig, {Errc::integrity, kPayloadAltered});
            }
        }
    }

    // 2. Truncations, appended bytes, whole chunks removed, duplicated or swapped.
    {
        const std::string cls = "2 age truncate/extend";
        std::set<std::size_t> lengths{0,
                                      1,
                                      lay.header_end - 1,
                                      lay.header_end,
                                      lay.header_end + 1,
                                      lay.payload - 1,
                                      lay.payload,
                                      lay.payload + 1,
                                      lay.size - 1,
                                      lay.size - 15,
                                      lay.size - 16,
                                      lay.size - 17};
        for (std::size_t i = 2; i < lay.header_end; i += 5) lengths.insert(i);
        for (std::size_t at : lay.chunks) {
            for (std::size_t d : {std::size_t{0}, std::size_t{1}, std::size_t{16}})
                lengths.insert(at - d);
            lengths.insert(at + 1);
            lengths.insert(at + kChunk / 2);
        }
        for (std::size_t n : lengths) {
            if (n >= lay.size) continue;
            const std::string m = w.a.age.substr(0, n);
            crypto::AgeFailure kind{};
            const Expect e = age_expect(w, m, &kind);
            CHECK_MESSAGE(kind == (n < lay.payload ? crypto::AgeFailure::header
                                                   : crypto::AgeFailure::payload),
                          "cut at " << n << ": " << crypto::age_failure_name(kind));
            s.reject(cls, "truncated to " + std::to_string(n), w.a.id, m, w.a.sig, e);
        }
        const std::string last_chunk = w.a.age.substr(lay.chunks.back());
        for (const std::string& extra :
             {std::string(1, '\0'), std::string(1, '\xff'), std::string(16, '\0'),
              random_bytes(17, 3), std::string(kChunk, '\0'), random_bytes(kChunk, 4),
              random_bytes(kChunk + 1, 5), last_chunk, w.a.age.substr(lay.chunks[3], kChunk)}) {
            s.reject(cls, "appended " + std::to_string(extra.size()) + " bytes", w.a.id,
                     w.a.age + extra, w.a.sig, {Errc::integrity, kPayloadAltered});
        }
        for (std::size_t k = 0; k < lay.chunks.size(); ++k) {
            const std::size_t at = lay.chunks[k];
            const std::size_t len = std::min(kChunk, lay.size - at);
            std::string removed = w.a.age;
            removed.erase(at, len);
            s.reject(cls, "chunk " + std::to_string(k) + " removed", w.a.id, removed, w.a.sig,
                     {Errc::integrity, kPayloadAltered});
            std::string dup = w.a.age;
            dup.insert(at, w.a.age.substr(at, len));
            s.reject(cls, "chunk " + std::to_string(k) + " duplicated", w.a.id, dup, w.a.sig,
                     {Errc::integrity, kPayloadAltered});
            if (k + 1 < lay.chunks.size()) {
                std::string swapped = w.a.age;
                std::swap_ranges(swapped.begin() + static_cast<std::ptrdiff_t>(at),
                                 swapped.begin() + static_cast<std::ptrdiff_t>(at + kChunk),
                                 swapped.begin() + static_cast<std::ptrdiff_t>(at + kChunk));
                s.reject(
                    cls,
                    "chunks " + std::to_string(k) + " and " + std::to_string(k + 1) + " swapped",
                    w.a.id, swapped, w.a.sig, {Errc::integrity, kPayloadAltered});
            }
        }
        // The payload of another bundle behind this header (same file key is impossible: the
        // header MAC holds) and this payload behind another bundle's header.
        const AgeLayout l0 = layout_of(w.a0.age);
        s.reject(cls, "header of a0, payload of a", w.a.id,
                 w.a0.age.substr(0, l0.payload) + w.a.age.substr(lay.payload), w.a.sig,
                 {Errc::integrity, kPayloadAltered});
    }

    // 3. The outer signature file.
    {
        const std::string cls = "3 outer .minisig";
        auto original = ms::parse_signature(w.a.sig);
        REQUIRE(original);
        const fs::path sig_name = w.a.id + ".age.minisig";
        const auto line1 = w.a.sig.find('\n');
        REQUIRE(line1 != std::string::npos);
        constexpr std::size_t kUntrustedPrefix = std::string_view("untrusted comment: ").size();
        std::vector<std::size_t> positions;
        // The untrusted comment's text is covered by no signature (minisign's design): only its
        // prefix and line end are mutated.
        for (std::size_t i = 0; i < kUntrustedPrefix; ++i) positions.push_back(i);
        for (std::size_t i = line1; i < w.a.sig.size(); ++i) positions.push_back(i);
        int skipped = 0;
        for (std::size_t i : positions) {
            for (unsigned bit : {0u, 4u}) {
                bit = static_cast<unsigned>((i + bit) % 8);
                const std::string m = flip(w.a.sig, i, bit);
                auto p = ms::parse_signature(m);
                Expect e{Errc::integrity, kOuterMismatch};
                if (!p) {
                    e = {p.error().code, sig_name.string() + ": " + p.error().message};
                } else if (!p->trusted_comment.starts_with("svidok bundle ")) {
                    e = {Errc::corrupt, "is not the signature of a Svidok bundle"};
                } else if (!forms::parse_bundle_id(p->trusted_comment.substr(14))) {
                    e = {Errc::corrupt, "its trusted comment names no bundle id"};
                } else if (p->trusted_comment != original->trusted_comment) {
                    e = {Errc::integrity, "the manifest names bundle " + w.a.id};
                } else if (p->key_id != original->key_id) {
                    e = {Errc::integrity, "the bundle file is signed by key"};
                } else if (p->algorithm == original->algorithm &&
                           p->signature == original->signature &&
                           p->global_signature == original->global_signature &&
                           p->untrusted_comment == original->untrusted_comment) {
                    ++skipped;  // decodes to the very same signature
                    continue;
                }
                s.reject(cls, "byte " + std::to_string(i) + " bit " + std::to_string(bit), w.a.id,
                         w.a.age, m, e);
            }
        }
        CHECK(skipped == 0);
        s.reject(cls, "no .minisig", w.a.id, w.a.age, std::nullopt,
                 {Errc::not_found, "the bundle's signature"});
        s.reject(cls, "empty .minisig", w.a.id, w.a.age, std::string(),
                 {Errc::corrupt,
                  sig_name.string() + ": minisign signature: truncated, line 1 is missing"});
        // (CRLF line ends are the same signature as minisign writes it on Windows: accepted.)
        {
            std::string cr = w.a.sig;
            cr.insert(w.a.sig.find('\n') + 5, "\r");  // a CR inside the signature line
            s.reject(cls, "a carriage return inside a line", w.a.id, w.a.age, cr,
                     {Errc::corrupt, "line 2 contains a carriage return"});
        }
        s.reject(cls, "a fifth line", w.a.id, w.a.age, w.a.sig + "extra\n",
                 {Errc::corrupt, "unexpected data after line"});
        s.reject(cls, "last line end missing", w.a.id, w.a.age,
                 w.a.sig.substr(0, w.a.sig.size() - 1), {Errc::corrupt, "has no line end"});
        s.reject(cls, "signature of a00 beside a (another bundle's id)", w.a.id, w.a.age, w.a00.sig,
                 {Errc::integrity, "the manifest names bundle " + w.a.id});
        const auto other_key = ms::SigningKey::generate();
        s.reject(cls, "re-signed by another key", w.a.id, w.a.age,
                 w.outer_sig(w.a.age, w.a.id, &other_key),
                 {Errc::integrity,
                  "the bundle file is signed by key " + ms::format_key_id(other_key.key_id())});
        const auto legal_key = w.legal->signing_key();
        s.reject(cls, "re-signed by the receiving vault's key", w.a.id, w.a.age,
                 w.outer_sig(w.a.age, w.a.id, &legal_key),
                 {Errc::integrity, "the bundle file is signed by key"});
        const std::string fresh_id = forms::format_bundle_id(forms::new_bundle_id());
        s.reject(cls, "sender's signature naming a fresh bundle id", w.a.id, w.a.age,
                 w.outer_sig(w.a.age, fresh_id), {Errc::integrity, "the manifest names bundle"});
        s.reject(cls, "sender's signature naming the imported a0", w.a.id, w.a.age,
                 w.outer_sig(w.a.age, w.a0.id),
                 {Errc::integrity, "a different bundle with the id " + w.a0.id});
        s.reject(cls, "sender's signature of a0's file with a's id", w.a.id, w.a.age,
                 w.outer_sig(w.a0.age, w.a.id), {Errc::integrity, kOuterMismatch});
        s.reject(cls, "sender's signature of a's file with one byte appended", w.a.id, w.a.age,
                 w.outer_sig(w.a.age + "x", w.a.id), {Errc::integrity, kOuterMismatch});
    }

    // 4. Content mutations behind valid encryption.
    const Plain& pa = w.pa;
    const std::string id = w.a.id;
    // The entries, as 12.4 orders them.
    REQUIRE(pa.entries.size() == 2 + 3 + 4 * 3 + 2);
    CHECK(pa.entries[0].path == forms::kManifestPath);
    CHECK(pa.entries[1].path == forms::kManifestSigPath);
    CHECK(pa.entries[2].path == forms::kCheckpointPath);
    CHECK(pa.entries[3].path == forms::consistency_path(1));
    CHECK(pa.entries[4].path == forms::consistency_path(2));
    CHECK(pa.entries[5].path == w.doc(w.r1, 1));
    CHECK(pa.entries[8].path == w.doc(w.r2, 1));
    CHECK(pa.entries[11].path == w.doc(w.r3, 1));
    CHECK(pa.entries[14].path == w.doc(w.r2, 2));
    const std::size_t n = pa.entries.size();
    {
        // 4a. The tar stream against an unchanged manifest.
        const std::string cls = "4a tar vs manifest";
        auto where = [](const std::string& got, const std::string& want) {
            return Expect{Errc::integrity,
                          "the bundle holds " + got + " where " + want + " should be"};
        };
        const std::string padding(forms::kPaddingPath);
        for (std::size_t i = 0; i < n; ++i) {
            Plain p = pa;
            p.entries.erase(p.entries.begin() + static_cast<std::ptrdiff_t>(i));
            s.reject(cls, "removed " + pa.entries[i].path, w.seal(p, id),
                     where(i + 1 < n ? pa.entries[i + 1].path : padding, pa.entries[i].path));
        }
        {
            Plain p = pa;
            p.with_padding = false;
            s.reject(cls, "padding removed", w.seal(p, id),
                     {Errc::integrity, "the bundle ends where padding should follow"});
        }
        for (std::size_t i = 0; i + 1 < n; ++i) {
            Plain p = pa;
            std::swap(p.entries[i], p.entries[i + 1]);
            s.reject(cls, "swapped " + pa.entries[i].path + " and next", w.seal(p, id),
                     where(pa.entries[i + 1].path, pa.entries[i].path));
        }
        for (std::size_t i = 0; i < n; ++i) {
            Plain p = pa;
            p.entries.insert(p.entries.begin() + static_cast<std::ptrdiff_t>(i), pa.entries[i]);
            s.reject(cls, "duplicated " + pa.entries[i].path, w.seal(p, id),
                     where(pa.entries[i].path, i + 1 < n ? pa.entries[i + 1].path : padding));
        }
        for (std::size_t i :
             {std::size_t{0}, std::size_t{2}, std::size_t{5}, std::size_t{14}, n - 1, n}) {
            Plain p = pa;
            p.entries.insert(p.entries.begin() + static_cast<std::ptrdiff_t>(i),
                             {"records/extra.json", "{}"});
            s.reject(cls, "extra entry at " + std::to_string(i), w.seal(p, id),
                     where("records/extra.json", i < n ? pa.entries[i].path : padding));
        }
        // Each entry's data flipped at its start, middle and end (manifest not re-signed).
        for (std::size_t i = 2; i < n; ++i) {
            const std::size_t len = pa.entries[i].data.size();
            for (std::size_t off : {std::size_t{0}, len / 2, len - 1}) {
                Plain p = pa;
                p.entries[i].data = flip(p.entries[i].data, off, static_cast<unsigned>(i + off));
                s.reject(cls, "flipped " + pa.entries[i].path + " +" + std::to_string(off),
                         w.seal(p, id), {Errc::integrity, pa.entries[i].path + ": " + kShaDiffers});
            }
            for (int delta : {-1, +1}) {
                Plain p = pa;
                if (delta < 0)
                    p.entries[i].data.pop_back();
                else
                    p.entries[i].data += '\n';
                s.reject(
                    cls, "resized " + pa.entries[i].path + " by " + std::to_string(delta),
                    w.seal(p, id),
                    {Errc::integrity, pa.entries[i].path + " has " + std::to_string(len + delta) +
                                          " bytes, the manifest says " + std::to_string(len)});
            }
        }
        // The manifest signature itself, and the manifest edited without re-signing.
        for (std::size_t off : {std::size_t{0}, pa.entries[1].data.size() - 1}) {
            Plain p = pa;
            p.entries[1].data = flip(p.entries[1].data, off, 1);
            s.reject(cls, "manifest.json.minisig flipped +" + std::to_string(off), w.seal(p, id),
                     {Errc::integrity, kManifestUnsigned});
        }
        {
            // Flip bits of the base64 signature lines: parse or verify fails.
            const std::string& sig = pa.entries[1].data;
            const auto l1 = sig.find('\n') + 1;
            for (std::size_t off : {l1 + 3, l1 + 20, l1 + 60, sig.size() - 10}) {
                Plain p = pa;
                p.entries[1].data = flip(sig, off, 0);
                s.reject(cls, "manifest.json.minisig bit at " + std::to_string(off), w.seal(p, id),
                         {Errc::integrity, kManifestUnsigned});
            }
        }
        {
            const std::string& m = pa.entries[0].data;
            const std::string sha = hex_sha(pa.entries[5].data);
            const auto at = m.find(sha);
            REQUIRE(at != std::string::npos);
            for (std::size_t k : {std::size_t{0}, std::size_t{31}, std::size_t{63}}) {
                Plain p = pa;
                p.entries[0].data[at + k] = sha[k] == '0' ? '1' : '0';
                s.reject(cls, "manifest sha256 digit " + std::to_string(k) + " edited",
                         w.seal(p, id), {Errc::integrity, kManifestUnsigned});
            }
            const auto created = m.find("\"created_at\":\"");
            REQUIRE(created != std::string::npos);
            Plain p = pa;
            p.entries[0].data[created + 14 + 3] =
                p.entries[0].data[created + 14 + 3] == '1' ? '2' : '1';  // another year
            s.reject(cls, "manifest created_at edited", w.seal(p, id),
                     {Errc::integrity, kManifestUnsigned});
            Plain q = pa;
            q.entries[0].data += " ";
            s.reject(cls, "manifest with a trailing space", w.seal(q, id),
                     {Errc::invalid,
                      "manifest.json: svidok-bundle/1: the bytes are not in canonical form"});
        }
        // Padding and what follows the tar stream.
        const std::size_t pad_len = [&] {
            const auto t = build_tar(pa);
            return t.bytes.size() - static_cast<std::size_t>(t.header_at.back()) - 512 - 1024;
        }();
        for (std::size_t off : {std::size_t{0}, pad_len / 2, pad_len - 1}) {
            Plain p = pa;
            p.padding = std::string(pad_len, '\0');
            (*p.padding)[off] = '\x01';
            s.reject(cls, "padding byte " + std::to_string(off) + " non-zero", w.seal(p, id),
                     {Errc::integrity, "the padding holds bytes other than zero"});
        }
        for (const std::string& t : {std::string(1, '\0'), std::string(1, 'x'),
                                     std::string(511, '\0'), random_bytes(100, 6)}) {
            Plain p = pa;
            p.trailing = t;
            s.reject(cls, std::to_string(t.size()) + " bytes after the tar end", w.seal(p, id),
                     {Errc::integrity, "bytes after the end of its tar stream"});
        }
        for (const std::string& t : {std::string(512, '\0'), std::string(1024, '\0')}) {
            Plain p = pa;
            p.trailing = t;
            s.reject(cls, std::to_string(t.size()) + " zero bytes after the tar end", w.seal(p, id),
                     {Errc::integrity, "bytes after the end of its tar stream"});
        }
        {
            Plain p = pa;
            p.after_padding.push_back({"records/late.json", "{}"});
            s.reject(
                cls, "an entry after the padding", w.seal(p, id),
                {Errc::integrity, "the bundle has an entry after its padding: records/late.json"});
        }
    }
    {
        // 4b. Tar headers patched (outer encryption and signature valid).
        const std::string cls = "4b tar structure";
        const BuiltTar t = build_tar(pa);
        const std::uint64_t h = t.header_at[5];  // records/<r1>-v1.json
        const std::string& path = pa.entries[5].path;
        const std::pair<char, std::string> types[] = {
            {'5', "is a directory, not a regular file"},
            {'2', "is a symbolic link, not a regular file"},
            {'1', "is a hard link, not a regular file"},
            {'3', "is a device, not a regular file"},
            {'4', "is a device, not a regular file"},
            {'6', "is a fifo, not a regular file"},
        };
        for (const auto& [type, why] : types) {
            std::string b = t.bytes;
            if (type == '1' || type == '2') patch_header(b, h, 157, "manifest.json", false);
            patch_header(b, h, 156, std::string(1, type));
            s.reject(cls, std::string("typeflag ") + type, w.seal(b, id),
                     {Errc::corrupt, "tar entry \"" + path + "\" " + why});
        }
        for (const std::string& bad : {std::string("../manifest.json"), std::string("/etc/passwd"),
                                       std::string("records//x.json"), std::string("a b.json"),
                                       std::string("./records/x.json")}) {
            std::string b = t.bytes;
            std::string name(100, '\0');
            std::copy(bad.begin(), bad.end(), name.begin());
            patch_header(b, h, 0, name);
            s.reject(cls, "path " + bad, w.seal(b, id),
                     {Errc::corrupt, "has a path Svidok never writes"});
        }
        {
            std::string b = t.bytes;
            b[static_cast<std::size_t>(h) + 148] =
                b[static_cast<std::size_t>(h) + 148] == '0' ? '1' : '0';
            s.reject(cls, "header checksum wrong", w.seal(b, id),
                     {Errc::corrupt, "the tar archive is damaged"});
            std::string c = t.bytes;
            c[static_cast<std::size_t>(h) + 3] ^= 0x01;  // name changed, checksum not updated
            s.reject(cls, "header byte changed without checksum", w.seal(c, id),
                     {Errc::corrupt, "the tar archive is damaged"});
        }
        {
            std::string b = t.bytes;
            const std::size_t size = pa.entries[5].data.size();
            char field[12];
            std::snprintf(field, sizeof field, "%011zo", size + 1);
            patch_header(b, h, 124, std::string(field, 11));
            s.reject(cls, "size field one larger", w.seal(b, id),
                     {Errc::integrity, path + " has " + std::to_string(size + 1) +
                                           " bytes, the manifest says " + std::to_string(size)});
        }
        {
            // The end-of-archive marker cut to one zero block, or missing.
            for (std::size_t cut : {std::size_t{512}, std::size_t{1024}}) {
                s.reject(cls, "end marker cut by " + std::to_string(cut),
                         w.seal(t.bytes.substr(0, t.bytes.size() - cut), id),
                         {Errc::corrupt, "end-of-archive marker"});
            }
            s.reject(cls, "tar cut inside the padding",
                     w.seal(t.bytes.substr(0, t.bytes.size() - 1024 - 4096), id),
                     {Errc::corrupt, "truncated"});
            s.reject(cls, "tar cut inside a record's header",
                     w.seal(t.bytes.substr(0, static_cast<std::size_t>(h) + 100), id),
                     {Errc::corrupt, "the tar archive is damaged: truncated"});
            s.reject(cls, "not a tar stream", w.seal(random_bytes(1 << 20, 7), id),
                     {Errc::corrupt, "the data is not a tar archive"});
            s.reject(cls, "empty plaintext", w.seal(std::string(), id),
                     {Errc::corrupt, "the data is not a tar archive"});
        }
    }
    {
        // 4c. A compromised or buggy sender: manifest and file re-signed with the sender's key.
        const std::string cls = "4c sender re-signed";
        const std::string d1 = w.doc(w.r1, 1), d3 = w.doc(w.r3, 1), d2 = w.doc(w.r2, 1);
        auto resealed = [&](Plain p) {
            w.resign_manifest(p);
            return w.seal(p, id);
        };
        {
            Plain p = pa;
            p.at(d1).data = pa.entries[pa.index(d3)].data;
            s.reject(cls, "record bytes swapped with another record's", resealed(p),
                     {Errc::integrity, d1 + ": "});
        }
        {
            Plain p = pa;
            p.at(d1).data = pa.entries[pa.index(d3)].data;
            p.at(w.sig_of(w.r1, 1)).data = pa.entries[pa.index(w.sig_of(w.r3, 1))].data;
            s.reject(cls, "document and signature of another record", resealed(p),
                     {Errc::integrity, d1 + " holds the document of another record or version"});
        }
        // Step 7 goes through the documents by path: the first of two broken ones is named.
        const std::string first = std::min(d1, d3);
        {
            Plain p = pa;
            std::swap(p.at(w.sig_of(w.r1, 1)).data, p.at(w.sig_of(w.r3, 1)).data);
            s.reject(cls, "signatures of two records swapped", resealed(p),
                     {Errc::integrity, first + ": "});
        }
        {
            Plain p = pa;
            p.at(w.sig_of(w.r2, 2)).data = pa.entries[pa.index(w.sig_of(w.r2, 1))].data;
            s.reject(cls, "v2 with v1's signature", resealed(p),
                     {Errc::integrity, w.doc(w.r2, 2) + ": "});
        }
        {
            Plain p = pa;
            std::swap(p.at(w.proof(w.r1, 1)).data, p.at(w.proof(w.r3, 1)).data);
            s.reject(
                cls, "inclusion proofs swapped", resealed(p),
                {Errc::integrity, first.substr(0, first.size() - 5) +
                                      ".inclusion.json proves another log entry than " + first});
        }
        for (const auto& [r, v] : {std::pair{w.r1, 1}, std::pair{w.r2, 1}}) {
            Plain p = pa;
            p.at(w.proof(r, v)).data = w.p0.entries[w.p0.index(w.proof(r, v))].data;
            s.reject(cls, "inclusion proof replayed from a0", resealed(p),
                     {Errc::integrity, w.proof(r, v) + ": "});
        }
        {
            // Every hash of every inclusion proof altered, one at a time.
            for (const auto& [r, v] :
                 {std::pair{w.r1, 1}, std::pair{w.r2, 1}, std::pair{w.r3, 1}, std::pair{w.r2, 2}}) {
                auto proof = forms::InclusionProof::parse(pa.entries[pa.index(w.proof(r, v))].data);
                REQUIRE(proof);
                for (std::size_t k = 0; k < proof->proof.size(); ++k) {
                    auto bad = *proof;
                    bad.proof[k][k % 32] ^= 0x01;
                    Plain p = pa;
                    p.at(w.proof(r, v)).data = *bad.to_json();
                    s.reject(cls, "inclusion proof hash " + std::to_string(k) + " altered",
                             resealed(p), {Errc::integrity, w.proof(r, v) + ": "});
                }
                auto bad = *proof;
                bad.leaf_index ^= 1;
                Plain p = pa;
                p.at(w.proof(r, v)).data = *bad.to_json();
                s.reject(cls, "inclusion proof index altered", resealed(p),
                         {Errc::integrity, w.proof(r, v) + ": "});
            }
        }
        {
            Plain p = pa;
            p.at(forms::kCheckpointPath).data =
                w.p0.entries[w.p0.index(forms::kCheckpointPath)].data;
            s.reject(cls, "checkpoint replaced by a0's (manifest's checkpoint kept)", resealed(p),
                     {Errc::integrity,
                      "log/checkpoint differs from the checkpoint the manifest states"});
            Plain q = p;
            auto m0 = forms::Manifest::parse(w.p0.entries[0].data);
            REQUIRE(m0);
            w.resign_manifest(q, [&](forms::Manifest& m) {
                m.checkpoint_size = m0->checkpoint_size;
                m.checkpoint_root = m0->checkpoint_root;
            });
            s.reject(cls, "checkpoint and manifest's checkpoint replaced by a0's", w.seal(q, id),
                     {Errc::integrity, ".inclusion.json: "});
        }
        {
            Plain p = pa;
            std::string& note = p.at(forms::kCheckpointPath).data;
            note[note.size() - 10] ^= 0x01;  // inside the signature line
            s.reject(cls, "checkpoint signature altered", resealed(p),
                     {Errc::integrity, "log/checkpoint: "});
            Plain q = pa;
            std::string& note2 = q.at(forms::kCheckpointPath).data;
            note2[note2.find('\n') + 1] = note2[note2.find('\n') + 1] == '4' ? '5' : '4';  // size
            s.reject(cls, "checkpoint size line altered", resealed(q),
                     {Errc::integrity, "log/checkpoint: "});
        }
        for (auto edit :
             std::initializer_list<std::pair<const char*, std::function<void(forms::Manifest&)>>>{
                 {"manifest checkpoint size", [](forms::Manifest& m) { m.checkpoint_size += 1; }},
                 {"manifest checkpoint root",
                  [](forms::Manifest& m) { m.checkpoint_root[0] ^= 1; }}}) {
            Plain p = pa;
            w.resign_manifest(p, edit.second);
            s.reject(cls, edit.first, w.seal(p, id),
                     {Errc::integrity,
                      "log/checkpoint differs from the checkpoint the manifest states"});
        }
        {
            Plain p = pa;
            p.entries.erase(p.entries.begin() +
                            static_cast<std::ptrdiff_t>(p.index(forms::consistency_path(2))));
            s.reject(cls, "consistency proof from 2 removed", resealed(p),
                     {Errc::integrity, "it has no consistency proof from 2 entries"});
            Plain q = pa;
            q.at(forms::consistency_path(2)).data =
                pa.entries[pa.index(forms::consistency_path(1))].data;
            s.reject(cls, "consistency proof from 1 under the name from 2", resealed(q),
                     {Errc::integrity, "is not a consistency proof to this bundle's checkpoint"});
            auto proof = forms::ConsistencyProof::parse(
                pa.entries[pa.index(forms::consistency_path(2))].data);
            REQUIRE(proof);
            for (std::size_t k = 0; k < proof->proof.size(); ++k) {
                auto bad = *proof;
                bad.proof[k][31 - k] ^= 0x80;
                Plain r = pa;
                r.at(forms::consistency_path(2)).data = *bad.to_json();
                s.reject(
                    cls, "consistency proof hash " + std::to_string(k) + " altered", resealed(r),
                    {Errc::integrity, "entries of the sender's log were deleted or rewritten"});
            }
            Plain t = pa;
            t.at(forms::consistency_path(2)).data = "{}";
            s.reject(cls, "consistency proof not JSON of its schema", resealed(t),
                     {Errc::integrity, "is not a consistency proof to this bundle's checkpoint"});
        }
        {
            const std::string a2_path = w.att(w.a2);
            const std::string a2_hex = a2_path.substr(12);
            // Flipped bytes under the old name, the manifest stating their new hash: the
            // manifest itself is refused (an attachment is named by its SHA-256).
            const std::string flipped = flip(w.a2, 5000, 3);
            Plain p = pa;
            w.resign_manifest_text(p, [&](std::string& json) {
                replace_once(json, "\"sha256\":\"" + a2_hex, "\"sha256\":\"" + hex_sha(flipped));
            });
            p.at(a2_path).data = flipped;  // same size: the manifest states it
            s.reject(cls, "attachment bytes flipped, manifest states their new hash", w.seal(p, id),
                     {Errc::invalid, "manifest.json: svidok-bundle/1: files[]: path: \"" + a2_path +
                                         "\" is not named by its SHA-256"});
            // ... and renamed by their new hash: no record lists that file.
            Plain p2 = pa;
            p2.at(a2_path) = {w.att(flipped), flipped};
            s.reject(
                cls, "attachment bytes flipped and renamed, manifest agreeing", resealed(p2),
                {Errc::integrity, "lists the file " + a2_hex + ", which the bundle does not hold"});
            Plain q = pa;
            q.entries.erase(q.entries.begin() + static_cast<std::ptrdiff_t>(q.index(a2_path)));
            s.reject(
                cls, "new attachment removed", resealed(q),
                {Errc::integrity, "lists the file " + a2_hex + ", which the bundle does not hold"});
            Plain r = pa;
            const std::string extra = random_bytes(3000, 8);
            r.entries.push_back({w.att(extra), extra});
            s.reject(cls, "an attachment no record lists", resealed(r),
                     {Errc::integrity, "the bundle holds the file " + hex_sha(extra) +
                                           ", which no record in it lists"});
            Plain t = pa;
            const std::string shorter = w.a2.substr(0, w.a2.size() - 1);
            t.at(a2_path) = {w.att(shorter), shorter};
            s.reject(cls, "attachment one byte short, manifest agreeing", resealed(t),
                     {Errc::integrity, "lists the file " + a2_hex});
        }
        {
            Plain p = pa;
            p.entries.insert(p.entries.begin() + 17, {w.sig_of(w.r1, 9), "orphan"});
            s.reject(
                cls, "an orphan signature listed", resealed(p),
                {Errc::integrity, w.sig_of(w.r1, 9) + " belongs to no document of the bundle"});
            Plain q = pa;
            q.entries.insert(q.entries.begin() + 17, {w.doc(w.r1, 9), pa.entries[5].data});
            s.reject(cls, "a document without signature or proof", resealed(q),
                     {Errc::integrity,
                      w.doc(w.r1, 9) + " comes without its signature or inclusion proof"});
            Plain r = pa;
            r.entries.erase(r.entries.begin() +
                            static_cast<std::ptrdiff_t>(r.index(w.proof(w.r3, 1))));
            s.reject(cls, "an inclusion proof removed", resealed(r),
                     {Errc::integrity, d3 + " comes without its signature or inclusion proof"});
            Plain t = pa;
            t.entries.erase(t.entries.begin() +
                            static_cast<std::ptrdiff_t>(t.index(w.sig_of(w.r3, 1))));
            s.reject(cls, "a record signature removed", resealed(t),
                     {Errc::integrity, d3 + " comes without its signature or inclusion proof"});
            Plain u = pa;
            u.entries.erase(u.entries.begin() +
                            static_cast<std::ptrdiff_t>(u.index(forms::kCheckpointPath)));
            s.reject(cls, "the checkpoint removed", resealed(u),
                     {Errc::integrity, "the bundle has no log checkpoint"});
            Plain v = pa;
            v.at(d3).data.insert(1, " ");
            s.reject(cls, "a record made non-canonical", resealed(v), {Errc::integrity, d3 + ": "});
            Plain x = pa;
            x.at(d3).data[x.at(d3).data.size() / 2] ^= 0x01;
            s.reject(cls, "a record's byte flipped", resealed(x), {Errc::integrity, d3 + ": "});
        }
        {
            // The sender's claims in the manifest.
            const auto other_key = ms::SigningKey::generate();
            const auto other_pub = other_key.public_key();
            Plain p = pa;
            w.resign_manifest(
                p, [&](forms::Manifest& m) { m.sender.minisign = other_pub; }, &other_key);
            s.reject(cls, "manifest and file re-signed by another key claimed as the sender's",
                     w.seal(p, id, &other_key),
                     {Errc::integrity, "is signed with other keys than the ones pinned for it"});
            Plain q = pa;
            w.resign_manifest(q, {}, &other_key);
            s.reject(cls, "manifest re-signed by another key", w.seal(q, id),
                     {Errc::integrity, kManifestUnsigned});
            Plain r = pa;
            w.resign_manifest(r, {}, nullptr, w.a0.id);
            s.reject(cls, "manifest signature for another bundle id", w.seal(r, id),
                     {Errc::integrity, "manifest.json's signature is for another bundle"});
            const std::string fresh_id = forms::format_bundle_id(forms::new_bundle_id());
            Plain t = pa;
            w.resign_manifest(
                t, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(fresh_id); });
            s.reject(cls, "manifest names another bundle id", w.seal(t, id),
                     {Errc::integrity, "the manifest names bundle " + fresh_id});
            Plain u = pa;
            w.resign_manifest(
                u, [&](forms::Manifest& m) { m.recipients = {w.third->age_recipient()}; });
            s.reject(cls, "recipients without this vault", w.seal(u, id),
                     {Errc::integrity, "this vault is not among the bundle's stated recipients"});
            Plain v = pa;
            w.resign_manifest(v, [&](forms::Manifest& m) {
                m.sender.age = crypto::X25519Identity::generate().recipient();
            });
            s.reject(cls, "sender age recipient changed", w.seal(v, id),
                     {Errc::integrity, "is signed with other keys than the ones pinned for it"});
            Plain x = pa;
            w.resign_manifest(x, [&](forms::Manifest& m) { m.sender.log_key.public_key[3] ^= 1; });
            s.reject(cls, "sender log key changed", w.seal(x, id),
                     {Errc::integrity, "is signed with other keys than the ones pinned for it"});
            const std::string legal_origin = w.legal->identity().log_origin();
            Plain y = pa;
            w.resign_manifest(y, [&](forms::Manifest& m) {
                m.sender.origin = legal_origin;
                m.sender.log_key.name = legal_origin;
            });
            s.reject(cls, "sender origin is the receiving vault's", w.seal(y, id),
                     {Errc::invalid, "this bundle was made by this vault itself"});
            const std::string other_origin = "svidok.device/0123456789abcdef";
            Plain z = pa;
            w.resign_manifest(z, [&](forms::Manifest& m) {
                m.sender.origin = other_origin;
                m.sender.log_key.name = other_origin;
            });
            s.reject(cls, "another origin with the pinned signing key", w.seal(z, id),
                     {Errc::integrity, "the bundle's signing key is pinned for another sender"});
            Plain f = pa;
            w.resign_manifest(f, [&](forms::Manifest& m) { m.files[3].size += 1; });
            s.reject(
                cls, "manifest states a wrong size", w.seal(f, id),
                {Errc::integrity,
                 pa.entries[5].path + " has " + std::to_string(pa.entries[5].data.size()) +
                     " bytes, the manifest says " + std::to_string(pa.entries[5].data.size() + 1)});
            Plain g = pa;
            w.resign_manifest(g, [&](forms::Manifest& m) { std::swap(m.files[3], m.files[4]); });
            s.reject(cls, "manifest lists files in another order", w.seal(g, id),
                     {Errc::integrity, "the bundle holds " + pa.entries[5].path + " where " +
                                           pa.entries[6].path + " should be"});
            Plain h = pa;
            w.resign_manifest(h, [&](forms::Manifest& m) { m.files.pop_back(); });
            s.reject(cls, "manifest omits the last file", w.seal(h, id),
                     {Errc::integrity,
                      "the bundle holds " + pa.entries[n - 1].path + " where padding should be"});
        }
        // (A bundle without r2 v1 is not a mutation for this vault: it holds r2 v1 from a0, which
        // completes the chain (12.7 step 8). The fresh vault below must refuse it.)
    }
    {
        // 4d. Replays and forks: genuine bundles of the sender that must not be accepted.
        const std::string cls = "4d replay/fork";
        s.reject(cls, "an older bundle (log of 1 entry) after one of 2", w.a00,
                 {Errc::integrity, "the sender's log was rolled back"});
        {
            // The same older content under a fresh bundle id, signed by the sender.
            const std::string fresh_id = forms::format_bundle_id(forms::new_bundle_id());
            Plain p = w.p00;
            w.resign_manifest(
                p, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(fresh_id); });
            s.reject(cls, "older content re-sent under a fresh id", w.seal(p, fresh_id),
                     {Errc::integrity, "the sender's log was rolled back"});
        }
        s.reject(cls, "forked log: another entry at a held sequence", w.fk1,
                 {Errc::integrity, "was rewritten: it differs from the one received before"});
        s.reject(cls, "forked log: same size, another root", w.fk2,
                 {Errc::integrity,
                  "the sender's log was rewritten: two checkpoints of 2 entries differ"});
        s.reject(cls, "forked log: larger, not an extension", w.fk3,
                 {Errc::integrity, "entries of the sender's log were deleted or rewritten"});
    }
    {
        // 5. A bundle for another recipient.
        const std::string cls = "5 other recipient";
        s.reject(cls, "exported to the third vault only", w.other,
                 {Errc::auth_failed, kNotAddressed});
        Plain p = pa;
        s.reject(cls, "a's content encrypted to the third vault",
                 w.seal(build_tar(p).bytes, id, nullptr, w.third->age_recipient()),
                 {Errc::auth_failed, kNotAddressed});
        s.reject(cls, "a's content encrypted to the sender itself",
                 w.seal(build_tar(p).bytes, id, nullptr, w.field->age_recipient()),
                 {Errc::auth_failed, kNotAddressed});
    }
    total += s.total();
    s.report();

    // A vault that imported nothing yet (a copy of the receiving vault taken before its first
    // import): the sender is not pinned, every attachment is new, attachments/ does not exist.
    // Known failure: the first rejected import that got as far as storing a received file leaves
    // an empty attachments/ directory behind (BlobFileWriter::create, store/src/blob_files.cpp,
    // creates it and nothing removes it).
    {
        Suite f(w, *w.fresh, "fresh (imported nothing)");
        f.trust = std::nullopt;
        f.reject("6 fresh vault", "unknown sender, no fingerprint confirmed", w.a,
                 {Errc::auth_failed, "unknown sender " + w.field->identity().log_origin()});
        f.trust = "12345 12345 12345 12345 12345";
        f.reject("6 fresh vault", "another fingerprint confirmed", w.a,
                 {Errc::auth_failed, "the fingerprint you typed does not match the sender's"});
        f.trust = w.field_fp;
        const std::string cls = "6 fresh vault";
        for (std::size_t k = lay.chunks.size() - 3; k < lay.chunks.size(); ++k) {
            const std::size_t at = lay.chunks[k];
            for (std::size_t off : {std::size_t{7}, kChunk - 1 - 16, kChunk - 1}) {
                f.reject(cls, "chunk " + std::to_string(k) + " +" + std::to_string(off), w.a.id,
                         flip(w.a.age, at + off, 2), w.a.sig, {Errc::integrity, kPayloadAltered});
            }
        }
        for (std::size_t n_cut : {lay.size - 1, lay.chunks.back()}) {
            f.reject(cls, "cut to " + std::to_string(n_cut), w.a.id, w.a.age.substr(0, n_cut),
                     w.a.sig, {Errc::integrity, kPayloadAltered});
        }
        f.reject(cls, "file signature of another file", w.a.id, w.a.age,
                 w.outer_sig(w.a0.age, w.a.id), {Errc::integrity, kOuterMismatch});
        for (const std::string& content : {w.a1, w.a2}) {
            Plain p = pa;
            const std::string path = w.att(content);
            p.at(path).data = flip(content, content.size() - 1, 0);
            f.reject(cls, "attachment flipped", w.seal(p, id),
                     {Errc::integrity, path + ": " + kShaDiffers});
            Plain q = pa;
            const std::string flipped = flip(content, 100, 0);
            q.at(path) = {w.att(flipped), flipped};
            w.resign_manifest(q);
            f.reject(cls, "attachment flipped, manifest agreeing", w.seal(q, id),
                     {Errc::integrity,
                      "lists the file " + path.substr(12) + ", which the bundle does not hold"});
        }
        {
            Plain p = pa;
            p.trailing = "x";
            f.reject(cls, "a byte after the tar end", w.seal(p, id),
                     {Errc::integrity, "bytes after the end of its tar stream"});
            Plain q = pa;
            for (const std::string& path : {w.doc(w.r2, 1), w.sig_of(w.r2, 1), w.proof(w.r2, 1)})
                q.entries.erase(q.entries.begin() + static_cast<std::ptrdiff_t>(q.index(path)));
            w.resign_manifest(q);
            f.reject(cls, "version 1 of an amended record removed", w.seal(q, id),
                     {Errc::integrity, "record " + forms::format_record_id(w.r2) +
                                           ": version 1 is neither in the bundle nor received "
                                           "before"});
        }
        f.reject(cls, "for another recipient", w.other, {Errc::auth_failed, kNotAddressed});
        total += f.total();
        f.report();

        // Positive controls of the rebuild path (decrypt, parse, rebuild, re-sign the manifest,
        // re-encrypt, re-sign the file): unmodified, the rebuilt a0 and then a import.
        Plain p0 = w.p0;
        w.resign_manifest(p0);
        World::import_ok(*w.fresh, w.seal(p0, w.a0.id), w.tmp / "control-fresh", w.field_fp);
        Plain p = pa;
        w.resign_manifest(p);
        World::import_ok(*w.fresh, w.seal(p, id), w.tmp / "control-fresh", w.field_fp);
    }

    // A bundle already imported with this exact signature is reported as such: nothing changes.
    {
        const fs::path dir = w.tmp / "again";
        fs::create_directories(dir);
        write_file(dir / (w.a0.id + ".age"), w.a0.age);
        write_file(dir / (w.a0.id + ".age.minisig"), w.a0.sig);
        auto r = w.legal->bundles.import_bundle(dir / (w.a0.id + ".age"), {});
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        CHECK(r->already_imported);
        s.unchanged("a0 imported again");
    }

    // The unmodified bundle imports into the receiving vault after every mutation above.
    {
        const fs::path dir = w.tmp / "control";
        fs::create_directories(dir);
        write_file(dir / (w.a.id + ".age"), w.a.age);
        write_file(dir / (w.a.id + ".age.minisig"), w.a.sig);
        auto r = w.legal->bundles.import_bundle(dir / (w.a.id + ".age"), {});
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        CHECK_FALSE(r->already_imported);
        CHECK(r->documents == 4);
        CHECK(r->new_documents == 2);
        CHECK(r->attachments == 2);
        CHECK(r->checkpoint_size == 4);
        CHECK(r->previous_checkpoint_size == std::optional<std::uint64_t>(2));
        CHECK(r->log_entries_missing == 0);
    }
    CHECK(total >= 1000);
    MESSAGE("total " << total << " mutations, whole test "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count()
                     << " ms");
}
