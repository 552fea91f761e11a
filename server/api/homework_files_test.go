package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"kaspel/client/serverapi"
	"kaspel/server/blobs"
	"kaspel/shared/wire"
)

// Worksheets and hand-ins from "Meine Dateien" end to end: the routes
// POST /api/v1/homework/{id}/files/from-files and
// POST /api/v1/homework/{id}/handin/files/from-files over the real HTTPS
// listener, with the Go client the desktop client uses.

// filesStore uploads a file into one of the caller's top folders.
func (s *school) filesStore(c *serverapi.Client, kind, group, name, content string) wire.FilesFile {
	s.t.Helper()
	f, err := c.FilesUpload(ctx, s.filesRoot(c, kind, group), name, strings.NewReader(content), int64(len(content)))
	if err != nil {
		s.t.Fatalf("files upload %q: %v", name, err)
	}
	return f
}

// stored tells whether the blob store still has a content.
func (s *school) stored(content string) bool {
	s.t.Helper()
	sum := sha256.Sum256([]byte(content))
	f, err := s.Blobs.Open(hex.EncodeToString(sum[:]))
	if errors.Is(err, blobs.ErrNotFound) {
		return false
	}
	if err != nil {
		s.t.Fatal(err)
	}
	f.Close()
	return true
}

func TestHomeworkHandinFromFiles(t *testing.T) {
	s := newSchool(t)
	tina, anna := s.as(s.Teacher), s.as(s.Pupil)
	h := s.hwSet(tina, "Aufsatz")
	const essay = "Mein Hund heißt Bello."
	src := s.filesStore(anna, wire.FilesPersonal, "", "Mein Hund.txt", essay)

	f, err := anna.HandInFileFromFiles(ctx, h.ID, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Mein Hund.txt" || f.Size != int64(len(essay)) || f.ID == 0 {
		t.Errorf("the answer: got %+v", f)
	}
	one, err := anna.Homework(ctx, h.ID)
	if err != nil || one.Work == nil || one.Work.State != wire.HomeworkDone || len(one.Work.Files) != 1 || one.Work.Files[0].ID != f.ID {
		t.Fatalf("the hand-in: got %+v, %v", one.Work, err)
	}
	var buf bytes.Buffer
	if _, _, err := anna.OwnHandInFile(ctx, h.ID, f.ID, &buf); err != nil || buf.String() != essay {
		t.Errorf("the pupil downloads %q, %v", buf.String(), err)
	}
	buf.Reset()
	if _, _, err := tina.HandInFileOf(ctx, h.ID, s.Pupil, f.ID, &buf); err != nil || buf.String() != essay {
		t.Errorf("the teacher downloads %q, %v", buf.String(), err)
	}
	if got := fileNames(t, anna, s.filesRoot(anna, wire.FilesPersonal, "")); len(got) != 1 || got[0] != "Mein Hund.txt" {
		t.Errorf("Meine Dateien after handing in: %q, want the file still there", got)
	}

	// Deleted from "Meine Dateien": the hand-in keeps the content.
	if err := anna.FilesDelete(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	s.ageBlobs()
	s.API.Sweep(ctx)
	buf.Reset()
	if _, _, err := tina.HandInFileOf(ctx, h.ID, s.Pupil, f.ID, &buf); err != nil || buf.String() != essay {
		t.Errorf("after deleting the original and a sweep the teacher downloads %q, %v", buf.String(), err)
	}
	// Taken back from the hand-in too: the sweep removes the content.
	if err := anna.DeleteHandInFile(ctx, h.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	s.ageBlobs()
	s.API.Sweep(ctx)
	if s.stored(essay) {
		t.Error("the content is still stored after neither the files nor the hand-in refer to it")
	}
}

func TestHomeworkWorksheetFromFiles(t *testing.T) {
	s := newSchool(t)
	tina, anna := s.as(s.Teacher), s.as(s.Pupil)
	h := s.hwSet(tina, "Rechnen")
	const sheet = "1) 7 + 5 = ?"
	src := s.filesStore(tina, wire.FilesPersonal, "", "Arbeitsblatt.txt", sheet)
	f, err := tina.AddHomeworkFileFromFiles(ctx, h.ID, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	one, err := anna.Homework(ctx, h.ID)
	if err != nil || len(one.Files) != 1 || one.Files[0].ID != f.ID || one.Files[0].Name != "Arbeitsblatt.txt" {
		t.Fatalf("the pupil's view of the worksheets: %+v, %v", one.Files, err)
	}
	var buf bytes.Buffer
	if _, _, err := anna.HomeworkFile(ctx, h.ID, f.ID, &buf); err != nil || buf.String() != sheet {
		t.Errorf("the pupil downloads %q, %v", buf.String(), err)
	}
	// The worksheet outlives the file.
	if err := tina.FilesDelete(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	s.ageBlobs()
	s.API.Sweep(ctx)
	buf.Reset()
	if _, _, err := anna.HomeworkFile(ctx, h.ID, f.ID, &buf); err != nil || buf.String() != sheet {
		t.Errorf("after deleting the original and a sweep the pupil downloads %q, %v", buf.String(), err)
	}
}

// The refusals, each with its status and German message.
func TestHomeworkFromFilesRefusals(t *testing.T) {
	s := newSchool(t)
	tina, anna, ben, clara := s.as(s.Teacher), s.as(s.Pupil), s.as(s.Pupil2), s.as(s.OtherPupil)
	h := s.hwSet(tina, "Aufsatz")
	annas := s.filesStore(anna, wire.FilesPersonal, "", "Aufsatz.txt", "Annas Aufsatz")
	bens := s.filesStore(ben, wire.FilesPersonal, "", "Aufsatz.txt", "Bens Aufsatz")
	program := s.filesStore(tina, wire.FilesGroup, "3a", "spiel.exe", "MZ Programm")
	tinas := s.filesStore(tina, wire.FilesPersonal, "", "Blatt.txt", "Blatt")

	tests := []struct {
		name    string
		call    func() error
		status  int
		code    string
		message string
	}{
		{"a file of someone else", func() error { _, err := anna.HandInFileFromFiles(ctx, h.ID, bens.ID); return err },
			http.StatusNotFound, wire.CodeNotFound, "Diese Datei gibt es nicht"},
		{"the teacher's program in the class folder", func() error { _, err := anna.HandInFileFromFiles(ctx, h.ID, program.ID); return err },
			http.StatusForbidden, wire.CodeForbidden, "die du selbst gespeichert hast"},
		{"a homework of another class", func() error {
			_, err := clara.HandInFileFromFiles(ctx, h.ID, s.filesStore(clara, wire.FilesPersonal, "", "x.txt", "x").ID)
			return err
		}, http.StatusNotFound, wire.CodeNotFound, "Hausaufgabe"},
		{"a pupil on the worksheet route", func() error { _, err := anna.AddHomeworkFileFromFiles(ctx, h.ID, annas.ID); return err },
			http.StatusForbidden, wire.CodeForbidden, ""},
		{"a teacher on the hand-in route", func() error { _, err := tina.HandInFileFromFiles(ctx, h.ID, tinas.ID); return err },
			http.StatusForbidden, wire.CodeForbidden, ""},
		{"a teacher with a pupil's file", func() error { _, err := tina.AddHomeworkFileFromFiles(ctx, h.ID, annas.ID); return err },
			http.StatusNotFound, wire.CodeNotFound, "Diese Datei gibt es nicht"},
		{"after feedback", func() error {
			if _, err := tina.HomeworkFeedback(ctx, h.ID, s.Pupil, "Schön"); err != nil {
				return err
			}
			_, err := anna.HandInFileFromFiles(ctx, h.ID, annas.ID)
			return err
		}, http.StatusConflict, wire.CodeConflict, "Rückmeldung"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := hwAPIError(t, tt.call())
			if e.Status != tt.status || e.Code != tt.code || !strings.Contains(e.Message, tt.message) {
				t.Errorf("got %d %s %q, want %d %s with %q", e.Status, e.Code, e.Message, tt.status, tt.code, tt.message)
			}
		})
	}
	one, err := anna.Homework(ctx, h.ID)
	if err != nil || one.Work.FileCount != 0 {
		t.Errorf("after the refusals: %+v, %v", one.Work, err)
	}
	// A body that is no file id is a bad request.
	if status, code := s.raw(s.token(s.Pupil), "POST", "/api/v1/homework/"+strconv.FormatInt(h.ID, 10)+"/handin/files/from-files",
		map[string]string{"file": "Aufsatz.txt"}); status != http.StatusBadRequest {
		t.Errorf("a name for the id: got %d %s, want 400", status, code)
	}
}

// While the files module is off, the routes answer 404: they would be a
// way into a closed module.
func TestHomeworkFromFilesModuleOff(t *testing.T) {
	s := newSchool(t)
	tina, anna := s.as(s.Teacher), s.as(s.Pupil)
	h := s.hwSet(tina, "Aufsatz")
	annas := s.filesStore(anna, wire.FilesPersonal, "", "Aufsatz.txt", "Annas Aufsatz")
	tinas := s.filesStore(tina, wire.FilesPersonal, "", "Blatt.txt", "Blatt")
	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleFiles, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err := anna.HandInFileFromFiles(ctx, h.ID, annas.ID)
	wantCode(t, err, wire.CodeNotFound, "hand-in from files with files off")
	_, err = tina.AddHomeworkFileFromFiles(ctx, h.ID, tinas.ID)
	wantCode(t, err, wire.CodeNotFound, "worksheet from files with files off")
	if one, err := anna.Homework(ctx, h.ID); err != nil || one.Work.FileCount != 0 || len(one.Files) != 0 {
		t.Errorf("after the refusals: %+v, %v", one, err)
	}
}
