package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"kaspel/server/api"
	"kaspel/server/audit"
	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// importRun times what an admin does at the start of a school year: the
// pupil list from DaNiS imported through the same code as the admin's
// CSV import, every new pupil getting an account with a one-time
// password (one argon2id hash each), then the same list again (nothing
// changes, only the comparison).
func importRun(ctx context.Context, rep *Report, logf func(string, ...any), o Options, n int) error {
	logf("pupil list import: %d pupils", n)
	sch, err := newSchool(ctx, filepath.Join(o.Work, "import"), 0)
	if err != nil {
		return err
	}
	db, err := store.Open(config.DBPath(sch.data), api.Migrations()...)
	if err != nil {
		return err
	}
	defer db.Close()
	lg := audit.NewLog(db)
	defer lg.Close()
	d, err := directory.New(db, config.Default().Directory, lg)
	if err != nil {
		return err
	}
	var list strings.Builder
	list.WriteString("SchuelerIdentNummer;SchuelerRufname;SchuelerNachname;GruppeBezeichung\r\n")
	for i := range n {
		fmt.Fprintf(&list, "%d;Kind%05d;Import;%d%c\r\n", 700000+i, i+1, 1+i%4, "abcd"[i/4%4])
	}
	actor := directory.Actor{Name: "bench", Service: "cli"}
	run := func() (time.Duration, int, error) {
		start := time.Now()
		f, err := directory.ParseImport(strings.NewReader(list.String()))
		if err != nil {
			return 0, 0, err
		}
		created := 0
		_, err = d.Import(ctx, actor, f, directory.ImportOptions{Deliver: func(c []directory.Created) error {
			created += len(c)
			return nil
		}})
		return time.Since(start), created, err
	}
	first, created, err := run()
	if err != nil {
		return fmt.Errorf("bench: import: %w", err)
	}
	if created != n {
		return fmt.Errorf("bench: import made %d accounts, want %d", created, n)
	}
	again, created, err := run()
	if err != nil {
		return fmt.Errorf("bench: import again: %w", err)
	}
	if created != 0 {
		return fmt.Errorf("bench: the same list again made %d accounts", created)
	}
	part := fmt.Sprintf("pupil list import, %d pupils", n)
	rep.add(Row{Part: part, Measure: "new accounts with one-time passwords (DaNiS list, admin's import)",
		Kaspel: fmt.Sprintf("%s (%.0f/s)", secs(first), float64(n)/first.Seconds())})
	rep.add(Row{Part: part, Measure: "the same list again (no change)", Kaspel: secs(again)})
	return nil
}
