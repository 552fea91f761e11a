package agent_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kaspel/client/agent"
	"kaspel/client/agentlink"
	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// The agent against a real server on loopback (testrig), with fake
// desktop clients on the local channel (agentlink, as the Fyne client
// will use it).

const safety = 30 * time.Second

var bg = context.Background()

type world struct {
	t       *testing.T
	rig     *testrig.Rig
	ca      []byte
	admin   *serverapi.Client
	teacher *serverapi.Client
	pupil   string
	pupil2  string
	room    wire.Room
	log     *testrig.SyncBuffer
}

func newWorld(t *testing.T) *world {
	t.Helper()
	rig := testrig.New(t, testrig.Options{})
	w := &world{t: t, rig: rig, log: &testrig.SyncBuffer{}}
	var err error
	if w.ca, err = os.ReadFile(rig.CAFile); err != nil {
		t.Fatal(err)
	}
	rig.AddPerson("Adam", "Admin", directory.Admin, "Staff-Pass-33")
	rig.AddPerson("Tina", "Lehmann", directory.Teacher, "Teacher-Pass-22", "3a")
	w.pupil = rig.AddPerson("Anna", "Schmidt", directory.Pupil, "Pupil-Pass-11", "3a")
	w.pupil2 = rig.AddPerson("Ben", "Becker", directory.Pupil, "Pupil-Pass-11", "3a")
	w.admin = w.login("adam.admin", "Staff-Pass-33")
	w.teacher = w.login("tina.lehmann", "Teacher-Pass-22")
	if w.room, err = w.admin.AddRoom(bg, "PC-Raum", ""); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) login(login, pw string) *serverapi.Client {
	w.t.Helper()
	c, err := serverapi.NewWithPool(w.rig.BaseURL, w.rig.CAPool)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := c.Login(bg, login, pw, "Lehrer-PC"); err != nil {
		w.t.Fatalf("login %s: %v", login, err)
	}
	return c
}

// enroll makes a code as the admin and enrolls a computer with it, as
// the installer does.
func (w *world) enroll(name string) wire.Enrollment {
	w.t.Helper()
	codes, err := w.admin.CreateEnrollmentCodes(bg, wire.EnrollmentCodeRequest{})
	if err != nil {
		w.t.Fatal(err)
	}
	sc, err := agent.NewServerClient(w.rig.BaseURL, w.ca, "")
	if err != nil {
		w.t.Fatal(err)
	}
	e, err := sc.Enroll(bg, wire.EnrollRequest{Code: codes[0].Code, Name: name, Room: "PC-Raum", Mode: wire.ModePCRoom})
	if err != nil {
		w.t.Fatalf("enroll %s: %v", name, err)
	}
	return e
}

// startAgent runs an agent for the enrolled computer against server
// until the test ends.
func (w *world) startAgent(e wire.Enrollment, server string) *agent.Agent {
	w.t.Helper()
	a, err := agent.New(agent.Config{
		Server: server, CAPEM: w.ca, Key: e.Key, Computer: e.Computer.Name, Mode: wire.ModePCRoom, Version: "test",
		Local:  agent.LocalConfig{Dir: w.t.TempDir()},
		Logger: slog.New(slog.NewTextHandler(w.log, nil)),
		// Short pauses: the test waits for recovery, not for backoff.
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, KeyRefusedPause: 200 * time.Millisecond,
		PollWait: 5 * time.Second,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	w.t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(safety):
			w.t.Error("agent did not stop")
		}
	})
	select {
	case <-a.Ready():
	case err := <-done:
		w.t.Fatalf("agent: %v", err)
	case <-time.After(safety):
		w.t.Fatal("agent not ready")
	}
	return a
}

// fakeClient is the desktop client's side of the local channel, as the
// Fyne client will use it: an agentlink.Client that records commands.
type fakeClient struct {
	*agentlink.Client
	mu   sync.Mutex
	cmds []agentlink.Command
	news chan struct{}
}

func (w *world) startClient(a *agent.Agent) *fakeClient {
	f := &fakeClient{news: make(chan struct{}, 100)}
	f.Client = agentlink.NewClient(a.LinkPath(), func(c agentlink.Command) {
		f.mu.Lock()
		f.cmds = append(f.cmds, c)
		f.mu.Unlock()
		f.news <- struct{}{}
	})
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() {
		f.Run(ctx)
		close(done)
	}()
	w.t.Cleanup(func() {
		cancel()
		<-done
	})
	return f
}

