package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"kaspel/server/directory"
)

func runUser(e *env, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		fmt.Fprint(e.stdout, userHelp)
		return nil
	}
	sub, rest := args[0], args[1:]
	fs, data := e.flags("user " + sub)
	str := func(name, usage string) *string { return fs.String(name, "", usage) }
	ctx := context.Background()

	var do func(s *school, pos []string) error
	nargs := 1
	switch sub {
	case "add":
		first, last := str("first", "first name"), str("last", "last name")
		role, class := str("role", "pupil, teacher, secretary or admin"), str("class", "class(es), comma-separated")
		id := str("id", "ID from the school administration software (optional)")
		nargs = 0
		do = func(s *school, _ []string) error {
			r, err := directory.ParseRole(*role)
			if err != nil {
				return usagef("%s", err)
			}
			p, pw, err := s.dir.AddPerson(ctx, e.actor(), directory.NewPerson{
				FirstName: *first, LastName: *last, Role: r, Classes: splitList(*class), ExternalID: *id,
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Added %s (%s), mail %s. One-time password, to be changed at the first login:\n", p.Name(), p.Role, mustSchool(s).Mail(p.Login))
			printPassword(e.stdout, p.Login, pw)
			return nil
		}
	case "passwd":
		do = func(s *school, pos []string) error {
			pw, err := s.dir.ResetPassword(ctx, e.actor(), pos[0])
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "New one-time password, to be changed at the next login:")
			printPassword(e.stdout, pos[0], pw)
			return nil
		}
	case "lock":
		reason := str("reason", "why the account is locked (required)")
		do = func(s *school, pos []string) error {
			if err := s.dir.Lock(ctx, e.actor(), pos[0], *reason); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Locked %s: it can log in nowhere until unlocked.\n", pos[0])
			return nil
		}
	case "unlock":
		do = func(s *school, pos []string) error {
			if err := s.dir.Unlock(ctx, e.actor(), pos[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Unlocked %s.\n", pos[0])
			return nil
		}
	case "list":
		class, role := str("class", "only this class"), str("role", "only this role")
		all := fs.Bool("all", false, "include people who have left")
		nargs = 0
		do = func(s *school, _ []string) error {
			q := directory.ListQuery{Class: *class, Leavers: *all}
			if *role != "" {
				r, err := directory.ParseRole(*role)
				if err != nil {
					return usagef("%s", err)
				}
				q.Role = r
			}
			list, err := s.dir.List(ctx, q)
			if err != nil {
				return err
			}
			printList(e.stdout, list, time.Now())
			return nil
		}
	case "show":
		do = func(s *school, pos []string) error {
			d, err := s.dir.Details(ctx, pos[0])
			if err != nil {
				return err
			}
			printDetails(e.stdout, d, mustSchool(s), time.Now())
			return nil
		}
	case "edit":
		first, last, role := str("first", "new first name"), str("last", "new last name"), str("role", "new role")
		class, id := str("class", "new class(es), comma-separated; \"-\" for none"), str("id", "new ID; \"-\" to clear")
		do = func(s *school, pos []string) error {
			var ed directory.Edit
			set := map[string]bool{}
			fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
			if set["first"] {
				ed.FirstName = first
			}
			if set["last"] {
				ed.LastName = last
			}
			if set["role"] {
				r, err := directory.ParseRole(*role)
				if err != nil {
					return usagef("%s", err)
				}
				ed.Role = &r
			}
			if set["class"] {
				c := splitList(*class)
				if *class == "-" {
					c = nil
				}
				ed.Classes = &c
			}
			if set["id"] {
				v := *id
				if v == "-" {
					v = ""
				}
				ed.ExternalID = &v
			}
			if len(set) == 0 || (len(set) == 1 && set["data"]) {
				return usagef("nothing to change: give --first, --last, --role, --class or --id")
			}
			if err := s.dir.EditPerson(ctx, e.actor(), pos[0], ed); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Changed %s (the login stays).\n", pos[0])
			return nil
		}
	case "leave":
		date := str("date", "last day at the school, YYYY-MM-DD")
		undo := fs.Bool("undo", false, "clear the leaving date")
		do = func(s *school, pos []string) error {
			d := *date
			if *undo {
				d = ""
			} else if d == "" {
				return usagef("give --date YYYY-MM-DD or --undo")
			}
			if err := s.dir.SetLeaving(ctx, e.actor(), pos[0], d); err != nil {
				return err
			}
			if d == "" {
				fmt.Fprintf(e.stdout, "%s is no longer leaving.\n", pos[0])
			} else {
				fmt.Fprintf(e.stdout, "%s leaves on %s: no login after that day; deleted %d days later.\n", pos[0], d, s.cfg.Directory.PurgeGraceDays)
			}
			return nil
		}
	case "hold-back":
		undo := fs.Bool("undo", false, "take the mark back")
		do = func(s *school, pos []string) error {
			if err := s.dir.HoldBack(ctx, e.actor(), pos[0], !*undo); err != nil {
				return err
			}
			if *undo {
				fmt.Fprintf(e.stdout, "%s will be promoted with the class.\n", pos[0])
			} else {
				fmt.Fprintf(e.stdout, "%s stays in the class at the next promotion.\n", pos[0])
			}
			return nil
		}
	case "consent":
		guardian, signed := str("guardian", "the guardian who signed"), str("signed", "date signed, YYYY-MM-DD")
		revoke := str("revoke", "date the consent was revoked, YYYY-MM-DD (locks every login)")
		do = func(s *school, pos []string) error {
			switch {
			case *revoke != "" && *signed == "":
				if err := s.dir.RevokeConsent(ctx, e.actor(), pos[0], *revoke); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Consent for %s revoked on %s: the account can log in nowhere.\n", pos[0], *revoke)
			case *signed != "" && *guardian != "" && *revoke == "":
				if err := s.dir.RecordConsent(ctx, e.actor(), pos[0], *guardian, *signed); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Consent for %s recorded (signed by %s on %s).\n", pos[0], *guardian, *signed)
			default:
				return usagef("give --guardian NAME --signed DATE, or --revoke DATE")
			}
			return nil
		}
	case "grant", "revoke":
		nargs = 2
		do = func(s *school, pos []string) error {
			if err := s.dir.SetRight(ctx, e.actor(), pos[0], pos[1], sub == "grant"); err != nil {
				return err
			}
			verb := "now holds"
			if sub == "revoke" {
				verb = "no longer holds"
			}
			fmt.Fprintf(e.stdout, "%s %s the right %q.\n", pos[0], verb, pos[1])
			return nil
		}
	default:
		return usagef("unknown subcommand %q (kaspel-server user help)", sub)
	}
	pos, err := parse(fs, rest)
	if err != nil {
		return err
	}
	if len(pos) != nargs {
		switch nargs {
		case 0:
			return usagef("unexpected argument %q", pos[0])
		case 1:
			return usagef("give one LOGIN")
		default:
			return usagef("give LOGIN and RIGHT")
		}
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	return do(s, pos)
}

const userHelp = `kaspel-server user: manage accounts

  user add      --first F --last L --role pupil|teacher|secretary|admin [--class 3a] [--id ID]
  user passwd   LOGIN                      new one-time password; must be changed at the next login
  user lock     LOGIN --reason TEXT        no login anywhere (PCs, client, LDAP) until unlocked
  user unlock   LOGIN
  user list     [--class 3a] [--role pupil] [--all]
  user show     LOGIN
  user edit     LOGIN [--first F] [--last L] [--role R] [--class 3a,3b|-] [--id ID|-]
  user leave    LOGIN --date YYYY-MM-DD | --undo
  user hold-back LOGIN [--undo]            stays in the class at the next promotion
  user consent  LOGIN --guardian NAME --signed YYYY-MM-DD | --revoke YYYY-MM-DD
  user grant    LOGIN protocol             may read the protocol (as the head teacher names)
  user revoke   LOGIN protocol

All take --data DIR (default $KASPEL_DATA, then ./kaspel-data).
`

func mustSchool(s *school) directory.School {
	sc, err := s.dir.School(context.Background())
	if err != nil {
		return directory.School{}
	}
	return sc
}

func status(p directory.Person, now time.Time) string {
	var st []string
	if p.Locked() {
		st = append(st, "locked")
	}
	if p.HasLeft(now) {
		st = append(st, "left "+p.LeavingDate)
	} else if p.LeavingDate != "" {
		st = append(st, "leaving "+p.LeavingDate)
	}
	if p.MustChange {
		st = append(st, "must change password")
	}
	if p.HoldBack {
		st = append(st, "held back")
	}
	if len(st) == 0 {
		return "active"
	}
	return strings.Join(st, ", ")
}

func printList(w io.Writer, list []directory.Listed, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tNAME\tROLE\tCLASS\tSTATUS")
	for _, l := range list {
		class := strings.Join(l.Classes, ",")
		if class == "" {
			class = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Login, l.Name(), l.Role, class, status(l.Person, now))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d accounts\n", len(list))
}

func printDetails(w io.Writer, d directory.PersonDetails, sc directory.School, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("login", d.Login)
	row("name", d.Name())
	row("role", string(d.Role))
	row("mail", sc.Mail(d.Login))
	row("uid number", fmt.Sprint(d.UIDNumber))
	row("id", d.ExternalID)
	var groups []string
	for _, g := range d.Groups {
		groups = append(groups, g.Name)
	}
	row("groups", strings.Join(groups, ", "))
	row("status", status(d.Person, now))
	if d.Locked() {
		row("locked", fmt.Sprintf("%s by %s: %s", d.LockedAt.Local().Format("2006-01-02 15:04"), d.LockedBy, d.LockReason))
	}
	if d.PasswordHash == "" {
		row("password", "none set")
	} else if !d.PasswordChangedAt.IsZero() {
		row("password set", d.PasswordChangedAt.Local().Format("2006-01-02 15:04"))
	}
	row("former class", d.FormerClass)
	if d.Consent != nil {
		c := fmt.Sprintf("signed %s by %s", d.Consent.SignedOn, d.Consent.Guardian)
		if d.Consent.Revoked() {
			c += ", revoked " + d.Consent.RevokedOn
		}
		row("consent", c)
	} else if d.Role == directory.Pupil {
		row("consent", "not recorded")
	}
	row("rights", strings.Join(d.Rights, ", "))
	row("created", d.CreatedAt.Local().Format("2006-01-02 15:04"))
	tw.Flush()
}
