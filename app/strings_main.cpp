// SPDX-License-Identifier: GPL-3.0-or-later
// Strings of the main window: navigation, records, one record, identity, exchange, audit and
// settings.
#include <array>

#include "string_tables.h"

namespace svidok::app {
namespace {

constexpr std::array kStrings{
    // navigation and shared actions
    StringEntry{"nav.records", "Records", "Записи", "Записи"},
    StringEntry{"nav.identity", "Identity and recipients", "Ідентичність і отримувачі",
                "Идентичность и получатели"},
    StringEntry{"nav.exchange", "Export and import", "Експорт та імпорт", "Экспорт и импорт"},
    StringEntry{"nav.audit", "Audit", "Перевірка", "Проверка"},
    StringEntry{"nav.settings", "Settings", "Налаштування", "Настройки"},
    StringEntry{"action.cancel", "Cancel", "Скасувати", "Отменить"},
    StringEntry{"action.confirm", "Confirm", "Підтвердити", "Подтвердить"},
    StringEntry{"action.copy_hash", "Copy hash", "Копіювати хеш", "Копировать хеш"},
    StringEntry{"action.remove", "Remove", "Видалити", "Удалить"},
    StringEntry{"picker.up", "Up one folder", "На папку вище", "На папку выше"},
    StringEntry{"picker.this_folder", "Use this folder", "Обрати цю папку", "Выбрать эту папку"},
    StringEntry{"identity.fingerprint_short", "This device:", "Цей пристрій:", "Это устройство:"},

    // notices after a success
    StringEntry{"notice.sealed", "Sealed and signed as version %s.",
                "Запечатано й підписано як версію %s.", "Запечатано и подписано как версия %s."},
    StringEntry{"notice.withdrawn", "Withdrawal of consent signed. Nothing was deleted.",
                "Відкликання згоди підписано. Нічого не видалено.",
                "Отзыв согласия подписан. Ничего не удалено."},
    StringEntry{"notice.attached", "Attached %s.", "Додано файл %s.", "Добавлен файл %s."},
    StringEntry{"notice.attached_kept", "Attached, but the original was not deleted: %s",
                "Файл додано, але оригінал не видалено: %s",
                "Файл добавлен, но оригинал не удалён: %s"},
    StringEntry{"notice.recipient_added", "Recipient added.", "Отримувача додано.",
                "Получатель добавлен."},
    StringEntry{"notice.exported", "Bundle written.", "Пакет записано.", "Пакет записан."},
    StringEntry{"notice.imported", "Bundle verified and imported; receipt written.",
                "Пакет перевірено й імпортовано; квитанцію записано.",
                "Пакет проверен и импортирован; квитанция записана."},
    StringEntry{"notice.import_again", "This bundle was imported before; nothing changed.",
                "Цей пакет уже імпортовано раніше; нічого не змінилося.",
                "Этот пакет уже импортирован ранее; ничего не изменилось."},
    StringEntry{"notice.receipt", "Receipt verified: %s documents newly confirmed as delivered.",
                "Квитанцію перевірено: щойно підтверджено доставку документів: %s.",
                "Квитанция проверена: только что подтверждена доставка документов: %s."},

    // records list
    StringEntry{"records.new", "New:", "Новий:", "Новый:"},
    StringEntry{"records.search_hint", "Search narratives (Ctrl+F)", "Пошук у розповідях (Ctrl+F)",
                "Поиск в рассказах (Ctrl+F)"},
    StringEntry{"records.any", "Any", "Будь-яке", "Любое"},
    StringEntry{"records.date_from", "from YYYY-MM-DD", "від РРРР-ММ-ДД", "от ГГГГ-ММ-ДД"},
    StringEntry{"records.date_to", "to YYYY-MM-DD", "до РРРР-ММ-ДД", "до ГГГГ-ММ-ДД"},
    StringEntry{"records.count", "%d records (%.1f ms)", "Записів: %d (%.1f мс)",
                "Записей: %d (%.1f мс)"},
    StringEntry{"status.draft", "draft", "чернетка", "черновик"},
    StringEntry{"status.sealed", "sealed", "запечатано", "запечатано"},
    StringEntry{"status.amended", "amended", "доповнено", "дополнено"},
    StringEntry{"status.withdrawn", "consent withdrawn", "згоду відкликано", "согласие отозвано"},
    StringEntry{"status.delivered", "delivered", "доставлено", "доставлено"},
    StringEntry{"status.received", "received", "отримано", "получено"},

    // one record
    StringEntry{"record.id", "record %s", "запис %s", "запись %s"},
    StringEntry{"record.not_sealed", "Not sealed yet: nothing is signed.",
                "Ще не запечатано: нічого не підписано.",
                "Ещё не запечатано: ничего не подписано."},
    StringEntry{"record.verified",
                "Verified: %d signed documents, signatures and hashes recomputed now.",
                "Перевірено: підписаних документів — %d, підписи й хеші щойно обчислено заново.",
                "Проверено: подписанных документов — %d, подписи и хеши только что пересчитаны."},
    StringEntry{"record.verify_failed",
                "VERIFICATION FAILED for %d documents: do not rely on them.",
                "ПЕРЕВІРКА НЕ ПРОЙШЛА для документів: %d. Не покладайтеся на них.",
                "ПРОВЕРКА НЕ ПРОЙДЕНА для документов: %d. Не полагайтесь на них."},
    StringEntry{"record.save", "Save draft (Ctrl+S)", "Зберегти чернетку (Ctrl+S)",
                "Сохранить черновик (Ctrl+S)"},
    StringEntry{"record.seal", "Seal…", "Запечатати…", "Запечатать…"},
    StringEntry{"record.attach", "Attach a file…", "Додати файл…", "Добавить файл…"},
    StringEntry{"record.discard", "Discard draft…", "Відкинути чернетку…", "Отбросить черновик…"},
    StringEntry{"record.unsaved", "Unsaved changes (saved automatically)",
                "Є незбережені зміни (зберігаються автоматично)",
                "Есть несохранённые изменения (сохраняются автоматически)"},
    StringEntry{"record.saved", "Draft saved", "Чернетку збережено", "Черновик сохранён"},
    StringEntry{"record.amend", "Amend (new version)", "Доповнити (нова версія)",
                "Дополнить (новая версия)"},
    StringEntry{"record.withdraw", "Withdraw consent…", "Відкликати згоду…", "Отозвать согласие…"},
    StringEntry{"record.verify", "Verify again", "Перевірити ще раз", "Проверить ещё раз"},
    StringEntry{"record.history", "Version history", "Історія версій", "История версий"},
    StringEntry{"record.col.document", "Document", "Документ", "Документ"},
    StringEntry{"record.col.sealed_at", "Signed at", "Підписано", "Подписано"},
    StringEntry{"record.col.check", "Check", "Перевірка", "Проверка"},
    StringEntry{"record.version", "Version %d", "Версія %d", "Версия %d"},
    StringEntry{"record.withdrawal", "Consent withdrawn (after version %d)",
                "Згоду відкликано (після версії %d)", "Согласие отозвано (после версии %d)"},
    StringEntry{"record.ok", "signature and hash verify", "підпис і хеш правильні",
                "подпись и хеш верны"},
    StringEntry{"record.purged", "answers removed after delivery; hash and signature kept",
                "відповіді видалено після доставки; хеш і підпис збережено",
                "ответы удалены после доставки; хеш и подпись сохранены"},
    StringEntry{"record.delivery", "Delivery", "Доставка", "Доставка"},
    StringEntry{"record.delivery_line", "%s: sent %d of %d documents, confirmed %d of %d",
                "%s: надіслано документів: %d із %d, підтверджено: %d із %d",
                "%s: отправлено документов: %d из %d, подтверждено: %d из %d"},
    StringEntry{"record.custodian",
                "(must confirm before the record may be removed from this device)",
                "(має підтвердити, перш ніж запис можна буде видалити з цього пристрою)",
                "(должен подтвердить, прежде чем запись можно будет удалить с этого устройства)"},
    StringEntry{"record.delivered_all",
                "Every recipient that must confirm has confirmed every document.",
                "Усі одержувачі, які мають підтвердити, підтвердили всі документи.",
                "Все получатели, которые должны подтвердить, подтвердили все документы."},
    StringEntry{
        "record.delivered_not_all",
        "Not yet confirmed by every recipient that must confirm: this record stays here.",
        "Ще не підтверджено всіма одержувачами, які мають підтвердити: запис лишається тут.",
        "Ещё не подтверждено всеми получателями, которые должны подтвердить: запись остаётся "
        "здесь."},
    StringEntry{"record.attachments", "Attached files", "Додані файли", "Добавленные файлы"},
    StringEntry{"seal.title", "Seal this record", "Запечатати цей запис", "Запечатать эту запись"},
    StringEntry{"seal.intro",
                "Sealing signs the answers and files as they are now. A sealed version can never "
                "be changed: corrections become a new version that points to this one.",
                "Запечатування підписує відповіді й файли такими, як вони є зараз. Запечатану "
                "версію змінити неможливо: виправлення стають новою версією з посиланням на цю.",
                "Запечатывание подписывает ответы и файлы в их нынешнем виде. Запечатанную версию "
                "изменить невозможно: исправления становятся новой версией со ссылкой на эту."},
    StringEntry{"seal.form", "Form: %s, version %d", "Форма: %s, версія %d",
                "Форма: %s, версия %d"},
    StringEntry{"seal.version", "Record version: %d", "Версія запису: %d", "Версия записи: %d"},
    StringEntry{"seal.files", "Attached files: %d", "Доданих файлів: %d", "Добавленных файлов: %d"},
    StringEntry{"seal.signer", "Signed by this device: %s", "Підписує цей пристрій: %s",
                "Подписывает это устройство: %s"},
    StringEntry{"seal.issues", "%d answers must be fixed before sealing:",
                "Перед запечатуванням треба виправити відповіді: %d",
                "Перед запечатыванием нужно исправить ответы: %d"},
    StringEntry{"withdraw.title", "Withdraw consent", "Відкликати згоду", "Отозвать согласие"},
    StringEntry{"withdraw.intro",
                "The witness withdraws consent. A signed withdrawal is added and travels to the "
                "legal team; the sealed versions stay as evidence that they existed.",
                "Свідок відкликає згоду. Додається підписане відкликання, яке надходить юридичній "
                "команді; запечатані версії лишаються як доказ того, що вони існували.",
                "Свидетель отзывает согласие. Добавляется подписанный отзыв, который поступает "
                "юридической команде; запечатанные версии остаются как доказательство того, что "
                "они существовали."},
    StringEntry{"discard.title", "Discard the draft", "Відкинути чернетку", "Отбросить черновик"},
    StringEntry{
        "discard.intro",
        "The unsealed answers and files of this draft are deleted. Sealed versions are kept.",
        "Незапечатані відповіді й файли цієї чернетки буде видалено. Запечатані версії "
        "збережуться.",
        "Незапечатанные ответы и файлы этого черновика будут удалены. Запечатанные версии "
        "сохранятся."},
    StringEntry{"attach.intro",
                "Choose a file. It is hashed and encrypted into the vault as it is read; nothing "
                "in it is changed.",
                "Оберіть файл. Під час читання він хешується й шифрується у сховище; у ньому "
                "нічого не змінюється.",
                "Выберите файл. При чтении он хешируется и шифруется в хранилище; в нём ничего не "
                "меняется."},
    StringEntry{"attach.delete_original", "Delete the original after storing it",
                "Видалити оригінал після збереження", "Удалить оригинал после сохранения"},
    StringEntry{"attach.delete_caveat",
                "The original is overwritten and removed, but on SSDs and some file systems old "
                "copies can survive. Do not rely on this alone.",
                "Оригінал буде перезаписано й видалено, але на SSD і деяких файлових системах "
                "старі копії можуть лишитися. Не покладайтеся лише на це.",
                "Оригинал будет перезаписан и удалён, но на SSD и некоторых файловых системах "
                "старые копии могут остаться. Не полагайтесь только на это."},
    StringEntry{"attach.gps", "contains location (GPS) data", "містить дані про місце (GPS)",
                "содержит данные о местоположении (GPS)"},

    // identity and recipients
    StringEntry{"identity.title", "This vault's identity", "Ідентичність цього сховища",
                "Идентичность этого хранилища"},
    StringEntry{"identity.intro",
                "Read the fingerprint aloud to the other side by phone or in person: it proves "
                "bundles and receipts come from this vault.",
                "Прочитайте відбиток іншій стороні телефоном або особисто: він доводить, що пакети "
                "й квитанції надходять із цього сховища.",
                "Прочитайте отпечаток другой стороне по телефону или лично: он доказывает, что "
                "пакеты и квитанции приходят из этого хранилища."},
    StringEntry{"identity.share",
                "To receive bundles, give this text (or the QR code) to the sender:",
                "Щоб отримувати пакети, передайте відправникові цей текст (або QR-код):",
                "Чтобы получать пакеты, передайте отправителю этот текст (или QR-код):"},
    StringEntry{"identity.copy", "Copy", "Копіювати", "Копировать"},
    StringEntry{"recipients.title", "Recipients (who bundles are encrypted to)",
                "Отримувачі (для кого шифруються пакети)",
                "Получатели (для кого шифруются пакеты)"},
    StringEntry{"recipients.none", "No recipients yet: add the legal team below.",
                "Отримувачів ще немає: додайте юридичну команду нижче.",
                "Получателей пока нет: добавьте юридическую команду ниже."},
    StringEntry{"recipients.no_receipts", " (its receipts cannot be checked)",
                " (його квитанції неможливо перевірити)", " (его квитанции невозможно проверить)"},
    StringEntry{"recipients.name_hint", "Name, e.g. legal-team", "Назва, напр. legal-team",
                "Название, напр. legal-team"},
    StringEntry{"recipients.identity_hint", "Paste the recipient's identity (age1… RW…)",
                "Вставте ідентичність отримувача (age1… RW…)",
                "Вставьте идентичность получателя (age1… RW…)"},
    StringEntry{"recipients.add", "Add recipient", "Додати отримувача", "Добавить получателя"},
    StringEntry{"senders.title", "Trusted senders (pinned on first import)",
                "Довірені відправники (закріплені під час першого імпорту)",
                "Доверенные отправители (закреплены при первом импорте)"},
    StringEntry{"senders.none", "No bundles received yet.", "Пакетів ще не отримано.",
                "Пакеты ещё не получены."},
    StringEntry{"senders.row", "%s: %d documents, trusted since %s",
                "%s: документів — %d, довіра з %s", "%s: документов — %d, доверие с %s"},

    // export and import
    StringEntry{"export.title", "Export a bundle for the legal team",
                "Експортувати пакет для юридичної команди",
                "Экспортировать пакет для юридической команды"},
    StringEntry{"export.no_recipients", "Add a recipient under Identity and recipients first.",
                "Спершу додайте отримувача в розділі «Ідентичність і отримувачі».",
                "Сначала добавьте получателя в разделе «Идентичность и получатели»."},
    StringEntry{"export.step_to", "1. Encrypt to:", "1. Зашифрувати для:", "1. Зашифровать для:"},
    StringEntry{"export.step_what", "2. Which records:", "2. Які записи:", "2. Какие записи:"},
    StringEntry{"export.undelivered", "Not yet delivered", "Ще не доставлені",
                "Ещё не доставленные"},
    StringEntry{"export.all", "All sealed", "Усі запечатані", "Все запечатанные"},
    StringEntry{"export.chosen", "Chosen in the list (%d)", "Обрані у списку (%d)",
                "Выбранные в списке (%d)"},
    StringEntry{"export.step_where", "3. Folder (e.g. a USB stick):",
                "3. Папка (напр. USB-накопичувач):", "3. Папка (напр. USB-накопитель):"},
    StringEntry{"export.folder_chosen", "Folder: %s", "Папка: %s", "Папка: %s"},
    StringEntry{"export.button", "Write the encrypted bundle", "Записати зашифрований пакет",
                "Записать зашифрованный пакет"},
    StringEntry{"export.result", "Wrote %d records and %d files to %s",
                "Записано записів: %d, файлів: %d до %s", "Записано записей: %d, файлов: %d в %s"},
    StringEntry{"import.title", "Import a bundle or a receipt", "Імпортувати пакет або квитанцію",
                "Импортировать пакет или квитанцию"},
    StringEntry{"import.intro",
                "Every signature, hash and log proof is checked before anything is stored; a "
                "bundle that fails any check changes nothing.",
                "Кожен підпис, хеш і доказ журналу перевіряються до збереження; пакет, що не "
                "пройшов будь-яку перевірку, нічого не змінює.",
                "Каждая подпись, хеш и доказательство журнала проверяются до сохранения; пакет, "
                "не прошедший любую проверку, ничего не меняет."},
    StringEntry{"import.chosen", "File: %s", "Файл: %s", "Файл: %s"},
    StringEntry{"import.button", "Verify and import", "Перевірити й імпортувати",
                "Проверить и импортировать"},
    StringEntry{"import.receipt_button", "Verify the receipt", "Перевірити квитанцію",
                "Проверить квитанцию"},
    StringEntry{
        "import.trust_intro",
        "First bundle from this sender. Call the sender, ask them to read the fingerprint "
        "on their Identity page, and type it here only if it matches the one above.",
        "Перший пакет від цього відправника. Зателефонуйте йому, попросіть прочитати "
        "відбиток зі сторінки «Ідентичність» і введіть його тут, лише якщо він збігається "
        "з наведеним вище.",
        "Первый пакет от этого отправителя. Позвоните ему, попросите прочитать отпечаток со "
        "страницы «Идентичность» и введите его здесь, только если он совпадает с "
        "приведённым выше."},
    StringEntry{"import.fingerprint_hint", "Fingerprint as read out by the sender",
                "Відбиток, як його прочитав відправник", "Отпечаток, как его прочитал отправитель"},
    StringEntry{"import.trust_button", "Trust this sender and import",
                "Довіряти відправникові та імпортувати", "Доверять отправителю и импортировать"},
    StringEntry{"import.report.sender", "Sender: %s", "Відправник: %s", "Отправитель: %s"},
    StringEntry{"import.report.signatures", "Signatures and hashes verified: %d documents",
                "Підписи й хеші перевірено: документів — %d",
                "Подписи и хеши проверены: документов — %d"},
    StringEntry{"import.report.new", "New documents: %d, records: %d",
                "Нових документів: %d, записів: %d", "Новых документов: %d, записей: %d"},
    StringEntry{"import.report.files", "Files verified: %d", "Файлів перевірено: %d",
                "Файлов проверено: %d"},
    StringEntry{"import.report.log", "Sender's log consistent up to %d entries",
                "Журнал відправника узгоджений до %d записів",
                "Журнал отправителя согласован до %d записей"},
    StringEntry{"import.report.missing", "%d entries of the sender's log were never received",
                "Записів журналу відправника, яких не отримано: %d",
                "Записей журнала отправителя, которые не получены: %d"},
    StringEntry{"import.report.receipt", "Receipt for the sender: %s",
                "Квитанція для відправника: %s", "Квитанция для отправителя: %s"},
    StringEntry{"import.report.no_receipt", "No receipt written: %s", "Квитанцію не записано: %s",
                "Квитанция не записана: %s"},

    // audit
    StringEntry{"audit.title", "Audit the whole vault", "Перевірити все сховище",
                "Проверить всё хранилище"},
    StringEntry{"audit.intro",
                "Recomputes every signature and hash, decrypts and hashes every attached file, "
                "and checks the log against every checkpoint this vault issued.",
                "Заново обчислює кожен підпис і хеш, розшифровує й хешує кожен доданий файл і "
                "звіряє журнал з кожною контрольною точкою, яку видало це сховище.",
                "Заново вычисляет каждую подпись и хеш, расшифровывает и хеширует каждый "
                "добавленный файл и сверяет журнал с каждой контрольной точкой, которую выдало "
                "это хранилище."},
    StringEntry{"audit.button", "Start the audit", "Почати перевірку", "Начать проверку"},
    StringEntry{"audit.ok", "Everything verifies.", "Усе перевірено успішно.",
                "Всё проверено успешно."},
    StringEntry{"audit.failed", "%d problems found: see below.",
                "Знайдено проблем: %d (див. нижче).", "Найдено проблем: %d (см. ниже)."},
    StringEntry{"audit.records", "%d records, %d sealed versions, %d withdrawals",
                "Записів: %d, запечатаних версій: %d, відкликань: %d",
                "Записей: %d, запечатанных версий: %d, отзывов: %d"},
    StringEntry{"audit.log", "Log: %d entries, %d checkpoints consistent",
                "Журнал: записів — %d, узгоджених контрольних точок — %d",
                "Журнал: записей — %d, согласованных контрольных точек — %d"},
    StringEntry{"audit.files", "Files: %d (%.1f MiB) decrypted and hashed",
                "Файли: %d (%.1f МіБ) розшифровано й хешовано",
                "Файлы: %d (%.1f МиБ) расшифрованы и хешированы"},

    // settings
    StringEntry{"settings.title", "Settings", "Налаштування", "Настройки"},
    StringEntry{"settings.auto_lock", "Lock after idle", "Блокувати після бездіяльності",
                "Блокировать после бездействия"},
    StringEntry{"settings.minutes", "%d min", "%d хв", "%d мин"},
    StringEntry{"settings.never", "never", "ніколи", "никогда"},
    StringEntry{"settings.text_size", "Text size", "Розмір тексту", "Размер текста"},
    StringEntry{"settings.note",
                "Settings are kept in the config folder and contain no testimony data.",
                "Налаштування зберігаються в папці конфігурації й не містять даних свідчень.",
                "Настройки хранятся в папке конфигурации и не содержат данных показаний."},
    StringEntry{"settings.about", "About this program", "Про програму", "О программе"},
    StringEntry{"settings.version", "Version %s", "Версія %s", "Версия %s"},
    StringEntry{"settings.commit", "Source commit %s", "Коміт вихідного коду %s",
                "Коммит исходного кода %s"},
    StringEntry{"settings.build", "Build %s", "Збірка %s", "Сборка %s"},
};

}  // namespace

std::span<const StringEntry> strings_main() noexcept {
    return kStrings;
}

}  // namespace svidok::app
