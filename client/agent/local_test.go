package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"kaspel/client/agentlink"
)

// safety bounds the wait for an event that must come; no timing is
// asserted.
const safety = 30 * time.Second

var ctx = context.Background()

// sessions records what the local channel reports.
type sessions struct {
	mu   sync.Mutex
	got  []string
	news chan struct{}
}

func newSessions() *sessions { return &sessions{news: make(chan struct{}, 100)} }

func (s *sessions) report(login string, _ time.Time) {
	s.mu.Lock()
	s.got = append(s.got, login)
	s.mu.Unlock()
	s.news <- struct{}{}
}

// waitFor waits until the reports are want.
func (s *sessions) waitFor(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.After(safety)
	for {
		s.mu.Lock()
		got := strings.Join(s.got, ",")
		s.mu.Unlock()
		if got == strings.Join(want, ",") {
			return
		}
		select {
		case <-s.news:
		case <-deadline:
			t.Fatalf("got session reports %q, want %q", got, strings.Join(want, ","))
		}
	}
}

func networks() []string {
	if runtime.GOOS == "windows" {
		return []string{"tcp"}
	}
	return []string{"unix", "tcp"}
}

func listenTest(t *testing.T, network string, s *sessions) *Local {
	t.Helper()
	dir := t.TempDir()
	var report func(string, time.Time)
	if s != nil {
		report = s.report
	}
	l, err := ListenLocal(LocalConfig{Dir: dir, Network: network}, "PC-07", slog.New(slog.NewTextHandler(io.Discard, nil)), report)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// rawHello connects without agentlink and sends line; it returns what the
// agent answered before it closed the connection.
func rawHello(t *testing.T, in agentlink.Info, line string) (answer []string, closed bool) {
	t.Helper()
	conn, err := net.Dial(in.Network, in.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(safety))
	if line != "" {
		if _, err := io.WriteString(conn, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		answer = append(answer, sc.Text())
	}
	var ne net.Error
	return answer, !errors.As(sc.Err(), &ne) || !ne.Timeout()
}

// The local channel refuses every connection that does not present the
// token: none, a wrong one, another message first, garbage.
func TestLocalRefusesWithoutToken(t *testing.T) {
	for _, network := range networks() {
		t.Run(network, func(t *testing.T) {
			s := newSessions()
			l := listenTest(t, network, s)
			in, err := agentlink.ReadInfo(l.LinkPath())
			if err != nil {
				t.Fatal(err)
			}
			if network == "tcp" && !strings.HasPrefix(in.Address, "127.0.0.1:") {
				t.Errorf("listens on %s, want loopback only", in.Address)
			}
			bad := []struct{ name, line string }{
				{"no token", `{"type":"hello","version":1}`},
				{"wrong token", `{"type":"hello","token":"` + strings.Repeat("A", len(in.Token)) + `","version":1}`},
				{"token with a suffix", `{"type":"hello","token":"` + in.Token + `x","version":1}`},
				{"session first", `{"type":"session","login":"anna.schmidt","token":"` + in.Token + `"}`},
				{"garbage", `GET / HTTP/1.1`},
			}
			for _, b := range bad {
				answer, closed := rawHello(t, in, b.line)
				if !closed || len(answer) != 1 || !strings.Contains(answer[0], `"type":"error"`) {
					t.Errorf("%s: got %q (closed %v), want one error line and the connection closed", b.name, answer, closed)
				}
				if strings.Contains(strings.Join(answer, ""), in.Token) {
					t.Errorf("%s: the answer shows the token", b.name)
				}
			}
			// agentlink with a wrong token gets ErrRefused.
			wrong := in
			wrong.Token = "falsch"
			if _, err := agentlink.DialInfo(ctx, wrong); !errors.Is(err, agentlink.ErrRefused) {
				t.Errorf("wrong token: got %v, want ErrRefused", err)
			}
			// None of them reported a session or counts as a client.
			l.Apply(agentlink.TypeLogout, "")
			if n := l.Clients(); n != 0 {
				t.Errorf("%d clients connected after refusals", n)
			}
			s.mu.Lock()
			if len(s.got) != 0 {
				t.Errorf("refused connections reported sessions %v", s.got)
			}
			s.mu.Unlock()

			// The right token is welcome.
			link, err := agentlink.DialInfo(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			defer link.Close()
			if link.Computer() != "PC-07" {
				t.Errorf("got computer %q", link.Computer())
			}
		})
	}
}

func TestLocalFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	l := listenTest(t, "unix", nil)
	fi, err := os.Stat(l.LinkPath())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("link file mode %v, want 0640", fi.Mode().Perm())
	}
	in, _ := agentlink.ReadInfo(l.LinkPath())
	si, err := os.Stat(in.Address)
	if err != nil {
		t.Fatal(err)
	}
	if si.Mode()&os.ModeSocket == 0 || si.Mode().Perm() != 0o660 {
		t.Errorf("socket mode %v, want a socket with 0660", si.Mode())
	}
	dir := filepath.Dir(l.LinkPath())
	first := in.Token
	l.Close()
	if _, err := os.Stat(l.LinkPath()); !os.IsNotExist(err) {
		t.Errorf("link file left after Close: %v", err)
	}
	// A new start makes a new token.
	l2, err := ListenLocal(LocalConfig{Dir: dir, Network: "unix"}, "PC-07", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	in2, _ := agentlink.ReadInfo(l2.LinkPath())
	if in2.Token == first {
		t.Error("the token is the same after a restart")
	}
}

// Sessions: the newest login of any client counts; a client gone is a
// logout.
func TestLocalSessions(t *testing.T) {
	s := newSessions()
	l := listenTest(t, networks()[0], s)
	a, err := agentlink.Dial(ctx, l.LinkPath())
	if err != nil {
		t.Fatal(err)
	}
	b, err := agentlink.Dial(ctx, l.LinkPath())
	if err != nil {
		t.Fatal(err)
	}
	a.Login("anna.schmidt", time.Now())
	s.waitFor(t, "anna.schmidt")
	b.Login("ben.becker", time.Now())
	s.waitFor(t, "anna.schmidt", "ben.becker")
	b.Logout()
	s.waitFor(t, "anna.schmidt", "ben.becker", "anna.schmidt")
	a.Close()
	s.waitFor(t, "anna.schmidt", "ben.becker", "anna.schmidt", "")
	b.Close()
}

// Commands reach every client in order; the lock is kept for clients
// that connect later.
func TestLocalCommands(t *testing.T) {
	l := listenTest(t, networks()[0], nil)
	a, err := agentlink.Dial(ctx, l.LinkPath())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	l.Apply(agentlink.TypeMessage, "Hallo Klasse 3a")
	l.Apply(agentlink.TypeLock, "")
	want := []agentlink.Command{{Kind: "message", Text: "Hallo Klasse 3a"}, {Kind: "lock"}}
	for _, w := range want {
		select {
		case got := <-a.Commands():
			if got != w {
				t.Errorf("got %+v, want %+v", got, w)
			}
		case <-time.After(safety):
			t.Fatalf("no command, want %+v", w)
		}
	}
	// A client that starts now is locked at once.
	late, err := agentlink.Dial(ctx, l.LinkPath())
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	select {
	case got := <-late.Commands():
		if got.Kind != agentlink.TypeLock {
			t.Errorf("late client: got %+v, want lock", got)
		}
	case <-time.After(safety):
		t.Fatal("late client: not locked")
	}
	// SetLocked tells only a change.
	l.SetLocked(true)
	l.SetLocked(false)
	for _, c := range []*agentlink.Link{a, late} {
		select {
		case got := <-c.Commands():
			if got.Kind != agentlink.TypeUnlock {
				t.Errorf("got %+v, want unlock (and no second lock)", got)
			}
		case <-time.After(safety):
			t.Fatal("no unlock")
		}
	}
	if l.Locked() {
		t.Error("still locked")
	}
	// The agent's end closing ends the link.
	l.Close()
	select {
	case <-a.Done():
	case <-time.After(safety):
		t.Fatal("link not ended after the agent closed")
	}
}

func TestLinkJSON(t *testing.T) {
	// The wire form is the protocol's contract (documented in agentlink).
	m := agentlink.Message{Type: agentlink.TypeSession, Login: "anna.schmidt", Since: time.Date(2026, 11, 27, 8, 5, 0, 0, time.UTC)}
	data, _ := json.Marshal(m)
	if string(data) != `{"type":"session","login":"anna.schmidt","since":"2026-11-27T08:05:00Z"}` {
		t.Errorf("got %s", data)
	}
	data, _ = json.Marshal(agentlink.Message{Type: agentlink.TypeSession, Logout: true})
	if string(data) != `{"type":"session","logout":true}` {
		t.Errorf("got %s", data)
	}
}
