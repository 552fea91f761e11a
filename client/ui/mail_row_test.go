package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kaspel/shared/wire"
)

// The list's date is shown whole: a list reuses its rows, and a row whose
// date's text grows („27.11.“ to „heute, 10:47“) is laid out again —
// before, the date kept the width of the text before and was cut to „h“.
func TestMailRowDateNotCut(t *testing.T) {
	test.NewTempApp(t)
	now := time.Date(2026, 11, 27, 10, 47, 0, 0, time.Local)
	r := newMailRow()
	w := test.NewTempWindow(t, r)
	w.Resize(fyne.NewSize(460, 80))
	from := wire.MailAddress{Name: "Ali Kowalski", Address: "ali.kowalski@gsborsum.de"}
	r.set(wire.MailSummary{From: from, Subject: "Alt", SentAt: now.AddDate(0, 0, -30), Read: true}, wire.MailInbox, "", now)
	r.Resize(fyne.NewSize(460, 80))
	r.set(wire.MailSummary{From: from, Subject: "Dein Bild", SentAt: now}, wire.MailInbox, "", now)
	if r.date.Text != "heute, 10:47" {
		t.Fatalf("the date: %q", r.date.Text)
	}
	if got, need := r.date.Size().Width, r.date.MinSize().Width; got < need {
		t.Errorf("the date %q has %.0f of the %.0f it needs", r.date.Text, got, need)
	}
}
