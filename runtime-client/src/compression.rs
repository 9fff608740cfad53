//! Request compression (`requestCompression`): request bodies of the operations that accept
//! it are gzip-compressed once they reach a minimum size, as the AWS SDKs do.
//!
//! The gzip encoder is behind feature `gzip`, which crates generated from a model with
//! `requestCompression` operations enable; without it no encoding is supported and bodies go
//! uncompressed, as the SDKs send them when they support none of an operation's encodings.

use crate::config::ConfigError;

/// The default minimum size of a body worth compressing, in bytes.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;
/// The largest minimum size the SDKs accept, in bytes (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;
/// The one encoding this client compresses with.
pub const GZIP: &str = "gzip";
/// Whether this build can compress with [`GZIP`] (feature `gzip`).
const GZIP_SUPPORTED: bool = cfg!(feature = "gzip");

/// Whether and from what size request bodies are compressed.
///
/// From the environment: `AWS_DISABLE_REQUEST_COMPRESSION` / `disable_request_compression`
/// (`true` or `false`) and `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` /
/// `request_min_compression_size_bytes` (0 to 10485760).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressionConfig {
    disabled: bool,
    min_size: u32,
}

impl CompressionConfig {
    /// Compression enabled, from 10240 bytes on.
    pub const fn new() -> Self {
        Self {
            disabled: false,
            min_size: DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
        }
    }

    /// The same configuration, with compression disabled (`true`) or enabled.
    pub fn with_disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }

    /// The same configuration with another minimum size; it must be at most 10485760 bytes,
    /// as in the SDKs.
    pub fn with_min_size_bytes(mut self, min_size: u32) -> Result<Self, ConfigError> {
        if min_size > MAX_MIN_COMPRESSION_SIZE_BYTES {
            return Err(ConfigError::InvalidValue {
                setting: "request_min_compression_size_bytes".to_owned(),
                reason: format!(
                    "{min_size} is larger than the maximum of {MAX_MIN_COMPRESSION_SIZE_BYTES}"
                ),
            });
        }
        self.min_size = min_size;
        Ok(self)
    }

    /// Whether compression is disabled.
    pub fn disabled(&self) -> bool {
        self.disabled
    }

    /// The smallest body that is compressed, in bytes.
    pub fn min_size_bytes(&self) -> u32 {
        self.min_size
    }

    /// The settings read from the environment or the profile: `setting(variable, key)` gives
    /// where a value came from and the value.
    pub(crate) fn from_settings(
        setting: impl Fn(&str, &str) -> Option<(String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut config = Self::new();
        if let Some((source, text)) = setting(
            "AWS_DISABLE_REQUEST_COMPRESSION",
            "disable_request_compression",
        ) {
            config.disabled = match text.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(ConfigError::InvalidValue {
                        setting: source,
                        reason: format!("`{text}` is not `true` or `false`"),
                    })
                }
            };
        }
        if let Some((source, text)) = setting(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "request_min_compression_size_bytes",
        ) {
            let size = text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|size| *size <= MAX_MIN_COMPRESSION_SIZE_BYTES)
                .ok_or_else(|| ConfigError::InvalidValue {
                    setting: source,
                    reason: format!(
                        "`{text}` is not a whole number from 0 to {MAX_MIN_COMPRESSION_SIZE_BYTES}"
                    ),
                })?;
            config.min_size = size;
        }
        Ok(config)
    }

    /// The encoding to compress a body of `len` bytes in, for an operation accepting
    /// `encodings`: gzip when this build supports it, the operation lists it, compression is
    /// enabled and the body reaches the minimum size.
    pub(crate) fn encoding_for(&self, encodings: &[&str], len: usize) -> Option<&'static str> {
        let large_enough = u64::try_from(len).unwrap_or(u64::MAX) >= u64::from(self.min_size);
        (GZIP_SUPPORTED && !self.disabled && large_enough && encodings.contains(&GZIP))
            .then_some(GZIP)
    }
}

impl Default for CompressionConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// `body` gzip-compressed.
#[cfg(feature = "gzip")]
pub(crate) fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;

    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

/// Without feature `gzip`, [`CompressionConfig::encoding_for`] names no encoding, so nothing
/// calls this; it fails rather than send a body that is not what its header says.
#[cfg(not(feature = "gzip"))]
pub(crate) fn gzip(_body: &[u8]) -> std::io::Result<Vec<u8>> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "aws-json-client was built without feature `gzip`",
    ))
}

/// The `Content-Encoding` of a compressed request: the encoding appended to the one already
/// set, if any, as the SDKs do.
pub(crate) fn content_encoding(existing: Option<&str>, encoding: &str) -> String {
    match existing.map(str::trim).filter(|value| !value.is_empty()) {
        Some(existing) => format!("{existing}, {encoding}"),
        None => encoding.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn from(settings: &[(&str, &str)]) -> Result<CompressionConfig, ConfigError> {
        let settings: BTreeMap<&str, &str> = settings.iter().copied().collect();
        CompressionConfig::from_settings(|var, key| {
            settings
                .get(var)
                .map(|value| (var.to_owned(), (*value).to_owned()))
                .or_else(|| {
                    settings
                        .get(key)
                        .map(|value| (key.to_owned(), (*value).to_owned()))
                })
        })
    }

    #[test]
    #[cfg(not(feature = "gzip"))]
    fn compresses_nothing_without_the_gzip_feature() {
        let config = CompressionConfig::new().with_min_size_bytes(0).unwrap();
        assert_eq!(config.encoding_for(&["gzip"], 20_000), None);
        assert!(gzip(b"{}").is_err());
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn compresses_from_the_minimum_size_when_the_operation_accepts_gzip() {
        let config = CompressionConfig::new();
        assert_eq!(config.encoding_for(&["gzip"], 10_240), Some("gzip"));
        assert_eq!(config.encoding_for(&["gzip"], 10_239), None);
        assert_eq!(config.encoding_for(&[], 20_000), None);
        assert_eq!(config.encoding_for(&["br"], 20_000), None);
        assert_eq!(
            config.with_disabled(true).encoding_for(&["gzip"], 20_000),
            None
        );
        let zero = config.with_min_size_bytes(0).unwrap();
        assert_eq!(zero.encoding_for(&["br", "gzip"], 0), Some("gzip"));
        assert!(config.with_min_size_bytes(10_485_761).is_err());
    }

    #[test]
    fn reads_the_settings_as_the_sdks_do() {
        assert_eq!(from(&[]).unwrap(), CompressionConfig::new());
        let config = from(&[
            ("AWS_DISABLE_REQUEST_COMPRESSION", "TRUE"),
            ("request_min_compression_size_bytes", "100"),
        ])
        .unwrap();
        assert!(config.disabled());
        assert_eq!(config.min_size_bytes(), 100);
        assert!(from(&[("AWS_DISABLE_REQUEST_COMPRESSION", "yes")]).is_err());
        assert!(from(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")]).is_err());
        assert!(from(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1")]).is_err());
        let max = from(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485760")]).unwrap();
        assert_eq!(max.min_size_bytes(), MAX_MIN_COMPRESSION_SIZE_BYTES);
    }

    #[test]
    fn appends_to_an_encoding() {
        assert_eq!(content_encoding(None, "gzip"), "gzip");
        assert_eq!(content_encoding(Some("custom"), "gzip"), "custom, gzip");
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn gzip_round_trips() {
        use std::io::Read;

        let body = br#"{"data": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;
        let compressed = gzip(body).unwrap();
        assert_eq!(&compressed[..2], &[0x1f, 0x8b]);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
    }
}
