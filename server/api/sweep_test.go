package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kaspel/server/blobs"
	"kaspel/server/config"
	"kaspel/shared/wire"
)

// TestSweepStoredFiles: the housekeeping removes stored files that no
// module refers to, and keeps an attachment of a sent mail, however old.
func TestSweepStoredFiles(t *testing.T) {
	s := newSchool(t)
	c := s.as(s.Pupil)
	content := "Mein Bild\n"
	up, err := c.MailUpload(ctx, "bild.txt", strings.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2 + "@" + "gsborsum.de"}, Subject: "Hallo", Body: "Anbei", Attachments: []int64{up.ID}}); err != nil {
		t.Fatal(err)
	}
	orphan, err := s.Blobs.Put(strings.NewReader("von niemandem\n"), 100)
	if err != nil {
		t.Fatal(err)
	}
	// Both files are old: only the referenced one may stay.
	old := time.Now().Add(-72 * time.Hour)
	filepath.WalkDir(config.BlobsDir(s.Data), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
	s.API.Sweep(ctx)
	if _, err := s.Blobs.Open(orphan.Hash); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("unreferenced stored file after the sweep: %v, want gone", err)
	}
	sum := sha256.Sum256([]byte(content))
	f, err := s.Blobs.Open(hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatalf("the sent attachment after the sweep: %v, want kept", err)
	}
	f.Close()
	// and it still downloads
	page, err := s.as(s.Pupil2).MailPage(ctx, "inbox", "", 10)
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("inbox: %+v, %v", page, err)
	}
}
