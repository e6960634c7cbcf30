package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

// The CLI is tested as scripts in testdata/script/*.txtar: each runs boxbuild as a user would
// and checks its output and exit code.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"boxbuild": func() { os.Exit(Main()) },
	})
}

func TestScripts(t *testing.T) {
	if os.Getenv("CI") == "true" {
		testutil.RequireTool(t, "packer") // scripts skip without it; CI must have it
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			// The plan scripts need the workspace's packer/ templates beside them.
			return os.CopyFS(filepath.Join(env.WorkDir, "packer"), os.DirFS("../../packer"))
		},
	})
}
