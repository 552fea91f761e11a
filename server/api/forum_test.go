package api_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// The forum module end to end, with the real listener and the client.

// forumNamed finds a forum in the caller's list by class or name.
func forumNamed(t *testing.T, c *serverapi.Client, name string) wire.Forum {
	t.Helper()
	list, err := c.Forums(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.Group == name || f.Name == name {
			return f
		}
	}
	t.Fatalf("no forum %q in %+v", name, list)
	return wire.Forum{}
}

// postTexts lists a topic's posts as the caller reads them.
func postTexts(t *testing.T, c *serverapi.Client, topicID int64) []string {
	t.Helper()
	p, err := c.ForumTopic(ctx, topicID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, post := range p.Posts {
		out = append(out, post.Text)
	}
	return out
}

func TestForumClassForum(t *testing.T) {
	s := newSchool(t)
	anna, ben, tina, clara := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.Teacher), s.as(s.OtherPupil)
	list, err := anna.Forums(ctx, false)
	if err != nil || len(list) != 1 || list[0].Name != "Klasse 3a" || list[0].Kind != wire.ForumGroup || !list[0].Member {
		t.Fatalf("anna's forums: got %+v, %v", list, err)
	}
	class := list[0]
	tp, err := anna.NewForumTopic(ctx, class.ID, "Klassenfest", "Wer bringt Kuchen mit?")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ben.ForumReply(ctx, tp.Topic.ID, "Ich bringe Muffins!"); err != nil {
		t.Fatal(err)
	}
	if got := postTexts(t, tina, tp.Topic.ID); !slices.Equal(got, []string{"Wer bringt Kuchen mit?", "Ich bringe Muffins!"}) {
		t.Errorf("tina reads: got %q", got)
	}
	topics, err := ben.ForumTopics(ctx, class.ID, "", 0)
	if err != nil || len(topics.Topics) != 1 || topics.Topics[0].Posts != 2 || topics.Topics[0].Author.Name != "Anna Schmidt" {
		t.Errorf("topics: got %+v, %v", topics, err)
	}
	_, err = clara.ForumTopic(ctx, tp.Topic.ID, "", 0)
	wantCode(t, err, wire.CodeNotFound, "a pupil of 4b reads 3a's topic")
	_, err = clara.ForumReply(ctx, tp.Topic.ID, "Ich auch!")
	wantCode(t, err, wire.CodeNotFound, "a pupil of 4b writes in 3a's topic")

	t.Run("the class teacher names the moderators", func(t *testing.T) {
		if err := tina.AddForumModerator(ctx, class.ID, s.Teacher); err != nil {
			t.Fatal(err)
		}
		f, err := anna.Forum(ctx, class.ID)
		if err != nil || len(f.Moderators) != 1 || f.Moderators[0].Name != "Tina Lehmann" {
			t.Errorf("moderators: got %+v, %v", f.Moderators, err)
		}
		err = tina.AddForumModerator(ctx, class.ID, s.Pupil)
		wantCode(t, err, wire.CodeInvalid, "a pupil as moderator")
		err = s.as(s.OtherTeacher).AddForumModerator(ctx, class.ID, s.OtherTeacher)
		wantCode(t, err, wire.CodeNotFound, "a teacher of 4b names in 3a")
	})

	t.Run("own posts can be corrected", func(t *testing.T) {
		p, err := anna.EditForumPost(ctx, tp.Posts[0].ID, "Wer bringt Kuchen oder Obst mit?")
		if err != nil || p.EditedAt == nil || !p.Own {
			t.Fatalf("got %+v, %v", p, err)
		}
		_, err = ben.EditForumPost(ctx, tp.Posts[0].ID, "Gehackt")
		wantCode(t, err, wire.CodeForbidden, "someone else's post")
	})
}

