package forum

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"kaspel/server/directory"
)

// TopicList is one page of a forum's topics, latest activity first. Next
// is the cursor of the following page, 0 on the last one.
type TopicList struct {
	Forum  Forum
	Topics []Topic
	Next   int64
}

// TopicPage is one page of a topic's posts, oldest first.
type TopicPage struct {
	Forum Forum
	Topic Topic
	Posts []Post
	Next  int64
}

func checkLimit(limit int) error {
	if limit <= 0 || limit > MaxPage {
		return refuse(Invalid, "limit", fmt.Sprintf("Eine Seite hat 1 bis %d Einträge.", MaxPage), "page limit %d", limit)
	}
	return nil
}

// Topics returns a page of a forum's topics: the ones with the newest
// posts first, below the cursor (the Next of the page before; 0 for the
// first page). A topic that gets a new post meanwhile moves to the top.
func (s *Service) Topics(ctx context.Context, me directory.Person, forumID, cursor int64, limit int) (TopicList, error) {
	if err := checkLimit(limit); err != nil {
		return TopicList{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return TopicList{}, err
	}
	f, err := s.readable(ctx, g, forumID)
	if err != nil {
		return TopicList{}, err
	}
	if cursor <= 0 {
		cursor = math.MaxInt64
	}
	list, err := topicsPage(ctx, s.db.R, forumID, cursor, limit+1)
	if err != nil {
		return TopicList{}, err
	}
	out := TopicList{Forum: f, Topics: list}
	if len(list) > limit {
		out.Topics = list[:limit]
		out.Next = list[limit-1].LastPostID
	}
	ids := make([]int64, len(out.Topics))
	for i, t := range out.Topics {
		ids[i] = t.ID
	}
	unread, err := unreadByTopic(ctx, s.db.R, me.ID, ids)
	if err != nil {
		return TopicList{}, err
	}
	for i := range out.Topics {
		out.Topics[i].Unread = unread[out.Topics[i].ID]
	}
	return out, nil
}

// checkText validates a post's text.
func checkText(text string) (string, error) {
	text = cleanText(text)
	switch {
	case text == "":
		return "", refuse(Invalid, "text", "Der Beitrag ist leer. Schreib etwas hinein.", "empty post")
	case utf8.RuneCountInString(text) > MaxText:
		return "", refuse(Invalid, "text", fmt.Sprintf("Ein Beitrag darf höchstens %d Zeichen lang sein.", MaxText), "post too long")
	case !utf8.ValidString(text):
		return "", refuse(Invalid, "text", "Der Text enthält ungültige Zeichen.", "invalid UTF-8")
	}
	return text, nil
}

// take holds a post back when the person wrote too many in the last
// hour; the returned function gives the reservation back when the post
// fails after all.
func (s *Service) take(me directory.Person, now time.Time) (func(), error) {
	limit := s.cfg.StaffPostsPerHour
	if me.Role == directory.Pupil {
		limit = s.cfg.PupilPostsPerHour
	}
	ok, retry, undo := s.limiter.take(me.ID, limit, now)
	if !ok {
		return nil, refuse(RateLimited, "", fmt.Sprintf("Du hast in der letzten Stunde schon %d Beiträge geschrieben. Ab %s Uhr kannst du wieder schreiben.",
			limit, retry.In(berlin).Format("15:04")), "%s wrote %d posts within the hour", me.Login, limit)
	}
	return undo, nil
}

func author(me directory.Person) Person { return Person{ID: me.ID, Login: me.Login, Name: me.Name()} }

// NewTopic opens a topic in a forum the person reads, with its first post.
func (s *Service) NewTopic(ctx context.Context, me directory.Person, forumID int64, title, text string) (TopicPage, error) {
	title = oneLine(title)
	switch {
	case title == "":
		return TopicPage{}, refuse(Invalid, "title", "Bitte gib dem Thema eine Überschrift.", "no title")
	case utf8.RuneCountInString(title) > MaxTitle:
		return TopicPage{}, refuse(Invalid, "title", fmt.Sprintf("Die Überschrift darf höchstens %d Zeichen lang sein.", MaxTitle), "title too long")
	}
	text, err := checkText(text)
	if err != nil {
		return TopicPage{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return TopicPage{}, err
	}
	if _, err := s.readable(ctx, g, forumID); err != nil {
		return TopicPage{}, err
	}
	now := s.now()
	undo, err := s.take(me, now)
	if err != nil {
		return TopicPage{}, err
	}
	t := Topic{ForumID: forumID, Title: title, Author: author(me), CreatedAt: now}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertTopic(ctx, tx, &t); err != nil {
			return err
		}
		p := Post{TopicID: t.ID, Author: t.Author, Text: text, CreatedAt: now}
		if err := insertPost(ctx, tx, &p); err != nil {
			return err
		}
		_, err := refreshTopic(ctx, tx, t.ID)
		return err
	})
	if err != nil {
		undo() // what was not posted does not count
		return TopicPage{}, err
	}
	return s.Topic(ctx, me, t.ID, 0, MaxPage)
}

