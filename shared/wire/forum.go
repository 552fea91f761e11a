package wire

import "time"

// Types of the forum module (/api/v1/forum/..., /api/v1/admin/forum/...);
// documented in docs/api/forum.md.

// Forum kinds.
const (
	ForumGroup  = "group"  // a class's or group's forum
	ForumSchool = "school" // a school-wide forum the admins created
)

// ForumMaxPage is the largest page of topics or posts.
const ForumMaxPage = 100

// ForumPerson is an author or a moderator.
type ForumPerson struct {
	Login string `json:"login"` // "" when the account is gone
	Name  string `json:"name"`
}

// Forum is a forum as the caller sees it.
type Forum struct {
	ID              int64         `json:"id"`
	Kind            string        `json:"kind"`            // group, school
	Group           string        `json:"group,omitempty"` // "3a" for a group forum
	Name            string        `json:"name"`            // "Klasse 3a", "Pausenhof"
	Description     string        `json:"description,omitempty"`
	Roles           []string      `json:"roles,omitempty"` // who reads a school forum; none: everyone
	Topics          int           `json:"topics"`
	LastPostAt      *time.Time    `json:"last_post_at,omitempty"`
	Unread          int           `json:"unread"`               // posts by others the caller has not seen (in the list)
	Member          bool          `json:"member"`               // reads it as a member (admins read every forum)
	Moderator       bool          `json:"moderator"`            // the caller moderates it
	NamesModerators bool          `json:"names_moderators"`     // the caller may name its moderators
	Moderators      []ForumPerson `json:"moderators,omitempty"` // in GET /api/v1/forum/forums/{id}
}

// Forums is GET /api/v1/forum/forums.
type Forums struct {
	Forums []Forum `json:"forums"`
}

// ForumTopic is a topic in a list.
type ForumTopic struct {
	ID         int64       `json:"id"`
	ForumID    int64       `json:"forum_id"`
	Title      string      `json:"title"`
	Author     ForumPerson `json:"author"`
	CreatedAt  time.Time   `json:"created_at"`
	Posts      int         `json:"posts"`
	LastPostAt time.Time   `json:"last_post_at"`
	Unread     int         `json:"unread"` // posts by others the caller has not seen
}

// ForumTopics is GET /api/v1/forum/forums/{id}/topics: the latest
// activity first; Next is the cursor of the following page.
type ForumTopics struct {
	Forum  Forum        `json:"forum"`
	Topics []ForumTopic `json:"topics"`
	Page
}

// ForumPost is a post. A hidden post has no text for readers other than
// its author and the forum's moderators; Notice says so in German.
type ForumPost struct {
	ID           int64       `json:"id"`
	TopicID      int64       `json:"topic_id"`
	Author       ForumPerson `json:"author"`
	Text         string      `json:"text"`
	CreatedAt    time.Time   `json:"created_at"`
	EditedAt     *time.Time  `json:"edited_at,omitempty"`
	Hidden       bool        `json:"hidden,omitempty"`
	HiddenBy     string      `json:"hidden_by,omitempty"`
	HiddenReason string      `json:"hidden_reason,omitempty"`
	Notice       string      `json:"notice,omitempty"`
	Own          bool        `json:"own"`
	Editable     bool        `json:"editable"`
}

// ForumTopicPage is GET /api/v1/forum/topics/{id} and the answer to a new
// topic: posts oldest first; Next is the cursor of the following page.
type ForumTopicPage struct {
	Forum Forum       `json:"forum"`
	Topic ForumTopic  `json:"topic"`
	Posts []ForumPost `json:"posts"`
	Page
}

// ForumNewTopic is POST /api/v1/forum/forums/{id}/topics.
type ForumNewTopic struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// ForumText is POST /api/v1/forum/topics/{id}/posts and PUT
// /api/v1/forum/posts/{id}.
type ForumText struct {
	Text string `json:"text"`
}

// ForumReason is the body of hiding or deleting a post or topic.
type ForumReason struct {
	Reason string `json:"reason"`
}

// ForumSchoolForum is POST /api/v1/admin/forum/forums and PUT
// /api/v1/admin/forum/forums/{id}.
type ForumSchoolForum struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Roles       []string `json:"roles,omitempty"` // pupil, teacher, secretary, admin; none: everyone
}
