package forum

import (
	"testing"

	"kaspel/server/directory"
)

// New posts: by others, after the post the person last saw in the topic;
// opening a page marks what it shows; own posts are never new; a
// deleted post no longer counts.
func TestUnread(t *testing.T) {
	e := newEnv(t)
	f := e.forumOf(e.tina, "3a")
	tp := e.topic(e.tina, f.ID, "Wandertag", "Wir gehen am Freitag in den Wald.")
	e.reply(e.ben, tp.Topic.ID, "Super!")
	second := e.topic(e.ben, f.ID, "Fußball", "Wer spielt in der Pause mit?")

	unread := func(p directory.Person) (int, map[int64]int) {
		t.Helper()
		forums, err := e.svc.Forums(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		var forum int
		for _, ff := range forums {
			if ff.ID == f.ID {
				forum = ff.Unread
			}
		}
		list, err := e.svc.Topics(ctx, p, f.ID, 0, 20)
		if err != nil {
			t.Fatal(err)
		}
		topics := map[int64]int{}
		for _, tt := range list.Topics {
			topics[tt.ID] = tt.Unread
		}
		return forum, topics
	}
	anna := e.anna
	if n, topics := unread(anna); n != 3 || topics[tp.Topic.ID] != 2 || topics[second.Topic.ID] != 1 {
		t.Errorf("Anna before reading: forum %d, topics %v; want 3, 2 and 1", n, topics)
	}
	if n, topics := unread(e.ben); n != 1 || topics[tp.Topic.ID] != 1 || topics[second.Topic.ID] != 0 {
		t.Errorf("Ben (his own posts are not new): forum %d, topics %v", n, topics)
	}
	// Anna reads the first page of one post only, then the rest.
	if _, err := e.svc.Topic(ctx, e.anna, tp.Topic.ID, 0, 1); err != nil {
		t.Fatal(err)
	}
	if n, topics := unread(anna); n != 2 || topics[tp.Topic.ID] != 1 {
		t.Errorf("after the first page: forum %d, topics %v", n, topics)
	}
	if _, err := e.svc.Topic(ctx, e.anna, tp.Topic.ID, 0, 20); err != nil {
		t.Fatal(err)
	}
	// An older page opened again does not set it back.
	if _, err := e.svc.Topic(ctx, e.anna, tp.Topic.ID, 0, 1); err != nil {
		t.Fatal(err)
	}
	if n, topics := unread(anna); n != 1 || topics[tp.Topic.ID] != 0 {
		t.Errorf("after reading the topic: forum %d, topics %v", n, topics)
	}
	// A new reply is new again; Anna's own reply is not.
	e.reply(e.tina, tp.Topic.ID, "Bitte feste Schuhe anziehen.")
	e.reply(e.anna, tp.Topic.ID, "Mache ich.")
	rude := e.reply(e.ben, second.Topic.ID, "Ihr seid doof.")
	if n, topics := unread(anna); n != 3 || topics[tp.Topic.ID] != 1 || topics[second.Topic.ID] != 2 {
		t.Errorf("after new replies: forum %d, topics %v", n, topics)
	}
	e.moderate(e.tina, f.ID, e.tina)
	if err := e.svc.DeletePost(ctx, e.tina, actor(e.tina), rude.ID, "Beleidigung"); err != nil {
		t.Fatal(err)
	}
	if n, topics := unread(anna); n != 2 || topics[second.Topic.ID] != 1 {
		t.Errorf("after a deletion: forum %d, topics %v", n, topics)
	}
	// Clara (4b) sees nothing of 3a's.
	clara, err := e.svc.Forums(ctx, e.clara, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, ff := range clara {
		if ff.ID == f.ID {
			t.Errorf("Clara lists 3a's forum with %d new", ff.Unread)
		}
	}
}
