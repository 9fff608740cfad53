//! `cargo xtask bench-codegen`: how long generating the SSO Admin crate takes, stage by stage,
//! measured side by side in one run (ratios stay meaningful on a noisy machine).

use std::fs;
use std::hint::black_box;
use std::time::{Duration, Instant};

use codegen::EmitOptions;

use crate::codegen_cmd::workspace_root;

pub fn run(iterations: u32) -> Result<(), String> {
    let path = workspace_root().join("model/sso-admin.json");
    let source =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let options = EmitOptions {
        runtime_path: "../runtime".to_owned(),
    };
    let iterations = iterations.max(1);
    let parse = time(iterations, || {
        black_box(
            serde_json::from_str::<serde_json::Value>(&source)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        )
    })?;
    let lower = time(iterations, || {
        black_box(
            codegen::lower_model(&source)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        )
    })?;
    let generate = time(iterations, || {
        black_box(
            codegen::generate(&source, &options)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        )
    })?;
    println!(
        "SSO Admin model ({} bytes), {iterations} runs each, median:",
        source.len()
    );
    println!("  parse JSON only              {:>10.3} ms", ms(parse));
    println!("  load + validate + lower (IR) {:>10.3} ms", ms(lower));
    println!(
        "  full generate (emit+format)  {:>10.3} ms  ({:.1}x the JSON parse)",
        ms(generate),
        ratio(generate, parse)
    );
    Ok(())
}

/// The median of `iterations` runs of `work`.
fn time(iterations: u32, mut work: impl FnMut() -> Result<(), String>) -> Result<Duration, String> {
    work()?;
    let mut samples = Vec::with_capacity(iterations as usize);
    for _ in 0..iterations {
        let start = Instant::now();
        work()?;
        samples.push(start.elapsed());
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::EPSILON)
}
