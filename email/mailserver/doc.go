// Package mailserver brings mail to a support desk over the network: Server is an SMTP (or
// LMTP) intake on emersion/go-smtp that accepts mail for the desk's addresses only, with
// size limits and SMTP replies that tell a sending server whether to retry, and Poller
// fetches unseen mail from an IMAP mailbox with emersion/go-imap (version 1, the stable
// line). Both hand each raw message to a Handler, such as a supportkit.Mailroom through
// MailroomHandler.
//
// It is a module of its own so that the core module does not pull the protocol
// libraries; it follows the core's rules: configuration structs whose zero values are
// documented defaults, no goroutine unless the host calls Serve or Run, errors that wrap
// the email package's sentinels.
package mailserver
