// Package render turns one box × provider × arch of a loaded workspace into a folder that
// Packer can build: box.pkr.hcl, the provisioning scripts it runs (copied under scripts/ with
// order-prefixed names) and the files its unattended install serves over Packer's http
// directory.
//
// The output is deterministic: the same workspace, options and Packer version give the same
// bytes, so the build engine can hash the folder into its cache key. Nothing that changes per
// build run is written into the folder: the base disk, the output paths, the box version and
// every sensitive value are Packer variables whose values the engine passes when it runs
// packer (sensitive ones only through the environment as PKR_VAR_<name>).
//
// The templates are text/template files in the workspace's packer/ folder, so maintainers can
// adapt them; this package only decides which builder a build uses and fills in the data.
// Which HCL a template may contain depends on the installed Packer (see Variant).
package render
