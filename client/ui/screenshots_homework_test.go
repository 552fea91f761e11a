package ui

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// screenshotsHomework renders the homework and forum screens for
// docs/screenshots: the pupil's list and hand-in, the teacher's editor,
// class overview and hand-ins, a forum and a topic, and a topic as its
// moderator sees it. It uses the world's
// own class 3a (Anna, Ben, their teacher Tina Lehmann), which exists
// beside the demo school; TestScreenshots calls it with its shot.
func screenshotsHomework(t *testing.T, w *world, shot func(u *UI, name string)) {
	t.Helper()
	teacher := w.apiAs(w.Teacher)
	dd, err := teacher.HomeworkDueDates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	earliest, _ := calParseDay(dd.EarliestDue)
	later := earliest.AddDate(0, 0, 7)
	for later.Weekday() == 0 || later.Weekday() == 6 {
		later = later.AddDate(0, 0, 1)
	}
	set := func(title, text, due string) wire.Homework {
		h, err := teacher.SetHomework(ctx, wire.HomeworkInput{Group: "3a", Title: title, Text: text, Start: dd.Start, Due: due})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	sums := set("Rechnen bis 100", "Buch Seite 12, Aufgaben 1 bis 4. Schreib die Rechenwege auf.", dd.EarliestDue)
	poster := set("Plakat: Unser Wald", "Male ein Plakat über die Tiere im Wald. Ein Foto davon kannst du hier abgeben.", later.Format(calDateLayout))
	reading := set("Lesen", "Lies im Lesebuch die Geschichte „Der kleine Igel“ (Seite 20 bis 25).", later.Format(calDateLayout))
	pupil := w.apiAs(w.Pupil)
	if _, err := pupil.SetHomeworkProgress(ctx, reading.ID, wire.HomeworkStarted); err != nil {
		t.Fatal(err)
	}
	photo := []byte("ein Foto vom Plakat")
	if _, err := pupil.HandInFile(ctx, poster.ID, "Plakat.jpg", bytes.NewReader(photo), int64(len(photo))); err != nil {
		t.Fatal(err)
	}
	if _, err := teacher.HomeworkFeedback(ctx, poster.ID, w.Pupil, "Ein tolles Plakat! Die Eule ist dir besonders gut gelungen."); err != nil {
		t.Fatal(err)
	}
	ben := w.apiAs(w.Pupil2)
	if _, err := ben.HandInText(ctx, sums.ID, "Aufgabe 1: 45 + 23 = 68\nAufgabe 2: 70 - 18 = 52"); err != nil {
		t.Fatal(err)
	}

	// The pupil: her list, then handing in.
	answer := filepath.Join(t.TempDir(), "Rechnung.jpg")
	if err := os.WriteFile(answer, []byte("ein Foto vom Heft"), 0o600); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	u.opts.PickFile = func(done func(string)) { done(answer) }
	w.loggedIn(u, w.Pupil)
	u.showHomework()
	u.Wait()
	shot(u, "homework-list")
	s, _ := u.screen(hwKey).(*HomeworkScreen)
	if s == nil {
		t.Fatal("no homework screen")
	}
	s.openWork(sums.ID)
	u.Wait()
	if s.Work == nil {
		t.Fatalf("the homework did not open: %q", s.Message.Text)
	}
	s.Work.Answer.SetText("Aufgabe 1: 45 + 23 = 68\nAufgabe 2: 70 - 18 = 52\nAufgabe 3: 9 · 8 = 72")
	s.Work.sendText()
	u.Wait()
	s.Work.addFile()
	u.Wait()
	shot(u, "homework-handin")
	u.Logout("")
	u.Wait()

	// The teacher: a new homework, the class overview, the hand-ins.
	tu := w.newUI(config.ModeStaff)
	w.loggedIn(tu, w.Teacher)
	tu.showHomework()
	tu.Wait()
	ts, _ := tu.screen(hwKey).(*HomeworkScreen)
	ts.openEditor(nil)
	tu.Wait()
	ts.Editor.Title.SetText("Einmaleins mit 7")
	ts.Editor.Text.SetText("Übe die Siebenerreihe und schreib sie einmal ins Heft.")
	shot(tu, "homework-editor")
	ts.openOverview("3a")
	tu.Wait()
	shot(tu, "homework-overview")
	ts.openHandinsAt(sums.ID, w.Pupil, "", "")
	tu.Wait()
	if ts.Handins != nil {
		ts.Handins.Pupil.Feedback.SetText("Richtig gerechnet, prima!")
	}
	shot(tu, "homework-handins")
	tu.Logout("")
	tu.Wait()

	// A forum topic of the class.
	class := forumOf(t, ben, "Klasse 3a")
	page, err := teacher.NewForumTopic(ctx, class.ID, "Ausflug in den Zoo", "Am Freitag fahren wir in den Zoo. Welche Tiere wollt ihr unbedingt sehen?")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		c    *serverapi.Client
		text string
	}{{pupil, "Die Elefanten!"}, {ben, "Ich will zu den Pinguinen. Die werden um 11 Uhr gefüttert."}} {
		if _, err := p.c.ForumReply(ctx, page.Topic.ID, p.text); err != nil {
			t.Fatal(err)
		}
	}
	fu := w.newUI(config.ModeStaff)
	w.loggedIn(fu, w.Pupil)
	fu.showForum()
	fu.Wait()
	fs, _ := fu.screen(forumKey).(*ForumScreen)
	shot(fu, "forum-list")
	fs.openTopic(page.Topic.ID)
	fu.Wait()
	if fs.Topic != nil {
		fs.Topic.Reply.SetText("Und die Affen!")
	}
	shot(fu, "forum-topic")
	fu.Logout("")
	fu.Wait()

	// The class teacher moderates her class's forum: the buttons, and the
	// reason asked before a post goes.
	if err := teacher.AddForumModerator(ctx, class.ID, w.Teacher); err != nil {
		t.Fatal(err)
	}
	mu := w.newUI(config.ModeStaff)
	w.loggedIn(mu, w.Teacher)
	mu.showForum()
	mu.Wait()
	ms, _ := mu.screen(forumKey).(*ForumScreen)
	ms.openTopic(page.Topic.ID)
	mu.Wait()
	if ms.Topic != nil {
		if p := ms.Topic.PostWith("Pinguinen"); p != nil {
			test.Tap(p.Delete)
			p.Ask.Reason.SetText("Gehört nicht hierher")
		}
	}
	shot(mu, "forum-moderation")
	mu.Logout("")
	mu.Wait()
}

// TestHomeworkScreenshotsRender renders the homework and forum
// screenshots into memory: every screen draws without a panic and shows
// something, whether or not KASPEL_SCREENSHOTS asks for the files.
func TestHomeworkScreenshotsRender(t *testing.T) {
	w := newWorld(t)
	var names []string
	screenshotsHomework(t, w, func(u *UI, name string) {
		t.Helper()
		u.Wait()
		u.win.Resize(fyne.NewSize(1100, 720))
		u.win.Content().Refresh()
		img := u.win.Canvas().Capture()
		if img.Bounds().Dx() < 1000 || hwUniform(img) {
			t.Errorf("%s: an empty picture (%v)", name, img.Bounds())
		}
		names = append(names, name)
	})
	want := []string{"homework-list", "homework-handin", "homework-editor", "homework-overview", "homework-handins", "forum-list", "forum-topic", "forum-moderation"}
	if len(names) != len(want) {
		t.Errorf("shots: %v, want %v", names, want)
	}
}

// hwUniform tells a picture of one colour (nothing drawn).
func hwUniform(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}
