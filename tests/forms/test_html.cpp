// SPDX-License-Identifier: GPL-3.0-or-later
// The HTML helpers of the legal outputs: escaping and the self-contained page skeleton.

#include "forms/html.h"
#include "test_support.h"

using namespace svidok::forms;

TEST_CASE("every markup character is escaped and nothing else changes") {
    CHECK(html::escaped("") == "");
    CHECK(html::escaped("plain Київ") == "plain Київ");
    CHECK(html::escaped("<script>alert('x') & \"y\"</script>") ==
          "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    CHECK(html::escaped("&amp;") == "&amp;amp;");
    std::string out = "a";
    html::append_escaped(out, "<");
    CHECK(out == "a&lt;");
}

TEST_CASE("a document is self-contained and its title is escaped") {
    std::string doc;
    html::begin_document(doc, "Report <1>", "uk");
    doc += "<p>x</p>";
    html::end_document(doc);
    CHECK(doc.starts_with("<!DOCTYPE html>\n<html lang=\"uk\">"));
    CHECK(doc.find("<title>Report &lt;1&gt;</title>") != std::string::npos);
    CHECK(doc.find("size: A4") != std::string::npos);
    CHECK(doc.ends_with("</body>\n</html>\n"));
    // No external resource of any kind.
    for (std::string_view needle :
         {"http:", "https:", "src=", "<link", "<script", "@import", "url("})
        CHECK_MESSAGE(doc.find(needle) == std::string::npos, needle);
}
