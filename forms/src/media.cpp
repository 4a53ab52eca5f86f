// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/media.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace svidok::forms {
namespace {

using crypto::ByteView;

bool has_at(ByteView s, std::size_t offset, std::string_view lit) {
    return offset <= s.size() && s.size() - offset >= lit.size() &&
           std::equal(lit.begin(), lit.end(), s.begin() + static_cast<std::ptrdiff_t>(offset),
                      [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; });
}

bool contains(ByteView s, std::string_view lit, std::size_t limit = SIZE_MAX) {
    ByteView hay = s.first(std::min(limit, s.size()));
    auto it =
        std::search(hay.begin(), hay.end(), lit.begin(), lit.end(),
                    [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
    return it != hay.end();
}

std::size_t find(ByteView s, std::string_view lit, std::size_t from) {
    if (from >= s.size()) return SIZE_MAX;
    auto it =
        std::search(s.begin() + static_cast<std::ptrdiff_t>(from), s.end(), lit.begin(), lit.end(),
                    [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
    return it == s.end() ? SIZE_MAX : static_cast<std::size_t>(it - s.begin());
}

std::uint32_t be32(ByteView s, std::size_t i) {
    return (std::uint32_t{s[i]} << 24) | (std::uint32_t{s[i + 1]} << 16) |
           (std::uint32_t{s[i + 2]} << 8) | s[i + 3];
}

std::string_view ftyp_type(ByteView s) {
    if (s.size() < 12) return "video/mp4";
    std::string_view brand(reinterpret_cast<const char*>(s.data()) + 8, 4);
    for (std::string_view b : {"heic", "heix", "heim", "heis", "hevc", "hevx"}) {
        if (brand == b) return "image/heic";
    }
    if (brand == "mif1" || brand == "msf1") return "image/heif";
    if (brand == "avif") return "image/avif";
    if (brand == "M4A " || brand == "M4B ") return "audio/mp4";
    if (brand == "qt  ") return "video/quicktime";
    if (brand.starts_with("3gp")) return "video/3gpp";
    if (brand.starts_with("3g2")) return "video/3gpp2";
    return "video/mp4";
}

/// The ODF media type a zip names in its first, stored `mimetype` entry, if any.
std::string_view odf_type(ByteView s) {
    constexpr std::string_view kPrefix = "application/vnd.oasis.opendocument.";
    if (!has_at(s, 30, "mimetype") || !has_at(s, 38, kPrefix)) return {};
    std::size_t end = 38;
    while (end < s.size() && end - 38 < 100 && s[end] >= 0x21 && s[end] < 0x7f && s[end] != 'P') {
        ++end;  // the next local header starts with "PK"
    }
    return {reinterpret_cast<const char*>(s.data()) + 38, end - 38};
}

/// Valid UTF-8 (a sequence cut by the end of the sample allowed) without NUL or control
/// characters other than tab, LF, CR and FF.
bool looks_like_text(ByteView s) {
    if (has_at(s, 0, "\xFF\xFE") || has_at(s, 0, "\xFE\xFF")) return true;
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
            if (c == 0x7f) return false;
            ++i;
            continue;
        }
        std::size_t len = (c & 0xE0) == 0xC0   ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
        if (len == 0 || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) return false;
        // The second byte's range is checked before the cut, so that a cut sequence must still
        // be the start of a valid one.
        const bool second = i + 1 < s.size();
        if (second && len == 3 &&
            ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))) {
            return false;  // overlong, or a surrogate
        }
        if (second && len == 4 &&
            ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))) {
            return false;  // overlong, or beyond U+10FFFF
        }
        for (std::size_t k = 1; k < len; ++k) {
            if (i + k >= s.size()) return true;  // cut by the sample's end
            if ((s[i + k] & 0xC0) != 0x80) return false;
        }
        i += len;
    }
    return true;
}

