package wire

import "time"

// The PC room: rooms and their computers, enrollment codes, the computer
// endpoints the agent calls with its computer key, and the teacher's room
// view. Documented in docs/api/pcroom.md.

// Error codes of the PC room. The installer and the agent key their own
// (English) messages on them; a person sees the German message.
const (
	// CodeComputerUnauthenticated: a computer endpoint was called without
	// a valid computer key (none, unknown or revoked; a user's session
	// token is no computer key).
	CodeComputerUnauthenticated = "computer_unauthenticated"
	// CodeEnrollmentUnknown: no such enrollment code.
	CodeEnrollmentUnknown = "enrollment_code_unknown"
	// CodeEnrollmentUsed: the enrollment code enrolled a computer already.
	CodeEnrollmentUsed = "enrollment_code_used"
	// CodeEnrollmentExpired: the enrollment code expired or was revoked.
	CodeEnrollmentExpired = "enrollment_code_expired"
)

// Client modes a computer runs in (the same words as the client's --mode).
const (
	ModePCRoom = "pcroom"
	ModeStaff  = "staff"
	ModeKiosk  = "kiosk"
)

// Room commands a teacher sends to computers.
const (
	CommandLock    = "lock"
	CommandUnlock  = "unlock"
	CommandLogout  = "logout"
	CommandMessage = "message"
)

// ComputerKeyScheme is the Authorization scheme of the computer
// endpoints: "Authorization: Computer KEY". It differs from a session's
// "Bearer" so that neither credential is ever taken for the other.
const ComputerKeyScheme = "Computer"

// Room is a room with computers.
type Room struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Note      string `json:"note,omitempty"`
	Computers int    `json:"computers"`
}

// Rooms is GET /api/v1/admin/rooms and GET /api/v1/rooms.
type Rooms struct {
	Rooms []Room `json:"rooms"`
}

// NewRoom is POST /api/v1/admin/rooms.
type NewRoom struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

// RoomEdit is PATCH /api/v1/admin/rooms/{room}; nil fields stay.
type RoomEdit struct {
	Name *string `json:"name,omitempty"`
	Note *string `json:"note,omitempty"`
}

// EnrollmentCodeRequest is POST /api/v1/admin/enrollment-codes: Count
// codes (1-100, default 1), each valid for ValidHours (1-720, default
// 24), usable for the room RoomID only if set.
type EnrollmentCodeRequest struct {
	Count      int   `json:"count,omitempty"`
	ValidHours int   `json:"valid_hours,omitempty"`
	RoomID     int64 `json:"room_id,omitempty"`
}

// EnrollmentCode is an enrollment code. Code is in the answer to its
// creation only: the server keeps only its hash; Hint (the first
// characters) tells codes apart in the list.
type EnrollmentCode struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code,omitempty"`
	Hint      string    `json:"hint"`
	RoomID    int64     `json:"room_id,omitempty"`
	Room      string    `json:"room,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	Expires   time.Time `json:"expires"`
	// State is open, used, expired or revoked.
	State    string    `json:"state"`
	UsedAt   time.Time `json:"used_at,omitzero"`
	Computer string    `json:"computer,omitempty"` // the computer it enrolled
}

// EnrollmentCodes is the list and the creation answer.
type EnrollmentCodes struct {
	Codes []EnrollmentCode `json:"codes"`
}

// ComputerUser is who is logged in at a computer.
type ComputerUser struct {
	Login string    `json:"login"`
	Name  string    `json:"name"`
	Since time.Time `json:"since"`
}

// Computer is an enrolled computer as admins and the room view see it.
type Computer struct {
	ID         int64         `json:"id"`
	Name       string        `json:"name"`
	RoomID     int64         `json:"room_id"`
	Room       string        `json:"room"`
	Mode       string        `json:"mode"`
	EnrolledAt time.Time     `json:"enrolled_at"`
	LastSeen   time.Time     `json:"last_seen,omitzero"`
	Online     bool          `json:"online"`
	User       *ComputerUser `json:"user,omitempty"`
	Locked     bool          `json:"locked"`
	Revoked    bool          `json:"revoked"`
	// Commandable: a teacher's room commands reach it (PC-room mode, key
	// not revoked). Staff and kiosk computers are only shown.
	Commandable  bool   `json:"commandable"`
	AgentVersion string `json:"agent_version,omitempty"`
}

// Computers is GET /api/v1/admin/computers.
type Computers struct {
	Computers []Computer `json:"computers"`
}

// ComputerEdit is PATCH /api/v1/admin/computers/{computer}: rename it or
// move it to another room.
type ComputerEdit struct {
	Name   *string `json:"name,omitempty"`
	RoomID *int64  `json:"room_id,omitempty"`
}

// RoomView is GET /api/v1/rooms/{room}: the teacher's grid.
type RoomView struct {
	Room      Room       `json:"room"`
	Computers []Computer `json:"computers"`
	// OnlineSeconds: a computer is online when its agent was heard from
	// within this many seconds.
	OnlineSeconds int `json:"online_seconds"`
}

// RoomCommand is POST /api/v1/rooms/{room}/commands: Kind to the
// computers named (ids), or to every commandable computer of the room
// when Computers is empty. Text is for messages only.
type RoomCommand struct {
	Kind      string  `json:"kind"`
	Text      string  `json:"text,omitempty"`
	Computers []int64 `json:"computers,omitempty"`
}

// RoomCommandResult tells which computers got the command.
type RoomCommandResult struct {
	Sent []string `json:"sent"`
}

// EnrollRequest is POST /api/v1/pc/enroll (the installer).
type EnrollRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Room string `json:"room"`
	Mode string `json:"mode"`
}

// Enrollment is the answer to an enrollment: the computer's key, shown
// this once.
type Enrollment struct {
	Computer Computer `json:"computer"`
	Key      string   `json:"key"`
}

// Heartbeat is POST /api/v1/pc/heartbeat: the agent is alive and tells
// the state it knows, so the server converges after a missed report.
// User "" means nobody is logged in.
type Heartbeat struct {
	User    string    `json:"user,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	Mode    string    `json:"mode,omitempty"`
	Version string    `json:"version,omitempty"`
}

// HeartbeatAnswer tells the agent when to come again and whether the
// computer's screen should be locked (a lock outlives a restart of the
// agent or the computer until a teacher unlocks it).
type HeartbeatAnswer struct {
	IntervalSeconds int  `json:"interval_seconds"`
	Locked          bool `json:"locked"`
}

// UserReport is PUT /api/v1/pc/user: who logged in (since when), or
// User "" for a logout.
type UserReport struct {
	User  string    `json:"user,omitempty"`
	Since time.Time `json:"since,omitzero"`
}

// Command is a room command waiting for a computer.
type Command struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Commands is GET /api/v1/pc/commands (a long poll).
type Commands struct {
	Commands []Command `json:"commands"`
}

// CommandAck is POST /api/v1/pc/commands/ack.
type CommandAck struct {
	IDs []int64 `json:"ids"`
}
