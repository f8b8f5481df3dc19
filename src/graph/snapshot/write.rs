//! Writing a snapshot: sections into a temporary file beside the target, the table and the
//! header last, then a rename.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use xxhash_rust::xxh3::xxh3_64;

use super::catalog::write_catalog;
use super::{BESIDE, BYTE_ORDER, CHUNK, FORMAT_VERSION, HEADER, Inputs, MAGIC, pointer_width};
use crate::graph::KnowledgeGraph;
use crate::graph::ids::HashedIds;
use crate::model::bytes::Writer;

/// Writes the snapshot of `kg`, loaded from `dir` whose inputs were `inputs` before loading,
/// to `path`; returns `false` without writing when an input was modified too recently to
/// trust its identity (see [`Inputs`]).
///
/// # Errors
/// When the folder cannot be made or the file cannot be written.
pub fn write(
    path: &Path,
    kg: &KnowledgeGraph,
    dir: &Path,
    inputs: &Inputs,
) -> std::io::Result<bool> {
    if inputs.recently_modified {
        return Ok(false);
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    if folder.file_name().is_some_and(|name| name == BESIDE) && !folder.exists() {
        std::fs::create_dir_all(folder)?;
        // Keep the snapshot out of the user's repository and backups, as cargo's target/ does.
        std::fs::write(
            folder.join(".gitignore"),
            "# made by ties: its graph snapshot\n*\n",
        )?;
        std::fs::write(
            folder.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# the graph snapshot of ties; see https://bford.info/cachedir/\n",
        )?;
    } else {
        std::fs::create_dir_all(folder)?;
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".graph-")
        .suffix(".partial")
        .tempfile_in(folder)?;
    let mut out = BufWriter::with_capacity(1 << 20, temp.as_file_mut());
    out.write_all(&[0u8; HEADER])?;
    let mut table = Writer::default();
    let mut at = HEADER as u64;
    let mut section = |bytes: &[u8], out: &mut BufWriter<&mut File>| -> std::io::Result<()> {
        out.write_all(bytes)?;
        table.u64(at);
        table.u64(bytes.len() as u64);
        table.u64(xxh3_64(bytes));
        at += bytes.len() as u64;
        Ok(())
    };
    section(&inputs.key, &mut out)?;
    let mut buffer = Writer::default();
    write_catalog(kg, dir, &mut buffer);
    section(&buffer.bytes, &mut out)?;
    for file in &kg.catalog.files {
        buffer.bytes.clear();
        file.store.get().encode(&mut buffer);
        section(&buffer.bytes, &mut out)?;
    }
    for chunk in kg.entities.chunks(CHUNK) {
        buffer.bytes.clear();
        buffer.len(chunk.len());
        for entity in chunk {
            entity.encode(&mut buffer);
        }
        section(&buffer.bytes, &mut out)?;
    }
    for chunk in kg.relations.chunks() {
        buffer.bytes.clear();
        buffer.len(chunk.len());
        for relation in chunk {
            relation.encode(&mut buffer);
        }
        section(&buffer.bytes, &mut out)?;
    }
    for chunk in kg.ends.chunks() {
        section(bytemuck::cast_slice(chunk), &mut out)?;
    }
    let (out_start, outgoing, in_start, incoming) = kg.adjacency.parts();
    section(bytemuck::cast_slice(out_start), &mut out)?;
    section(bytemuck::cast_slice(outgoing), &mut out)?;
    section(bytemuck::cast_slice(in_start), &mut out)?;
    section(bytemuck::cast_slice(incoming), &mut out)?;
    let ids = HashedIds::build(kg.node_indices().map(|node| kg.id(node)));
    let (hashes, positions, directory) = ids.parts();
    section(bytemuck::cast_slice(hashes), &mut out)?;
    section(bytemuck::cast_slice(positions), &mut out)?;
    section(bytemuck::cast_slice(directory), &mut out)?;
    let table = table.bytes;
    out.write_all(&table)?;
    out.flush()?;
    drop(out);
    let mut header = Writer::default();
    header.bytes.extend_from_slice(&MAGIC);
    header.u32(FORMAT_VERSION);
    header.bytes.extend_from_slice(&BYTE_ORDER.to_ne_bytes());
    header.bytes.push(pointer_width());
    header.bytes.extend_from_slice(&[0; 7]);
    header.u64(at);
    header.u64(table.len() as u64);
    header.u64(xxh3_64(&table));
    header.u64(at + table.len() as u64);
    let file = temp.as_file_mut();
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&header.bytes)?;
    // A temporary file is private to its maker; a snapshot is as readable as the data beside
    // it, so that others who read the data folder can open it too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let data_mode = std::fs::metadata(dir).map_or(0o755, |meta| meta.permissions().mode());
        file.set_permissions(std::fs::Permissions::from_mode(data_mode & 0o644))?;
    }
    temp.persist(path).map_err(|err| err.error)?;
    Ok(true)
}
