package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"kaspel/server/config"
	"kaspel/server/demo"
	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/server/mail"
	"kaspel/server/pki"
)

func runInit(e *env, args []string) error {
	fs, data := e.flags("init")
	name := fs.String("school", "", "the school's name")
	domain := fs.String("domain", "", "the school's mail domain, e.g. gsborsum.de")
	withDemo := fs.Bool("demo", false, "add a demo school (never for a real school)")
	hosts := fs.String("host", "", "further host names or addresses for the server certificate, comma-separated")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	if *name == "" || *domain == "" {
		return usagef("--school and --domain are required")
	}
	if _, err := os.Stat(config.DBPath(*data)); err == nil {
		return fmt.Errorf("%s holds a school already; nothing was changed", *data)
	}
	created := false
	if _, err := os.Stat(*data); errors.Is(err, os.ErrNotExist) {
		created = true
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return err
	}
	// Anything failing below leaves no half-made data folder behind.
	ok := false
	defer func() {
		if ok {
			return
		}
		if created {
			os.RemoveAll(*data)
		} else {
			os.Remove(config.DBPath(*data))
			os.Remove(config.DBPath(*data) + "-wal")
			os.Remove(config.DBPath(*data) + "-shm")
			os.Remove(config.ConfigPath(*data))
			os.RemoveAll(config.PKIDir(*data))
		}
	}()

	cfg := config.Default()
	if err := config.Save(*data, cfg); err != nil {
		return err
	}
	if err := pki.Create(config.PKIDir(*data), *name, pki.Names(splitList(*hosts)...)); err != nil {
		return err
	}
	s, err := openOrCreate(*data)
	if err != nil {
		return err
	}
	defer s.close()
	ctx := context.Background()
	actor := e.actor()
	if err := s.dir.InitSchool(ctx, actor, directory.School{Name: *name, Domain: *domain}); err != nil {
		return err
	}
	admin, pw, err := s.dir.AddPerson(ctx, actor, directory.NewPerson{Login: "admin", FirstName: "Kaspel", LastName: "Admin", Role: directory.Admin})
	if err != nil {
		return err
	}
	var sum demo.Summary
	var lsum demo.LendingSummary
	if *withDemo {
		if sum, err = demo.Create(ctx, s.dir, actor); err != nil {
			return err
		}
		if lsum, err = demoLending(ctx, s, admin, actor); err != nil {
			return err
		}
	}
	fp, err := pki.Fingerprint(config.PKIDir(*data))
	if err != nil {
		return err
	}
	ok = true

	fmt.Fprintf(e.stdout, "Created %s for %s (%s).\n", *data, *name, *domain)
	fmt.Fprintf(e.stdout, "School CA fingerprint (SHA-256): %s\n", fp)
	fmt.Fprintln(e.stdout, "The admin's one-time password (shown only now; it must be changed at the first login):")
	printPassword(e.stdout, admin.Login, pw)
	if *withDemo {
		fmt.Fprintf(e.stdout, "Demo school: %d pupils in %d classes, %d teachers, %d secretary. Every demo account has the same password:\n",
			sum.Pupils, len(sum.Classes), sum.Teachers, sum.Secretaries)
		roles := make([]string, 0, len(sum.Examples))
		for r := range sum.Examples {
			roles = append(roles, string(r))
		}
		sort.Strings(roles)
		for _, r := range roles {
			printPassword(e.stdout, sum.Examples[directory.Role(r)], demo.Password)
		}
		fmt.Fprintf(e.stdout, "Demo textbook lending %s: %d titles, %d registrations, %d paid, %d books lent.\n",
			lsum.Year.Name, len(lsum.Titles), lsum.Registered, lsum.Paid, lsum.Issued)
	}
	fmt.Fprintf(e.stdout, "Next: kaspel-server serve --data %s\n", *data)
	return nil
}

// demoLending fills the demo's textbook lending, with the admin as the
// coordinator.
func demoLending(ctx context.Context, s *school, admin directory.Person, actor directory.Actor) (demo.LendingSummary, error) {
	svc, err := lending.New(s.db, s.dir, mail.NewNotices(s.dir), s.cfg.API.Lending)
	if err != nil {
		return demo.LendingSummary{}, err
	}
	return demo.Lending(ctx, svc, s.dir, admin, actor, time.Now())
}
