// SPDX-License-Identifier: GPL-3.0-or-later
// Interoperability with the reference tools (Debian's age and age-keygen): what Svidok writes,
// age opens; what age writes, Svidok opens; key files go both ways.
#include <sodium.h>

#include "crypto/age.h"
#include "process.h"

using namespace svidok;
using namespace svidok::crypto;
namespace fs = std::filesystem;

namespace {

constexpr const char* kAge = "/usr/bin/age";
constexpr const char* kAgeKeygen = "/usr/bin/age-keygen";

bool tools_present() {
    return test::tool_available(kAge) && test::tool_available(kAgeKeygen);
}

struct Tools {
    svidok::test::TempDir dir;
    int counter = 0;

    // Runs a tool, requiring success; returns its stdout.
    std::string ok(const std::vector<std::string>& argv) {
        auto r = test::run_process(argv, {}, dir.path());
        REQUIRE_MESSAGE(r.exit_code == 0, argv[0] << " " << argv[1] << " failed: " << r.err);
        return r.out;
    }

    // age-keygen -o; returns the key file path.
    fs::path keygen() {
        const fs::path key = dir / ("key" + std::to_string(counter++) + ".txt");
        ok({kAgeKeygen, "-o", key.string()});
        return key;
    }

    fs::path write(const std::string& name, ByteView data) {
        const fs::path p = dir / name;
        svidok::test::write_file(p, as_text(data));
        return p;
    }
};

Bytes random_bytes(std::size_t n) {
    Bytes b(n);
    if (n > 0) randombytes_buf(b.data(), n);
    return b;
}

const std::size_t kSizes[] = {0, 1, kAgeChunkBytes, kAgeChunkBytes + 1, 200 * 1024};

std::vector<X25519Identity> load_identities(const fs::path& key_file) {
    auto ids = parse_identity_file(svidok::test::read_file(key_file));
    REQUIRE_MESSAGE(ids.has_value(), ids.error().message);
    return std::move(*ids);
}

}  // namespace

TEST_CASE("age-keygen key files parse; our recipient matches age-keygen -y") {
    if (!tools_present()) return;
    Tools t;
    const fs::path key = t.keygen();
    const std::string text = svidok::test::read_file(key);
    const auto ids = load_identities(key);
    REQUIRE(ids.size() == 1);
    std::string listed = t.ok({kAgeKeygen, "-y", key.string()});
    CHECK(ids[0].recipient().to_string() + "\n" == listed);
    CHECK(text.find("# public key: " + ids[0].recipient().to_string() + "\n") != std::string::npos);

    // And the other way: age-keygen -y reads the identity file we write.
    const auto ours = X25519Identity::generate();
    const SecureBuffer file = identity_file_text(ours);
    const fs::path our_key = t.write("ours.txt", file.span());
    CHECK(t.ok({kAgeKeygen, "-y", our_key.string()}) == ours.recipient().to_string() + "\n");
}

TEST_CASE("files Svidok encrypts open with age -d, binary and armored, one or several recipients") {
    if (!tools_present()) return;
    Tools t;
    const fs::path key1 = t.keygen();
    const fs::path key2 = t.keygen();
    const auto ours = X25519Identity::generate();
    const fs::path our_key = t.write("ours.txt", identity_file_text(ours).span());
    const std::vector<X25519Recipient> single{load_identities(key1)[0].recipient()};
    const std::vector<X25519Recipient> several{load_identities(key1)[0].recipient(),
                                               load_identities(key2)[0].recipient(),
                                               ours.recipient()};
    for (std::size_t size : kSizes) {
        CAPTURE(size);
        const Bytes plain = random_bytes(size);
        for (AgeOutput output : {AgeOutput::binary, AgeOutput::armored}) {
            CAPTURE(static_cast<int>(output));
            const fs::path one = t.write("one.age", age_encrypt(single, plain, output).value());
            CHECK(t.ok({kAge, "-d", "-i", key1.string(), one.string()}) == as_text(plain));

            const fs::path many = t.write("many.age", age_encrypt(several, plain, output).value());
            for (const auto& key : {key1, key2, our_key}) {
                CHECK(t.ok({kAge, "-d", "-i", key.string(), many.string()}) == as_text(plain));
            }
        }
    }
    // age refuses a file that is not for its key: the check above can fail.
    const fs::path other = t.keygen();
    const fs::path file = t.write("x.age", age_encrypt(single, random_bytes(10)).value());
    CHECK(test::run_process({kAge, "-d", "-i", other.string(), file.string()}, {}, t.dir.path())
              .exit_code != 0);
}

TEST_CASE("files age -r and age -a -r produce open with Svidok") {
    if (!tools_present()) return;
    Tools t;
    const auto ours = X25519Identity::generate();
    const fs::path theirs_key = t.keygen();
    const auto theirs = load_identities(theirs_key);
    for (std::size_t size : kSizes) {
        CAPTURE(size);
        const Bytes plain = random_bytes(size);
        const fs::path in = t.write("plain", plain);
        for (bool armor : {false, true}) {
            CAPTURE(armor);
            std::vector<std::string> argv{kAge, "-e"};
            if (armor) argv.push_back("-a");
            for (const auto& r : {ours.recipient(), theirs[0].recipient()}) {
                argv.push_back("-r");
                argv.push_back(r.to_string());
            }
            argv.push_back(in.string());
            const std::string file = t.ok(argv);
            CHECK(file.starts_with(armor ? "-----BEGIN AGE ENCRYPTED FILE-----\n"
                                         : "age-encryption.org/v1\n"));
            for (const X25519Identity* id : {&ours, &theirs[0]}) {
                auto d = age_decrypt(AgeIdentities{std::span(id, 1)}, as_bytes(file));
                REQUIRE_MESSAGE(d.has_value(), d.error().message);
                CHECK(d->equals(plain));
            }
            // Someone else's key: no match, not a crash or a wrong plaintext.
            const auto stranger = X25519Identity::generate();
            auto d = age_decrypt(AgeIdentities{std::span(&stranger, 1)}, as_bytes(file));
            REQUIRE(!d.has_value());
            CHECK(d.error().code == Errc::auth_failed);
        }
    }
}
