package files

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/shared/wire"
)

func TestRoots(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name string
		p    directory.Person
		want []string
	}{
		{"pupil", e.anna, []string{"Meine Dateien", "Klasse 3a", "Abgabe Klasse 3a"}},
		{"teacher", e.otto, []string{"Meine Dateien", "Klasse 4b", "Abgabe Klasse 4b"}},
		{"admin", e.adam, []string{"Meine Dateien"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, err := e.svc.Roots(ctx, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, f := range list {
				got = append(got, f.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// The same folders on the next call, and one class folder for all.
	if a, b := e.root(e.anna, Group, "3a"), e.root(e.tina, Group, "3a"); a != b {
		t.Errorf("anna's and tina's 3a folder: %d and %d", a, b)
	}
	if a, b := e.home(e.anna), e.home(e.anna); a != b {
		t.Errorf("anna's own folder changed: %d, %d", a, b)
	}
}

// Who may read, store and change what, as a table over the folders of
// class 3a and Anna's own folder.
func TestAccess(t *testing.T) {
	e := newEnv(t)
	own := e.home(e.anna)
	class := e.root(e.tina, Group, "3a")
	drop := e.root(e.tina, Drop, "3a")
	sheet := e.upload(e.tina, class, "Arbeitsblatt.pdf", "%PDF blatt")
	annas := e.upload(e.anna, drop, "Aufsatz.txt", "Mein Aufsatz")
	diary := e.upload(e.anna, own, "Tagebuch.txt", "geheim")

	type want struct{ see, change bool }
	for _, tt := range []struct {
		name string
		p    directory.Person
		file File
		want want
	}{
		{"own file, owner", e.anna, diary, want{true, true}},
		{"own file, classmate", e.ben, diary, want{false, false}},
		{"own file, class teacher", e.tina, diary, want{false, false}},
		{"own file, admin", e.adam, diary, want{false, false}},
		{"class folder, pupil", e.anna, sheet, want{true, false}},
		{"class folder, teacher", e.tina, sheet, want{true, true}},
		{"class folder, other class", e.clara, sheet, want{false, false}},
		{"class folder, other teacher", e.otto, sheet, want{false, false}},
		{"class folder, secretary", e.sabine, sheet, want{false, false}},
		{"drop, uploader", e.anna, annas, want{true, true}},
		{"drop, classmate", e.ben, annas, want{false, false}},
		{"drop, class teacher", e.tina, annas, want{true, true}},
		{"drop, other teacher", e.otto, annas, want{false, false}},
		{"drop, admin", e.adam, annas, want{false, false}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, rd, err := e.svc.Open(ctx, tt.p, tt.file.ID)
			if tt.want.see != (err == nil) {
				t.Fatalf("open: got %v, want see=%v", err, tt.want.see)
			}
			if err != nil {
				if kindOf(err) != NotFound {
					t.Errorf("refused with %v, want not found", err)
				}
			} else {
				data, _ := io.ReadAll(rd)
				rd.Close()
				if f.Size != int64(len(data)) || f.MayChange != tt.want.change {
					t.Errorf("got %+v (%d bytes), want may change %v", f, len(data), tt.want.change)
				}
			}
			_, err = e.svc.UpdateFile(ctx, tt.p, tt.file.ID, tt.file.Name, 0)
			switch {
			case tt.want.change && err != nil:
				t.Errorf("rename to the same name: %v", err)
			case !tt.want.change && tt.want.see && kindOf(err) != Forbidden:
				t.Errorf("rename: got %v, want forbidden", err)
			case !tt.want.see && kindOf(err) != NotFound:
				t.Errorf("rename: got %v, want not found", err)
			}
		})
	}

	for _, tt := range []struct {
		name   string
		p      directory.Person
		folder int64
		want   ErrorKind
	}{
		{"pupil into the class folder", e.anna, class, Forbidden},
		{"pupil into the drop folder", e.ben, drop, 0},
		{"teacher into the class folder", e.tina, class, 0},
		{"teacher into the drop folder", e.tina, drop, 0},
		{"other class into the drop folder", e.clara, drop, NotFound},
		{"admin into someone's own folder", e.adam, own, NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Upload(ctx, tt.p, tt.folder, "x.txt", 1, strings.NewReader("x"))
			if kindOf(err) != tt.want {
				t.Errorf("got %v, want kind %d", err, tt.want)
			}
		})
	}

	// In the drop folder each pupil sees their own uploads only.
	listOf := func(p directory.Person) []string {
		l, err := e.svc.Listing(ctx, p, drop)
		if err != nil {
			t.Fatalf("listing of %s: %v", p.Login, err)
		}
		return names(l.Files)
	}
	if got := listOf(e.anna); !slices.Equal(got, []string{"Aufsatz.txt"}) {
		t.Errorf("anna's drop folder: got %v", got)
	}
	if got := listOf(e.ben); !slices.Equal(got, []string{"x.txt"}) {
		t.Errorf("ben's drop folder: got %v", got)
	}
	if got := listOf(e.tina); !slices.Equal(got, []string{"Aufsatz.txt", "x.txt", "x.txt"}) {
		t.Errorf("tina's drop folder: got %v", got)
	}
	if _, err := e.svc.Listing(ctx, e.clara, drop); kindOf(err) != NotFound {
		t.Errorf("clara lists 3a's drop folder: got %v", err)
	}
}

func TestFoldersAndNames(t *testing.T) {
	e := newEnv(t)
	home := e.home(e.anna)
	math, err := e.svc.CreateFolder(ctx, e.anna, home, "Mathe")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateFolder(ctx, e.anna, home, "mathe"); kindOf(err) != Conflict {
		t.Errorf("a folder name taken (other case): got %v", err)
	}
	first := e.upload(e.anna, math.ID, "Aufgabe.txt", "1")
	second := e.upload(e.anna, math.ID, "aufgabe.txt", "2")
	if second.Name != "aufgabe (2).txt" {
		t.Errorf("a second file of the same name: got %q", second.Name)
	}
	if _, err := e.svc.UpdateFile(ctx, e.anna, second.ID, "AUFGABE.txt", 0); kindOf(err) != Conflict {
		t.Errorf("rename to a taken name: got %v", err)
	}
	if _, err := e.svc.UpdateFile(ctx, e.anna, second.ID, "spiel.exe", 0); kindOf(err) != Forbidden {
		t.Errorf("a pupil renaming into a program: got %v", err)
	}
	moved, err := e.svc.UpdateFile(ctx, e.anna, first.ID, "", home)
	if err != nil || moved.FolderID != home || moved.Name != "Aufgabe.txt" {
		t.Fatalf("move up: got %+v, %v", moved, err)
	}
	if _, err := e.svc.UpdateFile(ctx, e.anna, first.ID, "", e.root(e.anna, Drop, "3a")); kindOf(err) != Forbidden && kindOf(err) != Invalid {
		t.Errorf("move into another tree: got %v", err)
	}
	if _, err := e.svc.UpdateFile(ctx, e.tina, first.ID, "", 0); kindOf(err) != NotFound {
		t.Errorf("tina changes anna's own file: got %v", err)
	}
	l, err := e.svc.Listing(ctx, e.anna, math.ID)
	if err != nil || !slices.Equal(names(l.Files), []string{"aufgabe (2).txt"}) || len(l.Path) != 2 || l.Path[0].Name != "Meine Dateien" || l.Path[1].Name != "Mathe" {
		t.Errorf("listing of Mathe: got %+v, %v", l, err)
	}
	renamed, err := e.svc.RenameFolder(ctx, e.anna, math.ID, "Mathematik")
	if err != nil || renamed.Name != "Mathematik" {
		t.Errorf("rename folder: got %+v, %v", renamed, err)
	}
	if _, err := e.svc.RenameFolder(ctx, e.anna, home, "Meins"); kindOf(err) != Conflict {
		t.Errorf("rename a root: got %v", err)
	}
	if err := e.svc.DeleteFolder(ctx, e.anna, home); kindOf(err) != Conflict {
		t.Errorf("delete a root: got %v", err)
	}
	if _, err := e.svc.CreateFolder(ctx, e.anna, e.root(e.anna, Drop, "3a"), "Unterordner"); kindOf(err) != Forbidden && kindOf(err) != Invalid {
		t.Errorf("a subfolder of the drop folder: got %v", err)
	}
	parent := math.ID
	for i := 2; i <= MaxDepth; i++ {
		f, err := e.svc.CreateFolder(ctx, e.anna, parent, "Ebene")
		if err != nil {
			t.Fatalf("level %d: %v", i, err)
		}
		parent = f.ID
	}
	if _, err := e.svc.CreateFolder(ctx, e.anna, parent, "zu tief"); kindOf(err) != Invalid {
		t.Errorf("level %d: got %v, want refused", MaxDepth+1, err)
	}
	if err := e.svc.DeleteFolder(ctx, e.anna, math.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Open(ctx, e.anna, second.ID); kindOf(err) != NotFound {
		t.Errorf("a file of a deleted folder: got %v", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM files_folders WHERE owner_id = ?`, e.anna.ID); n != 1 {
		t.Errorf("folders left after deleting the tree: %d, want the root", n)
	}
}

// In the drop folder pupils hand in apart: two pupils' files of the same
// name both keep it.
func TestDropNamesPerPupil(t *testing.T) {
	e := newEnv(t)
	drop := e.root(e.anna, Drop, "3a")
	a := e.upload(e.anna, drop, "Aufsatz.txt", "Anna")
	b := e.upload(e.ben, drop, "Aufsatz.txt", "Ben")
	if a.Name != "Aufsatz.txt" || b.Name != "Aufsatz.txt" {
		t.Errorf("got %q and %q, want both unchanged", a.Name, b.Name)
	}
	if c := e.upload(e.anna, drop, "Aufsatz.txt", "Anna 2"); c.Name != "Aufsatz (2).txt" {
		t.Errorf("anna's second: got %q", c.Name)
	}
	if a.Owner.Name != "Anna Schmidt" || !a.Mine {
		t.Errorf("owner: got %+v", a)
	}
}

func TestProgramsRefusedForPupils(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name, file, content string
		who                 directory.Person
		want                ErrorKind
	}{
		{"pupil, exe", "spiel.exe", "harmlos", e.anna, Forbidden},
		{"pupil, program named like a picture", "bild.png", "MZ\x90\x00", e.anna, Forbidden},
		{"pupil, script named like text", "text.txt", "#!/bin/sh\n", e.anna, Forbidden},
		{"pupil, picture", "bild.png", "\x89PNG\r\n", e.anna, 0},
		{"teacher, program", "werkzeug.exe", "MZ\x90\x00", e.tina, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Upload(ctx, tt.who, e.home(tt.who), tt.file, -1, strings.NewReader(tt.content))
			if kindOf(err) != tt.want {
				t.Fatalf("got %v, want kind %d", err, tt.want)
			}
			if err != nil && !strings.Contains(err.(*Error).German, "keine fremde Software") {
				t.Errorf("message: %q", err.(*Error).German)
			}
		})
	}
	if n := e.count(`SELECT COUNT(*) FROM files_files WHERE owner_id = ?`, e.anna.ID); n != 1 {
		t.Errorf("anna's stored files: %d, want the picture only", n)
	}
	// An exe by name is refused before a byte is read.
	if _, err := e.svc.Upload(ctx, e.anna, e.home(e.anna), "x.exe", 10, untouchable{t}); kindOf(err) != Forbidden {
		t.Errorf("got %v", err)
	}
}

// Uploads over 20 MB: refused before reading with a length, cut while
// streaming without; nothing kept.
func TestUploadOver20MB(t *testing.T) {
	e := newEnv(t)
	home := e.home(e.tina)
	if _, err := e.svc.Upload(ctx, e.tina, home, "film.mp4", 25<<20, untouchable{t}); kindOf(err) != TooLarge {
		t.Errorf("with the length: got %v", err)
	}
	_, err := e.svc.Upload(ctx, e.tina, home, "film.mp4", -1, &filler{n: 25 << 20})
	if kindOf(err) != TooLarge || !strings.Contains(err.(*Error).German, "höchstens 20 MB") {
		t.Errorf("without the length: got %v", err)
	}
	if f, err := e.svc.Upload(ctx, e.tina, home, "genau.bin", -1, &filler{n: wire.MaxUpload}); err != nil || f.Size != wire.MaxUpload {
		t.Errorf("exactly 20 MB: got %+v, %v", f, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM files_files`); n != 1 {
		t.Errorf("files stored: %d, want the 20 MB one only", n)
	}
	if n := e.blobFiles(); n != 1 {
		t.Errorf("blobs kept: %d, want 1", n)
	}
}

func TestQuota(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PupilQuotaMB = 1 })
	home := e.home(e.anna)
	drop := e.root(e.anna, Drop, "3a")
	if _, err := e.svc.Upload(ctx, e.anna, home, "a.dat", -1, &filler{n: 600 << 10}); err != nil {
		t.Fatal(err)
	}
	// Known length: refused before reading. Drop uploads count too.
	if _, err := e.svc.Upload(ctx, e.anna, drop, "b.dat", 600<<10, untouchable{t}); kindOf(err) != QuotaExceeded {
		t.Errorf("with the length: got %v", err)
	}
	// Unknown length: cut where the quota is crossed.
	_, err := e.svc.Upload(ctx, e.anna, home, "b.dat", -1, &filler{n: 600 << 10})
	if kindOf(err) != QuotaExceeded || !strings.Contains(err.(*Error).German, "Du nutzt 600 KB von 1,0 MB") {
		t.Errorf("without the length: got %v", err)
	}
	if f, err := e.svc.Upload(ctx, e.anna, drop, "c.dat", -1, &filler{n: 400 << 10}); err != nil || f.Size != 400<<10 {
		t.Errorf("what still fits: got %+v, %v", f, err)
	}
	u, err := e.svc.Usage(ctx, e.anna)
	if err != nil || u.Used != 1000<<10 || u.Quota != 1<<20 {
		t.Errorf("usage: got %+v, %v", u, err)
	}
	if u, _ := e.svc.Usage(ctx, e.tina); u.Quota != DefaultConfig.TeacherQuotaMB<<20 || u.Used != 0 {
		t.Errorf("a teacher's usage: got %+v", u)
	}
}

// The bridge for other modules: content already in the blob store becomes
// a file with the same rules, and a file hands out its blob.
func TestAddBlobAndBlob(t *testing.T) {
	e := newEnv(t)
	pic, err := e.blobs.Put(strings.NewReader("\x89PNG bild"), 100)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := e.blobs.Put(bytes.NewReader([]byte("MZ\x90\x00 programm")), 100)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.svc.AddBlob(ctx, e.anna, e.home(e.anna), "Bild aus der Mail.png", pic)
	if err != nil || f.Size != pic.Size {
		t.Fatalf("AddBlob: got %+v, %v", f, err)
	}
	if _, err := e.svc.AddBlob(ctx, e.anna, e.home(e.anna), "harmlos.txt", prog); kindOf(err) != Forbidden {
		t.Errorf("a program from a mail: got %v", err)
	}
	if _, err := e.svc.AddBlob(ctx, e.anna, e.root(e.anna, Group, "3a"), "x.png", pic); kindOf(err) != Forbidden {
		t.Errorf("into the class folder: got %v", err)
	}
	got, b, err := e.svc.Blob(ctx, e.anna, f.ID)
	if err != nil || b != pic || got.Name != "Bild aus der Mail.png" {
		t.Errorf("Blob: got %+v, %+v, %v", got, b, err)
	}
	if _, _, err := e.svc.Blob(ctx, e.ben, f.ID); kindOf(err) != NotFound {
		t.Errorf("Blob of another's file: got %v", err)
	}
	if in, err := e.svc.BlobInUse(ctx, pic.Hash); err != nil || !in {
		t.Errorf("BlobInUse: got %v, %v", in, err)
	}
	if err := e.svc.DeleteFile(ctx, e.anna, f.ID); err != nil {
		t.Fatal(err)
	}
	if in, _ := e.svc.BlobInUse(ctx, pic.Hash); in {
		t.Errorf("BlobInUse after the delete: true")
	}
}

// A purged leaver's files go: their own folder and what they handed in.
func TestPurgeTakesFiles(t *testing.T) {
	e := newEnv(t)
	e.upload(e.anna, e.home(e.anna), "a.txt", "a")
	e.upload(e.anna, e.root(e.anna, Drop, "3a"), "b.txt", "b")
	e.upload(e.tina, e.root(e.tina, Group, "3a"), "c.txt", "c")
	if err := e.dir.SetLeaving(ctx, admin, e.anna.Login, "2000-07-31"); err != nil {
		t.Fatal(err)
	}
	if gone, err := e.dir.Purge(ctx, admin, directory.PurgeOptions{}); err != nil || len(gone) != 1 {
		t.Fatalf("purge: %v, %v", gone, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM files_files`); n != 1 {
		t.Errorf("files after the purge: %d, want tina's only", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM files_folders WHERE kind = 'personal'`); n != 1 {
		t.Errorf("personal folders after the purge: %d, want tina's only", n)
	}
}
