package agentlink_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kaspel/client/agent"
	"kaspel/client/agentlink"
)

// The client's side against the agent's real end of the channel.

const safety = 30 * time.Second

// recorder collects what arrives, with a signal per arrival.
type recorder struct {
	mu   sync.Mutex
	got  []string
	news chan struct{}
}

func newRecorder() *recorder { return &recorder{news: make(chan struct{}, 100)} }

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.got = append(r.got, s)
	r.mu.Unlock()
	r.news <- struct{}{}
}

func (r *recorder) waitFor(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.After(safety)
	for {
		r.mu.Lock()
		got := strings.Join(r.got, "|")
		r.mu.Unlock()
		if got == strings.Join(want, "|") {
			return
		}
		select {
		case <-r.news:
		case <-deadline:
			t.Fatalf("got %q, want %q", got, strings.Join(want, "|"))
		}
	}
}

func listen(t *testing.T, dir string, sessions *recorder) *agent.Local {
	t.Helper()
	l, err := agent.ListenLocal(agent.LocalConfig{Dir: dir}, "PC-07", nil, func(login string, _ time.Time) { sessions.add("session:" + login) })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// The client tells every new connection who is logged in, gets the
// commands, and finds the agent again after it restarted with a new
// token.
func TestClientReconnects(t *testing.T) {
	dir := t.TempDir()
	sessions1, sessions2, cmds := newRecorder(), newRecorder(), newRecorder()
	l1 := listen(t, dir, sessions1)
	c := agentlink.NewClient(filepath.Join(dir, agentlink.LinkFile), func(cmd agentlink.Command) { cmds.add(cmd.Kind + ":" + cmd.Text) })
	c.SetRetry(10*time.Millisecond, 50*time.Millisecond)
	c.SetSession("anna.schmidt", time.Now()) // before the link is up
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		c.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	sessions1.waitFor(t, "session:anna.schmidt")
	if !c.Connected() {
		t.Error("not connected after the session arrived")
	}
	l1.Apply(agentlink.TypeMessage, "Hallo")
	cmds.waitFor(t, "message:Hallo")

	l1.Close() // the agent restarts
	sessions1.waitFor(t, "session:anna.schmidt", "session:")
	l2 := listen(t, dir, sessions2)
	defer l2.Close()
	sessions2.waitFor(t, "session:anna.schmidt")
	l2.Apply(agentlink.TypeLock, "")
	cmds.waitFor(t, "message:Hallo", "lock:")
	c.SetSession("", time.Now())
	sessions2.waitFor(t, "session:anna.schmidt", "session:")

	// Ending the client ends the link: the agent sees the client go.
	cancel()
	<-done
	deadline := time.Now().Add(safety)
	for l2.Clients() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the agent still has the client after Run ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDialErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := agentlink.Dial(context.Background(), filepath.Join(dir, "nichts.link")); err == nil {
		t.Error("dial without a link file: no error")
	}
	bad := filepath.Join(dir, "bad.link")
	os.WriteFile(bad, []byte(`{"network":"tcp"}`), 0o600)
	if _, err := agentlink.Dial(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "no link file") {
		t.Errorf("dial with a broken link file: got %v", err)
	}
	l := listen(t, dir, newRecorder())
	defer l.Close()
	in, err := agentlink.ReadInfo(l.LinkPath())
	if err != nil {
		t.Fatal(err)
	}
	in.Token = in.Token[:len(in.Token)-1]
	if _, err := agentlink.DialInfo(context.Background(), in); !errors.Is(err, agentlink.ErrRefused) {
		t.Errorf("shortened token: got %v, want ErrRefused", err)
	}
}
