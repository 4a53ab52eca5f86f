// SPDX-License-Identifier: GPL-3.0-or-later
#include "input_queue.h"

#include <algorithm>

namespace svidok::app {
namespace {

constexpr int kRelease = 0, kPress = 1;

// GLFW codes of keys that move keyboard focus or submit a field.
bool moves_focus(int key) {
    switch (key) {
        case 256:  // Escape
        case 257:  // Enter
        case 258:  // Tab
        case 262:  // Right
        case 263:  // Left
        case 264:  // Down
        case 265:  // Up
        case 335:  // keypad Enter
            return true;
        default:
            return false;
    }
}

}  // namespace

void InputQueue::deliver_frame(const std::function<void(const InputEvent&)>& deliver) {
    if (pause_frames_ > 0) {
        --pause_frames_;
        return;
    }
    std::vector<int> pressed;
    while (!events_.empty()) {
        const InputEvent e = events_.front();
        if (e.kind == InputEvent::Kind::key && e.action != kPress &&
            std::find(pressed.begin(), pressed.end(), e.key) != pressed.end()) {
            break;  // let this frame see the key down
        }
        events_.front() = InputEvent{};
        events_.pop_front();
        deliver(e);
        if (e.kind == InputEvent::Kind::key && e.action == kPress) {
            pressed.push_back(e.key);
            if (moves_focus(e.key)) {
                pause_frames_ = 1;
                break;
            }
        }
    }
}

}  // namespace svidok::app
