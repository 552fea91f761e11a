package ui

import (
	"strings"
	"testing"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// New posts: the teacher's topic shows as new on Anna's tile, in the
// forum list and on the topic; once Anna has read it, nothing is new.
func TestForumShowsNewPosts(t *testing.T) {
	w := newWorld(t)
	teacher := w.apiAs(w.Teacher)
	f := forumOf(t, teacher, "Klasse 3a")
	tp, err := teacher.NewForumTopic(ctx, f.ID, "Wandertag", "Wir gehen am Freitag in den Wald.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := teacher.ForumReply(ctx, tp.Topic.ID, "Bitte feste Schuhe anziehen."); err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	if got := u.Home.Badge[wire.ModuleForum].Text; got != "2 neu" {
		t.Errorf("badge on the forum tile: got %q, want %q", got, "2 neu")
	}
	s := forumOpen(t, u)
	forumChoose(t, u, s, "Klasse 3a")
	if e := s.Entry("Klasse 3a"); e == nil || !strings.HasSuffix(e.Open.Text, "· 2 neu") {
		t.Errorf("the list entry: %+v", e)
	}
	r := s.TopicRow("Wandertag")
	if r == nil || !strings.HasPrefix(r.Info.Text, "2 neu · ") {
		t.Fatalf("the topic row: %+v", r)
	}
	forumOpenTopic(t, u, s, "Wandertag")
	forumBack(t, u, s)
	if e := s.Entry("Klasse 3a"); e == nil || strings.Contains(e.Open.Text, "neu") {
		t.Errorf("the list entry after reading: %q", e.Open.Text)
	}
	if r := s.TopicRow("Wandertag"); r == nil || strings.Contains(r.Info.Text, "neu") {
		t.Errorf("the topic row after reading: %q", r.Info.Text)
	}
	// The teacher's own posts are not new to her.
	tu := w.newUI(config.ModeStaff)
	w.loggedIn(tu, w.Teacher)
	if got := tu.Home.Badge[wire.ModuleForum].Text; got != "" {
		t.Errorf("the teacher's badge: %q", got)
	}
}
