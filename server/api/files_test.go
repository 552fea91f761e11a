package api_test

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The files module end to end: the real HTTPS listener on loopback, the
// Go client the desktop client uses.

// filesRoot returns the id of one of the caller's top folders.
func (s *school) filesRoot(c *serverapi.Client, kind, group string) int64 {
	s.t.Helper()
	r, err := c.FilesRoots(ctx)
	if err != nil {
		s.t.Fatalf("files roots: %v", err)
	}
	for _, f := range r.Folders {
		if f.Kind == kind && f.Group == group {
			return f.ID
		}
	}
	s.t.Fatalf("no %s folder %q in %+v", kind, group, r.Folders)
	return 0
}

// fileNames lists the names of a folder's files as the caller sees them.
func fileNames(t *testing.T, c *serverapi.Client, folder int64) []string {
	t.Helper()
	l, err := c.FilesFolder(ctx, folder)
	if err != nil {
		t.Fatalf("folder %d: %v", folder, err)
	}
	out := []string{}
	for _, f := range l.Files {
		out = append(out, f.Name)
	}
	return out
}

func TestFilesHappyPath(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	roots, err := anna.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, f := range roots.Folders {
		titles = append(titles, f.Name)
	}
	if !slices.Equal(titles, []string{"Meine Dateien", "Klasse 3a", "Abgabe Klasse 3a"}) || roots.Usage.Quota != 100<<20 || roots.Usage.Used != 0 {
		t.Errorf("roots: got %v, %+v", titles, roots.Usage)
	}
	home := roots.Folders[0]
	if !home.MayUpload || !home.MayWrite || roots.Folders[1].MayUpload || !roots.Folders[2].MayUpload {
		t.Errorf("what anna may do: %+v", roots.Folders)
	}

	content := []byte("Mein Gedicht über den Herbst")
	f, err := anna.FilesUpload(ctx, home.ID, `C:\Users\anna\Gedicht "Herbst".txt`, bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Gedicht _Herbst_.txt" || f.Size != int64(len(content)) || !f.Mine || !f.MayChange || f.Owner.Login != s.Pupil {
		t.Errorf("uploaded: got %+v", f)
	}
	var buf bytes.Buffer
	name, n, err := anna.FilesDownload(ctx, f.ID, &buf)
	if err != nil || name != f.Name || n != int64(len(content)) || !bytes.Equal(buf.Bytes(), content) {
		t.Errorf("download: got %q, %d, %q, %v", name, n, buf.Bytes(), err)
	}
	sub, err := anna.FilesCreateFolder(ctx, home.ID, "Deutsch")
	if err != nil || sub.Parent != home.ID || sub.Name != "Deutsch" {
		t.Fatalf("subfolder: %+v, %v", sub, err)
	}
	moved, err := anna.FilesUpdate(ctx, f.ID, wire.FilesFileChange{Name: "Herbstgedicht.txt", Folder: sub.ID})
	if err != nil || moved.Folder != sub.ID || moved.Name != "Herbstgedicht.txt" {
		t.Errorf("rename and move: %+v, %v", moved, err)
	}
	l, err := anna.FilesFolder(ctx, sub.ID)
	if err != nil || len(l.Path) != 2 || l.Path[0].Name != "Meine Dateien" || len(l.Files) != 1 {
		t.Errorf("listing: %+v, %v", l, err)
	}
	if u, err := anna.FilesUsage(ctx); err != nil || u.Used != int64(len(content)) {
		t.Errorf("usage: %+v, %v", u, err)
	}
	if _, err := anna.FilesRenameFolder(ctx, sub.ID, "Deutsch 3"); err != nil {
		t.Errorf("rename folder: %v", err)
	}
	_, err = s.as(s.Pupil2).FilesFolder(ctx, home.ID)
	wantCode(t, err, wire.CodeNotFound, "ben lists anna's own folder")
	_, _, err = s.as(s.Admin).FilesDownload(ctx, f.ID, &bytes.Buffer{})
	wantCode(t, err, wire.CodeNotFound, "the admin downloads anna's file")
	if err := anna.FilesDelete(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if err := anna.FilesDeleteFolder(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	err = anna.FilesDeleteFolder(ctx, home.ID)
	wantCode(t, err, wire.CodeConflict, "delete the own root")
}

// A class's folder: its teachers write, its members read. A class's drop
// folder: pupils hand in, each sees their own, the class's teachers see all.
func TestFilesClassAndDropFolders(t *testing.T) {
	s := newSchool(t)
	anna, ben, tina, clara, otto := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.Teacher), s.as(s.OtherPupil), s.as(s.OtherTeacher)
	class := s.filesRoot(tina, wire.FilesGroup, "3a")
	drop := s.filesRoot(tina, wire.FilesDrop, "3a")
	sheet, err := tina.FilesUpload(ctx, class, "Arbeitsblatt.pdf", strings.NewReader("%PDF"), -1)
	if err != nil {
		t.Fatal(err)
	}
	if got := fileNames(t, anna, class); !slices.Equal(got, []string{"Arbeitsblatt.pdf"}) {
		t.Errorf("anna reads the class folder: %v", got)
	}
	_, err = anna.FilesUpload(ctx, class, "meins.txt", strings.NewReader("x"), -1)
	wantCode(t, err, wire.CodeForbidden, "a pupil writes into the class folder")
	_, err = anna.FilesUpdate(ctx, sheet.ID, wire.FilesFileChange{Name: "weg.pdf"})
	wantCode(t, err, wire.CodeForbidden, "a pupil renames the teacher's sheet")
	_, err = clara.FilesFolder(ctx, class)
	wantCode(t, err, wire.CodeNotFound, "another class reads the folder")
	_, _, err = otto.FilesDownload(ctx, sheet.ID, &bytes.Buffer{})
	wantCode(t, err, wire.CodeNotFound, "another class's teacher downloads")

	for _, c := range []*serverapi.Client{anna, ben} {
		if _, err := c.FilesUpload(ctx, drop, "Aufsatz.txt", strings.NewReader("Mein Aufsatz"), -1); err != nil {
			t.Fatal(err)
		}
	}
	if got := fileNames(t, anna, drop); len(got) != 1 {
		t.Errorf("anna's view of the drop folder: %v, want her own only", got)
	}
	l, err := tina.FilesFolder(ctx, drop)
	if err != nil || len(l.Files) != 2 || l.Files[0].Owner.Login == l.Files[1].Owner.Login {
		t.Errorf("tina's view of the drop folder: %+v, %v", l.Files, err)
	}
	_, err = clara.FilesUpload(ctx, drop, "x.txt", strings.NewReader("x"), -1)
	wantCode(t, err, wire.CodeNotFound, "another class hands in")
}

func TestFilesExecutablesRefusedForPupils(t *testing.T) {
	s := newSchool(t)
	anna, tina := s.as(s.Pupil), s.as(s.Teacher)
	home := s.filesRoot(anna, wire.FilesPersonal, "")
	for _, tt := range []struct{ name, content string }{
		{"spiel.exe", "harmlos"},
		{"installer.msi", "x"},
		{"bild.png", "MZ\x90\x00\x03\x00"},
		{"notiz.txt", "#!/bin/bash\necho hallo"},
	} {
		_, err := anna.FilesUpload(ctx, home, tt.name, strings.NewReader(tt.content), -1)
		wantCode(t, err, wire.CodeForbidden, "pupil uploads "+tt.name)
		if msg := serverapi.Message(err); !strings.Contains(msg, "Programme und Skripte") {
			t.Errorf("%s: German message %q", tt.name, msg)
		}
	}
	if got := fileNames(t, anna, home); len(got) != 0 {
		t.Errorf("anna's files: %v, want none", got)
	}
	if _, err := tina.FilesUpload(ctx, s.filesRoot(tina, wire.FilesPersonal, ""), "werkzeug.exe", strings.NewReader("MZ\x90"), -1); err != nil {
		t.Errorf("a teacher stores a program: %v", err)
	}
}

// A 25 MB upload is refused: with a Content-Length before a byte is read
// (413 too_large), without one cut where it crosses 20 MB, and the
// server's memory does not grow by 25 MB either way. Nothing is kept.
func TestFilesUploadOver20MB(t *testing.T) {
	s := newSchool(t)
	tina := s.as(s.Teacher)
	home := s.filesRoot(tina, wire.FilesPersonal, "")
	const size = 25 << 20
	for _, tt := range []struct {
		name   string
		length int64
	}{{"with Content-Length", size}, {"chunked without length", -1}} {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := tina.FilesUpload(ctx, home, "film.mp4", &mailFiller{n: size}, tt.length)
			runtime.ReadMemStats(&after)

			var e *serverapi.Error
			if !asAPIError(err, &e) {
				t.Fatalf("got %v, want an error answer", err)
			}
			if e.Status != http.StatusRequestEntityTooLarge || e.Code != wire.CodeTooLarge {
				t.Errorf("got %d %s, want 413 %s", e.Status, e.Code, wire.CodeTooLarge)
			}
			if !strings.Contains(e.Message, "höchstens 20 MB") {
				t.Errorf("got message %q, want a German one naming 20 MB", e.Message)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew >= size {
				t.Errorf("allocated %d MB during the upload, want less than 25 MB", grew>>20)
			} else {
				t.Logf("allocated %.1f MB during the request", float64(grew)/(1<<20))
			}
			if n := s.blobFiles(); n != 0 {
				t.Errorf("got %d stored files, want none kept", n)
			}
			if got := fileNames(t, tina, home); len(got) != 0 {
				t.Errorf("files: %v, want none", got)
			}
		})
	}
	// The framework refuses the announced length before the handler runs:
	// the same answer for a folder that does not exist.
	req, err := http.NewRequestWithContext(ctx, "POST", s.BaseURL+"/api/v1/files/folders/999999/files?name=x", &mailFiller{n: size})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	req.Header.Set("Authorization", "Bearer "+tina.Token())
	resp, err := s.httpClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("announced 25 MB to an unknown folder: got %d, want 413 before the handler", resp.StatusCode)
	}
}

