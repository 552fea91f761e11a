package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// openMove taps "Verschieben" of a file and waits for the folders.
func openMove(t *testing.T, u *UI, s *FilesScreen, name string) *FilesMoveDialog {
	t.Helper()
	r := filesRow(t, s, name)
	if !r.Move.Visible() {
		t.Fatalf("%q has no Verschieben", name)
	}
	test.Tap(r.Move)
	u.Wait()
	if s.Move == nil {
		t.Fatalf("Verschieben of %q opened no dialog", name)
	}
	return s.Move
}

// moveChoices is the dialog's list as the person reads it, with the
// depth of each folder: "1 Deutsch".
func moveChoices(d *FilesMoveDialog) []string {
	var out []string
	for i, b := range d.Choices {
		mark := ""
		if b.Disabled() {
			mark = "-"
		}
		out = append(out, strings.Repeat(" ", d.Folders[i].Depth)+mark+b.Text)
	}
	return out
}

// moveChoice is the button of the folder named name.
func moveChoice(t *testing.T, d *FilesMoveDialog, name string) *widget.Button {
	t.Helper()
	for i, f := range d.Folders {
		if f.Folder.Name == name {
			return d.Choices[i]
		}
	}
	t.Fatalf("no folder %q to move to in %q", name, moveChoices(d))
	return nil
}

// fileNamesIn lists a folder's files as the server has them for login.
func fileNamesIn(t *testing.T, api *serverapi.Client, folder int64) []string {
	t.Helper()
	l, err := api.FilesFolder(ctx, folder)
	if err != nil {
		t.Fatalf("folder %d: %v", folder, err)
	}
	var out []string
	for _, f := range l.Files {
		out = append(out, f.Name)
	}
	return out
}

