// SPDX-License-Identifier: GPL-3.0-or-later
// Attachments (docs/FORMAT.md section 11): round trips at chunk boundaries, the blob file's
// exact size and layout, tampering with stored ciphertext, bad sources that leave the draft
// unchanged, amendment, discard and the cleanup of what a crash leaves behind.

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "crypto/blob_stream.h"
#include "crypto/hash.h"
#include "forms/answers.h"
#include "records_fixture.h"
#include "store/attachments.h"

using namespace svidok;
using namespace svidok::test;
namespace blob = crypto::blob;

namespace {

crypto::Sha256Digest sha_of(std::string_view s) {
    return crypto::sha256(crypto::as_bytes(s));
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    return out;
}

struct Fixture : RecordsFixture {
    store::Attachments att{records};
    fs::path blobs() const { return vault.dir() / "attachments"; }

    store::RecordId draft() {
        auto id = records.create_draft(form(), example());
        REQUIRE(id);
        return *id;
    }
    fs::path source(const std::string& name, std::string_view content) {
        write_file(tmp / name, content);
        return tmp / name;
    }
    store::AttachResult attach(const store::RecordId& id, const fs::path& path,
                               const store::AttachOptions& options = {}) {
        auto r = att.attach(id, path, options);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return *r;
    }
    std::string extract(const store::RecordId& id, const crypto::Sha256Digest& sha) {
        const fs::path out = tmp / ("out-" + crypto::to_hex(sha).substr(0, 8));
        auto r = att.extract(id, sha, out);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        std::string bytes = read_file(out);
        fs::remove(out);
        return bytes;
    }
    forms::json::Value answers(const store::RecordId& id) { return *records.answers(id); }
    /// The one problem verify() reports for the record's only file.
    std::string problem(const store::RecordId& id) {
        auto checks = att.verify(id);
        REQUIRE(checks);
        REQUIRE(checks->size() == 1);
        REQUIRE((*checks)[0].problem.has_value());
        return (*checks)[0].problem->message;
    }
};

}  // namespace

TEST_CASE("round trip at the chunk boundaries, with the exact blob size") {
    Fixture fx;
    const auto id = fx.draft();
    const std::size_t sizes[] = {0,
                                 1,
                                 blob::kChunkBytes - 1,
                                 blob::kChunkBytes,
                                 blob::kChunkBytes + 1,
                                 3 * blob::kChunkBytes + 12345};
    unsigned seed = 1;
    for (std::size_t size : sizes) {
        CAPTURE(size);
        const std::string content = random_bytes(size, seed++);
        const auto path = fx.source("f" + std::to_string(size) + ".bin", content);
        auto r = fx.attach(id, path);
        CHECK_FALSE(r.already_attached);
        CHECK(r.info.size == size);
        CHECK(r.info.sha256 == sha_of(content));
        CHECK(r.info.name == "f" + std::to_string(size) + ".bin");
        CHECK(fx.extract(id, r.info.sha256) == content);
        CHECK(read_file(path) == content);  // the source is never touched
    }
    auto list = fx.att.list(id);
    REQUIRE(list);
    CHECK(list->size() == std::size(sizes));
    auto checks = fx.att.verify(id);
    REQUIRE(checks);
    for (const auto& c : *checks) CHECK_FALSE(c.problem.has_value());

    // One blob per file, each exactly the size FORMAT.md 11.2 gives, named by a random id.
    auto blobs = files_in(fx.blobs());
    REQUIRE(blobs.size() == std::size(sizes));
    std::set<std::uint64_t> want, got;
    for (std::size_t size : sizes) want.insert(blob::sealed_size(size));
    for (const auto& b : blobs) {
        got.insert(fs::file_size(b));
        CHECK(b.filename().string().size() == 32);
        CHECK((fs::status(b).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
              fs::perms::none);
    }
    CHECK(got == want);
    CHECK(blob::sealed_size(0) == 56 + 17);
    CHECK(blob::sealed_size(blob::kChunkBytes) == 56 + blob::kChunkBytes + 2 * 17);

    // Every file is referenced by the draft's file field.
    auto refs = forms::attachment_references(fx.form(), fx.answers(id));
    CHECK(refs.size() == std::size(sizes));
    for (const auto& ref : refs) CHECK(ref.path.starts_with("evidence.attachments["));
}

TEST_CASE("sealing signs every attached file's name, type, size and hash") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string pdf = "%PDF-1.7\n" + random_bytes(70000, 7);
    auto a = fx.attach(id, fx.source("povistka.jpg", pdf));
    CHECK(a.info.media_type == "application/pdf");
    CHECK(a.name_suggests == std::optional<std::string>("image/jpeg"));
    auto sealed = fx.records.seal(id);
    REQUIRE_MESSAGE(sealed, (sealed ? "" : sealed.error().message));
    auto doc = forms::parse_record(sealed->bytes);
    REQUIRE(doc);
    REQUIRE(doc->attachments.size() == 1);
    CHECK(doc->attachments[0] ==
          forms::AttachmentRef{"povistka.jpg", "application/pdf", pdf.size(), sha_of(pdf)});
    auto list = fx.att.list(id);
    REQUIRE(list);
    CHECK((*list)[0].sealed_in == std::vector<std::int64_t>{1});
    CHECK_FALSE((*list)[0].in_draft);
}

