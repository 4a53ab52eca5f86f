// SPDX-License-Identifier: GPL-3.0-or-later
// The age file: header assembly and checking around the payload STREAM, with optional armor.
#include "crypto/age.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "age_armor.h"
#include "age_format.h"
#include "age_recipients.h"
#include "age_stream.h"
#include "crypto/hkdf.h"

namespace svidok::crypto {

namespace {

static_assert(crypto_auth_hmacsha256_BYTES == age::kMacBytes);
static_assert(crypto_auth_hmacsha256_KEYBYTES == 32);

// HMAC key = HKDF-SHA-256(ikm = file key, salt = empty, info = "header"), over the header up
// to and including "---".
std::array<unsigned char, age::kMacBytes> header_mac(const SecureBuffer& file_key,
                                                     std::string_view mac_input) {
    SecureBuffer key(crypto_auth_hmacsha256_KEYBYTES);
    hkdf_sha256(key.span(), file_key.span(), {}, as_bytes("header"));
    std::array<unsigned char, age::kMacBytes> mac{};
    crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(mac_input.data()),
                           mac_input.size(), key.data());
    return mac;
}

// The rules of the stanza types we know, checked whatever identities are held.
Result<> check_stanzas(std::span<const age::Stanza> stanzas) {
    for (const auto& s : stanzas) {
        if (s.type == age::kX25519Type) {
            if (auto r = age::x25519_check(s); !r) return r;
        } else if (s.type == age::kScryptType) {
            if (auto r = age::scrypt_check(s); !r) return r;
            // Passphrase files must not carry other stanzas: anyone able to add a recipient
            // could otherwise pass off a file as sealed by the passphrase holder.
            if (stanzas.size() != 1) {
                return fail(Errc::corrupt, "age header: an scrypt stanza must be the only stanza");
            }
        }
    }
    return {};
}

// Tries every held identity on every stanza in header order; true once one opens.
Result<bool> unwrap_file_key(std::span<const age::Stanza> stanzas, const AgeIdentities& ids,
                             std::span<unsigned char> file_key) {
    for (const auto& s : stanzas) {
        if (s.type == age::kX25519Type) {
            for (const auto& id : ids.x25519) {
                auto r = age::x25519_unwrap(id, s, file_key);
                if (!r || *r) return r;
            }
        } else if (s.type == age::kScryptType && ids.passphrase != nullptr) {
            auto r = age::scrypt_unwrap(*ids.passphrase, s, file_key);
            if (!r || *r) return r;
        }
    }
    return false;
}

Error no_match_error(std::span<const age::Stanza> stanzas, const AgeIdentities& ids) {
    if (stanzas.size() == 1 && stanzas[0].type == age::kScryptType) {
        if (ids.passphrase == nullptr) {
            return {Errc::auth_failed,
                    "age: the file is passphrase-encrypted and no passphrase was given",
                    {}};
        }
        return {Errc::auth_failed, "age: the passphrase does not open this file",
                "check the passphrase"};
    }
    return {Errc::auth_failed,
            "age: no identity matched any of the file's " + std::to_string(stanzas.size()) +
                " recipient stanza(s)",
            "the file was not encrypted to this key"};
}

std::unexpected<Error> finished_error() {
    return fail(Errc::usage, "age: the stream was already finished");
}

}  // namespace

