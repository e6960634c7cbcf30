// Command overhead measures what boxbuild adds to a real QEMU build: `boxbuild build BOX
// --force` against `packer build` run directly on the same rendered template with the same
// variables (build.Executor.PackerEnv), alternating the two in the same run.
//
// Under TCG two runs of the same packer build differ by seconds (the guest's boot and apt),
// far more than boxbuild adds, so comparing wall times alone needs many runs to say anything.
// boxbuild's --json events time its packer child (phase "packer"); the wall time of the
// boxbuild process minus that is what boxbuild adds, measured without the guest's noise, and
// is reported against the direct packer build's median.
//
//	go run ./bench/overhead [-box hello] [-runs 5]
//
// The default box, "hello", is written into the benchmark's workspace: one small script on top
// of debian12, so a run takes minutes, not the better part of an hour under TCG; -box nginx
// measures a real web box. Needs root and the tools of `make demo`; the first, untimed build
// makes the parent boxes.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/build"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/plan"
	"github.com/boxbuild/boxbuild/internal/render"
)

func main() {
	box := flag.String("box", "hello", "a derived box of the default workspace, or hello")
	runs := flag.Int("runs", 5, "timed builds of each kind")
	flag.Parse()
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "boxbuild-overhead-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "boxbuild")
	must(exec.Command("go", "build", "-o", bin, "./cmd/boxbuild"))
	ws := filepath.Join(tmp, "ws")
	must(exec.Command(bin, "init", ws))
	writeFile(filepath.Join(ws, "boxes", "hello.hcl"), "box \"hello\" {\n  version = \"1.0\"\n  from = \"debian12\"\n  provision \"hello.sh\" {}\n}\n")
	writeFile(filepath.Join(ws, "provision", "hello.sh"), "#!/bin/sh\n# hello.sh: leaves a mark\nset -eu\necho hello >/etc/boxbuild-hello\n")
	log.Printf("untimed first build of %s and its parents", *box)
	must(exec.Command(bin, "-C", ws, "-q", "build", *box))

	var direct, wall, inner, added []time.Duration
	for i := 0; i < *runs; i++ {
		d := packerDirect(ctx, ws, *box, filepath.Join(tmp, fmt.Sprintf("direct%d", i)))
		direct = append(direct, d)
		log.Printf("packer build directly: %s", d.Round(time.Millisecond))
		w, p := boxbuildRun(bin, ws, *box)
		wall, inner, added = append(wall, w), append(inner, p), append(added, w-p)
		log.Printf("boxbuild build --force: %s, of which packer %s", w.Round(time.Millisecond), p.Round(time.Millisecond))
	}
	md := median(direct)
	pct := func(d time.Duration) string { return fmt.Sprintf("%+.1f%%", 100*float64(d)/float64(md)) }
	fmt.Printf("| %s, %d runs each | runs | median | against packer directly |\n", *box, *runs)
	fmt.Println("|---|---|---|---|")
	fmt.Printf("| packer build, directly | %v | %s | |\n", rounded(direct), md.Round(time.Millisecond))
	fmt.Printf("| boxbuild build --force, wall | %v | %s | %s |\n", rounded(wall), median(wall).Round(time.Millisecond), pct(median(wall)-md))
	fmt.Printf("| its packer child | %v | %s | %s |\n", rounded(inner), median(inner).Round(time.Millisecond), pct(median(inner)-md))
	fmt.Printf("| **added by boxbuild** (wall − child) | %v | %s | **%s** |\n", roundedMs(added), median(added).Round(time.Millisecond), pct(median(added)))
}

// boxbuildRun runs `boxbuild build --force` and returns its wall time and the time its packer
// child ran, from the "packer" phase event of --json.
func boxbuildRun(bin, ws, box string) (wall, child time.Duration) {
	cmd := exec.Command(bin, "-C", ws, "build", box, "--force", "--json")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	wall = time.Since(start)
	if err != nil {
		log.Fatalf("boxbuild build: %v\n%s%s", err, out, stderr.String())
	}
	found := false
	for _, line := range strings.Split(string(out), "\n") {
		var ev struct {
			Build, Type, Phase string
			Seconds            float64
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Type == "phase" && ev.Phase == "packer" && strings.HasPrefix(ev.Build, box+"/") {
			child, found = time.Duration(ev.Seconds*float64(time.Second)), true
		}
	}
	if !found {
		log.Fatalf("boxbuild build --json reported no packer phase for %s:\n%s", box, out)
	}
	return wall, child
}

// packerDirect runs the same packer build boxbuild would, without boxbuild around it.
func packerDirect(ctx context.Context, dir, box, out string) time.Duration {
	ws, _, diags := config.Load(dir, config.Options{})
	if diags.HasErrors() {
		log.Fatal(diags)
	}
	pk, err := packer.Find()
	if err != nil {
		log.Fatal(err)
	}
	pv, err := pk.Version(ctx)
	if err != nil {
		log.Fatal(err)
	}
	p, err := plan.Make(ws, plan.Options{Boxes: []string{box}, Force: true, Packer: pv, RenderDir: filepath.Join(ws.StateDir, "render")})
	if err != nil {
		log.Fatal(err)
	}
	b := p.Builds[len(p.Builds)-1]
	ex := build.NewExecutor(ws, p, build.ExecOptions{Packer: pk, ImageCache: filepath.Join(out, "unused"), Progress: build.NewProgress(nil, false, false, true)})
	env, err := ex.PackerEnv(ctx, b, filepath.Join(out, "output"), filepath.Join(out, "box.box"))
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(pk.Path, "build", "-machine-readable", "-force", render.TemplateFile)
	cmd.Dir = b.Render.Dir
	cmd.Env = append(append(os.Environ(), "CHECKPOINT_DISABLE=1"), env...)
	start := time.Now()
	if outb, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("packer build: %v\n%s", err, outb)
	}
	d := time.Since(start)
	os.RemoveAll(out)
	return d
}

func writeFile(p, content string) {
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		log.Fatal(err)
	}
}

func must(cmd *exec.Cmd) {
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
}

// median of d; with an even count, the mean of the middle two.
func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

func roundedMs(d []time.Duration) []string {
	var out []string
	for _, x := range d {
		out = append(out, x.Round(time.Millisecond).String())
	}
	return out
}

func rounded(d []time.Duration) []string {
	var out []string
	for _, x := range d {
		out = append(out, x.Round(100*time.Millisecond).String())
	}
	return out
}
