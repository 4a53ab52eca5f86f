// SPDX-License-Identifier: GPL-3.0-or-later
// remote add|list|remove|key and sync --remote, between a field vault and a legal team's vault
// through real servers the test starts (tests/servers.h): OpenSSH sshd with internal-sftp,
// Apache mod_dav and lighttpd mod_webdav over TLS, microsocks. Bundles go up, receipts come
// back, delivered records are purged; a changed server key leaves the vault byte for byte.
#include <algorithm>

#include "field_and_legal.h"
#include "servers.h"
#include "store/vault_fixture.h"

using namespace svidok;
using namespace svidok::test;

namespace {

/// One server of each kind, with what the test knows of it independently of Svidok.
struct AnyServer {
    std::string name;
    std::function<std::string()> url;
    std::function<std::string()> pin;                   // from ssh-keygen or openssl
    std::function<fs::path()> root;                     // the mailbox on the server's disk
    std::function<void(const std::string&)> authorize;  // an SSH public key line
    std::function<void()> change_key;  // a new host key or certificate, server restarted
    bool webdav = false;
};

struct Servers {
    TempDir tmp;
    std::unique_ptr<SshServer> sshd;
    std::unique_ptr<DavServer> apache, lighttpd;
    std::vector<AnyServer> all;
    Servers() {
        sshd = std::make_unique<SshServer>(tmp / "sshd");
        sshd->start();
        all.push_back({"sshd", [this] { return sshd->url(); },
                       [this] { return sshd->fingerprint(); }, [this] { return sshd->root(); },
                       [this](const std::string& line) { sshd->authorize(line); },
                       [this] {
                           sshd->stop();
                           sshd->new_host_key();
                           sshd->start();
                       },
                       false});
        for (auto kind : {DavServer::Kind::apache, DavServer::Kind::lighttpd}) {
            const std::string dirname = kind == DavServer::Kind::apache ? "apache" : "lighttpd";
            fs::create_directories(tmp / dirname);
            auto& dav = kind == DavServer::Kind::apache ? apache : lighttpd;
            dav = std::make_unique<DavServer>(kind, tmp / dirname);
            dav->start();
            DavServer* d = dav.get();
            all.push_back({d->name(), [d] { return d->url(); }, [d] { return d->pin(); },
                           [d] { return d->root(); }, [](const std::string&) {},
                           [d] {
                               d->stop();
                               d->new_certificate();
                               d->start();
                           },
                           true});
        }
    }
};

/// Adds `server` as remote "srv" to `v` (the admin authorizes its SSH key).
void add_remote(CliVault& v, const AnyServer& server, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"remote",     "add",           "srv",
                                  server.url(), "--fingerprint", server.pin()};
    if (server.webdav) {
        write_file(v.tmp / "dav-password", DavServer::kPassword);
        args.insert(args.end(), {"--password-file", (v.tmp / "dav-password").string()});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    auto added = v.run(args);
    REQUIRE_MESSAGE(added.code == 0, added.err);
    CHECK(has(added.out, server.pin()));
    if (!server.webdav) {
        auto key = v.run({"remote", "key", "srv"});
        REQUIRE(key.code == 0);
        CHECK(key.out.starts_with("ssh-ed25519 "));
        CHECK(has(added.out, key.out));
        server.authorize(key.out.substr(0, key.out.size() - 1));
    }
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        names.push_back(e.path().filename().string());
    }
    std::ranges::sort(names);
    return names;
}

}  // namespace

TEST_CASE(
    "sync --remote through sshd, Apache mod_dav and lighttpd mod_webdav: bundles up, "
    "receipts back, then purge") {
    Servers servers;
    for (const auto& server : servers.all) {
        INFO(server.name);
        FieldAndLegal v;
        v.field.sealed();
        v.field.sealed();
        add_remote(v.field, server);
        add_remote(v.legal, server);
        const std::string dev = v.field_id.origin.substr(std::string("svidok.device/").size());

        auto sent = v.field.run({"sync", "--remote", "srv"});
        REQUIRE_MESSAGE(sent.code == 0, sent.err);
        CHECK(has(sent.out, "Sent bundle "));
        CHECK(has(sent.err, "sync: sent "));  // progress on stderr
        const auto outbox = names_in(server.root() / "outbox" / dev);
        REQUIRE(outbox.size() == 2);  // <id>.age and <id>.age.minisig, nothing half-written
        const std::string bundle = outbox[0];
        CHECK(outbox[1] == bundle + ".minisig");
        // Twice with nothing new: nothing is transferred.
        CHECK(v.field.run({"sync", "--remote", "srv"}).out == "Nothing new.\n");

        auto plan = v.legal.run({"sync", "--remote", "srv", "--dry-run"});
        REQUIRE_MESSAGE(plan.code == 0, plan.err);
        CHECK(plan.out == "Would fetch bundle " + dev + "/" + bundle + "\n");

        // A sender not yet pinned: reported and left on the server for a person.
        auto unconfirmed = v.legal.run({"sync", "--remote", "srv"});
        CHECK(unconfirmed.code == 1);
        CHECK(has(unconfirmed.err,
                  "unknown sender " + v.field_id.origin + ": its fingerprint was not confirmed"));
        CHECK_FALSE(has(unconfirmed.err, v.field_id.fingerprint));
        CHECK(names_in(server.root() / "outbox" / dev) == outbox);
        CHECK(names_in(server.root() / "receipts" / dev).empty());

        auto imported =
            v.legal.run({"sync", "--remote", "srv", "--trust-fingerprint", v.field_id.fingerprint});
        REQUIRE_MESSAGE(imported.code == 0, imported.err);
        CHECK(has(imported.out, "Imported bundle "));
        CHECK(has(imported.out, "records      2"));
        CHECK(has(imported.out, "Sent 1 receipts"));
        CHECK(names_in(server.root() / "outbox" / dev).empty());
        CHECK(names_in(server.root() / "archive" / dev) == outbox);
        CHECK(names_in(server.root() / "receipts" / dev).size() == 1);
        CHECK(v.legal.run({"sync", "--remote", "srv"}).out == "Nothing new.\n");

        auto confirmed = v.field.run({"sync", "--remote", "srv"});
        REQUIRE_MESSAGE(confirmed.code == 0, confirmed.err);
        CHECK(has(confirmed.out, "Receipt from legal: "));
        CHECK(names_in(server.root() / "receipts" / dev).empty());
        auto purged = v.field.run({"purge", "--delivered", "--yes"});
        REQUIRE_MESSAGE(purged.code == 0, purged.err);
        CHECK(has(purged.out, "Purged 2 records."));
        CHECK(v.field.run({"sync", "--remote", "srv"}).out == "Nothing new.\n");
        CHECK(v.legal.run({"sync", "--remote", "srv"}).out == "Nothing new.\n");
    }
}

