package render

import (
	"errors"
	"fmt"
)

// ErrUnsupported is wrapped by the error for a provider × source pair no builder can make,
// so a caller rendering "everything" can tell it from a broken workspace.
var ErrUnsupported = errors.New("unsupported provider and source")

// Source kinds as the build sees them: the three of config.Source plus "from", a box that
// starts from its parent's built artifact.
const (
	kindISO       = "iso"
	kindImage     = "image"
	kindBootstrap = "bootstrap"
	kindFrom      = "from"
)

// builder is what one provider × source kind becomes in Packer.
type builder struct {
	Kind string // the Packer builder, e.g. "qemu", "virtualbox-ovf"
	// BoxProvider is the provider name the vagrant post-processor writes into the box's
	// metadata.json; the catalog entry must carry the same name. VMware boxes are always
	// "vmware_desktop": vagrant-vmware-esxi lists it in its box_format, so ESXi boxes use it too.
	BoxProvider string
	// ProviderOverride is set when the post-processor cannot infer the provider from the
	// builder's artifact (vsphere artifacts are unknown to it; their exported OVF is a vmware box).
	ProviderOverride string
	// DiskImage: the build starts from an existing disk (var.base_image), not an installer.
	DiskImage bool
}

// chooseBuilder maps provider × source kind to a builder, or says clearly why the pair cannot
// be built. Unsupported pairs are refused here rather than rendered into a template that would
// only fail an hour into a build.
func chooseBuilder(provider, kind, imageFormat string, v Variant) (builder, error) {
	switch provider {
	case "libvirt":
		b := builder{Kind: "qemu", BoxProvider: "libvirt", DiskImage: kind != kindISO}
		if kind == kindImage && imageFormat != "qcow2" {
			return builder{}, fmt.Errorf("%w: provider libvirt starts from qcow2 images, not %q", ErrUnsupported, imageFormat)
		}
		return b, nil
	case "virtualbox":
		switch kind {
		case kindISO:
			return builder{Kind: "virtualbox-iso", BoxProvider: "virtualbox"}, nil
		case kindImage:
			if imageFormat != "ova" {
				return builder{}, fmt.Errorf("%w: provider virtualbox starts from ova images, not %q", ErrUnsupported, imageFormat)
			}
			return builder{Kind: "virtualbox-ovf", BoxProvider: "virtualbox", DiskImage: true}, nil
		case kindFrom:
			return builder{Kind: "virtualbox-ovf", BoxProvider: "virtualbox", DiskImage: true}, nil
		}
	case "vmware_desktop":
		switch kind {
		case kindISO:
			return builder{Kind: "vmware-iso", BoxProvider: "vmware_desktop"}, nil
		case kindFrom:
			return builder{Kind: "vmware-vmx", BoxProvider: "vmware_desktop", DiskImage: true}, nil
		}
	case "vmware_esxi":
		switch kind {
		case kindISO:
			b := builder{Kind: v.ESXiBuilder, BoxProvider: "vmware_desktop"}
			if b.Kind == "vsphere-iso" {
				b.ProviderOverride = "vmware"
			}
			return b, nil
		case kindFrom:
			// The parent VM stays registered on the host; the child clones it there.
			if v.ESXiBuilder == "vsphere-iso" {
				return builder{Kind: "vsphere-clone", BoxProvider: "vmware_desktop", ProviderOverride: "vmware", DiskImage: true}, nil
			}
			return builder{Kind: "vmware-vmx", BoxProvider: "vmware_desktop", DiskImage: true}, nil
		}
	default:
		return builder{}, fmt.Errorf("%w: unknown provider %q (known: libvirt, virtualbox, vmware_desktop, vmware_esxi)", ErrUnsupported, provider)
	}
	switch kind {
	case kindBootstrap:
		return builder{}, fmt.Errorf("%w: provider %s cannot start from a bootstrap disk: mmdebstrap makes a qcow2 only QEMU boots; use provider libvirt, or an iso source", ErrUnsupported, provider)
	case kindImage:
		return builder{}, fmt.Errorf("%w: provider %s cannot start from an image (%s); use an iso source", ErrUnsupported, provider, imageFormat)
	}
	return builder{}, fmt.Errorf("%w: provider %s: source kind %q", ErrUnsupported, provider, kind)
}

// Supported reports whether boxbuild can render provider for a source kind ("iso", "image",
// "bootstrap" or "from") and image format, for the given Packer: nil, or an error wrapping
// ErrUnsupported that says why. `boxbuild validate` can call it before any build.
func Supported(provider, sourceKind, imageFormat string, v Variant) error {
	_, err := chooseBuilder(provider, sourceKind, imageFormat, v)
	return err
}
