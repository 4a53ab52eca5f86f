// SPDX-License-Identifier: GPL-3.0-or-later
// The streaming tar writer and strict reader of bundles: round trips at block boundaries with
// input in odd pieces, exact byte counts, deterministic output, GNU tar reading what we write
// and making what we must refuse (directories, links, fifos, sparse files, unsafe names),
// truncation at every block, garbage, and errors of the sink and source passed back unchanged.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <utility>

#include "process.h"
#include "store/tar.h"

using namespace svidok;
using namespace svidok::test;
namespace tar = svidok::store::tar;

namespace {

const fs::path kTar = "/usr/bin/tar";

struct File {
    std::string path;
    std::string data;
};

/// The error message of a failed result, for assertion messages (which doctest may also
/// evaluate when the assertion holds).
template <class T>
std::string why(const Result<T>& r) {
    return r ? std::string() : r.error().message;
}

/// Collects a writer's output and counts what the sink was given.
struct Collector {
    std::string bytes;
    std::size_t calls = 0;
    crypto::ByteSink sink() {
        return [this](crypto::ByteView b) -> Result<> {
            ++calls;
            bytes.append(crypto::as_text(b));
            return {};
        };
    }
};

/// Writes `files` feeding data in pieces of the cycling sizes, checking bytes_written() after
/// every file against entry_bytes() and against what the sink received.
std::string write_archive(const std::vector<File>& files,
                          const std::vector<std::size_t>& pieces = {7, 511, 1, 4099, 513}) {
    Collector out;
    auto w = tar::Writer::create(out.sink());
    REQUIRE(w);
    CHECK(w->bytes_written() == 0);
    std::uint64_t expected = 0;
    std::size_t turn = 0;
    for (const auto& f : files) {
        auto begun = w->begin_file(f.path, f.data.size());
        REQUIRE_MESSAGE(begun, why(begun));
        std::size_t at = 0;
        while (at < f.data.size()) {
            const std::size_t n = std::min(pieces[turn++ % pieces.size()], f.data.size() - at);
            REQUIRE(w->write(crypto::as_bytes(std::string_view(f.data).substr(at, n))));
            at += n;
        }
        expected += tar::entry_bytes(f.data.size());
        CHECK(w->bytes_written() == expected);
        CHECK(out.bytes.size() == expected);
    }
    REQUIRE(w->finish());
    CHECK(w->bytes_written() == expected + tar::kEndOfArchiveBytes);
    CHECK(out.bytes.size() == expected + tar::kEndOfArchiveBytes);
    return out.bytes;
}

/// A source handing out `data` in pieces of `piece` bytes, then the end.
tar::Reader::Source source_of(std::string data, std::size_t piece) {
    auto held = std::make_shared<std::string>(std::move(data));
    auto at = std::make_shared<std::size_t>(0);
    return [held, at, piece]() -> Result<crypto::ByteView> {
        const std::size_t n = std::min(piece, held->size() - *at);
        crypto::ByteView v = crypto::as_bytes(std::string_view(*held).substr(*at, n));
        *at += n;
        return v;
    };
}

struct ReadBack {
    std::vector<File> files;
    std::optional<Error> error;
    std::optional<std::uint64_t> end;
};

/// Reads every entry (its data too unless `skip_data`) until the end or the first error.
ReadBack read_archive(tar::Reader& reader, bool skip_data = false, std::size_t buffer = 1000) {
    ReadBack r;
    std::vector<unsigned char> buf(buffer);
    for (;;) {
        auto e = reader.next();
        if (!e) {
            r.error = e.error();
            return r;
        }
        if (!*e) {
            r.end = reader.end_offset();
            return r;
        }
        File f{(*e)->path, {}};
        if (!skip_data) {
            for (;;) {
                auto n = reader.read(buf);
                if (!n) {
                    r.error = n.error();
                    return r;
                }
                if (*n == 0) break;
                f.data.append(reinterpret_cast<const char*>(buf.data()), *n);
            }
            CHECK(f.data.size() == (*e)->size);
        } else {
            f.data.resize((*e)->size);
        }
        r.files.push_back(std::move(f));
    }
}

std::string why(const ReadBack& r) {
    return r.error ? r.error->message : std::string();
}

ReadBack read_bytes(std::string data, std::size_t piece = 4096, bool skip_data = false) {
    tar::Reader reader(source_of(std::move(data), piece));
    return read_archive(reader, skip_data);
}

/// Expects `data` to be refused as corrupt with a message containing `needle`.
void check_refused(const std::string& data, const std::string& needle = {}) {
    auto r = read_bytes(data);
    REQUIRE_MESSAGE(r.error.has_value(), "accepted: " << r.files.size() << " files");
    CHECK(r.error->code == Errc::corrupt);
    if (!needle.empty())
        CHECK_MESSAGE(r.error->message.find(needle) != std::string::npos, r.error->message);
}

/// Rewrites the name field of the header at `header` and fixes its checksum, as someone
/// crafting an archive by hand would.
void set_header_name(std::string& archive, std::size_t header, std::string_view name) {
    REQUIRE(name.size() <= 100);
    std::memset(&archive[header], 0, 100);
    std::memcpy(&archive[header], name.data(), name.size());
    std::memset(&archive[header + 148], ' ', 8);
    unsigned sum = 0;
    for (std::size_t i = 0; i < tar::kBlockBytes; ++i)
        sum += static_cast<unsigned char>(archive[header + i]);
    char field[8];
    std::snprintf(field, sizeof field, "%06o", sum);
    std::memcpy(&archive[header + 148], field, 6);
    archive[header + 154] = '\0';
    archive[header + 155] = ' ';
}

ProcessResult gnu_tar(const std::vector<std::string>& args, const fs::path& scratch) {
    std::vector<std::string> argv{kTar.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {"TZ=UTC", "LC_ALL=C"}, scratch);
}

/// Archives `members` of `dir` with GNU tar and returns the archive.
std::string gnu_archive(const TempDir& tmp, const fs::path& dir,
                        const std::vector<std::string>& members,
                        const std::vector<std::string>& options = {}) {
    const fs::path file = tmp / "gnu.tar";
    std::vector<std::string> args = options;
    for (const auto& a : {std::string("-cf"), file.string(), std::string("-C"), dir.string()})
        args.push_back(a);
    args.insert(args.end(), members.begin(), members.end());
    auto r = gnu_tar(args, tmp.path());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return read_file(file);
}

const std::vector<File>& sample_files() {
    static const std::vector<File> files = [] {
        std::vector<File> f;
        const std::pair<const char*, std::size_t> spec[] = {
            {"empty", 0},          {"one", 1},         {"a/b/c-511.bin", 511},
            {"block_512", 512},    {"block_513", 513}, {"x/65535", 65535},
            {"x/65536", 65536},    {"x/65537", 65537}, {"x/also.empty", 0},
            {"z/big.bin", 200003},
        };
        unsigned seed = 10;
        for (const auto& [p, n] : spec) f.push_back({p, random_bytes(n, seed++)});
        return f;
    }();
    return files;
}

std::uint64_t archive_size(const std::vector<File>& files) {
    std::uint64_t n = tar::kEndOfArchiveBytes;
    for (const auto& f : files) n += tar::entry_bytes(f.data.size());
    return n;
}

void check_same(const std::vector<File>& got, const std::vector<File>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(got[i].path == want[i].path);
        CHECK(got[i].data == want[i].data);
    }
}

}  // namespace

