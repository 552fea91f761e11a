package forum

import (
	"slices"
	"strings"
	"testing"

	"kaspel/server/directory"
)

// school sets up the school forums of the tests: "Pausenhof" for
// everyone and "Lehrerzimmer" for the staff.
func (e *env) school() (pausenhof, lehrerzimmer Forum) {
	e.t.Helper()
	p, err := e.svc.CreateSchoolForum(ctx, e.adam, actor(e.adam), SchoolForumInput{Name: "Pausenhof", Description: "Für alle"})
	if err != nil {
		e.t.Fatal(err)
	}
	l, err := e.svc.CreateSchoolForum(ctx, e.adam, actor(e.adam), SchoolForumInput{Name: "Lehrerzimmer",
		Roles: []string{"lehrer", "secretary", "admin"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return p, l
}

func TestForumList(t *testing.T) {
	e := newEnv(t)
	e.school()
	tests := []struct {
		p    directory.Person
		all  bool
		want []string
	}{
		{e.anna, false, []string{"Pausenhof", "Klasse 3a"}},
		{e.anna, true, []string{"Pausenhof", "Klasse 3a"}},
		{e.clara, false, []string{"Pausenhof", "Klasse 4b"}},
		{e.tina, false, []string{"Lehrerzimmer", "Pausenhof", "Klasse 3a"}},
		{e.sabine, false, []string{"Lehrerzimmer", "Pausenhof"}},
		{e.adam, false, []string{"Lehrerzimmer", "Pausenhof"}},
		{e.adam, true, []string{"Lehrerzimmer", "Pausenhof", "Klasse 3a", "Klasse 4b"}},
	}
	for _, tt := range tests {
		list, err := e.svc.Forums(ctx, tt.p, tt.all)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, f := range list {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s (all %v): got %q, want %q", tt.p.Login, tt.all, got, tt.want)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM forums WHERE kind = 'group'`); n != 2 {
		t.Errorf("group forums created on first look: got %d, want 2", n)
	}
	// Looking again creates nothing more.
	e.svc.Forums(ctx, e.adam, true)
	if n := e.count(`SELECT COUNT(*) FROM forums`); n != 4 {
		t.Errorf("forums after looking again: got %d, want 4", n)
	}
}

func TestWhoReadsAForum(t *testing.T) {
	e := newEnv(t)
	_, staffRoom := e.school()
	class := e.forumOf(e.tina, "3a")
	tests := []struct {
		p      directory.Person
		forum  Forum
		kind   Kind
		member bool
		names  bool // names moderators
	}{
		{e.anna, class, 0, true, false},
		{e.tina, class, 0, true, true},
		{e.clara, class, NotFound, false, false},
		{e.otto, class, NotFound, false, false},
		{e.sabine, class, NotFound, false, false},
		{e.adam, class, 0, false, true},
		{e.anna, staffRoom, NotFound, false, false},
		{e.sabine, staffRoom, 0, true, false},
		{e.tina, staffRoom, 0, true, false},
		{e.alma, staffRoom, 0, true, true},
	}
	for _, tt := range tests {
		f, err := e.svc.Forum(ctx, tt.p, tt.forum.ID)
		if kindOf(err) != tt.kind {
			t.Errorf("%s reads %s: got %v, want %v", tt.p.Login, tt.forum.Name, err, tt.kind)
			continue
		}
		if err == nil && (f.Member != tt.member || f.NamesModerators != tt.names) {
			t.Errorf("%s in %s: member %v, names moderators %v; want %v, %v", tt.p.Login, f.Name, f.Member, f.NamesModerators, tt.member, tt.names)
		}
		_, err = e.svc.NewTopic(ctx, tt.p, tt.forum.ID, "Hallo", "Hallo zusammen")
		if kindOf(err) != tt.kind {
			t.Errorf("%s writes in %s: got %v, want %v", tt.p.Login, tt.forum.Name, err, tt.kind)
		}
	}
}

func TestSchoolForums(t *testing.T) {
	e := newEnv(t)
	pausenhof, _ := e.school()
	if len(pausenhof.Roles) != 0 || pausenhof.CreatedBy != "Adam Admin" || pausenhof.Kind != SchoolForum {
		t.Errorf("got %+v", pausenhof)
	}
	tests := []struct {
		name string
		by   directory.Person
		in   SchoolForumInput
		kind Kind
	}{
		{"teacher", e.tina, SchoolForumInput{Name: "Sport"}, Forbidden},
		{"no name", e.adam, SchoolForumInput{Name: "  "}, Invalid},
		{"name taken", e.adam, SchoolForumInput{Name: "pausenhof"}, Invalid},
		{"name too long", e.adam, SchoolForumInput{Name: strings.Repeat("x", MaxName+1)}, Invalid},
		{"unknown role", e.adam, SchoolForumInput{Name: "Eltern", Roles: []string{"eltern"}}, Invalid},
		{"every role is everyone", e.adam, SchoolForumInput{Name: "Alle", Roles: []string{"pupil", "teacher", "secretary", "admin"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := e.svc.CreateSchoolForum(ctx, tt.by, actor(tt.by), tt.in)
			if kindOf(err) != tt.kind {
				t.Fatalf("got %v, want %v", err, tt.kind)
			}
			if err == nil && len(f.Roles) != 0 {
				t.Errorf("roles: got %v, want none (everyone)", f.Roles)
			}
		})
	}
	t.Run("renamed, for the staff only", func(t *testing.T) {
		f, err := e.svc.UpdateSchoolForum(ctx, e.adam, actor(e.adam), pausenhof.ID, SchoolForumInput{Name: "Hof", Roles: []string{"teacher"}})
		if err != nil || f.Name != "Hof" || !slices.Equal(f.Roles, []directory.Role{directory.Teacher}) {
			t.Fatalf("got %+v, %v", f, err)
		}
		if _, err := e.svc.Forum(ctx, e.anna, pausenhof.ID); kindOf(err) != NotFound {
			t.Errorf("a pupil after the change: got %v, want NotFound", err)
		}
	})
	t.Run("deleting", func(t *testing.T) {
		tp := e.topic(e.tina, pausenhof.ID, "Thema", "Text")
		if err := e.svc.DeleteSchoolForum(ctx, e.adam, actor(e.adam), pausenhof.ID); kindOf(err) != Conflict {
			t.Errorf("with a topic: got %v, want Conflict", err)
		}
		e.moderate(e.adam, pausenhof.ID, e.adam)
		if err := e.svc.DeleteTopic(ctx, e.adam, actor(e.adam), tp.Topic.ID, "Aufräumen"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteSchoolForum(ctx, e.tina, actor(e.tina), pausenhof.ID); kindOf(err) != Forbidden {
			t.Errorf("by a teacher: got %v, want Forbidden", err)
		}
		if err := e.svc.DeleteSchoolForum(ctx, e.adam, actor(e.adam), pausenhof.ID); err != nil {
			t.Fatal(err)
		}
		class := e.forumOf(e.tina, "3a")
		if err := e.svc.DeleteSchoolForum(ctx, e.adam, actor(e.adam), class.ID); kindOf(err) != Invalid {
			t.Errorf("a class's forum: got %v, want Invalid", err)
		}
	})
	var got []string
	for _, l := range e.protocol("forum.") {
		if l.Action == "forum.create" || l.Action == "forum.change" || l.Action == "forum.remove" {
			got = append(got, l.Action+" "+l.Detail)
		}
	}
	want := []string{"forum.remove Forum „Hof“", "forum.change Forum „Pausenhof“ heißt jetzt „Hof“ (lesen und schreiben: Lehrkraft)",
		"forum.create Forum „Alle“ (lesen und schreiben: alle)",
		"forum.create Forum „Lehrerzimmer“ (lesen und schreiben: Lehrkraft, Sekretariat, Administration)",
		"forum.create Forum „Pausenhof“ (lesen und schreiben: alle)"}
	if !slices.Equal(got, want) {
		t.Errorf("protocol:\n got %q\nwant %q", got, want)
	}
}

func TestNamingModerators(t *testing.T) {
	e := newEnv(t)
	pausenhof, _ := e.school()
	class := e.forumOf(e.tina, "3a")
	other := e.forumOf(e.otto, "4b")
	tests := []struct {
		name  string
		by    directory.Person
		forum Forum
		who   string
		kind  Kind
	}{
		{"admin names a class's teacher", e.adam, class, e.tina.Login, 0},
		{"the class's teacher names a colleague", e.tina, class, e.mia.Login, 0},
		{"naming twice changes nothing", e.tina, class, e.mia.Login, 0},
		{"admin names an admin in any class", e.adam, other, e.alma.Login, 0},
		{"admin names the secretary for the school forum", e.adam, pausenhof, e.sabine.Login, 0},
		{"a teacher of another class", e.otto, class, e.otto.Login, NotFound},
		{"the class's teacher for a school forum", e.tina, pausenhof, e.tina.Login, Forbidden},
		{"a pupil", e.anna, class, e.tina.Login, Forbidden},
		{"a pupil as moderator", e.tina, class, e.anna.Login, Invalid},
		{"someone who cannot read the forum", e.tina, class, e.sabine.Login, Invalid},
		{"an unknown login", e.tina, class, "niemand", NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.AddModerator(ctx, tt.by, actor(tt.by), tt.forum.ID, tt.who)
			if kindOf(err) != tt.kind {
				t.Errorf("got %v, want %v", err, tt.kind)
			}
		})
	}
	f, err := e.svc.Forum(ctx, e.anna, class.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range f.Moderators {
		names = append(names, m.Name)
	}
	if !slices.Equal(names, []string{"Tina Lehmann", "Mia Maurer"}) {
		t.Errorf("moderators of 3a: got %q", names)
	}
	if f := e.forumOf(e.tina, "3a"); !f.Moderator {
		t.Errorf("tina's list does not mark 3a as moderated by her")
	}
	if err := e.svc.RemoveModerator(ctx, e.tina, actor(e.tina), class.ID, e.mia.Login); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RemoveModerator(ctx, e.tina, actor(e.tina), class.ID, e.mia.Login); err != nil {
		t.Errorf("removing again: got %v, want nothing to do", err)
	}
	if f := e.forumOf(e.mia, "3a"); f.Moderator {
		t.Errorf("mia still moderates 3a")
	}
	adds, removes := e.protocol("forum.moderator.add"), e.protocol("forum.moderator.remove")
	if len(adds) != 4 || len(removes) != 1 {
		t.Fatalf("protocol: got %d additions, %d removals, want 4 and 1", len(adds), len(removes))
	}
	if r := removes[0]; r.Actor != e.tina.Login || r.Target != e.mia.Login || r.Detail != "Forum „Klasse 3a“" {
		t.Errorf("removal: got %+v", r)
	}
}
