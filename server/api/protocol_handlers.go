package api

import (
	"strconv"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

func (s *Server) protocolRoutes() {
	s.handle("GET", "/api/v1/protocol", Access{Right: directory.RightProtocol}, s.protocol)
}

// protocol lists logins, admin actions and mailbox inspections, newest
// first. Only holders of the protocol right (named by the head teacher;
// admins do not have it by default) may read it. Filters: login (who it
// was about), actor, kind (an action or a prefix like "user."), since and
// until (YYYY-MM-DD), limit.
func (s *Server) protocol(c *call) error {
	q := audit.Query{Target: c.query("login"), Actor: c.query("actor"), Action: c.query("kind"), Limit: 200}
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			return invalid("Die Anzahl muss zwischen 1 und 5000 liegen.", "limit")
		}
		q.Limit = n
	}
	for name, dst := range map[string]*time.Time{"since": &q.Since, "until": &q.Until} {
		if v := c.query(name); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, berlin)
			if err != nil {
				return invalid("„"+v+"“ ist kein Datum wie 2026-11-27.", name)
			}
			if name == "until" {
				t = t.AddDate(0, 0, 1) // the whole day
			}
			*dst = t
		}
	}
	list, err := audit.List(c.ctx, s.DB, q)
	if err != nil {
		return err
	}
	out := wire.Protocol{Entries: make([]wire.ProtocolEntry, 0, len(list))}
	for _, e := range list {
		out.Entries = append(out.Entries, wire.ProtocolEntry{At: e.At, Actor: e.Actor, Action: e.Action, Target: e.Target,
			Success: e.Success, Source: e.Source, Service: e.Service, Computer: e.Computer, Detail: e.Detail})
	}
	return c.ok(out)
}

// berlin is the school's time zone.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
