package agent

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"kaspel/client/agentlink"
)

// LocalConfig says where the local channel listens.
type LocalConfig struct {
	// Dir holds the socket and the link file (RuntimeDir by default).
	Dir string
	// Network is "unix" (default on Linux) or "tcp" (loopback; default on
	// Windows, where a named pipe would need another module and a Unix
	// socket is not reliably there).
	Network string
	// Group may use the channel (Linux): it owns the socket and the link
	// file.
	Group string
}

// SocketFile is the socket's name in the runtime folder.
const SocketFile = "agent.sock"

// Local is the agent's end of the local channel: it accepts the desktop
// client(s) that present the token, learns from them who is logged in,
// and passes the room commands on to them.
type Local struct {
	ln       net.Listener
	token    string
	linkPath string
	sockPath string
	computer string
	log      *slog.Logger
	// onSession is called (from a connection's goroutine) whenever the
	// login at the computer changes; login "" is nobody.
	onSession func(login string, since time.Time)

	mu     sync.Mutex
	conns  map[*localConn]struct{}
	locked bool
	seq    uint64
	// effective is the login last reported to onSession.
	effective string
	closed    bool
}

// localConn is one authenticated client.
type localConn struct {
	conn  net.Conn
	wmu   sync.Mutex
	enc   *json.Encoder
	login string
	since time.Time
	seq   uint64 // when its session was set; the newest one counts
}

// ListenLocal opens the local channel and writes the link file with a new
// token.
func ListenLocal(cfg LocalConfig, computer string, log *slog.Logger, onSession func(string, time.Time)) (*Local, error) {
	if cfg.Dir == "" {
		cfg.Dir = RuntimeDir()
	}
	if cfg.Network == "" {
		cfg.Network = "unix"
		if runtime.GOOS == "windows" {
			cfg.Network = "tcp"
		}
	}
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("agent: runtime folder: %w", err)
	}
	l := &Local{computer: computer, log: log, onSession: onSession, conns: map[*localConn]struct{}{},
		linkPath: filepath.Join(cfg.Dir, agentlink.LinkFile)}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("agent: token: %w", err)
	}
	l.token = base64.RawURLEncoding.EncodeToString(b)
	info := agentlink.Info{Network: cfg.Network, Token: l.token}
	switch cfg.Network {
	case "unix":
		l.sockPath = filepath.Join(cfg.Dir, SocketFile)
		os.Remove(l.sockPath) // a socket left by an agent that crashed
		ln, err := net.Listen("unix", l.sockPath)
		if err != nil {
			return nil, fmt.Errorf("agent: local channel: %w", err)
		}
		if err := protectSocket(l.sockPath, cfg.Group); err != nil {
			ln.Close()
			return nil, err
		}
		l.ln, info.Address = ln, l.sockPath
	case "tcp":
		// Loopback only: the channel is never reachable from the network.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("agent: local channel: %w", err)
		}
		l.ln, info.Address = ln, ln.Addr().String()
	default:
		return nil, fmt.Errorf("agent: local channel network %q: use unix or tcp", cfg.Network)
	}
	data, _ := json.Marshal(info)
	if err := writeFileAtomic(l.linkPath, append(data, '\n'), accessUsers, cfg.Group); err != nil {
		l.ln.Close()
		return nil, err
	}
	go l.serve()
	return l, nil
}

// LinkPath is the link file the clients read.
func (l *Local) LinkPath() string { return l.linkPath }

// Close stops listening, ends every connection and removes the link file
// and the socket.
func (l *Local) Close() error {
	l.mu.Lock()
	l.closed = true
	for c := range l.conns {
		c.conn.Close()
	}
	l.mu.Unlock()
	err := l.ln.Close()
	os.Remove(l.linkPath)
	if l.sockPath != "" {
		os.Remove(l.sockPath)
	}
	return err
}

func (l *Local) serve() {
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			l.log.Warn("agent: local channel: accept", "err", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go l.handle(conn)
	}
}

// helloTimeout bounds the wait for a client's hello, so a connection
// that says nothing does not stay.
const helloTimeout = 10 * time.Second

