// SPDX-License-Identifier: GPL-3.0-or-later
// write_new_file: files the user names (reports, printouts) are created, never replaced.

#include <unistd.h>

#include "crypto/encoding.h"
#include "store/atomic_file.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;

TEST_CASE("a new file is written whole and nothing is left beside it") {
    TempDir tmp;
    const auto path = tmp / "report.html";
    REQUIRE(store::write_new_file(path, crypto::as_bytes(std::string_view("<p>ok</p>"))));
    CHECK(read_file(path) == "<p>ok</p>");
    CHECK((fs::status(path).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path())) ++entries;
    CHECK(entries == 1);
}

TEST_CASE("an existing file, folder or symbolic link is never replaced") {
    TempDir tmp;
    const auto file = tmp / "taken.html";
    write_file(file, "earlier");
    const auto dir = tmp / "folder";
    fs::create_directory(dir);
    const auto link = tmp / "link.html";
    REQUIRE(::symlink("/nonexistent/target", link.c_str()) == 0);
    for (const auto& p : {file, dir, link}) {
        auto r = store::write_new_file(p, crypto::as_bytes(std::string_view("new")));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::exists);
        CHECK(r.error().message == p.string() + " already exists");
    }
    CHECK(read_file(file) == "earlier");
    CHECK(fs::is_symlink(link));
    CHECK_FALSE(fs::exists(tmp / "taken.html.partial"));
    CHECK_FALSE(fs::exists(tmp / "link.html.partial"));
}

TEST_CASE("a folder that does not exist is an I/O error naming it") {
    TempDir tmp;
    auto r =
        store::write_new_file(tmp / "missing" / "r.json", crypto::as_bytes(std::string_view("{}")));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().message.find("missing") != std::string::npos);
}
