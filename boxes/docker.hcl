# Docker engine for the container modules; the vagrant user may run docker without sudo.
box "docker" {
  description = "Docker engine (docker.io) with the vagrant user in the docker group"
  version     = "1.0"
  from        = "debian12"
  memory      = 3072
  provision "docker/docker.sh" {}
  provision "base/cleanup.sh" {}
  test "docker.sh" {}
}
