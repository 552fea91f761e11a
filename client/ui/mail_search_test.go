package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// search types a search into the mail screen and taps "Suchen".
func search(u *UI, s *MailScreen, q string) {
	s.Search.Entry.SetText("")
	test.Type(s.Search.Entry, q)
	test.Tap(s.Search.Go)
	u.Wait()
}

func TestMailSearch(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	sendMail(t, teacher, address(w.Pupil), "Übung zum Bruchrechnen", "Bis Freitag.", nil)
	sendMail(t, teacher, address(w.Pupil), "Elternbrief", "Bitte unterschreiben.", nil)
	sendMail(t, w.apiAs(w.Pupil2), address(w.Pupil), "Pause", "Spielst du mit?", nil)
	sendMail(t, w.apiAs(w.Pupil), address(w.Pupil2), "Übungsblatt verloren", "Hast du noch eins?", nil) // in Anna's sent folder

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	if s.Search.Entry.PlaceHolder != "Suchen …" || s.Search.All.Text != "in allen Ordnern" || s.Search.End.Visible() {
		t.Errorf("search bar: hint %q, check %q, end shown %v", s.Search.Entry.PlaceHolder, s.Search.All.Text, s.Search.End.Visible())
	}

	// In the inbox, with Enter (what the entry does on Enter, called as
	// it does: typing Enter with test.Type would go on measuring the
	// entry while the answer already changes the list).
	test.Type(s.Search.Entry, "übung")
	s.Search.Entry.OnSubmitted(s.Search.Entry.Text)
	u.Wait()
	if got := subjects(s); !slices.Equal(got, []string{"Übung zum Bruchrechnen"}) {
		t.Fatalf("inbox search for übung: got %q; status %q", got, s.Status.Text)
	}
	if s.Heading.Text != "Posteingang: Suche nach „übung“" || !s.Search.End.Visible() {
		t.Errorf("while searching: heading %q, end shown %v", s.Heading.Text, s.Search.End.Visible())
	}
	if row := renderedRow(u, "Übung zum Bruchrechnen"); row == nil || row.where.Visible() {
		t.Errorf("a search in one folder names no folder per row: %+v", row)
	}

	// In all folders: the sent message too, each row with its folder.
	test.Tap(s.Search.All)
	u.Wait()
	if got := subjects(s); !slices.Equal(got, []string{"Übungsblatt verloren", "Übung zum Bruchrechnen"}) {
		t.Fatalf("search in all folders: got %q; status %q", got, s.Status.Text)
	}
	if s.Heading.Text != "Alle Ordner: Suche nach „übung“" {
		t.Errorf("heading: %q", s.Heading.Text)
	}
	for subject, folder := range map[string]string{"Übungsblatt verloren": "Gesendet", "Übung zum Bruchrechnen": "Posteingang"} {
		if row := renderedRow(u, subject); row == nil || !row.where.Visible() || row.where.Text != folder {
			t.Errorf("row %q: want its folder %q named, got %+v", subject, folder, row)
		}
	}
	// a result from the sent folder opens as one: no "Antworten"
	openSubject(t, u, s, "Übungsblatt verloren")
	if s.Reader.Reply.Visible() || !s.Reader.Forward.Visible() || !strings.Contains(s.Reader.To.Text, "Ben Becker") {
		t.Errorf("reader of a sent result: reply shown %v, forward shown %v, to %q", s.Reader.Reply.Visible(), s.Reader.Forward.Visible(), s.Reader.To.Text)
	}

	// Nothing found.
	search(u, s, "Krokodil")
	if len(s.Messages) != 0 || !s.Empty.Visible() || s.Empty.Text != "Keine Mail gefunden." {
		t.Errorf("no result: %d messages, empty note %v %q", len(s.Messages), s.Empty.Visible(), s.Empty.Text)
	}

	// Too short: the server's German refusal, where the screen shows
	// errors; the list stays.
	search(u, s, "a")
	if !strings.Contains(s.Status.Text, "mindestens 2 Zeichen") || !s.Status.Visible() || s.Status.Importance != widget.DangerImportance {
		t.Errorf("too short: status %q (shown %v)", s.Status.Text, s.Status.Visible())
	}
	if s.Heading.Text != "Alle Ordner: Suche nach „Krokodil“" {
		t.Errorf("after a refusal the list changed: heading %q", s.Heading.Text)
	}

	// "Suche beenden": back to the folder.
	test.Tap(s.Search.End)
	u.Wait()
	if s.Heading.Text != "Posteingang" || s.Search.End.Visible() || s.Search.Entry.Text != "" {
		t.Errorf("after ending: heading %q, end shown %v, entry %q", s.Heading.Text, s.Search.End.Visible(), s.Search.Entry.Text)
	}
	if got := subjects(s); !slices.Equal(got, []string{"Pause", "Elternbrief", "Übung zum Bruchrechnen"}) {
		t.Errorf("inbox after ending the search: %q", got)
	}
	if s.Empty.Text != "Hier sind keine Nachrichten." || s.Status.Visible() {
		t.Errorf("after ending: empty text %q, status %q", s.Empty.Text, s.Status.Text)
	}

	// A folder button ends a search too.
	search(u, s, "Pause")
	if got := subjects(s); !slices.Equal(got, []string{"Pause"}) {
		t.Fatalf("search for Pause: %q", got)
	}
	test.Tap(s.Folders[wire.MailSent])
	u.Wait()
	if got := subjects(s); !slices.Equal(got, []string{"Übungsblatt verloren"}) || s.Heading.Text != "Gesendet" || s.Search.End.Visible() {
		t.Errorf("sent folder after a search: %q, heading %q", got, s.Heading.Text)
	}
}

