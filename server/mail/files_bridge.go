package mail

// The bridge to the files module: a person saves an attachment of a mail
// they have into their files, and attaches a file of theirs to a mail
// they write. The files module never reads mail's tables (nor mail the
// files module's); the API hands blobs across through these two methods,
// and both modules name the same stored content by its hash, so nothing
// is copied and the blob sweep keeps it while either refers to it.

import (
	"context"
	"database/sql"
	"fmt"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// AttachmentForReader returns an attachment of a message in the person's
// mailbox — its blob and its (sanitised) name — for saving it into the
// person's files. An attachment of a message the person does not have is
// not found, whether it exists or not.
func (s *Service) AttachmentForReader(ctx context.Context, personID, messageID, attachmentID int64) (blobs.Blob, string, error) {
	a, err := attachmentFor(ctx, s.db.R, personID, messageID, attachmentID)
	if err != nil {
		return blobs.Blob{}, "", err
	}
	return blobs.Blob{Hash: a.Hash, Size: a.Size}, a.Name, nil
}

// AddUploadFromBlob makes content already in the blob store (a file from
// the person's files) an upload waiting to be sent, as if the person had
// uploaded it: the name is sanitised, and the bounds on waiting uploads
// (their number, 20 MB together) apply. The answer's ID goes into
// Draft.Attachments.
func (s *Service) AddUploadFromBlob(ctx context.Context, me directory.Person, name string, b blobs.Blob) (Upload, error) {
	if b.Size > wire.MaxUpload {
		return Upload{}, refuse(TooLarge, "file", fmt.Sprintf("Die Datei ist zu groß: höchstens %d MB sind erlaubt.", wire.MaxUpload>>20), "blob over the limit")
	}
	f, err := s.blobs.Open(b.Hash)
	if err != nil {
		return Upload{}, fmt.Errorf("mail: upload from blob %s: %w", b.Hash, err)
	}
	f.Close()
	u := Upload{Name: SanitizeFileName(name), Size: b.Size, Hash: b.Hash, CreatedAt: s.now()}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error { return s.addUpload(ctx, tx, me, &u) })
	if err != nil {
		return Upload{}, err
	}
	return u, nil
}

// addUpload records an upload of the person within the bounds on waiting
// uploads. It is Upload's transaction (attachment.go), shared here so that
// an upload from the person's files meets the same rules.
func (s *Service) addUpload(ctx context.Context, tx *sql.Tx, me directory.Person, u *Upload) error {
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
	return insertUpload(ctx, tx, me.ID, u)
}
