// Command kaspel-install installs Kaspel on a school computer: it checks
// the school CA by its fingerprint, enrolls the computer with a one-time
// code, writes the configuration, installs kaspel-agent as a system
// service and starts the client at login. See package kaspel/installer.
//
//	kaspel-install install --server https://HOST:8443 --fingerprint SHA256 --mode pcroom --room R1 [--name PC-07] --enroll CODE
//	kaspel-install uninstall | status | start | stop
package main

import (
	"os"

	install "kaspel/installer"
)

func main() { os.Exit(install.Main(os.Args[1:], os.Stdout, os.Stderr)) }
