package mail

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/server/directory"
)

// counts returns a person's folder counts as "total/unread" per folder.
func (e *env) counts(p directory.Person) map[Folder]string {
	e.t.Helper()
	list, err := e.svc.FolderList(ctx, p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[Folder]string{}
	for _, f := range list {
		out[f.Folder] = fmt.Sprintf("%d/%d", f.Total, f.Unread)
	}
	return out
}

func TestFoldersAndReadMarks(t *testing.T) {
	e := newEnv(t)
	m := e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "Hallo"})
	e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "Noch was"})
	steps := []struct {
		name string
		do   func() error
		ben  map[Folder]string
	}{
		{"delivered unread", func() error { return nil }, map[Folder]string{Inbox: "2/2", Sent: "0/0", Trash: "0/0"}},
		{"an inspecting look does not mark read", func() error { _, err := e.svc.Message(ctx, e.ben.ID, m.ID, false); return err },
			map[Folder]string{Inbox: "2/2", Sent: "0/0", Trash: "0/0"}},
		{"opening marks read", func() error { _, err := e.svc.Message(ctx, e.ben.ID, m.ID, true); return err },
			map[Folder]string{Inbox: "2/1", Sent: "0/0", Trash: "0/0"}},
		{"mark unread", func() error { return e.svc.SetRead(ctx, e.ben.ID, m.ID, false) }, map[Folder]string{Inbox: "2/2", Sent: "0/0", Trash: "0/0"}},
		{"mark read", func() error { return e.svc.SetRead(ctx, e.ben.ID, m.ID, true) }, map[Folder]string{Inbox: "2/1", Sent: "0/0", Trash: "0/0"}},
		{"unread stays unread in the trash", func() error {
			p := e.folder(e.ben, Inbox)
			return e.svc.MoveToTrash(ctx, e.ben.ID, p[0])
		}, map[Folder]string{Inbox: "1/0", Sent: "0/0", Trash: "1/1"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			got := e.counts(e.ben)
			for f, want := range s.ben {
				if got[f] != want {
					t.Errorf("%s: got %s, want %s", f, got[f], want)
				}
			}
		})
	}
	if got, want := e.counts(e.anna)[Sent], "2/0"; got != want {
		t.Errorf("sender's sent folder: got %s, want %s (own messages are read)", got, want)
	}
	t.Run("someone else's message", func(t *testing.T) {
		if _, err := e.svc.Message(ctx, e.clara.ID, m.ID, true); kindOf(err) != NotFound {
			t.Errorf("read: got %v, want NotFound", err)
		}
		if err := e.svc.SetRead(ctx, e.clara.ID, m.ID, true); kindOf(err) != NotFound {
			t.Errorf("mark: got %v, want NotFound", err)
		}
		if err := e.svc.MoveToTrash(ctx, e.clara.ID, m.ID); kindOf(err) != NotFound {
			t.Errorf("trash: got %v, want NotFound", err)
		}
	})
	t.Run("unknown folder", func(t *testing.T) {
		if _, err := e.svc.Page(ctx, e.ben.ID, "drafts", 0, 10); kindOf(err) != NotFound {
			t.Errorf("got %v, want NotFound", err)
		}
	})
}

