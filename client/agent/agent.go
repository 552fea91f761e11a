// Package agent is Kaspel's background service on a school computer. It
// runs as a system service (kaspel-agent, installed by kaspel-install)
// without a screen, and:
//
//   - sends a heartbeat to the server every 30 seconds with its computer
//     key, so the teacher's room view shows the computer online;
//   - tells the server who is logged in at the computer, which the
//     desktop client reports over the local channel (package agentlink);
//     the server writes it to the protocol;
//   - fetches the room commands a teacher sends (a long poll the server
//     answers at once when there is one) and passes them to the client,
//     which obeys: lock the screen, unlock, log out, show a message;
//   - keeps the lock as a state: a computer that restarts while locked,
//     or a client that starts later, is locked again.
//
// Server restarts and network drops are expected: every loop retries with
// a pause that doubles up to a minute (with jitter, so a room of PCs does
// not come back in lockstep). A revoked key is logged and retried
// rarely, in case the computer is enrolled again.
package agent

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"kaspel/client/agentlink"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// Config is what the agent needs to run.
type Config struct {
	Server   string // https://HOST:8443
	CAPEM    []byte // the school CA
	Key      string // the computer key
	Computer string // this computer's name, for the local channel
	Mode     string // the client's mode, reported with the heartbeat
	Version  string // the agent's version, reported with the heartbeat
	Local    LocalConfig
	Logger   *slog.Logger

	// PollWait is how long one long poll waits (default 25 s).
	PollWait time.Duration
	// MinBackoff and MaxBackoff bound the pause after a failure
	// (default 1 s and 1 min).
	MinBackoff, MaxBackoff time.Duration
	// KeyRefusedPause is the pause after the server refused the key
	// (default 5 min).
	KeyRefusedPause time.Duration
}

// Agent runs the loops.
type Agent struct {
	cfg    Config
	server *ServerClient
	local  *Local
	log    *slog.Logger

	// userChanged wakes the reporter when the login at the computer changes.
	userChanged chan struct{}

	mu      sync.Mutex
	user    string
	since   time.Time
	dirty   bool   // the server does not know the current user yet
	cmdSeq  uint64 // counts commands applied, see heartbeat
	lastErr map[string]string
	ready   chan struct{}
}

// New checks the configuration and makes the agent.
func New(cfg Config) (*Agent, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.PollWait <= 0 {
		cfg.PollWait = 25 * time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Minute
	}
	if cfg.KeyRefusedPause <= 0 {
		cfg.KeyRefusedPause = 5 * time.Minute
	}
	if cfg.Key == "" {
		return nil, errors.New("agent: no computer key: enroll this computer with kaspel-install")
	}
	sc, err := NewServerClient(cfg.Server, cfg.CAPEM, cfg.Key)
	if err != nil {
		return nil, err
	}
	return &Agent{cfg: cfg, server: sc, log: cfg.Logger, userChanged: make(chan struct{}, 1),
		lastErr: map[string]string{}, ready: make(chan struct{})}, nil
}

// Ready is closed once the local channel is open (for tests and the
// service's start).
func (a *Agent) Ready() <-chan struct{} { return a.ready }

// LinkPath is the link file of the local channel (after Ready).
func (a *Agent) LinkPath() string { return a.local.LinkPath() }

// Run opens the local channel and runs the heartbeat, the report of the
// user and the command poll until ctx ends.
func (a *Agent) Run(ctx context.Context) error {
	local, err := ListenLocal(a.cfg.Local, a.cfg.Computer, a.log, a.sessionChanged)
	if err != nil {
		return err
	}
	a.local = local
	defer local.Close()
	close(a.ready)
	a.log.Info("agent: running", "server", a.cfg.Server, "computer", a.cfg.Computer, "link", local.LinkPath())
	var wg sync.WaitGroup
	for _, loop := range []func(context.Context){a.heartbeatLoop, a.reportLoop, a.commandLoop} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loop(ctx)
		}()
	}
	wg.Wait()
	a.log.Info("agent: stopped")
	return nil
}

// sessionChanged is the local channel's news of a login or logout.
func (a *Agent) sessionChanged(login string, since time.Time) {
	a.mu.Lock()
	a.user, a.since, a.dirty = login, since, true
	a.mu.Unlock()
	select {
	case a.userChanged <- struct{}{}:
	default:
	}
}

func (a *Agent) state() (string, time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.user, a.since
}

// backoff is the growing pause between failed attempts.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) reset() { b.cur = 0 }

// next is the next pause: doubling from min to max, ±20 % jitter.
func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	j := time.Duration(float64(b.cur) * (0.8 + 0.4*rand.Float64()))
	return j
}

// sleep waits d or until ctx ends; false if ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// failed logs a loop's error once per kind of error (a server that is
// down for an hour writes one line, not 60) and returns the pause.
func (a *Agent) failed(loop string, err error, b *backoff) time.Duration {
	msg := err.Error()
	a.mu.Lock()
	repeat := a.lastErr[loop] == msg
	a.lastErr[loop] = msg
	a.mu.Unlock()
	if IsKeyRefused(err) {
		if !repeat {
			a.log.Error("agent: the server refuses this computer's key (revoked or removed); enroll it again with kaspel-install", "loop", loop)
		}
		return a.cfg.KeyRefusedPause
	}
	if !repeat {
		a.log.Warn("agent: server call failed, retrying", "loop", loop, "err", err)
	}
	return b.next()
}

