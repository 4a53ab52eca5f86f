// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The settings page: language, auto-lock, text size.

#include "settings.h"

namespace svidok::app {

struct SettingsPage {
    void draw(Settings& settings, bool& changed);
};

}  // namespace svidok::app
