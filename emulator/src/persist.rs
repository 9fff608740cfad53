//! Keeping the state in a directory (`--state-dir`): a snapshot plus a journal of the write
//! operations made since, so that no acknowledged write is lost, even to `kill -9`.
//!
//! - `state.json` is the snapshot: `{"format": "sso-admin-emulator-state", "version": 1,
//!   "generation": G, "state": …}`. It is only ever replaced whole: written to
//!   `state.json.tmp`, flushed to disk, renamed over the old one, and the directory flushed,
//!   so a crash leaves either the old snapshot or the new one.
//! - `journal-G.jsonl` holds one line per successful write operation since snapshot `G`: the
//!   operation, its input, and the random ids and clock readings it drew. A line is flushed to
//!   disk (`fdatasync`) before the operation is answered. On start, the lines are replayed in
//!   order; a last line that is incomplete (a write torn by a crash, never acknowledged) is cut
//!   off; any other damage stops the emulator with an error rather than losing data quietly.
//! - Every [`COMPACT_EVERY`] operations, the state is snapshotted as generation `G + 1` and the
//!   journal starts again empty; journals of other generations are deleted.
//! - The format carries a version; a snapshot of an unknown version is refused.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::{Draw, State};

/// The `format` of a snapshot.
const FORMAT: &str = "sso-admin-emulator-state";
/// The version of the snapshot and journal format this build reads and writes.
pub(crate) const VERSION: u32 = 1;
const SNAPSHOT: &str = "state.json";
const SNAPSHOT_TMP: &str = "state.json.tmp";
/// Journal entries between two snapshots.
pub(crate) const COMPACT_EVERY: usize = 1000;

#[derive(Serialize)]
struct SnapshotOut<'a> {
    format: &'static str,
    version: u32,
    generation: u64,
    state: &'a State,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
struct SnapshotIn {
    generation: u64,
    state: State,
}

/// One line of the journal.
#[derive(Serialize, Deserialize)]
struct Entry {
    op: String,
    input: Value,
    draws: Vec<Draw>,
}

/// The state directory, open for appending to the journal.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
    generation: u64,
    journal: File,
    entries: usize,
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

fn journal_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("journal-{generation}.jsonl"))
}

/// Replays one journal entry: the operation named `op` with its input and draws.
pub(crate) type Replay = fn(&mut State, &str, Value) -> Result<(), String>;

impl Store {
    /// Opens (or creates) the state directory `dir`: the saved state with its journal
    /// replayed by `replay`, or `fresh()` saved as the first snapshot.
    pub(crate) fn open(
        dir: &Path,
        fresh: impl FnOnce() -> State,
        replay: Replay,
    ) -> io::Result<(Self, State)> {
        fs::create_dir_all(dir)?;
        let snapshot = dir.join(SNAPSHOT);
        let (mut state, generation) = match fs::read(&snapshot) {
            Ok(bytes) => {
                let not_saved = |error: serde_json::Error| {
                    invalid(format!(
                        "{} is not a saved state: {error}",
                        snapshot.display()
                    ))
                };
                // The version first: another version's state need not parse as this one's.
                let header: Header = serde_json::from_slice(&bytes).map_err(not_saved)?;
                if header.format != FORMAT || header.version != VERSION {
                    return Err(invalid(format!(
                        "{} has format {} version {}; this emulator reads {FORMAT} version \
                         {VERSION}",
                        snapshot.display(),
                        header.format,
                        header.version
                    )));
                }
                let saved: SnapshotIn = serde_json::from_slice(&bytes).map_err(not_saved)?;
                (saved.state, saved.generation)
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                let state = fresh();
                write_snapshot(dir, &state, 0)?;
                (state, 0)
            }
            Err(error) => return Err(error),
        };
        let path = journal_path(dir, generation);
        let entries = replay_journal(&path, &mut state, replay)?;
        remove_other_journals(dir, generation)?;
        let journal = OpenOptions::new().create(true).append(true).open(&path)?;
        Ok((
            Self {
                dir: dir.to_owned(),
                generation,
                journal,
                entries,
            },
            state,
        ))
    }

