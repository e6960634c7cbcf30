package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/plan"
	"github.com/boxbuild/boxbuild/internal/render"
)

// ErrNoTests marks a box with no test blocks: a skip, not a failure.
var ErrNoTests = errors.New("the box has no tests")

// Test boots the built disk of b in a throw-away copy and runs the box's test scripts in it
// through Packer, so a test proves what a student gets: services that start at boot, pages
// and databases that answer. Nothing is recorded; the copy is deleted afterwards.
func Test(ctx context.Context, ws *config.Workspace, p *plan.Plan, b *plan.Build, pk *packer.Packer, progress *Progress) error {
	if len(b.Box.Tests) == 0 {
		return ErrNoTests
	}
	if b.Cached == nil {
		return fmt.Errorf("%s is not built with its current inputs; run 'boxbuild build %s' first", b.ID, b.Box.Name)
	}
	if b.Render.Artifact == "" || b.Cached.DiskSHA256 == "" {
		return fmt.Errorf("%s: boxbuild can boot only boxes whose disk stays on this machine (not %s)", b.ID, b.Provider)
	}
	results, err := render.RenderTest(ws, render.Options{
		OutDir: filepath.Join(ws.StateDir, "render-test"), Packer: mustVersion(p.PackerVersion),
		Boxes: []string{b.Box.Name}, Providers: []string{b.Provider}, Arch: []string{b.Arch},
	})
	if err != nil {
		return err
	}
	if len(results) != 1 {
		return fmt.Errorf("%s: rendered %d test folders, want 1", b.ID, len(results))
	}
	r := results[0]
	tmp, err := os.MkdirTemp(ws.StateDir, "test-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	rv := render.RunVars{
		BaseImage:         filepath.Join(b.Cached.OutputDir, b.Render.Artifact),
		BaseImageChecksum: "sha256:" + b.Cached.DiskSHA256,
		OutputDir:         filepath.Join(tmp, "out"),
		BoxVersion:        b.Version,
	}
	rv.Accelerator = accelerator()
	if b.Provider == "libvirt" {
		if rv.BaseImageSize, err = qcowVirtualSize(ctx, rv.BaseImage); err != nil {
			return err
		}
	}
	args, env, err := r.PackerArgs(rv)
	if err != nil {
		return err
	}
	logFile := filepath.Join(ws.StateDir, "logs", fmt.Sprintf("%s-%s-%s-%s-test.log", b.Box.Name, b.Version, b.Provider, b.Arch))
	if err := os.MkdirAll(filepath.Dir(logFile), 0o755); err != nil {
		return err
	}
	_, err = pk.Build(ctx, packer.BuildOpts{
		Dir: r.Dir, Template: render.TemplateFile, Env: append(append(env, varsAsEnv(args)...), packerCacheEnv(ws)), Secrets: secrets(b.Box),
		LogPath: logFile, OnEvent: func(ev packer.Event) { progress.Event(b.ID, ev) },
	})
	if err != nil {
		return fmt.Errorf("tests of %s failed (log: %s): %w", b.ID, logFile, err)
	}
	return nil
}

func mustVersion(v string) *version.Version { return version.Must(version.NewVersion(v)) }
