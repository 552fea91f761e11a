package api_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// The mail module end to end: the real HTTPS listener on loopback, the
// Go client the desktop client uses.

// mailAddr is a login's school address.
func mailAddr(login string) string { return login + "@gsborsum.de" }

// mailIDs lists the ids of a folder's first page.
func mailIDs(t *testing.T, c *serverapi.Client, folder string) []int64 {
	t.Helper()
	p, err := c.MailPage(ctx, folder, "", 100)
	if err != nil {
		t.Fatalf("page %s: %v", folder, err)
	}
	ids := []int64{}
	for _, m := range p.Messages {
		ids = append(ids, m.ID)
	}
	return ids
}

// mailFolder returns one folder's counts.
func mailFolder(t *testing.T, c *serverapi.Client, name string) wire.MailFolder {
	t.Helper()
	list, err := c.MailFolders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no folder %s in %+v", name, list)
	return wire.MailFolder{}
}

// mailFiller yields n bytes without ever holding them: the uploads of the
// size tests come from it, not from a buffer.
type mailFiller struct{ n int64 }

func (f *mailFiller) Read(b []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > f.n {
		b = b[:f.n]
	}
	for i := range b {
		b[i] = 'x'
	}
	f.n -= int64(len(b))
	return len(b), nil
}

// blobFiles counts the stored files of the rig.
func (s *school) blobFiles() int {
	s.t.Helper()
	n := 0
	filepath.WalkDir(s.Blobs.Dir(), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestMailHappyPaths(t *testing.T) {
	s := newSchool(t)
	anna, ben, teacher, clara := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.Teacher), s.as(s.OtherPupil)

	// Anna writes to her classmate with an attachment.
	content := []byte("Hausaufgaben: Seite 12, Nummer 3")
	up, err := anna.MailUpload(ctx, `C:\Users\anna\Hausaufgaben "neu" für Ben.txt`, bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := up.Name, "Hausaufgaben _neu_ für Ben.txt"; got != want {
		t.Errorf("sanitised name: got %q, want %q", got, want)
	}
	if list, err := anna.MailUploads(ctx); err != nil || len(list) != 1 {
		t.Errorf("waiting uploads: got %d, %v, want 1", len(list), err)
	}
	sent, err := anna.MailSend(ctx, wire.MailSend{To: []string{mailAddr(s.Pupil2)}, Subject: "Hausaufgaben", Body: "Hier.", Attachments: []int64{up.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Folder != wire.MailSent || len(sent.Attachments) != 1 || sent.AttachmentCount != 1 {
		t.Errorf("sender's copy: got %+v", sent)
	}

	t.Run("classmate reads it", func(t *testing.T) {
		f := mailFolder(t, ben, wire.MailInbox)
		if f.Total != 1 || f.Unread != 1 || f.Title != "Posteingang" {
			t.Errorf("inbox: got %+v, want 1 unread", f)
		}
		p, err := ben.MailPage(ctx, wire.MailInbox, "", 0)
		if err != nil || len(p.Messages) != 1 || p.Next != "" {
			t.Fatalf("page: got %+v, %v", p, err)
		}
		if got := p.Messages[0]; got.From.Address != mailAddr(s.Pupil) || got.From.Name != "Anna Schmidt" || got.Read || got.AttachmentCount != 1 {
			t.Errorf("summary: got %+v", got)
		}
		m, err := ben.MailMessage(ctx, sent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Body != "Hier." || !m.Read {
			t.Errorf("message: got %+v", m)
		}
		if f := mailFolder(t, ben, wire.MailInbox); f.Unread != 0 {
			t.Errorf("after opening: got %d unread, want 0", f.Unread)
		}
		var buf bytes.Buffer
		name, n, err := ben.MailDownload(ctx, m.ID, m.Attachments[0].ID, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if name != "Hausaufgaben _neu_ für Ben.txt" || n != int64(len(content)) || !bytes.Equal(buf.Bytes(), content) {
			t.Errorf("download: got %q, %d bytes %q", name, n, buf.Bytes())
		}
		if err := ben.MailSetRead(ctx, m.ID, false); err != nil {
			t.Fatal(err)
		}
		if f := mailFolder(t, ben, wire.MailInbox); f.Unread != 1 {
			t.Errorf("marked unread: got %d unread, want 1", f.Unread)
		}
	})

	t.Run("pupil writes to the own class", func(t *testing.T) {
		m, err := anna.MailSend(ctx, wire.MailSend{To: []string{"3a"}, Subject: "Klassenfest", Body: "Wer bringt Kuchen mit?"})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.To) != 1 || m.To[0].Name != "Klasse 3a" || m.To[0].Kind != "class" {
			t.Errorf("to: got %+v", m.To)
		}
		for _, c := range []*serverapi.Client{ben, teacher} {
			if !slices.Contains(mailIDs(t, c, wire.MailInbox), m.ID) {
				t.Errorf("a member of 3a did not get the class mail")
			}
		}
		if slices.Contains(mailIDs(t, clara, wire.MailInbox), m.ID) {
			t.Errorf("a pupil of 4b got 3a's mail")
		}
	})

	t.Run("teacher writes to all pupils", func(t *testing.T) {
		m, err := teacher.MailSend(ctx, wire.MailSend{To: []string{"schueler@gsborsum.de"}, Subject: "Hitzefrei", Body: "Ab 11 Uhr."})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []*serverapi.Client{anna, ben, clara} {
			if !slices.Contains(mailIDs(t, c, wire.MailInbox), m.ID) {
				t.Errorf("a pupil did not get the mail to all pupils")
			}
		}
	})

	t.Run("reply and forward", func(t *testing.T) {
		r, err := ben.MailSend(ctx, wire.MailSend{To: []string{s.Pupil}, Body: "Danke!", ReplyTo: sent.ID})
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != "AW: Hausaufgaben" || r.InReplyTo != sent.ID {
			t.Errorf("reply: got subject %q, in reply to %d", r.Subject, r.InReplyTo)
		}
		if !slices.Contains(mailIDs(t, anna, wire.MailInbox), r.ID) {
			t.Errorf("anna did not get the reply")
		}
		f, err := ben.MailSend(ctx, wire.MailSend{To: []string{s.Teacher}, Body: "Stimmt das?", ForwardOf: sent.ID})
		if err != nil {
			t.Fatal(err)
		}
		if f.Subject != "WG: Hausaufgaben" || len(f.Attachments) != 1 || !strings.Contains(f.Body, "Weitergeleitete Nachricht") {
			t.Errorf("forward: got %+v", f)
		}
		var buf bytes.Buffer
		if _, _, err := teacher.MailDownload(ctx, f.ID, f.Attachments[0].ID, &buf); err != nil || !bytes.Equal(buf.Bytes(), content) {
			t.Errorf("teacher downloads the forwarded attachment: got %q, %v", buf.Bytes(), err)
		}
	})

	t.Run("trash, restore, delete", func(t *testing.T) {
		if err := ben.MailTrash(ctx, sent.ID); err != nil {
			t.Fatal(err)
		}
		if ids := mailIDs(t, ben, wire.MailTrash); !slices.Equal(ids, []int64{sent.ID}) {
			t.Errorf("trash: got %v, want [%d]", ids, sent.ID)
		}
		if err := ben.MailRestore(ctx, sent.ID); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(mailIDs(t, ben, wire.MailInbox), sent.ID) {
			t.Errorf("restored message not in the inbox")
		}
		err := ben.MailDelete(ctx, sent.ID)
		wantCode(t, err, wire.CodeInvalid, "delete outside the trash")
		if err := ben.MailTrash(ctx, sent.ID); err != nil {
			t.Fatal(err)
		}
		if err := ben.MailDelete(ctx, sent.ID); err != nil {
			t.Fatal(err)
		}
		_, err = ben.MailMessage(ctx, sent.ID)
		wantCode(t, err, wire.CodeNotFound, "deleted message")
		// Anna still has her copy.
		if _, err := anna.MailMessage(ctx, sent.ID); err != nil {
			t.Errorf("anna's copy: %v", err)
		}
	})

	t.Run("recipient suggestions", func(t *testing.T) {
		list, err := anna.MailRecipients(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sg := range list {
			got = append(got, sg.Address)
		}
		if !slices.Contains(got, mailAddr("3a")) || slices.Contains(got, mailAddr("4b")) || slices.Contains(got, mailAddr("schueler")) {
			t.Errorf("pupil's groups: got %v, want 3a only", got)
		}
		list, err = anna.MailRecipients(ctx, "Roth", 0)
		if err != nil || len(list) != 1 || list[0].Address != mailAddr(s.OtherPupil) || list[0].Detail != "Klasse 4b" {
			t.Errorf("by name: got %+v, %v", list, err)
		}
	})
}

func TestMailRefusals(t *testing.T) {
	s := newSchool(t)
	anna, ben, clara, admin := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.OtherPupil), s.as(s.Admin)
	up, err := anna.MailUpload(ctx, "a.txt", strings.NewReader("A"), 1)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "Privat", Attachments: []int64{up.ID}})
	if err != nil {
		t.Fatal(err)
	}
	bensUpload, err := ben.MailUpload(ctx, "b.txt", strings.NewReader("B"), 1)
	if err != nil {
		t.Fatal(err)
	}
	many := []string{s.OtherPupil, s.Teacher, s.OtherTeacher, s.Secretary, s.Admin, s.Protocol, s.MustChange, s.Pupil2}
	for _, n := range []string{"Erik", "Frieda", "Gerd"} {
		many = append(many, s.Rig.AddPerson(n, "Extra", directory.Pupil, pupilPW, "4b"))
	}

	tests := []struct {
		name    string
		call    func() error
		status  int
		code    string
		message string // part of the German message
	}{
		{"external address", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{"oma@web.de"}, Subject: "Hallo"})
			return err
		}, 400, wire.CodeInvalid, "Mail geht nur an Adressen der Schule (@gsborsum.de)."},
		{"pupil to another class", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{"4b@gsborsum.de"}, Subject: "Hallo"})
			return err
		}, 403, wire.CodeForbidden, "nur an deine eigene Klasse"},
		{"pupil to all pupils", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{"schueler"}, Subject: "Hallo"})
			return err
		}, 403, wire.CodeForbidden, "dürfen Kinder nicht schreiben"},
		{"pupil to all teachers", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{"lehrer@gsborsum.de"}, Subject: "Hallo"})
			return err
		}, 403, wire.CodeForbidden, "„Alle Lehrkräfte“"},
		{"pupil to too many people", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: many, Subject: "Kettenbrief"})
			return err
		}, 400, wire.CodeInvalid, "höchstens 10 einzelne Personen"},
		{"unknown address", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{"weihnachtsmann"}, Subject: "Wunschzettel"})
			return err
		}, 400, wire.CodeInvalid, "gibt es an der Schule nicht"},
		{"someone else's message", func() error { _, err := clara.MailMessage(ctx, msg.ID); return err }, 404, wire.CodeNotFound, "gibt es nicht"},
		{"an admin without inspection", func() error { _, err := admin.MailMessage(ctx, msg.ID); return err }, 404, wire.CodeNotFound, "gibt es nicht"},
		{"trash someone else's message", func() error { return clara.MailTrash(ctx, msg.ID) }, 404, wire.CodeNotFound, "gibt es nicht"},
		{"someone else's attachment", func() error {
			_, _, err := clara.MailDownload(ctx, msg.ID, msg.Attachments[0].ID, io.Discard)
			return err
		}, 404, wire.CodeNotFound, "Anhang"},
		{"sending someone else's upload", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "x", Attachments: []int64{bensUpload.ID}})
			return err
		}, 400, wire.CodeInvalid, "Anhang"},
		{"deleting someone else's upload", func() error { return anna.MailDeleteUpload(ctx, bensUpload.ID) }, 404, wire.CodeNotFound, "Anhang"},
		{"forwarding someone else's message", func() error {
			_, err := clara.MailSend(ctx, wire.MailSend{To: []string{s.OtherTeacher}, ForwardOf: msg.ID})
			return err
		}, 404, wire.CodeNotFound, "gibt es nicht"},
		{"unknown folder", func() error { _, err := anna.MailPage(ctx, "entwuerfe", "", 0); return err }, 404, wire.CodeNotFound, "Ordner"},
		{"page too large", func() error { _, err := anna.MailPage(ctx, wire.MailInbox, "", 500); return err }, 400, wire.CodeInvalid, "1 bis 100"},
		{"bad cursor", func() error { _, err := anna.MailPage(ctx, wire.MailInbox, "abc", 0); return err }, 400, wire.CodeInvalid, "Seitenzeiger"},
		{"inspection by a teacher", func() error {
			_, err := s.as(s.Teacher).InspectMailbox(ctx, s.Pupil, "Neugier")
			return err
		}, 403, wire.CodeForbidden, "Das darfst du nicht."},
		{"inspection without reason", func() error { _, err := admin.InspectMailbox(ctx, s.Pupil, " "); return err }, 400, wire.CodeInvalid, "Grund"},
		{"made-up inspection", func() error {
			_, err := admin.InspectionFolders(ctx, "00000000000000000000000000000000")
			return err
		}, 404, wire.CodeNotFound, "Einsicht"},
		{"JSON body over 1 MB", func() error {
			_, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Body: strings.Repeat("x", 1<<20)})
			return err
		}, 413, wire.CodeTooLarge, "höchstens 1 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var e *serverapi.Error
			if !asAPIError(err, &e) {
				t.Fatalf("got %v, want an error answer", err)
			}
			if e.Status != tt.status || e.Code != tt.code {
				t.Errorf("got %d %s, want %d %s", e.Status, e.Code, tt.status, tt.code)
			}
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("got message %q, want it to contain %q", e.Message, tt.message)
			}
		})
	}
	// Refusals are answers, not faults of the server: nothing at ERROR.
	if strings.Contains(s.Log.String(), "level=ERROR") {
		t.Errorf("refusals logged as errors:\n%s", s.Log.String())
	}
}

