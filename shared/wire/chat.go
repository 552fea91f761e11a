package wire

import "time"

// Types of the chat module (/api/v1/chat/..., /api/v1/admin/chat/...);
// documented in docs/api/chat.md.

// Chat room kinds.
const (
	ChatGroupRoom  = "group"  // a class's or group's room
	ChatDirectRoom = "direct" // two people
)

// Bounds of the chat.
const (
	ChatMaxPage = 100
	ChatMaxBody = 2000 // characters of a message
	// ChatReportWindow is how many messages before and after a reported
	// one an admin sees when opening its report.
	ChatReportWindow = 20
	// ChatWaitSeconds is how long GET /api/v1/chat/events waits at most
	// with the server's default configuration.
	ChatWaitSeconds = 25
)

// Chat report states.
const (
	ChatReportOpen   = "open"
	ChatReportClosed = "closed"
)

// ChatPerson is a sender, a room partner, a reporter or a teacher.
type ChatPerson struct {
	Login string `json:"login,omitempty"` // "" for the school server and for accounts deleted since
	Name  string `json:"name"`
}

// ChatRoom is a room as the caller sees it.
type ChatRoom struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`  // group, direct
	Title string `json:"title"` // "Klasse 3a", a group's description, the other person's name
	// Group is the class or group of a group room; With the other person
	// of a direct room.
	Group          string      `json:"group,omitempty"`
	With           *ChatPerson `json:"with,omitempty"`
	PupilsMayWrite bool        `json:"pupils_may_write"`
	Unread         int         `json:"unread"`
	LastMessage    *time.Time  `json:"last_message,omitempty"`
	MayWrite       bool        `json:"may_write"`
	// MayModerate: a teacher of the class or group, who may delete
	// others' messages and mute the room for pupils.
	MayModerate bool `json:"may_moderate"`
}

// ChatRooms is GET /api/v1/chat/rooms.
type ChatRooms struct {
	Rooms []ChatRoom `json:"rooms"`
}

// ChatMessage is a message of a room.
type ChatMessage struct {
	ID     int64      `json:"id"`
	Room   int64      `json:"room"`
	From   ChatPerson `json:"from"`
	Body   string     `json:"body"` // "" when deleted
	SentAt time.Time  `json:"sent_at"`
	// System: a notice of the school server ("… hat den Raum stummgeschaltet").
	System  bool `json:"system,omitempty"`
	Deleted bool `json:"deleted,omitempty"`
	Mine    bool `json:"mine,omitempty"`
}

// ChatPage is GET /api/v1/chat/rooms/{id}/messages: oldest first; Next is
// the cursor (before=) of the older page.
type ChatPage struct {
	Messages []ChatMessage `json:"messages"`
	Page
}

// ChatSend is POST /api/v1/chat/rooms/{id}/messages.
type ChatSend struct {
	Body string `json:"body"`
}

// ChatDirect is POST /api/v1/chat/direct: open (or start) the direct
// room with a person.
type ChatDirect struct {
	Login string `json:"login"`
}

// ChatRead is PUT /api/v1/chat/rooms/{id}/read: read up to the message
// (0 or missing: the newest).
type ChatRead struct {
	MessageID int64 `json:"message_id,omitempty"`
}

// ChatRoomSettings is PUT /api/v1/chat/rooms/{id}/settings.
type ChatRoomSettings struct {
	PupilsMayWrite bool `json:"pupils_may_write"`
}

// ChatContact is a person the caller may start a direct chat with.
type ChatContact struct {
	Login   string   `json:"login"`
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	Classes []string `json:"classes"`
}

// ChatContacts is GET /api/v1/chat/contacts.
type ChatContacts struct {
	Contacts []ChatContact `json:"contacts"`
}

// ChatEvents is GET /api/v1/chat/events: what changed after the cursor —
// new and deleted messages of the caller's rooms (a deleted one comes
// again with deleted set), and new reports that concern the caller (as the
// teacher to inform, or any for an admin; without chat content). Cursor
// is the cursor of the next request. Reset: the server did not know the
// cursor (restored backup); reload the rooms.
type ChatEvents struct {
	Cursor   string        `json:"cursor"`
	Reset    bool          `json:"reset,omitempty"`
	Messages []ChatMessage `json:"messages"`
	Reports  []ChatReport  `json:"reports"`
}

// ChatReason is a reason a reporter picks.
type ChatReason struct {
	Key   string `json:"key"`
	Title string `json:"title"`
}

// ChatReportOptions is GET /api/v1/chat/report-options: the reasons, the
// school's setting whether a teacher is named ("optional", "required",
// "off") and the teachers the caller may name.
type ChatReportOptions struct {
	Reasons  []ChatReason `json:"reasons"`
	Teacher  string       `json:"teacher"`
	Teachers []ChatPerson `json:"teachers"`
}

// ChatReportRequest is POST /api/v1/chat/messages/{id}/report.
type ChatReportRequest struct {
	Reason  string `json:"reason"`
	Note    string `json:"note,omitempty"`
	Teacher string `json:"teacher,omitempty"` // a login from ChatReportOptions.Teachers
}

// ChatReport is a report, without the reported message's content.
type ChatReport struct {
	ID          int64       `json:"id"`
	Message     int64       `json:"message"`
	Room        int64       `json:"room"`
	RoomTitle   string      `json:"room_title"`
	Reason      string      `json:"reason"`
	ReasonTitle string      `json:"reason_title"`
	Note        string      `json:"note,omitempty"`
	Reporter    ChatPerson  `json:"reporter"`
	Author      ChatPerson  `json:"author"`
	Teacher     *ChatPerson `json:"teacher,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	Status      string      `json:"status"` // open, closed
	ClosedAt    *time.Time  `json:"closed_at,omitempty"`
	ClosedBy    string      `json:"closed_by,omitempty"`
	CloseNote   string      `json:"close_note,omitempty"`
	Removed     bool        `json:"removed,omitempty"`
}

// ChatReports is GET /api/v1/chat/reports and GET /api/v1/admin/chat/reports.
type ChatReports struct {
	Reports []ChatReport `json:"reports"`
}

// ChatReportView is GET /api/v1/admin/chat/reports/{id}: the report and
// its window — the reported message and up to ChatReportWindow messages
// before and after it in its room, oldest first. Nothing else of the room.
type ChatReportView struct {
	Report   ChatReport    `json:"report"`
	Messages []ChatMessage `json:"messages"`
}

// ChatReportClose is POST /api/v1/admin/chat/reports/{id}/close.
type ChatReportClose struct {
	Note          string `json:"note"`
	RemoveMessage bool   `json:"remove_message,omitempty"`
}