// The quota: a pupil's 100 MB are the sum of what they stored; the upload
// that would pass it is refused with quota_exceeded.
func TestFilesQuota(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	home := s.filesRoot(anna, wire.FilesPersonal, "")
	drop := s.filesRoot(anna, wire.FilesDrop, "3a")
	// Five times the same 20 MB: the blob store keeps the content once,
	// the quota counts every file.
	for i, folder := range []int64{home, home, home, home, drop} {
		if _, err := anna.FilesUpload(ctx, folder, "gross.dat", &mailFiller{n: wire.MaxUpload}, wire.MaxUpload); err != nil {
			t.Fatalf("upload %d: %v", i+1, err)
		}
	}
	_, err := anna.FilesUpload(ctx, home, "klein.txt", strings.NewReader("x"), 1)
	var e *serverapi.Error
	if !asAPIError(err, &e) || e.Status != http.StatusRequestEntityTooLarge || e.Code != wire.CodeQuotaExceeded {
		t.Fatalf("over the quota: got %v, want 413 %s", err, wire.CodeQuotaExceeded)
	}
	if !strings.Contains(e.Message, "Speicherplatz") {
		t.Errorf("German message: %q", e.Message)
	}
	if u, _ := anna.FilesUsage(ctx); u.Used != 5*wire.MaxUpload || u.Quota != 100<<20 {
		t.Errorf("usage: %+v", u)
	}
	// Ben's quota is his own.
	if _, err := s.as(s.Pupil2).FilesUpload(ctx, s.filesRoot(s.as(s.Pupil2), wire.FilesPersonal, ""), "klein.txt", strings.NewReader("x"), 1); err != nil {
		t.Errorf("ben: %v", err)
	}
}