TEST_CASE("entry_bytes: header, data padded to 512, and a pax header from 8 GiB on") {
    CHECK(tar::entry_bytes(0) == 512);
    CHECK(tar::entry_bytes(1) == 1024);
    CHECK(tar::entry_bytes(511) == 1024);
    CHECK(tar::entry_bytes(512) == 1024);
    CHECK(tar::entry_bytes(513) == 1536);
    CHECK(tar::entry_bytes(65536) == 512 + 65536);
    CHECK(tar::entry_bytes(tar::kPaxSizeThreshold - 1) == 512 + tar::kPaxSizeThreshold);
    CHECK(tar::entry_bytes(tar::kPaxSizeThreshold) == 1536 + tar::kPaxSizeThreshold);
    CHECK(tar::entry_bytes(tar::kMaxFileBytes) == 1536 + tar::kMaxFileBytes + 1);
    CHECK(tar::entry_bytes(tar::kMaxFileBytes + 1) == UINT64_MAX);
}

TEST_CASE("round trip of files at block boundaries, written and read in odd pieces") {
    const auto& files = sample_files();
    const std::string archive = write_archive(files);
    CHECK(archive.size() == archive_size(files));
    CHECK(archive.substr(archive.size() - 1024) == std::string(1024, '\0'));

    for (std::size_t piece :
         {std::size_t{1}, std::size_t{7}, std::size_t{512}, std::size_t{70001}}) {
        for (std::size_t buffer : {std::size_t{3}, std::size_t{65536}}) {
            if (piece == 1 && buffer == 3) continue;  // slow, and covered by its neighbours
            CAPTURE(piece);
            CAPTURE(buffer);
            tar::Reader reader(source_of(archive, piece));
            auto r = read_archive(reader, false, buffer);
            REQUIRE_MESSAGE(!r.error, why(r));
            check_same(r.files, files);
            CHECK(r.end == archive.size());
            // After the end, next() keeps saying so.
            auto again = reader.next();
            REQUIRE(again);
            CHECK_FALSE(again->has_value());
        }
    }

    SUBCASE("entries left unread are skipped") {
        auto r = read_bytes(archive, 4096, true);
        REQUIRE_MESSAGE(!r.error, why(r));
        REQUIRE(r.files.size() == files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            CHECK(r.files[i].path == files[i].path);
            CHECK(r.files[i].data.size() == files[i].data.size());
        }
    }
    SUBCASE("an archive with no file is just the end marker") {
        const std::string empty = write_archive({});
        CHECK(empty == std::string(1024, '\0'));
        auto r = read_bytes(empty);
        REQUIRE_MESSAGE(!r.error, why(r));
        CHECK(r.files.empty());
        CHECK(r.end == 1024);
    }
}

