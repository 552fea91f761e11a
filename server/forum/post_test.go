package forum

import (
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/server/directory"
)

func TestTopicsAndPosts(t *testing.T) {
	e := newEnv(t)
	class := e.forumOf(e.anna, "3a")
	first := e.topic(e.anna, class.ID, "  Klassenfest\n", "Wer bringt Kuchen mit?\r\n")
	if first.Topic.Title != "Klassenfest" || len(first.Posts) != 1 || first.Posts[0].Text != "Wer bringt Kuchen mit?" || !first.Posts[0].Own {
		t.Fatalf("got %+v", first)
	}
	e.clock.add(time.Minute)
	second := e.topic(e.ben, class.ID, "Hausaufgaben", "Was war in Mathe auf?")
	e.clock.add(time.Minute)
	answer := e.reply(e.tina, first.Topic.ID, "Ich bringe Saft mit.")
	if answer.Author.Name != "Tina Lehmann" || answer.Own != true {
		t.Errorf("answer: got %+v", answer)
	}

	t.Run("topics by latest post, paged", func(t *testing.T) {
		p1, err := e.svc.Topics(ctx, e.ben, class.ID, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Topics) != 1 || p1.Topics[0].ID != first.Topic.ID || p1.Topics[0].Posts != 2 || p1.Next == 0 {
			t.Fatalf("first page: got %+v", p1)
		}
		p2, err := e.svc.Topics(ctx, e.ben, class.ID, p1.Next, 1)
		if err != nil || len(p2.Topics) != 1 || p2.Topics[0].ID != second.Topic.ID || p2.Next != 0 {
			t.Fatalf("second page: got %+v, %v", p2, err)
		}
		if _, err := e.svc.Topics(ctx, e.ben, class.ID, 0, MaxPage+1); kindOf(err) != Invalid {
			t.Errorf("page too large: got %v", err)
		}
	})
	t.Run("posts oldest first, paged", func(t *testing.T) {
		p1, err := e.svc.Topic(ctx, e.ben, first.Topic.ID, 0, 1)
		if err != nil || len(p1.Posts) != 1 || p1.Posts[0].Author.Login != e.anna.Login || p1.Posts[0].Own || p1.Next == 0 {
			t.Fatalf("first page: got %+v, %v", p1, err)
		}
		p2, err := e.svc.Topic(ctx, e.ben, first.Topic.ID, p1.Next, 1)
		if err != nil || len(p2.Posts) != 1 || p2.Posts[0].ID != answer.ID || p2.Next != 0 {
			t.Fatalf("second page: got %+v, %v", p2, err)
		}
	})
	t.Run("another class reads nothing", func(t *testing.T) {
		if _, err := e.svc.Topics(ctx, e.clara, class.ID, 0, 10); kindOf(err) != NotFound {
			t.Errorf("topics: got %v, want NotFound", err)
		}
		if _, err := e.svc.Topic(ctx, e.clara, first.Topic.ID, 0, 10); kindOf(err) != NotFound {
			t.Errorf("topic: got %v, want NotFound", err)
		}
		if _, err := e.svc.Reply(ctx, e.clara, first.Topic.ID, "Ich auch!"); kindOf(err) != NotFound {
			t.Errorf("reply: got %v, want NotFound", err)
		}
	})
	t.Run("refused input", func(t *testing.T) {
		for name, err := range map[string]error{
			"empty post": func() error { _, err := e.svc.Reply(ctx, e.anna, first.Topic.ID, " \n "); return err }(),
			"post too long": func() error {
				_, err := e.svc.Reply(ctx, e.anna, first.Topic.ID, strings.Repeat("x", MaxText+1))
				return err
			}(),
			"no title": func() error { _, err := e.svc.NewTopic(ctx, e.anna, class.ID, "", "Text"); return err }(),
			"title too long": func() error {
				_, err := e.svc.NewTopic(ctx, e.anna, class.ID, strings.Repeat("x", MaxTitle+1), "Text")
				return err
			}(),
		} {
			if kindOf(err) != Invalid {
				t.Errorf("%s: got %v, want Invalid", name, err)
			}
		}
	})
}

