package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// apiAs is an API client logged in as login (a second session beside
// the UI's), for sending mail and looking at the server's side.
func (w *world) apiAs(login string) *serverapi.Client {
	w.t.Helper()
	c := w.client()
	if _, err := c.Login(ctx, login, w.passwordOf(login), ""); err != nil {
		w.t.Fatalf("login %s: %v", login, err)
	}
	return c
}

func address(login string) string { return login + "@" + testrig.Domain }

// openMail taps the mail tile and waits for the first page.
func openMail(t *testing.T, u *UI) *MailScreen {
	t.Helper()
	b := u.Home.Tiles[wire.ModuleMail]
	if b == nil {
		t.Fatal("home: no mail tile")
	}
	test.Tap(b)
	u.Wait()
	s, ok := u.screen(mailKey).(*MailScreen)
	if !ok {
		t.Fatal("the mail tile opened no mail screen")
	}
	return s
}

func composeOf(u *UI) *MailComposeScreen {
	s, _ := u.screen(mailComposeKey).(*MailComposeScreen)
	return s
}

// startCompose taps "Neue Nachricht".
func startCompose(t *testing.T, u *UI, s *MailScreen) *MailComposeScreen {
	t.Helper()
	test.Tap(s.Compose)
	u.Wait()
	c := composeOf(u)
	if c == nil {
		t.Fatal("no compose screen")
	}
	return c
}

// pick types into the recipient search and taps the suggestion that
// starts with name.
func pick(t *testing.T, u *UI, c *MailComposeScreen, typed, name string) {
	t.Helper()
	typeKeys(u, c.Search, typed)
	for _, b := range c.SuggestionButtons {
		if strings.HasPrefix(b.Text, name) {
			test.Tap(b)
			u.Wait()
			return
		}
	}
	t.Fatalf("typed %q: no suggestion %q among %v", typed, name, buttonTexts(c.SuggestionButtons))
}

// typeKeys types into an entry key by key, waiting for what each key
// starts (the suggestions), as a person who looks at the screen does. On
// Fyne's test driver the answers of background calls run on worker
// goroutines; typing on without waiting would change widgets from two
// goroutines at once.
func typeKeys(u *UI, e *widget.Entry, text string) {
	for _, r := range text {
		test.Type(e, string(r))
		u.Wait()
	}
}

func buttonTexts(bs []*widget.Button) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Text
	}
	return out
}

// openSubject opens the message with a subject on the current page.
func openSubject(t *testing.T, u *UI, s *MailScreen, subject string) {
	t.Helper()
	for i, m := range s.Messages {
		if m.Subject == subject {
			s.List.Select(i)
			u.Wait()
			if s.Reader.Message == nil || s.Reader.Message.Subject != subject {
				t.Fatalf("opening %q: reader shows %+v; status %q", subject, s.Reader.Message, s.Status.Text)
			}
			return
		}
	}
	t.Fatalf("no message %q in %s: %v", subject, s.Folder, subjects(s))
}

func subjects(s *MailScreen) []string {
	out := make([]string, len(s.Messages))
	for i, m := range s.Messages {
		out[i] = m.Subject
	}
	return out
}

