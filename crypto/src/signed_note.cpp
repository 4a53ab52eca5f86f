// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/signed_note.h"

#include <algorithm>
#include <string>

#include "crypto/hash.h"

namespace svidok::crypto {

namespace {

std::string dec(std::uint64_t v) {
    return std::to_string(v);
}

std::string key_id_hex(std::uint32_t id) {
    unsigned char b[kNoteKeyIdBytes];
    store_be32(b, id);
    return to_hex(b);
}

std::string key_ref(std::string_view name, std::uint32_t id) {
    return std::string(name) + "+" + key_id_hex(id);
}

// Decodes the UTF-8 sequence at s[i]: its length, or 0 if it is malformed (truncated, a stray
// continuation byte, overlong, a surrogate or beyond U+10FFFF).
std::size_t utf8_next(std::string_view s, std::size_t i, char32_t& cp) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// Unicode White_Space, the set Go's unicode.IsSpace (and so the reference note code) uses.
bool is_unicode_space(char32_t cp) noexcept {
    switch (cp) {
        case 0x09:
        case 0x0A:
        case 0x0B:
        case 0x0C:
        case 0x0D:
        case 0x20:
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000:
            return true;
        default:
            return cp >= 0x2000 && cp <= 0x200A;
    }
}

// What is wrong with a note (or note text): empty when it is valid UTF-8 without control
// characters other than \n.
std::string text_problem(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        std::size_t len = utf8_next(s, i, cp);
        if (len == 0) return "invalid UTF-8 at byte " + dec(i);
        if (cp < 0x20 && cp != '\n') {
            return "control character 0x" + to_hex(as_bytes(s.substr(i, 1))) + " at byte " + dec(i);
        }
        i += len;
    }
    return {};
}

std::string name_problem(std::string_view name) {
    if (name.empty()) return "key name is empty";
    for (std::size_t i = 0; i < name.size();) {
        char32_t cp = 0;
        std::size_t len = utf8_next(name, i, cp);
        if (len == 0) return "key name has invalid UTF-8 at byte " + dec(i);
        if (cp < 0x20 || is_unicode_space(cp) || cp == '+') {
            return "key name has a space, '+' or control character at byte " + dec(i);
        }
        i += len;
    }
    return {};
}

Result<void> check_secret_key(const SecureBuffer& secret_key) {
    if (secret_key.size() != kNoteSecretKeyBytes) {
        return fail(Errc::usage, "note signing key has " + dec(secret_key.size()) +
                                     " bytes, expected " + dec(kNoteSecretKeyBytes));
    }
    return {};
}

NotePublicKey public_half(const SecureBuffer& secret_key) noexcept {
    NotePublicKey pk;
    std::copy_n(secret_key.data() + (kNoteSecretKeyBytes - kNotePublicKeyBytes), pk.size(),
                pk.begin());
    return pk;
}

bool ed25519_valid(ByteView message, ByteView signature, const NotePublicKey& pk) noexcept {
    return signature.size() == kNoteEd25519SignatureBytes &&
           crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                       pk.data()) == 0;
}

// Signs and checks the signature against the key's public half, so a secret key whose halves
// do not belong together (a storage fault) never produces a note nobody can verify.
Result<Bytes> ed25519_sign(ByteView message, const SecureBuffer& secret_key) {
    Bytes sig(kNoteEd25519SignatureBytes);
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key.data());
    if (!ed25519_valid(message, sig, public_half(secret_key))) {
        return fail(Errc::internal,
                    "note signing key is inconsistent: its signature does not "
                    "verify with its own public key");
    }
    return sig;
}

bool known_type(unsigned char type) noexcept {
    return type == kNoteTypeEd25519 || type == kNoteTypeCosignatureV1;
}

}  // namespace

Result<void> check_note_text(std::string_view text) {
    if (text.empty() || text.back() != '\n') {
        return fail(Errc::invalid, "note text must end with a newline");
    }
    if (text.size() > kMaxNoteBytes) {
        return fail(Errc::invalid, "note text is larger than " + dec(kMaxNoteBytes) + " bytes");
    }
    if (auto p = text_problem(text); !p.empty()) return fail(Errc::invalid, "note text: " + p);
    return {};
}

Result<void> check_note_key_name(std::string_view name) {
    if (auto p = name_problem(name); !p.empty()) return fail(Errc::invalid, p);
    return {};
}

