package agentlink

import (
	"context"
	"sync"
	"time"
)

// Client keeps the desktop client's link to the agent: it connects,
// connects again after the agent restarts (waiting longer each time, up
// to a minute, so a computer without an agent costs nothing), tells every
// new connection who is logged in, and hands each command to the
// callback. The desktop client makes one at start, calls SetSession at
// every login and logout, and runs Run in a goroutine.
type Client struct {
	path   string
	handle func(Command)

	// Pauses between attempts; fields so tests can shorten them.
	minRetry, maxRetry time.Duration

	mu        sync.Mutex
	login     string
	since     time.Time
	link      *Link
	connected bool
}

// NewClient makes a client for the link file at path (DefaultLinkPath
// when ""). handle is called for every command, one at a time, on Run's
// goroutine; it must not block for long (a Fyne client hands the command
// to fyne.Do and returns).
func NewClient(path string, handle func(Command)) *Client {
	return &Client{path: path, handle: handle, minRetry: time.Second, maxRetry: time.Minute}
}

// SetRetry sets the pause after a failed attempt (doubling from min up
// to max); the defaults are a second and a minute.
func (c *Client) SetRetry(min, max time.Duration) {
	c.mu.Lock()
	c.minRetry, c.maxRetry = min, max
	c.mu.Unlock()
}

// SetSession records who is logged in ("" for nobody) and tells the agent
// at once if connected; otherwise the next connection tells it.
func (c *Client) SetSession(login string, since time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.login, c.since = login, since
	if c.link != nil {
		// A failed send ends the link; the next one carries the state.
		c.link.Login(login, since)
	}
}

// Connected reports whether the link to the agent is up now.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected
}

// Run keeps the link until ctx ends.
func (c *Client) Run(ctx context.Context) {
	c.mu.Lock()
	minRetry, maxRetry := c.minRetry, c.maxRetry
	c.mu.Unlock()
	wait := minRetry
	for ctx.Err() == nil {
		l, err := Dial(ctx, c.path)
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, maxRetry)
			continue
		}
		wait = minRetry
		c.mu.Lock()
		c.link, c.connected = l, true
		if c.login != "" {
			// Under the lock, so a SetSession cannot overtake it.
			l.Login(c.login, c.since)
		}
		c.mu.Unlock()
		stop := make(chan struct{})
		go func() {
			select {
			case <-ctx.Done():
				l.Close()
			case <-stop:
			}
		}()
		for cmd := range l.Commands() {
			c.handle(cmd)
		}
		close(stop)
		c.mu.Lock()
		c.link, c.connected = nil, false
		c.mu.Unlock()
		// A pause before the next attempt: the agent is restarting.
		select {
		case <-ctx.Done():
		case <-time.After(minRetry):
		}
	}
}
