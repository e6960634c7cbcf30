# Database servers for the database modules. Both listen on 127.0.0.1 inside the VM; the
# forwarded ports are bound to 127.0.0.1 on the student's machine.
box "mysql" {
  description = "MySQL-compatible server (MariaDB) with a student database"
  version     = "1.0"
  from        = "debian12"
  provision "db/mysql.sh" {
    env = {
      DB_ROOT_PASSWORD = var.db_root_password
      DB_NAME          = "school"
      DB_USER          = "student"
      DB_PASSWORD      = var.student_password
    }
  }
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
