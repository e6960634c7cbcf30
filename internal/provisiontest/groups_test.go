package provisiontest

// Test settings. The passwords hold quotes, a backslash, a dollar sign and spaces on purpose:
// the scripts must pass them to the databases intact.
const (
	testRootPassword = `r00t 'pw' \ $HOME`
	testDBPassword   = `stud"ent's \pw $1`
	testBoxName      = `lamp <test> & co`
)

// step runs one provisioning script. A step with wantErr must fail with that text and change
// nothing; any other step runs twice, and the second run must change nothing.
type step struct {
	script  string // workspace-relative
	env     []string
	wantErr string
}

// serviceTest runs a script from tests/ with the group's daemons started in the chroot.
type serviceTest struct {
	script string
	env    []string
}

// group is a set of scripts that share one chroot, in the order a box would run them; groups
// are split along the packages they install so they can run side by side.
type group struct {
	name     string
	steps    []step
	probe    string // shell whose output shows state outside the manifest (databases); must not change
	debCache bool   // keep downloaded .debs between test runs (not with base/cleanup.sh, which empties them)
	start    string // shell that starts the group's daemons for the service tests
	tests    []serviceTest
	untested string // why the group has no service test, when it has none
}

// waitHTTP waits until a web server answers on 127.0.0.1.
const waitHTTP = `
i=0
until curl -s -o /dev/null http://127.0.0.1/; do
	i=$((i + 1)); [ "$i" -lt 30 ]; sleep 1
done
`

var groups = []group{
	{
		name: "base",
		steps: []step{
			{script: "provision/base/apt-update.sh"},
			{script: "provision/base/vagrant-user.sh", env: []string{"VAGRANT_PASSWORD=vagrant"}},
			{script: "provision/base/sshd.sh"},
			{script: "provision/base/locale-timezone.sh", env: []string{"TZ=Europe/Zurich", "EXTRA_LOCALES=de_CH.UTF-8"}},
			{script: "provision/base/locale-timezone.sh", env: []string{"TZ=Mars/Olympus"}, wantErr: "unknown time zone 'Mars/Olympus'"},
			{script: "provision/base/guest-tools.sh", env: []string{"PROVIDER=libvirt"}},
			{script: "provision/base/guest-tools.sh", env: []string{"PROVIDER=vmware_desktop"}},
			// Debian 12 has no virtualbox-guest-utils and no ISO was uploaded: a clear failure.
			{script: "provision/base/guest-tools.sh", env: []string{"PROVIDER=virtualbox"}, wantErr: "no VirtualBox guest additions"},
			{script: "provision/base/guest-tools.sh", env: []string{"PROVIDER=hyperv"}, wantErr: "unknown PROVIDER 'hyperv'"},
			{script: "provision/base/cleanup.sh"},
		},
		untested: "sshd and the host key unit need a booted system; the manifest shows their files",
	},
	{
		name:     "apache",
		debCache: true,
		steps: []step{
			{script: "provision/web/apache-php.sh"},
			{script: "provision/web/landing-page.sh", env: []string{"BOX_NAME=" + testBoxName, "BOX_VERSION=2.1.0"}},
			{script: "provision/web/adminer.sh"},
		},
		start: "apache2ctl start\n" + waitHTTP,
		tests: []serviceTest{
			{script: "tests/http-200.sh", env: []string{"BOX_NAME=" + testBoxName}},
			{script: "tests/http-200.sh", env: []string{"BOX_NAME=Adminer", "URL=http://127.0.0.1/adminer/"}},
		},
	},
	{
		name:     "nginx",
		debCache: true,
		steps: []step{
			{script: "provision/web/nginx-php-fpm.sh"},
			{script: "provision/web/landing-page.sh", env: []string{"BOX_NAME=" + testBoxName, "BOX_VERSION=2.1.0"}},
			{script: "provision/web/adminer.sh"},
		},
		start: `
install -d /run/php
for fpm in /usr/sbin/php-fpm*; do "$fpm" --daemonize; done
nginx
` + waitHTTP,
		tests: []serviceTest{
			{script: "tests/http-200.sh", env: []string{"BOX_NAME=" + testBoxName}},
			{script: "tests/nginx-php.sh"},
			{script: "tests/http-200.sh", env: []string{"BOX_NAME=Adminer", "URL=http://127.0.0.1/adminer/"}},
		},
	},
	{
		name:     "mariadb",
		debCache: true,
		steps: []step{
			{script: "provision/db/mariadb.sh", env: []string{"DB_PASSWORD=x"}, wantErr: "DB_ROOT_PASSWORD is empty"},
			{script: "provision/db/mariadb.sh", env: []string{"DB_ROOT_PASSWORD=" + testRootPassword, "DB_PASSWORD=" + testDBPassword}},
			{script: "provision/db/mysql.sh", env: []string{"MYSQL_SQL_MODE=NO_SUCH_MODE"}, wantErr: "rejects the settings"},
			{script: "provision/db/mysql.sh"},
		},
		probe: `
sock=/run/mysqld/probe.sock
install -d -o mysql -g mysql /run/mysqld
mariadbd --user=mysql --skip-networking --socket=$sock >/dev/null 2>&1 &
i=0
until mariadb-admin --socket=$sock ping >/dev/null 2>&1; do i=$((i + 1)); [ "$i" -lt 60 ]; sleep 1; done
mariadb --socket=$sock -N -B -e "SELECT Host, User, SHA2(Priv, 256) FROM mysql.global_priv ORDER BY Host, User; SELECT * FROM mysql.db ORDER BY Host, Db, User; SHOW DATABASES;"
mariadb-admin --socket=$sock shutdown
`,
		start: `
install -d -o mysql -g mysql /run/mysqld
mariadbd --user=mysql >/dev/null 2>&1 &
i=0
until mariadb-admin ping >/dev/null 2>&1; do i=$((i + 1)); [ "$i" -lt 60 ]; sleep 1; done
`,
		tests: []serviceTest{
			{script: "tests/mariadb-roundtrip.sh", env: []string{"DB_PASSWORD=" + testDBPassword}},
		},
	},
	{
		name:     "postgresql",
		debCache: true,
		steps: []step{
			{script: "provision/db/postgresql.sh", wantErr: "PG_PASSWORD is empty"},
			{script: "provision/db/postgresql.sh", env: []string{"PG_PASSWORD=" + testDBPassword}},
		},
		probe: `
v=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1; exit }')
pg_ctlcluster -o "-c listen_addresses=''" "$v" main start
runuser -u postgres -- psql -X -A -t -c "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, md5(coalesce(rolpassword, '')) FROM pg_authid ORDER BY 1" -c "SELECT datname, pg_get_userbyid(datdba), datacl FROM pg_database ORDER BY 1"
pg_ctlcluster "$v" main stop
`,
		start: `
v=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1; exit }')
pg_ctlcluster "$v" main start
`,
		tests: []serviceTest{
			{script: "tests/postgresql-roundtrip.sh", env: []string{"PG_PASSWORD=" + testDBPassword}},
		},
	},
	{
		name:     "docker",
		debCache: true,
		steps: []step{
			{script: "provision/docker/docker.sh", wantErr: "user 'vagrant' does not exist"},
			{script: "provision/base/vagrant-user.sh"},
			{script: "provision/docker/docker.sh"},
		},
		untested: "dockerd needs cgroups, its own mounts and iptables of a booted system; tests/docker.sh runs in a built VM only",
	},
}
