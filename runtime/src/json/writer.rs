//! The JSON serializer behind [`to_vec`](super::to_vec): serde_json's output, byte for byte,
//! with a faster string escape.
//!
//! serde_json looks up every byte of every string in its escape table. Almost every string an
//! AWS service returns (ARNs, ids, names) needs no escape at all, so this writer tests sixteen
//! bytes at a time and copies the clean run in one go. Everything else (numbers through `itoa`
//! and `zmij`, non-finite floats as `null`, maps, sequences, enums) is written as serde_json
//! writes it, and the tests compare the two on arbitrary documents.

use serde::ser::{self, Error as _, Serialize};

type Error = serde_json::Error;
type Result<T = ()> = std::result::Result<T, Error>;

/// Writes one JSON document into a buffer.
pub(super) struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    pub(super) fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }
}

/// How many bytes [`write_str`] tests at once: one SSE2 register, into which the compiler
/// turns the test of a chunk.
const CHUNK: usize = 16;

/// Whether any byte of `chunk` is a control character, `"` or `\`: the bytes JSON escapes.
/// Every byte is tested (no early exit), so the compiler vectorizes it.
#[inline]
fn needs_escape(chunk: &[u8; CHUNK]) -> bool {
    chunk.iter().fold(false, |found, &byte| {
        found | (byte < 0x20) | (byte == b'"') | (byte == b'\\')
    })
}

/// The escape of one byte, as serde_json writes it, or `None` when it is written as it is.
#[inline]
fn escape_of(byte: u8) -> Option<&'static [u8]> {
    use crate::ids::HEX_LOWER as HEX;
    // `\u00XX` for each control character without a short form.
    static CONTROL: [[u8; 6]; 32] = {
        let mut table = [[0u8; 6]; 32];
        let mut byte = 0;
        while byte < 32 {
            table[byte] = [b'\\', b'u', b'0', b'0', HEX[byte >> 4], HEX[byte & 0xF]];
            byte += 1;
        }
        table
    };
    Some(match byte {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        0x0C => b"\\f",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x00..=0x1F => &CONTROL[usize::from(byte)],
        _ => return None,
    })
}

/// `value` as a JSON string, quotes included.
fn write_str(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean = 0; // bytes[clean..i] are waiting to be copied
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let dirty = match rest.first_chunk::<CHUNK>() {
            Some(chunk) => needs_escape(chunk),
            None => {
                // The last, short chunk, padded with a byte that needs no escape.
                let mut padded = [b' '; CHUNK];
                padded[..rest.len()].copy_from_slice(rest);
                needs_escape(&padded)
            }
        };
        let end = bytes.len().min(i + CHUNK);
        if dirty {
            for (at, &byte) in bytes.iter().enumerate().take(end).skip(i) {
                if let Some(escape) = escape_of(byte) {
                    out.extend_from_slice(&bytes[clean..at]);
                    out.extend_from_slice(escape);
                    clean = at + 1;
                }
            }
        }
        i = end;
    }
    out.extend_from_slice(&bytes[clean..]);
    out.push(b'"');
}

