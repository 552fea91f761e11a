package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// forumAdminButtons tells whether the screen offers changing and
// deleting the chosen forum.
func forumAdminButtons(s *ForumScreen) bool { return s.Change.Visible() || s.Delete.Visible() }

// forumListed tells whether c lists a forum by name (admins: every one).
func forumListed(t *testing.T, c *serverapi.Client, name string) (wire.Forum, bool) {
	t.Helper()
	list, err := c.Forums(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.Name == name {
			return f, true
		}
	}
	return wire.Forum{}, false
}

// forumSave taps the form's button and waits for the server.
func forumSave(t *testing.T, u *UI, f *ForumSchoolForm) {
	t.Helper()
	test.Tap(f.Create)
	u.Wait()
}

// forumFormProblem fails unless the form is still open with the
// server's refusal want and what was typed.
func forumFormProblem(t *testing.T, s *ForumScreen, f *ForumSchoolForm, want, name, description string) {
	t.Helper()
	if s.SchoolForum != f {
		t.Fatalf("the form closed after a refusal; screen message %q", s.Message.Text)
	}
	if f.Message.Text != want || !f.Message.Visible() || f.Message.Importance != widget.DangerImportance {
		t.Errorf("the form's message: %q; want the server's %q", f.Message.Text, want)
	}
	if f.Name.Text != name || f.Description.Text != description || !f.Roles[wire.RoleTeacher].Checked {
		t.Errorf("the form lost what was typed: name %q, description %q, teachers ticked %v",
			f.Name.Text, f.Description.Text, f.Roles[wire.RoleTeacher].Checked)
	}
}

func TestForumAdminChangesSchoolForum(t *testing.T) {
	w := newWorld(t)
	admin := w.apiAs(w.Admin)
	if _, err := admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Bücherei"}); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Admin)
	s := forumOpen(t, u)

	// A new school forum through the form, for everyone.
	test.Tap(s.NewForum)
	f := s.SchoolForum
	if f == nil || f.Forum != nil || f.Name.Text != "" {
		t.Fatal("no empty form for a new school forum")
	}
	test.Type(f.Name, "Pausenhof")
	test.Type(f.Description, "Alles rund um die Pause")
	forumSave(t, u, f)
	if s.SchoolForum != nil || s.Forum == nil || s.Forum.Name != "Pausenhof" {
		t.Fatalf("after creating: form open %v, forum %+v, message %q", s.SchoolForum != nil, s.Forum, f.Message.Text)
	}
	if !s.Change.Visible() || !s.Delete.Visible() {
		t.Fatal("no buttons to change and delete the admin's new school forum")
	}
	if _, ok := forumListed(t, w.apiAs(w.Pupil), "Pausenhof"); !ok {
		t.Fatal("a pupil does not read the forum for everyone")
	}

	// The form comes filled with the forum.
	test.Tap(s.Change)
	f = s.SchoolForum
	if f == nil || f.Forum == nil || f.Forum.Name != "Pausenhof" {
		t.Fatal("Forum ändern opened no form for the forum")
	}
	if f.Name.Text != "Pausenhof" || f.Description.Text != "Alles rund um die Pause" || f.Create.Text != "Änderung speichern" {
		t.Errorf("the filled form: name %q, description %q, button %q", f.Name.Text, f.Description.Text, f.Create.Text)
	}
	for r, c := range f.Roles {
		if c.Checked {
			t.Errorf("role %s ticked for a forum for everyone", r)
		}
	}

	// Only teachers, and a name that is taken: the server's words, in the
	// form, which keeps everything.
	test.Tap(f.Roles[wire.RoleTeacher])
	f.Name.SetText("bücherei")
	forumSave(t, u, f)
	forumFormProblem(t, s, f, "Ein Forum „bücherei“ gibt es schon.", "bücherei", "Alles rund um die Pause")
	f.Name.SetText("  ")
	forumSave(t, u, f)
	forumFormProblem(t, s, f, "Bitte gib dem Forum einen Namen.", "  ", "Alles rund um die Pause")
	if _, ok := forumListed(t, w.apiAs(w.Pupil), "Pausenhof"); !ok {
		t.Fatal("a refused change changed the forum")
	}

	f.Name.SetText("Lehrerzimmer")
	f.Description.SetText("Nur für das Kollegium")
	forumSave(t, u, f)
	if s.SchoolForum != nil {
		t.Fatalf("the form stays open after saving: %q", f.Message.Text)
	}
	if s.Heading.Text != "Lehrerzimmer" || s.Info.Text != "Nur für das Kollegium" || s.Message.Text != "Das Forum „Lehrerzimmer“ ist geändert." {
		t.Errorf("after saving: heading %q, description %q, message %q", s.Heading.Text, s.Info.Text, s.Message.Text)
	}
	if got := forumNames(s); !slices.Contains(got, "Lehrerzimmer") || slices.Contains(got, "Pausenhof") {
		t.Errorf("the list after renaming: %v", got)
	}
	if s.Forum == nil || s.Forum.Name != "Lehrerzimmer" || !s.Entry("Lehrerzimmer").Open.Visible() {
		t.Errorf("the chosen forum after saving: %+v", s.Forum)
	}

	// The server has it: teachers read it, pupils no longer.
	tf, ok := forumListed(t, w.apiAs(w.Teacher), "Lehrerzimmer")
	if !ok || !slices.Equal(tf.Roles, []string{wire.RoleTeacher}) || tf.Description != "Nur für das Kollegium" {
		t.Errorf("the teacher's view of the forum: %+v (listed %v)", tf, ok)
	}
	for _, name := range []string{"Lehrerzimmer", "Pausenhof"} {
		if _, ok := forumListed(t, w.apiAs(w.Pupil), name); ok {
			t.Errorf("a pupil still lists %q", name)
		}
	}

	// Opened again, the form shows the readers as saved.
	test.Tap(s.Change)
	f = s.SchoolForum
	for r, c := range f.Roles {
		if c.Checked != (r == wire.RoleTeacher) {
			t.Errorf("role %s ticked %v after restricting to teachers", r, c.Checked)
		}
	}
	test.Tap(f.Cancel)
	if s.SchoolForum != nil {
		t.Error("Abbrechen left the form open")
	}
}

