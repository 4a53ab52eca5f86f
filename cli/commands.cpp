// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include <array>

namespace svidok::cli {
namespace {

constexpr std::array kInitOptions{OptionSpec{"--help", false}};
constexpr std::array kPasswdOptions{
    OptionSpec{"--new-passphrase-file", true}, OptionSpec{"--rekey", false},
    OptionSpec{"--duress-passphrase-file", true}, OptionSpec{"--clear-duress", false},
    OptionSpec{"--help", false}};
constexpr std::array kRecoverOptions{OptionSpec{"--recovery-code-file", true},
                                     OptionSpec{"--new-passphrase-file", true},
                                     OptionSpec{"--new-code", false}, OptionSpec{"--help", false}};
constexpr std::array kIdentityOptions{OptionSpec{"--json", false}, OptionSpec{"--help", false}};
constexpr std::array kJsonOnly{OptionSpec{"--json", false}};
constexpr std::array kLangOptions{OptionSpec{"--lang", true}};
constexpr std::array kFormShowOptions{OptionSpec{"--json", false}, OptionSpec{"--lang", true}};
constexpr std::array kNewOptions{OptionSpec{"--form", true}, OptionSpec{"--json", true}};
constexpr std::array kAnswersOptions{OptionSpec{"--json", true}};
constexpr std::array kNoOptions{OptionSpec{"--help", false}};
constexpr std::array kOutOptions{OptionSpec{"--out", true}};
constexpr std::array kVerifyOptions{OptionSpec{"--checkpoint", true, true}};
constexpr std::array kProofOptions{OptionSpec{"--version", true}};
constexpr std::array kAttachOptions{OptionSpec{"--field", true}, OptionSpec{"--name", true},
                                    OptionSpec{"--delete-original", false}};

constexpr std::array kRecipientSealOptions{OptionSpec{"--none", false}};
constexpr std::size_t kMaxSealRecipients = 64;
constexpr std::array kRecipientAddOptions{OptionSpec{"--age", true},
                                          OptionSpec{"--minisign", true}};
constexpr std::array kExportOptions{OptionSpec{"--to", true, true}, OptionSpec{"--out", true},
                                    OptionSpec{"--all", false}, OptionSpec{"--undelivered", false},
                                    OptionSpec{"--record", true, true}};
constexpr std::array kExportCaseOptions{
    OptionSpec{"--format", true}, OptionSpec{"--out", true},
    OptionSpec{"--form", true},   OptionSpec{"--lang", true},
    OptionSpec{"--bom", false},   OptionSpec{"--i-understand-plaintext", false}};
constexpr std::array kPrintOptions{OptionSpec{"--out", true}, OptionSpec{"--lang", true}};
constexpr std::array kImportOptions{OptionSpec{"--trust-fingerprint", true},
                                    OptionSpec{"--receipt-out", true}};
constexpr std::array kPurgeOptions{OptionSpec{"--delivered", false}, OptionSpec{"--yes", false}};
constexpr std::array kWipeOptions{OptionSpec{"--yes", false}, OptionSpec{"--help", false}};
constexpr std::array kDuressSetOptions{OptionSpec{"--destroy-real", false},
                                       OptionSpec{"--duress-passphrase-file", true}};
constexpr std::array kReportOptions{OptionSpec{"--report", true}, OptionSpec{"--out", true},
                                    OptionSpec{"--trust-fingerprint", true},
                                    OptionSpec{"--unknown-sender", false}};
constexpr std::array kSyncOptions{OptionSpec{"--folder", true}, OptionSpec{"--to", true, true},
                                  OptionSpec{"--trust-fingerprint", true},
                                  OptionSpec{"--remote", true}, OptionSpec{"--dry-run", false}};
constexpr std::array kRemoteAddOptions{OptionSpec{"--proxy", true},
                                       OptionSpec{"--fingerprint", true},
                                       OptionSpec{"--password-file", true}};

#define SVIDOK_USAGE "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] [--forms DIR] "

constexpr std::array kCommands{
    Command{"init", "create a new vault",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] init\n\n"
            "Creates a vault: an encrypted database and its key slots. The passphrase (at least\n"
            "12 characters) comes from --passphrase-file or is asked twice on the terminal.\n"
            "Key derivation is calibrated to about one second on this machine (never below\n"
            "Argon2id t=3, 256 MiB). A recovery code is printed once: write it on paper.\n",
            kInitOptions, 0, cmd_init},
    Command{"passwd", "change the vault passphrase",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] passwd\n"
            "                  [--new-passphrase-file FILE]\n"
            "                  [--rekey [--duress-passphrase-file FILE | --clear-duress]]\n\n"
            "Unlocks with the current passphrase and rewraps the vault key under a new one;\n"
            "the recovery code keeps working. The old key file is overwritten on the disk.\n\n"
            "--rekey also gives both databases new keys, so a copy of an earlier key file plus\n"
            "a passphrase or recovery code it held opens nothing current: use it when someone\n"
            "may have learned a passphrase. A new recovery code is printed once (the old one\n"
            "stops working). A duress passphrase is kept when you type it again (asked on the\n"
            "terminal, or --duress-passphrase-file); --clear-duress removes it instead.\n",
            kPasswdOptions, 0, cmd_passwd},
    Command{"recover", "unlock with the recovery code and set a new passphrase",
            "usage: svidok-cli [--vault DIR] recover [--recovery-code-file FILE]\n"
            "                  [--new-passphrase-file FILE]\n"
            "       svidok-cli [--vault DIR] [--passphrase-file FILE] recover --new-code\n\n"
            "For a forgotten passphrase: unlocks with the recovery code written down at init,\n"
            "then sets a new passphrase. Case, spaces and dashes in the code do not matter.\n\n"
            "--new-code unlocks with the passphrase instead and replaces the recovery code (a\n"
            "lost or exposed paper): the new code is printed once, the old one stops working.\n",
            kRecoverOptions, 0, cmd_recover},
    Command{
        "wipe", "destroy the vault now: its keys first, then every file",
        "usage: svidok-cli [--vault DIR] wipe [--yes]\n\n"
        "Destroys the vault without its passphrase, also while the window has it open. First\n"
        "the key file is overwritten with random bytes and removed: from then on nothing opens\n"
        "the vault, not even the recovery code. Then the databases (the decoy's too), the\n"
        "attached files and the directory are removed. Asks you to type `wipe` on the\n"
        "terminal; --yes skips the question, for scripts. A copy of the vault made earlier\n"
        "(a backup, a synced folder) still opens with its passphrase.\n",
        kWipeOptions, 0, cmd_wipe},
    Command{
        "duress set", "set a duress passphrase that opens a decoy vault",
        "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] duress set [--destroy-real]\n"
        "                  [--duress-passphrase-file FILE]\n\n"
        "Sets a second passphrase. Typed wherever the passphrase is asked, it opens the decoy:\n"
        "an ordinary-looking vault with its own records and its own keys, which you prepare\n"
        "beforehand with --decoy (for example `svidok-cli --decoy record new ...`). With\n"
        "--destroy-real, typing it first destroys this vault's key slots: the real records can\n"
        "then never be opened again, not with the passphrase and not with the recovery code.\n"
        "It must differ from the passphrase. It fools someone who does not know Svidok, not\n"
        "someone who does: read \"Wiping and the duress passphrase\" in docs/SECURITY.md.\n",
        kDuressSetOptions, 0, cmd_duress_set},
    Command{
        "duress clear", "remove the duress passphrase",
        "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] duress clear\n\n"
        "Replaces the duress passphrase's key slot with random bytes. The decoy's records stay\n"
        "(nothing opens them until a duress passphrase is set again).\n",
        kNoOptions, 0, cmd_duress_clear},
    Command{"duress status", "tell whether a duress passphrase is set",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] duress status\n\n"
            "Unlocks with the passphrase and tells whether a duress passphrase is set and whether\n"
            "it destroys this vault. Nothing outside the encrypted database records that.\n",
            kNoOptions, 0, cmd_duress_status},
    Command{
        "settings wipe-after", "wipe the vault after N wrong passphrases in a row",
        "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] settings wipe-after [N|off]\n\n"
        "With N (1-99): after N wrong passphrases or recovery codes in a row, the attempt that\n"
        "reaches N wipes the vault as `wipe` does. Off by default, and `off` turns it off.\n"
        "The risk: typing mistakes, a wrong keyboard layout or someone else's guesses can then\n"
        "destroy testimonies not yet delivered, for good. It only stops guessing in Svidok on\n"
        "this laptop: someone who copies the vault first guesses against the copy. Without N,\n"
        "prints the setting and the failed attempts since the last unlock (no passphrase).\n",
        kNoOptions, 1, cmd_settings_wipe_after},
    Command{"identity", "print this vault's public keys and fingerprint",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] identity [--json]\n\n"
            "Prints the public parts of the device identity: the minisign public key that\n"
            "verifies records, the age recipient a legal team encrypts to, the log verifier\n"
            "key for checkpoints, and a fingerprint of five groups of digits to compare aloud.\n",
            kIdentityOptions, 0, cmd_identity},

    Command{"form list", "list the testimony forms",
            SVIDOK_USAGE
            "form list [--lang en|uk|ru]\n\n"
            "Lists every form as ID@VERSION and its title: the built-in ones and those of\n"
            "--forms DIR. Needs no vault.\n",
            kLangOptions, 0, cmd_form_list},
    Command{"form show", "describe a form and its fields",
            SVIDOK_USAGE
            "form show ID[@VERSION] [--json] [--lang en|uk|ru]\n\n"
            "Prints the form's title, version, SHA-256 and its fields with their kinds and flags\n"
            "(required, sensitive, conditional). --json prints the definition file exactly; its\n"
            "SHA-256 is the one records cite.\n",
            kFormShowOptions, 1, cmd_form_show},
    Command{"form template", "print a JSON skeleton of a form's answers",
            SVIDOK_USAGE
            "form template ID[@VERSION]\n\n"
            "Prints every field id of the form in the shape `record new --json` takes, with null\n"
            "values (docs/FORMS.md section 4).\n",
            kNoOptions, 1, cmd_form_template},
    Command{"form example", "print a complete example testimony for a form",
            SVIDOK_USAGE
            "form example ID[@VERSION]\n\n"
            "Prints a realistic, fictional testimony that validates as it is: for training and\n"
            "for trying the commands out.\n",
            kNoOptions, 1, cmd_form_example},

    Command{"record new", "start a draft testimony",
            SVIDOK_USAGE
            "record new --form ID --json FILE\n\n"
            "Creates a draft filled with the answers in FILE and prints its id. A draft is\n"
            "stored only in the encrypted vault, is not signed, and need not be complete yet:\n"
            "the fields that still stop sealing are listed.\n",
            kNewOptions, 0, cmd_record_new},
    Command{"record update", "replace a draft's answers",
            SVIDOK_USAGE
            "record update ID --json FILE\n\n"
            "Replaces the draft's answers with those in FILE. Only drafts change; a sealed\n"
            "record gets a new version with `record amend`. ID may be a unique prefix.\n",
            kAnswersOptions, 1, cmd_record_update},
    Command{"record check", "list what stops a draft from being sealed",
            SVIDOK_USAGE "record check ID\n\n"
                         "Validates the draft against its form and prints each problem by field.\n",
            kNoOptions, 1, cmd_record_check},
    Command{"record seal", "validate, sign and log a draft",
            SVIDOK_USAGE
            "record seal ID\n\n"
            "Validates the draft, writes its canonical bytes (docs/FORMAT.md section 9), signs\n"
            "them with the device key, appends the record to the device log and commits. The\n"
            "sealed version never changes again.\n",
            kNoOptions, 1, cmd_record_seal},
    Command{"record amend", "start or seal a new version of a sealed record",
            SVIDOK_USAGE
            "record amend ID [--json FILE]\n\n"
            "Without --json: opens an amendment draft, a copy of the latest version's answers,\n"
            "to change with `record update` and `attach` and then seal with `record seal` as the\n"
            "next version. With --json: seals a new version with the complete answers in FILE at\n"
            "once. Either way the new version points to the SHA-256 of the version before it;\n"
            "earlier versions are kept unchanged.\n",
            kAnswersOptions, 1, cmd_record_amend},
    Command{"record withdraw-consent", "sign that the witness withdrew consent",
            SVIDOK_USAGE
            "record withdraw-consent ID\n\n"
            "Signs a withdrawal-of-consent event for the record and logs it. Nothing is deleted;\n"
            "the record is marked withdrawn and can no longer be amended.\n",
            kNoOptions, 1, cmd_record_withdraw},
    Command{"record discard", "delete a draft or an amendment draft",
            SVIDOK_USAGE
            "record discard ID\n\n"
            "Deletes the draft, with the files attached only to it. For an amendment draft, the\n"
            "sealed versions stay. Sealed versions are never deleted.\n",
            kNoOptions, 1, cmd_record_discard},
    Command{"record list", "list the records of the vault",
            SVIDOK_USAGE
            "record list [--json]\n\n"
            "One line per record: id, status (draft, sealed, amended, withdrawn), sealed\n"
            "versions, form and last change.\n",
            kJsonOnly, 0, cmd_record_list},
    Command{"record show", "show a record, its versions and answers",
            SVIDOK_USAGE
            "record show ID [--json]\n\n"
            "Prints the record's status, form, every sealed version with its log entry and\n"
            "SHA-256, any withdrawal, and the answers (of the draft, else the latest version).\n"
            "A sensitive answer of a sealed record shows as [sealed for the legal team]: this\n"
            "device cannot read it. ID may also name a record received in a bundle: its sealed\n"
            "answers are then opened with this vault's key and each is said to be opened and\n"
            "verified, not sealed to this vault, or damaged (exit 1).\n",
            kJsonOnly, 1, cmd_record_show},
    Command{"record export", "write a record's signed versions to files",
            SVIDOK_USAGE
            "record export ID --out DIR\n\n"
            "Writes every sealed version as <id>-v<N>.json with its .minisig, any withdrawal,\n"
            "and the device's minisign public key, so that `minisign -Vm FILE -p KEY.pub`\n"
            "verifies them. The JSON files are plaintext testimony, except the sealed answers.\n",
            kOutOptions, 1, cmd_record_export},
    Command{"record print", "write the court printout of a record (HTML)",
            SVIDOK_USAGE
            "record print ID --out FILE.html [--lang uk|ru|en]\n\n"
            "Writes one self-contained HTML page for a court or an expert: every answer of the\n"
            "latest version labelled in the language chosen (default uk), sealed answers opened\n"
            "where this vault can and otherwise marked sealed, the SHA-256 and signature of every\n"
            "signed version, the log entries, and the exact minisign and sha256sum commands that\n"
            "check them with stock tools (docs/VERIFYING.md). ID is a received record or this\n"
            "vault's own sealed one. FILE must not exist. The page is plaintext.\n",
            kPrintOptions, 1, cmd_record_print},
    Command{
        "export-case", "export records in plaintext for a case database (CSV or JSON)",
        SVIDOK_USAGE
        "export-case --out DIR --i-understand-plaintext [--format csv|json]\n"
        "                  [--form ID] [--lang uk|ru|en] [--bom]\n\n"
        "Writes the received records (and this vault's own sealed ones) for a case system\n"
        "such as HURIDOCS Uwazi: per form one CSV with a row per record and a linked CSV per\n"
        "repeating group (RFC 4180, UTF-8, multiple values joined by |), or one JSON file;\n"
        "the attached files decrypted into DIR/attachments/ named by SHA-256; each record's\n"
        "document SHA-256 and verification. Records whose consent was withdrawn are left out.\n"
        "Headers in --lang (default uk); --bom for spreadsheet programs. DIR must be new or\n"
        "empty. The export is NOT encrypted: without --i-understand-plaintext it only says so.\n"
        "Layout: docs/FORMAT.md section 18.\n",
        kExportCaseOptions, 0, cmd_export_case},

    Command{"attach", "attach a file to a draft, encrypted and hashed",
            SVIDOK_USAGE
            "attach ID FILE [--field FIELD] [--name NAME]\n"
            "                  [--delete-original]\n\n"
            "Reads FILE once, computing its SHA-256 while encrypting it into the vault, and adds\n"
            "it to the draft's file field (--field when the form has several). The stored bytes\n"
            "are exactly the original's. Its media type is read from the content; an image with\n"
            "GPS coordinates is reported. A sealed record gets files through an amendment:\n"
            "`record amend ID`, then attach, then `record seal ID`.\n"
            "--delete-original overwrites and removes FILE after the stored copy is verified;\n"
            "on SSDs and journaling file systems overwriting is not a guarantee.\n",
            kAttachOptions, 2, cmd_attach},
    Command{"attachment list", "list a record's attached files",
            SVIDOK_USAGE
            "attachment list ID [--json]\n\n"
            "One line per file: SHA-256, size, media type, name, and which sealed versions (or\n"
            "the draft) reference it.\n",
            kJsonOnly, 1, cmd_attachment_list},
    Command{"attachment verify", "check every stored file of a record",
            SVIDOK_USAGE
            "attachment verify ID\n\n"
            "Decrypts each stored file and recomputes its SHA-256 from the stored ciphertext;\n"
            "exits 1 naming each file that was damaged or altered.\n",
            kNoOptions, 1, cmd_attachment_verify},
    Command{"attachment extract", "write one attached file out, in plaintext",
            SVIDOK_USAGE
            "attachment extract ID NAME --out PATH\n\n"
            "Decrypts the file NAME (or its SHA-256) to PATH, which must not exist, checking its\n"
            "hash on the way. PATH is plaintext on disk: keep it on an encrypted disk.\n",
            kOutOptions, 2, cmd_attachment_extract},

    Command{"recipient add", "add someone bundles are encrypted to",
            SVIDOK_USAGE
            "recipient add NAME --age age1... [--minisign RW...]\n\n"
            "Adds a recipient: a legal team, an archive or an escrow. --age is its age recipient\n"
            "(what `svidok-cli identity` prints on its vault, or `age-keygen -y`); --minisign its\n"
            "record-signing key, needed to accept its receipts. Compare its fingerprint out of\n"
            "band before trusting it.\n",
            kRecipientAddOptions, 1, cmd_recipient_add},
    Command{"recipient list", "list the recipients",
            SVIDOK_USAGE
            "recipient list\n\n"
            "One line per recipient: name, age key, minisign key id (or \"no receipts\"), and\n"
            "\"seal\" for those sensitive answers are sealed to.\n",
            kNoOptions, 0, cmd_recipient_list},
    Command{"recipient seal", "choose who sensitive answers are sealed to",
            SVIDOK_USAGE
            "recipient seal NAME... | --none\n\n"
            "Sensitive answers (those a form marks sensitive: the witness's real name, contact,\n"
            "address) are encrypted at sealing to these recipients, normally the legal team, and\n"
            "this device can no longer show them. Replaces the whole set; --none empties it.\n"
            "Records sealed before keep the keys they were sealed to. A record with sensitive\n"
            "answers is not sealed while no seal recipient is set.\n",
            kRecipientSealOptions, kMaxSealRecipients, cmd_recipient_seal},
    Command{"recipient remove", "remove a recipient",
            SVIDOK_USAGE
            "recipient remove NAME\n\n"
            "Later bundles are not encrypted to it; bundles already made stay readable by it.\n",
            kNoOptions, 1, cmd_recipient_remove},
    Command{"sender list", "list the senders whose keys this vault pinned",
            SVIDOK_USAGE "sender list\n", kNoOptions, 0, cmd_sender_list},
    Command{"export", "write an encrypted, signed bundle for recipients",
            SVIDOK_USAGE
            "export --to NAME [--to NAME ...] --out DIR\n"
            "                  [--all | --undelivered | --record ID ...]\n\n"
            "Writes DIR/<random id>.age (age v1, readable only by the recipients) and its\n"
            "minisign signature DIR/<random id>.age.minisig. Inside: every signed version of each\n"
            "chosen record with its signature and log inclusion proof, its files, this device's\n"
            "log checkpoint and consistency proofs, and a signed manifest; padded so the size\n"
            "reveals little. Default --undelivered: records with documents no receipt confirmed\n"
            "and not yet sent to these recipients.\n",
            kExportOptions, 0, cmd_export},
    Command{
        "import", "verify and store a bundle from a sender",
        SVIDOK_USAGE
        "import BUNDLE [--trust-fingerprint FPR] [--receipt-out DIR]\n\n"
        "Decrypts BUNDLE with this vault's key and checks its signature, manifest, every record\n"
        "signature and file hash, the log checkpoint, every inclusion proof, and that the\n"
        "sender's log is consistent with everything received before. Stores all or nothing.\n"
        "A new sender is pinned only with --trust-fingerprint, after comparing the fingerprint\n"
        "out of band. Writes a signed receipt for the sender (default: beside BUNDLE).\n",
        kImportOptions, 1, cmd_import},
    Command{
        "verify", "check a bundle without importing it; report per record",
        SVIDOK_USAGE
        "verify BUNDLE [--report html|json --out FILE]\n"
        "              [--trust-fingerprint FPR | --unknown-sender]\n\n"
        "Runs every check of `import` on BUNDLE with this vault's key but stores nothing, and\n"
        "goes on past a failing record: per record its version chain, form, signer, signature,\n"
        "SHA-256, attachments and their hashes, inclusion in the sender's checkpoint and the\n"
        "custody known to this vault; the log entries the checkpoint covers that are held\n"
        "nowhere; each failure with what it means for the evidence. Prints a summary; with\n"
        "--report writes a self-contained HTML page (prints on A4) or the JSON of\n"
        "docs/FORMAT.md 17 to FILE, which must not exist. Exit status 1 if anything failed.\n"
        "A bundle of a sender not pinned here is read no further than its manifest unless\n"
        "--trust-fingerprint gives the fingerprint the sender read out to you, or\n"
        "--unknown-sender asks to check it anyway (its fingerprint is then not shown).\n",
        kReportOptions, 1, cmd_verify},
    Command{"receipt import", "mark documents delivered from a recipient's receipt",
            SVIDOK_USAGE
            "receipt import FILE\n\n"
            "Verifies a receipt (its signature by a recipient's minisign key, its cosignature of\n"
            "this device's checkpoint) and marks the documents it lists delivered.\n",
            kNoOptions, 1, cmd_receipt_import},
    Command{
        "purge", "remove delivered content, keeping hashes and log",
        SVIDOK_USAGE
        "purge --delivered [--yes]\n\n"
        "Lists the records whose every signed document a receipt confirmed; with --yes\n"
        "removes their answers and files from this vault. Hashes, signatures and the log stay,\n"
        "so the log still verifies.\n",
        kPurgeOptions, 0, cmd_purge},
    Command{"sync", "exchange bundles and receipts through a shared folder or a server",
            SVIDOK_USAGE
            "sync (--folder DIR | --remote NAME) [--to NAME ...] [--trust-fingerprint FPR]\n"
            "            [--dry-run]\n\n"
            "One step for both sides of a USB stick or synced folder (--folder), or of a server\n"
            "added with `remote add` (--remote), with one layout (docs/FORMAT.md 14.3). The field\n"
            "side exports one bundle of everything undelivered (to --to, default every\n"
            "recipient), sends it to outbox/<device>/ and imports the receipts for it from\n"
            "receipts/<device>/. The legal team's side fetches, verifies and imports each new\n"
            "bundle of every device (--trust-fingerprint for a new sender), sends its receipt and\n"
            "then archives the bundle; a bundle that fails is reported and left. Files still\n"
            "being written are skipped; a cut connection resumes where it stopped at the next\n"
            "run; running it again with nothing new moves nothing. --dry-run lists what would\n"
            "move. Progress goes to stderr.\n",
            kSyncOptions, 0, cmd_sync},
    Command{"remote add", "add a server to sync with (SFTP or WebDAV)",
            SVIDOK_USAGE
            "remote add NAME URL [--proxy socks5h://HOST:PORT] [--fingerprint KEY]\n"
            "                     [--password-file FILE]\n\n"
            "URL is sftp://USER@HOST[:PORT]/PATH or https://USER@HOST[:PORT]/PATH (WebDAV).\n"
            "Connects once to read the server's key and shows its fingerprint: compare it with\n"
            "the one the server's admin gave you (by phone, in person), then confirm, or give\n"
            "it with --fingerprint. A later change of the key is refused. For SFTP a new SSH key\n"
            "is made; give `remote key NAME` to the admin. For WebDAV the password is asked (or\n"
            "read from --password-file) and kept in the vault. --proxy sends everything through\n"
            "a SOCKS5 proxy that also resolves the name (Tor: socks5h://127.0.0.1:9050).\n",
            kRemoteAddOptions, 2, cmd_remote_add},
    Command{"remote list", "list the servers", SVIDOK_USAGE "remote list\n", kNoOptions, 0,
            cmd_remote_list},
    Command{"remote remove", "forget a server and this vault's credentials for it",
            SVIDOK_USAGE "remote remove NAME\n", kNoOptions, 1, cmd_remote_remove},
    Command{"remote key", "print the SSH public key to give the server's admin",
            SVIDOK_USAGE
            "remote key NAME\n\n"
            "Prints the OpenSSH public key line of the SSH key this vault made for the SFTP\n"
            "remote NAME, for the admin's authorized_keys.\n",
            kNoOptions, 1, cmd_remote_key},
    Command{"log checkpoint", "sign and print a checkpoint of the device log",
            SVIDOK_USAGE
            "log checkpoint\n\n"
            "Signs the current size and root hash of the device log with the log key (C2SP\n"
            "tlog-checkpoint) and prints it. Keep it, or give it to the legal team: later logs\n"
            "must be consistent with it.\n",
            kNoOptions, 0, cmd_log_checkpoint},
    Command{"log verify", "check every record and the log against its checkpoints",
            SVIDOK_USAGE
            "log verify [--checkpoint FILE ...]\n\n"
            "Re-checks every signed document, every version chain and every log leaf, recomputes\n"
            "the root, and checks that the log extends every checkpoint it issued and every\n"
            "checkpoint given with --checkpoint. Exit status 1 if anything is wrong.\n",
            kVerifyOptions, 0, cmd_log_verify},
    Command{"log proof", "print the inclusion proof of a record version",
            SVIDOK_USAGE
            "log proof ID [--version N]\n\n"
            "Prints the inclusion proof (docs/FORMAT.md 10.3) of the record's latest (or Nth)\n"
            "version in the current log, against the checkpoint `log checkpoint` prints.\n",
            kProofOptions, 1, cmd_log_proof},
};

}  // namespace

std::span<const Command> commands() {
    return kCommands;
}

}  // namespace svidok::cli