TEST_CASE("the same file twice is stored once") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string content = random_bytes(100000, 3);
    auto first = fx.attach(id, fx.source("a.bin", content));
    auto second = fx.attach(id, fx.source("copy.bin", content));
    CHECK(second.already_attached);
    CHECK(second.info.name == "a.bin");
    CHECK(files_in(fx.blobs()).size() == 1);
    CHECK(forms::attachment_references(fx.form(), fx.answers(id)).size() == 1);
}

TEST_CASE("a sealed record takes files only through an amendment") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string one = random_bytes(5000, 11), two = random_bytes(7000, 12);
    auto a = fx.attach(id, fx.source("one.bin", one));
    REQUIRE(fx.records.seal(id));
    const auto before = fx.answers(id);

    auto refused = fx.att.attach(id, fx.source("two.bin", two));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::invalid);
    CHECK(refused.error().message.find("is sealed") != std::string::npos);
    CHECK(refused.error().hint.find("record amend") != std::string::npos);
    CHECK(files_in(fx.blobs()).size() == 1);

    REQUIRE(fx.records.begin_amendment(id));
    CHECK(fx.answers(id) == before);
    CHECK(fx.records.begin_amendment(id).error().code == Errc::exists);
    CHECK(fx.records.amend(id, before).error().code == Errc::exists);
    auto b = fx.attach(id, fx.source("two.bin", two));
    auto v2 = fx.records.seal(id);
    REQUIRE_MESSAGE(v2, (v2 ? "" : v2.error().message));
    CHECK(v2->version == 2);
    auto doc = forms::parse_record(v2->bytes);
    REQUIRE(doc);
    CHECK(doc->attachments.size() == 2);
    auto docs = fx.records.documents(id);
    REQUIRE(docs);
    CHECK(doc->previous == std::optional((*docs)[0].sha256));

    // A discarded amendment takes only its own new files; sealed ones stay.
    REQUIRE(fx.records.begin_amendment(id));
    const std::string three = random_bytes(9000, 13);
    fx.attach(id, fx.source("three.bin", three));
    CHECK(files_in(fx.blobs()).size() == 3);
    REQUIRE(fx.records.discard_draft(id));
    CHECK(files_in(fx.blobs()).size() == 2);
    auto info = fx.records.info(id);
    REQUIRE(info);
    CHECK(info->versions == 2);
    CHECK_FALSE(info->has_draft);
    CHECK(fx.extract(id, a.info.sha256) == one);
    CHECK(fx.extract(id, b.info.sha256) == two);
}

TEST_CASE("discarding a draft deletes its files") {
    Fixture fx;
    const auto id = fx.draft();
    fx.attach(id, fx.source("a.bin", random_bytes(1000, 1)));
    fx.attach(id, fx.source("b.bin", random_bytes(1000, 2)));
    CHECK(files_in(fx.blobs()).size() == 2);
    REQUIRE(fx.records.discard_draft(id));
    CHECK(files_in(fx.blobs()).empty());
}

TEST_CASE("a byte changed anywhere in the stored file fails verification and extraction") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string content = random_bytes(2 * blob::kChunkBytes + 999, 21);
    auto a = fx.attach(id, fx.source("audio.bin", content));
    auto blobs = files_in(fx.blobs());
    REQUIRE(blobs.size() == 1);
    const fs::path path = blobs[0];
    const std::string good = read_file(path);
    const std::size_t positions[] = {0,
                                     9,
                                     12,
                                     20,
                                     40,
                                     56,
                                     56 + 1000,
                                     56 + blob::kSealedChunkBytes - 1,
                                     56 + blob::kSealedChunkBytes + 5,
                                     good.size() - 1};
    for (std::size_t pos : positions) {
        CAPTURE(pos);
        std::string bad = good;
        bad[pos] = static_cast<char>(bad[pos] ^ 0x01);
        write_file(path, bad);
        const std::string msg = fx.problem(id);
        CHECK(msg.find("attachment audio.bin") == 0);
        const fs::path out = fx.tmp / "extracted";
        auto r = fx.att.extract(id, a.info.sha256, out);
        REQUIRE_FALSE(r);
        CHECK((r.error().code == Errc::integrity || r.error().code == Errc::corrupt ||
               r.error().code == Errc::unsupported));
        CHECK_FALSE(fs::exists(out));  // nothing partial is left in plaintext
    }
    write_file(path, good.substr(0, good.size() - 1));
    CHECK(fx.problem(id).find("truncated or extended") != std::string::npos);
    write_file(path, good + "x");
    CHECK(fx.problem(id).find("truncated or extended") != std::string::npos);
    // Cut at a chunk boundary and padded back to size: the missing final chunk is noticed.
    write_file(path, good.substr(0, 56 + blob::kSealedChunkBytes) +
                         std::string(good.size() - 56 - blob::kSealedChunkBytes, '\0'));
    CHECK_FALSE(fx.problem(id).empty());
    fs::remove(path);
    CHECK(fx.problem(id).find("missing") != std::string::npos);
    write_file(path, good);
    CHECK(fx.extract(id, a.info.sha256) == content);
}

