//! A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, listening on
//! a Unix socket only (no TCP), trust authentication, stopped and removed on drop. Runs the
//! server as the `postgres` system user when the tests run as root (PostgreSQL refuses to
//! run as root).

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pg {
    root: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    /// The socket directory, for `psql -h`.
    pub socket: PathBuf,
}

/// PostgreSQL's server binaries: `ALEMBIC_PLANNER_PG_BIN`, or Debian's newest
/// `/usr/lib/postgresql/N/bin`.
pub fn pg_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ALEMBIC_PLANNER_PG_BIN") {
        return Some(PathBuf::from(p));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Pg {
    fn run(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).output().expect("run a PostgreSQL tool")
    }

    /// Starts a server; panics when PostgreSQL is not installed (the tests that need it
    /// are ignored unless asked for, and never pass without it).
    pub fn start(name: &str) -> Pg {
        let bin = pg_bin()
            .expect("this test needs PostgreSQL's server binaries (run scripts/dev.sh setup)");
        let root =
            std::env::temp_dir().join(format!("alembic-planner-pg-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let socket = root.join("sock");
        std::fs::create_dir_all(&socket).unwrap();
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&root)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "chown the PostgreSQL test folder");
        }
        let pg = Pg {
            root: root.clone(),
            bin,
            as_postgres,
            socket,
        };
        let data = root.join("data");
        let out = pg.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
            ],
        );
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let opts = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c full_page_writes=off",
            pg.socket.display()
        );
        let log = root.join("log");
        let out = pg.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        pg
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Runs `sql` with psql (one session, stopping at the first error) as `postgres`;
    /// the unaligned, tuples-only output, or psql's error.
    #[allow(dead_code)]
    pub fn psql(&self, sql: &str) -> Result<String, String> {
        let file = self.root.join(format!("q{}.sql", sql.len()));
        std::fs::write(&file, sql).unwrap();
        if self.as_postgres {
            let _ = Command::new("chown").arg("postgres").arg(&file).status();
        }
        let out = self.run(
            "psql",
            &[
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.socket.to_str().unwrap(),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-f",
                file.to_str().unwrap(),
            ],
        );
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// The server's major version (`SHOW server_version_num` / 10000).
    #[allow(dead_code)]
    pub fn major_version(&self) -> u32 {
        self.psql("SHOW server_version_num;")
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .map(|n| n / 10000)
            .unwrap_or(0)
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let data = self.root.join("data");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
