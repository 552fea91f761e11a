package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

var _ FilesAPI = (*serverapi.Client)(nil)

// openFiles taps the files tile and waits for "Meine Dateien".
func openFiles(t *testing.T, u *UI) *FilesScreen {
	t.Helper()
	b := u.Home.Tiles[wire.ModuleFiles]
	if b == nil {
		t.Fatal("home: no files tile")
	}
	test.Tap(b)
	u.Wait()
	s, ok := u.screen(filesKey).(*FilesScreen)
	if !ok {
		t.Fatal("the files tile opened no files screen")
	}
	if s.Listing == nil {
		t.Fatalf("no folder open; status %q", s.Status.Text)
	}
	return s
}

func filesNames(s *FilesScreen) []string {
	var out []string
	for _, r := range s.FileRows {
		out = append(out, r.Name.Text)
	}
	return out
}

func filesRow(t *testing.T, s *FilesScreen, name string) *FilesFileRow {
	t.Helper()
	for _, r := range s.FileRows {
		if r.File.Name == name {
			return r
		}
	}
	t.Fatalf("no file %q in %v", name, filesNames(s))
	return nil
}

// openFilesRoot taps the top folder whose name is name.
func openFilesRoot(t *testing.T, u *UI, s *FilesScreen, name string) {
	t.Helper()
	for i, f := range s.Roots {
		if f.Name == name {
			test.Tap(s.RootButtons[i])
			u.Wait()
			if s.Listing == nil || s.Listing.Folder.ID != f.ID {
				t.Fatalf("opening %q: status %q", name, s.Status.Text)
			}
			return
		}
	}
	t.Fatalf("no top folder %q", name)
}

// filesUploadPicked picks path as the file to upload and taps Hochladen.
func filesUploadPicked(u *UI, s *FilesScreen, path string) {
	u.opts.PickFile = func(done func(string)) { done(path) }
	test.Tap(s.Upload)
	u.Wait()
}

// countingFiles counts the uploads the UI starts.
type countingFiles struct {
	*serverapi.Client
	uploads atomic.Int32
}

func (c *countingFiles) FilesUpload(ctx context.Context, folder int64, name string, r io.Reader, size int64) (wire.FilesFile, error) {
	c.uploads.Add(1)
	return c.Client.FilesUpload(ctx, folder, name, r, size)
}

