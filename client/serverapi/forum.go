package serverapi

import (
	"context"
	"net/url"
	"strconv"

	"kaspel/shared/wire"
)

// Forum calls (docs/api/forum.md).

func forumPath(id int64) string { return "/api/v1/forum/forums/" + strconv.FormatInt(id, 10) }
func topicPath(id int64) string { return "/api/v1/forum/topics/" + strconv.FormatInt(id, 10) }
func postPath(id int64) string  { return "/api/v1/forum/posts/" + strconv.FormatInt(id, 10) }

// Forums lists the forums the caller reads: the school forums, then
// those of the own classes and groups; with all, admins get every class's.
func (c *Client) Forums(ctx context.Context, all bool) ([]wire.Forum, error) {
	v := url.Values{}
	if all {
		v.Set("all", "1")
	}
	var f wire.Forums
	err := c.do(ctx, request{method: "GET", path: "/api/v1/forum/forums", query: v, out: &f})
	return f.Forums, err
}

// Forum returns one forum with its moderators.
func (c *Client) Forum(ctx context.Context, id int64) (wire.Forum, error) {
	var f wire.Forum
	err := c.do(ctx, request{method: "GET", path: forumPath(id), out: &f})
	return f, err
}

// ForumTopics reads a page of a forum's topics, latest activity first.
// cursor is the Next of the page before ("" for the first); limit 0
// takes the server's default.
func (c *Client) ForumTopics(ctx context.Context, forumID int64, cursor string, limit int) (wire.ForumTopics, error) {
	var t wire.ForumTopics
	err := c.do(ctx, request{method: "GET", path: forumPath(forumID) + "/topics", query: pageQuery(cursor, limit), out: &t})
	return t, err
}

// NewForumTopic opens a topic with its first post.
func (c *Client) NewForumTopic(ctx context.Context, forumID int64, title, text string) (wire.ForumTopicPage, error) {
	var p wire.ForumTopicPage
	err := c.do(ctx, request{method: "POST", path: forumPath(forumID) + "/topics", json: wire.ForumNewTopic{Title: title, Text: text}, out: &p})
	return p, err
}

// ForumTopic reads a page of a topic's posts, oldest first.
func (c *Client) ForumTopic(ctx context.Context, topicID int64, cursor string, limit int) (wire.ForumTopicPage, error) {
	var p wire.ForumTopicPage
	err := c.do(ctx, request{method: "GET", path: topicPath(topicID), query: pageQuery(cursor, limit), out: &p})
	return p, err
}

// ForumReply answers in a topic.
func (c *Client) ForumReply(ctx context.Context, topicID int64, text string) (wire.ForumPost, error) {
	var p wire.ForumPost
	err := c.do(ctx, request{method: "POST", path: topicPath(topicID) + "/posts", json: wire.ForumText{Text: text}, out: &p})
	return p, err
}

// EditForumPost corrects the own post (within 15 minutes).
func (c *Client) EditForumPost(ctx context.Context, postID int64, text string) (wire.ForumPost, error) {
	var p wire.ForumPost
	err := c.do(ctx, request{method: "PUT", path: postPath(postID), json: wire.ForumText{Text: text}, out: &p})
	return p, err
}

// HideForumPost hides a post from the readers (the forum's moderators).
func (c *Client) HideForumPost(ctx context.Context, postID int64, reason string) (wire.ForumPost, error) {
	var p wire.ForumPost
	err := c.do(ctx, request{method: "POST", path: postPath(postID) + "/hide", json: wire.ForumReason{Reason: reason}, out: &p})
	return p, err
}

// UnhideForumPost shows a hidden post again (the forum's moderators).
func (c *Client) UnhideForumPost(ctx context.Context, postID int64) (wire.ForumPost, error) {
	var p wire.ForumPost
	err := c.do(ctx, request{method: "DELETE", path: postPath(postID) + "/hide", out: &p})
	return p, err
}

// DeleteForumPost deletes a post with a reason (the forum's moderators);
// its text and author go into the protocol.
func (c *Client) DeleteForumPost(ctx context.Context, postID int64, reason string) error {
	return c.do(ctx, request{method: "DELETE", path: postPath(postID), json: wire.ForumReason{Reason: reason}})
}

// DeleteForumTopic deletes a topic with all its posts (the forum's
// moderators), each post into the protocol.
func (c *Client) DeleteForumTopic(ctx context.Context, topicID int64, reason string) error {
	return c.do(ctx, request{method: "DELETE", path: topicPath(topicID), json: wire.ForumReason{Reason: reason}})
}

// AddForumModerator names a moderator of a forum (admins; teachers for
// their class's forum).
func (c *Client) AddForumModerator(ctx context.Context, forumID int64, login string) error {
	return c.do(ctx, request{method: "PUT", path: forumPath(forumID) + "/moderators/" + esc(login)})
}

// RemoveForumModerator takes a moderator's role in a forum away.
func (c *Client) RemoveForumModerator(ctx context.Context, forumID int64, login string) error {
	return c.do(ctx, request{method: "DELETE", path: forumPath(forumID) + "/moderators/" + esc(login)})
}

func schoolForumPath(id int64) string {
	return "/api/v1/admin/forum/forums/" + strconv.FormatInt(id, 10)
}

// CreateSchoolForum creates a school-wide forum (admins).
func (c *Client) CreateSchoolForum(ctx context.Context, in wire.ForumSchoolForum) (wire.Forum, error) {
	var f wire.Forum
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/forum/forums", json: in, out: &f})
	return f, err
}

// UpdateSchoolForum renames a school forum or changes who reads it (admins).
func (c *Client) UpdateSchoolForum(ctx context.Context, id int64, in wire.ForumSchoolForum) (wire.Forum, error) {
	var f wire.Forum
	err := c.do(ctx, request{method: "PUT", path: schoolForumPath(id), json: in, out: &f})
	return f, err
}

// DeleteSchoolForum deletes a school forum without topics (admins).
func (c *Client) DeleteSchoolForum(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: schoolForumPath(id)})
}