TEST_CASE("one record's blob put in place of another's is refused") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string x = random_bytes(3000, 31);
    fx.attach(id, fx.source("x.bin", x));
    auto first = files_in(fx.blobs());
    fx.attach(id, fx.source("y.bin", random_bytes(3000, 32)));
    auto all = files_in(fx.blobs());
    fs::path other = all[0] == first[0] ? all[1] : all[0];
    fs::copy_file(first[0], other, fs::copy_options::overwrite_existing);
    auto checks = fx.att.verify(id);
    REQUIRE(checks);
    int failed = 0;
    for (const auto& c : *checks) {
        if (c.problem) {
            ++failed;
            CHECK(c.problem->message.find("belongs to another attachment") != std::string::npos);
        }
    }
    CHECK(failed == 1);
}

TEST_CASE("bad sources: each a clear message, the draft and the vault unchanged") {
    Fixture fx;
    const auto id = fx.draft();
    const auto answers = fx.answers(id);
    REQUIRE(fx.att.attach(id, fx.source("seed.bin", "x")));  // creates attachments/
    const auto before = snapshot(fx.vault.dir());
    const auto answers_before = fx.answers(id);
    (void)answers;

    auto expect = [&](const fs::path& p, Errc code, std::string_view text,
                      const store::AttachOptions& o = {}) {
        CAPTURE(p);
        auto r = fx.att.attach(id, p, o);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK_MESSAGE(r.error().message.find(text) != std::string::npos, r.error().message);
        CHECK(fx.answers(id) == answers_before);
        CHECK(files_in(fx.blobs()).size() == 1);
    };
    expect(fx.tmp.path(), Errc::usage, "is a folder, not a file");
    expect("/dev/null", Errc::usage, "is a device, not a file");
    expect(fx.tmp / "missing.jpg", Errc::not_found, "there is no file");
    REQUIRE(::mkfifo((fx.tmp / "fifo").c_str(), 0600) == 0);
    expect(fx.tmp / "fifo", Errc::usage, "pipe or socket");
    expect("/proc/self/mem", Errc::io, "cannot read");  // a regular file whose read fails
    expect(fx.source("bad\x01name", "x"), Errc::usage, "cannot name an attached file");
    store::AttachOptions wrong_field;
    wrong_field.field = "narrative";
    expect(fx.source("ok.bin", "x"), Errc::usage, "no file field", wrong_field);

    // Changing while read: grows, or rewritten in place (same size, new modification time).
    const auto growing = fx.source("growing.bin", random_bytes(3 * blob::kChunkBytes, 41));
    store::AttachOptions grow;
    grow.progress = [&](std::uint64_t, std::uint64_t) {
        std::ofstream(growing, std::ios::app) << "more";
        return true;
    };
    expect(growing, Errc::io, "changed while it was being read", grow);
    const auto rewritten = fx.source("rewritten.bin", random_bytes(3 * blob::kChunkBytes, 42));
    store::AttachOptions rewrite;
    rewrite.progress = [&](std::uint64_t, std::uint64_t) {
        int fd = ::open(rewritten.c_str(), O_WRONLY);
        REQUIRE(fd >= 0);
        REQUIRE(::pwrite(fd, "Z", 1, 0) == 1);
        const struct timespec later[2] = {{0, UTIME_OMIT}, {2000000000, 0}};
        REQUIRE(::futimens(fd, later) == 0);
        ::close(fd);
        return true;
    };
    expect(rewritten, Errc::io, "changed while it was being read", rewrite);

    store::AttachOptions cancel;
    cancel.progress = [](std::uint64_t, std::uint64_t) { return false; };
    expect(fx.source("big.bin", random_bytes(2 * blob::kChunkBytes, 43)), Errc::usage, "cancelled",
           cancel);

    // A full disk, simulated with a file-size limit: the write fails with EFBIG.
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit old {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    const auto huge = fx.source("huge.bin", random_bytes(4u << 20, 44));
    struct rlimit small = old;
    small.rlim_cur = 1u << 20;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    auto full = fx.att.attach(id, huge);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &old) == 0);
    REQUIRE_FALSE(full);
    CHECK(full.error().message.find("the disk is full") != std::string::npos);
    CHECK(fx.answers(id) == answers_before);

    CHECK(snapshot(fx.vault.dir()) == before);
}

