package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The mail search end to end: GET /api/v1/mail/search through the real
// HTTPS listener with the Go client.

// searchSubjects runs a search through every page and returns the
// subjects with their folders ("inbox:Subject").
func searchSubjects(t *testing.T, c *serverapi.Client, q, folder string, limit int) []string {
	t.Helper()
	var out []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatalf("search %q: more than 20 pages", q)
		}
		p, err := c.MailSearch(ctx, q, folder, cursor, limit)
		if err != nil {
			t.Fatalf("search %q in %q: %v", q, folder, err)
		}
		if limit > 0 && len(p.Messages) > limit {
			t.Errorf("search %q: page of %d, limit %d", q, len(p.Messages), limit)
		}
		for _, m := range p.Messages {
			out = append(out, m.Folder+":"+m.Subject)
		}
		if p.Next == "" {
			return out
		}
		cursor = p.Next
	}
}

func TestMailSearch(t *testing.T) {
	s := newSchool(t)
	anna, teacher, clara, admin := s.as(s.Pupil), s.as(s.Teacher), s.as(s.OtherPupil), s.as(s.Admin)
	up, err := teacher.MailUpload(ctx, "Bruchrechnen.pdf", strings.NewReader("%PDF"), 4)
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := teacher.MailSend(ctx, wire.MailSend{To: []string{mailAddr(s.Pupil), mailAddr(s.Pupil2)}, Subject: "Übungsblatt Mathe",
		Body: "Bis Freitag, bitte.", Attachments: []int64{up.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "Hausaufgaben", Body: "Hast du das Übungsblatt?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := clara.MailSend(ctx, wire.MailSend{To: []string{s.OtherTeacher}, Subject: "Geheimnis", Body: "Übungsblatt Mathe"}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := teacher.MailSend(ctx, wire.MailSend{To: []string{"3a"}, Subject: fmt.Sprintf("Elternbrief %d", i), Body: "Bitte unterschreiben."}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("a summary as in the folder", func(t *testing.T) {
		p, err := anna.MailSearch(ctx, "bruchrechnen", "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Messages) != 1 || p.Next != "" {
			t.Fatalf("got %+v, want the sheet alone", p)
		}
		m := p.Messages[0]
		if m.ID != sheet.ID || m.Folder != wire.MailInbox || m.From.Address != mailAddr(s.Teacher) || m.From.Name != "Tina Lehmann" ||
			len(m.To) != 2 || m.AttachmentCount != 1 || m.Read {
			t.Errorf("got %+v", m)
		}
	})

	tests := []struct {
		name   string
		c      *serverapi.Client
		q      string
		folder string
		limit  int
		want   []string
	}{
		{"umlaut in any case, all folders", anna, "ÜBUNGSBLATT", "", 0, []string{"sent:Hausaufgaben", "inbox:Übungsblatt Mathe"}},
		{"lower case umlaut", anna, "übungsblatt mathe", "", 0, []string{"inbox:Übungsblatt Mathe"}},
		{"inbox only", anna, "übungsblatt", wire.MailInbox, 0, []string{"inbox:Übungsblatt Mathe"}},
		{"sent only", anna, "übungsblatt", wire.MailSent, 0, []string{"sent:Hausaufgaben"}},
		{"recipient's name", anna, "Becker", wire.MailInbox, 0, []string{"inbox:Übungsblatt Mathe"}},
		{"class as recipient, in pages of 2", anna, "Klasse 3a", "", 2, []string{"inbox:Elternbrief 5", "inbox:Elternbrief 4",
			"inbox:Elternbrief 3", "inbox:Elternbrief 2", "inbox:Elternbrief 1"}},
		{"another pupil's mail is not found", anna, "Geheimnis", "", 0, nil},
		{"she finds her own", clara, "Geheimnis", "", 0, []string{"sent:Geheimnis"}},
		{"and not Anna's", clara, "Hausaufgaben", "", 0, nil},
		{"an admin searches only the own mailbox", admin, "Übungsblatt", "", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := searchSubjects(t, tt.c, tt.q, tt.folder, tt.limit)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("refusals", func(t *testing.T) {
		for _, tt := range []struct {
			name, q, folder, cursor string
			limit                   int
			field, message          string
		}{
			{"too short", "a", "", "", 0, "q", "Bitte gib mindestens 2 Zeichen ein"},
			{"nothing", "  ", "", "", 0, "q", "mindestens 2 Zeichen"},
			{"unknown folder", "Mathe", "entwuerfe", "", 0, "folder", "Diesen Ordner gibt es nicht."},
			{"page too large", "Mathe", "", "", 500, "limit", "1 bis 100"},
			{"bad cursor", "Mathe", "", "abc", 0, "cursor", "Seitenzeiger"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := anna.MailSearch(ctx, tt.q, tt.folder, tt.cursor, tt.limit)
				var e *serverapi.Error
				if !asAPIError(err, &e) {
					t.Fatalf("got %v, want an error answer", err)
				}
				if e.Status != http.StatusBadRequest || e.Code != wire.CodeInvalid || !slices.Equal(e.Fields, []string{tt.field}) ||
					!strings.Contains(e.Message, tt.message) {
					t.Errorf("got %d %s %v %q, want 400 invalid [%s] saying %q", e.Status, e.Code, e.Fields, e.Message, tt.field, tt.message)
				}
			})
		}
	})

	t.Run("an inspection has no search", func(t *testing.T) {
		in, err := admin.InspectMailbox(ctx, s.Pupil, "Verdacht auf Mobbing")
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/admin/mail/inspections/" + in.ID + "/search?q=Mathe"
		if status, code := s.raw(admin.Token(), "GET", path, nil); status != http.StatusNotFound || code != wire.CodeNotFound {
			t.Errorf("GET %s: got %d %s, want 404 not_found", path, status, code)
		}
	})
}
