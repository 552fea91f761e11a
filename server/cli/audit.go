package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"kaspel/server/audit"
	"kaspel/server/config"
	"kaspel/server/pki"
)

func runAudit(e *env, args []string) error {
	fs, data := e.flags("audit")
	login := fs.String("login", "", "only lines about this login")
	action := fs.String("action", "", "only this action (login, user.lock, ...; \"user.\" for all user actions)")
	since := fs.String("since", "", "only from this day on, YYYY-MM-DD")
	limit := fs.Int("limit", 50, "at most this many lines")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	q := audit.Query{Target: *login, Action: *action, Limit: *limit}
	if *since != "" {
		t, err := time.ParseInLocation("2006-01-02", *since, time.Local)
		if err != nil {
			return usagef("--since: %q is not a date like 2026-11-27", *since)
		}
		q.Since = t
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	list, err := audit.List(context.Background(), s.db, q)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tACTOR\tACTION\tTARGET\tOK\tSOURCE\tDETAIL")
	for _, l := range list {
		ok := "yes"
		if !l.Success {
			ok = "no"
		}
		src := strings.TrimSpace(l.Service + " " + l.Source + " " + l.Computer)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.At.Local().Format("2006-01-02 15:04:05"), l.Actor, l.Action, l.Target, ok, src, l.Detail)
	}
	return tw.Flush()
}

func runCert(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("give show or renew")
	}
	sub := args[0]
	fs, data := e.flags("cert " + sub)
	hosts := fs.String("host", "", "further host names or addresses, comma-separated")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	dir := config.PKIDir(*data)
	switch sub {
	case "show":
	case "renew":
		s, err := open(*data)
		if err != nil {
			return err
		}
		sc := mustSchool(s)
		s.close()
		if err := pki.Renew(dir, sc.Name, pki.Names(splitList(*hosts)...)); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "New server certificate made; restart the server to use it.")
	default:
		return usagef("unknown subcommand %q", sub)
	}
	info, err := pki.Describe(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "CA fingerprint (SHA-256): %s\n", info.Fingerprint)
	fmt.Fprintf(e.stdout, "server certificate for: %s\n", strings.Join(info.Names, ", "))
	fmt.Fprintf(e.stdout, "valid until: %s\n", info.NotAfter.Local().Format("2006-01-02"))
	return nil
}