TEST_CASE("bytes_written() is exact after every entry and equals what the sink received") {
    Collector out;
    auto w = tar::Writer::create(out.sink());
    REQUIRE(w);
    REQUIRE(w->begin_file("a", 1000));
    CHECK(w->bytes_written() == 512);  // the header is out at once
    REQUIRE(w->write(crypto::as_bytes(std::string(999, 'x'))));
    CHECK(w->bytes_written() == 512 + 999);  // data passes through unbuffered
    REQUIRE(w->write(crypto::as_bytes(std::string_view("y"))));
    CHECK(w->bytes_written() == tar::entry_bytes(1000));  // padding follows the last byte
    REQUIRE(w->begin_file("b", 0));
    CHECK(w->bytes_written() == tar::entry_bytes(1000) + tar::entry_bytes(0));
    REQUIRE(w->finish());
    CHECK(w->bytes_written() == tar::entry_bytes(1000) + tar::entry_bytes(0) + 1024);
    CHECK(out.bytes.size() == w->bytes_written());

    // Movable: the moved-to writer keeps its count.
    tar::Writer moved = std::move(*w);
    CHECK(moved.bytes_written() == out.bytes.size());
}

TEST_CASE("the same files give the same bytes, with fixed metadata") {
    const auto& files = sample_files();
    const std::string first = write_archive(files);
    const std::string second = write_archive(files, {65536});  // other pieces, same bytes
    CHECK(first == second);

    // The first header: ustar magic, mode 0600, uid, gid and mtime 0, no user or group name.
    const std::string_view h(first.data(), 512);
    CHECK(h.substr(0, 6) == std::string_view("empty\0", 6));
    const std::string octal_zero = std::string("000000 ") + '\0';
    CHECK(h.substr(100, 8) == std::string("000600 ") + '\0');  // mode
    CHECK(h.substr(108, 8) == octal_zero);                     // uid
    CHECK(h.substr(116, 8) == octal_zero);                     // gid
    CHECK(h.substr(136, 12) == "00000000000 ");                // mtime
    CHECK(h[156] == '0');                                      // regular file
    CHECK(h.substr(257, 8) == std::string("ustar") + '\0' + "00");
    CHECK(h.substr(265, 32) == std::string(32, '\0'));  // uname
    CHECK(h.substr(297, 32) == std::string(32, '\0'));  // gname
}

