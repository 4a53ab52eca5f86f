// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/html.h"

namespace svidok::forms::html {

namespace {

constexpr std::string_view kStyle = R"css(
@page { size: A4; margin: 18mm 16mm; }
html { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; }
body { margin: 0 auto; max-width: 178mm; line-height: 1.4; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm; }
th, td { border: 1px solid #bbb; padding: 1mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: bold; }
tr { break-inside: avoid; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.ok { color: #0a5d1e; font-weight: bold; }
.fail { color: #a40000; font-weight: bold; }
.warn { color: #8a5a00; font-weight: bold; }
.meaning { color: #333; font-style: italic; }
.record { break-inside: auto; border-top: 2px solid #444; margin-top: 6mm; padding-top: 1mm; }
.muted { color: #555; }
pre { white-space: pre-wrap; font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt;
      background: #f4f4f4; padding: 2mm; border: 1px solid #ccc; }
)css";

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
}

std::string escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

void begin_document(std::string& out, std::string_view title, std::string_view lang) {
    out += "<!DOCTYPE html>\n<html lang=\"";
    append_escaped(out, lang);
    out += "\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
    append_escaped(out, title);
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n";
}

void end_document(std::string& out) {
    out += "</body>\n</html>\n";
}

}  // namespace svidok::forms::html
