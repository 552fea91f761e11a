// Package agentlink is the local channel between the desktop client and
// the Kaspel agent on the same computer. The client tells the agent who
// logged in (and out); the agent passes on the room commands a teacher
// sends (lock the screen, unlock, log out, show a message), which the
// client obeys at once.
//
// The agent listens on a Unix socket (Linux, /run/kaspel/agent.sock,
// mode 0660) or on a loopback TCP port (Windows), never on the network.
// It writes a link file (/run/kaspel/agent.link, or
// %ProgramData%\Kaspel\agent.link) with the address and a random token
// that it makes anew at every start; only the agent and the client's
// users can read it. Every connection must present the token in its
// first line, or the agent closes it: on Windows anything on the machine
// can reach a loopback port, and the token is what keeps them out.
//
// The protocol is newline-delimited JSON, one Message per line:
//
//	client -> agent  {"type":"hello","token":"…","version":1}
//	agent -> client  {"type":"welcome","computer":"PC-07","locked":false,"version":1}
//	                 or {"type":"error","text":"…"} and the connection closes
//	client -> agent  {"type":"session","login":"anna.schmidt","since":"2026-11-27T08:05:00Z"}
//	client -> agent  {"type":"session","logout":true}
//	agent -> client  {"type":"lock"} {"type":"unlock"} {"type":"logout"}
//	                 {"type":"message","text":"Bitte speichert eure Arbeit."}
//
// A welcome with "locked": true means the screen must be locked now (a
// teacher locked the computer before this client connected); Link turns
// it into a Lock command. When the connection ends, the agent takes the
// client's session as ended.
//
// The package is pure Go without Fyne: the client's screens use Client,
// which keeps the link up across restarts of the agent.
package agentlink

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// Version is the protocol version.
const Version = 1

// Message types.
const (
	TypeHello   = "hello"
	TypeWelcome = "welcome"
	TypeError   = "error"
	TypeSession = "session"
	// Commands, agent to client.
	TypeLock    = "lock"
	TypeUnlock  = "unlock"
	TypeLogout  = "logout"
	TypeMessage = "message"
)

// MaxLine bounds a line on the channel.
const MaxLine = 64 << 10

