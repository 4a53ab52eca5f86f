// SPDX-License-Identifier: GPL-3.0-or-later
// The model's outputs for the court and the case system: the verification report, the court
// printout and the case export. The library does the work (store/verification_report.h,
// store/case_export.h); this file names the files and sequences the work with the worker.
#include <ctime>

#include "crypto/encoding.h"
#include "i18n.h"
#include "model.h"
#include "store/atomic_file.h"
#include "store/verification_report.h"

namespace svidok::app {
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kLegalEstimate{1500};

/// "20261122-081502": UTC, sortable, safe in a file name.
std::string file_stamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
    return buf;
}

}  // namespace

void Model::write_report(const fs::path& bundle, ReportFormat format, const fs::path& folder,
                         bool unknown_sender) {
    if (!ready()) return;
    legal_done_.reset();
    std::string name = "verification-report-";
    name += file_stamp();
    name += format == ReportFormat::html ? ".html" : ".json";
    start(
        [s = session_.get(), bundle, format, out = folder / name,
         unknown_sender]() -> Result<Apply> {
            auto report = s->bundles->verify_bundle(
                bundle, {.trust_fingerprint = {}, .unknown_sender = unknown_sender});
            if (!report) return std::unexpected(report.error());
            std::string text;
            if (format == ReportFormat::html) {
                text = store::report_html(*report);
            } else {
                auto json = store::report_json(*report);
                if (!json) return std::unexpected(json.error());
                text = std::move(*json);
            }
            if (auto w = store::write_new_file(out, crypto::as_bytes(text)); !w)
                return std::unexpected(w.error());
            LegalDone done{.path = out,
                           .count = report->records.size(),
                           .report = true,
                           .all_verified = report->all_verified(),
                           .verified = report->verified_count(),
                           .failed = report->failed_count(),
                           .missing = report->missing.size()};
            return [done = std::move(done)](Model* self) {
                self->legal_done_ = done;
                self->succeed("legal_written");
            };
        },
        kLegalEstimate, false);
}

void Model::print_records(std::vector<store::RecordId> ids, const fs::path& folder) {
    if (!ready()) return;
    legal_done_.reset();
    start(
        [s = session_.get(), ids = std::move(ids), folder,
         lang = content_language()]() -> Result<Apply> {
            store::CaseExport cases(*s->records);
            // Every page is made before the first is written, so a record that cannot be
            // printed leaves no partial set behind.
            std::vector<std::pair<fs::path, std::string>> pages;
            for (const auto& id : ids) {
                const std::string hex = crypto::to_hex(id);
                auto record = cases.find(hex);
                if (!record) return std::unexpected(record.error());
                auto page = cases.printout(*record, lang);
                if (!page) return std::unexpected(page.error());
                pages.emplace_back(folder / (hex + ".html"), std::move(*page));
            }
            for (const auto& [path, page] : pages) {
                if (auto w = store::write_new_file(path, crypto::as_bytes(page)); !w)
                    return std::unexpected(w.error());
            }
            LegalDone done{.path = folder, .count = pages.size()};
            return [done = std::move(done)](Model* self) {
                self->legal_done_ = done;
                self->succeed("legal_written");
            };
        },
        kLegalEstimate, false);
}

void Model::export_case(store::CaseFormat format, bool bom, const fs::path& folder) {
    if (!ready()) return;
    legal_done_.reset();
    std::string name = "case-export-";
    name += file_stamp();
    store::CaseExportOptions options{.out = folder / name,
                                     .format = format,
                                     .form = std::nullopt,
                                     .lang = content_language(),
                                     .bom = bom,
                                     .verify = {}};
    start(
        [s = session_.get(), options = std::move(options)]() -> Result<Apply> {
            auto r = store::CaseExport(*s->records).write(options);
            if (!r) return std::unexpected(r.error());
            LegalDone done{.path = options.out, .count = r->records};
            return [done = std::move(done)](Model* self) {
                self->legal_done_ = done;
                self->succeed("legal_written");
            };
        },
        kLegalEstimate, false);
}

}  // namespace svidok::app