func TestEditingOwnPosts(t *testing.T) {
	e := newEnv(t)
	class := e.forumOf(e.anna, "3a")
	tp := e.topic(e.anna, class.ID, "Frage", "Wann ist das Fest?")
	post := tp.Posts[0]
	if !post.Editable {
		t.Errorf("a fresh own post is not editable")
	}
	if _, err := e.svc.EditPost(ctx, e.ben, post.ID, "Gehackt"); kindOf(err) != Forbidden {
		t.Errorf("someone else's post: got %v, want Forbidden", err)
	}
	e.clock.add(EditWindow - time.Second)
	got, err := e.svc.EditPost(ctx, e.anna, post.ID, "Wann ist das Klassenfest?")
	if err != nil || got.Text != "Wann ist das Klassenfest?" || got.EditedAt.IsZero() {
		t.Fatalf("within the window: got %+v, %v", got, err)
	}
	e.clock.add(time.Second)
	if _, err := e.svc.EditPost(ctx, e.anna, post.ID, "Zu spät"); kindOf(err) != Forbidden {
		t.Errorf("after the window: got %v, want Forbidden", err)
	}
	page, err := e.svc.Topic(ctx, e.ben, tp.Topic.ID, 0, 10)
	if err != nil || page.Posts[0].Text != "Wann ist das Klassenfest?" || page.Posts[0].Editable {
		t.Errorf("as read: got %+v, %v", page.Posts, err)
	}
}

// The rule of the usage regulations: a moderator deletes posts only in
// the forums they moderate, and every deletion is in the protocol.
func TestModeratorDeletesOnlyInOwnForum(t *testing.T) {
	e := newEnv(t)
	pausenhof, _ := e.school()
	class := e.forumOf(e.tina, "3a")
	other := e.forumOf(e.otto, "4b")
	e.moderate(e.adam, class.ID, e.tina)
	e.moderate(e.adam, other.ID, e.otto)
	e.moderate(e.adam, pausenhof.ID, e.sabine)

	tp := e.topic(e.anna, class.ID, "Pause", "Wer spielt mit?")
	rude := e.reply(e.ben, tp.Topic.ID, "Du nicht, du bist doof.")
	inYard := e.topic(e.clara, pausenhof.ID, "Fußball", "Wer spielt mit?").Posts[0]
	inOther := e.topic(e.clara, other.ID, "Ausflug", "Wohin gehen wir?").Posts[0]

	refusals := []struct {
		name    string
		by      directory.Person
		post    int64
		reason  string
		kind    Kind
		message string
	}{
		{"a moderator of 3a in the school forum", e.tina, inYard.ID, "Test", Forbidden,
			"Beiträge löschen dürfen nur die Moderatorinnen und Moderatoren dieses Forums (Nutzungsordnung). Du moderierst „Pausenhof“ nicht."},
		{"a moderator of 3a in 4b's forum", e.tina, inOther.ID, "Test", NotFound, "gibt es nicht"},
		{"another teacher of 3a, not named", e.mia, rude.ID, "Beleidigung", Forbidden, "Du moderierst „Klasse 3a“ nicht."},
		{"an admin, not named", e.adam, rude.ID, "Beleidigung", Forbidden, "Du moderierst „Klasse 3a“ nicht."},
		{"the moderator of 4b in 3a", e.otto, rude.ID, "Beleidigung", NotFound, "gibt es nicht"},
		{"a pupil", e.anna, rude.ID, "Gemein", Forbidden, "Du moderierst"},
		{"no reason", e.tina, rude.ID, "  ", Invalid, "Bitte gib einen Grund an."},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.DeletePost(ctx, tt.by, actor(tt.by), tt.post, tt.reason)
			fe, ok := AsError(err)
			if !ok || fe.Kind != tt.kind || !strings.Contains(fe.German, tt.message) {
				t.Errorf("got %v (%+v), want %v with %q", err, fe, tt.kind, tt.message)
			}
		})
	}
	if got := len(e.protocol("forum.delete")); got != 0 {
		t.Fatalf("protocol after the refusals: got %d lines, want 0", got)
	}

	if err := e.svc.DeletePost(ctx, e.tina, actor(e.tina), rude.ID, "Beleidigung eines Mitschülers"); err != nil {
		t.Fatalf("the moderator in her forum: %v", err)
	}
	t.Run("gone for the readers", func(t *testing.T) {
		for _, p := range []directory.Person{e.anna, e.ben, e.tina, e.adam} {
			page, err := e.svc.Topic(ctx, p, tp.Topic.ID, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Posts) != 1 || page.Topic.Posts != 1 || strings.Contains(page.Posts[0].Text, "doof") {
				t.Errorf("%s reads: got %+v", p.Login, page)
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM forum_posts WHERE body LIKE '%doof%'`); n != 0 {
			t.Errorf("the text is still in the forum's tables")
		}
	})
	t.Run("in the protocol with text and author", func(t *testing.T) {
		list := e.protocol("forum.delete")
		if len(list) != 1 {
			t.Fatalf("got %d lines, want 1", len(list))
		}
		l := list[0]
		if l.Actor != e.tina.Login || l.Target != e.ben.Login || !l.Success || l.Source != "10.0.0.7" || l.Service != "api" {
			t.Errorf("got %+v", l)
		}
		for _, part := range []string{"Forum „Klasse 3a“, Thema „Pause“", "von Ben Becker (" + e.ben.Login + ") vom 30.11.2026, 10:00 Uhr",
			"Grund: Beleidigung eines Mitschülers", "Text:\nDu nicht, du bist doof."} {
			if !strings.Contains(l.Detail, part) {
				t.Errorf("detail %q lacks %q", l.Detail, part)
			}
		}
	})
	t.Run("the other moderators in their forums", func(t *testing.T) {
		if err := e.svc.DeletePost(ctx, e.sabine, actor(e.sabine), inYard.ID, "Doppelt"); err != nil {
			t.Errorf("the secretary in the school forum: %v", err)
		}
		if err := e.svc.DeletePost(ctx, e.otto, actor(e.otto), inOther.ID, "Falsches Forum"); err != nil {
			t.Errorf("otto in 4b: %v", err)
		}
	})
	t.Run("the last post takes its topic along", func(t *testing.T) {
		if _, err := e.svc.Topic(ctx, e.clara, tp.Topic.ID+1, 0, 10); kindOf(err) != NotFound {
			t.Errorf("the school forum's emptied topic: got %v, want NotFound", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM forum_topics`); n != 1 {
			t.Errorf("topics left: got %d, want 1 (3a's)", n)
		}
	})
}

