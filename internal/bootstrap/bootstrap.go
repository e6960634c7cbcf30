// Package bootstrap makes the base disk of a `source "bootstrap"` box without an installer:
// mmdebstrap writes a Debian rootfs, a few commands turn it into a BIOS-bootable qcow2 that
// Packer's qemu builder can start with disk_image = true. No KVM, no boot_command, no ISO.
//
// The image is cached in a folder named by a hash of every input, so the second Ensure with
// the same Spec returns at once; a build happens in a temporary folder that is renamed into
// place only when complete, so an interrupted build never leaves a half image in the cache.
// Building needs root (chroot, loop mount) and a Debian host with mmdebstrap.
package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gofrs/flock"
)

// recipeVersion names the recipe in this package; bump it whenever the commands, the
// customization script or the disk layout change, so cached images made the old way are
// not reused.
const recipeVersion = "bootstrap-recipe-5"

// Defaults for the fields of a Spec left empty.
const (
	DefaultSuite  = "bookworm"
	DefaultMirror = "http://deb.debian.org/debian"
	// DefaultDiskMB is the disk's virtual size; the rootfs needs about 350 MB of it.
	DefaultDiskMB = 2048
)

// basePackages are what every bootstrap image needs to boot, get an address and take SSH
// logins from Packer and Vagrant. dbus is needed or `systemctl poweroff` complains.
var basePackages = []string{
	"systemd-sysv", "systemd-resolved", "udev", "dbus", "iproute2", "openssh-server",
	"sudo", "linux-image-cloud-amd64", "ca-certificates",
}

// Spec is what a `source "bootstrap"` block asks for.
type Spec struct {
	Suite    string   // Debian suite, e.g. "bookworm"; DefaultSuite when empty
	Mirror   string   // Debian mirror URL; DefaultMirror when empty
	Packages []string // extra packages installed into the image
	DiskMB   int      // virtual disk size in MiB; DefaultDiskMB when zero
}

// Image is a finished base disk in the cache.
type Image struct {
	Path          string `json:"-"`               // the qcow2 file
	SHA256        string `json:"sha256"`          // hex digest of the qcow2 file
	SizeBytes     int64  `json:"size_bytes"`      // size of the qcow2 file
	DiskSizeBytes int64  `json:"disk_size_bytes"` // virtual disk size: Packer's disk_size
	Key           string `json:"key"`             // the cache key (see Key)
}

// DiskSize is the image's virtual size in Packer's disk_size syntax, e.g. "2048M". Packer's
// default of 40960M would end up in the box's metadata.json even with skip_resize_disk.
func (im Image) DiskSize() string { return fmt.Sprintf("%dM", im.DiskSizeBytes>>20) }

// withDefaults fills the empty fields and sorts and deduplicates the packages, so two specs
// that build the same image get the same key.
func (s Spec) withDefaults() Spec {
	if s.Suite == "" {
		s.Suite = DefaultSuite
	}
	if s.Mirror == "" {
		s.Mirror = DefaultMirror
	}
	if s.DiskMB == 0 {
		s.DiskMB = DefaultDiskMB
	}
	s.Packages = slices.Compact(slices.Sorted(slices.Values(s.Packages)))
	return s
}

// Key is the cache key of the image a Spec builds: a hash over every input, one per line.
// Every new input of the recipe must be added here.
func Key(spec Spec) string {
	s := spec.withDefaults()
	h := sha256.New()
	fmt.Fprintf(h, "recipe %s\n", recipeVersion)
	fmt.Fprintf(h, "arch amd64\n")
	fmt.Fprintf(h, "suite %s\n", s.Suite)
	fmt.Fprintf(h, "mirror %s\n", s.Mirror)
	fmt.Fprintf(h, "disk_mb %d\n", s.DiskMB)
	for _, p := range basePackages {
		fmt.Fprintf(h, "base_package %s\n", p)
	}
	for _, p := range s.Packages {
		fmt.Fprintf(h, "package %s\n", p)
	}
	fmt.Fprintf(h, "customize %x\n", sha256.Sum256([]byte(customizeScript)))
	fmt.Fprintf(h, "pubkey %x\n", sha256.Sum256([]byte(vagrantPubKey)))
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// Ensure returns the cached image for spec, building it first when the cache has none.
// Progress of a build (mmdebstrap's output and each step) goes to log.
func Ensure(ctx context.Context, spec Spec, cacheDir string, log io.Writer) (Image, error) {
	spec = spec.withDefaults()
	if err := spec.validate(); err != nil {
		return Image{}, err
	}
	key := Key(spec)
	dir := filepath.Join(cacheDir, key)
	if im, err := load(dir); err == nil {
		return im, nil
	}
	if err := checkHost(); err != nil {
		return Image{}, err
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return Image{}, fmt.Errorf("bootstrap: %w", err)
	}
	// Boxes built side by side may need the same image: one builds it, the others wait
	// here and then find it in the cache.
	lock := flock.New(filepath.Join(cacheDir, key+".lock"))
	if err := lock.Lock(); err != nil {
		return Image{}, fmt.Errorf("bootstrap: lock %s: %w", key, err)
	}
	defer lock.Unlock()
	if im, err := load(dir); err == nil {
		return im, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		// A broken entry is a miss: rebuild it rather than fail or trust it.
		fmt.Fprintf(log, "bootstrap: cached image %s unusable (%v); rebuilding\n", key, err)
		if err := os.RemoveAll(dir); err != nil {
			return Image{}, fmt.Errorf("bootstrap: remove broken cache entry: %w", err)
		}
	}
	if err := build(ctx, spec, key, cacheDir, log); err != nil {
		return Image{}, fmt.Errorf("bootstrap %s %s: %w", spec.Suite, key, err)
	}
	return load(dir)
}

// validate rejects values that would end up on a command line as something else.
func (s Spec) validate() error {
	for _, p := range append([]string{s.Suite}, s.Packages...) {
		if p == "" || strings.HasPrefix(p, "-") || strings.ContainsAny(p, " \t\n,") {
			return fmt.Errorf("bootstrap: invalid suite or package name %q", p)
		}
	}
	if !strings.HasPrefix(s.Mirror, "http://") && !strings.HasPrefix(s.Mirror, "https://") {
		return fmt.Errorf("bootstrap: mirror %q is not an http(s) URL", s.Mirror)
	}
	if s.DiskMB < 1024 {
		return fmt.Errorf("bootstrap: disk of %d MiB is too small (at least 1024)", s.DiskMB)
	}
	return nil
}

// load reads a finished cache entry; any problem with it is an error.
func load(dir string) (Image, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaName))
	if err != nil {
		return Image{}, err
	}
	var im Image
	if err := json.Unmarshal(b, &im); err != nil {
		return Image{}, fmt.Errorf("read %s: %w", metaName, err)
	}
	im.Path = filepath.Join(dir, diskName)
	fi, err := os.Stat(im.Path)
	if err != nil {
		return Image{}, fmt.Errorf("cache entry without its disk: %w", err)
	}
	if fi.Size() != im.SizeBytes || len(im.SHA256) != 64 {
		return Image{}, fmt.Errorf("disk does not match %s", metaName)
	}
	return im, nil
}

const (
	diskName = "disk.qcow2"
	metaName = "image.json"
)
