package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// MaxAttachments bounds the attachments of a message and the uploads a
// person may have waiting.
const MaxAttachments = 20

// UploadLifetime is how long an upload waits to be sent before it goes.
const UploadLifetime = 24 * time.Hour

// Upload is a file uploaded for a message not sent yet.
type Upload struct {
	ID        int64
	Name      string
	Size      int64
	Hash      string
	CreatedAt time.Time
}

var (
	errNoUpload = refuse(Invalid, "attachments", "Diesen Anhang gibt es nicht (mehr). Bitte lade die Datei noch einmal hoch.",
		"no such upload of this person")
	errNoAttachment = refuse(NotFound, "", "Diesen Anhang gibt es nicht (mehr).", "no such attachment in this mailbox")
)

// Upload stores a file for a message the person is writing. The content
// streams from r to disk; more than wire.MaxUpload bytes are refused where
// the limit is crossed and nothing is kept. The uploads a person has
// waiting may together be no larger than one message may carry.
func (s *Service) Upload(ctx context.Context, me directory.Person, name string, r io.Reader) (Upload, error) {
	u := Upload{Name: SanitizeFileName(name), CreatedAt: s.now()}
	b, err := s.blobs.Put(r, wire.MaxUpload)
	if errors.Is(err, blobs.ErrTooLarge) {
		return Upload{}, refuse(TooLarge, "file", fmt.Sprintf("Die Datei ist zu groß: höchstens %d MB sind erlaubt.", wire.MaxUpload>>20), "upload over the limit")
	}
	if err != nil {
		return Upload{}, fmt.Errorf("mail: upload: %w", err)
	}
	u.Size, u.Hash = b.Size, b.Hash
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := deleteUploadsBefore(ctx, tx, me.ID, u.CreatedAt.Add(-UploadLifetime)); err != nil {
			return err
		}
		waiting, err := uploadsOf(ctx, tx, me.ID)
		if err != nil {
			return err
		}
		if len(waiting) >= MaxAttachments {
			return refuse(Invalid, "file", fmt.Sprintf("Du kannst höchstens %d Anhänge auf einmal hochladen.", MaxAttachments), "%d uploads waiting", len(waiting))
		}
		total := u.Size
		for _, w := range waiting {
			total += w.Size
		}
		if total > wire.MaxUpload {
			return tooLarge("Deine Anhänge wären zusammen größer als %d MB. Entferne zuerst einen.", total)
		}
		return insertUpload(ctx, tx, me.ID, &u)
	})
	if err != nil {
		// The blob stays until the sweep: the same content may belong to
		// another upload that is being committed right now.
		return Upload{}, err
	}
	return u, nil
}

// Uploads lists a person's uploads that wait to be sent.
func (s *Service) Uploads(ctx context.Context, personID int64) ([]Upload, error) {
	list, err := uploadsOf(ctx, s.db.R, personID)
	if err != nil {
		return nil, err
	}
	cut := s.now().Add(-UploadLifetime)
	out := list[:0]
	for _, u := range list {
		if u.CreatedAt.After(cut) {
			out = append(out, u)
		}
	}
	return out, nil
}

// DeleteUpload removes an upload of the person that was not sent.
func (s *Service) DeleteUpload(ctx context.Context, personID, uploadID int64) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error { return deleteUpload(ctx, tx, personID, uploadID) })
	if errors.Is(err, errNoUpload) {
		return refuse(NotFound, "", "Diesen Anhang gibt es nicht (mehr).", "no upload %d", uploadID)
	}
	return err
}

// SweepUploads removes everyone's uploads that waited longer than
// UploadLifetime; their blobs then go with the next blob sweep. It returns
// how many it removed.
func (s *Service) SweepUploads(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = deleteUploadsBefore(ctx, tx, 0, s.now().Add(-UploadLifetime))
		return err
	})
	return n, err
}

// OpenAttachment opens an attachment of a message in the person's
// mailbox for reading. The caller closes the file.
func (s *Service) OpenAttachment(ctx context.Context, personID, messageID, attachmentID int64) (Attachment, *os.File, error) {
	a, err := attachmentFor(ctx, s.db.R, personID, messageID, attachmentID)
	if err != nil {
		return a, nil, err
	}
	f, err := s.blobs.Open(a.Hash)
	if err != nil {
		return a, nil, fmt.Errorf("mail: open attachment %d: %w", a.ID, err)
	}
	return a, f, nil
}

// MaxFileName bounds a file name, in characters.
const MaxFileName = 100

// SanitizeFileName makes a file name safe to store, to show and to save
// on a Windows or Linux PC: the last path element only, no control or
// direction-changing characters (which can disguise "exe" as "txt"), none
// of <>:"/\|?*, no leading or trailing dots and spaces, not a reserved
// Windows device name, at most MaxFileName characters with the extension
// kept. What is left of nothing is "anhang".
func SanitizeFileName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Bidi_Control, r), r == '\u200b', r == '\ufeff':
			return -1
		case unicode.IsControl(r), strings.ContainsRune(`<>:"/\|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if utf8.RuneCountInString(name) > MaxFileName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		base := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(base[:MaxFileName-utf8.RuneCountInString(ext)]), " .") + ext
	}
	if name == "" {
		return "anhang"
	}
	stem, _, _ := strings.Cut(name, ".")
	switch strings.ToUpper(strings.TrimSpace(stem)) {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		name = "_" + name
	}
	return name
}