// A pupil uploads a file into "Meine Dateien", downloads it again (saved
// and opened), makes a folder, renames and deletes — deleting asks.
func TestFilesUploadAndDownload(t *testing.T) {
	w := newWorld(t)
	content := []byte("Es war einmal ein kleiner Drache.\n")
	path := filepath.Join(t.TempDir(), "Geschichte.txt")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModePCRoom)
	w.loggedIn(u, w.Pupil)
	s := openFiles(t, u)
	if s.Listing.Folder.Kind != wire.FilesPersonal || s.Listing.Folder.Name != "Meine Dateien" || !s.Empty.Visible() {
		t.Fatalf("first folder: %+v, empty note %v", s.Listing.Folder, s.Empty.Visible())
	}
	var roots []string
	for _, b := range s.RootButtons {
		roots = append(roots, b.Text)
	}
	if strings.Join(roots, "|") != "Meine Dateien|Klasse 3a|Abgabe Klasse 3a" {
		t.Errorf("top folders: %v", roots)
	}
	if !strings.Contains(s.UsageText.Text, "0 Byte von 100 MB") {
		t.Errorf("usage: %q", s.UsageText.Text)
	}

	filesUploadPicked(u, s, path)
	if got := filesNames(s); len(got) != 1 || got[0] != "Geschichte.txt" {
		t.Fatalf("files after the upload: %v; status %q", got, s.Status.Text)
	}
	if !strings.Contains(s.Status.Text, "hochgeladen") || !strings.Contains(s.UsageText.Text, "34 Byte von 100 MB") {
		t.Errorf("after the upload: status %q, usage %q", s.Status.Text, s.UsageText.Text)
	}
	r := filesRow(t, s, "Geschichte.txt")
	if !r.Rename.Visible() || !r.Delete.Visible() {
		t.Error("the own file has no rename or delete")
	}
	test.Tap(r.Download)
	u.Wait()
	opened := w.opened.list()
	if len(opened) != 1 || opened[0] != s.Saved || filepath.Dir(s.Saved) != u.opts.FilesDir {
		t.Fatalf("opened %v, saved %q; status %q", opened, s.Saved, s.Status.Text)
	}
	if got, err := os.ReadFile(s.Saved); err != nil || !bytes.Equal(got, content) {
		t.Errorf("the saved file: %q, %v", got, err)
	}

	// a folder, opened and left by the path
	test.Tap(s.NewFolder)
	if s.Ask == nil {
		t.Fatal("Neuer Ordner asked for no name")
	}
	test.Type(s.Ask.Name, "Mathe")
	submitEntry(s.Ask.Name)
	u.Wait()
	if s.Ask != nil || len(s.FolderRows) != 1 || s.FolderRows[0].Folder.Name != "Mathe" {
		t.Fatalf("after making a folder: dialog open %v, folders %+v", s.Ask != nil, s.FolderRows)
	}
	test.Tap(s.FolderRows[0].Open)
	u.Wait()
	if len(s.Path) != 2 || s.Path[1].Text != "Mathe" || !s.Empty.Visible() {
		t.Fatalf("in Mathe: path %d steps, empty %v", len(s.Path), s.Empty.Visible())
	}
	test.Tap(s.Path[0])
	u.Wait()

	// a taken name is refused in the dialog, which stays
	test.Tap(filesRow(t, s, "Geschichte.txt").Rename)
	s.Ask.Name.SetText("mathe")
	test.Tap(s.Ask.OK)
	u.Wait()
	s.Ask.Name.SetText("Drache.txt")
	test.Tap(s.Ask.OK)
	u.Wait()
	if s.Ask != nil {
		t.Fatalf("the rename dialog stayed: %q", s.Ask.Message.Text)
	}
	if got := filesNames(s); len(got) != 1 || got[0] != "Drache.txt" {
		t.Fatalf("after renaming: %v", got)
	}

	// deleting asks; "Nein" keeps the file
	test.Tap(filesRow(t, s, "Drache.txt").Delete)
	if s.ConfirmDelete == nil {
		t.Fatal("deleting did not ask")
	}
	s.ConfirmDelete.Dismiss()
	u.Wait()
	if len(s.FileRows) != 1 {
		t.Fatal("Nein deleted the file")
	}
	test.Tap(filesRow(t, s, "Drache.txt").Delete)
	s.ConfirmDelete.Confirm()
	u.Wait()
	if len(s.FileRows) != 0 || !strings.Contains(s.UsageText.Text, "0 Byte") {
		t.Errorf("after deleting: %v, usage %q", filesNames(s), s.UsageText.Text)
	}

	// the PC room keeps nothing of the pupil
	u.Logout(T("login.bye"))
	u.Wait()
	if _, err := os.Stat(u.opts.FilesDir); !os.IsNotExist(err) {
		t.Errorf("the downloaded file stayed on the computer: %v", err)
	}
}

// A 25 MB file is refused on the client before any upload, with the
// limit named in German.
func TestFilesUploadOver20MBRefused(t *testing.T) {
	w := newWorld(t)
	huge := filepath.Join(t.TempDir(), "Ferienfilm.mp4")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(25 << 20); err != nil { // sparse: 25 MB on paper
		t.Fatal(err)
	}
	f.Close()
	api := &countingFiles{Client: w.client()}
	u := w.newUIWith(api, config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	s := openFiles(t, u)
	filesUploadPicked(u, s, huge)
	msg := s.Status.Text
	for _, want := range []string{"Ferienfilm.mp4", "zu groß", "25 MB", "höchstens 20 MB"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message for a 25 MB file: %q; want it to contain %q", msg, want)
		}
	}
	if !s.Status.Visible() || s.Status.Importance != widget.DangerImportance {
		t.Error("the refusal is not shown as one")
	}
	if n := api.uploads.Load(); n != 0 {
		t.Errorf("%d upload calls, want none", n)
	}
	l, err := w.apiAs(w.Teacher).FilesFolder(ctx, s.Listing.Folder.ID)
	if err != nil || len(l.Files) != 0 {
		t.Errorf("the server's folder: %+v, %v", l.Files, err)
	}
	if s.Upload.Disabled() {
		t.Error("Hochladen stayed off after the refusal")
	}
}

