package homework

import (
	"errors"
	"io"
	"strings"
	"testing"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/files"
)

// store saves a file into a person's files: their own folder, or with
// group the folder of that class.
func (e *env) store(p directory.Person, group, name, content string) files.File {
	e.t.Helper()
	roots, err := e.files.Roots(ctx, p)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range roots {
		if group == "" && r.Kind == files.Personal || group != "" && r.Kind == files.Group && r.Group == group {
			f, err := e.files.Upload(ctx, p, r.ID, name, int64(len(content)), strings.NewReader(content))
			if err != nil {
				e.t.Fatalf("store %q for %s: %v", name, p.Login, err)
			}
			return f
		}
	}
	e.t.Fatalf("no folder %q for %s", group, p.Login)
	return files.File{}
}

// read reads an opened homework file.
func read(t *testing.T, f File, rd io.ReadCloser, err error) string {
	t.Helper()
	if err != nil {
		t.Fatalf("open %q: %v", f.Name, err)
	}
	defer rd.Close()
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sweep is the server's blob sweep: a blob stays while homework or the
// files refer to it.
func (e *env) sweep() {
	e.t.Helper()
	_, err := e.blobs.Sweep(func(hash string) bool {
		hw, err1 := e.svc.BlobInUse(ctx, hash)
		fs, err2 := e.files.BlobInUse(ctx, hash)
		return hw || fs || err1 != nil || err2 != nil
	}, 0)
	if err != nil {
		e.t.Fatal(err)
	}
}

// The rules of handing in and setting worksheets from "Meine Dateien":
// those of an upload, and only a file the person may see.
func TestFromFiles(t *testing.T) {
	tests := []struct {
		name string
		// run adds a file to the homework h (set by tina for 3a, due
		// Wednesday) and returns the service's answer.
		run  func(e *env, h Homework) (File, error)
		want Kind // 0: accepted
	}{
		{"a pupil hands in a file of hers", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, e.store(e.anna, "", "Aufsatz.txt", "Mein Aufsatz").ID)
		}, 0},
		{"a pupil hands in the teacher's worksheet of her class's folder", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, e.store(e.tina, "3a", "Blatt.txt", "Blatt").ID)
		}, Forbidden},
		{"a file of someone else", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, e.store(e.ben, "", "Bens.txt", "von Ben").ID)
		}, NotFound},
		{"a file that does not exist", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, 999999)
		}, NotFound},
		{"a program for a pupil", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, e.store(e.tina, "3a", "spiel.exe", "MZ...").ID)
		}, Forbidden},
		{"a program uploaded by a pupil", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFile(ctx, e.anna, h.ID, "spiel.exe", strings.NewReader("MZ\x90\x00"))
		}, Forbidden},
		{"a program renamed to a picture, uploaded by a pupil", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFile(ctx, e.anna, h.ID, "bild.png", strings.NewReader("MZ\x90\x00\x03\x00\x00\x00"))
		}, Forbidden},
		{"a picture uploaded by a pupil", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFile(ctx, e.anna, h.ID, "bild.png", strings.NewReader("\x89PNG\r\n\x1a\n"))
		}, 0},
		{"after feedback", func(e *env, h Homework) (File, error) {
			f := e.store(e.anna, "", "Aufsatz.txt", "Mein Aufsatz")
			if _, err := e.svc.SetFeedback(ctx, e.tina, h.ID, e.anna.Login, "Schön"); err != nil {
				return File{}, err
			}
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, f.ID)
		}, Conflict},
		{"more than ten files", func(e *env, h Homework) (File, error) {
			for i := range MaxFiles {
				if _, err := e.svc.AddHandinFile(ctx, e.anna, h.ID, "foto.jpg", strings.NewReader(strings.Repeat("x", i+1))); err != nil {
					return File{}, err
				}
			}
			return e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, e.store(e.anna, "", "Aufsatz.txt", "Mein Aufsatz").ID)
		}, Invalid},
		{"a pupil of another class", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.clara, h.ID, e.store(e.clara, "", "Aufsatz.txt", "Claras Aufsatz").ID)
		}, NotFound},
		{"a teacher on the hand-in route", func(e *env, h Homework) (File, error) {
			return e.svc.AddHandinFileFromFiles(ctx, e.tina, h.ID, e.store(e.tina, "", "Lösung.txt", "Lösung").ID)
		}, Forbidden},
		{"a teacher adds a worksheet", func(e *env, h Homework) (File, error) {
			return e.svc.AddFileFromFiles(ctx, e.tina, h.ID, e.store(e.tina, "", "Arbeitsblatt.txt", "Aufgabe 1").ID)
		}, 0},
		{"a teacher adds a program as worksheet", func(e *env, h Homework) (File, error) {
			return e.svc.AddFileFromFiles(ctx, e.tina, h.ID, e.store(e.tina, "", "rechnen.exe", "MZ...").ID)
		}, 0},
		{"a teacher adds a file of a colleague", func(e *env, h Homework) (File, error) {
			return e.svc.AddFileFromFiles(ctx, e.tina, h.ID, e.store(e.mia, "", "Mias.txt", "von Mia").ID)
		}, NotFound},
		{"a pupil on the worksheet route", func(e *env, h Homework) (File, error) {
			return e.svc.AddFileFromFiles(ctx, e.anna, h.ID, e.store(e.anna, "", "Aufsatz.txt", "Mein Aufsatz").ID)
		}, Forbidden},
		{"a teacher of another class", func(e *env, h Homework) (File, error) {
			return e.svc.AddFileFromFiles(ctx, e.otto, h.ID, e.store(e.otto, "", "Blatt.txt", "Ottos Blatt").ID)
		}, NotFound},
		{"eleven worksheets", func(e *env, h Homework) (File, error) {
			for i := range MaxFiles {
				if _, err := e.svc.AddFile(ctx, e.tina, h.ID, "blatt.txt", strings.NewReader(strings.Repeat("x", i+1))); err != nil {
					return File{}, err
				}
			}
			return e.svc.AddFileFromFiles(ctx, e.tina, h.ID, e.store(e.tina, "", "Arbeitsblatt.txt", "Aufgabe 1").ID)
		}, Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			h := e.set(e.tina, maths())
			f, err := tt.run(e, h)
			if got := kindOf(err); got != tt.want || (tt.want == 0) != (err == nil) {
				t.Fatalf("got %v (kind %d), want kind %d", err, got, tt.want)
			}
			if tt.want != 0 {
				return
			}
			if f.ID == 0 || f.Size == 0 || f.Hash == "" {
				t.Errorf("got %+v, want a stored file", f)
			}
		})
	}
}

