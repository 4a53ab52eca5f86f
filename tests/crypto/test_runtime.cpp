// SPDX-License-Identifier: GPL-3.0-or-later
#include <sys/prctl.h>
#include <sys/resource.h>

#include "crypto/encoding.h"
#include "crypto/kdf.h"
#include "crypto/runtime.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::crypto;

TEST_CASE("self-tests pass and the process is hardened") {
    REQUIRE(harden_process().has_value());
    rlimit rl{};
    REQUIRE(getrlimit(RLIMIT_CORE, &rl) == 0);
    CHECK(rl.rlim_cur == 0);
    CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
}

TEST_CASE("argon2id rejects out-of-bounds parameters and honours the floor predicate") {
    std::array<unsigned char, kKdfSaltBytes> salt{};
    CHECK(argon2id(as_bytes("x"), salt, KdfParams{0, 1u << 20}).error().code == Errc::usage);
    CHECK(argon2id(as_bytes("x"), salt, KdfParams{1, 1024}).error().code == Errc::usage);
    CHECK(below_floor(KdfParams{2, 256ull << 20}));
    CHECK(below_floor(KdfParams{3, 255ull << 20}));
    CHECK_FALSE(below_floor(kKdfFloor));
    auto a = argon2id(as_bytes("correct horse"), salt, KdfParams{1, 64u << 10});
    auto b = argon2id(as_bytes("correct horsf"), salt, KdfParams{1, 64u << 10});
    REQUIRE(a);
    REQUIRE(b);
    CHECK_FALSE(a->equals(b->span()));
}