const char* age_failure_name(AgeFailure failure) noexcept {
    switch (failure) {
        case AgeFailure::none:
            return "none";
        case AgeFailure::armor:
            return "armor failure";
        case AgeFailure::header:
            return "header failure";
        case AgeFailure::no_match:
            return "no match";
        case AgeFailure::header_mac:
            return "HMAC failure";
        case AgeFailure::payload:
            return "payload failure";
        case AgeFailure::sink:
            return "sink failure";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Encryption

struct AgeEncryptor::State {
    ByteSink sink;
    std::optional<age::ArmorWriter> armor;
    ByteSink out;  // the sink, or the armor in front of it
    std::optional<age::StreamWriter> stream;
    bool closed = false;  // finished, or failed
};

AgeEncryptor::AgeEncryptor(std::unique_ptr<State> state) : s_(std::move(state)) {}
AgeEncryptor::AgeEncryptor(AgeEncryptor&&) noexcept = default;
AgeEncryptor& AgeEncryptor::operator=(AgeEncryptor&&) noexcept = default;
AgeEncryptor::~AgeEncryptor() = default;

Result<AgeEncryptor> AgeEncryptor::create(std::span<const X25519Recipient> recipients,
                                          ByteSink sink, AgeOutput output) {
    if (recipients.empty()) return fail(Errc::usage, "age: no recipients to encrypt to");
    SecureBuffer file_key(kAgeFileKeyBytes);
    randombytes_buf(file_key.data(), file_key.size());

    std::vector<age::Stanza> stanzas;
    stanzas.reserve(recipients.size());
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        auto s = age::x25519_wrap(recipients[i], file_key.span());
        if (!s) {
            return std::unexpected(std::move(s.error()).wrap(
                "wrapping the file key for recipient #" + std::to_string(i + 1)));
        }
        stanzas.push_back(std::move(*s));
    }
    std::string header = age::encode_header_for_mac(stanzas);
    const auto mac = header_mac(file_key, header);
    header += ' ';
    header += to_base64_unpadded(mac);
    header += '\n';
    std::array<unsigned char, kAgePayloadNonceBytes> nonce{};
    randombytes_buf(nonce.data(), nonce.size());

    auto st = std::make_unique<State>();
    st->sink = std::move(sink);
    if (output == AgeOutput::armored) {
        st->armor.emplace(&st->sink);
        st->out = [a = &*st->armor](ByteView b) { return a->write(b); };
    } else {
        st->out = [s = &st->sink](ByteView b) { return (*s)(b); };
    }
    st->stream.emplace(age::payload_key(file_key.span(), nonce), &st->out);
    if (auto r = st->out(as_bytes(header)); !r) return std::unexpected(std::move(r.error()));
    if (auto r = st->out(nonce); !r) return std::unexpected(std::move(r.error()));
    return AgeEncryptor(std::move(st));
}

Result<> AgeEncryptor::write(ByteView plaintext) {
    if (s_->closed) return finished_error();
    auto r = s_->stream->write(plaintext);
    if (!r) s_->closed = true;
    return r;
}

Result<> AgeEncryptor::finish() {
    if (s_->closed) return finished_error();
    s_->closed = true;
    if (auto r = s_->stream->finish(); !r) return r;
    if (s_->armor) return s_->armor->finish();
    return {};
}

Result<Bytes> age_encrypt(std::span<const X25519Recipient> recipients, ByteView plaintext,
                          AgeOutput output) {
    Bytes out;
    out.reserve(plaintext.size() + plaintext.size() / kAgeChunkBytes * kAgeTagBytes + 512);
    auto enc = AgeEncryptor::create(
        recipients,
        [&out](ByteView b) -> Result<> {
            out.insert(out.end(), b.begin(), b.end());
            return {};
        },
        output);
    if (!enc) return std::unexpected(std::move(enc.error()));
    if (auto r = enc->write(plaintext); !r) return std::unexpected(std::move(r.error()));
    if (auto r = enc->finish(); !r) return std::unexpected(std::move(r.error()));
    return out;
}

// ---------------------------------------------------------------------------------------------
// Decryption

struct AgeDecryptor::State {
    AgeIdentities ids;
    ByteSink sink;
    AgeInput input;
    enum class Phase { header, nonce, payload } phase = Phase::header;

    ByteSink release;  // the sink, noting its failures
    bool sink_failed = false;
    ByteSink binary;  // core_feed, for the armor reader
    std::optional<age::ArmorReader> armor;
    age::HeaderParser header;
    SecureBuffer file_key;
    std::array<unsigned char, kAgePayloadNonceBytes> nonce{};
    std::size_t nonce_fill = 0;
    std::optional<age::StreamReader> stream;

    AgeFailure core_failure = AgeFailure::none;
    AgeFailure failure = AgeFailure::none;
    std::optional<Error> error;
    bool finished = false;

    std::unexpected<Error> core_fail(AgeFailure kind, Error e) {
        core_failure = kind;
        return std::unexpected(std::move(e));
    }
    Result<> core_feed(ByteView in);
    Result<> core_finish();
    Result<> open_header();
    Result<> record(Result<> r);
};

Result<> AgeDecryptor::State::core_feed(ByteView in) {
    while (!in.empty()) {
        switch (phase) {
            case Phase::header: {
                auto used = header.feed(in);
                if (!used) return core_fail(AgeFailure::header, std::move(used.error()));
                in = in.subspan(*used);
                if (header.complete()) {
                    if (auto r = open_header(); !r) return r;
                    phase = Phase::nonce;
                }
                break;
            }
            case Phase::nonce: {
                const std::size_t n = std::min(in.size(), nonce.size() - nonce_fill);
                std::memcpy(nonce.data() + nonce_fill, in.data(), n);
                nonce_fill += n;
                in = in.subspan(n);
                if (nonce_fill == nonce.size()) {
                    stream.emplace(age::payload_key(file_key.span(), nonce), &release);
                    file_key = SecureBuffer();
                    phase = Phase::payload;
                }
                break;
            }
            case Phase::payload: {
                auto r = stream->feed(in);
                if (!r) return core_fail(AgeFailure::payload, std::move(r.error()));
                in = {};
                break;
            }
        }
    }
    return {};
}

Result<> AgeDecryptor::State::core_finish() {
    switch (phase) {
        case Phase::header:
            return core_fail(AgeFailure::header, header.truncated());
        case Phase::nonce:
            return core_fail(AgeFailure::header,
                             fail(Errc::corrupt, "age header: truncated payload nonce").error());
        case Phase::payload:
            if (auto r = stream->finish(); !r)
                return core_fail(AgeFailure::payload, std::move(r.error()));
            return {};
    }
    return {};
}

Result<> AgeDecryptor::State::open_header() {
    const auto& stanzas = header.stanzas();
    if (auto r = check_stanzas(stanzas); !r) {
        return core_fail(AgeFailure::header, std::move(r.error()));
    }
    SecureBuffer key(kAgeFileKeyBytes);
    auto found = unwrap_file_key(stanzas, ids, key.span());
    if (!found) return core_fail(AgeFailure::header, std::move(found.error()));
    if (!*found) return core_fail(AgeFailure::no_match, no_match_error(stanzas, ids));

    const auto mac = header_mac(key, header.mac_input());
    if (crypto_verify_32(mac.data(), header.mac().data()) != 0) {
        return core_fail(AgeFailure::header_mac,
                         fail(Errc::integrity, "age header: mac mismatch",
                              "the header was altered after the file was encrypted")
                             .error());
    }
    file_key = std::move(key);
    header.release();
    return {};
}

Result<> AgeDecryptor::State::record(Result<> r) {
    if (r) return r;
    failure = sink_failed                        ? AgeFailure::sink
              : core_failure != AgeFailure::none ? core_failure
                                                 : AgeFailure::armor;
    error = r.error();
    return r;
}

AgeDecryptor::AgeDecryptor(AgeIdentities identities, ByteSink sink, AgeInput input)
    : s_(std::make_unique<State>()) {
    s_->ids = identities;
    s_->sink = std::move(sink);
    s_->input = input;
    s_->release = [st = s_.get()](ByteView b) {
        auto r = st->sink(b);
        if (!r) st->sink_failed = true;
        return r;
    };
    s_->binary = [st = s_.get()](ByteView b) { return st->core_feed(b); };
}

AgeDecryptor::AgeDecryptor(AgeDecryptor&&) noexcept = default;
AgeDecryptor& AgeDecryptor::operator=(AgeDecryptor&&) noexcept = default;
AgeDecryptor::~AgeDecryptor() = default;

Result<> AgeDecryptor::feed(ByteView data) {
    if (s_->error) return std::unexpected(*s_->error);
    if (s_->finished) return finished_error();
    if (data.empty()) return {};
    if (s_->input == AgeInput::detect) {
        // Binary age files start with "age-encryption.org/"; the armor with its begin line,
        // possibly after whitespace.
        const char c = static_cast<char>(data[0]);
        const bool armored = c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
        s_->input = armored ? AgeInput::armored : AgeInput::binary;
    }
    if (s_->input == AgeInput::armored) {
        if (!s_->armor) s_->armor.emplace(&s_->binary);
        return s_->record(s_->armor->feed(data));
    }
    return s_->record(s_->core_feed(data));
}

Result<> AgeDecryptor::finish() {
    if (s_->error) return std::unexpected(*s_->error);
    if (s_->finished) return finished_error();
    s_->finished = true;
    if (s_->input == AgeInput::armored) {
        if (!s_->armor) s_->armor.emplace(&s_->binary);
        if (auto r = s_->record(s_->armor->finish()); !r) return r;
    }
    return s_->record(s_->core_finish());
}

std::uint64_t AgeDecryptor::released() const noexcept {
    return s_->stream ? s_->stream->released() : 0;
}

AgeFailure AgeDecryptor::failure() const noexcept {
    return s_->failure;
}

Result<SecureBuffer> age_decrypt(AgeIdentities identities, ByteView file, AgeInput input) {
    // The plaintext is never longer than the file, so one secure allocation suffices.
    SecureBuffer out(file.size());
    std::size_t size = 0;
    AgeDecryptor dec(
        identities,
        [&](ByteView b) -> Result<> {
            std::memcpy(out.data() + size, b.data(), b.size());
            size += b.size();
            return {};
        },
        input);
    if (auto r = dec.feed(file); !r) return std::unexpected(std::move(r.error()));
    if (auto r = dec.finish(); !r) return std::unexpected(std::move(r.error()));
    out.truncate(size);
    return out;
}

}  // namespace svidok::crypto