// A moderator deletes in their forum but is refused in another; the
// deleted post is gone for the readers and in the protocol for the
// people with the protocol right.
func TestForumModeratorDeletesOnlyInOwnForum(t *testing.T) {
	s := newSchool(t)
	admin, tina, otto := s.as(s.Admin), s.as(s.Teacher), s.as(s.OtherTeacher)
	anna, ben, clara := s.as(s.Pupil), s.as(s.Pupil2), s.as(s.OtherPupil)
	yard, err := admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Pausenhof", Description: "Für alle"})
	if err != nil {
		t.Fatal(err)
	}
	class := forumNamed(t, tina, "3a")
	if err := tina.AddForumModerator(ctx, class.ID, s.Teacher); err != nil {
		t.Fatal(err)
	}
	if err := admin.AddForumModerator(ctx, yard.ID, s.OtherTeacher); err != nil {
		t.Fatal(err)
	}
	tp, err := anna.NewForumTopic(ctx, class.ID, "Pause", "Wer spielt Fangen?")
	if err != nil {
		t.Fatal(err)
	}
	rude, err := ben.ForumReply(ctx, tp.Topic.ID, "Du nicht, du bist doof.")
	if err != nil {
		t.Fatal(err)
	}
	inYard, err := clara.NewForumTopic(ctx, yard.ID, "Fußball", "Wer spielt mit?")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("refused in a forum she does not moderate", func(t *testing.T) {
		err := tina.DeleteForumPost(ctx, inYard.Posts[0].ID, "Test")
		e := hwAPIError(t, err)
		if e.Status != 403 || e.Code != wire.CodeForbidden ||
			e.Message != "Beiträge löschen dürfen nur die Moderatorinnen und Moderatoren dieses Forums (Nutzungsordnung). Du moderierst „Pausenhof“ nicht." {
			t.Errorf("got %d %s %q", e.Status, e.Code, e.Message)
		}
		err = otto.DeleteForumPost(ctx, rude.ID, "Beleidigung")
		wantCode(t, err, wire.CodeNotFound, "the moderator of the school forum in 3a's forum")
		err = admin.DeleteForumPost(ctx, rude.ID, "Beleidigung")
		wantCode(t, err, wire.CodeForbidden, "an admin not named in 3a")
		err = ben.DeleteForumPost(ctx, rude.ID, "War nicht so gemeint")
		wantCode(t, err, wire.CodeForbidden, "a pupil")
		err = tina.DeleteForumPost(ctx, rude.ID, "")
		wantCode(t, err, wire.CodeInvalid, "no reason")
		if got := postTexts(t, anna, tp.Topic.ID); len(got) != 2 {
			t.Errorf("after the refusals: got %q, want both posts", got)
		}
	})
	t.Run("deletes in her own forum", func(t *testing.T) {
		if err := tina.DeleteForumPost(ctx, rude.ID, "Beleidigung eines Mitschülers"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*serverapi.Client{anna, ben, tina, admin} {
			if got := postTexts(t, c, tp.Topic.ID); !slices.Equal(got, []string{"Wer spielt Fangen?"}) {
				t.Errorf("a reader: got %q", got)
			}
		}
		if err := otto.DeleteForumPost(ctx, inYard.Posts[0].ID, "Doppelt gepostet"); err != nil {
			t.Errorf("otto in the school forum he moderates: %v", err)
		}
	})
	t.Run("the protocol has it, for the protocol right only", func(t *testing.T) {
		list, err := s.as(s.Protocol).Protocol(ctx, serverapi.ProtocolQuery{Kind: "forum.delete"})
		if err != nil {
			t.Fatal(err)
		}
		var mine *wire.ProtocolEntry
		for i, l := range list {
			if l.Target == s.Pupil2 {
				mine = &list[i]
			}
		}
		if len(list) != 2 || mine == nil {
			t.Fatalf("got %+v, want two deletions, one of ben's post", list)
		}
		if mine.Actor != s.Teacher || !strings.Contains(mine.Detail, "Text:\nDu nicht, du bist doof.") ||
			!strings.Contains(mine.Detail, "Beitrag "+forumNum(rude.ID)+" von Ben Becker ("+s.Pupil2+")") ||
			!strings.Contains(mine.Detail, "Grund: Beleidigung eines Mitschülers") || mine.Service != "api" {
			t.Errorf("got %+v", *mine)
		}
		for _, c := range []*serverapi.Client{admin, tina, anna} {
			_, err := c.Protocol(ctx, serverapi.ProtocolQuery{Kind: "forum.delete"})
			wantCode(t, err, wire.CodeForbidden, "without the protocol right")
		}
	})
}

func TestForumHiding(t *testing.T) {
	s := newSchool(t)
	tina, anna, ben := s.as(s.Teacher), s.as(s.Pupil), s.as(s.Pupil2)
	class := forumNamed(t, tina, "3a")
	if err := tina.AddForumModerator(ctx, class.ID, s.Teacher); err != nil {
		t.Fatal(err)
	}
	tp, err := anna.NewForumTopic(ctx, class.ID, "Streit", "Ben hat angefangen!")
	if err != nil {
		t.Fatal(err)
	}
	post := tp.Posts[0]
	if p, err := tina.HideForumPost(ctx, post.ID, "Klären wir im Klassenrat"); err != nil || !p.Hidden || p.Text == "" {
		t.Fatalf("hide: got %+v, %v", p, err)
	}
	page, err := ben.ForumTopic(ctx, tp.Topic.ID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p := page.Posts[0]; !p.Hidden || p.Text != "" || p.HiddenReason != "" || p.Notice != "Die Moderation hat diesen Beitrag ausgeblendet." {
		t.Errorf("a reader: got %+v", p)
	}
	page, err = anna.ForumTopic(ctx, tp.Topic.ID, "", 0)
	if err != nil || page.Posts[0].Text != "Ben hat angefangen!" || page.Posts[0].HiddenReason != "Klären wir im Klassenrat" {
		t.Errorf("the author: got %+v, %v", page.Posts, err)
	}
	if p, err := tina.UnhideForumPost(ctx, post.ID); err != nil || p.Hidden {
		t.Fatalf("unhide: got %+v, %v", p, err)
	}
	if got := postTexts(t, ben, tp.Topic.ID); !slices.Equal(got, []string{"Ben hat angefangen!"}) {
		t.Errorf("shown again: got %q", got)
	}
	_, err = s.as(s.Secretary).HideForumPost(ctx, post.ID, "x")
	wantCode(t, err, wire.CodeNotFound, "the secretary, who does not read 3a's forum")
}

func TestForumSchoolForumsAndLimits(t *testing.T) {
	s := newSchool(t)
	admin, anna, tina := s.as(s.Admin), s.as(s.Pupil), s.as(s.Teacher)
	staffRoom, err := admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Lehrerzimmer", Roles: []string{"teacher", "secretary", "admin"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "lehrerzimmer"})
	wantCode(t, err, wire.CodeInvalid, "a name taken")
	_, err = tina.CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Sport"})
	wantCode(t, err, wire.CodeForbidden, "a teacher creates a school forum")
	_, err = anna.Forum(ctx, staffRoom.ID)
	wantCode(t, err, wire.CodeNotFound, "a pupil opens the staff room")
	if _, err := tina.NewForumTopic(ctx, staffRoom.ID, "Konferenz", "Am Donnerstag um 14 Uhr."); err != nil {
		t.Errorf("a teacher writes in the staff room: %v", err)
	}
	err = admin.DeleteSchoolForum(ctx, staffRoom.ID)
	wantCode(t, err, wire.CodeConflict, "deleting a forum with topics")
	if f, err := admin.UpdateSchoolForum(ctx, staffRoom.ID, wire.ForumSchoolForum{Name: "Kollegium", Roles: []string{"teacher"}}); err != nil ||
		f.Name != "Kollegium" || !slices.Equal(f.Roles, []string{"teacher"}) {
		t.Errorf("rename: got %+v, %v", f, err)
	}

	t.Run("a pupil's posting limit", func(t *testing.T) {
		class := forumNamed(t, anna, "3a")
		tp, err := anna.NewForumTopic(ctx, class.ID, "Viele", "1")
		if err != nil {
			t.Fatal(err)
		}
		for i := 2; i <= 30; i++ { // forum.DefaultConfig.PupilPostsPerHour
			if _, err := anna.ForumReply(ctx, tp.Topic.ID, forumNum(int64(i))); err != nil {
				t.Fatalf("post %d: %v", i, err)
			}
		}
		_, err = anna.ForumReply(ctx, tp.Topic.ID, "31")
		wantCode(t, err, wire.CodeRateLimited, "the 31st post within the hour")
		if msg := serverapi.Message(err); !strings.Contains(msg, "schon 30 Beiträge geschrieben") {
			t.Errorf("got %q, want the German explanation", msg)
		}
		if _, err := s.as(s.Pupil2).ForumReply(ctx, tp.Topic.ID, "Ben darf noch"); err != nil {
			t.Errorf("another pupil: %v", err)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		class := forumNamed(t, anna, "3a")
		_, err := anna.NewForumTopic(ctx, class.ID, "", "Text")
		wantCode(t, err, wire.CodeInvalid, "no title")
		_, err = anna.ForumTopics(ctx, class.ID, "abc", 0)
		wantCode(t, err, wire.CodeInvalid, "a bad cursor")
		_, err = anna.ForumTopics(ctx, class.ID, "", 500)
		wantCode(t, err, wire.CodeInvalid, "a page too large")
	})
}

func TestForumModuleSwitchedOff(t *testing.T) {
	s := newSchool(t)
	anna := s.as(s.Pupil)
	if _, err := anna.Forums(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleForum, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err := anna.Forums(ctx, false)
	wantCode(t, err, wire.CodeNotFound, "forums with the module off")
	_, err = s.as(s.Admin).CreateSchoolForum(ctx, wire.ForumSchoolForum{Name: "Neu"})
	wantCode(t, err, wire.CodeNotFound, "an admin route with the module off")
}

func forumNum(n int64) string { return strconv.FormatInt(n, 10) }
