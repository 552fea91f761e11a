package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// Limits of a message's text.
const (
	MaxSubject = 200     // characters
	MaxBody    = 100_000 // characters; a JSON request is at most 1 MB anyway
)

// Draft is a message to send.
type Draft struct {
	// To are the addresses as the person wrote them: login@domain,
	// class@domain, rolegroup@domain, or the same without the domain.
	To      []string
	Subject string
	Body    string
	// Attachments are ids of the sender's uploads.
	Attachments []int64
	// ReplyTo or ForwardOf name a message of the sender's mailbox. A
	// forward carries the original's text and attachments along.
	ReplyTo   int64
	ForwardOf int64
}

// Send checks a draft against the rules, expands its addresses and
// delivers it: one transaction puts the message into the sender's sent
// folder and every recipient's inbox and turns the uploads into its
// attachments. It returns the sender's copy.
func (s *Service) Send(ctx context.Context, me directory.Person, d Draft) (Message, error) {
	subject := oneLine(d.Subject)
	body := strings.ReplaceAll(strings.ReplaceAll(d.Body, "\r\n", "\n"), "\x00", "")
	if utf8.RuneCountInString(subject) > MaxSubject {
		return Message{}, refuse(Invalid, "subject", fmt.Sprintf("Der Betreff darf höchstens %d Zeichen lang sein.", MaxSubject), "subject too long")
	}
	if utf8.RuneCountInString(body) > MaxBody {
		return Message{}, refuse(Invalid, "body", fmt.Sprintf("Der Text darf höchstens %d Zeichen lang sein.", MaxBody), "body too long")
	}
	if !utf8.ValidString(subject) || !utf8.ValidString(body) {
		return Message{}, refuse(Invalid, "body", "Der Text enthält ungültige Zeichen.", "invalid UTF-8")
	}
	if d.ReplyTo != 0 && d.ForwardOf != 0 {
		return Message{}, refuse(Invalid, "", "Eine Nachricht ist entweder eine Antwort oder eine Weiterleitung.", "reply and forward at once")
	}
	if len(d.Attachments) > MaxAttachments {
		return Message{}, refuse(Invalid, "attachments", fmt.Sprintf("Eine Nachricht kann höchstens %d Anhänge haben.", MaxAttachments), "%d attachments", len(d.Attachments))
	}
	seen := map[int64]bool{}
	for _, id := range d.Attachments {
		if seen[id] {
			return Message{}, refuse(Invalid, "attachments", "Ein Anhang ist doppelt angegeben.", "upload %d twice", id)
		}
		seen[id] = true
	}
	var forwarded []Attachment
	switch {
	case d.ReplyTo != 0:
		orig, err := rowOf(ctx, s.db.R, me.ID, d.ReplyTo)
		if err != nil {
			return Message{}, err
		}
		if subject == "" {
			subject = prefixed("AW: ", orig.subject)
		}
	case d.ForwardOf != 0:
		orig, err := rowOf(ctx, s.db.R, me.ID, d.ForwardOf)
		if err != nil {
			return Message{}, err
		}
		if forwarded, err = attachmentsOf(ctx, s.db.R, orig.id); err != nil {
			return Message{}, err
		}
		domain, err := s.domain(ctx)
		if err != nil {
			return Message{}, err
		}
		if subject == "" {
			subject = prefixed("WG: ", orig.subject)
		}
		body = forwardText(body, orig.summary(domain), orig.body)
	}
	if subject == "" && strings.TrimSpace(body) == "" && len(d.Attachments) == 0 {
		return Message{}, refuse(Invalid, "body", "Die Nachricht ist leer. Schreib einen Betreff oder einen Text.", "empty message")
	}
	rcpt, err := s.resolve(ctx, me, d.To)
	if err != nil {
		return Message{}, err
	}
	written, err := json.Marshal(rcpt.written)
	if err != nil {
		return Message{}, fmt.Errorf("mail: encode recipients: %w", err)
	}

	limit := s.cfg.StaffPerHour
	if me.Role == directory.Pupil {
		limit = s.cfg.PupilsPerHour
	}
	now := s.now()
	ok, retry, undo := s.limiter.take(me.ID, limit, now)
	if !ok {
		return Message{}, refuse(RateLimited, "", fmt.Sprintf("Du hast in der letzten Stunde schon %d Nachrichten geschrieben. Ab %s Uhr kannst du wieder schreiben.",
			limit, retry.In(berlin).Format("15:04")), "%s sent %d messages within the hour", me.Login, limit)
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := deleteUploadsBefore(ctx, tx, me.ID, now.Add(-UploadLifetime)); err != nil {
			return err
		}
		uploads, err := takeUploads(ctx, tx, me.ID, d.Attachments)
		if err != nil {
			return err
		}
		var total int64
		for _, a := range forwarded {
			total += a.Size
		}
		for _, u := range uploads {
			total += u.Size
		}
		if total > wire.MaxUpload {
			return tooLarge("Die Anhänge sind zusammen größer als %d MB.", total)
		}
		id, err = insertMessage(ctx, tx, newMessage{kind: kindMail, senderID: me.ID, senderLogin: me.Login, senderName: me.Name(),
			recipients: string(written), subject: subject, body: body, sentAt: now, inReplyTo: d.ReplyTo, forwardOf: d.ForwardOf})
		if err != nil {
			return err
		}
		if err := insertBoxes(ctx, tx, id, Sent, true, []int64{me.ID}); err != nil {
			return err
		}
		if err := insertBoxes(ctx, tx, id, Inbox, false, rcpt.people); err != nil {
			return err
		}
		for _, a := range forwarded {
			if err := insertAttachment(ctx, tx, id, a); err != nil {
				return err
			}
		}
		for _, u := range uploads {
			if err := insertAttachment(ctx, tx, id, Attachment{Name: u.Name, Size: u.Size, Hash: u.Hash}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		undo() // what was not sent does not count
		return Message{}, err
	}
	return s.Message(ctx, me.ID, id, false)
}

// oneLine makes a subject one line of printable characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// prefixed puts "AW: " or "WG: " before a subject unless it has it (or
// its English twin) already, so that replies do not pile up "AW: AW: ".
func prefixed(prefix, subject string) string {
	l := strings.ToLower(subject)
	for _, p := range samePrefixes[prefix] {
		if strings.HasPrefix(l, p) {
			return subject
		}
	}
	return clip(prefix+subject, MaxSubject)
}

var samePrefixes = map[string][]string{"AW: ": {"aw:", "re:"}, "WG: ": {"wg:", "fwd:", "fw:"}}

// forwardText appends the forwarded message below the sender's own words,
// the way mail programs do, so that what is forwarded is what was
// received.
func forwardText(own string, orig Summary, origBody string) string {
	var b strings.Builder
	if own = strings.TrimRight(own, "\n "); own != "" {
		b.WriteString(own)
		b.WriteString("\n\n")
	}
	b.WriteString("---------- Weitergeleitete Nachricht ----------\n")
	from := orig.From.Name
	if orig.From.Address != "" {
		from += " <" + orig.From.Address + ">"
	}
	fmt.Fprintf(&b, "Von: %s\n", from)
	fmt.Fprintf(&b, "Datum: %s Uhr\n", orig.SentAt.In(berlin).Format("02.01.2006, 15:04"))
	fmt.Fprintf(&b, "Betreff: %s\n", orig.Subject)
	names := make([]string, len(orig.To))
	for i, a := range orig.To {
		names[i] = a.Name
	}
	fmt.Fprintf(&b, "An: %s\n\n", strings.Join(names, ", "))
	b.WriteString(origBody)
	return clip(b.String(), MaxBody)
}

func tooLarge(format string, size int64) *Error {
	return refuse(TooLarge, "attachments", fmt.Sprintf(format, wire.MaxUpload>>20), "attachments of %d bytes", size)
}

// berlin is the school's time zone, for times in messages.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