func asAPIError(err error, target **serverapi.Error) bool { return errors.As(err, target) }

func TestMailRateLimit(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	for i := 0; i < 20; i++ { // mail.DefaultConfig.PupilsPerHour
		if _, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "Nachricht"}); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	_, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "Nachricht"})
	wantCode(t, err, wire.CodeRateLimited, "21st message within the hour")
	if msg := serverapi.Message(err); !strings.Contains(msg, "schon 20 Nachrichten") {
		t.Errorf("got %q, want the German explanation", msg)
	}
	// Others are not held up by Anna.
	if _, err := s.as(s.Pupil2).MailSend(ctx, wire.MailSend{To: []string{s.Pupil}, Subject: "Hör auf"}); err != nil {
		t.Errorf("ben: %v", err)
	}
}

func TestMailModuleSwitchedOff(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	if _, err := anna.MailFolders(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleMail, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err := anna.MailFolders(ctx)
	wantCode(t, err, wire.CodeNotFound, "folders with mail off")
	_, err = anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "x"})
	wantCode(t, err, wire.CodeNotFound, "send with mail off")
	_, err = s.as(s.Admin).InspectMailbox(ctx, s.Pupil, "Verdacht")
	wantCode(t, err, wire.CodeNotFound, "inspection with mail off")
	sess, err := anna.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sess.Modules, wire.ModuleMail) {
		t.Errorf("session lists mail as on: %v", sess.Modules)
	}
}

