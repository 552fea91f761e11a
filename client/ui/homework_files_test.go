package ui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The homework screens take files from „Meine Dateien“ by a type
// assertion on the UI's client; the API client must keep satisfying it.
var _ HomeworkFilesAPI = (*serverapi.Client)(nil)

// hwSetFor sets a homework for 3a from today to the earliest due date.
func hwSetFor(t *testing.T, w *world, title string) wire.Homework {
	t.Helper()
	teacher := w.apiAs(w.Teacher)
	start, earliest := hwDates(t, teacher)
	h, err := teacher.SetHomework(ctx, wire.HomeworkInput{Group: "3a", Title: title, Text: "Schreib einen Aufsatz.",
		Start: start.Format(calDateLayout), Due: earliest.Format(calDateLayout)})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// filesPut uploads a file into one of the person's top folders (kind,
// and the class for a class folder) through the API.
func filesPut(t *testing.T, c *serverapi.Client, kind, group, name string, data []byte) wire.FilesFile {
	t.Helper()
	roots, err := c.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roots.Folders {
		if r.Kind == kind && r.Group == group {
			f, err := c.FilesUpload(ctx, r.ID, name, bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatalf("upload %q: %v", name, err)
			}
			return f
		}
	}
	t.Fatalf("no %s folder %q", kind, group)
	return wire.FilesFile{}
}

// picker is the open file picker; the test fails without one.
func picker(t *testing.T, u *UI) *FilesPicker {
	t.Helper()
	p, ok := u.screen(filesPickerKey).(*FilesPicker)
	if !ok {
		t.Fatal("no file picker open")
	}
	return p
}

// pickFile taps a file in the picker's open folder.
func pickFile(t *testing.T, u *UI, p *FilesPicker, name string) {
	t.Helper()
	var names []string
	for i, f := range p.Found {
		if f.Name == name {
			test.Tap(p.Files[i])
			u.Wait()
			return
		}
		names = append(names, f.Name)
	}
	t.Fatalf("no %q in the picker's folder %q", name, names)
}

// pickRoot opens a top folder in the picker.
func pickRoot(t *testing.T, u *UI, p *FilesPicker, name string) {
	t.Helper()
	for _, b := range p.Roots {
		if b.Text == name {
			test.Tap(b)
			u.Wait()
			return
		}
	}
	t.Fatalf("no top folder %q in the picker", name)
}

// Anna hands in a file from „Meine Dateien“: „Aus Meine Dateien“ beside
// "Datei abgeben", the picker, and the hand-in lists the file; the
// server has it with the same bytes, and it stays in her files. A
// program in the class folder is refused with the server's words where
// the upload's refusals show.
func TestHomeworkHandInFromFiles(t *testing.T) {
	w := newWorld(t)
	h := hwSetFor(t, w, "Aufsatz")
	anna := w.apiAs(w.Pupil)
	data := []byte("Mein Hund heißt Bello.")
	filesPut(t, anna, wire.FilesPersonal, "", "Mein Hund.txt", data)
	filesPut(t, w.apiAs(w.Teacher), wire.FilesGroup, "3a", "spiel.exe", []byte("MZ Programm"))

	u := w.newUI(config.ModePCRoom)
	w.loggedIn(u, w.Pupil)
	s := hwOpen(t, u)
	test.Tap(hwRow(t, s, "Aufsatz").Open)
	u.Wait()
	v := s.Work
	if v == nil {
		t.Fatal("the homework did not open")
	}
	if !v.FromFiles.Visible() || v.FromFiles.Text != "Aus Meine Dateien" {
		t.Fatalf("the button: %q, visible %v", v.FromFiles.Text, v.FromFiles.Visible())
	}

	// The teacher's program in the class folder: the server refuses it
	// (a pupil hands in only files they stored).
	test.Tap(v.FromFiles)
	u.Wait()
	p := picker(t, u)
	pickRoot(t, u, p, "Klasse 3a")
	pickFile(t, u, p, "spiel.exe")
	if u.screen(filesPickerKey) != nil {
		t.Error("the picker is still open after a file was picked")
	}
	if !strings.Contains(v.Message.Text, "Abgeben kannst du nur Dateien, die du selbst gespeichert hast.") || v.Message.Importance != widget.DangerImportance {
		t.Errorf("the refusal: %q (importance %v)", v.Message.Text, v.Message.Importance)
	}
	if len(v.Files) != 0 || v.FromFiles.Disabled() {
		t.Errorf("after the refusal: %d files, button disabled %v", len(v.Files), v.FromFiles.Disabled())
	}

	// Her own file is handed in.
	test.Tap(v.FromFiles)
	u.Wait()
	pickFile(t, u, picker(t, u), "Mein Hund.txt")
	if len(v.Files) != 1 || !strings.Contains(v.Files[0].Text, "Mein Hund.txt") || !strings.Contains(v.Message.Text, "„Mein Hund.txt“ ist abgegeben") {
		t.Fatalf("after picking: %d files, message %q", len(v.Files), v.Message.Text)
	}
	if v.Badge.Text != "Erledigt" {
		t.Errorf("badge %q, want Erledigt", v.Badge.Text)
	}
	if len(w.opened.list()) != 0 {
		t.Error("handing in from Meine Dateien saved a file on the computer")
	}

	// The server has it, with the same bytes, and it is still in her files.
	got, err := anna.Homework(ctx, h.ID)
	if err != nil || got.Work == nil || len(got.Work.Files) != 1 || got.Work.Files[0].Name != "Mein Hund.txt" {
		t.Fatalf("the hand-in on the server: %+v, %v", got.Work, err)
	}
	var buf bytes.Buffer
	if _, _, err := w.apiAs(w.Teacher).HandInFileOf(ctx, h.ID, w.Pupil, got.Work.Files[0].ID, &buf); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Errorf("the teacher downloads %q, %v", buf.Bytes(), err)
	}
	roots, err := anna.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, err := anna.FilesFolder(ctx, roots.Folders[0].ID)
	if err != nil || len(l.Files) != 1 || l.Files[0].Name != "Mein Hund.txt" {
		t.Errorf("Meine Dateien after handing in: %+v, %v", l.Files, err)
	}
}