std::uint32_t note_key_id(std::string_view name, unsigned char type,
                          const NotePublicKey& public_key) noexcept {
    Sha256 h;
    h.update(as_bytes(name));
    const unsigned char sep[2] = {'\n', type};
    h.update(sep);
    h.update(public_key);
    return load_be32(h.finish().data());
}

Result<NoteVerifier> note_verifier_for(std::string_view name, unsigned char type,
                                       const SecureBuffer& secret_key) {
    if (auto ok = check_note_key_name(name); !ok) return std::unexpected(std::move(ok.error()));
    if (!known_type(type)) return fail(Errc::usage, "unsupported note signature type");
    if (auto ok = check_secret_key(secret_key); !ok) return std::unexpected(std::move(ok.error()));
    return NoteVerifier{std::string(name), type, public_half(secret_key)};
}

Result<std::string> format_verifier_key(const NoteVerifier& verifier) {
    if (auto ok = check_note_key_name(verifier.name); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (!known_type(verifier.type)) return fail(Errc::usage, "unsupported note signature type");
    Bytes material{verifier.type};
    material.insert(material.end(), verifier.public_key.begin(), verifier.public_key.end());
    return verifier.name + "+" +
           key_id_hex(note_key_id(verifier.name, verifier.type, verifier.public_key)) + "+" +
           to_base64(material);
}

Result<NoteVerifier> parse_verifier_key(std::string_view text) {
    // The name cannot contain '+' and the hex id is fixed, so the first two '+' delimit them;
    // the Base64 key material may contain '+' itself.
    const std::size_t p1 = text.find('+');
    const std::size_t p2 = p1 == std::string_view::npos ? p1 : text.find('+', p1 + 1);
    if (p2 == std::string_view::npos) {
        return fail(Errc::corrupt, "verifier key is not <name>+<key id>+<key>");
    }
    const std::string_view name = text.substr(0, p1);
    const std::string_view hex = text.substr(p1 + 1, p2 - p1 - 1);
    if (auto p = name_problem(name); !p.empty()) {
        return fail(Errc::invalid, "verifier key: " + p);
    }
    const bool hex_ok = hex.size() == 2 * kNoteKeyIdBytes &&
                        hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    if (!hex_ok) {
        return fail(Errc::corrupt, "verifier key id must be 8 lowercase hex digits");
    }
    auto material = from_base64(text.substr(p2 + 1));
    if (!material) return std::unexpected(std::move(material.error()).wrap("verifier key"));
    if (material->empty()) return fail(Errc::corrupt, "verifier key has no key material");
    NoteVerifier v{std::string(name), (*material)[0], {}};
    if (!known_type(v.type)) {
        return fail(Errc::unsupported, "verifier key has signature type 0x" +
                                           to_hex(ByteView(material->data(), 1)) +
                                           "; Svidok supports 0x01 (Ed25519) and 0x04 "
                                           "(cosignature/v1)");
    }
    if (material->size() != 1 + kNotePublicKeyBytes) {
        return fail(Errc::corrupt, "verifier key material has " + dec(material->size()) +
                                       " bytes, expected " + dec(1 + kNotePublicKeyBytes));
    }
    std::copy(material->begin() + 1, material->end(), v.public_key.begin());
    if (key_id_hex(note_key_id(v.name, v.type, v.public_key)) != hex) {
        return fail(Errc::integrity,
                    "verifier key id " + std::string(hex) + " does not match its name and key",
                    "the key was mistyped or altered; copy it again from its owner");
    }
    return v;
}

Result<Note> parse_note(std::string_view note) {
    if (note.size() > kMaxNoteBytes) {
        return fail(Errc::corrupt, "signed note is larger than " + dec(kMaxNoteBytes) + " bytes");
    }
    if (auto p = text_problem(note); !p.empty()) return fail(Errc::corrupt, "signed note: " + p);
    // The text may contain blank lines; the last one separates it from the signatures.
    const std::size_t split = note.rfind("\n\n");
    if (split == std::string_view::npos) {
        return fail(Errc::corrupt, "signed note has no blank line before its signatures");
    }
    Note out{std::string(note.substr(0, split + 1)), {}};
    std::string_view block = note.substr(split + 2);
    if (block.empty()) return fail(Errc::corrupt, "signed note has no signature lines");
    if (block.back() != '\n') return fail(Errc::corrupt, "signed note does not end with a newline");
    for (std::size_t line_no = 1; !block.empty(); ++line_no) {
        const std::size_t eol = block.find('\n');
        std::string_view line = block.substr(0, eol);
        block.remove_prefix(eol + 1);
        const std::string where = "signature line " + dec(line_no);
        if (line_no > kMaxNoteSignatures) {
            return fail(Errc::corrupt,
                        "signed note has more than " + dec(kMaxNoteSignatures) + " signatures");
        }
        if (!line.starts_with(kNoteSignaturePrefix)) {
            return fail(Errc::corrupt, where + " does not start with an em dash and a space");
        }
        line.remove_prefix(kNoteSignaturePrefix.size());
        const std::size_t space = line.find(' ');
        if (space == std::string_view::npos) {
            return fail(Errc::corrupt, where + " has no signature after the key name");
        }
        NoteSignature sig{std::string(line.substr(0, space)), 0, {}};
        if (auto p = name_problem(sig.name); !p.empty()) {
            return fail(Errc::corrupt, where + ": " + p);
        }
        auto raw = from_base64(line.substr(space + 1));
        if (!raw) {
            return std::unexpected(std::move(raw.error()).wrap(where + " (" + sig.name + ")"));
        }
        if (raw->size() <= kNoteKeyIdBytes) {
            return fail(Errc::corrupt, where + " (" + sig.name +
                                           ") is too short for a key id "
                                           "and a signature");
        }
        sig.key_id = load_be32(raw->data());
        sig.signature.assign(raw->begin() + kNoteKeyIdBytes, raw->end());
        out.signatures.push_back(std::move(sig));
    }
    return out;
}

Result<std::string> format_note(const Note& note) {
    if (auto ok = check_note_text(note.text); !ok) return std::unexpected(std::move(ok.error()));
    if (note.signatures.empty()) return fail(Errc::invalid, "a signed note needs a signature");
    if (note.signatures.size() > kMaxNoteSignatures) {
        return fail(Errc::invalid, "more than " + dec(kMaxNoteSignatures) + " signatures");
    }
    std::string out = note.text + "\n";
    for (const NoteSignature& sig : note.signatures) {
        if (auto ok = check_note_key_name(sig.name); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        if (sig.signature.empty()) return fail(Errc::invalid, "empty signature by " + sig.name);
        Bytes raw(kNoteKeyIdBytes);
        store_be32(raw.data(), sig.key_id);
        raw.insert(raw.end(), sig.signature.begin(), sig.signature.end());
        out += std::string(kNoteSignaturePrefix) + sig.name + " " + to_base64(raw) + "\n";
    }
    if (out.size() > kMaxNoteBytes) {
        return fail(Errc::invalid,
                    "signed note would be larger than " + dec(kMaxNoteBytes) + " bytes");
    }
    return out;
}

Result<std::string> sign_note(std::string_view text, std::string_view name,
                              const SecureBuffer& secret_key) {
    if (auto ok = check_note_text(text); !ok) return std::unexpected(std::move(ok.error()));
    auto verifier = note_verifier_for(name, kNoteTypeEd25519, secret_key);
    if (!verifier) return std::unexpected(std::move(verifier.error()));
    auto sig = ed25519_sign(as_bytes(text), secret_key);
    if (!sig) return std::unexpected(std::move(sig.error()));
    const std::uint32_t id = note_key_id(name, kNoteTypeEd25519, verifier->public_key);
    return format_note(Note{std::string(text), {NoteSignature{std::string(name), id, *sig}}});
}

std::string cosignature_message(std::uint64_t timestamp, std::string_view text) {
    return "cosignature/v1\ntime " + dec(timestamp) + "\n" + std::string(text);
}

Result<std::string> cosign_note(std::string_view note, std::string_view name,
                                const SecureBuffer& secret_key, std::uint64_t timestamp) {
    if (timestamp > kMaxCosignatureTimestamp) {
        return fail(Errc::usage, "cosignature timestamp is beyond 2^63-1");
    }
    auto parsed = parse_note(note);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    auto verifier = note_verifier_for(name, kNoteTypeCosignatureV1, secret_key);
    if (!verifier) return std::unexpected(std::move(verifier.error()));
    auto sig = ed25519_sign(as_bytes(cosignature_message(timestamp, parsed->text)), secret_key);
    if (!sig) return std::unexpected(std::move(sig.error()));

    NoteSignature line{std::string(name),
                       note_key_id(name, kNoteTypeCosignatureV1, verifier->public_key), Bytes(8)};
    store_be64(line.signature.data(), timestamp);
    line.signature.insert(line.signature.end(), sig->begin(), sig->end());
    std::erase_if(parsed->signatures, [&](const NoteSignature& s) {
        return s.name == line.name && s.key_id == line.key_id;
    });
    parsed->signatures.push_back(std::move(line));
    return format_note(*parsed);
}

Result<std::uint64_t> verify_cosignature(std::string_view text, const NoteSignature& signature,
                                         const NoteVerifier& cosigner) {
    if (cosigner.type != kNoteTypeCosignatureV1) {
        return fail(Errc::usage, "key " + cosigner.name + " is not a cosigning key (type 0x04)");
    }
    const std::uint32_t id = note_key_id(cosigner.name, cosigner.type, cosigner.public_key);
    if (cosigner.name != signature.name || id != signature.key_id) {
        return fail(Errc::usage, "cosignature by " + key_ref(signature.name, signature.key_id) +
                                     " checked with key " + key_ref(cosigner.name, id));
    }
    const std::string who = "cosignature by " + key_ref(signature.name, signature.key_id);
    if (signature.signature.size() != kCosignatureBytes) {
        return fail(Errc::integrity, who + " has " + dec(signature.signature.size()) +
                                         " bytes, expected " + dec(kCosignatureBytes));
    }
    const std::uint64_t timestamp = load_be64(signature.signature.data());
    if (timestamp > kMaxCosignatureTimestamp) {
        return fail(Errc::integrity, who + " has a timestamp beyond 2^63-1");
    }
    const ByteView ed_sig = ByteView(signature.signature).subspan(8);
    if (!ed25519_valid(as_bytes(cosignature_message(timestamp, text)), ed_sig,
                       cosigner.public_key)) {
        return fail(Errc::integrity, who + " does not verify",
                    "the checkpoint or the receipt was altered after cosigning");
    }
    return timestamp;
}

Result<OpenedNote> open_note(std::string_view note, std::span<const NoteVerifier> known) {
    auto parsed = parse_note(note);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    std::vector<std::uint32_t> known_ids;
    for (const NoteVerifier& v : known) {
        known_ids.push_back(note_key_id(v.name, v.type, v.public_key));
    }

    OpenedNote out{parsed->text, {}, {}};
    for (const NoteSignature& sig : parsed->signatures) {
        const NoteVerifier* match = nullptr;
        for (std::size_t i = 0; i < known.size(); ++i) {
            if (known[i].name != sig.name || known_ids[i] != sig.key_id) continue;
            if (match != nullptr && !(*match == known[i])) {
                return fail(Errc::usage, "two known keys are both " +
                                             key_ref(sig.name, sig.key_id) +
                                             "; remove one of them");
            }
            match = &known[i];
        }
        if (match == nullptr) {
            if (std::find(out.unknown.begin(), out.unknown.end(), sig) == out.unknown.end()) {
                out.unknown.push_back(sig);
            }
            continue;
        }
        // Every line by a known key is checked, repeated ones too: one bad signature by a
        // trusted key means the note was tampered with, whatever else it carries.
        VerifiedNoteSignature ok{sig.name, sig.key_id, match->type, std::nullopt};
        if (match->type == kNoteTypeCosignatureV1) {
            auto ts = verify_cosignature(parsed->text, sig, *match);
            if (!ts) return std::unexpected(std::move(ts.error()));
            ok.timestamp = *ts;
        } else if (!ed25519_valid(as_bytes(parsed->text), sig.signature, match->public_key)) {
            return fail(Errc::integrity,
                        "signature by " + key_ref(sig.name, sig.key_id) + " does not verify",
                        "the note was altered after it was signed");
        }
        const bool seen = std::any_of(out.verified.begin(), out.verified.end(), [&](auto& v) {
            return v.name == ok.name && v.key_id == ok.key_id;
        });
        if (!seen) out.verified.push_back(std::move(ok));
    }
    if (out.verified.empty()) {
        std::string by;
        for (std::size_t i = 0; i < out.unknown.size() && i < 4; ++i) {
            by += (i == 0 ? "" : ", ") + key_ref(out.unknown[i].name, out.unknown[i].key_id);
        }
        if (out.unknown.size() > 4) by += ", ...";
        return fail(Errc::auth_failed, "note is not signed by any known key (signed by " + by + ")",
                    "pin the signer's key after comparing fingerprints, then try again");
    }
    return out;
}

}  // namespace svidok::crypto