fn write_integer(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// A float as serde_json writes it: `zmij`'s shortest form, or `null` when not finite.
fn write_float(out: &mut Vec<u8>, value: impl zmij::Float, finite: bool) {
    if finite {
        out.extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// The `serialize_…` methods of every integer type, each writing its value with `$write`.
macro_rules! integers {
    ($self:ident, $value:ident => $write:expr) => {
        integers!(@ $self, $value => $write;
            serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
            serialize_u64: u64, serialize_u128: u128);
    };
    (@ $self:ident, $value:ident => $write:expr; $($method:ident: $type:ty),*) => {
        $(
            fn $method($self, $value: $type) -> Result {
                $write
            }
        )*
    };
}

impl<'a, 'b> ser::Serializer for &'b mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, value: bool) -> Result {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }

    integers!(self, value => {
        write_integer(self.out, value);
        Ok(())
    });

    fn serialize_f32(self, value: f32) -> Result {
        write_float(self.out, value, value.is_finite());
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result {
        write_float(self.out, value, value.is_finite());
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result {
        write_str(self.out, value.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result {
        write_str(self.out, value);
        Ok(())
    }

    /// An array of numbers, as serde_json writes bytes.
    fn serialize_bytes(self, value: &[u8]) -> Result {
        let mut seq = ser::Serializer::serialize_seq(self, Some(value.len()))?;
        for byte in value {
            ser::SerializeSeq::serialize_element(&mut seq, byte)?;
        }
        ser::SerializeSeq::end(seq)
    }

    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    /// `{"variant":value}`.
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        Ok(Compound::open(self, b'[', b']', 0))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }

    /// `{"variant":[…]}`.
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        Ok(Compound::open(self, b'[', b']', 1))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        Ok(Compound::open(self, b'{', b'}', 0))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_map(Some(len))
    }

    /// `{"variant":{…}}`.
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        Ok(Compound::open(self, b'{', b'}', 1))
    }
}

/// An array or object being written: its members so far and how to close it.
pub(super) struct Compound<'a, 'b> {
    writer: &'b mut Writer<'a>,
    close: u8,
    /// Braces of an enclosing `{"variant":…}` to close after this one.
    outer: usize,
    first: bool,
}

impl<'a, 'b> Compound<'a, 'b> {
    fn open(writer: &'b mut Writer<'a>, open: u8, close: u8, outer: usize) -> Self {
        writer.out.push(open);
        Self {
            writer,
            close,
            outer,
            first: true,
        }
    }

    /// The comma before every member but the first.
    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.writer.out.push(b',');
        }
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result {
        self.separate();
        write_str(self.writer.out, key);
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }

    fn close(self) -> Result {
        self.writer.out.push(self.close);
        for _ in 0..self.outer {
            self.writer.out.push(b'}');
        }
        Ok(())
    }
}

/// The serde traits of a compound whose members are values (arrays) or named fields (objects).
macro_rules! compound {
    (values: $($trait:ident::$method:ident),*; fields: $($field_trait:ident),*;) => {
        $(
            impl ser::$trait for Compound<'_, '_> {
                type Ok = ();
                type Error = Error;

                fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
                    self.element(value)
                }

                fn end(self) -> Result {
                    self.close()
                }
            }
        )*
        $(
            impl ser::$field_trait for Compound<'_, '_> {
                type Ok = ();
                type Error = Error;

                fn serialize_field<T: ?Sized + Serialize>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> Result {
                    self.field(key, value)
                }

                fn end(self) -> Result {
                    self.close()
                }
            }
        )*
    };
}

compound! {
    values: SerializeSeq::serialize_element, SerializeTuple::serialize_element,
        SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field;
    fields: SerializeStruct, SerializeStructVariant;
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        self.separate();
        key.serialize(KeyWriter {
            out: &mut *self.writer.out,
        })?;
        self.writer.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result {
        self.close()
    }
}

/// Writes a map key: a string, or a number or boolean in quotes, as serde_json does; any other
/// key is an error.
struct KeyWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl KeyWriter<'_> {
    fn quoted(self, write: impl FnOnce(&mut Vec<u8>)) -> Result {
        self.out.push(b'"');
        write(self.out);
        self.out.push(b'"');
        Ok(())
    }
}

fn key_must_be_a_string() -> Error {
    Error::custom("key must be a string")
}