    /// Appends a successful write operation to the journal and flushes it to disk; every
    /// [`COMPACT_EVERY`] entries, snapshots `state` instead.
    pub(crate) fn record(
        &mut self,
        state: &State,
        op: &str,
        input: Value,
        draws: Vec<Draw>,
    ) -> io::Result<()> {
        let mut line = serde_json::to_vec(&Entry {
            op: op.to_owned(),
            input,
            draws,
        })
        .map_err(io::Error::other)?;
        line.push(b'\n');
        self.journal.write_all(&line)?;
        self.journal.sync_data()?;
        self.entries += 1;
        if self.entries >= COMPACT_EVERY {
            self.snapshot(state)?;
        }
        Ok(())
    }

    /// Saves `state` as the next generation's snapshot and starts an empty journal.
    pub(crate) fn snapshot(&mut self, state: &State) -> io::Result<()> {
        let generation = self.generation + 1;
        let path = journal_path(&self.dir, generation);
        let journal = OpenOptions::new().create(true).append(true).open(&path)?;
        journal.set_len(0)?;
        write_snapshot(&self.dir, state, generation)?;
        self.journal = journal;
        self.generation = generation;
        self.entries = 0;
        remove_other_journals(&self.dir, generation)
    }
}

/// Writes the snapshot atomically: a temporary file, flushed, renamed, the directory flushed.
fn write_snapshot(dir: &Path, state: &State, generation: u64) -> io::Result<()> {
    let bytes = serde_json::to_vec(&SnapshotOut {
        format: FORMAT,
        version: VERSION,
        generation,
        state,
    })
    .map_err(io::Error::other)?;
    let tmp = dir.join(SNAPSHOT_TMP);
    let mut file = File::create(&tmp)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, dir.join(SNAPSHOT))?;
    File::open(dir)?.sync_all()
}

/// Replays the journal at `path` (if any) into `state`; returns how many entries it held. A
/// torn last line is cut off.
fn replay_journal(path: &Path, state: &mut State, replay: Replay) -> io::Result<usize> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error),
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut valid_length: u64 = 0;
    let mut entries = 0;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        let complete = line.last() == Some(&b'\n');
        let entry = serde_json::from_slice::<Entry>(&line);
        match (complete, entry) {
            (true, Ok(entry)) => {
                state.replay_draws(entry.draws);
                replay(state, &entry.op, entry.input).map_err(|error| {
                    invalid(format!(
                        "{}: entry {} ({}) cannot be replayed: {error}",
                        path.display(),
                        entries + 1,
                        entry.op
                    ))
                })?;
                state.take_draws();
                valid_length += read as u64;
                entries += 1;
            }
            // The last line, cut short by a crash: it was never acknowledged.
            (false, _) => {
                tracing::warn!(
                    journal = %path.display(),
                    "ignoring an incomplete last journal entry (a write torn by a crash)"
                );
                OpenOptions::new()
                    .write(true)
                    .open(path)?
                    .set_len(valid_length)?;
                break;
            }
            (true, Err(error)) => {
                return Err(invalid(format!(
                    "{}: entry {} is damaged: {error}",
                    path.display(),
                    entries + 1
                )))
            }
        }
    }
    Ok(entries)
}

fn remove_other_journals(dir: &Path, generation: u64) -> io::Result<()> {
    let keep = journal_path(dir, generation);
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let is_journal = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.starts_with("journal-") && name.ends_with(".jsonl"));
        if is_journal && path != keep {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// `#[serde(with)]` for a [`DateTime`](aws_json_runtime::DateTime) saved as epoch
/// milliseconds (exact, unlike the protocol's fractional seconds).
pub(crate) mod millis {
    use aws_json_runtime::DateTime;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &DateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.epoch_millis())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime, D::Error> {
        let millis = i64::deserialize(deserializer)?;
        DateTime::from_millis(millis).ok_or_else(|| D::Error::custom("timestamp out of range"))
    }
}

/// `#[serde(with)]` for a map whose keys are not strings, saved as a list of pairs.
pub(crate) mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(map.iter())
    }

    pub(crate) fn deserialize<'de, K, V, D>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}
