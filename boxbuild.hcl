# boxbuild workspace of the school: settings shared by every box.
workspace {
  org              = "tbz"         # catalog names are tbz/<box>
  required_version = ">= 0.1.0"
}

# Values a box takes unless it sets its own (a derived box takes its parent's).
defaults {
  cpus      = 2
  memory    = 2048               # MiB
  disk_gb   = 20
  providers = ["libvirt", "virtualbox", "vmware_esxi"]
  arch      = ["amd64"]
}

# Where `boxbuild publish` puts boxes; the first catalog is the default target.
catalog "local" {
  dir = "catalog"                # served by `boxbuild serve --dir catalog`
  url = "http://127.0.0.1:8099"  # the base URL students' Vagrant reaches the catalog at
}

catalog "central" {
  type      = "server"           # a central `boxbuild serve` with its upload API enabled
  url       = "https://boxes.example.edu"
  token_env = "BOXBUILD_UPLOAD_TOKEN"
}

# Service credentials. Passwords are sensitive: they reach the build through the environment
# only, never a rendered file, a log or the box's metadata. Set them with
# BOXBUILD_VAR_db_root_password=… or -var db_root_password=… before building a database box.
variable "db_root_password" {
  type        = string
  sensitive   = true
  description = "MariaDB/MySQL root password inside the box (mandatory, never empty)"
}

variable "student_password" {
  type        = string
  sensitive   = true
  default     = "student"
  description = "password of the student database user and role; the databases listen on 127.0.0.1 inside the VM only"
}
