// Package blobs stores file contents (mail attachments, later homework
// hand-ins and files) outside the database, named by their SHA-256, in
// DATA/blobs. Uploads are streamed to disk with a size limit, so a 20 MB
// attachment never sits in memory, and a too large one is cut off where
// the limit is crossed. Identical files are stored once. Modules keep the
// hash in their tables; Sweep removes what no table references any more.
package blobs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrTooLarge means the content was longer than allowed.
var ErrTooLarge = errors.New("blobs: content too large")

// ErrNotFound means no blob has that hash.
var ErrNotFound = errors.New("blobs: not found")

// Store is a folder of blobs.
type Store struct {
	dir string
}

// Blob names stored content.
type Blob struct {
	Hash string // hex SHA-256
	Size int64
}

// Open opens (creating) the store in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	return &Store{dir: dir}, nil
}

// Dir is the store's folder (for backups).
func (s *Store) Dir() string { return s.dir }

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

func (s *Store) path(hash string) string {
	return filepath.Join(s.dir, hash[:2], hash[2:])
}

// Put stores what r yields, at most max bytes; more is ErrTooLarge and
// nothing is kept. The content is on disk (fsynced) when Put returns.
func (s *Store) Put(r io.Reader, max int64) (Blob, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-")
	if err != nil {
		return Blob{}, fmt.Errorf("blobs: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, max+1))
	if err != nil {
		return Blob{}, fmt.Errorf("blobs: write: %w", err)
	}
	if n > max {
		return Blob{}, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, fmt.Errorf("blobs: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Blob{}, fmt.Errorf("blobs: close: %w", err)
	}
	b := Blob{Hash: hex.EncodeToString(h.Sum(nil)), Size: n}
	dst := s.path(b.Hash)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return Blob{}, fmt.Errorf("blobs: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		os.Remove(tmp.Name()) // the same content is there already
		ok = true
		now := time.Now()
		os.Chtimes(dst, now, now) // young again, so Sweep spares it until it is referenced
		return b, nil
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Blob{}, fmt.Errorf("blobs: %w", err)
	}
	ok = true
	return b, nil
}

// Open opens a blob for reading.
func (s *Store) Open(hash string) (*os.File, error) {
	if !validHash(hash) {
		return nil, ErrNotFound
	}
	f, err := os.Open(s.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Sweep removes blobs that are not referenced and older than grace (a
// blob just uploaded may not be committed to its table yet), and
// leftovers of interrupted uploads. It returns how many it removed.
func (s *Store) Sweep(referenced func(hash string) bool, grace time.Duration) (int, error) {
	cutoff := time.Now().Add(-grace)
	removed := 0
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return err
		}
		rel, _ := filepath.Rel(s.dir, path)
		dir, name := filepath.Split(rel)
		hash := filepath.Clean(dir) + name
		if filepath.Clean(dir) == "tmp" || (validHash(hash) && !referenced(hash)) {
			if err := os.Remove(path); err == nil {
				removed++
			}
		}
		return nil
	})
	return removed, err
}