// A mail attachment saved into the files, and a file attached to a mail:
// through the mail service's Go API, the same blob on both sides.
func TestFilesMailBridge(t *testing.T) {
	s := newSchool(t)
	anna, ben := s.as(s.Pupil), s.as(s.Pupil2)
	up, err := ben.MailUpload(ctx, "Foto vom Ausflug.jpg", strings.NewReader("JPEG-Daten"), -1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ben.MailSend(ctx, wire.MailSend{To: []string{s.Pupil}, Subject: "Foto", Attachments: []int64{up.ID}})
	if err != nil {
		t.Fatal(err)
	}

	saved, err := anna.FilesSaveMailAttachment(ctx, m.ID, m.Attachments[0].ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	home := s.filesRoot(anna, wire.FilesPersonal, "")
	if saved.Folder != home || saved.Name != "Foto vom Ausflug.jpg" || saved.Size != int64(len("JPEG-Daten")) {
		t.Errorf("saved: got %+v", saved)
	}
	_, err = s.as(s.OtherPupil).FilesSaveMailAttachment(ctx, m.ID, m.Attachments[0].ID, 0)
	wantCode(t, err, wire.CodeNotFound, "clara saves an attachment of a mail she does not have")

	upload, err := anna.FilesAttachToMail(ctx, saved.ID)
	if err != nil || upload.Name != saved.Name || upload.Size != saved.Size {
		t.Fatalf("to mail: %+v, %v", upload, err)
	}
	reply, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "Zurück", Attachments: []int64{upload.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, _, err := ben.MailDownload(ctx, reply.ID, reply.Attachments[0].ID, &buf); err != nil || buf.String() != "JPEG-Daten" {
		t.Errorf("ben downloads the attached file: %q, %v", buf.String(), err)
	}
	_, err = ben.FilesAttachToMail(ctx, saved.ID)
	wantCode(t, err, wire.CodeNotFound, "ben attaches anna's file")

	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleMail, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err = anna.FilesAttachToMail(ctx, saved.ID)
	wantCode(t, err, wire.CodeNotFound, "to mail with mail switched off")
	_, err = anna.FilesSaveMailAttachment(ctx, m.ID, m.Attachments[0].ID, 0)
	wantCode(t, err, wire.CodeNotFound, "from mail with mail switched off")
}

func TestFilesModuleSwitchedOff(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleFiles, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err := anna.FilesRoots(ctx)
	wantCode(t, err, wire.CodeNotFound, "roots with files off")
	_, err = anna.FilesUpload(ctx, 1, "x.txt", strings.NewReader("x"), 1)
	wantCode(t, err, wire.CodeNotFound, "upload with files off")
}

// The housekeeping keeps stored files that a file refers to.
func TestFilesSweepKeepsFiles(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	f, err := anna.FilesUpload(ctx, s.filesRoot(anna, wire.FilesPersonal, ""), "bleibt.txt", strings.NewReader("bleibt"), -1)
	if err != nil {
		t.Fatal(err)
	}
	s.ageBlobs()
	s.API.Sweep(ctx)
	var buf bytes.Buffer
	if _, _, err := anna.FilesDownload(ctx, f.ID, &buf); err != nil || buf.String() != "bleibt" {
		t.Errorf("after the sweep: %q, %v", buf.String(), err)
	}
	if err := anna.FilesDelete(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	s.ageBlobs()
	s.API.Sweep(ctx)
	if n := s.blobFiles(); n != 0 {
		t.Errorf("stored files after deleting the file and a sweep: %d", n)
	}
}

// ageBlobs makes every stored file three days old, past the sweep's
// grace for uploads not yet committed.
func (s *school) ageBlobs() {
	s.t.Helper()
	old := time.Now().Add(-72 * time.Hour)
	filepath.WalkDir(s.Blobs.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
}
