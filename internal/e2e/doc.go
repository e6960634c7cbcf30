// Package e2e holds the end-to-end test of the whole chain on real tools: boxbuild builds
// the bootstrap base box and a derived web box with Packer and QEMU, publishes both, serves
// the catalog, writes a Vagrantfile, and vagrant-libvirt boots the box; the web page inside
// the guest must name the box and its version. It takes minutes, so it runs only under
// CI=true or BOXBUILD_SLOW=1.
package e2e
