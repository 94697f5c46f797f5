// Package email turns raw mail into what a support desk acts on, and desk events into mail
// that threads and never loops.
//
// In: Parser.Parse reads an RFC 5322 message as a stream (multipart mixed, alternative,
// related, report and nested; base64 and quoted-printable; RFC 2047 words and RFC 2231 file
// names) with the standard library's mime, mime/multipart and net/mail, decodes every text
// to UTF-8 through golang.org/x/text (UTF-8, KOI8-R, windows-1251, ISO-8859-5, CP866 and
// more; a missing or wrong label is detected rather than trusted), renders HTML as text
// with golang.org/x/net/html, and holds every cost to Limits: a message over one is a
// *LimitError wrapping ErrTooLarge, never unbounded memory. Attachments can be streamed to
// an AttachmentSink.
//
// Classify tells a person's mail from automatic mail (auto-replies, out-of-office notices
// with or without machine headers, bounces with the failed recipients, bulk and list mail).
// ThreadOf gives the keys that tie a message to a ticket: the message IDs it answers and a
// ticket number in its subject. NewText and StripText keep what the sender wrote and drop
// the quoted history and signature, as Gmail, Outlook, Yandex, Mail.ru, Apple Mail,
// Thunderbird and mobile clients write them in English and Russian; Message.Text keeps the
// full text.
//
// Out: Renderer makes localized notifications (acknowledgement, agent reply, pending
// reminder, solved with a survey link, breach warning, assignment) as text and HTML with
// the headers that keep a conversation threaded; Guard keeps automatic replies from going
// to automatic mail, to the desk's own addresses, or to anyone too often; a Sender, such as
// SMTPSender, delivers them.
//
// The package imports no other package of the module; the root package supportkit wires
// it to tickets (supportkit.Mailroom).
package email
