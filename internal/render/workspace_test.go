package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/testutil"
)

// TestSchoolWorkspace loads this repository's own workspace (boxbuild.hcl, boxes/, provision/,
// packer/) with the real loader, renders every box for every provider it lists, and runs the
// real `packer validate` on each template: what the school builds must be accepted by
// Debian's Packer, VirtualBox and ESXi templates included.
func TestSchoolWorkspace(t *testing.T) {
	packer := testutil.RequireTool(t, "packer")
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	ws, _, diags := config.Load(root, config.Options{
		Vars: map[string]string{"db_root_password": testSecret},
		Env:  []string{},
	})
	if diags.HasErrors() {
		t.Fatalf("load the school's workspace: %s", diags.Error())
	}
	res, err := Render(ws, Options{OutDir: t.TempDir(), Packer: installedPackerOr166(t, packer)})
	if err != nil {
		t.Fatalf("Render(school workspace) = %v", err)
	}
	if len(res) < len(ws.Boxes) {
		t.Fatalf("%d builds for %d boxes", len(res), len(ws.Boxes))
	}
	for _, r := range res {
		t.Run(r.Box+"_"+r.Provider, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(r.Template)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), testSecret) {
				t.Fatalf("%s contains db_root_password's value", r.Template)
			}
			dir := t.TempDir()
			img, sum := dummyFile(t, dir, dummyName(r))
			args, env, err := r.PackerArgs(RunVars{
				BaseImage: img, BaseImageChecksum: sum, BaseImageSize: "2048M",
				OutputDir: filepath.Join(dir, "out"), BoxOutput: filepath.Join(dir, "x.box"), BoxVersion: "1.0.0",
			})
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), packer, append(append([]string{"validate"}, args...), r.Dir)...)
			cmd.Env = append(os.Environ(), append(env, "PKR_VAR_esxi_password=dummy", "PKR_VAR_esxi_host=esxi.invalid", "CHECKPOINT_DISABLE=1")...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("packer validate %s: %v\n%s", r.Template, err, out)
			}
		})
	}
}
