// SPDX-License-Identifier: GPL-3.0-or-later
// Strings of the vault, recovery-code and shared screens.
#include <array>

#include "string_tables.h"

namespace svidok::app {
namespace {

// Strings are NUL-terminated literals, so tr() can hand ImGui a const char*.
constexpr std::array kStrings{
    StringEntry{"app.title", "Svidok", "Свідок", "Свидетель"},
    StringEntry{"vault.create.title", "Create a vault", "Створити сховище", "Создать хранилище"},
    StringEntry{"vault.create.intro",
                "Svidok keeps testimonies in an encrypted vault on this computer. Choose a "
                "passphrase of at least 12 characters: several words are easiest to remember.",
                "Свідок зберігає свідчення в зашифрованому сховищі на цьому комп'ютері. Оберіть "
                "парольну фразу щонайменше з 12 символів: кілька слів запам'ятати найлегше.",
                "Свидетель хранит показания в зашифрованном хранилище на этом компьютере. "
                "Выберите парольную фразу не короче 12 символов: несколько слов запомнить легче "
                "всего."},
    StringEntry{"vault.passphrase", "Passphrase", "Парольна фраза", "Парольная фраза"},
    StringEntry{"vault.passphrase_repeat", "Repeat passphrase", "Повторіть парольну фразу",
                "Повторите парольную фразу"},
    StringEntry{"vault.create.button", "Create vault", "Створити сховище", "Создать хранилище"},
    StringEntry{"vault.unlock.title", "Unlock the vault", "Відкрити сховище", "Открыть хранилище"},
    StringEntry{"vault.unlock.button", "Unlock", "Відкрити", "Открыть"},
    StringEntry{"vault.location", "Vault: %s", "Сховище: %s", "Хранилище: %s"},
    StringEntry{"vault.working", "Deriving the key…", "Обчислення ключа…", "Вычисление ключа…"},
    StringEntry{"vault.locking.title", "Locking the vault", "Сховище блокується",
                "Хранилище блокируется"},
    StringEntry{"vault.locking.wait",
                "Nothing of the vault is shown any more. The work that was running is being "
                "stopped; if it cannot be stopped safely, the vault locks as soon as it ends.",
                "Уміст сховища більше не показується. Роботу, що виконувалася, зупиняємо; якщо "
                "її не можна безпечно перервати, сховище заблокується, щойно вона завершиться.",
                "Содержимое хранилища больше не показывается. Выполнявшаяся работа "
                "останавливается; если её нельзя безопасно прервать, хранилище заблокируется, "
                "как только она закончится."},
    StringEntry{"notice.locked_unfinished",
                "Locked. The work that was running did not finish; start it again after "
                "unlocking.",
                "Заблоковано. Робота, що виконувалася, не завершилася; почніть її знову, коли "
                "відкриєте сховище.",
                "Заблокировано. Выполнявшаяся работа не завершилась; начните её снова, когда "
                "откроете хранилище."},
    StringEntry{"vault.caps_lock", "Caps Lock is on.", "Увімкнено Caps Lock.",
                "Включён Caps Lock."},
    StringEntry{"recovery.title", "Recovery code", "Код відновлення", "Код восстановления"},
    StringEntry{"recovery.intro",
                "Write this code on paper now. It is shown only once. With it the vault can be "
                "opened if the passphrase is forgotten, so keep the paper away from the laptop.",
                "Запишіть цей код на папері зараз. Він показується лише один раз. З ним сховище "
                "можна відкрити, якщо парольну фразу забуто, тож зберігайте папір окремо від "
                "ноутбука.",
                "Запишите этот код на бумаге сейчас. Он показывается только один раз. С ним "
                "хранилище можно открыть, если парольная фраза забыта, поэтому храните бумагу "
                "отдельно от ноутбука."},
    StringEntry{"recovery.written", "I wrote it down", "Я записав(-ла) код", "Я записал(а) код"},
    StringEntry{"recovery.continue", "Continue", "Продовжити", "Продолжить"},
    StringEntry{"records.title", "Records", "Записи", "Записи"},
    StringEntry{"records.empty", "No records yet.", "Записів ще немає.", "Записей пока нет."},
    StringEntry{"records.col.form", "Form", "Форма", "Форма"},
    StringEntry{"records.col.status", "Status", "Стан", "Статус"},
    StringEntry{"records.col.date", "Incident date", "Дата події", "Дата события"},
    StringEntry{"records.col.place", "Place", "Місце", "Место"},
    StringEntry{"records.col.pseudonym", "Pseudonym", "Псевдонім", "Псевдоним"},
    StringEntry{"identity.fingerprint", "Fingerprint: %s", "Відбиток: %s", "Отпечаток: %s"},
    StringEntry{"action.lock", "Lock (Ctrl+L)", "Заблокувати (Ctrl+L)", "Заблокировать (Ctrl+L)"},
    StringEntry{"error.prefix", "Error: %s", "Помилка: %s", "Ошибка: %s"},
    StringEntry{"error.hint", "What to do: %s", "Що зробити: %s", "Что сделать: %s"},
    StringEntry{"settings.language", "Language", "Мова", "Язык"},
};
}  // namespace

std::span<const StringEntry> strings_core() noexcept {
    return kStrings;
}

}  // namespace svidok::app