func TestForumAdminDeletesSchoolForum(t *testing.T) {
	w := newWorld(t)
	admin := w.apiAs(w.Admin)
	yard, err := admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Pausenhof"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Bücherei"}); err != nil {
		t.Fatal(err)
	}
	noise, err := w.apiAs(w.Pupil2).NewForumTopic(ctx, yard.ID, "Lärm", "Auf dem Pausenhof ist es zu laut!")
	if err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Admin)
	s := forumOpen(t, u)
	forumChoose(t, u, s, "Pausenhof")
	names := forumNames(s)
	i := slices.Index(names, "Pausenhof")
	if i < 0 || i+1 >= len(names) {
		t.Fatalf("the admin's forums: %v", names)
	}
	next := names[i+1]

	// Asking first, and cancelling does nothing.
	test.Tap(s.Delete)
	if !s.DeleteAsk.Asking() {
		t.Fatal("Forum löschen did not ask first")
	}
	test.Tap(s.DeleteAsk.No)
	u.Wait()
	if s.DeleteAsk.Asking() {
		t.Error("the question stays after Abbrechen")
	}
	if _, ok := forumListed(t, admin, "Pausenhof"); !ok {
		t.Fatal("cancelling deleted the forum")
	}

	// With a topic: the question says so, the server refuses all the
	// same and the admin reads why; the forum stays.
	test.Tap(s.Delete)
	q := s.DeleteAsk.Question.Text
	if !strings.Contains(q, "„Pausenhof“") || !strings.Contains(q, "ein Thema") || !strings.Contains(q, "Moderation muss die Themen zuerst löschen") {
		t.Errorf("the question for a forum with a topic: %q", q)
	}
	test.Tap(s.DeleteAsk.Yes)
	u.Wait()
	want := "Im Forum „Pausenhof“ gibt es noch ein Thema. Die Moderation löscht es zuerst (mit Grund, fürs Protokoll)."
	if s.Message.Text != want || !s.Message.Visible() || s.Message.Importance != widget.DangerImportance {
		t.Errorf("the refusal: %q; want the server's %q", s.Message.Text, want)
	}
	if s.Entry("Pausenhof") == nil || s.Forum == nil || s.Forum.Name != "Pausenhof" || s.TopicRow("Lärm") == nil {
		t.Errorf("after the refusal: list %v, forum %+v", forumNames(s), s.Forum)
	}
	if _, ok := forumListed(t, admin, "Pausenhof"); !ok {
		t.Fatal("the server deleted a forum with a topic")
	}

	// A moderator deletes the topic; then the forum goes.
	if err := admin.AddForumModerator(ctx, yard.ID, w.Teacher); err != nil {
		t.Fatal(err)
	}
	if err := w.apiAs(w.Teacher).DeleteForumTopic(ctx, noise.Topic.ID, "Aufräumen"); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.Reload)
	u.Wait()
	test.Tap(s.Delete)
	q = s.DeleteAsk.Question.Text
	if !strings.Contains(q, "„Pausenhof“") || strings.Contains(q, "Thema") {
		t.Errorf("the question for an empty forum: %q", q)
	}
	test.Tap(s.DeleteAsk.Yes)
	u.Wait()
	if s.Entry("Pausenhof") != nil {
		t.Errorf("the deleted forum is still listed: %v (message %q)", forumNames(s), s.Message.Text)
	}
	if s.Forum == nil || s.Forum.Name != next || s.Heading.Text != next {
		t.Errorf("after deleting: shows %+v, heading %q; want the next forum %q", s.Forum, s.Heading.Text, next)
	}
	if s.Message.Text != "Das Forum „Pausenhof“ ist gelöscht." || s.Message.Importance != widget.SuccessImportance {
		t.Errorf("the message after deleting: %q", s.Message.Text)
	}
	if _, ok := forumListed(t, admin, "Pausenhof"); ok {
		t.Error("the server still has the deleted forum")
	}
	if _, err := admin.Forum(ctx, yard.ID); serverapi.Code(err) != wire.CodeNotFound {
		t.Errorf("the deleted forum by id: %v; want not_found", err)
	}
}

