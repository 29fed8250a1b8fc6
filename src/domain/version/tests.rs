use super::*;

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

#[test]
fn bumps_follow_npm() {
    let cases = [
        ("1.2.3", Level::Prerelease, None, "1.2.4-0"),
        ("1.2.3", Level::Prerelease, Some("rc"), "1.2.4-rc.0"),
        ("1.2.4-rc.0", Level::Prerelease, Some("rc"), "1.2.4-rc.1"),
        ("1.2.4-rc.1", Level::Patch, None, "1.2.4"),
        ("1.2.4-rc.1", Level::Release, None, "1.2.4"),
        ("2.0.0-rc.1", Level::Major, None, "2.0.0"),
        ("1.2.0-rc.1", Level::Minor, None, "1.2.0"),
        ("1.2.3+build.5", Level::Patch, None, "1.2.4"),
        ("1.2.3-alpha", Level::Prerelease, None, "1.2.3-alpha.0"),
        ("1.2.3-alpha.1.beta", Level::Prerelease, None, "1.2.3-alpha.2.beta"),
    ];
    for (from, level, pre, want) in cases {
        assert_eq!(v(from).bump(level, pre).unwrap().to_string(), want, "{from} {level}");
    }
}

#[test]
fn precedence_ignores_build() {
    assert!(v("1.0.0-alpha") < v("1.0.0-alpha.1"));
    assert!(v("1.0.0-alpha.beta") < v("1.0.0-beta.2"));
    assert!(v("1.0.0-rc.1") < v("1.0.0"));
    assert!(v("1.0.0-2") < v("1.0.0-10"));
    assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
}

#[test]
fn rejects_bad_versions() {
    assert_eq!(v("10.20.30"), Version::new(10, 20, 30));
    assert_eq!(v("0.0.0").to_string(), "0.0.0");
    for bad in [
        "", "1", "1.2", "01.2.3", "1.02.3", "1.2.03", "1..3", "1.2.3.", ".1.2", "1.2.3-",
        "1.2.3-01", "1.2.3+", "a.b.c", "1.2.3.4",
    ] {
        assert!(Version::parse(bad).is_err(), "{bad:?} accepted");
    }
    assert!(v("1.2.3").bump(Level::Release, None).is_err());
}