TEST_CASE("a file of 8 GiB or more gets a pax size header, and the reader takes its size") {
    Collector out;
    {
        auto w = tar::Writer::create(out.sink());
        REQUIRE(w);
        REQUIRE(w->begin_file("just/under", tar::kPaxSizeThreshold - 1));
        CHECK(w->bytes_written() == 512);  // ustar's size field still holds it: no pax
    }
    CHECK(out.bytes.size() == 512);  // the abandoned writer added nothing

    Collector big;
    {
        auto w = tar::Writer::create(big.sink());
        REQUIRE(w);
        REQUIRE(w->begin_file("big/file.bin", tar::kPaxSizeThreshold));
        CHECK(w->bytes_written() ==
              tar::entry_bytes(tar::kPaxSizeThreshold) - tar::kPaxSizeThreshold);
        CHECK(w->bytes_written() == 1536);
        REQUIRE(w->write(crypto::as_bytes(std::string_view("abc"))));
        CHECK(w->bytes_written() == 1539);
    }
    CHECK(big.bytes.size() == 1539);
    CHECK(big.bytes[156] == 'x');  // pax extended header
    const std::string_view pax(big.bytes.data() + 512, 512);
    CHECK(pax.substr(0, 19) == "19 size=8589934592\n");
    CHECK(pax.substr(19) == std::string(512 - 19, '\0'));
    CHECK(big.bytes[1024 + 156] == '0');

    // The header alone, then zeros without end: next() needs only the headers.
    std::string headers = big.bytes.substr(0, 1536);
    auto sent = std::make_shared<bool>(false);
    auto zeros = std::make_shared<std::string>(65536, '\0');
    tar::Reader reader([&headers, sent, zeros]() -> Result<crypto::ByteView> {
        if (!*sent) {
            *sent = true;
            return crypto::as_bytes(headers);
        }
        return crypto::as_bytes(*zeros);
    });
    auto e = reader.next();
    REQUIRE_MESSAGE(e, why(e));
    REQUIRE(e->has_value());
    CHECK((*e)->path == "big/file.bin");
    CHECK((*e)->size == tar::kPaxSizeThreshold);
}

TEST_CASE("GNU tar lists exactly the names and sizes written, and extracts the same bytes") {
    if (!tool_available(kTar)) return;
    TempDir tmp;
    const auto& files = sample_files();
    write_file(tmp / "ours.tar", write_archive(files));

    auto list = gnu_tar({"-tvf", (tmp / "ours.tar").string()}, tmp.path());
    REQUIRE_MESSAGE(list.exit_code == 0, list.err);
    CHECK(list.err.empty());  // no "lone zero block" or other warning
    std::istringstream lines(list.out);
    std::string line;
    std::size_t i = 0;
    while (std::getline(lines, line)) {
        REQUIRE(i < files.size());
        std::istringstream fields(line);
        std::string mode, owner, size, date, time, name, rest;
        fields >> mode >> owner >> size >> date >> time >> name;
        CHECK(mode == "-rw-------");
        CHECK(owner == "0/0");
        CHECK(date == "1970-01-01");
        CHECK(size == std::to_string(files[i].data.size()));
        CHECK(name == files[i].path);
        const bool more = static_cast<bool>(fields >> rest);
        CHECK_FALSE(more);
        ++i;
    }
    CHECK(i == files.size());

    fs::create_directory(tmp / "out");
    auto x =
        gnu_tar({"-xf", (tmp / "ours.tar").string(), "-C", (tmp / "out").string()}, tmp.path());
    REQUIRE_MESSAGE(x.exit_code == 0, x.err);
    for (const auto& f : files) CHECK(read_file(tmp / "out" / f.path) == f.data);
}

