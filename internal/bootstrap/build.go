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
	"strings"
	"time"
)

// build makes the image for spec in a temporary folder inside cacheDir and renames the
// finished entry to cacheDir/key.
func build(ctx context.Context, spec Spec, key, cacheDir string, log io.Writer) error {
	tmp, err := os.MkdirTemp(cacheDir, ".tmp-"+key+"-")
	if err != nil {
		return err
	}
	defer removeTemp(tmp, log)

	start := time.Now()
	rootfs := filepath.Join(tmp, "rootfs")
	if err := makeRootfs(ctx, spec, rootfs, tmp, log); err != nil {
		return err
	}
	fmt.Fprintf(log, "bootstrap: rootfs ready after %s\n", time.Since(start).Round(time.Second))

	out := filepath.Join(tmp, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	diskPath := filepath.Join(out, diskName)
	if err := makeDisk(ctx, rootfs, tmp, diskPath, spec.DiskMB, log); err != nil {
		return err
	}
	im, err := describe(diskPath, key, int64(spec.DiskMB)<<20)
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(im, "", "  ")
	if err := os.WriteFile(filepath.Join(out, metaName), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.Rename(out, filepath.Join(cacheDir, key)); err != nil {
		// Another process finished the same image first: its entry is as good as ours.
		if _, lerr := load(filepath.Join(cacheDir, key)); lerr == nil {
			return nil
		}
		return fmt.Errorf("move image into the cache: %w", err)
	}
	fmt.Fprintf(log, "bootstrap: image %s ready after %s\n", key, time.Since(start).Round(time.Second))
	return nil
}

// makeRootfs runs mmdebstrap, then the customization script on the result.
func makeRootfs(ctx context.Context, spec Spec, rootfs, tmp string, log io.Writer) error {
	pkgs := append(append([]string{}, basePackages...), spec.Packages...)
	err := run(ctx, log, "mmdebstrap", "--mode=root", "--variant=minbase",
		"--include="+strings.Join(pkgs, ","), spec.Suite, rootfs, spec.Mirror)
	if err != nil {
		return err
	}
	script := filepath.Join(tmp, "customize.sh")
	pubkey := filepath.Join(tmp, "vagrant.pub")
	if err := os.WriteFile(script, []byte(customizeScript), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(pubkey, []byte(vagrantPubKey), 0o644); err != nil {
		return err
	}
	return run(ctx, log, "sh", script, rootfs, pubkey)
}

// makeDisk lays the rootfs out as a BIOS-bootable disk: one DOS partition at 1 MiB holding
// an ext4 filesystem made straight from the folder, syslinux's MBR code and extlinux in the
// partition, then converts it to qcow2.
func makeDisk(ctx context.Context, rootfs, tmp, qcow2 string, diskMB int, log io.Writer) error {
	// customize.sh wrote extlinux.conf through the kernel hook it installs (one writer, the
	// same one that keeps it right after kernel upgrades inside a box).
	if _, err := os.Stat(filepath.Join(rootfs, "boot/extlinux/extlinux.conf")); err != nil {
		return fmt.Errorf("the customization left no extlinux.conf: %w", err)
	}

	raw := filepath.Join(tmp, "disk.raw")
	if err := truncate(raw, int64(diskMB)<<20); err != nil {
		return err
	}
	if err := partition(ctx, raw, log); err != nil {
		return err
	}
	// The filesystem is written straight into the partition, 1 MiB in, from the folder:
	// no loop device, no copy. ^64bit: extlinux cannot boot from an ext4 with that feature.
	partMB := diskMB - 1
	if err := run(ctx, log, "mkfs.ext4", "-q", "-L", "rootfs", "-O", "^64bit",
		"-E", fmt.Sprintf("offset=%d", partOffset), "-d", rootfs, raw, fmt.Sprintf("%dM", partMB)); err != nil {
		return err
	}
	if err := installExtlinux(ctx, raw, tmp, log); err != nil {
		return err
	}
	if err := writeMBR(raw); err != nil {
		return err
	}
	return run(ctx, log, "qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, qcow2)
}

// installExtlinux loop-mounts the partition just long enough to install extlinux.
func installExtlinux(ctx context.Context, raw, tmp string, log io.Writer) (err error) {
	mnt := filepath.Join(tmp, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		return err
	}
	if err := run(ctx, log, "mount", "-o", fmt.Sprintf("loop,offset=%d", partOffset), raw, mnt); err != nil {
		return err
	}
	defer func() {
		// Not ctx: the unmount must happen even when the build was cancelled.
		if uerr := run(context.WithoutCancel(ctx), log, "umount", mnt); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}()
	return run(ctx, log, "extlinux", "--install", filepath.Join(mnt, "boot/extlinux"))
}

// describe hashes the finished qcow2.
func describe(path, key string, diskBytes int64) (Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return Image{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Image{}, fmt.Errorf("hash %s: %w", path, err)
	}
	return Image{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), SizeBytes: n,
		DiskSizeBytes: diskBytes, Key: key}, nil
}
