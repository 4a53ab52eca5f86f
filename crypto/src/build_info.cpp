// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/build_info.h"

#include <elf.h>
#include <link.h>

#include <cstdint>
#include <cstring>

#include "svidok_version.h"

namespace svidok::crypto {
namespace {

// dl_iterate_phdr visits the main executable first (empty name); its PT_NOTE segments are
// mapped, so the build-id is read from memory, not from /proc/self/exe.
int find_build_id(dl_phdr_info* info, std::size_t, void* out) {
    auto& hex = *static_cast<std::string*>(out);
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_NOTE) continue;
        const auto* p = reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
        const unsigned char* end = p + ph.p_memsz;
        // Each note: namesz, descsz, type (4 bytes each), then name and desc, 4-aligned.
        while (end - p >= static_cast<std::ptrdiff_t>(sizeof(ElfW(Nhdr)))) {
            ElfW(Nhdr) n;
            std::memcpy(&n, p, sizeof n);
            const std::size_t name_len = (n.n_namesz + 3u) & ~3u;
            const std::size_t desc_len = (n.n_descsz + 3u) & ~3u;
            const unsigned char* name = p + sizeof n;
            if (static_cast<std::size_t>(end - name) < name_len + desc_len) break;
            if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 &&
                std::memcmp(name, "GNU", 4) == 0) {
                constexpr char digits[] = "0123456789abcdef";
                for (std::uint32_t k = 0; k < n.n_descsz; ++k) {
                    const unsigned char b = name[name_len + k];
                    hex += digits[b >> 4];
                    hex += digits[b & 15];
                }
                return 1;
            }
            p = name + name_len + desc_len;
        }
    }
    return 1;  // only the main executable counts
}

}  // namespace

std::string_view build_version() noexcept {
    return SVIDOK_VERSION;
}

std::string_view build_commit() noexcept {
    return SVIDOK_COMMIT;
}

std::string build_id() {
    std::string hex;
    dl_iterate_phdr(find_build_id, &hex);
    return hex;
}

std::string version_text(std::string_view program) {
    std::string id = build_id();
    std::string out;
    out.append(program).append(" ").append(build_version()).append("\ncommit ");
    out.append(build_commit()).append("\nbuild ").append(id.empty() ? "none" : id).append("\n");
    return out;
}

}  // namespace svidok::crypto