func (l *Local) handle(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), agentlink.MaxLine)
	enc := json.NewEncoder(conn)
	conn.SetDeadline(time.Now().Add(helloTimeout))
	var hello agentlink.Message
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &hello) != nil || hello.Type != agentlink.TypeHello ||
		subtle.ConstantTimeCompare([]byte(hello.Token), []byte(l.token)) != 1 {
		// The token never reaches the log, the one presented neither.
		l.log.Warn("agent: local channel: connection without the right token refused")
		enc.Encode(agentlink.Message{Type: agentlink.TypeError, Text: "token required"})
		return
	}
	if hello.Version != agentlink.Version {
		enc.Encode(agentlink.Message{Type: agentlink.TypeError, Text: fmt.Sprintf("protocol version %d not spoken (agent: %d)", hello.Version, agentlink.Version)})
		return
	}
	c := &localConn{conn: conn, enc: enc}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.conns[c] = struct{}{}
	locked := l.locked
	// Welcome under the lock: a command sent meanwhile comes after it.
	err := c.send(agentlink.Message{Type: agentlink.TypeWelcome, Version: agentlink.Version, Computer: l.computer, Locked: locked})
	l.mu.Unlock()
	conn.SetDeadline(time.Time{})
	if err == nil {
		l.log.Info("agent: desktop client connected")
		for sc.Scan() {
			var m agentlink.Message
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				break
			}
			if m.Type == agentlink.TypeSession {
				l.setSession(c, m)
			}
		}
	}
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
	// A client gone is a session ended.
	l.setSession(c, agentlink.Message{Logout: true})
	l.log.Info("agent: desktop client disconnected")
}

func (c *localConn) send(m agentlink.Message) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.enc.Encode(m)
}

// setSession records a connection's session and reports the login at
// the computer if it changed: the newest session of any connection.
func (l *Local) setSession(c *localConn, m agentlink.Message) {
	l.mu.Lock()
	l.seq++
	if m.Logout || m.Login == "" {
		c.login, c.since = "", time.Time{}
	} else {
		c.login, c.since = m.Login, m.Since
		if c.since.IsZero() {
			c.since = time.Now()
		}
	}
	c.seq = l.seq
	var best *localConn
	for o := range l.conns {
		if o.login != "" && (best == nil || o.seq > best.seq) {
			best = o
		}
	}
	login, since := "", time.Now()
	if best != nil {
		login, since = best.login, best.since
	}
	changed := login != l.effective
	l.effective = login
	l.mu.Unlock()
	if changed && l.onSession != nil {
		l.onSession(login, since)
	}
}

// Apply passes a room command on to every connected client. Lock and
// unlock are also kept, for clients that connect later; one that does
// not change the state (the heartbeat brought the lock first) is not
// sent again.
func (l *Local) Apply(kind, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch kind {
	case agentlink.TypeLock, agentlink.TypeUnlock:
		locked := kind == agentlink.TypeLock
		if l.locked == locked {
			return
		}
		l.locked = locked
	}
	l.broadcast(agentlink.Message{Type: kind, Text: text})
}

// SetLocked brings the lock to the state the server keeps (after a
// restart of the agent, or a command missed); it tells the clients only
// if the state changed.
func (l *Local) SetLocked(locked bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.locked == locked {
		return
	}
	l.locked = locked
	kind := agentlink.TypeUnlock
	if locked {
		kind = agentlink.TypeLock
	}
	l.broadcast(agentlink.Message{Type: kind})
}

// broadcast sends m to every client (l.mu held). A client that cannot
// take it within the write deadline is dropped; it reconnects.
func (l *Local) broadcast(m agentlink.Message) {
	for c := range l.conns {
		if err := c.send(m); err != nil {
			l.log.Warn("agent: local channel: client does not take commands, dropped", "err", err)
			c.conn.Close()
		}
	}
}

// Locked reports the lock state the agent keeps.
func (l *Local) Locked() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.locked
}

// Clients is the number of connected clients.
func (l *Local) Clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}
