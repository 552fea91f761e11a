package mail

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// InspectionValidity is how long an admin may look into a mailbox after
// recording the reason. Another look later needs another reason (and tells
// the owner again).
const InspectionValidity = time.Hour

// MaxReason bounds the reason of an inspection, in characters.
const MaxReason = 500

// Inspection is an admin's recorded look into someone's mailbox.
type Inspection struct {
	ID         string
	AdminID    int64
	OwnerID    int64
	OwnerLogin string
	OwnerName  string
	Reason     string
	CreatedAt  time.Time
	Expires    time.Time
}

var errNoInspection = refuse(NotFound, "", "Diese Einsicht gibt es nicht oder sie ist abgelaufen. Beginne sie bitte mit einem Grund neu.",
	"no valid inspection")

// Inspect opens another person's mailbox to an admin on suspicion, as the
// usage rules allow: only with a reason, which goes into the protocol
// ("mail.inspect", the owner's login, the reason), and the owner is told
// at once by a message in their inbox. Protocol line, notice and the
// inspection itself are one transaction: none of them without the others.
// The inspection is valid for InspectionValidity and for this admin only.
func (s *Service) Inspect(ctx context.Context, admin directory.Person, actor directory.Actor, login, reason string) (Inspection, error) {
	if admin.Role != directory.Admin {
		return Inspection{}, refuse(Forbidden, "", "Nur die Administration darf ein Postfach einsehen.", "%s is no admin", admin.Login)
	}
	reason = oneLine(reason)
	if reason == "" {
		return Inspection{}, refuse(Invalid, "reason", "Bitte gib den Grund an, warum du das Postfach einsehen musst.", "no reason")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return Inspection{}, refuse(Invalid, "reason", fmt.Sprintf("Der Grund darf höchstens %d Zeichen lang sein.", MaxReason), "reason too long")
	}
	owner, err := s.dir.Person(ctx, strings.ToLower(strings.TrimSpace(login)))
	if errors.Is(err, store.ErrNotFound) {
		return Inspection{}, refuse(NotFound, "login", "Diesen Login gibt es nicht.", "no person %q", login)
	}
	if err != nil {
		return Inspection{}, fmt.Errorf("mail: inspect %s: %w", login, err)
	}
	if owner.ID == admin.ID {
		return Inspection{}, refuse(Invalid, "login", "Dein eigenes Postfach siehst du ohnehin.", "inspection of the own mailbox")
	}
	domain, err := s.domain(ctx)
	if err != nil {
		return Inspection{}, err
	}
	now := s.now()
	in := Inspection{ID: newInspectionID(), AdminID: admin.ID, OwnerID: owner.ID, OwnerLogin: owner.Login, OwnerName: owner.Name(),
		Reason: reason, CreatedAt: now, Expires: now.Add(InspectionValidity)}
	to, err := json.Marshal([]Address{personAddress(owner, domain)})
	if err != nil {
		return Inspection{}, fmt.Errorf("mail: inspect: %w", err)
	}
	notice := newMessage{kind: kindSystem, senderName: "Schulserver", recipients: string(to), sentAt: now,
		subject: "Dein Postfach wurde eingesehen",
		body: fmt.Sprintf("Ein Administrator (%s) hat am %s Uhr dein Postfach eingesehen.\nGrund: %s\n\n"+
			"Das steht auch im Protokoll der Schule. Wenn du Fragen dazu hast, wende dich an die Schulleitung.",
			admin.Name(), now.In(berlin).Format("02.01.2006 um 15:04"), reason)}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertInspection(ctx, tx, in); err != nil {
			return err
		}
		id, err := insertMessage(ctx, tx, notice)
		if err != nil {
			return err
		}
		if err := insertBoxes(ctx, tx, id, Inbox, false, []int64{owner.ID}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor.Name, Action: "mail.inspect", Target: owner.Login, Success: true,
			Source: actor.Source, Service: actor.Service, Detail: reason})
	})
	if err != nil {
		return Inspection{}, err
	}
	return in, nil
}

// Inspection returns an inspection of this admin that is still valid.
func (s *Service) Inspection(ctx context.Context, adminID int64, id string) (Inspection, error) {
	if len(id) != 32 {
		return Inspection{}, errNoInspection
	}
	in, err := validInspection(ctx, s.db.R, id, adminID, s.now())
	if err != nil {
		return in, err
	}
	owner, err := s.dir.PersonByID(ctx, in.OwnerID)
	if err != nil {
		return in, fmt.Errorf("mail: owner of inspection: %w", err)
	}
	in.OwnerLogin, in.OwnerName = owner.Login, owner.Name()
	return in, nil
}

func newInspectionID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
