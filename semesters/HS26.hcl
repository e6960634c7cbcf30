# Autumn semester 2026. A pin like "~> 2.1.0" takes every 2.1.x rebuild (security updates)
# but never 2.2: the course cannot change under the students mid-term.
semester "HS26" {
  starts = "2026-08-17"
  ends   = "2027-01-31"

  course "m151" {                # web applications with a database
    box     = "lamp"
    version = "~> 2.1.0"
    memory  = 2048
  }

  course "m164" {                # databases: create and fill
    box     = "mysql"
    version = "~> 1.0.0"
  }

  course "m165" {                # NoSQL and relational side by side
    box     = "postgresql"
    version = "~> 1.0.0"
  }

  course "m347" {                # containers
    box     = "docker"
    version = "~> 1.0.0"
    memory  = 3072
  }
}