func TestHidingPosts(t *testing.T) {
	e := newEnv(t)
	class := e.forumOf(e.tina, "3a")
	e.moderate(e.tina, class.ID, e.tina)
	tp := e.topic(e.anna, class.ID, "Streit", "Ben hat angefangen!")
	post := tp.Posts[0]
	if _, err := e.svc.HidePost(ctx, e.mia, actor(e.mia), post.ID, "Streit"); kindOf(err) != Forbidden {
		t.Errorf("a teacher who is no moderator: got %v, want Forbidden", err)
	}
	hidden, err := e.svc.HidePost(ctx, e.tina, actor(e.tina), post.ID, "Klären wir im Klassenrat")
	if err != nil || !hidden.Hidden || hidden.HiddenBy != "Tina Lehmann" {
		t.Fatalf("got %+v, %v", hidden, err)
	}
	read := func(p directory.Person) Post {
		t.Helper()
		page, err := e.svc.Topic(ctx, p, tp.Topic.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		return page.Posts[0]
	}
	tests := []struct {
		p         directory.Person
		text, why string
	}{
		{e.ben, "", ""},
		{e.mia, "", ""},
		{e.adam, "", ""},
		{e.anna, "Ben hat angefangen!", "Klären wir im Klassenrat"}, // the author
		{e.tina, "Ben hat angefangen!", "Klären wir im Klassenrat"}, // the moderator
	}
	for _, tt := range tests {
		got := read(tt.p)
		if !got.Hidden || got.Text != tt.text || got.HiddenReason != tt.why {
			t.Errorf("%s reads: hidden %v, text %q, reason %q; want hidden, %q, %q", tt.p.Login, got.Hidden, got.Text, got.HiddenReason, tt.text, tt.why)
		}
	}
	if _, err := e.svc.EditPost(ctx, e.anna, post.ID, "Anders"); kindOf(err) != Forbidden {
		t.Errorf("editing a hidden post: got %v, want Forbidden", err)
	}
	if _, err := e.svc.UnhidePost(ctx, e.tina, actor(e.tina), post.ID); err != nil {
		t.Fatal(err)
	}
	if got := read(e.ben); got.Hidden || got.Text != "Ben hat angefangen!" {
		t.Errorf("shown again: got %+v", got)
	}
	if hides, unhides := e.protocol("forum.hide"), e.protocol("forum.unhide"); len(hides) != 1 || len(unhides) != 1 ||
		!strings.Contains(hides[0].Detail, "Grund: Klären wir im Klassenrat") || hides[0].Target != e.anna.Login {
		t.Errorf("protocol: got %+v and %+v", hides, unhides)
	}
}

func TestDeletingATopic(t *testing.T) {
	e := newEnv(t)
	class := e.forumOf(e.tina, "3a")
	e.moderate(e.adam, class.ID, e.tina)
	tp := e.topic(e.anna, class.ID, "Doofe Überschrift", "Erster")
	e.reply(e.ben, tp.Topic.ID, "Zweiter")
	if err := e.svc.DeleteTopic(ctx, e.mia, actor(e.mia), tp.Topic.ID, "Unpassend"); kindOf(err) != Forbidden {
		t.Errorf("no moderator: got %v, want Forbidden", err)
	}
	if err := e.svc.DeleteTopic(ctx, e.tina, actor(e.tina), tp.Topic.ID, "Unpassend"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Topic(ctx, e.anna, tp.Topic.ID, 0, 10); kindOf(err) != NotFound {
		t.Errorf("after deleting: got %v, want NotFound", err)
	}
	var got []string
	for _, l := range e.protocol("forum.delete") {
		got = append(got, l.Target+": "+l.Detail[strings.LastIndex(l.Detail, "\n")+1:])
	}
	slices.Sort(got)
	if want := []string{e.anna.Login + ": Erster", e.ben.Login + ": Zweiter"}; !slices.Equal(got, want) {
		t.Errorf("protocol: got %q, want %q", got, want)
	}
}

// Deleting and its protocol line are one transaction: when the protocol
// cannot be written, the post stays.
func TestDeletionIsOneTransaction(t *testing.T) {
	e := newEnv(t)
	class := e.forumOf(e.tina, "3a")
	e.moderate(e.adam, class.ID, e.tina)
	tp := e.topic(e.anna, class.ID, "Thema", "Text")
	if _, err := e.db.W.ExecContext(ctx, `ALTER TABLE audit RENAME TO audit_gone`); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeletePost(ctx, e.tina, actor(e.tina), tp.Posts[0].ID, "Grund"); err == nil {
		t.Fatal("got no error with the protocol table gone")
	}
	if n := e.count(`SELECT COUNT(*) FROM forum_posts`); n != 1 {
		t.Errorf("posts: got %d, want 1", n)
	}
}

func TestPostingRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PupilPostsPerHour = 3 })
	class := e.forumOf(e.anna, "3a")
	tp := e.topic(e.anna, class.ID, "Eins", "Eins")
	e.reply(e.anna, tp.Topic.ID, "Zwei")
	e.clock.add(10 * time.Minute)
	e.reply(e.anna, tp.Topic.ID, "Drei")
	_, err := e.svc.Reply(ctx, e.anna, tp.Topic.ID, "Vier")
	fe, ok := AsError(err)
	if !ok || fe.Kind != RateLimited || !strings.Contains(fe.German, "schon 3 Beiträge geschrieben. Ab 11:00 Uhr") {
		t.Fatalf("fourth post: got %v, want RateLimited with a German message", err)
	}
	if _, err := e.svc.NewTopic(ctx, e.anna, class.ID, "Neu", "Neu"); kindOf(err) != RateLimited {
		t.Errorf("a new topic counts too: got %v", err)
	}
	e.reply(e.ben, tp.Topic.ID, "Ben ist nicht betroffen")
	e.reply(e.tina, tp.Topic.ID, "Lehrkräfte haben ein eigenes Maß")
	e.clock.add(50 * time.Minute)
	e.reply(e.anna, tp.Topic.ID, "Eine Stunde später")
}