// topicIn loads a topic of a forum the person reads.
func (s *Service) topicIn(ctx context.Context, g *grants, topicID int64) (Topic, Forum, error) {
	t, err := topicByID(ctx, s.db.R, topicID)
	if err != nil {
		return t, Forum{}, err
	}
	f, err := s.readable(ctx, g, t.ForumID)
	if err != nil {
		return t, f, ErrNoTopic
	}
	return t, f, nil
}

// Topic returns a page of a topic's posts, oldest first, after the
// cursor (the Next of the page before; 0 for the first page).
func (s *Service) Topic(ctx context.Context, me directory.Person, topicID, cursor int64, limit int) (TopicPage, error) {
	if err := checkLimit(limit); err != nil {
		return TopicPage{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return TopicPage{}, err
	}
	t, f, err := s.topicIn(ctx, g, topicID)
	if err != nil {
		return TopicPage{}, err
	}
	if cursor < 0 {
		cursor = 0
	}
	posts, err := postsPage(ctx, s.db.R, topicID, cursor, limit+1)
	if err != nil {
		return TopicPage{}, err
	}
	out := TopicPage{Forum: f, Topic: t}
	if len(posts) > limit {
		posts = posts[:limit]
		out.Next = posts[limit-1].ID
	}
	now := s.now()
	out.Posts = make([]Post, len(posts))
	for i, p := range posts {
		out.Posts[i] = view(p, g, f, now)
	}
	// What the page shows is read now (posts come oldest first).
	if len(posts) > 0 {
		last := posts[len(posts)-1].ID
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return markRead(ctx, tx, me.ID, topicID, last) }); err != nil {
			return TopicPage{}, err
		}
	}
	return out, nil
}

// view is a post as the person may see it: a hidden post's text and
// reason only for the forum's moderators and the author.
func view(p Post, g *grants, f Forum, now time.Time) Post {
	p.Own = p.Author.ID != 0 && p.Author.ID == g.me.ID
	p.Editable = p.Own && !p.Hidden && now.Sub(p.CreatedAt) < EditWindow
	if p.Hidden {
		p.Notice = HiddenNotice
	}
	if p.Hidden && !p.Own && !g.moderator(f) {
		p.Text, p.HiddenReason, p.HiddenBy = "", "", ""
	}
	return p
}

// Reply answers in a topic.
func (s *Service) Reply(ctx context.Context, me directory.Person, topicID int64, text string) (Post, error) {
	text, err := checkText(text)
	if err != nil {
		return Post{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Post{}, err
	}
	_, f, err := s.topicIn(ctx, g, topicID)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	undo, err := s.take(me, now)
	if err != nil {
		return Post{}, err
	}
	p := Post{TopicID: topicID, Author: author(me), Text: text, CreatedAt: now}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := topicByID(ctx, tx, topicID); err != nil {
			return err // deleted meanwhile
		}
		if err := insertPost(ctx, tx, &p); err != nil {
			return err
		}
		_, err := refreshTopic(ctx, tx, topicID)
		return err
	})
	if err != nil {
		undo()
		return Post{}, err
	}
	return view(p, g, f, now), nil
}

