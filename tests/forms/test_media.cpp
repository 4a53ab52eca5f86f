// SPDX-License-Identifier: GPL-3.0-or-later
// Media type and location detection (docs/FORMAT.md sections 11.5 and 11.6): every row of the
// media type table from a minimal sample built here, the content deciding over the name, Exif
// GPS and XMP location in JPEG, PNG, WebP, TIFF and HEIF (and never in audio or documents), and
// hostile input: every truncation, absurd lengths and offsets, and seeded random samples.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "forms/media.h"

using namespace svidok;
using namespace svidok::forms;
using namespace std::string_view_literals;

namespace {

/// A byte buffer built by appending; every append returns the buffer for chaining.
struct Bytes {
    std::vector<unsigned char> v;

    Bytes() = default;
    Bytes(std::string_view s) { str(s); }  // NOLINT(google-explicit-constructor)
    Bytes& str(std::string_view s) {
        v.insert(v.end(), s.begin(), s.end());
        return *this;
    }
    Bytes& add(const Bytes& b) {
        v.insert(v.end(), b.v.begin(), b.v.end());
        return *this;
    }
    Bytes& zeros(std::size_t n) {
        v.resize(v.size() + n, 0);
        return *this;
    }
    Bytes& byte(std::uint64_t x) {
        v.push_back(static_cast<unsigned char>(x & 0xFF));
        return *this;
    }
    Bytes& le16(std::uint64_t x) { return byte(x).byte(x >> 8); }
    Bytes& be16(std::uint64_t x) { return byte(x >> 8).byte(x); }
    Bytes& le32(std::uint64_t x) { return le16(x).le16(x >> 16); }
    Bytes& be32(std::uint64_t x) { return be16(x >> 16).be16(x); }
    Bytes& u16(bool little, std::uint64_t x) { return little ? le16(x) : be16(x); }
    Bytes& u32(bool little, std::uint64_t x) { return little ? le32(x) : be32(x); }
    [[nodiscard]] std::size_t size() const { return v.size(); }
};

/// Inspects the first `n` bytes of `b` from a heap buffer of exactly `n` bytes, so that ASan
/// reports any read past the sample.
MediaInspection inspect_prefix(const Bytes& b, std::size_t n, std::string_view name = "file") {
    auto exact = std::make_unique<unsigned char[]>(n == 0 ? 1 : n);
    if (n != 0) std::memcpy(exact.get(), b.v.data(), n);
    return inspect_media(crypto::ByteView(exact.get(), n), name);
}

MediaInspection inspect(const Bytes& b, std::string_view name = "file") {
    return inspect_prefix(b, b.size(), name);
}

std::string type_of(const Bytes& b, std::string_view name = "file") {
    return inspect(b, name).media_type;
}

// --- Exif and the containers that carry it ---------------------------------------------------

struct Gps {
    bool little = true;
    bool pointer = true;        // IFD0 has tag 0x8825
    bool zero = false;          // all coordinate numerators zero
    std::uint32_t gps_at = 26;  // where the pointer says the GPS IFD is
};

/// A TIFF structure: header, IFD0 with one entry (the GPS IFD pointer, or Orientation), a GPS
/// IFD at 26 with GPSLatitudeRef, GPSLatitude and GPSLongitude, and their rationals at 68, 92.
Bytes tiff(Gps g = {}) {
    const bool le = g.little;
    Bytes t(le ? "II\x2A\0"sv : "MM\0\x2A"sv);
    t.u32(le, 8);
    t.u16(le, 1);
    if (g.pointer) {
        t.u16(le, 0x8825).u16(le, 4).u32(le, 1).u32(le, g.gps_at);
    } else {
        t.u16(le, 0x0112).u16(le, 3).u32(le, 1).u16(le, 1).u16(le, 0);  // Orientation
    }
    t.u32(le, 0);  // no next IFD
    REQUIRE(t.size() == 26);
    t.u16(le, 3);
    t.u16(le, 1).u16(le, 2).u32(le, 2).str("N\0\0\0"sv);  // GPSLatitudeRef, ASCII, inline
    t.u16(le, 2).u16(le, 5).u32(le, 3).u32(le, 68);       // GPSLatitude, 3 RATIONAL
    t.u16(le, 4).u16(le, 5).u32(le, 3).u32(le, 92);       // GPSLongitude, 3 RATIONAL
    t.u32(le, 0);
    REQUIRE(t.size() == 68);
    for (std::uint32_t deg : {50u, 27u, 0u, 30u, 31u, 0u}) t.u32(le, g.zero ? 0 : deg).u32(le, 1);
    REQUIRE(t.size() == 116);
    return t;
}

Bytes exif(Gps g = {}) {
    return Bytes("Exif\0\0"sv).add(tiff(g));
}

Bytes xmp(std::string_view attributes) {
    return Bytes("http://ns.adobe.com/xap/1.0/\0"sv)
        .str(R"(<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description )")
        .str(attributes)
        .str("/></rdf:RDF></x:xmpmeta>");
}

Bytes jpeg_segment(unsigned char marker, const Bytes& payload) {
    return Bytes().byte(0xFF).byte(marker).be16(payload.size() + 2).add(payload);
}

/// SOI, a JFIF APP0, the given segments, a start of scan with two bytes of data, EOI.
Bytes jpeg(const std::vector<Bytes>& segments = {}) {
    Bytes j("\xFF\xD8"sv);
    j.add(jpeg_segment(0xE0, Bytes("JFIF\0\x01\x01\0\0\x01\0\x01\0\0"sv)));
    for (const auto& s : segments) j.add(s);
    return j.add(jpeg_segment(0xDA, Bytes("\x01\x01\0\0\x3F\0"sv))).str("\x12\x34\xFF\xD9"sv);
}

Bytes jpeg_exif(Gps g = {}) {
    return jpeg({jpeg_segment(0xE1, exif(g))});
}

Bytes png_chunk(std::string_view type, const Bytes& data) {
    return Bytes().be32(data.size()).str(type).add(data).be32(0);  // CRC is not checked
}

Bytes png(const std::vector<Bytes>& chunks) {
    Bytes p("\x89PNG\r\n\x1A\n"sv);
    p.add(png_chunk("IHDR", Bytes().be32(1).be32(1).str("\x08\x02\0\0\0"sv)));
    for (const auto& c : chunks) p.add(c);
    return p.add(png_chunk("IDAT", Bytes("\x78\x9C"sv))).add(png_chunk("IEND", {}));
}

Bytes riff_chunk(std::string_view id, const Bytes& data) {
    Bytes c = Bytes(id).le32(data.size()).add(data);
    return data.size() % 2 ? c.zeros(1) : c;
}

Bytes webp(const Bytes& exif_data) {
    Bytes body("WEBP"sv);
    body.add(riff_chunk("VP8X", Bytes("\x08\0\0\0"sv).zeros(6)));  // EXIF flag, 1x1
    body.add(riff_chunk("EXIF", exif_data));
    return Bytes("RIFF"sv).le32(body.size()).add(body);
}

Bytes ftyp(std::string_view brand) {
    return Bytes().be32(24).str("ftyp").str(brand).be32(0).str("mif1").str(brand);
}

/// An HEIC file whose Exif item (a 4-byte TIFF header offset, "Exif\0\0", TIFF) sits in mdat.
Bytes heic(Gps g = {}) {
    Bytes h = ftyp("heic");
    h.be32(16).str("meta").zeros(8);
    Bytes item = Bytes().be32(6).add(exif(g));
    return h.be32(item.size() + 8).str("mdat").add(item);
}

/// A local zip header (stored, no extra field) for `name` followed by `data`.
Bytes zip_entry(std::string_view name, std::string_view data) {
    Bytes z("PK\x03\x04"sv);
    z.le16(20).le16(0).le16(0).le16(0).le16(0).le32(0).le32(data.size()).le32(data.size());
    z.le16(name.size()).le16(0);
    REQUIRE(z.size() == 30);
    return z.str(name).str(data);
}

}  // namespace

