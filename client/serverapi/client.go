// Package serverapi is a typed Go client for Kaspel's HTTPS API: the
// desktop client uses it, and so do the API's end-to-end tests. It trusts
// only the school's CA (pinned), never the system's certificate store, so
// a PC talks to its own school's server and nobody else.
package serverapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"kaspel/shared/wire"
)

// Client talks to one Kaspel server. It is safe for concurrent use.
type Client struct {
	base *url.URL
	http *http.Client

	mu    sync.Mutex
	token string
}

// New makes a client for the server at baseURL (https://host:8443) that
// trusts only the CA certificate(s) in caPEM.
func New(baseURL string, caPEM []byte) (*Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("serverapi: the CA file holds no certificate")
	}
	return NewWithPool(baseURL, pool)
}

// NewWithPool is New with a ready certificate pool.
func NewWithPool(baseURL string, pool *x509.CertPool) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("serverapi: %q is not an https:// address", baseURL)
	}
	tr := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{base: u, http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}, nil
}

// Token is the session token (empty when logged out).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// SetToken uses a session token, e.g. after a restart of the client.
func (c *Client) SetToken(t string) {
	c.mu.Lock()
	c.token = t
	c.mu.Unlock()
}

// Error is an error answer of the server.
type Error struct {
	Status  int
	Code    string   // wire.Code...
	Message string   // German, for the person
	Fields  []string // the input fields at fault
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// ErrUnreachable wraps failures to reach the server at all (network,
// TLS): the client then says "server not reachable" and keeps what the
// person typed.
var ErrUnreachable = errors.New("serverapi: server not reachable")

// Code returns the error code of an error answer, or "" for other errors.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Message returns the German message of an error answer, or a general
// German message for other errors.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if errors.Is(err, ErrUnreachable) {
		return "Der Schulserver ist nicht erreichbar. Bitte versuche es gleich noch einmal."
	}
	return "Da ist etwas schiefgegangen. Bitte versuche es noch einmal."
}

// request is one API call.
type request struct {
	method, path string
	query        url.Values
	json         any       // request body as JSON
	body         io.Reader // or a raw body
	contentType  string
	size         int64 // raw body length, -1 if unknown
	out          any   // JSON answer into this
	raw          *[]byte
}

func (c *Client) do(ctx context.Context, r request) error {
	// r.path is escaped (esc): keep it as it is in RawPath, and set Path
	// to its unescaped form, or the escapes would be escaped again
	// ("Klasse 3A" would arrive as "Klasse%203A").
	u := *c.base
	unescaped, err := url.PathUnescape(r.path)
	if err != nil {
		return fmt.Errorf("serverapi: path %q: %w", r.path, err)
	}
	u.Path = c.base.Path + unescaped
	u.RawPath = c.base.EscapedPath() + r.path
	if r.query != nil {
		u.RawQuery = r.query.Encode()
	}
	var body io.Reader
	size := int64(0)
	switch {
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			return fmt.Errorf("serverapi: encode: %w", err)
		}
		body, size = bytes.NewReader(b), int64(len(b))
		r.contentType = "application/json"
	case r.body != nil:
		body, size = r.body, r.size
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return fmt.Errorf("serverapi: %w", err)
	}
	if body != nil && size >= 0 {
		req.ContentLength = size
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("Accept", "application/json")
	if t := c.Token(); t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		var eb wire.ErrorBody
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(data, &eb) != nil || eb.Error.Code == "" {
			eb.Error = wire.Error{Code: wire.CodeInternal, Message: "Der Server hat unerwartet geantwortet (" + resp.Status + ")."}
		}
		return &Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message, Fields: eb.Error.Fields}
	}
	if r.raw != nil {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
		*r.raw = data
		return nil
	}
	if r.out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(r.out); err != nil {
			return fmt.Errorf("serverapi: decode answer of %s %s: %w", r.method, r.path, err)
		}
	}
	return nil
}

// Login logs in and keeps the session token for later calls.
func (c *Client) Login(ctx context.Context, login, password, computer string) (wire.Session, error) {
	var s wire.Session
	err := c.do(ctx, request{method: "POST", path: "/api/v1/session",
		json: wire.LoginRequest{Login: login, Password: password, Computer: computer}, out: &s})
	if err != nil {
		return s, err
	}
	c.SetToken(s.Token)
	return s, nil
}

// Session returns the current session.
func (c *Client) Session(ctx context.Context) (wire.Session, error) {
	var s wire.Session
	err := c.do(ctx, request{method: "GET", path: "/api/v1/session", out: &s})
	return s, err
}

// Logout ends the session on the server and forgets the token.
func (c *Client) Logout(ctx context.Context) error {
	err := c.do(ctx, request{method: "DELETE", path: "/api/v1/session"})
	c.SetToken("")
	return err
}

// ChangePassword changes the own password.
func (c *Client) ChangePassword(ctx context.Context, old, new string) error {
	return c.do(ctx, request{method: "POST", path: "/api/v1/password", json: wire.PasswordChange{Old: old, New: new}})
}

// PasswordPolicy returns the policy's rules with German texts.
func (c *Client) PasswordPolicy(ctx context.Context) (wire.PasswordPolicy, error) {
	var p wire.PasswordPolicy
	err := c.do(ctx, request{method: "GET", path: "/api/v1/password/policy", out: &p})
	return p, err
}

// Health asks whether the server is up.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, request{method: "GET", path: "/api/v1/health"})
}

// Groups lists classes and role groups.
func (c *Client) Groups(ctx context.Context) ([]wire.Group, error) {
	var g wire.Groups
	err := c.do(ctx, request{method: "GET", path: "/api/v1/groups", out: &g})
	return g.Groups, err
}

// Protocol reads the protocol (needs the protocol right).
func (c *Client) Protocol(ctx context.Context, q ProtocolQuery) ([]wire.ProtocolEntry, error) {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("login", q.Login)
	set("actor", q.Actor)
	set("kind", q.Kind)
	set("since", q.Since)
	set("until", q.Until)
	if q.Limit > 0 {
		v.Set("limit", fmt.Sprint(q.Limit))
	}
	var p wire.Protocol
	err := c.do(ctx, request{method: "GET", path: "/api/v1/protocol", query: v, out: &p})
	return p.Entries, err
}

// ProtocolQuery filters the protocol.
type ProtocolQuery struct {
	Login, Actor, Kind string
	Since, Until       string // YYYY-MM-DD
	Limit              int
}

func esc(s string) string { return url.PathEscape(s) }

// SchoolName asks the server (without login) for the school's name, for
// the login screen.
func (c *Client) SchoolName(ctx context.Context) (string, error) {
	var h struct {
		School string `json:"school"`
	}
	err := c.do(ctx, request{method: "GET", path: "/api/v1/health", out: &h})
	return h.School, err
}
