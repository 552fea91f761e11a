package mail

import (
	"io"
	"strings"
	"testing"
	"time"

	"kaspel/shared/wire"
)

func TestSanitizeFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bild.png", "Bild.png"},
		{`C:\Users\anna\Desktop\Bild.png`, "Bild.png"},
		{"../../etc/passwd", "passwd"},
		{"  .versteckt.txt. ", "versteckt.txt"},
		{"a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt"},
		{"zeile\neins.txt", "zeile_eins.txt"},
		{"rechnung\u202etxt.exe", "rechnungtxt.exe"}, // no right-to-left trick
		{"CON.txt", "_CON.txt"},
		{"lpt1", "_lpt1"},
		{"Mu\u0308ller.pdf", "Müller.pdf"}, // NFD from a Mac becomes NFC
		{"", "anhang"},
		{"...", "anhang"},
		{"/", "anhang"},
		{"\xff\xfe.txt", "_.txt"},
		{strings.Repeat("a", 150) + ".pdf", strings.Repeat("a", MaxFileName-4) + ".pdf"},
		{strings.Repeat("ä", 150), strings.Repeat("ä", MaxFileName)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := SanitizeFileName(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUploadLimits(t *testing.T) {
	e := newEnv(t)
	t.Run("over 20 MB is refused and nothing is kept", func(t *testing.T) {
		before := e.blobFiles()
		_, err := e.svc.Upload(ctx, e.anna, "gross.bin", bytesOf(wire.MaxUpload+1))
		me, ok := AsError(err)
		if !ok || me.Kind != TooLarge || !strings.Contains(me.German, "höchstens 20 MB") {
			t.Fatalf("got %v, want TooLarge with a German message", err)
		}
		if got := e.blobFiles(); got != before {
			t.Errorf("blob files: got %d, want %d", got, before)
		}
		if got := e.count(`SELECT COUNT(*) FROM mail_uploads`); got != 0 {
			t.Errorf("upload rows: got %d, want 0", got)
		}
	})
	t.Run("exactly 20 MB is fine", func(t *testing.T) {
		u, err := e.svc.Upload(ctx, e.ben, "genau.bin", bytesOf(wire.MaxUpload))
		if err != nil {
			t.Fatal(err)
		}
		if u.Size != wire.MaxUpload {
			t.Errorf("size: got %d, want %d", u.Size, wire.MaxUpload)
		}
		if err := e.svc.DeleteUpload(ctx, e.ben.ID, u.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("waiting uploads together at most 20 MB", func(t *testing.T) {
		a, err := e.svc.Upload(ctx, e.anna, "a.bin", bytesOf(12<<20))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Upload(ctx, e.anna, "b.bin", io.MultiReader(strings.NewReader("b"), bytesOf(12<<20)))
		if got := kindOf(err); got != TooLarge {
			t.Errorf("second upload: got %v (%v), want TooLarge", got, err)
		}
		if err := e.svc.DeleteUpload(ctx, e.anna.ID, a.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("someone else's upload", func(t *testing.T) {
		u, err := e.svc.Upload(ctx, e.ben, "ben.txt", strings.NewReader("von Ben"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Send(ctx, e.anna, Draft{To: []string{e.clara.Login}, Subject: "x", Attachments: []int64{u.ID}})
		if me, ok := AsError(err); !ok || me.Kind != Invalid || me.Field != "attachments" {
			t.Errorf("send with ben's upload: got %v, want Invalid on attachments", err)
		}
		if err := e.svc.DeleteUpload(ctx, e.anna.ID, u.ID); kindOf(err) != NotFound {
			t.Errorf("delete ben's upload: got %v, want NotFound", err)
		}
		if list, _ := e.svc.Uploads(ctx, e.ben.ID); len(list) != 1 {
			t.Errorf("ben's uploads: got %d, want 1 (untouched)", len(list))
		}
	})
	t.Run("at most MaxAttachments waiting", func(t *testing.T) {
		p := e.add("Viele", "Anhänge", "pupil", "3a")
		for i := 0; i < MaxAttachments; i++ {
			if _, err := e.svc.Upload(ctx, p, "x.txt", strings.NewReader("x")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.Upload(ctx, p, "x.txt", strings.NewReader("x")); kindOf(err) != Invalid {
			t.Errorf("got %v, want Invalid", err)
		}
	})
	t.Run("old uploads expire", func(t *testing.T) {
		p := e.add("Alte", "Anhänge", "pupil", "3a")
		old, err := e.svc.Upload(ctx, p, "alt.txt", strings.NewReader("alt"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Upload(ctx, e.clara, "alt.txt", strings.NewReader("alt")); err != nil {
			t.Fatal(err)
		}
		e.clock.add(UploadLifetime + time.Minute)
		if list, _ := e.svc.Uploads(ctx, p.ID); len(list) != 0 {
			t.Errorf("got %d uploads listed, want 0", len(list))
		}
		_, err = e.svc.Send(ctx, p, Draft{To: []string{e.ben.Login}, Subject: "x", Attachments: []int64{old.ID}})
		if got := kindOf(err); got != Invalid {
			t.Errorf("sending an expired upload: got %v (%v), want Invalid", got, err)
		}
		n, err := e.svc.SweepUploads(ctx)
		if err != nil || n < 1 {
			t.Errorf("sweep: got %d, %v, want at least 1", n, err)
		}
		if got := e.count(`SELECT COUNT(*) FROM mail_uploads WHERE person_id = ?`, p.ID); got != 0 {
			t.Errorf("rows: got %d, want 0", got)
		}
	})
}

func TestAttachmentsOfAMessage(t *testing.T) {
	e := newEnv(t)
	a, err := e.svc.Upload(ctx, e.anna, "gross.bin", bytesOf(15<<20))
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.svc.Upload(ctx, e.anna, "Plan.txt", strings.NewReader("Stundenplan"))
	if err != nil {
		t.Fatal(err)
	}
	m := e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "Dateien", Attachments: []int64{b.ID, a.ID}})
	if len(m.Attachments) != 2 || m.Attachments[0].Name != "Plan.txt" || m.Attachments[1].Size != 15<<20 {
		t.Fatalf("attachments: got %+v", m.Attachments)
	}
	if list, _ := e.svc.Uploads(ctx, e.anna.ID); len(list) != 0 {
		t.Errorf("uploads after sending: got %d, want 0", len(list))
	}
	t.Run("recipient reads it", func(t *testing.T) {
		att, f, err := e.svc.OpenAttachment(ctx, e.ben.ID, m.ID, m.Attachments[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		if string(data) != "Stundenplan" || att.Name != "Plan.txt" {
			t.Errorf("got %q named %q", data, att.Name)
		}
	})
	t.Run("others do not", func(t *testing.T) {
		if _, _, err := e.svc.OpenAttachment(ctx, e.clara.ID, m.ID, m.Attachments[0].ID); kindOf(err) != NotFound {
			t.Errorf("got %v, want NotFound", err)
		}
		// Nor through a message of their own with someone else's attachment id.
		own := e.send(e.clara, Draft{To: []string{e.otto.Login}, Subject: "x"})
		if _, _, err := e.svc.OpenAttachment(ctx, e.clara.ID, own.ID, m.Attachments[0].ID); kindOf(err) != NotFound {
			t.Errorf("got %v, want NotFound", err)
		}
	})
	t.Run("forward over 20 MB in total", func(t *testing.T) {
		c, err := e.svc.Upload(ctx, e.ben, "noch.bin", bytesOf(6<<20))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Send(ctx, e.ben, Draft{To: []string{e.tina.Login}, ForwardOf: m.ID, Attachments: []int64{c.ID}})
		if me, ok := AsError(err); !ok || me.Kind != TooLarge || !strings.Contains(me.German, "zusammen größer als 20 MB") {
			t.Fatalf("got %v, want TooLarge", err)
		}
		// Nothing happened: the upload waits, tina got nothing.
		if list, _ := e.svc.Uploads(ctx, e.ben.ID); len(list) != 1 {
			t.Errorf("ben's uploads: got %d, want 1", len(list))
		}
		if got := len(e.folder(e.tina, Inbox)); got != 0 {
			t.Errorf("tina's inbox: got %d, want 0", got)
		}
	})
}
