package build

import (
	"os"
)

// accelerator picks QEMU's accelerator for builds and tests: "kvm" when /dev/kvm is backed by
// hardware virtualisation (the kvm_intel or kvm_amd module), "tcg" otherwise. Some cloud VMs
// offer /dev/kvm through PVM (kvm_pvm), which runs paravirtualised kernels but not a BIOS
// guest's real-mode code: SYSLINUX hangs right after its banner (seen here), so PVM counts
// as no KVM. BOXBUILD_ACCELERATOR=kvm or tcg overrides the guess.
func accelerator() string {
	switch a := os.Getenv("BOXBUILD_ACCELERATOR"); a {
	case "kvm", "tcg":
		return a
	}
	if _, err := os.Stat("/dev/kvm"); err != nil {
		return "tcg"
	}
	for _, m := range []string{"/sys/module/kvm_intel", "/sys/module/kvm_amd"} {
		if _, err := os.Stat(m); err == nil {
			return "kvm"
		}
	}
	return "tcg"
}