// waitCommands waits until the client has got exactly want (kinds, in
// order; a message as "message:TEXT").
func (f *fakeClient) waitCommands(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.After(safety)
	for {
		f.mu.Lock()
		var got []string
		for _, c := range f.cmds {
			s := c.Kind
			if c.Kind == agentlink.TypeMessage {
				s += ":" + c.Text
			}
			got = append(got, s)
		}
		f.mu.Unlock()
		if slices.Equal(got, want) {
			return
		}
		if len(got) > len(want) {
			t.Fatalf("client got %v, want %v", got, want)
		}
		select {
		case <-f.news:
		case <-deadline:
			t.Fatalf("client got %v, want %v", got, want)
		}
	}
}

// eventually polls cond (a read of the server's state) until it holds;
// the safety bound only ends a test that would hang.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(safety)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// computer returns the room view's entry of a computer.
func (w *world) computer(name string) wire.Computer {
	w.t.Helper()
	v, err := w.teacher.RoomView(bg, w.room.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range v.Computers {
		if c.Name == name {
			return c
		}
	}
	w.t.Fatalf("no %s in the room view", name)
	return wire.Computer{}
}

func TestAgentEndToEnd(t *testing.T) {
	w := newWorld(t)
	e1, e2 := w.enroll("PC-01"), w.enroll("PC-02")
	a1, a2 := w.startAgent(e1, w.rig.BaseURL), w.startAgent(e2, w.rig.BaseURL)
	c1, c2 := w.startClient(a1), w.startClient(a2)

	// Heartbeat: both online.
	eventually(t, "PC-01 and PC-02 online", func() bool { return w.computer("PC-01").Online && w.computer("PC-02").Online })
	if v := w.computer("PC-01").AgentVersion; v != "test" {
		t.Errorf("agent version %q", v)
	}

	// Who is logged in: the client tells the agent, the agent the server.
	since := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	c1.SetSession(w.pupil, since)
	c2.SetSession(w.pupil2, since)
	eventually(t, "Anna at PC-01", func() bool {
		u := w.computer("PC-01").User
		return u != nil && u.Login == w.pupil && u.Since.Equal(since)
	})
	eventually(t, "Ben at PC-02", func() bool { u := w.computer("PC-02").User; return u != nil && u.Login == w.pupil2 })

	// The teacher locks PC-01: only its client locks.
	if _, err := w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandLock, Computers: []int64{e1.Computer.ID}}); err != nil {
		t.Fatal(err)
	}
	c1.waitCommands(t, "lock")
	// A message to all, then log out all.
	if _, err := w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandMessage, Text: "Gleich ist Pause."}); err != nil {
		t.Fatal(err)
	}
	sent, err := w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandLogout})
	if err != nil || !slices.Equal(sent, []string{"PC-01", "PC-02"}) {
		t.Fatalf("logout all: got %v, %v", sent, err)
	}
	c1.waitCommands(t, "lock", "message:Gleich ist Pause.", "logout")
	c2.waitCommands(t, "message:Gleich ist Pause.", "logout")
	// The clients obey and report the logout.
	c1.SetSession("", time.Now())
	c2.SetSession("", time.Now())
	eventually(t, "nobody at the PCs", func() bool { return w.computer("PC-01").User == nil && w.computer("PC-02").User == nil })

	// The protocol: who used which PC when.
	w.rig.FlushAudit()
	var lines []string
	rows, err := w.rig.DB.R.Query(`SELECT target, computer, detail FROM audit WHERE action = 'pc.user' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var who, pc, what string
		rows.Scan(&who, &pc, &what)
		lines = append(lines, who+"@"+pc+":"+what)
	}
	rows.Close()
	slices.Sort(lines)
	want := []string{w.pupil2 + "@PC-02:login", w.pupil2 + "@PC-02:logout", w.pupil + "@PC-01:login", w.pupil + "@PC-01:logout"}
	slices.Sort(want)
	if !slices.Equal(lines, want) {
		t.Errorf("protocol: got %v, want %v", lines, want)
	}

	// The lock outlives a restart of the client: a new client is locked
	// at once.
	late := w.startClient(a1)
	late.waitCommands(t, "lock")
	if !w.computer("PC-01").Locked {
		t.Error("the room view does not show PC-01 locked")
	}
	if _, err := w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandUnlock}); err != nil {
		t.Fatal(err)
	}
	late.waitCommands(t, "lock", "unlock")
	c1.waitCommands(t, "lock", "message:Gleich ist Pause.", "logout", "unlock")

	// A revoked key is refused: the agent says so in the log, and the
	// key gets nothing from the server any more.
	if err := w.admin.RevokeComputerKey(bg, e2.Computer.ID); err != nil {
		t.Fatal(err)
	}
	sc, _ := agent.NewServerClient(w.rig.BaseURL, w.ca, e2.Key)
	if _, err := sc.Self(bg); !agent.IsKeyRefused(err) {
		t.Errorf("revoked key: got %v, want refused", err)
	}
	if _, err := sc.Heartbeat(bg, wire.Heartbeat{}); !agent.IsKeyRefused(err) {
		t.Errorf("revoked key heartbeat: got %v, want refused", err)
	}
	eventually(t, "the agent logs the refused key", func() bool {
		return strings.Contains(w.log.String(), "refuses this computer's key")
	})
	if strings.Contains(w.log.String(), e1.Key) || strings.Contains(w.log.String(), e2.Key) {
		t.Error("a computer key is in the log")
	}
	// PC-02 cannot be commanded any more.
	_, err = w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandLock, Computers: []int64{e2.Computer.ID}})
	if serverapi.Code(err) != wire.CodeConflict {
		t.Errorf("command to a revoked computer: got %v", err)
	}
}

// A new agent (the computer restarted) brings back the lock the server
// keeps, from its first heartbeat.
func TestAgentRestartKeepsLock(t *testing.T) {
	w := newWorld(t)
	e := w.enroll("PC-01")
	if _, err := w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandLock}); err != nil {
		t.Fatal(err)
	}
	// The command was never fetched (the computer was off) and has been
	// dropped meanwhile; the lock state is what counts.
	if _, err := w.rig.DB.W.Exec(`DELETE FROM pc_commands`); err != nil {
		t.Fatal(err)
	}
	a := w.startAgent(e, w.rig.BaseURL)
	c := w.startClient(a)
	c.waitCommands(t, "lock")
}

// proxy stands between agent and server and can cut the network.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.down {
				p.mu.Unlock()
				c.Close()
				continue
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns[c], p.conns[s] = true, true
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

// cut closes every connection and refuses new ones.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// The agent keeps working across a network drop: it retries, and a
// command sent after the network is back reaches the client.
func TestAgentSurvivesNetworkDrop(t *testing.T) {
	w := newWorld(t)
	e := w.enroll("PC-01")
	p := newProxy(t, w.rig.HTTPSAddr)
	a := w.startAgent(e, "https://"+p.ln.Addr().String())
	c := w.startClient(a)
	eventually(t, "online", func() bool { return w.computer("PC-01").Online })

	p.cut()
	c.SetSession(w.pupil, time.Now()) // reported while the network is down
	eventually(t, "the agent notices the drop", func() bool {
		return strings.Contains(w.log.String(), "server call failed, retrying")
	})
	p.restore()
	eventually(t, "the login reported after the drop", func() bool {
		u := w.computer("PC-01").User
		return u != nil && u.Login == w.pupil
	})
	if _, err := w.teacher.RoomCommand(bg, w.room.ID, wire.RoomCommand{Kind: wire.CommandMessage, Text: "Wieder da"}); err != nil {
		t.Fatal(err)
	}
	c.waitCommands(t, "message:Wieder da")
	eventually(t, "the agent says it is back", func() bool { return strings.Contains(w.log.String(), "server reachable again") })
}

// The server client refuses a server whose certificate is not from the
// school CA.
func TestServerClientPinsCA(t *testing.T) {
	w := newWorld(t)
	other := testrig.New(t, testrig.Options{})
	// The CA of another school.
	otherCA, err := os.ReadFile(other.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := agent.NewServerClient(w.rig.BaseURL, otherCA, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = sc.Enroll(bg, wire.EnrollRequest{Code: "2345-6789-ABCD", Name: "PC-01", Room: "PC-Raum", Mode: "pcroom"})
	if !errors.Is(err, serverapi.ErrUnreachable) {
		t.Errorf("foreign CA: got %v, want unreachable (TLS refused)", err)
	}
}