func (a *Agent) recovered(loop string) {
	a.mu.Lock()
	was := a.lastErr[loop]
	delete(a.lastErr, loop)
	a.mu.Unlock()
	if was != "" {
		a.log.Info("agent: server reachable again", "loop", loop)
	}
}

// heartbeatLoop reports every interval the server asks for. The answer's
// lock state is applied only if no command was applied while the call
// was under way: an unlock that overtook the heartbeat must not be
// undone by it.
func (a *Agent) heartbeatLoop(ctx context.Context) {
	b := &backoff{min: a.cfg.MinBackoff, max: a.cfg.MaxBackoff}
	for ctx.Err() == nil {
		user, since := a.state()
		a.mu.Lock()
		seq := a.cmdSeq
		a.mu.Unlock()
		ans, err := a.server.Heartbeat(ctx, wire.Heartbeat{User: user, Since: since, Mode: a.cfg.Mode, Version: a.cfg.Version})
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			sleep(ctx, a.failed("heartbeat", err, b))
			continue
		}
		b.reset()
		a.recovered("heartbeat")
		a.mu.Lock()
		if a.user == user && a.since.Equal(since) {
			a.dirty = false // the heartbeat carried the current state
		}
		apply := a.cmdSeq == seq
		a.mu.Unlock()
		if apply {
			a.local.SetLocked(ans.Locked)
		}
		interval := time.Duration(ans.IntervalSeconds) * time.Second
		if interval < 5*time.Second || interval > 10*time.Minute {
			interval = 30 * time.Second
		}
		sleep(ctx, interval)
	}
}

// reportLoop tells the server at once when the login at the computer
// changes (the heartbeat would tell it too, but up to 30 seconds later).
func (a *Agent) reportLoop(ctx context.Context) {
	b := &backoff{min: a.cfg.MinBackoff, max: a.cfg.MaxBackoff}
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.userChanged:
		}
		for ctx.Err() == nil {
			a.mu.Lock()
			user, since, dirty := a.user, a.since, a.dirty
			a.mu.Unlock()
			if !dirty {
				break
			}
			err := a.server.ReportUser(ctx, wire.UserReport{User: user, Since: since})
			if err == nil {
				a.mu.Lock()
				if a.user == user && a.since.Equal(since) {
					a.dirty = false
				}
				a.mu.Unlock()
				b.reset()
				a.recovered("report")
				continue
			}
			if refusedInput(err) {
				// The server refuses the login (unknown): retrying will
				// not help; the heartbeat carries on.
				a.log.Warn("agent: the server refused the reported login", "err", err)
				a.mu.Lock()
				a.dirty = false
				a.mu.Unlock()
				break
			}
			if !sleep(ctx, a.failed("report", err, b)) {
				return
			}
		}
	}
}

// commandLoop fetches the room commands and passes them to the clients.
// A command is applied once even if the server delivers it again (its
// acknowledgement was lost).
func (a *Agent) commandLoop(ctx context.Context) {
	b := &backoff{min: a.cfg.MinBackoff, max: a.cfg.MaxBackoff}
	seen := newRecent(256)
	for ctx.Err() == nil {
		cmds, err := a.server.Commands(ctx, a.cfg.PollWait)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			sleep(ctx, a.failed("commands", err, b))
			continue
		}
		b.reset()
		a.recovered("commands")
		if len(cmds) == 0 {
			continue
		}
		ids := make([]int64, 0, len(cmds))
		for _, c := range cmds {
			ids = append(ids, c.ID)
			if seen.has(c.ID) {
				continue
			}
			seen.add(c.ID)
			if !agentlink.IsCommand(c.Kind) {
				a.log.Warn("agent: unknown command ignored", "kind", c.Kind)
				continue
			}
			a.mu.Lock()
			a.cmdSeq++
			a.mu.Unlock()
			a.local.Apply(c.Kind, c.Text)
			a.log.Info("agent: room command passed on", "kind", c.Kind, "id", c.ID, "clients", a.local.Clients())
		}
		if err := a.server.Ack(ctx, ids); err != nil && ctx.Err() == nil {
			// Delivered again later and recognised by its id.
			a.log.Warn("agent: acknowledge commands", "err", err)
		}
	}
}

// recent remembers the last n command ids.
type recent struct {
	ids  []int64
	next int
	set  map[int64]bool
}

func newRecent(n int) *recent { return &recent{ids: make([]int64, n), set: map[int64]bool{}} }

func (r *recent) has(id int64) bool { return r.set[id] }

func (r *recent) add(id int64) {
	delete(r.set, r.ids[r.next])
	r.ids[r.next] = id
	r.set[id] = true
	r.next = (r.next + 1) % len(r.ids)
}

// refusedInput tells a refusal of the input (400), which a retry does
// not change.
func refusedInput(err error) bool {
	var e *serverapi.Error
	return errors.As(err, &e) && e.Status == 400
}
