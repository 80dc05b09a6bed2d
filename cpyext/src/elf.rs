//! Just enough ELF reading for the loader to vet an extension before
//! `dlopen`: its cpyext ABI tag, and the symbols it needs from the interpreter.
use std::path::Path;

pub struct ExtensionFile {
    /// Contents of the `.cpyext_abi` section that our `Python.h` puts in
    /// every object file (NUL-separated copies of the tag).
    pub abi_tags: Vec<String>,
    /// Undefined dynamic symbols.
    pub undefined: Vec<String>,
}

const SHT_DYNSYM: u32 = 11;

fn u16_at(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(o..o + 2)?.try_into().ok()?))
}
fn u32_at(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(o..o + 4)?.try_into().ok()?))
}
fn u64_at(d: &[u8], o: usize) -> Option<u64> {
    Some(u64::from_le_bytes(d.get(o..o + 8)?.try_into().ok()?))
}
fn c_string(d: &[u8], o: usize) -> Option<&str> {
    let rest = d.get(o..)?;
    let end = rest.iter().position(|b| *b == 0)?;
    std::str::from_utf8(&rest[..end]).ok()
}

struct Section {
    name: u32,
    kind: u32,
    offset: usize,
    size: usize,
    link: u32,
}

pub fn inspect(path: &Path) -> Result<ExtensionFile, String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&data).ok_or_else(|| {
        format!(
            "{} is not a 64-bit little-endian ELF shared object",
            path.display()
        )
    })
}

fn parse(d: &[u8]) -> Option<ExtensionFile> {
    if d.get(0..4)? != b"\x7fELF" || *d.get(4)? != 2 || *d.get(5)? != 1 {
        return None;
    }
    let shoff = u64_at(d, 0x28)? as usize;
    let shentsize = u16_at(d, 0x3A)? as usize;
    let shnum = u16_at(d, 0x3C)? as usize;
    let shstrndx = u16_at(d, 0x3E)? as usize;
    let sections: Vec<Section> = (0..shnum)
        .map(|i| {
            let h = shoff + i * shentsize;
            Some(Section {
                name: u32_at(d, h)?,
                kind: u32_at(d, h + 4)?,
                offset: u64_at(d, h + 24)? as usize,
                size: u64_at(d, h + 32)? as usize,
                link: u32_at(d, h + 40)?,
            })
        })
        .collect::<Option<_>>()?;
    let names = sections.get(shstrndx)?;
    let mut abi_tags = Vec::new();
    let mut undefined = Vec::new();
    for s in &sections {
        let name = c_string(d, names.offset + s.name as usize).unwrap_or("");
        if name == ".cpyext_abi" {
            let bytes = d.get(s.offset..s.offset + s.size)?;
            abi_tags.extend(
                bytes
                    .split(|b| *b == 0)
                    .filter(|t| !t.is_empty())
                    .map(|t| String::from_utf8_lossy(t).into_owned()),
            );
        }
        if s.kind == SHT_DYNSYM {
            let strtab = sections.get(s.link as usize)?;
            for i in 1..s.size / 24 {
                let sym = s.offset + i * 24;
                let st_name = u32_at(d, sym)? as usize;
                let st_shndx = u16_at(d, sym + 6)?;
                if st_shndx == 0 && st_name != 0 {
                    if let Some(n) = c_string(d, strtab.offset + st_name) {
                        undefined.push(n.to_owned());
                    }
                }
            }
        }
    }
    Some(ExtensionFile {
        abi_tags,
        undefined,
    })
}

/// Whether a symbol is one the C API (and so this layer) must provide.
pub fn is_api_symbol(name: &str) -> bool {
    name.starts_with("Py") || name.starts_with("_Py")
}
