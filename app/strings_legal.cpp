// SPDX-License-Identifier: GPL-3.0-or-later
// Strings of the legal outputs page: the verification report, the court printout and the
// case-system export.
#include <array>

#include "string_tables.h"

namespace svidok::app {
namespace {

constexpr std::array kStrings{
    StringEntry{"nav.legal", "Court and case system", "Суд і справи", "Суд и дела"},
    StringEntry{"legal.title", "Outputs for the court and the case system",
                "Документи для суду та системи справ", "Документы для суда и системы дел"},
    StringEntry{"legal.folder", "Where the files go (keep them on an encrypted disk):",
                "Куди записати файли (тримайте їх на зашифрованому диску):",
                "Куда записать файлы (храните их на зашифрованном диске):"},
    StringEntry{"legal.folder_chosen", "Folder: %s", "Тека: %s", "Папка: %s"},
    StringEntry{"legal.format_html", "HTML (prints on A4)", "HTML (друк на A4)",
                "HTML (печать на A4)"},
    StringEntry{"legal.format_json", "JSON (for programs)", "JSON (для програм)",
                "JSON (для программ)"},
    StringEntry{"legal.format_csv", "CSV (Uwazi, spreadsheets)", "CSV (Uwazi, таблиці)",
                "CSV (Uwazi, таблицы)"},

    // verification report
    StringEntry{"legal.report.title", "Verification report", "Звіт про перевірку",
                "Отчёт о проверке"},
    StringEntry{
        "legal.report.explain",
        "Checks a bundle again, every signature, file hash and log proof, and writes a report a "
        "court "
        "or an independent expert can read. Nothing is imported or changed.",
        "Ще раз перевіряє пакет, кожен підпис, хеш файлу та доказ журналу, і записує звіт, який "
        "може прочитати суд або незалежний експерт. Нічого не імпортується й не змінюється.",
        "Ещё раз проверяет пакет, каждую подпись, хеш файла и доказательство журнала, и "
        "записывает отчёт, который может прочитать суд или независимый эксперт. Ничего не "
        "импортируется и не меняется."},
    StringEntry{"legal.report.choose", "The bundle (.age) to check:", "Пакет (.age) для перевірки:",
                "Пакет (.age) для проверки:"},
    StringEntry{"legal.report.bundle_chosen", "Bundle: %s", "Пакет: %s", "Пакет: %s"},
    StringEntry{"legal.report.button", "Write the report", "Записати звіт", "Записать отчёт"},
    StringEntry{"legal.report.unknown_sender",
                "Check it even if its sender is not known to this vault",
                "Перевірити, навіть якщо відправник цьому сховищу невідомий",
                "Проверить, даже если отправитель этому хранилищу неизвестен"},
    StringEntry{"legal.report.all_verified", "All %d records verified.",
                "Усі записи перевірено: %d.", "Все записи проверены: %d."},
    StringEntry{"legal.report.problems", "%d verified, %d failed, %d missing from the log.",
                "Перевірено: %d, не пройшли перевірку: %d, відсутні в журналі: %d.",
                "Проверено: %d, не прошли проверку: %d, отсутствуют в журнале: %d."},
    StringEntry{"legal.written", "Written: %s", "Записано: %s", "Записано: %s"},
    StringEntry{"notice.legal_written", "Written.", "Записано.", "Записано."},

    // court printout
    StringEntry{"legal.print.title", "Court printout", "Роздруківка для суду",
                "Распечатка для суда"},
    StringEntry{
        "legal.print.explain",
        "One page per record chosen in the records list: its answers with their labels, hashes and "
        "signatures, and the commands an independent expert runs to check them with standard "
        "tools.",
        "Одна сторінка на кожен запис, вибраний у списку записів: відповіді з підписами полів, "
        "хеші, "
        "підписи та команди, якими незалежний експерт перевіряє їх стандартними інструментами.",
        "Одна страница на каждую запись, выбранную в списке записей: ответы с подписями полей, "
        "хеши, "
        "подписи и команды, которыми независимый эксперт проверяет их стандартными инструментами."},
    StringEntry{"legal.print.none", "Choose records in the records list first.",
                "Спершу виберіть записи у списку записів.",
                "Сначала выберите записи в списке записей."},
    StringEntry{"legal.print.button", "Write %d printouts", "Записати роздруківки: %d",
                "Записать распечатки: %d"},
    StringEntry{"legal.print.done", "%d printouts written to %s", "Роздруківок записано: %d, у %s",
                "Распечаток записано: %d, в %s"},

    // case-system export
    StringEntry{"legal.export.title", "Export for the case system", "Експорт до системи справ",
                "Экспорт в систему дел"},
    StringEntry{
        "legal.export.explain",
        "One table per form (repeating parts in linked tables), the attached files named by their "
        "hash, and each record's hash and verification status.",
        "Одна таблиця на форму (повторювані частини — у пов'язаних таблицях), вкладені файли, "
        "названі за їхнім хешем, а також хеш і стан перевірки кожного запису.",
        "Одна таблица на форму (повторяющиеся части — в связанных таблицах), вложенные файлы, "
        "названные по их хешу, а также хеш и состояние проверки каждой записи."},
    StringEntry{
        "legal.export.warning",
        "These files are NOT encrypted. Anyone who gets this disk can read every testimony in "
        "them, "
        "and the witnesses' names where this vault can open them. Write them only to an encrypted "
        "disk, and delete them once the case system has them.",
        "Ці файли НЕ зашифровані. Будь-хто, до кого потрапить цей диск, прочитає кожне свідчення в "
        "них, а також імена свідків, якщо це сховище може їх відкрити. Записуйте їх лише на "
        "зашифрований диск і видаліть, щойно система справ їх отримає.",
        "Эти файлы НЕ зашифрованы. Любой, к кому попадёт этот диск, прочтёт каждое показание в "
        "них, а также имена свидетелей, если это хранилище может их открыть. Записывайте их только "
        "на зашифрованный диск и удалите, как только система дел их получит."},
    StringEntry{"legal.export.confirm", "I understand that these files are unencrypted",
                "Я розумію, що ці файли не зашифровані", "Я понимаю, что эти файлы не зашифрованы"},
    StringEntry{"legal.export.bom", "Add a byte-order mark (for spreadsheet programs)",
                "Додати мітку порядку байтів (для табличних програм)",
                "Добавить метку порядка байтов (для табличных программ)"},
    StringEntry{"legal.export.button", "Write the export", "Записати експорт", "Записать экспорт"},
    StringEntry{"legal.export.done", "%d records written to %s", "Записів записано: %d, у %s",
                "Записей записано: %d, в %s"},
};

}  // namespace

std::span<const StringEntry> strings_legal() noexcept {
    return kStrings;
}

}  // namespace svidok::app