func TestMailInspectionFlow(t *testing.T) {
	s := newSchool(t)
	anna, ben, admin := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.Admin)
	secret, err := ben.MailSend(ctx, wire.MailSend{To: []string{s.Pupil}, Subject: "Geheim", Body: "Nicht weitersagen"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := admin.InspectMailbox(ctx, s.Pupil, "Verdacht auf Mobbing")
	if err != nil {
		t.Fatal(err)
	}
	if in.Login != s.Pupil || in.Name != "Anna Schmidt" || in.Expires.IsZero() {
		t.Errorf("got %+v", in)
	}

	t.Run("admin reads without marking read", func(t *testing.T) {
		folders, err := admin.InspectionFolders(ctx, in.ID)
		if err != nil || folders[0].Total != 2 || folders[0].Unread != 2 {
			t.Fatalf("folders: got %+v, %v", folders, err)
		}
		p, err := admin.InspectionPage(ctx, in.ID, wire.MailInbox, "", 10)
		if err != nil || len(p.Messages) != 2 {
			t.Fatalf("page: got %+v, %v", p, err)
		}
		m, err := admin.InspectionMessage(ctx, in.ID, secret.ID)
		if err != nil || m.Body != "Nicht weitersagen" {
			t.Fatalf("message: got %+v, %v", m, err)
		}
		if f := mailFolder(t, anna, wire.MailInbox); f.Unread != 2 {
			t.Errorf("anna's unread after the admin read: got %d, want 2", f.Unread)
		}
		// The admin's own mailbox is untouched, and the normal routes still
		// refuse them anna's message.
		_, err = admin.MailMessage(ctx, secret.ID)
		wantCode(t, err, wire.CodeNotFound, "admin's own route")
	})

	t.Run("owner is told at once", func(t *testing.T) {
		p, err := anna.MailPage(ctx, wire.MailInbox, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		notice := p.Messages[0]
		if !notice.System || notice.Subject != "Dein Postfach wurde eingesehen" || notice.From.Kind != "system" {
			t.Fatalf("newest message: got %+v, want the notice", notice)
		}
		m, err := anna.MailMessage(ctx, notice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Body, "Ein Administrator (Adam Admin) hat am") || !strings.Contains(m.Body, "Grund: Verdacht auf Mobbing") {
			t.Errorf("notice: got %q", m.Body)
		}
	})

	t.Run("the protocol holder sees it", func(t *testing.T) {
		list, err := s.as(s.Protocol).Protocol(ctx, serverapi.ProtocolQuery{Kind: "mail.inspect"})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Actor != s.Admin || list[0].Target != s.Pupil || list[0].Detail != "Verdacht auf Mobbing" {
			t.Errorf("protocol: got %+v", list)
		}
		_, err = admin.Protocol(ctx, serverapi.ProtocolQuery{Kind: "mail.inspect"})
		wantCode(t, err, wire.CodeForbidden, "admin without the protocol right")
	})

	t.Run("another admin cannot use it", func(t *testing.T) {
		other := s.Rig.AddPerson("Olga", "Admin", directory.Admin, staffPW)
		_, err := s.as(other).InspectionFolders(ctx, in.ID)
		wantCode(t, err, wire.CodeNotFound, "another admin's inspection")
	})

	t.Run("attachments of the inspected mailbox", func(t *testing.T) {
		up, err := ben.MailUpload(ctx, "beweis.txt", strings.NewReader("Beweis"), -1)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ben.MailSend(ctx, wire.MailSend{To: []string{s.Pupil}, Subject: "Datei", Attachments: []int64{up.ID}})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, _, err := admin.InspectionDownload(ctx, in.ID, m.ID, m.Attachments[0].ID, &buf); err != nil || buf.String() != "Beweis" {
			t.Errorf("got %q, %v", buf.String(), err)
		}
	})
}

// A 25 MB upload is refused without the server's memory growing by 25 MB:
// with a Content-Length the framework refuses it before reading a byte;
// without one (chunked) the body streams to disk and is cut where it
// crosses 20 MB. The server runs in this process, so the allocation
// counter covers it (and the client, which only makes it stricter).
func TestMailUploadOver20MB(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	const size = 25 << 20
	for _, tt := range []struct {
		name   string
		length int64
	}{{"with Content-Length", size}, {"chunked without length", -1}} {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := anna.MailUpload(ctx, "film.mp4", &mailFiller{n: size}, tt.length)
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
			if list, err := anna.MailUploads(ctx); err != nil || len(list) != 0 {
				t.Errorf("uploads: got %d, %v, want none", len(list), err)
			}
		})
	}
}
