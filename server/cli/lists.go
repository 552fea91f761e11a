package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"kaspel/server/directory"
)

func runImport(e *env, args []string) error {
	fs, data := e.flags("import")
	dry := fs.Bool("dry-run", false, "show what the import would change, change nothing")
	force := fs.Bool("force", false, "apply even if more than half of the pupils are missing from the list")
	pwDir := fs.String("passwords", "", "folder for the new accounts' password lists (default ./kaspel-passwords-DATE-TIME)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 1, "one FILE.csv"); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	parsed, err := directory.ParseImport(f)
	f.Close()
	if err != nil {
		return err
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	sc := mustSchool(s)
	if *pwDir == "" {
		*pwDir = "kaspel-passwords-" + time.Now().Format("20060102-150405")
	}
	opts := directory.ImportOptions{DryRun: *dry, Force: *force, Deliver: func(c []directory.Created) error {
		return writePasswordLists(*pwDir, sc, c)
	}}
	rep, err := s.dir.Import(context.Background(), e.actor(), parsed, opts)
	if err != nil {
		if errors.Is(err, directory.ErrPartialList) || errors.Is(err, directory.ErrOutdatedList) {
			return fmt.Errorf("%w; nothing was changed", err)
		}
		return err
	}
	printImport(e.stdout, rep, *dry)
	if !*dry && len(rep.New) > 0 {
		fmt.Fprintf(e.stdout, "One-time passwords of the new accounts, one list per class for the class teacher: %s\n", *pwDir)
		fmt.Fprintln(e.stdout, "They are stored nowhere else: hand them out, then delete the folder.")
	}
	return nil
}

func printImport(w io.Writer, rep *directory.ImportReport, dry bool) {
	verb := "Imported"
	if dry {
		verb = "Dry run (nothing changed)"
	}
	fmt.Fprintf(w, "%s: %s list, %s, separator %q, %d pupils.\n", verb, rep.File.Format, rep.File.Encoding, rep.File.Separator, len(rep.File.Rows))
	fmt.Fprintf(w, "new: %d, changed: %d, leaving: %d, unchanged: %d\n", len(rep.New), len(rep.Changed), len(rep.Leaving), rep.Unchanged)
	for _, n := range rep.New {
		fmt.Fprintf(w, "  new      %-28s %s %s (%s)\n", n.Login, n.FirstName, n.LastName, orNone(n.Class))
	}
	for _, c := range rep.Changed {
		fmt.Fprintf(w, "  changed  %-28s %s\n", c.Login, strings.Join(c.What, "; "))
	}
	for _, l := range rep.Leaving {
		fmt.Fprintf(w, "  leaving  %-28s %s (%s): not on the list\n", l.Login, l.Name(), orNone(strings.Join(l.Classes, ",")))
	}
	if rep.Partial {
		fmt.Fprintln(w, "Warning: more than half of the pupils are not on the list. Is it the whole school's list? Applying it needs --force.")
	}
	if rep.Outdated {
		fmt.Fprintln(w, "Warning: the list puts most pupils into a lower grade. Was it exported before the promotion? Applying it needs --force.")
	}
}

func orNone(s string) string {
	if s == "" {
		return "no class"
	}
	return s
}

// writePasswordLists writes one CSV per class (semicolon-separated, UTF-8
// with BOM so that Excel shows the umlauts) into a new folder that only
// the admin can read.
func writePasswordLists(dir string, sc directory.School, created []directory.Created) error {
	if len(created) == 0 {
		return nil
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	byClass := map[string][]directory.Created{}
	for _, c := range created {
		byClass[c.Class] = append(byClass[c.Class], c)
	}
	for class, list := range byClass {
		sort.Slice(list, func(i, j int) bool {
			if list[i].LastName != list[j].LastName {
				return list[i].LastName < list[j].LastName
			}
			return list[i].FirstName < list[j].FirstName
		})
		name := class
		if name == "" {
			name = "ohne-klasse"
		}
		f, err := os.OpenFile(filepath.Join(dir, name+".csv"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			os.RemoveAll(dir)
			return err
		}
		f.WriteString("\ufeff")
		w := csv.NewWriter(f)
		w.Comma = ';'
		w.Write([]string{"Klasse", "Nachname", "Vorname", "Login", "Einmalpasswort", "E-Mail"})
		for _, c := range list {
			w.Write([]string{c.Class, c.LastName, c.FirstName, c.Login, c.Password, sc.Mail(c.Login)})
		}
		w.Flush()
		err = errors.Join(w.Error(), f.Sync(), f.Close())
		if err != nil {
			os.RemoveAll(dir)
			return err
		}
	}
	return nil
}

func runPromote(e *env, args []string) error {
	fs, data := e.flags("promote")
	dry := fs.Bool("dry-run", false, "show what the promotion would do, change nothing")
	force := fs.Bool("force", false, "run although the last promotion was less than 180 days ago")
	leaving := fs.String("leaving-date", "", "leavers' last day, YYYY-MM-DD (default today)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	rep, err := s.dir.Promote(context.Background(), e.actor(), directory.PromoteOptions{DryRun: *dry, Force: *force, LeavingDate: *leaving})
	if err != nil {
		return err
	}
	if *dry {
		fmt.Fprintln(e.stdout, "Dry run (nothing changed):")
	}
	fmt.Fprintf(e.stdout, "promoted: %d, held back: %d, leavers: %d, without grade: %d\n", len(rep.Promoted), len(rep.HeldBack), len(rep.Leavers), len(rep.Skipped))
	for _, m := range rep.Promoted {
		fmt.Fprintf(e.stdout, "  %-28s %s -> %s\n", m.Login, m.From, m.To)
	}
	for _, m := range rep.HeldBack {
		fmt.Fprintf(e.stdout, "  %-28s stays in %s (held back)\n", m.Login, m.From)
	}
	for _, m := range rep.Leavers {
		fmt.Fprintf(e.stdout, "  %-28s %s -> leaves the school\n", m.Login, m.From)
	}
	for _, m := range rep.Skipped {
		fmt.Fprintf(e.stdout, "  %-28s not promoted (class %q has no grade)\n", m.Login, m.From)
	}
	return nil
}

func runPurge(e *env, args []string) error {
	fs, data := e.flags("purge")
	dry := fs.Bool("dry-run", false, "list who would be deleted, delete nothing")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	gone, err := s.dir.Purge(context.Background(), e.actor(), directory.PurgeOptions{DryRun: *dry})
	if err != nil {
		return err
	}
	verb := "Deleted"
	if *dry {
		verb = "Would delete (dry run)"
	}
	fmt.Fprintf(e.stdout, "%s %d accounts of people who left more than %d days ago.\n", verb, len(gone), s.cfg.Directory.PurgeGraceDays)
	for _, p := range gone {
		fmt.Fprintf(e.stdout, "  %-28s %s, left %s\n", p.Login, p.Name(), p.LeavingDate)
	}
	return nil
}