TEST_CASE("archives of regular files made by GNU tar are read, in gnu, ustar and pax format") {
    if (!tool_available(kTar)) return;
    TempDir tmp;
    fs::create_directories(tmp / "in" / "sub");
    const std::vector<File> files = {
        {"a.txt", "hello\n"}, {"sub/b.bin", random_bytes(70000, 3)}, {"sub/empty", ""}};
    for (const auto& f : files) write_file(tmp / "in" / f.path, f.data);
    for (const char* format : {"gnu", "ustar", "pax"}) {
        CAPTURE(format);
        const std::string archive =
            gnu_archive(tmp, tmp / "in", {"a.txt", "sub/b.bin", "sub/empty"},
                        {std::string("--format=") + format});
        CHECK(archive.size() % 10240 == 0);  // GNU tar pads to its record size
        auto r = read_bytes(archive, 1000);
        REQUIRE_MESSAGE(!r.error, why(r));
        check_same(r.files, files);
        // The end marker is found; the zero padding after it is not read as entries.
        REQUIRE(r.end.has_value());
        CHECK(*r.end < archive.size());
        CHECK(archive.substr(*r.end).find_first_not_of('\0') == std::string::npos);
    }
}

TEST_CASE("entries GNU tar makes that are not regular files are refused, naming the entry") {
    if (!tool_available(kTar)) return;
    TempDir tmp;
    const fs::path in = tmp / "in";
    fs::create_directories(in / "folder");
    write_file(in / "target", "data");
    fs::create_symlink("target", in / "link");
    fs::create_hard_link(in / "target", in / "hard");
    REQUIRE(::mkfifo((in / "pipe").c_str(), 0600) == 0);

    SUBCASE("directory") {
        check_refused(gnu_archive(tmp, in, {"folder"}), "tar entry \"folder/\" is a directory");
    }
    SUBCASE("symbolic link") {
        check_refused(gnu_archive(tmp, in, {"link"}), "tar entry \"link\" is a symbolic link");
    }
    SUBCASE("hard link") {
        // The first name is stored as a file and accepted; the second is a link to it.
        const std::string archive = gnu_archive(tmp, in, {"target", "hard"});
        auto r = read_bytes(archive);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == Errc::corrupt);
        CHECK_MESSAGE(
            r.error->message.find("tar entry \"hard\" is a hard link") != std::string::npos,
            r.error->message);
        REQUIRE(r.files.size() == 1);
        CHECK(r.files[0].data == "data");
    }
    SUBCASE("fifo") {
        check_refused(gnu_archive(tmp, in, {"pipe"}), "tar entry \"pipe\" is a fifo");
    }
    SUBCASE("sparse file") {
        const fs::path sparse = in / "sparse";
        const int fd = ::open(sparse.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        REQUIRE(fd >= 0);
        const std::string chunk(4096, 'x');
        REQUIRE(::pwrite(fd, chunk.data(), chunk.size(), 0) == 4096);
        REQUIRE(::pwrite(fd, chunk.data(), chunk.size(), 1 << 20) == 4096);
        ::close(fd);
        for (const char* format : {"gnu", "pax"}) {
            CAPTURE(format);
            check_refused(
                gnu_archive(tmp, in, {"sparse"}, {"--sparse", std::string("--format=") + format}),
                "is a sparse file");
        }
    }
    SUBCASE("a name longer than 100 bytes") {
        const std::string long_name(101, 'n');
        write_file(in / long_name, "x");
        check_refused(gnu_archive(tmp, in, {long_name}), "has a path Svidok never writes");
    }
}