// A pupil hands in from her files: the hand-in has the file with the
// same bytes, she is done, and the file stays in "Meine Dateien". The
// stored content is shared, and the sweep removes it only when neither
// the files nor the hand-in refer to it.
func TestHandinFromFiles(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	src := e.store(e.anna, "", `Aufsatz: Mein Hund.txt`, "Mein Hund heißt Bello.")
	before := e.blobFiles()
	f, err := e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != src.Name || f.Size != src.Size || f.Hash != src.Hash {
		t.Errorf("the hand-in's file: got %+v, want the name, size and content of %+v", f, src)
	}
	if n := e.blobFiles(); n != before {
		t.Errorf("stored files: got %d, want %d (nothing copied)", n, before)
	}
	if got := e.state(e.anna, h.ID); got != "done" {
		t.Errorf("state: got %s, want done", got)
	}
	g, rd, err := e.svc.OpenOwnHandinFile(ctx, e.anna, h.ID, f.ID)
	if got := read(t, g, rd, err); got != "Mein Hund heißt Bello." {
		t.Errorf("the pupil reads %q", got)
	}
	g, rd, err = e.svc.OpenHandinFile(ctx, e.tina, h.ID, e.anna.Login, f.ID)
	if got := read(t, g, rd, err); got != "Mein Hund heißt Bello." {
		t.Errorf("the teacher reads %q", got)
	}
	if _, rd, err := e.files.Open(ctx, e.anna, src.ID); err != nil {
		t.Errorf("the file in Meine Dateien after handing it in: %v", err)
	} else {
		rd.Close()
	}

	// Deleted from "Meine Dateien": the hand-in keeps the content.
	if err := e.files.DeleteFile(ctx, e.anna, src.ID); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	g, rd, err = e.svc.OpenHandinFile(ctx, e.tina, h.ID, e.anna.Login, f.ID)
	if got := read(t, g, rd, err); got != "Mein Hund heißt Bello." {
		t.Errorf("after deleting the original and a sweep the teacher reads %q", got)
	}

	// Taken back from the hand-in as well: the next sweep removes it.
	if err := e.svc.DeleteHandinFile(ctx, e.anna, h.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	if _, err := e.blobs.Open(f.Hash); !errors.Is(err, blobs.ErrNotFound) {
		t.Errorf("the content after both let go and a sweep: %v, want gone", err)
	}
}

// The other way round: taken back from the hand-in, the file in "Meine
// Dateien" keeps its content through the sweep.
func TestHandinFromFilesTakenBack(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	src := e.store(e.anna, "", "Bild.txt", "Ein Bild")
	f, err := e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteHandinFile(ctx, e.anna, h.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	_, rd, err := e.files.Open(ctx, e.anna, src.ID)
	if err != nil {
		t.Fatalf("the file in Meine Dateien after the sweep: %v", err)
	}
	defer rd.Close()
	if b, _ := io.ReadAll(rd); string(b) != "Ein Bild" {
		t.Errorf("got %q", b)
	}
}

// Handed in from the files after the due day, the hand-in is late, as an
// upload is.
func TestHandinFromFilesLate(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	src := e.store(e.anna, "", "Aufsatz.txt", "Mein Aufsatz")
	e.days(3) // Thursday
	if _, err := e.svc.AddHandinFileFromFiles(ctx, e.anna, h.ID, src.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.state(e.anna, h.ID); got != "done,late" {
		t.Errorf("got %s, want done,late", got)
	}
}

// A teacher adds a worksheet from her files: the pupils read the same
// bytes, and the worksheet outlives the file.
func TestWorksheetFromFiles(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	src := e.store(e.tina, "", "Arbeitsblatt 12.txt", "1) 7 + 5 = ?")
	f, err := e.svc.AddFileFromFiles(ctx, e.tina, h.ID, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Get(ctx, e.anna, h.ID)
	if err != nil || len(got.Files) != 1 || got.Files[0].Name != "Arbeitsblatt 12.txt" {
		t.Fatalf("the homework's worksheets: %+v, %v", got.Files, err)
	}
	if err := e.files.DeleteFile(ctx, e.tina, src.ID); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	g, rd, err := e.svc.OpenFile(ctx, e.anna, h.ID, f.ID)
	if s := read(t, g, rd, err); s != "1) 7 + 5 = ?" {
		t.Errorf("the pupil reads %q", s)
	}
}
