//! The CLI ships as a Python wheel (maturin, `bindings = "bin"`, pyproject.toml): the test
//! builds it, installs it with pip into a fresh virtualenv, and runs the installed
//! `alembic-planner` on the sample, which must print what the CLI built by cargo prints.

mod support;

use std::process::Command;

use support::{oracle_python, repo_root};

#[test]
#[ignore = "needs maturin in .venv (scripts/dev.sh setup); scripts/dev.sh test runs it"]
fn the_wheel_installs_the_cli() {
    let python = oracle_python();
    let maturin = python.with_file_name("maturin");
    assert!(
        maturin.exists(),
        "{} is missing (scripts/dev.sh setup installs it)",
        maturin.display()
    );
    let out = std::env::temp_dir().join(format!("alembic-planner-wheel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let built = Command::new(&maturin)
        .args(["build", "--locked", "--quiet", "-o"])
        .arg(out.join("dist"))
        .current_dir(repo_root())
        .status()
        .expect("run maturin");
    assert!(built.success(), "maturin build failed");
    let wheel = std::fs::read_dir(out.join("dist"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .expect("a wheel was built");
    let venv = out.join("venv");
    assert!(Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .unwrap()
        .success());
    let pip = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel)
        .status()
        .unwrap();
    assert!(pip.success(), "pip install {}", wheel.display());
    let run = |exe: &std::path::Path| {
        let o = Command::new(exe)
            .args([
                "--versions",
                "migrations-sample/versions",
                "history",
                "--verbose",
            ])
            .current_dir(repo_root())
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    let installed = run(&venv.join("bin/alembic-planner"));
    assert!(installed.contains("Rev: "), "{installed}");
    assert_eq!(
        installed,
        run(std::path::Path::new(env!("CARGO_BIN_EXE_alembic-planner")))
    );
    let _ = std::fs::remove_dir_all(&out);
}
