package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The forum screens get their API by a type assertion on the UI's
// client; the API client must keep satisfying it.
var _ ForumAPI = (*serverapi.Client)(nil)

// forumOpen taps the forum tile and waits for the list and the first
// forum's topics.
func forumOpen(t *testing.T, u *UI) *ForumScreen {
	t.Helper()
	if u.Home == nil || u.Home.Tiles[wire.ModuleForum] == nil {
		t.Fatal("no forum tile on the home screen")
	}
	test.Tap(u.Home.Tiles[wire.ModuleForum])
	u.Wait()
	s, ok := u.screen(forumKey).(*ForumScreen)
	if !ok {
		t.Fatal("the forum tile opened no forum screen")
	}
	if s.Message.Visible() && s.Message.Importance == widget.DangerImportance {
		t.Fatalf("forum: %q", s.Message.Text)
	}
	return s
}

// forumChoose taps a forum in the list.
func forumChoose(t *testing.T, u *UI, s *ForumScreen, name string) {
	t.Helper()
	e := s.Entry(name)
	if e == nil {
		t.Fatalf("no forum %q in the list %v", name, forumNames(s))
	}
	test.Tap(e.Open)
	u.Wait()
	if s.Forum == nil || s.Forum.Name != name {
		t.Fatalf("chose %q, shows %+v; message %q", name, s.Forum, s.Message.Text)
	}
}

func forumNames(s *ForumScreen) []string {
	var out []string
	for _, e := range s.Entries {
		out = append(out, e.Forum.Name)
	}
	return out
}

// forumOpenTopic taps a topic of the chosen forum.
func forumOpenTopic(t *testing.T, u *UI, s *ForumScreen, title string) *ForumTopicView {
	t.Helper()
	r := s.TopicRow(title)
	if r == nil {
		t.Fatalf("no topic %q in %q", title, s.Forum.Name)
	}
	test.Tap(r.Open)
	u.Wait()
	if s.Topic == nil || s.Topic.Page.Topic.Title != title {
		t.Fatalf("the topic %q did not open: %q", title, s.Message.Text)
	}
	return s.Topic
}

// forumBack goes from a topic back to the forum's topics.
func forumBack(t *testing.T, u *UI, s *ForumScreen) {
	t.Helper()
	test.Tap(s.Topic.Back)
	u.Wait()
	if s.Topic != nil {
		t.Fatal("still in the topic after Zurück")
	}
}

// forumPost is the view of the post with a text; the test fails without.
func forumPost(t *testing.T, v *ForumTopicView, text string) *ForumPostView {
	t.Helper()
	p := v.PostWith(text)
	if p == nil {
		var texts []string
		for _, p := range v.Posts {
			texts = append(texts, p.Post.Text)
		}
		t.Fatalf("no post %q in %q", text, texts)
	}
	return p
}

