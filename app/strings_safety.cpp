// SPDX-License-Identifier: GPL-3.0-or-later
// Strings of the safety page, the wipe confirmation, the decoy and sealed answers.
#include <array>

#include "string_tables.h"

namespace svidok::app {
namespace {

constexpr std::array kStrings{
    StringEntry{"nav.safety", "Safety", "Безпека", "Безопасность"},
    StringEntry{"safety.title", "Safety under seizure and coercion",
                "Безпека при вилученні та примусі", "Безопасность при изъятии и принуждении"},
    StringEntry{"safety.apply", "Apply", "Застосувати", "Применить"},

    // seal recipients
    StringEntry{"safety.seal.title", "Legal team for witness identities",
                "Юридична команда для особистих даних свідків",
                "Юридическая команда для личных данных свидетелей"},
    StringEntry{
        "safety.seal.explain",
        "When a record is sealed, its sensitive answers (the witness's real name, contacts, exact "
        "address) are encrypted to the recipients ticked here and removed from this laptop. After "
        "sealing, this laptop cannot show them any more; only they can.",
        "Під час запечатування чутливі відповіді (справжнє ім'я свідка, контакти, точна адреса) "
        "шифруються для позначених тут отримувачів і видаляються з цього ноутбука. Після "
        "запечатування цей ноутбук більше не може їх показати; можуть лише вони.",
        "При запечатывании чувствительные ответы (настоящее имя свидетеля, контакты, точный адрес) "
        "шифруются для отмеченных здесь получателей и удаляются с этого ноутбука. После "
        "запечатывания этот ноутбук больше не может их показать; могут только они."},
    StringEntry{
        "safety.seal.no_recipients",
        "No recipients yet: add the legal team on the Identity page first.",
        "Отримувачів ще немає: спершу додайте юридичну команду на сторінці «Ідентичність».",
        "Получателей пока нет: сначала добавьте юридическую команду на странице «Идентичность»."},

    // wipe after failed attempts
    StringEntry{"safety.attempts.title", "Wipe after wrong passphrases",
                "Знищення після хибних паролів", "Уничтожение после неверных паролей"},
    StringEntry{
        "safety.attempts.explain",
        "Off by default. When on, that many wrong passphrases in a row destroy this vault for "
        "good. "
        "Risk: your own typing mistakes, or someone who types wrong ones on purpose, destroy every "
        "record not yet handed over. It does not stop someone who copies the disk first.",
        "Типово вимкнено. Якщо ввімкнути, стільки хибних паролів поспіль назавжди знищать це "
        "сховище. Ризик: ваші власні помилки або хтось, хто навмисно вводить хибні паролі, знищать "
        "усі записи, ще не передані. Це не зупинить того, хто спершу скопіює диск.",
        "По умолчанию выключено. Если включить, столько неверных паролей подряд навсегда уничтожат "
        "это хранилище. Риск: ваши собственные ошибки или тот, кто нарочно вводит неверные пароли, "
        "уничтожат все ещё не переданные записи. Это не остановит того, кто сначала скопирует "
        "диск."},
    StringEntry{"safety.attempts.off", "off", "вимкнено", "выключено"},
    StringEntry{"safety.attempts.after", "after %d wrong", "після %d хибних", "после %d неверных"},

    // duress passphrase and decoy
    StringEntry{"safety.duress.title", "Duress passphrase", "Пароль під примусом",
                "Пароль под принуждением"},
    StringEntry{
        "safety.duress.explain",
        "A second passphrase to give if you are forced to unlock. It opens an ordinary-looking "
        "decoy "
        "vault with the few records you put there, and, if you tick it, destroys this vault's keys "
        "first. Someone who knows Svidok knows every vault can have one; see the limits in "
        "SECURITY.md.",
        "Другий пароль, який можна назвати, якщо вас змушують розблокувати. Він відкриває "
        "звичайне на вигляд підставне сховище з кількома записами, які ви туди поклали, а якщо "
        "позначити, спершу знищує ключі цього сховища. Хто знає Svidok, знає, що він може бути в "
        "кожного сховища; обмеження описано в SECURITY.md.",
        "Второй пароль, который можно назвать, если вас принуждают разблокировать. Он открывает "
        "обычное на вид подставное хранилище с несколькими записями, которые вы туда положили, а "
        "если отметить, сначала уничтожает ключи этого хранилища. Кто знает Svidok, знает, что он "
        "может быть у каждого хранилища; ограничения описаны в SECURITY.md."},
    StringEntry{"safety.duress.not_set", "No duress passphrase is set.",
                "Пароль під примусом не задано.", "Пароль под принуждением не задан."},
    StringEntry{
        "safety.duress.set_destroys",
        "A duress passphrase is set; entering it destroys this vault's keys and opens the decoy.",
        "Пароль під примусом задано; його введення знищує ключі цього сховища й відкриває "
        "підставне.",
        "Пароль под принуждением задан; его ввод уничтожает ключи этого хранилища и открывает "
        "подставное."},
    StringEntry{
        "safety.duress.set_decoy_only",
        "A duress passphrase is set; entering it opens the decoy and leaves this vault as it is.",
        "Пароль під примусом задано; його введення відкриває підставне сховище, а це лишає як є.",
        "Пароль под принуждением задан; его ввод открывает подставное хранилище, а это оставляет "
        "как есть."},
    StringEntry{"safety.duress.passphrase", "Duress passphrase", "Пароль під примусом",
                "Пароль под принуждением"},
    StringEntry{"safety.duress.repeat", "Repeat it", "Повторіть його", "Повторите его"},
    StringEntry{"safety.duress.destroys", "Entering it destroys this vault's keys",
                "Його введення знищує ключі цього сховища",
                "Его ввод уничтожает ключи этого хранилища"},
    StringEntry{"safety.duress.set", "Set duress passphrase", "Задати пароль під примусом",
                "Задать пароль под принуждением"},
    StringEntry{"safety.duress.clear", "Remove it", "Прибрати його", "Убрать его"},
    StringEntry{
        "safety.decoy.explain",
        "The decoy shows what you prepare in it: lock, then open it with your own passphrase to "
        "add "
        "a few harmless records.",
        "Підставне сховище показує те, що ви в ньому підготуєте: заблокуйте, потім відкрийте його "
        "своїм паролем і додайте кілька безпечних записів.",
        "Подставное хранилище показывает то, что вы в нём подготовите: заблокируйте, затем "
        "откройте "
        "его своим паролем и добавьте несколько безопасных записей."},
    StringEntry{"safety.decoy.prepare", "Prepare the decoy's records",
                "Підготувати записи підставного", "Подготовить записи подставного"},
    StringEntry{"decoy.unlock.title", "Open the decoy vault (with your own passphrase)",
                "Відкрити підставне сховище (своїм паролем)",
                "Открыть подставное хранилище (своим паролем)"},
    StringEntry{"decoy.leave", "Back to the real vault", "Назад до справжнього сховища",
                "Назад к настоящему хранилищу"},
    StringEntry{"decoy.banner", "Preparing the decoy vault", "Підготовка підставного сховища",
                "Подготовка подставного хранилища"},

    // the panic wipe
    StringEntry{"safety.wipe.title", "Wipe this vault now", "Знищити це сховище зараз",
                "Уничтожить это хранилище сейчас"},
    StringEntry{
        "safety.wipe.explain",
        "Destroys the keys first, within a second whatever the vault's size, then deletes every "
        "file. Records not yet handed over are lost for good. A copy of the vault made earlier "
        "(a backup, a disk image) still opens with the passphrase or the recovery code.",
        "Спершу знищує ключі, за секунду незалежно від розміру сховища, потім видаляє всі файли. "
        "Записи, ще не передані, буде втрачено назавжди. Копія сховища, зроблена раніше "
        "(резервна копія, образ диска), і далі відкривається паролем або кодом відновлення.",
        "Сначала уничтожает ключи, за секунду независимо от размера хранилища, затем удаляет все "
        "файлы. Ещё не переданные записи будут потеряны навсегда. Копия хранилища, сделанная "
        "раньше (резервная копия, образ диска), по-прежнему открывается паролем или кодом "
        "восстановления."},
    StringEntry{"wipe.button", "Wipe this vault…", "Знищити це сховище…",
                "Уничтожить это хранилище…"},
    StringEntry{"wipe.warning",
                "This destroys every record in this vault for good. Nothing can bring it back.",
                "Це назавжди знищить усі записи в цьому сховищі. Нічого не можна буде повернути.",
                "Это навсегда уничтожит все записи в этом хранилище. Ничего нельзя будет вернуть."},
    StringEntry{"wipe.type_word",
                "To confirm, type:", "Щоб підтвердити, введіть:", "Чтобы подтвердить, введите:"},
    StringEntry{"wipe.word", "WIPE", "ЗНИЩИТИ", "УНИЧТОЖИТЬ"},
    StringEntry{"wipe.confirm", "Wipe now", "Знищити зараз", "Уничтожить сейчас"},

    // notices
    StringEntry{"notice.seal_recipients_set", "Seal recipients saved.",
                "Отримувачів для запечатування збережено.",
                "Получатели для запечатывания сохранены."},
    StringEntry{"notice.wipe_after_set", "Saved.", "Збережено.", "Сохранено."},
    StringEntry{"notice.duress_set", "Duress passphrase set.", "Пароль під примусом задано.",
                "Пароль под принуждением задан."},
    StringEntry{"notice.duress_cleared", "Duress passphrase removed.",
                "Пароль під примусом прибрано.", "Пароль под принуждением убран."},
    StringEntry{"notice.wiped", "The vault was wiped.", "Сховище знищено.",
                "Хранилище уничтожено."},

    // sealed answers on the record page
    StringEntry{"sealed.answer", "Sealed for the legal team", "Запечатано для юридичної команди",
                "Запечатано для юридической команды"},
    StringEntry{"seal.sealed_to", "Sensitive answers sealed to: %s",
                "Чутливі відповіді запечатано для: %s", "Чувствительные ответы запечатаны для: %s"},
    StringEntry{"sealed.replace", "Replace", "Замінити", "Заменить"},
    StringEntry{
        "sealed.on_device",
        "%d answers are sealed for the legal team: this laptop cannot show them.",
        "Відповідей, запечатаних для юридичної команди: %d. Цей ноутбук не може їх показати.",
        "Ответов, запечатанных для юридической команды: %d. Этот ноутбук не может их показать."},
    StringEntry{"sealed.opened", "%d sealed answers opened and checked against the signed record.",
                "Запечатаних відповідей відкрито й звірено з підписаним записом: %d.",
                "Запечатанных ответов открыто и сверено с подписанной записью: %d."},
    StringEntry{"sealed.not_recipient", "%d sealed answers were not sealed to this vault.",
                "Запечатаних відповідей, не призначених цьому сховищу: %d.",
                "Запечатанных ответов, не предназначенных этому хранилищу: %d."},
    StringEntry{"sealed.damaged", "Sealed answer %s does not match the signed record: %s",
                "Запечатана відповідь %s не відповідає підписаному запису: %s",
                "Запечатанный ответ %s не соответствует подписанной записи: %s"},
};

}  // namespace

std::span<const StringEntry> strings_safety() noexcept {
    return kStrings;
}

}  // namespace svidok::app