// postIn loads a post of a forum the person reads, with its topic.
func (s *Service) postIn(ctx context.Context, g *grants, postID int64) (Post, Topic, Forum, error) {
	p, err := postByID(ctx, s.db.R, postID)
	if err != nil {
		return p, Topic{}, Forum{}, err
	}
	t, f, err := s.topicIn(ctx, g, p.TopicID)
	if err != nil {
		return p, t, f, ErrNoPost
	}
	return p, t, f, nil
}

// EditPost corrects the person's own post within EditWindow.
func (s *Service) EditPost(ctx context.Context, me directory.Person, postID int64, text string) (Post, error) {
	text, err := checkText(text)
	if err != nil {
		return Post{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Post{}, err
	}
	p, _, f, err := s.postIn(ctx, g, postID)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	switch {
	case p.Author.ID == 0 || p.Author.ID != me.ID:
		return Post{}, refuse(Forbidden, "", "Du kannst nur deine eigenen Beiträge ändern.", "%s is not the author of post %d", me.Login, postID)
	case p.Hidden:
		return Post{}, refuse(Forbidden, "", "Die Moderation hat diesen Beitrag ausgeblendet. Er kann nicht mehr geändert werden.", "post %d is hidden", postID)
	case now.Sub(p.CreatedAt) >= EditWindow:
		return Post{}, refuse(Forbidden, "", fmt.Sprintf("Einen Beitrag kann man nur in den ersten %d Minuten ändern. Schreib stattdessen eine Antwort.",
			int(EditWindow/time.Minute)), "post %d is older than the edit window", postID)
	}
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return updatePostText(ctx, tx, postID, text, now) }); err != nil {
		return Post{}, err
	}
	p.Text, p.EditedAt = text, now
	return view(p, g, f, now), nil
}

// moderating loads a post in a forum the person moderates. Who reads the
// forum but does not moderate it is refused (403); who does not read it
// does not find the post (404).
func (s *Service) moderating(ctx context.Context, me directory.Person, postID int64, what string) (Post, Topic, Forum, *grants, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Post{}, Topic{}, Forum{}, nil, err
	}
	p, t, f, err := s.postIn(ctx, g, postID)
	if err != nil {
		return p, t, f, g, err
	}
	if !g.moderator(f) {
		return p, t, f, g, errNotModerator(me, f, what)
	}
	return p, t, f, g, nil
}

func errNotModerator(me directory.Person, f Forum, what string) *Error {
	return refuse(Forbidden, "", fmt.Sprintf("%s dürfen nur die Moderatorinnen und Moderatoren dieses Forums (Nutzungsordnung). Du moderierst „%s“ nicht.",
		what, f.Name), "%s does not moderate forum %d", me.Login, f.ID)
}

func checkReason(reason string) (string, error) {
	reason = oneLine(reason)
	if reason == "" {
		return "", refuse(Invalid, "reason", "Bitte gib einen Grund an.", "no reason")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return "", refuse(Invalid, "reason", fmt.Sprintf("Der Grund darf höchstens %d Zeichen lang sein.", MaxReason), "reason too long")
	}
	return reason, nil
}

// HidePost hides a post from the forum's readers with a reason (the
// forum's moderators only). It can be shown again; the protocol has who
// hid it and why.
func (s *Service) HidePost(ctx context.Context, me directory.Person, actor directory.Actor, postID int64, reason string) (Post, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return Post{}, err
	}
	p, t, f, g, err := s.moderating(ctx, me, postID, "Beiträge ausblenden")
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := setHidden(ctx, tx, postID, now, me.Name(), reason); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, "forum.hide", authorLogin(p), fmt.Sprintf("%s ausgeblendet. Grund: %s", where(f, t, p), reason))
	})
	if err != nil {
		return Post{}, err
	}
	p.Hidden, p.HiddenAt, p.HiddenBy, p.HiddenReason = true, now, me.Name(), reason
	return view(p, g, f, now), nil
}

