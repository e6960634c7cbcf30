# Web stacks for the web modules, all derived from the Debian 12 base.
box "lamp" {
  description = "Apache, PHP and MariaDB for the web and database modules"
  version     = "2.1"
  from        = "debian12"
  provision "web/apache-php.sh" {}
  provision "db/mariadb.sh" {
    env = {
      DB_ROOT_PASSWORD = var.db_root_password
      DB_NAME          = "school"
      DB_USER          = "student"
      DB_PASSWORD      = var.student_password
    }
  }
  provision "web/landing-page.sh" {}
  provision "base/cleanup.sh" {}
  test "http-200.sh" {}
  test "mariadb-roundtrip.sh" {
    env = { DB_USER = "student", DB_PASSWORD = var.student_password, DB_NAME = "school" }
  }
  forward "http" {
    guest = 80
    host  = 8080                 # generated Vagrantfiles bind it to 127.0.0.1 only
  }
}

box "nginx" {
  description = "nginx with PHP-FPM"
  version     = "1.0"
  from        = "debian12"
  provision "web/nginx-php-fpm.sh" {}
  provision "web/landing-page.sh" {}
  provision "base/cleanup.sh" {}
  test "http-200.sh" {}
  test "nginx-php.sh" {}
  forward "http" {
    guest = 80
    host  = 8081
  }
}