// subfolderID is the id of the subfolder name of a folder.
func subfolderID(t *testing.T, api *serverapi.Client, parent int64, name string) int64 {
	t.Helper()
	l, err := api.FilesFolder(ctx, parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range l.Folders {
		if f.Name == name {
			return f.ID
		}
	}
	t.Fatalf("no subfolder %q in folder %d", name, parent)
	return 0
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A pupil uploads a file into "Meine Dateien", makes a subfolder and
// moves the file there with the dialog: the server then has it in the
// subfolder and no longer at the top, and the status says where it went.
func TestFilesMoveIntoSubfolder(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openFiles(t, u)
	home := s.Listing.Folder.ID
	filesUploadPicked(u, s, writeTemp(t, "aufsatz.txt", "Mein Ferientag"))

	// with no other folder yet there is nothing to choose
	d := openMove(t, u, s, "aufsatz.txt")
	if got := moveChoices(d); strings.Join(got, "|") != "-Meine Dateien (hier liegt die Datei)" {
		t.Errorf("choices without subfolders: %q", got)
	}
	if !strings.Contains(d.Message.Text, "Lege zuerst mit „Neuer Ordner“ einen an") || !d.Move.Disabled() {
		t.Errorf("no subfolder: message %q, Verschieben off %v", d.Message.Text, d.Move.Disabled())
	}
	test.Tap(d.Cancel)
	if s.Move != nil {
		t.Fatal("Abbrechen left the dialog open")
	}

	// a folder, made on the screen; one below it through the API
	test.Tap(s.NewFolder)
	test.Type(s.Ask.Name, "Deutsch")
	test.Tap(s.Ask.OK)
	u.Wait()
	api := w.apiAs(w.Pupil)
	deutsch := subfolderID(t, api, home, "Deutsch")
	if _, err := api.FilesCreateFolder(ctx, deutsch, "Gedichte"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.FilesCreateFolder(ctx, home, "Mathe"); err != nil {
		t.Fatal(err)
	}

	d = openMove(t, u, s, "aufsatz.txt")
	want := []string{"-Meine Dateien (hier liegt die Datei)", " Deutsch", "  Gedichte", " Mathe"}
	if got := moveChoices(d); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("choices: %q, want %q", got, want)
	}
	if !d.Move.Disabled() {
		t.Error("Verschieben is on before a folder is chosen")
	}
	if d.Message.Visible() {
		t.Errorf("message before choosing: %q", d.Message.Text)
	}
	test.Tap(moveChoice(t, d, "Meine Dateien")) // where it is: nothing happens
	if d.Chosen != 0 || !d.Move.Disabled() {
		t.Error("the file's own folder could be chosen")
	}
	test.Tap(moveChoice(t, d, "Deutsch"))
	if d.Chosen != deutsch || d.Move.Disabled() {
		t.Fatalf("after tapping Deutsch: chosen %d, Verschieben off %v", d.Chosen, d.Move.Disabled())
	}
	test.Tap(d.Move)
	u.Wait()
	if s.Move != nil {
		t.Fatalf("the dialog stayed: %q", d.Message.Text)
	}
	if s.Status.Text != "„aufsatz.txt“ liegt jetzt in »Deutsch«." || s.Status.Importance == widget.DangerImportance {
		t.Errorf("status: %q", s.Status.Text)
	}
	if got := filesNames(s); len(got) != 0 {
		t.Errorf("the open folder still lists %v", got)
	}
	if s.Listing.Folder.ID != home {
		t.Errorf("the open folder changed to %q", s.Listing.Folder.Name)
	}

	// the server agrees
	if got := fileNamesIn(t, api, home); len(got) != 0 {
		t.Errorf("Meine Dateien on the server: %v", got)
	}
	if got := fileNamesIn(t, api, deutsch); len(got) != 1 || got[0] != "aufsatz.txt" {
		t.Errorf("Deutsch on the server: %v", got)
	}
	test.Tap(s.FolderRows[0].Open)
	u.Wait()
	if got := filesNames(s); len(got) != 1 || got[0] != "aufsatz.txt" {
		t.Errorf("the screen's Deutsch: %v", got)
	}
}

// A name that is taken in the target folder: the server's German refusal
// shows in the dialog, which stays, and the file stays where it was.
func TestFilesMoveTakenNameRefused(t *testing.T) {
	w := newWorld(t)
	api := w.apiAs(w.Pupil)
	roots, err := api.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	home := roots.Folders[0].ID
	deutsch, err := api.FilesCreateFolder(ctx, home, "Deutsch")
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int64{home, deutsch.ID} {
		data := []byte("Mein Ferientag")
		if _, err := api.FilesUpload(ctx, at, "Aufsatz.txt", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
	}
	before, err := api.FilesFolder(ctx, deutsch.ID)
	if err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openFiles(t, u)
	d := openMove(t, u, s, "Aufsatz.txt")
	test.Tap(moveChoice(t, d, "Deutsch"))
	test.Tap(d.Move)
	u.Wait()
	if s.Move != d {
		t.Fatal("the dialog closed on a refusal")
	}
	if d.Message.Text != "„Aufsatz.txt“ gibt es hier schon. Bitte wähle einen anderen Namen." || d.Message.Importance != widget.DangerImportance || !d.Message.Visible() {
		t.Errorf("message in the dialog: %q (importance %v)", d.Message.Text, d.Message.Importance)
	}
	if d.Move.Disabled() {
		t.Error("Verschieben stayed off after the refusal")
	}
	if s.Status.Visible() && strings.Contains(s.Status.Text, "liegt jetzt") {
		t.Errorf("status says it moved: %q", s.Status.Text)
	}
	if got := fileNamesIn(t, api, home); len(got) != 1 || got[0] != "Aufsatz.txt" {
		t.Errorf("Meine Dateien on the server: %v", got)
	}
	after, err := api.FilesFolder(ctx, deutsch.ID)
	if err != nil || len(after.Files) != 1 || after.Files[0].ID != before.Files[0].ID {
		t.Errorf("Deutsch on the server: %+v, %v", after.Files, err)
	}
	test.Tap(d.Cancel)
	if s.Move != nil || len(filesNames(s)) != 1 {
		t.Errorf("after Abbrechen: dialog open %v, files %v", s.Move != nil, filesNames(s))
	}
}

// A teacher moves a worksheet inside the class folder's tree; the class
// then finds it there. Only that tree is offered, not "Meine Dateien".
func TestFilesMoveInClassFolder(t *testing.T) {
	w := newWorld(t)
	ut := w.newUI(config.ModeStaff)
	w.loggedIn(ut, w.Teacher)
	st := openFiles(t, ut)
	openFilesRoot(t, ut, st, "Klasse 3a")
	class := st.Listing.Folder.ID
	filesUploadPicked(ut, st, writeTemp(t, "Arbeitsblatt.txt", "7 + 5 = ?"))
	test.Tap(st.NewFolder)
	test.Type(st.Ask.Name, "Woche 1")
	test.Tap(st.Ask.OK)
	ut.Wait()

	d := openMove(t, ut, st, "Arbeitsblatt.txt")
	want := []string{"-Klasse 3a (hier liegt die Datei)", " Woche 1"}
	if got := moveChoices(d); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("choices: %q, want %q", got, want)
	}
	test.Tap(moveChoice(t, d, "Woche 1"))
	test.Tap(d.Move)
	ut.Wait()
	if st.Move != nil || st.Status.Text != "„Arbeitsblatt.txt“ liegt jetzt in »Woche 1«." {
		t.Fatalf("after moving: dialog open %v, status %q", st.Move != nil, st.Status.Text)
	}
	woche := subfolderID(t, w.apiAs(w.Teacher), class, "Woche 1")
	pupil := w.apiAs(w.Pupil)
	if got := fileNamesIn(t, pupil, class); len(got) != 0 {
		t.Errorf("the class folder for a pupil: %v", got)
	}
	if got := fileNamesIn(t, pupil, woche); len(got) != 1 || got[0] != "Arbeitsblatt.txt" {
		t.Errorf("Woche 1 for a pupil: %v", got)
	}

	// the drop folder has no subfolders: nothing to move to
	up := w.newUI(config.ModeStaff)
	w.loggedIn(up, w.Pupil)
	sp := openFiles(t, up)
	openFilesRoot(t, up, sp, "Abgabe Klasse 3a")
	filesUploadPicked(up, sp, writeTemp(t, "Antwort.txt", "12"))
	if r := filesRow(t, sp, "Antwort.txt"); !r.Rename.Visible() || r.Move.Visible() {
		t.Errorf("a pupil's hand-in: rename %v, move %v", r.Rename.Visible(), r.Move.Visible())
	}
	openFilesRoot(t, ut, st, "Abgabe Klasse 3a")
	if r := filesRow(t, st, "Antwort.txt"); r.Move.Visible() {
		t.Error("the teacher may move a hand-in out of the drop folder")
	}
}

// A pupil may only read the class folder: no Verschieben there, and no
// dialog even if asked; in "Meine Dateien" they have it.
func TestFilesMoveNotInReadOnlyClassFolder(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	roots, err := teacher.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var class int64
	for _, f := range roots.Folders {
		if f.Kind == wire.FilesGroup {
			class = f.ID
		}
	}
	if _, err := teacher.FilesCreateFolder(ctx, class, "Woche 1"); err != nil {
		t.Fatal(err)
	}
	data := []byte("7 + 5 = ?")
	if _, err := teacher.FilesUpload(ctx, class, "Arbeitsblatt.txt", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openFiles(t, u)
	filesUploadPicked(u, s, writeTemp(t, "Notiz.txt", "Turnbeutel"))
	if r := filesRow(t, s, "Notiz.txt"); !r.Move.Visible() {
		t.Error("no Verschieben for the pupil's own file")
	}
	openFilesRoot(t, u, s, "Klasse 3a")
	r := filesRow(t, s, "Arbeitsblatt.txt")
	if r.Move.Visible() || r.Rename.Visible() || !r.Download.Visible() {
		t.Errorf("a pupil in the class folder: move %v, rename %v, open %v", r.Move.Visible(), r.Rename.Visible(), r.Download.Visible())
	}
	u.filesAskMove(s, r.File)
	u.Wait()
	if s.Move != nil {
		t.Error("a move dialog opened for a file the pupil may not change")
	}
}

// The list leaves out folders the server would not move into (a tree the
// person may only read) but keeps the file's own folder, greyed.
func TestFilesMoveListsOnlyWritableFolders(t *testing.T) {
	test.NewTempApp(t)
	tree := []filesTreeFolder{
		{Folder: wire.FilesFolder{ID: 1, Kind: wire.FilesGroup, Name: "Klasse 3a"}},
		{Folder: wire.FilesFolder{ID: 2, Kind: wire.FilesGroup, Name: "Woche 1"}, Depth: 1},
		{Folder: wire.FilesFolder{ID: 3, Kind: wire.FilesGroup, Name: "Woche 2", MayUpload: true}, Depth: 1},
	}
	for _, tc := range []struct {
		name     string
		write    bool
		want     string
		none     bool
		fileHere int64
	}{
		{"reader", false, " -Woche 1 (hier liegt die Datei)", true, 2},
		{"writer", true, "Klasse 3a| -Woche 1 (hier liegt die Datei)| Woche 2", false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]filesTreeFolder(nil), tree...)
			for i := range in {
				in[i].Folder.MayWrite = tc.write
			}
			d := &FilesMoveDialog{File: wire.FilesFile{ID: 9, Folder: tc.fileHere, Name: "a.txt"}, Message: widget.NewLabel(""),
				Move: widget.NewButton("", nil), listBox: container.NewVBox()}
			d.show(in)
			if got := strings.Join(moveChoices(d), "|"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if none := strings.Contains(d.Message.Text, "keinen anderen Ordner"); none != tc.none {
				t.Errorf("message %q, want the no-folder note %v", d.Message.Text, tc.none)
			}
		})
	}
}
