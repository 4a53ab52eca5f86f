// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What an attached file is, from its first bytes (docs/FORMAT.md sections 11.5 and 11.6): its
// media type, decided by content rather than name, and whether an image carries location data.
// Pure functions over a sample; the caller reads the file.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/encoding.h"

namespace svidok::forms {

/// How many leading bytes of a file the inspection looks at.
inline constexpr std::size_t kMediaSampleBytes = 262144;

struct MediaInspection {
    std::string media_type;  // IANA type, lower case
    /// The type the file name's extension suggests, when it is a known one that differs from
    /// the content's (the content decides; this is only worth telling the person).
    std::optional<std::string> name_suggests;
    /// Exif GPS coordinates or XMP location found in an image.
    bool location = false;
};

/// Inspects `sample` (the first kMediaSampleBytes of the file, or all of a shorter file) of a
/// file named `file_name`.
[[nodiscard]] MediaInspection inspect_media(crypto::ByteView sample, std::string_view file_name);

/// The usual file name extension of `media_type` without the dot ("jpg" for image/jpeg), from
/// the same table inspect_media() reads names with; empty for a type it does not know.
[[nodiscard]] std::string_view extension_for(std::string_view media_type) noexcept;

}  // namespace svidok::forms