// The server's refusals show in place, in its German words: a program
// for a pupil, a full quota.
func TestFilesRefusalsShownInPlace(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openFiles(t, u)

	game := filepath.Join(t.TempDir(), "spiel.exe")
	if err := os.WriteFile(game, []byte("MZ\x90\x00harmlos"), 0o600); err != nil {
		t.Fatal(err)
	}
	filesUploadPicked(u, s, game)
	if !strings.Contains(s.Status.Text, "Programme und Skripte darfst du nicht speichern") || s.Status.Importance != widget.DangerImportance {
		t.Errorf("a program: status %q, want the server's message in red", s.Status.Text)
	}
	// disguised as a picture: the server looks at the content
	disguised := filepath.Join(t.TempDir(), "bild.png")
	if err := os.WriteFile(disguised, []byte("MZ\x90\x00\x03\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	filesUploadPicked(u, s, disguised)
	if !strings.Contains(s.Status.Text, "Programme und Skripte") {
		t.Errorf("a program named .png: status %q", s.Status.Text)
	}
	if len(s.FileRows) != 0 {
		t.Errorf("stored: %v", filesNames(s))
	}

	// the quota: 100 MB for a pupil, filled through the API
	api := w.apiAs(w.Pupil)
	for i := range 5 {
		if _, err := api.FilesUpload(ctx, s.Listing.Folder.ID, "gross.dat", io.LimitReader(zeroReader{}, wire.MaxUpload), wire.MaxUpload); err != nil {
			t.Fatalf("filling the quota, %d: %v", i, err)
		}
	}
	small := filepath.Join(t.TempDir(), "notiz.txt")
	if err := os.WriteFile(small, []byte("Noch eine Notiz"), 0o600); err != nil {
		t.Fatal(err)
	}
	filesUploadPicked(u, s, small)
	if !strings.Contains(s.Status.Text, "Speicherplatz reicht") {
		t.Errorf("over the quota: status %q", s.Status.Text)
	}
	if got := filesNames(s); strings.Contains(strings.Join(got, ","), "notiz.txt") {
		t.Errorf("stored over the quota: %v", got)
	}
	test.Tap(s.Reload)
	u.Wait()
	if s.UsageText.Importance != widget.DangerImportance || s.Usage.Value != s.Usage.Max {
		t.Errorf("a full quota: usage %q (value %v of %v)", s.UsageText.Text, s.Usage.Value, s.Usage.Max)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// The class folder is the teacher's to fill and the pupils' to read; in
// the drop folder pupils hand in, and only the teachers may tidy up.
func TestFilesClassAndDropFolders(t *testing.T) {
	w := newWorld(t)
	sheet := filepath.Join(t.TempDir(), "Arbeitsblatt.txt")
	if err := os.WriteFile(sheet, []byte("7 + 5 = ?"), 0o600); err != nil {
		t.Fatal(err)
	}
	ut := w.newUI(config.ModeStaff)
	w.loggedIn(ut, w.Teacher)
	st := openFiles(t, ut)
	openFilesRoot(t, ut, st, "Klasse 3a")
	if st.Upload.Disabled() || !st.NewFolder.Visible() {
		t.Fatal("the teacher may not store in her class folder")
	}
	filesUploadPicked(ut, st, sheet)
	if got := filesNames(st); len(got) != 1 {
		t.Fatalf("class folder: %v; status %q", got, st.Status.Text)
	}

	up := w.newUI(config.ModeStaff)
	w.loggedIn(up, w.Pupil)
	sp := openFiles(t, up)
	openFilesRoot(t, up, sp, "Klasse 3a")
	r := filesRow(t, sp, "Arbeitsblatt.txt")
	if !sp.Upload.Disabled() || sp.NewFolder.Visible() || r.Rename.Visible() || r.Delete.Visible() || !r.Download.Visible() {
		t.Error("a pupil in the class folder: want open only")
	}
	if !strings.Contains(r.Info.Text, "Tina Lehmann") {
		t.Errorf("file info: %q, want who stored it", r.Info.Text)
	}
	openFilesRoot(t, up, sp, "Abgabe Klasse 3a")
	if sp.Upload.Disabled() || sp.NewFolder.Visible() {
		t.Fatal("a pupil cannot hand in")
	}
	answer := filepath.Join(t.TempDir(), "Antwort.txt")
	if err := os.WriteFile(answer, []byte("12"), 0o600); err != nil {
		t.Fatal(err)
	}
	filesUploadPicked(up, sp, answer)
	if got := filesNames(sp); len(got) != 1 || got[0] != "Antwort.txt" {
		t.Fatalf("drop folder: %v; status %q", got, sp.Status.Text)
	}

	openFilesRoot(t, ut, st, "Abgabe Klasse 3a")
	if r := filesRow(t, st, "Antwort.txt"); !r.Delete.Visible() || !strings.Contains(r.Info.Text, "Anna Schmidt") {
		t.Errorf("the teacher's view of the hand-in: delete %v, info %q", r.Delete.Visible(), r.Info.Text)
	}
}

// A mail attachment goes into "Meine Dateien" with the button the mail
// reader shows beside it (mailToFilesButton), on the server — the files
// screen then has it.
func TestFilesSaveMailAttachment(t *testing.T) {
	w := newWorld(t)
	data := []byte("Aufgabe 3: 7 + 5 = ?")
	sendMail(t, w.apiAs(w.Teacher), address(w.Pupil), "Hausaufgaben", "Im Anhang.", map[string][]byte{"Arbeitsblatt.txt": data})

	u := w.newUI(config.ModePCRoom)
	w.loggedIn(u, w.Pupil)
	ms := openMail(t, u)
	openSubject(t, u, ms, "Hausaufgaben")
	r := ms.Reader
	b := u.mailToFilesButton(r.Message.ID, r.Message.Attachments[0], r.setStatus)
	if !b.Visible() || b.Text != "In Meine Dateien" {
		t.Fatalf("the button: %q, visible %v", b.Text, b.Visible())
	}
	test.Tap(b)
	u.Wait()
	if !strings.Contains(r.Status.Text, "„Arbeitsblatt.txt“ liegt jetzt in Meine Dateien") {
		t.Fatalf("reader status: %q", r.Status.Text)
	}
	if len(w.opened.list()) != 0 {
		t.Error("saving into Meine Dateien saved on the computer")
	}

	u.ShowHome()
	s := openFiles(t, u)
	test.Tap(filesRow(t, s, "Arbeitsblatt.txt").Download)
	u.Wait()
	if got, err := os.ReadFile(s.Saved); err != nil || !bytes.Equal(got, data) {
		t.Errorf("the saved attachment: %q, %v", got, err)
	}

	// with the files module off the button is not there
	admin := w.apiAs(w.Admin)
	if _, err := admin.SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleFiles, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	u2 := w.newUI(config.ModeStaff)
	w.loggedIn(u2, w.Pupil)
	if b := u2.mailToFilesButton(r.Message.ID, r.Message.Attachments[0], r.setStatus); b.Visible() {
		t.Error("the button shows while the files module is off")
	}
}

// A file from "Meine Dateien" is attached to a new mail with the button
// beside "Datei anhängen" (mailFromFilesButton) and arrives.
func TestFilesAttachToMail(t *testing.T) {
	w := newWorld(t)
	data := []byte("Mein Bild vom Zoo")
	anna := w.apiAs(w.Pupil)
	roots, err := anna.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anna.FilesUpload(ctx, roots.Folders[0].ID, "Zoo.txt", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	c := startCompose(t, u, openMail(t, u))
	b := u.mailFromFilesButton(c)
	if !b.Visible() {
		t.Fatal("no Aus meinen Dateien button")
	}
	test.Tap(b)
	u.Wait()
	p, ok := u.screen(filesPickerKey).(*FilesPicker)
	if !ok || len(p.Files) != 1 || p.Found[0].Name != "Zoo.txt" {
		t.Fatalf("the picker: %+v", p)
	}
	test.Tap(p.Files[0])
	u.Wait()
	if u.screen(filesPickerKey) != nil || len(c.Attachments) != 1 || c.Attachments[0].Name != "Zoo.txt" {
		t.Fatalf("after picking: picker open %v, attachments %+v; message %q", u.screen(filesPickerKey) != nil, c.Attachments, p.Message.Text)
	}
	pick(t, u, c, "Ben", "Ben Becker")
	test.Type(c.Subject, "Zoo")
	test.Tap(c.Send)
	u.Wait()
	if composeOf(u) != nil {
		t.Fatalf("not sent: %q", c.Message.Text)
	}
	ben := w.apiAs(w.Pupil2)
	page, err := ben.MailPage(ctx, wire.MailInbox, "", 0)
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("Ben's inbox: %+v, %v", page.Messages, err)
	}
	m, err := ben.MailMessage(ctx, page.Messages[0].ID)
	if err != nil || len(m.Attachments) != 1 || m.Attachments[0].Name != "Zoo.txt" {
		t.Fatalf("Ben's mail: %+v, %v", m.Attachments, err)
	}
	var got bytes.Buffer
	if _, _, err := ben.MailDownload(ctx, m.ID, m.Attachments[0].ID, &got); err != nil || !bytes.Equal(got.Bytes(), data) {
		t.Errorf("the attachment: %q, %v", got.Bytes(), err)
	}
}
