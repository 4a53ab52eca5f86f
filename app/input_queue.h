// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Keyboard input delivered to ImGui 1.86 at a pace it can follow. 1.86 has no input queue: it
// samples key state once per frame and applies queued characters to whichever field is active
// in that frame. Typed fast (a quick typist, a password manager's auto-type, xdotool), a Tab
// and the characters after it arrive in one frame, and those characters land in the old field
// or, in the frame the new field activates, are dropped. This queue keeps events in order and
// hands each frame only what it can take:
// - a key released in the frame it was pressed is released in the next frame;
// - after a key that moves focus (Tab, Enter, Escape, arrows), delivery pauses one frame so
//   the next field is active before its characters arrive.
// No ImGui or GLFW here: key codes are GLFW's, delivery is a callback. Typed characters are
// passphrases and testimony: a delivered event is zeroed in place (a deque keeps its blocks).

#include <deque>
#include <functional>
#include <vector>

namespace svidok::app {

struct InputEvent {
    enum class Kind { key, character } kind;
    int key = 0, scancode = 0, action = 0,
        mods = 0;            // GLFW key event (action: 0 up, 1 down, 2 repeat)
    unsigned codepoint = 0;  // character event
};

class InputQueue {
public:
    void push(const InputEvent& e) { events_.push_back(e); }
    /// Events are waiting: the caller should render another frame soon.
    [[nodiscard]] bool pending() const noexcept { return !events_.empty(); }
    /// Call once per frame before the frame starts; hands `deliver` this frame's events.
    void deliver_frame(const std::function<void(const InputEvent&)>& deliver);

private:
    std::deque<InputEvent> events_;
    int pause_frames_ = 0;
};

}  // namespace svidok::app