/// The methods of a key serializer that refuse their kind of key.
macro_rules! refuse_keys {
    ($($method:ident($($argument:ident: $type:ty),*) -> $ok:ty;)*) => {
        $(
            fn $method(self, $(_: $type),*) -> Result<$ok> {
                Err(key_must_be_a_string())
            }
        )*
    };
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, value: &str) -> Result {
        write_str(self.out, value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result {
        self.serialize_str(value.encode_utf8(&mut [0u8; 4]))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_bool(self, value: bool) -> Result {
        self.quoted(|out| out.extend_from_slice(if value { b"true" } else { b"false" }))
    }

    integers!(self, value => self.quoted(|out| write_integer(out, value)));

    fn serialize_f32(self, value: f32) -> Result {
        if !value.is_finite() {
            return Err(Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|out| write_float(out, value, true))
    }

    fn serialize_f64(self, value: f64) -> Result {
        if !value.is_finite() {
            return Err(Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|out| write_float(out, value, true))
    }

    refuse_keys! {
        serialize_bytes(value: &[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(name: &'static str) -> ();
        serialize_seq(len: Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(len: usize) -> Self::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(
            name: &'static str, index: u32, variant: &'static str, len: usize
        ) -> Self::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> Self::SerializeMap;
        serialize_struct(name: &'static str, len: usize) -> Self::SerializeStruct;
        serialize_struct_variant(
            name: &'static str, index: u32, variant: &'static str, len: usize
        ) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{json, Value};

    use super::*;

    fn ours<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        value.serialize(&mut Writer::new(&mut out))?;
        Ok(out)
    }

    fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
        let expected = serde_json::to_vec(value).expect("serde_json writes it");
        let written = ours(value).expect("the writer writes it");
        assert_eq!(
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&expected)
        );
    }

    #[test]
    fn every_byte_escapes_as_in_serde_json() {
        for byte in 0..=0x7F_u8 {
            let text = String::from(char::from(byte));
            same_as_serde_json(&text);
            // At every position of a word, and across word boundaries.
            for at in 0..17 {
                let mut text = "a".repeat(17);
                text.replace_range(at..=at, &char::from(byte).to_string());
                same_as_serde_json(&text);
            }
        }
        same_as_serde_json("é\u{2028}😀\"\\\u{7f}\u{0}");
    }

    #[test]
    fn serde_shapes_as_in_serde_json() {
        #[derive(Serialize)]
        enum Shape {
            Unit,
            Newtype(u8),
            Tuple(u8, String),
            Struct { a: Option<f64>, b: Vec<u8> },
        }
        #[derive(Serialize)]
        struct Holder<'a> {
            shapes: Vec<Shape>,
            #[serde(with = "serde_bytes_as_seq")]
            bytes: &'a [u8],
            nothing: (),
            character: char,
            floats: [f64; 5],
            small: f32,
            wide: (i128, u128),
            keys: BTreeMap<i32, bool>,
            bool_keys: BTreeMap<bool, ()>,
        }
        mod serde_bytes_as_seq {
            pub fn serialize<S: serde::Serializer>(value: &[u8], s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(value)
            }
        }
        same_as_serde_json(&Holder {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(1, "x".into()),
                Shape::Struct {
                    a: Some(1.5),
                    b: vec![],
                },
                Shape::Struct {
                    a: None,
                    b: vec![1],
                },
            ],
            bytes: &[0, 255],
            nothing: (),
            character: '"',
            floats: [f64::NAN, f64::INFINITY, -0.0, 1e300, 0.1],
            small: 3.25,
            wide: (i128::MIN, u128::MAX),
            keys: BTreeMap::from([(-1, true), (2, false)]),
            bool_keys: BTreeMap::from([(true, ())]),
        });
        same_as_serde_json(&json!({"a": [], "b": {}, "c": [[], {}], "d": null}));
    }

    #[test]
    fn refuses_the_keys_serde_json_refuses() {
        let map = BTreeMap::from([(vec![1], 1)]);
        assert!(serde_json::to_vec(&map).is_err());
        assert!(ours(&map).is_err());
        let map = BTreeMap::from([(Some(()), 1)]);
        assert!(ours(&map).is_err());
    }

    fn document() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::from),
            "[ -~\\t\\n\\u{0}-\\u{1f}\"\\\\é]{0,40}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_document_as_in_serde_json(value in document()) {
            let expected = serde_json::to_vec(&value).expect("serde_json writes it");
            prop_assert_eq!(ours(&value).expect("the writer writes it"), expected);
        }
    }
}
