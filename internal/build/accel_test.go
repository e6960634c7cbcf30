package build

import "testing"

func TestAcceleratorOverride(t *testing.T) {
	for _, want := range []string{"kvm", "tcg"} {
		t.Setenv("BOXBUILD_ACCELERATOR", want)
		if got := accelerator(); got != want {
			t.Errorf("BOXBUILD_ACCELERATOR=%s: accelerator() = %q", want, got)
		}
	}
	t.Setenv("BOXBUILD_ACCELERATOR", "bogus")
	if got := accelerator(); got != "kvm" && got != "tcg" {
		t.Errorf("accelerator() = %q, want kvm or tcg", got)
	}
}