// forumOf finds a forum by name through the API.
func forumOf(t *testing.T, c *serverapi.Client, name string) wire.Forum {
	t.Helper()
	list, err := c.Forums(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no forum %q", name)
	return wire.Forum{}
}

// forumPostTexts lists a topic's posts as the server has them.
func forumPostTexts(t *testing.T, c *serverapi.Client, topicID int64) []string {
	t.Helper()
	page, err := c.ForumTopic(ctx, topicID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range page.Posts {
		out = append(out, p.Text)
	}
	return out
}

// moderatorsCan tells whether a post shows the moderation buttons.
func moderatorsCan(p *ForumPostView) bool {
	return p.Delete.Visible() || p.Hide.Visible() || p.Unhide.Visible()
}

func TestForumModeratorDeletesOnlyInOwnForum(t *testing.T) {
	w := newWorld(t)
	admin := w.apiAs(w.Admin)
	yard, err := admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Pausenhof"})
	if err != nil {
		t.Fatal(err)
	}
	ben := w.apiAs(w.Pupil2)
	class := forumOf(t, ben, "Klasse 3a")
	football, err := ben.NewForumTopic(ctx, class.ID, "Fußball", "Wer spielt in der Pause mit?")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Ihr seid alle doof!", "Meine Nummer ist 0171 1234567"} {
		if _, err := ben.ForumReply(ctx, football.Topic.ID, text); err != nil {
			t.Fatal(err)
		}
	}
	noise, err := ben.NewForumTopic(ctx, yard.ID, "Lärm", "Auf dem Pausenhof ist es zu laut!")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ben.ForumReply(ctx, noise.Topic.ID, "Das ist ein doofer Beitrag."); err != nil {
		t.Fatal(err)
	}

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	s := forumOpen(t, u)
	if got := forumNames(s); !slices.Equal(got, []string{"Pausenhof", "Klasse 3a"}) {
		t.Errorf("the teacher's forums: %v", got)
	}
	if s.Forum == nil || s.Forum.Name != "Klasse 3a" {
		t.Errorf("the forum chosen first: %+v; want the own class's", s.Forum)
	}
	forumChoose(t, u, s, "Klasse 3a")
	if !s.Moderation.Visible() || !strings.Contains(s.ModLine.Text, "Noch niemand moderiert") {
		t.Errorf("the class teacher in her class's forum: names moderators %v, line %q", s.Moderation.Visible(), s.ModLine.Text)
	}
	// Not named yet: reading, no moderation.
	v := forumOpenTopic(t, u, s, "Fußball")
	if moderatorsCan(forumPost(t, v, "doof")) || v.DeleteTopic.Visible() {
		t.Error("moderation buttons before being named moderator")
	}
	forumBack(t, u, s)

	// She names herself moderator of her class's forum.
	test.Tap(s.Moderation)
	u.Wait()
	m := s.Moderators
	if m == nil {
		t.Fatal("the moderators panel did not open")
	}
	me := forumCandidate("Tina Lehmann", w.Teacher)
	if !slices.Contains(m.Candidates, me) || slices.ContainsFunc(m.Candidates, func(o string) bool { return strings.Contains(o, "Anna") }) {
		t.Errorf("candidates: %v; want the class's teacher and no pupil", m.Candidates)
	}
	m.Who.SetText(me)
	test.Tap(m.Add)
	u.Wait()
	if len(m.Names) != 1 || m.Names[0].Text != "Tina Lehmann" || !strings.Contains(m.Message.Text, "moderiert jetzt") {
		t.Fatalf("after naming: %d moderators, message %q", len(m.Names), m.Message.Text)
	}
	test.Tap(m.Back)
	u.Wait()
	if s.ModLine.Text != "Moderation: Tina Lehmann" {
		t.Errorf("moderators line: %q", s.ModLine.Text)
	}

	// In her forum she deletes a post, with a reason.
	v = forumOpenTopic(t, u, s, "Fußball")
	p := forumPost(t, v, "doof")
	if !p.Delete.Visible() || !p.Hide.Visible() || !v.DeleteTopic.Visible() {
		t.Fatal("the moderator has no moderation buttons in her forum")
	}
	test.Tap(p.Delete)
	if !p.Ask.Asking() || !strings.Contains(p.Ask.Question.Text, "Ben Becker") {
		t.Fatalf("deleting did not ask first: %q", p.Ask.Question.Text)
	}
	test.Tap(p.Ask.Yes)
	if !p.Ask.Asking() || p.Ask.Message.Text != "Bitte gib einen Grund an." {
		t.Errorf("deleting without a reason: asking %v, message %q", p.Ask.Asking(), p.Ask.Message.Text)
	}
	test.Type(p.Ask.Reason, "Beleidigung")
	test.Tap(p.Ask.Yes)
	u.Wait()
	if v.PostWith("doof") != nil || !strings.Contains(v.Message.Text, "gelöscht") {
		t.Errorf("after deleting: post still shown %v, message %q, post message %q", v.PostWith("doof") != nil, v.Message.Text, p.Message.Text)
	}
	if got := forumPostTexts(t, ben, football.Topic.ID); len(got) != 2 || slices.Contains(got, "Ihr seid alle doof!") {
		t.Errorf("the server's posts after deleting: %q", got)
	}
	// ... and hides another one, which a pupil then sees only as hidden.
	p = forumPost(t, v, "0171")
	test.Tap(p.Hide)
	test.Type(p.Ask.Reason, "Telefonnummer")
	test.Tap(p.Ask.Yes)
	u.Wait()
	if !p.Unhide.Visible() || p.Hide.Visible() || !strings.Contains(p.Notice.Text, "Telefonnummer") || p.Text.Text == "" {
		t.Errorf("a hidden post for its moderator: notice %q, text %q", p.Notice.Text, p.Text.Text)
	}
	anna := w.newUI(config.ModeStaff)
	w.loggedIn(anna, w.Pupil)
	as := forumOpen(t, anna)
	forumChoose(t, anna, as, "Klasse 3a")
	if as.Moderation.Visible() {
		t.Error("a pupil may name moderators")
	}
	av := forumOpenTopic(t, anna, as, "Fußball")
	if len(av.Posts) != 2 {
		t.Fatalf("the pupil sees %d posts, want 2", len(av.Posts))
	}
	hidden := av.Posts[1]
	if hidden.Text.Visible() || hidden.Notice.Text != "Die Moderation hat diesen Beitrag ausgeblendet." || strings.Contains(hidden.Notice.Text, "Telefonnummer") {
		t.Errorf("the hidden post for a pupil: text %q (shown %v), notice %q", hidden.Post.Text, hidden.Text.Visible(), hidden.Notice.Text)
	}
	for _, pv := range av.Posts {
		if moderatorsCan(pv) {
			t.Error("a pupil sees moderation buttons")
		}
	}

	// In the school's forum, which she reads but does not moderate: no
	// buttons, and only the admins name its moderators.
	forumBack(t, u, s)
	forumChoose(t, u, s, "Pausenhof")
	if s.Moderation.Visible() {
		t.Error("a teacher may name the moderators of a school forum")
	}
	v = forumOpenTopic(t, u, s, "Lärm")
	if moderatorsCan(forumPost(t, v, "doofer")) || v.DeleteTopic.Visible() {
		t.Error("moderation buttons in a forum she does not moderate")
	}
	forumBack(t, u, s)

	// Named there while she opens the topic and unnamed before she
	// deletes: the server refuses, and she reads why.
	if err := admin.AddForumModerator(ctx, yard.ID, w.Teacher); err != nil {
		t.Fatal(err)
	}
	v = forumOpenTopic(t, u, s, "Lärm")
	p = forumPost(t, v, "doofer")
	if !p.Delete.Visible() {
		t.Fatal("no delete button after the admin named her")
	}
	if err := admin.RemoveForumModerator(ctx, yard.ID, w.Teacher); err != nil {
		t.Fatal(err)
	}
	test.Tap(p.Delete)
	test.Type(p.Ask.Reason, "Unfreundlich")
	test.Tap(p.Ask.Yes)
	u.Wait()
	want := "Beiträge löschen dürfen nur die Moderatorinnen und Moderatoren dieses Forums (Nutzungsordnung). Du moderierst „Pausenhof“ nicht."
	if p.Message.Text != want || p.Message.Importance != widget.DangerImportance || !p.Message.Visible() {
		t.Errorf("the refusal: %q; want the server's %q", p.Message.Text, want)
	}
	if v.PostWith("doofer") == nil {
		t.Error("the refused post went from the screen")
	}
	if got := forumPostTexts(t, ben, noise.Topic.ID); len(got) != 2 {
		t.Errorf("the server's posts after the refusal: %q", got)
	}
}

func TestForumPupilWritesPost(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModePCRoom)
	w.loggedIn(u, w.Pupil)
	s := forumOpen(t, u)
	if got := forumNames(s); !slices.Equal(got, []string{"Klasse 3a"}) {
		t.Errorf("Anna's forums: %v; want only her class's", got)
	}
	if s.Forum == nil || s.Forum.Name != "Klasse 3a" || !s.Empty.Visible() || s.Moderation.Visible() || s.NewForum.Visible() {
		t.Fatalf("Anna's first view: %+v, empty note %v", s.Forum, s.Empty.Visible())
	}

	test.Tap(s.NewTopic)
	c := s.Compose
	if c == nil {
		t.Fatal("no form for a new topic")
	}
	test.Tap(c.Create)
	if !strings.Contains(c.Message.Text, "Überschrift") {
		t.Errorf("an empty topic: %q", c.Message.Text)
	}
	test.Type(c.Title, "Unser Ausflug")
	test.Type(c.Text, "Ich freue mich auf den Zoo!")
	test.Tap(c.Create)
	u.Wait()
	v := s.Topic
	if v == nil {
		t.Fatalf("the new topic did not open: %q", c.Message.Text)
	}
	if len(v.Posts) != 1 || v.Posts[0].Author.Text != "Anna Schmidt" || v.Posts[0].Text.Text != "Ich freue mich auf den Zoo!" {
		t.Errorf("the new topic's posts: %d", len(v.Posts))
	}

	// She answers, and sees her post at the end.
	test.Tap(v.Send)
	if !strings.Contains(v.SendMessage.Text, "Schreib zuerst") {
		t.Errorf("an empty answer: %q", v.SendMessage.Text)
	}
	test.Type(v.Reply, "Ich nehme Äpfel mit.")
	test.Tap(v.Send)
	u.Wait()
	if len(v.Posts) != 2 {
		t.Fatalf("after answering: %d posts; message %q", len(v.Posts), v.SendMessage.Text)
	}
	last := v.Posts[1]
	if last.Text.Text != "Ich nehme Äpfel mit." || last.Author.Text != "Anna Schmidt" || v.Reply.Text != "" || v.SendMessage.Text != "Dein Beitrag ist da." {
		t.Errorf("her answer: %q by %q; field %q, message %q", last.Text.Text, last.Author.Text, v.Reply.Text, v.SendMessage.Text)
	}
	if !last.Edit.Visible() || moderatorsCan(last) {
		t.Errorf("her own new post: edit %v, moderation %v", last.Edit.Visible(), moderatorsCan(last))
	}
	// A correction within the first minutes.
	test.Tap(last.Edit)
	last.EditText.SetText("Ich nehme Äpfel und Birnen mit.")
	test.Tap(last.SaveEdit)
	u.Wait()
	if last.Text.Text != "Ich nehme Äpfel und Birnen mit." || !strings.Contains(last.When.Text, "geändert") {
		t.Errorf("after the correction: %q, %q; message %q", last.Text.Text, last.When.Text, last.Message.Text)
	}

	forumBack(t, u, s)
	r := s.TopicRow("Unser Ausflug")
	if r == nil || !strings.Contains(r.Info.Text, "von Anna Schmidt · 2 Beiträge") {
		t.Errorf("the topic in the list: %+v", r)
	}
	// Her classmate reads both; a pupil of 4b does not even see the forum.
	ben := w.apiAs(w.Pupil2)
	if got := forumPostTexts(t, ben, v.Page.Topic.ID); !slices.Equal(got, []string{"Ich freue mich auf den Zoo!", "Ich nehme Äpfel und Birnen mit."}) {
		t.Errorf("Ben reads %q", got)
	}
	other, err := w.apiAs(w.OtherPupil).Forums(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range other {
		if f.Name == "Klasse 3a" {
			t.Error("a pupil of 4b lists the forum of 3a")
		}
	}
}