/// The content's type, or empty when no signature matches.
std::string_view signature_type(ByteView s) {
    if (has_at(s, 0, "\xFF\xD8\xFF")) return "image/jpeg";
    if (has_at(s, 0, "\x89PNG\r\n\x1A\n")) return "image/png";
    if (has_at(s, 0, "GIF87a") || has_at(s, 0, "GIF89a")) return "image/gif";
    if (has_at(s, 0, "RIFF")) {
        if (has_at(s, 8, "WEBP")) return "image/webp";
        if (has_at(s, 8, "WAVE")) return "audio/wav";
        if (has_at(s, 8, "AVI ")) return "video/x-msvideo";
    }
    if (has_at(s, 0, std::string_view("II\x2A\x00", 4)) ||
        has_at(s, 0, std::string_view("MM\x00\x2A", 4))) {
        return "image/tiff";
    }
    if (has_at(s, 4, "ftyp")) return ftyp_type(s);
    if (has_at(s, 0, "\x1A\x45\xDF\xA3")) {
        return contains(s, "webm", 64) ? "video/webm" : "video/x-matroska";
    }
    if (has_at(s, 0, "OggS")) return contains(s, "\x80theora", 64) ? "video/ogg" : "audio/ogg";
    if (has_at(s, 0, "fLaC")) return "audio/flac";
    if (has_at(s, 0, "#!AMR")) return "audio/amr";
    if (has_at(s, 0, "ID3")) return "audio/mpeg";
    if (s.size() >= 2 && s[0] == 0xFF && !has_at(s, 0, "\xFF\xFE")) {
        if ((s[1] & 0xE0) == 0xE0 && (s[1] & 0x06) != 0) return "audio/mpeg";
        if ((s[1] & 0xF6) == 0xF0) return "audio/aac";
    }
    if (has_at(s, 0, "%PDF-")) return "application/pdf";
    if (has_at(s, 0, "{\\rtf")) return "application/rtf";
    if (has_at(s, 0, "PK\x03\x04")) {
        auto odf = odf_type(s);
        return odf.empty() ? std::string_view("application/zip") : odf;
    }
    if (has_at(s, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return "application/x-ole-storage";
    if (has_at(s, 0, "\x1F\x8B")) return "application/gzip";
    if (has_at(s, 0, "7z\xBC\xAF\x27\x1C")) return "application/x-7z-compressed";
    if (has_at(s, 0, "Rar!\x1A\x07")) return "application/vnd.rar";
    return {};
}

constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"heic", "image/heic"},
    {"heif", "image/heif"},
    {"avif", "image/avif"},
    {"m4a", "audio/mp4"},
    {"mov", "video/quicktime"},
    {"3gp", "video/3gpp"},
    {"mp4", "video/mp4"},
    {"m4v", "video/mp4"},
    {"webm", "video/webm"},
    {"mkv", "video/x-matroska"},
    {"ogg", "audio/ogg"},
    {"oga", "audio/ogg"},
    {"opus", "audio/ogg"},
    {"ogv", "video/ogg"},
    {"flac", "audio/flac"},
    {"amr", "audio/amr"},
    {"mp3", "audio/mpeg"},
    {"aac", "audio/aac"},
    {"wav", "audio/wav"},
    {"avi", "video/x-msvideo"},
    {"pdf", "application/pdf"},
    {"rtf", "application/rtf"},
    {"zip", "application/zip"},
    {"docx", "application/zip"},
    {"xlsx", "application/zip"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"doc", "application/x-ole-storage"},
    {"xls", "application/x-ole-storage"},
    {"gz", "application/gzip"},
    {"txt", "text/plain"},
    {"csv", "text/csv"},
    {"htm", "text/html"},
    {"html", "text/html"},
    {"md", "text/markdown"},
    {"json", "application/json"},
    {"xml", "application/xml"},
};

std::string extension_of(std::string_view name) {
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return {};
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return ext;
}

std::string_view extension_type(const std::string& ext) {
    for (const auto& [e, type] : kExtensions) {
        if (e == ext) return type;
    }
    return {};
}

// --- Location data --------------------------------------------------------------------------

/// A TIFF structure (Exif) read within a sample; every offset is bounds-checked.
class Tiff {
public:
    explicit Tiff(ByteView t) : t_(t), little_(has_at(t, 0, "II")) {}

    bool valid() const {
        return t_.size() >= 8 && (has_at(t_, 0, std::string_view("II\x2A\x00", 4)) ||
                                  has_at(t_, 0, std::string_view("MM\x00\x2A", 4)));
    }

    /// Whether the GPS IFD holds a latitude or longitude that is not all zero (or cannot be
    /// read within the sample, which counts as present).
    bool has_gps() const {
        if (!valid()) return false;
        auto gps = find_tag(u32(4), 0x8825);
        if (!gps) return false;
        auto gps_ifd = entry_value(*gps);
        if (!gps_ifd) return true;  // pointer present, IFD beyond the sample
        for (std::uint16_t tag : {std::uint16_t{2}, std::uint16_t{4}}) {
            auto e = find_tag(*gps_ifd, tag);
            if (e && coordinate_present(*e)) return true;
        }
        return !ifd_readable(*gps_ifd);
    }

private:
    bool in(std::size_t offset, std::size_t n) const {
        return offset <= t_.size() && t_.size() - offset >= n;
    }
    std::uint32_t u16(std::size_t i) const {
        if (!in(i, 2)) return 0;
        return little_ ? (t_[i] | (std::uint32_t{t_[i + 1]} << 8))
                       : ((std::uint32_t{t_[i]} << 8) | t_[i + 1]);
    }
    std::uint32_t u32(std::size_t i) const {
        if (!in(i, 4)) return 0;
        return little_ ? (t_[i] | (std::uint32_t{t_[i + 1]} << 8) |
                          (std::uint32_t{t_[i + 2]} << 16) | (std::uint32_t{t_[i + 3]} << 24))
                       : be32(t_, i);
    }
    bool ifd_readable(std::size_t ifd) const { return in(ifd, 2) && in(ifd + 2, 12 * u16(ifd)); }
    /// Offset of the 12-byte entry with `tag` in the IFD at `ifd`.
    std::optional<std::size_t> find_tag(std::size_t ifd, std::uint16_t tag) const {
        if (!ifd_readable(ifd)) return std::nullopt;
        const std::size_t count = u16(ifd);
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t e = ifd + 2 + 12 * k;
            if (u16(e) == tag) return e;
        }
        return std::nullopt;
    }
    /// The entry's value as an offset, when it points inside the sample.
    std::optional<std::size_t> entry_value(std::size_t entry) const {
        const std::size_t off = u32(entry + 8);
        if (!in(off, 2)) return std::nullopt;
        return off;
    }
    bool coordinate_present(std::size_t entry) const {
        // Three RATIONALs (type 5) at the value offset; all-zero numerators mean "no fix".
        if (u16(entry + 2) != 5 || u32(entry + 4) != 3) return true;
        const std::size_t off = u32(entry + 8);
        if (!in(off, 24)) return true;
        return u32(off) != 0 || u32(off + 8) != 0 || u32(off + 16) != 0;
    }

    ByteView t_;
    bool little_;
};