// The teacher adds a worksheet from „Meine Dateien“ on the homework's
// page, and chooses one for a new homework in the editor.
func TestHomeworkWorksheetFromFiles(t *testing.T) {
	w := newWorld(t)
	h := hwSetFor(t, w, "Rechnen")
	tina := w.apiAs(w.Teacher)
	sheet := []byte("1) 7 + 5 = ?")
	filesPut(t, tina, wire.FilesPersonal, "", "Arbeitsblatt.txt", sheet)

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	s := hwOpen(t, u)
	test.Tap(hwRow(t, s, "Rechnen").Open)
	u.Wait()
	v := s.Handins
	if v == nil {
		t.Fatal("the homework's page did not open")
	}
	if !v.SheetFromFiles.Visible() {
		t.Fatal("no „Aus Meine Dateien“ on the homework's page")
	}
	test.Tap(v.SheetFromFiles)
	u.Wait()
	pickFile(t, u, picker(t, u), "Arbeitsblatt.txt")
	v = s.Handins
	if len(v.Sheets) != 1 || !strings.Contains(v.Sheets[0].Text, "Arbeitsblatt.txt") || !strings.Contains(v.Message.Text, "hinzugefügt") {
		t.Fatalf("the page after picking: %d worksheets, message %q", len(v.Sheets), v.Message.Text)
	}
	got, err := w.apiAs(w.Pupil).Homework(ctx, h.ID)
	if err != nil || len(got.Files) != 1 {
		t.Fatalf("the worksheets on the server: %+v, %v", got.Files, err)
	}
	var buf bytes.Buffer
	if _, _, err := w.apiAs(w.Pupil).HomeworkFile(ctx, h.ID, got.Files[0].ID, &buf); err != nil || !bytes.Equal(buf.Bytes(), sheet) {
		t.Errorf("the pupil downloads %q, %v", buf.Bytes(), err)
	}

	// A new homework with a worksheet from „Meine Dateien“.
	test.Tap(v.Back)
	u.Wait()
	test.Tap(s.New)
	u.Wait()
	e := s.Editor
	if e == nil || !e.AddFromFiles.Visible() {
		t.Fatal("no „Aus Meine Dateien“ in the editor")
	}
	test.Type(e.Title, "Noch mehr Rechnen")
	test.Tap(e.AddFromFiles)
	u.Wait()
	pickFile(t, u, picker(t, u), "Arbeitsblatt.txt")
	if len(e.FromFiles) != 1 || len(e.RemoveFiles) != 1 {
		t.Fatalf("chosen in the editor: %+v; message %q", e.FromFiles, e.Message.Text)
	}
	test.Tap(e.Save)
	u.Wait()
	v = s.Handins
	if v == nil {
		t.Fatalf("not saved: %q", e.Message.Text)
	}
	if v.Homework.Title != "Noch mehr Rechnen" || len(v.Sheets) != 1 || v.Message.Importance == widget.DangerImportance {
		t.Errorf("the new homework's page: %q with %d worksheets, message %q", v.Homework.Title, len(v.Sheets), v.Message.Text)
	}
}

// With the files module off the buttons are not there.
func TestHomeworkFromFilesHiddenWhenFilesOff(t *testing.T) {
	w := newWorld(t)
	hwSetFor(t, w, "Lesen")
	if _, err := w.apiAs(w.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleFiles, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	pu := w.newUI(config.ModeStaff)
	w.loggedIn(pu, w.Pupil)
	ps := hwOpen(t, pu)
	test.Tap(hwRow(t, ps, "Lesen").Open)
	pu.Wait()
	if ps.Work == nil || ps.Work.FromFiles.Visible() || !ps.Work.AddFile.Visible() {
		t.Error("the pupil's „Aus Meine Dateien“ shows while the files module is off")
	}
	tu := w.newUI(config.ModeStaff)
	w.loggedIn(tu, w.Teacher)
	ts := hwOpen(t, tu)
	test.Tap(hwRow(t, ts, "Lesen").Open)
	tu.Wait()
	if ts.Handins == nil || ts.Handins.SheetFromFiles.Visible() || !ts.Handins.AddSheet.Visible() {
		t.Error("the teacher's „Aus Meine Dateien“ shows while the files module is off")
	}
	test.Tap(ts.Handins.Back)
	tu.Wait()
	test.Tap(ts.New)
	tu.Wait()
	if ts.Editor == nil || ts.Editor.AddFromFiles.Visible() {
		t.Error("the editor's „Aus Meine Dateien“ shows while the files module is off")
	}
}
