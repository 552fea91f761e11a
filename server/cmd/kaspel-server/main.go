// Command kaspel-server is the Kaspel school server and its admin command
// line. See "kaspel-server help".
package main

import (
	"os"

	"kaspel/server/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
