package agent

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
	"time"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// ServerClient makes the computer's own calls to the server: enrollment
// (with a one-time code) and then everything with the computer key. It
// trusts only the school CA. Errors are serverapi's: *serverapi.Error
// for an answer of the server, serverapi.ErrUnreachable when there was
// none.
type ServerClient struct {
	base *url.URL
	http *http.Client
	key  string
}

// NewServerClient makes a client for the server at baseURL that trusts
// only the CA certificate(s) in caPEM and authenticates with key ("" for
// the enrollment).
func NewServerClient(baseURL string, caPEM []byte, key string) (*ServerClient, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("agent: the CA file holds no certificate")
	}
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("agent: %q is not an https:// address", baseURL)
	}
	tr := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
	}
	// No overall timeout: each call bounds itself with its context (the
	// long poll waits longer than a heartbeat may).
	return &ServerClient{base: u, http: &http.Client{Transport: tr}, key: key}, nil
}

// IsKeyRefused reports whether err is the server's refusal of the
// computer key (revoked, or the computer deleted).
func IsKeyRefused(err error) bool { return serverapi.Code(err) == wire.CodeComputerUnauthenticated }

func (c *ServerClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("agent: encode: %w", err)
		}
		body = bytes.NewReader(data)
	}
	u := c.base.JoinPath(path)
	if i := strings.IndexByte(path, '?'); i >= 0 {
		u = c.base.JoinPath(path[:i])
		u.RawQuery = path[i+1:]
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.key != "" {
		req.Header.Set("Authorization", wire.ComputerKeyScheme+" "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %v", serverapi.ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		var eb wire.ErrorBody
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(data, &eb) != nil || eb.Error.Code == "" {
			eb.Error = wire.Error{Code: wire.CodeInternal, Message: "Der Server hat unerwartet geantwortet (" + resp.Status + ")."}
		}
		return &serverapi.Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message, Fields: eb.Error.Fields}
	}
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("%w: decode answer of %s %s: %v", serverapi.ErrUnreachable, method, path, err)
		}
	}
	return nil
}

// callTimeout bounds a call that is not a long poll.
const callTimeout = 20 * time.Second

func (c *ServerClient) call(ctx context.Context, method, path string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return c.do(ctx, method, path, in, out)
}

// Enroll registers this computer with a one-time code and returns its key.
func (c *ServerClient) Enroll(ctx context.Context, req wire.EnrollRequest) (wire.Enrollment, error) {
	var e wire.Enrollment
	err := c.call(ctx, "POST", "/api/v1/pc/enroll", req, &e)
	return e, err
}

// Self returns the server's record of this computer; it tells whether
// the key is still good.
func (c *ServerClient) Self(ctx context.Context) (wire.Computer, error) {
	var pc wire.Computer
	err := c.call(ctx, "GET", "/api/v1/pc/self", nil, &pc)
	return pc, err
}

// Heartbeat reports that the computer is alive and who is logged in.
func (c *ServerClient) Heartbeat(ctx context.Context, hb wire.Heartbeat) (wire.HeartbeatAnswer, error) {
	var a wire.HeartbeatAnswer
	err := c.call(ctx, "POST", "/api/v1/pc/heartbeat", hb, &a)
	return a, err
}

// ReportUser reports a login (user, since) or a logout (user "").
func (c *ServerClient) ReportUser(ctx context.Context, r wire.UserReport) error {
	return c.call(ctx, "PUT", "/api/v1/pc/user", r, nil)
}

// Commands waits up to wait for room commands (a long poll).
func (c *ServerClient) Commands(ctx context.Context, wait time.Duration) ([]wire.Command, error) {
	ctx, cancel := context.WithTimeout(ctx, wait+callTimeout)
	defer cancel()
	var cmds wire.Commands
	err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/pc/commands?wait=%d", int(wait/time.Second)), nil, &cmds)
	return cmds.Commands, err
}

// Ack tells the server the commands were carried out.
func (c *ServerClient) Ack(ctx context.Context, ids []int64) error {
	return c.call(ctx, "POST", "/api/v1/pc/commands/ack", wire.CommandAck{IDs: ids}, nil)
}
