package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
)

func runService(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("give add, list, passwd or remove")
	}
	sub := args[0]
	switch sub {
	case "add", "list", "passwd", "remove":
	default:
		// before opening the data folder: a wrong command line is exit 2
		return usagef("unknown subcommand %q", sub)
	}
	fs, data := e.flags("service-account " + sub)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	want := 1
	if sub == "list" {
		want = 0
	}
	if err := exactly(pos, want, "one NAME"); err != nil {
		return err
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	ctx := context.Background()
	sc := mustSchool(s)
	dn := func(name string) string { return "cn=" + name + ",ou=services," + sc.BaseDN() }
	switch sub {
	case "add", "passwd":
		var pw string
		if sub == "add" {
			pw, err = s.dir.AddServiceAccount(ctx, e.actor(), pos[0])
		} else {
			pw, err = s.dir.ResetServiceAccount(ctx, e.actor(), pos[0])
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Service account (read-only). Bind DN: %s\n", dn(pos[0]))
		printPassword(e.stdout, pos[0], pw)
		fmt.Fprintf(e.stdout, "Search base: %s  (sssd: ldap_default_bind_dn and ldap_default_authtok)\n", sc.BaseDN())
	case "list":
		list, err := s.dir.ServiceAccounts(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tBIND DN\tCREATED")
		for _, a := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, dn(a.Name), a.CreatedAt.Local().Format("2006-01-02"))
		}
		tw.Flush()
	case "remove":
		if err := s.dir.RemoveServiceAccount(ctx, e.actor(), pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Removed service account %s.\n", pos[0])
	default:
		return usagef("unknown subcommand %q", sub)
	}
	return nil
}