TEST_CASE("unsafe or unusual paths are refused when writing and when reading") {
    const std::string too_long(101, 'a');
    const std::string longest(100, 'a');
    for (std::string_view bad :
         {std::string_view("../x"), std::string_view("/abs"), std::string_view(""),
          std::string_view("a//b"), std::string_view("a/"), std::string_view("./a"),
          std::string_view("a/./b"), std::string_view("a/.."), std::string_view("."),
          std::string_view("a b"), std::string_view("a\\b"), std::string_view("\xc3\xa9"),
          std::string_view("a\0b", 3), std::string_view(too_long)}) {
        CAPTURE(bad);
        CHECK_FALSE(tar::valid_path(bad));
        Collector out;
        auto w = tar::Writer::create(out.sink());
        REQUIRE(w);
        auto r = w->begin_file(bad, 1);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::usage);
        CHECK(out.bytes.empty());
    }
    for (std::string_view good :
         {std::string_view("a"), std::string_view("a/b/c.txt"), std::string_view(".hidden"),
          std::string_view("x..y"), std::string_view("A-Z_0.9"), std::string_view(longest)}) {
        CAPTURE(good);
        CHECK(tar::valid_path(good));
    }

    // Headers crafted by hand (name field rewritten, checksum fixed) are refused by name.
    const std::string base = write_archive({{"abcd", "data"}, {"next", "more"}});
    CHECK(read_bytes(base).files.size() == 2);
    for (std::string_view bad :
         {std::string_view("../x"), std::string_view("/abs"), std::string_view("a//b"),
          std::string_view("./ab"), std::string_view("a\xff")}) {
        CAPTURE(bad);
        std::string crafted = base;
        set_header_name(crafted, 0, bad);
        auto r = read_bytes(crafted);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == Errc::corrupt);
        CHECK(r.files.empty());
        CHECK_MESSAGE(r.error->message.find("has a path Svidok never writes") != std::string::npos,
                      r.error->message);
    }
    std::string crafted = base;
    set_header_name(crafted, 1024, "../x");
    auto r = read_bytes(crafted);
    REQUIRE(r.error.has_value());
    CHECK(r.files.size() == 1);  // the first entry was fine
    CHECK(r.error->message.find("tar entry \"../x\"") != std::string::npos);
    set_header_name(crafted, 1024, "a\xff");
    r = read_bytes(crafted);
    REQUIRE(r.error.has_value());
    CHECK(r.error->message.find("tar entry \"a\\xff\"") != std::string::npos);  // escaped
}

TEST_CASE("an archive cut at any block boundary or inside a block is refused") {
    const std::vector<File> files = {
        {"a", "1"}, {"b", ""}, {"c", random_bytes(700, 1)}, {"d", random_bytes(1024, 2)}};
    const std::string archive = write_archive(files);
    REQUIRE(archive.size() == 1024 + 512 + 1536 + 1536 + 1024);
    std::vector<std::size_t> cuts;
    for (std::size_t at = 0; at < archive.size(); at += 512) {
        for (std::size_t off : {0, 1, 100, 511}) cuts.push_back(at + off);
    }
    for (std::size_t cut : cuts) {
        CAPTURE(cut);
        for (bool skip : {false, true}) {
            CAPTURE(skip);
            auto r = read_bytes(archive.substr(0, cut), 333, skip);
            REQUIRE_MESSAGE(r.error.has_value(), "accepted as complete");
            CHECK(r.error->code == Errc::corrupt);
            CHECK_FALSE(r.end.has_value());
        }
    }
    // libarchive itself ends quietly at these two: the end marker is missing or half there.
    for (std::size_t cut : {archive.size() - 1024, archive.size() - 512}) {
        auto r = read_bytes(archive.substr(0, cut));
        REQUIRE(r.error.has_value());
        CHECK(r.files.size() == files.size());
        CHECK_MESSAGE(r.error->message.find("end-of-archive marker") != std::string::npos,
                      r.error->message);
    }
    auto whole = read_bytes(archive, 333);
    REQUIRE_FALSE(whole.error.has_value());
    check_same(whole.files, files);
}

