// SPDX-License-Identifier: GPL-3.0-or-later
// attach and attachment list / verify / extract in-process: what each prints, exit codes for
// bad input and tampering, the amendment path for sealed records, --delete-original and the
// location warning.
#include "cli_fixture.h"

using namespace svidok;
using namespace svidok::test;

namespace {

bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

fs::path only_blob(const CliVault& v) {
    std::vector<fs::path> blobs;
    for (const auto& e : fs::directory_iterator(fs::path(v.dir) / "attachments"))
        blobs.push_back(e.path());
    REQUIRE(blobs.size() == 1);
    return blobs[0];
}

}  // namespace

TEST_CASE("attach, list, verify and extract a file") {
    CliVault v;
    v.seal_to_legal_team();
    const std::string id = v.draft();
    const std::string content = "%PDF-1.4\n" + std::string(200000, 'x');
    write_file(v.tmp / "contract.pdf", content);

    auto a = v.run({"attach", id.substr(0, 8), (v.tmp / "contract.pdf").string()});
    REQUIRE_MESSAGE(a.code == 0, a.err);
    CHECK(has(a.out, "Attached contract.pdf to record " + id));
    CHECK(has(a.out, "application/pdf"));
    CHECK(has(a.out, "200009 bytes"));
    CHECK(a.err.empty());

    auto list = v.run({"attachment", "list", id});
    REQUIRE(list.code == 0);
    CHECK(has(list.out, "contract.pdf"));
    CHECK(has(list.out, "(draft)"));
    auto json_list = v.run({"attachment", "list", id, "--json"});
    REQUIRE(json_list.code == 0);
    CHECK(has(json_list.out, "\"media_type\": \"application/pdf\""));

    auto ok = v.run({"attachment", "verify", id});
    CHECK(ok.code == 0);
    CHECK(has(ok.out, "1 file verified"));

    const std::string out = (v.tmp / "copy.pdf").string();
    auto x = v.run({"attachment", "extract", id, "contract.pdf", "--out", out});
    REQUIRE_MESSAGE(x.code == 0, x.err);
    CHECK(read_file(out) == content);
    CHECK(has(x.err, "plaintext on disk"));
    auto again = v.run({"attachment", "extract", id, "contract.pdf", "--out", out});
    CHECK(again.code == 2);
    CHECK(has(again.err, "already exists"));
    auto missing = v.run({"attachment", "extract", id, "other.pdf", "--out", out + "2"});
    CHECK(missing.code == 2);
    CHECK(has(missing.err, "has no file other.pdf"));
    auto no_out = v.run({"attachment", "extract", id, "contract.pdf"});
    CHECK(no_out.code == 2);
    CHECK(has(no_out.err, "--out"));

    auto seal = v.run({"record", "seal", id});
    REQUIRE_MESSAGE(seal.code == 0, seal.err);
    auto sealed_list = v.run({"attachment", "list", id});
    CHECK(has(sealed_list.out, "(sealed in v1)"));
}

TEST_CASE("a damaged stored file fails verify with exit status 1") {
    CliVault v;
    const std::string id = v.draft();
    write_file(v.tmp / "audio.wav", "RIFF\x10\x00\x00\x00WAVE" + std::string(100000, 'a'));
    REQUIRE(v.run({"attach", id, (v.tmp / "audio.wav").string()}).code == 0);
    const fs::path blob = only_blob(v);
    std::string bytes = read_file(blob);
    bytes[5000] = static_cast<char>(bytes[5000] ^ 0x40);
    write_file(blob, bytes);
    auto r = v.run({"attachment", "verify", id});
    CHECK(r.code == 1);
    CHECK(has(r.out,
              "FAILED  audio.wav: attachment audio.wav: chunk 0 of the encrypted file does not "
              "authenticate"));
    CHECK(has(r.err, "1 of 1 attached files failed verification"));
    const std::string out = (v.tmp / "out.wav").string();
    auto x = v.run({"attachment", "extract", id, "audio.wav", "--out", out});
    CHECK(x.code == 1);
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("bad sources and sealed records are refused with the draft unchanged") {
    CliVault v;
    v.seal_to_legal_team();
    const std::string id = v.draft();
    const auto before = v.run({"record", "show", id, "--json"}).out;
    auto dir = v.run({"attach", id, v.tmp.path().string()});
    CHECK(dir.code == 2);
    CHECK(has(dir.err, "is a folder, not a file"));
    auto dev = v.run({"attach", id, "/dev/zero"});
    CHECK(dev.code == 2);
    CHECK(has(dev.err, "is a device, not a file"));
    auto none = v.run({"attach", id, (v.tmp / "nope.jpg").string()});
    CHECK(none.code == 2);
    CHECK(has(none.err, "there is no file"));
    auto no_file = v.run({"attach", id});
    CHECK(no_file.code == 2);
    CHECK(v.run({"record", "show", id, "--json"}).out == before);

    REQUIRE(v.run({"record", "seal", id}).code == 0);
    write_file(v.tmp / "late.txt", "found later");
    auto sealed = v.run({"attach", id, (v.tmp / "late.txt").string()});
    CHECK(sealed.code == 2);
    CHECK(has(sealed.err, "is sealed"));
    CHECK(has(sealed.err, "record amend " + id));

    auto amend = v.run({"record", "amend", id});
    REQUIRE_MESSAGE(amend.code == 0, amend.err);
    CHECK(has(amend.out, "Amendment draft opened"));
    REQUIRE(v.run({"attach", id, (v.tmp / "late.txt").string()}).code == 0);
    auto v2 = v.run({"record", "seal", id});
    REQUIRE_MESSAGE(v2.code == 0, v2.err);
    CHECK(has(v2.out, "version 2"));
    auto list = v.run({"attachment", "list", id});
    CHECK(has(list.out, "late.txt  (sealed in v2)"));
}

TEST_CASE("--delete-original says plainly what overwriting cannot promise") {
    CliVault v;
    const std::string id = v.draft();
    const fs::path src = v.tmp / "photo.jpg";
    // A JPEG whose XMP packet holds GPS coordinates.
    write_file(src, std::string("\xFF\xD8\xFF\xE1\x00\x40http://ns.adobe.com/xap/1.0/", 34) +
                        std::string(1, '\0') + "<x exif:GPSLatitude=\"48,30.0N\"/>" +
                        std::string(3000, 'j'));
    auto r = v.run({"attach", id, src.string(), "--delete-original", "--name", "summons.jpg"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK_FALSE(fs::exists(src));
    CHECK(has(r.out, "Attached summons.jpg"));
    CHECK(has(r.err, "overwritten and removed"));
    CHECK(has(r.err, "does not guarantee"));
    CHECK(has(r.err, "location data"));
    auto list = v.run({"attachment", "list", id});
    CHECK(has(list.out, "has location data"));
}