bool exif_block_has_gps(ByteView data) {
    if (has_at(data, 0, std::string_view("Exif\0\0", 6))) data = data.subspan(6);
    return Tiff(data).has_gps();
}

bool jpeg_location(ByteView s) {
    std::size_t i = 2;
    while (i + 4 <= s.size()) {
        if (s[i] != 0xFF) return false;
        const unsigned char m = s[i + 1];
        if (m == 0xFF) {
            ++i;  // fill byte
            continue;
        }
        if (m == 0xD9 || m == 0xDA) return false;  // end of image, start of scan
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            i += 2;
            continue;
        }
        const std::size_t len = (std::size_t{s[i + 2]} << 8) | s[i + 3];
        if (len < 2) return false;
        const std::size_t end = std::min(s.size(), i + 2 + len);
        if (m == 0xE1 && exif_block_has_gps(s.subspan(i + 4, end - (i + 4)))) return true;
        i += 2 + len;
    }
    return false;
}

bool png_location(ByteView s) {
    std::size_t i = 8;
    while (i + 8 <= s.size()) {
        const std::size_t len = be32(s, i);
        const std::size_t start = i + 8;
        if (has_at(s, i + 4, "IEND")) return false;
        const std::size_t end = std::min(s.size(), start + std::min<std::size_t>(len, s.size()));
        if (has_at(s, i + 4, "eXIf") && Tiff(s.subspan(start, end - start)).has_gps()) return true;
        if (len > s.size()) return false;
        i = start + len + 4;  // data, CRC
    }
    return false;
}

bool webp_location(ByteView s) {
    std::size_t i = 12;
    while (i + 8 <= s.size()) {
        const std::size_t len = s[i + 4] | (std::size_t{s[i + 5]} << 8) |
                                (std::size_t{s[i + 6]} << 16) | (std::size_t{s[i + 7]} << 24);
        const std::size_t start = i + 8;
        const std::size_t end = std::min(s.size(), start + std::min(len, s.size()));
        if (has_at(s, i, "EXIF") && exif_block_has_gps(s.subspan(start, end - start))) return true;
        if (len > s.size()) return false;
        i = start + len + (len & 1);
    }
    return false;
}

/// HEIF and AVIF keep Exif in an item that may sit anywhere; look for an Exif block that is
/// followed by a TIFF header.
bool heif_location(ByteView s) {
    for (std::size_t at = find(s, std::string_view("Exif\0\0", 6), 0); at != SIZE_MAX;
         at = find(s, std::string_view("Exif\0\0", 6), at + 1)) {
        if (Tiff(s.subspan(at + 6)).has_gps()) return true;
    }
    return false;
}

bool has_location(ByteView s, std::string_view type) {
    if (!type.starts_with("image/")) return false;
    if (contains(s, "GPSLatitude") || contains(s, "GPSLongitude")) return true;  // XMP
    if (type == "image/jpeg") return jpeg_location(s);
    if (type == "image/png") return png_location(s);
    if (type == "image/webp") return webp_location(s);
    if (type == "image/tiff") return Tiff(s).has_gps();
    if (type == "image/heic" || type == "image/heif" || type == "image/avif") {
        return heif_location(s);
    }
    return false;
}

}  // namespace

MediaInspection inspect_media(ByteView sample, std::string_view file_name) {
    sample = sample.first(std::min(sample.size(), kMediaSampleBytes));
    const std::string ext = extension_of(file_name);
    const std::string_view by_name = extension_type(ext);
    MediaInspection out;
    std::string_view type = signature_type(sample);
    if (type.empty()) {
        if (!sample.empty() && looks_like_text(sample)) {
            const bool refine = by_name.starts_with("text/") || by_name == "application/json" ||
                                by_name == "application/xml";
            type = refine ? by_name : std::string_view("text/plain");
        } else {
            type = "application/octet-stream";
        }
    }
    out.media_type = type;
    if (!by_name.empty() && by_name != type) out.name_suggests = std::string(by_name);
    out.location = has_location(sample, type);
    return out;
}

std::string_view extension_for(std::string_view media_type) noexcept {
    for (const auto& [e, type] : kExtensions) {
        if (type == media_type) return e;
    }
    return {};
}

}  // namespace svidok::forms