func TestMailSearchPaging(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	const n = mailPageSize + 5
	for i := 1; i <= n; i++ {
		sendMail(t, teacher, address(w.Pupil), fmt.Sprintf("Runde %02d", i), "", nil)
		sendMail(t, teacher, address(w.Pupil), fmt.Sprintf("Anderes %02d", i), "", nil)
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	search(u, s, "runde")
	check := func(step string, count int, first, last string, newer, older bool, page string) {
		t.Helper()
		got := subjects(s)
		if len(got) != count || got[0] != first || got[len(got)-1] != last {
			t.Fatalf("%s: %d messages %q; want %d, %q … %q", step, len(got), got, count, first, last)
		}
		if s.Newer.Disabled() == newer || s.Older.Disabled() == older || s.Page.Text != page {
			t.Errorf("%s: newer %v, older %v, page %q; want %v, %v, %q", step, !s.Newer.Disabled(), !s.Older.Disabled(), s.Page.Text, newer, older, page)
		}
	}
	check("first page", mailPageSize, fmt.Sprintf("Runde %02d", n), "Runde 06", false, true, "Seite 1")
	test.Tap(s.Older)
	u.Wait()
	check("older", 5, "Runde 05", "Runde 01", true, false, "Seite 2")
	test.Tap(s.Newer)
	u.Wait()
	check("newer", mailPageSize, fmt.Sprintf("Runde %02d", n), "Runde 06", false, true, "Seite 1")
}

// heldClient holds the answers to searches until it is let go: the
// server has answered, the answer is late.
type heldClient struct {
	*serverapi.Client
	asked, release chan struct{}
}

func (c *heldClient) MailSearch(ctx context.Context, q, folder, cursor string, limit int) (wire.MailPage, error) {
	p, err := c.Client.MailSearch(ctx, q, folder, cursor, limit)
	close(c.asked)
	<-c.release
	return p, err
}

// An answer that arrives after the logout belongs to nobody on the
// screen: it is dropped.
func TestMailSearchAnswerAfterLogout(t *testing.T) {
	w := newWorld(t)
	sendMail(t, w.apiAs(w.Teacher), address(w.Pupil), "Geheimes Rezept", "", nil)
	api := &heldClient{Client: w.client(), asked: make(chan struct{}), release: make(chan struct{})}
	u := w.newUIWith(api, config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	test.Type(s.Search.Entry, "Rezept")
	test.Tap(s.Search.Go)
	<-api.asked // the server found it
	u.Logout(T("login.bye"))
	close(api.release)
	u.Wait()
	if s.searching() || s.Search.End.Visible() || u.screen(mailKey) != nil {
		t.Errorf("after the logout: the old screen took the answer (searching %v, results %q), mail screen kept %v",
			s.searching(), subjects(s), u.screen(mailKey) != nil)
	}
}

func TestMailReplyAll(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	orig, err := teacher.MailSend(ctx, wire.MailSend{To: []string{address(w.Pupil), address(w.Pupil2)}, Subject: "Klassenfahrt", Body: "Wer kommt mit?"})
	if err != nil {
		t.Fatal(err)
	}
	sendMail(t, teacher, address(w.Pupil), "Nur für dich", "", nil)
	if _, err := teacher.MailSend(ctx, wire.MailSend{To: []string{"3a"}, Subject: "An die Klasse"}); err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	for subject, want := range map[string]bool{"Nur für dich": false, "An die Klasse": true, "Klassenfahrt": true} {
		openSubject(t, u, s, subject)
		if got := s.Reader.ReplyAll.Visible(); got != want || !s.Reader.Reply.Visible() {
			t.Errorf("%s: „Allen antworten“ shown %v, want %v", subject, got, want)
		}
	}

	// To a class: the class stays the class.
	openSubject(t, u, s, "An die Klasse")
	test.Tap(s.Reader.ReplyAll)
	u.Wait()
	c := composeOf(u)
	if c == nil {
		t.Fatal("no compose screen after „Allen antworten“")
	}
	if got := recipientAddresses(c); !slices.Equal(got, []string{address(w.Teacher), "3a@gsborsum.de"}) {
		t.Errorf("reply to all of a class message: %q", got)
	}
	test.Tap(c.Discard)
	u.Wait()

	// To two pupils: the teacher and Ben, not Anna herself.
	openSubject(t, u, s, "Klassenfahrt")
	test.Tap(s.Reader.ReplyAll)
	u.Wait()
	c = composeOf(u)
	if c == nil {
		t.Fatal("no compose screen after „Allen antworten“")
	}
	if got := recipientAddresses(c); !slices.Equal(got, []string{address(w.Teacher), address(w.Pupil2)}) {
		t.Errorf("recipients: got %q, want the teacher and Ben", got)
	}
	if c.Subject.Text != "AW: Klassenfahrt" || u.title.Text != "Antwort an alle schreiben" || !strings.Contains(c.Body.Text, "> Wer kommt mit?") {
		t.Errorf("draft: subject %q, title %q, body %q", c.Subject.Text, u.title.Text, c.Body.Text)
	}
	c.Body.SetText("")
	test.Type(c.Body, "Ich komme mit!")
	test.Tap(c.Send)
	u.Wait()
	if composeOf(u) != nil {
		t.Fatalf("not sent: %q", c.Message.Text)
	}
	for _, login := range []string{w.Teacher, w.Pupil2} {
		page, err := w.apiAs(login).MailSearch(ctx, "Klassenfahrt", wire.MailInbox, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var got *wire.MailSummary
		for i, m := range page.Messages {
			if m.Subject == "AW: Klassenfahrt" {
				got = &page.Messages[i]
			}
		}
		if got == nil || got.From.Address != address(w.Pupil) {
			t.Errorf("%s's inbox: %+v, want Anna's answer", login, page.Messages)
			continue
		}
		m, err := w.apiAs(login).MailMessage(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.InReplyTo != orig.ID || m.Body != "Ich komme mit!" {
			t.Errorf("%s got in reply to %d, body %q; want %d", login, m.InReplyTo, m.Body, orig.ID)
		}
	}
	if got := mailIDs(t, w.apiAs(w.Pupil), wire.MailInbox); len(got) != 3 {
		t.Errorf("Anna's inbox has %d messages, want the 3 she got (no copy of her own answer)", len(got))
	}
}

func mailIDs(t *testing.T, c *serverapi.Client, folder string) []int64 {
	t.Helper()
	p, err := c.MailPage(ctx, folder, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, m := range p.Messages {
		ids = append(ids, m.ID)
	}
	return ids
}

func recipientAddresses(c *MailComposeScreen) []string {
	out := make([]string, len(c.Recipients))
	for i, r := range c.Recipients {
		out[i] = r.Address
	}
	return out
}

// A pupil may not write to a role group: her answer to all of a message
// to all pupils is refused by the server, in German, and nothing is lost.
func TestMailReplyAllRefused(t *testing.T) {
	w := newWorld(t)
	if _, err := w.apiAs(w.Teacher).MailSend(ctx, wire.MailSend{To: []string{"schueler@gsborsum.de"}, Subject: "Schulfest", Body: "Am Samstag."}); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := openMail(t, u)
	openSubject(t, u, s, "Schulfest")
	if !s.Reader.ReplyAll.Visible() {
		t.Fatal("„Allen antworten“ not shown for a message to a role group")
	}
	test.Tap(s.Reader.ReplyAll)
	u.Wait()
	c := composeOf(u)
	if c == nil {
		t.Fatal("no compose screen")
	}
	want := []string{address(w.Teacher), "schueler@gsborsum.de"}
	if got := recipientAddresses(c); !slices.Equal(got, want) {
		t.Fatalf("recipients: got %q, want %q", got, want)
	}
	test.Type(c.Body, "Super!")
	body := c.Body.Text
	test.Tap(c.Send)
	u.Wait()
	if composeOf(u) != c {
		t.Fatal("the compose screen went away after the refusal")
	}
	if !strings.Contains(c.Message.Text, "dürfen Kinder nicht schreiben") || c.Message.Importance != widget.DangerImportance {
		t.Errorf("message: got %q, want the server's refusal", c.Message.Text)
	}
	if got := recipientAddresses(c); !slices.Equal(got, want) || c.Body.Text != body || c.Subject.Text != "AW: Schulfest" || c.Send.Disabled() {
		t.Errorf("draft after the refusal: recipients %q, subject %q, body %q", got, c.Subject.Text, c.Body.Text)
	}
	if got := mailIDs(t, w.apiAs(w.Pupil), wire.MailSent); len(got) != 0 {
		t.Errorf("sent folder after the refusal: %v", got)
	}
}

func TestMailReplyAllRecipients(t *testing.T) {
	tina := wire.MailAddress{Address: "tina.lehmann@gsborsum.de", Name: "Tina Lehmann", Kind: "person"}
	anna := wire.MailAddress{Address: "anna.schmidt@gsborsum.de", Name: "Anna Schmidt", Kind: "person"}
	ben := wire.MailAddress{Address: "ben.becker@gsborsum.de", Name: "Ben Becker", Kind: "person"}
	class := wire.MailAddress{Address: "3a@gsborsum.de", Name: "Klasse 3a", Kind: "class"}
	self := func(a string) bool { return strings.EqualFold(a, anna.Address) }
	upper := func(a wire.MailAddress) wire.MailAddress { a.Address = strings.ToUpper(a.Address); return a }
	tests := []struct {
		name string
		from wire.MailAddress
		to   []wire.MailAddress
		want []string
		many bool
	}{
		{"only me", tina, []wire.MailAddress{anna}, []string{tina.Address}, false},
		{"me and another", tina, []wire.MailAddress{anna, ben}, []string{tina.Address, ben.Address}, true},
		{"each address once", tina, []wire.MailAddress{anna, upper(tina), ben, upper(ben)}, []string{tina.Address, ben.Address}, true},
		{"my class", tina, []wire.MailAddress{class}, []string{tina.Address, class.Address}, true},
		{"me in capitals", tina, []wire.MailAddress{upper(anna)}, []string{tina.Address}, false},
		{"from the server", wire.MailAddress{Name: "Schulserver", Kind: "system"}, []wire.MailAddress{anna}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := wire.MailMessage{MailSummary: wire.MailSummary{From: tt.from, To: tt.to}}
			var got []string
			for _, a := range mailReplyAllRecipients(m, self) {
				got = append(got, a.Address)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if many := mailManyToAnswer(m, self); many != tt.many {
				t.Errorf("many: got %v, want %v", many, tt.many)
			}
		})
	}
}