TEST_CASE("delete_original overwrites and removes the source only after a verified intake") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string content = random_bytes(150000, 51);
    const auto path = fx.source("interview.ogg", "OggS" + content);
    store::AttachOptions o;
    o.delete_original = true;
    auto r = fx.attach(id, path, o);
    CHECK(r.original_deleted);
    CHECK(r.original_problem.empty());
    CHECK_FALSE(fs::exists(path));
    CHECK(r.info.media_type == "audio/ogg");
    CHECK(fx.extract(id, r.info.sha256) == "OggS" + content);
}

TEST_CASE("location data in an image is reported, the file kept as it is") {
    Fixture fx;
    const auto id = fx.draft();
    const std::string jpeg =
        std::string("\xFF\xD8\xFF\xE1\x00\x40http://ns.adobe.com/xap/1.0/", 34) +
        std::string(1, '\0') + "<x exif:GPSLatitude=\"50,27.0N\"/>" + random_bytes(5000, 61);
    auto r = fx.attach(id, fx.source("photo.jpg", jpeg));
    CHECK(r.info.location);
    CHECK(r.info.media_type == "image/jpeg");
    CHECK(fx.extract(id, r.info.sha256) == jpeg);
    auto plain = fx.attach(id, fx.source("plain.jpg", "\xFF\xD8\xFF\xDB" + random_bytes(5000, 62)));
    CHECK_FALSE(plain.info.location);
}

TEST_CASE("no plaintext of an attached file anywhere in the vault or the temporary directory") {
    Fixture fx;
    const auto id = fx.draft();
    // Random, so the test's own source and objects (which may live under /tmp too) cannot
    // hold it; the temporary directory is compared with a snapshot taken before.
    const std::string canary = random_canary("attachment") + " свідок";
    const auto tmp_before = files_containing(fs::temp_directory_path(), canary);
    std::string content;
    for (int i = 0; i < 5000; ++i) content += canary + std::to_string(i) + "\n";
    store::AttachOptions o;
    o.delete_original = true;
    auto r = fx.attach(id, fx.source("notes.txt", content), o);
    REQUIRE(r.original_deleted);
    CHECK(r.info.media_type == "text/plain");
    REQUIRE(fx.records.seal(id));
    auto checks = fx.att.verify(id);
    REQUIRE(checks);
    CHECK_FALSE(occurs_in_tree(fx.vault.dir(), canary));
    CHECK_FALSE(occurs_in_tree(fx.tmp.path(), canary));
    CHECK(files_containing(fs::temp_directory_path(), canary) == tmp_before);
}

TEST_CASE("opening a vault removes what an interrupted intake or discard left") {
    TempDir tmp;
    auto created = make_vault(tmp / "v");
    forms::FormRegistry registry = *forms::load_builtin();
    store::RecordId id{};
    std::string kept_blob;
    {
        store::Vault vault = std::move(created.vault);
        auto records = *store::Records::open(vault, registry);
        seal_to(records, "legal-team", crypto::X25519Identity::generate().recipient());
        forms::json::Value a = registry.find("forced-mobilization")->example();
        for (auto& [key, value] : a.as_object()) {
            if (value.is_object() && value.find("attachments") != nullptr) {
                value.set("attachments", forms::json::Array{});
            }
        }
        id = *records.create_draft(*registry.find("forced-mobilization"), a);
        write_file(tmp / "f.bin", "kept");
        store::Attachments att(records);
        REQUIRE(att.attach(id, tmp / "f.bin"));
        kept_blob = files_in(tmp / "v" / "attachments").at(0).filename().string();
    }
    const fs::path dir = tmp / "v" / "attachments";
    write_file(dir / "0123456789abcdef0123456789abcdef.partial", "half");  // killed mid-write
    write_file(dir / "fedcba9876543210fedcba9876543210", "renamed, never recorded");
    write_file(dir / "README", "not ours");
    auto vault = store::Vault::open(tmp / "v", pw("correct horse battery"), kTestPolicy);
    REQUIRE(vault);
    std::set<std::string> names;
    for (const auto& p : files_in(dir)) names.insert(p.filename().string());
    CHECK(names == std::set<std::string>{kept_blob, "README"});
    auto records = *store::Records::open(*vault, registry);
    store::Attachments att(records);
    auto checks = att.verify(id);
    REQUIRE(checks);
    REQUIRE(checks->size() == 1);
    CHECK_FALSE((*checks)[0].problem.has_value());
}
