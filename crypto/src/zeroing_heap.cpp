// SPDX-License-Identifier: GPL-3.0-or-later
// Every C++ heap block is wiped when it is freed. Testimony passes through ordinary
// std::string and std::vector on its way between the database, the form model and the window
// (JSON text, parsed answers, rows of the list); keys never do (they live in SecureBuffer).
// Without this, what a record said stays readable in freed heap memory after the vault is
// locked, until the allocator happens to reuse it. glibc's M_PERTURB does not help: blocks freed
// into its per-thread cache are not filled. Replacing the global operators is the one place that
// covers every container of every layer.
//
// The replacements live in the crypto library. harden_process() calls zeroing_heap_linked()
// below, which makes the linker take this file into every binary that starts through it, and
// definitions in the executable take precedence over the C++ runtime's (and over a sanitizer
// runtime's, whose malloc and free still check every block). malloc_usable_size gives the whole
// block, including the slack past what was asked for that a growing string may have written.

#include <malloc.h>
#include <sodium.h>

#include <cstdlib>
#include <new>

#include "crypto/runtime.h"

namespace {

void* allocate(std::size_t size) noexcept {
    return std::malloc(size == 0 ? 1 : size);
}

void* allocate_aligned(std::size_t size, std::align_val_t align) noexcept {
    const auto a = static_cast<std::size_t>(align);
    const std::size_t rounded = ((size == 0 ? 1 : size) + a - 1) / a * a;
    return std::aligned_alloc(a, rounded);
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    sodium_memzero(p, malloc_usable_size(p));
    std::free(p);
}

[[noreturn]] void out_of_memory() {
    throw std::bad_alloc();
}

}  // namespace

bool svidok::crypto::zeroing_heap_linked() noexcept {
    return true;
}

void* operator new(std::size_t size) {
    if (void* p = allocate(size)) return p;
    out_of_memory();
}
void* operator new[](std::size_t size) {
    if (void* p = allocate(size)) return p;
    out_of_memory();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
    if (void* p = allocate_aligned(size, align)) return p;
    out_of_memory();
}
void* operator new[](std::size_t size, std::align_val_t align) {
    if (void* p = allocate_aligned(size, align)) return p;
    out_of_memory();
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, align);
}

void operator delete(void* p) noexcept {
    release(p);
}
void operator delete[](void* p) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    release(p);
}
