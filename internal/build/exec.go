package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/bootstrap"
	"github.com/boxbuild/boxbuild/internal/buildinfo"
	"github.com/boxbuild/boxbuild/internal/cache"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/fetch"
	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/plan"
	"github.com/boxbuild/boxbuild/internal/render"
)

// ExecOptions tune a run of a plan.
type ExecOptions struct {
	Workers      int
	MemoryBudget int64 // MiB of guest memory running at once; 0: no cap
	FailFast     bool
	Packer       *packer.Packer
	ImageCache   string // where bootstrap base images are kept (shared across workspaces)
	Downloads    string // where verified ISO and image downloads are kept
	Progress     *Progress
}

// Executor runs the builds of a plan that are not cached.
type Executor struct {
	ws    *config.Workspace
	plan  *plan.Plan
	opts  ExecOptions
	cache *cache.Cache
	git   gitState
}

// NewExecutor prepares a run of p in ws.
func NewExecutor(ws *config.Workspace, p *plan.Plan, opts ExecOptions) *Executor {
	return &Executor{ws: ws, plan: p, opts: opts, cache: cache.Open(ws.StateDir), git: readGit(ws.Dir)}
}

// Run builds what the plan needs, parents before children, and returns one result per
// build that had to run (cached builds are not listed).
func (e *Executor) Run(ctx context.Context) ([]Result, error) {
	var nodes []Node
	for _, b := range e.plan.Builds {
		if !b.NeedsBuild() {
			continue
		}
		b := b
		var deps []string
		if b.Parent != nil && b.Parent.NeedsBuild() {
			deps = append(deps, b.Parent.ID)
		}
		nodes = append(nodes, Node{
			ID: b.ID, Deps: deps, Memory: int64(b.Box.Memory),
			Run: func(ctx context.Context) error { return e.build(ctx, b) },
		})
	}
	return Schedule(ctx, nodes, Options{
		Workers: e.opts.Workers, MemoryBudget: e.opts.MemoryBudget, FailFast: e.opts.FailFast,
		OnStart:  func(id string) { e.opts.Progress.Start(id) },
		OnFinish: func(r Result) { e.opts.Progress.Finish(r) },
	})
}

// paths of one build's output, all below the state folder.
func outPaths(stateDir string, b *plan.Build) (outDir, box, logFile string) {
	base := filepath.Join(stateDir, "out", b.Box.Name, b.Version, b.Provider+"-"+b.Arch)
	logFile = filepath.Join(stateDir, "logs", fmt.Sprintf("%s-%s-%s-%s.log", b.Box.Name, b.Version, b.Provider, b.Arch))
	return base, base + ".box", logFile
}

