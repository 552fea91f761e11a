package ui

import (
	"bytes"
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
)

// screenshotsChat renders the chat and files screens for
// docs/screenshots: a class room, the report form, the admin's report
// window and "Meine Dateien". It uses the world's own class 3a (Anna, Ben
// and Tina Lehmann), so it works beside whatever school TestScreenshots
// seeded. TestScreenshots calls it with its shot function.
func screenshotsChat(t *testing.T, w *world, shot func(u *UI, name string)) {
	t.Helper()
	anna, ben, tina := w.apiAs(w.Pupil), w.apiAs(w.Pupil2), w.apiAs(w.Teacher)
	rooms, err := tina.ChatRooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var room int64
	for _, r := range rooms {
		if r.Group == "3a" {
			room = r.ID
		}
	}
	if room == 0 {
		t.Fatalf("no room of 3a among %+v", rooms)
	}
	const bad = "Du kannst ja gar nichts, Anna!"
	for _, m := range []struct {
		who  string
		body string
	}{
		{"tina", "Guten Morgen, 3a! Denkt heute an eure Sportsachen."},
		{"ben", "Wer spielt in der Pause Fußball?"},
		{"anna", "Ich! Und Mia auch."},
		{"ben", bad},
		{"anna", "Das stimmt nicht."},
		{"tina", "Bitte seid freundlich zueinander."},
	} {
		api := tina
		switch m.who {
		case "anna":
			api = anna
		case "ben":
			api = ben
		}
		if _, err := api.ChatSend(ctx, room, m.body); err != nil {
			t.Fatal(err)
		}
	}

	// Anna's chat and the report form.
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	u.showChat()
	u.Wait()
	s := u.screen(chatKey).(*ChatScreen)
	defer stopChat(t, u)
	openChatRoom(t, u, s, "Klasse 3a")
	test.Type(s.Input, "Ich bringe einen Ball mit.")
	shot(u, "chat")
	test.Tap(chatRow(t, s, bad).Report)
	u.Wait()
	if f := s.Report; f != nil {
		f.Reasons.SetSelected("Beleidigung oder Mobbing")
		if f.Teacher != nil {
			f.Teacher.SetSelected("Tina Lehmann")
		}
		shot(u, "chat-report")
		test.Tap(f.Send)
		u.Wait()
	}

	// Anna's files.
	roots, err := anna.FilesRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	home := roots.Folders[0].ID
	if _, err := anna.FilesCreateFolder(ctx, home, "Sachunterricht"); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"Mein Haustier.txt": "Mein Hase heißt Flocke.", "Einmaleins.txt": "1 x 1 = 1"} {
		if _, err := anna.FilesUpload(ctx, home, name, bytes.NewReader([]byte(text)), int64(len(text))); err != nil {
			t.Fatal(err)
		}
	}
	u.showFiles()
	u.Wait()
	shot(u, "files")

	// The admin's report window.
	a := w.newUI(config.ModeStaff)
	w.loggedIn(a, w.Admin)
	a.showChatReports()
	a.Wait()
	if rs, ok := a.screen(chatReportsKey).(*ChatReportsScreen); ok && len(rs.Items) > 0 {
		test.Tap(rs.Items[0])
		a.Wait()
	}
	shot(a, "chat-report-view")
}
