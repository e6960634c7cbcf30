package vagrantfile_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/testutil"
	"github.com/boxbuild/boxbuild/internal/vagrantfile"
)

var workspaceDir = flag.String("workspace", "../..", "the workspace whose Vagrantfiles are checked with vagrant validate")

// allProviders are the providers boxbuild writes blocks for.
var allProviders = []string{"libvirt", "virtualbox", "vmware_esxi", "vmware_desktop"}

// TestSchoolVagrantfilesValidate renders every course of every semester of the school's
// workspace with the workspace's own Vagrantfile.tmpl and runs Debian's real `vagrant
// validate` on it: as generated (libvirt active, its block validated for real by
// vagrant-libvirt), and with every provider's block in one file under -p (the providers not
// installed here: VirtualBox, vmware_esxi, vmware_desktop).
func TestSchoolVagrantfilesValidate(t *testing.T) {
	vagrant := testutil.RequireTool(t, "vagrant")
	ws, _, diags := config.Load(*workspaceDir, config.Options{})
	if diags.HasErrors() {
		t.Fatalf("load the school's workspace: %v", diags)
	}
	tmpl, err := vagrantfile.Load(ws)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Semesters) == 0 {
		t.Fatal("the workspace has no semester")
	}
	for _, s := range ws.Semesters {
		for _, c := range s.Courses {
			generated := render(t, tmpl, ws, s, c)
			everyProvider := render(t, tmpl, withAllProviders(ws), s, c)
			for _, p := range allProviders {
				if !strings.Contains(everyProvider, `config.vm.provider "`+p+`"`) {
					t.Fatalf("%s/%s: no %s block in\n%s", s.Name, c.Name, p, everyProvider)
				}
			}
			t.Run(s.Name+"/"+c.Name+"/generated", func(t *testing.T) {
				t.Parallel()
				validate(t, vagrant, generated, "libvirt")
			})
			t.Run(s.Name+"/"+c.Name+"/every-provider-p", func(t *testing.T) {
				t.Parallel()
				validate(t, vagrant, everyProvider, "", "-p")
			})
		}
	}
}

// TestVagrantValidateCatchesProviderTypo proves the check above can fail: a misspelt
// libvirt setting is rejected by vagrant-libvirt.
func TestVagrantValidateCatchesProviderTypo(t *testing.T) {
	vagrant := testutil.RequireTool(t, "vagrant")
	bad := strings.Replace(vagrantfile.DefaultTemplate, "lv.cpus   =", "lv.cpuz   =", 1)
	tmpl, err := vagrantfile.Parse("bad.tmpl", bad)
	if err != nil {
		t.Fatal(err)
	}
	ws := &config.Workspace{Org: "tbz", Boxes: []*config.Box{{Name: "lamp", Version: "2.1", Providers: []string{"libvirt"}, CPUs: 1, Memory: 512}}}
	d, err := vagrantfile.ForBox(ws, ws.Boxes[0], vagrantfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := tmpl.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := runValidate(t, vagrant, string(out), "libvirt")
	if err == nil || !strings.Contains(got, "cpuz") {
		t.Fatalf("vagrant validate accepted a misspelt setting (err %v):\n%s", err, got)
	}
}

func render(t *testing.T, tmpl *vagrantfile.Template, ws *config.Workspace, s *config.Semester, c *config.Course) string {
	t.Helper()
	d, err := vagrantfile.ForCourse(ws, s, c, vagrantfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := tmpl.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// withAllProviders is a copy of ws whose boxes claim every provider, so one Vagrantfile
// carries every provider block the template has.
func withAllProviders(ws *config.Workspace) *config.Workspace {
	c := *ws
	c.Boxes = nil
	for _, b := range ws.Boxes {
		nb := *b
		nb.Providers = allProviders
		c.Boxes = append(c.Boxes, &nb)
	}
	return &c
}

func validate(t *testing.T, vagrant, vagrantfileText, provider string, args ...string) {
	t.Helper()
	out, err := runValidate(t, vagrant, vagrantfileText, provider, args...)
	if err != nil || !strings.Contains(out, "Vagrantfile validated successfully.") {
		t.Fatalf("vagrant validate %v: %v\n%s\nVagrantfile:\n%s", args, err, out, vagrantfileText)
	}
}

func runValidate(t *testing.T, vagrant, vagrantfileText, provider string, args ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Vagrantfile"), []byte(vagrantfileText), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), vagrant, append([]string{"validate"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "VAGRANT_HOME="+t.TempDir(), "VAGRANT_CHECKPOINT_DISABLE=1",
		"VAGRANT_NO_COLOR=1", "VAGRANT_DEFAULT_PROVIDER="+provider)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