func TestTrashRestoreDelete(t *testing.T) {
	e := newEnv(t)
	m := e.send(e.anna, Draft{To: []string{e.ben.Login, e.clara.Login}, Subject: "Hallo"})
	messages := func() int { return e.count(`SELECT COUNT(*) FROM mail_messages WHERE id = ?`, m.ID) }

	if err := e.svc.Delete(ctx, e.ben.ID, m.ID); kindOf(err) != Invalid {
		t.Errorf("delete outside the trash: got %v, want Invalid", err)
	}
	if err := e.svc.Restore(ctx, e.ben.ID, m.ID); kindOf(err) != NotFound {
		t.Errorf("restore outside the trash: got %v, want NotFound", err)
	}
	for _, p := range []directory.Person{e.ben, e.anna} {
		if err := e.svc.MoveToTrash(ctx, p.ID, m.ID); err != nil {
			t.Fatalf("trash for %s: %v", p.Login, err)
		}
	}
	if err := e.svc.MoveToTrash(ctx, e.ben.ID, m.ID); kindOf(err) != NotFound {
		t.Errorf("trash twice: got %v, want NotFound", err)
	}
	if got := e.folder(e.ben, Trash); !slices.Equal(got, []int64{m.ID}) {
		t.Errorf("ben's trash: got %v, want [%d]", got, m.ID)
	}
	// Restore puts it back where it came from: the inbox for Ben, the
	// sent folder for Anna.
	if err := e.svc.Restore(ctx, e.anna.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.folder(e.anna, Sent); !slices.Equal(got, []int64{m.ID}) {
		t.Errorf("anna's sent after restore: got %v, want [%d]", got, m.ID)
	}
	if err := e.svc.Restore(ctx, e.ben.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.folder(e.ben, Inbox); !slices.Equal(got, []int64{m.ID}) {
		t.Errorf("ben's inbox after restore: got %v, want [%d]", got, m.ID)
	}
	// Deleting for good removes one copy; the message goes with the last.
	for i, p := range []directory.Person{e.ben, e.anna, e.clara} {
		if err := e.svc.MoveToTrash(ctx, p.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Delete(ctx, p.ID, m.ID); err != nil {
			t.Fatalf("delete for %s: %v", p.Login, err)
		}
		if _, err := e.svc.Message(ctx, p.ID, m.ID, false); kindOf(err) != NotFound {
			t.Errorf("%s after delete: got %v, want NotFound", p.Login, err)
		}
		want := 1
		if i == 2 {
			want = 0
		}
		if got := messages(); got != want {
			t.Errorf("after %s deleted: got %d message rows, want %d", p.Login, got, want)
		}
	}
}

func TestPaging(t *testing.T) {
	e := newEnv(t)
	bulkInbox(t, e.db, e.anna.ID, e.ben.ID, 250)
	all := e.count(`SELECT COUNT(*) FROM mail_boxes WHERE person_id = ? AND folder = 'inbox'`, e.ben.ID)
	if all != 250 {
		t.Fatalf("got %d in the inbox, want 250", all)
	}
	var seen []int64
	var sizes []int
	cursor := int64(0)
	for page := 0; ; page++ {
		p, err := e.svc.Page(ctx, e.ben.ID, Inbox, cursor, 100)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(p.Messages))
		for _, m := range p.Messages {
			seen = append(seen, m.ID)
		}
		if page == 0 {
			// New mail arriving between pages does not shift the next page.
			bulkInbox(t, e.db, e.anna.ID, e.ben.ID, 7)
		}
		if p.Next == 0 {
			break
		}
		if got := p.Messages[len(p.Messages)-1].ID; p.Next != got {
			t.Errorf("page %d: got cursor %d, want the last id %d", page, p.Next, got)
		}
		cursor = p.Next
	}
	if got, want := sizes, []int{100, 100, 50}; !slices.Equal(got, want) {
		t.Errorf("page sizes: got %v, want %v", got, want)
	}
	if !slices.IsSortedFunc(seen, func(a, b int64) int { return int(b - a) }) {
		t.Errorf("ids not newest first across pages")
	}
	if got := len(slices.Compact(slices.Clone(seen))); got != 250 {
		t.Errorf("got %d distinct messages, want 250", got)
	}
	t.Run("a cursor deep in the folder", func(t *testing.T) {
		p, err := e.svc.Page(ctx, e.ben.ID, Inbox, 0, 257)
		if kindOf(err) != Invalid {
			t.Fatalf("limit 257: got %v, want Invalid", err)
		}
		p, err = e.svc.Page(ctx, e.ben.ID, Inbox, seen[156], 100) // exactly 100 older than it
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Messages) != 93 || p.Next != 0 {
			t.Errorf("got %d messages and cursor %d, want 93 and none", len(p.Messages), p.Next)
		}
	})
	t.Run("bad limits", func(t *testing.T) {
		for _, l := range []int{0, -1, MaxPage + 1} {
			if _, err := e.svc.Page(ctx, e.ben.ID, Inbox, 0, l); kindOf(err) != Invalid {
				t.Errorf("limit %d: got %v, want Invalid", l, err)
			}
		}
	})
}

// A purged person's mail goes with them: their mailbox rows by cascade,
// the messages nobody else has by the trigger. What they sent stays with
// the recipients, with the sender's name.
func TestPurgeRemovesMailbox(t *testing.T) {
	e := newEnv(t)
	toBen := e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "an Ben"})
	fromBen := e.send(e.ben, Draft{To: []string{e.anna.Login}, Subject: "an Anna"})
	if _, err := e.svc.Inspect(ctx, e.adam, admin, e.anna.Login, "Verdacht"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Upload(ctx, e.anna, "x.txt", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	// Ben deletes his copy of what he sent: now only Anna has it.
	if err := e.svc.MoveToTrash(ctx, e.ben.ID, fromBen.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(ctx, e.ben.ID, fromBen.ID); err != nil {
		t.Fatal(err)
	}

	if err := e.dir.SetLeaving(ctx, admin, e.anna.Login, "2026-07-31"); err != nil {
		t.Fatal(err)
	}
	e.clock.add(120 * 24 * time.Hour)
	gone, err := e.dir.Purge(ctx, admin, directory.PurgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 1 || gone[0].Login != e.anna.Login {
		t.Fatalf("purged %v, want anna", gone)
	}
	checks := []struct {
		name  string
		query string
		arg   any
		want  int
	}{
		{"anna's mailbox rows", `SELECT COUNT(*) FROM mail_boxes WHERE person_id = ?`, e.anna.ID, 0},
		{"anna's uploads", `SELECT COUNT(*) FROM mail_uploads WHERE person_id = ?`, e.anna.ID, 0},
		{"inspections of anna", `SELECT COUNT(*) FROM mail_inspections WHERE owner_id = ?`, e.anna.ID, 0},
		{"message only anna had", `SELECT COUNT(*) FROM mail_messages WHERE id = ?`, fromBen.ID, 0},
		{"notice to anna", `SELECT COUNT(*) FROM mail_messages WHERE kind = 'system' AND id > ?`, 0, 0},
		{"message ben still has", `SELECT COUNT(*) FROM mail_messages WHERE id = ?`, toBen.ID, 1},
		{"no orphans", `SELECT COUNT(*) FROM mail_messages m WHERE NOT EXISTS (SELECT 1 FROM mail_boxes b WHERE b.message_id = m.id)`, 0, 0},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if got := e.count(c.query, c.arg); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
	m, err := e.svc.Message(ctx, e.ben.ID, toBen.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.From.Name, "Anna Schmidt"; got != want {
		t.Errorf("sender of a purged person: got %q, want %q", got, want)
	}
}

func TestBlobInUse(t *testing.T) {
	e := newEnv(t)
	up, err := e.svc.Upload(ctx, e.anna, "a.txt", strings.NewReader("Inhalt"))
	if err != nil {
		t.Fatal(err)
	}
	inUse := func() bool {
		t.Helper()
		ok, err := e.svc.BlobInUse(ctx, up.Hash)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := e.svc.ReferencedBlobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ref[up.Hash] != ok {
			t.Errorf("BlobInUse %v, ReferencedBlobs %v", ok, ref[up.Hash])
		}
		return ok
	}
	if !inUse() {
		t.Errorf("pending upload: got not in use, want in use")
	}
	m := e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "x", Attachments: []int64{up.ID}})
	if !inUse() {
		t.Errorf("attachment: got not in use, want in use")
	}
	for _, p := range []directory.Person{e.anna, e.ben} {
		if err := e.svc.MoveToTrash(ctx, p.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Delete(ctx, p.ID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if inUse() {
		t.Errorf("after the last copy went: got in use, want not")
	}
	// The blob store's sweep takes what mail no longer refers to.
	n, err := e.blobs.Sweep(func(h string) bool { ok, _ := e.svc.BlobInUse(ctx, h); return ok }, -time.Hour)
	if err != nil || n != 1 {
		t.Errorf("sweep: got %d, %v, want 1 removed", n, err)
	}
}