// --- 11.5 media types ------------------------------------------------------------------------

TEST_CASE("every row of the media type table is recognised from its first bytes") {
    const std::string_view odt = "application/vnd.oasis.opendocument.text";
    const std::string_view ods = "application/vnd.oasis.opendocument.spreadsheet";
    const Bytes zip_next = zip_entry("content.xml", "<office:document-content/>");
    const struct {
        Bytes sample;
        std::string_view type;
    } rows[] = {
        {Bytes("\xFF\xD8\xFF\xE0"sv), "image/jpeg"},
        {jpeg(), "image/jpeg"},
        {png({}), "image/png"},
        {Bytes("GIF87a\x01\0\x01\0"sv), "image/gif"},
        {Bytes("GIF89a\x01\0\x01\0"sv), "image/gif"},
        {Bytes("RIFF\x24\0\0\0WEBPVP8 "sv), "image/webp"},
        {Bytes("RIFF\x24\0\0\0WAVEfmt "sv), "audio/wav"},
        {Bytes("RIFF\x24\0\0\0AVI LIST"sv), "video/x-msvideo"},
        {Bytes("RIFF\x24\0\0\0XXXX"sv), "application/octet-stream"},
        {Bytes("II\x2A\0\x08\0\0\0"sv), "image/tiff"},
        {Bytes("MM\0\x2A\0\0\0\x08"sv), "image/tiff"},
        {Bytes("II\0\x2A"sv), "application/octet-stream"},
        {ftyp("heic"), "image/heic"},
        {ftyp("heix"), "image/heic"},
        {ftyp("heim"), "image/heic"},
        {ftyp("heis"), "image/heic"},
        {ftyp("hevc"), "image/heic"},
        {ftyp("hevx"), "image/heic"},
        {ftyp("mif1"), "image/heif"},
        {ftyp("msf1"), "image/heif"},
        {ftyp("avif"), "image/avif"},
        {ftyp("M4A "), "audio/mp4"},
        {ftyp("M4B "), "audio/mp4"},
        {ftyp("qt  "), "video/quicktime"},
        {ftyp("3gp4"), "video/3gpp"},
        {ftyp("3gp5"), "video/3gpp"},
        {ftyp("3g2a"), "video/3gpp2"},
        {ftyp("isom"), "video/mp4"},
        {ftyp("mp42"), "video/mp4"},
        {ftyp("M4V "), "video/mp4"},
        {Bytes("\0\0\0\x08"
               "ftyp"sv),
         "video/mp4"},  // no brand at all
        {Bytes("\x1A\x45\xDF\xA3\x9F\x42\x82\x88matroska"sv), "video/x-matroska"},
        {Bytes("\x1A\x45\xDF\xA3\x9F\x42\x82\x84webm"sv), "video/webm"},
        {Bytes("\x1A\x45\xDF\xA3"sv).zeros(60).str("webm"), "video/x-matroska"},  // past 64
        {Bytes("OggS\0\x02"sv).zeros(22).str("\x01vorbis"), "audio/ogg"},
        {Bytes("OggS\0\x02"sv).zeros(22).str("OpusHead"), "audio/ogg"},
        {Bytes("OggS\0\x02"sv).zeros(22).str("\x80theora"), "video/ogg"},
        {Bytes("fLaC\0\0\0\x22"sv), "audio/flac"},
        {Bytes("#!AMR\n"sv), "audio/amr"},
        {Bytes("ID3\x04\0\0\0\0\0\0"sv), "audio/mpeg"},
        {Bytes("\xFF\xFB\x90\x64"sv), "audio/mpeg"},                // MPEG-1 layer III
        {Bytes("\xFF\xF3\x48\xC4"sv), "audio/mpeg"},                // MPEG-2 layer III
        {Bytes("\xFF\xF1\x50\x80"sv), "audio/aac"},                 // ADTS, MPEG-4
        {Bytes("\xFF\xF9\x50\x80"sv), "audio/aac"},                 // ADTS, MPEG-2
        {Bytes("\xFF\xE0\x00\x00"sv), "application/octet-stream"},  // layer bits zero
        {Bytes("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"sv), "application/pdf"},
        {Bytes("{\\rtf1\\ansi "sv), "application/rtf"},
        {zip_entry("mimetype", odt).add(zip_next), odt},
        {zip_entry("mimetype", ods).add(zip_next), ods},
        {zip_entry("mimetype", odt), odt},  // sample ends with the mimetype
        {zip_entry("mimetype", "application/epub+zip").add(zip_next), "application/zip"},
        {zip_entry("[Content_Types].xml", "<?xml version=\"1.0\"?>"), "application/zip"},
        {Bytes("PK\x03\x04"sv), "application/zip"},
        {Bytes("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv).zeros(8), "application/x-ole-storage"},
        {Bytes("\x1F\x8B\x08\0\0\0\0\0"sv), "application/gzip"},
        {Bytes("7z\xBC\xAF\x27\x1C\0\x04"sv), "application/x-7z-compressed"},
        {Bytes("Rar!\x1A\x07\0"sv), "application/vnd.rar"},
        {Bytes("Rar!\x1A\x07\x01\0"sv), "application/vnd.rar"},
    };
    for (std::size_t i = 0; i < std::size(rows); ++i) {
        const auto& row = rows[i];
        CAPTURE(i);
        CAPTURE(row.type);
        const auto r = inspect(row.sample);
        CHECK(r.media_type == row.type);
        CHECK_FALSE(r.name_suggests.has_value());
        CHECK_FALSE(r.location);
    }
}

TEST_CASE("text is valid UTF-8 without control characters, refined by the extension") {
    const Bytes cyrillic("Свідок: повістка до ТЦК, 21.11.2026\n"sv);
    CHECK(type_of(Bytes("hello, world\n"sv)) == "text/plain");
    CHECK(type_of(cyrillic) == "text/plain");
    CHECK(type_of(Bytes("a\tb\r\n\fc"sv)) == "text/plain");
    CHECK(type_of(Bytes("emoji \xF0\x9F\x93\xB7 ok"sv)) == "text/plain");
    CHECK(type_of(Bytes("\xFF\xFE"
                        "h\0i\0"sv)) == "text/plain");          // UTF-16 LE byte-order mark
    CHECK(type_of(Bytes("\xFE\xFF\0h\0i"sv)) == "text/plain");  // UTF-16 BE byte-order mark

    SUBCASE("a sequence cut by the end of the sample is still text") {
        CHECK(type_of(Bytes("Сві\xD0"sv)) == "text/plain");
        CHECK(type_of(Bytes("photo \xF0\x9F\x93"sv)) == "text/plain");
        CHECK(type_of(Bytes("photo \xF0\x9F"sv)) == "text/plain");
        CHECK(type_of(Bytes("photo \xE2\x80"sv)) == "text/plain");
    }
    SUBCASE("anything else is application/octet-stream") {
        for (std::string_view bad :
             {"abc\0def"sv, "abc\x01"sv, "abc\x1B[0m"sv, "abc\x7F"sv,
              "\x80"
              "abc"sv,
              "abc\xC3(x"sv, "\xC0\xAF"sv, "\xC1\xBF"sv, "\xE0\x80\xAF"sv, "\xED\xA0\x80"sv,
              "\xF0\x80\x80\xAF"sv, "\xF4\x90\x80\x80"sv, "\xF5\x80\x80\x80"sv, "\xF8\x88"sv,
              "abc\xE2"
              "x"sv,
              // cut, but already no valid sequence's start
              "abc\xE0\x80"sv, "abc\xED\xA0"sv, "abc\xF0\x8F"sv, "abc\xF4\x90"sv}) {
            CAPTURE(crypto::to_hex(crypto::as_bytes(bad)));
            CHECK(type_of(Bytes(bad)) == "application/octet-stream");
        }
        CHECK(type_of(Bytes()) == "application/octet-stream");
    }
    SUBCASE("extensions refine plain text") {
        const Bytes t("id,name\n1,Київ\n"sv);
        CHECK(type_of(t, "list.csv") == "text/csv");
        CHECK(type_of(t, "LIST.CSV") == "text/csv");
        CHECK(type_of(t, "data.json") == "application/json");
        CHECK(type_of(t, "notes.md") == "text/markdown");
        CHECK(type_of(t, "page.html") == "text/html");
        CHECK(type_of(t, "page.htm") == "text/html");
        CHECK(type_of(t, "feed.xml") == "application/xml");
        CHECK(type_of(t, "notes.txt") == "text/plain");
        const auto r = inspect(t, "list.csv");
        CHECK_FALSE(r.name_suggests.has_value());
    }
    SUBCASE("only the first 262144 bytes are looked at") {
        Bytes big;
        big.v.assign(kMediaSampleBytes, 'a');
        big.str("\0\x01\x02"sv);
        CHECK(type_of(big) == "text/plain");
        big.v[kMediaSampleBytes - 1] = 0;
        CHECK(type_of(big) == "application/octet-stream");
    }
}

TEST_CASE("the content decides; the name only suggests") {
    const Bytes pdf("%PDF-1.4\n"sv);
    auto r = inspect(pdf, "photo.jpg");
    CHECK(r.media_type == "application/pdf");
    REQUIRE(r.name_suggests.has_value());
    CHECK(*r.name_suggests == "image/jpeg");

    for (std::string_view same : {"photo.JPG", "photo.jpeg", "IMG_0001.Jpg"}) {
        CAPTURE(same);
        r = inspect(jpeg(), same);
        CHECK(r.media_type == "image/jpeg");
        CHECK_FALSE(r.name_suggests.has_value());
    }
    // Unknown extension, none, a hidden file's name, a trailing dot: nothing to suggest.
    for (std::string_view name : {"scan.xyz", "README", ".hidden", ".pdf", "scan.pdf.", ""}) {
        CAPTURE(name);
        r = inspect(jpeg(), name);
        CHECK(r.media_type == "image/jpeg");
        CHECK_FALSE(r.name_suggests.has_value());
    }
    CHECK_FALSE(inspect(Bytes("\x1F\x8B\x08"sv), "logs.tar.gz").name_suggests.has_value());
    CHECK_FALSE(
        inspect(zip_entry("word/document.xml", "<w/>"), "letter.docx").name_suggests.has_value());

    r = inspect(Bytes("\0\x01\x02"sv), "table.csv");
    CHECK(r.media_type == "application/octet-stream");
    CHECK(r.name_suggests == std::optional<std::string>("text/csv"));
    r = inspect(Bytes(), "notes.txt");
    CHECK(r.media_type == "application/octet-stream");
    CHECK(r.name_suggests == std::optional<std::string>("text/plain"));
    r = inspect(Bytes("just text"sv), "photo.png");
    CHECK(r.media_type == "text/plain");
    CHECK(r.name_suggests == std::optional<std::string>("image/png"));
    r = inspect(zip_entry("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), "a.odt");
    CHECK(r.name_suggests == std::optional<std::string>("application/vnd.oasis.opendocument.text"));
}

// --- 11.6 location data ----------------------------------------------------------------------

TEST_CASE("Exif GPS coordinates in images are found, little- and big-endian") {
    for (bool little : {true, false}) {
        CAPTURE(little);
        const Gps g{.little = little};
        const Gps zero{.little = little, .zero = true};
        const Gps none{.little = little, .pointer = false};

        auto r = inspect(jpeg_exif(g), "photo.jpg");
        CHECK(r.media_type == "image/jpeg");
        CHECK(r.location);
        CHECK_FALSE(inspect(jpeg_exif(zero)).location);  // (b) 0/1 0/1 0/1: no fix
        CHECK_FALSE(inspect(jpeg_exif(none)).location);  // (c) no GPS IFD pointer
        CHECK(inspect(jpeg({jpeg_segment(0xE1, xmp("x=\"1\"")), jpeg_segment(0xE1, exif(g))}))
                  .location);  // the Exif APP1 after an XMP one

        r = inspect(png({png_chunk("eXIf", tiff(g))}));
        CHECK(r.media_type == "image/png");
        CHECK(r.location);
        CHECK_FALSE(inspect(png({png_chunk("eXIf", tiff(zero))})).location);

        r = inspect(webp(tiff(g)));
        CHECK(r.media_type == "image/webp");
        CHECK(r.location);
        CHECK(inspect(webp(exif(g))).location);  // some writers keep the "Exif\0\0" prefix
        CHECK_FALSE(inspect(webp(tiff(none))).location);

        r = inspect(tiff(g));
        CHECK(r.media_type == "image/tiff");
        CHECK(r.location);
        CHECK_FALSE(inspect(tiff(zero)).location);

        r = inspect(heic(g));
        CHECK(r.media_type == "image/heic");
        CHECK(r.location);
        CHECK_FALSE(inspect(heic(none)).location);

        // (k) The GPS IFD lies beyond the sample: counted as present.
        CHECK(inspect(jpeg_exif({.little = little, .gps_at = 0x10000})).location);
        CHECK(inspect(tiff({.little = little, .gps_at = 0xFFFFFFFF})).location);
    }
}

TEST_CASE("location: one coordinate suffices; no image data means none") {
    Bytes only_long = tiff();
    for (std::size_t k = 68; k < 92; ++k) only_long.v[k] = 0;  // latitude 0/1 0/1 0/1
    CHECK(inspect(only_long).location);
    CHECK_FALSE(inspect(jpeg()).location);  // (d) no APP1
    CHECK_FALSE(inspect(png({})).location);
    CHECK_FALSE(inspect(Bytes("GIF89a\x01\0\x01\0"sv)).location);
}

TEST_CASE("XMP location in an image is found") {
    auto r = inspect(jpeg({jpeg_segment(0xE1, xmp(R"(exif:GPSLatitude="50,27.0N")"))}));
    CHECK(r.media_type == "image/jpeg");
    CHECK(r.location);
    CHECK(inspect(jpeg({jpeg_segment(0xE1, xmp(R"(exif:GPSLongitude="30,31.0E")"))})).location);
    CHECK(inspect(png({png_chunk("iTXt", Bytes("XML:com.adobe.xmp\0\0\0\0\0"sv)
                                             .add(xmp(R"(exif:GPSLatitude="1,2N")")))}))
              .location);
    CHECK(inspect(Bytes("GIF89a\x01\0\x01\0"sv).add(xmp(R"(exif:GPSLatitude="1,2N")"))).location);
    CHECK_FALSE(inspect(jpeg({jpeg_segment(0xE1, xmp(R"(tiff:Make="Canon")"))})).location);

    // Beyond the 262144-byte sample it is not seen.
    Bytes far = jpeg();
    far.zeros(kMediaSampleBytes).add(xmp(R"(exif:GPSLatitude="50,27.0N")"));
    CHECK(inspect(far).media_type == "image/jpeg");
    CHECK_FALSE(inspect(far).location);
}

TEST_CASE("only images are inspected for location") {
    const Bytes payload = exif().add(xmp(R"(exif:GPSLatitude="50,27.0N")"));
    const Bytes samples[] = {
        Bytes("ID3\x04\0\0\0\0\0\0"sv).add(payload),
        Bytes("%PDF-1.7\n"sv).add(payload),
        ftyp("mp42").add(Bytes().be32(6).add(payload)),
        ftyp("M4A ").add(payload),
        Bytes("RIFF\x24\0\0\0WAVE"sv).add(riff_chunk("EXIF", tiff())),
        zip_entry("photo.jpg", "").add(jpeg_exif()),
    };
    for (const auto& s : samples) {
        const auto r = inspect(s);
        CAPTURE(r.media_type);
        CHECK_FALSE(r.media_type.starts_with("image/"));
        CHECK_FALSE(r.location);
    }
}

// --- Hostile input ---------------------------------------------------------------------------

TEST_CASE("every truncation of a location sample gives a type and never reads past it") {
    const struct {
        Bytes full;
        std::size_t signature;  // bytes needed for the type
    } samples[] = {
        {jpeg_exif(), 3},
        {jpeg_exif({.little = false}), 3},
        {jpeg({jpeg_segment(0xE1, xmp(R"(exif:GPSLatitude="50,27.0N")"))}), 3},
        {png({png_chunk("eXIf", tiff())}), 8},
        {png({png_chunk("eXIf", tiff({.little = false}))}), 8},
        {webp(tiff()), 12},
        {webp(exif({.little = false})), 12},
        {tiff(), 4},
        {tiff({.little = false}), 4},
        {tiff({.gps_at = 0xFFFFFFF0}), 4},
        {heic(), 12},
        {heic({.little = false}), 12},
    };
    for (const auto& s : samples) {
        const auto whole = inspect(s.full);
        CAPTURE(whole.media_type);
        CHECK(whole.location);
        std::size_t wrong = 0;
        for (std::size_t n = 0; n <= s.full.size(); ++n) {
            const auto r = inspect_prefix(s.full, n);
            if (r.media_type.empty() || (n >= s.signature && r.media_type != whole.media_type)) {
                ++wrong;
            }
        }
        CHECK(wrong == 0);
    }
}

TEST_CASE("absurd lengths, counts and offsets are survived") {
    SUBCASE("JPEG segment lengths 0 and 1 stop the walk") {
        for (std::string_view len : {"\0\0"sv, "\0\x01"sv}) {
            Bytes j("\xFF\xD8\xFF\xE1"sv);
            j.str(len).add(exif());
            CHECK(inspect(j).media_type == "image/jpeg");
            CHECK_FALSE(inspect(j).location);
            Bytes k = Bytes("\xFF\xD8\xFF\xE0"sv).str(len).add(jpeg_segment(0xE1, exif()));
            CHECK_FALSE(inspect(k).location);
        }
        // An APP1 longer than the sample is read as far as it goes.
        CHECK(inspect(Bytes("\xFF\xD8\xFF\xE1\xFF\xFF"sv).add(exif())).location);
        // Fill bytes before a marker, and a marker without 0xFF.
        CHECK(inspect(
                  Bytes("\xFF\xD8\xFF\xFF\xFF"sv).str("\xE1"sv).be16(exif().size() + 2).add(exif()))
                  .location);
        CHECK_FALSE(inspect(Bytes("\xFF\xD8\xFF\xE0\0\x04\0\0\x00\xE1"sv).add(exif())).location);
    }
    SUBCASE("PNG chunk length 0xFFFFFFFF") {
        Bytes p("\x89PNG\r\n\x1A\n"sv);
        CHECK_FALSE(
            inspect(Bytes(p).be32(0xFFFFFFFF).str("tEXt").add(png_chunk("eXIf", tiff()))).location);
        const auto r = inspect(Bytes(p).be32(0xFFFFFFFF).str("eXIf").add(tiff()));
        CHECK(r.media_type == "image/png");
        CHECK(r.location);  // the chunk's data that is there holds the GPS IFD
        CHECK_FALSE(inspect(Bytes(p).be32(0xFFFFFFF8).str("IDAT").zeros(4)).location);
    }
    SUBCASE("WebP chunk size 0xFFFFFFFF") {
        Bytes w("RIFF\xFF\xFF\xFF\xFFWEBP"sv);
        CHECK_FALSE(inspect(Bytes(w).str("VP8X").le32(0xFFFFFFFF).add(riff_chunk("EXIF", tiff())))
                        .location);
        CHECK(inspect(Bytes(w).str("EXIF").le32(0xFFFFFFFF).add(tiff())).location);
    }
    SUBCASE("IFD entry count 0xFFFF in a tiny buffer") {
        CHECK_FALSE(inspect(Bytes("II\x2A\0\x08\0\0\0\xFF\xFF"sv).zeros(12)).location);
        CHECK_FALSE(inspect(Bytes("MM\0\x2A\0\0\0\x08\xFF\xFF"sv)).location);
        // A GPS IFD whose entries run past the sample cannot be read: counted as present.
        Bytes t = tiff();
        t.v[26] = 0xFF;
        t.v[27] = 0xFF;
        CHECK(inspect(t).location);
        CHECK(inspect(jpeg({jpeg_segment(0xE1, Bytes("Exif\0\0"sv).add(t))})).location);
    }
    SUBCASE("IFD offsets pointing to themselves, into the header or beyond") {
        for (std::uint32_t ifd0 : {0u, 4u, 7u, 8u + 2u, 115u, 116u, 0xFFFFu, 0xFFFFFFFFu}) {
            CAPTURE(ifd0);
            Bytes t = tiff();
            Bytes offset = Bytes().le32(ifd0);
            std::copy(offset.v.begin(), offset.v.end(), t.v.begin() + 4);
            CHECK(inspect(t).media_type == "image/tiff");
            CHECK(inspect(jpeg({jpeg_segment(0xE1, Bytes("Exif\0\0"sv).add(t))})).media_type ==
                  "image/jpeg");
        }
        CHECK_FALSE(inspect(tiff({.gps_at = 8})).location);  // GPS IFD is IFD0: no coordinates
        // A GPS IFD at 0 reads "II" as 18761 entries: it cannot be read, so counts as present.
        CHECK(inspect(tiff({.gps_at = 0})).location);
        Bytes far_rationals = tiff();
        far_rationals.v[26 + 2 + 12 + 8] = 0xF0;  // GPSLatitude's rationals beyond the sample
        far_rationals.v[26 + 2 + 12 + 11] = 0xFF;
        CHECK(inspect(far_rationals).location);
    }
}

TEST_CASE("random samples behind image signatures never crash") {
    // Prefixes reaching into each parser; where there is a TIFF, its IFD0 points to a GPS IFD
    // at 26, which the random bytes then make up.
    const Bytes tiff_head =
        Bytes("II\x2A\0"sv).le32(8).le16(1).le16(0x8825).le16(4).le32(1).le32(26).le32(0);
    const struct {
        Bytes prefix;
        std::string_view type;
    } heads[] = {
        {Bytes("\xFF\xD8\xFF"sv), "image/jpeg"},
        {Bytes("\xFF\xD8\xFF\xE1\x01\x00"
               "Exif\0\0"sv)
             .add(tiff_head),
         "image/jpeg"},
        {Bytes("\x89PNG\r\n\x1A\n"sv), "image/png"},
        {Bytes("\x89PNG\r\n\x1A\n\0\0\0\x40"
               "eXIf"sv)
             .add(tiff_head),
         "image/png"},
        {Bytes("RIFF\0\x01\0\0WEBP"sv), "image/webp"},
        {Bytes("RIFF\0\x01\0\0WEBPEXIF\x40\0\0\0"sv).add(tiff_head), "image/webp"},
        {tiff_head, "image/tiff"},
        {Bytes("MM\0\x2A"sv).be32(8).be16(1).be16(0x8825).be16(4).be32(1).be32(26).be32(0),
         "image/tiff"},
        {ftyp("heic").str("Exif\0\0"sv).add(tiff_head), "image/heic"},
        {ftyp("avif").str("Exif\0\0MM\0\x2A\0\0\0\x08"sv), "image/avif"},
        {Bytes("GIF89a"sv), "image/gif"},
    };
    // Small values make plausible counts, tags, types and offsets more often than chance.
    constexpr unsigned char kLikely[] = {0, 0, 0, 1, 2, 3, 4, 5, 8, 12, 26, 0x25, 0x88, 0xFF};
    std::mt19937 rng(20261121);
    std::size_t wrong = 0, located = 0;
    for (int round = 0; round < 10000; ++round) {
        const auto& head = heads[static_cast<std::size_t>(round) % std::size(heads)];
        Bytes s = head.prefix;
        const std::size_t extra = rng() % 600;
        for (std::size_t k = 0; k < extra; ++k) {
            s.v.push_back(rng() % 2 ? kLikely[rng() % std::size(kLikely)]
                                    : static_cast<unsigned char>(rng()));
        }
        const auto r = inspect(s, round % 3 ? "x.jpg" : "x");
        if (r.media_type != head.type) ++wrong;
        if (r.location) ++located;
    }
    CHECK(wrong == 0);
    CHECK(located > 0);  // the GPS IFD paths were reached, both ways
    CHECK(located < 10000);
}
