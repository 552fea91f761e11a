package homework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/mail"
	"kaspel/shared/wire"
)

// putBlob streams an upload to the blob store; more than wire.MaxUpload
// bytes are refused where the limit is crossed and nothing is kept.
func (s *Service) putBlob(name string, r io.Reader) (File, error) {
	f := File{Name: mail.SanitizeFileName(name), CreatedAt: s.now()}
	b, err := s.blobs.Put(r, wire.MaxUpload)
	if errors.Is(err, blobs.ErrTooLarge) {
		return File{}, errFileTooLarge()
	}
	if err != nil {
		return File{}, fmt.Errorf("homework: upload: %w", err)
	}
	f.Size, f.Hash = b.Size, b.Hash
	return f, nil
}

func errFileTooLarge() *Error {
	return refuse(TooLarge, "file", fmt.Sprintf("Die Datei ist zu groß: höchstens %d MB sind erlaubt.", wire.MaxUpload>>20),
		"file over the limit")
}

func errTooManyFiles() *Error {
	return refuse(Invalid, "file", fmt.Sprintf("Es können höchstens %d Dateien sein. Entferne zuerst eine.", MaxFiles), "more than %d files", MaxFiles)
}

// AddFile attaches a worksheet to a homework. The access is checked
// before the upload is read, so a refused upload never reaches the disk.
func (s *Service) AddFile(ctx context.Context, me directory.Person, id int64, name string, r io.Reader) (File, error) {
	return s.addFile(ctx, me, id, func() (File, error) { return s.putBlob(name, r) })
}

// addFile attaches a worksheet whose content comes from content (an
// upload, or a file of the person's files: from_files.go); content is
// asked only when the person may add a worksheet to this homework.
func (s *Service) addFile(ctx context.Context, me directory.Person, id int64, content func() (File, error)) (File, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return File{}, err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return File{}, err
	}
	if !h.Manage {
		return File{}, errNotManager(me, id)
	}
	if h.FileCount >= MaxFiles {
		return File{}, errTooManyFiles()
	}
	f, err := content()
	if err != nil {
		return File{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := countFiles(ctx, tx, id)
		if err != nil {
			return err
		}
		if n >= MaxFiles {
			return errTooManyFiles()
		}
		if err := insertFile(ctx, tx, id, &f); err != nil {
			return err
		}
		return touchHomework(ctx, tx, id, f.CreatedAt)
	})
	if err != nil {
		// The blob stays until the sweep: the same content may belong to
		// another file that is being committed right now.
		return File{}, err
	}
	return f, nil
}

// DeleteFile removes a worksheet from a homework.
func (s *Service) DeleteFile(ctx context.Context, me directory.Person, id, fileID int64) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return err
	}
	if !h.Manage {
		return errNotManager(me, id)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := deleteFile(ctx, tx, id, fileID); err != nil {
			return err
		}
		return touchHomework(ctx, tx, id, s.now())
	})
}

// OpenFile opens a worksheet of a homework the person sees. The caller
// closes the file.
func (s *Service) OpenFile(ctx context.Context, me directory.Person, id, fileID int64) (File, *os.File, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return File{}, nil, err
	}
	if _, err := s.visible(ctx, g, id); err != nil {
		return File{}, nil, err
	}
	f, err := fileOf(ctx, s.db.R, id, fileID)
	if err != nil {
		return f, nil, err
	}
	return s.open(f)
}

func (s *Service) open(f File) (File, *os.File, error) {
	file, err := s.blobs.Open(f.Hash)
	if err != nil {
		return f, nil, fmt.Errorf("homework: open file %d: %w", f.ID, err)
	}
	return f, file, nil
}

// BlobInUse reports whether a homework or a hand-in refers to the blob,
// so that the server can sweep the blobs nothing refers to.
func (s *Service) BlobInUse(ctx context.Context, hash string) (bool, error) {
	return blobInUse(ctx, s.db.R, hash)
}

// ReferencedBlobs lists every blob homework refers to, for one sweep
// over the blob store.
func (s *Service) ReferencedBlobs(ctx context.Context) (map[string]bool, error) {
	return referencedBlobs(ctx, s.db.R)
}
