package api

import (
	"net/http"
	"strconv"

	"kaspel/server/directory"
	"kaspel/server/forum"
	"kaspel/shared/wire"
)

// The forum module (docs/api/forum.md): a forum per class or group and
// school-wide ones, topics and posts, moderators per forum. Reading and
// writing is for every logged-in person and the service decides by
// membership (a forum the caller does not read answers 404); moderation
// is for staff, and only in the forums they moderate (403 elsewhere).
func init() {
	modules = append(modules, module{name: wire.ModuleForum, migrations: forum.Migrations, register: registerForum})
}

// forumAPI holds the forum module's handlers.
type forumAPI struct {
	svc *forum.Service
}

var forumNamers = []directory.Role{directory.Teacher, directory.Admin}

func registerForum(s *Server) error {
	svc, err := forum.New(s.DB, s.Dir, s.cfg.Forum)
	if err != nil {
		return err
	}
	h := &forumAPI{svc: svc}
	a := Access{Module: wire.ModuleForum}
	mod := Access{Module: wire.ModuleForum, Roles: staff}
	namers := Access{Module: wire.ModuleForum, Roles: forumNamers}
	adm := Access{Module: wire.ModuleForum, Roles: admins}
	route := s.handle // refusals are answered by mapError
	route("GET", "/api/v1/forum/forums", a, h.forums)
	route("GET", "/api/v1/forum/forums/{id}", a, h.forum)
	route("GET", "/api/v1/forum/forums/{id}/topics", a, h.topics)
	route("POST", "/api/v1/forum/forums/{id}/topics", a, h.newTopic)
	route("PUT", "/api/v1/forum/forums/{id}/moderators/{login}", namers, h.addModerator)
	route("DELETE", "/api/v1/forum/forums/{id}/moderators/{login}", namers, h.removeModerator)
	route("GET", "/api/v1/forum/topics/{id}", a, h.topic)
	route("POST", "/api/v1/forum/topics/{id}/posts", a, h.reply)
	route("DELETE", "/api/v1/forum/topics/{id}", mod, h.deleteTopic)
	route("PUT", "/api/v1/forum/posts/{id}", a, h.edit)
	route("POST", "/api/v1/forum/posts/{id}/hide", mod, h.hide)
	route("DELETE", "/api/v1/forum/posts/{id}/hide", mod, h.unhide)
	route("DELETE", "/api/v1/forum/posts/{id}", mod, h.deletePost)

	route("POST", "/api/v1/admin/forum/forums", adm, h.createSchoolForum)
	route("PUT", "/api/v1/admin/forum/forums/{id}", adm, h.updateSchoolForum)
	route("DELETE", "/api/v1/admin/forum/forums/{id}", adm, h.deleteSchoolForum)
	return nil
}

// forumPaging reads ?cursor= and ?limit= (default 50).
func forumPaging(c *call) (int64, int, error) {
	var cursor int64
	if v := c.query("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, invalid("Der Seitenzeiger ist ungültig. Bitte lade die Liste neu.", "cursor")
		}
		cursor = n
	}
	limit := 50
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, invalid("Die Anzahl muss eine Zahl sein.", "limit")
		}
		limit = n
	}
	return cursor, limit, nil
}

func cursorString(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func (h *forumAPI) forums(c *call) error {
	list, err := h.svc.Forums(c.ctx, c.me, c.flag("all"))
	if err != nil {
		return err
	}
	out := wire.Forums{Forums: make([]wire.Forum, len(list))}
	for i, f := range list {
		out.Forums[i] = wireForum(f)
	}
	return c.ok(out)
}

func (h *forumAPI) forum(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	f, err := h.svc.Forum(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	return c.ok(wireForum(f))
}

func (h *forumAPI) topics(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	cursor, limit, err := forumPaging(c)
	if err != nil {
		return err
	}
	l, err := h.svc.Topics(c.ctx, c.me, id, cursor, limit)
	if err != nil {
		return err
	}
	out := wire.ForumTopics{Forum: wireForum(l.Forum), Topics: make([]wire.ForumTopic, len(l.Topics))}
	for i, t := range l.Topics {
		out.Topics[i] = wireForumTopic(t)
	}
	out.Next = cursorString(l.Next)
	return c.ok(out)
}

func (h *forumAPI) newTopic(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ForumNewTopic
	if err := c.decode(&req); err != nil {
		return err
	}
	p, err := h.svc.NewTopic(c.ctx, c.me, id, req.Title, req.Text)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireTopicPage(p))
}

func (h *forumAPI) topic(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	cursor, limit, err := forumPaging(c)
	if err != nil {
		return err
	}
	p, err := h.svc.Topic(c.ctx, c.me, id, cursor, limit)
	if err != nil {
		return err
	}
	return c.ok(wireTopicPage(p))
}

func (h *forumAPI) reply(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ForumText
	if err := c.decode(&req); err != nil {
		return err
	}
	p, err := h.svc.Reply(c.ctx, c.me, id, req.Text)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireForumPost(p))
}

