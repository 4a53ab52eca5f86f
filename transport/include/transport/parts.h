// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Resumable files over any mailbox (docs/FORMAT.md 14.3): a file larger than the part size
// travels as parts and a part list published last; every upload goes to "<name>.tmp" and is
// renamed into place, so a reader never sees a half file and a cut run repeats at most one part.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "transport/mailbox.h"

namespace svidok::transport {

/// The part size P of docs/FORMAT.md 14.3, and the range a reader accepts.
inline constexpr std::uint64_t kPartBytes = 4ull << 20;
inline constexpr std::uint64_t kMinPartBytes = 64ull << 10;
inline constexpr std::uint64_t kMaxPartBytes = 64ull << 20;
/// A part list larger than this is refused.
inline constexpr std::uint64_t kMaxPartListBytes = 1ull << 20;
inline constexpr std::string_view kPartListSuffix = ".parts";
inline constexpr std::string_view kTempSuffix = ".tmp";

/// The part list of a file (docs/FORMAT.md 14.3).
struct PartList {
    std::uint64_t size = 0;
    std::uint64_t part_bytes = 0;
    crypto::Sha256Digest sha256{};
    std::vector<crypto::Sha256Digest> parts;
};
[[nodiscard]] std::string format_part_list(const PartList& list);
/// Errc::corrupt "transport.bad_part_list" for anything but the exact format and its limits.
[[nodiscard]] Result<PartList> parse_part_list(std::string_view text);
/// "<name>.p00042"
[[nodiscard]] std::string part_name(std::string_view name, std::uint64_t index);

/// A file a directory listing shows as published: whole under `name`, or its part list in place.
struct Published {
    std::string name;
    bool in_parts = false;
};
/// The published files of a listing, by name (a name both whole and in parts counts once, whole).
[[nodiscard]] std::vector<Published> published(const std::vector<std::string>& listing);

struct SendResult {
    bool already_published = false;
    std::uint64_t parts = 0;       // 1 for a whole file
    std::uint64_t parts_sent = 0;  // parts uploaded by this call (the others were in place)
    std::uint64_t bytes_sent = 0;
};
/// Publishes `local` as `dir/name`; `listing` is what list(dir) gave. Skips what is already in
/// place, so a call after a cut one sends only the missing parts. `part_bytes` is kPartBytes
/// except in tests.
[[nodiscard]] Result<SendResult> send_file(Mailbox& mailbox, const std::filesystem::path& local,
                                           std::string_view dir, std::string_view name,
                                           const std::vector<std::string>& listing,
                                           std::uint64_t part_bytes = kPartBytes);

struct FetchResult {
    std::filesystem::path file;  // spool/name, complete and checked against its part list
    std::uint64_t bytes_fetched = 0;
};
/// Fetches the published `dir/<file.name>` into `spool/<file.name>`, keeping checked parts and a
/// cut download's bytes in `spool` so that the next call resumes. Refuses more than `max_bytes`
/// in all (Errc::invalid "transport.too_large"). Errc::integrity "transport.bad_part" when a part
/// or the whole file does not match its list twice.
[[nodiscard]] Result<FetchResult> fetch_file(Mailbox& mailbox, std::string_view dir,
                                             const Published& file,
                                             const std::filesystem::path& spool,
                                             std::uint64_t max_bytes);

/// Moves a published file (its list first, then its parts; or the whole file) from `dir` to
/// `to_dir`, which must exist; `listing` is what list(dir) gave.
[[nodiscard]] Result<> move_published(Mailbox& mailbox, std::string_view dir, const Published& file,
                                      std::string_view to_dir,
                                      const std::vector<std::string>& listing);

}  // namespace svidok::transport
