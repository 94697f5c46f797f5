package ticket

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// The Service never hands a Store the keys its callers give: it derives a store key from the
// key and its scope, so that keys of different scopes can never meet in the store, and a
// fingerprint of the request, so that a key reused for another request is told apart from a
// redelivery. Both are SHA-256 digests in lower-case hex: 64 ASCII characters whatever the
// caller's key, which keeps a Store's key column small and its comparison exact.

// creationKey is the store key of a key given to Create: scoped to the requester (see
// Service.Create); "" when nt.Key is "". nt has been checked, so no part holds a NUL.
func creationKey(nt NewTicket) string {
	if nt.Key == "" {
		return ""
	}
	scope := "id\x00" + nt.Requester.ID
	if nt.Requester.ID == "" {
		scope = "email\x00" + emailScope(nt.Requester.Email)
	}
	return digest("ticket\x00" + scope + "\x00" + nt.Key)
}

// emailScope is the form in which two email addresses are one requester's: compared after
// lower-casing, the one rule both key scopes and Receive's sender check use.
func emailScope(email string) string { return strings.ToLower(email) }

// followUpKey is the store key of the follow-up that a reply with comment key key to closed
// ticket id creates; "" when key is "". Its scope is the closed ticket, and its domain differs
// from creationKey's, so it never names a ticket a host created with the same key.
func followUpKey(id uuid.UUID, key string) string {
	if key == "" {
		return ""
	}
	return digest("follow-up\x00" + id.String() + "\x00" + key)
}

// payloadFingerprint identifies everything nt asks for except its Key, after defaults are
// filled and tags normalized, so that a redelivery matches and any other request does not.
func payloadFingerprint(nt NewTicket) string {
	nt.Key = ""
	if len(nt.Attachments) == 0 {
		nt.Attachments = nil
	}
	b, err := json.Marshal(nt) // map keys come out sorted: the encoding is canonical
	if err != nil {
		// Every field of NewTicket encodes; should one ever fail, the request still gets a
		// fingerprint of its own rather than matching another.
		b = []byte("unencodable\x00" + err.Error() + "\x00" + nt.Subject)
	}
	return digest(string(b))
}

// sameComment reports whether c is what author adding nc would add: the same author (kind
// and ID), the same visibility, body and attachments. Only such a comment is a redelivery.
func sameComment(c Comment, author Actor, nc NewComment) bool {
	return c.Author.Kind == author.Kind && c.Author.ID == author.ID && c.Public == nc.Public &&
		c.Body == nc.Body && slices.Equal(c.Attachments, nc.Attachments)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
