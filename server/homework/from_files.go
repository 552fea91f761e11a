package homework

// Worksheets and hand-ins from the person's files on the school server
// („Meine Dateien“, the files module): on a school PC the work is saved
// there, not on the computer. Homework never reads the files module's
// tables; it asks the files service for a file the person may see
// (files.Service.Blob) and refers to the same stored content by its
// hash, so nothing is copied, and the blob sweep keeps the content while
// a file or a homework refers to it (both register BlobInUse). The rules
// are those of an upload: the same code paths (addFile, addHandinFile)
// check who may, the number of files, a hand-in closed by feedback, and
// mark a late hand-in.

import (
	"context"
	"fmt"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/files"
	"kaspel/server/mail"
	"kaspel/shared/wire"
)

// Files is the files module as homework takes a file from it: a file the
// person may see, with its stored content; one they may not see is
// files.ErrNoFile, whether it exists or not.
type Files interface {
	Blob(ctx context.Context, me directory.Person, fileID int64) (files.File, blobs.Blob, error)
}

var _ Files = (*files.Service)(nil)

// SetFiles connects the files module (the API does, as it connects mail
// and files). Without it no file is found.
func (s *Service) SetFiles(f Files) { s.files = f }

var (
	errProgram = refuse(Forbidden, "file", "Programme und Skripte kannst du nicht abgeben (Nutzungsordnung: keine fremde Software).",
		"program or script refused for a pupil")
	errNotOwn = refuse(Forbidden, "file", "Abgeben kannst du nur Dateien, die du selbst gespeichert hast.",
		"a pupil handing in someone else's file")
)

// AddFileFromFiles attaches a file the person may see in their files as
// a worksheet, with the rules of AddFile.
func (s *Service) AddFileFromFiles(ctx context.Context, me directory.Person, id, fileID int64) (File, error) {
	return s.addFile(ctx, me, id, func() (File, error) { return s.fromFiles(ctx, me, fileID) })
}

// AddHandinFileFromFiles hands in a file the pupil may see in their
// files, with the rules of AddHandinFile.
func (s *Service) AddHandinFileFromFiles(ctx context.Context, me directory.Person, id, fileID int64) (File, error) {
	return s.addHandinFile(ctx, me, id, func() (File, error) { return s.fromFiles(ctx, me, fileID) })
}

// fromFiles takes a file of the files module as a homework's file: its
// name (sanitised as an upload's) and its blob, which must still be in
// the store. A file over wire.MaxUpload is refused as an upload is (the
// files module's own limit makes it rare); a pupil may take only files
// they stored themselves (and addHandinFile refuses programs).
func (s *Service) fromFiles(ctx context.Context, me directory.Person, fileID int64) (File, error) {
	if s.files == nil {
		return File{}, errNoFile
	}
	src, b, err := s.files.Blob(ctx, me, fileID)
	if err != nil {
		return File{}, err
	}
	if b.Size > wire.MaxUpload {
		return File{}, errFileTooLarge()
	}
	// A pupil hands in their own work: a file they stored (whose content
	// the files module checked for programs then), not a teacher's
	// worksheet of the class folder.
	if me.Role == directory.Pupil && !src.Mine {
		return File{}, errNotOwn
	}
	rd, err := s.blobs.Open(b.Hash)
	if err != nil {
		return File{}, fmt.Errorf("homework: file %d from files: %w", fileID, err)
	}
	rd.Close()
	return File{Name: mail.SanitizeFileName(src.Name), Size: b.Size, Hash: b.Hash, CreatedAt: s.now()}, nil
}
