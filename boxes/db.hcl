# Database servers for the database modules. They listen on the VM's own network so the
# forwarded port reaches them (a NAT forward arrives at the guest's address, not its
# loopback); the generated Vagrantfile binds the forwarded port to 127.0.0.1 on the student's
# machine, so nothing on the classroom network can reach the database.
box "mysql" {
  description = "MySQL-compatible server (MariaDB) with a student database"
  version     = "1.0"
  from        = "debian12"
  provision "db/mariadb.sh" {
    env = {
      DB_ROOT_PASSWORD = var.db_root_password
      DB_NAME          = "school"
      DB_USER          = "student"
      DB_PASSWORD      = var.student_password
      DB_LISTEN        = "0.0.0.0"
    }
  }
  provision "db/mysql.sh" {}          # MySQL 8 defaults on top of MariaDB (docs/provisioning.md)
  provision "base/cleanup.sh" {}
  test "mariadb-roundtrip.sh" {
    env = { DB_USER = "student", DB_PASSWORD = var.student_password, DB_NAME = "school" }
  }
  forward "mysql" {
    guest = 3306
    host  = 13306
  }
}

box "postgresql" {
  description = "PostgreSQL with a student role and database"
  version     = "1.0"
  from        = "debian12"
  provision "db/postgresql.sh" {
    env = {
      PG_USER     = "student"
      PG_PASSWORD = var.student_password
      PG_DB       = "school"
      PG_LISTEN   = "*"
    }
  }
  provision "base/cleanup.sh" {}
  test "postgresql-roundtrip.sh" {
    env = { PG_USER = "student", PG_PASSWORD = var.student_password, PG_DB = "school" }
  }
  forward "postgres" {
    guest = 5432
    host  = 15432
  }
}
