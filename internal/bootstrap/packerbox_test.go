package bootstrap

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/testutil"
)

// boxTemplate is the Packer 1.6.6 HCL2 template that turns a bootstrap image into a
// libvirt .box under TCG. The render step follows it: disk_size is the image's real size
// (the default would end up in metadata.json), the SSH port forward listens on 127.0.0.1
// only (Packer's default -netdev listens on every address), and -force on the command
// line lets a rerun replace the output the vagrant post-processor leaves behind.
const boxTemplate = `source "qemu" "base" {
  disk_image       = true
  iso_url          = %q
  iso_checksum     = "sha256:%s"
  accelerator      = "tcg"
  headless         = true
  cpus             = 2
  memory           = 1024
  disk_interface   = "virtio"
  disk_discard     = "unmap"
  skip_resize_disk = true
  disk_size        = %q
  format           = "qcow2"
  boot_wait        = "1s"
  qemuargs         = [["-netdev", "user,id=user.0,hostfwd=tcp:127.0.0.1:{{ .SSHHostPort }}-:22"]]
  communicator     = "ssh"
  ssh_username     = "vagrant"
  ssh_password     = "vagrant"
  ssh_timeout      = "20m"
  shutdown_command = "sudo systemctl poweroff"
  output_directory = "output"
}

build {
  sources = ["source.qemu.base"]

  provisioner "shell" {
    inline = [
      "echo built-by-boxbuild | sudo tee /etc/boxbuild-test",
      "sudo fstrim -av",
    ]
  }

  post-processor "vagrant" {
    output            = "out/base.box"
    compression_level = 1
  }
}
`

// TestPackerBuildsBoxFromImage runs one real `packer build` on the bootstrap image: the
// proof that the image and the template above make a Vagrant libvirt box.
func TestPackerBuildsBoxFromImage(t *testing.T) {
	im := testImage(t)
	testutil.RequireTool(t, "packer")
	p, err := packer.Find()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tmpl := fmt.Sprintf(boxTemplate, im.Path, im.SHA256, im.DiskSize())
	if err := os.WriteFile(filepath.Join(dir, "base.pkr.hcl"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(t.Context(), dir, "base.pkr.hcl", nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := p.Build(t.Context(), packer.BuildOpts{Dir: dir, Template: "base.pkr.hcl",
		LogPath: filepath.Join(dir, "build.log")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("packer build took %s; artifacts %+v", time.Since(start).Round(time.Second), res.Artifacts)

	box := filepath.Join(dir, "out/base.box")
	members, meta := readBox(t, box)
	for _, want := range []string{"metadata.json", "box.img", "Vagrantfile"} {
		if !members[want] {
			t.Errorf("box lacks %s; has %v", want, members)
		}
	}
	if meta["provider"] != "libvirt" || meta["format"] != "qcow2" || meta["virtual_size"] != float64(2) {
		t.Errorf("metadata.json = %v, want provider libvirt, format qcow2, virtual_size 2", meta)
	}
	if fi, err := os.Stat(box); err == nil {
		t.Logf("box size %d MB", fi.Size()>>20)
	}
}

// readBox lists a .box (a gzip-compressed tar) and decodes its metadata.json.
func readBox(t *testing.T, path string) (map[string]bool, map[string]any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not gzip-compressed: %v", path, err)
	}
	tr := tar.NewReader(zr)
	members := map[string]bool{}
	var meta map[string]any
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		name := filepath.Clean(h.Name)
		members[name] = true
		if name == "metadata.json" {
			if err := json.NewDecoder(tr).Decode(&meta); err != nil {
				t.Fatalf("metadata.json: %v", err)
			}
		}
	}
	return members, meta
}
