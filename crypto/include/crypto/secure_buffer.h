// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SecureBuffer holds keys, passphrases and any other secret: memory from sodium_malloc (guard
// pages, canary, mlock where the system allows), zeroed by sodium_free. It is move-only and
// exposes spans only, so a secret never silently turns into a std::string copy.

#include <cstddef>
#include <span>
#include <string_view>

namespace svidok::crypto {

class SecureBuffer {
public:
    SecureBuffer() noexcept = default;
    /// Allocates `size` zeroed bytes. Aborts if the allocation fails (out of locked memory is
    /// a bug in how many secrets we keep, not an input error).
    explicit SecureBuffer(std::size_t size);
    /// Copies `bytes` into a new secure allocation.
    static SecureBuffer copy_of(std::span<const std::byte> bytes);
    static SecureBuffer copy_of(std::span<const unsigned char> bytes);

    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;
    SecureBuffer(SecureBuffer&& other) noexcept;
    SecureBuffer& operator=(SecureBuffer&& other) noexcept;
    ~SecureBuffer();

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] unsigned char* data() noexcept { return data_; }
    [[nodiscard]] const unsigned char* data() const noexcept { return data_; }
    [[nodiscard]] std::span<unsigned char> span() noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<const unsigned char> span() const noexcept { return {data_, size_}; }
    /// A view for APIs that take text (for example a passphrase to Argon2id). The view is only
    /// valid while the buffer lives; never copy it into a std::string.
    [[nodiscard]] std::string_view view() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }

    /// Shrinks the visible size (the tail is zeroed); used when a passphrase read into a larger
    /// buffer turns out shorter. Never grows.
    void truncate(std::size_t new_size) noexcept;

    /// Constant-time equality.
    [[nodiscard]] bool equals(std::span<const unsigned char> other) const noexcept;

private:
    unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

/// Zeroes a stack temporary; the compiler may not elide it.
void wipe(std::span<unsigned char> bytes) noexcept;

}  // namespace svidok::crypto
