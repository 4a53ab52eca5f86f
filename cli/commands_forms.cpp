// SPDX-License-Identifier: GPL-3.0-or-later
// form list | show | template | example: the form definitions this build knows (docs/FORMS.md).
#include <ostream>

#include "commands.h"
#include "forms/answers.h"
#include "forms/form.h"

namespace svidok::cli {
namespace {

Result<forms::Language> language_arg(const Context& ctx) {
    auto code = ctx.args.value("--lang").value_or("en");
    auto lang = forms::language_from_code(code);
    if (!lang) return fail(Errc::usage, "unknown language " + code, "use en, uk or ru");
    return *lang;
}

/// The form named by the first positional argument: its highest version, or `ID@VERSION`.
Result<const forms::FormDefinition*> form_arg(const Context& ctx,
                                              const forms::FormRegistry& registry) {
    if (ctx.args.positional.empty()) return fail(Errc::usage, "which form? give its id");
    const std::string& arg = ctx.args.positional.front();
    const auto at = arg.find('@');
    const forms::FormDefinition* form = nullptr;
    if (at == std::string::npos) {
        form = registry.find(arg);
    } else {
        std::int64_t version = 0;
        for (char c : arg.substr(at + 1)) {
            if (c < '0' || c > '9' || version > forms::kMaxFormVersion)
                return fail(Errc::usage, "bad form version in " + arg);
            version = version * 10 + (c - '0');
        }
        form = registry.find(arg.substr(0, at), version);
    }
    if (form == nullptr) {
        return fail(Errc::not_found, "no form " + arg, "`svidok-cli form list` shows the forms");
    }
    return form;
}

std::string flags(const forms::Field& f) {
    std::string out(forms::field_kind_name(f.kind));
    if (f.required) out += ", required";
    if (f.sensitive) out += ", sensitive";
    if (f.visible_when) out += ", conditional";
    return out;
}

}  // namespace

Result<> cmd_form_list(Context& ctx) {
    auto lang = language_arg(ctx);
    if (!lang) return std::unexpected(lang.error());
    auto registry = ctx.form_registry();
    if (!registry) return std::unexpected(registry.error());
    for (const auto* form : registry->all()) {
        ctx.io.out << form->id() << '@' << form->version() << "  " << form->title().in(*lang)
                   << '\n';
    }
    return {};
}

Result<> cmd_form_show(Context& ctx) {
    auto lang = language_arg(ctx);
    if (!lang) return std::unexpected(lang.error());
    auto registry = ctx.form_registry();
    if (!registry) return std::unexpected(registry.error());
    auto form = form_arg(ctx, *registry);
    if (!form) return std::unexpected(form.error());
    const auto& def = **form;
    auto& out = ctx.io.out;
    if (ctx.args.has("--json")) {
        out << def.bytes();  // the exact definition: its SHA-256 is the one records cite
        return {};
    }
    out << def.title().in(*lang) << "\n"
        << "id: " << def.id() << "\nversion: " << def.version() << "\nsha256: " << def.sha256_hex()
        << "\nfile: " << def.file_name() << "\n";
    if (def.description()) out << "\n" << def.description()->in(*lang) << "\n";
    out << "\nfields:\n";
    for (const auto& f : def.fields()) {
        out << std::string(2 * f.depth, ' ') << f.id << " (" << flags(f)
            << "): " << f.label.in(*lang) << '\n';
    }
    return {};
}

Result<> cmd_form_template(Context& ctx) {
    auto registry = ctx.form_registry();
    if (!registry) return std::unexpected(registry.error());
    auto form = form_arg(ctx, *registry);
    if (!form) return std::unexpected(form.error());
    ctx.io.out << forms::json::pretty(forms::template_for(**form)) << '\n';
    return {};
}

Result<> cmd_form_example(Context& ctx) {
    auto registry = ctx.form_registry();
    if (!registry) return std::unexpected(registry.error());
    auto form = form_arg(ctx, *registry);
    if (!form) return std::unexpected(form.error());
    ctx.io.out << forms::json::pretty(forms::example_for(**form)) << '\n';
    return {};
}

}  // namespace svidok::cli