// renderedRow finds the list row on the window that shows a subject.
func renderedRow(u *UI, subject string) *mailRow {
	var found *mailRow
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *mailRow:
			if v.subject.Text == subject {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(u.win.Content())
	return found
}

// tempFile writes a file of n random bytes under name.
func tempFile(t *testing.T, name string, n int) (string, []byte) {
	t.Helper()
	data := make([]byte, n)
	rand.Read(data)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// sendMail sends a message through the API as a person.
func sendMail(t *testing.T, c *serverapi.Client, to, subject, body string, files map[string][]byte) wire.MailMessage {
	t.Helper()
	m := wire.MailSend{To: []string{to}, Subject: subject, Body: body}
	for name, data := range files {
		up, err := c.MailUpload(ctx, name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		m.Attachments = append(m.Attachments, up.ID)
	}
	sent, err := c.MailSend(ctx, m)
	if err != nil {
		t.Fatalf("send %q: %v", subject, err)
	}
	return sent
}

func TestMailBetweenPupilsWithAttachment(t *testing.T) {
	w := newWorld(t)
	path, data := tempFile(t, "Waldbericht.pdf", 300_000)

	// Anna writes to Ben, in the staff mode.
	u := w.newUI(config.ModeStaff)
	u.opts.PickFile = func(done func(string)) { done(path) }
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	if s.Folder != wire.MailInbox || len(s.Messages) != 0 || !s.Empty.Visible() {
		t.Fatalf("a new mailbox: folder %s, %d messages, empty note shown %v", s.Folder, len(s.Messages), s.Empty.Visible())
	}
	c := startCompose(t, u, s)
	// before typing: the groups she may write to (her class, no role group)
	offered := strings.Join(buttonTexts(c.SuggestionButtons), "\n")
	if !strings.Contains(offered, "Klasse 3a") || strings.Contains(offered, "Alle") {
		t.Errorf("groups offered to a pupil: %q; want her class and no role group", offered)
	}
	pick(t, u, c, "Ben", "Ben Becker")
	if len(c.Recipients) != 1 || c.Recipients[0].Address != address(w.Pupil2) || len(c.Chips) != 1 {
		t.Fatalf("recipients after picking Ben: %+v", c.Recipients)
	}
	if c.Search.Text != "" {
		t.Errorf("the search kept %q after the pick", c.Search.Text)
	}
	test.Type(c.Subject, "Ausflug")
	test.Type(c.Body, "Hier ist mein Bericht.")
	test.Tap(c.Attach)
	u.Wait()
	if len(c.Attachments) != 1 || c.Attachments[0].Name != "Waldbericht.pdf" || c.Attachments[0].Size != int64(len(data)) {
		t.Fatalf("attachments after picking the file: %+v; message %q", c.Attachments, c.Message.Text)
	}
	test.Tap(c.Send)
	u.Wait()
	if composeOf(u) != nil {
		t.Fatalf("still composing after sending; message %q", c.Message.Text)
	}
	if !strings.Contains(s.Status.Text, "verschickt") {
		t.Errorf("status after sending: %q", s.Status.Text)
	}
	test.Tap(s.Folders[wire.MailSent])
	u.Wait()
	if len(s.Messages) != 1 || s.Messages[0].Subject != "Ausflug" || s.Messages[0].AttachmentCount != 1 {
		t.Errorf("sent folder: %+v", s.Messages)
	}
	u.Logout(T("login.bye"))
	u.Wait()

	// Ben reads it in the PC room.
	ub := w.newUI(config.ModePCRoom)
	w.loggedIn(ub, w.Pupil2)
	ub.Wait()
	if got := ub.Home.Badge[wire.ModuleMail].Text; got != "1 neu" {
		t.Errorf("badge on the mail tile: got %q, want %q", got, "1 neu")
	}
	sb := openMail(t, ub)
	if len(sb.Messages) != 1 || sb.Messages[0].Read || sb.Messages[0].From.Name != "Anna Schmidt" {
		t.Fatalf("Ben's inbox: %+v", sb.Messages)
	}
	if got := sb.Folders[wire.MailInbox].Text; got != "Posteingang (1 neu)" {
		t.Errorf("inbox button: got %q", got)
	}
	if row := renderedRow(ub, "Ausflug"); row == nil || !row.subject.TextStyle.Bold || !row.clip.Visible() {
		t.Errorf("the unread row with an attachment: %+v; want it bold with a clip", row)
	}
	openSubject(t, ub, sb, "Ausflug")
	r := sb.Reader
	if !strings.Contains(r.From.Text, "Anna Schmidt") || r.Body.Text != "Hier ist mein Bericht." || len(r.Save) != 1 {
		t.Fatalf("reader: from %q, body %q, %d attachments", r.From.Text, r.Body.Text, len(r.Save))
	}
	if row := renderedRow(ub, "Ausflug"); row == nil || row.subject.TextStyle.Bold {
		t.Error("the row stayed bold after reading")
	}
	if got := sb.Folders[wire.MailInbox].Text; got != "Posteingang" {
		t.Errorf("inbox button after reading: got %q", got)
	}
	test.Tap(r.Save[0])
	ub.Wait()
	opened := w.opened.list()
	if len(opened) != 1 || opened[0] != r.Saved {
		t.Fatalf("opened files: %v, saved %q; status %q", opened, r.Saved, r.Status.Text)
	}
	got, err := os.ReadFile(r.Saved)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) || filepath.Base(r.Saved) != "Waldbericht.pdf" || filepath.Dir(r.Saved) != ub.opts.FilesDir {
		t.Errorf("saved %s (%d bytes): want Waldbericht.pdf with the original's %d bytes in the files folder", r.Saved, len(got), len(data))
	}

	// the PC room forgets Ben's mail at the logout
	ub.Logout(T("login.bye"))
	ub.Wait()
	if ub.screen(mailKey) != nil || len(ub.screens) != 0 {
		t.Errorf("screens left after the logout: %v", ub.screens)
	}
	if _, err := os.Stat(ub.opts.FilesDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the files folder is still there after the logout: %v", err)
	}
}

func TestMailRecipientPicker(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name, login, typed string
		want, notWant      []string
	}{
		{"pupil, other class", w.Pupil, "4b", []string{"Clara Roth · Klasse 4b"}, []string{"Klasse 4b"}},
		{"pupil, role group", w.Pupil, "leh", []string{"Tina Lehmann"}, []string{"Alle Lehrkräfte"}},
		{"pupil, not herself", w.Pupil, "Schmidt", nil, []string{"Anna Schmidt"}},
		{"teacher, class", w.Teacher, "4b", []string{"Klasse 4b", "Clara Roth"}, nil},
		{"teacher, role group", w.Teacher, "leh", []string{"Alle Lehrkräfte"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := w.newUI(config.ModeStaff)
			w.loggedIn(u, tt.login)
			c := startCompose(t, u, openMail(t, u))
			typeKeys(u, c.Search, tt.typed)
			got := buttonTexts(c.SuggestionButtons)
			for _, want := range tt.want {
				if !hasPrefix(got, want) {
					t.Errorf("typed %q: got %q, want %q offered", tt.typed, got, want)
				}
			}
			for _, no := range tt.notWant {
				if contains(got, no) {
					t.Errorf("typed %q: got %q, want no %q", tt.typed, got, no)
				}
			}
		})
	}
}

func hasPrefix(list []string, p string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// contains reports an entry that is p itself or p with a detail.
func contains(list []string, p string) bool {
	for _, s := range list {
		if s == p || strings.HasPrefix(s, p+" · ") {
			return true
		}
	}
	return false
}

// countingClient counts the uploads the UI starts.
type countingClient struct {
	*serverapi.Client
	uploads atomic.Int32
}

func (c *countingClient) MailUpload(ctx context.Context, name string, r io.Reader, size int64) (wire.MailUpload, error) {
	c.uploads.Add(1)
	return c.Client.MailUpload(ctx, name, r, size)
}

func TestMailAttachmentLimit(t *testing.T) {
	w := newWorld(t)
	small, _ := tempFile(t, "klein.txt", 1000)
	huge := filepath.Join(t.TempDir(), "Riesenvideo.mp4")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(21 << 20); err != nil { // sparse: 21 MB on paper
		t.Fatal(err)
	}
	f.Close()
	var next string
	api := &countingClient{Client: w.client()}
	u := w.newUIWith(api, config.ModeStaff)
	u.opts.PickFile = func(done func(string)) { done(next) }
	w.loggedIn(u, w.Pupil)
	c := startCompose(t, u, openMail(t, u))
	test.Type(c.Subject, "Video")
	server := w.apiAs(w.Pupil)
	uploads := func() []wire.MailUpload {
		t.Helper()
		list, err := server.MailUploads(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}

	// a small file goes up at once, and away again with "Entfernen"
	next = small
	test.Tap(c.Attach)
	u.Wait()
	if len(c.Attachments) != 1 || len(uploads()) != 1 {
		t.Fatalf("after attaching a small file: %d attachments, %d uploads; message %q", len(c.Attachments), len(uploads()), c.Message.Text)
	}
	test.Tap(c.Remove[0])
	u.Wait()
	if len(c.Attachments) != 0 || len(uploads()) != 0 {
		t.Fatalf("after removing it: %d attachments, %d uploads", len(c.Attachments), len(uploads()))
	}

	// 21 MB: refused here, nothing goes to the server
	next = huge
	test.Tap(c.Attach)
	u.Wait()
	msg := c.Message.Text
	for _, want := range []string{"Riesenvideo.mp4", "zu groß", "21 MB", "höchstens 20 MB"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message for a 21 MB file: %q; want it to contain %q", msg, want)
		}
	}
	if !c.Message.Visible() || c.Message.Importance != widget.DangerImportance {
		t.Error("the refusal is not shown as one")
	}
	if len(c.Attachments) != 0 || len(uploads()) != 0 || api.uploads.Load() != 1 {
		t.Errorf("a 21 MB file was uploaded: %d attachments, %d uploads on the server, %d upload calls (want 1, the small file)",
			len(c.Attachments), len(uploads()), api.uploads.Load())
	}
	if c.Subject.Text != "Video" || composeOf(u) != c || c.Send.Disabled() {
		t.Error("the draft did not stay as it was")
	}
}

func TestMailReplyAndForward(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	orig := sendMail(t, teacher, address(w.Pupil), "Hausaufgaben", "Bitte lest Seite 12.\nUnd rechnet Aufgabe 3.",
		map[string][]byte{"Arbeitsblatt.txt": []byte("Aufgabe 3: 7 + 5 = ?")})

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	openSubject(t, u, s, "Hausaufgaben")
	if !s.Reader.Reply.Visible() || !s.Reader.Forward.Visible() || s.Reader.Restore.Visible() || s.Reader.DeleteForever.Visible() {
		t.Error("inbox reader: want reply, forward and no trash buttons")
	}

	// reply: to the sender, "AW:", the original quoted
	test.Tap(s.Reader.Reply)
	u.Wait()
	c := composeOf(u)
	if c == nil {
		t.Fatal("no compose screen after Antworten")
	}
	if len(c.Recipients) != 1 || c.Recipients[0].Address != address(w.Teacher) || c.Chips[0].Text != "Tina Lehmann" {
		t.Errorf("reply recipients: %+v", c.Recipients)
	}
	if c.Subject.Text != "AW: Hausaufgaben" {
		t.Errorf("reply subject: got %q, want %q", c.Subject.Text, "AW: Hausaufgaben")
	}
	if !strings.Contains(c.Body.Text, "Tina Lehmann hat am") || !strings.Contains(c.Body.Text, "> Bitte lest Seite 12.\n> Und rechnet Aufgabe 3.") {
		t.Errorf("reply body: %q", c.Body.Text)
	}
	c.Body.SetText("")
	test.Type(c.Body, "Mach ich!")
	test.Tap(c.Send)
	u.Wait()
	if composeOf(u) != nil {
		t.Fatalf("reply not sent: %q", c.Message.Text)
	}
	page, err := teacher.MailPage(ctx, wire.MailInbox, "", 0)
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("teacher's inbox: %+v, %v", page.Messages, err)
	}
	answer, err := teacher.MailMessage(ctx, page.Messages[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if answer.Subject != "AW: Hausaufgaben" || answer.InReplyTo != orig.ID || answer.Body != "Mach ich!" {
		t.Errorf("the teacher got %q (in reply to %d, body %q); want AW: Hausaufgaben in reply to %d", answer.Subject, answer.InReplyTo, answer.Body, orig.ID)
	}

	// a started reply is not thrown away without asking
	openSubject(t, u, s, "Hausaufgaben")
	test.Tap(s.Reader.Reply)
	u.Wait()
	test.Type(composeOf(u).Body, "Noch eine Frage")
	test.Tap(composeOf(u).Back)
	u.Wait()
	if s.Compose.Text != "Weiterschreiben" {
		t.Errorf("write button with a draft open: %q", s.Compose.Text)
	}
	openSubject(t, u, s, "Hausaufgaben")
	test.Tap(s.Reader.Forward)
	if s.ConfirmReplace == nil {
		t.Fatal("forwarding replaced a started reply without asking")
	}
	s.ConfirmReplace.Confirm()
	u.Wait()

	// forward: "WG:", nobody yet, the original's attachment goes along
	c = composeOf(u)
	if c == nil || c.Subject.Text != "WG: Hausaufgaben" || len(c.Recipients) != 0 {
		t.Fatalf("forward draft: %+v", c)
	}
	if !c.Forwarded.Visible() || !strings.Contains(c.Forwarded.Text, "Arbeitsblatt.txt") {
		t.Errorf("forward note: %q", c.Forwarded.Text)
	}
	pick(t, u, c, "Ben", "Ben Becker")
	test.Tap(c.Send)
	u.Wait()
	if composeOf(u) != nil {
		t.Fatalf("forward not sent: %q", c.Message.Text)
	}
	ben := w.apiAs(w.Pupil2)
	page, err = ben.MailPage(ctx, wire.MailInbox, "", 0)
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("Ben's inbox: %+v, %v", page.Messages, err)
	}
	fwd, err := ben.MailMessage(ctx, page.Messages[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if fwd.Subject != "WG: Hausaufgaben" || fwd.ForwardOf != orig.ID || len(fwd.Attachments) != 1 || !strings.Contains(fwd.Body, "Bitte lest Seite 12.") {
		t.Errorf("Ben got %q (forward of %d, %d attachments, body %q)", fwd.Subject, fwd.ForwardOf, len(fwd.Attachments), fwd.Body)
	}
}

func TestMailTrashAndRestore(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	sendMail(t, teacher, address(w.Pupil), "Elternbrief", "Bitte unterschreiben.", nil)
	sendMail(t, teacher, address(w.Pupil), "Sportfest", "Am Freitag.", nil)

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	openSubject(t, u, s, "Sportfest")
	test.Tap(s.Reader.Delete)
	u.Wait()
	if got := subjects(s); len(got) != 1 || got[0] != "Elternbrief" {
		t.Errorf("inbox after deleting: %v", got)
	}
	if s.Reader.Message != nil || !strings.Contains(s.Status.Text, "Papierkorb") {
		t.Errorf("after deleting: reader %v, status %q", s.Reader.Message, s.Status.Text)
	}

	test.Tap(s.Folders[wire.MailTrash])
	u.Wait()
	openSubject(t, u, s, "Sportfest")
	r := s.Reader
	if !r.Restore.Visible() || !r.DeleteForever.Visible() || r.Delete.Visible() || r.Reply.Visible() {
		t.Error("trash reader: want only restore and delete for good")
	}
	test.Tap(r.Restore)
	u.Wait()
	if len(s.Messages) != 0 {
		t.Errorf("trash after restoring: %v", subjects(s))
	}
	test.Tap(s.Folders[wire.MailInbox])
	u.Wait()
	if len(s.Messages) != 2 {
		t.Errorf("inbox after restoring: %v", subjects(s))
	}

	// deleting for good asks first; "Nein" keeps it
	openSubject(t, u, s, "Sportfest")
	test.Tap(s.Reader.Delete)
	u.Wait()
	test.Tap(s.Folders[wire.MailTrash])
	u.Wait()
	openSubject(t, u, s, "Sportfest")
	test.Tap(r.DeleteForever)
	if r.ConfirmDelete == nil {
		t.Fatal("deleting for good did not ask")
	}
	r.ConfirmDelete.Dismiss()
	u.Wait()
	if len(s.Messages) != 1 {
		t.Fatalf("after saying no: trash %v", subjects(s))
	}
	test.Tap(r.DeleteForever)
	r.ConfirmDelete.Confirm()
	u.Wait()
	if len(s.Messages) != 0 || !s.Empty.Visible() {
		t.Errorf("trash after deleting for good: %v", subjects(s))
	}
	trash, err := w.apiAs(w.Pupil).MailPage(ctx, wire.MailTrash, "", 0)
	if err != nil || len(trash.Messages) != 0 {
		t.Errorf("the server's trash: %+v, %v", trash.Messages, err)
	}
}

func TestMailPaging(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	const n = mailPageSize + 5
	for i := 1; i <= n; i++ {
		sendMail(t, teacher, address(w.Pupil), fmt.Sprintf("Nachricht %02d", i), "", nil)
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	if got, want := u.Home.Badge[wire.ModuleMail].Text, fmt.Sprintf("%d neu", n); got != want {
		t.Errorf("badge: got %q, want %q", got, want)
	}
	s := openMail(t, u)
	check := func(step string, count int, first, last string, newer, older bool, page string) {
		t.Helper()
		got := subjects(s)
		if len(got) != count || got[0] != first || got[len(got)-1] != last {
			t.Errorf("%s: %d messages %q … %q; want %d, %q … %q", step, len(got), got[0], got[len(got)-1], count, first, last)
		}
		if s.Newer.Disabled() == newer || s.Older.Disabled() == older {
			t.Errorf("%s: newer enabled %v, older enabled %v; want %v, %v", step, !s.Newer.Disabled(), !s.Older.Disabled(), newer, older)
		}
		if s.Page.Text != page {
			t.Errorf("%s: page %q, want %q", step, s.Page.Text, page)
		}
	}
	check("first page", mailPageSize, fmt.Sprintf("Nachricht %02d", n), "Nachricht 06", false, true, "Seite 1")
	test.Tap(s.Older)
	u.Wait()
	check("older", 5, "Nachricht 05", "Nachricht 01", true, false, "Seite 2")
	openSubject(t, u, s, "Nachricht 01") // reading on page 2 counts too
	if got, want := s.Folders[wire.MailInbox].Text, fmt.Sprintf("Posteingang (%d neu)", n-1); got != want {
		t.Errorf("inbox button: got %q, want %q", got, want)
	}
	test.Tap(s.Newer)
	u.Wait()
	check("newer again", mailPageSize, fmt.Sprintf("Nachricht %02d", n), "Nachricht 06", false, true, "Seite 1")
}

func TestMailRefusalKeepsTheDraft(t *testing.T) {
	tests := []struct {
		name   string
		to     string // typed and added, or "" for Ben through the picker
		before func(w *world)
		want   string
	}{
		{name: "role group", to: "schueler@gsborsum.de", want: "dürfen Kinder nicht schreiben"},
		{name: "other class", to: "4b@gsborsum.de", want: "nur an deine eigene Klasse"},
		{name: "outside the school", to: "oma@web.de", want: "Mail geht nur an Adressen der Schule"},
		{name: "hourly limit", before: func(w *world) {
			c := w.apiAs(w.Pupil)
			for i := 0; i < 20; i++ {
				sendMail(w.t, c, address(w.Pupil2), fmt.Sprintf("Nr. %d", i), "", nil)
			}
		}, want: "in der letzten Stunde schon 20 Nachrichten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.before != nil {
				tt.before(w)
			}
			u := w.newUI(config.ModeStaff)
			w.loggedIn(u, w.Pupil)
			c := startCompose(t, u, openMail(t, u))
			if tt.to == "" {
				pick(t, u, c, "Ben", "Ben Becker")
			} else {
				typeKeys(u, c.Search, tt.to)
				test.Tap(c.AddTyped)
				u.Wait()
				if len(c.Recipients) != 1 || c.Recipients[0].Address != tt.to {
					t.Fatalf("typed %q: recipients %+v; message %q", tt.to, c.Recipients, c.Message.Text)
				}
			}
			test.Type(c.Subject, "Hallo")
			test.Type(c.Body, "Wie geht es euch?")
			test.Tap(c.Send)
			u.Wait()
			if composeOf(u) != c || u.title.Text != "Neue Nachricht" {
				t.Fatal("the compose screen went away after a refusal")
			}
			if !strings.Contains(c.Message.Text, tt.want) || c.Message.Importance != widget.DangerImportance {
				t.Errorf("message: got %q, want the server's %q", c.Message.Text, tt.want)
			}
			if c.Subject.Text != "Hallo" || c.Body.Text != "Wie geht es euch?" || len(c.Recipients) != 1 || c.Send.Disabled() {
				t.Errorf("draft after the refusal: subject %q, body %q, recipients %+v", c.Subject.Text, c.Body.Text, c.Recipients)
			}
		})
	}
}

func TestMailInEnglish(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	t.Cleanup(func() { SetLanguage("de") })
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	if got := s.Folders[wire.MailInbox].Text; got != "Posteingang" {
		t.Fatalf("inbox button in German: %q", got)
	}
	test.Tap(s.Folders[wire.MailSent])
	u.Wait()
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	u.ShowHome()
	u.Wait()
	s = openMail(t, u)
	if s.Folders[wire.MailInbox].Text != "Inbox" || s.Compose.Text != "New message" || s.Heading.Text != "Sent" {
		t.Errorf("after switching to English: inbox %q, write %q, heading %q", s.Folders[wire.MailInbox].Text, s.Compose.Text, s.Heading.Text)
	}
}
