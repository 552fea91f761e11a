package mail

// The bridge for the textbook lending: when parents register their child
// (online through the child's account, or through the secretary), the
// amount, the school's bank account and the payment reference go into the
// child's inbox as a message of the school server, where parents find it
// again when they make the transfer. The lending module never writes
// mail's tables; it hands the message to Notices.Deliver inside its own
// transaction, so that a registration and its confirmation are stored
// together or not at all.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kaspel/server/directory"
)

// Notices delivers the school server's own messages (system messages,
// like the notice of a mailbox inspection) into inboxes. It holds no
// state and is safe for concurrent use.
type Notices struct {
	dir *directory.Directory
}

// NewNotices makes the delivery of system messages.
func NewNotices(dir *directory.Directory) *Notices { return &Notices{dir: dir} }

// Deliver puts a message of the server into the person's inbox, unread,
// inside tx (the caller's transaction). Subject and text are cut to the
// limits a person's message has.
func (n *Notices) Deliver(ctx context.Context, tx *sql.Tx, to directory.Person, subject, body string, at time.Time) error {
	school, err := n.dir.School(ctx)
	if err != nil {
		return fmt.Errorf("mail: notice to %s: %w", to.Login, err)
	}
	recipients, err := json.Marshal([]Address{personAddress(to, school.Domain)})
	if err != nil {
		return fmt.Errorf("mail: notice to %s: %w", to.Login, err)
	}
	subject = strings.Join(strings.Fields(subject), " ")
	if utf8.RuneCountInString(subject) > MaxSubject {
		subject = string([]rune(subject)[:MaxSubject])
	}
	if utf8.RuneCountInString(body) > MaxBody {
		body = string([]rune(body)[:MaxBody])
	}
	id, err := insertMessage(ctx, tx, newMessage{kind: kindSystem, senderName: "Schulserver", recipients: string(recipients),
		subject: subject, body: body, sentAt: at})
	if err != nil {
		return err
	}
	return insertBoxes(ctx, tx, id, Inbox, false, []int64{to.ID})
}