// Message is one line on the channel, either way; the fields a type does
// not use stay empty.
type Message struct {
	Type     string    `json:"type"`
	Version  int       `json:"version,omitempty"`
	Token    string    `json:"token,omitempty"`
	Computer string    `json:"computer,omitempty"`
	Locked   bool      `json:"locked,omitempty"`
	Login    string    `json:"login,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	Logout   bool      `json:"logout,omitempty"`
	Text     string    `json:"text,omitempty"`
}

// IsCommand reports whether t is a room command type.
func IsCommand(t string) bool {
	return t == TypeLock || t == TypeUnlock || t == TypeLogout || t == TypeMessage
}

// Command is a room command for the client: Kind is TypeLock, TypeUnlock,
// TypeLogout or TypeMessage (with Text).
type Command struct {
	Kind string
	Text string
}

// Info is the content of the link file: where the agent listens and the
// token it wants.
type Info struct {
	Network string `json:"network"` // "unix" or "tcp"
	Address string `json:"address"` // socket path, or 127.0.0.1:PORT
	Token   string `json:"token"`
}

// LinkFile is the link file's name.
const LinkFile = "agent.link"

// DefaultLinkPath is where the agent writes the link file on this system.
func DefaultLinkPath() string {
	if runtime.GOOS == "windows" {
		dir := os.Getenv("ProgramData")
		if dir == "" {
			dir = `C:\ProgramData`
		}
		return filepath.Join(dir, "Kaspel", LinkFile)
	}
	return filepath.Join("/run/kaspel", LinkFile)
}

// ReadInfo reads a link file.
func ReadInfo(path string) (Info, error) {
	var in Info
	data, err := os.ReadFile(path)
	if err != nil {
		return in, fmt.Errorf("agentlink: %w", err)
	}
	if err := json.Unmarshal(data, &in); err != nil || in.Address == "" || in.Token == "" {
		return in, fmt.Errorf("agentlink: %s is no link file", path)
	}
	return in, nil
}

// ErrRefused is the agent's refusal of the connection (a wrong token, a
// protocol version it does not speak).
var ErrRefused = errors.New("agentlink: the agent refused the connection")

// Link is one connection to the agent.
type Link struct {
	conn     net.Conn
	computer string
	commands chan Command
	done     chan struct{}
	err      error // why it ended; read after done

	wmu sync.Mutex
	enc *json.Encoder
}

// Dial connects with the link file at path (DefaultLinkPath when "").
func Dial(ctx context.Context, path string) (*Link, error) {
	if path == "" {
		path = DefaultLinkPath()
	}
	in, err := ReadInfo(path)
	if err != nil {
		return nil, err
	}
	return DialInfo(ctx, in)
}

// handshakeTimeout bounds the hello and welcome.
const handshakeTimeout = 10 * time.Second

// DialInfo connects to the agent in, presents the token and waits for the
// welcome.
func DialInfo(ctx context.Context, in Info) (*Link, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, in.Network, in.Address)
	if err != nil {
		return nil, fmt.Errorf("agentlink: connect: %w", err)
	}
	conn.SetDeadline(time.Now().Add(handshakeTimeout))
	enc := json.NewEncoder(conn)
	if err := enc.Encode(Message{Type: TypeHello, Token: in.Token, Version: Version}); err != nil {
		conn.Close()
		return nil, fmt.Errorf("agentlink: hello: %w", err)
	}
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), MaxLine)
	var w Message
	if !sc.Scan() {
		conn.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrRefused, err)
		}
		return nil, ErrRefused
	}
	if err := json.Unmarshal(sc.Bytes(), &w); err != nil || w.Type != TypeWelcome {
		conn.Close()
		if w.Type == TypeError {
			return nil, fmt.Errorf("%w: %s", ErrRefused, w.Text)
		}
		return nil, ErrRefused
	}
	conn.SetDeadline(time.Time{})
	l := &Link{conn: conn, computer: w.Computer, commands: make(chan Command, 16), done: make(chan struct{}), enc: enc}
	if w.Locked {
		l.commands <- Command{Kind: TypeLock}
	}
	go l.read(sc)
	return l, nil
}

func (l *Link) read(sc *bufio.Scanner) {
	defer close(l.done)
	defer close(l.commands)
	for sc.Scan() {
		var m Message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			l.err = fmt.Errorf("agentlink: bad line from the agent: %w", err)
			l.conn.Close()
			return
		}
		if IsCommand(m.Type) {
			l.commands <- Command{Kind: m.Type, Text: m.Text}
		}
	}
	l.err = sc.Err()
	if l.err == nil {
		l.err = errors.New("agentlink: the agent closed the connection")
	}
}

// Computer is the computer's name, as the agent knows it.
func (l *Link) Computer() string { return l.computer }

// Commands delivers the agent's commands in order; it is closed when the
// connection ends. Read it without pause: the agent drops a client that
// does not take its commands.
func (l *Link) Commands() <-chan Command { return l.commands }

// Done is closed when the connection has ended.
func (l *Link) Done() <-chan struct{} { return l.done }

// Err tells why the connection ended (after Done).
func (l *Link) Err() error {
	<-l.done
	return l.err
}

func (l *Link) send(m Message) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.conn.SetWriteDeadline(time.Now().Add(handshakeTimeout))
	if err := l.enc.Encode(m); err != nil {
		return fmt.Errorf("agentlink: send: %w", err)
	}
	return nil
}

// Login tells the agent who logged in at the client, and since when.
func (l *Link) Login(login string, since time.Time) error {
	if login == "" {
		return l.Logout()
	}
	return l.send(Message{Type: TypeSession, Login: login, Since: since.UTC()})
}

// Logout tells the agent that nobody is logged in at the client any more.
func (l *Link) Logout() error { return l.send(Message{Type: TypeSession, Logout: true}) }

// Close ends the connection (the agent takes it as a logout).
func (l *Link) Close() error { return l.conn.Close() }