TEST_CASE("garbage and damaged headers are refused") {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{511}, std::size_t{512},
                          std::size_t{1024}, std::size_t{10240}}) {
        for (unsigned seed : {1u, 2u, 3u}) {
            CAPTURE(n);
            CAPTURE(seed);
            check_refused(random_bytes(n, seed));
        }
    }
    check_refused(std::string(512, '\0'), "end-of-archive marker");  // half a marker

    const std::string archive = write_archive({{"a", "hello"}, {"b", "world"}});
    SUBCASE("a flipped header byte breaks the checksum") {
        std::string damaged = archive;
        damaged[1024 + 10] = 'q';  // inside the second header's name field
        auto r = read_bytes(damaged);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == Errc::corrupt);
        CHECK(r.files.size() == 1);
    }
    SUBCASE("garbage instead of a header") {
        std::string damaged = archive;
        const std::string junk = random_bytes(512, 9);
        damaged.replace(1024, 512, junk);
        check_refused(damaged);
    }
    SUBCASE("garbage instead of the second zero block") {
        std::string damaged = archive;
        damaged.replace(damaged.size() - 512, 512, random_bytes(512, 5));
        check_refused(damaged, "end-of-archive marker");
    }
}

TEST_CASE("the source's error comes back unchanged") {
    const std::string archive = write_archive({{"first", random_bytes(3000, 4)}, {"second", "x"}});
    const auto boom = [] { return fail(Errc::io, "boom", "the hint"); };
    auto check_boom = [](const Error& e) {
        CHECK(e.code == Errc::io);
        CHECK(e.message == "boom");
        CHECK(e.hint == "the hint");
    };

    SUBCASE("at the first read") {
        int calls = 0;
        tar::Reader reader([&]() -> Result<crypto::ByteView> {
            ++calls;
            return boom();
        });
        auto e = reader.next();
        REQUIRE_FALSE(e);
        check_boom(e.error());
        auto again = reader.next();  // kept, and the source is not asked again
        REQUIRE_FALSE(again);
        check_boom(again.error());
        CHECK(calls == 1);
    }
    // The source gives the first `good` bytes in 512-byte pieces, then fails.
    auto failing_after = [&](std::size_t good) {
        auto at = std::make_shared<std::size_t>(0);
        return [&archive, at, good, boom]() -> Result<crypto::ByteView> {
            if (*at >= good) return boom();
            const std::size_t n = std::min<std::size_t>(512, good - *at);
            crypto::ByteView v = crypto::as_bytes(std::string_view(archive).substr(*at, n));
            *at += n;
            return v;
        };
    };
    SUBCASE("inside the data") {
        tar::Reader reader(failing_after(1024));
        auto e = reader.next();
        REQUIRE_MESSAGE(e, why(e));
        REQUIRE(e->has_value());
        std::vector<unsigned char> buf(100);
        Result<std::size_t> n;
        while ((n = reader.read(buf)) && *n > 0) {
        }
        REQUIRE_FALSE(n);
        check_boom(n.error());
        auto again = reader.read(buf);
        REQUIRE_FALSE(again);
        check_boom(again.error());
        auto next = reader.next();
        REQUIRE_FALSE(next);
        check_boom(next.error());
    }
    SUBCASE("while skipping unread data") {
        tar::Reader reader(failing_after(1024));
        REQUIRE(reader.next());
        auto e = reader.next();
        REQUIRE_FALSE(e);
        check_boom(e.error());
    }
    SUBCASE("where the end marker is expected") {
        for (std::size_t good : {archive.size() - 1024, archive.size() - 512}) {
            CAPTURE(good);
            tar::Reader reader(failing_after(good));
            auto r = read_archive(reader);
            REQUIRE(r.error.has_value());
            check_boom(*r.error);
            CHECK(r.files.size() == 2);
        }
    }
}

