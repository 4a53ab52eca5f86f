// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/vault_paths.h"