// UnhidePost shows a hidden post again (the forum's moderators only).
func (s *Service) UnhidePost(ctx context.Context, me directory.Person, actor directory.Actor, postID int64) (Post, error) {
	p, t, f, g, err := s.moderating(ctx, me, postID, "Beiträge wieder einblenden")
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	if p.Hidden {
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := setHidden(ctx, tx, postID, time.Time{}, "", ""); err != nil {
				return err
			}
			return record(ctx, tx, actor, now, "forum.unhide", authorLogin(p), where(f, t, p)+" wieder eingeblendet")
		})
		if err != nil {
			return Post{}, err
		}
	}
	p.Hidden, p.HiddenAt, p.HiddenBy, p.HiddenReason, p.Notice = false, time.Time{}, "", "", ""
	return view(p, g, f, now), nil
}

// DeletePost deletes a post with a reason (the forum's moderators only).
// It disappears for the readers; the protocol keeps its text and author
// for the holders of the protocol right, in the same transaction. A
// topic whose last post goes, goes with it.
func (s *Service) DeletePost(ctx context.Context, me directory.Person, actor directory.Actor, postID int64, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	_, t, f, _, err := s.moderating(ctx, me, postID, "Beiträge löschen")
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		// The protocol gets the text as it is deleted, not as it was
		// read before (an author may have corrected it meanwhile).
		p, err := postByID(ctx, tx, postID)
		if err != nil {
			return err
		}
		if err := deletePost(ctx, tx, postID); err != nil {
			return err
		}
		if _, err := refreshTopic(ctx, tx, t.ID); err != nil {
			return err
		}
		return recordDeletion(ctx, tx, actor, now, f, t, p, reason)
	})
}

// DeleteTopic deletes a topic with all its posts (the forum's moderators
// only), each post into the protocol as DeletePost does.
func (s *Service) DeleteTopic(ctx context.Context, me directory.Person, actor directory.Actor, topicID int64, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	t, f, err := s.topicIn(ctx, g, topicID)
	if err != nil {
		return err
	}
	if !g.moderator(f) {
		return errNotModerator(me, f, "Themen löschen")
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		for after := int64(0); ; {
			posts, err := postsPage(ctx, tx, topicID, after, MaxPage)
			if err != nil {
				return err
			}
			for _, p := range posts {
				if err := recordDeletion(ctx, tx, actor, now, f, t, p, reason+" (ganzes Thema gelöscht)"); err != nil {
					return err
				}
			}
			if len(posts) < MaxPage {
				break
			}
			after = posts[len(posts)-1].ID
		}
		return deleteTopic(ctx, tx, topicID)
	})
}

// recordDeletion writes a deleted post into the protocol: where it was,
// who wrote it when, why it was deleted, and its text.
func recordDeletion(ctx context.Context, tx *sql.Tx, actor directory.Actor, at time.Time, f Forum, t Topic, p Post, reason string) error {
	detail := fmt.Sprintf("%s gelöscht. Grund: %s\nText:\n%s", where(f, t, p), reason, p.Text)
	return record(ctx, tx, actor, at, "forum.delete", authorLogin(p), detail)
}

// where names a post for the protocol.
func where(f Forum, t Topic, p Post) string {
	who := p.Author.Name
	if p.Author.Login != "" {
		who += " (" + p.Author.Login + ")"
	}
	return fmt.Sprintf("Forum „%s“, Thema „%s“: Beitrag %d von %s vom %s Uhr", f.Name, t.Title, p.ID, who,
		p.CreatedAt.In(berlin).Format("02.01.2006, 15:04"))
}

func authorLogin(p Post) string {
	if p.Author.Login != "" {
		return p.Author.Login
	}
	return strings.TrimSpace(p.Author.Name)
}