TEST_CASE("the writer refuses short and over-long files and misuse") {
    Collector out;
    auto w = tar::Writer::create(out.sink());
    REQUIRE(w);

    auto early = w->write(crypto::as_bytes(std::string_view("x")));
    REQUIRE_FALSE(early);
    CHECK(early.error().code == Errc::usage);

    REQUIRE(w->begin_file("short", 10));
    REQUIRE(w->write(crypto::as_bytes(std::string_view("12345"))));
    auto next = w->begin_file("other", 0);
    REQUIRE_FALSE(next);
    CHECK(next.error().code == Errc::usage);
    CHECK(next.error().message.find("\"short\"") != std::string::npos);
    auto done = w->finish();
    REQUIRE_FALSE(done);
    CHECK(done.error().code == Errc::usage);

    // Too much in one write: refused, and nothing of it is written.
    const auto before = w->bytes_written();
    auto over = w->write(crypto::as_bytes(std::string_view("678901")));
    REQUIRE_FALSE(over);
    CHECK(over.error().code == Errc::usage);
    CHECK(w->bytes_written() == before);
    REQUIRE(w->write(crypto::as_bytes(std::string_view("67890"))));
    auto extra = w->write(crypto::as_bytes(std::string_view("!")));
    REQUIRE_FALSE(extra);
    CHECK(extra.error().code == Errc::usage);

    REQUIRE(w->begin_file("empty", 0));
    auto into_empty = w->write(crypto::as_bytes(std::string_view("!")));
    REQUIRE_FALSE(into_empty);
    CHECK(into_empty.error().code == Errc::usage);

    auto huge = w->begin_file("huge", tar::kMaxFileBytes + 1);
    REQUIRE_FALSE(huge);
    CHECK(huge.error().code == Errc::usage);

    REQUIRE(w->finish());
    auto twice = w->finish();
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == Errc::usage);
    auto after = w->begin_file("late", 0);
    REQUIRE_FALSE(after);
    CHECK(after.error().code == Errc::usage);

    // The refusals left a well-formed archive behind.
    CHECK(out.bytes == write_archive({{"short", "1234567890"}, {"empty", ""}}));
    auto r = read_bytes(out.bytes);
    REQUIRE_FALSE(r.error.has_value());
    check_same(r.files, {{"short", "1234567890"}, {"empty", ""}});

    auto no_sink = tar::Writer::create({});
    REQUIRE_FALSE(no_sink);
    CHECK(no_sink.error().code == Errc::usage);
}

TEST_CASE("the sink's error comes back unchanged, and an abandoned writer writes nothing more") {
    std::string got;
    std::size_t calls = 0;
    auto w = tar::Writer::create([&](crypto::ByteView b) -> Result<> {
        ++calls;
        if (got.size() + b.size() > 600) return fail(Errc::io, "disk full", "free some space");
        got.append(crypto::as_text(b));
        return {};
    });
    REQUIRE(w);
    REQUIRE(w->begin_file("f", 1000));
    auto r = w->write(crypto::as_bytes(std::string(1000, 'x')));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().message == "disk full");
    CHECK(r.error().hint == "free some space");
    for (auto again :
         {w->write(crypto::as_bytes(std::string_view("x"))), w->finish(), w->begin_file("g", 0)}) {
        REQUIRE_FALSE(again);
        CHECK(again.error().message == "disk full");
    }
    CHECK(w->bytes_written() == 512);
    const std::size_t calls_before = calls;
    { tar::Writer dropped = std::move(*w); }
    CHECK(calls == calls_before);

    // A writer dropped in the middle of a file sends no end marker either.
    Collector out;
    {
        auto half = tar::Writer::create(out.sink());
        REQUIRE(half);
        REQUIRE(half->begin_file("half", 100));
        REQUIRE(half->write(crypto::as_bytes(std::string(50, 'h'))));
    }
    CHECK(out.bytes.size() == 512 + 50);
    check_refused(out.bytes);
}
