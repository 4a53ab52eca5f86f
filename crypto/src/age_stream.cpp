// SPDX-License-Identifier: GPL-3.0-or-later
#include "age_stream.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "crypto/hkdf.h"

namespace svidok::crypto::age {

namespace {

static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == 32);
static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kAgeTagBytes);
constexpr std::size_t kChunkNonceBytes = crypto_aead_chacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kPayloadKeyBytes = crypto_aead_chacha20poly1305_ietf_KEYBYTES;

// 11-byte big-endian chunk counter || final-chunk flag. The counter is 64 bits here: 2^64
// chunks of 64 KiB cannot be reached, so the top three bytes stay zero.
std::array<unsigned char, kChunkNonceBytes> chunk_nonce(std::uint64_t counter, bool last) noexcept {
    std::array<unsigned char, kChunkNonceBytes> n{};
    store_be64(n.data() + 3, counter);
    n[11] = last ? 1 : 0;
    return n;
}

std::unexpected<Error> payload_error(std::string message) {
    return fail(Errc::integrity, "age payload: " + message,
                "the file was altered, truncated or damaged after it was encrypted");
}

}  // namespace

SecureBuffer payload_key(ByteView file_key, ByteView nonce) {
    SecureBuffer key(kPayloadKeyBytes);
    hkdf_sha256(key.span(), file_key, nonce, as_bytes("payload"));
    return key;
}

StreamWriter::StreamWriter(SecureBuffer key, const ByteSink* sink)
    : key_(std::move(key)), buf_(kSealedChunkBytes), sink_(sink) {}

Result<> StreamWriter::write(ByteView plaintext) {
    while (!plaintext.empty()) {
        // A full buffer is sealed only now that more input proves it is not the final chunk.
        if (fill_ == kAgeChunkBytes) {
            if (auto r = seal(buf_.data(), false); !r) return r;
        }
        // Whole chunks with input behind them are sealed straight from the input, saving a copy.
        if (fill_ == 0 && plaintext.size() > kAgeChunkBytes) {
            fill_ = kAgeChunkBytes;
            if (auto r = seal(plaintext.data(), false); !r) return r;
            plaintext = plaintext.subspan(kAgeChunkBytes);
            continue;
        }
        const std::size_t n = std::min(plaintext.size(), kAgeChunkBytes - fill_);
        std::memcpy(buf_.data() + fill_, plaintext.data(), n);
        fill_ += n;
        plaintext = plaintext.subspan(n);
    }
    return {};
}

Result<> StreamWriter::finish() {
    return seal(buf_.data(), true);
}

Result<> StreamWriter::seal(const unsigned char* plaintext, bool last) {
    if (counter_ == UINT64_MAX) std::abort();
    const auto nonce = chunk_nonce(counter_, last);
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(buf_.data(), buf_.data() + fill_, nullptr,
                                                       plaintext, fill_, nullptr, 0, nullptr,
                                                       nonce.data(), key_.data());
    const std::size_t sealed = fill_ + kAgeTagBytes;
    fill_ = 0;
    ++counter_;
    return (*sink_)(buf_.span().first(sealed));
}

StreamReader::StreamReader(SecureBuffer key, const ByteSink* sink)
    : key_(std::move(key)), sealed_(kSealedChunkBytes), plain_(kAgeChunkBytes), sink_(sink) {}

Result<> StreamReader::feed(ByteView ciphertext) {
    while (!ciphertext.empty()) {
        if (done_) return payload_error("data after the final chunk");
        // Whole chunks straight from the input skip the copy into the buffer.
        if (fill_ == 0 && ciphertext.size() >= kSealedChunkBytes) {
            if (auto r = open_full(ciphertext.data()); !r) return r;
            ciphertext = ciphertext.subspan(kSealedChunkBytes);
            continue;
        }
        const std::size_t n = std::min(ciphertext.size(), kSealedChunkBytes - fill_);
        std::memcpy(sealed_.data() + fill_, ciphertext.data(), n);
        fill_ += n;
        ciphertext = ciphertext.subspan(n);
        if (fill_ == kSealedChunkBytes) {
            fill_ = 0;
            if (auto r = open_full(sealed_.data()); !r) return r;
        }
    }
    return {};
}

// A full-size chunk is the final one only if it authenticates as such; trying the non-final
// nonce first matches the reference implementation, so a file whose last chunk is full opens.
// The sealed bytes are kept apart from the output because libsodium zeroes the output of a
// failed open.
Result<> StreamReader::open_full(const unsigned char* chunk) {
    for (const bool last : {false, true}) {
        const auto nonce = chunk_nonce(counter_, last);
        if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                plain_.data(), nullptr, chunk, kAgeChunkBytes, chunk + kAgeChunkBytes, nullptr, 0,
                nonce.data(), key_.data()) == 0) {
            done_ = last;
            return release(kAgeChunkBytes);
        }
    }
    return payload_error("chunk " + std::to_string(counter_) + " failed to authenticate");
}

Result<> StreamReader::finish() {
    if (done_) return {};
    if (fill_ == 0) {
        return payload_error(counter_ == 0 ? "no chunks after the header"
                                           : "truncated: the final chunk is missing");
    }
    if (fill_ < kAgeTagBytes) return payload_error("truncated chunk");
    const std::size_t n = fill_ - kAgeTagBytes;
    if (n == 0 && counter_ > 0) return payload_error("final chunk is empty");
    const auto nonce = chunk_nonce(counter_, true);
    if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(plain_.data(), nullptr, sealed_.data(),
                                                           n, sealed_.data() + n, nullptr, 0,
                                                           nonce.data(), key_.data()) != 0) {
        return payload_error("chunk " + std::to_string(counter_) + " failed to authenticate");
    }
    done_ = true;
    fill_ = 0;
    return release(n);
}

Result<> StreamReader::release(std::size_t n) {
    ++counter_;
    auto r = (*sink_)(plain_.span().first(n));
    if (r) released_ += n;
    return r;
}

}  // namespace svidok::crypto::age