// TestForumAdminDeletesLastForum: in a school without classes (only an
// admin), deleting the one school forum leaves the empty state, with
// nothing offered for the forum that went.
func TestForumAdminDeletesLastForum(t *testing.T) {
	rig := testrig.New(t, testrig.Options{})
	w := &world{t: t, rig: rig, app: test.NewTempApp(t), clock: &fakeClock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.Local)}, opened: &openLog{}}
	w.Admin = rig.AddPerson("Adam", "Admin", directory.Admin, staffPW)
	if _, err := w.apiAs(w.Admin).CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Pausenhof"}); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Admin)
	s := forumOpen(t, u)
	if got := forumNames(s); !slices.Equal(got, []string{"Pausenhof"}) || s.Forum == nil || s.Forum.Name != "Pausenhof" {
		t.Fatalf("the forums of a school without classes: %v", got)
	}
	test.Tap(s.Delete)
	test.Tap(s.DeleteAsk.Yes)
	u.Wait()
	if len(s.Entries) != 0 || s.Forum != nil {
		t.Fatalf("after deleting the last forum: list %v, forum %+v, message %q", forumNames(s), s.Forum, s.Message.Text)
	}
	if !s.Empty.Visible() || s.Empty.Text != "Für dich gibt es noch kein Forum." || s.Heading.Text != "Forum" {
		t.Errorf("the empty state: note %q (shown %v), heading %q", s.Empty.Text, s.Empty.Visible(), s.Heading.Text)
	}
	if forumAdminButtons(s) || !s.NewTopic.Disabled() || s.Message.Text != "Das Forum „Pausenhof“ ist gelöscht." {
		t.Errorf("the empty state offers: change/delete %v, new topic enabled %v; message %q", forumAdminButtons(s), !s.NewTopic.Disabled(), s.Message.Text)
	}
	if !s.NewForum.Visible() {
		t.Error("no way to a new school forum in the empty state")
	}
}

func TestForumAdminButtonsOnlyForAdminsOnSchoolForums(t *testing.T) {
	w := newWorld(t)
	if _, err := w.apiAs(w.Admin).CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Pausenhof"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		login, forum string
		want         bool
	}{
		{w.Teacher, "Pausenhof", false},
		{w.Teacher, "Klasse 3a", false},
		{w.Pupil, "Pausenhof", false},
		{w.Pupil, "Klasse 3a", false},
		{w.Admin, "Klasse 3a", false},
		{w.Admin, "Pausenhof", true},
	} {
		t.Run(tc.login+" in "+tc.forum, func(t *testing.T) {
			u := w.newUI(config.ModeStaff)
			w.loggedIn(u, tc.login)
			s := forumOpen(t, u)
			forumChoose(t, u, s, tc.forum)
			if got := forumAdminButtons(s); got != tc.want {
				t.Errorf("Forum ändern/löschen shown %v, want %v", got, tc.want)
			}
			if got := s.NewForum.Visible(); got != (tc.login == w.Admin) {
				t.Errorf("Neues Schulforum shown %v", got)
			}
			// The buttons' actions refuse too, should one be reached.
			s.openChangeForm()
			s.askDelete()
			if !tc.want && (s.SchoolForum != nil || s.DeleteAsk.Asking()) {
				t.Error("changing or deleting opened where the buttons are hidden")
			}
		})
	}
}