// build runs one packer build and records its artifact. Nothing is recorded unless the build
// succeeded completely; a failed or interrupted build leaves no output behind.
func (e *Executor) build(ctx context.Context, b *plan.Build) (err error) {
	outDir, boxFile, logFile := outPaths(e.ws.StateDir, b)
	defer func() {
		if err != nil {
			os.RemoveAll(outDir)
			os.Remove(boxFile)
		}
	}()
	for _, dir := range []string{filepath.Dir(outDir), filepath.Dir(logFile)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	os.RemoveAll(outDir) // leftovers of an earlier crash; packer needs it absent
	begun := time.Now()
	env, err := e.PackerEnv(ctx, b, outDir, boxFile)
	if err != nil {
		return err
	}
	started := time.Now()
	e.opts.Progress.Phase(b.ID, "prepare", started.Sub(begun))
	_, err = e.opts.Packer.Build(ctx, packer.BuildOpts{
		Dir: b.Render.Dir, Template: render.TemplateFile, Env: env, Secrets: secrets(b.Box),
		LogPath: logFile, OnEvent: func(ev packer.Event) { e.opts.Progress.Event(b.ID, ev) },
	})
	if err != nil {
		return fmt.Errorf("packer build (log: %s): %w", logFile, err)
	}
	packed := time.Now()
	e.opts.Progress.Phase(b.ID, "packer", packed.Sub(started))
	if err := e.record(b, outDir, boxFile, started); err != nil {
		return err
	}
	e.opts.Progress.Phase(b.ID, "record", time.Since(packed))
	return nil
}

// record hashes what a successful build made and writes its artifact record and cache entry.
func (e *Executor) record(b *plan.Build, outDir, boxFile string, started time.Time) error {
	disk := ""
	if b.Render.Artifact != "" {
		disk = filepath.Join(outDir, b.Render.Artifact)
	}
	sum, size, diskSum, err := hashOutputs(boxFile, disk)
	if err != nil {
		return err
	}
	a := artifact.Artifact{Box: b.Box.Name, Version: b.Version, Provider: b.Render.BoxProvider, Arch: b.Arch,
		File: boxFile, Sha256: sum, Size: size, BuiltAt: started.UTC().Truncate(time.Second),
		PackerVersion: e.plan.PackerVersion, BoxbuildVersion: buildinfo.Version,
		GitRevision: e.git.revision, GitDirty: e.git.dirty, ActionID: b.ActionID}
	entry := &cache.Entry{ActionID: b.ActionID, Lines: b.Lines, Artifact: a, OutputDir: outDir, DiskSHA256: diskSum}
	if err := artifact.Write(e.ws.StateDir, &a); err != nil {
		return err
	}
	b.Cached = entry
	return e.cache.Put(entry)
}

// hashOutputs hashes the box, whose checksum goes into its metadata, and the disk (if any),
// which derived boxes start from and Packer verifies before using: taken now, so a disk
// changed later is caught. Both files were just written and are in the page cache, so
// hashing them side by side costs about the time of the larger one.
func hashOutputs(boxFile, disk string) (boxSum string, size int64, diskSum string, err error) {
	var diskErr error
	var wg sync.WaitGroup
	if disk != "" {
		wg.Go(func() { diskSum, _, diskErr = hashFile(disk) })
	}
	boxSum, size, err = hashFile(boxFile)
	wg.Wait()
	if err != nil {
		return "", 0, "", fmt.Errorf("packer reported success but the box is missing: %w", err)
	}
	if diskErr != nil {
		return "", 0, "", fmt.Errorf("the disk a derived box starts from is missing: %w", diskErr)
	}
	return boxSum, size, diskSum, nil
}

// PackerEnv is the environment `packer build` gets for b, writing Packer's output to outDir
// and the box to boxFile: every template variable as PKR_VAR_<name>, sensitive ones included
// (an environment is not a command line: no other user sees it in the process list).
// bench/overhead runs packer directly with exactly this, to measure what boxbuild adds.
func (e *Executor) PackerEnv(ctx context.Context, b *plan.Build, outDir, boxFile string) ([]string, error) {
	rv, err := e.runVars(ctx, b)
	if err != nil {
		return nil, err
	}
	rv.OutputDir, rv.BoxOutput, rv.BoxVersion = outDir, boxFile, b.Version
	args, env, err := b.Render.PackerArgs(rv)
	if err != nil {
		return nil, err
	}
	return append(append(env, varsAsEnv(args)...), packerCacheEnv(e.ws)), nil
}

// runVars says what the build starts from: the bootstrap image, the source, or the parent's disk.
func (e *Executor) runVars(ctx context.Context, b *plan.Build) (render.RunVars, error) {
	var rv render.RunVars
	rv.Accelerator = accelerator()
	switch {
	case b.Parent != nil:
		p := b.Parent.Cached
		if p == nil || b.Parent.Render.Artifact == "" {
			return rv, fmt.Errorf("parent %s has no disk to start from", b.Parent.ID)
		}
		rv.BaseImage = filepath.Join(p.OutputDir, b.Parent.Render.Artifact)
		rv.BaseImageChecksum = "sha256:" + p.DiskSHA256
		if _, err := os.Stat(rv.BaseImage); err != nil {
			return rv, fmt.Errorf("parent disk: %w", err)
		}
	case b.Box.Source != nil && b.Box.Source.Kind == "bootstrap":
		src := b.Box.Source
		img, err := bootstrap.Ensure(ctx, bootstrap.Spec{Suite: src.Suite, Mirror: src.Mirror, Packages: src.Packages,
			DiskMB: b.Box.DiskGB * 1024}, e.opts.ImageCache, e.opts.Progress.Writer(b.ID))
		if err != nil {
			return rv, fmt.Errorf("bootstrap base image: %w", err)
		}
		rv.BaseImage, rv.BaseImageChecksum, rv.BaseImageSize = img.Path, "sha256:"+img.SHA256, img.DiskSize()
	case b.Box.Source != nil:
		// iso and image: downloaded once into the shared cache and verified against the
		// mandatory checksum before Packer sees them.
		src := b.Box.Source
		f := fetch.Fetcher{CacheDir: e.opts.Downloads}
		res, err := f.Fetch(ctx, src.URL, src.Checksum)
		if err != nil {
			return rv, fmt.Errorf("download %s: %w", src.URL, err)
		}
		rv.BaseImage, rv.BaseImageChecksum = res.Path, res.Checksum
		if src.Kind == "iso" {
			return rv, nil
		}
	}
	if b.Provider == "libvirt" && rv.BaseImage != "" && rv.BaseImageSize == "" {
		size, err := qcowVirtualSize(ctx, rv.BaseImage)
		if err != nil {
			return rv, err
		}
		rv.BaseImageSize = size
	}
	return rv, nil
}

// packerCacheEnv keeps Packer's download cache in the state folder rather than in each
// rendered build folder.
func packerCacheEnv(ws *config.Workspace) string {
	return "PACKER_CACHE_DIR=" + filepath.Join(ws.StateDir, "packer_cache")
}

// varsAsEnv turns `-var name=value` pairs into PKR_VAR_ variables, so no value shows up in
// the process list.
func varsAsEnv(args []string) []string {
	var env []string
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "-var" {
			env = append(env, "PKR_VAR_"+args[i+1])
			i++
		}
	}
	return env
}

func secrets(box *config.Box) []string {
	var out []string
	for _, s := range append(append([]*config.Script{}, box.Provisions...), box.Tests...) {
		for _, v := range s.Env {
			if v.Sensitive && v.Value != "" {
				out = append(out, v.Value)
			}
		}
	}
	return out
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// qcowVirtualSize reads a disk's virtual size for Packer's disk_size: too small and Packer
// fails, the default 40960M and the box claims a 40 GB disk.
func qcowVirtualSize(ctx context.Context, path string) (string, error) {
	out, err := exec.CommandContext(ctx, "qemu-img", "info", "--output=json", path).Output()
	if err != nil {
		return "", fmt.Errorf("qemu-img info %s: %w", path, err)
	}
	const key = `"virtual-size":`
	i := strings.Index(string(out), key)
	if i < 0 {
		return "", errors.New("qemu-img info: no virtual-size")
	}
	var bytes int64
	fmt.Sscanf(strings.TrimSpace(string(out[i+len(key):])), "%d", &bytes)
	return fmt.Sprintf("%dM", bytes>>20), nil
}

type gitState struct {
	revision string
	dirty    bool
}

// readGit records which commit a box was built from, and whether the tree had changes.
func readGit(dir string) gitState {
	rev, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return gitState{}
	}
	status, _ := exec.Command("git", "-C", dir, "status", "--porcelain").Output()
	return gitState{revision: strings.TrimSpace(string(rev)), dirty: len(strings.TrimSpace(string(status))) > 0}
}