TEST_CASE("a changed host key or certificate is refused and the vault stays byte for byte") {
    Servers servers;
    for (const auto& server : servers.all) {
        INFO(server.name);
        FieldAndLegal v;
        add_remote(v.field, server);
        v.field.sealed();  // something to send: nothing may be exported before the check
        server.change_key();
        const auto before = snapshot(v.field.dir);
        auto refused = v.field.run({"sync", "--remote", "srv"});
        CHECK(refused.code == 1);
        CHECK(has(refused.err, "is not the one pinned when the remote was added"));
        CHECK(snapshot(v.field.dir) == before);
        CHECK(!fs::exists(server.root() / "outbox"));
    }
}

TEST_CASE("a whole sync through a SOCKS5 proxy that resolves the server's name") {
    Servers servers;
    const auto& server = servers.all[0];  // sshd
    fs::create_directories(servers.tmp / "socks");
    SocksProxy socks(servers.tmp / "socks");
    FieldAndLegal v;
    v.field.sealed();
    std::string url = server.url();
    url.replace(url.find("127.0.0.1"), 9, "localhost");
    auto added = v.field.run(
        {"remote", "add", "srv", url, "--fingerprint", server.pin(), "--proxy", socks.url()});
    REQUIRE_MESSAGE(added.code == 0, added.err);
    server.authorize(v.field.run({"remote", "key", "srv"}).out);
    CHECK(has(v.field.run({"remote", "list"}).out, "via " + socks.url()));
    auto sent = v.field.run({"sync", "--remote", "srv"});
    REQUIRE_MESSAGE(sent.code == 0, sent.err);
    CHECK(has(sent.out, "Sent bundle "));
    const std::string log = socks.stop_and_log();
    MESSAGE("microsocks: " << log);
    CHECK(has(log, "connected to localhost:" + std::to_string(servers.sshd->port())));
    // The proxy is gone: the sync says so and sends nothing.
    auto gone = v.field.run({"sync", "--remote", "srv"});
    CHECK(gone.code == 2);
    CHECK(has(gone.err, "cannot reach the proxy"));
}

TEST_CASE("remote add, list, key and remove; a fingerprint that differs stores nothing") {
    Servers servers;
    CliVault v;
    const auto& sftp = servers.all[0];
    const auto& dav = servers.all[1];
    CHECK(v.run({"remote", "list"}).out == "No remotes.\n");
    auto wrong = v.run({"remote", "add", "srv", sftp.url(), "--fingerprint",
                        "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
    CHECK(wrong.code == 1);
    CHECK(has(wrong.err, "the server's key is not the fingerprint given; nothing was stored"));
    CHECK(v.run({"remote", "list"}).out == "No remotes.\n");
    // Without --fingerprint the person is asked and must type yes.
    ScriptedSecrets said_no;
    said_no.lines = {"no"};
    CHECK(v.run({"remote", "add", "srv", sftp.url()}, &said_no).code == 2);
    CHECK(said_no.questions.size() == 1);
    ScriptedSecrets said_yes;
    said_yes.lines = {"yes"};
    auto added = v.run({"remote", "add", "srv", sftp.url()}, &said_yes);
    REQUIRE_MESSAGE(added.code == 0, added.err);
    CHECK(has(added.out, sftp.pin()));
    CHECK(v.run({"remote", "add", "srv", sftp.url(), "--fingerprint", sftp.pin()}).code == 2);
    // WebDAV: the password is asked as a secret, never taken from the URL or argv.
    ScriptedSecrets pw;
    pw.answers = {DavServer::kPassword};
    auto web = v.run({"remote", "add", "web", dav.url(), "--fingerprint", dav.pin()}, &pw);
    REQUIRE_MESSAGE(web.code == 0, web.err);
    REQUIRE(pw.asked.size() == 1);
    CHECK(pw.asked[0] == cli::SecretKind::server_password);
    CHECK(v.run({"remote", "key", "web"}).code == 2);
    CHECK(v.run({"remote", "add", "x", "https://u:pw@127.0.0.1/x/"}).code == 2);
    CHECK(v.run({"remote", "add", "bad name", sftp.url()}).code == 2);
    const auto list = v.run({"remote", "list"}).out;
    CHECK(has(list, "srv  SFTP  " + sftp.url()));
    CHECK(has(list, "web  WebDAV  " + dav.url()));
    CHECK(!has(list, DavServer::kPassword));
    REQUIRE(v.run({"remote", "remove", "srv"}).code == 0);
    CHECK(v.run({"remote", "key", "srv"}).code == 2);
    CHECK(v.run({"sync", "--remote", "srv"}).code == 2);
}
