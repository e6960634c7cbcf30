// Command boxbuild turns HCL box definitions into a versioned Vagrant box catalog.
package main

import (
	"os"

	"github.com/boxbuild/boxbuild/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
