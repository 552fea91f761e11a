// Command kaspel-bench is "make bench": Kaspel against OpenLDAP's slapd in
// the same run (login storms, search and bind throughput), the directory
// at district scale, the API and the desktop client's start. It prints a
// table and writes it with the machine's facts to docs/performance.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"kaspel/server/bench"
)

func main() {
	server := flag.String("server", "bin/kaspel-server", "the kaspel-server binary")
	client := flag.String("client", "bin/kaspel-client", "the kaspel-client binary (\"\" skips the client)")
	out := flag.String("out", "docs/performance.md", "where to write the results (\"\" for nowhere)")
	quick := flag.Bool("quick", false, "a small smoke run")
	rounds := flag.Int("rounds", 3, "rounds of each login storm")
	flag.Parse()
	work, err := os.MkdirTemp("", "kaspel-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-bench:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(work)
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		a, _ := filepath.Abs(p)
		return a
	}
	rep, err := bench.Run(context.Background(), bench.Options{ServerBin: abs(*server), ClientBin: abs(*client), Work: work,
		Out: os.Stderr, Quick: *quick, Rounds: *rounds})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaspel-bench:", err)
		os.Exit(1)
	}
	fmt.Println(rep.Table())
	for _, n := range rep.Notes {
		fmt.Println("- " + n)
	}
	if *out != "" {
		if err := bench.WriteDoc(*out, rep); err != nil {
			fmt.Fprintln(os.Stderr, "kaspel-bench:", err)
			os.Exit(1)
		}
		fmt.Println("written to", *out)
	}
}
