package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/config"
)

// The two Packer versions the golden files cover: Debian's and a modern one.
var (
	packer166  = version.Must(version.NewVersion("1.6.6"))
	packer1112 = version.Must(version.NewVersion("1.11.2"))
)

const testSecret = "Zq9-not-in-any-file-7Kx"

var allProviders = []string{"libvirt", "virtualbox", "vmware_desktop", "vmware_esxi"}

// testWorkspace is a workspace built in Go (not loaded from HCL) with one box per source kind.
// Its scripts live in testdata/ws; the templates are the repository's own packer/ folder.
func testWorkspace(t *testing.T) *config.Workspace {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "ws"))
	if err != nil {
		t.Fatal(err)
	}
	hello := func() *config.Script {
		return &config.Script{Path: "provision/base/hello.sh", Env: []config.EnvVar{
			{Name: "GREETING", Value: `say "hi" ${not-hcl} %{nor-this}`},
		}}
	}
	iso := func(osName string) *config.Source {
		return &config.Source{Kind: "iso", OS: osName, URL: "https://deb.example/" + osName + ".iso",
			Checksum: "sha256:2b6a9d0f0b8c2c0c6d3b7c0f2a7b7e2d0b1c1b4f0e9d0a6b5a0e3f2d1c0b9a8f"}
	}
	ws := &config.Workspace{
		Dir: dir, Org: "school", StateDir: filepath.Join(dir, ".boxbuild"),
		Defaults: config.Defaults{CPUs: 2, Memory: 2048, DiskGB: 20, Providers: allProviders, Arch: []string{"amd64"}},
		Variables: []*config.Variable{
			{Name: "db_password", Type: "string", Sensitive: true, Value: testSecret, Set: true},
			{Name: "esxi_host", Type: "string", Value: "esxi.school.example", Set: true},
		},
	}
	ws.Boxes = []*config.Box{
		{Name: "base", Version: "1.0", Source: &config.Source{Kind: "bootstrap", Suite: "bookworm"},
			Provisions: []*config.Script{hello()}},
		{Name: "child", Version: "2.1", From: "base", Memory: 4096,
			Provisions: []*config.Script{hello(), {Path: "provision/db/setup.sh", Env: []config.EnvVar{
				{Name: "DB_NAME", Value: "school"},
				{Name: "DB_PASSWORD", Value: testSecret, Sensitive: true, Variable: "db_password"},
			}}}},
		{Name: "deb-iso", Version: "1.4", Source: iso("debian"), DiskGB: 30, Provisions: []*config.Script{hello()}},
		{Name: "img-ova", Version: "1.0", Source: &config.Source{Kind: "image", Format: "ova",
			URL: "https://img.example/base.ova", Checksum: "sha256:5f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574635241302f1e0d9c8b7a"}},
		{Name: "img-qcow2", Version: "1.0", Source: &config.Source{Kind: "image", Format: "qcow2",
			URL: "https://img.example/base.qcow2", Checksum: "sha256:0d9c8b7a69584736251403f2e1d0c9b8a7968574635241302f1e0d9c8b7a5f1e"}},
		{Name: "ubu-iso", Version: "1.0", Source: iso("ubuntu"), Provisions: []*config.Script{hello()}},
	}
	return ws
}

// forEachPacker renders every buildable box × provider of ws with the repository's templates,
// once for each Packer version the golden files cover, and hands each run to check.
func forEachPacker(t *testing.T, ws *config.Workspace, check func(pv *version.Version, opts Options, res []*Result)) {
	t.Helper()
	for _, pv := range []*version.Version{packer166, packer1112} {
		opts := repoTemplates(t)
		opts.Packer = pv
		res, err := renderAllSupported(t, ws, opts)
		if err != nil {
			t.Fatal(err)
		}
		check(pv, opts, res)
	}
}

// repoTemplates are the workspace templates this repository ships in packer/.
func repoTemplates(t *testing.T) Options {
	t.Helper()
	return Options{Templates: os.DirFS(filepath.Join("..", "..", "packer")), OutDir: t.TempDir()}
}
