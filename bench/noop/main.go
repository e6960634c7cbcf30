// Command noop measures a no-op `boxbuild all`: every build already cached, so the run is
// load + render + hash + cache look-up and nothing else. It runs on the school's workspace
// and on generated workspaces of growing size, next to `boxbuild validate` on the same
// workspace (the floor: loading alone) in the same run.
//
//	go run ./bench/noop [-sizes 100,250,500] [-runs 5]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/cache"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/plan"
)

func main() {
	sizes := flag.String("sizes", "100,250,500", "generated workspace sizes (boxes)")
	runs := flag.Int("runs", 5, "timed runs per workspace (the median is reported)")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "boxbuild-noop-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "boxbuild")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/boxbuild").CombinedOutput(); err != nil {
		log.Fatalf("go build: %v\n%s", err, out)
	}

	fmt.Println("| workspace | boxes | builds | no-op `all` (median) | `validate` (median) | all − validate |")
	fmt.Println("|---|---|---|---|---|---|")
	school := filepath.Join(tmp, "school")
	run(bin, "init", school)
	measure(bin, "school (boxbuild init)", school, *runs)
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			log.Fatal(err)
		}
		dir := filepath.Join(tmp, fmt.Sprintf("gen%d", n))
		generate(dir, school, n)
		measure(bin, "generated", dir, *runs)
	}
}

func measure(bin, name, dir string, runs int) {
	builds := markAllBuilt(dir)
	boxes := len(mustLoad(dir).Boxes)
	all := median(runs, func() { run(bin, "-C", dir, "-q", "all") })
	validate := median(runs, func() { run(bin, "-C", dir, "-q", "validate") })
	fmt.Printf("| %s | %d | %d | %s | %s | %s |\n", name, boxes, builds, ms(all), ms(validate), ms(all-validate))
}

// generate writes a workspace of n boxes: one bootstrap base per 25 boxes, each with a
// chain of derived boxes three deep under it, all sharing the school's scripts and templates.
func generate(dir, school string, n int) {
	for _, sub := range []string{"provision", "tests", "packer"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(school, sub))); err != nil {
			log.Fatal(err)
		}
	}
	write(filepath.Join(dir, "boxbuild.hcl"), "workspace {\n  org = \"bench\"\n}\ndefaults {\n  providers = [\"libvirt\"]\n}\n")
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "box \"b%03d\" {\n  version = \"1.%d\"\n", i, i%7)
		switch {
		case i%25 == 0:
			b.WriteString("  source \"bootstrap\" {}\n  provision \"base/vagrant-user.sh\" {}\n  provision \"base/sshd.sh\" {}\n")
		case i%25 < 4:
			fmt.Fprintf(&b, "  from = \"b%03d\"\n  provision \"web/nginx-php-fpm.sh\" {}\n  provision \"web/landing-page.sh\" {}\n", i-1)
		default:
			fmt.Fprintf(&b, "  from = \"b%03d\"\n  provision \"web/apache-php.sh\" {}\n  test \"http-200.sh\" {}\n", i-i%25+3)
		}
		b.WriteString("}\n")
	}
	write(filepath.Join(dir, "boxes", "gen.hcl"), b.String())
}

// markAllBuilt plans every build and records it as built (a small stand-in .box file per
// build), so the next `all` finds everything in the cache. Returns the number of builds.
func markAllBuilt(dir string) int {
	ws := mustLoad(dir)
	pk, err := packer.Find()
	if err != nil {
		log.Fatal(err)
	}
	pv, err := pk.Version(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	p, err := plan.Make(ws, plan.Options{Packer: pv, RenderDir: filepath.Join(ws.StateDir, "render")})
	if err != nil {
		log.Fatal(err)
	}
	c := cache.Open(ws.StateDir)
	for _, b := range p.Builds {
		file := filepath.Join(ws.StateDir, "out", b.Box.Name, b.Version, b.Provider+"-"+b.Arch+".box")
		write(file, b.ActionID)
		a := artifact.Artifact{Box: b.Box.Name, Version: b.Version, Provider: b.Provider, Arch: b.Arch, File: file,
			Sha256: strings.Repeat("0", 64), Size: int64(len(b.ActionID)), BuiltAt: time.Now().UTC()}
		if err := c.Put(&cache.Entry{ActionID: b.ActionID, Lines: b.Lines, Artifact: a}); err != nil {
			log.Fatal(err)
		}
	}
	return len(p.Builds)
}

func mustLoad(dir string) *config.Workspace {
	ws, _, diags := config.Load(dir, config.Options{})
	if diags.HasErrors() {
		log.Fatalf("%s: %v", dir, diags)
	}
	return ws
}

func run(args ...string) {
	cmd := exec.Command(args[0], args[1:]...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func median(n int, f func()) time.Duration {
	var d []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		f()
		d = append(d, time.Since(start))
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

func write(path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
}
