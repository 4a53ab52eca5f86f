// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/secure_buffer.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <utility>

namespace svidok::crypto {

SecureBuffer::SecureBuffer(std::size_t size) : size_(size), capacity_(size) {
    // sodium_malloc(0) is allowed but we keep one byte so data() is never null.
    data_ = static_cast<unsigned char*>(sodium_malloc(size == 0 ? 1 : size));
    if (data_ == nullptr) std::abort();
    sodium_memzero(data_, size == 0 ? 1 : size);
}

SecureBuffer SecureBuffer::copy_of(std::span<const unsigned char> bytes) {
    SecureBuffer b(bytes.size());
    if (!bytes.empty()) std::memcpy(b.data_, bytes.data(), bytes.size());
    return b;
}

SecureBuffer SecureBuffer::copy_of(std::span<const std::byte> bytes) {
    return copy_of(std::span<const unsigned char>(
        reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
    if (this != &other) {
        if (data_ != nullptr) sodium_free(data_);  // sodium_free zeroes before unmapping
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

SecureBuffer::~SecureBuffer() {
    if (data_ != nullptr) sodium_free(data_);
}

void SecureBuffer::truncate(std::size_t new_size) noexcept {
    if (new_size >= size_) return;
    sodium_memzero(data_ + new_size, size_ - new_size);
    size_ = new_size;
}

bool SecureBuffer::equals(std::span<const unsigned char> other) const noexcept {
    if (other.size() != size_) return false;
    if (size_ == 0) return true;
    return sodium_memcmp(data_, other.data(), size_) == 0;
}

void wipe(std::span<unsigned char> bytes) noexcept {
    if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

}  // namespace svidok::crypto