func (h *forumAPI) edit(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ForumText
	if err := c.decode(&req); err != nil {
		return err
	}
	p, err := h.svc.EditPost(c.ctx, c.me, id, req.Text)
	if err != nil {
		return err
	}
	return c.ok(wireForumPost(p))
}

// forumReason reads the moderator's reason from the body of a hide or delete.
func (c *call) forumReason() (string, error) {
	var req wire.ForumReason
	if err := c.decode(&req); err != nil {
		return "", err
	}
	return req.Reason, nil
}

func (h *forumAPI) hide(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	reason, err := c.forumReason()
	if err != nil {
		return err
	}
	p, err := h.svc.HidePost(c.ctx, c.me, c.actor, id, reason)
	if err != nil {
		return err
	}
	return c.ok(wireForumPost(p))
}

func (h *forumAPI) unhide(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	p, err := h.svc.UnhidePost(c.ctx, c.me, c.actor, id)
	if err != nil {
		return err
	}
	return c.ok(wireForumPost(p))
}

func (h *forumAPI) deletePost(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	reason, err := c.forumReason()
	if err != nil {
		return err
	}
	if err := h.svc.DeletePost(c.ctx, c.me, c.actor, id, reason); err != nil {
		return err
	}
	return c.noContent()
}

func (h *forumAPI) deleteTopic(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	reason, err := c.forumReason()
	if err != nil {
		return err
	}
	if err := h.svc.DeleteTopic(c.ctx, c.me, c.actor, id, reason); err != nil {
		return err
	}
	return c.noContent()
}

func (h *forumAPI) addModerator(c *call) error    { return h.moderator(c, true) }
func (h *forumAPI) removeModerator(c *call) error { return h.moderator(c, false) }

func (h *forumAPI) moderator(c *call, add bool) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	change := h.svc.RemoveModerator
	if add {
		change = h.svc.AddModerator
	}
	if err := change(c.ctx, c.me, c.actor, id, c.r.PathValue("login")); err != nil {
		return err
	}
	return c.noContent()
}

func (h *forumAPI) createSchoolForum(c *call) error {
	var req wire.ForumSchoolForum
	if err := c.decode(&req); err != nil {
		return err
	}
	f, err := h.svc.CreateSchoolForum(c.ctx, c.me, c.actor, forum.SchoolForumInput{Name: req.Name, Description: req.Description, Roles: req.Roles})
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireForum(f))
}

func (h *forumAPI) updateSchoolForum(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.ForumSchoolForum
	if err := c.decode(&req); err != nil {
		return err
	}
	f, err := h.svc.UpdateSchoolForum(c.ctx, c.me, c.actor, id, forum.SchoolForumInput{Name: req.Name, Description: req.Description, Roles: req.Roles})
	if err != nil {
		return err
	}
	return c.ok(wireForum(f))
}

func (h *forumAPI) deleteSchoolForum(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteSchoolForum(c.ctx, c.me, c.actor, id); err != nil {
		return err
	}
	return c.noContent()
}

func wireForumPerson(p forum.Person) wire.ForumPerson {
	return wire.ForumPerson{Login: p.Login, Name: p.Name}
}

func wireForum(f forum.Forum) wire.Forum {
	out := wire.Forum{ID: f.ID, Kind: string(f.Kind), Group: f.GroupName, Name: f.Name, Description: f.Description,
		Topics: f.Topics, LastPostAt: optTime(f.LastPostAt), Unread: f.Unread, Member: f.Member, Moderator: f.Moderator, NamesModerators: f.NamesModerators}
	for _, r := range f.Roles {
		out.Roles = append(out.Roles, string(r))
	}
	if f.Moderators != nil {
		out.Moderators = make([]wire.ForumPerson, len(f.Moderators))
		for i, m := range f.Moderators {
			out.Moderators[i] = wireForumPerson(m)
		}
	}
	return out
}

func wireForumTopic(t forum.Topic) wire.ForumTopic {
	return wire.ForumTopic{ID: t.ID, ForumID: t.ForumID, Title: t.Title, Author: wireForumPerson(t.Author), CreatedAt: t.CreatedAt,
		Posts: t.Posts, LastPostAt: t.LastPostAt, Unread: t.Unread}
}

func wireForumPost(p forum.Post) wire.ForumPost {
	return wire.ForumPost{ID: p.ID, TopicID: p.TopicID, Author: wireForumPerson(p.Author), Text: p.Text, CreatedAt: p.CreatedAt,
		EditedAt: optTime(p.EditedAt), Hidden: p.Hidden, HiddenBy: p.HiddenBy, HiddenReason: p.HiddenReason, Notice: p.Notice,
		Own: p.Own, Editable: p.Editable}
}

func wireTopicPage(p forum.TopicPage) wire.ForumTopicPage {
	out := wire.ForumTopicPage{Forum: wireForum(p.Forum), Topic: wireForumTopic(p.Topic), Posts: make([]wire.ForumPost, len(p.Posts))}
	for i, post := range p.Posts {
		out.Posts[i] = wireForumPost(post)
	}
	out.Next = cursorString(p.Next)
	return out
}
